//! Whole-screen tests on ratatui's `TestBackend`: insta snapshots, per-cell styles, and
//! invariants checked against a model of a terminal that receives exactly the cells the
//! crossterm backend would send.

use std::path::Path;

use gisa::ingest::{load_native_file, Loaded};
use gisa::layout::{grapheme_width, graphemes};
use ratatui::backend::TestBackend;
use ratatui::buffer::{Buffer, CellDiffOption, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;
use unicode_width::UnicodeWidthStr;

use super::paint::is_unsafe_char;
use crate::tui::app::{App, Focus, Options, PaneKind};
use crate::tui::keymap::Key;

fn fixture(name: &str) -> (String, Loaded) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui").join(name);
    (name.to_string(), load_native_file(&path).expect("fixture loads"))
}

fn samples() -> Vec<(String, Loaded)> {
    gisa::samples::SAMPLES
        .iter()
        .map(|(n, c)| (n.to_string(), gisa::samples::load(n, c).expect("sample loads")))
        .collect()
}

fn new_app(files: Vec<(String, Loaded)>, ambiwide: bool) -> App {
    App::new(files, &Options { ambiwide, errors: Vec::new() })
}

fn keys(app: &mut App, s: &str) {
    for k in s.split(' ').filter(|k| !k.is_empty()) {
        for key in Key::parse_seq(&k.replace('_', " ")).expect("key") {
            app.key(key);
        }
    }
}

/// The whole screen as text, one quoted row per line (wide glyphs once, as a terminal shows
/// them); for snapshots.
fn draw(app: &mut App, w: u16, h: u16) -> String {
    let buf = screen(app, w, h);
    (0..h).map(|y| format!("\"{}\"\n", row_text(&buf, y))).collect()
}

/// The frame drawn (not the backend's buffer, which keeps stale cells the diff skipped).
fn screen(app: &mut App, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| super::draw(app, f)).expect("draw").buffer.clone()
}

// ---------------------------------------------------------------- snapshots

#[test]
fn snapshot_article_100x30() {
    let mut app = new_app(vec![fixture("article.json")], false);
    insta::assert_snapshot!("article_100x30", draw(&mut app, 100, 30));
    keys(&mut app, "]_q ]_q Tab j");
    insta::assert_snapshot!("article_100x30_quote3_pane", draw(&mut app, 100, 30));
}

#[test]
fn snapshot_article_40x12() {
    let mut app = new_app(vec![fixture("article.json")], false);
    insta::assert_snapshot!("article_40x12", draw(&mut app, 40, 12));
    keys(&mut app, "Tab Tab j");
    insta::assert_snapshot!("article_40x12_figures", draw(&mut app, 40, 12));
}

#[test]
fn snapshot_wide_ambiguous_mode_uses_ascii_borders() {
    let mut app = new_app(vec![fixture("article.json")], true);
    insta::assert_snapshot!("article_100x30_ambiwide", draw(&mut app, 100, 30));
}

#[test]
fn snapshot_help_and_lists() {
    let mut app = new_app(vec![fixture("two.jsonl")], false);
    keys(&mut app, "?");
    insta::assert_snapshot!("help_100x30", draw(&mut app, 100, 30));
    keys(&mut app, "Esc a");
    insta::assert_snapshot!("articles_100x30", draw(&mut app, 100, 30));
    keys(&mut app, "Esc w");
    insta::assert_snapshot!("problems_100x30", draw(&mut app, 100, 30));
}

#[test]
fn snapshot_samples() {
    let mut app = new_app(samples(), false);
    insta::assert_snapshot!("samples_100x30", draw(&mut app, 100, 30));
    insta::assert_snapshot!("samples_40x12", draw(&mut app, 40, 12));
}

#[test]
fn snapshot_too_small() {
    let mut app = new_app(vec![fixture("article.json")], false);
    insta::assert_snapshot!("too_small_18x5", draw(&mut app, 18, 5));
}

// ---------------------------------------------------------------- per-cell styles

/// The screen cell of each grapheme of the visible text: `(x, y, byte range)`.
fn text_cells(app: &App) -> Vec<(u16, u16, std::ops::Range<usize>)> {
    let t = app.screen.text;
    let text = &app.doc().article.text;
    let mut out = Vec::new();
    for (i, (_, vl)) in app.screen.lines.iter().enumerate() {
        let mut x = t.x;
        match vl.role {
            gisa::layout::Role::Text => {}
            gisa::layout::Role::Framed => x += gisa::layout::FRAME_INSET as u16,
            _ => continue,
        }
        let y = t.y + i as u16;
        for (o, g) in graphemes(&text[vl.line.start..vl.line.end]) {
            let w = grapheme_width(g, app.theme.ambiwide) as u16;
            if w > 0 {
                let s = vl.line.start + o;
                out.push((x, y, s..s + g.len()));
            }
            x += w;
        }
    }
    out
}

