//! Loaders: turn listing files into a [`Catalog`].
//!
//! | input | detected by | format |
//! |---|---|---|
//! | case-study directory | a directory | `property_basics.json` (required: `id`, `title`, `price`, `location`), `property_characteristics.json` and `property_images.json` (optional), merged by `id` — see [`load_case_study`] |
//! | JSON | `.json` | one array of listing objects — see [`load_json`] |
//! | JSON Lines | `.jsonl`, `.ndjson` | one listing object per line, blank lines allowed, streamed — see [`load_jsonl`] |
//! | CSV | `.csv` | a header row of [`Property`] field names (or a [`CsvMapping`]), streamed — see [`load_csv`] |
//!
//! Every record goes through [`Property::from_map`],
//! so unknown keys get a "did you mean" suggestion and bad values name the
//! field, the value and what was expected. Errors point at `file:line` (and
//! the column when known). Malformed input is a [`MiraError::Parse`].
//!
//! The [`CatalogBuilder`] inside [`LoadOptions`] decides the year that bounds
//! `year_built` and the amenity synonym table:
//!
//! ```
//! use agent_mira::catalog::loaders::{self, LoadOptions};
//! use agent_mira::Catalog;
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("listings.jsonl");
//! std::fs::write(&path, "{\"id\": 1, \"price\": 450000, \"year_built\": 2024}\n\n{\"id\": 2, \"price\": 1}\n").unwrap();
//!
//! let catalog = loaders::load_path(&path).unwrap();
//! assert_eq!(catalog.len(), 2);
//!
//! // The same file, validated as of 2020: a house built in 2024 is refused.
//! let options = LoadOptions::new().builder(Catalog::builder().current_year(2020));
//! let err = loaders::load_path_with(&path, options).unwrap_err();
//! assert!(err.to_string().ends_with(
//!     "listings.jsonl:1 (listing 1): field `year_built` = 2024: expected a year between 1000 and 2020 (not in the future)"
//! ));
//! ```

pub mod case_study;
pub mod csv;
pub mod json;
pub mod jsonl;
pub mod mapping;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use self::csv::{load_csv, read_csv};
pub use case_study::{
    load_case_study, parse_case_study, BASICS_FILE, CHARACTERISTICS_FILE, IMAGES_FILE,
};
pub use json::{from_values, load_json, parse_json, parse_records};
pub use jsonl::{load_jsonl, read_jsonl};
pub use mapping::{
    parse_floor, ColumnTarget, CsvMapping, DateFormat, IdSource, FLOOR_AND_TOTAL, PRESETS,
};

use super::{Catalog, CatalogBuilder};
use crate::error::{MiraError, RecordRef, Result};
use crate::listing::{with_id, Property, PropertyId};

/// What to do when two records of one file share an id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnDuplicate {
    /// Refuse the file with [`MiraError::DuplicateId`], naming both positions
    /// (the default: a repeated id is usually a mistake).
    #[default]
    Error,
    /// Keep the last record with that id (a later sale supersedes an earlier
    /// one). The listing keeps the row of the id's first appearance.
    KeepLast,
}

/// Settings for the loaders: the [`CatalogBuilder`] to fill (its
/// `current_year` and amenity table apply), a CSV column mapping, what to do
/// with repeated ids, and a progress callback.
///
/// ```
/// use agent_mira::catalog::loaders::{CsvMapping, LoadOptions, OnDuplicate};
/// use agent_mira::Catalog;
///
/// let report = |done: u64, total: u64| eprintln!("{done}/{total} bytes");
/// let options = LoadOptions::new()
///     .builder(Catalog::builder().current_year(2025))
///     .csv_mapping(CsvMapping::king_county())
///     .on_duplicate(OnDuplicate::KeepLast)
///     .progress(&report);
/// # let _ = options;
/// ```
pub struct LoadOptions<'a> {
    builder: CatalogBuilder,
    csv_mapping: Option<CsvMapping>,
    on_duplicate: OnDuplicate,
    progress: Option<&'a dyn Fn(u64, u64)>,
}

impl fmt::Debug for LoadOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoadOptions")
            .field("builder", &self.builder)
            .field("csv_mapping", &self.csv_mapping)
            .field("on_duplicate", &self.on_duplicate)
            .field("progress", &self.progress.map(|_| "<callback>"))
            .finish()
    }
}

impl Default for LoadOptions<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl From<CatalogBuilder> for LoadOptions<'_> {
    fn from(builder: CatalogBuilder) -> Self {
        LoadOptions::new().builder(builder)
    }
}

