//! Figures for a synthetic archive and its truth sidecar (see `scripts/bench.sh`):
//! framing throughput on one core, grouping quality (adjusted Rand index, largest group)
//! and sentence-alignment F1 against the truth.
//!
//! `cargo bench --bench archive -- ARCHIVE.jsonl ARCHIVE.truth.jsonl`; without arguments
//! it says so and does nothing, so that `cargo bench` alone still runs.

use std::collections::HashMap;
use std::time::Instant;

use factdiff::batch::{self, BatchOptions};
use factdiff::ingest::Document;
use factdiff::rules::data::RuleData;
use factdiff::{align, analyze};
use rayon::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Truth {
    id: String,
    event: u64,
    /// [start, end, origin] per generated sentence, in characters of the body.
    spans: Vec<(usize, usize, i64)>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let [archive, truth] = args.as_slice() else {
        eprintln!("archive bench: give ARCHIVE.jsonl TRUTH.jsonl (see scripts/bench.sh); skipped");
        return;
    };
    let truth: Vec<Truth> = std::fs::read_to_string(truth)
        .expect("truth file")
        .lines()
        .map(|l| serde_json::from_str(l).expect("truth line"))
        .collect();
    let bytes = std::fs::metadata(archive).expect("archive").len() as f64;
    let opts = BatchOptions::default();

    // Framing: read, split lines, parse records, on one core.
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    let t = Instant::now();
    let docs = one.install(|| batch::read(std::slice::from_ref(archive), &opts.ingest, |_, _| {})).docs;
    let framing = t.elapsed().as_secs_f64();
    println!("framing (read + parse), one core: {:.0} MB/s ({} articles)", bytes / framing / 1e6, docs.len());
    let data = RuleData::builtin();
    let t = Instant::now();
    let sentences: usize = one.install(|| {
        docs.iter()
            .map(|d| {
                let c = factdiff::clean::clean(d, &data);
                factdiff::segment::segment(&d.text, &c.paragraphs, &data.abbreviations).sentences.len()
            })
            .sum()
    });
    let split = t.elapsed().as_secs_f64();
    println!(
        "framing + cleaning + sentence splitting, one core: {:.0} MB/s ({sentences} sentences)",
        bytes / (framing + split) / 1e6
    );

    // Grouping against the truth.
    let t = Instant::now();
    let sketches = batch::sketch_all(&docs);
    let events = batch::events(&sketches, &opts.group, false);
    println!("sketch + link + group: {:.2} s", t.elapsed().as_secs_f64());
    let true_event: HashMap<&str, u64> = truth.iter().map(|t| (t.id.as_str(), t.event)).collect();
    let mut pred: HashMap<&str, usize> = HashMap::new();
    for (k, (_, members)) in events.iter().enumerate() {
        for &m in members {
            pred.insert(docs[m as usize].id.as_str(), k);
        }
    }
    let ari = adjusted_rand(&docs.iter().map(|d| (pred[d.id.as_str()], true_event[d.id.as_str()])).collect::<Vec<_>>());
    let largest = events.iter().map(|e| e.1.len()).max().unwrap_or(0);
    let mut sizes: HashMap<u64, usize> = HashMap::new();
    for t in &truth {
        *sizes.entry(t.event).or_default() += 1;
    }
    let largest_true = sizes.values().max().copied().unwrap_or(0);
    println!(
        "grouping: adjusted Rand index {ari:.4}; {} groups for {} true events; largest group {largest} (largest true event {largest_true})",
        events.len(),
        sizes.len()
    );

    // Sentence alignment within the true events.
    let spans: HashMap<&str, &Vec<(usize, usize, i64)>> = truth.iter().map(|t| (t.id.as_str(), &t.spans)).collect();
    let mut by_event: HashMap<u64, Vec<&Document>> = HashMap::new();
    for d in &docs {
        by_event.entry(true_event[d.id.as_str()]).or_default().push(d);
    }
    let mut groups: Vec<Vec<&Document>> = by_event.into_values().filter(|g| g.len() >= 2).collect();
    groups.sort_by(|a, b| a[0].id.cmp(&b[0].id));
    let (tp, predicted, actual) = groups
        .par_iter()
        .map(|g| {
            let analysed: Vec<_> = g.iter().map(|d| analyze((*d).clone(), &data)).collect();
            let (pairs, _) = align::sentences::align(&analysed, &Default::default());
            // Each sentence's origin: the generated sentence its first character is in.
            let origins: Vec<Vec<i64>> = analysed
                .iter()
                .map(|a| {
                    let sp = spans[a.doc.id.as_str()];
                    (0..a.seg.sentences.len())
                        .map(|s| {
                            let start = a.seg.span(&a.seg.sentences[s].tokens).start;
                            let ch = a.doc.text[..start].chars().count();
                            let k = sp.partition_point(|x| x.0 <= ch);
                            if k == 0 || ch >= sp[k - 1].1 { -1 } else { sp[k - 1].2 }
                        })
                        .collect()
                })
                .collect();
            let tp = pairs
                .iter()
                .filter(|p| {
                    let (x, y) =
                        (origins[p.a.doc as usize][p.a.sent as usize], origins[p.b.doc as usize][p.b.sent as usize]);
                    x >= 0 && x == y
                })
                .count();
            let mut per_origin: HashMap<i64, Vec<usize>> = HashMap::new();
            for (d, os) in origins.iter().enumerate() {
                for &o in os.iter().filter(|&&o| o >= 0) {
                    let v = per_origin.entry(o).or_insert_with(|| vec![0; origins.len()]);
                    v[d] += 1;
                }
            }
            let actual: usize = per_origin
                .values()
                .map(|c| {
                    let total: usize = c.iter().sum();
                    (total * total - c.iter().map(|x| x * x).sum::<usize>()) / 2
                })
                .sum();
            (tp, pairs.len(), actual)
        })
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    let (p, r) = (tp as f64 / predicted.max(1) as f64, tp as f64 / actual.max(1) as f64);
    println!(
        "sentence alignment: precision {p:.4}, recall {r:.4}, F1 {:.4} ({tp} of {predicted} pairs right, {actual} true)",
        2.0 * p * r / (p + r)
    );
}

/// Adjusted Rand index of (predicted, true) labels.
fn adjusted_rand(pairs: &[(usize, u64)]) -> f64 {
    let c2 = |n: usize| (n * n.saturating_sub(1)) as f64 / 2.0;
    let mut table: HashMap<(usize, u64), usize> = HashMap::new();
    let mut a: HashMap<usize, usize> = HashMap::new();
    let mut b: HashMap<u64, usize> = HashMap::new();
    for &(x, y) in pairs {
        *table.entry((x, y)).or_default() += 1;
        *a.entry(x).or_default() += 1;
        *b.entry(y).or_default() += 1;
    }
    let index: f64 = table.values().map(|&n| c2(n)).sum();
    let sa: f64 = a.values().map(|&n| c2(n)).sum();
    let sb: f64 = b.values().map(|&n| c2(n)).sum();
    let expected = sa * sb / c2(pairs.len());
    (index - expected) / ((sa + sb) / 2.0 - expected)
}
