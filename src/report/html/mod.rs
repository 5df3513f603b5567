//! The HTML report: what editors read instead of a table. Aligned articles side by side,
//! words that differ marked, each finding's evidence marked in its rule's colour.
//!
//! One self-contained file: the style sheet and the script are inline and a Content
//! Security Policy forbids any fetch, so the report opens offline, from a mail attachment
//! or an archive. The script only adds filtering, sorting and opening of event views;
//! without it the page is complete.
//!
//! Rendered with maud: templates are Rust, checked at compile time, and every spliced
//! value is escaped unless wrapped in `PreEscaped`, which this module uses only for its
//! own markup and its inline style sheet and script. Article text, ids, titles and
//! messages cannot become markup.
//!
//! [`check_page`] renders `factdiff check`; [`event_html`] renders one event's view while
//! its analysis is alive (batch keeps only the fragment), and [`batch_page`] puts a batch
//! report and those fragments together.

mod event;
mod marks;
mod rows;

use std::collections::BTreeMap;
use std::io::{self, Write};

use maud::{DOCTYPE, Markup, PreEscaped, html};

pub use event::{EventInput, event_section};
pub use marks::code;

use super::batch::BatchReport;
use super::table::counts_line;
use super::{CheckReport, FindingOut, Role};
use crate::align::Alignment;
use crate::rules::{Finding, RULES};
use crate::{Analyzed, Checked};

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// Nothing is fetched: no network, no other file. Inline style and script only.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/// Rule colours (Okabe–Ito where it has enough), told apart by labels and border patterns too.
const PALETTE: &[(&str, &str)] = &[
    ("quote-drift", "#d55e00"),
    ("number-mismatch", "#0072b2"),
    ("attribution-mismatch", "#cc79a7"),
    ("name-honorific", "#009e73"),
    ("name-variant", "#56b4e9"),
    ("hedge-mismatch", "#e69f00"),
    ("single-source", "#7f7f7f"),
    ("house-spelling", "#a89b00"),
    ("banned-phrase", "#882255"),
];

/// A rule's colour.
pub fn colour(rule: &str) -> &'static str {
    PALETTE.iter().find(|(r, _)| *r == rule).map_or("#888888", |(_, c)| c)
}

/// One event's view for the batch page, made while its analysis is alive.
#[derive(Debug, Clone, Default)]
pub struct EventHtml {
    /// Each article's date, where known.
    pub dates: Vec<Option<String>>,
    /// The event's view (empty for a single article: there is nothing to compare).
    pub section: String,
}

/// The view of a checked event whose id is `event`, for the batch page.
pub fn event_html(
    event: &str,
    docs: &[Analyzed],
    alignment: &Alignment,
    findings: &[Finding],
    resolved: &[FindingOut],
) -> EventHtml {
    let input = EventInput { docs, alignment, findings, resolved, roles: &[] };
    let prefix = format!("{}-", event_anchor(event));
    EventHtml {
        dates: docs.iter().map(|d| d.date().map(str::to_string)).collect(),
        section: event_section(&input, &prefix, 4).into_string(),
    }
}

/// An id for an event that is safe in an address: its letters, digits, `-` and `_`, and
/// a hash of the whole when anything else had to go (labels from `--event-field` may hold
/// any text).
pub fn event_anchor(event: &str) -> String {
    let kept: String = event.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    if kept == event && !kept.is_empty() {
        return format!("ev-{kept}");
    }
    let mut h: u32 = 0x811c_9dc5;
    for b in event.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("ev-{kept}-{h:08x}")
}

/// `<head>`, with the policy, style sheet and a style rule per rule colour.
fn head(title: &str) -> Markup {
    let mut colours = String::new();
    for r in RULES {
        colours.push_str(&format!(".r-{}{{--c:{}}}\n", r.name, colour(r.name)));
    }
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta http-equiv="Content-Security-Policy" content=(POLICY);
            meta name="generator" content={"factdiff " (env!("CARGO_PKG_VERSION"))};
            title { (title) }
            style { (PreEscaped(STYLE)) (PreEscaped(colours)) }
        }
    }
}

/// Rules in registry order, those present in `counts` only.
fn present_rules(counts: &BTreeMap<String, usize>) -> Vec<&'static str> {
    RULES.iter().map(|r| r.name).filter(|r| counts.contains_key(*r)).collect()
}

/// The legend: each rule with its colour and label, and what the other marks mean.
fn legend(rules: &[&str]) -> Markup {
    html! {
        section.legend aria-labelledby="legend-h" {
            h2 #legend-h { "Legend" }
            ul {
                @for r in rules {
                    li { span.swatch.{"r-" (r)} aria-hidden="true" {} span.code { (code(r)) } " " (r)
                        @if let Some(info) = RULES.iter().find(|i| i.name == *r) { span.note { " — " (info.summary) } } }
                }
                li { span.chg { "changed words" } " differ from the sentence beside them" }
                li { "Evidence border: solid = error, dashed = warning, dotted = info; its label gives the finding's number and rule." }
            }
        }
    }
}

