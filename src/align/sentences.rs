//! Sentence alignment: TF-IDF over light stems, candidates from an inverted index.

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::AlignOptions;
use crate::Analyzed;
use crate::segment::flag;
use crate::text::stem_key;

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
/// Shared content words needed for containment to count.
const MIN_SHARED: usize = 3;

struct Features {
    refs: Vec<SentRef>,
    /// Sorted, deduplicated stems of each sentence.
    stems: Vec<Vec<u64>>,
    idf: FxHashMap<u64, f32>,
    norms: Vec<f32>,
    /// Sum of the idf of each sentence's stems.
    mass: Vec<f32>,
}

fn features(docs: &[Analyzed]) -> Features {
    let mut refs = Vec::new();
    let mut stems = Vec::new();
    // Stems are costly to compute and words repeat: cache them by word key.
    let mut cache: FxHashMap<u64, u64> = FxHashMap::default();
    for (di, d) in docs.iter().enumerate() {
        for (si, s) in d.seg.sentences.iter().enumerate() {
            let mut v: Vec<u64> = d
                .seg
                .sentence_tokens(s)
                .iter()
                .filter(|t| t.is_content() && !t.has(flag::QMARK))
                .map(|t| *cache.entry(t.key).or_insert_with(|| stem_key(t.text(&d.doc.text))))
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
    let norms = stems.iter().map(|v| v.iter().map(|s| idf[s].powi(2)).sum::<f32>().sqrt()).collect();
    let mass = stems.iter().map(|v| v.iter().map(|s| idf[s]).sum::<f32>()).collect();
    Features { refs, stems, idf, norms, mass }
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
                let w = f.idf[&x[i]];
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
    let mut acc: FxHashMap<u32, f32> = FxHashMap::default();
    for a in 0..n {
        acc.clear();
        let da = f.refs[a].doc;
        for s in &f.stems[a] {
            let Some(post) = index.get(s) else { continue };
            let w = f.idf[s];
            for &b in post {
                if f.refs[b as usize].doc != da {
                    *acc.entry(b).or_default() += w * w;
                }
            }
        }
        // Best candidates per other document, plus the parts of a split.
        let mut by_doc: FxHashMap<u32, Vec<(f32, usize, f32, u32)>> = FxHashMap::default();
        for (&b, _) in acc.iter() {
            let (cos, shared, contain) = score(&f, a, b as usize);
            let r = f.refs[b as usize];
            let best = &mut best_other[f.refs[a].doc as usize][f.refs[a].sent as usize];
            *best = best.max(cos);
            let strong = cos >= opts.min_score && (shared >= 2 || cos >= 0.8);
            let part = cos >= opts.min_score * 0.6 && contain >= CONTAINED && shared >= MIN_SHARED;
            if strong || part {
                by_doc.entry(r.doc).or_default().push((cos, shared, contain, b));
            }
        }
        for (_, mut cands) in by_doc {
            cands.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.3.cmp(&y.3)));
            for (k, &(cos, shared, contain, b)) in cands.iter().enumerate() {
                if k > 0 && !(contain >= CONTAINED && shared >= MIN_SHARED) {
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
    pairs.sort_by(|x, y| (x.a, x.b).cmp(&(y.a, y.b)));
    pairs.dedup_by(|x, y| x.a == y.a && x.b == y.b);
    (pairs, best_other)
}
