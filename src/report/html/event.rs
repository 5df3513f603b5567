//! One event's view: its findings table, then its articles side by side.
//!
//! Shared by the check page (one event) and the batch page (one view per event), so it
//! takes an id prefix (ids stay unique on a page of many events) and a heading level. It
//! needs the analysed documents and the alignment, not only the resolved report: rows come
//! from the aligner's pairs and marks from byte spans, so batch renders it while the
//! event's analysis is alive.

use std::ops::Range;

use maud::{Markup, html};
use rustc_hash::FxHashSet;
use similar::{ChangeTag, TextDiff};

use super::marks::{self, EvidenceMark, FindingLabel};
use super::rows::{self, Row, quote_sentence};
use crate::Analyzed;
use crate::align::{Alignment, Op, SentRef};
use crate::report::{FindingOut, Role};
use crate::rules::Finding;

/// What one event's view is made from.
pub struct EventInput<'a> {
    pub docs: &'a [Analyzed],
    pub alignment: &'a Alignment,
    /// Findings as the rules made them (byte spans), in report order.
    pub findings: &'a [Finding],
    /// The same findings resolved for the report (lines, columns, words), in the same order.
    pub resolved: &'a [FindingOut],
    /// Each document's role with `--against`; empty otherwise.
    pub roles: &'a [Role],
}

/// A heading of level `level` (clamped to 2..=6).
pub fn heading(level: u8, id: &str, content: Markup) -> Markup {
    match level.clamp(2, 6) {
        2 => html! { h2 id=(id) { (content) } },
        3 => html! { h3 id=(id) { (content) } },
        4 => html! { h4 id=(id) { (content) } },
        5 => html! { h5 id=(id) { (content) } },
        _ => html! { h6 id=(id) { (content) } },
    }
}

/// Labels of the findings, numbered from 1 as in the table.
fn labels(resolved: &[FindingOut], prefix: &str) -> Vec<FindingLabel> {
    resolved
        .iter()
        .enumerate()
        .map(|(i, f)| FindingLabel {
            rule: f.rule.clone(),
            severity: f.severity,
            kind: format!("{}:{}", f.rule, f.severity),
            id: format!("{prefix}f{}", i + 1),
            number: i + 1,
        })
        .collect()
}

/// Byte range of sentence `s` of `d`.
fn sentence_span(d: &Analyzed, s: usize) -> Range<usize> {
    d.seg.span(&d.seg.sentences[s].tokens)
}

/// The first kept sentence holding any of `span` (or, for an empty span, its position).
fn first_sentence(d: &Analyzed, span: &Range<usize>) -> Option<u32> {
    let n = d.seg.sentences.len();
    // Sentences are in text order: skip those ending before the span.
    let (mut i, mut hi) = (0, n);
    while i < hi {
        let mid = (i + hi) / 2;
        if sentence_span(d, mid).end <= span.start {
            i = mid + 1;
        } else {
            hi = mid;
        }
    }
    (i..n)
        .take_while(|&s| sentence_span(d, s).start <= span.end)
        .find(|&s| {
            let r = sentence_span(d, s);
            if span.is_empty() { r.contains(&span.start) } else { r.start < span.end && span.start < r.end }
        })
        .map(|s| s as u32)
}

/// Evidence marks of each document, and for each finding and evidence whether it has a
/// place on the page (a kept sentence to hold its anchor).
fn evidence_marks(ev: &EventInput, prefix: &str) -> (Vec<Vec<EvidenceMark>>, Vec<Vec<bool>>) {
    let mut per_doc: Vec<Vec<EvidenceMark>> = vec![Vec::new(); ev.docs.len()];
    let mut placed = Vec::new();
    for (i, f) in ev.findings.iter().enumerate().take(ev.resolved.len()) {
        let mut here = Vec::new();
        for (k, e) in f.evidence.iter().enumerate() {
            let Some(d) = ev.docs.get(e.doc as usize) else {
                here.push(false);
                continue;
            };
            let anchor_sentence = first_sentence(d, &e.span);
            here.push(anchor_sentence.is_some());
            per_doc[e.doc as usize].push(EvidenceMark {
                span: e.span.clone(),
                finding: i,
                anchor: format!("{prefix}f{}-e{}", i + 1, k + 1),
                anchor_sentence,
            });
        }
        placed.push(here);
    }
    (per_doc, placed)
}

