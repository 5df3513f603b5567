use std::collections::BTreeMap;
use std::ops::Range;

use super::{Event, Evidence, Rule, Severity, Sink, declare_rule};
use crate::align::{Op, QuotePair, QuoteRef, quote_words};
use crate::text::hash64;
use rustc_hash::FxHashMap;

declare_rule! {
    /// ## What it does
    /// Finds one remark quoted with different words: two quotations that the aligner
    /// pairs (the same words, a fragment of a longer quote, or the same slot in the same
    /// sentence) but whose words differ.
    ///
    /// ## Why is this bad?
    /// Words inside quotation marks promise the speaker's exact words. When two articles,
    /// or one article in two places, quote a remark differently, at most one of them can
    /// be right. A changed content word is an error; a changed function word ("in" for
    /// "for") is a warning.
    ///
    /// ## Example
    /// ```text
    /// 000: Their meeting comes as questions are asked about Donald Trump’s support for Ukraine after he said he could end the war “in one day”.
    /// 001: During his campaign, the president-elect has insisted he would find a solution to end the war “within a day” without explaining how.
    /// ```
    /// quote-drift: quoted as “in one day” in 000 but “within a day” in 001.
    ///
    /// Words an editor adds in brackets (“over (Vladimir) Putin’s invasion”) and a quote
    /// that stops short of the full remark are not drift.
    pub struct QuoteDrift;
}

/// A divergence: its severity and the quotes on each side.
type Group = (Severity, Vec<Side>, Vec<Side>);

/// One side of a drift: which quote, the words compared, and the words that differ.
struct Side {
    quote: QuoteRef,
    /// Byte range of the compared words.
    whole: Range<usize>,
    /// Byte range of the differing words (with a neighbour for a pure insertion).
    diff: Range<usize>,
}

/// The event's quotes: each one's words, and the quotes with the very same words (the
/// same remark quoted identically in several articles), which stand together on their
/// side of a drift.
struct Quotes {
    words: FxHashMap<QuoteRef, Vec<u32>>,
    copies: FxHashMap<u64, Vec<QuoteRef>>,
    key: FxHashMap<QuoteRef, u64>,
}

impl Quotes {
    fn new(ev: &Event) -> Self {
        let mut q = Quotes { words: FxHashMap::default(), copies: FxHashMap::default(), key: FxHashMap::default() };
        for (di, d) in ev.docs.iter().enumerate() {
            for qi in 0..d.seg.quotes.len() {
                let r = QuoteRef { doc: di as u32, quote: qi as u32 };
                let words = quote_words(d, qi);
                let key = hash64(&words.iter().map(|&t| d.seg.tokens[t as usize].key).collect::<Vec<_>>());
                q.copies.entry(key).or_default().push(r);
                q.key.insert(r, key);
                q.words.insert(r, words);
            }
        }
        q
    }

    /// The side of quote `other`, identical in words to `side`'s quote.
    fn mirror(&self, ev: &Event, side: &Side, other: QuoteRef) -> Option<Side> {
        let (d0, d1) = (&ev.docs[side.quote.doc as usize], &ev.docs[other.doc as usize]);
        let (w0, w1) = (&self.words[&side.quote], &self.words[&other]);
        let lo = w0.iter().position(|&t| d0.seg.tokens[t as usize].start as usize >= side.diff.start)?;
        let hi = w0.iter().rposition(|&t| (d0.seg.tokens[t as usize].start as usize) < side.diff.end)?;
        let r = |ws: &[u32], a: usize, b: usize| {
            d1.seg.tokens[ws[a] as usize].start as usize..d1.seg.tokens[ws[b] as usize].end as usize
        };
        Some(Side { quote: other, whole: r(w1, 0, w1.len() - 1), diff: r(w1, lo, hi.max(lo)) })
    }

    /// Adds `side` and its identical copies to a side of a group, once each.
    fn add(&self, ev: &Event, list: &mut Vec<Side>, side: Side) {
        if list.iter().any(|x| x.quote == side.quote) {
            return;
        }
        let copies: Vec<Side> = self.copies[&self.key[&side.quote]]
            .iter()
            .filter(|&&q| q != side.quote && !list.iter().any(|x| x.quote == q))
            .filter_map(|&q| self.mirror(ev, &side, q))
            .collect();
        list.push(side);
        list.extend(copies);
    }
}

/// What a divergence is known by: the words compared on each side, as keys.
fn words_key(ev: &Event, side: &Side) -> u64 {
    let d = &ev.docs[side.quote.doc as usize];
    let first = d.seg.tokens.partition_point(|t| (t.start as usize) < side.whole.start);
    let keys: Vec<u64> = d.seg.tokens[first..]
        .iter()
        .take_while(|t| (t.end as usize) <= side.whole.end)
        .filter(|t| t.is_word())
        .map(|t| t.key)
        .collect();
    hash64(&keys)
}

