//! Scoring profiles: which components count, how much, with what curve, and
//! which hard filters apply. A profile is data: it serialises to JSON and a
//! caller can send their own.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::decay::Decay;
use crate::error::{MiraError, RecordRef, Result};

/// A scored aspect of a listing. Each is a number from 0 to 100.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ComponentName {
    /// Price against the budget (uses the predicted price).
    PriceMatch,
    /// In the wanted location, or how far from it.
    Location,
    /// Bedrooms against the minimum asked for.
    Bedrooms,
    /// Bathrooms against the minimum asked for.
    Bathrooms,
    /// Living area against the minimum asked for.
    Size,
    /// School rating.
    SchoolRating,
    /// Commute time.
    Commute,
    /// Age of the building.
    PropertyAge,
    /// Amenities.
    Amenities,
    /// Listed price against predicted value (needs a price model).
    Value,
    /// For a renter with a move-in day: how long the home will have stood
    /// empty before it (moving in soon after it frees up scores best).
    Availability,
    /// Furnishing against the one asked for.
    Furnishing,
    /// For an investor: the gross yield of the listing's rent estimate,
    /// measured as its price-to-rent ratio (years of rent the price pays).
    GrossYield,
    /// For an investor with a mortgage: whether the rent after vacancy and
    /// expenses pays the mortgage, or by what share it falls short.
    CashFlow,
    /// With `similar_to`: the cosine of the listing's vector and the
    /// query (the liked listings' mean direction), as a distance `1 − cos`.
    Similarity,
}

impl ComponentName {
    /// Every component.
    pub const ALL: &'static [ComponentName] = &[
        ComponentName::PriceMatch,
        ComponentName::Location,
        ComponentName::Bedrooms,
        ComponentName::Bathrooms,
        ComponentName::Size,
        ComponentName::SchoolRating,
        ComponentName::Commute,
        ComponentName::PropertyAge,
        ComponentName::Amenities,
        ComponentName::Value,
        ComponentName::Availability,
        ComponentName::Furnishing,
        ComponentName::GrossYield,
        ComponentName::CashFlow,
        ComponentName::Similarity,
    ];

    /// The snake_case name used in profiles, weights and results.
    pub fn as_str(self) -> &'static str {
        match self {
            ComponentName::PriceMatch => "price_match",
            ComponentName::Location => "location",
            ComponentName::Bedrooms => "bedrooms",
            ComponentName::Bathrooms => "bathrooms",
            ComponentName::Size => "size",
            ComponentName::SchoolRating => "school_rating",
            ComponentName::Commute => "commute",
            ComponentName::PropertyAge => "property_age",
            ComponentName::Amenities => "amenities",
            ComponentName::Value => "value",
            ComponentName::Availability => "availability",
            ComponentName::Furnishing => "furnishing",
            ComponentName::GrossYield => "gross_yield",
            ComponentName::CashFlow => "cash_flow",
            ComponentName::Similarity => "similarity",
        }
    }

    /// Whether the case study defined a formula for this component.
    pub fn has_case_study_rule(self) -> bool {
        matches!(
            self,
            ComponentName::PriceMatch
                | ComponentName::Bedrooms
                | ComponentName::SchoolRating
                | ComponentName::Commute
                | ComponentName::PropertyAge
                | ComponentName::Amenities
        )
    }
}

impl fmt::Display for ComponentName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ComponentName {
    type Err = MiraError;
    fn from_str(s: &str) -> Result<Self> {
        ComponentName::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = ComponentName::ALL.iter().map(|c| c.as_str()).collect();
                MiraError::unknown_field(RecordRef::Other("scoring components".into()), s, &names)
            })
    }
}

/// How a component turns its measurement into 0..100.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Curve {
    /// The Agent Mira case study's formula for this component, exactly.
    CaseStudy,
    /// A smooth decay over the component's distance from what was asked
    /// (see [`crate::scoring`] for each component's distance and unit).
    Decay(Decay),
}

