//! Rules: what counts as a divergence between articles.
//!
//! Each rule is one file behind the one-method [`Rule`] trait and is registered in
//! [`registry::RULES`] with a stable kebab-case name and a default severity. A rule's doc
//! comment, in fixed sections, is its user documentation (`factdiff rules explain NAME`).
//! Rules read an [`Event`]: the analysed documents, what the aligner paired, and the
//! rule data from `rules/*.toml`.

pub mod data;
pub mod examples;
pub mod registry;

mod attribution_mismatch;
mod banned_phrase;
mod hedge_mismatch;
mod house_spelling;
mod name_honorific;
mod name_variant;
mod number_mismatch;
mod quote_drift;
mod single_source;

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Analyzed;
use crate::align::Alignment;
use data::RuleData;

pub use registry::{RULES, RuleInfo, find};

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            _ => Err(format!("unknown severity `{s}` (expected error, warning or info)")),
        }
    }
}

/// A place in a document that shows a finding.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Evidence {
    pub doc: u32,
    /// Byte range in the document's text of the differing words.
    pub span: Range<usize>,
    /// The sentence holding the span.
    pub sentence: Option<u32>,
}

impl Ord for Evidence {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.doc, self.span.start, self.span.end, self.sentence).cmp(&(o.doc, o.span.start, o.span.end, o.sentence))
    }
}

impl PartialOrd for Evidence {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Evidence {
    /// Evidence for `span` of document `doc`, with the sentence looked up.
    pub fn at(docs: &[Analyzed], doc: u32, span: Range<usize>) -> Evidence {
        let d = &docs[doc as usize];
        let tok = d.seg.tokens.partition_point(|t| (t.end as usize) <= span.start) as u32;
        Evidence { doc, sentence: d.seg.sentence_of(tok).map(|s| s as u32), span }
    }
}

/// One divergence between articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The places that show it, the first being where to look first.
    pub evidence: Vec<Evidence>,
    /// The two wordings that differ, as written, for a word diff.
    pub compare: Option<[String; 2]>,
}

/// What rules read: one event's documents, alignment and rule data.
pub struct Event<'a> {
    pub docs: &'a [Analyzed],
    pub alignment: &'a Alignment,
    pub data: &'a RuleData,
}

impl Event<'_> {
    /// The id of document `doc`.
    pub fn id(&self, doc: u32) -> &str {
        &self.docs[doc as usize].doc.id
    }

    /// Text of a byte range of document `doc`, as written.
    pub fn text(&self, doc: u32, span: &Range<usize>) -> &str {
        &self.docs[doc as usize].doc.text[span.clone()]
    }

    /// Ids of several documents, deduplicated, in order: "000, 002".
    pub fn ids(&self, docs: impl IntoIterator<Item = u32>) -> String {
        let mut v: Vec<u32> = docs.into_iter().collect();
        v.sort_unstable();
        v.dedup();
        v.iter().map(|&d| self.id(d)).collect::<Vec<_>>().join(", ")
    }
}

/// Where a rule puts its findings; it knows the rule's name and default severity.
pub struct Sink {
    info: &'static RuleInfo,
    out: Vec<Finding>,
}

impl Sink {
    pub fn new(info: &'static RuleInfo) -> Self {
        Sink { info, out: Vec::new() }
    }

    /// The rule's default severity.
    pub fn severity(&self) -> Severity {
        self.info.severity
    }

    pub fn push(&mut self, severity: Severity, message: String, evidence: Vec<Evidence>) {
        self.out.push(Finding { rule: self.info.name, severity, message, evidence, compare: None });
    }

    /// A finding with the two wordings that differ.
    pub fn push_diff(&mut self, severity: Severity, message: String, evidence: Vec<Evidence>, old: &str, new: &str) {
        let compare = Some([old.to_string(), new.to_string()]);
        self.out.push(Finding { rule: self.info.name, severity, message, evidence, compare });
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.out
    }
}

/// A rule: reads an event, reports findings.
pub trait Rule: Sync + Send {
    fn check(&self, event: &Event, sink: &mut Sink);
}

/// Declares a rule struct whose doc comment is kept as its documentation.
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* pub struct $name:ident;) => {
        $(#[doc = $doc])*
        pub struct $name;
        impl $name {
            /// The rule's documentation, from its doc comment.
            pub const DOC: &'static str = concat!($($doc, "\n"),*);
        }
    };
}
pub(crate) use declare_rule;

/// Runs the selected rules over an event; findings come back in a stable order.
pub fn run(event: &Event, rules: &[&'static RuleInfo]) -> Vec<Finding> {
    let mut all = Vec::new();
    for info in rules {
        let mut sink = Sink::new(info);
        info.rule.check(event, &mut sink);
        all.extend(sink.into_findings());
    }
    sort(&mut all);
    all
}

/// Most severe first, then by where the first evidence is, then by rule. Evidence keeps
/// the order its rule gave (the first is where to look first), minus repeats.
pub fn sort(findings: &mut [Finding]) {
    for f in findings.iter_mut() {
        let mut seen = std::collections::BTreeSet::new();
        f.evidence.retain(|e| seen.insert(e.clone()));
    }
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.evidence.first().cmp(&b.evidence.first()))
            .then_with(|| a.rule.cmp(b.rule))
            .then_with(|| a.message.cmp(&b.message))
    });
}
