//! Configuration: `factdiff.toml` (or `.factdiff.toml`), found by walking up from the
//! working directory as typos and ruff find theirs, so a newsroom's repository carries its
//! settings and CI needs no flags. `--config PATH` names a file; `--isolated` reads none.
//!
//! Unknown keys and bad values are errors naming the file, line and key: a misspelt
//! setting that silently did nothing would be worse than no setting. Paths in the file
//! (rule packs, the baseline) are relative to the file's folder, so the same file works
//! from any folder below it. Command-line flags win over the file, which wins over defaults.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

use crate::ingest::FieldNames;
use crate::rules::data::{AliasEntry, DataError, Pack, RuleData, read_pack};
use crate::rules::{self, Severity};
use crate::text::LineIndex;

/// The names a configuration file may have, in the order they are looked for in a folder.
pub const FILE_NAMES: &[&str] = &["factdiff.toml", ".factdiff.toml"];

/// The level of finding that makes the exit code 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    #[default]
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// A configuration file as written. Every key is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Rules to run; empty means all.
    #[serde(default)]
    pub select: Vec<String>,
    /// Rules not to run.
    #[serde(default)]
    pub ignore: Vec<String>,
    pub fail_on: Option<FailOn>,
    /// Rule name → the severity its findings get.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Rule-data files added to the built-in ones, relative to the config file.
    #[serde(default)]
    pub rule_packs: Vec<PathBuf>,
    /// Accepted findings, relative to the config file.
    pub baseline: Option<PathBuf>,
    /// Name groups, as in `rules/aliases.toml`.
    #[serde(default)]
    pub alias: Vec<AliasEntry>,
    /// JSON Lines field names.
    pub fields: Option<FieldNames>,
}

/// The configuration in force: a file's settings over the defaults, paths resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Config {
    /// The file read, if any; never printed as a key.
    #[serde(skip)]
    pub source: Option<PathBuf>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub fail_on: FailOn,
    pub rule_packs: Vec<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<PathBuf>,
    pub severity: BTreeMap<String, Severity>,
    pub fields: FieldNames,
    pub alias: Vec<AliasEntry>,
}

/// A configuration file that cannot be used: its path, where in it, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: String,
    /// 1-based line and column, where known.
    pub at: Option<(usize, usize)>,
    /// The key at fault, dotted (`fields.body`), where known.
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some((line, col)) = self.at {
            write!(f, ":{line}:{col}")?;
        }
        match &self.key {
            // toml's own message often names the key already ("unknown field `colour`").
            Some(key) if !self.message.contains(&format!("`{key}`")) => write!(f, ": `{key}`: {}", self.message),
            _ => write!(f, ": {}", self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Looks for a configuration file in `cwd` and each folder above it. The path returned is
/// relative to `cwd` (`factdiff.toml`, `../../factdiff.toml`), so what is printed does not
/// depend on where the repository is checked out.
pub fn discover(cwd: &Path) -> Option<PathBuf> {
    let mut up = PathBuf::new();
    let mut dir = Some(cwd);
    while let Some(d) = dir {
        for name in FILE_NAMES {
            if d.join(name).is_file() {
                return Some(up.join(name));
            }
        }
        up.push("..");
        dir = d.parent();
    }
    None
}

impl Config {
    /// The configuration for a run: the file named, else the one found from `cwd`, else
    /// the defaults; with `isolated`, always the defaults.
    pub fn load(explicit: Option<&Path>, isolated: bool, cwd: &Path) -> Result<Config, ConfigError> {
        if isolated {
            return Ok(Config::default());
        }
        match explicit.map(Path::to_path_buf).or_else(|| discover(cwd)) {
            Some(path) => Config::read(&path),
            None => Ok(Config::default()),
        }
    }

    /// Reads and checks one configuration file.
    pub fn read(path: &Path) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: shown.clone(),
            at: None,
            key: None,
            message: match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                _ => format!("cannot read: {e}"),
            },
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        Config::parse(&shown, &text, base).map(|mut c| {
            c.source = Some(path.to_path_buf());
            c
        })
    }

    /// Parses the text of a configuration file shown as `shown`, whose relative paths are
    /// relative to `base`.
    pub fn parse(shown: &str, text: &str, base: &Path) -> Result<Config, ConfigError> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|s| LineIndex::new(text).line_col(text, s.start));
            ConfigError {
                path: shown.to_string(),
                at,
                key: e.span().and_then(|s| key_at(text, s.start)),
                message: e.message().trim().to_string(),
            }
        })?;
        let error = |key: String, needle: &str, message: String| {
            let at = text.find(needle).map(|i| LineIndex::new(text).line_col(text, i));
            ConfigError { path: shown.to_string(), at, key: Some(key), message }
        };
        for (key, names) in [("select", &file.select), ("ignore", &file.ignore)] {
            for name in names {
                if rules::find(name).is_none() {
                    return Err(error(key.to_string(), &format!("\"{name}\""), unknown_rule(name)));
                }
            }
        }
        for name in file.severity.keys() {
            if rules::find(name).is_none() {
                return Err(error(format!("severity.{name}"), name, unknown_rule(name)));
            }
        }
        let resolve =
            |p: &PathBuf| if p.is_absolute() || base.as_os_str().is_empty() { p.clone() } else { base.join(p) };
        Ok(Config {
            source: None,
            select: file.select,
            ignore: file.ignore,
            fail_on: file.fail_on.unwrap_or_default(),
            rule_packs: file.rule_packs.iter().map(resolve).collect(),
            baseline: file.baseline.as_ref().map(resolve),
            severity: file.severity,
            fields: file.fields.unwrap_or_default(),
            alias: file.alias,
        })
    }

    /// The rule packs this configuration adds to the built-in ones: the files it names,
    /// then its own aliases as a pack named after the file.
    pub fn packs(&self) -> Result<Vec<(String, Pack)>, DataError> {
        let mut packs = Vec::new();
        for path in &self.rule_packs {
            packs.push((path.display().to_string(), read_pack(path)?));
        }
        if !self.alias.is_empty() {
            let name = self.source.as_ref().map_or_else(|| "configuration".to_string(), |p| p.display().to_string());
            packs.push((name, Pack { alias: self.alias.clone(), ..Pack::default() }));
        }
        Ok(packs)
    }

    /// The built-in rule data plus this configuration's packs and aliases.
    pub fn rule_data(&self) -> Result<RuleData, DataError> {
        RuleData::with_packs(self.packs()?)
    }

    /// The configuration as TOML, every key shown with its value in force.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_else(|e| format!("# cannot show the configuration: {e}\n"))
    }
}

