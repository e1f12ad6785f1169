//! `agent_mira.Engine` and `agent_mira.Recommendation`.

use mira::investment::InvestmentTerms;
use mira::{
    Engine, MiraError, Preferences, Profile, Property, Recommendation, RecordRef, SearchQuery,
    SimilarFilters,
};
use pyo3::basic::CompareOp;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use crate::catalog::PyCatalog;
use crate::convert::{self, Mode};
use crate::guard::Place;
use crate::model::PyPriceModel;
use crate::{errors, guard};

fn profile_from_py(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Profile> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(Profile::balanced());
    };
    if let Ok(name) = obj.cast::<PyString>() {
        let name = name.extract::<String>()?;
        return guard::quick(|| Profile::by_name(&name));
    }
    let record = RecordRef::Profile("<profile>".into());
    let mode = Mode {
        record: &record,
        nan_is_missing: false,
    };
    let value = convert::object(
        obj,
        mode,
        "a profile (\"balanced\", \"case-study\", \"investment\" or a dict)",
    )?;
    guard::quick(|| Profile::from_json(value))
}

/// Preferences from a dict, validated by the core (unknown keys get a
/// "did you mean" suggestion).
fn prefs_from_py(obj: &Bound<'_, PyAny>) -> PyResult<Preferences> {
    let record = RecordRef::Preferences;
    let mode = Mode {
        record: &record,
        nan_is_missing: false,
    };
    let value = convert::object(obj, mode, "preferences")?;
    guard::quick(|| Preferences::from_json(value))
}

/// The `**filters` of `similar`, read by the core (`SimilarFilters::from_json`:
/// unknown keys are refused with a suggestion; None values are not given).
fn similar_filters(filters: Option<&Bound<'_, PyDict>>) -> PyResult<SimilarFilters> {
    let record = RecordRef::Other("similar filters".into());
    let mode = Mode {
        record: &record,
        nan_is_missing: false,
    };
    let value = match filters {
        Some(f) => convert::to_value(f.as_any(), mode, "")?,
        None => serde_json::Value::Object(serde_json::Map::new()),
    };
    guard::quick(|| SimilarFilters::from_json(value))
}

/// One recommended listing, as returned by `Engine.recommend`.
///
/// Read-only attributes: `id`, `score` (0..100), `components` (score of
/// each component, 0..100), `predicted_price`, `listed_price`,
/// `price_source` (`"model"` or `"listed"`), `unknown` (components the
/// listing lacks data for), `reasons` (plain-language sentences),
/// `currency` (the listing's ISO 4217 code), `rent_per_month` (a
/// rental's rent per month, `None` for a sale) and `metrics` (a sale's
/// investment metrics on the request's terms, `None` without a rent
/// estimate).
/// Recommendations compare equal when all of these are equal, and pickle.
///
/// Example:
///     >>> rec = engine.recommend({"budget": 500_000}, k=1)[0]
///     >>> rec.id, rec.listed_price, rec.price_source
///     (2, 380000.0, 'listed')
#[pyclass(name = "Recommendation", module = "agent_mira", frozen)]
pub struct PyRecommendation {
    inner: Recommendation,
}

fn recs_to_py<'py>(py: Python<'py>, recs: Vec<Recommendation>) -> PyResult<Bound<'py, PyList>> {
    PyList::new(
        py,
        recs.into_iter()
            .map(|inner| PyRecommendation { inner })
            .collect::<Vec<_>>(),
    )
}

