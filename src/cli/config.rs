//! `factdiff config`: the configuration in force and where it came from, so a surprising
//! run can be explained without reading every file up the folder tree.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::emit;
use crate::config::Config;

/// Where the configuration comes from; shared by every command that reads it.
#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// Read this configuration file instead of looking for factdiff.toml or .factdiff.toml
    /// in this folder and the folders above it.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Read no configuration file: built-in defaults and flags only.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,
}

impl ConfigArgs {
    /// The configuration for this run; a bad file is an error naming it.
    pub fn load(&self) -> anyhow::Result<Config> {
        let cwd = std::env::current_dir().context("cannot read the working directory")?;
        Ok(Config::load(self.config.as_deref(), self.isolated, &cwd)?)
    }
}

#[derive(Debug, Args)]
pub struct ConfigCmdArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
}

pub fn run(args: ConfigCmdArgs) -> anyhow::Result<u8> {
    let config = args.config.load()?;
    // Checking the packs here too means `factdiff config` is a quick test of the whole setup.
    config.rule_data()?;
    let origin = match (&config.source, args.config.isolated) {
        (Some(path), _) => format!("# from {}", path.display()),
        (None, true) => "# --isolated: built-in defaults".to_string(),
        (None, false) => "# no factdiff.toml or .factdiff.toml here or above: built-in defaults".to_string(),
    };
    emit(None, |w| {
        writeln!(w, "{origin}")?;
        write!(w, "{}", config.to_toml())
    })?;
    Ok(0)
}
