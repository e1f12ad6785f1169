//! The one training entry point, in two forms: [`train_price_model`] on a
//! catalog's listings (split off held-out listings, fit the feature encoder
//! on the training ones, train, measure on the held-out ones) and
//! [`train_matrix`] on a feature matrix. Both fit the learner a
//! [`TrainSpec`] describes and assemble the [`ValuationModel`] (predictor,
//! fill values, feature names, card with the same origin text) here, once.

use std::time::Instant;

use ndarray::{Array1, ArrayView1, ArrayView2};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::card::{Metrics, ModelCard, TrainingDomain};
use super::linear_train::train_linear;
use super::spec::{Learner, TrainSpec};
use super::train::{train_gbdt, TrainHistory, TrainProgress};
use super::{PriceModel, ValuationModel};
use crate::catalog::Catalog;
use crate::error::{MiraError, RecordRef, Result};
use crate::features::FeatureEncoder;
use crate::listing::Property;

/// Which listings are held out to measure the model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Holdout {
    /// Train on everything; the card has no metrics.
    None,
    /// Hold out listings whose `attribute` (e.g. `sale_date`, ISO dates
    /// compare as text) is on or after `cutoff`: the honest split for
    /// prices, which drift over time. `attribute` may also name a date field
    /// of the listing, `available_from` or `available_until` (when no
    /// attribute has that name), e.g. for rentals by the day they were
    /// posted.
    Temporal {
        /// The attribute (or date field) holding the date.
        attribute: String,
        /// First held-out value, e.g. `2015-03-01`.
        cutoff: String,
    },
    /// Hold out a seeded, deterministic random share of listings (by id).
    Random {
        /// Share held out, in (0, 1).
        #[schemars(extend("exclusiveMinimum" = 0, "exclusiveMaximum" = 1))]
        fraction: f64,
        /// Seed of the draw; when left out, [`DEFAULT_HOLDOUT_SEED`] (42),
        /// whichever entry point reads the holdout (the CLI's
        /// `random:FRACTION`, Python's and Node's `{"kind": "random",
        /// "fraction": …}`).
        #[serde(default = "default_holdout_seed")]
        seed: u64,
    },
}

/// The seed of a random holdout that names none: 42, for the CLI, Python
/// and Node alike (and in [`TrainConfig::default`]).
pub const DEFAULT_HOLDOUT_SEED: u64 = 42;

fn default_holdout_seed() -> u64 {
    DEFAULT_HOLDOUT_SEED
}

/// The model card's name when the caller gives none, whatever the entry
/// point.
pub const DEFAULT_MODEL_NAME: &str = "price-model";

impl Holdout {
    /// Parse a holdout from JSON (`{"kind": "random", "fraction": 0.2,
    /// "seed": 42}`, `{"kind": "temporal", "attribute": "sale_date",
    /// "cutoff": "2015-03-01"}` or `{"kind": "none"}`); a random holdout's
    /// `seed` defaults to [`DEFAULT_HOLDOUT_SEED`]. The error names the
    /// field `holdout`, the value and the accepted shapes.
    ///
    /// ```
    /// use agent_mira::model::Holdout;
    /// let h = Holdout::from_json(serde_json::json!({"kind": "none"})).unwrap();
    /// assert_eq!(h, Holdout::None);
    /// let h = Holdout::from_json(serde_json::json!({"kind": "random", "fraction": 0.2})).unwrap();
    /// assert_eq!(h, Holdout::Random { fraction: 0.2, seed: 42 });
    /// let err = Holdout::from_json(serde_json::json!({"kind": "random", "seed": 1})).unwrap_err();
    /// assert!(err.to_string().starts_with("training: field `holdout` = {\"kind\":\"random\",\"seed\":1}: expected "));
    /// assert!(err.to_string().ends_with("(missing field `fraction`)"));
    /// ```
    pub fn from_json(value: serde_json::Value) -> Result<Holdout> {
        serde_json::from_value::<Holdout>(value.clone()).map_err(|e| {
            MiraError::invalid(
                RecordRef::Other("training".into()),
                "holdout",
                crate::record::render(&value),
                format!(
                    "{{\"kind\": \"random\", \"fraction\", \"seed\"}}, {{\"kind\": \"temporal\", \"attribute\", \"cutoff\"}} or {{\"kind\": \"none\"}} ({e})"
                ),
            )
        })
    }
}

