use std::collections::BTreeMap;

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::{Event, Evidence, Rule, Sink, declare_rule};
use crate::Analyzed;
use crate::align::SentRef;
use crate::extract::{Number, Unit};

declare_rule! {
    /// ## What it does
    /// Compares the figures of sentences the aligner paired. Figures are compared by
    /// value after units and scales are normalised (£22bn is £22 billion, 2.3% is 2.3 per
    /// cent), and only where the words around them agree: one figure replaced by another
    /// of the same kind, between the same words.
    ///
    /// ## Why is this bad?
    /// Two reports of the same fact with different figures cannot both be right. A figure
    /// that one article leaves out is not a mismatch; a figure changed is.
    ///
    /// ## Example
    /// ```text
    /// 000: Russia’s defence ministry said it intercepted 84 Ukrainian drones over six regions.
    /// 002: Russia’s defence ministry said it intercepted 48 Ukrainian drones over six regions.
    /// ```
    /// number-mismatch: 84 in 000 but 48 in 002 ("intercepted … Ukrainian drones").
    pub struct NumberMismatch;
}

/// A sentence as compared: content words and whole figures, each as a key.
fn elements(d: &Analyzed, s: u32) -> (Vec<u64>, Vec<Option<usize>>) {
    let sent = &d.seg.sentences[s as usize];
    let nums = d.facts.numbers_in(&sent.tokens);
    let mut keys = Vec::new();
    let mut which = Vec::new();
    let mut t = sent.tokens.start;
    let mut ni = 0;
    while t < sent.tokens.end {
        if ni < nums.len() && nums[ni].tokens.start == t {
            keys.push(nums[ni].key());
            which.push(Some(ni));
            t = nums[ni].tokens.end;
            ni += 1;
            continue;
        }
        let tok = d.seg.tokens[t as usize];
        if tok.is_content() {
            keys.push(tok.key);
            which.push(None);
        }
        t += 1;
    }
    (keys, which)
}

/// Whether two lists of figures hold the same figures, in any order.
fn same_figures(a: &[Number], b: &[Number]) -> bool {
    let mut x: Vec<u64> = a.iter().map(Number::key).collect();
    let mut y: Vec<u64> = b.iter().map(Number::key).collect();
    x.sort_unstable();
    y.sort_unstable();
    x == y
}

/// Findings by (smaller value, larger value, the word before): message, evidence, wordings.
type Groups = BTreeMap<(i64, i64, u64), (String, Vec<Evidence>, [String; 2])>;

fn comparable(a: &Number, b: &Number) -> bool {
    a.unit == b.unit && !a.same_as(b) && !matches!(a.unit, Unit::Time)
}

impl Rule for NumberMismatch {
    fn check(&self, ev: &Event, sink: &mut Sink) {
        // Grouped by the two figures and the words before them, so one divergence seen
        // from several articles is one finding.
        let mut groups: Groups = BTreeMap::new();
        for p in &ev.alignment.pairs {
            let (da, db) = (&ev.docs[p.a.doc as usize], &ev.docs[p.b.doc as usize]);
            // Most pairs state the same figures or none: nothing to diff.
            let (na, nb) = (
                da.facts.numbers_in(&da.seg.sentences[p.a.sent as usize].tokens),
                db.facts.numbers_in(&db.seg.sentences[p.b.sent as usize].tokens),
            );
            if na.is_empty() || nb.is_empty() || same_figures(na, nb) {
                continue;
            }
            let (ka, wa) = elements(da, p.a.sent);
            let (kb, wb) = elements(db, p.b.sent);
            let ops = capture_diff_slices(Algorithm::Myers, &ka, &kb);
            for (k, op) in ops.iter().enumerate() {
                let DiffOp::Replace { old_index, old_len, new_index, new_len } = *op else { continue };
                // One figure for one figure, between equal words.
                if old_len != 1 || new_len != 1 {
                    continue;
                }
                let anchored = k > 0 && matches!(ops[k - 1], DiffOp::Equal { .. })
                    || matches!(ops.get(k + 1), Some(DiffOp::Equal { .. }));
                let (Some(ia), Some(ib)) = (wa[old_index], wb[new_index]) else { continue };
                let nums_a = da.facts.numbers_in(&da.seg.sentences[p.a.sent as usize].tokens);
                let nums_b = db.facts.numbers_in(&db.seg.sentences[p.b.sent as usize].tokens);
                let (na, nb) = (&nums_a[ia], &nums_b[ib]);
                if !anchored || !comparable(na, nb) {
                    continue;
                }
                let before = if old_index > 0 { ka[old_index - 1] } else { 0 };
                let (va, vb) = ((na.value * 1000.0) as i64, (nb.value * 1000.0) as i64);
                let key = (va.min(vb), va.max(vb), before);
                let ea = evidence(ev, p.a, na);
                let eb = evidence(ev, p.b, nb);
                let (ta, tb) = (ev.text(p.a.doc, &ea.span).to_string(), ev.text(p.b.doc, &eb.span).to_string());
                let g = groups.entry(key).or_insert_with(|| {
                    let message =
                        format!("{ta} in {} but {tb} in {} for the same fact", ev.id(p.a.doc), ev.id(p.b.doc));
                    (message, Vec::new(), [ta.clone(), tb.clone()])
                });
                g.1.push(ea);
                g.1.push(eb);
            }
        }
        for (_, (message, evidence, [ta, tb])) in groups {
            sink.push_diff(sink.severity(), message, evidence, &ta, &tb);
        }
    }
}

fn evidence(ev: &Event, r: SentRef, n: &Number) -> Evidence {
    let d = &ev.docs[r.doc as usize];
    Evidence { doc: r.doc, span: d.seg.span(&n.tokens), sentence: Some(r.sent) }
}
