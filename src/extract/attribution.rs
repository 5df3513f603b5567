//! Attribution: who said a quote or claim, and to which outlet.
//!
//! Patterns are the ones newsrooms write: `“...,” a Downing Street spokesperson said`,
//! `“...,” said Mr Healey`, `Mr Healey said: “...”`, `he told Sky News`, `Speaking to
//! BBC Breakfast, he said...`, `according to X`. A paragraph that only continues a
//! quotation inherits the speaker of the quotation before it; "he" and "she" resolve to
//! the person named last outside quotes. Speakers are compared by a key: the surname,
//! or the house form of an alias group ("Number 10" is "Downing Street").

use std::ops::Range;

use super::names::NameMention;
use crate::rules::data::RuleData;
use crate::segment::{Kind, Segmented, Token, flag};
use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use crate::text::{fold, key_set, word_key};

/// The speaker of a quote or claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speaker {
    /// The words that name the speaker in this sentence ("a Downing Street spokesperson", "he").
    pub tokens: Range<u32>,
    /// What speakers are compared by, or `None` for a speaker that names no one ("a
    /// readout", "officials", "the Prime Minister").
    pub key: Option<String>,
    /// Who the key stands for, as written ("Downing Street", "Mr Healey").
    pub name: Option<String>,
    /// Found by resolving "he" or "she", not written beside the remark: good enough to
    /// tell two speakers apart in one article, too weak to accuse another article.
    pub inferred: bool,
}

/// An outlet a remark was made to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outlet {
    pub tokens: Range<u32>,
    /// The outlet's first word, folded: "BBC Breakfast" and "the BBC" are both "bbc".
    pub key: String,
}

/// Who said something, where the text says it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    pub speaker: Option<Speaker>,
    pub outlet: Option<Outlet>,
    /// Taken from the quotation before (a continued quote).
    pub inherited: bool,
}

struct Ctx<'a> {
    text: &'a str,
    toks: &'a [Token],
    data: &'a RuleData,
    names: &'a [NameMention],
}

/// Attributions of each quote (parallel to `seg.quotes`) and of each sentence's claim.
pub fn extract(
    text: &str,
    seg: &Segmented,
    names: &[NameMention],
    data: &RuleData,
) -> (Vec<Attribution>, Vec<Option<Attribution>>) {
    let cx = Ctx { text, toks: &seg.tokens, data, names };
    let mut quotes: Vec<Attribution> = Vec::with_capacity(seg.quotes.len());
    for (qi, q) in seg.quotes.iter().enumerate() {
        let open_tok = q.tokens.start.saturating_sub(1);
        let close_tok = q.tokens.end;
        let open_sent = sentence_bounds(seg, open_tok);
        let close_sent = sentence_bounds(seg, close_tok.min(seg.tokens.len() as u32 - 1));
        let mut att = Attribution::default();
        if q.closed
            && let Some(sb) = close_sent.clone()
        {
            att.speaker = cx.after(close_tok as usize + 1, sb.end as usize);
        }
        if att.speaker.is_none()
            && let Some(sb) = open_sent.clone()
        {
            att.speaker = cx.before(open_tok as usize, sb.start as usize);
        }
        for sb in [open_sent, close_sent].into_iter().flatten() {
            if att.outlet.is_none() {
                att.outlet = cx.outlet(sb);
            }
        }
        // A quote that opens its own paragraph right after another quote continues it.
        let para_start = seg.para_tokens[q.first_para as usize].start;
        if att.speaker.is_none()
            && open_tok == para_start
            && let Some(prev) = qi.checked_sub(1)
            && seg.quotes[prev].last_para + 1 == q.first_para
        {
            att = Attribution { inherited: true, ..quotes[prev].clone() };
        }
        if let Some(sp) = &mut att.speaker {
            cx.resolve_pronoun(sp);
        }
        quotes.push(att);
    }
    let mut claims = Vec::with_capacity(seg.sentences.len());
    for s in &seg.sentences {
        claims.push(cx.claim(s.tokens.clone()));
    }
    (quotes, claims)
}

/// Token bounds of the kept sentence holding token `t`.
fn sentence_bounds(seg: &Segmented, t: u32) -> Option<Range<u32>> {
    seg.sentence_of(t).map(|i| seg.sentences[i].tokens.clone())
}

