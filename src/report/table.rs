//! The terminal report: a summary and a findings table with the differing words marked.

use std::io::{self, Write};

use anstyle::{AnsiColor, Effects, Style};
use comfy_table::{Cell, ContentArrangement, Table as Grid, presets};
use similar::{ChangeTag, TextDiff};

use super::{CheckReport, Counts, Render};
use crate::rules::Severity;

/// Renders findings as a table. Without colour, changed words are marked `[like this]`.
pub struct Table {
    pub color: bool,
    /// Total width; `None` lets rows grow (output to a file or pipe stays stable).
    pub width: Option<u16>,
}

/// Evidence places listed per finding before "+N more".
const MAX_PLACES: usize = 6;

pub fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Error => AnsiColor::Red.on_default().effects(Effects::BOLD),
        Severity::Warning => AnsiColor::Yellow.on_default().effects(Effects::BOLD),
        Severity::Info => AnsiColor::Cyan.on_default(),
    }
}

fn paint(text: &str, style: Style, color: bool) -> String {
    if color { format!("{style}{text}{style:#}") } else { text.to_string() }
}

/// Two lines, `- old` and `+ new`, with the words that differ marked.
pub fn word_diff(old: &str, new: &str, color: bool) -> String {
    let diff = TextDiff::from_words(old, new);
    let removed = AnsiColor::Red.on_default().effects(Effects::BOLD | Effects::UNDERLINE);
    let added = AnsiColor::Green.on_default().effects(Effects::BOLD | Effects::UNDERLINE);
    let mut a = String::from("- ");
    let mut b = String::from("+ ");
    // Runs of changed words are marked once: "[in one] day", not "[in] [one] day".
    let mut run_a = String::new();
    let mut run_b = String::new();
    let flush = |run: &mut String, line: &mut String, style: Style| {
        if run.is_empty() {
            return;
        }
        let trimmed = run.trim_end();
        let tail = &run[trimmed.len()..];
        if color {
            line.push_str(&format!("{style}{trimmed}{style:#}{tail}"));
        } else {
            line.push_str(&format!("[{trimmed}]{tail}"));
        }
        run.clear();
    };
    for change in diff.iter_all_changes() {
        let v = change.value();
        match change.tag() {
            // White space between two changed words stays inside the marked run.
            ChangeTag::Equal if v.trim().is_empty() && (!run_a.is_empty() || !run_b.is_empty()) => {
                if !run_a.is_empty() {
                    run_a.push_str(v);
                } else {
                    a.push_str(v);
                }
                if !run_b.is_empty() {
                    run_b.push_str(v);
                } else {
                    b.push_str(v);
                }
            }
            ChangeTag::Equal => {
                flush(&mut run_a, &mut a, removed);
                flush(&mut run_b, &mut b, added);
                a.push_str(v);
                b.push_str(v);
            }
            ChangeTag::Delete => run_a.push_str(v),
            ChangeTag::Insert => run_b.push_str(v),
        }
    }
    flush(&mut run_a, &mut a, removed);
    flush(&mut run_b, &mut b, added);
    format!("{a}\n{b}")
}

pub fn counts_line(c: &Counts) -> String {
    let plural = |n: usize, one: &str, many: &str| if n == 1 { format!("{n} {one}") } else { format!("{n} {many}") };
    format!(
        "{}: {}, {}, {}",
        plural(c.total(), "finding", "findings"),
        plural(c.error, "error", "errors"),
        plural(c.warning, "warning", "warnings"),
        format_args!("{} info", c.info)
    )
}

impl Render for Table {
    fn render(&self, r: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
        let sentences: usize = r.documents.iter().map(|d| d.sentences).sum();
        let ids: Vec<&str> = r.documents.iter().map(|d| d.id.as_str()).collect();
        writeln!(out, "Checked {} documents ({}), {sentences} sentences.", r.documents.len(), ids.join(", "))?;
        for s in &r.skipped {
            writeln!(out, "{} {s}", paint("skipped:", AnsiColor::Magenta.on_default(), self.color))?;
        }
        if r.findings.is_empty() {
            writeln!(out, "No findings: the articles agree on everything factdiff checks.")?;
            return write_hidden(r, out);
        }
        let mut grid = Grid::new();
        grid.load_preset(presets::UTF8_HORIZONTAL_ONLY);
        match self.width {
            Some(w) => {
                grid.set_content_arrangement(ContentArrangement::Dynamic);
                grid.set_width(w);
            }
            None => {
                grid.set_content_arrangement(ContentArrangement::Disabled);
            }
        }
        grid.set_header(["#", "rule", "severity", "where", "what differs"]);
        for (i, f) in r.findings.iter().enumerate() {
            let mut places: Vec<String> =
                f.evidence.iter().take(MAX_PLACES).map(|e| format!("{}:{}:{}", e.doc, e.line, e.column)).collect();
            if f.evidence.len() > MAX_PLACES {
                places.push(format!("+{} more", f.evidence.len() - MAX_PLACES));
            }
            let mut what = f.message.clone();
            if let Some([old, new]) = &f.compare {
                what.push('\n');
                what.push_str(&word_diff(old, new, self.color));
            }
            grid.add_row([
                Cell::new(i + 1),
                Cell::new(&f.rule),
                Cell::new(paint(f.severity.as_str(), severity_style(f.severity), self.color)),
                Cell::new(places.join("\n")),
                Cell::new(what),
            ]);
        }
        writeln!(out, "{grid}")?;
        writeln!(out, "{}", counts_line(&r.summary.findings))?;
        write_hidden(r, out)
    }
}

/// Says how many findings suppression comments and the baseline kept out, if any.
fn write_hidden(r: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    let (s, b) = (r.summary.suppressed, r.summary.baselined);
    if s + b > 0 {
        writeln!(out, "Not shown: {s} silenced by suppression comments, {b} accepted in the baseline.")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_runs() {
        assert_eq!(word_diff("in one day", "within a day", false), "- [in one] day\n+ [within a] day");
        assert_eq!(
            word_diff("going into winter", "going into the winter", false),
            "- going into winter\n+ going into [the] winter"
        );
    }
}