/// Everything `train_price_model` needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    /// Model name for the card (default [`DEFAULT_MODEL_NAME`]).
    pub name: String,
    /// Free description for the card.
    pub description: String,
    /// The learner and its parameters.
    pub spec: TrainSpec,
    /// How held-out listings are chosen.
    pub holdout: Holdout,
    /// The year the encoder counts ages from.
    pub current_year: i32,
    /// When set (≥ 2), the training rows' place columns (`location_value`,
    /// `city_value`…) are computed out of this many folds (see
    /// [`FeatureEncoder::transform_out_of_fold`]), so that a place seen
    /// once does not hand the trees its listing's own price. The model keeps
    /// the encodings fitted on every training listing for prediction.
    /// `None` (the default, and how the King County model was trained)
    /// encodes the training rows in sample.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_encoding_folds: Option<u32>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            name: DEFAULT_MODEL_NAME.into(),
            description: String::new(),
            spec: TrainSpec::default(),
            holdout: Holdout::Random {
                fraction: 0.2,
                seed: DEFAULT_HOLDOUT_SEED,
            },
            current_year: crate::clock::this_year(),
            place_encoding_folds: None,
        }
    }
}

/// A trained model and how training went.
#[derive(Debug, Clone)]
pub struct TrainOutcome {
    /// The finished model (card, encoder, predictor).
    pub model: ValuationModel,
    /// Listings trained on.
    pub train_rows: usize,
    /// Listings held out.
    pub test_rows: usize,
    /// Per-round losses of a gradient-boosting model.
    pub history: Option<TrainHistory>,
    /// Wall-clock training time (encoding and fitting), seconds.
    pub seconds: f64,
}

