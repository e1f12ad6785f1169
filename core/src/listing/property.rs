//! `Property`: one listing, as a back end stores it, and its validation.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::{Currency, Date, Furnishing, ListingType, PropertyId, PropertyType, RentPeriod};
use crate::error::{MiraError, RecordRef, Result};
use crate::limits::{self, check_len, check_text};
use crate::record;

/// One listing. Field names follow the seeds' PostgreSQL schema so that an
/// existing `properties` table maps 1:1.
///
/// Only `id` and `price` are required. Everything else may be missing, and
/// missing is not zero: the scorer leaves out what it does not know and the
/// reasons say so.
///
/// ```
/// use agent_mira::{Property, RecordRef};
/// let json = serde_json::json!({
///     "id": 1, "price": 450000, "location": "Seattle, WA",
///     "bedrooms": 3, "bathrooms": 2.5, "amenities": ["Swimming Pool"]
/// });
/// let p = Property::from_json(json, &RecordRef::Index(0), 2025).unwrap();
/// assert_eq!(p.bedrooms, Some(3));
/// assert_eq!(p.bathrooms, Some(2.5));
/// assert_eq!(p.school_rating, None);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = image_url_schema)]
pub struct Property {
    /// The listing's id, returned as given (string or non-negative integer).
    pub id: PropertyId,
    /// Headline shown to buyers.
    #[schemars(schema_with = "crate::json_schema::title")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Listed price in the listing's `currency` (dollars when none is
    /// given); for a rental, the rent per `rent_period`.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub price: f64,
    /// City and state, e.g. "Seattle, WA".
    #[schemars(schema_with = "crate::json_schema::location")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Latitude in degrees (WGS 84).
    #[schemars(range(min = -90, max = 90))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Longitude in degrees (WGS 84).
    #[schemars(range(min = -180, max = 180))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// Number of bedrooms.
    #[schemars(with = "Option<u32>", range(max = 1000))]
    #[serde(
        default,
        deserialize_with = "whole_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub bedrooms: Option<u32>,
    /// Number of bathrooms; may be fractional (2.5).
    #[schemars(range(min = 0, max = 1000))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bathrooms: Option<f64>,
    /// Living area in square feet.
    #[schemars(extend("exclusiveMinimum" = 0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_sqft: Option<f64>,
    /// Lot area in square feet.
    #[schemars(extend("exclusiveMinimum" = 0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lot_sqft: Option<f64>,
    /// Year of construction (not after the engine's `current_year`).
    #[schemars(range(min = MIN_YEAR_BUILT))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_built: Option<i32>,
    /// Kind of property.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property_type: Option<PropertyType>,
    /// How it is offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing_type: Option<ListingType>,
    /// Amenities as written by the lister; missing means unknown, an empty
    /// list means "none". Normalised to canonical names in the catalog.
    #[schemars(schema_with = "crate::json_schema::amenity_list")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amenities: Option<Vec<String>>,
    /// Rating of the local schools, 0–10.
    #[schemars(range(min = 0, max = 10))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school_rating: Option<f64>,
    /// Commute to the city centre in minutes.
    #[schemars(range(min = 0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commute_time: Option<f64>,
    /// For a rental: the period `price` is quoted for (`month`, `week` or
    /// `night`; a rental without one is quoted per month). Refused on a
    /// sale or investment listing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rent_period: Option<RentPeriod>,
    /// First day the home can be moved into (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_from: Option<Date>,
    /// Last day the home is available (`YYYY-MM-DD`, not before
    /// `available_from`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_until: Option<Date>,
    /// Shortest lease the landlord accepts, in months.
    #[schemars(with = "Option<u32>", range(min = 1, max = 1200))]
    #[serde(
        default,
        deserialize_with = "whole_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub min_lease_months: Option<u32>,
    /// Longest lease the landlord accepts, in months (not below
    /// `min_lease_months`).
    #[schemars(with = "Option<u32>", range(min = 1, max = 1200))]
    #[serde(
        default,
        deserialize_with = "whole_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub max_lease_months: Option<u32>,
    /// Security deposit, in the listing's currency.
    #[schemars(range(min = 0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deposit: Option<f64>,
    /// How the home comes furnished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub furnishing: Option<Furnishing>,
    /// Whether pets are allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pets_allowed: Option<bool>,
    /// The floor the home is on: 0 is the ground floor, negative numbers
    /// are basements.
    #[schemars(with = "Option<i32>", range(min = -20, max = 300))]
    #[serde(
        default,
        deserialize_with = "whole_signed",
        skip_serializing_if = "Option::is_none"
    )]
    pub floor: Option<i32>,
    /// Floors in the building (at least 1, and not below `floor`).
    #[schemars(with = "Option<u32>", range(min = 1, max = 300))]
    #[serde(
        default,
        deserialize_with = "whole_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub total_floors: Option<u32>,
    /// For a home for sale: the rent it would fetch per month, in the
    /// listing's currency (an investor's estimate; a rent model can supply
    /// one instead, see [`crate::investment`]).
    #[schemars(extend("exclusiveMinimum" = 0))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_rent: Option<f64>,
    /// ISO 4217 code of `price` and `deposit` (`USD`, `INR`…). Listings in
    /// different currencies are never compared with each other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// Picture addresses.
    #[schemars(schema_with = "crate::json_schema::image_urls")]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub image_urls: Vec<String>,
    /// Free key/value data (like a JSONB column), kept and returned as is.
    #[schemars(schema_with = "crate::json_schema::attributes")]
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, Value>,
    /// The listing's embedding: 1 to 4,096 finite numbers, not all zero,
    /// from whatever model the host uses. All the vectors of one catalog
    /// have the same length. The catalog stores the vector once, normalised
    /// to unit length, apart from the listing's other fields (see
    /// [`crate::embedding`]).
    #[schemars(length(min = 1, max = crate::embedding::MAX_EMBEDDING_DIM))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embedding: Option<Vec<f32>>,
}

