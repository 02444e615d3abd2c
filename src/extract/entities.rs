//! Entities: PERSON, ORG, LOC, PRODUCT (TERM spans come from the quote marks).
//!
//! Rules, in priority order (a token keeps the first label it gets):
//! 1. the gazetteer (multi-word names first), on the token without its particles;
//! 2. Hangul+Latin names (`네오AI`, `한강FC`) and a place glued to a title (`의성군수` → `의성`);
//! 3. suffixes: organisations (`한빛전자`, `새봄바이오`) and facilities (`서울월드컵경기장`);
//! 4. appositives: a name after an organisation noun (`반도체 기업 노바칩스`);
//! 5. titles: `[ORG] NAME TITLE`, `NAME [ORG] TITLE` (the unlabelled middle is an organisation),
//!    foreign names (`로버트 하인츠`), `SURNAME TITLE` for a person named before (`김 대표`),
//!    `LASTNAME TITLE` (`하인츠 회장`, also in another spelling: `캘러한` for `캘러핸`), titles
//!    before the name (`주장 오태민`);
//! 6. `X(Y)` first mentions (`노바칩스(NovaChips)`), `X 측`;
//! 7. merges of adjacent places (`서울 여의도`) and of an organisation with its unit
//!    (`한국은행 금융통화위원회`); context-only places survive only inside a merge;
//! 8. propagation: every other mention of a name found above (`오태민은 경기 뒤`).
//!
//! `canonical` groups the mentions: gazetteer canonical names, the full name for surname and
//! last-name references and spelling variants, the first form of an `X(Y)` pair, and the first
//! spelling of names that differ only in spaces.

use std::borrow::Cow;
use std::cell::OnceCell;

use super::gazetteer::{flag, FxMap, FxSet, Gazetteer, Label, SuffixLengths};
use super::hangul::{is_syllable, skeleton, syllables};
use super::text::Tok;

/// An entity mention (byte offsets into the article text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// PERSON, ORG, LOC, PRODUCT or TERM.
    pub label: &'static str,
    /// The name that groups the mentions of one entity.
    pub canonical: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Src {
    Gaz,
    GazContext,
    Mixed,
    Suffix,
    Subunit,
    Type,
    Role,
    Alias,
    Side,
    Fixed,
    Prop,
}

#[derive(Debug, Clone)]
struct Cand<'a> {
    first: usize,
    last: usize,
    start: usize,
    end: usize,
    label: Label,
    canonical: Option<Cow<'a, str>>,
    src: Src,
    dead: bool,
}

/// Titles that are common nouns too (시장 = market): a name before them needs other evidence.
const RISKY_ROLES: &[&str] = &["시장", "이사", "대사", "지사", "위원", "수석", "씨"];

/// A person found so far, for surname and last-name references.
#[derive(Debug, Clone)]
struct Known<'a> {
    name: &'a str,
    surname: &'a str,
    last: &'a str,
    role: &'a str,
    /// The consonant skeleton of `last` (names without a surname: foreign names).
    last_skeleton: String,
}

/// What the rules read of a token, found once.
#[derive(Debug, Clone, Copy)]
struct Word {
    /// What the stem's last character is ([`SUFFIX_END`], [`ALPHA_END`]; neither for words that
    /// are no names: titles, stop words, trigger nouns, [`flag::COMMON`]), and [`ORG_NOUN`].
    ends: u8,
    /// The token can be no name (inside TERM/PRODUCT quotes, figures, starting with a digit).
    blocked: bool,
    /// The token is a title or ends with one ([`role_of`]; set by rules 1-3).
    title: bool,
}

/// [`Word::ends`]: some suffix word (title, organisation or place suffix, organisation noun)
/// ends with the stem's last character.
const SUFFIX_END: u8 = 1;
/// [`Word::ends`]: the stem ends with an ASCII letter.
const ALPHA_END: u8 = 2;
/// [`Word::ends`]: the stem is an organisation noun ([`flag::ORG_TYPE`]).
const ORG_NOUN: u8 = 4;

struct St<'a> {
    text: &'a str,
    toks: &'a [Tok],
    gaz: &'a Gazetteer,
    cands: Vec<Cand<'a>>,
    owner: Vec<Option<usize>>,
    /// What the stem of each token ends with, and whether the token is blocked.
    words: Vec<Word>,
    known: Vec<Known<'a>>,
    /// Suffixes of each token's stem, looked up on first use (few tokens need them).
    sufs: Vec<OnceCell<SuffixLengths>>,
}

