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
//! | `availability` | — | days the home stands empty before `move_in` (`move_in − available_from`, ≥ 0) |
//! | `furnishing` | — | steps from the furnishing asked for (furnished – semi_furnished – unfurnished: 0, 1 or 2) |
//! | `gross_yield` | — | price-to-rent ratio: `price ÷ (12 × rent)`, years of rent the price pays |
//! | `cash_flow` | — | share by which the rent after vacancy and expenses falls short of the mortgage payment (`max(0, −cash flow) ÷ (NOI ÷ 12)`) |
//! | `similarity` | — | cosine distance `1 − cos` from the `similar_to` query (see [Similarity](#similarity)) |
//!
//! Budget fit: the `case_study` curve keeps the case study's rule and holds
//! the budget against the predicted price, while every other profile holds
//! it against the listed price (what the buyer pays) and leaves the
//! model's price to `value` (value for money).
//!
//! # Renting
//!
//! - **Rent against budget.** With a rental `listing_type`
//!   (`long_term_rent`, `short_term_rent`) the budget is a rent per
//!   `budget_period` (a month unless said otherwise). Each listing's price,
//!   quoted per its `rent_period` (a month when it names none), is
//!   converted to that period by [`RentPeriod::convert`](crate::RentPeriod::convert)
//!   (a week is 52/12 of a month, a night 365/12) before `price_match`, in
//!   both curves (the case study's converts the predicted price the same
//!   way). The converted prices are columns computed once per catalog
//!   version (and price model), one per period: a request only picks one.
//! - **Stay filters** (hard, in every profile, like `listing_type`): with
//!   `move_in`, a listing whose `available_from` is after it is out, and
//!   the stay ends on `move_in` plus `lease_months` months
//!   ([`Date::add_months`](crate::Date::add_months); `move_in` itself
//!   without a lease): a listing whose `available_until` is before that is
//!   out. A missing `available_from` is "since ever", a missing
//!   `available_until` open-ended. With `lease_months`, a listing whose
//!   `min_lease_months` is above it or `max_lease_months` below it is out
//!   (a missing limit is no limit; the reasons say the listing's limits,
//!   "Takes leases of 11 to 36 months"). `pets: true` leaves out listings with
//!   `pets_allowed: false`; unknown `pets_allowed` is kept and its reasons
//!   say "Pets allowed: not stated".
//! - **Unknown availability** (neither `available_from` nor
//!   `available_until`, asked with `move_in`) is kept, never a silent match:
//!   `availability` is unknown (left out, weights renormalised) and the
//!   reasons say "Availability unknown". A listing with only an end is
//!   available on the move-in day but for how long before it nobody said:
//!   `availability` is unknown too, and the reasons give the end.
//! - **`availability`** (`balanced`, when `move_in` is given): an
//!   exponential decay over the days empty before the move-in day, scale
//!   30 days, decay 0.5 — free the day before scores 98, a month before 50,
//!   two months before 25. **`furnishing`** (`balanced`, when `furnishing`
//!   is asked): 100 for the one asked, 50 one step away (semi_furnished
//!   against either other), 0 between furnished and unfurnished (a linear
//!   decay, scale 1 step, decay 0.5); unknown is left out ("Furnishing
//!   unknown"). Their weights (0.10, 0.05) add to the components every
//!   buyer can ask for (which sum to 1), so a buyer who asks for neither
//!   gets the scores of a profile without them. `case_study` has neither
//!   (the case study defined none) but applies the filters and the rent
//!   conversion, and says each listing's availability in words.
//! - **Currency.** A listing's currency is its `currency`, or USD. A
//!   request's is its `currency`, or the catalog's only one; a catalog that
//!   mixes currencies refuses a request that names none (listing each
//!   currency with its count), and a non-empty catalog refuses a currency
//!   no listing is priced in. Listings in other currencies are left out (a
//!   hard filter) and counted in [`AnswerStats`](crate::AnswerStats)
//!   (`Engine::recommend_with_stats`). Per-currency counts are computed once
//!   per catalog version. Reasons write money in the request's currency
//!   (`₹38,000`, `$725,000`).
//! - **Location by text.** Without coordinates, a wanted place matches a
//!   listing whose `location`, split on commas, holds it as a run of
//!   consecutive parts (compared as [`location_key`](crate::catalog::location_key)s):
//!   `Mumbai`, `Bandra West` and `Bandra West, Mumbai` all match `Bandra
//!   West, Mumbai`; `Seattle`, `Seattle, WA` and the state alone, `WA`,
//!   match `Seattle, WA`. The unknown-place refusal and its "did you mean"
//!   use the same rule (a city is a known place when some listing is in one
//!   of its localities).
//!
//! # Investing
//!
//! - **Rent estimates.** Each sale listing's rent per month is its own
//!   `estimated_rent`, else the engine's rent model's
//!   ([`EngineBuilder::rent_model`](crate::EngineBuilder::rent_model)),
//!   computed once per catalog version; a rental has none (its rent is its
//!   price). Each result says where its rent came from (`given` or
//!   `model`), and a model's estimate for a listing outside the rent
//!   model's training domain adds "Estimated rent less certain: …". A rent
//!   model's estimates are amounts in the currency its training listings
//!   were priced in (its card's `training_domain.currencies`): it gives no
//!   rent to a listing priced in another (the rent stays unknown), and
//!   `Engine::estimate_rent` / `analyze_investment` refuse such a listing.
//! - **Metrics** ([`crate::investment`]) ride on every result with a rent
//!   estimate (`Recommendation::metrics`), on the request's terms:
//!   `vacancy`, `expense_ratio`, `closing_costs` (defaults 5 %, 35 %, 3 %)
//!   and, with a `mortgage_rate`, the mortgage (`down_payment` 20 %,
//!   `mortgage_years` 30 unless said).
//! - **Thresholds** `min_gross_yield`, `min_cap_rate`, `min_cash_flow` are
//!   hard filters in every profile, computed with the same arithmetic as
//!   the metrics a result reports (so every result meets them exactly); a
//!   listing without a rent estimate (and every rental) fails each of
//!   them: an unknown rent never passes.
//! - **`gross_yield`** (a Gaussian decay over the price-to-rent ratio,
//!   offset 10 years, scale 10, decay 0.5: a yield of 10 % or more scores
//!   100, 5 % scores 50, 3.3 % scores 6) is buyer-independent and
//!   precomputed; **`cash_flow`** (asked when the request names a
//!   `mortgage_rate`; a Gaussian decay, scale 0.25: paying the mortgage
//!   scores 100, a quarter short 50) is computed per request. Both are
//!   unknown (left out, "Rent estimate unknown") without a rent estimate.
//!   The `investment` profile weighs `gross_yield` 0.30, `cash_flow` 0.25,
//!   `value` 0.15 (the value gap, with a price model), `price_match` 0.15
//!   and `location` 0.15; any custom profile may use them too.
//! - **Only investable homes** in the `investment` profile: its filter
//!   [`Filter::Investable`] leaves out rentals and homes for sale without
//!   a rent estimate on every request — otherwise a home whose rent nobody
//!   estimated would rank on price and place alone, above homes whose
//!   modest yields are known, and a rental would be valued as if it were
//!   a sale. A custom profile may leave the filter out (then such listings
//!   rank with their yield and cash flow left out, as any unknown).
//!
//! # Similarity
//!
//! - **Vectors.** A listing's vector is its `embedding` (stored scaled to
//!   unit length) or, in a catalog where no listing has one, the built-in
//!   structured embedding made from its fields (the recipe:
//!   [`crate::embedding::structured`]; built once per catalog version, on
//!   first use).
//! - **Cosine.** The similarity of two unit vectors is their dot product,
//!   computed by [`embedding::scan::dot`](crate::embedding::scan::dot) (each
//!   product and the sum in `f64`, in a fixed lane order): the full,
//!   screened and pruned scans, a result's breakdown and
//!   [`Engine::similar`](crate::Engine::similar) all call it, so they agree
//!   to the last bit.
//! - **The query** of `similar_to` (`{"ids": [...], "vector": [...]}`,
//!   either or both): the liked listings' unit vectors (each id once) and
//!   the given vector scaled to unit length, summed in `f64` and scaled to
//!   unit length again (stored as `f32`); one liked listing alone is its
//!   stored vector as is, a vector alone its unit vector. Resolved once
//!   per request. Refused by name: an id not in the catalog
//!   (`similar_to.ids[1]`), a liked listing without a vector, a vector of
//!   another dimension than the catalog's, a vector given to a catalog
//!   without embeddings (there is no space to compare it in), vectors
//!   that cancel out, and `similar_to` under a profile without a
//!   `similarity` component.
//! - **`similarity`** (`balanced`, weight 0.20, asked when `similar_to` is
//!   given): a linear decay over the cosine distance `1 − cos` (offset 0,
//!   scale 1, decay 0), so the score is `100 × max(0, cos)`: the same
//!   direction scores 100, orthogonal or opposite 0. Like the renter's
//!   two, its weight adds to those every buyer's components sum to: a
//!   buyer who does not ask gets exactly the scores of a profile without
//!   it. A listing without a vector has an unknown similarity (left out,
//!   weights renormalised, "Similarity (no embedding) unknown"). The
//!   reason: "Like the homes you saved: similarity 0.87 (87/100)" ("Like
//!   what you are looking for" for a vector alone).
//! - **Liked listings are left out** of the results (a hard filter of the
//!   request): the buyer has seen them.
//! - **Bounds.** Screening's upper bound uses the exact cosine (only the
//!   decay's factor is bounded, as for every component), so it is never
//!   below the score; pruning only assumes every component scores 0..=100.
//! - **Homes like this one**: [`Engine::similar`](crate::Engine::similar)
//!   ranks by the same score, ties by id order.
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
pub(crate) mod similarity;

pub use decay::{Decay, DecayFunction};
pub use plan::DEFAULT_COMMUTE_MIN;
pub(crate) use plan::{normalise, upper_bound, Active, Measure, Plan, Scratch, BLOCK_ROWS, MARGIN};
pub(crate) use prepared::Prepared;
pub use prepared::PriceSource;
pub use profile::{ComponentName, ComponentSpec, Curve, Filter, Profile};
