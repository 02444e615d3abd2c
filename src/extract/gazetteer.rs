//! The gazetteer: names, titles and trigger words the entity and quote rules use.
//!
//! The built-in lists live in `assets/gazetteer/*.txt` (embedded with `include_str!`); a user file
//! in the same format extends or overrides them ([`Gazetteer::extend`]). Format, one entry per
//! line (`#` starts a comment line):
//!
//! ```text
//! KIND name words [= canonical name] [; flag flag]
//! ```
//!
//! Name kinds take the rest of the line as one name (spaces allowed): `PERSON`, `ORG`, `LOC`,
//! `PRODUCT`. List kinds take every word of the line as an entry: `ROLE` (titles: 대표, 장관;
//! flags `generic` = never a named person, e.g. 관계자; `before` = may stand before the name, e.g.
//! 주장), `ORG-SUFFIX` (한빛**전자**; flag `subunit` = joins a preceding organisation, e.g.
//! 위원회), `LOC-SUFFIX` (광화문**광장**), `ORG-TYPE` (nouns before an organisation's name: 기업,
//! 업체), `PRODUCT-NOUN` (nouns next to a product name: 모델, 칩), `SURNAME`, `GIVEN` (foreign
//! given names: 로버트), `SPEAKER` (generic speakers: 정부, 업계), `NOT-NAME` (words never taken for
//! a name). Flag `context` on a `LOC` means the name is a place only next to another place
//! (`경기` is also "game").

use std::path::Path;
use std::sync::OnceLock;

use super::hangul::{packed_suffix, packed_tail};

/// `HashMap` with the Fx hash (short string keys).
pub type FxMap<K, V> = rustc_hash::FxHashMap<K, V>;
/// `HashSet` with the Fx hash.
pub type FxSet<K> = rustc_hash::FxHashSet<K>;

/// An entity label of the gazetteer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    /// A person.
    Person,
    /// An organisation.
    Org,
    /// A place.
    Loc,
    /// A product.
    Product,
}

impl Label {
    /// The label written on annotations.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Person => "PERSON",
            Label::Org => "ORG",
            Label::Loc => "LOC",
            Label::Product => "PRODUCT",
        }
    }
}

/// One named entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameEntry {
    /// What it is.
    pub label: Label,
    /// The canonical name, when it differs from the entry (`한은` → `한국은행`).
    pub canonical: Option<String>,
    /// A place only next to another place.
    pub context: bool,
}

/// Flags of a title word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RoleFlags {
    /// Never a named person (관계자, 소식통).
    pub generic: bool,
    /// May stand before the name (주장 오태민).
    pub before: bool,
}

/// The lists the extractor uses. Build it with [`Gazetteer::builtin`] and [`Gazetteer::extend`].
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    /// Names (keys as written, single spaces).
    pub names: FxMap<String, NameEntry>,
    /// The most words a name has.
    pub max_name_words: usize,
    /// Titles.
    pub roles: FxMap<String, RoleFlags>,
    /// Organisation suffixes with the `subunit` flag.
    pub org_suffixes: FxMap<String, bool>,
    /// Place suffixes (facilities, landmarks).
    pub loc_suffixes: FxSet<String>,
    /// Nouns that introduce an organisation's name.
    pub org_types: FxSet<String>,
    /// Nouns next to a product name.
    pub product_nouns: FxSet<String>,
    /// Korean surnames.
    pub surnames: FxSet<String>,
    /// Foreign given names.
    pub given: FxSet<String>,
    /// Generic speakers.
    pub speakers: FxSet<String>,
    /// Words never taken for a name.
    pub not_names: FxSet<String>,
    /// Every word of every list with its flags (one lookup answers all questions).
    words: FxMap<String, u32>,
    /// A one-hash Bloom filter of the keys of `words` (bits at [`filter_bit`]): most words of
    /// a text are in no list, and a clear bit says so without hashing the whole word.
    words_filter: Vec<u64>,
    /// The suffix words (titles, organisation and place suffixes, organisation and product
    /// nouns) by their last character: `suffix_slot[i]` is 0 for a character no suffix word ends
    /// with, else 1 + the index of its group in `suffix_groups` (`i` is the
    /// [`super::hangul::CharSet`] index of the character). A group holds the words by the
    /// character before the last one too: by the last character alone, the lists of the
    /// built-in words are long (45 end in 사, 41 in 장); by two, none has more than 5.
    suffix_slot: Vec<u16>,
    /// See `suffix_slot`.
    suffix_groups: Vec<SuffixGroup>,
    /// The last characters of the suffix words.
    suffix_ends: super::hangul::CharSet,
}