/// Changed words of each member document (by position in `members`): within each row,
/// every cell against the row's first cell where the aligner paired their sentences, and
/// the words of differing quotations of one remark when both stand in the row.
fn diff_marks(docs: &[Analyzed], al: &Alignment, rows: &[Row], members: &[usize]) -> Vec<Vec<Range<usize>>> {
    let mut diffs: Vec<Vec<Range<usize>>> = vec![Vec::new(); members.len()];
    let pairs: FxHashSet<(SentRef, SentRef)> = al.pairs.iter().map(|p| (p.a, p.b)).collect();
    let paired = |x: SentRef, y: SentRef| pairs.contains(&(x.min(y), x.max(y)));
    let tokens = |d: usize, sents: &[u32]| {
        let seg = &docs[d].seg;
        sents.iter().flat_map(|&s| seg.sentence_tokens(&seg.sentences[s as usize]).iter().copied()).collect::<Vec<_>>()
    };
    // Row of each sentence of each document of the event (usize::MAX: not in this table).
    let mut row_of: Vec<Vec<usize>> = docs.iter().map(|d| vec![usize::MAX; d.seg.sentences.len()]).collect();
    for (r, row) in rows.iter().enumerate() {
        for (p, cell) in row.cells.iter().enumerate() {
            for &s in cell {
                row_of[members[p]][s as usize] = r;
            }
        }
        let Some(first) = row.cells.iter().position(|c| !c.is_empty()) else { continue };
        let fd = members[first];
        let first_tokens = tokens(fd, &row.cells[first]);
        for (p, cell) in row.cells.iter().enumerate().skip(first + 1) {
            let d = members[p];
            let linked = cell.iter().any(|&s| {
                row.cells[first]
                    .iter()
                    .any(|&f| paired(SentRef { doc: fd as u32, sent: f }, SentRef { doc: d as u32, sent: s }))
            });
            if !linked {
                continue;
            }
            let (a, b) = marks::diff_tokens(&docs[fd].doc.text, &first_tokens, &docs[d].doc.text, &tokens(d, cell));
            diffs[first].extend(a);
            diffs[p].extend(b);
        }
    }
    let position = |doc: u32| members.iter().position(|&m| m == doc as usize);
    for q in al.quote_pairs.iter().filter(|q| q.differs() && q.a.doc != q.b.doc) {
        let (Some(pa), Some(pb)) = (position(q.a.doc), position(q.b.doc)) else { continue };
        let (Some(sa), Some(sb)) = (quote_sentence(docs, q.a.doc, q.a.quote), quote_sentence(docs, q.b.doc, q.b.quote))
        else {
            continue;
        };
        let ra = row_of[sa.doc as usize][sa.sent as usize];
        if ra == usize::MAX || ra != row_of[sb.doc as usize][sb.sent as usize] {
            continue;
        }
        let tok = |d: u32, i: u32| docs[d as usize].seg.tokens.get(i as usize).map(|t| t.range());
        for op in &q.ops {
            match *op {
                Op::Equal(..) => {}
                Op::Sub(x, y) => {
                    diffs[pa].extend(tok(q.a.doc, x));
                    diffs[pb].extend(tok(q.b.doc, y));
                }
                Op::Del(x) => diffs[pa].extend(tok(q.a.doc, x)),
                Op::Ins(y) => diffs[pb].extend(tok(q.b.doc, y)),
            }
        }
    }
    diffs.into_iter().zip(members).map(|(d, &m)| marks::merge(&docs[m].doc.text, d)).collect()
}

