//! The one keymap table: key sequences -> [`Action`] -> help text.
//!
//! [`BINDINGS`] drives three things, so they cannot disagree: dispatch ([`Keymap::resolve`]),
//! the `?` help overlay ([`help_rows`]) and the keys section of the README ([`markdown`], also
//! printed by `gisa keys`; a test checks README.md against it).
//!
//! Keys are written as in vim's docs, space-separated for sequences: `j`, `G`, `Space`, `PgDn`,
//! `C-c` (Ctrl-C), `S-Tab`, `] q` (`]` then `q`). [`Key`] is a terminal-free key value, converted
//! from crossterm events in [`Key::from_event`], so the whole table is testable without a terminal.

use std::fmt;

use gisa::model::Kind;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;

/// One key press, without terminal types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// A printable character (shifted letters are upper case).
    Char(char),
    /// A letter with Ctrl.
    Ctrl(char),
    /// Arrow up.
    Up,
    /// Arrow down.
    Down,
    /// Arrow left.
    Left,
    /// Arrow right.
    Right,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
    /// Home.
    Home,
    /// End.
    End,
    /// Enter (Return).
    Enter,
    /// Escape.
    Esc,
    /// Tab.
    Tab,
    /// Shift-Tab.
    BackTab,
}

impl Key {
    /// Parses one key name (`j`, `Space`, `PgDn`, `C-c`, `S-Tab`, ...).
    pub fn parse(s: &str) -> Option<Key> {
        let k = match s {
            "Space" => Key::Char(' '),
            "Up" => Key::Up,
            "Down" => Key::Down,
            "Left" => Key::Left,
            "Right" => Key::Right,
            "PgUp" => Key::PageUp,
            "PgDn" => Key::PageDown,
            "Home" => Key::Home,
            "End" => Key::End,
            "Enter" => Key::Enter,
            "Esc" => Key::Esc,
            "Tab" => Key::Tab,
            "S-Tab" => Key::BackTab,
            _ => {
                if let Some(c) = s.strip_prefix("C-") {
                    let mut cs = c.chars();
                    return match (cs.next(), cs.next()) {
                        (Some(c), None) => Some(Key::Ctrl(c.to_ascii_lowercase())),
                        _ => None,
                    };
                }
                let mut cs = s.chars();
                match (cs.next(), cs.next()) {
                    (Some(c), None) if !c.is_control() => Key::Char(c),
                    _ => return None,
                }
            }
        };
        Some(k)
    }

    /// Parses a space-separated key sequence (`] q`).
    pub fn parse_seq(s: &str) -> Option<Vec<Key>> {
        s.split(' ').filter(|p| !p.is_empty()).map(Key::parse).collect()
    }

    /// Converts a crossterm key event (presses only; releases and repeats of other kinds give
    /// `None`, as do keys the reader does not use).
    pub fn from_event(ev: &KeyEvent) -> Option<Key> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        Some(match ev.code {
            KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
            KeyCode::Char(c) => Key::Char(c),
            KeyCode::Up => Key::Up,
            KeyCode::Down => Key::Down,
            KeyCode::Left => Key::Left,
            KeyCode::Right => Key::Right,
            KeyCode::PageUp => Key::PageUp,
            KeyCode::PageDown => Key::PageDown,
            KeyCode::Home => Key::Home,
            KeyCode::End => Key::End,
            KeyCode::Enter => Key::Enter,
            KeyCode::Esc => Key::Esc,
            KeyCode::Tab if ev.modifiers.contains(KeyModifiers::SHIFT) => Key::BackTab,
            KeyCode::Tab => Key::Tab,
            KeyCode::BackTab => Key::BackTab,
            _ => return None,
        })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Char(' ') => f.write_str("Space"),
            Key::Char(c) => write!(f, "{c}"),
            Key::Ctrl(c) => write!(f, "Ctrl-{c}"),
            Key::Up => f.write_str("Up"),
            Key::Down => f.write_str("Down"),
            Key::Left => f.write_str("Left"),
            Key::Right => f.write_str("Right"),
            Key::PageUp => f.write_str("PgUp"),
            Key::PageDown => f.write_str("PgDn"),
            Key::Home => f.write_str("Home"),
            Key::End => f.write_str("End"),
            Key::Enter => f.write_str("Enter"),
            Key::Esc => f.write_str("Esc"),
            Key::Tab => f.write_str("Tab"),
            Key::BackTab => f.write_str("Shift-Tab"),
        }
    }
}

