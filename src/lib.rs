//! gisa: a terminal reader for annotated (Korean) news articles.
//!
//! This library is the pure core; the `gisa` binary (`src/main.rs`, `src/tui/`) is the thin
//! terminal layer on top of it. No module of the library uses terminal types.
//!
//! | module | what it does |
//! |---|---|
//! | [`model`] | `Article`, `Annotation`, kinds, layers, review status, problems |
//! | [`offsets`] | offset units (code points, UTF-16, bytes) and batch conversions |
//! | [`clean`] | sanitising text for display (escape sequences, controls, NFC) with an offset map |
//! | [`ingest`] | decoding files, the native `gisa-article/1` format, validation |
//! | [`import`] | reading spaCy, brat, Label Studio, doccano, Prodigy, KLUE-NER; re-anchoring; exporters; `convert` |
//! | [`labels`] | mapping other tools' labels (OntoNotes, KLUE/NIKL, common names, user TOML) to kinds |
//! | [`layout`] | grapheme widths, keep-all wrapping with kinsoku, lazy cached layout, highlight runs |
//! | [`print`] | `gisa print`: the article as wrapped, ANSI-styled text |
//! | [`samples`] | the sample articles of `assets/articles/`, embedded (`SAMPLES`) |
//! | [`extract`] | `gisa extract`: rule-based Korean quotes, figures, entities, captions from plain text |
//! | [`score`] | precision/recall/F1 of predicted annotations against gold ones |
//!
//! Offsets: Unicode code points at the edges (files), bytes inside (`Annotation::start/end`),
//! converted once at ingest.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod clean;
pub mod extract;
pub mod import;
pub mod ingest;
pub mod labels;
pub mod layout;
pub mod model;
pub mod offsets;
pub mod print;
pub mod samples;
pub mod score;
