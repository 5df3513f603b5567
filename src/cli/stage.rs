//! `factdiff stage ...`: the stages of `batch`, one at a time, reading and writing JSON
//! Lines. A cluster (Spark, say) runs them between its shuffles: `sketch` on any
//! partition of records; `link` on the sketches (all, or one block of them after a
//! shuffle by term); `group` on sketches and edges; `check` on the records of whole
//! events (after a shuffle by event); `merge` on everything `check` wrote. Every line is
//! a tagged message (`{"type": "sketch", ...}`), so outputs can be concatenated.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use rustc_hash::FxHashMap;

use super::batch::{BatchFormat, FieldArgs};
use super::check::select_rules;
use super::config::ConfigArgs;
use super::{InputArgs, emit, table_width};
use crate::CheckOptions;
use crate::batch::{self, Archive, BatchOptions};
use crate::cluster::{self, Edge, GroupOptions, LinkOptions, Sketch};
use crate::ingest::{IngestOptions, InputError};
use crate::report::batch::{self as out, BatchReport, Message};

#[derive(Debug, Subcommand)]
pub enum Stage {
    /// Sketch each article: `sketch` lines, then `skipped` lines for records not read.
    Sketch(SketchArgs),
    /// Score the candidate pairs among sketches: `edge` lines.
    Link(LinkArgs),
    /// Group articles into events from `sketch` and `edge` lines: `member` lines.
    Group(GroupArgs),
    /// Check events: articles plus `member` lines (or an event field): `event` lines.
    /// With `member` lines, only the articles they name are checked.
    Check(CheckStageArgs),
    /// Merge `event` lines (from `check`) and `skipped` lines (from `sketch`) into one
    /// batch report.
    Merge(MergeArgs),
}

