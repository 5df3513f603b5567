//! The one table of rules: stable names, default severities, documentation.

use super::{Rule, Severity};
use super::attribution_mismatch::AttributionMismatch;
use super::hedge_mismatch::HedgeMismatch;
use super::name_honorific::NameHonorific;
use super::name_variant::NameVariant;
use super::number_mismatch::NumberMismatch;
use super::quote_drift::QuoteDrift;
use super::single_source::SingleSource;

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
        summary: "A claim with a figure or quote that only one article carries",
        doc: SingleSource::DOC,
        rule: &SingleSource,
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
}
