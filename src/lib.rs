//! factdiff checks whether several articles about the same event tell the same facts.
//!
//! The pipeline runs one way through one module per stage:
//! [`ingest`] → [`clean`] → [`segment`] → [`extract`] → [`align`] → [`rules`] → [`report`],
//! with [`cluster`] grouping an archive into events for `batch`. [`check`] runs it on one
//! event. Between rules and report, [`filter`] keeps what a run reports (findings that
//! touch the draft, not silenced by comments); [`config`] reads `factdiff.toml`.

pub mod align;
pub mod batch;
pub mod clean;
pub mod cli;
pub mod cluster;
pub mod config;
pub mod extract;
pub mod filter;
pub mod ingest;
pub mod report;
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

/// How one event is checked.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    pub align: align::AlignOptions,
    /// Rules to run; empty means every registered rule.
    pub rules: Vec<&'static rules::RuleInfo>,
}

/// An event checked: its documents, what was paired, and the findings.
#[derive(Debug)]
pub struct Checked {
    pub docs: Vec<Analyzed>,
    pub alignment: align::Alignment,
    pub findings: Vec<rules::Finding>,
}

/// Runs the whole pipeline on documents that report one event.
pub fn check(docs: Vec<Document>, data: &RuleData, opts: &CheckOptions) -> Checked {
    let docs: Vec<Analyzed> = docs.into_iter().map(|d| analyze(d, data)).collect();
    check_analyzed(docs, data, opts)
}

/// The pipeline from alignment on, for documents already analysed.
pub fn check_analyzed(docs: Vec<Analyzed>, data: &RuleData, opts: &CheckOptions) -> Checked {
    let alignment = align::align(&docs, &opts.align);
    let selected: Vec<&'static rules::RuleInfo> =
        if opts.rules.is_empty() { rules::RULES.iter().collect() } else { opts.rules.clone() };
    let event = rules::Event { docs: &docs, alignment: &alignment, data };
    let findings = rules::run(&event, &selected);
    Checked { docs, alignment, findings }
}