#[derive(Debug, Args)]
pub struct SketchArgs {
    /// Archives, folders or article files, or `-`.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    fields: FieldArgs,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct LinkArgs {
    /// Files of `sketch` lines, or `-`.
    #[arg(required = true, value_name = "SKETCHES")]
    inputs: Vec<String>,
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct GroupArgs {
    /// Files of `sketch` and `edge` lines, or `-`.
    #[arg(required = true, value_name = "LINES")]
    inputs: Vec<String>,
    /// Average similarity at which articles are one event.
    #[arg(long, value_name = "SCORE", default_value_t = GroupOptions::default().threshold)]
    threshold: f32,
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckStageArgs {
    /// Archives, folders or article files, or `-`.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<String>,
    /// Files of `member` lines that say each article's event (else --event-field).
    #[arg(long, value_name = "FILE")]
    members: Vec<String>,
    /// Run only these rules (comma-separated names); replaces the config's `select`.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    select: Vec<String>,
    /// Do not run these rules (comma-separated names), besides the config's `ignore`.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    ignore: Vec<String>,
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    fields: FieldArgs,
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Files of `event` and `skipped` lines, or `-`.
    #[arg(required = true, value_name = "LINES")]
    inputs: Vec<String>,
    #[arg(short, long, value_enum, default_value_t = BatchFormat::Json)]
    format: BatchFormat,
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(stage: Stage) -> anyhow::Result<u8> {
    match stage {
        Stage::Sketch(a) => sketch(a),
        Stage::Link(a) => link(a),
        Stage::Group(a) => group(a),
        Stage::Check(a) => check(a),
        Stage::Merge(a) => merge(a),
    }
}

/// Reads message lines; a line that is not one is an error naming the file and line.
fn read_messages(inputs: &[String]) -> anyhow::Result<Vec<Message>> {
    let mut all = Vec::new();
    for path in inputs {
        let reader: Box<dyn BufRead> = if path == "-" {
            Box::new(BufReader::new(std::io::stdin().lock()))
        } else {
            Box::new(BufReader::new(std::fs::File::open(path).with_context(|| format!("cannot read {path}"))?))
        };
        for (n, line) in reader.lines().enumerate() {
            let line = line.with_context(|| format!("cannot read {path}"))?;
            if line.trim().is_empty() {
                continue;
            }
            let msg = serde_json::from_str(&line)
                .with_context(|| format!("{path}:{}: not a factdiff stage message", n + 1))?;
            all.push(msg);
        }
    }
    Ok(all)
}

fn write_lines(output: Option<&PathBuf>, lines: impl IntoIterator<Item = Message>) -> anyhow::Result<()> {
    let lines: Vec<Message> = lines.into_iter().collect();
    emit(output, |w: &mut dyn Write| {
        for m in &lines {
            serde_json::to_writer(&mut *w, m)?;
            writeln!(w)?;
        }
        Ok(())
    })
}

/// What the stages that read articles share: the archive, options, rule data, config.
type Read = (Archive, BatchOptions, crate::rules::data::RuleData, crate::config::Config);

fn read_archive(inputs: &[String], fields: &FieldArgs, input: &InputArgs, config: &ConfigArgs) -> anyhow::Result<Read> {
    let config = config.load()?;
    let data = config.rule_data()?;
    let ingest = IngestOptions { format: input.input_format.map(Into::into), fields: fields.fields(&config.fields) };
    let archive = batch::read(inputs, &ingest, |_, _| {});
    for e in archive.skipped.iter().filter(|e| e.fatal) {
        eprintln!("factdiff: {e}");
    }
    let opts = BatchOptions { ingest, severity: config.severity.clone(), ..Default::default() };
    Ok((archive, opts, data, config))
}

fn exit_code(skipped: &[InputError]) -> u8 {
    if skipped.iter().any(|e| e.fatal) { 2 } else { 0 }
}

fn sketch(a: SketchArgs) -> anyhow::Result<u8> {
    let (archive, _, _, _) = read_archive(&a.inputs, &a.fields, &a.input, &a.config)?;
    let code = exit_code(&archive.skipped);
    let sketches = batch::sketch_all(&archive.docs);
    let lines = sketches.into_iter().map(Message::Sketch).chain(archive.skipped.into_iter().map(Message::Skipped));
    write_lines(a.output.as_ref(), lines)?;
    Ok(code)
}

fn sketches_of(messages: Vec<Message>) -> (Vec<Sketch>, Vec<(String, String, f32)>) {
    let mut sketches = Vec::new();
    let mut edges = Vec::new();
    for m in messages {
        match m {
            Message::Sketch(s) => sketches.push(s),
            Message::Edge { a, b, score } => edges.push((a, b, score)),
            _ => {}
        }
    }
    (sketches, edges)
}

fn link(a: LinkArgs) -> anyhow::Result<u8> {
    let (sketches, _) = sketches_of(read_messages(&a.inputs)?);
    let edges = cluster::link::link(&sketches, &LinkOptions::default());
    let id = |i: u32| sketches[i as usize].id.clone();
    write_lines(
        a.output.as_ref(),
        edges.into_iter().map(|e| Message::Edge { a: id(e.a), b: id(e.b), score: e.score }),
    )?;
    Ok(0)
}

fn group(a: GroupArgs) -> anyhow::Result<u8> {
    let (sketches, named) = sketches_of(read_messages(&a.inputs)?);
    let index: FxHashMap<&str, u32> = sketches.iter().enumerate().map(|(i, s)| (s.id.as_str(), i as u32)).collect();
    let mut edges = Vec::with_capacity(named.len());
    for (x, y, score) in &named {
        let (Some(&i), Some(&j)) = (index.get(x.as_str()), index.get(y.as_str())) else {
            bail!("edge {x} – {y} names an article with no sketch");
        };
        edges.push(Edge { a: i.min(j), b: i.max(j), score: *score });
    }
    let groups = cluster::group::group(sketches.len(), &edges, a.threshold);
    let events = batch::name_events(&groups);
    let mut lines = vec![None; sketches.len()];
    for (event, members) in &events {
        for &m in members {
            lines[m as usize] = Some(Message::Member { id: sketches[m as usize].id.clone(), event: event.clone() });
        }
    }
    write_lines(a.output.as_ref(), lines.into_iter().flatten())?;
    Ok(0)
}

fn check(a: CheckStageArgs) -> anyhow::Result<u8> {
    let (archive, mut opts, data, config) = read_archive(&a.inputs, &a.fields, &a.input, &a.config)?;
    let select = if a.select.is_empty() { &config.select } else { &a.select };
    let ignore: Vec<String> = config.ignore.iter().chain(&a.ignore).cloned().collect();
    opts.check = CheckOptions { rules: select_rules(select, &ignore)?, ..Default::default() };
    let code = exit_code(&archive.skipped);
    let events = if a.members.is_empty() {
        batch::by_labels(archive.docs.iter().map(|d| (d.id.as_str(), d.meta.event.as_deref())))
    } else {
        let mut event_of: FxHashMap<String, String> = FxHashMap::default();
        for m in read_messages(&a.members)? {
            if let Message::Member { id, event } = m {
                event_of.insert(id, event);
            }
        }
        // Only the events named are this partition's to check.
        let named: Vec<(&str, Option<&str>)> = archive
            .docs
            .iter()
            .filter_map(|d| event_of.get(&d.id).map(|e| (d.id.as_str(), Some(e.as_str()))))
            .collect();
        let mut events = batch::by_labels(named.iter().copied());
        let position: FxHashMap<&str, u32> =
            archive.docs.iter().enumerate().map(|(i, d)| (d.id.as_str(), i as u32)).collect();
        for (_, members) in &mut events {
            for m in members.iter_mut() {
                *m = position[named[*m as usize].0];
            }
        }
        events
    };
    // Records that cannot be read are reported by `sketch`, which reads every record once;
    // here they would be counted again by every partition.
    let mut checked = Vec::new();
    batch::check_events(archive, &events, &data, &opts, Message::Event, |m| checked.push(m));
    write_lines(a.output.as_ref(), checked)?;
    Ok(code)
}

fn merge(a: MergeArgs) -> anyhow::Result<u8> {
    let mut events = Vec::new();
    let mut skipped = Vec::new();
    for m in read_messages(&a.inputs)? {
        match m {
            Message::Event(e) => events.push(e),
            Message::Skipped(s) => skipped.push(s),
            _ => {}
        }
    }
    // Partitions arrive in any order: events by id, skipped records by place.
    events.sort_by(|x, y| x.id.cmp(&y.id));
    skipped.sort_by(|x, y| (&x.source, x.line).cmp(&(&y.source, y.line)));
    let report = BatchReport::new(events, skipped);
    let style = match a.format {
        BatchFormat::Table => out::Style::Table(table_width(a.output.as_ref())),
        BatchFormat::Json => out::Style::Json,
        BatchFormat::Jsonl => out::Style::Jsonl,
        // Event views are drawn from the analysed articles, which `event` lines do not carry.
        BatchFormat::Html => bail!("stage merge cannot write HTML: run `factdiff batch --format html` on the archive"),
    };
    emit(a.output.as_ref(), |w: &mut dyn Write| out::write(&report, style, w))?;
    Ok(exit_code(&report.skipped))
}
