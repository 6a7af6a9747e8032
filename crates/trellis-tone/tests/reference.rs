//! The bar: against the reference (vaderSentiment 3.3.2) on the committed sample of
//! chat-like messages, the same label on ≥ 99.5 % and the compound within 0.001 on ≥ 99 %.
//! The fixture and how it was made: `tests/fixtures/vader_reference.jsonl` (its `#` lines).

use trellis_tone::{Tone, polarity_scores};

struct Row {
    text: String,
    compound: f64,
    neg: f64,
    neu: f64,
    pos: f64,
}

fn rows() -> Vec<Row> {
    let raw = include_str!("fixtures/vader_reference.jsonl");
    let mut rows = Vec::new();
    for (n, line) in raw.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("fixture line {}: {e}", n + 1));
        let num = |k: &str| {
            v[k].as_f64()
                .unwrap_or_else(|| panic!("fixture line {}: no number {k}", n + 1))
        };
        rows.push(Row {
            text: v["text"].as_str().unwrap_or_default().to_string(),
            compound: num("compound"),
            neg: num("neg"),
            neu: num("neu"),
            pos: num("pos"),
        });
    }
    rows
}

#[test]
fn matches_the_python_reference_on_the_sample() {
    let rows = rows();
    assert!(rows.len() >= 1000, "the sample has {} messages", rows.len());
    let mut same_label = 0usize;
    let mut close = 0usize;
    let mut exact = 0usize;
    let mut misses = Vec::new();
    for r in &rows {
        let s = polarity_scores(&r.text);
        if s.tone() == Tone::of(r.compound) {
            same_label += 1;
        }
        if (s.compound - r.compound).abs() <= 0.001 {
            close += 1;
        } else {
            misses.push(format!(
                "{:?}: ours {} reference {}",
                r.text, s.compound, r.compound
            ));
        }
        if s.compound == r.compound && s.neg == r.neg && s.neu == r.neu && s.pos == r.pos {
            exact += 1;
        }
    }
    let n = rows.len() as f64;
    let label_share = same_label as f64 / n;
    let close_share = close as f64 / n;
    eprintln!(
        "{} messages: same label {:.2} %, compound within 0.001 {:.2} %, all four scores identical {:.2} %",
        rows.len(),
        label_share * 100.0,
        close_share * 100.0,
        exact as f64 / n * 100.0
    );
    for m in misses.iter().take(20) {
        eprintln!("  differs: {m}");
    }
    assert!(
        label_share >= 0.995,
        "same label on {:.2} %",
        label_share * 100.0
    );
    assert!(
        close_share >= 0.99,
        "compound within 0.001 on {:.2} %",
        close_share * 100.0
    );
}
