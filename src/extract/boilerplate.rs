//! Line-level structure of a plain news text: headline, date line, dateline byline, bylines,
//! e-mail addresses, copyright notices, related-article and promotion lines
//! (korean-extraction.md §6). Boilerplate is left out of the article text and kept in
//! `extra["boilerplate"]`.

use std::sync::OnceLock;

use regex::Regex;

use super::dates::Ymd;

/// What one line of the input is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// Content (a paragraph or a caption).
    Body,
    /// A date line (`입력 2025.03.14 10:32`) with its first date.
    Date(Ymd),
    /// Boilerplate, with the reason: `byline`, `email`, `copyright`, `related`.
    Boilerplate(&'static str),
}

struct Res {
    date_line: Regex,
    date_in: Regex,
    byline_email: Regex,
    lone_byline: Regex,
    email: Regex,
    copyright: Regex,
    dateline: Regex,
    tags: Regex,
    /// Hangul words a copyright line without ⓒ or © contains (저작권, 금지).
    copyright_words: [memchr::memmem::Finder<'static>; 2],
    /// ASCII words a copyright line without ⓒ or © contains (opyright, OPYRIGHT, reserved).
    copyright_ascii: [memchr::memmem::Finder<'static>; 3],
}

fn res() -> &'static Res {
    static R: OnceLock<Res> = OnceLock::new();
    R.get_or_init(|| Res {
        date_line: Regex::new(
            r"^(?:\[?(?:입력|기사입력|최초입력|등록|송고|승인|게재|발행|수정|최종수정|업데이트|기사승인)\]?\s*[:：]?\s*)?\d{4}\s*[.\-/년]\s*\d{1,2}\s*[.\-/월]\s*\d{1,2}\s*일?\.?(?:\s*(?:\(\S{1,3}\))?\s*(?:오전|오후)?\s*\d{1,2}:\d{2}(?::\d{2})?)?(?:\s*(?:\|\s*)?(?:(?:입력|기사입력|등록|송고|승인|수정|최종수정|업데이트)\s*[:：]?\s*)?\d{4}\s*[.\-/]\s*\d{1,2}\s*[.\-/]\s*\d{1,2}\.?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?)*\s*$",
        )
        .expect("date line regex"),
        date_in: Regex::new(r"(\d{4})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})").expect("date regex"),
        byline_email: Regex::new(
            r"^[/▶\s]*(?:[가-힣]{2,4}\s?(?:기자|특파원|선임기자|객원기자|논설위원|전문기자|인턴기자)\s*)+[(<\[]?\s*[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\s*[)>\]]?\s*$",
        )
        .expect("byline regex"),
        lone_byline: Regex::new(
            r"^[/=\-\s]*[가-힣]{2,4}\s?(?:기자|특파원|선임기자|객원기자|논설위원|전문기자|인턴기자)\s*[=]?\s*$",
        )
        .expect("lone byline regex"),
        email: Regex::new(r"^[(<\[]?\s*[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\s*[)>\]]?$").expect("email regex"),
        copyright: Regex::new(r"(?i)ⓒ|©|copyright|all rights reserved|^\W*저작권자|(?:무단\s?전재|재배포|AI\s?학습)[^\n]{0,40}금지")
            .expect("copyright regex"),
        dateline: Regex::new(
            r"^(?:[(\[【][^)\]】=\n]{1,20}=[^)\]】\n]{1,20}[)\]】]\s*(?:[가-힣]{2,4}\s?(?:기자|특파원)(?:\s*[·,]\s*[가-힣]{2,4}\s?(?:기자|특파원))*\s*=\s*)?|[가-힣]{2,4}\s?(?:기자|특파원)\s*=\s*)",
        )
        .expect("dateline regex"),
        tags: Regex::new(r"^(?:\s*[\[【](?:속보|단독|종합|영상|포토|사진|인터뷰|르포|기획|사설|칼럼|1보|2보|\d보|종합\d?보?|특징주|오늘의 운세|팩트체크|이슈)[\]】]\s*)+")
            .expect("tags regex"),
        copyright_words: ["저작권", "금지"].map(|w| memchr::memmem::Finder::new(w.as_bytes())),
        copyright_ascii: ["opyright", "OPYRIGHT", "reserved"].map(|w| memchr::memmem::Finder::new(w.as_bytes())),
    })
}

/// Classifies one trimmed line.
pub fn classify(line: &str) -> Line {
    if line.is_empty() {
        return Line::Boilerplate("empty");
    }
    let r = res();
    let first = line.as_bytes()[0];
    // a digit among the first 24 bytes (a fold, not a search: the compiler vectorises it)
    let digit_early = || line.as_bytes()[..line.len().min(24)].iter().fold(false, |d, b| d | b.is_ascii_digit());
    const DATE_KEYS: &[&str] = &[
        "입력",
        "기사입력",
        "최초입력",
        "등록",
        "송고",
        "승인",
        "게재",
        "발행",
        "수정",
        "최종수정",
        "업데이트",
        "기사승인",
        "[",
    ];
    // the first byte rules out most keys before a comparison
    let starts_with_any = |keys: &[&str]| keys.iter().any(|k| k.as_bytes()[0] == first && line.starts_with(k));
    if line.len() < 160
        && digit_early()
        && (first.is_ascii_digit() || starts_with_any(DATE_KEYS))
        && r.date_line.is_match(line)
    {
        let ymd = match ascii_date_in(line) {
            Some(found) => found,
            None => r.date_in.captures(line).map(|c| {
                let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok()).unwrap_or(0);
                (num(1), num(2), num(3))
            }),
        };
        if let Some((y, m, d)) = ymd {
            if let Some(d) = Ymd::new(y as i32, m, d) {
                return Line::Date(d);
            }
        }
    }
    if line.len() < 200 && memchr::memchr(b'@', line.as_bytes()).is_some() {
        if r.byline_email.is_match(line) {
            return Line::Boilerplate("byline");
        }
        if r.email.is_match(line) {
            return Line::Boilerplate("email");
        }
    }
    let has = |words: &[memchr::memmem::Finder<'static>]| words.iter().any(|f| f.find(line.as_bytes()).is_some());
    if line.len() < 120 && ends_like_byline(line) && r.lone_byline.is_match(line) {
        return Line::Boilerplate("byline");
    }
    let sentence = line.trim_end_matches(['.', ' ']).ends_with('다');
    // ⓒ and © alone make the copyright regex match
    if line.len() < 300
        && !sentence
        && (has_copyright_sign(line)
            || (has(&r.copyright_words)
                || memchr::memchr3(b'y', b'Y', b'v', line.as_bytes()).is_some() && has(&r.copyright_ascii))
                && r.copyright.is_match(line))
    {
        return Line::Boilerplate("copyright");
    }
    const RELATED: &[&str] = &[
        "관련기사",
        "관련 기사",
        "[관련기사]",
        "[관련 기사]",
        "함께 보면",
        "함께보면",
        "많이 본 기사",
        "많이본 기사",
        "기사제보",
        "기사 제보",
        "제보하기",
        "▶",
        "☞",
        "◀",
    ];
    if starts_with_any(RELATED) {
        return Line::Boilerplate("related");
    }
    Line::Body
}

/// The first date of a line as the `date_in` regex finds it, `Some(None)` when it finds none,
/// for a line of ASCII and Hangul syllables only (where `\d` is `[0-9]` and `\s` is ASCII white
/// space); `None` for any other line (the regex decides).
fn ascii_date_in(line: &str) -> Option<Option<(u32, u32, u32)>> {
    if !line.chars().all(|c| c.is_ascii() || ('\u{AC00}'..='\u{D7A3}').contains(&c)) {
        return None;
    }
    let b = line.as_bytes();
    let spaces = |mut i: usize| {
        while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r') {
            i += 1;
        }
        i
    };
    // a separator: . - / or the given Hangul unit; the index after it
    let sep = |i: usize, unit: &str| {
        if i < b.len() && matches!(b[i], b'.' | b'-' | b'/') {
            Some(i + 1)
        } else {
            line.get(i..).filter(|r| r.starts_with(unit)).map(|_| i + unit.len())
        }
    };
    // one or two digits (greedy); the value and the index after them
    let digits = |i: usize| {
        let n = b[i.min(b.len())..].iter().take(2).take_while(|x| x.is_ascii_digit()).count();
        (n > 0).then(|| (b[i..i + n].iter().fold(0u32, |v, &x| v * 10 + u32::from(x - b'0')), i + n))
    };
    for p in 0..b.len().saturating_sub(3) {
        if !b[p..p + 4].iter().all(u8::is_ascii_digit) {
            continue;
        }
        let y = b[p..p + 4].iter().fold(0u32, |v, &x| v * 10 + u32::from(x - b'0'));
        let Some(i) = sep(spaces(p + 4), "년") else { continue };
        let Some((m, i)) = digits(spaces(i)) else { continue };
        let Some(i) = sep(spaces(i), "월") else { continue };
        let Some((d, _)) = digits(spaces(i)) else { continue };
        return Some(Some((y, m, d)));
    }
    Some(None)
}

