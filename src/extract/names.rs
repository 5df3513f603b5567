//! Names: runs of capitalised words ("Bryan Lanza", "Champs-Élysées", "Downing
//! Street"), with the honorific before them ("Mr", "Sir") and leading titles ("Defence
//! Secretary") told apart, so people can be matched by given name and surname.

use std::ops::Range;

use crate::rules::data::{RuleData, Takes};
use crate::segment::{Kind, Segmented, flag};
use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use crate::text::key_set;

/// One mention of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMention {
    /// The name's words, after any honorific and title: "John Healey" in "Defence
    /// Secretary John Healey". Hyphens inside ("Champs-Élysées") are included.
    pub tokens: Range<u32>,
    /// The honorific's token and what it takes.
    pub honorific: Option<(u32, Takes)>,
    /// Leading title words, if any ("Defence Secretary").
    pub title: Option<Range<u32>>,
    pub sentence: u32,
    /// The first word of its sentence, where a capital proves nothing.
    pub sentence_initial: bool,
    /// Inside a quotation.
    pub quoted: bool,
}

/// Lower-case words allowed inside a name: "Arc de Triomphe", "Tomb of the Unknown Soldier".
static PARTICLE_KEYS: LazyLock<FxHashSet<u64>> = LazyLock::new(|| {
    key_set(&["de", "du", "des", "la", "le", "von", "van", "der", "den", "da", "di", "bin", "al", "el", "of", "the"])
});

/// Finds name mentions in every kept sentence.
pub fn extract(text: &str, seg: &Segmented, data: &RuleData) -> Vec<NameMention> {
    let toks = &seg.tokens;
    let mut out = Vec::new();
    for (si, s) in seg.sentences.iter().enumerate() {
        let (a, b) = (s.tokens.start as usize, s.tokens.end as usize);
        let first_word = (a..b).find(|&i| toks[i].is_word());
        let mut i = a;
        while i < b {
            let t = toks[i];
            if t.kind != Kind::Word || !t.has(flag::CAP) {
                i += 1;
                continue;
            }
            let honorific = data.honorifics.get(&t.key).copied();
            // An honorific needs a capitalised word after it ("Mr Lanza", "Mr. Lanza").
            let mut j = i + 1;
            if honorific.is_some() {
                if j < b && toks[j].text(text) == "." && !toks[j].has(flag::SPACE_BEFORE) {
                    j += 1;
                }
                if !(j < b && toks[j].kind == Kind::Word && toks[j].has(flag::CAP)) {
                    i += 1;
                    continue;
                }
            } else if t.has(flag::STOP) {
                // "The", "He": capitalised only because a sentence starts there.
                i += 1;
                continue;
            }
            let start = if honorific.is_some() { j } else { i };
            let end = run_end(text, toks, start, b);
            let title_end = if honorific.is_some() { start } else { title_len(toks, start, end, data) };
            let name_start = title_end;
            if name_start < end {
                out.push(NameMention {
                    tokens: name_start as u32..end as u32,
                    honorific: honorific.map(|h| (i as u32, h)),
                    title: (title_end > start).then_some(start as u32..title_end as u32),
                    sentence: si as u32,
                    sentence_initial: Some(i) == first_word
                        || toks[i - 1].has(flag::QMARK) && Some(i - 1) == first_word,
                    quoted: t.has(flag::QUOTED),
                });
            }
            i = end.max(i + 1);
        }
    }
    out
}

/// End of the run of capitalised words from `i`.
fn run_end(text: &str, toks: &[crate::segment::Token], i: usize, b: usize) -> usize {
    let mut end = i + 1;
    let mut k = i + 1;
    while k < b {
        let t = toks[k];
        let glued_hyphen = t.kind == Kind::Punct
            && matches!(t.text(text), "-" | "\u{2011}")
            && !t.has(flag::SPACE_BEFORE)
            && k + 1 < b
            && !toks[k + 1].has(flag::SPACE_BEFORE)
            && toks[k + 1].kind == Kind::Word;
        if glued_hyphen {
            k += 2;
            end = k;
            continue;
        }
        if t.kind == Kind::Word && t.has(flag::CAP) && !t.has(flag::STOP) && t.has(flag::SPACE_BEFORE) {
            k += 1;
            end = k;
            continue;
        }
        // A particle joins two capitalised words: "Arc de Triomphe".
        if t.kind == Kind::Word && !t.has(flag::CAP) && PARTICLE_KEYS.contains(&t.key) {
            let mut m = k + 1;
            while m < b && toks[m].kind == Kind::Word && !toks[m].has(flag::CAP) && PARTICLE_KEYS.contains(&toks[m].key)
            {
                m += 1;
            }
            if m < b && toks[m].kind == Kind::Word && toks[m].has(flag::CAP) && !toks[m].has(flag::STOP) {
                k = m + 1;
                end = k;
                continue;
            }
        }
        break;
    }
    end
}

/// Where the name proper starts after leading title words ("Defence Secretary John
/// Healey" → at "John"; "French President Emmanuel Macron" → at "Emmanuel"). A run that
/// is only a title ("Prime Minister") is left whole.
fn title_len(toks: &[crate::segment::Token], start: usize, end: usize, data: &RuleData) -> usize {
    let is_title = |k: usize| toks[k].kind == Kind::Word && data.attribution.titles.contains(&toks[k].key);
    let mut k = start;
    // One word before a title belongs to it: "French President", "UK Defence Secretary".
    if !is_title(k) && k + 1 < end && is_title(k + 1) {
        k += 1;
    }
    let titles_from = k;
    // "President-elect" is one title.
    let hyphen = |k: usize| toks[k].kind == Kind::Punct && !toks[k].has(flag::SPACE_BEFORE);
    while k < end && (is_title(k) || k > titles_from && hyphen(k)) {
        k += 1;
    }
    if k == titles_from || k >= end { start } else { k }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, Option<Takes>, Option<String>)> {
        let data = RuleData::builtin();
        let paras = crate::clean::clean_text(text, &data).paragraphs;
        let seg = crate::segment::segment(text, &paras, &data.abbreviations);
        extract(text, &seg, &data)
            .into_iter()
            .map(|m| {
                (
                    text[seg.span(&m.tokens)].to_string(),
                    m.honorific.map(|h| h.1),
                    m.title.map(|t| text[seg.span(&t)].to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn people_places_and_honorifics() {
        let got = names(
            "Defence Secretary John Healey met Mr Lanza and Sir Keir on the Champs-Élysées near the Arc de Triomphe.",
        );
        assert_eq!(
            got,
            [
                ("John Healey".to_string(), None, Some("Defence Secretary".to_string())),
                ("Lanza".to_string(), Some(Takes::Surname), None),
                ("Keir".to_string(), Some(Takes::Given), None),
                ("Champs-Élysées".to_string(), None, None),
                ("Arc de Triomphe".to_string(), None, None),
            ]
        );
    }

    #[test]
    fn demonym_and_title_before_a_name() {
        let got = names("It was French President Emmanuel Macron who spoke.");
        assert_eq!(got[0].0, "Emmanuel Macron");
        assert_eq!(got[0].2.as_deref(), Some("French President"));
    }
}
