//! Rule data: the word lists a newsroom tunes, kept in `rules/*.toml`.
//!
//! Every file ("pack") has the same schema; each fills the sections it needs and carries
//! `[[example]]` cases that `cargo test` and `factdiff rules test` run. The built-in packs
//! are compiled into the binary, so factdiff works from any folder; packs named in a
//! config file are added on top. A malformed pack is an error naming its path and key.

use std::fmt;
use std::path::Path;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::text::{fold, word_key};

/// The packs compiled into factdiff, in the order they are applied.
pub const BUILTIN: &[(&str, &str)] = &[
    ("rules/boilerplate.toml", include_str!("../../rules/boilerplate.toml")),
    ("rules/abbreviations.toml", include_str!("../../rules/abbreviations.toml")),
    ("rules/honorifics.toml", include_str!("../../rules/honorifics.toml")),
    ("rules/hedges.toml", include_str!("../../rules/hedges.toml")),
    ("rules/attribution.toml", include_str!("../../rules/attribution.toml")),
    ("rules/aliases.toml", include_str!("../../rules/aliases.toml")),
];

/// A problem in a rule pack: its path, the key at fault where known, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataError {
    pub path: String,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(f, "{}: `{}`: {}", self.path, key, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for DataError {}

/// One rule-data file as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Pack {
    #[serde(default)]
    pub boilerplate: Vec<BoilerplateEntry>,
    pub abbreviations: Option<AbbreviationEntry>,
    #[serde(default)]
    pub honorific: Vec<HonorificEntry>,
    #[serde(default)]
    pub hedge: Vec<HedgeEntry>,
    pub attribution: Option<AttributionEntry>,
    #[serde(default)]
    pub alias: Vec<AliasEntry>,
    /// House rules: spellings a newsroom corrects (none built in).
    #[serde(default)]
    pub house_spelling: Vec<HouseSpellingEntry>,
    /// House rules: phrases a newsroom does not print (none built in).
    #[serde(default)]
    pub banned: Vec<BannedEntry>,
    #[serde(default)]
    pub example: Vec<Example>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BoilerplateEntry {
    pub name: String,
    /// Regular expression matched against a whole trimmed paragraph.
    pub pattern: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AbbreviationEntry {
    #[serde(default)]
    pub never_end: Vec<String>,
    #[serde(default)]
    pub before_number: Vec<String>,
    #[serde(default)]
    pub may_end: Vec<String>,
    #[serde(default)]
    pub sentence_starters: Vec<String>,
}

/// Which part of a name an honorific takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Takes {
    Surname,
    Given,
    Any,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HonorificEntry {
    pub words: Vec<String>,
    pub takes: Takes,
}

/// What a hedge signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HedgeKind {
    /// Doubt about a fact: "is believed to be".
    Epistemic,
    /// Something yet to happen: "is expected to".
    Forecast,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HedgeEntry {
    pub kind: HedgeKind,
    pub phrases: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AttributionEntry {
    #[serde(default)]
    pub verbs: Vec<String>,
    #[serde(default)]
    pub outlet_leads: Vec<String>,
    #[serde(default)]
    pub generic: Vec<String>,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub titles: Vec<String>,
    #[serde(default)]
    pub generic_outlets: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AliasEntry {
    pub names: Vec<String>,
    /// Variant spellings of one name (flagged) rather than other names for it.
    #[serde(default)]
    pub spelling: bool,
}

/// One house spelling: the form to print and the forms to correct ("Kiev" → "Kyiv").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HouseSpellingEntry {
    pub right: String,
    pub wrong: Vec<String>,
}

/// Phrases a newsroom does not print, and what to say when one is found.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BannedEntry {
    pub phrases: Vec<String>,
    pub message: String,
}

/// A test case a pack carries: some text and what factdiff must find in it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Example {
    /// One document...
    pub text: Option<String>,
    /// ...or several, checked together as one event.
    pub docs: Option<Vec<String>>,
    /// The sentences `text` splits into.
    pub sentences: Option<Vec<String>>,
    /// What of `text` survives cleaning, paragraphs joined by a blank line.
    pub kept: Option<String>,
    /// The hedge phrases found in `text`, in order.
    pub hedges: Option<Vec<String>>,
    /// The speakers of `text`'s quotes and claims, as keys are shown.
    pub speakers: Option<Vec<String>>,
    /// The outlets `text` names.
    pub outlets: Option<Vec<String>>,
    /// The rules that fire on `docs` (or `text`), each once, sorted.
    pub findings: Option<Vec<String>>,
}

/// Pattern lists compiled for use.
#[derive(Debug, Clone)]
pub struct RuleData {
    pub boilerplate: Boilerplate,
    pub abbreviations: Abbreviations,
    /// Honorific (by word key) → what it takes.
    pub honorifics: FxHashMap<u64, Takes>,
    pub hedges: Hedges,
    pub attribution: Attribution,
    pub aliases: Aliases,
    /// House spellings and banned phrases from packs.
    pub house: House,
    /// The packs loaded, with their examples, by path.
    pub packs: Vec<(String, Pack)>,
}

#[derive(Debug, Clone)]
pub struct Boilerplate {
    pub names: Vec<String>,
    /// One regex each: a `RegexSet` must run every pattern at once on the slow
    /// engine; separate regexes use the fast one and stop at the first match.
    pub patterns: Vec<Regex>,
}

impl Boilerplate {
    /// The name of the first pattern `paragraph` matches.
    pub fn matches(&self, paragraph: &str) -> Option<&str> {
        self.patterns.iter().position(|r| r.is_match(paragraph)).map(|i| self.names[i].as_str())
    }
}

/// Folded words for the sentence splitter.
#[derive(Debug, Clone, Default)]
pub struct Abbreviations {
    pub never_end: FxHashSet<String>,
    pub before_number: FxHashSet<String>,
    pub may_end: FxHashSet<String>,
    pub starters: FxHashSet<String>,
}

#[derive(Debug, Clone)]
pub struct Hedges {
    matcher: AhoCorasick,
    pub phrases: Vec<String>,
    pub kinds: Vec<HedgeKind>,
}

/// A hedge found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HedgeMatch {
    pub start: usize,
    pub end: usize,
    pub phrase: usize,
    pub kind: HedgeKind,
}

