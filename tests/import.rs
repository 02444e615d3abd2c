//! Importers, exporters and `convert`, on the fixtures in tests/fixtures/import/.

use std::path::{Path, PathBuf};

use gisa::import::{self, convert, export, load_dir, load_path, load_str, ConvertError, Format};
use gisa::ingest::{article_from_value, Loaded};
use gisa::labels::LabelMap;
use gisa::model::{Article, Flag, Kind, ReviewStatus};
use serde_json::{json, Value};

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(p)
}

fn load(p: &str) -> Loaded {
    load_path(&fixture(p), None, &LabelMap::new()).unwrap_or_else(|e| panic!("{e}"))
}

fn find<'a>(a: &'a Article, text: &str, layer: &str) -> &'a gisa::model::Annotation {
    a.annotations
        .iter()
        .find(|x| a.span_text(x) == text && x.layer == layer)
        .unwrap_or_else(|| panic!("no span {text:?} in layer {layer:?}"))
}

fn no_problems(l: &Loaded) {
    let all: Vec<&str> = l.all_problems().map(|p| p.message.as_str()).collect();
    assert!(all.is_empty(), "{all:#?}");
}

// ---------------------------------------------------------------- fixtures, detected by content

#[test]
fn spacy_fixture_made_by_spacy() {
    let l = load("spacy/news.spacy.json");
    no_problems(&l);
    let a = &l.articles[0];
    assert_eq!(a.layers(), vec!["".to_string(), "quotes".into(), "figures".into()]);
    assert_eq!(find(a, "박서연", "").kind, Kind::Entity);
    assert_eq!(find(a, "14일", "").kind, Kind::Figure);
    // spaCy's xx tokenizer glues the closing quote and particle to the verb: the span expanded
    let q = find(a, "청주 공장에 2조 원을 투자하겠다\"고", "quotes");
    assert_eq!(q.kind, Kind::Quote);
    assert_eq!(find(a, "2조 원을", "figures").label, "MONEY");
    assert_eq!(a.annotations.len(), 8);
}

#[test]
fn brat_pair_with_relations_events_attributes_notes() {
    let l = load("brat/news1.txt");
    no_problems(&l);
    let a = &l.articles[0];
    assert_eq!(a.id, "news1");
    let q = a.annotation("T4").unwrap();
    assert_eq!(q.kind, Kind::Quote);
    assert_eq!(q.speaker.as_deref(), Some("T2"), "Speaker Arg1:PERSON Arg2:Quote");
    assert_eq!(a.annotation("T9").unwrap().speaker.as_deref(), Some("T8"), "Speaker Arg1:Quote Arg2:OG");
    assert_eq!(a.span_text(a.annotation("T7").unwrap()), "2027년", "after the emoji");
    let t8 = a.annotation("T8").unwrap();
    assert_eq!(a.span_text(t8), "충청북도와 청주시");
    assert_eq!(t8.extra["fragments"], json!([[117, 121], [123, 126]]));
    assert_eq!(a.annotation("T1").unwrap().extra["relations"], json!([{"to": "T8", "label": "Located"}]));
    assert_eq!(a.annotation("T10").unwrap().extra["events"][0]["type"], "Invest");
    assert_eq!(a.annotation("T5").unwrap().extra["attributes"], json!({"Confidence": "High"}));
    assert_eq!(a.annotation("T6").unwrap().extra["notes"], json!(["일자리 수 재확인 필요"]));
    assert_eq!(a.extra["brat_lines"], json!(["*1\tEquiv T1 T8"]));
    // the same pair by its .ann path
    assert_eq!(load("brat/news1.ann").articles[0], *a);
}

#[test]
fn brat_nfd_text_is_composed_and_spans_follow() {
    let l = load("brat/news2.ann");
    no_problems(&l);
    let a = &l.articles[0];
    assert!(a.text.starts_with("정부는 내년 예산을 656조 원"), "{}", a.text);
    assert_eq!(a.span_text(a.annotation("T3").unwrap()), "656조 원");
    assert_eq!(a.span_text(a.annotation("T4").unwrap()), "김도윤");
}

