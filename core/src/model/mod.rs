//! Price models: linear and tree-ensemble predictors, and importers for
//! LightGBM text models, XGBoost JSON models and scikit-learn estimators.
//!
//! An imported model predicts exactly what its origin predicts: each origin
//! keeps its own float precision and comparison rule ([`SplitRule`]), its
//! own summation precision and its objective's output transform
//! ([`OutputTransform`]). See `docs/MODEL_FORMATS.md` in the repository.
//!
//! Training: a [`TrainSpec`] (kind + parameters, with the one set of
//! defaults) goes to [`train_price_model`] (a catalog's listings) or
//! [`train_matrix`] (a feature matrix); the bindings and the CLI call these.
//!
//! Supported: regression objectives only (a price is a regression target).
//! Refused by name with [`MiraError::Unsupported`](crate::MiraError):
//! classification, multiclass, ranking and survival objectives, LightGBM
//! linear trees, XGBoost `dart` / `gblinear` boosters and multi-target models.
//!
//! A malformed model is refused with the place of the first wrong value and
//! what was expected there: its JSON path for XGBoost files and model files
//! (`learner.gradient_booster.model.trees[3].split_conditions[7]`), its
//! line, column and key for LightGBM text (`m.txt:20:15: Tree=0:
//! right_child[1] = …`), its argument path for scikit-learn arrays
//! (`trees[1].children_right[0]`). Arrays that must agree in length name
//! both arrays and both lengths.
//!
//! ```
//! use agent_mira::model::TreeEnsemble;
//! let text = "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nmax_feature_idx=0\n\
//!             objective=regression\nfeature_names=sqft_living\n\nTree=0\nnum_leaves=2\n\
//!             split_feature=0\nthreshold=1500\ndecision_type=2\nleft_child=-1\nright_child=-2\n\
//!             leaf_value=300000 650000\n\nend of trees\n";
//! let model = TreeEnsemble::from_lightgbm_str(text).unwrap();
//! assert_eq!(model.predict_row(&[1500.0]).unwrap(), 300000.0); // LightGBM: x <= threshold goes left
//! assert_eq!(model.predict_row(&[2000.0]).unwrap(), 650000.0);
//! assert_eq!(model.feature_names(), ["sqft_living"]);
//! ```

mod card;
mod domain;
mod ensemble;
mod float_serde;
mod import_error;
mod json_path;
mod lightgbm;
mod linear;
mod linear_train;
mod objective;
mod parameter_error;
mod pipeline;
mod sklearn;
mod spec;
mod split_rule;
pub mod train;
mod tree_links;
mod valuation;
mod xgboost;

use ndarray::{Array1, ArrayView2};
use serde::{Deserialize, Serialize};

use crate::error::Result;

pub use card::{Metrics, ModelCard, Range, TrainingDomain};
pub use ensemble::{TreeEnsemble, PARALLEL_MIN_ROWS};
pub use linear::LinearModel;
pub use linear_train::{train_linear, LinearKind, LinearParams, TrainedLinear};
pub use objective::OutputTransform;
pub use pipeline::{
    train_matrix, train_price_model, Holdout, TrainConfig, TrainOutcome, DEFAULT_HOLDOUT_SEED,
    DEFAULT_MODEL_NAME,
};
pub use sklearn::{SklearnAggregation, SklearnHistTree, SklearnTree};
pub use spec::{ElasticNetParams, OlsParams, RidgeParams, TrainSpec, DEFAULT_ALPHA, TRAIN_KINDS};
pub use split_rule::SplitRule;
pub use train::{train_gbdt, GbdtParams, TrainedGbdt};
pub use valuation::{Valuation, ValuationModel, MODEL_FORMAT_NAME, MODEL_FORMAT_VERSION};

/// A price predictor: a linear model or a tree ensemble. Rows are feature
/// vectors in the model's column order; outputs are in the label's units
/// (dollars for a price model).
// One model is held per engine, so the size difference between the
// variants costs nothing; boxing would only add an indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PriceModel {
    /// A linear model.
    Linear(LinearModel),
    /// A tree ensemble (imported or trained).
    TreeEnsemble(TreeEnsemble),
}

impl PriceModel {
    /// Predict one row.
    pub fn predict_row(&self, row: &[f64]) -> Result<f64> {
        match self {
            PriceModel::Linear(m) => m.predict_row(row),
            PriceModel::TreeEnsemble(m) => m.predict_row(row),
        }
    }

    /// Predict every row of a matrix (in parallel for large batches; the
    /// results do not depend on the thread count).
    pub fn predict_batch(&self, rows: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        match self {
            PriceModel::Linear(m) => m.predict_batch(rows),
            PriceModel::TreeEnsemble(m) => m.predict_batch(rows),
        }
    }

    /// Number of input columns a row must have.
    pub fn num_features(&self) -> usize {
        match self {
            PriceModel::Linear(m) => m.num_features(),
            PriceModel::TreeEnsemble(m) => m.num_features(),
        }
    }

    /// Feature names in column order, as the model file gave them (may be empty).
    pub fn feature_names(&self) -> &[String] {
        match self {
            PriceModel::Linear(m) => m.feature_names(),
            PriceModel::TreeEnsemble(m) => m.feature_names(),
        }
    }
}

impl From<TreeEnsemble> for PriceModel {
    fn from(m: TreeEnsemble) -> Self {
        PriceModel::TreeEnsemble(m)
    }
}

impl From<LinearModel> for PriceModel {
    fn from(m: LinearModel) -> Self {
        PriceModel::Linear(m)
    }
}
