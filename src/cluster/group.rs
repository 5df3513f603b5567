//! Group: average-link agglomerative clustering over the scored pairs.
//!
//! Two groups merge while the average score over all their cross pairs — unscored pairs
//! counting zero — reaches the threshold. Unlike single link (connected components over
//! pairs above a threshold), a chain of weak links between two events cannot merge them:
//! every article of one would need to resemble the other on average. Near-copies merge
//! first; an article that resembles nothing stays alone. The graph is sparse, so the cost
//! follows the number of pairs.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rustc_hash::FxHashMap;

use super::link::Edge;

/// A candidate merge: the average score of two groups.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Candidate {
    avg: f32,
    a: u32,
    b: u32,
}

impl Eq for Candidate {}

impl Ord for Candidate {
    fn cmp(&self, o: &Self) -> Ordering {
        // Highest average first; ties by the lower ids, so runs are reproducible.
        self.avg.total_cmp(&o.avg).then_with(|| (o.a, o.b).cmp(&(self.a, self.b)))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// Groups `n` articles; returns each one's group, numbered by first member.
pub fn group(n: usize, edges: &[Edge], threshold: f32) -> Vec<u32> {
    let mut size = vec![1u32; n];
    // Sum of pair scores between this group and each neighbouring group.
    let mut links: Vec<FxHashMap<u32, f32>> = vec![FxHashMap::default(); n];
    let mut heap = BinaryHeap::with_capacity(edges.len());
    for e in edges {
        if e.a == e.b {
            continue;
        }
        *links[e.a as usize].entry(e.b).or_default() += e.score;
        *links[e.b as usize].entry(e.a).or_default() += e.score;
    }
    for (a, l) in links.iter().enumerate() {
        for (&b, &s) in l {
            if (a as u32) < b && s >= threshold {
                heap.push(Candidate { avg: s, a: a as u32, b });
            }
        }
    }
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut alive = vec![true; n];
    while let Some(c) = heap.pop() {
        if c.avg < threshold {
            break;
        }
        let (a, b) = (c.a as usize, c.b as usize);
        if !alive[a] || !alive[b] {
            continue;
        }
        // Stale: the groups changed since this candidate was pushed.
        let current = links[a].get(&c.b).copied().unwrap_or(0.0) / (size[a] * size[b]) as f32;
        if current != c.avg {
            continue;
        }
        // The larger group absorbs the smaller; its links are added in.
        let (keep, gone) = if links[a].len() >= links[b].len() { (a, b) } else { (b, a) };
        alive[gone] = false;
        parent[gone] = keep as u32;
        size[keep] += size[gone];
        let moved = std::mem::take(&mut links[gone]);
        links[keep].remove(&(gone as u32));
        for (other, s) in moved {
            if other as usize == keep {
                continue;
            }
            *links[keep].entry(other).or_default() += s;
            let ol = &mut links[other as usize];
            let prev = ol.remove(&(gone as u32)).unwrap_or(0.0);
            *ol.entry(keep as u32).or_default() += prev;
        }
        let mut fresh: Vec<(u32, f32)> = links[keep].iter().map(|(&o, &s)| (o, s)).collect();
        fresh.sort_unstable_by_key(|x| x.0);
        for (o, s) in fresh {
            let avg = s / (size[keep] * size[o as usize]) as f32;
            if avg >= threshold {
                let (x, y) = (keep.min(o as usize) as u32, keep.max(o as usize) as u32);
                heap.push(Candidate { avg, a: x, b: y });
            }
        }
    }
    // Resolve roots, then number groups by their first article.
    let root: Vec<u32> = (0..n as u32)
        .map(|i| {
            let mut r = i;
            while parent[r as usize] != r {
                r = parent[r as usize];
            }
            r
        })
        .collect();
    let mut number: FxHashMap<u32, u32> = FxHashMap::default();
    root.iter()
        .map(|r| {
            let next = number.len() as u32;
            *number.entry(*r).or_insert(next)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(a: u32, b: u32, score: f32) -> Edge {
        Edge { a, b, score }
    }

    #[test]
    fn close_articles_group_and_loners_stay_alone() {
        let edges = [e(0, 1, 0.9), e(1, 2, 0.8), e(0, 2, 0.85), e(3, 4, 0.7)];
        assert_eq!(group(6, &edges, 0.1), [0, 0, 0, 1, 1, 2]);
    }

    #[test]
    fn a_chain_of_weak_links_does_not_merge_events() {
        // Two tight events of three, joined by one link between single members.
        let mut edges = vec![e(0, 1, 0.9), e(0, 2, 0.9), e(1, 2, 0.9), e(3, 4, 0.9), e(3, 5, 0.9), e(4, 5, 0.9)];
        edges.push(e(2, 3, 0.6));
        let g = group(6, &edges, 0.1);
        assert_eq!(g, [0, 0, 0, 1, 1, 1], "0.6 / 9 pairs = 0.07 average: below the threshold");
        // Single link would have merged them.
        let g = group(6, &edges, 0.05);
        assert_eq!(g, [0; 6]);
    }
}
