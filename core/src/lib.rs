#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod catalog;
mod clock;
pub mod embedding;
pub mod engine;
pub mod error;
mod explain;
pub mod features;
pub mod format;
mod fsio;
pub mod investment;
mod json_schema;
pub mod limits;
pub mod listing;
pub mod model;
pub mod preferences;
pub mod rank;
mod record;
pub mod schema;
pub mod scoring;
pub mod shared;

pub use catalog::{Catalog, CatalogBuilder, CatalogStats};
pub use clock::{this_year, today};
pub use embedding::{Embeddings, MAX_EMBEDDING_DIM};
pub use engine::{
    Answer, AnswerStats, ComponentExplanation, Engine, EngineBuilder, EngineStats, Explanation,
    FilterCheck, Recommendation, SearchHit, SearchPage, SearchQuery, SearchSort, SimilarFilters,
};
pub use error::{MiraError, RecordRef, Result};
pub use fsio::{write_atomic, STALE_TEMP_AFTER};
pub use listing::{
    AmenityEntry, AmenityTable, Currency, Date, Furnishing, ListingType, Property, PropertyId,
    PropertyType, RentPeriod,
};
pub use model::{LinearModel, OutputTransform, PriceModel, SplitRule, TreeEnsemble};
pub use preferences::Preferences;
pub use scoring::{PriceSource, Profile};
pub use shared::SharedEngine;
