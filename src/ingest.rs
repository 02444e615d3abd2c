//! Reading files into articles: decoding, the native `gisa-article/1` format, validation.
//!
//! Every step is total: bad input gives a [`LoadError`] (the file cannot be used; it names the
//! file and the place) or [`Problem`]s attached to the articles (the file is usable; each bad
//! span is kept, flagged and shown). Nothing panics and nothing is dropped silently.
//!
//! The pipeline for one article: take the raw `text`, [`clean`](crate::clean::clean) it
//! (escape sequences out, NFC in, with an offset map), map every annotation's code-point
//! offsets through the map, convert them to bytes in one pass, then validate.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::clean::{clean, clean_line, Bias};
use crate::model::{name_of, Annotation, Article, Flag, Kind, Problem, ReviewStatus};
use crate::offsets::{self, Unit};

mod fast;
mod raw;
use raw::{AnnField, AnnList, RawObj, RawTop};

/// The name of the native format, the value of its `format` field.
pub const FORMAT_NAME: &str = "gisa-article/1";

/// A file that cannot be used at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {place}{message}")]
pub struct LoadError {
    /// The file, as given.
    pub path: String,
    /// Where in the file: `line 3, column 7: ` or empty.
    pub place: String,
    /// What is wrong and, where it helps, what to do.
    pub message: String,
}

impl LoadError {
    /// A new error about `path`; `place` is formatted as a prefix when not empty.
    pub fn new(path: impl Into<String>, place: impl AsRef<str>, message: impl Into<String>) -> Self {
        let place = place.as_ref();
        LoadError {
            path: path.into(),
            place: if place.is_empty() { String::new() } else { format!("{place}: ") },
            message: message.into(),
        }
    }
}

/// What came out of one file: its articles and the problems that are not about one article
/// (a bad line of a `.jsonl`, an array element that is no article).
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The file, as given.
    pub path: PathBuf,
    /// The articles, in file order.
    pub articles: Vec<Article>,
    /// File-level problems (each names its line or element).
    pub problems: Vec<Problem>,
}

impl Loaded {
    /// Records a problem for every article whose id an earlier article of the file already has.
    pub fn check_duplicate_ids(&mut self) {
        let mut seen = rustc_hash::FxHashSet::default();
        for (i, a) in self.articles.iter().enumerate() {
            if !seen.insert(a.id.as_str()) {
                self.problems.push(Problem {
                    article: a.id.clone(),
                    annotation: None,
                    message: format!("article {} of the file repeats the id \"{}\"", i + 1, a.id),
                });
            }
        }
    }

    /// Every problem: file-level first, then each article's.
    pub fn all_problems(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().chain(self.articles.iter().flat_map(|a| a.problems.iter()))
    }
}

/// Line and column (1-based, column in characters) of byte offset `at` in `s`.
pub fn line_col(s: &[u8], at: usize) -> (usize, usize) {
    let at = at.min(s.len());
    let before = &s[..at];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, col)
}

/// Reads a whole file; a large one in two halves at once (copying 100 MB out of the page cache
/// is a sizeable part of reading a large article).
pub fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let file = std::fs::File::open(path)?;
        let len = file.metadata()?.len();
        if len >= 1 << 23 && len < usize::MAX as u64 {
            let mut buf = vec![0u8; len as usize];
            let (a, b) = buf.split_at_mut(len as usize / 2);
            let at = a.len() as u64;
            std::thread::scope(|s| {
                let second = s.spawn(|| file.read_exact_at(b, at));
                file.read_exact_at(a, 0)?;
                second.join().unwrap_or_else(|_| Err(std::io::Error::other("reader thread failed")))
            })?;
            // the file may have grown since: read what follows too
            let mut rest = Vec::new();
            std::io::Seek::seek(&mut &file, std::io::SeekFrom::Start(len))?;
            std::io::Read::read_to_end(&mut &file, &mut rest)?;
            buf.extend(rest);
            return Ok(buf);
        }
    }
    std::fs::read(path)
}

