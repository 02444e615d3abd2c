//! Hangul helpers: syllable tests, final consonants (batchim), particle (josa) stripping and the
//! consonant-skeleton key for transliteration variants.

/// True for a precomposed Hangul syllable (가..힣).
#[inline]
pub fn is_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// True for characters that make up words for the extractor: Hangul syllables, ASCII letters
/// and digits.
#[inline]
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || is_syllable(c)
}

/// The final consonant index of a syllable (0 = none, 8 = ㄹ), or `None` for other characters.
#[inline]
pub fn final_index(c: char) -> Option<u32> {
    is_syllable(c).then(|| (c as u32 - 0xAC00) % 28)
}

/// Initial (0..19), medial (0..21) and final (0..28) jamo indices of a syllable.
pub fn jamo(c: char) -> Option<(u32, u32, u32)> {
    is_syllable(c).then(|| {
        let s = c as u32 - 0xAC00;
        (s / 588, (s % 588) / 28, s % 28)
    })
}

/// A set of characters, as a bitset over ASCII and the Hangul syllables (other characters are
/// never members): membership costs a shift and a mask, no hashing.
#[derive(Debug, Clone)]
pub struct CharSet {
    bits: [u64; CHARSET_WORDS],
}

const CHARSET_WORDS: usize = (128 + 11_172usize).div_ceil(64);

impl Default for CharSet {
    fn default() -> Self {
        CharSet { bits: [0; CHARSET_WORDS] }
    }
}

impl CharSet {
    /// The number of characters a set can hold (the [`CharSet::index`] values are below it).
    pub(crate) const LEN: usize = 128 + 11_172;

    #[inline]
    pub(crate) fn index(c: char) -> Option<usize> {
        let u = c as u32;
        if u < 128 {
            Some(u as usize)
        } else if (0xAC00..=0xD7A3).contains(&u) {
            Some(128 + (u - 0xAC00) as usize)
        } else {
            None
        }
    }

    /// Adds `c` (ignored when it is neither ASCII nor a Hangul syllable).
    pub fn insert(&mut self, c: char) {
        if let Some(i) = Self::index(c) {
            self.bits[i / 64] |= 1 << (i % 64);
        }
    }

    /// True when `c` is in the set.
    #[inline]
    pub fn contains(&self, c: char) -> bool {
        Self::index(c).is_some_and(|i| self.bits[i / 64] & (1 << (i % 64)) != 0)
    }
}

/// Which kind of stem a particle may follow.
#[derive(Clone, Copy, PartialEq, Eq)]
enum After {
    /// After a final consonant (은, 이, 을, 과, 으로...).
    Consonant,
    /// After a vowel (는, 가, 를, 와...); the 로-forms also after ㄹ.
    Vowel,
    /// After either (의, 에, 에서, 도...).
    Any,
}

/// Particles ([`strip_particles`] tries every entry and keeps the longest that fits). One-syllable
/// copula endings (다, 자, 고, 며, 나, 야, 란) are left out: too many nouns end in them
/// (관계자, 한빛전자).
const PARTICLES: &[(&str, After)] = &[
    ("으로서는", After::Consonant),
    ("으로써", After::Consonant),
    ("으로서", After::Consonant),
    ("으로는", After::Consonant),
    ("으로도", After::Consonant),
    ("으로의", After::Consonant),
    ("으로부터", After::Consonant),
    ("으로", After::Consonant),
    ("이라고", After::Consonant),
    ("이라는", After::Consonant),
    ("이라며", After::Consonant),
    ("이었다", After::Consonant),
    ("이나", After::Consonant),
    ("이랑", After::Consonant),
    ("이며", After::Consonant),
    ("이다", After::Consonant),
    ("이고", After::Consonant),
    ("이든", After::Consonant),
    ("과의", After::Any),
    ("와의", After::Any),
    ("은", After::Consonant),
    ("이", After::Consonant),
    ("을", After::Consonant),
    ("과", After::Consonant),
    ("로서는", After::Vowel),
    ("로써", After::Vowel),
    ("로서", After::Vowel),
    ("로는", After::Vowel),
    ("로도", After::Vowel),
    ("로의", After::Vowel),
    ("로부터", After::Vowel),
    ("로", After::Vowel),
    ("라고", After::Vowel),
    ("라는", After::Vowel),
    ("라며", After::Vowel),
    ("였다", After::Vowel),
    ("는", After::Vowel),
    ("가", After::Vowel),
    ("를", After::Vowel),
    ("와", After::Vowel),
    ("에게서", After::Any),
    ("에서는", After::Any),
    ("에서도", After::Any),
    ("에서의", After::Any),
    ("에서", After::Any),
    ("에게", After::Any),
    ("에는", After::Any),
    ("에도", After::Any),
    ("에만", After::Any),
    ("에선", After::Any),
    ("에", After::Any),
    ("께서는", After::Any),
    ("께서", After::Any),
    ("께", After::Any),
    ("한테", After::Any),
    ("까지는", After::Any),
    ("까지", After::Any),
    ("부터는", After::Any),
    ("부터", After::Any),
    ("보다", After::Any),
    ("처럼", After::Any),
    ("같이", After::Any),
    ("마저", After::Any),
    ("조차", After::Any),
    ("밖에", After::Any),
    ("마다", After::Any),
    ("만큼", After::Any),
    ("대로", After::Any),
    ("뿐", After::Any),
    ("의", After::Any),
    ("도", After::Any),
    ("만", After::Any),
];

