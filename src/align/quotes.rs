//! Quote alignment: which quotations render the same remark.
//!
//! A shorter quote is aligned word by word inside a longer one (edit distance with free
//! ends in the longer, so a fragment finds its place); words in brackets are the
//! editor's, not the speaker's, and are skipped. Short quotes that share few words
//! are still paired when they fill the same slot of the same sentence: the two content
//! words before (or after) the quote agree.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::Analyzed;
use crate::extract::attribution::same_speaker;
use crate::segment::{Token, flag};
use crate::text::fold;

/// A quotation of a document in an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct QuoteRef {
    pub doc: u32,
    pub quote: u32,
}

/// How a pair was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum How {
    /// The words align.
    Text,
    /// Different words in the same slot of the same sentence.
    Slot,
}

/// One step of a word alignment: token indices into each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Op {
    Equal(u32, u32),
    /// A word of `a` replaced by a word of `b`.
    Sub(u32, u32),
    /// A word of `a` that `b` lacks.
    Del(u32),
    /// A word of `b` that `a` lacks.
    Ins(u32),
}

/// Two quotations of one remark. `a` is compared whole; `ops` cover the part of `b` it
/// corresponds to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuotePair {
    pub a: QuoteRef,
    pub b: QuoteRef,
    pub ops: Vec<Op>,
    pub how: How,
}

impl QuotePair {
    /// Whether the words differ anywhere in the aligned stretch.
    pub fn differs(&self) -> bool {
        self.ops.iter().any(|o| !matches!(o, Op::Equal(..)))
    }
}

/// The speaker's words of a quote: word tokens, editors' bracketed insertions left out.
pub fn words(d: &Analyzed, q: usize) -> Vec<u32> {
    let r = &d.seg.quotes[q].tokens;
    (r.start..r.end)
        .filter(|&i| {
            let t = d.seg.tokens[i as usize];
            t.is_word() && !t.has(flag::BRACKETED)
        })
        .collect()
}

struct Q {
    r: QuoteRef,
    words: Vec<u32>,
    keys: Vec<u64>,
}

/// Longest quotes compared word by word; longer ones are compared by their start only.
const MAX_WORDS: usize = 400;

