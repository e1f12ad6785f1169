//! The catalog: an immutable, versioned snapshot of listings stored column
//! by column, built by [`CatalogBuilder`], loaded from files by the
//! [`loaders`], saved and loaded whole by [`snapshot`].
//!
//! A `Catalog` is cheap to clone (an `Arc`) and never changes. Updates
//! ([`Catalog::upsert`], [`Catalog::remove`]) return a new catalog with the
//! next version; anyone still holding the old one keeps reading it undisturbed.
//!
//! ```
//! use agent_mira::{Catalog, Property};
//! let mut b = Catalog::builder();
//! b.push(Property::new(1, 400_000.0)).unwrap();
//! b.push(Property::new("a-2", 550_000.0)).unwrap();
//! let v1 = b.build();
//! assert_eq!((v1.len(), v1.version()), (2, 1));
//!
//! let v2 = v1.upsert(vec![Property::new(1, 390_000.0)]).unwrap();
//! assert_eq!(v2.version(), 2);
//! assert_eq!(v2.get(&1.into()).unwrap().price, 390_000.0);
//! assert_eq!(v1.get(&1.into()).unwrap().price, 400_000.0); // the old snapshot is untouched
//! ```

mod builder;
mod columns;
pub mod loaders;
mod location;
pub mod snapshot;
mod stats;

use std::collections::HashMap;
use std::sync::Arc;

pub use builder::CatalogBuilder;
pub(crate) use columns::{Columns, MISSING_CODE, MISSING_LOCATION, NO_END, NO_MAX_LEASE, NO_START};
pub(crate) use location::{chord_distance_km, unit_vector};
pub use location::{
    haversine_km, location_key, location_matches, merge_place_keys, place_key, EARTH_RADIUS_KM,
};
pub use stats::CatalogStats;

use crate::error::{MiraError, RecordRef, Result};
use crate::listing::{AmenityTable, Property, PropertyId};

/// An immutable, versioned snapshot of listings.
#[derive(Debug, Clone)]
pub struct Catalog {
    inner: Arc<CatalogData>,
}

#[derive(Debug)]
struct CatalogData {
    version: u64,
    current_year: i32,
    properties: Vec<Arc<Property>>,
    index: HashMap<PropertyId, usize>,
    columns: Columns,
    amenity_table: Arc<AmenityTable>,
}

impl Catalog {
    /// Start building a catalog (version 1, default amenity table, the
    /// clock's year as the bound for `year_built`).
    pub fn builder() -> CatalogBuilder {
        CatalogBuilder::new()
    }

    /// An empty catalog.
    pub fn empty() -> Catalog {
        CatalogBuilder::new().build()
    }

    pub(crate) fn from_parts(
        version: u64,
        current_year: i32,
        properties: Vec<Arc<Property>>,
        index: HashMap<PropertyId, usize>,
        amenity_table: Arc<AmenityTable>,
    ) -> Catalog {
        let columns = Columns::build(&properties, &amenity_table);
        Catalog {
            inner: Arc::new(CatalogData {
                version,
                current_year,
                properties,
                index,
                columns,
                amenity_table,
            }),
        }
    }

    /// The snapshot's version: 1 for a freshly built catalog, +1 for every
    /// upsert or remove.
    pub fn version(&self) -> u64 {
        self.inner.version
    }

    /// Number of listings.
    pub fn len(&self) -> usize {
        self.inner.properties.len()
    }

    /// Whether the catalog has no listings.
    pub fn is_empty(&self) -> bool {
        self.inner.properties.is_empty()
    }

    /// The listing with this id.
    pub fn get(&self, id: &PropertyId) -> Option<&Property> {
        self.inner
            .index
            .get(id)
            .map(|&row| &*self.inner.properties[row])
    }

    /// The row of the listing with this id (its position in [`Catalog::properties`]
    /// and in every column).
    pub fn row_of(&self, id: &PropertyId) -> Option<usize> {
        self.inner.index.get(id).copied()
    }

