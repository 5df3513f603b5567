use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::{Event, Evidence, Rule, Sink, declare_rule};
use crate::extract::Attribution;
use crate::extract::attribution::same_speaker;

declare_rule! {
    /// ## What it does
    /// Compares who is credited with a remark. For quotations the aligner paired across
    /// articles, and for paired sentences that each say who made their claim, it reports
    /// a different named speaker ("Mr Healey" / "Mr Jones") or a different outlet ("told
    /// Sky News" / "told the BBC"). Aliases count as one speaker ("Downing Street",
    /// "Number 10"); speakers that name no one ("a readout", "officials", "he" with no
    /// one to refer to) are never compared.
    ///
    /// ## Why is this bad?
    /// Words put in the wrong mouth, or an interview credited to the wrong broadcaster,
    /// misinform and may defame.
    ///
    /// ## Example
    /// ```text
    /// 000: “We have stepped up our support of Ukraine,” Mr Healey told Sky News.
    /// 001: “We have stepped up our support of Ukraine,” Mr Healey told the BBC.
    /// ```
    /// attribution-mismatch: the same quote is told to “Sky News” in 000 but to “BBC” in 001.
    pub struct AttributionMismatch;
}

/// One credit as compared: (who, document) and where it is written.
type Place = ((String, u32), Range<usize>);

/// The documents on each side of a mismatch, and the evidence.
#[derive(Default)]
struct Side {
    docs: (BTreeSet<u32>, BTreeSet<u32>),
    evidence: Vec<Evidence>,
}

impl Rule for AttributionMismatch {
    fn check(&self, ev: &Event, sink: &mut Sink) {
        let mut found: BTreeMap<(&str, String, String), Side> = BTreeMap::new();
        let note = |what: &'static str, (xa, sa): Place, (xb, sb): Place, found: &mut BTreeMap<_, Side>| {
            let key =
                if xa.0 <= xb.0 { (what, xa.0.clone(), xb.0.clone()) } else { (what, xb.0.clone(), xa.0.clone()) };
            let (first, second) = if xa.0 <= xb.0 { ((xa, sa), (xb, sb)) } else { ((xb, sb), (xa, sa)) };
            let side = found.entry(key).or_default();
            side.docs.0.insert(first.0.1);
            side.docs.1.insert(second.0.1);
            side.evidence.push(Evidence::at(ev.docs, first.0.1, first.1));
            side.evidence.push(Evidence::at(ev.docs, second.0.1, second.1));
        };
        let compare = |what: &'static str,
                       (da, a): (u32, &Attribution),
                       (db, b): (u32, &Attribution),
                       found: &mut BTreeMap<_, Side>| {
            let span = |doc: u32, t: &Range<u32>| ev.docs[doc as usize].seg.span(t);
            if let (Some(sa), Some(sb)) = (&a.speaker, &b.speaker)
                && !sa.inferred
                && !sb.inferred
                && let (Some(ka), Some(kb)) = (&sa.key, &sb.key)
                && !same_speaker(ka, kb)
            {
                let name = |s: &crate::extract::Speaker, k: &String| s.name.clone().unwrap_or_else(|| k.clone());
                note(
                    what,
                    ((name(sa, ka), da), span(da, &sa.tokens)),
                    ((name(sb, kb), db), span(db, &sb.tokens)),
                    found,
                );
            }
            if let (Some(oa), Some(ob)) = (&a.outlet, &b.outlet)
                && oa.key != ob.key
            {
                let (ra, rb) = (span(da, &oa.tokens), span(db, &ob.tokens));
                let (ta, tb) = (ev.text(da, &ra).to_string(), ev.text(db, &rb).to_string());
                let what = if what == "quote" { "quote/outlet" } else { "claim/outlet" };
                note(what, ((ta, da), ra), ((tb, db), rb), found);
            }
        };
        for p in ev.alignment.quote_pairs.iter().filter(|p| p.a.doc != p.b.doc) {
            let qa = &ev.docs[p.a.doc as usize].facts.quotes[p.a.quote as usize];
            let qb = &ev.docs[p.b.doc as usize].facts.quotes[p.b.quote as usize];
            compare("quote", (p.a.doc, qa), (p.b.doc, qb), &mut found);
        }
        for p in &ev.alignment.pairs {
            let ca = &ev.docs[p.a.doc as usize].facts.claims[p.a.sent as usize];
            let cb = &ev.docs[p.b.doc as usize].facts.claims[p.b.sent as usize];
            if let (Some(ca), Some(cb)) = (ca, cb)
                && p.score >= 0.6
            {
                compare("claim", (p.a.doc, ca), (p.b.doc, cb), &mut found);
            }
        }
        for ((what, x, y), side) in found {
            let subject = if what.starts_with("quote") { "the same quote" } else { "the same claim" };
            let (dx, dy) = (ev.ids(side.docs.0.iter().copied()), ev.ids(side.docs.1.iter().copied()));
            let message = if what.ends_with("/outlet") {
                format!("{subject} is told to “{x}” in {dx} but to “{y}” in {dy}")
            } else {
                format!("{subject} is credited to “{x}” in {dx} but to “{y}” in {dy}")
            };
            sink.push_diff(sink.severity(), message, side.evidence, &x, &y);
        }
    }
}
