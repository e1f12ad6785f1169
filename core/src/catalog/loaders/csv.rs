//! CSV files, streamed row by row.
//!
//! The header row names the columns. Without a [`CsvMapping`] they must be
//! [`Property`] field names (`id`, `price`, `bedrooms`, …) or
//! `attributes.<key>`; `amenity:<name>` and `ignore` work as headers too.
//! Unknown columns are refused with a suggestion, naming the file and header.
//!
//! Cells:
//!
//! - surrounding spaces are trimmed; an empty cell means "missing";
//! - numeric fields parse the text (`"1"` quoted is fine), whole-number
//!   fields (`bedrooms`, `year_built`) accept `3` and `3.0` but not `2.5`;
//! - an `id` of digits without a leading zero becomes an integer id, anything
//!   else (`0123`, `kc-7`) stays a string, so the id comes back as written;
//! - `amenities` and `image_urls` split on `|` or `;` (`Pool|Garage`), or take
//!   a JSON array of strings; `[]` is a known, empty list;
//! - `embedding` takes a JSON array of numbers (`"[0.12, -0.5, 0.3]"`,
//!   quoted because of its commas) or numbers separated by whitespace
//!   and/or semicolons (`0.12 -0.5 0.3`, `0.12;-0.5;0.3`); a bad number is
//!   refused with its 0-based index (field `` `embedding[2]` ``);
//! - `attributes` takes a JSON object; an `attributes.<key>` cell becomes a
//!   JSON number when it is one (`7`, `1.5`, no leading zeros), `true`/`false`
//!   a boolean, anything else a string; explicit `attributes.<key>` columns
//!   win over keys of an `attributes` object;
//! - `amenity:<name>` cells are yes/no: `1`, `yes`, `true`, `y` or a
//!   positive number mean present; `0`, `no`, `false`, `n` or a number ≤ 0
//!   mean absent. Any non-empty amenity cell makes the listing's amenities
//!   known.
//!
//! Errors name the file, the line and the 1-based column:
//!
//! ```
//! use agent_mira::catalog::loaders::{read_csv, LoadOptions};
//! let text = "id,price,bedrooms,attributes.zip\n1,450000,3,98004\n2,380000,two,98101\n";
//! let err = read_csv(text.as_bytes(), "homes.csv", LoadOptions::new()).unwrap_err();
//! assert_eq!(err.to_string(), "homes.csv:3:3: field `bedrooms` = \"two\": expected a whole number ≥ 0");
//!
//! let text = "id,price,amenities,amenity:view\n1,450000,Pool|Garage,0\n2,380000,,yes\n";
//! let catalog = read_csv(text.as_bytes(), "homes.csv", LoadOptions::new()).unwrap();
//! assert_eq!(catalog.property(0).amenities, Some(vec!["Pool".into(), "Garage".into()]));
//! assert_eq!(catalog.property(1).amenities, Some(vec!["view".into()]));
//! ```

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use serde_json::{Map, Value};

use super::mapping::{parse_floor, DateFormat, IdSource};
use super::{file_len, relocate, ColumnTarget, CsvMapping, LoadOptions, Sink};
use crate::catalog::Catalog;
use crate::error::{MiraError, RecordRef, Result};
use crate::listing::{Property, PROPERTY_FIELDS};
use crate::record;

/// Load a CSV file of listings (see the [module docs](self) for the columns
/// and cells). A [`CsvMapping`] in `options` renames columns.
pub fn load_csv(path: impl AsRef<Path>, options: LoadOptions<'_>) -> Result<Catalog> {
    let path = path.as_ref();
    let file = File::open(path).map_err(|e| MiraError::io(path, e))?;
    let total = file_len(path)?;
    read(file, &path.display().to_string(), total, options)
}

/// Read CSV listings from any reader; `source` names it in errors.
pub fn read_csv(reader: impl Read, source: &str, options: LoadOptions<'_>) -> Result<Catalog> {
    read(reader, source, 0, options)
}

/// How a cell is parsed for a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Id,
    Text,
    Number,
    Whole { non_negative: bool },
    List,
    Flag,
    AttributesJson,
}

