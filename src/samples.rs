//! The sample articles of `assets/articles/`, embedded in the library.
//!
//! Korean news-style articles written for gisa (all names and figures invented), annotated in
//! `gisa-article/1` with all four kinds, nested spans, speakers, normalised figures, captions,
//! two layers, emoji and a long URL. They are generated from marked-up sources by
//! `assets/articles-src/build.py` (see its header for the markup); edit the sources, not the
//! JSON, and rerun the script.

use crate::ingest::{load_native_json, load_native_jsonl, LoadError, Loaded};

/// Every file of `assets/articles/` as `(file name, content)`, in file-name order: five
/// single-article `.json` files and one `.jsonl` holding two short articles.
pub const SAMPLES: &[(&str, &str)] = &[
    ("briefs.jsonl", include_str!("../assets/articles/briefs.jsonl")),
    ("economy-earnings.json", include_str!("../assets/articles/economy-earnings.json")),
    ("energy-offshore-wind.json", include_str!("../assets/articles/energy-offshore-wind.json")),
    ("local-night-market.json", include_str!("../assets/articles/local-night-market.json")),
    ("sports-handball.json", include_str!("../assets/articles/sports-handball.json")),
    ("tech-offline-interpreter.json", include_str!("../assets/articles/tech-offline-interpreter.json")),
];

/// Parses one embedded file through [`crate::ingest`], choosing the reader by extension
/// (`.jsonl`: one article per line; anything else: `.json`). `name` is used in messages.
pub fn load(name: &str, content: &str) -> Result<Loaded, LoadError> {
    if name.ends_with(".jsonl") {
        load_native_jsonl(name, content)
    } else {
        load_native_json(name, content)
    }
}