/// Decodes file bytes as UTF-8 text, or says what the bytes are instead.
///
/// A UTF-8 BOM is skipped. UTF-16 (by BOM or by its zero bytes), binary data (NUL or many
/// control bytes) and Latin-1 (bytes that are not UTF-8 but look like Western text) get an
/// error that names what was found and how to convert it.
pub fn decode<'a>(path: &str, bytes: &'a [u8]) -> Result<&'a str, LoadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(LoadError::new(path, "", "empty file: no article in it"));
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") || looks_utf16(bytes) {
        return Err(LoadError::new(
            path,
            "",
            "this is UTF-16 text, not UTF-8; convert it first: iconv -f UTF-16 -t UTF-8 FILE > FILE.utf8",
        ));
    }
    // The SIMD check is several times faster on Hangul; std's says where a bad byte is. A large
    // file is searched for NUL bytes meanwhile.
    let (nul, utf8) = if bytes.len() >= 1 << 23 {
        std::thread::scope(|s| {
            let nul = s.spawn(|| memchr::memchr(0, bytes));
            let utf8 = simdutf8::basic::from_utf8(bytes).ok();
            (nul.join().unwrap_or_else(|_| memchr::memchr(0, bytes)), utf8)
        })
    } else {
        (memchr::memchr(0, bytes), None)
    };
    if let Some(p) = nul {
        return Err(LoadError::new(path, format!("byte {p}"), "binary data (a NUL byte), not a text file"));
    }
    if let Some(s) = utf8.or_else(|| simdutf8::basic::from_utf8(bytes).ok()) {
        return Ok(s);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let at = e.valid_up_to();
            let (line, col) = line_col(bytes, at);
            let place = format!("line {line}, column {col}");
            let controls = bytes.iter().take(4096).filter(|&&b| b < 0x20 && !b"\n\r\t\x0c".contains(&b)).count();
            let high = bytes.iter().filter(|&&b| b >= 0x80).count();
            if controls * 20 > bytes.len().min(4096) || high * 2 > bytes.len() {
                Err(LoadError::new(
                    path,
                    place,
                    format!("binary data (byte 0x{:02X} is not UTF-8), not a text file", bytes[at]),
                ))
            } else {
                Err(LoadError::new(
                    path,
                    place,
                    format!(
                        "not UTF-8: byte 0x{:02X} looks like Latin-1 (ISO-8859-1) text; convert it first: iconv -f LATIN1 -t UTF-8 FILE",
                        bytes[at]
                    ),
                ))
            }
        }
    }
}

/// UTF-16 without a BOM: many zero bytes at odd (LE) or even (BE) positions near the start.
fn looks_utf16(b: &[u8]) -> bool {
    let n = b.len().min(512) & !1;
    if n < 4 {
        return false;
    }
    let zeros_odd = (1..n).step_by(2).filter(|&i| b[i] == 0).count();
    let zeros_even = (0..n).step_by(2).filter(|&i| b[i] == 0).count();
    let half = n / 2;
    (zeros_odd * 10 > half * 4 && zeros_even * 10 < half) || (zeros_even * 10 > half * 4 && zeros_odd * 10 < half)
}

/// Parses JSON text to a value; errors name the line and column.
pub fn parse_json(path: &str, text: &str) -> Result<Value, LoadError> {
    serde_json::from_str::<Value>(text).map_err(|e| json_error(path, &e, 0))
}

/// A `serde_json` error as a [`LoadError`]; `line_offset` is added to its line number.
pub fn json_error(path: &str, e: &serde_json::Error, line_offset: usize) -> LoadError {
    let mut msg = e.to_string();
    if let Some(p) = msg.find(" at line ") {
        msg.truncate(p);
    }
    let hint = match e.classify() {
        serde_json::error::Category::Eof => " (the file ends too early: truncated JSON?)",
        serde_json::error::Category::Syntax if msg.contains("recursion limit") => " (nested too deeply)",
        serde_json::error::Category::Syntax => " (not valid JSON)",
        _ => "",
    };
    LoadError::new(path, format!("line {}, column {}", e.line() + line_offset, e.column()), format!("{msg}{hint}"))
}

/// Reads a native file (`.json`: one article or an array; `.jsonl`: one per line).
pub fn load_native_file(path: &Path) -> Result<Loaded, LoadError> {
    let name = path.display().to_string();
    let bytes = read_file(path).map_err(|e| LoadError::new(&name, "", format!("cannot read: {e}")))?;
    let text = decode(&name, &bytes)?;
    let jsonl = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"));
    let mut loaded = if jsonl { load_native_jsonl(&name, text)? } else { load_native_json(&name, text)? };
    loaded.path = path.to_path_buf();
    Ok(loaded)
}

/// Reads a native document: on the fast path when it has the common shape, else with
/// `serde_json` (whose errors name the line and column).
fn read_top(text: &str) -> Result<RawTop, serde_json::Error> {
    fast::top(text).map_or_else(|| serde_json::from_str(text), Ok)
}

/// Parses the content of a native `.json` file.
pub fn load_native_json(name: &str, text: &str) -> Result<Loaded, LoadError> {
    let top = read_top(text).map_err(|e| json_error(name, &e, 0))?;
    let mut loaded = Loaded { path: PathBuf::from(name), ..Default::default() };
    match top {
        RawTop::Array(items) => {
            if items.is_empty() {
                return Err(LoadError::new(name, "", "the array holds no article"));
            }
            for (i, item) in items.into_iter().enumerate() {
                let fallback = format!("#{}", i + 1);
                match article_from_raw(item, &fallback) {
                    Ok(a) => loaded.articles.push(a),
                    Err(msg) => loaded.problems.push(Problem {
                        article: fallback,
                        annotation: None,
                        message: format!("element {} of the array: {msg}; skipped", i + 1),
                    }),
                }
            }
            if loaded.articles.is_empty() {
                let first = loaded.problems.first().map(|p| p.message.clone()).unwrap_or_default();
                return Err(LoadError::new(name, "", format!("no usable article: {first}")));
            }
        }
        other => {
            let a = article_from_raw(other, "#1").map_err(|m| LoadError::new(name, "", m))?;
            loaded.articles.push(a);
        }
    }
    loaded.check_duplicate_ids();
    Ok(loaded)
}