impl Hedges {
    /// Hedges in `text`, whole words only, leftmost-longest.
    pub fn find(&self, text: &str) -> Vec<HedgeMatch> {
        let bytes = text.as_bytes();
        let word = |i: usize| text[i..].chars().next().is_some_and(|c| c.is_alphanumeric());
        let word_before = |i: usize| text[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric());
        self.matcher
            .find_iter(bytes)
            .filter(|m| !word_before(m.start()) && !word(m.end()))
            .map(|m| HedgeMatch {
                start: m.start(),
                end: m.end(),
                phrase: m.pattern().as_usize(),
                kind: self.kinds[m.pattern().as_usize()],
            })
            .collect()
    }
}

/// Word-key sets for attribution.
#[derive(Debug, Clone, Default)]
pub struct Attribution {
    pub verbs: FxHashSet<u64>,
    /// Each lead as a sequence of word keys.
    pub outlet_leads: Vec<Vec<u64>>,
    /// The first word of each lead, to skip the rest quickly.
    pub outlet_lead_first: FxHashSet<u64>,
    pub generic: FxHashSet<u64>,
    pub roles: FxHashSet<u64>,
    pub titles: FxHashSet<u64>,
    pub generic_outlets: FxHashSet<String>,
}

/// Phrases matched as whole words, ignoring ASCII case, longest first; each maps back
/// to the pack entry it came from.
#[derive(Debug, Clone)]
pub struct Phrases {
    matcher: AhoCorasick,
    pub phrases: Vec<String>,
    pub entry: Vec<usize>,
}

