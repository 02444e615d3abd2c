//! Figures: numbers with units, counters, dates and durations, with their normalised value.
//!
//! The scanner walks each paragraph once. A figure starts at an Arabic digit that is not part of
//! a code (`NX-200`, `FLU1`), or at the start of a word that is a relative date (`지난해`,
//! `다음 주`), an indefinite numeral (`수천억`), a native numeral before a counter (`두 배`), a
//! day word (`열흘`), or a prefix (`영하`, `초속`, `지난`, `오는`). The numeral grammar is in
//! [`super::numerals`]; units are matched longest first, and a unit counts only when what
//! follows it in the word is a particle or nothing (`원을`, not `원전`). Qualifiers around the
//! figure set `approx` and `bound` (korean-extraction.md §3.3). Spans follow
//! `tests/eval/README.md`: number to unit, glued `여`/`째`/`간` included, `약`/`이상`/particles
//! excluded.

use super::dates::{add_months, DateValue, Grain, Ymd, RELATIVE};
use super::hangul::{is_particle_tail, is_syllable, is_word_char};
use super::numerals::{self, digit_value};
use crate::clean::hangul_len_at;

/// Figure labels.
pub const MONEY: &str = "MONEY";
/// Percentages and percentage points.
pub const PERCENT: &str = "PERCENT";
/// Counts and measures.
pub const QUANTITY: &str = "QUANTITY";
/// Calendar dates.
pub const DATE: &str = "DATE";
/// Lengths of time.
pub const DURATION: &str = "DURATION";

/// One figure found in the text (byte offsets into the article text).
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// MONEY, PERCENT, QUANTITY, DATE or DURATION.
    pub label: &'static str,
    /// Normalised value (`None`: indefinite, a range, a score, or an unresolved date).
    pub value: Option<f64>,
    /// Unit code (`KRW`, `%`, `pp`, `person`, `W`, `date:day`, `year`...).
    pub unit: Option<&'static str>,
    /// Not an exact measured value.
    pub approx: bool,
    /// `min` or `max`.
    pub bound: Option<&'static str>,
    /// For indefinite numerals and ranges: the range.
    pub range: Option<(f64, f64)>,
    /// For dates that could not be resolved (no publication date): the relative form
    /// (`year+1`, `day-1`). Resolved dates are in `value` (see [`DateValue::number`]).
    pub date: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum UKind {
    Plain,
    Year,
    Month,
    Day,
    WeekOrShare,
    Quarter,
    Hour,
    Minute,
    MonthSpan,
    Pt100,
}

#[derive(Clone, Copy, Debug)]
struct Unit {
    surface: &'static str,
    label: &'static str,
    code: &'static str,
    mult: f64,
    /// May stand one space after the number.
    spaced: bool,
    kind: UKind,
}

const fn u(surface: &'static str, label: &'static str, code: &'static str, mult: f64, spaced: bool) -> Unit {
    Unit { surface, label, code, mult, spaced, kind: UKind::Plain }
}

const fn k(surface: &'static str, label: &'static str, code: &'static str, kind: UKind, spaced: bool) -> Unit {
    Unit { surface, label, code, mult: 1.0, spaced, kind }
}

/// Units after Arabic numerals (matched longest first).
const UNITS: &[Unit] = &[
    // money
    u("원", MONEY, "KRW", 1.0, true),
    u("달러", MONEY, "USD", 1.0, true),
    u("달러화", MONEY, "USD", 1.0, true),
    u("미 달러", MONEY, "USD", 1.0, true),
    u("센트", MONEY, "USD", 0.01, true),
    u("홍콩달러", MONEY, "HKD", 1.0, true),
    u("대만달러", MONEY, "TWD", 1.0, true),
    u("호주달러", MONEY, "AUD", 1.0, true),
    u("캐나다달러", MONEY, "CAD", 1.0, true),
    u("싱가포르달러", MONEY, "SGD", 1.0, true),
    u("엔", MONEY, "JPY", 1.0, true),
    u("엔화", MONEY, "JPY", 1.0, true),
    u("유로", MONEY, "EUR", 1.0, true),
    u("유로화", MONEY, "EUR", 1.0, true),
    u("위안", MONEY, "CNY", 1.0, true),
    u("위안화", MONEY, "CNY", 1.0, true),
    u("파운드", MONEY, "GBP", 1.0, true),
    u("루피", MONEY, "INR", 1.0, true),
    u("루블", MONEY, "RUB", 1.0, true),
    // percent
    u("%", PERCENT, "%", 1.0, false),
    u("％", PERCENT, "%", 1.0, false),
    u("퍼센트", PERCENT, "%", 1.0, false),
    u("%포인트", PERCENT, "pp", 1.0, false),
    u("％포인트", PERCENT, "pp", 1.0, false),
    u("%p", PERCENT, "pp", 1.0, false),
    u("%P", PERCENT, "pp", 1.0, false),
    u("％p", PERCENT, "pp", 1.0, false),
    u("퍼센트포인트", PERCENT, "pp", 1.0, false),
    u("포인트", QUANTITY, "pt", 1.0, false),
    k("선", QUANTITY, "pt", UKind::Pt100, false),
    // power and energy (value in W / Wh)
    u("W", QUANTITY, "W", 1.0, true),
    u("kW", QUANTITY, "W", 1e3, true),
    u("MW", QUANTITY, "W", 1e6, true),
    u("GW", QUANTITY, "W", 1e9, true),
    u("TW", QUANTITY, "W", 1e12, true),
    u("㎾", QUANTITY, "W", 1e3, true),
    u("㎿", QUANTITY, "W", 1e6, true),
    u("킬로와트", QUANTITY, "W", 1e3, true),
    u("메가와트", QUANTITY, "W", 1e6, true),
    u("기가와트", QUANTITY, "W", 1e9, true),
    u("Wh", QUANTITY, "Wh", 1.0, true),
    u("kWh", QUANTITY, "Wh", 1e3, true),
    u("MWh", QUANTITY, "Wh", 1e6, true),
    u("GWh", QUANTITY, "Wh", 1e9, true),
    u("TWh", QUANTITY, "Wh", 1e12, true),
    u("㎾h", QUANTITY, "Wh", 1e3, true),
    u("킬로와트시", QUANTITY, "Wh", 1e3, true),
    // measures
    u("km", QUANTITY, "km", 1.0, true),
    u("㎞", QUANTITY, "km", 1.0, true),
    u("킬로미터", QUANTITY, "km", 1.0, true),
    u("m", QUANTITY, "m", 1.0, false),
    u("미터", QUANTITY, "m", 1.0, false),
    u("cm", QUANTITY, "cm", 1.0, false),
    u("㎝", QUANTITY, "cm", 1.0, false),
    u("mm", QUANTITY, "mm", 1.0, false),
    u("㎜", QUANTITY, "mm", 1.0, false),
    u("㎡", QUANTITY, "m2", 1.0, false),
    u("m2", QUANTITY, "m2", 1.0, false),
    u("m²", QUANTITY, "m2", 1.0, false),
    u("제곱미터", QUANTITY, "m2", 1.0, false),
    u("평", QUANTITY, "pyeong", 1.0, false),
    u("ha", QUANTITY, "ha", 1.0, true),
    u("㏊", QUANTITY, "ha", 1.0, true),
    u("헥타르", QUANTITY, "ha", 1.0, true),
    u("kg", QUANTITY, "kg", 1.0, true),
    u("g", QUANTITY, "g", 1.0, false),
    u("그램", QUANTITY, "g", 1.0, true),
    u("테라비트", QUANTITY, "Tbps", 1.0, false),
    u("Tbps", QUANTITY, "Tbps", 1.0, true),
    u("기가비트", QUANTITY, "Gbps", 1.0, false),
    u("Gbps", QUANTITY, "Gbps", 1.0, true),
    u("㎏", QUANTITY, "kg", 1.0, true),
    u("t", QUANTITY, "t", 1.0, false),
    u("톤", QUANTITY, "t", 1.0, true),
    u("배럴", QUANTITY, "bbl", 1.0, true),
    u("℃", QUANTITY, "°C", 1.0, false),
    u("°C", QUANTITY, "°C", 1.0, false),
    u("도", QUANTITY, "°C", 1.0, false),
    // counters
    u("명", QUANTITY, "person", 1.0, true),
    u("곳", QUANTITY, "place", 1.0, true),
    u("개국", QUANTITY, "country", 1.0, true),
    u("개사", QUANTITY, "company", 1.0, true),
    u("개", QUANTITY, "item", 1.0, true),
    u("건", QUANTITY, "case", 1.0, true),
    u("가구", QUANTITY, "household", 1.0, true),
    u("대", QUANTITY, "unit", 1.0, true),
    u("척", QUANTITY, "vessel", 1.0, true),
    u("채", QUANTITY, "building", 1.0, true),
    u("배", QUANTITY, "times", 1.0, true),
    u("장", QUANTITY, "sheet", 1.0, false),
    u("마리", QUANTITY, "animal", 1.0, true),
    u("포기", QUANTITY, "item", 1.0, true),
    u("가지", QUANTITY, "kind", 1.0, true),
    u("차례", QUANTITY, "count", 1.0, true),
    u("번째", QUANTITY, "ordinal", 1.0, false),
    u("번", QUANTITY, "count", 1.0, false),
    u("회", QUANTITY, "count", 1.0, false),
    u("세", QUANTITY, "age", 1.0, false),
    u("위", QUANTITY, "rank", 1.0, false),
    u("호", QUANTITY, "ordinal", 1.0, false),
    u("상", QUANTITY, "phase", 1.0, false),
    u("승", QUANTITY, "win", 1.0, false),
    u("무", QUANTITY, "draw", 1.0, false),
    u("패", QUANTITY, "loss", 1.0, false),
    u("점", QUANTITY, "point", 1.0, false),
    u("골", QUANTITY, "goal", 1.0, false),
    u("경기", QUANTITY, "game", 1.0, false),
    u("라운드", QUANTITY, "round", 1.0, false),
    u("층", QUANTITY, "floor", 1.0, false),
    u("표", QUANTITY, "vote", 1.0, false),
    u("석", QUANTITY, "seat", 1.0, false),
    // time
    k("년", DATE, "date:year", UKind::Year, false),
    k("월", DATE, "date:month", UKind::Month, false),
    k("일", DATE, "date:day", UKind::Day, false),
    k("주", QUANTITY, "share", UKind::WeekOrShare, true),
    k("분기", DATE, "date:quarter", UKind::Quarter, false),
    k("시간", DURATION, "hour", UKind::Hour, false),
    k("분", DURATION, "minute", UKind::Minute, false),
    k("개월", DURATION, "month", UKind::MonthSpan, false),
];

