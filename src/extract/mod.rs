//! `gisa extract`: a built-in, rule-based extractor for Korean news text (no model files, no
//! network). It turns a plain article into an [`Article`] with four kinds of annotations, all in
//! layer [`LAYER`]:
//!
//! - **quotes** (`QUOTE`) with the speaker entity (`speaker`) and the speaker phrase
//!   (`speaker_text`), see [`quotes`];
//! - **figures** (`MONEY`, `PERCENT`, `QUANTITY`, `DATE`, `DURATION`) with `value`, `unit`,
//!   `approx`, `bound`, see [`figures`];
//! - **entities** (`PERSON`, `ORG`, `LOC`, `PRODUCT`, `TERM`) with `canonical`, see [`entities`]
//!   and the editable [`gazetteer`];
//! - **captions** (`CAPTION`) over whole caption paragraphs, see [`captions`].
//!
//! The text is cleaned with [`crate::clean::clean`] (NFC, controls out), split into lines; the
//! headline becomes the title, a date line (`입력 2025.03.14 10:32`) the publication date,
//! boilerplate (bylines, e-mail, copyright, related-article lines) and the dateline byline
//! (`(서울=연합뉴스) 홍길동 기자 = `) leave the text and are kept in `extra`. Relative dates resolve
//! against [`ExtractOptions::published`], else the date line. Rules and examples:
//! `korean-extraction.md`; annotation conventions: `tests/eval/README.md`.
//!
//! Values: money in its currency, `%` and `pp`, watts for power, the fraction for `ratio`;
//! dates as numbers by grain (`date:year` 2025, `date:half` 20252, `date:quarter` 20261,
//! `date:month` 202408, `date:day` 20250321, `date:week` the Monday 20250303). Fields the model
//! has no slot for go to `extra` (kept and written back on export): on quotes `carried: true`
//! (speaker taken over from an earlier quote); on figures `range: [lo, hi]` (`수천억`, `15~29세`)
//! and, when no publication date is known, `date: "year+1"`; on captions `credit` and
//! `position_marker`; on the article `tags` (`[단독]`), `dateline`, `boilerplate` (the lines left
//! out) and `title_quotes` (`[{"quote", "speaker"}]`, frame F6 in the headline).

pub mod boilerplate;
pub mod captions;
pub mod dates;
pub mod entities;
pub mod figures;
pub mod gazetteer;
pub mod hangul;
pub mod numerals;
pub mod quotes;
pub mod text;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::clean::clean;
use crate::ingest::{self, LoadError, Loaded};
use crate::model::{self, Annotation, Article, Kind, Name};

pub use dates::Ymd;
pub use gazetteer::Gazetteer;

/// The layer of every annotation the extractor makes.
pub const LAYER: &str = "gisa-extract";

/// Settings of one extraction.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// The publication date relative dates resolve against (`--published`); when `None`, a date
    /// line in the text is used, else relative dates stay unresolved.
    pub published: Option<Ymd>,
    /// The gazetteer (built-in lists, possibly extended by a user file).
    pub gazetteer: Arc<Gazetteer>,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions { published: None, gazetteer: Arc::new(Gazetteer::builtin()) }
    }
}

impl ExtractOptions {
    /// Options with a publication date given as `YYYY-MM-DD`.
    pub fn with_published(date: &str) -> Result<ExtractOptions, String> {
        let d = Ymd::parse(date).ok_or_else(|| format!("--published {date:?}: expected a date as YYYY-MM-DD"))?;
        Ok(ExtractOptions { published: Some(d), ..Default::default() })
    }

    /// Adds a user gazetteer file to the lists (one-line error naming the file and line).
    pub fn add_gazetteer_file(&mut self, path: &Path) -> Result<(), String> {
        let mut g = (*self.gazetteer).clone();
        g.extend_from_file(path).map_err(|e| e.to_string())?;
        self.gazetteer = Arc::new(g);
        Ok(())
    }
}

/// The structure of a plain article: title, paragraphs, and what was left out.
#[derive(Debug, Clone, Default)]
struct Layout {
    title: String,
    tags: Vec<String>,
    date_line: Option<Ymd>,
    dateline: Option<String>,
    boilerplate: Vec<String>,
    text: String,
    paras: Vec<Range<usize>>,
}

