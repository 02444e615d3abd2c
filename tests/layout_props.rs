//! Property tests for the layout engine and the offset code.
//!
//! Text is drawn from Hangul, ASCII, punctuation (ambiguous-width and kinsoku classes), emoji
//! and combining sequences; widths from 1 to 120.

use gisa::clean::{clean, Bias};
use gisa::layout::{self, grapheme_width, graphemes, str_width, wrap_paragraph, Line, Options, SpanIndex};
use gisa::model::{Annotation, Kind};
use gisa::offsets::{self, Unit};
use proptest::prelude::*;

/// Pieces that text is built from: words, spaces, punctuation, emoji, tricky clusters.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[가-힣]{1,6}",
        2 => "[a-zA-Z0-9]{1,8}",
        3 => Just(" ".to_string()),
        1 => Just("  ".to_string()),
        1 => prop::sample::select(vec![
            "“", "”", "‘", "’", "·", "…", "(", ")", ",", ".", "%", "℃", "「", "」", "。", "、", "!", "?",
            "▲", "※", "①", "/", "?", "&", "=",
        ]).prop_map(str::to_string),
        1 => prop::sample::select(vec![
            "😀", "🇰🇷", "👨\u{200D}👩\u{200D}👧", "👍🏽", "1\u{FE0F}\u{20E3}", "\u{2764}\u{FE0F}", "韓國", "ＡＢ",
            "\u{3000}", "e\u{301}", "\u{200B}", "\u{1100}\u{1100}\u{1161}", "ﾡ", "ｶﾞ", "10\u{A0}km",
        ]).prop_map(str::to_string),
        1 => "https://[a-z]{3,10}\\.co\\.kr/[a-z]{2,12}/[a-z]{2,10}\\?id=[0-9]{3,9}&s=[a-z]{2,6}",
    ]
}

/// Characters at and around the edges of the layout's "simple character" ranges, where a
/// shortcut in grapheme segmentation would go wrong first.
fn edge_char() -> impl Strategy<Value = char> {
    prop::sample::select(vec![
        'a', ' ', '~', '\u{7F}', '\u{9F}', '\u{A0}', '\u{AD}', 'é', 'ÿ', '\u{300}', '\u{200B}', '\u{200C}', '\u{200D}',
        '\u{200F}', '‐', '’', '”', '…', '\u{2028}', '\u{202A}', '\u{202F}', '‰', '⁞', '\u{205F}', '\u{2060}',
        '\u{2064}', '℃', '⅏', '\u{3000}', '」', '〩', '\u{302A}', '\u{302F}', '\u{3099}', '！', '～', '｟', '가', '힣',
        '\u{D7A4}', '\u{1100}', '\u{1161}', '\u{11A8}', '\u{FE0F}', '😀', '🇰', '\n', '\r',
    ])
}

fn para_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
}

fn lines_of(s: &str, w: usize, ambiwide: bool) -> Vec<Line> {
    wrap_paragraph(s, 0..s.len(), Options { width: w, ambiwide })
}

