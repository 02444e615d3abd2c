//! Prodigy JSONL (tasks and answers from `ner_manual`, `spans_manual`, `ner.teach`, `review`...).
//!
//! Offsets are code points (Python). Each task's `spans` become annotations; a span's `text`,
//! when present, is checked against the text, and `token_start`/`token_end` (inclusive) against
//! `tokens` (a mismatch is a problem; the character offsets win). The task's `answer` (or the
//! span's own, in binary tasks) is the review status: `accept` -> accepted, `reject` ->
//! rejected, `ignore` -> unreviewed.
//!
//! The layer is the task's `_annotator_id`, else `_session_id`, else `""`. Tasks with the same
//! `_input_hash` and text are one article (one layer per annotator, as Prodigy's `review`
//! groups them). The task-level fields of each layer (`answer`, `_task_hash`, `_timestamp`,
//! `_view_id`, `_session_id`, any other `_` field) are kept in the article's
//! `extra.layers[LAYER]`; `meta` and other fields in the article's `extra` (the first task's);
//! `tokens`, `token_start`, `token_end` are not kept. The article id is `meta.id` when given.

use std::path::PathBuf;

use serde_json::{Map, Value};

use super::raw::{
    id_string, json_kind, kept, object_or_note, records, set_offsets, text_or_note, Assembler, RawDoc, RawSpan,
};
use crate::ingest::{LoadError, Loaded};
use crate::labels::LabelMap;
use crate::model::ReviewStatus;
use crate::offsets::Unit;

fn status_of(answer: Option<&Value>) -> ReviewStatus {
    match answer.and_then(Value::as_str) {
        Some("accept") => ReviewStatus::Accepted,
        Some("reject") => ReviewStatus::Rejected,
        _ => ReviewStatus::Unreviewed,
    }
}

