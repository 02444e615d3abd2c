//! The article model: what every importer produces and every view reads.
//!
//! Offsets inside the model are **byte offsets** into [`Article::text`] (half-open, always on
//! `char` boundaries of the cleaned NFC text). Files speak code points (or UTF-16 units, or
//! bytes); importers convert once, at the edge, with [`crate::offsets`].

use serde_json::{Map, Value};

/// What an annotation is about. Drives colours, panes and navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A direct quotation, usually with a speaker.
    Quote,
    /// A number with a unit: money, percentages, counts, dates.
    Figure,
    /// A named thing: person, organisation, place, product, term.
    Entity,
    /// A photo caption or credit, set apart as a figure block.
    Caption,
}

impl Kind {
    /// All kinds, in the order panes and legends list them.
    pub const ALL: [Kind; 4] = [Kind::Quote, Kind::Figure, Kind::Entity, Kind::Caption];

    /// The name used in files (`"quote"`, `"figure"`, `"entity"`, `"caption"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Quote => "quote",
            Kind::Figure => "figure",
            Kind::Entity => "entity",
            Kind::Caption => "caption",
        }
    }

    /// Parses a kind name as written in files (case-insensitive).
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(s))
    }

    /// Precedence when spans overlap and are equally long: higher wins (drawn on top).
    pub fn precedence(self) -> u8 {
        match self {
            Kind::Caption => 0,
            Kind::Quote => 1,
            Kind::Figure => 2,
            Kind::Entity => 3,
        }
    }
}

/// The review state of one annotation. Room for the review issue; readers show it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ReviewStatus {
    /// Nobody has decided yet (the default; not written to files).
    #[default]
    Unreviewed,
    /// A reviewer accepted it.
    Accepted,
    /// A reviewer rejected it.
    Rejected,
    /// A reviewer changed its label or boundaries.
    Modified,
}

impl ReviewStatus {
    /// The name used in files.
    pub fn as_str(&self) -> &'static str {
        match self {
            ReviewStatus::Unreviewed => "unreviewed",
            ReviewStatus::Accepted => "accepted",
            ReviewStatus::Rejected => "rejected",
            ReviewStatus::Modified => "modified",
        }
    }

    /// Parses a status name; unknown names give `None`.
    pub fn parse(s: &str) -> Option<ReviewStatus> {
        Some(match s {
            "unreviewed" => ReviewStatus::Unreviewed,
            "accepted" => ReviewStatus::Accepted,
            "rejected" => ReviewStatus::Rejected,
            "modified" => ReviewStatus::Modified,
            _ => return None,
        })
    }
}

/// Something wrong with an annotation that was still kept (never dropped silently).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flag {
    /// The offsets were unusable as given (out of range, negative, fractional, strings,
    /// reversed); `start`/`end` hold a best-effort repair.
    BadOffsets,
    /// The annotation's `text` differs from the characters its offsets cover.
    TextMismatch,
    /// Another annotation in the article has the same id.
    DuplicateId,
    /// `speaker` names no annotation of the article.
    DanglingSpeaker,
    /// `kind` was not one of quote, figure, entity, caption (shown as an entity).
    UnknownKind,
    /// An importer re-anchored the span (offset unit or position repaired).
    Repaired,
    /// An importer could not place the span in the text at all.
    Orphaned,
}

impl Flag {
    /// Short name for lists and the status bar.
    pub fn as_str(&self) -> &'static str {
        match self {
            Flag::BadOffsets => "bad-offsets",
            Flag::TextMismatch => "text-mismatch",
            Flag::DuplicateId => "duplicate-id",
            Flag::DanglingSpeaker => "dangling-speaker",
            Flag::UnknownKind => "unknown-kind",
            Flag::Repaired => "repaired",
            Flag::Orphaned => "orphaned",
        }
    }
}

/// A short text that is usually one of a few fixed words (a label, a layer, a unit): either a
/// `&'static str`, which costs no allocation, or an owned `String`. It reads as a `str`
/// (`Deref`), compares with `&str` and `String`, and is written to files as a plain string.
pub type Name = std::borrow::Cow<'static, str>;