/// True when `particle` may follow a syllable with final consonant index `f` (see
/// [`final_index`]; after Latin letters and digits either form fits: their reading is not known).
fn agrees(after: After, particle: &str, f: u32) -> bool {
    match after {
        After::Any => true,
        After::Consonant => f != 0,
        After::Vowel => f == 0 || (f == 8 && particle.starts_with('로')),
    }
}

/// True for a stem long enough to carry a particle: two Hangul syllables, or one Latin letter or
/// digit.
fn stem_ok(stem: &str) -> bool {
    // bytes, not chars: a continuation byte is neither ASCII nor the lead byte of a syllable
    let b = stem.as_bytes();
    let mut syl = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_alphanumeric() {
            return true;
        }
        if crate::clean::hangul_len_at(b, i) == 3 {
            syl += 1;
            if syl >= 2 {
                return true;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    false
}

/// The last 16 bytes of `w` (fewer, zero-padded, when it is shorter) packed with the last byte
/// lowest: `w` ends with a suffix of at most 16 bytes when `packed_tail(w) & mask == key`, with
/// `(key, mask)` from [`packed_suffix`].
#[inline]
pub fn packed_tail(w: &str) -> u128 {
    // fixed-size loads, no copy of a variable length (a call to `memcpy`)
    let b = w.as_bytes();
    let n = b.len();
    if let Some(last) = b.last_chunk::<16>() {
        return u128::from_be_bytes(*last);
    }
    if let (Some(first), Some(last)) = (b.first_chunk::<8>(), b.last_chunk::<8>()) {
        // the n - 8 bytes before the last 8 are the top ones of the first 8 (two shifts: 8 * (16 - n)
        // is 64 for n = 8)
        let hi = u64::from_be_bytes(*first) >> (8 * (15 - n)) >> 8;
        return u128::from(hi) << 64 | u128::from(u64::from_be_bytes(*last));
    }
    if let (Some(first), Some(last)) = (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        let hi = u32::from_be_bytes(*first) >> (8 * (7 - n)) >> 8;
        return u128::from(hi) << 32 | u128::from(u32::from_be_bytes(*last));
    }
    b.iter().fold(0, |v, &x| v << 8 | u128::from(x))
}

/// The syllable ending `b[..end]` (a Hangul syllable is three bytes, lead byte EA..ED), as its
/// [`CharSet`] index, or `None` when `b[..end]` ends with another character (or is empty). `b`
/// is valid UTF-8 and `end` a character boundary.
#[inline]
fn syllable_before(b: &[u8], end: usize) -> Option<u32> {
    let s = end.checked_sub(3)?;
    if crate::clean::hangul_len_at(b, s) != 3 {
        return None;
    }
    let c = (u32::from(b[s]) & 0x0F) << 12 | (u32::from(b[s + 1]) & 0x3F) << 6 | (u32::from(b[s + 2]) & 0x3F);
    Some(c - 0xAC00)
}

/// The `(key, mask)` that tests for the suffix `s` (its last 16 bytes) on a [`packed_tail`].
pub fn packed_suffix(s: &str) -> (u128, u128) {
    let n = s.len().min(16);
    let mask = if n == 16 { u128::MAX } else { (1u128 << (8 * n)) - 1 };
    (packed_tail(s) & mask, mask)
}

/// A particle with its [`packed_suffix`] key and mask.
struct Particle {
    text: &'static str,
    after: After,
    key: u128,
    mask: u128,
}

/// The particles grouped by their last character, longest first: `slot[i]` is 0 for a
/// character no particle ends with, else 1 + the index of its group in `groups` (`i` is the
/// [`CharSet`] index of the character).
struct ParticleTable {
    slot: Vec<u8>,
    groups: Vec<Vec<Particle>>,
}

fn by_last() -> &'static ParticleTable {
    static T: std::sync::OnceLock<ParticleTable> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut t = ParticleTable { slot: vec![0; CHARSET_WORDS * 64], groups: Vec::new() };
        for &(p, a) in PARTICLES {
            let Some(i) = p.chars().next_back().and_then(CharSet::index) else { continue };
            if t.slot[i] == 0 {
                t.groups.push(Vec::new());
                t.slot[i] = t.groups.len() as u8;
            }
            let (key, mask) = packed_suffix(p);
            t.groups[t.slot[i] as usize - 1].push(Particle { text: p, after: a, key, mask });
        }
        for v in &mut t.groups {
            v.sort_by_key(|p| std::cmp::Reverse(p.text.len()));
        }
        t
    })
}

