//! The reader's state and its update logic, without a terminal: keys, mouse events and sizes
//! go in ([`App::key`], [`App::mouse`], [`App::resize`]), state comes out (current annotation,
//! scroll position, focus, pane selections), and [`super::ui`] draws it from `&App`.
//!
//! Scrolling is in visual lines of the core's lazy layout ([`DocLayout`]), cached per article
//! and per (width, ambiguous mode). The view is anchored by a byte offset, so a resize keeps the
//! same text at the top. Every operation costs the visible lines plus binary searches, never a
//! pass over the article: a keypress at the end of a 50 MB article costs what it costs at the
//! start.

use std::collections::HashMap;

use gisa::ingest::Loaded;
use gisa::layout::{self, DocLayout, Options as LayoutOptions, Pos, Role, SpanIndex, VLine, FRAME_INSET};
use gisa::model::{Annotation, Article, Flag, Kind};
use ratatui::layout::Rect;

use super::action::Action;
use super::keymap::{Key, Keymap, Resolve};
use super::theme::Theme;

/// Smallest usable terminal; below it the reader shows a short message.
pub const MIN_WIDTH: u16 = 20;
/// Smallest usable terminal height (see [`MIN_WIDTH`]).
pub const MIN_HEIGHT: u16 = 7;
/// Lines moved by one mouse-wheel step.
pub const WHEEL_LINES: usize = 3;
/// Layouts kept per article (one per recent width).
const LAYOUT_CACHE: usize = 3;

/// One of the three side panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaneKind {
    /// Quotes: opening words and speaker.
    Quotes,
    /// Figures: surface form, normalised value and unit.
    Figures,
    /// Entities grouped by name: label, name, mention count.
    Entities,
}

impl PaneKind {
    /// The panes in focus order.
    pub const ALL: [PaneKind; 3] = [PaneKind::Quotes, PaneKind::Figures, PaneKind::Entities];

    /// The pane's title.
    pub fn title(self) -> &'static str {
        match self {
            PaneKind::Quotes => "Quotes",
            PaneKind::Figures => "Figures",
            PaneKind::Entities => "Entities",
        }
    }

    /// The annotation kind the pane lists.
    pub fn kind(self) -> Kind {
        match self {
            PaneKind::Quotes => Kind::Quote,
            PaneKind::Figures => Kind::Figure,
            PaneKind::Entities => Kind::Entity,
        }
    }

    fn index(self) -> usize {
        match self {
            PaneKind::Quotes => 0,
            PaneKind::Figures => 1,
            PaneKind::Entities => 2,
        }
    }
}

/// Where keys go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The article text.
    Text,
    /// A side pane.
    Pane(PaneKind),
}

/// A modal list or the help, drawn over the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// The keys (from the keymap table), scrolled by `scroll` rows.
    Help {
        /// First row shown.
        scroll: usize,
    },
    /// The articles; `sel` is the selected row.
    Articles {
        /// Selected row.
        sel: usize,
    },
    /// The problems found at ingest; `sel` is the selected row.
    Problems {
        /// Selected row.
        sel: usize,
    },
}

/// A mouse event, without terminal types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mouse {
    /// What happened.
    pub kind: MouseKind,
    /// Column.
    pub x: u16,
    /// Row.
    pub y: u16,
}

/// The mouse events the reader uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MouseKind {
    /// Left button pressed.
    Click,
    /// Wheel towards the user's hand (content moves down: earlier text).
    ScrollUp,
    /// Wheel away (later text).
    ScrollDown,
}

/// One entity, all its mentions.
#[derive(Debug, Clone)]
pub struct Group {
    /// The grouping name ([`Annotation::group_name`]).
    pub name: String,
    /// The label of its first mention.
    pub label: String,
    /// Annotation indices of the mentions, in reading order.
    pub mentions: Vec<u32>,
    /// Some mention is flagged.
    pub flagged: bool,
}

/// Selection and scroll of one side pane.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PaneState {
    /// Selected row.
    pub selected: usize,
    /// First row shown.
    pub offset: usize,
    /// The offset follows the selection (off after a wheel scroll, on again when it moves).
    follow: bool,
}

/// Per-article view state: kept while other articles are open.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// First visible line, valid for the layout `key`.
    pub top: Pos,
    /// Byte offset of the first visible line: what stays at the top across resizes.
    pub anchor: usize,
    key: Option<LayoutOptions>,
    /// The current annotation (index into the article's annotations).
    pub current: Option<u32>,
    /// Quotes, Figures, Entities.
    pub panes: [PaneState; 3],
}

/// One open article with everything derived from it once.
#[derive(Debug)]
pub struct Doc {
    /// The file it came from.
    pub file: String,
    /// The article.
    pub article: Article,
    /// Which annotations overlap a range.
    pub index: SpanIndex,
    /// Annotations with a non-empty span, in reading order (what `n`/`N` visit).
    pub nav: Vec<u32>,
    /// Navigable annotations per kind, in [`Kind::ALL`] order.
    pub by_kind: [Vec<u32>; 4],
    /// Entity groups, in order of first mention.
    pub groups: Vec<Group>,
    /// For each annotation: its entity group, or `u32::MAX`.
    pub group_of: Vec<u32>,
    /// Some annotation ids are duplicated (speaker lookups then use the article's own search).
    dup_ids: bool,
    /// The widest entity label, in cells (for aligning the Entities pane).
    pub label_width: usize,
    layouts: Vec<DocLayout>,
    /// Where the reader is in this article.
    pub view: View,
}

fn kind_slot(k: Kind) -> usize {
    match k {
        Kind::Quote => 0,
        Kind::Figure => 1,
        Kind::Entity => 2,
        Kind::Caption => 3,
    }
}

impl Doc {
    /// Derives the lists, groups and index of `article`.
    pub fn new(file: String, article: Article) -> Doc {
        let anns = &article.annotations;
        let index = SpanIndex::new(anns);
        let mut nav = Vec::new();
        let mut by_kind: [Vec<u32>; 4] = Default::default();
        let mut groups: Vec<Group> = Vec::new();
        let mut group_of = vec![u32::MAX; anns.len()];
        let mut by_name: HashMap<&str, u32> = HashMap::new();
        for (i, a) in anns.iter().enumerate() {
            if a.start >= a.end {
                continue;
            }
            let i32_ = i as u32;
            nav.push(i32_);
            by_kind[kind_slot(a.kind)].push(i32_);
            if a.kind == Kind::Entity {
                let name = a.group_name(&article.text);
                let g = *by_name.entry(name).or_insert_with(|| {
                    groups.push(Group {
                        name: name.to_string(),
                        label: a.label.to_string(),
                        mentions: Vec::new(),
                        flagged: false,
                    });
                    (groups.len() - 1) as u32
                });
                let grp = &mut groups[g as usize];
                grp.mentions.push(i32_);
                grp.flagged |= a.is_flagged();
                group_of[i] = g;
            }
        }
        let dup_ids = anns.iter().any(|a| a.flags.contains(&Flag::DuplicateId));
        let label_width = groups.iter().map(|g| layout::str_width(&g.label, false)).max().unwrap_or(0);
        Doc {
            file,
            index,
            nav,
            by_kind,
            groups,
            group_of,
            dup_ids,
            label_width,
            layouts: Vec::new(),
            view: View::default(),
            article,
        }
    }

