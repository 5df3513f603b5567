use super::{Event, Evidence, Rule, Sink, declare_rule};

declare_rule! {
    /// ## What it does
    /// Finds spellings a newsroom corrects, listed in a rule pack as
    /// `[[house-spelling]]` entries: `right = "Kyiv"`, `wrong = ["Kiev"]`. Wrong forms match
    /// as whole words, ignoring case; the right form itself is never reported. It checks
    /// each article on its own, so with `--against` it holds the draft to house style
    /// whatever the references write. The built-in packs have no house spellings: name a
    /// pack of your own in `rule-packs` (`examples/ci/house.toml` is one).
    ///
    /// ## Why is this bad?
    /// A house style keeps one story, and every story, spelling a name or a word one way;
    /// readers notice the change and search engines split the two forms.
    ///
    /// ## Example
    /// With `examples/ci/house.toml`:
    /// ```text
    /// draft: Defence spending will rise from 2.3 percent to 2.5 percent of national income.
    /// ```
    /// house-spelling: “percent”: the house spelling is “per cent”.
    pub struct HouseSpelling;
}

impl Rule for HouseSpelling {
    fn check(&self, ev: &Event, sink: &mut Sink) {
        let house = &ev.data.house;
        if house.spellings.is_empty() {
            return;
        }
        for (di, d) in ev.docs.iter().enumerate() {
            for (si, s) in d.seg.sentences.iter().enumerate() {
                let span = d.seg.span(&s.tokens);
                let sentence = &d.doc.text[span.clone()];
                for (r, phrase) in house.wrong.find(sentence) {
                    let right = &house.spellings[house.wrong.entry[phrase]].right;
                    let written = &sentence[r.clone()];
                    if written == right {
                        continue;
                    }
                    let at = span.start + r.start..span.start + r.end;
                    let message = format!("“{written}”: the house spelling is “{right}”");
                    let evidence = vec![Evidence { doc: di as u32, span: at, sentence: Some(si as u32) }];
                    sink.push_diff(sink.severity(), message, evidence, written, right);
                }
            }
        }
    }
}
