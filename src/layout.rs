//! The layout engine: grapheme widths, Korean keep-all wrapping, highlight runs.
//!
//! Pure and terminal-free; the reader and `gisa print` only draw what it returns.
//!
//! - [`grapheme_width`] is the one width function. It agrees with ratatui's cell width for every
//!   grapheme the engine emits (East Asian Ambiguous narrow by default, wide as an option).
//! - [`wrap_paragraph`] breaks at spaces between eojeol; only a token wider than the line is
//!   hard-broken (a URL preferably after `/ ? & =`). Closing punctuation never starts a line and
//!   opening punctuation never ends one, wherever the width allows it. A grapheme wider than the
//!   whole line gets a line of its own, marked as a placeholder line.
//! - [`DocLayout`] lays out an article lazily, paragraph by paragraph, caching per paragraph for
//!   one (width, ambiguous mode): producing one screen costs the visible text plus at most the
//!   paragraphs it touches, not the article.
//! - [`SpanIndex`] and [`runs`] turn annotations into runs of constant highlight, snapped
//!   outward to grapheme boundaries, with a deterministic nesting order.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::model::{Annotation, Article, Kind};

/// How to lay out: the width in cells and the ambiguous-width mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Options {
    /// Cells per line (at least 1; 0 is treated as 1).
    pub width: usize,
    /// Count East Asian Ambiguous characters (“ ” · … ① ─) as two cells.
    pub ambiwide: bool,
}

impl Options {
    /// Narrow-ambiguous options for `width`.
    pub fn new(width: usize) -> Self {
        Options { width, ambiwide: false }
    }
}

/// Iterates `(byte offset, grapheme)` over `s`, with a fast path for ASCII and Hangul syllables.
pub fn graphemes(s: &str) -> Graphemes<'_> {
    Graphemes { s, pos: 0 }
}

/// Iterator returned by [`graphemes`].
#[derive(Clone)]
pub struct Graphemes<'a> {
    s: &'a str,
    pos: usize,
}

/// Byte length of the character at `i` when it is "simple", else `None`. A simple character
/// is a whole grapheme whenever the next character is simple too: it has the grapheme break
/// property Other (or LV/LVT for Hangul syllables, which join only jamo), and so does what
/// follows. Simple: printable ASCII, Latin-1 letters and signs (not the soft hyphen), general
/// punctuation (quotes, dashes, `…`, `‰`; not the joiners or the invisible operators),
/// letterlike symbols (`℃`), CJK punctuation up to `〩` (not the tone marks after it),
/// fullwidth ASCII and Hangul syllables.
#[inline]
fn simple_at(b: &[u8], i: usize) -> Option<usize> {
    let b0 = *b.get(i)?;
    if b0 < 0x80 {
        return (0x20..0x7F).contains(&b0).then_some(1);
    }
    if b0 == 0xC2 || b0 == 0xC3 {
        let c = (u32::from(b0 & 0x1F) << 6) | u32::from(*b.get(i + 1)? & 0x3F);
        return (c >= 0xA0 && c != 0xAD).then_some(2);
    }
    if (0xE0..0xF0).contains(&b0) && i + 2 < b.len() {
        let c = (u32::from(b0 & 0x0F) << 12) | (u32::from(b[i + 1] & 0x3F) << 6) | u32::from(b[i + 2] & 0x3F);
        let simple = matches!(c, 0xAC00..=0xD7A3 | 0x2010..=0x2027 | 0x2030..=0x205E | 0x2100..=0x214F
            | 0x3000..=0x3029 | 0xFF01..=0xFF5E);
        return simple.then_some(3);
    }
    None
}

/// The byte length of the character at `b[i]` when it is printable ASCII other than space (1)
/// or a Hangul syllable (3): the characters whose width the wrapper knows without looking them
/// up (1 and 2 cells). 0 for any other character or the end.
#[inline]
fn fast_len(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(&c) if c > b' ' && c < 0x7F => 1,
        Some(_) => crate::clean::hangul_len_at(b, i),
        None => 0,
    }
}

/// True when byte offset `i` of `s` is certainly a grapheme boundary: the characters on both
/// sides are simple (or `i` is an end of `s`). `false` means "not known", not "no boundary".
#[inline]
fn sure_boundary(s: &str, i: usize) -> bool {
    let b = s.as_bytes();
    if i == 0 || i >= b.len() {
        return i <= b.len() && s.is_char_boundary(i);
    }
    let Some(prev) = s.get(..i).and_then(|p| p.chars().next_back()) else { return false };
    simple_at(b, i - prev.len_utf8()).is_some() && simple_at(b, i).is_some()
}

