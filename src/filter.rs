//! After the rules, before the report: which findings a run reports, and how loud.
//!
//! Rules compare every document with every other; a run that checks a draft against
//! references keeps only what touches the draft ([`focus`]), an editor's suppression
//! comments silence what they mark ([`Silences`]), and the configuration can change a
//! rule's severity ([`override_severity`]). Each step only removes or relabels findings,
//! so the pipeline still runs one way.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::Analyzed;
use crate::rules::{self, Finding, Severity};
use crate::text::LineIndex;

/// Keeps the findings with evidence in a draft (`drafts[doc]`), the draft's evidence
/// first so that one-location formats point into the draft; references' evidence follows.
pub fn focus(findings: Vec<Finding>, drafts: &[bool]) -> Vec<Finding> {
    let is_draft = |doc: u32| drafts.get(doc as usize).copied().unwrap_or(false);
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .filter(|f| f.evidence.iter().any(|e| is_draft(e.doc)))
        .map(|mut f| {
            // Stable: within the draft and within the references, the rule's order stays.
            f.evidence.sort_by_key(|e| !is_draft(e.doc));
            f
        })
        .collect();
    rules::sort(&mut kept);
    kept
}

/// Gives every finding of a rule named in `overrides` that severity.
pub fn override_severity(findings: &mut [Finding], overrides: &BTreeMap<String, Severity>) {
    if overrides.is_empty() {
        return;
    }
    for f in findings.iter_mut() {
        if let Some(&s) = overrides.get(f.rule) {
            f.severity = s;
        }
    }
    rules::sort(findings);
}

/// Which rules a suppression covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Covers {
    All,
    Rules(Vec<String>),
}

impl Covers {
    fn covers(&self, rule: &str) -> bool {
        match self {
            Covers::All => true,
            Covers::Rules(names) => names.iter().any(|n| n == rule),
        }
    }
}

/// A stretch of one document's text that suppression comments silence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Silence {
    pub doc: u32,
    pub range: Range<usize>,
    pub covers: Covers,
}

/// The silenced stretches of some documents, and what was wrong with their comments.
#[derive(Debug, Default)]
pub struct Silences {
    pub silences: Vec<Silence>,
    /// Comments that look like suppressions but cannot be used (`draft.md:12: ...`).
    pub warnings: Vec<String>,
}

impl Silences {
    /// Reads the suppression comments of the documents `honoured` accepts:
    ///
    /// - `<!-- factdiff-ignore -->` silences every rule in the next paragraph;
    ///   `<!-- factdiff-ignore RULE, RULE -->` only those rules.
    /// - `<!-- factdiff off -->` silences every rule (or `factdiff off RULE, RULE` those)
    ///   up to `<!-- factdiff on -->`, or to the end of the document.
    pub fn read(docs: &[Analyzed], honoured: impl Fn(u32) -> bool) -> Silences {
        let mut out = Silences::default();
        for (di, d) in docs.iter().enumerate() {
            let di = di as u32;
            if d.doc.comments.is_empty() || !honoured(di) {
                continue;
            }
            let lines = LineIndex::new(d.doc.source());
            let mut open: Vec<(usize, Covers)> = Vec::new();
            for c in &d.doc.comments {
                let where_ = || format!("{}:{}", d.doc.path, lines.line_col(d.doc.source(), c.source_at).0);
                let Some(directive) = Directive::parse(&c.body) else { continue };
                let (directive, unknown) = directive;
                for name in unknown {
                    out.warnings.push(format!(
                        "{}: unknown rule `{name}` in a suppression comment; it silences nothing",
                        where_()
                    ));
                }
                match directive {
                    Directive::Ignore(covers) => {
                        // The next paragraph that survived cleaning.
                        match d.seg.paragraphs.iter().find(|p| p.start >= c.at) {
                            Some(p) => out.silences.push(Silence { doc: di, range: p.clone(), covers }),
                            None => out.warnings.push(format!(
                                "{}: `factdiff-ignore` is not followed by a paragraph; it silences nothing",
                                where_()
                            )),
                        }
                    }
                    Directive::Off(covers) => open.push((c.at, covers)),
                    Directive::On => {
                        if open.is_empty() {
                            out.warnings.push(format!("{}: `factdiff on` without `factdiff off` before it", where_()));
                        }
                        for (start, covers) in open.drain(..) {
                            out.silences.push(Silence { doc: di, range: start..c.at, covers });
                        }
                    }
                }
            }
            for (start, covers) in open {
                out.silences.push(Silence { doc: di, range: start..d.doc.text.len(), covers });
            }
        }
        out
    }

    /// Removes the findings with a piece of evidence in a stretch silenced for their rule;
    /// returns the rest and how many were removed.
    pub fn apply(&self, findings: Vec<Finding>) -> (Vec<Finding>, usize) {
        let before = findings.len();
        let kept: Vec<Finding> = findings
            .into_iter()
            .filter(|f| {
                !f.evidence.iter().any(|e| {
                    self.silences
                        .iter()
                        .any(|s| s.doc == e.doc && s.range.contains(&e.span.start) && s.covers.covers(f.rule))
                })
            })
            .collect();
        let removed = before - kept.len();
        (kept, removed)
    }
}