/// Counters after native numerals (`두 배`, `한 달`, `세 차례`).
const NATIVE_COUNTERS: &[(&str, &str, &str)] = &[
    ("명", QUANTITY, "person"),
    ("곳", QUANTITY, "place"),
    ("개국", QUANTITY, "country"),
    ("개", QUANTITY, "item"),
    ("배", QUANTITY, "times"),
    ("차례", QUANTITY, "count"),
    ("번째", QUANTITY, "ordinal"),
    ("번", QUANTITY, "count"),
    ("가지", QUANTITY, "kind"),
    ("골", QUANTITY, "goal"),
    ("경기", QUANTITY, "game"),
    ("대", QUANTITY, "unit"),
    ("척", QUANTITY, "vessel"),
    ("채", QUANTITY, "building"),
    ("건", QUANTITY, "case"),
    ("마리", QUANTITY, "animal"),
    ("포기", QUANTITY, "item"),
    ("그루", QUANTITY, "item"),
    ("송이", QUANTITY, "item"),
    ("켤레", QUANTITY, "item"),
    ("달", DURATION, "month"),
    ("시간", DURATION, "hour"),
    ("해", DURATION, "year"),
];

/// Markers glued to a number's unit that make it a length of time (`16일째`, `5년간`, `3년새`).
const DURATION_GLUED: &[&str] = &["째", "간", "새"];

/// Words right after a number (one space away) that make it a length of time (`10년 만에`,
/// `3일 이내`).
const DURATION_AFTER: &[&str] = &["만에", "만의", "동안", "연속", "이내", "전", "후", "뒤", "만"];

/// Verbs of change after `까지`: the figure is a level reached, not a bound.
const CHANGE_VERBS: &[&str] = &[
    "올라",
    "오르",
    "오른",
    "올랐",
    "치솟",
    "끌어올",
    "늘",
    "줄",
    "떨어",
    "낮",
    "높",
    "상승",
    "하락",
    "증가",
    "감소",
    "확대",
    "축소",
    "급등",
    "급락",
    "뛰",
    "내려",
    "내렸",
    "내린",
    "떨어졌",
];

/// Words after `N0대` that make it an age group (`30대 초반`), not N vehicles.
const AGE_GROUP_NEXT: &[&str] = &[
    "초반",
    "중반",
    "후반",
    "이상",
    "이하",
    "남성",
    "여성",
    "남녀",
    "청년",
    "인구",
    "가구",
    "직장인",
    "연령",
    "세대",
    "젊은",
    "환자",
    "고객",
    "부부",
    "신혼",
    "취업자",
    "가구주",
];

/// Extra tails after units and date words, beyond particles.
const EXTRA_TAILS: &[&str] =
    &["어치", "씩", "당", "짜리", "대", "여", "가량", "쯤", "정도", "께", "에나", "에야", "인", "이던", "째", "간"];

/// True when `rest` (what follows a unit up to the end of its word) is acceptable.
fn tail_ok(rest: &str) -> bool {
    let w = syllables(rest);
    if w.is_empty() {
        // an ASCII letter or digit glued to the unit means a code, not a unit
        return !rest.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    }
    if is_particle_tail(w) {
        return true;
    }
    EXTRA_TAILS.iter().any(|t| w.starts_with(t) && (w.len() == t.len() || is_particle_tail(&w[t.len()..])))
}

/// The next word (after exactly one space) of `s` from byte `at`, or "".
fn next_word(s: &str, at: usize) -> &str {
    let Some(rest) = s.get(at..) else { return "" };
    let Some(r) = rest.strip_prefix(' ') else { return "" };
    let end = r.bytes().position(|x| x == b' ' || x == b'\n').unwrap_or(r.len());
    &r[..end]
}

/// The longest word [`prev_word`] returns, in bytes: the words its callers look for (`약`,
/// `최대`, `영하`, `지난`...) have at most two syllables.
const PREV_WORD_MAX: usize = 6;

/// The word just before byte `at` (separated by one space), or "" when there is none or it is
/// longer than [`PREV_WORD_MAX`] bytes. The word starts after the last space, line end, `(`,
/// `"`, `[`, `“` or `‘` before it.
fn prev_word(s: &str, at: usize) -> &str {
    let Some(before) = s.get(..at) else { return "" };
    let Some(w) = before.strip_suffix(' ') else { return "" };
    // a byte-wise walk back: ASCII bytes are never inside a longer character, and a character
    // ending in E2 80 9C / E2 80 98 is “ / ‘
    let b = w.as_bytes();
    let longest_start = b.len().saturating_sub(PREV_WORD_MAX);
    let mut k = b.len();
    while k > 0 {
        match b[k - 1] {
            b' ' | b'\n' | b'(' | b'"' | b'[' => break,
            0x9C | 0x98 if k >= 3 && b[k - 3] == 0xE2 && b[k - 2] == 0x80 => break,
            _ if k == longest_start => return "",
            _ => k -= 1,
        }
    }
    &w[k..]
}

