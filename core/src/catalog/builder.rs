//! [`CatalogBuilder`]: collects validated listings, refuses duplicate ids,
//! and freezes them into a [`Catalog`].

use std::collections::HashMap;
use std::sync::Arc;

use super::Catalog;
use crate::clock::this_year;
use crate::embedding::{normalize, Embeddings};
use crate::error::{MiraError, RecordRef, Result};
use crate::listing::{with_id, AmenityTable, Property, PropertyId};

/// Builds a [`Catalog`] from listings.
///
/// ```
/// use agent_mira::{Catalog, Property, RecordRef};
/// let mut b = Catalog::builder().current_year(2025);
/// b.push(Property::new(1, 1.0)).unwrap();
/// let err = b.push_at(Property::new(1, 2.0), RecordRef::Index(1)).unwrap_err();
/// assert_eq!(err.to_string(), "record #1: duplicate id 1 (first seen at record #0)");
/// ```
#[derive(Debug)]
pub struct CatalogBuilder {
    version: u64,
    current_year: i32,
    amenity_table: AmenityTable,
    properties: Vec<Arc<Property>>,
    index: HashMap<PropertyId, usize>,
    origins: Vec<RecordRef>,
    max_listings: usize,
    embeddings: Embeddings,
    /// The id of the first listing with a vector (it set the dimension).
    dim_set_by: Option<PropertyId>,
}

impl Default for CatalogBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl CatalogBuilder {
    /// An empty builder: version 1, default amenity table, this year.
    pub fn new() -> Self {
        CatalogBuilder {
            version: 1,
            current_year: this_year(),
            amenity_table: AmenityTable::default(),
            properties: Vec::new(),
            index: HashMap::new(),
            origins: Vec::new(),
            max_listings: crate::limits::MAX_LISTINGS,
            embeddings: Embeddings::default(),
            dim_set_by: None,
        }
    }

    /// Refuse to hold more than `max` listings (default and upper bound:
    /// [`limits::MAX_LISTINGS`](crate::limits::MAX_LISTINGS)); the listing
    /// after the last allowed one is a [`MiraError::InvalidField`] on
    /// `<catalog>`. A service that loads feeds from outside can set a bound
    /// that fits its memory.
    pub fn max_listings(mut self, max: usize) -> Self {
        self.max_listings = max.min(crate::limits::MAX_LISTINGS);
        self
    }

    /// Use another amenity synonym table.
    pub fn amenity_table(mut self, table: AmenityTable) -> Self {
        self.amenity_table = table;
        self
    }

    /// The year that bounds `year_built` (defaults to the clock's).
    pub fn current_year(mut self, year: i32) -> Self {
        self.current_year = year;
        self
    }

    /// The version the built catalog will carry (defaults to 1; snapshot
    /// loading restores the saved one).
    pub fn version(mut self, version: u64) -> Self {
        self.version = version;
        self
    }

    /// The most listings this builder accepts.
    pub(crate) fn max(&self) -> usize {
        self.max_listings
    }

    /// The year used for validation.
    pub fn year(&self) -> i32 {
        self.current_year
    }

    /// Number of listings so far.
    pub fn len(&self) -> usize {
        self.properties.len()
    }

    /// Whether no listing was added yet.
    pub fn is_empty(&self) -> bool {
        self.properties.is_empty()
    }

    /// Reserve room for `additional` more listings.
    pub fn reserve(&mut self, additional: usize) {
        self.properties.reserve(additional);
        self.index.reserve(additional);
        self.origins.reserve(additional);
    }

    /// The vectors' dimension so far: 0 until a listing with an
    /// `embedding` is added, then its length.
    pub fn dim(&self) -> usize {
        self.embeddings.dim()
    }

    /// Validate and add a listing; its origin in errors is its position.
    ///
    /// A listing's `embedding` is taken out of it, checked against the
    /// catalog's dimension (the length of the first vector added), normalised
    /// to unit length ([`normalize`]) and stored in the catalog's
    /// [`Embeddings`] matrix.
    ///
    /// ```
    /// use agent_mira::{Catalog, Property};
    /// let mut a = Property::new(1u64, 1.0);
    /// a.embedding = Some(vec![1.0, 0.0, 0.0]);
    /// let mut b = Property::new(9u64, 1.0);
    /// b.embedding = Some(vec![1.0, 0.0]);
    /// let mut builder = Catalog::builder();
    /// builder.push(a)?;
    /// let err = builder.push(b).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "record #1 (listing 9): field `embedding` = 2 numbers: expected 3 numbers, the catalog's dimension (set by listing 1)"
    /// );
    /// # Ok::<(), agent_mira::MiraError>(())
    /// ```
    pub fn push(&mut self, property: Property) -> Result<&mut Self> {
        let record = RecordRef::Index(self.properties.len());
        self.push_at(property, record)
    }

    /// Validate and add a listing that came from `record` (a file position,
    /// say), so that errors point back to it.
    pub fn push_at(&mut self, property: Property, record: RecordRef) -> Result<&mut Self> {
        // Validation is deterministic: check with the plain record, and only
        // for a listing that fails build the record naming its id (a string
        // per listing otherwise).
        if property.validate(&record, self.current_year).is_err() {
            property.validate(
                &with_id(&record, &property.id.to_string()),
                self.current_year,
            )?;
        }
        self.push_validated(property, record)
    }

    /// Add a listing that [`Property::from_json`] already validated.
    pub(crate) fn push_validated(
        &mut self,
        mut property: Property,
        record: RecordRef,
    ) -> Result<&mut Self> {
        if self.properties.len() >= self.max_listings {
            return Err(super::too_many(record, self.max_listings));
        }
        if let Some(&first) = self.index.get(&property.id) {
            return Err(MiraError::DuplicateId {
                id: property.id.to_string(),
                record,
                first: self.origins[first].clone(),
            });
        }
        let mut vector = property.embedding.take();
        if let Some(v) = &mut vector {
            let dim = self.embeddings.dim();
            if dim == 0 {
                self.dim_set_by = Some(property.id.clone());
            } else if v.len() != dim {
                let setter = self.dim_set_by.as_ref().map(ToString::to_string);
                return Err(super::wrong_dimension(
                    &with_id(&record, &property.id.to_string()),
                    v.len(),
                    dim,
                    setter.as_deref().unwrap_or("?"),
                ));
            }
            normalize(v);
        }
        self.embeddings.push(vector.as_deref());
        self.index
            .insert(property.id.clone(), self.properties.len());
        self.properties.push(Arc::new(property));
        self.origins.push(record);
        Ok(self)
    }

    /// Freeze into an immutable catalog.
    pub fn build(self) -> Catalog {
        Catalog::from_parts(
            self.version,
            self.current_year,
            self.properties,
            self.index,
            self.embeddings,
            Arc::new(self.amenity_table),
        )
    }
}
