//! Cleaning text for display, with an offset map.
//!
//! [`clean`] removes whole terminal escape sequences (ESC/CSI/OSC/DCS/SOS/PM/APC and their C1
//! forms), other control characters, bidi controls, BOM, soft hyphen, Hangul fillers and
//! stand-alone zero-width graphemes; expands tabs to four spaces; turns CR, CRLF, NEL, LS and PS
//! into `\n`; and normalises to NFC, one grapheme cluster at a time. The returned [`OffsetMap`]
//! maps every code-point offset of the raw text to a code-point offset of the cleaned text, so
//! an annotation still covers the same characters (a span over NFD jamo covers the composed
//! syllable; a span edge inside a removed sequence moves to where the sequence was).
//!
//! Zero-width space (U+200B) is kept: the layout uses it as a break opportunity and renderers
//! never draw it.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;

/// Spaces a tab expands to.
pub const TAB_SPACES: usize = 4;

/// One replaced region: raw code points `raw_start..raw_end` became clean code points
/// `clean_start..clean_end` (possibly empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Edit {
    raw_start: usize,
    raw_end: usize,
    clean_start: usize,
    clean_end: usize,
}

/// Which side of a span an offset is: starts snap left, ends snap right, inside a replaced region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bias {
    /// The offset starts a span.
    Start,
    /// The offset ends a span.
    End,
}

/// Maps code-point offsets of raw text to code-point offsets of its cleaned form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    stages: Vec<Vec<Edit>>,
    raw_len: usize,
    clean_len: usize,
}

impl OffsetMap {
    /// Length of the raw text in code points.
    pub fn raw_len(&self) -> usize {
        self.raw_len
    }

    /// Length of the cleaned text in code points.
    pub fn clean_len(&self) -> usize {
        self.clean_len
    }

    /// True when cleaning changed nothing.
    pub fn is_identity(&self) -> bool {
        self.stages.iter().all(Vec::is_empty)
    }

    /// Maps a raw code-point offset (`<= raw_len`) to a cleaned code-point offset.
    pub fn map(&self, raw: usize, bias: Bias) -> usize {
        let mut pos = raw.min(self.raw_len);
        for edits in &self.stages {
            pos = map_stage(edits, pos, bias);
        }
        pos
    }
}

fn map_stage(edits: &[Edit], r: usize, bias: Bias) -> usize {
    // last edit with raw_start <= r
    let i = edits.partition_point(|e| e.raw_start <= r);
    if i == 0 {
        return r;
    }
    let e = edits[i - 1];
    if r == e.raw_start {
        e.clean_start
    } else if r < e.raw_end {
        match bias {
            Bias::Start => e.clean_start,
            Bias::End => e.clean_end,
        }
    } else {
        e.clean_end + (r - e.raw_end)
    }
}

struct Builder {
    out: String,
    edits: Vec<Edit>,
    raw_pos: usize,
    clean_pos: usize,
}

impl Builder {
    fn keep(&mut self, c: char) {
        self.out.push(c);
        self.raw_pos += 1;
        self.clean_pos += 1;
    }
    /// Replace `raw_n` raw code points by `with`.
    fn replace(&mut self, raw_n: usize, with: &str) {
        let n = with.chars().count();
        self.out.push_str(with);
        self.edits.push(Edit {
            raw_start: self.raw_pos,
            raw_end: self.raw_pos + raw_n,
            clean_start: self.clean_pos,
            clean_end: self.clean_pos + n,
        });
        self.raw_pos += raw_n;
        self.clean_pos += n;
    }
}

/// True for characters that are removed wherever they stand.
fn is_dropped(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1A}' | '\u{1C}'..='\u{1F}' | '\u{7F}'
        | '\u{80}'..='\u{84}' | '\u{86}'..='\u{9F}'
        | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}' | '\u{00AD}' | '\u{3164}' | '\u{FFA0}' | '\u{115F}' | '\u{1160}'
        | '\u{FFF9}'..='\u{FFFB}')
}

