//! Placing imported spans in their text: unit conversion, verification, repair, re-anchoring.
//!
//! Every importer hands over the raw text of a document (as in the file, before cleaning), the
//! offset unit its format declares, and for each span its fragments (one, or several for brat's
//! discontinuous spans) plus the text the file claims the span covers, when it gives one.
//! [`place_all`] converts all offsets to byte offsets of the raw text in one pass and checks
//! each span:
//!
//! 1. The offsets are valid in the declared unit and cover the claimed text (exactly, or the
//!    same text up to whitespace and Unicode normalisation): the span is placed as given.
//! 2. Otherwise the other units are tried in turn (code points, UTF-16 code units, bytes): the
//!    first unit in which the offsets are valid and cover the claimed text wins, and the span is
//!    *repaired* (a UTF-16 export read as code points, for instance). Without claimed text, a
//!    span whose offsets are invalid in the declared unit but valid in another is read in that
//!    unit and also marked repaired.
//! 3. Otherwise the claimed text is searched for, as the W3C `TextQuoteSelector` re-anchoring
//!    does: exact occurrences first, then occurrences ignoring whitespace and normalisation;
//!    the occurrence nearest the old position wins (context decides between equal quotes by
//!    distance, as Hypothesis' `matchQuote` weighs position). The span is *repaired*.
//! 4. Otherwise the span is *orphaned*: kept at its old offsets when those are valid, else as a
//!    zero-length span where it would start (the end of the text when it starts beyond it).
//!
//! The outcome carries a message without the place; the caller adds the place (line, task).

use unicode_normalization::char::decompose_canonical;

use crate::offsets::{self, Unit};

/// The name of a unit in messages.
pub(crate) fn unit_name(u: Unit) -> &'static str {
    match u {
        Unit::CodePoint => "code points",
        Unit::Utf16 => "UTF-16 code units",
        Unit::Byte => "bytes",
    }
}

/// What became of one span.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    /// Placed as given. `loose`: the claimed text matched only up to whitespace/normalisation.
    Ok {
        /// The claimed text matched only loosely.
        loose: bool,
    },
    /// Placed after a repair; the message says what was wrong and what was done.
    Repaired(String),
    /// Could not be placed; kept at a best-effort position; the message says why.
    Orphaned(String),
}

/// The fragments of a span: one inline (the usual case, no allocation) or several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Frags {
    /// One fragment.
    One([(usize, usize); 1]),
    /// Any number of fragments (none when the source gave no usable offsets).
    Many(Vec<(usize, usize)>),
}

impl Frags {
    /// One fragment.
    pub fn one(start: usize, end: usize) -> Frags {
        Frags::One([(start, end)])
    }
}

impl Default for Frags {
    fn default() -> Frags {
        Frags::Many(Vec::new())
    }
}

impl From<Vec<(usize, usize)>> for Frags {
    fn from(v: Vec<(usize, usize)>) -> Frags {
        if v.len() == 1 {
            Frags::One([v[0]])
        } else {
            Frags::Many(v)
        }
    }
}

impl std::ops::Deref for Frags {
    type Target = [(usize, usize)];
    fn deref(&self) -> &[(usize, usize)] {
        match self {
            Frags::One(a) => a,
            Frags::Many(v) => v,
        }
    }
}

impl PartialEq<Vec<(usize, usize)>> for Frags {
    fn eq(&self, other: &Vec<(usize, usize)>) -> bool {
        **self == **other
    }
}

/// One span to place: fragments in the declared unit and the claimed text.
#[derive(Debug, Clone)]
pub(crate) struct Target<'a> {
    /// Fragments `(start, end)` in the declared unit.
    pub frags: &'a [(usize, usize)],
    /// The text the source says the span covers (fragments joined by the separator).
    pub claimed: Option<&'a str>,
}

/// A placed span: fragments as raw byte ranges, sorted, and the outcome.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    /// Byte ranges in the raw text.
    pub frags: Frags,
    /// What happened.
    pub outcome: Outcome,
}