/// The field names of [`Property`], in schema order.
pub const PROPERTY_FIELDS: &[&str] = &[
    "id",
    "title",
    "price",
    "location",
    "latitude",
    "longitude",
    "bedrooms",
    "bathrooms",
    "size_sqft",
    "lot_sqft",
    "year_built",
    "property_type",
    "listing_type",
    "amenities",
    "school_rating",
    "commute_time",
    "rent_period",
    "available_from",
    "available_until",
    "min_lease_months",
    "max_lease_months",
    "deposit",
    "furnishing",
    "pets_allowed",
    "floor",
    "total_floors",
    "estimated_rent",
    "currency",
    "image_urls",
    "attributes",
    "embedding",
];

/// The schema of [`Property`] as [`Property::from_map`] reads it: a single
/// `image_url` string may stand for `image_urls`, but not beside it.
fn image_url_schema(schema: &mut schemars::Schema) {
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        let url = crate::json_schema::text(
            "A single picture address, instead of `image_urls`.",
            limits::MAX_IMAGE_URL_BYTES,
            false,
        );
        properties.insert(
            "image_url".into(),
            crate::json_schema::nullable(url).to_value(),
        );
    }
    // A `null` is "not given", so only a non-null `image_url` excludes
    // `image_urls`.
    schema.insert(
        "if".into(),
        serde_json::json!({ "properties": { "image_url": { "type": "string" } }, "required": ["image_url"] }),
    );
    schema.insert(
        "then".into(),
        serde_json::json!({
            "description": "Either `image_url` or `image_urls`, not both.",
            "properties": { "image_urls": { "type": "null" } }
        }),
    );
}

/// Upper bounds that catch unit mistakes and garbage without rejecting real
/// listings (a 1,000-bedroom listing is a data error, a 50-room hotel is not).
pub(crate) const MAX_ROOMS: f64 = 1000.0;
/// Longest lease term accepted, in months (a century).
pub(crate) const MAX_LEASE_MONTHS: u32 = 1200;
/// Lowest floor accepted (a deep basement).
pub(crate) const MIN_FLOOR: i32 = -20;
/// Most floors a building may have (the tallest towers have about 160).
pub(crate) const MAX_FLOORS: u32 = 300;
/// Earliest accepted year of construction.
pub(crate) const MIN_YEAR_BUILT: i32 = 1000;

