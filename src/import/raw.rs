//! The intermediate form every importer produces, and the one step that turns it into an
//! [`Article`]: placing spans ([`super::anchor`]), cleaning the text with its offset map,
//! converting to byte offsets, applying `gisa` bags, resolving relations and speakers, flagging.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::mem::take;
use std::rc::Rc;

use serde_json::{Map, Value};

use super::anchor::{self, Frags, Outcome, Target};
use crate::clean::{clean, clean_line, is_clean, Bias};
use crate::labels::LabelMap;
use crate::model::{Annotation, Article, Flag, Kind, Problem, ReviewStatus};
use crate::offsets::{self, Unit};

/// The key under which exporters write the fields a format cannot hold natively.
pub(crate) const BAG: &str = "gisa";

/// Where something is in a file, for messages: a shared head (`news.jsonl: line 3`, or the
/// file name with a line number: `news.ann` + 4) and an optional item (`label`, 4), shown as
/// `news.jsonl: line 3, label[4]` or `news.ann: line 4`. Cheap to make per span.
#[derive(Debug, Clone)]
pub(crate) struct Place {
    head: Rc<str>,
    line: Option<usize>,
    item: Option<(Cow<'static, str>, usize)>,
}

impl Place {
    /// Item `n` of list `what` under `head`.
    pub fn item(head: &Rc<str>, what: impl Into<Cow<'static, str>>, n: usize) -> Place {
        Place { head: head.clone(), line: None, item: Some((what.into(), n)) }
    }

    /// Line `n` of file `head`.
    pub fn line(head: &Rc<str>, n: usize) -> Place {
        Place { head: head.clone(), line: Some(n), item: None }
    }
}

impl From<String> for Place {
    fn from(s: String) -> Place {
        Place { head: Rc::from(s), line: None, item: None }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.head)?;
        if let Some(n) = self.line {
            if self.head.is_empty() {
                write!(f, "line {n}")?;
            } else {
                write!(f, ": line {n}")?;
            }
        }
        if let Some((w, n)) = &self.item {
            write!(f, ", {w}[{n}]")?;
        }
        Ok(())
    }
}

/// One span as a format gives it.
#[derive(Debug, Clone)]
pub(crate) struct RawSpan {
    /// The id in the source (may be replaced by the bag's `id`).
    pub id: String,
    /// The label as written.
    pub label: String,
    /// A kind the source states explicitly (rare); else the label map decides.
    pub kind: Option<Kind>,
    /// Fragments in the document's unit, raw text.
    pub frags: Frags,
    /// The text the source claims the span covers.
    pub claimed: Option<String>,
    /// Layer (origin).
    pub layer: String,
    /// Review status the source states.
    pub status: ReviewStatus,
    /// Kept fields.
    pub extra: Map<String, Value>,
    /// The `gisa` bag written by gisa's exporters.
    pub bag: Option<Map<String, Value>>,
    /// Where the span is in the file, for messages (`line 4`, `task 2, result[3]`).
    pub place: Place,
    /// What the parser found wrong with the span (prefixed to the placing message).
    pub why: Option<String>,
}

impl RawSpan {
    /// A span with one fragment.
    pub fn new(
        id: impl Into<String>,
        label: impl Into<String>,
        start: usize,
        end: usize,
        place: impl Into<Place>,
    ) -> Self {
        RawSpan {
            id: id.into(),
            label: label.into(),
            kind: None,
            frags: Frags::one(start, end),
            claimed: None,
            layer: String::new(),
            status: ReviewStatus::Unreviewed,
            extra: Map::new(),
            bag: None,
            place: place.into(),
            why: None,
        }
    }
}

/// A relation between two spans of one document (indices into `RawDoc::spans`).
#[derive(Debug, Clone)]
pub(crate) struct RawRelation {
    /// The span the relation starts from.
    pub from: usize,
    /// The span it points at, or the unknown id it names.
    pub to: Result<usize, String>,
    /// Relation type.
    pub label: String,
    /// Other fields kept on the relation (direction, extra labels, roles).
    pub extra: Map<String, Value>,
}