#[test]
fn brat_folder_is_a_corpus() {
    let res = load_dir(&fixture("brat"), None, &LabelMap::new());
    let ids: Vec<String> = res.iter().map(|r| r.as_ref().unwrap().articles[0].id.clone()).collect();
    assert_eq!(ids, vec!["news1", "news2"], "annotation.conf is not loaded");
}

#[test]
fn label_studio_layers_relations_and_old_utf16_export() {
    let l = load("labelstudio/news.json");
    assert!(l.problems.is_empty());
    let a = &l.articles[0];
    assert_eq!(
        (a.id.as_str(), a.title.as_str(), a.published.as_str()),
        ("101", "한빛전자, 청주에 2조 원 투자", "2025-03-14")
    );
    assert!(a.problems.is_empty(), "{:?}", a.problems);
    let mut layers = a.layers();
    layers.sort();
    assert_eq!(layers, vec!["editor@example.com", "ko-ner-2025.1"]);
    let q = find(a, "청주 공장에 2조 원을 투자해 일자리 1200개를 만들겠다", "editor@example.com");
    assert_eq!(a.annotation(q.speaker.as_deref().unwrap()).map(|s| a.span_text(s)), Some("박서연"));
    assert_eq!(q.extra["attributes"], json!({"verified": "yes"}));
    assert_eq!(find(a, "2조 원", "editor@example.com").extra["notes"], json!(["원화 기준"]));
    assert_eq!(find(a, "박서연", "editor@example.com").extra["relations"][0]["label"], "WorksFor");
    let layers = &a.extra["layers"];
    assert_eq!(layers["ko-ner-2025.1"]["origin"], "prediction");
    assert_eq!(layers["ko-ner-2025.1"]["score"], 0.87);
    assert_eq!(layers["editor@example.com"]["completed_by"]["id"], 3);
    assert_eq!(find(a, "2027년", "ko-ner-2025.1").extra["origin"], "prediction");

    // task 2: UTF-16 offsets, a shifted span, a span whose text is not there
    let b = &l.articles[1];
    assert_eq!(b.layers(), vec!["annotator 5"]);
    let repaired = b.annotations.iter().filter(|x| x.flags.contains(&Flag::Repaired)).count();
    assert_eq!(repaired, 5);
    for t in ["정부", "2.1%", "한국은행", "이수민", "3.0%"] {
        assert!(find(b, t, "annotator 5").flags.contains(&Flag::Repaired), "{t}");
    }
    let orphan = b.annotation("x1").unwrap();
    assert_eq!(orphan.flags, vec![Flag::Orphaned, Flag::TextMismatch]);
    assert_eq!(orphan.text.as_deref(), Some("기준금리"));
    assert_eq!(b.problems.len(), 6);
    assert!(
        b.problems.iter().all(|p| p.message.starts_with("task 2 (line 186), annotations[0], result[")),
        "{:?}",
        b.problems
    );
    assert!(b.problems[0].message.ends_with(
        "offsets 5..7 do not cover \"정부\" in code points; they do in UTF-16 code units: read as UTF-16 code units"
    ));
}

#[test]
fn doccano_utf16_offsets_and_annotators() {
    let l = load("doccano/news.jsonl");
    no_problems(&l);
    let a = &l.articles[0];
    assert_eq!(a.layers().len(), 2);
    assert_eq!(find(a, "2027년", "kim").kind, Kind::Figure);
    let q = find(a, "청주 공장에 2조 원을 투자해 일자리 1200개를 만들겠다", "lee");
    assert_eq!(q.speaker.as_deref(), Some("21"));
    let b = &l.articles[1];
    for t in ["서울시", "내년", "150원", "오세린"] {
        find(b, t, "");
    }
    assert_eq!(b.extra["category"], "사회");
    assert_eq!(b.source, "가상일보");
}

