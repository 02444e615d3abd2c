//! Mapping the labels of other tools to gisa's kinds.
//!
//! Every importer asks a [`LabelMap`] which [`Kind`] a label (`PERSON`, `PS_NAME`, `MONEY`,
//! `QT`, `Quote`, ...) stands for. The label itself is always kept as written; only the kind is
//! derived. Lookup is case-insensitive and goes:
//!
//! 1. the user's mapping for the exact label,
//! 2. the built-in table for the exact label,
//! 3. the user's mapping, then the built-in table, for the label's prefix before the first `_`,
//!    `-` or `.` (`PS_NAME` -> `PS`, `QT_PRICE` -> `QT`, `DATE.relative` -> `DATE`),
//! 4. otherwise [`Kind::Entity`] (an unknown label is an entity of that label).
//!
//! Built-in defaults cover OntoNotes 5 (spaCy's English labels), KLUE-NER and the NIKL
//! (모두의 말뭉치) top-level tags with their fine `PS_*`-style labels, CoNLL (`PER`, `MISC`) and
//! common names (`Person`, `Organization`, `Money`, `Quote`, `Caption`, ...).
//!
//! Relations whose name is speaker-like (`Speaker`, `SaidBy`, `Source`, `발화자`, ...) between a
//! quote and another span make that span the quote's speaker; see [`LabelMap::is_speaker_relation`].
//!
//! # User mapping file (TOML)
//!
//! ```toml
//! # label = kind (quote | figure | entity | caption); labels are case-insensitive
//! [labels]
//! CLAIM = "quote"
//! PRICE = "figure"
//! "사진설명" = "caption"
//! PS = "entity"           # a prefix entry also covers PS_NAME, PS_CHARACTER, ...
//!
//! # relation names that mean "this quote was said by that span" (added to the defaults)
//! [relations]
//! speaker = ["SaidBy", "인용주체"]
//! ```
//!
//! Both tables are optional. An unknown kind name, a non-string value or an unknown table is an
//! error naming the line of the file.

use std::collections::HashMap;
use std::path::Path;

use crate::ingest::LoadError;
use crate::model::Kind;

/// Built-in label -> kind table (upper-case labels).
const DEFAULTS: &[(&str, Kind)] = &[
    // OntoNotes 5 (spaCy)
    ("PERSON", Kind::Entity),
    ("NORP", Kind::Entity),
    ("FAC", Kind::Entity),
    ("ORG", Kind::Entity),
    ("GPE", Kind::Entity),
    ("LOC", Kind::Entity),
    ("PRODUCT", Kind::Entity),
    ("EVENT", Kind::Entity),
    ("WORK_OF_ART", Kind::Entity),
    ("LAW", Kind::Entity),
    ("LANGUAGE", Kind::Entity),
    ("DATE", Kind::Figure),
    ("TIME", Kind::Figure),
    ("PERCENT", Kind::Figure),
    ("MONEY", Kind::Figure),
    ("QUANTITY", Kind::Figure),
    ("ORDINAL", Kind::Figure),
    ("CARDINAL", Kind::Figure),
    // CoNLL / WikiNER
    ("PER", Kind::Entity),
    ("MISC", Kind::Entity),
    // KLUE-NER and the NIKL top-level tags (fine labels like PS_NAME go through their prefix)
    ("PS", Kind::Entity),
    ("LC", Kind::Entity),
    ("OG", Kind::Entity),
    ("AF", Kind::Entity),
    ("CV", Kind::Entity),
    ("AM", Kind::Entity),
    ("PT", Kind::Entity),
    ("FD", Kind::Entity),
    ("TR", Kind::Entity),
    ("EV", Kind::Entity),
    ("MT", Kind::Entity),
    ("TM", Kind::Entity),
    ("DT", Kind::Figure),
    ("TI", Kind::Figure),
    ("QT", Kind::Figure),
    // older Korean NER sets (NAVER/KMOU: PER, ORG, LOC, DAT, TIM, NUM, ...)
    ("DAT", Kind::Figure),
    ("TIM", Kind::Figure),
    ("NUM", Kind::Figure),
    ("POH", Kind::Entity),
    // common names
    ("ORGANIZATION", Kind::Entity),
    ("ORGANISATION", Kind::Entity),
    ("LOCATION", Kind::Entity),
    ("PLACE", Kind::Entity),
    ("COMPANY", Kind::Entity),
    ("ENTITY", Kind::Entity),
    ("NAME", Kind::Entity),
    ("FIGURE", Kind::Figure),
    ("NUMBER", Kind::Figure),
    ("AMOUNT", Kind::Figure),
    ("CURRENCY", Kind::Figure),
    ("PRICE", Kind::Figure),
    ("PERCENTAGE", Kind::Figure),
    ("STATISTIC", Kind::Figure),
    ("COUNT", Kind::Figure),
    ("DURATION", Kind::Figure),
    ("QUOTE", Kind::Quote),
    ("QUOTATION", Kind::Quote),
    ("DIRECT_QUOTE", Kind::Quote),
    ("INDIRECT_QUOTE", Kind::Quote),
    ("CITATION", Kind::Quote),
    ("SPEECH", Kind::Quote),
    ("CAPTION", Kind::Caption),
    ("PHOTO_CAPTION", Kind::Caption),
    ("CREDIT", Kind::Caption),
    ("인용", Kind::Quote),
    ("인용문", Kind::Quote),
    ("발언", Kind::Quote),
    ("인물", Kind::Entity),
    ("기관", Kind::Entity),
    ("장소", Kind::Entity),
    ("수치", Kind::Figure),
    ("금액", Kind::Figure),
    ("날짜", Kind::Figure),
    ("캡션", Kind::Caption),
    ("사진설명", Kind::Caption),
];

