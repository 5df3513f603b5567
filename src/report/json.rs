//! `--format json`: the versioned contract, pretty-printed, one report.

use std::io::{self, Write};

use super::{CheckReport, Render};

pub struct Json;

impl Render for Json {
    fn render(&self, report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, report)?;
        writeln!(out)
    }
}