/// One component of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ComponentSpec {
    /// Which component.
    pub name: ComponentName,
    /// Its weight (≥ 0). Weights are renormalised over the components that
    /// can be scored for a listing.
    #[schemars(range(min = 0))]
    pub weight: f64,
    /// How the measurement becomes a score.
    pub curve: Curve,
}

/// A hard filter: a listing that fails it is not recommended at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Filter {
    /// Every `must_have_amenities` entry must be present (unknown amenities fail).
    MustHaveAmenities,
    /// `property_type` must be one of `property_types` (unknown fails).
    PropertyTypes,
    /// `listing_type` must equal the wanted one (unknown fails).
    ListingType,
    /// For an investor: only homes for sale with a rent estimate (their
    /// own `estimated_rent` or the rent model's) — rentals and sales whose
    /// rent nobody estimated are left out, whatever the request, since an
    /// investor's ranking rests on the rent. Applies on every request.
    Investable,
}

impl Filter {
    /// All filters.
    pub const ALL: &'static [Filter] = &[
        Filter::MustHaveAmenities,
        Filter::PropertyTypes,
        Filter::ListingType,
        Filter::Investable,
    ];

    /// The filters a request turns on by asking (`must_have_amenities`,
    /// `property_types`, `listing_type`): those of `balanced` and
    /// `case-study`.
    pub const ON_REQUEST: &'static [Filter] = &[
        Filter::MustHaveAmenities,
        Filter::PropertyTypes,
        Filter::ListingType,
    ];
}

/// A scoring profile: named components with weights and curves, and filters.
///
/// ```
/// use agent_mira::scoring::Profile;
/// let p = Profile::by_name("case-study").unwrap();
/// assert_eq!(p.weight_of("price_match"), Some(0.30));
/// let json = serde_json::to_value(&p).unwrap();
/// assert_eq!(Profile::from_json(json).unwrap(), p);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Name, shown in results and stats.
    #[schemars(length(min = 1), regex(pattern = r"\S"))]
    pub name: String,
    /// Components, in the order reasons are given.
    #[schemars(length(min = 1))]
    pub components: Vec<ComponentSpec>,
    /// Filters applied before scoring.
    #[serde(default)]
    pub filters: Vec<Filter>,
}

impl Default for Profile {
    fn default() -> Self {
        Profile::balanced()
    }
}

impl Profile {
    /// The Agent Mira case-study formula, exactly:
    /// `0.30 price_match + 0.20 bedrooms + 0.15 school_rating + 0.15 commute
    /// + 0.10 property_age + 0.10 amenities`.
    pub fn case_study() -> Profile {
        use ComponentName::*;
        let spec = |name, weight| ComponentSpec {
            name,
            weight,
            curve: Curve::CaseStudy,
        };
        Profile {
            name: "case-study".into(),
            components: vec![
                spec(PriceMatch, 0.30),
                spec(Bedrooms, 0.20),
                spec(SchoolRating, 0.15),
                spec(Commute, 0.15),
                spec(PropertyAge, 0.10),
                spec(Amenities, 0.10),
            ],
            filters: Filter::ON_REQUEST.to_vec(),
        }
    }