impl Property {
    /// A listing with only the required fields set.
    pub fn new(id: impl Into<PropertyId>, price: f64) -> Self {
        Property {
            id: id.into(),
            title: None,
            price,
            location: None,
            latitude: None,
            longitude: None,
            bedrooms: None,
            bathrooms: None,
            size_sqft: None,
            lot_sqft: None,
            year_built: None,
            property_type: None,
            listing_type: None,
            amenities: None,
            school_rating: None,
            commute_time: None,
            rent_period: None,
            available_from: None,
            available_until: None,
            min_lease_months: None,
            max_lease_months: None,
            deposit: None,
            furnishing: None,
            pets_allowed: None,
            floor: None,
            total_floors: None,
            estimated_rent: None,
            currency: None,
            image_urls: Vec::new(),
            attributes: BTreeMap::new(),
            embedding: None,
        }
    }

    /// Parse and validate one record. `record` says where it came from (for
    /// error messages); `current_year` bounds `year_built`.
    ///
    /// JSON `null` means "missing". Unknown keys are rejected with a
    /// suggestion; a single `image_url` string is accepted for `image_urls`.
    pub fn from_json(value: Value, record: &RecordRef, current_year: i32) -> Result<Self> {
        let Value::Object(map) = value else {
            return Err(MiraError::invalid(
                record.clone(),
                "<record>",
                record::render(&value),
                "a JSON object",
            ));
        };
        Self::from_map(map, record, current_year)
    }

    /// Like [`Property::from_json`], from an already-split object.
    pub fn from_map(
        mut map: Map<String, Value>,
        record: &RecordRef,
        current_year: i32,
    ) -> Result<Self> {
        map.retain(|_, v| !v.is_null());
        if let Some(url) = map.remove("image_url") {
            if map.contains_key("image_urls") {
                return Err(MiraError::invalid(
                    record.clone(),
                    "image_url",
                    record::render(&url),
                    "either `image_url` or `image_urls`, not both",
                ));
            }
            map.insert("image_urls".into(), Value::Array(vec![url]));
        }
        record::check_keys(&map, PROPERTY_FIELDS, record)?;
        for required in ["id", "price"] {
            if !map.contains_key(required) {
                let record = match map.get("id") {
                    Some(id) => with_id(record, &record::render(id)),
                    None => record.clone(),
                };
                return Err(MiraError::MissingField {
                    record,
                    field: required.into(),
                });
            }
        }
        let id_text = map.get("id").map(record::render).unwrap_or_default();
        limits::check_depth(&with_id(record, &id_text), &map)?;
        let property: Property = record::from_object(map, record)?;
        property.validate(&with_id(record, &id_text), current_year)?;
        Ok(property)
    }

