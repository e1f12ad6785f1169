//! `agent_mira.PriceModel`: imported (LightGBM, XGBoost, scikit-learn) and
//! linear price models, predicting from numpy / pandas / lists.
//!
//! scikit-learn estimators are read by the pure-Python adapter
//! `agent_mira._sklearn`, which hands the fitted arrays to the private
//! constructors below; nothing is ever unpickled.

use std::sync::Arc;

use mira::catalog::loaders::parse_records;
use mira::model::{
    train_matrix, train_price_model, Holdout, TrainConfig, TrainSpec, ValuationModel,
    DEFAULT_MODEL_NAME,
};
use mira::model::{SklearnAggregation, SklearnHistTree, SklearnTree};
use mira::{
    Catalog, EngineBuilder, LinearModel, MiraError, OutputTransform, PriceModel, Property,
    RecordRef, TreeEnsemble,
};
use ndarray::Array2;
use numpy::{IntoPyArray, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::exceptions::PyImportError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};

use crate::convert::{self, Mode};
use crate::guard::Place;
use crate::{errors, guard};

/// A price model: a predictor (tree ensemble or linear), its model card
/// and, for models trained on listings, its feature encoder (then an
/// `Engine` can use it to price listings).
///
/// There is no constructor: import a model (`PriceModel.from_lightgbm`,
/// `from_xgboost`, `from_sklearn`, `linear`), load one (`PriceModel.load`)
/// or train one (`PriceModel.train`, `PriceModel.train_on_catalog`).
///
/// Example:
///     >>> import agent_mira as mira
///     >>> model = mira.PriceModel.linear([100.0, 5_000.0], 50_000.0, ["size_sqft", "bedrooms"])
///     >>> model.predict([[1_000.0, 2.0]]).tolist()
///     [160000.0]
///
/// The examples of the methods use this `model`, and `tmp`, a directory.
#[pyclass(name = "PriceModel", module = "agent_mira", frozen)]
pub struct PyPriceModel {
    pub inner: Arc<ValuationModel>,
}

fn kind_of(m: &PriceModel) -> &'static str {
    match m {
        PriceModel::Linear(_) => "linear",
        PriceModel::TreeEnsemble(_) => "tree_ensemble",
    }
}

fn item<'py>(d: &Bound<'py, PyDict>, key: &str) -> PyResult<Bound<'py, PyAny>> {
    d.get_item(key)?.ok_or_else(|| {
        errors::internal(format!(
            "scikit-learn adapter: tree field `{key}` is missing"
        ))
    })
}

fn vec_of<T>(d: &Bound<'_, PyDict>, key: &str) -> PyResult<Vec<T>>
where
    T: numpy::Element + Copy + for<'a, 'py> FromPyObject<'a, 'py>,
{
    let obj = item(d, key)?;
    if let Ok(a) = obj.extract::<PyReadonlyArray1<'_, T>>() {
        return Ok(a.as_array().to_vec());
    }
    obj.extract::<Vec<T>>()
        .map_err(|e| errors::internal(format!("scikit-learn adapter: tree field `{key}`: {e}")))
}

fn sklearn_tree(d: &Bound<'_, PyDict>) -> PyResult<SklearnTree> {
    let missing = item(d, "missing_go_to_left")?;
    Ok(SklearnTree {
        children_left: vec_of(d, "children_left")?,
        children_right: vec_of(d, "children_right")?,
        feature: vec_of(d, "feature")?,
        threshold: vec_of(d, "threshold")?,
        value: vec_of(d, "value")?,
        missing_go_to_left: if missing.is_none() {
            None
        } else {
            Some(vec_of(d, "missing_go_to_left")?)
        },
    })
}

fn hist_tree(d: &Bound<'_, PyDict>) -> PyResult<SklearnHistTree> {
    let bitsets = item(d, "raw_left_cat_bitsets")?;
    let bitsets: PyReadonlyArray2<'_, u32> = bitsets.extract().map_err(|e| {
        errors::internal(format!("scikit-learn adapter: raw_left_cat_bitsets: {e}"))
    })?;
    let raw_left_cat_bitsets = bitsets
        .as_array()
        .rows()
        .into_iter()
        .map(|r| {
            let mut w = [0u32; 8];
            for (dst, src) in w.iter_mut().zip(r.iter()) {
                *dst = *src;
            }
            w
        })
        .collect();
    Ok(SklearnHistTree {
        value: vec_of(d, "value")?,
        feature_idx: vec_of(d, "feature_idx")?,
        num_threshold: vec_of(d, "num_threshold")?,
        missing_go_to_left: vec_of(d, "missing_go_to_left")?,
        left: vec_of(d, "left")?,
        right: vec_of(d, "right")?,
        is_leaf: vec_of(d, "is_leaf")?,
        is_categorical: vec_of(d, "is_categorical")?,
        bitset_idx: vec_of(d, "bitset_idx")?,
        raw_left_cat_bitsets,
    })
}