/// The static copy of `s` when it is a label, layer, unit or bound common enough to be shared
/// (one `match`: the compiler compares lengths first).
fn common_name(s: &str) -> Option<&'static str> {
    macro_rules! common {
        ($($n:literal),* $(,)?) => {
            match s {
                $($n => Some($n),)*
                _ => None,
            }
        };
    }
    common!(
        "PERSON",
        "ORG",
        "LOC",
        "PRODUCT",
        "TERM",
        "QUOTE",
        "CAPTION",
        "MONEY",
        "PERCENT",
        "QUANTITY",
        "DATE",
        "DURATION",
        "ENTITY",
        "FIGURE",
        "PER",
        "PS",
        "LC",
        "OG",
        "DT",
        "QT",
        "TI",
        "GPE",
        "NORP",
        "FAC",
        "EVENT",
        "CARDINAL",
        "gold",
        "gisa-extract",
        "KRW",
        "USD",
        "%",
        "%p",
        "date",
        "min",
        "max",
    )
}

/// A [`Name`] for `s`: a shared static copy when `s` is a common label, layer or unit (no
/// allocation), else an owned copy.
pub fn name(s: &str) -> Name {
    match common_name(s) {
        Some(c) => Name::Borrowed(c),
        None => Name::Owned(s.to_string()),
    }
}

/// [`name`] for an owned string: the common ones are replaced by their static copy (and the
/// string freed), others are kept as they are.
pub fn name_of(s: String) -> Name {
    match common_name(&s) {
        Some(c) => Name::Borrowed(c),
        None => Name::Owned(s),
    }
}

/// The reading order of annotations, given as `(start, end, id)`: start ascending, longer spans
/// first, then id (ids are unique in a valid article, so the order is total).
pub fn reading_order(a: (usize, usize, &str), b: (usize, usize, &str)) -> std::cmp::Ordering {
    a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then_with(|| a.2.cmp(b.2))
}

/// One annotated span of an article.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    /// Unique within the article (importers invent one when the source has none).
    pub id: String,
    /// What the span is.
    pub kind: Kind,
    /// Free label: `PERSON`, `ORG`, `MONEY`, `DATE`, `QUOTE`, ... (a [`Name`]: the common
    /// labels cost no allocation).
    pub label: Name,
    /// Byte offset of the first byte, in the cleaned text.
    pub start: usize,
    /// Byte offset one past the last byte, in the cleaned text (`start <= end`).
    pub end: usize,
    /// The text the source claims the span covers (after cleaning), when given.
    pub text: Option<String>,
    /// For quotes: the id of the entity annotation that speaks.
    pub speaker: Option<String>,
    /// For quotes: a speaker that is no annotation (`정부 관계자`).
    pub speaker_text: Option<String>,
    /// For entities: the name that groups all mentions of one entity.
    pub canonical: Option<String>,
    /// For figures: the normalised value.
    pub value: Option<f64>,
    /// For figures: the unit of `value` (`KRW`, `USD`, `%`, `명`, `date`, ...).
    pub unit: Option<Name>,
    /// For figures: the surface form is approximate (`약`, `여`, `가량`).
    pub approx: Option<bool>,
    /// For figures: `"min"` (이상, 최소) or `"max"` (이하, 최대), when bounded.
    pub bound: Option<Name>,
    /// Where the annotation comes from: `gold`, a model version, an annotator. Empty = default.
    pub layer: Name,
    /// Review decision (the review issue fills this).
    pub status: ReviewStatus,
    /// Problems found at ingest; the annotation is kept and shown flagged.
    pub flags: Vec<Flag>,
    /// Fields this version does not know, kept and written back on export.
    pub extra: Map<String, Value>,
}

impl Annotation {
    /// A new annotation with only the required parts set.
    pub fn new(id: impl Into<String>, kind: Kind, label: impl Into<Name>, start: usize, end: usize) -> Self {
        Annotation {
            id: id.into(),
            kind,
            label: label.into(),
            start,
            end,
            text: None,
            speaker: None,
            speaker_text: None,
            canonical: None,
            value: None,
            unit: None,
            approx: None,
            bound: None,
            layer: Name::default(),
            status: ReviewStatus::Unreviewed,
            flags: Vec::new(),
            extra: Map::new(),
        }
    }

