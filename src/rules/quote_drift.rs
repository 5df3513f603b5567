use std::collections::BTreeMap;
use std::ops::Range;

use super::{Event, Evidence, Rule, Severity, Sink, declare_rule};
use crate::align::{Op, QuotePair, QuoteRef, quote_words};
use crate::text::fold;

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

/// Quotes with the very same words as another (the same remark quoted identically in
/// several articles): each stands with the others on its side of a drift.
fn identical(ev: &Event) -> BTreeMap<QuoteRef, Vec<QuoteRef>> {
    let mut same: BTreeMap<QuoteRef, Vec<QuoteRef>> = BTreeMap::new();
    for p in ev.alignment.quote_pairs.iter().filter(|p| !p.differs()) {
        let len = |r: QuoteRef| quote_words(&ev.docs[r.doc as usize], r.quote as usize).len();
        if len(p.a) == len(p.b) {
            same.entry(p.a).or_default().push(p.b);
            same.entry(p.b).or_default().push(p.a);
        }
    }
    same
}

/// The side of quote `other`, identical in words to `side`'s quote.
fn mirror(ev: &Event, side: &Side, other: QuoteRef) -> Option<Side> {
    let (d0, d1) = (&ev.docs[side.quote.doc as usize], &ev.docs[other.doc as usize]);
    let (w0, w1) = (quote_words(d0, side.quote.quote as usize), quote_words(d1, other.quote as usize));
    let lo = w0.iter().position(|&t| d0.seg.tokens[t as usize].start as usize >= side.diff.start)?;
    let hi = w0.iter().rposition(|&t| (d0.seg.tokens[t as usize].start as usize) < side.diff.end)?;
    let r = |ws: &[u32], a: usize, b: usize| {
        d1.seg.tokens[ws[a] as usize].start as usize..d1.seg.tokens[ws[b] as usize].end as usize
    };
    Some(Side { quote: other, whole: r(&w1, 0, w1.len() - 1), diff: r(&w1, lo, hi.max(lo)) })
}

impl Rule for QuoteDrift {
    fn check(&self, ev: &Event, sink: &mut Sink) {
        let same = identical(ev);
        // Several pairs can show one divergence (three copies of a quote against a
        // fourth): they are grouped by the two texts compared, so each is one finding.
        let mut groups: BTreeMap<(String, String), Group> = BTreeMap::new();
        for p in ev.alignment.quote_pairs.iter().filter(|p| p.differs()) {
            let Some((a, b, content)) = sides(ev, p) else { continue };
            let ka = fold(ev.text(a.quote.doc, &a.whole));
            let kb = fold(ev.text(b.quote.doc, &b.whole));
            let severity = if content { sink.severity() } else { Severity::Warning.min(sink.severity()) };
            let (key, first, second) = if ka <= kb { ((ka, kb), a, b) } else { ((kb, ka), b, a) };
            let g = groups.entry(key).or_insert((severity, Vec::new(), Vec::new()));
            g.0 = g.0.max(severity);
            for (list, side) in [(1, first), (2, second)] {
                let v = if list == 1 { &mut g.1 } else { &mut g.2 };
                let copies: Vec<Side> =
                    same.get(&side.quote).into_iter().flatten().filter_map(|&q| mirror(ev, &side, q)).collect();
                for s in std::iter::once(side).chain(copies) {
                    if !v.iter().any(|x| x.quote == s.quote) {
                        v.push(s);
                    }
                }
            }
        }
        for (_, (severity, one, two)) in groups {
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
