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
    }
}