impl Ctx<'_> {
    fn is_verb(&self, i: usize) -> bool {
        let t = self.toks[i];
        // Capitalised "States" or "Asked" opening a sentence are not verbs of saying here.
        t.kind == Kind::Word
            && !t.has(flag::QUOTED)
            && !t.has(flag::CAP)
            && self.data.attribution.verbs.contains(&t.key)
    }

    /// `,” SPEAKER said` or `,” said SPEAKER` after a closing mark at `from`.
    fn after(&self, from: usize, end: usize) -> Option<Speaker> {
        let mut i = from;
        while i < end && self.toks[i].kind == Kind::Punct && !self.toks[i].has(flag::QMARK) && self.punct(i) == "," {
            i += 1;
        }
        if i >= end || self.toks[i].has(flag::QUOTED) {
            return None;
        }
        if self.is_verb(i) {
            // "said Mr Healey."
            let mut k = i + 1;
            while k < end && k < i + 8 && self.toks[k].is_word() && !self.toks[k].has(flag::QUOTED) {
                k += 1;
            }
            return (k > i + 1).then(|| self.speaker(i + 1..k));
        }
        let mut k = i;
        while k < end && k < i + 8 && self.toks[k].is_word() && !self.is_verb(k) {
            k += 1;
        }
        (k < end && k > i && self.is_verb(k)).then(|| self.speaker(i..k))
    }

    /// `SPEAKER said: “` or `SPEAKER said he expected ... “` before an opening mark.
    fn before(&self, open: usize, start: usize) -> Option<Speaker> {
        let lo = start.max(open.saturating_sub(30));
        let v = (lo..open).rev().find(|&i| self.is_verb(i))?;
        self.phrase_before(v, start).map(|r| self.speaker(r))
    }

    /// The noun phrase right before the verb at `v`: words back to punctuation.
    fn phrase_before(&self, v: usize, start: usize) -> Option<Range<usize>> {
        let mut k = v;
        while k > start && k + 7 > v {
            let t = self.toks[k - 1];
            let hyphen = t.kind == Kind::Punct && self.punct(k - 1) == "-" && !t.has(flag::SPACE_BEFORE);
            if (!t.is_word() && !hyphen) || t.has(flag::QUOTED) || self.is_verb(k - 1) || CLAUSE_KEYS.contains(&t.key) {
                break;
            }
            k -= 1;
        }
        // "the president-elect has insisted": auxiliaries belong to the verb.
        let mut end = v;
        while end > k && AUX_KEYS.contains(&self.toks[end - 1].key) {
            end -= 1;
        }
        (end > k).then_some(k..end)
    }

    fn punct(&self, i: usize) -> &str {
        self.toks[i].text(self.text)
    }

    /// Turns a speaker phrase into a speaker with a comparison key.
    fn speaker(&self, r: Range<usize>) -> Speaker {
        let att = &self.data.attribution;
        let words: Vec<usize> = r.clone().filter(|&i| self.toks[i].is_word()).collect();
        // "a spokesperson for Donald Trump", "a statement from the Elysee Palace".
        let after_prep = words.iter().rposition(|&i| PREP_KEYS.contains(&self.toks[i].key)).map_or(0, |p| p + 1);
        // Function words go, except inside a name ("No 10": "No" capitalised, then more
        // of the name).
        let tail = &words[after_prep..];
        let core: Vec<usize> = tail
            .iter()
            .enumerate()
            .filter(|&(k, &i)| {
                let t = self.toks[i];
                let in_name = t.has(flag::CAP)
                    && tail
                        .get(k + 1)
                        .is_some_and(|&n| self.toks[n].has(flag::CAP) || self.toks[n].kind == Kind::Number)
                    && k > 0;
                !t.has(flag::STOP) || PRONOUN_KEYS.contains(&t.key) || in_name
            })
            .map(|(_, &i)| i)
            .filter(|&i| !att.roles.contains(&self.toks[i].key))
            .collect();
        let tokens = r.start as u32..r.end as u32;
        if core.len() == 1 && PRONOUN_KEYS.contains(&self.toks[core[0]].key) {
            return Speaker { tokens, key: Some(PRONOUN.into()), name: None, inferred: false };
        }
        // A phrase whose head is a common noun describes a speaker without naming one:
        // "the Ukrainian leader", "a readout".
        let named_head = core.last().is_some_and(|&i| self.toks[i].has(flag::CAP) || self.toks[i].kind == Kind::Number);
        let named: Vec<usize> = core
            .iter()
            .copied()
            .filter(|&i| self.toks[i].has(flag::CAP) || self.toks[i].kind == Kind::Number)
            .filter(|&i| !att.generic.contains(&self.toks[i].key))
            .collect();
        if !named_head || named.is_empty() {
            return Speaker { tokens, key: None, name: None, inferred: false };
        }
        let span = self.toks[named[0]].start as usize..self.toks[*named.last().expect("non-empty")].end as usize;
        let phrase = &self.text[span];
        if let Some(g) = self.data.aliases.group_of(phrase) {
            let name = self.data.aliases.preferred(g).to_string();
            return Speaker { tokens, key: Some(fold(&name)), name: Some(name), inferred: false };
        }
        // The name after any titles: "Defence Secretary John Healey" is "john healey".
        let after_titles = named.iter().rposition(|&i| att.titles.contains(&self.toks[i].key)).map_or(0, |p| p + 1);
        let rest = &named[after_titles..];
        if rest.is_empty() {
            return Speaker { tokens, key: None, name: None, inferred: false };
        }
        let key =
            rest.iter().map(|&i| fold(strip_possessive(self.toks[i].text(self.text)))).collect::<Vec<_>>().join(" ");
        Speaker { tokens, key: Some(key), name: Some(phrase.to_string()), inferred: false }
    }

    /// "he"/"she" → the person named last before the pronoun, outside quotes.
    fn resolve_pronoun(&self, sp: &mut Speaker) {
        if sp.key.as_deref() != Some(PRONOUN) {
            return;
        }
        sp.key = None;
        let at = sp.tokens.start;
        let person = self.names.iter().rev().filter(|m| m.tokens.start < at && !m.quoted).find(|m| self.is_person(m));
        if let Some(m) = person {
            let words = &self.toks[m.tokens.start as usize..m.tokens.end as usize];
            sp.key = Some(
                words
                    .iter()
                    .filter(|t| t.is_word())
                    .map(|t| fold(strip_possessive(t.text(self.text))))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            sp.inferred = true;
            let from = m.honorific.map_or(m.tokens.start, |h| h.0);
            let last = words[words.len() - 1];
            sp.name = Some(self.text[self.toks[from as usize].start as usize..last.end as usize].to_string());
        }
    }

    /// A mention that names a person: with an honorific or a title, or a name whose last
    /// word is used with an honorific elsewhere ("Donald Trump" beside "Mr Trump").
    fn is_person(&self, m: &NameMention) -> bool {
        if m.honorific.is_some() || m.title.is_some() {
            return true;
        }
        let last = self.toks[m.tokens.end as usize - 1].key;
        m.tokens.len() >= 2
            && self
                .names
                .iter()
                .any(|o| o.honorific.is_some() && o.tokens.len() == 1 && self.toks[o.tokens.start as usize].key == last)
    }

    /// The outlet a sentence names: "told Sky News", "Speaking to BBC Breakfast".
    fn outlet(&self, s: Range<u32>) -> Option<Outlet> {
        let att = &self.data.attribution;
        let (a, b) = (s.start as usize, s.end as usize);
        for i in a..b {
            if self.toks[i].has(flag::QUOTED) {
                continue;
            }
            if !att.outlet_lead_first.contains(&self.toks[i].key) {
                continue;
            }
            for lead in &att.outlet_leads {
                let n = lead.len();
                if i + n > b || !(0..n).all(|k| self.toks[i + k].key == lead[k]) {
                    continue;
                }
                let mut k = i + n;
                if k < b && self.toks[k].key == *THE {
                    k += 1;
                }
                let start = k;
                while k < b
                    && self.toks[k].is_word()
                    && (self.toks[k].has(flag::CAP) || self.toks[k].kind == Kind::Number)
                    && !self.toks[k].has(flag::QUOTED)
                {
                    k += 1;
                }
                // "told Nato members": a name used as an adjective is not an outlet.
                let noun_after = k < b
                    && self.toks[k].kind == Kind::Word
                    && !self.toks[k].has(flag::STOP)
                    && !OUTLET_NOUN_KEYS.contains(&self.toks[k].key);
                if k == start || noun_after {
                    continue;
                }
                let phrase = &self.text[self.toks[start].start as usize..self.toks[k - 1].end as usize];
                let key = fold(strip_possessive(self.toks[start].text(self.text)));
                if att.generic_outlets.contains(&fold(phrase)) {
                    continue;
                }
                return Some(Outlet { tokens: start as u32..k as u32, key });
            }
        }
        None
    }

    /// The attribution of a sentence's own claim: `X said ...`, `..., X said.`, `according to X`.
    fn claim(&self, s: Range<u32>) -> Option<Attribution> {
        let (a, b) = (s.start as usize, s.end as usize);
        let according = word_key("according");
        for i in a..b {
            if self.toks[i].has(flag::QUOTED) {
                continue;
            }
            if self.toks[i].key == according && i + 2 < b && self.toks[i + 1].key == word_key("to") {
                let mut k = i + 2;
                while k < b && k < i + 9 && self.toks[k].is_word() && !self.toks[k].has(flag::QUOTED) {
                    k += 1;
                }
                if k > i + 2 {
                    let speaker = self.speaker(i + 2..k);
                    return Some(Attribution { speaker: Some(speaker), outlet: self.outlet(s), inherited: false });
                }
            }
            if self.is_verb(i)
                && let Some(r) = self.phrase_before(i, a)
            {
                let mut speaker = self.speaker(r);
                self.resolve_pronoun(&mut speaker);
                return Some(Attribution { speaker: Some(speaker), outlet: self.outlet(s), inherited: false });
            }
        }
        None
    }
}

