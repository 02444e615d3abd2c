//! The JSON Schema of the native format (`assets/schema/gisa-article-1.schema.json`) against the
//! loader and the samples.
//!
//! No schema crate is used (the full validators pull in dozens of crates); instead this file
//! (a) checks that the schema lists exactly the fields the loader knows, with the loader's
//! enums and requirements, and (b) validates every sample with a small evaluator of exactly
//! the keywords the schema uses; a keyword outside that set fails the test, so the evaluator
//! can never ignore part of the schema silently. `assets/articles-src/build.py` validates the
//! samples with the full Python `jsonschema` package as well, when it is installed.

use std::collections::BTreeSet;

use gisa::ingest::{article_from_value, article_to_value, load_native_json, FORMAT_NAME};
use gisa::model::{Annotation, Article, Kind, ReviewStatus};
use gisa::samples::SAMPLES;
use serde_json::{json, Map, Value};

const SCHEMA: &str = include_str!("../assets/schema/gisa-article-1.schema.json");

fn schema() -> Value {
    serde_json::from_str(SCHEMA).expect("the schema is valid JSON")
}

fn def<'a>(s: &'a Value, name: &str) -> &'a Value {
    &s["$defs"][name]
}

fn props(v: &Value) -> &Map<String, Value> {
    v["properties"].as_object().expect("properties")
}

fn keys(m: &Map<String, Value>) -> BTreeSet<String> {
    m.keys().cloned().collect()
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array().expect("array").iter().map(|x| x.as_str().expect("string").to_string()).collect()
}

/// An article with every known field set, annotations of every kind with every field set.
fn full_article() -> Article {
    let mut a = Article::from_text("x", "박서연 부사장은 “매출이 1조2천억원”이라고 말했다.");
    a.title = "t".into();
    a.source = "s".into();
    a.url = "u".into();
    a.published = "2025-07-25".into();
    let mut e = Annotation::new("e1", Kind::Entity, "PERSON", 0, 9);
    e.text = Some("박서연".into());
    e.canonical = Some("박서연".into());
    e.layer = "gold".into();
    e.status = ReviewStatus::Accepted;
    let mut q = Annotation::new("q1", Kind::Quote, "QUOTE", 25, 50);
    q.speaker = Some("e1".into());
    q.speaker_text = Some("부사장".into());
    let mut f = Annotation::new("f1", Kind::Figure, "MONEY", 35, 50);
    f.value = Some(1.2e12);
    f.unit = Some("KRW".into());
    f.approx = Some(true);
    f.bound = Some("min".into());
    a.annotations = vec![e, q, f];
    a
}

#[test]
fn schema_is_draft_2020_12_with_the_loaders_requirements() {
    let s = schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(strings(&def(&s, "article")["required"]), ["text".to_string()].into());
    assert_eq!(strings(&def(&s, "annotation")["required"]), ["end".to_string(), "start".to_string()].into());
    // the loader agrees: no text is an error, no offsets a problem
    assert!(article_from_value(json!({"id": "a"}), "#1").is_err());
    let a = article_from_value(json!({"text": "가나다", "annotations": [{"id": "x", "end": 1}]}), "#1").unwrap();
    assert!(a.problems.iter().any(|p| p.message.contains("start is missing")), "{:?}", a.problems);
    // unknown fields are allowed everywhere, as the loader keeps them
    assert_eq!(def(&s, "article")["additionalProperties"], true);
    assert_eq!(def(&s, "annotation")["additionalProperties"], true);
    assert_eq!(def(&s, "article")["properties"]["format"]["const"], FORMAT_NAME);
}

#[test]
fn schema_enums_are_the_loaders() {
    let s = schema();
    let ann = props(def(&s, "annotation"));
    let kinds: BTreeSet<String> = Kind::ALL.iter().map(|k| k.as_str().to_string()).collect();
    assert_eq!(strings(&ann["kind"]["enum"]), kinds);
    for k in &kinds {
        assert!(Kind::parse(k).is_some());
    }
    let statuses = strings(&ann["status"]["enum"]);
    for st in &statuses {
        assert_eq!(ReviewStatus::parse(st).map(|x| x.as_str()), Some(st.as_str()));
    }
    let all = [ReviewStatus::Unreviewed, ReviewStatus::Accepted, ReviewStatus::Rejected, ReviewStatus::Modified];
    assert_eq!(statuses, all.iter().map(|x| x.as_str().to_string()).collect());
    assert_eq!(strings(&ann["bound"]["enum"]), ["max".to_string(), "min".to_string()].into());
}