fn unknown_rule(name: &str) -> String {
    let known: Vec<&str> = rules::RULES.iter().map(|r| r.name).collect();
    format!("unknown rule `{name}` (rules: {})", known.join(", "))
}

/// The dotted key written on the line holding byte `at` of a TOML file: `fields.bdy` for
/// `bdy = …` under `[fields]`. toml's messages give the position, not always the key.
pub(crate) fn key_at(text: &str, at: usize) -> Option<String> {
    let start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or("").trim();
    let table = text[..start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(['[', ']']).trim().to_string());
    if line.starts_with('[') {
        return Some(line.trim_matches(['[', ']']).trim().to_string());
    }
    let key = line.split_once('=')?.0.trim().trim_matches('"');
    if key.is_empty() {
        return None;
    }
    Some(match table {
        Some(t) => format!("{t}.{key}"),
        None => key.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse("factdiff.toml", text, Path::new("ci"))
    }

    #[test]
    fn keys_are_read_and_paths_resolved_against_the_file() {
        let c = parse(
            "select = [\"quote-drift\", \"name-variant\"]\nfail-on = \"warning\"\nrule-packs = [\"house.toml\"]\n\
             baseline = \"baseline.json\"\n[severity]\nname-variant = \"error\"\n[fields]\nbody = [\"content\"]\n\
             [[alias]]\nnames = [\"Kyiv\", \"Kiev\"]\nspelling = true\n",
        )
        .unwrap();
        assert_eq!(c.select, ["quote-drift", "name-variant"]);
        assert_eq!(c.fail_on, FailOn::Warning);
        assert_eq!(c.rule_packs, [Path::new("ci").join("house.toml")]);
        assert_eq!(c.baseline, Some(Path::new("ci").join("baseline.json")));
        assert_eq!(c.severity.get("name-variant"), Some(&Severity::Error));
        assert_eq!(c.fields.body, ["content"]);
        assert_eq!(c.fields.id, "id", "unset field names keep their defaults");
        assert_eq!(c.alias.len(), 1);
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let e = parse("select = []\ncolour = true\n").unwrap_err();
        assert_eq!(e.at, Some((2, 1)));
        let shown = e.to_string();
        assert!(shown.starts_with("factdiff.toml:2:1: "), "{shown}");
        assert!(shown.contains("`colour`"), "{shown}");

        let e = parse("fail-on = \"sometimes\"\n").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("fail-on"));
        assert!(e.to_string().contains("sometimes"), "{e}");

        let e = parse("[fields]\nbdy = [\"x\"]\n").unwrap_err();
        assert!(e.to_string().starts_with("factdiff.toml:2:1: "), "{e}");
        assert!(e.to_string().contains("bdy"), "{e}");

        let e = parse("[severity]\nquote-drfit = \"info\"\n").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("severity.quote-drfit"));
        assert_eq!(e.at, Some((2, 1)));
        assert!(e.to_string().contains("unknown rule `quote-drfit`"), "{e}");

        let e = parse("ignore = [\"single-source\", \"nope\"]\n").unwrap_err();
        assert_eq!(e.to_string(), format!("factdiff.toml:1:28: `ignore`: {}", unknown_rule("nope")));
    }

    #[test]
    fn discovery_walks_up_and_prefers_the_plain_name() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(discover(&deep), None);
        std::fs::write(dir.path().join(".factdiff.toml"), "").unwrap();
        assert_eq!(discover(&deep), Some(PathBuf::from("../../.factdiff.toml")));
        std::fs::write(dir.path().join("factdiff.toml"), "").unwrap();
        assert_eq!(discover(&deep), Some(PathBuf::from("../../factdiff.toml")));
        std::fs::write(deep.join("factdiff.toml"), "").unwrap();
        assert_eq!(discover(&deep), Some(PathBuf::from("factdiff.toml")));
        assert_eq!(Config::load(None, true, &deep).unwrap(), Config::default());
    }

    #[test]
    fn resolved_configuration_prints_as_toml_that_reads_back() {
        let c = parse("fail-on = \"info\"\n[severity]\nquote-drift = \"warning\"\n").unwrap();
        let shown = c.to_toml();
        assert!(shown.contains("fail-on = \"info\""), "{shown}");
        let again = Config::parse("x.toml", &shown, Path::new("")).unwrap();
        assert_eq!(again.fail_on, FailOn::Info);
        assert_eq!(again.severity, c.severity);
    }
}