impl<'a> St<'a> {
    fn stem(&self, i: usize) -> &'a str {
        self.toks[i].stem(self.text)
    }

    /// Gazetteer flags of token `i`'s stem.
    fn flags(&self, i: usize) -> u32 {
        self.toks[i].flags
    }

    /// The suffixes of token `i`'s stem (none for common words other than organisation nouns).
    fn sufs(&self, i: usize) -> SuffixLengths {
        *self.sufs[i].get_or_init(|| {
            let f = self.flags(i);
            if f & flag::COMMON != 0 && f & flag::ORG_TYPE == 0 {
                SuffixLengths::default()
            } else {
                self.gaz.suffix_lengths(self.stem(i))
            }
        })
    }

    fn free(&self, i: usize) -> bool {
        self.owner[i].is_none() && !self.words[i].blocked
    }

    #[allow(clippy::too_many_arguments)]
    fn assign(
        &mut self,
        first: usize,
        last: usize,
        end: usize,
        label: Label,
        canonical: Option<Cow<'a, str>>,
        src: Src,
    ) -> bool {
        if (first..=last).any(|j| self.owner[j].is_some() || self.words[j].blocked) {
            return false;
        }
        let start = self.toks[first].start;
        self.cands.push(Cand { first, last, start, end, label, canonical, src, dead: false });
        for j in first..=last {
            self.owner[j] = Some(self.cands.len() - 1);
        }
        true
    }

    fn assign_tok(&mut self, i: usize, label: Label, canonical: Option<Cow<'a, str>>, src: Src) -> bool {
        let end = self.toks[i].stem_end;
        self.assign(i, i, end, label, canonical, src)
    }

    /// Tokens `i` and `i + 1` stand next to each other with one space, in one paragraph.
    fn adjacent(&self, i: usize) -> bool {
        adjacent(self.text, self.toks, i)
    }

    /// True when tokens `i..i + k` are one run of words, each bare and adjacent to the next.
    fn spaced_run(&self, i: usize, k: usize) -> bool {
        i + k <= self.toks.len() && (i..i + k - 1).all(|j| self.toks[j].bare() && self.adjacent(j))
    }

    fn label_of(&self, i: usize) -> Option<Label> {
        self.owner[i].map(|c| self.cands[c].label)
    }

    /// A word that is no name: stop words, titles, trigger nouns, generic speakers.
    fn common(&self, w: &str) -> bool {
        self.gaz.common(w)
    }

    /// A Korean personal name: 2-4 syllables, a known surname first.
    fn korean_name(&self, w: &str, min_syl: usize) -> bool {
        let n = syllables(w);
        if n != w.chars().count() || !(min_syl..=4).contains(&n) || self.common(w) || self.gaz.names.contains_key(w) {
            return false;
        }
        // every character is a syllable (three bytes): the first one or two are a prefix slice
        let first = &w[..w.len().min(3)];
        let two = &w[..w.len().min(6)];
        // four syllables only with a two-syllable surname (남궁민수); 동방조선 is no name
        if n == 4 {
            return self.gaz.surnames.contains(two);
        }
        (n == 3 && self.gaz.surnames.contains(two)) || self.gaz.surnames.contains(first)
    }

    fn name_token_ok(&self, i: usize) -> bool {
        // the stem starts where the word does: its first character, if it is not empty
        let t = &self.toks[i];
        self.free(i)
            && t.stem_end > t.start
            && (is_syllable(t.first) || t.first.is_ascii_alphabetic())
            && self.flags(i) & flag::COMMON == 0
    }

    fn remember(&mut self, name: &'a str, role: &'a str) {
        let (first_word, last) = match (name.find(' '), name.rfind(' ')) {
            (Some(f), Some(l)) => (&name[..f], &name[l + 1..]),
            _ => (name, name),
        };
        let surname = if first_word.len() == name.len() {
            let two_end = name.char_indices().nth(2).map_or(name.len(), |(i, _)| i);
            let one_end = name.char_indices().nth(1).map_or(name.len(), |(i, _)| i);
            if syllables(first_word) >= 3 && self.gaz.surnames.contains(&name[..two_end]) {
                &name[..two_end]
            } else {
                &name[..one_end]
            }
        } else {
            ""
        };
        self.known.retain(|k| k.name != name);
        let last_skeleton = if surname.is_empty() { skeleton(last) } else { String::new() };
        self.known.push(Known { name, surname, last, role, last_skeleton });
    }

    /// A known person referred to by `w` before `role`: a surname (`김 대표`), a foreign last
    /// name (`하인츠 회장`), or a spelling variant of one (`캘러한` for `캘러핸`).
    fn reference(&self, w: &str, role: &str) -> Option<&'a str> {
        if syllables(w) <= 2 && w.chars().count() <= 2 {
            // the latest with the same title, else the latest with that surname
            let mut latest = None;
            for k in self.known.iter().rev().filter(|k| k.surname == w) {
                if k.role == role {
                    return Some(k.name);
                }
                latest.get_or_insert(k.name);
            }
            if latest.is_some() {
                return latest;
            }
        }
        let key = (syllables(w) >= 3).then(|| skeleton(w));
        for k in self.known.iter().rev() {
            if !k.surname.is_empty() {
                continue;
            }
            if k.last == w || key.as_ref().is_some_and(|key| *key == k.last_skeleton) {
                return Some(k.name);
            }
        }
        None
    }
}

/// Tokens `i` and `i + 1` stand next to each other with one space, in one paragraph.
fn adjacent(text: &str, toks: &[Tok], i: usize) -> bool {
    let (a, b) = (&toks[i], toks.get(i + 1));
    b.is_some_and(|b| b.para == a.para && b.start == a.end + 1 && text.as_bytes()[a.end] == b' ')
}

/// A title glued to the word before it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Glued {
    /// A place: `의성군수` (의성 + 군수).
    Place(usize),
    /// An organisation: `한국인구학회장` (한국인구학회 + 장), `금융감독원장`.
    Org(usize),
    /// A department or anything else: `인구동향과장`.
    Other,
}

/// Titles that may carry a department glued before them (`인구동향과장`, `홍보팀장`).
const DEPARTMENT_TITLES: &[&str] = &[
    "과장",
    "국장",
    "실장",
    "팀장",
    "부장",
    "본부장",
    "센터장",
    "단장",
    "처장",
    "소장",
    "원장",
    "차장",
    "대변인",
    "위원장",
    "부문장",
    "사업부장",
    "그룹장",
    "연구소장",
];