    /// The speaker of quote `q`, as [`Article::speaker_name`] gives it. The speaker entity is
    /// searched outward from the quote (it is nearly always close), so no id index is built at
    /// startup; a speaker naming no annotation was flagged at ingest and is not searched for.
    pub fn speaker(&self, q: u32) -> Option<String> {
        let anns = &self.article.annotations;
        let quote = anns.get(q as usize)?;
        let Some(id) = &quote.speaker else { return quote.speaker_text.clone() };
        if quote.flags.contains(&Flag::DanglingSpeaker) {
            return quote.speaker_text.clone();
        }
        if self.dup_ids {
            return self.article.speaker_name(quote);
        }
        let (q, n) = (q as usize, anns.len());
        for d in 1..n {
            if d > q && q + d >= n {
                break;
            }
            let hit =
                [q.checked_sub(d), Some(q + d).filter(|&i| i < n)].into_iter().flatten().find(|&i| anns[i].id == *id);
            if let Some(i) = hit {
                return Some(anns[i].group_name(&self.article.text).to_string());
            }
        }
        quote.speaker_text.clone()
    }

    /// The navigable annotations of one kind.
    pub fn list(&self, k: Kind) -> &[u32] {
        &self.by_kind[kind_slot(k)]
    }

    /// Number of rows of a pane.
    pub fn pane_len(&self, p: PaneKind) -> usize {
        match p {
            PaneKind::Entities => self.groups.len(),
            _ => self.list(p.kind()).len(),
        }
    }

    /// The annotation a pane row stands for (an entity row: its first mention).
    pub fn pane_ann(&self, p: PaneKind, row: usize) -> Option<u32> {
        match p {
            PaneKind::Entities => self.groups.get(row).and_then(|g| g.mentions.first().copied()),
            _ => self.list(p.kind()).get(row).copied(),
        }
    }

    /// The pane row of an annotation, when the pane lists it.
    pub fn pane_row_of(&self, p: PaneKind, ann: u32) -> Option<usize> {
        match p {
            PaneKind::Entities => match self.group_of.get(ann as usize) {
                Some(&g) if g != u32::MAX => Some(g as usize),
                _ => None,
            },
            _ => self.list(p.kind()).binary_search(&ann).ok(),
        }
    }

    /// The first pane row at or after byte `b` (the last row when all are before it).
    fn pane_row_at(&self, p: PaneKind, b: usize) -> Option<usize> {
        let anns = &self.article.annotations;
        let list = self.list(p.kind());
        if list.is_empty() {
            return None;
        }
        let i = list.partition_point(|&a| anns[a as usize].start < b).min(list.len() - 1);
        match p {
            PaneKind::Entities => self.pane_row_of(p, list[i]),
            _ => Some(i),
        }
    }

    /// The layout for `opts` (built on first use; a few are kept) and the text.
    fn lay(&mut self, opts: LayoutOptions) -> (&mut DocLayout, &str) {
        match self.layouts.iter().position(|l| l.options() == opts) {
            Some(0) => {}
            Some(i) => {
                let l = self.layouts.remove(i);
                self.layouts.insert(0, l);
            }
            None => {
                self.layouts.insert(0, DocLayout::new(&self.article, opts));
                self.layouts.truncate(LAYOUT_CACHE);
            }
        }
        (&mut self.layouts[0], &self.article.text)
    }

    fn set_top(&mut self, opts: LayoutOptions, pos: Pos) {
        let (lay, text) = self.lay(opts);
        let anchor = lay.byte_of(text, pos);
        self.view.top = pos;
        self.view.anchor = anchor;
        self.view.key = Some(opts);
    }

    /// The highest top line: the last line at the bottom of a view `h` lines high.
    fn max_top(&mut self, opts: LayoutOptions, h: usize) -> Pos {
        let (lay, text) = self.lay(opts);
        let last = lay.last(text);
        lay.advance(text, last, -(h.saturating_sub(1) as isize))
    }

    fn bottom(&mut self, opts: LayoutOptions, h: usize) -> Pos {
        let top = self.view.top;
        let (lay, text) = self.lay(opts);
        lay.advance(text, top, h.saturating_sub(1) as isize)
    }

    /// Scrolls by `delta` lines, clamped so the last line stays at the bottom at most.
    fn scroll(&mut self, opts: LayoutOptions, h: usize, delta: isize) {
        let top = self.view.top;
        let (lay, text) = self.lay(opts);
        let p = lay.advance(text, top, delta);
        let max = self.max_top(opts, h);
        self.set_top(opts, p.min(max));
    }

    /// The lines where annotation `i` starts and ends.
    fn ann_lines(&mut self, opts: LayoutOptions, i: u32) -> (Pos, Pos) {
        let (s, e) = {
            let a = &self.article.annotations[i as usize];
            (a.start, a.end.saturating_sub(1).max(a.start))
        };
        let (lay, text) = self.lay(opts);
        (lay.pos_of(text, s), lay.pos_of(text, e))
    }

    /// Annotation `i` shows at least partly in a view `h` lines high.
    fn shows(&mut self, opts: LayoutOptions, h: usize, i: u32) -> bool {
        let (p, pe) = self.ann_lines(opts, i);
        let bottom = self.bottom(opts, h);
        pe >= self.view.top && p <= bottom
    }

    /// Scrolls so annotation `i` is in view: its start a third of the way down when it was out
    /// of view; its end too when it fits.
    fn scroll_into_view(&mut self, opts: LayoutOptions, h: usize, i: u32) {
        let (p, pe) = self.ann_lines(opts, i);
        let top = self.view.top;
        let bottom = self.bottom(opts, h);
        let (lay, text) = self.lay(opts);
        let mut new_top = top;
        if p < top || p > bottom {
            new_top = lay.advance(text, p, -((h / 3) as isize));
        }
        let new_bottom = lay.advance(text, new_top, h.saturating_sub(1) as isize);
        if pe > new_bottom {
            let t = lay.advance(text, pe, -(h.saturating_sub(1) as isize));
            new_top = t.min(p);
        }
        let max = self.max_top(opts, h);
        new_top = new_top.min(max);
        if new_top != top || self.view.key != Some(opts) {
            self.set_top(opts, new_top);
        }
    }
}

/// A row of the problems list: what, and where to jump.
#[derive(Debug, Clone)]
pub struct ProblemRow {
    /// The article it is about, when it is about one.
    pub doc: Option<usize>,
    /// The annotation it is about, when it is about one.
    pub ann: Option<u32>,
    /// The message (file, article, annotation, what).
    pub text: String,
}

/// Where everything is on the screen, for drawing and for mouse hits.
#[derive(Debug, Clone, Default)]
pub struct Screen {
    /// Terminal width.
    pub width: u16,
    /// Terminal height.
    pub height: u16,
    /// Large enough to read; otherwise only a short message is drawn.
    pub usable: bool,
    /// The article pane, borders included.
    pub article: Rect,
    /// The text inside it: its width is the layout width.
    pub text: Rect,
    /// The side panes shown, with their rectangles (borders included).
    pub panes: Vec<(PaneKind, Rect)>,
    /// The status bar.
    pub status: Rect,
    /// The visible lines, top to bottom.
    pub lines: Vec<(Pos, VLine)>,
    /// How far through the text the bottom of the view is, in percent.
    pub percent: u8,
}

/// Options of the reader.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Count East Asian Ambiguous characters as two cells and draw ASCII chrome.
    pub ambiwide: bool,
    /// Files that could not be loaded at all (listed with the problems).
    pub errors: Vec<String>,
}