/// A suppression comment, read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Directive {
    Ignore(Covers),
    Off(Covers),
    On,
}

impl Directive {
    /// The directive of a comment body and the rule names in it that are not rules;
    /// `None` for comments that are not factdiff's.
    fn parse(body: &str) -> Option<(Directive, Vec<String>)> {
        let mut words = body.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty());
        let make = |names: Vec<&str>| {
            let unknown: Vec<String> =
                names.iter().filter(|n| rules::find(n).is_none()).map(|n| n.to_string()).collect();
            let known: Vec<String> = names.iter().filter(|n| rules::find(n).is_some()).map(|n| n.to_string()).collect();
            // Only unknown names: silence nothing rather than everything.
            let covers = if names.is_empty() { Covers::All } else { Covers::Rules(known) };
            (covers, unknown)
        };
        match words.next()? {
            "factdiff-ignore" => {
                let (covers, unknown) = make(words.collect());
                Some((Directive::Ignore(covers), unknown))
            }
            "factdiff" => match words.next()? {
                "off" => {
                    let (covers, unknown) = make(words.collect());
                    Some((Directive::Off(covers), unknown))
                }
                "on" => Some((Directive::On, Vec::new())),
                _ => None,
            },
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Document, Format};
    use crate::rules::Evidence;

    #[test]
    fn directives_parse() {
        assert_eq!(Directive::parse("factdiff-ignore"), Some((Directive::Ignore(Covers::All), vec![])));
        assert_eq!(
            Directive::parse("factdiff-ignore quote-drift, name-variant"),
            Some((Directive::Ignore(Covers::Rules(vec!["quote-drift".into(), "name-variant".into()])), vec![]))
        );
        assert_eq!(
            Directive::parse("factdiff off quote-drfit"),
            Some((Directive::Off(Covers::Rules(vec![])), vec!["quote-drfit".to_string()]))
        );
        assert_eq!(Directive::parse("factdiff on"), Some((Directive::On, vec![])));
        assert_eq!(Directive::parse("TODO: check with the desk"), None);
        assert_eq!(Directive::parse("factdiff rocks"), None);
    }

    fn finding(rule: &'static str, doc: u32, at: usize) -> Finding {
        Finding {
            rule,
            severity: Severity::Warning,
            message: String::new(),
            evidence: vec![Evidence { doc, span: at..at + 1, sentence: None }],
            compare: None,
        }
    }

    #[test]
    fn focus_keeps_draft_findings_with_draft_evidence_first() {
        let mut two = finding("quote-drift", 1, 5);
        two.evidence.push(Evidence { doc: 0, span: 9..10, sentence: None });
        let kept = focus(vec![finding("name-variant", 1, 3), two], &[true, false]);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].evidence.iter().map(|e| e.doc).collect::<Vec<_>>(), [0, 1]);
    }

    #[test]
    fn comments_silence_the_next_paragraph_and_regions() {
        let src = "First para here.\n\n<!-- factdiff-ignore quote-drift -->\nSecond para here.\n\n\
                   Third para here.\n\n<!-- factdiff off -->\nFourth para here.\n\n<!-- factdiff on -->\nFifth para.\n";
        let doc = crate::ingest::markdown_for_tests(src);
        let data = rules::data::RuleData::builtin();
        let docs = vec![crate::analyze(doc, &data)];
        let s = Silences::read(&docs, |_| true);
        assert!(s.warnings.is_empty(), "{:?}", s.warnings);
        let at = |w: &str| docs[0].doc.text.find(w).unwrap();
        let (kept, n) = s.apply(vec![
            finding("quote-drift", 0, at("Second")),
            finding("name-variant", 0, at("Second")),
            finding("quote-drift", 0, at("Third")),
            finding("number-mismatch", 0, at("Fourth")),
            finding("number-mismatch", 0, at("Fifth")),
        ]);
        assert_eq!(n, 2);
        let left: Vec<(&str, usize)> = kept.iter().map(|f| (f.rule, f.evidence[0].span.start)).collect();
        assert_eq!(
            left,
            [("name-variant", at("Second")), ("quote-drift", at("Third")), ("number-mismatch", at("Fifth"))]
        );
        assert!(Silences::read(&docs, |_| false).silences.is_empty(), "only honoured documents count");
    }

    #[test]
    fn bad_comments_are_named_with_their_line() {
        let mut doc = Document::plain("d", "d.md", Format::Markdown, "Only para.\n".to_string());
        doc.comments.push(crate::ingest::Comment { at: 11, source_at: 0, body: "factdiff-ignore nope".into() });
        let docs = vec![crate::analyze(doc, &rules::data::RuleData::builtin())];
        let s = Silences::read(&docs, |_| true);
        assert_eq!(s.warnings.len(), 2, "{:?}", s.warnings);
        assert!(s.warnings[0].starts_with("d.md:1: unknown rule `nope`"), "{:?}", s.warnings);
        assert!(s.warnings[1].contains("not followed by a paragraph"), "{:?}", s.warnings);
    }
}
