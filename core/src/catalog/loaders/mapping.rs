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
//! - a [`Property`] field name (`price`, `size_sqft`, …): the
//!   cell is parsed as that field's type; for `embedding`, the listing's
//!   vector, a cell holds a JSON array of numbers (`"[0.12, -0.5]"`) or
//!   numbers separated by whitespace and/or semicolons (`0.12 -0.5` or
//!   `0.12;-0.5`), and a bad number is refused with its index;
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
//! Four more keys fit files that do not carry every field in its own column:
//!
//! - `defaults`: a value for every row, by target (a field name or
//!   `attributes.<key>`), e.g. `{"currency": "INR", "listing_type":
//!   "long_term_rent", "rent_period": "month"}`. A non-empty cell of a column
//!   mapped to the same target wins. Values are checked when the mapping is
//!   read, as a listing's would be; `id` has no default (see `ids`).
//! - `ids`: `"column"` (the default: a column holds the id) or `"line"`:
//!   the row's line number in the file becomes its id (the header is line 1,
//!   so the first row is id 2), so an id and an error's `file:line` agree.
//!   No column may then map to `id`. (Lines are counted as the CSV reader
//!   counts them for errors: a blank line between rows is not counted.)
//! - `date_format`: how the date fields (`available_from`,
//!   `available_until`) are written, as a pattern of `YYYY` (4 digits), `MM`
//!   and `DD` (1 or 2 digits), each exactly once, and literal characters
//!   between them (`-`, `/`, `.`, space…): `DD-MM-YYYY`, `MM/DD/YYYY`,
//!   `YYYYMMDD`. Without it dates are ISO `YYYY-MM-DD`. A cell that does not
//!   follow the pattern, or names a day that does not exist, is refused.
//! - `location`: columns whose cells, joined with `", "`, make the listing's
//!   `location` (`["Area Locality", "City"]` → `"Bandel, Kolkata"`). Empty
//!   cells are left out, and so is a cell already present as a
//!   comma-separated part of the earlier ones (case-insensitive:
//!   `"Thakurpukur, Kolkata"` + `"Kolkata"` stays `"Thakurpukur, Kolkata"`).
//!   Columns a file lacks are skipped, but at least one must be there. A
//!   column named here and not in `columns` serves the location only; one
//!   also in `columns` goes to both (`"City": "attributes.city"`). No column
//!   may then map to `location`.
//!
//! One more target fits floor columns: `floor_and_total_floors` reads `3 out
//! of 5`, `3 of 5` or `3/5` (floor 3 of a 5-floor building) or a floor alone
//! (`3`), where a floor is a whole number or `Ground` (0), `Upper Basement`
//! or `Basement` (−1), `Lower Basement` (−2), case-insensitive. A floor above
//! the stated total (`8 out of 5`) keeps the floor and leaves `total_floors`
//! unknown: the total is the doubtful half, and a row is not lost over it.
//!
//! ```
//! use agent_mira::catalog::loaders::{ColumnTarget, CsvMapping, OnDuplicate};
//! let m = CsvMapping::from_json(r#"{"columns": {"sqft": "size_sqft", "pool": "amenity:pool"}}"#).unwrap();
//! assert_eq!(m.target("sqft").unwrap(), Some(ColumnTarget::Field("size_sqft")));
//! assert_eq!(m.target("pool").unwrap(), Some(ColumnTarget::Amenity("pool".into())));
//! assert_eq!(CsvMapping::preset("king-county").unwrap().on_duplicate, None);
//!
//! let m = CsvMapping::from_json(r#"{"columns": {"Floor": "floor_and_total_floors"}, "ids": "line",
//!     "date_format": "DD-MM-YYYY", "defaults": {"currency": "INR"}, "location": ["Locality", "City"]}"#).unwrap();
//! assert_eq!(m.target("Floor").unwrap(), Some(ColumnTarget::FloorAndTotalFloors));
//!
//! let err = CsvMapping::from_json(r#"{"date_format": "DD-MM-YY"}"#).unwrap_err();
//! assert_eq!(err.to_string(), "CSV mapping: field `date_format` = \"DD-MM-YY\": expected a pattern with YYYY, MM and DD once each and literal characters between them, e.g. DD-MM-YYYY");
//!
//! let err = CsvMapping::from_json(r#"{"columns": {"sqft": "size_sqtf"}}"#).unwrap_err();
//! assert_eq!(err.to_string(), "CSV mapping, column `sqft`: unknown field `size_sqtf` (did you mean `size_sqft`?)");
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::OnDuplicate;
use crate::error::{MiraError, RecordRef, Result};
use crate::listing::{Date, Property, PROPERTY_FIELDS};