pub fn align(docs: &[Analyzed]) -> Vec<QuotePair> {
    let mut qs: Vec<Q> = Vec::new();
    for (di, d) in docs.iter().enumerate() {
        for qi in 0..d.seg.quotes.len() {
            let mut w = words(d, qi);
            w.truncate(MAX_WORDS);
            if w.is_empty() {
                continue;
            }
            let keys = w.iter().map(|&i| d.seg.tokens[i as usize].key).collect();
            qs.push(Q { r: QuoteRef { doc: di as u32, quote: qi as u32 }, words: w, keys });
        }
    }
    let tok = |r: QuoteRef, i: u32| -> Token { docs[r.doc as usize].seg.tokens[i as usize] };

    // Quotes with the very same words (the same remark in several copies of a story)
    // are one variant: variants are compared once, and the result shared by their copies.
    let mut variant_of: FxHashMap<&[u64], u32> = FxHashMap::default();
    let mut variants: Vec<Vec<u32>> = Vec::new();
    for (i, q) in qs.iter().enumerate() {
        let next = variants.len() as u32;
        let v = *variant_of.entry(q.keys.as_slice()).or_insert(next);
        if v == next {
            variants.push(Vec::new());
        }
        variants[v as usize].push(i as u32);
    }
    let rep = |v: u32| &qs[variants[v as usize][0] as usize];

    // Candidates: variants sharing a content word that is not everywhere.
    let mut index: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for v in 0..variants.len() as u32 {
        let q = rep(v);
        let mut seen: Vec<u64> = Vec::new();
        for (k, &w) in q.words.iter().enumerate() {
            if tok(q.r, w).is_content() && !seen.contains(&q.keys[k]) {
                seen.push(q.keys[k]);
                index.entry(q.keys[k]).or_default().push(v);
            }
        }
    }
    let cap = (variants.len() / 3).max(16);
    // Pairs sharing two content words (one, for quotes of three words or fewer).
    let mut shared: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    for post in index.values() {
        if post.len() > cap {
            continue;
        }
        for (x, &i) in post.iter().enumerate() {
            for &j in &post[x + 1..] {
                *shared.entry((i.min(j), i.max(j))).or_default() += 1;
            }
        }
    }
    let mut cands: Vec<(u32, u32)> = shared
        .into_iter()
        .filter(|&((i, j), n)| n >= 2 || rep(i).words.len().min(rep(j).words.len()) <= 3)
        .map(|(p, _)| p)
        .collect();
    cands.sort_unstable();

    let mut out = Vec::new();
    let mut text_paired: FxHashSet<(u32, u32)> = FxHashSet::default();
    // Copies of one variant: identical words.
    for members in &variants {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                let (a, b) = (&qs[i as usize], &qs[j as usize]);
                if let Some(p) = member_pair(docs, a, b, equal_ops(a, b), false) {
                    out.push(p);
                }
                text_paired.insert((i.min(j), i.max(j)));
            }
        }
    }
    for (vi, vj) in cands {
        // The shorter is compared whole; ties keep text order.
        let (va, vb) = if rep(vj).words.len() < rep(vi).words.len() { (vj, vi) } else { (vi, vj) };
        let (ra, rb) = (rep(va), rep(vb));
        let Some(ops) = word_ops(ra, rb) else { continue };
        let Some(strict) = same_text(docs, ra, &ops) else { continue };
        for &i in &variants[va as usize] {
            for &j in &variants[vb as usize] {
                let (a, b) = (&qs[i as usize], &qs[j as usize]);
                let ops = remap(&ops, ra, rb, a, b);
                if let Some(p) = member_pair(docs, a, b, ops, strict) {
                    out.push(p);
                    text_paired.insert((i.min(j), i.max(j)));
                }
            }
        }
    }
    // Short quotes in the same slot of the same sentence, where the words did not pair them.
    for (i, j) in slot_candidates(docs, &qs) {
        if text_paired.contains(&(i, j)) {
            continue;
        }
        let (qi, qj) = (&qs[i as usize], &qs[j as usize]);
        let (a, b) = if qj.words.len() < qi.words.len() { (qj, qi) } else { (qi, qj) };
        if !distinct_speakers_in_one_article(docs, a.r, b.r) && slot_match(docs, a, b) {
            out.push(QuotePair { a: a.r, b: b.r, ops: slot_ops(a, b), how: How::Slot });
        }
    }
    out.sort_by_key(|p| (p.a, p.b));
    out.dedup_by_key(|p| (p.a, p.b));
    out
}

/// The speaker keys of both quotes, when both are known.
fn speakers(docs: &[Analyzed], a: QuoteRef, b: QuoteRef) -> Option<(&str, &str)> {
    let sa = docs[a.doc as usize].facts.quotes[a.quote as usize].speaker.as_ref()?.key.as_deref()?;
    let sb = docs[b.doc as usize].facts.quotes[b.quote as usize].speaker.as_ref()?.key.as_deref()?;
    Some((sa, sb))
}

fn different_speakers(docs: &[Analyzed], a: QuoteRef, b: QuoteRef) -> bool {
    speakers(docs, a, b).is_some_and(|(x, y)| !same_speaker(x, y))
}

/// In one article, two speakers saying alike things are two remarks.
fn distinct_speakers_in_one_article(docs: &[Analyzed], a: QuoteRef, b: QuoteRef) -> bool {
    a.doc == b.doc && different_speakers(docs, a, b)
}