/// Word flags of the combined index.
pub mod flag {
    /// A name (PERSON, ORG, LOC, PRODUCT entry).
    pub const NAME: u32 = 1;
    /// A title.
    pub const ROLE: u32 = 1 << 1;
    /// An organisation suffix.
    pub const ORG_SUFFIX: u32 = 1 << 2;
    /// An organisation suffix that only joins a preceding organisation.
    pub const SUBUNIT: u32 = 1 << 3;
    /// A place suffix.
    pub const LOC_SUFFIX: u32 = 1 << 4;
    /// An organisation noun.
    pub const ORG_TYPE: u32 = 1 << 5;
    /// A product noun.
    pub const PRODUCT_NOUN: u32 = 1 << 6;
    /// A generic speaker.
    pub const SPEAKER: u32 = 1 << 7;
    /// A stop word.
    pub const NOT_NAME: u32 = 1 << 8;
    /// The first word of a name with several words (`로버트` of `로버트 하인츠`).
    pub const MULTI_FIRST: u32 = 1 << 9;
    /// Any word that particle stripping keeps whole.
    pub const KNOWN: u32 = NAME | ROLE | ORG_TYPE | PRODUCT_NOUN | SPEAKER | NOT_NAME;
    /// Words that are no names themselves.
    pub const COMMON: u32 = ROLE | ORG_TYPE | PRODUCT_NOUN | SPEAKER | NOT_NAME | ORG_SUFFIX;
    /// Flags found through the suffix index.
    pub const SUFFIXES: u32 = ROLE | ORG_SUFFIX | SUBUNIT | LOC_SUFFIX | ORG_TYPE | PRODUCT_NOUN;
}

/// The built-in list files, in load order.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    ("places.txt", include_str!("../../assets/gazetteer/places.txt")),
    ("organizations.txt", include_str!("../../assets/gazetteer/organizations.txt")),
    ("roles.txt", include_str!("../../assets/gazetteer/roles.txt")),
    ("names.txt", include_str!("../../assets/gazetteer/names.txt")),
    ("triggers.txt", include_str!("../../assets/gazetteer/triggers.txt")),
];

