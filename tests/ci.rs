//! The CI flow on the sample newsroom repository in examples/ci/: a draft checked against
//! wire copy and an earlier version with the repository's config, house pack and baseline,
//! in every output format, as the sample workflow runs it. Also suppression comments and
//! baselines on edited copies of the sample.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

const DRAFT: &str = "examples/ci/draft.md";
const REFS: [&str; 2] = ["examples/ci/wire.txt", "examples/ci/earlier.md"];
const CONFIG: &str = "examples/ci/factdiff.toml";
const FORMATS: [&str; 6] = ["table", "json", "concise", "sarif", "github", "jsonl"];

/// Runs the sample workflow's command in `format`: (exit code, stdout, stderr).
fn run_ci(format: &str, extra: &[&str]) -> (i32, String, String) {
    let out = factdiff()
        .args(["check", DRAFT, "--against"])
        .args(REFS)
        .args(["--config", CONFIG, "--format", format])
        .args(extra)
        .output()
        .expect("runs");
    let text = |b: Vec<u8>| String::from_utf8(b).expect("UTF-8 output");
    (out.status.code().expect("exit code"), text(out.stdout), text(out.stderr))
}

fn report(extra: &[&str]) -> Value {
    let (_, out, _) = run_ci("json", extra);
    serde_json::from_str(&out).expect("JSON report")
}

#[test]
fn every_format_pins_its_output() {
    for format in FORMATS {
        let (code, out, err) = run_ci(format, &[]);
        assert_eq!(code, 1, "{format}: errors and warnings found with fail-on = warning; stderr: {err}");
        assert_eq!(err, "", "{format}: nothing on stderr when all goes well");
        insta::assert_snapshot!(format!("ci_{format}"), out);
    }
}

