//! Tokens and sentences of the article text.
//!
//! A token is a maximal run of Hangul syllables and ASCII letters and digits (with `-` or `.`
//! inside a run of letters or digits: `NX-200`, `2.5`). Particles stay glued to their word
//! (`한빛전자가`); [`super::hangul::strip_particles`] takes them off where needed.

use std::ops::Range;

/// One token: byte offsets into the article text, its paragraph and its neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tok {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// End of the stem: the token without its particles (`한빛전자가` → `한빛전자`).
    pub stem_end: usize,
    /// Paragraph index.
    pub para: usize,
    /// What the lookup of [`tokenize`] says about the stem (gazetteer flags).
    pub flags: u32,
    /// The character before the token (`'\n'` at a paragraph start).
    pub before: char,
    /// The character after the token (`'\n'` at a paragraph end).
    pub after: char,
    /// The token's first character (an ASCII letter or digit, or a Hangul syllable).
    pub first: char,
    /// The last character of the stem (`'\0'` when the stem is empty).
    pub stem_last: char,
}

impl Tok {
    /// The token's text.
    #[inline]
    pub fn word<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// The token without its particles.
    #[inline]
    pub fn stem<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.stem_end]
    }

    /// The particles after the stem (may be empty).
    #[inline]
    pub fn particle<'a>(&self, text: &'a str) -> &'a str {
        &text[self.stem_end..self.end]
    }

    /// True when the token has no particle.
    #[inline]
    pub fn bare(&self) -> bool {
        self.stem_end == self.end
    }
}

/// Splits the paragraphs of `text` into tokens. `lookup(word)` gives a word's flags (see
/// [`super::gazetteer::flag`]); a word with a flag in `keep` does not lose its last syllables to
/// particle stripping (`김정은`, `관계자`). Each token stores its stem's flags.
pub fn tokenize<F: Fn(&str) -> u32 + ?Sized>(text: &str, paras: &[Range<usize>], lookup: &F, keep: u32) -> Vec<Tok> {
    let mut out = Vec::with_capacity(text.len() / 7);
    for (pi, r) in paras.iter().enumerate() {
        let p = &text[r.start..r.end];
        let b = p.as_bytes();
        // bytes, not chars: a continuation byte is never a word character, so a byte that starts
        // no word character can be stepped over alone
        let mut i = 0;
        while i < b.len() {
            let n = word_char_len(b, i);
            if n == 0 {
                i += 1;
                continue;
            }
            let start = i;
            let mut end = i + n;
            let mut last_ascii = n == 1;
            while end < b.len() {
                let n = word_char_len(b, end);
                if n > 0 {
                    end += n;
                    last_ascii = n == 1;
                } else if matches!(b[end], b'-' | b'.')
                    && last_ascii
                    && b.get(end + 1).is_some_and(u8::is_ascii_alphanumeric)
                {
                    // inside a code or a decimal: the mark and the letter or digit after it
                    end += 2;
                } else {
                    break;
                }
            }
            let word = &p[start..end];
            // only Hangul endings carry particles
            let (stem_len, flags) =
                if last_ascii { (word.len(), lookup(word)) } else { super::hangul::stem_split(word, lookup, keep) };
            // the stem ends with a word character too: one byte or three
            let stem_last = match stem_len {
                0 => '\0',
                _ if b[start + stem_len - 1] < 0x80 => char::from(b[start + stem_len - 1]),
                _ => syllable_at(b, start + stem_len - 3),
            };
            out.push(Tok {
                start: r.start + start,
                end: r.start + end,
                stem_end: r.start + start + stem_len,
                para: pi,
                flags,
                // mostly a space or an ASCII mark: one byte, decoded without slicing
                before: match start.checked_sub(1).map(|k| b[k]) {
                    None => '\n',
                    Some(x) if x < 0x80 => char::from(x),
                    Some(_) => p[..start].chars().next_back().unwrap_or('\n'),
                },
                after: match b.get(end) {
                    None => '\n',
                    Some(&x) if x < 0x80 => char::from(x),
                    Some(_) => p[end..].chars().next().unwrap_or('\n'),
                },
                first: if n == 1 { char::from(b[start]) } else { syllable_at(b, start) },
                stem_last,
            });
            i = end;
        }
    }
    out
}