/// Built-in speaker-like relation names, normalised (lower case, no `_`, `-`, space).
const SPEAKER_RELATIONS: &[&str] = &[
    "speaker",
    "speakerof",
    "saidby",
    "said",
    "says",
    "spokenby",
    "source",
    "attribution",
    "attributedto",
    "quotespeaker",
    "quotedby",
    "발화자",
    "화자",
    "발언자",
];

/// Label -> kind mapping: built-in defaults plus optional user overrides.
#[derive(Debug, Clone, Default)]
pub struct LabelMap {
    user: HashMap<String, Kind>,
    speaker: Vec<String>,
}

/// Upper-cases a label for lookup (ASCII fast path; Hangul has no case).
fn key(label: &str) -> String {
    let t = label.trim();
    if t.is_ascii() {
        t.to_ascii_uppercase()
    } else {
        t.to_uppercase()
    }
}

fn norm_relation(name: &str) -> String {
    name.chars().filter(|c| !matches!(c, '_' | '-' | ' ')).flat_map(char::to_lowercase).collect()
}

fn builtin(key: &str) -> Option<Kind> {
    DEFAULTS.iter().find(|(l, _)| *l == key).map(|&(_, k)| k)
}

impl LabelMap {
    /// The built-in defaults only.
    pub fn new() -> Self {
        LabelMap::default()
    }

    /// The kind a label stands for (see the module doc for the lookup order).
    pub fn kind_of(&self, label: &str) -> Kind {
        let k = key(label);
        if let Some(&kind) = self.user.get(&k) {
            return kind;
        }
        if let Some(kind) = builtin(&k) {
            return kind;
        }
        if let Some(p) = k.find(['_', '-', '.']) {
            let prefix = &k[..p];
            if !prefix.is_empty() {
                if let Some(&kind) = self.user.get(prefix) {
                    return kind;
                }
                if let Some(kind) = builtin(prefix) {
                    return kind;
                }
            }
        }
        Kind::Entity
    }

    /// The kind the built-in table alone gives (what an exporter can rely on a reader to infer).
    pub fn default_kind_of(label: &str) -> Kind {
        LabelMap::default().kind_of(label)
    }

    /// True when a relation of this name links a quote to its speaker.
    pub fn is_speaker_relation(&self, name: &str) -> bool {
        let n = norm_relation(name);
        SPEAKER_RELATIONS.contains(&n.as_str()) || self.speaker.contains(&n)
    }

    /// Sets (or overrides) the kind of one label.
    pub fn set(&mut self, label: &str, kind: Kind) {
        self.user.insert(key(label), kind);
    }

    /// Adds a speaker-like relation name.
    pub fn add_speaker_relation(&mut self, name: &str) {
        self.speaker.push(norm_relation(name));
    }

