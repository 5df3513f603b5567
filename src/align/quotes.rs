//! Quote alignment: which quotations render the same remark.
//!
//! A shorter quote is aligned word by word inside a longer one (edit distance with free
//! ends in the longer, so a fragment finds its place); words in brackets are the
//! editor's, not the speaker's, and are skipped. Short quotes that share few words
//! are still paired when they fill the same slot of the same sentence: the two content
//! words before (or after) the quote agree.

use rustc_hash::FxHashMap;
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

    // Candidates: quotes sharing a content word that is not everywhere.
    let mut index: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (i, q) in qs.iter().enumerate() {
        let mut seen: Vec<u64> = Vec::new();
        for (k, &w) in q.words.iter().enumerate() {
            if tok(q.r, w).is_content() && !seen.contains(&q.keys[k]) {
                seen.push(q.keys[k]);
                index.entry(q.keys[k]).or_default().push(i as u32);
            }
        }
    }
    let cap = (qs.len() / 3).max(16);
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
        .filter(|&((i, j), n)| n >= 2 || qs[i as usize].words.len().min(qs[j as usize].words.len()) <= 3)
        .map(|(p, _)| p)
        .collect();
    cands.extend(slot_candidates(docs, &qs));
    cands.sort_unstable();
    cands.dedup();

    let mut out = Vec::new();
    for (i, j) in cands {
        let (qi, qj) = (&qs[i as usize], &qs[j as usize]);
        // The shorter is compared whole; ties keep text order.
        let (a, b) = if qj.words.len() < qi.words.len() { (qj, qi) } else { (qi, qj) };
        if let Some(p) = pair(docs, a, b) {
            out.push(p);
        }
    }
    out.sort_by_key(|p| (p.a, p.b));
    out
}

/// The speaker keys of both quotes, when both are known.
fn speakers(docs: &[Analyzed], a: QuoteRef, b: QuoteRef) -> Option<(&str, &str)> {
    let sa = docs[a.doc as usize].facts.quotes[a.quote as usize].speaker.as_ref()?.key.as_deref()?;
    let sb = docs[b.doc as usize].facts.quotes[b.quote as usize].speaker.as_ref()?.key.as_deref()?;
    Some((sa, sb))
}

fn pair(docs: &[Analyzed], a: &Q, b: &Q) -> Option<QuotePair> {
    let different_speakers = speakers(docs, a.r, b.r).is_some_and(|(x, y)| !same_speaker(x, y));
    // In one article, two speakers saying alike things are two remarks.
    if a.r.doc == b.r.doc && different_speakers {
        return None;
    }
    let ops = match word_ops(a, b) {
        Some(ops) => ops,
        None => {
            return slot_match(docs, a, b).then(|| QuotePair { a: a.r, b: b.r, ops: slot_ops(a, b), how: How::Slot });
        }
    };
    let content = |r: QuoteRef, t: u32| docs[r.doc as usize].seg.tokens[t as usize].is_content();
    let matched = ops.iter().filter(|o| matches!(o, Op::Equal(..))).count();
    let matched_content = ops.iter().filter(|o| matches!(o, Op::Equal(x, _) if content(a.r, *x))).count();
    let edits = ops.len() - matched;
    let n = a.words.len();
    let same_text = if n == 1 {
        matched == 1 && matched_content == 1
    } else {
        // Most words agree, or all but one: "pretty close to a deal" and "better be close
        // to a deal" share four words but are two remarks.
        let share = matched as f32 / n as f32;
        matched >= 2 && (share >= 0.75 || (share >= 0.6 && edits <= 1)) && (matched_content >= 2 || n <= 3)
    };
    // Across articles, near-identical words from two named speakers are one remark
    // credited twice (an attribution mismatch); anything looser is two remarks.
    let same_text = same_text && (!different_speakers || (n >= 5 && edits <= 1));
    if same_text {
        return Some(QuotePair { a: a.r, b: b.r, ops, how: How::Text });
    }
    if slot_match(docs, a, b) {
        let ops = slot_ops(a, b);
        return Some(QuotePair { a: a.r, b: b.r, ops, how: How::Slot });
    }
    None
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
    let present = a.keys.iter().filter(|k| b.keys.contains(k)).count();
    if n > 1 && (present as f32) < 0.6 * n as f32 {
        return None;
    }
    let hits: Vec<usize> = (0..b.keys.len()).filter(|&j| a.keys.contains(&b.keys[j])).collect();
    let (first, last) = (*hits.first()?, *hits.last()?);
    let lo = first.saturating_sub(n / 2 + 2);
    let hi = (last + n / 2 + 3).min(b.keys.len());
    Some(semi_global(&a.keys, &b.keys[lo..hi], &a.words, &b.words[lo..hi]))
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
    let diff = similar::capture_diff_slices(similar::Algorithm::Myers, &a.keys, &b.keys);
    let mut ops = Vec::new();
    for op in diff {
        match op {
            similar::DiffOp::Equal { old_index, new_index, len } => {
                ops.extend((0..len).map(|k| Op::Equal(a.words[old_index + k], b.words[new_index + k])));
            }
            similar::DiffOp::Delete { old_index, old_len, .. } => {
                ops.extend((0..old_len).map(|k| Op::Del(a.words[old_index + k])))
            }
            similar::DiffOp::Insert { new_index, new_len, .. } => {
                ops.extend((0..new_len).map(|k| Op::Ins(b.words[new_index + k])))
            }
            similar::DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                let common = old_len.min(new_len);
                ops.extend((0..common).map(|k| Op::Sub(a.words[old_index + k], b.words[new_index + k])));
                ops.extend((common..old_len).map(|k| Op::Del(a.words[old_index + k])));
                ops.extend((common..new_len).map(|k| Op::Ins(b.words[new_index + k])));
            }
        }
    }
    ops
}
