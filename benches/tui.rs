//! Reader benchmarks on a generated 50 MB article, drawn on ratatui's `TestBackend` (100x30).
//!
//! - `startup/parse_file_50mb`: reading and parsing the file (`load_native_file`).
//! - `startup/file_to_first_frame_50mb`: start to first frame as `gisa FILE` does it: read and
//!   parse, build the reader's state (`App::new`), draw once.
//! - `key/*`: one keypress plus the redraw, at the start and at the end of the article: next
//!   annotation (`n`), page down (`Space`), jump to the end (`G`) and to the start (`g`). Target:
//!   under 16 ms, and the end within 1.5x of the start.
//!
//! The reader lives in the binary (`src/tui/`), so it is compiled in here by path.

#[allow(dead_code, unused_imports)]
#[path = "../src/tui/mod.rs"]
mod tui;

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use gisa::ingest::{load_native_file, load_native_json, Loaded};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use serde_json::{json, Value};

use tui::app::{App, Options};
use tui::keymap::Key;

const TARGET_BYTES: usize = 50 * 1024 * 1024;

/// Builds an article of about `target` bytes of text: blocks of four paragraphs with
/// entities, figures, quotes (one with a figure inside) and, every fifth block, a caption.
/// Returns the native JSON text.
fn generate(target: usize) -> String {
    let mut text = String::with_capacity(target + 4096);
    let mut cps = 0usize; // code points so far
    let mut anns: Vec<Value> = Vec::new();
    let mut n = 0usize;
    // push a piece of text; with a kind, annotate it
    let push = |text: &mut String, cps: &mut usize, s: &str, ann: Option<Value>, anns: &mut Vec<Value>| {
        let len = s.chars().count();
        if let Some(mut a) = ann {
            a["start"] = json!(*cps);
            a["end"] = json!(*cps + len);
            anns.push(a);
        }
        text.push_str(s);
        *cps += len;
    };
    let filler = "시는 이번 대책이 출퇴근 시간대 혼잡을 줄이고 도심 외곽 주민의 이동 시간을 단축할 것으로 \
        기대하고 있다. 다만 선착장까지 가는 연계 교통이 부족하다는 지적이 이어지고 있어, 버스 노선 조정과 \
        자전거 보관소 확충을 함께 추진하기로 했다. 전문가들은 수요 예측이 지나치게 낙관적이라는 점을 들어 \
        단계적 확대가 바람직하다고 조언했다. 시의회에서는 운영 적자가 날 경우 재정 부담을 누가 질지에 대한 \
        논의가 아직 충분하지 않다는 의견도 나왔다. 시는 연말까지 세부 운영 계획을 공개하고 시민 의견을 \
        듣는 자리를 마련할 예정이다. 관계 부처와의 협의도 병행해 안전 기준을 마련하겠다는 방침이다.";
    while text.len() < target {
        n += 1;
        let id = |p: &str| format!("{p}{n}");
        if n > 1 {
            push(&mut text, &mut cps, "\n", None, &mut anns);
        }
        push(
            &mut text,
            &mut cps,
            "서울시",
            Some(json!({"id": id("e"), "kind": "entity", "label": "ORG", "canonical": "서울시"})),
            &mut anns,
        );
        push(&mut text, &mut cps, &format!("는 {n}차 교통 대책을 발표하며 예산 "), None, &mut anns);
        push(
            &mut text,
            &mut cps,
            "약 570억 원",
            Some(
                json!({"id": id("f"), "kind": "figure", "label": "MONEY", "value": 57_000_000_000u64, "unit": "KRW", "approx": true}),
            ),
            &mut anns,
        );
        push(&mut text, &mut cps, "을 투입한다고 밝혔다. ", None, &mut anns);
        push(
            &mut text,
            &mut cps,
            "김하늘",
            Some(json!({"id": id("p"), "kind": "entity", "label": "PERSON", "canonical": "김하늘"})),
            &mut anns,
        );
        push(&mut text, &mut cps, " 교통정책관은 ", None, &mut anns);
        push(
            &mut text,
            &mut cps,
            "“출퇴근 시간대 배차 간격을 15분으로 줄이겠다”",
            Some(json!({"id": id("q"), "kind": "quote", "label": "QUOTE", "speaker": id("p")})),
            &mut anns,
        );
        push(&mut text, &mut cps, "고 말했다.\n시민단체 ", None, &mut anns);
        push(
            &mut text,
            &mut cps,
            "한강지킴이",
            Some(json!({"id": id("o"), "kind": "entity", "label": "ORG"})),
            &mut anns,
        );
        push(&mut text, &mut cps, "의 ", None, &mut anns);
        push(
            &mut text,
            &mut cps,
            "박도윤",
            Some(json!({"id": id("d"), "kind": "entity", "label": "PERSON", "canonical": "박도윤"})),
            &mut anns,
        );
        push(&mut text, &mut cps, " 사무국장은 ", None, &mut anns);
        // a quote with a figure inside: annotate the quote, then the figure by offset
        let q = "“요금이 3000원 이상이면 이용객이 크게 줄 것”";
        let q_start = cps;
        push(
            &mut text,
            &mut cps,
            q,
            Some(json!({"id": id("r"), "kind": "quote", "label": "QUOTE", "speaker": id("d")})),
            &mut anns,
        );
        let inner = q.find("3000원").map_or(0, |b| q[..b].chars().count());
        anns.push(json!({"id": id("g"), "kind": "figure", "label": "MONEY", "start": q_start + inner, "end": q_start + inner + 8, "value": 3000, "unit": "KRW", "bound": "min"}));
        push(&mut text, &mut cps, "이라고 지적했다.\n", None, &mut anns);
        push(&mut text, &mut cps, filler, None, &mut anns);
        if n.is_multiple_of(5) {
            push(&mut text, &mut cps, "\n", None, &mut anns);
            push(
                &mut text,
                &mut cps,
                "(사진=가상일보 자료) 여의도 선착장에 정박한 시범 운항 선박.",
                Some(json!({"id": id("c"), "kind": "caption", "label": "CAPTION"})),
                &mut anns,
            );
        }
    }
    let article = json!({
        "format": "gisa-article/1",
        "id": "bench-50mb",
        "title": "서울시 교통 대책 모음 (벤치마크용 생성 기사)",
        "source": "가상일보",
        "published": "2025-11-04",
        "text": text,
        "annotations": anns,
    });
    serde_json::to_string(&article).expect("serialise")
}