/// The title token `i` is (`대표`), or ends with after a glued place, organisation or department.
fn role_of<'a>(st: &St<'a>, i: usize) -> Option<(&'a str, Option<Glued>)> {
    if st.flags(i) & flag::ROLE != 0 {
        return Some((st.stem(i), None));
    }
    // (titles are common words: their ends are 0)
    if st.words[i].ends & SUFFIX_END == 0 {
        return None;
    }
    let w = st.stem(i);
    let start = st.toks[i].start;
    // an organisation + 장: 한국인구학회장, 기상청장
    if let Some(org) = w.strip_suffix('장') {
        let is_org = st.gaz.name(org).is_some_and(|e| e.label == Label::Org)
            || st.gaz.org_suffix(org).is_some_and(|(_, sub)| !sub);
        if is_org && syllables(org) >= 2 {
            return Some(("장", Some(Glued::Org(start + org.len()))));
        }
    }
    let rl = st.sufs(i).role as usize;
    if rl == 0 {
        return None;
    }
    let r = &w[w.len() - rl..];
    let prefix = &w[..w.len() - rl];
    if st.gaz.name(prefix).is_some_and(|e| e.label == Label::Loc) {
        return Some((r, Some(Glued::Place(start + prefix.len()))));
    }
    (DEPARTMENT_TITLES.contains(&r) && syllables(prefix) >= 2).then_some((r, Some(Glued::Other)))
}