/// One document as a format gives it: raw text, offsets in `unit`.
#[derive(Debug, Clone)]
pub(crate) struct RawDoc {
    /// Article id.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Outlet.
    pub source: String,
    /// Link.
    pub url: String,
    /// Date.
    pub published: String,
    /// Kept document-level fields.
    pub extra: Map<String, Value>,
    /// The raw text (not cleaned).
    pub text: String,
    /// The unit of the spans' offsets.
    pub unit: Unit,
    /// What joins the fragments of a discontinuous span in its claimed text.
    pub sep: &'static str,
    /// The spans.
    pub spans: Vec<RawSpan>,
    /// The relations.
    pub relations: Vec<RawRelation>,
    /// Problems found while parsing: the span (index) they are about, and the message.
    pub problems: Vec<(Option<usize>, String)>,
}

impl RawDoc {
    /// An empty document with this id, text and unit.
    pub fn new(id: impl Into<String>, text: String, unit: Unit) -> Self {
        RawDoc {
            id: id.into(),
            title: String::new(),
            source: String::new(),
            url: String::new(),
            published: String::new(),
            extra: Map::new(),
            text,
            unit,
            sep: " ",
            spans: Vec::new(),
            relations: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Takes the article metadata (`id`, `title`, `source`, `url`, `published`) out of an
    /// object when they are strings (numbers for `id`).
    pub fn take_meta(&mut self, o: &mut Map<String, Value>) {
        for key in ["title", "source", "url", "published"] {
            if let Some(Value::String(_)) = o.get(key) {
                if let Some(Value::String(s)) = o.remove(key) {
                    let s = clean_line(&s);
                    match key {
                        "title" => self.title = s,
                        "source" => self.source = s,
                        "url" => self.url = s,
                        _ => self.published = s,
                    }
                }
            }
        }
    }
}

/// A per-load cache of label -> kind (labels repeat a lot; a file has few of them, so the
/// first ones are looked up by a linear scan, which beats hashing short strings).
pub(crate) struct Kinds<'a> {
    map: &'a LabelMap,
    few: Vec<(String, Kind)>,
    many: HashMap<String, Kind>,
}

impl<'a> Kinds<'a> {
    /// A cache over `map`.
    pub fn new(map: &'a LabelMap) -> Self {
        Kinds { map, few: Vec::new(), many: HashMap::new() }
    }

    fn get(&mut self, label: &str) -> Kind {
        if let Some((_, k)) = self.few.iter().find(|(l, _)| l == label) {
            return *k;
        }
        if let Some(&k) = self.many.get(label) {
            return k;
        }
        let k = self.map.kind_of(label);
        if self.few.len() < 32 {
            self.few.push((label.to_string(), k));
        } else {
            self.many.insert(label.to_string(), k);
        }
        k
    }

    /// True for a speaker-like relation name.
    pub fn is_speaker(&self, name: &str) -> bool {
        self.map.is_speaker_relation(name)
    }
}

/// Applies a `gisa` bag to an annotation; returns a message for each field it could not use.
fn apply_bag(a: &mut Annotation, bag: Map<String, Value>) -> Vec<String> {
    let mut msgs = Vec::new();
    for (k, v) in bag {
        match (k.as_str(), v) {
            ("id", Value::String(s)) => a.id = s,
            ("label", Value::String(s)) => a.label = crate::model::name_of(s),
            ("text", Value::String(s)) => a.text = Some(clean(&s).0),
            ("contiguous", Value::Bool(true)) => {}
            ("kind", Value::String(s)) => match Kind::parse(&s) {
                Some(kind) => a.kind = kind,
                None => msgs.push(format!("gisa.kind \"{s}\" is no kind; kept the label's kind")),
            },
            ("layer", Value::String(s)) => a.layer = crate::model::name_of(s),
            ("status", Value::String(s)) => match ReviewStatus::parse(&s) {
                Some(st) => a.status = st,
                None => msgs.push(format!("gisa.status \"{s}\" is no review status; ignored")),
            },
            ("speaker", Value::String(s)) => a.speaker = Some(s),
            ("speaker_text", Value::String(s)) => a.speaker_text = Some(clean_line(&s)),
            ("canonical", Value::String(s)) => a.canonical = Some(clean_line(&s)),
            ("unit", Value::String(s)) => a.unit = Some(crate::model::name_of(s)),
            ("bound", Value::String(s)) => a.bound = Some(crate::model::name_of(s)),
            ("value", Value::Number(n)) => a.value = n.as_f64(),
            ("approx", Value::Bool(b)) => a.approx = Some(b),
            ("extra", Value::Object(m)) => {
                for (k, v) in m {
                    a.extra.insert(k, v);
                }
            }
            (_, v) => {
                a.extra.insert(k, v);
            }
        }
    }
    msgs
}

/// Builds articles from records (lines) where records with the same key and text are one
/// article with several layers. Adjacent records (how exports are usually written) are
/// gathered before the article is finished, so a large file streams through; a record that
/// continues an article finished earlier is finished on its own and merged into it.
pub(crate) struct Assembler<'l> {
    kinds: Kinds<'l>,
    articles: Vec<Article>,
    counters: Vec<usize>,
    finished: HashMap<String, usize>,
    open: Option<(Option<String>, RawDoc, usize)>,
    addendum: Option<(usize, RawDoc, usize)>,
}