    /// The listing at `row`.
    pub fn property(&self, row: usize) -> &Property {
        &self.inner.properties[row]
    }

    /// All listings, in catalog order.
    pub fn properties(&self) -> impl ExactSizeIterator<Item = &Property> {
        self.inner.properties.iter().map(|p| &**p)
    }

    /// The column store that scoring scans.
    pub(crate) fn columns(&self) -> &Columns {
        &self.inner.columns
    }

    /// The canonical amenities of the listing at `row` (synonyms resolved
    /// through the catalog's amenity table; in the catalog's amenity order,
    /// first seen first), or `None` when its amenities are unknown.
    ///
    /// ```
    /// use agent_mira::{Catalog, Property};
    /// let mut p = Property::new(1u64, 400_000.0);
    /// p.amenities = Some(vec!["Swimming Pool".into(), "Garage".into()]);
    /// let mut b = Catalog::builder();
    /// b.push(p)?.push(Property::new(2u64, 300_000.0))?;
    /// let catalog = b.build();
    /// assert_eq!(catalog.amenities_of(0), Some(vec!["pool", "garage"]));
    /// assert_eq!(catalog.amenities_of(1), None);
    /// # Ok::<(), agent_mira::MiraError>(())
    /// ```
    pub fn amenities_of(&self, row: usize) -> Option<Vec<&str>> {
        let c = self.columns();
        c.amenities_known[row].then(|| c.amenities_of(row))
    }

    /// The currencies listings are priced in, sorted by code, with how many
    /// listings each prices (a listing that names none is in USD). Computed
    /// once per catalog version; a request over a catalog with more than
    /// one must name its `currency`.
    ///
    /// ```
    /// use agent_mira::{Catalog, Currency, Property};
    /// let mut b = Catalog::builder();
    /// let mut rupees = Property::new(1u64, 38_000.0);
    /// rupees.currency = Some("INR".parse().unwrap());
    /// b.push(rupees)?.push(Property::new(2u64, 2_300.0))?;
    /// let counts: Vec<(String, usize)> = b
    ///     .build()
    ///     .currencies()
    ///     .iter()
    ///     .map(|(c, n)| (c.to_string(), *n))
    ///     .collect();
    /// assert_eq!(counts, [("INR".to_string(), 1), ("USD".to_string(), 1)]);
    /// # Ok::<(), agent_mira::MiraError>(())
    /// ```
    pub fn currencies(&self) -> &[(crate::listing::Currency, usize)] {
        &self.columns().currencies
    }

    /// The amenity synonym table this catalog normalised with.
    pub fn amenity_table(&self) -> &AmenityTable {
        &self.inner.amenity_table
    }

    /// The year used to bound `year_built` when validating.
    pub fn current_year(&self) -> i32 {
        self.inner.current_year
    }

    /// A new catalog (next version) where each given listing replaces the one
    /// with the same id, or is added at the end. Listings are validated; two
    /// updates with the same id in one call are an error.
    pub fn upsert(&self, updates: impl IntoIterator<Item = Property>) -> Result<Catalog> {
        let mut properties = self.inner.properties.clone();
        let mut index = self.inner.index.clone();
        let mut seen: HashMap<PropertyId, usize> = HashMap::new();
        for (i, p) in updates.into_iter().enumerate() {
            let record = RecordRef::Other(format!("update #{i}"));
            p.validate(
                &crate::listing::with_id(&record, &p.id.to_string()),
                self.inner.current_year,
            )?;
            if let Some(first) = seen.insert(p.id.clone(), i) {
                return Err(MiraError::DuplicateId {
                    id: p.id.to_string(),
                    record,
                    first: RecordRef::Other(format!("update #{first}")),
                });
            }
            match index.get(&p.id) {
                Some(&row) => properties[row] = Arc::new(p),
                None => {
                    if properties.len() >= crate::limits::MAX_LISTINGS {
                        return Err(too_many(record, crate::limits::MAX_LISTINGS));
                    }
                    index.insert(p.id.clone(), properties.len());
                    properties.push(Arc::new(p));
                }
            }
        }
        Ok(self.next(properties, index))
    }

