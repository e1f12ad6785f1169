//! "Homes like this one": [`Engine::similar`] and its filters.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Engine, Recommendation, MAX_RESULTS};
use crate::embedding::scan;
use crate::error::{MiraError, RecordRef, Result};
use crate::explain;
use crate::limits::{self, check_len};
use crate::listing::{Currency, ListingType, PropertyId, PropertyType, RentPeriod};
use crate::record;
use crate::scoring::similarity::{self, VectorRows};
use crate::scoring::PriceSource;

/// The hard filters of [`Engine::similar`]: the usual ones of a request.
/// Every field is optional.
///
/// ```
/// use agent_mira::SimilarFilters;
/// let f = SimilarFilters::from_json(serde_json::json!({"listing_type": "sale", "max_price": 800000})).unwrap();
/// assert_eq!(f.max_price, Some(800000.0));
/// let err = SimilarFilters::from_json(serde_json::json!({"max_prise": 1})).unwrap_err();
/// assert_eq!(err.to_string(), "similar filters: unknown field `max_prise` (did you mean `max_price`?)");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SimilarFilters {
    /// Wanted listing type (listings of another type, or of none, are out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listing_type: Option<ListingType>,
    /// Acceptable property types (empty = any; a listing without one is
    /// out when some are named).
    #[schemars(with = "Option<Vec<PropertyType>>", length(max = crate::limits::MAX_PROPERTY_TYPES))]
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub property_types: Vec<PropertyType>,
    /// Most a listing may cost, in `currency`: its listed price, or for a
    /// rental its rent per month.
    #[schemars(extend("exclusiveMinimum" = 0))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_price: Option<f64>,
    /// ISO 4217 code: listings priced in another currency are out (a
    /// listing naming none is in USD). Needed beside `max_price` when the
    /// catalog mixes currencies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
}

/// The field names of [`SimilarFilters`].
pub const SIMILAR_FILTER_FIELDS: &[&str] =
    &["listing_type", "property_types", "max_price", "currency"];

impl SimilarFilters {
    /// Parse and validate filters from a JSON object (`null` = not
    /// given); unknown keys are refused with a suggestion.
    pub fn from_json(value: Value) -> Result<Self> {
        let record = RecordRef::Other("similar filters".into());
        let filters: SimilarFilters =
            record::request_object(value, SIMILAR_FILTER_FIELDS, &record, "<filters>")?;
        filters.validate()?;
        Ok(filters)
    }

    /// Check ranges: `max_price` a finite number > 0, at most
    /// [`MAX_PROPERTY_TYPES`](crate::limits::MAX_PROPERTY_TYPES) types.
    pub fn validate(&self) -> Result<()> {
        let record = RecordRef::Other("similar filters".into());
        if let Some(p) = self.max_price {
            if !(p.is_finite() && p > 0.0) {
                return Err(MiraError::invalid(
                    record,
                    "max_price",
                    p.to_string(),
                    "a finite price > 0",
                ));
            }
        }
        check_len(
            &record,
            "property_types",
            self.property_types.len(),
            limits::MAX_PROPERTY_TYPES,
            "property types",
        )
    }
}

