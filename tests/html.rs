//! The HTML report's structure, read back with an HTML tokenizer: findings present and
//! linked to their evidence, the changed words of paired sentences marked, article text
//! escaped, batch counts that match the JSON report, the same bytes on every run.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use html5gum::{DefaultEmitter, Token, Tokenizer};
use serde_json::Value;

/// An element of the page, with its attributes and children.
#[derive(Debug, Default)]
struct El {
    name: String,
    attrs: BTreeMap<String, String>,
    children: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    El(El),
    Text(String),
}

const VOID: &[&str] = &["meta", "link", "input", "br", "img", "hr", "col", "wbr", "source", "area", "base"];

/// Parses a page into a tree, failing on any end tag that does not close the element open
/// last: the report's markup must be well nested.
fn parse(page: &str) -> El {
    let mut stack: Vec<El> = vec![El { name: "#document".into(), ..Default::default() }];
    let mut emitter = DefaultEmitter::default();
    // Script and style bodies are raw text, as in a browser.
    emitter.naively_switch_states(true);
    for token in Tokenizer::new_with_emitter(page, emitter).flatten() {
        match token {
            Token::StartTag(t) => {
                let el = El {
                    name: String::from_utf8_lossy(&t.name).into_owned(),
                    attrs: t
                        .attributes
                        .iter()
                        .map(|(k, v)| {
                            (String::from_utf8_lossy(k).into_owned(), String::from_utf8_lossy(v).into_owned())
                        })
                        .collect(),
                    children: Vec::new(),
                };
                if VOID.contains(&el.name.as_str()) || t.self_closing {
                    stack.last_mut().unwrap().children.push(Node::El(el));
                } else {
                    stack.push(el);
                }
            }
            Token::EndTag(t) => {
                let name = String::from_utf8_lossy(&t.name).into_owned();
                let el = stack.pop().expect("an open element");
                assert_eq!(el.name, name, "</{name}> closes <{}>", el.name);
                stack.last_mut().expect("a parent").children.push(Node::El(el));
            }
            Token::String(s) => {
                stack.last_mut().unwrap().children.push(Node::Text(String::from_utf8_lossy(&s).into_owned()))
            }
            Token::Error(e) => panic!("HTML error: {e:?}"),
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed: {:?}", stack.iter().map(|e| &e.name).collect::<Vec<_>>());
    stack.pop().unwrap()
}

impl El {
    fn attr(&self, k: &str) -> Option<&str> {
        self.attrs.get(k).map(String::as_str)
    }

    fn has_class(&self, c: &str) -> bool {
        self.attr("class").is_some_and(|v| v.split(' ').any(|x| x == c))
    }

    /// `tag` or `tag.class`, like a (very) small CSS selector.
    fn is(&self, sel: &str) -> bool {
        let (tag, class) = sel.split_once('.').unwrap_or((sel, ""));
        (tag.is_empty() || self.name == tag) && (class.is_empty() || self.has_class(class))
    }

    /// Every element below, in document order, matching `sel`.
    fn all(&self, sel: &str) -> Vec<&El> {
        let mut out = Vec::new();
        fn walk<'a>(e: &'a El, sel: &str, out: &mut Vec<&'a El>) {
            for c in &e.children {
                if let Node::El(c) = c {
                    if c.is(sel) {
                        out.push(c);
                    }
                    walk(c, sel, out);
                }
            }
        }
        walk(self, sel, &mut out);
        out
    }

    fn one(&self, sel: &str) -> &El {
        let found = self.all(sel);
        assert_eq!(found.len(), 1, "{sel}");
        found[0]
    }

    /// The text without the labels of findings (`a.tag`), as the articles read.
    fn plain_text(&self) -> String {
        let mut s = String::new();
        fn walk(e: &El, s: &mut String) {
            for c in &e.children {
                match c {
                    Node::Text(t) => s.push_str(t),
                    Node::El(c) if !c.is("a.tag") => walk(c, s),
                    Node::El(_) => {}
                }
            }
        }
        walk(self, &mut s);
        s
    }

    fn text(&self) -> String {
        let mut s = String::new();
        fn walk(e: &El, s: &mut String) {
            for c in &e.children {
                match c {
                    Node::Text(t) => s.push_str(t),
                    Node::El(c) => walk(c, s),
                }
            }
        }
        walk(self, &mut s);
        s
    }
}

/// The element just after the anchor `id` in `sentence`, and the text from there on,
/// without the labels of findings.
fn after_anchor<'a>(sentence: &'a El, id: &str) -> (Option<&'a El>, String) {
    let (mut seen, mut started) = (false, false);
    let mut first = None;
    let mut text = String::new();
    for c in &sentence.children {
        match c {
            Node::El(e) if e.attr("id") == Some(id) => seen = true,
            Node::El(e) if seen && !e.is("a.tag") => {
                if !started {
                    first = Some(e);
                    started = true;
                }
                text.push_str(&e.plain_text());
            }
            Node::Text(t) if seen => {
                started = true;
                text.push_str(t);
            }
            _ => {}
        }
    }
    (first, text)
}