    /// The byte range in the article text.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// True when ingest found something wrong with it.
    pub fn is_flagged(&self) -> bool {
        !self.flags.is_empty()
    }

    /// The name used to group entity mentions: `canonical`, else the covered text.
    pub fn group_name<'a>(&'a self, article_text: &'a str) -> &'a str {
        match &self.canonical {
            Some(c) if !c.is_empty() => c,
            _ => article_text.get(self.range()).unwrap_or(""),
        }
    }
}

/// One problem found while reading a file, reported by `gisa check` and in the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The article id (or `#N` when the article has none).
    pub article: String,
    /// The annotation id, when the problem is about one annotation.
    pub annotation: Option<String>,
    /// What is wrong, in words.
    pub message: String,
}

/// One article with its annotations.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Article {
    /// Identifier (`#N`, the position in its file, when the file gives none).
    pub id: String,
    /// Headline.
    pub title: String,
    /// Outlet or origin.
    pub source: String,
    /// Link to the original.
    pub url: String,
    /// Publication date, `YYYY-MM-DD` as given.
    pub published: String,
    /// Cleaned NFC text; paragraphs separated by `\n`.
    pub text: String,
    /// Annotations sorted by (start, longer first, id).
    pub annotations: Vec<Annotation>,
    /// Problems found at ingest, in annotation order.
    pub problems: Vec<Problem>,
    /// Top-level fields this version does not know, kept and written back on export.
    pub extra: Map<String, Value>,
}

impl Article {
    /// An article with text only.
    pub fn from_text(id: impl Into<String>, text: impl Into<String>) -> Self {
        Article { id: id.into(), text: text.into(), ..Default::default() }
    }

    /// Sorts annotations in reading order ([`reading_order`]).
    pub fn sort_annotations(&mut self) {
        let order = |a: &Annotation, b: &Annotation| reading_order((a.start, a.end, &a.id), (b.start, b.end, &b.id));
        // files are usually in order already, and a stable sort would first set aside scratch
        // room for half of these large structs
        if !self.annotations.is_sorted_by(|a, b| order(a, b).is_le()) {
            self.annotations.sort_by(order);
        }
    }

    /// Looks an annotation up by id.
    pub fn annotation(&self, id: &str) -> Option<&Annotation> {
        self.annotations.iter().find(|a| a.id == id)
    }

    /// The text an annotation covers.
    pub fn span_text(&self, a: &Annotation) -> &str {
        self.text.get(a.range()).unwrap_or("")
    }

    /// The distinct layers of the article's annotations, in first-seen order.
    pub fn layers(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for a in &self.annotations {
            if !out.iter().any(|l| *l == a.layer) {
                out.push(a.layer.to_string());
            }
        }
        out
    }

    /// The speaker of a quote as text: the speaker entity's canonical name or text, else
    /// `speaker_text`.
    pub fn speaker_name(&self, quote: &Annotation) -> Option<String> {
        if let Some(id) = &quote.speaker {
            if let Some(e) = self.annotation(id) {
                return Some(e.group_name(&self.text).to_string());
            }
        }
        quote.speaker_text.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_names_are_shared_and_others_owned() {
        for s in ["PERSON", "gold", "gisa-extract", "KRW", "%p", "max"] {
            assert!(matches!(name(s), Name::Borrowed(b) if b == s), "{s}");
            assert!(matches!(name_of(s.to_string()), Name::Borrowed(b) if b == s), "{s}");
        }
        // near misses and other texts keep exactly what was given
        for s in ["person", "PERSONS", "PERSO", "", "model-v2", "한빛"] {
            assert!(matches!(name(s), Name::Owned(ref o) if o == s), "{s:?}");
            assert!(matches!(name_of(s.to_string()), Name::Owned(ref o) if o == s), "{s:?}");
        }
        // a name reads and compares as a str
        let a = Annotation::new("e1", Kind::Entity, name("ORG"), 0, 3);
        assert_eq!(a.label, "ORG");
        assert_eq!(&*a.label, "ORG");
        assert!(a.layer.is_empty());
    }
}