/// The date context while scanning an article in reading order.
#[derive(Debug, Clone, Copy, Default)]
pub struct DateContext {
    /// Publication date (`--published`, or the date line).
    pub published: Option<Ymd>,
    /// The last day named (for `이날`, `전날`).
    pub last_day: Option<Ymd>,
    /// The last year named (for `전년`).
    pub last_year: Option<i32>,
}

impl DateContext {
    /// Remembers a day named in the text for `이날`: only days up to the publication date count
    /// (`오는 12월 2일` is a deadline, not the day the story happens).
    fn note_day(&mut self, d: Ymd) {
        if self.published.is_none_or(|p| d <= p) {
            self.last_day = Some(d);
        }
    }
}

/// Scans every paragraph (byte ranges into `text`) in reading order.
pub fn scan(text: &str, paras: &[std::ops::Range<usize>], published: Option<Ymd>) -> Vec<Figure> {
    let mut ctx = DateContext { published, ..Default::default() };
    // about one figure per 100 bytes of news text: sized once, no growth while scanning
    let mut out = Vec::with_capacity(text.len() / 100 + 4);
    for r in paras {
        scan_paragraph(text, r.start, r.end, &mut ctx, &mut out);
    }
    out
}

/// Scans `text[start..end]`, appending figures with offsets into `text`.
///
/// The walk is byte-wise: ASCII bytes other than digits start nothing, and a run of Hangul
/// syllables is one step (only its first syllable, at a word start, may start a figure).
pub fn scan_paragraph(text: &str, start: usize, end: usize, ctx: &mut DateContext, out: &mut Vec<Figure>) {
    let p = &text[..end];
    let b = p.as_bytes();
    let mut i = start;
    // a figure may start at `i`: the character before is no word character, `-`, `.` or `,`
    let mut at_word_start = true;
    let word_starts = WordStarts::get();
    while i < end {
        let c0 = b[i];
        if c0 < 0x80 && !c0.is_ascii_digit() {
            at_word_start = !(c0.is_ascii_alphanumeric() || matches!(c0, b'-' | b'.' | b','));
            i += 1;
            continue;
        }
        let w = syllables_end(b, i);
        if w > i {
            // a Hangul word, or the rest of one
            let ws = if at_word_start { word_starts.at(b, i) } else { WordStart::default() };
            if !ws.is_none() {
                if let Some(f) = figure_at_word(p, start, i, w, ws, ctx) {
                    i = f.end;
                    at_word_start = !starts_nothing_after(p[..i].chars().next_back().unwrap_or(' '));
                    out.push(f);
                    continue;
                }
            }
            i = w;
            at_word_start = false;
            continue;
        }
        let c = p[i..].chars().next().unwrap_or(' ');
        if digit_value(c).is_none() {
            at_word_start = !starts_nothing_after(c);
            i += c.len_utf8();
            continue;
        }
        if at_word_start {
            if let Some(f) = figure_at_digit(p, start, i, ctx) {
                i = f.end;
                at_word_start = !starts_nothing_after(p[..i].chars().next_back().unwrap_or(' '));
                out.push(f);
                continue;
            }
        }
        // skip the rest of this number or code
        while i < end {
            let ch = p[i..].chars().next().unwrap_or(' ');
            if !(ch.is_ascii_alphanumeric() || digit_value(ch).is_some() || ch == '.' || ch == ',') {
                break;
            }
            at_word_start = !starts_nothing_after(ch);
            i += ch.len_utf8();
        }
    }
}

/// True when no figure starts right after `c`: a word character, `-`, `.` or `,` (inside words,
/// codes like `NX-200` and numbers like `1.5`).
#[inline]
fn starts_nothing_after(c: char) -> bool {
    is_word_char(c) || matches!(c, '-' | '.' | ',')
}

/// The end of the Hangul syllables starting at byte `i` of `b` (`i` itself when none does).
#[inline]
fn syllables_end(b: &[u8], mut i: usize) -> usize {
    while hangul_len_at(b, i) > 0 {
        i += 3;
    }
    i
}

/// The Hangul syllables at the start of `s` (a word, or what is glued to a number or unit).
#[inline]
fn syllables(s: &str) -> &str {
    &s[..syllables_end(s.as_bytes(), 0)]
}

/// The units grouped by their first character, longest first.
fn units_by_first() -> &'static super::gazetteer::FxMap<char, Vec<Unit>> {
    static T: std::sync::OnceLock<super::gazetteer::FxMap<char, Vec<Unit>>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut m: super::gazetteer::FxMap<char, Vec<Unit>> = Default::default();
        for un in UNITS {
            if let Some(c) = un.surface.chars().next() {
                m.entry(c).or_default().push(*un);
            }
        }
        for v in m.values_mut() {
            v.sort_by_key(|u| std::cmp::Reverse(u.surface.len()));
        }
        m
    })
}

/// The longest unit at `at` (no space) that `tail_ok` accepts; returns it and its end.
fn unit_glued(p: &str, at: usize) -> Option<(Unit, usize)> {
    let rest = &p[at..];
    let first = rest.chars().next()?;
    let list = units_by_first().get(&first)?;
    list.iter().filter(|un| rest.starts_with(un.surface)).find_map(|un| {
        let e = at + un.surface.len();
        tail_ok(&p[e..]).then_some((*un, e))
    })
}

/// A unit at `at`, glued or after one space (for units that allow it).
fn unit_at(p: &str, at: usize) -> Option<(Unit, usize)> {
    if let Some(x) = unit_glued(p, at) {
        return Some(x);
    }
    if p[at..].starts_with(' ') {
        if let Some((un, e)) = unit_glued(p, at + 1) {
            if un.spaced {
                return Some((un, e));
            }
        }
    }
    None
}

fn figure(start: usize, end: usize, label: &'static str, value: Option<f64>, unit: &'static str) -> Figure {
    Figure { start, end, label, value, unit: Some(unit), approx: false, bound: None, range: None, date: None }
}

/// The start of a duration marker after `at` (glued or one space away), if any.
fn duration_marker(p: &str, at: usize) -> Option<&'static str> {
    let glued_word = syllables(&p[at..]);
    let marker_then_particles = |w: &str, m: &str| w.strip_prefix(m).is_some_and(is_particle_tail);
    if let Some(&m) = DURATION_GLUED.iter().find(|m| marker_then_particles(glued_word, m)) {
        return Some(m);
    }
    let w = syllables(next_word(p, at));
    // the whole next word is the marker, or the marker and particles (전보다), not 전후 "around"
    DURATION_AFTER.iter().copied().find(|m| marker_then_particles(w, m))
}

/// The glued duration suffix to include in the span (`째`, `간`), as its byte length.
fn glued_duration_suffix(p: &str, at: usize) -> usize {
    for m in ["째", "간"] {
        if p[at..].starts_with(m) {
            let w = &p[at + m.len()..];
            if is_particle_tail(syllables(w)) {
                return m.len();
            }
        }
    }
    0
}

