//! Writing articles as native JSON, brat, doccano or Label Studio.
//!
//! Each writer puts what its format can hold where the format holds it (offsets in the format's
//! unit, labels, layers, relations and speakers, attributes, notes) and the rest in a `gisa` bag
//! that gisa's importers read back, so native -> X -> native keeps every span, label, layer,
//! attribute and field:
//!
//! | target | where the bag goes | what else is lost |
//! |---|---|---|
//! | brat | a `#N<TAB>AnnotatorNotes T1<TAB>gisa {…}` note per annotation | article metadata (title, source, url, published, `extra`); the article id becomes the file name |
//! | doccano | a top-level `"gisa": {"spans": [bag per span], "article_extra": {…}}` per line | nothing |
//! | Label Studio | a `"gisa"` object on each region result (`"layer"` on the annotation set) | nothing |
//!
//! The bag holds only what differs from what the importer infers: the original id when the
//! format renames ids, the kind when the built-in label map would infer another one from the
//! label, the label when it had to be changed (brat types have no spaces), the layer (brat), the
//! review status, the figure and entity fields, the claimed `text` when it differs from the span,
//! and `extra` fields the format has no place for.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Map, Value};

use super::labelstudio::derived_layer;
use super::raw::BAG;
use super::Format;
use crate::ingest::{article_to_value, number};
use crate::labels::LabelMap;
use crate::model::{Annotation, Article, Kind, ReviewStatus};
use crate::offsets::{self, Unit};

/// Why an export failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// The format is read-only in gisa.
    #[error("gisa cannot write {0} (it writes native, brat, doccano and labelstudio)")]
    Unsupported(Format),
}

/// Writes `articles` in format `to`: a list of (relative file name, content). Single-file formats
/// give one entry with an empty name (native: one JSON object, or an array for several
/// articles; doccano: JSONL; Label Studio: a JSON task list); brat gives `ID.txt` and `ID.ann`
/// per article.
pub fn export(articles: &[Article], to: Format) -> Result<Vec<(String, String)>, ExportError> {
    export_with(articles, to, false)
}

/// As [`export`]; `jsonl` writes native output as JSONL (one article per line).
pub fn export_with(articles: &[Article], to: Format, jsonl: bool) -> Result<Vec<(String, String)>, ExportError> {
    Ok(match to {
        Format::Native => {
            let vals: Vec<Value> = articles.iter().map(article_to_value).collect();
            let s = if jsonl {
                vals.iter().map(|v| format!("{v}\n")).collect()
            } else if vals.len() == 1 {
                format!("{:#}\n", vals[0])
            } else {
                format!("{:#}\n", Value::Array(vals))
            };
            vec![(String::new(), s)]
        }
        Format::Brat => brat(articles),
        Format::Doccano => {
            let mut s = String::new();
            for a in articles {
                for line in doccano(a) {
                    s.push_str(&line.to_string());
                    s.push('\n');
                }
            }
            vec![(String::new(), s)]
        }
        Format::LabelStudio => {
            let tasks: Vec<Value> = articles.iter().enumerate().map(|(i, a)| labelstudio(a, i)).collect();
            vec![(String::new(), format!("{:#}\n", Value::Array(tasks)))]
        }
        f => return Err(ExportError::Unsupported(f)),
    })
}

/// Offsets of every annotation (start, end) in `unit`.
fn offsets_in(a: &Article, unit: Unit) -> Vec<(usize, usize)> {
    let mut o: Vec<usize> = a.annotations.iter().flat_map(|x| [x.start, x.end]).collect();
    offsets::from_bytes(&a.text, unit, &mut o);
    o.chunks(2).map(|c| (c[0], c[1])).collect()
}

