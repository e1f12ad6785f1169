//! Grounded explanations: [`Engine::explain`] and what it returns.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Engine, Recommendation};
use crate::error::{MiraError, Result};
use crate::explain;
use crate::investment::InvestmentMetrics;
use crate::listing::{Currency, PropertyId};
use crate::preferences::Preferences;
use crate::rank::Ranked;
use crate::scoring::{normalise, Measure, PriceSource};

/// Why one listing scores what it scores for one buyer: every component
/// with the facts it read, its score, weight and contribution, and every
/// hard filter with its verdict. Returned by [`Engine::explain`].
///
/// The contributions of `components` add up to `total` exactly (in any
/// order); `total` is the score [`Engine::recommend`] gives the
/// listing, and `reasons` are the reasons it gives (rendered from the same
/// component measures by the same code), so an agent quoting an
/// explanation quotes the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The listing's id.
    pub id: PropertyId,
    /// The listing's total score, 0..=100: the weighted mean of its known
    /// component scores (see [`ComponentExplanation::contribution`]).
    /// A listing that a filter removes has one too (the score it would
    /// have): `passed` says whether it is ranked at all.
    pub total: f64,
    /// Whether the listing passes every hard filter (is ranked by
    /// [`Engine::recommend`]).
    pub passed: bool,
    /// The profile's components, in profile order, asked or not.
    pub components: Vec<ComponentExplanation>,
    /// The request's hard filters applied to the listing (empty when the
    /// request turns none on).
    pub filters: Vec<FilterCheck>,
    /// The reasons [`Engine::recommend`] gives for the listing, preceded,
    /// when a filter removes it, by the failed filters' details
    /// ("Removed by listing_type: Listed as long_term_rent, not sale").
    pub reasons: Vec<String>,
    /// The predicted price (the listed price without a model).
    pub predicted_price: f64,
    /// The listed price.
    pub listed_price: f64,
    /// Where `predicted_price` came from.
    pub price_source: PriceSource,
    /// The currency of the prices.
    pub currency: Currency,
    /// The investment figures on the request's terms, for a sale with a
    /// rent estimate.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub metrics: Option<InvestmentMetrics>,
}

/// One scoring component of an [`Explanation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentExplanation {
    /// The component (`price_match`, `bedrooms`, …).
    pub name: String,
    /// Whether the request asks for it (no `min_bedrooms`, no bedrooms
    /// component; without a price model, no `value`).
    pub asked: bool,
    /// Whether the listing has the data it needs (false when not asked).
    pub known: bool,
    /// Its score, 0..=100 (`None` when unknown or not asked).
    pub score: Option<f64>,
    /// Its weight in the profile (after the request's `weights`).
    pub weight: f64,
    /// Its share of the total: `weight` divided by the weights of the
    /// listing's known components (0 when unknown or not asked) — unknown
    /// components are left out and the rest renormalised.
    pub share: f64,
    /// `share × score`: the points it adds to the total (0 when unknown or
    /// not asked). The contributions add up to `total` exactly, in any
    /// order: each but the largest is rounded to a multiple of 2⁻³⁰ (about
    /// 10⁻⁹ points), and the largest is the rest.
    pub contribution: f64,
    /// The facts it read: `listing` (the listing's value) and `ask` (the
    /// request's side), as JSON.
    pub inputs: ComponentInputs,
    /// The sentence rendered from these facts (the reason
    /// [`Engine::recommend`] gives), `None` when not asked, or unknown
    /// because no listing in the catalog has the field.
    pub sentence: Option<String>,
}

/// The facts a component read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentInputs {
    /// The listing's value (`null` when unknown).
    pub listing: Value,
    /// What the request asks (`null` when the component asks nothing).
    pub ask: Value,
}

/// One hard filter applied to the listing of an [`Explanation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilterCheck {
    /// The request field that turns it on (`listing_type`,
    /// `property_types`, `currency`, `move_in`, `lease_months`, `pets`,
    /// `min_gross_yield`, `min_cap_rate`, `min_cash_flow`, `similar_to`,
    /// `must_have_amenities`) or `investable` (the investment profile's
    /// filter).
    pub name: String,
    /// Whether the listing passes it.
    pub passed: bool,
    /// The listing's value it read.
    pub listing: Value,
    /// What the request asks.
    pub ask: Value,
    /// What was found, in one sentence.
    pub detail: String,
}