/// Parses the content of a native `.jsonl` file: a bad line is a problem naming its number;
/// the other lines still load.
pub fn load_native_jsonl(name: &str, text: &str) -> Result<Loaded, LoadError> {
    let mut loaded = Loaded { path: PathBuf::from(name), ..Default::default() };
    for (i, line) in text.split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let n = i + 1;
        let fallback = format!("#{n}");
        let res = read_top(line)
            .map_err(|e| {
                let mut m = e.to_string();
                if let Some(p) = m.find(" at line ") {
                    m.truncate(p);
                }
                format!("{m} at column {}", e.column())
            })
            .and_then(|v| article_from_raw(v, &fallback));
        match res {
            Ok(a) => loaded.articles.push(a),
            Err(msg) => loaded.problems.push(Problem {
                article: fallback,
                annotation: None,
                message: format!("line {n}: {msg}; line skipped"),
            }),
        }
    }
    if loaded.articles.is_empty() {
        let first = loaded.problems.first().map(|p| p.message.clone()).unwrap_or_else(|| "no article".into());
        return Err(LoadError::new(name, "", format!("no usable article: {first}")));
    }
    loaded.check_duplicate_ids();
    Ok(loaded)
}

fn meta_string(obj: &mut Map<String, Value>, key: &str) -> String {
    match obj.get(key) {
        Some(Value::String(s)) if key == "id" => {
            let s = s.clone();
            obj.remove(key);
            s
        }
        Some(Value::String(s)) => {
            let s = clean_line(s);
            obj.remove(key);
            s
        }
        Some(Value::Number(n)) if key == "id" => {
            let s = n.to_string();
            obj.remove(key);
            s
        }
        _ => String::new(),
    }
}

/// An offset as written in a file, read as leniently as it can be while noting what was wrong.
fn read_offset(v: Option<&Value>) -> (i128, Option<String>) {
    match v {
        None | Some(Value::Null) => (0, Some("missing".into())),
        Some(Value::Number(n)) => {
            if let Some(u) = n.as_u64() {
                (u as i128, None)
            } else if let Some(i) = n.as_i64() {
                (i as i128, Some(format!("negative ({i})")))
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                (f.floor() as i128, Some(format!("not an integer ({n})")))
            }
        }
        Some(Value::String(s)) => match s.trim().parse::<i128>() {
            Ok(i) => (i, Some(format!("a string (\"{s}\"), not a number"))),
            Err(_) => (0, Some(format!("a string (\"{s}\"), not a number"))),
        },
        Some(other) => (0, Some(format!("not a number ({other})"))),
    }
}

/// Builds an article from one JSON value of the native format. Errors (the article cannot be
/// used) are messages; problems with single annotations are attached to the article.
pub fn article_from_value(value: Value, fallback_id: &str) -> Result<Article, String> {
    let raw = RawTop::deserialize(value).map_err(|e| e.to_string())?;
    article_from_raw(raw, fallback_id)
}