/// Whether `ops` (of `a` against a longer or equal quote) say the words are one remark:
/// `None` if not, else whether it holds only loosely ("strict" then applies), rather than
/// as a near-identical match, which is all that two named speakers' quotes may be.
fn same_text(docs: &[Analyzed], a: &Q, ops: &[Op]) -> Option<bool> {
    let content = |t: u32| docs[a.r.doc as usize].seg.tokens[t as usize].is_content();
    let matched = ops.iter().filter(|o| matches!(o, Op::Equal(..))).count();
    let matched_content = ops.iter().filter(|o| matches!(o, Op::Equal(x, _) if content(*x))).count();
    let edits = ops.len() - matched;
    let n = a.words.len();
    let same = if n == 1 {
        matched == 1 && matched_content == 1
    } else {
        // Most words agree, or all but one: "pretty close to a deal" and "better be close
        // to a deal" share four words but are two remarks.
        let share = matched as f32 / n as f32;
        matched >= 2
            && (share >= 0.75 || (share >= 0.6 && edits <= 1))
            && (matched_content >= 2 || n <= 3)
            && edits <= max_edits(n)
    };
    same.then_some(!(n >= 5 && edits <= 1))
}

/// One concrete pair of quotes, if their speakers allow it. Across articles, near-identical
/// words from two named speakers are one remark credited twice (an attribution mismatch);
/// a looser match (`strict`) between them is two remarks.
fn member_pair(docs: &[Analyzed], a: &Q, b: &Q, ops: Vec<Op>, strict: bool) -> Option<QuotePair> {
    let differ = different_speakers(docs, a.r, b.r);
    if differ && (a.r.doc == b.r.doc || strict) {
        return None;
    }
    Some(QuotePair { a: a.r, b: b.r, ops, how: How::Text })
}

fn equal_ops(a: &Q, b: &Q) -> Vec<Op> {
    a.words.iter().zip(&b.words).map(|(&x, &y)| Op::Equal(x, y)).collect()
}

/// Moves ops computed on two variants' representatives to two of their copies: the same
/// word positions, the copies' tokens.
fn remap(ops: &[Op], ra: &Q, rb: &Q, a: &Q, b: &Q) -> Vec<Op> {
    if std::ptr::eq(ra, a) && std::ptr::eq(rb, b) {
        return ops.to_vec();
    }
    let pa = |t: u32| a.words[ra.words.binary_search(&t).unwrap_or(0)];
    let pb = |t: u32| b.words[rb.words.binary_search(&t).unwrap_or(0)];
    ops.iter()
        .map(|o| match *o {
            Op::Equal(x, y) => Op::Equal(pa(x), pb(y)),
            Op::Sub(x, y) => Op::Sub(pa(x), pb(y)),
            Op::Del(x) => Op::Del(pa(x)),
            Op::Ins(y) => Op::Ins(pb(y)),
        })
        .collect()
}

/// The word alignment of `a` inside `b`, or `None` when too few of `a`'s words occur in
/// `b` for the two to be one remark. Identical and contained quotes (syndicated copies,
/// the common case) skip the dynamic programme; otherwise it runs on the stretch of
/// `b` between the first and last of `a`'s words, not all of it.
fn word_ops(a: &Q, b: &Q) -> Option<Vec<Op>> {
    let n = a.keys.len();
    let equal = |off: usize| (0..n).map(|k| Op::Equal(a.words[k], b.words[off + k])).collect::<Vec<_>>();
    if let Some(off) = b.keys.windows(n).position(|w| w == a.keys.as_slice()) {
        return Some(equal(off));
    }
    let in_b: FxHashSet<u64> = b.keys.iter().copied().collect();
    let present = a.keys.iter().filter(|k| in_b.contains(k)).count();
    if n > 1 && (present as f32) < 0.6 * n as f32 {
        return None;
    }
    // Place the stretch where most of `a`'s words occur within a span a little longer than
    // `a`: a fragment's words are close together, and the table below is then small.
    let in_a: FxHashSet<u64> = a.keys.iter().copied().collect();
    let hits: Vec<usize> = (0..b.keys.len()).filter(|&j| in_a.contains(&b.keys[j])).collect();
    let slack = max_edits(n);
    let span = n + slack;
    let (mut best, mut best_count, mut hi_i) = (*hits.first()?, 0, 0);
    for (lo_i, &start) in hits.iter().enumerate() {
        while hi_i < hits.len() && hits[hi_i] < start + span {
            hi_i += 1;
        }
        if hi_i - lo_i > best_count {
            (best, best_count) = (start, hi_i - lo_i);
        }
    }
    let lo = best.saturating_sub(slack);
    let hi = (best + span + slack).min(b.keys.len());
    // Two renderings of a whole quote (about the same length) differ in a few words:
    // a diff in O(length × differences) finds that. A fragment inside a longer quote
    // needs the edit-distance table that places it.
    if b.keys.len() <= n + 4 {
        return Some(diff_ops(&a.keys, &b.keys, &a.words, &b.words));
    }
    Some(semi_global(&a.keys, &b.keys[lo..hi], &a.words, &b.words[lo..hi]))
}