#[test]
fn prodigy_sessions_and_answers() {
    let l = load("prodigy/news.jsonl");
    no_problems(&l);
    let a = &l.articles[0];
    assert_eq!(a.id, "kfa-2025-01");
    assert_eq!(find(a, "정하윤", "news-alice").status, ReviewStatus::Accepted);
    assert_eq!(find(a, "국가대표팀", "news-bob").status, ReviewStatus::Rejected);
    assert_eq!(a.extra["layers"]["news-bob"]["_task_hash"], 5502);
    let b = &l.articles[1];
    assert_eq!(find(b, "80mm", "news-alice").status, ReviewStatus::Unreviewed);
    assert_eq!(b.extra["layers"]["news-alice"]["answer"], "ignore");
}

#[test]
fn klue_sentences_checked_against_inline_form() {
    let l = load("klue/news.tsv");
    no_problems(&l);
    assert_eq!(l.articles.len(), 3);
    let a = &l.articles[1];
    assert_eq!(a.id, "gisa-ner-0002");
    assert_eq!(find(a, "오후 7시 30분", "").kind, Kind::Figure);
    assert_eq!(find(a, "잠실 보조경기장", "").label, "LC");
}

#[test]
fn user_label_map_overrides_kinds() {
    let map = LabelMap::from_toml_file(&fixture("labels.toml")).unwrap();
    let l = load_path(&fixture("brat/news1.ann"), None, &map).unwrap();
    assert_eq!(l.articles[0].annotation("T10").unwrap().kind, Kind::Figure);
    let default = load("brat/news1.ann");
    assert_eq!(default.articles[0].annotation("T10").unwrap().kind, Kind::Entity);
}

// ---------------------------------------------------------------- malformed inputs: one clear message each

fn messages(l: &Loaded) -> Vec<String> {
    l.all_problems().map(|p| p.message.clone()).collect()
}

#[test]
fn broken_ann_line() {
    let l = load("malformed/broken.ann");
    let m = messages(&l);
    assert_eq!(m.len(), 1, "{m:#?}");
    assert_eq!(m[0], "line 2: cannot read this line: no TAB after the id (expected ID<TAB>TYPE START END<TAB>TEXT, found \"T2 DT 4 7 15일\"); kept as is");
    assert_eq!(l.articles[0].annotations.len(), 2);
    assert_eq!(l.articles[0].extra["brat_lines"], json!(["T2 DT 4 7 15일"]));
}

#[test]
fn offsets_beyond_the_text() {
    let l = load("malformed/beyond.ann");
    let m = messages(&l);
    assert_eq!(m.len(), 1, "{m:#?}");
    assert_eq!(m[0], "line 2: offsets 40..52 are beyond the end of the text (17 code points); kept as an empty span at 17, orphaned (\"예산안\" is nowhere in the text)");
    let a = &l.articles[0];
    let t2 = a.annotation("T2").unwrap();
    assert_eq!((t2.start, t2.end), (a.text.len(), a.text.len()));
    assert!(t2.flags.contains(&Flag::Orphaned));
}

#[test]
fn ann_without_txt() {
    let e = load_path(&fixture("malformed/lonely.ann"), None, &LabelMap::new()).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("lonely.ann: no lonely.txt beside it: brat keeps the text in NAME.txt, next to NAME.ann"),
        "{e}"
    );
}

#[test]
fn task_without_text() {
    let l = load("malformed/notext.json");
    let m = messages(&l);
    assert_eq!(m.len(), 1, "{m:#?}");
    assert_eq!(m[0], "task 2 (line 14): the task has no text (no data.text, nor data.content, article, body, document, sentence); skipped with its 1 annotation set(s)");
    assert_eq!(l.articles.len(), 1);
}

#[test]
fn bio_starting_with_i() {
    let l = load("malformed/bio.tsv");
    let m = messages(&l);
    assert_eq!(m.len(), 1, "{m:#?}");
    assert_eq!(m[0], "line 6: I-DT follows O (no B-DT before it); read as the start of a DT entity");
    let a = &l.articles[0];
    assert_eq!(a.span_text(&a.annotations[1]), "15일");
}