impl<'a> Iterator for Graphemes<'a> {
    type Item = (usize, &'a str);

    #[inline]
    fn next(&mut self) -> Option<(usize, &'a str)> {
        let bytes = self.s.as_bytes();
        let start = self.pos;
        if start >= bytes.len() {
            return None;
        }
        // two simple characters in a row always have a grapheme boundary between them
        if let Some(n) = simple_at(bytes, start) {
            let next = start + n;
            if next == bytes.len() || simple_at(bytes, next).is_some() {
                self.pos = next;
                return self.s.get(start..next).map(|g| (start, g));
            }
        }
        let rest = self.s.get(start..)?;
        let len = rest.graphemes(true).next().map_or(rest.len(), str::len);
        self.pos += len;
        Some((start, &rest[..len]))
    }
}

/// The width of one grapheme cluster in terminal cells, as ratatui measures it (narrow mode),
/// or with East Asian Ambiguous characters counted as two (`ambiwide`).
#[inline]
pub fn grapheme_width(g: &str, ambiwide: bool) -> usize {
    let b = g.as_bytes();
    if b.len() == 1 {
        return 1;
    }
    if b.len() == 3 && crate::clean::hangul_len_at(b, 0) == 3 {
        return 2; // a Hangul syllable alone
    }
    let w = if ambiwide { g.width_cjk() } else { g.width() };
    w + g.chars().filter(|&c| c == '\u{FF9E}' || c == '\u{FF9F}').count()
}

/// The width of a whole string, grapheme by grapheme.
pub fn str_width(s: &str, ambiwide: bool) -> usize {
    if s.is_ascii() {
        return s.len();
    }
    graphemes(s).map(|(_, g)| grapheme_width(g, ambiwide)).sum()
}

/// Whitespace that is a break opportunity (not NBSP and its kin).
#[inline]
fn is_space(g: &str) -> bool {
    let b = g.as_bytes();
    if b.len() == 1 {
        return b[0].is_ascii_whitespace();
    }
    if b.len() == 3 && (0xEA..=0xED).contains(&b[0]) {
        return false; // U+A000..U+DFFF (Hangul syllables among them): no whitespace there
    }
    match g {
        "\u{3000}" => true,
        _ => {
            let mut cs = g.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) => c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}'),
                _ => false,
            }
        }
    }
}

/// A zero-width break hint (ZWSP): a break opportunity that is never drawn.
#[inline]
fn is_zwsp(g: &str) -> bool {
    g == "\u{200B}"
}

/// True when `g` starts with an ASCII letter or digit or a character of U+A000..U+DFFF (Hangul
/// syllables among them), where no kinsoku punctuation is: a quick answer for most graphemes.
#[inline]
fn plainly_not_punctuation(g: &str) -> bool {
    matches!(g.as_bytes().first(), Some(b) if b.is_ascii_alphanumeric() || (0xEA..=0xED).contains(b))
}

/// Punctuation that must not start a line (it closes or trails what precedes it).
pub fn is_closing(g: &str) -> bool {
    if plainly_not_punctuation(g) {
        return false;
    }
    let mut cs = g.chars();
    let Some(c) = cs.next() else { return false };
    matches!(
        c,
        '”' | '’'
            | ')'
            | ']'
            | '}'
            | '」'
            | '』'
            | '〉'
            | '》'
            | '】'
            | '〕'
            | ','
            | '.'
            | '、'
            | '。'
            | '!'
            | '?'
            | ':'
            | ';'
            | '%'
            | '℃'
            | '…'
            | '·'
            | '）'
            | '，'
            | '．'
            | '！'
            | '？'
            | '：'
            | '；'
            | '］'
            | '｝'
            | '％'
            | '〞'
            | '‥'
    )
}

/// Punctuation that must not end a line (it opens what follows it).
pub fn is_opening(g: &str) -> bool {
    if plainly_not_punctuation(g) {
        return false;
    }
    let mut cs = g.chars();
    let Some(c) = cs.next() else { return false };
    matches!(c, '“' | '‘' | '(' | '[' | '{' | '「' | '『' | '〈' | '《' | '【' | '〔' | '（' | '［' | '｛' | '〝')
}

/// One visual line of a paragraph: a byte range of the text and its width in cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    /// First byte (absolute, into the article text).
    pub start: usize,
    /// One past the last byte shown (break spaces after it are not part of the line).
    pub end: usize,
    /// Width in cells (for a placeholder line: the width of the placeholder, 1).
    pub width: usize,
    /// The line is one grapheme wider than the whole line: draw [`PLACEHOLDER`] instead.
    pub placeholder: bool,
}

