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
    train_matrix, train_price_model, Holdout, TrainConfig, TrainSpec, ValuationModel,
    DEFAULT_MODEL_NAME,
};
use agent_mira::{MiraError, RecordRef};
use napi::bindgen_prelude::{
    AsyncTask, ClassInstance, Env, Float64Array, FromNapiValue, Function, FunctionRef, Unknown,
};
use napi::threadsafe_function::{
    ThreadsafeFunction, ThreadsafeFunctionCallMode, UnknownReturnValue,
};
use napi::{JsValue, Status, Task};
use napi_derive::napi;
use ndarray::{Array1, Array2};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::catalog::Catalog;
use crate::convert::js::{self, Js, Kind};
use crate::convert::names;
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
///
/// # Safety
///
/// Called by Node-API only, as a JavaScript function's C callback; it
/// reads none of its arguments. (`unsafe extern "C"` because napi's
/// `create_function` takes a raw callback: it has no safe closure form for
/// a function that a thread-safe function then wraps.)
unsafe extern "C" fn noop(
    _env: napi::sys::napi_env,
    _info: napi::sys::napi_callback_info,
) -> napi::sys::napi_value {
    std::ptr::null_mut()
}

/// `onProgress`: both halves, built on the JavaScript thread.
fn progress(env: &Env, v: napi::sys::napi_value) -> Result<Watch, BindError> {
    // SAFETY: `v` is this call's `onProgress` option, checked to be a
    // function, read on the JavaScript thread within the call's handle
    // scope; `from_napi_value` checks its type again.
    let function = unsafe {
        Function::<TrainProgressEvent, UnknownReturnValue>::from_napi_value(env.raw(), v)
    }
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

/// What to train: the arguments of the core's two training entry points.
enum Job {
    /// A feature matrix and prices.
    Matrix {
        x: Array2<f64>,
        y: Array1<f64>,
        spec: TrainSpec,
        feature_names: Vec<String>,
        name: String,
    },
    /// A catalog's listings.
    Catalog {
        catalog: agent_mira::Catalog,
        config: TrainConfig,
    },
}

type Progress<'a> = Option<&'a (dyn Fn(TrainProgress) + Sync)>;

impl Job {
    fn run(self, progress: Progress<'_>) -> agent_mira::Result<ValuationModel> {
        let outcome = match self {
            Job::Catalog { catalog, config } => train_price_model(&catalog, &config, progress)?,
            Job::Matrix {
                x,
                y,
                spec,
                feature_names,
                name,
            } => train_matrix(x.view(), y.view(), feature_names, &spec, &name, progress)?,
        };
        Ok(outcome.model)
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

/// The option `field` as JSON, through napi's serde support (absent,
/// `undefined` and `null` are `null`). NaN and ±Infinity are refused naming
/// where they stand (`learningRate`, `holdout.fraction`), and so is what
/// JSON cannot hold (a function, a symbol).
fn json(env: &Env, field: &str, v: Option<napi::sys::napi_value>) -> Result<Value, BindError> {
    let Some(v) = v else {
        return Ok(Value::Null);
    };
    // SAFETY: `v` is a value of this call's arguments, read on the
    // JavaScript thread within the call's handle scope, so it is alive and
    // belongs to `env`.
    let value = unsafe { Unknown::from_raw_unchecked(env.raw(), v) };
    let record = RecordRef::Other("training parameters".into());
    match env.from_js_value::<Finite, _>(value) {
        Ok(Finite(json)) => Ok(json),
        Err(e) => {
            let marked = e.reason.split_once(PATH).map_or("", |(_, m)| m);
            let (path, value, expected) = match marked.split_once(NON_FINITE) {
                Some((path, number)) => (path, number, "a finite number"),
                None => match marked.split_once(UNSUPPORTED) {
                    Some((path, why)) => (path, why, PLAIN),
                    None => ("", e.reason.as_str(), PLAIN),
                },
            };
            let at = match (field, path) {
                (_, "") => field.to_string(),
                ("params", _) => path.to_string(),
                _ => format!("{field}.{path}"),
            };
            Err(MiraError::invalid(record, at, value, expected).into())
        }
    }
}

/// What an option value may be.
const PLAIN: &str = "plain data (numbers, strings, booleans, null, arrays, objects)";

/// Marks a deserialisation error as "not a finite number": [`PATH`], the
/// path, this character, then the number (`\u{1e}learningRate\u{1f}NaN`).
const NON_FINITE: char = '\u{1f}';

/// Starts the path of a non-finite number in an error message.
const PATH: char = '\u{1e}';

/// Marks a value napi cannot turn into JSON: [`PATH`], the path, this
/// character, then napi's reason.
const UNSUPPORTED: char = '\u{1d}';

/// JSON as napi's serde support hands it over, except that a non-finite
/// number is an error (`serde_json::Value` would turn it into `null`).
struct Finite(Value);

impl<'de> Deserialize<'de> for Finite {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FiniteVisitor).map(Finite)
    }
}

/// Where a nested error happened: `key` before the path the inner error
/// carries (after [`PATH`]; what napi puts before it, its status, is
/// dropped).
fn nested<E: de::Error>(key: &str, inner: impl std::fmt::Display) -> E {
    let inner = inner.to_string();
    let Some(start) = inner.find(PATH) else {
        // napi's own refusal (a function, a symbol): "InvalidArg, why".
        let why = inner.strip_prefix("InvalidArg, ").unwrap_or(&inner);
        return E::custom(format!("{PATH}{key}{UNSUPPORTED}{why}"));
    };
    let rest = &inner[start + PATH.len_utf8()..];
    let dot = if rest.starts_with([NON_FINITE, UNSUPPORTED, '[']) {
        ""
    } else {
        "."
    };
    E::custom(format!("{PATH}{key}{dot}{rest}"))
}

struct FiniteVisitor;

impl<'de> Visitor<'de> for FiniteVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JSON data")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        let text = match v {
            v if v.is_nan() => "NaN",
            v if v > 0.0 => "Infinity",
            _ => "-Infinity",
        };
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("{PATH}{NON_FINITE}{text}")))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Finite::deserialize(d).map(|f| f.0)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let key = format!("[{}]", items.len());
            match seq.next_element::<Finite>() {
                Ok(Some(Finite(v))) => items.push(v),
                Ok(None) => return Ok(Value::Array(items)),
                Err(e) => return Err(nested(&key, e)),
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let Finite(v) = map.next_value::<Finite>().map_err(|e| nested(&key, e))?;
            object.insert(key, v);
        }
        Ok(Value::Object(object))
    }
}