    /// Check ranges: price finite and > 0, rooms ≥ 0, school rating 0–10,
    /// year built not after `current_year`, commute ≥ 0, coordinates on Earth,
    /// areas > 0, no empty strings where text is expected, an `embedding` of
    /// 1 to 4,096 finite numbers that are not all zero (its length against
    /// the catalog's dimension is the catalog builder's check).
    pub fn validate(&self, record: &RecordRef, current_year: i32) -> Result<()> {
        let bad = |field: &str, value: String, expected: &str| {
            Err(MiraError::invalid(record.clone(), field, value, expected))
        };
        if let PropertyId::Str(s) = &self.id {
            if s.trim().is_empty() {
                return bad(
                    "id",
                    limits::shorten(s),
                    "a non-empty string or a non-negative integer",
                );
            }
            check_text(record, "id", s, limits::MAX_ID_BYTES, "an id")?;
        }
        if !(self.price.is_finite() && self.price > 0.0) {
            return bad("price", self.price.to_string(), "a finite number > 0");
        }
        check_range(record, "latitude", self.latitude, -90.0, 90.0)?;
        check_range(record, "longitude", self.longitude, -180.0, 180.0)?;
        if let Some(b) = self.bedrooms {
            if b as f64 > MAX_ROOMS {
                return bad(
                    "bedrooms",
                    b.to_string(),
                    "a whole number between 0 and 1000",
                );
            }
        }
        check_range(record, "bathrooms", self.bathrooms, 0.0, MAX_ROOMS)?;
        check_positive(record, "size_sqft", self.size_sqft)?;
        check_positive(record, "lot_sqft", self.lot_sqft)?;
        if let Some(y) = self.year_built {
            if y > current_year || y < MIN_YEAR_BUILT {
                return bad(
                    "year_built",
                    y.to_string(),
                    &format!(
                        "a year between {MIN_YEAR_BUILT} and {current_year} (not in the future)"
                    ),
                );
            }
        }
        check_range(record, "school_rating", self.school_rating, 0.0, 10.0)?;
        if let Some(c) = self.commute_time {
            if !(c.is_finite() && c >= 0.0) {
                return bad(
                    "commute_time",
                    c.to_string(),
                    "a finite number of minutes ≥ 0",
                );
            }
        }
        for (field, text) in [("title", &self.title), ("location", &self.location)] {
            if let Some(t) = text {
                if t.trim().is_empty() {
                    return bad(
                        field,
                        limits::shorten(t),
                        "non-empty text (or leave the field out)",
                    );
                }
            }
        }
        if let Some(t) = &self.title {
            check_text(record, "title", t, limits::MAX_TITLE_BYTES, "text")?;
        }
        if let Some(t) = &self.location {
            check_text(record, "location", t, limits::MAX_LOCATION_BYTES, "text")?;
        }
        if let Some(list) = &self.amenities {
            check_len(
                record,
                "amenities",
                list.len(),
                limits::MAX_AMENITIES,
                "amenities",
            )?;
            if let Some(empty) = list.iter().find(|a| a.trim().is_empty()) {
                return bad(
                    "amenities",
                    limits::shorten(empty),
                    "non-empty amenity names",
                );
            }
            for (i, a) in list.iter().enumerate() {
                // The field's name is written out only for an amenity that
                // fails (a string per amenity otherwise).
                let check = |field: &str| {
                    check_text(
                        record,
                        field,
                        a,
                        limits::MAX_AMENITY_BYTES,
                        "an amenity name",
                    )
                };
                if check("amenities").is_err() {
                    check(&format!("amenities[{i}]"))?;
                }
            }
        }
        check_len(
            record,
            "image_urls",
            self.image_urls.len(),
            limits::MAX_IMAGE_URLS,
            "image URLs",
        )?;
        for (i, url) in self.image_urls.iter().enumerate() {
            let check =
                |field: &str| check_text(record, field, url, limits::MAX_IMAGE_URL_BYTES, "a URL");
            if check("image_urls").is_err() {
                check(&format!("image_urls[{i}]"))?;
            }
        }
        self.check_rental_terms(record)?;
        self.check_attributes(record)?;
        if let Some(v) = &self.embedding {
            crate::embedding::check(record, "embedding", v)?;
        }
        Ok(())
    }

