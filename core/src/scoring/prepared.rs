//! Buyer-independent values, computed once per catalog version (and price
//! model) and shared by every request.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::case_study;
use super::profile::{ComponentName, Curve};
use std::sync::OnceLock;

use crate::catalog::{Catalog, Columns};
use crate::embedding::structured::Structured;
use crate::investment::RentSource;
use crate::listing::RentPeriod;
use crate::scoring::similarity::structured_fields;

/// Where a result's predicted price came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceSource {
    /// No price model: the predicted price is the listed price.
    Listed,
    /// A price model predicted it.
    Model,
}

impl PriceSource {
    /// `"listed"` or `"model"`.
    pub fn as_str(self) -> &'static str {
        match self {
            PriceSource::Listed => "listed",
            PriceSource::Model => "model",
        }
    }
}

/// Per-listing values that do not depend on the buyer.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Predicted price per listing, dollars.
    pub predicted_price: Vec<f64>,
    /// `predicted_price` expressed per each rent period (indexed as
    /// `RentPeriod::ALL`), converted from the listing's `rent_period` as
    /// [`Columns::price_per`](crate::catalog::Columns) converts the listed
    /// price.
    pub predicted_per: [Vec<f64>; 3],
    /// Where `predicted_price` came from.
    pub price_source: PriceSource,
    /// Each sale listing's rent per month for an investor (NaN = no
    /// estimate; a rental gets none): its own `estimated_rent`, else the
    /// rent model's (see [`Prepared::with_model_rents`]).
    pub rent: Vec<f64>,
    /// Where each `rent` came from (`None` where there is none).
    pub rent_source: Vec<Option<RentSource>>,
    /// Whether no listing of a non-empty catalog has a rent estimate: the
    /// investor components' unknown rent is then said once per answer
    /// (as `estimated_rent` in the engine's unknown fields), not on every
    /// result.
    pub no_rents: bool,
    /// `current_year - year_built` (NaN = unknown).
    pub age_years: Vec<f64>,
    /// The case study's amenity score (NaN = amenities unknown).
    pub case_study_amenities: Vec<f64>,
    /// Rank of each listing's id in id order, for deterministic tie-breaks
    /// without comparing strings in the hot loop.
    pub id_rank: Vec<u32>,
    /// The year ages are computed from.
    pub current_year: i32,
    /// Scores of components that do not depend on the buyer under the
    /// engine's profile (see [`Prepared::with_static_scores`]).
    pub static_scores: Vec<StaticScore>,
    /// The input fields no listing of a non-empty catalog has, by name
    /// (`"school_rating"`, `"commute_time"`…), with the component each
    /// feeds: said once per answer, not in every result's reasons.
    pub absent: Vec<(&'static str, ComponentName)>,
    /// The structured embedding (see [`crate::embedding::structured`]),
    /// built on first use: only catalogs without embeddings of their own
    /// need it, and only for similarity.
    pub(crate) structured: OnceLock<Structured>,
}

/// One buyer-independent component, scored for every listing.
#[derive(Debug, Clone)]
pub struct StaticScore {
    /// The component.
    pub name: ComponentName,
    /// The curve it was scored with.
    pub curve: Curve,
    /// Score per listing (NaN = unknown).
    pub values: Vec<f64>,
}

impl Prepared {
    /// Compute everything for `catalog` with the given predicted prices
    /// (`None`: the listed prices).
    pub fn new(catalog: &Catalog, current_year: i32, predicted: Option<Vec<f64>>) -> Prepared {
        let cols = catalog.columns();
        let (predicted_price, price_source) = match predicted {
            Some(p) => (p, PriceSource::Model),
            None => (cols.price.clone(), PriceSource::Listed),
        };
        let year = f64::from(current_year);
        let age_years = cols.year_built.par_iter().map(|y| year - y).collect();
        let bits = case_study::SCORED_AMENITIES.map(|a| cols.amenity_bit(a));
        let case_study_amenities = (0..cols.len())
            .into_par_iter()
            .map(|row| {
                if !cols.amenities_known[row] {
                    return f64::NAN;
                }
                let has = |b: Option<usize>| b.is_some_and(|b| cols.has_amenity(row, b));
                case_study::amenities(has(bits[0]), has(bits[1]), has(bits[2]))
            })
            .collect();
        let mut order: Vec<u32> = (0..cols.len() as u32).collect();
        order.par_sort_unstable_by(|&a, &b| {
            catalog
                .property(a as usize)
                .id
                .cmp(&catalog.property(b as usize).id)
        });
        let mut id_rank = vec![0u32; cols.len()];
        for (rank, &row) in order.iter().enumerate() {
            id_rank[row as usize] = rank as u32;
        }
        let absent = absent_fields(catalog);
        let (rent, rent_source): (Vec<f64>, Vec<Option<RentSource>>) = (0..cols.len())
            .map(|row| {
                let p = catalog.property(row);
                match p.estimated_rent {
                    Some(r) if !p.is_rental() => (r, Some(RentSource::Given)),
                    _ => (f64::NAN, None),
                }
            })
            .unzip();
        let predicted_per = std::array::from_fn(|t| {
            let target = RentPeriod::ALL[t];
            predicted_price
                .iter()
                .zip(&cols.rent_period)
                .map(|(price, &code)| {
                    let period = RentPeriod::ALL
                        .get(usize::from(code))
                        .copied()
                        .unwrap_or(RentPeriod::Month);
                    period.convert(*price, target)
                })
                .collect()
        });
        Prepared {
            absent,
            predicted_per,
            predicted_price,
            price_source,
            no_rents: no_rents(&rent, cols.len()),
            rent,
            rent_source,
            age_years,
            case_study_amenities,
            id_rank,
            current_year,
            static_scores: Vec::new(),
            structured: OnceLock::new(),
        }
    }

