//! JSON array files: `[ {listing}, {listing}, ... ]`.
//!
//! The file is read whole (a JSON array has no record boundaries a reader
//! could stream on without a full parser); each element is then parsed on its
//! own so that errors name the element's line and column. Use JSON Lines for
//! very large inputs.

use std::path::Path;

use serde_json::Value;

use super::{json_message, LoadOptions, Sink};
use crate::catalog::Catalog;
use crate::error::{MiraError, RecordRef, Result};
use crate::listing::Property;

/// Load a `.json` file holding an array of listing objects.
///
/// Each element is checked by [`Property::from_json`]; errors point at the
/// element as `file:line:column`. Malformed JSON is a [`MiraError::Parse`].
pub fn load_json(path: impl AsRef<Path>, options: LoadOptions<'_>) -> Result<Catalog> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidData => MiraError::Parse {
            source_name: path.display().to_string(),
            line: 1,
            column: 0,
            message: "the file is not valid UTF-8".into(),
        },
        _ => MiraError::io(path, e),
    })?;
    parse_json(&text, &path.display().to_string(), options)
}

/// Parse a JSON array of listings held in memory; `source` names it in errors.
///
/// ```
/// use agent_mira::catalog::loaders::{parse_json, LoadOptions};
/// let text = "[\n  {\"id\": 1, \"price\": 100},\n  {\"id\": 2, \"price\": -5}\n]";
/// let err = parse_json(text, "mem.json", LoadOptions::new()).unwrap_err();
/// assert_eq!(err.to_string(), "mem.json:3:3 (listing 2): field `price` = -5: expected a finite number > 0");
/// ```
pub fn parse_json(text: &str, source: &str, options: LoadOptions<'_>) -> Result<Catalog> {
    let (mut sink, _) = Sink::new(options, text.len() as u64);
    let year = sink.year();
    let mut count = 0u64;
    for_each_element(text, source, |value, line, column, end| {
        let record = RecordRef::Position {
            source: source.to_string(),
            line,
            column,
        };
        let property = Property::from_json(value, &record, year)?;
        sink.push(property, record)?;
        count += 1;
        if count.is_multiple_of(super::PROGRESS_EVERY) {
            sink.progress(end as u64);
        }
        Ok(())
    })?;
    sink.finish()
}

/// Turns byte offsets into 1-based line and column numbers, scanning forward
/// only (offsets must not decrease).
pub(crate) struct LineTracker<'t> {
    bytes: &'t [u8],
    scanned: usize,
    line: u64,
    line_start: usize,
}

impl<'t> LineTracker<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        LineTracker {
            bytes: text.as_bytes(),
            scanned: 0,
            line: 1,
            line_start: 0,
        }
    }

    /// Line and column (in bytes, 1-based) of offset `pos`.
    pub(crate) fn at(&mut self, pos: usize) -> (u64, u64) {
        while self.scanned < pos {
            if self.bytes[self.scanned] == b'\n' {
                self.line += 1;
                self.line_start = self.scanned + 1;
            }
            self.scanned += 1;
        }
        (self.line, (pos - self.line_start + 1) as u64)
    }
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while pos < bytes.len() && matches!(bytes[pos], b' ' | b'\t' | b'\n' | b'\r') {
        pos += 1;
    }
    pos
}