fn article_from_raw(raw: RawTop, fallback_id: &str) -> Result<Article, String> {
    let mut a = match raw {
        RawTop::Article(a) => a,
        RawTop::Array(_) => return Err("expected an article object, found an array".to_string()),
        RawTop::Other(v) => return Err(format!("expected an article object, found {}", json_type(&v))),
    };
    let raw_text = match a.text.take() {
        Some(Value::String(s)) => s,
        Some(other) => return Err(format!("\"text\" must be a string, found {}", json_type(&other))),
        None => return Err("the article has no \"text\" field (it is required)".to_string()),
    };
    let mut obj = a.rest;
    match obj.get("format") {
        Some(Value::String(f)) if f == FORMAT_NAME => {
            obj.remove("format");
        }
        _ => {}
    }
    let mut article = Article {
        id: meta_string(&mut obj, "id"),
        title: meta_string(&mut obj, "title"),
        source: meta_string(&mut obj, "source"),
        url: meta_string(&mut obj, "url"),
        published: meta_string(&mut obj, "published"),
        ..Default::default()
    };
    if article.id.is_empty() {
        article.id = fallback_id.to_string();
    }
    let raw_anns = match a.annotations {
        None | Some(AnnField::Other(Value::Null)) => AnnList::default(),
        Some(AnnField::List(items)) => items,
        Some(AnnField::Other(other)) => {
            article.problems.push(Problem {
                article: article.id.clone(),
                annotation: None,
                message: format!("\"annotations\" must be an array, found {}; ignored", json_type(&other)),
            });
            obj.insert("annotations".into(), other);
            AnnList::default()
        }
    };
    if let Some(f) = obj.get("format") {
        article.problems.push(Problem {
            article: article.id.clone(),
            annotation: None,
            message: format!("format is {f}, expected \"{FORMAT_NAME}\"; read as {FORMAT_NAME}"),
        });
    }
    article.extra = obj;
    let AnnList { mut anns, offsets: raw_offsets, issues, others } = raw_anns;
    let mut unparsed = Vec::new();
    // annotations whose offsets were unusable: flagged once the id checks are done
    let mut repairs: Vec<(usize, Issue)> = Vec::new();
    let mut cps = Vec::with_capacity(anns.len() * 2);
    let problems = &mut article.problems;
    let art_id = article.id.as_str();
    // the id checks need neither the text nor the offsets: they run meanwhile
    let ((dup, dangling), (text, mismatch)) = with_id_checks(&anns, || {
        let (text, map) = crate::clean::clean_owned(raw_text);
        let mut issues = issues.into_iter().peekable();
        let mut others = others.into_iter().peekable();
        for (i, &(start, end)) in raw_offsets.iter().enumerate() {
            // elements that are no object are reported in their place in the array
            while let Some((pos, v)) = others.next_if(|(pos, _)| *pos <= i + unparsed.len()) {
                problems.push(not_an_object(art_id, pos, &v));
                unparsed.push(v);
            }
            let issue = issues.next_if(|(k, _)| *k == i).map(|(_, x)| x);
            let (start, end, issue) = finish(start, end, issue, map.raw_len());
            let s = map.map(start, Bias::Start);
            let e = map.map(end, Bias::End).max(s);
            cps.push(s);
            cps.push(e);
            if let Some(mut issue) = issue {
                for m in issue.msgs.drain(..) {
                    problems.push(Problem {
                        article: art_id.to_string(),
                        annotation: Some(anns[i].id.clone()),
                        message: m,
                    });
                }
                if issue.bad {
                    repairs.push((i, issue));
                }
            }
        }
        for (pos, v) in others {
            problems.push(not_an_object(art_id, pos, &v));
            unparsed.push(v);
        }
        if offsets::spans_to_bytes(&text, Unit::CodePoint, &mut cps).is_err() {
            // cannot happen: mapped offsets are within the cleaned text; clamp defensively
            for c in &mut cps {
                *c = (*c).min(text.len());
            }
        }
        let mismatch = mismatches(&anns, &text, |i| cps[2 * i]..cps[2 * i + 1]);
        (text, mismatch)
    });
    article.text = text;
    for (i, issue) in repairs {
        // the offsets as written are kept, so that export writes them back unchanged
        let a = &mut anns[i];
        a.flags.insert(0, Flag::BadOffsets);
        for (k, v) in [("start", issue.raw_start), ("end", issue.raw_end)] {
            if let Some(v) = v {
                a.extra.insert(k.into(), v);
            }
        }
    }
    for (a, c) in anns.iter_mut().zip(cps.chunks_exact(2)) {
        a.start = c[0];
        a.end = c[1];
    }
    article.annotations = anns;
    if !unparsed.is_empty() {
        // never lose data: items that are no annotation are kept and written back on export
        article.extra.insert("unparsed".into(), Value::Array(unparsed));
    }
    let checks = Checks { dup, dangling, mismatch };
    apply_checks(&mut article, checks);
    Ok(article)
}

