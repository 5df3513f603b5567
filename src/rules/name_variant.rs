use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::{Event, Evidence, Rule, Severity, Sink, declare_rule};
use crate::text::fold;

declare_rule! {
    /// ## What it does
    /// Finds one name written two ways across the event's articles: letters that differ
    /// ("Champs-Élysées" / "Champs Elysee", "Healey" / "Haeley"), accents or hyphens that
    /// differ (reported as info), and names of one spelling group in
    /// `rules/aliases.toml` ("Kyiv" / "Kiev"), where the first name listed is the house form.
    ///
    /// ## Why is this bad?
    /// A name spelled two ways is wrong at least once, and readers and search engines
    /// treat the two spellings as two things. To keep false alarms few, a single word is
    /// only compared when it differs inside the word, not at its end ("Russia" and
    /// "Russian" are different words, not a misspelling), and short words not at all.
    ///
    /// ## Example
    /// ```text
    /// 000: Macron thanked Sir Keir for being the first British leader at the Champs-Élysées ceremony since Winston Churchill in 1944.
    /// 002: He is the first British leader to attend the ceremony on the Champs Elysee since Winston Churchill in 1944.
    /// ```
    /// name-variant: “Champs Elysee” (002) and “Champs-Élysées” (000) spell one name two ways.
    pub struct NameVariant;
}

/// A distinct spelling of a name and where it appears.
struct Form {
    surface: String,
    /// Folded words: "champs", "elysees".
    words: Vec<String>,
    /// First occurrence in each document.
    seen: BTreeMap<u32, std::ops::Range<usize>>,
    /// Capitalised somewhere other than at a sentence's start.
    name_like: bool,
}

fn strip_possessive(w: &str) -> &str {
    w.strip_suffix("’s").or_else(|| w.strip_suffix("'s")).unwrap_or(w)
}

impl Rule for NameVariant {
    fn check(&self, ev: &Event, sink: &mut Sink) {
        let mut forms: Vec<Form> = Vec::new();
        let mut by_surface: FxHashMap<String, usize> = FxHashMap::default();
        // Words are folded once per distinct spelling, not once per mention.
        let mut add = |doc: u32, span: std::ops::Range<usize>, initial: bool, forms: &mut Vec<Form>| {
            let surface = strip_possessive(ev.text(doc, &span));
            let i = match by_surface.get(surface) {
                Some(&i) => i,
                None => {
                    let words = surface
                        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
                        .filter(|w| !w.is_empty())
                        .map(fold)
                        .collect();
                    forms.push(Form { surface: surface.to_string(), words, seen: BTreeMap::new(), name_like: false });
                    by_surface.insert(surface.to_string(), forms.len() - 1);
                    forms.len() - 1
                }
            };
            let f = &mut forms[i];
            f.seen.entry(doc).or_insert(span);
            f.name_like |= !initial || f.words.len() > 1;
        };
        for (di, d) in ev.docs.iter().enumerate() {
            let di = di as u32;
            for m in &d.facts.names {
                let span = d.seg.span(&m.tokens);
                let span = span.start..span.start + strip_possessive(&d.doc.text[span.clone()]).len();
                add(di, span, m.sentence_initial, &mut forms);
                // A surname is also compared on its own: "Zelensky" against "Volodymyr Zelenskyy".
                let last = d.seg.tokens[m.tokens.end as usize - 1];
                if m.tokens.len() > 1 && last.is_word() {
                    let span =
                        last.start as usize..last.start as usize + strip_possessive(last.text(&d.doc.text)).len();
                    add(di, span, false, &mut forms);
                }
            }
        }
        let forms: Vec<Form> = forms.into_iter().filter(|f| f.name_like).collect();

        // Compare within blocks: same word count and the same first letters.
        let mut blocks: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
        for (i, f) in forms.iter().enumerate() {
            let initials: String = f.words.iter().filter_map(|w| w.chars().next()).collect();
            blocks.entry((f.words.len(), initials)).or_default().push(i);
        }
        let mut found: BTreeMap<(usize, usize), Severity> = BTreeMap::new();
        let chars = |f: &Form| f.words.iter().map(|w| w.len()).sum::<usize>();
        for members in blocks.values_mut() {
            // Spellings two letters apart or more in length are never variants: sorted
            // by length, each form meets only its near neighbours.
            members.sort_by_key(|&i| (chars(&forms[i]), i));
            for (x, &i) in members.iter().enumerate() {
                for &j in members[x + 1..].iter().take_while(|&&j| chars(&forms[j]) <= chars(&forms[i]) + 2) {
                    if let Some(sev) = variant(&forms[i], &forms[j]) {
                        found.insert((i.min(j), i.max(j)), sev.min(sink.severity()));
                    }
                }
            }
        }
        // Spelling groups from the alias file.
        let mut by_group: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, f) in forms.iter().enumerate() {
            if let Some(g) = ev.data.aliases.group_of(&f.surface)
                && ev.data.aliases.groups[g].spelling
            {
                by_group.entry(g).or_default().push(i);
            }
        }
        for members in by_group.values() {
            for (x, &i) in members.iter().enumerate() {
                for &j in &members[x + 1..] {
                    if forms[i].words != forms[j].words {
                        found.insert((i.min(j), i.max(j)), sink.severity());
                    }
                }
            }
        }
        for ((i, j), severity) in found {
            let (a, b) = (&forms[i], &forms[j]);
            let docs = |f: &Form| ev.ids(f.seen.keys().copied());
            let house = ev
                .data
                .aliases
                .group_of(&a.surface)
                .filter(|&g| ev.data.aliases.groups[g].spelling)
                .map(|g| ev.data.aliases.preferred(g));
            let mut message =
                format!("“{}” ({}) and “{}” ({}) spell one name two ways", a.surface, docs(a), b.surface, docs(b));
            if let Some(h) = house {
                message.push_str(&format!("; the house form is “{h}”"));
            }
            let evidence =
                a.seen.iter().chain(b.seen.iter()).map(|(&d, r)| Evidence::at(ev.docs, d, r.clone())).collect();
            sink.push_diff(severity, message, evidence, &a.surface, &b.surface);
        }
    }
}