/// A figure that starts with an Arabic digit at `i`.
fn figure_at_digit(p: &str, para_start: usize, i: usize, ctx: &mut DateContext) -> Option<Figure> {
    let num = numerals::parse(p, i)?;
    let mut j = num.end;
    let v = num.value?;
    let rest = &p[j..];
    // a person's age in parentheses after the name: 유정석(52)
    if !num.separators && !num.hangul_units && rest.starts_with(')') && (15.0..=110.0).contains(&v) {
        let before = &p[para_start..i];
        if let Some(b) = before.strip_suffix('(') {
            let name = &b[b.rfind(|c: char| !is_syllable(c)).map_or(0, |x| x + 1)..];
            if (2..=4).contains(&name.chars().count()) {
                return Some(figure(i, j, QUANTITY, Some(v), "age"));
            }
        }
    }
    // a score: 2대1
    if num.lead_digits <= 3 && !num.hangul_units && !num.separators && rest.starts_with('대') {
        if let Some((_, e, _, _)) = numerals::parse_digits(p, j + '대'.len_utf8()) {
            if tail_ok(&p[e..]) {
                return Some(Figure { value: None, ..figure(i, e, QUANTITY, None, "score") });
            }
        }
    }
    // a range: 15~29세
    let mut range = None;
    if let Some(tilde) = ['~', '∼', '～'].iter().find(|t| rest.starts_with(**t)) {
        let at = j + tilde.len_utf8();
        if let Some(n2) = numerals::parse(p, at) {
            if let Some(v2) = n2.value {
                range = Some((v, v2));
                j = n2.end;
            }
        }
    }
    // glued 여: 230만여 명
    let mut approx = false;
    if p[j..].starts_with('여') {
        let after = &p[j + '여'.len_utf8()..];
        if after.starts_with(' ') || unit_glued(p, j + '여'.len_utf8()).is_some() || after.is_empty() {
            approx = true;
            j += '여'.len_utf8();
        }
    }
    // a fraction: 3분의 1
    if range.is_none() && p[j..].starts_with("분의") {
        let mut at = j + "분의".len();
        if p[at..].starts_with(' ') {
            at += 1;
        }
        // the numerator is a plain number: 3분의 1만 is "only a third"
        if let Some((nu, ne, _, _)) = numerals::parse_digits(p, at) {
            let nu = nu as f64 / 1e6;
            {
                let den = v;
                if den != 0.0 && tail_ok(&p[ne..]) {
                    let mut f = figure(i, ne, QUANTITY, Some(nu / den), "ratio");
                    qualify(p, para_start, &mut f);
                    return Some(f);
                }
            }
        }
    }
    let Some((un, ue)) = unit_at(p, j) else {
        // a bare number: only with separators or Hangul units, followed by a particle or nothing
        if range.is_none() && (num.separators || num.hangul_units) && tail_ok(&p[j..]) {
            let mut f = Figure { unit: None, ..figure(i, j, QUANTITY, Some(v), "") };
            f.approx = approx;
            qualify(p, para_start, &mut f);
            return Some(f);
        }
        return None;
    };
    let prefix = prev_word(p, i);
    // age groups: 30대 초반, 20대 청년
    if un.code == "unit"
        && range.is_none()
        && v.fract() == 0.0
        && (10.0..=90.0).contains(&v)
        && (v as u32).is_multiple_of(10)
    {
        let next = next_word(p, ue);
        if AGE_GROUP_NEXT.iter().any(|w| next.starts_with(w)) {
            let mut f = figure(i, ue, QUANTITY, Some(v), "age");
            f.approx = true;
            return Some(f);
        }
    }
    let mut f = match un.kind {
        UKind::Plain => {
            let mut val = v * un.mult;
            let mut start = i;
            let mut code = un.code;
            if prefix == "영하" && code == "°C" {
                val = -val;
                start = i - "영하 ".len();
            }
            if (prefix == "초속" || prefix == "시속") && (code == "m" || code == "km") {
                code = if code == "m" { "m/s" } else { "km/h" };
                start = i - "초속 ".len();
            }
            figure(start, ue, un.label, Some(val), code)
        }
        UKind::Pt100 => {
            if v < 100.0 {
                return None;
            }
            figure(i, ue, QUANTITY, Some(v), "pt")
        }
        UKind::Year => {
            let marker = duration_marker(p, ue);
            let plausible = num.value.is_some_and(|y| y.fract() == 0.0 && (1900.0..=2100.0).contains(&y));
            if marker.is_some() || !plausible || approx || range.is_some() {
                let e = ue + glued_duration_suffix(p, ue);
                figure(i, e, DURATION, Some(v), "year")
            } else {
                let year = v as i32;
                ctx.last_year = Some(year);
                let (dv, e) = compose_after_year(p, ue, year, ctx);
                date_figure(i, e, dv)
            }
        }
        UKind::Month => {
            if v.fract() != 0.0 || !(1.0..=12.0).contains(&v) || range.is_some() {
                return None;
            }
            let (year, relative) = match prefix {
                "지난" | "오는" => (None, Some(prefix)),
                _ => (None, None),
            };
            let (dv, e) = month_date(p, ue, year, v as u32, relative, ctx)?;
            let start = if relative.is_some() { i - prefix.len() - 1 } else { i };
            date_figure(start, e, dv)
        }
        UKind::Day => {
            if let Some(_m) = duration_marker(p, ue) {
                let e = ue + glued_duration_suffix(p, ue);
                figure(i, e, DURATION, Some(v), "day")
            } else {
                if v.fract() != 0.0 || !(1.0..=31.0).contains(&v) || range.is_some() {
                    return None;
                }
                let relative = matches!(prefix, "지난" | "오는").then_some(prefix);
                let d = day_date(v as u32, None, relative, ctx);
                let start = if relative.is_some() { i - prefix.len() - 1 } else { i };
                let dv = match d {
                    Some(d) => {
                        ctx.note_day(d);
                        Some(DateValue::day(d))
                    }
                    None => None,
                };
                date_figure_opt(start, ue, Grain::Day, dv, "day")
            }
        }
        UKind::WeekOrShare => {
            let week = duration_marker(p, ue).is_some() || (v < 100.0 && !share_context(p, para_start, i));
            if week {
                let e = ue + glued_duration_suffix(p, ue);
                figure(i, e, DURATION, Some(v), "week")
            } else {
                figure(i, ue, QUANTITY, Some(v), "share")
            }
        }
        UKind::Quarter => {
            if !(1.0..=4.0).contains(&v) || v.fract() != 0.0 {
                return None;
            }
            let year = ctx.published.map(|d| d.year);
            date_figure_opt(i, ue, Grain::Quarter, year.map(|y| quarter(y, v as u32)), "quarter")
        }
        UKind::Hour => figure(i, ue + glued_duration_suffix(p, ue), DURATION, Some(v), "hour"),
        UKind::Minute => {
            duration_marker(p, ue)?;
            figure(i, ue + glued_duration_suffix(p, ue), DURATION, Some(v), "minute")
        }
        UKind::MonthSpan => figure(i, ue + glued_duration_suffix(p, ue), DURATION, Some(v), "month"),
    };
    if let Some(r) = range {
        f.value = None;
        f.range = Some((r.0 * un.mult, r.1 * un.mult));
        f.approx = true;
    }
    f.approx |= approx;
    if f.label != DATE {
        // the word before the number was looked up for the prefixes already
        let before = if f.start == i && i > para_start { prefix } else { word_before(p, para_start, f.start) };
        qualify_with(p, before, &mut f);
    }
    Some(f)
}

fn quarter(year: i32, q: u32) -> DateValue {
    DateValue { grain: Grain::Quarter, year, part: q, day: 0 }
}

/// True when share words stand near a `주` figure (`주식`, `지분`, `자사주`...).
fn share_context(p: &str, para_start: usize, at: usize) -> bool {
    let from = p[..at].char_indices().rev().nth(20).map_or(para_start, |(o, _)| o.max(para_start));
    let window = &p[from..at];
    ["주식", "지분", "주당", "자사주", "신주", "보통주", "우선주"].iter().any(|w| window.contains(w))
}

fn date_figure(start: usize, end: usize, dv: Option<DateValue>) -> Figure {
    match dv {
        Some(d) => figure(start, end, DATE, Some(d.number()), d.grain.unit()),
        None => Figure { date: None, ..figure(start, end, DATE, None, "date") },
    }
}

fn date_figure_opt(start: usize, end: usize, grain: Grain, dv: Option<DateValue>, rel: &str) -> Figure {
    match dv {
        Some(d) => date_figure(start, end, Some(d)),
        None => {
            let mut f = figure(start, end, DATE, None, grain.unit());
            f.date = Some(rel.to_string());
            f
        }
    }
}