impl Engine {
    /// The `k` listings most like listing `id` (itself excluded) that pass
    /// `filters`, best first: "homes like this one".
    ///
    /// Similarity is the cosine of the listings' unit vectors — the
    /// catalog's embeddings when its listings have them, else the built-in
    /// structured embedding ([`crate::embedding::structured`], built once
    /// per catalog version) — and each result's `score` and its only
    /// component, `similarity`, are `100 × max(0, cos)` (the `balanced`
    /// profile's curve for the component). Ties (equal scores) are broken
    /// by id order, as recommendations break them; listings without a
    /// vector are left out. Each result's reasons give the similarity,
    /// then what makes the two alike, from their fields: "Same 3 bd / 2
    /// ba", "0.8 km away" (within 10 km, else "Also in Bellevue, WA" for
    /// the same place), "Built within 5 years (2003 vs 1998)" (this
    /// result's year first), "Price within 10 % ($725,000)" (this
    /// result's price), "Also a condo".
    ///
    /// Refused: an id not in the catalog, `k` over
    /// [`MAX_RESULTS`], a listing without a vector (in a catalog
    /// with embeddings, or one that has none of the fields the structured
    /// embedding reads), bad filters, and `max_price` without a
    /// `currency` in a catalog that mixes currencies.
    ///
    /// ```
    /// use agent_mira::{Catalog, Engine, Property, SimilarFilters};
    /// let mut b = Catalog::builder();
    /// for (id, price, beds, year) in [(1u64, 700_000.0, 3, 1998), (2, 725_000.0, 3, 2003), (3, 2_000_000.0, 6, 1920)] {
    ///     let mut p = Property::new(id, price);
    ///     p.bedrooms = Some(beds);
    ///     p.bathrooms = Some(2.0);
    ///     p.year_built = Some(year);
    ///     p.location = Some("Bellevue, WA".into());
    ///     b.push(p).unwrap();
    /// }
    /// let engine = Engine::builder(b.build()).current_year(2025).build();
    /// let like = engine.similar(&1u64.into(), 2, &SimilarFilters::default())?;
    /// assert_eq!(like[0].id, 2u64.into());
    /// assert!(like[0].reasons.contains(&"Same 3 bd / 2 ba".to_string()));
    /// assert!(like[0].reasons.contains(&"Built within 5 years (2003 vs 1998)".to_string()));
    /// # Ok::<(), agent_mira::MiraError>(())
    /// ```
    pub fn similar(
        &self,
        id: &PropertyId,
        k: usize,
        filters: &SimilarFilters,
    ) -> Result<Vec<Recommendation>> {
        filters.validate()?;
        let record = RecordRef::Other("similar".into());
        if k > MAX_RESULTS {
            return Err(MiraError::invalid(
                record,
                "k",
                k.to_string(),
                format!("at most {MAX_RESULTS} results per request"),
            ));
        }
        let s = &*self.state;
        let catalog = &s.catalog;
        let cols = catalog.columns();
        let Some(from) = catalog.row_of(id) else {
            return Err(MiraError::invalid(
                record,
                "id",
                id.to_json().to_string(),
                "the id of a listing in the catalog",
            ));
        };
        let embeddings = catalog.embeddings();
        // The vectors compared, as the trait (for one row) and as the
        // matrix with its presence flags (for the scan).
        let (vectors, data, present): (&dyn VectorRows, &[f32], &[bool]) = if embeddings.dim() > 0 {
            (embeddings, embeddings.data(), embeddings.present_flags())
        } else {
            let structured = s.prepared.structured(cols);
            (structured, structured.data(), structured.present_flags())
        };
        let Some(query) = vectors.row(from) else {
            let why = if embeddings.dim() > 0 {
                "a listing with an embedding (this catalog's listings have them; this one has none)"
            } else {
                "a listing with a vector (this one has none of the fields the structured embedding reads)"
            };
            return Err(MiraError::invalid(
                record,
                "id",
                id.to_json().to_string(),
                why,
            ));
        };
        let currency_code = match filters.currency {
            Some(c) => Some(cols.currency_index(c)),
            None if filters.max_price.is_some() && cols.currencies.len() > 1 => {
                return Err(MiraError::invalid(
                    RecordRef::Other("similar filters".into()),
                    "currency",
                    "(absent)",
                    format!(
                        "the currency of max_price: this catalog mixes {}",
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
        let type_mask: u32 = filters
            .property_types
            .iter()
            .map(|t| 1u32 << PropertyType::ALL.iter().position(|x| x == t).unwrap_or(0))
            .fold(0, |a, b| a | b);
        let listing_code = filters
            .listing_type
            .and_then(|t| ListingType::ALL.iter().position(|x| *x == t))
            .map(|i| i as u8);
        let month = RentPeriod::ALL
            .iter()
            .position(|p| *p == RentPeriod::Month)
            .unwrap_or(0);
        let per_month = &cols.price_per[month];
        let accept = |row: usize| {
            row != from
                && currency_code.is_none_or(|code| code == Some(cols.currency[row]))
                && listing_code.is_none_or(|code| cols.listing_type[row] == code)
                && (type_mask == 0 || {
                    let t = cols.property_type[row];
                    t != crate::catalog::MISSING_CODE && type_mask & (1 << t) != 0
                })
                && filters.max_price.is_none_or(|max| per_month[row] <= max)
        };
        // Ordered by score, then by id (`id_rank`), as a sort of every
        // accepted row's score would order them: the kernel keeps the top
        // `k` of (score, id rank) without sorting the rest.
        let id_rank = &s.prepared.id_rank;
        let best = scan::top_k_scored(
            data,
            vectors.dim(),
            query,
            k,
            |row| present[row] && accept(row),
            |row| id_rank[row] as usize,
            similarity::scorer(),
        );
        Ok(self.count(
            best.into_iter()
                .map(|(row, score)| {
                    let property = catalog.property(row);
                    let cos = query_cosine(vectors, query, row);
                    let mut reasons = vec![format!(
                        "Like listing {id}: similarity {cos:.2} ({}/100)",
                        score.round() as i64
                    )];
                    reasons.extend(explain::alike(cols, from, row));
                    let metrics = s.prepared.rent_at(row).and_then(|(rent, source)| {
                        let predicted = (s.prepared.price_source == PriceSource::Model)
                            .then(|| s.prepared.predicted_price[row]);
                        crate::investment::metrics(
                            property.price,
                            rent,
                            source,
                            predicted,
                            &crate::investment::Assumptions::default(),
                            None,
                        )
                        .ok()
                    });
                    Recommendation {
                        id: property.id.clone(),
                        score,
                        components: BTreeMap::from([("similarity".to_string(), score)]),
                        predicted_price: s.prepared.predicted_price[row],
                        listed_price: property.price,
                        price_source: s.prepared.price_source,
                        unknown: Vec::new(),
                        reasons,
                        currency: property.currency.unwrap_or(Currency::USD),
                        rent_per_month: property.monthly_rent(),
                        metrics,
                    }
                })
                .collect(),
        ))
    }
}

/// The cosine of listing `row`'s vector with `query`.
fn query_cosine(vectors: &dyn VectorRows, query: &[f32], row: usize) -> f64 {
    vectors
        .row(row)
        .map_or(f64::NAN, |v| similarity::dot(v, query))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::listing::Property;

    /// `n` listings from a seed, with few distinct values so that equal
    /// vectors (ties) are common, and some fields missing.
    fn catalog(seed: u64, n: usize) -> Catalog {
        let mut x = seed | 1;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let places = ["Kent, WA", "Bellevue, WA", "Mumbai", "Bandra West, Mumbai"];
        let mut b = Catalog::builder().current_year(2025);
        for i in 0..n {
            let r = next();
            // Ids out of row order: strings and integers.
            let id: PropertyId = if r % 3 == 0 {
                format!("s{}", (n - i) * 7 % 1000).into()
            } else {
                ((n - i) as u64 * 13).into()
            };
            let mut p = Property::new(id, 100_000.0 + (r % 4) as f64 * 50_000.0);
            p.bedrooms = (r & 16 != 0).then_some(1 + (r >> 8) as u32 % 3);
            p.location = (r & 32 != 0).then(|| places[(r >> 12) as usize % 4].to_string());
            p.property_type = (r & 64 != 0).then_some(PropertyType::ALL[(r >> 16) as usize % 3]);
            p.listing_type = Some(ListingType::ALL[(r >> 20) as usize % 2]);
            if r & 128 != 0 {
                p.amenities = Some(vec![
                    ["pool", "gym", "garden"][(r >> 24) as usize % 3].into()
                ]);
            }
            b.push(p).unwrap();
        }
        b.build()
    }

    #[test]
    fn similar_ranks_exactly_like_sorting_every_dot() {
        for seed in 1..=12u64 {
            let n = 50 + (seed as usize * 37) % 400;
            let engine = Engine::builder(catalog(seed, n)).current_year(2025).build();
            let s = &*engine.state;
            let cols = s.catalog.columns();
            let vectors = s.prepared.structured(cols);
            let filters = if seed % 2 == 0 {
                SimilarFilters {
                    listing_type: Some(ListingType::Sale),
                    max_price: Some(200_000.0),
                    ..SimilarFilters::default()
                }
            } else {
                SimilarFilters::default()
            };
            for from in (0..n).step_by(n / 7) {
                let Some(query) = vectors.row(from) else {
                    continue;
                };
                // Brute force: every other row's score, sorted by score
                // then id.
                let mut expected: Vec<(f64, PropertyId)> = (0..n)
                    .filter(|&r| r != from)
                    .filter(|&r| {
                        filters.listing_type.is_none()
                            || (cols.listing_type[r] == 0 && cols.price[r] <= 200_000.0)
                    })
                    .filter_map(|r| {
                        let v = vectors.row(r)?;
                        let cos = crate::embedding::scan::dot(v, query);
                        Some((similarity::score(cos), s.catalog.property(r).id.clone()))
                    })
                    .collect();
                expected.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
                let id = s.catalog.property(from).id.clone();
                for k in [1, 5, 40, n] {
                    let got: Vec<(f64, PropertyId)> = engine
                        .similar(&id, k, &filters)
                        .unwrap()
                        .into_iter()
                        .map(|r| (r.score, r.id))
                        .collect();
                    let want: Vec<_> = expected.iter().take(k).cloned().collect();
                    assert_eq!(got, want, "seed {seed}, from {from}, k {k}");
                }
                let ties = expected.windows(2).filter(|w| w[0].0 == w[1].0).count();
                assert!(seed > 3 || ties > 0, "seed {seed}: no ties to break");
            }
        }
    }

    /// A catalog of `n` listings with vectors drawn from a few (so that
    /// equal vectors, hence ties, are common, and many cosines are
    /// negative, all scoring 0), ids out of row order (integers and
    /// strings), some listings without a vector.
    fn embedded_catalog(seed: u64, n: usize, dim: usize) -> Catalog {
        let mut x = seed | 1;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let pool: Vec<Vec<f32>> = (0..6)
            .map(|_| {
                (0..dim)
                    .map(|_| (next() % 7) as f32 - 3.0)
                    .collect::<Vec<_>>()
            })
            .filter(|v| v.iter().any(|&x| x != 0.0))
            .collect();
        let mut b = Catalog::builder().current_year(2025);
        for i in 0..n {
            let r = next();
            let id: PropertyId = if r % 4 == 0 {
                format!("e{}", (n - i) * 11).into()
            } else {
                ((n - i) as u64 * 7).into()
            };
            let mut p = Property::new(id, 100_000.0 + (r >> 8) as f64 % 4.0 * 50_000.0);
            p.listing_type = Some(ListingType::ALL[(r >> 20) as usize % 2]);
            p.property_type = (r & 64 != 0).then_some(PropertyType::ALL[(r >> 16) as usize % 3]);
            // Row 0 always has one: it sets the dimension.
            if i == 0 || r & 7 != 0 {
                p.embedding = Some(pool[(r >> 24) as usize % pool.len()].clone());
            }
            b.push(p).unwrap();
        }
        b.build()
    }

    #[test]
    fn similar_on_embeddings_ranks_exactly_like_sorting_every_score() {
        for seed in 1..=10u64 {
            let n = 300 + (seed as usize * 131) % 2500;
            let dim = [3, 8, 17, 64][seed as usize % 4];
            let engine = Engine::builder(embedded_catalog(seed, n, dim))
                .current_year(2025)
                .build();
            let catalog = engine.catalog();
            let n = catalog.len();
            let filters = match seed % 3 {
                0 => SimilarFilters::default(),
                1 => SimilarFilters {
                    listing_type: Some(ListingType::Sale),
                    max_price: Some(200_000.0),
                    ..SimilarFilters::default()
                },
                _ => SimilarFilters {
                    property_types: vec![PropertyType::ALL[0], PropertyType::ALL[2]],
                    ..SimilarFilters::default()
                },
            };
            let passes = |p: &Property| {
                filters
                    .listing_type
                    .is_none_or(|t| p.listing_type == Some(t))
                    && filters.max_price.is_none_or(|m| p.price <= m)
                    && (filters.property_types.is_empty()
                        || p.property_type
                            .is_some_and(|t| filters.property_types.contains(&t)))
            };
            let mut ties_checked = 0;
            for from in (0..n).step_by(n / 9) {
                let Some(query) = catalog.embedding(from) else {
                    continue;
                };
                // Brute force: every other listing's score from its
                // vector, sorted by score then id.
                let mut expected: Vec<(f64, PropertyId)> = (0..n)
                    .filter(|&r| r != from && passes(catalog.property(r)))
                    .filter_map(|r| {
                        let v = catalog.embedding(r)?;
                        let cos = crate::embedding::scan::dot(v, query);
                        Some((similarity::score(cos), catalog.property(r).id.clone()))
                    })
                    .collect();
                expected.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
                let id = catalog.property(from).id.clone();
                for k in [1, 5, 40, n] {
                    let got: Vec<(f64, PropertyId)> = engine
                        .similar(&id, k, &filters)
                        .unwrap()
                        .into_iter()
                        .map(|r| (r.score, r.id))
                        .collect();
                    let want: Vec<_> = expected.iter().take(k).cloned().collect();
                    assert_eq!(got, want, "seed {seed}, from {from}, k {k}");
                    // A tie across the cut: the k-th and the next share a
                    // score, so the id order decides who is in.
                    if expected.len() > k && expected[k - 1].0 == expected[k].0 {
                        ties_checked += 1;
                    }
                }
            }
            assert!(ties_checked > 0, "seed {seed}: no tie across a cut");
        }
    }
}