/// Filters, hidden until the script shows them (they do nothing without it).
fn filters(rules: &[&str], option: Markup) -> Markup {
    html! {
        form.filters #filters hidden aria-label="Filters" {
            fieldset {
                legend { "Rules" }
                @for r in rules {
                    label { input type="checkbox" name="rule" value=(r) checked; " " (r) }
                }
            }
            fieldset {
                legend { "Severity" }
                @for s in ["error", "warning", "info"] {
                    label { input type="checkbox" name="severity" value=(s) checked; " " (s) }
                }
            }
            fieldset { legend { "Show" } (option) }
            p #filter-status role="status" aria-live="polite" {}
        }
    }
}

/// The page for `factdiff check`: `report.findings[i]` must be `checked.findings[i]`
/// resolved (the report may have been filtered; filter both alike).
pub fn check_page(checked: &Checked, report: &CheckReport) -> String {
    debug_assert_eq!(checked.findings.len(), report.findings.len(), "findings and report out of step");
    let roles: Vec<Role> = report.documents.iter().filter_map(|d| d.role).collect();
    let roles = if roles.len() == checked.docs.len() { roles } else { Vec::new() };
    let input = EventInput {
        docs: &checked.docs,
        alignment: &checked.alignment,
        findings: &checked.findings,
        resolved: &report.findings,
        roles: &roles,
    };
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    for f in &report.findings {
        *by_rule.entry(f.rule.clone()).or_default() += 1;
    }
    let rules = present_rules(&by_rule);
    let ids: Vec<&str> = report.documents.iter().map(|d| d.id.as_str()).collect();
    let sentences: usize = report.documents.iter().map(|d| d.sentences).sum();
    let s = &report.summary;
    let title = format!("factdiff: {} — {}", ids.join(", "), counts_line(&s.findings));
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            (head(&title))
            body {
                a.skip href="#articles" { "Skip to the articles" }
                header {
                    h1 { "factdiff report" }
                    p.lead { "Checked " (report.documents.len()) " documents (" (ids.join(", ")) "), " (sentences) " sentences. "
                        strong { (counts_line(&s.findings)) "." } }
                    @if s.suppressed + s.baselined > 0 {
                        p.note { "Not shown: " (s.suppressed) " silenced by suppression comments, "
                            (s.baselined) " accepted in the baseline." }
                    }
                }
                main {
                    section aria-labelledby="documents-h" {
                        h2 #documents-h { "Documents" }
                        table.documents {
                            thead { tr { th scope="col" { "id" } th scope="col" { "path" } th scope="col" { "date" }
                                th.num scope="col" { "sentences" } @if !roles.is_empty() { th scope="col" { "role" } } } }
                            tbody { @for d in &report.documents { tr {
                                th scope="row" { (d.id) } td { (d.path) } td { (d.date.as_deref().unwrap_or("—")) }
                                td.num { (d.sentences) }
                                @if !roles.is_empty() { td { @match d.role { Some(Role::Draft) => "draft", Some(Role::Reference) => "reference", None => "" } } }
                            } } }
                        }
                        @if !report.skipped.is_empty() {
                            h3 { "Not read" }
                            ul.skipped { @for e in &report.skipped { li { (e.to_string()) } } }
                        }
                    }
                    (legend(&rules))
                    (filters(&rules, html! { label { input type="checkbox" name="option" value="marked"; " only rows with marks" } }))
                    section.event aria-label="The event" { (event_section(&input, "", 2)) }
                }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    page.into_string()
}

/// Thousands separated by commas, as in the terminal summary.
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A bar chart of findings by rule, with its numbers written out.
fn chart(rules: &[&str], counts: &BTreeMap<String, usize>) -> Markup {
    let max = rules.iter().filter_map(|r| counts.get(*r)).copied().max().unwrap_or(0).max(1);
    let (label_w, bar_w, row_h) = (170usize, 260usize, 24usize);
    let height = row_h * rules.len().max(1) + 4;
    let width = label_w + bar_w + 70;
    let desc: Vec<String> = rules.iter().map(|r| format!("{r}: {}", counts.get(*r).copied().unwrap_or(0))).collect();
    html! {
        figure.chart {
            figcaption #chart-h { "Findings by rule" }
            svg xmlns="http://www.w3.org/2000/svg" width=(width) height=(height) viewBox={"0 0 " (width) " " (height)}
                role="img" aria-labelledby="chart-h chart-d" {
                desc #chart-d { (desc.join("; ")) }
                @for (i, r) in rules.iter().enumerate() {
                    @let n = counts.get(*r).copied().unwrap_or(0);
                    @let y = i * row_h + 2;
                    @let w = (bar_w * n).div_ceil(max).max(1);
                    g.{"r-" (r)} {
                        text x="0" y=(y + 16) { (r) }
                        rect x=(label_w) y=(y + 3) width=(w) height=(row_h - 8) {}
                        text x=(label_w + w + 6) y=(y + 16) { (thousands(n)) }
                    }
                }
            }
        }
    }
}

/// `2024-11-10`, or the first and last of several dates; `—` without any.
fn date_range(dates: &[Option<String>]) -> String {
    let mut known: Vec<&str> = dates.iter().flatten().map(String::as_str).collect();
    known.sort_unstable();
    match (known.first(), known.last()) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a} – {b}"),
        _ => "—".into(),
    }
}

