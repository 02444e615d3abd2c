//! spaCy `Doc.to_json()`: one document as a JSON object, several as an array or JSONL.
//!
//! Offsets are Python string indices (code points), end exclusive. `ents` become annotations
//! in the default layer (`""`); each group of `spans` becomes a layer named after the group
//! (`sc`, `quotes`, ...). A span's `kb_id` (when not empty) and any other fields are kept in
//! its `extra`. `tokens` are used only to check the spans: a span that does not start and end
//! on token boundaries is kept with a problem (spaCy itself would drop it in training, W030).
//! The other top-level fields (`cats`, `sents`, `_`, `underscore_*`, `user_data`, ...) are kept
//! in the article's `extra`; `tokens` are not kept. spaCy writes no span text, so spans are
//! verified only against the text's length and the tokens.

use std::path::PathBuf;

use serde_json::{Map, Value};

use super::raw::{finish, json_kind, kept, object_or_note, records, set_offsets, Kinds, RawDoc, RawSpan};
use crate::ingest::{LoadError, Loaded};
use crate::labels::LabelMap;
use crate::model::Problem;
use crate::offsets::Unit;

/// Parses a spaCy `Doc.to_json()` file (an object, an array of them, or JSONL).
pub fn parse(name: &str, text: &str, labels: &LabelMap) -> Result<Loaded, LoadError> {
    let recs = records::<Value>(name, text, "doc")?;
    let mut problems = Vec::new();
    let mut kinds = Kinds::new(labels);
    let mut loaded = Loaded { path: PathBuf::from(name), ..Default::default() };
    for (i, r) in recs.enumerate() {
        let Some(r) = kept(r, &mut problems) else { continue };
        let fallback = format!("#{}", i + 1);
        let Some(mut o) = object_or_note(r.value, &r.place, &fallback, "Doc", &mut problems) else { continue };
        let Some(Value::String(t)) = o.remove("text") else {
            problems.push(Problem {
                article: fallback,
                annotation: None,
                message: format!("{}: the doc has no \"text\"; skipped", r.place),
            });
            continue;
        };
        let mut doc = RawDoc::new(fallback, t, Unit::CodePoint);
        if let Some(Value::Object(ud)) = o.get("user_data") {
            if let Some(id) = super::raw::id_string(ud.get("id")) {
                doc.id = id;
            }
        }
        let tokens = match o.remove("tokens") {
            Some(Value::Array(t)) => Some(token_bounds(&t)),
            _ => None,
        };
        let place = |what: &str| format!("{}, {what}", r.place);
        if let Some(ents) = o.remove("ents") {
            match ents {
                Value::Array(items) => {
                    for (j, it) in items.into_iter().enumerate() {
                        add_span(&mut doc, it, "", &place(&format!("ents[{j}]")), &format!("ent{}", j + 1));
                    }
                }
                other => doc.problems.push((
                    None,
                    format!("{}: \"ents\" is {}, not an array; ignored", place("ents"), json_kind(&other)),
                )),
            }
        }
        if let Some(spans) = o.remove("spans") {
            match spans {
                Value::Object(groups) => {
                    for (g, items) in groups {
                        let Value::Array(items) = items else {
                            doc.problems
                                .push((None, format!("{}: not an array; ignored", place(&format!("spans.{g}")))));
                            continue;
                        };
                        for (j, it) in items.into_iter().enumerate() {
                            add_span(&mut doc, it, &g, &place(&format!("spans.{g}[{j}]")), &format!("{g}{}", j + 1));
                        }
                    }
                }
                other => doc.problems.push((
                    None,
                    format!("{}: \"spans\" is {}, not an object of groups; ignored", place("spans"), json_kind(&other)),
                )),
            }
        }
        if let Some((starts, ends)) = tokens {
            for (j, s) in doc.spans.iter().enumerate() {
                let Some(&(a, b)) = s.frags.first() else { continue };
                let sa = starts.binary_search(&a).is_ok();
                let eb = ends.binary_search(&b).is_ok();
                if !(sa && eb) && a < b {
                    let edge = match (sa, eb) {
                        (false, false) => "start and end",
                        (false, true) => "start",
                        _ => "end",
                    };
                    doc.problems.push((
                        Some(j),
                        format!("{}: span {a}..{b} does not line up with the tokens (its {edge} falls inside a token); kept as given", s.place),
                    ));
                }
            }
        }
        doc.extra = o;
        loaded.articles.push(finish(doc, &mut kinds));
    }
    loaded.problems = problems;
    if loaded.articles.is_empty() {
        let first = loaded.problems.first().map(|p| p.message.clone()).unwrap_or_else(|| "no doc in it".into());
        return Err(LoadError::new(name, "", format!("no usable spaCy doc: {first}")));
    }
    Ok(loaded)
}

