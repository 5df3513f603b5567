//! The HTML report in a real browser: headless Chromium opens the check view of the Paris
//! articles and the batch view of the ECB+ sample, and we assert what a reader would see —
//! no script errors, no fetch of anything, the expected parts visible, filters and sorting
//! working, the side-by-side layout kept in print — and keep screenshots under
//! `target/screenshots/`.
//!
//! Chromium is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`:
//! JSON messages ended by NUL on file descriptors 3 and 4), so the test needs no driver
//! and no network port. Without a Chromium (Debian's `chromium` package; `.ci/run` installs
//! it) the tests say so and pass, unless `FACTDIFF_REQUIRE_BROWSER` is set, as in CI.

mod common;

use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};

/// How long one protocol call may take before the test gives up.
const TIMEOUT: Duration = Duration::from_secs(60);

fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("FACTDIFF_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// A headless Chromium with one page attached.
struct Browser {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
    session: String,
    /// Protocol events seen so far (console messages, exceptions, requests...).
    events: Vec<Value>,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium, or says why the test is skipped.
    fn launch(test: &str) -> Option<Browser> {
        let Some(chromium) = find_chromium() else {
            if std::env::var_os("FACTDIFF_REQUIRE_BROWSER").is_some() {
                panic!("{test}: no Chromium found and FACTDIFF_REQUIRE_BROWSER is set");
            }
            eprintln!("{test}: skipped: no Chromium found (install Debian's `chromium` package, as .ci/run does)");
            return None;
        };
        let profile = tempfile::tempdir().expect("profile folder");
        // The shell hands our pipes to Chromium as descriptors 3 (commands) and 4 (replies).
        let mut child = Command::new("sh")
            .arg("-c")
            .arg("exec \"$0\" \"$@\" 3<&0 4>&1 0</dev/null 1>/dev/null")
            .arg(&chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--remote-debugging-pipe",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Chromium starts");
        let input = child.stdin.take().expect("pipe");
        let output = child.stdout.take().expect("pipe");
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let mut reader = BufReader::new(output);
            let mut chunk = [0u8; 64 * 1024];
            while let Ok(n) = reader.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
                while let Some(end) = buf.iter().position(|&b| b == 0) {
                    let msg: Vec<u8> = buf.drain(..=end).collect();
                    if let Ok(v) = serde_json::from_slice::<Value>(&msg[..msg.len() - 1])
                        && tx.send(v).is_err()
                    {
                        return;
                    }
                }
            }
        });
        let mut b = Browser {
            child,
            input,
            messages,
            next_id: 0,
            session: String::new(),
            events: Vec::new(),
            _profile: profile,
        };
        let target = b.call("Target.createTarget", json!({"url": "about:blank"}));
        let target = target["targetId"].as_str().expect("a target id").to_string();
        let attached = b.call("Target.attachToTarget", json!({"targetId": target, "flatten": true}));
        b.session = attached["sessionId"].as_str().expect("a session id").to_string();
        for domain in ["Page", "Runtime", "Log", "Network"] {
            b.call(&format!("{domain}.enable"), json!({}));
        }
        Some(b)
    }

    /// Sends a command (to the page once attached) and waits for its reply.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            msg["sessionId"] = json!(self.session);
        }
        let mut bytes = serde_json::to_vec(&msg).unwrap();
        bytes.push(0);
        self.input.write_all(&bytes).and_then(|_| self.input.flush()).expect("Chromium reads commands");
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(v) if v["id"] == id => {
                    assert!(v.get("error").is_none(), "{method} failed: {}", v["error"]);
                    return v["result"].clone();
                }
                Ok(v) => self.events.push(v),
                Err(RecvTimeoutError::Timeout) => panic!("no reply to {method} in {TIMEOUT:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("Chromium exited during {method}"),
            }
        }
    }

    /// Waits for a protocol event; true when it came.
    fn wait_for(&mut self, method: &str) -> bool {
        if let Some(i) = self.events.iter().position(|e| e["method"] == method) {
            self.events.remove(i);
            return true;
        }
        let deadline = Instant::now() + TIMEOUT;
        while let Ok(v) = self.messages.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            if v["method"] == method {
                return true;
            }
            self.events.push(v);
        }
        false
    }

    /// Opens a file and waits until it has loaded (and its script run).
    fn open(&mut self, path: &Path) {
        let url = format!("file://{}", path.canonicalize().expect("report written").display());
        self.call("Page.navigate", json!({"url": url}));
        assert!(self.wait_for("Page.loadEventFired"), "{url} did not load");
    }

    /// The value of a JavaScript expression in the page.
    fn eval(&mut self, expr: &str) -> Value {
        let r = self.call("Runtime.evaluate", json!({"expression": expr, "returnByValue": true, "awaitPromise": true}));
        assert!(r.get("exceptionDetails").is_none(), "{expr}: {}", r["exceptionDetails"]);
        r["result"]["value"].clone()
    }

    fn screenshot(&mut self, to: &Path) {
        let r = self.call("Page.captureScreenshot", json!({"format": "png"}));
        let png = base64_decode(r["data"].as_str().expect("image data"));
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, png).unwrap();
    }

    /// Console errors, uncaught exceptions and failed loads seen so far, and every request
    /// for something other than the report itself.
    fn problems(&mut self) -> Vec<String> {
        // Let late messages arrive.
        while let Ok(v) = self.messages.recv_timeout(Duration::from_millis(200)) {
            self.events.push(v);
        }
        let mut out = Vec::new();
        for e in &self.events {
            let p = &e["params"];
            match e["method"].as_str().unwrap_or("") {
                "Runtime.exceptionThrown" => out.push(format!("exception: {}", p["exceptionDetails"])),
                "Runtime.consoleAPICalled" if matches!(p["type"].as_str(), Some("error" | "assert" | "warning")) => {
                    out.push(format!("console {}: {}", p["type"], p["args"]))
                }
                "Log.entryAdded" if matches!(p["entry"]["level"].as_str(), Some("error" | "warning")) => {
                    out.push(format!("log: {}", p["entry"]["text"]))
                }
                "Network.requestWillBeSent" => {
                    let url = p["request"]["url"].as_str().unwrap_or("");
                    if !url.starts_with("file://") && !url.starts_with("about:") {
                        out.push(format!("request: {url}"));
                    }
                }
                "Network.loadingFailed" => out.push(format!("failed load: {p}")),
                _ => {}
            }
        }
        out
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in s.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// Where reports and screenshots go: beside the build, under `target/`.
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("target folder").to_path_buf()
}

