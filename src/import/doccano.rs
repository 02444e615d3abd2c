//! doccano JSONL exports (sequence labelling, with or without relations).
//!
//! Offsets are **UTF-16 code units** (doccano's annotator measures JavaScript strings). Accepted
//! span lists, one per line:
//!
//! - `"label": [[start, end, "LABEL"], …]` (current export),
//! - `"labels": […]` (exports before 2021) and `"entities": [[s, e, "L"], …]` (0.x),
//! - `"entities": [{"id", "label", "start_offset", "end_offset"}, …]` with
//!   `"relations": [{"id", "from_id", "to_id", "type"}, …]` (relation labelling);
//! - entity objects with `start`/`end`, a `text` (checked against the span) and a `labels` list
//!   (the first is the label), which is also how Label Studio's JSON_MIN export looks (its
//!   offsets are code points: where they differ from UTF-16 the spans are repaired by their text).
//!
//! A speaker-like relation between a quote and another span sets the quote's speaker; other
//! relations go to `extra.relations` of their source span. The line's annotator (`annotator`,
//! `user` or `username`) is the layer of its spans. Lines with the same `id` and the same text
//! are one article with several layers (a project exported per annotator, concatenated). Other
//! top-level keys (doccano merges an example's `meta` into the line) are kept in the article's
//! `extra`; `title`, `source`, `url`, `published` fill the article's metadata. A top-level
//! `"gisa": {"spans": [...]}` (written by gisa's exporter) holds, per span in list order, the
//! fields doccano cannot hold. doccano writes no span text, so spans are verified only against
//! the text (offsets past the end or inside a surrogate pair are tried as code points).
//! "Count grapheme clusters as one character" projects store grapheme indices: not supported
//! (such spans show as repaired or orphaned when they differ).

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::raw::{
    id_string, json_kind, kept, records, set_offsets, text_or_note, Assembler, Place, RawDoc, RawRelation, RawSpan, BAG,
};
use crate::ingest::{LoadError, Loaded};
use crate::labels::LabelMap;
use crate::offsets::Unit;

/// Keys naming the annotator of a line.
pub(crate) const ANNOTATOR_KEYS: [&str; 3] = ["annotator", "user", "username"];

