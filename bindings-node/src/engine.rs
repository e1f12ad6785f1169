//! `Engine`: recommendations, synchronously or off the JavaScript thread.

use agent_mira::scoring::Profile;
use agent_mira::{Preferences, RecordRef};
use napi::bindgen_prelude::{AsyncTask, ClassInstance, Env, FromNapiValue, Unknown};
use napi::{JsValue, Task};
use napi_derive::napi;

use crate::catalog::Catalog;
use crate::convert::js::{self, Js, Keys, Kind};
use crate::convert::results::Packed;
use crate::convert::{self, names, out};
use crate::error::{catching, guard, reject, BindError, Code};
use crate::model::PriceModel;

/// The recommendation engine: a catalog, a scoring profile, an optional
/// price model, and buyer-independent values prepared once.
#[napi]
pub struct Engine {
    inner: agent_mira::Engine,
}

fn catalog_arg<'a>(
    j: Js,
    v: napi::sys::napi_value,
    place: &str,
) -> Result<ClassInstance<'a, Catalog>, BindError> {
    unsafe { ClassInstance::<Catalog>::from_napi_value(j.env(), v) }
        .map_err(|_| BindError::wrong_type(place, &j.describe(v), "a Catalog"))
}

/// `{ model, profile, currentYear }`.
fn builder(
    j: Js,
    catalog: agent_mira::Catalog,
    options: Option<napi::sys::napi_value>,
) -> Result<agent_mira::EngineBuilder, BindError> {
    let record = RecordRef::Other("engine options".into());
    let mut b = agent_mira::Engine::builder(catalog);
    for (key, v) in js::options(j, options, &record, &["model", "profile", "currentYear"])? {
        let kind = j.kind(v)?;
        match (key.as_str(), kind) {
            (_, Kind::Null) => {}
            ("profile", Kind::String) => b = b.profile_name(&j.string(v)?)?,
            ("profile", Kind::Object) => {
                let value = j.object(v, &RecordRef::Other("profile".into()), Keys::AsIs, "", "")?;
                b = b.profile(Profile::from_json(value)?);
            }
            ("profile", _) => {
                return Err(BindError::wrong_type(
                    "engine options: field `profile`",
                    &j.describe(v),
                    "\"balanced\", \"case-study\" or a profile object",
                ))
            }
            ("currentYear", _) => b = b.current_year(js::year(j, v, &record, "currentYear")?),
            ("model", _) => {
                let model = unsafe { ClassInstance::<PriceModel>::from_napi_value(j.env(), v) }
                    .map_err(|_| {
                        BindError::wrong_type(
                            "engine options: field `model`",
                            &j.describe(v),
                            "a PriceModel",
                        )
                    })?;
                b = b.model(model.inner.clone());
            }
            _ => {}
        }
    }
    Ok(b)
}

/// One valuation: a predicted price and whether the listing is like the
/// ones the model learned from.
#[napi(object, object_from_js = false)]
pub struct Valuation {
    /// Predicted price, dollars.
    pub price: f64,
    /// False when the listing lies outside the model's training domain.
    pub in_domain: bool,
    /// Why it lies outside.
    pub warnings: Vec<String>,
}

/// `recommendAsync`: the request is read on the JavaScript thread, scored on
/// a worker thread, and the results converted back on the JavaScript thread.
pub struct Recommend {
    engine: agent_mira::Engine,
    request: Option<Result<(Preferences, usize, usize), BindError>>,
}