    /// What a real buyer wants (the default): smooth decays instead of steps,
    /// location, bathrooms, size and value for money, must-haves as filters;
    /// for a renter also availability (with a move-in day) and furnishing
    /// (when asked), and similarity to the homes liked (with `similar_to`).
    /// The weights of the components every buyer can ask for
    /// sum to 1; the renter's two and similarity add to them (and every total is
    /// renormalised over the components scored), so a buyer who asks for
    /// neither gets exactly the scores of a profile without them.
    pub fn balanced() -> Profile {
        use ComponentName::*;
        let spec = |name, weight, decay| ComponentSpec {
            name,
            weight,
            curve: Curve::Decay(decay),
        };
        Profile {
            name: "balanced".into(),
            components: vec![
                // Fraction over budget: 10% over scores 50.
                spec(PriceMatch, 0.25, Decay::gauss(0.0, 0.10, 0.5)),
                // Kilometres from the wanted place: 10 km away scores 50.
                spec(Location, 0.15, Decay::gauss(0.0, 10.0, 0.5)),
                // Bedrooms short of the minimum: one short scores 50.
                spec(Bedrooms, 0.12, Decay::exp(0.0, 1.0, 0.5)),
                // Bathrooms short of the minimum: one short scores 50.
                spec(Bathrooms, 0.06, Decay::exp(0.0, 1.0, 0.5)),
                // Fraction below the minimum size: 20% smaller scores 50.
                spec(Size, 0.06, Decay::gauss(0.0, 0.20, 0.5)),
                // Rating points below the minimum (or below 10): linear, 10 points → 0.
                spec(SchoolRating, 0.08, Decay::linear(0.0, 10.0, 0.0)),
                // Minutes over the maximum (or over 15 when none given): 15 min over scores 50.
                spec(Commute, 0.10, Decay::gauss(0.0, 15.0, 0.5)),
                // Years of age: new up to 5, 45 years scores 50.
                spec(PropertyAge, 0.05, Decay::gauss(5.0, 40.0, 0.5)),
                // Fraction of preferred amenities missing: linear.
                spec(Amenities, 0.08, Decay::linear(0.0, 1.0, 0.0)),
                // Fraction listed above predicted value: 15% over scores 50.
                spec(Value, 0.05, Decay::gauss(0.0, 0.15, 0.5)),
                // Days the home stands empty before the move-in day: free
                // the day before scores 98, a month before 50, two months
                // before 25.
                spec(Availability, 0.10, Decay::exp(0.0, 30.0, 0.5)),
                // Steps between the furnishing asked for and the listing's
                // (furnished – semi-furnished – unfurnished): one step
                // scores 50, two 0.
                spec(Furnishing, 0.05, Decay::linear(0.0, 1.0, 0.5)),
                // Cosine distance from the homes liked (`similar_to`):
                // linear over 1 − cos, so the score is 100 × max(0, cos).
                // Asked only with `similar_to`, and added like the
                // renter's two: a buyer who does not ask scores the same.
                spec(Similarity, 0.20, Decay::linear(0.0, 1.0, 0.0)),
            ],
            filters: Filter::ON_REQUEST.to_vec(),
        }
    }

    /// For an investor buying to let: the rent against the price (gross
    /// yield), whether the rent pays the mortgage (cash flow, with a
    /// `mortgage_rate`), the price against the model's value (value gap,
    /// with a price model), the price against the budget and the place,
    /// each with a smooth curve like [`Profile::balanced`]'s; the weights
    /// sum to 1. Its [`Filter::Investable`] leaves out rentals and homes
    /// without a rent estimate. See [`crate::scoring`], "Investing", for
    /// each distance.
    ///
    /// ```
    /// use agent_mira::scoring::Profile;
    /// let p = Profile::by_name("investment").unwrap();
    /// assert_eq!(p.weight_of("gross_yield"), Some(0.30));
    /// assert_eq!(p.weight_of("bedrooms"), None);
    /// ```
    pub fn investment() -> Profile {
        use ComponentName::*;
        let spec = |name, weight, decay| ComponentSpec {
            name,
            weight,
            curve: Curve::Decay(decay),
        };
        Profile {
            name: "investment".into(),
            components: vec![
                // Price-to-rent ratio in years: 10 or less (a gross yield
                // of 10 % or more) scores 100, 20 (5 %) scores 50, 30
                // (3.3 %) scores 6.
                spec(GrossYield, 0.30, Decay::gauss(10.0, 10.0, 0.5)),
                // Share by which the rent after vacancy and expenses falls
                // short of the mortgage payment: paying it scores 100, a
                // quarter short scores 50.
                spec(CashFlow, 0.25, Decay::gauss(0.0, 0.25, 0.5)),
                // Fraction listed above predicted value: 15% over scores 50.
                spec(Value, 0.15, Decay::gauss(0.0, 0.15, 0.5)),
                // Fraction over budget: 10% over scores 50.
                spec(PriceMatch, 0.15, Decay::gauss(0.0, 0.10, 0.5)),
                // Kilometres from the wanted place: 10 km away scores 50.
                spec(Location, 0.15, Decay::gauss(0.0, 10.0, 0.5)),
            ],
            // Only homes for sale with a rent estimate: a rental is not an
            // investment, and a home whose rent nobody estimated would rank
            // on price and place alone (its yield and cash flow left out),
            // above homes whose modest yields are known.
            filters: [Filter::ON_REQUEST, &[Filter::Investable]].concat(),
        }
    }