/// `kind` and `params` as the core's [`TrainSpec`]: the camelCase keys of
/// `params` renamed to the core's names (any other key refused with a
/// suggestion among the camelCase ones), then parsed and checked by the
/// core, its errors naming fields as JavaScript spells them.
fn spec(
    env: &Env,
    kind: Option<napi::sys::napi_value>,
    params: Option<napi::sys::napi_value>,
) -> Result<TrainSpec, BindError> {
    let kind = json(env, "kind", kind)?;
    let params = match json(env, "params", params)? {
        Value::Object(given) => {
            let mut renamed = Map::new();
            for (key, value) in given {
                let Some(field) = names::field_for_key(&key) else {
                    let allowed = TrainSpec::parameter_names(kind.as_str().unwrap_or("gbdt"))
                        .map_err(names::camel_error)?;
                    let camel: Vec<String> = allowed.iter().map(|n| names::camel(n)).collect();
                    let camel: Vec<&str> = camel.iter().map(String::as_str).collect();
                    let record = RecordRef::Other("training parameters".into());
                    return Err(MiraError::unknown_field(record, &key, &camel).into());
                };
                renamed.insert(field, value);
            }
            Value::Object(renamed)
        }
        other => other,
    };
    TrainSpec::from_json(serde_json::json!({ "kind": kind, "params": params }))
        .map_err(|e| names::camel_error(e).into())
}

/// Prices: an array of numbers or a `Float64Array`.
fn labels(
    j: Js,
    env: &Env,
    v: napi::sys::napi_value,
    call: &str,
) -> Result<Array1<f64>, BindError> {
    let expected = "an array of numbers, or a Float64Array";
    match j.kind(v)? {
        Kind::Array => j
            .elements(v)?
            .into_iter()
            .enumerate()
            .map(|(i, e)| match j.kind(e)? {
                Kind::Number => j.number(e),
                _ => Err(BindError::wrong_type(
                    format!("{call}: `y[{i}]`"),
                    &j.describe(e),
                    "a number",
                )),
            })
            .collect::<Result<Vec<f64>, _>>()
            .map(Array1::from),
        Kind::Object => {
            // SAFETY: `v` is this call's argument `y`, alive on the
            // JavaScript thread; `from_napi_value` checks that it is a
            // Float64Array and fails otherwise.
            let typed = unsafe { Float64Array::from_napi_value(env.raw(), v) }.map_err(|_| {
                BindError::wrong_type(format!("{call}: argument `y`"), &j.describe(v), expected)
            })?;
            Ok(Array1::from(typed.to_vec()))
        }
        _ => Err(BindError::wrong_type(
            format!("{call}: argument `y`"),
            &j.describe(v),
            expected,
        )),
    }
}