/// Length in chars of the escape sequence starting at `chars[0]` (ESC or a C1 introducer),
/// or 0 when `chars[0]` starts none.
fn escape_len(chars: &[char]) -> usize {
    let (kind, body) = match chars[0] {
        '\u{1B}' => match chars.get(1) {
            None => return 1,
            Some('[') => ('C', 2),
            Some(']') => ('S', 2),
            Some('P' | 'X' | '^' | '_') => ('S', 2),
            Some(_) => return 2,
        },
        '\u{9B}' => ('C', 1),
        '\u{9D}' | '\u{90}' | '\u{98}' | '\u{9E}' | '\u{9F}' => ('S', 1),
        _ => return 0,
    };
    let mut i = body;
    if kind == 'C' {
        while i < chars.len() && ('\u{30}'..='\u{3F}').contains(&chars[i]) {
            i += 1;
        }
        while i < chars.len() && ('\u{20}'..='\u{2F}').contains(&chars[i]) {
            i += 1;
        }
        if i < chars.len() && ('\u{40}'..='\u{7E}').contains(&chars[i]) {
            i += 1;
        }
        i
    } else {
        // string: until BEL, ST (ESC \) or C1 ST; an unterminated string runs to the end of
        // the text (as a terminal would swallow it).
        while i < chars.len() {
            match chars[i] {
                '\u{7}' | '\u{9C}' => return i + 1,
                '\u{1B}' if chars.get(i + 1) == Some(&'\\') => return i + 2,
                _ => i += 1,
            }
        }
        i
    }
}

/// What a quick scan finds: whether stage 1 must run, and whether stage 2 may have work.
fn scan(raw: &str) -> (bool, bool, usize) {
    let b = raw.as_bytes();
    let mut stage1 = false;
    let mut stage2 = false;
    let mut count = 0;
    let mut i = 0;
    while i < b.len() {
        count += 1;
        let x = b[i];
        if x < 0x80 {
            stage1 |= (x < 0x20 && x != b'\n') || x == 0x7F;
            i += 1;
            continue;
        }
        if hangul_len_at(b, i) == 3 {
            i += 3; // precomposed Hangul: NFC, never zero-width, never dropped
            continue;
        }
        let Some(c) = raw.get(i..).and_then(|r| r.chars().next()) else { break };
        i += c.len_utf8();
        if c.is_control() || is_dropped(c) || matches!(c, '\u{2028}' | '\u{2029}') {
            stage1 = true;
        } else if !stage2
            && ((c.width() == Some(0) && c != '\u{200B}')
                || unicode_normalization::char::canonical_combining_class(c) != 0
                || is_nfc_quick(std::iter::once(c)) != IsNormalized::Yes)
        {
            stage2 = true;
        }
    }
    (stage1, stage2, count)
}

/// The byte length of the Hangul syllable (U+AC00..=U+D7A3) at `b[i]`: 3, or 0 when none starts
/// there (or `i` is past the end). `b` is valid UTF-8, so the lead byte and the first
/// continuation byte tell. The one test for "a syllable starts here" of cleaning, layout and
/// the extractor.
#[inline]
pub(crate) fn hangul_len_at(b: &[u8], i: usize) -> usize {
    // U+AC00 is EA B0 80, U+D7A3 is ED 9E A3
    match b.get(i) {
        Some(0xEB | 0xEC) => 3,
        Some(0xEA) if b.get(i + 1).is_some_and(|&c| c >= 0xB0) => 3,
        Some(0xED) if matches!(b.get(i + 1..i + 3), Some(&[c1, c2]) if c1 < 0x9E || (c1 == 0x9E && c2 <= 0xA3)) => 3,
        _ => 0,
    }
}