/// Finds the entities of an article. `fixed` are spans the quote rules already decided (TERM and
/// PRODUCT names in quote marks); `blocked` are byte ranges where no name starts (figures).
pub fn find(
    text: &str,
    toks: &[Tok],
    gaz: &Gazetteer,
    fixed: &[(std::ops::Range<usize>, &'static str)],
    blocked_ranges: &[std::ops::Range<usize>],
) -> Vec<Entity> {
    let n = toks.len();
    // each token read once (the stems are sliced where a rule needs them); tokens starting
    // with a digit are no names
    let mut words: Vec<Word> = toks
        .iter()
        .map(|t| {
            let ends = if t.flags & flag::ORG_TYPE != 0 {
                ORG_NOUN
            } else if t.flags & flag::COMMON != 0 || t.stem_end == t.start {
                0
            } else {
                let last = t.stem_last;
                (if gaz.has_suffix_ending(last) { SUFFIX_END } else { 0 })
                    | (if last.is_ascii_alphabetic() { ALPHA_END } else { 0 })
            };
            Word { ends, blocked: t.first.is_ascii_digit(), title: false }
        })
        .collect();
    // tokens inside quote-decided spans or figures are no names either
    block(&mut words, toks, fixed.iter().map(|(r, _)| r));
    block(&mut words, toks, blocked_ranges.iter());
    let mut st = St {
        text,
        toks,
        gaz,
        cands: Vec::with_capacity(n / 6 + 4),
        owner: vec![None; n],
        words,
        known: Vec::new(),
        sufs: vec![OnceCell::new(); n],
    };
    let product_names: Vec<&str> =
        fixed.iter().filter(|(_, l)| *l == "PRODUCT").map(|(r, _)| &text[r.clone()]).collect();

    // 1-3: gazetteer, mixed names, glued places, suffixes
    // the title tokens with their titles, in order, for rule 5
    let mut titles: Vec<(usize, &str)> = Vec::new();
    // split_by_evidence scans the whole text: once per word (it keeps the answers)
    let mut split_memo: FxMap<&str, bool> = FxMap::default();
    for i in 0..n {
        if st.words[i].blocked {
            continue;
        }
        let role = role_of(&st, i);
        if let Some((r, _)) = role {
            titles.push((i, r));
            st.words[i].title = true;
        }
        if st.owner[i].is_some() {
            continue;
        }
        // multi-word names
        let mut done = false;
        // a name of several words needs the next word next to this one; the flags of a bare
        // token are its word's (gazetteer::Gazetteer::starts_multiword_name)
        let first_word = toks[i].bare() && st.flags(i) & flag::MULTI_FIRST != 0 && st.adjacent(i);
        for k in (2..=gaz.max_name_words).rev().filter(|_| first_word) {
            if !st.spaced_run(i, k) {
                continue;
            }
            let key = &text[toks[i].start..toks[i + k - 1].stem_end];
            if let Some(e) = gaz.name(key) {
                if !e.context {
                    let end = toks[i + k - 1].stem_end;
                    done = st.assign(i, i + k - 1, end, e.label, e.canonical.as_deref().map(Cow::Borrowed), Src::Gaz);
                    break;
                }
            }
        }
        if done {
            continue;
        }
        let f = st.flags(i);
        if f & flag::NAME != 0 {
            let stem = st.stem(i);
            if let Some(e) = gaz.name(stem) {
                if !split_by_evidence(&st, stem, &mut split_memo) {
                    let src = if e.context { Src::GazContext } else { Src::Gaz };
                    st.assign_tok(i, e.label, e.canonical.as_deref().map(Cow::Borrowed), src);
                }
                continue;
            }
        }
        match &role {
            Some((_, Some(Glued::Place(pend)))) => {
                let pend = *pend;
                st.assign(i, i, pend, Label::Loc, None, Src::Gaz);
                continue;
            }
            Some((_, Some(Glued::Org(pend)))) => {
                let pend = *pend;
                let canon =
                    gaz.name(&text[toks[i].start..pend]).and_then(|e| e.canonical.as_deref()).map(Cow::Borrowed);
                st.assign(i, i, pend, Label::Org, canon, Src::Gaz);
                continue;
            }
            _ => {}
        }
        // (common words have no ends)
        if st.words[i].ends & (SUFFIX_END | ALPHA_END) == 0 {
            continue;
        }
        let stem = st.stem(i);
        // Hangul then Latin capitals (네오AI, 한강FC); Latin first (LNG운반선) is a common noun
        let sb = stem.as_bytes();
        if sb[0] >= 0x80 && sb.last().is_some_and(u8::is_ascii_uppercase) {
            let hangul_first = stem.chars().next().is_some_and(is_syllable);
            let upper = sb.iter().filter(|b| b.is_ascii_uppercase()).count();
            let latin_tail = stem.trim_start_matches(|c: char| is_syllable(c));
            if hangul_first
                && upper >= 2
                && latin_tail.bytes().all(|c| c.is_ascii_alphabetic())
                && !latin_tail.is_empty()
            {
                st.assign_tok(i, Label::Org, None, Src::Mixed);
                continue;
            }
        }
        let sl = st.sufs(i);
        // a longer organisation noun wins over a suffix (저비용항공사 is a kind of firm, not one)
        if sl.org != 0 && sl.org_type <= sl.org {
            let suf = &stem[stem.len() - sl.org as usize..];
            let subunit = sl.subunit;
            let base = &stem[..stem.len() - suf.len()];
            let enough = if syllables(suf) <= 1 && suf.chars().all(is_syllable) {
                syllables(base) >= 2
            } else {
                !base.is_empty()
            };
            if enough && f & flag::ROLE == 0 {
                st.assign_tok(i, Label::Org, None, if subunit { Src::Subunit } else { Src::Suffix });
                continue;
            }
        }
        if sl.loc != 0 && syllables(&stem[..stem.len() - sl.loc as usize]) >= 2 {
            st.assign_tok(i, Label::Loc, None, Src::Suffix);
        }
    }

    // 4: appositives after an organisation noun (the cheap tests first: few words follow one)
    for i in 1..n {
        // an organisation noun, or a word that may end with one (its suffixes are looked up last;
        // other common words have no ends, and no suffixes either)
        let ends = st.words[i - 1].ends;
        if ends & (ORG_NOUN | SUFFIX_END) == 0 || st.owner[i].is_some() || !toks[i - 1].bare() {
            continue;
        }
        let noun = ends & ORG_NOUN != 0;
        if !st.adjacent(i - 1) || !st.name_token_ok(i) {
            continue;
        }
        // the name ends at a particle or a mark, and has two syllables or Latin letters
        let closes = !toks[i].bare() || matches!(toks[i].after, '(' | ',' | ')' | '\n' | '·');
        let w = st.stem(i);
        if !closes || !(syllables(w) >= 2 || w.chars().any(|c| c.is_ascii_alphabetic())) {
            continue;
        }
        // 한 은행 딜링룸: a determiner before the noun makes it generic
        let determiner = i >= 2
            && st.adjacent(i - 2)
            && matches!(toks[i - 2].word(text), "한" | "이" | "그" | "각" | "모든" | "여러" | "다른" | "해당" | "일부");
        if determiner {
            continue;
        }
        if noun || st.sufs(i - 1).org_type != 0 {
            st.assign_tok(i, Label::Org, None, Src::Type);
        }
    }

    // 5: titles, in reading order (references need the people named before)
    for &(i, role) in &titles {
        let flags = gaz.role(role).unwrap_or_default();
        if flags.generic {
            continue;
        }
        // the chain of bare words right before the title
        let mut chain: Vec<usize> = Vec::new();
        let mut j = i;
        while j > 0 && chain.len() < 4 {
            let mut k = j - 1;
            // 전 / 현 ("former", "current") between name and title: skip it (유 전 대표)
            if st.adjacent(k) && matches!(toks[k].word(text), "전" | "현" | "前") && k > 0 {
                k -= 1;
            }
            // an age in parentheses after the name: 유정석(52) 전 … 대표
            if toks[k].before == '('
                && toks[k].after == ')'
                && toks[k].word(text).bytes().all(|b| b.is_ascii_digit())
                && k > 0
            {
                let name = k - 1;
                if toks[name].end + 1 == toks[k].start && toks[name].bare() {
                    chain.push(name);
                    break;
                }
            }
            if !st.adjacent(k)
                || !toks[k].bare()
                || st.words[k].blocked
                || !matches!(toks[k].before, ' ' | '\n' | '(' | ',' | '·')
            {
                break;
            }
            if st.words[k].title && st.owner[k].is_none() {
                break;
            }
            chain.push(k);
            j = k;
        }
        chain.reverse();
        let mut found = false;
        if let Some(&last) = chain.last() {
            let w = st.stem(last);
            let before_is_org = chain.len() >= 2 && st.label_of(chain[chain.len() - 2]) == Some(Label::Org);
            let risky = RISKY_ROLES.contains(&role);
            if st.free(last) {
                // a reference to someone named before wins over a new name (하인츠 회장)
                let reference = (chain.len() == 1 || before_is_org).then(|| st.reference(w, role)).flatten();
                if let Some(full) = reference {
                    st.assign_tok(last, Label::Person, Some(Cow::Borrowed(full)), Src::Role);
                    found = true;
                } else if st.korean_name(w, if before_is_org { 2 } else { 3 })
                    && (!risky || st.known.iter().any(|k| k.name == w))
                {
                    st.assign_tok(last, Label::Person, None, Src::Role);
                    st.remember(w, role);
                    found = true;
                }
            }
            if !found && chain.len() >= 2 {
                let c0 = chain[0];
                let w0 = st.stem(c0);
                if gaz.given.contains(w0) && st.name_token_ok(c0) && st.name_token_ok(chain[1]) {
                    let end = toks[chain[1]].stem_end;
                    if st.assign(c0, chain[1], end, Label::Person, None, Src::Role) {
                        let name = &text[toks[c0].start..end];
                        st.remember(name, role);
                        found = true;
                        for &m in &chain[2..] {
                            if st.name_token_ok(m) {
                                st.assign_tok(m, Label::Org, None, Src::Role);
                            }
                        }
                    }
                } else if st.free(c0) && st.korean_name(w0, 2) && !risky {
                    st.assign_tok(c0, Label::Person, None, Src::Role);
                    st.remember(w0, role);
                    found = true;
                    for &m in &chain[1..] {
                        if st.name_token_ok(m) {
                            st.assign_tok(m, Label::Org, None, Src::Role);
                        }
                    }
                }
            }
        }
        // a title before the name: 주장 오태민
        if !found && flags.before && st.adjacent(i) && toks[i].bare() && i + 1 < n {
            let w = st.stem(i + 1);
            if st.free(i + 1) && st.korean_name(w, 3) {
                st.assign_tok(i + 1, Label::Person, None, Src::Role);
                st.remember(w, role);
            }
        }
    }

    // 5b: a name with an age in parentheses: 유정석(52)
    for i in 0..n.saturating_sub(1) {
        let (a, b) = (&toks[i], &toks[i + 1]);
        if a.bare() && a.after == '(' && b.before == '(' && b.after == ')' && b.start == a.end + 1 && st.free(i) {
            let age = b.word(text);
            let w = st.stem(i);
            if age.len() <= 3 && age.bytes().all(|c| c.is_ascii_digit()) && st.korean_name(w, 3) {
                st.assign_tok(i, Label::Person, None, Src::Role);
                st.remember(w, "");
            }
        }
    }

    // 6: X(Y) and X 측
    for i in 0..n.saturating_sub(1) {
        let (a, b) = (&toks[i], &toks[i + 1]);
        if let Some(c) = st.owner[i] {
            if a.bare() && a.after == '(' && b.before == '(' && b.after == ')' && b.start == a.end + 1 && st.free(i + 1)
            {
                let y = b.word(text);
                if y.chars().all(|ch| ch.is_ascii_alphanumeric()) && y.chars().any(|ch| ch.is_ascii_uppercase()) {
                    let canon = st.cands[c]
                        .canonical
                        .clone()
                        .unwrap_or(Cow::Borrowed(&text[st.cands[c].start..st.cands[c].end]));
                    let label = st.cands[c].label;
                    st.assign_tok(i + 1, label, Some(canon), Src::Alias);
                }
            }
        }
        // (the length first: few words are one syllable long)
        let side = b.stem_end - b.start == "측".len() && b.stem(text) == "측";
        if side && st.owner[i].is_none() && st.adjacent(i) && a.bare() {
            let w = st.stem(i);
            if st.name_token_ok(i) && syllables(w) >= 2 && !gaz.speakers.contains(w) {
                st.assign_tok(i, Label::Org, None, Src::Side);
            }
        }
    }

    // 7: merges
    merge(&mut st);

    // 8: propagation of names found above
    // sized once: no rehashing while the names go in
    let mut single: FxMap<&str, (Label, Option<Cow<str>>)> =
        FxMap::with_capacity_and_hasher(st.cands.len(), Default::default());
    let mut multi: Vec<MultiName> = Vec::new();
    // only the first mention of a name of several words matters: the first match wins below
    let mut multi_seen: FxSet<&str> = FxSet::default();
    for c in st.cands.iter().filter(|c| !c.dead) {
        let name = &text[c.start..c.end];
        if c.first == c.last {
            single.entry(name).or_insert_with(|| (c.label, c.canonical.clone()));
        } else {
            if multi_seen.insert(name) {
                multi.push((name.split(' ').collect(), c.label, c.canonical.clone()));
            }
            if c.label == Label::Loc {
                // components of a merged place are places too (전남 신안 → 신안)
                for w in name.split(' ') {
                    single.entry(w).or_insert((Label::Loc, None));
                }
            }
        }
    }
    for p in &product_names {
        if multi_seen.insert(*p) {
            multi.push((p.split(' ').collect(), Label::Product, None));
        }
    }
    multi.sort_by_key(|m| std::cmp::Reverse(m.0.len()));
    // the names by their first word, in the order above (the first match wins)
    let mut multi_by_first: FxMap<&str, Vec<usize>> = FxMap::default();
    for (m, (words, ..)) in multi.iter().enumerate() {
        multi_by_first.entry(words[0]).or_default().push(m);
    }
    let mut firsts = super::hangul::CharSet::default();
    for w in single.keys().copied().chain(multi.iter().filter_map(|m| m.0.first().copied())) {
        if let Some(c) = w.chars().next() {
            firsts.insert(c);
        }
    }
    for i in 0..n {
        // taken tokens and tokens starting with no name's first character: nothing to do
        if st.owner[i].is_some() || !firsts.contains(toks[i].first) {
            continue;
        }
        if !(st.free(i) || st.words[i].blocked && starts_product(&multi, &st, i)) {
            continue;
        }
        let mut done = false;
        let (word, stem) = (toks[i].word(text), st.stem(i));
        // names whose first word is the token (several words) or its stem (one word)
        let by = |w: &str| multi_by_first.get(w).map_or(&[][..], Vec::as_slice);
        let (on_word, on_stem) = (by(word), if stem == word { &[][..] } else { by(stem) });
        let (mut a, mut b) = (on_word.iter().peekable(), on_stem.iter().peekable());
        let in_order = std::iter::from_fn(|| match (a.peek(), b.peek()) {
            (Some(&&x), Some(&&y)) if y < x => b.next(),
            (Some(_), _) => a.next(),
            (None, _) => b.next(),
        });
        for (words, label, canon) in in_order.map(|&m| &multi[m]) {
            let k = words.len();
            if words[0] != if k == 1 { stem } else { word } || !st.spaced_run(i, k) {
                continue;
            }
            let ok = (0..k).all(|m| {
                let t = &toks[i + m];
                let w = if m + 1 == k { t.stem(text) } else { t.word(text) };
                w == words[m] && (st.owner[i + m].is_none())
            });
            if ok {
                let end = toks[i + k - 1].stem_end;
                let (f, l) = (i, i + k - 1);
                // product names may contain digits (blocked tokens): assign directly
                let start = toks[f].start;
                if (f..=l).all(|j| st.owner[j].is_none()) {
                    st.cands.push(Cand {
                        first: f,
                        last: l,
                        start,
                        end,
                        label: *label,
                        canonical: canon.clone(),
                        src: Src::Prop,
                        dead: false,
                    });
                    for j in f..=l {
                        st.owner[j] = Some(st.cands.len() - 1);
                    }
                    done = true;
                }
                break;
            }
        }
        if done || st.words[i].blocked {
            continue;
        }
        let stem = st.stem(i);
        if let Some((label, canon)) = if single.is_empty() { None } else { single.get(stem) } {
            if syllables(stem) >= 2 || stem.chars().any(|c| c.is_ascii_alphabetic()) {
                st.assign_tok(i, *label, canon.clone(), Src::Prop);
            }
        }
    }

    finish(&st)
}

/// Marks the tokens that overlap one of `ranges` as blocked. The tokens are in order: those of a
/// range end after its start, up to its end. Ranges in order take one sweep (a range that starts
/// before the one above starts the sweep again).
fn block<'r>(words: &mut [Word], toks: &[Tok], ranges: impl Iterator<Item = &'r std::ops::Range<usize>>) {
    let (mut from, mut last_start) = (0, 0);
    for r in ranges {
        if r.start < last_start {
            from = 0;
        }
        last_start = r.start;
        while from < toks.len() && toks[from].end <= r.start {
            from += 1;
        }
        for (w, _) in words[from..].iter_mut().zip(&toks[from..]).take_while(|(_, t)| t.start < r.end) {
            w.blocked = true;
        }
    }
}

/// True when a name is better read as an ambiguous place word plus a particle (`경기도` = `경기`
/// "game" + `도` "too") because the document uses that word otherwise: with another particle, or
/// bare and not before a place (soynlp-style evidence, korean-extraction.md §5.3 guard c).
/// `memo` keeps the answers of the scan by word.
fn split_by_evidence<'a>(st: &St<'a>, word: &'a str, memo: &mut FxMap<&'a str, bool>) -> bool {
    let Some(n) = super::hangul::particle_split(word) else { return false };
    let base = &word[..n];
    if !st.gaz.name(base).is_some_and(|e| e.context) {
        return false;
    }
    *memo.entry(word).or_insert_with(|| scan_for_split(st, word, base))
}

