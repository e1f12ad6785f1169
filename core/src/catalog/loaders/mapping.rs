//! [`CsvMapping`]: how the columns of someone else's CSV become listing fields.
//!
//! A mapping is data, loadable from JSON:
//!
//! ```json
//! {
//!   "columns": {
//!     "sqft_living": "size_sqft",
//!     "zipcode": "attributes.zipcode",
//!     "waterfront": "amenity:waterfront",
//!     "internal_note": "ignore"
//!   },
//!   "on_duplicate": "keep_last"
//! }
//! ```
//!
//! Targets (see [`ColumnTarget`]):
//!
//! - a [`Property`](crate::Property) field name (`price`, `size_sqft`, …): the
//!   cell is parsed as that field's type;
//! - `attributes.<key>`: the cell goes into the listing's `attributes`;
//! - `amenity:<name>`: the listing has amenity `<name>` when the cell is truthy
//!   (`1`, `yes`, `true`, `y`, or a number > 0), and its amenities are then
//!   known (an all-falsy row has an empty, known amenity list);
//! - `ignore`: the column is skipped.
//!
//! Columns the mapping does not mention must be field names or
//! `attributes.<key>`; anything else is refused with a suggestion. A mapping
//! may name columns a file lacks (presets cover optional columns).
//! `on_duplicate` (`"error"`, the default, or `"keep_last"`) says what to do
//! when an id repeats.
//!
//! ```
//! use agent_mira::catalog::loaders::{ColumnTarget, CsvMapping, OnDuplicate};
//! let m = CsvMapping::from_json(r#"{"columns": {"sqft": "size_sqft", "pool": "amenity:pool"}}"#).unwrap();
//! assert_eq!(m.target("sqft").unwrap(), Some(ColumnTarget::Field("size_sqft")));
//! assert_eq!(m.target("pool").unwrap(), Some(ColumnTarget::Amenity("pool".into())));
//! assert_eq!(CsvMapping::preset("king-county").unwrap().on_duplicate, None);
//!
//! let err = CsvMapping::from_json(r#"{"columns": {"sqft": "size_sqtf"}}"#).unwrap_err();
//! assert_eq!(err.to_string(), "CSV mapping, column `sqft`: unknown field `size_sqtf` (did you mean `size_sqft`?)");
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::OnDuplicate;
use crate::error::{MiraError, RecordRef, Result};
use crate::listing::PROPERTY_FIELDS;

/// Where a CSV column goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnTarget {
    /// A [`Property`](crate::Property) field (one of
    /// [`PROPERTY_FIELDS`]).
    Field(&'static str),
    /// A key of the listing's `attributes`.
    Attribute(String),
    /// A yes/no amenity column: the amenity's name.
    Amenity(String),
    /// Skip the column.
    Ignore,
}

impl ColumnTarget {
    /// Parse a target as written in a mapping or a header: a field name,
    /// `attributes.<key>`, `amenity:<name>` or `ignore`. `record` says where
    /// the text came from, for the error.
    pub fn parse(text: &str, record: &RecordRef) -> Result<ColumnTarget> {
        let text = text.trim();
        if text == "ignore" {
            return Ok(ColumnTarget::Ignore);
        }
        if let Some(key) = text.strip_prefix("attributes.") {
            return non_empty(key, text, record, "attributes.<key> with a non-empty key")
                .map(|k| ColumnTarget::Attribute(k.to_string()));
        }
        if let Some(name) = text.strip_prefix("amenity:") {
            return non_empty(name, text, record, "amenity:<name> with a non-empty name")
                .map(|n| ColumnTarget::Amenity(n.to_string()));
        }
        match PROPERTY_FIELDS.iter().find(|f| **f == text) {
            Some(field) => Ok(ColumnTarget::Field(field)),
            None => {
                let mut allowed: Vec<&str> = PROPERTY_FIELDS.to_vec();
                allowed.push("ignore");
                Err(MiraError::unknown_field(record.clone(), text, &allowed))
            }
        }
    }
}

fn non_empty<'t>(part: &'t str, text: &str, record: &RecordRef, expected: &str) -> Result<&'t str> {
    if part.trim().is_empty() {
        Err(MiraError::invalid(
            record.clone(),
            "target",
            format!("{text:?}"),
            expected,
        ))
    } else {
        Ok(part.trim())
    }
}

