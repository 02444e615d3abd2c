//! The status bar: title, position in the text, the current annotation and its index within its
//! kind (`quote 3/15`), the problem count, and key hints (or a message, or a pending key).

use gisa::layout::str_width;
use ratatui::buffer::Buffer;
use ratatui::style::Style;

use super::paint;
use crate::tui::app::App;

const LONG_HINT: &str = "?:help  n/N:next/prev  Tab:panes  q:quit";
const SHORT_HINT: &str = "?:help  q:quit";

/// Draws the status bar.
pub fn render(app: &App, buf: &mut Buffer) {
    let th = app.theme;
    let r = app.screen.status;
    let base = th.status();
    paint::fill(buf, r, base);
    let d = app.doc();
    let sep = th.sep();
    let cur = app.current_label().unwrap_or_else(|| "-".to_string());
    let mut fields: Vec<(String, Style)> = vec![(format!("{}%", app.screen.percent), base), (cur, base)];
    if !app.problems.is_empty() {
        let n = app.problems.len();
        fields.push((format!("{n} warning{} (w)", if n == 1 { "" } else { "s" }), th.warn().patch(base)));
    }
    let hint = if !app.pending.is_empty() {
        let keys: String = app.pending.iter().map(ToString::to_string).collect();
        format!("{keys}…")
    } else if let Some(m) = &app.message {
        m.clone()
    } else {
        LONG_HINT.to_string()
    };
    let is_hint = app.pending.is_empty() && app.message.is_none();
    let w = r.width as usize;
    let fixed: usize = fields.iter().map(|(s, _)| str_width(s, th.ambiwide) + str_width(sep, th.ambiwide)).sum();
    // hints shrink, then go, before the title gets shorter than a few cells
    let (hint, mut hint_w) = if !is_hint {
        let hw = str_width(&hint, th.ambiwide) + 2;
        (hint, hw)
    } else if w >= 1 + fixed + LONG_HINT.len() + 2 + 12 {
        (hint, LONG_HINT.len() + 2)
    } else {
        (SHORT_HINT.to_string(), SHORT_HINT.len() + 2)
    };
    if is_hint && w < 1 + fixed + hint_w + 8 {
        hint_w = 0;
    }
    let title_room = w.saturating_sub(1 + fixed + hint_w);
    let title = if d.article.title.is_empty() { d.file.as_str() } else { d.article.title.as_str() };
    let right = r.right();
    let y = r.top();
    let mut x = r.left() + 1;
    if title_room >= 8 {
        let bold = base.add_modifier(ratatui::style::Modifier::BOLD);
        x = paint::put_trunc(buf, x, y, x + title_room as u16, title, bold, th.ellipsis(), th.ambiwide);
        x = paint::put_str(buf, x, y, right, sep, base, th.ambiwide);
    }
    for (i, (s, st)) in fields.iter().enumerate() {
        if i > 0 {
            x = paint::put_str(buf, x, y, right, sep, base, th.ambiwide);
        }
        x = paint::put_str(buf, x, y, right, s, *st, th.ambiwide);
    }
    if hint_w > 0 {
        let hx = right.saturating_sub(hint_w as u16 - 1);
        let start = hx.max(x + 1);
        let st = if is_hint { base } else { base.add_modifier(ratatui::style::Modifier::BOLD) };
        paint::put_trunc(buf, start, y, right.saturating_sub(1), &hint, st, th.ellipsis(), th.ambiwide);
    }
}