/// The scan of [`split_by_evidence`]: does the text use `base` otherwise?
fn scan_for_split(st: &St, word: &str, base: &str) -> bool {
    st.toks.iter().enumerate().any(|(j, t)| {
        let w = t.word(st.text);
        if !w.starts_with(base) || t.stem(st.text) != base {
            return false;
        }
        let part = t.particle(st.text);
        if !part.is_empty() {
            return w != word;
        }
        // bare: a place follows in the province reading (경기 평택시)
        let next_is_place = st.adjacent(j)
            && st.toks.get(j + 1).is_some_and(|nx| {
                let ns = nx.stem(st.text);
                st.gaz.name(ns).is_some_and(|e| e.label == Label::Loc)
            });
        !next_is_place
    })
}

/// A name of several words found in the article: its words, label and canonical name.
type MultiName<'a> = (Vec<&'a str>, Label, Option<Cow<'a, str>>);

/// True when a product name starts at token `i` (product tokens may be blocked: `가온 3`).
fn starts_product(multi: &[MultiName], st: &St, i: usize) -> bool {
    st.owner[i].is_none()
        && multi.iter().any(|(w, l, _)| {
            *l == Label::Product && w.first().is_some_and(|f| st.toks[i].word(st.text).starts_with(*f))
        })
}