    /// The renting fields: a rent period only on a rental, an availability
    /// window that does not end before it starts, lease limits 1–1200
    /// months with the minimum not above the maximum, a deposit ≥ 0, floors
    /// that fit in the building.
    fn check_rental_terms(&self, record: &RecordRef) -> Result<()> {
        let bad = |field: &str, value: String, expected: String| {
            Err(MiraError::invalid(record.clone(), field, value, expected))
        };
        if let (Some(period), Some(kind)) = (self.rent_period, self.listing_type) {
            if !kind.is_rental() {
                return bad(
                    "rent_period",
                    format!("\"{period}\""),
                    format!(
                        "no rent period on a `{kind}` listing (only long_term_rent and short_term_rent are rented)"
                    ),
                );
            }
        }
        if let (Some(from), Some(until)) = (self.available_from, self.available_until) {
            if until < from {
                return bad(
                    "available_until",
                    format!("\"{until}\""),
                    format!("a date on or after available_from ({from})"),
                );
            }
        }
        for (field, months) in [
            ("min_lease_months", self.min_lease_months),
            ("max_lease_months", self.max_lease_months),
        ] {
            if let Some(m) = months {
                if !(1..=MAX_LEASE_MONTHS).contains(&m) {
                    return bad(
                        field,
                        m.to_string(),
                        format!("a whole number of months between 1 and {MAX_LEASE_MONTHS}"),
                    );
                }
            }
        }
        if let (Some(min), Some(max)) = (self.min_lease_months, self.max_lease_months) {
            if max < min {
                return bad(
                    "max_lease_months",
                    max.to_string(),
                    format!("at least min_lease_months ({min})"),
                );
            }
        }
        if let Some(r) = self.estimated_rent {
            if !(r.is_finite() && r > 0.0) {
                return bad(
                    "estimated_rent",
                    r.to_string(),
                    "a finite rent per month > 0".into(),
                );
            }
        }
        if let Some(d) = self.deposit {
            if !(d.is_finite() && d >= 0.0) {
                return bad("deposit", d.to_string(), "a finite amount ≥ 0".into());
            }
        }
        if let Some(f) = self.floor {
            if !(MIN_FLOOR..=MAX_FLOORS as i32).contains(&f) {
                return bad(
                    "floor",
                    f.to_string(),
                    format!("a whole number between {MIN_FLOOR} (basements are negative) and {MAX_FLOORS}"),
                );
            }
        }
        if let Some(t) = self.total_floors {
            if !(1..=MAX_FLOORS).contains(&t) {
                return bad(
                    "total_floors",
                    t.to_string(),
                    format!("a whole number between 1 and {MAX_FLOORS}"),
                );
            }
            if let Some(f) = self.floor {
                if f > t as i32 {
                    return bad(
                        "floor",
                        f.to_string(),
                        format!("a floor of the building (total_floors is {t})"),
                    );
                }
            }
        }
        Ok(())
    }

    /// Whether the listing is offered for rent: its `listing_type` is a
    /// rental, or (without one) it names a `rent_period`.
    pub fn is_rental(&self) -> bool {
        match self.listing_type {
            Some(kind) => kind.is_rental(),
            None => self.rent_period.is_some(),
        }
    }

    /// A rental's rent per month, by the rule of
    /// [`RentPeriod::per_month`] (a rental without a period is quoted per
    /// month); `None` for a listing that is not a rental.
    pub fn monthly_rent(&self) -> Option<f64> {
        self.is_rental()
            .then(|| self.price * self.rent_period.unwrap_or(RentPeriod::Month).per_month())
    }