/// A line of a gazetteer file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: line {line}: {message}")]
pub struct GazetteerError {
    /// The file, as given.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl Gazetteer {
    /// The built-in gazetteer (parsed once, then cloned).
    pub fn builtin() -> Gazetteer {
        static BUILTIN: OnceLock<Gazetteer> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let mut g = Gazetteer::default();
                for (name, text) in BUILTIN_FILES {
                    // the built-in files are tested to parse; a bad line would be skipped, not fatal
                    let _ = g.extend(name, text);
                }
                g
            })
            .clone()
    }

    /// Adds the entries of a gazetteer file's text; later entries override earlier ones. On a
    /// bad line, returns its error after adding every good line.
    pub fn extend(&mut self, file: &str, text: &str) -> Result<(), GazetteerError> {
        let mut first_err = None;
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Err(message) = self.add_line(line) {
                first_err.get_or_insert(GazetteerError { file: file.to_string(), line: n + 1, message });
            }
        }
        self.reindex();
        match first_err {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Reads a user gazetteer file and adds it.
    pub fn extend_from_file(&mut self, path: &Path) -> Result<(), GazetteerError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| GazetteerError {
            file: name.clone(),
            line: 0,
            message: format!("cannot read: {e}"),
        })?;
        let text = String::from_utf8(bytes).map_err(|_| GazetteerError {
            file: name.clone(),
            line: 0,
            message: "not UTF-8 text".into(),
        })?;
        self.extend(&name, &text)
    }

    fn add_line(&mut self, line: &str) -> Result<(), String> {
        let (body, flags) = match line.split_once(';') {
            Some((b, f)) => (b.trim(), f.split_whitespace().collect::<Vec<_>>()),
            None => (line, Vec::new()),
        };
        let (kind, rest) = body.split_once(char::is_whitespace).ok_or("a kind and at least one name are needed")?;
        let rest = rest.trim();
        if rest.is_empty() {
            return Err("no name after the kind".into());
        }
        let has = |f: &str| flags.contains(&f);
        for f in &flags {
            if !["context", "generic", "before", "subunit"].contains(f) {
                return Err(format!("unknown flag {f:?}"));
            }
        }
        let label = match kind {
            "PERSON" => Some(Label::Person),
            "ORG" => Some(Label::Org),
            "LOC" => Some(Label::Loc),
            "PRODUCT" => Some(Label::Product),
            _ => None,
        };
        if let Some(label) = label {
            let (name, canonical) = match rest.split_once('=') {
                Some((n, c)) => (n.trim(), Some(squeeze(c.trim()))),
                None => (rest, None),
            };
            let name = squeeze(name);
            if name.is_empty() || canonical.as_deref() == Some("") {
                return Err("empty name".into());
            }
            self.max_name_words = self.max_name_words.max(name.split(' ').count());
            // 평택시 / 의성군 also make their stem a place next to another place (경기 평택)
            if label == Label::Loc && !name.contains(' ') && name.chars().count() >= 3 {
                if let Some(stem) = name.strip_suffix('시').or_else(|| name.strip_suffix('군')) {
                    self.names.entry(stem.to_string()).or_insert(NameEntry { label, canonical: None, context: true });
                }
            }
            self.names.insert(name, NameEntry { label, canonical, context: has("context") });
            return Ok(());
        }
        let words = rest.split_whitespace().map(str::to_string);
        match kind {
            "ROLE" => {
                for w in words {
                    self.roles.insert(w, RoleFlags { generic: has("generic"), before: has("before") });
                }
            }
            "ORG-SUFFIX" => {
                for w in words {
                    self.org_suffixes.insert(w, has("subunit"));
                }
            }
            "LOC-SUFFIX" => self.loc_suffixes.extend(words),
            "ORG-TYPE" => self.org_types.extend(words),
            "PRODUCT-NOUN" => self.product_nouns.extend(words),
            "SURNAME" => self.surnames.extend(words),
            "GIVEN" => self.given.extend(words),
            "SPEAKER" => self.speakers.extend(words),
            "NOT-NAME" => self.not_names.extend(words),
            other => return Err(format!("unknown kind {other:?} (see assets/gazetteer/README.md)")),
        }
        Ok(())
    }

    /// The entry of a name, if any.
    #[inline]
    pub fn name(&self, s: &str) -> Option<&NameEntry> {
        self.names.get(s)
    }

    /// Rebuilds the combined word index; [`Gazetteer::extend`] calls it. Call it after changing
    /// the public lists directly.
    pub fn reindex(&mut self) {
        let mut words: FxMap<String, u32> = FxMap::default();
        let mut add = |w: &str, f: u32| *words.entry(w.to_string()).or_insert(0) |= f;
        for w in self.names.keys() {
            add(w, flag::NAME);
        }
        for w in self.roles.keys() {
            add(w, flag::ROLE);
        }
        for (w, sub) in &self.org_suffixes {
            add(w, flag::ORG_SUFFIX | if *sub { flag::SUBUNIT } else { 0 });
        }
        for w in &self.loc_suffixes {
            add(w, flag::LOC_SUFFIX);
        }
        for w in &self.org_types {
            add(w, flag::ORG_TYPE);
        }
        for w in &self.product_nouns {
            add(w, flag::PRODUCT_NOUN);
        }
        for w in &self.speakers {
            add(w, flag::SPEAKER);
        }
        for w in &self.not_names {
            add(w, flag::NOT_NAME);
        }
        for n in self.names.keys() {
            if let Some((first, _)) = n.split_once(' ') {
                add(first, flag::MULTI_FIRST);
            }
        }
        let mut by_last_two: FxMap<u64, Vec<SuffixWord>> = FxMap::default();
        let mut suffix_ends = super::hangul::CharSet::default();
        // the longer words first, under the pair that ends them
        let mut singles = Vec::new();
        for (w, &f) in &words {
            if f & flag::SUFFIXES == 0 {
                continue;
            }
            let mut rev = w.chars().rev();
            let Some(last) = rev.next() else { continue };
            suffix_ends.insert(last);
            let sw = SuffixWord::new(w, f & flag::SUFFIXES);
            match rev.next() {
                Some(prev) => by_last_two.entry(pair_key(prev, last)).or_default().push(sw),
                None => singles.push((last, sw)),
            }
        }
        // then the words of one character, under every pair that ends with theirs and alone
        for (last, sw) in singles {
            for (k, v) in by_last_two.iter_mut() {
                if *k as u32 == last as u32 {
                    v.push(sw.clone());
                }
            }
            by_last_two.entry(pair_key('\0', last)).or_default().push(sw);
        }
        for v in by_last_two.values_mut() {
            v.sort_by(|a, b| b.word.len().cmp(&a.word.len()).then_with(|| a.word.cmp(&b.word)));
        }
        // one group per last character, its characters before in order (the words of one
        // character alone first, under '\0')
        let mut keys: Vec<u64> = by_last_two.keys().copied().collect();
        keys.sort_unstable_by_key(|&k| (k as u32, k >> 32));
        let mut suffix_slot = vec![0u16; super::hangul::CharSet::LEN];
        let mut suffix_groups: Vec<SuffixGroup> = Vec::new();
        for k in keys {
            let list = by_last_two.remove(&k).unwrap_or_default();
            let (Some(prev), Some(last)) = (char::from_u32((k >> 32) as u32), char::from_u32(k as u32)) else {
                continue;
            };
            let Some(i) = super::hangul::CharSet::index(last) else { continue };
            if suffix_slot[i] == 0 {
                suffix_groups.push(SuffixGroup::default());
                suffix_slot[i] = suffix_groups.len() as u16;
            }
            let g = &mut suffix_groups[suffix_slot[i] as usize - 1];
            if prev == '\0' {
                g.alone = list;
            } else {
                g.prevs.push(prev);
                g.lists.push(list);
            }
        }
        let mut words_filter = vec![0u64; FILTER_BITS / 64];
        for w in words.keys() {
            let i = filter_bit(w);
            words_filter[i / 64] |= 1 << (i % 64);
        }
        self.words = words;
        self.words_filter = words_filter;
        self.suffix_slot = suffix_slot;
        self.suffix_groups = suffix_groups;
        self.suffix_ends = suffix_ends;
    }

    /// The flags of a word (0 when it is in no list); see [`flag`].
    #[inline]
    pub fn flags(&self, s: &str) -> u32 {
        let i = filter_bit(s);
        // the filter is empty before the first reindex, when `words` is empty too
        if self.words_filter.get(i / 64).is_none_or(|&w| w & (1 << (i % 64)) == 0) {
            return 0;
        }
        self.word_flags(s)
    }

    /// The flags of a word from the hash map (the slow path of [`Gazetteer::flags`], kept out of
    /// line so that the filter test inlines into its callers).
    #[inline(never)]
    fn word_flags(&self, s: &str) -> u32 {
        self.words.get(s).copied().unwrap_or(0)
    }

    /// True for a word of any list (a name, title, trigger noun, speaker, stop word): particle
    /// stripping keeps such a word whole (`관계자`, `김정은`).
    #[inline]
    pub fn known_word(&self, s: &str) -> bool {
        self.flags(s) & flag::KNOWN != 0
    }

    /// True for titles, trigger nouns, speakers, stop words and suffix words: no name.
    #[inline]
    pub fn common(&self, s: &str) -> bool {
        self.flags(s) & flag::COMMON != 0
    }

    /// True when some suffix word (title, organisation or place suffix, organisation or product
    /// noun) ends with `c`: a cheap test before [`Gazetteer::longest_suffix`].
    #[inline]
    pub fn has_suffix_ending(&self, c: char) -> bool {
        self.suffix_ends.contains(c)
    }

    /// True when `w` is the first word of a name with several words ([`flag::MULTI_FIRST`]; a
    /// token's flags answer it for a bare token).
    #[inline]
    pub fn starts_multiword_name(&self, w: &str) -> bool {
        self.flags(w) & flag::MULTI_FIRST != 0
    }

    /// The suffix words that may end `word` (by its last character, then the one before), longest first;
    /// empty for a word of one character, which has no suffix word shorter than itself.
    #[inline]
    fn suffix_candidates(&self, word: &str) -> &[SuffixWord] {
        let mut rev = word.chars().rev();
        let Some(last) = rev.next() else { return &[] };
        let slot = super::hangul::CharSet::index(last).and_then(|i| self.suffix_slot.get(i)).copied().unwrap_or(0);
        if slot == 0 {
            return &[];
        }
        let Some(prev) = rev.next() else { return &[] };
        let g = &self.suffix_groups[slot as usize - 1];
        match g.prevs.binary_search(&prev) {
            Ok(k) => &g.lists[k],
            Err(_) => &g.alone,
        }
    }

    /// The longest proper suffix of `word` (shorter than the word) that has one of the flags in
    /// `mask`, with all its suffix flags.
    #[inline]
    pub fn longest_suffix<'w>(&self, word: &'w str, mask: u32) -> Option<(&'w str, u32)> {
        let list = self.suffix_candidates(word);
        if list.is_empty() {
            return None;
        }
        let tail = packed_tail(word);
        list.iter()
            .find(|s| s.flags & mask != 0 && s.word.len() < word.len() && s.ends(word, tail))
            .map(|s| (&word[word.len() - s.word.len()..], s.flags))
    }

    /// The flags of a title word, if it is one.
    #[inline]
    pub fn role(&self, s: &str) -> Option<RoleFlags> {
        self.roles.get(s).copied()
    }

    /// One scan of the suffix index for `word`: the byte length of the longest proper suffix
    /// that is a title, an organisation suffix, a place suffix and an organisation noun (0 when
    /// none), and whether that organisation suffix is a unit (`subunit`).
    pub fn suffix_lengths(&self, word: &str) -> SuffixLengths {
        let mut out = SuffixLengths::default();
        let list = self.suffix_candidates(word);
        if list.is_empty() {
            return out;
        }
        let tail = packed_tail(word);
        // the list is sorted longest first: skip the words as long as `word` or longer at once
        let shorter = list.partition_point(|s| s.word.len() >= word.len());
        for s in &list[shorter..] {
            let (n, f) = (s.word.len(), &s.flags);
            if !s.ends(word, tail) {
                continue;
            }
            let n8 = n.min(255) as u8;
            if f & flag::ROLE != 0 && out.role == 0 {
                out.role = n8;
            }
            if f & flag::ORG_SUFFIX != 0 && out.org == 0 {
                out.org = n8;
                out.subunit = f & flag::SUBUNIT != 0;
            }
            if f & flag::LOC_SUFFIX != 0 && out.loc == 0 {
                out.loc = n8;
            }
            if f & flag::ORG_TYPE != 0 && out.org_type == 0 {
                out.org_type = n8;
            }
        }
        out
    }

    /// The longest organisation suffix `word` ends with (the word being longer), with its
    /// subunit flag.
    pub fn org_suffix<'w>(&self, word: &'w str) -> Option<(&'w str, bool)> {
        self.longest_suffix(word, flag::ORG_SUFFIX)
            .map(|(s, _)| (s, self.org_suffixes.get(s).copied().unwrap_or(false)))
    }

    /// The longest place suffix `word` ends with (the word being longer).
    pub fn loc_suffix<'w>(&self, word: &'w str) -> Option<&'w str> {
        self.longest_suffix(word, flag::LOC_SUFFIX).map(|(s, _)| s)
    }

    /// The longest title `word` ends with (the word being longer): `의성군수` → `군수`.
    pub fn role_suffix<'w>(&self, word: &'w str) -> Option<&'w str> {
        self.longest_suffix(word, flag::ROLE).map(|(s, _)| s)
    }

    /// True when `word` is an organisation noun or ends with one (`배터리업체`).
    pub fn is_org_type(&self, word: &str) -> bool {
        self.flags(word) & flag::ORG_TYPE != 0 || self.longest_suffix(word, flag::ORG_TYPE).is_some()
    }

    /// True when `word` is a product noun or ends with one (`언어모델`).
    pub fn is_product_noun(&self, word: &str) -> bool {
        self.flags(word) & flag::PRODUCT_NOUN != 0 || self.longest_suffix(word, flag::PRODUCT_NOUN).is_some()
    }
}