/// The longest particle that ends `word` and agrees with the syllable before it, as the length
/// in bytes of the stem, or `None`.
#[inline]
pub fn particle_split(word: &str) -> Option<usize> {
    // every particle ends with a syllable; about half the words end with one no particle ends
    // with, and return here (inlined, without the call below)
    let last = syllable_before(word.as_bytes(), word.len())?;
    let t = by_last();
    match t.slot[128 + last as usize] {
        0 => None,
        g => split_in_group(word, &t.groups[g as usize - 1]),
    }
}

/// The longest particle of `group` (the particles ending with the last syllable of `word`,
/// longest first) that ends `word` and agrees with it: see [`particle_split`].
#[inline(never)]
fn split_in_group(word: &str, group: &[Particle]) -> Option<usize> {
    let b = word.as_bytes();
    let tail = packed_tail(word);
    for &Particle { text: p, after, key, mask } in group {
        // particles are at most 12 bytes: the packed tail decides
        if word.len() <= p.len() || tail & mask != key {
            continue;
        }
        let stem = &word[..word.len() - p.len()];
        // the final consonant of the syllable before the particle; any other character agrees
        let fits = syllable_before(b, stem.len()).is_none_or(|s| agrees(after, p, s % 28));
        if fits && stem_ok(stem) {
            return Some(stem.len());
        }
    }
    None
}

/// Inner particles of a two-layer ending (`로부터는`, `에게도`): case particles only.
const INNER: &[&str] = &[
    "에서",
    "에게",
    "로",
    "으로",
    "까지",
    "부터",
    "와",
    "과",
    "께",
    "에",
    "한테",
    "보다",
    "처럼",
    "로부터",
    "으로부터",
];

/// The length in bytes of `word` without its particles, and the flags `lookup` gives the stem:
/// up to two layers, the inner one only a case particle (`한빛전자로부터는` → `한빛전자`); a word
/// whose flags intersect `keep` stays whole (`관계자`, `김정은`).
#[inline]
pub fn stem_split<F: Fn(&str) -> u32 + ?Sized>(word: &str, lookup: &F, keep: u32) -> (usize, u32) {
    let Some(n) = particle_split(word) else { return (word.len(), lookup(word)) };
    let fw = lookup(word);
    if fw & keep != 0 {
        return (word.len(), fw);
    }
    let fs = lookup(&word[..n]);
    if fs & keep != 0 {
        return (n, fs);
    }
    if let Some(m) = particle_split(&word[..n]) {
        if INNER.contains(&&word[m..n]) {
            return (m, lookup(&word[..m]));
        }
    }
    (n, fs)
}