fn kind_of(field: &str) -> Kind {
    match field {
        "id" => Kind::Id,
        "title" | "location" | "property_type" | "listing_type" | "rent_period"
        | "available_from" | "available_until" | "furnishing" | "currency" => Kind::Text,
        "bedrooms" | "min_lease_months" | "max_lease_months" | "total_floors" => {
            Kind::Whole { non_negative: true }
        }
        "pets_allowed" => Kind::Flag,
        "year_built" | "floor" => Kind::Whole {
            non_negative: false,
        },
        "amenities" | "image_urls" => Kind::List,
        "attributes" => Kind::AttributesJson,
        _ => Kind::Number,
    }
}

/// One column of the file, resolved.
#[derive(Debug)]
struct Column {
    header: String,
    target: ColumnTarget,
}

/// How every row is read: the columns and what the mapping adds.
#[derive(Debug, Default)]
struct Plan {
    columns: Vec<Column>,
    /// 0-based indices of the columns joined into `location`.
    location: Vec<usize>,
    date_format: Option<DateFormat>,
    defaults: Map<String, Value>,
    ids_by_line: bool,
}

fn resolve_columns(
    headers: &csv::StringRecord,
    header_line: u64,
    source: &str,
    mapping: Option<&CsvMapping>,
) -> Result<(Plan, HashMap<&'static str, usize>)> {
    let at = |column: usize| RecordRef::Position {
        source: source.to_string(),
        line: header_line,
        column: column as u64,
    };
    if let Some(m) = mapping {
        m.check()?;
    }
    if headers.is_empty() || (headers.len() == 1 && headers[0].is_empty()) {
        return Err(MiraError::Parse {
            source_name: source.to_string(),
            line: 1,
            column: 0,
            message: "empty file: expected a header row of column names".into(),
        });
    }
    let location_parts: &[String] = mapping.map_or(&[], |m| &m.location);
    let ids_by_line = mapping.is_some_and(|m| m.ids == IdSource::Line);
    let mut columns = Vec::with_capacity(headers.len());
    let mut location = Vec::new();
    let mut field_column: HashMap<&'static str, usize> = HashMap::new();
    let mut attribute_column: HashMap<String, usize> = HashMap::new();
    for (i, header) in headers.iter().enumerate() {
        let col = i + 1;
        let in_location = location_parts.iter().any(|c| c == header);
        if in_location {
            location.push(i);
        }
        let target = match mapping.map(|m| m.target(header)).transpose()?.flatten() {
            Some(t) => t,
            None if in_location => ColumnTarget::Ignore,
            None => ColumnTarget::parse(header, &at(col))
                .map_err(|_| MiraError::unknown_field(at(col), header, PROPERTY_FIELDS))?,
        };
        let clash = match &target {
            ColumnTarget::Field("id") if ids_by_line => Some("ids is \"line\""),
            ColumnTarget::Field("location") if !location_parts.is_empty() => {
                Some("location is made from columns")
            }
            _ => None,
        };
        if let Some(why) = clash {
            return Err(MiraError::invalid(
                at(col),
                "<header>",
                Value::from(header),
                format!("another column name ({why})"),
            ));
        }
        let taken = match &target {
            ColumnTarget::Field(f) => field_column.insert(f, col).map(|c| (c, f.to_string())),
            ColumnTarget::FloorAndTotalFloors => field_column
                .insert("floor", col)
                .or(field_column.insert("total_floors", col))
                .map(|c| (c, "floor".to_string())),
            ColumnTarget::Attribute(k) => attribute_column
                .insert(k.clone(), col)
                .map(|c| (c, format!("attributes.{k}"))),
            _ => None,
        };
        if let Some((first, name)) = taken {
            return Err(MiraError::invalid(
                at(col),
                "<header>",
                Value::from(header),
                format!("each target in one column only (column {first} is already `{name}`)"),
            ));
        }
        columns.push(Column {
            header: header.to_string(),
            target,
        });
    }
    if !location_parts.is_empty() && location.is_empty() {
        return Err(MiraError::invalid(
            RecordRef::Other(format!("{source}:{header_line} (header row)")),
            "location",
            crate::record::render(&Value::from(location_parts.to_vec())),
            "at least one of these columns in the file (the CSV mapping makes location from them)",
        ));
    }
    if let Some(first) = location.first() {
        // Errors about the location point at its first column.
        field_column.insert("location", first + 1);
    }
    for required in ["id", "price"] {
        if required == "id" && ids_by_line {
            continue;
        }
        if !field_column.contains_key(required) {
            return Err(MiraError::MissingField {
                record: RecordRef::Other(format!("{source}:{header_line} (header row)")),
                field: required.into(),
            });
        }
    }
    let plan = Plan {
        columns,
        location,
        date_format: mapping.map(CsvMapping::date_format).transpose()?.flatten(),
        defaults: mapping
            .map(CsvMapping::defaults_map)
            .transpose()?
            .unwrap_or_default(),
        ids_by_line,
    };
    Ok((plan, field_column))
}

