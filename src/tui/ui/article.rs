//! The article pane: a border with the title (top) and source and date (bottom), then the
//! visible lines of the layout with highlights, captions framed as figure blocks.

use gisa::layout::{self, Role, VLine, FRAME_INSET, PLACEHOLDER};
use ratatui::buffer::Buffer;

use super::paint;
use crate::tui::app::{App, Focus};

/// Draws the article pane.
pub fn render(app: &App, buf: &mut Buffer) {
    let s = &app.screen;
    let th = app.theme;
    let d = app.doc();
    let a = s.article;
    let focused = app.focus == Focus::Text && app.overlay.is_none();
    paint::border(buf, a, th.glyphs(), th.border(focused));
    let title = if !d.article.title.is_empty() {
        d.article.title.as_str()
    } else if !d.file.is_empty() {
        d.file.as_str()
    } else {
        d.article.id.as_str()
    };
    let count = if app.docs.len() > 1 { format!("{}/{}", app.cur + 1, app.docs.len()) } else { String::new() };
    paint::border_labels(buf, a, a.top(), title, th.title(focused), &count, th.dim(), th.ellipsis(), th.ambiwide);
    let meta: Vec<&str> =
        [d.article.source.as_str(), d.article.published.as_str()].into_iter().filter(|m| !m.is_empty()).collect();
    let meta = meta.join(if th.ambiwide { ", " } else { " · " });
    let bottom = a.bottom().saturating_sub(1);
    paint::border_labels(buf, a, bottom, &meta, th.dim(), "", th.dim(), th.ellipsis(), th.ambiwide);

    let t = s.text;
    let g = th.glyphs();
    let framable = t.width as usize > 2 * FRAME_INSET;
    for (i, (_, vl)) in s.lines.iter().enumerate() {
        let y = t.y + i as u16;
        if y >= t.bottom() {
            break;
        }
        let right = t.right();
        match vl.role {
            Role::Gap => {}
            Role::FrameTop | Role::FrameBottom if framable => {
                let (l, r) = if vl.role == Role::FrameTop { (g[0], g[2]) } else { (g[4], g[5]) };
                let st = th.frame();
                let mut x = paint::put_str(buf, t.x, y, right, l, st, th.ambiwide);
                while x + 1 < right {
                    let nx = paint::put_str(buf, x, y, right - 1, g[1], st, th.ambiwide);
                    if nx == x {
                        break;
                    }
                    x = nx;
                }
                paint::put_str(buf, x, y, right, r, st, th.ambiwide);
            }
            Role::FrameTop | Role::FrameBottom => {}
            Role::Framed if framable => {
                let st = th.frame();
                paint::put_str(buf, t.x, y, right, g[3], st, th.ambiwide);
                line(app, buf, t.x + FRAME_INSET as u16, y, right - FRAME_INSET as u16, vl);
                paint::put_str(buf, right - 1, y, right, g[3], st, th.ambiwide);
            }
            Role::Text | Role::Framed => line(app, buf, t.x, y, right, vl),
        }
    }
}

/// Draws one line of text with its highlight runs from `x`, never past `right`.
fn line(app: &App, buf: &mut Buffer, x: u16, y: u16, right: u16, vl: &VLine) {
    let th = app.theme;
    if vl.line.placeholder {
        paint::put_str(buf, x, y, right, PLACEHOLDER, th.dim(), th.ambiwide);
        return;
    }
    let d = app.doc();
    let text = &d.article.text;
    let anns = &d.article.annotations;
    let cur = app.current();
    let mut x = x;
    for run in layout::runs(text, vl.line.start..vl.line.end, anns, &d.index) {
        let style = th.run(anns, &run.stack, cur);
        let Some(seg) = text.get(run.start..run.end) else { continue };
        for (_, g) in layout::graphemes(seg) {
            match paint::put_grapheme(buf, x, y, right, g, style, th.ambiwide) {
                Some(w) => x += w,
                None => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gisa::ingest::Loaded;
    use gisa::layout::{wrap_paragraph, Options};
    use gisa::model::Article;
    use ratatui::layout::Rect;

    /// The text pane is at least 16 columns wide, so only `line` itself can be given a
    /// grapheme wider than its room: the layout marks such a line, and the placeholder is drawn.
    #[test]
    fn a_grapheme_wider_than_the_line_draws_the_placeholder() {
        let text = "가";
        let a = Article::from_text("p", text);
        let app = App::new(vec![("p".into(), Loaded { articles: vec![a], ..Default::default() })], &Default::default());
        let lines = wrap_paragraph(text, 0..text.len(), Options::new(1));
        assert!(lines[0].placeholder);
        let vl = VLine { para: 0, role: Role::Text, line: lines[0] };
        let mut buf = Buffer::empty(Rect::new(0, 0, 3, 1));
        line(&app, &mut buf, 0, 0, 1, &vl);
        assert_eq!(buf[(0, 0)].symbol(), PLACEHOLDER);
        assert_eq!(buf[(1, 0)].symbol(), " ", "nothing past the line's one cell");
    }
}
