//! Hedges: "is believed to be", "reportedly", "is expected to". The phrase lists are in
//! `rules/hedges.toml`.

use std::ops::Range;

use crate::rules::data::{HedgeKind, RuleData};
use crate::segment::Segmented;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hedge {
    pub sentence: u32,
    /// Byte range of the phrase in the document's text.
    pub range: Range<usize>,
    pub kind: HedgeKind,
    /// Index into the hedge phrase list.
    pub phrase: usize,
}

pub fn extract(text: &str, seg: &Segmented, data: &RuleData) -> Vec<Hedge> {
    let mut out = Vec::new();
    for (si, s) in seg.sentences.iter().enumerate() {
        let span = seg.span(&s.tokens);
        for m in data.hedges.find(&text[span.clone()]) {
            out.push(Hedge {
                sentence: si as u32,
                range: span.start + m.start..span.start + m.end,
                kind: m.kind,
                phrase: m.phrase,
            });
        }
    }
    out
}
