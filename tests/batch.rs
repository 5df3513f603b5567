//! `factdiff batch`: grouping quality on real news (ECB+), accounting for every record,
//! bad records, output formats and stability.

mod common;

use std::collections::HashMap;

use common::*;
use serde_json::Value;

const ECB: &str = "fixtures/ecbplus/archive.jsonl";

fn batch_json(args: &[&str]) -> (i32, Value) {
    let out = factdiff().arg("batch").args(args).args(["--format", "json", "--quiet"]).output().expect("runs");
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().expect("exit code"), report)
}

/// B-cubed precision, recall and F1 of `pred` against `gold` (both id → group).
fn bcubed(pred: &HashMap<String, String>, gold: &HashMap<String, String>) -> (f64, f64, f64) {
    let mut by_pred: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut by_gold: HashMap<&str, Vec<&str>> = HashMap::new();
    for (id, g) in pred {
        by_pred.entry(g).or_default().push(id);
    }
    for (id, g) in gold {
        by_gold.entry(g).or_default().push(id);
    }
    let (mut p, mut r) = (0.0, 0.0);
    for (id, g) in gold {
        let mine = &by_pred[pred[id].as_str()];
        let theirs = &by_gold[g.as_str()];
        let both = mine.iter().filter(|m| gold[**m] == *g).count() as f64;
        p += both / mine.len() as f64;
        r += both / theirs.len() as f64;
    }
    let n = gold.len() as f64;
    let (p, r) = (p / n, r / n);
    (p, r, 2.0 * p * r / (p + r))
}

fn groups(report: &Value) -> HashMap<String, String> {
    let mut pred = HashMap::new();
    for e in report["events"].as_array().unwrap() {
        for d in e["documents"].as_array().unwrap() {
            pred.insert(d.as_str().unwrap().to_string(), e["id"].as_str().unwrap().to_string());
        }
    }
    pred
}

#[test]
fn ecbplus_events_are_found_with_bcubed_f1_of_at_least_095() {
    let gold: HashMap<String, String> = std::fs::read_to_string("fixtures/ecbplus/gold.tsv")
        .unwrap()
        .lines()
        .map(|l| {
            let (id, ev) = l.split_once('\t').unwrap();
            (id.to_string(), ev.to_string())
        })
        .collect();
    let (code, r) = batch_json(&[ECB]);
    assert_eq!(code, 0);
    let pred = groups(&r);
    assert_eq!(pred.len(), gold.len(), "every article is in one event");
    let (p, rec, f1) = bcubed(&pred, &gold);
    assert!(f1 >= 0.95, "B-cubed F1 {f1:.3} (precision {p:.3}, recall {rec:.3})");
}

#[test]
fn bcubed_is_computed_right() {
    let m = |pairs: &[(&str, &str)]| pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    let gold = m(&[("a", "1"), ("b", "1"), ("c", "2")]);
    assert_eq!(bcubed(&gold, &gold).2, 1.0);
    let all_one = m(&[("a", "x"), ("b", "x"), ("c", "x")]);
    let (p, r, _) = bcubed(&all_one, &gold);
    assert!((p - 5.0 / 9.0).abs() < 1e-9 && r == 1.0);
}

#[test]
fn every_record_is_in_one_event_or_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("mixed.jsonl");
    let good = std::fs::read_to_string("fixtures/formats/wire.jsonl").unwrap();
    let mut text = good.clone();
    text.push_str("{\"id\": \"broken\", \"body\": \"never closed\n");
    text.push_str("{\"id\": \"nobody\"}\n");
    text.push_str("{\"id\": \"number\", \"body\": 7}\n");
    text.push_str("{\"id\": \"empty\", \"body\": \"   \"}\n");
    text.push_str("{\"id\": \"wire-1\", \"body\": \"A second record with an id already used.\"}\n");
    text.push_str("not json at all\n");
    std::fs::write(&archive, text).unwrap();
    let (code, r) = batch_json(&[archive.to_str().unwrap(), "fixtures/call"]);
    assert_eq!(code, 0, "bad records are skipped, not fatal");
    let s = &r["summary"];
    let in_events: usize =
        r["events"].as_array().unwrap().iter().map(|e| e["documents"].as_array().unwrap().len()).sum();
    let skipped = r["skipped"].as_array().unwrap();
    assert_eq!(in_events, 4, "two wire records and two articles from the folder");
    assert_eq!(skipped.len(), 6);
    assert_eq!(s["records"], 10);
    assert_eq!(s["articles"].as_u64().unwrap() + s["skipped"].as_u64().unwrap(), s["records"].as_u64().unwrap());
    let lines: Vec<u64> = skipped.iter().map(|x| x["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [3, 4, 5, 6, 7, 8]);
    let reasons: Vec<&str> = skipped.iter().map(|x| x["reason"].as_str().unwrap()).collect();
    assert!(reasons[0].starts_with("line is not complete JSON"));
    assert!(reasons[1].starts_with("no body"));
    assert!(reasons[2].contains("is a number"));
    assert!(reasons[3].starts_with("empty article"));
    assert!(reasons[4].starts_with("duplicate id `wire-1`"));
    assert!(reasons[5].starts_with("line is not JSON"));
    assert!(skipped.iter().all(|x| x["source"].as_str().unwrap().ends_with("mixed.jsonl")));
}

#[test]
fn an_unreadable_input_exits_2_and_the_rest_is_reported() {
    let (code, r) = batch_json(&["fixtures/formats/wire.jsonl", "no/such/archive.jsonl"]);
    assert_eq!(code, 2);
    assert_eq!(r["summary"]["unreadable"], 1);
    assert_eq!(r["summary"]["articles"], 2);
    assert!(r["skipped"][0]["reason"].as_str().unwrap().contains("no such file"));
}

#[test]
fn reports_are_byte_identical_across_runs() {
    for format in ["json", "jsonl", "table"] {
        let run = || factdiff().args(["batch", ECB, "--quiet", "--format", format]).output().unwrap().stdout;
        let first = run();
        assert!(!first.is_empty());
        assert_eq!(first, run(), "{format} differs between runs");
    }
}

#[test]
fn jsonl_streams_events_then_summary() {
    let out = factdiff().args(["batch", ECB, "--quiet", "--format", "jsonl"]).output().unwrap();
    let lines: Vec<Value> =
        String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let events = lines.iter().filter(|l| l["type"] == "event").count();
    let last = lines.last().unwrap();
    assert_eq!(last["type"], "summary");
    assert_eq!(last["events"].as_u64().unwrap() as usize, events);
    assert_eq!(last["articles"], 231);
}

#[test]
fn event_field_uses_an_existing_grouping() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("labelled.jsonl");
    let gold: HashMap<String, String> = std::fs::read_to_string("fixtures/ecbplus/gold.tsv")
        .unwrap()
        .lines()
        .map(|l| l.split_once('\t').map(|(a, b)| (a.to_string(), b.to_string())).unwrap())
        .collect();
    let mut text = String::new();
    for line in std::fs::read_to_string(ECB).unwrap().lines() {
        let mut v: Value = serde_json::from_str(line).unwrap();
        let id = v["id"].as_str().unwrap().to_string();
        v["story"] = Value::String(gold[&id].clone());
        text.push_str(&v.to_string());
        text.push('\n');
    }
    std::fs::write(&archive, text).unwrap();
    let (_, r) = batch_json(&[archive.to_str().unwrap(), "--event-field", "story"]);
    let pred = groups(&r);
    assert_eq!(bcubed(&pred, &gold).2, 1.0);
    let ids: Vec<&str> = r["events"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"1-ecb") && ids.contains(&"10-ecbplus"), "events are named by the label");
}