/// Where a record goes.
enum Slot {
    Open,
    Addendum(usize),
    New,
}

impl<'l> Assembler<'l> {
    /// An empty assembler.
    pub fn new(labels: &'l LabelMap) -> Self {
        Assembler {
            kinds: Kinds::new(labels),
            articles: Vec::new(),
            counters: Vec::new(),
            finished: HashMap::new(),
            open: None,
            addendum: None,
        }
    }

    /// The document a record with this key and raw text goes to (`new` makes one when it
    /// starts an article), the article's counter for generated ids, and whether the record
    /// starts its article.
    pub fn doc(
        &mut self,
        key: Option<String>,
        text: String,
        new: impl FnOnce(String) -> RawDoc,
    ) -> (&mut RawDoc, &mut usize, bool) {
        self.flush_addendum();
        let slot = match (&self.open, &key) {
            (Some((Some(k), d, _)), Some(key)) if k == key && d.text == text => Slot::Open,
            (_, Some(k)) => match self.finished.get(k) {
                Some(&ix) if same_text(&self.articles[ix].text, &text) => Slot::Addendum(ix),
                _ => Slot::New,
            },
            _ => Slot::New,
        };
        match slot {
            Slot::Open => {
                let (_, d, c) = self.open.as_mut().expect("open");
                (d, c, false)
            }
            Slot::Addendum(ix) => {
                let (_, d, c) = self.addendum.insert((ix, new(text), self.counters[ix]));
                (d, c, false)
            }
            Slot::New => {
                self.close_open();
                let (_, d, c) = self.open.insert((key, new(text), 0));
                (d, c, true)
            }
        }
    }

    fn close_open(&mut self) {
        if let Some((k, d, c)) = self.open.take() {
            let a = finish(d, &mut self.kinds);
            self.articles.push(a);
            self.counters.push(c);
            if let Some(k) = k {
                self.finished.insert(k, self.articles.len() - 1);
            }
        }
    }

    fn flush_addendum(&mut self) {
        if let Some((ix, d, c)) = self.addendum.take() {
            let a = finish(d, &mut self.kinds);
            merge_into(&mut self.articles[ix], a);
            self.counters[ix] = c;
        }
    }

    /// The articles, in the order they started.
    pub fn into_articles(mut self) -> Vec<Article> {
        self.flush_addendum();
        self.close_open();
        self.articles
    }
}

/// True when raw text `raw` cleans to `clean_text`.
fn same_text(clean_text: &str, raw: &str) -> bool {
    if is_clean(raw) {
        clean_text == raw
    } else {
        clean(raw).0 == clean_text
    }
}