impl Engine {
    /// Explain listing `id`'s score for a buyer: every component with its
    /// inputs, score, weight and contribution; every hard filter with its
    /// verdict; and the reasons, as [`Engine::recommend`] would give them
    /// (see [`Explanation`]).
    ///
    /// Refused: invalid preferences (as `recommend` refuses them) and an
    /// id not in the catalog.
    ///
    /// ```
    /// use agent_mira::{Catalog, Engine, Preferences, Property};
    /// let mut b = Catalog::builder();
    /// let mut home = Property::new(1u64, 450_000.0);
    /// home.bedrooms = Some(2);
    /// b.push(home)?;
    /// let engine = Engine::builder(b.build()).current_year(2025).build();
    /// let buyer = Preferences::from_json(serde_json::json!({"budget": 500000, "min_bedrooms": 3}))?;
    /// let e = engine.explain(&buyer, &1u64.into())?;
    /// let sum = e.components.iter().fold(0.0, |acc, c| acc + c.contribution);
    /// assert_eq!(sum, e.total);
    /// assert_eq!(e.total, engine.recommend(&buyer, 1)?[0].score);
    /// let beds = e.components.iter().find(|c| c.name == "bedrooms").unwrap();
    /// assert_eq!((beds.inputs.listing.clone(), beds.inputs.ask.clone()), (2.into(), 3.into()));
    /// # Ok::<(), agent_mira::MiraError>(())
    /// ```
    pub fn explain(&self, prefs: &Preferences, id: &PropertyId) -> Result<Explanation> {
        prefs.validate()?;
        let plan = self.plan(prefs)?;
        let catalog = &self.state.catalog;
        let row = catalog
            .row_of(id)
            .ok_or_else(|| MiraError::NotFound { id: id.to_string() })?;
        let property = catalog.property(row);
        let breakdown = plan.breakdown(row);
        // The block scorer's arithmetic for one row: weighted sums in
        // profile order, then `normalise`.
        let (mut sum, mut weights) = (0.0f64, 0.0f64);
        for (a, m) in &breakdown {
            if let Measure::Score(v) = m {
                sum += a.weight * v;
                weights += a.weight;
            }
        }
        let total = normalise(sum, weights);
        let divide = (weights - 1.0).abs() > 1e-12;
        let mut components: Vec<ComponentExplanation> = breakdown
            .iter()
            .map(|(a, m)| {
                let (listing, ask) = explain::inputs::inputs(&plan, row, a, property);
                let (score, share) = match m {
                    Measure::Score(v) => {
                        (Some(*v), if divide { a.weight / weights } else { a.weight })
                    }
                    _ => (None, 0.0),
                };
                let contribution = match m {
                    Measure::Score(v) if divide => a.weight * v / weights,
                    Measure::Score(v) => a.weight * v,
                    _ => 0.0,
                };
                ComponentExplanation {
                    name: a.name.as_str().to_string(),
                    asked: !matches!(m, Measure::NotAsked),
                    known: matches!(m, Measure::Score(_)),
                    score,
                    weight: a.weight,
                    share,
                    contribution,
                    inputs: ComponentInputs { listing, ask },
                    sentence: explain::sentence(&plan, row, a, m),
                }
            })
            .collect();
        settle(&mut components, total);
        let filters: Vec<FilterCheck> = plan
            .checks(row, property)
            .into_iter()
            .map(|c| FilterCheck {
                name: c.name.to_string(),
                passed: c.passed,
                listing: c.listing,
                ask: c.ask,
                detail: c.detail,
            })
            .collect();
        let passed = filters.iter().all(|f| f.passed);
        let ranked = Ranked {
            score: total,
            price: self.predicted_price_at(row),
            id_rank: 0,
            row: row as u32,
        };
        let Recommendation {
            reasons,
            predicted_price,
            listed_price,
            price_source,
            currency,
            metrics,
            ..
        } = self.describe(&plan, ranked);
        let removed: Vec<String> = filters
            .iter()
            .filter(|f| !f.passed)
            .map(|f| format!("Removed by {}: {}", f.name, f.detail))
            .chain(reasons)
            .collect();
        Ok(Explanation {
            id: property.id.clone(),
            total,
            passed,
            components,
            filters,
            reasons: removed,
            predicted_price,
            listed_price,
            price_source,
            currency,
            metrics,
        })
    }
}

/// The grid the contributions other than the largest are rounded to:
/// 2⁻³⁰ points (about 10⁻⁹).
const GRID: f64 = 1.0 / (1u64 << 30) as f64;

/// Make the contributions add up to `total` exactly, in any order: each
/// `share × score` rounded once may miss by an ulp, and sums of such
/// numbers round differently in different orders. So every contribution
/// but the largest is rounded to a multiple of [`GRID`] (a change of at
/// most 5 × 10⁻¹⁰ points), and the largest is `total` minus their sum.
/// All of them are then non-negative multiples of the total's ulp or
/// coarser, no partial sum exceeds the total, and every sum is exact.
fn settle(components: &mut [ComponentExplanation], total: f64) {
    let Some(largest) = components
        .iter()
        .enumerate()
        .filter(|(_, c)| c.known)
        .max_by(|a, b| a.1.contribution.total_cmp(&b.1.contribution))
        .map(|(i, _)| i)
    else {
        return;
    };
    let mut others = 0.0;
    for (i, c) in components.iter_mut().enumerate() {
        if i != largest {
            c.contribution = (c.contribution / GRID).round() * GRID;
            others += c.contribution;
        }
    }
    components[largest].contribution = total - others;
}