#[test]
fn only_the_draft_is_reported_with_references_attached() {
    let r = report(&[]);
    let roles: Vec<(&str, &str)> = r["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d["role"].as_str().unwrap()))
        .collect();
    assert_eq!(roles, [("draft", "draft"), ("wire", "reference"), ("earlier", "reference")]);
    for f in findings(&r) {
        assert_eq!(f["evidence"][0]["doc"], "draft", "draft evidence first: {f}");
    }
    // The drift between the wire and the draft, located in the draft, with the wire attached.
    let drift = find(&r, "quote-drift", &["in one day", "within a day"]);
    assert_eq!(drift.len(), 1);
    let ev = drift[0]["evidence"].as_array().unwrap();
    assert_eq!(
        (ev[0]["path"].as_str(), ev[0]["line"].as_u64(), ev[0]["text"].as_str()),
        (Some(DRAFT), Some(12), Some("within a"))
    );
    assert!(ev.iter().any(|e| e["path"] == REFS[0] && e["text"] == "in one"));
    // Among peers the same finding leads with the first input that has it (the draft).
    let out =
        factdiff().args(["check", DRAFT]).args(REFS).args(["--config", CONFIG, "--format", "json"]).output().unwrap();
    let peers: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(find(&peers, "quote-drift", &["within a day"])[0]["evidence"][0]["doc"], "draft");
    assert!(peers["documents"][0].get("role").is_none(), "no roles among peers");

    // What only the references disagree on is not the draft's business.
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("note.txt");
    std::fs::write(&draft, "Sir Keir Starmer met Emmanuel Macron in Paris on Monday.").unwrap();
    let (_, peers) = check_json(&[draft.to_str().unwrap(), PARIS[0], PARIS[1]], &["--isolated"]);
    assert_eq!(find(&peers, "quote-drift", &["in one day", "within a day"]).len(), 1);
    let (code, against) = check_json(&[draft.to_str().unwrap(), "--against", PARIS[0], PARIS[1]], &["--isolated"]);
    assert_eq!((code, findings(&against).len()), (0, 0), "{against}");
}

#[test]
fn config_house_pack_severity_and_baseline_apply() {
    let r = report(&[]);
    assert_eq!(find(&r, "name-variant", &["Champs Elysee"])[0]["severity"], "error", "[severity] override");
    assert_eq!(find(&r, "house-spelling", &["percent", "per cent"]).len(), 2, "house pack, both mentions");
    assert_eq!(find(&r, "house-spelling", &["Champs Elysee"]).len(), 1);
    assert_eq!(find(&r, "banned-phrase", &["Sources say"]).len(), 1);
    assert!(find(&r, "quote-drift", &["going into the winter"]).is_empty(), "accepted in baseline.json");
    assert!(find(&r, "single-source", &["£22bn"]).is_empty(), "factdiff-ignore single-source");
    assert!(find(&r, "quote-drift", &["takes to win”"]).is_empty(), "inside factdiff off / on");
    assert_eq!(r["summary"]["baselined"], 1);
    assert_eq!(r["summary"]["suppressed"], 2);

    // --isolated: no config, so no house pack, no baseline, default severities and fail-on.
    let out = factdiff()
        .current_dir("examples/ci")
        .args(["check", "draft.md", "--against", "wire.txt", "earlier.md", "--isolated", "--format", "json"])
        .output()
        .unwrap();
    let iso: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(find(&iso, "house-spelling", &[]).is_empty() && find(&iso, "banned-phrase", &[]).is_empty());
    assert_eq!(find(&iso, "name-variant", &["Champs Elysee"])[0]["severity"], "warning");
    assert_eq!(find(&iso, "quote-drift", &["going into the winter"]).len(), 1, "no baseline");
    assert_eq!(out.status.code(), Some(1), "errors remain at the default fail-on");
}

#[test]
fn config_is_found_from_the_working_directory() {
    // The same run from inside examples/ci without --config: the same findings, paths
    // relative to where it ran.
    let (_, from_root, _) = run_ci("concise", &[]);
    let out = factdiff()
        .current_dir("examples/ci")
        .args(["check", "draft.md", "--against", "wire.txt", "earlier.md", "--format", "concise"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), from_root.replace("examples/ci/", ""));
    assert!(from_root.contains("house-spelling"), "the config's pack was read");
}

#[test]
fn exit_codes_are_the_same_in_every_format() {
    for format in FORMATS {
        assert_eq!(run_ci(format, &["--fail-on", "never"]).0, 0, "{format}");
        assert_eq!(run_ci(format, &["--fail-on", "error"]).0, 1, "{format}");
        assert_eq!(
            run_ci(format, &["--select", "banned-phrase", "--fail-on", "error"]).0,
            0,
            "{format}: warnings only"
        );
        assert_eq!(run_ci(format, &["--select", "banned-phrase"]).0, 1, "{format}: config fail-on = warning");
        let (code, _, err) = run_ci(format, &["--against", "examples/ci/missing.txt"]);
        assert_eq!(code, 2, "{format}: an unreadable reference");
        assert!(err.contains("examples/ci/missing.txt: no such file"), "{format}: {err}");
        let out = factdiff()
            .args(["check", DRAFT, "--against"])
            .args(REFS)
            .args(["--config", "examples/ci/nope.toml", "--format", format])
            .output()
            .unwrap();
        assert_eq!((out.status.code(), out.stdout.as_slice()), (Some(2), &b""[..]), "{format}: no report");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("examples/ci/nope.toml: no such file"), "{format}: {err}");
    }
}

#[test]
fn rule_pack_examples_run() {
    factdiff().args(["rules", "test", "examples/ci/house.toml"]).assert().success().stdout("3 examples, 0 failed\n");
}

