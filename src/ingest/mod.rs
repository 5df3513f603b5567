//! Ingest: turn files, folders' files and standard input into [`Document`]s.
//!
//! One front-end per format (plain text, Markdown, HTML, JSON Lines). Each yields the text
//! the pipeline reads plus a [`SourceMap`] back to the bytes of the file, so every later
//! finding can name a line and column in what the user wrote. Nothing here panics on bad
//! input: a file that cannot be read, is binary, is not UTF-8, or a JSON Lines record that
//! is broken becomes an [`InputError`] and the other inputs go on.

mod html;
mod jsonl;
mod markdown;
pub mod stream;
pub mod walk;

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::text::SourceMap;

pub use jsonl::{JsonlReader, Record, parse_record};

/// Where a document's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
    Html,
    Jsonl,
}

impl Format {
    /// The format a file name implies, if its extension is one we know.
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Text,
            "md" | "markdown" | "mdown" | "mkd" => Format::Markdown,
            "html" | "htm" | "xhtml" => Format::Html,
            "jsonl" | "ndjson" | "jsonlines" => Format::Jsonl,
            _ => return None,
        })
    }

    /// Guesses the format of unnamed input (standard input, unknown extensions).
    pub fn sniff(text: &str) -> Format {
        let head = text.trim_start();
        let lower: String = head.chars().take(512).collect::<String>().to_ascii_lowercase();
        if head.starts_with('{') && head.lines().next().is_some_and(|l| l.trim_end().ends_with('}')) {
            Format::Jsonl
        } else if lower.starts_with("<!doctype html") || lower.starts_with("<html") || lower.contains("<body") {
            Format::Html
        } else {
            Format::Text
        }
    }
}

/// Metadata a document carries besides its text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    /// An existing event label (`batch --event-field`).
    pub event: Option<String>,
}

/// One article, as read.
#[derive(Debug, Clone)]
pub struct Document {
    /// File stem, or the JSON Lines `id`.
    pub id: String,
    /// The path as the user gave it (`-` for standard input).
    pub path: String,
    /// For a JSON Lines record, its 1-based line in the file.
    pub record_line: Option<usize>,
    pub format: Format,
    /// The text the pipeline reads.
    pub text: String,
    /// The source the text was extracted from, when it differs from `text`.
    source: Option<String>,
    pub map: SourceMap,
    pub meta: Meta,
    /// HTML comments of a Markdown or HTML file, where suppression comments live.
    pub comments: Vec<Comment>,
}

/// An HTML comment (`<!-- ... -->`) in a Markdown or HTML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// Offset in the document's text where the comment stood: text after it starts here.
    pub at: usize,
    /// Offset in the source of the `<!--`, for messages about the comment.
    pub source_at: usize,
    /// The words between `<!--` and `-->`, trimmed.
    pub body: String,
}

impl Document {
    /// A document whose text is its own source (plain text, JSON Lines bodies).
    pub fn plain(id: impl Into<String>, path: impl Into<String>, format: Format, text: String) -> Self {
        Document {
            id: id.into(),
            path: path.into(),
            record_line: None,
            format,
            text,
            source: None,
            map: SourceMap::identity(),
            meta: Meta::default(),
            comments: Vec::new(),
        }
    }

    /// The bytes the user wrote, which line and column numbers refer to.
    pub fn source(&self) -> &str {
        self.source.as_deref().unwrap_or(&self.text)
    }

    /// The offset in [`Document::source`] of an offset in the text. Separators the
    /// extraction added past the last run map to the end of the source.
    pub fn source_offset(&self, text_offset: usize) -> usize {
        self.map.to_source(text_offset).min(self.source().len())
    }
}

/// How the options of one run shape reading.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Forces a format instead of guessing from the extension.
    pub format: Option<Format>,
    pub fields: FieldNames,
}

/// Which JSON Lines fields hold what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct FieldNames {
    pub id: String,
    /// Tried in order; the first present is the body.
    pub body: Vec<String>,
    pub title: String,
    pub date: String,
    pub source: String,
    pub event: Option<String>,
}

impl Default for FieldNames {
    fn default() -> Self {
        FieldNames {
            id: "id".into(),
            body: vec!["body".into(), "text".into()],
            title: "title".into(),
            date: "date".into(),
            source: "source".into(),
            event: None,
        }
    }
}

/// What went wrong with one input or record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    /// The path as given.
    pub source: String,
    /// 1-based line, where known.
    pub line: Option<usize>,
    pub reason: String,
    /// True when the whole input could not be read (as opposed to one record skipped).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fatal: bool,
}

impl InputError {
    pub fn fatal(source: &str, reason: impl Into<String>) -> Self {
        InputError { source: source.to_string(), line: None, reason: reason.into(), fatal: true }
    }

