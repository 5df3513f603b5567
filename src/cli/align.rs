//! `factdiff align A B...`: what the aligner paired, for understanding a report.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use comfy_table::{Cell, ContentArrangement, Table, presets};
use serde::Serialize;

use super::{InputArgs, emit, table_width};
use crate::align::How;
use crate::ingest::{IngestOptions, Input, load_all};
use crate::rules::data::RuleData;
use crate::{CheckOptions, check};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AlignFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct AlignArgs {
    /// Two articles (or more) to align.
    #[arg(required = true, num_args = 2.., value_name = "FILE")]
    pub files: Vec<String>,
    #[arg(short, long, value_enum, default_value_t = AlignFormat::Table)]
    pub format: AlignFormat,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Serialize)]
struct Side<'a> {
    doc: &'a str,
    sentence: u32,
    text: &'a str,
}

#[derive(Serialize)]
struct PairOut<'a> {
    a: Side<'a>,
    b: Side<'a>,
    score: f32,
}

#[derive(Serialize)]
struct QuoteSide<'a> {
    doc: &'a str,
    quote: u32,
    text: &'a str,
}

#[derive(Serialize)]
struct QuotePairOut<'a> {
    a: QuoteSide<'a>,
    b: QuoteSide<'a>,
    how: How,
    differs: bool,
}

#[derive(Serialize)]
struct AlignOut<'a> {
    version: u32,
    pairs: Vec<PairOut<'a>>,
    quotes: Vec<QuotePairOut<'a>>,
}

pub fn run(args: AlignArgs) -> anyhow::Result<u8> {
    let data = RuleData::builtin();
    let inputs: Vec<Input> = args.files.iter().map(|f| Input::parse(f)).collect();
    let opts = IngestOptions { format: args.input.input_format.map(Into::into), ..Default::default() };
    let loaded = load_all(&inputs, &opts);
    for e in &loaded.errors {
        eprintln!("factdiff: {e}");
    }
    // Rules are not needed to see the alignment.
    let checked = check(loaded.documents, &data, &CheckOptions { rules: Vec::new(), ..Default::default() });
    let docs = &checked.docs;
    let sent = |doc: u32, s: u32| Side {
        doc: &docs[doc as usize].doc.id,
        sentence: s,
        text: docs[doc as usize].sentence_text(s as usize),
    };
    let quote = |doc: u32, q: u32| {
        let d = &docs[doc as usize];
        QuoteSide { doc: &d.doc.id, quote: q, text: &d.doc.text[d.seg.span(&d.seg.quotes[q as usize].tokens)] }
    };
    let out = AlignOut {
        version: crate::report::VERSION,
        pairs: checked
            .alignment
            .pairs
            .iter()
            .map(|p| PairOut {
                a: sent(p.a.doc, p.a.sent),
                b: sent(p.b.doc, p.b.sent),
                score: (p.score * 1000.0).round() / 1000.0,
            })
            .collect(),
        quotes: checked
            .alignment
            .quote_pairs
            .iter()
            .map(|p| QuotePairOut {
                a: quote(p.a.doc, p.a.quote),
                b: quote(p.b.doc, p.b.quote),
                how: p.how,
                differs: p.differs(),
            })
            .collect(),
    };
    emit(args.output.as_ref(), |w| match args.format {
        AlignFormat::Json => {
            serde_json::to_writer_pretty(&mut *w, &out)?;
            writeln!(w)
        }
        AlignFormat::Table => render_table(&out, table_width(args.output.as_ref()), w),
    })?;
    Ok(if loaded.errors.is_empty() { 0 } else { 2 })
}

fn render_table(out: &AlignOut, width: u16, w: &mut dyn Write) -> std::io::Result<()> {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_HORIZONTAL_ONLY);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(width);
    t.set_header(["score", "sentence", "sentence"]);
    for p in &out.pairs {
        t.add_row([
            Cell::new(format!("{:.2}", p.score)),
            Cell::new(format!("{} #{}\n{}", p.a.doc, p.a.sentence, p.a.text)),
            Cell::new(format!("{} #{}\n{}", p.b.doc, p.b.sentence, p.b.text)),
        ]);
    }
    writeln!(w, "{} sentence pairs", out.pairs.len())?;
    writeln!(w, "{t}")?;
    let mut q = Table::new();
    q.load_preset(presets::UTF8_HORIZONTAL_ONLY);
    q.set_content_arrangement(ContentArrangement::Dynamic);
    q.set_width(width);
    q.set_header(["how", "quote", "quote", "differs"]);
    for p in &out.quotes {
        let how = match p.how {
            How::Text => "text",
            How::Slot => "slot",
        };
        q.add_row([
            Cell::new(how),
            Cell::new(format!("{} «{}»", p.a.doc, p.a.text)),
            Cell::new(format!("{} «{}»", p.b.doc, p.b.text)),
            Cell::new(if p.differs { "yes" } else { "no" }),
        ]);
    }
    writeln!(w, "{} quote pairs", out.quotes.len())?;
    writeln!(w, "{q}")
}
