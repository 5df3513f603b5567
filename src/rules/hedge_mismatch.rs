use std::collections::BTreeMap;

use rustc_hash::FxHashSet;

use super::{Event, Evidence, Rule, Severity, Sink, declare_rule};
use crate::align::SentRef;
use crate::rules::data::HedgeKind;

declare_rule! {
    /// ## What it does
    /// For sentences the aligner paired, finds a claim hedged in one ("is believed to
    /// be", "reportedly") and stated as plain fact in the other. The hedge must govern
    /// words the other sentence also has, so a hedge elsewhere in the sentence does not
    /// count. Hedges of doubt are warnings; forecasts ("is expected to") are info, since
    /// a preview and the report after the event differ this way by nature. The phrase
    /// lists are in `rules/hedges.toml`.
    ///
    /// ## Why is this bad?
    /// Dropping a hedge turns a claim the reporter could not confirm into a fact; adding
    /// one casts doubt on something established. Either way one article misstates how
    /// much is known.
    ///
    /// ## Example
    /// ```text
    /// 002: Sir Keir – who is believed to be the first British leader to attend the ceremony since Winston Churchill in 1944 – will also meet Michel Barnier.
    /// 000: Macron thanked Sir Keir for being the first British leader at the ceremony since Winston Churchill in 1944.
    /// ```
    /// hedge-mismatch: 002 hedges “is believed to” (first British leader) where 000 states it.
    pub struct HedgeMismatch;
}

/// Per hedge (document, offset): severity, message head, evidence.
type Found = BTreeMap<(u32, usize), (Severity, String, Vec<Evidence>)>;

/// Content words a hedge governs.
const SCOPE: usize = 6;

impl Rule for HedgeMismatch {
    fn check(&self, ev: &Event, sink: &mut Sink) {
        // One finding per hedge, with every article that states the claim plainly.
        let mut found: Found = BTreeMap::new();
        for p in &ev.alignment.pairs {
            for (hedged, plain) in [(p.a, p.b), (p.b, p.a)] {
                check_one(ev, hedged, plain, &mut found);
            }
        }
        for (_, (severity, head, evidence)) in found {
            let message = format!("{head} where {} states it", ev.ids(evidence[1..].iter().map(|e| e.doc)));
            sink.push(severity.min(sink.severity()), message, evidence);
        }
    }
}

fn stems_of(ev: &Event, r: SentRef, from: usize) -> Vec<(u64, u32)> {
    let d = &ev.docs[r.doc as usize];
    let s = &d.seg.sentences[r.sent as usize];
    (s.tokens.start..s.tokens.end)
        .filter(|&t| d.seg.tokens[t as usize].start as usize >= from && d.seg.tokens[t as usize].is_content())
        .map(|t| (d.seg.tokens[t as usize].stem, t))
        .collect()
}

fn check_one(ev: &Event, hedged: SentRef, plain: SentRef, found: &mut Found) {
    let dh = &ev.docs[hedged.doc as usize];
    let dp = &ev.docs[plain.doc as usize];
    if !dp.facts.hedges_in(plain.sent).is_empty() {
        return;
    }
    for h in dh.facts.hedges_in(hedged.sent) {
        let scope: Vec<(u64, u32)> = stems_of(ev, hedged, h.range.end).into_iter().take(SCOPE).collect();
        if scope.len() < 2 {
            continue;
        }
        let plain_stems = stems_of(ev, plain, 0);
        let have: FxHashSet<u64> = plain_stems.iter().map(|s| s.0).collect();
        let shared: Vec<u32> = scope.iter().filter(|s| have.contains(&s.0)).map(|s| s.1).collect();
        if shared.len() < 2 || (shared.len() as f32) < 0.5 * scope.len() as f32 {
            continue;
        }
        // Where the other article states it: its words that the hedge governs here.
        let scope_stems: FxHashSet<u64> = scope.iter().map(|s| s.0).collect();
        let mine: Vec<u32> = plain_stems.iter().filter(|s| scope_stems.contains(&s.0)).map(|s| s.1).collect();
        let tok = |d: &crate::Analyzed, t: u32| d.seg.tokens[t as usize];
        let plain_span = tok(dp, mine[0]).start as usize..tok(dp, *mine.last().expect("shared")).end as usize;
        let claim_span = tok(dh, shared[0]).start as usize..tok(dh, *shared.last().expect("shared")).end as usize;
        let severity = match h.kind {
            HedgeKind::Epistemic => Severity::Warning,
            HedgeKind::Forecast => Severity::Info,
        };
        let entry = found.entry((hedged.doc, h.range.start)).or_insert_with(|| {
            let head = format!(
                "{} hedges “{}” ({})",
                ev.id(hedged.doc),
                ev.text(hedged.doc, &h.range),
                ev.text(hedged.doc, &claim_span)
            );
            (severity, head, vec![Evidence::at(ev.docs, hedged.doc, h.range.clone())])
        });
        entry.2.push(Evidence { doc: plain.doc, span: plain_span, sentence: Some(plain.sent) });
    }
}
