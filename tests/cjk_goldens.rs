//! Golden tests for the 40 tricky strings of the CJK rendering notes (§7): widths (ours and
//! ratatui's must agree), what cleaning makes of them, and how they wrap.

use gisa::clean::clean;
use gisa::layout::{grapheme_width, graphemes, str_width, wrap_paragraph, Options};
use ratatui::buffer::CellWidth;

/// (number, raw string, narrow width, wide-ambiguous width, cleaned text) — widths of the raw
/// string as unicode-width 0.2.3 measures it (the notes' `uw` and `cjk` columns), for the
/// strings that survive cleaning unchanged; `None` where cleaning changes the text.
#[allow(clippy::type_complexity)]
const CASES: &[(u32, &str, Option<(usize, usize)>, &str)] = &[
    (1, "한국어", Some((6, 6)), "한국어"),
    (2, "\u{1112}\u{1161}\u{11AB}", None, "\u{D55C}"),
    (3, "\u{1100}\u{1161}\u{1102}\u{1161}\u{1103}\u{1161}", None, "\u{AC00}\u{B098}\u{B2E4}"),
    (4, "\u{1161}", None, ""),
    (5, "\u{1100}\u{1100}\u{1161}", None, "\u{1100}\u{AC00}"),
    (6, "ㅋㅋ", Some((4, 4)), "ㅋㅋ"),
    (7, "ﾡￂ", Some((2, 2)), "ﾡￂ"),
    (8, "\u{3164}", None, ""),
    (9, "ＡＢ１２", Some((8, 8)), "ＡＢ１２"),
    (10, "（，）", Some((6, 6)), "（，）"),
    (11, "“안녕”", Some((6, 8)), "“안녕”"),
    (12, "한·미", Some((5, 6)), "한·미"),
    (13, "…※", Some((2, 4)), "…※"),
    (14, "▲△○●■◆", Some((6, 12)), "▲△○●■◆"),
    (15, "㈜㈱", Some((4, 4)), "㈜㈱"),
    (16, "30℃", Some((3, 4)), "30℃"),
    (17, "①", Some((1, 2)), "①"),
    (18, "─│┌", Some((3, 6)), "─│┌"),
    (19, "韓國", Some((4, 4)), "韓國"),
    (20, "\u{F900}", None, "\u{8C48}"),
    (21, "\u{3000}", Some((2, 2)), "\u{3000}"),
    (22, "\u{2764}\u{FE0F}", Some((2, 2)), "\u{2764}\u{FE0F}"),
    (23, "👨\u{200D}👩\u{200D}👧", Some((2, 2)), "👨\u{200D}👩\u{200D}👧"),
    (24, "🇰🇷", Some((2, 2)), "🇰🇷"),
    (25, "👍🏽", Some((2, 2)), "👍🏽"),
    (26, "1\u{FE0F}\u{20E3}", Some((2, 2)), "1\u{FE0F}\u{20E3}"),
    (27, "e\u{301}", None, "\u{E9}"),
    (28, "가\u{200B}나", Some((4, 4)), "가\u{200B}나"),
    (29, "\u{200D}\u{200C}\u{2060}", None, ""),
    (30, "\u{AD}", None, ""),
    (31, "\u{FEFF}가", None, "가"),
    (32, "10\u{A0}km", Some((5, 5)), "10\u{A0}km"),
    (33, "a\tb", None, "a    b"),
    (34, "a\rb\r\nc\u{85}d\u{2028}e\u{2029}f", None, "a\nb\nc\nd\ne\nf"),
    (35, "\u{1b}[31m빨강\u{1b}[0m", None, "빨강"),
    (36, "\u{1b}]52;c;SGk=\u{7}\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\\u{1b}]0;title\u{7}", None, "link"),
    (37, "\u{9b}2J", None, ""),
    (38, "a\u{202E}bc", None, "abc"),
];

#[test]
fn cleaning_and_widths_of_the_test_strings() {
    for &(n, raw, widths, cleaned) in CASES {
        let (text, _) = clean(raw);
        assert_eq!(text, cleaned, "string #{n}");
        if let Some((narrow, wide)) = widths {
            assert_eq!(str_width(&text, false), narrow, "narrow width of #{n}");
            assert_eq!(str_width(&text, true), wide, "wide width of #{n}");
        }
    }
}

