//! Quotes and their speakers (korean-extraction.md §4).
//!
//! Marks are paired per paragraph (curly quotes by kind, straight quotes by parity). A double-quoted
//! span is a QUOTE unless it is a short name followed by a naming frame (`“게임 체인저”로 불린다`:
//! TERM). A single-quoted span is a TERM, a PRODUCT next to a product noun (`칩 ‘NX-200’`), or a
//! QUOTE when it ends like a sentence and is followed by `(이)라고`/`고`.
//!
//! Speakers, per quote: the nearest subject to the left in the sentence that names a speaker
//! (F1, F3, F7); else one to the right of the quote (F2); else, for a quote standing as a sentence,
//! the subject of the next sentence when it says `이같이`/`이렇게` (F5); else `X에 따르면` (F8); else
//! the speaker of the previous quote in the paragraph or the one before (F4, carried). `그는` and
//! `이 관계자는` point back to the last matching speaker. The speaker noun phrase is walked left
//! from the subject (at most six words; dates, `…에서`, connectives and verbs stop it); its
//! person (or the organisation it is) becomes the speaker entity, the phrase itself
//! `speaker_text` (without `한` and `…의` phrases). Generic speakers (`업계 관계자`) get text only.

use std::ops::Range;

use super::entities::Entity;
use super::figures::{Figure, DATE};
use super::gazetteer::{flag, Gazetteer};
use super::hangul::is_syllable;
use super::text::{merged, sentences, Tok};

/// What a quoted span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QKind {
    /// Direct speech.
    Quote,
    /// A term, coinage or title.
    Term,
    /// A product name.
    Product,
}

/// A quoted span: the content between the marks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteSpan {
    /// The content (without the marks).
    pub inner: Range<usize>,
    /// Byte offset of the opening mark.
    pub open: usize,
    /// Byte offset just past the closing mark.
    pub close_end: usize,
    /// Paragraph index.
    pub para: usize,
    /// Double (`“”`, `""`) or single (`‘’`) marks.
    pub double: bool,
    /// What it is.
    pub kind: QKind,
}

/// The speaker of one quote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    /// Index of the speaker entity in the entity list.
    pub entity: Option<usize>,
    /// The speaker noun phrase.
    pub text: Option<String>,
    /// Taken over from an earlier quote (no subject in the quote's own sentence).
    pub carried: bool,
}

/// Nouns after `라는`/`이라는` that make a double-quoted span a quote, not a term.
const STANCE: &[&str] = &[
    "입장",
    "평가",
    "분석",
    "설명",
    "지적",
    "전망",
    "말",
    "주장",
    "뜻",
    "의견",
    "반응",
    "목소리",
    "비판",
    "우려",
    "관측",
    "얘기",
    "이야기",
    "해석",
    "답변",
    "메시지",
    "경고",
    "취지",
    "내용",
    "발언",
    "지시",
    "당부",
    "요구",
    "판단",
    "결론",
    "생각",
];

/// Words that end a speaker noun phrase on its left.
const NP_STOP: &[&str] = &[
    "이어",
    "또",
    "또한",
    "그러면서",
    "한편",
    "특히",
    "다만",
    "이에",
    "반면",
    "아울러",
    "덧붙여",
    "이와",
    "그러나",
    "하지만",
    "앞서",
    "당시",
    "현재",
    "최근",
    "이후",
    "직후",
    "이날",
    "뒤",
];

fn predicate_end(content: &str) -> bool {
    let t = content.trim_end_matches([' ', '~', '…']);
    if t.ends_with(['.', '?', '!']) {
        return true;
    }
    t.chars().next_back().is_some_and(|c| "다요죠까냐자라네지니군래데걸나오".contains(c))
}

/// The Hangul word glued after byte `at`.
fn glued_word(text: &str, at: usize) -> &str {
    let b = text.as_bytes();
    let mut end = at;
    while crate::clean::hangul_len_at(b, end) == 3 {
        end += 3;
    }
    &text[at..end]
}

