use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Event, Evidence, Rule, Sink, declare_rule};
use crate::rules::data::Takes;
use crate::segment::Token;

declare_rule! {
    /// ## What it does
    /// Checks that an honorific goes with the right part of a name, using the full names
    /// the event's articles give. "Mr", "Mrs", "Ms" and "Dr" take the surname; "Sir" and
    /// "Dame" take the given name. The lists are in `rules/honorifics.toml`.
    ///
    /// ## Why is this bad?
    /// "Mr Bryan" for Bryan Lanza is a naming error readers notice and subjects resent;
    /// "Sir Starmer" for Sir Keir Starmer likewise. A word that is also somebody's surname
    /// in the event ("Mr Grant" beside Hugh Grant) is never flagged.
    ///
    /// ## Example
    /// ```text
    /// 002: Bryan Lanza, who worked on Trump’s 2024 presidential campaign, told the BBC that peace needed a “realistic vision”.
    /// 002: However, a spokesperson for Donald Trump distanced him from the remarks, saying Mr Bryan “does not speak for him”.
    /// ```
    /// name-honorific: “Mr Bryan” uses the given name of Bryan Lanza: write “Mr Lanza”.
    pub struct NameHonorific;
}

/// Where a full name was seen: (doc, token range).
type Seen = (u32, u32, u32);

impl Rule for NameHonorific {
    fn check(&self, ev: &Event, sink: &mut Sink) {
        let tok = |d: u32, t: u32| -> Token { ev.docs[d as usize].seg.tokens[t as usize] };
        // Given names and surnames from full names ("Bryan Lanza", "Sir Keir Starmer").
        let mut given: FxHashMap<u64, Vec<Seen>> = FxHashMap::default();
        let mut surname: FxHashMap<u64, Vec<Seen>> = FxHashMap::default();
        let mut not_given: FxHashSet<u64> = FxHashSet::default();
        for (di, d) in ev.docs.iter().enumerate() {
            for m in &d.facts.names {
                let words: Vec<u32> = (m.tokens.start..m.tokens.end).filter(|&t| tok(di as u32, t).is_word()).collect();
                if words.len() < 2 {
                    continue;
                }
                let seen = (di as u32, m.tokens.start, m.tokens.end);
                given.entry(tok(di as u32, words[0]).key).or_default().push(seen);
                surname.entry(tok(di as u32, *words.last().expect("two words")).key).or_default().push(seen);
                for &w in &words[1..] {
                    not_given.insert(tok(di as u32, w).key);
                }
            }
        }
        // One finding per wrong form ("Mr Bryan"), with every place it is used.
        let mut wrong: BTreeMap<String, (String, Vec<Evidence>, Evidence, String)> = BTreeMap::new();
        for (di, d) in ev.docs.iter().enumerate() {
            let di = di as u32;
            for m in &d.facts.names {
                let Some((h, takes)) = m.honorific else { continue };
                if m.tokens.len() != 1 {
                    continue;
                }
                let word = tok(di, m.tokens.start);
                // The full name as the same article gives it, if it does.
                let pick = |seen: &Vec<Seen>| *seen.iter().find(|s| s.0 == di).unwrap_or(&seen[0]);
                let (full, right) = match takes {
                    Takes::Surname if !surname.contains_key(&word.key) && !not_given.contains(&word.key) => {
                        let Some(full) = given.get(&word.key).map(pick) else { continue };
                        (full, tok(full.0, full.2 - 1))
                    }
                    Takes::Given if !given.contains_key(&word.key) => {
                        let Some(full) = surname.get(&word.key).map(pick) else { continue };
                        (full, tok(full.0, full.1))
                    }
                    _ => continue,
                };
                let span = tok(di, h).start as usize..word.end as usize;
                let written = ev.text(di, &span).to_string();
                let honorific = ev.text(di, &(tok(di, h).range())).to_string();
                let full_span = tok(full.0, full.1).start as usize..tok(full.0, full.2 - 1).end as usize;
                let full_name = ev.text(full.0, &full_span).to_string();
                let right_form = format!("{honorific} {}", right.text(&ev.docs[full.0 as usize].doc.text));
                let part = if takes == Takes::Surname { "given name" } else { "surname" };
                let entry = wrong.entry(written.clone()).or_insert_with(|| {
                    let message = format!("“{written}” uses the {part} of {full_name}: write “{right_form}”");
                    (message, Vec::new(), Evidence::at(ev.docs, full.0, full_span.clone()), right_form.clone())
                });
                entry.1.push(Evidence::at(ev.docs, di, span));
            }
        }
        for (written, (message, mut evidence, full, right)) in wrong {
            // The wrong form first, the full name it belongs to last.
            evidence.push(full);
            sink.push_diff(sink.severity(), message, evidence, &written, &right);
        }
    }
}