fn ann_index(app: &App, id: &str) -> usize {
    app.doc().article.annotations.iter().position(|a| a.id == id).expect("annotation")
}

fn cells_of(app: &App, id: &str) -> Vec<(u16, u16)> {
    let a = &app.doc().article.annotations[ann_index(app, id)];
    text_cells(app).into_iter().filter(|(_, _, r)| r.start < a.end && a.start < r.end).map(|(x, y, _)| (x, y)).collect()
}

#[test]
fn highlight_styles_per_kind_and_nesting() {
    let mut app = new_app(vec![fixture("article.json")], false);
    let buf = screen(&mut app, 100, 30);
    let st = |(x, y): (u16, u16)| buf[(x, y)].style();
    // entity: cyan bold
    let e1 = cells_of(&app, "e1");
    assert_eq!(e1.len(), 3, "서울시");
    for c in &e1 {
        assert_eq!(st(*c).fg, Some(Color::Cyan));
        assert!(st(*c).add_modifier.contains(Modifier::BOLD));
    }
    // a figure inside a quote: the figure's colour and the quote's underline
    for c in cells_of(&app, "f2") {
        assert_eq!(st(c).fg, Some(Color::Yellow));
        assert!(st(c).add_modifier.contains(Modifier::UNDERLINED));
    }
    // quote text outside nested spans: green, underlined
    let q1 = cells_of(&app, "q1");
    let f2 = cells_of(&app, "f2");
    let plain_q: Vec<_> = q1.iter().filter(|c| !f2.contains(c)).collect();
    assert!(plain_q.len() > 10);
    for c in plain_q {
        assert_eq!(st(*c).fg, Some(Color::Green));
        assert!(st(*c).add_modifier.contains(Modifier::UNDERLINED));
    }
    // caption: italic; the flagged entity: red background
    for c in cells_of(&app, "c1") {
        assert!(st(c).add_modifier.contains(Modifier::ITALIC));
    }
    let l3 = cells_of(&app, "l3");
    assert_eq!(l3.len(), 2);
    for c in l3 {
        assert_eq!(st(c).bg, Some(Color::Red));
    }
    // text covered by no annotation has no highlight
    let anns = &app.doc().article.annotations;
    for (x, y, r) in text_cells(&app) {
        if !anns.iter().any(|a| r.start < a.end && a.start < r.end) {
            let s = buf[(x, y)].style();
            assert!(s.fg.is_none_or(|c| c == Color::Reset) && s.add_modifier.is_empty(), "{x},{y}");
        }
    }
}

#[test]
fn current_annotation_is_reverse_video_exactly() {
    let mut app = new_app(vec![fixture("article.json")], false);
    keys(&mut app, "]_q");
    let buf = screen(&mut app, 100, 30);
    let q1 = cells_of(&app, "q1");
    assert!(q1.len() > 20);
    for (x, y, _) in text_cells(&app) {
        let rev = buf[(x, y)].modifier.contains(Modifier::REVERSED);
        assert_eq!(rev, q1.contains(&(x, y)), "cell {x},{y}");
    }
    assert!(row_text(&buf, 29).contains("quote 1/5"), "{}", row_text(&buf, 29));
    // and the selected Quotes row is bold (the pane is not focused)
    keys(&mut app, "Tab");
    let buf = screen(&mut app, 100, 30);
    let (_, r) = *app.screen.panes.iter().find(|(p, _)| *p == PaneKind::Quotes).unwrap();
    assert!(buf[(r.x + 1, r.y + 1)].modifier.contains(Modifier::REVERSED), "focused pane: selection reversed");
    assert_eq!(buf[(r.x + 1, r.y + 1)].symbol(), ">");
}

// ---------------------------------------------------------------- terminal model

fn row_text(buf: &Buffer, y: u16) -> String {
    let mut s = String::new();
    let mut skip = 0;
    for x in 0..buf.area.width {
        let c = &buf[(x, y)];
        if skip == 0 {
            s.push_str(c.symbol());
        }
        skip = skip.max(c.cell_width()).saturating_sub(1);
    }
    s
}

