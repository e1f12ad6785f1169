//! `PriceModel.train` and `PriceModel.trainOnCatalog`: the core's trainers
//! run on a worker thread (the call returns a Promise), and each boosting
//! round's progress reaches a JavaScript callback through a thread-safe
//! function.
//!
//! Delivery order: the training thread queues each report and pings the
//! JavaScript thread with a non-blocking thread-safe call; whoever runs
//! first on the JavaScript thread (a ping, or the promise's resolution)
//! calls `onProgress` for every queued report, in order. So every report is
//! delivered exactly once, and all of them before the promise settles.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use agent_mira::model::train::TrainProgress;
use agent_mira::model::{
    train_gbdt, train_linear, train_price_model, GbdtParams, Holdout, LinearKind, LinearModel,
    LinearParams, TrainConfig, Trainer, ValuationModel,
};
use agent_mira::{MiraError, RecordRef};
use napi::bindgen_prelude::{AsyncTask, Env, Function, FunctionRef, Unknown};
use napi::threadsafe_function::{
    ThreadsafeFunction, ThreadsafeFunctionCallMode, UnknownReturnValue,
};
use napi::{Status, Task};
use napi_derive::napi;
use ndarray::{Array1, Array2};
use serde_json::{Map, Value};

use crate::catalog::Catalog;
use crate::convert::args::{self, Options};
use crate::convert::names;
use crate::convert::value::{self, Kind};
use crate::convert::{self as convert};
use crate::error::{catching, reject, BindError};
use crate::model::{self, PriceModel};