impl Task for Recommend {
    type Output = Result<Packed, BindError>;
    type JsValue = Packed;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let request = self.request.take();
        let engine = &self.engine;
        Ok(catching(move || {
            let (prefs, k, offset) =
                request.ok_or_else(|| BindError::Internal("task ran twice".into()))??;
            let found = engine
                .recommend_page(&prefs, k, offset)
                .map_err(names::camel_error)?;
            Ok(Packed::recommendations(&found))
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        output.map_err(|e| reject(env, e))
    }
}

impl Engine {
    fn request(
        &self,
        j: Js,
        call: &str,
        prefs: &Unknown<'_>,
        k: Option<Unknown<'_>>,
        offset: Option<Unknown<'_>>,
    ) -> Result<(Preferences, usize, usize), BindError> {
        let prefs = convert::preferences(j, prefs.raw(), || format!("{call}: argument `prefs`"))?;
        let k = js::count(j, k.map(|v| v.raw()), call, "k", 3)?;
        let offset = js::count(j, offset.map(|v| v.raw()), call, "offset", 0)?;
        Ok((prefs, k, offset))
    }
}

#[napi]
impl Engine {
    /// `new Engine(catalog, { model, profile, currentYear })`: `profile` is
    /// `'balanced'` (default), `'case-study'` or a profile object;
    /// `currentYear` fixes the year ages are computed from (default: the
    /// clock's) so that results are reproducible; `model` a `PriceModel`
    /// with a feature encoder (default: predicted price = listed price).
    #[napi(
        constructor,
        catch_unwind,
        ts_args_type = "catalog: Catalog, options?: EngineOptions"
    )]
    pub fn new(
        env: Env,
        catalog: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> napi::Result<Self, Code> {
        guard(|| {
            let j = Js::new(&env);
            let catalog = catalog_arg(j, catalog.raw(), "new Engine(): argument `catalog`")?;
            let b = builder(j, catalog.inner.clone(), options.map(|o| o.raw()))?;
            Ok(Engine {
                inner: b.try_build()?,
            })
        })
    }

    /// The best `k` (default 3) listings for a buyer, skipping the first
    /// `offset` (pagination). Synchronous: a scan takes microseconds to a few
    /// milliseconds.
    #[napi(
        catch_unwind,
        ts_args_type = "prefs: Preferences, k?: number, offset?: number",
        ts_return_type = "Array<Recommendation>"
    )]
    pub fn recommend(
        &self,
        env: Env,
        prefs: Unknown<'_>,
        k: Option<Unknown<'_>>,
        offset: Option<Unknown<'_>>,
    ) -> napi::Result<Packed, Code> {
        guard(|| {
            let (prefs, k, offset) =
                self.request(Js::new(&env), "recommend()", &prefs, k, offset)?;
            let found = self
                .inner
                .recommend_page(&prefs, k, offset)
                .map_err(names::camel_error)?;
            Ok(Packed::recommendations(&found))
        })
    }

    /// Like `recommend`, computed on a worker thread: the JavaScript thread
    /// stays free. Bad input rejects the promise (it never throws).
    #[napi(
        catch_unwind,
        ts_args_type = "prefs: Preferences, k?: number, offset?: number",
        ts_return_type = "Promise<Array<Recommendation>>"
    )]
    pub fn recommend_async(
        &self,
        env: Env,
        prefs: Unknown<'_>,
        k: Option<Unknown<'_>>,
        offset: Option<Unknown<'_>>,
    ) -> AsyncTask<Recommend> {
        let request =
            catching(|| self.request(Js::new(&env), "recommendAsync()", &prefs, k, offset));
        AsyncTask::new(Recommend {
            engine: self.inner.clone(),
            request: Some(request),
        })
    }

    /// The best `k` (default 3) listings for each of many buyers, computed in
    /// parallel. An invalid request fails the batch, naming its position.
    #[napi(
        catch_unwind,
        ts_args_type = "prefsList: Array<Preferences>, k?: number",
        ts_return_type = "Array<Array<Recommendation>>"
    )]
    pub fn recommend_batch(
        &self,
        env: Env,
        prefs_list: Unknown<'_>,
        k: Option<Unknown<'_>>,
    ) -> napi::Result<Packed, Code> {
        guard(|| {
            let j = Js::new(&env);
            let list = convert::preferences_list(j, prefs_list.raw(), "recommendBatch()")?;
            let k = js::count(j, k.map(|v| v.raw()), "recommendBatch()", "k", 3)?;
            let found = self
                .inner
                .recommend_batch(&list, k)
                .map_err(names::camel_error)?;
            Ok(Packed::batches(&found))
        })
    }

    /// The listing with this id, or `null`.
    #[napi(catch_unwind, ts_args_type = "id: number | string")]
    pub fn get(&self, env: Env, id: Unknown<'_>) -> napi::Result<Option<out::Listing>, Code> {
        guard(|| {
            let id = js::id_from(Js::new(&env), id.raw(), "engine.get()")?;
            Ok(self.inner.get(&id).map(out::listing))
        })
    }

    /// Counters and facts: catalog version, listings, profile, price source,
    /// current year, queries, batches, results.
    #[napi(catch_unwind)]
    pub fn stats(&self) -> napi::Result<out::Stats, Code> {
        guard(|| Ok(out::stats(self.inner.stats())))
    }

    /// The catalog served.
    #[napi(getter)]
    pub fn catalog(&self) -> Catalog {
        Catalog::wrap(self.inner.catalog().clone())
    }

    /// An engine with the same settings (profile, year, model) over another
    /// catalog, e.g. the next version after an upsert; this one is unchanged.
    #[napi(catch_unwind, ts_args_type = "catalog: Catalog")]
    pub fn with_catalog(&self, env: Env, catalog: Unknown<'_>) -> napi::Result<Engine, Code> {
        guard(|| {
            let catalog = catalog_arg(
                Js::new(&env),
                catalog.raw(),
                "engine.withCatalog(): argument `catalog`",
            )?;
            Ok(Engine {
                inner: self.inner.with_catalog(catalog.inner.clone())?,
            })
        })
    }

    /// Value one listing (camelCase keys) with the engine's price model:
    /// `{ price, inDomain, warnings }`. `MIRA_UNSUPPORTED` without a model.
    #[napi(catch_unwind, ts_args_type = "record: ListingInput")]
    pub fn predict_price(&self, env: Env, record: Unknown<'_>) -> napi::Result<Valuation, Code> {
        guard(|| {
            let listing = convert::listing(
                Js::new(&env),
                record.raw(),
                "predictPrice()",
                self.inner.current_year(),
            )?;
            let v = self
                .inner
                .predict_price(&listing)
                .map_err(names::camel_error)?;
            Ok(Valuation {
                price: v.price,
                in_domain: v.in_domain,
                warnings: v.warnings,
            })
        })
    }

    /// The price model's card (as the model file stores it), or `null`
    /// without a model.
    #[napi(catch_unwind, ts_return_type = "ModelCard | null")]
    pub fn model_info(&self) -> napi::Result<Option<serde_json::Value>, Code> {
        guard(|| {
            self.inner
                .model_info()
                .map(|card| {
                    serde_json::to_value(card).map_err(|e| BindError::Internal(e.to_string()))
                })
                .transpose()
        })
    }
}
