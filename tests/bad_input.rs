//! Bad input, through the real binary: every case gets a one-line error naming the file and the
//! place (exit 2), or a readable article whose problems `check` lists (exit 1) while `print`
//! still renders it. Nothing panics.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gisa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gisa")).args(args).output().expect("run gisa")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Removes SGR sequences (`ESC [ ... m`).
fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\u{1b}' {
            for d in it.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

/// Asserts `check` and `print` both fail with exit 2 and one line that names the file and
/// contains `what` (and `place`, when given).
fn assert_unreadable(name: &str, bytes: &[u8], what: &str, place: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), name, bytes);
    let ps = p.to_str().unwrap();
    let out = gisa(&["check", ps]);
    assert_eq!(out.status.code(), Some(2), "{name}: {}", text(&out.stdout));
    let msg = text(&out.stdout);
    assert_eq!(msg.lines().count(), 1, "{name}: one line, got {msg:?}");
    assert!(msg.starts_with(ps), "{name}: names the file: {msg}");
    assert!(msg.contains(what), "{name}: expected {what:?} in {msg}");
    if let Some(place) = place {
        assert!(msg.contains(place), "{name}: expected {place:?} in {msg}");
    }
    let out = gisa(&["print", "--color", "never", ps]);
    assert_eq!(out.status.code(), Some(2), "{name}");
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{name}: {err:?}");
    assert!(!err.contains("panicked"), "{name}: {err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn empty_file() {
    assert_unreadable("empty.json", b"", "empty file", None);
    assert_unreadable("blank.json", b"  \n\n", "empty file", None);
}

#[test]
fn truncated_json() {
    assert_unreadable(
        "trunc.json",
        "{\"text\": \"기사 본문\", \"annotations\": [{\"id\": \"a\"".as_bytes(),
        "truncated",
        Some("line 1, column"),
    );
}

#[test]
fn not_json() {
    assert_unreadable("notjson.json", "이것은 JSON이 아니다\n".as_bytes(), "not valid JSON", Some("line 1, column 1"));
}

#[test]
fn binary() {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D];
    b.extend((0..200u8).map(|i| i.wrapping_mul(37)));
    assert_unreadable("image.json", &b, "binary", None);
}

#[test]
fn utf16() {
    let s = "{\"text\": \"한국\"}";
    let mut le = vec![0xFF, 0xFE];
    le.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
    assert_unreadable("utf16le.json", &le, "UTF-16", None);
    let be: Vec<u8> = s.encode_utf16().flat_map(u16::to_be_bytes).collect();
    assert_unreadable("utf16be-nobom.json", &be, "UTF-16", None);
}

#[test]
fn latin1() {
    assert_unreadable("latin1.json", b"{\"text\": \"caf\xE9 cr\xE8me\"}", "Latin-1", Some("line 1, column 14"));
}

#[test]
fn missing_or_non_string_text() {
    assert_unreadable("notext.json", b"{\"title\": \"x\"}", "no \"text\"", None);
    assert_unreadable("numtext.json", b"{\"text\": 42}", "\"text\" must be a string", None);
    assert_unreadable("arrtext.json", b"[{\"text\": null}]", "must be a string", None);
}

#[test]
fn nested_100000_deep() {
    let mut b = Vec::new();
    b.extend(std::iter::repeat_n(b'[', 100_000));
    b.extend(std::iter::repeat_n(b']', 100_000));
    assert_unreadable("deep.json", &b, "nested too deeply", Some("line 1, column"));
}

#[test]
fn unreadable_path() {
    let out = gisa(&["check", "/nonexistent/gisa-test.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).contains("/nonexistent/gisa-test.json: cannot read"));
}

const PROBLEMS: &str = r#"{"id": "p1", "title": "문제 기사", "text": "서울시는 올해 예산을 3조 원으로 늘렸다고 밝혔다.",
 "annotations": [
  {"id": "oor", "kind": "entity", "label": "ORG", "start": 0, "end": 999},
  {"id": "neg", "kind": "entity", "label": "ORG", "start": -3, "end": 3},
  {"id": "frac", "kind": "entity", "label": "ORG", "start": 0.5, "end": 3},
  {"id": "str", "kind": "entity", "label": "ORG", "start": "0", "end": "3"},
  {"id": "rev", "kind": "entity", "label": "ORG", "start": 3, "end": 0},
  {"id": "mis", "kind": "entity", "label": "ORG", "start": 0, "end": 3, "text": "부산시"},
  {"id": "dup", "kind": "figure", "label": "MONEY", "start": 12, "end": 16, "text": "3조 원"},
  {"id": "dup", "kind": "figure", "label": "MONEY", "start": 12, "end": 16},
  {"id": "q", "kind": "quote", "label": "QUOTE", "start": 5, "end": 10, "speaker": "ghost"},
  {"id": "unk", "kind": "sentiment", "label": "POS", "start": 5, "end": 7}
 ]}"#;

#[test]
fn readable_with_problems() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "problems.json", PROBLEMS.as_bytes());
    let ps = p.to_str().unwrap();
    let out = gisa(&["check", ps]);
    assert_eq!(out.status.code(), Some(1));
    let msg = text(&out.stdout);
    let expect = [
        ("oor", "beyond the end of the text"),
        ("neg", "negative"),
        ("frac", "not an integer"),
        ("str", "a string"),
        ("rev", "reversed"),
        ("mis", "does not match"),
        ("dup", "duplicate id"),
        ("q", "speaker \"ghost\""),
        ("unk", "unknown kind \"sentiment\""),
    ];
    for (id, what) in expect {
        let line = msg
            .lines()
            .find(|l| l.contains(&format!("annotation {id}: ")) && l.contains(what))
            .unwrap_or_else(|| panic!("no problem {what:?} for {id} in\n{msg}"));
        assert!(line.starts_with(&format!("{ps}: article p1: ")), "{line}");
    }
    // print still renders, with the bad spans flagged (underlined) and problems on stderr
    let out = gisa(&["print", "--color", "always", "--width", "40", ps]);
    assert_eq!(out.status.code(), Some(0));
    let o = text(&out.stdout);
    assert!(strip_ansi(&o).contains("서울시는 올해 예산을 3조 원으로"), "{o}");
    assert!(o.contains(";4m"), "flagged spans are underlined: {o}");
    assert!(text(&out.stderr).contains("duplicate id"));
}

