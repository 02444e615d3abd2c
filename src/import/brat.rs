//! brat standoff: `NAME.txt` (the text, UTF-8) and `NAME.ann` (the annotations).
//!
//! Offsets are code points of the `.txt` (brat's Python 3 server slices `str`). Each `.ann` line
//! starts with an id, then a TAB:
//!
//! | line | becomes |
//! |---|---|
//! | `T1<TAB>TYPE s e[;s e…]<TAB>text` | an annotation (label `TYPE`); the tail is the claimed text, fragments joined by one space; several fragments are kept in `extra.fragments` (code points of the cleaned text) and the annotation spans from the first to the last |
//! | `R1<TAB>TYPE Arg1:T1 Arg2:T3` | a speaker-like `TYPE` between a quote and another span sets the quote's `speaker`; any other relation goes to `extra.relations` of its first argument as `{"to", "label"}` (plus `"roles"` when the argument names are not `Arg1`/`Arg2`) |
//! | `E1<TAB>TYPE:T5 Role:T1 …` | `extra.events` of the trigger: `{"id", "type", "args": [[role, id], …]}` |
//! | `A1<TAB>NAME T3 [VALUE]`, `M1 …` | `extra.attributes` of the target: `{NAME: VALUE or true}` |
//! | `N1<TAB>TYPE T1 REF<TAB>text` | `extra.normalizations` of the target: `{"type", "ref", "text"}` |
//! | `#1<TAB>AnnotatorNotes T2<TAB>note` | `extra.notes` of the target (a string; other note types as `{"type", "text"}`) |
//! | `#1<TAB>AnnotatorNotes T2<TAB>gisa {…}` | the fields brat cannot hold, written by gisa's exporter (id, kind, layer, status, figure values, …) |
//! | `*1<TAB>Alias T1 T2`, lines about relations or events | kept verbatim in the article's `extra.brat_lines`, written back on export |
//!
//! A line that cannot be read is a problem naming the `.ann` file and the line number, and is
//! kept in `extra.brat_lines` too. A `T` line whose offsets cannot be read is placed by its text.
//! The article id is the file stem; brat holds no title or other metadata.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::raw::{finish, Kinds, Place, RawDoc, RawRelation, RawSpan};
use crate::ingest::{decode, LoadError, Loaded};
use crate::labels::LabelMap;
use crate::offsets::Unit;