    /// Fill the rents of sale listings without an `estimated_rent` from a
    /// rent model's predictions (one per listing, catalog order; rentals
    /// and given rents are kept as they are, and so is a listing priced in
    /// a currency the rent model's training listings were not: its rent
    /// stays unknown).
    pub fn with_model_rents(
        mut self,
        catalog: &Catalog,
        predicted: &[f64],
        domain: &crate::model::TrainingDomain,
    ) -> Prepared {
        for (row, &estimate) in predicted.iter().enumerate() {
            let p = catalog.property(row);
            if self.rent_source[row].is_none() && !p.is_rental() && domain.knows_currency_of(p) {
                self.rent[row] = estimate;
                self.rent_source[row] = Some(RentSource::Model);
            }
        }
        self.no_rents = no_rents(&self.rent, catalog.len());
        self
    }

    /// The rent estimate of listing `row` and where it came from.
    pub fn rent_at(&self, row: usize) -> Option<(f64, RentSource)> {
        self.rent_source[row].map(|source| (self.rent[row], source))
    }

    /// Whether no listing has the data `name` needs (see [`Prepared::absent`]
    /// and [`Prepared::no_rents`]).
    pub fn absent(&self, name: ComponentName) -> bool {
        if matches!(name, ComponentName::GrossYield | ComponentName::CashFlow) {
            return self.no_rents;
        }
        self.absent.iter().any(|(_, c)| *c == name)
    }

    /// The structured embedding of the catalog whose columns are `cols`
    /// (the catalog this was prepared for), built on the first call.
    pub(crate) fn structured(&self, cols: &Columns) -> &Structured {
        self.structured
            .get_or_init(|| Structured::build(&structured_fields(cols)))
    }

    /// The precomputed scores of a component under `curve`, if any.
    pub fn static_column(&self, name: ComponentName, curve: &Curve) -> Option<&[f64]> {
        self.static_scores
            .iter()
            .find(|s| s.name == name && s.curve == *curve)
            .map(|s| s.values.as_slice())
    }
}

/// Whether a non-empty catalog's listings all lack a rent estimate.
fn no_rents(rent: &[f64], listings: usize) -> bool {
    listings > 0 && rent.iter().all(|r| r.is_nan())
}

/// The scoring inputs no listing has (none for an empty catalog), in
/// [`ComponentName::ALL`] order (the rent is [`Prepared::no_rents`]).
fn absent_fields(catalog: &Catalog) -> Vec<(&'static str, ComponentName)> {
    let c = catalog.columns();
    if c.price.is_empty() {
        return Vec::new();
    }
    let none = |col: &[f64]| col.iter().all(|v| v.is_nan());
    let mut out = Vec::new();
    let mut check = |field, name, absent: bool| {
        if absent {
            out.push((field, name));
        }
    };
    check(
        "location",
        ComponentName::Location,
        c.location
            .iter()
            .all(|l| *l == crate::catalog::MISSING_LOCATION)
            && none(&c.latitude),
    );
    check("bedrooms", ComponentName::Bedrooms, none(&c.bedrooms));
    check("bathrooms", ComponentName::Bathrooms, none(&c.bathrooms));
    check("size_sqft", ComponentName::Size, none(&c.size_sqft));
    check(
        "school_rating",
        ComponentName::SchoolRating,
        none(&c.school_rating),
    );
    check(
        "commute_time",
        ComponentName::Commute,
        none(&c.commute_time),
    );
    check(
        "year_built",
        ComponentName::PropertyAge,
        none(&c.year_built),
    );
    check(
        "amenities",
        ComponentName::Amenities,
        c.amenities_known.iter().all(|k| !k),
    );
    out
}