    /// A built-in profile by name: `balanced`, `case-study` (also
    /// `case_study`) or `investment`.
    pub fn by_name(name: &str) -> Result<Profile> {
        match name {
            "balanced" => Ok(Profile::balanced()),
            "case-study" | "case_study" => Ok(Profile::case_study()),
            "investment" => Ok(Profile::investment()),
            other => Err(MiraError::invalid(
                RecordRef::Other("engine settings".into()),
                "profile",
                format!("{other:?}"),
                "\"balanced\", \"case-study\", \"investment\" or a profile object",
            )),
        }
    }

    /// Parse and validate a profile from JSON.
    pub fn from_json(value: serde_json::Value) -> Result<Profile> {
        let name = value
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or("<unnamed>")
            .to_string();
        let record = RecordRef::Profile(name);
        let map = match value {
            serde_json::Value::Object(m) => m,
            other => {
                return Err(MiraError::invalid(
                    record,
                    "<profile>",
                    crate::record::render(&other),
                    "a JSON object",
                ))
            }
        };
        crate::record::check_keys(&map, &["name", "components", "filters"], &record)?;
        let profile: Profile = crate::record::from_object(map, &record)?;
        profile.validate()?;
        Ok(profile)
    }

    /// The weight of a component, if the profile has it.
    pub fn weight_of(&self, name: &str) -> Option<f64> {
        self.components
            .iter()
            .find(|c| c.name.as_str() == name)
            .map(|c| c.weight)
    }

