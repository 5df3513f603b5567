//! Report: findings resolved to what a reader needs (paths, lines, columns, the text as
//! written) and one renderer per output format, all behind [`Render`].
//!
//! Line and column are computed here, only for what is printed; everything before works
//! on byte offsets. Reports are written atomically: to a temporary file beside the target,
//! then renamed, so a reader never sees half a report.

pub mod baseline;
pub mod batch;
pub mod concise;
pub mod github;
pub mod html;
pub mod json;
pub mod jsonl;
pub mod sarif;
pub mod table;

use std::io::{self, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::ingest::{Format as InputFormat, InputError};
use crate::rules::{Finding, Severity};
use crate::text::{LineIndex, fold};
use crate::{Analyzed, Checked};

/// The version of the JSON contract.
pub const VERSION: u32 = 1;

/// A checked event, ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub version: u32,
    pub documents: Vec<DocumentOut>,
    pub findings: Vec<FindingOut>,
    /// Inputs or records that could not be read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<InputError>,
    pub summary: Summary,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentOut {
    pub id: String,
    pub path: String,
    pub date: Option<String>,
    pub sentences: usize,
    /// With `--against`: whether the document is the draft checked or a reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
}

/// What a document is in a draft-against-references run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Draft,
    Reference,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FindingOut {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub evidence: Vec<EvidenceOut>,
    /// The two wordings that differ, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compare: Option<[String; 2]>,
    /// Identifies the finding without positions, so it survives edits around it.
    pub fingerprint: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvidenceOut {
    pub doc: String,
    pub path: String,
    /// 1-based line in the file (for a JSON Lines record: the record's line).
    pub line: usize,
    /// 1-based column in characters (for a JSON Lines record: within its body).
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// The exact differing words, as written.
    pub text: String,
    /// The whole sentence, as written.
    pub sentence: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl Counts {
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Error => self.error += 1,
            Severity::Warning => self.warning += 1,
            Severity::Info => self.info += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.error + self.warning + self.info
    }

    /// The most severe level present.
    pub fn worst(&self) -> Option<Severity> {
        [(self.error, Severity::Error), (self.warning, Severity::Warning), (self.info, Severity::Info)]
            .into_iter()
            .find(|(n, _)| *n > 0)
            .map(|(_, s)| s)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub documents: usize,
    pub findings: Counts,
    #[serde(skip_serializing_if = "is_zero")]
    pub skipped: usize,
    /// Findings silenced by suppression comments.
    #[serde(skip_serializing_if = "is_zero")]
    pub suppressed: usize,
    /// Findings accepted by the baseline.
    #[serde(skip_serializing_if = "is_zero")]
    pub baselined: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Line index of each document's source, built once per report.
pub struct Locator<'a> {
    docs: &'a [Analyzed],
    lines: Vec<LineIndex>,
    /// For JSON Lines bodies, whose columns count through the whole body: (byte, chars
    /// before it) every few kilobytes, so each position costs a short count, not the body.
    marks: Vec<Vec<(usize, usize)>>,
}

/// Bytes between character-count marks.
const MARK_EVERY: usize = 1024;

impl<'a> Locator<'a> {
    pub fn new(docs: &'a [Analyzed]) -> Self {
        let marks = docs
            .iter()
            .map(|d| {
                if d.doc.format != InputFormat::Jsonl {
                    return Vec::new();
                }
                let t = &d.doc.text;
                let mut marks = vec![(0, 0)];
                let mut at = 0;
                while at + MARK_EVERY < t.len() {
                    // A character is at most 4 bytes: the boundary is still past `at`.
                    let next = crate::text::floor_char_boundary(t, at + MARK_EVERY);
                    let chars = marks.last().map_or(0, |m: &(usize, usize)| m.1) + t[at..next].chars().count();
                    marks.push((next, chars));
                    at = next;
                }
                marks
            })
            .collect();
        Locator { docs, lines: docs.iter().map(|d| LineIndex::new(d.doc.source())).collect(), marks }
    }

    /// (line, column) in the file of a byte offset of document `doc`'s text.
    pub fn position(&self, doc: usize, offset: usize) -> (usize, usize) {
        let d = &self.docs[doc].doc;
        let src = d.source_offset(offset);
        let (line, col) = self.lines[doc].line_col(d.source(), src);
        match (d.format, d.record_line) {
            // A JSON Lines body has no lines of its own in the file: name the record's
            // line, and count columns through the body.
            (InputFormat::Jsonl, Some(record)) => {
                let offset = crate::text::floor_char_boundary(&d.text, offset);
                let marks = &self.marks[doc];
                let (at, before) = marks[marks.partition_point(|m| m.0 <= offset).saturating_sub(1)];
                (record, before + d.text[at..offset].chars().count() + 1)
            }
            _ => (line, col),
        }
    }
}

/// Resolves findings of a checked event into report form.
pub fn resolve(checked: &Checked, skipped: Vec<InputError>) -> CheckReport {
    let loc = Locator::new(&checked.docs);
    let documents = checked
        .docs
        .iter()
        .map(|d| DocumentOut {
            id: d.doc.id.clone(),
            path: d.doc.path.clone(),
            date: d.date().map(str::to_string),
            sentences: d.seg.sentences.len(),
            role: None,
        })
        .collect();
    let findings: Vec<FindingOut> = checked.findings.iter().map(|f| resolve_finding(&checked.docs, &loc, f)).collect();
    let summary = Summary {
        documents: checked.docs.len(),
        findings: Counts::default(),
        skipped: skipped.len(),
        suppressed: 0,
        baselined: 0,
    };
    let mut report = CheckReport { version: VERSION, documents, findings, skipped, summary };
    report.recount();
    report
}

impl CheckReport {
    /// Counts the findings again, after some were taken out.
    pub fn recount(&mut self) {
        let mut counts = Counts::default();
        for f in &self.findings {
            counts.add(f.severity);
        }
        self.summary.findings = counts;
    }
}

pub fn resolve_finding(docs: &[Analyzed], loc: &Locator, f: &Finding) -> FindingOut {
    let evidence: Vec<EvidenceOut> = f
        .evidence
        .iter()
        .map(|e| {
            let d = &docs[e.doc as usize];
            let (line, column) = loc.position(e.doc as usize, e.span.start);
            let (end_line, end_column) = loc.position(e.doc as usize, e.span.end);
            let sentence = e.sentence.map(|s| d.sentence_text(s as usize).to_string()).unwrap_or_default();
            EvidenceOut {
                doc: d.doc.id.clone(),
                path: d.doc.path.clone(),
                line,
                column,
                end_line,
                end_column,
                text: d.doc.text[e.span.clone()].to_string(),
                sentence,
            }
        })
        .collect();
    let fingerprint = fingerprint(f.rule, &evidence);
    FindingOut {
        rule: f.rule.to_string(),
        severity: f.severity,
        message: f.message.clone(),
        evidence,
        compare: f.compare.clone(),
        fingerprint,
    }
}

/// FNV-1a over the rule and each piece of evidence's document and folded words: no
/// positions, so moving text around a finding keeps its fingerprint. Spelled out here
/// rather than taken from a hasher crate so that it never changes between releases.
pub fn fingerprint(rule: &str, evidence: &[EvidenceOut]) -> String {
    let mut parts: Vec<String> = evidence.iter().map(|e| format!("{}\u{1}{}", e.doc, fold(&e.text))).collect();
    parts.sort();
    parts.dedup();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in rule.bytes().chain(parts.join("\u{2}").bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// An output format.
pub trait Render {
    fn render(&self, report: &CheckReport, out: &mut dyn Write) -> io::Result<()>;
}

/// Writes `path` through a temporary file in the same folder, renamed into place when
/// complete: a crash or a full disk leaves the old file or none, never half of one.
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".factdiff-").suffix(".tmp");
    // A report is an ordinary file, not a private temporary one: created as any new file
    // is (read-write for all, less the umask), or with the permissions of the file it
    // replaces.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir)?;
    if let Ok(old) = std::fs::metadata(path) {
        tmp.as_file().set_permissions(old.permissions())?;
    }
    {
        let mut w = io::BufWriter::new(tmp.as_file_mut());
        write(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn an_atomic_write_keeps_the_replaced_files_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&path, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
        // A new report gets what any new file gets, not a temporary file's owner-only mode.
        let fresh = dir.path().join("fresh.json");
        write_atomic(&fresh, |w| w.write_all(b"x")).unwrap();
        let plain = dir.path().join("plain.json");
        std::fs::write(&plain, "x").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&fresh), mode(&plain));
    }

    fn ev(doc: &str, text: &str, line: usize) -> EvidenceOut {
        EvidenceOut {
            doc: doc.into(),
            path: format!("{doc}.txt"),
            line,
            column: 1,
            end_line: line,
            end_column: 2,
            text: text.into(),
            sentence: String::new(),
        }
    }

    #[test]
    fn fingerprint_ignores_positions_and_order() {
        let a = fingerprint("quote-drift", &[ev("a", "in one", 3), ev("b", "within a", 9)]);
        let b = fingerprint("quote-drift", &[ev("b", "within a", 40), ev("a", "In one", 12)]);
        assert_eq!(a, b);
        assert_ne!(a, fingerprint("quote-drift", &[ev("a", "in two", 3), ev("b", "within a", 9)]));
    }

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.json");
        write_atomic(&p, |w| w.write_all(b"first")).unwrap();
        let err = write_atomic(&p, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(err.is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "first");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "temporary file left behind");
    }
}
