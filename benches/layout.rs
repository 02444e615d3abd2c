//! Layout benchmarks: one screen at the start vs at the end of a 5 MB article (the cost must
//! not grow with the position), and wrapping throughput.
//!
//! Run: `cargo bench --bench layout`. The figures to compare are `screen/start` and
//! `screen/end` (target: end ≤ 1.5 × start).

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use gisa::layout::{runs, wrap_paragraph, DocLayout, Options, SpanIndex};
use gisa::model::{Annotation, Article, Kind};

const SENTENCES: &[&str] = &[
    "한빛전력은 지난해 매출이 3조 2천억 원으로 전년보다 12% 늘었다고 밝혔다. ",
    "김서연 대표는 “올해는 해상풍력 사업을 본격적으로 키우겠다”고 말했다. ",
    "업계 관계자들은 수요 회복 속도가 예상보다 더디다고 입을 모았다. ",
    "세종시의 낮 기온은 31℃까지 오르겠고, 주민 약 2,400명이 행사에 참여할 예정이다. ",
    "정부는 상황을 면밀히 지켜보며 필요하면 추가 대책을 내놓겠다는 방침이다. ",
];

/// A Korean article of about `bytes` bytes, paragraphs of five sentences, an entity on the
/// first word of every sentence.
fn article(bytes: usize) -> Article {
    let mut text = String::with_capacity(bytes + 1024);
    let mut anns = Vec::new();
    let mut i = 0;
    while text.len() < bytes {
        let s = SENTENCES[i % SENTENCES.len()];
        let start = text.len();
        let first = s.find(' ').unwrap_or(0);
        anns.push(Annotation::new(format!("e{i}"), Kind::Entity, "ORG", start, start + first));
        text.push_str(s);
        i += 1;
        if i % 5 == 0 {
            text.pop();
            text.push('\n');
        }
    }
    let mut a = Article::from_text("bench", text);
    a.annotations = anns;
    a
}

fn screen(c: &mut Criterion) {
    let a = article(5_000_000);
    let opts = Options::new(80);
    let prepared = DocLayout::new(&a, opts);
    let index = SpanIndex::new(&a.annotations);
    let mut g = c.benchmark_group("screen");
    // the last screen: 40 lines ending at the last line of the article
    let mut probe = prepared.clone();
    let last = probe.last(&a.text);
    let end_top = probe.advance(&a.text, last, -39);
    let end_byte = probe.byte_of(&a.text, end_top);
    for (name, byte) in [("start", 0), ("middle", a.text.len() / 2), ("end", end_byte)] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || prepared.clone(),
                |mut lay| {
                    let pos = lay.pos_of(&a.text, byte);
                    let lines = lay.lines_from(&a.text, pos, 40);
                    assert_eq!(lines.len(), 40);
                    let mut n = 0;
                    for (_, vl) in &lines {
                        n += runs(&a.text, vl.line.start..vl.line.end, &a.annotations, &index).len();
                    }
                    black_box(n)
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

fn wrap_throughput(c: &mut Criterion) {
    let a = article(1_000_000);
    let mut g = c.benchmark_group("wrap");
    g.throughput(Throughput::Bytes(a.text.len() as u64));
    g.bench_function("1MB-width80", |b| {
        b.iter(|| {
            let mut n = 0;
            for p in a.text.split('\n') {
                let base = p.as_ptr() as usize - a.text.as_ptr() as usize;
                n += wrap_paragraph(&a.text, base..base + p.len(), Options::new(80)).len();
            }
            black_box(n)
        })
    });
    g.finish();
}

criterion_group!(benches, screen, wrap_throughput);
criterion_main!(benches);
