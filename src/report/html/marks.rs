//! Marked text: a sentence with its changed words and its evidence spans marked.
//!
//! Two kinds of marks overlap freely: words that differ from the sentence standing beside
//! it (`<span class="chg">`), and evidence of findings (`<mark>` in the rule's colour, with
//! a label naming the finding, so the marks keep their meaning without colour). The text
//! is cut at every boundary of either and each piece is escaped; nothing of an article
//! reaches the page unescaped.

use std::ops::Range;

use maud::{Markup, html};
use similar::{Algorithm, DiffTag, capture_diff_slices};

use crate::rules::Severity;
use crate::segment::{Kind, Token};

/// What a mark says of one finding.
#[derive(Debug, Clone)]
pub struct FindingLabel {
    pub rule: String,
    pub severity: Severity,
    /// `rule:severity`, what the filters match.
    pub kind: String,
    /// The id of the finding's row in the findings table.
    pub id: String,
    /// 1-based number, as in the table.
    pub number: usize,
}

/// One piece of evidence in one document.
#[derive(Debug, Clone)]
pub struct EvidenceMark {
    pub span: Range<usize>,
    /// Index into the labels.
    pub finding: usize,
    /// The id the findings table links to, set on the sentence holding the start.
    pub anchor: String,
    /// The sentence where the anchor goes.
    pub anchor_sentence: Option<u32>,
}

/// Rule names shortened to their initials for labels: `quote-drift` → `QD`.
pub fn code(rule: &str) -> String {
    rule.split('-').filter_map(|w| w.chars().next()).flat_map(char::to_uppercase).collect()
}

/// Sorted byte ranges, joined where only white space lies between them, so that a run of
/// changed words is marked once ("in one" rather than "in", "one").
pub fn merge(text: &str, mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        if let Some(last) = out.last_mut()
            && (r.start <= last.end || text.get(last.end..r.start).is_some_and(|gap| gap.trim().is_empty()))
        {
            last.end = last.end.max(r.end);
            continue;
        }
        out.push(r);
    }
    out
}

/// Whether a changed token is worth marking: words and figures, and the symbols of figures,
/// not quotation marks or full stops.
fn marked(t: &Token, text: &str) -> bool {
    t.kind != Kind::Punct || matches!(t.text(text), "%" | "£" | "$" | "€" | "¥")
}

/// Word diff of two token sequences (by their text as written): the byte ranges of the
/// changed tokens on each side.
pub fn diff_tokens(a_text: &str, a: &[Token], b_text: &str, b: &[Token]) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let aw: Vec<&str> = a.iter().map(|t| t.text(a_text)).collect();
    let bw: Vec<&str> = b.iter().map(|t| t.text(b_text)).collect();
    let (mut da, mut db) = (Vec::new(), Vec::new());
    for op in capture_diff_slices(Algorithm::Myers, &aw, &bw) {
        let (tag, old, new) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        da.extend(a[old].iter().filter(|t| marked(t, a_text)).map(Token::range));
        db.extend(b[new].iter().filter(|t| marked(t, b_text)).map(Token::range));
    }
    (da, db)
}

