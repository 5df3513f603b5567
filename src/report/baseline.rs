//! Baselines: findings a newsroom has looked at and accepted, kept in a JSON file so that
//! CI reports only new ones.
//!
//! A finding is matched by its fingerprint (rule, documents and the folded words of its
//! evidence, never positions), so an accepted difference stays accepted when text is
//! added above it or the paragraph moves. The rule, message and evidence words are stored
//! beside each fingerprint for the people who review a baseline's changes; lines are not,
//! so a baseline only changes when findings do.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{CheckReport, write_atomic};

/// The version of the baseline file format.
pub const BASELINE_VERSION: u32 = 1;

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    /// For people reading the file; matching uses the fingerprint alone.
    pub rule: String,
    pub message: String,
    /// `doc: “words”` for each piece of evidence.
    pub evidence: Vec<String>,
}

/// A baseline file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for BaselineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "baseline {}: {}", self.path, self.message)
    }
}

impl std::error::Error for BaselineError {}

impl Baseline {
    /// Every finding of a report, ordered by fingerprint so that the file is the same
    /// whatever order the findings came in.
    pub fn from_report(report: &CheckReport) -> Baseline {
        let mut findings: Vec<Entry> = report
            .findings
            .iter()
            .map(|f| {
                let mut evidence: Vec<String> = f.evidence.iter().map(|e| format!("{}: “{}”", e.doc, e.text)).collect();
                evidence.dedup();
                Entry { fingerprint: f.fingerprint.clone(), rule: f.rule.clone(), message: f.message.clone(), evidence }
            })
            .collect();
        findings.sort_by(|a, b| (&a.fingerprint, &a.rule, &a.message).cmp(&(&b.fingerprint, &b.rule, &b.message)));
        findings.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        Baseline { version: BASELINE_VERSION, findings }
    }

    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let err = |message: String| BaselineError { path: path.display().to_string(), message };
        let text = std::fs::read_to_string(path).map_err(|e| {
            err(match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                _ => format!("cannot read: {e}"),
            })
        })?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| err(e.to_string()))?;
        if b.version != BASELINE_VERSION {
            return Err(err(format!("version {} is not one this factdiff reads ({BASELINE_VERSION})", b.version)));
        }
        Ok(b)
    }

    /// Writes the baseline atomically, as pretty JSON.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        write_atomic(path, |w| {
            serde_json::to_writer_pretty(&mut *w, self)?;
            writeln!(w)
        })
    }

    /// Takes the accepted findings out of `report`, counting them in its summary.
    pub fn apply(&self, report: &mut CheckReport) {
        let known: BTreeSet<&str> = self.findings.iter().map(|e| e.fingerprint.as_str()).collect();
        let before = report.findings.len();
        report.findings.retain(|f| !known.contains(f.fingerprint.as_str()));
        report.summary.baselined += before - report.findings.len();
        report.recount();
    }
}