/// The page for `factdiff batch`: summary, chart, a sortable row per event, and each
/// checked event's view (from [`event_html`]) in a `<details>` the rows link to. Written
/// piece by piece, one event view at a time: an archive's page can be large.
pub fn batch_page(report: &BatchReport, out: &mut dyn Write) -> io::Result<()> {
    let s = &report.summary;
    let rules = present_rules(&s.by_rule);
    let title = format!("factdiff batch: {} articles, {} events", thousands(s.articles), thousands(s.events));
    let header = html! {
        a.skip href="#events-h" { "Skip to the events" }
        header {
            h1 { "factdiff batch report" }
            p.lead { "Read " (thousands(s.records)) " records: " (thousands(s.articles)) " articles in "
                (thousands(s.events)) " events. " strong { (counts_line(&s.findings)) "." } }
        }
    };
    let summary = html! {
        section aria-labelledby="summary-h" {
            h2 #summary-h { "Summary" }
            div.overview {
                table.summary {
                    caption.sr { "Counts" }
                    tbody {
                        tr { th scope="row" { "records read" } td { (thousands(s.records)) } }
                        tr { th scope="row" { "articles" } td { (thousands(s.articles)) } }
                        tr { th scope="row" { "records skipped" } td { (thousands(s.skipped)) } }
                        @if s.unreadable > 0 { tr { th scope="row" { "inputs not readable" } td { (thousands(s.unreadable)) } } }
                        tr { th scope="row" { "events" } td { (thousands(s.events)) } }
                        tr { th scope="row" { "checked (two articles or more)" } td { (thousands(s.checked_events)) } }
                        tr { th scope="row" { "single articles" } td { (thousands(s.single_articles)) } }
                        tr { th scope="row" { "errors" } td { (thousands(s.findings.error)) } }
                        tr { th scope="row" { "warnings" } td { (thousands(s.findings.warning)) } }
                        tr { th scope="row" { "info" } td { (thousands(s.findings.info)) } }
                    }
                }
                @if !rules.is_empty() {
                    (chart(&rules, &s.by_rule))
                    table.by-rule {
                        caption.sr { "Findings by rule" }
                        thead { tr { th scope="col" { "rule" } th.num scope="col" { "findings" } } }
                        tbody { @for r in &rules { tr {
                            th scope="row" { span.swatch.{"r-" (r)} aria-hidden="true" {} (r) }
                            td.num { (thousands(s.by_rule.get(*r).copied().unwrap_or(0))) }
                        } } }
                    }
                }
            }
            @if !report.skipped.is_empty() {
                details.skipped open[report.skipped.len() <= 20] {
                    summary { (thousands(report.skipped.len())) " records and inputs skipped, with reasons" }
                    ul { @for e in &report.skipped { li { (e.to_string()) } } }
                }
            }
        }
    };
    let events = html! {
        section aria-labelledby="events-h" {
            h2 #events-h { "Events" }
            p.note { "One row per event; an event's link opens its articles side by side below." }
            div.scroll role="region" aria-labelledby="events-h" tabindex="0" {
                table.events.sortable {
                    thead { tr {
                        th scope="col" data-sort="text" { "event" }
                        th.num scope="col" data-sort="num" { "articles" }
                        th scope="col" data-sort="text" { "dates" }
                        @for r in &rules { th.num scope="col" data-sort="num" { span.swatch.{"r-" (r)} aria-hidden="true" {} (r) } }
                        th.num scope="col" data-sort="num" { "findings" }
                    } }
                    tbody {
                        @for e in &report.events {
                            @let per = per_rule(&e.findings);
                            @let dates = e.html.as_ref().map(|h| date_range(&h.dates)).unwrap_or_else(|| "—".into());
                            tr.event-row data-kinds=(kinds(&e.findings)) {
                                th scope="row" {
                                    @if has_view(e) { a href={"#" (event_anchor(&e.id))} { (e.id) } } @else { (e.id) }
                                }
                                td.num data-v=(e.documents.len()) { (e.documents.len()) span.ids { (preview(&e.documents)) } }
                                td { (dates) }
                                @for r in &rules { td.num { (per.get(r).copied().unwrap_or(0)) } }
                                td.num { (e.findings.len()) }
                            }
                        }
                    }
                }
            }
        }
    };
    // The page's own markup is written around the pieces; every piece escapes its text.
    write!(out, "<!DOCTYPE html><html lang=\"en\">{}<body>", head(&title).into_string())?;
    out.write_all(header.into_string().as_bytes())?;
    out.write_all(b"<main>")?;
    out.write_all(summary.into_string().as_bytes())?;
    out.write_all(legend(&rules).into_string().as_bytes())?;
    let option =
        html! { label { input type="checkbox" name="option" value="empty" checked; " events without findings" } };
    out.write_all(filters(&rules, option).into_string().as_bytes())?;
    out.write_all(events.into_string().as_bytes())?;
    let views = html! {
        h2 #views-h { "Event views" }
        p.note { "Each checked event: its findings, then its articles side by side." }
    };
    write!(out, "<section aria-labelledby=\"views-h\">{}", views.into_string())?;
    for e in report.events.iter().filter(|e| has_view(e)) {
        let Some(view) = &e.html else { continue };
        let c = e.counts();
        let summary = html! {
            summary { h3 { "Event " (e.id) } " — " (e.documents.len()) " articles, " (counts_line(&c)) }
        };
        write!(
            out,
            "<details class=\"event\" id=\"{}\" data-kinds=\"{}\">{}{}</details>",
            event_anchor(&e.id),
            escape(&kinds(&e.findings)),
            summary.into_string(),
            view.section
        )?;
    }
    write!(out, "</section></main><script>{SCRIPT}</script></body></html>")?;
    writeln!(out)
}

