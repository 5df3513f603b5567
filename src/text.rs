//! Text helpers every stage shares: comparison keys, line/column lookup and the map from
//! extracted text back to the file it came from.
//!
//! Keys are for matching only (case-folded, accents stripped, apostrophes unified); reports
//! always show the text as written, found again through byte offsets.

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::LazyLock;

use rustc_hash::{FxHashSet, FxHasher};

/// Appends the comparison form of `word` to `out`: lower case, accents stripped
/// ("Élysées" → "elysees"), curly apostrophes made straight.
pub fn fold_into(word: &str, out: &mut String) {
    for ch in word.chars() {
        if ch.is_ascii() {
            out.push(ch.to_ascii_lowercase());
        } else if matches!(ch, '\u{2019}' | '\u{2018}' | '\u{02bc}' | '\u{2032}') {
            out.push('\'');
        } else {
            // Lower-case first: some capitals have no ASCII form while their small
            // letter does ("Ƛ" → "ƛ" → "l"), and folding must not change on a second pass.
            for low in ch.to_lowercase() {
                match deunicode::deunicode_char(low) {
                    Some(s) => out.extend(s.chars().map(|c| c.to_ascii_lowercase())),
                    None => out.push(low),
                }
            }
        }
    }
}

/// The comparison form of `s`; see [`fold_into`].
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// Hash of a word's comparison form, with a possessive "'s" removed so that "Trump’s"
/// and "Trump" meet.
pub fn word_key(word: &str) -> u64 {
    word_keys(word).0
}

/// Hash of a word's comparison form with common inflections cut ("discussed",
/// "discusses", "discussing" → "discuss"), for deciding whether sentences say the same.
pub fn stem_key(word: &str) -> u64 {
    word_keys(word).1
}

/// [`word_key`] and, for a word that is not a function word, [`stem_key`] (else 0),
/// folding the word once.
pub fn content_keys(word: &str) -> (u64, u64) {
    with_folded(word, |f| {
        let w = strip_possessive(f);
        let key = hash_bytes(w);
        (key, if is_stop_key(key) { 0 } else { hash_bytes(light_stem(w)) })
    })
}

/// [`word_key`] and [`stem_key`] at once, folding the word once.
pub fn word_keys(word: &str) -> (u64, u64) {
    with_folded(word, |f| {
        let w = strip_possessive(f);
        (hash_bytes(w), hash_bytes(light_stem(w)))
    })
}

/// Calls `f` with the folded bytes of `word`. ASCII words, nearly all of them, are used
/// as they are when already in lower case, else lowered on the stack, without allocating.
fn with_folded<R>(word: &str, f: impl FnOnce(&[u8]) -> R) -> R {
    let b = word.as_bytes();
    if b.is_ascii() {
        if !b.iter().any(u8::is_ascii_uppercase) {
            return f(b);
        }
        let mut stack = [0u8; 48];
        if let Some(s) = stack.get_mut(..b.len()) {
            s.copy_from_slice(b);
            s.make_ascii_lowercase();
            return f(s);
        }
    }
    f(fold(word).as_bytes())
}

fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = FxHasher::default();
    h.write(b);
    h.finish()
}

/// The [`word_key`]s of some words, for fast membership tests on tokens.
pub fn key_set(words: &[&str]) -> FxHashSet<u64> {
    words.iter().map(|w| word_key(w)).collect()
}

/// A deliberately small suffix stripper: enough to pair "talks"/"talked"/"talking",
/// never so much that different words collide often. Works on folded bytes.
fn light_stem(w: &[u8]) -> &[u8] {
    let n = w.len();
    if !w.is_ascii() || n <= 4 {
        return w;
    }
    for (suffix, min) in [(&b"ing"[..], 6), (b"ies", 5), (b"ed", 5), (b"es", 5), (b"s", 4)] {
        if w.ends_with(suffix) && n >= min {
            let cut = &w[..n - suffix.len()];
            if suffix == b"s" && cut.ends_with(b"s") {
                return w;
            }
            if suffix == b"es" && !matches!(cut.last(), Some(b's' | b'x' | b'z' | b'h')) {
                return &w[..n - 1];
            }
            return cut;
        }
    }
    w
}

/// Folded bytes without a trailing "'s" (folding has made curly apostrophes straight).
fn strip_possessive(w: &[u8]) -> &[u8] {
    if w.len() > 2 && w.ends_with(b"'s") { &w[..w.len() - 2] } else { w }
}

