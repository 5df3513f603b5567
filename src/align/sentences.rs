//! Sentence alignment: TF-IDF over light stems, candidates from an inverted index.
//!
//! Copies of a story share most sentences word for word, so sentences with the same
//! content words form one variant, scored once; each variant's candidates are found
//! through its rarest words only (prefix filtering), then scored exactly.

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

/// Containment at which a short sentence counts as part of a longer one. Each part of a
/// sentence split in two keeps nearly all its words; at 0.7, short sentences paired with
/// any long one sharing most of their words (nine in ten such pairs were wrong on the
/// synthetic archive).
const CONTAINED: f32 = 0.9;
/// Rarest words of a sentence through which candidates are found.
const PROBES: usize = 6;
/// Shared content words needed for containment to count.
const MIN_SHARED: usize = 3;

/// Sentences with the same content words, and what they are compared by.
struct Variants {
    /// Sentences of each variant.
    members: Vec<Vec<SentRef>>,
    /// Sorted stems of each variant, and their idf in the same order.
    stems: Vec<Vec<u64>>,
    weights: Vec<Vec<f32>>,
    norms: Vec<f32>,
    /// Sum of the idf of the variant's stems.
    mass: Vec<f32>,
}

fn variants(docs: &[Analyzed]) -> Variants {
    let mut members: Vec<Vec<SentRef>> = Vec::new();
    let mut stems: Vec<Vec<u64>> = Vec::new();
    let mut of: FxHashMap<Vec<u64>, u32> = FxHashMap::default();
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
            let r = SentRef { doc: di as u32, sent: si as u32 };
            match of.get(&v) {
                Some(&k) => members[k as usize].push(r),
                None => {
                    of.insert(v.clone(), stems.len() as u32);
                    stems.push(v);
                    members.push(vec![r]);
                }
            }
        }
    }
    // Document frequency counts every sentence, copies included.
    let mut df: FxHashMap<u64, u32> = FxHashMap::default();
    let mut n = 0u32;
    for (v, m) in stems.iter().zip(&members) {
        n += m.len() as u32;
        for &s in v {
            *df.entry(s).or_default() += m.len() as u32;
        }
    }
    let n = n.max(1) as f32;
    let weights: Vec<Vec<f32>> =
        stems.iter().map(|v| v.iter().map(|s| (1.0 + n / df[s] as f32).ln()).collect()).collect();
    let norms = weights.iter().map(|v| v.iter().map(|w| w * w).sum::<f32>().sqrt()).collect();
    let mass = weights.iter().map(|v| v.iter().sum::<f32>()).collect();
    Variants { members, stems, weights, norms, mass }
}

