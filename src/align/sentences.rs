//! Sentence alignment: TF-IDF over light stems, candidates from an inverted index.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::AlignOptions;
use crate::Analyzed;
use crate::segment::flag;

/// A sentence of a document in an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SentRef {
    pub doc: u32,
    pub sent: u32,
}

/// Two sentences that report the same thing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SentencePair {
    pub a: SentRef,
    pub b: SentRef,
    /// Cosine of their weighted content words, 0 to 1.
    pub score: f32,
}

/// Containment at which a short sentence counts as part of a longer one.
const CONTAINED: f32 = 0.7;
/// Candidates whose indexed words give a cosine below this are not scored.
const PRUNE: f32 = 0.15;
/// Shared content words needed for containment to count.
const MIN_SHARED: usize = 3;

struct Features {
    refs: Vec<SentRef>,
    /// Sorted, deduplicated stems of each sentence.
    stems: Vec<Vec<u64>>,
    /// The idf of each of those stems, in the same order.
    weights: Vec<Vec<f32>>,
    norms: Vec<f32>,
    /// Sum of the idf of each sentence's stems.
    mass: Vec<f32>,
}

fn features(docs: &[Analyzed]) -> Features {
    let mut refs = Vec::new();
    let mut stems = Vec::new();
    for (di, d) in docs.iter().enumerate() {
        for (si, s) in d.seg.sentences.iter().enumerate() {
            let mut v: Vec<u64> = d
                .seg
                .sentence_tokens(s)
                .iter()
                .filter(|t| t.is_content() && !t.has(flag::QMARK))
                .map(|t| t.stem)
                .collect();
            v.sort_unstable();
            v.dedup();
            refs.push(SentRef { doc: di as u32, sent: si as u32 });
            stems.push(v);
        }
    }
    let mut df: FxHashMap<u64, u32> = FxHashMap::default();
    for v in &stems {
        for &s in v {
            *df.entry(s).or_default() += 1;
        }
    }
    let n = stems.len().max(1) as f32;
    let idf: FxHashMap<u64, f32> = df.iter().map(|(&k, &c)| (k, (1.0 + n / c as f32).ln())).collect();
    let weights: Vec<Vec<f32>> = stems.iter().map(|v| v.iter().map(|s| idf[s]).collect()).collect();
    let norms = weights.iter().map(|v| v.iter().map(|w| w * w).sum::<f32>().sqrt()).collect();
    let mass = weights.iter().map(|v| v.iter().sum::<f32>()).collect();
    Features { refs, stems, weights, norms, mass }
}

/// Cosine, shared-stem count and containment (shared idf over the smaller sentence's).
fn score(f: &Features, a: usize, b: usize) -> (f32, usize, f32) {
    let (x, y) = (&f.stems[a], &f.stems[b]);
    let (mut i, mut j, mut dot, mut shared, mut smass) = (0, 0, 0.0f32, 0usize, 0.0f32);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let w = f.weights[a][i];
                dot += w * w;
                smass += w;
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let denom = f.norms[a] * f.norms[b];
    let cos = if denom > 0.0 { dot / denom } else { 0.0 };
    let small = f.mass[a].min(f.mass[b]);
    let contain = if small > 0.0 { smass / small } else { 0.0 };
    (cos, shared, contain)
}

pub fn align(docs: &[Analyzed], opts: &AlignOptions) -> (Vec<SentencePair>, Vec<Vec<f32>>) {
    let f = features(docs);
    let n = f.stems.len();
    let mut best_other: Vec<Vec<f32>> = docs.iter().map(|d| vec![0.0; d.seg.sentences.len()]).collect();
    // Words in a fifth of all sentences say little about which ones match: they are
    // left out of the index (blocking) but still count in the scores.
    let max_df = (n / 5).max(12);
    let mut index: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (i, v) in f.stems.iter().enumerate() {
        for &s in v {
            index.entry(s).or_default().push(i as u32);
        }
    }
    index.retain(|_, p| p.len() <= max_df);

    let mut pairs: Vec<SentencePair> = Vec::new();
    // A dense accumulator with a list of what it touched: cheaper than a map.
    let mut acc = vec![0.0f32; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut cands: Vec<(u32, f32, usize, f32, u32)> = Vec::new();
    for a in 0..n {
        let da = f.refs[a].doc;
        for (k, s) in f.stems[a].iter().enumerate() {
            let Some(post) = index.get(s) else { continue };
            let w = f.weights[a][k];
            for &b in post {
                if f.refs[b as usize].doc != da {
                    if acc[b as usize] == 0.0 {
                        touched.push(b);
                    }
                    acc[b as usize] += w * w;
                }
            }
        }
        // Best candidates per other document, plus the parts of a split.
        cands.clear();
        touched.sort_unstable();
        for b in touched.drain(..) {
            let partial = std::mem::take(&mut acc[b as usize]);
            // The indexed words alone already bound the cosine from below; most
            // candidates share one rare word and nothing else, and stop here.
            if partial < PRUNE * f.norms[a] * f.norms[b as usize] {
                continue;
            }
            let (cos, shared, contain) = score(&f, a, b as usize);
            let r = f.refs[b as usize];
            let best = &mut best_other[f.refs[a].doc as usize][f.refs[a].sent as usize];
            *best = best.max(cos);
            let strong = cos >= opts.min_score && (shared >= 2 || cos >= 0.8);
            let part = cos >= opts.min_score * 0.6 && contain >= CONTAINED && shared >= MIN_SHARED;
            if strong || part {
                cands.push((r.doc, cos, shared, contain, b));
            }
        }
        cands.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)).then(x.4.cmp(&y.4)));
        let mut prev_doc = None;
        for &(doc, cos, shared, contain, b) in &cands {
            let first_of_doc = prev_doc != Some(doc);
            prev_doc = Some(doc);
            {
                if !(first_of_doc || contain >= CONTAINED && shared >= MIN_SHARED) {
                    continue;
                }
                let (x, y) = (f.refs[a], f.refs[b as usize]);
                if x < y {
                    pairs.push(SentencePair { a: x, b: y, score: cos });
                } else {
                    pairs.push(SentencePair { a: y, b: x, score: cos });
                }
            }
        }
    }
    pairs.sort_by_key(|p| (p.a, p.b));
    pairs.dedup_by(|x, y| x.a == y.a && x.b == y.b);
    (pairs, best_other)
}
