//! Offset units and conversions between them.
//!
//! Files give offsets in Unicode code points (native format, spaCy, brat, doccano, Prodigy),
//! UTF-16 code units (Label Studio, JavaScript tools) or bytes. Inside gisa every offset is a byte
//! offset into a `str`. Conversions here take many offsets at once and walk the text a single
//! time (after sorting the queries), so converting 200,000 annotations costs one pass over the
//! text plus a sort, not one pass per annotation.

/// The unit an offset is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Unicode scalar values (Python `str` indices).
    CodePoint,
    /// UTF-16 code units (JavaScript string indices).
    Utf16,
    /// UTF-8 bytes.
    Byte,
}

impl Unit {
    /// The length of `c` in this unit.
    #[inline]
    pub fn len_of(self, c: char) -> usize {
        match self {
            Unit::CodePoint => 1,
            Unit::Utf16 => c.len_utf16(),
            Unit::Byte => c.len_utf8(),
        }
    }

    /// The length of `s` in this unit.
    pub fn len_of_str(self, s: &str) -> usize {
        match self {
            Unit::CodePoint => s.chars().count(),
            Unit::Utf16 => s.chars().map(char::len_utf16).sum(),
            Unit::Byte => s.len(),
        }
    }
}

/// Converts offsets given in `unit` into byte offsets of `text`, in place.
///
/// Returns `Err(i)` with the index of the first offset that is past the end of the text or
/// falls inside a character (a UTF-16 offset between two surrogates, a byte offset inside a
/// UTF-8 sequence); the other offsets are still converted, and that one is left unchanged.
pub fn to_bytes(text: &str, unit: Unit, offsets: &mut [usize]) -> Result<(), Vec<usize>> {
    if unit == Unit::Byte {
        let bad: Vec<usize> = (0..offsets.len()).filter(|&i| !text.is_char_boundary(offsets[i])).collect();
        return if bad.is_empty() { Ok(()) } else { Err(bad) };
    }
    if text.is_ascii() {
        let bad: Vec<usize> = (0..offsets.len()).filter(|&i| offsets[i] > text.len()).collect();
        return if bad.is_empty() { Ok(()) } else { Err(bad) };
    }
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_unstable_by_key(|&i| offsets[i]);
    let mut bad = Vec::new();
    let mut pos = 0usize; // position in `unit`
    let mut chars = text.char_indices().peekable();
    let mut byte = 0usize;
    for &i in &order {
        let want = offsets[i];
        while pos < want {
            match chars.next() {
                Some((b, c)) => {
                    pos += unit.len_of(c);
                    byte = b + c.len_utf8();
                }
                None => break,
            }
        }
        if pos == want {
            offsets[i] = byte;
        } else {
            bad.push(i);
        }
    }
    if bad.is_empty() {
        Ok(())
    } else {
        bad.sort_unstable();
        Err(bad)
    }
}

/// As [`to_bytes`], for offsets that come in pairs (`[start, end, start, end, ...]`), the way
/// spans are listed. When the starts come in order and spans are short, as in nearly every
/// file, this walks the text once without sorting; otherwise it is [`to_bytes`].
pub fn spans_to_bytes(text: &str, unit: Unit, offsets: &mut [usize]) -> Result<(), Vec<usize>> {
    if unit != Unit::CodePoint || !offsets.len().is_multiple_of(2) || text.is_ascii() {
        return to_bytes(text, unit, offsets);
    }
    let b = text.as_bytes();
    let lead = |c: u8| (c as i8) >= -0x40; // not a UTF-8 continuation byte
                                           // the position `n` code points after `at` (a char boundary); `None` past the end
    let walk = |mut at: usize, mut n: usize| {
        // whole blocks first: the characters that start in them are passed
        while n >= 32 {
            let Some(block) = b.get(at..at + 32) else { break };
            let k = block.iter().filter(|&&c| lead(c)).count();
            if k > n {
                break;
            }
            (at, n) = (at + 32, n - k);
        }
        // then byte by byte, to the first character start after `n` more
        loop {
            match b.get(at) {
                Some(&c) if lead(c) => {
                    if n == 0 {
                        return Some(at);
                    }
                    n -= 1;
                }
                Some(_) => {}
                None => return (n == 0).then_some(at),
            }
            at += 1;
        }
    };
    let mut converted = Vec::with_capacity(offsets.len());
    let (mut cp, mut byte, mut walked) = (0usize, 0usize, 0usize);
    for pair in offsets.chunks_exact(2) {
        let (s, e) = (pair[0], pair[1]);
        if s < cp || e < s {
            return to_bytes(text, unit, offsets);
        }
        walked += e - s;
        if walked > b.len() {
            return to_bytes(text, unit, offsets); // long spans: sorting is cheaper
        }
        let Some(bs) = walk(byte, s - cp) else { return to_bytes(text, unit, offsets) };
        let Some(be) = walk(bs, e - s) else { return to_bytes(text, unit, offsets) };
        (cp, byte) = (s, bs);
        converted.push(bs);
        converted.push(be);
    }
    offsets.copy_from_slice(&converted);
    Ok(())
}