/// The target of a floor column read as "floor out of total floors".
pub const FLOOR_AND_TOTAL: &str = "floor_and_total_floors";

/// Where a CSV column goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnTarget {
    /// A [`Property`] field (one of
    /// [`PROPERTY_FIELDS`]).
    Field(&'static str),
    /// A key of the listing's `attributes`.
    Attribute(String),
    /// A yes/no amenity column: the amenity's name.
    Amenity(String),
    /// A floor text (`3 out of 5`, `Ground`) filling both `floor` and
    /// `total_floors` (target `floor_and_total_floors`; see the
    /// [module docs](self)).
    FloorAndTotalFloors,
    /// Skip the column.
    Ignore,
}

impl ColumnTarget {
    /// Parse a target as written in a mapping or a header: a field name,
    /// `attributes.<key>`, `amenity:<name>`, `floor_and_total_floors` or
    /// `ignore`. `record` says where the text came from, for the error.
    pub fn parse(text: &str, record: &RecordRef) -> Result<ColumnTarget> {
        let text = text.trim();
        if text == "ignore" {
            return Ok(ColumnTarget::Ignore);
        }
        if text == FLOOR_AND_TOTAL {
            return Ok(ColumnTarget::FloorAndTotalFloors);
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
                allowed.push(FLOOR_AND_TOTAL);
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
    /// A value for every row, by target (a field name or
    /// `attributes.<key>`); a non-empty mapped cell wins.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub defaults: BTreeMap<String, Value>,
    /// Where ids come from: a column (the default) or the row's line number.
    #[serde(default, skip_serializing_if = "IdSource::is_column")]
    pub ids: IdSource,
    /// How the date fields are written (`DD-MM-YYYY`; see [`DateFormat`]);
    /// `None` means ISO `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_format: Option<String>,
    /// Columns joined with `", "` into `location`, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub location: Vec<String>,
}

/// Where a CSV row's id comes from ([`CsvMapping::ids`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdSource {
    /// The column mapped to (or named) `id`.
    #[default]
    Column,
    /// The row's line number in the file (the header is line 1).
    Line,
}

impl IdSource {
    fn is_column(&self) -> bool {
        *self == IdSource::Column
    }
}

/// A date pattern of `YYYY`, `MM` and `DD` with literal characters between
/// them (see the [module docs](self)).
///
/// ```
/// use agent_mira::catalog::loaders::DateFormat;
/// let f: DateFormat = "DD-MM-YYYY".parse().unwrap();
/// assert_eq!(f.parse("18-05-2022").unwrap().to_string(), "2022-05-18");
/// assert_eq!(f.parse("1-7-2022").unwrap().to_string(), "2022-07-01");
/// assert!(f.parse("2022-05-18").is_none());
/// assert!(f.parse("31-02-2022").is_none());
/// let f: DateFormat = "YYYYMMDD".parse().unwrap();
/// assert_eq!(f.parse("20220518").unwrap().to_string(), "2022-05-18");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    pattern: String,
    parts: Vec<DatePart>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum DatePart {
    Year,
    Month,
    Day,
    Literal(char),
}

/// What a `date_format` must look like, for errors.
const DATE_FORMAT_EXPECTED: &str =
    "a pattern with YYYY, MM and DD once each and literal characters between them, e.g. DD-MM-YYYY";

impl std::str::FromStr for DateFormat {
    type Err = MiraError;

