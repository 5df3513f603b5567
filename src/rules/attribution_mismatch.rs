use std::collections::BTreeMap;

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

impl Rule for AttributionMismatch {
    fn check(&self, ev: &Event, sink: &mut Sink) {
        let mut found: BTreeMap<(String, String, String), Vec<Evidence>> = BTreeMap::new();
        let note =
            |what: &str, x: (u32, &Attribution), y: (u32, &Attribution), found: &mut BTreeMap<_, Vec<Evidence>>| {
                let d = |doc: u32| &ev.docs[doc as usize];
                if let (Some(sa), Some(sb)) = (&x.1.speaker, &y.1.speaker)
                    && let (Some(ka), Some(kb)) = (&sa.key, &sb.key)
                    && !same_speaker(ka, kb)
                {
                    let (na, nb) =
                        (sa.name.clone().unwrap_or_else(|| ka.clone()), sb.name.clone().unwrap_or_else(|| kb.clone()));
                    let key = (what.to_string(), na.clone().min(nb.clone()), na.clone().max(nb.clone()));
                    let e = found.entry(key).or_default();
                    e.push(Evidence::at(ev.docs, x.0, d(x.0).seg.span(&sa.tokens)));
                    e.push(Evidence::at(ev.docs, y.0, d(y.0).seg.span(&sb.tokens)));
                }
                if let (Some(oa), Some(ob)) = (&x.1.outlet, &y.1.outlet)
                    && oa.key != ob.key
                {
                    let (ta, tb) = (
                        ev.text(x.0, &d(x.0).seg.span(&oa.tokens)).to_string(),
                        ev.text(y.0, &d(y.0).seg.span(&ob.tokens)).to_string(),
                    );
                    let key = (format!("{what}/outlet"), ta.clone().min(tb.clone()), ta.max(tb));
                    let e = found.entry(key).or_default();
                    e.push(Evidence::at(ev.docs, x.0, d(x.0).seg.span(&oa.tokens)));
                    e.push(Evidence::at(ev.docs, y.0, d(y.0).seg.span(&ob.tokens)));
                }
            };
        for p in ev.alignment.quote_pairs.iter().filter(|p| p.a.doc != p.b.doc) {
            let qa = &ev.docs[p.a.doc as usize].facts.quotes[p.a.quote as usize];
            let qb = &ev.docs[p.b.doc as usize].facts.quotes[p.b.quote as usize];
            note("quote", (p.a.doc, qa), (p.b.doc, qb), &mut found);
        }
        for p in &ev.alignment.pairs {
            let ca = &ev.docs[p.a.doc as usize].facts.claims[p.a.sent as usize];
            let cb = &ev.docs[p.b.doc as usize].facts.claims[p.b.sent as usize];
            if let (Some(ca), Some(cb)) = (ca, cb)
                && p.score >= 0.6
            {
                note("claim", (p.a.doc, ca), (p.b.doc, cb), &mut found);
            }
        }
        for ((what, x, y), evidence) in found {
            let docs_of =
                |name: &str| ev.ids(evidence.iter().filter(|e| ev.text(e.doc, &e.span).contains(name)).map(|e| e.doc));
            let subject = if what.starts_with("quote") { "the same quote" } else { "the same claim" };
            let message = if what.ends_with("/outlet") {
                format!("{subject} is told to “{x}” in {} but to “{y}” in {}", docs_of(&x), docs_of(&y))
            } else {
                format!("{subject} is credited to “{x}” in {} but to “{y}” in {}", docs_of(&x), docs_of(&y))
            };
            sink.push_diff(sink.severity(), message, evidence, &x, &y);
        }
    }
}
