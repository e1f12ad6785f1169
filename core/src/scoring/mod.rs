//! Scoring: profiles (components, weights, curves, filters), the case
//! study's exact formulas, smooth decays, the buyer-independent values
//! prepared per catalog version, and the compiled per-request plan
//! (`plan/`: rules, block scoring, screening). Choosing which listings to
//! score (full, screened or pruned scan) is the ranking layer's job.
//!
//! # Components and what they measure
//!
//! | component | `case_study` curve | distance a decay curve sees |
//! |---|---|---|
//! | `price_match` | 100 if predicted ≤ budget, else `max(0, 100 − (predicted − budget)/budget·100)` | fraction the listed price is over budget |
//! | `location` | — | km from the wanted place (0 inside it) |
//! | `bedrooms` | 100 if ≥ min, else `bedrooms/min·100` | bedrooms short of the minimum |
//! | `bathrooms` | — | bathrooms short of the minimum |
//! | `size` | — | fraction below the minimum size |
//! | `school_rating` | `rating/10·100` | points below the minimum (or below 10) |
//! | `commute` | 100 ≤ 15 min, 80 ≤ 30, 50 ≤ 45, else 20 | minutes over the maximum (or over 15) |
//! | `property_age` | 100 ≤ 5 y, 80 ≤ 15, 60 ≤ 30, else 40 | years of age |
//! | `amenities` | `(pool + garage + garden)/3·100` | fraction of preferred amenities missing |
//! | `value` | — | fraction listed above the predicted value |
//!
//! Budget fit: the `case_study` curve keeps the case study's rule and holds
//! the budget against the predicted price, while every other profile holds
//! it against the listed price (what the buyer pays) and leaves the
//! model's price to `value` (value for money).
//!
//! A component the buyer did not ask for (no budget, no minimum bedrooms,
//! no preferred amenities…) is not scored. A component whose data the
//! listing lacks is left out, the remaining weights are renormalised, and
//! the reasons say what was unknown (a field no listing of the catalog has
//! is said once, in `EngineStats::unknown_fields`, not on every result).
//! Missing is never silently 0 or 100.
//!
//! The total is `Σ wᵢ·sᵢ / Σ wᵢ` over the scored components, in 0..=100.

pub mod case_study;
mod decay;
mod plan;
mod prepared;
mod profile;
mod rows;

pub use decay::{Decay, DecayFunction};
pub use plan::DEFAULT_COMMUTE_MIN;
pub(crate) use plan::{upper_bound, Active, Measure, Plan, Scratch, BLOCK_ROWS, MARGIN};
pub(crate) use prepared::Prepared;
pub use prepared::PriceSource;
pub use profile::{ComponentName, ComponentSpec, Curve, Filter, Profile};