#[test]
fn plain_text_is_left_to_the_extractor() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("memo.txt"), "그냥 글").unwrap();
    std::fs::copy(fixture("brat/news2.txt"), dir.path().join("b.txt")).unwrap();
    std::fs::copy(fixture("brat/news2.ann"), dir.path().join("b.ann")).unwrap();
    assert!(import::is_plain_text(&dir.path().join("memo.txt")));
    assert!(!import::is_plain_text(&dir.path().join("b.txt")));
    let e = load_path(&dir.path().join("memo.txt"), None, &LabelMap::new()).unwrap_err();
    assert!(e.message.starts_with("plain text with no .ann beside it"), "{e}");
    let res = load_dir(dir.path(), None, &LabelMap::new());
    assert_eq!(res.len(), 1);
    assert_eq!(import::plain_text_files(dir.path()), vec![dir.path().join("memo.txt")]);
}

// ---------------------------------------------------------------- native -> X -> native

/// Code-point offsets of the nth occurrence of `piece`.
fn cp(text: &str, piece: &str, nth: usize) -> (usize, usize) {
    let mut from = 0;
    let mut at = 0;
    for _ in 0..=nth {
        at = from + text[from..].find(piece).unwrap();
        from = at + piece.len();
    }
    let s = text[..at].chars().count();
    (s, s + piece.chars().count())
}

const NATIVE_TEXT: &str = "🇰🇷 [단독] 가온은행, 2분기 순이익 3200억 원…전년 대비 12% 증가\n가온은행 최지훈 행장은 22일 \"하반기에도 중소기업 대출을 늘리겠다.\n고객 신뢰가 먼저다\"라고 말했다. 😀 금융당국 관계자는 \"건전성 지표를 지켜보겠다\"고 밝혔다.\n사진=가온은행 제공";

/// A native article using everything the model has, in three layers.
fn native_sample() -> Article {
    let t = NATIVE_TEXT;
    let at = |p: &str, n: usize| {
        let (s, e) = cp(t, p, n);
        json!({"start": s, "end": e})
    };
    let mut anns = vec![
        json!({"id": "e1", "kind": "entity", "label": "ORG", "canonical": "가온은행", "attributes": {"Verified": true, "Source": "공시"},
               "notes": ["지주사와 구분"], "relations": [{"to": "e2", "label": "Employs"}]}),
        json!({"id": "e2", "kind": "entity", "label": "PERSON", "status": "accepted"}),
        json!({"id": "q1", "kind": "quote", "label": "QUOTE", "speaker": "e2", "text": "하반기에도 중소기업 대출을 늘리겠다.\n고객 신뢰가 먼저다"}),
        json!({"id": "f1", "kind": "figure", "label": "MONEY", "value": 320000000000i64, "unit": "KRW", "approx": false}),
        json!({"id": "f2", "kind": "figure", "label": "PERCENT", "value": 12.5, "unit": "%", "bound": "min", "layer": "model-v2",
               "status": "rejected", "confidence": 0.91, "model": {"name": "fig", "threshold": 0.5}}),
        json!({"id": "f3", "kind": "figure", "label": "DATE", "layer": "model-v2"}),
        json!({"id": "e3", "kind": "entity", "label": "GOV BODY", "layer": "gold", "relations": [{"to": "q2", "label": "Mentions"}]}),
        json!({"id": "q2", "kind": "quote", "label": "발언", "layer": "gold", "speaker": "e1", "speaker_text": "금융당국 관계자"}),
        json!({"id": "c1", "kind": "caption", "label": "사진", "status": "modified"}),
        json!({"id": "d1", "kind": "entity", "label": "TREND", "fragments": [[cp(t, "전년 대비", 0).0, cp(t, "전년 대비", 0).1], [cp(t, "증가", 0).0, cp(t, "증가", 0).1]]}),
    ];
    let places = [
        at("가온은행", 1),
        at("최지훈", 0),
        at("하반기에도 중소기업 대출을 늘리겠다.\n고객 신뢰가 먼저다", 0),
        at("3200억 원", 0),
        at("12%", 0),
        at("22일", 0),
        at("금융당국", 0),
        at("건전성 지표를 지켜보겠다", 0),
        at("사진=가온은행 제공", 0),
        json!({"start": cp(t, "전년 대비", 0).0, "end": cp(t, "증가", 0).1}),
    ];
    for (a, p) in anns.iter_mut().zip(places) {
        for (k, v) in p.as_object().unwrap() {
            a[k] = v.clone();
        }
    }
    let v = json!({"format": "gisa-article/1", "id": "gaon-2025-q2", "title": "가온은행 2분기 실적", "source": "가상경제",
        "url": "https://example.com/news/1", "published": "2025-07-22", "section": "경제", "tags": ["은행", "실적"],
        "text": t, "annotations": anns});
    let a = article_from_value(v, "#1").unwrap();
    assert!(a.problems.is_empty(), "{:?}", a.problems);
    a
}

