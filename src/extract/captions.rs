//! Photo captions: a paragraph with a photo credit (`(사진=… 제공)`, `[… 제공]`, `/사진=…`,
//! `(자료사진)`, agency credits), starting with `▲`/`△`, or with two weak cues (a position
//! marker such as `(왼쪽부터)`, a present progressive `…고 있다.` ending, standing right after
//! the headline). A caption is never a paragraph with a quote frame.

use std::sync::OnceLock;

use regex::Regex;

/// What made a paragraph a caption.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Caption {
    /// The photo credit, e.g. `사진=한빛전자 제공`.
    pub credit: Option<String>,
    /// The position marker, e.g. `왼쪽부터`.
    pub position: Option<String>,
}

struct Res {
    /// The reference for [`credit_capture`] (its unit test compares them).
    #[cfg(test)]
    credit: Regex,
    slash_credit: Regex,
    bracket_credit: Regex,
    agency: Regex,
    position: Regex,
    quote_frame: Regex,
}

fn res() -> &'static Res {
    static R: OnceLock<Res> = OnceLock::new();
    R.get_or_init(|| Res {
        #[cfg(test)]
        credit: Regex::new(
            r"[(\[]\s*((?:사진|자료|그래픽|이미지|영상|출처|사진\s?제공|자료사진)\s*(?:[=:]\s*[^)\]]{1,40})?)[)\]]",
        )
        .expect("credit regex"),
        slash_credit: Regex::new(r"/\s*(사진\s*=\s*\S[^\n]{0,30})$").expect("slash credit regex"),
        bracket_credit: Regex::new(r"\[([^\]\n]{1,30}\s제공)\]\s*$").expect("bracket credit regex"),
        agency: Regex::new(r"[(\[]((?:로이터|AP|AFP|EPA|신화|교도|UPI)\s?=?\s?(?:연합뉴스|뉴스1|뉴시스))[)\]]")
            .expect("agency regex"),
        position: Regex::new(r"\(((?:왼쪽|오른쪽|좌측|우측|가운데|앞줄|뒷줄|위|아래)[^)]{0,15})\)")
            .expect("position regex"),
        quote_frame: Regex::new(r#"[”"](?:이?라고|고|며|이?라며|면서)\s"#).expect("quote frame regex"),
    })
}

/// Words that start a credit or a position marker right after `(`, `[` or `/`.
const CUE_AFTER_OPEN: &[&str] = &[
    "사진",
    "자료",
    "그래픽",
    "이미지",
    "영상",
    "출처",
    "왼쪽",
    "오른쪽",
    "좌측",
    "우측",
    "가운데",
    "앞줄",
    "뒷줄",
    "위",
    "아래",
    "로이터",
    "AP",
    "AFP",
    "EPA",
    "신화",
    "교도",
    "UPI",
];

/// One pass over the brackets and slashes of a paragraph: true when one opens a credit or a
/// position marker, or a `]` closes `… 제공]`.
fn has_cue(para: &str) -> bool {
    let b = para.as_bytes();
    for at in memchr::memchr3_iter(b'(', b'[', b'/', b) {
        let rest = para[at + 1..].trim_start();
        if CUE_AFTER_OPEN.iter().any(|w| rest.starts_with(w)) || (b[at] == b'[' && para[at..].contains("제공]")) {
            return true;
        }
    }
    false
}

/// Words a position marker starts with, right after `(` (see the `position` regex).
const POSITION_WORDS: &[&str] = &["왼쪽", "오른쪽", "좌측", "우측", "가운데", "앞줄", "뒷줄", "위", "아래"];

/// True when a `(` is directly followed by a position word: the `position` regex cannot match
/// otherwise, so its search is skipped.
fn has_position_word(para: &str) -> bool {
    memchr::memchr_iter(b'(', para.as_bytes()).any(|at| POSITION_WORDS.iter().any(|w| para[at + 1..].starts_with(w)))
}

/// Agencies an agency credit starts with, right after `(` or `[` (see the `agency` regex).
const AGENCIES: &[&str] = &["로이터", "AP", "AFP", "EPA", "신화", "교도", "UPI"];

/// True when a `(` or `[` is directly followed by an agency: the `agency` regex cannot match
/// otherwise, so its search is skipped.
fn has_agency_open(para: &str) -> bool {
    memchr::memchr2_iter(b'(', b'[', para.as_bytes()).any(|at| AGENCIES.iter().any(|w| para[at + 1..].starts_with(w)))
}

