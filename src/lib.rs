//! factdiff checks whether several articles about the same event tell the same facts.
//!
//! The pipeline runs one way through one module per stage:
//! [`ingest`] → [`clean`] → [`segment`] → [`extract`] → [`align`] → [`rules`] → [`report`],
//! with [`cluster`] grouping an archive into events for `batch`. [`check`] runs it on one
//! event.

pub mod clean;
pub mod extract;
pub mod ingest;
pub mod rules;
pub mod segment;
pub mod text;

use ingest::Document;
use rules::data::RuleData;

/// One document carried through cleaning, segmentation and extraction.
#[derive(Debug, Clone)]
pub struct Analyzed {
    pub doc: Document,
    pub cleaned: clean::Cleaned,
    pub seg: segment::Segmented,
    pub facts: extract::Facts,
}

impl Analyzed {
    /// The date of the document: its metadata, else its `date` header.
    pub fn date(&self) -> Option<&str> {
        self.doc.meta.date.as_deref().or(self.cleaned.date.as_deref())
    }

    /// The text of sentence `i` as written.
    pub fn sentence_text(&self, i: usize) -> &str {
        &self.doc.text[self.seg.span(&self.seg.sentences[i].tokens)]
    }
}

/// Cleans, segments and extracts one document.
pub fn analyze(doc: Document, data: &RuleData) -> Analyzed {
    let cleaned = clean::clean(&doc, data);
    let seg = segment::segment(&doc.text, &cleaned.paragraphs, &data.abbreviations);
    let facts = extract::extract(&doc.text, &seg, data);
    Analyzed { doc, cleaned, seg, facts }
}
