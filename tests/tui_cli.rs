//! The reader's command line without a terminal: `gisa keys` prints the keymap table (the
//! README's keys section), and `gisa [FILE|DIR]` prints the articles when standard output is
//! not a terminal (the bundled samples when no path is given).

use std::path::PathBuf;
use std::process::{Command, Output};

fn gisa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gisa")).args(args).output().expect("run gisa")
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui")
}

#[test]
fn keys_prints_the_readme_section() {
    let out = gisa(&["keys"]);
    assert!(out.status.success());
    let keys = String::from_utf8(out.stdout).unwrap();
    assert!(keys.contains("| `]q` | next quote |"), "{keys}");
    let readme = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(readme.contains(&format!("<!-- keys:start -->\n{keys}<!-- keys:end -->")), "README.md is stale");
}

#[test]
fn no_path_and_no_terminal_prints_the_samples() {
    let out = gisa(&[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    for (name, content) in gisa::samples::SAMPLES {
        let loaded = gisa::samples::load(name, content).unwrap();
        for a in &loaded.articles {
            assert!(text.contains(&a.title), "{} missing from:\n{text}", a.title);
        }
    }
    assert!(!text.contains('\u{1b}'), "no escape bytes when not a terminal");
}

#[test]
fn a_folder_opens_every_article_file_in_it() {
    let out = gisa(&[fixtures().to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("부산항 물동량"), "the second article of two.jsonl");
    assert!(text.contains("서울시, 한강 수상버스"));
}

#[test]
fn unreadable_files_fail_with_one_line_each() {
    let out = gisa(&["/nonexistent/article.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("/nonexistent/article.json"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let out = gisa(&[dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("no .json or .jsonl file"));
}
