//! Segment: words, sentences and quotations, as views over the document's text.
//!
//! One pass makes tokens (byte ranges with a comparison key); sentences and quotes are
//! ranges of tokens, never copies. The splitter knows what newsroom prose does to a naive
//! one: "Mr", "Sir Keir", "U.S.", "No. 10", "2.3%", "£22bn", quotes that end a sentence
//! (`.”`), and quotations that run over several paragraphs, each opening with “ and only
//! the last closing. The abbreviation lists come from `rules/abbreviations.toml`.

use std::ops::Range;

use rustc_hash::FxHashSet;

use crate::rules::data::Abbreviations;
use crate::text::{content_keys, fold, word_keys};

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters (and digits after a letter): "Macron", "Trump’s", "G7".
    Word,
    /// Starts with a digit: "2.3", "22bn", "1944", "120th".
    Number,
    /// One character of punctuation or a symbol: "“", ".", "£", "%".
    Punct,
}

/// Token flags.
pub mod flag {
    /// Starts with an upper-case letter.
    pub const CAP: u8 = 1;
    /// A function word.
    pub const STOP: u8 = 2;
    /// A quotation mark that opens, closes or continues a quote.
    pub const QMARK: u8 = 4;
    /// White space (or the paragraph start) comes before it.
    pub const SPACE_BEFORE: u8 = 8;
    /// Inside a quotation.
    pub const QUOTED: u8 = 16;
    /// Inside parentheses or square brackets.
    pub const BRACKETED: u8 = 32;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: u32,
    pub end: u32,
    pub kind: Kind,
    pub flags: u8,
    /// Hash of the comparison form (see [`crate::text::word_key`]).
    pub key: u64,
    /// Hash of the light stem, for content words (see [`crate::text::stem_key`]); else 0.
    pub stem: u64,
}

impl Token {
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.range()]
    }
    pub fn has(&self, f: u8) -> bool {
        self.flags & f != 0
    }
    pub fn is_word(&self) -> bool {
        self.kind != Kind::Punct
    }
    /// A word or number that carries content.
    pub fn is_content(&self) -> bool {
        self.kind != Kind::Punct && !self.has(flag::STOP)
    }
    fn ch(&self, text: &str) -> char {
        text[self.range()].chars().next().unwrap_or(' ')
    }
}

/// A sentence: a range of tokens within one paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub tokens: Range<u32>,
    pub para: u32,
}

/// A quotation: the tokens between its outer marks. A quotation over several paragraphs
/// includes the marks that reopen each paragraph, flagged [`flag::QMARK`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The tokens inside the outer marks.
    pub tokens: Range<u32>,
    /// Byte offset of the opening mark.
    pub open: u32,
    /// Whether a closing mark was found (else the quote ends with its paragraph).
    pub closed: bool,
    pub first_para: u32,
    pub last_para: u32,
}

/// A segmented document.
#[derive(Debug, Clone, Default)]
pub struct Segmented {
    pub paragraphs: Vec<Range<usize>>,
    /// Token range of each paragraph.
    pub para_tokens: Vec<Range<u32>>,
    pub tokens: Vec<Token>,
    /// Sentences in text order; exact repeats of an earlier sentence are left out.
    pub sentences: Vec<Sentence>,
    pub quotes: Vec<Quote>,
    /// How many repeated sentences were left out.
    pub repeats: usize,
}

impl Segmented {
    pub fn sentence_tokens(&self, s: &Sentence) -> &[Token] {
        &self.tokens[s.tokens.start as usize..s.tokens.end as usize]
    }

    /// Byte range of a token range.
    pub fn span(&self, toks: &Range<u32>) -> Range<usize> {
        if toks.is_empty() {
            let at = self.tokens.get(toks.start as usize).map_or(0, |t| t.start as usize);
            return at..at;
        }
        self.tokens[toks.start as usize].start as usize..self.tokens[toks.end as usize - 1].end as usize
    }

    /// The sentence holding token `t`, if it was kept.
    pub fn sentence_of(&self, t: u32) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.tokens.end <= t);
        self.sentences.get(i).filter(|s| s.tokens.start <= t).map(|_| i)
    }
}