fn dicts<'py>(list: &Bound<'py, PyList>) -> PyResult<Vec<Bound<'py, PyDict>>> {
    list.iter()
        .map(|t| {
            t.cast_into::<PyDict>()
                .map_err(|_| errors::internal("scikit-learn adapter: a tree is not a dict"))
        })
        .collect()
}

fn path_arg(obj: &Bound<'_, PyAny>) -> PyResult<std::path::PathBuf> {
    obj.extract().map_err(|_| {
        errors::type_error(format!(
            "path: expected str or os.PathLike, got {}",
            obj.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })
}

fn bad_input(value: String, expected: String) -> PyErr {
    errors::to_py(MiraError::invalid(
        RecordRef::Other("predict input".into()),
        "X",
        value,
        expected,
    ))
}

/// A non-empty list whose first item is a dict (listings or feature rows).
fn is_list_of_dicts(x: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(match x.cast::<PyList>() {
        Ok(list) if !list.is_empty() => list.get_item(0)?.cast::<PyDict>().is_ok(),
        _ => false,
    })
}

/// The numpy module, or a clean `ImportError` naming what needs it.
///
/// rust-numpy's array types panic when numpy cannot be imported (a wheel
/// installed with `--no-deps`), which Python would see as a
/// `pyo3_runtime.PanicException`. Every entry point that touches numpy
/// arrays calls this first.
pub(crate) fn require_numpy<'py>(py: Python<'py>, what: &str) -> PyResult<Bound<'py, PyModule>> {
    py.import("numpy").map_err(|cause| {
        let err = PyImportError::new_err(format!(
            "agent_mira: {what} requires numpy, which cannot be imported ({cause}); \
             install it with `pip install numpy`"
        ));
        err.set_cause(py, Some(cause));
        err
    })
}

/// numpy / pandas / lists → a float64 numpy array (NaN for missing).
fn to_f64<'py>(np: &Bound<'py, PyModule>, obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = np.py();
    if obj.hasattr("to_numpy")? {
        let kwargs = PyDict::new(py);
        kwargs.set_item("dtype", np.getattr("float64")?)?;
        kwargs.set_item("na_value", f64::NAN)?;
        obj.call_method("to_numpy", (), Some(&kwargs))
    } else {
        np.call_method1("ascontiguousarray", (obj, np.getattr("float64")?))
    }
}

fn stem(path: &std::path::Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "model".into())
}

/// The core's [`TrainSpec`] for `kind` with `**params` (the core parses,
/// resolves aliases and checks; errors name the parameter).
fn spec(kind: &str, params: Option<&Bound<'_, PyDict>>) -> PyResult<TrainSpec> {
    let record = RecordRef::Other("training parameters".into());
    let mode = Mode {
        record: &record,
        nan_is_missing: false,
    };
    let params = match params {
        Some(d) => convert::object(d.as_any(), mode, "training parameters")?,
        None => serde_json::Value::Null,
    };
    TrainSpec::from_json(serde_json::json!({"kind": kind, "params": params})).map_err(errors::to_py)
}

/// Reports training progress to a Python callback: a callable gets a dict
/// per round; an object with `update` (a tqdm bar) gets `update(1)`.
/// The first exception the callback raises is re-raised after training.
struct Progress {
    callback: Py<PyAny>,
    tqdm: bool,
    error: std::sync::Mutex<Option<PyErr>>,
}