/// `columns`: feature names (an array of strings) or just their count.
fn columns(
    j: Js,
    v: Option<napi::sys::napi_value>,
    call: &str,
) -> Result<(usize, Vec<String>), BindError> {
    let expected = "an array of feature names, or a column count";
    let Some(v) = v else {
        return Ok((0, Vec::new()));
    };
    match j.kind(v)? {
        Kind::Array => {
            let names = j
                .elements(v)?
                .into_iter()
                .enumerate()
                .map(|(i, e)| match j.kind(e)? {
                    Kind::String => j.string(e),
                    _ => Err(BindError::wrong_type(
                        format!("{call}: `columns[{i}]`"),
                        &j.describe(e),
                        "a feature name (a string)",
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok((names.len(), names))
        }
        Kind::Number => Ok((js::count(j, Some(v), call, "columns", 0)?, Vec::new())),
        _ => Err(BindError::wrong_type(
            format!("{call}: field `columns`"),
            &j.describe(v),
            expected,
        )),
    }
}

/// The options object's entries by name (`None` for absent / `null`).
struct Options(Vec<(String, napi::sys::napi_value)>);

impl Options {
    fn read(
        j: Js,
        v: Option<napi::sys::napi_value>,
        record: &RecordRef,
        allowed: &[&str],
    ) -> Result<Options, BindError> {
        let mut entries = js::options(j, v, record, allowed)?;
        entries.retain(|(_, v)| j.kind(*v).map_or(true, |k| k != Kind::Null));
        Ok(Options(entries))
    }

    fn get(&self, key: &str) -> Option<napi::sys::napi_value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    fn string(&self, j: Js, key: &str, record: &RecordRef) -> Result<Option<String>, BindError> {
        self.get(key)
            .map(|v| match j.kind(v)? {
                Kind::String => j.string(v),
                _ => Err(BindError::wrong_type(
                    format!("{record}: field `{key}`"),
                    &j.describe(v),
                    "a string",
                )),
            })
            .transpose()
    }

    /// `onProgress`: a function, or absent.
    fn progress(&self, j: Js, env: &Env, record: &RecordRef) -> Result<Option<Watch>, BindError> {
        let Some(v) = self.get("onProgress") else {
            return Ok(None);
        };
        if j.kind(v)? != Kind::Other("a function") {
            return Err(BindError::wrong_type(
                format!("{record}: field `onProgress`"),
                &j.describe(v),
                "a function",
            ));
        }
        progress(env, v).map(Some)
    }
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
    let j = Js::new(env);
    let call = "PriceModel.train()";
    let record = RecordRef::Other("PriceModel.train options".into());
    let options = Options::read(
        j,
        options.map(|o| o.raw()),
        &record,
        &["kind", "columns", "params", "name", "onProgress"],
    )?;
    let spec = spec(env, options.get("kind"), options.get("params"))?;
    let (width, feature_names) = columns(j, options.get("columns"), call)?;
    let x = model::rows(j, env, x.raw(), width, call, "x")?;
    let y = labels(j, env, y.raw(), call)?;
    let name = options
        .string(j, "name", &record)?
        .unwrap_or_else(|| DEFAULT_MODEL_NAME.into());
    let progress = options.progress(j, env, &record)?;
    Ok((
        Job::Matrix {
            x,
            y,
            spec,
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
    let j = Js::new(env);
    let place = "PriceModel.trainOnCatalog options";
    let record = RecordRef::Other(place.into());
    // SAFETY: `catalog` is this call's argument, alive on the JavaScript
    // thread; `from_napi_value` checks that it wraps a `Catalog` and fails
    // otherwise.
    let catalog = unsafe { ClassInstance::<Catalog>::from_napi_value(env.raw(), catalog.raw()) }
        .map_err(|_| {
            BindError::wrong_type(
                "PriceModel.trainOnCatalog(): argument `catalog`",
                &j.describe(catalog.raw()),
                "a Catalog",
            )
        })?;
    let options = Options::read(
        j,
        options.map(|o| o.raw()),
        &record,
        &[
            "kind",
            "holdout",
            "params",
            "name",
            "currentYear",
            "onProgress",
        ],
    )?;
    let mut config = TrainConfig {
        spec: spec(env, options.get("kind"), options.get("params"))?,
        ..TrainConfig::default()
    };
    if let Some(name) = options.string(j, "name", &record)? {
        config.name = name;
    }
    if let Some(v) = options.get("currentYear") {
        config.current_year = js::year(j, v, &record, "currentYear")?;
    }
    if let Some(v) = options.get("holdout") {
        config.holdout =
            Holdout::from_json(json(env, "holdout", Some(v))?).map_err(names::camel_error)?;
    }
    let progress = options.progress(j, env, &record)?;
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
    /// `y`, off the JavaScript thread. `kind` (`'gbdt'` by default,
    /// `'ols'`, `'ridge'`, `'elastic_net'`) and `params` (camelCase) are the
    /// core's `TrainSpec`, which documents kinds, parameters and defaults.
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