/// Joins adjacent places and an organisation with its unit; drops context-only places and
/// unit-only organisations that were not joined.
fn merge(st: &mut St) {
    let n = st.toks.len();
    let mut i = 0;
    while i + 1 < n {
        let (Some(a), Some(b)) = (st.owner[i], st.owner[i + 1]) else {
            i += 1;
            continue;
        };
        if a == b || st.cands[a].last != i || st.cands[b].first != i + 1 || !st.adjacent(i) || !st.toks[i].bare() {
            i += 1;
            continue;
        }
        let (ca, cb) = (&st.cands[a], &st.cands[b]);
        // a place glued to a title (의성군수) is no part of a longer place
        let b_whole = cb.end == st.toks[cb.last].stem_end;
        let join = b_whole
            && ((ca.label == Label::Loc && cb.label == Label::Loc)
                || (ca.label == Label::Org && cb.label == Label::Org && matches!(cb.src, Src::Suffix | Src::Subunit)));
        if join {
            let (end, last) = (cb.end, cb.last);
            let src = if ca.src == Src::GazContext && cb.src == Src::GazContext { Src::Gaz } else { ca.src };
            let ca = &mut st.cands[a];
            ca.end = end;
            ca.last = last;
            ca.src = if src == Src::GazContext { Src::Gaz } else { src };
            ca.canonical = None;
            st.cands[b].dead = true;
            st.owner[i + 1] = Some(a);
            // the joined span may take the next one too (서울 강남구 역삼동)
            continue;
        }
        i += 1;
    }
    for c in 0..st.cands.len() {
        let cand = &st.cands[c];
        if !cand.dead && matches!(cand.src, Src::GazContext | Src::Subunit) {
            let (f, l) = (cand.first, cand.last);
            st.cands[c].dead = true;
            for j in f..=l {
                if st.owner[j] == Some(c) {
                    st.owner[j] = None;
                }
            }
        }
    }
}

