//! Align: pair what several articles say about the same thing.
//!
//! Sentences are paired across documents when their content words agree (TF-IDF cosine,
//! or containment for a sentence split in two); quotations are paired when one is the
//! other, a fragment of it, or fills the same slot in the same sentence ("end the war
//! “in one day”" / "end the war “within a day”"), within one article too. Both use an
//! inverted index, so only sentences and quotes that share a rare word are ever scored:
//! cost grows with the number of sentences, not its square.

pub mod quotes;
pub mod sentences;

use serde::Serialize;

pub use quotes::{How, Op, QuotePair, QuoteRef, words as quote_words};
pub use sentences::{SentRef, SentencePair};

use crate::Analyzed;

/// Everything the aligner paired in one event.
#[derive(Debug, Clone, Default)]
pub struct Alignment {
    /// Sentence pairs across documents, `a` before `b` in (doc, sentence) order.
    pub pairs: Vec<SentencePair>,
    /// For each document and sentence, the best score against any other document.
    pub best_other: Vec<Vec<f32>>,
    pub quote_pairs: Vec<QuotePair>,
}

/// Tuning of the aligner.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct AlignOptions {
    /// Cosine at which two sentences report the same thing.
    pub min_score: f32,
}

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions { min_score: 0.5 }
    }
}

pub fn align(docs: &[Analyzed], opts: &AlignOptions) -> Alignment {
    let (pairs, best_other) = sentences::align(docs, opts);
    let quote_pairs = quotes::align(docs);
    Alignment { pairs, best_other, quote_pairs }
}
