//! Importing what annotation and extraction tools write, and exporting to them.
//!
//! | format | files | offsets | layer of each annotation |
//! |---|---|---|---|
//! | [`Format::Native`] | `.json`, `.jsonl` (`gisa-article/1`) | code points | `layer` field |
//! | [`Format::Spacy`] | `Doc.to_json()` as `.json` / `.jsonl` | code points | `""` for `ents`, the group name for each `spans` group |
//! | [`Format::Brat`] | `.txt` + `.ann`, or a folder of pairs | code points | `""` (or the exported `gisa` note) |
//! | [`Format::LabelStudio`] | JSON export (a task list) | code points (UTF-16 in ≤2021 exports: repaired) | one per annotation (`completed_by`) and per prediction (`model_version`) |
//! | [`Format::Doccano`] | JSONL | UTF-16 code units | `annotator`/`user`/`username` of the line, else `""` |
//! | [`Format::Prodigy`] | JSONL | code points | `_annotator_id`, else `_session_id`, else `""` |
//! | [`Format::Klue`] | KLUE-NER `.tsv` | characters (code points) | `""` |
//!
//! Every importer builds a raw document (text as in the file, offsets in the format's unit) and
//! hands it to one shared step that verifies every span against the text the file claims for
//! it, repairs or re-anchors it when that fails, cleans the text and converts the offsets to
//! bytes (see [`anchor`](self::anchor) for the rules). Spans that were repaired carry
//! [`Flag::Repaired`](crate::model::Flag::Repaired), spans that could not be placed
//! [`Flag::Orphaned`](crate::model::Flag::Orphaned); each has a [`Problem`] naming its place in
//! the file. Nothing is dropped silently.
//!
//! Entry points: [`detect`], [`load_path`], [`load_dir`], [`load_str`], [`export()`], [`convert`].
//! `docs/IMPORT.md` describes each format in full.
//!
//! Plain `.txt` files without a `.ann` beside them are not annotation files: [`load_path`]
//! refuses them with an error and [`load_dir`] leaves them out; [`is_plain_text`] tells the caller
//! which files those are (the extractor turns them into articles).

mod anchor;
pub mod brat;
pub mod doccano;
pub mod export;
pub mod klue;
pub mod labelstudio;
pub mod prodigy;
mod raw;
pub mod spacy;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde_json::Value;

pub use export::{export, ExportError};

use crate::ingest::{self, LoadError, Loaded};
use crate::labels::LabelMap;
use crate::model::{Article, Problem};

/// A file format gisa reads (and, for some, writes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// gisa's own `gisa-article/1` JSON / JSONL.
    Native,
    /// spaCy `Doc.to_json()`.
    Spacy,
    /// brat standoff (`.txt` + `.ann`).
    Brat,
    /// Label Studio JSON export.
    LabelStudio,
    /// doccano JSONL export.
    Doccano,
    /// Prodigy JSONL.
    Prodigy,
    /// KLUE-NER TSV.
    Klue,
}

impl Format {
    /// All formats, in the order help texts list them.
    pub const ALL: [Format; 7] = [
        Format::Native,
        Format::Spacy,
        Format::Brat,
        Format::LabelStudio,
        Format::Doccano,
        Format::Prodigy,
        Format::Klue,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Native => "native",
            Format::Spacy => "spacy",
            Format::Brat => "brat",
            Format::LabelStudio => "labelstudio",
            Format::Doccano => "doccano",
            Format::Prodigy => "prodigy",
            Format::Klue => "klue",
        }
    }

    /// True when [`export()`] can write this format.
    pub fn can_export(self) -> bool {
        matches!(self, Format::Native | Format::Brat | Format::Doccano | Format::LabelStudio)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let n = s.trim().to_ascii_lowercase().replace(['-', '_', ' '], "");
        Ok(match n.as_str() {
            "native" | "gisa" => Format::Native,
            "spacy" => Format::Spacy,
            "brat" | "standoff" => Format::Brat,
            "labelstudio" | "ls" => Format::LabelStudio,
            "doccano" => Format::Doccano,
            "prodigy" => Format::Prodigy,
            "klue" | "kluener" => Format::Klue,
            _ => {
                return Err(format!(
                    "unknown format \"{s}\" (expected one of: {})",
                    Format::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
                ))
            }
        })
    }
}