/// Compares two articles: everything when `meta`, else text, id and annotations. A missing
/// claimed text equals the covered text.
fn assert_same(orig: &Article, back: &Article, meta: bool) {
    assert_eq!(back.text, orig.text);
    assert_eq!(back.id, orig.id);
    if meta {
        assert_eq!(
            (&back.title, &back.source, &back.url, &back.published),
            (&orig.title, &orig.source, &orig.url, &orig.published)
        );
        assert_eq!(back.extra, orig.extra);
    }
    let mut a: Vec<_> = orig.annotations.clone();
    let mut b: Vec<_> = back.annotations.clone();
    for (v, art) in [(&mut a, orig), (&mut b, back)] {
        v.sort_by(|x, y| x.id.cmp(&y.id));
        for x in v.iter_mut() {
            if x.text.is_none() {
                x.text = Some(art.span_text(x).to_string());
            }
        }
    }
    assert_eq!(a.len(), b.len(), "{:?}", b.iter().map(|x| &x.id).collect::<Vec<_>>());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
    assert!(back.problems.is_empty(), "{:#?}", back.problems);
}

fn reload(files: &[(String, String)], to: Format) -> Vec<Article> {
    let labels = LabelMap::new();
    match to {
        Format::Brat => {
            let dir = tempfile::tempdir().unwrap();
            for (name, content) in files {
                std::fs::write(dir.path().join(name), content).unwrap();
            }
            load_dir(dir.path(), None, &labels).into_iter().flat_map(|r| r.unwrap().articles).collect()
        }
        _ => {
            let name = if to == Format::Doccano { "x.jsonl" } else { "x.json" };
            load_str(name, &files[0].1, to, &labels).unwrap_or_else(|e| panic!("{e}\n{}", files[0].1)).articles
        }
    }
}

#[test]
fn native_to_brat_to_native_keeps_spans_labels_layers_attributes() {
    let orig = native_sample();
    let files = export(std::slice::from_ref(&orig), Format::Brat).unwrap();
    assert_eq!(files.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(), vec!["gaon-2025-q2.txt", "gaon-2025-q2.ann"]);
    let ann = &files[1].1;
    // what brat holds, brat holds natively
    assert!(ann.contains("\tSpeaker Arg1:T"), "{ann}");
    assert!(ann.contains("\tVerified T"), "{ann}");
    assert!(ann.contains("\tSource T") && ann.contains(" 공시\n"), "{ann}");
    assert!(ann.contains("\tAnnotatorNotes T") && ann.contains("\t지주사와 구분\n"), "{ann}");
    assert!(ann.contains("\tEmploys Arg1:T"), "{ann}");
    assert!(ann.lines().all(|l| l.split('\t').count() <= 3), "{ann}");
    // the quote across a line break is split into fragments
    assert!(ann.contains("QUOTE ") && ann.contains(";"), "{ann}");
    let back = reload(&files, Format::Brat);
    assert_same(&orig, &back[0], false);
}