/// The word after `g`, the glued word at `at` (one space later).
fn next_word_after<'t>(text: &'t str, at: usize, g: &str) -> &'t str {
    let r = &text[at + g.len()..];
    let Some(r) = r.strip_prefix(' ') else { return "" };
    &r[..r.find([' ', '\n', ',', '.']).unwrap_or(r.len())]
}

/// Finds and classifies every quoted span of the paragraphs.
pub fn find_marks(text: &str, paras: &[Range<usize>], gaz: &Gazetteer) -> Vec<QuoteSpan> {
    // sized once (quoted spans are a few per kilobyte of news text)
    let mut out = Vec::with_capacity(text.len() / 128 + 4);
    // open marks, emptied at each paragraph (allocated once)
    let mut dstack: Vec<(usize, char)> = Vec::new();
    let mut sstack: Vec<usize> = Vec::new();
    let mut ascii_open: Vec<usize> = Vec::new();
    for (pi, r) in paras.iter().enumerate() {
        let p = &text[r.start..r.end];
        let pb = p.as_bytes();
        dstack.clear();
        sstack.clear();
        ascii_open.clear();
        // quote marks start with '"', '\'' or the lead bytes E2 (“”‘’″) and E3 (「」『』, rare)
        let cands = merged(memchr::memchr3_iter(b'"', b'\'', 0xE2, pb), memchr::memchr_iter(0xE3, pb));
        for i in cands {
            let Some(c) = p[i..].chars().next() else { continue };
            let at = r.start + i;
            match c {
                '“' | '「' | '『' => dstack.push((at, c)),
                '”' | '」' | '』' => {
                    if let Some((o, oc)) = dstack.pop() {
                        if oc == '"' {
                            // a straight quote was left open: keep it open
                            dstack.push((o, oc));
                            continue;
                        }
                        push_span(text, &mut out, o, oc.len_utf8(), at, c.len_utf8(), pi, true);
                    }
                }
                '"' => {
                    if dstack.last().is_some_and(|x| x.1 == '"') {
                        let (o, _) = dstack.pop().unwrap_or((at, '"'));
                        push_span(text, &mut out, o, 1, at, 1, pi, true);
                    } else {
                        dstack.push((at, '"'));
                    }
                }
                '\'' => {
                    // an ASCII single quote: opens after a space or bracket, closes before a
                    // non-letter, within one line; apostrophes inside Latin words are ignored
                    let prev = p[..i].chars().next_back().unwrap_or(' ');
                    let next = p[i + 1..].chars().next().unwrap_or(' ');
                    if let Some(&o) = ascii_open.last() {
                        if !next.is_ascii_alphanumeric() && at > o + 1 {
                            ascii_open.pop();
                            push_span(text, &mut out, o, 1, at, 1, pi, false);
                            continue;
                        }
                    }
                    if matches!(prev, ' ' | '(' | '[' | '“' | '"') && !next.is_whitespace() {
                        ascii_open.push(at);
                    }
                }
                '‘' => sstack.push(at),
                '’' => {
                    if let Some(o) = sstack.pop() {
                        push_span(text, &mut out, o, 3, at, 3, pi, false);
                    }
                }
                _ => {}
            }
        }
    }
    out.sort_by_key(|q| q.open);
    for q in &mut out {
        q.kind = classify(text, q, gaz);
        if !q.double
            && q.kind == QKind::Term
            && headline_like(&text[paras[q.para].clone()])
            && name_before(text, q.open, gaz).is_some()
        {
            // F6: in a headline or subhead, ‘…’ after a name is a quote (김 대표 ‘투자 늘린다’)
            q.kind = QKind::Quote;
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn push_span(
    text: &str,
    out: &mut Vec<QuoteSpan>,
    open: usize,
    olen: usize,
    close: usize,
    clen: usize,
    para: usize,
    double: bool,
) {
    let inner = open + olen..close;
    if inner.start < inner.end && !text[inner.clone()].chars().all(char::is_whitespace) {
        out.push(QuoteSpan { inner, open, close_end: close + clen, para, double, kind: QKind::Quote });
    }
}

/// A headline or subhead: short, and not ending like a sentence.
pub fn headline_like(p: &str) -> bool {
    let p = p.trim_end();
    // more than 100 characters (counted only when the length in bytes leaves a doubt)
    if p.len() > 400 || p.len() > 100 && p.chars().count() > 100 {
        return false;
    }
    // ending with a quote mark: the quote may end like a sentence, the line does not
    p.ends_with(['”', '’', '"', '\'']) || !(p.ends_with('.') || p.ends_with('다'))
}

/// The name right before a quote mark at `open` in a headline (`김민수 “…”`, `김민수, ‘…’`,
/// `김민수 대표 “…”`): its byte range. A name is a known name or a surname and one to three more
/// syllables; a title between the name and the mark is skipped.
fn name_before(text: &str, open: usize, gaz: &Gazetteer) -> Option<Range<usize>> {
    let mut end = text[..open].trim_end_matches(' ').trim_end_matches(',').len();
    for _ in 0..2 {
        let before = &text[..end];
        let start = before
            .rfind(|c: char| !is_syllable(c) && !c.is_ascii_alphanumeric())
            .map_or(0, |p| p + before[p..].chars().next().map_or(1, char::len_utf8));
        let w = &before[start..];
        if gaz.roles.contains_key(w) {
            end = before[..start].trim_end_matches(' ').len();
            continue;
        }
        let n = w.chars().count();
        let first: String = w.chars().take(1).collect();
        let name = gaz.names.contains_key(w)
            || ((2..=4).contains(&n)
                && w.chars().all(is_syllable)
                && gaz.surnames.contains(first.as_str())
                && !gaz.known_word(w));
        return name.then_some(start..end);
    }
    None
}

/// The speaker of a headline quote (`김민수 대표 “…”` → `김민수`), if a name stands before it.
pub fn headline_speaker<'t>(text: &'t str, open: usize, gaz: &Gazetteer) -> Option<&'t str> {
    name_before(text, open, gaz).map(|r| &text[r])
}

fn classify(text: &str, q: &QuoteSpan, gaz: &Gazetteer) -> QKind {
    let content = &text[q.inner.clone()];
    let sfx = glued_word(text, q.close_end);
    let next = next_word_after(text, q.close_end, sfx);
    if q.double {
        // at most 15 characters (counted only when the length in bytes leaves a doubt)
        let short = content.len() <= 15 || content.len() <= 60 && content.chars().count() <= 15;
        let naming = (matches!(sfx, "로" | "으로")
            && ["불리", "불린", "꼽히", "꼽힌", "통하", "통한", "알려", "부르", "평가받", "일컬"]
                .iter()
                .any(|v| next.starts_with(v)))
            || (matches!(sfx, "라는" | "이라는" | "란" | "이란")
                && !STANCE.iter().any(|s| next.starts_with(s))
                && !next.is_empty())
            || (sfx.is_empty() && ["불리는", "꼽히는"].iter().any(|v| next.starts_with(v)));
        if short && !predicate_end(content) && naming {
            return QKind::Term;
        }
        return QKind::Quote;
    }
    if matches!(sfx, "라고" | "이라고" | "고") && predicate_end(content) {
        return QKind::Quote;
    }
    // a product name next to a product noun
    let before = text[..q.open].trim_end_matches(' ').trim_end_matches(')');
    let prev_word_start = before.rfind([' ', '(', '\n']).map_or(0, |p| p + 1);
    let prev = &before[prev_word_start..];
    if gaz.is_product_noun(prev) || gaz.is_product_noun(next) && sfx.is_empty() {
        return QKind::Product;
    }
    QKind::Term
}

/// Context for attribution.
pub struct Ctx<'a> {
    /// The article text.
    pub text: &'a str,
    /// Paragraph ranges.
    pub paras: &'a [Range<usize>],
    /// Which paragraphs are captions.
    pub captions: &'a [bool],
    /// Tokens, with the flags [`Gazetteer::flags`] gives their stems (see
    /// [`super::text::tokenize`]).
    pub toks: &'a [Tok],
    /// Entities, sorted by start.
    pub entities: &'a [Entity],
    /// Figures.
    pub figures: &'a [Figure],
    /// The gazetteer.
    pub gaz: &'a Gazetteer,
}

