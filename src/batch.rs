//! Batch: an archive grouped into events, every event checked.
//!
//! The work is separable stages, each a function of its inputs, with serialisable
//! outputs, so that the same code runs in one process (`factdiff batch`) or between the
//! shuffles of a cluster (`factdiff stage ...`):
//!
//! 1. [`read`]: records from archives and folders; bad records are skipped, with reasons;
//! 2. sketch each article ([`crate::cluster::sketch`]);
//! 3. link candidate pairs and group them into events ([`crate::cluster`]);
//! 4. [`check_event`]: the `check` pipeline on each event of two articles or more;
//! 5. merge: event reports and skipped records into one report ([`report::batch`]).
//!
//! Memory grows with the archive: article texts and sketches are kept, analyses only
//! while their event is checked.

use std::io::BufReader;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::cluster::{self, GroupOptions, Sketch};
use crate::filter::{self, Silences};
use crate::ingest::{Format, IngestOptions, Input, InputError, Loaded, load_into, stream, walk};
use crate::report::batch::{BatchReport, EventOut};
use crate::report::html::{self, EventHtml};
use crate::report::{Locator, resolve_finding};
use crate::rules::Severity;
use crate::rules::data::RuleData;
use crate::{CheckOptions, analyze, check_analyzed};

/// How an archive is read, grouped and checked.
#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    pub ingest: IngestOptions,
    pub group: GroupOptions,
    pub check: CheckOptions,
    /// Severity overrides by rule name, as in the configuration.
    pub severity: std::collections::BTreeMap<String, Severity>,
    /// Render each event's HTML view while its analysis is alive (`--format html`).
    pub html: bool,
}

/// What was read: documents in input order and the records that could not be used.
#[derive(Debug, Default)]
pub struct Archive {
    pub docs: Vec<crate::ingest::Document>,
    pub skipped: Vec<InputError>,
    /// Bytes of JSON Lines read.
    pub bytes: u64,
}

/// Reads every input. JSON Lines archives (and standard input, unless another format is
/// forced) are streamed record by record; folders are walked; other files are one
/// article each. A record whose id was already seen is skipped, so each id names one
/// article. `progress` is told the bytes and records read so far.
pub fn read(args: &[String], opts: &IngestOptions, mut progress: impl FnMut(u64, usize)) -> Archive {
    let (inputs, walk_errors) = walk::expand(args);
    let mut archive = Archive { skipped: walk_errors, ..Default::default() };
    // Each id's document, to name the first of two records with one id.
    let mut seen: FxHashMap<String, usize> = FxHashMap::default();
    let mut accept = |doc: crate::ingest::Document, archive: &mut Archive| {
        if let Some(&first) = seen.get(&doc.id) {
            let f = &archive.docs[first];
            let at = match f.record_line {
                Some(l) => format!("{}:{l}", f.path),
                None => f.path.clone(),
            };
            let reason = format!("duplicate id `{}` (first at {at})", doc.id);
            archive.skipped.push(InputError { source: doc.path.clone(), line: doc.record_line, reason, fatal: false });
        } else {
            seen.insert(doc.id.clone(), archive.docs.len());
            archive.docs.push(doc);
        }
    };
    for input in &inputs {
        let shown = input.display();
        let jsonl = opts.format.map_or_else(
            || match input {
                Input::Stdin => true,
                Input::Path(p) => Format::from_path(p) == Some(Format::Jsonl),
            },
            |f| f == Format::Jsonl,
        );
        if !jsonl {
            let mut loaded = Loaded::default();
            load_into(input, opts, &mut loaded);
            for doc in loaded.documents {
                accept(doc, &mut archive);
            }
            archive.skipped.extend(loaded.errors);
            progress(archive.bytes, archive.docs.len());
            continue;
        }
        let reader: Box<dyn std::io::Read> = match input {
            Input::Stdin => Box::new(std::io::stdin().lock()),
            Input::Path(p) => match std::fs::File::open(p) {
                Ok(f) => Box::new(BufReader::with_capacity(1 << 20, f)),
                Err(e) => {
                    archive.skipped.push(InputError::fatal(&shown, open_error(&e)));
                    continue;
                }
            },
        };
        let mut records = 0usize;
        let before = archive.bytes;
        let result = stream::read_jsonl(reader, &shown, &opts.fields, |r| {
            records += 1;
            match r {
                Ok(doc) => accept(doc, &mut archive),
                Err(e) => archive.skipped.push(e),
            }
            if records.is_multiple_of(4096) {
                progress(before, archive.docs.len());
            }
        });
        match result {
            Ok(n) => archive.bytes += n,
            Err(e) => archive.skipped.push(InputError::fatal(&shown, format!("cannot read: {e}"))),
        }
        progress(archive.bytes, archive.docs.len());
    }
    archive
}

fn open_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => format!("cannot read: {e}"),
    }
}

/// Sketches every document, in parallel.
pub fn sketch_all(docs: &[crate::ingest::Document]) -> Vec<Sketch> {
    docs.par_iter().map(cluster::sketch::sketch).collect()
}

/// Members of each event, by document index, and each event's id. Events are ordered by
/// their first document; ids are the given labels, or `e000001`... by that order.
pub fn events(sketches: &[Sketch], opts: &GroupOptions, by_label: bool) -> Vec<(String, Vec<u32>)> {
    if by_label {
        return by_labels(sketches.iter().map(|s| (s.id.as_str(), s.event.as_deref())));
    }
    name_events(&cluster::events(sketches, opts))
}

