//! Styles and glyphs. Highlights combine, so nested spans stay visible: a quote is underlined
//! (green), figures and entities set their own foreground (yellow, cyan) on top of it, a caption
//! is italic. A flagged span gets a red background; the current annotation is reverse video.
//! With `--ambiwidth wide` every piece of chrome is ASCII (box drawing is East Asian Ambiguous).

use gisa::model::{Annotation, Kind};
use ratatui::style::{Color, Modifier, Style};

/// Border and frame glyphs: `[top-left, horizontal, top-right, vertical, bottom-left, bottom-right]`.
pub type Glyphs = [&'static str; 6];

const BOX: Glyphs = ["┌", "─", "┐", "│", "└", "┘"];
const ASCII: Glyphs = ["+", "-", "+", "|", "+", "+"];

/// The reader's look, for one ambiguous-width mode.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// East Asian Ambiguous characters are two cells wide (ASCII chrome).
    pub ambiwide: bool,
}

impl Theme {
    /// Border glyphs for panes and caption frames.
    pub fn glyphs(&self) -> Glyphs {
        if self.ambiwide {
            ASCII
        } else {
            BOX
        }
    }

    /// Separator between status-bar fields.
    pub fn sep(&self) -> &'static str {
        if self.ambiwide {
            " | "
        } else {
            " │ "
        }
    }

    /// Marks text cut short.
    pub fn ellipsis(&self) -> &'static str {
        if self.ambiwide {
            "~"
        } else {
            "…"
        }
    }

    /// The style a kind adds to the text it covers.
    pub fn kind(&self, kind: Kind) -> Style {
        match kind {
            Kind::Quote => Style::new().fg(Color::Green).add_modifier(Modifier::UNDERLINED),
            Kind::Figure => Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            Kind::Entity => Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Kind::Caption => Style::new().fg(Color::Magenta).add_modifier(Modifier::ITALIC),
        }
    }

    /// What a flagged annotation adds (ingest found something wrong with it).
    pub fn flagged(&self) -> Style {
        Style::new().bg(Color::Red)
    }

    /// What the current annotation adds.
    pub fn current(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// The style of a run of text covered by `stack` (outermost first; see
    /// [`gisa::layout::runs`]): each annotation patches the ones around it.
    pub fn run(&self, anns: &[Annotation], stack: &[u32], current: Option<u32>) -> Style {
        let mut st = Style::new();
        for &i in stack {
            let Some(a) = anns.get(i as usize) else { continue };
            st = st.patch(self.kind(a.kind));
            if a.is_flagged() {
                st = st.patch(self.flagged());
            }
        }
        if current.is_some_and(|c| stack.contains(&c)) {
            st = st.patch(self.current());
        }
        st
    }

    /// Pane and article borders.
    pub fn border(&self, focused: bool) -> Style {
        if focused {
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(Color::DarkGray)
        }
    }

    /// Titles in borders.
    pub fn title(&self, focused: bool) -> Style {
        if focused {
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }

    /// Caption frames.
    pub fn frame(&self) -> Style {
        Style::new().fg(Color::Magenta)
    }

    /// Secondary text (labels, dates, counts).
    pub fn dim(&self) -> Style {
        Style::new().fg(Color::DarkGray)
    }

    /// The selected row of a pane or list: reverse video when focused, bold otherwise.
    pub fn selected(&self, focused: bool) -> Style {
        if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        }
    }

    /// The status bar.
    pub fn status(&self) -> Style {
        Style::new().bg(Color::DarkGray).fg(Color::White)
    }

    /// Warnings (problem counts, flag markers).
    pub fn warn(&self) -> Style {
        Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_styles_stay_visible() {
        let t = Theme { ambiwide: false };
        let q = Annotation::new("q", Kind::Quote, "QUOTE", 0, 10);
        let e = Annotation::new("e", Kind::Entity, "ORG", 2, 4);
        let anns = vec![q, e];
        let st = t.run(&anns, &[0, 1], None);
        assert_eq!(st.fg, Some(Color::Cyan), "the entity's colour");
        assert!(st.add_modifier.contains(Modifier::UNDERLINED), "the quote's underline");
        let cur = t.run(&anns, &[0, 1], Some(0));
        assert!(cur.add_modifier.contains(Modifier::REVERSED));
        assert!(!t.run(&anns, &[0], Some(1)).add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn wide_mode_uses_ascii_chrome() {
        let t = Theme { ambiwide: true };
        assert!(t.glyphs().iter().all(|g| g.is_ascii()));
        assert!(t.sep().is_ascii() && t.ellipsis().is_ascii());
    }
}