/// A subject: the token with the subject particle and the head token of the noun phrase.
#[derive(Clone, Copy, Debug)]
struct Subject {
    head: usize,
    /// End of the head's stem (`측은` → after `측`).
    stem_end: usize,
    /// End of the speaker phrase (the head's stem, or `)` of a parenthesis after it).
    np_end: usize,
}

impl<'a> Ctx<'a> {
    fn tok_range(&self, r: Range<usize>) -> Range<usize> {
        let a = self.toks.partition_point(|t| t.end <= r.start);
        let b = self.toks.partition_point(|t| t.start < r.end);
        a..b.max(a)
    }

    fn in_quote(&self, quotes: &[QuoteSpan], t: &Tok) -> bool {
        // quotes are sorted by their opening mark; direct-speech quotes do not overlap
        // (a few nested marks at most stand between a token and the quote around it)
        let i = quotes.partition_point(|q| q.open <= t.start);
        quotes[..i].iter().rev().take(8).any(|q| q.double && q.kind == QKind::Quote && t.end <= q.close_end)
    }

    fn entity_ending(&self, end: usize) -> Option<usize> {
        let i = self.entities.partition_point(|e| e.end < end);
        (i < self.entities.len() && self.entities[i].end == end).then_some(i)
    }

    /// Token `i` carries a subject particle: returns the subject.
    fn subject(&self, i: usize) -> Option<Subject> {
        let t = &self.toks[i];
        let part = t.particle(self.text);
        let word = t.word(self.text);
        if matches!(word, "은" | "는" | "이" | "가") && t.before == ')' && i >= 2 {
            // 최고경영자(CEO)는: the head is the word before the parenthesis
            let inner = &self.toks[i - 1];
            if inner.before == '(' {
                let h = &self.toks[i - 2];
                return Some(Subject { head: i - 2, stem_end: h.stem_end, np_end: t.start });
            }
        }
        if let Some(rest) = word.strip_prefix("측") {
            if matches!(rest, "은" | "이" | "도") {
                let e = t.start + "측".len();
                return Some(Subject { head: i, stem_end: e, np_end: e });
            }
        }
        if !matches!(part, "은" | "는" | "이" | "가" | "께서" | "께서는" | "도") {
            return None;
        }
        Some(Subject { head: i, stem_end: t.stem_end, np_end: t.stem_end })
    }