#[test]
fn sarif_has_the_structure_the_schema_requires() {
    let (_, out, _) = run_ci("sarif", &[]);
    let log: Value = serde_json::from_str(&out).unwrap();
    check_sarif(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let r = report(&[]);
    assert_eq!(results.len(), findings(&r).len());
    let drift = results.iter().find(|x| x["message"]["text"].as_str().unwrap().contains("within a day")).unwrap();
    assert_eq!(drift["ruleId"], "quote-drift");
    assert_eq!(drift["level"], "error");
    let region = &drift["locations"][0]["physicalLocation"]["region"];
    assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(12), Some(133)));
    assert_eq!(drift["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], DRAFT);
    let related: Vec<&str> = drift["relatedLocations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap())
        .collect();
    assert_eq!(related, REFS);
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules[drift["ruleIndex"].as_u64().unwrap() as usize]["id"], "quote-drift");
}

/// Checks a SARIF log against the parts of the SARIF 2.1.0 schema factdiff writes: the
/// required properties, the enumerations, the minimums, and that no object carries a
/// property the schema does not define for it (the schema forbids additional ones).
fn check_sarif(log: &Value) {
    fn props(v: &Value, path: &str, allowed: &[&str], required: &[&str]) {
        let obj = v.as_object().unwrap_or_else(|| panic!("{path} is not an object"));
        for k in obj.keys() {
            assert!(allowed.contains(&k.as_str()), "{path}: property `{k}` is not in the schema");
        }
        for k in required {
            assert!(obj.contains_key(*k), "{path}: required property `{k}` missing");
        }
    }
    fn message(v: &Value, path: &str) {
        props(v, path, &["text", "markdown", "id", "arguments", "properties"], &[]);
        assert!(v["text"].is_string() || v["id"].is_string(), "{path}: a message needs text or id");
    }
    fn location(v: &Value, path: &str) {
        props(
            v,
            path,
            &["id", "physicalLocation", "logicalLocations", "message", "annotations", "relationships", "properties"],
            &[],
        );
        if let Some(id) = v.get("id") {
            assert!(id.as_i64().is_some_and(|i| i >= -1), "{path}.id");
        }
        if let Some(m) = v.get("message") {
            message(m, &format!("{path}.message"));
        }
        let pl = &v["physicalLocation"];
        props(
            pl,
            &format!("{path}.physicalLocation"),
            &["address", "artifactLocation", "region", "contextRegion", "properties"],
            &[],
        );
        let uri = pl["artifactLocation"]["uri"].as_str().expect("artifactLocation.uri");
        assert!(!uri.contains(' ') && !uri.contains('\\'), "{path}: `{uri}` is not a URI reference");
        let region = &pl["region"];
        props(
            region,
            &format!("{path}.region"),
            &[
                "startLine",
                "startColumn",
                "endLine",
                "endColumn",
                "charOffset",
                "charLength",
                "byteOffset",
                "byteLength",
                "snippet",
                "message",
                "sourceLanguage",
                "properties",
            ],
            &[],
        );
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[k].as_u64().is_some_and(|n| n >= 1), "{path}.region.{k} must be an integer ≥ 1");
        }
        let (start, end) = (
            (region["startLine"].as_u64(), region["startColumn"].as_u64()),
            (region["endLine"].as_u64(), region["endColumn"].as_u64()),
        );
        assert!(start <= end, "{path}: region ends before it starts");
    }

    props(log, "log", &["$schema", "version", "runs", "inlineExternalProperties", "properties"], &["version", "runs"]);
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().ends_with("sarif-schema-2.1.0.json"));
    let run = &log["runs"][0];
    assert_eq!(log["runs"].as_array().unwrap().len(), 1);
    props(
        run,
        "run",
        &["tool", "invocations", "results", "columnKind", "originalUriBaseIds", "artifacts", "properties"],
        &["tool"],
    );
    assert!(["utf16CodeUnits", "unicodeCodePoints"].contains(&run["columnKind"].as_str().unwrap()));
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    props(&run["tool"], "tool", &["driver", "extensions", "properties"], &["driver"]);
    let driver = &run["tool"]["driver"];
    props(
        driver,
        "driver",
        &["name", "version", "semanticVersion", "informationUri", "rules", "notifications", "properties"],
        &["name"],
    );
    assert_eq!(driver["name"], "factdiff");
    let rules = driver["rules"].as_array().unwrap();
    let mut ids: Vec<&str> = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let path = format!("rules[{i}]");
        props(
            rule,
            &path,
            &[
                "id",
                "name",
                "shortDescription",
                "fullDescription",
                "help",
                "helpUri",
                "defaultConfiguration",
                "properties",
            ],
            &["id"],
        );
        ids.push(rule["id"].as_str().unwrap());
        message(&rule["shortDescription"], &format!("{path}.shortDescription"));
        message(&rule["fullDescription"], &format!("{path}.fullDescription"));
        props(&rule["help"], &format!("{path}.help"), &["text", "markdown"], &["text"]);
        assert!(
            rule["help"]["markdown"].as_str().unwrap().contains("## Why is this bad?"),
            "{path}: help is the rule's doc"
        );
        props(
            &rule["defaultConfiguration"],
            &format!("{path}.defaultConfiguration"),
            &["enabled", "level", "rank", "parameters", "properties"],
            &[],
        );
        assert!(
            ["none", "note", "warning", "error"].contains(&rule["defaultConfiguration"]["level"].as_str().unwrap())
        );
    }
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "rule ids are unique");
    let invocation = &run["invocations"][0];
    props(
        invocation,
        "invocation",
        &["executionSuccessful", "toolExecutionNotifications", "exitCode", "properties"],
        &["executionSuccessful"],
    );
    for (i, result) in run["results"].as_array().unwrap().iter().enumerate() {
        let path = format!("results[{i}]");
        props(
            result,
            &path,
            &[
                "ruleId",
                "ruleIndex",
                "level",
                "message",
                "locations",
                "relatedLocations",
                "partialFingerprints",
                "fingerprints",
                "properties",
            ],
            &["message"],
        );
        message(&result["message"], &format!("{path}.message"));
        let rule_id = result["ruleId"].as_str().unwrap();
        assert!(ids.contains(&rule_id), "{path}: ruleId `{rule_id}` is not a rule of the driver");
        assert_eq!(rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"], rule_id);
        assert!(["none", "note", "warning", "error"].contains(&result["level"].as_str().unwrap()));
        let locations = result["locations"].as_array().unwrap();
        assert_eq!(locations.len(), 1);
        location(&locations[0], &format!("{path}.locations[0]"));
        for (j, l) in result["relatedLocations"].as_array().map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
            location(l, &format!("{path}.relatedLocations[{j}]"));
        }
        for v in result["partialFingerprints"].as_object().unwrap().values() {
            assert!(v.is_string(), "{path}: fingerprints are strings");
        }
    }
}