fn run(args: &[&str]) -> (i32, String) {
    let out = factdiff().args(args).output().expect("runs");
    (out.status.code().expect("exit code"), String::from_utf8(out.stdout).expect("UTF-8"))
}

/// Ids are unique and every link on the page points to one of them (nothing else is linked).
fn assert_links_resolve(page: &El) {
    let mut ids = BTreeSet::new();
    for e in page.all("") {
        if let Some(id) = e.attr("id") {
            assert!(ids.insert(id.to_string()), "id {id} twice");
        }
    }
    for a in page.all("a") {
        let href = a.attr("href").expect("a link");
        let target = href.strip_prefix('#').unwrap_or_else(|| panic!("link out of the page: {href}"));
        assert!(ids.contains(target), "link to nothing: {href}");
    }
}

/// Self-contained: a policy that forbids fetching, nothing that loads from elsewhere.
fn assert_self_contained(raw: &str, page: &El) {
    let policy = page.all("meta").into_iter().find(|m| m.attr("http-equiv") == Some("Content-Security-Policy"));
    assert!(policy.and_then(|m| m.attr("content")).is_some_and(|c| c.starts_with("default-src 'none'")));
    assert!(page.all("link").is_empty() && page.all("img").is_empty() && page.all("iframe").is_empty());
    assert!(page.all("").iter().all(|e| e.attr("src").is_none()), "nothing loaded from elsewhere");
    assert_eq!(page.all("script").len(), 1, "one inline script");
    for e in page.all("") {
        for (k, v) in &e.attrs {
            assert!(k == "xmlns" || !v.contains("://"), "an address in <{} {k}=\"{v}\">", e.name);
        }
    }
    assert!(raw.contains("</html>"));
}