#[test]
fn schema_lists_every_field_the_loader_writes() {
    let s = schema();
    let exported = article_to_value(&full_article());
    let art_fields: BTreeSet<String> = exported.as_object().unwrap().keys().cloned().collect();
    assert_eq!(art_fields, keys(props(def(&s, "article"))));
    let mut ann_fields = BTreeSet::new();
    for x in exported["annotations"].as_array().unwrap() {
        ann_fields.extend(x.as_object().unwrap().keys().cloned());
    }
    assert_eq!(ann_fields, keys(props(def(&s, "annotation"))));
}

#[test]
fn loader_reads_every_field_the_schema_lists() {
    // Each property's first example, given to the loader, must be consumed (a field the loader
    // did not know would stay in `extra`).
    let s = schema();
    let text = "가".repeat(40);
    for (name, p) in props(def(&s, "article")) {
        let mut o = json!({"text": text});
        let example = p["examples"][0].clone();
        assert!(!example.is_null(), "article.{name} has an example");
        o[name.as_str()] = example;
        let a = article_from_value(o, "#1").unwrap();
        assert!(!a.extra.contains_key(name), "article field {name} is not read by the loader");
    }
    let ann_props = props(def(&s, "annotation"));
    // the offsets' examples make a valid span together
    let base = json!({"start": ann_props["start"]["examples"][0], "end": ann_props["end"]["examples"][0]});
    for (name, p) in ann_props {
        let mut ann = base.clone();
        let example = p["examples"][0].clone();
        assert!(!example.is_null(), "annotation.{name} has an example");
        ann[name.as_str()] = example;
        let a = article_from_value(json!({"text": text, "annotations": [ann]}), "#1").unwrap();
        let x = &a.annotations[0];
        assert!(!x.extra.contains_key(name), "annotation field {name} is not read by the loader: {:?}", x.extra);
    }
}

// --- a small evaluator of the keywords the schema uses ---------------------------------------

const KEYWORDS: &[&str] = &[
    "$schema",
    "$id",
    "$defs",
    "$ref",
    "title",
    "description",
    "examples",
    "type",
    "enum",
    "const",
    "minimum",
    "minLength",
    "minItems",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "if",
    "then",
    "else",
];

fn uses_only_known_keywords(v: &Value, path: &str) {
    let Some(o) = v.as_object() else { return };
    for (k, sub) in o {
        assert!(KEYWORDS.contains(&k.as_str()), "{path}: keyword {k} is not evaluated by this test");
        match k.as_str() {
            "properties" | "$defs" => {
                for (name, s) in sub.as_object().unwrap() {
                    uses_only_known_keywords(s, &format!("{path}/{k}/{name}"));
                }
            }
            "items" | "if" | "then" | "else" => uses_only_known_keywords(sub, &format!("{path}/{k}")),
            "additionalProperties" => assert_eq!(sub, &Value::Bool(true), "{path}"),
            _ => {}
        }
    }
}

fn type_ok(v: &Value, t: &str) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        "number" => v.is_number(),
        "integer" => v.as_i64().is_some() || v.as_u64().is_some() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => panic!("unknown type {t}"),
    }
}

/// Collects the errors of `v` against `sch` (with `root` for `$ref`) into `errs`.
fn eval(root: &Value, sch: &Value, v: &Value, at: &str, errs: &mut Vec<String>) {
    if let Some(r) = sch.get("$ref").and_then(Value::as_str) {
        let target = root.pointer(r.trim_start_matches('#')).unwrap_or_else(|| panic!("bad $ref {r}"));
        eval(root, target, v, at, errs);
    }
    if let Some(cond) = sch.get("if") {
        let mut probe = Vec::new();
        eval(root, cond, v, at, &mut probe);
        let branch = if probe.is_empty() { sch.get("then") } else { sch.get("else") };
        if let Some(b) = branch {
            eval(root, b, v, at, errs);
        }
    }
    if let Some(t) = sch.get("type") {
        let ok = match t {
            Value::String(t) => type_ok(v, t),
            Value::Array(ts) => ts.iter().any(|t| type_ok(v, t.as_str().unwrap())),
            _ => panic!("bad type"),
        };
        if !ok {
            errs.push(format!("{at}: {v} is not of type {t}"));
            return;
        }
    }
    if let Some(e) = sch.get("enum") {
        if !e.as_array().unwrap().contains(v) {
            errs.push(format!("{at}: {v} is not one of {e}"));
        }
    }
    if let Some(c) = sch.get("const") {
        if c != v {
            errs.push(format!("{at}: {v} is not {c}"));
        }
    }
    if let (Some(m), Some(n)) = (sch.get("minimum").and_then(Value::as_f64), v.as_f64()) {
        if n < m {
            errs.push(format!("{at}: {n} is less than {m}"));
        }
    }
    if let (Some(m), Some(s)) = (sch.get("minLength").and_then(Value::as_u64), v.as_str()) {
        if (s.chars().count() as u64) < m {
            errs.push(format!("{at}: {s:?} is shorter than {m}"));
        }
    }
    if let (Some(m), Some(a)) = (sch.get("minItems").and_then(Value::as_u64), v.as_array()) {
        if (a.len() as u64) < m {
            errs.push(format!("{at}: fewer than {m} items"));
        }
    }
    if let Some(o) = v.as_object() {
        for r in sch.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !o.contains_key(r.as_str().unwrap()) {
                errs.push(format!("{at}: {r} is required"));
            }
        }
        if let Some(ps) = sch.get("properties").and_then(Value::as_object) {
            for (k, s) in ps {
                if let Some(x) = o.get(k) {
                    eval(root, s, x, &format!("{at}/{k}"), errs);
                }
            }
        }
    }
    if let (Some(items), Some(a)) = (sch.get("items"), v.as_array()) {
        for (i, x) in a.iter().enumerate() {
            eval(root, items, x, &format!("{at}/{i}"), errs);
        }
    }
}