/// What a renderer draws for a grapheme wider than the whole line (width 1 pane, `가`).
pub const PLACEHOLDER: &str = ">";

struct G {
    start: usize,
    end: usize,
    width: usize,
}

/// Wraps one paragraph (`range` of `text`, without its `\n`) into lines.
pub fn wrap_paragraph(text: &str, range: Range<usize>, opts: Options) -> Vec<Line> {
    let mut out = Vec::new();
    wrap_into(text, range, opts, &mut out);
    out
}

/// As [`wrap_paragraph`], appending to `out`.
pub fn wrap_into(text: &str, range: Range<usize>, opts: Options, out: &mut Vec<Line>) {
    let base = range.start;
    let para = &text[range.clone()];
    let first_out = out.len();
    let mut w = Wrapper {
        width: opts.width.max(1),
        ambiwide: opts.ambiwide,
        line_start: None,
        line_end: base,
        line_w: 0,
        tok_start: None,
        tok_end: base,
        tok_last: base,
        tok_w: 0,
        gap_w: 0,
    };
    let mut iter = graphemes(para);
    let bytes = para.as_bytes();
    let sep_width = |g: &str| if is_zwsp(g) { 0 } else { grapheme_width(g, opts.ambiwide) };
    // leading indentation belongs to the first token
    let mut at_para_start = true;

    loop {
        // Fast path inside a token: printable ASCII other than space, and Hangul syllables, each
        // followed by a simple character, are graphemes of known width on their own.
        if !at_para_start {
            let mut i = iter.pos;
            let mut n = fast_len(bytes, i);
            while n != 0 {
                let next = fast_len(bytes, i + n);
                if next == 0 && i + n < bytes.len() && simple_at(bytes, i + n).is_none() {
                    break;
                }
                w.push(base + i, base + i + n, n.min(2));
                i += n;
                n = next;
            }
            iter.pos = i;
            // the commonest separator: one space, then a token that starts the fast way
            if bytes.get(i) == Some(&b' ') && w.tok_start.is_some() {
                let n = fast_len(bytes, i + 1);
                if n != 0 {
                    let next_closing = is_closing(&para[i + 1..i + 1 + n]);
                    w.separator(text, out, 1, base + i..base + i + 1, next_closing);
                    iter.pos = i + 1;
                    continue;
                }
            }
        }
        let item = iter.next();
        let (is_sep, g_off, g_str) = match item {
            Some((o, g)) => (is_space(g) || is_zwsp(g), o + base, g),
            None => (true, base + para.len(), ""),
        };
        if !is_sep || (at_para_start && !g_str.is_empty() && !is_zwsp(g_str)) {
            // part of the token (indentation at the start of the paragraph included)
            at_para_start &= is_sep;
            w.push(g_off, g_off + g_str.len(), grapheme_width(g_str, opts.ambiwide));
            continue;
        }
        at_para_start = false;
        // a separator (or the end): the token is complete unless kinsoku glues it to what follows
        if item.is_some() && w.tok_start.is_some() {
            // look past this space run: does the next token start with closing punctuation?
            let (mut sep_w, mut sep_last, mut sep_end) = (sep_width(g_str), g_off, g_off + g_str.len());
            let peek = loop {
                let mut ahead = iter.clone();
                match ahead.next() {
                    Some((o, g)) if is_space(g) || is_zwsp(g) => {
                        sep_w += sep_width(g);
                        (sep_last, sep_end) = (o + base, o + base + g.len());
                        iter = ahead;
                    }
                    other => break other,
                }
            };
            match peek {
                Some((_, g)) => w.separator(text, out, sep_w, sep_last..sep_end, is_closing(g)),
                None => {
                    w.place_token(text, out);
                    w.gap_w = sep_w;
                }
            }
            continue;
        }
        if item.is_none() {
            if w.tok_start.is_some() {
                w.place_token(text, out);
            }
            break;
        }
        // separator with no token before it (runs of spaces after a break, or ZWSP): widen gap
        if w.line_start.is_some() {
            w.gap_w += sep_width(g_str);
        }
    }
    if let Some(s) = w.line_start {
        out.push(Line { start: s, end: w.line_end, width: w.line_w, placeholder: false });
    }
    if out.len() == first_out {
        out.push(Line { start: base, end: base, width: 0, placeholder: false });
    }
}

