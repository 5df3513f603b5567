//! `--format github`: GitHub Actions workflow commands, which the runner turns into
//! annotations on the lines of a pull request.
//!
//! One command a finding, at its first piece of evidence (the draft's, with `--against`);
//! the other places and the differing words follow in the message. Values are escaped as
//! the runner expects: `%`, CR and LF everywhere, and `:` and `,` in properties too.

use std::io::{self, Write};

use super::table::word_diff;
use super::{CheckReport, Render};
use crate::rules::Severity;

pub struct Github;

/// Escapes the message of a workflow command.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`) of a workflow command.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

impl Render for Github {
    fn render(&self, report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
        for f in &report.findings {
            let Some(e) = f.evidence.first() else { continue };
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut message = f.message.clone();
            if let Some([old, new]) = &f.compare {
                message.push('\n');
                message.push_str(&word_diff(old, new, false));
            }
            for other in &f.evidence[1..] {
                message.push_str(&format!("\n{}:{}:{}: “{}”", other.path, other.line, other.column, other.text));
            }
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                escape_property(&e.path),
                e.line,
                e.column,
                e.end_line,
                e.end_column,
                escape_property(&format!("factdiff {}", f.rule)),
                escape_data(&message)
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_workflow_command_rules() {
        assert_eq!(escape_data("50% off\r\nnext: a, b"), "50%25 off%0D%0Anext: a, b");
        assert_eq!(escape_property("dir,a/b:c.md"), "dir%2Ca/b%3Ac.md");
        assert_eq!(escape_property("100%\n"), "100%25%0A");
    }
}