/// Train a price model on a catalog's listings (listed price = target).
///
/// ```
/// use agent_mira::model::{train_price_model, Holdout, OlsParams, TrainConfig, TrainSpec};
/// use agent_mira::{Catalog, Property};
/// let mut b = Catalog::builder();
/// for i in 0..40u64 {
///     let mut p = Property::new(i, 100_000.0 + 150.0 * (1000.0 + 25.0 * i as f64));
///     p.size_sqft = Some(1000.0 + 25.0 * i as f64);
///     b.push(p).unwrap();
/// }
/// let config = TrainConfig {
///     name: "demo".into(),
///     spec: TrainSpec::Ols(OlsParams { log_target: false }),
///     holdout: Holdout::Random { fraction: 0.25, seed: 7 },
///     current_year: 2025,
///     ..Default::default()
/// };
/// let out = train_price_model(&b.build(), &config, None).unwrap();
/// let metrics = out.model.card().metrics.clone().unwrap();
/// assert!(metrics.r2 > 0.999);
/// assert_eq!(out.train_rows + out.test_rows, 40);
/// ```
pub fn train_price_model(
    catalog: &Catalog,
    config: &TrainConfig,
    progress: Option<&(dyn Fn(TrainProgress) + Sync)>,
) -> Result<TrainOutcome> {
    let started = Instant::now();
    let (train, test) = split(catalog, &config.holdout)?;
    if train.len() < 2 {
        return Err(MiraError::invalid(
            RecordRef::Other("training".into()),
            "holdout",
            format!("{} training listings", train.len()),
            "at least 2 listings to train on",
        ));
    }
    let prices: Vec<f64> = train.iter().map(|p| p.price).collect();
    let encoder = FeatureEncoder::fit_with_targets(
        &train,
        &prices,
        config.current_year,
        catalog.amenity_table().clone(),
    );
    let names: Vec<String> = encoder
        .feature_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let x = match config.place_encoding_folds {
        None => encoder.transform_all(&train),
        Some(folds) if folds >= 2 => encoder.transform_out_of_fold(&train, &prices, folds),
        Some(folds) => {
            return Err(MiraError::invalid(
                RecordRef::Other("training".into()),
                "place_encoding_folds",
                folds,
                "at least 2 folds (or none, to encode in sample)",
            ))
        }
    };
    let y = Array1::from(prices);
    let fitted = fit(&config.spec, x.view(), y.view(), names, progress)?;
    let card = ModelCard {
        name: config.name.clone(),
        origin: config.spec.origin(),
        description: config.description.clone(),
        features: encoder.features.clone(),
        target: target_text(&train),
        training_domain: TrainingDomain::of(&train),
        metrics: None,
        evaluation: match config.place_encoding_folds {
            Some(folds) => format!(
                "{}; place columns of the training listings encoded out of {folds} folds",
                describe(&config.holdout, test.len())
            ),
            None => describe(&config.holdout, test.len()),
        },
        params: spec_json(&config.spec),
        data_fingerprint: fingerprint(&train),
        created: crate::clock::today(),
    };
    let history = fitted.history;
    let mut model = ValuationModel::new(card, Some(encoder), fitted.fill, fitted.predictor)?;
    if !test.is_empty() {
        let xt = model.encoder().expect("just attached").transform_all(&test);
        let predicted = model.predict_matrix(xt.view())?;
        let actual: Vec<f64> = test.iter().map(|p| p.price).collect();
        let metrics = Metrics::compute(&actual, predicted.as_slice().expect("contiguous"));
        model = model.with_metrics(metrics);
    }
    Ok(TrainOutcome {
        model,
        train_rows: train.len(),
        test_rows: test.len(),
        history,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Train a price model on a feature matrix `x` (rows; NaN = missing) and
/// prices `y`, for callers that encode features themselves. The model has
/// no feature encoder: it predicts from rows in `x`'s column order, named
/// `feature_names` (or `f0`, `f1`… when empty). Its card is that of
/// [`ValuationModel::from_predictor`] with the spec's
/// [`origin`](TrainSpec::origin) and `params`, as in [`train_price_model`].
///
/// ```
/// use agent_mira::model::{train_matrix, OlsParams, TrainSpec};
/// use ndarray::array;
/// let x = array![[1.0], [2.0], [3.0], [4.0]];
/// let y = array![3.0, 5.0, 7.0, 9.0];
/// let spec = TrainSpec::Ols(OlsParams { log_target: false });
/// let out = train_matrix(x.view(), y.view(), vec!["sqft".into()], &spec, "demo", None).unwrap();
/// assert_eq!(out.model.card().origin, "agent-mira linfa ols");
/// assert_eq!(out.model.feature_names(), ["sqft"]);
/// assert!((out.model.predict_matrix(array![[10.0]].view()).unwrap()[0] - 21.0).abs() < 1e-9);
/// ```
pub fn train_matrix(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    feature_names: Vec<String>,
    spec: &TrainSpec,
    name: &str,
    progress: Option<&(dyn Fn(TrainProgress) + Sync)>,
) -> Result<TrainOutcome> {
    let started = Instant::now();
    let fitted = fit(spec, x, y, feature_names, progress)?;
    let bare = ValuationModel::from_predictor(fitted.predictor, name, &spec.origin());
    let mut card = bare.card().clone();
    card.params = spec_json(spec);
    let model = ValuationModel::new(card, None, fitted.fill, bare.predictor().clone())?;
    Ok(TrainOutcome {
        model,
        train_rows: x.nrows(),
        test_rows: 0,
        history: fitted.history,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// A fitted learner, before it becomes a [`ValuationModel`].
struct Fitted {
    predictor: PriceModel,
    /// Fill values for missing inputs (linear models).
    fill: Option<Vec<f64>>,
    history: Option<TrainHistory>,
}

/// Fit the learner `spec` describes; name its columns when `names` is not
/// empty.
fn fit(
    spec: &TrainSpec,
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    names: Vec<String>,
    progress: Option<&(dyn Fn(TrainProgress) + Sync)>,
) -> Result<Fitted> {
    spec.validate()?;
    match spec.learner() {
        Learner::Gbdt(params) => {
            let trained = train_gbdt(x, y, params, progress)?;
            let mut trees = trained.model;
            if !names.is_empty() {
                trees = trees.with_feature_names(names)?;
            }
            Ok(Fitted {
                predictor: trees.into(),
                fill: None,
                history: Some(trained.history),
            })
        }
        Learner::Linear(params) => {
            let trained = train_linear(x, y, &params)?;
            let mut linear = trained.model;
            if !names.is_empty() {
                linear = linear.with_feature_names(names)?;
            }
            Ok(Fitted {
                predictor: linear.into(),
                fill: Some(trained.fill),
                history: None,
            })
        }
    }
}

/// What the card says the model predicts: `price (dollars)` unless every
/// training listing names the same other currency (`price (INR)`), or is a
/// rental quoted per month in it (`rent per month (INR)`).
fn target_text(train: &[&Property]) -> String {
    use crate::listing::RentPeriod;
    let currency = train.first().and_then(|p| p.currency);
    let same = train.iter().all(|p| p.currency == currency);
    match currency {
        Some(c) if same && c != crate::listing::Currency::USD => {
            let monthly = train.iter().all(|p| {
                p.is_rental() && p.rent_period.unwrap_or(RentPeriod::Month) == RentPeriod::Month
            });
            if monthly {
                format!("rent per month ({c})")
            } else {
                format!("price ({c})")
            }
        }
        _ => "price (dollars)".into(),
    }
}

/// The spec as the card's `params` records it.
fn spec_json(spec: &TrainSpec) -> serde_json::Value {
    serde_json::to_value(spec).unwrap_or_default()
}

fn describe(holdout: &Holdout, n: usize) -> String {
    match holdout {
        Holdout::None => "not evaluated: trained on every listing".into(),
        Holdout::Temporal { attribute, cutoff } => {
            format!("{n} held-out listings with {attribute} on or after {cutoff} (trained on earlier ones)")
        }
        Holdout::Random { fraction, seed } => {
            format!(
                "{n} held-out listings: a random {}% by id (seed {seed})",
                (fraction * 100.0).round()
            )
        }
    }
}

fn split<'a>(
    catalog: &'a Catalog,
    holdout: &Holdout,
) -> Result<(Vec<&'a Property>, Vec<&'a Property>)> {
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for p in catalog.properties() {
        let held = match holdout {
            Holdout::None => false,
            Holdout::Temporal { attribute, cutoff } => {
                let field_date = match attribute.as_str() {
                    "available_from" => Some(p.available_from),
                    "available_until" => Some(p.available_until),
                    _ => None,
                };
                let value = match (p.attributes.get(attribute), field_date) {
                    (Some(serde_json::Value::String(s)), _) => s.clone(),
                    (Some(serde_json::Value::Number(n)), _) => n.to_string(),
                    (None, Some(Some(date))) => date.to_string(),
                    (None, Some(None)) => {
                        return Err(MiraError::invalid(
                            RecordRef::Id(p.id.to_string()),
                            attribute.as_str(),
                            "(absent)",
                            "a date for the temporal holdout",
                        ))
                    }
                    (other, _) => {
                        return Err(MiraError::invalid(
                            RecordRef::Id(p.id.to_string()),
                            format!("attributes.{attribute}"),
                            other.map_or("(absent)".to_string(), |v| v.to_string()),
                            "a date (text such as 2015-03-01) for the temporal holdout",
                        ))
                    }
                };
                value.as_str() >= cutoff.as_str()
            }
            Holdout::Random { fraction, seed } => {
                if !(*fraction > 0.0 && *fraction < 1.0) {
                    return Err(MiraError::invalid(
                        RecordRef::Other("training".into()),
                        "holdout.fraction",
                        fraction,
                        "a share between 0 and 1 (exclusive)",
                    ));
                }
                unit_hash(&p.id.to_string(), *seed) < *fraction
            }
        };
        if held {
            test.push(p);
        } else {
            train.push(p);
        }
    }
    Ok((train, test))
}

/// A deterministic number in [0, 1) from an id and a seed (splitmix64 over
/// the id's CRC-32).
fn unit_hash(id: &str, seed: u64) -> f64 {
    let mut z =
        u64::from(crc32fast::hash(id.as_bytes())) ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

fn fingerprint(props: &[&Property]) -> String {
    let mut h = crc32fast::Hasher::new();
    for p in props {
        h.update(p.id.to_string().as_bytes());
        h.update(b"\t");
        h.update(p.price.to_string().as_bytes());
        h.update(b"\n");
    }
    format!("crc32:{:08x}", h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_random_holdout_without_seed_is_seed_42_like_the_default() {
        let parsed =
            Holdout::from_json(serde_json::json!({"kind": "random", "fraction": 0.2})).unwrap();
        assert_eq!(
            parsed,
            Holdout::Random {
                fraction: 0.2,
                seed: 42
            }
        );
        assert_eq!(parsed, TrainConfig::default().holdout);
    }

    fn rentals() -> Catalog {
        let mut b = Catalog::builder().current_year(2025);
        for (i, from) in ["2022-05-01", "2022-05-20", "2022-06-20", "2022-07-01"]
            .iter()
            .enumerate()
        {
            let p = Property::from_json(
                serde_json::json!({"id": i, "price": 10000 + 1000 * i, "listing_type": "long_term_rent",
                                   "currency": "INR", "available_from": from, "bedrooms": i + 1}),
                &RecordRef::Index(i),
                2025,
            )
            .unwrap();
            b.push(p).unwrap();
        }
        b.build()
    }

    fn temporal_on(field: &str) -> TrainConfig {
        TrainConfig {
            spec: TrainSpec::Ols(super::super::OlsParams { log_target: false }),
            holdout: Holdout::Temporal {
                attribute: field.into(),
                cutoff: "2022-06-15".into(),
            },
            current_year: 2025,
            ..Default::default()
        }
    }

    #[test]
    fn a_temporal_holdout_can_split_on_available_from() {
        let out = train_price_model(&rentals(), &temporal_on("available_from"), None).unwrap();
        assert_eq!((out.train_rows, out.test_rows), (2, 2));
        assert_eq!(out.model.card().target, "rent per month (INR)");
        let err = train_price_model(&rentals(), &temporal_on("available_until"), None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "listing 0: field `available_until` = (absent): expected a date for the temporal holdout"
        );
    }

    #[test]
    fn place_encoding_folds_must_be_at_least_two() {
        let config = TrainConfig {
            place_encoding_folds: Some(1),
            ..temporal_on("available_from")
        };
        let err = train_price_model(&rentals(), &config, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "training: field `place_encoding_folds` = 1: expected at least 2 folds (or none, to encode in sample)"
        );
    }
}
