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
    // One search per paragraph rather than per sentence: the matcher's start-up costs
    // more than its scan.
    let mut out = Vec::new();
    for p in &seg.paragraphs {
        for m in data.hedges.find(&text[p.clone()]) {
            let (start, end) = (p.start + m.start, p.start + m.end);
            let tok = seg.tokens.partition_point(|t| (t.end as usize) <= start) as u32;
            let Some(sentence) = seg.sentence_of(tok) else { continue };
            out.push(Hedge { sentence: sentence as u32, range: start..end, kind: m.kind, phrase: m.phrase });
        }
    }
    out
}
