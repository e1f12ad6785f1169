//! [`TrainSpec`]: what to train (a learner kind and its parameters), parsed
//! and checked in one place for Rust, Python, Node and the `mira` CLI.

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::linear_train::{LinearKind, LinearParams};
use super::parameter_error::PARAMETERS;
use super::train::GbdtParams;
use crate::error::{closest, MiraError, RecordRef, Result};
use crate::record;

/// The canonical kind names, in the order the docs list them.
pub const TRAIN_KINDS: &[&str] = &["gbdt", "ols", "ridge", "elastic_net"];

/// What the expected text of a bad `kind` says.
const KINDS_EXPECTED: &str = "one of gbdt, ols, ridge, elastic_net (aliases: linear, elastic-net)";

/// A learner and its parameters: the one description of "what to train"
/// shared by [`train_price_model`](super::train_price_model),
/// [`train_matrix`](super::train_matrix), the Python and Node bindings and
/// the CLI. Serialised as `{"kind": "gbdt", "params": {…}}`, the form the
/// model card's `params` records.
///
/// # Kinds and defaults
///
/// A spec is the JSON object `{"kind": KIND, "params": {…}}`. Both keys may
/// be left out (or `null`): the kind defaults to `gbdt`, every parameter to
/// the value below. Python passes the parameters as keyword arguments
/// (`PriceModel.train(x, y, kind="ridge", alpha=0.01)`), Node as
/// `{ kind, params }` with camelCase keys (`l1Ratio`), the CLI as
/// `--kind KIND --params JSON`.
///
/// | kind | learner | parameters (default) |
/// |---|---|---|
/// | `gbdt` | histogram gradient-boosted trees | `bagging_fraction` (1.0), `bagging_freq` (0), `colsample_bytree` (1.0), `early_stopping_rounds` (null), `lambda_l2` (0.0), `learning_rate` (0.1), `max_bins` (255), `max_depth` (null), `max_leaves` (31), `min_gain_to_split` (0.0), `min_samples_leaf` (20), `min_sum_hessian` (0.001), `num_rounds` (100), `num_threads` (0), `objective` ("log"), `seed` (0), `validation_fraction` (0.0) |
/// | `ols` | ordinary least squares | `log_target` (true) |
/// | `ridge` | L2-penalised least squares | `alpha` (0.001), `log_target` (true), `max_iterations` (10000), `tolerance` (1e-6) |
/// | `elastic_net` | L1 + L2 penalised least squares | `alpha` (0.001), `l1_ratio` (0.5), `log_target` (true), `max_iterations` (10000), `tolerance` (1e-6) |
///
/// Aliases, accepted everywhere because the core resolves them:
/// `elastic-net` = `elastic_net`; `linear` = `ols`, or `ridge` when `alpha`
/// is given (the bindings' former kind name).
///
/// Unknown kinds, unknown parameters (with a "did you mean"), values of the
/// wrong type and values out of range are all reported as
/// ``training parameters: …`` naming the field, the value and what was
/// expected.
///
/// ```
/// use agent_mira::model::TrainSpec;
/// let spec = TrainSpec::from_json(serde_json::json!({"kind": "ridge", "params": {"alpha": 0.5}})).unwrap();
/// assert_eq!(spec.kind(), "ridge");
/// let err = TrainSpec::from_json(serde_json::json!({"params": {"num_round": 3}})).unwrap_err();
/// assert_eq!(err.to_string(), "training parameters: unknown field `num_round` (did you mean `num_rounds`?)");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(
    tag = "kind",
    content = "params",
    rename_all = "snake_case",
    deny_unknown_fields
)]
pub enum TrainSpec {
    /// Histogram gradient-boosted trees (the native trainer).
    Gbdt(GbdtParams),
    /// Ordinary least squares (linfa).
    Ols(OlsParams),
    /// L2-penalised least squares (linfa, coordinate descent).
    Ridge(RidgeParams),
    /// L1 + L2 penalised least squares (linfa, coordinate descent).
    #[serde(alias = "elastic-net")]
    ElasticNet(ElasticNetParams),
}