/// Whether two spellings are one name: `Some(warning)` when letters differ, `Some(info)`
/// when only accents, hyphens or spaces do.
fn variant(a: &Form, b: &Form) -> Option<Severity> {
    if a.words == b.words {
        // Same letters: accents or punctuation differ (case alone is house style).
        let bare = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase();
        return (bare(&a.surface) != bare(&b.surface)).then_some(Severity::Info);
    }
    let differing: Vec<usize> = (0..a.words.len()).filter(|&k| a.words[k] != b.words[k]).collect();
    if differing.len() != 1 {
        return None;
    }
    let (x, y) = (&a.words[differing[0]], &b.words[differing[0]]);
    let (lx, ly) = (x.chars().count(), y.chars().count());
    let shorter = lx.min(ly);
    if lx.abs_diff(ly) > 2 || shorter < 4 {
        return None;
    }
    let prefix = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
    if a.words.len() == 1 && prefix + 2 >= shorter {
        return None;
    }
    let dist = strsim::osa_distance(x, y);
    if a.words.len() > 1 {
        // The other words agree, so a small difference anywhere is a misspelling.
        let ok = (shorter >= 4 && dist <= 1) || (shorter >= 6 && dist <= 2);
        return ok.then_some(Severity::Warning);
    }
    // A single word: only differences inside the word, never at its end, which is
    // where English inflects ("Russia"/"Russian", "Sweden"/"Swedes").
    let ok = ((shorter >= 5 && dist <= 1) || (shorter >= 8 && dist <= 2)) && strsim::jaro_winkler(x, y) >= 0.88;
    ok.then_some(Severity::Warning)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(s: &str) -> Form {
        Form {
            surface: s.to_string(),
            words: s.split([' ', '-']).map(fold).collect(),
            seen: BTreeMap::new(),
            name_like: true,
        }
    }

    #[test]
    fn spellings_compared() {
        assert_eq!(variant(&form("Champs-Élysées"), &form("Champs Elysee")), Some(Severity::Warning));
        assert_eq!(variant(&form("Champs-Élysées"), &form("Champs-Elysees")), Some(Severity::Info));
        assert_eq!(variant(&form("Healey"), &form("Haeley")), Some(Severity::Warning));
        assert_eq!(variant(&form("Russia"), &form("Russian")), None);
        assert_eq!(variant(&form("Sweden"), &form("Swedes")), None);
        assert_eq!(variant(&form("NATO"), &form("Nato")), None);
        assert_eq!(variant(&form("Austria"), &form("Australia")), None);
        assert_eq!(variant(&form("Monday"), &form("Sunday")), None);
    }
}
