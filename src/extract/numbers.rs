//! Numbers with their value, scale, unit and currency, so that "£22bn" and "£22 billion"
//! are one figure, and "2.3%" and "2.3 per cent" another.

use std::ops::Range;

use crate::segment::{Kind, Segmented, Token};
use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use crate::text::{fold, word_key};

/// What a figure measures, for deciding whether two figures could be the same fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A count or amount with no unit written.
    Plain,
    Percent,
    /// ISO code of the currency.
    Currency(&'static str),
    /// "11th", "120th".
    Ordinal,
    /// A four-digit year, 1000–2199.
    Year,
    /// "1940s".
    Decade,
    /// "11:00", minutes after midnight.
    Time,
}

/// A figure in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    /// Every token of the expression ("£", "22", "billion").
    pub tokens: Range<u32>,
    /// The value with its scale applied (22e9 for "£22bn").
    pub value: f64,
    pub unit: Unit,
}

impl Number {
    /// Whether two figures state the same quantity.
    pub fn same_as(&self, other: &Number) -> bool {
        self.unit == other.unit && (self.value - other.value).abs() <= 1e-9 * self.value.abs().max(1.0)
    }

    /// A key equal for equal figures, to stand in for the expression when comparing text.
    pub fn key(&self) -> u64 {
        crate::text::hash64(&(self.unit, (self.value * 1000.0).round() as i64))
    }
}

const SPELLED: &[(&str, f64)] = &[
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
    ("dozen", 12.0),
];

static SPELLED_KEYS: LazyLock<FxHashMap<u64, f64>> =
    LazyLock::new(|| SPELLED.iter().map(|&(w, v)| (word_key(w), v)).collect());

fn scale_word(w: &str) -> Option<f64> {
    Some(match w {
        "thousand" | "k" => 1e3,
        "million" | "m" | "mn" | "mln" => 1e6,
        "billion" | "bn" | "b" => 1e9,
        "trillion" | "tn" | "trn" => 1e12,
        _ => return None,
    })
}

fn currency(c: &str) -> Option<&'static str> {
    Some(match c {
        "£" => "GBP",
        "$" => "USD",
        "€" => "EUR",
        "¥" => "JPY",
        "₹" => "INR",
        "₽" => "RUB",
        "₴" => "UAH",
        _ => return None,
    })
}

fn currency_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "pounds" | "pound" | "sterling" => "GBP",
        "dollars" | "dollar" => "USD",
        "euros" | "euro" => "EUR",
        "roubles" | "rubles" => "RUB",
        "yen" => "JPY",
        _ => return None,
    })
}

/// Finds the figures in `seg`'s sentences, in text order.
pub fn extract(text: &str, seg: &Segmented) -> Vec<Number> {
    let mut out = Vec::new();
    for s in &seg.sentences {
        let (a, b) = (s.tokens.start as usize, s.tokens.end as usize);
        let mut i = a;
        while i < b {
            match parse_at(text, &seg.tokens, i, b) {
                Some(n) => {
                    i = n.tokens.end as usize;
                    out.push(n);
                }
                None => i += 1,
            }
        }
    }
    out
}

/// "Number 10" and "No 10" are names of a building, not figures.
fn is_name_number(text: &str, toks: &[Token], i: usize) -> bool {
    i > 0 && toks[i - 1].kind == Kind::Word && matches!(toks[i - 1].text(text), "Number" | "No" | "Nos")
}

fn glued(toks: &[Token], i: usize) -> bool {
    i < toks.len() && !toks[i].has(crate::segment::flag::SPACE_BEFORE)
}