/// Stage 1: escape sequences, controls, line ends, tabs. Returns the text, its edits, and
/// whether stage 2 (NFC, zero-width graphemes) has anything to do.
fn sanitize(raw: &str) -> (String, Vec<Edit>, bool) {
    let mut suspicious = false;
    let chars: Vec<char> = raw.chars().collect();
    let mut b = Builder { out: String::with_capacity(raw.len()), edits: Vec::new(), raw_pos: 0, clean_pos: 0 };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let n = escape_len(&chars[i..]);
        if n > 0 {
            b.replace(n, "");
            i += n;
            continue;
        }
        match c {
            '\r' if chars.get(i + 1) == Some(&'\n') => {
                b.replace(2, "\n");
                i += 2;
                continue;
            }
            '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' => b.replace(1, "\n"),
            '\t' => b.replace(1, &" ".repeat(TAB_SPACES)),
            '\n' => b.keep(c),
            c if is_dropped(c) => b.replace(1, ""),
            c => {
                if !c.is_ascii() && c.width() == Some(0) && c != '\u{200B}' {
                    suspicious = true;
                }
                b.keep(c)
            }
        }
        i += 1;
    }
    let needs_stage2 = suspicious || is_nfc_quick(b.out.chars()) != IsNormalized::Yes;
    (b.out, b.edits, needs_stage2)
}

/// Stage 2: NFC per grapheme cluster; stand-alone zero-width graphemes removed.
fn compose(text: &str) -> (String, Vec<Edit>) {
    let mut b = Builder { out: String::with_capacity(text.len()), edits: Vec::new(), raw_pos: 0, clean_pos: 0 };
    for g in text.graphemes(true) {
        let n = g.chars().count();
        let zero = g != "\n" && g != "\u{200B}" && unicode_width::UnicodeWidthStr::width(g) == 0;
        if zero {
            b.replace(n, "");
        } else if g.is_ascii() || is_nfc_quick(g.chars()) == IsNormalized::Yes {
            b.out.push_str(g);
            b.raw_pos += n;
            b.clean_pos += n;
        } else {
            let nfc: String = g.nfc().collect();
            if nfc == g {
                b.out.push_str(g);
                b.raw_pos += n;
                b.clean_pos += n;
            } else {
                b.replace(n, &nfc);
            }
        }
    }
    (b.out, b.edits)
}

/// Cleans `raw` for display and returns the cleaned text with its offset map.
pub fn clean(raw: &str) -> (String, OffsetMap) {
    clean_impl(std::borrow::Cow::Borrowed(raw))
}

/// As [`clean`], taking ownership: clean text is returned without a copy.
pub fn clean_owned(raw: String) -> (String, OffsetMap) {
    clean_impl(std::borrow::Cow::Owned(raw))
}

/// As [`scan`]; a large text is scanned in two halves at once.
fn scan_large(raw: &str) -> (bool, bool, usize) {
    if raw.len() < 1 << 22 {
        return scan(raw);
    }
    let mut mid = raw.len() / 2;
    while !raw.is_char_boundary(mid) {
        mid += 1;
    }
    let (a, b) = raw.split_at(mid);
    std::thread::scope(|s| {
        let second = s.spawn(|| scan(b));
        let x = scan(a);
        let y = second.join().unwrap_or_else(|_| scan(b));
        (x.0 | y.0, x.1 | y.1, x.2 + y.2)
    })
}

/// True when [`clean`] would return `s` unchanged with an identity map (one quick pass; the
/// caller can then keep `s` as it is).
pub fn is_clean(s: &str) -> bool {
    matches!(scan(s), (false, false, _))
}

fn clean_impl(raw: std::borrow::Cow<'_, str>) -> (String, OffsetMap) {
    let (stage1, stage2, raw_len) = scan_large(&raw);
    if !stage1 && !stage2 {
        return (raw.into_owned(), OffsetMap { stages: vec![], raw_len, clean_len: raw_len });
    }
    let (s1, e1, stage2) = if stage1 { sanitize(&raw) } else { (raw.into_owned(), Vec::new(), stage2) };
    let (text, e2) = if stage2 { compose(&s1) } else { (s1, Vec::new()) };
    let clean_len = if e1.is_empty() && e2.is_empty() { raw_len } else { text.chars().count() };
    (text, OffsetMap { stages: vec![e1, e2], raw_len, clean_len })
}