    fn from_str(pattern: &str) -> Result<DateFormat> {
        let bad = || {
            MiraError::invalid(
                RecordRef::Other("CSV mapping".into()),
                "date_format",
                Value::from(pattern),
                DATE_FORMAT_EXPECTED,
            )
        };
        let mut parts = Vec::new();
        let mut rest = pattern;
        while !rest.is_empty() {
            let (part, len) = if rest.starts_with("YYYY") {
                (DatePart::Year, 4)
            } else if rest.starts_with("MM") {
                (DatePart::Month, 2)
            } else if rest.starts_with("DD") {
                (DatePart::Day, 2)
            } else {
                let c = rest.chars().next().expect("not empty");
                if c.is_ascii_alphanumeric() {
                    return Err(bad());
                }
                (DatePart::Literal(c), c.len_utf8())
            };
            parts.push(part);
            rest = &rest[len..];
        }
        for wanted in [DatePart::Year, DatePart::Month, DatePart::Day] {
            if parts.iter().filter(|p| **p == wanted).count() != 1 {
                return Err(bad());
            }
        }
        Ok(DateFormat {
            pattern: pattern.to_string(),
            parts,
        })
    }
}

impl DateFormat {
    /// The pattern as written.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// Read a date written in this pattern; `None` when the text does not
    /// follow it or names a day that does not exist.
    pub fn parse(&self, text: &str) -> Option<Date> {
        let (mut year, mut month, mut day) = (None, None, None);
        let mut rest = text;
        for part in &self.parts {
            match part {
                DatePart::Literal(c) => rest = rest.strip_prefix(*c)?,
                DatePart::Year => {
                    let digits = rest
                        .get(..4)
                        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
                    year = Some(digits.parse::<i32>().ok()?);
                    rest = &rest[4..];
                }
                DatePart::Month | DatePart::Day => {
                    let len = rest.bytes().take(2).take_while(u8::is_ascii_digit).count();
                    if len == 0 {
                        return None;
                    }
                    let n = rest[..len].parse::<u32>().ok()?;
                    rest = &rest[len..];
                    if *part == DatePart::Month {
                        month = Some(n);
                    } else {
                        day = Some(n);
                    }
                }
            }
        }
        if !rest.is_empty() {
            return None;
        }
        Date::from_ymd(year?, month?, day?)
    }
}

/// A floor text as [`ColumnTarget::FloorAndTotalFloors`] reads it: `(floor,
/// total_floors)`; `None` when it is not one. A floor above the total keeps
/// the floor and drops the total.
///
/// ```
/// use agent_mira::catalog::loaders::parse_floor;
/// assert_eq!(parse_floor("3 out of 5"), Some((3, Some(5))));
/// assert_eq!(parse_floor("Ground out of 2"), Some((0, Some(2))));
/// assert_eq!(parse_floor("Upper Basement out of 3"), Some((-1, Some(3))));
/// assert_eq!(parse_floor("Lower Basement out of 2"), Some((-2, Some(2))));
/// assert_eq!(parse_floor("2/4"), Some((2, Some(4))));
/// assert_eq!(parse_floor("Ground"), Some((0, None)));
/// assert_eq!(parse_floor("8 out of 5"), Some((8, None)));
/// assert_eq!(parse_floor("third"), None);
/// ```
pub fn parse_floor(text: &str) -> Option<(i32, Option<u32>)> {
    let lower = text.trim().to_ascii_lowercase();
    let (floor, total) = match lower
        .split_once(" out of ")
        .or_else(|| lower.split_once(" of "))
        .or_else(|| lower.split_once('/'))
    {
        Some((f, t)) => (f.trim(), Some(t.trim())),
        None => (lower.as_str(), None),
    };
    let floor = match floor
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .as_str()
    {
        "ground" | "g" => 0,
        "upper basement" | "basement" => -1,
        "lower basement" => -2,
        number => number.parse::<i32>().ok()?,
    };
    let total = match total {
        None => None,
        Some(t) => Some(t.parse::<u32>().ok()?),
    };
    Some((floor, total.filter(|&t| floor <= t as i32)))
}

/// Names accepted by [`CsvMapping::preset`].
pub const PRESETS: &[&str] = &["king-county", "india-rent"];

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

    /// Check that every target is valid, and the `defaults`, `ids`,
    /// `date_format` and `location` keys (see the [module docs](self)).
    pub fn check(&self) -> Result<()> {
        let here = || RecordRef::Other("CSV mapping".into());
        for column in self.columns.keys() {
            let target = self.target(column)?;
            let clash = match target {
                Some(ColumnTarget::Field("id")) if self.ids == IdSource::Line => {
                    Some("ids is \"line\"")
                }
                Some(ColumnTarget::Field("location")) if !self.location.is_empty() => {
                    Some("location is made from columns")
                }
                _ => None,
            };
            if let Some(why) = clash {
                return Err(MiraError::invalid(
                    RecordRef::Other(format!("CSV mapping, column `{column}`")),
                    "target",
                    Value::from(self.columns[column].as_str()),
                    format!("another target ({why})"),
                ));
            }
        }
        self.date_format()?;
        if self.location.iter().any(|c| c.trim().is_empty()) {
            return Err(MiraError::invalid(
                here(),
                "location",
                crate::record::render(&Value::from(self.location.clone())),
                "a list of non-empty column names",
            ));
        }
        self.defaults_map()?;
        Ok(())
    }

    /// The parsed [`date_format`](Self::date_format), if any.
    pub fn date_format(&self) -> Result<Option<DateFormat>> {
        self.date_format.as_deref().map(str::parse).transpose()
    }

