//! Helpers shared by the CLI tests: run the binary, read its JSON report.

#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;

pub const PARIS: [&str; 3] = [
    "fixtures/paris/000-report-repeated.txt",
    "fixtures/paris/001-report-captions.txt",
    "fixtures/paris/002-preview.txt",
];
pub const CALL: [&str; 2] = ["fixtures/call/003-report.txt", "fixtures/call/004-readout.txt"];

pub fn factdiff() -> Command {
    let mut cmd = Command::cargo_bin("factdiff").expect("binary built");
    cmd.env_remove("NO_COLOR").env("TERM", "dumb");
    cmd
}

/// Runs `check --format json` on `files` and returns (exit code, report).
pub fn check_json(files: &[&str], extra: &[&str]) -> (i32, Value) {
    let out = factdiff().arg("check").args(files).args(["--format", "json"]).args(extra).output().expect("runs");
    let code = out.status.code().expect("exit code");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, report)
}

pub fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings array")
}

/// Findings of a rule whose message contains every one of `parts`.
pub fn find<'a>(report: &'a Value, rule: &str, parts: &[&str]) -> Vec<&'a Value> {
    findings(report)
        .iter()
        .filter(|f| f["rule"] == rule && parts.iter().all(|p| f["message"].as_str().unwrap_or("").contains(p)))
        .collect()
}

/// Every evidence text and sentence of the report, for "nothing built from X" checks.
pub fn evidence_texts(report: &Value) -> Vec<String> {
    findings(report)
        .iter()
        .flat_map(|f| f["evidence"].as_array().cloned().unwrap_or_default())
        .flat_map(|e| [e["text"].as_str().unwrap_or("").to_string(), e["sentence"].as_str().unwrap_or("").to_string()])
        .collect()
}