/// The whole state of the reader.
#[derive(Debug)]
pub struct App {
    /// The open articles.
    pub docs: Vec<Doc>,
    /// The article shown.
    pub cur: usize,
    /// Where keys go.
    pub focus: Focus,
    /// The pane shown when only one fits and the text has focus.
    pub last_pane: PaneKind,
    /// An overlay, when one is open.
    pub overlay: Option<Overlay>,
    /// A one-line message for the status bar (cleared by the next key).
    pub message: Option<String>,
    /// Keys of an unfinished sequence (`]` waiting for `q`).
    pub pending: Vec<Key>,
    /// Everything ingest reported, across files.
    pub problems: Vec<ProblemRow>,
    /// Styles and glyphs.
    pub theme: Theme,
    /// The keymap.
    pub keymap: Keymap,
    /// The last computed screen geometry and visible lines.
    pub screen: Screen,
    /// Set by `q` and Ctrl-C: the event loop ends.
    pub quit: bool,
}

impl App {
    /// Opens `files` (each with what loading it gave).
    pub fn new(files: Vec<(String, Loaded)>, opts: &Options) -> App {
        let mut docs = Vec::new();
        let mut problems = Vec::new();
        for e in &opts.errors {
            problems.push(ProblemRow { doc: None, ann: None, text: e.clone() });
        }
        for (file, loaded) in files {
            for p in &loaded.problems {
                problems.push(ProblemRow { doc: None, ann: None, text: format!("{file}: {}", p.message) });
            }
            for article in loaded.articles {
                let di = docs.len();
                for p in &article.problems {
                    let ann = p.annotation.as_ref().and_then(|id| {
                        let mut same = article.annotations.iter().enumerate().filter(|(_, a)| &a.id == id);
                        let first = same.next();
                        same.chain(first).find(|(_, a)| a.is_flagged()).or(first).map(|(i, _)| i as u32)
                    });
                    let what = match &p.annotation {
                        Some(a) => format!("{} {a}: {} ({file})", p.article, p.message),
                        None => format!("{}: {} ({file})", p.article, p.message),
                    };
                    problems.push(ProblemRow { doc: Some(di), ann, text: what });
                }
                docs.push(Doc::new(file.clone(), article));
            }
        }
        if docs.is_empty() {
            let mut a = Article::from_text("", "");
            a.title = "(no article)".into();
            docs.push(Doc::new(String::new(), a));
        }
        let mut app = App {
            docs,
            cur: 0,
            focus: Focus::Text,
            last_pane: PaneKind::Quotes,
            overlay: None,
            message: None,
            pending: Vec::new(),
            problems,
            theme: Theme { ambiwide: opts.ambiwide },
            keymap: Keymap::default(),
            screen: Screen::default(),
            quit: false,
        };
        // a geometry to start with; the layout is built on the first resize or draw
        app.screen = geometry(80, 24, Focus::Text, PaneKind::Quotes);
        app
    }

    /// The article shown.
    pub fn doc(&self) -> &Doc {
        &self.docs[self.cur]
    }

    fn doc_mut(&mut self) -> &mut Doc {
        &mut self.docs[self.cur]
    }

    /// The current annotation of the article shown.
    pub fn current(&self) -> Option<u32> {
        self.doc().view.current
    }

    fn opts(&self) -> LayoutOptions {
        LayoutOptions { width: (self.screen.text.width as usize).max(1), ambiwide: self.theme.ambiwide }
    }

    fn height(&self) -> usize {
        (self.screen.text.height as usize).max(1)
    }

    /// The current annotation as the status bar shows it: `quote 3/15`.
    pub fn current_label(&self) -> Option<String> {
        let c = self.current()?;
        let d = self.doc();
        let a = d.article.annotations.get(c as usize)?;
        let list = d.list(a.kind);
        let i = list.binary_search(&c).ok()?;
        Some(format!("{} {}/{}", a.kind.as_str(), i + 1, list.len()))
    }