/// Converts byte offsets of `text` (on char boundaries) into offsets in `unit`, in place.
///
/// A byte offset inside a character is rounded down to that character's start.
pub fn from_bytes(text: &str, unit: Unit, offsets: &mut [usize]) {
    if unit == Unit::Byte || text.is_ascii() {
        return;
    }
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_unstable_by_key(|&i| offsets[i]);
    let mut pos = 0usize;
    let mut chars = text.char_indices().peekable();
    for &i in &order {
        let want = offsets[i];
        while let Some(&(b, c)) = chars.peek() {
            if b + c.len_utf8() > want {
                break;
            }
            pos += unit.len_of(c);
            chars.next();
        }
        offsets[i] = pos;
    }
}

/// Converts one offset (convenience for tests and single lookups; O(text)).
pub fn one_to_bytes(text: &str, unit: Unit, offset: usize) -> Option<usize> {
    let mut o = [offset];
    to_bytes(text, unit, &mut o).ok().map(|_| o[0])
}

/// Converts one byte offset into `unit` (O(text)).
pub fn one_from_bytes(text: &str, unit: Unit, offset: usize) -> usize {
    let mut o = [offset];
    from_bytes(text, unit, &mut o);
    o[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_points_and_utf16_differ_after_emoji() {
        let t = "🇰🇷 한국 a";
        // code points: 🇰 🇷 ' ' 한 국 ' ' a
        assert_eq!(one_to_bytes(t, Unit::CodePoint, 3), Some(9));
        assert_eq!(one_to_bytes(t, Unit::Utf16, 5), Some(9));
        assert_eq!(one_to_bytes(t, Unit::Utf16, 1), None); // inside a surrogate pair
        assert_eq!(one_to_bytes(t, Unit::CodePoint, 99), None);
        assert_eq!(one_from_bytes(t, Unit::CodePoint, 9), 3);
        assert_eq!(one_from_bytes(t, Unit::Utf16, 9), 5);
    }

    #[test]
    fn batch_reports_only_bad_indices() {
        let t = "가나다";
        let mut o = [3, 1, 7, 0];
        let err = to_bytes(t, Unit::CodePoint, &mut o).unwrap_err();
        assert_eq!(err, vec![2]);
        assert_eq!(o, [9, 3, 7, 0]);
    }

    proptest::proptest! {
        /// Spans converted by the one-pass walk land where the general conversion puts them,
        /// in order or not, in range or not.
        #[test]
        fn spans_convert_as_offsets_do(text in "[가-힣a-z é😀\n]{0,200}", raw in proptest::collection::vec((0usize..220, 0usize..80), 0..12), sorted in proptest::bool::ANY) {
            let mut pairs: Vec<(usize, usize)> = raw.into_iter().map(|(s, l)| (s, s + l)).collect();
            if sorted {
                pairs.sort();
            }
            let flat: Vec<usize> = pairs.iter().flat_map(|&(s, e)| [s, e]).collect();
            let (mut a, mut b) = (flat.clone(), flat);
            let ra = spans_to_bytes(&text, Unit::CodePoint, &mut a);
            let rb = to_bytes(&text, Unit::CodePoint, &mut b);
            proptest::prop_assert_eq!(ra, rb);
            proptest::prop_assert_eq!(a, b);
        }
    }
}
