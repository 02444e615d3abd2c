//! Label Studio JSON export: a list of tasks (or one task).
//!
//! A task is `{"id", "data": {"text", …}, "annotations": […], "predictions": […]}`. The text is
//! `data.text`, else the first of `data.content`, `article`, `body`, `document`, `sentence`. Every annotation and every prediction becomes its own **layer**:
//!
//! - an annotation: named after `completed_by` (its `email` when it is an object, `annotator N`
//!   for a user number), else `annotation ID`;
//! - a prediction: named after `model_version`, else `prediction ID`;
//! - a name already taken gets ` #ID`; an annotation-level `"gisa": {"layer"}` (written by gisa's
//!   exporter) names it exactly.
//!
//! The fields of each (`origin`: `annotation`/`prediction`, `id`, `completed_by`,
//! `model_version`, `score`, `ground_truth`, `lead_time`, `created_at`, …) are kept in the
//! article's `extra.layers[LAYER]`, with results that are not about a span under `results`.
//!
//! Results:
//! - `type: "labels"` (and any result whose `value` has `start`, `end` and a `…labels` list): an
//!   annotation; `value.text` is the claimed text. Offsets are **code points** (current Label
//!   Studio); exports from 2021 and before used UTF-16 and are repaired with the claimed text.
//!   The first label is the label (all of them in `extra.labels` when there are several). The
//!   result's `origin`, `score`, `from_name`/`to_name` (when not `label`/`text`) and other
//!   fields are kept in `extra`; other `value` fields in `extra.ls_value`.
//! - `type: "relation"`: a speaker-like label between a quote and another region sets the quote's
//!   speaker; other relations go to `extra.relations` of `from_id` (`{"to", "label"}`, plus
//!   `direction` when not `right` and `labels` when several).
//! - per-region results (same `id` as a region): `choices` become `extra.attributes[from_name]`
//!   (one choice as a string, several as a list), `textarea` texts are appended to
//!   `extra.notes`, anything else goes to `extra.attributes[from_name]` as its `value`.
//!
//! Task-level fields: `data.id`, `data.title`, `data.source`, `data.url`, `data.published` fill the
//! article (the id falls back to the task `id`); other `data` fields go to the article's `extra`;
//! other task fields to `extra.ls_task`.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::{Map, Value};

use super::raw::{
    finish, id_string, json_kind, kept, object_or_note, records, set_offsets, Kinds, RawDoc, RawRelation, RawSpan, BAG,
};
use crate::ingest::{LoadError, Loaded};
use crate::labels::LabelMap;
use crate::model::Problem;
use crate::offsets::Unit;

/// Keys of `data` tried for the text when `data.text` is absent.
const TEXT_KEYS: [&str; 5] = ["content", "article", "body", "document", "sentence"];

/// The layer name Label Studio's fields give an annotation (`prediction == false`) or a
/// prediction, before de-duplication.
pub(crate) fn derived_layer(obj: &Map<String, Value>, prediction: bool, k: usize) -> String {
    let id = id_string(obj.get("id")).unwrap_or_else(|| (k + 1).to_string());
    if prediction {
        match obj.get("model_version") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => format!("prediction {id}"),
        }
    } else {
        match obj.get("completed_by") {
            Some(Value::Object(u)) => match u.get("email") {
                Some(Value::String(e)) if !e.is_empty() => e.clone(),
                _ => id_string(u.get("id")).map_or_else(|| format!("annotation {id}"), |n| format!("annotator {n}")),
            },
            Some(Value::Number(n)) => format!("annotator {n}"),
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => format!("annotation {id}"),
        }
    }
}

