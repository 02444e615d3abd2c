//! `gisa extract` and `.txt` files through the real binary.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use gisa::ingest::load_native_json;
use gisa::model::Kind;

fn gisa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gisa")).args(args).output().expect("run gisa")
}

fn article_path() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval/articles/01-economy-chip.txt").to_string_lossy().into_owned()
}

#[test]
fn extract_writes_a_native_article_that_loads_cleanly() {
    let out = gisa(&["extract", &article_path()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json = String::from_utf8(out.stdout).unwrap();
    let loaded = load_native_json("out.json", &json).expect("the output is gisa-article/1");
    let a = &loaded.articles[0];
    assert!(a.problems.is_empty(), "{:?}", a.problems);
    assert_eq!(a.id, "01-economy-chip");
    assert_eq!(a.published, "2025-03-14", "from the date line");
    assert!(a.title.starts_with("한빛전자, 올해 설비투자"));
    for kind in Kind::ALL {
        assert!(a.annotations.iter().any(|x| x.kind == kind), "{kind:?} found");
    }
    assert!(a.annotations.iter().all(|x| x.layer == "gisa-extract" && x.text.is_some()));
    let q = a.annotations.iter().find(|x| x.kind == Kind::Quote).unwrap();
    assert_eq!(a.speaker_name(q).as_deref(), Some("김민수"));
}

#[test]
fn standard_input_published_date_and_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("out.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gisa"))
        .args(["extract", "-", "--published", "2025-03-14", "-o"])
        .arg(&out_path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all("정부는 지난주 “내년 예산을 늘리겠다”고 밝혔다.".as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "written to the file, not to standard output");
    let a = load_native_json("out.json", &std::fs::read_to_string(&out_path).unwrap()).unwrap().articles.remove(0);
    assert_eq!(a.id, "stdin");
    let week = a.annotations.iter().find(|x| a.span_text(x) == "지난주").expect("지난주");
    assert_eq!(week.value, Some(20250303.0));
    let q = a.annotations.iter().find(|x| x.kind == Kind::Quote).unwrap();
    assert_eq!(q.speaker_text.as_deref(), Some("정부"));
}

#[test]
fn errors_are_one_line_and_the_input_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.txt");
    std::fs::write(&input, "본문이다.").unwrap();
    let input_s = input.to_string_lossy().into_owned();
    let out = gisa(&["extract", &input_s, "-o", &input_s]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "본문이다.");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("overwrite"), "{err}");

    let out = gisa(&["extract", &input_s, "--published", "2025-14-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));

    let utf16 = dir.path().join("u.txt");
    std::fs::write(&utf16, b"\xFF\xFE\x00\xAC").unwrap();
    let out = gisa(&["extract", &utf16.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("u.txt") && err.contains("UTF-16"), "{err}");

    let missing = dir.path().join("missing.txt");
    let out = gisa(&["extract", &missing.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.txt"));

    let gaz = dir.path().join("g.txt");
    std::fs::write(&gaz, "ORG 한빛\nWHAT 이것\n").unwrap();
    let out = gisa(&["extract", &input_s, "--gazetteer", &gaz.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("g.txt: line 2"), "{err}");
}

#[test]
fn a_user_gazetteer_adds_names() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.txt");
    std::fs::write(&input, "일본의 도와전지는 폴란드에 공장을 짓는다.").unwrap();
    let gaz = dir.path().join("g.txt");
    std::fs::write(&gaz, "# my firms\nORG 도와전지\n").unwrap();
    let names = |args: &[&str]| {
        let out = gisa(args);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let a = load_native_json("o", &String::from_utf8(out.stdout).unwrap()).unwrap().articles.remove(0);
        a.annotations.iter().filter(|x| x.kind == Kind::Entity).map(|x| a.span_text(x).to_string()).collect::<Vec<_>>()
    };
    let i = input.to_string_lossy().into_owned();
    assert!(!names(&["extract", &i]).contains(&"도와전지".to_string()));
    assert!(names(&["extract", &i, "--gazetteer", &gaz.to_string_lossy()]).contains(&"도와전지".to_string()));
}

#[test]
fn txt_files_open_in_print_and_check() {
    let p = article_path();
    let out = gisa(&["print", "--color", "never", "--width", "70", &p]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("한빛전자"), "{text}");
    let out = gisa(&["check", &p]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}