/// Width a terminal gives a symbol (unicode-width per cluster; ambiguous wide or not).
fn term_width(sym: &str, ambiwide: bool) -> usize {
    if ambiwide {
        sym.width_cjk()
    } else {
        sym.width()
    }
}

/// A terminal emulator model: a grid of cells; `""` marks the right half of a wide glyph.
struct VTerm {
    w: usize,
    grid: Vec<Vec<String>>,
    ambiwide: bool,
}

impl VTerm {
    fn new(w: u16, h: u16, ambiwide: bool) -> Self {
        VTerm { w: w as usize, grid: vec![vec![" ".to_string(); w as usize]; h as usize], ambiwide }
    }

    /// Blanks the whole glyph that covers column `x` (terminals erase a wide glyph when any
    /// of its cells is overwritten).
    fn erase_at(&mut self, x: usize, y: usize) {
        let row = &mut self.grid[y];
        let mut s = x;
        while s > 0 && row[s].is_empty() {
            s -= 1;
        }
        row[s] = " ".into();
        let mut k = s + 1;
        while k < self.w && row[k].is_empty() {
            row[k] = " ".into();
            k += 1;
        }
    }

    fn put(&mut self, x: usize, y: usize, sym: &str) -> usize {
        let tw = term_width(sym, self.ambiwide).max(1);
        if x >= self.w {
            return x;
        }
        for k in 0..tw.min(self.w - x) {
            self.erase_at(x + k, y);
        }
        let row = &mut self.grid[y];
        for k in 0..tw {
            if x + k < self.w {
                row[x + k] = if k == 0 { sym.to_string() } else { String::new() };
            }
        }
        x + tw
    }

    /// Applies what the crossterm backend sends for `prev -> next`: it moves the cursor only
    /// when the next changed cell is not right after the last one written.
    fn apply(&mut self, prev: &Buffer, next: &Buffer) {
        let mut last: Option<(u16, u16)> = None;
        let (mut cx, mut cy) = (0usize, 0usize);
        for (x, y, cell) in prev.diff(next) {
            if !matches!(last, Some((lx, ly)) if x == lx + 1 && y == ly) {
                cx = x as usize;
                cy = y as usize;
            }
            last = Some((x, y));
            cx = self.put(cx, cy, cell.symbol());
        }
    }

    /// What the screen should show for `buf`, in the same grid form.
    fn expected(buf: &Buffer, ambiwide: bool) -> Vec<Vec<String>> {
        let (w, h) = (buf.area.width, buf.area.height);
        let mut v = VTerm::new(w, h, ambiwide);
        for y in 0..h {
            let mut x = 0u16;
            while x < w {
                let c = &buf[(x, y)];
                v.put(x as usize, y as usize, c.symbol());
                x += c.cell_width().max(1);
            }
        }
        v.grid
    }
}

/// Renders the sequence of states into one TestBackend terminal and the terminal model,
/// checking after each frame that the model shows exactly the buffer and that every border
/// sits in its column.
fn check_frames(app: &mut App, w: u16, h: u16, steps: &[&str]) {
    let amb = app.theme.ambiwide;
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut vt = VTerm::new(w, h, amb);
    let mut prev = Buffer::empty(Rect::new(0, 0, w, h));
    for (i, step) in steps.iter().enumerate() {
        keys(app, step);
        let buf = term.draw(|f| super::draw(app, f)).unwrap().buffer.clone();
        vt.apply(&prev, &buf);
        let expected = VTerm::expected(&buf, amb);
        for (y, (got, want)) in vt.grid.iter().zip(&expected).enumerate() {
            assert_eq!(got, want, "{w}x{h} ambiwide={amb} step {i} ({step}) row {y}: terminal != buffer");
        }
        check_borders(app, &vt.grid, w, h);
        check_symbols(&buf);
        prev = buf;
    }
}

fn check_borders(app: &App, grid: &[Vec<String>], w: u16, h: u16) {
    if !app.screen.usable {
        return;
    }
    let g = app.theme.glyphs();
    let mut rects: Vec<Rect> = vec![app.screen.article];
    rects.extend(app.screen.panes.iter().map(|(_, r)| *r));
    let overlay = app.overlay_rect();
    rects.extend(overlay);
    let hidden = |r: Rect, x: u16, y: u16| {
        Some(r) != overlay && overlay.is_some_and(|o| o.contains(ratatui::layout::Position { x, y }))
    };
    for r in rects {
        for y in r.top()..r.bottom() {
            let edge = y == r.top() || y + 1 == r.bottom();
            let ok = |s: &str| if edge { [g[0], g[2], g[4], g[5]].contains(&s) } else { s == g[3] };
            for x in [r.left(), r.right() - 1] {
                if !hidden(r, x, y) {
                    let cell = &grid[y as usize][x as usize];
                    assert!(ok(cell), "{w}x{h}: border of {r:?} moved on row {y}: {:?}", grid[y as usize].concat());
                }
            }
        }
    }
}