/// Words that start a clause: the speaker is after them ("support for Ukraine after he said").
static CLAUSE_KEYS: LazyLock<FxHashSet<u64>> = LazyLock::new(|| {
    key_set(&[
        "after", "before", "when", "while", "that", "which", "who", "as", "and", "but", "because", "if", "since",
        "though", "although", "so", "where", "whether", "until", "to", "saying", "how", "why", "what",
    ])
});
/// Words between a speaker and the verb: "the president-elect has insisted".
static AUX_KEYS: LazyLock<FxHashSet<u64>> = LazyLock::new(|| {
    key_set(&["has", "have", "had", "also", "later", "earlier", "then", "again", "previously", "would", "will"])
});
/// "a spokesperson for Donald Trump": the speaker follows these.
static PREP_KEYS: LazyLock<FxHashSet<u64>> = LazyLock::new(|| key_set(&["for", "from", "of", "at", "to"]));
static THE: LazyLock<u64> = LazyLock::new(|| word_key("the"));
static PRONOUN_KEYS: LazyLock<FxHashSet<u64>> = LazyLock::new(|| key_set(&["he", "she"]));

/// Whether two speaker keys name the same speaker: equal, or one is the other's last
/// words ("healey" and "john healey").
pub fn same_speaker(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long == short || long.ends_with(short) && long[..long.len() - short.len()].ends_with(' ')
}