/// The number of bits of the word filter of [`Gazetteer::flags`] (8 KB: the 1,190 words of
/// the built-in lists set under 2% of them).
const FILTER_BITS: usize = 1 << 16;

/// The bit of `s` in the word filter: a multiplicative hash of its length and its first and last
/// three bytes (a Hangul word's first and last syllables).
#[inline]
fn filter_bit(s: &str) -> usize {
    let b = s.as_bytes();
    let n = b.len();
    let (head, tail) = if n >= 3 {
        (
            u64::from(b[0]) | u64::from(b[1]) << 8 | u64::from(b[2]) << 16,
            u64::from(b[n - 3]) | u64::from(b[n - 2]) << 8 | u64::from(b[n - 1]) << 16,
        )
    } else {
        let k = b.iter().fold(0u64, |v, &x| v << 8 | u64::from(x));
        (k, k)
    };
    let k = head | tail << 24 | (n as u64) << 48;
    (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - FILTER_BITS.trailing_zeros())) as usize
}

/// The suffix words ending with one character, by the character before it.
#[derive(Debug, Clone, Default)]
struct SuffixGroup {
    /// The characters before the last one that longer suffix words end with, in order.
    prevs: Vec<char>,
    /// For each of `prevs`: the suffix words ending with it and the last character, and those of
    /// one character (the last one), longest first.
    lists: Vec<Vec<SuffixWord>>,
    /// The suffix word of one character, if any (for the words whose character before the last
    /// is in no `prevs`).
    alone: Vec<SuffixWord>,
}

