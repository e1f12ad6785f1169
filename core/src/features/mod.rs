//! Feature encoding: a fitted, serialisable [`FeatureEncoder`] that turns
//! listings into a numeric matrix for price models.
//!
//! Columns, in this order (a column appears only when the fitting data had
//! any value for it):
//!
//! | kind | columns | missing |
//! |---|---|---|
//! | numeric | `bedrooms`, `bathrooms`, `size_sqft`, `lot_sqft`, `year_built`, `school_rating`, `commute_time`, `latitude`, `longitude`, `floor` (0 = ground, basements negative), `total_floors` | NaN |
//! | derived | `age_years` (current year − year built), `log_size_sqft`, `log_lot_sqft` | NaN |
//! | one-hot | `property_type=<t>`, `listing_type=<t>`, `furnishing=<f>` for each value seen | NaN in every column of the group |
//! | target-encoded | `location_value`, and `<key>_value` for place-like attributes (`zipcode`, `zip`, `zip_code`, `postal_code`, `postcode`, `neighborhood`, `neighbourhood`, `city`, `locality`, `district`): the smoothed mean log price of the place in the fitting data | NaN for a place never seen |
//! | amenity flags | `amenity=<name>` for each canonical amenity on at least 0.5% of listings (at most 32) | NaN when the listing's amenities are unknown |
//! | numeric attributes | `attr.<key>` for attributes that are numbers in at least half of the listings (`grade`, `condition`…) | NaN |
//! | category attributes | `attr.<key>=<value>` for each value of an attribute that is text in at least half of the listings and takes at most 12 distinct values there (`area_type`, `tenant_preferred`…; place-like keys are target-encoded instead) | NaN when the listing lacks the attribute |
//!
//! Missing is NaN, never 0: tree models learn where missing values go, and
//! linear models impute explicitly.
//!
//! ```
//! use agent_mira::features::FeatureEncoder;
//! use agent_mira::{Catalog, Property};
//! let mut b = Catalog::builder();
//! for (id, price, size) in [(1u64, 500_000.0, Some(1500.0)), (2, 700_000.0, None)] {
//!     let mut p = Property::new(id, price);
//!     p.size_sqft = size;
//!     b.push(p).unwrap();
//! }
//! let catalog = b.build();
//! let encoder = FeatureEncoder::fit(&catalog, 2025);
//! assert_eq!(encoder.feature_names(), ["size_sqft", "log_size_sqft"]);
//! let x = encoder.transform(&catalog);
//! assert_eq!(x[[0, 0]], 1500.0);
//! assert!(x[[1, 0]].is_nan());
//! ```

mod encoder;

pub use encoder::{FeatureEncoder, FeatureKind, FeatureSpec, TargetEncoding};