/// Text escaped for HTML, for the few places markup is written by hand.
fn escape(s: &str) -> String {
    html! { (s) }.into_string()
}

/// Whether an event has a view on the page (two articles or more, rendered).
fn has_view(e: &super::batch::EventOut) -> bool {
    e.documents.len() >= 2 && e.html.as_ref().is_some_and(|h| !h.section.is_empty())
}

/// Findings of each rule.
fn per_rule(findings: &[FindingOut]) -> BTreeMap<&str, usize> {
    let mut per: BTreeMap<&str, usize> = BTreeMap::new();
    for f in findings {
        *per.entry(f.rule.as_str()).or_default() += 1;
    }
    per
}

/// The `data-kinds` of a list of findings: each `rule:severity` once, sorted.
fn kinds(findings: &[FindingOut]) -> String {
    let mut k: Vec<String> = findings.iter().map(|f| format!("{}:{}", f.rule, f.severity)).collect();
    k.sort();
    k.dedup();
    k.join(" ")
}

/// The first few article ids of an event.
fn preview(ids: &[String]) -> String {
    let mut s = ids.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    if ids.len() > 3 {
        s.push_str(", …");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_anchors_are_safe_and_distinct() {
        assert_eq!(event_anchor("e000012"), "ev-e000012");
        let a = event_anchor("Paris talks \"2024\"");
        let b = event_anchor("Paris_talks_2024");
        assert!(a.starts_with("ev-Paristalks2024-") && a.len() == "ev-Paristalks2024-".len() + 8, "{a}");
        assert_ne!(a, b);
        assert!(event_anchor("").starts_with("ev--"));
    }

    #[test]
    fn dates_show_as_a_range() {
        let d = |s: &[Option<&str>]| date_range(&s.iter().map(|x| x.map(String::from)).collect::<Vec<_>>());
        assert_eq!(d(&[Some("2024-11-12"), None, Some("2024-11-10")]), "2024-11-10 – 2024-11-12");
        assert_eq!(d(&[Some("2024-11"), Some("2024-11")]), "2024-11");
        assert_eq!(d(&[None]), "—");
    }

    #[test]
    fn compare_marks_runs_of_changed_words() {
        let html = event::compare("in one day", "within a day").into_string();
        assert!(html.contains("<span class=\"chg\">in one</span> day"), "{html}");
        assert!(html.contains("<span class=\"chg\">within a</span> day"), "{html}");
        let html = event::compare("going into the winter", "going into winter").into_string();
        assert!(html.contains("going into <span class=\"chg\">the</span> winter"), "{html}");
    }

    #[test]
    fn rule_colours_are_distinct() {
        let mut seen: Vec<&str> = RULES.iter().map(|r| colour(r.name)).collect();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), RULES.len(), "each registered rule has a colour of its own");
    }
}