/// True when `line`, without the white space and `=` at its end, ends with 기자, 특파원 or
/// 논설위원: the `lone_byline` regex (a title, then `\s*=?\s*` to the end) cannot match
/// otherwise, so its search is skipped.
fn ends_like_byline(line: &str) -> bool {
    let t = line.trim_end_matches(|c: char| c.is_whitespace() || c == '=');
    t.ends_with("기자") || t.ends_with("특파원") || t.ends_with("논설위원")
}

/// True when `line` has a `ⓒ` (E2 93 92) or a `©` (C2 A9), found by their last bytes.
fn has_copyright_sign(line: &str) -> bool {
    let b = line.as_bytes();
    memchr::memchr2_iter(0x92, 0xA9, b).any(|at| {
        if b[at] == 0x92 {
            at >= 2 && b[at - 2..at] == [0xE2, 0x93]
        } else {
            at >= 1 && b[at - 1] == 0xC2
        }
    })
}

/// The byte length of a dateline byline at the start of a paragraph
/// (`(서울=가상뉴스) 이수진 기자 = `), or 0.
pub fn dateline_prefix(para: &str) -> usize {
    let head = &para.as_bytes()[..para.len().min(120)];
    let has_eq = memchr::memchr(b'=', head).is_some();
    if !has_eq {
        return 0;
    }
    res().dateline.find(para).map_or(0, |m| m.end())
}