/// The state of [`wrap_into`]: the line being filled and the token being collected.
struct Wrapper {
    width: usize,
    ambiwide: bool,
    /// First byte of the current line, when it has content.
    line_start: Option<usize>,
    line_end: usize,
    line_w: usize,
    /// The token, a contiguous byte range of graphemes: non-space ones, and the spaces glued
    /// in by kinsoku. `tok_start` is `None` while there is no token.
    tok_start: Option<usize>,
    tok_end: usize,
    /// First byte of the token's last grapheme.
    tok_last: usize,
    tok_w: usize,
    /// Width of the spaces between the current line's content and the token.
    gap_w: usize,
}

impl Wrapper {
    /// Adds the grapheme `start..end` of width `width` to the token.
    #[inline]
    fn push(&mut self, start: usize, end: usize, width: usize) {
        self.tok_start.get_or_insert(start);
        (self.tok_last, self.tok_end) = (start, end);
        self.tok_w += width;
    }

    /// The token met a run of separators of width `sep_w` whose last grapheme is `last`, and
    /// another token follows. Kinsoku glues the spaces into the token when the token ends with
    /// opening punctuation or the next one starts with closing punctuation; otherwise the token
    /// is placed and the spaces become the gap before the next one.
    #[inline]
    fn separator(&mut self, text: &str, out: &mut Vec<Line>, sep_w: usize, last: Range<usize>, next_closing: bool) {
        if next_closing || is_opening(&text[self.tok_last..self.tok_end]) {
            self.tok_w += sep_w;
            (self.tok_last, self.tok_end) = (last.start, last.end);
        } else {
            self.place_token(text, out);
            self.gap_w = sep_w;
        }
    }

    /// Puts the token on the current line, or on a new one, or hard-breaks it when it is wider
    /// than a whole line.
    fn place_token(&mut self, text: &str, out: &mut Vec<Line>) {
        let width = self.width;
        let Some(tok_start) = self.tok_start.take() else { return };
        let tok_w = std::mem::take(&mut self.tok_w);
        if let Some(s) = self.line_start {
            if self.line_w + self.gap_w + tok_w <= width {
                self.line_w += self.gap_w + tok_w;
                self.line_end = self.tok_end;
                self.gap_w = 0;
                return;
            }
            out.push(Line { start: s, end: self.line_end, width: self.line_w, placeholder: false });
            self.line_start = None;
            self.line_w = 0;
        }
        self.gap_w = 0;
        if tok_w <= width {
            self.line_start = Some(tok_start);
            self.line_end = self.tok_end;
            self.line_w = tok_w;
            return;
        }
        // the token's graphemes, measured as they were when collected (segmenting from a
        // grapheme boundary gives the same graphemes)
        let tok: Vec<G> = graphemes(&text[tok_start..self.tok_end])
            .map(|(o, g)| G {
                start: tok_start + o,
                end: tok_start + o + g.len(),
                width: if is_zwsp(g) { 0 } else { grapheme_width(g, self.ambiwide) },
            })
            .collect();
        // hard-break a token wider than the line
        let mut p = 0usize;
        while p < tok.len() {
            let mut w = 0usize;
            let mut q = p;
            while q < tok.len() && w + tok[q].width <= width {
                w += tok[q].width;
                q += 1;
            }
            if q == p {
                // a single grapheme wider than the whole line
                out.push(Line { start: tok[p].start, end: tok[p].end, width: 1.min(width), placeholder: true });
                p += 1;
                continue;
            }
            if q == tok.len() {
                self.line_start = Some(tok[p].start);
                self.line_end = tok[q - 1].end;
                self.line_w = w;
                break;
            }
            let g = |i: usize| &text[tok[i].start..tok[i].end];
            let mut cut = q;
            // prefer a URL break after / ? & = in the second half of the chunk
            let min_keep = p + (q - p).div_ceil(2);
            if let Some(u) = (min_keep..q).rev().find(|&i| matches!(g(i), "/" | "?" | "&" | "=")) {
                if u + 1 < q {
                    cut = u + 1;
                }
            }
            // kinsoku: the next line must not start with closing, this one must not end with opening
            let mut k = cut;
            while k > p + 1 && (is_closing(g(k)) || is_opening(g(k - 1)) || is_space(g(k))) {
                k -= 1;
            }
            if k > p && !(is_closing(g(k)) || is_opening(g(k - 1))) {
                cut = k;
            }
            let cw: usize = tok[p..cut].iter().map(|x| x.width).sum();
            out.push(Line { start: tok[p].start, end: tok[cut - 1].end, width: cw, placeholder: false });
            p = cut;
        }
    }
}