/// Stable 64-bit hash of any value, for fingerprints and sketches.
pub fn hash64<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = FxHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// Function words: they carry no fact of their own, so they neither make two sentences
/// alike nor make a quote's change a change of substance.
pub const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "said",
    "says",
    "say",
    "told",
    "added",
    "mr",
    "mrs",
    "ms",
    "sir",
    "amid",
    "upon",
    "onto",
    "per",
    "via",
    "may",
    "might",
    "must",
    "shall",
    "yet",
    "ever",
    "been",
    "its",
    "let's",
    "it's",
    "that's",
    "there's",
    "he's",
    "she's",
    "we're",
    "they're",
    "i'm",
    "i've",
    "we've",
    "don't",
    "doesn't",
    "didn't",
    "won't",
    "can't",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "hasn't",
    "haven't",
    "wouldn't",
    "couldn't",
    "shouldn't",
];

static STOP_KEYS: LazyLock<FxHashSet<u64>> = LazyLock::new(|| STOPWORDS.iter().map(|w| word_key(w)).collect());

/// Whether `folded` (a comparison form) is a function word.
pub fn is_stopword(folded: &str) -> bool {
    is_stop_key(word_key(folded))
}

/// Whether the word with this [`word_key`] is a function word.
pub fn is_stop_key(key: u64) -> bool {
    STOP_KEYS.contains(&key)
}

/// Byte offset → 1-based line and column (in Unicode scalar values, as SARIF's
/// `unicodeCodePoints` counts them).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// Line and column of `offset` in `text` (the same text the index was built from).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let col = text[self.starts[line]..offset].chars().count() + 1;
        (line + 1, col)
    }
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Maps offsets in extracted text (what the pipeline reads) to offsets in the source file
/// (what reports point at). Extracted text is built from runs of the source; each run is
/// recorded once, so positions inside a run map exactly and positions in inserted
/// separators map to the start of the next run.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    /// (offset in extracted text, offset in source), sorted by the first.
    runs: Vec<(usize, usize)>,
}

impl SourceMap {
    /// The map of text that is its own source.
    pub fn identity() -> Self {
        SourceMap { runs: Vec::new() }
    }

    /// Records that extracted text from `text_at` on was copied from the source at `source_at`.
    pub fn push(&mut self, text_at: usize, source_at: usize) {
        if let Some(last) = self.runs.last_mut()
            && last.0 == text_at
        {
            last.1 = source_at;
            return;
        }
        self.runs.push((text_at, source_at));
    }

    pub fn to_source(&self, offset: usize) -> usize {
        if self.runs.is_empty() {
            return offset;
        }
        let i = self.runs.partition_point(|&(t, _)| t <= offset);
        if i == 0 {
            return self.runs[0].1;
        }
        let (t, s) = self.runs[i - 1];
        let mapped = s + (offset - t);
        // Entity decoding shortens text; never run past the next run's start.
        match self.runs.get(i) {
            Some(&(_, next)) if next > s => mapped.min(next),
            _ => mapped,
        }
    }

    pub fn range_to_source(&self, r: &Range<usize>) -> Range<usize> {
        let start = self.to_source(r.start);
        let end = self.to_source(r.end.saturating_sub(1)) + 1;
        start..end.max(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_strips_accents_and_case() {
        assert_eq!(fold("Champs-Élysées"), "champs-elysees");
        assert_eq!(fold("Trump\u{2019}s"), "trump's");
        assert_eq!(word_key("Trump\u{2019}s"), word_key("trump"));
        assert_eq!(word_key("ÉLYSÉES"), word_key("elysees"));
        assert_ne!(word_key("long"), word_key("along"));
        assert_eq!(stem_key("discussed"), stem_key("discussing"));
        assert_eq!(stem_key("talks"), stem_key("Talk"));
        assert_eq!(stem_key("speeches"), stem_key("speech"));
        assert_ne!(stem_key("news"), stem_key("new"));
    }

    #[test]
    fn stopwords_are_found() {
        assert!(is_stopword("the"));
        assert!(is_stopword("within"));
        assert!(!is_stopword("ukraine"));
    }

    #[test]
    fn line_col_counts_chars() {
        let text = "ab\n“é” x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), (2, 5));
    }

    #[test]
    fn source_map_maps_runs() {
        let mut m = SourceMap::identity();
        m.push(0, 10);
        m.push(5, 40);
        assert_eq!(m.to_source(0), 10);
        assert_eq!(m.to_source(3), 13);
        assert_eq!(m.to_source(6), 41);
    }
}
