//! The fitted encoder.

use std::collections::{BTreeMap, HashMap};

use ndarray::Array2;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::catalog::{location_key, Catalog};
use crate::listing::{AmenityTable, Furnishing, ListingType, Property, PropertyType};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureKind {
    /// A number taken from the listing.
    Numeric,
    /// A number computed from the listing (age, logarithm).
    Derived,
    /// 1.0 when a category has this value, else 0.0.
    OneHot,
    /// A place replaced by the smoothed mean log price seen there.
    TargetEncoded,
    /// 1.0 when the listing has the amenity, else 0.0.
    AmenityFlag,
    /// A numeric value from `attributes`.
    Attribute,
}

/// One column: its name (as the model card lists it) and kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureSpec {
    /// Column name, e.g. `size_sqft`, `property_type=condo`, `amenity=view`.
    pub name: String,
    /// What the column holds.
    pub kind: FeatureKind,
}

/// A fitted target encoding: place → smoothed mean log price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetEncoding {
    /// Mean log price over all fitting listings.
    pub global_mean: f64,
    /// Prior weight: a place with `n` listings gets
    /// `(n·mean + m·global_mean) / (n + m)`.
    pub smoothing: f64,
    /// Encoded value per normalised place key.
    pub values: BTreeMap<String, f64>,
}

impl TargetEncoding {
    fn fit(pairs: impl Iterator<Item = (String, f64)>, smoothing: f64) -> Option<TargetEncoding> {
        let mut sums: HashMap<String, (f64, f64)> = HashMap::new();
        let (mut total, mut count) = (0.0, 0.0);
        for (key, log_price) in pairs {
            let e = sums.entry(key).or_insert((0.0, 0.0));
            e.0 += log_price;
            e.1 += 1.0;
            total += log_price;
            count += 1.0;
        }
        if sums.is_empty() {
            return None;
        }
        let global_mean = total / count;
        let values = sums
            .into_iter()
            .map(|(k, (sum, n))| (k, (sum + smoothing * global_mean) / (n + smoothing)))
            .collect();
        Some(TargetEncoding {
            global_mean,
            smoothing,
            values,
        })
    }

    /// The encoded value of a place key; NaN when the place was never seen.
    pub fn value(&self, key: &str) -> f64 {
        self.values.get(key).copied().unwrap_or(f64::NAN)
    }
}

/// Prior weight of the location target encodings.
const SMOOTHING: f64 = 20.0;
/// An amenity becomes a column when at least this share of listings has it.
const AMENITY_MIN_SHARE: f64 = 0.005;
/// At most this many amenity columns.
const MAX_AMENITY_COLUMNS: usize = 32;
/// Attribute keys treated as places (target-encoded), not numbers.
const PLACE_ATTRIBUTES: &[&str] = &[
    "zipcode",
    "zip",
    "zip_code",
    "postal_code",
    "postcode",
    "neighborhood",
    "neighbourhood",
    "city",
    "locality",
    "district",
];
/// A text attribute becomes one-hot columns when it is text in at least
/// half of the listings and takes at most this many distinct values.
const MAX_CATEGORY_VALUES: usize = 12;

/// Turns listings into feature rows. Fitted once on training listings;
/// serialised inside the model file so predictions use the very same
/// columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureEncoder {
    /// The year `age_years` is counted from.
    pub current_year: i32,
    /// Columns in order.
    pub features: Vec<FeatureSpec>,
    /// Location target encoding (when the fitting listings had locations).
    pub location: Option<TargetEncoding>,
    /// Target encodings of place-like attributes, by attribute key.
    pub place_attributes: BTreeMap<String, TargetEncoding>,
    /// Amenity synonym table used to normalise amenities.
    pub amenity_table: AmenityTable,
}

/// How each column is computed, resolved once per transform.
enum Column {
    Field(FieldGetter),
    Derived(DerivedGetter),
    PropertyType(PropertyType),
    ListingType(ListingType),
    Furnishing(Furnishing),
    AttributeIs(String, String),
    Location,
    PlaceAttribute(String),
    Amenity(String),
    Attribute(String),
}