fn ext_of(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
}

/// The `.ann` beside a `.txt` (or the `.txt` beside a `.ann`).
fn sibling(path: &Path, ext: &str) -> PathBuf {
    path.with_extension(ext)
}

/// True for a `.txt` file with no `.ann` beside it: plain text, not an annotation file (the
/// extractor's business, not the importers').
pub fn is_plain_text(path: &Path) -> bool {
    ext_of(path) == "txt" && !sibling(path, "ann").is_file()
}

/// Guesses the format of a file from its extension and the first bytes of its content.
///
/// `.ann` is brat, and so is a `.txt` with a `.ann` beside it (a `.txt` alone gives `None`).
/// `.tsv` with `CHAR<TAB>B-/I-/O` lines is KLUE. JSON and JSONL are told apart by the keys of
/// their first object: `format: "gisa-article/1"` (native), `data` (Label Studio),
/// `_input_hash`/`_task_hash`/`_view_id`/`_session_id` (Prodigy), `ents`/`tokens`/a `spans`
/// object (spaCy), `label`/`labels`/`entities` (doccano), a `spans` array (Prodigy), and
/// `annotations` or anything else with a `text` (native).
pub fn detect(path: &Path, head: &[u8]) -> Option<Format> {
    let ext = ext_of(path);
    match ext.as_str() {
        "ann" => return Some(Format::Brat),
        "txt" => return sibling(path, "ann").is_file().then_some(Format::Brat),
        _ => {}
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let body = &head[start..];
    if ext == "tsv" || ext == "conll" || ext == "bio" || body.starts_with(b"##") {
        return klue::looks_like(body).then_some(Format::Klue);
    }
    if body[0] != b'{' && body[0] != b'[' {
        return None;
    }
    let keys = top_keys(body);
    let has = |k: &str| keys.iter().any(|(key, _, _)| key == k);
    let first = |k: &str| keys.iter().find(|(key, _, _)| key == k).map(|(_, b, _)| *b);
    let string = |k: &str| keys.iter().find(|(key, _, _)| key == k).and_then(|(_, _, s)| s.clone());
    if string("format").as_deref() == Some(ingest::FORMAT_NAME) {
        return Some(Format::Native);
    }
    if first("data") == Some(b'{') {
        return Some(Format::LabelStudio);
    }
    if ["_input_hash", "_task_hash", "_view_id", "_session_id", "_annotator_id"].iter().any(|k| has(k)) {
        return Some(Format::Prodigy);
    }
    if has("ents") || first("spans") == Some(b'{') || (has("tokens") && !has("annotations") && !has("answer")) {
        return Some(Format::Spacy);
    }
    if has("text") && (has("label") || has("labels") || has("entities") || has("relations")) {
        return Some(Format::Doccano);
    }
    if has("text") && first("spans") == Some(b'[') {
        return Some(Format::Prodigy);
    }
    if has("text") || has("annotations") {
        return Some(Format::Native);
    }
    None
}

/// The keys of the first JSON object in `s` (itself, or the first element of an array): each
/// with the first byte of its value and, for short strings, the string. Tolerates truncation.
fn top_keys(s: &[u8]) -> Vec<(String, u8, Option<String>)> {
    let mut out = Vec::new();
    let mut i = 0;
    let ws = |i: &mut usize| {
        while *i < s.len() && s[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    ws(&mut i);
    if s.get(i) == Some(&b'[') {
        i += 1;
        ws(&mut i);
    }
    if s.get(i) != Some(&b'{') {
        return out;
    }
    i += 1;
    loop {
        ws(&mut i);
        if s.get(i) != Some(&b'"') {
            return out;
        }
        let Some((key, ni)) = read_string(s, i) else { return out };
        i = ni;
        ws(&mut i);
        if s.get(i) != Some(&b':') {
            return out;
        }
        i += 1;
        ws(&mut i);
        let Some(&b) = s.get(i) else { return out };
        let mut val = None;
        if b == b'"' {
            let Some((v, ni)) = read_string(s, i) else {
                out.push((key, b, None));
                return out;
            };
            if v.len() <= 64 {
                val = Some(v);
            }
            i = ni;
        } else {
            // skip a value: nested brackets, strings inside
            let mut depth = 0i32;
            while i < s.len() {
                match s[i] {
                    b'"' => match read_string(s, i) {
                        Some((_, ni)) => {
                            i = ni;
                            continue;
                        }
                        None => {
                            out.push((key, b, None));
                            return out;
                        }
                    },
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth > 0 => depth -= 1,
                    b',' | b'}' if depth == 0 => break,
                    _ => {}
                }
                i += 1;
            }
        }
        out.push((key, b, val));
        ws(&mut i);
        match s.get(i) {
            Some(b',') => i += 1,
            _ => return out,
        }
    }
}

/// Reads a JSON string starting at the quote at `i`; returns it (escapes kept raw except `\"`)
/// and the index after the closing quote.
fn read_string(s: &[u8], i: usize) -> Option<(String, usize)> {
    let mut j = i + 1;
    let mut out = Vec::new();
    while j < s.len() {
        match s[j] {
            b'\\' => {
                if let Some(&c) = s.get(j + 1) {
                    out.push(c);
                }
                j += 2;
            }
            b'"' => return Some((String::from_utf8_lossy(&out).into_owned(), j + 1)),
            c => {
                out.push(c);
                j += 1;
            }
        }
    }
    None
}

/// How many bytes of a file [`detect`] looks at.
pub const HEAD_LEN: usize = 64 * 1024;

fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut buf = vec![0u8; HEAD_LEN];
    let mut n = 0;
    while n < buf.len() {
        let k = f.read(&mut buf[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    buf.truncate(n);
    Ok(buf)
}

/// Loads one file, or one brat pair given by either of its paths.
///
/// `from` overrides detection. [`Format::Native`] goes to [`crate::ingest::load_native_file`],
/// and so does a file whose format cannot be told (its errors say what the bytes are: empty,
/// binary, UTF-16, Latin-1, not JSON). A plain `.txt` (no `.ann` beside it) is refused: see
/// [`is_plain_text`].
pub fn load_path(path: &Path, from: Option<Format>, labels: &LabelMap) -> Result<Loaded, LoadError> {
    let name = path.display().to_string();
    let format = match from {
        Some(f) => f,
        None => {
            if ext_of(path) == "txt" && !sibling(path, "ann").is_file() {
                return Err(LoadError::new(
                    &name,
                    "",
                    "plain text with no .ann beside it: not an annotation file (brat needs NAME.txt with NAME.ann)",
                ));
            }
            if ext_of(path) == "ann" {
                Format::Brat
            } else {
                // unreadable, empty, binary, UTF-16, not JSON: the native reader says which,
                // precisely (and a file that is none of the formats gets its JSON errors)
                match read_head(path) {
                    Ok(head) => detect(path, &head).unwrap_or(Format::Native),
                    Err(_) => Format::Native,
                }
            }
        }
    };
    if format != Format::Brat && path.is_dir() {
        return Err(LoadError::new(&name, "", "is a folder; load it with load_dir"));
    }
    match format {
        Format::Native => ingest::load_native_file(path),
        Format::Brat => brat::load_pair(path, labels),
        f => {
            let bytes = std::fs::read(path).map_err(|e| LoadError::new(&name, "", format!("cannot read: {e}")))?;
            let text = ingest::decode(&name, &bytes)?;
            let mut loaded = load_str(&name, text, f, labels)?;
            loaded.path = path.to_path_buf();
            Ok(loaded)
        }
    }
}

/// Parses file content already in memory (every format but brat, which needs two files: see
/// [`brat::load_strs`]). `name` names the file in messages.
pub fn load_str(name: &str, text: &str, format: Format, labels: &LabelMap) -> Result<Loaded, LoadError> {
    let mut loaded = match format {
        Format::Native => {
            let trimmed = text.trim_start();
            let jsonl = name.ends_with(".jsonl") || name.ends_with(".ndjson");
            if jsonl || (trimmed.starts_with('{') && looks_jsonl(trimmed)) {
                ingest::load_native_jsonl(name, text)
            } else {
                ingest::load_native_json(name, text)
            }
        }
        Format::Spacy => spacy::parse(name, text, labels),
        Format::Brat => Err(LoadError::new(name, "", "brat needs the .txt and the .ann: use brat::load_strs")),
        Format::LabelStudio => labelstudio::parse(name, text, labels),
        Format::Doccano => doccano::parse(name, text, labels),
        Format::Prodigy => prodigy::parse(name, text, labels),
        Format::Klue => klue::parse(name, text, labels),
    }?;
    loaded.path = PathBuf::from(name);
    Ok(loaded)
}

/// True when the text has a second line that also starts a JSON object (JSONL, not JSON).
pub(crate) fn looks_jsonl(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    match (lines.next(), lines.next()) {
        (Some(a), Some(b)) => {
            a.trim_end().ends_with('}') && b.trim_start().starts_with('{') && serde_json::from_str::<Value>(a).is_ok()
        }
        _ => false,
    }
}

/// Loads every supported file in a folder and its subfolders (sorted by path): brat pairs (a
/// folder of them is a corpus), JSON/JSONL and KLUE TSV files. Plain `.txt` files without a
/// `.ann` are left out (see [`is_plain_text`]); so are files of other types and brat's
/// configuration files. Hidden files and folders are skipped.
pub fn load_dir(dir: &Path, from: Option<Format>, labels: &LabelMap) -> Vec<Result<Loaded, LoadError>> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    walk(dir, &mut files, &mut errors);
    files.sort();
    let mut out: Vec<Result<Loaded, LoadError>> = errors.into_iter().map(Err).collect();
    for f in files {
        let ext = ext_of(&f);
        let wanted = match ext.as_str() {
            "ann" => true,
            "txt" => {
                if from == Some(Format::Brat) && !sibling(&f, "ann").is_file() {
                    // asked for brat: a .txt without .ann is worth saying
                    out.push(Err(LoadError::new(
                        f.display().to_string(),
                        "",
                        "no .ann beside this .txt; skipped (plain text, not a brat pair)",
                    )));
                }
                false // pairs are loaded through their .ann
            }
            "json" | "jsonl" | "ndjson" | "tsv" => true,
            _ => false,
        };
        if !wanted {
            continue;
        }
        let fmt = if ext == "ann" { Some(Format::Brat) } else { from.filter(|&f| f != Format::Brat) };
        out.push(load_path(&f, fmt, labels));
    }
    out
}

/// Files of a folder (recursively) that are plain text without annotations: what [`load_dir`]
/// leaves to the extractor.
pub fn plain_text_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    walk(dir, &mut files, &mut Vec::new());
    files.retain(|f| is_plain_text(f));
    files.sort();
    files
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<LoadError>) {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            errors.push(LoadError::new(dir.display().to_string(), "", format!("cannot read the folder: {e}")));
            return;
        }
    };
    for entry in rd.flatten() {
        let p = entry.path();
        let hidden = p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, files, errors);
        } else {
            files.push(p);
        }
    }
}

