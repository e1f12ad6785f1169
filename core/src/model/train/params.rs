//! Training parameters of the histogram gradient-boosting trainer, with
//! defaults in the spirit of LightGBM's and a validation that names every
//! bad parameter, its value and the accepted range.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::model::parameter_error::bad_parameter as bad;

/// What the trees are fitted to, and so how their raw score becomes a
/// prediction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GbdtObjective {
    /// Squared error on `ln(y)`; the model's output transform is `exp`, so
    /// predictions come back in the label's units (dollars). Every label
    /// must be finite and > 0. The right choice for prices: errors are
    /// relative, and a $100k miss on a $300k house weighs more than on a
    /// $3M one.
    #[default]
    Log,
    /// Plain squared error on `y` (identity output transform).
    L2,
}

impl GbdtObjective {
    /// The objective name stored in the model (`mira_gbdt log_l2` or
    /// `mira_gbdt l2`).
    pub fn model_name(self) -> &'static str {
        match self {
            GbdtObjective::Log => "mira_gbdt log_l2",
            GbdtObjective::L2 => "mira_gbdt l2",
        }
    }
}

/// Parameters of [`train_gbdt`](super::train_gbdt).
///
/// Every field has a default ([`GbdtParams::default`]), so a partial JSON
/// object or Python dict is enough; unknown keys are refused. The defaults
/// follow LightGBM's: 100 rounds, learning rate 0.1, 31 leaves grown
/// leaf-wise, at least 20 rows per leaf, 255 bins, no regularisation, no
/// subsampling, no early stopping.
///
/// ```
/// use agent_mira::model::train::GbdtParams;
/// let p: GbdtParams = serde_json::from_str(r#"{"num_rounds": 300, "learning_rate": 0.05}"#).unwrap();
/// assert_eq!(p.max_leaves, 31);
/// p.validate().unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct GbdtParams {
    /// What the trees fit: `log` (default; ln of the label, predictions in
    /// the label's units) or `l2`.
    pub objective: GbdtObjective,
    /// Boosting rounds (one tree each): the maximum when early stopping is
    /// on. At least 1.
    #[schemars(range(min = 1))]
    pub num_rounds: u32,
    /// Shrinkage applied to every leaf value, in (0, 1].
    #[schemars(range(max = 1), extend("exclusiveMinimum" = 0))]
    pub learning_rate: f64,
    /// Leaves per tree (leaf-wise, best-first growth): 2 ..= 131072.
    #[schemars(range(min = 2, max = MAX_LEAVES_LIMIT))]
    pub max_leaves: u32,
    /// Maximum depth of a leaf (the root has depth 0); `None` = unlimited.
    #[schemars(range(min = 1))]
    pub max_depth: Option<u32>,
    /// Minimum training rows in a leaf (LightGBM's `min_data_in_leaf`), ≥ 1.
    #[schemars(range(min = 1))]
    pub min_samples_leaf: u32,
    /// Minimum sum of hessians in a leaf (with squared error the hessian is
    /// 1 per row), ≥ 0.
    #[schemars(range(min = 0))]
    pub min_sum_hessian: f64,
    /// L2 regularisation of the leaf values (LightGBM's `lambda_l2`), ≥ 0.
    #[schemars(range(min = 0))]
    pub lambda_l2: f64,
    /// Minimum gain (reduction of the regularised squared error) a split
    /// must bring, ≥ 0.
    #[schemars(range(min = 0))]
    pub min_gain_to_split: f64,
    /// Value bins per feature (quantile bins; a missing value has a bin of
    /// its own besides these): 2 ..= 255.
    #[schemars(range(min = 2, max = 255))]
    pub max_bins: u32,
    /// Fraction of the training rows each tree sees (bagging), in (0, 1].
    /// Has an effect only with `bagging_freq` > 0.
    #[schemars(range(max = 1), extend("exclusiveMinimum" = 0))]
    pub bagging_fraction: f64,
    /// Draw a new bagging sample every this many rounds; 0 = no bagging.
    pub bagging_freq: u32,
    /// Fraction of the features each tree may split on, in (0, 1] (at least
    /// one feature is always kept).
    #[schemars(range(max = 1), extend("exclusiveMinimum" = 0))]
    pub colsample_bytree: f64,
    /// Fraction of the training rows held out, chosen by `seed`, to measure
    /// the validation loss when no explicit validation set is given, in
    /// [0, 1): 0 = none.
    #[schemars(range(min = 0), extend("exclusiveMaximum" = 1))]
    pub validation_fraction: f64,
    /// Stop when the validation loss has not improved for this many rounds
    /// and keep the best round's trees; `None` = train every round. Needs a
    /// validation set (explicit, or `validation_fraction` > 0).
    #[schemars(range(min = 1))]
    pub early_stopping_rounds: Option<u32>,
    /// Seed of every random choice (bagging, feature sampling, validation
    /// split). Same seed and data give a bit-identical model, whatever the
    /// thread count.
    pub seed: u64,
    /// Threads to train with; 0 = the current rayon pool (all cores unless
    /// the caller installed a smaller pool). The model does not depend on it.
    pub num_threads: u32,
}