fn csv_error(err: csv::Error, source: &str) -> MiraError {
    let line = err.position().map_or(0, |p| p.line());
    match err.into_kind() {
        csv::ErrorKind::Io(e) => MiraError::io(source, e),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => MiraError::Parse {
            source_name: source.to_string(),
            line,
            column: 0,
            message: format!("this row has {len} fields but the header has {expected_len}"),
        },
        csv::ErrorKind::Utf8 { err, .. } => MiraError::Parse {
            source_name: source.to_string(),
            line,
            column: err.field() as u64 + 1,
            message: "the field is not valid UTF-8".into(),
        },
        other => MiraError::Parse {
            source_name: source.to_string(),
            line,
            column: 0,
            message: format!("{other:?}"),
        },
    }
}

/// Size of the CSV reader's buffer.
const BUFFER: usize = 1 << 16;

/// A reader that refuses to hand out more than
/// [`MAX_RECORD_BYTES`](crate::limits::MAX_RECORD_BYTES) + one buffer
/// between two calls of [`Limited::record_done`], so that one gigantic
/// record (a 10 GB line, a quoted field that never ends) is refused after
/// reading a bounded amount instead of growing the CSV reader's buffers
/// without end.
struct Limited<R> {
    inner: R,
    since: std::rc::Rc<std::cell::Cell<u64>>,
    tripped: std::rc::Rc<std::cell::Cell<bool>>,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let limit = (crate::limits::MAX_RECORD_BYTES + BUFFER) as u64;
        if self.since.get() > limit {
            self.tripped.set(true);
            return Err(std::io::Error::other("record too long"));
        }
        let n = self.inner.read(buf)?;
        self.since.set(self.since.get() + n as u64);
        Ok(n)
    }
}