/// A group of bindings in the help overlay and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Moving through the text.
    Scroll,
    /// Jumping between annotations.
    Annotations,
    /// The side panes.
    Panes,
    /// Articles, lists, help, quitting.
    General,
}

impl Section {
    /// All sections, in display order.
    pub const ALL: [Section; 4] = [Section::Scroll, Section::Annotations, Section::Panes, Section::General];

    /// The heading.
    pub fn title(self) -> &'static str {
        match self {
            Section::Scroll => "Scrolling",
            Section::Annotations => "Annotations",
            Section::Panes => "Panes",
            Section::General => "Articles, lists, help",
        }
    }
}

/// One row of the table: the keys (each a sequence), the action and its help text.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    /// Key sequences that trigger the action (see the module doc for the notation).
    pub keys: &'static [&'static str],
    /// What they do.
    pub action: Action,
    /// One line of help.
    pub help: &'static str,
    /// Where the row is listed.
    pub section: Section,
}

const fn b(keys: &'static [&'static str], action: Action, section: Section, help: &'static str) -> Binding {
    Binding { keys, action, help, section }
}

use Section::{Annotations as A, General as G, Panes as P, Scroll as S};

/// The keymap: the single source of keys, dispatch and help.
pub const BINDINGS: &[Binding] = &[
    b(&["j", "Down"], Action::Down, S, "scroll down a line (in a pane or list: next row)"),
    b(&["k", "Up"], Action::Up, S, "scroll up a line (in a pane or list: previous row)"),
    b(&["Space", "PgDn", "f", "C-f"], Action::PageDown, S, "scroll down a screen"),
    b(&["b", "PgUp", "C-b"], Action::PageUp, S, "scroll up a screen"),
    b(&["g", "Home"], Action::Top, S, "go to the top (in a pane or list: first row)"),
    b(&["G", "End"], Action::Bottom, S, "go to the end (in a pane or list: last row)"),
    b(&["n"], Action::Next, A, "next annotation, any kind (from the current one, else the top of the view)"),
    b(&["N"], Action::Prev, A, "previous annotation, any kind"),
    b(&["] q"], Action::NextKind(Kind::Quote), A, "next quote"),
    b(&["[ q"], Action::PrevKind(Kind::Quote), A, "previous quote"),
    b(&["] f"], Action::NextKind(Kind::Figure), A, "next figure"),
    b(&["[ f"], Action::PrevKind(Kind::Figure), A, "previous figure"),
    b(&["] e"], Action::NextKind(Kind::Entity), A, "next entity mention"),
    b(&["[ e"], Action::PrevKind(Kind::Entity), A, "previous entity mention"),
    b(&["] c"], Action::NextKind(Kind::Caption), A, "next caption"),
    b(&["[ c"], Action::PrevKind(Kind::Caption), A, "previous caption"),
    b(&["*"], Action::NextSame, A, "next mention of the current entity"),
    b(&["#"], Action::PrevSame, A, "previous mention of the current entity"),
    b(&["Esc"], Action::Escape, A, "clear the current annotation; leave a pane; close a list"),
    b(&["Tab"], Action::FocusNext, P, "focus the next pane: text, Quotes, Figures, Entities"),
    b(&["S-Tab"], Action::FocusPrev, P, "focus the previous pane"),
    b(&["Enter"], Action::Confirm, P, "in a pane: make the row current, back to the text; in a list: open it"),
    b(&["] a"], Action::NextArticle, G, "next article"),
    b(&["[ a"], Action::PrevArticle, G, "previous article"),
    b(&["a"], Action::Articles, G, "list of articles"),
    b(&["w"], Action::Problems, G, "list of ingest warnings (flagged spans); Enter jumps to one"),
    b(&["?"], Action::Help, G, "this help"),
    b(&["q"], Action::Quit, G, "quit (in a list or the help: close it)"),
    b(&["C-c"], Action::ForceQuit, G, "quit at once"),
];

/// Mouse use, listed after the keys in the help and the README.
pub const MOUSE_HELP: &[(&str, &str)] = &[
    ("wheel", "scroll the text or the pane under the pointer"),
    ("click", "on a highlight: make it current; on a pane row: select it"),
];

/// What a key sequence means so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolve {
    /// The sequence is bound to this action.
    Matched(Action),
    /// The sequence is the start of a longer binding: wait for the next key.
    Pending,
    /// Nothing is bound to it.
    NotFound,
}