/// The key of two characters while the suffix index is built: `prev` in the high half, `last`
/// in the low.
#[inline]
fn pair_key(prev: char, last: char) -> u64 {
    u64::from(prev) << 32 | u64::from(last)
}

/// A suffix word with its last bytes packed for a comparison without `memcmp`.
#[derive(Debug, Clone)]
struct SuffixWord {
    word: String,
    flags: u32,
    /// The last (up to) 16 bytes, the last byte lowest (see [`packed_suffix`]).
    key: u128,
    /// The bits of `key` that count.
    mask: u128,
}

impl SuffixWord {
    fn new(word: &str, flags: u32) -> SuffixWord {
        let (key, mask) = packed_suffix(word);
        SuffixWord { word: word.to_string(), flags, key, mask }
    }

    /// True when `w` (with [`packed_tail`] `tail`) ends with this word.
    #[inline]
    fn ends(&self, w: &str, tail: u128) -> bool {
        tail & self.mask == self.key && (self.word.len() <= 16 || w.ends_with(self.word.as_str()))
    }
}

/// The longest suffixes of one word by category (byte lengths, 0 = none); see
/// [`Gazetteer::suffix_lengths`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SuffixLengths {
    /// A title (`군수` in `의성군수`).
    pub role: u8,
    /// An organisation suffix (`전자` in `한빛전자`).
    pub org: u8,
    /// The organisation suffix is a unit (`위원회`, `센터`).
    pub subunit: bool,
    /// A place suffix (`광장`).
    pub loc: u8,
    /// An organisation noun (`업체` in `배터리업체`).
    pub org_type: u8,
}