/// Edits allowed between two renderings of a remark of `n` words.
fn max_edits(n: usize) -> usize {
    (n / 2).max(2)
}

/// Word operations of a diff (Myers) of `x` against `y`, trimmed of insertions at the ends.
fn diff_ops(x: &[u64], y: &[u64], xt: &[u32], yt: &[u32]) -> Vec<Op> {
    let mut ops = Vec::with_capacity(x.len() + 2);
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, x, y) {
        match op {
            similar::DiffOp::Equal { old_index, new_index, len } => {
                ops.extend((0..len).map(|k| Op::Equal(xt[old_index + k], yt[new_index + k])));
            }
            similar::DiffOp::Delete { old_index, old_len, .. } => {
                ops.extend((0..old_len).map(|k| Op::Del(xt[old_index + k])));
            }
            similar::DiffOp::Insert { new_index, new_len, .. } => {
                ops.extend((0..new_len).map(|k| Op::Ins(yt[new_index + k])));
            }
            similar::DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                let common = old_len.min(new_len);
                ops.extend((0..common).map(|k| Op::Sub(xt[old_index + k], yt[new_index + k])));
                ops.extend((common..old_len).map(|k| Op::Del(xt[old_index + k])));
                ops.extend((common..new_len).map(|k| Op::Ins(yt[new_index + k])));
            }
        }
    }
    let lead = ops.iter().take_while(|o| matches!(o, Op::Ins(_))).count();
    ops.drain(..lead);
    while matches!(ops.last(), Some(Op::Ins(_))) {
        ops.pop();
    }
    ops
}

/// Aligns all of `x` to the best stretch of `y` (free gaps at `y`'s ends).
fn semi_global(x: &[u64], y: &[u64], xt: &[u32], yt: &[u32]) -> Vec<Op> {
    let (n, m) = (x.len(), y.len());
    let w = m + 1;
    let mut d = vec![0u16; (n + 1) * w];
    for i in 1..=n {
        d[i * w] = i as u16;
        for j in 1..=m {
            let sub = d[(i - 1) * w + j - 1] + u16::from(x[i - 1] != y[j - 1]);
            let del = d[(i - 1) * w + j] + 1;
            let ins = d[i * w + j - 1] + 1;
            d[i * w + j] = sub.min(del).min(ins);
        }
    }
    // Best end in y; on ties the later end, which matches more words ("into the winter"
    // against "into winter" is one inserted word, not one replaced).
    let mut j = (0..=m).min_by_key(|&j| (d[n * w + j], std::cmp::Reverse(j))).unwrap_or(0);
    let mut i = n;
    let mut ops = Vec::with_capacity(n + 4);
    while i > 0 {
        let cur = d[i * w + j];
        if j > 0 && cur == d[(i - 1) * w + j - 1] + u16::from(x[i - 1] != y[j - 1]) {
            ops.push(if x[i - 1] == y[j - 1] {
                Op::Equal(xt[i - 1], yt[j - 1])
            } else {
                Op::Sub(xt[i - 1], yt[j - 1])
            });
            i -= 1;
            j -= 1;
        } else if cur == d[(i - 1) * w + j] + 1 {
            ops.push(Op::Del(xt[i - 1]));
            i -= 1;
        } else {
            ops.push(Op::Ins(yt[j - 1]));
            j -= 1;
        }
    }
    ops.reverse();
    // Edits at the very ends that only extend into the longer quote are not part of
    // the stretch: they are where the fragment stops.
    while matches!(ops.first(), Some(Op::Ins(_))) {
        ops.remove(0);
    }
    while matches!(ops.last(), Some(Op::Ins(_))) {
        ops.pop();
    }
    ops
}