/// The parsed table, ready for lookups.
#[derive(Debug, Clone)]
pub struct Keymap {
    seqs: Vec<(Vec<Key>, Action)>,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut seqs = Vec::new();
        for bnd in BINDINGS {
            for k in bnd.keys {
                // the table is a constant; a bad entry is caught by the unit tests
                if let Some(seq) = Key::parse_seq(k) {
                    seqs.push((seq, bnd.action));
                }
            }
        }
        Keymap { seqs }
    }
}

impl Keymap {
    /// Looks up the keys typed so far.
    pub fn resolve(&self, keys: &[Key]) -> Resolve {
        if keys.is_empty() {
            return Resolve::NotFound;
        }
        let mut pending = false;
        for (seq, action) in &self.seqs {
            if seq.as_slice() == keys {
                return Resolve::Matched(*action);
            }
            if seq.len() > keys.len() && seq.starts_with(keys) {
                pending = true;
            }
        }
        if pending {
            Resolve::Pending
        } else {
            Resolve::NotFound
        }
    }
}

/// A key sequence as shown to people: `] q` becomes `]q`, `C-f` becomes `Ctrl-f`.
pub fn display_seq(s: &str) -> String {
    match Key::parse_seq(s) {
        Some(keys) => keys.iter().map(Key::to_string).collect::<Vec<_>>().join(""),
        None => s.to_string(),
    }
}

/// The help overlay's rows: `(keys, help)`, with section headings as `(heading, "")`.
pub fn help_rows() -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for (i, sec) in Section::ALL.iter().enumerate() {
        if i > 0 {
            rows.push((String::new(), String::new()));
        }
        rows.push((sec.title().to_string(), String::new()));
        for bnd in BINDINGS.iter().filter(|b| b.section == *sec) {
            let keys: Vec<String> = bnd.keys.iter().map(|k| display_seq(k)).collect();
            rows.push((keys.join(" "), bnd.help.to_string()));
        }
    }
    rows.push((String::new(), String::new()));
    rows.push(("Mouse".to_string(), String::new()));
    for (k, h) in MOUSE_HELP {
        rows.push((k.to_string(), h.to_string()));
    }
    rows
}

/// One line of the help overlay, laid out for a width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    /// A section heading.
    Heading(String),
    /// An empty line between sections.
    Blank,
    /// Keys and help side by side; `key_width` is the keys column.
    Entry {
        /// The keys.
        keys: String,
        /// What they do.
        help: String,
        /// Width of the keys column.
        key_width: usize,
    },
    /// The keys alone (narrow layout: the help follows on the next line).
    Keys(String),
    /// Help text on its own line, indented (narrow layout).
    Text(String),
}

/// The help overlay's lines for `width` cells: keys and help side by side when both fit,
/// otherwise keys on one line and the help indented below.
pub fn help_lines(width: usize) -> Vec<HelpLine> {
    let rows = help_rows();
    let key_width = rows.iter().filter(|(_, h)| !h.is_empty()).map(|(k, _)| k.len()).max().unwrap_or(0) + 2;
    let side_by_side = width >= key_width + 30;
    let mut out = Vec::new();
    for (k, h) in rows {
        match (k.is_empty(), h.is_empty()) {
            (true, true) => out.push(HelpLine::Blank),
            (false, true) => out.push(HelpLine::Heading(k)),
            _ if side_by_side => out.push(HelpLine::Entry { keys: k, help: h, key_width }),
            _ => {
                out.push(HelpLine::Keys(k));
                out.push(HelpLine::Text(format!("  {h}")));
            }
        }
    }
    out
}

