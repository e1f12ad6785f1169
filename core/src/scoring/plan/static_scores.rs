//! Buyer-independent scores: the components of a profile that score the
//! same for every buyer, computed once per catalog version (and price
//! model) with the rules of a request, so requests read a column.

use rayon::prelude::*;

use super::rules::{with_scorer, Exact};
use super::{Plan, BLOCK_ROWS};
use crate::catalog::Columns;
use crate::preferences::Preferences;
use crate::scoring::prepared::{Prepared, StaticScore};
use crate::scoring::profile::{ComponentName, Curve, Profile};
use crate::scoring::rows::{RowSet, Span};

impl Prepared {
    /// Score, once, the components of `profile` that do not depend on the
    /// buyer (the case study's school, commute, age and amenity rules; a
    /// decay over age; school and commute decays for buyers who state no
    /// minimum or maximum), so requests read a column instead of
    /// recomputing them. Same arithmetic as per request: bit-identical.
    pub fn with_static_scores(mut self, profile: &Profile, columns: &Columns) -> Prepared {
        self.static_scores = static_scores(profile, columns, &self);
        self
    }
}

/// Whether component `name` under `curve` scores the same for every buyer
/// who leaves the related preference unset (school and commute decays
/// depend on a stated minimum/maximum; the rest never depend on the buyer).
fn buyer_independent(name: ComponentName, curve: &Curve) -> bool {
    use ComponentName::*;
    matches!(
        (name, curve),
        (
            SchoolRating | Commute | PropertyAge | Amenities,
            Curve::CaseStudy
        ) | (
            PropertyAge | SchoolRating | Commute | Value | GrossYield,
            Curve::Decay(_)
        )
    )
}

/// Score the buyer-independent components of `profile` for every listing
/// (see [`Prepared::with_static_scores`]).
fn static_scores(profile: &Profile, cols: &Columns, prep: &Prepared) -> Vec<StaticScore> {
    // No filter changes a static score; naming a currency of the catalog
    // keeps a catalog that mixes currencies from refusing the request.
    let prefs = Preferences {
        currency: cols.currencies.first().map(|(c, _)| *c),
        ..Preferences::default()
    };
    let Ok(plan) = Plan::new(profile, cols, prep, &prefs) else {
        return Vec::new();
    };
    plan.active
        .iter()
        .filter(|a| buyer_independent(a.name, &a.curve) && plan.asked(a))
        .map(|a| {
            let mut values = vec![0.0; cols.len()];
            values
                .par_chunks_mut(BLOCK_ROWS)
                .enumerate()
                .for_each(|(b, out)| {
                    let rows = Span {
                        start: b * BLOCK_ROWS,
                        len: out.len(),
                    };
                    with_scorer!(&plan, a, rows, Exact, |i, v| out[i] = v)
                });
            StaticScore {
                name: a.name,
                curve: a.curve,
                values,
            }
        })
        .collect()
}
