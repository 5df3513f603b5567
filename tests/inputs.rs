//! Input formats and bad input: every format maps findings back to its own lines, and a
//! bad input is named on stderr with exit 2 while the others are still checked.

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn html_and_markdown_positions_point_into_the_source() {
    let (code, r) = check_json(&["fixtures/formats/preview.html", "fixtures/formats/report.md"], &[]);
    assert_eq!(code, 1);
    let drift = find(&r, "quote-drift", &["in one day", "within a day"]);
    assert_eq!(drift.len(), 1);
    for e in drift[0]["evidence"].as_array().unwrap() {
        let src = std::fs::read_to_string(e["path"].as_str().unwrap()).unwrap();
        let line = src.lines().nth(e["line"].as_u64().unwrap() as usize - 1).unwrap();
        let at: String = line.chars().skip(e["column"].as_u64().unwrap() as usize - 1).collect();
        // In the HTML, “in one” is written as entities and text: the column is that of the text.
        assert!(at.starts_with(e["text"].as_str().unwrap()), "{at:?}");
    }
    assert!(!find(&r, "name-honorific", &["Mr Bryan"]).is_empty());
    // Navigation, captions and scripts are not article text.
    let texts = evidence_texts(&r).join(" ");
    assert!(!texts.contains("Politics") && !texts.contains("Isabel Infantes") && !texts.contains("Advertisement"));
    assert_eq!(r["documents"][0]["date"], "2024-11-11");
    assert_eq!(r["documents"][1]["date"], "2024-11-11");
}

#[test]
fn jsonl_records_are_documents() {
    let (_, r) = check_json(&["fixtures/formats/wire.jsonl"], &[]);
    let ids: Vec<&str> = r["documents"].as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["wire-1", "wire-2"]);
    let drift = find(&r, "quote-drift", &["in one day", "within one day"]);
    assert_eq!(drift.len(), 1);
    assert_eq!(drift[0]["evidence"][1]["line"], 2, "a record's line in the file");
}

#[test]
fn standard_input_is_read() {
    let body = std::fs::read_to_string(PARIS[1]).unwrap();
    let out = factdiff().args(["check", PARIS[0], "-", "--format", "json"]).write_stdin(body).output().unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["documents"][1]["id"], "stdin");
    assert_eq!(r["documents"][1]["path"], "-");
    assert!(!find(&r, "quote-drift", &["in one day", "within a day"]).is_empty());
}

#[test]
fn broken_jsonl_lines_are_named_and_the_rest_checked() {
    let out = factdiff().args(["check", "fixtures/edge/broken.jsonl", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fixtures/edge/broken.jsonl:2: line is not complete JSON"), "{stderr}");
    assert!(stderr.contains("fixtures/edge/broken.jsonl:3: no body"), "{stderr}");
    assert!(stderr.contains("fixtures/edge/broken.jsonl:4: field `body` is a number"), "{stderr}");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["summary"]["documents"], 2);
    assert_eq!(r["skipped"].as_array().unwrap().len(), 3);
    assert_eq!(r["skipped"][0]["line"], 2);
    assert!(!find(&r, "quote-drift", &[]).is_empty(), "good records still checked");
}

#[test]
fn unreadable_inputs_exit_2_without_stopping_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("photo.txt");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"First line.\nCaf\xe9 society met on Monday.\n").unwrap();
    let missing = dir.path().join("missing.txt");
    let out = factdiff()
        .arg("check")
        .args(PARIS)
        .arg(&binary)
        .arg(&latin1)
        .arg(&missing)
        .arg(dir.path())
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("photo.txt: binary file"), "{stderr}");
    assert!(stderr.contains("latin1.txt:2: not valid UTF-8"), "{stderr}");
    assert!(stderr.contains("missing.txt: no such file"), "{stderr}");
    assert!(stderr.contains("is a folder"), "{stderr}");
    assert!(!stderr.contains("panicked"));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["summary"]["documents"], 3, "the readable inputs are still checked");
    assert_eq!(r["skipped"].as_array().unwrap().len(), 4);
    assert!(!find(&r, "quote-drift", &["in one day"]).is_empty());
}

#[test]
fn usage_errors_exit_2() {
    factdiff().arg("check").assert().code(2).stderr(predicate::str::contains("FILE"));
    factdiff().args(["check", PARIS[0], "--format", "yaml"]).assert().code(2);
    factdiff().args(["frobnicate"]).assert().code(2);
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    factdiff().arg("check").args(PARIS).args(["--format", "json", "-o"]).arg(&path).assert().code(1).stdout("");
    let r: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(r["version"], 1);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file left");
}