fn parse(json: &str) -> Loaded {
    load_native_json("bench.json", json).expect("generated article parses")
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(100, 30)).expect("test terminal")
}

fn draw(t: &mut Terminal<TestBackend>, app: &mut App) {
    t.draw(|f| tui::ui::draw(app, f)).expect("draw");
}

fn key(app: &mut App, k: char) {
    app.key(Key::Char(k));
}

/// Times `press` + one redraw; `reset` (untimed) puts the reader back where it starts.
fn time_key(
    c: &mut Criterion,
    name: &str,
    app: &mut App,
    t: &mut Terminal<TestBackend>,
    reset: &dyn Fn(&mut App),
    press: char,
) {
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                reset(app);
                draw(t, app);
                let start = Instant::now();
                key(app, press);
                draw(t, app);
                total += start.elapsed();
            }
            total
        })
    });
}

fn benches(c: &mut Criterion) {
    let json = generate(TARGET_BYTES);
    let loaded = parse(&json);
    let article = &loaded.articles[0];
    eprintln!(
        "generated article: {} bytes of text, {} annotations, {} bytes of JSON",
        article.text.len(),
        article.annotations.len(),
        json.len()
    );

    // start to first frame, as `gisa FILE` does it: read and parse the file, build the reader's
    // state, draw once; next to parsing alone
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.json");
    std::fs::write(&path, &json).expect("write the article");
    let mut g = c.benchmark_group("startup");
    g.sample_size(10);
    g.bench_function("parse_file_50mb", |b| b.iter_with_large_drop(|| load_native_file(&path).expect("parses")));
    g.bench_function("file_to_first_frame_50mb", |b| {
        b.iter_with_large_drop(|| {
            let l = load_native_file(&path).expect("parses");
            let mut app = App::new(vec![("bench.json".into(), l)], &Options::default());
            let mut t = terminal();
            draw(&mut t, &mut app);
            app
        })
    });
    g.finish();
    drop(json);

    let mut app = App::new(vec![("bench.json".into(), loaded.clone())], &Options::default());
    let mut t = terminal();
    draw(&mut t, &mut app);
    let nav = app.doc().nav.clone();
    let len = app.doc().article.text.len();
    let first = nav[0];
    let near_end = nav[nav.len() - 3];
    let end_byte = app.doc().article.annotations[near_end as usize].start;

    time_key(c, "key/next_annotation/start", &mut app, &mut t, &|a: &mut App| a.make_current(first), 'n');
    time_key(c, "key/next_annotation/end", &mut app, &mut t, &|a: &mut App| a.make_current(near_end), 'n');
    time_key(c, "key/page_down/start", &mut app, &mut t, &|a: &mut App| a.scroll_to_byte(0), ' ');
    let before_end = len.saturating_sub(20_000);
    time_key(c, "key/page_down/end", &mut app, &mut t, &move |a: &mut App| a.scroll_to_byte(before_end), ' ');
    time_key(c, "key/jump_to_end/from_start", &mut app, &mut t, &|a: &mut App| a.scroll_to_byte(0), 'G');
    time_key(c, "key/jump_to_start/from_end", &mut app, &mut t, &move |a: &mut App| a.scroll_to_byte(end_byte), 'g');
}

criterion_group!(tui_benches, benches);
criterion_main!(tui_benches);