/// The fields every bag may need: id, kind, label, status, figure/entity fields, claimed text.
fn base_bag(x: &Annotation, article: &Article, exported_id: &str, written_label: &str) -> Map<String, Value> {
    let mut b = Map::new();
    if x.id != exported_id {
        b.insert("id".into(), Value::String(x.id.clone()));
    }
    if written_label != x.label {
        b.insert("label".into(), Value::String(x.label.to_string()));
    }
    // the importer infers the kind from the label it reads, which is the written one
    if LabelMap::default_kind_of(written_label) != x.kind {
        b.insert("kind".into(), Value::String(x.kind.as_str().into()));
    }
    if x.status != ReviewStatus::Unreviewed {
        b.insert("status".into(), Value::String(x.status.as_str().into()));
    }
    for (k, v) in [
        ("speaker_text", x.speaker_text.as_deref()),
        ("canonical", x.canonical.as_deref()),
        ("unit", x.unit.as_deref()),
        ("bound", x.bound.as_deref()),
    ] {
        if let Some(v) = v {
            b.insert(k.into(), Value::String(v.to_string()));
        }
    }
    if let Some(v) = x.value {
        b.insert("value".into(), number(v));
    }
    if let Some(v) = x.approx {
        b.insert("approx".into(), Value::Bool(v));
    }
    if let Some(t) = &x.text {
        if article.text.get(x.range()) != Some(t.as_str()) {
            b.insert("text".into(), Value::String(t.clone()));
        }
    }
    b
}

/// Puts the extra fields not in `consumed` into the bag's `extra`.
fn leftover(b: &mut Map<String, Value>, x: &Annotation, consumed: &HashSet<&str>) {
    let rest: Map<String, Value> =
        x.extra.iter().filter(|(k, _)| !consumed.contains(k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
    if !rest.is_empty() {
        b.insert("extra".into(), Value::Object(rest));
    }
}

/// True when an importer would read a relation with this label between these kinds as a speaker.
fn binds_as_speaker(label: &str, from: Kind, to: Kind) -> bool {
    LabelMap::new().is_speaker_relation(label)
        && ((from == Kind::Quote && to == Kind::Entity) || (from == Kind::Entity && to == Kind::Quote))
}

/// Can the speaker of `x` be written as a relation to an annotation in `same_layer_ids`?
fn speaker_target<'a>(x: &Annotation, article: &'a Article, same_layer: bool) -> Option<&'a Annotation> {
    let sp = x.speaker.as_ref()?;
    let s = article.annotation(sp)?;
    (x.kind == Kind::Quote && s.kind == Kind::Entity && (!same_layer || s.layer == x.layer)).then_some(s)
}

// ---------------------------------------------------------------------------------------------
// brat

fn brat_id(id: &str, prefix: char) -> Option<u64> {
    id.strip_prefix(prefix)
        .filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|r| r.parse().ok())
}

fn no_space(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(char::is_whitespace)
}

fn one_line(s: &str) -> bool {
    !s.contains(['\n', '\r'])
}