impl Default for TrainSpec {
    /// `gbdt` with [`GbdtParams::default`].
    fn default() -> Self {
        TrainSpec::Gbdt(GbdtParams::default())
    }
}

/// Parameters of the `ols` kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct OlsParams {
    /// Fit `ln(price)` and predict `exp(…)` (prices are skewed); default
    /// `true`. With `true`, every label must be > 0.
    pub log_target: bool,
}

impl Default for OlsParams {
    fn default() -> Self {
        OlsParams { log_target: true }
    }
}

/// The default penalty of `ridge` and `elastic_net`.
///
/// 0.001, not scikit-learn's 1.0: features are standardised and the target
/// is `ln(price)` (standard deviation about 0.5), so an elastic net with
/// alpha 1.0 and `l1_ratio` 0.5 sets every coefficient to zero (its lasso
/// threshold, 0.5, exceeds every feature's covariance with the log price)
/// and predicts one constant price. 0.001 is a light penalty that keeps
/// collinear columns stable and changes a well-posed fit very little. On
/// the King County listings (`train_on_catalog`, 20% held out) alpha 1.0
/// gives one price for every listing (held-out R² −0.04), 0.1 gives R²
/// 0.735 and 0.001 gives R² 0.844.
pub const DEFAULT_ALPHA: f64 = 0.001;

/// Parameters of the `ridge` kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RidgeParams {
    /// Penalty strength on standardised features: finite, > 0; default
    /// 0.001 ([`DEFAULT_ALPHA`]).
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub alpha: f64,
    /// Fit `ln(price)` and predict `exp(…)`; default `true`.
    pub log_target: bool,
    /// Coordinate-descent iterations, ≥ 1; default 10000.
    #[schemars(range(min = 1))]
    pub max_iterations: u32,
    /// Convergence tolerance: finite, > 0; default 1e-6.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub tolerance: f64,
}

impl Default for RidgeParams {
    fn default() -> Self {
        RidgeParams {
            alpha: DEFAULT_ALPHA,
            log_target: true,
            max_iterations: 10_000,
            tolerance: 1e-6,
        }
    }
}

/// Parameters of the `elastic_net` kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ElasticNetParams {
    /// Penalty strength on standardised features: finite, > 0; default
    /// 0.001 ([`DEFAULT_ALPHA`]).
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub alpha: f64,
    /// Share of the L1 penalty, in [0, 1] (1 is the lasso, 0 is ridge);
    /// default 0.5.
    #[schemars(range(min = 0, max = 1))]
    pub l1_ratio: f64,
    /// Fit `ln(price)` and predict `exp(…)`; default `true`.
    pub log_target: bool,
    /// Coordinate-descent iterations, ≥ 1; default 10000.
    #[schemars(range(min = 1))]
    pub max_iterations: u32,
    /// Convergence tolerance: finite, > 0; default 1e-6.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub tolerance: f64,
}

impl Default for ElasticNetParams {
    fn default() -> Self {
        ElasticNetParams {
            alpha: DEFAULT_ALPHA,
            l1_ratio: 0.5,
            log_target: true,
            max_iterations: 10_000,
            tolerance: 1e-6,
        }
    }
}

/// The keys of `T`'s default, serialised: the parameter names of a kind.
fn keys_of<T: Serialize + Default>() -> Vec<String> {
    match serde_json::to_value(T::default()) {
        Ok(Value::Object(m)) => m.into_iter().map(|(k, _)| k).collect(),
        _ => Vec::new(),
    }
}

/// Parse a kind's parameters: unknown keys refused with a suggestion,
/// `null` meaning the default, type errors naming the field.
fn parse<T: DeserializeOwned + Serialize + Default>(mut params: Map<String, Value>) -> Result<T> {
    let record = RecordRef::Other(PARAMETERS.into());
    params.retain(|_, v| !v.is_null());
    let names = keys_of::<T>();
    let allowed: Vec<&str> = names.iter().map(String::as_str).collect();
    record::check_keys(&params, &allowed, &record)?;
    record::from_object(params, &record)
}