/// Reads one numeric field of a listing.
type FieldGetter = fn(&Property) -> Option<f64>;
/// Computes a derived value from a listing and the current year.
type DerivedGetter = fn(&Property, f64) -> Option<f64>;

const NUMERIC: &[(&str, FieldGetter)] = &[
    ("bedrooms", |p| p.bedrooms.map(f64::from)),
    ("bathrooms", |p| p.bathrooms),
    ("size_sqft", |p| p.size_sqft),
    ("lot_sqft", |p| p.lot_sqft),
    ("year_built", |p| p.year_built.map(f64::from)),
    ("school_rating", |p| p.school_rating),
    ("commute_time", |p| p.commute_time),
    ("latitude", |p| p.latitude),
    ("longitude", |p| p.longitude),
    ("floor", |p| p.floor.map(f64::from)),
    ("total_floors", |p| p.total_floors.map(f64::from)),
];

const DERIVED: &[(&str, &str, DerivedGetter)] = &[
    ("age_years", "year_built", |p, year| {
        p.year_built.map(|y| year - f64::from(y))
    }),
    ("log_size_sqft", "size_sqft", |p, _| {
        p.size_sqft.map(f64::ln)
    }),
    ("log_lot_sqft", "lot_sqft", |p, _| p.lot_sqft.map(f64::ln)),
];

impl FeatureEncoder {
    /// Fit on a catalog's listings, using their listed prices as the target
    /// for the place encodings.
    pub fn fit(catalog: &Catalog, current_year: i32) -> FeatureEncoder {
        let props: Vec<&Property> = catalog.properties().collect();
        let prices: Vec<f64> = props.iter().map(|p| p.price).collect();
        Self::fit_with_targets(
            &props,
            &prices,
            current_year,
            catalog.amenity_table().clone(),
        )
    }

