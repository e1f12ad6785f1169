//! `Engine`: recommendations, synchronously or off the JavaScript thread.

use agent_mira::scoring::Profile;
use agent_mira::{Preferences, RecordRef};
use napi::bindgen_prelude::{AsyncTask, ClassInstance, Env, This, Unknown};
use napi::Task;
use napi_derive::napi;

use crate::catalog::Catalog;
use crate::convert::args::{self, Options};
use crate::convert::results::Packed;
use crate::convert::value::{self, Kind};
use crate::convert::{self, out};
use crate::error::{catching, construct, guard, guard_js, reject, BindError, Code};
use crate::model::PriceModel;

/// The recommendation engine: a catalog, a scoring profile, an optional
/// price model and rent model, and buyer-independent values prepared once.
#[napi]
pub struct Engine {
    inner: agent_mira::Engine,
}

/// A `Catalog` argument.
fn catalog_arg<'a>(v: &Unknown<'a>, place: &str) -> Result<ClassInstance<'a, Catalog>, BindError> {
    value::instance::<Catalog>(v)
        .ok_or_else(|| BindError::wrong_type(place, &value::describe(v), "a Catalog"))
}

/// `{ model, rentModel, profile, currentYear }`, as Python's
/// `Engine(catalog, model=, rent_model=, profile=, current_year=)`.
fn builder(
    catalog: agent_mira::Catalog,
    options: Option<&Unknown<'_>>,
) -> Result<agent_mira::EngineBuilder, BindError> {
    let options = Options::read(
        options,
        RecordRef::Other("engine options".into()),
        &["model", "rentModel", "profile", "currentYear"],
    )?;
    let mut b = agent_mira::Engine::builder(catalog);
    if let Some(v) = options.get("profile") {
        let expected = "\"balanced\", \"case-study\", \"investment\" or a profile object";
        b = match value::kind(v)? {
            Kind::String => b.profile_name(&value::string(v)?)?,
            Kind::Object => {
                let record = RecordRef::Other("profile".into());
                let spec = convert::data(v, &record, "", expected)?;
                b.profile(Profile::from_json(serde_json::Value::Object(spec))?)
            }
            _ => return Err(options.wrong_type("profile", v, expected)),
        };
    }
    if let Some(year) = options.year("currentYear")? {
        b = b.current_year(year);
    }
    if let Some(v) = options.get("model") {
        let model = value::instance::<PriceModel>(v)
            .ok_or_else(|| options.wrong_type("model", v, "a PriceModel"))?;
        b = b.model(model.inner.clone());
    }
    if let Some(v) = options.get("rentModel") {
        let model = value::instance::<PriceModel>(v)
            .ok_or_else(|| options.wrong_type("rentModel", v, "a PriceModel"))?;
        b = b.rent_model(model.inner.clone());
    }
    Ok(b)
}

/// One valuation: a predicted price and whether the listing is like the
/// ones the model learned from.
#[napi(object, object_from_js = false)]
pub struct Valuation {
    /// Predicted price in the listing's currency (from `estimateRent`: the
    /// rent per month).
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
            let found = engine.recommend_page(&prefs, k, offset)?;
            Ok(Packed::recommendations(&found))
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        // As `guard_js`: field names in errors as the caller typed them.
        output.map_err(|e| reject(env, e.with_js_names()))
    }
}

impl Engine {
    fn request(
        call: &str,
        prefs: &Unknown<'_>,
        k: Option<&Unknown<'_>>,
        offset: Option<&Unknown<'_>>,
    ) -> Result<(Preferences, usize, usize), BindError> {
        let prefs = convert::preferences(prefs, || format!("{call}: argument `prefs`"))?;
        let k = args::count(k, call, "k", 3)?;
        let offset = args::count(offset, call, "offset", 0)?;
        Ok((prefs, k, offset))
    }
}