    /// Sets the terminal size and recomputes the geometry and the visible lines.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.screen.width = width;
        self.screen.height = height;
        self.refresh();
    }

    /// Recomputes the geometry (it depends on the focus) and the visible lines.
    fn refresh(&mut self) {
        let (w, h) = (self.screen.width, self.screen.height);
        let lines = std::mem::take(&mut self.screen.lines);
        self.screen = geometry(w, h, self.focus, self.last_pane);
        self.screen.lines = lines;
        self.screen.lines.clear();
        if !self.screen.usable {
            return;
        }
        let opts = self.opts();
        let h = self.height();
        let cur = self.current();
        let doc = &mut self.docs[self.cur];
        if doc.view.key != Some(opts) {
            let anchor = doc.view.anchor;
            let (lay, text) = doc.lay(opts);
            let top = lay.pos_of(text, anchor);
            doc.view.top = top;
            doc.view.key = Some(opts);
            // keep the anchor: repeated resizes come back to the same text
            doc.view.anchor = anchor;
        }
        let max = doc.max_top(opts, h);
        if doc.view.top > max {
            doc.set_top(opts, max);
        }
        if let Some(c) = cur {
            if !doc.shows(opts, h, c) {
                doc.scroll_into_view(opts, h, c);
            }
        }
        let top = doc.view.top;
        let (lay, text) = doc.lay(opts);
        let lines = lay.lines_from(text, top, h);
        let last = lay.last(text);
        let len = text.len();
        let at_end = lines.last().is_none_or(|(p, _)| *p >= last);
        let end = lines.last().map_or(0, |(_, l)| l.line.end);
        self.screen.percent = if at_end || len == 0 { 100 } else { (end.saturating_mul(100) / len).min(99) as u8 };
        self.screen.lines = lines;
        // panes follow their selection
        let panes = self.screen.panes.clone();
        let doc = &mut self.docs[self.cur];
        for (p, r) in panes {
            let rows = pane_rows(r);
            let len = doc.pane_len(p);
            let st = &mut doc.view.panes[p.index()];
            st.offset = if st.follow {
                follow_offset(st.offset, st.selected, rows, len)
            } else {
                st.offset.min(len.saturating_sub(rows))
            };
        }
    }

    /// Handles one key press.
    pub fn key(&mut self, key: Key) {
        self.message = None;
        if key == Key::Esc && !self.pending.is_empty() {
            self.pending.clear();
            self.refresh();
            return;
        }
        self.pending.push(key);
        match self.keymap.resolve(&self.pending) {
            Resolve::Matched(a) => {
                self.pending.clear();
                self.update(a);
            }
            Resolve::Pending => {}
            Resolve::NotFound => {
                let seq: String = self.pending.iter().map(Key::to_string).collect();
                self.pending.clear();
                self.message = Some(format!("{seq} is not bound (? shows the keys)"));
            }
        }
        self.refresh();
    }

    /// Performs one action.
    pub fn update(&mut self, action: Action) {
        if action == Action::ForceQuit {
            self.quit = true;
            return;
        }
        if let Some(ov) = self.overlay {
            self.update_overlay(ov, action);
            self.refresh();
            return;
        }
        match (self.focus, action) {
            (Focus::Text, Action::Down) => self.scroll_text(1),
            (Focus::Text, Action::Up) => self.scroll_text(-1),
            (Focus::Text, Action::PageDown) => self.scroll_text(self.page() as isize),
            (Focus::Text, Action::PageUp) => self.scroll_text(-(self.page() as isize)),
            (Focus::Text, Action::Top) => self.scroll_edge(false),
            (Focus::Text, Action::Bottom) => self.scroll_edge(true),
            (Focus::Pane(p), Action::Down) => self.pane_move(p, 1),
            (Focus::Pane(p), Action::Up) => self.pane_move(p, -1),
            (Focus::Pane(p), Action::PageDown) => self.pane_move(p, self.pane_page(p) as isize),
            (Focus::Pane(p), Action::PageUp) => self.pane_move(p, -(self.pane_page(p) as isize)),
            (Focus::Pane(p), Action::Top) => self.pane_move(p, isize::MIN / 2),
            (Focus::Pane(p), Action::Bottom) => self.pane_move(p, isize::MAX / 2),
            (_, Action::Next) => self.jump(None, true),
            (_, Action::Prev) => self.jump(None, false),
            (_, Action::NextKind(k)) => self.jump(Some(k), true),
            (_, Action::PrevKind(k)) => self.jump(Some(k), false),
            (_, Action::NextSame) => self.jump_same(true),
            (_, Action::PrevSame) => self.jump_same(false),
            (_, Action::FocusNext) => self.cycle_focus(true),
            (_, Action::FocusPrev) => self.cycle_focus(false),
            (Focus::Pane(p), Action::Confirm) => {
                let sel = self.doc().view.panes[p.index()].selected;
                if let Some(a) = self.doc().pane_ann(p, sel) {
                    self.make_current(a);
                }
                self.set_focus(Focus::Text);
            }
            (Focus::Text, Action::Confirm) => {}
            (Focus::Pane(_), Action::Escape) => self.set_focus(Focus::Text),
            (Focus::Text, Action::Escape) => {
                self.doc_mut().view.current = None;
                self.sync_panes();
            }
            (_, Action::NextArticle) => self.step_article(1),
            (_, Action::PrevArticle) => self.step_article(-1),
            (_, Action::Articles) => self.overlay = Some(Overlay::Articles { sel: self.cur }),
            (_, Action::Problems) => self.overlay = Some(Overlay::Problems { sel: 0 }),
            (_, Action::Help) => self.overlay = Some(Overlay::Help { scroll: 0 }),
            (_, Action::Quit) => self.quit = true,
            (_, Action::ForceQuit) => self.quit = true,
        }
        self.refresh();
    }

    fn update_overlay(&mut self, ov: Overlay, action: Action) {
        let rows = self.overlay_len(ov);
        let page = self.overlay_rect().map_or(1, |r| r.height.saturating_sub(3).max(1) as isize);
        let delta = match action {
            Action::Down => Some(1),
            Action::Up => Some(-1),
            Action::PageDown => Some(page),
            Action::PageUp => Some(-page),
            Action::Top => Some(isize::MIN / 2),
            Action::Bottom => Some(isize::MAX / 2),
            _ => None,
        };
        let step = |v: usize| -> usize {
            let d = delta.unwrap_or(0);
            (v as isize).saturating_add(d).clamp(0, rows.saturating_sub(1) as isize) as usize
        };
        match (ov, action) {
            (_, Action::Escape | Action::Quit) => self.overlay = None,
            (Overlay::Help { .. }, Action::Help) => self.overlay = None,
            (Overlay::Articles { .. }, Action::Articles) => self.overlay = None,
            (Overlay::Problems { .. }, Action::Problems) => self.overlay = None,
            (Overlay::Help { scroll }, _) if delta.is_some() => {
                let visible = self.overlay_rect().map_or(1, |r| r.height.saturating_sub(2) as usize);
                let max = rows.saturating_sub(visible);
                let d = delta.unwrap_or(0);
                let s = (scroll as isize).saturating_add(d).clamp(0, max as isize) as usize;
                self.overlay = Some(Overlay::Help { scroll: s });
            }
            (Overlay::Articles { sel }, _) if delta.is_some() => {
                self.overlay = Some(Overlay::Articles { sel: step(sel) })
            }
            (Overlay::Problems { sel }, _) if delta.is_some() => {
                self.overlay = Some(Overlay::Problems { sel: step(sel) })
            }
            (Overlay::Articles { sel }, Action::Confirm) => {
                self.overlay = None;
                self.open(sel);
            }
            (Overlay::Problems { sel }, Action::Confirm) => {
                self.overlay = None;
                self.open_problem(sel);
            }
            (Overlay::Help { .. }, Action::Confirm) => self.overlay = None,
            _ => {}
        }
    }

    /// Rows of an overlay's list.
    pub fn overlay_len(&self, ov: Overlay) -> usize {
        match ov {
            Overlay::Help { .. } => super::keymap::help_lines(self.overlay_inner_width(ov)).len(),
            Overlay::Articles { .. } => self.docs.len(),
            Overlay::Problems { .. } => self.problems.len().max(1),
        }
    }

    fn overlay_width(&self, ov: Overlay) -> u16 {
        let want_w = match ov {
            Overlay::Help { .. } => 84,
            _ => 90,
        };
        self.screen.width.saturating_sub(4).min(want_w)
    }

    /// Cells for text inside an overlay (two columns of border and padding on each side).
    pub fn overlay_inner_width(&self, ov: Overlay) -> usize {
        self.overlay_width(ov).saturating_sub(4) as usize
    }

    /// Where the open overlay is drawn (borders included).
    pub fn overlay_rect(&self) -> Option<Rect> {
        let ov = self.overlay?;
        let (w, h) = (self.screen.width, self.screen.height);
        let bw = self.overlay_width(ov);
        let rows = self.overlay_len(ov) as u16;
        let bh = h.saturating_sub(2).min(rows.saturating_add(2));
        if bw < 3 || bh < 3 {
            return None;
        }
        Some(Rect::new((w - bw) / 2, (h.saturating_sub(1) - bh) / 2, bw, bh))
    }

    fn page(&self) -> usize {
        self.height().saturating_sub(1).max(1)
    }

    fn pane_page(&self, p: PaneKind) -> usize {
        self.screen.panes.iter().find(|(k, _)| *k == p).map_or(5, |(_, r)| pane_rows(*r).saturating_sub(1).max(1))
    }

    /// Goes to the top or the end directly (laying out only the last screen, never the
    /// paragraphs in between).
    fn scroll_edge(&mut self, end: bool) {
        let (opts, h) = (self.opts(), self.height());
        let doc = self.doc_mut();
        let p = if end { doc.max_top(opts, h) } else { Pos::default() };
        doc.set_top(opts, p);
        if let Some(c) = doc.view.current {
            if !doc.shows(opts, h, c) {
                doc.view.current = None;
            }
        }
        self.sync_panes();
    }

    fn scroll_text(&mut self, delta: isize) {
        let (opts, h) = (self.opts(), self.height());
        let doc = self.doc_mut();
        doc.scroll(opts, h, delta);
        if let Some(c) = doc.view.current {
            if !doc.shows(opts, h, c) {
                doc.view.current = None;
            }
        }
        self.sync_panes();
    }

    /// Scrolls so the line showing byte `b` is a third of the way down, with no current
    /// annotation.
    pub fn scroll_to_byte(&mut self, b: usize) {
        let (opts, h) = (self.opts(), self.height());
        let doc = self.doc_mut();
        doc.view.current = None;
        let (lay, text) = doc.lay(opts);
        let p = lay.pos_of(text, b.min(text.len()));
        let t = lay.advance(text, p, -((h / 3) as isize));
        let max = doc.max_top(opts, h);
        doc.set_top(opts, t.min(max));
        self.sync_panes();
        self.refresh();
    }

    /// Makes annotation `i` current, scrolls it into view and moves the panes along.
    pub fn make_current(&mut self, i: u32) {
        let (opts, h) = (self.opts(), self.height());
        let doc = self.doc_mut();
        doc.view.current = Some(i);
        doc.scroll_into_view(opts, h, i);
        self.sync_panes();
    }

    /// Moves each pane's selection to the current annotation (when the pane lists it) or to the
    /// first row at the top of the view.
    fn sync_panes(&mut self) {
        let doc = self.doc_mut();
        let cur = doc.view.current;
        let anchor = doc.view.anchor;
        for p in PaneKind::ALL {
            let row = cur.and_then(|c| doc.pane_row_of(p, c)).or_else(|| doc.pane_row_at(p, anchor));
            if let Some(r) = row {
                let st = &mut doc.view.panes[p.index()];
                if st.selected != r {
                    st.follow = true;
                }
                st.selected = r;
            }
        }
    }

    fn pane_move(&mut self, p: PaneKind, delta: isize) {
        let len = self.doc().pane_len(p);
        if len == 0 {
            self.message = Some(format!("no {} in this article", p.title().to_lowercase()));
            return;
        }
        let st = self.doc().view.panes[p.index()];
        let row = (st.selected as isize).saturating_add(delta).clamp(0, len as isize - 1) as usize;
        self.select_row(p, row);
    }

    /// Selects a pane row: its annotation becomes current and the text scrolls to it.
    pub fn select_row(&mut self, p: PaneKind, row: usize) {
        let Some(a) = self.doc().pane_ann(p, row) else { return };
        let st = &mut self.doc_mut().view.panes[p.index()];
        st.selected = row;
        st.follow = true;
        self.make_current(a);
        // an entity row stands for its group: keep the row even if the mention maps elsewhere
        self.doc_mut().view.panes[p.index()].selected = row;
    }

    fn jump(&mut self, kind: Option<Kind>, forward: bool) {
        let d = self.doc();
        let list: &[u32] = match kind {
            Some(k) => d.list(k),
            None => &d.nav,
        };
        let what = kind.map_or("annotation", |k| k.as_str());
        let target = step(list, &d.article.annotations, d.view.current, d.view.anchor, forward);
        let empty = list.is_empty();
        match target {
            Some(t) => self.make_current(t),
            None => {
                let dir = if forward { "next" } else { "previous" };
                self.message =
                    Some(if empty { format!("no {what} in this article") } else { format!("no {dir} {what}") });
            }
        }
    }

    fn jump_same(&mut self, forward: bool) {
        let d = self.doc();
        let group = d.view.current.and_then(|c| d.group_of.get(c as usize).copied()).filter(|&g| g != u32::MAX);
        let Some(g) = group else {
            self.message = Some("no current entity: ]e or a click selects one".into());
            return;
        };
        let grp = &d.groups[g as usize];
        match step(&grp.mentions, &d.article.annotations, d.view.current, d.view.anchor, forward) {
            Some(t) => self.make_current(t),
            None => {
                let dir = if forward { "after" } else { "before" };
                let msg = format!("no mention of {} {dir} this one", grp.name);
                self.message = Some(msg);
            }
        }
    }

    fn set_focus(&mut self, f: Focus) {
        self.focus = f;
        if let Focus::Pane(p) = f {
            self.last_pane = p;
        }
    }

    fn cycle_focus(&mut self, forward: bool) {
        let order = [
            Focus::Text,
            Focus::Pane(PaneKind::Quotes),
            Focus::Pane(PaneKind::Figures),
            Focus::Pane(PaneKind::Entities),
        ];
        let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = order.len();
        let j = if forward { (i + 1) % n } else { (i + n - 1) % n };
        self.set_focus(order[j]);
    }

    /// Opens article `i` (its view is where it was left).
    pub fn open(&mut self, i: usize) {
        if i < self.docs.len() {
            self.cur = i;
            self.set_focus(Focus::Text);
            self.pending.clear();
            self.refresh();
            self.sync_panes();
        }
    }

    fn step_article(&mut self, delta: isize) {
        let n = self.docs.len() as isize;
        let i = self.cur as isize + delta;
        if i < 0 || i >= n {
            self.message =
                Some(if delta > 0 { "this is the last article".into() } else { "this is the first article".into() });
            return;
        }
        self.open(i as usize);
        let d = self.doc();
        self.message = Some(format!("article {}/{}: {}", self.cur + 1, n, d.file));
    }

    fn open_problem(&mut self, sel: usize) {
        let Some(p) = self.problems.get(sel).cloned() else { return };
        if let Some(d) = p.doc {
            self.open(d);
        }
        match p.ann {
            Some(a) => {
                let len = {
                    let an = &self.doc().article.annotations[a as usize];
                    an.end - an.start
                };
                if len == 0 {
                    // an empty span cannot be current: show where it would be
                    let b = self.doc().article.annotations[a as usize].start;
                    self.scroll_to_byte(b);
                    self.message = Some("the annotation has an empty span: shown where it would be".into());
                } else {
                    self.make_current(a);
                }
            }
            None => self.message = Some(p.text.clone()),
        }
    }

    /// Handles one mouse event.
    pub fn mouse(&mut self, m: Mouse) {
        self.message = None;
        self.pending.clear();
        if self.overlay.is_some() {
            self.mouse_overlay(m);
            self.refresh();
            return;
        }
        if !self.screen.usable {
            return;
        }
        let inside = |r: Rect| m.x >= r.x && m.x < r.right() && m.y >= r.y && m.y < r.bottom();
        if inside(self.screen.article) {
            match m.kind {
                MouseKind::ScrollDown => self.scroll_text(WHEEL_LINES as isize),
                MouseKind::ScrollUp => self.scroll_text(-(WHEEL_LINES as isize)),
                MouseKind::Click => {
                    self.set_focus(Focus::Text);
                    if let Some(a) = self.hit(m.x, m.y) {
                        self.make_current(a);
                    }
                }
            }
        } else if let Some(&(p, r)) = self.screen.panes.iter().find(|(_, r)| inside(*r)) {
            let rows = pane_rows(r);
            let len = self.doc().pane_len(p);
            match m.kind {
                MouseKind::ScrollDown | MouseKind::ScrollUp => {
                    let st = &mut self.doc_mut().view.panes[p.index()];
                    let max = len.saturating_sub(rows);
                    st.offset = if m.kind == MouseKind::ScrollDown {
                        (st.offset + WHEEL_LINES).min(max)
                    } else {
                        st.offset.saturating_sub(WHEEL_LINES)
                    };
                    st.follow = false;
                }
                MouseKind::Click => {
                    self.set_focus(Focus::Pane(p));
                    if m.y > r.y && m.y + 1 < r.bottom() {
                        let row = self.doc().view.panes[p.index()].offset + (m.y - r.y - 1) as usize;
                        if row < len {
                            self.select_row(p, row);
                        }
                    }
                }
            }
        }
        self.refresh();
    }

    fn mouse_overlay(&mut self, m: Mouse) {
        let (Some(ov), Some(r)) = (self.overlay, self.overlay_rect()) else {
            self.overlay = None;
            return;
        };
        match m.kind {
            MouseKind::ScrollDown | MouseKind::ScrollUp => {
                let a = if m.kind == MouseKind::ScrollDown { Action::Down } else { Action::Up };
                for _ in 0..WHEEL_LINES {
                    let now = self.overlay.unwrap_or(ov);
                    self.update_overlay(now, a);
                }
            }
            MouseKind::Click => {
                let inside = m.x >= r.x && m.x < r.right() && m.y > r.y && m.y + 1 < r.bottom();
                if !inside {
                    self.overlay = None;
                    return;
                }
                let visible = r.height.saturating_sub(2) as usize;
                let row = (m.y - r.y - 1) as usize;
                match ov {
                    Overlay::Articles { sel } => {
                        let i = list_offset(sel, self.docs.len(), visible) + row;
                        if i < self.docs.len() {
                            self.overlay = Some(Overlay::Articles { sel: i });
                            self.update_overlay(Overlay::Articles { sel: i }, Action::Confirm);
                        }
                    }
                    Overlay::Problems { sel } => {
                        let i = list_offset(sel, self.problems.len(), visible) + row;
                        if i < self.problems.len() {
                            self.update_overlay(Overlay::Problems { sel: i }, Action::Confirm);
                        }
                    }
                    Overlay::Help { .. } => {}
                }
            }
        }
    }

    /// The annotation drawn at a screen cell of the text (the innermost one), if any.
    pub fn hit(&self, x: u16, y: u16) -> Option<u32> {
        let t = self.screen.text;
        if y < t.y || x < t.x {
            return None;
        }
        let (_, vl) = self.screen.lines.get((y - t.y) as usize)?;
        let mut col = (x - t.x) as usize;
        match vl.role {
            Role::Text => {}
            Role::Framed => col = col.checked_sub(FRAME_INSET)?,
            _ => return None,
        }
        if vl.line.placeholder {
            return None;
        }
        let d = self.doc();
        let text = &d.article.text;
        let seg = text.get(vl.line.start..vl.line.end)?;
        let mut at = 0usize;
        let mut byte = None;
        for (o, g) in layout::graphemes(seg) {
            let w = layout::grapheme_width(g, self.theme.ambiwide);
            if col >= at && col < at + w {
                byte = Some(vl.line.start + o);
                break;
            }
            at += w;
        }
        let b = byte?;
        let anns = &d.article.annotations;
        d.index
            .overlapping(b..b + 1)
            .into_iter()
            .filter(|&i| anns[i as usize].start <= b && b < anns[i as usize].end)
            .min_by(|&i, &j| {
                let (x, y) = (&anns[i as usize], &anns[j as usize]);
                (x.end - x.start).cmp(&(y.end - y.start)).then(y.kind.precedence().cmp(&x.kind.precedence()))
            })
    }
}