impl<'a> LoadOptions<'a> {
    /// Defaults: a fresh [`CatalogBuilder`], canonical CSV columns, duplicate
    /// ids are errors, no progress reports.
    pub fn new() -> Self {
        LoadOptions {
            builder: CatalogBuilder::new(),
            csv_mapping: None,
            on_duplicate: OnDuplicate::Error,
            progress: None,
        }
    }

    /// Fill this builder (its `current_year`, amenity table and version apply;
    /// listings already in it stay first).
    pub fn builder(mut self, builder: CatalogBuilder) -> Self {
        self.builder = builder;
        self
    }

    /// Map CSV columns to listing fields (CSV files only). The mapping's own
    /// `on_duplicate`, when set, overrides [`LoadOptions::on_duplicate`].
    pub fn csv_mapping(mut self, mapping: CsvMapping) -> Self {
        self.csv_mapping = Some(mapping);
        self
    }

    /// What to do with repeated ids (JSON, JSON Lines and CSV files; in a
    /// case-study directory a repeated id is always an error).
    pub fn on_duplicate(mut self, on_duplicate: OnDuplicate) -> Self {
        self.on_duplicate = on_duplicate;
        self
    }

    /// Call `report(bytes_read, total_bytes)` now and then while loading (and
    /// once at the end with `bytes_read == total_bytes`), e.g. to drive a
    /// progress bar. `total_bytes` is 0 when the size is unknown.
    pub fn progress(mut self, report: &'a dyn Fn(u64, u64)) -> Self {
        self.progress = Some(report);
        self
    }

    /// The duplicate policy in force, the CSV mapping's taking precedence.
    fn duplicate_policy(&self) -> OnDuplicate {
        self.csv_mapping
            .as_ref()
            .and_then(|m| m.on_duplicate)
            .unwrap_or(self.on_duplicate)
    }
}

/// The kinds of input [`load_path`] recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A directory in the case-study three-file layout.
    CaseStudy,
    /// A `.json` file holding an array of listings.
    Json,
    /// A `.jsonl` / `.ndjson` file, one listing per line.
    JsonLines,
    /// A `.csv` file.
    Csv,
}

impl SourceKind {
    /// Detect the kind of `path`: a directory is a case-study layout,
    /// otherwise the extension decides (ignoring case).
    pub fn detect(path: &Path) -> Result<SourceKind> {
        if path.is_dir() {
            return Ok(SourceKind::CaseStudy);
        }
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "json" => Ok(SourceKind::Json),
            "jsonl" | "ndjson" => Ok(SourceKind::JsonLines),
            "csv" => Ok(SourceKind::Csv),
            _ if !path.exists() => Err(MiraError::io(
                path,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or directory"),
            )),
            _ => Err(MiraError::Unsupported {
                what: "listing file type".into(),
                name: path.display().to_string(),
                hint: Some(
                    "use a .json, .jsonl, .ndjson or .csv file, or a case-study directory".into(),
                ),
            }),
        }
    }
}

/// Load a catalog from `path`, detecting the kind (see [`SourceKind::detect`])
/// with default [`LoadOptions`].
pub fn load_path(path: impl AsRef<Path>) -> Result<Catalog> {
    load_path_with(path, LoadOptions::new())
}

/// Load a catalog from `path`, detecting the kind, with `options`.
pub fn load_path_with(path: impl AsRef<Path>, options: LoadOptions<'_>) -> Result<Catalog> {
    let path = path.as_ref();
    match SourceKind::detect(path)? {
        SourceKind::CaseStudy => load_case_study(path, options),
        SourceKind::Json => load_json(path, options),
        SourceKind::JsonLines => load_jsonl(path, options),
        SourceKind::Csv => load_csv(path, options),
    }
}

impl Catalog {
    /// Load a catalog from a listing file or case-study directory with default
    /// settings; shorthand for [`loaders::load_path`](load_path).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Catalog> {
        load_path(path)
    }
}

/// Collects parsed listings and applies the duplicate policy: with
/// [`OnDuplicate::Error`] listings go straight into the builder (which names
/// both positions of a repeat); with [`OnDuplicate::KeepLast`] they are staged
/// so that a later record can replace an earlier one.
pub(crate) struct Sink<'a> {
    builder: CatalogBuilder,
    staged: Option<Staged>,
    progress: Option<&'a dyn Fn(u64, u64)>,
    total_bytes: u64,
}

#[derive(Default)]
struct Staged {
    rows: Vec<(Property, RecordRef)>,
    index: HashMap<PropertyId, usize>,
}

impl<'a> Sink<'a> {
    pub(crate) fn new(
        options: LoadOptions<'a>,
        total_bytes: u64,
    ) -> (Sink<'a>, Option<CsvMapping>) {
        let policy = options.duplicate_policy();
        let sink = Sink {
            builder: options.builder,
            staged: (policy == OnDuplicate::KeepLast).then(Staged::default),
            progress: options.progress,
            total_bytes,
        };
        (sink, options.csv_mapping)
    }