/// A folder holding copies of the sample's files, for runs that edit them.
fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["draft.md", "wire.txt", "earlier.md", "house.toml", "factdiff.toml", "baseline.json"] {
        std::fs::copy(Path::new("examples/ci").join(f), dir.path().join(f)).unwrap();
    }
    dir
}

fn check_in(dir: &Path, draft: &str, extra: &[&str]) -> (i32, Value) {
    let out = factdiff()
        .current_dir(dir)
        .args(["check", draft, "--against", "wire.txt", "earlier.md", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let r =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), r)
}

#[test]
fn baseline_survives_text_moving_around_the_finding() {
    let dir = sample_copy();
    let d = dir.path();
    // Accept everything the draft has today.
    let out = factdiff()
        .current_dir(d)
        .args([
            "check",
            "draft.md",
            "--against",
            "wire.txt",
            "earlier.md",
            "--write-baseline",
            "accepted.json",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "every finding is now accepted");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("recorded 10 findings"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written: Value = serde_json::from_str(&std::fs::read_to_string(d.join("accepted.json")).unwrap()).unwrap();
    let entries = written["findings"].as_array().unwrap();
    // Two “percent” findings share a fingerprint: the same words in the same draft.
    assert_eq!(entries.len(), 9);
    assert!(entries.iter().all(|e| e["fingerprint"].as_str().unwrap().len() == 16 && e["rule"].is_string()));
    let left =
        std::fs::read_dir(d).unwrap().filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().ends_with(".tmp"));
    assert_eq!(left.count(), 0, "no temporary file left");

    // Move the text: a new paragraph at the top, and the Lanza paragraph moved up.
    let draft = std::fs::read_to_string(d.join("draft.md")).unwrap();
    let lanza = "Bryan Lanza, who worked on Trump’s 2024 presidential campaign";
    let start = draft.find(lanza).unwrap();
    let end = start + draft[start..].find("\n\n").unwrap() + 2;
    let para = draft[start..end].to_string();
    let rest = format!("{}{}", &draft[..start], &draft[end..]);
    let top = rest.find("Sir Keir Starmer and Emmanuel Macron discussed").unwrap();
    let moved = format!(
        "{}The Prime Minister arrived at the presidential palace on Monday morning.\n\n{para}{}",
        &rest[..top],
        &rest[top..]
    );
    std::fs::write(d.join("draft.md"), &moved).unwrap();
    let (code, r) = check_in(d, "draft.md", &["--baseline", "accepted.json"]);
    assert_eq!(code, 0, "{r}");
    assert!(findings(&r).is_empty(), "accepted findings stay accepted after moving: {r}");
    assert_eq!(r["summary"]["baselined"], 10);

    // Without the baseline the findings are there, at new lines.
    let (_, all) = check_in(d, "draft.md", &["--baseline", "baseline.json"]);
    let honorific = find(&all, "name-honorific", &["Mr Bryan"]);
    assert_eq!(honorific[0]["evidence"][0]["line"], 11, "moved up from line 17");

    // A new divergence is not covered by the old baseline.
    std::fs::write(d.join("draft.md"), moved.replace("48 Ukrainian drones", "46 Ukrainian drones")).unwrap();
    let (code, r) = check_in(d, "draft.md", &["--baseline", "accepted.json"]);
    assert_eq!(code, 1);
    assert_eq!(find(&r, "number-mismatch", &["46", "84"]).len(), 1, "{r}");
    assert_eq!(findings(&r).len(), 1);

    // A broken baseline is a named error.
    std::fs::write(d.join("accepted.json"), "{\"version\": 1, \"findings\": [{\"fingerprint\": 3}]}").unwrap();
    let out = factdiff().current_dir(d).args(["check", "draft.md", "--baseline", "accepted.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("baseline accepted.json: invalid type: integer `3`"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn suppression_comments_in_markdown() {
    let dir = sample_copy();
    let d = dir.path();
    let draft = std::fs::read_to_string(d.join("draft.md")).unwrap();
    // Without the comments, what they silence comes back.
    let bare: String = draft.lines().filter(|l| !l.contains("factdiff")).map(|l| format!("{l}\n")).collect();
    std::fs::write(d.join("bare.md"), &bare).unwrap();
    let (_, r) = check_in(d, "bare.md", &[]);
    assert_eq!(find(&r, "single-source", &["£22bn"]).len(), 1);
    assert_eq!(find(&r, "quote-drift", &["takes to win”"]).len(), 1);
    assert!(r["summary"].get("suppressed").is_none());

    // factdiff-ignore with a rule silences that rule only, in the next paragraph only.
    let marked = bare.replace("Their meeting comes", "<!-- factdiff-ignore name-variant -->\nTheir meeting comes");
    std::fs::write(d.join("marked.md"), &marked).unwrap();
    let (_, r) = check_in(d, "marked.md", &[]);
    assert_eq!(find(&r, "quote-drift", &["within a day"]).len(), 1, "another rule is not silenced");
    let marked = bare.replace("Their meeting comes", "<!-- factdiff-ignore -->\nTheir meeting comes");
    std::fs::write(d.join("marked.md"), &marked).unwrap();
    let (_, r) = check_in(d, "marked.md", &[]);
    assert!(find(&r, "quote-drift", &["within a day"]).is_empty(), "no rule named: all rules");
    assert_eq!(find(&r, "number-mismatch", &["48"]).len(), 1, "the paragraph after is not silenced");
    assert_eq!(r["summary"]["suppressed"], 1);

    // An off region without on runs to the end; unknown rules are named on stderr.
    let marked = bare.replace("Sources say", "<!-- factdiff off banned-phrase, quote-drfit -->\n\nSources say");
    std::fs::write(d.join("marked.md"), &marked).unwrap();
    let out = factdiff()
        .current_dir(d)
        .args(["check", "marked.md", "--against", "wire.txt", "earlier.md", "--format", "concise"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains("banned-phrase") && stdout.contains("quote-drift"), "{stdout}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        "factdiff: warning: marked.md:19: unknown rule `quote-drfit` in a suppression comment; it silences nothing\n"
    );

    // A reference's comments do not silence the draft's findings.
    std::fs::write(
        d.join("wire.md"),
        format!("<!-- factdiff off -->\n\n{}", std::fs::read_to_string(d.join("wire.txt")).unwrap()),
    )
    .unwrap();
    let out = factdiff()
        .current_dir(d)
        .args(["check", "bare.md", "--against", "wire.md", "earlier.md", "--format", "json"])
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(find(&r, "quote-drift", &["within a day"]).len(), 1);
}

#[test]
fn suppression_comments_in_html() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let page = |comment: &str| {
        format!(
            "<!DOCTYPE html><html><head><title>Draft</title></head><body><article>\n\
             <p>Russia’s defence ministry said it intercepted 48 Ukrainian drones over six regions.</p>\n\
             {comment}\n\
             <p>Their meeting comes as questions are being asked about Donald Trump’s support for Ukraine after Mr Trump said he could end the war “within a day”.</p>\n\
             </article></body></html>\n"
        )
    };
    std::fs::copy("examples/ci/wire.txt", d.join("wire.txt")).unwrap();
    let run = |comment: &str| {
        std::fs::write(d.join("draft.html"), page(comment)).unwrap();
        let out = factdiff()
            .current_dir(d)
            .args(["check", "draft.html", "--against", "wire.txt", "--format", "concise", "--isolated"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let plain = run("");
    assert!(plain.contains("draft.html:2:") && plain.contains("number-mismatch"), "{plain}");
    assert!(plain.contains("draft.html:4:") && plain.contains("quote-drift"), "{plain}");
    let ignored = run("<!-- factdiff-ignore quote-drift -->");
    assert!(!ignored.contains("quote-drift") && ignored.contains("number-mismatch"), "{ignored}");
    let off = run("<!-- factdiff off -->");
    assert!(!off.contains("quote-drift") && off.contains("number-mismatch"), "{off}");
}
