//! Tone scoring throughput on one core over the reference sample's messages.
//! Target (issue 8): ≥ 100k messages/s. `cargo bench -p trellis-tone --bench tone`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use trellis_tone::Analyzer;

fn messages() -> Vec<String> {
    include_str!("../tests/fixtures/vader_reference.jsonl")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect()
}

fn bench(c: &mut Criterion) {
    let msgs = messages();
    let analyzer = Analyzer::shared();
    let mut group = c.benchmark_group("tone");
    group.throughput(Throughput::Elements(msgs.len() as u64));
    group.bench_function("polarity_scores/sample", |b| {
        b.iter(|| {
            let mut acc = 0.0;
            for m in &msgs {
                acc += analyzer.polarity_scores(black_box(m)).compound;
            }
            acc
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