/// How many spans importers repaired and could not place (for summaries: `gisa check`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Spans flagged [`Flag::Repaired`](crate::model::Flag::Repaired).
    pub repaired: usize,
    /// Spans flagged [`Flag::Orphaned`](crate::model::Flag::Orphaned).
    pub orphaned: usize,
}

impl Counts {
    /// Adds the flagged spans of `articles`.
    pub fn add(&mut self, articles: &[Article]) {
        use crate::model::Flag;
        for x in articles.iter().flat_map(|a| &a.annotations) {
            self.repaired += usize::from(x.flags.contains(&Flag::Repaired));
            self.orphaned += usize::from(x.flags.contains(&Flag::Orphaned));
        }
    }
}

/// Why `convert` failed.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// The input could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The target cannot be written.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// brat writes two files per article: an output folder is needed.
    #[error("brat writes a .txt and a .ann per article: give an output folder with -o")]
    NeedsOutput,
    /// The output is the input.
    #[error("{0}: refusing to write over the input file; choose another output")]
    SameFile(String),
    /// Writing failed.
    #[error("{path}: cannot write: {message}")]
    Write {
        /// The file or folder.
        path: String,
        /// The error.
        message: String,
    },
}

/// What `convert` did.
#[derive(Debug, Clone, Default)]
pub struct Converted {
    /// The output when no output path was given (write it to stdout).
    pub stdout: Option<String>,
    /// Files written.
    pub written: Vec<PathBuf>,
    /// Articles converted.
    pub articles: usize,
    /// Problems found while reading the input (print them as warnings).
    pub problems: Vec<Problem>,
}