impl Default for GbdtParams {
    fn default() -> Self {
        GbdtParams {
            objective: GbdtObjective::Log,
            num_rounds: 100,
            learning_rate: 0.1,
            max_leaves: 31,
            max_depth: None,
            min_samples_leaf: 20,
            min_sum_hessian: 1e-3,
            lambda_l2: 0.0,
            min_gain_to_split: 0.0,
            max_bins: 255,
            bagging_fraction: 1.0,
            bagging_freq: 0,
            colsample_bytree: 1.0,
            validation_fraction: 0.0,
            early_stopping_rounds: None,
            seed: 0,
            num_threads: 0,
        }
    }
}

/// LightGBM's upper limit on leaves per tree.
pub const MAX_LEAVES_LIMIT: u32 = 131_072;

impl GbdtParams {
    /// Check every parameter against its range. The error is a
    /// [`MiraError::InvalidField`](crate::MiraError::InvalidField) naming the parameter, its value and the
    /// accepted range, e.g. ``training parameters: field `learning_rate` =
    /// 0: expected a number in (0, 1]``.
    pub fn validate(&self) -> Result<()> {
        if self.num_rounds == 0 {
            return Err(bad("num_rounds", 0, "an integer >= 1"));
        }
        let lr = self.learning_rate;
        if !(lr > 0.0 && lr <= 1.0) {
            return Err(bad("learning_rate", lr, "a number in (0, 1]"));
        }
        if !(2..=MAX_LEAVES_LIMIT).contains(&self.max_leaves) {
            return Err(bad(
                "max_leaves",
                self.max_leaves,
                "an integer in 2..=131072",
            ));
        }
        if self.max_depth == Some(0) {
            return Err(bad(
                "max_depth",
                0,
                "an integer >= 1, or null for unlimited",
            ));
        }
        if self.min_samples_leaf == 0 {
            return Err(bad("min_samples_leaf", 0, "an integer >= 1"));
        }
        for (name, v) in [
            ("min_sum_hessian", self.min_sum_hessian),
            ("lambda_l2", self.lambda_l2),
            ("min_gain_to_split", self.min_gain_to_split),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(bad(name, v, "a finite number >= 0"));
            }
        }
        if !(2..=255).contains(&self.max_bins) {
            return Err(bad("max_bins", self.max_bins, "an integer in 2..=255"));
        }
        for (name, v) in [
            ("bagging_fraction", self.bagging_fraction),
            ("colsample_bytree", self.colsample_bytree),
        ] {
            if !(v > 0.0 && v <= 1.0) {
                return Err(bad(name, v, "a number in (0, 1]"));
            }
        }
        let vf = self.validation_fraction;
        if !(0.0..1.0).contains(&vf) {
            return Err(bad("validation_fraction", vf, "a number in [0, 1)"));
        }
        if self.early_stopping_rounds == Some(0) {
            return Err(bad(
                "early_stopping_rounds",
                0,
                "an integer >= 1, or null to train every round",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_lightgbm_like() {
        let p = GbdtParams::default();
        p.validate().unwrap();
        assert_eq!(
            (p.num_rounds, p.learning_rate, p.max_leaves, p.max_bins),
            (100, 0.1, 31, 255)
        );
        assert_eq!(p.objective, GbdtObjective::Log);
    }

    #[test]
    fn nan_parameters_are_refused() {
        let p = GbdtParams {
            lambda_l2: f64::NAN,
            ..GbdtParams::default()
        };
        assert_eq!(
            p.validate().unwrap_err().to_string(),
            "training parameters: field `lambda_l2` = NaN: expected a finite number >= 0"
        );
    }

    #[test]
    fn serde_round_trips_and_refuses_unknown_keys() {
        let p = GbdtParams {
            objective: GbdtObjective::L2,
            early_stopping_rounds: Some(5),
            ..GbdtParams::default()
        };
        let s = serde_json::to_string(&p).unwrap();
        assert!(s.contains(r#""objective":"l2""#), "{s}");
        assert_eq!(serde_json::from_str::<GbdtParams>(&s).unwrap(), p);
        assert!(serde_json::from_str::<GbdtParams>(r#"{"num_leaves": 3}"#).is_err());
    }
}
