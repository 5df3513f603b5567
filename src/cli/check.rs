//! `factdiff check FILE...`

use std::path::PathBuf;

use anyhow::bail;
use clap::{Args, ValueEnum};

use super::{ColorChoice, FailOn, InputArgs, emit, table_width};
use crate::ingest::{IngestOptions, Input, load_all};
use crate::report::{Render, json::Json, resolve, table::Table};
use crate::rules::data::RuleData;
use crate::rules::{self, RuleInfo};
use crate::{CheckOptions, check};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A summary and a findings table, for people.
    Table,
    /// The versioned JSON report.
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Articles to compare: .txt, .md, .html or .jsonl files, or `-` for standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Exit with 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "LEVEL")]
    pub fail_on: FailOn,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Run only these rules (comma-separated names).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub select: Vec<String>,
    /// Do not run these rules (comma-separated names).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,
    /// When to use colour in the table.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    #[command(flatten)]
    pub input: InputArgs,
}

/// The rules `select` and `ignore` leave, or an error naming an unknown rule.
pub fn select_rules(select: &[String], ignore: &[String]) -> anyhow::Result<Vec<&'static RuleInfo>> {
    for name in select.iter().chain(ignore) {
        if rules::find(name).is_none() {
            let known: Vec<&str> = rules::RULES.iter().map(|r| r.name).collect();
            bail!("unknown rule `{name}` (rules: {})", known.join(", "));
        }
    }
    Ok(rules::RULES
        .iter()
        .filter(|r| select.is_empty() || select.iter().any(|s| s == r.name))
        .filter(|r| !ignore.iter().any(|s| s == r.name))
        .collect())
}

pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    let data = RuleData::builtin();
    let selected = select_rules(&args.select, &args.ignore)?;
    let inputs: Vec<Input> = args.files.iter().map(|f| Input::parse(f)).collect();
    let opts = IngestOptions { format: args.input.input_format.map(Into::into), ..Default::default() };
    let loaded = load_all(&inputs, &opts);
    for e in &loaded.errors {
        eprintln!("factdiff: {e}");
    }
    let checked = check(loaded.documents, &data, &CheckOptions { rules: selected, ..Default::default() });
    let unreadable = !loaded.errors.is_empty();
    let report = resolve(&checked, loaded.errors);
    let color = args.output.is_none() && args.color.enabled();
    let renderer: Box<dyn Render> = match args.format {
        OutputFormat::Table => Box::new(Table { color, width: Some(table_width(args.output.as_ref())) }),
        OutputFormat::Json => Box::new(Json),
    };
    emit(args.output.as_ref(), |w| renderer.render(&report, w))?;
    let failed = args.fail_on.threshold().is_some_and(|t| report.summary.findings.worst().is_some_and(|w| w >= t));
    Ok(if unreadable {
        2
    } else if failed {
        1
    } else {
        0
    })
}
