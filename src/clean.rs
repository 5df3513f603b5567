//! Clean: find the paragraphs of a document that are the article.
//!
//! Scraped pages carry more than the story: an inline `date 2024-11` header, the
//! article repeated several times, "Advertisement" lines, donation appeals, photo
//! captions with credits. Cleaning never rewrites text; it only chooses which byte
//! ranges of the document's text are kept, so every later span still maps back to the
//! file's lines and columns.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use rustc_hash::FxHashSet;

use crate::ingest::Document;
use crate::rules::data::RuleData;

/// Why a stretch of text was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    /// A repeat of an earlier paragraph.
    Duplicate,
    /// Matched the named boilerplate pattern.
    Boilerplate(String),
    /// The leading `date ...` header.
    Header,
}

/// The kept paragraphs of one document.
#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    /// Byte ranges into the document's text, in order, trimmed.
    pub paragraphs: Vec<Range<usize>>,
    /// The date from a leading `date YYYY-MM[-DD]` header.
    pub date: Option<String>,
    pub removed: Vec<(Range<usize>, Removed)>,
}

static DATE_HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\b[ \t]*").expect("valid regex"));

pub fn clean(doc: &Document, data: &RuleData) -> Cleaned {
    clean_text(&doc.text, data)
}

/// The leading `date YYYY-MM[-DD]` header: the date and the bytes it covers.
pub fn date_header(text: &str) -> Option<(String, Range<usize>)> {
    let m = DATE_HEADER.captures(text)?;
    Some((m[1].to_string(), m.get(0)?.range()))
}

pub fn clean_text(text: &str, data: &RuleData) -> Cleaned {
    let mut out = Cleaned::default();
    let mut start = 0;
    if let Some(m) = DATE_HEADER.captures(text) {
        let whole = m.get(0).expect("group 0");
        out.date = Some(m[1].to_string());
        out.removed.push((whole.range(), Removed::Header));
        start = whole.end();
    }
    let mut seen = FxHashSet::default();
    for para in paragraphs(text, start) {
        let body = &text[para.clone()];
        if let Some(name) = data.boilerplate.matches(body) {
            out.removed.push((para, Removed::Boilerplate(name.to_string())));
            continue;
        }
        // Repeats are compared with white space evened out: scrapers re-wrap copies.
        let mut h = rustc_hash::FxHasher::default();
        for w in body.split_whitespace() {
            std::hash::Hash::hash(w, &mut h);
        }
        let key = std::hash::Hasher::finish(&h);
        if !seen.insert(key) {
            out.removed.push((para, Removed::Duplicate));
            continue;
        }
        out.paragraphs.push(para);
    }
    out
}

/// Paragraph ranges of `text` from `start`: blocks split at blank lines, and at single
/// line breaks that end a sentence or open a quote (one-paragraph-a-line files such as
/// seed 002). A break in mid-sentence is a soft wrap and stays inside the paragraph.
fn paragraphs(text: &str, start: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut para_start: Option<usize> = None;
    let mut last_end = start;
    let mut pos = start;
    let bytes = text.as_bytes();
    let close = |s: usize, e: usize, out: &mut Vec<Range<usize>>| {
        let r = trim_range(text, s..e);
        if !r.is_empty() {
            out.push(r);
        }
    };
    while pos <= text.len() {
        let line_end = memchr::memchr(b'\n', &bytes[pos..]).map_or(text.len(), |i| pos + i);
        let line = &text[pos..line_end];
        if line.trim().is_empty() {
            if let Some(s) = para_start.take() {
                close(s, last_end, &mut out);
            }
        } else {
            let trimmed = line.trim_start();
            let opens = trimmed.starts_with(['“', '"', '‘', '«', '-', '•', '*', '–', '—']);
            if let Some(s) = para_start
                && (ends_sentence(&text[s..last_end]) || opens)
            {
                close(s, last_end, &mut out);
                para_start = None;
            }
            if para_start.is_none() {
                para_start = Some(pos);
            }
            last_end = line_end;
        }
        if line_end == text.len() {
            break;
        }
        pos = line_end + 1;
    }
    if let Some(s) = para_start {
        close(s, last_end, &mut out);
    }
    out
}

fn ends_sentence(line: &str) -> bool {
    line.trim_end().ends_with(['.', '!', '?', '”', '"', '’', '\'', ')', ':', '…'])
}

fn trim_range(text: &str, r: Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    let start = r.start + (s.len() - s.trim_start().len());
    let end = r.start + s.trim_end().len();
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(text: &str) -> Vec<&str> {
        let data = RuleData::builtin();
        clean_text(text, &data).paragraphs.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn date_header_is_metadata() {
        let data = RuleData::builtin();
        let text = " date 2024-11 Prime Minister met Macron in Paris\n\nThe talks ended.";
        let c = clean_text(text, &data);
        assert_eq!(c.date.as_deref(), Some("2024-11"));
        assert_eq!(&text[c.paragraphs[0].clone()], "Prime Minister met Macron in Paris");
    }

    #[test]
    fn repeats_and_adverts_are_dropped() {
        let text = "One.\n\nAdvertisement\n\nTwo.\n\nOne.\n\nAdvertisement\n\nTwo.";
        assert_eq!(kept(text), ["One.", "Two."]);
    }

    #[test]
    fn line_per_paragraph_and_soft_wraps() {
        assert_eq!(kept("First line.\nSecond line."), ["First line.", "Second line."]);
        assert_eq!(kept("A sentence that wraps\nonto the next line."), ["A sentence that wraps\nonto the next line."]);
        assert_eq!(kept("He said:\n“Quote here.”"), ["He said:", "“Quote here.”"]);
    }
}