    /// The year that bounds `year_built`.
    pub(crate) fn year(&self) -> i32 {
        self.builder.year()
    }

    /// Add a listing that `Property::from_map` validated.
    pub(crate) fn push(&mut self, property: Property, at: RecordRef) -> Result<()> {
        match &mut self.staged {
            None => {
                self.builder.push_validated(property, at)?;
            }
            Some(staged) => match staged.index.get(&property.id) {
                Some(&row) => staged.rows[row] = (property, at),
                None if staged.rows.len() >= self.builder.max() => {
                    return Err(crate::catalog::too_many(at, self.builder.max()));
                }
                None => {
                    staged.index.insert(property.id.clone(), staged.rows.len());
                    staged.rows.push((property, at));
                }
            },
        }
        Ok(())
    }

    /// Report progress (`bytes_read` of the total).
    pub(crate) fn progress(&self, bytes_read: u64) {
        if let Some(report) = self.progress {
            report(bytes_read, self.total_bytes);
        }
    }

    /// The catalog, after a final progress report.
    pub(crate) fn finish(mut self) -> Result<Catalog> {
        if let Some(staged) = self.staged.take() {
            self.builder.reserve(staged.rows.len());
            for (property, at) in staged.rows {
                self.builder.push_validated(property, at)?;
            }
        }
        self.progress(self.total_bytes);
        Ok(self.builder.build())
    }
}

/// How often (in records) the streaming loaders report progress.
pub(crate) const PROGRESS_EVERY: u64 = 4096;

/// The size of a file in bytes, for progress reports.
pub(crate) fn file_len(path: &Path) -> Result<u64> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| MiraError::io(path, e))
}

/// Rewrite where a field error points: `Property::from_map` reports the
/// record it was given (`from`, or `from` extended with the listing id);
/// `locate` says where the named field really came from (a CSV column, or
/// another file of a case-study directory).
pub(crate) fn relocate(
    err: MiraError,
    from: &RecordRef,
    id_text: Option<&str>,
    locate: impl Fn(&str) -> Option<RecordRef>,
) -> MiraError {
    let fix = |record: RecordRef, field: &str| -> RecordRef {
        let base = field.split(['.', '[']).next().unwrap_or(field).to_string();
        let Some(to) = locate(&base) else {
            return record;
        };
        if record == *from {
            return to;
        }
        match id_text {
            Some(id) if record == with_id(from, id) => with_id(&to, id),
            _ => record,
        }
    };
    match err {
        MiraError::InvalidField {
            record,
            field,
            value,
            expected,
        } => MiraError::InvalidField {
            record: fix(record, &field),
            field,
            value,
            expected,
        },
        MiraError::MissingField { record, field } => MiraError::MissingField {
            record: fix(record, &field),
            field,
        },
        MiraError::UnknownField {
            record,
            field,
            suggestion,
            allowed,
        } => MiraError::UnknownField {
            record: fix(record, &field),
            field,
            suggestion,
            allowed,
        },
        other => other,
    }
}

/// Read one line (up to and including `\n`) into `buf`, reading at most
/// [`MAX_RECORD_BYTES`](crate::limits::MAX_RECORD_BYTES) + 2 bytes, so that
/// a gigantic line cannot exhaust memory. Returns the bytes read (0 at the
/// end of input) and whether the line was longer than the limit (then `buf`
/// holds only its beginning and the rest is unread).
pub(crate) fn read_bounded_line(
    reader: &mut impl std::io::BufRead,
    buf: &mut Vec<u8>,
) -> std::io::Result<(usize, bool)> {
    use std::io::{BufRead as _, Read as _};
    let max = crate::limits::MAX_RECORD_BYTES;
    buf.clear();
    let n = reader.take(max as u64 + 2).read_until(b'\n', buf)?;
    let content = buf
        .strip_suffix(b"\n")
        .map(|b| b.strip_suffix(b"\r").unwrap_or(b))
        .unwrap_or(buf);
    Ok((n, content.len() > max))
}

/// The parse error for a record longer than [`MAX_RECORD_BYTES`](crate::limits::MAX_RECORD_BYTES).
pub(crate) fn record_too_long(source: &str, line: u64, what: &str) -> MiraError {
    MiraError::Parse {
        source_name: source.to_string(),
        line,
        column: 0,
        message: format!(
            "{what} is longer than {} bytes (limits::MAX_RECORD_BYTES): refused without reading it whole",
            crate::limits::MAX_RECORD_BYTES
        ),
    }
}

/// serde_json's message without its " at line L column C" tail (the
/// position is reported separately).
pub(crate) fn json_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}
