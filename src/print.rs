//! `gisa print`: an article as wrapped text with ANSI highlights, the pipe-friendly twin of
//! the reader (as `bat` and `glow` are to their viewers).
//!
//! Output: a header (title, source and date), a legend of the highlight styles, then the text
//! laid out by [`crate::layout`] at the given width, captions set apart as framed figure blocks.
//! With colour off no escape byte is written. Lines never exceed the width.

use std::io::{self, Write};

use crate::layout::{self, DocLayout, Options, Role, RunScratch, SpanIndex, FRAME_INSET, PLACEHOLDER};
use crate::model::{Annotation, Article, Kind};

/// How to print.
#[derive(Debug, Clone, Copy)]
pub struct PrintOptions {
    /// Layout width in cells.
    pub width: usize,
    /// Whether to write ANSI styles.
    pub color: bool,
    /// Ambiguous-width characters as two cells (and ASCII frames).
    pub ambiwide: bool,
}

/// The SGR parameters of one annotation's style (foreground, attributes), by kind.
/// Flagged annotations are also underlined with a red underline-colour-free fallback: plain
/// underline plus the kind colour, so the terminal's default palette suffices.
pub fn sgr_for(a: &Annotation) -> &'static str {
    match (a.kind, a.is_flagged()) {
        (Kind::Quote, false) => "32",
        (Kind::Quote, true) => "32;4",
        (Kind::Figure, false) => "1;33",
        (Kind::Figure, true) => "1;33;4",
        (Kind::Entity, false) => "1;36",
        (Kind::Entity, true) => "1;36;4",
        (Kind::Caption, false) => "3;35",
        (Kind::Caption, true) => "3;35;4",
    }
}

/// The legend line: each kind in its own style.
fn legend(color: bool) -> String {
    let mut s = String::new();
    for (i, k) in Kind::ALL.iter().enumerate() {
        if i > 0 {
            s.push_str("  ");
        }
        let a = Annotation::new("", *k, "", 0, 0);
        if color {
            s.push_str(&format!("\x1b[{}m{}\x1b[0m", sgr_for(&a), k.as_str()));
        } else {
            s.push_str(&format!("[{}]", k.as_str()));
        }
    }
    s
}

/// Frame glyphs: box drawing, or ASCII when ambiguous characters are wide.
fn frame(ambiwide: bool) -> [&'static str; 6] {
    if ambiwide {
        ["+", "-", "+", "|", "+", "+"]
    } else {
        ["┌", "─", "┐", "│", "└", "┘"]
    }
}

/// Fits `s` into `width` cells (cutting at a grapheme), for header lines.
pub fn fit(s: &str, width: usize, ambiwide: bool) -> String {
    let mut out = String::new();
    let mut w = 0;
    for (_, g) in layout::graphemes(s) {
        let gw = layout::grapheme_width(g, ambiwide);
        if w + gw > width {
            break;
        }
        w += gw;
        out.push_str(g);
    }
    out
}