/// Per-code-point positions of a text, built only when a span needs repair.
struct Index {
    /// Byte offset of code point `i` (length = chars + 1).
    byte: Vec<usize>,
    /// UTF-16 offset of code point `i` (length = chars + 1).
    u16: Vec<usize>,
}

impl Index {
    fn new(text: &str) -> Index {
        let mut byte = Vec::with_capacity(text.len() / 2 + 1);
        let mut u16 = Vec::with_capacity(text.len() / 2 + 1);
        let mut w = 0;
        for (b, c) in text.char_indices() {
            byte.push(b);
            u16.push(w);
            w += c.len_utf16();
        }
        byte.push(text.len());
        u16.push(w);
        Index { byte, u16 }
    }

    fn chars(&self) -> usize {
        self.byte.len() - 1
    }

    /// Exact conversion to a byte offset, or `None` when out of range / inside a character.
    fn to_byte(&self, text: &str, unit: Unit, off: usize) -> Option<usize> {
        match unit {
            Unit::CodePoint => self.byte.get(off).copied(),
            Unit::Utf16 => self.u16.binary_search(&off).ok().map(|i| self.byte[i]),
            Unit::Byte => text.is_char_boundary(off).then_some(off),
        }
    }

    /// Lenient conversion: the nearest code point at or after `off`, clamped to the end.
    fn to_byte_lenient(&self, unit: Unit, off: usize) -> usize {
        let i = match unit {
            Unit::CodePoint => off.min(self.chars()),
            Unit::Utf16 => self.u16.partition_point(|&w| w < off).min(self.chars()),
            Unit::Byte => self.byte.partition_point(|&b| b < off).min(self.chars()),
        };
        self.byte[i]
    }

    /// Converts a byte offset (on a char boundary) to `unit`.
    fn byte_to_unit(&self, unit: Unit, b: usize) -> usize {
        let i = self.byte.partition_point(|&x| x < b);
        match unit {
            Unit::CodePoint => i,
            Unit::Utf16 => self.u16[i.min(self.chars())],
            Unit::Byte => b,
        }
    }

    /// Length of the text in `unit`.
    fn len_in(&self, unit: Unit) -> usize {
        match unit {
            Unit::CodePoint => self.chars(),
            Unit::Utf16 => self.u16[self.chars()],
            Unit::Byte => self.byte[self.chars()],
        }
    }
}

/// The text with whitespace removed and every character canonically decomposed, with the raw
/// byte range each skeleton byte comes from. Used to compare and search loosely.
struct Skeleton {
    text: String,
    start: Vec<usize>,
    end: Vec<usize>,
}

impl Skeleton {
    fn new(raw: &str) -> Skeleton {
        let mut s = Skeleton { text: String::with_capacity(raw.len()), start: Vec::new(), end: Vec::new() };
        for (b, c) in raw.char_indices() {
            if c.is_whitespace() {
                continue;
            }
            let e = b + c.len_utf8();
            decompose_canonical(c, |d| {
                s.text.push(d);
                for _ in 0..d.len_utf8() {
                    s.start.push(b);
                    s.end.push(e);
                }
            });
        }
        s
    }
}

fn skeleton_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        decompose_canonical(c, |d| out.push(d));
    }
    out
}

/// How the claimed text compares with what the fragments cover.
fn compare(claimed: &str, actual: &str) -> Option<bool> {
    if claimed == actual {
        Some(false)
    } else if skeleton_str(claimed) == skeleton_str(actual) {
        Some(true)
    } else {
        None
    }
}

fn covered(text: &str, frags: &[(usize, usize)], sep: &str) -> String {
    let mut s = String::new();
    for (i, &(a, b)) in frags.iter().enumerate() {
        if i > 0 {
            s.push_str(sep);
        }
        s.push_str(text.get(a..b).unwrap_or(""));
    }
    s
}

