//! `--format jsonl`: one JSON message a line, tagged by `type` as ripgrep's JSON output
//! is, so a consumer can act on each finding as it reads: `finding` messages (the same
//! fields as in the JSON report), then `skipped` inputs, then one `summary`.

use std::io::{self, Write};

use serde::Serialize;

use super::{CheckReport, FindingOut, Render, Summary};
use crate::ingest::InputError;

pub struct Jsonl;

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Message<'a> {
    Finding(&'a FindingOut),
    Skipped(&'a InputError),
    Summary(&'a Summary),
}

impl Render for Jsonl {
    fn render(&self, report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
        let messages = report
            .findings
            .iter()
            .map(Message::Finding)
            .chain(report.skipped.iter().map(Message::Skipped))
            .chain([Message::Summary(&report.summary)]);
        for m in messages {
            serde_json::to_writer(&mut *out, &m)?;
            writeln!(out)?;
        }
        Ok(())
    }
}