/// Loads every sample, in [`SAMPLES`] order.
pub fn load_all() -> Result<Vec<Loaded>, LoadError> {
    SAMPLES.iter().map(|(name, content)| load(name, content)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{article_from_value, article_to_value};
    use crate::layout::{caption_blocks, paragraphs, Block};
    use crate::model::{Annotation, Article, Kind};
    use serde_json::Value;
    use std::collections::{BTreeMap, BTreeSet};

    fn articles() -> Vec<(&'static str, Article)> {
        let mut out = Vec::new();
        for (name, content) in SAMPLES {
            let loaded = load(name, content).unwrap_or_else(|e| panic!("{e}"));
            out.extend(loaded.articles.into_iter().map(|a| (*name, a)));
        }
        out
    }

    /// The `text` fields exactly as written in the files.
    fn raw_texts() -> Vec<String> {
        let mut out = Vec::new();
        for (name, content) in SAMPLES {
            let values: Vec<Value> = if name.ends_with(".jsonl") {
                content.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
            } else {
                vec![serde_json::from_str(content).unwrap()]
            };
            out.extend(values.iter().map(|v| v["text"].as_str().unwrap().to_string()));
        }
        out
    }

    fn inside(inner: &Annotation, outer: &Annotation) -> bool {
        inner.id != outer.id && outer.start <= inner.start && inner.end <= outer.end
    }

    #[test]
    fn every_sample_loads_without_problems() {
        for (name, content) in SAMPLES {
            let loaded = load(name, content).unwrap_or_else(|e| panic!("{e}"));
            let problems: Vec<_> = loaded.all_problems().collect();
            assert!(problems.is_empty(), "{name}: {problems:?}");
            assert!(!loaded.articles.is_empty(), "{name}");
            for a in &loaded.articles {
                assert!(!a.annotations.is_empty(), "{name}: {} has no annotations", a.id);
                for x in &a.annotations {
                    assert!(x.flags.is_empty(), "{name}: {} {} {:?}", a.id, x.id, x.flags);
                    assert_eq!(x.text.as_deref(), Some(a.span_text(x)), "{name}: {} {}", a.id, x.id);
                }
                assert!(a.extra.contains_key("notice"), "{name}: {} says it is invented", a.id);
            }
        }
        assert_eq!(load_all().unwrap().len(), SAMPLES.len());
    }

    #[test]
    fn samples_cover_all_four_kinds() {
        let kinds: BTreeSet<Kind> = articles().iter().flat_map(|(_, a)| a.annotations.iter().map(|x| x.kind)).collect();
        assert_eq!(kinds, Kind::ALL.into_iter().collect());
    }

    #[test]
    fn samples_are_already_clean_so_offsets_need_no_mapping() {
        let raw = raw_texts();
        let arts = articles();
        assert_eq!(raw.len(), arts.len());
        for (r, (name, a)) in raw.iter().zip(&arts) {
            assert_eq!(&a.text, r, "{name}: {} changes when cleaned", a.id);
        }
    }

    #[test]
    fn every_file_of_the_directory_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/articles");
        let entries: Vec<std::path::PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        // only article files, so that `gisa check assets/articles/*` reads each entry
        assert!(entries.iter().all(|p| p.is_file()), "{entries:?}");
        let mut on_disk: Vec<String> =
            entries.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        on_disk.sort();
        let embedded: Vec<String> = SAMPLES.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(embedded, on_disk);
        for (name, content) in SAMPLES {
            assert_eq!(&std::fs::read_to_string(dir.join(name)).unwrap(), content, "{name}");
        }
        let single = SAMPLES.iter().filter(|(n, _)| n.ends_with(".json")).count();
        assert!(single >= 5, "at least five single-article files");
        let multi: Vec<_> = SAMPLES.iter().filter(|(n, _)| n.ends_with(".jsonl")).collect();
        assert_eq!(multi.len(), 1);
        assert_eq!(load(multi[0].0, multi[0].1).unwrap().articles.len(), 2);
    }

    #[test]
    fn articles_are_six_to_fifteen_paragraphs_with_distinct_ids() {
        let arts = articles();
        assert!(arts.len() >= 7);
        let ids: BTreeSet<&str> = arts.iter().map(|(_, a)| a.id.as_str()).collect();
        assert_eq!(ids.len(), arts.len());
        for (name, a) in &arts {
            let n = paragraphs(&a.text).len();
            assert!((6..=15).contains(&n), "{name}: {} has {n} paragraphs", a.id);
            assert!(!a.title.is_empty() && !a.published.is_empty(), "{name}: {}", a.id);
        }
    }

    #[test]
    fn nesting_covers_entities_in_quotes_and_figures_in_captions_and_quotes() {
        let (mut entity_in_quote, mut figure_in_caption, mut figure_in_quote, mut entity_in_caption) =
            (false, false, false, false);
        for (_, a) in articles() {
            for outer in &a.annotations {
                for inner in a.annotations.iter().filter(|i| inside(i, outer)) {
                    match (inner.kind, outer.kind) {
                        (Kind::Entity, Kind::Quote) => entity_in_quote = true,
                        (Kind::Figure, Kind::Caption) => figure_in_caption = true,
                        (Kind::Figure, Kind::Quote) => figure_in_quote = true,
                        (Kind::Entity, Kind::Caption) => entity_in_caption = true,
                        _ => {}
                    }
                }
            }
        }
        assert!(entity_in_quote && figure_in_caption && figure_in_quote && entity_in_caption);
    }

    #[test]
    fn quotes_name_a_person_entity_or_a_speaker_text() {
        let (mut by_entity, mut by_text) = (0, 0);
        for (name, a) in articles() {
            for q in a.annotations.iter().filter(|x| x.kind == Kind::Quote) {
                match (&q.speaker, &q.speaker_text) {
                    (Some(id), None) => {
                        let e = a.annotation(id).unwrap_or_else(|| panic!("{name}: {} dangling", q.id));
                        assert_eq!((e.kind, &*e.label), (Kind::Entity, "PERSON"), "{name}: {}", q.id);
                        by_entity += 1;
                    }
                    (None, Some(t)) => {
                        assert!(!t.is_empty());
                        by_text += 1;
                    }
                    other => panic!("{name}: quote {} has speaker {other:?}", q.id),
                }
                assert!(a.speaker_name(q).is_some());
            }
        }
        assert!(by_entity >= 10 && by_text >= 5, "{by_entity} {by_text}");
        let anon = articles()
            .iter()
            .any(|(_, a)| a.annotations.iter().any(|q| q.speaker_text.as_deref() == Some("정부 관계자")));
        assert!(anon, "an anonymous government official speaks somewhere");
    }

    #[test]
    fn figures_are_normalised() {
        let mut units = BTreeSet::new();
        let (mut approx, mut min, mut max_or_min_only) = (0, 0, true);
        for (name, a) in articles() {
            for f in a.annotations.iter().filter(|x| x.kind == Kind::Figure) {
                let v = f.value.unwrap_or_else(|| panic!("{name}: {} has no value", f.id));
                let unit = f.unit.clone().unwrap_or_else(|| panic!("{name}: {} has no unit", f.id));
                if unit == "date" {
                    // YYYYMMDD, 00 for an unknown month or day
                    assert_eq!(v.fract(), 0.0, "{name}: {}", f.id);
                    let d = v as u64;
                    assert!((19_000_000..=21_001_231).contains(&d) && (d / 100) % 100 <= 12 && d % 100 <= 31);
                    assert_eq!(f.label, "DATE");
                }
                if unit == "KRW" || unit == "USD" {
                    assert_eq!(f.label, "MONEY", "{name}: {}", f.id);
                }
                if f.approx == Some(true) {
                    approx += 1;
                }
                match f.bound.as_deref() {
                    Some("min") => min += 1,
                    Some("max") | None => {}
                    Some(_) => max_or_min_only = false,
                }
                units.insert(unit);
            }
        }
        for u in ["KRW", "USD", "%", "pp", "person", "date", "W", "m", "degC"] {
            assert!(units.contains(u), "unit {u} is used somewhere");
        }
        assert!(approx >= 10 && min >= 5 && max_or_min_only);
        // spot checks of the normalisation
        let arts = articles();
        let fig = |text: &str| -> &Annotation {
            arts.iter()
                .flat_map(|(_, a)| {
                    a.annotations.iter().filter(move |x| x.kind == Kind::Figure && a.span_text(x) == text)
                })
                .next()
                .unwrap_or_else(|| panic!("{text}"))
        };
        assert_eq!(fig("1조2천억원").value, Some(1_200_000_000_000.0));
        assert_eq!(fig("약 21억 달러").value, Some(2_100_000_000.0));
        assert_eq!(fig("1.4%p").unit.as_deref(), Some("pp"));
        assert_eq!(fig("3만4천여 명").value, Some(34_000.0));
        assert_eq!(fig("1.5GW").value, Some(1.5e9));
        assert_eq!(fig("내년 3월").value, Some(20_260_300.0));
    }

    #[test]
    fn canonical_groups_mentions_with_different_surfaces() {
        let mut groups_with_variants = 0;
        for (_, a) in articles() {
            let mut groups: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
            for e in a.annotations.iter().filter(|x| x.kind == Kind::Entity && x.layer != "model-v1") {
                groups.entry(e.group_name(&a.text)).or_default().insert(a.span_text(e));
            }
            groups_with_variants += groups.values().filter(|s| s.len() >= 2).count();
        }
        // 한빛전자/한빛, 박서연/박, 바다바람에너지/바다바람, 페이온코리아/페이온, ...
        assert!(groups_with_variants >= 5, "{groups_with_variants}");
    }

    #[test]
    fn captions_stand_alone_and_inline() {
        let (mut block_credit, mut block_photo, mut inline) = (false, false, false);
        for (_, a) in articles() {
            let paras = paragraphs(&a.text);
            let blocks = caption_blocks(&a, &paras);
            for c in a.annotations.iter().filter(|x| x.kind == Kind::Caption) {
                let i = paras.iter().position(|r| r.start <= c.start && c.end <= r.end).unwrap();
                let whole = paras[i] == c.range();
                // a caption that fills its paragraph makes it a caption block; an inline one does not
                assert_eq!(blocks[i] == Block::Caption, whole, "{}", c.id);
                match (whole, &*c.label) {
                    (true, "CREDIT") => {
                        assert!(a.span_text(c).starts_with("(사진="));
                        block_credit = true;
                    }
                    (true, _) => block_photo = true,
                    (false, _) => inline = true,
                }
            }
        }
        assert!(block_credit && block_photo && inline);
    }

    #[test]
    fn tricky_strings_are_present() {
        let all: String = articles().iter().map(|(_, a)| a.text.as_str()).collect::<Vec<_>>().join("\n");
        for s in ["“", "”", "‘", "’", "·", "…", "▲", "℃", "🇰🇷", "👩\u{200D}💻", "🎉", "㎞"]
        {
            assert!(all.contains(s), "{s:?}");
        }
        let long_url = all
            .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
            .any(|w| w.starts_with("https://") && w.chars().count() > 100);
        assert!(long_url, "a URL longer than 100 characters without spaces");
    }

    #[test]
    fn layers_and_status() {
        let arts = articles();
        let layers: BTreeSet<String> = arts.iter().flat_map(|(_, a)| a.layers()).collect();
        assert_eq!(layers, ["", "gold", "model-v1"].iter().map(|s| s.to_string()).collect());
        let (_, wind) = arts.iter().find(|(_, a)| a.layers().len() == 2).expect("an article with two layers");
        let model: Vec<&Annotation> = wind.annotations.iter().filter(|x| x.layer == "model-v1").collect();
        let gold: Vec<&Annotation> = wind.annotations.iter().filter(|x| x.layer == "gold").collect();
        assert!(model.len() >= 3);
        // some model spans differ from every gold span, one even crosses a gold span
        let same = |m: &Annotation| gold.iter().any(|g| g.range() == m.range() && g.kind == m.kind);
        assert!(model.iter().filter(|m| !same(m)).count() >= 3);
        let crosses = model.iter().any(|m| {
            gold.iter().any(|g| {
                (m.start < g.start && g.start < m.end && m.end < g.end)
                    || (g.start < m.start && m.start < g.end && g.end < m.end)
            })
        });
        assert!(crosses);
        let statuses: BTreeSet<&str> = model.iter().map(|m| m.status.as_str()).collect();
        assert!(statuses.contains("accepted") && statuses.contains("rejected") && statuses.contains("unreviewed"));
        assert!(model.iter().all(|m| m.extra.contains_key("confidence")), "an unknown field, kept");
    }

    #[test]
    fn samples_round_trip_through_export() {
        for (name, a) in articles() {
            let back = article_from_value(article_to_value(&a), "#x").unwrap();
            assert_eq!(back, a, "{name}: {}", a.id);
        }
    }
}
