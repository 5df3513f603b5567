//! `--format sarif`: SARIF 2.1.0, the format code-scanning services (GitHub, GitLab,
//! Azure DevOps) read.
//!
//! The structs below are the small part of the schema factdiff fills, written by hand:
//! `serde-sarif` models all of it through generated builders, a larger dependency than
//! forty lines of serde. Each finding is a result located at its first piece of evidence
//! (the draft's, with `--against`); the other pieces are related locations. Columns count
//! Unicode code points, as factdiff's always do, and the run says so (`columnKind`).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{CheckReport, EvidenceOut, Render};
use crate::rules::{RULES, RuleInfo, Severity};

pub const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

pub struct Sarif;

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation; 1],
    results: Vec<SarifResult<'a>>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    /// SARIF's end column is that of the character after the region, as factdiff's is.
    end_column: usize,
    snippet: Text,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A file path as a URI reference: relative paths stay relative (code scanning resolves
/// them against the checkout), absolute ones become `file://` URIs, and bytes that may
/// not appear in a URI are percent-encoded.
pub fn path_to_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut uri = String::with_capacity(path.len());
    if path.starts_with('/') {
        uri.push_str("file://");
    } else if path.as_bytes().get(1) == Some(&b':') {
        uri.push_str("file:///");
    }
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => uri.push(b as char),
            _ => uri.push_str(&format!("%{b:02X}")),
        }
    }
    uri
}

/// A rule's documentation without the space each doc-comment line starts with.
fn unindent(doc: &str) -> String {
    doc.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n").trim().to_string()
}

/// The "What it does" section of a rule's documentation, as one paragraph.
fn what_it_does(doc: &str) -> String {
    let doc = unindent(doc);
    let section = doc.split("## What it does").nth(1).and_then(|s| s.split("\n##").next()).unwrap_or("");
    section.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn descriptor(r: &RuleInfo) -> Descriptor {
    let doc = unindent(r.doc);
    Descriptor {
        id: r.name,
        short_description: Text { text: r.summary.to_string() },
        full_description: Text { text: what_it_does(r.doc) },
        help: Help { text: doc.clone(), markdown: doc },
        default_configuration: Configuration { level: level(r.severity) },
    }
}

fn location(e: &EvidenceOut, id: Option<usize>, message: Option<String>) -> Location {
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation { uri: path_to_uri(&e.path) },
            region: Region {
                start_line: e.line,
                start_column: e.column,
                end_line: e.end_line,
                end_column: e.end_column,
                snippet: Text { text: e.text.clone() },
            },
        },
        message: message.map(|text| Text { text }),
    }
}

impl Render for Sarif {
    fn render(&self, report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
        let results = report
            .findings
            .iter()
            .filter(|f| !f.evidence.is_empty())
            .map(|f| SarifResult {
                rule_id: &f.rule,
                rule_index: RULES.iter().position(|r| r.name == f.rule),
                level: level(f.severity),
                message: Text { text: f.message.clone() },
                locations: vec![location(&f.evidence[0], None, None)],
                related_locations: f.evidence[1..]
                    .iter()
                    .enumerate()
                    .map(|(i, e)| location(e, Some(i + 1), Some(format!("{}: “{}”", e.doc, e.text))))
                    .collect(),
                partial_fingerprints: BTreeMap::from([("factdiff/v1", f.fingerprint.as_str())]),
            })
            .collect();
        let notifications: Vec<Notification> = report
            .skipped
            .iter()
            .map(|s| Notification { level: "error", message: Text { text: s.to_string() } })
            .collect();
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: "factdiff",
                        version: env!("CARGO_PKG_VERSION"),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        rules: RULES.iter().map(descriptor).collect(),
                    },
                },
                invocations: [Invocation {
                    execution_successful: notifications.is_empty(),
                    tool_execution_notifications: notifications,
                }],
                results,
                column_kind: "unicodeCodePoints",
            }],
        };
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(path_to_uri("examples/ci/draft.md"), "examples/ci/draft.md");
        assert_eq!(path_to_uri("my drafts/50%.md"), "my%20drafts/50%25.md");
        assert_eq!(path_to_uri("/srv/news/draft.md"), "file:///srv/news/draft.md");
        assert_eq!(path_to_uri("C:\\news\\draft.md"), "file:///C:/news/draft.md");
        assert_eq!(path_to_uri("été.md"), "%C3%A9t%C3%A9.md");
    }

    #[test]
    fn rule_descriptions_come_from_the_docs() {
        let r = crate::rules::find("quote-drift").unwrap();
        let d = descriptor(r);
        assert_eq!(
            d.full_description.text,
            "Finds one remark quoted with different words: two quotations that the aligner pairs (the same words, \
             a fragment of a longer quote, or the same slot in the same sentence) but whose words differ."
        );
        assert!(d.help.markdown.contains("## Why is this bad?"));
        assert!(!d.help.markdown.lines().any(|l| l.starts_with(" ##")), "doc-comment indent removed");
    }
}