/// Words that may follow an outlet's name: "BBC One’s Sunday programme".
static OUTLET_NOUN_KEYS: LazyLock<FxHashSet<u64>> = LazyLock::new(|| {
    key_set(&[
        "programme",
        "program",
        "show",
        "podcast",
        "radio",
        "newspaper",
        "channel",
        "broadcast",
        "interview",
        "website",
    ])
});

fn strip_possessive(w: &str) -> &str {
    w.strip_suffix("’s").or_else(|| w.strip_suffix("'s")).unwrap_or(w)
}

const PRONOUN: &str = "\u{0}pronoun";

#[cfg(test)]
mod tests {
    use super::*;

    fn quote_speakers(text: &str) -> Vec<(Option<String>, Option<String>, bool)> {
        let data = RuleData::builtin();
        let paras = crate::clean::clean_text(text, &data).paragraphs;
        let seg = crate::segment::segment(text, &paras, &data.abbreviations);
        let names = super::super::names::extract(text, &seg, &data);
        let (q, _) = extract(text, &seg, &names, &data);
        q.into_iter().map(|a| (a.speaker.and_then(|s| s.key), a.outlet.map(|o| o.key), a.inherited)).collect()
    }

    #[test]
    fn speakers_after_and_before_quotes() {
        let got = quote_speakers(
            "“We will act,” a Downing Street spokesperson said. “Not now,” said Mr Healey. Ms Phillipson told the BBC: “It is ambitious.”",
        );
        assert_eq!(
            got,
            [
                (Some("downing street".into()), None, false),
                (Some("healey".into()), None, false),
                (Some("phillipson".into()), Some("bbc".into()), false)
            ]
        );
    }

    #[test]
    fn continued_quotes_inherit_and_pronouns_resolve() {
        let text = "But facing broadcasters, Mr Healey said he believed it.\n\n“As far as President Trump goes, it is fine,” he told Sky News.\n\n“I don’t expect a change.”";
        assert_eq!(
            quote_speakers(text),
            [(Some("healey".into()), Some("sky".into()), false), (Some("healey".into()), Some("sky".into()), true)]
        );
    }

    #[test]
    fn generic_speakers_have_no_key() {
        let got = quote_speakers("They discussed “this crucial moment”, a readout said. “Act,” officials said.");
        assert_eq!(got, [(None, None, false), (None, None, false)]);
    }

    #[test]
    fn numbered_alias_is_the_same_speaker() {
        let got = quote_speakers("“We act,” a Number 10 spokeswoman said.");
        assert_eq!(got[0].0.as_deref(), Some("downing street"));
    }
}
