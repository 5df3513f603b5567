//! JSON Lines archives, streamed: read in large chunks, each chunk's lines parsed in
//! parallel and handed on in order. An archive never has to fit in memory as bytes, and
//! one bad line (broken JSON, not UTF-8, no body) is one skipped record, never the file.

use std::io::{self, Read};

use rayon::prelude::*;

use super::{Document, FieldNames, InputError, JsonlReader};

/// Bytes read at a time; lines are cut at the last newline of each chunk.
const CHUNK: usize = 8 << 20;

/// Reads `reader` as JSON Lines, calling `sink` with each record's document or the
/// reason it was skipped, in file order. Returns the bytes read.
pub fn read_jsonl(
    mut reader: impl Read,
    path: &str,
    fields: &FieldNames,
    mut sink: impl FnMut(Result<Document, InputError>),
) -> io::Result<u64> {
    let parser = JsonlReader::new(path, fields);
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK + (1 << 16));
    let mut total = 0u64;
    let mut first_line = 1usize;
    let mut eof = false;
    while !eof {
        // Up to CHUNK more bytes after what was carried over (no zero-filling of the
        // buffer: `read_to_end` reads into its spare capacity).
        let start = buf.len();
        // `read_to_end` reads until the limit or the end: fewer bytes means the end.
        let got = (&mut reader).take(CHUNK as u64).read_to_end(&mut buf)?;
        eof = got < CHUNK;
        total += (buf.len() - start) as u64;
        let cut = if eof { buf.len() } else { memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1) };
        if cut == 0 && !eof {
            // One line longer than a chunk: keep reading until it ends.
            continue;
        }
        let mut lines: Vec<(usize, &[u8])> = Vec::new();
        let mut line_no = first_line;
        let mut at = 0;
        for nl in memchr::memchr_iter(b'\n', &buf[..cut]) {
            lines.push((line_no, &buf[at..nl]));
            line_no += 1;
            at = nl + 1;
        }
        if at < cut {
            lines.push((line_no, &buf[at..cut]));
            line_no += 1;
        }
        let parsed: Vec<Result<Option<Document>, InputError>> = lines
            .par_iter()
            .map(|&(n, bytes)| match std::str::from_utf8(bytes) {
                Ok(line) => parser.read_line(line, n),
                Err(e) => Err(InputError::record(
                    path,
                    n,
                    format!("not valid UTF-8 (byte {} of the line)", e.valid_up_to() + 1),
                )),
            })
            .collect();
        for r in parsed {
            match r {
                Ok(Some(doc)) => sink(Ok(doc)),
                Ok(None) => {}
                Err(e) => sink(Err(e)),
            }
        }
        first_line = line_no;
        buf.drain(..cut);
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_and_skips_come_in_order_with_line_numbers() {
        let data = b"{\"id\":\"a\",\"body\":\"One.\"}\n\n{\"id\":\"b\",\"body\":\"Caf\xe9\"}\n{\"id\":\"c\",\"body\":\"Three.\"}".to_vec();
        let mut seen = Vec::new();
        let n = read_jsonl(&data[..], "x.jsonl", &FieldNames::default(), |r| {
            seen.push(match r {
                Ok(d) => format!("{}@{}", d.id, d.record_line.unwrap_or(0)),
                Err(e) => format!("skip@{}", e.line.unwrap_or(0)),
            })
        })
        .unwrap();
        assert_eq!(n, data.len() as u64);
        assert_eq!(seen, ["a@1", "skip@3", "c@4"]);
    }
}