/// Maps the columns of a CSV file to listing fields (see the
/// [module docs](self) for the JSON form and the targets).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvMapping {
    /// Source column name → target (`size_sqft`, `attributes.zipcode`,
    /// `amenity:waterfront`, `ignore`).
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// What to do when an id repeats; `None` leaves it to
    /// [`LoadOptions::on_duplicate`](super::LoadOptions::on_duplicate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_duplicate: Option<OnDuplicate>,
}

/// Names accepted by [`CsvMapping::preset`].
pub const PRESETS: &[&str] = &["king-county"];

impl CsvMapping {
    /// An empty mapping: canonical column names only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Map `column` to `target` (see [`ColumnTarget::parse`]; checked when the
    /// file is loaded).
    pub fn map(mut self, column: impl Into<String>, target: impl Into<String>) -> Self {
        self.columns.insert(column.into(), target.into());
        self
    }

    /// Set what to do when an id repeats.
    pub fn on_duplicate(mut self, on_duplicate: OnDuplicate) -> Self {
        self.on_duplicate = Some(on_duplicate);
        self
    }

    /// Parse a mapping from JSON text and check every target.
    pub fn from_json(text: &str) -> Result<Self> {
        Self::parse_named(text, "<CSV mapping>")
    }

    /// Read a mapping from a JSON file and check every target.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| MiraError::io(path, e))?;
        Self::parse_named(&text, &path.display().to_string())
    }

    fn parse_named(text: &str, source: &str) -> Result<Self> {
        let mapping: CsvMapping = serde_json::from_str(text).map_err(|e| MiraError::Parse {
            source_name: source.to_string(),
            line: e.line() as u64,
            column: e.column() as u64,
            message: super::json_message(&e),
        })?;
        mapping.check()?;
        Ok(mapping)
    }

    /// Check that every target is valid.
    pub fn check(&self) -> Result<()> {
        for column in self.columns.keys() {
            self.target(column)?;
        }
        Ok(())
    }

    /// The target of `column`, if the mapping names it.
    pub fn target(&self, column: &str) -> Result<Option<ColumnTarget>> {
        match self.columns.get(column) {
            None => Ok(None),
            Some(target) => ColumnTarget::parse(
                target,
                &RecordRef::Other(format!("CSV mapping, column `{column}`")),
            )
            .map(Some),
        }
    }

    /// The preset for the King County house sales file (`kc_house_data.csv`,
    /// May 2014 – May 2015): `sqft_living`→`size_sqft`, `sqft_lot`→`lot_sqft`,
    /// `yr_built`→`year_built`, `lat`/`long`→`latitude`/`longitude`,
    /// `waterfront`→`amenity:waterfront`, `view`→`amenity:view` (any view
    /// grade > 0), `zipcode` and `date`, `floors`, `condition`, `grade`,
    /// `sqft_above`, `sqft_basement`, `yr_renovated`, `sqft_living15`,
    /// `sqft_lot15` → `attributes.<same name>`. `id`, `price`, `bedrooms` and
    /// `bathrooms` already carry field names. Ids repeat in that file (a house
    /// sold twice): combine with [`OnDuplicate::KeepLast`] to keep the latest
    /// sale.
    pub fn king_county() -> Self {
        let mut m = CsvMapping::new()
            .map("sqft_living", "size_sqft")
            .map("sqft_lot", "lot_sqft")
            .map("yr_built", "year_built")
            .map("lat", "latitude")
            .map("long", "longitude")
            .map("waterfront", "amenity:waterfront")
            .map("view", "amenity:view");
        for name in [
            "zipcode",
            "date",
            "floors",
            "condition",
            "grade",
            "sqft_above",
            "sqft_basement",
            "yr_renovated",
            "sqft_living15",
            "sqft_lot15",
        ] {
            m = m.map(name, format!("attributes.{name}"));
        }
        m
    }

    /// A built-in mapping by name (see [`PRESETS`]): `king-county` (also
    /// spelled `king_county` or `kc`). An unknown name gets a suggestion.
    pub fn preset(name: &str) -> Result<Self> {
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "king-county" | "kc" => Ok(Self::king_county()),
            _ => Err(MiraError::Unsupported {
                what: "CSV mapping preset".into(),
                name: name.to_string(),
                hint: Some(match crate::error::closest(name, PRESETS.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? known presets: {}", PRESETS.join(", ")),
                    None => format!("known presets: {}", PRESETS.join(", ")),
                }),
            }),
        }
    }
}