/// Collapses runs of whitespace to one space.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_files_parse_cleanly() {
        for (name, text) in BUILTIN_FILES {
            let mut g = Gazetteer::default();
            assert_eq!(g.extend(name, text), Ok(()), "{name}");
        }
        let g = Gazetteer::builtin();
        assert_eq!(g.name("한국은행").map(|e| e.label), Some(Label::Org));
        assert_eq!(g.name("한은").and_then(|e| e.canonical.clone()).as_deref(), Some("한국은행"));
        assert_eq!(g.name("서울").map(|e| e.label), Some(Label::Loc));
        assert!(g.name("경기").is_some_and(|e| e.context));
        assert!(g.role("관계자").is_some_and(|r| r.generic));
        assert!(g.role("대표").is_some_and(|r| !r.generic));
        assert_eq!(g.org_suffix("한빛전자"), Some(("전자", false)));
        assert_eq!(g.org_suffix("전자"), None);
        assert!(g.org_suffix("금융통화위원회").is_some_and(|(_, sub)| sub));
        assert!(g.surnames.contains("김"));
    }

    #[test]
    fn the_word_filter_lets_every_list_word_through() {
        let mut g = Gazetteer::builtin();
        g.extend("my.txt", "ORG 가\nROLE AI 단장님\nPERSON 존 하퍼\n").expect("user lines");
        assert!(g.words.len() > 500);
        for (w, &f) in &g.words {
            assert_eq!(g.flags(w), f, "{w}");
        }
        // words in no list: 0, whether the filter or the map says so
        for w in ["", "한빛전자가", "그는", "말했다", "x", "AIs", "가가", "존"] {
            assert_eq!(g.flags(w), g.words.get(w).copied().unwrap_or(0), "{w}");
        }
        assert_eq!(Gazetteer::default().flags("서울"), 0);
        // most text words are stopped by the filter: its bits are sparse
        let set: u32 = g.words_filter.iter().map(|w| w.count_ones()).sum();
        assert!((set as usize) < FILTER_BITS / 8, "{set}");
    }

    #[test]
    fn first_words_of_multiword_names_carry_their_flag() {
        let mut g = Gazetteer::builtin();
        g.extend("my.txt", "PERSON 존 하퍼\nORG 한빛 전자 연구소\n").expect("user lines");
        let firsts: FxSet<&str> = g.names.keys().filter_map(|n| n.split_once(' ').map(|(f, _)| f)).collect();
        assert!(firsts.len() >= 2 && firsts.contains("존") && firsts.contains("한빛"));
        for w in g.words.keys() {
            assert_eq!(g.starts_multiword_name(w), firsts.contains(w.as_str()), "{w}");
        }
        for w in ["하퍼", "전자", "연구소", "서울", "", "존하퍼"] {
            assert!(!g.starts_multiword_name(w), "{w}");
        }
        // the flag is in no other mask: the first word alone is no known or common word
        assert_eq!(g.flags("존"), flag::MULTI_FIRST);
        assert!(!g.known_word("존") && !g.common("존"));
    }

    /// The suffix words that can be found, with their flags: those ending with a character of a
    /// [`super::super::hangul::CharSet`] (ASCII or a Hangul syllable), as the words of a text do.
    fn suffix_words(g: &Gazetteer) -> Vec<(&str, u32)> {
        let findable = |s: &str| s.chars().next_back().and_then(super::super::hangul::CharSet::index).is_some();
        g.words
            .iter()
            .filter(|(s, &f)| f & flag::SUFFIXES != 0 && findable(s))
            .map(|(s, &f)| (s.as_str(), f & flag::SUFFIXES))
            .collect()
    }

    /// [`Gazetteer::suffix_lengths`] by its definition: a scan of every suffix word.
    fn suffix_lengths_scan(sws: &[(&str, u32)], word: &str) -> SuffixLengths {
        let mut out = SuffixLengths::default();
        for &(s, f) in sws {
            if s.len() >= word.len() || !word.ends_with(s) {
                continue;
            }
            let n = s.len() as u8;
            if f & flag::ROLE != 0 && n > out.role {
                out.role = n;
            }
            if f & flag::ORG_SUFFIX != 0 && n > out.org {
                out.org = n;
                out.subunit = f & flag::SUBUNIT != 0;
            }
            if f & flag::LOC_SUFFIX != 0 && n > out.loc {
                out.loc = n;
            }
            if f & flag::ORG_TYPE != 0 && n > out.org_type {
                out.org_type = n;
            }
        }
        out
    }

    /// [`Gazetteer::longest_suffix`] by its definition.
    fn longest_suffix_scan<'w>(sws: &[(&str, u32)], word: &'w str, mask: u32) -> Option<(&'w str, u32)> {
        sws.iter()
            .filter(|(s, f)| f & mask != 0 && s.len() < word.len() && word.ends_with(s))
            .max_by_key(|(s, _)| s.len())
            .map(|(s, f)| (&word[word.len() - s.len()..], *f))
    }

    #[test]
    fn the_suffix_index_by_two_characters_agrees_with_a_full_scan() {
        let mut g = Gazetteer::builtin();
        // suffix words of one character and ASCII ones too (社 is never found: no word ends in it)
        g.extend("my.txt", "ROLE 장 CEO\nORG-SUFFIX 社 AI\nLOC-SUFFIX 터\n").expect("user lines");
        let sws = suffix_words(&g);
        // the longest lists by last character are long, by two characters short
        let mut by_last: FxMap<char, usize> = FxMap::default();
        for (w, _) in &sws {
            *by_last.entry(w.chars().next_back().unwrap()).or_default() += 1;
        }
        assert!(by_last.values().any(|&n| n > 40), "{by_last:?}");
        let longest = g.suffix_groups.iter().flat_map(|gr| gr.lists.iter().chain([&gr.alone])).map(Vec::len).max();
        assert!(longest.is_some_and(|n| (2..=8).contains(&n)), "{longest:?}");
        // every word of the lists, its last one and two characters, with things before and after
        let mut words: Vec<String> = Vec::new();
        for w in g.words.keys() {
            let last = w.chars().next_back().map(String::from).unwrap_or_default();
            let two: String = w.chars().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect();
            for x in [w.clone(), last, two] {
                for pre in ["", "가", "x장", "시장"] {
                    for post in ["", "사", "AI"] {
                        words.push(format!("{pre}{x}{post}"));
                    }
                }
            }
        }
        words.extend(["", "장", "사", "A", "社", "가社"].map(String::from));
        let masks = [flag::ROLE, flag::ORG_SUFFIX, flag::LOC_SUFFIX, flag::ORG_TYPE, flag::PRODUCT_NOUN];
        let mut found = 0;
        for w in &words {
            let sl = g.suffix_lengths(w);
            assert_eq!(sl, suffix_lengths_scan(&sws, w), "{w}");
            found += usize::from(sl != SuffixLengths::default());
            for m in masks {
                assert_eq!(g.longest_suffix(w, m), longest_suffix_scan(&sws, w, m), "{w} {m}");
            }
        }
        assert!(words.len() > 20_000 && found > words.len() / 3, "{} {found}", words.len());
    }

    #[test]
    fn user_lines_extend_and_errors_name_the_line() {
        let mut g = Gazetteer::builtin();
        let text = "# my firms\nORG 한빛전자\nORG 한빛 = 한빛전자\nPERSON 존 하퍼\nROLE 단장님\nBAD 이것\nLOC 가상시 ; nonsense\n";
        let err = g.extend("my.txt", text).unwrap_err();
        assert_eq!(err.line, 6);
        assert_eq!(err.to_string(), "my.txt: line 6: unknown kind \"BAD\" (see assets/gazetteer/README.md)");
        // good lines before and after the bad one are in
        assert_eq!(g.name("한빛").and_then(|e| e.canonical.clone()).as_deref(), Some("한빛전자"));
        assert_eq!(g.name("존 하퍼").map(|e| e.label), Some(Label::Person));
        assert!(g.role("단장님").is_some());
        assert!(g.max_name_words >= 2);
        assert!(g.name("가상시").is_none(), "the line with an unknown flag is refused");
    }
}