/// The two wordings of a finding, the words that differ marked (as the table's `- [in
/// one] day` / `+ [within a] day`).
pub fn compare(old: &str, new: &str) -> Markup {
    let diff = TextDiff::from_words(old, new);
    // Each side as runs of (text, changed).
    type Side = Vec<(String, bool)>;
    let (mut a, mut b): (Side, Side) = (Vec::new(), Vec::new());
    let push = |side: &mut Side, v: &str, changed: bool| match side.last_mut() {
        Some(last) if last.1 == changed => last.0.push_str(v),
        _ => side.push((v.to_string(), changed)),
    };
    for c in diff.iter_all_changes() {
        let v = c.value();
        match c.tag() {
            ChangeTag::Equal => {
                push(&mut a, v, false);
                push(&mut b, v, false);
            }
            ChangeTag::Delete => push(&mut a, v, true),
            ChangeTag::Insert => push(&mut b, v, true),
        }
    }
    // White space between two changed runs stays inside one mark; white space at a run's
    // end goes outside it.
    let join = |side: Side| {
        let mut out: Side = Vec::new();
        let split = side.into_iter().flat_map(|(text, changed)| {
            let kept = text.trim_end().len();
            let tail = text[kept..].to_string();
            let mut text = text;
            text.truncate(kept);
            [(text, changed), (tail, false)]
        });
        for (text, changed) in split.filter(|(t, _)| !t.is_empty()) {
            if let Some(last) = out.last_mut()
                && last.1 == changed
                && !changed
            {
                last.0.push_str(&text);
                continue;
            }
            let n = out.len();
            if changed && n >= 2 && out[n - 2].1 && out[n - 1].0.trim().is_empty() {
                let gap = out.pop().map(|g| g.0).unwrap_or_default();
                if let Some(last) = out.last_mut() {
                    last.0.push_str(&gap);
                    last.0.push_str(&text);
                }
            } else {
                out.push((text, changed));
            }
        }
        out
    };
    let line = |side: Side| {
        html! { @for (t, changed) in join(side) { @if changed { span.chg { (t) } } @else { (t) } } }
    };
    html! {
        span.cmp {
            span.old { span.sign aria-hidden="true" { "−" } span.sr { "one wording: " } " " (line(a)) }
            span.new { span.sign aria-hidden="true" { "+" } span.sr { "the other: " } " " (line(b)) }
        }
    }
}

/// Places listed per finding, as in the terminal table; all are marked in the articles.
const MAX_PLACES: usize = 6;

/// The findings table.
fn findings_table(ev: &EventInput, labels: &[FindingLabel], placed: &[Vec<bool>], level: u8, prefix: &str) -> Markup {
    let title = html! { "Findings" };
    html! {
        (heading(level, &format!("{prefix}findings"), title))
        @if ev.resolved.is_empty() {
            p { "No findings: the articles agree on everything factdiff checks." }
        } @else {
            table.findings {
                thead { tr {
                    th scope="col" { "#" }
                    th scope="col" { "rule" }
                    th scope="col" { "severity" }
                    th scope="col" { "what differs" }
                    th scope="col" { "where" }
                } }
                tbody {
                    @for (i, f) in ev.resolved.iter().enumerate() {
                        @let l = &labels[i];
                        tr.finding.{"s-" (f.severity)} id=(l.id) data-kinds=(l.kind) {
                            td { (i + 1) }
                            td { span.swatch.{"r-" (f.rule)} aria-hidden="true" {} span.code { (marks::code(&f.rule)) } " " (f.rule) }
                            td.sev { (f.severity.as_str()) }
                            td {
                                (f.message)
                                @if let Some([old, new]) = &f.compare { (compare(old, new)) }
                            }
                            td { ul.where {
                                @for (k, e) in f.evidence.iter().enumerate().take(MAX_PLACES) {
                                    @let at = format!("{}:{}:{}", e.doc, e.line, e.column);
                                    li {
                                        @if placed.get(i).and_then(|p| p.get(k)).copied().unwrap_or(false) {
                                            a href={"#" (l.id) "-e" (k + 1)} { (at) }
                                        } @else {
                                            (at)
                                        }
                                        " “" (e.text) "”"
                                    }
                                }
                                @if f.evidence.len() > MAX_PLACES {
                                    li.note { "and " (f.evidence.len() - MAX_PLACES) " more, marked in the articles" }
                                }
                            } }
                        }
                    }
                }
            }
        }
    }
}

/// A column's header: the article's id, then its title, outlet, date and role if known.
fn column_head(d: &Analyzed, role: Option<Role>) -> Markup {
    let mut meta: Vec<String> = Vec::new();
    if let Some(s) = &d.doc.meta.source {
        meta.push(s.clone());
    }
    if let Some(date) = d.date() {
        meta.push(date.to_string());
    }
    match role {
        Some(Role::Draft) => meta.push("draft".into()),
        Some(Role::Reference) => meta.push("reference".into()),
        None => {}
    }
    html! {
        th scope="col" {
            span.doc-id { (d.doc.id) }
            @if let Some(t) = &d.doc.meta.title { span.doc-title { (t) } }
            @if !meta.is_empty() { span.doc-meta { (meta.join(" · ")) } }
        }
    }
}

/// Other articles beside the first in one table: more would make columns too narrow to
/// read, so a larger event gets several tables, each with the first article as its spine.
pub const OTHERS_PER_TABLE: usize = 3;

