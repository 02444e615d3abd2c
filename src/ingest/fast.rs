//! The fast path of the native reader: a strict JSON reader for the shape nearly every file has.
//!
//! Large articles carry hundreds of thousands of annotations, and going through `serde`'s
//! generic machinery (a [`Value`] per field, a map per object) made reading them the slowest
//! part of `gisa print`. This reader walks the bytes once and builds annotations directly from
//! borrowed slices. It only takes the common case: an article object whose annotations are
//! objects of known fields with the expected types, integer offsets in order, no duplicate keys.
//!
//! It never decides anything the general reader would decide differently:
//! - an annotation object that is not of that shape is handed, as its own JSON slice, to the
//!   general code ([`super::parse_annotation`]), so its problems are reported as always;
//! - anything else unexpected (invalid JSON, an array element that is no object, a repeated
//!   `text` field) makes the whole reader answer `None`, and the caller parses the file with
//!   `serde_json`, whose errors name the line and column.
//!
//! A test in `ingest.rs` checks that both paths give the same articles.

use std::borrow::Cow;

use serde_json::{Map, Value};

use super::raw::{AnnField, AnnList, RawArticle, RawItem, RawTop};
use super::ParsedAnn;
use crate::clean::{clean, clean_line};
use crate::model::{Annotation, Kind, ReviewStatus};

/// Parses a whole native `.json` document (one article, or an array of them) on the fast path;
/// `None` when the document needs the general reader.
pub(crate) fn top(s: &str) -> Option<RawTop> {
    let mut r = Reader { s, b: s.as_bytes(), i: 0, lone: true };
    let v = match r.peek()? {
        b'{' => RawTop::Article(r.article()?),
        b'[' => {
            r.i += 1;
            r.lone = false;
            let mut items = Vec::new();
            if r.peek()? == b']' {
                r.i += 1;
            } else {
                loop {
                    if r.peek()? != b'{' {
                        return None;
                    }
                    items.push(RawTop::Article(r.article()?));
                    match r.next()? {
                        b',' => continue,
                        b']' => break,
                        _ => return None,
                    }
                }
            }
            RawTop::Array(items)
        }
        _ => return None,
    };
    r.ws();
    (r.i == r.b.len()).then_some(v)
}

/// A cursor over JSON text already known to be UTF-8.
struct Reader<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
    /// The document is one article (not an array of them).
    lone: bool,
}

/// The number of an annotation field this reader knows (its bit in the set of fields seen).
fn field_number(key: &str) -> Option<usize> {
    Some(match key {
        "id" => 0,
        "kind" => 1,
        "label" => 2,
        "start" => 3,
        "end" => 4,
        "text" => 5,
        "speaker" => 6,
        "speaker_text" => 7,
        "canonical" => 8,
        "value" => 9,
        "unit" => 10,
        "approx" => 11,
        "bound" => 12,
        "layer" => 13,
        "status" => 14,
        _ => return None,
    })
}

/// The fields of one annotation object, borrowed where they have no escapes.
#[derive(Default)]
struct Fields<'a> {
    id: Option<Cow<'a, str>>,
    kind: Option<Kind>,
    label: Option<Cow<'a, str>>,
    start: Option<u64>,
    end: Option<u64>,
    text: Option<Cow<'a, str>>,
    speaker: Option<Cow<'a, str>>,
    speaker_text: Option<Cow<'a, str>>,
    canonical: Option<Cow<'a, str>>,
    value: Option<f64>,
    unit: Option<Cow<'a, str>>,
    approx: Option<bool>,
    bound: Option<Cow<'a, str>>,
    layer: Option<Cow<'a, str>>,
    status: Option<ReviewStatus>,
}

