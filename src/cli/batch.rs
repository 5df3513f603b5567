//! `factdiff batch INPUT...`: group an archive by event and check every event.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::check::select_rules;
use super::config::ConfigArgs;
use super::{FailOn, InputArgs, emit, table_width};
use crate::CheckOptions;
use crate::batch::{self, BatchOptions};
use crate::cluster::GroupOptions;
use crate::ingest::{FieldNames, IngestOptions};
use crate::report::batch as out;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BatchFormat {
    /// A summary for people: counts, findings by rule, the events with most findings.
    Table,
    /// One JSON document with every event, finding and skipped record.
    Json,
    /// JSON Lines: one event a line as it is checked, then skipped records, then a summary.
    Jsonl,
    /// A self-contained HTML page: summary, chart, a row per event, each event's articles
    /// side by side.
    Html,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Archives (.jsonl, streamed), folders of article files (walked, respecting
    /// .gitignore), article files, or `-` for JSON Lines on standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,
    #[arg(short, long, value_enum, default_value_t = BatchFormat::Table)]
    pub format: BatchFormat,
    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub fields: FieldArgs,
    /// Average similarity at which articles are one event (lower merges more).
    #[arg(long, value_name = "SCORE", default_value_t = GroupOptions::default().threshold)]
    pub threshold: f32,
    /// Run only these rules (comma-separated names); replaces the config's `select`.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub select: Vec<String>,
    /// Do not run these rules (comma-separated names), besides the config's `ignore`.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Exit with 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value_t = FailOn::Never, value_name = "LEVEL")]
    pub fail_on: FailOn,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// JSON Lines field names, for commands that read archives.
#[derive(Debug, Clone, Args)]
pub struct FieldArgs {
    /// JSON Lines field holding the article's id [default: id].
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,
    /// JSON Lines field holding the article's text [default: body, else text].
    #[arg(long, value_name = "NAME")]
    pub body_field: Option<String>,
    /// JSON Lines field holding the date (YYYY-MM-DD) [default: date].
    #[arg(long, value_name = "NAME")]
    pub date_field: Option<String>,
    /// JSON Lines field holding the outlet [default: source].
    #[arg(long, value_name = "NAME")]
    pub source_field: Option<String>,
    /// JSON Lines field holding the headline [default: title].
    #[arg(long, value_name = "NAME")]
    pub title_field: Option<String>,
    /// Group by this field's value instead of by content (an article without it is alone).
    #[arg(long, value_name = "NAME")]
    pub event_field: Option<String>,
}

impl FieldArgs {
    /// Field names: the configuration's, with flags on top.
    pub fn fields(&self, base: &FieldNames) -> FieldNames {
        let mut f = base.clone();
        let set = |v: &Option<String>, slot: &mut String| {
            if let Some(v) = v {
                *slot = v.clone();
            }
        };
        set(&self.id_field, &mut f.id);
        set(&self.date_field, &mut f.date);
        set(&self.source_field, &mut f.source);
        set(&self.title_field, &mut f.title);
        if let Some(b) = &self.body_field {
            f.body = vec![b.clone()];
        }
        if self.event_field.is_some() {
            f.event = self.event_field.clone();
        }
        f
    }
}

/// Progress on standard error, only on a terminal and without --quiet.
pub fn progress(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(ProgressStyle::with_template("{spinner} {msg}").expect("valid template"));
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

pub fn run(args: BatchArgs) -> anyhow::Result<u8> {
    let config = args.config.load()?;
    let data = config.rule_data()?;
    let select = if args.select.is_empty() { &config.select } else { &args.select };
    let ignore: Vec<String> = config.ignore.iter().chain(&args.ignore).cloned().collect();
    let rules = select_rules(select, &ignore)?;
    let fields = args.fields.fields(&config.fields);
    let by_label = fields.event.is_some();
    let opts = BatchOptions {
        ingest: IngestOptions { format: args.input.input_format.map(Into::into), fields },
        group: GroupOptions { threshold: args.threshold, ..Default::default() },
        check: CheckOptions { rules, ..Default::default() },
        severity: config.severity.clone(),
        html: args.format == BatchFormat::Html,
    };

    let bar = progress(args.quiet);
    let archive = batch::read(&args.inputs, &opts.ingest, |bytes, docs| {
        bar.set_message(format!("reading: {} articles, {} MB", docs, bytes >> 20));
    });
    for e in archive.skipped.iter().filter(|e| e.fatal) {
        bar.suspend(|| eprintln!("factdiff: {e}"));
    }
    let articles = archive.docs.len() as u64;
    bar.set_message(format!("grouping {articles} articles into events"));
    let unreadable = archive.skipped.iter().any(|e| e.fatal);
    let style = match args.format {
        BatchFormat::Table => out::Style::Table(table_width(args.output.as_ref())),
        BatchFormat::Json => out::Style::Json,
        BatchFormat::Jsonl => out::Style::Jsonl,
        BatchFormat::Html => out::Style::Html,
    };
    // Every format but HTML is written as events are checked: a pipeline downstream starts
    // early, and findings are never all held in memory. The HTML page needs them all.
    let mut summary = None;
    emit(args.output.as_ref(), |w| {
        let mut stream = out::Streamer::new(style, w);
        let mut failure: Option<std::io::Error> = None;
        let mut started = false;
        let render = |e: out::EventOut| {
            let bytes = out::Streamer::render(style, &e);
            (e, bytes)
        };
        let skipped = batch::run(archive, &data, &opts, by_label, render, |(e, bytes)| {
            if !started {
                started = true;
                bar.set_length(articles);
                bar.set_style(
                    ProgressStyle::with_template("{bar:30} {pos}/{len} articles checked, {per_sec}, {eta} left")
                        .expect("valid template"),
                );
            }
            bar.inc(e.documents.len() as u64);
            if failure.is_none()
                && let Err(err) = stream.rendered(&e, &bytes)
            {
                failure = Some(err);
            }
        });
        bar.finish_and_clear();
        if let Some(err) = failure {
            return Err(err);
        }
        summary = Some(stream.finish(&skipped)?);
        Ok(())
    })?;
    let summary = summary.expect("report written");
    let failed = args.fail_on.threshold().is_some_and(|t| summary.findings.worst().is_some_and(|w| w >= t));
    Ok(if unreadable {
        2
    } else if failed {
        1
    } else {
        0
    })
}