impl TrainSpec {
    /// Parse and check a spec from `{"kind": …, "params": {…}}` (either key
    /// may be absent or `null`). Aliases are resolved; every error names
    /// the field, the value and what was expected.
    pub fn from_json(value: Value) -> Result<TrainSpec> {
        let record = RecordRef::Other(PARAMETERS.into());
        let mut top = match value {
            Value::Object(m) => m,
            Value::Null => Map::new(),
            other => {
                return Err(MiraError::invalid(
                    record,
                    "<spec>",
                    record::render(&other),
                    "an object {\"kind\": …, \"params\": {…}}",
                ))
            }
        };
        top.retain(|_, v| !v.is_null());
        record::check_keys(&top, &["kind", "params"], &record)?;
        let kind = match top.remove("kind") {
            None => "gbdt".to_string(),
            Some(Value::String(s)) => s,
            Some(other) => {
                return Err(MiraError::invalid(
                    record,
                    "kind",
                    record::render(&other),
                    KINDS_EXPECTED,
                ))
            }
        };
        let params = match top.remove("params") {
            None => Map::new(),
            Some(Value::Object(m)) => m,
            Some(other) => {
                return Err(MiraError::invalid(
                    record,
                    "params",
                    record::render(&other),
                    "an object of training parameters",
                ))
            }
        };
        if kind == "linear" {
            // The alias accepts what either of its kinds does.
            let names = keys_of::<RidgeParams>();
            let allowed: Vec<&str> = names.iter().map(String::as_str).collect();
            record::check_keys(&params, &allowed, &record)?;
        }
        let spec = match canonical(&kind, &params)? {
            "gbdt" => TrainSpec::Gbdt(parse(params)?),
            "ols" => TrainSpec::Ols(parse(params)?),
            "ridge" => TrainSpec::Ridge(parse(params)?),
            _ => TrainSpec::ElasticNet(parse(params)?),
        };
        spec.validate()?;
        Ok(spec)
    }

    /// The parameter names `kind` accepts (snake_case, as the core spells
    /// them), for callers that rename keys, e.g. Node's camelCase. The
    /// `linear` alias accepts those of `ridge`.
    ///
    /// ```
    /// use agent_mira::model::TrainSpec;
    /// assert_eq!(TrainSpec::parameter_names("ols").unwrap(), ["log_target"]);
    /// assert_eq!(TrainSpec::parameter_names("linear").unwrap(), ["alpha", "log_target", "max_iterations", "tolerance"]);
    /// ```
    pub fn parameter_names(kind: &str) -> Result<Vec<String>> {
        let with_alpha = Map::from_iter([("alpha".to_string(), Value::from(1.0))]);
        Ok(match canonical(kind, &with_alpha)? {
            "gbdt" => keys_of::<GbdtParams>(),
            "ols" => keys_of::<OlsParams>(),
            "ridge" => keys_of::<RidgeParams>(),
            _ => keys_of::<ElasticNetParams>(),
        })
    }

