#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod catalog;
mod clock;
pub mod error;
mod fsio;
pub mod listing;
pub mod preferences;
mod record;

pub use catalog::{Catalog, CatalogBuilder, Columns};
pub use clock::this_year;
pub use error::{MiraError, RecordRef, Result};
pub use fsio::write_atomic;
pub use listing::{AmenityEntry, AmenityTable, ListingType, Property, PropertyId, PropertyType};
pub use preferences::Preferences;