#[test]
fn native_to_doccano_to_native_keeps_everything() {
    let orig = native_sample();
    let files = export(std::slice::from_ref(&orig), Format::Doccano).unwrap();
    let lines: Vec<Value> = files[0].1.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3, "one line per layer");
    // offsets are UTF-16: 🇰🇷 counts 4
    let first = &lines[0];
    let e1 = first["entities"].as_array().unwrap().iter().find(|e| e["label"] == "ORG").unwrap();
    let (s, e) = cp(NATIVE_TEXT, "가온은행", 1);
    assert_eq!(
        (e1["start_offset"].as_u64().unwrap(), e1["end_offset"].as_u64().unwrap()),
        ((s + 2) as u64, (e + 2) as u64)
    );
    let back = reload(&files, Format::Doccano);
    assert_eq!(back.len(), 1);
    assert_same(&orig, &back[0], true);
}

#[test]
fn native_to_labelstudio_to_native_keeps_everything() {
    let orig = native_sample();
    let files = export(std::slice::from_ref(&orig), Format::LabelStudio).unwrap();
    let tasks: Value = serde_json::from_str(&files[0].1).unwrap();
    assert_eq!(tasks[0]["annotations"].as_array().unwrap().len(), 3, "one annotation set per layer");
    let back = reload(&files, Format::LabelStudio);
    assert_same(&orig, &back[0], true);
}

#[test]
fn native_to_native_is_the_identity() {
    let orig = native_sample();
    let files = export(std::slice::from_ref(&orig), Format::Native).unwrap();
    let back = reload(&files, Format::Native);
    assert_same(&orig, &back[0], true);
}

/// X -> gisa -> X -> gisa gives the same articles (flags aside: repaired spans are written back
/// where they were found).
#[test]
fn fixtures_survive_their_own_format() {
    for (p, f) in [
        ("brat/news1.ann", Format::Brat),
        ("doccano/news.jsonl", Format::Doccano),
        ("labelstudio/news.json", Format::LabelStudio),
    ] {
        let first = load(p).articles;
        let files = export(&first, f).unwrap();
        let again = reload(&files, f);
        assert_eq!(again.len(), first.len(), "{p}");
        for (x, y) in first.iter().zip(&again) {
            let strip = |a: &Article| {
                let mut a = a.clone();
                a.problems.clear();
                for n in &mut a.annotations {
                    n.flags.retain(|f| *f == Flag::DuplicateId);
                    if n.text.is_none() {
                        n.text = Some(a.text.get(n.range()).unwrap_or("").to_string());
                    }
                }
                a
            };
            let (x, y) = (strip(x), strip(y));
            assert_eq!(x.annotations, y.annotations, "{p}");
            assert_eq!(x.extra, y.extra, "{p}");
            assert_eq!((&x.id, &x.text, &x.title), (&y.id, &y.text, &y.title), "{p}");
        }
    }
}

// ---------------------------------------------------------------- convert