/// Byte ranges of the paragraphs of `text` (split at `\n`; the `\n` is in no paragraph).
pub fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', text.as_bytes()) {
        out.push(start..nl);
        start = nl + 1;
    }
    out.push(start..text.len());
    out
}

/// How a paragraph is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// Body text.
    Text,
    /// A caption: set apart in a frame (a figure block).
    Caption,
}

/// The role of a visual line within the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A line of text of a body paragraph.
    Text,
    /// The empty line between two paragraphs.
    Gap,
    /// The top border of a caption frame.
    FrameTop,
    /// A line of caption text inside a frame (indented by [`FRAME_INSET`] cells on the left).
    Framed,
    /// The bottom border of a caption frame.
    FrameBottom,
}

/// Cells a frame takes on the left (`│ `) and on the right (` │`) of caption text.
pub const FRAME_INSET: usize = 2;

/// One visual line of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VLine {
    /// The paragraph it belongs to.
    pub para: usize,
    /// Its role.
    pub role: Role,
    /// Its text (empty for gaps and frame borders: `start == end`).
    pub line: Line,
}

/// A position in the document: a paragraph and a visual line within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Pos {
    /// Paragraph index.
    pub para: usize,
    /// Visual line within the paragraph's lines (including its frame and trailing gap).
    pub row: usize,
}

/// Lazy, cached layout of one article for one [`Options`].
#[derive(Debug, Clone)]
pub struct DocLayout {
    opts: Options,
    paras: Vec<Range<usize>>,
    blocks: Vec<Block>,
    cache: Vec<Option<Vec<VLine>>>,
    /// Number of paragraphs laid out so far (for tests and benchmarks).
    pub laid_out: usize,
}

impl DocLayout {
    /// Prepares a layout of `article` (paragraph index and caption blocks; nothing laid out yet).
    pub fn new(article: &Article, opts: Options) -> Self {
        let paras = paragraphs(&article.text);
        let blocks = caption_blocks(article, &paras);
        let n = paras.len();
        DocLayout { opts, paras, blocks, cache: vec![None; n], laid_out: 0 }
    }

    /// The options this layout is for.
    pub fn options(&self) -> Options {
        self.opts
    }

    /// Changes the options; drops the cache only when they differ.
    pub fn set_options(&mut self, opts: Options) {
        if opts != self.opts {
            self.opts = opts;
            self.cache.iter_mut().for_each(|c| *c = None);
        }
    }

    /// Paragraph byte ranges.
    pub fn paragraphs(&self) -> &[Range<usize>] {
        &self.paras
    }

    /// How paragraph `i` is set.
    pub fn block(&self, i: usize) -> Block {
        self.blocks[i]
    }

    /// The visual lines of paragraph `i` (laid out on first use).
    pub fn para_lines(&mut self, text: &str, i: usize) -> &[VLine] {
        if self.cache[i].is_none() {
            self.laid_out += 1;
            let lines = self.lay_out_para(text, i);
            self.cache[i] = Some(lines);
        }
        self.cache[i].as_deref().unwrap_or(&[])
    }

    /// Lays out paragraph `i` without touching the cache (for one-pass output such as `print`).
    pub fn lay_out_para(&self, text: &str, i: usize) -> Vec<VLine> {
        let r = self.paras[i].clone();
        let last = i + 1 == self.paras.len();
        let mut out = Vec::new();
        let empty =
            |p| VLine { para: i, role: Role::Gap, line: Line { start: p, end: p, width: 0, placeholder: false } };
        match self.blocks[i] {
            Block::Text => {
                let mut ls = Vec::new();
                wrap_into(text, r.clone(), self.opts, &mut ls);
                out.extend(ls.into_iter().map(|line| VLine { para: i, role: Role::Text, line }));
            }
            Block::Caption => {
                let inner = self.opts.width.saturating_sub(2 * FRAME_INSET).max(1);
                let mut ls = Vec::new();
                wrap_into(text, r.clone(), Options { width: inner, ..self.opts }, &mut ls);
                out.push(VLine { role: Role::FrameTop, ..empty(r.start) });
                out.extend(ls.into_iter().map(|line| VLine { para: i, role: Role::Framed, line }));
                out.push(VLine { role: Role::FrameBottom, ..empty(r.end) });
            }
        }
        // a blank line between paragraphs; an empty paragraph is a blank line already
        let blank_para = r.is_empty() && self.blocks[i] == Block::Text;
        if !(last || blank_para) {
            out.push(empty(r.end));
        }
        out
    }

    /// The first position of the document.
    pub fn first(&self) -> Pos {
        Pos::default()
    }