/// Writes `article` to `out`.
pub fn print_article(article: &Article, opts: PrintOptions, out: &mut dyn Write) -> io::Result<()> {
    let width = opts.width.max(1);
    let text = &article.text;
    // the title wraps like the text (never cut in the middle of a word)
    let title = &article.title;
    for l in layout::wrap_paragraph(title, 0..title.len(), Options { width, ambiwide: opts.ambiwide }) {
        let t = if l.placeholder { PLACEHOLDER } else { &title[l.start..l.end] };
        if title.is_empty() {
            break;
        }
        if opts.color {
            writeln!(out, "\x1b[1m{t}\x1b[0m")?;
        } else {
            writeln!(out, "{t}")?;
        }
    }
    let meta: Vec<&str> =
        [article.source.as_str(), article.published.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
    if !meta.is_empty() {
        writeln!(out, "{}", fit(&meta.join(" · "), width, opts.ambiwide))?;
    }
    if !article.annotations.is_empty() {
        if opts.color {
            writeln!(out, "{}", legend(true))?;
        } else {
            writeln!(out, "{}", fit(&legend(false), width, opts.ambiwide))?;
        }
    }
    if !article.title.is_empty() || !meta.is_empty() || !article.annotations.is_empty() {
        writeln!(out)?;
    }
    let layout = || DocLayout::new(article, Options { width, ambiwide: opts.ambiwide });
    let (lay, index) = if article.annotations.len() >= 1 << 16 {
        // both walk large arrays: side by side
        std::thread::scope(|scope| {
            let index = scope.spawn(|| SpanIndex::new(&article.annotations));
            let lay = layout();
            (lay, index.join().unwrap_or_else(|_| SpanIndex::new(&article.annotations)))
        })
    } else {
        (layout(), SpanIndex::new(&article.annotations))
    };
    let n = lay.paragraphs().len();
    // Paragraphs are independent: large articles are rendered in chunks on all cores and
    // written in order. Small ones stay on this thread.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    if threads < 2 || text.len() < (1 << 20) {
        let mut buf = String::with_capacity(1 << 16);
        for p in 0..n {
            render_para(article, &lay, &index, p, opts, &mut buf);
            if buf.len() >= 1 << 16 {
                out.write_all(buf.as_bytes())?;
                buf.clear();
            }
        }
        return out.write_all(buf.as_bytes());
    }
    // chunks of about 256 KiB of text each
    let mut chunks: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    for p in 0..n {
        let r = &lay.paragraphs()[p];
        if r.end - lay.paragraphs()[start].start >= 1 << 18 || p + 1 == n {
            chunks.push(start..p + 1);
            start = p + 1;
        }
    }
    let (lay, index) = (&lay, &index);
    render_parallel(&chunks, threads, out, |range, buf| {
        for p in range.clone() {
            render_para(article, lay, index, p, opts, buf);
        }
    })
}

/// Renders `chunks` on `threads` worker threads and writes the results to `out` in order, as
/// they come. Workers take the next chunk as soon as they are free; buffers are reused.
fn render_parallel<F>(
    chunks: &[std::ops::Range<usize>],
    threads: usize,
    out: &mut dyn Write,
    render: F,
) -> io::Result<()>
where
    F: Fn(&std::ops::Range<usize>, &mut String) + Sync,
{
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{mpsc, Mutex};
    let next = AtomicUsize::new(0);
    let pool: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let (tx, rx) = mpsc::sync_channel::<(usize, String)>(threads * 2);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (tx, next, pool, render) = (tx.clone(), &next, &pool, &render);
            scope.spawn(move || loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some(range) = chunks.get(k) else { break };
                let mut buf = pool.lock().ok().and_then(|mut p| p.pop()).unwrap_or_default();
                render(range, &mut buf);
                if tx.send((k, buf)).is_err() {
                    break; // the writer stopped (output closed)
                }
            });
        }
        drop(tx);
        // moved in, so that an early return (a write error) drops it and stops the workers
        let rx = rx;
        let mut pending = std::collections::BTreeMap::new();
        let mut want = 0;
        for (k, buf) in rx.iter() {
            pending.insert(k, buf);
            while let Some(mut buf) = pending.remove(&want) {
                out.write_all(buf.as_bytes())?;
                buf.clear();
                if let Ok(mut p) = pool.lock() {
                    p.push(buf);
                }
                want += 1;
            }
        }
        Ok(())
    })
}

/// Appends the lines of paragraph `p` to `buf`.
fn render_para(article: &Article, lay: &DocLayout, index: &SpanIndex, p: usize, opts: PrintOptions, buf: &mut String) {
    let width = opts.width.max(1);
    let fr = frame(opts.ambiwide);
    let inner = width.saturating_sub(2 * FRAME_INSET);
    // the annotations of the paragraph, looked up once for all its lines
    let para = lay.paragraphs()[p].clone();
    let cands = if opts.color { index.overlapping(para.clone()) } else { Vec::new() };
    let zwsp = article.text[para].contains('\u{200B}');
    let mut scratch = RunScratch::default();
    for vl in lay.lay_out_para(&article.text, p) {
        match vl.role {
            Role::Gap => {}
            Role::FrameTop | Role::FrameBottom if width <= 2 * FRAME_INSET => {}
            Role::FrameTop => {
                buf.push_str(fr[0]);
                buf.push_str(&fr[1].repeat(width - 2));
                buf.push_str(fr[2]);
            }
            Role::FrameBottom => {
                buf.push_str(fr[4]);
                buf.push_str(&fr[1].repeat(width - 2));
                buf.push_str(fr[5]);
            }
            Role::Text | Role::Framed => {
                let framed = vl.role == Role::Framed && width > 2 * FRAME_INSET;
                if framed {
                    buf.push_str(fr[3]);
                    buf.push(' ');
                }
                if vl.line.placeholder {
                    buf.push_str(PLACEHOLDER);
                } else {
                    let line = PrintLine { cands: &cands, range: vl.line.start..vl.line.end, zwsp };
                    push_runs(buf, article, line, &mut scratch, opts.color);
                }
                if framed {
                    let pad = inner.saturating_sub(vl.line.width);
                    buf.extend(std::iter::repeat_n(' ', pad));
                    buf.push(' ');
                    buf.push_str(fr[3]);
                }
            }
        }
        buf.push('\n');
    }
}