    /// The canonical kind name: `gbdt`, `ols`, `ridge` or `elastic_net`.
    pub fn kind(&self) -> &'static str {
        match self {
            TrainSpec::Gbdt(_) => "gbdt",
            TrainSpec::Ols(_) => "ols",
            TrainSpec::Ridge(_) => "ridge",
            TrainSpec::ElasticNet(_) => "elastic_net",
        }
    }

    /// The model card's `origin`, the same whichever entry point trained
    /// the model: `agent-mira gbdt`, or `agent-mira linfa KIND` for the
    /// linear kinds.
    pub fn origin(&self) -> String {
        match self {
            TrainSpec::Gbdt(_) => "agent-mira gbdt".into(),
            other => format!("agent-mira linfa {}", other.kind()),
        }
    }

    /// Check every parameter against its range. The error is a
    /// [`MiraError::InvalidField`] of the record `training parameters`
    /// naming the parameter, its value and the accepted range.
    ///
    /// ```
    /// use agent_mira::model::{ElasticNetParams, TrainSpec};
    /// let spec = TrainSpec::ElasticNet(ElasticNetParams { l1_ratio: 2.0, ..Default::default() });
    /// assert_eq!(
    ///     spec.validate().unwrap_err().to_string(),
    ///     "training parameters: field `l1_ratio` = 2: expected a number between 0 and 1"
    /// );
    /// ```
    pub fn validate(&self) -> Result<()> {
        match self {
            TrainSpec::Gbdt(p) => p.validate(),
            other => match other.learner() {
                Learner::Gbdt(p) => p.validate(),
                Learner::Linear(p) => p.validate(),
            },
        }
    }

    /// The trainer this spec runs and its settings.
    pub(crate) fn learner(&self) -> Learner<'_> {
        let (model, log_target, max_iterations, tolerance) = match self {
            TrainSpec::Gbdt(p) => return Learner::Gbdt(p),
            TrainSpec::Ols(p) => {
                let d = LinearParams::default();
                (LinearKind::Ols, p.log_target, d.max_iterations, d.tolerance)
            }
            TrainSpec::Ridge(p) => (
                LinearKind::Ridge { alpha: p.alpha },
                p.log_target,
                p.max_iterations,
                p.tolerance,
            ),
            TrainSpec::ElasticNet(p) => (
                LinearKind::ElasticNet {
                    alpha: p.alpha,
                    l1_ratio: p.l1_ratio,
                },
                p.log_target,
                p.max_iterations,
                p.tolerance,
            ),
        };
        Learner::Linear(LinearParams {
            model,
            log_target,
            max_iterations,
            tolerance,
        })
    }
}

/// Which trainer a spec runs.
pub(crate) enum Learner<'a> {
    /// The gradient-boosting trainer.
    Gbdt(&'a GbdtParams),
    /// The linear trainer.
    Linear(LinearParams),
}