/// The final entities, with canonical names (spacing variants folded onto the first spelling).
fn finish(st: &St) -> Vec<Entity> {
    let mut by_key: FxMap<Cow<str>, usize> = FxMap::with_capacity_and_hasher(st.cands.len(), Default::default());
    let mut names: Vec<&str> = Vec::new();
    let mut out: Vec<Entity> = Vec::with_capacity(st.cands.len());
    for c in st.cands.iter().filter(|c| !c.dead && c.src != Src::Fixed && c.start < c.end) {
        let canonical: &str = c.canonical.as_deref().unwrap_or(&st.text[c.start..c.end]);
        // spacing variants fold onto the first spelling (keys borrow unless there are spaces;
        // the text of one token has none)
        let own_text = c.canonical.is_none() && c.first == c.last;
        let key: Cow<str> = if !own_text && canonical.contains(char::is_whitespace) {
            Cow::Owned(canonical.chars().filter(|ch| !ch.is_whitespace()).collect())
        } else {
            Cow::Borrowed(canonical)
        };
        let first = *by_key.entry(key).or_insert_with(|| {
            names.push(canonical);
            names.len() - 1
        });
        out.push(Entity { start: c.start, end: c.end, label: c.label.as_str(), canonical: names[first].to_string() });
    }
    out.sort_by_key(|e| (e.start, std::cmp::Reverse(e.end)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::text::tokenize;

    fn ents(t: &str) -> Vec<(String, &'static str, String)> {
        let g = Gazetteer::builtin();
        let toks = tokenize(
            t,
            &crate::extract::text::one_paragraph(t),
            &|w| g.flags(w),
            crate::extract::gazetteer::flag::KNOWN,
        );
        find(t, &toks, &g, &[], &[])
            .into_iter()
            .map(|e| (t[e.start..e.end].to_string(), e.label, e.canonical))
            .collect()
    }

    fn has(list: &[(String, &'static str, String)], text: &str, label: &str) -> bool {
        list.iter().any(|(t, l, _)| t == text && *l == label)
    }

    #[test]
    fn note_example_speaker_np() {
        // §4.6: 한빛전자 김민수 대표 → ORG 한빛전자, PERSON 김민수
        let e = ents("한빛전자 김민수 대표는 14일 “올해 설비 투자를 두 배로 늘리겠다”고 말했다.");
        assert!(has(&e, "한빛전자", "ORG"), "{e:?}");
        assert!(has(&e, "김민수", "PERSON"), "{e:?}");
        assert_eq!(e.len(), 2, "{e:?}");
    }

    #[test]
    fn particles_are_stripped_with_allomorph_guards() {
        let e = ents("네오AI는 새 모델을 냈다. 한빛전자의 실적과 IBM은 별개다. 서울에서는 비가 왔다.");
        assert!(has(&e, "네오AI", "ORG"), "{e:?}");
        assert!(has(&e, "한빛전자", "ORG"), "{e:?}");
        assert!(has(&e, "서울", "LOC"), "{e:?}");
    }

    #[test]
    fn title_structures() {
        let e = ents("로버트 하인츠 윈드노바 회장은 협약식에 왔다. 하인츠 회장은 이어 발언했다.");
        assert!(has(&e, "로버트 하인츠", "PERSON"), "{e:?}");
        assert!(has(&e, "윈드노바", "ORG"), "{e:?}");
        let h = e.iter().find(|x| x.0 == "하인츠").unwrap();
        assert_eq!(h.2, "로버트 하인츠");
        let e = ents("이도윤 한은 총재가 말했다. 이 총재는 또 말했다. 이 관계자는 말이 없었다.");
        assert!(has(&e, "이도윤", "PERSON"), "{e:?}");
        assert!(e.iter().any(|x| x.0 == "이" && x.1 == "PERSON" && x.2 == "이도윤"), "{e:?}");
        assert_eq!(e.iter().filter(|x| x.0 == "이").count(), 1, "이 관계자 is no person: {e:?}");
        assert_eq!(e.iter().find(|x| x.0 == "한은").map(|x| x.2.as_str()), Some("한국은행"));
        let e = ents(
            "홍성우 동방조선 사장은 말했다. 임지현 통계청 인구동향과장은 설명했다. 이수정 한국인구학회장은 내다봤다.",
        );
        assert!(has(&e, "홍성우", "PERSON") && has(&e, "동방조선", "ORG"), "{e:?}");
        assert!(has(&e, "임지현", "PERSON") && has(&e, "통계청", "ORG"), "{e:?}");
        assert!(has(&e, "이수정", "PERSON") && has(&e, "한국인구학회", "ORG"), "{e:?}");
        let e = ents("주연 배우 차은비는 웃었다. 배급사 해오름픽처스는 밝혔다.");
        assert!(has(&e, "차은비", "PERSON") && has(&e, "해오름픽처스", "ORG"), "{e:?}");
        let e = ents("저비용항공사(LCC) 하늘길항공이 날았다.");
        assert!(e.iter().all(|x| x.0 != "저비용항공사"), "{e:?}");
        let e = ents("LNG운반선 4척을 수주했다.");
        assert!(e.is_empty(), "{e:?}");
        let e = ents("주장 오태민은 골을 넣었다. 오태민은 웃었다. 김정숙 의성군수는 말했다.");
        assert_eq!(e.iter().filter(|x| x.0 == "오태민" && x.1 == "PERSON").count(), 2, "{e:?}");
        assert!(has(&e, "의성", "LOC") && has(&e, "김정숙", "PERSON"), "{e:?}");
    }

    #[test]
    fn transliteration_variants_share_a_canonical_name() {
        let e = ents("노바칩스의 토머스 캘러핸 최고경영자(CEO)는 말했다. 캘러한 CEO는 이어 설명했다.");
        assert!(has(&e, "토머스 캘러핸", "PERSON"), "{e:?}");
        let v = e.iter().find(|x| x.0 == "캘러한").expect("variant found");
        assert_eq!((v.1, v.2.as_str()), ("PERSON", "토머스 캘러핸"));
    }

    #[test]
    fn aliases_types_and_merges() {
        let e = ents("네오AI는 미국 반도체 기업 노바칩스(NovaChips)와 손잡았다. 노바칩스의 칩이다.");
        assert!(has(&e, "노바칩스", "ORG"), "{e:?}");
        assert_eq!(e.iter().find(|x| x.0 == "NovaChips").map(|x| (x.1, x.2.as_str())), Some(("ORG", "노바칩스")));
        assert_eq!(e.iter().filter(|x| x.0 == "노바칩스").count(), 2, "{e:?}");
        assert!(has(&e, "미국", "LOC"), "{e:?}");
        let e = ents("한국은행 금융통화위원회는 서울 중구 한은 본관에서 회의를 열었다. 경기 평택시에 짓는다.");
        assert!(has(&e, "한국은행 금융통화위원회", "ORG"), "{e:?}");
        assert!(has(&e, "서울 중구", "LOC"), "{e:?}");
        assert!(has(&e, "경기 평택시", "LOC"), "{e:?}");
        // 경기 alone is a game, not a province
        let e = ents("남은 경기에서 이겼다. 경기 뒤 말했다. 남은 경기도 이기겠다.");
        assert!(e.is_empty(), "{e:?}");
        // the province is still a place where 경기 reads as a province
        let e = ents("경기도는 경기 평택시에 짓는다.");
        assert!(has(&e, "경기도", "LOC") && has(&e, "경기 평택시", "LOC"), "{e:?}");
        // a determiner makes the organisation noun generic
        let e = ents("서울 중구의 한 은행 딜링룸에서 일한다.");
        assert!(e.iter().all(|x| x.1 != "ORG"), "{e:?}");
        let e = ents("하늘증권 리서치센터는 보고서를 냈다.");
        assert!(has(&e, "하늘증권 리서치센터", "ORG"), "{e:?}");
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)] // lists of one byte range, on purpose
    fn blocked_ranges_and_fixed_spans_take_the_tokens_they_touch() {
        let g = Gazetteer::builtin();
        let t = "한빛전자 김민수 대표는 말했다. 새봄바이오 이수정 대표도 말했다.";
        let toks = tokenize(
            t,
            &crate::extract::text::one_paragraph(t),
            &|w| g.flags(w),
            crate::extract::gazetteer::flag::KNOWN,
        );
        let found = |fixed: &[(std::ops::Range<usize>, &'static str)], blocked: &[std::ops::Range<usize>]| {
            find(t, &toks, &g, fixed, blocked).into_iter().map(|e| t[e.start..e.end].to_string()).collect::<Vec<_>>()
        };
        assert_eq!(found(&[], &[]), ["한빛전자", "김민수", "새봄바이오", "이수정"]);
        // a range that touches the middle of a token blocks the whole token
        let kim = t.find("김민수").unwrap();
        assert_eq!(found(&[], &[kim + 3..kim + 4]), ["한빛전자", "새봄바이오", "이수정"]);
        // an empty range inside a token blocks it too; one at its start does not
        assert_eq!(found(&[], &[kim + 3..kim + 3]), ["한빛전자", "새봄바이오", "이수정"]);
        assert_eq!(found(&[], &[kim..kim]), ["한빛전자", "김민수", "새봄바이오", "이수정"]);
        // ranges in any order, fixed spans and figures alike
        let lee = t.find("이수정").unwrap();
        let sae = t.find("새봄바이오").unwrap();
        assert_eq!(found(&[(lee..lee + 9, "TERM")], &[sae..sae + 3, 0..3]), ["김민수"]);
    }

    #[test]
    fn common_words_are_no_names() {
        let e = ents("부동산 시장 관계자는 정부 정책이 중요하다고 했다. 업계 관계자도 같은 말을 했다.");
        assert!(e.iter().all(|x| x.1 != "PERSON"), "{e:?}");
        let e = ents("이사회 의장과 공동 대표가 참석했다.");
        assert!(e.iter().all(|x| x.1 != "PERSON"), "{e:?}");
    }
}