/// The next (or previous) element of `list` (annotation indices in reading order) after the
/// current annotation, or from byte `anchor` (the top of the view) when there is none.
fn step(list: &[u32], anns: &[Annotation], current: Option<u32>, anchor: usize, forward: bool) -> Option<u32> {
    let i = match current {
        Some(c) if forward => list.partition_point(|&i| i <= c),
        Some(c) => list.partition_point(|&i| i < c),
        None => list.partition_point(|&i| anns[i as usize].start < anchor),
    };
    if forward {
        list.get(i).copied()
    } else {
        i.checked_sub(1).map(|j| list[j])
    }
}

/// Rows inside a bordered pane.
pub fn pane_rows(r: Rect) -> usize {
    r.height.saturating_sub(2) as usize
}

/// The first row to show so that `sel` is visible, moving `offset` as little as possible.
pub fn follow_offset(offset: usize, sel: usize, rows: usize, len: usize) -> usize {
    if rows == 0 {
        return 0;
    }
    let max = len.saturating_sub(rows);
    let o = if sel < offset {
        sel
    } else if sel >= offset + rows {
        sel + 1 - rows
    } else {
        offset
    };
    o.min(max)
}

/// The first row of a list of `len` rows, `visible` at a time, that shows `sel`.
pub fn list_offset(sel: usize, len: usize, visible: usize) -> usize {
    if visible == 0 {
        return 0;
    }
    follow_offset(0, sel, visible, len)
}