/// The length in bytes of `word` without its particles (see [`stem_split`]); `keep(stem)` stops
/// at a known word.
pub fn stem_len(word: &str, keep: &dyn Fn(&str) -> bool) -> usize {
    stem_split(word, &|w| u32::from(keep(w)), 1).0
}

/// Strips up to two layers of particles from `word` (`서울에서는` → `서울`, `한빛전자의` →
/// `한빛전자`, `네오AI는` → `네오AI`), respecting allomorphs (`한은은` → `한은`, but `한은` stays:
/// the stem would be one syllable).
pub fn strip_particles(word: &str) -> &str {
    &word[..stem_len(word, &|_| false)]
}

/// True when `rest` (what follows a stem in a word) is empty or one or two particles.
pub fn is_particle_tail(rest: &str) -> bool {
    if rest.is_empty() {
        return true;
    }
    // one particle, or a particle followed by another one
    static SET: std::sync::OnceLock<super::gazetteer::FxSet<&'static str>> = std::sync::OnceLock::new();
    let set = SET.get_or_init(|| PARTICLES.iter().map(|&(p, _)| p).collect());
    set.contains(rest) || rest.char_indices().skip(1).any(|(k, _)| set.contains(&rest[..k]) && set.contains(&rest[k..]))
}

/// The consonant skeleton of a Hangul word (simplified Kodex): initials and finals, vowels and
/// the silent initial ㅇ dropped, repeats collapsed; `저커버그` and `주커버그` give the same key.
/// Non-Hangul characters are kept as they are.
pub fn skeleton(word: &str) -> String {
    // initial consonant index -> compatibility jamo; finals mapped onto the same letters
    const INI: [char; 19] = [
        'ㄱ', 'ㄲ', 'ㄴ', 'ㄷ', 'ㄸ', 'ㄹ', 'ㅁ', 'ㅂ', 'ㅃ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅉ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ',
        'ㅎ',
    ];
    const FIN: [char; 28] = [
        '\0', 'ㄱ', 'ㄲ', 'ㄱ', 'ㄴ', 'ㄴ', 'ㄴ', 'ㄷ', 'ㄹ', 'ㄹ', 'ㄹ', 'ㄹ', 'ㄹ', 'ㄹ', 'ㄹ', 'ㄹ', 'ㅁ', 'ㅂ',
        'ㅂ', 'ㅅ', 'ㅆ', 'ㅇ', 'ㅈ', 'ㅊ', 'ㅋ', 'ㅌ', 'ㅍ', 'ㅎ',
    ];
    let mut out = String::new();
    let mut last = '\0';
    let mut push = |c: char, out: &mut String| {
        if c != '\0' && c != last {
            out.push(c);
        }
        if c != '\0' {
            last = c;
        }
    };
    for ch in word.chars() {
        match jamo(ch) {
            Some((i, _, f)) => {
                if i != 11 {
                    push(INI[i as usize], &mut out);
                }
                // a final ㅇ (ng) is pronounced; keep it
                push(FIN[f as usize], &mut out);
            }
            None if ch.is_whitespace() => {}
            None => push(ch, &mut out),
        }
    }
    out
}