/// Adds the annotations, problems and extra fields of `other` (the same text, other layers) to
/// `target`: ids that collide are renamed (`ID-2`, the old one kept as `extra.source_id`, and
/// speakers and relations inside `other` follow); speakers that now resolve lose their
/// dangling-speaker flag and problem.
pub(crate) fn merge_into(target: &mut Article, mut other: Article) {
    let mut taken: HashSet<String> = target.annotations.iter().map(|a| a.id.clone()).collect();
    let own: HashSet<String> = other.annotations.iter().map(|a| a.id.clone()).collect();
    let mut renamed: HashMap<String, String> = HashMap::new();
    for a in &mut other.annotations {
        if taken.contains(&a.id) {
            let mut n = 2;
            let new = loop {
                let c = format!("{}-{n}", a.id);
                if !taken.contains(&c) && !own.contains(&c) {
                    break c;
                }
                n += 1;
            };
            renamed.insert(a.id.clone(), new.clone());
            a.extra.insert("source_id".into(), Value::String(std::mem::replace(&mut a.id, new)));
        }
        taken.insert(a.id.clone());
    }
    if !renamed.is_empty() {
        for a in &mut other.annotations {
            if let Some(new) = a.speaker.as_ref().and_then(|s| renamed.get(s)) {
                a.speaker = Some(new.clone());
            }
            if let Some(Value::Array(rels)) = a.extra.get_mut("relations") {
                for r in rels {
                    if let Some(Value::String(to)) = r.get_mut("to") {
                        if let Some(new) = renamed.get(to.as_str()) {
                            *to = new.clone();
                        }
                    }
                }
            }
        }
        for p in &mut other.problems {
            if let Some(new) = p.annotation.as_ref().and_then(|a| renamed.get(a)) {
                p.annotation = Some(new.clone());
            }
        }
    }
    for (k, v) in std::mem::take(&mut other.extra) {
        target.extra.entry(k).or_insert(v);
    }
    target.problems.append(&mut other.problems);
    target.annotations.append(&mut other.annotations);
    // speakers that point across the two parts resolve now
    let entities: HashSet<String> =
        target.annotations.iter().filter(|a| a.kind == Kind::Entity).map(|a| a.id.clone()).collect();
    let mut resolved: Vec<String> = Vec::new();
    for a in &mut target.annotations {
        if a.flags.contains(&Flag::DanglingSpeaker) && a.speaker.as_ref().is_some_and(|s| entities.contains(s)) {
            a.flags.retain(|f| *f != Flag::DanglingSpeaker);
            resolved.push(a.id.clone());
        }
    }
    if !resolved.is_empty() {
        target.problems.retain(|p| {
            !(p.annotation.as_ref().is_some_and(|a| resolved.contains(a)) && p.message.starts_with("speaker \""))
        });
    }
    target.sort_annotations();
}

/// `#N`, the id importers give spans that have none (faster than `format!`, which matters at
/// a few hundred thousand spans).
pub(crate) fn hash_id(n: usize) -> String {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut s = String::with_capacity(1 + digits.len() - i);
    s.push('#');
    s.extend(digits[i..].iter().map(|&d| d as char));
    s
}

/// The id a span will have (its bag's, else its own), for ordering.
fn key_id(s: &RawSpan) -> &str {
    s.bag.as_ref().and_then(|b| b.get("id")).and_then(Value::as_str).unwrap_or(&s.id)
}