#[napi]
impl Engine {
    /// `new Engine(catalog, { model, rentModel, profile, currentYear })`:
    /// `profile` is `'balanced'` (default), `'case-study'`, `'investment'`
    /// or a profile object; `currentYear` fixes the year ages are computed
    /// from (default: the clock's) so that results are reproducible;
    /// `model` a `PriceModel` with a feature encoder (default: predicted
    /// price = listed price); `rentModel` a `PriceModel` trained on rentals,
    /// predicting the rent per month of a sale listing without
    /// `estimatedRent` (default: only listings' own `estimatedRent`).
    #[napi(
        constructor,
        catch_unwind,
        ts_args_type = "catalog: Catalog, options?: EngineOptions"
    )]
    pub fn new(
        env: Env,
        this: This<Unknown<'_>>,
        catalog: Unknown<'_>,
        options: Option<Unknown<'_>>,
    ) -> napi::Result<Self> {
        construct::<Engine>(&env, &this, "Engine", || {
            let catalog = catalog_arg(&catalog, "new Engine(): argument `catalog`")?;
            let b = builder(catalog.inner.clone(), options.as_ref())?;
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
        prefs: Unknown<'_>,
        k: Option<Unknown<'_>>,
        offset: Option<Unknown<'_>>,
    ) -> napi::Result<Packed, Code> {
        guard_js(|| {
            let (prefs, k, offset) =
                Engine::request("recommend()", &prefs, k.as_ref(), offset.as_ref())?;
            let found = self.inner.recommend_page(&prefs, k, offset)?;
            Ok(Packed::recommendations(&found))
        })
    }

    /// Like `recommend`, with what the request was answered over:
    /// `{ results, stats: { currency, catalogListings, otherCurrency } }`
    /// (`otherCurrency`: listings left out for being priced in another
    /// currency than the request's).
    #[napi(
        catch_unwind,
        ts_args_type = "prefs: Preferences, k?: number, offset?: number"
    )]
    pub fn recommend_with_stats(
        &self,
        prefs: Unknown<'_>,
        k: Option<Unknown<'_>>,
        offset: Option<Unknown<'_>>,
    ) -> napi::Result<out::Answer, Code> {
        guard_js(|| {
            let (prefs, k, offset) =
                Engine::request("recommendWithStats()", &prefs, k.as_ref(), offset.as_ref())?;
            let answer = self.inner.recommend_with_stats(&prefs, k, offset)?;
            Ok(out::answer(&answer))
        })
    }

    /// Why listing `id` scores what it scores for a buyer, with the
    /// numbers behind every claim: `{ id, total, passed, components,
    /// filters, reasons, predictedPrice, listedPrice, priceSource, currency,
    /// metrics? }`. `total` is the score `recommend` gives the listing and
    /// the components' `contribution`s add up to it exactly; `reasons` are
    /// `recommend`'s (after "Removed by <filter>: …" for each failed filter). Every key
    /// is camelCase, inside `inputs` and `filters` too; values (component
    /// names such as `price_match`, `long_term_rent`) are left as the core
    /// writes them. See the `Explanation` type.
    #[napi(
        catch_unwind,
        ts_args_type = "prefs: Preferences, id: number | string",
        ts_return_type = "Explanation"
    )]
    pub fn explain(
        &self,
        prefs: Unknown<'_>,
        id: Unknown<'_>,
    ) -> napi::Result<serde_json::Value, Code> {
        guard_js(|| {
            let call = "explain()";
            let prefs = convert::preferences(&prefs, || format!("{call}: argument `prefs`"))?;
            let id = args::id(&id, call)?;
            let explanation = self.inner.explain(&prefs, &id)?;
            let value = serde_json::to_value(explanation)
                .map_err(|e| BindError::Internal(e.to_string()))?;
            Ok(camel_keys(value))
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
        prefs: Unknown<'_>,
        k: Option<Unknown<'_>>,
        offset: Option<Unknown<'_>>,
    ) -> AsyncTask<Recommend> {
        let request =
            catching(|| Engine::request("recommendAsync()", &prefs, k.as_ref(), offset.as_ref()));
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
        prefs_list: Unknown<'_>,
        k: Option<Unknown<'_>>,
    ) -> napi::Result<Packed, Code> {
        guard_js(|| {
            let list = convert::preferences_list(&prefs_list, "recommendBatch()")?;
            let k = args::count(k.as_ref(), "recommendBatch()", "k", 3)?;
            let found = self.inner.recommend_batch(&list, k)?;
            Ok(Packed::batches(&found))
        })
    }

    /// The listing with this id, or `null`.
    #[napi(catch_unwind, ts_args_type = "id: number | string")]
    pub fn get(&self, id: Unknown<'_>) -> napi::Result<Option<out::Listing>, Code> {
        guard(|| {
            let id = args::id(&id, "engine.get()")?;
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

    /// An engine with the same settings (profile, year, models) over another
    /// catalog, e.g. the next version after an upsert; this one is unchanged.
    #[napi(catch_unwind, ts_args_type = "catalog: Catalog")]
    pub fn with_catalog(&self, catalog: Unknown<'_>) -> napi::Result<Engine, Code> {
        guard(|| {
            let catalog = catalog_arg(&catalog, "engine.withCatalog(): argument `catalog`")?;
            Ok(Engine {
                inner: self.inner.with_catalog(catalog.inner.clone())?,
            })
        })
    }

    /// Value one listing (camelCase keys) with the engine's price model:
    /// `{ price, inDomain, warnings }`. `MIRA_UNSUPPORTED` without a model.
    #[napi(catch_unwind, ts_args_type = "record: ListingInput")]
    pub fn predict_price(&self, record: Unknown<'_>) -> napi::Result<Valuation, Code> {
        guard_js(|| {
            let listing = convert::listing(&record, "predictPrice()", self.inner.current_year())?;
            let v = self.inner.predict_price(&listing)?;
            Ok(Valuation {
                price: v.price,
                in_domain: v.in_domain,
                warnings: v.warnings,
            })
        })
    }

    /// Estimate one listing's rent per month (camelCase keys) with the
    /// engine's rent model: `{ price, inDomain, warnings }` (`price`: the
    /// rent per month). `MIRA_UNSUPPORTED` without a rent model.
    #[napi(catch_unwind, ts_args_type = "record: ListingInput")]
    pub fn estimate_rent(&self, record: Unknown<'_>) -> napi::Result<Valuation, Code> {
        guard_js(|| {
            if self.inner.rent_model().is_none() {
                return Err(BindError::Core(agent_mira::MiraError::Unsupported {
                    what: "rent estimation".into(),
                    name: "this engine has no rent model".into(),
                    hint: Some(
                        "build the engine with one: new Engine(catalog, { rentModel })".into(),
                    ),
                }));
            }
            let listing = convert::listing(&record, "estimateRent()", self.inner.current_year())?;
            let v = self.inner.estimate_rent(&listing)?;
            Ok(Valuation {
                price: v.price,
                in_domain: v.in_domain,
                warnings: v.warnings,
            })
        })
    }

    /// Every investment metric of one listing (a listing object, or the id
    /// of a catalog listing) on the investor's
    /// `terms` (`{ downPayment, mortgageRate, mortgageYears, expenseRatio,
    /// vacancy, closingCosts }`, each optional; a mortgage when
    /// `mortgageRate` is given). Its rent is the listing's `estimatedRent`,
    /// else the engine's rent model's. Formulas and defaults: the
    /// `agent_mira::investment` crate docs. Rates are fractions.
    #[napi(
        catch_unwind,
        ts_args_type = "listing: ListingInput | number | string, terms?: InvestmentTerms"
    )]
    pub fn analyze_investment(
        &self,
        listing: Unknown<'_>,
        terms: Option<Unknown<'_>>,
    ) -> napi::Result<out::InvestmentMetrics, Code> {
        guard_js(|| {
            let call = "analyzeInvestment()";
            let property = match value::kind(&listing)? {
                Kind::Object => convert::listing(&listing, call, self.inner.current_year())?,
                _ => {
                    let id = args::id(&listing, call)?;
                    self.inner.get(&id).cloned().ok_or_else(|| {
                        BindError::Core(agent_mira::MiraError::invalid(
                            agent_mira::RecordRef::Other(call.into()),
                            "listing",
                            id.to_string(),
                            "a listing object or the id of a listing in the catalog",
                        ))
                    })?
                }
            };
            let terms = convert::investment_terms(terms.as_ref(), call)?;
            Ok(out::investment(
                &self.inner.analyze_investment(&property, &terms)?,
            ))
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

/// Every object key in `value` renamed to camelCase (`predicted_price` →
/// `predictedPrice`), recursively; strings and numbers are left alone.
fn camel_keys(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (crate::convert::names::camel(&k), camel_keys(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(camel_keys).collect()),
        other => other,
    }
}
