//! `gisa extract` never panics and always produces valid spans, whatever the input.

use gisa::extract::{extract_text, ExtractOptions};
use gisa::model::Kind;
use proptest::prelude::*;

/// Pieces that exercise every rule: numerals, units, quote marks, particles, titles, captions.
const PIECES: &[&str] = &[
    "“",
    "”",
    "\"",
    "‘",
    "’",
    "'",
    "(",
    ")",
    "[",
    "]",
    "=",
    "/",
    ",",
    ".",
    " ",
    " ",
    " ",
    "\n",
    "~",
    "%",
    "%p",
    "㎿",
    "㏊",
    "1",
    "2,300",
    "0.5",
    "15",
    "2025",
    "만",
    "천",
    "억",
    "조",
    "경",
    "여",
    "수",
    "몇",
    "두",
    "한",
    "석",
    "년",
    "월",
    "일",
    "주",
    "분의",
    "대",
    "배",
    "명",
    "원",
    "달러",
    "도",
    "개월",
    "째",
    "간",
    "이상",
    "미만",
    "가까이",
    "까지",
    "넘는",
    "약",
    "최대",
    "지난",
    "오는",
    "이날",
    "지난해",
    "다음 주",
    "김민수",
    "김",
    "대표는",
    "회장은",
    "관계자는",
    "그는",
    "이",
    "측은",
    "한빛전자",
    "네오AI는",
    "서울",
    "경기",
    "의성군수는",
    "에",
    "고",
    "며",
    "라고",
    "말했다",
    "사진=",
    "제공",
    "▲",
    "(왼쪽부터)",
    "기자",
    "ⓒ",
    "@",
    "a",
    "Z",
    "-",
    "가",
    "는",
    "은",
    "의",
    "에서",
    "\u{1100}",
    "\u{1161}",
    "\u{200b}",
];

fn article() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PIECES), 0..80).prop_map(|v| v.concat())
}

/// Characters the extractor's fast path treats as already clean (see `already_clean` in
/// src/extract/mod.rs): `clean` must leave strings of them unchanged.
fn safe_char() -> impl Strategy<Value = char> {
    prop_oneof![
        (0x20u32..0x7F),
        (0xAC00u32..=0xD7A3),
        (0x4E00u32..=0x9FFF),
        (0x3001u32..=0x3003),
        (0x3008u32..=0x3011),
        (0x3131u32..=0x3163),
        (0x3165u32..=0x318E),
        (0x3200u32..=0x321E),
        (0x3220u32..=0x33FF),
        (0x2010u32..=0x2027),
        (0x2030u32..=0x205E),
        (0x2100u32..=0x2125),
        (0x2127u32..=0x2129),
        (0x212Cu32..=0x214F),
        (0x2190u32..=0x21FF),
        (0x2460u32..=0x24FF),
        (0x2500u32..=0x27BF),
        (0xFF01u32..=0xFF5E),
        (0xA1u32..=0xAC),
        (0xAEu32..=0xBF),
        Just(0xD7u32),
        Just(0xF7u32),
        Just(0x0Au32),
    ]
    .prop_map(|u| char::from_u32(u).unwrap_or(' '))
}

proptest! {
    #[test]
    fn clean_leaves_fast_path_characters_alone(s in proptest::collection::vec(safe_char(), 0..60)) {
        let s: String = s.into_iter().collect();
        prop_assert_eq!(gisa::clean::clean(&s).0, s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_and_spans_are_valid(raw in article(), dated in any::<bool>()) {
        let opts = if dated { ExtractOptions::with_published("2025-03-14").unwrap() } else { ExtractOptions::default() };
        let a = extract_text("p", &raw, &opts);
        let ids: std::collections::HashSet<_> = a.annotations.iter().map(|x| x.id.clone()).collect();
        prop_assert_eq!(ids.len(), a.annotations.len());
        for x in &a.annotations {
            prop_assert!(x.start <= x.end && x.end <= a.text.len());
            prop_assert!(a.text.is_char_boundary(x.start) && a.text.is_char_boundary(x.end));
            prop_assert!(x.flags.is_empty(), "{:?} {:?}", x.flags, x);
            if x.kind == Kind::Quote {
                if let Some(sp) = &x.speaker {
                    prop_assert!(ids.contains(sp));
                }
            }
            if x.kind != Kind::Caption {
                prop_assert!(!a.text[x.start..x.end].contains('\n'), "span crosses a paragraph: {:?}", x);
            }
        }
        prop_assert!(a.problems.is_empty(), "{:?}", a.problems);
        // the extractor skips ingest::validate: it must find nothing (flags, problems, order)
        let mut checked = a.clone();
        gisa::ingest::validate(&mut checked);
        prop_assert_eq!(checked, a);
    }
}