#[test]
fn renamed_fields_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let archive = dir.path().join("renamed.jsonl");
    std::fs::write(
        &archive,
        "{\"key\": \"x1\", \"content\": \"Sir Keir met Emmanuel Macron in Paris. He said the war could end “in one day”.\", \"published\": \"2024-11-11\"}\n\
         {\"key\": \"x2\", \"content\": \"Sir Keir met Emmanuel Macron in Paris. He said the war could end “within a day”.\", \"published\": \"2024-11-11\"}\n",
    )
    .unwrap();
    let a = archive.to_str().unwrap();
    let (_, r) = batch_json(&[a, "--id-field", "key", "--body-field", "content", "--date-field", "published"]);
    assert_eq!(r["events"].as_array().unwrap().len(), 1);
    assert_eq!(r["events"][0]["documents"], serde_json::json!(["x1", "x2"]));
    assert!(r["events"][0]["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "quote-drift"));
    let (_, r) = batch_json(&[a]);
    assert_eq!(r["summary"]["skipped"], 2, "without the field names, no body");
}

#[test]
fn output_file_is_written_atomically_and_table_summarises() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    factdiff().args(["batch", ECB, "--quiet", "--format", "json", "-o"]).arg(&path).assert().success().stdout("");
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(r["summary"]["articles"], 231);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    let out = factdiff().args(["batch", ECB, "--quiet"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Read 231 records: 231 articles, 0 skipped."), "{text}");
    assert!(text.contains("Findings by rule") && text.contains("Events with most findings"));
}

#[test]
fn stages_run_separately_give_the_batch_report() {
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let run = |args: &[&str]| {
        let out = factdiff().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    run(&["stage", "sketch", ECB, "-o", &p("sketches.jsonl")]);
    run(&["stage", "link", &p("sketches.jsonl"), "-o", &p("edges.jsonl")]);
    run(&["stage", "group", &p("sketches.jsonl"), &p("edges.jsonl"), "-o", &p("members.jsonl")]);
    // Check in two partitions, as a cluster would after shuffling by event: each holds
    // whole events.
    let members = std::fs::read_to_string(p("members.jsonl")).unwrap();
    let (mut first, mut second) = (String::new(), String::new());
    for line in members.lines() {
        let m: Value = serde_json::from_str(line).unwrap();
        let even = m["event"].as_str().unwrap().bytes().last().unwrap().is_multiple_of(2);
        let part = if even { &mut first } else { &mut second };
        part.push_str(line);
        part.push('\n');
    }
    std::fs::write(p("members-1.jsonl"), first).unwrap();
    std::fs::write(p("members-2.jsonl"), second).unwrap();
    run(&["stage", "check", ECB, "--members", &p("members-1.jsonl"), "-o", &p("events-1.jsonl")]);
    run(&["stage", "check", ECB, "--members", &p("members-2.jsonl"), "-o", &p("events-2.jsonl")]);
    // Skipped records come from `sketch`, which read every record once.
    let merged =
        run(&["stage", "merge", &p("events-1.jsonl"), &p("events-2.jsonl"), &p("sketches.jsonl"), "--format", "json"]);
    let direct = run(&["batch", ECB, "--quiet", "--format", "json"]);
    assert_eq!(String::from_utf8(merged).unwrap(), String::from_utf8(direct).unwrap());
}

#[test]
fn a_bad_stage_line_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("lines.jsonl");
    std::fs::write(&f, "{\"type\":\"member\",\"id\":\"a\",\"event\":\"e1\"}\n{\"type\":\"nonsense\"}\n").unwrap();
    let out = factdiff().args(["stage", "merge"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("lines.jsonl:2: not a factdiff stage message"));
}
