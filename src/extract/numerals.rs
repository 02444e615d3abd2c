//! The Korean numeral grammar: Arabic digits with 만/억/조/경 groups and 천/백/십 inside them.
//!
//! ```text
//! DIG   = [0-9]+(,[0-9]{3})*(\.[0-9]+)?
//! FIG   = DIG ( (SMALL|BIG) DIG? )*      SMALL = 천 백 십, BIG = 경 조 억 만
//! ```
//! Evaluated left to right (`cur` = last digits; SMALL: `grp += (cur or 1) × s`; BIG: `total +=
//! (grp + cur, or 1) × b`). Unit characters count only when glued to the number, so 만에, 천연,
//! 백신, 조사, 경제 are never numbers; BIG units must decrease (`21억 4748만` may take one space
//! after a BIG unit), SMALL units must decrease inside a group. Values are computed in integers
//! of 10⁻⁶ (i128) and converted to `f64` once.
//!
//! Indefinite numerals (`수천억`, `몇십`) have no value but a range `[2×base, 9×base]`.

/// Fixed-point scale of the integer arithmetic (six decimals).
const SCALE: i128 = 1_000_000;

/// A parsed numeral.
#[derive(Debug, Clone, PartialEq)]
pub struct Numeral {
    /// The value; `None` for indefinite numerals.
    pub value: Option<f64>,
    /// For indefinite numerals, the range they stand for.
    pub range: Option<(f64, f64)>,
    /// Byte offset just past the numeral.
    pub end: usize,
    /// The numeral used a thousands comma or a decimal point.
    pub separators: bool,
    /// The numeral used a Hangul unit (만, 천...).
    pub hangul_units: bool,
    /// Number of Arabic digits before any separator or unit (`2025` → 4).
    pub lead_digits: usize,
}

/// The value of a SMALL unit character.
fn small(c: char) -> Option<i128> {
    match c {
        '천' => Some(1000),
        '백' => Some(100),
        '십' => Some(10),
        _ => None,
    }
}

/// The value of a BIG unit character.
fn big(c: char) -> Option<i128> {
    match c {
        '만' => Some(10_000),
        '억' => Some(100_000_000),
        '조' => Some(1_000_000_000_000),
        '경' => Some(10_000_000_000_000_000),
        _ => None,
    }
}

/// Maps full-width digits to ASCII (NFKC for matching only; the text is not changed).
#[inline]
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// The Arabic digit starting at byte `i` of `b` (ASCII or full-width `０`-`９`, EF BC 90-99 in
/// UTF-8): its value and byte length.
#[inline]
fn digit_at(b: &[u8], i: usize) -> Option<(u8, usize)> {
    match b.get(i)? {
        &d @ b'0'..=b'9' => Some((d - b'0', 1)),
        0xEF if b.get(i + 1) == Some(&0xBC) => match b.get(i + 2) {
            Some(&d @ 0x90..=0x99) => Some((d - 0x90, 3)),
            _ => None,
        },
        _ => None,
    }
}

/// Arabic digits at `i`: `(value × SCALE, end, used separators, digits before separators)`.
pub fn parse_digits(s: &str, i: usize) -> Option<(i128, usize, bool, usize)> {
    let b = s.as_bytes();
    let mut k = i;
    let mut v: i128 = 0;
    let mut end = i;
    let mut n = 0usize;
    let mut lead = 0usize;
    let mut seps = false;
    loop {
        if let Some((d, len)) = digit_at(b, k) {
            v = v.checked_mul(10)?.checked_add(d as i128)?;
            n += 1;
            if !seps {
                lead += 1;
            }
            k += len;
            end = k;
        } else if b.get(k) == Some(&b',') && n > 0 {
            // a thousands comma: exactly three ASCII digits follow, then no digit
            let at = k + 1;
            let three = b.len() >= at + 3 && b[at..at + 3].iter().all(u8::is_ascii_digit);
            let then = b.get(at + 3).is_none_or(|x| !x.is_ascii_digit());
            if !(three && then) {
                break;
            }
            seps = true;
            k = at;
        } else {
            break;
        }
    }
    if n == 0 {
        return None;
    }
    let mut value = v.checked_mul(SCALE)?;
    // decimals
    if b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit) {
        let mut j = end + 1;
        let mut frac: i128 = 0;
        let mut places = 0u32;
        while j < b.len() && b[j].is_ascii_digit() {
            if places < 6 {
                frac = frac * 10 + (b[j] - b'0') as i128;
                places += 1;
            }
            j += 1;
        }
        value += frac * 10i128.pow(6 - places);
        end = j;
        seps = true;
    }
    Some((value, end, seps, lead))
}

