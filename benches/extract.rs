//! Throughput of `gisa extract` on Korean news text (target: at least 50 MB/s on one core).
//!
//! The bench uses mimalloc, the global allocator of the `gisa` binary (src/main.rs), so that it
//! measures what `gisa extract` and the `.txt` loader run on. The extractor's output (an
//! allocated id per annotation, vectors of tokens and candidates) makes the allocator part of the
//! cost.
//!
//! Input: the raw articles of the evaluation set (tests/eval/articles), extracted one by one
//! (`articles`), and all of them joined into one long article (`one_long_article`, which would
//! show costs that grow faster than the text).

use std::path::Path;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use gisa::extract::{extract_text, ExtractOptions};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval/articles");
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).expect("tests/eval/articles").filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    files.iter().map(|p| std::fs::read_to_string(p).expect("article")).collect()
}

fn bench(c: &mut Criterion) {
    let opts = ExtractOptions::with_published("2025-06-01").expect("date");
    let articles = corpus();
    let bytes: usize = articles.iter().map(String::len).sum();
    let mut g = c.benchmark_group("extract");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("articles", |b| {
        b.iter(|| {
            for (i, a) in articles.iter().enumerate() {
                black_box(extract_text(&i.to_string(), black_box(a), &opts));
            }
        })
    });
    // one long article: the bodies of all articles, five times over
    let long: String = std::iter::repeat_n(articles.join("\n"), 5).collect::<Vec<_>>().join("\n");
    g.throughput(Throughput::Bytes(long.len() as u64));
    g.bench_function("one_long_article", |b| b.iter(|| black_box(extract_text("long", black_box(&long), &opts))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