/// After a resolved year (`2025년`, `올해`): ` N월`, ` N월 N일`, ` N분기`, ` 상반기`/` 하반기`.
fn compose_after_year(p: &str, at: usize, year: i32, ctx: &mut DateContext) -> (Option<DateValue>, usize) {
    let year_only = (Some(DateValue { grain: Grain::Year, year, part: 0, day: 0 }), at);
    if !p[at..].starts_with(' ') {
        return year_only;
    }
    let s = at + 1;
    for (w, h) in [("상반기", 1), ("하반기", 2)] {
        if p[s..].starts_with(w) && tail_ok(&p[s + w.len()..]) {
            return (Some(DateValue { grain: Grain::Half, year, part: h, day: 0 }), s + w.len());
        }
    }
    if let Some((m, e)) = small_int_unit(p, s, "분기", 1, 4) {
        return (Some(quarter(year, m)), e);
    }
    if let Some((m, e)) = small_int_unit(p, s, "월", 1, 12) {
        if let Some((dv, e2)) = month_date(p, e, Some(year), m, None, ctx) {
            return (dv, e2);
        }
    }
    year_only
}

/// `N` + `unit` at `at` with lo <= N <= hi, followed by an acceptable tail.
fn small_int_unit(p: &str, at: usize, unit: &str, lo: u32, hi: u32) -> Option<(u32, usize)> {
    let (v, e, seps, _) = numerals::parse_digits(p, at)?;
    if seps || v % 1_000_000 != 0 {
        return None;
    }
    let n = (v / 1_000_000) as u32;
    if !(lo..=hi).contains(&n) || !p[e..].starts_with(unit) || !tail_ok(&p[e + unit.len()..]) {
        return None;
    }
    Some((n, e + unit.len()))
}

/// A month date: the month `m` of `year` (or of the year implied by `relative` = 지난/오는, or
/// of the publication year), then an optional ` N일` or ` 말/초/중순`.
fn month_date(
    p: &str,
    at: usize,
    year: Option<i32>,
    m: u32,
    relative: Option<&str>,
    ctx: &mut DateContext,
) -> Option<(Option<DateValue>, usize)> {
    let pubd = ctx.published;
    let y = match (year, relative, pubd) {
        (Some(y), _, _) => Some(y),
        (None, Some("지난"), Some(d)) => Some(if m < d.month { d.year } else { d.year - 1 }),
        (None, Some("오는"), Some(d)) => Some(if m > d.month { d.year } else { d.year + 1 }),
        (None, _, Some(d)) => Some(d.year),
        (None, _, None) => None,
    };
    month_then_day(p, at, y, m, ctx)
}

/// After a month (`y` may be unknown): ` N일` gives a day, ` 말`/` 초`/` 중순` extend the span.
fn month_then_day(
    p: &str,
    at: usize,
    y: Option<i32>,
    m: u32,
    ctx: &mut DateContext,
) -> Option<(Option<DateValue>, usize)> {
    if p[at..].starts_with(' ') {
        if let Some((d, e)) = small_int_unit(p, at + 1, "일", 1, 31) {
            if duration_marker(p, e).is_none() {
                let dv = y.and_then(|y| Ymd::new(y, m, d)).map(|ymd| {
                    ctx.note_day(ymd);
                    DateValue::day(ymd)
                });
                return Some((dv, e));
            }
        }
        for w in ["말", "초", "중순", "하순", "상순"] {
            let s = at + 1;
            if p[s..].starts_with(w) && tail_ok(&p[s + w.len()..]) {
                return Some((y.map(|y| DateValue { grain: Grain::Month, year: y, part: m, day: 0 }), s + w.len()));
            }
        }
    }
    Some((y.map(|y| DateValue { grain: Grain::Month, year: y, part: m, day: 0 }), at))
}

/// A day `d` of `month` (or of the publication month, moved by 지난/오는).
fn day_date(d: u32, month: Option<(i32, u32)>, relative: Option<&str>, ctx: &DateContext) -> Option<Ymd> {
    let pubd = ctx.published?;
    let (y, m) = match (month, relative) {
        (Some(ym), _) => ym,
        (None, Some("지난")) => {
            if d < pubd.day {
                (pubd.year, pubd.month)
            } else {
                add_months(pubd.year, pubd.month, -1)
            }
        }
        (None, Some("오는")) => {
            if d > pubd.day {
                (pubd.year, pubd.month)
            } else {
                add_months(pubd.year, pubd.month, 1)
            }
        }
        _ => (pubd.year, pubd.month),
    };
    Ymd::new(y, m, d)
}

/// What a word may be, judged by its first syllable: which checks of [`figure_at_word`] can
/// succeed.
#[derive(Clone, Copy, Default, Debug, PartialEq)]
struct WordStart {
    /// 1 + the index in [`WordStarts::relative`] of the relative date words starting with the
    /// syllable; 0: none does.
    relative: u8,
    /// A combination of the `MAY_*` bits.
    may: u8,
}

/// `상반기` / `하반기`.
const MAY_HALF_YEAR: u8 = 1;
/// An indefinite numeral (`수천억`, `몇십`).
const MAY_INDEFINITE: u8 = 2;
/// `절반`.
const MAY_HALF: u8 = 4;
/// A day word ([`numerals::DAY_WORDS`]).
const MAY_DAY_WORD: u8 = 8;
/// A native numeral ([`numerals::NATIVE`]).
const MAY_NATIVE: u8 = 16;

impl WordStart {
    /// No word starting with this syllable is a figure.
    fn is_none(self) -> bool {
        self.relative == 0 && self.may == 0
    }
}

/// The first syllables of the words [`figure_at_word`] looks at: one entry per syllable, so
/// that every other word is rejected by one table load.
struct WordStarts {
    /// Indexed by syllable (`c - '가'`).
    by_syllable: Vec<WordStart>,
    /// The relative date words ([`RELATIVE`]) grouped by their first syllable, longest first.
    relative: Vec<Vec<(&'static str, Grain, i32)>>,
}

impl WordStarts {
    fn get() -> &'static WordStarts {
        static T: std::sync::OnceLock<WordStarts> = std::sync::OnceLock::new();
        T.get_or_init(|| {
            let mut t = WordStarts { by_syllable: vec![WordStart::default(); 11_172], relative: Vec::new() };
            let slot = |w: &str| w.chars().next().filter(|&c| is_syllable(c)).map(|c| c as usize - 0xAC00);
            for &e in RELATIVE {
                let Some(k) = slot(e.0) else { continue };
                if t.by_syllable[k].relative == 0 {
                    t.relative.push(Vec::new());
                    t.by_syllable[k].relative = u8::try_from(t.relative.len()).expect("few relative date groups");
                }
                t.relative[t.by_syllable[k].relative as usize - 1].push(e);
            }
            for group in &mut t.relative {
                group.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
            }
            let words =
                [("상반기", MAY_HALF_YEAR), ("하반기", MAY_HALF_YEAR), ("수", MAY_INDEFINITE), ("몇", MAY_INDEFINITE)]
                    .into_iter()
                    .chain([("절반", MAY_HALF)])
                    .chain(numerals::DAY_WORDS.iter().map(|&(w, _)| (w, MAY_DAY_WORD)))
                    .chain(numerals::NATIVE.iter().map(|&(w, _)| (w, MAY_NATIVE)));
            for (w, bit) in words {
                if let Some(k) = slot(w) {
                    t.by_syllable[k].may |= bit;
                }
            }
            t
        })
    }

    /// The entry of the syllable at byte `i` of `b` (where [`hangul_len_at`] found one).
    #[inline]
    fn at(&self, b: &[u8], i: usize) -> WordStart {
        // the three bytes 1110xxxx 10xxxxxx 10xxxxxx of a syllable, decoded
        let &[x, y, z] = &b[i..i + 3] else { return WordStart::default() };
        let c = (u32::from(x & 0x0F) << 12) | (u32::from(y & 0x3F) << 6) | u32::from(z & 0x3F);
        c.checked_sub(0xAC00).and_then(|k| self.by_syllable.get(k as usize)).copied().unwrap_or_default()
    }
}