impl Phrases {
    fn build(phrases: Vec<String>, entry: Vec<usize>) -> Result<Phrases, aho_corasick::BuildError> {
        let matcher = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&phrases)?;
        Ok(Phrases { matcher, phrases, entry })
    }

    /// (byte range in `text`, index of the phrase) of each whole-word match.
    pub fn find(&self, text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
        if self.phrases.is_empty() {
            return Vec::new();
        }
        let word_at = |i: usize| text[i..].chars().next().is_some_and(char::is_alphanumeric);
        let word_before = |i: usize| text[..i].chars().next_back().is_some_and(char::is_alphanumeric);
        self.matcher
            .find_iter(text.as_bytes())
            .filter(|m| !word_before(m.start()) && !word_at(m.end()))
            .map(|m| (m.range(), m.pattern().as_usize()))
            .collect()
    }
}

/// The house rules of the packs loaded.
#[derive(Debug, Clone)]
pub struct House {
    pub spellings: Vec<HouseSpellingEntry>,
    /// Every wrong form; `entry` indexes `spellings`.
    pub wrong: Phrases,
    pub banned: Vec<BannedEntry>,
    /// Every banned phrase; `entry` indexes `banned`.
    pub banned_phrases: Phrases,
}

/// Alias groups, looked up by a name's folded form.
#[derive(Debug, Clone, Default)]
pub struct Aliases {
    pub groups: Vec<AliasEntry>,
    by_name: FxHashMap<String, usize>,
}

impl Aliases {
    /// The group a name (any case, accents or not) belongs to.
    pub fn group_of(&self, name: &str) -> Option<usize> {
        self.by_name.get(&alias_key(name)).copied()
    }

    /// The house form of a group: its first name.
    pub fn preferred(&self, group: usize) -> &str {
        &self.groups[group].names[0]
    }
}

/// Folded and stripped of punctuation, so "No. 10" and "no 10" meet.
fn alias_key(name: &str) -> String {
    fold(name).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Parses one pack; errors name the path and, from the TOML parser, the line, column and
/// key (`house.toml:3:1: unknown field `phrase`, expected ...`).
pub fn parse_pack(path: &str, text: &str) -> Result<Pack, DataError> {
    toml::from_str(text).map_err(|e| {
        let at = e.span().map(|s| crate::text::LineIndex::new(text).line_col(text, s.start));
        DataError {
            path: match at {
                Some((line, col)) => format!("{path}:{line}:{col}"),
                None => path.to_string(),
            },
            key: e.span().and_then(|s| crate::config::key_at(text, s.start)),
            message: e.message().split_whitespace().collect::<Vec<_>>().join(" "),
        }
    })
}

/// Reads and parses a pack file.
pub fn read_pack(path: &Path) -> Result<Pack, DataError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| DataError {
        path: shown.clone(),
        key: None,
        message: e.to_string(),
    })?;
    parse_pack(&shown, &text)
}

impl RuleData {
    /// The built-in packs only.
    pub fn builtin() -> RuleData {
        Self::with_packs(Vec::new()).expect("built-in rule data is checked by tests")
    }

    /// The built-in packs plus `extra` ones, which add to (never replace) the lists.
    pub fn with_packs(extra: Vec<(String, Pack)>) -> Result<RuleData, DataError> {
        let mut packs = Vec::with_capacity(BUILTIN.len() + extra.len());
        for (path, text) in BUILTIN {
            packs.push((path.to_string(), parse_pack(path, text)?));
        }
        packs.extend(extra);
        Self::compile(packs)
    }

