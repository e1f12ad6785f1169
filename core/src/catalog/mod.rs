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

mod attach;
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

use crate::embedding::{normalize, Embeddings};
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
    embeddings: Embeddings,
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
        embeddings: Embeddings,
        amenity_table: Arc<AmenityTable>,
    ) -> Catalog {
        debug_assert_eq!(embeddings.len(), properties.len());
        debug_assert!(properties.iter().all(|p| p.embedding.is_none()));
        let columns = Columns::build(&properties, &amenity_table);
        Catalog {
            inner: Arc::new(CatalogData {
                version,
                current_year,
                properties,
                index,
                columns,
                embeddings,
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

    /// The listing with this id, without its `embedding` (the catalog keeps
    /// vectors apart: [`Catalog::embedding`], [`Catalog::listing`]).
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

    /// The listing at `row`, without its `embedding` (see
    /// [`Catalog::listing`]).
    pub fn property(&self, row: usize) -> &Property {
        &self.inner.properties[row]
    }

    /// The listing at `row` with its stored vector attached as
    /// `embedding` (normalised to unit length, as the catalog keeps it): a
    /// clone, for export. Pushing it into another catalog stores the same
    /// bits (normalisation is idempotent).
    ///
    /// ```
    /// use agent_mira::{Catalog, Property};
    /// let mut p = Property::new(1u64, 400_000.0);
    /// p.embedding = Some(vec![0.0, 2.0]);
    /// let mut b = Catalog::builder();
    /// b.push(p)?;
    /// let catalog = b.build();
    /// assert_eq!(catalog.property(0).embedding, None);
    /// assert_eq!(catalog.embedding(0), Some(&[0.0f32, 1.0][..]));
    /// assert_eq!(catalog.listing(0).embedding, Some(vec![0.0, 1.0]));
    /// # Ok::<(), agent_mira::MiraError>(())
    /// ```
    pub fn listing(&self, row: usize) -> Property {
        let mut p = self.property(row).clone();
        p.embedding = self.embedding(row).map(<[f32]>::to_vec);
        p
    }

    /// The unit vector of the listing at `row`, or `None` when it has none.
    pub fn embedding(&self, row: usize) -> Option<&[f32]> {
        self.inner.embeddings.row(row)
    }

    /// Every listing's vector, in one row-major matrix (see
    /// [`Embeddings`]).
    pub fn embeddings(&self) -> &Embeddings {
        &self.inner.embeddings
    }

    /// The id of the first listing (in catalog order) with a vector: the
    /// one named as having set the dimension in errors.
    fn dim_set_by(&self) -> Option<&PropertyId> {
        let e = &self.inner.embeddings;
        if e.count() == 0 {
            return None;
        }
        (0..e.len())
            .find(|&r| e.present(r))
            .map(|r| &self.property(r).id)
    }

    /// All listings, in catalog order, without their `embedding`.
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
    ///
    /// Vectors: an update's `embedding` replaces the listing's vector (an
    /// update without one leaves the listing without one); it must have the
    /// catalog's dimension when the catalog has one (otherwise the first
    /// update with a vector sets it). The other rows' vectors are copied
    /// bit for bit.
    pub fn upsert(&self, updates: impl IntoIterator<Item = Property>) -> Result<Catalog> {
        let mut properties = self.inner.properties.clone();
        let mut index = self.inner.index.clone();
        let mut seen: HashMap<PropertyId, usize> = HashMap::new();
        let old = &self.inner.embeddings;
        let mut dim = old.dim();
        let mut dim_set_by: Option<PropertyId> = self.dim_set_by().cloned();
        // The new vectors of the rows this call replaces or adds.
        let mut vectors: HashMap<usize, Option<Vec<f32>>> = HashMap::new();
        for (i, mut p) in updates.into_iter().enumerate() {
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
            let mut vector = p.embedding.take();
            if let Some(v) = &mut vector {
                if dim == 0 {
                    dim = v.len();
                    dim_set_by = Some(p.id.clone());
                } else if v.len() != dim {
                    let setter = dim_set_by.as_ref().map(ToString::to_string);
                    return Err(wrong_dimension(
                        &crate::listing::with_id(&record, &p.id.to_string()),
                        v.len(),
                        dim,
                        setter.as_deref().unwrap_or("?"),
                    ));
                }
                normalize(v);
            }
            match index.get(&p.id) {
                Some(&row) => {
                    properties[row] = Arc::new(p);
                    vectors.insert(row, vector);
                }
                None => {
                    if properties.len() >= crate::limits::MAX_LISTINGS {
                        return Err(too_many(record, crate::limits::MAX_LISTINGS));
                    }
                    vectors.insert(properties.len(), vector);
                    index.insert(p.id.clone(), properties.len());
                    properties.push(Arc::new(p));
                }
            }
        }
        let mut embeddings = Embeddings::with_capacity(dim, properties.len());
        for row in 0..properties.len() {
            match vectors.get(&row) {
                Some(v) => embeddings.push(v.as_deref()),
                None => embeddings.push(old.row(row)),
            }
        }
        Ok(self.next(properties, index, embeddings))
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
        let old = &self.inner.embeddings;
        let kept = drop.iter().filter(|d| !**d).count();
        let mut properties: Vec<Arc<Property>> = Vec::with_capacity(kept);
        let mut embeddings = Embeddings::with_capacity(old.dim(), kept);
        for (row, p) in self.inner.properties.iter().enumerate() {
            if !drop[row] {
                properties.push(p.clone());
                embeddings.push(old.row(row));
            }
        }
        let index = properties
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        Ok(self.next(properties, index, embeddings))
    }

    fn next(
        &self,
        properties: Vec<Arc<Property>>,
        index: HashMap<PropertyId, usize>,
        embeddings: Embeddings,
    ) -> Catalog {
        Catalog::from_parts(
            self.inner.version + 1,
            self.inner.current_year,
            properties,
            index,
            embeddings,
            self.inner.amenity_table.clone(),
        )
    }
}

/// The error for a listing whose vector has `got` numbers in a catalog of
/// dimension `dim`, set by the listing with id `set_by`.
pub(crate) fn wrong_dimension(
    record: &RecordRef,
    got: usize,
    dim: usize,
    set_by: &str,
) -> MiraError {
    MiraError::invalid(
        record.clone(),
        "embedding",
        numbers(got),
        format!(
            "{}, the catalog's dimension (set by listing {set_by})",
            numbers(dim)
        ),
    )
}

/// "1 number", "384 numbers".
fn numbers(n: usize) -> String {
    if n == 1 {
        "1 number".into()
    } else {
        format!("{n} numbers")
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

    fn with_vector(id: u64, v: &[f32]) -> Property {
        let mut p = Property::new(id, 100.0);
        p.embedding = Some(v.to_vec());
        p
    }

    fn bits(v: Option<&[f32]>) -> Option<Vec<u32>> {
        v.map(|v| v.iter().map(|x| x.to_bits()).collect())
    }

    #[test]
    fn vectors_are_taken_out_normalised_and_kept_in_one_matrix() {
        let mut b = Catalog::builder();
        b.push(Property::new(1, 100.0)).unwrap();
        b.push(with_vector(2, &[0.0, 3.0, 4.0])).unwrap();
        b.push(Property::new(3, 100.0)).unwrap();
        b.push(with_vector(4, &[2.0, 0.0, 0.0])).unwrap();
        let c = b.build();
        let e = c.embeddings();
        assert_eq!((e.dim(), e.len(), e.count()), (3, 4, 2));
        assert_eq!(
            e.data(),
            &[0.0, 0.0, 0.0, 0.0, 0.6, 0.8, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        );
        assert_eq!(c.embedding(0), None);
        assert_eq!(c.embedding(1), Some(&[0.0f32, 0.6, 0.8][..]));
        assert!(c.properties().all(|p| p.embedding.is_none()));
        assert_eq!(c.get(&PropertyId::Int(4)).unwrap().embedding, None);
        assert_eq!(c.listing(3).embedding, Some(vec![1.0, 0.0, 0.0]));
        assert_eq!(c.listing(2), Property::new(3, 100.0));
    }

    #[test]
    fn a_catalog_has_one_dimension() {
        let mut b = Catalog::builder();
        b.push(Property::new("a", 1.0)).unwrap();
        b.push(with_vector(1, &[1.0; 384])).unwrap();
        let err = b.push(with_vector(9, &[1.0; 383])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "record #2 (listing 9): field `embedding` = 383 numbers: expected 384 numbers, the catalog's dimension (set by listing 1)"
        );
        assert_eq!(b.len(), 2);
        let c = b.build();
        let err = c.upsert(vec![with_vector(5, &[1.0; 2])]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "update #0 (listing 5): field `embedding` = 2 numbers: expected 384 numbers, the catalog's dimension (set by listing 1)"
        );
    }

    #[test]
    fn upsert_and_remove_keep_the_other_rows_vectors_bit_for_bit() {
        let v = |k: u64| -> Vec<f32> { (0..5).map(|i| ((k * 7 + i) % 11) as f32 - 4.3).collect() };
        let mut b = Catalog::builder();
        for id in 1..=4 {
            b.push(with_vector(id, &v(id))).unwrap();
        }
        b.push(Property::new(5, 1.0)).unwrap();
        let v1 = b.build();
        let v2 = v1
            .upsert(vec![
                Property::new(2, 5.0),
                with_vector(5, &v(50)),
                with_vector(6, &v(60)),
            ])
            .unwrap();
        assert_eq!(v2.embeddings().count(), 5);
        for row in [0, 2, 3] {
            assert_eq!(bits(v2.embedding(row)), bits(v1.embedding(row)));
        }
        assert_eq!(v2.embedding(1), None);
        let mut expected = v(50);
        crate::embedding::normalize(&mut expected);
        assert_eq!(bits(v2.embedding(4)), bits(Some(&expected)));
        assert_eq!(bits(v1.embedding(1)).unwrap().len(), 5);
        let v3 = v2
            .remove([&PropertyId::Int(1), &PropertyId::Int(3)])
            .unwrap();
        assert_eq!(v3.len(), 4);
        assert_eq!(bits(v3.embedding(0)), None);
        assert_eq!(bits(v3.embedding(1)), bits(v2.embedding(3)));
        assert_eq!(bits(v3.embedding(2)), bits(v2.embedding(4)));
        assert_eq!(bits(v3.embedding(3)), bits(v2.embedding(5)));
        // Without any vector left, the catalog has no dimension any more.
        let v4 = v3
            .remove([
                &PropertyId::Int(4),
                &PropertyId::Int(5),
                &PropertyId::Int(6),
            ])
            .unwrap();
        assert_eq!(
            (v4.embeddings().dim(), v4.embeddings().bytes_per_listing()),
            (0, 0)
        );
        let v5 = v4.upsert(vec![with_vector(7, &[1.0, 1.0])]).unwrap();
        assert_eq!(v5.embeddings().dim(), 2);
    }
}
