//! JSON Lines (`.jsonl`, `.ndjson`): one listing object per line, read line by
//! line so that files of any size stream through a small buffer. Blank lines
//! are skipped; line numbers in errors count every line of the file. A line
//! longer than [`MAX_RECORD_BYTES`](crate::limits::MAX_RECORD_BYTES) is
//! refused after reading only that much of it.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::{file_len, json_message, LoadOptions, Sink};
use crate::catalog::Catalog;
use crate::error::{MiraError, RecordRef, Result};
use crate::listing::Property;

/// Load a JSON Lines file of listings.
pub fn load_jsonl(path: impl AsRef<Path>, options: LoadOptions<'_>) -> Result<Catalog> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|e| MiraError::io(path, e))?;
    let total = file_len(path)?;
    read(
        BufReader::with_capacity(1 << 16, file),
        &path.display().to_string(),
        total,
        options,
    )
}

/// Read JSON Lines from any buffered reader; `source` names it in errors.
///
/// ```
/// use agent_mira::catalog::loaders::{read_jsonl, LoadOptions};
/// let text = "{\"id\": 1, \"price\": 100}\n\n{\"id\": 2, \"price\": 200,}\n";
/// let err = read_jsonl(text.as_bytes(), "feed.jsonl", LoadOptions::new()).unwrap_err();
/// assert_eq!(err.to_string(), "feed.jsonl:3:24: trailing comma");
/// ```
pub fn read_jsonl(reader: impl BufRead, source: &str, options: LoadOptions<'_>) -> Result<Catalog> {
    read(reader, source, 0, options)
}

fn read(
    mut reader: impl BufRead,
    source: &str,
    total: u64,
    options: LoadOptions<'_>,
) -> Result<Catalog> {
    let (mut sink, _) = Sink::new(options, total);
    let year = sink.year();
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut bytes_read = 0u64;
    let mut records = 0u64;
    loop {
        let (n, too_long) = super::read_bounded_line(&mut reader, &mut buf)
            .map_err(|e| MiraError::io(source, e))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if too_long {
            return Err(super::record_too_long(source, line_no, "the line"));
        }
        bytes_read += n as u64;
        let text = std::str::from_utf8(&buf).map_err(|_| MiraError::Parse {
            source_name: source.to_string(),
            line: line_no,
            column: 0,
            message: "the line is not valid UTF-8".into(),
        })?;
        let mut line = text.trim_end_matches(['\n', '\r']);
        if line_no == 1 {
            line = line.strip_prefix('\u{feff}').unwrap_or(line);
        }
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| MiraError::Parse {
                source_name: source.to_string(),
                line: line_no,
                column: e.column() as u64,
                message: json_message(&e),
            })?;
        let record = RecordRef::Position {
            source: source.to_string(),
            line: line_no,
            column: 0,
        };
        let property = Property::from_json(value, &record, year)?;
        sink.push(property, record)?;
        records += 1;
        if records.is_multiple_of(super::PROGRESS_EVERY) {
            sink.progress(bytes_read);
        }
    }
    if total == 0 {
        // Unknown size (a reader): the final report says "all of it".
        sink.total_bytes = bytes_read;
    }
    sink.finish()
}