#[pymethods]
impl PyRecommendation {
    /// The listing's id, as given (an `int` stays an `int`).
    #[getter]
    fn id<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::id_to_py(py, &self.inner.id)
    }

    /// Total score, 0..100 (higher is a better fit).
    #[getter]
    fn score(&self) -> f64 {
        self.inner.score
    }

    /// Score of each component that could be scored, 0..100, by name.
    #[getter]
    fn components<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serde_to_py(py, &self.inner.components)
    }

    /// Predicted price in `currency` (the listed price when there is no
    /// model); for a rental, per its rent period.
    #[getter]
    fn predicted_price(&self) -> f64 {
        self.inner.predicted_price
    }

    /// The listed (asking) price in `currency`; for a rental, the rent per
    /// its rent period (see `rent_per_month`).
    #[getter]
    fn listed_price(&self) -> f64 {
        self.inner.listed_price
    }

    /// `"listed"` or `"model"`: where `predicted_price` came from.
    #[getter]
    fn price_source(&self) -> &'static str {
        self.inner.price_source.as_str()
    }

    /// Components left out because the listing lacks their data.
    #[getter]
    fn unknown(&self) -> Vec<String> {
        self.inner.unknown.clone()
    }

    /// Why this listing was recommended, in plain words.
    #[getter]
    fn reasons(&self) -> Vec<String> {
        self.inner.reasons.clone()
    }

    /// ISO 4217 code of `listed_price` and `predicted_price`: the
    /// listing's currency (`"USD"` when it names none).
    #[getter]
    fn currency(&self) -> &str {
        self.inner.currency.code()
    }

    /// A rental's rent per month (a week is 52/12 of a month, a night
    /// 365/12); `None` for a listing that is not a rental.
    #[getter]
    fn rent_per_month(&self) -> Option<f64> {
        self.inner.rent_per_month
    }

    /// A sale listing's investment metrics on the request's terms (its
    /// `vacancy`, `expense_ratio`, `closing_costs` and mortgage; the
    /// defaults where it names none), or None for a rental or a listing
    /// without a rent estimate (no `estimated_rent` and no rent model).
    ///
    /// A dict of `estimated_rent` (per month), `rent_source` (`"given"`:
    /// the listing's `estimated_rent`; `"model"`: the engine's rent model),
    /// `gross_yield`, `price_to_rent`, `net_operating_income` (per year),
    /// `cap_rate`, `mortgage_payment`, `monthly_cash_flow` and
    /// `cash_on_cash` (these three None unless the request names a
    /// `mortgage_rate`; `cash_on_cash` None too when nothing is paid in
    /// cash) and `value_gap` (None without a price model). Rates and shares
    /// are fractions: 0.072 for 7.2 %.
    #[getter]
    fn metrics<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &self.inner.metrics {
            Some(m) => convert::serde_to_py(py, m),
            None => Ok(py.None().into_bound(py)),
        }
    }

    /// The recommendation as a JSON-ready dict.
    ///
    /// Returns:
    ///     dict: `id`, `score`, `components`, `predicted_price`,
    ///     `listed_price`, `price_source`, `unknown`, `reasons`, `currency`,
    ///     `rent_per_month` and `metrics` (always present: None when the
    ///     result has no metrics, where the core's JSON and the golden
    ///     files leave the key out), as the golden files hold them
    ///     (`json.dumps` accepts it as is).
    ///
    /// Raises:
    ///     None.
    ///
    /// Example:
    ///     >>> rec = engine.recommend({"budget": 500_000}, k=1)[0]
    ///     >>> sorted(rec.to_dict())
    ///     ['components', 'currency', 'id', 'listed_price', 'metrics', 'predicted_price', 'price_source', 'reasons', 'rent_per_month', 'score', 'unknown']
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let d = convert::serde_to_py(py, &self.inner)?;
        if self.inner.metrics.is_none() {
            d.set_item("metrics", py.None())?;
        }
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "Recommendation(id={}, score={}, predicted_price={}, price_source='{}')",
            match &self.inner.id {
                mira::PropertyId::Int(i) => i.to_string(),
                mira::PropertyId::Str(s) => format!("{s:?}"),
            },
            self.inner.score,
            self.inner.predicted_price,
            self.inner.price_source.as_str()
        )
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let Ok(other) = other.cast::<PyRecommendation>() else {
            return Ok(py.NotImplemented());
        };
        let equal = self.inner == other.get().inner;
        Ok(match op {
            CompareOp::Eq => equal.into_pyobject(py)?.to_owned().into_any().unbind(),
            CompareOp::Ne => (!equal).into_pyobject(py)?.to_owned().into_any().unbind(),
            _ => py.NotImplemented(),
        })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let d = slf.get().to_dict(py)?;
        let ctor = slf.get_type().getattr("_from_dict")?;
        PyTuple::new(py, [ctor, PyTuple::new(py, [d])?.into_any()])
    }

    /// Rebuild from `to_dict()` output.
    #[staticmethod]
    fn _from_dict(d: &Bound<'_, PyAny>) -> PyResult<Self> {
        let record = RecordRef::Other("recommendation".into());
        let mode = Mode {
            record: &record,
            nan_is_missing: false,
        };
        let value = convert::object(d, mode, "a recommendation")?;
        let inner = serde_json::from_value(value).map_err(|e| {
            errors::to_py(MiraError::invalid(
                record.clone(),
                "<recommendation>",
                e,
                "a dict from Recommendation.to_dict()",
            ))
        })?;
        Ok(PyRecommendation { inner })
    }
}

/// The recommendation engine: a catalog, a scoring profile and optional
/// price and rent models, answering requests in one parallel pass.
///
/// `Engine(catalog, model=None, profile='balanced', current_year=None, rent_model=None)`
///
/// Args:
///     catalog: the `Catalog` of listings to recommend from.
///     model: a `PriceModel` with a feature encoder (from
///         `PriceModel.train_on_catalog` or a model file it saved), or None
///         (the default): then the predicted price is the listed price.
///     profile: `"balanced"` (the default; None means it too),
///         `"case-study"`, `"investment"` (gross yield, cash flow, value
///         gap, price and location) or a profile dict (weights and rules;
///         `Engine.profile` of another engine is one).
///     current_year: the year listing ages are computed from; None (the
///         default) reads the clock. Fix it for reproducible results.
///     rent_model: a `PriceModel` like `model`, trained on rental
///         listings (it predicts the rent per month), or None (the
///         default). A sale listing's rent estimate is its own
///         `estimated_rent`, else this model's; it feeds the investment
///         metrics, thresholds and components.
///
/// Returns:
///     Engine: immutable and thread-safe; share one across threads.
///
/// Raises:
///     MiraTypeError: `catalog` is not a `Catalog`, or `model` or
///         `rent_model` not a `PriceModel`.
///     UnsupportedError: an unknown profile name.
///     InvalidFieldError, UnknownFieldError: a bad profile dict (the error
///         names the field and the value).
///     UnsupportedError: a model or rent model without a feature encoder
///         (it cannot value listings).
///
/// Example:
///     >>> import agent_mira as mira
///     >>> catalog = mira.Catalog.from_records([
///     ...     {"id": 1, "price": 450_000, "bedrooms": 3, "location": "Seattle, WA"},
///     ...     {"id": 2, "price": 380_000, "bedrooms": 2, "location": "Bellevue, WA"},
///     ... ])
///     >>> engine = mira.Engine(catalog, profile="balanced", current_year=2025)
///     >>> engine
///     Engine(listings=2, catalog_version=1, profile='balanced', price_source='listed', current_year=2025)
///
/// The examples of the methods use this `engine`.
#[pyclass(name = "Engine", module = "agent_mira", frozen)]
pub struct PyEngine {
    inner: Engine,
    catalog: Py<PyCatalog>,
    model: Option<Py<PyPriceModel>>,
    rent_model: Option<Py<PyPriceModel>>,
}

