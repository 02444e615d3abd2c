//! Overlays drawn over the screen: the help (generated from the keymap table), the list of
//! articles and the list of problems found at ingest.

use ratatui::buffer::Buffer;
use ratatui::style::Style;

use super::paint;
use crate::tui::app::{list_offset, App, Overlay};
use crate::tui::keymap::{help_lines, HelpLine};

/// Draws the open overlay, if any.
pub fn render(app: &App, buf: &mut Buffer) {
    let (Some(ov), Some(r)) = (app.overlay, app.overlay_rect()) else { return };
    let th = app.theme;
    paint::clear(buf, r);
    paint::border(buf, r, th.glyphs(), th.border(true));
    let (title, foot) = match ov {
        Overlay::Help { .. } => ("Keys", "j/k: scroll  Esc: close"),
        Overlay::Articles { .. } => ("Articles", "Enter: open  Esc: close"),
        Overlay::Problems { .. } => ("Problems", "Enter: go to  Esc: close"),
    };
    paint::border_labels(buf, r, r.top(), title, th.title(true), "", th.dim(), th.ellipsis(), th.ambiwide);
    paint::border_labels(buf, r, r.bottom() - 1, foot, th.dim(), "", th.dim(), th.ellipsis(), th.ambiwide);
    let x0 = r.left() + 2;
    let right = r.right().saturating_sub(2);
    let visible = r.height.saturating_sub(2) as usize;
    let row_y = |i: usize| r.top() + 1 + i as u16;
    let a = th.ambiwide;
    match ov {
        Overlay::Help { scroll } => {
            let lines = help_lines(app.overlay_inner_width(ov));
            let key_style = th.kind(gisa::model::Kind::Entity);
            for (i, l) in lines.iter().skip(scroll).take(visible).enumerate() {
                let y = row_y(i);
                match l {
                    HelpLine::Blank => {}
                    HelpLine::Heading(h) => {
                        paint::put_trunc(buf, x0, y, right, h, th.title(false), th.ellipsis(), a);
                    }
                    HelpLine::Keys(k) => {
                        paint::put_trunc(buf, x0, y, right, k, key_style, th.ellipsis(), a);
                    }
                    HelpLine::Text(t) => {
                        paint::put_trunc(buf, x0, y, right, t, Style::new(), th.ellipsis(), a);
                    }
                    HelpLine::Entry { keys, help, key_width } => {
                        let x = paint::put_trunc(buf, x0, y, right, keys, key_style, th.ellipsis(), a);
                        let hx = (x0 + *key_width as u16).max(x + 1);
                        paint::put_trunc(buf, hx, y, right, help, Style::new(), th.ellipsis(), a);
                    }
                }
            }
        }
        Overlay::Articles { sel } => {
            let n = app.docs.len();
            let off = list_offset(sel, n, visible);
            for (row, i) in (off..n).take(visible).enumerate() {
                let d = &app.docs[i];
                let y = row_y(row);
                let st = if i == sel { th.selected(true) } else { Style::new() };
                if i == sel {
                    paint::fill(buf, ratatui::layout::Rect::new(x0, y, right.saturating_sub(x0), 1), st);
                }
                let mark = if i == app.cur { "*" } else { " " };
                let title = if d.article.title.is_empty() { d.article.id.as_str() } else { d.article.title.as_str() };
                let line =
                    format!("{mark}{:>3}. {title}  ({}, {} annotations)", i + 1, d.file, d.article.annotations.len());
                paint::put_trunc(buf, x0, y, right, &line, st, th.ellipsis(), a);
            }
        }
        Overlay::Problems { sel } => {
            if app.problems.is_empty() {
                paint::put_str(buf, x0, row_y(0), right, "no problems: every file read cleanly", th.dim(), a);
                return;
            }
            let n = app.problems.len();
            let off = list_offset(sel, n, visible);
            for (row, i) in (off..n).take(visible).enumerate() {
                let y = row_y(row);
                let st = if i == sel { th.selected(true) } else { Style::new() };
                if i == sel {
                    paint::fill(buf, ratatui::layout::Rect::new(x0, y, right.saturating_sub(x0), 1), st);
                }
                paint::put_trunc(buf, x0, y, right, &app.problems[i].text, st, th.ellipsis(), a);
            }
        }
    }
}
