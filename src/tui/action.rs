//! What the reader can do: one [`Action`] per command. Keys map to actions in
//! [`super::keymap`]; [`super::app::App::update`] performs them. The same action means the
//! natural thing in each context (text, a pane, an overlay): `Down` scrolls the text, moves a
//! pane's selection, or moves an overlay's selection.

use gisa::model::Kind;

/// One command of the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Scroll the text down one line; in a pane or list, select the next row.
    Down,
    /// Scroll the text up one line; in a pane or list, select the previous row.
    Up,
    /// Scroll the text down one screen; in a pane or list, move the selection a page down.
    PageDown,
    /// Scroll the text up one screen; in a pane or list, move the selection a page up.
    PageUp,
    /// Go to the top of the text; in a pane or list, select the first row.
    Top,
    /// Go to the end of the text; in a pane or list, select the last row.
    Bottom,
    /// Make the next annotation of any kind current, in reading order from the current one
    /// (or from the top of the view when there is none).
    Next,
    /// Make the previous annotation of any kind current.
    Prev,
    /// Make the next annotation of one kind current.
    NextKind(Kind),
    /// Make the previous annotation of one kind current.
    PrevKind(Kind),
    /// Make the next mention of the current entity current.
    NextSame,
    /// Make the previous mention of the current entity current.
    PrevSame,
    /// Move focus: text, Quotes, Figures, Entities, text.
    FocusNext,
    /// Move focus the other way round.
    FocusPrev,
    /// In a pane: make the selection current and return focus to the text. In a list: open the
    /// selected row.
    Confirm,
    /// Close an overlay; in a pane, return focus to the text; in the text, clear the current
    /// annotation.
    Escape,
    /// Open the next article (several files, a `.jsonl` or a folder).
    NextArticle,
    /// Open the previous article.
    PrevArticle,
    /// Show or hide the list of articles.
    Articles,
    /// Show or hide the list of problems found at ingest (flagged spans, skipped lines).
    Problems,
    /// Show or hide the help overlay (generated from the keymap).
    Help,
    /// Quit the reader (in an overlay: close it).
    Quit,
    /// Quit the reader at once, from anywhere.
    ForceQuit,
}