/// Parses a Label Studio JSON export.
pub fn parse(name: &str, text: &str, labels: &LabelMap) -> Result<Loaded, LoadError> {
    let recs = records::<Value>(name, text, "task")?;
    let mut problems = Vec::new();
    let mut kinds = Kinds::new(labels);
    let mut loaded = Loaded { path: PathBuf::from(name), ..Default::default() };
    for (i, r) in recs.enumerate() {
        let Some(r) = kept(r, &mut problems) else { continue };
        let place = r.place.clone();
        let fallback = format!("#{}", i + 1);
        let Some(mut task) = object_or_note(r.value, &place, &fallback, "task", &mut problems) else { continue };
        let mut data = match task.remove("data") {
            Some(Value::Object(d)) => d,
            _ => Map::new(),
        };
        let key = ["text"]
            .iter()
            .chain(TEXT_KEYS.iter())
            .find(|k| matches!(data.get(**k), Some(Value::String(_))))
            .map(|k| k.to_string());
        let Some(Value::String(t)) = key.and_then(|k| data.remove(&k)) else {
            let n: usize = ["annotations", "predictions"]
                .iter()
                .filter_map(|k| task.get(*k).and_then(Value::as_array))
                .map(Vec::len)
                .sum();
            problems.push(Problem {
                article: fallback,
                annotation: None,
                message: format!(
                    "{place}: the task has no text (no data.text, nor data.content, article, body, document, sentence); skipped with its {n} annotation set(s)"
                ),
            });
            continue;
        };
        let id = id_string(data.get("id")).or_else(|| id_string(task.get("id"))).unwrap_or(fallback);
        let data_has_id = data.remove("id").is_some();
        let mut doc = RawDoc::new(id, t, Unit::CodePoint);
        doc.take_meta(&mut data);
        let mut layers = Map::new();
        let mut taken: Vec<String> = Vec::new();
        for (set_key, prediction) in [("annotations", false), ("predictions", true)] {
            let Some(sets) = task.remove(set_key) else { continue };
            let Value::Array(sets) = sets else {
                doc.problems
                    .push((None, format!("{place}: \"{set_key}\" is {}, not an array; ignored", json_kind(&sets))));
                continue;
            };
            for (k, set) in sets.into_iter().enumerate() {
                let Value::Object(mut set) = set else {
                    doc.problems.push((None, format!("{place}, {set_key}[{k}]: not an object; ignored")));
                    continue;
                };
                let mut layer = derived_layer(&set, prediction, k);
                let (forced, no_meta) = match set.remove(BAG) {
                    Some(Value::Object(mut g)) => (
                        match g.remove("layer") {
                            Some(Value::String(l)) => Some(l),
                            _ => None,
                        },
                        g.get("no_meta") == Some(&Value::Bool(true)),
                    ),
                    _ => (None, false),
                };
                if let Some(l) = forced {
                    layer = l;
                } else if taken.contains(&layer) {
                    layer = format!("{layer} #{}", id_string(set.get("id")).unwrap_or_else(|| (k + 1).to_string()));
                }
                taken.push(layer.clone());
                let results = match set.remove("result") {
                    Some(Value::Array(r)) => r,
                    Some(other) => {
                        doc.problems.push((
                            None,
                            format!("{place}, {set_key}[{k}]: \"result\" is {}; ignored", json_kind(&other)),
                        ));
                        Vec::new()
                    }
                    None => Vec::new(),
                };
                let mut meta = Map::new();
                meta.insert(
                    "origin".into(),
                    Value::String(if prediction { "prediction" } else { "annotation" }.into()),
                );
                for (mk, mv) in set {
                    meta.insert(mk, mv);
                }
                let others = read_results(&mut doc, results, &layer, &format!("{place}, {set_key}[{k}]"));
                if !others.is_empty() {
                    meta.insert("results".into(), Value::Array(others));
                }
                // a set gisa made up for a layer that had no Label Studio fields: nothing to keep
                if !(no_meta && meta.len() <= 2 && !meta.contains_key("results")) {
                    layers.insert(layer, Value::Object(meta));
                }
            }
        }
        if !layers.is_empty() {
            doc.extra.insert("layers".into(), Value::Object(layers));
        }
        for (k, v) in data {
            doc.extra.insert(k, v);
        }
        if data_has_id || id_string(task.get("id")).as_deref() == Some(doc.id.as_str()) {
            task.remove("id");
        }
        if let Some(Value::Object(mut g)) = task.remove(BAG) {
            if let Some(Value::Object(ae)) = g.remove("article_extra") {
                for (k, v) in ae {
                    doc.extra.insert(k, v);
                }
            }
        }
        if !task.is_empty() {
            doc.extra.insert("ls_task".into(), Value::Object(task));
        }
        loaded.articles.push(finish(doc, &mut kinds));
    }
    loaded.problems = problems;
    if loaded.articles.is_empty() {
        let first = loaded.problems.first().map(|p| p.message.clone()).unwrap_or_else(|| "no task in it".into());
        return Err(LoadError::new(name, "", format!("no usable Label Studio task: {first}")));
    }
    Ok(loaded)
}