fn is_break_space(c: char) -> bool {
    (c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{2007}' | '\u{202F}')) || c == '\u{200B}'
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// (i) No line is wider than the width, except a placeholder line, which shows one cell.
    #[test]
    fn no_line_wider_than_width(s in para_text(), w in 1usize..=120, ambiwide in any::<bool>()) {
        for l in lines_of(&s, w, ambiwide) {
            let real = str_width(&s[l.start..l.end], ambiwide);
            if l.placeholder {
                prop_assert!(real > w);
                prop_assert_eq!(l.width, 1);
            } else {
                prop_assert!(real <= w, "line {:?} is {} wide at {}", &s[l.start..l.end], real, w);
                prop_assert_eq!(real, l.width);
            }
        }
    }

    /// (ii) No text lost, duplicated or reordered: lines are in order, on grapheme boundaries,
    /// and what lies between them (and after the last) is break whitespace only.
    #[test]
    fn no_text_lost_or_reordered(s in para_text(), w in 1usize..=120) {
        let lines = lines_of(&s, w, false);
        prop_assert!(!lines.is_empty());
        let bounds: std::collections::HashSet<usize> =
            graphemes(&s).map(|(o, _)| o).chain(std::iter::once(s.len())).collect();
        let mut pos = 0usize;
        for l in &lines {
            prop_assert!(l.start >= pos && l.start <= l.end);
            prop_assert!(bounds.contains(&l.start) && bounds.contains(&l.end));
            // before the first line: leading text is kept (indentation), so nothing may be skipped
            prop_assert!(s[pos..l.start].chars().all(is_break_space), "skipped {:?}", &s[pos..l.start]);
            pos = l.end;
        }
        prop_assert!(s[pos..].chars().all(is_break_space), "lost tail {:?}", &s[pos..]);
    }

    /// (iii) Greedy: when a line was broken at spaces, the next line's first word would not have
    /// fitted after it (unless kinsoku glued that word to closing punctuation after it).
    #[test]
    fn greedy(s in para_text(), w in 1usize..=120) {
        let lines = lines_of(&s, w, false);
        for pair in lines.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let gap = &s[a.end..b.start];
            if gap.is_empty() || b.placeholder || a.placeholder {
                continue; // a hard break inside a token
            }
            let gap_w = str_width(&gap.replace('\u{200B}', ""), false);
            let rest = &s[b.start..];
            let word_end = rest.find(|c: char| is_break_space(c)).unwrap_or(rest.len());
            let word = &rest[..word_end];
            // kinsoku glue: the word is followed by spaces and closing punctuation on that line
            let glued = word_end < rest.len()
                && rest[word_end..].trim_start_matches(is_break_space).chars().next()
                    .is_some_and(|c| layout::is_closing(&c.to_string()));
            if glued || graphemes(word).last().is_some_and(|(_, g)| layout::is_opening(g)) {
                continue;
            }
            let word_w = str_width(&word.replace('\u{200B}', ""), false);
            prop_assert!(a.width + gap_w + word_w > w,
                "{:?} would have fitted after {:?} at width {}", word, &s[a.start..a.end], w);
        }
    }

    /// (iv) Kinsoku at spaces: a line never starts with closing punctuation that followed a space,
    /// and never ends with opening punctuation before a space.
    #[test]
    fn kinsoku_at_spaces(s in para_text(), w in 4usize..=120) {
        let lines = lines_of(&s, w, false);
        for pair in lines.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if a.end == b.start {
                continue; // hard break inside an overlong token: best effort
            }
            let first = graphemes(&s[b.start..b.end]).next().map(|(_, g)| g).unwrap_or("");
            let last = graphemes(&s[a.start..a.end]).last().map(|(_, g)| g).unwrap_or("");
            prop_assert!(!layout::is_closing(first), "line starts with {:?}", first);
            prop_assert!(!layout::is_opening(last), "line ends with {:?}", last);
        }
    }

    /// The grapheme iterator (with its shortcuts for simple characters) splits exactly as
    /// unicode-segmentation does.
    #[test]
    fn graphemes_agree_with_unicode_segmentation(cs in prop::collection::vec(edge_char(), 0..24), s2 in para_text()) {
        use unicode_segmentation::UnicodeSegmentation;
        for s in [cs.iter().collect::<String>(), s2] {
            let ours: Vec<(usize, &str)> = graphemes(&s).collect();
            let theirs: Vec<(usize, &str)> = s.grapheme_indices(true).collect();
            prop_assert_eq!(ours, theirs, "{:?}", s);
        }
    }

    /// (v) Highlights: each annotation's cells are exactly the graphemes it overlaps (its edges
    /// snapped outward to grapheme boundaries), and a run never starts inside a grapheme.
    #[test]
    fn highlights_cover_snapped_graphemes(s in para_text(), spans in prop::collection::vec((0usize..400, 0usize..40), 0..6)) {
        let len = s.len();
        let mut anns = Vec::new();
        for (i, (a, l)) in spans.into_iter().enumerate() {
            if len == 0 { break; }
            let mut st = a % len;
            while !s.is_char_boundary(st) { st -= 1; }
            let mut en = (st + l).min(len);
            while !s.is_char_boundary(en) { en += 1; }
            let kind = Kind::ALL[i % 4];
            anns.push(Annotation::new(format!("a{i}"), kind, "L", st, en));
        }
        let idx = SpanIndex::new(&anns);
        let runs = layout::runs(&s, 0..len, &anns, &idx);
        let bounds: std::collections::HashSet<usize> =
            graphemes(&s).map(|(o, _)| o).chain(std::iter::once(len)).collect();
        let mut pos = 0;
        for r in &runs {
            prop_assert_eq!(r.start, pos);
            prop_assert!(bounds.contains(&r.start) && bounds.contains(&r.end));
            pos = r.end;
        }
        prop_assert_eq!(pos, len);
        for (i, a) in anns.iter().enumerate() {
            let covered: usize = runs.iter().filter(|r| r.stack.contains(&(i as u32))).map(|r| r.end - r.start).sum();
            let expect: usize = graphemes(&s)
                .filter(|&(o, g)| a.start < a.end && a.start < o + g.len() && a.end > o)
                .map(|(_, g)| g.len())
                .sum();
            prop_assert_eq!(covered, expect, "annotation {:?}", a.range());
        }
    }

    /// (vi) Offset maps round-trip: code points -> bytes -> code points, for every unit.
    #[test]
    fn offsets_round_trip(s in para_text(), picks in prop::collection::vec(0usize..1000, 1..20)) {
        let n = s.chars().count();
        for unit in [Unit::CodePoint, Unit::Utf16] {
            let total = unit.len_of_str(&s);
            // offsets that fall on char boundaries in this unit
            let mut valid = vec![0usize];
            let mut p = 0;
            for c in s.chars() { p += unit.len_of(c); valid.push(p); }
            prop_assert_eq!(*valid.last().unwrap(), total);
            let orig: Vec<usize> = picks.iter().map(|&k| valid[k % valid.len()]).collect();
            let mut o = orig.clone();
            prop_assert!(offsets::to_bytes(&s, unit, &mut o).is_ok());
            prop_assert!(o.iter().all(|&b| s.is_char_boundary(b)));
            offsets::from_bytes(&s, unit, &mut o);
            prop_assert_eq!(&o, &orig);
        }
        let _ = n;
    }

    /// (vii) Cleaning keeps annotations on the same characters: a span over a word of the raw
    /// text, with escape sequences and NFD inserted around it, covers the same word after.
    #[test]
    fn clean_map_keeps_spans(pre in "[가-힣 a-z]{0,8}", word in "[가-힣]{1,5}", post in "[가-힣 a-z]{0,8}",
                             junk in prop::sample::select(vec!["\u{1b}[31m", "\u{1b}]0;x\u{7}", "\u{feff}", "\t", "\u{202e}", "\r\n"])) {
        use unicode_normalization::UnicodeNormalization;
        let nfd_word: String = word.nfd().collect();
        let raw = format!("{junk}{pre}{junk}{nfd_word}{junk}{post}");
        let start = junk.chars().count() * 2 + pre.chars().count();
        let end = start + nfd_word.chars().count();
        let (text, map) = clean(&raw);
        let s = map.map(start, Bias::Start);
        let e = map.map(end, Bias::End);
        let got: String = text.chars().skip(s).take(e - s).collect();
        let expect_word = word.replace('\t', "    ");
        prop_assert_eq!(got, expect_word);
        prop_assert_eq!(map.clean_len(), text.chars().count());
    }

    /// (viii) The width of a wrapped line equals the sum of its graphemes' widths, and every
    /// grapheme the layout emits has a width ratatui agrees with (checked in cjk_goldens too).
    #[test]
    fn widths_add_up(s in para_text()) {
        let total: usize = graphemes(&s).map(|(_, g)| grapheme_width(g, false)).sum();
        prop_assert_eq!(total, str_width(&s, false));
    }
}
