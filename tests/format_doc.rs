//! The loader behaviours that docs/FORMAT.md states, one test per claim that no unit test of
//! src/ingest.rs already pins down.

use gisa::ingest::{article_from_value, article_to_value, load_native_json, load_native_jsonl};
use gisa::model::{Flag, Kind};
use serde_json::json;

fn flags_of(ann: serde_json::Value) -> Vec<Flag> {
    let a = article_from_value(json!({"text": "가나다라마바사", "annotations": [ann]}), "#1").unwrap();
    a.annotations[0].flags.clone()
}

#[test]
fn an_integral_float_offset_is_flagged_as_fractional() {
    assert_eq!(flags_of(json!({"id": "a", "start": 1.0, "end": 2})), vec![Flag::BadOffsets]);
}

#[test]
fn a_missing_or_untyped_offset_is_flagged_and_read_as_zero() {
    for ann in [
        json!({"id": "a", "start": 1}),
        json!({"id": "a", "start": 0, "end": null}),
        json!({"id": "a", "start": 0, "end": true}),
    ] {
        assert_eq!(flags_of(ann.clone()), vec![Flag::BadOffsets], "{ann}");
    }
}

#[test]
fn bad_offsets_and_unknown_kinds_are_written_back_as_given() {
    let a = article_from_value(
        json!({"text": "가나다", "annotations": [
            {"id": "a", "start": "1", "end": 99},
            {"id": "b", "kind": "claim", "start": 0, "end": 1}]}),
        "#1",
    )
    .unwrap();
    let back = article_to_value(&a);
    let anns = back["annotations"].as_array().unwrap();
    let a_out = anns.iter().find(|x| x["id"] == "a").unwrap();
    assert_eq!((&a_out["start"], &a_out["end"]), (&json!("1"), &json!(99)));
    let b_out = anns.iter().find(|x| x["id"] == "b").unwrap();
    assert_eq!(b_out["kind"], "claim");
    assert_eq!(a.annotations.iter().find(|x| x.id == "b").unwrap().kind, Kind::Entity);
}

#[test]
fn wrongly_typed_known_fields_are_kept_uninterpreted() {
    let a = article_from_value(
        json!({"text": "가나다", "annotations": [
            {"id": "f", "kind": "figure", "start": 0, "end": 1, "value": "1200", "approx": "yes", "status": "maybe"}]}),
        "#1",
    )
    .unwrap();
    let f = &a.annotations[0];
    assert_eq!((f.value, f.approx), (None, None));
    let back = article_to_value(&a);
    assert_eq!(back["annotations"][0]["value"], "1200");
    assert_eq!(back["annotations"][0]["approx"], "yes");
    assert_eq!(back["annotations"][0]["status"], "maybe");
}

#[test]
fn missing_ids_are_positions() {
    let loaded =
        load_native_json("f.json", r#"[{"text": "a"}, {"text": "b", "annotations": [{"start": 0, "end": 1}]}]"#)
            .unwrap();
    assert_eq!(loaded.articles[0].id, "#1");
    assert_eq!(loaded.articles[1].id, "#2");
    assert_eq!(loaded.articles[1].annotations[0].id, "#1");
    let lines = load_native_jsonl("f.jsonl", "\n{\"text\": \"a\"}\r\n").unwrap();
    assert_eq!(lines.articles[0].id, "#2", "the line number");
}

#[test]
fn offsets_are_code_points_of_the_raw_text_mapped_onto_the_cleaned_text() {
    // a flag (2 code points), a tab (1 raw code point, 4 spaces), then NFD 한 (3 code points)
    let raw = "🇰🇷\t\u{1112}\u{1161}\u{11AB}국";
    let a = article_from_value(
        json!({"text": raw, "annotations": [
            {"id": "flag", "start": 0, "end": 2, "text": "🇰🇷"},
            {"id": "han", "start": 3, "end": 7, "text": "\u{1112}\u{1161}\u{11AB}국"},
            {"id": "half", "start": 4, "end": 6}]}),
        "#1",
    )
    .unwrap();
    assert!(a.problems.is_empty(), "{:?}", a.problems);
    assert_eq!(a.text, "🇰🇷    한국");
    let span = |id: &str| a.span_text(a.annotation(id).unwrap()).to_string();
    assert_eq!(span("flag"), "🇰🇷");
    assert_eq!(span("han"), "한국");
    // an edge inside the NFD syllable moves outward: the span keeps what it covered
    assert_eq!(span("half"), "한");
    // export: the cleaned text and code points of it
    let back = article_to_value(&a);
    let han = back["annotations"].as_array().unwrap().iter().find(|x| x["id"] == "han").unwrap().clone();
    assert_eq!((han["start"].as_u64(), han["end"].as_u64()), (Some(6), Some(8)));
}