/// True when `para` has a `”` or a `"` (found by their last bytes, without decoding).
fn has_closing_double_quote(para: &str) -> bool {
    let b = para.as_bytes();
    // ” is E2 80 9D
    memchr::memchr2_iter(b'"', 0x9D, b).any(|at| b[at] == b'"' || at >= 2 && b[at - 2..at] == [0xE2, 0x80])
}

/// Group 1 of the `credit` regex (see [`res`]), matched by hand with the regex's leftmost-first
/// semantics: at the first `(` or `[` where it matches, white space, a credit word (the
/// alternatives in the regex's order, `사진\s?제공` with its space first), white space, then either
/// `)` / `]` directly, or `=` / `:`, white space and 1 to 40 characters other than `)` and `]`
/// before a `)` or `]`.
fn credit_capture(para: &str) -> Option<&str> {
    let b = para.as_bytes();
    // \s* (Unicode white space, as in the regex): the index after it
    let spaces = |i: usize| para[i..].find(|c: char| !c.is_whitespace()).map_or(para.len(), |k| i + k);
    // what follows the credit word at `k`: the end of the group, or None
    let tail = |k: usize| -> Option<usize> {
        let m = spaces(k);
        match b.get(m) {
            Some(b')' | b']') => Some(m),
            Some(b'=' | b':') => {
                let q = spaces(m + 1);
                let e = q + para[q..].find([')', ']'])?;
                let n = para[q..e].chars().count();
                // with nothing left after the spaces, the last space is the one character
                ((1..=40).contains(&n) || n == 0 && q > m + 1).then_some(e)
            }
            _ => None,
        }
    };
    for at in memchr::memchr2_iter(b'(', b'[', b) {
        let j = spaces(at + 1);
        let rest = &para[j..];
        for w in ["사진", "자료", "그래픽", "이미지", "영상", "출처"] {
            if rest.starts_with(w) {
                if let Some(e) = tail(j + w.len()) {
                    return Some(&para[j..e]);
                }
            }
        }
        if let Some(r) = rest.strip_prefix("사진") {
            let space = r.chars().next().filter(|c| c.is_whitespace()).map_or(0, char::len_utf8);
            // \s? is greedy: with the space first, then without
            for s in [(space > 0).then_some(space), Some(0)].into_iter().flatten() {
                if r[s..].starts_with("제공") {
                    if let Some(e) = tail(j + "사진".len() + s + "제공".len()) {
                        return Some(&para[j..e]);
                    }
                }
            }
        }
        if rest.starts_with("자료사진") {
            if let Some(e) = tail(j + "자료사진".len()) {
                return Some(&para[j..e]);
            }
        }
    }
    None
}