/// Quotes of at most this many words may pair by slot.
const SLOT_MAX_WORDS: usize = 6;

/// The two content words before and after a quote in its sentence, as word keys.
fn context(d: &Analyzed, q: usize) -> (Option<[u64; 2]>, Option<[u64; 2]>) {
    let seg = &d.seg;
    let quote = &seg.quotes[q];
    let open = quote.tokens.start.saturating_sub(1);
    let Some(si) = seg.sentence_of(open).or_else(|| seg.sentence_of(quote.tokens.start)) else { return (None, None) };
    let s = &seg.sentences[si];
    let usable = |t: &Token| t.is_content() && !t.has(flag::QUOTED) && !t.has(flag::QMARK);
    let before: Vec<u64> =
        (s.tokens.start..open).rev().map(|i| seg.tokens[i as usize]).filter(usable).take(2).map(|t| t.key).collect();
    let after: Vec<u64> = (quote.tokens.end..s.tokens.end)
        .map(|i| seg.tokens[i as usize])
        .filter(usable)
        .take(2)
        .map(|t| t.key)
        .collect();
    let two = |v: Vec<u64>| (v.len() == 2).then(|| [v[0], v[1]]);
    (two(before), two(after))
}

fn slot_candidates(docs: &[Analyzed], qs: &[Q]) -> Vec<(u32, u32)> {
    let mut by_ctx: FxHashMap<(bool, [u64; 2]), Vec<u32>> = FxHashMap::default();
    for (i, q) in qs.iter().enumerate() {
        if q.words.len() > SLOT_MAX_WORDS {
            continue;
        }
        let (before, after) = context(&docs[q.r.doc as usize], q.r.quote as usize);
        if let Some(c) = before {
            by_ctx.entry((false, c)).or_default().push(i as u32);
        }
        if let Some(c) = after {
            by_ctx.entry((true, c)).or_default().push(i as u32);
        }
    }
    let mut out = Vec::new();
    for post in by_ctx.values().filter(|p| p.len() <= 16) {
        for (x, &i) in post.iter().enumerate() {
            for &j in &post[x + 1..] {
                out.push((i.min(j), i.max(j)));
            }
        }
    }
    out
}

/// Same slot, and the quotes look alike: a shared content word, or close spelling.
fn slot_match(docs: &[Analyzed], a: &Q, b: &Q) -> bool {
    if a.words.len() > SLOT_MAX_WORDS || b.words.len() > SLOT_MAX_WORDS {
        return false;
    }
    let (ab, aa) = context(&docs[a.r.doc as usize], a.r.quote as usize);
    let (bb, ba) = context(&docs[b.r.doc as usize], b.r.quote as usize);
    let same_slot = (ab.is_some() && ab == bb) || (aa.is_some() && aa == ba);
    if !same_slot {
        return false;
    }
    let content = |q: &Q, k: usize| docs[q.r.doc as usize].seg.tokens[q.words[k] as usize].is_content();
    let shared = (0..a.keys.len()).any(|k| content(a, k) && b.keys.contains(&a.keys[k]));
    let text = |q: &Q| {
        let d = &docs[q.r.doc as usize];
        let seg = &d.seg;
        fold(
            &d.doc.text[seg.tokens[q.words[0] as usize].start as usize
                ..seg.tokens[*q.words.last().expect("non-empty") as usize].end as usize],
        )
    };
    shared || strsim::normalized_levenshtein(&text(a), &text(b)) >= 0.5
}

/// A slot pair compares the whole quotes, aligned word by word.
fn slot_ops(a: &Q, b: &Q) -> Vec<Op> {
    let mut ops = diff_ops(&a.keys, &b.keys, &a.words, &b.words);
    // Keep words inserted at the ends: in a slot, the whole quote is the remark.
    if ops.is_empty() {
        ops = b.words.iter().map(|&w| Op::Ins(w)).collect();
    }
    ops
}