#[test]
fn jsonl_with_one_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let body = "{\"id\": \"a\", \"text\": \"첫 기사\"}\n{\"id\": \"b\", \"text\": \n{\"id\": \"c\", \"text\": \"셋째 기사\"}\n";
    let p = write(dir.path(), "corpus.jsonl", body.as_bytes());
    let ps = p.to_str().unwrap();
    let out = gisa(&["check", ps]);
    assert_eq!(out.status.code(), Some(1));
    let msg = text(&out.stdout);
    assert_eq!(msg.lines().count(), 1, "{msg}");
    assert!(msg.contains("line 2:"), "{msg}");
    let out = gisa(&["print", "--color", "never", ps]);
    let o = text(&out.stdout);
    assert!(o.contains("첫 기사") && o.contains("셋째 기사"), "{o}");
}

#[test]
fn escape_sequences_never_reach_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let body = r#"{"title": "\u001b]0;pwned\u0007제목", "text": "\u001b[31m빨강\u001b[0m \u009b2J글자 a\u202ebc"}"#;
    let p = write(dir.path(), "esc.json", body.as_bytes());
    let out = gisa(&["print", "--color", "never", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let o = text(&out.stdout);
    assert!(!o.bytes().any(|b| b == 0x1b), "{o:?}");
    assert!(o.contains("제목") && o.contains("빨강 글자 abc"), "{o:?}");
    assert!(!o.contains("pwned") && !o.contains("[31m") && !o.contains('\u{9b}') && !o.contains('\u{202e}'));
}

#[test]
fn two_hundred_thousand_annotations_check_clean() {
    let dir = tempfile::tempdir().unwrap();
    let word = "가나다 ";
    let n = 200_000;
    let body_text: String = word.repeat(n);
    let mut body = String::with_capacity(n * 80);
    body.push_str("{\"id\": \"big\", \"text\": \"");
    body.push_str(&body_text);
    body.push_str("\", \"annotations\": [");
    for i in 0..n {
        if i > 0 {
            body.push(',');
        }
        let s = i * 4;
        body.push_str(&format!(
            "{{\"id\": \"e{i}\", \"kind\": \"entity\", \"label\": \"ORG\", \"start\": {s}, \"end\": {}, \"text\": \"가나다\"}}",
            s + 3
        ));
    }
    body.push_str("]}");
    let p = write(dir.path(), "big.json", body.as_bytes());
    let ps = p.to_str().unwrap();
    let out = gisa(&["check", ps]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let out = gisa(&["print", "--color", "always", "--width", "80", ps]);
    assert_eq!(out.status.code(), Some(0));
    let o = text(&out.stdout);
    assert_eq!(o.matches("\u{1b}[1;36m가나다").count(), n);
}

#[test]
fn wrongly_typed_fields_and_repeated_articles_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let body = r#"[{"id": "x", "format": 5, "text": "가나다 라마",
        "annotations": [
          {"id": true, "kind": "figure", "start": 0, "end": 1, "value": "1200", "approx": "yes", "bound": "about"},
          {"id": "f", "kind": "figure", "start": 0, "end": 1, "status": "maybe", "label": 7},
          {"id": "q", "kind": "quote", "start": 0, "end": 3, "speaker": "f"},
          "not an annotation"]},
        {"id": "x", "text": "둘째"}]"#;
    let p = write(dir.path(), "typed.json", body.as_bytes());
    let out = gisa(&["check", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let msg = text(&out.stdout);
    for what in [
        "format is 5",
        "id should be a string, found true",
        "value should be a number, found \"1200\"",
        "approx should be true or false",
        "bound should be \"min\" or \"max\"",
        "status should be one of",
        "label should be a string, found 7",
        "speaker \"f\" is no entity annotation",
        "annotation 4 is not an object",
        "repeats the id \"x\"",
    ] {
        assert!(msg.contains(what), "expected {what:?} in\n{msg}");
    }
}