    /// Check: a name, at least one component, no component twice, weights
    /// finite and ≥ 0 with a positive sum, case-study curves only where the
    /// case study defined one, decay parameters in range.
    pub fn validate(&self) -> Result<()> {
        let record = RecordRef::Profile(self.name.clone());
        let bad = |field: String, value: String, expected: &str| {
            Err(MiraError::invalid(record.clone(), field, value, expected))
        };
        if self.name.trim().is_empty() {
            return bad(
                "name".into(),
                format!("{:?}", self.name),
                "a non-empty name",
            );
        }
        if self.components.is_empty() {
            return bad("components".into(), "[]".into(), "at least one component");
        }
        let mut total = 0.0;
        for (i, c) in self.components.iter().enumerate() {
            let field = format!("components[{i}]");
            if self.components[..i].iter().any(|o| o.name == c.name) {
                return bad(
                    format!("{field}.name"),
                    c.name.to_string(),
                    "each component at most once",
                );
            }
            if !(c.weight.is_finite() && c.weight >= 0.0) {
                return bad(
                    format!("{field}.weight"),
                    c.weight.to_string(),
                    "a finite weight ≥ 0",
                );
            }
            total += c.weight;
            match c.curve {
                Curve::CaseStudy if !c.name.has_case_study_rule() => {
                    return bad(
                        format!("{field}.curve"),
                        "case_study".into(),
                        &format!(
                            "a decay curve (the case study has no rule for `{}`)",
                            c.name
                        ),
                    );
                }
                Curve::Decay(d) => {
                    if let Err(msg) = d.validate(c.name.as_str()) {
                        return bad(format!("{field}.curve"), format!("{d:?}"), &msg);
                    }
                }
                Curve::CaseStudy => {}
            }
        }
        if total <= 0.0 {
            return bad(
                "components".into(),
                "all weights 0".into(),
                "at least one weight > 0",
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn built_ins_are_valid_and_weights_sum_to_one() {
        for p in [
            Profile::case_study(),
            Profile::balanced(),
            Profile::investment(),
        ] {
            p.validate().unwrap();
            // Every buyer's components sum to 1; a renter's add to them.
            let sum: f64 = p
                .components
                .iter()
                .filter(|c| {
                    !matches!(
                        c.name,
                        ComponentName::Availability
                            | ComponentName::Furnishing
                            | ComponentName::Similarity
                    )
                })
                .map(|c| c.weight)
                .sum();
            assert!((sum - 1.0).abs() < 1e-12, "{}: {sum}", p.name);
        }
        let balanced = Profile::balanced();
        assert_eq!(balanced.weight_of("availability"), Some(0.10));
        assert_eq!(balanced.weight_of("furnishing"), Some(0.05));
        assert_eq!(balanced.weight_of("similarity"), Some(0.20));
        assert_eq!(Profile::investment().weight_of("similarity"), None);
        assert_eq!(Profile::case_study().weight_of("availability"), None);
    }

    #[test]
    fn the_renter_curves_score_as_documented() {
        let curve = |name| match Profile::balanced()
            .components
            .iter()
            .find(|c| c.name == name)
            .unwrap()
            .curve
        {
            Curve::Decay(d) => d,
            Curve::CaseStudy => unreachable!(),
        };
        let furnishing = curve(ComponentName::Furnishing);
        assert_eq!(
            [0.0, 1.0, 2.0].map(|steps| 100.0 * furnishing.factor(steps)),
            [100.0, 50.0, 0.0]
        );
        let availability = curve(ComponentName::Availability);
        let at = |days: f64| (100.0 * availability.factor(days)).round();
        assert_eq!(
            [at(0.0), at(1.0), at(30.0), at(60.0)],
            [100.0, 98.0, 50.0, 25.0]
        );
    }

    #[test]
    fn custom_profile_from_json() {
        let p = Profile::from_json(json!({
            "name": "commuter",
            "components": [
                {"name": "commute", "weight": 3, "curve": {"kind": "decay", "function": "exp", "scale": 10}},
                {"name": "price_match", "weight": 1, "curve": {"kind": "case_study"}}
            ]
        }))
        .unwrap();
        assert_eq!(
            p.components[0].curve,
            Curve::Decay(Decay::exp(0.0, 10.0, 0.5))
        );
        assert!(p.filters.is_empty());
    }

    #[test]
    fn case_study_curve_only_where_defined() {
        let err = Profile::from_json(json!({
            "name": "x", "components": [{"name": "location", "weight": 1, "curve": {"kind": "case_study"}}]
        }))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "profile `x`: field `components[0].curve` = case_study: expected a decay curve (the case study has no rule for `location`)"
        );
    }

    #[test]
    fn unknown_component_names_are_rejected() {
        let err = Profile::from_json(json!({
            "name": "x", "components": [{"name": "comute", "weight": 1, "curve": {"kind": "case_study"}}]
        }))
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("profile `x`: field `components[0].name` = \"comute\""),
            "{err}"
        );
    }

    #[test]
    fn zero_total_weight_is_rejected() {
        let mut p = Profile::case_study();
        for c in &mut p.components {
            c.weight = 0.0;
        }
        assert_eq!(
            p.validate().unwrap_err().to_string(),
            "profile `case-study`: field `components` = all weights 0: expected at least one weight > 0"
        );
    }

    #[test]
    fn unknown_profile_name() {
        assert_eq!(
            Profile::by_name("fancy").unwrap_err().to_string(),
            "engine settings: field `profile` = \"fancy\": expected \"balanced\", \"case-study\", \"investment\" or a profile object"
        );
    }
}
