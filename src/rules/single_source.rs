use super::{Event, Evidence, Rule, Sink, declare_rule};
use crate::extract::{Number, Unit};

/// A figure worth checking at its source.
fn checkable(n: &Number) -> bool {
    match n.unit {
        Unit::Percent | Unit::Currency(_) => true,
        Unit::Plain => n.value >= 10.0,
        _ => false,
    }
}

declare_rule! {
    /// ## What it does
    /// Lists figures only one article carries: a sentence with a percentage, a sum of
    /// money or a count of ten or more that no sentence of any other article in the event
    /// resembles. Years, times and small counts are left out, as are quotations: every
    /// article has quotes of its own. Only reported when the event has two articles or more.
    ///
    /// ## Why is this bad?
    /// It is not wrong in itself, which is why it is info. But a figure or a quote that no
    /// other outlet reports is where an editor checks the source first.
    ///
    /// ## Example
    /// ```text
    /// 002: Trade will also be on the agenda, with Trump saying he will impose a blanket 20% tariff on imports into the US.
    /// 000: Sir Keir met Mr Macron in Paris on Monday.
    /// ```
    /// single-source: only 002 reports this figure: “20%”.
    pub struct SingleSource;
}

/// Below this similarity to every sentence of the other articles, a sentence is alone.
const ALONE: f32 = 0.25;

impl Rule for SingleSource {
    fn check(&self, ev: &Event, sink: &mut Sink) {
        if ev.docs.len() < 2 {
            return;
        }
        for (di, d) in ev.docs.iter().enumerate() {
            for (si, s) in d.seg.sentences.iter().enumerate() {
                if ev.alignment.best_other[di][si] >= ALONE {
                    continue;
                }
                let Some(n) = d.facts.numbers_in(&s.tokens).iter().find(|n| checkable(n)) else { continue };
                let span = d.seg.span(&n.tokens);
                let message = format!("only {} reports this figure: “{}”", d.doc.id, &d.doc.text[span.clone()]);
                sink.push(sink.severity(), message, vec![Evidence { doc: di as u32, span, sentence: Some(si as u32) }]);
            }
        }
    }
}
