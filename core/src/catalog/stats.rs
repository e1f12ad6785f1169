//! A summary of a catalog: size, price range, how often each field is
//! known, the largest places and the commonest amenities (what `mira stats`
//! prints).

use std::collections::BTreeMap;

use super::columns::MISSING_LOCATION;
use super::Catalog;

/// A summary of a catalog ([`Catalog::stats`]).
///
/// ```
/// use agent_mira::{Catalog, Property};
/// let mut b = Catalog::builder();
/// for (id, price, place) in [(1u64, 300_000.0, "Kent, WA"), (2, 500_000.0, "Kent, WA"), (3, 400_000.0, "Bellevue, WA")] {
///     let mut p = Property::new(id, price);
///     p.location = Some(place.into());
///     b.push(p).unwrap();
/// }
/// let stats = b.build().stats();
/// assert_eq!((stats.listings, stats.price_min, stats.price_median, stats.price_max), (3, 300_000.0, 400_000.0, 500_000.0));
/// assert_eq!(stats.known["location"], 3);
/// assert_eq!(stats.known["bedrooms"], 0);
/// assert_eq!(stats.locations[0], ("Kent, WA".to_string(), 2));
/// assert_eq!((stats.embedding_dim, stats.listings_with_embedding, stats.embedding_bytes_per_listing), (0, 0, 0));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogStats {
    /// Number of listings.
    pub listings: usize,
    /// The catalog's version.
    pub version: u64,
    /// Lowest listed price (+∞ for an empty catalog).
    pub price_min: f64,
    /// Median listed price: the upper median for an even count (NaN for
    /// an empty catalog).
    pub price_median: f64,
    /// Highest listed price (−∞ for an empty catalog).
    pub price_max: f64,
    /// Listings that know each optional field: `bedrooms`, `bathrooms`,
    /// `size_sqft`, `lot_sqft`, `year_built`, `school_rating`,
    /// `commute_time`, `latitude`, `longitude`, `location`, `amenities`.
    pub known: BTreeMap<&'static str, usize>,
    /// Every distinct location as first written, with its listings: most
    /// listings first, then by name.
    pub locations: Vec<(String, usize)>,
    /// Every canonical amenity, with the listings that have it: most
    /// listings first, then by name.
    pub amenities: Vec<(String, usize)>,
    /// Numbers per listing vector: the catalog's embedding dimension, 0
    /// when no listing has an `embedding`.
    pub embedding_dim: usize,
    /// Listings with a vector.
    pub listings_with_embedding: usize,
    /// Memory the vectors take per listing, in bytes
    /// ([`Embeddings::bytes_per_listing`](crate::Embeddings::bytes_per_listing):
    /// `4 × embedding_dim + 1` for every listing, with a vector or not; 0
    /// without vectors).
    pub embedding_bytes_per_listing: usize,
}

impl Catalog {
    /// A summary of this catalog (one pass over its columns).
    pub fn stats(&self) -> CatalogStats {
        let c = self.columns();
        let n = c.len();
        let known = |col: &[f64]| col.iter().filter(|v| !v.is_nan()).count();
        let mut coverage = BTreeMap::new();
        for (name, col) in [
            ("bedrooms", &c.bedrooms),
            ("bathrooms", &c.bathrooms),
            ("size_sqft", &c.size_sqft),
            ("lot_sqft", &c.lot_sqft),
            ("year_built", &c.year_built),
            ("school_rating", &c.school_rating),
            ("commute_time", &c.commute_time),
            ("latitude", &c.latitude),
            ("longitude", &c.longitude),
        ] {
            coverage.insert(name, known(col));
        }
        coverage.insert(
            "location",
            c.location
                .iter()
                .filter(|l| **l != MISSING_LOCATION)
                .count(),
        );
        coverage.insert(
            "amenities",
            c.amenities_known.iter().filter(|k| **k).count(),
        );
        let (lo, hi) = c
            .price
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                (lo.min(*p), hi.max(*p))
            });
        let mut sorted = c.price.clone();
        sorted.sort_by(f64::total_cmp);
        let median = if n == 0 { f64::NAN } else { sorted[n / 2] };
        let mut counts = vec![0usize; c.locations.len()];
        for &l in &c.location {
            if l != MISSING_LOCATION {
                counts[l as usize] += 1;
            }
        }
        let mut places: Vec<(String, usize)> = c.locations.iter().cloned().zip(counts).collect();
        places.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut amenities: Vec<(String, usize)> = c
            .amenity_names
            .iter()
            .enumerate()
            .map(|(bit, name)| {
                let k = (0..n).filter(|&row| c.has_amenity(row, bit)).count();
                (name.clone(), k)
            })
            .collect();
        amenities.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        CatalogStats {
            listings: n,
            version: self.version(),
            price_min: lo,
            price_median: median,
            price_max: hi,
            known: coverage,
            locations: places,
            amenities,
            embedding_dim: self.embeddings().dim(),
            listings_with_embedding: self.embeddings().count(),
            embedding_bytes_per_listing: self.embeddings().bytes_per_listing(),
        }
    }
}