    /// The `defaults` as the fields and `attributes` of a listing, checked
    /// as a listing's would be (the error names the mapping, the field, the
    /// value and what was expected).
    pub fn defaults_map(&self) -> Result<Map<String, Value>> {
        let mut map = Map::new();
        let mut attributes = Map::new();
        for (target, value) in &self.defaults {
            let record = RecordRef::Other(format!("CSV mapping, defaults `{target}`"));
            match ColumnTarget::parse(target, &record)? {
                ColumnTarget::Field("id") => {
                    return Err(MiraError::invalid(
                        record,
                        "defaults",
                        Value::from(target.as_str()),
                        "a field other than `id` (ids come from a column or from `ids`: \"line\")",
                    ))
                }
                ColumnTarget::Field(field) => {
                    map.insert(field.to_string(), value.clone());
                }
                ColumnTarget::Attribute(key) => {
                    attributes.insert(key, value.clone());
                }
                _ => {
                    return Err(MiraError::invalid(
                        record,
                        "defaults",
                        Value::from(target.as_str()),
                        "a field name or attributes.<key>",
                    ))
                }
            }
        }
        if !attributes.is_empty() {
            map.insert("attributes".into(), Value::Object(attributes));
        }
        if !map.is_empty() {
            // Check the values as a listing's: id and price are stand-ins.
            let mut probe = map.clone();
            probe.insert("id".into(), Value::from(0));
            if !probe.contains_key("price") {
                probe.insert("price".into(), Value::from(1));
            }
            let here = RecordRef::Other("CSV mapping, defaults".into());
            Property::from_map(probe, &here, 9999).map_err(|e| match e {
                // The stand-in id is no listing of the user's: name the mapping only.
                MiraError::InvalidField {
                    field,
                    value,
                    expected,
                    ..
                } => MiraError::InvalidField {
                    record: here.clone(),
                    field,
                    value,
                    expected,
                },
                other => other,
            })?;
        }
        Ok(map)
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

    /// The preset for the India house rent file
    /// (`fixtures/india_rent/india_house_rent.csv`: 4,746 monthly rentals
    /// posted April–July 2022 in Mumbai, Chennai, Bangalore, Hyderabad, Delhi
    /// and Kolkata), read as it is; all 4,746 rows load:
    ///
    /// | column | target |
    /// |---|---|
    /// | (line number) | `id` (`ids: "line"`: row 2 of the file is id 2) |
    /// | `Posted On` (`DD-MM-YYYY`) | `available_from` |
    /// | `BHK` | `bedrooms` |
    /// | `Rent` | `price` (rupees per month) |
    /// | `Size` | `size_sqft` |
    /// | `Floor` (`3 out of 5`, `Ground out of 2`) | `floor` and `total_floors` (two rows, `8 out of 5` and `2 out of 1`, keep the floor and leave the total unknown) |
    /// | `Area Locality`, `City` | `location` (`"Bandel, Kolkata"`) |
    /// | `City` | also `attributes.city` |
    /// | `Area Type`, `Tenant Preferred`, `Point of Contact` | `attributes.area_type`, `attributes.tenant_preferred`, `attributes.point_of_contact` |
    /// | `Furnishing Status` | `furnishing` |
    /// | `Bathroom` | `bathrooms` |
    /// | (every row) | `currency` `INR`, `listing_type` `long_term_rent`, `rent_period` `month` |
    pub fn india_rent() -> Self {
        let mut m = CsvMapping::new()
            .map("Posted On", "available_from")
            .map("BHK", "bedrooms")
            .map("Rent", "price")
            .map("Size", "size_sqft")
            .map("Floor", FLOOR_AND_TOTAL)
            .map("Furnishing Status", "furnishing")
            .map("Bathroom", "bathrooms")
            .map("City", "attributes.city")
            .map("Area Type", "attributes.area_type")
            .map("Tenant Preferred", "attributes.tenant_preferred")
            .map("Point of Contact", "attributes.point_of_contact");
        for (field, value) in [
            ("currency", "INR"),
            ("listing_type", "long_term_rent"),
            ("rent_period", "month"),
        ] {
            m.defaults.insert(field.into(), Value::from(value));
        }
        m.ids = IdSource::Line;
        m.date_format = Some("DD-MM-YYYY".into());
        m.location = vec!["Area Locality".into(), "City".into()];
        m
    }

    /// A built-in mapping by name (see [`PRESETS`]): `king-county` (also
    /// spelled `king_county` or `kc`) and `india-rent` (also `india_rent`).
    /// An unknown name gets a suggestion.
    pub fn preset(name: &str) -> Result<Self> {
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "king-county" | "kc" => Ok(Self::king_county()),
            "india-rent" => Ok(Self::india_rent()),
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