    /// `attributes`: entry count, key length and characters, value depth and
    /// size (see [`crate::limits`]).
    fn check_attributes(&self, record: &RecordRef) -> Result<()> {
        check_len(
            record,
            "attributes",
            self.attributes.len(),
            limits::MAX_ATTRIBUTES,
            "entries",
        )?;
        for (key, value) in &self.attributes {
            if key.len() > limits::MAX_ATTRIBUTE_KEY_BYTES || limits::control_char(key).is_some() {
                return Err(MiraError::invalid(
                    record.clone(),
                    "attributes",
                    format!("a key {}", limits::shorten(key)),
                    format!(
                        "keys of at most {} bytes without control characters",
                        limits::MAX_ATTRIBUTE_KEY_BYTES
                    ),
                ));
            }
            // The record is level 1 and `attributes` level 2.
            if let Some(path) = limits::too_deep(value, limits::MAX_DEPTH - 2) {
                let sep = if path.is_empty() || path.starts_with('[') {
                    ""
                } else {
                    "."
                };
                return Err(limits::too_deep_error(
                    record.clone(),
                    &format!("attributes.{key}{sep}{path}"),
                ));
            }
            let size = json_size(value);
            if size > limits::MAX_ATTRIBUTE_VALUE_BYTES {
                return Err(MiraError::invalid(
                    record.clone(),
                    format!("attributes.{key}"),
                    format!("{} ({size} bytes of JSON)", record::render(value)),
                    format!(
                        "a value of at most {} bytes of JSON",
                        limits::MAX_ATTRIBUTE_VALUE_BYTES
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The length of `value` written as compact JSON, without building the text.
fn json_size(value: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}

/// `record` extended with the listing's id, so that an error in a file names
/// both the line and the listing.
pub(crate) fn with_id(record: &RecordRef, id: &str) -> RecordRef {
    match record {
        RecordRef::Id(_) => record.clone(),
        other => RecordRef::Other(format!("{other} (listing {id})")),
    }
}

fn check_range(
    record: &RecordRef,
    field: &str,
    value: Option<f64>,
    lo: f64,
    hi: f64,
) -> Result<()> {
    match value {
        Some(v) if !(v.is_finite() && v >= lo && v <= hi) => Err(MiraError::invalid(
            record.clone(),
            field,
            v,
            format!("a number between {lo} and {hi}"),
        )),
        _ => Ok(()),
    }
}

fn check_positive(record: &RecordRef, field: &str, value: Option<f64>) -> Result<()> {
    match value {
        Some(v) if !(v.is_finite() && v > 0.0) => Err(MiraError::invalid(
            record.clone(),
            field,
            v,
            "a finite number of square feet > 0",
        )),
        _ => Ok(()),
    }
}

/// Accept `3`, `3.0` (pandas writes integer columns with gaps as floats) but
/// not `2.5` or `-1`.
fn whole_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let v = Value::deserialize(d)?;
    let n = match &v {
        Value::Null => return Ok(None),
        Value::Number(n) => n.as_f64(),
        _ => None,
    };
    match n {
        Some(f) if f.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&f) => Ok(Some(f as u32)),
        _ => Err(serde::de::Error::custom(format!(
            "got {}, expected a whole number ≥ 0",
            record::render(&v)
        ))),
    }
}

/// Accept a whole number that may be negative (a basement floor, `-1`).
fn whole_signed<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    let v = Value::deserialize(d)?;
    let n = match &v {
        Value::Null => return Ok(None),
        Value::Number(n) => n.as_f64(),
        _ => None,
    };
    match n {
        Some(f) if f.fract() == 0.0 && (i32::MIN as f64..=i32::MAX as f64).contains(&f) => {
            Ok(Some(f as i32))
        }
        _ => Err(serde::de::Error::custom(format!(
            "got {}, expected a whole number",
            record::render(&v)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> Result<Property> {
        Property::from_json(v, &RecordRef::Index(0), 2025)
    }

    fn message(v: Value) -> String {
        parse(v).unwrap_err().to_string()
    }

    #[test]
    fn minimal_record_has_everything_else_missing() {
        let p = parse(json!({"id": "a1", "price": 100000})).unwrap();
        assert_eq!(p, Property::new("a1", 100000.0));
    }

    #[test]
    fn nulls_are_missing() {
        let p =
            parse(json!({"id": 1, "price": 1.0, "bedrooms": null, "school_rating": null})).unwrap();
        assert_eq!(p.bedrooms, None);
    }

    #[test]
    fn required_fields() {
        assert_eq!(
            message(json!({"price": 5})),
            "record #0: missing required field `id`"
        );
        assert_eq!(
            message(json!({"id": 9})),
            "record #0 (listing 9): missing required field `price`"
        );
    }

    #[test]
    fn price_must_be_positive_and_finite() {
        assert_eq!(
            message(json!({"id": 9, "price": 0})),
            "record #0 (listing 9): field `price` = 0: expected a finite number > 0"
        );
        assert_eq!(
            message(json!({"id": 9, "price": "cheap"})),
            "record #0: field `price` = \"cheap\": expected a number"
        );
    }

    #[test]
    fn rooms_ranges() {
        assert_eq!(
            message(json!({"id": 1, "price": 1, "bedrooms": -1})),
            "record #0: field `bedrooms` = -1: expected got -1, expected a whole number ≥ 0"
                .replace("expected got -1, expected ", "expected ")
        );
        assert!(message(json!({"id": 1, "price": 1, "bedrooms": 2.5})).contains("`bedrooms` = 2.5"));
        assert_eq!(
            parse(json!({"id": 1, "price": 1, "bedrooms": 3.0}))
                .unwrap()
                .bedrooms,
            Some(3)
        );
        assert_eq!(
            message(json!({"id": 1, "price": 1, "bathrooms": -0.5})),
            "record #0 (listing 1): field `bathrooms` = -0.5: expected a number between 0 and 1000"
        );
    }

    #[test]
    fn school_rating_is_zero_to_ten() {
        assert_eq!(
            message(json!({"id": 1, "price": 1, "school_rating": 11})),
            "record #0 (listing 1): field `school_rating` = 11: expected a number between 0 and 10"
        );
        assert!(parse(json!({"id": 1, "price": 1, "school_rating": 10})).is_ok());
    }

    #[test]
    fn year_built_not_in_the_future() {
        assert_eq!(
            message(json!({"id": 1, "price": 1, "year_built": 2030})),
            "record #0 (listing 1): field `year_built` = 2030: expected a year between 1000 and 2025 (not in the future)"
        );
    }

    #[test]
    fn commute_is_non_negative() {
        assert!(message(json!({"id": 1, "price": 1, "commute_time": -3}))
            .ends_with("field `commute_time` = -3: expected a finite number of minutes ≥ 0"));
    }

    #[test]
    fn coordinates_are_on_earth() {
        assert!(message(json!({"id": 1, "price": 1, "latitude": 91}))
            .ends_with("field `latitude` = 91: expected a number between -90 and 90"));
    }

    #[test]
    fn unknown_keys_suggest_the_field() {
        assert_eq!(
            message(json!({"id": 1, "price": 1, "bedroms": 3})),
            "record #0: unknown field `bedroms` (did you mean `bedrooms`?)"
        );
    }

    #[test]
    fn enums_list_their_choices() {
        assert_eq!(
            message(json!({"id": 1, "price": 1, "property_type": "castle"})),
            "record #0: field `property_type` = \"castle\": expected one of sfh, condo, townhouse, apartment, villa, land, commercial (property type)"
        );
    }

    #[test]
    fn negative_and_empty_ids_are_rejected() {
        assert!(message(json!({"id": -4, "price": 1})).contains("field `id` = -4"));
        assert!(message(json!({"id": " ", "price": 1})).contains("field `id`"));
        assert!(message(json!({"id": 1.5, "price": 1})).contains("field `id` = 1.5"));
    }

    #[test]
    fn image_url_becomes_image_urls() {
        let p = parse(json!({"id": 1, "price": 1, "image_url": "http://x/1.jpg"})).unwrap();
        assert_eq!(p.image_urls, vec!["http://x/1.jpg".to_string()]);
    }

    #[test]
    fn a_non_object_is_rejected() {
        assert_eq!(
            message(json!([1, 2])),
            "record #0: field `<record>` = [1,2]: expected a JSON object"
        );
    }

    #[test]
    fn round_trips_through_serde() {
        let p = parse(
            json!({"id": "x", "price": 2.5e5, "amenities": [], "attributes": {"zip": "98004"}}),
        )
        .unwrap();
        let back: Property = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.amenities, Some(vec![]));
    }

    #[test]
    fn an_embedding_is_a_list_of_finite_numbers() {
        let p = parse(json!({"id": 1, "price": 1, "embedding": [0.5, -1, 2e-3]})).unwrap();
        assert_eq!(p.embedding, Some(vec![0.5, -1.0, 0.002]));
        assert_eq!(
            message(json!({"id": 7, "price": 1, "embedding": [1, 2, 1e39]})),
            "record #0 (listing 7): field `embedding[2]` = inf: expected a finite number"
        );
        assert_eq!(
            message(json!({"id": 7, "price": 1, "embedding": [0, 0.0, -0.0]})),
            "record #0 (listing 7): field `embedding` = all zeros: expected a vector with a length > 0 (cosine needs a direction)"
        );
        assert_eq!(
            message(json!({"id": 7, "price": 1, "embedding": []})),
            "record #0 (listing 7): field `embedding` = 0 numbers: expected between 1 and 4096 numbers"
        );
        assert_eq!(
            message(json!({"id": 7, "price": 1, "embedding": [1, "x"]})),
            "record #0: field `embedding[1]` = \"x\": expected a number"
        );
        let back: Property = serde_json::from_str(
            &serde_json::to_string(
                &parse(json!({"id": 1, "price": 1, "embedding": [0.1, 0.7]})).unwrap(),
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(back.embedding, Some(vec![0.1, 0.7]));
    }
}