impl<'a> Reader<'a> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// The next significant byte, not consumed.
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    /// The next significant byte, consumed.
    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    fn literal(&mut self, word: &str) -> Option<()> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }

    /// A string; the cursor is on its opening quote.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        if self.next()? != b'"' {
            return None;
        }
        let start = self.i;
        let stop = find_special(self.b, start);
        match self.b.get(stop)? {
            b'"' => {
                self.i = stop + 1;
                Some(Cow::Borrowed(&self.s[start..stop]))
            }
            b'\\' => {
                let mut out = String::with_capacity(stop - start + 16);
                out.push_str(&self.s[start..stop]);
                self.i = stop;
                loop {
                    // on a backslash
                    self.i += 1;
                    match *self.b.get(self.i)? {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4(self.i + 1)?;
                            self.i += 4;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                if self.b.get(self.i + 1..self.i + 3)? != b"\\u" {
                                    return None;
                                }
                                let lo = self.hex4(self.i + 3)?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return None;
                                }
                                self.i += 6;
                                char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))?
                            } else {
                                char::from_u32(hi)?
                            };
                            out.push(c);
                        }
                        _ => return None,
                    }
                    self.i += 1;
                    let from = self.i;
                    let stop = find_special(self.b, from);
                    out.push_str(&self.s[from..stop]);
                    self.i = stop;
                    match self.b.get(stop)? {
                        b'"' => {
                            self.i += 1;
                            return Some(Cow::Owned(out));
                        }
                        b'\\' => continue,
                        _ => return None,
                    }
                }
            }
            _ => None, // a raw control character: invalid JSON
        }
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let h = self.b.get(at..at + 4)?;
        let mut v = 0;
        for &c in h {
            v = v * 16 + (c as char).to_digit(16)?;
        }
        Some(v)
    }

    /// A number, as its text and whether it is a plain non-negative integer.
    fn number(&mut self) -> Option<(&'a str, bool)> {
        self.ws();
        let b = self.b;
        let start = self.i;
        let mut i = start;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i)? {
            b'0' => i += 1,
            b'1'..=b'9' => {
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
            _ => return None,
        }
        // one or more digits from `i`: the position after them
        let digits = |mut i: usize| {
            let d = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            (i > d).then_some(i)
        };
        let mut integer = b[start] != b'-';
        if b.get(i) == Some(&b'.') {
            integer = false;
            i = digits(i + 1)?;
        }
        if let Some(b'e' | b'E') = b.get(i) {
            integer = false;
            i += 1;
            if let Some(b'+' | b'-') = b.get(i) {
                i += 1;
            }
            i = digits(i)?;
        }
        self.i = i;
        Some((&self.s[start..i], integer))
    }

    /// A non-negative integer that fits in 64 bits (an offset); `None` for any other number.
    fn offset(&mut self) -> Option<u64> {
        let b = self.b;
        let mut i = self.i;
        let mut n: u64 = 0;
        while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            n = n.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
            i += 1;
        }
        // no leading zero, and no fraction or exponent after the digits
        if i == self.i || (b[self.i] == b'0' && i - self.i > 1) || matches!(b.get(i), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        self.i = i;
        Some(n)
    }

    /// Skips one value of any kind and returns its text (not yet checked beyond its bounds).
    fn skip_value(&mut self) -> Option<&'a str> {
        self.ws();
        let start = self.i;
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.i += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.i += 1;
                }
                b',' | b':' if depth > 0 => self.i += 1,
                b't' => self.literal("true")?,
                b'f' => self.literal("false")?,
                b'n' => self.literal("null")?,
                _ => {
                    self.number()?;
                }
            }
            if depth == 0 {
                return Some(&self.s[start..self.i]);
            }
        }
    }

    /// An article object; the cursor is on `{`.
    fn article(&mut self) -> Option<RawArticle> {
        let mut a = RawArticle::default();
        self.i += 1;
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(a);
        }
        loop {
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            if self.next()? != b':' {
                return None;
            }
            match key.as_ref() {
                "text" if a.text.is_none() => {
                    if self.peek()? != b'"' {
                        return None;
                    }
                    a.text = Some(Value::String(self.string()?.into_owned()));
                }
                "annotations" if a.annotations.is_none() => {
                    if self.peek()? != b'[' {
                        return None;
                    }
                    a.annotations = Some(AnnField::List(self.annotations()?));
                }
                "text" | "annotations" => return None,
                _ => {
                    let v: Value = serde_json::from_str(self.skip_value()?).ok()?;
                    a.rest.insert(key.into_owned(), v);
                }
            }
            match self.next()? {
                b',' => continue,
                b'}' => return Some(a),
                _ => return None,
            }
        }
    }

    /// The elements of an `annotations` array; the cursor is on `[`.
    fn annotations(&mut self) -> Option<AnnList> {
        self.i += 1;
        if self.peek()? == b']' {
            self.i += 1;
            return Some(AnnList::default());
        }
        // Room for every annotation up front: growing a vector of large annotations by doubling
        // copies them and touches twice the memory. Each annotation opens one brace, so the
        // braces after this point bound their number. Counted for a lone article only, which
        // keeps a file holding an array of many articles linear.
        // (byte-sized sums of 0s and 1s over short chunks, which become vector code)
        let room = |b: &[u8]| -> usize {
            b.chunks(255).map(|c| usize::from(c.iter().fold(0u8, |n, &x| n + u8::from(x == b'{')))).sum()
        };
        let split = if self.lone && self.b.len() - self.i >= PARALLEL_MIN { split_point(self.b, self.i) } else { None };
        let Some(split) = split else {
            let mut v = AnnList::with_capacity(if self.lone { room(&self.b[self.i..]) } else { 0 });
            self.elements(&mut v, None, false)?;
            return Some(v);
        };
        // A large array is read in two halves at once. The second reader starts at what looks
        // like an element boundary half-way; its work is used only if the first reader, going
        // element by element, lands exactly there (the guess could be inside a string).
        std::thread::scope(|scope| {
            let s = self.s;
            let second = scope.spawn(move || {
                let mut r = Reader { s, b: s.as_bytes(), i: split, lone: false };
                let mut w = AnnList::with_capacity(room(&r.b[split..]));
                r.elements(&mut w, None, true)?;
                Some((w, r.i))
            });
            let mut v = AnnList::with_capacity(room(&self.b[self.i..]));
            if self.elements(&mut v, Some(split), false)? {
                match second.join() {
                    Ok(Some((w, end))) => {
                        v.append(w);
                        self.i = end;
                    }
                    _ => {
                        self.elements(&mut v, None, false)?;
                    }
                }
            }
            Some(v)
        })
    }

    /// Reads elements of an `annotations` array into `v`, from an element's start to the
    /// closing `]` (`Some(false)`), or until the element starting at `stop` (`Some(true)`).
    /// `fast_only`: give up (`None`) at an object that is not of the common shape (the second
    /// half of a split array, which does not know the index of its elements).
    fn elements(&mut self, v: &mut AnnList, stop: Option<usize>, fast_only: bool) -> Option<bool> {
        loop {
            if self.peek()? != b'{' {
                return None;
            }
            if stop == Some(self.i) {
                return Some(true);
            }
            let start = self.i;
            let item = match self.fields() {
                Some(f) => f.into_parsed(),
                None if fast_only => return None,
                None => {
                    // not the common shape: the general code reads this object
                    self.i = start;
                    let slice = self.skip_value()?;
                    match serde_json::from_str::<RawItem>(slice).ok()? {
                        RawItem::Obj(o) => super::parse_annotation(o, v.len()),
                        RawItem::Other(_) => return None,
                    }
                }
            };
            v.push(item);
            match self.next()? {
                b',' => continue,
                b']' => return Some(false),
                _ => return None,
            }
        }
    }

    /// One annotation object of the common shape; `None` when it is not (the cursor is then
    /// anywhere inside it).
    fn fields(&mut self) -> Option<Fields<'a>> {
        let mut f = Fields::default();
        self.i += 1;
        if self.peek()? == b'}' {
            return None; // no offsets: reported by the general code
        }
        let mut seen = 0u16;
        loop {
            if self.peek()? != b'"' {
                return None;
            }
            // a known key has no escapes: its bytes up to the closing quote name it
            let from = self.i + 1;
            let len = self.b.get(from..)?.iter().take(13).position(|&c| c == b'"')?;
            let k = field_number(self.s.get(from..from + len)?)?;
            self.i = from + len + 1;
            if seen & (1 << k) != 0 {
                return None;
            }
            seen |= 1 << k;
            if self.next()? != b':' {
                return None;
            }
            let c = self.peek()?;
            match (k, c) {
                (3 | 4, b'0'..=b'9') => {
                    let n = self.offset()?;
                    *(if k == 3 { &mut f.start } else { &mut f.end }) = Some(n);
                }
                (9, b'-' | b'0'..=b'9') => f.value = Some(self.number()?.0.parse().ok()?),
                (11, b't') => {
                    self.literal("true")?;
                    f.approx = Some(true);
                }
                (11, b'f') => {
                    self.literal("false")?;
                    f.approx = Some(false);
                }
                (_, b'"') => {
                    let s = self.string()?;
                    match k {
                        0 if !s.is_empty() => f.id = Some(s),
                        1 => f.kind = Some(Kind::parse(&s)?),
                        2 => f.label = Some(s),
                        5 => f.text = Some(s),
                        6 => f.speaker = Some(s),
                        7 => f.speaker_text = Some(s),
                        8 => f.canonical = Some(s),
                        10 => f.unit = Some(s),
                        12 if s == "min" || s == "max" => f.bound = Some(s),
                        13 => f.layer = Some(s),
                        14 => f.status = Some(ReviewStatus::parse(&s)?),
                        _ => return None,
                    }
                }
                _ => return None,
            }
            match self.next()? {
                b',' => continue,
                b'}' => break,
                _ => return None,
            }
        }
        match (f.id.is_some(), f.start, f.end) {
            (true, Some(s), Some(e)) if s <= e => Some(f),
            _ => None,
        }
    }
}