/// Where everything goes on a `w`×`h` terminal.
///
/// Wide (80 columns or more): the text on the left, the three panes stacked on the right.
/// Narrower but tall: one pane (the focused one, else the last focused) under the text. Short
/// and narrow: no pane until one is focused, then it takes the lower half. The text keeps at
/// least one line; below [`MIN_WIDTH`]×[`MIN_HEIGHT`] the screen is not usable.
pub fn geometry(w: u16, h: u16, focus: Focus, last_pane: PaneKind) -> Screen {
    let mut s = Screen { width: w, height: h, ..Default::default() };
    if w < MIN_WIDTH || h < MIN_HEIGHT {
        return s;
    }
    s.usable = true;
    s.status = Rect::new(0, h - 1, w, 1);
    let main_h = h - 1;
    let shown = match focus {
        Focus::Pane(p) => p,
        Focus::Text => last_pane,
    };
    if w >= 80 {
        let side_w = (w * 34 / 100).clamp(28, 48);
        s.article = Rect::new(0, 0, w - side_w, main_h);
        let x = w - side_w;
        if main_h >= 9 {
            let h1 = main_h / 3;
            let h2 = main_h / 3;
            s.panes = vec![
                (PaneKind::Quotes, Rect::new(x, 0, side_w, h1)),
                (PaneKind::Figures, Rect::new(x, h1, side_w, h2)),
                (PaneKind::Entities, Rect::new(x, h1 + h2, side_w, main_h - h1 - h2)),
            ];
        } else {
            s.panes = vec![(shown, Rect::new(x, 0, side_w, main_h))];
        }
    } else if main_h >= 17 {
        let ph = (main_h / 3).clamp(5, 10);
        s.article = Rect::new(0, 0, w, main_h - ph);
        s.panes = vec![(shown, Rect::new(0, main_h - ph, w, ph))];
    } else if let Focus::Pane(p) = focus {
        let ph = (main_h / 2).max(3);
        s.article = Rect::new(0, 0, w, main_h - ph);
        s.panes = vec![(p, Rect::new(0, main_h - ph, w, ph))];
    } else {
        s.article = Rect::new(0, 0, w, main_h);
    }
    let a = s.article;
    // border + one column of padding on the left; one spare column + border on the right
    s.text = Rect::new(a.x + 2, a.y + 1, a.width.saturating_sub(4), a.height.saturating_sub(2));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use gisa::ingest::load_native_file;

    fn fixture(name: &str) -> (String, Loaded) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui").join(name);
        let loaded = load_native_file(&path).expect("fixture loads");
        (name.to_string(), loaded)
    }

    fn app(name: &str, w: u16, h: u16) -> App {
        let mut a = App::new(vec![fixture(name)], &Options::default());
        a.resize(w, h);
        a
    }

    fn keys(a: &mut App, s: &str) {
        for k in s.split(' ').filter(|k| !k.is_empty()) {
            for key in Key::parse_seq(&k.replace('_', " ")).unwrap_or_else(|| panic!("bad key {k}")) {
                a.key(key);
            }
        }
    }

    fn cur_id(a: &App) -> Option<String> {
        a.current().map(|c| a.doc().article.annotations[c as usize].id.clone())
    }

    #[test]
    fn n_walks_annotations_in_reading_order_from_the_top() {
        let mut a = app("article.json", 100, 30);
        assert_eq!(a.current(), None);
        let order: Vec<String> =
            a.doc().nav.iter().map(|&i| a.doc().article.annotations[i as usize].id.clone()).collect();
        assert_eq!(&order[..6], ["e1", "f1", "p1", "e2", "q1", "f2"]);
        for expected in &order[..6] {
            keys(&mut a, "n");
            assert_eq!(cur_id(&a).as_deref(), Some(expected.as_str()));
        }
        keys(&mut a, "N N");
        assert_eq!(cur_id(&a).as_deref(), Some("e2"));
        assert_eq!(a.current_label().as_deref(), Some("entity 3/12"), "e1, p1, e2: the third of 12 entities");
    }

    #[test]
    fn kind_jumps_and_status_label() {
        let mut a = app("article.json", 100, 30);
        keys(&mut a, "]_q ]_q");
        assert_eq!(cur_id(&a).as_deref(), Some("q2"));
        assert_eq!(a.current_label().as_deref(), Some("quote 2/5"));
        keys(&mut a, "]_f");
        assert_eq!(cur_id(&a).as_deref(), Some("f3"), "the figure nested in q2 comes next");
        keys(&mut a, "[_q");
        assert_eq!(cur_id(&a).as_deref(), Some("q2"));
        keys(&mut a, "]_c");
        assert_eq!(cur_id(&a).as_deref(), Some("c1"));
        keys(&mut a, "]_c");
        assert_eq!(cur_id(&a).as_deref(), Some("c1"), "no next caption: stays");
        assert_eq!(a.message.as_deref(), Some("no next caption"));
    }

    #[test]
    fn same_entity_mentions() {
        let mut a = app("article.json", 100, 30);
        keys(&mut a, "n");
        assert_eq!(cur_id(&a).as_deref(), Some("e1"));
        keys(&mut a, "*");
        assert_eq!(cur_id(&a).as_deref(), Some("e2"));
        keys(&mut a, "*");
        assert_eq!(cur_id(&a).as_deref(), Some("e3"));
        keys(&mut a, "*");
        assert_eq!(cur_id(&a).as_deref(), Some("e3"));
        assert!(a.message.as_deref().unwrap_or("").contains("서울시"));
        keys(&mut a, "# #");
        assert_eq!(cur_id(&a).as_deref(), Some("e1"));
        // p1 (김하늘) and p3 (김하늘 정책관) share a canonical name
        keys(&mut a, "]_e");
        assert_eq!(cur_id(&a).as_deref(), Some("p1"));
        keys(&mut a, "*");
        assert_eq!(cur_id(&a).as_deref(), Some("p3"));
        // not an entity: a message, nothing moves
        keys(&mut a, "]_q *");
        assert!(a.message.as_deref().unwrap_or("").starts_with("no current entity"));
    }

    #[test]
    fn tab_focus_cycle_and_pane_selection_moves_the_text() {
        let mut a = app("article.json", 100, 12);
        keys(&mut a, "Tab");
        assert_eq!(a.focus, Focus::Pane(PaneKind::Quotes));
        keys(&mut a, "j j");
        assert_eq!(cur_id(&a).as_deref(), Some("q3"));
        assert_eq!(a.doc().view.panes[0].selected, 2);
        assert!(a.doc().view.top > Pos::default(), "the text scrolled to the quote");
        let shown: Vec<u32> = a
            .screen
            .lines
            .iter()
            .flat_map(|(_, l)| a.doc().index.overlapping(l.line.start..l.line.end.max(l.line.start + 1)))
            .collect();
        assert!(shown.contains(&a.current().unwrap()), "the current annotation is in view");
        // the other panes moved along: figures at or after the top of the view
        let fig_sel = a.doc().view.panes[1].selected;
        let fig = a.doc().pane_ann(PaneKind::Figures, fig_sel).unwrap();
        assert!(a.doc().article.annotations[fig as usize].start >= a.doc().view.anchor);
        keys(&mut a, "Tab Tab Tab");
        assert_eq!(a.focus, Focus::Text);
        keys(&mut a, "S-Tab");
        assert_eq!(a.focus, Focus::Pane(PaneKind::Entities));
        keys(&mut a, "g");
        assert_eq!(cur_id(&a).as_deref(), Some("e1"), "first entity group: 서울시, first mention");
        keys(&mut a, "j");
        assert_eq!(cur_id(&a).as_deref(), Some("p1"));
        keys(&mut a, "Enter");
        assert_eq!(a.focus, Focus::Text);
        assert_eq!(cur_id(&a).as_deref(), Some("p1"));
    }

    #[test]
    fn scrolling_moves_pane_selections_and_drops_a_hidden_current() {
        let mut a = app("article.json", 60, 12);
        keys(&mut a, "n");
        assert_eq!(cur_id(&a).as_deref(), Some("e1"));
        keys(&mut a, "G");
        assert_eq!(a.current(), None, "the current annotation scrolled out of view");
        assert_eq!(a.screen.percent, 100);
        let q = a.doc().view.panes[0].selected;
        assert_eq!(q, 4, "Quotes follow the view to the last quote");
        keys(&mut a, "g");
        assert_eq!(a.doc().view.top, Pos::default());
        assert_eq!(a.doc().view.panes[0].selected, 0);
        keys(&mut a, "Space");
        assert_eq!(a.doc().view.top, a.screen.lines[0].0);
        assert!(a.doc().view.top > Pos::default());
        // from no current annotation, n starts at the top of the view
        let anchor = a.doc().view.anchor;
        keys(&mut a, "n");
        let c = a.current().unwrap();
        assert!(a.doc().article.annotations[c as usize].start >= anchor);
        keys(&mut a, "Esc");
        assert_eq!(a.current(), None);
    }

    #[test]
    fn bottom_is_clamped_and_page_moves() {
        let mut a = app("article.json", 40, 12);
        keys(&mut a, "G");
        let bottom = a.doc().view.top;
        keys(&mut a, "j j Space");
        assert_eq!(a.doc().view.top, bottom, "cannot scroll past the end");
        assert_eq!(a.screen.lines.len(), a.screen.text.height as usize);
        keys(&mut a, "b");
        assert!(a.doc().view.top < bottom);
        keys(&mut a, "k");
        keys(&mut a, "g k");
        assert_eq!(a.doc().view.top, Pos::default());
    }

    #[test]
    fn resize_keeps_the_top_text_and_the_current_annotation() {
        let mut a = app("article.json", 100, 30);
        keys(&mut a, "]_q ]_q ]_q ]_q");
        assert_eq!(cur_id(&a).as_deref(), Some("q4"));
        for (w, h) in [(40, 12), (21, 7), (1, 1), (0, 0), (300, 5), (60, 20), (100, 30)] {
            a.resize(w, h);
            if a.screen.usable {
                let c = a.current().unwrap();
                let d = a.doc();
                let shown = a.screen.lines.iter().any(|(_, l)| {
                    let an = &d.article.annotations[c as usize];
                    l.line.start < an.end && an.start < l.line.end.max(l.line.start + 1)
                });
                assert!(shown, "q4 visible at {w}x{h}");
            }
        }
        assert_eq!(cur_id(&a).as_deref(), Some("q4"));
    }

    #[test]
    fn pending_sequences_and_unbound_keys() {
        let mut a = app("article.json", 100, 30);
        keys(&mut a, "]");
        assert_eq!(a.pending, vec![Key::Char(']')]);
        keys(&mut a, "Esc");
        assert!(a.pending.is_empty());
        assert_eq!(a.current(), None);
        keys(&mut a, "] z");
        assert!(a.pending.is_empty());
        assert!(a.message.as_deref().unwrap().contains("]z"));
        keys(&mut a, "Z");
        assert!(a.message.is_some());
    }

    #[test]
    fn overlays_help_articles_problems() {
        let mut a = App::new(vec![fixture("two.jsonl")], &Options::default());
        a.resize(100, 30);
        assert_eq!(a.docs.len(), 2);
        keys(&mut a, "?");
        assert!(matches!(a.overlay, Some(Overlay::Help { .. })));
        keys(&mut a, "j j");
        assert_eq!(a.overlay, Some(Overlay::Help { scroll: 2 }));
        keys(&mut a, "q");
        assert_eq!(a.overlay, None);
        assert!(!a.quit, "q closes the overlay first");
        keys(&mut a, "]_a");
        assert_eq!(a.cur, 1);
        keys(&mut a, "]_a");
        assert_eq!(a.cur, 1);
        assert_eq!(a.message.as_deref(), Some("this is the last article"));
        keys(&mut a, "a");
        assert_eq!(a.overlay, Some(Overlay::Articles { sel: 1 }));
        keys(&mut a, "k Enter");
        assert_eq!(a.overlay, None);
        assert_eq!(a.cur, 0);
        // the flagged span (잠실 claims 잠실역) is reachable from the problems list
        keys(&mut a, "]_a w");
        assert!(matches!(a.overlay, Some(Overlay::Problems { sel: 0 })));
        let row = a.problems.iter().position(|p| p.text.contains("l3")).unwrap();
        for _ in 0..row {
            keys(&mut a, "j");
        }
        keys(&mut a, "Enter");
        assert_eq!(a.cur, 0);
        assert_eq!(cur_id(&a).as_deref(), Some("l3"));
        assert!(a.doc().article.annotations[a.current().unwrap() as usize].is_flagged());
        keys(&mut a, "C-c");
        assert!(a.quit);
    }

    #[test]
    fn views_are_kept_per_article() {
        let mut a = App::new(vec![fixture("two.jsonl")], &Options::default());
        a.resize(100, 30);
        keys(&mut a, "]_q ]_q");
        keys(&mut a, "]_a n");
        assert_eq!(cur_id(&a).as_deref(), Some("o1"));
        keys(&mut a, "[_a");
        assert_eq!(cur_id(&a).as_deref(), Some("q2"));
    }

    #[test]
    fn mouse_click_on_highlight_and_pane_row_and_wheel() {
        let mut a = app("article.json", 100, 30);
        // find the screen cell of q3's first character
        let q3 = a.doc().article.annotations.iter().position(|x| x.id == "q3").unwrap() as u32;
        let start = a.doc().article.annotations[q3 as usize].start;
        let (row, vl) = a
            .screen
            .lines
            .iter()
            .enumerate()
            .find(|(_, (_, l))| l.line.start <= start && start < l.line.end)
            .map(|(i, (_, l))| (i, *l))
            .unwrap();
        let col = gisa::layout::str_width(&a.doc().article.text[vl.line.start..start], false) as u16;
        let (x, y) = (a.screen.text.x + col + 1, a.screen.text.y + row as u16);
        a.mouse(Mouse { kind: MouseKind::Click, x, y });
        assert_eq!(a.current(), Some(q3));
        // click on the Figures pane's third row
        let (_, r) = *a.screen.panes.iter().find(|(p, _)| *p == PaneKind::Figures).unwrap();
        a.mouse(Mouse { kind: MouseKind::Click, x: r.x + 3, y: r.y + 3 });
        assert_eq!(a.focus, Focus::Pane(PaneKind::Figures));
        assert_eq!(cur_id(&a).as_deref(), Some("f3"));
        // wheel over the text scrolls it, over a pane scrolls the pane (not its selection)
        let mut a = app("article.json", 100, 16);
        a.mouse(Mouse { kind: MouseKind::ScrollDown, x: 5, y: 5 });
        let three = a.doc_lines_from_top(3);
        assert_eq!(a.doc().view.top, three);
        let (_, r) = *a.screen.panes.iter().find(|(p, _)| *p == PaneKind::Entities).unwrap();
        assert_eq!(pane_rows(r), 3);
        let sel = a.doc().view.panes[2].selected;
        a.mouse(Mouse { kind: MouseKind::ScrollDown, x: r.x + 2, y: r.y + 2 });
        assert_eq!(a.doc().view.panes[2].offset, 3);
        a.mouse(Mouse { kind: MouseKind::ScrollDown, x: r.x + 2, y: r.y + 2 });
        assert_eq!(a.doc().view.panes[2].offset, 5, "clamped: 8 groups, 3 rows");
        assert_eq!(a.doc().view.panes[2].selected, sel);
        a.mouse(Mouse { kind: MouseKind::ScrollUp, x: r.x + 2, y: r.y + 2 });
        assert_eq!(a.doc().view.panes[2].offset, 2);
        // a click on the second visible row selects row 3: 여의도 (서울시, 김하늘, 마곡, 여의도)
        a.mouse(Mouse { kind: MouseKind::Click, x: r.x + 2, y: r.y + 2 });
        assert_eq!(cur_id(&a).as_deref(), Some("l2"));
        assert_eq!(a.doc().view.panes[2].selected, 3);
    }

    impl App {
        /// The position `n` lines below the top of the document (tests).
        fn doc_lines_from_top(&mut self, n: isize) -> Pos {
            let opts = self.opts();
            let (lay, text) = self.doc_mut().lay(opts);
            lay.advance(text, Pos::default(), n)
        }
    }

    #[test]
    fn entity_groups_and_speakers() {
        let a = app("article.json", 100, 30);
        let d = a.doc();
        let names: Vec<(&str, usize)> = d.groups.iter().map(|g| (g.name.as_str(), g.mentions.len())).collect();
        assert_eq!(names[0], ("서울시", 3));
        assert_eq!(names[1], ("김하늘", 2));
        assert!(names.contains(&("여의도", 2)));
        assert!(d.groups.iter().any(|g| g.name == "잠실" && g.flagged));
        for &q in d.list(Kind::Quote) {
            assert_eq!(d.speaker(q), d.article.speaker_name(&d.article.annotations[q as usize]));
        }
        assert_eq!(d.speaker(d.list(Kind::Quote)[2]).as_deref(), Some("박도윤"));
    }

    #[test]
    fn speakers_match_the_articles_own_lookup() {
        let text = "김 장관은 “가”라고 했다. 관계자는 “나”라고 했다. 박 의원은 “다”라고 했다.";
        let at = |s: &str| (text.find(s).unwrap(), text.find(s).unwrap() + s.len());
        let mut a = Article::from_text("s", text);
        let mk = |id: &str, k: Kind, s: &str| {
            let (st, en) = at(s);
            Annotation::new(id, k, "X", st, en)
        };
        let mut q1 = mk("q1", Kind::Quote, "“가”");
        q1.speaker = Some("e1".into());
        let mut q2 = mk("q2", Kind::Quote, "“나”");
        q2.speaker = Some("nobody".into());
        q2.speaker_text = Some("관계자".into());
        let mut q3 = mk("q3", Kind::Quote, "“다”");
        q3.speaker = Some("e2".into());
        let mut e2 = mk("e2", Kind::Entity, "박 의원");
        e2.canonical = Some("박민수".into());
        a.annotations = vec![mk("e1", Kind::Entity, "김 장관"), q1, q2, e2, q3];
        gisa::ingest::validate(&mut a);
        let d = Doc::new("s".into(), a.clone());
        for &q in d.list(Kind::Quote) {
            assert_eq!(d.speaker(q), a.speaker_name(&a.annotations[q as usize]));
        }
        assert_eq!(d.speaker(d.list(Kind::Quote)[2]).as_deref(), Some("박민수"));
        // a duplicated id: the article's own rule (first in reading order) decides
        let mut dup = a.clone();
        let mut again = dup.annotations[0].clone();
        again.canonical = Some("다른 사람".into());
        again.start = text.len() - 3;
        again.end = text.len();
        dup.annotations.push(again);
        gisa::ingest::validate(&mut dup);
        let d = Doc::new("d".into(), dup.clone());
        for &q in d.list(Kind::Quote) {
            assert_eq!(d.speaker(q), dup.speaker_name(&dup.annotations[q as usize]));
        }
    }

    #[test]
    fn geometry_at_many_sizes() {
        for w in 0..130u16 {
            for h in 0..40u16 {
                for focus in [Focus::Text, Focus::Pane(PaneKind::Figures)] {
                    let s = geometry(w, h, focus, PaneKind::Quotes);
                    if !s.usable {
                        assert!(w < MIN_WIDTH || h < MIN_HEIGHT);
                        continue;
                    }
                    assert!(s.text.width >= 16 && s.text.height >= 1, "{w}x{h} {s:?}");
                    assert!(s.article.right() <= w && s.article.bottom() < h);
                    for (_, r) in &s.panes {
                        assert!(r.right() <= w && r.bottom() < h && !r.intersects(s.article), "{w}x{h}");
                    }
                    if let Focus::Pane(p) = focus {
                        assert!(s.panes.iter().any(|(k, _)| *k == p), "the focused pane shows at {w}x{h}");
                    }
                }
            }
        }
    }
}
