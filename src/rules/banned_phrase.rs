use super::{Event, Evidence, Rule, Sink, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds phrases a newsroom does not print, listed in a rule pack as `[[banned]]`
    /// entries: `phrases = ["sources say"]` and the `message` to show. Phrases match as
    /// whole words, ignoring case. Each article is checked on its own, so with `--against`
    /// only the draft is held to it. The built-in packs ban nothing: name a pack of your
    /// own in `rule-packs` (`examples/ci/house.toml` is one).
    ///
    /// ## Why is this bad?
    /// Vague sourcing ("sources say"), unkept hedges and loaded words are what a style
    /// guide bans; catching them before publication is cheaper than a correction after.
    ///
    /// ## Example
    /// With `examples/ci/house.toml`:
    /// ```text
    /// draft: Sources say the two leaders also discussed migration.
    /// ```
    /// banned-phrase: “Sources say”: name the source, or say why it cannot be named.
    pub struct BannedPhrase;
}

impl Rule for BannedPhrase {
    fn check(&self, ev: &Event, sink: &mut Sink) {
        let house = &ev.data.house;
        if house.banned.is_empty() {
            return;
        }
        for (di, d) in ev.docs.iter().enumerate() {
            for (si, s) in d.seg.sentences.iter().enumerate() {
                let span = d.seg.span(&s.tokens);
                let sentence = &d.doc.text[span.clone()];
                for (r, phrase) in house.banned_phrases.find(sentence) {
                    let entry = &house.banned[house.banned_phrases.entry[phrase]];
                    let message = format!("“{}”: {}", &sentence[r.clone()], entry.message);
                    let at = span.start + r.start..span.start + r.end;
                    sink.push(
                        sink.severity(),
                        message,
                        vec![Evidence { doc: di as u32, span: at, sentence: Some(si as u32) }],
                    );
                }
            }
        }
    }
}
