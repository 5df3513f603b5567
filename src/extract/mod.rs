//! Extract: the facts a sentence states, found by rules and data files so every finding
//! can be explained. Numbers with units, people and places, quotes with speakers and
//! outlets, the attribution of claims, and hedges.

pub mod attribution;
pub mod hedges;
pub mod names;
pub mod numbers;

use crate::rules::data::RuleData;
use crate::segment::Segmented;

pub use attribution::{Attribution, Outlet, Speaker};
pub use hedges::Hedge;
pub use names::NameMention;
pub use numbers::{Number, Unit};

/// Everything extracted from one document; all positions are tokens or bytes of its text.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub numbers: Vec<Number>,
    pub names: Vec<NameMention>,
    /// The attribution of each quote, parallel to `Segmented::quotes`.
    pub quotes: Vec<Attribution>,
    /// The attribution of each sentence's own claim, parallel to `Segmented::sentences`.
    pub claims: Vec<Option<Attribution>>,
    pub hedges: Vec<Hedge>,
}

impl Facts {
    /// Figures inside the token range.
    pub fn numbers_in(&self, tokens: &std::ops::Range<u32>) -> &[Number] {
        let a = self.numbers.partition_point(|n| n.tokens.start < tokens.start);
        let b = self.numbers.partition_point(|n| n.tokens.start < tokens.end);
        &self.numbers[a..b]
    }

    /// Hedges of sentence `s`.
    pub fn hedges_in(&self, s: u32) -> &[Hedge] {
        let a = self.hedges.partition_point(|h| h.sentence < s);
        let b = self.hedges.partition_point(|h| h.sentence <= s);
        &self.hedges[a..b]
    }
}

pub fn extract(text: &str, seg: &Segmented, data: &RuleData) -> Facts {
    let numbers = numbers::extract(text, seg);
    let names = names::extract(text, seg, data);
    let (quotes, claims) = attribution::extract(text, seg, &names, data);
    let hedges = hedges::extract(text, seg, data);
    Facts { numbers, names, quotes, claims, hedges }
}