/// Turns a raw document into an article (see the module doc).
pub(crate) fn finish(doc: RawDoc, kinds: &mut Kinds<'_>) -> Article {
    let RawDoc { id, title, source, url, published, extra, text: raw, unit, sep, spans, relations, problems } = doc;
    let targets: Vec<Target<'_>> =
        spans.iter().map(|s| Target { frags: &s.frags, claimed: s.claimed.as_deref() }).collect();
    let placed = anchor::place_all(&raw, unit, sep, &targets);
    drop(targets);
    let mut offs: Vec<usize> = placed.iter().flat_map(|p| p.frags.iter().flat_map(|&(a, b)| [a, b])).collect();
    let (text, raw) = if is_clean(&raw) {
        (raw, None)
    } else {
        let (text, map) = clean(&raw);
        (text, (!map.is_identity()).then_some((raw, map)))
    };
    if let Some((raw, map)) = &raw {
        offsets::from_bytes(raw, Unit::CodePoint, &mut offs);
        for pair in offs.chunks_mut(2) {
            let s = map.map(pair[0], Bias::Start);
            let e = map.map(pair[1], Bias::End).max(s);
            pair[0] = s;
            pair[1] = e;
        }
        if offsets::to_bytes(&text, Unit::CodePoint, &mut offs).is_err() {
            for o in &mut offs {
                *o = (*o).min(text.len());
            }
        }
    }
    drop(raw);
    let mut article = Article { id, title, source, url, published, text, extra, ..Default::default() };

    // annotations, built field by field and directly in reading order: an annotation is a few
    // hundred bytes, and moving whole ones around (into vectors, through a sort) cost more than
    // everything else here
    let n_spans = spans.len();
    let mut first = Vec::with_capacity(n_spans);
    let mut k = 0;
    for p in &placed {
        first.push(k);
        k += p.frags.len() * 2;
    }
    // (start, end, span index), sorted: start ascending, longer first, then id, then file order
    let mut keyed: Vec<(usize, usize, usize)> = (0..n_spans)
        .map(|i| {
            let f = &offs[first[i]..first[i] + placed[i].frags.len() * 2];
            (f[0], f[f.len() - 1].max(f[0]), i)
        })
        .collect();
    let cmp = |a: &(usize, usize, usize), b: &(usize, usize, usize)| {
        a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then_with(|| key_id(&spans[a.2]).cmp(key_id(&spans[b.2]))).then(a.2.cmp(&b.2))
    };
    if !keyed.is_sorted_by(|a, b| cmp(a, b).is_le()) {
        keyed.sort_unstable_by(cmp);
    }
    let order: Vec<usize> = keyed.into_iter().map(|k| k.2).collect();
    let mut spans = spans;
    let mut placed = placed;
    let mut pos = vec![0usize; n_spans];
    let mut anns: Vec<Annotation> = Vec::with_capacity(n_spans);
    let mut msgs: Vec<(usize, String)> = Vec::new();
    let mut multi: Vec<(usize, Vec<usize>)> = Vec::new();
    for (ai, &i) in order.iter().enumerate() {
        pos[i] = ai;
        let s = &mut spans[i];
        let nf = placed[i].frags.len();
        let f = &offs[first[i]..first[i] + nf * 2];
        let (start, end) = (f[0], f[nf * 2 - 1].max(f[0]));
        let kind = s.kind.unwrap_or_else(|| kinds.get(&s.label));
        let label = crate::model::name_of(take(&mut s.label));
        let mut a = Annotation::new(take(&mut s.id), kind, label, start, end);
        a.layer = crate::model::name_of(take(&mut s.layer));
        a.status = take(&mut s.status);
        a.extra = take(&mut s.extra);
        let bag = s.bag.take();
        let contiguous = bag.as_ref().is_some_and(|b| b.get("contiguous") == Some(&Value::Bool(true)));
        if nf > 1 && !contiguous {
            multi.push((ai, f.to_vec()));
        }
        let claimed_clean = s.claimed.take().map(|c| if is_clean(&c) { c } else { clean(&c).0 });
        let why = s.why.as_deref().unwrap_or("");
        match std::mem::replace(&mut placed[i].outcome, Outcome::Ok { loose: false }) {
            o @ (Outcome::Ok { .. } | Outcome::Repaired(_)) => {
                if nf == 1 {
                    if let Some(c) = claimed_clean {
                        if article.text.get(start..end) == Some(c.as_str()) {
                            a.text = Some(c);
                        }
                    }
                }
                if let Outcome::Repaired(m) = o {
                    a.flags.push(Flag::Repaired);
                    msgs.push((ai, format!("{}: {why}{m}", s.place)));
                }
            }
            Outcome::Orphaned(m) => {
                a.flags.push(Flag::Orphaned);
                if let Some(c) = claimed_clean {
                    a.flags.push(Flag::TextMismatch);
                    a.text = Some(c);
                }
                msgs.push((ai, format!("{}: {why}{m}", s.place)));
            }
        }
        if let Some(mut bag) = bag {
            // the true range of a span brat had to cut at line breaks (code points)
            if let Some(Value::Array(r)) = bag.remove("range") {
                let mut o: Vec<usize> = r.iter().filter_map(|v| v.as_u64().map(|n| n as usize)).collect();
                if o.len() == 2 && o[0] <= o[1] && offsets::to_bytes(&article.text, Unit::CodePoint, &mut o).is_ok() {
                    a.start = o[0];
                    a.end = o[1];
                    // the tail text was the cut fragment's
                    a.text = None;
                }
            }
            for m in apply_bag(&mut a, bag) {
                msgs.push((ai, format!("{}: {m}", s.place)));
            }
        }
        anns.push(a);
    }
    drop(spans);
    // fragments of discontinuous spans, in code points of the cleaned text
    if !multi.is_empty() {
        let mut all: Vec<usize> = multi.iter().flat_map(|(_, f)| f.iter().copied()).collect();
        offsets::from_bytes(&article.text, Unit::CodePoint, &mut all);
        let mut at = 0;
        for (i, f) in &multi {
            let cps = &all[at..at + f.len()];
            at += f.len();
            let frags: Vec<Value> = cps.chunks(2).map(|c| Value::from(vec![c[0], c[1]])).collect();
            anns[*i].extra.insert("fragments".into(), Value::Array(frags));
        }
    }
    // unique ids (the usual case, no duplicate, costs a sort of references)
    for (i, &ai) in pos.iter().enumerate() {
        if anns[ai].id.is_empty() {
            anns[ai].id = format!("#{}", i + 1);
        }
    }
    let mut sorted: Vec<&str> = anns.iter().map(|a| a.id.as_str()).collect();
    sorted.sort_unstable();
    let dups = sorted.windows(2).any(|w| w[0] == w[1]);
    drop(sorted);
    let mut taken: HashSet<String> = HashSet::new();
    // in file order: a later span with a taken id is the one renamed
    for &ai in pos.iter().filter(|_| dups) {
        let a = &mut anns[ai];
        if !taken.insert(a.id.clone()) {
            let mut n = 2;
            let new = loop {
                let c = format!("{}-{n}", a.id);
                if !taken.contains(&c) {
                    break c;
                }
                n += 1;
            };
            a.extra.insert("source_id".into(), Value::String(std::mem::replace(&mut a.id, new.clone())));
            taken.insert(new);
        }
    }
    // relations and speakers
    for mut r in relations {
        r.from = pos[r.from];
        if let Ok(j) = &mut r.to {
            *j = pos[*j];
        }
        let to_id = match &r.to {
            Ok(j) => anns[*j].id.clone(),
            Err(raw) => raw.clone(),
        };
        if let Ok(j) = r.to {
            if kinds.is_speaker(&r.label) {
                let (f, t) = (anns[r.from].kind, anns[j].kind);
                let pair = if f == Kind::Quote && t == Kind::Entity {
                    Some((r.from, j))
                } else if t == Kind::Quote && f == Kind::Entity {
                    Some((j, r.from))
                } else {
                    None
                };
                if let Some((q, sp)) = pair {
                    if anns[q].speaker.is_none() {
                        anns[q].speaker = Some(anns[sp].id.clone());
                        continue;
                    }
                }
            }
        }
        let mut o = Map::new();
        o.insert("to".into(), Value::String(to_id));
        o.insert("label".into(), Value::String(r.label));
        for (k, v) in r.extra {
            o.insert(k, v);
        }
        let rels = anns[r.from].extra.entry("relations").or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(a) = rels {
            a.push(Value::Object(o));
        }
    }
    for (i, m) in problems {
        article.problems.push(Problem {
            article: article.id.clone(),
            annotation: i.and_then(|i| pos.get(i)).and_then(|&i| anns.get(i)).map(|a| a.id.clone()),
            message: m,
        });
    }
    for (i, m) in msgs {
        article.problems.push(Problem {
            article: article.id.clone(),
            annotation: Some(anns[i].id.clone()),
            message: m,
        });
    }
    article.annotations = anns;
    // the annotations are already in reading order: the sort in validate only checks that
    crate::ingest::validate(&mut article);
    article
}