    /// Up to `n` visual lines starting at `pos`.
    pub fn lines_from(&mut self, text: &str, pos: Pos, n: usize) -> Vec<(Pos, VLine)> {
        let mut out = Vec::with_capacity(n);
        let mut p = pos;
        while out.len() < n && p.para < self.paras.len() {
            let lines = self.para_lines(text, p.para);
            if p.row < lines.len() {
                out.push((p, lines[p.row]));
                p.row += 1;
            } else {
                p = Pos { para: p.para + 1, row: 0 };
            }
        }
        out
    }

    /// Moves `pos` by `delta` visual lines (clamped to the document).
    pub fn advance(&mut self, text: &str, pos: Pos, delta: isize) -> Pos {
        let mut p = pos;
        let nparas = self.paras.len();
        if delta >= 0 {
            let mut left = delta as usize;
            loop {
                let len = self.para_lines(text, p.para).len();
                let room = len.saturating_sub(1).saturating_sub(p.row);
                if left <= room {
                    p.row += left;
                    return p;
                }
                if p.para + 1 >= nparas {
                    p.row = len.saturating_sub(1);
                    return p;
                }
                left -= room + 1;
                p = Pos { para: p.para + 1, row: 0 };
            }
        } else {
            let mut left = delta.unsigned_abs();
            loop {
                if left <= p.row {
                    p.row -= left;
                    return p;
                }
                if p.para == 0 {
                    return Pos::default();
                }
                left -= p.row + 1;
                let len = self.para_lines(text, p.para - 1).len();
                p = Pos { para: p.para - 1, row: len.saturating_sub(1) };
            }
        }
    }

    /// The position of the last visual line of the document.
    pub fn last(&mut self, text: &str) -> Pos {
        let para = self.paras.len() - 1;
        let len = self.para_lines(text, para).len();
        Pos { para, row: len.saturating_sub(1) }
    }

    /// The paragraph that contains byte `b` (a `\n` belongs to the paragraph it ends).
    pub fn para_of(&self, b: usize) -> usize {
        self.paras.partition_point(|r| r.end < b).min(self.paras.len() - 1)
    }

    /// The position of the visual line that shows byte `b`.
    pub fn pos_of(&mut self, text: &str, b: usize) -> Pos {
        let para = self.para_of(b);
        let lines = self.para_lines(text, para);
        let mut row = 0;
        for (i, l) in lines.iter().enumerate() {
            if matches!(l.role, Role::Text | Role::Framed) {
                if l.line.start <= b {
                    row = i;
                } else {
                    break;
                }
            }
        }
        Pos { para, row }
    }

    /// A byte offset standing for `pos` (the start of its line), for percentages and anchors.
    pub fn byte_of(&mut self, text: &str, pos: Pos) -> usize {
        let lines = self.para_lines(text, pos.para);
        lines.get(pos.row).map_or(text.len(), |l| l.line.start)
    }
}

/// Marks the paragraphs that a caption annotation covers entirely (ignoring surrounding spaces)
/// as caption blocks.
pub fn caption_blocks(article: &Article, paras: &[Range<usize>]) -> Vec<Block> {
    let mut blocks = vec![Block::Text; paras.len()];
    let starts: Vec<usize> = paras.iter().map(|r| r.start).collect();
    for a in article.annotations.iter().filter(|a| a.kind == Kind::Caption && a.start < a.end) {
        let i = starts.partition_point(|&s| s <= a.start).saturating_sub(1);
        let r = &paras[i];
        let body = &article.text[r.clone()];
        let lead = body.len() - body.trim_start().len();
        let trail = body.len() - body.trim_end().len();
        if a.start <= r.start + lead && a.end >= r.end - trail && r.end - trail > r.start + lead {
            blocks[i] = Block::Caption;
        }
    }
    blocks
}

/// An interval index over annotations: which ones overlap a byte range.
#[derive(Debug, Clone, Default)]
pub struct SpanIndex {
    /// Indices of the non-empty annotations, by start.
    order: Vec<u32>,
    /// Their starts and ends (kept here so that queries do not touch the annotations).
    starts: Vec<usize>,
    ends: Vec<usize>,
    /// The largest end among `order[..=i]`.
    max_end: Vec<usize>,
}