/// (ix) Our width equals ratatui's cell width for every grapheme the layout emits.
#[test]
fn old_korean_cluster_keeps_its_width() {
    // L L V: NFC composes the last two jamo; the cluster stays one grapheme 4 cells wide
    let (text, _) = clean("\u{1100}\u{1100}\u{1161}");
    assert_eq!(graphemes(&text).count(), 1);
    assert_eq!(str_width(&text, false), 4);
}

#[test]
fn our_width_agrees_with_ratatui() {
    let mut checked = 0;
    for &(_, raw, _, _) in CASES {
        let (text, _) = clean(raw);
        for line in text.split('\n') {
            for (_, g) in graphemes(line) {
                if g == "\u{200B}" {
                    continue; // never drawn
                }
                assert_eq!(grapheme_width(g, false), g.cell_width() as usize, "grapheme {g:?}");
                checked += 1;
            }
        }
    }
    // the halfwidth katakana voiced mark is counted as ratatui counts it
    assert_eq!(grapheme_width("ｶﾞ", false), "ｶﾞ".cell_width() as usize);
    assert!(checked > 50);
}

#[test]
fn nothing_invisible_or_controlling_survives_cleaning() {
    for &(n, raw, _, _) in CASES {
        let (text, _) = clean(raw);
        for c in text.chars() {
            assert!(c == '\n' || !c.is_control(), "#{n}: control {c:?}");
            assert!(
                !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{AD}' | '\u{3164}'),
                "#{n}: {c:?}"
            );
        }
        assert!(!text.contains("[31m") && !text.contains("]52"), "#{n}");
    }
}

fn wrapped(s: &str, w: usize) -> Vec<String> {
    wrap_paragraph(s, 0..s.len(), Options::new(w)).iter().map(|l| s[l.start..l.end].to_string()).collect()
}

/// #39: a long URL is hard-broken inside the pane, preferably after `/ ? & =`, never overflowing.
#[test]
fn long_url() {
    let url = "https://www.example.co.kr/news/articleView.html?idxno=1234567&sc_section_code=S1N2&utm_source=naver";
    assert_eq!(url.len(), 99);
    let lines = wrapped(url, 40);
    assert_eq!(
        lines,
        vec![
            "https://www.example.co.kr/news/",
            "articleView.html?idxno=1234567&",
            "sc_section_code=S1N2&utm_source=naver"
        ]
    );
    assert_eq!(lines.concat(), url);
}

/// #40: a wide character at the last column goes to the next line; at width 1 a placeholder.
#[test]
fn wide_char_on_the_last_column() {
    assert_eq!(wrapped("가나다라마", 9), vec!["가나다라", "마"]);
    assert_eq!(wrapped("abc가", 4), vec!["abc", "가"]);
    let l = wrap_paragraph("가", 0..3, Options::new(1));
    assert_eq!(l.len(), 1);
    assert!(l[0].placeholder && l[0].width == 1);
}

/// #10, #11, #13, #16: kinsoku — closing punctuation never starts a line.
#[test]
fn closing_punctuation_stays_with_its_word() {
    // the opening bracket moves down with what it opens
    assert_eq!(wrapped("가나다（，）", 8), vec!["가나다", "（，）"]);
    assert_eq!(wrapped("그는 “안녕”이라고 했다", 10), vec!["그는", "“안녕”이라", "고 했다"]);
    assert_eq!(wrapped("기온은 30℃ 였다", 9), vec!["기온은", "30℃ 였다"]);
    assert_eq!(wrapped("그리고… 끝", 6), vec!["그리", "고… 끝"]);
}

/// #21 and #28: the ideographic space and ZWSP are break opportunities; NBSP (#32) is not.
#[test]
fn break_opportunities() {
    assert_eq!(wrapped("가나\u{3000}다라", 5), vec!["가나", "다라"]);
    assert_eq!(wrapped("가나\u{200B}다라", 5), vec!["가나", "다라"]);
    assert_eq!(wrapped("ab 10\u{A0}km", 6), vec!["ab", "10\u{A0}km"]);
}