/// Segments the kept paragraphs of `text`.
pub fn segment(text: &str, paragraphs: &[Range<usize>], abbr: &Abbreviations) -> Segmented {
    let mut seg = Segmented { paragraphs: paragraphs.to_vec(), ..Default::default() };
    seg.tokens.reserve(text.len() / 5);
    for p in paragraphs {
        let start = seg.tokens.len() as u32;
        tokenize(text, p.clone(), &mut seg.tokens);
        seg.para_tokens.push(start..seg.tokens.len() as u32);
    }
    find_quotes(text, &mut seg);
    mark_brackets(text, &mut seg.tokens);
    let mut seen = FxHashSet::default();
    for (pi, pt) in seg.para_tokens.clone().into_iter().enumerate() {
        for r in split_sentences(text, &seg.tokens, pt, abbr) {
            let key = crate::text::hash64(
                &seg.tokens[r.start as usize..r.end as usize]
                    .iter()
                    .filter(|t| t.is_word())
                    .map(|t| t.key)
                    .collect::<Vec<_>>(),
            );
            if !seen.insert(key) {
                seg.repeats += 1;
                continue;
            }
            seg.sentences.push(Sentence { tokens: r, para: pi as u32 });
        }
    }
    seg
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)
}

/// Splits `text[range]` into tokens appended to `out`. ASCII, most of any English text,
/// is read byte by byte; other characters are decoded where they occur.
pub fn tokenize(text: &str, range: Range<usize>, out: &mut Vec<Token>) {
    let s = &text[range.clone()];
    let b = s.as_bytes();
    let base = range.start;
    let char_at = |i: usize| -> char { if b[i] < 0x80 { b[i] as char } else { s[i..].chars().next().unwrap_or(' ') } };
    let mut space_before = true;
    let mut i = 0;
    while i < b.len() {
        let c = char_at(i);
        let len = c.len_utf8();
        if c.is_whitespace() {
            space_before = true;
            i += len;
            continue;
        }
        let sb = if space_before { flag::SPACE_BEFORE } else { 0 };
        space_before = false;
        if !is_word_char(c) {
            let (start, end) = ((base + i) as u32, (base + i + len) as u32);
            out.push(Token { start, end, kind: Kind::Punct, flags: sb, key: c as u64, stem: 0 });
            i += len;
            continue;
        }
        let mut end = i + len;
        while end < b.len() {
            if b[end].is_ascii_alphanumeric() {
                end += 1;
                continue;
            }
            let d = char_at(end);
            if d as u32 >= 0x80 && is_word_char(d) {
                end += d.len_utf8();
                continue;
            }
            // Joiners inside a word: apostrophes between letters ("don’t", "Trump’s"),
            // points and commas between digits ("2.3", "1,000").
            let after_at = end + d.len_utf8();
            let joins = match d {
                '\'' | '’' => {
                    after_at < b.len()
                        && char_at(after_at).is_alphabetic()
                        && s[..end].chars().next_back().is_some_and(char::is_alphabetic)
                }
                '.' | ',' => after_at < b.len() && b[after_at].is_ascii_digit() && b[end - 1].is_ascii_digit(),
                _ => false,
            };
            if !joins {
                break;
            }
            end = after_at + char_at(after_at).len_utf8();
        }
        let word = &s[i..end];
        let kind = if c.is_ascii_digit() { Kind::Number } else { Kind::Word };
        let (key, stem) = content_keys(word);
        let mut flags = sb;
        if c.is_uppercase() {
            flags |= flag::CAP;
        }
        // Numbers are never function words, whatever their hash.
        let stem = if kind == Kind::Number && stem == 0 { word_keys(word).1 } else { stem };
        if kind == Kind::Word && stem == 0 {
            flags |= flag::STOP;
        }
        out.push(Token { start: (base + i) as u32, end: (base + end) as u32, kind, flags, key, stem });
        i = end;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Double,
    StraightDouble,
    Single,
    StraightSingle,
}

impl Mark {
    fn is_double(self) -> bool {
        matches!(self, Mark::Double | Mark::StraightDouble)
    }
}

/// Pairs quotation marks and records the outermost quotations.
fn find_quotes(text: &str, seg: &mut Segmented) {
    let mut stack: Vec<Mark> = Vec::new();
    // The outermost open quote: (first inner token, opening byte, first paragraph).
    let mut outer: Option<(u32, u32, u32)> = None;
    // The mark that reopens a continued quotation at a paragraph's start.
    let mut reopen: Option<u32> = None;
    let n_paras = seg.para_tokens.len();
    for pi in 0..n_paras {
        let pt = seg.para_tokens[pi].clone();
        let mut i = pt.start;
        while i < pt.end {
            let t = seg.tokens[i as usize];
            if t.kind != Kind::Punct || reopen.take_if(|r| *r == i).is_some() {
                i += 1;
                continue;
            }
            let c = t.ch(text);
            let prev = text[..t.start as usize].chars().next_back();
            let next = text[t.end as usize..].chars().next();
            let opens_here = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p)) || i == pt.start;
            let next_solid = next.is_some_and(|n| !n.is_whitespace());
            let action = match c {
                '“' | '„' | '«' if next_solid || stack.is_empty() => Some((true, Mark::Double)),
                '”' | '»' if stack.iter().any(|m| m.is_double()) => Some((false, Mark::Double)),
                '"' if stack.last() == Some(&Mark::StraightDouble) => Some((false, Mark::StraightDouble)),
                '"' if opens_here && next_solid => Some((true, Mark::StraightDouble)),
                '"' if stack.contains(&Mark::StraightDouble) => Some((false, Mark::StraightDouble)),
                '‘' | '‹' if next_solid => Some((true, Mark::Single)),
                '’' | '›' if stack.last() == Some(&Mark::Single) && !next.is_some_and(char::is_alphanumeric) => {
                    Some((false, Mark::Single))
                }
                '\'' if stack.last() == Some(&Mark::StraightSingle) && !next.is_some_and(char::is_alphanumeric) => {
                    Some((false, Mark::StraightSingle))
                }
                '\'' if opens_here && next.is_some_and(char::is_alphanumeric) => Some((true, Mark::StraightSingle)),
                _ => None,
            };
            if let Some((open, mark)) = action {
                seg.tokens[i as usize].flags |= flag::QMARK;
                if open {
                    if stack.is_empty() {
                        outer = Some((i + 1, t.start, pi as u32));
                    }
                    stack.push(mark);
                } else {
                    // Close the innermost mark of this kind, dropping any left open inside it.
                    let want_double = mark.is_double();
                    while let Some(m) = stack.pop() {
                        if m.is_double() == want_double {
                            break;
                        }
                    }
                    if stack.is_empty()
                        && let Some((first, open_at, fp)) = outer.take()
                    {
                        seg.quotes.push(Quote {
                            tokens: first..i,
                            open: open_at,
                            closed: true,
                            first_para: fp,
                            last_para: pi as u32,
                        });
                    }
                }
            }
            i += 1;
        }
        // A quotation still open at the paragraph's end continues if the next paragraph
        // opens with a double mark (the newsroom convention), else it ends here.
        if let Some((first, open_at, fp)) = outer {
            let next_opens = stack.first().is_some_and(|m| m.is_double())
                && seg.para_tokens.get(pi + 1).is_some_and(|np| {
                    let t = seg.tokens.get(np.start as usize);
                    t.is_some_and(|t| t.kind == Kind::Punct && matches!(t.ch(text), '“' | '"' | '«' | '„'))
                });
            if next_opens {
                let np = seg.para_tokens[pi + 1].start;
                seg.tokens[np as usize].flags |= flag::QMARK;
                // Keep only the outer mark; the reopening mark is not a new quote.
                stack.truncate(1);
                reopen = Some(np);
            } else {
                seg.quotes.push(Quote {
                    tokens: first..pt.end,
                    open: open_at,
                    closed: false,
                    first_para: fp,
                    last_para: pi as u32,
                });
                outer = None;
                stack.clear();
            }
        } else {
            stack.clear();
        }
    }
    for q in &seg.quotes {
        for t in &mut seg.tokens[q.tokens.start as usize..q.tokens.end as usize] {
            t.flags |= flag::QUOTED;
        }
    }
}

