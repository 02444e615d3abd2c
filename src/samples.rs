//! Bundled sample articles, embedded in the binary so `gisa` with no argument works from any
//! directory. Each entry is a file name and its content in the native format.

/// `(file name, content)` of each bundled sample, in the native `gisa-article/1` format.
pub const SAMPLES: &[(&str, &str)] = &[("tui-sample.json", include_str!("../assets/articles/tui-sample.json"))];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_load_without_problems() {
        assert!(!SAMPLES.is_empty());
        for (name, content) in SAMPLES {
            let loaded = crate::ingest::load_native_json(name, content).expect("sample loads");
            assert!(!loaded.articles.is_empty());
            assert_eq!(loaded.all_problems().count(), 0, "{name}");
        }
    }
}