impl Progress {
    fn new(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Progress>> {
        let Some(obj) = obj.filter(|o| !o.is_none()) else {
            return Ok(None);
        };
        let tqdm = obj.hasattr("update")?;
        if !tqdm && !obj.is_callable() {
            return Err(errors::type_error(
                "progress: expected a callable or a tqdm-like object with update()",
            ));
        }
        Ok(Some(Progress {
            callback: obj.clone().unbind(),
            tqdm,
            error: std::sync::Mutex::new(None),
        }))
    }

    fn report(&self, p: mira::model::train::TrainProgress) {
        Python::attach(|py| {
            let cb = self.callback.bind(py);
            let result = if self.tqdm {
                if p.round == 1 && cb.getattr("total").is_ok_and(|t| t.is_none()) {
                    let _ = cb.setattr("total", p.total_rounds);
                }
                cb.call_method1("update", (1,)).map(|_| ())
            } else {
                let d = PyDict::new(py);
                let _ = d.set_item("round", p.round);
                let _ = d.set_item("total_rounds", p.total_rounds);
                let _ = d.set_item("train_loss", p.train_loss);
                let _ = d.set_item("valid_loss", p.valid_loss);
                cb.call1((d,)).map(|_| ())
            };
            if let Err(e) = result {
                let mut slot = self.error.lock().unwrap_or_else(|p| p.into_inner());
                slot.get_or_insert(e);
            }
        });
    }

    fn finish(self) -> PyResult<()> {
        match self.error.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

impl PyPriceModel {
    fn wrap(inner: ValuationModel) -> Self {
        PyPriceModel {
            inner: Arc::new(inner),
        }
    }

    fn bare(predictor: PriceModel, name: &str, origin: &str) -> Self {
        Self::wrap(ValuationModel::from_predictor(predictor, name, origin))
    }

    /// Rows given as dicts keyed by feature name (missing key or None: NaN).
    fn matrix_from_dicts(&self, rows: &Bound<'_, PyList>) -> PyResult<Array2<f64>> {
        let names = self.inner.feature_names();
        let width = names.len();
        let mut data = vec![f64::NAN; rows.len() * width];
        for (i, row) in rows.iter().enumerate() {
            let record = RecordRef::Index(i);
            let mode = Mode {
                record: &record,
                nan_is_missing: true,
            };
            let value = convert::object(&row, mode, "a feature row")?;
            let serde_json::Value::Object(map) = value else {
                continue;
            };
            for (k, v) in map {
                let Some(col) = names.iter().position(|n| *n == k) else {
                    return Err(errors::to_py(MiraError::unknown_field(record, &k, &names)));
                };
                data[i * width + col] = match v {
                    serde_json::Value::Null => f64::NAN,
                    serde_json::Value::Bool(b) => f64::from(u8::from(b)),
                    serde_json::Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
                    other => {
                        return Err(errors::to_py(MiraError::invalid(
                            record, k, other, "a number",
                        )));
                    }
                };
            }
        }
        Array2::from_shape_vec((rows.len(), width), data)
            .map_err(|e| errors::internal(e.to_string()))
    }

    /// `X` as a float64 2-D numpy array: the caller's own buffer when it
    /// already is one (any strides), else one conversion.
    fn as_matrix<'py>(
        &self,
        py: Python<'py>,
        x: &Bound<'py, PyAny>,
    ) -> PyResult<PyReadonlyArray2<'py, f64>> {
        let np = require_numpy(py, "PriceModel.predict")?;
        if let Ok(a) = x.extract::<PyReadonlyArray2<'py, f64>>() {
            return Ok(a);
        }
        let type_name = x
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_default();
        let converted: Bound<'py, PyAny> = if x.hasattr("columns")? && x.hasattr("to_numpy")? {
            // A DataFrame: pick the model's feature columns by name.
            let names = self.inner.feature_names();
            let columns: Vec<String> = x
                .getattr("columns")?
                .try_iter()?
                .map(|c| c.and_then(|c| c.str().map(|s| s.to_string())))
                .collect::<PyResult<_>>()?;
            let frame = if columns.iter().map(String::as_str).eq(names.iter().copied()) {
                x.clone()
            } else {
                let missing: Vec<&str> = names
                    .iter()
                    .copied()
                    .filter(|n| !columns.iter().any(|c| c == n))
                    .collect();
                if !missing.is_empty() {
                    return Err(errors::to_py(MiraError::ModelMismatch {
                        path: None,
                        reason: format!(
                            "the DataFrame lacks the model's feature column(s) {}",
                            missing.join(", ")
                        ),
                    }));
                }
                x.get_item(PyList::new(py, &names)?)?
            };
            let kwargs = PyDict::new(py);
            kwargs.set_item("dtype", np.getattr("float64")?)?;
            kwargs.set_item("na_value", f64::NAN)?;
            frame.call_method("to_numpy", (), Some(&kwargs))?
        } else if let Ok(list) = x.cast::<PyList>() {
            if is_list_of_dicts(x)? {
                let m = self.matrix_from_dicts(list)?;
                return Ok(m.into_pyarray(py).readonly());
            }
            np.call_method1("asarray", (x, np.getattr("float64")?))
                .map_err(|e| {
                    bad_input(format!("a {type_name}"), format!("rows of numbers ({e})"))
                })?
        } else {
            np.call_method1("asarray", (x, np.getattr("float64")?)).map_err(|e| {
                errors::type_error(format!(
                    "predict: X must be a 2-D numpy array, a pandas DataFrame, a list of lists or a list of dicts, got {type_name} ({e})"
                ))
            })?
        };
        let ndim: usize = converted.getattr("ndim")?.extract()?;
        if ndim != 2 {
            let shape = converted.getattr("shape")?.repr()?.to_string();
            return Err(bad_input(
                format!("an array of shape {shape}"),
                format!(
                    "a 2-D array of shape (rows, {})",
                    self.inner.predictor().num_features()
                ),
            ));
        }
        converted
            .extract::<PyReadonlyArray2<'py, f64>>()
            .map_err(|e| errors::internal(format!("converted input is not float64: {e}")))
    }
}