/// The Hangul syllable whose three bytes start at `b[i]` (see [`word_char_len`]).
#[inline]
fn syllable_at(b: &[u8], i: usize) -> char {
    let Some(&[x, y, z]) = b.get(i..i + 3) else { return '\0' };
    char::from_u32((u32::from(x) & 0x0F) << 12 | (u32::from(y) & 0x3F) << 6 | (u32::from(z) & 0x3F)).unwrap_or('\0')
}

/// The byte length of the word character (see [`super::hangul::is_word_char`]) at `b[i]`, or 0 when none
/// starts there. `b` is valid UTF-8.
#[inline]
fn word_char_len(b: &[u8], i: usize) -> usize {
    // one table lookup per byte: ASCII letters and digits (1), the lead bytes EB and EC, which
    // always start a syllable (3), and EA and ED, which start one only in part of their range (2)
    const CLASS: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut c = 0;
        while c < 128 {
            if (c as u8).is_ascii_alphanumeric() {
                t[c] = 1;
            }
            c += 1;
        }
        t[0xEB] = 3;
        t[0xEC] = 3;
        t[0xEA] = 2;
        t[0xED] = 2;
        t
    };
    match CLASS[b[i] as usize] {
        0 => 0,
        1 => 1,
        3 => 3,
        _ => crate::clean::hangul_len_at(b, i),
    }
}

/// The positions of two ascending iterators (memchr searches of one text), merged in ascending
/// order.
pub fn merged(a: impl Iterator<Item = usize>, b: impl Iterator<Item = usize>) -> impl Iterator<Item = usize> {
    let (mut a, mut b) = (a.peekable(), b.peekable());
    std::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some(x), Some(y)) if y < x => b.next(),
        (Some(_), _) => a.next(),
        (None, _) => b.next(),
    })
}

/// The paragraph ranges of a text with one paragraph (for tests and single lines).
pub fn one_paragraph(s: &str) -> Vec<Range<usize>> {
    std::iter::once(0..s.len()).collect()
}

/// Double quote marks: (open, close); a straight `"` both opens and closes.
pub const DOUBLE_OPEN: &[char] = &['“', '"', '「', '『', '″'];
/// Closing double quote marks.
pub const DOUBLE_CLOSE: &[char] = &['”', '"', '」', '』', '″'];

