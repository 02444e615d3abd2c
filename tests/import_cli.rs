//! The import features through the `gisa` binary: `convert`, and `check`/`print` on other
//! tools' files with `--from` and `--labels`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import").join(p)
}

fn gisa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gisa")).args(args).output().expect("run gisa")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn convert_writes_stdout_or_a_file_and_never_the_input() {
    let klue = fixture("klue/news.tsv");
    let out = gisa(&["convert", klue.to_str().unwrap(), "--to", "labelstudio"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let tasks: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(tasks.as_array().unwrap().len(), 3);

    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("news.jsonl");
    let out = gisa(&["convert", klue.to_str().unwrap(), "--to", "doccano", "-o", o.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("converted 3 article(s) to doccano"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read_to_string(&o).unwrap().lines().count(), 3);

    // the written file reads back (detected as doccano)
    let out = gisa(&["check", o.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));

    let out = gisa(&["convert", klue.to_str().unwrap(), "--to", "brat"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr), "gisa: brat writes a .txt and a .ann per article: give an output folder with -o\n");

    let before = std::fs::read(&o).unwrap();
    let out = gisa(&["convert", o.to_str().unwrap(), "--to", "doccano", "-o", o.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("refusing to write over the input file"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(&o).unwrap(), before);

    let out = gisa(&["convert", klue.to_str().unwrap(), "--to", "spacy"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot write spacy"), "{}", text(&out.stderr));
}

#[test]
fn check_lists_repaired_and_orphaned_spans() {
    let ls = fixture("labelstudio/news.json");
    let out = gisa(&["check", ls.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<String> = text(&out.stdout).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 6, "{lines:#?}");
    assert!(lines.iter().any(|l| l.ends_with(
        "news.json: article 102: annotation x1: task 2 (line 186), annotations[0], result[5]: \"기준금리\" is not at 5..9 (which holds \" \\\"올해\") nor anywhere else in the text; kept at 5..9, orphaned"
    )), "{lines:#?}");
    assert_eq!(text(&out.stderr), "gisa: 5 span(s) repaired, 1 orphaned (listed above)\n");
    let out = gisa(&["check", fixture("malformed/lonely.ann").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).contains("no lonely.txt beside it"), "{}", text(&out.stdout));
}

#[test]
fn from_overrides_detection_and_labels_change_kinds() {
    // doccano read as Label Studio: no task has data.text
    let d = fixture("doccano/news.jsonl");
    let out = gisa(&["check", "--from", "labelstudio", d.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stdout).contains("no usable Label Studio task: line 1: the task has no text"),
        "{}",
        text(&out.stdout)
    );
    let out = gisa(&["check", "--from", "nonsense", d.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown format \"nonsense\""), "{}", text(&out.stderr));

    let ann = fixture("brat/news1.ann");
    let native = |extra: &[&str]| {
        let mut args = vec!["convert", ann.to_str().unwrap(), "--to", "native"];
        args.extend_from_slice(extra);
        let out = gisa(&args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let t10 = v["annotations"].as_array().unwrap().iter().find(|a| a["id"] == "T10").unwrap().clone();
        t10["kind"].as_str().unwrap().to_string()
    };
    assert_eq!(native(&[]), "entity");
    assert_eq!(native(&["--labels", fixture("labels.toml").to_str().unwrap()]), "figure");

    let bad = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(bad.path(), "[labels]\nInvest = \"money\"\n").unwrap();
    let out = gisa(&["check", "--labels", bad.path().to_str().unwrap(), ann.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("line 2: [labels] Invest: unknown kind \"money\""), "{}", text(&out.stderr));
}

#[test]
fn print_reads_brat_and_klue() {
    let out = gisa(&["print", "--color", "never", "-w", "70", fixture("brat/news2.txt").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("정부는 내년 예산을 656조 원으로"), "{}", text(&out.stdout));
    let out = gisa(&["print", "--color", "never", fixture("klue/news.tsv").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("통계청은 지난달 고용률이 62.7%로"), "{}", text(&out.stdout));
}

#[test]
fn check_and_print_take_a_folder_of_brat_pairs_as_a_corpus() {
    let dir = tempfile::tempdir().unwrap();
    // a corpus folder: the brat fixtures plus a plain article, which is extracted on the fly
    for f in std::fs::read_dir(fixture("brat")).unwrap() {
        let p = f.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(dir.path().join("plain.txt"), "세움건설은 올해 매출이 3조 원을 넘었다고 밝혔다.\n").unwrap();
    let d = dir.path().to_str().unwrap();
    let out = gisa(&["check", d]);
    assert!(out.status.code() != Some(2), "a folder is readable: {}", text(&out.stdout));
    let out = gisa(&["print", "--color", "never", "--width", "60", d]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let o = text(&out.stdout);
    assert!(o.contains("한빛전자"), "the brat articles are printed: {o}");
    assert!(o.contains("세움건설은"), "the plain article is printed: {o}");
    let empty = tempfile::tempdir().unwrap();
    let out = gisa(&["check", empty.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).contains("in this folder"));
}