/// Cosine, shared-stem count and containment (shared idf over the smaller sentence's).
fn score(f: &Variants, a: usize, b: usize) -> (f32, usize, f32) {
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

/// A scored candidate: (cosine, shared stems, containment, variant).
type Scored = (f32, usize, f32, u32);

pub fn align(docs: &[Analyzed], opts: &AlignOptions) -> (Vec<SentencePair>, Vec<Vec<f32>>) {
    let f = variants(docs);
    let nv = f.stems.len();
    let n: usize = f.members.iter().map(Vec::len).sum();
    let mut best_other: Vec<Vec<f32>> = docs.iter().map(|d| vec![0.0; d.seg.sentences.len()]).collect();
    // Words in a fifth of all sentences say little about which ones match: they are
    // left out of the index (blocking) but still count in the scores. The index is one
    // flat list of variants grouped by stem (fewer allocations than a list per stem).
    let max_df = (n / 5).max(12);
    let mut entries: Vec<(u64, u32)> =
        f.stems.iter().enumerate().flat_map(|(i, v)| v.iter().map(move |&s| (s, i as u32))).collect();
    entries.sort_unstable();
    let mut index: FxHashMap<u64, (u32, u32)> = FxHashMap::default();
    let mut k = 0;
    while k < entries.len() {
        let stem = entries[k].0;
        let end = k + entries[k..].iter().take_while(|e| e.0 == stem).count();
        if end - k <= max_df {
            index.insert(stem, (k as u32, end as u32));
        }
        k = end;
    }

    let mut pairs: Vec<SentencePair> = Vec::new();
    let mut seen = vec![false; nv];
    let mut touched: Vec<u32> = Vec::new();
    let mut probes: Vec<(u32, usize)> = Vec::new();
    let mut scored: Vec<Scored> = Vec::new();
    let mut per_doc: Vec<(u32, Scored, SentRef)> = Vec::new();
    for a in 0..nv {
        // Candidates through the variant's rarest words only.
        probes.clear();
        probes.extend(f.stems[a].iter().enumerate().filter_map(|(k, s)| index.get(s).map(|r| (r.1 - r.0, k))));
        probes.sort_unstable();
        probes.truncate(PROBES);
        for &(_, k) in &probes {
            let (lo, hi) = index[&f.stems[a][k]];
            for &(_, b) in &entries[lo as usize..hi as usize] {
                if b as usize != a && !seen[b as usize] {
                    seen[b as usize] = true;
                    touched.push(b);
                }
            }
        }
        touched.sort_unstable();
        scored.clear();
        for b in touched.drain(..) {
            seen[b as usize] = false;
            let (cos, shared, contain) = score(&f, a, b as usize);
            scored.push((cos, shared, contain, b));
        }
        // Each sentence of the variant: its best match in each other document, plus the
        // parts of a split; copies of itself in other documents score 1.
        for &ra in &f.members[a] {
            per_doc.clear();
            let whole = (1.0, f.stems[a].len(), 1.0, a as u32);
            per_doc.extend(f.members[a].iter().filter(|r| r.doc != ra.doc).map(|&r| (r.doc, whole, r)));
            for &c in &scored {
                per_doc.extend(f.members[c.3 as usize].iter().filter(|r| r.doc != ra.doc).map(|&r| (r.doc, c, r)));
            }
            let best = &mut best_other[ra.doc as usize][ra.sent as usize];
            for &(_, c, _) in &per_doc {
                *best = best.max(c.0);
            }
            per_doc.retain(|&(_, (cos, shared, contain, _), _)| {
                let strong = cos >= opts.min_score && (shared >= 2 || cos >= 0.8);
                let part = cos >= opts.min_score * 0.6 && contain >= CONTAINED && shared >= MIN_SHARED;
                strong || part
            });
            per_doc.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.0.total_cmp(&x.1.0)).then(x.2.cmp(&y.2)));
            let mut prev_doc = None;
            for &(doc, (cos, shared, contain, _), rb) in &per_doc {
                let first_of_doc = prev_doc != Some(doc);
                prev_doc = Some(doc);
                if !(first_of_doc || contain >= CONTAINED && shared >= MIN_SHARED) {
                    continue;
                }
                let (x, y) = if ra < rb { (ra, rb) } else { (rb, ra) };
                pairs.push(SentencePair { a: x, b: y, score: cos });
            }
        }
    }
    pairs.sort_by(|p, q| (p.a, p.b).cmp(&(q.a, q.b)).then(q.score.total_cmp(&p.score)));
    pairs.dedup_by(|x, y| x.a == y.a && x.b == y.b);
    (pairs, best_other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Document, Format};
    use crate::rules::data::RuleData;

    fn pairs(a: &str, b: &str) -> Vec<(u32, u32)> {
        let data = RuleData::builtin();
        let docs: Vec<Analyzed> = [("a", a), ("b", b)]
            .into_iter()
            .map(|(id, t)| crate::analyze(Document::plain(id, id, Format::Text, t.into()), &data))
            .collect();
        let (pairs, _) = align(&docs, &AlignOptions::default());
        pairs.iter().map(|p| (p.a.sent, p.b.sent)).collect()
    }

    #[test]
    fn a_sentence_split_in_two_pairs_with_both_parts() {
        let one = "The health minister met union leaders in Leeds on Tuesday and agreed a pay rise \
                   of 5% for nurses from April. Talks on doctors' pay resume next month.";
        let two = "The health minister met union leaders in Leeds on Tuesday. They agreed a pay rise \
                   of 5% for nurses from April. Talks on doctors' pay resume next month.";
        assert_eq!(pairs(one, two), [(0, 0), (0, 1), (1, 2)]);
    }

    #[test]
    fn a_short_sentence_is_not_a_part_of_every_long_one_sharing_its_words() {
        let one = "Union leaders said nurses in Leeds would strike on Tuesday unless the health \
                   minister agreed to talks about pay, hours and the cost of agency staff.";
        let two = "Nurses in Leeds want talks on agency staff.";
        assert_eq!(pairs(one, two), Vec::<(u32, u32)>::new());
    }
}