fn errors(doc: &Value) -> Vec<String> {
    let s = schema();
    let mut errs = Vec::new();
    eval(&s, &s, doc, "", &mut errs);
    errs
}

#[test]
fn the_evaluator_covers_every_keyword_of_the_schema() {
    uses_only_known_keywords(&schema(), "");
}

#[test]
fn every_sample_validates_against_the_schema() {
    let mut docs = 0;
    for (name, content) in SAMPLES {
        let values: Vec<Value> = if name.ends_with(".jsonl") {
            // a .jsonl line is one article; the schema's root also takes a lone article
            content.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
        } else {
            vec![serde_json::from_str(content).unwrap()]
        };
        for v in values {
            let errs = errors(&v);
            assert!(errs.is_empty(), "{name}: {errs:?}");
            docs += 1;
        }
    }
    assert!(docs >= 7);
    // an array of the samples is a valid .json file too
    let all: Vec<Value> =
        SAMPLES.iter().filter(|(n, _)| n.ends_with(".json")).map(|(_, c)| serde_json::from_str(c).unwrap()).collect();
    assert!(errors(&Value::Array(all.clone())).is_empty());
    assert!(load_native_json("all.json", &Value::Array(all).to_string()).unwrap().all_problems().next().is_none());
}

#[test]
fn the_schema_rejects_what_the_loader_flags() {
    let ok = json!({"text": "가나다", "annotations": [{"id": "a", "kind": "entity", "start": 0, "end": 1}]});
    assert!(errors(&ok).is_empty(), "{:?}", errors(&ok));
    let bad_annotation = |field: &str, v: Value| {
        let mut d = ok.clone();
        d["annotations"][0][field] = v;
        d
    };
    let cases = [
        ("no text", json!({"id": "x"})),
        ("text not a string", json!({"text": 5})),
        ("empty array", json!([])),
        ("annotations not an array", json!({"text": "a", "annotations": {}})),
        ("negative offset", bad_annotation("start", json!(-1))),
        ("fractional offset", bad_annotation("end", json!(1.5))),
        ("string offset", bad_annotation("start", json!("0"))),
        ("unknown kind", bad_annotation("kind", json!("weird"))),
        ("bad bound", bad_annotation("bound", json!("about"))),
        ("bad status", bad_annotation("status", json!("maybe"))),
        ("approx not a boolean", bad_annotation("approx", json!("yes"))),
        ("other format", json!({"format": "gisa-article/2", "text": "a"})),
        ("bad element of an array", json!([{"text": "a"}, {"title": "no text"}])),
    ];
    for (what, doc) in cases {
        assert!(!errors(&doc).is_empty(), "the schema accepts a document with {what}");
    }
}

#[test]
fn the_example_of_the_format_doc_loads_cleanly_and_validates() {
    let doc = include_str!("../docs/FORMAT.md");
    let start = doc.find("```json\n").expect("a json block") + "```json\n".len();
    let example = &doc[start..start + doc[start..].find("```").unwrap()];
    let v: Value = serde_json::from_str(example).expect("the example is JSON");
    assert!(errors(&v).is_empty(), "{:?}", errors(&v));
    let loaded = load_native_json("FORMAT.md", example).unwrap();
    assert!(loaded.all_problems().next().is_none(), "{:?}", loaded.all_problems().collect::<Vec<_>>());
    let a = &loaded.articles[0];
    let kinds: BTreeSet<Kind> = a.annotations.iter().map(|x| x.kind).collect();
    assert_eq!(kinds.len(), 4);
    assert_eq!(a.speaker_name(a.annotation("q1").unwrap()).as_deref(), Some("박서연"));
}
