//! `--format concise`: one finding a line, `path:line:col: severity rule: message`, the
//! shape compilers print and editors and CI problem matchers read.

use std::io::{self, Write};

use super::{CheckReport, Render};

pub struct Concise;

impl Render for Concise {
    fn render(&self, report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
        for f in &report.findings {
            let Some(e) = f.evidence.first() else { continue };
            let message = f.message.replace(['\n', '\r'], " ");
            writeln!(out, "{}:{}:{}: {} {}: {message}", e.path, e.line, e.column, f.severity, f.rule)?;
        }
        Ok(())
    }
}