#[test]
fn check_page_shows_findings_and_the_articles_side_by_side() {
    let (_, json) = check_json(&PARIS, &[]);
    let (code, raw) = run(&["check", PARIS[0], PARIS[1], PARIS[2], "--format", "html"]);
    assert_eq!(code, 1, "the exit code does not depend on the format");
    assert!(raw.starts_with("<!DOCTYPE html>"));
    let page = parse(&raw);
    assert_self_contained(&raw, &page);
    assert_links_resolve(&page);
    assert_eq!(page.one("html").attr("lang"), Some("en"));
    assert_eq!(page.all("h1").len(), 1);
    let h2: Vec<String> = page.all("h2").iter().map(|h| h.text()).collect();
    for want in ["Documents", "Legend", "Findings", "Articles side by side"] {
        assert!(h2.iter().any(|h| h == want), "{want} heading missing: {h2:?}");
    }

    // Every finding, in the report's order, with its rule and severity, linking to each
    // piece of its evidence in the articles.
    let rows = page.all("tr.finding");
    let expected = findings(&json);
    assert_eq!(rows.len(), expected.len());
    for (i, (row, f)) in rows.iter().zip(expected).enumerate() {
        let cells: Vec<String> = row.all("td").iter().map(|c| c.text()).collect();
        assert!(cells[1].ends_with(f["rule"].as_str().unwrap()), "{cells:?}");
        assert!(cells[2].contains(f["severity"].as_str().unwrap()));
        assert!(cells[3].contains(f["message"].as_str().unwrap()));
        let links: Vec<&str> = row.all("a").iter().filter_map(|a| a.attr("href")).collect();
        let evidence = f["evidence"].as_array().unwrap().len();
        let want: Vec<String> = (1..=evidence).map(|k| format!("#f{}-e{k}", i + 1)).collect();
        assert_eq!(links, want);
    }

    // The anchor of each piece of evidence stands just before a mark holding its words,
    // in the rule's colour, labelled with the finding's number and rule.
    let sbs = page.all("table.sbs");
    assert_eq!(sbs.len(), 1, "three articles fit one table");
    assert_eq!(sbs[0].one("thead").all("th").len(), 3);
    for (i, f) in expected.iter().enumerate() {
        let rule = f["rule"].as_str().unwrap();
        for (k, e) in f["evidence"].as_array().unwrap().iter().enumerate() {
            let id = format!("f{}-e{}", i + 1, k + 1);
            let sentence = sbs[0]
                .all("span.s")
                .into_iter()
                .find(|s| s.all("span.anchor").iter().any(|a| a.attr("id") == Some(id.as_str())))
                .unwrap_or_else(|| panic!("{id} not in the articles"));
            let (first, after) = after_anchor(sentence, &id);
            let text = e["text"].as_str().unwrap();
            assert!(after.starts_with(text), "{id}: “{after}” does not start with “{text}”");
            let kind = format!("{rule}:{}", f["severity"].as_str().unwrap());
            assert!(
                first.is_some_and(|m| m.is("mark.ev") && m.attr("data-kinds").unwrap().split(' ').any(|k| k == kind)),
                "{id}: no {kind} mark after the anchor"
            );
        }
        let label = format!("{}\u{a0}{}", i + 1, factdiff::report::html::code(rule));
        assert!(sbs[0].all("a.tag").iter().any(|t| t.text() == label), "label {label}");
    }

    // “in one day” and “within a day” stand in one row, the changed words marked.
    let row = sbs[0]
        .all("tr")
        .into_iter()
        .find(|tr| tr.all("span.chg").iter().any(|c| c.text() == "within a"))
        .expect("a row with “within a” marked");
    let changed: Vec<String> = row.all("span.chg").iter().map(|c| c.text()).collect();
    assert!(changed.contains(&"in one".to_string()), "{changed:?}");
    assert!(row.plain_text().contains("end the war “in one day”"));
    assert!(row.plain_text().contains("end the war “within a day”"));
    assert!(row.attr("data-marked").is_some(), "the row counts as marked for the filter");
    // And the findings table shows the two wordings with the words that differ marked.
    let cmp = rows[0].one("span.cmp");
    let marked: Vec<String> = cmp.all("span.chg").iter().map(|c| c.text()).collect();
    assert_eq!(marked, ["in one", "within a"]);

    // The legend names each rule found; the filters offer them (the script shows them).
    let legend = page.one("section.legend").text();
    let filters = page.one("form.filters");
    assert!(filters.attr("hidden").is_some(), "hidden until the script runs");
    for f in expected {
        let rule = f["rule"].as_str().unwrap();
        assert!(legend.contains(rule));
        assert!(filters.all("input").iter().any(|i| i.attr("value") == Some(rule)));
    }
}

