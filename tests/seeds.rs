//! The acceptance cases of `factdiff check` on the real articles in fixtures/.

mod common;

use common::*;
use serde_json::Value;

fn severity_at_least_warning(f: &Value) -> bool {
    matches!(f["severity"].as_str(), Some("error" | "warning"))
}

#[test]
fn paris_meeting_divergences_are_found() {
    let (code, r) = check_json(&PARIS, &[]);
    assert_eq!(code, 1, "errors found, so exit 1 with --fail-on error");

    let drift = find(&r, "quote-drift", &["in one day", "within a day"]);
    assert_eq!(drift.len(), 1, "one finding for “in one day” / “within a day”");
    assert!(severity_at_least_warning(drift[0]));
    let docs: Vec<&str> = drift[0]["evidence"].as_array().unwrap().iter().map(|e| e["doc"].as_str().unwrap()).collect();
    assert!(docs.contains(&"000-report-repeated") && docs.contains(&"001-report-captions"), "{docs:?}");

    let along = find(&r, "quote-drift", &["for as along as it takes", "for as long as it takes"]);
    assert_eq!(along.len(), 1);
    assert!(severity_at_least_warning(along[0]));
    assert!(along[0]["evidence"].as_array().unwrap().iter().all(|e| e["doc"] == "001-report-captions"));

    let honorific = find(&r, "name-honorific", &["Mr Bryan", "Bryan Lanza", "Mr Lanza"]);
    assert_eq!(honorific.len(), 1);
    assert!(severity_at_least_warning(honorific[0]));
    assert_eq!(honorific[0]["evidence"][0]["text"], "Mr Bryan");
    assert_eq!(honorific[0]["evidence"][0]["doc"], "002-preview");

    let variant = find(&r, "name-variant", &["Champs-Élysées", "Champs Elysee"]);
    assert_eq!(variant.len(), 1);
    assert!(severity_at_least_warning(variant[0]));
}

#[test]
fn paris_meeting_agreements_are_not_flagged() {
    let (_, r) = check_json(&PARIS, &[]);
    assert!(find(&r, "number-mismatch", &[]).is_empty(), "figures agree: 2.3%, 2.5%, 84 drones, 1944, 2029, 120th");
    for f in findings(&r) {
        let msg = f["message"].as_str().unwrap();
        if f["rule"].as_str().unwrap().starts_with("name-") {
            assert!(!msg.contains("Sir Keir") && !msg.contains("“Mr Lanza” uses"), "correct names flagged: {msg}");
        }
    }
    assert!(evidence_texts(&r).iter().all(|t| !t.contains("Advertisement")), "nothing built from the adverts");
    // Few false alarms: the required four at warning or above, plus at most a handful.
    let loud = findings(&r).iter().filter(|f| severity_at_least_warning(f)).count();
    assert!((4..=7).contains(&loud), "{loud} findings at warning or above");
}

#[test]
fn phone_call_drift_is_found_and_blurb_ignored() {
    let (code, r) = check_json(&CALL, &[]);
    let drift =
        find(&r, "quote-drift", &["this crucial moment in global security", "this crucial moment for global security"]);
    assert_eq!(drift.len(), 1);
    assert!(severity_at_least_warning(drift[0]));
    let texts = evidence_texts(&r);
    assert!(
        texts.iter().all(|t| !t.contains("Your support") && !t.contains("donation")),
        "nothing from the donation blurb"
    );
    assert_eq!(code, 0, "only a function word differs: a warning, below --fail-on error");
    for d in r["documents"].as_array().unwrap() {
        assert_eq!(d["date"], "2025-02-23", "the date header is metadata");
    }
}

#[test]
fn eight_copies_give_the_same_findings_as_one() {
    let dir = tempfile::tempdir().unwrap();
    // The single copy under the same name, so ids in messages agree.
    let once = dir.path().join("000-report-repeated.txt");
    std::fs::copy("fixtures/edge/000-report-once.txt", &once).unwrap();
    let (_, eight) = check_json(&PARIS, &[]);
    let (_, single) = check_json(&[once.to_str().unwrap(), PARIS[1], PARIS[2]], &[]);
    let summary = |r: &Value| -> Vec<(String, String, String)> {
        findings(r)
            .iter()
            .map(|f| (f["rule"].to_string(), f["message"].to_string(), f["fingerprint"].to_string()))
            .collect()
    };
    assert_eq!(summary(&eight), summary(&single));
    let sentences = |r: &Value| r["documents"][0]["sentences"].as_u64().unwrap();
    assert_eq!(sentences(&eight), sentences(&single), "repeats collapse to one copy");
}

#[test]
fn reports_are_byte_identical_across_runs() {
    for format in ["table", "json"] {
        let run = || factdiff().arg("check").args(PARIS).args(["--format", format]).output().unwrap().stdout;
        let first = run();
        assert!(!first.is_empty());
        assert_eq!(first, run(), "{format} output differs between runs");
    }
}

#[test]
fn fail_on_sets_the_exit_code() {
    assert_eq!(check_json(&PARIS, &["--fail-on", "never"]).0, 0);
    assert_eq!(check_json(&CALL, &["--fail-on", "warning"]).0, 1);
    assert_eq!(check_json(&CALL, &["--fail-on", "error"]).0, 0);
}

#[test]
fn select_and_ignore_choose_rules() {
    let (_, r) = check_json(&PARIS, &["--select", "name-honorific,name-variant"]);
    assert!(findings(&r).iter().all(|f| f["rule"].as_str().unwrap().starts_with("name-")));
    assert_eq!(findings(&r).len(), 2);
    let (_, r) = check_json(&PARIS, &["--ignore", "single-source"]);
    assert!(find(&r, "single-source", &[]).is_empty());
    let out = factdiff().args(["check", PARIS[0], "--select", "no-such-rule"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown rule `no-such-rule`"));
}

#[test]
fn json_contract_fields() {
    let (_, r) = check_json(&PARIS, &[]);
    assert_eq!(r["version"], 1);
    assert_eq!(r["summary"]["documents"], 3);
    let counts = &r["summary"]["findings"];
    let total =
        counts["error"].as_u64().unwrap() + counts["warning"].as_u64().unwrap() + counts["info"].as_u64().unwrap();
    assert_eq!(total as usize, findings(&r).len());
    for d in r["documents"].as_array().unwrap() {
        assert!(d["id"].is_string() && d["path"].is_string() && d["sentences"].as_u64().unwrap() > 10);
    }
    // Evidence points at the file: the line and column hold the text as written.
    for f in findings(&r) {
        for e in f["evidence"].as_array().unwrap() {
            let path = e["path"].as_str().unwrap();
            let src = std::fs::read_to_string(path).unwrap();
            let line = src.lines().nth(e["line"].as_u64().unwrap() as usize - 1).unwrap();
            let at: String = line.chars().skip(e["column"].as_u64().unwrap() as usize - 1).collect();
            assert!(at.starts_with(e["text"].as_str().unwrap()), "{path}:{}: {at:?} vs {}", e["line"], e["text"]);
            assert!(e["sentence"].as_str().unwrap().contains(e["text"].as_str().unwrap()));
        }
    }
}