/// True when `s` has no spacing that [`normalize_line`] would change inside a line: no tab, no
/// NBSP (C2 A0; any C2 lead counts), no two spaces in a row, no ideographic space.
fn plain_spacing(s: &str) -> bool {
    // searchers built once
    static FINDERS: std::sync::OnceLock<[memchr::memmem::Finder<'static>; 2]> = std::sync::OnceLock::new();
    let [two_spaces, ideographic] = FINDERS
        .get_or_init(|| [memchr::memmem::Finder::new(b"  "), memchr::memmem::Finder::new("\u{3000}".as_bytes())]);
    let b = s.as_bytes();
    memchr::memchr2(b'\t', 0xC2, b).is_none() && two_spaces.find(b).is_none() && ideographic.find(b).is_none()
}

/// One line with its spacing normalised: spaces, tabs, NBSP and ideographic spaces inside it
/// become one space, and none is left at either end. `plain` says that [`plain_spacing`] holds
/// for the line (it was tested on the whole text at once): only the ends are trimmed.
fn normalize_line(line: &str, plain: bool) -> std::borrow::Cow<'_, str> {
    if plain || plain_spacing(line) {
        return std::borrow::Cow::Borrowed(line.trim_matches(' '));
    }
    let mut out = String::with_capacity(line.len());
    let mut space = false;
    for c in line.chars() {
        if c == ' ' || c == '\u{00A0}' || c == '\u{3000}' || c == '\t' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

fn layout(cleaned: &str) -> Layout {
    let mut lay = Layout::default();
    // lines and paragraphs sized once from the text length (news lines are rarely shorter)
    let mut body: Vec<std::borrow::Cow<str>> = Vec::with_capacity(cleaned.len() / 64 + 4);
    // one test of the spacing for the whole text: most texts need no line normalised
    let plain = plain_spacing(cleaned);
    let b = cleaned.as_bytes();
    let mut from = 0;
    while from <= b.len() {
        let to = memchr::memchr(b'\n', &b[from..]).map_or(b.len(), |k| from + k);
        let raw = &cleaned[from..to];
        from = to + 1;
        let line = normalize_line(raw, plain);
        if line.is_empty() {
            continue;
        }
        match boilerplate::classify(&line) {
            boilerplate::Line::Body => body.push(line),
            boilerplate::Line::Date(d) => {
                lay.date_line.get_or_insert(d);
                lay.boilerplate.push(line.into_owned());
            }
            boilerplate::Line::Boilerplate(_) => lay.boilerplate.push(line.into_owned()),
        }
    }
    let mut first = 0;
    if body.len() >= 2 && boilerplate::looks_like_headline(&body[0]) {
        let (t, tags) = boilerplate::strip_tags(&body[0]);
        lay.title = t;
        lay.tags = tags;
        first = 1;
    }
    let mut skip = vec![0usize; body.len()];
    for (i, p) in body.iter().enumerate().skip(first).take(3) {
        let n = boilerplate::dateline_prefix(p);
        if n > 0 && n < p.len() {
            lay.dateline = Some(p[..n].trim().to_string());
            skip[i] = n + (p.len() - n - p[n..].trim_start().len());
            break;
        }
    }
    let mut text = String::with_capacity(body.iter().map(|p| p.len() + 1).sum());
    lay.paras.reserve_exact(body.len());
    for (i, p) in body.iter().enumerate().skip(first) {
        if i > first {
            text.push('\n');
        }
        let s = text.len();
        text.push_str(&p[skip[i]..]);
        lay.paras.push(s..text.len());
    }
    lay.text = text;
    lay
}

/// True when [`clean`] would return `s` unchanged, decided cheaply: every character is printable
/// ASCII, a line feed, or in a range that is NFC-stable, has a display width and is never
/// removed (Hangul syllables, CJK ideographs, common punctuation and symbols). Anything else
/// (controls, tabs, CR, zero-width or combining characters, compatibility ideographs) goes
/// through `clean`.
fn already_clean(s: &str) -> bool {
    // chunks of 64 bytes are tested with branch-free byte predicates first; only a chunk with a
    // byte that needs a look (a control, a lead byte other than Hangul syllables' EA..ED, or an
    // EA / ED lead that does not start a syllable) is walked character by character
    const CHUNK: usize = 64;
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let end = (i + CHUNK).min(b.len());
        // a whole chunk and the two bytes after it, as a fixed-size array: the loop is vectorised
        let full = b.get(i..i + CHUNK + 2).and_then(|c| <&[u8; CHUNK + 2]>::try_from(c).ok());
        let (look, odd_lead) = if let Some(c) = full {
            // E2 and C2 leads are fine when they start U+2010..U+2027 (dashes, quotes “”, …) or a
            // Latin-1 sign (·): decided with the two bytes after them
            let (mut look, mut odd) = (false, false);
            for k in 0..CHUNK {
                let (x, y, z) = (c[k], c[k + 1], c[k + 2]);
                look |= (x < 0x20 && x != b'\n')
                    | (x == 0x7F)
                    | (x >= 0xC0 && !(0xEA..=0xED).contains(&x) && x != 0xE2 && x != 0xC2);
                odd |= ((x == 0xEA) & (y < 0xB0))
                    | ((x == 0xED) & (y > 0x9D))
                    | ((x == 0xE2) & !((y == 0x80) & (0x90..=0xA7).contains(&z)))
                    | ((x == 0xC2) & !((0xA1..=0xBF).contains(&y) & (y != 0xAD)));
            }
            (look, odd)
        } else {
            let look = b[i..end].iter().fold(false, |acc, &x| {
                acc | (x < 0x20 && x != b'\n') | (x == 0x7F) | (x >= 0xC0 && !(0xEA..=0xED).contains(&x))
            });
            let pairs_end = (end + 1).min(b.len());
            let odd_lead = b[i..pairs_end - 1]
                .iter()
                .zip(&b[i + 1..pairs_end])
                .fold(false, |acc, (&x, &y)| acc | ((x == 0xEA) & (y < 0xB0)) | ((x == 0xED) & (y > 0x9D)));
            (look, odd_lead)
        };
        if !(look || odd_lead) {
            i = end;
            continue;
        }
        // back to the start of the character, then one character at a time to the chunk end
        while i > 0 && b[i] & 0xC0 == 0x80 {
            i -= 1;
        }
        while i < end {
            match clean_char_len(s, i) {
                Some(n) => i += n,
                None => return false,
            }
        }
    }
    true
}

/// The byte length of the character at `s[i..]` when [`clean`] leaves it alone whatever its
/// neighbours (see [`already_clean`]), else `None`.
fn clean_char_len(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    let x = b[i];
    if x < 0x80 {
        return ((0x20..0x7F).contains(&x) || x == b'\n').then_some(1);
    }
    if crate::clean::hangul_len_at(b, i) == 3 {
        return Some(3);
    }
    let c = s[i..].chars().next()?;
    let ok = matches!(c as u32,
        0xAC00..=0xD7A3          // Hangul syllables
        | 0x4E00..=0x9FFF        // CJK ideographs (not the compatibility block)
        | 0x3001..=0x3003 | 0x3008..=0x3011 | 0x3131..=0x3163 | 0x3165..=0x318E // CJK punctuation, jamo (no filler)
        | 0x3200..=0x321E | 0x3220..=0x33FF // enclosed CJK, ㎿ ㏊ ㎡
        | 0x2010..=0x2027 | 0x2030..=0x205E // dashes, quotes, bullets, ‰ (no separators, no invisible)
        | 0x2100..=0x2125 | 0x2127..=0x2129 | 0x212C..=0x214F // letterlike, without Ω K Å (NFC maps them)
        | 0x2190..=0x21FF | 0x2460..=0x24FF | 0x2500..=0x27BF // symbols, arrows, ①ⓒ, shapes ▲☞
        | 0xFF01..=0xFF5E        // full-width forms
        | 0xA1..=0xAC | 0xAE..=0xBF | 0xD7 | 0xF7 // Latin-1 signs (no soft hyphen)
    );
    ok.then(|| c.len_utf8())
}

/// Extracts an annotated article from plain text (a `.txt` file's content).
///
/// The result has `id`, `title` (the headline, tags such as `[단독]` in `extra["tags"]`),
/// `published` (the option, else the date line), the cleaned text and the annotations, in
/// reading order. The article is valid by construction (unique ids, speakers that name entity
/// annotations, no claimed texts), so [`ingest::validate`] would find nothing: tests check that
/// on the evaluation set and on generated text, and the extractor does not pay for the checks.
pub fn extract_text(id: &str, raw_text: &str, opts: &ExtractOptions) -> Article {
    let cleaned: std::borrow::Cow<str> = if already_clean(raw_text) {
        std::borrow::Cow::Borrowed(raw_text)
    } else {
        std::borrow::Cow::Owned(clean(raw_text).0)
    };
    let lay = layout(&cleaned);
    let published = opts.published.or(lay.date_line);
    let gaz = &*opts.gazetteer;
    let text = lay.text.as_str();
    let paras = &lay.paras;

    // captions
    let captions: Vec<Option<captions::Caption>> = paras
        .iter()
        .enumerate()
        .map(|(i, r)| captions::caption(&text[r.clone()], i == 0 && !lay.title.is_empty()))
        .collect();
    let is_caption: Vec<bool> = captions.iter().map(Option::is_some).collect();

    // figures, quote marks, tokens, entities
    let mut figs = figures::scan(text, paras, published);
    let marks = quotes::find_marks(text, paras, gaz);
    let toks = text::tokenize(text, paras, &|w| gaz.flags(w), gazetteer::flag::KNOWN);
    let fixed: Vec<(Range<usize>, &'static str)> = marks
        .iter()
        .filter(|q| q.kind != quotes::QKind::Quote)
        .map(|q| (q.inner.clone(), if q.kind == quotes::QKind::Term { "TERM" } else { "PRODUCT" }))
        .collect();
    let fig_ranges: Vec<Range<usize>> = figs.iter().map(|f| f.start..f.end).collect();
    let ents = entities::find(text, &toks, gaz, &fixed, &fig_ranges);
    // numbers inside product names are no figures (가온 3, 이오 7)
    let mut products: Vec<Range<usize>> = fixed
        .iter()
        .filter(|(_, l)| *l == "PRODUCT")
        .map(|(r, _)| r.clone())
        .chain(ents.iter().filter(|e| e.label == "PRODUCT").map(|e| e.start..e.end))
        .collect();
    if !products.is_empty() {
        // sorted by start, with the furthest end so far: one binary search per figure
        products.sort_by_key(|r| r.start);
        let mut reach = Vec::with_capacity(products.len());
        let mut far = 0;
        for r in &products {
            far = far.max(r.end);
            reach.push(far);
        }
        figs.retain(|f| {
            let before = products.partition_point(|r| r.start < f.end);
            !(before > 0 && reach[before - 1] > f.start)
        });
    }
    let ctx = quotes::Ctx { text, paras, captions: &is_caption, toks: &toks, entities: &ents, figures: &figs, gaz };
    let mut atts = quotes::attribute(&ctx, &marks);

    // annotations: ids first, then built once in reading order (what validate sorts by), so that
    // no annotation is moved around by a sort or a growing vector
    #[derive(Clone, Copy)]
    enum Src {
        Entity(usize),
        Quote(usize),
        Figure(usize),
        Caption(usize),
    }
    // entities (with quote-decided terms and products), numbered in reading order
    let n_ents = ents.len();
    let mut all_ents: Vec<(Range<usize>, &'static str, String, Option<usize>)> =
        Vec::with_capacity(n_ents + fixed.len());
    for (r, l) in &fixed {
        if !ents.iter().any(|e| e.start == r.start && e.end == r.end) {
            all_ents.push((r.clone(), l, text[r.clone()].to_string(), None));
        }
    }
    let speakers_need: Vec<bool> = {
        let mut v = vec![false; n_ents];
        for a in &atts {
            if let Some(e) = a.entity {
                v[e] = true;
            }
        }
        v
    };
    all_ents.extend(ents.into_iter().enumerate().map(|(i, e)| (e.start..e.end, e.label, e.canonical, Some(i))));
    all_ents.sort_by_key(|(r, ..)| (r.start, std::cmp::Reverse(r.end)));
    // four runs, each in reading order as built: entities, quotes, figures, captions
    let mut ent_id: Vec<Option<String>> = vec![None; n_ents];
    let mut ent_items = Vec::with_capacity(all_ents.len());
    for (n, (r, _, _, src)) in all_ents.iter().enumerate() {
        let id = ann_id('e', n + 1);
        if let Some(i) = src.filter(|&i| speakers_need[i]) {
            ent_id[i] = Some(id.clone());
        }
        ent_items.push((r.clone(), id, Src::Entity(n)));
    }
    let mut quote_items = Vec::with_capacity(marks.len());
    for (i, q) in marks.iter().enumerate() {
        if q.kind != quotes::QKind::Quote || is_caption[q.para] {
            continue;
        }
        quote_items.push((q.inner.clone(), ann_id('q', quote_items.len() + 1), Src::Quote(i)));
    }
    let fig_items: Vec<_> =
        figs.iter().enumerate().map(|(n, f)| (f.start..f.end, ann_id('f', n + 1), Src::Figure(n))).collect();
    let mut cap_items = Vec::new();
    for (i, c) in captions.iter().enumerate() {
        if c.is_some() {
            cap_items.push((paras[i].clone(), ann_id('c', cap_items.len() + 1), Src::Caption(i)));
        }
    }
    let mut runs = [ent_items, quote_items, fig_items, cap_items];
    let order = merged_in_reading_order(&runs);
    let mut anns: Vec<Annotation> = Vec::with_capacity(order.len());
    for (k, j) in order {
        let (r, id, src) = &mut runs[k][j];
        let (r, id, src) = (r.clone(), std::mem::take(id), *src);
        let (kind, label) = match src {
            Src::Entity(n) => (Kind::Entity, all_ents[n].1),
            Src::Quote(_) => (Kind::Quote, "QUOTE"),
            Src::Figure(n) => (Kind::Figure, figs[n].label),
            Src::Caption(_) => (Kind::Caption, "CAPTION"),
        };
        // filled in place: an annotation is large, and moving it costs a copy
        anns.push(Annotation::new(id, kind, label, r.start, r.end));
        let Some(a) = anns.last_mut() else { continue };
        a.layer = Name::Borrowed(LAYER);
        match src {
            Src::Entity(n) => a.canonical = Some(std::mem::take(&mut all_ents[n].2)),
            Src::Quote(i) => {
                let att = &mut atts[i];
                a.speaker = att.entity.and_then(|e| ent_id[e].clone());
                a.speaker_text = att.text.take();
                if att.carried {
                    a.extra.insert("carried".into(), Value::Bool(true));
                }
            }
            Src::Figure(n) => {
                let f = &figs[n];
                a.value = f.value;
                a.unit = f.unit.filter(|u| !u.is_empty()).map(Name::Borrowed);
                a.approx = Some(f.approx);
                a.bound = f.bound.map(Name::Borrowed);
                if let Some(d) = &f.date {
                    a.extra.insert("date".into(), Value::String(d.clone()));
                }
                if let Some((lo, hi)) = f.range {
                    a.extra.insert("range".into(), json!([ingest::number(lo), ingest::number(hi)]));
                }
            }
            Src::Caption(i) => {
                if let Some(c) = &captions[i] {
                    if let Some(cr) = &c.credit {
                        a.extra.insert("credit".into(), Value::String(cr.clone()));
                    }
                    if let Some(p) = &c.position {
                        a.extra.insert("position_marker".into(), Value::String(p.clone()));
                    }
                }
            }
        }
    }

    let mut extra = Map::new();
    let tq = title_quotes(&lay.title, gaz);
    if !tq.is_empty() {
        extra.insert("title_quotes".into(), Value::Array(tq));
    }
    if !lay.tags.is_empty() {
        extra.insert("tags".into(), strings(lay.tags));
    }
    if let Some(d) = &lay.dateline {
        extra.insert("dateline".into(), Value::String(d.clone()));
    }
    if !lay.boilerplate.is_empty() {
        extra.insert("boilerplate".into(), strings(lay.boilerplate));
    }
    let mut article = Article {
        id: id.to_string(),
        title: lay.title,
        published: published.map(|d| d.to_string()).unwrap_or_default(),
        text: lay.text,
        annotations: anns,
        extra,
        ..Default::default()
    };
    // built in reading order; sorting only checks that
    article.sort_annotations();
    debug_assert!(
        {
            let mut checked = article.clone();
            ingest::validate(&mut checked);
            checked == article
        },
        "validate finds nothing in extracted articles"
    );
    article
}

/// One annotation to be: its span, its id, and where the rest of it comes from.
type Item<S> = (Range<usize>, String, S);

/// The positions `(run, index)` of the items of `runs` in reading order ([`model::reading_order`],
/// as [`Article::sort_annotations`] sorts): by start, the longer span first, then by id. Ids are
/// unique, so the order is total and any correct sort gives it. Each run is usually in that order
/// already (the extractor builds them so): then the runs are merged, else all items sorted.
fn merged_in_reading_order<S>(runs: &[Vec<Item<S>>; 4]) -> Vec<(usize, usize)> {
    let order = |a: &Item<S>, b: &Item<S>| model::reading_order((a.0.start, a.0.end, &a.1), (b.0.start, b.0.end, &b.1));
    let mut out = Vec::with_capacity(runs.iter().map(Vec::len).sum());
    if runs.iter().all(|r| r.is_sorted_by(|a, b| order(a, b).is_le())) {
        let mut pos = [0usize; 4];
        loop {
            let mut best: Option<usize> = None;
            for (k, r) in runs.iter().enumerate() {
                let Some(x) = r.get(pos[k]) else { continue };
                if best.is_none_or(|b| order(x, &runs[b][pos[b]]).is_lt()) {
                    best = Some(k);
                }
            }
            let Some(k) = best else { break };
            out.push((k, pos[k]));
            pos[k] += 1;
        }
    } else {
        out.extend(runs.iter().enumerate().flat_map(|(k, r)| (0..r.len()).map(move |j| (k, j))));
        out.sort_by(|&(a, i), &(b, j)| order(&runs[a][i], &runs[b][j]));
    }
    out
}

/// A JSON array of strings, built directly (the serde path of `json!` costs code and time).
fn strings(v: Vec<String>) -> Value {
    Value::Array(v.into_iter().map(Value::String).collect())
}

/// An annotation id: a letter and a number (`e12`), without the formatting machinery.
fn ann_id(prefix: char, n: usize) -> String {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut v = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let mut id = String::with_capacity(digits.len() - i + 1);
    id.push(prefix);
    // ASCII digits: pushed as chars, no UTF-8 validation of a byte buffer
    id.extend(digits[i..].iter().map(|&d| char::from(d)));
    id
}

/// Sets every annotation's `text` to the text it covers (the extractor leaves `text` empty: the
/// offsets say it; the `gisa extract` command fills it in for people reading the JSON).
pub fn fill_span_texts(article: &mut Article) {
    for a in &mut article.annotations {
        if a.text.is_none() {
            a.text = article.text.get(a.range()).map(str::to_string);
        }
    }
}

/// Quotes in the headline (frame F6, `김민수 “투자 두 배로”`): `{"quote", "speaker"}` objects
/// (the title carries no annotations, so they go to `extra["title_quotes"]`).
fn title_quotes(title: &str, gaz: &Gazetteer) -> Vec<Value> {
    if title.is_empty() || !title.contains(['“', '"', '‘', '\'']) {
        return Vec::new();
    }
    let paras = text::one_paragraph(title);
    quotes::find_marks(title, &paras, gaz)
        .iter()
        .filter(|q| q.kind == quotes::QKind::Quote)
        .filter_map(|q| {
            let speaker = quotes::headline_speaker(title, q.open, gaz)?;
            let mut o = Map::new();
            o.insert("quote".into(), Value::String(title[q.inner.clone()].to_string()));
            o.insert("speaker".into(), Value::String(speaker.to_string()));
            Some(Value::Object(o))
        })
        .collect()
}

/// Reads a plain-text article file and extracts it: the `.txt` loader of the reader and of
/// `gisa print`. The article id is the file name without extension. Undecodable files (UTF-16,
/// binary, Latin-1) give the same one-line errors as the native loader.
pub fn load_txt(path: &Path, opts: &ExtractOptions) -> Result<Loaded, LoadError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| LoadError::new(&name, "", format!("cannot read: {e}")))?;
    let id = path.file_stem().map_or_else(|| "article".to_string(), |s| s.to_string_lossy().into_owned());
    let mut loaded = load_txt_bytes(&name, &id, &bytes, opts)?;
    loaded.path = path.to_path_buf();
    Ok(loaded)
}

/// Like [`load_txt`] for bytes already read (standard input: `name` = `-`).
pub fn load_txt_bytes(name: &str, id: &str, bytes: &[u8], opts: &ExtractOptions) -> Result<Loaded, LoadError> {
    let text = ingest::decode(name, bytes)?;
    let article = extract_text(id, text, opts);
    Ok(Loaded { path: PathBuf::from(name), articles: vec![article], problems: Vec::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: &str = "[단독] 한빛전자, 투자 확대\n입력 2025.03.14 10:32\n\n(서울=가상뉴스) 이수진 기자 = 한빛전자 김민수 대표는 14일 “올해 투자를 두 배로 늘리겠다”고 말했다.\n\n김 대표는 이날 ‘반도체 겨울론’을 일축했다.\n\n한빛전자 김민수 대표가 발언하고 있다. (사진=한빛전자 제공)\n\n이수진 기자 sujin@gasang.news\nⓒ 가상뉴스, 무단 전재 및 재배포 금지\n";

    proptest::proptest! {
        /// Merging the runs gives the order a sort of all items gives, whether or not each run
        /// is in order (ties on the span are broken by id, as strings: `e10` before `e9`).
        #[test]
        fn reading_order_is_the_sorted_order(
            spans in proptest::array::uniform4(proptest::collection::vec((0usize..6, 0usize..3), 0..12)),
            sort_runs in proptest::bool::ANY,
        ) {
            let order = |a: &Item<()>, b: &Item<()>| model::reading_order((a.0.start, a.0.end, &a.1), (b.0.start, b.0.end, &b.1));
            let mut runs: [Vec<Item<()>>; 4] = Default::default();
            for (k, run) in spans.iter().enumerate() {
                for (n, &(s, len)) in run.iter().enumerate() {
                    runs[k].push((s..s + len, ann_id(['e', 'q', 'f', 'c'][k], n + 1), ()));
                }
                if sort_runs {
                    runs[k].sort_by(|a, b| order(a, b));
                }
            }
            let got: Vec<&Item<()>> = merged_in_reading_order(&runs).into_iter().map(|(k, j)| &runs[k][j]).collect();
            let mut want: Vec<&Item<()>> = runs.iter().flatten().collect();
            want.sort_by(|a, b| order(a, b));
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn whole_article() {
        let a = extract_text("t1", RAW, &ExtractOptions::default());
        assert_eq!(a.title, "한빛전자, 투자 확대");
        assert_eq!(a.published, "2025-03-14");
        assert!(a.text.starts_with("한빛전자 김민수 대표는 14일"), "{}", a.text);
        assert_eq!(a.text.lines().count(), 3);
        assert_eq!(a.extra["tags"], json!(["단독"]));
        assert!(a.extra.get("title_quotes").is_none());
        let b = extract_text("t2", "김민수 대표 “투자 두 배로”\n본문이다. 다른 문장이다.", &ExtractOptions::default());
        assert_eq!(b.extra["title_quotes"], json!([{"quote": "투자 두 배로", "speaker": "김민수"}]));
        assert_eq!(a.extra["dateline"], json!("(서울=가상뉴스) 이수진 기자 ="));
        assert_eq!(a.extra["boilerplate"].as_array().map(Vec::len), Some(3));
        assert!(a.problems.is_empty(), "{:?}", a.problems);
        let find = |kind: Kind, s: &str| a.annotations.iter().find(|x| x.kind == kind && a.span_text(x) == s);
        let q = find(Kind::Quote, "올해 투자를 두 배로 늘리겠다").expect("quote");
        assert_eq!(a.speaker_name(q).as_deref(), Some("김민수"));
        assert_eq!(q.layer, LAYER);
        let f = find(Kind::Figure, "14일").expect("date");
        assert_eq!(f.value, Some(20250314.0));
        assert_eq!(find(Kind::Figure, "두 배").and_then(|x| x.value), Some(2.0));
        assert_eq!(find(Kind::Entity, "반도체 겨울론").map(|x| &*x.label), Some("TERM"));
        let kim = find(Kind::Entity, "김").expect("surname reference");
        assert_eq!(kim.canonical.as_deref(), Some("김민수"));
        let c = a.annotations.iter().find(|x| x.kind == Kind::Caption).expect("caption");
        assert_eq!(a.span_text(c), "한빛전자 김민수 대표가 발언하고 있다. (사진=한빛전자 제공)");
        // texts are filled on request and agree with the spans
        let mut a = a;
        assert!(a.annotations.iter().all(|x| x.text.is_none()));
        fill_span_texts(&mut a);
        for x in &a.annotations {
            assert_eq!(x.text.as_deref(), Some(a.span_text(x)));
        }
        let before = a.clone();
        crate::ingest::validate(&mut a);
        assert_eq!(a, before, "validate finds nothing to flag");
    }

    #[test]
    fn lines_are_normalised_whether_or_not_the_text_is_plain() {
        let paras = |text: &str| {
            let lay = layout(text);
            lay.paras.iter().map(|r| lay.text[r.clone()].to_string()).collect::<Vec<_>>()
        };
        // plain spacing everywhere: lines are only trimmed, empty lines dropped
        let plain = " 첫째 문단입니다. \n\n 둘째 문단입니다.\n";
        assert!(plain_spacing(plain));
        assert_eq!(paras(plain), ["첫째 문단입니다.", "둘째 문단입니다."]);
        // one odd line makes the text not plain: every line is still normalised on its own
        for odd in ["두  칸", "탭\t문자", "줄\u{a0}바꿈 없는 공백", "전각\u{3000}공백"] {
            let text = format!("첫째 문단입니다.\n {odd} 끝 \n셋째 문단.");
            assert!(!plain_spacing(&text), "{odd:?}");
            let got = paras(&text);
            assert_eq!(got[0], "첫째 문단입니다.");
            assert_eq!(
                got[1],
                format!(
                    "{} 끝",
                    odd.split([' ', '\t', '\u{a0}', '\u{3000}'])
                        .filter(|w| !w.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            );
            assert_eq!(got[2], "셋째 문단.");
        }
    }

    #[test]
    fn the_clean_fast_path_agrees_with_clean() {
        // characters of every range the fast path accepts are left alone by clean()
        let samples = [
            "한빛전자 “투자” ‘겨울론’ 5조3천억원… 美 中 ㎿ ㏊ ㎡ ① ⓒ ▲ △ ☞ ▶ → ％ １２ ‰ · — – ― 〈》「」【】 ㄱㅎ © ° × ÷",
            "plain ASCII ~!@#$%^&*()_+{}|:<>?`-=[]\\;',./ 0123456789\nline",
        ];
        for s in samples {
            assert!(already_clean(s), "{s}");
            assert_eq!(clean(s).0, s);
        }
        // exhaustively: every character the fast path accepts is one clean() leaves alone
        for u in 0..0x1_0000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let s = format!("가{c}나");
            if already_clean(&s) {
                assert_eq!(clean(&s).0, s, "U+{u:04X}");
            }
        }
        // what clean changes is never taken for clean
        for s in [
            "\u{2126}",
            "\u{212B}",
            "a\tb",
            "a\r\nb",
            "\u{1b}[31m",
            "가\u{200b}나",
            "\u{1100}\u{1161}",
            "\u{F900}",
            "soft\u{ad}hyphen",
            "\u{3164}",
            "\u{2028}",
        ] {
            assert!(!already_clean(s), "{s:?}");
        }
    }

    #[test]
    fn the_chunk_test_agrees_with_the_character_walk_on_two_and_three_byte_signs() {
        // C2 and E2 leads are decided in the chunk test by the two bytes after them (when the
        // text goes on): every character of those blocks, at several offsets inside a long text
        for u in (0x80..0x100u32).chain(0x2000..0x2100) {
            let Some(c) = char::from_u32(u) else { continue };
            for lead in ["", "a", "ab"] {
                let s = format!("{lead}{}{c}끝{}", "한".repeat(20), "한".repeat(30));
                let walk = s.char_indices().all(|(i, _)| clean_char_len(&s, i).is_some());
                assert_eq!(already_clean(&s), walk, "U+{u:04X} after {lead:?}");
            }
        }
    }

    #[test]
    fn the_clean_fast_path_sees_every_position_of_a_chunk() {
        // a character at any offset (across the 64-byte chunks, after 1- and 3-byte characters)
        for lead in ["", "a", "ab", "가", "가a"] {
            for n in 0..70 {
                let prefix: String = lead.to_string() + &"한 ".repeat(n);
                for good in ['힣', '가', '“', '·', '\n', '깋'] {
                    let s = format!("{prefix}{good}끝");
                    assert!(already_clean(&s), "{s:?}");
                }
                // characters outside the fast path's list go through clean(): U+A000 (EA 80 80),
                // U+D7B0 (ED 9E B0), U+D7A4 (ED 9E A4), a tab, a zero-width space, DEL
                for bad in ['\u{A000}', '\u{D7B0}', '\u{D7A4}', '\t', '\u{200B}', '\u{7F}'] {
                    let s = format!("{prefix}{bad}끝");
                    assert!(!already_clean(&s), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn published_option_wins_and_relative_dates_need_a_date() {
        let opts = ExtractOptions::with_published("2025-01-01").unwrap();
        let a = extract_text("t", "내년 예산이 늘었다.", &opts);
        assert_eq!(a.annotations[0].value, Some(2026.0));
        let a = extract_text("t", "내년 예산이 늘었다.", &ExtractOptions::default());
        assert_eq!(a.annotations[0].value, None);
        assert_eq!(a.annotations[0].extra["date"], json!("year+1"));
        assert!(ExtractOptions::with_published("2025-13-01").is_err());
    }

    #[test]
    fn ids() {
        assert_eq!(ann_id('e', 1), "e1");
        assert_eq!(ann_id('q', 10), "q10");
        assert_eq!(ann_id('f', 1234), "f1234");
        assert_eq!(ann_id('c', 0), "c0");
    }

    #[test]
    fn odd_input_never_panics() {
        for s in
            ["", "\n\n", "“", "”고 말했다", "‘’", "1,", "수", "3분의", "2대", "~5%", "\u{1b}[31m빨강", "가\u{0301}"]
        {
            let a = extract_text("x", s, &ExtractOptions::default());
            for x in &a.annotations {
                assert!(x.start <= x.end && x.end <= a.text.len());
            }
        }
    }

    #[test]
    fn load_txt_reads_files_and_names_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("기사.txt");
        std::fs::write(&p, RAW).unwrap();
        let l = load_txt(&p, &ExtractOptions::default()).unwrap();
        assert_eq!(l.articles[0].id, "기사");
        let bad = dir.path().join("bad.txt");
        std::fs::write(&bad, b"\xFF\xFEa\x00").unwrap();
        let e = load_txt(&bad, &ExtractOptions::default()).unwrap_err();
        assert!(e.to_string().contains("UTF-16"), "{e}");
    }
}