    /// True when the subject names a speaker (a person, an organisation, a title, a generic
    /// speaker, a pronoun).
    fn head_stem(&self, s: Subject) -> &'a str {
        &self.text[self.toks[s.head].start..s.stem_end]
    }

    fn speakerish(&self, s: Subject) -> bool {
        let h = &self.toks[s.head];
        let stem = self.head_stem(s);
        if matches!(stem, "그" | "그녀" | "그들") || stem == "측" || stem.ends_with('측') {
            return true;
        }
        // a title or a generic speaker; the token's flags are its stem's, which the head stem
        // usually is
        let f = if s.stem_end == h.stem_end { h.flags } else { self.gaz.flags(stem) };
        if f & (flag::ROLE | flag::SPEAKER) != 0 {
            return true;
        }
        if let Some(e) = self.entity_ending(s.stem_end) {
            return matches!(self.entities[e].label, "PERSON" | "ORG");
        }
        // a place glued to a title (의성군수) or a compound title (원내대변인)
        self.gaz.role_suffix(stem).is_some_and(|r| syl(r) >= 2)
    }

    /// A subject that is a plain noun (fallback when no speaker-like subject is found).
    fn nounish(&self, s: Subject) -> bool {
        let stem = self.head_stem(s);
        syl(stem) >= 2
            && !stem.ends_with(['하', '되', '있', '없', '않', '같', '것', '수', '점', '데'])
            && !self.gaz.not_names.contains(stem)
    }

    /// The first token of the speaker noun phrase ending at `head`.
    fn np_first(&self, head: usize, quotes: &[QuoteSpan]) -> usize {
        let mut k = head;
        let mut n = 1;
        while k > 0 && n < 6 {
            let p = k - 1;
            let (a, b) = (&self.toks[p], &self.toks[k]);
            if a.para != b.para
                || b.start != a.end + 1
                || self.text.as_bytes()[a.end] != b' '
                || self.in_quote(quotes, a)
            {
                break;
            }
            let w = a.word(self.text);
            let part = a.particle(self.text);
            if !(part.is_empty() || part == "의")
                || NP_STOP.contains(&w)
                || w.ends_with("에서")
                || w.ends_with("에서는")
            {
                break;
            }
            if w.ends_with(['고', '며', '서', '면'])
                && !self.gaz.names.contains_key(w)
                && part.is_empty()
                && a.stem(self.text) == w
            {
                // verbal endings (…하고, …하며): a stem ending like this is rarely a noun here
                if !self.gaz.roles.contains_key(w) && !w.ends_with("위원") {
                    break;
                }
            }
            // figures are in reading order and do not overlap
            let fi = self.figures.partition_point(|f| f.end <= a.start);
            let is_date = self.figures.get(fi).is_some_and(|f| f.label == DATE && f.start < a.end);
            if is_date {
                break;
            }
            k = p;
            n += 1;
        }
        k
    }

    fn resolve(&self, s: Subject, quotes: &[QuoteSpan], done: &[(usize, Attribution)]) -> Attribution {
        let h = &self.toks[s.head];
        let stem = self.head_stem(s);
        if matches!(stem, "그" | "그녀") {
            let person = done.iter().rev().find(|(_, a)| a.entity.is_some_and(|e| self.entities[e].label == "PERSON"));
            return person.or(done.last()).map(|(_, a)| Attribution { carried: true, ..a.clone() }).unwrap_or_default();
        }
        let first = self.np_first(s.head, quotes);
        // 이 관계자는 / 이 총재는 (when 이 is no person): the last speaker with that title
        if first < s.head {
            let p = &self.toks[s.head - 1];
            if matches!(p.word(self.text), "이" | "그" | "해당")
                && p.end + 1 == h.start
                && self.entity_ending(p.end).is_none()
            {
                let hit = done.iter().rev().find(|(_, a)| a.text.as_deref().is_some_and(|t| t.ends_with(stem)));
                if let Some((_, a)) = hit {
                    return Attribution { carried: true, ..a.clone() };
                }
            }
        }
        let np_start = self.toks[first].start;
        // speaker text: after the last …의 word, without a leading 한
        let mut ts = first;
        for k in first..s.head {
            if self.toks[k].particle(self.text) == "의" {
                ts = k + 1;
            }
        }
        if ts < s.head && self.toks[ts].word(self.text) == "한" {
            ts += 1;
        }
        let text_start = self.toks[ts].start;
        let speaker_text = self.text[text_start..s.np_end].trim().to_string();
        // the entity: the last person in the phrase, else the organisation the phrase is
        let generic =
            stem != "측" && (self.gaz.roles.get(stem).is_some_and(|r| r.generic) || self.gaz.speakers.contains(stem));
        let from = self.entities.partition_point(|e| e.start < np_start);
        let to = self.entities.partition_point(|e| e.start < s.np_end);
        let person = (from..to).rev().find(|&e| self.entities[e].end <= s.np_end && self.entities[e].label == "PERSON");
        let org = if generic {
            None
        } else if stem == "측" && s.head > 0 {
            self.entity_ending(self.toks[s.head - 1].stem_end).filter(|&e| self.entities[e].label == "ORG")
        } else {
            self.entity_ending(s.stem_end).filter(|&e| self.entities[e].label == "ORG")
        };
        // X 측 변호인: the speaker is the noun after 측, not the person before it
        let side_modifier = (first..s.head).any(|k| self.toks[k].word(self.text) == "측");
        let entity = if generic || side_modifier { None } else { person.or(org) };
        Attribution { entity, text: (!speaker_text.is_empty()).then_some(speaker_text), carried: false }
    }
}