fn read(reader: impl Read, source: &str, total: u64, options: LoadOptions<'_>) -> Result<Catalog> {
    let (mut sink, mapping) = Sink::new(options, total);
    let year = sink.year();
    let since = std::rc::Rc::new(std::cell::Cell::new(0u64));
    let tripped = std::rc::Rc::new(std::cell::Cell::new(false));
    let limited = Limited {
        inner: reader,
        since: since.clone(),
        tripped: tripped.clone(),
    };
    let too_long = |e: csv::Error, last_line: u64| {
        if tripped.get() {
            super::record_too_long(source, last_line + 1, "the record starting on this line")
        } else {
            csv_error(e, source)
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .has_headers(true)
        .flexible(false)
        .buffer_capacity(BUFFER)
        .from_reader(limited);
    let headers = reader.headers().map_err(|e| too_long(e, 0))?.clone();
    since.set(0);
    let header_line = headers.position().map_or(1, |p| p.line());
    let (plan, field_column) = resolve_columns(&headers, header_line, source, mapping.as_ref())?;

    let mut row = csv::StringRecord::new();
    let mut records = 0u64;
    let mut last_line = header_line;
    while reader
        .read_record(&mut row)
        .map_err(|e| too_long(e, last_line))?
    {
        since.set(0);
        let line = row.position().map_or(0, |p| p.line());
        last_line = line + row.as_slice().bytes().filter(|&b| b == b'\n').count() as u64;
        let record = RecordRef::Position {
            source: source.to_string(),
            line,
            column: 0,
        };
        let map = row_to_map(&row, &plan, source, line)?;
        let id_text = map.get("id").map(record::render);
        let property = Property::from_map(map, &record, year).map_err(|e| {
            relocate(e, &record, id_text.as_deref(), |field| {
                field_column.get(field).map(|&col| RecordRef::Position {
                    source: source.to_string(),
                    line,
                    column: col as u64,
                })
            })
        })?;
        sink.push(property, record)
            .map_err(|e| at_embedding_column(e, source, &field_column))?;
        records += 1;
        if records.is_multiple_of(super::PROGRESS_EVERY) {
            sink.progress(reader.position().byte());
        }
    }
    if total == 0 {
        sink.total_bytes = reader.position().byte();
    }
    sink.finish()
        .map_err(|e| at_embedding_column(e, source, &field_column))
}

/// `err` pointing at the `embedding` column when it is about a listing's
/// vector as a whole (its dimension, checked by the catalog builder once
/// the row is read) and names only the file and line: `homes.csv:3 (listing
/// 2)` becomes `homes.csv:3:4 (listing 2)`. Other errors are unchanged.
fn at_embedding_column(
    err: MiraError,
    source: &str,
    field_column: &HashMap<&'static str, usize>,
) -> MiraError {
    let Some(&column) = field_column.get("embedding") else {
        return err;
    };
    match err {
        MiraError::InvalidField {
            record,
            field,
            value,
            expected,
        } if field == "embedding" => {
            let record = match record {
                RecordRef::Position {
                    source: s,
                    line,
                    column: 0,
                } if s == source => RecordRef::Position {
                    source: s,
                    line,
                    column: column as u64,
                },
                // `file:line (listing id)`, as the builder names a listing
                // of a file (`with_id`).
                RecordRef::Other(text) => {
                    let moved = text.strip_prefix(source).and_then(|rest| {
                        let rest = rest.strip_prefix(':')?;
                        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                        let (line, tail) = rest.split_at(digits);
                        (digits > 0 && tail.starts_with(" (listing "))
                            .then(|| format!("{source}:{line}:{column}{tail}"))
                    });
                    RecordRef::Other(moved.unwrap_or(text))
                }
                other => other,
            };
            MiraError::InvalidField {
                record,
                field,
                value,
                expected,
            }
        }
        other => other,
    }
}

/// Turn one row into the JSON object `Property::from_map` takes.
fn row_to_map(
    row: &csv::StringRecord,
    plan: &Plan,
    source: &str,
    line: u64,
) -> Result<Map<String, Value>> {
    let mut map = Map::new();
    let mut amenities: Option<Vec<Value>> = None;
    let mut attributes = Map::new();
    let mut attributes_json: Option<Map<String, Value>> = None;
    if plan.ids_by_line {
        map.insert("id".into(), Value::from(line));
    }
    for (i, column) in plan.columns.iter().enumerate() {
        let cell = row.get(i).unwrap_or("");
        if cell.is_empty() {
            continue;
        }
        let bad = |field: &str, expected: &str| {
            MiraError::invalid(
                RecordRef::Position {
                    source: source.to_string(),
                    line,
                    column: i as u64 + 1,
                },
                field,
                Value::from(cell),
                expected,
            )
        };
        match &column.target {
            ColumnTarget::Ignore => {}
            ColumnTarget::Attribute(key) => {
                attributes.insert(key.clone(), infer(cell));
            }
            ColumnTarget::Amenity(name) => {
                let list = amenities.get_or_insert_with(Vec::new);
                if truthy(cell).ok_or_else(|| {
                    bad(
                        &column.header,
                        "yes/no, true/false, y/n, 1/0 or a number (> 0 means present)",
                    )
                })? {
                    list.push(Value::from(name.as_str()));
                }
            }
            ColumnTarget::FloorAndTotalFloors => {
                let (floor, total) = parse_floor(cell).ok_or_else(|| {
                    bad(
                        "floor",
                        "a floor like `3 out of 5`, `Ground out of 2`, `Upper Basement` or `3`",
                    )
                })?;
                map.insert("floor".into(), Value::from(floor));
                if let Some(total) = total {
                    map.insert("total_floors".into(), Value::from(total));
                }
            }
            ColumnTarget::Field(field @ ("available_from" | "available_until"))
                if plan.date_format.is_some() =>
            {
                let format = plan.date_format.as_ref().expect("checked");
                let date = format.parse(cell).ok_or_else(|| {
                    MiraError::invalid(
                        RecordRef::Position {
                            source: source.to_string(),
                            line,
                            column: i as u64 + 1,
                        },
                        *field,
                        Value::from(cell),
                        format!(
                            "a date written {} (the CSV mapping's date_format)",
                            format.pattern()
                        ),
                    )
                })?;
                map.insert(field.to_string(), Value::from(date.to_string()));
            }
            ColumnTarget::Field("embedding") => {
                let numbers = parse_vector(cell).map_err(|(index, token, expected)| {
                    MiraError::invalid(
                        RecordRef::Position {
                            source: source.to_string(),
                            line,
                            column: i as u64 + 1,
                        },
                        index.map_or("embedding".into(), |i| format!("embedding[{i}]")),
                        token,
                        expected,
                    )
                })?;
                map.insert("embedding".into(), Value::Array(numbers));
            }
            ColumnTarget::Field(field) => {
                let field: &str = field;
                let kind = kind_of(field);
                let value = parse_cell(kind, cell).map_err(|expected| bad(field, expected))?;
                match (field, value) {
                    ("amenities", Value::Array(items)) => {
                        amenities.get_or_insert_with(Vec::new).extend(items)
                    }
                    ("attributes", Value::Object(obj)) => attributes_json = Some(obj),
                    (_, value) => {
                        map.insert(field.to_string(), value);
                    }
                }
            }
        }
    }
    if !plan.location.is_empty() {
        if let Some(place) = join_place(plan.location.iter().map(|&i| row.get(i).unwrap_or(""))) {
            map.insert("location".into(), Value::from(place));
        }
    }
    if let Some(list) = amenities {
        map.insert("amenities".into(), Value::Array(list));
    }
    if let Some(obj) = attributes_json {
        for (k, v) in obj {
            attributes.entry(k).or_insert(v);
        }
    }
    for (key, value) in &plan.defaults {
        match (key.as_str(), value) {
            ("attributes", Value::Object(defaults)) => {
                for (k, v) in defaults {
                    attributes.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            _ => {
                map.entry(key.clone()).or_insert_with(|| value.clone());
            }
        }
    }
    if !attributes.is_empty() {
        map.insert("attributes".into(), Value::Object(attributes));
    }
    Ok(map)
}

/// Join the cells of a place written across columns with `", "`, leaving
/// out empty cells and cells already present as a comma-separated part of
/// the earlier ones (case-insensitive); `None` when every cell is empty.
fn join_place<'c>(cells: impl Iterator<Item = &'c str>) -> Option<String> {
    let mut joined = String::new();
    for cell in cells.map(str::trim).filter(|c| !c.is_empty()) {
        let seen = joined
            .split(',')
            .any(|part| part.trim().eq_ignore_ascii_case(cell));
        if !seen {
            if !joined.is_empty() {
                joined.push_str(", ");
            }
            joined.push_str(cell);
        }
    }
    (!joined.is_empty()).then_some(joined)
}

/// What [`parse_vector`] refuses: the item's index (`None` for the whole
/// cell), the item as JSON, what was expected.
type VectorError = (Option<usize>, Value, &'static str);

/// Parse a non-empty `embedding` cell: a JSON array of numbers
/// (`[0.12, -0.5]`), or numbers separated by whitespace and/or semicolons
/// (`0.12 -0.5`, `0.12;-0.5`; an empty item between two semicolons is an
/// error, not a skipped number). Each number must be finite as an `f32`.
/// The error is the index of the bad item (none when a JSON array does
/// not parse), the item (as JSON) and what was expected.
fn parse_vector(cell: &str) -> std::result::Result<Vec<Value>, VectorError> {
    fn number(index: usize, value: Value) -> std::result::Result<Value, VectorError> {
        match value.as_f64() {
            Some(f) if f.is_finite() && (f as f32).is_finite() => Ok(value),
            Some(_) => Err((Some(index), value, "a finite number")),
            None => Err((Some(index), value, "a number")),
        }
    }
    if cell.starts_with('[') {
        let items = serde_json::from_str::<Vec<Value>>(cell).map_err(|_| {
            (
                None,
                Value::from(cell),
                "a JSON array of numbers or numbers separated by spaces or semicolons",
            )
        })?;
        return items
            .into_iter()
            .enumerate()
            .map(|(i, v)| number(i, v))
            .collect();
    }
    let mut out = Vec::new();
    for part in cell.split(';') {
        if part.trim().is_empty() {
            return Err((Some(out.len()), Value::from(""), "a number"));
        }
        for token in part.split_whitespace() {
            let index = out.len();
            let value = match token.parse::<f64>() {
                Ok(f) if f.is_finite() => Value::from(f),
                Ok(_) => return Err((Some(index), Value::from(token), "a finite number")),
                Err(_) => return Err((Some(index), Value::from(token), "a number")),
            };
            out.push(number(index, value)?);
        }
    }
    Ok(out)
}

/// Parse a non-empty cell for a field of `kind`; the error is what was
/// expected.
fn parse_cell(kind: Kind, cell: &str) -> std::result::Result<Value, &'static str> {
    match kind {
        Kind::Id => {
            let canonical_integer = cell.bytes().all(|b| b.is_ascii_digit())
                && (cell.len() == 1 || !cell.starts_with('0'));
            match cell.parse::<u64>() {
                Ok(n) if canonical_integer => Ok(Value::from(n)),
                _ => Ok(Value::from(cell)),
            }
        }
        Kind::Text => Ok(Value::from(cell)),
        Kind::Number => match cell.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::from(f)),
            _ => Err("a number"),
        },
        Kind::Whole { non_negative } => {
            let expected = if non_negative {
                "a whole number ≥ 0"
            } else {
                "a whole number"
            };
            match cell.parse::<f64>() {
                Ok(f)
                    if f.is_finite()
                        && f.fract() == 0.0
                        && f.abs() < 9.0e15
                        && (!non_negative || f >= 0.0) =>
                {
                    Ok(Value::from(f as i64))
                }
                _ => Err(expected),
            }
        }
        Kind::List => {
            if cell.starts_with('[') {
                serde_json::from_str::<Vec<String>>(cell)
                    .map(Value::from)
                    .map_err(|_| "a list like `a|b|c` or a JSON array of strings")
            } else {
                Ok(Value::Array(
                    cell.split(['|', ';'])
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(Value::from)
                        .collect(),
                ))
            }
        }
        Kind::Flag => truthy(cell)
            .map(Value::Bool)
            .ok_or("yes/no, true/false, y/n or 1/0"),
        Kind::AttributesJson => serde_json::from_str::<Map<String, Value>>(cell)
            .map(Value::Object)
            .map_err(|_| "a JSON object"),
    }
}

/// An attribute cell: a JSON number or boolean when it is one, else text.
fn infer(cell: &str) -> Value {
    match serde_json::from_str::<Value>(cell) {
        Ok(v @ (Value::Number(_) | Value::Bool(_))) => v,
        _ => Value::from(cell),
    }
}

/// A yes/no cell; `None` when it is neither.
fn truthy(cell: &str) -> Option<bool> {
    match cell.to_ascii_lowercase().as_str() {
        "1" | "yes" | "true" | "y" => Some(true),
        "0" | "no" | "false" | "n" => Some(false),
        other => match other.parse::<f64>() {
            Ok(f) if f.is_finite() => Some(f > 0.0),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vector_cells() {
        let ok = |cell: &str| parse_vector(cell).unwrap();
        let expected: Vec<Value> = [0.5, -1.0, 2e-3].into_iter().map(Value::from).collect();
        assert_eq!(
            ok("[0.5, -1, 2e-3]"),
            vec![Value::from(0.5), Value::from(-1), Value::from(2e-3)]
        );
        assert_eq!(ok("0.5 -1  2e-3"), expected);
        assert_eq!(ok("0.5;-1;2e-3"), expected);
        assert_eq!(ok("0.5 ; -1;\t2e-3"), expected);
        let err = |cell: &str| parse_vector(cell).unwrap_err();
        assert_eq!(err("0.5;;1"), (Some(1), Value::from(""), "a number"));
        assert_eq!(err("0.5;1;"), (Some(2), Value::from(""), "a number"));
        assert_eq!(err("0.5 x 1"), (Some(1), Value::from("x"), "a number"));
        assert_eq!(
            err("0.5 NaN"),
            (Some(1), Value::from("NaN"), "a finite number")
        );
        assert_eq!(
            err("1 2 3 inf"),
            (Some(3), Value::from("inf"), "a finite number")
        );
        assert_eq!(
            err("1 1e39"),
            (Some(1), Value::from(1e39), "a finite number")
        );
        assert_eq!(err("[1, \"a\"]"), (Some(1), Value::from("a"), "a number"));
        assert_eq!(
            err("[1, 1e39]"),
            (Some(1), Value::from(1e39), "a finite number")
        );
        assert_eq!(
            err("[1, 2"),
            (
                None,
                Value::from("[1, 2"),
                "a JSON array of numbers or numbers separated by spaces or semicolons"
            )
        );
    }

    #[test]
    fn ids_keep_their_written_form() {
        assert_eq!(parse_cell(Kind::Id, "42"), Ok(Value::from(42u64)));
        assert_eq!(parse_cell(Kind::Id, "0"), Ok(Value::from(0u64)));
        assert_eq!(parse_cell(Kind::Id, "0123"), Ok(Value::from("0123")));
        assert_eq!(parse_cell(Kind::Id, "kc-7"), Ok(Value::from("kc-7")));
    }

    #[test]
    fn whole_numbers_accept_trailing_zero_fractions_only() {
        let k = Kind::Whole { non_negative: true };
        assert_eq!(parse_cell(k, "3.0"), Ok(Value::from(3)));
        assert_eq!(parse_cell(k, "2.5"), Err("a whole number ≥ 0"));
        assert_eq!(parse_cell(k, "-1"), Err("a whole number ≥ 0"));
    }

    #[test]
    fn lists_split_on_bars_and_semicolons() {
        assert_eq!(
            parse_cell(Kind::List, "Pool| Garage;;Garden"),
            Ok(serde_json::json!(["Pool", "Garage", "Garden"]))
        );
        assert_eq!(parse_cell(Kind::List, "[]"), Ok(serde_json::json!([])));
        assert_eq!(
            parse_cell(Kind::List, "[\"a|b\"]"),
            Ok(serde_json::json!(["a|b"]))
        );
    }

    #[test]
    fn attribute_cells_are_typed_when_unambiguous() {
        assert_eq!(infer("7"), Value::from(7));
        assert_eq!(infer("1.5"), Value::from(1.5));
        assert_eq!(infer("02134"), Value::from("02134"));
        assert_eq!(infer("true"), Value::from(true));
        assert_eq!(infer("2014-10-13"), Value::from("2014-10-13"));
        assert_eq!(infer("NaN"), Value::from("NaN"));
    }

    #[test]
    fn places_join_without_repeating_a_part() {
        let join = |cells: &[&str]| join_place(cells.iter().copied());
        assert_eq!(
            join(&["Bandel", "Kolkata"]).as_deref(),
            Some("Bandel, Kolkata")
        );
        assert_eq!(
            join(&["Thakurpukur, kolkata ", "Kolkata"]).as_deref(),
            Some("Thakurpukur, kolkata")
        );
        assert_eq!(
            join(&["Mumbai Central", "Mumbai"]).as_deref(),
            Some("Mumbai Central, Mumbai")
        );
        assert_eq!(join(&["", "Pune"]).as_deref(), Some("Pune"));
        assert_eq!(join(&["", " "]), None);
    }

    #[test]
    fn truthiness() {
        for yes in ["1", "Yes", "TRUE", "y", "4", "0.5"] {
            assert_eq!(truthy(yes), Some(true), "{yes}");
        }
        for no in ["0", "no", "False", "N", "-1"] {
            assert_eq!(truthy(no), Some(false), "{no}");
        }
        assert_eq!(truthy("maybe"), None);
    }
}
