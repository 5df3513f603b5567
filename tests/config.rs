//! factdiff.toml: discovery up the folder tree, `--config` and `--isolated`, every key
//! taking effect, `factdiff config`, and errors that name the file, line and key.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

const TBILISI: [&str; 2] = ["Talks were held in Tbilisi on Monday.", "Talks were held in Tiflis on Monday."];

/// A folder with two articles that differ only in a spelling no built-in data knows.
fn articles() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), TBILISI[0]).unwrap();
    std::fs::write(dir.path().join("b.txt"), TBILISI[1]).unwrap();
    dir
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = factdiff().current_dir(dir).args(args).output().unwrap();
    let s = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap(), s(out.stdout), s(out.stderr))
}

fn rules_found(json: &str) -> Vec<String> {
    let r: Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    findings(&r)
        .iter()
        .map(|f| format!("{} {}", f["rule"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect()
}

const ALIAS: &str = "[[alias]]\nnames = [\"Tbilisi\", \"Tiflis\"]\nspelling = true\n";

#[test]
fn config_is_found_walking_up_and_its_keys_apply() {
    let dir = articles();
    let root = dir.path();
    let deep = root.join("desk/politics");
    std::fs::create_dir_all(&deep).unwrap();
    let check = ["check", "../../a.txt", "../../b.txt", "--format", "json"];
    let (code, out, _) = run(&deep, &check);
    assert_eq!((code, rules_found(&out)), (0, vec![]), "no config: no alias, nothing to find");

    std::fs::write(root.join(".factdiff.toml"), format!("fail-on = \"warning\"\n{ALIAS}")).unwrap();
    let (code, out, err) = run(&deep, &check);
    assert_eq!(rules_found(&out), ["name-variant warning"], "{err}");
    assert_eq!(code, 1, "the config's fail-on");

    // factdiff.toml wins over .factdiff.toml in one folder; a nearer folder wins over both.
    std::fs::write(root.join("factdiff.toml"), format!("[severity]\nname-variant = \"info\"\n{ALIAS}")).unwrap();
    let (code, out, _) = run(&deep, &check);
    assert_eq!((code, rules_found(&out)), (0, vec!["name-variant info".to_string()]));
    std::fs::write(deep.join("factdiff.toml"), "ignore = [\"name-variant\"]\n").unwrap();
    let (_, out, _) = run(&deep, &check);
    assert!(rules_found(&out).is_empty());

    // Flags win over the file; --isolated reads none; --config names one.
    let (code, out, _) = run(root, &["check", "a.txt", "b.txt", "--format", "json", "--fail-on", "info"]);
    assert_eq!((code, rules_found(&out)), (1, vec!["name-variant info".to_string()]));
    let (code, out, _) = run(root, &["check", "a.txt", "b.txt", "--format", "json", "--isolated"]);
    assert_eq!((code, rules_found(&out)), (0, vec![]));
    let (_, out, _) =
        run(&deep, &["check", "../../a.txt", "../../b.txt", "--format", "json", "--config", "../../.factdiff.toml"]);
    assert_eq!(rules_found(&out), ["name-variant warning"]);
    let (code, _, err) = run(root, &["check", "a.txt", "--isolated", "--config", "factdiff.toml"]);
    assert_eq!(code, 2, "--isolated and --config exclude each other");
    assert!(err.contains("cannot be used with"), "{err}");
}

#[test]
fn select_ignore_and_flags_combine() {
    let dir = articles();
    let d = dir.path();
    std::fs::write(d.join("factdiff.toml"), format!("select = [\"quote-drift\"]\n{ALIAS}")).unwrap();
    let args = ["check", "a.txt", "b.txt", "--format", "json"];
    assert!(rules_found(&run(d, &args).1).is_empty(), "config select leaves name-variant out");
    let (_, out, _) = run(d, &[&args[..], &["--select", "name-variant"]].concat());
    assert_eq!(rules_found(&out), ["name-variant warning"], "--select replaces the config's select");
    std::fs::write(d.join("factdiff.toml"), format!("ignore = [\"quote-drift\"]\n{ALIAS}")).unwrap();
    let (_, out, _) = run(d, &[&args[..], &["--ignore", "name-variant"]].concat());
    assert!(rules_found(&out).is_empty(), "--ignore adds to the config's ignore");
}

#[test]
fn jsonl_field_names_come_from_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let lines: Vec<String> = TBILISI
        .iter()
        .enumerate()
        .map(|(i, t)| serde_json::json!({"slug": format!("story-{i}"), "content": t}).to_string())
        .collect();
    std::fs::write(d.join("wire.jsonl"), lines.join("\n") + "\n").unwrap();
    let (code, _, err) = run(d, &["check", "wire.jsonl", "--format", "json"]);
    assert_eq!(code, 2);
    assert!(err.contains("wire.jsonl:1: no body: none of the fields `body`, `text` is present"), "{err}");
    std::fs::write(d.join("factdiff.toml"), format!("[fields]\nid = \"slug\"\nbody = [\"content\"]\n{ALIAS}")).unwrap();
    let (code, out, err) = run(d, &["check", "wire.jsonl", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let r: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(r["documents"][1]["id"], "story-1");
    assert_eq!(rules_found(&out), ["name-variant warning"]);
}

#[test]
fn config_errors_name_the_file_line_and_key() {
    let dir = articles();
    let d = dir.path();
    let cases = [
        ("fail-on = \"error\"\ncolour = \"red\"\n", "factdiff.toml:2:1: unknown field `colour`, expected one of"),
        ("fail-on = \"sometimes\"\n", "factdiff.toml:1:11: `fail-on`: unknown variant `sometimes`"),
        ("[fields]\nbdy = [\"x\"]\n", "factdiff.toml:2:1: `fields.bdy`: unknown field `bdy`"),
        (
            "[severity]\nquote-drfit = \"info\"\n",
            "factdiff.toml:2:1: `severity.quote-drfit`: unknown rule `quote-drfit`",
        ),
        (
            "select = [\"quote-drift\", \"number-mismatch\", \"nope\"]\n",
            "factdiff.toml:1:45: `select`: unknown rule `nope`",
        ),
        (
            "rule-packs = \"house.toml\"\n",
            "factdiff.toml:1:14: `rule-packs`: invalid type: string \"house.toml\", expected a sequence",
        ),
        ("select = [\n", "factdiff.toml:1:11: `select`: unclosed array"),
    ];
    for (text, want) in cases {
        std::fs::write(d.join("factdiff.toml"), text).unwrap();
        for cmd in [&["check", "a.txt", "b.txt"][..], &["config"][..]] {
            let (code, out, err) = run(d, cmd);
            assert_eq!(code, 2, "{cmd:?} with {text:?}");
            assert_eq!(out, "", "no report on a config error");
            assert!(err.starts_with(&format!("factdiff: error: {want}")), "{cmd:?} with {text:?}:\n{err}");
            assert!(!err.contains("panicked"));
        }
    }
}

#[test]
fn malformed_rule_packs_are_named_with_path_and_key() {
    let dir = articles();
    let d = dir.path();
    std::fs::create_dir(d.join("style")).unwrap();
    std::fs::write(d.join("factdiff.toml"), "rule-packs = [\"style/house.toml\"]\n").unwrap();
    let cases = [
        (
            "[[house-spelling]]\nright = \"Kyiv\"\nwrong = [\"Kiev\"]\nnote = \"x\"\n",
            "style/house.toml:4:1: `house-spelling.note`: unknown field `note`",
        ),
        ("[[banned]]\nphrases = [\"sources say\"]\n", "style/house.toml:1:1: `banned`: missing field `message`"),
        (
            "[[house-spelling]]\nright = \"Kyiv\"\nwrong = []\n",
            "style/house.toml: `house-spelling[0].wrong`: no spelling to correct",
        ),
        (
            "[[hedge]]\nkind = \"maybe\"\nphrases = [\"x\"]\n",
            "style/house.toml:2:8: `hedge.kind`: unknown variant `maybe`",
        ),
    ];
    for (text, want) in cases {
        std::fs::write(d.join("style/house.toml"), text).unwrap();
        for cmd in [&["check", "a.txt", "b.txt"][..], &["config"][..]] {
            let (code, out, err) = run(d, cmd);
            assert_eq!((code, out.as_str()), (2, ""), "{cmd:?} with {text:?}: {err}");
            assert!(err.starts_with(&format!("factdiff: error: {want}")), "{cmd:?} with {text:?}:\n{err}");
        }
        let (code, _, err) = run(d, &["rules", "test", "style/house.toml"]);
        assert_eq!(code, 2);
        assert!(err.contains(want), "rules test: {err}");
    }
    std::fs::remove_file(d.join("style/house.toml")).unwrap();
    let (code, _, err) = run(d, &["check", "a.txt", "b.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("style/house.toml"), "{err}");
}

#[test]
fn config_command_prints_what_is_in_force() {
    let out = factdiff().current_dir("examples/ci").arg("config").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("config_examples_ci", String::from_utf8(out.stdout).unwrap());

    let dir = articles();
    let deep = dir.path().join("desk");
    std::fs::create_dir(&deep).unwrap();
    std::fs::write(dir.path().join("house.toml"), "").unwrap();
    std::fs::write(dir.path().join("factdiff.toml"), "rule-packs = [\"house.toml\"]\nbaseline = \"accepted.json\"\n")
        .unwrap();
    let (code, out, _) = run(&deep, &["config"]);
    assert_eq!(code, 0);
    let first = out.lines().next().unwrap();
    assert_eq!(first, "# from ../factdiff.toml");
    assert!(out.contains("rule-packs = [\"../house.toml\"]\n"), "paths resolved against the file: {out}");
    assert!(out.contains("baseline = \"../accepted.json\"\n"), "{out}");
    assert!(out.contains("fail-on = \"error\"\n"), "defaults shown: {out}");
    let (_, out, _) = run(&deep, &["config", "--isolated"]);
    assert!(out.starts_with("# --isolated: built-in defaults\n"), "{out}");
    assert!(!out.contains("house.toml"));
}