    /// Parses a user mapping (the TOML shape in the module doc); `path` names the file in errors.
    pub fn from_toml_str(path: &str, text: &str) -> Result<LabelMap, LoadError> {
        let value: toml::Value = text.parse().map_err(|e: toml::de::Error| {
            let place = e.span().map(|s| place_of(text, s.start)).unwrap_or_default();
            LoadError::new(path, place, format!("not valid TOML: {}", e.message()))
        })?;
        let mut map = LabelMap::default();
        let toml::Value::Table(top) = value else {
            return Err(LoadError::new(path, "", "expected a table"));
        };
        for (section, v) in &top {
            let place = find_place(text, &format!("[{section}]"));
            match (section.as_str(), v) {
                ("labels", toml::Value::Table(t)) => {
                    for (label, kind) in t {
                        let place = find_place(text, label);
                        let toml::Value::String(k) = kind else {
                            return Err(LoadError::new(
                                path,
                                place,
                                format!(
                                    "[labels] {label}: the kind must be a string (quote, figure, entity or caption)"
                                ),
                            ));
                        };
                        let Some(kind) = Kind::parse(k) else {
                            return Err(LoadError::new(
                                path,
                                place,
                                format!("[labels] {label}: unknown kind \"{k}\" (expected quote, figure, entity or caption)"),
                            ));
                        };
                        map.set(label, kind);
                    }
                }
                ("relations", toml::Value::Table(t)) => {
                    for (name, v) in t {
                        let place = find_place(text, name);
                        if name != "speaker" {
                            return Err(LoadError::new(
                                path,
                                place,
                                format!("[relations] {name}: unknown key (only \"speaker\" is known)"),
                            ));
                        }
                        let toml::Value::Array(items) = v else {
                            return Err(LoadError::new(path, place, "[relations] speaker must be an array of names"));
                        };
                        for it in items {
                            match it {
                                toml::Value::String(s) => map.add_speaker_relation(s),
                                _ => {
                                    return Err(LoadError::new(
                                        path,
                                        place,
                                        "[relations] speaker must be an array of strings",
                                    ))
                                }
                            }
                        }
                    }
                }
                ("labels" | "relations", _) => {
                    return Err(LoadError::new(path, place, format!("[{section}] must be a table")));
                }
                _ => {
                    return Err(LoadError::new(
                        path,
                        find_place(text, section),
                        format!("unknown table \"{section}\" (expected [labels] and [relations])"),
                    ));
                }
            }
        }
        Ok(map)
    }

    /// Reads a user mapping file (the TOML shape in the module doc).
    pub fn from_toml_file(path: &Path) -> Result<LabelMap, LoadError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| LoadError::new(&name, "", format!("cannot read: {e}")))?;
        let text = crate::ingest::decode(&name, &bytes)?;
        LabelMap::from_toml_str(&name, text)
    }
}

fn place_of(text: &str, at: usize) -> String {
    let (l, c) = crate::ingest::line_col(text.as_bytes(), at);
    format!("line {l}, column {c}")
}

/// The line where `needle` first appears (for errors about a key), or empty.
fn find_place(text: &str, needle: &str) -> String {
    match text.find(needle) {
        Some(at) => format!("line {}", crate::ingest::line_col(text.as_bytes(), at).0),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_case_insensitive_and_use_prefixes() {
        let m = LabelMap::new();
        assert_eq!(m.kind_of("PERSON"), Kind::Entity);
        assert_eq!(m.kind_of("money"), Kind::Figure);
        assert_eq!(m.kind_of("Percent"), Kind::Figure);
        assert_eq!(m.kind_of("QT"), Kind::Figure);
        assert_eq!(m.kind_of("dt"), Kind::Figure);
        assert_eq!(m.kind_of("PS_NAME"), Kind::Entity);
        assert_eq!(m.kind_of("QT_PRICE"), Kind::Figure);
        assert_eq!(m.kind_of("TI_HOUR"), Kind::Figure);
        assert_eq!(m.kind_of("Quote"), Kind::Quote);
        assert_eq!(m.kind_of("Caption"), Kind::Caption);
        assert_eq!(m.kind_of("인용"), Kind::Quote);
        assert_eq!(m.kind_of("SOMETHING_ELSE"), Kind::Entity);
        assert_eq!(m.kind_of(""), Kind::Entity);
    }

    #[test]
    fn user_mapping_overrides_defaults_and_prefixes() {
        let toml = "[labels]\nclaim = \"quote\"\nMONEY = \"entity\"\nQT = \"entity\"\n\n[relations]\nspeaker = [\"인용주체\"]\n";
        let m = LabelMap::from_toml_str("map.toml", toml).unwrap();
        assert_eq!(m.kind_of("CLAIM"), Kind::Quote);
        assert_eq!(m.kind_of("money"), Kind::Entity);
        assert_eq!(m.kind_of("QT_PRICE"), Kind::Entity);
        assert_eq!(m.kind_of("PERCENT"), Kind::Figure);
        assert!(m.is_speaker_relation("인용주체"));
        assert!(m.is_speaker_relation("Said_By"));
        assert!(!LabelMap::new().is_speaker_relation("인용주체"));
        assert!(!m.is_speaker_relation("Located"));
    }

    #[test]
    fn bad_mapping_files_name_the_line() {
        let e = LabelMap::from_toml_str("m.toml", "[labels]\nA = \"quote\"\nB = \"person\"\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "m.toml: line 3: [labels] B: unknown kind \"person\" (expected quote, figure, entity or caption)"
        );
        let e = LabelMap::from_toml_str("m.toml", "[labels]\nA = \n").unwrap_err();
        assert!(e.place.starts_with("line 2"), "{e}");
        let e = LabelMap::from_toml_str("m.toml", "[colours]\nA = 1\n").unwrap_err();
        assert!(e.to_string().contains("unknown table \"colours\""), "{e}");
        let e = LabelMap::from_toml_str("m.toml", "[labels]\nA = 3\n").unwrap_err();
        assert!(e.to_string().contains("must be a string"), "{e}");
    }
}
