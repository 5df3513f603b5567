//! The command line: argument parsing and the commands, over the library.
//!
//! Exit codes are the same for every command and format: 0 when nothing reaches
//! `--fail-on`, 1 when a finding does, 2 for a usage, config or input error. Standard
//! output carries only the report; errors and progress go to standard error. A closed
//! pipe (`factdiff check ... | head`) ends the run quietly.

mod align;
mod batch;
mod check;
mod config;
mod rules;
mod stage;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::config::FailOn;
use crate::ingest::Format as InputFormat;

#[derive(Debug, Parser)]
#[command(
    name = "factdiff",
    version,
    about = "Check whether several articles about the same event tell the same facts."
)]
#[command(propagate_version = true, disable_help_subcommand = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check articles about one event for facts that diverge.
    Check(check::CheckArgs),
    /// Group an archive by event and check every event.
    Batch(batch::BatchArgs),
    /// Run one stage of `batch`, JSON Lines in and out, for running on a cluster.
    #[command(subcommand)]
    Stage(stage::Stage),
    /// Show which sentences and quotes of the articles were paired, with scores.
    Align(align::AlignArgs),
    /// List the rules, explain one, or test rule packs.
    Rules(rules::RulesArgs),
    /// Print the configuration in force and the file it came from.
    Config(config::ConfigCmdArgs),
}

/// When to colour terminal output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Whether to write colour to standard output. `auto` follows the terminal and the
    /// NO_COLOR convention.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
            }
        }
    }
}

/// Input options shared by commands that read articles.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Read inputs as this format instead of guessing from the extension (useful for `-`).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormatArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    Text,
    Markdown,
    Html,
    Jsonl,
}

impl From<InputFormatArg> for InputFormat {
    fn from(f: InputFormatArg) -> Self {
        match f {
            InputFormatArg::Text => InputFormat::Text,
            InputFormatArg::Markdown => InputFormat::Markdown,
            InputFormatArg::Html => InputFormat::Html,
            InputFormatArg::Jsonl => InputFormat::Jsonl,
        }
    }
}

/// Table width when not writing to a terminal.
const FILE_WIDTH: u16 = 120;

/// The width tables wrap to: the terminal's, or elsewhere (files, pipes, CI logs) a
/// fixed one, so the same input gives the same bytes.
pub fn table_width(output: Option<&PathBuf>) -> u16 {
    let on_terminal = output.is_none() && io::stdout().is_terminal();
    on_terminal.then(|| comfy_table::Table::new().width()).flatten().unwrap_or(FILE_WIDTH)
}

/// Where a report goes: standard output, or a file written atomically.
pub fn emit(output: Option<&PathBuf>, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> anyhow::Result<()> {
    use anyhow::Context;
    match output {
        Some(path) => {
            crate::report::write_atomic(path, write).with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let stdout = io::stdout();
            let mut lock = io::BufWriter::new(stdout.lock());
            write(&mut lock).and_then(|_| lock.flush()).map_err(anyhow::Error::from)
        }
    }
}

/// Runs the command line; returns the process exit code.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Stage(stage) => stage::run(stage),
        Command::Align(args) => align::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Config(args) => config::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("factdiff: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe))
}
