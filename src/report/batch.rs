//! The batch report: every event with its findings, every skipped record, and counts
//! that add up (records read = articles in events + records skipped). Rendered as a
//! terminal summary, one JSON document, or JSON Lines (one event a line) for pipelines.

use std::collections::BTreeMap;
use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table as Grid, presets};
use serde::{Deserialize, Serialize};

use super::table::counts_line;
use super::{Counts, FindingOut, VERSION};
use crate::ingest::InputError;

/// One event: its articles (ids, in input order) and its findings.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventOut {
    pub id: String,
    pub documents: Vec<String>,
    pub findings: Vec<FindingOut>,
    /// Findings silenced by comments in the articles.
    #[serde(default, skip_serializing_if = "is_zero")]
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

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
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

/// How a batch report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The terminal summary, this wide.
    Table(u16),
    /// One JSON document, compact: an archive's report can be large.
    Json,
    /// JSON Lines messages.
    Jsonl,
    /// The HTML page (which holds every event until it is written).
    Html,
}

/// Writes a batch report while events arrive, keeping only counts (and, for the table,
/// a brief of each event with findings): memory does not grow with the findings.
pub struct Streamer<'w> {
    style: Style,
    out: &'w mut dyn Write,
    summary: BatchSummary,
    briefs: Vec<Brief>,
    events: usize,
    /// Events kept for the HTML page.
    held: Vec<EventOut>,
}

impl<'w> Streamer<'w> {
    pub fn new(style: Style, out: &'w mut dyn Write) -> Self {
        Streamer { style, out, summary: BatchSummary::default(), briefs: Vec::new(), events: 0, held: Vec::new() }
    }

    /// The bytes an event is written as in this style, if it is written as it comes:
    /// made on the worker that checked the event, while others go on checking.
    pub fn render(style: Style, e: &EventOut) -> Vec<u8> {
        let mut v = Vec::new();
        // Writing to memory cannot fail.
        let _ = match style {
            Style::Json => serde_json::to_writer(&mut v, e).map_err(io::Error::from),
            Style::Jsonl => jsonl_line(&Line::Event(e), &mut v),
            Style::Table(_) | Style::Html => Ok(()),
        };
        v
    }

    /// An event, with what [`Streamer::render`] made of it.
    pub fn rendered(&mut self, e: &EventOut, bytes: &[u8]) -> io::Result<()> {
        match self.style {
            Style::Json => {
                self.summary.add(e);
                self.out.write_all(if self.events == 0 { b"{\"version\":1,\"events\":[" } else { b"," })?;
                self.out.write_all(bytes)?;
                self.events += 1;
                Ok(())
            }
            Style::Jsonl => {
                self.summary.add(e);
                self.out.write_all(bytes)?;
                self.events += 1;
                Ok(())
            }
            _ => self.event(e),
        }
    }

    pub fn event(&mut self, e: &EventOut) -> io::Result<()> {
        self.summary.add(e);
        match self.style {
            Style::Html => self.held.push(e.clone()),
            Style::Table(_) => {
                if !e.findings.is_empty() {
                    self.briefs.push(Brief::of(e));
                }
            }
            Style::Json => {
                self.out.write_all(if self.events == 0 { b"{\"version\":1,\"events\":[" } else { b"," })?;
                serde_json::to_writer(&mut *self.out, e)?;
            }
            Style::Jsonl => jsonl_line(&Line::Event(e), self.out)?,
        }
        self.events += 1;
        Ok(())
    }

    /// Writes what follows the events; returns the summary.
    pub fn finish(mut self, skipped: &[InputError]) -> io::Result<BatchSummary> {
        self.summary.add_skipped(skipped);
        match self.style {
            Style::Html => {
                let report = BatchReport::new(std::mem::take(&mut self.held), skipped.to_vec());
                super::html::batch_page(&report, self.out)?;
            }
            Style::Table(width) => table_of(&self.summary, self.briefs, skipped, width, self.out)?,
            Style::Json => {
                self.out.write_all(if self.events == 0 { b"{\"version\":1,\"events\":[" } else { b"" })?;
                self.out.write_all(b"],\"skipped\":")?;
                serde_json::to_writer(&mut *self.out, skipped)?;
                self.out.write_all(b",\"summary\":")?;
                serde_json::to_writer(&mut *self.out, &self.summary)?;
                self.out.write_all(b"}\n")?;
            }
            Style::Jsonl => {
                for s in skipped {
                    jsonl_line(&Line::Skipped(s), self.out)?;
                }
                jsonl_line(&Line::Summary(&self.summary), self.out)?;
            }
        }
        Ok(self.summary)
    }
}

