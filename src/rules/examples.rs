//! Runs the `[[example]]` cases rule packs carry: the test of every data file, for the
//! built-in packs (`cargo test`) and a newsroom's own (`factdiff rules test PACK`).

use super::data::{Example, RuleData};
use crate::ingest::{Document, Format};
use crate::{CheckOptions, analyze, check};

/// One example that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub pack: String,
    /// 1-based number of the example in its pack.
    pub example: usize,
    pub what: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: example {}: {}", self.pack, self.example, self.what)
    }
}

/// Runs the examples of the packs whose path is in `packs` (all when empty); returns how
/// many ran and the failures.
pub fn run(data: &RuleData, packs: &[String]) -> (usize, Vec<Failure>) {
    let mut ran = 0;
    let mut failures = Vec::new();
    for (path, pack) in &data.packs {
        if !packs.is_empty() && !packs.contains(path) {
            continue;
        }
        for (i, ex) in pack.example.iter().enumerate() {
            ran += 1;
            for what in check_example(data, ex) {
                failures.push(Failure { pack: path.clone(), example: i + 1, what });
            }
        }
    }
    (ran, failures)
}

fn doc(i: usize, text: &str) -> Document {
    Document::plain(format!("doc{}", i + 1), format!("doc{}", i + 1), Format::Text, text.to_string())
}

fn expect(failures: &mut Vec<String>, field: &str, want: &[String], got: Vec<String>) {
    if want != got.as_slice() {
        failures.push(format!("`{field}`: expected {want:?}, found {got:?}"));
    }
}

/// What does not hold in one example.
fn check_example(data: &RuleData, ex: &Example) -> Vec<String> {
    let mut failures = Vec::new();
    if let Some(text) = &ex.text {
        let a = analyze(doc(0, text), data);
        let t = &a.doc.text;
        if let Some(want) = &ex.sentences {
            expect(
                &mut failures,
                "sentences",
                want,
                (0..a.seg.sentences.len()).map(|i| a.sentence_text(i).to_string()).collect(),
            );
        }
        if let Some(want) = &ex.kept {
            let kept = a.cleaned.paragraphs.iter().map(|r| &t[r.clone()]).collect::<Vec<_>>().join("\n\n");
            expect(&mut failures, "kept", std::slice::from_ref(want), vec![kept]);
        }
        if let Some(want) = &ex.hedges {
            expect(
                &mut failures,
                "hedges",
                want,
                a.facts.hedges.iter().map(|h| data.hedges.phrases[h.phrase].clone()).collect(),
            );
        }
        let atts = a.facts.quotes.iter().chain(a.facts.claims.iter().flatten());
        if let Some(want) = &ex.speakers {
            let mut got: Vec<String> = atts
                .clone()
                .filter_map(|x| x.speaker.as_ref()?.name.clone())
                .map(|n| last_name_or_alias(&n, data))
                .collect();
            got.dedup();
            expect(&mut failures, "speakers", want, got);
        }
        if let Some(want) = &ex.outlets {
            let mut got: Vec<String> =
                atts.filter_map(|x| x.outlet.as_ref()).map(|o| t[a.seg.span(&o.tokens)].to_string()).collect();
            got.dedup();
            expect(&mut failures, "outlets", want, got);
        }
    }
    if let Some(want) = &ex.findings {
        let docs: Vec<Document> = match (&ex.docs, &ex.text) {
            (Some(d), _) => d.iter().enumerate().map(|(i, t)| doc(i, t)).collect(),
            (None, Some(t)) => vec![doc(0, t)],
            (None, None) => {
                failures.push("`findings` needs `text` or `docs`".into());
                return failures;
            }
        };
        let checked = check(docs, data, &CheckOptions::default());
        let mut got: Vec<String> =
            checked.findings.iter().filter(|f| f.rule != "single-source").map(|f| f.rule.to_string()).collect();
        got.sort();
        got.dedup();
        let mut want = want.clone();
        want.sort();
        expect(&mut failures, "findings", &want, got);
    }
    failures
}

/// Speakers are shown by the name a reader knows: the alias house form or the surname.
fn last_name_or_alias(name: &str, data: &RuleData) -> String {
    match data.aliases.group_of(name) {
        Some(g) => data.aliases.preferred(g).to_string(),
        None => name.split_whitespace().last().unwrap_or(name).to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn builtin_pack_examples_hold() {
        let data = super::RuleData::builtin();
        let (ran, failures) = super::run(&data, &[]);
        assert!(ran >= 20, "only {ran} examples ran");
        let report: Vec<String> = failures.iter().map(|f| f.to_string()).collect();
        assert!(failures.is_empty(), "{} of {ran} examples failed:\n{}", failures.len(), report.join("\n"));
    }
}
