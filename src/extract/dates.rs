//! Calendar dates: a small `Ymd` type, day arithmetic (proleptic Gregorian), ISO weeks, and the
//! relative date words of Korean news (`지난해`, `다음 주`, `이날`...).

use std::fmt;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ymd {
    /// Year (1..=9999 in practice).
    pub year: i32,
    /// Month, 1..=12.
    pub month: u32,
    /// Day of the month, 1..=31.
    pub day: u32,
}

impl fmt::Display for Ymd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if (0..=9999).contains(&self.year) && self.month <= 99 && self.day <= 99 {
            // the common case without the formatting machinery (once per extracted article)
            let (y, m, d) = (self.year as u32, self.month, self.day);
            let digit = |v: u32| b'0' + (v % 10) as u8;
            let b = [
                digit(y / 1000),
                digit(y / 100),
                digit(y / 10),
                digit(y),
                b'-',
                digit(m / 10),
                digit(m),
                b'-',
                digit(d / 10),
                digit(d),
            ];
            return f.write_str(std::str::from_utf8(&b).map_err(|_| fmt::Error)?);
        }
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Ymd {
    /// A date, when it exists (`2025-02-30` does not).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Ymd> {
        (1..=12).contains(&month).then_some(())?;
        (day >= 1 && day <= days_in_month(year, month)).then_some(Ymd { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (also `YYYY.MM.DD`, `YYYY/MM/DD`, one-digit month and day).
    pub fn parse(s: &str) -> Option<Ymd> {
        let s = s.trim();
        let mut parts = s.split(['-', '.', '/']);
        let y = parts.next()?.trim().parse().ok()?;
        let m = parts.next()?.trim().parse().ok()?;
        let d = parts.next()?.trim().parse().ok()?;
        if parts.next().is_some_and(|p| !p.trim().is_empty()) {
            return None;
        }
        Ymd::new(y, m, d)
    }

    /// Days since 1970-01-01.
    pub fn days(self) -> i64 {
        days_from_civil(self.year as i64, self.month as i64, self.day as i64)
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Ymd {
        let (y, m, d) = civil_from_days(days);
        Ymd { year: y as i32, month: m as u32, day: d as u32 }
    }

    /// This date moved by `n` days.
    pub fn add_days(self, n: i64) -> Ymd {
        Ymd::from_days(self.days() + n)
    }

    /// The Monday of this date's week.
    pub fn monday(self) -> Ymd {
        let d = self.days();
        // 1970-01-01 was a Thursday: weekday index with Monday = 0
        let wd = (d + 3).rem_euclid(7);
        Ymd::from_days(d - wd)
    }

    /// ISO 8601 week-numbering year and week.
    pub fn iso_week(self) -> (i32, u32) {
        let thursday = self.monday().add_days(3);
        let jan1 = Ymd { year: thursday.year, month: 1, day: 1 };
        ((thursday.year), ((thursday.days() - jan1.days()) / 7 + 1) as u32)
    }

    /// `YYYYMMDD` as a number.
    pub fn number(self) -> f64 {
        (self.year as i64 * 10_000 + self.month as i64 * 100 + self.day as i64) as f64
    }
}

/// Days in a month.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's algorithms (public domain).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A month moved by `n` months: `(year, month)`.
pub fn add_months(year: i32, month: u32, n: i32) -> (i32, u32) {
    let idx = year * 12 + month as i32 - 1 + n;
    (idx.div_euclid(12), (idx.rem_euclid(12) + 1) as u32)
}

/// The granularity of a resolved date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grain {
    /// A year.
    Year,
    /// A half year (상반기 1, 하반기 2).
    Half,
    /// A quarter.
    Quarter,
    /// A month.
    Month,
    /// A week (Monday to Sunday).
    Week,
    /// A day.
    Day,
}

impl Grain {
    /// The unit written on figures: `date:year`, `date:half`, ...
    pub fn unit(self) -> &'static str {
        match self {
            Grain::Year => "date:year",
            Grain::Half => "date:half",
            Grain::Quarter => "date:quarter",
            Grain::Month => "date:month",
            Grain::Week => "date:week",
            Grain::Day => "date:day",
        }
    }
}

/// A date at some granularity, resolved or relative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateValue {
    /// Granularity.
    pub grain: Grain,
    /// Year (for every grain).
    pub year: i32,
    /// Month (Month, Day, Week), half (Half) or quarter (Quarter); 0 otherwise.
    pub part: u32,
    /// Day (Day, Week: the Monday's day; its month is `part`); 0 otherwise.
    pub day: u32,
}

