//! The bundled samples through the real binary: `gisa check assets/articles/*` is clean and
//! `gisa print` renders every article of every sample.

use std::path::PathBuf;
use std::process::{Command, Output};

fn gisa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gisa")).args(args).output().expect("run gisa")
}

/// Every entry of assets/articles/, as the shell glob `assets/articles/*` gives them.
fn sample_paths() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/articles");
    let mut out: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path().to_string_lossy().into_owned()).collect();
    out.sort();
    out
}

#[test]
fn check_of_every_sample_is_clean() {
    let paths = sample_paths();
    assert!(paths.len() >= 6);
    let args: Vec<&str> = std::iter::once("check").chain(paths.iter().map(String::as_str)).collect();
    let out = gisa(&args);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn print_renders_every_sample_article() {
    for p in sample_paths() {
        let out = gisa(&["print", "--color", "never", "--width", "60", &p]);
        assert_eq!(out.status.code(), Some(0), "{p}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{p}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(!out.stdout.contains(&0x1b), "{p}: no escape byte with --color never");
        let text = String::from_utf8(out.stdout).unwrap();
        let loaded = gisa::samples::load(&p, &std::fs::read_to_string(&p).unwrap()).unwrap();
        for a in &loaded.articles {
            // the title line may be cut to the width; its start is there
            let head: String = a.title.chars().take(10).collect();
            assert!(text.contains(&head), "{p}: the title of {} is printed", a.id);
            let first_para = a.text.split('\n').next().unwrap();
            let first_word = first_para.split(' ').next().unwrap();
            assert!(text.contains(first_word), "{p}: the text of {} is printed", a.id);
        }
    }
}