    /// Fit on listings with explicit targets (prices in dollars, > 0).
    pub fn fit_with_targets(
        props: &[&Property],
        prices: &[f64],
        current_year: i32,
        amenity_table: AmenityTable,
    ) -> FeatureEncoder {
        let n = props.len().max(1) as f64;
        let mut features = Vec::new();
        let push = |features: &mut Vec<FeatureSpec>, name: String, kind| {
            features.push(FeatureSpec { name, kind })
        };
        let has = |f: FieldGetter| props.iter().any(|p| f(p).is_some());
        for (name, f) in NUMERIC {
            if has(*f) {
                push(&mut features, name.to_string(), FeatureKind::Numeric);
            }
        }
        for (name, source, _) in DERIVED {
            if features.iter().any(|s| s.name == *source) {
                push(&mut features, name.to_string(), FeatureKind::Derived);
            }
        }
        for t in PropertyType::ALL {
            if props.iter().any(|p| p.property_type == Some(*t)) {
                push(
                    &mut features,
                    format!("property_type={t}"),
                    FeatureKind::OneHot,
                );
            }
        }
        for t in ListingType::ALL {
            if props.iter().any(|p| p.listing_type == Some(*t)) {
                push(
                    &mut features,
                    format!("listing_type={t}"),
                    FeatureKind::OneHot,
                );
            }
        }
        for f in Furnishing::ALL {
            if props.iter().any(|p| p.furnishing == Some(*f)) {
                push(
                    &mut features,
                    format!("furnishing={f}"),
                    FeatureKind::OneHot,
                );
            }
        }
        let location = TargetEncoding::fit(
            props.iter().zip(prices).filter_map(|(p, price)| {
                p.location.as_deref().map(|l| (location_key(l), price.ln()))
            }),
            SMOOTHING,
        );
        if location.is_some() {
            push(
                &mut features,
                "location_value".into(),
                FeatureKind::TargetEncoded,
            );
        }
        let mut place_attributes = BTreeMap::new();
        for key in PLACE_ATTRIBUTES {
            let enc = TargetEncoding::fit(
                props.iter().zip(prices).filter_map(|(p, price)| {
                    p.attributes
                        .get(*key)
                        .and_then(place_key)
                        .map(|k| (k, price.ln()))
                }),
                SMOOTHING,
            );
            if let Some(enc) = enc {
                push(
                    &mut features,
                    format!("{key}_value"),
                    FeatureKind::TargetEncoded,
                );
                place_attributes.insert(key.to_string(), enc);
            }
        }
        let mut amenity_counts: BTreeMap<String, usize> = BTreeMap::new();
        for p in props {
            let mut seen: Vec<String> = p
                .amenities
                .iter()
                .flatten()
                .map(|a| amenity_table.normalize(a))
                .collect();
            seen.sort();
            seen.dedup();
            for a in seen {
                *amenity_counts.entry(a).or_default() += 1;
            }
        }
        let mut amenities: Vec<(usize, String)> = amenity_counts
            .into_iter()
            .filter(|(_, c)| *c as f64 >= AMENITY_MIN_SHARE * n)
            .map(|(a, c)| (c, a))
            .collect();
        amenities.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        amenities.truncate(MAX_AMENITY_COLUMNS);
        amenities.sort_by(|a, b| a.1.cmp(&b.1));
        for (_, a) in amenities {
            push(
                &mut features,
                format!("amenity={a}"),
                FeatureKind::AmenityFlag,
            );
        }
        let mut numeric_attrs: BTreeMap<&str, usize> = BTreeMap::new();
        for p in props {
            for (k, v) in &p.attributes {
                if v.is_number() && !PLACE_ATTRIBUTES.contains(&k.as_str()) {
                    *numeric_attrs.entry(k.as_str()).or_default() += 1;
                }
            }
        }
        for (k, c) in numeric_attrs {
            if c as f64 >= 0.5 * n {
                push(&mut features, format!("attr.{k}"), FeatureKind::Attribute);
            }
        }
        let mut text_attrs: BTreeMap<&str, (usize, std::collections::BTreeSet<&str>)> =
            BTreeMap::new();
        for p in props {
            for (k, v) in &p.attributes {
                if let Some(text) = v.as_str().filter(|t| !t.trim().is_empty()) {
                    if !PLACE_ATTRIBUTES.contains(&k.as_str()) {
                        let e = text_attrs.entry(k.as_str()).or_default();
                        e.0 += 1;
                        if e.1.len() <= MAX_CATEGORY_VALUES {
                            e.1.insert(text);
                        }
                    }
                }
            }
        }
        for (k, (c, values)) in text_attrs {
            if c as f64 >= 0.5 * n && values.len() <= MAX_CATEGORY_VALUES {
                for v in values {
                    push(&mut features, format!("attr.{k}={v}"), FeatureKind::OneHot);
                }
            }
        }
        FeatureEncoder {
            current_year,
            features,
            location,
            place_attributes,
            amenity_table,
        }
    }

    /// Column names in order (the model card's feature list).
    pub fn feature_names(&self) -> Vec<&str> {
        self.features.iter().map(|f| f.name.as_str()).collect()
    }

    /// Number of columns.
    pub fn num_features(&self) -> usize {
        self.features.len()
    }

