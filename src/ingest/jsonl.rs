//! JSON Lines: one article a line. Field names are configurable, so the record is read by a
//! hand-made visitor that keeps the wanted fields and skips the rest without building them.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use super::{Document, FieldNames, Format, InputError, Meta};

/// The fields of one record that factdiff uses.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Record {
    pub id: Option<String>,
    pub body: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub event: Option<String>,
}

/// Turns lines of one JSON Lines input into documents.
pub struct JsonlReader<'a> {
    path: &'a str,
    fields: &'a FieldNames,
}

impl<'a> JsonlReader<'a> {
    pub fn new(path: &'a str, fields: &'a FieldNames) -> Self {
        JsonlReader { path, fields }
    }

    /// `Ok(None)` for a blank line; an error names the line and what is wrong with it.
    pub fn read_line(&self, line: &str, line_no: usize) -> Result<Option<Document>, InputError> {
        self.read_bytes(line.as_bytes(), line_no)
    }

    /// [`JsonlReader::read_line`] on bytes not yet known to be UTF-8.
    pub fn read_bytes(&self, line: &[u8], line_no: usize) -> Result<Option<Document>, InputError> {
        let trimmed = line.trim_ascii();
        if trimmed.is_empty() {
            return Ok(None);
        }
        let rec =
            parse_record(trimmed, self.fields).map_err(|reason| InputError::record(self.path, line_no, reason))?;
        let doc = record_to_document(rec, self.path, line_no, self.fields)
            .map_err(|reason| InputError::record(self.path, line_no, reason))?;
        Ok(Some(doc))
    }
}

/// Checks a parsed record and makes it a document.
pub fn record_to_document(rec: Record, path: &str, line_no: usize, fields: &FieldNames) -> Result<Document, String> {
    let Some(body) = rec.body else {
        return Err(format!("no body: none of the fields {} is present", quote_list(&fields.body)));
    };
    if body.trim().is_empty() {
        return Err("empty article: the body has no text".to_string());
    }
    let id = rec.id.unwrap_or_else(|| format!("line{line_no}"));
    let mut doc = Document::plain(id, path, Format::Jsonl, body);
    doc.record_line = Some(line_no);
    doc.meta = Meta { title: rec.title, date: rec.date, source: rec.source, event: rec.event };
    Ok(doc)
}

fn quote_list(names: &[String]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

/// Parses one line. Errors are short and say what is wrong ("line is not JSON: EOF while
/// parsing a string at column 80", "field `body` is a number, expected a string").
pub fn parse_record(line: &[u8], fields: &FieldNames) -> Result<Record, String> {
    let mut de = serde_json::Deserializer::from_slice(line);
    let rec = RecordSeed { fields }.deserialize(&mut de).map_err(|e| describe(&e))?;
    de.end().map_err(|e| format!("text after the JSON object: {e}"))?;
    Ok(rec)
}

fn describe(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Data => strip_position(&e.to_string()),
        Category::Eof => format!("line is not complete JSON: {}", strip_position(&e.to_string())),
        _ => format!("line is not JSON: {e}"),
    }
}

/// serde_json appends "at line 1 column N"; for one-line records the column alone helps.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

struct RecordSeed<'f> {
    fields: &'f FieldNames,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Record;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Record, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = Record;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object, one article")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record, A::Error> {
        let f = self.fields;
        let mut rec = Record::default();
        // The first body field named in `fields.body` that is present wins.
        let mut body_rank = usize::MAX;
        while let Some(key) = map.next_key::<KeyStr<'de>>()? {
            let key = key.0.as_ref();
            if key == f.id {
                rec.id = map.next_value_seed(Scalar { field: key, allow_number: true })?;
            } else if let Some(rank) = f.body.iter().position(|b| b == key) {
                let v = map.next_value_seed(Scalar { field: key, allow_number: false })?;
                if rank < body_rank && v.is_some() {
                    body_rank = rank;
                    rec.body = v;
                }
            } else if key == f.title {
                rec.title = map.next_value_seed(Scalar { field: key, allow_number: false })?;
            } else if key == f.date {
                rec.date = map.next_value_seed(Scalar { field: key, allow_number: true })?;
            } else if key == f.source {
                rec.source = map.next_value_seed(Scalar { field: key, allow_number: false })?;
            } else if f.event.as_deref() == Some(key) {
                rec.event = map.next_value_seed(Scalar { field: key, allow_number: true })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(rec)
    }
}

/// A map key, borrowed when the JSON has no escapes in it.
struct KeyStr<'de>(std::borrow::Cow<'de, str>);

impl<'de> de::Deserialize<'de> for KeyStr<'de> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = KeyStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(KeyStr(v.into()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(KeyStr(v.to_string().into()))
            }
        }
        d.deserialize_str(V)
    }
}

/// A string field (or a number, for ids and dates); `null` is absence; anything else is
/// an error naming the field and the type found.
struct Scalar<'k> {
    field: &'k str,
    allow_number: bool,
}

impl<'de> DeserializeSeed<'de> for Scalar<'_> {
    type Value = Option<String>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Scalar<'_> {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.number(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.number(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.number(v.to_string())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Err(self.wrong("a boolean"))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(self.wrong("an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(self.wrong("an object"))
    }
}

impl Scalar<'_> {
    fn number<E: de::Error>(self, s: String) -> Result<Option<String>, E> {
        if self.allow_number { Ok(Some(s)) } else { Err(self.wrong("a number")) }
    }

    fn wrong<E: de::Error>(&self, found: &str) -> E {
        E::custom(format!("field `{}` is {found}, expected a string", self.field))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> Result<Option<Document>, InputError> {
        let fields = FieldNames::default();
        JsonlReader::new("a.jsonl", &fields).read_line(line, 7)
    }

    #[test]
    fn reads_fields_and_ignores_others() {
        let doc =
            read(r#"{"id": 12, "extra": [1, {"x": 2}], "body": "Text here.", "date": "2024-11-11", "source": "PA"}"#)
                .unwrap()
                .unwrap();
        assert_eq!(doc.id, "12");
        assert_eq!(doc.text, "Text here.");
        assert_eq!(doc.meta.date.as_deref(), Some("2024-11-11"));
        assert_eq!(doc.meta.source.as_deref(), Some("PA"));
        assert_eq!(doc.record_line, Some(7));
    }

    #[test]
    fn text_is_a_body_when_body_is_absent() {
        let doc = read(r#"{"id": "x", "text": "Fallback body."}"#).unwrap().unwrap();
        assert_eq!(doc.text, "Fallback body.");
    }

    #[test]
    fn errors_name_the_line_and_problem() {
        let e = read(r#"{"id": "x", "body": 5}"#).unwrap_err();
        assert_eq!(e.line, Some(7));
        assert_eq!(e.reason, "field `body` is a number, expected a string");
        let e = read(r#"{"id": "x", "body": "unterminated"#).unwrap_err();
        assert!(e.reason.starts_with("line is not complete JSON"), "{}", e.reason);
        let e = read(r#"{"id": "x"}"#).unwrap_err();
        assert!(e.reason.starts_with("no body"), "{}", e.reason);
        let e = read(r#"{"id": "x", "body": "  "}"#).unwrap_err();
        assert!(e.reason.starts_with("empty article"), "{}", e.reason);
        let e = read(r#"[1, 2]"#).unwrap_err();
        assert!(e.reason.contains("expected a JSON object"), "{}", e.reason);
        assert!(read("   ").unwrap().is_none());
    }
}