fn syl(s: &str) -> usize {
    s.chars().filter(|&c| is_syllable(c)).count()
}

/// Finds the speaker of every QUOTE in `quotes` (in order); other kinds get a default entry.
pub fn attribute(ctx: &Ctx, quotes: &[QuoteSpan]) -> Vec<Attribution> {
    // quotes outside captions get a speaker
    let attributed = |q: &QuoteSpan| q.kind == QKind::Quote && !ctx.captions.get(q.para).copied().unwrap_or(false);
    // (paragraph, attribution) of earlier quotes; moved into the result at the end
    let mut done: Vec<(usize, Attribution)> = Vec::with_capacity(quotes.len());
    let mut sent_cache: Vec<Option<Vec<Range<usize>>>> = vec![None; ctx.paras.len()];
    for q in quotes {
        if !attributed(q) {
            continue;
        }
        if sent_cache[q.para].is_none() {
            sent_cache[q.para] = Some(sentences(ctx.text, ctx.paras[q.para].clone()));
        }
        let sents: &[Range<usize>] = sent_cache[q.para].as_deref().unwrap_or(&[]);
        let si = sents.iter().position(|s| s.start <= q.open && q.open < s.end).unwrap_or(0);
        let sent = sents.get(si).cloned().unwrap_or(q.open..q.close_end);
        let mut found: Option<Attribution> = None;
        // F1/F3/F7: a subject on the left
        let tr = ctx.tok_range(sent.start..q.open);
        let mut fallback: Option<Subject> = None;
        for i in tr.clone().rev() {
            let t = &ctx.toks[i];
            if ctx.in_quote(quotes, t) {
                continue;
            }
            if let Some(s) = ctx.subject(i) {
                if ctx.speakerish(s) {
                    found = Some(ctx.resolve(s, quotes, &done));
                    break;
                }
                if fallback.is_none() && ctx.nounish(s) {
                    fallback = Some(s);
                }
            }
        }
        // F2: a subject between the quote and the verb
        if found.is_none() {
            let tr = ctx.tok_range(q.close_end..sent.end);
            for i in tr {
                if ctx.in_quote(quotes, &ctx.toks[i]) {
                    continue;
                }
                if let Some(s) = ctx.subject(i) {
                    if ctx.speakerish(s) {
                        found = Some(ctx.resolve(s, quotes, &done));
                    }
                    break;
                }
            }
        }
        if found.is_none() {
            if let Some(s) = fallback {
                found = Some(ctx.resolve(s, quotes, &done));
            }
        }
        // F5: "Q." followed by a sentence with 이같이 / 이렇게 / 이처럼
        if found.is_none() && sent.end <= q.close_end {
            let next = sents.get(si + 1).cloned();
            if let Some(ns) = next {
                let s = &ctx.text[ns.clone()];
                if ["이같이", "이렇게", "이처럼", "이와 같이"].iter().any(|w| s.contains(w)) {
                    for i in ctx.tok_range(ns) {
                        if let Some(sj) = ctx.subject(i) {
                            if ctx.speakerish(sj) {
                                found = Some(ctx.resolve(sj, quotes, &done));
                                break;
                            }
                        }
                    }
                }
            }
        }
        // F8: X에 따르면
        if found.is_none() {
            let s = &ctx.text[sent.start..q.open];
            if let Some(p) = s.find("에 따르면") {
                let end = sent.start + p;
                let tr = ctx.tok_range(sent.start..end);
                if let Some(h) = tr.clone().last() {
                    let head_stem_end = ctx.toks[h].stem_end.min(end);
                    let sj = Subject { head: h, stem_end: head_stem_end, np_end: head_stem_end };
                    found = Some(ctx.resolve(sj, quotes, &done));
                }
            }
        }
        // F6: a headline or subhead, NAME “Q” (no verb)
        if found.is_none() && headline_like(&ctx.text[ctx.paras[q.para].clone()]) {
            if let Some(r) = name_before(ctx.text, q.open, ctx.gaz) {
                let entity = ctx.entity_ending(r.end).filter(|&e| ctx.entities[e].start == r.start);
                found = Some(Attribution { entity, text: Some(ctx.text[r].to_string()), carried: false });
            }
        }
        // F4: carried over from the previous quote of this or the previous paragraph
        if found.is_none() {
            if let Some((p, a)) = done.last() {
                let gap_ok = *p == q.para || (*p + 1 == q.para && !ctx.captions.get(*p).copied().unwrap_or(false));
                if gap_ok {
                    found = Some(Attribution { carried: true, ..a.clone() });
                }
            }
        }
        done.push((q.para, found.unwrap_or_default()));
    }
    let mut done = done.into_iter();
    quotes
        .iter()
        .map(|q| if attributed(q) { done.next().map(|(_, a)| a).unwrap_or_default() } else { Default::default() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::entities;
    use crate::extract::text::tokenize;

    /// (quote text, speaker name (entity canonical or text), carried) for every QUOTE.
    fn run(t: &str) -> Vec<(String, Option<String>, bool)> {
        let paras: Vec<Range<usize>> = {
            let mut v = Vec::new();
            let mut s = 0;
            for line in t.split('\n') {
                v.push(s..s + line.len());
                s += line.len() + 1;
            }
            v
        };
        let g = Gazetteer::builtin();
        let toks = tokenize(t, &paras, &|w| g.flags(w), crate::extract::gazetteer::flag::KNOWN);
        let quotes = find_marks(t, &paras, &g);
        let fixed: Vec<_> = quotes
            .iter()
            .filter(|q| q.kind != QKind::Quote)
            .map(|q| (q.inner.clone(), if q.kind == QKind::Term { "TERM" } else { "PRODUCT" }))
            .collect();
        let ents = entities::find(t, &toks, &g, &fixed, &[]);
        let caps = vec![false; paras.len()];
        let ctx = Ctx { text: t, paras: &paras, captions: &caps, toks: &toks, entities: &ents, figures: &[], gaz: &g };
        let atts = attribute(&ctx, &quotes);
        quotes
            .iter()
            .zip(atts)
            .filter(|(q, _)| q.kind == QKind::Quote)
            .map(|(q, a)| {
                let name = a.entity.map(|e| ents[e].canonical.clone()).or(a.text.clone());
                (t[q.inner.clone()].to_string(), name, a.carried)
            })
            .collect()
    }

    fn kinds(t: &str) -> Vec<(String, QKind)> {
        let g = Gazetteer::builtin();
        find_marks(t, &crate::extract::text::one_paragraph(t), &g)
            .into_iter()
            .map(|q| (t[q.inner.clone()].to_string(), q.kind))
            .collect()
    }

    #[test]
    fn note_examples() {
        // korean-extraction.md §4.6
        let r = run("한빛전자 김민수 대표는 14일 “올해 설비 투자를 두 배로 늘리겠다”고 말했다. 그러면서 “수요가 예상보다 빠르다”며 “공급망을 다시 점검하겠다”고 덧붙였다.");
        assert_eq!(r[0], ("올해 설비 투자를 두 배로 늘리겠다".into(), Some("김민수".into()), false));
        assert_eq!(r[1], ("수요가 예상보다 빠르다".into(), Some("김민수".into()), true));
        assert_eq!(r[2], ("공급망을 다시 점검하겠다".into(), Some("김민수".into()), true));
        let r = run("“금리 인하 효과는 하반기에 나타날 것”이라고 박지현 산업연구원 연구위원은 설명했다.");
        assert_eq!(r[0].1.as_deref(), Some("박지현"));
        let r = run("업계 관계자는 “재고가 빠르게 줄고 있다”고 전했다.");
        assert_eq!(r[0].1.as_deref(), Some("업계 관계자"));
        assert_eq!(
            kinds("시장에서는 ‘반도체 겨울론’이 다시 고개를 들고 있다."),
            vec![("반도체 겨울론".into(), QKind::Term)]
        );
    }

    #[test]
    fn frames() {
        // F5: a quote standing alone, then 이같이
        let r = run("\"결과를 받아들이겠다. 다음 경기를 잘 준비하겠다.\" 동해FC 한준호 감독은 경기 뒤 이같이 말했다.");
        assert_eq!(r[0].1.as_deref(), Some("한준호"));
        // F7: “Q”는 입장이다
        let r = run("반면 국민통합당은 “정부안 총액을 지켜야 한다”는 입장이다.");
        assert_eq!(r[0].1.as_deref(), Some("국민통합당"));
        // F8
        let r = run("기상청에 따르면 “폭염이 다음 주까지 이어진다”.");
        assert_eq!(r[0].1.as_deref(), Some("기상청"));
        // F9: an outlet reports
        let r = run("로이터통신은 10일(현지시간) 소식통을 인용해 “공장을 늘리기로 했다”고 보도했다.");
        assert_eq!(r[0].1.as_deref(), Some("로이터통신"));
        // 그는 and 이 관계자는 point back
        let r = run("정태호 산업부 차관은 “높이겠다”고 밝혔다. 그는 “의존도가 높다”고 지적했다.\n국회 관계자는 “어렵다”고 전했다. 이 관계자는 “다음 주에 열린다”고 덧붙였다.");
        assert_eq!(r[1].1.as_deref(), Some("정태호"));
        assert_eq!(r[2].1.as_deref(), Some("국회 관계자"));
        assert_eq!(r[3].1.as_deref(), Some("국회 관계자"));
        // X 측은
        let r = run("룽신에너지 측은 “일정은 정해지지 않았다”고 밝혔다.");
        assert_eq!(r[0].1.as_deref(), Some("룽신에너지"));
        // the lawyer speaks, not the person before 측
        let r = run("유정석 전 대표 측 변호인은 “항소하겠다”고 말했다.");
        assert_eq!(r[0].1.as_deref(), Some("유정석 전 대표 측 변호인"));
        // 의 phrases and 한 are not part of the speaker text
        let r = run("서울 송파구의 한 공인중개사는 “호가가 올랐다”고 말했다.");
        assert_eq!(r[0].1.as_deref(), Some("공인중개사"));
    }

    #[test]
    fn headline_frame() {
        // F6: NAME “Q” / NAME, ‘Q’ in a headline or subhead, no reporting verb
        let r = run("김민수 “설비 투자 두 배로”");
        assert_eq!(r, vec![("설비 투자 두 배로".to_string(), Some("김민수".to_string()), false)]);
        let r = run("박서준, ‘가온 3 오픈소스로 푼다’");
        assert_eq!(r[0].1.as_deref(), Some("박서준"));
        // in body text a single-quoted phrase after a name stays a term
        assert_eq!(kinds("박서준은 ‘오픈소스 전략’을 내세웠다."), vec![("오픈소스 전략".into(), QKind::Term)]);
    }

    #[test]
    fn terms_products_and_scare_quotes() {
        assert_eq!(kinds("가온 3은 업계에서 “게임 체인저”로 불린다."), vec![("게임 체인저".into(), QKind::Term)]);
        assert_eq!(kinds("추론 전용 칩 ‘NX-200’도 개발한다."), vec![("NX-200".into(), QKind::Product)]);
        assert_eq!(kinds("최고 단계인 ‘심각’으로 유지했다."), vec![("심각".into(), QKind::Term)]);
        // a single-quoted sentence with 라고 + verb is a quote
        assert_eq!(kinds("그는 ‘이제 시작이다’라고 적었다."), vec![("이제 시작이다".into(), QKind::Quote)]);
        // a double-quoted stance is a quote, not a term
        assert_eq!(kinds("“총액을 지켜야 한다”는 입장이다."), vec![("총액을 지켜야 한다".into(), QKind::Quote)]);
        // ASCII single quotes are terms too; apostrophes in Latin words are not quotes
        assert_eq!(kinds("통계청이 발표한 '인구동향'에 따르면 Moody's 등급은"), vec![("인구동향".into(), QKind::Term)]);
        // straight quotes pair by parity; an unbalanced mark pairs with nothing
        assert_eq!(kinds("그는 \"좋다\"고 했다. \"끝"), vec![("좋다".into(), QKind::Quote)]);
    }
}