    /// A new catalog (next version) without the listings with these ids.
    /// An id that is not in the catalog is an error (nothing is removed).
    pub fn remove<'a>(&self, ids: impl IntoIterator<Item = &'a PropertyId>) -> Result<Catalog> {
        let mut drop = vec![false; self.len()];
        for id in ids {
            match self.inner.index.get(id) {
                Some(&row) => drop[row] = true,
                None => return Err(MiraError::NotFound { id: id.to_string() }),
            }
        }
        let properties: Vec<Arc<Property>> = self
            .inner
            .properties
            .iter()
            .zip(&drop)
            .filter(|(_, d)| !**d)
            .map(|(p, _)| p.clone())
            .collect();
        let index = properties
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        Ok(self.next(properties, index))
    }

    fn next(&self, properties: Vec<Arc<Property>>, index: HashMap<PropertyId, usize>) -> Catalog {
        Catalog::from_parts(
            self.inner.version + 1,
            self.inner.current_year,
            properties,
            index,
            self.inner.amenity_table.clone(),
        )
    }
}

/// The error for a catalog that would exceed `max` listings.
pub(crate) fn too_many(record: RecordRef, max: usize) -> MiraError {
    MiraError::invalid(
        record,
        "<catalog>",
        format!("listing number {}", max as u64 + 1),
        format!(
            "at most {} listings in one catalog",
            crate::format::thousands(max as u64)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(id: u64, price: f64, location: &str) -> Property {
        let mut p = Property::new(id, price);
        p.location = Some(location.into());
        p
    }

    fn three() -> Catalog {
        let mut b = Catalog::builder();
        for p in [
            listing(1, 100.0, "Seattle, WA"),
            listing(2, 200.0, "seattle wa"),
            listing(3, 300.0, "Bellevue, WA"),
        ] {
            b.push(p).unwrap();
        }
        b.build()
    }

    #[test]
    fn columns_follow_the_rows() {
        let c = three();
        let cols = c.columns();
        assert_eq!(cols.price, vec![100.0, 200.0, 300.0]);
        assert_eq!(cols.location, vec![0, 0, 1]);
        assert_eq!(
            cols.locations,
            vec!["Seattle, WA".to_string(), "Bellevue, WA".to_string()]
        );
        assert!(cols.bedrooms.iter().all(|b| b.is_nan()));
        assert_eq!(cols.property_type, vec![MISSING_CODE; 3]);
    }

    #[test]
    fn upsert_replaces_and_appends_without_touching_the_old_snapshot() {
        let v1 = three();
        let v2 = v1
            .upsert(vec![
                listing(2, 250.0, "Kent, WA"),
                listing(4, 400.0, "Kent, WA"),
            ])
            .unwrap();
        assert_eq!(v2.version(), 2);
        assert_eq!(v2.len(), 4);
        assert_eq!(v2.columns().price, vec![100.0, 250.0, 300.0, 400.0]);
        assert_eq!(v1.columns().price, vec![100.0, 200.0, 300.0]);
        assert_eq!(v1.version(), 1);
    }

    #[test]
    fn upsert_validates_and_rejects_duplicates() {
        let v1 = three();
        let err = v1.upsert(vec![Property::new(5, -1.0)]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "update #0 (listing 5): field `price` = -1: expected a finite number > 0"
        );
        let err = v1
            .upsert(vec![Property::new(5, 1.0), Property::new(5, 2.0)])
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "update #1: duplicate id 5 (first seen at update #0)"
        );
    }

    #[test]
    fn remove_drops_rows_and_reindexes() {
        let v2 = three().remove([&PropertyId::Int(1)]).unwrap();
        assert_eq!(v2.len(), 2);
        assert_eq!(v2.row_of(&PropertyId::Int(3)), Some(1));
        assert!(v2.get(&PropertyId::Int(1)).is_none());
        let err = v2.remove([&PropertyId::Int(1)]).unwrap_err();
        assert_eq!(err.to_string(), "no listing with id 1");
    }
}