/// The canonical kind for `kind` as given (aliases resolved; `linear`
/// depends on whether `params` has an `alpha`).
fn canonical(kind: &str, params: &Map<String, Value>) -> Result<&'static str> {
    if let Some(k) = TRAIN_KINDS.iter().find(|k| **k == kind) {
        return Ok(k);
    }
    match kind {
        "elastic-net" => Ok("elastic_net"),
        "linear" if params.get("alpha").is_some_and(|a| !a.is_null()) => Ok("ridge"),
        "linear" => Ok("ols"),
        other => {
            let candidates = TRAIN_KINDS.iter().copied().chain(["linear"]);
            let hint = match closest(other, candidates) {
                Some(s) => format!(" (did you mean `{s}`?)"),
                None => String::new(),
            };
            Err(MiraError::invalid(
                RecordRef::Other(PARAMETERS.into()),
                "kind",
                format!("{other:?}"),
                format!("{KINDS_EXPECTED}{hint}"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(v: Value) -> String {
        TrainSpec::from_json(v).unwrap_err().to_string()
    }

    #[test]
    fn empty_and_null_mean_gbdt_with_defaults() {
        for v in [
            json!({}),
            json!(null),
            json!({"kind": null, "params": null}),
        ] {
            assert_eq!(TrainSpec::from_json(v).unwrap(), TrainSpec::default());
        }
        assert_eq!(
            TrainSpec::from_json(json!({"params": {"num_rounds": 7, "max_depth": null}})).unwrap(),
            TrainSpec::Gbdt(GbdtParams {
                num_rounds: 7,
                ..GbdtParams::default()
            })
        );
    }

    #[test]
    fn one_set_of_defaults() {
        let ridge = TrainSpec::from_json(json!({"kind": "ridge"})).unwrap();
        assert_eq!(
            ridge,
            TrainSpec::Ridge(RidgeParams {
                alpha: 0.001,
                log_target: true,
                max_iterations: 10_000,
                tolerance: 1e-6,
            })
        );
        let net = TrainSpec::from_json(json!({"kind": "elastic_net"})).unwrap();
        assert_eq!(
            net,
            TrainSpec::ElasticNet(ElasticNetParams {
                alpha: 0.001,
                l1_ratio: 0.5,
                log_target: true,
                max_iterations: 10_000,
                tolerance: 1e-6,
            })
        );
        assert_eq!(
            TrainSpec::from_json(json!({"kind": "ols"})).unwrap(),
            TrainSpec::Ols(OlsParams { log_target: true })
        );
    }

    #[test]
    fn aliases_resolve_to_canonical_kinds() {
        let kind = |v: Value| TrainSpec::from_json(v).unwrap().kind();
        assert_eq!(kind(json!({"kind": "elastic-net"})), "elastic_net");
        assert_eq!(kind(json!({"kind": "linear"})), "ols");
        assert_eq!(
            TrainSpec::from_json(json!({"kind": "linear", "params": {"alpha": 2.0}})).unwrap(),
            TrainSpec::Ridge(RidgeParams {
                alpha: 2.0,
                ..RidgeParams::default()
            })
        );
        assert_eq!(
            kind(json!({"kind": "linear", "params": {"alpha": null}})),
            "ols"
        );
    }

    #[test]
    fn bad_kinds_are_named_with_a_suggestion() {
        assert_eq!(
            err(json!({"kind": "forest"})),
            "training parameters: field `kind` = \"forest\": expected one of gbdt, ols, ridge, elastic_net (aliases: linear, elastic-net)"
        );
        assert_eq!(
            err(json!({"kind": "rigde"})),
            "training parameters: field `kind` = \"rigde\": expected one of gbdt, ols, ridge, elastic_net (aliases: linear, elastic-net) (did you mean `ridge`?)"
        );
        assert_eq!(
            err(json!({"kind": 3})),
            "training parameters: field `kind` = 3: expected one of gbdt, ols, ridge, elastic_net (aliases: linear, elastic-net)"
        );
    }

    #[test]
    fn unknown_keys_are_refused_with_a_suggestion() {
        assert_eq!(
            err(json!({"kind": "gbdt", "parms": {}})),
            "training parameters: unknown field `parms` (did you mean `params`?)"
        );
        assert_eq!(
            err(json!({"kind": "ols", "params": {"alpha": 1.0}})),
            "training parameters: unknown field `alpha` (expected one of: log_target)"
        );
        assert_eq!(
            err(json!({"kind": "linear", "params": {"l1_ratio": 0.5}})),
            "training parameters: unknown field `l1_ratio` (expected one of: alpha, log_target, max_iterations, tolerance)"
        );
        assert_eq!(
            err(json!({"params": []})),
            "training parameters: field `params` = []: expected an object of training parameters"
        );
    }

    #[test]
    fn type_and_range_errors_name_the_field() {
        assert_eq!(
            err(json!({"params": {"num_rounds": "x"}})),
            "training parameters: field `num_rounds` = \"x\": expected a whole number ≥ 0"
        );
        assert_eq!(
            err(json!({"params": {"learning_rate": 0}})),
            "training parameters: field `learning_rate` = 0: expected a number in (0, 1]"
        );
        assert_eq!(
            err(json!({"kind": "ridge", "params": {"alpha": -1}})),
            "training parameters: field `alpha` = -1: expected a finite penalty > 0"
        );
        assert_eq!(
            err(json!({"kind": "elastic_net", "params": {"l1_ratio": 2}})),
            "training parameters: field `l1_ratio` = 2: expected a number between 0 and 1"
        );
        assert_eq!(
            err(json!({"kind": "ridge", "params": {"max_iterations": 0}})),
            "training parameters: field `max_iterations` = 0: expected at least 1"
        );
    }

    #[test]
    fn serialises_as_kind_and_params_and_reads_back() {
        let spec = TrainSpec::ElasticNet(ElasticNetParams::default());
        let v = serde_json::to_value(&spec).unwrap();
        assert_eq!(v["kind"], "elastic_net");
        assert_eq!(v["params"]["l1_ratio"], 0.5);
        assert_eq!(
            serde_json::from_value::<TrainSpec>(v.clone()).unwrap(),
            spec
        );
        assert_eq!(TrainSpec::from_json(v).unwrap(), spec);
    }

    #[test]
    fn origins_name_the_canonical_kind() {
        let origin = |k: &str| TrainSpec::from_json(json!({"kind": k})).unwrap().origin();
        assert_eq!(origin("gbdt"), "agent-mira gbdt");
        assert_eq!(origin("linear"), "agent-mira linfa ols");
        assert_eq!(origin("elastic-net"), "agent-mira linfa elastic_net");
    }
}