    fn compile(packs: Vec<(String, Pack)>) -> Result<RuleData, DataError> {
        let mut names = Vec::new();
        let mut patterns = Vec::new();
        let mut abbreviations = Abbreviations::default();
        let mut honorifics = FxHashMap::default();
        let mut phrases = Vec::new();
        let mut kinds = Vec::new();
        let mut attribution = Attribution::default();
        let mut aliases = Aliases::default();
        let (mut spellings, mut wrong, mut wrong_entry) = (Vec::new(), Vec::new(), Vec::new());
        let (mut banned, mut banned_phrases, mut banned_entry) = (Vec::new(), Vec::new(), Vec::new());

        let folded = |v: &[String]| v.iter().map(|w| fold(w)).collect::<Vec<_>>();
        let keys = |v: &[String]| v.iter().map(|w| word_key(w)).collect::<Vec<_>>();
        for (path, pack) in &packs {
            for (i, b) in pack.boilerplate.iter().enumerate() {
                let re = Regex::new(&b.pattern).map_err(|e| DataError {
                    path: path.clone(),
                    key: Some(format!("boilerplate[{i}].pattern")),
                    message: e.to_string().lines().last().unwrap_or("invalid regex").trim().to_string(),
                })?;
                names.push(b.name.clone());
                patterns.push(re);
            }
            if let Some(a) = &pack.abbreviations {
                abbreviations.never_end.extend(folded(&a.never_end));
                abbreviations.before_number.extend(folded(&a.before_number));
                abbreviations.may_end.extend(folded(&a.may_end));
                abbreviations.starters.extend(folded(&a.sentence_starters));
            }
            for h in &pack.honorific {
                for w in &h.words {
                    honorifics.insert(word_key(w), h.takes);
                }
            }
            for (i, h) in pack.hedge.iter().enumerate() {
                for p in &h.phrases {
                    if p.trim().is_empty() {
                        return Err(DataError {
                            path: path.clone(),
                            key: Some(format!("hedge[{i}].phrases")),
                            message: "empty phrase".into(),
                        });
                    }
                    phrases.push(p.trim().to_string());
                    kinds.push(h.kind);
                }
            }
            if let Some(a) = &pack.attribution {
                attribution.verbs.extend(keys(&a.verbs));
                attribution
                    .outlet_leads
                    .extend(a.outlet_leads.iter().map(|l| l.split_whitespace().map(word_key).collect()));
                attribution
                    .outlet_lead_first
                    .extend(attribution.outlet_leads.iter().filter_map(|l| l.first().copied()));
                attribution.generic.extend(keys(&a.generic));
                attribution.roles.extend(keys(&a.roles));
                attribution.titles.extend(keys(&a.titles));
                attribution.generic_outlets.extend(a.generic_outlets.iter().map(|o| alias_key(o)));
            }
            for (i, a) in pack.alias.iter().enumerate() {
                if a.names.len() < 2 && a.spelling {
                    return Err(DataError {
                        path: path.clone(),
                        key: Some(format!("alias[{i}].names")),
                        message: "a spelling group needs two names or more".into(),
                    });
                }
                let group = aliases.groups.len();
                for n in &a.names {
                    aliases.by_name.insert(alias_key(n), group);
                }
                aliases.groups.push(a.clone());
            }
            let empty =
                |key: String, message: &str| DataError { path: path.clone(), key: Some(key), message: message.into() };
            for (i, h) in pack.house_spelling.iter().enumerate() {
                if h.right.trim().is_empty() {
                    return Err(empty(format!("house-spelling[{i}].right"), "empty spelling"));
                }
                if h.wrong.is_empty() {
                    return Err(empty(format!("house-spelling[{i}].wrong"), "no spelling to correct"));
                }
                for w in &h.wrong {
                    if w.trim().is_empty() {
                        return Err(empty(format!("house-spelling[{i}].wrong"), "empty spelling"));
                    }
                    if w.trim() == h.right.trim() {
                        return Err(empty(format!("house-spelling[{i}].wrong"), "lists the right spelling as wrong"));
                    }
                    wrong.push(w.trim().to_string());
                    wrong_entry.push(spellings.len());
                }
                spellings.push(h.clone());
            }
            for (i, b) in pack.banned.iter().enumerate() {
                if b.phrases.is_empty() || b.phrases.iter().any(|p| p.trim().is_empty()) {
                    return Err(empty(format!("banned[{i}].phrases"), "no phrase, or an empty one"));
                }
                for p in &b.phrases {
                    banned_phrases.push(p.trim().to_string());
                    banned_entry.push(banned.len());
                }
                banned.push(b.clone());
            }
        }
        let build_error = |key: &'static str| {
            move |e: aho_corasick::BuildError| DataError {
                path: "rules".into(),
                key: Some(key.into()),
                message: e.to_string(),
            }
        };
        let house = House {
            spellings,
            wrong: Phrases::build(wrong, wrong_entry).map_err(build_error("house-spelling"))?,
            banned,
            banned_phrases: Phrases::build(banned_phrases, banned_entry).map_err(build_error("banned"))?,
        };
        let matcher = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(&phrases)
            .map_err(|e| DataError { path: "rules".into(), key: Some("hedge".into()), message: e.to_string() })?;
        Ok(RuleData {
            boilerplate: Boilerplate { names, patterns },
            abbreviations,
            honorifics,
            hedges: Hedges { matcher, phrases, kinds },
            attribution,
            aliases,
            house,
            packs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_packs_compile() {
        let data = RuleData::builtin();
        assert!(data.boilerplate.matches("Advertisement").is_some());
        assert!(data.abbreviations.never_end.contains("mr"));
        assert_eq!(data.honorifics.get(&word_key("Sir")), Some(&Takes::Given));
        assert_eq!(data.aliases.group_of("no. 10"), data.aliases.group_of("Downing Street"));
    }

    #[test]
    fn hedges_match_whole_words() {
        let data = RuleData::builtin();
        let found = data.hedges.find("He is Believed to be first; unreportedly not.");
        assert_eq!(found.len(), 1);
        assert_eq!(data.hedges.phrases[found[0].phrase], "is believed to");
    }

    #[test]
    fn bad_pack_names_path_and_key() {
        let err = parse_pack("house.toml", "[[hedge]]\nkind = \"epistemic\"\nphrase = [\"x\"]\n").unwrap_err();
        assert_eq!(err.path, "house.toml:3:1");
        assert_eq!(err.key.as_deref(), Some("hedge.phrase"));
        assert!(err.message.contains("unknown field `phrase`"), "{}", err.message);
        let err = parse_pack("house.toml", "[[hedge]]\nkind = \"sometimes\"\n").unwrap_err();
        assert!(err.to_string().starts_with("house.toml:2:8: `hedge.kind`: unknown variant `sometimes`"), "{err}");
        let bad = parse_pack("house.toml", "[[boilerplate]]\nname = \"x\"\npattern = \"(\"\n").unwrap();
        let err = RuleData::with_packs(vec![("house.toml".into(), bad)]).unwrap_err();
        assert_eq!(err.key.as_deref(), Some("boilerplate[0].pattern"));
        let bad =
            parse_pack("house.toml", "[[house-spelling]]\nright = \"Kyiv\"\nwrong = [\"Kiev\", \"Kyiv\"]\n").unwrap();
        let err = RuleData::with_packs(vec![("house.toml".into(), bad)]).unwrap_err();
        assert_eq!(err.to_string(), "house.toml: `house-spelling[0].wrong`: lists the right spelling as wrong");
    }

    #[test]
    fn house_phrases_match_whole_words() {
        let pack = parse_pack(
            "house.toml",
            "[[house-spelling]]\nright = \"per cent\"\nwrong = [\"percent\"]\n\n[[banned]]\nphrases = [\"sources say\"]\nmessage = \"name them\"\n",
        )
        .unwrap();
        let data = RuleData::with_packs(vec![("house.toml".into(), pack)]).unwrap();
        let text = "Up 5 percent, Sources say; percentage points.";
        let found: Vec<&str> = data.house.wrong.find(text).into_iter().map(|(r, _)| &text[r]).collect();
        assert_eq!(found, ["percent"]);
        let (r, i) = data.house.banned_phrases.find(text).remove(0);
        assert_eq!(
            (&text[r], data.house.banned[data.house.banned_phrases.entry[i]].message.as_str()),
            ("Sources say", "name them")
        );
        assert!(RuleData::builtin().house.spellings.is_empty(), "house rules are a newsroom's, not built in");
    }
}
