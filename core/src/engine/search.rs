//! Plain search: [`Engine::search`] lists the catalog's listings that pass
//! a [`SearchQuery`]'s filters, sorted and paged, without scoring them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Engine, MAX_RESULTS};
use crate::catalog::{location_key, location_matches, MISSING_CODE, MISSING_LOCATION};
use crate::error::{MiraError, RecordRef, Result};
use crate::limits::{self, check_len, check_text};
use crate::listing::{Currency, ListingType, Property, PropertyId, PropertyType, RentPeriod};
use crate::record;

/// How [`Engine::search`] orders the listings that match.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchSort {
    /// Cheapest first (the listed price, or a rental's rent per month).
    #[default]
    PriceAsc,
    /// Dearest first (the listed price, or a rental's rent per month).
    PriceDesc,
    /// Most recently built first; listings without a `year_built` last.
    Newest,
    /// By id (integers before strings, each in their natural order).
    Id,
}

/// The filters, order and page of a plain search ([`Engine::search`]):
/// every field is optional, and a listing that lacks a field a filter
/// reads (no `bedrooms` when `min_bedrooms` is given) is left out.
///
/// ```
/// use agent_mira::SearchQuery;
/// let q = SearchQuery::from_json(serde_json::json!({"location": "Bellevue", "max_price": 800000})).unwrap();
/// assert_eq!(q.max_price, Some(800000.0));
/// assert_eq!(q.limit, 10);
/// let err = SearchQuery::from_json(serde_json::json!({"max_prise": 1})).unwrap_err();
/// assert_eq!(err.to_string(), "search query: unknown field `max_prise` (did you mean `max_price`?)");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SearchQuery {
    /// Only the listings with these ids (empty = any; at most 10000):
    /// to look listings up by id. Ids not in the catalog match nothing.
    #[schemars(with = "Option<Vec<PropertyId>>", length(max = crate::limits::MAX_RESULTS))]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<PropertyId>,
    /// Wanted location, matched against listings' `location` as a buyer's
    /// `location` is: ignoring case, punctuation and spacing, a listing
    /// matches when its location, split on commas, holds this as a run of
    /// consecutive parts ("Bellevue", "Bellevue, WA" and "WA" all match
    /// "Bellevue, WA"). A place no listing is in matches nothing.
    #[schemars(schema_with = "crate::json_schema::location")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Least a listing may cost, in `currency`: its listed price, or for a
    /// rental its rent per month.
    #[schemars(range(min = 0))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_price: Option<f64>,
    /// Most a listing may cost, in `currency`: its listed price, or for a
    /// rental its rent per month.
    #[schemars(extend("exclusiveMinimum" = 0))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_price: Option<f64>,
    /// Fewest bedrooms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_bedrooms: Option<u32>,
    /// Most bedrooms (not below `min_bedrooms`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_bedrooms: Option<u32>,
    /// Fewest bathrooms (fractions count: 2.5).
    #[schemars(range(min = 0, max = 1000))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_bathrooms: Option<f64>,
    /// Smallest living area, in square feet.
    #[schemars(extend("exclusiveMinimum" = 0))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_size_sqft: Option<f64>,
    /// Wanted listing type (listings of another type, or of none, are out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listing_type: Option<ListingType>,
    /// Acceptable property types (empty = any; a listing without one is
    /// out when some are named).
    #[schemars(with = "Option<Vec<PropertyType>>", length(max = crate::limits::MAX_PROPERTY_TYPES))]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub property_types: Vec<PropertyType>,
    /// ISO 4217 code: listings priced in another currency are out (a
    /// listing naming none is in USD). Needed beside `min_price` or
    /// `max_price` when the catalog mixes currencies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
    /// Amenities a listing must all have ("garage", "pool"; matched as
    /// the catalog normalises amenity names). One no listing has matches
    /// nothing.
    #[schemars(schema_with = "crate::json_schema::amenity_list")]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub must_have_amenities: Vec<String>,
    /// Order of the results: `price_asc` (the default), `price_desc`,
    /// `newest` (year built) or `id`. Ties are broken by id.
    pub sort: SearchSort,
    /// How many matching listings to skip (for the next page: the previous
    /// `offset` plus `limit`).
    pub offset: usize,
    /// How many listings to return at most (1 to 10000; 10 by default).
    #[schemars(range(min = 1, max = crate::limits::MAX_RESULTS))]
    pub limit: usize,
}

