//! `check` on the three Paris articles, whole pipeline and by stage.
//! Run with `cargo bench --bench check`.

use divan::{Bencher, black_box};
use factdiff::ingest::{Document, Format};
use factdiff::rules::data::RuleData;
use factdiff::{CheckOptions, analyze, check, check_analyzed};

fn main() {
    divan::main();
}

const PARIS: [(&str, &str); 3] = [
    ("000-report-repeated", include_str!("../fixtures/paris/000-report-repeated.txt")),
    ("001-report-captions", include_str!("../fixtures/paris/001-report-captions.txt")),
    ("002-preview", include_str!("../fixtures/paris/002-preview.txt")),
];

fn docs() -> Vec<Document> {
    PARIS.iter().map(|(id, text)| Document::plain(*id, format!("{id}.txt"), Format::Text, text.to_string())).collect()
}

/// Everything from text to findings, as `factdiff check` runs it (rule data included).
#[divan::bench]
fn check_paris(b: Bencher) {
    b.with_inputs(docs).bench_values(|docs| {
        let data = RuleData::builtin();
        black_box(check(docs, &data, &CheckOptions::default()).findings.len())
    });
}

/// Cleaning, segmentation and extraction of the three articles.
#[divan::bench]
fn analyze_paris(b: Bencher) {
    let data = RuleData::builtin();
    b.with_inputs(docs)
        .bench_values(|docs| docs.into_iter().map(|d| analyze(d, &data).seg.sentences.len()).sum::<usize>());
}

/// Alignment and rules, on analysed articles.
#[divan::bench]
fn align_and_rules_paris(b: Bencher) {
    let data = RuleData::builtin();
    let analysed: Vec<_> = docs().into_iter().map(|d| analyze(d, &data)).collect();
    b.with_inputs(|| analysed.clone())
        .bench_values(|a| check_analyzed(a, &data, &CheckOptions::default()).findings.len());
}

/// Loading and compiling the built-in rule data.
#[divan::bench]
fn rule_data() -> usize {
    RuleData::builtin().packs.len()
}