impl Rule for QuoteDrift {
    fn check(&self, ev: &Event, sink: &mut Sink) {
        if ev.alignment.quote_pairs.iter().all(|p| !p.differs()) {
            return;
        }
        let quotes = Quotes::new(ev);
        // Several pairs can show one divergence (three copies of a quote against a
        // fourth): they are grouped by the two wordings compared, so each is one finding.
        let mut groups: BTreeMap<(u64, u64), Group> = BTreeMap::new();
        for p in ev.alignment.quote_pairs.iter().filter(|p| p.differs()) {
            let Some((a, b, content)) = sides(ev, p) else { continue };
            let (ka, kb) = (words_key(ev, &a), words_key(ev, &b));
            let severity = if content { sink.severity() } else { Severity::Warning.min(sink.severity()) };
            let (key, first, second) = if ka <= kb { ((ka, kb), a, b) } else { ((kb, ka), b, a) };
            let g = groups.entry(key).or_insert((severity, Vec::new(), Vec::new()));
            g.0 = g.0.max(severity);
            quotes.add(ev, &mut g.1, first);
            quotes.add(ev, &mut g.2, second);
        }
        for (_, (severity, mut one, mut two)) in groups {
            // The earliest quote of each side leads, so the message is stable.
            one.sort_by_key(|s| (s.quote, s.diff.start));
            two.sort_by_key(|s| (s.quote, s.diff.start));
            if two[0].quote < one[0].quote {
                std::mem::swap(&mut one, &mut two);
            }
            let (ta, tb) = (ev.text(one[0].quote.doc, &one[0].whole), ev.text(two[0].quote.doc, &two[0].whole));
            let message = format!(
                "quoted as “{ta}” in {} but “{tb}” in {}",
                ev.ids(one.iter().map(|s| s.quote.doc)),
                ev.ids(two.iter().map(|s| s.quote.doc)),
            );
            let evidence =
                one.iter().chain(two.iter()).map(|s| Evidence::at(ev.docs, s.quote.doc, s.diff.clone())).collect();
            sink.push_diff(severity, message, evidence, ta, tb);
        }
    }
}

/// The two sides of a differing pair, and whether a content word differs.
fn sides(ev: &Event, p: &QuotePair) -> Option<(Side, Side, bool)> {
    let tok = |d: u32, t: u32| ev.docs[d as usize].seg.tokens[t as usize];
    let (da, db) = (p.a.doc, p.b.doc);
    let a_toks: Vec<u32> = p
        .ops
        .iter()
        .filter_map(|o| match *o {
            Op::Equal(x, _) | Op::Sub(x, _) | Op::Del(x) => Some(x),
            Op::Ins(_) => None,
        })
        .collect();
    let b_toks: Vec<u32> = p
        .ops
        .iter()
        .filter_map(|o| match *o {
            Op::Equal(_, y) | Op::Sub(_, y) | Op::Ins(y) => Some(y),
            Op::Del(_) => None,
        })
        .collect();
    let span = |d: u32, ts: &[u32]| -> Option<Range<usize>> {
        Some(tok(d, *ts.first()?).start as usize..tok(d, *ts.last()?).end as usize)
    };
    let whole_a = span(da, &a_toks)?;
    let whole_b = span(db, &b_toks)?;
    // Differing words on each side; a side with none (the other inserted words) takes
    // the equal words around the change so the evidence shows where.
    let first = p.ops.iter().position(|o| !matches!(o, Op::Equal(..)))?;
    let last = p.ops.iter().rposition(|o| !matches!(o, Op::Equal(..)))?;
    let lo = first.saturating_sub(1);
    let hi = (last + 1).min(p.ops.len() - 1);
    let pick = |ops: &[Op], side_a: bool| -> Vec<u32> {
        ops.iter()
            .filter_map(|o| match (*o, side_a) {
                (Op::Sub(x, _) | Op::Del(x), true) => Some(x),
                (Op::Sub(_, y) | Op::Ins(y), false) => Some(y),
                _ => None,
            })
            .collect()
    };
    let around = |side_a: bool| -> Vec<u32> {
        p.ops[lo..=hi]
            .iter()
            .filter_map(|o| match (*o, side_a) {
                (Op::Equal(x, _) | Op::Sub(x, _) | Op::Del(x), true) => Some(x),
                (Op::Equal(_, y) | Op::Sub(_, y) | Op::Ins(y), false) => Some(y),
                _ => None,
            })
            .collect()
    };
    let diff_a = pick(&p.ops[first..=last], true);
    let diff_b = pick(&p.ops[first..=last], false);
    let content = diff_a.iter().any(|&t| tok(da, t).is_content()) || diff_b.iter().any(|&t| tok(db, t).is_content());
    let shown_a = if diff_a.is_empty() { around(true) } else { diff_a };
    let shown_b = if diff_b.is_empty() { around(false) } else { diff_b };
    let da_span = span(da, &shown_a)?;
    let db_span = span(db, &shown_b)?;
    Some((
        Side { quote: p.a, whole: whole_a, diff: da_span },
        Side { quote: p.b, whole: whole_b, diff: db_span },
        content,
    ))
}
