//! The one table of rules: stable names, default severities, documentation.

use super::attribution_mismatch::AttributionMismatch;
use super::banned_phrase::BannedPhrase;
use super::hedge_mismatch::HedgeMismatch;
use super::house_spelling::HouseSpelling;
use super::name_honorific::NameHonorific;
use super::name_variant::NameVariant;
use super::number_mismatch::NumberMismatch;
use super::quote_drift::QuoteDrift;
use super::single_source::SingleSource;
use super::{Rule, Severity};

/// A registered rule.
pub struct RuleInfo {
    /// Stable kebab-case name, used in config, suppressions and output.
    pub name: &'static str,
    pub severity: Severity,
    /// One line for listings.
    pub summary: &'static str,
    /// The full documentation (the rule's doc comment).
    pub doc: &'static str,
    pub rule: &'static dyn Rule,
}

impl std::fmt::Debug for RuleInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleInfo").field("name", &self.name).field("severity", &self.severity).finish()
    }
}

pub static RULES: &[RuleInfo] = &[
    RuleInfo {
        name: "quote-drift",
        severity: Severity::Error,
        summary: "The same remark quoted with different words",
        doc: QuoteDrift::DOC,
        rule: &QuoteDrift,
    },
    RuleInfo {
        name: "number-mismatch",
        severity: Severity::Error,
        summary: "The same fact with a different figure",
        doc: NumberMismatch::DOC,
        rule: &NumberMismatch,
    },
    RuleInfo {
        name: "attribution-mismatch",
        severity: Severity::Warning,
        summary: "The same quote or claim credited to a different speaker or outlet",
        doc: AttributionMismatch::DOC,
        rule: &AttributionMismatch,
    },
    RuleInfo {
        name: "name-honorific",
        severity: Severity::Warning,
        summary: "An honorific with the wrong part of a name (\"Mr Bryan\" for Bryan Lanza)",
        doc: NameHonorific::DOC,
        rule: &NameHonorific,
    },
    RuleInfo {
        name: "name-variant",
        severity: Severity::Warning,
        summary: "One person or place spelled two ways",
        doc: NameVariant::DOC,
        rule: &NameVariant,
    },
    RuleInfo {
        name: "hedge-mismatch",
        severity: Severity::Warning,
        summary: "A claim hedged in one article and asserted in another",
        doc: HedgeMismatch::DOC,
        rule: &HedgeMismatch,
    },
    RuleInfo {
        name: "single-source",
        severity: Severity::Info,
        summary: "A figure that only one article carries",
        doc: SingleSource::DOC,
        rule: &SingleSource,
    },
    RuleInfo {
        name: "house-spelling",
        severity: Severity::Warning,
        summary: "A spelling a rule pack corrects (house style; none built in)",
        doc: HouseSpelling::DOC,
        rule: &HouseSpelling,
    },
    RuleInfo {
        name: "banned-phrase",
        severity: Severity::Warning,
        summary: "A phrase a rule pack bans (house style; none built in)",
        doc: BannedPhrase::DOC,
        rule: &BannedPhrase,
    },
];

/// The rule with this name.
pub fn find(name: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_documented() {
        let mut names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
        for r in RULES {
            assert!(r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", r.name);
            for section in ["## What it does", "## Why is this bad?", "## Example"] {
                assert!(r.doc.contains(section), "{} lacks {section}", r.name);
            }
        }
    }

    /// The documents of a rule's `## Example`: lines `ID: text`, one document per ID.
    fn example_docs(doc: &str) -> Vec<crate::ingest::Document> {
        let block =
            doc.split("## Example").nth(1).and_then(|s| s.split("```text").nth(1)).and_then(|s| s.split("```").next());
        let mut docs: Vec<(String, String)> = Vec::new();
        for line in block.expect("an example block").lines() {
            let Some((id, text)) = line.trim().split_once(": ") else { continue };
            match docs.iter_mut().find(|d| d.0 == id) {
                Some(d) => {
                    d.1.push(' ');
                    d.1.push_str(text);
                }
                None => docs.push((id.to_string(), text.to_string())),
            }
        }
        docs.into_iter()
            .map(|(id, text)| crate::ingest::Document::plain(id.clone(), id, crate::ingest::Format::Text, text))
            .collect()
    }

    #[test]
    fn every_documented_example_fires_its_rule() {
        // House rules have no built-in data; their examples use the sample newsroom's pack.
        let house = include_str!("../../examples/ci/house.toml");
        let pack = crate::rules::data::parse_pack("examples/ci/house.toml", house).expect("sample pack parses");
        let data = crate::rules::data::RuleData::with_packs(vec![("examples/ci/house.toml".into(), pack)]).unwrap();
        for r in RULES {
            let checked = crate::check(example_docs(r.doc), &data, &crate::CheckOptions::default());
            let fired: Vec<&str> = checked.findings.iter().map(|f| f.rule).collect();
            assert!(fired.contains(&r.name), "{}'s documented example gives {fired:?}", r.name);
        }
    }
}