/// Flags tokens inside ( ) and [ ]: editors' insertions into quotes ("over (Vladimir)
/// Putin’s invasion") that are not the speaker's words.
fn mark_brackets(text: &str, tokens: &mut [Token]) {
    let mut depth = 0u32;
    for t in tokens.iter_mut() {
        if t.kind == Kind::Punct {
            match t.ch(text) {
                '(' | '[' => {
                    depth += 1;
                    t.flags |= flag::BRACKETED;
                    continue;
                }
                ')' | ']' => {
                    t.flags |= flag::BRACKETED;
                    depth = depth.saturating_sub(1);
                    continue;
                }
                _ => {}
            }
        }
        if depth > 0 {
            t.flags |= flag::BRACKETED;
        }
    }
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

fn is_closer(c: char) -> bool {
    matches!(c, '”' | '’' | '"' | '\'' | ')' | ']' | '»')
}

fn is_opener(c: char) -> bool {
    matches!(c, '“' | '‘' | '"' | '\'' | '(' | '[' | '«' | '„')
}

/// Sentence token ranges of one paragraph.
fn split_sentences(text: &str, tokens: &[Token], pt: Range<u32>, abbr: &Abbreviations) -> Vec<Range<u32>> {
    let mut out = Vec::new();
    let (a, b) = (pt.start as usize, pt.end as usize);
    let mut start = a;
    let mut i = a;
    while i < b {
        let t = tokens[i];
        if t.kind != Kind::Punct || !is_terminator(t.ch(text)) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < b
            && !tokens[j].has(flag::SPACE_BEFORE)
            && tokens[j].kind == Kind::Punct
            && is_terminator(tokens[j].ch(text))
        {
            j += 1;
        }
        let single_point = j == i + 1 && t.ch(text) == '.';
        while j < b
            && !tokens[j].has(flag::SPACE_BEFORE)
            && tokens[j].kind == Kind::Punct
            && is_closer(tokens[j].ch(text))
        {
            j += 1;
        }
        if j >= b {
            break;
        }
        let next = tokens[j];
        let starts = next.has(flag::SPACE_BEFORE)
            && match next.kind {
                Kind::Word => next.has(flag::CAP),
                Kind::Number => true,
                Kind::Punct => is_opener(next.ch(text)),
            };
        if starts && !(single_point && abbreviation_holds(text, tokens, a, i, next, abbr)) {
            out.push(start as u32..j as u32);
            start = j;
        }
        i = j;
    }
    if start < b {
        out.push(start as u32..b as u32);
    }
    out
}

/// Whether the full stop at `dot` belongs to an abbreviation that keeps the sentence going.
fn abbreviation_holds(
    text: &str,
    tokens: &[Token],
    para_start: usize,
    dot: usize,
    next: Token,
    abbr: &Abbreviations,
) -> bool {
    // Gather "U.S" from [U][.][S] before the final point.
    let mut k = dot;
    while k > para_start {
        let prev = tokens[k - 1];
        let glued = !tokens[k].has(flag::SPACE_BEFORE);
        if !glued {
            break;
        }
        let is_point = prev.kind == Kind::Punct && prev.ch(text) == '.';
        if prev.kind == Kind::Punct && !is_point {
            break;
        }
        k -= 1;
        if prev.kind != Kind::Punct && (k == para_start || tokens[k].has(flag::SPACE_BEFORE)) {
            break;
        }
    }
    if k == dot {
        return false;
    }
    let word = fold(&text[tokens[k].start as usize..tokens[dot].start as usize]);
    let next_word = fold(next.text(text));
    if abbr.never_end.contains(&word) {
        return true;
    }
    if abbr.before_number.contains(&word) {
        return next.kind == Kind::Number;
    }
    let dotted = word.contains('.');
    if abbr.may_end.contains(&word) || dotted {
        return !abbr.starters.contains(&next_word);
    }
    // An initial: "J. K. Rowling".
    let single_cap = word.chars().count() == 1 && tokens[k].has(flag::CAP);
    single_cap && next.kind == Kind::Word
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::data::RuleData;

    fn seg(text: &str) -> Segmented {
        let data = RuleData::builtin();
        let paras = crate::clean::clean_text(text, &data).paragraphs;
        segment(text, &paras, &data.abbreviations)
    }

    fn sentences(text: &str) -> Vec<String> {
        let s = seg(text);
        s.sentences.iter().map(|x| text[s.span(&x.tokens)].to_string()).collect()
    }

    fn quotes(text: &str) -> Vec<String> {
        let s = seg(text);
        s.quotes.iter().map(|q| text[s.span(&q.tokens)].to_string()).collect()
    }

    #[test]
    fn tokens_keep_joined_words() {
        let text = "Trump’s £22bn plan: 2.3% of 1,000 don’t (Vladimir)";
        let mut toks = Vec::new();
        tokenize(text, 0..text.len(), &mut toks);
        let words: Vec<&str> = toks.iter().map(|t| t.text(text)).collect();
        assert_eq!(
            words,
            ["Trump’s", "£", "22bn", "plan", ":", "2.3", "%", "of", "1,000", "don’t", "(", "Vladimir", ")"]
        );
        assert_eq!(toks[2].kind, Kind::Number);
        assert!(toks[0].has(flag::CAP));
    }

    #[test]
    fn splits_newsroom_prose() {
        assert_eq!(
            sentences("Sir Keir met Mr Macron at No 10. Spending rose to 2.5%. A £22bn hit was forecast."),
            ["Sir Keir met Mr Macron at No 10.", "Spending rose to 2.5%.", "A £22bn hit was forecast."]
        );
        assert_eq!(
            sentences("He called it “a disaster.” She disagreed. “Really?” he asked."),
            ["He called it “a disaster.”", "She disagreed.", "“Really?” he asked."]
        );
    }

    #[test]
    fn repeated_sentences_are_left_out() {
        let s = seg("One fact here. Another fact.\n\nOne fact here.");
        assert_eq!(s.sentences.len(), 2);
        assert_eq!(s.repeats, 1);
    }

    #[test]
    fn quotes_in_all_marks() {
        assert_eq!(
            quotes("He said “in one day” and ‘within a day’ then \"soon\" or 'now'."),
            ["in one day", "within a day", "soon", "now"]
        );
        // Apostrophes are not quotes.
        assert_eq!(quotes("Trump’s allies’ plan, don’t ‘panic’."), ["panic"]);
    }

    #[test]
    fn quote_over_several_paragraphs() {
        let text = "A spokesperson said: “The Prime Minister spoke.\n\n“They agreed to act.\n\n“The leaders will meet.”\n\nThen they left.";
        let s = seg(text);
        assert_eq!(s.quotes.len(), 1);
        let q = &s.quotes[0];
        assert!(q.closed);
        assert_eq!((q.first_para, q.last_para), (0, 2));
        assert!(text[s.span(&q.tokens)].ends_with("will meet."));
        assert!(!s.tokens[s.para_tokens[3].start as usize].has(flag::QUOTED));
    }

    #[test]
    fn unclosed_quote_ends_with_its_paragraph() {
        let text = "He said “this goes on\n\nNew paragraph here.";
        let s = seg(text);
        assert_eq!(s.quotes.len(), 1);
        assert!(!s.quotes[0].closed);
        assert_eq!(s.quotes[0].last_para, 0);
    }
}

#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use crate::rules::data::RuleData;

    /// Text made of the pieces that stress a splitter: quotes, abbreviations, numbers.
    fn newsy() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("Mr ".to_string()),
            Just("U.S. ".to_string()),
            Just("“".to_string()),
            Just("”".to_string()),
            Just("‘".to_string()),
            Just("’".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just(". ".to_string()),
            Just("\n\n".to_string()),
            Just("\n".to_string()),
            Just("£22bn ".to_string()),
            Just("2.3% ".to_string()),
            Just("(Vladimir) ".to_string()),
            "[A-Za-zÉé]{1,8} ",
            "\\PC{0,6}",
        ];
        proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn sentences_are_ordered_disjoint_and_inside_paragraphs(text in newsy()) {
            let data = RuleData::builtin();
            let cleaned = crate::clean::clean_text(&text, &data);
            let seg = super::segment(&text, &cleaned.paragraphs, &data.abbreviations);
            let mut last_end = 0u32;
            for s in &seg.sentences {
                prop_assert!(s.tokens.start < s.tokens.end);
                prop_assert!(s.tokens.start >= last_end);
                last_end = s.tokens.end;
                let span = seg.span(&s.tokens);
                let para = &seg.paragraphs[s.para as usize];
                prop_assert!(para.start <= span.start && span.end <= para.end);
                prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            }
            for t in &seg.tokens {
                prop_assert!(t.start < t.end && (t.end as usize) <= text.len());
            }
            for q in &seg.quotes {
                prop_assert!(q.tokens.start <= q.tokens.end && (q.tokens.end as usize) <= seg.tokens.len());
                prop_assert!(q.first_para <= q.last_para);
            }
        }

        #[test]
        fn folding_twice_changes_nothing(s in "\\PC{0,40}") {
            let once = crate::text::fold(&s);
            prop_assert_eq!(crate::text::fold(&once), once);
        }

        #[test]
        fn analysis_never_panics(text in newsy()) {
            let data = RuleData::builtin();
            let doc = crate::ingest::Document::plain("p", "p", crate::ingest::Format::Text, text);
            let a = crate::analyze(doc, &data);
            prop_assert_eq!(a.facts.quotes.len(), a.seg.quotes.len());
        }

        #[test]
        fn readers_never_panic_and_map_inside_the_source(text in newsy(), tag in "<[a-z]{1,6}( class=\"[a-z]+\")?>") {
            let html = format!("<html><body>{tag}{text}</body></html>");
            let doc = crate::ingest::html_for_tests(&html);
            for i in 0..=doc.text.len() {
                prop_assert!(doc.source_offset(i) <= doc.source().len());
            }
            let md = crate::ingest::markdown_for_tests(&text);
            for i in 0..=md.text.len() {
                prop_assert!(md.source_offset(i) <= md.source().len());
            }
            let fields = crate::ingest::FieldNames::default();
            let _ = crate::ingest::parse_record(text.as_bytes(), &fields);
        }
    }
}