impl DateValue {
    /// The value written on figures: `YYYY`, `YYYYH`, `YYYYQ`, `YYYYMM`, `YYYYMMDD`.
    pub fn number(&self) -> f64 {
        let y = self.year as i64;
        (match self.grain {
            Grain::Year => y,
            Grain::Half | Grain::Quarter => y * 10 + self.part as i64,
            Grain::Month => y * 100 + self.part as i64,
            Grain::Week | Grain::Day => y * 10_000 + self.part as i64 * 100 + self.day as i64,
        }) as f64
    }

    /// A readable form: `2025`, `2025-H2`, `2026-Q1`, `2024-08`, `2025-03-21`, `2025-W10`.
    pub fn iso(&self) -> String {
        match self.grain {
            Grain::Year => format!("{:04}", self.year),
            Grain::Half => format!("{:04}-H{}", self.year, self.part),
            Grain::Quarter => format!("{:04}-Q{}", self.year, self.part),
            Grain::Month => format!("{:04}-{:02}", self.year, self.part),
            Grain::Day => format!("{:04}-{:02}-{:02}", self.year, self.part, self.day),
            Grain::Week => {
                let (y, w) = Ymd { year: self.year, month: self.part, day: self.day }.iso_week();
                format!("{y:04}-W{w:02}")
            }
        }
    }

    /// A day value.
    pub fn day(d: Ymd) -> DateValue {
        DateValue { grain: Grain::Day, year: d.year, part: d.month, day: d.day }
    }

    /// The week containing `d`.
    pub fn week_of(d: Ymd) -> DateValue {
        let m = d.monday();
        DateValue { grain: Grain::Week, year: m.year, part: m.month, day: m.day }
    }
}

/// Relative date words: the word, its grain and offset. `이날` and `전날` are resolved against the
/// last day named in the article, `전년` against the last year named (see the figure scanner).
pub const RELATIVE: &[(&str, Grain, i32)] = &[
    ("올해", Grain::Year, 0),
    ("금년", Grain::Year, 0),
    ("내년도", Grain::Year, 1),
    ("내년", Grain::Year, 1),
    ("명년", Grain::Year, 1),
    ("내후년", Grain::Year, 2),
    ("작년", Grain::Year, -1),
    ("지난해", Grain::Year, -1),
    ("재작년", Grain::Year, -2),
    ("전년", Grain::Year, -1),
    ("이달", Grain::Month, 0),
    ("이번 달", Grain::Month, 0),
    ("다음 달", Grain::Month, 1),
    ("내달", Grain::Month, 1),
    ("지난달", Grain::Month, -1),
    ("이번 주", Grain::Week, 0),
    ("다음 주", Grain::Week, 1),
    ("지난주", Grain::Week, -1),
    ("오늘", Grain::Day, 0),
    ("이날", Grain::Day, 0),
    ("당일", Grain::Day, 0),
    ("어제", Grain::Day, -1),
    ("전날", Grain::Day, -1),
    ("내일", Grain::Day, 1),
    ("다음 날", Grain::Day, 1),
    ("이튿날", Grain::Day, 1),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_arithmetic() {
        let d = Ymd::parse("2025-03-14").unwrap();
        assert_eq!(d, Ymd { year: 2025, month: 3, day: 14 });
        assert_eq!(Ymd::parse("2025.3.14"), Some(d));
        assert!(Ymd::parse("2025-02-30").is_none());
        assert!(Ymd::parse("2025-03").is_none());
        assert!(Ymd::parse("x").is_none());
        assert_eq!(d.add_days(-14), Ymd { year: 2025, month: 2, day: 28 });
        assert_eq!(Ymd::from_days(0), Ymd { year: 1970, month: 1, day: 1 });
        assert_eq!(Ymd::parse("2024-02-28").unwrap().add_days(1).day, 29);
        assert_eq!(d.monday(), Ymd { year: 2025, month: 3, day: 10 });
        assert_eq!(Ymd::parse("2025-03-10").unwrap().monday().day, 10);
        assert_eq!(Ymd::parse("2025-03-16").unwrap().monday().day, 10);
        assert_eq!(d.iso_week(), (2025, 11));
        assert_eq!(Ymd::parse("2021-01-03").unwrap().iso_week(), (2020, 53));
        assert_eq!(add_months(2025, 1, -1), (2024, 12));
        assert_eq!(add_months(2025, 12, 1), (2026, 1));
    }

    #[test]
    fn numbers_and_iso() {
        let w = DateValue::week_of(Ymd::parse("2025-03-14").unwrap().add_days(-7));
        assert_eq!(w.number(), 20250303.0);
        assert_eq!(w.iso(), "2025-W10");
        let q = DateValue { grain: Grain::Quarter, year: 2026, part: 1, day: 0 };
        assert_eq!((q.number(), q.iso()), (20261.0, "2026-Q1".to_string()));
    }
}