impl Fields<'_> {
    /// The annotation, built as [`super::parse_annotation`] builds a clean one.
    fn into_parsed(self) -> ParsedAnn {
        let own = |c: Option<Cow<str>>| c.map(Cow::into_owned);
        let kind = self.kind.unwrap_or(Kind::Entity);
        let name = |c: Option<Cow<str>>| c.map(|c| crate::model::name(&c));
        let label = name(self.label).unwrap_or_else(|| kind.as_str().to_ascii_uppercase().into());
        let mut a = Annotation::new(own(self.id).unwrap_or_default(), kind, label, 0, 0);
        a.text = self.text.map(|t| clean(&t).0);
        a.speaker = own(self.speaker);
        a.speaker_text = self.speaker_text.map(|t| clean_line(&t));
        a.canonical = self.canonical.map(|t| clean_line(&t));
        a.value = self.value;
        a.unit = name(self.unit);
        a.approx = self.approx;
        a.bound = name(self.bound);
        a.layer = name(self.layer).unwrap_or_default();
        a.status = self.status.unwrap_or_default();
        a.extra = Map::new();
        ParsedAnn::clean(a, self.start.unwrap_or(0) as i128, self.end.unwrap_or(0) as i128)
    }
}

/// Below this many bytes an `annotations` array is read on one thread.
const PARALLEL_MIN: usize = 1 << 20;

