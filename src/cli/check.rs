//! `factdiff check FILE... [--against REF...]`: the pipeline, then what a run reports.
//!
//! The order matters: rules run on every document; `--against` keeps what touches the
//! draft; severities are overridden; suppression comments silence; the report is resolved
//! (fingerprints need the evidence words); the baseline is applied last, so that
//! `--write-baseline` records exactly what would otherwise be reported.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};

use super::config::ConfigArgs;
use super::{ColorChoice, FailOn, InputArgs, emit, table_width};
use crate::filter::{self, Silences};
use crate::ingest::{IngestOptions, Input, Loaded, load_into, walk};
use crate::report::baseline::Baseline;
use crate::report::{
    CheckReport, Render, Role, concise::Concise, github::Github, html, json::Json, jsonl::Jsonl, resolve, sarif::Sarif,
    table::Table,
};
use crate::rules::{self, RuleInfo};
use crate::{CheckOptions, check};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A summary and a findings table, for people.
    Table,
    /// The versioned JSON report.
    Json,
    /// One finding a line: `path:line:col: severity rule: message`.
    Concise,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// GitHub Actions workflow commands, shown as annotations on a pull request.
    Github,
    /// JSON Lines: a `finding` message a line, then a `summary`.
    Jsonl,
    /// A self-contained HTML page: findings, and the articles side by side with the
    /// differences marked.
    Html,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Articles to compare: .txt, .md, .html or .jsonl files, or `-` for standard input.
    /// With --against, the drafts to check.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// Check FILE against these references (files or folders): only findings that touch
    /// FILE are reported, located in FILE, with the references' evidence attached.
    #[arg(long, num_args = 1.., value_name = "REF")]
    pub against: Vec<String>,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Exit with 1 when a finding is at least this severe [default: the config's
    /// `fail-on`, else error].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Run only these rules (comma-separated names); replaces the config's `select`.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub select: Vec<String>,
    /// Do not run these rules (comma-separated names), besides the config's `ignore`.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Leave out findings recorded in this baseline file [default: the config's `baseline`].
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in FILE (atomically) as accepted, and report them as such.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// When to use colour in the table.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
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

/// Whether two paths name one file (a draft inside a reference folder is not its own reference).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    let config = args.config.load()?;
    let data = config.rule_data()?;
    // Flags win over the file: --select replaces its `select`, --ignore adds to its `ignore`.
    let select = if args.select.is_empty() { &config.select } else { &args.select };
    let ignore: Vec<String> = config.ignore.iter().chain(&args.ignore).cloned().collect();
    let selected = select_rules(select, &ignore)?;
    let fail_on = args.fail_on.unwrap_or(config.fail_on);
    let baseline = match args.baseline.as_ref().or(config.baseline.as_ref()) {
        Some(path) if args.write_baseline.is_none() => Some(Baseline::read(path)?),
        _ => None,
    };
    let opts = IngestOptions { format: args.input.input_format.map(Into::into), fields: config.fields.clone() };

    // Drafts first, so that document i < drafts is a draft.
    let drafts_in: Vec<Input> = args.files.iter().map(|f| Input::parse(f)).collect();
    let (mut refs_in, walk_errors) = walk::expand(&args.against);
    refs_in.retain(|r| match r {
        Input::Path(p) => !drafts_in.iter().any(|d| matches!(d, Input::Path(dp) if same_file(dp, p))),
        Input::Stdin => true,
    });
    let mut loaded = Loaded::default();
    for input in &drafts_in {
        load_into(input, &opts, &mut loaded);
    }
    let drafts = loaded.documents.len();
    for input in &refs_in {
        load_into(input, &opts, &mut loaded);
    }
    loaded.errors.extend(walk_errors);
    for e in &loaded.errors {
        eprintln!("factdiff: {e}");
    }
    let against = !args.against.is_empty();
    let is_draft = |doc: u32| !against || (doc as usize) < drafts;

    let mut checked = check(loaded.documents, &data, &CheckOptions { rules: selected, ..Default::default() });
    let mut findings = std::mem::take(&mut checked.findings);
    if against {
        let roles: Vec<bool> = (0..checked.docs.len() as u32).map(is_draft).collect();
        findings = filter::focus(findings, &roles);
    }
    filter::override_severity(&mut findings, &config.severity);
    // With --against, only the draft's comments count: a reference is someone else's text.
    let silences = Silences::read(&checked.docs, is_draft);
    for w in &silences.warnings {
        eprintln!("factdiff: warning: {w}");
    }
    let (findings, suppressed) = silences.apply(findings);
    checked.findings = findings;

    let unreadable = !loaded.errors.is_empty();
    let mut report = resolve(&checked, loaded.errors);
    report.summary.suppressed = suppressed;
    if against {
        for (i, d) in report.documents.iter_mut().enumerate() {
            d.role = Some(if is_draft(i as u32) { Role::Draft } else { Role::Reference });
        }
    }
    let before_baseline: Vec<String> = report.findings.iter().map(|f| f.fingerprint.clone()).collect();
    if let Some(path) = &args.write_baseline {
        let written = Baseline::from_report(&report);
        written.write(path).with_context(|| format!("cannot write the baseline {}", path.display()))?;
        eprintln!("factdiff: recorded {} findings in {}", report.findings.len(), path.display());
        written.apply(&mut report);
    } else if let Some(b) = &baseline {
        b.apply(&mut report);
    }

    // The HTML page marks each finding's evidence in the articles, from the unresolved
    // findings: keep them in step with what the baseline left in the report.
    let left: BTreeSet<&str> = report.findings.iter().map(|f| f.fingerprint.as_str()).collect();
    let mut kept = before_baseline.iter().map(|fp| left.contains(fp.as_str()));
    checked.findings.retain(|_| kept.next().unwrap_or(false));

    let color = args.output.is_none() && args.color.enabled();
    let renderer: Box<dyn Render> = match args.format {
        OutputFormat::Html => {
            let page = html::check_page(&checked, &report);
            return finish(emit(args.output.as_ref(), |w| w.write_all(page.as_bytes())), &report, fail_on, unreadable);
        }
        OutputFormat::Table => Box::new(Table { color, width: Some(table_width(args.output.as_ref())) }),
        OutputFormat::Json => Box::new(Json),
        OutputFormat::Concise => Box::new(Concise),
        OutputFormat::Sarif => Box::new(Sarif),
        OutputFormat::Github => Box::new(Github),
        OutputFormat::Jsonl => Box::new(Jsonl),
    };
    finish(emit(args.output.as_ref(), |w| renderer.render(&report, w)), &report, fail_on, unreadable)
}

/// The exit code, once the report is written.
fn finish(written: anyhow::Result<()>, report: &CheckReport, fail_on: FailOn, unreadable: bool) -> anyhow::Result<u8> {
    written?;
    let failed = fail_on.threshold().is_some_and(|t| report.summary.findings.worst().is_some_and(|w| w >= t));
    Ok(if unreadable {
        2
    } else if failed {
        1
    } else {
        0
    })
}