/// The labels list of a region value (`labels`, `hypertextlabels`, any `…labels` key).
fn labels_key(v: &Map<String, Value>) -> Option<String> {
    v.iter().find(|(k, x)| k.ends_with("labels") && x.is_array()).map(|(k, _)| k.clone())
}

/// Reads one annotation set's results into `doc`; returns the results that are about no span.
fn read_results(doc: &mut RawDoc, results: Vec<Value>, layer: &str, place: &str) -> Vec<Value> {
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut others = Vec::new();
    let mut rels = Vec::new();
    let mut per_region = Vec::new();
    for (j, r) in results.into_iter().enumerate() {
        let rp = format!("{place}, result[{j}]");
        let Value::Object(mut r) = r else {
            doc.problems.push((None, format!("{rp}: not an object; ignored")));
            continue;
        };
        let ty = r.get("type").and_then(Value::as_str).unwrap_or("").to_string();
        if ty == "relation" {
            rels.push((rp, r));
            continue;
        }
        let is_region = match r.get("value") {
            Some(Value::Object(v)) => v.contains_key("start") && v.contains_key("end") && labels_key(v).is_some(),
            _ => false,
        };
        if !is_region {
            per_region.push((rp, r));
            continue;
        }
        let Some(Value::Object(mut v)) = r.remove("value") else { continue };
        let lk = labels_key(&v).unwrap_or_default();
        let all: Vec<Value> = match v.remove(&lk) {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        };
        let label = all.first().and_then(Value::as_str).unwrap_or("").to_string();
        let rid = id_string(r.get("id")).unwrap_or_else(|| format!("#{}", doc.spans.len() + 1));
        let mut span = RawSpan::new(rid.clone(), label, 0, 0, rp);
        set_offsets(&mut span, v.get("start"), v.get("end"), ("value.start", "value.end"));
        v.remove("start");
        v.remove("end");
        if let Some(Value::String(c)) = v.remove("text") {
            span.claimed = Some(c);
        }
        span.layer = layer.to_string();
        if all.len() > 1 {
            span.extra.insert("labels".into(), Value::Array(all));
        }
        if lk != "labels" {
            span.extra.insert("ls_labels_key".into(), Value::String(lk));
        }
        if !v.is_empty() {
            span.extra.insert("ls_value".into(), Value::Object(v));
        }
        r.remove("id");
        r.remove("type");
        if let Some(Value::Object(bag)) = r.remove(BAG) {
            span.bag = Some(bag);
        }
        if r.get("from_name").and_then(Value::as_str) == Some("label") {
            r.remove("from_name");
        }
        if r.get("to_name").and_then(Value::as_str) == Some("text") {
            r.remove("to_name");
        }
        for (k, x) in r {
            span.extra.insert(k, x);
        }
        ids.insert(rid, doc.spans.len());
        doc.spans.push(span);
    }
    for (rp, mut r) in per_region {
        let target = id_string(r.get("id")).and_then(|id| ids.get(&id).copied());
        let Some(i) = target else {
            others.push(Value::Object(r));
            continue;
        };
        let from = r.get("from_name").and_then(Value::as_str).unwrap_or("").to_string();
        let value = match r.remove("value") {
            Some(Value::Object(v)) => v,
            _ => Map::new(),
        };
        let ty = r.get("type").and_then(Value::as_str).unwrap_or("");
        let extra = &mut doc.spans[i].extra;
        match ty {
            "choices" => {
                let c = value.get("choices").cloned().unwrap_or(Value::Null);
                let c = match c {
                    Value::Array(mut a) if a.len() == 1 => a.remove(0),
                    other => other,
                };
                attr(extra, &from, c);
            }
            "textarea" => {
                let texts: Vec<Value> = match value.get("text") {
                    Some(Value::Array(a)) => a.clone(),
                    Some(Value::String(s)) => vec![Value::String(s.clone())],
                    _ => Vec::new(),
                };
                for t in texts {
                    super::doccano::push(extra, "notes", t);
                }
            }
            _ => {
                let mut v = value;
                for k in ["start", "end", "text"] {
                    v.remove(k);
                }
                if v.is_empty() {
                    doc.problems.push((Some(i), format!("{rp}: a {ty} result with no value; ignored")));
                } else {
                    attr(extra, &from, Value::Object(v));
                }
            }
        }
    }
    for (rp, mut r) in rels {
        let from_raw = id_string(r.get("from_id")).unwrap_or_default();
        let to_raw = id_string(r.get("to_id")).unwrap_or_default();
        let labels: Vec<Value> = match r.remove("labels") {
            Some(Value::Array(a)) => a,
            _ => Vec::new(),
        };
        let Some(&from) = ids.get(&from_raw) else {
            doc.problems.push((
                None,
                format!("{rp}: relation from {from_raw}, which is no region of this annotation; kept in the layer"),
            ));
            r.insert("labels".into(), Value::Array(labels));
            others.push(Value::Object(r));
            continue;
        };
        let to = ids.get(&to_raw).copied().ok_or(to_raw.clone());
        if to.is_err() {
            doc.problems
                .push((Some(from), format!("{rp}: relation to {to_raw}, which is no region of this annotation; kept")));
        }
        let mut extra = Map::new();
        if let Some(d) = r.get("direction").and_then(Value::as_str) {
            if d != "right" {
                extra.insert("direction".into(), Value::String(d.into()));
            }
        }
        let label = labels.first().and_then(Value::as_str).unwrap_or("").to_string();
        if labels.len() > 1 {
            extra.insert("labels".into(), Value::Array(labels));
        }
        doc.relations.push(RawRelation { from, to, label, extra });
    }
    others
}