/// Splits leading headline tags off: `[단독] 제목` → (`제목`, `["단독"]`).
pub fn strip_tags(title: &str) -> (String, Vec<String>) {
    if !title.trim_start().starts_with(['[', '【']) {
        return (title.trim().to_string(), Vec::new());
    }
    match res().tags.find(title) {
        Some(m) => {
            let tags = m
                .as_str()
                .split(['[', ']', '【', '】'])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect();
            (title[m.end()..].trim().to_string(), tags)
        }
        None => (title.trim().to_string(), Vec::new()),
    }
}

/// True when a first line reads like a headline: short, and not ending like a sentence.
pub fn looks_like_headline(line: &str) -> bool {
    let n = line.chars().count();
    let t = line.trim_end_matches(['”', '’', '"', '\'', ')', ' ']);
    n <= 150 && !(t.ends_with("다.") || t.ends_with("요.") || t.ends_with('.') && n > 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byline_gate_passes_every_line_the_lone_byline_regex_matches() {
        let lines = [
            "김민수 기자",
            "김민수기자",
            "/ 김민수 기자 =",
            "=김민수 특파원=",
            "- 박서연 논설위원  ",
            "이하늘 인턴기자\u{3000}",
            "정태호 선임기자 = ",
            "최은정 기자 촬영",
            "기자회견을 열었다",
            "김민수 기자의 취재",
            "서울=연합뉴스 김민수 기자",
            "김 기자",
        ];
        let r = res();
        for l in lines {
            if r.lone_byline.is_match(l) {
                assert!(ends_like_byline(l), "{l}");
            }
        }
        assert!(ends_like_byline("/ 김민수 기자 ="));
        assert!(!ends_like_byline("최은정 기자 촬영"));
        assert_eq!(classify("김민수 기자"), Line::Boilerplate("byline"));
        assert_eq!(classify("=김민수 특파원="), Line::Boilerplate("byline"));
    }

    #[test]
    fn boilerplate_lines() {
        assert_eq!(classify("입력 2025.03.14 10:32"), Line::Date(Ymd::parse("2025-03-14").unwrap()));
        assert_eq!(classify("입력 : 2025-04-03 17:20"), Line::Date(Ymd::parse("2025-04-03").unwrap()));
        assert_eq!(classify("2025-02-12 08:00"), Line::Date(Ymd::parse("2025-02-12").unwrap()));
        assert_eq!(
            classify("입력 2025.03.14 10:32 수정 2025.03.14 11:05"),
            Line::Date(Ymd::parse("2025-03-14").unwrap())
        );
        assert_eq!(classify("이수진 기자 sujin@gasang.news"), Line::Boilerplate("byline"));
        assert_eq!(classify("한지민 기자 (jimin@gasang.news)"), Line::Boilerplate("byline"));
        assert_eq!(classify("yerin@gasang.news"), Line::Boilerplate("email"));
        assert_eq!(classify("최윤희 기자"), Line::Boilerplate("byline"));
        assert_eq!(classify("/신예린 기자"), Line::Boilerplate("byline"));
        assert_eq!(classify("ⓒ 가상뉴스, 무단 전재 및 재배포 금지"), Line::Boilerplate("copyright"));
        assert_eq!(classify("<저작권자 © 가상뉴스, AI 학습 및 활용 금지>"), Line::Boilerplate("copyright"));
        assert_eq!(classify("Copyright ⓒ 가상뉴스. All rights reserved."), Line::Boilerplate("copyright"));
        assert_eq!(classify("무단전재 및 재배포 금지"), Line::Boilerplate("copyright"));
        assert_eq!(classify("▶ 관련기사: 한빛전자, 1분기 실적 발표 앞둬"), Line::Boilerplate("related"));
        assert_eq!(classify("[관련기사] 해상풍력 특별법 국회 통과"), Line::Boilerplate("related"));
        assert_eq!(classify("관련기사 서울 전셋값 24주째 상승"), Line::Boilerplate("related"));
        assert_eq!(classify("☞ 가상뉴스 의학 기사 더 보기"), Line::Boilerplate("related"));
    }

    #[test]
    fn the_ascii_date_scan_agrees_with_the_date_regex() {
        let lines = [
            "입력 2025.03.14 10:32 수정 2025.03.14 11:05",
            "2025년 3월 14일 오후 2:10",
            "2025 - 3 - 14",
            "12025.03.14",
            "2025.1 2.14",
            "2025.12.145",
            "기사입력 2025/7/1",
            "2025.03.",
            "20250314",
            "2024. 2. 29. 09:00",
            "업데이트 99999.1.1",
            "2025년3월",
            "",
            "12",
        ];
        for line in lines {
            let regex = res().date_in.captures(line).map(|c| {
                let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok()).unwrap_or(0);
                (num(1), num(2), num(3))
            });
            assert_eq!(ascii_date_in(line), Some(regex), "{line}");
        }
        // other scripts go to the regex
        assert_eq!(ascii_date_in("２０２５.3.14"), None);
        assert_eq!(ascii_date_in("2025.3.14\u{3000}"), None);
    }

    #[test]
    fn content_is_not_boilerplate() {
        for s in [
            "한빛전자가 올해 설비 투자 규모를 5조3천억원으로 잡았다.",
            "2025년 3월 14일 정부는 새 대책을 내놨다.",
            "▲ 16일 서울 송파구의 한 공인중개업소에 매물 시세표가 붙어 있다. /사진=가상뉴스",
            "김 기자는 “문의는 press@example.com으로 해달라”는 공지를 받았다며 설명을 이어갔다. 회사 측도 같은 입장을 냈다.",
            "기자들은 이날 현장을 찾았다.",
            "정부는 AI 학습 데이터의 무단 사용을 금지하는 법안을 냈다.",
            "구독자 수가 100만 명을 넘었다.",
        ] {
            assert_eq!(classify(s), Line::Body, "{s}");
        }
    }

    #[test]
    fn datelines_and_tags() {
        let p = "(서울=가상뉴스) 이수진 기자 = 한빛전자가 투자한다.";
        assert_eq!(&p[dateline_prefix(p)..], "한빛전자가 투자한다.");
        let p = "(베이징=가상뉴스) 조민호 특파원 = 중국 업체가";
        assert_eq!(&p[dateline_prefix(p)..], "중국 업체가");
        let p = "【서울=뉴시스】홍길동 기자 = 본문";
        assert_eq!(&p[dateline_prefix(p)..], "본문");
        let p = "(서울=연합뉴스) 본문";
        assert_eq!(&p[dateline_prefix(p)..], "본문");
        assert_eq!(dateline_prefix("(왼쪽부터) 최은정 이사장"), 0);
        assert_eq!(dateline_prefix("한은(韓銀)은 기준금리를"), 0);
        let (t, tags) = strip_tags("[단독][종합] 한빛전자, 투자 확대");
        assert_eq!((t.as_str(), tags), ("한빛전자, 투자 확대", vec!["단독".to_string(), "종합".to_string()]));
        assert!(looks_like_headline("한빛전자, 올해 설비투자 5조3천억원…“AI 반도체 수요 대응”"));
        assert!(!looks_like_headline("한빛전자가 올해 설비 투자 규모를 5조3천억원으로 잡았다."));
    }
}