/// An optional `PriceModel` argument (`model`, `rent_model`): None, or a
/// `PriceModel`; anything else is a `MiraTypeError` naming the argument.
fn price_model_arg(
    arg: Option<&Bound<'_, PyAny>>,
    name: &str,
) -> PyResult<Option<Py<PyPriceModel>>> {
    let Some(m) = arg.filter(|m| !m.is_none()) else {
        return Ok(None);
    };
    let model = m.cast::<PyPriceModel>().map_err(|_| {
        errors::type_error(format!(
            "Engine: `{name}` must be an agent_mira.PriceModel or None, got {}",
            m.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })?;
    Ok(Some(model.clone().unbind()))
}

#[pymethods]
impl PyEngine {
    #[new]
    // `profile=None` is `"balanced"`; the text signature says so.
    // `rent_model` comes last so that positional calls written before it
    // existed keep their meaning.
    #[pyo3(
        signature = (catalog, model=None, profile=None, current_year=None, rent_model=None),
        text_signature = "(catalog, model=None, profile='balanced', current_year=None, rent_model=None)"
    )]
    fn new(
        py: Python<'_>,
        catalog: &Bound<'_, PyAny>,
        model: Option<&Bound<'_, PyAny>>,
        profile: Option<&Bound<'_, PyAny>>,
        current_year: Option<i32>,
        rent_model: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let catalog = catalog.cast::<PyCatalog>().map_err(|_| {
            errors::type_error(format!(
                "Engine: `catalog` must be an agent_mira.Catalog, got {}",
                catalog
                    .get_type()
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_default()
            ))
        })?;
        let model = price_model_arg(model, "model")?;
        let rent_model = price_model_arg(rent_model, "rent_model")?;
        let profile = profile_from_py(profile)?;
        let mut b = Engine::builder(catalog.get().inner.clone()).profile(profile);
        if let Some(y) = current_year {
            b = b.current_year(y);
        }
        if let Some(m) = &model {
            b = crate::model::engine_with_model(b, m.get())?;
        }
        if let Some(m) = &rent_model {
            b = crate::model::engine_with_rent_model(b, m.get())?;
        }
        let inner = guard::run(py, Place::Pool, move || b.try_build())?;
        Ok(PyEngine {
            inner,
            catalog: catalog.clone().unbind(),
            model,
            rent_model,
        })
    }

    /// The best `k` listings for a buyer: results `offset .. offset + k` of
    /// the full ranking, best first.
    ///
    /// Args:
    ///     prefs: the buyer's preferences, a dict of the keys of
    ///         `agent_mira.Preferences` (a `TypedDict`: `budget`, `location`,
    ///         `min_bedrooms`, `min_bathrooms`, `min_size_sqft`,
    ///         `max_commute_time`, `min_school_rating`, `preferred_amenities`,
    ///         `must_have_amenities`, `property_types`, `listing_type`,
    ///         a renter's `budget_period`, `move_in`, `lease_months`,
    ///         `furnishing`, `pets`, `currency`, an investor's
    ///         `min_gross_yield`, `min_cap_rate`, `min_cash_flow` (hard
    ///         filters: a listing without a rent estimate is left out),
    ///         `down_payment`, `mortgage_rate`, `mortgage_years`,
    ///         `expense_ratio`, `vacancy`, `closing_costs`, then
    ///         `weights` and `similar_to` (`{"ids": [...], "vector":
    ///         [...]}`: homes like the ones liked, which are left out);
    ///         every key is optional. Dates are `"YYYY-MM-DD"`
    ///         or `datetime.date`; rates and shares are fractions (0.065
    ///         for 6.5 %).
    ///     k: how many results, 3 by default (`k + offset` at most
    ///         `agent_mira.MAX_RESULTS`).
    ///     offset: how many of the best results to skip (pagination), 0 by
    ///         default.
    ///
    /// Returns:
    ///     list[Recommendation]: at most `k`, fewer when fewer listings pass
    ///     the buyer's hard filters; a sale with a rent estimate carries
    ///     its investment `metrics` on the request's terms.
    ///
    /// Raises:
    ///     UnknownFieldError: a key `Preferences` does not know (the message
    ///         suggests the closest one: "did you mean `budget`?").
    ///     InvalidFieldError: a bad value (a negative budget, NaN, a
    ///         negative `k`, `k + offset` above `MAX_RESULTS`, a `location`
    ///         no listing is in, with the closest known places: "did you
    ///         mean Bellevue, WA?"); the message names the field and the value.
    ///     MiraTypeError: `prefs` is not a dict, or `k` / `offset` not an int.
    ///
    /// Example:
    ///     >>> [rec.id for rec in engine.recommend({"budget": 500_000, "min_bedrooms": 3})]
    ///     [1, 2]
    // `k=None` / `offset=None` mean the defaults (so `convert::count` can
    // name a bad value); the text signature shows the defaults themselves.
    #[pyo3(
        signature = (prefs, k=None, offset=None),
        text_signature = "(self, prefs, k=3, offset=0)"
    )]
    fn recommend<'py>(
        &self,
        py: Python<'py>,
        prefs: &Bound<'py, PyAny>,
        k: Option<&Bound<'py, PyAny>>,
        offset: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let k = k.map_or(Ok(3), |k| convert::count(k, "k"))?;
        let offset = offset.map_or(Ok(0), |o| convert::count(o, "offset"))?;
        let prefs = prefs_from_py(prefs)?;
        // Most requests are answered by the pruned scan in microseconds on
        // this thread; only those needing the parallel scan go to the pool.
        let on_caller = guard::run(py, Place::Caller, || {
            self.inner.try_recommend_sequential(&prefs, k, offset)
        })?;
        let recs = match on_caller {
            Some(recs) => recs,
            None => guard::run(py, Place::Pool, || {
                self.inner.recommend_page(&prefs, k, offset)
            })?,
        };
        recs_to_py(py, recs)
    }

    /// Why listing `id` scores what it scores for this buyer, with the
    /// numbers behind every claim (what an agent may quote).
    ///
    /// Args:
    ///     prefs: the buyer's preferences, as for `recommend`.
    ///     id: the id of a listing in the catalog.
    ///
    /// Returns:
    ///     A dict with `id`, `total` (the score `recommend` gives it),
    ///     `passed` (whether it passes every hard filter, i.e. is ranked at
    ///     all), `components` (in profile order, each a dict with `name`,
    ///     `asked`, `known`, `score` (None when unknown or not asked),
    ///     `weight` (the profile's), `share` (of the total, among the known
    ///     components), `contribution` (`share × score`; the contributions
    ///     add up to `total` exactly), `inputs` (`{"listing": ..., "ask":
    ///     ...}`: the listing's value and the request's side) and
    ///     `sentence` (the reason rendered from them)), `filters` (each
    ///     `{name, passed, listing, ask, detail}`), `reasons` (exactly those
    ///     of `recommend`, after "Removed by <filter>: ..." for each failed filter),
    ///     `predicted_price`, `listed_price`, `price_source`, `currency`
    ///     and, for a sale with a rent estimate, `metrics`.
    ///
    /// Raises:
    ///     NotFoundError: no listing has this id.
    ///     UnknownFieldError, InvalidFieldError, MiraTypeError: bad
    ///         preferences, as `recommend` raises them.
    ///
    /// Example:
    ///     >>> e = engine.explain({"budget": 500_000, "min_bedrooms": 3}, 1)
    ///     >>> sum(c["contribution"] for c in e["components"]) == e["total"]
    ///     True
    #[pyo3(signature = (prefs, id))]
    fn explain<'py>(
        &self,
        py: Python<'py>,
        prefs: &Bound<'py, PyAny>,
        id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let prefs = prefs_from_py(prefs)?;
        let id = convert::id_from_py(id)?;
        let explanation = guard::run(py, Place::Caller, || self.inner.explain(&prefs, &id))?;
        convert::serde_to_py(py, &explanation)
    }

    /// Like `recommend`, with what the request was answered over.
    ///
    /// Args:
    ///     prefs: the buyer's preferences, as for `recommend`.
    ///     k: how many results, 3 by default.
    ///     offset: how many of the best results to skip, 0 by default.
    ///
    /// Returns:
    ///     dict: `results`, the list of `Recommendation`s `recommend` would
    ///     return, and `stats`, a dict of `currency` (the request's: the one
    ///     it named, or the catalog's only one), `catalog_listings` (listings
    ///     in the catalog) and `other_currency` (listings left out because
    ///     they are priced in another currency).
    ///
    /// Raises:
    ///     The errors of `recommend`; a catalog that mixes currencies needs
    ///     `currency` in the preferences (InvalidFieldError naming
    ///     `currency` and the catalog's currencies).
    ///
    /// Example:
    ///     >>> answer = engine.recommend_with_stats({"budget": 500_000}, k=1)
    ///     >>> answer["stats"]
    ///     {'catalog_listings': 2, 'currency': 'USD', 'other_currency': 0}
    #[pyo3(
        signature = (prefs, k=None, offset=None),
        text_signature = "(self, prefs, k=3, offset=0)"
    )]
    fn recommend_with_stats<'py>(
        &self,
        py: Python<'py>,
        prefs: &Bound<'py, PyAny>,
        k: Option<&Bound<'py, PyAny>>,
        offset: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let k = k.map_or(Ok(3), |k| convert::count(k, "k"))?;
        let offset = offset.map_or(Ok(0), |o| convert::count(o, "offset"))?;
        let prefs = prefs_from_py(prefs)?;
        let answer = guard::run(py, Place::Pool, || {
            self.inner.recommend_with_stats(&prefs, k, offset)
        })?;
        let out = PyDict::new(py);
        out.set_item("results", recs_to_py(py, answer.results)?)?;
        out.set_item("stats", convert::serde_to_py(py, &answer.stats)?)?;
        Ok(out)
    }

    /// The best `k` listings for each of many buyers, computed in parallel.
    ///
    /// Args:
    ///     prefs: a list (any iterable) of preference dicts, each as for
    ///         `recommend` (see `agent_mira.Preferences`).
    ///     k: how many results per buyer, 3 by default.
    ///
    /// Returns:
    ///     list[list[Recommendation]]: one list per buyer, in input order.
    ///
    /// Raises:
    ///     UnknownFieldError, InvalidFieldError: a bad preference dict; the
    ///         message names it (`preferences #1`), the field and the value.
    ///     MiraTypeError: `prefs` is a single dict or not iterable, or `k` is
    ///         not an int.
    ///
    /// Example:
    ///     >>> batch = engine.recommend_batch([{"budget": 400_000}, {"min_bedrooms": 3}], k=1)
    ///     >>> [[rec.id for rec in recs] for recs in batch]
    ///     [[2], [1]]
    #[pyo3(signature = (prefs, k=None), text_signature = "(self, prefs, k=3)")]
    fn recommend_batch<'py>(
        &self,
        py: Python<'py>,
        prefs: &Bound<'py, PyAny>,
        k: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let k = k.map_or(Ok(3), |k| convert::count(k, "k"))?;
        if prefs.is_instance_of::<PyString>() || prefs.cast::<pyo3::types::PyMapping>().is_ok() {
            return Err(errors::type_error(format!(
                "recommend_batch: expected a list of preference dicts, got {}",
                prefs.get_type().name()?
            )));
        }
        let mut all = Vec::new();
        for (i, p) in prefs
            .try_iter()
            .map_err(|_| {
                errors::type_error("recommend_batch: expected a list of preference dicts")
            })?
            .enumerate()
        {
            let p = p?;
            let record = RecordRef::Other(format!("preferences #{i}"));
            let mode = Mode {
                record: &record,
                nan_is_missing: false,
            };
            let value = convert::object(&p, mode, "preferences")?;
            all.push(guard::quick(|| {
                Preferences::from_json(value).map_err(|e| e.at_request(i))
            })?);
        }
        let batches = guard::run(py, Place::Pool, || self.inner.recommend_batch(&all, k))?;
        let out = PyList::empty(py);
        for recs in batches {
            out.append(recs_to_py(py, recs)?)?;
        }
        Ok(out)
    }

    /// "Homes like this one": the `k` listings most like listing `id`
    /// (itself left out) that pass the filters, best first.
    ///
    /// Similarity is the cosine of the two listings' vectors: their
    /// `embedding`s when the catalog's listings have them, else the
    /// built-in structured embedding (standardised numeric features,
    /// location, type and amenities). Each result's `score` and its one
    /// component, `similarity`, are `100 × max(0, cos)`; equal scores are
    /// ranked by id order; listings without a vector are left out. The
    /// reasons give the similarity, then what the two share ("Same 3 bd /
    /// 2 ba", "0.8 km away", "Built within 5 years (2003 vs 1998)"). Runs
    /// without the GIL.
    ///
    /// Args:
    ///     id: the listing's id (`int` or `str`, as in the catalog).
    ///     k: how many results, 10 by default (at most
    ///         `agent_mira.MAX_RESULTS`).
    ///     **filters: the hard filters (`agent_mira.types.SimilarFilters`):
    ///         `listing_type` (`"sale"`, `"long_term_rent"`, ...),
    ///         `property_types` (a list: `["condo", "townhouse"]`),
    ///         `max_price` (the listed price, or a rental's rent per month,
    ///         in `currency`) and `currency` (ISO 4217; needed beside
    ///         `max_price` when the catalog mixes currencies). A filter
    ///         given as None is not applied.
    ///
    /// Returns:
    ///     list[Recommendation]: at most `k`.
    ///
    /// Raises:
    ///     InvalidFieldError: an id not in the catalog, a listing without a
    ///         vector, `k` over `MAX_RESULTS`, a bad filter value (the
    ///         message names it).
    ///     UnknownFieldError: a filter the engine does not know ("did you
    ///         mean `max_price`?").
    ///     MiraTypeError: `id` is neither an `int` nor a `str`, or `k` not
    ///         an int.
    ///
    /// Example:
    ///     >>> [(r.id, r.components) for r in engine.similar(1, k=1)]
    ///     [(2, {'similarity': 0.0})]
    #[pyo3(
        signature = (id, k=None, **filters),
        text_signature = "(self, id, k=10, **filters)"
    )]
    fn similar<'py>(
        &self,
        py: Python<'py>,
        id: &Bound<'py, PyAny>,
        k: Option<&Bound<'py, PyAny>>,
        filters: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let id = convert::id_from_py(id)?;
        let k = k.map_or(Ok(10), |k| convert::count(k, "k"))?;
        let filters = similar_filters(filters)?;
        let recs = guard::run(py, Place::Pool, || self.inner.similar(&id, k, &filters))?;
        recs_to_py(py, recs)
    }

    /// `similar` for many listings at once, computed in parallel: "homes
    /// like this one" under each of a page of results.
    ///
    /// Args:
    ///     ids: a list (any iterable, or a NumPy integer array) of listing
    ///         ids.
    ///     k: how many results per listing, 10 by default.
    ///     **filters: the hard filters, as for `similar`, applied to every
    ///         listing's results.
    ///
    /// Returns:
    ///     list[list[Recommendation]]: one list per id, in input order;
    ///     each equal to `similar(id, k, **filters)`.
    ///
    /// Raises:
    ///     The errors of `similar` (the first bad id in input order);
    ///     MiraTypeError: `ids` is a single id or not iterable.
    ///
    /// Example:
    ///     >>> [[r.id for r in recs] for recs in engine.similar_batch([1, 2], k=1)]
    ///     [[2], [1]]
    #[pyo3(
        signature = (ids, k=None, **filters),
        text_signature = "(self, ids, k=10, **filters)"
    )]
    fn similar_batch<'py>(
        &self,
        py: Python<'py>,
        ids: &Bound<'py, PyAny>,
        k: Option<&Bound<'py, PyAny>>,
        filters: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyList>> {
        if ids.is_instance_of::<PyString>() || ids.is_instance_of::<pyo3::types::PyInt>() {
            return Err(errors::type_error(format!(
                "similar_batch: expected a list of ids, got {}",
                ids.get_type().name()?
            )));
        }
        let ids = crate::vectors::ids_arg(ids)?;
        let k = k.map_or(Ok(10), |k| convert::count(k, "k"))?;
        let filters = similar_filters(filters)?;
        let all = guard::run(py, Place::Pool, || {
            use rayon::prelude::*;
            let each: Vec<mira::Result<Vec<Recommendation>>> = ids
                .par_iter()
                .map(|id| self.inner.similar(id, k, &filters))
                .collect();
            each.into_iter().collect::<mira::Result<Vec<_>>>()
        })?;
        let out = PyList::empty(py);
        for recs in all {
            out.append(recs_to_py(py, recs)?)?;
        }
        Ok(out)
    }

    /// Plain search: the listings that pass the filters, sorted and paged,
    /// without scoring (a listings site's search box). Runs in Rust
    /// without the GIL.
    ///
    /// Args:
    ///     **query: the filters, order and page
    ///         (`agent_mira.types.SearchQuery`): `ids` (only these
    ///         listings: a lookup by id), `location` (matched as a
    ///         buyer's `location` is), `min_price` / `max_price` (the listed
    ///         price, or a rental's rent per month, in `currency`),
    ///         `min_bedrooms` / `max_bedrooms`, `min_bathrooms`,
    ///         `min_size_sqft`, `listing_type`, `property_types`,
    ///         `currency`, `must_have_amenities`, `sort` (`"price_asc"`, the
    ///         default, `"price_desc"`, `"newest"` or `"id"`; ties by id),
    ///         `offset` (default 0) and `limit` (default 10, at most
    ///         `agent_mira.MAX_RESULTS`). A key given as None is not
    ///         applied; a listing lacking a field a filter reads is left
    ///         out.
    ///
    /// Returns:
    ///     dict: `total` (how many listings match, before paging),
    ///     `offset` and `results`: at most `limit` listing dicts (as
    ///     `Engine.get` returns them) each with `predicted_price` added
    ///     (the engine's, as in its recommendations).
    ///
    /// Raises:
    ///     InvalidFieldError: a bad value (the message names the field and
    ///         the expectation), or a price filter without `currency` in a
    ///         catalog that mixes currencies.
    ///     UnknownFieldError: a key the engine does not know ("did you mean
    ///         `max_price`?").
    ///
    /// Example:
    ///     >>> page = engine.search(max_price=400_000)
    ///     >>> page["total"], [(r["id"], r["predicted_price"]) for r in page["results"]]
    ///     (1, [(2, 380000.0)])
    #[pyo3(signature = (**query))]
    fn search<'py>(
        &self,
        py: Python<'py>,
        query: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let record = RecordRef::Other("search query".into());
        let mode = Mode {
            record: &record,
            nan_is_missing: false,
        };
        let value = match query {
            Some(q) => convert::to_value(q.as_any(), mode, "")?,
            None => serde_json::Value::Object(serde_json::Map::new()),
        };
        let query = guard::quick(|| SearchQuery::from_json(value))?;
        let page = guard::run(py, Place::Pool, || self.inner.search(&query))?;
        convert::serde_to_py(py, &page)
    }

    /// The listing with this id, as a dict, or `default`.
    ///
    /// Args:
    ///     id: the listing's id (`int` or `str`, as given to the catalog).
    ///     default: what to return when no listing has this id (None by
    ///         default).
    ///
    /// Returns:
    ///     dict | Any: the listing's fields, or `default`.
    ///
    /// Raises:
    ///     MiraTypeError: `id` is neither an `int` nor a `str`.
    ///
    /// Example:
    ///     >>> engine.get(2)["price"]
    ///     380000.0
    ///     >>> engine.get(99, "none")
    ///     'none'
    #[pyo3(signature = (id, default=None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        id: &Bound<'py, PyAny>,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let id = convert::id_from_py(id)?;
        match self.inner.get(&id) {
            Some(p) => convert::serde_to_py(py, p),
            None => Ok(default.unwrap_or_else(|| py.None().into_bound(py))),
        }
    }

    /// Counters and facts about this engine.
    ///
    /// Returns:
    ///     dict: `catalog_version`, `listings`, `profile`, `price_source`,
    ///     `current_year`, the counters `queries`, `batches`, `results`,
    ///     `unknown_fields`: the input fields no listing in the catalog has
    ///     (e.g. `["school_rating", "commute_time"]`; `"estimated_rent"`
    ///     when the profile scores rents and no listing has a rent
    ///     estimate), left out of every score and said here once instead of
    ///     as "unknown" in every result's reasons, `rent_estimates` (sale
    ///     listings with a rent estimate, their own or the rent model's)
    ///     and `rent_model_estimates` (of those, the rent model's), and
    ///     the vectors: `embedding_dim` (0 without vectors),
    ///     `listings_with_embedding` and `embedding_bytes_per_listing`.
    ///
    /// Raises:
    ///     None.
    ///
    /// Example:
    ///     >>> engine.stats()["listings"]
    ///     2
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serde_to_py(py, &self.inner.stats())
    }

    /// The `Catalog` served.
    #[getter]
    fn catalog(&self, py: Python<'_>) -> Py<PyCatalog> {
        self.catalog.clone_ref(py)
    }

    /// The `PriceModel`, or None when the listed price is the prediction.
    #[getter]
    fn model(&self, py: Python<'_>) -> Option<Py<PyPriceModel>> {
        self.model.as_ref().map(|m| m.clone_ref(py))
    }

    /// The rent model (a `PriceModel` predicting the rent per month), or
    /// None.
    #[getter]
    fn rent_model(&self, py: Python<'_>) -> Option<Py<PyPriceModel>> {
        self.rent_model.as_ref().map(|m| m.clone_ref(py))
    }

    /// The scoring profile, as a dict (pass it back as `profile=`).
    #[getter]
    fn profile<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        convert::serde_to_py(py, self.inner.profile())
    }

    /// The year listing ages are computed from.
    #[getter]
    fn current_year(&self) -> i32 {
        self.inner.current_year()
    }

    /// An engine with the same models, profile and year over another catalog
    /// (e.g. after `Catalog.upsert`); counters carry over, requests already
    /// running finish on this one.
    ///
    /// Args:
    ///     catalog: the new `Catalog`.
    ///
    /// Returns:
    ///     Engine: a new engine; this one is unchanged.
    ///
    /// Raises:
    ///     TypeError: `catalog` is not a `Catalog`.
    ///
    /// Example:
    ///     >>> bigger = engine.with_catalog(engine.catalog.upsert([{"id": 3, "price": 300_000}]))
    ///     >>> bigger.stats()["listings"]
    ///     3
    fn with_catalog(&self, py: Python<'_>, catalog: &Bound<'_, PyCatalog>) -> PyResult<Self> {
        let c = catalog.get().inner.clone();
        let inner = guard::run(py, Place::Pool, || self.inner.with_catalog(c))?;
        Ok(PyEngine {
            inner,
            catalog: catalog.clone().unbind(),
            model: self.model.as_ref().map(|m| m.clone_ref(py)),
            rent_model: self.rent_model.as_ref().map(|m| m.clone_ref(py)),
        })
    }

    /// The price the engine's model predicts for one listing record.
    ///
    /// Args:
    ///     record: a listing dict, as for `Catalog.from_records` (`id` and
    ///         `price` are required).
    ///
    /// Returns:
    ///     dict: `price` (dollars), `in_domain` (whether the listing looks
    ///     like the training data) and `warnings` (why not).
    ///
    /// Raises:
    ///     UnsupportedError: the engine has no price model.
    ///     MissingFieldError, InvalidFieldError: a bad record (the message
    ///         names the field and the value).
    ///
    /// Example:
    ///     >>> engine.predict_price({"id": 9, "price": 500_000})
    ///     Traceback (most recent call last):
    ///     ...
    ///     agent_mira.exceptions.UnsupportedError: ...
    fn predict_price(&self, py: Python<'_>, record: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        crate::model::engine_predict_price(py, &self.inner, record)
    }

    /// The rent per month the engine's rent model estimates for one listing
    /// record (its `estimated_rent`, if any, is not consulted: this is the
    /// model's own figure).
    ///
    /// Args:
    ///     record: a listing dict, as for `Catalog.from_records` (`id` and
    ///         `price` are required).
    ///
    /// Returns:
    ///     dict: `price` (the rent per month, in the currency the rent
    ///     model was trained in), `in_domain` (whether the listing looks
    ///     like the rent model's training data) and `warnings` (why not).
    ///
    /// Raises:
    ///     UnsupportedError: the engine has no rent model.
    ///     MissingFieldError, InvalidFieldError: a bad record (the message
    ///         names the field and the value).
    ///
    /// Example:
    ///     >>> engine.estimate_rent({"id": 9, "price": 500_000})
    ///     Traceback (most recent call last):
    ///     ...
    ///     agent_mira.exceptions.UnsupportedError: ...
    fn estimate_rent(&self, py: Python<'_>, record: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        crate::model::engine_estimate_rent(py, &self.inner, record)
    }

    /// Every investment metric of one listing: gross yield, price-to-rent,
    /// net operating income, cap rate and value gap, and with a mortgage
    /// (`mortgage_rate` given) the monthly cash flow and cash-on-cash
    /// return. Formulas and defaults: the `agent_mira::investment` crate
    /// docs (5 % vacancy, 35 % expenses, 3 % closing costs, 20 % down over
    /// 30 years). Rates and shares are fractions (0.065 for 6.5 %).
    ///
    /// Args:
    ///     listing: a listing dict or the id of a listing of the engine's
    ///         catalog; its rent is its `estimated_rent` (per month), else
    ///         the engine's rent model's estimate.
    ///     down_payment: share of the price paid in cash (default 0.2);
    ///         needs `mortgage_rate`.
    ///     mortgage_rate: yearly rate of the mortgage (0.065 for 6.5 %); with
    ///         it the result has the cash flow and cash-on-cash return.
    ///     mortgage_years: term of the mortgage (default 30); needs
    ///         `mortgage_rate`.
    ///     expense_ratio: operating expenses as a share of the rent
    ///         collected (default 0.35).
    ///     vacancy: share of the year the home stands empty (default 0.05).
    ///     closing_costs: closing costs as a share of the price (default
    ///         0.03).
    ///
    /// Returns:
    ///     dict: `estimated_rent`, `rent_source` (`"given"` or `"model"`),
    ///     `gross_yield`, `price_to_rent`, `net_operating_income`,
    ///     `cap_rate`, `mortgage_payment`, `monthly_cash_flow`,
    ///     `cash_on_cash` (these three None without a mortgage) and
    ///     `value_gap` (None without a price model): the shape of
    ///     `Recommendation.metrics`.
    ///
    /// Raises:
    ///     InvalidFieldError: a listing without `estimated_rent` on an
    ///         engine without a rent model, an id not in the catalog, or
    ///         terms out of range (named).
    ///     UnknownFieldError: a term the engine does not know.
    ///
    /// Example:
    ///     >>> m = engine.analyze_investment(
    ///     ...     {"id": 9, "price": 400_000, "estimated_rent": 2_500}, mortgage_rate=0.065)
    ///     >>> m["gross_yield"], round(m["monthly_cash_flow"], 2)
    ///     (0.075, -478.87)
    #[pyo3(signature = (
        listing, *, down_payment=None, mortgage_rate=None, mortgage_years=None,
        expense_ratio=None, vacancy=None, closing_costs=None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn analyze_investment<'py>(
        &self,
        py: Python<'py>,
        listing: &Bound<'py, PyAny>,
        down_payment: Option<&Bound<'py, PyAny>>,
        mortgage_rate: Option<&Bound<'py, PyAny>>,
        mortgage_years: Option<&Bound<'py, PyAny>>,
        expense_ratio: Option<&Bound<'py, PyAny>>,
        vacancy: Option<&Bound<'py, PyAny>>,
        closing_costs: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let terms_record = RecordRef::Other("investment terms".into());
        let mode = Mode {
            record: &terms_record,
            nan_is_missing: false,
        };
        let mut terms = serde_json::Map::new();
        for (name, value) in [
            ("down_payment", down_payment),
            ("mortgage_rate", mortgage_rate),
            ("mortgage_years", mortgage_years),
            ("expense_ratio", expense_ratio),
            ("vacancy", vacancy),
            ("closing_costs", closing_costs),
        ] {
            if let Some(v) = value {
                terms.insert(name.to_string(), convert::to_value(v, mode, name)?);
            }
        }
        let property = if listing.is_instance_of::<pyo3::types::PyDict>()
            || listing.cast::<pyo3::types::PyMapping>().is_ok()
        {
            let at = RecordRef::Other("listing".into());
            let mode = Mode {
                record: &at,
                nan_is_missing: false,
            };
            let value = convert::object(listing, mode, "a listing")?;
            let year = self.inner.current_year();
            guard::quick(|| Property::from_json(value, &at, year))?
        } else {
            let id = convert::id_from_py(listing)?;
            match self.inner.get(&id) {
                Some(p) => p.clone(),
                None => {
                    return Err(errors::to_py(MiraError::invalid(
                        RecordRef::Other("analyze_investment".into()),
                        "listing",
                        id.to_string(),
                        "a listing dict or the id of a listing in the catalog",
                    )))
                }
            }
        };
        let metrics = guard::run(py, Place::Caller, || {
            let terms = InvestmentTerms::from_json(serde_json::Value::Object(terms))?;
            self.inner.analyze_investment(&property, &terms)
        })?;
        convert::serde_to_py(py, &metrics)
    }

    /// What the engine's price model is: its model card.
    ///
    /// Returns:
    ///     dict | None: the model card (name, origin, features, training
    ///     domain, held-out metrics, ...), or None without a model.
    ///
    /// Raises:
    ///     None.
    ///
    /// Example:
    ///     >>> engine.model_info() is None
    ///     True
    fn model_info<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::model::engine_model_info(py, &self.inner, self.model.as_ref().map(|m| m.get()))
    }

    fn __repr__(&self) -> String {
        let s = self.inner.stats();
        format!(
            "Engine(listings={}, catalog_version={}, profile='{}', price_source='{}', current_year={})",
            s.listings,
            s.catalog_version,
            s.profile,
            s.price_source.as_str(),
            s.current_year
        )
    }

    /// Pickling: rebuilt from its catalog (snapshot), models, profile and
    /// year. Counters start at zero in the copy.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let me = slf.get();
        let args = PyTuple::new(
            py,
            [
                me.catalog.bind(py).clone().into_any(),
                me.model.as_ref().map_or_else(
                    || py.None().into_bound(py),
                    |m| m.bind(py).clone().into_any(),
                ),
                me.profile(py)?,
                me.inner.current_year().into_pyobject(py)?.into_any(),
                me.rent_model.as_ref().map_or_else(
                    || py.None().into_bound(py),
                    |m| m.bind(py).clone().into_any(),
                ),
            ],
        )?;
        PyTuple::new(py, [slf.get_type().into_any(), args.into_any()])
    }
}