/// What `onProgress` receives after each boosting round.
#[napi(object, object_from_js = false, use_nullable = true)]
pub struct TrainProgressEvent {
    /// The round just finished, 1-based.
    pub round: u32,
    /// The most rounds training will run (`numRounds`; early stopping may end it sooner).
    pub total_rounds: u32,
    /// Root mean squared error on the training rows, on the fitted scale
    /// (`ln` of the price for the default `log` objective).
    pub train_loss: f64,
    /// The same on the validation rows; `null` without a validation set.
    pub valid_loss: Option<f64>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Reports waiting for the JavaScript thread, and the callback they go to.
struct Delivery {
    callback: FunctionRef<TrainProgressEvent, UnknownReturnValue>,
    pending: Mutex<VecDeque<TrainProgress>>,
    /// What `onProgress` threw first; it is not called again after that.
    thrown: Mutex<Option<napi::Error>>,
}

impl Delivery {
    /// On the JavaScript thread: call `onProgress` for every queued report.
    fn deliver(&self, env: &Env) {
        loop {
            let Some(p) = lock(&self.pending).pop_front() else {
                return;
            };
            if lock(&self.thrown).is_some() {
                continue;
            }
            let event = TrainProgressEvent {
                round: p.round,
                total_rounds: p.total_rounds,
                train_loss: p.train_loss,
                valid_loss: p.valid_loss,
            };
            let called = self
                .callback
                .borrow_back(env)
                .and_then(|f| f.call(event).map(|_| ()));
            if let Err(e) = called {
                *lock(&self.thrown) = Some(e);
            }
        }
    }
}

/// A ping to the JavaScript thread (its target is a no-op: the delivery
/// happens in the call's JavaScript-side callback). Weak: the pending
/// promise, not the pings, keeps the event loop alive.
type Ping = ThreadsafeFunction<(), UnknownReturnValue, (), Status, false, true>;

/// The training thread's side: queue a report, ping the JavaScript thread.
struct Reporter {
    delivery: Arc<Delivery>,
    ping: Ping,
}

impl Reporter {
    fn report(&self, p: TrainProgress) {
        lock(&self.delivery.pending).push_back(p);
        // Non-blocking on an unbounded queue: never waits. A closing
        // environment refuses the ping; nothing is left to deliver to then.
        let _ = self.ping.call((), ThreadsafeFunctionCallMode::NonBlocking);
    }
}

/// The pings' target: does nothing (returns `undefined`).
unsafe extern "C" fn noop(
    _env: napi::sys::napi_env,
    _info: napi::sys::napi_callback_info,
) -> napi::sys::napi_value {
    std::ptr::null_mut()
}

/// `onProgress`: both halves, built on the JavaScript thread.
fn progress(env: &Env, v: &Unknown<'_>) -> Result<Watch, BindError> {
    // SAFETY: `v` is a live value of the current call, checked to be a
    // function by the caller.
    let function = unsafe { v.cast::<Function<'_, TrainProgressEvent, UnknownReturnValue>>() }
        .map_err(|e| BindError::Internal(e.reason.clone()))?;
    let delivery = Arc::new(Delivery {
        callback: function
            .create_ref()
            .map_err(|e| BindError::Internal(e.reason.clone()))?,
        pending: Mutex::new(VecDeque::new()),
        thrown: Mutex::new(None),
    });
    let noop = env
        .create_function::<(), UnknownReturnValue>("miraProgress", noop)
        .map_err(|e| BindError::Internal(e.reason.clone()))?;
    let target = delivery.clone();
    let ping = noop
        .build_threadsafe_function::<()>()
        .callee_handled::<false>()
        .weak::<true>()
        .build_callback(move |ctx| {
            target.deliver(&ctx.env);
            Ok(())
        })
        .map_err(|e| BindError::Internal(e.reason.clone()))?;
    Ok((delivery.clone(), Reporter { delivery, ping }))
}

/// What to train.
enum Job {
    /// A feature matrix and prices.
    Matrix {
        x: Array2<f64>,
        y: Array1<f64>,
        trainer: Trainer,
        feature_names: Vec<String>,
        name: String,
    },
    /// A catalog's listings, through the core's pipeline.
    Catalog {
        catalog: agent_mira::Catalog,
        config: TrainConfig,
    },
}

type Progress<'a> = Option<&'a (dyn Fn(TrainProgress) + Sync)>;

impl Job {
    fn run(self, progress: Progress<'_>) -> agent_mira::Result<ValuationModel> {
        match self {
            Job::Catalog { catalog, config } => {
                Ok(train_price_model(&catalog, &config, progress)?.model)
            }
            Job::Matrix {
                x,
                y,
                trainer: Trainer::Gbdt(params),
                feature_names,
                name,
            } => {
                let mut trees = train_gbdt(x.view(), y.view(), &params, progress)?.model;
                if !feature_names.is_empty() {
                    trees = trees.with_feature_names(feature_names)?;
                }
                Ok(ValuationModel::from_predictor(
                    trees.into(),
                    &name,
                    "agent-mira gbdt",
                ))
            }
            Job::Matrix {
                x,
                y,
                trainer: Trainer::Linear(params),
                feature_names,
                name,
            } => {
                let trained = train_linear(x.view(), y.view(), &params)?;
                let mut linear = trained.model;
                if !feature_names.is_empty() {
                    linear = LinearModel::new(
                        linear.coefficients().to_vec(),
                        linear.intercept(),
                        feature_names,
                    )?
                    .with_transform(linear.transform());
                }
                let bare =
                    ValuationModel::from_predictor(linear.into(), &name, "agent-mira linear");
                ValuationModel::new(
                    bare.card().clone(),
                    None,
                    Some(trained.fill),
                    bare.predictor().clone(),
                )
            }
        }
    }
}

/// `train` / `trainOnCatalog`: the request was read on the JavaScript
/// thread, training runs on a worker thread, the model is wrapped on the
/// JavaScript thread.
pub struct Train {
    job: Option<Result<Job, BindError>>,
    reporter: Option<Reporter>,
    delivery: Option<Arc<Delivery>>,
}

impl Train {
    fn new(request: Result<Request, BindError>) -> Self {
        match request {
            Ok((job, progress)) => {
                let (delivery, reporter) = progress.unzip();
                Train {
                    job: Some(Ok(job)),
                    reporter,
                    delivery,
                }
            }
            Err(e) => Train {
                job: Some(Err(e)),
                reporter: None,
                delivery: None,
            },
        }
    }
}

impl Task for Train {
    type Output = Result<ValuationModel, BindError>;
    type JsValue = PriceModel;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let job = self.job.take();
        // Moved into the closure: dropped (the ping released) when training ends.
        let reporter = self.reporter.take();
        Ok(catching(move || {
            let job = job.ok_or_else(|| BindError::Internal("task ran twice".into()))??;
            let report = |p: TrainProgress| {
                if let Some(r) = &reporter {
                    r.report(p)
                }
            };
            let progress: Progress<'_> = reporter.is_some().then_some(&report);
            job.run(progress)
                .map_err(|e| BindError::Core(names::camel_error(e)))
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        if let Some(delivery) = &self.delivery {
            delivery.deliver(&env);
            if let Some(thrown) = lock(&delivery.thrown).take() {
                return Err(thrown);
            }
        }
        output.map(PriceModel::wrap).map_err(|e| reject(env, e))
    }
}

/// `kind`: `'gbdt'` (default), `'linear'` or `'elastic_net'`.
fn kind(options: &Options<'_>) -> Result<String, BindError> {
    let record = options.record();
    let expected = "\"gbdt\", \"linear\" or \"elastic_net\"";
    let Some(v) = options.get("kind") else {
        return Ok("gbdt".into());
    };
    match value::kind(v)? {
        Kind::String => {
            let kind = value::string(v)?;
            match kind.as_str() {
                "gbdt" | "linear" | "elastic_net" => Ok(kind),
                other => {
                    Err(
                        MiraError::invalid(record.clone(), "kind", format!("{other:?}"), expected)
                            .into(),
                    )
                }
            }
        }
        _ => Err(options.wrong_type("kind", v, expected)),
    }
}

/// Merge `given` (snake_case keys) into `base` one key at a time, so that a
/// value of the wrong type is reported under its own (camelCase) name.
fn typed<T>(
    mut base: Map<String, Value>,
    given: Map<String, Value>,
    record: &RecordRef,
    parse: impl Fn(Value) -> serde_json::Result<T>,
) -> Result<T, BindError> {
    for (key, value) in given {
        base.insert(key.clone(), value.clone());
        if let Err(e) = parse(Value::Object(base.clone())) {
            return Err(MiraError::invalid(
                record.clone(),
                names::camel(&key),
                value,
                format!("a value of the right type ({e})"),
            )
            .into());
        }
    }
    parse(Value::Object(base)).map_err(|e| BindError::Internal(e.to_string()))
}

fn object_of(value: serde_json::Result<Value>) -> Result<Map<String, Value>, BindError> {
    match value {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(BindError::Internal(
            "training defaults are not an object".into(),
        )),
    }
}

/// The learner: `kind` and `params` (camelCase keys of the core's
/// parameters; for the linear kinds `alpha`, `l1Ratio`, `logTarget`,
/// `maxIterations`, `tolerance`, as in Python).
fn trainer(kind: &str, params: Option<&Unknown<'_>>, place: &str) -> Result<Trainer, BindError> {
    let what = if kind == "gbdt" {
        "gbdt parameters"
    } else {
        "linear parameters"
    };
    let record = RecordRef::Other(what.into());
    let given = match params {
        None => Map::new(),
        Some(v) if matches!(value::kind(v)?, Kind::Undefined | Kind::Null) => Map::new(),
        Some(v) => convert::data(
            v,
            &record,
            &format!("{place}: field `params`"),
            "an object of training parameters",
        )?,
    };
    let allowed: Vec<String> = if kind == "gbdt" {
        object_of(serde_json::to_value(GbdtParams::default()))?
            .keys()
            .map(|k| names::camel(k))
            .collect()
    } else {
        let mut a = vec![
            "alpha",
            "l1Ratio",
            "logTarget",
            "maxIterations",
            "tolerance",
        ];
        if kind == "linear" {
            a.retain(|k| *k != "l1Ratio");
        }
        a.into_iter().map(String::from).collect()
    };
    let allowed_refs: Vec<&str> = allowed.iter().map(String::as_str).collect();
    let mut snake = Map::new();
    for (key, value) in given {
        if !allowed_refs.contains(&key.as_str()) {
            return Err(MiraError::unknown_field(record, &key, &allowed_refs).into());
        }
        snake.insert(names::snake(&key), value);
    }
    if kind == "gbdt" {
        let base = object_of(serde_json::to_value(GbdtParams::default()))?;
        return Ok(Trainer::Gbdt(typed(
            base,
            snake,
            &record,
            serde_json::from_value,
        )?));
    }
    let mut number = |key: &str| -> Result<Option<f64>, BindError> {
        match snake.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_f64().map(Some).ok_or_else(|| {
                MiraError::invalid(record.clone(), names::camel(key), v, "a number").into()
            }),
        }
    };
    let alpha = number("alpha")?;
    let l1_ratio = number("l1_ratio")?;
    let model = match (kind, alpha) {
        ("linear", None) => LinearKind::Ols,
        ("linear", Some(alpha)) => LinearKind::Ridge { alpha },
        (_, alpha) => LinearKind::ElasticNet {
            alpha: alpha.unwrap_or(1.0),
            l1_ratio: l1_ratio.unwrap_or(0.5),
        },
    };
    let base = object_of(serde_json::to_value(LinearParams {
        model,
        ..LinearParams::default()
    }))?;
    Ok(Trainer::Linear(typed(
        base,
        snake,
        &record,
        serde_json::from_value,
    )?))
}

/// Prices: an array of numbers or a `Float64Array`.
fn labels(v: &Unknown<'_>, call: &str) -> Result<Array1<f64>, BindError> {
    let expected = "an array of numbers, or a Float64Array";
    match value::kind(v)? {
        Kind::Array => value::elements(v)?
            .iter()
            .enumerate()
            .map(|(i, e)| match value::kind(e)? {
                Kind::Number => value::number(e),
                _ => Err(BindError::wrong_type(
                    format!("{call}: `y[{i}]`"),
                    &value::describe(e),
                    "a number",
                )),
            })
            .collect::<Result<Vec<f64>, _>>()
            .map(Array1::from),
        Kind::Object => {
            let typed = value::float64_array(v).ok_or_else(|| {
                BindError::wrong_type(
                    format!("{call}: argument `y`"),
                    &value::describe(v),
                    expected,
                )
            })?;
            Ok(Array1::from(typed.to_vec()))
        }
        _ => Err(BindError::wrong_type(
            format!("{call}: argument `y`"),
            &value::describe(v),
            expected,
        )),
    }
}

/// `columns`: feature names (an array of strings) or just their count.
fn columns(v: Option<&Unknown<'_>>, call: &str) -> Result<(usize, Vec<String>), BindError> {
    let expected = "an array of feature names, or a column count";
    let Some(v) = v else {
        return Ok((0, Vec::new()));
    };
    match value::kind(v)? {
        Kind::Array => {
            let names = value::elements(v)?
                .iter()
                .enumerate()
                .map(|(i, e)| match value::kind(e)? {
                    Kind::String => value::string(e),
                    _ => Err(BindError::wrong_type(
                        format!("{call}: `columns[{i}]`"),
                        &value::describe(e),
                        "a feature name (a string)",
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok((names.len(), names))
        }
        Kind::Number => Ok((args::count(Some(v), call, "columns", 0)?, Vec::new())),
        _ => Err(BindError::wrong_type(
            format!("{call}: field `columns`"),
            &value::describe(v),
            expected,
        )),
    }
}

/// `onProgress`: a function, or absent.
fn on_progress(options: &Options<'_>, env: &Env) -> Result<Option<Watch>, BindError> {
    let Some(v) = options.get("onProgress") else {
        return Ok(None);
    };
    if value::kind(v)? != Kind::Function {
        return Err(options.wrong_type("onProgress", v, "a function"));
    }
    progress(env, v).map(Some)
}

/// What to train, and where progress goes (with `onProgress`).
type Request = (Job, Option<Watch>);

/// `onProgress`: the JavaScript side and the training side.
type Watch = (Arc<Delivery>, Reporter);

fn matrix_request(
    env: &Env,
    x: &Unknown<'_>,
    y: &Unknown<'_>,
    options: Option<&Unknown<'_>>,
) -> Result<Request, BindError> {
    let call = "PriceModel.train()";
    let options = Options::read(
        options,
        RecordRef::Other("PriceModel.train options".into()),
        &["kind", "columns", "params", "name", "onProgress"],
    )?;
    let kind = kind(&options)?;
    let trainer = trainer(&kind, options.get("params"), "PriceModel.train options")?;
    let (width, feature_names) = columns(options.get("columns"), call)?;
    let x = model::rows(x, width, call, "x")?;
    let y = labels(y, call)?;
    let name = options
        .string("name")?
        .unwrap_or_else(|| format!("{kind}-price-model"));
    let progress = on_progress(&options, env)?;
    Ok((
        Job::Matrix {
            x,
            y,
            trainer,
            feature_names,
            name,
        },
        progress,
    ))
}

fn catalog_request(
    env: &Env,
    catalog: &Unknown<'_>,
    options: Option<&Unknown<'_>>,
) -> Result<Request, BindError> {
    let place = "PriceModel.trainOnCatalog options";
    let record = RecordRef::Other(place.into());
    let catalog = value::instance::<Catalog>(catalog).ok_or_else(|| {
        BindError::wrong_type(
            "PriceModel.trainOnCatalog(): argument `catalog`",
            &value::describe(catalog),
            "a Catalog",
        )
    })?;
    let options = Options::read(
        options,
        record.clone(),
        &[
            "kind",
            "holdout",
            "params",
            "name",
            "currentYear",
            "onProgress",
        ],
    )?;
    let kind = kind(&options)?;
    let mut config = TrainConfig {
        trainer: trainer(&kind, options.get("params"), place)?,
        ..TrainConfig::default()
    };
    if let Some(name) = options.string("name")? {
        config.name = name;
    }
    if let Some(year) = options.year("currentYear")? {
        config.current_year = year;
    }
    if let Some(v) = options.get("holdout") {
        let holdout = RecordRef::Other("holdout".into());
        let value = Value::Object(convert::data(
            v,
            &holdout,
            &format!("{place}: field `holdout`"),
            "a holdout ({ kind: 'random', fraction: 0.2, seed: 42 }, { kind: 'temporal', attribute, cutoff } or { kind: 'none' })",
        )?);
        config.holdout = serde_json::from_value::<Holdout>(value.clone()).map_err(|e| {
            MiraError::invalid(
                record.clone(),
                "holdout",
                value,
                format!("{{ kind: 'random', fraction, seed }}, {{ kind: 'temporal', attribute, cutoff }} or {{ kind: 'none' }} ({e})"),
            )
        })?;
    }
    let progress = on_progress(&options, env)?;
    Ok((
        Job::Catalog {
            catalog: catalog.inner.clone(),
            config,
        },
        progress,
    ))
}

#[napi]
impl PriceModel {
    /// Train on a feature matrix `x` (an array of rows, or a `Float64Array`
    /// with `columns` values per row; `null` / `NaN` = missing) and prices
    /// `y`, off the JavaScript thread. `kind`: `'gbdt'` (default; `params`
    /// are the core's gradient-boosting parameters in camelCase:
    /// `numRounds`, `learningRate`, `maxLeaves`, …), `'linear'` (OLS, or
    /// ridge with `alpha`) or `'elastic_net'` (`alpha`, `l1Ratio`).
    /// `columns`: feature names, or the column count. `onProgress` is called
    /// after each boosting round, on the JavaScript thread, before the
    /// promise settles. Bad input rejects the promise (it never throws).
    #[napi(
        catch_unwind,
        ts_args_type = "x: Array<Array<number | null>> | Float64Array, y: Array<number> | Float64Array, options?: TrainOptions",
        ts_return_type = "Promise<PriceModel>"
    )]
    pub fn train(
        env: Env,
        x: Unknown<'_>,
        y: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> AsyncTask<Train> {
        AsyncTask::new(Train::new(catching(|| {
            matrix_request(&env, &x, &y, options.as_ref())
        })))
    }

    /// Train on a catalog's listings (listed price = target) with the core's
    /// pipeline: a feature encoder, held-out metrics and a model card, so the
    /// model prices listings in `new Engine(catalog, { model })`. Off the
    /// JavaScript thread; `holdout` defaults to a random 20% (seed 42).
    #[napi(
        catch_unwind,
        ts_args_type = "catalog: Catalog, options?: TrainOnCatalogOptions",
        ts_return_type = "Promise<PriceModel>"
    )]
    pub fn train_on_catalog(
        env: Env,
        catalog: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> AsyncTask<Train> {
        AsyncTask::new(Train::new(catching(|| {
            catalog_request(&env, &catalog, options.as_ref())
        })))
    }
}