    fn columns(&self) -> Vec<Column> {
        self.features
            .iter()
            .map(|spec| {
                let name = spec.name.as_str();
                match spec.kind {
                    FeatureKind::Numeric => Column::Field(
                        NUMERIC
                            .iter()
                            .find(|(n, _)| *n == name)
                            .map(|(_, f)| *f)
                            .unwrap_or(|_| None),
                    ),
                    FeatureKind::Derived => Column::Derived(
                        DERIVED
                            .iter()
                            .find(|(n, _, _)| *n == name)
                            .map(|(_, _, f)| *f)
                            .unwrap_or(|_, _| None),
                    ),
                    FeatureKind::OneHot => match name.split_once('=') {
                        Some(("property_type", v)) => v
                            .parse()
                            .map(Column::PropertyType)
                            .unwrap_or(Column::Field(|_| None)),
                        Some(("listing_type", v)) => v
                            .parse()
                            .map(Column::ListingType)
                            .unwrap_or(Column::Field(|_| None)),
                        Some(("furnishing", v)) => v
                            .parse()
                            .map(Column::Furnishing)
                            .unwrap_or(Column::Field(|_| None)),
                        Some((attr, v)) if attr.starts_with("attr.") => Column::AttributeIs(
                            attr.trim_start_matches("attr.").to_string(),
                            v.to_string(),
                        ),
                        _ => Column::Field(|_| None),
                    },
                    FeatureKind::TargetEncoded if name == "location_value" => Column::Location,
                    FeatureKind::TargetEncoded => {
                        Column::PlaceAttribute(name.trim_end_matches("_value").to_string())
                    }
                    FeatureKind::AmenityFlag => {
                        Column::Amenity(name.trim_start_matches("amenity=").to_string())
                    }
                    FeatureKind::Attribute => {
                        Column::Attribute(name.trim_start_matches("attr.").to_string())
                    }
                }
            })
            .collect()
    }

    /// Encode one listing into `out` (one value per column).
    fn encode_into(&self, columns: &[Column], p: &Property, out: &mut [f64]) {
        let year = f64::from(self.current_year);
        let nan = f64::NAN;
        let amenities: Option<Vec<String>> = p.amenities.as_ref().map(|list| {
            list.iter()
                .map(|a| self.amenity_table.normalize(a))
                .collect()
        });
        for (slot, col) in out.iter_mut().zip(columns) {
            *slot = match col {
                Column::Field(f) => f(p).unwrap_or(nan),
                Column::Derived(f) => f(p, year).unwrap_or(nan),
                Column::PropertyType(t) => p
                    .property_type
                    .map_or(nan, |v| f64::from(u8::from(v == *t))),
                Column::ListingType(t) => {
                    p.listing_type.map_or(nan, |v| f64::from(u8::from(v == *t)))
                }
                Column::Furnishing(f) => p.furnishing.map_or(nan, |v| f64::from(u8::from(v == *f))),
                Column::AttributeIs(key, value) => {
                    match p.attributes.get(key).and_then(|v| v.as_str()) {
                        Some(text) if !text.trim().is_empty() => f64::from(u8::from(text == value)),
                        _ => nan,
                    }
                }
                Column::Location => match (&self.location, &p.location) {
                    (Some(enc), Some(l)) => enc.value(&location_key(l)),
                    _ => nan,
                },
                Column::PlaceAttribute(key) => {
                    match (
                        self.place_attributes.get(key),
                        p.attributes.get(key).and_then(place_key),
                    ) {
                        (Some(enc), Some(k)) => enc.value(&k),
                        _ => nan,
                    }
                }
                Column::Amenity(a) => amenities
                    .as_ref()
                    .map_or(nan, |list| f64::from(u8::from(list.contains(a)))),
                Column::Attribute(key) => p
                    .attributes
                    .get(key)
                    .and_then(|v| v.as_f64())
                    .unwrap_or(nan),
            };
        }
    }

