//! `PriceModel`: a price predictor with its model card (and, for models
//! trained by agent-mira, its feature encoder).

use std::path::Path;
use std::sync::Arc;

use agent_mira::model::ValuationModel;
use agent_mira::TreeEnsemble;
use napi::bindgen_prelude::{Env, Float64Array, This, Unknown};
use napi_derive::napi;

use crate::convert::value::{self, Kind};
use crate::convert::{args, matrix};
use crate::error::{factories_only, guard, Code};

/// A price model. Imported LightGBM / XGBoost models predict from feature
/// rows in the model's column order (`featureNames`); models that carry a
/// feature encoder also price listings inside an `Engine`.
#[napi]
pub struct PriceModel {
    pub(crate) inner: Arc<ValuationModel>,
}

impl PriceModel {
    pub(crate) fn wrap(inner: ValuationModel) -> PriceModel {
        PriceModel {
            inner: Arc::new(inner),
        }
    }
}

fn stem(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

#[napi]
impl PriceModel {
    /// Not a way to build a model: throws a `TypeError` (without `new`,
    /// the one every JavaScript class throws). Use `PriceModel.load`,
    /// `PriceModel.fromLightgbm`, `PriceModel.fromXgboost`, `PriceModel.train`
    /// or `PriceModel.trainOnCatalog`.
    #[napi(constructor, catch_unwind, ts_args_type = "")]
    pub fn new(env: Env, this: This<Unknown<'_>>) -> napi::Result<Self> {
        factories_only::<PriceModel>(
            &env,
            &this,
            "PriceModel",
            "PriceModel.load(path), PriceModel.fromLightgbm(path), PriceModel.fromXgboost(path), PriceModel.train(x, y) or PriceModel.trainOnCatalog(catalog)",
        )
    }

    /// Import a LightGBM text model (`booster.save_model`); predictions
    /// equal LightGBM's own.
    #[napi(factory, catch_unwind, ts_args_type = "path: string")]
    pub fn from_lightgbm(path: Unknown<'_>) -> napi::Result<PriceModel, Code> {
        guard(|| {
            let path = args::string(&path, "PriceModel.fromLightgbm()", "path")?;
            let predictor = TreeEnsemble::from_lightgbm_file(&path)?;
            Ok(PriceModel {
                inner: Arc::new(ValuationModel::from_predictor(
                    predictor.into(),
                    &stem(&path),
                    "lightgbm",
                )),
            })
        })
    }

    /// Import an XGBoost JSON model (`save_model("….json")`); predictions
    /// equal XGBoost's own.
    #[napi(factory, catch_unwind, ts_args_type = "path: string")]
    pub fn from_xgboost(path: Unknown<'_>) -> napi::Result<PriceModel, Code> {
        guard(|| {
            let path = args::string(&path, "PriceModel.fromXgboost()", "path")?;
            let predictor = TreeEnsemble::from_xgboost_file(&path)?;
            Ok(PriceModel {
                inner: Arc::new(ValuationModel::from_predictor(
                    predictor.into(),
                    &stem(&path),
                    "xgboost",
                )),
            })
        })
    }

    /// Load an agent-mira model file (checksum, version and features are
    /// checked: `MIRA_CORRUPT`, `MIRA_UNSUPPORTED_VERSION`, `MIRA_MODEL_MISMATCH`).
    #[napi(factory, catch_unwind, ts_args_type = "path: string")]
    pub fn load(path: Unknown<'_>) -> napi::Result<PriceModel, Code> {
        guard(|| {
            let path = args::string(&path, "PriceModel.load()", "path")?;
            Ok(PriceModel {
                inner: Arc::new(ValuationModel::load(&path)?),
            })
        })
    }

    /// Save as an agent-mira model file (JSON with a model card and a
    /// checksum), atomically.
    #[napi(catch_unwind, ts_args_type = "path: string")]
    pub fn save(&self, path: Unknown<'_>) -> napi::Result<(), Code> {
        guard(|| {
            let path = args::string(&path, "model.save()", "path")?;
            Ok(self.inner.save(&path)?)
        })
    }

    /// Predicted prices for feature rows in the model's column order
    /// (`featureNames`): an array of arrays of numbers (`null` or `NaN` for
    /// missing), or a `Float64Array` with `columns` values per row.
    #[napi(
        catch_unwind,
        ts_args_type = "rows: Array<Array<number | null>> | Float64Array, columns?: number"
    )]
    pub fn predict(
        &self,
        rows: Unknown<'_>,
        columns: Option<Unknown<'_>>,
    ) -> napi::Result<Float64Array, Code> {
        guard(|| {
            let call = "model.predict()";
            let cols = match value::kind(&rows)? {
                Kind::Array => self.inner.feature_names().len(),
                _ => args::count(columns.as_ref(), call, "columns", 0)?,
            };
            let x = matrix::rows(&rows, cols, call, "rows")?;
            let y = self.inner.predict_matrix(x.view())?;
            Ok(Float64Array::new(y.to_vec()))
        })
    }

    /// Input feature names, in column order.
    #[napi(getter)]
    pub fn feature_names(&self) -> Vec<String> {
        self.inner
            .feature_names()
            .into_iter()
            .map(String::from)
            .collect()
    }

    /// The model card (name, origin, features, training domain, metrics…),
    /// exactly as the model file stores it (snake_case keys).
    #[napi(getter, ts_return_type = "ModelCard")]
    pub fn card(&self) -> serde_json::Value {
        serde_json::to_value(self.inner.card()).unwrap_or(serde_json::Value::Null)
    }
}
