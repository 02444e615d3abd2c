//! Writing text into ratatui's buffer cell by cell, measured with the layout engine's width
//! function, so what is drawn always agrees with what was laid out.
//!
//! - A grapheme is drawn only when all its cells fit before the right edge; zero-width graphemes
//!   (ZWSP break hints) are never drawn.
//! - In ambiguous-wide mode a grapheme that ratatui measures narrower than the layout does (“ ”
//!   · … ①) gets `CellDiffOption::ForcedWidth` and its next cell is skipped, so ratatui reserves
//!   the cells the terminal will paint and re-positions the cursor after it. Wide glyphs whose
//!   width terminals disagree on (emoji sequences, keycaps, flags) get the same treatment, which
//!   also keeps ratatui's VS16 trailing-cell write (sent without a cursor move) out of the way.
//! - Border cells are `CellDiffOption::AlwaysUpdate`: redrawn every frame, so a border a terminal
//!   damaged (its own width table disagreeing) heals on the next frame.
//! - A grapheme with a control, escape or bidi character is drawn as `?` (ingest removes them;
//!   this is the second line of defence).

use std::num::NonZeroU16;

use gisa::layout::{grapheme_width, graphemes, str_width};
use ratatui::buffer::{Buffer, CellDiffOption, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::Style;

use crate::tui::theme::Glyphs;

/// True for characters that must never reach the terminal.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{FEFF}')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

fn inside(buf: &Buffer, x: u16, y: u16) -> bool {
    let a = buf.area;
    x >= a.x && x < a.right() && y >= a.y && y < a.bottom()
}

/// The cells a terminal is expected to advance for `g`: unicode-width's own width (ambiguous
/// wide or narrow), without ratatui's extra cell for U+FF9E/U+FF9F, which no terminal draws.
fn terminal_width(g: &str, ambiwide: bool) -> usize {
    let marks = g.chars().filter(|&c| c == '\u{FF9E}' || c == '\u{FF9F}').count();
    grapheme_width(g, ambiwide).saturating_sub(marks).max(1)
}

/// Graphemes whose width terminals disagree on: clusters of several characters (emoji with
/// VS16 or ZWJ, keycaps, flags, skin tones) and emoji. After such a wide glyph the cursor is
/// re-positioned (forced width), so a terminal drawing it otherwise shifts nothing else.
fn uncertain(g: &str) -> bool {
    let mut cs = g.chars();
    let first = cs.next().unwrap_or(' ');
    cs.next().is_some() || first >= '\u{1F000}'
}

/// Draws grapheme `g` at (`x`, `y`) when its cells end at or before `right` (exclusive) and
/// inside the buffer. Returns the cells it takes (0 for a zero-width grapheme, which is not
/// drawn), or `None` when it does not fit.
///
/// The grapheme takes the cells the layout measured. When ratatui would measure it otherwise
/// than the terminal is expected to draw it, its cell gets `ForcedWidth` (the terminal's width)
/// and the cells after it are skipped by the diff; cells the layout reserved beyond what the
/// terminal draws are written as plain blanks, so nothing stale survives there.
pub fn put_grapheme(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    right: u16,
    g: &str,
    style: Style,
    ambiwide: bool,
) -> Option<u16> {
    let w = grapheme_width(g, ambiwide);
    if w == 0 {
        return Some(0);
    }
    let w16 = u16::try_from(w).ok()?;
    let end = x.checked_add(w16)?;
    let right = right.min(buf.area.right());
    if end > right || !inside(buf, x, y) {
        return None;
    }
    let safe = !g.chars().any(is_unsafe_char);
    let sym = if safe { g } else { "?" };
    let tw = if safe { terminal_width(g, ambiwide).min(w) } else { 1 } as u16;
    // ratatui's measure (the layout's narrow width function agrees with it)
    let ratatui_w = grapheme_width(sym, false) as u16;
    let forced = ratatui_w != tw || (tw > 1 && uncertain(sym));
    {
        let cell = &mut buf[(x, y)];
        cell.reset();
        cell.set_symbol(sym);
        cell.set_style(style);
        if forced {
            if let Some(n) = NonZeroU16::new(tw) {
                cell.set_diff_option(CellDiffOption::ForcedWidth(n));
            }
        }
    }
    for k in 1..w16 {
        let cell = &mut buf[(x + k, y)];
        cell.reset();
        cell.set_style(style);
        if forced && k < tw {
            cell.set_diff_option(CellDiffOption::Skip);
        }
    }
    Some(w16)
}

/// Draws `s` from `x` while graphemes fit before `right`; returns the column after it.
pub fn put_str(buf: &mut Buffer, x: u16, y: u16, right: u16, s: &str, style: Style, ambiwide: bool) -> u16 {
    let mut x = x;
    for (_, g) in graphemes(s) {
        match put_grapheme(buf, x, y, right, g, style, ambiwide) {
            Some(w) => x += w,
            None => break,
        }
    }
    x
}

/// Draws `s`, ending with `ellipsis` when it does not fit in `right - x` cells.
#[allow(clippy::too_many_arguments)]
pub fn put_trunc(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    right: u16,
    s: &str,
    style: Style,
    ellipsis: &str,
    ambiwide: bool,
) -> u16 {
    let room = right.saturating_sub(x) as usize;
    if str_width(s, ambiwide) <= room {
        return put_str(buf, x, y, right, s, style, ambiwide);
    }
    let ew = str_width(ellipsis, ambiwide) as u16;
    let stop = right.saturating_sub(ew);
    let x = put_str(buf, x, y, stop, s, style, ambiwide);
    put_str(buf, x, y, right, ellipsis, style, ambiwide)
}

/// Fills `r` with blanks in `style`.
pub fn fill(buf: &mut Buffer, r: Rect, style: Style) {
    let r = r.intersection(buf.area);
    for y in r.top()..r.bottom() {
        for x in r.left()..r.right() {
            let c = &mut buf[(x, y)];
            c.reset();
            c.set_style(style);
        }
    }
}

/// Clears `r` for an overlay. A wide glyph just left of `r` whose right half lies inside is
/// blanked too: otherwise the terminal would paint its right half over the overlay's border
/// (ratatui issue #2526).
pub fn clear(buf: &mut Buffer, r: Rect) {
    let r = r.intersection(buf.area);
    if r.is_empty() {
        return;
    }
    for y in r.top()..r.bottom() {
        let mut x = buf.area.left();
        // find the cell that covers column r.x - 1
        while x < r.left() {
            let w = buf[(x, y)].cell_width().max(1);
            if x + w > r.left() {
                buf[(x, y)].reset();
            }
            x += w;
        }
    }
    fill(buf, r, Style::new());
}

/// Marks the cells of row `y` from `x0` to `x1` (exclusive) to be redrawn every frame (cells
/// already marked otherwise, like forced widths, keep their marks).
pub fn always_update(buf: &mut Buffer, x0: u16, x1: u16, y: u16) {
    for x in x0..x1.min(buf.area.right()) {
        if inside(buf, x, y) {
            let c = &mut buf[(x, y)];
            if c.diff_option == CellDiffOption::None {
                c.set_diff_option(CellDiffOption::AlwaysUpdate);
            }
        }
    }
}

fn set_border(buf: &mut Buffer, x: u16, y: u16, sym: &str, style: Style) {
    if inside(buf, x, y) {
        let c = &mut buf[(x, y)];
        c.reset();
        c.set_symbol(sym);
        c.set_style(style);
        c.set_diff_option(CellDiffOption::AlwaysUpdate);
    }
}

/// Draws a box around `r` (its outermost cells), every cell redrawn every frame.
pub fn border(buf: &mut Buffer, r: Rect, g: Glyphs, style: Style) {
    let r = r.intersection(buf.area);
    if r.width < 2 || r.height < 2 {
        return;
    }
    let (l, t, rt, b) = (r.left(), r.top(), r.right() - 1, r.bottom() - 1);
    for x in l + 1..rt {
        set_border(buf, x, t, g[1], style);
        set_border(buf, x, b, g[1], style);
    }
    for y in t + 1..b {
        set_border(buf, l, y, g[3], style);
        set_border(buf, rt, y, g[3], style);
    }
    set_border(buf, l, t, g[0], style);
    set_border(buf, rt, t, g[2], style);
    set_border(buf, l, b, g[4], style);
    set_border(buf, rt, b, g[5], style);
}

/// Writes labels into a border row `y` of box `r`: `left` after the corner, `right` before the
/// other corner (dropped first when both do not fit). The row stays redrawn every frame.
#[allow(clippy::too_many_arguments)]
pub fn border_labels(
    buf: &mut Buffer,
    r: Rect,
    y: u16,
    left: &str,
    left_style: Style,
    right: &str,
    right_style: Style,
    ellipsis: &str,
    ambiwide: bool,
) {
    if r.width < 6 {
        return;
    }
    let x0 = r.left() + 1;
    let x1 = r.right() - 1;
    let rw = if right.is_empty() { 0 } else { str_width(right, ambiwide) as u16 + 2 };
    let lw = if left.is_empty() { 0 } else { str_width(left, ambiwide) as u16 + 2 };
    let room = x1 - x0;
    let show_right = rw > 0 && rw + lw.min(12) <= room;
    let left_end = if show_right { x1 - rw } else { x1 };
    if lw > 0 && left_end > x0 + 2 {
        let x = put_str(buf, x0, y, left_end, " ", left_style, ambiwide);
        let x = put_trunc(buf, x, y, left_end.saturating_sub(1), left, left_style, ellipsis, ambiwide);
        put_str(buf, x, y, left_end, " ", left_style, ambiwide);
    }
    if show_right {
        let x = put_str(buf, x1 - rw, y, x1, " ", right_style, ambiwide);
        let x = put_str(buf, x, y, x1, right, right_style, ambiwide);
        put_str(buf, x, y, x1, " ", right_style, ambiwide);
    }
    always_update(buf, r.left(), r.right(), y);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_glyph_never_crosses_the_right_edge() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        let x = put_str(&mut buf, 0, 0, 5, "가나다", Style::new(), false);
        assert_eq!(x, 4, "다 would end at 6 > 5: not drawn");
        assert_eq!(buf[(4, 0)].symbol(), " ");
    }

    #[test]
    fn ambiguous_glyphs_get_forced_width_in_wide_mode() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
        let x = put_str(&mut buf, 0, 0, 10, "“가”", Style::new(), true);
        assert_eq!(x, 6);
        assert_eq!(buf[(0, 0)].symbol(), "“");
        assert_eq!(buf[(0, 0)].diff_option, CellDiffOption::ForcedWidth(NonZeroU16::new(2).unwrap()));
        assert_eq!(buf[(1, 0)].diff_option, CellDiffOption::Skip);
        assert_eq!(buf[(2, 0)].symbol(), "가");
        assert_eq!(buf[(2, 0)].diff_option, CellDiffOption::None);
        assert_eq!(buf[(4, 0)].symbol(), "”");
        // narrow mode: one cell each, no forcing
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
        assert_eq!(put_str(&mut buf, 0, 0, 10, "“가”", Style::new(), false), 4);
        assert_eq!(buf[(0, 0)].diff_option, CellDiffOption::None);
    }

    #[test]
    fn halfwidth_voiced_marks_take_the_layout_cells_and_draw_what_terminals_draw() {
        let g = "\u{FF76}\u{FF9E}"; // ｶﾞ: one grapheme
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
        let x = put_str(&mut buf, 0, 0, 10, g, Style::new(), false);
        assert_eq!(x as usize, grapheme_width(g, false));
        assert_eq!(buf[(0, 0)].diff_option, CellDiffOption::ForcedWidth(NonZeroU16::new(2).unwrap()));
        assert_eq!(buf[(1, 0)].diff_option, CellDiffOption::Skip);
        if x > 2 {
            assert_eq!(buf[(2, 0)].diff_option, CellDiffOption::None, "an explicit blank, redrawn when it changes");
        }
    }

    #[test]
    fn zero_width_and_unsafe_graphemes() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 1));
        let x = put_str(&mut buf, 0, 0, 10, "가\u{200B}나\u{1b}", Style::new(), false);
        assert_eq!(buf[(0, 0)].symbol(), "가");
        assert_eq!(buf[(2, 0)].symbol(), "나");
        assert_eq!(buf[(4, 0)].symbol(), "?");
        assert_eq!(x, 5);
        for c in &buf.content {
            assert!(!c.symbol().chars().any(is_unsafe_char));
        }
    }

    #[test]
    fn truncation_and_out_of_buffer_writes() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 8, 2));
        let x = put_trunc(&mut buf, 0, 0, 8, "서울시 교통정책관", Style::new(), "…", false);
        assert!(x <= 8);
        assert_eq!(buf[(x - 1, 0)].symbol(), "…");
        // nothing is written outside the buffer, nothing panics
        put_str(&mut buf, 7, 5, 100, "가나", Style::new(), false);
        put_str(&mut buf, 100, 0, 200, "가나", Style::new(), false);
        border(&mut buf, Rect::new(5, 0, 10, 10), ["+", "-", "+", "|", "+", "+"], Style::new());
        clear(&mut buf, Rect::new(3, 1, 50, 50));
    }

    #[test]
    fn clearing_an_overlay_blanks_a_straddling_wide_glyph() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
        put_str(&mut buf, 0, 0, 6, "가나다", Style::new(), false);
        clear(&mut buf, Rect::new(3, 0, 3, 1));
        assert_eq!(buf[(0, 0)].symbol(), "가");
        assert_eq!(buf[(2, 0)].symbol(), " ", "나 straddled the overlay's edge");
    }
}