#[test]
fn article_text_and_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("wire.txt");
    let b = dir.path().join("x\"onmouseover=alert(3) <i>.txt");
    std::fs::write(
        &a,
        "The minister said he could end the war “in one day <script>alert(1)</script>” on Monday.\n\n\
         Officials met <img src=x onerror=alert(2)> for four hours & left.\n",
    )
    .unwrap();
    std::fs::write(
        &b,
        "The minister said he could end the war “within a day <script>alert(1)</script>” on Monday.\n\n\
         Officials met <img src=x onerror=alert(2)> for four hours & left.\n",
    )
    .unwrap();
    let (_, raw) = run(&["check", a.to_str().unwrap(), b.to_str().unwrap(), "--format", "html"]);
    assert!(!raw.contains("<script>alert") && !raw.contains("<img") && !raw.contains("<i>"), "markup let through");
    assert!(raw.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let page = parse(&raw);
    assert_links_resolve(&page);
    assert_eq!(page.all("script").len(), 1, "only the page's own script");
    assert!(page.all("img").is_empty() && page.all("i").is_empty());
    assert!(page.all("").iter().all(|e| e.attr("onmouseover").is_none() && e.attr("onerror").is_none()));
    // The text reads as written.
    let sbs = page.one("table.sbs");
    assert!(sbs.text().contains("Officials met <img src=x onerror=alert(2)> for four hours & left."));
    assert!(sbs.all("th").iter().any(|th| th.text().starts_with("x\"onmouseover=alert(3) <i>")));
    // Quote drift across the markup is still found and marked.
    assert!(page.all("tr.finding").iter().any(|r| r.text().contains("quote-drift")));
}

#[test]
fn html_output_is_deterministic_and_written_atomically() {
    let first = run(&["check", PARIS[0], PARIS[1], PARIS[2], "--format", "html"]).1;
    assert_eq!(first, run(&["check", PARIS[0], PARIS[1], PARIS[2], "--format", "html"]).1);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let written = factdiff().arg("check").args(PARIS).args(["--format", "html", "-o"]).arg(&out).output().unwrap();
    assert_eq!(written.status.code(), Some(1));
    assert!(written.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), first, "-o writes what standard output shows");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");

    let archive = "fixtures/ecbplus/archive.jsonl";
    let batch = |args: &[&str]| run(&[&["batch", archive, "--format", "html"], args].concat()).1;
    assert_eq!(batch(&[]), batch(&[]), "batch pages are the same bytes on every run");
}

#[test]
fn check_page_of_one_article_and_of_none() {
    let (_, raw) = run(&["check", CALL[0], "--format", "html"]);
    let page = parse(&raw);
    assert_eq!(page.one("table.sbs").one("thead").all("th").len(), 1);
    assert!(page.one("table.sbs").all("tr.same").is_empty(), "one article is not “the same in all”");

    let (code, raw) = run(&["check", "no-such-file.txt", "--format", "html"]);
    assert_eq!(code, 2);
    let page = parse(&raw);
    assert!(page.text().contains("no-such-file.txt"), "what could not be read is said");
}

#[test]
fn more_articles_than_fit_get_more_tables_with_the_same_spine() {
    let files = [PARIS[0], PARIS[1], PARIS[2], CALL[0], CALL[1]];
    let (_, json) = check_json(&files, &[]);
    let (_, raw) = run(&[&["check"], &files[..], &["--format", "html"]].concat());
    let page = parse(&raw);
    assert_links_resolve(&page);
    let tables = page.all("table.sbs");
    assert_eq!(tables.len(), 2, "the first article beside three others, then beside the last");
    let heads = |t: &El| -> Vec<String> { t.one("thead").all("span.doc-id").iter().map(|h| h.text()).collect() };
    assert_eq!(heads(tables[0]), ["000-report-repeated", "001-report-captions", "002-preview", "003-report"]);
    assert_eq!(heads(tables[1]), ["000-report-repeated", "004-readout"]);
    // Each piece of evidence has exactly one anchor, though the spine is shown twice.
    let anchors: usize = tables.iter().map(|t| t.all("span.anchor").len()).sum();
    let evidence: usize = findings(&json).iter().map(|f| f["evidence"].as_array().unwrap().len()).sum();
    assert_eq!(anchors, evidence);
}

