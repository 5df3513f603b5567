//! `factdiff rules`: list the rules, explain one, test rule packs.

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use comfy_table::{Table, presets};
use serde::Serialize;

use super::emit;
use crate::rules::data::{RuleData, read_pack};
use crate::rules::{self, examples};

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: Option<RulesCommand>,
    /// Output format of the list.
    #[arg(short, long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Print a rule's documentation.
    Explain {
        /// The rule's name, e.g. quote-drift.
        name: String,
    },
    /// Run the examples rule packs carry (the built-in packs and any named here).
    Test {
        /// Rule pack files (TOML, the format of the files in rules/).
        packs: Vec<std::path::PathBuf>,
    },
}

#[derive(Serialize)]
struct RuleOut {
    name: &'static str,
    severity: &'static str,
    summary: &'static str,
    doc: &'static str,
}

pub fn run(args: RulesArgs) -> anyhow::Result<u8> {
    match args.command {
        None => list(args.format),
        Some(RulesCommand::Explain { name }) => {
            let Some(rule) = rules::find(&name) else {
                let known: Vec<&str> = rules::RULES.iter().map(|r| r.name).collect();
                bail!("unknown rule `{name}` (rules: {})", known.join(", "));
            };
            emit(None, |w| {
                writeln!(w, "# {} ({} by default)\n", rule.name, rule.severity)?;
                write!(w, "{}", unindent(rule.doc))
            })?;
            Ok(0)
        }
        Some(RulesCommand::Test { packs }) => test(&packs),
    }
}

/// Doc comments arrive with the space after `///`; drop it.
fn unindent(doc: &str) -> String {
    doc.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect::<Vec<_>>().join("\n") + "\n"
}

fn list(format: ListFormat) -> anyhow::Result<u8> {
    let out: Vec<RuleOut> = rules::RULES
        .iter()
        .map(|r| RuleOut { name: r.name, severity: r.severity.as_str(), summary: r.summary, doc: r.doc })
        .collect();
    emit(None, |w| match format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut *w, &out)?;
            writeln!(w)
        }
        ListFormat::Table => {
            let mut t = Table::new();
            t.load_preset(presets::UTF8_HORIZONTAL_ONLY);
            t.set_header(["rule", "default severity", "what it finds"]);
            for r in &out {
                t.add_row([r.name, r.severity, r.summary]);
            }
            writeln!(w, "{t}")?;
            writeln!(w, "`factdiff rules explain RULE` prints a rule's documentation.")
        }
    })?;
    Ok(0)
}

fn test(paths: &[std::path::PathBuf]) -> anyhow::Result<u8> {
    let mut extra = Vec::new();
    for p in paths {
        // The error names the file (and the line and key where known).
        let pack = read_pack(p).context("cannot load rule pack")?;
        extra.push((p.display().to_string(), pack));
    }
    let names: Vec<String> = extra.iter().map(|(n, _)| n.clone()).collect();
    let data = RuleData::with_packs(extra)?;
    let (ran, failures) = examples::run(&data, &names);
    emit(None, |w| {
        for f in &failures {
            writeln!(w, "FAIL {f}")?;
        }
        writeln!(w, "{ran} examples, {} failed", failures.len())
    })?;
    Ok(if failures.is_empty() { 0 } else { 1 })
}
