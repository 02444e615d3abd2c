//! The intermediate form every importer produces, and the one step that turns it into an
//! [`Article`]: placing spans ([`super::anchor`]), cleaning the text with its offset map,
//! converting to byte offsets, applying `gisa` bags, resolving relations and speakers, flagging.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::anchor::{self, Outcome, Target};
use crate::clean::{clean, clean_line, Bias};
use crate::ingest::validate;
use crate::labels::LabelMap;
use crate::model::{Annotation, Article, Flag, Kind, Problem, ReviewStatus};
use crate::offsets::{self, Unit};

/// The key under which exporters write the fields a format cannot hold natively.
pub(crate) const BAG: &str = "gisa";

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
    pub frags: Vec<(usize, usize)>,
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
    /// Where the span is in the file, for messages (`line 4`, `task 2, result 3`).
    pub place: String,
    /// What the parser found wrong with the span (prefixed to the placing message).
    pub why: Option<String>,
}

impl RawSpan {
    /// A span with one fragment.
    pub fn new(id: impl Into<String>, label: impl Into<String>, start: usize, end: usize, place: String) -> Self {
        RawSpan {
            id: id.into(),
            label: label.into(),
            kind: None,
            frags: vec![(start, end)],
            claimed: None,
            layer: String::new(),
            status: ReviewStatus::Unreviewed,
            extra: Map::new(),
            bag: None,
            place,
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

/// A per-load cache of label -> kind (labels repeat a lot).
pub(crate) struct Kinds<'a> {
    map: &'a LabelMap,
    cache: HashMap<String, Kind>,
}

impl<'a> Kinds<'a> {
    /// A cache over `map`.
    pub fn new(map: &'a LabelMap) -> Self {
        Kinds { map, cache: HashMap::new() }
    }

    fn get(&mut self, label: &str) -> Kind {
        if let Some(&k) = self.cache.get(label) {
            return k;
        }
        let k = self.map.kind_of(label);
        self.cache.insert(label.to_string(), k);
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
            ("label", Value::String(s)) => a.label = s,
            ("text", Value::String(s)) => a.text = Some(clean(&s).0),
            ("contiguous", Value::Bool(true)) => {}
            ("kind", Value::String(s)) => match Kind::parse(&s) {
                Some(kind) => a.kind = kind,
                None => msgs.push(format!("gisa.kind \"{s}\" is no kind; kept the label's kind")),
            },
            ("layer", Value::String(s)) => a.layer = s,
            ("status", Value::String(s)) => match ReviewStatus::parse(&s) {
                Some(st) => a.status = st,
                None => msgs.push(format!("gisa.status \"{s}\" is no review status; ignored")),
            },
            ("speaker", Value::String(s)) => a.speaker = Some(s),
            ("speaker_text", Value::String(s)) => a.speaker_text = Some(clean_line(&s)),
            ("canonical", Value::String(s)) => a.canonical = Some(clean_line(&s)),
            ("unit", Value::String(s)) => a.unit = Some(s),
            ("bound", Value::String(s)) => a.bound = Some(s),
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

/// Turns a raw document into an article (see the module doc).
pub(crate) fn finish(doc: RawDoc, kinds: &mut Kinds<'_>) -> Article {
    let RawDoc { id, title, source, url, published, extra, text: raw, unit, sep, spans, relations, problems } = doc;
    let targets: Vec<Target<'_>> =
        spans.iter().map(|s| Target { frags: &s.frags, claimed: s.claimed.as_deref() }).collect();
    let placed = anchor::place_all(&raw, unit, sep, &targets);
    drop(targets);
    let (text, map) = clean(&raw);
    let mut offs: Vec<usize> = placed.iter().flat_map(|p| p.frags.iter().flat_map(|&(a, b)| [a, b])).collect();
    if !map.is_identity() {
        offsets::from_bytes(&raw, Unit::CodePoint, &mut offs);
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

    // annotations
    let mut anns: Vec<Annotation> = Vec::with_capacity(spans.len());
    let mut msgs: Vec<(usize, String)> = Vec::new();
    let mut k = 0;
    let mut multi: Vec<(usize, Vec<usize>)> = Vec::new();
    for (i, (s, p)) in spans.into_iter().zip(placed).enumerate() {
        let n = p.frags.len() * 2;
        let f = &offs[k..k + n];
        k += n;
        let (start, end) = (f[0], f[n - 1].max(f[0]));
        let kind = s.kind.unwrap_or_else(|| kinds.get(&s.label));
        let mut a = Annotation::new(s.id, kind, s.label, start, end);
        a.layer = s.layer;
        a.status = s.status;
        a.extra = s.extra;
        let contiguous = s.bag.as_ref().is_some_and(|b| b.get("contiguous") == Some(&Value::Bool(true)));
        if p.frags.len() > 1 && !contiguous {
            multi.push((i, f.to_vec()));
        }
        let claimed_clean = s.claimed.map(|c| clean(&c).0);
        match p.outcome {
            Outcome::Ok { .. } | Outcome::Repaired(_) => {
                if p.frags.len() == 1 {
                    if let Some(c) = claimed_clean {
                        if article.text.get(start..end) == Some(c.as_str()) {
                            a.text = Some(c);
                        }
                    }
                }
                if let Outcome::Repaired(m) = p.outcome {
                    a.flags.push(Flag::Repaired);
                    msgs.push((i, format!("{}: {}{m}", s.place, s.why.as_deref().unwrap_or(""))));
                }
            }
            Outcome::Orphaned(m) => {
                a.flags.push(Flag::Orphaned);
                if let Some(c) = claimed_clean {
                    a.flags.push(Flag::TextMismatch);
                    a.text = Some(c);
                }
                msgs.push((i, format!("{}: {}{m}", s.place, s.why.as_deref().unwrap_or(""))));
            }
        }
        if let Some(bag) = s.bag {
            for m in apply_bag(&mut a, bag) {
                msgs.push((i, format!("{}: {m}", s.place)));
            }
        }
        anns.push(a);
    }
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
    // unique ids
    let mut taken: HashSet<String> = HashSet::with_capacity(anns.len());
    for (i, a) in anns.iter_mut().enumerate() {
        if a.id.is_empty() {
            a.id = format!("#{}", i + 1);
        }
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
    for r in relations {
        let to_id = match &r.to {
            Ok(j) => anns[*j].id.clone(),
            Err(raw) => raw.clone(),
        };
        if let Ok(j) = r.to {
            if kinds.is_speaker(&r.label) {
                let (f, t) = (anns[r.from].kind, anns[j].kind);
                let pair = if f == Kind::Quote && t != Kind::Quote {
                    Some((r.from, j))
                } else if t == Kind::Quote && f != Kind::Quote {
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
            annotation: i.and_then(|i| anns.get(i)).map(|a| a.id.clone()),
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
    validate(&mut article);
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
        (Ok(s), Ok(e)) => span.frags = vec![(s, e)],
        (a, b) => {
            let why: Vec<String> = [a.err(), b.err()].into_iter().flatten().collect();
            span.frags = Vec::new();
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

/// Where a JSON value's kind is named in messages.
pub(crate) fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One record of a JSON / JSONL file: its value and where it is (`line 3`, `task 2 (line 9)`).
pub(crate) struct Record {
    /// The parsed value.
    pub value: Value,
    /// Place for messages.
    pub place: String,
}

/// Splits a JSON file (an array, or one object) or a JSONL file into records. Lines of a JSONL
/// file that are no JSON become problems; a JSON file that does not parse is an error.
pub(crate) fn records(
    name: &str,
    text: &str,
    what: &str,
) -> Result<(Vec<Record>, Vec<crate::model::Problem>), crate::ingest::LoadError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let jsonl = name.ends_with(".jsonl") || name.ends_with(".ndjson") || super::looks_jsonl(trimmed);
    if jsonl {
        for (i, line) in text.split('\n').enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() {
                continue;
            }
            let place = format!("line {}", i + 1);
            match serde_json::from_str::<Value>(line) {
                Ok(v) => out.push(Record { value: v, place }),
                Err(e) => {
                    let mut m = e.to_string();
                    if let Some(p) = m.find(" at line ") {
                        m.truncate(p);
                    }
                    problems.push(crate::model::Problem {
                        article: format!("#{}", i + 1),
                        annotation: None,
                        message: format!("{name}: {place}, column {}: {m} (not valid JSON); line skipped", e.column()),
                    });
                }
            }
        }
        return Ok((out, problems));
    }
    let value = crate::ingest::parse_json(name, text)?;
    match value {
        Value::Array(items) => {
            let lines = super::element_lines(text);
            for (i, v) in items.into_iter().enumerate() {
                out.push(Record { value: v, place: super::element_place(what, i, &lines) });
            }
        }
        v => out.push(Record { value: v, place: format!("{what} 1") }),
    }
    Ok((out, problems))
}
