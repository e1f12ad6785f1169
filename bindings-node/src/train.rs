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
    train_matrix, train_price_model, TrainConfig, TrainSpec, ValuationModel, DEFAULT_MODEL_NAME,
};
use agent_mira::RecordRef;
use napi::bindgen_prelude::{AsyncTask, Env, FunctionRef, Unknown};
use napi::threadsafe_function::{
    ThreadsafeFunction, ThreadsafeFunctionCallMode, UnknownReturnValue,
};
use napi::{Status, Task};
use napi_derive::napi;
use ndarray::{Array1, Array2};

use crate::catalog::Catalog;
use crate::convert::args::Options;
use crate::convert::{self, matrix, value};
use crate::error::{catching, reject, BindError};
use crate::model::PriceModel;

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
/// happens in the thread-safe call's callback, which runs on the JavaScript
/// thread). Weak: the pending promise, not the pings, keeps the event loop
/// alive.
type Ping = ThreadsafeFunction<(), (), (), Status, false, true>;

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

/// `onProgress`: both halves, built on the JavaScript thread. The pings go
/// to a JavaScript function that does nothing: what matters is that their
/// callback runs on the JavaScript thread, where it delivers the queue.
fn progress(env: &Env, options: &Options<'_>) -> Result<Option<Watch>, BindError> {
    let Some(v) = options.get("onProgress") else {
        return Ok(None);
    };
    let function = value::function::<TrainProgressEvent, UnknownReturnValue>(v)
        .ok_or_else(|| options.wrong_type("onProgress", v, "a function"))?;
    let delivery = Arc::new(Delivery {
        callback: function.create_ref().map_err(value::internal)?,
        pending: Mutex::new(VecDeque::new()),
        thrown: Mutex::new(None),
    });
    let noop = env
        .create_function_from_closure::<(), (), _>("miraProgress", |_| Ok(()))
        .map_err(value::internal)?;
    let target = delivery.clone();
    let ping = noop
        .build_threadsafe_function::<()>()
        .callee_handled::<false>()
        .weak::<true>()
        .build_callback(move |ctx| {
            target.deliver(&ctx.env);
            Ok(())
        })
        .map_err(value::internal)?;
    Ok(Some((delivery.clone(), Reporter { delivery, ping })))
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
            Ok(job.run(progress)?)
        }))
    }

    /// Settles the promise. The input was JavaScript's options, so the
    /// core's errors name fields the way the caller typed them (`numRounds`).
    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        if let Some(delivery) = &self.delivery {
            delivery.deliver(&env);
            if let Some(thrown) = lock(&delivery.thrown).take() {
                return Err(thrown);
            }
        }
        output
            .map(PriceModel::wrap)
            .map_err(|e| reject(env, e.with_js_names()))
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
    let call = "PriceModel.train()";
    let options = Options::read(
        options,
        RecordRef::Other("PriceModel.train options".into()),
        &["kind", "columns", "params", "name", "onProgress"],
    )?;
    let spec = convert::train_spec(options.get("kind"), options.get("params"))?;
    let (width, feature_names) = matrix::columns(options.get("columns"), call, "columns")?;
    let x = matrix::rows(x, width, call, "x")?;
    let y = matrix::numbers(y, call, "y")?;
    let name = options
        .string("name")?
        .unwrap_or_else(|| DEFAULT_MODEL_NAME.into());
    let job = Job::Matrix {
        x,
        y,
        spec,
        feature_names,
        name,
    };
    Ok((job, progress(env, &options)?))
}

fn catalog_request(
    env: &Env,
    catalog: &Unknown<'_>,
    options: Option<&Unknown<'_>>,
) -> Result<Request, BindError> {
    let catalog = value::instance::<Catalog>(catalog).ok_or_else(|| {
        BindError::wrong_type(
            "PriceModel.trainOnCatalog(): argument `catalog`",
            &value::describe(catalog),
            "a Catalog",
        )
    })?;
    let options = Options::read(
        options,
        RecordRef::Other("PriceModel.trainOnCatalog options".into()),
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
        spec: convert::train_spec(options.get("kind"), options.get("params"))?,
        ..TrainConfig::default()
    };
    if let Some(name) = options.string("name")? {
        config.name = name;
    }
    if let Some(year) = options.year("currentYear")? {
        config.current_year = year;
    }
    if let Some(v) = options.get("holdout") {
        config.holdout = convert::holdout(v)?;
    }
    let job = Job::Catalog {
        catalog: catalog.inner.clone(),
        config,
    };
    Ok((job, progress(env, &options)?))
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
    /// JavaScript thread; `holdout` defaults to a random 20% (seed 42, also
    /// when a random holdout names no `seed`).
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