/// Cleans a short piece of metadata (title, source): as [`clean`], with line breaks made spaces.
pub fn clean_line(raw: &str) -> String {
    let (t, _) = clean(raw);
    t.replace('\n', " ").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hangul_len_at_finds_exactly_the_syllables() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let s = c.encode_utf8(&mut buf).as_bytes();
            let want = if ('\u{AC00}'..='\u{D7A3}').contains(&c) { 3 } else { 0 };
            assert_eq!(hangul_len_at(s, 0), want, "{c:?}");
            // past the end, and inside the character, nothing starts
            for k in 1..=s.len() {
                assert_eq!(hangul_len_at(s, k), 0, "{c:?} at {k}");
            }
        }
    }

    #[test]
    fn removes_whole_escape_sequences() {
        assert_eq!(clean("\u{1b}[31m빨강\u{1b}[0m").0, "빨강");
        assert_eq!(clean("a\u{1b}]52;c;SGk=\u{7}b").0, "ab");
        assert_eq!(clean("a\u{1b}]0;title\u{1b}\\b").0, "ab");
        assert_eq!(clean("\u{9b}2Jx").0, "x");
        assert_eq!(clean("a\u{202e}bc").0, "abc");
        assert_eq!(clean("\u{feff}가").0, "가");
        assert_eq!(clean("a\tb").0, "a    b");
        assert_eq!(clean("a\r\nb\rc\u{2028}d").0, "a\nb\nc\nd");
        assert_eq!(clean("x\u{3164}y\u{ad}z").0, "xyz");
        assert_eq!(clean("\u{200d}\u{200c}\u{2060}").0, "");
        assert_eq!(clean("\u{1161}").0, "");
    }

    #[test]
    fn nfc_and_map() {
        let raw = "\u{1112}\u{1161}\u{11AB}국"; // NFD 한 + 국
        let (t, m) = clean(raw);
        assert_eq!(t, "한국");
        assert_eq!(m.map(0, Bias::Start), 0);
        assert_eq!(m.map(3, Bias::Start), 1);
        assert_eq!(m.map(4, Bias::End), 2);
        // an edge inside the cluster snaps outward
        assert_eq!(m.map(1, Bias::Start), 0);
        assert_eq!(m.map(1, Bias::End), 1);
    }

    #[test]
    fn map_through_removed_sequence() {
        let raw = "ab\u{1b}[1mcd";
        let (t, m) = clean(raw);
        assert_eq!(t, "abcd");
        assert_eq!(m.map(2, Bias::Start), 2);
        assert_eq!(m.map(6, Bias::Start), 2);
        assert_eq!(m.map(8, Bias::End), 4);
    }

    #[test]
    fn identity_for_clean_korean() {
        let (t, m) = clean("대통령은 “안녕”이라고 말했다.");
        assert!(m.is_identity());
        assert_eq!(t, "대통령은 “안녕”이라고 말했다.");
    }

    #[test]
    fn compat_ideograph_is_normalised() {
        let (t, m) = clean("\u{F900}a");
        assert_eq!(t, "\u{8C48}a");
        assert_eq!(m.map(1, Bias::Start), 1);
    }

    #[test]
    fn is_clean_says_yes_only_when_clean_changes_nothing() {
        for s in ["한국은행 3.0% \"동결\"…", "🇰🇷 😀 a\nb", "“인용” · 〈책〉 ㈜가온"] {
            assert!(is_clean(s), "{s}");
        }
        for s in ["a\tb", "a\r\nb", "\u{1112}\u{1161}", "e\u{301}", "\u{200D}x", "\u{1b}[1m", "a\u{ad}b", "\u{F900}"] {
            assert!(!is_clean(s), "{s:?}");
            assert_ne!(clean(s).0, s, "{s:?}: the test string must be one clean changes");
        }
    }

    proptest! {
        #[test]
        fn is_clean_implies_identity(s in "(\\PC|[\u{0}-\u{1f}\u{80}-\u{9f}\u{1100}-\u{11ff}\u{300}-\u{36f}\u{200b}-\u{200f}\u{fe0f}\u{ac00}-\u{ac10}😀🇰🇷])*") {
            if is_clean(&s) {
                let (t, m) = clean(&s);
                prop_assert_eq!(&t, &s);
                prop_assert!(m.is_identity());
            }
        }
    }
}