enum Piece<'t> {
    Anchor(&'t str),
    Tag(usize),
    Text { text: &'t str, changed: bool, findings: Vec<usize> },
}

/// The sentence `range` of `text` (sentence number `sentence`), with `diffs` (merged,
/// sorted) and `evidence` marked; with `anchors`, the ids evidence links point to.
pub fn sentence(
    text: &str,
    range: Range<usize>,
    sentence: u32,
    diffs: &[Range<usize>],
    evidence: &[EvidenceMark],
    labels: &[FindingLabel],
    anchors: bool,
) -> Markup {
    let clip = |r: &Range<usize>| r.start.max(range.start)..r.end.min(range.end);
    let first = diffs.partition_point(|d| d.end <= range.start);
    let diffs: Vec<Range<usize>> =
        diffs[first..].iter().take_while(|d| d.start < range.end).map(clip).filter(|r| !r.is_empty()).collect();
    // Evidence in this sentence: overlapping it, or an empty span inside it.
    let evs: Vec<(Range<usize>, &EvidenceMark)> = evidence
        .iter()
        .filter(|e| {
            let c = clip(&e.span);
            c.start < c.end || (e.span.is_empty() && range.contains(&e.span.start))
        })
        .map(|e| (clip(&e.span), e))
        .collect();
    let mut cuts: Vec<usize> = vec![range.start, range.end];
    cuts.extend(diffs.iter().flat_map(|d| [d.start, d.end]));
    cuts.extend(evs.iter().flat_map(|(c, _)| [c.start, c.end]));
    cuts.retain(|&c| text.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();

    let mut pieces: Vec<Piece> = Vec::new();
    for (i, &at) in cuts.iter().enumerate() {
        for (c, e) in &evs {
            if !c.is_empty() && c.end == at && e.span.end <= range.end {
                pieces.push(Piece::Tag(e.finding));
            }
        }
        for (c, e) in &evs {
            if anchors && c.start == at && e.anchor_sentence == Some(sentence) {
                pieces.push(Piece::Anchor(&e.anchor));
            }
            if c.is_empty() && c.start == at {
                pieces.push(Piece::Tag(e.finding));
            }
        }
        let Some(&next) = cuts.get(i + 1) else { break };
        let changed = diffs.iter().any(|d| d.start <= at && next <= d.end);
        let mut findings: Vec<usize> =
            evs.iter().filter(|(c, _)| c.start <= at && next <= c.end).map(|(_, e)| e.finding).collect();
        findings.sort_unstable();
        findings.dedup();
        pieces.push(Piece::Text { text: &text[at..next], changed, findings });
    }
    render(&pieces, labels)
}

fn render(pieces: &[Piece], labels: &[FindingLabel]) -> Markup {
    let mut i = 0;
    let mut out = String::new();
    while i < pieces.len() {
        match &pieces[i] {
            Piece::Anchor(id) => out.push_str(&html! { span.anchor id=(id) {} }.into_string()),
            // Kept short (a batch page holds hundreds of thousands): the number and the
            // rule's initials, linking to the finding's row, which says the rest.
            Piece::Tag(f) => {
                if let Some(l) = labels.get(*f) {
                    out.push_str(
                        &html! { a.tag.{"r-" (l.rule)} href={"#" (l.id)} { (l.number) "\u{a0}" (code(&l.rule)) } }
                            .into_string(),
                    );
                }
            }
            Piece::Text { findings, .. } if !findings.is_empty() => {
                // One <mark> over the run of pieces under the same findings.
                let mut j = i;
                while let Some(Piece::Text { findings: f, .. }) = pieces.get(j) {
                    if f != findings {
                        break;
                    }
                    j += 1;
                }
                let lead = labels.get(findings[0]);
                let kinds: Vec<&str> =
                    findings.iter().filter_map(|f| labels.get(*f)).map(|l| l.kind.as_str()).collect();
                let class = lead.map(|l| format!("ev r-{} s-{}", l.rule, l.severity)).unwrap_or_else(|| "ev".into());
                out.push_str(
                    &html! {
                        mark class=(class) data-kinds=(kinds.join(" ")) {
                            @for p in &pieces[i..j] {
                                @if let Piece::Text { text, changed, .. } = p {
                                    @if *changed { span.chg { (text) } } @else { (text) }
                                }
                            }
                        }
                    }
                    .into_string(),
                );
                i = j;
                continue;
            }
            Piece::Text { text, changed, .. } => {
                out.push_str(&html! { @if *changed { span.chg { (text) } } @else { (text) } }.into_string())
            }
        }
        i += 1;
    }
    maud::PreEscaped(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(rule: &str) -> FindingLabel {
        FindingLabel {
            rule: rule.into(),
            severity: Severity::Error,
            kind: format!("{rule}:error"),
            id: "f1".into(),
            number: 1,
        }
    }

    #[test]
    fn codes_are_initials() {
        assert_eq!(code("quote-drift"), "QD");
        assert_eq!(code("attribution-mismatch"), "AM");
    }

    #[test]
    fn runs_of_changed_words_merge_across_spaces() {
        let t = "end the war in one day now";
        assert_eq!(merge(t, vec![15..18, 12..14]), vec![12..18]);
        assert_eq!(merge(t, vec![12..14, 19..22]), vec![12..14, 19..22]);
    }

    #[test]
    fn marks_overlap_and_text_is_escaped() {
        let text = "He said <b>“in one day”</b> & left.";
        let start = text.find("in one").unwrap();
        let ev = EvidenceMark { span: start..start + 6, finding: 0, anchor: "f1-e1".into(), anchor_sentence: Some(3) };
        let changed = start..start + 2;
        let html =
            sentence(text, 0..text.len(), 3, std::slice::from_ref(&changed), &[ev], &[label("quote-drift")], true)
                .into_string();
        assert_eq!(
            html,
            "He said &lt;b&gt;“<span class=\"anchor\" id=\"f1-e1\"></span>\
             <mark class=\"ev r-quote-drift s-error\" data-kinds=\"quote-drift:error\"><span class=\"chg\">in</span> one</mark>\
             <a class=\"tag r-quote-drift\" href=\"#f1\">1\u{a0}QD</a> \
             day”&lt;/b&gt; &amp; left."
        );
    }

    #[test]
    fn anchor_only_in_its_sentence() {
        let text = "One two. Three four.";
        let ev = EvidenceMark { span: 4..13, finding: 0, anchor: "f1-e1".into(), anchor_sentence: Some(0) };
        let second =
            sentence(text, 9..20, 1, &[], std::slice::from_ref(&ev), &[label("name-variant")], true).into_string();
        assert!(!second.contains("id=\"f1-e1\""), "{second}");
        assert!(second.starts_with("<mark"), "the evidence continues into the second sentence: {second}");
        let first =
            sentence(text, 0..8, 0, &[], std::slice::from_ref(&ev), &[label("name-variant")], true).into_string();
        assert!(first.contains("id=\"f1-e1\""));
        let again = sentence(text, 0..8, 0, &[], &[ev], &[label("name-variant")], false).into_string();
        assert!(!again.contains("id="), "a second showing of the spine has no ids: {again}");
        assert!(!first.contains("class=\"tag"), "the label goes where the evidence ends: {first}");
    }
}