/// Appends the text of `range` with highlight escapes (or plain), skipping zero-width break
/// hints (ZWSP, never drawn) when the paragraph has any (`zwsp`).
fn push_runs(buf: &mut String, article: &Article, line: PrintLine<'_>, scratch: &mut RunScratch, color: bool) {
    let text = &article.text;
    let PrintLine { cands, range, zwsp } = line;
    if !color {
        push_visible(buf, &text[range], zwsp);
        return;
    }
    layout::for_each_run(text, range, &article.annotations, cands, scratch, |r, stack| {
        if stack.is_empty() {
            push_visible(buf, &text[r], zwsp);
            return;
        }
        buf.push_str("\x1b[");
        // outer styles first, the innermost last so it wins
        for (i, &ai) in stack.iter().enumerate() {
            if i > 0 {
                buf.push(';');
            }
            buf.push_str(sgr_for(&article.annotations[ai as usize]));
        }
        buf.push('m');
        push_visible(buf, &text[r], zwsp);
        buf.push_str("\x1b[0m");
    });
}

/// One line to print: its byte range, the annotations of its paragraph, and whether the
/// paragraph holds a zero-width space.
struct PrintLine<'a> {
    cands: &'a [u32],
    range: std::ops::Range<usize>,
    zwsp: bool,
}

/// Appends `s`, without zero-width break hints (ZWSP) when it may hold some.
fn push_visible(buf: &mut String, s: &str, zwsp: bool) {
    if zwsp && s.contains('\u{200B}') {
        buf.extend(s.chars().filter(|&c| c != '\u{200B}'));
    } else {
        buf.push_str(s);
    }
}

/// Prints to a `String` (tests, small articles).
pub fn print_to_string(article: &Article, opts: PrintOptions) -> String {
    let mut v = Vec::new();
    // writing to a Vec cannot fail
    let _ = print_article(article, opts, &mut v);
    String::from_utf8(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Annotation;

    #[test]
    fn no_escape_bytes_without_color() {
        let mut a = Article::from_text("t", "대통령은 “경제가 좋다”고 말했다.");
        a.title = "제목".into();
        a.annotations.push(Annotation::new("q", Kind::Quote, "QUOTE", 13, 33));
        let s = print_to_string(&a, PrintOptions { width: 20, color: false, ambiwide: false });
        assert!(!s.contains('\x1b'));
        let c = print_to_string(&a, PrintOptions { width: 20, color: true, ambiwide: false });
        assert!(c.contains("\x1b[32m"));
    }

    #[test]
    fn long_titles_wrap_between_words() {
        let mut a = Article::from_text("t", "본문");
        a.title = "야시장 첫 주말 방문객 북적… “내년엔 더 크게”".into();
        let s = print_to_string(&a, PrintOptions { width: 16, color: false, ambiwide: false });
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(&lines[..3], ["야시장 첫 주말", "방문객 북적…", "“내년엔 더 크게”"]);
    }

    #[test]
    fn captions_are_framed() {
        let mut a = Article::from_text("t", "본문입니다.\n(사진=연합)");
        let s = a.text.find('(').unwrap();
        a.annotations.push(Annotation::new("c", Kind::Caption, "CAPTION", s, a.text.len()));
        let out = print_to_string(&a, PrintOptions { width: 20, color: false, ambiwide: false });
        let lines: Vec<&str> = out.lines().collect();
        assert!(!lines.is_empty());
        assert!(lines.iter().any(|l| l.starts_with('┌') && l.ends_with('┐')), "{out}");
        assert!(lines.iter().any(|l| l.starts_with("│ (사진=연합)") && l.ends_with('│')), "{out}");
        for l in &lines {
            assert!(layout::str_width(l, false) <= 20, "{l}");
        }
    }
}