/// Parses a doccano JSONL (or JSON array) export.
pub fn parse(name: &str, text: &str, labels: &LabelMap) -> Result<Loaded, LoadError> {
    let recs = records::<Line>(name, text, "example")?;
    let mut problems = Vec::new();
    let mut asm = Assembler::new(labels);
    for (i, r) in recs.enumerate() {
        let Some(r) = kept(r, &mut problems) else { continue };
        let place = r.place.clone();
        let head: std::rc::Rc<str> = std::rc::Rc::from(place.as_str());
        let fallback = format!("#{}", i + 1);
        let Line { obj: mut o, text: t, lists } = r.value;
        let Some(t) = text_or_note(t, &place, &fallback, "example", &mut problems) else { continue };
        let id = id_string(o.get("id"));
        let layer = ANNOTATOR_KEYS.iter().find_map(|k| id_string(o.get(*k))).unwrap_or_default();
        for k in ANNOTATOR_KEYS {
            o.remove(k);
        }
        // one article per (id, text)
        o.remove("id");
        let (doc, counter, first) = asm.doc(id.clone(), t, |t| RawDoc::new(id.unwrap_or(fallback), t, Unit::Utf16));
        if first {
            doc.take_meta(&mut o);
        } else {
            // metadata comes from the first line of the article
            RawDoc::new("", String::new(), Unit::Utf16).take_meta(&mut o);
        }
        let bags: Vec<Option<Map<String, Value>>> = match o.remove(BAG) {
            Some(Value::Object(mut g)) => {
                if let Some(Value::Object(ae)) = g.remove("article_extra") {
                    for (k, v) in ae {
                        doc.extra.entry(k).or_insert(v);
                    }
                }
                match g.remove("spans") {
                    Some(Value::Array(a)) => {
                        a.into_iter().map(|v| if let Value::Object(m) = v { Some(m) } else { None }).collect()
                    }
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        };
        let first_span = doc.spans.len();
        let mut ids: HashMap<String, usize> = HashMap::new();
        doc.spans.reserve(lists.iter().map(|(_, l)| if let List::Items(i) = l { i.len() } else { 0 }).sum());
        for (key, list) in lists {
            let items = match list {
                List::Items(items) => items,
                List::Other(v) => {
                    doc.problems
                        .push((None, format!("{place}: \"{key}\" is {}, not an array; kept as is", json_kind(&v))));
                    doc.extra.insert(key.into(), v);
                    continue;
                }
            };
            for (j, it) in items.into_iter().enumerate() {
                let sp = Place::item(&head, key, j);
                *counter += 1;
                let gen = super::raw::hash_id(*counter);
                let mut span = match it {
                    Entry::Triple { start, end, label, rest } => {
                        let label = match label {
                            Some(Value::String(s)) => s,
                            Some(other) => other.to_string(),
                            None => String::new(),
                        };
                        let mut s = RawSpan::new(gen, label, 0, 0, sp);
                        set_offsets(&mut s, start.as_ref(), end.as_ref(), ("start", "end"));
                        if !rest.is_empty() {
                            s.extra.insert("doccano_extra".into(), Value::Array(rest));
                        }
                        s
                    }
                    Entry::Object(mut e) => {
                        let own = id_string(e.get("id"));
                        let mut label = match e.remove("label") {
                            Some(Value::String(s)) => s,
                            Some(Value::Number(n)) => n.to_string(),
                            _ => String::new(),
                        };
                        // Label Studio's JSON_MIN export: {"start", "end", "text", "labels": [..]}
                        if label.is_empty() {
                            if let Some(Value::Array(l)) = e.get("labels") {
                                if let Some(Value::String(first)) = l.first() {
                                    label = first.clone();
                                    if l.len() == 1 {
                                        e.remove("labels");
                                    }
                                }
                            }
                        }
                        let mut s = RawSpan::new(own.clone().unwrap_or(gen), label, 0, 0, sp);
                        if let Some(Value::String(c)) = e.remove("text") {
                            s.claimed = Some(c);
                        }
                        let (a, b) = if e.contains_key("start_offset") {
                            ("start_offset", "end_offset")
                        } else {
                            ("start", "end")
                        };
                        set_offsets(&mut s, e.get(a), e.get(b), (a, b));
                        for k in ["id", a, b] {
                            e.remove(k);
                        }
                        if let Some(own) = own {
                            ids.insert(own, doc.spans.len());
                        }
                        s.extra = e;
                        s
                    }
                    Entry::Other(other) => {
                        doc.problems.push((
                            None,
                            format!(
                                "{place}, {key}[{j}]: expected [start, end, label] or an entity object, found {}; ignored",
                                json_kind(&other)
                            ),
                        ));
                        continue;
                    }
                };
                span.layer = layer.clone();
                span.bag = bags.get(doc.spans.len() - first_span).cloned().flatten();
                doc.spans.push(span);
            }
        }
        if let Some(rels) = o.remove("relations") {
            match rels {
                Value::Array(items) => {
                    for (j, it) in items.into_iter().enumerate() {
                        let rp = format!("{place}, relations[{j}]");
                        let Value::Object(mut r) = it else {
                            doc.problems.push((None, format!("{rp}: expected an object; ignored")));
                            continue;
                        };
                        let from = id_string(r.get("from_id")).and_then(|f| ids.get(&f).copied());
                        let to_raw = id_string(r.get("to_id")).unwrap_or_default();
                        let to = ids.get(&to_raw).copied().ok_or(to_raw.clone());
                        let label = match r.remove("type") {
                            Some(Value::String(s)) => s,
                            Some(other) => other.to_string(),
                            None => String::new(),
                        };
                        let Some(from) = from else {
                            doc.problems.push((
                                None,
                                format!(
                                    "{rp}: from_id names no entity of this line; relation {label} kept in the article"
                                ),
                            ));
                            r.insert("type".into(), Value::String(label));
                            push(&mut doc.extra, "relations", Value::Object(r));
                            continue;
                        };
                        if to.is_err() {
                            doc.problems
                                .push((Some(from), format!("{rp}: to_id {to_raw} names no entity of this line; kept")));
                        }
                        for k in ["id", "from_id", "to_id"] {
                            r.remove(k);
                        }
                        doc.relations.push(RawRelation { from, to, label, extra: r });
                    }
                }
                other => {
                    doc.problems.push((
                        None,
                        format!("{place}: \"relations\" is {}, not an array; kept as is", json_kind(&other)),
                    ));
                    doc.extra.insert("relations".into(), other);
                }
            }
        }
        // the rest is the example's meta
        for (k, v) in o {
            doc.extra.entry(k).or_insert(v);
        }
    }
    let articles = asm.into_articles();
    if articles.is_empty() {
        let first = problems.first().map(|p| p.message.clone()).unwrap_or_else(|| "no example in it".into());
        return Err(LoadError::new(name, "", format!("no usable doccano example: {first}")));
    }
    Ok(Loaded { path: PathBuf::from(name), articles, problems })
}

pub(crate) fn push(extra: &mut Map<String, Value>, key: &str, v: Value) {
    let e = extra.entry(key).or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(a) = e {
        a.push(v);
    }
}

/// One line of a doccano export, read without building JSON values for its span lists (the
/// bulk of the data): `text`, the lists under `label`, `labels`, `entities` in file order, and
/// every other field as it is.
struct Line {
    obj: Map<String, Value>,
    text: Option<Value>,
    lists: Vec<(&'static str, List)>,
}

/// A span list: its entries, or whatever else the field held.
enum List {
    Items(Vec<Entry>),
    Other(Value),
}

/// One entry of a span list.
enum Entry {
    /// `[start, end, label, …]`.
    Triple { start: Option<Value>, end: Option<Value>, label: Option<Value>, rest: Vec<Value> },
    /// `{"id", "label", "start_offset", "end_offset", …}`.
    Object(Map<String, Value>),
    /// Anything else.
    Other(Value),
}

enum Key {
    Text,
    List(&'static str),
    Other(String),
}

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(match v {
                    "text" => Key::Text,
                    "label" => Key::List("label"),
                    "labels" => Key::List("labels"),
                    "entities" => Key::List("entities"),
                    other => Key::Other(other.to_string()),
                })
            }
        }
        d.deserialize_str(V)
    }
}