/// Reads an offset from a JSON value; `Err` says what is wrong with it.
pub(crate) fn offset(v: Option<&Value>, name: &str) -> Result<usize, String> {
    match v {
        None | Some(Value::Null) => Err(format!("{name} is missing")),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(u) => Ok(u as usize),
            None => Err(format!("{name} is {n}, not a whole number >= 0")),
        },
        Some(Value::String(s)) => match s.trim().parse::<usize>() {
            Ok(u) => Ok(u),
            Err(_) => Err(format!("{name} is the string {s:?}, not a number")),
        },
        Some(other) => Err(format!("{name} is {other}, not a number")),
    }
}

/// Reads `start` and `end` into a span's fragment; on failure the span keeps no offsets (it
/// is placed by its text or orphaned) and says why.
pub(crate) fn set_offsets(span: &mut RawSpan, start: Option<&Value>, end: Option<&Value>, names: (&str, &str)) {
    match (offset(start, names.0), offset(end, names.1)) {
        (Ok(s), Ok(e)) => span.frags = Frags::one(s, e),
        (a, b) => {
            let why: Vec<String> = [a.err(), b.err()].into_iter().flatten().collect();
            span.frags = Frags::default();
            span.why = Some(format!("{}; ", why.join(", ")));
        }
    }
}