    pub fn record(source: &str, line: usize, reason: impl Into<String>) -> Self {
        InputError { source: source.to_string(), line: Some(line), reason: reason.into(), fatal: false }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.source, line, self.reason),
            None => write!(f, "{}: {}", self.source, self.reason),
        }
    }
}

impl std::error::Error for InputError {}

/// An input named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Path(PathBuf),
    Stdin,
}

impl Input {
    pub fn parse(arg: &str) -> Input {
        if arg == "-" { Input::Stdin } else { Input::Path(PathBuf::from(arg)) }
    }

    pub fn display(&self) -> String {
        match self {
            Input::Path(p) => p.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }
}

/// Everything read from a list of inputs.
#[derive(Debug, Default)]
pub struct Loaded {
    pub documents: Vec<Document>,
    pub errors: Vec<InputError>,
}

/// Reads every input; problems are collected, never fatal to the others.
pub fn load_all(inputs: &[Input], opts: &IngestOptions) -> Loaded {
    let mut loaded = Loaded::default();
    for input in inputs {
        load_into(input, opts, &mut loaded);
    }
    loaded
}

/// Reads one input into `loaded`.
pub fn load_into(input: &Input, opts: &IngestOptions, loaded: &mut Loaded) {
    let shown = input.display();
    let bytes = match read_bytes(input) {
        Ok(b) => b,
        Err(e) => {
            loaded.errors.push(InputError::fatal(&shown, e));
            return;
        }
    };
    let text = match decode(&bytes) {
        Ok(t) => t,
        Err(reason) => {
            loaded.errors.push(InputError { line: reason.0, ..InputError::fatal(&shown, reason.1) });
            return;
        }
    };
    let format = opts
        .format
        .or_else(|| match input {
            Input::Path(p) => Format::from_path(p),
            Input::Stdin => None,
        })
        .unwrap_or_else(|| Format::sniff(&text));
    let stem = match input {
        Input::Path(p) => p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| shown.clone()),
        Input::Stdin => "stdin".to_string(),
    };
    match format {
        Format::Jsonl => {
            let reader = JsonlReader::new(&shown, &opts.fields);
            for (line_no, line) in text.split('\n').enumerate() {
                match reader.read_line(line, line_no + 1) {
                    Ok(Some(doc)) => loaded.documents.push(doc),
                    Ok(None) => {}
                    Err(e) => loaded.errors.push(e),
                }
            }
        }
        Format::Text => loaded.documents.push(Document::plain(stem, shown, Format::Text, text)),
        Format::Markdown => loaded.documents.push(markdown::read(stem, shown, text)),
        Format::Html => loaded.documents.push(html::read(stem, shown, text)),
    }
}

fn read_bytes(input: &Input) -> Result<Vec<u8>, String> {
    match input {
        Input::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf).map_err(|e| format!("cannot read standard input: {e}"))?;
            Ok(buf)
        }
        Input::Path(p) => {
            if p.is_dir() {
                return Err("is a folder; name the files in it (batch walks folders)".to_string());
            }
            std::fs::read(p).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ => format!("cannot read: {e}"),
            })
        }
    }
}

#[cfg(test)]
pub(crate) fn html_for_tests(source: &str) -> Document {
    html::read("t".into(), "t.html".into(), source.to_string())
}

#[cfg(test)]
pub(crate) fn markdown_for_tests(source: &str) -> Document {
    markdown::read("t".into(), "t.md".into(), source.to_string())
}

/// UTF-8 (a byte-order mark is dropped) or a clear refusal: text is never garbled silently.
/// The error carries the 1-based line of the first bad byte.
pub fn decode(bytes: &[u8]) -> Result<String, (Option<usize>, String)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let head = &bytes[..bytes.len().min(8192)];
    if let Some(at) = memchr::memchr(0, head) {
        let hint = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
            "UTF-16 text; convert it to UTF-8"
        } else {
            "binary file, not an article"
        };
        return Err((None, format!("{hint} (NUL byte at offset {at})")));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = memchr::memchr_iter(b'\n', &bytes[..at]).count() + 1;
            Err((
                Some(line),
                format!("not valid UTF-8 (byte 0x{:02X} at offset {at}); convert the file to UTF-8", bytes[at]),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_refuses_latin1_with_line() {
        let err = decode(b"line one\ncaf\xe9\n").unwrap_err();
        assert_eq!(err.0, Some(2));
        assert!(err.1.contains("not valid UTF-8"), "{}", err.1);
    }

    #[test]
    fn decode_refuses_binary_and_drops_bom() {
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0").unwrap_err().1.contains("binary"));
        assert_eq!(decode(b"\xEF\xBB\xBFhello").unwrap(), "hello");
    }

    #[test]
    fn sniff_guesses_formats() {
        assert_eq!(Format::sniff("{\"id\": 1}\n"), Format::Jsonl);
        assert_eq!(Format::sniff("<!DOCTYPE html><html>"), Format::Html);
        assert_eq!(Format::sniff("Plain words."), Format::Text);
    }
}