/// Writes a whole report in a style.
pub fn write(report: &BatchReport, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let mut s = Streamer::new(style, out);
    for e in &report.events {
        s.event(e)?;
    }
    s.finish(&report.skipped).map(|_| ())
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

/// The messages of the batch stages, as read back (`factdiff stage ...`): the same
/// tagged lines as [`Line`], plus the intermediate results between stages.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Message {
    /// An article's sketch (stage `sketch`).
    Sketch(crate::cluster::Sketch),
    /// A scored pair of articles, by id (stage `link`).
    Edge {
        a: String,
        b: String,
        score: f32,
    },
    /// An article's event (stage `group`).
    Member {
        id: String,
        event: String,
    },
    /// A checked event (stage `check`).
    Event(EventOut),
    Skipped(InputError),
    Summary(BatchSummary),
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
/// What the terminal summary keeps of an event: not its findings.
#[derive(Debug, Clone)]
pub struct Brief {
    pub id: String,
    pub articles: usize,
    pub counts: Counts,
    pub findings: usize,
    /// The first three article ids.
    pub first: Vec<String>,
}

impl Brief {
    pub fn of(e: &EventOut) -> Brief {
        Brief {
            id: e.id.clone(),
            articles: e.documents.len(),
            counts: e.counts(),
            findings: e.findings.len(),
            first: e.documents.iter().take(3).cloned().collect(),
        }
    }
}

/// The terminal summary of a whole report.
pub fn table(r: &BatchReport, width: u16, out: &mut dyn Write) -> io::Result<()> {
    let briefs: Vec<Brief> = r.events.iter().filter(|e| !e.findings.is_empty()).map(Brief::of).collect();
    table_of(&r.summary, briefs, &r.skipped, width, out)
}

/// The terminal summary from counts, the events with findings, and the skipped records.
pub fn table_of(
    s: &BatchSummary,
    mut top: Vec<Brief>,
    skipped: &[InputError],
    width: u16,
    out: &mut dyn Write,
) -> io::Result<()> {
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
        "Grouped into {} events: {} checked (two articles or more), {} single {}.",
        thousands(s.events),
        thousands(s.checked_events),
        thousands(s.single_articles),
        if s.single_articles == 1 { "article" } else { "articles" }
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
        top.sort_by(|a, b| b.findings.cmp(&a.findings).then(a.id.cmp(&b.id)));
        let mut g = grid(&["event", "articles", "errors", "warnings", "info", "first articles"]);
        for e in top.iter().take(TOP_EVENTS) {
            let mut firsts = e.first.join(", ");
            if e.articles > e.first.len() {
                firsts.push_str(", …");
            }
            g.add_row(vec![
                Cell::new(&e.id),
                Cell::new(e.articles).set_alignment(CellAlignment::Right),
                Cell::new(e.counts.error).set_alignment(CellAlignment::Right),
                Cell::new(e.counts.warning).set_alignment(CellAlignment::Right),
                Cell::new(e.counts.info).set_alignment(CellAlignment::Right),
                Cell::new(firsts),
            ]);
        }
        writeln!(out, "\nEvents with most findings\n{g}")?;
    }
    if !skipped.is_empty() {
        writeln!(out, "\nSkipped")?;
        for e in skipped.iter().take(SHOWN_SKIPPED) {
            writeln!(out, "  {e}")?;
        }
        if skipped.len() > SHOWN_SKIPPED {
            writeln!(out, "  +{} more (--format json lists them all)", skipped.len() - SHOWN_SKIPPED)?;
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