/// Number of Hangul syllables in `s`.
pub fn syllables(s: &str) -> usize {
    s.chars().filter(|&c| is_syllable(c)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batchim() {
        assert_eq!(final_index('한'), Some(4));
        assert_eq!(final_index('가'), Some(0));
        assert_eq!(final_index('울'), Some(8));
        assert_eq!(final_index('A'), None);
    }

    #[test]
    fn particles_follow_the_note() {
        // the examples of korean-extraction.md §5.3
        assert_eq!(strip_particles("네오AI는"), "네오AI");
        assert_eq!(strip_particles("한빛전자의"), "한빛전자");
        assert_eq!(strip_particles("서울에서는"), "서울");
        assert_eq!(strip_particles("퀄컴과의"), "퀄컴");
        assert_eq!(strip_particles("IBM은"), "IBM");
        // allomorph guards: 는 never after a final consonant, 은 never after a vowel
        assert_eq!(strip_particles("한은은"), "한은");
        assert_eq!(strip_particles("한은"), "한은");
        assert_eq!(strip_particles("정부는"), "정부");
        assert_eq!(strip_particles("산림청은"), "산림청");
        assert_eq!(strip_particles("서울로"), "서울");
        assert_eq!(strip_particles("미국으로"), "미국");
        // 로 after a consonant other than ㄹ is not a particle (stem would be 한국 + 로?)
        assert_eq!(particle_split("한국로"), None);
        // a one-syllable stem is never cut off
        assert_eq!(strip_particles("이는"), "이는");
        // two layers at most, the inner one a case particle
        assert_eq!(strip_particles("한빛전자로부터는"), "한빛전자");
        // nouns ending like a copula keep their last syllable
        assert_eq!(strip_particles("관계자는"), "관계자");
        assert_eq!(strip_particles("한빛전자"), "한빛전자");
        assert_eq!(strip_particles("이란은"), "이란");
    }

    /// `particle_split` as it was written on characters: the reference for the byte version.
    fn particle_split_chars(word: &str) -> Option<usize> {
        let last = word.chars().next_back()?;
        let mut cands: Vec<&(&str, After)> = PARTICLES.iter().filter(|(p, _)| p.ends_with(last)).collect();
        cands.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        for &&(p, after) in &cands {
            let Some(stem) = word.strip_suffix(p).filter(|s| !s.is_empty()) else { continue };
            let prev = stem.chars().next_back()?;
            let fits = final_index(prev).is_none_or(|f| agrees(after, p, f));
            let ok = stem.chars().any(|c| c.is_ascii_alphanumeric())
                || stem.chars().filter(|&c| is_syllable(c)).count() >= 2;
            if fits && ok {
                return Some(stem.len());
            }
        }
        None
    }

    #[test]
    fn the_byte_particle_split_agrees_with_the_char_version() {
        let stems = [
            "",
            "한",
            "한빛",
            "한빛전자",
            "서울",
            "IBM",
            "A",
            "3",
            "이",
            "“",
            "가·",
            "가·나",
            "é",
            "ㄱ",
            "힣힣",
            "가一",
        ];
        let mut n = 0;
        for s in stems {
            for (p, _) in PARTICLES.iter().chain(&[("다", After::Any), ("X", After::Any), ("", After::Any)]) {
                for inner in ["", "로", "에게", "와"] {
                    let w = format!("{s}{inner}{p}");
                    assert_eq!(particle_split(&w), particle_split_chars(&w), "{w}");
                    n += usize::from(particle_split(&w).is_some());
                }
            }
        }
        assert!(n > 500, "{n}");
    }

    #[test]
    fn packed_tail_packs_the_last_bytes() {
        // the reference: a zero-padded copy of the last (up to) 16 bytes
        fn reference(w: &str) -> u128 {
            let b = w.as_bytes();
            let n = b.len().min(16);
            let mut buf = [0u8; 16];
            buf[16 - n..].copy_from_slice(&b[b.len() - n..]);
            u128::from_be_bytes(buf)
        }
        let all = "aB3가나다라마바사아자차카타파하😀é ";
        for (i, _) in all.char_indices() {
            for (j, c) in all[i..].char_indices() {
                let w = &all[i..i + j + c.len_utf8()];
                assert_eq!(packed_tail(w), reference(w), "{w}");
            }
        }
        assert_eq!(packed_tail(""), 0);
    }

    #[test]
    fn tails() {
        assert!(is_particle_tail(""));
        assert!(is_particle_tail("은"));
        assert!(is_particle_tail("에서는"));
        assert!(is_particle_tail("에서도"));
        assert!(is_particle_tail("으로는"));
        assert!(!is_particle_tail("훈"));
        assert!(!is_particle_tail("했다고"));
    }

    #[test]
    fn skeleton_merges_spelling_variants() {
        assert_eq!(skeleton("저커버그"), skeleton("주커버그"));
        assert_eq!(skeleton("캘러핸"), skeleton("캘러한"));
        assert_ne!(skeleton("캘러핸"), skeleton("캘빈"));
        assert_eq!(skeleton("저커버그"), "ㅈㅋㅂㄱ");
    }
}