#[test]
fn against_draft_is_the_spine() {
    let (_, raw) = run(&[
        "check",
        "examples/ci/draft.md",
        "--against",
        "examples/ci/wire.txt",
        "examples/ci/earlier.md",
        "--config",
        "examples/ci/factdiff.toml",
        "--format",
        "html",
    ]);
    let page = parse(&raw);
    let heads: Vec<(String, String)> = page
        .one("table.sbs")
        .one("thead")
        .all("th")
        .iter()
        .map(|t| (t.one("span.doc-id").text(), t.one("span.doc-meta").text()))
        .collect();
    assert_eq!(heads[0].0, "draft");
    assert!(heads[0].1.ends_with("draft"), "{heads:?}");
    assert!(heads[1].1.ends_with("reference"), "{heads:?}");
    assert!(page.text().contains("1 accepted in the baseline"));
    // The baseline's finding is not on the page; the others link to their evidence.
    assert_links_resolve(&page);
    assert!(!page.all("tr.finding").iter().any(|r| r.text().contains("going into winter")));
}

#[test]
fn batch_page_has_a_row_per_event_and_counts_that_match() {
    let archive = "fixtures/ecbplus/archive.jsonl";
    let inputs = [archive, "fixtures/edge/broken.jsonl"];
    let out = factdiff().arg("batch").args(inputs).args(["--format", "json"]).output().unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (_, raw) = run(&[&["batch"], &inputs[..], &["--format", "html"]].concat());
    let page = parse(&raw);
    assert_self_contained(&raw, &page);
    assert_links_resolve(&page);

    let s = &json["summary"];
    let summary: BTreeMap<String, String> = page
        .one("table.summary")
        .all("tr")
        .iter()
        .map(|tr| (tr.one("th").text(), tr.one("td").text().replace(',', "")))
        .collect();
    for (label, key) in [("records read", "records"), ("articles", "articles"), ("records skipped", "skipped")] {
        assert_eq!(summary[label], s[key].to_string(), "{label}");
    }
    for (label, key) in [("events", "events"), ("single articles", "single_articles")] {
        assert_eq!(summary[label], s[key].to_string(), "{label}");
    }
    assert_eq!(summary["errors"], s["findings"]["error"].to_string());
    // Skipped records are listed with their reasons.
    let skipped = page.one("details.skipped").text();
    for e in json["skipped"].as_array().unwrap() {
        assert!(skipped.contains(e["reason"].as_str().unwrap()), "{e}");
    }

    // Findings by rule: a bar each, and the numbers.
    let by_rule = s["by_rule"].as_object().unwrap();
    assert_eq!(page.one("figure.chart").all("rect").len(), by_rule.len());
    let table: BTreeMap<String, String> = page
        .one("table.by-rule")
        .one("tbody")
        .all("tr")
        .iter()
        .map(|tr| (tr.one("th").text(), tr.one("td").text().replace(',', "")))
        .collect();
    for (rule, n) in by_rule {
        assert_eq!(table[rule], n.to_string(), "{rule}");
    }

    // One row per event, in the report's order, counts by rule adding up to its findings;
    // each checked event's row opens its view, which lists its findings.
    let events = json["events"].as_array().unwrap();
    let rows = page.all("tr.event-row");
    assert_eq!(rows.len(), events.len());
    let views = page.all("details.event");
    assert_eq!(views.len(), events.iter().filter(|e| e["documents"].as_array().unwrap().len() >= 2).count());
    for (row, e) in rows.iter().zip(events) {
        let th = row.one("th");
        assert_eq!(th.text(), e["id"].as_str().unwrap());
        let cells: Vec<usize> = row.all("td").iter().skip(2).map(|c| c.text().parse().unwrap()).collect();
        let (per_rule, total) = cells.split_at(cells.len() - 1);
        let n = e["findings"].as_array().unwrap().len();
        assert_eq!((per_rule.iter().sum::<usize>(), total[0]), (n, n));
        if let Some(a) = th.all("a").first() {
            let id = &a.attr("href").unwrap()[1..];
            let view = views.iter().find(|v| v.attr("id") == Some(id)).expect("the event's view");
            assert_eq!(view.all("tr.finding").len(), n);
            assert!(!view.all("table.sbs").is_empty());
        }
    }
}
