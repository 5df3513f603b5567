//! `factdiff align` and `factdiff rules`, and snapshots of the rendered check reports.

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn align_pairs_sentences_and_quotes() {
    let out = factdiff().args(["align", CALL[0], CALL[1], "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pairs = r["pairs"].as_array().unwrap();
    // The readout sentence both articles carry word for word.
    assert!(pairs.iter().any(|p| {
        p["a"]["text"].as_str().unwrap().contains("The leaders agreed to stay in close contact")
            && p["b"]["doc"] == "004-readout"
            && p["score"].as_f64().unwrap() > 0.9
    }));
    // The fragment in 003 is paired with the longer quote in 004 it came from.
    let quotes = r["quotes"].as_array().unwrap();
    assert!(quotes.iter().any(|q| q["a"]["text"] == "this crucial moment in global security" && q["differs"] == true));
    for p in pairs {
        assert_ne!(p["a"]["doc"], p["b"]["doc"], "sentence pairs cross articles");
        let s = p["score"].as_f64().unwrap();
        assert!((0.0..=1.0001).contains(&s));
    }
}

#[test]
fn align_table_lists_pairs() {
    factdiff()
        .args(["align", CALL[0], CALL[1]])
        .assert()
        .success()
        .stdout(predicate::str::contains("sentence pairs").and(predicate::str::contains("quote pairs")));
}

#[test]
fn rules_list_and_explain() {
    let out = factdiff().args(["rules", "--format", "json"]).output().unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = rules.as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    for want in [
        "quote-drift",
        "number-mismatch",
        "name-honorific",
        "name-variant",
        "attribution-mismatch",
        "hedge-mismatch",
        "single-source",
    ] {
        assert!(names.contains(&want), "{want} missing");
    }
    factdiff()
        .args(["rules", "explain", "quote-drift"])
        .assert()
        .success()
        .stdout(predicate::str::contains("## What it does").and(predicate::str::contains("## Example")));
    factdiff()
        .args(["rules", "explain", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule `nope`"));
}

#[test]
fn rules_test_runs_pack_examples() {
    factdiff().args(["rules", "test"]).assert().success().stdout(predicate::str::contains("0 failed"));
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("house.toml");
    std::fs::write(
        &pack,
        "[[hedge]]\nkind = \"epistemic\"\nphrases = [\"it is rumoured\"]\n\n[[example]]\ntext = \"It is rumoured that he left.\"\nhedges = [\"it is rumoured\"]\n\n[[example]]\ntext = \"He left.\"\nhedges = [\"reportedly\"]\n",
    )
    .unwrap();
    factdiff()
        .args(["rules", "test"])
        .arg(&pack)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("example 2").and(predicate::str::contains("2 examples, 1 failed")));
    std::fs::write(&pack, "[[hedge]]\nkind = \"sometimes\"\nphrases = [\"x\"]\n").unwrap();
    factdiff()
        .args(["rules", "test"])
        .arg(&pack)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("house.toml").and(predicate::str::contains("kind")));
}

#[test]
fn table_report_snapshot() {
    let out = factdiff().arg("check").args(PARIS).args(["--color", "never"]).output().unwrap();
    insta::assert_snapshot!("paris_table", String::from_utf8(out.stdout).unwrap());
}

#[test]
fn json_report_snapshot() {
    let (_, r) = check_json(&CALL, &[]);
    insta::assert_json_snapshot!("call_json", r);
}

#[test]
fn colour_follows_the_flag() {
    let plain = factdiff().arg("check").args(CALL).output().unwrap().stdout;
    assert!(!plain.contains(&0x1b), "no escape codes when piped");
    let coloured = factdiff().arg("check").args(CALL).args(["--color", "always"]).output().unwrap().stdout;
    assert!(coloured.contains(&0x1b));
}