/// Decides whether paragraph `para` is a caption. `after_headline`: it is the first paragraph.
pub fn caption(para: &str, after_headline: bool) -> Option<Caption> {
    if para.len() > 250 * 3 {
        return None;
    }
    let mut cap = Caption::default();
    let mut strong = para.starts_with(['▲', '△']);
    let trimmed = para.trim_end();
    let progressive = trimmed.ends_with("고 있다.") || trimmed.ends_with("고 있다");
    // cheap pre-checks before the regexes: a credit or a marker needs one of these words
    let cue = has_cue(para);
    if !(strong || cue || progressive && after_headline) {
        return None;
    }
    // more than 250 characters: no caption (counted only for a paragraph that passed the gate)
    if para.len() > 250 && para.chars().count() > 250 {
        return None;
    }
    let r = res();
    if cue {
        let found = credit_capture(para).or_else(|| {
            if has_agency_open(para) {
                r.agency.captures(para).and_then(|c| c.get(1)).map(|m| m.as_str())
            } else {
                None
            }
        });
        if let Some(text) = found {
            // "(사진)" alone inside a sentence is rare; a credit needs '=' / ':' or 자료사진 / 제공
            if text.contains(['=', ':'])
                || text.contains("자료사진")
                || text.contains("제공")
                || text.contains("연합뉴스")
            {
                cap.credit = Some(text.to_string());
                strong = true;
            }
        }
        if cap.credit.is_none() {
            // the regexes need a `/` before 사진, or `제공]` at the end: no search without them
            let slash = memchr::memchr(b'/', para.as_bytes()).is_some_and(|k| para[k..].contains("사진"));
            let bracket = trimmed.ends_with("제공]");
            let found = if slash { r.slash_credit.captures(para) } else { None }.or_else(|| {
                if bracket {
                    r.bracket_credit.captures(para)
                } else {
                    None
                }
            });
            if let Some(c) = found {
                cap.credit = c.get(1).map(|m| m.as_str().to_string());
                strong = true;
            }
        }
        if has_position_word(para) {
            if let Some(c) = r.position.captures(para) {
                cap.position = c.get(1).map(|m| m.as_str().to_string());
            }
        }
    }
    // the quote frame needs a closing double quote mark: no regex search without one
    if has_closing_double_quote(para) && r.quote_frame.is_match(para) {
        return None;
    }
    let weak = usize::from(cap.position.is_some()) + usize::from(progressive) + usize::from(after_headline);
    (strong || weak >= 2).then_some(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_and_markers() {
        let c = caption("한빛전자 김민수 대표가 14일 발언하고 있다. (사진=한빛전자 제공)", false).unwrap();
        assert_eq!(c.credit.as_deref(), Some("사진=한빛전자 제공"));
        let c =
            caption("(왼쪽부터) 최은정 이사장, 정태호 차관이 기념 촬영을 하고 있다. (사진=산업통상자원부 제공)", false)
                .unwrap();
        assert_eq!(c.position.as_deref(), Some("왼쪽부터"));
        assert!(caption("▲ 16일 서울 송파구의 한 공인중개업소. /사진=가상뉴스", false).unwrap().credit.is_some());
        assert!(caption("연구원이 연구소에서 시료를 살펴보고 있다. [새봄바이오 제공]", false).is_some());
        assert!(caption("서울 중구의 한 은행 딜링룸. (자료사진)", false).is_some());
        assert!(caption("시위대가 행진하고 있다. (AFP=연합뉴스)", false).is_some());
        // two weak cues: position marker + progressive ending
        assert!(caption("(오른쪽 두 번째) 김 대표가 설명하고 있다.", false).is_some());
        // one weak cue is not enough
        assert!(caption("주민들이 대피하고 있다.", false).is_none());
    }

    #[test]
    fn the_hand_credit_match_agrees_with_the_credit_regex() {
        let r = res();
        let long = |n: usize| "가".repeat(n);
        let mut contents: Vec<String> =
            ["", " ", "  ", "한빛전자", " 한빛전자 제공", "연합뉴스", "a)b", "김(가명)", "]"]
                .map(String::from)
                .to_vec();
        for n in [1, 39, 40, 41] {
            contents.push(long(n));
            contents.push(format!(" {}", long(n)));
            contents.push(format!("  {}", long(n - 1)));
        }
        let words = [
            "사진",
            "자료",
            "그래픽",
            "이미지",
            "영상",
            "출처",
            "사진제공",
            "사진 제공",
            "사진  제공",
            "자료사진",
            "사진\u{3000}제공",
            "제공",
            "사진자료",
        ];
        let mut n = 0;
        for open in ["(", "[", "( ", "[\u{3000}", "（"] {
            for w in words {
                for sep in ["", "=", ":", " =", " : ", "==", "= "] {
                    for c in &contents {
                        for close in [")", "]", " )", "", "】"] {
                            for (before, after) in
                                [("", ""), ("주민들이 모였다. ", " 끝"), ("(참고) [", ")"), ("(사진 ", " (사진=한빛)")]
                            {
                                let line = format!("{before}{open}{w}{sep}{c}{close}{after}");
                                let want = r.credit.captures(&line).and_then(|m| m.get(1)).map(|m| m.as_str());
                                assert_eq!(credit_capture(&line), want, "{line}");
                                n += usize::from(want.is_some());
                            }
                        }
                    }
                }
            }
        }
        assert!(n > 1000, "{n}");
    }

    #[test]
    fn the_agency_gate_passes_every_paragraph_the_agency_regex_matches() {
        let r = res();
        let mut n = 0;
        for open in ["(", "[", "( ", "（"] {
            for a in AGENCIES.iter().chain(&["연합", "AFPX", "ap"]) {
                for sep in ["", " ", "=", " = ", "  "] {
                    for tail in ["연합뉴스)", "뉴스1]", "뉴시스)", "연합)"] {
                        let p = format!("시위대가 행진하고 있다. {open}{a}{sep}{tail} 끝");
                        if r.agency.is_match(&p) {
                            assert!(has_agency_open(&p), "{p}");
                            n += 1;
                        }
                    }
                }
            }
        }
        assert!(n >= 50, "{n}");
        assert!(!has_agency_open("(사진=연합뉴스) 로이터 통신은"));
    }

    #[test]
    fn body_paragraphs_are_not_captions() {
        assert!(caption("한빛전자가 올해 설비 투자 규모를 5조3천억원으로 잡았다.", true).is_none());
        assert!(caption("김 대표는 “사진=자료 제공”이라고 말했다. (사진=한빛전자 제공)", false).is_none());
        assert!(caption("노바칩스(NovaChips)와 손잡고 칩을 개발하고 있다.", false).is_none());
    }
}
