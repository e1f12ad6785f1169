//! Listings: [`Property`], its id and vocabularies, and amenity normalisation.

mod amenities;
mod currency;
mod date;
mod id;
mod kinds;
mod property;

pub use amenities::{AmenityEntry, AmenityTable};
pub use currency::Currency;
pub use date::{Date, DATE_EXPECTED};
pub use id::PropertyId;
pub use kinds::{Furnishing, ListingType, PropertyType, RentPeriod};
pub(crate) use property::{with_id, MAX_LEASE_MONTHS};
pub use property::{Property, PROPERTY_FIELDS};