impl Default for SearchQuery {
    fn default() -> Self {
        SearchQuery {
            ids: Vec::new(),
            location: None,
            min_price: None,
            max_price: None,
            min_bedrooms: None,
            max_bedrooms: None,
            min_bathrooms: None,
            min_size_sqft: None,
            listing_type: None,
            property_types: Vec::new(),
            currency: None,
            must_have_amenities: Vec::new(),
            sort: SearchSort::PriceAsc,
            offset: 0,
            limit: 10,
        }
    }
}

/// The field names of [`SearchQuery`].
pub const SEARCH_QUERY_FIELDS: &[&str] = &[
    "ids",
    "location",
    "min_price",
    "max_price",
    "min_bedrooms",
    "max_bedrooms",
    "min_bathrooms",
    "min_size_sqft",
    "listing_type",
    "property_types",
    "currency",
    "must_have_amenities",
    "sort",
    "offset",
    "limit",
];

/// The record errors of a search query are about.
fn query_record() -> RecordRef {
    RecordRef::Other("search query".into())
}

impl SearchQuery {
    /// Parse and validate a query from a JSON object (`null` = not
    /// given); unknown keys are refused with a suggestion.
    pub fn from_json(value: Value) -> Result<Self> {
        let query: SearchQuery =
            record::request_object(value, SEARCH_QUERY_FIELDS, &query_record(), "<query>")?;
        query.validate()?;
        Ok(query)
    }

    /// Check ranges: prices finite and ≥ 0 (`max_price` > 0), each minimum
    /// not above its maximum, `min_bathrooms` 0–1000, `min_size_sqft` > 0,
    /// `limit` 1 to [`MAX_RESULTS`], a non-blank `location` and amenity
    /// names within the text limits, at most
    /// [`MAX_PROPERTY_TYPES`](crate::limits::MAX_PROPERTY_TYPES) types.
    pub fn validate(&self) -> Result<()> {
        let record = query_record();
        let bad = |field: &str, value: String, expected: &str| {
            Err(MiraError::invalid(record.clone(), field, value, expected))
        };
        if let Some(p) = self.min_price {
            if !(p.is_finite() && p >= 0.0) {
                return bad("min_price", p.to_string(), "a finite price ≥ 0");
            }
        }
        if let Some(p) = self.max_price {
            if !(p.is_finite() && p > 0.0) {
                return bad("max_price", p.to_string(), "a finite price > 0");
            }
            if let Some(min) = self.min_price.filter(|&min| min > p) {
                return bad(
                    "max_price",
                    p.to_string(),
                    &format!("a price not below min_price ({min})"),
                );
            }
        }
        if let (Some(min), Some(max)) = (self.min_bedrooms, self.max_bedrooms) {
            if max < min {
                return bad(
                    "max_bedrooms",
                    max.to_string(),
                    &format!("a count not below min_bedrooms ({min})"),
                );
            }
        }
        if let Some(b) = self.min_bathrooms {
            if !(b.is_finite() && (0.0..=1000.0).contains(&b)) {
                return bad(
                    "min_bathrooms",
                    b.to_string(),
                    "a number between 0 and 1000",
                );
            }
        }
        if let Some(s) = self.min_size_sqft {
            if !(s.is_finite() && s > 0.0) {
                return bad(
                    "min_size_sqft",
                    s.to_string(),
                    "a finite number of square feet > 0",
                );
            }
        }
        if let Some(l) = &self.location {
            if l.trim().is_empty() {
                return bad(
                    "location",
                    limits::shorten(l),
                    "a place such as \"Seattle, WA\" (or leave it out)",
                );
            }
            check_text(&record, "location", l, limits::MAX_LOCATION_BYTES, "text")?;
        }
        check_len(
            &record,
            "must_have_amenities",
            self.must_have_amenities.len(),
            limits::MAX_AMENITIES,
            "amenities",
        )?;
        for a in &self.must_have_amenities {
            if a.trim().is_empty() {
                return bad(
                    "must_have_amenities",
                    limits::shorten(a),
                    "non-empty amenity names",
                );
            }
            check_text(
                &record,
                "must_have_amenities",
                a,
                limits::MAX_AMENITY_BYTES,
                "an amenity name",
            )?;
        }
        check_len(&record, "ids", self.ids.len(), MAX_RESULTS, "ids")?;
        check_len(
            &record,
            "property_types",
            self.property_types.len(),
            limits::MAX_PROPERTY_TYPES,
            "property types",
        )?;
        if !(1..=MAX_RESULTS).contains(&self.limit) {
            return bad(
                "limit",
                self.limit.to_string(),
                &format!("between 1 and {MAX_RESULTS} results per page"),
            );
        }
        Ok(())
    }
}

