//! Sketch: what grouping needs of one article, computed from that article alone.
//!
//! A sketch is the article's content terms with raw weights (light stems; capitalised
//! words and multi-word names count more, since names tell events apart best), and its
//! time: the date field when there is one, else the year its text mentions most. It is
//! small, serialisable and needs no global statistics, so a cluster of machines can make
//! sketches anywhere and ship them to the linking stage.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::ingest::Document;
use crate::segment::{Kind, Token, flag, tokenize};

/// Weight of a capitalised word that does not open a sentence.
const CAP_WEIGHT: f32 = 3.0;
/// Weight of a name of two words or more ("Red Sox", "Mark Teixeira"), as one term.
const NAME_WEIGHT: f32 = 4.0;

/// When an article is from: a day, or only a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum When {
    /// Days since 1970-01-01.
    Day(i32),
    Year(i32),
}

impl When {
    pub fn year(self) -> i32 {
        match self {
            When::Year(y) => y,
            When::Day(d) => civil_from_days(d).0,
        }
    }
}

/// One article's sketch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sketch {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub when: Option<When>,
    /// An event label given in the input (`--event-field`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub event: Option<String>,
    /// (term, raw weight), sorted by term.
    pub terms: Vec<(u32, f32)>,
}

/// Folds a 64-bit key to the 32 bits sketches keep: plenty to tell an article's terms
/// apart, and half the memory of an archive's sketches.
fn term(key: u64) -> u32 {
    (key ^ (key >> 32)) as u32
}

/// Sketches one article.
pub fn sketch(doc: &Document) -> Sketch {
    // The text is tokenised as it is, without cleaning: a repeated copy or an advert adds
    // little to a bag of weighted terms, and sketching must be cheap.
    let text = &doc.text;
    let header = crate::clean::date_header(text);
    let body = header.as_ref().map_or(0, |h| h.1.end)..text.len();
    let mut toks: Vec<Token> = Vec::with_capacity(text.len() / 5);
    let mut weights: FxHashMap<u32, f32> = FxHashMap::default();
    let mut years: FxHashMap<i32, u32> = FxHashMap::default();
    tokenize(text, body, &mut toks);
    let mut initial = true;
    let mut prev_end = 0usize;
    let mut run: Vec<u64> = Vec::new();
    for t in &toks {
        // A word opens a sentence after a terminator, an opening quote or a line break.
        initial |= text[prev_end.min(t.start as usize)..t.start as usize].contains('\n');
        prev_end = t.end as usize;
        let capitalised = t.kind == Kind::Word && t.has(flag::CAP) && !t.has(flag::STOP);
        if capitalised && !initial {
            run.push(t.key);
        } else {
            flush_name(&mut run, &mut weights);
        }
        if t.is_content() {
            let w = if capitalised && !initial { CAP_WEIGHT } else { 1.0 };
            *weights.entry(term(t.stem)).or_default() += w;
        }
        if t.kind == Kind::Number
            && let Some(y) = year_of(t.text(text))
        {
            *years.entry(y).or_default() += 1;
        }
        initial = t.kind == Kind::Punct && matches!(t.text(text), "." | "!" | "?" | "“" | "\"" | ":" | "‘");
    }
    flush_name(&mut run, &mut weights);
    let when = doc
        .meta
        .date
        .as_deref()
        .or(header.as_ref().map(|h| h.0.as_str()))
        .and_then(parse_date)
        .or_else(|| years.into_iter().max_by_key(|&(y, n)| (n, -y)).map(|(y, _)| When::Year(y)));
    let mut terms: Vec<(u32, f32)> = weights.into_iter().collect();
    terms.sort_unstable_by_key(|t| t.0);
    Sketch { id: doc.id.clone(), when, event: doc.meta.event.clone(), terms }
}

fn flush_name(run: &mut Vec<u64>, weights: &mut FxHashMap<u32, f32>) {
    if run.len() >= 2 {
        let key = run.iter().fold(0x9e37_79b9_7f4a_7c15u64, |h, k| h.rotate_left(5) ^ k.wrapping_mul(0x0100_0000_01b3));
        *weights.entry(term(key)).or_default() += NAME_WEIGHT;
    }
    run.clear();
}

/// A plausible year of news: "2008", not "1,500" or "9999".
fn year_of(s: &str) -> Option<i32> {
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: i32 = s.parse().ok()?;
    (1900..2100).contains(&y).then_some(y)
}

/// `2024-11-11`, `2024-11-11T09:00:00Z` → a day; `2024-11` or `2024` → a year.
pub fn parse_date(s: &str) -> Option<When> {
    let s = s.trim();
    let mut parts = s.get(..10.min(s.len()))?.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    if !(1000..3000).contains(&y) {
        return None;
    }
    let (Some(m), Some(d)) = (parts.next(), parts.next()) else { return Some(When::Year(y)) };
    let (m, d): (u32, u32) = (m.parse().ok()?, d.get(..2)?.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| When::Day(days_from_civil(y, m, d)))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i32 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`]: (year, month, day).
pub fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i32::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Format;

    #[test]
    fn dates_parse_to_days_or_years() {
        assert_eq!(parse_date("1970-01-02"), Some(When::Day(1)));
        assert_eq!(parse_date("2024-11-11T09:00:00Z"), Some(When::Day(days_from_civil(2024, 11, 11))));
        assert_eq!(parse_date("2024-11"), Some(When::Year(2024)));
        assert_eq!(parse_date("yesterday"), None);
        for d in [-1000, 0, 19_000, 20_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[test]
    fn names_and_capitals_weigh_more() {
        let doc = Document::plain(
            "a",
            "a",
            Format::Text,
            "The Red Sox made an offer in 2008. The offer was big in 2008.".into(),
        );
        let s = sketch(&doc);
        assert_eq!(s.when, Some(When::Year(2008)));
        let w = |word: &str| s.terms.iter().find(|t| t.0 == term(crate::text::stem_key(word))).map(|t| t.1);
        assert_eq!(w("offer"), Some(2.0));
        assert_eq!(w("Sox"), Some(CAP_WEIGHT));
        // "Red Sox" also counts as one name.
        assert!(s.terms.len() > 5);
    }
}