/// Parses the numeral starting at byte `i` of `s` (an Arabic digit, or `수`/`몇` for indefinite
/// numerals). Returns `None` when there is none.
pub fn parse(s: &str, i: usize) -> Option<Numeral> {
    let first = s[i..].chars().next()?;
    if first == '수' || first == '몇' {
        return parse_indefinite(s, i);
    }
    let (mut cur, mut end, separators, lead_digits) = parse_digits(s, i)?;
    let mut cur_set = true;
    let mut total: i128 = 0;
    let mut grp: i128 = 0;
    let mut last_big = i128::MAX;
    let mut last_small = i128::MAX;
    let mut hangul_units = false;
    // where the digits of `cur` began, when they came after a unit (rolled back if the next unit
    // is out of order: 3만5억 is 3만 and then 5억)
    let mut cur_from: Option<usize> = None;
    while let Some(c) = s[end..].chars().next() {
        if let Some(sv) = small(c) {
            if sv >= last_small {
                if let Some(f) = cur_from {
                    end = f;
                    cur_set = false;
                }
                break;
            }
            let base = if cur_set { cur } else { SCALE };
            grp += base * sv;
            cur = 0;
            cur_set = false;
            last_small = sv;
            end += c.len_utf8();
            hangul_units = true;
            // digits may follow a SMALL unit directly (2억8천500만)
            if let Some((v, e, _, _)) = parse_digits(s, end) {
                cur_from = Some(end);
                cur = v;
                cur_set = true;
                end = e;
            }
        } else if let Some(bv) = big(c) {
            if bv >= last_big || !big_unit_ok(s, end, c) {
                if bv >= last_big {
                    if let Some(f) = cur_from {
                        end = f;
                        cur_set = false;
                    }
                }
                break;
            }
            let g = grp + if cur_set { cur } else { 0 };
            let g = if g == 0 { SCALE } else { g };
            total += g.checked_mul(bv)?;
            grp = 0;
            cur = 0;
            cur_set = false;
            last_big = bv;
            last_small = i128::MAX;
            end += c.len_utf8();
            hangul_units = true;
            if let Some((v, e, _, _)) = parse_digits(s, end) {
                cur_from = Some(end);
                cur = v;
                cur_set = true;
                end = e;
            } else if s[end..].starts_with(' ') {
                // one space after a BIG unit, when a smaller group follows: 21억 4748만
                if let Some((v, e, _, _)) = parse_digits(s, end + 1) {
                    let next = s[e..].chars().next();
                    let smaller =
                        next.and_then(big).is_some_and(|nb| nb < bv) && big_unit_ok(s, e, next.unwrap_or(' '));
                    if smaller {
                        cur_from = Some(end);
                        cur = v;
                        cur_set = true;
                        end = e;
                    }
                }
            }
        } else {
            break;
        }
    }
    total += grp + if cur_set { cur } else { 0 };
    Some(Numeral { value: Some(total as f64 / SCALE as f64), range: None, end, separators, hangul_units, lead_digits })
}

/// A BIG unit character at `at` really is one: `경` is "about" after 시 and the start of 경기,
/// 경제, 경우...; it counts only when no Hangul syllable other than 원 follows it. `조` before 사
/// (조사) is no unit either.
fn big_unit_ok(s: &str, at: usize, c: char) -> bool {
    let next = s[at + c.len_utf8()..].chars().next();
    match c {
        '경' => !next.is_some_and(|n| super::hangul::is_syllable(n) && n != '원'),
        '조' => next != Some('사'),
        _ => true,
    }
}