/// A file name for an article id.
fn file_stem(id: &str, i: usize) -> String {
    let s: String = id
        .trim_start_matches(['#', '.'])
        .chars()
        .map(|c| if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .collect();
    if s.is_empty() {
        format!("article-{}", i + 1)
    } else {
        s
    }
}

fn brat(articles: &[Article]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut names: HashSet<String> = HashSet::new();
    for (i, a) in articles.iter().enumerate() {
        let mut stem = file_stem(&a.id, i);
        if names.contains(&stem) {
            let mut n = 2;
            while names.contains(&format!("{stem}-{n}")) {
                n += 1;
            }
            stem = format!("{stem}-{n}");
        }
        names.insert(stem.clone());
        out.push((format!("{stem}.txt"), a.text.clone()));
        out.push((format!("{stem}.ann"), brat_ann(a)));
    }
    out
}

/// Splits byte ranges at line breaks (brat cannot hold a line break inside a span).
fn split_lines(text: &str, frags: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for &(s, e) in frags {
        let mut a = s;
        for (p, _) in text.get(s..e).unwrap_or("").match_indices('\n') {
            if s + p > a {
                out.push((a, s + p));
            }
            a = s + p + 1;
        }
        if e > a || (s == e && out.is_empty()) {
            out.push((a, e));
        }
    }
    if out.is_empty() {
        out.push((s_of(frags), s_of(frags)));
    }
    out
}

fn s_of(f: &[(usize, usize)]) -> usize {
    f.first().map_or(0, |x| x.0)
}

/// The fragments of an annotation as byte ranges, when `extra.fragments` is usable.
fn fragments(a: &Article, x: &Annotation) -> Option<Vec<(usize, usize)>> {
    let Value::Array(fs) = x.extra.get("fragments")? else { return None };
    let mut cps = Vec::with_capacity(fs.len() * 2);
    for f in fs {
        let pair = f.as_array()?;
        if pair.len() != 2 {
            return None;
        }
        cps.push(pair[0].as_u64()? as usize);
        cps.push(pair[1].as_u64()? as usize);
    }
    offsets::to_bytes(&a.text, Unit::CodePoint, &mut cps).ok()?;
    let v: Vec<(usize, usize)> = cps.chunks(2).map(|c| (c[0], c[1])).collect();
    v.iter().all(|&(s, e)| s <= e).then_some(v)
}

fn brat_ann(a: &Article) -> String {
    let mut lines: Vec<String> = Vec::new();
    let kept: Vec<String> = match a.extra.get("brat_lines") {
        Some(Value::Array(l)) => l.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    };
    let mut reserved: HashSet<String> = kept.iter().filter_map(|l| l.split('\t').next().map(str::to_string)).collect();
    // T ids: keep brat-shaped unique ids, number the rest
    let mut tid: Vec<String> = Vec::with_capacity(a.annotations.len());
    let mut used: HashSet<u64> = HashSet::new();
    for x in &a.annotations {
        match brat_id(&x.id, 'T') {
            Some(n) if !reserved.contains(&x.id) && used.insert(n) => tid.push(x.id.clone()),
            _ => tid.push(String::new()),
        }
    }
    let mut next_t = 1u64;
    for t in tid.iter_mut() {
        if t.is_empty() {
            while used.contains(&next_t) || reserved.contains(&format!("T{next_t}")) {
                next_t += 1;
            }
            used.insert(next_t);
            *t = format!("T{next_t}");
        }
    }
    let index: HashMap<&str, usize> = a.annotations.iter().enumerate().map(|(i, x)| (x.id.as_str(), i)).collect();
    let mut counters: HashMap<char, u64> = HashMap::new();
    let mut next = |c: char, reserved: &mut HashSet<String>| -> String {
        let n = counters.entry(c).or_insert(0);
        loop {
            *n += 1;
            let id = format!("{c}{n}");
            if reserved.insert(id.clone()) {
                return id;
            }
        }
    };
    let mut speaker_lines = Vec::new();
    let mut rel_lines = Vec::new();
    let mut attr_lines = Vec::new();
    let mut tail_lines = Vec::new();
    for (i, x) in a.annotations.iter().enumerate() {
        let t = &tid[i];
        let mut consumed: HashSet<&str> = HashSet::new();
        let label = if no_space(&x.label) {
            x.label.to_string()
        } else if x.label.is_empty() {
            let k = x.kind.as_str();
            let mut c = k.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        } else {
            x.label.split_whitespace().collect::<Vec<_>>().join("_")
        };
        let mut bag = base_bag(x, a, t, &label);
        if !x.layer.is_empty() {
            bag.insert("layer".into(), Value::String(x.layer.to_string()));
        }
        // fragments
        let given = fragments(a, x);
        if given.is_some() {
            consumed.insert("fragments");
        }
        let base = given.clone().unwrap_or_else(|| vec![(x.start, x.end)]);
        let frags = split_lines(&a.text, &base);
        if frags != base {
            if given.is_some() {
                // read back as given, not as split
                consumed.remove("fragments");
            } else {
                bag.insert("contiguous".into(), Value::Bool(true));
            }
            let cover = (frags[0].0, frags[frags.len() - 1].1);
            if cover != (x.start, x.end) {
                // line breaks at the edges are outside every fragment: keep the true range
                let mut r = [x.start, x.end];
                offsets::from_bytes(&a.text, Unit::CodePoint, &mut r);
                bag.insert("range".into(), json!(r));
            }
        }
        let mut cps: Vec<usize> = frags.iter().flat_map(|&(s, e)| [s, e]).collect();
        offsets::from_bytes(&a.text, Unit::CodePoint, &mut cps);
        let spec = cps.chunks(2).map(|c| format!("{} {}", c[0], c[1])).collect::<Vec<_>>().join(";");
        let tail = frags.iter().map(|&(s, e)| a.text.get(s..e).unwrap_or("")).collect::<Vec<_>>().join(" ");
        lines.push(format!("{t}\t{label} {spec}\t{tail}"));
        // speaker
        match speaker_target(x, a, false) {
            Some(s) => {
                let st = &tid[index[s.id.as_str()]];
                speaker_lines.push((t.clone(), st.clone()));
            }
            None => {
                if let Some(sp) = &x.speaker {
                    bag.insert("speaker".into(), Value::String(sp.clone()));
                }
            }
        }
        // relations
        if let Some(Value::Array(rels)) = x.extra.get("relations") {
            let mut ok = Vec::new();
            for r in rels {
                let Some(o) = r.as_object() else { break };
                let to = o.get("to").and_then(Value::as_str).and_then(|t| index.get(t).copied());
                let label = o.get("label").and_then(Value::as_str).unwrap_or("");
                let roles: Option<(String, String)> = match o.get("roles") {
                    None => Some(("Arg1".into(), "Arg2".into())),
                    Some(Value::Array(r)) if r.len() == 2 => match (r[0].as_str(), r[1].as_str()) {
                        (Some(a), Some(b)) if no_space(a) && no_space(b) => Some((a.into(), b.into())),
                        _ => None,
                    },
                    _ => None,
                };
                let keys_ok = o.keys().all(|k| matches!(k.as_str(), "to" | "label" | "roles"));
                match (to, roles) {
                    (Some(j), Some(roles))
                        if keys_ok && no_space(label) && !binds_as_speaker(label, x.kind, a.annotations[j].kind) =>
                    {
                        ok.push(format!("{label} {}:{t} {}:{}", roles.0, roles.1, tid[j]))
                    }
                    _ => break,
                }
            }
            if ok.len() == rels.len() {
                consumed.insert("relations");
                rel_lines.extend(ok);
            }
        }
        // attributes
        if let Some(Value::Object(attrs)) = x.extra.get("attributes") {
            let mut ok = Vec::new();
            for (name, v) in attrs {
                match v {
                    Value::Bool(true) if no_space(name) => ok.push(format!("{name} {t}")),
                    Value::String(s) if no_space(name) && no_space(s) => ok.push(format!("{name} {t} {s}")),
                    _ => break,
                }
            }
            if ok.len() == attrs.len() {
                consumed.insert("attributes");
                attr_lines.extend(ok);
            }
        }
        // normalizations
        if let Some(Value::Array(ns)) = x.extra.get("normalizations") {
            let ok: Vec<String> = ns
                .iter()
                .filter_map(|n| {
                    let o = n.as_object()?;
                    let (ty, rf, tx) = (o.get("type")?.as_str()?, o.get("ref")?.as_str()?, o.get("text")?.as_str()?);
                    (o.len() == 3 && no_space(ty) && no_space(rf) && one_line(tx))
                        .then(|| format!("{ty} {t} {rf}\t{tx}"))
                })
                .collect();
            if ok.len() == ns.len() {
                consumed.insert("normalizations");
                tail_lines.extend(ok.into_iter().map(|l| ('N', l)));
            }
        }
        // events
        if let Some(Value::Array(es)) = x.extra.get("events") {
            let ok: Vec<(String, String)> = es
                .iter()
                .filter_map(|e| {
                    let o = e.as_object()?;
                    let id = o.get("id")?.as_str()?;
                    let ty = o.get("type")?.as_str()?;
                    brat_id(id, 'E')?;
                    let mut s = format!("{ty}:{t}");
                    for arg in o.get("args")?.as_array()? {
                        let p = arg.as_array()?;
                        let (role, target) = (p.first()?.as_str()?, p.get(1)?.as_str()?);
                        // targets must keep their ids through the round trip
                        if let Some(&j) = index.get(target) {
                            if tid[j] != target {
                                return None;
                            }
                        }
                        s.push_str(&format!(" {role}:{target}"));
                    }
                    (o.len() == 3 && no_space(ty)).then(|| (id.to_string(), s))
                })
                .collect();
            if ok.len() == es.len() && ok.iter().all(|(id, _)| !reserved.contains(id)) {
                consumed.insert("events");
                for (id, s) in ok {
                    reserved.insert(id.clone());
                    lines.push(format!("{id}\t{s}"));
                }
            }
        }
        // notes
        if let Some(Value::Array(ns)) = x.extra.get("notes") {
            let ok: Vec<String> = ns
                .iter()
                .filter_map(|n| match n {
                    Value::String(s) if one_line(s) && !s.starts_with("gisa ") => {
                        Some(format!("AnnotatorNotes {t}\t{s}"))
                    }
                    Value::Object(o) => {
                        let (ty, tx) = (o.get("type")?.as_str()?, o.get("text")?.as_str()?);
                        (o.len() == 2
                            && no_space(ty)
                            && one_line(tx)
                            && !tx.starts_with("gisa ")
                            && ty != "AnnotatorNotes")
                            .then(|| format!("{ty} {t}\t{tx}"))
                    }
                    _ => None,
                })
                .collect();
            if ok.len() == ns.len() {
                consumed.insert("notes");
                tail_lines.extend(ok.into_iter().map(|l| ('#', l)));
            }
        }
        leftover(&mut bag, x, &consumed);
        if !bag.is_empty() {
            tail_lines.push(('#', format!("AnnotatorNotes {t}\tgisa {}", Value::Object(bag))));
        }
    }
    for (q, s) in speaker_lines {
        let r = next('R', &mut reserved);
        lines.push(format!("{r}\tSpeaker Arg1:{q} Arg2:{s}"));
    }
    for l in rel_lines {
        let r = next('R', &mut reserved);
        lines.push(format!("{r}\t{l}"));
    }
    for l in attr_lines {
        let id = next('A', &mut reserved);
        lines.push(format!("{id}\t{l}"));
    }
    for (c, l) in tail_lines {
        let id = next(c, &mut reserved);
        lines.push(format!("{id}\t{l}"));
    }
    lines.extend(kept);
    let mut s = lines.join("\n");
    if !s.is_empty() {
        s.push('\n');
    }
    s
}

// ---------------------------------------------------------------------------------------------
// doccano

const DOCCANO_RESERVED: [&str; 14] = [
    "id",
    "text",
    "label",
    "labels",
    "entities",
    "relations",
    "annotator",
    "user",
    "username",
    BAG,
    "title",
    "source",
    "url",
    "published",
];

fn id_value(id: &str) -> Value {
    if !id.is_empty()
        && id.len() < 16
        && id.bytes().all(|b| b.is_ascii_digit())
        && !(id.len() > 1 && id.starts_with('0'))
    {
        id.parse::<u64>().map_or_else(|_| Value::String(id.into()), Value::from)
    } else {
        Value::String(id.into())
    }
}

fn put_meta(o: &mut Map<String, Value>, a: &Article) {
    for (k, v) in [("title", &a.title), ("source", &a.source), ("url", &a.url), ("published", &a.published)] {
        if !v.is_empty() {
            o.insert(k.into(), Value::String(v.clone()));
        }
    }
}

/// Writable relations: (target index, the relation object).
type Relations = Vec<(usize, Map<String, Value>)>;

/// One relation of `x` as (target index, label, direction/labels extra) when the target format
/// can hold it, considering only targets in the same layer.
fn simple_relations(a: &Article, x: &Annotation, index: &HashMap<&str, usize>, allowed: &[&str]) -> Option<Relations> {
    let Value::Array(rels) = x.extra.get("relations")? else { return None };
    let mut out = Vec::new();
    for r in rels {
        let o = r.as_object()?;
        let j = *index.get(o.get("to")?.as_str()?)?;
        let label = o.get("label")?.as_str()?;
        if a.annotations[j].layer != x.layer
            || !o.keys().all(|k| k == "to" || allowed.contains(&k.as_str()))
            || binds_as_speaker(label, x.kind, a.annotations[j].kind)
        {
            return None;
        }
        out.push((j, o.clone()));
    }
    Some(out)
}

fn doccano(a: &Article) -> Vec<Value> {
    let offs = offsets_in(a, Unit::Utf16);
    let index: HashMap<&str, usize> = a.annotations.iter().enumerate().map(|(i, x)| (x.id.as_str(), i)).collect();
    let mut layers = a.layers();
    if layers.is_empty() {
        layers.push(String::new());
    }
    let mut article_extra = Map::new();
    let mut lines = Vec::new();
    let mut running = 0usize;
    for layer in layers {
        let mut o = Map::new();
        o.insert("id".into(), id_value(&a.id));
        o.insert("text".into(), Value::String(a.text.clone()));
        let members: Vec<usize> = (0..a.annotations.len()).filter(|&i| a.annotations[i].layer == layer).collect();
        // entity numbers, unique in the article
        let num = |i: usize| i + 1;
        let rels: Vec<Option<Relations>> =
            members.iter().map(|&i| simple_relations(a, &a.annotations[i], &index, &["label"])).collect();
        let speakers: Vec<Option<usize>> =
            members.iter().map(|&i| speaker_target(&a.annotations[i], a, true).map(|s| index[s.id.as_str()])).collect();
        let relation_form =
            speakers.iter().any(Option::is_some) || rels.iter().any(|r| r.as_ref().is_some_and(|v| !v.is_empty()));
        let mut bags = Vec::with_capacity(members.len());
        let first_entry = running;
        running += members.len();
        let mut spans = Vec::with_capacity(members.len());
        let mut relations = Vec::new();
        for (m, &i) in members.iter().enumerate() {
            let x = &a.annotations[i];
            // relation form: the entity number; label form: the importer numbers entries "#N"
            let exported_id = if relation_form { num(i).to_string() } else { format!("#{}", first_entry + m + 1) };
            let mut bag = base_bag(x, a, &exported_id, &x.label);
            let mut consumed: HashSet<&str> = HashSet::new();
            if relation_form {
                if let Some(rs) = &rels[m] {
                    consumed.insert("relations");
                    for (j, r) in rs {
                        relations.push(
                            json!({"id": relations.len() + 1, "from_id": num(i), "to_id": num(*j), "type": r["label"]}),
                        );
                    }
                }
                match speakers[m] {
                    Some(j) => relations.push(
                        json!({"id": relations.len() + 1, "from_id": num(i), "to_id": num(j), "type": "Speaker"}),
                    ),
                    None => {
                        if let Some(sp) = &x.speaker {
                            bag.insert("speaker".into(), Value::String(sp.clone()));
                        }
                    }
                }
                spans.push(json!({"id": num(i), "label": x.label, "start_offset": offs[i].0, "end_offset": offs[i].1}));
            } else {
                if let Some(sp) = &x.speaker {
                    bag.insert("speaker".into(), Value::String(sp.clone()));
                }
                spans.push(json!([offs[i].0, offs[i].1, x.label]));
            }
            leftover(&mut bag, x, &consumed);
            bags.push(if bag.is_empty() { Value::Null } else { Value::Object(bag) });
        }
        if relation_form {
            o.insert("entities".into(), Value::Array(spans));
            o.insert("relations".into(), Value::Array(relations));
        } else {
            o.insert("label".into(), Value::Array(spans));
        }
        if !layer.is_empty() {
            o.insert("annotator".into(), Value::String(layer.clone()));
        }
        put_meta(&mut o, a);
        for (k, v) in &a.extra {
            if DOCCANO_RESERVED.contains(&k.as_str()) {
                article_extra.insert(k.clone(), v.clone());
            } else {
                o.insert(k.clone(), v.clone());
            }
        }
        let mut g = Map::new();
        if bags.iter().any(|b| !b.is_null()) {
            g.insert("spans".into(), Value::Array(bags));
        }
        if !article_extra.is_empty() {
            g.insert("article_extra".into(), Value::Object(article_extra.clone()));
        }
        if !g.is_empty() {
            o.insert(BAG.into(), Value::Object(g));
        }
        lines.push(Value::Object(o));
    }
    lines
}

// ---------------------------------------------------------------------------------------------
// Label Studio

/// Result-level fields of a Label Studio region that importers keep flat in `extra`.
const LS_RESULT_KEYS: [&str; 7] = ["origin", "score", "readonly", "hidden", "parentID", "meta", "item_index"];

fn labelstudio(a: &Article, i: usize) -> Value {
    let offs = offsets_in(a, Unit::CodePoint);
    let index: HashMap<&str, usize> = a.annotations.iter().enumerate().map(|(i, x)| (x.id.as_str(), i)).collect();
    let layer_meta: Map<String, Value> = match a.extra.get("layers") {
        Some(Value::Object(m)) => m.clone(),
        _ => Map::new(),
    };
    let mut task = Map::new();
    let numeric = matches!(id_value(&a.id), Value::Number(_));
    task.insert("id".into(), if numeric { id_value(&a.id) } else { Value::from(i + 1) });
    let mut data = Map::new();
    data.insert("text".into(), Value::String(a.text.clone()));
    if !numeric {
        data.insert("id".into(), Value::String(a.id.clone()));
    }
    put_meta(&mut data, a);
    let mut article_extra = Map::new();
    for (k, v) in &a.extra {
        match k.as_str() {
            "layers" => {}
            "ls_task" => {
                if let Value::Object(t) = v {
                    for (tk, tv) in t {
                        if !matches!(tk.as_str(), "id" | "data" | "annotations" | "predictions" | BAG) {
                            task.insert(tk.clone(), tv.clone());
                        } else {
                            article_extra.insert(k.clone(), v.clone());
                        }
                    }
                } else {
                    article_extra.insert(k.clone(), v.clone());
                }
            }
            "text" | "id" | "title" | "source" | "url" | "published" => {
                article_extra.insert(k.clone(), v.clone());
            }
            _ => {
                data.insert(k.clone(), v.clone());
            }
        }
    }
    // layers in order: those with annotations, then empty ones known from extra.layers
    let mut layers = a.layers();
    for k in layer_meta.keys() {
        if !layers.contains(k) {
            layers.push(k.clone());
        }
    }
    let mut annotations = Vec::new();
    let mut predictions = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    let mut ann_k = 0usize;
    let mut pred_k = 0usize;
    for layer in layers {
        let meta = match layer_meta.get(&layer) {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        let prediction = meta.get("origin").and_then(Value::as_str) == Some("prediction");
        let k = if prediction { pred_k } else { ann_k };
        let mut set = Map::new();
        let mut others = Vec::new();
        for (mk, mv) in meta {
            match mk.as_str() {
                "origin" => {}
                "results" => {
                    if let Value::Array(r) = mv {
                        others = r;
                    }
                }
                _ => {
                    set.insert(mk, mv);
                }
            }
        }
        if !set.contains_key("id") {
            set.insert("id".into(), Value::from(annotations.len() + predictions.len() + 1));
        }
        // the name the importer will give this set
        let mut name = derived_layer(&set, prediction, k);
        if taken.contains(&name) {
            name = format!("{name} #{}", super::raw::id_string(set.get("id")).unwrap_or_default());
        }
        let no_meta = !layer_meta.contains_key(&layer);
        if name != layer || no_meta {
            let mut g = Map::new();
            if name != layer {
                g.insert("layer".into(), Value::String(layer.clone()));
            }
            if no_meta {
                g.insert("no_meta".into(), Value::Bool(true));
            }
            set.insert(BAG.into(), Value::Object(g));
        }
        taken.push(layer.clone());
        let mut results = Vec::new();
        let mut rels = Vec::new();
        for (i, x) in a.annotations.iter().enumerate().filter(|(_, x)| x.layer == layer) {
            let (s, e) = offs[i];
            let covered = a.text.get(x.range()).unwrap_or("");
            let mut consumed: HashSet<&str> = ["from_name", "to_name", "labels", "ls_labels_key", "ls_value"].into();
            let from = x.extra.get("from_name").and_then(Value::as_str).unwrap_or("label");
            let to = x.extra.get("to_name").and_then(Value::as_str).unwrap_or("text");
            let lkey = x.extra.get("ls_labels_key").and_then(Value::as_str).unwrap_or("labels");
            let labels = match x.extra.get("labels") {
                Some(Value::Array(l)) if l.first().and_then(Value::as_str) == Some(&*x.label) => {
                    Value::Array(l.clone())
                }
                _ => {
                    consumed.remove("labels");
                    json!([x.label])
                }
            };
            let mut value = match x.extra.get("ls_value") {
                Some(Value::Object(v)) => v.clone(),
                _ => Map::new(),
            };
            value.insert("start".into(), Value::from(s));
            value.insert("end".into(), Value::from(e));
            value.insert("text".into(), Value::String(covered.into()));
            value.insert(lkey.into(), labels);
            let mut r = Map::new();
            r.insert("id".into(), Value::String(x.id.clone()));
            r.insert("from_name".into(), Value::String(from.into()));
            r.insert("to_name".into(), Value::String(to.into()));
            r.insert("type".into(), Value::String(if lkey == "labels" { "labels".into() } else { lkey.to_string() }));
            for key in LS_RESULT_KEYS {
                if let Some(v) = x.extra.get(key) {
                    r.insert(key.into(), v.clone());
                    consumed.insert(key);
                }
            }
            r.insert("value".into(), Value::Object(value));
            let mut bag = base_bag(x, a, &x.id, &x.label);
            // per-region attributes and notes
            let mut extra_results = Vec::new();
            let region = |ty: &str, from: &str, mut v: Map<String, Value>| {
                v.insert("start".into(), Value::from(s));
                v.insert("end".into(), Value::from(e));
                json!({"id": x.id, "from_name": from, "to_name": to, "type": ty, "value": v})
            };
            if let Some(Value::Object(attrs)) = x.extra.get("attributes") {
                let mut ok = Vec::new();
                for (name, v) in attrs {
                    let mut m = Map::new();
                    match v {
                        Value::String(_) => {
                            m.insert("choices".into(), Value::Array(vec![v.clone()]));
                            ok.push(region("choices", name, m));
                        }
                        Value::Array(c) if c.len() != 1 && c.iter().all(Value::is_string) => {
                            m.insert("choices".into(), v.clone());
                            ok.push(region("choices", name, m));
                        }
                        Value::Object(o)
                            if !o.is_empty()
                                && !o.contains_key("start")
                                && !o.contains_key("end")
                                && !o.contains_key("text")
                                && !o.contains_key("choices") =>
                        {
                            let ty = o.keys().next().cloned().unwrap_or_default();
                            ok.push(region(&ty, name, o.clone()));
                        }
                        _ => break,
                    }
                }
                if ok.len() == attrs.len() {
                    consumed.insert("attributes");
                    extra_results.extend(ok);
                }
            }
            if let Some(Value::Array(ns)) = x.extra.get("notes") {
                if !ns.is_empty() && ns.iter().all(Value::is_string) {
                    consumed.insert("notes");
                    let mut m = Map::new();
                    m.insert("text".into(), Value::Array(ns.clone()));
                    extra_results.push(region("textarea", "note", m));
                }
            }
            if let Some(rs) = simple_relations(a, x, &index, &["label", "direction", "labels"]) {
                consumed.insert("relations");
                for (j, o) in rs {
                    let labels = o.get("labels").cloned().unwrap_or_else(|| json!([o["label"]]));
                    let dir = o.get("direction").cloned().unwrap_or_else(|| json!("right"));
                    rels.push(json!({"from_id": x.id, "to_id": a.annotations[j].id, "type": "relation", "direction": dir, "labels": labels}));
                }
            }
            match speaker_target(x, a, true) {
                Some(sp) => rels.push(json!({"from_id": x.id, "to_id": sp.id, "type": "relation", "direction": "right", "labels": ["Speaker"]})),
                None => {
                    if let Some(sp) = &x.speaker {
                        bag.insert("speaker".into(), Value::String(sp.clone()));
                    }
                }
            }
            leftover(&mut bag, x, &consumed);
            if !bag.is_empty() {
                r.insert(BAG.into(), Value::Object(bag));
            }
            results.push(Value::Object(r));
            results.extend(extra_results);
        }
        // relations after all regions (Label Studio lists them last)
        results.extend(rels);
        results.extend(others);
        set.insert("result".into(), Value::Array(results));
        if prediction {
            pred_k += 1;
            predictions.push(Value::Object(set));
        } else {
            ann_k += 1;
            annotations.push(Value::Object(set));
        }
    }
    task.insert("data".into(), Value::Object(data));
    task.insert("annotations".into(), Value::Array(annotations));
    if !predictions.is_empty() {
        task.insert("predictions".into(), Value::Array(predictions));
    }
    if !article_extra.is_empty() {
        task.insert(BAG.into(), json!({"article_extra": article_extra}));
    }
    Value::Object(task)
}
