//! Listings: [`Property`], its id and vocabularies, and amenity normalisation.

mod amenities;
mod id;
mod kinds;
mod property;

pub use amenities::{AmenityEntry, AmenityTable};
pub use id::PropertyId;
pub use kinds::{ListingType, PropertyType};
pub(crate) use property::with_id;
pub use property::{Property, PROPERTY_FIELDS};