/// Reads `input` (a file, a brat pair or a folder), and writes it as `to`: to `out` when given
/// (a file, or a folder for brat), else into [`Converted::stdout`]. Never writes to the input.
pub fn convert(
    input: &Path,
    from: Option<Format>,
    to: Format,
    out: Option<&Path>,
    labels: &LabelMap,
) -> Result<Converted, ConvertError> {
    if !to.can_export() {
        return Err(ExportError::Unsupported(to).into());
    }
    if to == Format::Brat && out.is_none() {
        return Err(ConvertError::NeedsOutput);
    }
    let mut articles: Vec<Article> = Vec::new();
    let mut problems = Vec::new();
    let mut inputs: Vec<PathBuf> = Vec::new();
    if input.is_dir() {
        for r in load_dir(input, from, labels) {
            let l = r?;
            inputs.push(l.path.clone());
            problems.extend(l.all_problems().cloned());
            articles.extend(l.articles);
        }
    } else {
        let l = load_path(input, from, labels)?;
        inputs.push(input.to_path_buf());
        inputs.push(l.path.clone());
        problems.extend(l.all_problems().cloned());
        articles = l.articles;
    }
    if articles.is_empty() {
        return Err(LoadError::new(input.display().to_string(), "", "no article to convert").into());
    }
    let pairs: Vec<PathBuf> = inputs
        .iter()
        .filter(|p| matches!(ext_of(p).as_str(), "ann" | "txt"))
        .flat_map(|p| [sibling(p, "txt"), sibling(p, "ann")])
        .collect();
    inputs.extend(pairs);
    let jsonl = out.is_some_and(|o| matches!(ext_of(o).as_str(), "jsonl" | "ndjson"));
    let files = export::export_with(&articles, to, jsonl)?;
    let mut done = Converted { articles: articles.len(), problems, ..Default::default() };
    let Some(out) = out else {
        done.stdout = Some(files.into_iter().map(|(_, c)| c).collect::<Vec<_>>().join(""));
        return Ok(done);
    };
    let same = |p: &Path| inputs.iter().any(|i| same_file(i, p));
    if to == Format::Brat {
        if out.is_file() {
            return Err(ConvertError::Write {
                path: out.display().to_string(),
                message: "is a file; brat output needs a folder".into(),
            });
        }
        std::fs::create_dir_all(out)
            .map_err(|e| ConvertError::Write { path: out.display().to_string(), message: e.to_string() })?;
        for (name, _) in &files {
            let p = out.join(name);
            if same(&p) {
                return Err(ConvertError::SameFile(p.display().to_string()));
            }
        }
        for (name, content) in files {
            let p = out.join(&name);
            write_file(&p, &content)?;
            done.written.push(p);
        }
    } else {
        if same(out) {
            return Err(ConvertError::SameFile(out.display().to_string()));
        }
        let content: String = files.into_iter().map(|(_, c)| c).collect();
        write_file(out, &content)?;
        done.written.push(out.to_path_buf());
    }
    Ok(done)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

fn write_file(p: &Path, content: &str) -> Result<(), ConvertError> {
    std::fs::write(p, content)
        .map_err(|e| ConvertError::Write { path: p.display().to_string(), message: e.to_string() })
}

/// The 1-based line of each element of a top-level JSON array (`text` is the file), for
/// messages; elements past the end of the scan get no line.
pub(crate) fn element_lines(text: &str) -> Vec<usize> {
    let s = text.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut line = 1usize;
    let mut i = 0;
    let mut expect = false;
    while i < s.len() {
        let b = s[i];
        match b {
            b'\n' => line += 1,
            b'"' => {
                if depth == 1 && expect {
                    out.push(line);
                    expect = false;
                }
                i += 1;
                while i < s.len() && s[i] != b'"' {
                    if s[i] == b'\\' {
                        i += 1;
                    } else if s[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
            }
            b'[' | b'{' => {
                if depth == 1 && expect {
                    out.push(line);
                    expect = false;
                }
                if depth == 0 && b == b'[' {
                    expect = true;
                }
                depth += 1;
            }
            b']' | b'}' => depth -= 1,
            b',' if depth == 1 => expect = true,
            c if !c.is_ascii_whitespace() && depth == 1 && expect => {
                out.push(line);
                expect = false;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Place text for element `i` of a JSON array: `task 3 (line 17)`.
pub(crate) fn element_place(what: &str, i: usize, lines: &[usize]) -> String {
    match lines.get(i) {
        Some(l) => format!("{what} {} (line {l})", i + 1),
        None => format!("{what} {}", i + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
            assert_eq!(f.to_string(), f.name());
        }
        assert_eq!("Label-Studio".parse::<Format>(), Ok(Format::LabelStudio));
        assert!("conll".parse::<Format>().unwrap_err().contains("expected one of"));
    }

    #[test]
    fn detect_by_keys() {
        let p = Path::new("x.json");
        let d = |s: &str| detect(p, s.as_bytes());
        assert_eq!(d(r#"{"format": "gisa-article/1", "text": "a"}"#), Some(Format::Native));
        assert_eq!(d(r#"{"text": "a", "annotations": []}"#), Some(Format::Native));
        assert_eq!(d(r#"[{"id": 1, "data": {"text": "a"}, "annotations": []}]"#), Some(Format::LabelStudio));
        assert_eq!(d(r#"{"text": "a", "ents": [], "tokens": []}"#), Some(Format::Spacy));
        assert_eq!(d(r#"{"text": "a", "spans": {"sc": []}}"#), Some(Format::Spacy));
        assert_eq!(d(r#"{"id": 3, "text": "a", "label": [[0, 1, "PS"]]}"#), Some(Format::Doccano));
        assert_eq!(d(r#"{"text": "a", "entities": [{"id": 1}], "relations": []}"#), Some(Format::Doccano));
        assert_eq!(d(r#"{"text": "a", "spans": [], "_input_hash": 1}"#), Some(Format::Prodigy));
        assert_eq!(d(r#"{"text": "a", "spans": [{"start": 0}], "answer": "accept"}"#), Some(Format::Prodigy));
        assert_eq!(d("{\"text\": \"a \\\" b\", \"lab"), Some(Format::Native));
        assert_eq!(d("hello"), None);
        assert_eq!(detect(Path::new("x.tsv"), "## id\t<가:PS>\n가\tB-PS\n".as_bytes()), Some(Format::Klue));
        assert_eq!(detect(Path::new("x.ann"), b""), Some(Format::Brat));
    }

    #[test]
    fn element_lines_finds_each_array_element() {
        let t = "[\n  {\"a\": [1, 2]},\n  {\"b\": \"x,]\"},\n\n  3\n]";
        assert_eq!(element_lines(t), vec![2, 3, 5]);
    }
}
