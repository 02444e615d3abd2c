//! Import speed: a generated ~50 MB doccano JSONL corpus and a ~50 MB brat corpus (target:
//! 100 MB/s or better). The data is generated here, not committed.
//!
//! Run briefly: `cargo bench --bench import -- --warm-up-time 1 --measurement-time 3`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gisa::import::{load_dir, load_str, Format};
use gisa::labels::LabelMap;

const TARGET: usize = 50 * 1024 * 1024;

const SENTENCES: [&str; 8] = [
    "한빛전자 박서연 대표는 14일 기자간담회에서 \"청주 공장에 2조 원을 투자해 일자리 1200개를 만들겠다\"고 말했다.",
    "😀 회사 측은 공장이 2027년 완공된다고 설명했다.",
    "충청북도와 청주시 관계자는 \"세제 지원을 검토하겠다\"고 밝혔다.",
    "🇰🇷 가온은행의 2분기 순이익은 3200억 원으로 전년 대비 12% 늘었다.",
    "기상청은 주말 동안 남부 지방에 최대 80mm의 비가 내릴 것으로 예보했다.",
    "통계청은 지난달 고용률이 62.7%로 집계됐다고 밝혔다.",
    "서울시는 내년부터 지하철 요금을 150원 올린다.",
    "오세린 대변인은 \"시민 부담을 줄이겠다\"고 말했다.",
];

/// Labels and the pieces they mark, found in the sentences above.
const MARKS: [(&str, &str); 10] = [
    ("박서연", "PERSON"),
    ("14일", "DATE"),
    ("2조 원", "MONEY"),
    ("2027년", "DATE"),
    ("청주시", "GPE"),
    ("3200억 원", "MONEY"),
    ("12%", "PERCENT"),
    ("80mm", "QUANTITY"),
    ("62.7%", "PERCENT"),
    ("오세린", "PERSON"),
];

/// A span: code-point start and end, UTF-16 start and end, label.
type Mark = (usize, usize, usize, usize, &'static str);

/// One article of about 2 KB: sentences in rotation, with the spans of MARKS (UTF-16 offsets).
fn article(i: usize) -> (String, Vec<Mark>) {
    let mut text = String::new();
    for k in 0..10 {
        if k > 0 {
            text.push(if k % 4 == 0 { '\n' } else { ' ' });
        }
        text.push_str(SENTENCES[(i + k) % SENTENCES.len()]);
    }
    let mut spans = Vec::new();
    for (piece, label) in MARKS {
        for (b, _) in text.match_indices(piece) {
            let cp = text[..b].chars().count();
            let u16: usize = text[..b].chars().map(char::len_utf16).sum();
            let n = piece.chars().count();
            let n16: usize = piece.chars().map(char::len_utf16).sum();
            spans.push((cp, cp + n, u16, u16 + n16, label));
        }
    }
    (text, spans)
}

fn doccano_corpus() -> String {
    let mut out = String::with_capacity(TARGET + 4096);
    let mut i = 0;
    while out.len() < TARGET {
        let (text, spans) = article(i);
        let label: Vec<serde_json::Value> = spans.iter().map(|&(_, _, s, e, l)| serde_json::json!([s, e, l])).collect();
        let line = serde_json::json!({"id": i, "text": text, "label": label, "Comments": []});
        out.push_str(&line.to_string());
        out.push('\n');
        i += 1;
    }
    out
}

fn brat_corpus(dir: &std::path::Path) -> usize {
    let mut total = 0;
    let mut i = 0;
    while total < TARGET {
        // five articles per document: about 10 KB of text
        let mut text = String::new();
        let mut ann = String::new();
        let mut t = 0;
        for k in 0..5 {
            let (a, spans) = article(i * 5 + k);
            if k > 0 {
                text.push('\n');
            }
            let base = text.chars().count();
            text.push_str(&a);
            for (s, e, _, _, l) in spans {
                t += 1;
                let piece: String = a.chars().skip(s).take(e - s).collect();
                ann.push_str(&format!("T{t}\t{l} {} {}\t{piece}\n", base + s, base + e));
            }
        }
        std::fs::write(dir.join(format!("doc{i:05}.txt")), &text).unwrap();
        std::fs::write(dir.join(format!("doc{i:05}.ann")), &ann).unwrap();
        total += text.len() + ann.len();
        i += 1;
    }
    total
}

fn bench(c: &mut Criterion) {
    let labels = LabelMap::new();
    let corpus = doccano_corpus();
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(corpus.len() as u64));
    g.bench_function("doccano_50mb", |b| {
        b.iter_with_large_drop(|| {
            let l = load_str("bench.jsonl", &corpus, Format::Doccano, &labels).unwrap();
            assert!(l.articles.len() > 20_000);
            l
        })
    });
    drop(corpus);
    let dir = tempfile::tempdir().unwrap();
    let bytes = brat_corpus(dir.path());
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("brat_50mb", |b| {
        b.iter_with_large_drop(|| {
            let r = load_dir(dir.path(), None, &labels);
            assert!(r.iter().all(Result::is_ok));
            r
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