fn token_bounds(tokens: &[Value]) -> (Vec<usize>, Vec<usize>) {
    let mut s = Vec::with_capacity(tokens.len());
    let mut e = Vec::with_capacity(tokens.len());
    for t in tokens {
        if let (Some(a), Some(b)) = (t.get("start").and_then(Value::as_u64), t.get("end").and_then(Value::as_u64)) {
            s.push(a as usize);
            e.push(b as usize);
        }
    }
    s.sort_unstable();
    e.sort_unstable();
    (s, e)
}

fn add_span(doc: &mut RawDoc, it: Value, layer: &str, place: &str, id: &str) {
    let mut o: Map<String, Value> = match it {
        Value::Object(o) => o,
        // span-group items may also be written as [start, end, label, kb_id]
        Value::Array(a) if a.len() >= 3 => {
            let mut o = Map::new();
            let mut a = a.into_iter();
            o.insert("start".into(), a.next().unwrap_or(Value::Null));
            o.insert("end".into(), a.next().unwrap_or(Value::Null));
            o.insert("label".into(), a.next().unwrap_or(Value::Null));
            if let Some(kb) = a.next() {
                o.insert("kb_id".into(), kb);
            }
            o
        }
        other => {
            doc.problems.push((None, format!("{place}: expected a span object, found {}; ignored", json_kind(&other))));
            return;
        }
    };
    let label = match o.remove("label") {
        Some(Value::String(s)) => s,
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let mut span = RawSpan::new(id, label, 0, 0, place.to_string());
    set_offsets(&mut span, o.get("start"), o.get("end"), ("start", "end"));
    o.remove("start");
    o.remove("end");
    if matches!(o.get("kb_id"), Some(Value::String(s)) if s.is_empty()) {
        o.remove("kb_id");
    }
    span.layer = layer.to_string();
    span.extra = o;
    doc.spans.push(span);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    #[test]
    fn ents_and_span_groups_become_layers() {
        let j = r#"{"text":"김하늘 회장은 \"AI에 20억 달러를 투자한다\"고 말했다.","ents":[{"start":0,"end":3,"label":"PS"},{"start":13,"end":19,"label":"QT"}],
            "tokens":[{"id":0,"start":0,"end":3},{"id":1,"start":4,"end":7},{"id":2,"start":8,"end":9},{"id":3,"start":9,"end":12},{"id":4,"start":13,"end":16},{"id":5,"start":17,"end":19},{"id":6,"start":19,"end":20}],
            "spans":{"quotes":[{"start":9,"end":25,"label":"QUOTE","kb_id":""}]}}"#;
        let l = parse("d.json", j, &LabelMap::new()).unwrap();
        let a = &l.articles[0];
        assert_eq!(a.layers(), vec!["".to_string(), "quotes".to_string()]);
        let q = a.annotations.iter().find(|x| x.layer == "quotes").unwrap();
        assert_eq!(q.kind, Kind::Quote);
        assert_eq!(a.span_text(q), "AI에 20억 달러를 투자한다");
        // the quote ends inside no token list entry (25 is not a token end here)
        assert!(
            a.problems.iter().any(|p| p.message.contains("does not line up with the tokens (its end")),
            "{:?}",
            a.problems
        );
        assert_eq!(a.problems.len(), 1, "{:?}", a.problems);
    }
}