/// A JSON value as an id string (strings as they are, numbers written out).
pub(crate) fn id_string(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

pub(crate) use crate::ingest::json_type as json_kind;

/// A record that was read, or `None` after noting why it could not be (the loops over
/// [`records`] skip those).
pub(crate) fn kept<T>(r: Result<T, crate::model::Problem>, problems: &mut Vec<crate::model::Problem>) -> Option<T> {
    r.map_err(|p| problems.push(p)).ok()
}

/// A record's `text` as a string, or `None` after noting that it is missing or of another type
/// (`{place}: no "text"; the {unit} is skipped`).
pub(crate) fn text_or_note(
    text: Option<Value>,
    place: &str,
    fallback: &str,
    unit: &str,
    problems: &mut Vec<crate::model::Problem>,
) -> Option<String> {
    match text {
        Some(Value::String(t)) => Some(t),
        other => {
            let what = other.as_ref().map_or("no \"text\"".to_string(), |v| format!("\"text\" is {}", json_kind(v)));
            problems.push(crate::model::Problem {
                article: fallback.to_string(),
                annotation: None,
                message: format!("{place}: {what}; the {unit} is skipped"),
            });
            None
        }
    }
}

/// A record's value as an object, or `None` after noting `expected a {what} object`.
pub(crate) fn object_or_note(
    value: Value,
    place: &str,
    fallback: &str,
    what: &str,
    problems: &mut Vec<crate::model::Problem>,
) -> Option<serde_json::Map<String, Value>> {
    match value {
        Value::Object(o) => Some(o),
        other => {
            problems.push(crate::model::Problem {
                article: fallback.to_string(),
                annotation: None,
                message: format!("{place}: expected a {what} object, found {}; skipped", json_kind(&other)),
            });
            None
        }
    }
}

/// One record of a JSON / JSONL file: its value and where it is (`line 3`, `task 2 (line 9)`).
pub(crate) struct Record<T = Value> {
    /// The parsed value.
    pub value: T,
    /// Place for messages.
    pub place: String,
}

/// The records of a JSON file (an array, or one object) or a JSONL file, parsed lazily into
/// `T`: a JSONL file is never held as values all at once. A JSONL line that is no JSON (or no
/// `T`) yields an `Err` problem naming the line; a JSON file that does not parse is an error up
/// front.
pub(crate) fn records<'a, T: serde::de::DeserializeOwned>(
    name: &'a str,
    text: &'a str,
    what: &'a str,
) -> Result<Records<'a, T>, crate::ingest::LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let jsonl = name.ends_with(".jsonl") || name.ends_with(".ndjson") || super::looks_jsonl(text.trim_start());
    if jsonl {
        return Ok(Records::Lines { text, at: 0, base: 1, stream: None });
    }
    let value = crate::ingest::parse_json(name, text)?;
    Ok(match value {
        Value::Array(items) => Records::Items {
            what,
            items: items.into_iter().enumerate(),
            lines: super::element_lines(text),
            t: std::marker::PhantomData,
        },
        v => Records::Items {
            what,
            items: vec![v].into_iter().enumerate(),
            lines: Vec::new(),
            t: std::marker::PhantomData,
        },
    })
}

/// Iterator returned by [`records`].
pub(crate) enum Records<'a, T> {
    /// JSONL lines, read by one streaming deserializer (its buffers are reused from line to
    /// line); after a bad line, reading resumes on the next line.
    Lines {
        /// The whole file.
        text: &'a str,
        /// Byte offset where `stream` started.
        at: usize,
        /// Line number (1-based) of byte `at`.
        base: usize,
        /// The deserializer over `text[at..]`, how far lines were counted in it, and the line
        /// reached.
        #[allow(clippy::type_complexity)]
        stream: Option<(serde_json::StreamDeserializer<'a, serde_json::de::StrRead<'a>, T>, usize, usize)>,
    },
    /// Elements of a JSON array (or one object).
    Items {
        /// What an element is called in messages (`task`).
        what: &'a str,
        /// The elements.
        items: std::iter::Enumerate<std::vec::IntoIter<Value>>,
        /// The line of each element.
        lines: Vec<usize>,
        /// The record type.
        t: std::marker::PhantomData<T>,
    },
}