fn check_symbols(buf: &Buffer) {
    for c in &buf.content {
        assert!(!c.symbol().chars().any(is_unsafe_char), "unsafe symbol {:?}", c.symbol());
    }
    for y in 0..buf.area.height {
        let row = row_text(buf, y);
        assert!(!row.contains("[31m") && !row.contains("]52;"), "escape sequence leaked: {row}");
    }
}

const STEPS: &[&str] = &["", "n", "n n n", "Space", "G", "]_q", "Tab j", "?", "Esc g"];

#[test]
fn borders_hold_and_terminal_matches_buffer_at_many_widths_narrow() {
    for w in (20..=120).step_by(7).chain([21, 39, 40, 79, 80, 81]) {
        for h in [7, 12, 24, 30] {
            let mut app = new_app(vec![fixture("cjk.json"), fixture("article.json")], false);
            check_frames(&mut app, w, h, STEPS);
        }
    }
}

#[test]
fn borders_hold_and_terminal_matches_buffer_at_many_widths_ambiwide() {
    for w in (20..=120).step_by(9).chain([40, 80]) {
        for h in [7, 12, 30] {
            let mut app = new_app(vec![fixture("cjk.json"), fixture("article.json")], true);
            check_frames(&mut app, w, h, STEPS);
        }
    }
}

#[test]
fn borders_hold_on_the_bundled_samples() {
    for amb in [false, true] {
        for (w, h) in [(20, 7), (41, 12), (63, 20), (80, 24), (100, 30), (117, 33)] {
            let mut app = new_app(samples(), amb);
            check_frames(&mut app, w, h, &["", "n n", "]_a G", "]_a ]_q", "Tab j j", "[_a Space", "w", "Esc"]);
        }
    }
}

#[test]
fn resizing_the_same_terminal_keeps_it_consistent() {
    let mut app = new_app(vec![fixture("cjk.json")], false);
    let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
    for (w, h) in [(100, 30), (40, 12), (1, 1), (0, 0), (5, 3), (19, 7), (20, 7), (120, 40), (33, 9), (100, 30)] {
        term.backend_mut().resize(w, h);
        let buf = term.draw(|f| super::draw(&mut app, f)).unwrap().buffer.clone();
        check_symbols(&buf);
        if w >= 20 && h >= 7 {
            assert!(app.screen.usable);
        } else {
            assert!(!app.screen.usable, "{w}x{h}");
        }
    }
}

#[test]
fn zero_width_hints_are_never_drawn_and_wide_mode_reserves_two_cells() {
    let mut app = new_app(vec![fixture("cjk.json")], true);
    let buf = screen(&mut app, 100, 30);
    let mut forced = 0;
    for c in &buf.content {
        assert!(!c.symbol().contains('\u{200B}'));
        if let CellDiffOption::ForcedWidth(n) = c.diff_option {
            forced += 1;
            assert_eq!(n.get(), term_width(c.symbol(), true) as u16, "{:?}", c.symbol());
        }
    }
    assert!(forced > 5, "ambiguous glyphs in the cjk fixture are forced to two cells");
    let mut app = new_app(vec![fixture("cjk.json")], false);
    let buf = screen(&mut app, 100, 30);
    assert!(buf.content.iter().all(|c| !c.symbol().contains('\u{200B}')));
}

#[test]
fn focus_shows_a_pane_on_short_narrow_terminals() {
    let mut app = new_app(vec![fixture("article.json")], false);
    let _ = screen(&mut app, 40, 12);
    assert!(app.screen.panes.is_empty());
    keys(&mut app, "Tab");
    let buf = screen(&mut app, 40, 12);
    assert_eq!(app.focus, Focus::Pane(PaneKind::Quotes));
    assert_eq!(app.screen.panes.len(), 1);
    let (_, r) = app.screen.panes[0];
    assert!(row_text(&buf, r.y).contains("Quotes"));
    assert!(app.screen.text.height >= 1);
}