/// `수` or `몇`, then 십/백/천 and/or 만/억/조 glued: the value is unknown, the range is
/// `[2×base, 9×base]`.
fn parse_indefinite(s: &str, i: usize) -> Option<Numeral> {
    let mut end = i + '수'.len_utf8();
    let mut base: i128 = 1;
    let mut any = false;
    let mut last_small = i128::MAX;
    let mut last_big = i128::MAX;
    while let Some(c) = s[end..].chars().next() {
        if let Some(v) = small(c) {
            if v >= last_small || last_big != i128::MAX {
                break;
            }
            last_small = v;
            base *= v;
        } else if let Some(v) = big(c) {
            if v >= last_big || !big_unit_ok(s, end, c) {
                break;
            }
            last_big = v;
            base *= v;
        } else {
            break;
        }
        any = true;
        end += c.len_utf8();
    }
    if !any {
        return None;
    }
    let b = base as f64;
    Some(Numeral {
        value: None,
        range: Some((2.0 * b, 9.0 * b)),
        end,
        separators: false,
        hangul_units: true,
        lead_digits: 0,
    })
}

/// Native Korean numerals used before counters (`두 배`, `세 차례`, `석 달`), with their value.
pub const NATIVE: &[(&str, u32)] = &[
    ("한", 1),
    ("두", 2),
    ("세", 3),
    ("석", 3),
    ("네", 4),
    ("넉", 4),
    ("다섯", 5),
    ("여섯", 6),
    ("일곱", 7),
    ("여덟", 8),
    ("아홉", 9),
    ("열", 10),
    ("열한", 11),
    ("열두", 12),
    ("열세", 13),
    ("열네", 14),
    ("열다섯", 15),
    ("스무", 20),
    ("스물", 20),
];

/// Number words for days (`이틀`, `열흘`), with their value.
pub const DAY_WORDS: &[(&str, u32)] = &[
    ("하루", 1),
    ("이틀", 2),
    ("사흘", 3),
    ("나흘", 4),
    ("닷새", 5),
    ("엿새", 6),
    ("이레", 7),
    ("여드레", 8),
    ("아흐레", 9),
    ("열흘", 10),
    ("보름", 15),
];

/// The value of a native numeral ([`NATIVE`]).
pub fn native(word: &str) -> Option<u32> {
    NATIVE.iter().find(|&&(w, _)| w == word).map(|&(_, n)| n)
}