/// Events from given labels; an article without one is an event of its own.
pub fn by_labels<'a>(articles: impl Iterator<Item = (&'a str, Option<&'a str>)>) -> Vec<(String, Vec<u32>)> {
    let mut number: FxHashMap<String, usize> = FxHashMap::default();
    let mut out: Vec<(String, Vec<u32>)> = Vec::new();
    for (i, (id, label)) in articles.enumerate() {
        let label = label.map_or_else(|| format!("(no event) {id}"), str::to_string);
        let next = out.len();
        let k = *number.entry(label.clone()).or_insert(next);
        if k == next {
            out.push((label, Vec::new()));
        }
        out[k].1.push(i as u32);
    }
    out
}

/// Events from group numbers (numbered by first article), named `e000001`... in order.
pub fn name_events(groups: &[u32]) -> Vec<(String, Vec<u32>)> {
    let count = groups.iter().max().map_or(0, |m| *m as usize + 1);
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); count];
    for (i, &g) in groups.iter().enumerate() {
        members[g as usize].push(i as u32);
    }
    let width = 6.max(count.to_string().len());
    members.into_iter().enumerate().map(|(g, m)| (format!("e{:0width$}", g + 1), m)).collect()
}

/// Runs the `check` pipeline on one event's documents and resolves its findings.
pub fn check_event(id: String, docs: Vec<crate::ingest::Document>, data: &RuleData, opts: &BatchOptions) -> EventOut {
    let ids: Vec<String> = docs.iter().map(|d| d.id.clone()).collect();
    if docs.len() < 2 {
        let html = opts
            .html
            .then(|| EventHtml { dates: docs.iter().map(|d| d.meta.date.clone()).collect(), ..Default::default() });
        return EventOut { id, documents: ids, findings: Vec::new(), suppressed: 0, html };
    }
    let analysed = docs.into_iter().map(|d| analyze(d, data)).collect();
    let mut checked = check_analyzed(analysed, data, &opts.check);
    let mut findings = std::mem::take(&mut checked.findings);
    filter::override_severity(&mut findings, &opts.severity);
    let (findings, suppressed) = Silences::read(&checked.docs, |_| true).apply(findings);
    let loc = Locator::new(&checked.docs);
    let resolved: Vec<_> = findings.iter().map(|f| resolve_finding(&checked.docs, &loc, f)).collect();
    let html = opts.html.then(|| html::event_html(&id, &checked.docs, &checked.alignment, &findings, &resolved));
    EventOut { id, documents: ids, findings: resolved, suppressed, html }
}

/// Events checked at a time: enough to keep every core busy, few enough that the
/// analyses in flight stay small and a streamed report starts early.
pub const EVENTS_PER_ROUND: usize = 256;

/// The whole batch in one process: group, check every event. Each event report goes
/// through `prepare` on the worker that checked it (rendering it, say, so that writing
/// is not left to one thread), then to `on_event` in order. Nothing is kept here, so
/// memory does not grow with the findings. Returns the records that were skipped.
pub fn run<T: Send>(
    archive: Archive,
    data: &RuleData,
    opts: &BatchOptions,
    by_label: bool,
    prepare: impl Fn(EventOut) -> T + Sync,
    on_event: impl FnMut(T),
) -> Vec<InputError> {
    let sketches = sketch_all(&archive.docs);
    let groups = events(&sketches, &opts.group, by_label);
    drop(sketches);
    check_events(archive, &groups, data, opts, prepare, on_event)
}

/// Checks given events (document indices into the archive), in order; returns the
/// records that were skipped. See [`run`] for `prepare` and `on_event`.
pub fn check_events<T: Send>(
    archive: Archive,
    groups: &[(String, Vec<u32>)],
    data: &RuleData,
    opts: &BatchOptions,
    prepare: impl Fn(EventOut) -> T + Sync,
    mut on_event: impl FnMut(T),
) -> Vec<InputError> {
    let Archive { docs, skipped, .. } = archive;
    let mut slots: Vec<Option<crate::ingest::Document>> = docs.into_iter().map(Some).collect();
    let prepare = &prepare;
    // While the workers check one round, this thread hands on the round before (writing a
    // report of gigabytes takes seconds that would otherwise leave the workers idle).
    std::thread::scope(|scope| {
        let mut previous: Vec<T> = Vec::new();
        for round in groups.chunks(EVENTS_PER_ROUND) {
            let work: Vec<(String, Vec<crate::ingest::Document>)> = round
                .iter()
                .map(|(id, members)| (id.clone(), members.iter().filter_map(|&i| slots[i as usize].take()).collect()))
                .collect();
            let checking = scope.spawn(move || {
                work.into_par_iter().map(|(id, docs)| prepare(check_event(id, docs, data, opts))).collect::<Vec<T>>()
            });
            previous.drain(..).for_each(&mut on_event);
            previous = checking.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
        previous.into_iter().for_each(&mut on_event);
    });
    skipped
}

/// [`run`], with every event kept in one report.
pub fn collect(archive: Archive, data: &RuleData, opts: &BatchOptions, by_label: bool) -> BatchReport {
    let mut events = Vec::new();
    let skipped = run(archive, data, opts, by_label, |e| e, |e| events.push(e));
    BatchReport::new(events, skipped)
}