#[test]
fn convert_to_stdout_file_and_folder() {
    let labels = LabelMap::new();
    let out = convert(&fixture("doccano/news.jsonl"), None, Format::LabelStudio, None, &labels).unwrap();
    let tasks: Value = serde_json::from_str(out.stdout.as_deref().unwrap()).unwrap();
    assert_eq!(tasks.as_array().unwrap().len(), 2);
    assert_eq!(out.articles, 2);

    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("out.jsonl");
    let done = convert(&fixture("klue/news.tsv"), Some(Format::Klue), Format::Native, Some(&o), &labels).unwrap();
    assert_eq!(done.written, vec![o.clone()]);
    let l = load_path(&o, None, &labels).unwrap();
    assert_eq!(l.articles.len(), 3);
    assert_eq!(l.articles, load("klue/news.tsv").articles);

    let b = dir.path().join("brat");
    let done = convert(&fixture("spacy/news.spacy.json"), None, Format::Brat, Some(&b), &labels).unwrap();
    assert_eq!(done.written.len(), 2);
    let back = load_dir(&b, None, &labels);
    assert_eq!(back[0].as_ref().unwrap().articles[0].annotations.len(), 8);

    let e = convert(&fixture("brat/news1.ann"), None, Format::Brat, None, &labels).unwrap_err();
    assert!(matches!(e, ConvertError::NeedsOutput), "{e}");
    assert_eq!(e.to_string(), "brat writes a .txt and a .ann per article: give an output folder with -o");
    let e = convert(&fixture("brat/news1.ann"), None, Format::Prodigy, Some(&o), &labels).unwrap_err();
    assert!(e.to_string().contains("cannot write prodigy"), "{e}");
}