/// Let the engine use `model` (it must carry a feature encoder).
pub fn engine_with_model(b: EngineBuilder, model: &PyPriceModel) -> PyResult<EngineBuilder> {
    Ok(b.model(model.inner.clone()))
}

/// `Engine(rent_model=...)`: the builder with the rent model.
pub fn engine_with_rent_model(b: EngineBuilder, model: &PyPriceModel) -> PyResult<EngineBuilder> {
    Ok(b.rent_model(model.inner.clone()))
}

/// `Engine.estimate_rent(record)`: the engine's rent model's estimate for
/// one listing record (`price`: the rent per month, `in_domain`,
/// `warnings`).
pub fn engine_estimate_rent(
    py: Python<'_>,
    engine: &mira::Engine,
    record: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    value_one(py, engine, record, mira::Engine::estimate_rent)
}

/// `Engine.predict_price(record)`: the engine model's valuation of one
/// listing record (`price`, `in_domain`, `warnings`).
pub fn engine_predict_price(
    py: Python<'_>,
    engine: &mira::Engine,
    record: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    value_one(py, engine, record, mira::Engine::predict_price)
}

/// One listing record read as the engine reads listings, valued by `value`
/// (the price model's or the rent model's), as a Python dict.
fn value_one(
    py: Python<'_>,
    engine: &mira::Engine,
    record: &Bound<'_, PyAny>,
    value: fn(&mira::Engine, &Property) -> mira::Result<mira::model::Valuation>,
) -> PyResult<Py<PyAny>> {
    let at = RecordRef::Other("listing".into());
    let mode = Mode {
        record: &at,
        nan_is_missing: false,
    };
    let json = convert::object(record, mode, "a listing")?;
    let year = engine.current_year();
    let valuation = guard::run(py, Place::Caller, || {
        let p = Property::from_json(json, &at, year)?;
        value(engine, &p)
    })?;
    Ok(convert::serde_to_py(py, &valuation)?.unbind())
}

/// `Engine.model_info()`: the model card, or None without a model.
pub fn engine_model_info<'py>(
    py: Python<'py>,
    engine: &mira::Engine,
    _model: Option<&PyPriceModel>,
) -> PyResult<Bound<'py, PyAny>> {
    match engine.model_info() {
        Some(card) => convert::serde_to_py(py, card),
        None => Ok(py.None().into_bound(py)),
    }
}

#[pymethods]
impl PyPriceModel {
    /// Import a LightGBM model saved with `booster.save_model(path)` (text
    /// format); predictions equal LightGBM's own.
    ///
    /// Args:
    ///     path: the model file (`str` or `os.PathLike`).
    ///
    /// Returns:
    ///     PriceModel: without a feature encoder (it predicts from feature
    ///     rows in `feature_names` order).
    ///
    /// Raises:
    ///     MiraFileNotFoundError, MiraIOError: the file cannot be read.
    ///     ParseError: not a LightGBM text model.
    ///     UnsupportedError: an objective or feature agent-mira refuses (the
    ///         message names it).
    ///
    /// Example:
    ///     >>> model = mira.PriceModel.from_lightgbm("model.txt")  # doctest: +SKIP
    #[staticmethod]
    fn from_lightgbm(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let path = path_arg(path)?;
        let m = guard::run(py, Place::Caller, || {
            TreeEnsemble::from_lightgbm_file(&path)
        })?;
        Ok(Self::bare(m.into(), &stem(&path), "lightgbm"))
    }

    /// Import an XGBoost model saved with `save_model("model.json")` (JSON
    /// format); predictions equal XGBoost's own.
    ///
    /// Args:
    ///     path: the model file (`str` or `os.PathLike`).
    ///
    /// Returns:
    ///     PriceModel: without a feature encoder.
    ///
    /// Raises:
    ///     MiraFileNotFoundError, MiraIOError: the file cannot be read.
    ///     ParseError: not an XGBoost JSON model.
    ///     UnsupportedError: an objective or booster agent-mira refuses.
    ///
    /// Example:
    ///     >>> model = mira.PriceModel.from_xgboost("model.json")  # doctest: +SKIP
    #[staticmethod]
    fn from_xgboost(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let path = path_arg(path)?;
        let m = guard::run(py, Place::Caller, || TreeEnsemble::from_xgboost_file(&path))?;
        Ok(Self::bare(m.into(), &stem(&path), "xgboost"))
    }

