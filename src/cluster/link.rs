//! Link: score the pairs of articles that could report the same event.
//!
//! Each sketch becomes a short vector: its `top_terms` heaviest terms by TF-IDF, unit
//! length. Two articles are compared only if they share one of those terms in an
//! inverted index (blocking), so cost follows the number of plausible pairs, not the
//! square of the archive; terms in too many articles' vectors are left out of the index
//! (they describe a topic, not an event). Articles far apart in time score less.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::sketch::{Sketch, When};

/// How linking weighs and prunes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct LinkOptions {
    /// Terms kept per article.
    pub top_terms: usize,
    /// Terms in fewer articles than this are ignored (they cannot link two).
    pub min_df: u32,
    /// Terms in more articles' vectors than this are not used to find candidates.
    pub max_postings: usize,
    /// Pairs scoring less are not kept.
    pub min_score: f32,
    /// Articles dated further apart than this (in days, or in different years when only
    /// years are known) have their score multiplied by `far_penalty`.
    pub window_days: i32,
    pub far_penalty: f32,
}

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions { top_terms: 20, min_df: 2, max_postings: 2000, min_score: 0.03, window_days: 7, far_penalty: 0.5 }
    }
}

/// A scored pair of articles, by index in the sketch list; `a < b`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub a: u32,
    pub b: u32,
    pub score: f32,
}

/// Unit-length TF-IDF vectors of each sketch's heaviest terms, sorted by term.
pub fn vectors(sketches: &[Sketch], opts: &LinkOptions) -> Vec<Vec<(u32, f32)>> {
    let df = sketches
        .par_iter()
        .fold(FxHashMap::<u32, u32>::default, |mut m, s| {
            for &(t, _) in &s.terms {
                *m.entry(t).or_default() += 1;
            }
            m
        })
        .reduce(FxHashMap::default, |mut a, b| {
            if a.len() < b.len() {
                return merge(b, a);
            }
            for (k, v) in b {
                *a.entry(k).or_default() += v;
            }
            a
        });
    let n = sketches.len().max(1) as f32;
    sketches
        .par_iter()
        .map(|s| {
            let mut v: Vec<(u32, f32)> = s
                .terms
                .iter()
                .filter_map(|&(t, tf)| {
                    let d = *df.get(&t)?;
                    // Smoothed, so a term in every article of a tiny archive still counts.
                    let idf = ((n + 1.0) / d as f32).ln();
                    (d >= opts.min_df && idf > 0.0).then(|| (t, (1.0 + tf.ln()) * idf))
                })
                .collect();
            v.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            v.truncate(opts.top_terms);
            let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|x| x.1 /= norm);
            }
            v.sort_unstable_by_key(|x| x.0);
            v
        })
        .collect()
}

fn merge(mut a: FxHashMap<u32, u32>, b: FxHashMap<u32, u32>) -> FxHashMap<u32, u32> {
    for (k, v) in b {
        *a.entry(k).or_default() += v;
    }
    a
}

/// How much time apart lowers a score.
pub fn time_factor(a: Option<When>, b: Option<When>, opts: &LinkOptions) -> f32 {
    match (a, b) {
        (Some(When::Day(x)), Some(When::Day(y))) if (x - y).abs() > opts.window_days => opts.far_penalty,
        (Some(x), Some(y)) if x.year() != y.year() => opts.far_penalty,
        _ => 1.0,
    }
}

/// Scored candidate pairs, sorted by (a, b).
pub fn link(sketches: &[Sketch], opts: &LinkOptions) -> Vec<Edge> {
    let vecs = vectors(sketches, opts);
    let mut index: FxHashMap<u32, Vec<(u32, f32)>> = FxHashMap::default();
    for (i, v) in vecs.iter().enumerate() {
        for &(t, w) in v {
            index.entry(t).or_default().push((i as u32, w));
        }
    }
    index.retain(|_, p| p.len() >= 2 && p.len() <= opts.max_postings);
    let mut edges: Vec<Edge> = (0..vecs.len())
        .into_par_iter()
        .flat_map_iter(|a| {
            // Dot products with later articles through shared indexed terms.
            let mut acc: FxHashMap<u32, f32> = FxHashMap::default();
            for &(t, w) in &vecs[a] {
                let Some(post) = index.get(&t) else { continue };
                let later = post.partition_point(|&(b, _)| b as usize <= a);
                for &(b, wb) in &post[later..] {
                    *acc.entry(b).or_default() += w * wb;
                }
            }
            let sa = &sketches[a];
            acc.into_iter()
                .map(move |(b, dot)| Edge {
                    a: a as u32,
                    b,
                    score: dot * time_factor(sa.when, sketches[b as usize].when, opts),
                })
                .filter(|e| e.score >= opts.min_score)
                .collect::<Vec<_>>()
        })
        .collect();
    edges.sort_unstable_by_key(|e| (e.a, e.b));
    edges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sk(id: &str, terms: &[(u32, f32)], when: Option<When>) -> Sketch {
        Sketch { id: id.into(), when, event: None, terms: terms.to_vec() }
    }

    #[test]
    fn shared_rare_terms_link_and_time_apart_lowers() {
        let s = vec![
            sk("a", &[(1, 3.0), (2, 1.0), (9, 1.0)], Some(When::Day(100))),
            sk("b", &[(1, 2.0), (2, 1.0), (8, 1.0)], Some(When::Day(101))),
            sk("c", &[(1, 2.0), (2, 1.0), (7, 1.0)], Some(When::Day(400))),
            sk("d", &[(5, 1.0), (6, 1.0)], None),
            sk("e", &[(5, 1.0), (6, 1.0)], None),
        ];
        let opts = LinkOptions { min_score: 0.0, ..Default::default() };
        let e = link(&s, &opts);
        let score = |a: u32, b: u32| e.iter().find(|x| x.a == a && x.b == b).map(|x| x.score);
        assert!(score(0, 1).unwrap() > 0.5);
        let far = score(0, 2).unwrap();
        assert!((far - score(0, 1).unwrap() * 0.5).abs() < 0.05, "a year apart halves the score");
        assert!(score(3, 4).unwrap() > 0.99);
        assert_eq!(score(0, 3), None, "nothing shared, never compared");
    }
}