#[test]
fn convert_never_writes_over_its_input() {
    let labels = LabelMap::new();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.json");
    std::fs::copy(fixture("labelstudio/news.json"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let e = convert(&input, None, Format::LabelStudio, Some(&input), &labels).unwrap_err();
    assert!(matches!(e, ConvertError::SameFile(_)), "{e}");
    assert!(e.to_string().ends_with("refusing to write over the input file; choose another output"));
    assert_eq!(std::fs::read(&input).unwrap(), before);
    // brat into the folder the pair is in: the .txt would be overwritten
    let b = dir.path().join("pair");
    std::fs::create_dir(&b).unwrap();
    std::fs::copy(fixture("brat/news2.txt"), b.join("news2.txt")).unwrap();
    std::fs::copy(fixture("brat/news2.ann"), b.join("news2.ann")).unwrap();
    let e = convert(&b.join("news2.ann"), None, Format::Brat, Some(&b), &labels).unwrap_err();
    assert!(matches!(e, ConvertError::SameFile(_)), "{e}");
}

// ---------------------------------------------------------------- properties

mod props {
    use super::*;
    use proptest::prelude::*;

    const TEXT: &str = "🇰🇷 가온은행, 3200억 원\n\"좋다\"고 😀 말했다.\n\n사진=제공 é";
    const KINDS: [&str; 4] = ["quote", "figure", "entity", "caption"];
    const LABELS: [&str; 6] = ["PERSON", "QT", "GOV BODY", "인용", "", "Money Amount"];
    const LAYERS: [&str; 3] = ["", "gold", "model v2"];
    const STATUS: [&str; 4] = ["unreviewed", "accepted", "rejected", "modified"];
    const RELS: [&str; 3] = ["Located", "Mentions", "Speaker"];

    type Raw =
        ((usize, usize), usize, usize, usize, usize, Option<i64>, usize, usize, Option<usize>, Option<(usize, usize)>);

    fn raw_ann() -> impl Strategy<Value = Raw> {
        let n = TEXT.chars().count();
        (
            (0..=n, 0..=n),
            0..4usize,
            0..LABELS.len(),
            0..LAYERS.len(),
            0..STATUS.len(),
            proptest::option::of(-5i64..100_000),
            0..4usize,
            0..3usize,
            proptest::option::of(0..8usize),
            proptest::option::of((0..8usize, 0..RELS.len())),
        )
    }

    fn build(raws: &[Raw]) -> Article {
        let mut anns = Vec::new();
        for (i, r) in raws.iter().enumerate() {
            let ((a, b), kind, label, layer, status, value, attrs, notes, _, _) = *r;
            let mut o = json!({"id": format!("a{i}"), "kind": KINDS[kind], "label": LABELS[label],
                "start": a.min(b), "end": a.max(b), "layer": LAYERS[layer], "status": STATUS[status]});
            if let Some(v) = value {
                o["value"] = json!(v);
                o["unit"] = json!("KRW");
            }
            match attrs {
                1 => o["attributes"] = json!({"Verified": true}),
                2 => o["attributes"] = json!({"Source": "공시 자료", "n": 3}),
                3 => o["attributes"] = json!({"Source": "공시"}),
                _ => {}
            }
            match notes {
                1 => o["notes"] = json!(["확인 필요"]),
                2 => o["notes"] = json!(["첫 줄\n둘째 줄"]),
                _ => {}
            }
            anns.push(o);
        }
        // speakers (quote -> entity) and relations, by index
        for (i, r) in raws.iter().enumerate() {
            if let Some(j) = r.8 {
                let j = j % raws.len();
                if KINDS[r.1] == "quote" && KINDS[raws[j].1] == "entity" {
                    anns[i]["speaker"] = json!(format!("a{j}"));
                }
            }
            if let Some((j, l)) = r.9 {
                anns[i]["relations"] = json!([{"to": format!("a{}", j % raws.len()), "label": RELS[l]}]);
            }
        }
        let v = json!({"format": "gisa-article/1", "id": "rt-1", "title": "왕복", "source": "가상", "text": TEXT,
            "extra_field": {"k": [1, 2]}, "annotations": anns});
        article_from_value(v, "#1").unwrap()
    }

    proptest! {
        /// Malformed input of any shape gives errors and problems, never a panic; whatever
        /// loads has every span inside its text.
        #[test]
        fn readers_are_total(
            json in r#"[\[\]{}:,"0-9a-z_\- 가😀\n]{0,120}"#,
            keys in prop::collection::vec(prop::sample::select(vec![
                r#"{"text": "가😀나 다", "label": [[0, 2, "X"], [5, 1, "Y"], ["a", 9, 3]]}"#,
                r#"{"data": {"text": "가나"}, "annotations": [{"result": [{"id": "a", "type": "labels", "value": {"start": 9, "end": 1, "text": "나", "labels": []}}, {"from_id": "a", "to_id": "zz", "type": "relation"}]}]}"#,
                r#"{"text": "가나", "spans": [{"start": 0, "end": 9, "token_start": 3, "token_end": 0}], "_input_hash": 1, "tokens": [{"start": 5}]}"#,
                r#"{"text": "가나", "ents": [{"start": 1, "end": 0}], "spans": {"g": [[0, 1, "L"], "x"]}, "tokens": 3}"#,
                r#"{"text": 5}"#, "[]", "{}", "[{}]", "null",
            ]), 0..4),
            ann in r"[TRAEN#*0-9 	;:a-z가
    ]{0,80}",
        ) {
            let labels = LabelMap::new();
            let mixed = format!("{}\n{}", keys.join("\n"), json);
            for input in [json.as_str(), mixed.as_str()] {
                for f in [Format::Native, Format::Spacy, Format::LabelStudio, Format::Doccano, Format::Prodigy, Format::Klue] {
                    for name in ["x.json", "x.jsonl"] {
                        if let Ok(l) = load_str(name, input, f, &labels) {
                            for a in &l.articles {
                                for x in &a.annotations {
                                    prop_assert!(x.start <= x.end && a.text.get(x.range()).is_some());
                                }
                            }
                        }
                    }
                }
            }
            let l = import::brat::load_strs("d", "d.ann", "가😀나 다\n라", &ann, &labels).unwrap();
            for x in &l.articles[0].annotations {
                prop_assert!(x.start <= x.end && l.articles[0].text.get(x.range()).is_some());
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// native -> X -> native keeps every span, label, layer, attribute and field.
        #[test]
        fn round_trips(raws in prop::collection::vec(raw_ann(), 0..8)) {
            let orig = build(&raws);
            prop_assume!(orig.problems.is_empty());
            for (to, meta) in [(Format::Brat, false), (Format::Doccano, true), (Format::LabelStudio, true), (Format::Native, true)] {
                let files = export(std::slice::from_ref(&orig), to).unwrap();
                let back = reload(&files, to);
                prop_assert_eq!(back.len(), 1, "{}", to);
                assert_same(&orig, &back[0], meta);
            }
        }
    }
}