    /// Import a fitted scikit-learn regressor: DecisionTree, RandomForest,
    /// ExtraTrees, GradientBoosting and HistGradientBoosting regressors,
    /// LinearRegression, Ridge, Lasso, ElasticNet. The fitted arrays are read;
    /// nothing is unpickled.
    ///
    /// Args:
    ///     estimator: the fitted estimator.
    ///
    /// Returns:
    ///     PriceModel: without a feature encoder; predictions equal the
    ///     estimator's `predict`.
    ///
    /// Raises:
    ///     UnsupportedError: any other estimator or option, refused by name.
    ///     ImportError: scikit-learn is not installed.
    ///
    /// Example:
    ///     >>> from sklearn.linear_model import LinearRegression
    ///     >>> mira.PriceModel.from_sklearn(LinearRegression().fit([[1.0], [2.0]], [3.0, 5.0])).kind
    ///     'linear'
    #[staticmethod]
    fn from_sklearn(py: Python<'_>, estimator: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let adapter = py.import("agent_mira._sklearn")?;
        Ok(adapter
            .call_method1("to_price_model", (estimator,))?
            .unbind())
    }

    /// A linear model: `X @ coefficients + intercept`.
    ///
    /// Args:
    ///     coefficients: one coefficient per feature.
    ///     intercept: the constant term.
    ///     feature_names: the features' names, in column order; None (the
    ///         default) names none.
    ///     name: the model's name in its card, `"linear"` by default.
    ///
    /// Returns:
    ///     PriceModel: without a feature encoder.
    ///
    /// Raises:
    ///     InvalidFieldError: a non-finite number, or as many names as
    ///         coefficients missing.
    ///
    /// Example:
    ///     >>> mira.PriceModel.linear([2.0], 1.0).predict([[3.0]]).tolist()
    ///     [7.0]
    #[staticmethod]
    #[pyo3(signature = (coefficients, intercept, feature_names=None, name="linear"))]
    fn linear(
        coefficients: Vec<f64>,
        intercept: f64,
        feature_names: Option<Vec<String>>,
        name: &str,
    ) -> PyResult<Self> {
        let m = guard::quick(|| {
            LinearModel::new(coefficients, intercept, feature_names.unwrap_or_default())
        })?;
        Ok(Self::bare(m.into(), name, "linear"))
    }

    /// Load a model file written by `PriceModel.save` (checks its format,
    /// version, checksum and that card, encoder and predictor agree).
    ///
    /// Args:
    ///     path: the model file (`str` or `os.PathLike`).
    ///
    /// Returns:
    ///     PriceModel: as saved, with its card and encoder.
    ///
    /// Raises:
    ///     MiraFileNotFoundError, MiraIOError: the file cannot be read.
    ///     CorruptFileError: a damaged file (checksum, truncation).
    ///     UnsupportedVersionError: a file from a newer agent-mira.
    ///     ParseError: not an agent-mira model file.
    ///
    /// Example:
    ///     >>> model.save(tmp / "model.json")
    ///     >>> mira.PriceModel.load(tmp / "model.json") == model
    ///     True
    #[staticmethod]
    fn load(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let path = path_arg(path)?;
        let m = guard::run(py, Place::Caller, || ValuationModel::load(&path))?;
        Ok(Self::wrap(m))
    }