/// Walk the elements of the JSON array in `text`, calling
/// `f(element, line, column, end_offset)` for each. Syntax errors become
/// [`MiraError::Parse`] with the absolute line and column.
pub(crate) fn for_each_element(
    text: &str,
    source: &str,
    mut f: impl FnMut(Value, u64, u64, usize) -> Result<()>,
) -> Result<()> {
    let bytes = text.as_bytes();
    let mut lines = LineTracker::new(text);
    let parse_error = |lines: &mut LineTracker<'_>, pos: usize, message: String| {
        let (line, column) = lines.at(pos);
        MiraError::Parse {
            source_name: source.to_string(),
            line,
            column,
            message,
        }
    };
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut pos = skip_ws(bytes, start);
    if bytes.get(pos) != Some(&b'[') {
        return Err(parse_error(
            &mut lines,
            pos,
            "expected a JSON array of listings (`[ {...}, {...} ]`)".into(),
        ));
    }
    pos = skip_ws(bytes, pos + 1);
    if bytes.get(pos) == Some(&b']') {
        pos += 1;
    } else {
        loop {
            let (line, column) = lines.at(pos);
            let mut stream = serde_json::Deserializer::from_str(&text[pos..]).into_iter::<Value>();
            match stream.next() {
                Some(Ok(value)) => {
                    let end = pos + stream.byte_offset();
                    if end - pos > crate::limits::MAX_RECORD_BYTES {
                        return Err(MiraError::Parse {
                            source_name: source.to_string(),
                            line,
                            column,
                            message: format!(
                                "this listing is longer than {} bytes (limits::MAX_RECORD_BYTES)",
                                crate::limits::MAX_RECORD_BYTES
                            ),
                        });
                    }
                    f(value, line, column, end)?;
                    pos = skip_ws(bytes, end);
                }
                Some(Err(e)) => {
                    // serde_json counts from the start of the slice.
                    let (l, c) = (e.line() as u64, e.column() as u64);
                    let (line, column) = if l <= 1 {
                        (line, column + c.saturating_sub(1))
                    } else {
                        (line + l - 1, c)
                    };
                    return Err(MiraError::Parse {
                        source_name: source.to_string(),
                        line,
                        column,
                        message: json_message(&e),
                    });
                }
                None => {
                    return Err(parse_error(
                        &mut lines,
                        pos,
                        "unexpected end of input: the array is not closed".into(),
                    ))
                }
            }
            match bytes.get(pos) {
                Some(b',') => pos = skip_ws(bytes, pos + 1),
                Some(b']') => {
                    pos += 1;
                    break;
                }
                Some(_) => {
                    return Err(parse_error(
                        &mut lines,
                        pos,
                        "expected `,` or `]` after a listing".into(),
                    ))
                }
                None => {
                    return Err(parse_error(
                        &mut lines,
                        pos,
                        "unexpected end of input: the array is not closed".into(),
                    ))
                }
            }
        }
    }
    let pos = skip_ws(bytes, pos);
    if pos < bytes.len() {
        return Err(parse_error(
            &mut lines,
            pos,
            "unexpected text after the closing `]`".into(),
        ));
    }
    Ok(())
}

/// Build a catalog from listing objects already in memory (the rows of a
/// database query, a Python list of dicts, a JavaScript array). Errors name
/// the record by its position: `record #3 (listing 7): field …`.
///
/// ```
/// use agent_mira::catalog::loaders::{from_values, LoadOptions};
/// let rows = vec![serde_json::json!({"id": 1, "price": 100}), serde_json::json!({"id": 1, "price": 5})];
/// let err = from_values(rows, LoadOptions::new()).unwrap_err();
/// assert_eq!(err.to_string(), "record #1: duplicate id 1 (first seen at record #0)");
/// ```
pub fn from_values(
    values: impl IntoIterator<Item = Value>,
    options: LoadOptions<'_>,
) -> Result<Catalog> {
    let values = values.into_iter();
    let (mut sink, _) = Sink::new(options, values.size_hint().0 as u64);
    let year = sink.year();
    for (i, value) in values.enumerate() {
        let record = RecordRef::Index(i);
        let property = Property::from_json(value, &record, year)?;
        sink.push(property, record)?;
    }
    sink.finish()
}

/// Parse and validate listing objects (for [`Catalog::upsert`]); errors name
/// the record by position.
pub fn parse_records(
    values: impl IntoIterator<Item = Value>,
    current_year: i32,
) -> Result<Vec<Property>> {
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| Property::from_json(v, &RecordRef::Index(i), current_year))
        .collect()
}

impl Catalog {
    /// A catalog from listing objects in memory, with default settings;
    /// shorthand for [`from_values`].
    pub fn from_records(values: impl IntoIterator<Item = Value>) -> Result<Catalog> {
        from_values(values, LoadOptions::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positions(text: &str) -> Result<Vec<(u64, u64)>> {
        let mut out = Vec::new();
        for_each_element(text, "t.json", |_, l, c, _| {
            out.push((l, c));
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn elements_report_their_start() {
        assert_eq!(
            positions("[\n {\"a\":1},\n  {\"b\":2}, {}]").unwrap(),
            vec![(2, 2), (3, 3), (3, 12)]
        );
        assert_eq!(positions(" [ ] ").unwrap(), vec![]);
    }

    #[test]
    fn syntax_errors_have_absolute_positions() {
        let err = positions("[\n {\"a\":1},\n  {\"b\" 2}]").unwrap_err();
        assert_eq!(err.to_string(), "t.json:3:8: expected `:`");
        let err = positions("[{}").unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.json:1:4: unexpected end of input: the array is not closed"
        );
        let err = positions("{}").unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.json:1:1: expected a JSON array of listings (`[ {...}, {...} ]`)"
        );
        let err = positions("[{} {}]").unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.json:1:5: expected `,` or `]` after a listing"
        );
    }
}