fn attr(extra: &mut Map<String, Value>, name: &str, v: Value) {
    let a = extra.entry("attributes").or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(m) = a {
        m.insert(name.to_string(), v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Flag, Kind};

    const TASK: &str = r#"[{"id": 1, "data": {"text": "🇰🇷 김하늘 회장은 \"AI에 20억 달러를 투자한다\"고 말했다."},
      "annotations": [{"id": 10, "completed_by": {"id": 3, "email": "kim@example.com"}, "ground_truth": true, "result": [
        {"id": "p1", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual", "value": {"start": 3, "end": 6, "text": "김하늘", "labels": ["PS"]}},
        {"id": "q1", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 12, "end": 28, "text": "AI에 20억 달러를 투자한다", "labels": ["QUOTE"]}},
        {"id": "q1", "from_name": "verified", "to_name": "text", "type": "choices", "value": {"start": 12, "end": 28, "choices": ["yes"]}},
        {"id": "q1", "from_name": "note", "to_name": "text", "type": "textarea", "value": {"start": 12, "end": 28, "text": ["확인함"]}},
        {"from_id": "q1", "to_id": "p1", "type": "relation", "direction": "right", "labels": ["Speaker"]}]}],
      "predictions": [{"id": 20, "model_version": "ner-v2", "score": 0.8, "result": [
        {"id": "p1", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start": 5, "end": 8, "text": "김하늘", "labels": ["PS"]}}]}]}]"#;

    #[test]
    fn annotations_and_predictions_are_layers() {
        let l = parse("ls.json", TASK, &LabelMap::new()).unwrap();
        let a = &l.articles[0];
        assert_eq!(a.id, "1");
        let mut layers = a.layers();
        layers.sort();
        assert_eq!(layers, vec!["kim@example.com".to_string(), "ner-v2".to_string()]);
        let q = a.annotations.iter().find(|x| x.kind == Kind::Quote).unwrap();
        assert_eq!(q.speaker.as_deref(), Some("p1"));
        assert_eq!(q.extra["attributes"]["verified"], "yes");
        assert_eq!(q.extra["notes"][0], "확인함");
        assert_eq!(a.extra["layers"]["ner-v2"]["model_version"], "ner-v2");
        assert_eq!(a.extra["layers"]["kim@example.com"]["ground_truth"], true);
        // the prediction reused id p1 and was written in UTF-16: renamed and repaired
        let p = a.annotations.iter().find(|x| x.layer == "ner-v2").unwrap();
        assert_eq!(p.id, "p1-2");
        assert!(p.flags.contains(&Flag::Repaired));
        assert_eq!(a.span_text(p), "김하늘");
        assert_eq!(a.problems.len(), 1, "{:?}", a.problems);
        assert!(
            a.problems[0].message.contains("predictions[0], result[0]: offsets 5..8 do not cover"),
            "{:?}",
            a.problems
        );
    }
}