/// Shortens a text for messages.
pub(crate) fn short(s: &str) -> String {
    if s.chars().count() > 40 {
        let mut t: String = s.chars().take(40).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

fn fmt_frags(frags: &[(usize, usize)]) -> String {
    frags.iter().map(|(a, b)| format!("{a}..{b}")).collect::<Vec<_>>().join(";")
}

/// Places every target in `text` (see the module doc). `sep` joins the fragments of a
/// discontinuous span when comparing with its claimed text (brat uses one space).
pub(crate) fn place_all(text: &str, unit: Unit, sep: &str, targets: &[Target<'_>]) -> Vec<Placed> {
    let mut offs: Vec<usize> = Vec::with_capacity(targets.len() * 2);
    for t in targets {
        for &(a, b) in t.frags {
            offs.push(a);
            offs.push(b);
        }
    }
    let mut bad = Vec::new();
    if let Err(b) = offsets::to_bytes(text, unit, &mut offs) {
        bad = b;
    }
    let mut bad_iter = bad.into_iter().peekable();
    let mut index: Option<Index> = None;
    let mut skeleton: Option<Skeleton> = None;
    let mut out = Vec::with_capacity(targets.len());
    let mut k = 0;
    for t in targets {
        let n = t.frags.len() * 2;
        let mut ok = true;
        while let Some(&i) = bad_iter.peek() {
            if i < k + n {
                ok = false;
                bad_iter.next();
            } else {
                break;
            }
        }
        let frags: Frags = if n == 2 {
            Frags::one(offs[k], offs[k + 1])
        } else {
            Frags::Many(offs[k..k + n].chunks(2).map(|c| (c[0], c[1])).collect())
        };
        k += n;
        if ok && !t.frags.is_empty() && frags.iter().all(|&(a, b)| a <= b) && sorted(&frags) {
            match t.claimed {
                None => {
                    out.push(Placed { frags, outcome: Outcome::Ok { loose: false } });
                    continue;
                }
                Some(c) => {
                    if let Some(loose) = compare(c, &covered(text, &frags, sep)) {
                        out.push(Placed { frags, outcome: Outcome::Ok { loose } });
                        continue;
                    }
                }
            }
        }
        let idx = index.get_or_insert_with(|| Index::new(text));
        out.push(repair(text, unit, sep, t, idx, &mut skeleton));
    }
    out
}

fn sorted(frags: &[(usize, usize)]) -> bool {
    frags.windows(2).all(|w| w[0].1 <= w[1].0)
}

/// The slow path for one span.
fn repair(text: &str, unit: Unit, sep: &str, t: &Target<'_>, idx: &Index, skel: &mut Option<Skeleton>) -> Placed {
    let given = fmt_frags(t.frags);
    if t.frags.is_empty() {
        // no usable offsets: place by the claimed text alone
        if let Some(c) = t.claimed {
            if let Some((a, b, _)) = find_near(text, c, 0, 0, skel) {
                let now = (idx.byte_to_unit(unit, a), idx.byte_to_unit(unit, b));
                return Placed {
                    frags: Frags::one(a, b),
                    outcome: Outcome::Repaired(format!(
                        "found {:?} at {}..{} ({}) and placed the span there",
                        short(c),
                        now.0,
                        now.1,
                        unit_name(unit)
                    )),
                };
            }
            return Placed {
                frags: Frags::one(0, 0),
                outcome: Outcome::Orphaned(format!(
                    "{:?} is nowhere in the text; kept as an empty span at 0, orphaned",
                    short(c)
                )),
            };
        }
        return Placed {
            frags: Frags::one(0, 0),
            outcome: Outcome::Orphaned("kept as an empty span at 0, orphaned".into()),
        };
    }
    // reversed fragments are read the right way round, and noted
    let mut frags_in: Vec<(usize, usize)> = t.frags.iter().map(|&(a, b)| (a.min(b), a.max(b))).collect();
    frags_in.sort_unstable();
    // overlapping fragments are one fragment
    frags_in.dedup_by(|next, cur| {
        if next.0 < cur.1 {
            cur.1 = cur.1.max(next.1);
            true
        } else {
            false
        }
    });
    let reversed = t.frags.iter().any(|&(a, b)| a > b);
    let convert = |u: Unit| -> Option<Vec<(usize, usize)>> {
        frags_in.iter().map(|&(a, b)| Some((idx.to_byte(text, u, a)?, idx.to_byte(text, u, b)?))).collect()
    };
    let declared = convert(unit);
    // 1. declared unit, reversed or unordered fragments fixed
    let unordered = !sorted(t.frags);
    if let Some(f) = &declared {
        if (reversed || unordered) && t.claimed.is_none_or(|c| compare(c, &covered(text, f, sep)).is_some()) {
            let what = if reversed { "reversed" } else { "out of order or overlapping" };
            return Placed {
                frags: f.clone().into(),
                outcome: Outcome::Repaired(format!("offsets {given} are {what}; read as {}", fmt_frags(&frags_in))),
            };
        }
    }
    // 2. other units
    for alt in [Unit::CodePoint, Unit::Utf16, Unit::Byte] {
        if alt == unit {
            continue;
        }
        // without a claimed text to confirm it, reading offsets as bytes is a guess too far
        if alt == Unit::Byte && t.claimed.is_none() {
            continue;
        }
        let Some(f) = convert(alt) else { continue };
        let fits = match t.claimed {
            Some(c) => compare(c, &covered(text, &f, sep)).is_some(),
            None => declared.is_none(),
        };
        if fits {
            let why = match t.claimed {
                Some(c) => format!(
                    "offsets {given} do not cover {:?} in {}; they do in {}: read as {}",
                    short(c),
                    unit_name(unit),
                    unit_name(alt),
                    unit_name(alt)
                ),
                None => format!(
                    "offsets {given} are not valid {} in this text ({} long); they are valid {}: read as {}",
                    unit_name(unit),
                    idx.len_in(unit),
                    unit_name(alt),
                    unit_name(alt)
                ),
            };
            return Placed { frags: f.into(), outcome: Outcome::Repaired(why) };
        }
    }
    // 3. re-anchor by quote
    if let Some(c) = t.claimed {
        let near = declared.as_ref().map_or_else(|| idx.to_byte_lenient(unit, frags_in[0].0), |f| f[0].0);
        let pieces = split_claimed(c, &frags_in, sep);
        let mut placed = Vec::with_capacity(pieces.len());
        let mut from = 0usize;
        let mut exact = true;
        for (i, piece) in pieces.iter().enumerate() {
            let want = if i == 0 { near } else { placed.last().map_or(near, |&(_, e): &(usize, usize)| e) };
            match find_near(text, piece, want, from, skel) {
                Some((a, b, ex)) => {
                    exact &= ex;
                    from = b;
                    placed.push((a, b));
                }
                None => {
                    placed.clear();
                    break;
                }
            }
        }
        if !placed.is_empty() {
            let mut now: Vec<usize> = placed.iter().flat_map(|&(a, b)| [a, b]).collect();
            for o in &mut now {
                *o = idx.byte_to_unit(unit, *o);
            }
            let now_f: Vec<(usize, usize)> = now.chunks(2).map(|c| (c[0], c[1])).collect();
            let how = if exact { "" } else { " (ignoring whitespace and normalisation)" };
            return Placed {
                frags: placed.into(),
                outcome: Outcome::Repaired(format!(
                    "{:?} is not at {given}; found it at {} ({}){how} and moved the span there",
                    short(c),
                    fmt_frags(&now_f),
                    unit_name(unit)
                )),
            };
        }
    }
    // 4. orphan
    if let Some(f) = declared {
        let actual = covered(text, &f, sep);
        let why = match t.claimed {
            Some(c) => format!(
                "{:?} is not at {given} (which holds {:?}) nor anywhere else in the text; kept at {given}, orphaned",
                short(c),
                short(&actual)
            ),
            None => format!("offsets {given} cannot be placed; kept, orphaned"),
        };
        return Placed { frags: f.into(), outcome: Outcome::Orphaned(why) };
    }
    let len = idx.len_in(unit);
    let at = idx.to_byte_lenient(unit, frags_in[0].0);
    let why = if frags_in.iter().any(|&(_, b)| b > len) {
        format!(
            "offsets {given} are beyond the end of the text ({len} {}); kept as an empty span at {}, orphaned",
            unit_name(unit),
            idx.byte_to_unit(unit, at)
        )
    } else {
        format!(
            "offsets {given} fall inside a character in {}; kept as an empty span at {}, orphaned",
            unit_name(unit),
            idx.byte_to_unit(unit, at)
        )
    };
    let why = match t.claimed {
        Some(c) => format!("{why} ({:?} is nowhere in the text)", short(c)),
        None => why,
    };
    Placed { frags: Frags::one(at, at), outcome: Outcome::Orphaned(why) }
}

/// Splits the claimed text of a discontinuous span into one piece per fragment, by the
/// fragments' lengths (in any unit, they are only a guide) or by the separator.
fn split_claimed<'c>(claimed: &'c str, frags: &[(usize, usize)], sep: &str) -> Vec<&'c str> {
    if frags.len() <= 1 {
        return vec![claimed];
    }
    let parts: Vec<&str> = claimed.split(sep).collect();
    if parts.len() == frags.len() {
        return parts;
    }
    // separator inside a fragment: cut by lengths in code points
    let mut out = Vec::with_capacity(frags.len());
    let mut rest = claimed;
    for (i, &(a, b)) in frags.iter().enumerate() {
        if i + 1 == frags.len() {
            out.push(rest);
            break;
        }
        let n = b - a;
        let cut = rest.char_indices().nth(n).map_or(rest.len(), |(p, _)| p);
        out.push(&rest[..cut]);
        rest = rest[cut..].strip_prefix(sep).unwrap_or(&rest[cut..]);
    }
    out
}

/// Finds `quote` in `text` at or after byte `from`, nearest to byte `near`. Returns the byte
/// range and whether the match is exact.
fn find_near(
    text: &str,
    quote: &str,
    near: usize,
    from: usize,
    skel: &mut Option<Skeleton>,
) -> Option<(usize, usize, bool)> {
    if quote.is_empty() {
        return None;
    }
    let hay = text.as_bytes();
    let best = memchr::memmem::find_iter(&hay[from.min(hay.len())..], quote.as_bytes())
        .map(|p| p + from)
        .min_by_key(|&p| p.abs_diff(near));
    if let Some(p) = best {
        return Some((p, p + quote.len(), true));
    }
    let q = skeleton_str(quote);
    if q.is_empty() {
        return None;
    }
    let s = skel.get_or_insert_with(|| Skeleton::new(text));
    let best = memchr::memmem::find_iter(s.text.as_bytes(), q.as_bytes())
        .filter(|&p| s.start[p] >= from)
        .min_by_key(|&p| s.start[p].abs_diff(near))?;
    Some((s.start[best], s.end[best + q.len() - 1], false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str, unit: Unit, s: usize, e: usize, claimed: Option<&str>) -> Placed {
        let f = [(s, e)];
        place_all(text, unit, " ", &[Target { frags: &f, claimed }]).pop().unwrap()
    }

    const T: &str = "🇰🇷 김하늘 회장은 \"AI에 20억 달러를 투자한다\"고 말했다.";

    #[test]
    fn exact_span_is_ok() {
        // 🇰🇷 = 2 code points, 4 UTF-16 units, 8 bytes; 김하늘 at code points 3..6
        let p = one(T, Unit::CodePoint, 3, 6, Some("김하늘"));
        assert_eq!(p.outcome, Outcome::Ok { loose: false });
        assert_eq!(&T[p.frags[0].0..p.frags[0].1], "김하늘");
        let p = one(T, Unit::Utf16, 5, 8, Some("김하늘"));
        assert_eq!(p.outcome, Outcome::Ok { loose: false });
    }

    #[test]
    fn utf16_offsets_declared_as_code_points_are_repaired() {
        let p = one(T, Unit::CodePoint, 5, 8, Some("김하늘"));
        assert!(matches!(&p.outcome, Outcome::Repaired(m) if m.contains("UTF-16")), "{:?}", p.outcome);
        assert_eq!(&T[p.frags[0].0..p.frags[0].1], "김하늘");
    }

    #[test]
    fn shifted_span_is_reanchored_to_nearest_occurrence() {
        let text = "달러 하나, 달러 둘, 달러 셋";
        // claims 달러 at 8..10 (it is at 7..9 and 13..15 and 0..2 in code points)
        let p = one(text, Unit::CodePoint, 8, 10, Some("달러"));
        assert!(matches!(&p.outcome, Outcome::Repaired(m) if m.contains("found it at 7..9")), "{:?}", p.outcome);
    }

    #[test]
    fn loose_match_ignores_whitespace_and_normalisation() {
        let nfd = "\u{1112}\u{1161}\u{11AB}국  은행";
        let p = one(nfd, Unit::CodePoint, 0, 8, Some("한국 은행"));
        assert_eq!(p.outcome, Outcome::Ok { loose: true });
        let p = one("가나다 한국  은행", Unit::CodePoint, 0, 3, Some("한국 은행"));
        assert!(matches!(&p.outcome, Outcome::Repaired(m) if m.contains("ignoring whitespace")), "{:?}", p.outcome);
        assert_eq!(p.frags, vec![(10, 24)]);
    }

    #[test]
    fn unplaceable_spans_are_orphaned_not_dropped() {
        let p = one("가나다", Unit::CodePoint, 5, 9, None);
        assert!(matches!(&p.outcome, Outcome::Orphaned(m) if m.contains("beyond the end")), "{:?}", p.outcome);
        assert_eq!(p.frags, vec![(9, 9)]);
        let p = one("가나다", Unit::CodePoint, 0, 2, Some("라마"));
        assert!(matches!(&p.outcome, Outcome::Orphaned(m) if m.contains("nor anywhere")), "{:?}", p.outcome);
        assert_eq!(p.frags, vec![(0, 6)]);
    }

    #[test]
    fn discontinuous_spans_verify_and_reanchor_per_fragment() {
        let text = "한국과 미국 정부";
        let f = [(0, 2), (7, 9)];
        let p = place_all(text, Unit::CodePoint, " ", &[Target { frags: &f, claimed: Some("한국 정부") }]);
        assert_eq!(p[0].outcome, Outcome::Ok { loose: false });
        let f = [(1, 3), (8, 10)];
        let p = place_all(text, Unit::CodePoint, " ", &[Target { frags: &f, claimed: Some("한국 정부") }]);
        assert!(matches!(&p[0].outcome, Outcome::Repaired(_)), "{:?}", p[0].outcome);
        assert_eq!(covered(text, &p[0].frags, "|"), "한국|정부");
    }

    use proptest::prelude::*;

    proptest! {
        /// Whatever the offsets, unit and claim: no panic, every fragment inside the text on
        /// char boundaries and in order; valid offsets covering their claim are kept as given.
        #[test]
        fn placing_is_total(
            text in "[가-힣a-z 😀🇰🇷\u{1112}\u{1161}\n]{0,30}",
            frags in prop::collection::vec((0usize..80, 0usize..80), 0..3),
            unit in 0usize..3,
            claim in prop::option::of("[가-힣a-z 😀]{0,6}"),
            honest in any::<bool>(),
        ) {
            let unit = [Unit::CodePoint, Unit::Utf16, Unit::Byte][unit];
            let honest_claim = if honest && frags.len() == 1 {
                let (a, b) = frags[0];
                let cps: Vec<char> = text.chars().collect();
                (a <= b && b <= cps.len() && unit == Unit::CodePoint).then(|| cps[a..b].iter().collect::<String>())
            } else {
                None
            };
            let claimed = honest_claim.clone().or(claim);
            let p = place_all(&text, unit, " ", &[Target { frags: &frags, claimed: claimed.as_deref() }]).pop().unwrap();
            prop_assert!(!p.frags.is_empty());
            for &(a, b) in p.frags.iter() {
                prop_assert!(a <= b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b));
            }
            prop_assert!(p.frags.windows(2).all(|w| w[0].1 <= w[1].0));
            if honest_claim.is_some() {
                prop_assert_eq!(p.outcome, Outcome::Ok { loose: false });
            }
        }
    }

    #[test]
    fn invalid_utf16_without_claim_is_read_as_code_points() {
        // offset 1 is inside the surrogate pair of 🇰 in UTF-16
        let p = one(T, Unit::Utf16, 1, 2, None);
        assert!(matches!(&p.outcome, Outcome::Repaired(m) if m.contains("read as code points")), "{:?}", p.outcome);
    }
}