/// Loads a brat pair given by its `.txt` or its `.ann` (or any path with the same stem).
pub fn load_pair(path: &Path, labels: &LabelMap) -> Result<Loaded, LoadError> {
    let txt = path.with_extension("txt");
    let ann = path.with_extension("ann");
    let ann_name = ann.display().to_string();
    let txt_name = txt.display().to_string();
    let read = |p: &PathBuf, n: &str| {
        std::fs::read(p).map_err(|e| (e.kind(), LoadError::new(n, "", format!("cannot read: {e}"))))
    };
    let missing = std::io::ErrorKind::NotFound;
    let ab = match read(&ann, &ann_name) {
        Ok(b) => b,
        Err((k, _)) if k == missing => {
            return Err(LoadError::new(
                &txt_name,
                "",
                format!("no {} beside it: brat keeps the annotations in NAME.ann", file_name(&ann)),
            ))
        }
        Err((_, e)) => return Err(e),
    };
    let tb = match read(&txt, &txt_name) {
        Ok(b) => b,
        Err((k, _)) if k == missing => {
            return Err(LoadError::new(
                &ann_name,
                "",
                format!("no {} beside it: brat keeps the text in NAME.txt, next to NAME.ann", file_name(&txt)),
            ))
        }
        Err((_, e)) => return Err(e),
    };
    let text = if tb.iter().all(u8::is_ascii_whitespace) { "" } else { decode(&txt_name, &tb)? };
    let ann_text = if ab.iter().all(u8::is_ascii_whitespace) { "" } else { decode(&ann_name, &ab)? };
    let id = txt.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let mut loaded = load_strs(&id, &ann_name, text, ann_text, labels)?;
    loaded.path = ann;
    Ok(loaded)
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Parses a brat pair in memory: `id` becomes the article id, `ann_name` names the `.ann` in
/// messages.
pub fn load_strs(id: &str, ann_name: &str, text: &str, ann: &str, labels: &LabelMap) -> Result<Loaded, LoadError> {
    let doc = parse_ann(id, text, ann);
    let mut kinds = Kinds::new(labels);
    let article = finish(doc, &mut kinds);
    Ok(Loaded { path: PathBuf::from(ann_name), articles: vec![article], problems: Vec::new() })
}

/// A reference from an A/N/# line to its target.
enum Pending {
    Attr { target: String, name: String, value: Value },
    Norm { target: String, obj: Map<String, Value> },
    Note { target: String, note: Value, gisa: Option<Map<String, Value>> },
    Rel { from: String, to: String, label: String, roles: [String; 2] },
    Event { id: String, ty: String, trigger: String, args: Vec<(String, String)> },
}

fn parse_ann<'a>(id: &str, text: &str, ann: &'a str) -> RawDoc {
    let mut doc = RawDoc::new(id, text.to_string(), Unit::CodePoint);
    let head: std::rc::Rc<str> = std::rc::Rc::from("");
    let mut index: HashMap<&'a str, usize> = HashMap::new();
    let mut other_ids: HashMap<&'a str, ()> = HashMap::new();
    let mut pending: Vec<(usize, &'a str, Pending)> = Vec::new();
    let mut kept: Vec<Value> = Vec::new();
    for (n, line) in ann.split('\n').enumerate() {
        let n = n + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let place = Place::line(&head, n);
        let Some((aid, rest)) = line.split_once('\t') else {
            doc.problems.push((
                None,
                format!("{place}: cannot read this line: no TAB after the id (expected ID<TAB>TYPE START END<TAB>TEXT, found {line:?}); kept as is"),
            ));
            kept.push(Value::String(line.to_string()));
            continue;
        };
        let aid = aid.trim();
        let broken = |what: &str| format!("{place}: {aid}: {what}; kept as is");
        match aid.chars().next() {
            Some('T') => {
                let (spec, tail) = match rest.split_once('\t') {
                    Some((s, t)) => (s, Some(t)),
                    None => (rest, None),
                };
                let mut parts = spec.splitn(2, [' ', '\t']);
                let label = parts.next().unwrap_or("").trim();
                let offs = parts.next().unwrap_or("").trim();
                if label.is_empty() {
                    doc.problems.push((None, broken("no type (expected T1<TAB>TYPE START END<TAB>TEXT)")));
                    kept.push(Value::String(line.to_string()));
                    continue;
                }
                let frags = parse_frags(offs);
                let mut span = RawSpan::new(aid, label, 0, 0, place.clone());
                span.claimed = tail.map(str::to_string);
                match frags {
                    Some(f) => span.frags = f.into(),
                    None => {
                        if tail.is_none() {
                            doc.problems.push((
                                None,
                                broken(&format!("cannot read the offsets {offs:?} (expected START END[;START END…]) and there is no text to place it by")),
                            ));
                            kept.push(Value::String(line.to_string()));
                            continue;
                        }
                        span.why = Some(format!(
                            "{aid}: cannot read the offsets {offs:?} (expected START END[;START END…]); "
                        ));
                        span.frags = Default::default();
                    }
                }
                if index.insert(aid, doc.spans.len()).is_some() {
                    doc.problems.push((Some(doc.spans.len()), format!("{place}: {aid} is defined twice")));
                }
                doc.spans.push(span);
            }
            Some('R') => {
                let f: Vec<&str> = rest.split_whitespace().collect();
                let args: Vec<(&str, &str)> = f.iter().skip(1).filter_map(|a| a.split_once(':')).collect();
                if f.len() != 3 || args.len() != 2 {
                    doc.problems.push((None, broken("expected R1<TAB>TYPE Arg1:ID Arg2:ID")));
                    kept.push(Value::String(line.to_string()));
                    continue;
                }
                other_ids.insert(aid, ());
                pending.push((
                    n,
                    line,
                    Pending::Rel {
                        from: args[0].1.to_string(),
                        to: args[1].1.to_string(),
                        label: f[0].to_string(),
                        roles: [args[0].0.to_string(), args[1].0.to_string()],
                    },
                ));
            }
            Some('E') => {
                let f: Vec<&str> = rest.split_whitespace().collect();
                let parsed: Option<Vec<(&str, &str)>> = f.iter().map(|a| a.split_once(':')).collect();
                match parsed {
                    Some(p) if !p.is_empty() => {
                        other_ids.insert(aid, ());
                        pending.push((
                            n,
                            line,
                            Pending::Event {
                                id: aid.to_string(),
                                ty: p[0].0.to_string(),
                                trigger: p[0].1.to_string(),
                                args: p[1..].iter().map(|(r, t)| (r.to_string(), t.to_string())).collect(),
                            },
                        ));
                    }
                    _ => {
                        doc.problems.push((None, broken("expected E1<TAB>TYPE:TRIGGER [ROLE:ID …]")));
                        kept.push(Value::String(line.to_string()));
                    }
                }
            }
            Some('A' | 'M') => {
                let f: Vec<&str> = rest.split_whitespace().collect();
                if f.len() < 2 || f.len() > 3 {
                    doc.problems.push((None, broken("expected A1<TAB>NAME ID [VALUE]")));
                    kept.push(Value::String(line.to_string()));
                    continue;
                }
                let value = f.get(2).map_or(Value::Bool(true), |v| Value::String(v.to_string()));
                pending.push((n, line, Pending::Attr { target: f[1].to_string(), name: f[0].to_string(), value }));
            }
            Some('N') => {
                let (spec, tail) = rest.split_once('\t').unwrap_or((rest, ""));
                let f: Vec<&str> = spec.split_whitespace().collect();
                if f.len() != 3 {
                    doc.problems.push((None, broken("expected N1<TAB>TYPE ID REF<TAB>TEXT")));
                    kept.push(Value::String(line.to_string()));
                    continue;
                }
                let mut obj = Map::new();
                obj.insert("type".into(), Value::String(f[0].into()));
                obj.insert("ref".into(), Value::String(f[2].into()));
                obj.insert("text".into(), Value::String(tail.into()));
                pending.push((n, line, Pending::Norm { target: f[1].to_string(), obj }));
            }
            Some('#') => {
                let (spec, note) = rest.split_once('\t').unwrap_or((rest, ""));
                let f: Vec<&str> = spec.split_whitespace().collect();
                if f.len() != 2 {
                    doc.problems.push((None, broken("expected #1<TAB>AnnotatorNotes ID<TAB>NOTE")));
                    kept.push(Value::String(line.to_string()));
                    continue;
                }
                let mut gisa = None;
                if let Some(json) = note.strip_prefix("gisa ") {
                    match serde_json::from_str::<Value>(json) {
                        Ok(Value::Object(m)) => gisa = Some(m),
                        _ => doc.problems.push((
                            None,
                            format!("{place}: {aid}: a gisa note that is no JSON object; kept as a note"),
                        )),
                    }
                }
                let note = if f[0] == "AnnotatorNotes" {
                    Value::String(note.to_string())
                } else {
                    let mut o = Map::new();
                    o.insert("type".into(), Value::String(f[0].into()));
                    o.insert("text".into(), Value::String(note.into()));
                    Value::Object(o)
                };
                pending.push((n, line, Pending::Note { target: f[1].to_string(), note, gisa }));
            }
            _ => {
                if !aid.starts_with('*') {
                    doc.problems.push((
                        None,
                        format!(
                            "{place}: unknown annotation type {aid:?} (brat knows T, R, E, A, M, N, #, *); kept as is"
                        ),
                    ));
                }
                kept.push(Value::String(line.to_string()));
            }
        }
    }
    for (n, line, p) in pending {
        let place = Place::line(&head, n);
        let target_of = |t: &str| index.get(t).copied();
        let missing = |t: &str, other: &HashMap<&str, ()>| {
            if other.contains_key(t) {
                None
            } else {
                Some(format!("{place}: refers to {t}, which is not in the file; kept as is"))
            }
        };
        match p {
            Pending::Attr { target, name, value } => match target_of(&target) {
                Some(i) => {
                    let attrs = doc.spans[i].extra.entry("attributes").or_insert_with(|| Value::Object(Map::new()));
                    if let Value::Object(m) = attrs {
                        m.insert(name, value);
                    }
                }
                None => {
                    if let Some(m) = missing(&target, &other_ids) {
                        doc.problems.push((None, m));
                    }
                    kept.push(Value::String(line.to_string()));
                }
            },
            Pending::Norm { target, obj } => match target_of(&target) {
                Some(i) => push(&mut doc.spans[i].extra, "normalizations", Value::Object(obj)),
                None => {
                    if let Some(m) = missing(&target, &other_ids) {
                        doc.problems.push((None, m));
                    }
                    kept.push(Value::String(line.to_string()));
                }
            },
            Pending::Note { target, note, gisa } => match target_of(&target) {
                Some(i) => match gisa {
                    Some(g) => {
                        let bag = doc.spans[i].bag.get_or_insert_with(Map::new);
                        for (k, v) in g {
                            bag.insert(k, v);
                        }
                    }
                    None => push(&mut doc.spans[i].extra, "notes", note),
                },
                None => {
                    if let Some(m) = missing(&target, &other_ids) {
                        doc.problems.push((None, m));
                    }
                    kept.push(Value::String(line.to_string()));
                }
            },
            Pending::Rel { from, to, label, roles } => match target_of(&from) {
                Some(f) => {
                    let to_i = target_of(&to).ok_or(to.clone());
                    if to_i.is_err() {
                        doc.problems.push((
                            Some(f),
                            format!("{place}: relation {label} points at {to}, which is no text annotation; kept"),
                        ));
                    }
                    let mut extra = Map::new();
                    if roles[0] != "Arg1" || roles[1] != "Arg2" {
                        extra.insert("roles".into(), Value::from(roles.to_vec()));
                    }
                    doc.relations.push(RawRelation { from: f, to: to_i, label, extra });
                }
                None => {
                    if let Some(m) = missing(&from, &other_ids) {
                        doc.problems.push((None, m));
                    }
                    kept.push(Value::String(line.to_string()));
                }
            },
            Pending::Event { id, ty, trigger, args } => match target_of(&trigger) {
                Some(i) => {
                    let mut o = Map::new();
                    o.insert("id".into(), Value::String(id));
                    o.insert("type".into(), Value::String(ty));
                    o.insert(
                        "args".into(),
                        Value::Array(args.into_iter().map(|(r, t)| Value::from(vec![r, t])).collect()),
                    );
                    push(&mut doc.spans[i].extra, "events", Value::Object(o));
                }
                None => {
                    if let Some(m) = missing(&trigger, &other_ids) {
                        doc.problems.push((None, m));
                    }
                    kept.push(Value::String(line.to_string()));
                }
            },
        }
    }
    if !kept.is_empty() {
        doc.extra.insert("brat_lines".into(), Value::Array(kept));
    }
    doc
}

fn push(extra: &mut Map<String, Value>, key: &str, v: Value) {
    let e = extra.entry(key).or_insert_with(|| Value::Array(Vec::new()));
    if let Value::Array(a) = e {
        a.push(v);
    }
}

/// Parses `s e;s e…`; `None` when any part is not two numbers.
fn parse_frags(s: &str) -> Option<Vec<(usize, usize)>> {
    s.split(';')
        .map(|f| {
            let mut it = f.split_whitespace();
            let a = it.next()?.parse().ok()?;
            let b = it.next()?.parse().ok()?;
            it.next().is_none().then_some((a, b))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Flag, Kind};

    const TXT: &str = "김하늘 회장은 \"AI에 20억 달러를 투자한다\"고 말했다.\n한국과 미국 정부";
    const ANN: &str = "T1\tPS 0 3\t김하늘\nT2\tQT 13 19\t20억 달러\nT3\tQuote 9 25\tAI에 20억 달러를 투자한다\nT4\tOG 33 35;40 42\t한국 정부\nR1\tSpeaker Arg1:T1 Arg2:T3\nT5\tInvest 21 25\t투자한다\nE1\tInvest:T5 Agent:T1 Money:T2\nA1\tVerified T3\nA2\tConfidence T2 Low\nN1\tReference T1 KB:12345\t김하늘\n#1\tAnnotatorNotes T2\t금액 재확인 필요\n*1\tAlias T1 T4\n";

    #[test]
    fn reads_the_documented_example() {
        let l = load_strs("demo", "demo.ann", TXT, ANN, &LabelMap::new()).unwrap();
        let a = &l.articles[0];
        assert!(a.problems.is_empty(), "{:?}", a.problems);
        let get = |id: &str| a.annotation(id).unwrap();
        assert_eq!(a.span_text(get("T1")), "김하늘");
        assert_eq!(get("T3").kind, Kind::Quote);
        assert_eq!(get("T3").speaker.as_deref(), Some("T1"));
        assert_eq!(get("T2").kind, Kind::Figure);
        assert_eq!(get("T3").extra["attributes"]["Verified"], Value::Bool(true));
        assert_eq!(get("T2").extra["attributes"]["Confidence"], "Low");
        assert_eq!(get("T2").extra["notes"][0], "금액 재확인 필요");
        assert_eq!(get("T1").extra["normalizations"][0]["ref"], "KB:12345");
        assert_eq!(get("T5").extra["events"][0]["args"][0][1], "T1");
        assert_eq!(a.span_text(get("T4")), "한국과 미국 정부");
        assert_eq!(get("T4").extra["fragments"], serde_json::json!([[33, 35], [40, 42]]));
        assert_eq!(a.extra["brat_lines"][0], "*1\tAlias T1 T4");
    }

    #[test]
    fn broken_lines_are_reported_with_their_number() {
        let ann = "T1\tPS 0 3\t김하늘\nT2 QT 13 19\nT3\tQT x y\t20억 달러\nR1\tSpeaker Arg1:T1\nA1\tVerified T9\n";
        let l = load_strs("demo", "demo.ann", TXT, ann, &LabelMap::new()).unwrap();
        let a = &l.articles[0];
        let msgs: Vec<&str> = a.problems.iter().map(|p| p.message.as_str()).collect();
        assert!(msgs.iter().any(|m| m.starts_with("line 2: cannot read this line")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("line 3: T3: cannot read the offsets")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("line 4: R1: expected R1")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("line 5: refers to T9")), "{msgs:?}");
        // T3 is kept and placed by its text
        let t3 = a.annotation("T3").unwrap();
        assert_eq!(a.span_text(t3), "20억 달러");
        assert!(t3.flags.contains(&Flag::Repaired));
    }
}