    /// Save as one documented, checksummed JSON model file, atomically.
    ///
    /// Args:
    ///     path: the file to write (`str` or `os.PathLike`).
    ///
    /// Returns:
    ///     None.
    ///
    /// Raises:
    ///     MiraIOError (MiraPermissionError, MiraFileNotFoundError): the file
    ///         cannot be written.
    ///
    /// Example:
    ///     >>> model.save(tmp / "model.json")
    fn save(&self, py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<()> {
        let path = path_arg(path)?;
        guard::run(py, Place::Caller, || self.inner.save(&path))
    }

    /// Train on a feature matrix and prices.
    ///
    /// Args:
    ///     x: the features, one row per example: a 2-D numpy array, a pandas
    ///         DataFrame (its columns name the features) or a list of lists;
    ///         NaN or None is a missing value.
    ///     y: the prices, one per row.
    ///     kind: `"gbdt"` (the default), `"ols"`, `"ridge"` or `"elastic_net"`
    ///         (aliases `"linear"`, `"elastic-net"`).
    ///     feature_names: the features' names; None (the default) takes a
    ///         DataFrame's columns, or names none.
    ///     name: the model's name in its card; None (the default) is the
    ///         library's default name.
    ///     progress: None (the default), a callable given a dict after each
    ///         boosting round, or a tqdm bar (`update(1)` per round). An
    ///         exception it raises is raised again after training.
    ///     **params: the parameters of `kind` (`agent_mira.GbdtParams`,
    ///         `OlsParams`, `RidgeParams`, `ElasticNetParams`: e.g.
    ///         `num_rounds=200, learning_rate=0.05`).
    ///
    /// Returns:
    ///     PriceModel: without a feature encoder; predictions in price units.
    ///
    /// Raises:
    ///     UnsupportedError: an unknown `kind`.
    ///     UnknownFieldError: a parameter `kind` does not have ("did you mean").
    ///     InvalidFieldError: a bad parameter value, rows and prices of
    ///         different lengths, a non-finite price.
    ///     ImportError: numpy is not installed.
    ///
    /// Example:
    ///     >>> ols = mira.PriceModel.train([[1.0], [2.0], [3.0]], [3.0, 5.0, 7.0], "ols")
    ///     >>> ols.kind, ols.num_features, ols.predict([[4.0]]).shape
    ///     ('linear', 1, (1,))
    #[staticmethod]
    #[pyo3(signature = (x, y, kind="gbdt", *, feature_names=None, name=None, progress=None, **params))]
    #[allow(clippy::too_many_arguments)]
    fn train(
        py: Python<'_>,
        x: &Bound<'_, PyAny>,
        y: &Bound<'_, PyAny>,
        kind: &str,
        feature_names: Option<Vec<String>>,
        name: Option<String>,
        progress: Option<&Bound<'_, PyAny>>,
        params: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let spec = spec(kind, params)?;
        let names: Vec<String> = match feature_names {
            Some(n) => n,
            None if x.hasattr("columns")? => x
                .getattr("columns")?
                .try_iter()?
                .map(|c| c.and_then(|c| c.str().map(|s| s.to_string())))
                .collect::<PyResult<_>>()?,
            None => Vec::new(),
        };
        let np = require_numpy(py, "PriceModel.train")?;
        let xa = to_f64(&np, x)?;
        let ya = to_f64(&np, y)?;
        let xa: PyReadonlyArray2<'_, f64> = xa.extract().map_err(|_| {
            bad_input(
                "an array that is not 2-D".into(),
                "a 2-D array (rows, features)".into(),
            )
        })?;
        let ya: PyReadonlyArray1<'_, f64> = ya.extract().map_err(|_| {
            errors::to_py(MiraError::invalid(
                RecordRef::Other("training".into()),
                "y",
                "an array that is not 1-D",
                "one price per row",
            ))
        })?;
        let (xv, yv) = (xa.as_array(), ya.as_array());
        let progress = Progress::new(progress)?;
        let report = |p| {
            if let Some(pr) = &progress {
                pr.report(p)
            }
        };
        let name = name.unwrap_or_else(|| DEFAULT_MODEL_NAME.into());
        let result = guard::run(py, Place::Pool, || {
            train_matrix(xv, yv, names, &spec, &name, Some(&report))
        });
        if let Some(p) = progress {
            p.finish()?;
        }
        Ok(Self::wrap(result?.model))
    }

    /// Train on a catalog's listings (listed price = target) with the core's
    /// pipeline: feature encoder, held-out metrics and model card. The result
    /// prices listings, so an `Engine` can use it.
    ///
    /// Args:
    ///     catalog: the `Catalog` to learn from.
    ///     kind: `"gbdt"` (the default), `"ols"`, `"ridge"` or `"elastic_net"`.
    ///     name: the model's name in its card; None (the default) is the
    ///         library's default name.
    ///     holdout: which listings to hold out for the metrics
    ///         (`agent_mira.Holdout`): None (the default) is a random 20% with
    ///         seed 42 (a random holdout that names no `seed` uses 42 too);
    ///         `{"kind": "temporal", "attribute": ..., "cutoff": ...}`;
    ///         `{"kind": "none"}`.
    ///     current_year: the year listing ages are computed from; None (the
    ///         default) is the catalog's.
    ///     progress: None (the default), a callable given a dict per boosting
    ///         round, or a tqdm bar.
    ///     **params: the parameters of `kind`, as for `train`.
    ///
    /// Returns:
    ///     PriceModel: with a feature encoder and a model card.
    ///
    /// Raises:
    ///     UnsupportedError: an unknown `kind`.
    ///     UnknownFieldError, InvalidFieldError: a bad parameter or holdout.
    ///     MiraTypeError: `catalog` is not a `Catalog`.
    ///
    /// Example:
    ///     >>> catalog = mira.Catalog.from_records([
    ///     ...     {"id": 1, "price": 450_000, "bedrooms": 3, "size_sqft": 1_800},
    ///     ...     {"id": 2, "price": 380_000, "bedrooms": 2, "size_sqft": 1_200},
    ///     ... ])
    ///     >>> priced = mira.PriceModel.train_on_catalog(catalog, "ols", holdout={"kind": "none"})
    ///     >>> priced.has_encoder, priced.kind
    ///     (True, 'linear')
    ///     >>> mira.Engine(catalog, model=priced).stats()["price_source"]
    ///     'model'
    #[staticmethod]
    #[pyo3(signature = (catalog, kind="gbdt", *, name=None, holdout=None, current_year=None, progress=None, **params))]
    #[allow(clippy::too_many_arguments)]
    fn train_on_catalog(
        py: Python<'_>,
        catalog: &Bound<'_, crate::catalog::PyCatalog>,
        kind: &str,
        name: Option<String>,
        holdout: Option<&Bound<'_, PyAny>>,
        current_year: Option<i32>,
        progress: Option<&Bound<'_, PyAny>>,
        params: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let mut config = TrainConfig {
            spec: spec(kind, params)?,
            ..Default::default()
        };
        if let Some(n) = name {
            config.name = n;
        }
        if let Some(y) = current_year {
            config.current_year = y;
        }
        if let Some(h) = holdout.filter(|h| !h.is_none()) {
            let record = RecordRef::Other("holdout".into());
            let mode = Mode {
                record: &record,
                nan_is_missing: false,
            };
            let value = convert::object(
                h,
                mode,
                "a holdout ({\"kind\": \"random\", \"fraction\": 0.2, \"seed\": 42})",
            )?;
            config.holdout = Holdout::from_json(value).map_err(errors::to_py)?;
        }
        let progress = Progress::new(progress)?;
        let report = |p| {
            if let Some(pr) = &progress {
                pr.report(p)
            }
        };
        let cat: &Catalog = &catalog.get().inner;
        let result = guard::run(py, Place::Pool, || {
            train_price_model(cat, &config, Some(&report))
        });
        if let Some(p) = progress {
            p.finish()?;
        }
        Ok(Self::wrap(result?.model))
    }

    #[staticmethod]
    #[pyo3(signature = (trees, aggregation, num_features, feature_names, init=0.0, learning_rate=1.0, name="scikit-learn"))]
    #[allow(clippy::too_many_arguments)]
    fn _from_sklearn_trees(
        py: Python<'_>,
        trees: &Bound<'_, PyList>,
        aggregation: &str,
        num_features: usize,
        feature_names: Vec<String>,
        init: f64,
        learning_rate: f64,
        name: &str,
    ) -> PyResult<Self> {
        require_numpy(py, "PriceModel.from_sklearn")?;
        let trees = dicts(trees)?
            .iter()
            .map(sklearn_tree)
            .collect::<PyResult<Vec<_>>>()?;
        let agg = match aggregation {
            "single" => SklearnAggregation::Single,
            "average" => SklearnAggregation::Average,
            "gradient_boosting" => SklearnAggregation::GradientBoosting {
                init,
                learning_rate,
            },
            other => return Err(errors::internal(format!("unknown aggregation {other}"))),
        };
        let m = guard::run(py, Place::Caller, move || {
            TreeEnsemble::from_sklearn_trees(&trees, agg, num_features, feature_names)
        })?;
        Ok(Self::bare(m.into(), name, "scikit-learn"))
    }

    #[staticmethod]
    #[pyo3(signature = (trees, baseline, link, categories, num_features, feature_names, name="scikit-learn"))]
    #[allow(clippy::too_many_arguments)]
    fn _from_sklearn_hist(
        py: Python<'_>,
        trees: &Bound<'_, PyList>,
        baseline: f64,
        link: &str,
        categories: Vec<Option<Vec<f64>>>,
        num_features: usize,
        feature_names: Vec<String>,
        name: &str,
    ) -> PyResult<Self> {
        require_numpy(py, "PriceModel.from_sklearn")?;
        let trees = dicts(trees)?
            .iter()
            .map(hist_tree)
            .collect::<PyResult<Vec<_>>>()?;
        let link = match link {
            "identity" => OutputTransform::Identity,
            "exp" => OutputTransform::Exp,
            other => return Err(errors::internal(format!("unknown link {other}"))),
        };
        let m = guard::run(py, Place::Caller, move || {
            TreeEnsemble::from_sklearn_hist_gradient_boosting(
                &trees,
                baseline,
                link,
                &categories,
                num_features,
                feature_names,
            )
        })?;
        Ok(Self::bare(m.into(), name, "scikit-learn"))
    }

    /// The core's `UnsupportedError`, for the Python adapter's refusals.
    #[staticmethod]
    #[pyo3(signature = (what, name, hint=None))]
    fn _unsupported(what: String, name: String, hint: Option<String>) -> PyErr {
        errors::to_py(MiraError::Unsupported { what, name, hint })
    }

    /// Predict a price for each row of `x`.
    ///
    /// Args:
    ///     x: a 2-D numpy array (read without copying when it is float64), a
    ///         pandas DataFrame (columns picked by feature name), a list of
    ///         lists, or a list of dicts. NaN / None is a missing value. A list
    ///         of dicts means listings when the model has a feature encoder
    ///         (`has_encoder`: dicts as for `Catalog.from_records`) and feature
    ///         rows keyed by feature name when it has none. A `Catalog` is
    ///         priced listing by listing (encoder needed).
    ///
    /// Returns:
    ///     numpy.ndarray: float64 prices, one per row.
    ///
    /// Raises:
    ///     ModelMismatchError: rows with the wrong number of columns, or
    ///         listings given to a model without an encoder.
    ///     InvalidFieldError, MissingFieldError: a bad listing dict.
    ///     MiraTypeError: `x` of a type that is none of the above.
    ///     ImportError: numpy is not installed.
    ///
    /// Example:
    ///     >>> model.predict([[1_000.0, 2.0], [2_000.0, 3.0]]).tolist()
    ///     [160000.0, 265000.0]
    fn predict<'py>(&self, py: Python<'py>, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        require_numpy(py, "PriceModel.predict")?;
        let model = &*self.inner;
        if let Ok(c) = x.cast::<crate::catalog::PyCatalog>() {
            let cat = &c.get().inner;
            let out = guard::run(py, Place::Pool, || model.predict_catalog(cat))?;
            return Ok(ndarray::Array1::from(out).into_pyarray(py).into_any());
        }
        if model.encoder().is_some() && is_list_of_dicts(x)? {
            let values = convert::records(x, false, "listing")?;
            let out = guard::run(py, Place::Pool, || {
                let listings = parse_records(values, mira::this_year())?;
                model.predict_listings(&listings.iter().collect::<Vec<_>>())
            })?;
            return Ok(ndarray::Array1::from(out).into_pyarray(py).into_any());
        }
        let arr = self.as_matrix(py, x)?;
        let view = arr.as_array();
        let out = guard::run(py, Place::predict(view.nrows()), || {
            model.predict_matrix(view)
        })?;
        Ok(out.into_pyarray(py).into_any())
    }

    /// Feature names in column order (empty when the model names none).
    #[getter]
    fn feature_names(&self) -> Vec<String> {
        self.inner
            .feature_names()
            .into_iter()
            .map(String::from)
            .collect()
    }

    /// Number of columns a row must have.
    #[getter]
    fn num_features(&self) -> usize {
        self.inner.predictor().num_features()
    }

    /// `"linear"` or `"tree_ensemble"`.
    #[getter]
    fn kind(&self) -> &'static str {
        kind_of(self.inner.predictor())
    }

    /// Whether the model has a feature encoder (can price listings itself, in an `Engine`).
    #[getter]
    fn has_encoder(&self) -> bool {
        self.inner.encoder().is_some()
    }

    /// The model card as a dict: name, origin, features, target, training domain, metrics, params, ...
    #[getter]
    fn card<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serde_to_py(py, self.inner.card())
    }

    fn __repr__(&self) -> String {
        let extra = match self.inner.predictor() {
            PriceModel::TreeEnsemble(t) => {
                format!(
                    ", objective='{}', num_trees={}",
                    t.objective(),
                    t.num_trees()
                )
            }
            PriceModel::Linear(_) => String::new(),
        };
        format!(
            "PriceModel(name='{}', origin='{}', kind='{}', num_features={}{extra})",
            self.inner.card().name,
            self.inner.card().origin,
            kind_of(self.inner.predictor()),
            self.inner.predictor().num_features()
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyPriceModel>()
            .is_ok_and(|o| *o.get().inner == *self.inner)
    }

    /// Pickling: the core's model file format (JSON text, checksummed).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let text = slf.get().inner.to_json_string();
        let ctor = slf.get_type().getattr("_from_json")?;
        PyTuple::new(py, [ctor, PyTuple::new(py, [text])?.into_any()])
    }

    /// Rebuild from model file text (used by pickle).
    #[staticmethod]
    fn _from_json(py: Python<'_>, text: String) -> PyResult<Self> {
        let m = guard::run(py, Place::Caller, move || {
            ValuationModel::from_json_str(&text, std::path::Path::new("<pickled PriceModel>"))
        })?;
        Ok(Self::wrap(m))
    }
}
