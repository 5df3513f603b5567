//! The batch report: every event with its findings, every skipped record, and counts
//! that add up (records read = articles in events + records skipped). Rendered as a
//! terminal summary, one JSON document, or JSON Lines (one event a line) for pipelines.

use std::collections::BTreeMap;
use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table as Grid, presets};
use serde::Serialize;

use super::table::counts_line;
use super::{Counts, FindingOut, VERSION};
use crate::ingest::InputError;

/// One event: its articles (ids, in input order) and its findings.
#[derive(Debug, Clone, Serialize)]
pub struct EventOut {
    pub id: String,
    pub documents: Vec<String>,
    pub findings: Vec<FindingOut>,
    /// Findings silenced by comments in the articles.
    #[serde(skip_serializing_if = "is_zero")]
    pub suppressed: usize,
    /// The event's view for the HTML page, when asked for (`BatchOptions::html`).
    #[serde(skip)]
    pub html: Option<super::html::EventHtml>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl EventOut {
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for f in &self.findings {
            c.add(f.severity);
        }
        c
    }
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct BatchSummary {
    /// Records read: `articles + skipped`.
    pub records: usize,
    /// Articles placed in an event.
    pub articles: usize,
    /// Records that could not be used (see `skipped`).
    pub skipped: usize,
    /// Inputs that could not be read at all.
    pub unreadable: usize,
    pub events: usize,
    /// Events of two articles or more, which are checked.
    pub checked_events: usize,
    /// Events of one article.
    pub single_articles: usize,
    pub findings: Counts,
    pub by_rule: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BatchReport {
    pub version: u32,
    pub events: Vec<EventOut>,
    pub skipped: Vec<InputError>,
    pub summary: BatchSummary,
}

impl BatchReport {
    pub fn new(events: Vec<EventOut>, skipped: Vec<InputError>) -> Self {
        let mut summary = BatchSummary::default();
        for e in &events {
            summary.add(e);
        }
        summary.add_skipped(&skipped);
        BatchReport { version: VERSION, events, skipped, summary }
    }
}

impl BatchSummary {
    pub fn add(&mut self, e: &EventOut) {
        self.events += 1;
        self.articles += e.documents.len();
        self.records += e.documents.len();
        if e.documents.len() >= 2 {
            self.checked_events += 1;
        } else {
            self.single_articles += 1;
        }
        for f in &e.findings {
            self.findings.add(f.severity);
            *self.by_rule.entry(f.rule.clone()).or_default() += 1;
        }
    }

    pub fn add_skipped(&mut self, skipped: &[InputError]) {
        for s in skipped {
            if s.fatal {
                self.unreadable += 1;
            } else {
                self.skipped += 1;
                self.records += 1;
            }
        }
    }
}

/// One JSON document, compact: an archive's report can be large.
pub fn json(report: &BatchReport, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, report)?;
    writeln!(out)
}

/// JSON Lines messages, one per line: `{"type":"event",...}` as each event is done, then
/// `{"type":"skipped",...}` for each skipped record and input, then `{"type":"summary",...}`.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Line<'a> {
    Event(&'a EventOut),
    Skipped(&'a InputError),
    Summary(&'a BatchSummary),
}

pub fn jsonl_line(line: &Line, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer(&mut *out, line)?;
    writeln!(out)
}

/// Events listed in the terminal summary, most findings first.
const TOP_EVENTS: usize = 10;
/// Skipped records listed before "+N more".
const SHOWN_SKIPPED: usize = 20;

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The terminal summary.
pub fn table(r: &BatchReport, width: u16, out: &mut dyn Write) -> io::Result<()> {
    let s = &r.summary;
    writeln!(
        out,
        "Read {} records: {} articles, {} skipped{}.",
        thousands(s.records),
        thousands(s.articles),
        thousands(s.skipped),
        if s.unreadable > 0 { format!("; {} inputs could not be read", s.unreadable) } else { String::new() }
    )?;
    writeln!(
        out,
        "Grouped into {} events: {} checked (two articles or more), {} single articles.",
        thousands(s.events),
        thousands(s.checked_events),
        thousands(s.single_articles)
    )?;
    writeln!(out, "{}.", counts_line(&s.findings))?;
    let grid = |header: &[&str]| {
        let mut g = Grid::new();
        g.load_preset(presets::UTF8_HORIZONTAL_ONLY);
        g.set_content_arrangement(ContentArrangement::Dynamic);
        g.set_width(width);
        g.set_header(header.to_vec());
        g
    };
    if !s.by_rule.is_empty() {
        let mut g = grid(&["rule", "findings"]);
        let mut rules: Vec<(&String, &usize)> = s.by_rule.iter().collect();
        rules.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (rule, n) in rules {
            g.add_row(vec![Cell::new(rule), Cell::new(thousands(*n)).set_alignment(CellAlignment::Right)]);
        }
        writeln!(out, "\nFindings by rule\n{g}")?;
        let mut top: Vec<&EventOut> = r.events.iter().filter(|e| !e.findings.is_empty()).collect();
        top.sort_by(|a, b| b.findings.len().cmp(&a.findings.len()).then(a.id.cmp(&b.id)));
        let mut g = grid(&["event", "articles", "errors", "warnings", "info", "first articles"]);
        for e in top.iter().take(TOP_EVENTS) {
            let c = e.counts();
            let mut firsts = e.documents.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
            if e.documents.len() > 3 {
                firsts.push_str(", …");
            }
            g.add_row(vec![
                Cell::new(&e.id),
                Cell::new(e.documents.len()).set_alignment(CellAlignment::Right),
                Cell::new(c.error).set_alignment(CellAlignment::Right),
                Cell::new(c.warning).set_alignment(CellAlignment::Right),
                Cell::new(c.info).set_alignment(CellAlignment::Right),
                Cell::new(firsts),
            ]);
        }
        writeln!(out, "\nEvents with most findings\n{g}")?;
    }
    if !r.skipped.is_empty() {
        writeln!(out, "\nSkipped")?;
        for e in r.skipped.iter().take(SHOWN_SKIPPED) {
            writeln!(out, "  {e}")?;
        }
        if r.skipped.len() > SHOWN_SKIPPED {
            writeln!(out, "  +{} more (--format json lists them all)", r.skipped.len() - SHOWN_SKIPPED)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up() {
        let ev = |id: &str, n: usize| EventOut {
            id: id.into(),
            documents: (0..n).map(|i| format!("d{i}")).collect(),
            findings: vec![],
            suppressed: 0,
            html: None,
        };
        let skipped = vec![InputError::record("a.jsonl", 3, "no body"), InputError::fatal("b.jsonl", "no such file")];
        let r = BatchReport::new(vec![ev("e1", 3), ev("e2", 1)], skipped);
        let s = &r.summary;
        assert_eq!((s.records, s.articles, s.skipped, s.unreadable), (5, 4, 1, 1));
        assert_eq!((s.events, s.checked_events, s.single_articles), (2, 1, 1));
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