impl SpanIndex {
    /// Builds the index over `anns` (any order; indices refer to `anns`).
    pub fn new(anns: &[Annotation]) -> Self {
        let mut order: Vec<u32> =
            (0..anns.len() as u32).filter(|&i| anns[i as usize].start < anns[i as usize].end).collect();
        order.sort_by_key(|&i| anns[i as usize].start);
        let starts: Vec<usize> = order.iter().map(|&i| anns[i as usize].start).collect();
        let ends: Vec<usize> = order.iter().map(|&i| anns[i as usize].end).collect();
        let max_end = ends
            .iter()
            .scan(0, |m, &e| {
                *m = e.max(*m);
                Some(*m)
            })
            .collect();
        SpanIndex { order, starts, ends, max_end }
    }

    /// Indices of the annotations that overlap `range`, in start order.
    pub fn overlapping(&self, range: Range<usize>) -> Vec<u32> {
        let hi = self.starts.partition_point(|&s| s < range.end.max(range.start + 1));
        let mut out = Vec::new();
        let mut i = hi;
        while i > 0 {
            i -= 1;
            if self.max_end[i] <= range.start {
                break;
            }
            if self.ends[i] > range.start {
                out.push(self.order[i]);
            }
        }
        out.reverse();
        out
    }
}

/// A run of a line with one set of highlights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Annotations covering the run, outermost first (the last one is drawn on top).
    pub stack: Vec<u32>,
}

/// Orders overlapping annotations: longer spans first (outer), then by kind precedence, then id.
fn nest_order(anns: &[Annotation], a: u32, b: u32) -> std::cmp::Ordering {
    let (x, y) = (&anns[a as usize], &anns[b as usize]);
    (y.end - y.start)
        .cmp(&(x.end - x.start))
        .then(x.kind.precedence().cmp(&y.kind.precedence()))
        .then_with(|| x.id.cmp(&y.id))
        .then(a.cmp(&b))
}

/// Splits `text[range]` into runs of constant highlight. Every grapheme that overlaps an
/// annotation is highlighted by it (annotation edges snap outward to grapheme boundaries).
pub fn runs(text: &str, range: Range<usize>, anns: &[Annotation], index: &SpanIndex) -> Vec<Run> {
    runs_among(text, range.clone(), anns, &index.overlapping(range))
}

/// As [`runs`], with the annotations to consider given: any superset, in start order, of those
/// that overlap `range` (such as those that overlap the whole paragraph, looked up once).
pub fn runs_among(text: &str, range: Range<usize>, anns: &[Annotation], cands: &[u32]) -> Vec<Run> {
    let mut out = Vec::new();
    for_each_run(text, range, anns, cands, &mut RunScratch::default(), |r, stack| {
        out.push(Run { start: r.start, end: r.end, stack: stack.to_vec() })
    });
    out
}

/// Working space of [`for_each_run`], kept between calls to spare allocations.
#[derive(Debug, Default)]
pub struct RunScratch {
    cands: Vec<u32>,
    edges: Vec<usize>,
    stack: Vec<u32>,
    run: Vec<u32>,
}