fn write_report(args: &[&str], name: &str) -> PathBuf {
    let dir = target_dir().join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let out = factdiff().args(args).args(["--format", "html", "-o"]).arg(&path).output().unwrap();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
    path
}

/// JavaScript: whether each selector matches an element a reader can see.
const VISIBLE: &str = "(sels) => Object.fromEntries(sels.map(s => { const e = document.querySelector(s); \
     return [s, !!e && e.checkVisibility() && e.getBoundingClientRect().width > 0]; }))";

fn visible(b: &mut Browser, selectors: &[&str]) {
    let seen = b.eval(&format!("({VISIBLE})({})", json!(selectors)));
    for s in selectors {
        assert_eq!(seen[s], true, "{s} not visible: {seen}");
    }
}

#[test]
fn check_view_in_chromium() {
    let Some(mut b) = Browser::launch("check_view_in_chromium") else { return };
    let (_, json_report) = check_json(&PARIS, &[]);
    let page = write_report(&["check", PARIS[0], PARIS[1], PARIS[2]], "check.html");
    b.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 1400, "height": 1000, "deviceScaleFactor": 1, "mobile": false}),
    );
    b.open(&page);

    visible(&mut b, &["h1", "table.findings", "table.sbs", ".legend", "#filters", "mark.ev", ".chg", "a.tag"]);
    // Every finding of the JSON report is a row; every link to evidence lands somewhere.
    let rows = b.eval("document.querySelectorAll('table.findings tr.finding').length");
    assert_eq!(rows, json!(findings(&json_report).len()));
    let dangling = b.eval(
        "[...document.querySelectorAll('a[href^=\"#\"]')].map(a => a.getAttribute('href').slice(1)) \
         .filter(id => !document.getElementById(id))",
    );
    assert_eq!(dangling, json!([]), "links to nothing");
    // The filters, shown by the script, hide a rule's findings and unmark its evidence.
    let filtered = b.eval(
        "(() => { const box = document.querySelector('#filters input[value=\"quote-drift\"]'); box.click(); \
         const r = { hidden: document.querySelectorAll('tr.finding[hidden]').length, \
                     off: document.querySelectorAll('mark.ev.r-quote-drift:not(.off)').length, \
                     status: document.getElementById('filter-status').textContent }; \
         box.click(); r.after = document.querySelectorAll('tr.finding[hidden]').length; return r; })()",
    );
    let drifts = find(&json_report, "quote-drift", &[]).len();
    assert_eq!(filtered["hidden"], json!(drifts), "{filtered}");
    assert_eq!(filtered["off"], json!(0), "{filtered}");
    assert_eq!(filtered["after"], json!(0), "{filtered}");
    let total = findings(&json_report).len();
    assert_eq!(filtered["status"], json!(format!("Showing {} of {total} findings.", total - drifts)));
    // Controls are reachable from the keyboard.
    let unreachable =
        b.eval("[...document.querySelectorAll('input, button, a[href]')].filter(e => e.tabIndex < 0).length");
    assert_eq!(unreachable, json!(0));
    // The pair “in one day” / “within a day” stands in one row, its changed words marked.
    let row = b.eval(
        "(() => { const tr = [...document.querySelectorAll('table.sbs tr')].find(tr => \
           [...tr.querySelectorAll('.chg')].some(c => c.textContent === 'within a')); \
         return tr ? [...tr.querySelectorAll('.chg')].map(c => c.textContent) : null; })()",
    );
    let changed: Vec<&str> =
        row.as_array().expect("a row with “within a” marked").iter().filter_map(Value::as_str).collect();
    assert!(changed.contains(&"in one"), "{changed:?}");

    // Print keeps the articles side by side: the cells of a row share a line.
    b.call("Emulation.setEmulatedMedia", json!({"media": "print"}));
    let side = b.eval(
        "(() => { const tr = [...document.querySelectorAll('table.sbs tbody tr')].find(tr => \
           tr.querySelectorAll('td:not(.none)').length >= 2); const [x, y] = tr.querySelectorAll('td'); \
         const a = x.getBoundingClientRect(), c = y.getBoundingClientRect(); \
         return { sameTop: Math.abs(a.top - c.top) < 1, rightOf: c.left >= a.right - 1, \
                  filters: getComputedStyle(document.getElementById('filters')).display }; })()",
    );
    assert_eq!(side, json!({"sameTop": true, "rightOf": true, "filters": "none"}));
    b.call("Emulation.setEmulatedMedia", json!({"media": ""}));

    let shots = target_dir().join("screenshots");
    b.screenshot(&shots.join("check.png"));
    // The row of the first finding's evidence, in the middle of the screen.
    b.eval("document.getElementById('f1-e1').closest('tr').scrollIntoView({block: 'center'})");
    b.screenshot(&shots.join("check-articles.png"));

    // Without scripts the page is whole: findings and articles, no inert controls.
    b.call("Emulation.setScriptExecutionDisabled", json!({"value": true}));
    b.open(&page);
    visible(&mut b, &["table.findings", "table.sbs", "mark.ev", ".chg", ".legend"]);
    let inert = b.eval(
        "({ filters: document.getElementById('filters').checkVisibility(), \
                         ran: document.getElementById('filter-status').textContent })",
    );
    assert_eq!(inert, json!({"filters": false, "ran": ""}), "the script did not run, so its controls stay hidden");
    b.call("Emulation.setScriptExecutionDisabled", json!({"value": false}));
    let problems = b.problems();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn batch_view_in_chromium() {
    let Some(mut b) = Browser::launch("batch_view_in_chromium") else { return };
    let archive = "fixtures/ecbplus/archive.jsonl";
    let out = factdiff().args(["batch", archive, "--format", "json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let summary = &report["summary"];
    let page = write_report(&["batch", archive], "batch.html");
    b.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 1400, "height": 1100, "deviceScaleFactor": 1, "mobile": false}),
    );
    b.open(&page);

    visible(&mut b, &["h1", "table.summary", "figure.chart svg", "table.events", "#filters", ".legend"]);
    let counts = b.eval(
        "({ rows: document.querySelectorAll('tr.event-row').length, \
            views: document.querySelectorAll('details.event').length, \
            bars: document.querySelectorAll('figure.chart rect').length })",
    );
    let rules = summary["by_rule"].as_object().unwrap().len();
    assert_eq!(counts, json!({"rows": summary["events"], "views": summary["checked_events"], "bars": rules}));

    // Sorting by findings: largest first, and the header says so.
    let sorted = b.eval(
        "(() => { const th = [...document.querySelectorAll('table.events th')].find(t => t.textContent.trim() === 'findings'); \
         th.querySelector('button').click(); \
         const n = [...document.querySelectorAll('tr.event-row')].map(tr => Number(tr.lastElementChild.textContent)); \
         return { order: n, sort: th.getAttribute('aria-sort') }; })()",
    );
    let order: Vec<u64> = sorted["order"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] >= w[1]), "{order:?}");
    assert_eq!(sorted["sort"], "descending");

    let shots = target_dir().join("screenshots");
    b.screenshot(&shots.join("batch.png"));

    // The first row's link opens that event's view.
    let opened = b.eval(
        "new Promise(done => { const a = document.querySelector('tr.event-row th a'); a.click(); \
         setTimeout(() => { const d = document.getElementById(a.getAttribute('href').slice(1)); \
           done({ open: d.open, sbs: d.querySelector('table.sbs').checkVisibility() }); }, 200); })",
    );
    assert_eq!(opened, json!({"open": true, "sbs": true}));
    b.screenshot(&shots.join("batch-event.png"));

    // Without scripts: every row, no sort buttons, event views closed but there to open.
    b.call("Emulation.setScriptExecutionDisabled", json!({"value": true}));
    b.open(&page);
    let plain = b.eval(
        "({ rows: [...document.querySelectorAll('tr.event-row')].filter(r => r.checkVisibility()).length, \
            buttons: document.querySelectorAll('table.events button').length, \
            closed: [...document.querySelectorAll('details.event')].every(d => !d.open) })",
    );
    assert_eq!(plain, json!({"rows": summary["events"], "buttons": 0, "closed": true}));
    b.call("Emulation.setScriptExecutionDisabled", json!({"value": false}));
    let problems = b.problems();
    assert!(problems.is_empty(), "{problems:#?}");
}