/// The keys as a Markdown section: what README.md holds between `<!-- keys:start -->` and
/// `<!-- keys:end -->`, and what `gisa keys` prints.
pub fn markdown() -> String {
    let mut s = String::new();
    for sec in Section::ALL {
        s.push_str(&format!("**{}**\n\n| keys | action |\n|---|---|\n", sec.title()));
        for bnd in BINDINGS.iter().filter(|b| b.section == sec) {
            let keys: Vec<String> = bnd.keys.iter().map(|k| format!("`{}`", display_seq(k))).collect();
            s.push_str(&format!("| {} | {} |\n", keys.join(" "), bnd.help));
        }
        s.push('\n');
    }
    s.push_str("**Mouse**\n\n| mouse | action |\n|---|---|\n");
    for (k, h) in MOUSE_HELP {
        s.push_str(&format!("| {k} | {h} |\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_in_the_table_parses_and_no_sequence_is_bound_twice() {
        let mut seen = std::collections::HashSet::new();
        for bnd in BINDINGS {
            for k in bnd.keys {
                let seq = Key::parse_seq(k).unwrap_or_else(|| panic!("bad key {k:?}"));
                assert!(seen.insert(seq.clone()), "{k:?} bound twice");
            }
        }
        // a sequence must not be a prefix of another (it would never be pending)
        let all: Vec<Vec<Key>> = seen.into_iter().collect();
        for a in &all {
            for b in &all {
                assert!(a == b || !b.starts_with(a), "{a:?} is a prefix of {b:?}");
            }
        }
    }

    #[test]
    fn resolve_single_keys_and_sequences() {
        let km = Keymap::default();
        assert_eq!(km.resolve(&[Key::Char('j')]), Resolve::Matched(Action::Down));
        assert_eq!(km.resolve(&[Key::PageDown]), Resolve::Matched(Action::PageDown));
        assert_eq!(km.resolve(&[Key::Char(' ')]), Resolve::Matched(Action::PageDown));
        assert_eq!(km.resolve(&[Key::Char(']')]), Resolve::Pending);
        assert_eq!(km.resolve(&[Key::Char(']'), Key::Char('q')]), Resolve::Matched(Action::NextKind(Kind::Quote)));
        assert_eq!(km.resolve(&[Key::Char('['), Key::Char('a')]), Resolve::Matched(Action::PrevArticle));
        assert_eq!(km.resolve(&[Key::Char(']'), Key::Char('z')]), Resolve::NotFound);
        assert_eq!(km.resolve(&[Key::Char('Z')]), Resolve::NotFound);
        assert_eq!(km.resolve(&[Key::Ctrl('c')]), Resolve::Matched(Action::ForceQuit));
    }

    #[test]
    fn crossterm_events_convert() {
        let ev = |code, mods| KeyEvent::new(code, mods);
        assert_eq!(Key::from_event(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Key::Ctrl('c')));
        assert_eq!(Key::from_event(&ev(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(Key::Char('G')));
        assert_eq!(Key::from_event(&ev(KeyCode::BackTab, KeyModifiers::SHIFT)), Some(Key::BackTab));
        assert_eq!(Key::from_event(&ev(KeyCode::Tab, KeyModifiers::SHIFT)), Some(Key::BackTab));
        assert_eq!(Key::from_event(&ev(KeyCode::F(5), KeyModifiers::NONE)), None);
        let mut rel = ev(KeyCode::Char('j'), KeyModifiers::NONE);
        rel.kind = KeyEventKind::Release;
        assert_eq!(Key::from_event(&rel), None);
    }

    #[test]
    fn help_lists_every_binding() {
        let rows = help_rows();
        for bnd in BINDINGS {
            assert!(rows.iter().any(|(_, h)| h == bnd.help), "{} missing from help", bnd.help);
        }
        assert!(rows.iter().any(|(k, _)| k == "]q"));
        assert!(rows.iter().any(|(k, _)| k == "Space PgDn f Ctrl-f"));
    }

    #[test]
    fn help_lines_fold_when_narrow() {
        let wide = help_lines(100);
        let narrow = help_lines(30);
        assert!(wide.iter().any(|l| matches!(l, HelpLine::Entry { keys, .. } if keys == "n")));
        assert!(!narrow.iter().any(|l| matches!(l, HelpLine::Entry { .. })));
        let entries = wide.iter().filter(|l| matches!(l, HelpLine::Entry { .. })).count();
        assert_eq!(narrow.len(), wide.len() + entries);
    }

    /// README.md's keys section is generated from the table: regenerate it with `gisa keys`.
    #[test]
    fn readme_keys_section_matches_the_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
        let readme = std::fs::read_to_string(path).expect("README.md exists");
        let start = readme.find("<!-- keys:start -->\n").expect("README.md has <!-- keys:start -->");
        let end = readme.find("<!-- keys:end -->").expect("README.md has <!-- keys:end -->");
        let section = &readme[start + "<!-- keys:start -->\n".len()..end];
        assert_eq!(section, markdown(), "README.md keys section is stale: replace it with `gisa keys` output");
    }
}