/// Parses a Prodigy JSONL file (or a JSON array of tasks).
pub fn parse(name: &str, text: &str, labels: &LabelMap) -> Result<Loaded, LoadError> {
    let recs = records::<Value>(name, text, "task")?;
    let mut problems = Vec::new();
    let mut asm = Assembler::new(labels);
    for (i, r) in recs.enumerate() {
        let Some(r) = kept(r, &mut problems) else { continue };
        let place = r.place.clone();
        let fallback = format!("#{}", i + 1);
        let Some(mut o) = object_or_note(r.value, &place, &fallback, "task", &mut problems) else { continue };
        let Some(t) = text_or_note(o.remove("text"), &place, &fallback, "task", &mut problems) else { continue };
        let input = id_string(o.get("_input_hash"));
        let layer = id_string(o.get("_annotator_id")).or_else(|| id_string(o.get("_session_id"))).unwrap_or_default();
        let task_answer = o.get("answer").cloned();
        let id = o.get("meta").and_then(|m| id_string(m.get("id"))).unwrap_or(fallback);
        let (doc, counter, _) = asm.doc(input, t, |t| RawDoc::new(id, t, Unit::CodePoint));
        let tokens: Vec<(Option<u64>, Option<u64>)> = match o.remove("tokens") {
            Some(Value::Array(ts)) => ts
                .iter()
                .map(|t| (t.get("start").and_then(Value::as_u64), t.get("end").and_then(Value::as_u64)))
                .collect(),
            _ => Vec::new(),
        };
        if let Some(spans) = o.remove("spans") {
            match spans {
                Value::Array(items) => {
                    for (j, it) in items.into_iter().enumerate() {
                        let sp = format!("{place}, spans[{j}]");
                        let Value::Object(mut s) = it else {
                            doc.problems.push((
                                None,
                                format!("{sp}: expected a span object, found {}; ignored", json_kind(&it)),
                            ));
                            continue;
                        };
                        let label = match s.remove("label") {
                            Some(Value::String(l)) => l,
                            _ => String::new(),
                        };
                        *counter += 1;
                        let id = id_string(s.get("id")).unwrap_or_else(|| super::raw::hash_id(*counter));
                        s.remove("id");
                        let mut span = RawSpan::new(id, label, 0, 0, sp.clone());
                        set_offsets(&mut span, s.get("start"), s.get("end"), ("start", "end"));
                        if let Some(Value::String(c)) = s.remove("text") {
                            span.claimed = Some(c);
                        }
                        span.status = status_of(s.get("answer").or(task_answer.as_ref()));
                        let ts = s.remove("token_start").and_then(|v| v.as_u64());
                        let te = s.remove("token_end").and_then(|v| v.as_u64());
                        if let (Some(ts), Some(te), Some(&(a, b))) = (ts, te, span.frags.first()) {
                            let tok_s = tokens.get(ts as usize).and_then(|t| t.0);
                            let tok_e = tokens.get(te as usize).and_then(|t| t.1);
                            if !tokens.is_empty() && (tok_s != Some(a as u64) || tok_e != Some(b as u64)) {
                                doc.problems.push((
                                    Some(doc.spans.len()),
                                    format!(
                                        "{sp}: characters {a}..{b} do not match tokens {ts}..={te} ({}..{}); the characters are used",
                                        tok_s.map_or("?".into(), |x| x.to_string()),
                                        tok_e.map_or("?".into(), |x| x.to_string())
                                    ),
                                ));
                            }
                        }
                        s.remove("start");
                        s.remove("end");
                        if s.get("answer").is_some() && s.get("answer") == task_answer.as_ref() {
                            s.remove("answer");
                        }
                        span.layer = layer.clone();
                        span.extra = s;
                        doc.spans.push(span);
                    }
                }
                other => doc
                    .problems
                    .push((None, format!("{place}: \"spans\" is {}, not an array; ignored", json_kind(&other)))),
            }
        }
        // task-level fields of this layer
        let mut meta = Map::new();
        let keys: Vec<String> =
            o.keys().filter(|k| (k.starts_with('_') && *k != "_input_hash") || *k == "answer").cloned().collect();
        for k in keys {
            if let Some(v) = o.remove(&k) {
                meta.insert(k, v);
            }
        }
        if !meta.is_empty() {
            let layers = doc.extra.entry("layers").or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(l) = layers {
                l.insert(layer.clone(), Value::Object(meta));
            }
        }
        for (k, v) in o {
            doc.extra.entry(k).or_insert(v);
        }
    }
    let articles = asm.into_articles();
    if articles.is_empty() {
        let first = problems.first().map(|p| p.message.clone()).unwrap_or_else(|| "no task in it".into());
        return Err(LoadError::new(name, "", format!("no usable Prodigy task: {first}")));
    }
    Ok(Loaded { path: PathBuf::from(name), articles, problems })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_on_one_input_become_layers_with_answers() {
        let t = concat!(
            r#"{"text":"김하늘 회장","_input_hash":5,"_task_hash":1,"_session_id":"news-alice","tokens":[{"text":"김하늘","start":0,"end":3,"id":0,"ws":true},{"text":"회장","start":4,"end":6,"id":1,"ws":false}],"spans":[{"start":0,"end":3,"token_start":0,"token_end":0,"label":"PS","text":"김하늘"}],"answer":"accept"}"#,
            "\n",
            r#"{"text":"김하늘 회장","_input_hash":5,"_task_hash":2,"_session_id":"news-bob","spans":[{"start":0,"end":6,"label":"PS"}],"answer":"reject"}"#,
            "\n"
        );
        let l = parse("p.jsonl", t, &LabelMap::new()).unwrap();
        assert_eq!(l.articles.len(), 1);
        let a = &l.articles[0];
        let mut layers = a.layers();
        layers.sort();
        assert_eq!(layers, vec!["news-alice".to_string(), "news-bob".to_string()]);
        assert_eq!(a.annotations[0].status, ReviewStatus::Rejected); // the longer span sorts first
        assert_eq!(a.annotations[1].status, ReviewStatus::Accepted);
        assert_eq!(a.extra["layers"]["news-bob"]["answer"], "reject");
        assert!(a.problems.is_empty(), "{:?}", a.problems);
    }
}