/// The articles side by side, one column each, one row per group of aligned sentences.
fn side_by_side(
    ev: &EventInput,
    labels: &[FindingLabel],
    evidence: &[Vec<EvidenceMark>],
    level: u8,
    prefix: &str,
) -> Markup {
    let n = ev.docs.len();
    let others: Vec<usize> = (1..n).collect();
    let groups: Vec<Vec<usize>> = if n <= 1 {
        vec![(0..n).collect()]
    } else {
        others.chunks(OTHERS_PER_TABLE).map(|c| std::iter::once(0).chain(c.iter().copied()).collect()).collect()
    };
    let id = format!("{prefix}articles");
    html! {
        (heading(level, &id, html! { "Articles side by side" }))
        @if groups.len() > 1 {
            p.note { "The first article, " (ev.docs[0].doc.id) ", stands beside up to " (OTHERS_PER_TABLE)
                " others in each table." }
        }
        @for (g, members) in groups.iter().enumerate() {
            @if groups.len() > 1 {
                @let ids: Vec<&str> = members[1..].iter().map(|&m| ev.docs[m].doc.id.as_str()).collect();
                (heading(level + 1, &format!("{prefix}articles-{}", g + 1),
                    html! { (ev.docs[0].doc.id) " beside " (ids.join(", ")) }))
            }
            (table(ev, labels, evidence, members, g == 0))
        }
    }
}

/// One side-by-side table of the documents `members` (the spine first). Anchors of the
/// spine's evidence go in the first table only (`spine_anchors`): an id is unique.
fn table(
    ev: &EventInput,
    labels: &[FindingLabel],
    evidence: &[Vec<EvidenceMark>],
    members: &[usize],
    spine_anchors: bool,
) -> Markup {
    let docs = ev.docs;
    let n = members.len();
    let rows = rows::rows(docs, ev.alignment, members);
    let diffs = diff_marks(docs, ev.alignment, &rows, members);
    let touches = |p: usize, s: u32| {
        let r = sentence_span(&docs[members[p]], s as usize);
        let hit = |x: &Range<usize>| x.start < r.end && r.start < x.end || (x.is_empty() && r.contains(&x.start));
        diffs[p].iter().any(hit) || evidence[members[p]].iter().any(|e| hit(&e.span))
    };
    let cell_html = |p: usize, cell: &[u32]| {
        let d = members[p];
        let text = &docs[d].doc.text;
        let anchors = p > 0 || spine_anchors;
        html! {
            @for (i, &s) in cell.iter().enumerate() {
                @if i > 0 { " " }
                span.s { (marks::sentence(text, sentence_span(&docs[d], s as usize), s, &diffs[p], &evidence[d], labels, anchors)) }
            }
        }
    };
    let caption = if n == 1 {
        "The article, sentence by sentence.".to_string()
    } else {
        format!(
            "{n} articles side by side: sentences that report the same thing share a row; \
             changed words are underlined in bold, evidence of findings is marked and labelled."
        )
    };
    html! {
        table.sbs style=(format!("--cols:{n}")) {
            caption.sr { (caption) }
            thead { tr { @for &m in members { (column_head(&docs[m], ev.roles.get(m).copied())) } } }
            tbody {
                @for row in &rows {
                    @let marked = row.cells.iter().enumerate().any(|(p, c)| c.iter().any(|&s| touches(p, s)));
                    @let first = row.cells.iter().position(|c| !c.is_empty()).unwrap_or(0);
                    @let text_of = |p: usize, s: u32| docs[members[p]].sentence_text(s as usize);
                    @let same = n > 1 && !marked && row.cells.iter().all(|c| c.len() == 1)
                        && row.cells.iter().enumerate().all(|(p, c)| text_of(p, c[0]) == text_of(first, row.cells[first][0]));
                    @if same {
                        tr.same {
                            td colspan=(n) { (cell_html(first, &row.cells[first])) " " span.note { "(the same in all " (n) ")" } }
                        }
                    } @else {
                        tr data-marked[marked] {
                            @for (p, cell) in row.cells.iter().enumerate() {
                                @if cell.is_empty() {
                                    td.none { span aria-hidden="true" { "—" } span.sr { "not in " (docs[members[p]].doc.id) } }
                                } @else {
                                    td { (cell_html(p, cell)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The whole view of one event, ids prefixed by `prefix`, headings from `level`.
pub fn event_section(ev: &EventInput, prefix: &str, level: u8) -> Markup {
    let labels = labels(ev.resolved, prefix);
    let (evidence, placed) = evidence_marks(ev, prefix);
    html! {
        (findings_table(ev, &labels, &placed, level, prefix))
        (side_by_side(ev, &labels, &evidence, level, prefix))
    }
}
