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

/// True when `para` has a `”` or a `"` (found by their last bytes, without decoding).
fn has_closing_double_quote(para: &str) -> bool {
    let b = para.as_bytes();
    // ” is E2 80 9D
    memchr::memchr2_iter(b'"', 0x9D, b).any(|at| b[at] == b'"' || at >= 2 && b[at - 2..at] == [0xE2, 0x80])
}

/// Decides whether paragraph `para` is a caption. `after_headline`: it is the first paragraph.
pub fn caption(para: &str, after_headline: bool) -> Option<Caption> {
    if para.len() > 250 * 3 {
        return None;
    }
    let mut cap = Caption::default();
    let mut strong = para.starts_with(['▲', '△']);
    let progressive = para.trim_end().ends_with("고 있다.") || para.trim_end().ends_with("고 있다");
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
        if let Some(c) = r.credit.captures(para).or_else(|| r.agency.captures(para)) {
            let credit = c.get(1).map(|m| m.as_str().to_string());
            // "(사진)" alone inside a sentence is rare; a credit needs '=' / ':' or 자료사진 / 제공
            let text = credit.clone().unwrap_or_default();
            if text.contains(['=', ':'])
                || text.contains("자료사진")
                || text.contains("제공")
                || text.contains("연합뉴스")
            {
                cap.credit = credit;
                strong = true;
            }
        }
        if cap.credit.is_none() {
            if let Some(c) = r.slash_credit.captures(para).or_else(|| r.bracket_credit.captures(para)) {
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
    fn body_paragraphs_are_not_captions() {
        assert!(caption("한빛전자가 올해 설비 투자 규모를 5조3천억원으로 잡았다.", true).is_none());
        assert!(caption("김 대표는 “사진=자료 제공”이라고 말했다. (사진=한빛전자 제공)", false).is_none());
        assert!(caption("노바칩스(NovaChips)와 손잡고 칩을 개발하고 있다.", false).is_none());
    }
}