/// How a JSON value's type is named in messages ("a string", "an array", ...).
pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn take_string(o: &mut RawObj, key: &str) -> Option<String> {
    match o.get(key) {
        Some(Value::String(_)) => match o.remove(key) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// An annotation as read from its object, before its offsets are checked against the text.
#[derive(Debug)]
pub(crate) struct ParsedAnn {
    ann: Annotation,
    start: i128,
    end: i128,
    issue: Option<Issue>,
}

/// What was wrong with an annotation as read (kept beside it, since few have any).
#[derive(Debug)]
pub(crate) struct Issue {
    raw_start: Option<Value>,
    raw_end: Option<Value>,
    bad: bool,
    msgs: Vec<String>,
}

impl ParsedAnn {
    /// An annotation read without any problem, with its raw code-point offsets.
    fn clean(ann: Annotation, start: i128, end: i128) -> ParsedAnn {
        ParsedAnn { ann, start, end, issue: None }
    }
}

/// The problem about element `pos` of an `annotations` array that is no object.
fn not_an_object(article: &str, pos: usize, v: &Value) -> Problem {
    Problem {
        article: article.to_string(),
        annotation: Some(format!("#{}", pos + 1)),
        message: format!("annotation {} is not an object ({}); kept in \"unparsed\"", pos + 1, json_type(v)),
    }
}

/// Checks an annotation's offsets against the raw text length (code points): its repaired raw
/// start and end, and what is wrong with it, if anything (`bad`: the offsets are unusable and
/// the annotation is to be flagged, keeping the offsets as written).
fn finish(s: i128, e: i128, issue: Option<Issue>, text_len: usize) -> (usize, usize, Option<Issue>) {
    let len = text_len as i128;
    if issue.is_none() && e <= len {
        return (s as usize, e as usize, None);
    }
    // an annotation read without issue has offsets that are non-negative integers
    let mut issue = issue.unwrap_or_else(|| Issue {
        raw_start: Some(Value::from(s as u64)),
        raw_end: Some(Value::from(e as u64)),
        bad: false,
        msgs: Vec::new(),
    });
    if e > len || s > len {
        issue.msgs.push(format!("offsets {s}..{e} are beyond the end of the text ({text_len} characters)"));
        issue.bad = true;
    }
    (s.clamp(0, len) as usize, e.clamp(0, len) as usize, Some(issue))
}

/// Reads the known fields of one annotation object (index `index` in its array); what is not
/// known, or not of the expected type, is kept in `extra`.
pub(crate) fn parse_annotation(mut o: RawObj, index: usize) -> ParsedAnn {
    let o = &mut o;
    let mut msgs = Vec::new();
    let id = match o.get("id") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => format!("#{}", index + 1),
    };
    if matches!(o.get("id"), Some(Value::String(_) | Value::Number(_))) {
        o.remove("id");
    }
    let mut flags = Vec::new();
    let kind = match o.get("kind") {
        None => Kind::Entity,
        Some(Value::String(k)) => match Kind::parse(k) {
            Some(k) => {
                o.remove("kind");
                k
            }
            None => {
                msgs.push(format!(
                    "unknown kind \"{k}\" (expected quote, figure, entity or caption); shown as an entity"
                ));
                flags.push(Flag::UnknownKind);
                Kind::Entity
            }
        },
        Some(other) => {
            msgs.push(format!("kind must be a string, found {}; shown as an entity", json_type(other)));
            flags.push(Flag::UnknownKind);
            Kind::Entity
        }
    };
    let label = take_string(o, "label").map_or_else(|| kind.as_str().to_ascii_uppercase().into(), name_of);
    let (s, s_err) = read_offset(o.get("start"));
    let (e, e_err) = read_offset(o.get("end"));
    let mut bad = false;
    if let Some(m) = s_err {
        msgs.push(format!("start is {m}"));
        bad = true;
    }
    if let Some(m) = e_err {
        msgs.push(format!("end is {m}"));
        bad = true;
    }
    let (mut s, mut e) = (s, e);
    if s > e {
        msgs.push(format!("start {s} is after end {e} (reversed); swapped"));
        std::mem::swap(&mut s, &mut e);
        bad = true;
    }
    let raw_start = o.remove("start");
    let raw_end = o.remove("end");
    let mut a = Annotation::new(id, kind, label, 0, 0);
    a.flags = flags;
    a.text = take_string(o, "text").map(|t| clean(&t).0);
    a.speaker = take_string(o, "speaker");
    a.speaker_text = take_string(o, "speaker_text").map(|t| clean_line(&t));
    a.canonical = take_string(o, "canonical").map(|t| clean_line(&t));
    if let Some(v) = o.get("value").and_then(Value::as_f64) {
        a.value = Some(v);
        o.remove("value");
    }
    a.unit = take_string(o, "unit").map(name_of);
    if let Some(Value::Bool(b)) = o.get("approx") {
        a.approx = Some(*b);
        o.remove("approx");
    }
    if matches!(o.get("bound"), Some(Value::String(b)) if b == "min" || b == "max") {
        a.bound = take_string(o, "bound").map(name_of);
    }
    a.layer = take_string(o, "layer").map(name_of).unwrap_or_default();
    if let Some(st) = o.get("status").and_then(Value::as_str).and_then(ReviewStatus::parse) {
        a.status = st;
        o.remove("status");
    }
    // known fields left over have the wrong type: kept (written back on export) and reported
    for (key, expected) in [
        ("id", "a string"),
        ("label", "a string"),
        ("text", "a string"),
        ("speaker", "an annotation id (string)"),
        ("speaker_text", "a string"),
        ("canonical", "a string"),
        ("value", "a number"),
        ("unit", "a string"),
        ("approx", "true or false"),
        ("bound", "\"min\" or \"max\""),
        ("layer", "a string"),
        ("status", "one of unreviewed, accepted, rejected, modified"),
    ] {
        if let Some(v) = o.get(key) {
            msgs.push(format!("{key} should be {expected}, found {v}; kept as written"));
        }
    }
    a.extra = std::mem::take(o).into_map();
    let issue = (bad || !msgs.is_empty()).then_some(Issue { raw_start, raw_end, bad, msgs });
    ParsedAnn { ann: a, start: s, end: e, issue }
}

/// Checks an article's annotations against its text and each other, flagging and recording
/// problems: covered text differs from `text`; duplicate ids; speakers that name no annotation.
/// Sorts the annotations into reading order. Importers call this after building an article.
pub fn validate(article: &mut Article) {
    let (anns, text) = (&article.annotations, &article.text);
    let ((dup, dangling), mismatch) = with_id_checks(anns, || mismatches(anns, text, |i| anns[i].range()));
    apply_checks(article, Checks { dup, dangling, mismatch });
}

/// What [`validate`] finds, one entry per annotation.
struct Checks {
    /// An earlier annotation has the same id.
    dup: Vec<bool>,
    /// The speaker names no entity annotation.
    dangling: Vec<bool>,
    /// The claimed text differs from the covered text.
    mismatch: Vec<bool>,
}

/// The id checks of `anns` (duplicate ids, dangling speakers) and the result of `work`. For
/// large articles the id checks run on another thread meanwhile.
fn with_id_checks<T>(anns: &[Annotation], work: impl FnOnce() -> T) -> ((Vec<bool>, Vec<bool>), T) {
    if anns.len() >= 1 << 16 {
        std::thread::scope(|scope| {
            let ids = scope.spawn(|| id_checks(anns));
            let t = work();
            (ids.join().unwrap_or_else(|_| id_checks(anns)), t)
        })
    } else {
        (id_checks(anns), work())
    }
}

/// For each annotation: does its claimed `text` differ from `text[range(i)]`?
fn mismatches(anns: &[Annotation], text: &str, range: impl Fn(usize) -> std::ops::Range<usize>) -> Vec<bool> {
    anns.iter()
        .enumerate()
        .map(|(i, a)| a.text.as_ref().is_some_and(|c| c != text.get(range(i)).unwrap_or("")))
        .collect()
}

/// Flags the annotations and records the problems that `checks` found, then sorts the
/// annotations into reading order.
fn apply_checks(article: &mut Article, checks: Checks) {
    let Checks { dup, dangling, mismatch } = checks;
    for (i, a) in article.annotations.iter_mut().enumerate() {
        if mismatch[i] && !a.flags.contains(&Flag::TextMismatch) {
            let claimed = a.text.as_deref().unwrap_or("");
            let actual = article.text.get(a.range()).unwrap_or("");
            a.flags.push(Flag::TextMismatch);
            article.problems.push(Problem {
                article: article.id.clone(),
                annotation: Some(a.id.clone()),
                message: format!("text {:?} does not match the span, which covers {:?}", short(claimed), short(actual)),
            });
        }
        if dup[i] {
            a.flags.push(Flag::DuplicateId);
            article.problems.push(Problem {
                article: article.id.clone(),
                annotation: Some(a.id.clone()),
                message: format!("duplicate id \"{}\"", a.id),
            });
        }
        if let Some(sp) = a.speaker.as_ref().filter(|_| dangling[i]) {
            a.flags.push(Flag::DanglingSpeaker);
            article.problems.push(Problem {
                article: article.id.clone(),
                annotation: Some(a.id.clone()),
                message: format!("speaker \"{sp}\" is no entity annotation of this article"),
            });
        }
    }
    article.sort_annotations();
}

/// For each annotation: whether an earlier one has its id, and whether its speaker names no
/// entity annotation of the article (one hash lookup per annotation).
fn id_checks(anns: &[Annotation]) -> (Vec<bool>, Vec<bool>) {
    // each id, and whether any annotation with it is an entity
    let mut ids: rustc_hash::FxHashMap<&str, bool> = rustc_hash::FxHashMap::default();
    ids.reserve(anns.len());
    let mut dup = vec![false; anns.len()];
    for (i, a) in anns.iter().enumerate() {
        let entity = a.kind == Kind::Entity;
        match ids.entry(a.id.as_str()) {
            std::collections::hash_map::Entry::Occupied(mut o) => {
                dup[i] = true;
                *o.get_mut() |= entity;
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(entity);
            }
        }
    }
    let dangling = anns.iter().map(|a| a.speaker.as_deref().is_some_and(|sp| ids.get(sp) != Some(&true))).collect();
    (dup, dangling)
}

fn short(s: &str) -> String {
    if s.chars().count() > 40 {
        let mut t: String = s.chars().take(40).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

/// Writes an article in the native format (the inverse of [`article_from_value`]): offsets in
/// code points of the cleaned text; unknown fields written back.
pub fn article_to_value(a: &Article) -> Value {
    let mut o = Map::new();
    o.insert("format".into(), Value::String(FORMAT_NAME.into()));
    for (k, v) in
        [("id", &a.id), ("title", &a.title), ("source", &a.source), ("url", &a.url), ("published", &a.published)]
    {
        if !v.is_empty() {
            o.insert(k.into(), Value::String(v.clone()));
        }
    }
    o.insert("text".into(), Value::String(a.text.clone()));
    let mut offs: Vec<usize> = a.annotations.iter().flat_map(|x| [x.start, x.end]).collect();
    offsets::from_bytes(&a.text, Unit::CodePoint, &mut offs);
    let anns: Vec<Value> = a
        .annotations
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let mut m = Map::new();
            m.insert("id".into(), Value::String(x.id.clone()));
            m.insert("kind".into(), Value::String(x.kind.as_str().into()));
            m.insert("label".into(), Value::String(x.label.to_string()));
            m.insert("start".into(), Value::from(offs[2 * i]));
            m.insert("end".into(), Value::from(offs[2 * i + 1]));
            if let Some(t) = &x.text {
                m.insert("text".into(), Value::String(t.clone()));
            }
            for (k, v) in [
                ("speaker", x.speaker.as_deref()),
                ("speaker_text", x.speaker_text.as_deref()),
                ("canonical", x.canonical.as_deref()),
                ("unit", x.unit.as_deref()),
                ("bound", x.bound.as_deref()),
            ] {
                if let Some(v) = v {
                    m.insert(k.into(), Value::String(v.to_string()));
                }
            }
            if let Some(v) = x.value {
                m.insert("value".into(), number(v));
            }
            if let Some(b) = x.approx {
                m.insert("approx".into(), Value::Bool(b));
            }
            if !x.layer.is_empty() {
                m.insert("layer".into(), Value::String(x.layer.to_string()));
            }
            if x.status != ReviewStatus::Unreviewed {
                m.insert("status".into(), Value::String(x.status.as_str().into()));
            }
            for (k, v) in &x.extra {
                m.insert(k.clone(), v.clone());
            }
            Value::Object(m)
        })
        .collect();
    o.insert("annotations".into(), Value::Array(anns));
    for (k, v) in &a.extra {
        o.insert(k.clone(), v.clone());
    }
    Value::Object(o)
}

/// A number as JSON: integral values without a fraction.
pub fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Value::from(v as i64)
    } else {
        serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn art(v: Value) -> Article {
        article_from_value(v, "#1").unwrap()
    }

    #[test]
    fn offsets_become_bytes() {
        let a = art(json!({"text": "한국 은행", "annotations": [
            {"id": "e1", "kind": "entity", "label": "ORG", "start": 0, "end": 5, "text": "한국 은행"}]}));
        assert_eq!(a.annotations[0].range(), 0..13);
        assert!(a.problems.is_empty(), "{:?}", a.problems);
    }

    #[test]
    fn nfd_annotation_highlights_same_syllables() {
        // "한국" in NFD is 6 code points: ᄒ ᅡ ᆫ ᄀ ᅮ ᆨ; span 3..6 is 국
        let a = art(json!({"text": "\u{1112}\u{1161}\u{11AB}\u{1100}\u{116E}\u{11A8}", "annotations": [
            {"id": "e1", "start": 3, "end": 6, "text": "\u{1100}\u{116E}\u{11A8}"}]}));
        assert_eq!(a.text, "한국");
        assert_eq!(a.span_text(&a.annotations[0]), "국");
        assert!(a.problems.is_empty(), "{:?}", a.problems);
    }

    #[test]
    fn bad_offsets_are_flagged_not_dropped() {
        let a = art(json!({"text": "abcdef", "annotations": [
            {"id": "a", "start": -1, "end": 2},
            {"id": "b", "start": 1.5, "end": 3},
            {"id": "c", "start": "2", "end": "4"},
            {"id": "d", "start": 4, "end": 2},
            {"id": "e", "start": 2, "end": 99},
            {"id": "f", "start": 0, "end": 1, "text": "z"},
            {"id": "f", "start": 0, "end": 1},
            {"id": "g", "kind": "weird", "start": 0, "end": 1},
            {"id": "h", "kind": "quote", "start": 0, "end": 1, "speaker": "nobody"}]}));
        assert_eq!(a.annotations.len(), 9);
        let flagged = |id: &str, f: Flag| a.annotations.iter().any(|x| x.id == id && x.flags.contains(&f));
        for id in ["a", "b", "c", "d", "e"] {
            assert!(flagged(id, Flag::BadOffsets), "{id}");
        }
        assert!(flagged("f", Flag::TextMismatch));
        assert!(flagged("f", Flag::DuplicateId));
        assert!(flagged("g", Flag::UnknownKind));
        assert!(flagged("h", Flag::DanglingSpeaker));
        let d = a.annotations.iter().find(|x| x.id == "d").unwrap();
        assert_eq!(d.range(), 2..4);
        let e = a.annotations.iter().find(|x| x.id == "e").unwrap();
        assert_eq!(e.range(), 2..6);
    }

    #[test]
    fn unknown_fields_round_trip() {
        let v = json!({"format": FORMAT_NAME, "id": "x", "text": "가나", "custom": {"k": 1},
            "annotations": [{"id": "a", "kind": "figure", "label": "MONEY", "start": 0, "end": 1, "value": 5, "note": "n"}]});
        let a = art(v.clone());
        let back = article_to_value(&a);
        assert_eq!(back["custom"], json!({"k": 1}));
        assert_eq!(back["annotations"][0]["note"], json!("n"));
        assert_eq!(back["annotations"][0]["value"], json!(5));
        assert_eq!(art(back), a);
    }

    /// Both readers of a document: the fast path (`None` when it declines) and `serde_json`.
    fn both_paths(doc: &str) -> (Option<Result<Article, String>>, Result<Article, String>) {
        let fast = fast::top(doc).map(|t| article_from_raw(t, "#1"));
        let slow =
            serde_json::from_str::<RawTop>(doc).map_err(|e| e.to_string()).and_then(|t| article_from_raw(t, "#1"));
        (fast, slow)
    }

    #[test]
    fn the_fast_path_takes_the_common_shape() {
        let doc = r#"{"format": "gisa-article/1", "id": "a", "title": "제목", "meta": {"k": [1, 2.5, null]},
            "text": "한국은행은\n\"금리\"를 동결했다 \ud83d\ude00",
            "annotations": [
              {"id": "e1", "kind": "entity", "label": "ORG", "start": 0, "end": 4, "text": "한국은행", "canonical": "한국은행"},
              {"id": "q1", "kind": "QUOTE", "start": 6, "end": 10, "speaker": "e1", "layer": "gold", "status": "accepted"},
              {"id": "f1", "kind": "figure", "start": 7, "end": 9, "value": -1.5e3, "unit": "%", "approx": false, "bound": "min"},
              {"id": "x", "start": 1, "end": 2, "note": "unknown field: the general code reads this one"},
              {"id": "y", "start": 3, "end": 99}]}"#;
        let (fast, slow) = both_paths(doc);
        let (fast, slow) = (fast.expect("fast path taken").unwrap(), slow.unwrap());
        assert_eq!(fast, slow);
        assert_eq!(fast.annotations.len(), 5);
        assert!(fast.problems.iter().any(|p| p.message.contains("beyond the end")), "{:?}", fast.problems);
    }

    #[test]
    fn odd_keys_and_offsets_read_as_the_general_reader_reads_them() {
        for obj in [
            r#"{"id": "a", "st\u0061rt": 1, "end": 2}"#,
            r#"{"id": "a", "start": 0, "end": 18446744073709551616}"#,
            r#"{"id": "a", "start": 1.0, "end": 2}"#,
            r#"{"id": "a", "start": 1e0, "end": 2}"#,
            r#"{"id": "a", "start": 0, "end": 2, "a_rather_long_unknown_key": 1}"#,
            r#"{"id": "a", "start": 0, "end": 2, "spe\"aker": "x"}"#,
        ] {
            let doc = format!(r#"{{"text": "가나다", "annotations": [{obj}]}}"#);
            let (fast, slow) = both_paths(&doc);
            assert_eq!(fast.expect("fast path taken").unwrap(), slow.unwrap(), "{obj}");
        }
        // not JSON: left to serde_json, whose error names the place
        assert!(fast::top(r#"{"text": "가", "annotations": [{"id": "a", "start": 01, "end": 2}]}"#).is_none());
    }

    proptest::proptest! {
        /// Whatever an annotation holds, the fast path either declines or builds exactly what
        /// the general reader builds.
        #[test]
        fn fast_and_general_readers_agree(anns in proptest::collection::vec(proptest::collection::vec((0usize..17, 0usize..10), 0..7), 0..6)) {
            const KEYS: [&str; 17] = ["id", "kind", "label", "start", "end", "text", "speaker", "speaker_text",
                "canonical", "value", "unit", "approx", "bound", "layer", "status", "note", "start"];
            const VALUES: [&str; 10] = ["\"e1\"", "\"quote\"", "3", "-2", "1.5", "true", "null", "\"min\"",
                "\"a\\nb\"", "\"accepted\""];
            let objs: Vec<String> = anns.iter().map(|fields| {
                let body: Vec<String> = fields.iter().map(|&(k, v)| format!("\"{}\": {}", KEYS[k], VALUES[v])).collect();
                format!("{{{}}}", body.join(", "))
            }).collect();
            let doc = format!("{{\"text\": \"가나다라마\\n바사\", \"annotations\": [{}]}}", objs.join(", "));
            let (fast, slow) = both_paths(&doc);
            if let Some(fast) = fast {
                proptest::prop_assert_eq!(fast, slow, "{}", doc);
            }
        }
    }

    /// Large articles check ids on another thread: the same problems, in the same order.
    #[test]
    fn large_articles_report_what_small_ones_do() {
        let bad = |n: usize| {
            let mut anns: Vec<Value> =
                (0..n).map(|i| json!({"id": format!("e{i}"), "start": 0, "end": 1, "text": "가"})).collect();
            anns.push(json!({"id": "e1", "start": 0, "end": 1}));
            anns.push(json!({"id": "q", "kind": "quote", "start": 0, "end": 2, "speaker": "nobody", "text": "x"}));
            art(json!({"text": "가나", "annotations": anns}))
        };
        let (small, large) = (bad(3), bad(1 << 16));
        let msgs = |a: &Article| a.problems.iter().map(|p| p.message.clone()).collect::<Vec<_>>();
        assert_eq!(msgs(&small), msgs(&large));
        assert_eq!(msgs(&small).len(), 3, "{:?}", msgs(&small));
    }

    #[test]
    fn large_files_are_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.txt");
        let data: Vec<u8> = (0..(1usize << 23) + 12345).map(|i| (i % 251) as u8).collect();
        std::fs::write(&p, &data).unwrap();
        assert!(read_file(&p).unwrap() == data);
        let small = dir.path().join("small.txt");
        std::fs::write(&small, b"abc").unwrap();
        assert_eq!(read_file(&small).unwrap(), b"abc");
    }

    #[test]
    fn decode_says_what_it_found() {
        assert!(decode("f", b"").unwrap_err().message.contains("empty"));
        assert!(decode("f", b"\xFF\xFE{\x00}\x00").unwrap_err().message.contains("UTF-16"));
        assert!(decode("f", b"{\"t\x00\x00\x00").unwrap_err().message.contains("binary"));
        let e = decode("f", b"{\"text\": \"caf\xE9\"}").unwrap_err();
        assert!(e.message.contains("Latin-1"), "{e}");
        assert_eq!(e.place, "line 1, column 14: ");
    }
}