/// Calls `f` with each run of [`runs_among`] (its byte range and its highlights, outermost
/// first) without building them: what printers use.
pub fn for_each_run(
    text: &str,
    range: Range<usize>,
    anns: &[Annotation],
    cands: &[u32],
    scratch: &mut RunScratch,
    mut f: impl FnMut(Range<usize>, &[u32]),
) {
    let RunScratch { cands: own, edges, stack, run } = scratch;
    own.clear();
    own.extend(cands.iter().copied().filter(|&i| {
        let a = &anns[i as usize];
        a.start < a.end && a.start < range.end.max(range.start + 1) && a.end > range.start
    }));
    let cands = &own[..];
    if range.is_empty() {
        return;
    }
    if cands.is_empty() {
        f(range, &[]);
        return;
    }
    // Edges of the candidates inside the range, in order: the stack can only change at a
    // grapheme that contains (or starts after) one of them.
    edges.clear();
    edges.extend(
        cands
            .iter()
            .flat_map(|&i| [anns[i as usize].start, anns[i as usize].end])
            .filter(|&e| e > range.start && e < range.end),
    );
    edges.sort_unstable();
    edges.dedup();
    let seg = &text[range.clone()];
    // the run being built: its start, end and highlights (`run`)
    let mut cur: Option<Range<usize>> = None;
    let mut step = |r: Range<usize>, f: &mut dyn FnMut(Range<usize>, &[u32])| {
        stack.clear();
        stack.extend(
            cands.iter().copied().filter(|&i| anns[i as usize].start < r.end && anns[i as usize].end > r.start),
        );
        stack.sort_by(|&a, &b| nest_order(anns, a, b));
        match &mut cur {
            Some(c) if *run == *stack => c.end = r.end,
            _ => {
                if let Some(c) = cur.take() {
                    f(c, run);
                }
                std::mem::swap(run, stack);
                cur = Some(r);
            }
        }
    };
    if edges.iter().all(|&e| sure_boundary(seg, e - range.start)) {
        // every edge is a grapheme boundary: the stack is constant between edges
        let mut prev = range.start;
        for p in edges.iter().copied().chain(std::iter::once(range.end)) {
            step(prev..p, &mut f);
            prev = p;
        }
    } else {
        let mut next_edge = 0usize;
        // `recheck`: an edge fell strictly inside the previous grapheme, so the next may differ
        let mut recheck = true;
        let mut pending: Option<Range<usize>> = None;
        for (o, g) in graphemes(seg) {
            let gs = range.start + o;
            let ge = gs + g.len();
            let changed = recheck || (next_edge < edges.len() && edges[next_edge] < ge);
            if !changed {
                // same highlights as the grapheme before
                if let Some(p) = &mut pending {
                    p.end = ge;
                }
                continue;
            }
            recheck = false;
            while next_edge < edges.len() && edges[next_edge] < ge {
                recheck |= edges[next_edge] > gs;
                next_edge += 1;
            }
            if let Some(p) = pending.take() {
                step(p, &mut f);
            }
            pending = Some(gs..ge);
        }
        if let Some(p) = pending {
            step(p, &mut f);
        }
    }
    if let Some(c) = cur {
        f(c, run);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_len_knows_hangul_syllables_and_printable_ascii_only() {
        for (c, want) in [
            ('\u{ABFF}', 0),
            ('가', 3),
            ('\u{AFFF}', 3),
            ('\u{B000}', 3),
            ('\u{CFFF}', 3),
            ('\u{D77F}', 3),
            ('\u{D780}', 3),
            ('힣', 3),
            ('\u{D7A4}', 0),
            ('\u{D7B0}', 0),
            ('!', 1),
            ('~', 1),
            (' ', 0),
            ('\u{7F}', 0),
            ('é', 0),
        ] {
            let s = c.to_string();
            assert_eq!(fast_len(s.as_bytes(), 0), want, "{c:?}");
        }
        assert_eq!(fast_len(b"", 0), 0);
    }

    fn wrap(s: &str, w: usize) -> Vec<String> {
        wrap_paragraph(s, 0..s.len(), Options::new(w)).iter().map(|l| s[l.start..l.end].to_string()).collect()
    }

    #[test]
    fn keep_all_breaks_between_eojeol() {
        assert_eq!(wrap("한글이 한글이 한글이", 14), vec!["한글이 한글이", "한글이"]);
        assert_eq!(wrap("한글이 한글이 한글이", 13), vec!["한글이 한글이", "한글이"]);
        assert_eq!(wrap("한글이 한글이 한글이", 12), vec!["한글이", "한글이", "한글이"]);
    }

    #[test]
    fn wide_char_never_crosses_the_edge() {
        assert_eq!(wrap("가나다라마", 9), vec!["가나다라", "마"]);
        assert_eq!(wrap("abc가", 4), vec!["abc", "가"]);
        let l = wrap_paragraph("가", 0..3, Options::new(1));
        assert_eq!(l.len(), 1);
        assert!(l[0].placeholder);
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // hard break inside a token: 。 must not start the second line
        let lines = wrap("가나다。라", 6);
        assert!(!lines[1].starts_with('。'), "{lines:?}");
        // a lone closing quote after a space is glued to the word before it
        let lines = wrap("그는 말했다 ”", 12);
        assert!(lines.iter().all(|l| !l.starts_with('”')), "{lines:?}");
    }

    #[test]
    fn url_breaks_after_slash() {
        let url = "https://www.example.co.kr/news/articleView.html?idxno=1234567";
        let lines = wrap(url, 30);
        assert!(lines.iter().all(|l| str_width(l, false) <= 30));
        assert!(lines[0].ends_with('/'), "{lines:?}");
        assert_eq!(lines.concat(), url);
    }

    #[test]
    fn span_index_and_runs() {
        let text = "대통령은 “경제가 좋다”고 말했다";
        let mut q = Annotation::new("q1", Kind::Quote, "QUOTE", 13, 35);
        q.end = text.find("고").unwrap();
        let e = Annotation::new("e1", Kind::Entity, "ORG", 16, 22);
        let anns = vec![q, e];
        let idx = SpanIndex::new(&anns);
        let rs = runs(text, 0..text.len(), &anns, &idx);
        let entity_run = rs.iter().find(|r| r.stack == vec![0, 1]).unwrap();
        assert_eq!(&text[entity_run.start..entity_run.end], "경제");
    }
}