/// The value of a day word ([`DAY_WORDS`]).
pub fn day_word(word: &str) -> Option<u32> {
    DAY_WORDS.iter().find(|&&(w, _)| w == word).map(|&(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn val(s: &str) -> (Option<f64>, &str) {
        let n = parse(s, 0).unwrap();
        (n.value, &s[n.end..])
    }

    #[test]
    fn grammar_examples() {
        assert_eq!(val("5조3천억원"), (Some(5.3e12), "원"));
        assert_eq!(val("2억8천500만 달러"), (Some(285_000_000.0), " 달러"));
        assert_eq!(val("4천120만 주"), (Some(41_200_000.0), " 주"));
        assert_eq!(val("47억2천만 달러"), (Some(4_720_000_000.0), " 달러"));
        assert_eq!(val("3만4천명"), (Some(34_000.0), "명"));
        assert_eq!(val("1조2천억 원"), (Some(1.2e12), " 원"));
        assert_eq!(val("1.5조원"), (Some(1.5e12), "원"));
        assert_eq!(val("96억 유로"), (Some(9.6e9), " 유로"));
        assert_eq!(val("230만여 명"), (Some(2_300_000.0), "여 명"));
        assert_eq!(val("1,200억 원"), (Some(1.2e11), " 원"));
        assert_eq!(val("15.3%"), (Some(15.3), "%"));
        assert_eq!(val("1만2천500곳"), (Some(12_500.0), "곳"));
        assert_eq!(val("2천787만8천명"), (Some(27_878_000.0), "명"));
        assert_eq!(val("21억 4748만 3648"), (Some(2_147_480_000.0), " 3648"));
        assert_eq!(val("1,372.5원"), (Some(1372.5), "원"));
        assert_eq!(val("0.25%"), (Some(0.25), "%"));
        assert_eq!(val("３만"), (Some(30_000.0), ""));
    }

    #[test]
    fn unit_chars_count_only_when_glued() {
        // 만에 after a space, 천연, 백신, 조사, 경제, 경기: the numeral stops before them
        assert_eq!(val("10년 만에"), (Some(10.0), "년 만에"));
        assert_eq!(val("3경기 연속"), (Some(3.0), "경기 연속"));
        assert_eq!(val("3조사"), (Some(3.0), "조사"));
        assert_eq!(val("10시경"), (Some(10.0), "시경"));
        // one space after a BIG unit only when a smaller BIG group follows
        assert_eq!(val("1조 2025년"), (Some(1e12), " 2025년"));
        assert_eq!(val("3억 5억"), (Some(3e8), " 5억"));
        // BIG units must decrease
        assert_eq!(val("3만5억"), (Some(30_000.0), "5억"));
        assert!(parse("만에", 0).is_none());
        assert!(parse("천연가스", 0).is_none());
    }

    #[test]
    fn commas_and_decimals() {
        let n = parse("2,718.60에", 0).unwrap();
        assert_eq!(n.value, Some(2718.6));
        assert!(n.separators);
        let n = parse("1,20억", 0).unwrap(); // not a thousands comma
        assert_eq!(n.value, Some(1.0));
        let n = parse("2025년", 0).unwrap();
        assert_eq!((n.lead_digits, n.separators, n.hangul_units), (4, false, false));
    }

    /// `parse_digits` as it walked characters (the reference for the byte-wise walk).
    fn parse_digits_by_chars(s: &str, i: usize) -> Option<(i128, usize, bool, usize)> {
        let b = s.as_bytes();
        let mut it = s[i..].char_indices().peekable();
        let mut v: i128 = 0;
        let mut end = i;
        let mut n = 0usize;
        let mut lead = 0usize;
        let mut seps = false;
        while let Some(&(o, c)) = it.peek() {
            if let Some(d) = digit_value(c) {
                v = v.checked_mul(10)?.checked_add(d as i128)?;
                n += 1;
                if !seps {
                    lead += 1;
                }
                end = i + o + c.len_utf8();
                it.next();
            } else if c == ',' && n > 0 {
                // a thousands comma: exactly three ASCII digits follow, then no digit
                let at = i + o + 1;
                let three = b.len() >= at + 3 && b[at..at + 3].iter().all(u8::is_ascii_digit);
                let then = b.get(at + 3).is_none_or(|x| !x.is_ascii_digit());
                if !(three && then) {
                    break;
                }
                seps = true;
                it.next();
            } else {
                break;
            }
        }
        if n == 0 {
            return None;
        }
        let mut value = v.checked_mul(SCALE)?;
        // decimals
        if b.get(end) == Some(&b'.') && b.get(end + 1).is_some_and(u8::is_ascii_digit) {
            let mut j = end + 1;
            let mut frac: i128 = 0;
            let mut places = 0u32;
            while j < b.len() && b[j].is_ascii_digit() {
                if places < 6 {
                    frac = frac * 10 + (b[j] - b'0') as i128;
                    places += 1;
                }
                j += 1;
            }
            value += frac * 10i128.pow(6 - places);
            end = j;
            seps = true;
        }
        Some((value, end, seps, lead))
    }

    #[test]
    fn digits_match_the_char_walk() {
        let s = "12,345,678.5억 3.14159265% 0.5.5 １２３만 ３,０００ 1,23 1,2345 ,5 0 ９ \u{FF1A}1 7,000,\u{FF10} 99999999999999999999999999999999999999999 1,000,000,000";
        for i in (0..s.len()).filter(|&i| s.is_char_boundary(i)) {
            assert_eq!(parse_digits(s, i), parse_digits_by_chars(s, i), "at {i}");
        }
    }

    #[test]
    fn indefinite() {
        let n = parse("수천억 원", 0).unwrap();
        assert_eq!(n.value, None);
        assert_eq!(n.range, Some((2e11, 9e11)));
        let n = parse("수조 원", 0).unwrap();
        assert_eq!(n.range, Some((2e12, 9e12)));
        assert!(parse("수요", 0).is_none());
        assert!(parse("수출", 0).is_none());
    }

    #[test]
    fn native_words() {
        assert_eq!(native("두"), Some(2));
        assert_eq!(native("석"), Some(3));
        assert_eq!(native("둘"), None);
        assert_eq!(day_word("열흘"), Some(10));
    }
}