/// One listing found by [`Engine::search`]: its fields as the catalog
/// holds them (serialised as a listing is) and the engine's predicted
/// price for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// The listing.
    #[serde(flatten)]
    pub listing: Property,
    /// The engine's predicted price of the listing (its model's, or the
    /// listed price without a model), as in its recommendations.
    pub predicted_price: f64,
}

/// One page of a search: how many listings match in all, where the page
/// starts, and the page's listings in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchPage {
    /// How many listings match the filters (before paging).
    pub total: usize,
    /// The query's `offset`: how many matching listings come before this
    /// page.
    pub offset: usize,
    /// At most `limit` listings, in the query's order.
    pub results: Vec<SearchHit>,
}

impl Engine {
    /// The listings that pass `query`'s filters, in its order, one page
    /// of them: no scoring, just filters (as a listings site's search
    /// box). Ties of the order are broken by id order, so that pages are
    /// stable.
    ///
    /// Refused: a query [`SearchQuery::validate`] refuses, and a price
    /// filter without a `currency` in a catalog that mixes currencies.
    ///
    /// ```
    /// use agent_mira::{Catalog, Engine, Property, SearchQuery};
    /// let mut b = Catalog::builder();
    /// for (id, price, beds) in [(1u64, 700_000.0, 3), (2, 500_000.0, 2), (3, 900_000.0, 4)] {
    ///     let mut p = Property::new(id, price);
    ///     p.bedrooms = Some(beds);
    ///     p.location = Some("Bellevue, WA".into());
    ///     b.push(p).unwrap();
    /// }
    /// let engine = Engine::new(b.build());
    /// let query = SearchQuery { min_bedrooms: Some(3), limit: 1, ..SearchQuery::default() };
    /// let page = engine.search(&query)?;
    /// assert_eq!(page.total, 2);
    /// assert_eq!(page.results[0].listing.id, 1u64.into());
    /// assert_eq!(page.results[0].predicted_price, 700_000.0);
    /// # Ok::<(), agent_mira::MiraError>(())
    /// ```
    pub fn search(&self, query: &SearchQuery) -> Result<SearchPage> {
        query.validate()?;
        let s = &*self.state;
        let catalog = &s.catalog;
        let cols = catalog.columns();
        let priced = query.min_price.is_some() || query.max_price.is_some();
        let currency_code = match query.currency {
            Some(c) => Some(cols.currency_index(c)),
            None if priced && cols.currencies.len() > 1 => {
                return Err(MiraError::invalid(
                    query_record(),
                    "currency",
                    "(absent)",
                    format!(
                        "the currency of the price filter: this catalog mixes {}",
                        cols.currencies
                            .iter()
                            .map(|(c, _)| c.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ))
            }
            None => None,
        };
        // With ids: a mask of their rows.
        let only: Option<Vec<bool>> = (!query.ids.is_empty()).then(|| {
            let mut mask = vec![false; cols.len()];
            for row in query.ids.iter().filter_map(|id| catalog.row_of(id)) {
                mask[row] = true;
            }
            mask
        });
        let wanted_place = query.location.as_deref().map(location_key);
        let place_ok: Option<Vec<bool>> = wanted_place.as_ref().map(|key| {
            cols.location_keys
                .iter()
                .map(|k| location_matches(k, key))
                .collect()
        });
        // Each must-have amenity's bit; one no listing has matches nothing.
        let table = catalog.amenity_table();
        let amenity_bits: Option<Vec<usize>> = query
            .must_have_amenities
            .iter()
            .map(|a| cols.amenity_bit(&table.normalize(a)))
            .collect();
        let type_mask: u32 = query
            .property_types
            .iter()
            .filter_map(|t| PropertyType::ALL.iter().position(|x| x == t))
            .fold(0, |a, i| a | (1u32 << i));
        let listing_code = query
            .listing_type
            .and_then(|t| ListingType::ALL.iter().position(|x| *x == t))
            .map(|i| i as u8);
        let month = RentPeriod::ALL
            .iter()
            .position(|p| *p == RentPeriod::Month)
            .unwrap_or(0);
        let per_month = &cols.price_per[month];
        let at_least = |v: f64, min: Option<f64>| min.is_none_or(|m| v >= m);
        let accept = |row: usize| -> bool {
            let Some(bits) = &amenity_bits else {
                return false;
            };
            let price = per_month[row];
            let beds = cols.bedrooms[row];
            only.as_ref().is_none_or(|mask| mask[row])
                && currency_code.is_none_or(|code| code == Some(cols.currency[row]))
                && listing_code.is_none_or(|code| cols.listing_type[row] == code)
                && (type_mask == 0 || {
                    let t = cols.property_type[row];
                    t != MISSING_CODE && type_mask & (1 << t) != 0
                })
                && place_ok.as_ref().is_none_or(|ok| {
                    let loc = cols.location[row];
                    loc != MISSING_LOCATION && ok[loc as usize]
                })
                && at_least(price, query.min_price)
                && query.max_price.is_none_or(|max| price <= max)
                && at_least(beds, query.min_bedrooms.map(f64::from))
                && query.max_bedrooms.is_none_or(|max| beds <= f64::from(max))
                && at_least(cols.bathrooms[row], query.min_bathrooms)
                && at_least(cols.size_sqft[row], query.min_size_sqft)
                && (bits.is_empty()
                    || (cols.amenities_known[row]
                        && bits.iter().all(|&b| cols.has_amenity(row, b))))
        };
        let mut rows: Vec<usize> = (0..cols.len()).filter(|&row| accept(row)).collect();
        let rank = &s.prepared.id_rank;
        match query.sort {
            SearchSort::PriceAsc => rows.sort_unstable_by(|&a, &b| {
                per_month[a]
                    .total_cmp(&per_month[b])
                    .then(rank[a].cmp(&rank[b]))
            }),
            SearchSort::PriceDesc => rows.sort_unstable_by(|&a, &b| {
                per_month[b]
                    .total_cmp(&per_month[a])
                    .then(rank[a].cmp(&rank[b]))
            }),
            SearchSort::Newest => {
                // Unknown years (NaN) last: sort by (known, year) descending.
                let year = |row: usize| {
                    let y = cols.year_built[row];
                    (!y.is_nan(), if y.is_nan() { 0.0 } else { y })
                };
                rows.sort_unstable_by(|&a, &b| {
                    let (ka, ya) = year(a);
                    let (kb, yb) = year(b);
                    kb.cmp(&ka)
                        .then(yb.total_cmp(&ya))
                        .then(rank[a].cmp(&rank[b]))
                })
            }
            SearchSort::Id => rows.sort_unstable_by_key(|&row| rank[row]),
        }
        let total = rows.len();
        let results = rows
            .into_iter()
            .skip(query.offset)
            .take(query.limit)
            .map(|row| SearchHit {
                listing: catalog.property(row).clone(),
                predicted_price: self.predicted_price_at(row),
            })
            .collect();
        Ok(SearchPage {
            total,
            offset: query.offset,
            results,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use serde_json::json;

    /// Six listings with a bit of everything (and gaps).
    fn engine() -> Engine {
        let rows = json!([
            {"id": 6, "price": 500000, "location": "Bellevue, WA", "bedrooms": 3, "bathrooms": 2.0,
             "size_sqft": 1800, "year_built": 1990, "property_type": "house", "listing_type": "sale",
             "amenities": ["Pool", "garage"]},
            {"id": "b", "price": 500000, "location": "Seattle, WA", "bedrooms": 2, "bathrooms": 1.0,
             "size_sqft": 900, "year_built": 2010, "property_type": "condo", "listing_type": "sale",
             "amenities": ["garage"]},
            {"id": 2, "price": 500000, "location": "Bellevue, WA", "bedrooms": 4, "bathrooms": 3.5,
             "size_sqft": 3000, "property_type": "house", "listing_type": "sale"},
            {"id": 10, "price": 2500, "location": "Bellevue, WA", "bedrooms": 2, "bathrooms": 1.0,
             "year_built": 2020, "listing_type": "long_term_rent", "rent_period": "month",
             "amenities": []},
            {"id": "a", "price": 900000, "location": "Kent, WA", "bedrooms": 5,
             "year_built": 2010, "property_type": "townhouse", "listing_type": "sale"},
            {"id": 1, "price": 300000, "bedrooms": 1, "listing_type": "sale",
             "amenities": ["pool"]},
        ]);
        let mut b = Catalog::builder().current_year(2025);
        for r in rows.as_array().unwrap() {
            b.push(Property::from_json(r.clone(), &RecordRef::Index(0), 2025).unwrap())
                .unwrap();
        }
        Engine::builder(b.build()).current_year(2025).build()
    }

    fn ids(engine: &Engine, query: Value) -> (usize, Vec<PropertyId>) {
        let page = engine
            .search(&SearchQuery::from_json(query).unwrap())
            .unwrap();
        (
            page.total,
            page.results.into_iter().map(|h| h.listing.id).collect(),
        )
    }

    fn id_list(items: Value) -> Vec<PropertyId> {
        serde_json::from_value(items).unwrap()
    }

    #[test]
    fn no_filters_lists_everything_cheapest_first_ties_by_id() {
        let e = engine();
        assert_eq!(
            ids(&e, json!({})),
            (6, id_list(json!([10, 1, 2, 6, "b", "a"])))
        );
        assert_eq!(
            ids(&e, json!({"sort": "price_desc"})),
            (6, id_list(json!(["a", 2, 6, "b", 1, 10])))
        );
        assert_eq!(
            ids(&e, json!({"sort": "newest"})),
            (6, id_list(json!([10, "a", "b", 6, 1, 2])))
        );
        assert_eq!(
            ids(&e, json!({"sort": "id"})),
            (6, id_list(json!([1, 2, 6, 10, "a", "b"])))
        );
    }

    #[test]
    fn each_filter_keeps_exactly_the_listings_that_pass_it() {
        let e = engine();
        let cases = [
            (json!({"location": "bellevue"}), json!([10, 2, 6])),
            (json!({"ids": ["a", 6, 99, "zz"]}), json!([6, "a"])),
            (json!({"ids": [6, 10], "min_bedrooms": 3}), json!([6])),
            (
                json!({"location": "WA", "sort": "id"}),
                json!([2, 6, 10, "a", "b"]),
            ),
            (json!({"location": "Nowhere"}), json!([])),
            (json!({"min_price": 500000}), json!([2, 6, "b", "a"])),
            (json!({"max_price": 500000}), json!([10, 1, 2, 6, "b"])),
            (
                json!({"min_price": 400000, "max_price": 600000}),
                json!([2, 6, "b"]),
            ),
            (json!({"min_bedrooms": 3}), json!([2, 6, "a"])),
            (
                json!({"min_bedrooms": 2, "max_bedrooms": 3}),
                json!([10, 6, "b"]),
            ),
            (json!({"min_bathrooms": 2}), json!([2, 6])),
            (json!({"min_size_sqft": 1000}), json!([2, 6])),
            (json!({"listing_type": "long_term_rent"}), json!([10])),
            (
                json!({"property_types": ["condo", "townhouse"]}),
                json!(["b", "a"]),
            ),
            (json!({"currency": "USD"}), json!([10, 1, 2, 6, "b", "a"])),
            (json!({"currency": "INR"}), json!([])),
            (json!({"must_have_amenities": ["pool"]}), json!([1, 6])),
            (
                json!({"must_have_amenities": ["Garage", "pool"]}),
                json!([6]),
            ),
            (json!({"must_have_amenities": ["sauna"]}), json!([])),
        ];
        for (query, expected) in cases {
            let expected = id_list(expected);
            assert_eq!(
                ids(&e, query.clone()),
                (expected.len(), expected),
                "{query}"
            );
        }
    }

    #[test]
    fn pages_are_slices_of_the_whole_order_and_carry_predictions() {
        let e = engine();
        let all = ids(&e, json!({"sort": "id"})).1;
        for limit in 1..=7usize {
            for offset in 0..=7usize {
                let (total, page) =
                    ids(&e, json!({"sort": "id", "offset": offset, "limit": limit}));
                assert_eq!(total, 6);
                let want: Vec<PropertyId> = all.iter().skip(offset).take(limit).cloned().collect();
                assert_eq!(page, want, "offset {offset} limit {limit}");
            }
        }
        let page = e.search(&SearchQuery::default()).unwrap();
        for hit in &page.results {
            let row = e.catalog().row_of(&hit.listing.id).unwrap();
            assert_eq!(hit.predicted_price, e.predicted_price_at(row));
            assert_eq!(&hit.listing, e.get(&hit.listing.id).unwrap());
        }
        let json = serde_json::to_value(&page.results[0]).unwrap();
        assert_eq!(json["id"], 10);
        assert_eq!(json["predicted_price"], 2500.0);
        assert_eq!(json["rent_period"], "month");
    }

    #[test]
    fn bad_queries_are_refused_naming_the_field() {
        let e = engine();
        for (query, message) in [
            (json!({"limit": 0}), "search query: field `limit` = 0: expected between 1 and 10000 results per page"),
            (json!({"limit": 10001}), "search query: field `limit` = 10001: expected between 1 and 10000 results per page"),
            (json!({"max_price": -1}), "search query: field `max_price` = -1: expected a finite price > 0"),
            (json!({"min_price": 5, "max_price": 4}), "search query: field `max_price` = 4: expected a price not below min_price (5)"),
            (json!({"min_bedrooms": 3, "max_bedrooms": 2}), "search query: field `max_bedrooms` = 2: expected a count not below min_bedrooms (3)"),
            (json!({"location": " "}), "search query: field `location` = \" \": expected a place such as \"Seattle, WA\" (or leave it out)"),
            (json!({"min_bathrooms": 2000}), "search query: field `min_bathrooms` = 2000: expected a number between 0 and 1000"),
        ] {
            let err = SearchQuery::from_json(query.clone()).unwrap_err().to_string();
            assert_eq!(err, message, "{query}");
        }
        let err = SearchQuery::from_json(json!({"sort": "cheapest"}))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "search query: field `sort` = \"cheapest\": expected one of `price_asc`, `price_desc`, `newest`, `id`");
        let err = SearchQuery::from_json(json!([1])).unwrap_err().to_string();
        assert_eq!(
            err,
            "search query: field `<query>` = \"[1]\": expected a JSON object"
        );
        // validate() guards search() too, for queries built in Rust.
        let q = SearchQuery {
            limit: 0,
            ..SearchQuery::default()
        };
        assert!(e.search(&q).is_err());
    }

    #[test]
    fn price_filters_need_a_currency_in_a_mixed_catalog() {
        let inr: Currency = "INR".parse().unwrap();
        let mut b = Catalog::builder().current_year(2025);
        for (id, price, currency) in [(1u64, 100.0, Currency::USD), (2, 90.0, inr)] {
            let mut p = Property::new(id, price);
            p.currency = Some(currency);
            b.push(p).unwrap();
        }
        let e = Engine::builder(b.build()).current_year(2025).build();
        let err = e
            .search(&SearchQuery {
                max_price: Some(95.0),
                ..SearchQuery::default()
            })
            .unwrap_err()
            .to_string();
        assert_eq!(err, "search query: field `currency` = (absent): expected the currency of the price filter: this catalog mixes INR, USD");
        let page = e
            .search(&SearchQuery {
                max_price: Some(95.0),
                currency: Some(inr),
                ..SearchQuery::default()
            })
            .unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(page.results[0].listing.id, 2u64.into());
    }
}