/// A figure that starts with the Hangul word at `i..wend` (`wend`: the end of its syllables);
/// `ws` is the entry of its first syllable.
fn figure_at_word(
    p: &str,
    para_start: usize,
    i: usize,
    wend: usize,
    ws: WordStart,
    ctx: &mut DateContext,
) -> Option<Figure> {
    let rest = &p[i..];
    // relative dates
    let relative = ws.relative.checked_sub(1).map_or(&[][..], |g| &WordStarts::get().relative[g as usize][..]);
    for &(w, grain, off) in relative {
        if rest.starts_with(w) {
            let e = i + w.len();
            if !date_word_end(p, e) {
                continue;
            }
            return Some(relative_date(p, i, e, w, grain, off, ctx));
        }
    }
    for (w, h) in [("상반기", 1u32), ("하반기", 2)].into_iter().filter(|_| ws.may & MAY_HALF_YEAR != 0) {
        if rest.starts_with(w) && date_word_end(p, i + w.len()) {
            let dv = ctx.published.map(|d| DateValue { grain: Grain::Half, year: d.year, part: h, day: 0 });
            return Some(date_figure_opt(i, i + w.len(), Grain::Half, dv, "half"));
        }
    }
    // 지난 / 오는 + N월 / N일 are handled at the digit (they look back for the prefix)
    // prefixes 영하 / 초속 / 시속 are handled at the digit too
    // indefinite numerals
    if ws.may & MAY_INDEFINITE != 0 {
        let n = numerals::parse(p, i)?;
        let (un, ue) = unit_at(p, n.end)?;
        if un.kind != UKind::Plain {
            return None;
        }
        let mut f = figure(i, ue, un.label, None, un.code);
        f.range = n.range.map(|(a, b)| (a * un.mult, b * un.mult));
        f.approx = true;
        qualify(p, para_start, &mut f);
        return Some(f);
    }
    // the word itself
    let word = &p[i..wend];
    // 절반 "half"
    if ws.may & MAY_HALF != 0 && word.strip_prefix("절반").is_some_and(is_particle_tail) {
        let mut f = figure(i, i + "절반".len(), QUANTITY, Some(0.5), "ratio");
        qualify(p, para_start, &mut f);
        return Some(f);
    }
    // day words: 열흘, 이틀 (하루 only with a duration word after it)
    for cut in (3..=word.len().min(9)).rev().step_by(3).filter(|_| ws.may & MAY_DAY_WORD != 0) {
        let (stem, tail) = word.split_at(cut);
        if let Some(n) = numerals::day_word(stem) {
            if is_particle_tail(tail) && (stem != "하루" || duration_marker(p, i + stem.len()).is_some()) {
                return Some(figure(i, i + stem.len(), DURATION, Some(n as f64), "day"));
            }
        }
    }
    // native numerals before counters
    if let Some(n) = if ws.may & MAY_NATIVE != 0 { numerals::native(word) } else { None } {
        let at = wend;
        if !p[at..].starts_with(' ') {
            return None;
        }
        let s = at + 1;
        for &(cw, label, code) in NATIVE_COUNTERS {
            if p[s..].starts_with(cw) && tail_ok(&p[s + cw.len()..]) {
                // 석/넉 only count months; 세 is also "tax"/"age" and 한 a determiner: the counter decides
                if matches!(word, "석" | "넉") && cw != "달" {
                    continue;
                }
                let mut f = figure(i, s + cw.len(), label, Some(n as f64), code);
                qualify(p, para_start, &mut f);
                return Some(f);
            }
        }
    }
    None
}

/// True when a date word ending at `e` is a whole word (a particle or nothing may follow).
fn date_word_end(p: &str, e: usize) -> bool {
    let tail = syllables(&p[e..]);
    tail.is_empty() || is_particle_tail(tail) || ["에나", "들어", "께", "쯤"].iter().any(|t| tail.starts_with(t))
}

/// A relative date word `w` at `i..e`.
fn relative_date(p: &str, i: usize, e: usize, w: &str, grain: Grain, off: i32, ctx: &mut DateContext) -> Figure {
    let pubd = ctx.published;
    match grain {
        Grain::Year => {
            let base = if w == "전년" { ctx.last_year.or(pubd.map(|d| d.year)) } else { pubd.map(|d| d.year) };
            match base {
                Some(y) => {
                    let year = y + off;
                    if w != "전년" {
                        ctx.last_year = Some(year);
                    }
                    let (dv, end) = compose_after_year(p, e, year, ctx);
                    date_figure(i, end, dv)
                }
                None => {
                    let mut f = figure(i, e, DATE, None, "date:year");
                    f.date = Some(format!("year{off:+}"));
                    f
                }
            }
        }
        Grain::Month => {
            let ym = pubd.map(|d| add_months(d.year, d.month, off));
            match ym {
                Some((y, m)) => {
                    let (dv, end) = month_then_day(p, e, Some(y), m, ctx).unwrap_or((None, e));
                    date_figure(i, end, dv)
                }
                None => {
                    let mut f = figure(i, e, DATE, None, "date:month");
                    f.date = Some(format!("month{off:+}"));
                    f
                }
            }
        }
        Grain::Week => {
            let dv = pubd.map(|d| DateValue::week_of(d.add_days(7 * off as i64)));
            date_figure_opt(i, e, Grain::Week, dv, &format!("week{off:+}"))
        }
        _ => {
            // days: 이날/전날/다음 날 count from the last day named; 오늘/어제/내일 from publication
            let base = if matches!(w, "이날" | "전날" | "다음 날" | "이튿날" | "당일") {
                ctx.last_day.or(pubd)
            } else {
                pubd
            };
            let dv = base.map(|d| DateValue::day(d.add_days(off as i64)));
            date_figure_opt(i, e, Grain::Day, dv, &format!("day{off:+}"))
        }
    }
}

/// The word before a figure starting at `start` that [`qualify_with`] looks at: none at the
/// start of the paragraph.
fn word_before(p: &str, para_start: usize, start: usize) -> &str {
    if start > para_start {
        prev_word(p, start)
    } else {
        ""
    }
}

/// Sets `approx` and `bound` from the words around a figure (korean-extraction.md §3.3).
fn qualify(p: &str, para_start: usize, f: &mut Figure) {
    qualify_with(p, word_before(p, para_start, f.start), f);
}