fn serde_message(e: &serde_json::Error) -> String {
    let mut m = e.to_string();
    if let Some(p) = m.find(" at line ") {
        m.truncate(p);
    }
    if !e.is_data() {
        m.push_str(" (not valid JSON)");
    }
    m
}

impl<T: serde::de::DeserializeOwned> Iterator for Records<'_, T> {
    type Item = Result<Record<T>, crate::model::Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Records::Lines { text, at, base, stream } => {
                if *at >= text.len() {
                    return None;
                }
                let (st, counted, cur) = stream.get_or_insert_with(|| {
                    (serde_json::Deserializer::from_str(&text[*at..]).into_iter::<T>(), 0, *base)
                });
                let rest = &text.as_bytes()[*at..];
                // the record starts at the first non-blank byte after the previous one
                let before = st.byte_offset().min(rest.len());
                let start = before + rest[before..].iter().take_while(|b| b.is_ascii_whitespace()).count();
                *cur += memchr::memchr_iter(b'\n', &rest[*counted..start]).count();
                *counted = start;
                match st.next()? {
                    Ok(v) => Some(Ok(Record { value: v, place: format!("line {cur}") })),
                    Err(e) => {
                        // reading starts again on the line after the one the record starts on
                        let n = *cur;
                        let err_line = *base + e.line().max(1) - 1;
                        let end = memchr::memchr(b'\n', &rest[start..]).map_or(rest.len(), |q| start + q + 1);
                        *at += end;
                        *base = n + 1;
                        *stream = None;
                        let message = if err_line == n {
                            format!("line {n}, column {}: {}; line skipped", e.column(), serde_message(&e))
                        } else {
                            format!(
                                "line {n}: the record does not end on its line ({} at line {err_line}, column {}); line skipped",
                                serde_message(&e),
                                e.column()
                            )
                        };
                        Some(Err(crate::model::Problem { article: format!("#{n}"), annotation: None, message }))
                    }
                }
            }
            Records::Items { what, items, lines, .. } => {
                let (i, v) = items.next()?;
                let place =
                    if lines.is_empty() && i == 0 { format!("{what} 1") } else { super::element_place(what, i, lines) };
                Some(match serde_json::from_value::<T>(v) {
                    Ok(v) => Ok(Record { value: v, place }),
                    Err(e) => Err(crate::model::Problem {
                        article: format!("#{}", i + 1),
                        annotation: None,
                        message: format!("{place}: {}; skipped", serde_message(&e)),
                    }),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_records_resume_after_bad_lines() {
        let t = "{\"a\": 1}\n\n{\"a\": oops}\n  {\"a\": 3}\n{\"a\":\n4}\n[1,\n{\"a\": 5}\n";
        let got: Vec<Result<(String, Value), String>> = records::<Value>("x.jsonl", t, "line")
            .unwrap()
            .map(|r| r.map(|r| (r.place, r.value)).map_err(|p| p.message))
            .collect();
        assert_eq!(got[0], Ok(("line 1".into(), serde_json::json!({"a": 1}))));
        assert_eq!(got[1], Err("line 3, column 7: expected value (not valid JSON); line skipped".into()));
        assert_eq!(got[2], Ok(("line 4".into(), serde_json::json!({"a": 3}))));
        // a record may span lines (lenient), the place is where it starts
        assert_eq!(got[3], Ok(("line 5".into(), serde_json::json!({"a": 4}))));
        assert_eq!(
            got[4],
            Err("line 7: the record does not end on its line (EOF while parsing a list (not valid JSON) at line 9, column 0); line skipped".into())
        );
        assert_eq!(got[5], Ok(("line 8".into(), serde_json::json!({"a": 5}))));
        assert_eq!(got.len(), 6, "{got:?}");
    }

    #[test]
    fn hash_ids() {
        for n in [0, 7, 10, 12345, usize::MAX] {
            assert_eq!(hash_id(n), format!("#{n}"));
        }
    }
}