    /// Encode training listings with their place columns (`location_value`
    /// and `<key>_value`) computed out of fold: listings are dealt into
    /// `folds` groups by a hash of their id, and each listing's place value
    /// is the smoothed mean log price of its place among the *other* groups'
    /// listings (NaN when only its own group has the place), with `prices`
    /// the fitting targets in `props` order. Every other column is as
    /// [`transform_all`](Self::transform_all) gives it.
    ///
    /// Encoded in sample, a place seen once carries its listing's own price
    /// (shrunk, but in order), which trees learn to read and which no
    /// unseen listing has; out of fold, training rows look like new ones.
    /// `folds` below 2 encodes in sample.
    ///
    /// ```
    /// use agent_mira::features::FeatureEncoder;
    /// use agent_mira::{AmenityTable, Property};
    /// let mut listings = Vec::new();
    /// for (id, price, place) in [(1u64, 100.0, "A"), (2, 300.0, "A"), (3, 900.0, "B")] {
    ///     let mut p = Property::new(id, price);
    ///     p.location = Some(place.into());
    ///     listings.push(p);
    /// }
    /// let props: Vec<&Property> = listings.iter().collect();
    /// let prices = [100.0, 300.0, 900.0];
    /// let enc = FeatureEncoder::fit_with_targets(&props, &prices, 2025, AmenityTable::default());
    /// let x = enc.transform_out_of_fold(&props, &prices, 3);
    /// // Place B has one listing: out of fold, nobody else tells its price.
    /// assert!(x[[2, 0]].is_nan());
    /// assert!(enc.transform_all(&props)[[2, 0]].is_finite());
    /// ```
    pub fn transform_out_of_fold(
        &self,
        props: &[&Property],
        prices: &[f64],
        folds: u32,
    ) -> Array2<f64> {
        let mut x = self.transform_all(props);
        if folds < 2 || props.is_empty() {
            return x;
        }
        let fold: Vec<u32> = props
            .iter()
            .map(|p| crc32fast::hash(p.id.to_string().as_bytes()) % folds)
            .collect();
        let place_columns: Vec<(usize, Option<&str>)> = self
            .features
            .iter()
            .enumerate()
            .filter(|(_, f)| f.kind == FeatureKind::TargetEncoded)
            .map(|(j, f)| {
                let key = (f.name != "location_value").then(|| f.name.trim_end_matches("_value"));
                (j, key)
            })
            .collect();
        let key_of = |p: &Property, attribute: Option<&str>| -> Option<String> {
            match attribute {
                None => p.location.as_deref().map(location_key),
                Some(k) => p.attributes.get(k).and_then(place_key),
            }
        };
        for k in 0..folds {
            for &(j, attribute) in &place_columns {
                let enc = TargetEncoding::fit(
                    props
                        .iter()
                        .zip(prices)
                        .zip(&fold)
                        .filter(|(_, f)| **f != k)
                        .filter_map(|((p, price), _)| {
                            key_of(p, attribute).map(|key| (key, price.ln()))
                        }),
                    SMOOTHING,
                );
                for (i, p) in props.iter().enumerate() {
                    if fold[i] == k {
                        x[[i, j]] = match (&enc, key_of(p, attribute)) {
                            (Some(enc), Some(key)) => enc.value(&key),
                            _ => f64::NAN,
                        };
                    }
                }
            }
        }
        x
    }

    /// Encode one listing.
    pub fn transform_one(&self, p: &Property) -> Vec<f64> {
        let mut out = vec![0.0; self.num_features()];
        self.encode_into(&self.columns(), p, &mut out);
        out
    }

    /// Encode every listing of a catalog (rows in catalog order), in parallel.
    pub fn transform(&self, catalog: &Catalog) -> Array2<f64> {
        let props: Vec<&Property> = catalog.properties().collect();
        self.transform_all(&props)
    }

    /// Encode listings (rows in the given order), in parallel.
    pub fn transform_all(&self, props: &[&Property]) -> Array2<f64> {
        let width = self.num_features();
        let mut x = Array2::<f64>::zeros((props.len(), width));
        if width == 0 {
            return x;
        }
        let columns = self.columns();
        let slice = x.as_slice_mut().expect("a fresh array is contiguous");
        slice
            .par_chunks_mut(width)
            .zip(props.par_iter())
            .for_each(|(row, p)| self.encode_into(&columns, p, row));
        x
    }
}