/// Parses a figure starting at token `i` (before `end`).
fn parse_at(text: &str, toks: &[Token], i: usize, end: usize) -> Option<Number> {
    let mut j = i;
    let mut cur = None;
    let t = toks[i];
    if t.kind == Kind::Punct {
        cur = currency(t.text(text));
        if cur.is_none() || j + 1 >= end || toks[j + 1].kind != Kind::Number || !glued(toks, j + 1) {
            return None;
        }
        j += 1;
    }
    let t = toks[j];
    let (mut value, mut unit, mut next) = match t.kind {
        Kind::Number if is_name_number(text, toks, j) => return None,
        Kind::Number => {
            let (v, suffix) = split_number(t.text(text))?;
            let mut unit = Unit::Plain;
            let mut v = v;
            match suffix.as_str() {
                "" => {}
                "th" | "st" | "nd" | "rd" => unit = Unit::Ordinal,
                "s" => unit = Unit::Decade,
                "pc" => unit = Unit::Percent,
                s => match scale_word(s) {
                    Some(k) => v *= k,
                    None => return None,
                },
            }
            (v, unit, j + 1)
        }
        Kind::Word if cur.is_none() => {
            let v = *SPELLED_KEYS.get(&t.key)?;
            // "twenty-one"
            let mut v = v;
            let mut k = j + 1;
            if v >= 20.0 && k + 1 < end && toks[k].text(text) == "-" && glued(toks, k) {
                let unit_word = fold(toks[k + 1].text(text));
                let u = if unit_word == "one" {
                    Some(1.0)
                } else {
                    SPELLED.iter().find(|(n, _)| *n == unit_word).map(|&(_, u)| u)
                };
                if let Some(u) = u.filter(|&u| u < 10.0) {
                    v += u;
                    k += 2;
                }
            }
            (v, Unit::Plain, k)
        }
        _ => return None,
    };
    // 11:00
    if unit == Unit::Plain
        && cur.is_none()
        && next + 1 < end
        && toks[next].text(text) == ":"
        && glued(toks, next)
        && toks[next + 1].kind == Kind::Number
        && glued(toks, next + 1)
    {
        let (m, _) = split_number(toks[next + 1].text(text))?;
        return Some(Number { tokens: i as u32..(next + 2) as u32, value: value * 60.0 + m, unit: Unit::Time });
    }
    if let Some(c) = cur {
        unit = Unit::Currency(c);
    }
    // Scale words: "22 billion", "£5m".
    if next < end && matches!(unit, Unit::Plain | Unit::Currency(_)) {
        let w = fold(toks[next].text(text));
        let bare_letter = w.len() <= 2;
        if let Some(k) = scale_word(&w)
            && (!bare_letter || cur.is_some() || w == "bn")
        {
            value *= k;
            next += 1;
        }
    }
    // Units after: "%", "per cent", "percent", "pounds".
    if next < end {
        let w = fold(toks[next].text(text));
        if w == "%" || w == "percent" || w == "pc" {
            unit = Unit::Percent;
            next += 1;
        } else if w == "per" && next + 1 < end && fold(toks[next + 1].text(text)) == "cent" {
            unit = Unit::Percent;
            next += 2;
        } else if unit == Unit::Plain
            && let Some(c) = currency_word(&w)
        {
            unit = Unit::Currency(c);
            next += 1;
        }
    }
    if unit == Unit::Plain && t.kind == Kind::Number && (1000.0..2200.0).contains(&value) && is_year_shape(t.text(text))
    {
        unit = Unit::Year;
    }
    Some(Number { tokens: i as u32..next as u32, value, unit })
}

fn is_year_shape(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())
}

/// "22bn" → (22, "bn"); "1,000" → (1000, ""); "2.3" → (2.3, "").
fn split_number(s: &str) -> Option<(f64, String)> {
    let cut = s.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).unwrap_or(s.len());
    let digits: String = s[..cut].chars().filter(|&c| c != ',').collect();
    let v: f64 = digits.parse().ok()?;
    Some((v, s[cut..].to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::data::RuleData;

    fn numbers(text: &str) -> Vec<(f64, Unit, String)> {
        let data = RuleData::builtin();
        let paras = crate::clean::clean_text(text, &data).paragraphs;
        let seg = crate::segment::segment(text, &paras, &data.abbreviations);
        extract(text, &seg).into_iter().map(|n| (n.value, n.unit, text[seg.span(&n.tokens)].to_string())).collect()
    }

    #[test]
    fn units_and_scales_normalise() {
        let a = numbers("A £22bn hit and 2.3% growth.");
        let b = numbers("A £22 billion hit and 2.3 per cent growth.");
        assert_eq!(a[0].0, 22e9);
        assert_eq!(a[0].1, Unit::Currency("GBP"));
        assert_eq!(a[0].2, "£22bn");
        assert_eq!((a[0].0, a[0].1), (b[0].0, b[0].1));
        assert_eq!((a[1].0, a[1].1), (b[1].0, b[1].1));
        assert_eq!(b[1].2, "2.3 per cent");
    }

    #[test]
    fn years_ordinals_times_and_words() {
        let n = numbers(
            "In 1944, on the 120th anniversary at 11:00, two minutes and twenty-one guns; 84 drones, 1,500 troops.",
        );
        let got: Vec<(f64, Unit)> = n.iter().map(|x| (x.0, x.1)).collect();
        assert_eq!(
            got,
            [
                (1944.0, Unit::Year),
                (120.0, Unit::Ordinal),
                (660.0, Unit::Time),
                (2.0, Unit::Plain),
                (21.0, Unit::Plain),
                (84.0, Unit::Plain),
                (1500.0, Unit::Plain)
            ]
        );
    }

    #[test]
    fn one_and_a_are_not_figures() {
        assert!(numbers("He could end the war in one day, within a day.").is_empty());
    }
}