impl<'de> serde::Deserialize<'de> for Line {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Line;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a doccano example (a JSON object)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Line, A::Error> {
                let mut line = Line { obj: Map::new(), text: None, lists: Vec::new() };
                while let Some(k) = m.next_key::<Key>()? {
                    match k {
                        Key::Text => line.text = Some(m.next_value()?),
                        Key::List(name) => line.lists.push((name, m.next_value()?)),
                        Key::Other(name) => {
                            let v: Value = m.next_value()?;
                            line.obj.insert(name, v);
                        }
                    }
                }
                Ok(line)
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> serde::Deserialize<'de> for List {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = List;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of spans")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> Result<List, A::Error> {
                let mut items = Vec::with_capacity(s.size_hint().unwrap_or(16));
                while let Some(e) = s.next_element::<Entry>()? {
                    items.push(e);
                }
                Ok(List::Items(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> Result<List, A::Error> {
                let v = Value::deserialize(serde::de::value::MapAccessDeserializer::new(m))?;
                Ok(List::Other(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<List, E> {
                Ok(List::Other(Value::String(v.to_string())))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<List, E> {
                Ok(List::Other(Value::Bool(v)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<List, E> {
                Ok(List::Other(Value::from(v)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<List, E> {
                Ok(List::Other(Value::from(v)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<List, E> {
                Ok(List::Other(Value::from(v)))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<List, E> {
                Ok(List::Other(Value::Null))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> serde::Deserialize<'de> for Entry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Entry;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a span: [start, end, label] or an entity object")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> Result<Entry, A::Error> {
                let start = s.next_element::<Value>()?;
                let end = if start.is_some() { s.next_element::<Value>()? } else { None };
                let label = if end.is_some() { s.next_element::<Value>()? } else { None };
                let mut rest = Vec::new();
                if label.is_some() {
                    while let Some(v) = s.next_element::<Value>()? {
                        rest.push(v);
                    }
                }
                Ok(Entry::Triple { start, end, label, rest })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, m: A) -> Result<Entry, A::Error> {
                let v = Map::deserialize(serde::de::value::MapAccessDeserializer::new(m))?;
                Ok(Entry::Object(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Entry, E> {
                Ok(Entry::Other(Value::String(v.to_string())))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Entry, E> {
                Ok(Entry::Other(Value::Bool(v)))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Entry, E> {
                Ok(Entry::Other(Value::from(v)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Entry, E> {
                Ok(Entry::Other(Value::from(v)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Entry, E> {
                Ok(Entry::Other(Value::from(v)))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Entry, E> {
                Ok(Entry::Other(Value::Null))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Flag, Kind};

    #[test]
    fn utf16_offsets_and_relations() {
        // 🇰🇷 is 4 UTF-16 units; 김하늘 at 5..8, the quote at 14..30
        let line = r#"{"id": 7, "text": "🇰🇷 김하늘 회장은 \"AI에 20억 달러를 투자한다\"고 말했다.", "entities": [{"id": 11, "label": "PS", "start_offset": 5, "end_offset": 8}, {"id": 12, "label": "QUOTE", "start_offset": 14, "end_offset": 30}], "relations": [{"id": 2, "from_id": 12, "to_id": 11, "type": "Speaker"}], "annotator": "kim", "Comments": []}"#;
        let l = parse("d.jsonl", line, &LabelMap::new()).unwrap();
        let a = &l.articles[0];
        assert!(a.problems.is_empty(), "{:?}", a.problems);
        assert_eq!(a.id, "7");
        let q = a.annotations.iter().find(|x| x.kind == Kind::Quote).unwrap();
        assert_eq!(a.span_text(q), "AI에 20억 달러를 투자한다");
        assert_eq!(q.speaker.as_deref(), Some("11"));
        assert_eq!(q.layer, "kim");
        assert_eq!(a.extra["Comments"], serde_json::json!([]));
    }

    #[test]
    fn older_forms_and_merged_annotators() {
        let text = "{\"id\": 1, \"text\": \"한국은행 발표\", \"labels\": [[0, 4, \"OG\"]], \"user\": \"a\"}\n{\"id\": 1, \"text\": \"한국은행 발표\", \"label\": [[0, 2, \"LC\"]], \"user\": \"b\"}\n";
        let l = parse("d.jsonl", text, &LabelMap::new()).unwrap();
        assert_eq!(l.articles.len(), 1);
        assert_eq!(l.articles[0].layers(), vec!["a".to_string(), "b".to_string()]);
    }

    #[test]
    fn scattered_lines_of_one_article_are_merged() {
        let t = concat!(
            r#"{"id": 1, "text": "김 회장은 \"좋다\"고 말했다", "entities": [{"id": 1, "label": "PS", "start_offset": 0, "end_offset": 1}], "relations": [], "annotator": "a"}"#,
            "\n",
            r#"{"id": 2, "text": "다른 기사", "label": []}"#,
            "\n",
            r#"{"id": 1, "text": "김 회장은 \"좋다\"고 말했다", "annotator": "b", "entities": [{"id": 1, "label": "PS", "start_offset": 0, "end_offset": 4}, {"id": 2, "label": "QUOTE", "start_offset": 7, "end_offset": 9}], "relations": [{"id": 1, "from_id": 2, "to_id": 1, "type": "Speaker"}]}"#,
            "\n"
        );
        let l = parse("d.jsonl", t, &LabelMap::new()).unwrap();
        assert_eq!(l.articles.len(), 2);
        let a = &l.articles[0];
        assert!(a.problems.is_empty(), "{:?}", a.problems);
        let mut layers = a.layers();
        layers.sort();
        assert_eq!(layers, vec!["a", "b"]);
        let renamed = a.annotation("1-2").unwrap();
        assert_eq!((&*renamed.layer, a.span_text(renamed)), ("b", "김 회장"));
        assert_eq!(renamed.extra["source_id"], "1");
        let q = a.annotations.iter().find(|x| x.kind == Kind::Quote).unwrap();
        assert_eq!(q.speaker.as_deref(), Some("1-2"));
        assert_eq!(a.annotations.iter().map(|x| x.start).collect::<Vec<_>>(), vec![0, 0, 15], "reading order");
    }

    #[test]
    fn label_studio_json_min_lines_are_read_and_verified() {
        let t = r#"{"text": "😀 김하늘 회장", "label": [{"start": 2, "end": 5, "text": "김하늘", "labels": ["PER"]}]}"#;
        let l = parse("m.jsonl", t, &LabelMap::new()).unwrap();
        let a = &l.articles[0];
        let x = &a.annotations[0];
        assert_eq!((&*x.label, a.span_text(x)), ("PER", "김하늘"));
        // code points, not UTF-16: repaired by the text, and said so
        assert!(x.flags.contains(&Flag::Repaired));
        assert!(a.problems[0].message.contains("they do in code points"), "{:?}", a.problems);
    }

    #[test]
    fn bad_offsets_are_kept_and_flagged() {
        let text = r#"{"text": "가나다", "label": [[0, 9, "X"], ["a", 2, "Y"]]}"#;
        let l = parse("d.jsonl", text, &LabelMap::new()).unwrap();
        let a = &l.articles[0];
        assert_eq!(a.annotations.len(), 2);
        assert!(a.annotations.iter().all(|x| x.flags.contains(&Flag::Orphaned)));
        assert!(
            a.problems.iter().any(|p| p
                .message
                .contains("line 1, label[0]: offsets 0..9 are beyond the end of the text (3 UTF-16 code units)")),
            "{:?}",
            a.problems
        );
        assert!(
            a.problems.iter().any(|p| p.message.contains("start is the string \"a\", not a number")),
            "{:?}",
            a.problems
        );
    }

    #[test]
    fn example_without_text_is_one_clear_problem() {
        let text = "{\"id\": 1, \"label\": [[0, 1, \"X\"]]}\n{\"id\": 2, \"text\": \"가\", \"label\": []}\n";
        let l = parse("d.jsonl", text, &LabelMap::new()).unwrap();
        assert_eq!(l.articles.len(), 1);
        assert_eq!(l.problems.len(), 1);
        assert_eq!(l.problems[0].message, "line 1: no \"text\"; the example is skipped");
    }
}