/// Where a second reader could start in an `annotations` array that begins at `from`: the `{`
/// of what looks like the first element after the middle of the rest (`}`, `,` and `{` with
/// only white space between). A guess, checked by the caller.
fn split_point(b: &[u8], from: usize) -> Option<usize> {
    let mid = from + (b.len() - from) / 2;
    let limit = (mid + (1 << 20)).min(b.len());
    let ws = |b: &[u8], mut i: usize| {
        while i < b.len() && matches!(b[i], b' ' | b'\n' | b'\r' | b'\t') {
            i += 1;
        }
        i
    };
    let mut at = mid;
    while let Some(p) = memchr::memchr(b'}', &b[at..limit]) {
        let close = at + p;
        let comma = ws(b, close + 1);
        if b.get(comma) == Some(&b',') {
            let open = ws(b, comma + 1);
            if b.get(open) == Some(&b'{') {
                return Some(open);
            }
        }
        at = close + 1;
    }
    None
}

/// The first byte at or after `i` that ends the plain run of a JSON string: `"`, `\` or a
/// control character (`b.len()` when there is none). Eight bytes at a time.
fn find_special(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(i..i + 8) {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
        // the lowest flagged byte of each test is exact, so the lowest of all three is too
        let m = zero(w ^ (ONES * b'"' as u64))
            | zero(w ^ (ONES * b'\\' as u64))
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGH);
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && !matches!(b[i], b'"' | b'\\' | 0..=0x1f) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_special_stops_at_the_first_quote_backslash_or_control() {
        let cases: [(&[u8], usize); 7] = [
            (b"abcdefghijklmnop\"", 16),
            (b"abc\"def\\", 3),
            (b"abcdefgh\\ijk\"", 8),
            (b"\xea\xb0\x80\xea\xb0\x80\x01\"", 6),
            (b"abcdefghij", 10),
            (b"\"", 0),
            (b"0123456789\x1f", 10),
        ];
        for (b, want) in cases {
            assert_eq!(find_special(b, 0), want, "{:?}", String::from_utf8_lossy(b));
        }
        // a byte just above a match must not hide it (borrow propagation)
        assert_eq!(find_special(b"\x00\x21xxxxxx", 0), 0);
        assert_eq!(find_special(b"x\"\x21\\xxxx", 0), 1);
    }

    #[test]
    fn strings_unescape_as_json_does() {
        for s in [r#""plain""#, r#""a\"b\\c\/d\n\t""#, r#""\u00e9\ud83d\ude00x""#, r#""한국\n은행""#, r#""""#] {
            let mut r = Reader { s, b: s.as_bytes(), i: 0, lone: true };
            let want: String = serde_json::from_str(s).unwrap();
            assert_eq!(r.string().unwrap(), want, "{s}");
            assert_eq!(r.i, s.len());
        }
        for bad in ["\"a\u{1}b\"", r#""\ud83d""#, r#""\x""#, r#""abc"#, r#""\u12"#] {
            let mut r = Reader { s: bad, b: bad.as_bytes(), i: 0, lone: true };
            assert!(r.string().is_none(), "{bad:?}");
        }
    }

    #[test]
    fn numbers_follow_the_json_grammar() {
        for (s, ok, int) in
            [("0", true, true), ("12", true, true), ("-3", true, false), ("1.5e3", true, false), ("01", true, true)]
        {
            let mut r = Reader { s, b: s.as_bytes(), i: 0, lone: true };
            let got = r.number();
            assert_eq!(got.is_some(), ok, "{s}");
            if let Some((_, i)) = got {
                assert_eq!(i, int, "{s}");
            }
        }
        // "01" reads as 0 followed by garbage: the caller then sees no separator
        let mut r = Reader { s: "01", b: b"01", i: 0, lone: true };
        assert_eq!(r.number().unwrap().0, "0");
        for bad in ["-", "1.", "1e", ".5", "+1"] {
            let mut r = Reader { s: bad, b: bad.as_bytes(), i: 0, lone: true };
            assert!(r.number().is_none_or(|(n, _)| n.len() < bad.len()), "{bad}");
        }
    }

    /// A document large enough to be read in two halves: `n` annotations, with `odd` (an
    /// annotation object's body) as element `odd_at`.
    fn big_doc(n: usize, odd_at: usize, odd: &str) -> String {
        let text = "가나다라마바사아자차 ".repeat(n / 10 + 1);
        let anns: Vec<String> = (0..n)
            .map(|i| {
                if i == odd_at {
                    format!("{{{odd}}}")
                } else {
                    let s = i % 100;
                    let covered: String = text.chars().skip(s).take(2).collect();
                    format!(r#"{{"id": "a{i}", "kind": "entity", "label": "ORG", "start": {s}, "end": {}, "text": "{covered}"}}"#, s + 2)
                }
            })
            .collect();
        format!(r#"{{"text": "{text}", "annotations": [{}], "after": "}}, {{"}}"#, anns.join(",\n "))
    }

    fn both(doc: &str) -> (RawTop, RawTop) {
        (top(doc).expect("fast path"), serde_json::from_str(doc).expect("valid JSON"))
    }

    fn anns(t: RawTop) -> Vec<(Annotation, (i128, i128))> {
        match t {
            RawTop::Article(RawArticle { annotations: Some(AnnField::List(l)), .. }) => {
                assert!(l.issues.iter().all(|(i, _)| *i < l.anns.len()));
                l.anns.into_iter().zip(l.offsets).collect()
            }
            _ => panic!("no annotation list"),
        }
    }

    #[test]
    fn large_arrays_are_read_in_halves_with_the_same_result() {
        let n = 12_000;
        // the middle of the array, and an object of another shape in either half
        for (odd_at, odd) in [
            (usize::MAX, ""),
            (n * 3 / 4, r#""id": "x", "start": 1, "end": "2""#),
            (n / 4, r#""start": 3, "end": 1, "extra": [1, 2]"#),
            // text that looks like element boundaries, all around the middle of the document
            (n / 2, r#""id": "y", "start": 1, "end": 2, "note": "NOTE""#),
        ] {
            let doc = big_doc(n, odd_at, &odd.replace("NOTE", &"} , {\\\"id\\\": 1},{".repeat(60_000)));
            assert!(doc.len() > PARALLEL_MIN);
            let (fast, slow) = both(&doc);
            let (fast, slow) = (anns(fast), anns(slow));
            assert_eq!(fast.len(), n);
            assert_eq!(fast, slow, "odd element {odd_at}");
        }
    }

    #[test]
    fn split_points_are_element_starts_after_the_middle() {
        let b = br#"[{"a": 1}, {"b": "}, {"}, {"c": 3},{"d": 4}]"#;
        let p = split_point(b, 1).unwrap();
        assert!(p >= b.len() / 2 && b[p] == b'{', "{p}");
        assert_eq!(split_point(br#"[{"a": 1}]"#, 1), None);
    }

    #[test]
    fn invalid_json_is_left_to_the_general_reader() {
        for bad in [
            r#"{"text": "a",}"#,
            r#"{"text": "a"} x"#,
            r#"{"text": "a", "text": "b"}"#,
            r#"{"text": "a", "annotations": [1]}"#,
            r#"{"text": "a", "x": [1,]}"#,
            r#"{"text": "a", "x": tru}"#,
            r#"[{"text": "a"}, 3]"#,
            r#"{"text": "a""#,
        ] {
            assert!(top(bad).is_none(), "{bad}");
        }
    }
}