/// A place-like attribute value as a key: strings normalised, integers as
/// their digits (`98004` and `"98004"` are the same zip code).
fn place_key(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(location_key(s)),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn listing(v: serde_json::Value) -> Property {
        Property::from_json(v, &crate::RecordRef::Index(0), 2025).unwrap()
    }

    fn catalog(list: Vec<Property>) -> Catalog {
        let mut b = Catalog::builder().current_year(2025);
        for p in list {
            b.push(p).unwrap();
        }
        b.build()
    }

    #[test]
    fn columns_follow_the_data_and_missing_is_nan() {
        let c = catalog(vec![
            listing(
                json!({"id": 1, "price": 400000, "bedrooms": 3, "year_built": 2000, "property_type": "condo",
                           "location": "Kent, WA", "amenities": ["Swimming Pool"], "attributes": {"grade": 7, "zipcode": 98030}}),
            ),
            listing(
                json!({"id": 2, "price": 900000, "size_sqft": 2000, "property_type": "sfh",
                           "location": "Bellevue, WA", "attributes": {"grade": 9, "zipcode": "98004"}}),
            ),
        ]);
        let enc = FeatureEncoder::fit(&c, 2025);
        assert_eq!(
            enc.feature_names(),
            [
                "bedrooms",
                "size_sqft",
                "year_built",
                "age_years",
                "log_size_sqft",
                "property_type=sfh",
                "property_type=condo",
                "location_value",
                "zipcode_value",
                "amenity=pool",
                "attr.grade"
            ]
        );
        let x = enc.transform(&c);
        let row0: Vec<f64> = x.row(0).to_vec();
        assert_eq!(row0[0], 3.0);
        assert!(row0[1].is_nan() && row0[4].is_nan());
        assert_eq!(row0[3], 25.0);
        assert_eq!((row0[5], row0[6]), (0.0, 1.0));
        assert_eq!(row0[9], 1.0);
        assert_eq!(row0[10], 7.0);
        let row1: Vec<f64> = x.row(1).to_vec();
        assert!(row1[9].is_nan(), "amenities unknown → NaN, not 0");
        assert_eq!(row1[4], 2000f64.ln());
        // Smoothed location values: (ln p + 20·global) / 21.
        let global = (400_000f64.ln() + 900_000f64.ln()) / 2.0;
        assert_eq!(row0[7], (400_000f64.ln() + 20.0 * global) / 21.0);
        assert_eq!(enc.transform_one(c.property(1))[8], row1[8]);
    }

    #[test]
    fn unseen_places_are_nan() {
        let c = catalog(vec![listing(
            json!({"id": 1, "price": 400000, "location": "Kent, WA"}),
        )]);
        let enc = FeatureEncoder::fit(&c, 2025);
        let other = listing(json!({"id": 9, "price": 1, "location": "Boise, ID"}));
        assert!(enc.transform_one(&other)[0].is_nan());
        let same = listing(json!({"id": 9, "price": 1, "location": "kent wa"}));
        assert!(enc.transform_one(&same)[0].is_finite());
    }

    #[test]
    fn rental_columns_floors_furnishing_cities_and_text_categories() {
        let c = catalog(vec![
            listing(
                json!({"id": 1, "price": 20000, "listing_type": "long_term_rent", "floor": 0, "total_floors": 2,
                           "furnishing": "unfurnished", "location": "Bandel, Kolkata",
                           "attributes": {"city": "Kolkata", "area_type": "Super Area"}}),
            ),
            listing(
                json!({"id": 2, "price": 60000, "listing_type": "long_term_rent", "floor": -1,
                           "furnishing": "furnished", "location": "Bandra West, Mumbai",
                           "attributes": {"city": "Mumbai", "area_type": "Carpet Area"}}),
            ),
            listing(
                json!({"id": 3, "price": 30000, "listing_type": "long_term_rent",
                           "location": "Salt Lake, Kolkata", "attributes": {"city": "Kolkata", "area_type": 7}}),
            ),
        ]);
        let enc = FeatureEncoder::fit(&c, 2025);
        assert_eq!(
            enc.feature_names(),
            [
                "floor",
                "total_floors",
                "listing_type=long_term_rent",
                "furnishing=furnished",
                "furnishing=unfurnished",
                "location_value",
                "city_value",
                "attr.area_type=Carpet Area",
                "attr.area_type=Super Area"
            ]
        );
        let x = enc.transform(&c);
        assert_eq!(x.row(0).to_vec()[..5], [0.0, 2.0, 1.0, 0.0, 1.0]);
        let row1 = x.row(1).to_vec();
        assert_eq!(row1[0], -1.0);
        assert!(row1[1].is_nan(), "total floors unknown → NaN");
        assert_eq!((row1[7], row1[8]), (1.0, 0.0));
        let row2 = x.row(2).to_vec();
        assert!(
            row2[3].is_nan() && row2[4].is_nan(),
            "furnishing unknown → NaN"
        );
        assert!(
            row2[7].is_nan() && row2[8].is_nan(),
            "a number is no category → NaN"
        );
        let kolkata =
            (20_000f64.ln() + 30_000f64.ln() + 20.0 * enc.place_attributes["city"].global_mean)
                / 22.0;
        assert_eq!(row2[6], kolkata);
    }

    #[test]
    fn text_attributes_with_many_values_are_no_categories() {
        let list: Vec<Property> = (0..14)
            .map(|i| listing(json!({"id": i, "price": 1000 + i, "attributes": {"date": format!("2022-05-{:02}", i + 1)}})))
            .collect();
        let enc = FeatureEncoder::fit(&catalog(list), 2025);
        assert!(enc.feature_names().is_empty(), "{:?}", enc.feature_names());
    }

    #[test]
    fn out_of_fold_place_values_come_from_the_other_folds() {
        let list: Vec<Property> = (0..40u64)
            .map(|i| {
                let place = if i < 20 { "A" } else { format!("solo {i}").leak() };
                listing(json!({"id": i, "price": 1000.0 + 10.0 * i as f64, "location": place, "bedrooms": 1}))
            })
            .collect();
        let c = catalog(list);
        let props: Vec<&Property> = c.properties().collect();
        let prices: Vec<f64> = props.iter().map(|p| p.price).collect();
        let enc = FeatureEncoder::fit(&c, 2025);
        let folds = 4;
        let x = enc.transform_out_of_fold(&props, &prices, folds);
        let in_sample = enc.transform_all(&props);
        let fold = |p: &Property| crc32fast::hash(p.id.to_string().as_bytes()) % folds;
        for (i, p) in props.iter().enumerate() {
            assert_eq!(x[[i, 0]], 1.0, "other columns as in sample");
            if i >= 20 {
                assert!(x[[i, 1]].is_nan(), "a place seen once has no other listing");
                assert!(in_sample[[i, 1]].is_finite());
                continue;
            }
            let others: Vec<usize> = (0..40).filter(|&j| fold(props[j]) != fold(p)).collect();
            let global = others.iter().map(|&j| prices[j].ln()).sum::<f64>() / others.len() as f64;
            let same: Vec<f64> = others
                .iter()
                .filter(|&&j| j < 20)
                .map(|&j| prices[j].ln())
                .collect();
            let expected = (same.iter().sum::<f64>() + 20.0 * global) / (same.len() as f64 + 20.0);
            assert_eq!(x[[i, 1]], expected, "row {i}");
        }
        assert_eq!(enc.transform_out_of_fold(&props, &prices, 1), in_sample);
    }

    #[test]
    fn round_trips_through_json() {
        let c = catalog(vec![listing(
            json!({"id": 1, "price": 400000, "location": "Kent, WA", "bedrooms": 2}),
        )]);
        let enc = FeatureEncoder::fit(&c, 2025);
        let back: FeatureEncoder =
            serde_json::from_str(&serde_json::to_string(&enc).unwrap()).unwrap();
        assert_eq!(back, enc);
        assert_eq!(back.transform(&c), enc.transform(&c));
    }
}