/// Sentences of paragraph `r`: byte ranges. A sentence ends after `.`, `?` or `!` followed by a
/// space or the paragraph end, never inside a double quote; a quote whose content ends a
/// sentence (`“…다.” 동해FC …`) ends it too when a space follows the closing mark.
pub fn sentences(text: &str, r: Range<usize>) -> Vec<Range<usize>> {
    let p = &text[r.start..r.end];
    let mut out = Vec::with_capacity(p.len() / 64 + 2);
    // a sentence without its leading white space; an empty one is dropped
    let mut push = |s: usize, e: usize| {
        let t = &p[s..e];
        let s = s + (t.len() - t.trim_start().len());
        if s < e {
            out.push(r.start + s..r.start + e);
        }
    };
    let mut start = 0;
    let mut depth = 0u32;
    let mut straight_open = false;
    // only quote marks and . ? ! matter: jump from one to the next (their lead bytes: '"', '.',
    // '?', '!', E2 for “”, E3 for 「」『』; the second search rarely finds anything); prev and
    // next are the characters around each
    let b = p.as_bytes();
    for i in merged(memchr::memchr3_iter(b'.', b'"', 0xE2, b), memchr::memchr3_iter(b'?', b'!', 0xE3, b)) {
        let Some(c) = p[i..].chars().next() else { break };
        let from = i + c.len_utf8();
        let prev = if i == 0 { ' ' } else { p[..i].chars().next_back().unwrap_or(' ') };
        let next = p[from..].chars().next();
        match c {
            '“' | '「' | '『' => depth += 1,
            '”' | '」' | '』' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && matches!(prev, '.' | '?' | '!') && next.is_none_or(char::is_whitespace) {
                    let e = i + c.len_utf8();
                    push(start, e);
                    start = e;
                }
            }
            '"' => {
                if straight_open {
                    straight_open = false;
                    depth = depth.saturating_sub(1);
                    if depth == 0 && matches!(prev, '.' | '?' | '!') && next.is_none_or(char::is_whitespace) {
                        let e = i + 1;
                        push(start, e);
                        start = e;
                    }
                } else {
                    straight_open = true;
                    depth += 1;
                }
            }
            '.' | '?' | '!' if depth == 0 && next.is_none_or(char::is_whitespace) && !prev.is_ascii_digit() => {
                let e = i + 1;
                push(start, e);
                start = e;
            }
            _ => {}
        }
    }
    if start < p.len() {
        push(start, p.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_stems() {
        let t = "네오AI는 노바칩스(NovaChips)와 ‘NX-200’을 2.5배";
        let toks = tokenize(t, &crate::extract::text::one_paragraph(t), &|_| 0, 1);
        let words: Vec<_> = toks.iter().map(|k| k.word(t)).collect();
        assert_eq!(words, vec!["네오AI는", "노바칩스", "NovaChips", "와", "NX-200", "을", "2.5배"]);
        let stems: Vec<_> = toks.iter().map(|k| k.stem(t)).collect();
        assert_eq!(stems, vec!["네오AI", "노바칩스", "NovaChips", "와", "NX-200", "을", "2.5배"]);
        assert_eq!(toks[2].before, '(');
        assert_eq!(toks[2].after, ')');
        // the first character and the stem's last one, as the text has them
        for k in &toks {
            assert_eq!(Some(k.first), k.word(t).chars().next());
            assert_eq!(k.stem_last, k.stem(t).chars().next_back().unwrap_or('\0'));
        }
        assert_eq!((toks[0].first, toks[0].stem_last), ('네', 'I'));
        assert_eq!((toks[6].first, toks[6].stem_last), ('2', '배'));
        // a whole name is not cut
        let t = "김정은 위원장";
        let toks = tokenize(t, &crate::extract::text::one_paragraph(t), &|w| u32::from(w == "김정은"), 1);
        assert_eq!(toks[0].stem(t), "김정은");
    }

    #[test]
    fn the_characters_a_token_carries_agree_with_the_text() {
        let g = crate::extract::gazetteer::Gazetteer::builtin();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval/articles");
        let (mut n, mut m) = (0, 0);
        for e in std::fs::read_dir(dir).expect("eval articles") {
            let t = std::fs::read_to_string(e.expect("entry").path()).expect("article");
            let toks = tokenize(&t, &one_paragraph(&t), &|w| g.flags(w), crate::extract::gazetteer::flag::KNOWN);
            for k in &toks {
                assert_eq!(Some(k.first), k.word(&t).chars().next());
                assert_eq!(k.stem_last, k.stem(&t).chars().next_back().unwrap_or('\0'), "{}", k.word(&t));
                assert_eq!(k.before, t[..k.start].chars().next_back().unwrap_or('\n'));
                assert_eq!(k.after, t[k.end..].chars().next().unwrap_or('\n'));
                m += usize::from(!k.before.is_ascii()) + usize::from(!k.after.is_ascii());
                n += usize::from(!k.bare());
            }
        }
        // particles, and quote marks or other wide characters around tokens
        assert!(n > 500 && m > 100, "{n} {m}");
    }

    #[test]
    fn the_byte_table_knows_the_word_characters() {
        let all: String = (0..=0x10FFFFu32).filter_map(char::from_u32).filter(|c| c.len_utf8() <= 3).collect();
        let b = all.as_bytes();
        let mut n = 0;
        for (i, c) in all.char_indices() {
            let want = if crate::extract::hangul::is_word_char(c) { c.len_utf8() } else { 0 };
            assert_eq!(word_char_len(b, i), want, "{c:?}");
            n += want;
        }
        assert_eq!(n, 62 + 11_172 * 3);
        // continuation bytes start no word character
        for i in (0..b.len()).filter(|&i| !all.is_char_boundary(i)) {
            assert_eq!(word_char_len(b, i), 0);
        }
    }

    /// `sentences` as it was written with a byte table and a second trimming pass (unchanged):
    /// the reference for the version on memchr searches.
    fn sentences_table(text: &str, r: Range<usize>) -> Vec<Range<usize>> {
        let p = &text[r.start..r.end];
        let mut out = Vec::with_capacity(p.len() / 64 + 2);
        let mut start = 0;
        let mut depth = 0u32;
        let mut straight_open = false;
        // only quote marks and . ? ! matter: jump from one to the next (their lead bytes: '"', '.',
        // '?', '!', E2 for “”, E3 for 「」『』); prev and next are the characters around each
        const LOOK: [bool; 256] = {
            let mut t = [false; 256];
            t[b'"' as usize] = true;
            t[b'.' as usize] = true;
            t[b'?' as usize] = true;
            t[b'!' as usize] = true;
            t[0xE2] = true;
            t[0xE3] = true;
            t
        };
        let b = p.as_bytes();
        let mut from = 0;
        while let Some(k) = b[from..].iter().position(|&x| LOOK[x as usize]) {
            let i = from + k;
            let Some(c) = p[i..].chars().next() else { break };
            from = i + c.len_utf8();
            let prev = if i == 0 { ' ' } else { p[..i].chars().next_back().unwrap_or(' ') };
            let next = p[from..].chars().next();
            match c {
                '“' | '「' | '『' => depth += 1,
                '”' | '」' | '』' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 && matches!(prev, '.' | '?' | '!') && next.is_none_or(char::is_whitespace) {
                        let e = i + c.len_utf8();
                        out.push(r.start + start..r.start + e);
                        start = e;
                    }
                }
                '"' => {
                    if straight_open {
                        straight_open = false;
                        depth = depth.saturating_sub(1);
                        if depth == 0 && matches!(prev, '.' | '?' | '!') && next.is_none_or(char::is_whitespace) {
                            let e = i + 1;
                            out.push(r.start + start..r.start + e);
                            start = e;
                        }
                    } else {
                        straight_open = true;
                        depth += 1;
                    }
                }
                '.' | '?' | '!' if depth == 0 && next.is_none_or(char::is_whitespace) && !prev.is_ascii_digit() => {
                    let e = i + 1;
                    out.push(r.start + start..r.start + e);
                    start = e;
                }
                _ => {}
            }
        }
        if start < p.len() {
            out.push(r.start + start..r.end);
        }
        // trim leading spaces of each sentence
        out.into_iter()
            .map(|s| {
                let lead = text[s.clone()].len() - text[s.clone()].trim_start().len();
                s.start + lead..s.end
            })
            .filter(|s| s.start < s.end)
            .collect()
    }

    #[test]
    fn the_memchr_sentences_agree_with_the_table_version() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval/articles");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .expect("eval articles")
            .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("article"))
            .collect();
        assert!(texts.len() >= 20);
        texts.extend(
            [
                "",
                " ",
                ".",
                "  다.  ",
                "“A.” “B?”! C「D.」 E『F!』 G",
                "\"열린 따옴표. 닫히지 않음",
                "1.5. 2? 3! ……. 끝.",
                "그는 “가.”고 했다.\"나.\" 다!",
                "」」 ”” 닫는 표만. 그리고 ?",
            ]
            .map(String::from),
        );
        let mut n = 0;
        for t in &texts {
            let mut s = 0;
            for line in t.split('\n') {
                let r = s..s + line.len();
                assert_eq!(sentences(t, r.clone()), sentences_table(t, r.clone()), "{line}");
                n += sentences(t, r).len();
                s += line.len() + 1;
            }
        }
        assert!(n > 300, "{n}");
    }

    #[test]
    fn merged_positions_ascend() {
        let v: Vec<usize> = merged([1, 4, 9].into_iter(), [0, 5, 6, 12].into_iter()).collect();
        assert_eq!(v, vec![0, 1, 4, 5, 6, 9, 12]);
        assert_eq!(merged(std::iter::empty(), [3].into_iter()).collect::<Vec<_>>(), vec![3]);
        assert_eq!(merged([3].into_iter(), std::iter::empty()).collect::<Vec<_>>(), vec![3]);
    }

    #[test]
    fn sentences_respect_quotes() {
        let t = "그는 “수요가 빠르다. 공급은 느리다”고 말했다. 또 “결과를 받아들이겠다.” 한 감독은 이같이 말했다.";
        let s: Vec<_> = sentences(t, 0..t.len()).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            s,
            vec![
                "그는 “수요가 빠르다. 공급은 느리다”고 말했다.",
                "또 “결과를 받아들이겠다.”",
                "한 감독은 이같이 말했다."
            ]
        );
        let t = "금리는 2.5% 수준이다. \"A다.\" B는 말했다.";
        let s: Vec<_> = sentences(t, 0..t.len()).into_iter().map(|r| &t[r]).collect();
        assert_eq!(s, vec!["금리는 2.5% 수준이다.", "\"A다.\"", "B는 말했다."]);
    }
}
