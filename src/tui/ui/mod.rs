//! Drawing: every widget renders from `&App` into ratatui's buffer. Only the visible lines,
//! already laid out by the core ([`gisa::layout`]), are drawn; nothing re-wraps text here
//! (no `Paragraph::wrap`).

pub mod article;
pub mod overlay;
pub mod paint;
pub mod panes;
pub mod status;

use ratatui::buffer::Buffer;
use ratatui::Frame;

use super::app::{App, MIN_HEIGHT, MIN_WIDTH};

/// Brings `app` to the frame's size, then draws it.
pub fn draw(app: &mut App, frame: &mut Frame) {
    let area = frame.area();
    app.resize(area.width, area.height);
    render(app, frame.buffer_mut());
}

/// Draws the whole screen from the state (the geometry is `app.screen`).
pub fn render(app: &App, buf: &mut Buffer) {
    if !app.screen.usable {
        too_small(app, buf);
        return;
    }
    article::render(app, buf);
    panes::render(app, buf);
    status::render(app, buf);
    overlay::render(app, buf);
}

/// The short message shown when the terminal is too small to read in.
fn too_small(app: &App, buf: &mut Buffer) {
    let a = buf.area;
    let need = format!("need {MIN_WIDTH}x{MIN_HEIGHT}");
    let lines = ["window too small", need.as_str(), "q: quit"];
    for (i, l) in lines.iter().enumerate() {
        let y = a.y + i as u16;
        if y >= a.bottom() {
            break;
        }
        paint::put_str(buf, a.x, y, a.right(), l, app.theme.warn(), app.theme.ambiwide);
    }
}

#[cfg(test)]
mod tests;