/// [`qualify`], given the word before the figure ([`word_before`]).
fn qualify_with(p: &str, before: &str, f: &mut Figure) {
    match before {
        "약" | "대략" | "얼추" => f.approx = true,
        "최대" => {
            f.approx = true;
            f.bound = Some("max");
        }
        "최소" => {
            f.approx = true;
            f.bound = Some("min");
        }
        _ => {}
    }
    let glued = syllables(&p[f.end..]);
    let gw_end = glued.len();
    let next = next_word(p, f.end + gw_end);
    let approx_words = ["가량", "정도", "쯤", "안팎", "내외", "남짓"];
    let starts = |w: &str, list: &[&str]| list.iter().any(|x| w.starts_with(x));
    let bound_word = |w: &str| -> Option<&'static str> {
        for (x, b) in [("이상", "min"), ("초과", "min"), ("이하", "max"), ("미만", "max")] {
            if let Some(t) = w.strip_prefix(x) {
                if is_particle_tail(t) || ["인", "일", "이던"].contains(&t) {
                    return Some(b);
                }
            }
        }
        None
    };
    let set_bound = |b: &'static str, f: &mut Figure| {
        f.approx = true;
        if f.bound.is_none() {
            f.bound = Some(b);
        }
    };
    if starts(glued, &approx_words) || (glued.is_empty() && starts(next, &approx_words)) {
        f.approx = true;
    }
    if let Some(b) = bound_word(glued).or_else(|| if glued.is_empty() { bound_word(next) } else { None }) {
        set_bound(b, f);
    }
    // 을 넘는다, and 을 처음으로 넘어섰다 (one adverb between)
    let after_next_at = f.end + gw_end + 1 + next.len();
    let adverb_then_over = || {
        let adverb = next.ends_with("으로")
            || next.ends_with('히')
            || next.ends_with('게')
            || ["이미", "다시", "훌쩍", "처음"].contains(&next);
        adverb && !next.is_empty() && next_word(p, after_next_at).starts_with('넘')
    };
    if (glued.is_empty() || glued == "을" || glued == "를")
        && (next.starts_with('넘') || (!glued.is_empty() && adverb_then_over()))
    {
        set_bound("min", f);
    }
    if (glued.is_empty() && (next.starts_with("가까") || next.starts_with("육박")))
        || (glued == "에" && (next.starts_with("가깝") || next.starts_with("가까") || next.starts_with("육박")))
    {
        set_bound("max", f);
    }
    if glued.starts_with("까지") && f.label != DURATION && !starts(next, CHANGE_VERBS) {
        set_bound("max", f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pubd() -> Option<Ymd> {
        Ymd::parse("2025-03-14")
    }

    fn scan_str(s: &str) -> Vec<Figure> {
        scan(s, &crate::extract::text::one_paragraph(s), pubd())
    }

    /// The one figure in `s`: (text, value, unit, approx, bound).
    fn one(s: &str) -> (String, Option<f64>, Option<&'static str>, bool, Option<&'static str>) {
        let f = scan_str(s);
        assert_eq!(f.len(), 1, "{s}: {f:?}");
        let f = &f[0];
        (s[f.start..f.end].to_string(), f.value, f.unit, f.approx, f.bound)
    }

    fn check(s: &str, text: &str, value: Option<f64>, unit: &str, approx: bool, bound: Option<&str>) {
        let (t, v, u, a, b) = one(s);
        assert_eq!(t, text, "{s}");
        match (v, value) {
            (Some(x), Some(y)) => assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0), "{s}: {x} != {y}"),
            _ => assert_eq!(v, value, "{s}"),
        }
        assert_eq!(u, (!unit.is_empty()).then_some(unit), "{s}");
        assert_eq!((a, b), (approx, bound), "{s}");
    }

    #[test]
    fn worked_examples_money_and_counts() {
        // korean-extraction.md §3.5, rows 1-24
        check("5조3천억원", "5조3천억원", Some(5.3e12), "KRW", false, None);
        check("2억8천500만 달러", "2억8천500만 달러", Some(285e6), "USD", false, None);
        check("4천120만 주", "4천120만 주", Some(41.2e6), "share", false, None);
        check("47억2천만 달러", "47억2천만 달러", Some(4.72e9), "USD", false, None);
        check("3만4천명", "3만4천명", Some(34_000.0), "person", false, None);
        check("약 1조2천억 원", "1조2천억 원", Some(1.2e12), "KRW", true, None);
        check("1.5조원", "1.5조원", Some(1.5e12), "KRW", false, None);
        check("최대 96억 유로", "96억 유로", Some(9.6e9), "EUR", true, Some("max"));
        check("6조 엔 가량", "6조 엔", Some(6e12), "JPY", true, None);
        check("8천만 위안", "8천만 위안", Some(8e7), "CNY", false, None);
        check("230만여 명", "230만여 명", Some(2.3e6), "person", true, None);
        check("수천억 원", "수천억 원", None, "KRW", true, None);
        check("1,200억 원 미만", "1,200억 원", Some(1.2e11), "KRW", true, Some("max"));
        check("15.3%", "15.3%", Some(15.3), "%", false, None);
        check("1.2%포인트", "1.2%포인트", Some(1.2), "pp", false, None);
        check("1.2%p", "1.2%p", Some(1.2), "pp", false, None);
        check("30% 이상", "30%", Some(30.0), "%", true, Some("min"));
        check("3분의 1", "3분의 1", Some(1.0 / 3.0), "ratio", false, None);
        check("전력을 3분의 1만 쓴다", "3분의 1", Some(1.0 / 3.0), "ratio", false, None);
        check("두 배", "두 배", Some(2.0), "times", false, None);
        check("2.5배", "2.5배", Some(2.5), "times", false, None);
        check("1.5GW", "1.5GW", Some(1.5e9), "W", false, None);
        check("최소 300㎿", "300㎿", Some(3e8), "W", true, Some("min"));
        check("1만2천500곳", "1만2천500곳", Some(12_500.0), "place", false, None);
        check("40개국", "40개국", Some(40.0), "country", false, None);
        check("100만 배럴", "100만 배럴", Some(1e6), "bbl", false, None);
        check("3주 연속", "3주", Some(3.0), "week", false, None);
        let f = scan_str("수천억 원");
        assert_eq!(f[0].range, Some((2e11, 9e11)));
    }

    #[test]
    fn worked_examples_dates() {
        // rows 25-30, dateline 2025-03-14
        check("2033년", "2033년", Some(2033.0), "date:year", false, None);
        check("내년 1분기", "내년 1분기", Some(20261.0), "date:quarter", false, None);
        check("지난 8월", "지난 8월", Some(202408.0), "date:month", false, None);
        check("21일(현지시간)", "21일", Some(20250321.0), "date:day", false, None);
        check("지난 21일", "지난 21일", Some(20250221.0), "date:day", false, None);
        check("지난주", "지난주", Some(20250303.0), "date:week", false, None);
        check("10년 만에", "10년", Some(10.0), "year", false, None);
    }

    #[test]
    fn more_dates() {
        check("2025년 3월 14일", "2025년 3월 14일", Some(20250314.0), "date:day", false, None);
        check("오는 12월 2일", "오는 12월 2일", Some(20251202.0), "date:day", false, None);
        check("올해 5월 15일부터", "올해 5월 15일", Some(20250515.0), "date:day", false, None);
        check("지난달 21일부터", "지난달 21일", Some(20250221.0), "date:day", false, None);
        check("2027년 상반기", "2027년 상반기", Some(20271.0), "date:half", false, None);
        check("이달 말", "이달 말", Some(202503.0), "date:month", false, None);
        check("내년도 예산", "내년도", Some(2026.0), "date:year", false, None);
        check("다음 주에나", "다음 주", Some(20250317.0), "date:week", false, None);
        check("16일째", "16일째", Some(16.0), "day", false, None);
        check("5년간", "5년간", Some(5.0), "year", false, None);
        check("9개월째", "9개월째", Some(9.0), "month", false, None);
        check("1년 전보다", "1년", Some(1.0), "year", false, None);
        check("2033년까지", "2033년", Some(2033.0), "date:year", false, None);
        // 이날 and 전날 follow the last day named; 전년 the last year named
        let f = scan_str("13일 경기. 이날 관중. 전날 훈련.");
        let v: Vec<_> = f.iter().map(|x| x.value.unwrap()).collect();
        assert_eq!(v, vec![20250313.0, 20250313.0, 20250312.0]);
        let f = scan_str("오는 20일 마감. 이날 발표.");
        assert_eq!(f[1].value, Some(20250314.0), "a future day is not 이날");
        let f = scan_str("지난해 판매. 전년보다 늘었다.");
        assert_eq!(f[1].value, Some(2023.0));
    }

    #[test]
    fn unresolved_dates_keep_the_relative_form() {
        let s = "내년 예산";
        let f = scan(s, &crate::extract::text::one_paragraph(s), None);
        assert_eq!(f[0].value, None);
        assert_eq!(f[0].date.as_deref(), Some("year+1"));
        // absolute dates need no publication date
        let s = "2025년 3월 14일";
        assert_eq!(scan(s, &crate::extract::text::one_paragraph(s), None)[0].value, Some(20250314.0));
    }

    #[test]
    fn qualifiers() {
        check("두 배 가까이", "두 배", Some(2.0), "times", true, Some("max"));
        check("두 배에 가깝다", "두 배", Some(2.0), "times", true, Some("max"));
        check("1천300조 원을 넘는다", "1천300조 원", Some(1.3e15), "KRW", true, Some("min"));
        check("300곳 이상이", "300곳", Some(300.0), "place", true, Some("min"));
        check("25도 이상인", "25도", Some(25.0), "°C", true, Some("min"));
        check("2% 안팎에서", "2%", Some(2.0), "%", true, None);
        check("10년 이상 걸릴", "10년", Some(10.0), "year", true, Some("min"));
        check("1인당 50만원까지 지원", "50만원", Some(5e5), "KRW", true, Some("max"));
        // 까지 after a rise or a goal is no bound
        check("38.2도까지 올라", "38.2도", Some(38.2), "°C", false, None);
        check("30%까지 끌어올리겠다", "30%", Some(30.0), "%", false, None);
        // 규모, 달한다 and 총 are no qualifiers
        check("총 30만대 규모", "30만대", Some(3e5), "unit", false, None);
        check("180억 달러어치에 달했다", "180억 달러", Some(1.8e10), "USD", false, None);
        check("1천만 명을 처음으로 넘어섰다", "1천만 명", Some(1e7), "person", true, Some("min"));
        check("420만 명은 이미 넘겼다", "420만 명", Some(4.2e6), "person", false, None);
        check("30대 초반 인구", "30대", Some(30.0), "age", true, None);
        check("30대 규모", "30대", Some(30.0), "unit", false, None);
        // a name starting with 이상 is no bound
        check("3명 이상훈 대표", "3명", Some(3.0), "person", false, None);
    }

    #[test]
    fn prefixes_ranges_scores() {
        check("초속 15m의 강풍", "초속 15m", Some(15.0), "m/s", false, None);
        check("영하 12도", "영하 12도", Some(-12.0), "°C", false, None);
        check("15~29세", "15~29세", None, "age", true, None);
        check("2대1로 꺾었다", "2대1", None, "score", false, None);
        check("석 달 만의 승인", "석 달", Some(3.0), "month", false, None);
        check("한 달 전보다", "한 달", Some(1.0), "month", false, None);
        check("열흘이 걸렸다", "열흘", Some(10.0), "day", false, None);
        check("두 번째 인하", "두 번째", Some(2.0), "ordinal", false, None);
        check("2,718.60에 마감", "2,718.60", Some(2718.6), "", false, None);
        check("2,700선을 회복", "2,700선", Some(2700.0), "pt", false, None);
        check("유정석(52) 전 대표", "52", Some(52.0), "age", false, None);
        check("손님이 절반으로 줄었다", "절반", Some(0.5), "ratio", false, None);
        check("배추 한 포기", "한 포기", Some(1.0), "item", false, None);
        check("시금치 100g은", "100g", Some(100.0), "g", false, None);
        check("2030년 전후 상용화", "2030년", Some(2030.0), "date:year", false, None);
        check("53시간 만에", "53시간", Some(53.0), "hour", false, None);
        check("1천800㏊", "1천800㏊", Some(1800.0), "ha", false, None);
        check("40GWh로", "40GWh", Some(4e10), "Wh", false, None);
    }

    /// `prev_word` as a search by characters finds it (the reference for the byte-wise walk).
    fn prev_word_by_chars(s: &str, at: usize) -> &str {
        let Some(before) = s.get(..at) else { return "" };
        let Some(b) = before.strip_suffix(' ') else { return "" };
        let start = b
            .rfind([' ', '\n', '(', '“', '"', '‘', '['])
            .map_or(0, |p| p + b[p..].chars().next().map_or(1, char::len_utf8));
        &b[start..]
    }

    #[test]
    fn word_neighbours_match_the_char_searches() {
        // characters whose UTF-8 ends in 9C or 98 like “ and ‘: 개 (EA B0 9C), 감 (EA B0 98),
        // ₜ (E2 82 9C), ” and ’, a Thai letter (E0 B8 9C)
        let mut s = String::new();
        let words = [
            "가", "“나", "‘다", "(라", "\"마", "[바", "개", "x감", "ₜ", "”개", "’감", "\u{0E1C}", "1조", "a(b", "\n줄",
        ];
        // and words around the length limit
        for w in words.into_iter().chain(["대략", "최대한", "(최소", "abcdef", "abcdefg", "[abcdef", "“영하"])
        {
            s.push_str(w);
            s.push(' ');
            s.push_str(w);
            s.push_str("감 ");
        }
        for at in (0..=s.len() + 1).filter(|&k| k > s.len() || s.is_char_boundary(k)) {
            let by_chars = prev_word_by_chars(&s, at);
            let expected = if by_chars.len() <= PREV_WORD_MAX { by_chars } else { "" };
            assert_eq!(prev_word(&s, at), expected, "at {at}");
            let by_chars = s
                .get(at..)
                .and_then(|r| r.strip_prefix(' '))
                .map_or("", |r| &r[..r.find([' ', '\n']).unwrap_or(r.len())]);
            assert_eq!(next_word(&s, at), by_chars, "at {at}");
        }
        // the glued syllables stop at the first character outside 가..힣
        for t in ["가각힣\u{D7A4}", "\u{ABFF}가", "한국어 ", "원을", "", "ㄱ가", "가1"] {
            let by_chars = &t[..t.find(|c: char| !is_syllable(c)).unwrap_or(t.len())];
            assert_eq!(syllables(t), by_chars, "{t}");
        }
    }

    #[test]
    fn word_starts_follow_the_word_lists() {
        let t = WordStarts::get();
        let of = |w: &str| t.at(w.as_bytes(), 0);
        for &(w, _, _) in RELATIVE {
            let group = &t.relative[of(w).relative as usize - 1];
            assert!(group.iter().any(|e| e.0 == w), "{w}");
            assert!(group.iter().all(|e| e.0.chars().next() == w.chars().next()), "{w}");
            assert!(group.windows(2).all(|p| p[0].0.len() >= p[1].0.len()), "{w}: longest first");
        }
        for (w, bit) in [("하반기", MAY_HALF_YEAR), ("몇", MAY_INDEFINITE), ("절반", MAY_HALF)] {
            assert_ne!(of(w).may & bit, 0, "{w}");
        }
        for &(w, _) in numerals::DAY_WORDS {
            assert_ne!(of(w).may & MAY_DAY_WORD, 0, "{w}");
        }
        for &(w, _) in numerals::NATIVE {
            assert_ne!(of(w).may & MAY_NATIVE, 0, "{w}");
        }
        // 이 starts 이날 and 이틀, not a native numeral; 가 and 영 start nothing
        assert_eq!(of("이").may, MAY_DAY_WORD);
        assert_ne!(of("이").relative, 0);
        assert!(of("가").is_none() && of("영").is_none() && of("힣").is_none());
    }

    #[test]
    fn negatives() {
        for s in [
            "10년 만에",
            "천연가스 발전",
            "백신 접종",
            "조사를 벌이고",
            "경제성장률",
            "오전 10시경",
            "NX-200은",
            "SB-FLU1의",
            "가온 3을",
            "오후 3시",
            "원전 건설",
            "한 관계자는",
            "위원회",
            "오늘날",
            "수요가 빠르다",
            "제3조",
        ] {
            let f = scan_str(s);
            let texts: Vec<_> = f.iter().map(|x| &s[x.start..x.end]).collect();
            // "10년 만에" has one figure, "10년"; 만에 itself is none
            let bad =
                texts.iter().any(|t| ["만에", "천", "백", "조", "경", "3", "200", "1", "원", "한", "수"].contains(t));
            assert!(!bad, "{s}: {texts:?}");
        }
        assert!(scan_str("천연가스와 백신, 조사, 경제").is_empty());
        assert!(scan_str("오전 10시경 진화").is_empty());
        assert!(scan_str("추론 칩 ‘NX-200’과 ‘SB-FLU1’").is_empty());
    }
}
