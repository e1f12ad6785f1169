//! [`Engine`]: a catalog, a scoring profile and buyer-independent values
//! prepared once, answering `recommend` requests in one parallel pass.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::clock::this_year;
use crate::error::{MiraError, RecordRef, Result};
use crate::explain;
use crate::investment::{InvestmentMetrics, InvestmentTerms, RentSource};
use crate::listing::{Currency, Property, PropertyId};
use crate::model::{ModelCard, Valuation, ValuationModel};
use crate::preferences::Preferences;
use crate::rank::{self, PruningIndexes, Ranked, Threads};
use crate::scoring::{Measure, Plan, Prepared, PriceSource, Profile};

pub use crate::limits::{MAX_BATCH, MAX_RESULTS};
pub use explanation::{ComponentExplanation, Explanation, FilterCheck};
pub use search::{SearchHit, SearchPage, SearchQuery, SearchSort, SEARCH_QUERY_FIELDS};
pub use similar::{SimilarFilters, SIMILAR_FILTER_FIELDS};

mod explanation;
mod search;
mod similar;

/// One recommended listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// The listing's id, as given.
    pub id: PropertyId,
    /// Total score, 0..=100.
    pub score: f64,
    /// Score of each component that could be scored, 0..=100.
    pub components: BTreeMap<String, f64>,
    /// Predicted price in `currency` (the listed price when there is no
    /// model); for a rental, per its `rent_period`.
    pub predicted_price: f64,
    /// The listed price in `currency`; for a rental, the rent per its
    /// `rent_period` (see `rent_per_month`).
    pub listed_price: f64,
    /// Where `predicted_price` came from.
    pub price_source: PriceSource,
    /// Components left out because the listing lacks their data.
    pub unknown: Vec<String>,
    /// Why, in plain words.
    pub reasons: Vec<String>,
    /// The currency of `listed_price` and `predicted_price`: the listing's
    /// `currency` (USD when it names none).
    pub currency: Currency,
    /// A rental's rent per month, by the rule of
    /// [`RentPeriod::per_month`](crate::RentPeriod::per_month) (a week is
    /// 52/12 of a month, a night 365/12); `None` for a listing that is not
    /// a rental.
    pub rent_per_month: Option<f64>,
    /// For a sale listing with a rent estimate (its own `estimated_rent`,
    /// or the engine's rent model's): every investment metric on the
    /// request's terms (its `vacancy`, `expense_ratio`, `closing_costs`
    /// and mortgage; the defaults where it names none), rates as fractions.
    /// `None` for a rental or a listing without a rent estimate. See
    /// [`crate::investment`] for the formulas. Left out of JSON when
    /// `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<InvestmentMetrics>,
}

/// An answer with what was left out of it: [`Engine::recommend_with_stats`].
///
/// ```
/// use agent_mira::{Catalog, Currency, Engine, Preferences, Property};
/// let mut b = Catalog::builder();
/// for (id, price, currency) in [(1u64, 38_000.0, "INR"), (2, 2_300.0, "USD"), (3, 30_000.0, "INR")] {
///     let mut p = Property::new(id, price);
///     p.currency = Some(currency.parse().unwrap());
///     b.push(p).unwrap();
/// }
/// let engine = Engine::builder(b.build()).current_year(2025).build();
/// let inr: Currency = "INR".parse().unwrap();
/// let prefs = Preferences { budget: Some(40_000.0), currency: Some(inr), ..Default::default() };
/// let answer = engine.recommend_with_stats(&prefs, 10, 0)?;
/// assert_eq!(answer.results.len(), 2);
/// assert_eq!(answer.results[0].currency, inr);
/// assert_eq!((answer.stats.catalog_listings, answer.stats.other_currency), (3, 1));
/// // Without a currency, a catalog that mixes them refuses the request.
/// let err = engine.recommend(&Preferences::default(), 10).unwrap_err();
/// assert!(err.to_string().starts_with("preferences: field `currency` = (absent)"), "{err}");
/// # Ok::<(), agent_mira::MiraError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// The recommendations, best first.
    pub results: Vec<Recommendation>,
    /// What the request was answered over.
    pub stats: AnswerStats,
}

/// What a request was answered over ([`Answer::stats`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerStats {
    /// The request's currency: the one it named, or the catalog's only one
    /// (USD for an empty catalog).
    pub currency: Currency,
    /// Listings in the catalog.
    pub catalog_listings: usize,
    /// Listings left out because they are priced in another currency.
    pub other_currency: usize,
}

/// Counters and facts about an engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngineStats {
    /// Version of the catalog the engine serves.
    pub catalog_version: u64,
    /// Number of listings.
    pub listings: usize,
    /// Scoring profile name.
    pub profile: String,
    /// Where predicted prices come from.
    pub price_source: PriceSource,
    /// The year ages are computed from.
    pub current_year: i32,
    /// Requests answered (a batch counts each buyer).
    pub queries: u64,
    /// Batch calls answered.
    pub batches: u64,
    /// Results returned.
    pub results: u64,
    /// Input fields no listing in the catalog has (`"school_rating"`,
    /// `"commute_time"`…; `"estimated_rent"` when the profile scores rents
    /// and no listing has a rent estimate): left out of every score, and
    /// said here once instead of as "unknown" in every result's reasons.
    pub unknown_fields: Vec<String>,
    /// Sale listings with a rent estimate (their own `estimated_rent` or
    /// the rent model's).
    pub rent_estimates: usize,
    /// Of those, the ones the rent model estimated.
    pub rent_model_estimates: usize,
    /// The catalog's embedding dimension (0 when no listing has an
    /// `embedding`: similarity then uses the structured embedding).
    pub embedding_dim: usize,
    /// Listings with an `embedding`.
    pub listings_with_embedding: usize,
    /// Bytes the embeddings take per listing (`4 × dim + 1`; 0 without
    /// embeddings).
    pub embedding_bytes_per_listing: usize,
}

#[derive(Debug, Default)]
struct Counters {
    queries: AtomicU64,
    batches: AtomicU64,
    results: AtomicU64,
}

#[derive(Debug)]
struct State {
    catalog: Catalog,
    profile: Profile,
    prepared: Prepared,
    model: Option<Arc<ValuationModel>>,
    rent_model: Option<Arc<ValuationModel>>,
    pruning: bool,
    /// Pruning indexes built so far for this catalog version, one per set
    /// of static components and weights (see [`EngineBuilder::pruning`]).
    indexes: PruningIndexes,
}

impl State {
    fn new(
        catalog: Catalog,
        profile: Profile,
        prepared: Prepared,
        models: Models,
        pruning: bool,
    ) -> State {
        State {
            catalog,
            profile,
            prepared,
            model: models.price,
            rent_model: models.rent,
            pruning,
            indexes: PruningIndexes::new(),
        }
    }
}

/// An engine's models: the price model and the rent model, each optional.
#[derive(Debug, Clone, Default)]
struct Models {
    price: Option<Arc<ValuationModel>>,
    rent: Option<Arc<ValuationModel>>,
}

/// The buyer-independent values of `catalog`: predicted prices (`predicted`,
/// or the price model's), rent estimates (given, else the rent model's),
/// and the profile's static scores.
fn prepare(
    catalog: &Catalog,
    year: i32,
    profile: &Profile,
    predicted: Option<Vec<f64>>,
    rent_model: Option<&ValuationModel>,
) -> Result<Prepared> {
    let mut prepared = Prepared::new(catalog, year, predicted);
    if let Some(model) = rent_model {
        prepared = prepared.with_model_rents(
            catalog,
            &model.predict_catalog(catalog)?,
            &model.card().training_domain,
        );
    }
    Ok(prepared.with_static_scores(profile, catalog.columns()))
}

/// Refuse to estimate the rent of `listing` with `model` when the listing
/// is priced in a currency the model's training listings were not (its
/// estimate would be an amount in another currency).
fn check_rent_currency(
    model: &ValuationModel,
    listing: &Property,
    record: RecordRef,
) -> Result<()> {
    let domain = &model.card().training_domain;
    if domain.knows_currency_of(listing) {
        return Ok(());
    }
    Err(MiraError::invalid(
        record,
        "currency",
        format!("{:?}", listing.currency.unwrap_or(Currency::USD).code()),
        format!(
            "a currency the rent model was trained in ({}): its estimates are amounts in it",
            domain.currency_list()
        ),
    ))
}

/// The recommendation engine. Cheap to clone; clones share counters.
///
/// ```
/// use agent_mira::{Catalog, Engine, Preferences, Property};
/// let mut b = Catalog::builder();
/// for (id, price, beds) in [(1u64, 400_000.0, 3), (2, 520_000.0, 4), (3, 380_000.0, 2)] {
///     let mut p = Property::new(id, price);
///     p.bedrooms = Some(beds);
///     b.push(p).unwrap();
/// }
/// let engine = Engine::builder(b.build()).profile_name("case-study").unwrap().current_year(2025).build();
/// let prefs = Preferences { budget: Some(450_000.0), min_bedrooms: Some(3), ..Default::default() };
/// let top = engine.recommend(&prefs, 2).unwrap();
/// assert_eq!(top[0].id, 1u64.into());
/// assert_eq!(top[0].score, 100.0);
/// assert_eq!(top[0].reasons[0], "Listed $400,000, within your $450,000 budget");
/// ```
#[derive(Debug, Clone)]
pub struct Engine {
    state: Arc<State>,
    counters: Arc<Counters>,
}

/// Settings for an [`Engine`].
#[derive(Debug, Clone)]
pub struct EngineBuilder {
    catalog: Catalog,
    profile: Profile,
    current_year: Option<i32>,
    predicted: Option<Vec<f64>>,
    model: Option<Arc<ValuationModel>>,
    rent_model: Option<Arc<ValuationModel>>,
    pruning: bool,
}

impl EngineBuilder {
    /// Score with this profile (default: [`Profile::balanced`]).
    pub fn profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }

    /// Score with a built-in profile: `balanced` or `case-study`.
    pub fn profile_name(self, name: &str) -> Result<Self> {
        Ok(self.profile(Profile::by_name(name)?))
    }

    /// The year ages are computed from (default: the clock's), so that results
    /// are reproducible.
    pub fn current_year(mut self, year: i32) -> Self {
        self.current_year = Some(year);
        self
    }

    /// Use these predicted prices (one per listing, catalog order) instead of
    /// the listed ones.
    pub fn predicted_prices(mut self, prices: Vec<f64>) -> Self {
        self.predicted = Some(prices);
        self
    }

    /// Predict every listing's price with this model (once per catalog
    /// version, in parallel) instead of using the listed prices. The model
    /// must carry a feature encoder.
    pub fn model(mut self, model: impl Into<Arc<ValuationModel>>) -> Self {
        self.model = Some(model.into());
        self
    }

    /// Estimate the monthly rent of every sale listing that gives no
    /// `estimated_rent` with this model (once per catalog version, in
    /// parallel): an ordinary price model trained on rental listings whose
    /// price is a rent per month, with a feature encoder. Results then
    /// carry investment metrics for those listings too, saying the rent
    /// came from the model (`rent_source` `model`), and the model card's
    /// domain check flags estimates for listings unlike its training data.
    ///
    /// ```
    /// use agent_mira::model::ValuationModel;
    /// use agent_mira::{Catalog, Engine, Preferences, Property};
    /// let rent_model = ValuationModel::load("../fixtures/models/india-rent/model.json")?;
    /// let mut flat = Property::new("flat-1", 9_500_000.0);
    /// flat.location = Some("Bandra West, Mumbai".into());
    /// flat.bedrooms = Some(2);
    /// flat.size_sqft = Some(850.0);
    /// flat.currency = Some("INR".parse().unwrap());
    /// let mut b = Catalog::builder();
    /// b.push(flat)?;
    /// let engine = Engine::builder(b.build()).rent_model(rent_model).current_year(2025).build();
    /// let top = engine.recommend(&Preferences::default(), 1)?;
    /// let metrics = top[0].metrics.expect("a rent estimate");
    /// assert_eq!(metrics.rent_source.as_str(), "model");
    /// assert_eq!(metrics.gross_yield, 12.0 * metrics.estimated_rent / 9_500_000.0);
    /// # Ok::<(), agent_mira::MiraError>(())
    /// ```
    pub fn rent_model(mut self, model: impl Into<Arc<ValuationModel>>) -> Self {
        self.rent_model = Some(model.into());
        self
    }

    /// Whether requests may skip listings that provably cannot make the
    /// top `k` (default: on). With pruning, a request scores listings in
    /// order of an upper bound on their score (the buyer-independent part
    /// of it, precomputed and sorted once per catalog version, on the first
    /// request that needs it) and stops when no listing left can reach the
    /// `k`-th best; typical buyers then score a few dozen listings instead
    /// of the whole catalog. Results are identical either way (same scores,
    /// same order); when the bounds do not separate (a buyer few listings
    /// suit, or a profile whose score depends mostly on the buyer, such as
    /// `balanced`) a request gives up pruning and scans it all. Its budget
    /// is a sixteenth of the catalog (at least 2 048 listings): it gives up
    /// after 64 listings scored when more than eight budgets' worth could
    /// still qualify (half of a large catalog), after 256 when more than
    /// the budget could, at the latest once it has scored the budget. Catalogs under 256
    /// listings are always scanned in full. Turn it off to measure the
    /// full scan. (The full scan itself still screens: once it keeps `k`
    /// listings, a listing is scored in full only if a first look at part
    /// of its score, plus the most the rest could add, reaches the worst
    /// kept score — again with identical results.)
    ///
    /// ```
    /// use agent_mira::{Catalog, Engine, Preferences, Property};
    /// let mut b = Catalog::builder();
    /// for i in 0..2_000u64 {
    ///     let mut p = Property::new(i, 200_000.0 + (i % 97) as f64 * 5_000.0);
    ///     p.bedrooms = Some(1 + (i % 4) as u32);
    ///     p.school_rating = Some((i % 11) as f64);
    ///     p.commute_time = Some((i % 50) as f64);
    ///     b.push(p).unwrap();
    /// }
    /// let catalog = b.build();
    /// let engine = |pruning| {
    ///     Engine::builder(catalog.clone())
    ///         .profile_name("case-study").unwrap()
    ///         .current_year(2025)
    ///         .pruning(pruning)
    ///         .build()
    /// };
    /// let prefs = Preferences { budget: Some(400_000.0), min_bedrooms: Some(3), ..Default::default() };
    /// assert_eq!(engine(true).recommend(&prefs, 5)?, engine(false).recommend(&prefs, 5)?);
    /// # Ok::<(), agent_mira::MiraError>(())
    /// ```
    pub fn pruning(mut self, on: bool) -> Self {
        self.pruning = on;
        self
    }

    /// Validate the settings and prepare the buyer-independent values.
    pub fn try_build(mut self) -> Result<Engine> {
        self.profile.validate()?;
        if let Some(model) = &self.model {
            if self.predicted.is_some() {
                return Err(MiraError::invalid(
                    RecordRef::Other("engine settings".into()),
                    "predicted_prices",
                    "given together with a model",
                    "either a model or predicted prices, not both",
                ));
            }
            self.predicted = Some(model.predict_catalog(&self.catalog)?);
        }
        if let Some(p) = &self.predicted {
            if p.len() != self.catalog.len() {
                return Err(MiraError::invalid(
                    RecordRef::Other("engine settings".into()),
                    "predicted_prices",
                    format!("{} prices", p.len()),
                    format!("one per listing ({})", self.catalog.len()),
                ));
            }
            if let Some((row, v)) = p
                .iter()
                .enumerate()
                .find(|(_, v)| !(v.is_finite() && **v > 0.0))
            {
                return Err(MiraError::invalid(
                    RecordRef::Id(self.catalog.property(row).id.to_string()),
                    "predicted_price",
                    v,
                    "a finite number > 0",
                ));
            }
        }
        let year = self.current_year.unwrap_or_else(this_year);
        let prepared = prepare(
            &self.catalog,
            year,
            &self.profile,
            self.predicted,
            self.rent_model.as_deref(),
        )?;
        Ok(Engine {
            state: Arc::new(State::new(
                self.catalog,
                self.profile,
                prepared,
                Models {
                    price: self.model,
                    rent: self.rent_model,
                },
                self.pruning,
            )),
            counters: Arc::default(),
        })
    }

    /// Like [`EngineBuilder::try_build`], for settings that cannot fail
    /// (built-in profiles, no predicted prices).
    ///
    /// # Panics
    /// When the profile or predicted prices are invalid; use `try_build` for
    /// settings that come from outside.
    pub fn build(self) -> Engine {
        self.try_build().expect("valid engine settings")
    }
}

impl Engine {
    /// Start configuring an engine over `catalog`.
    pub fn builder(catalog: Catalog) -> EngineBuilder {
        EngineBuilder {
            catalog,
            profile: Profile::balanced(),
            current_year: None,
            predicted: None,
            model: None,
            rent_model: None,
            pruning: true,
        }
    }

    /// An engine with the default (`balanced`) profile and the clock's year.
    pub fn new(catalog: Catalog) -> Engine {
        Engine::builder(catalog).build()
    }

    /// The best `k` listings for a buyer.
    pub fn recommend(&self, prefs: &Preferences, k: usize) -> Result<Vec<Recommendation>> {
        self.recommend_page(prefs, k, 0)
    }

    /// Results `offset .. offset + k` of the full ranking (pagination).
    pub fn recommend_page(
        &self,
        prefs: &Preferences,
        k: usize,
        offset: usize,
    ) -> Result<Vec<Recommendation>> {
        let out = self.answer(prefs, k, offset, Threads::Any)?;
        Ok(self.count(out.map(|a| a.results).unwrap_or_default()))
    }

    /// Results `offset .. offset + k` of the full ranking, with what the
    /// request was answered over: its currency, the catalog's size and how
    /// many listings were left out for being priced in another currency.
    /// See [`Answer`] for an example.
    pub fn recommend_with_stats(
        &self,
        prefs: &Preferences,
        k: usize,
        offset: usize,
    ) -> Result<Answer> {
        let mut out = self
            .answer(prefs, k, offset, Threads::Any)?
            .expect("any thread may answer");
        out.results = self.count(out.results);
        Ok(out)
    }

    /// Like [`Engine::recommend_page`], but only if the answer can be found
    /// on the calling thread without rayon: `Ok(None)` when it needs the
    /// parallel scan (a catalog over [`rank::CHUNK_ROWS`]
    /// listings whose pruning index is not built yet, or for which pruning
    /// gives up). Bindings use it to skip the hand-off to a thread pool for
    /// the many requests that pruning answers in microseconds.
    ///
    /// ```
    /// use agent_mira::{Catalog, Engine, Preferences, Property};
    /// let mut b = Catalog::builder();
    /// b.push(Property::new(1u64, 300_000.0)).unwrap();
    /// let engine = Engine::builder(b.build()).current_year(2025).build();
    /// let prefs = Preferences { budget: Some(350_000.0), ..Default::default() };
    /// // A small catalog is always answered on the calling thread.
    /// let top = engine.try_recommend_sequential(&prefs, 3, 0).unwrap().unwrap();
    /// assert_eq!(top.len(), 1);
    /// ```
    pub fn try_recommend_sequential(
        &self,
        prefs: &Preferences,
        k: usize,
        offset: usize,
    ) -> Result<Option<Vec<Recommendation>>> {
        let out = self.answer(prefs, k, offset, Threads::CallerOnly)?;
        Ok(out.map(|out| self.count(out.results)))
    }

    /// Count one answered request.
    fn count(&self, out: Vec<Recommendation>) -> Vec<Recommendation> {
        self.counters.queries.fetch_add(1, Ordering::Relaxed);
        self.counters
            .results
            .fetch_add(out.len() as u64, Ordering::Relaxed);
        out
    }

    /// The best `k` listings for each of many buyers, computed in parallel.
    /// An invalid request fails the batch with an error naming its position.
    pub fn recommend_batch(
        &self,
        prefs: &[Preferences],
        k: usize,
    ) -> Result<Vec<Vec<Recommendation>>> {
        if prefs.len() > MAX_BATCH {
            return Err(MiraError::invalid(
                RecordRef::Other("recommend_batch".into()),
                "batch",
                format!("{} preferences", prefs.len()),
                format!("at most {MAX_BATCH} preferences per batch (split it into several calls)"),
            ));
        }
        let out: Vec<Vec<Recommendation>> = prefs
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                self.answer(p, k, 0, Threads::Any)
                    .map(|a| a.map(|a| a.results).unwrap_or_default())
                    .map_err(|e| e.at_request(i))
            })
            .collect::<Result<_>>()?;
        self.counters.batches.fetch_add(1, Ordering::Relaxed);
        self.counters
            .queries
            .fetch_add(prefs.len() as u64, Ordering::Relaxed);
        let n: usize = out.iter().map(Vec::len).sum();
        self.counters.results.fetch_add(n as u64, Ordering::Relaxed);
        Ok(out)
    }

    /// The answer, or `None` when `threads` is `CallerOnly` and it needs
    /// the parallel scan.
    fn answer(
        &self,
        prefs: &Preferences,
        k: usize,
        offset: usize,
        threads: Threads,
    ) -> Result<Option<Answer>> {
        prefs.validate()?;
        let need = k
            .checked_add(offset)
            .filter(|n| *n <= MAX_RESULTS)
            .ok_or_else(|| {
                MiraError::invalid(
                    RecordRef::Preferences,
                    "k + offset",
                    format!("{k} + {offset}"),
                    format!("at most {MAX_RESULTS} results per request"),
                )
            })?;
        let s = &*self.state;
        let cols = s.catalog.columns();
        let plan = self.plan(prefs)?;
        let same_currency = cols
            .currency_index(plan.currency)
            .map_or(0, |i| cols.currencies[usize::from(i)].1);
        let stats = AnswerStats {
            currency: plan.currency,
            catalog_listings: cols.len(),
            other_currency: cols.len() - same_currency.min(cols.len()),
        };
        if need == 0 {
            // The request was valid; there is nothing to rank.
            return Ok(Some(Answer {
                results: Vec::new(),
                stats,
            }));
        }
        let Some(ranked) = rank::best(&plan, need, s.pruning, &s.indexes, threads) else {
            return Ok(None);
        };
        let results = ranked
            .into_iter()
            .skip(offset)
            .map(|r| self.describe(&plan, r))
            .collect();
        Ok(Some(Answer { results, stats }))
    }

    /// The compiled request: `prefs` (validated) against this engine's
    /// catalog, profile and prepared columns.
    fn plan<'a>(&'a self, prefs: &'a Preferences) -> Result<Plan<'a>> {
        let s = &*self.state;
        let table = s.catalog.amenity_table();
        Plan::new(&s.profile, s.catalog.columns(), &s.prepared, prefs)?
            .with_amenities(|a| table.normalize(a))
            .with_similarity(&s.catalog)
    }

    fn describe(&self, plan: &Plan<'_>, r: Ranked) -> Recommendation {
        let row = r.row as usize;
        let breakdown = plan.breakdown(row);
        let mut components = BTreeMap::new();
        let mut unknown = Vec::new();
        for (a, m) in &breakdown {
            match m {
                Measure::Score(s) => {
                    components.insert(a.name.as_str().to_string(), *s);
                }
                Measure::Unknown => unknown.push(a.name.as_str().to_string()),
                Measure::NotAsked => {}
            }
        }
        let property = self.state.catalog.property(row);
        let mut reasons = explain::reasons(plan, row, &breakdown);
        if let Some(model) = &self.state.model {
            let what = if property.is_rental() {
                "rent"
            } else {
                "price"
            };
            for warning in model.card().training_domain.check(property) {
                reasons.push(format!("Predicted {what} less certain: {warning}"));
            }
        }
        let prepared = &self.state.prepared;
        let metrics = prepared.rent_at(row).and_then(|(rent, source)| {
            let predicted = (prepared.price_source == PriceSource::Model)
                .then(|| prepared.predicted_price[row]);
            let invest = &plan.invest;
            crate::investment::metrics(
                property.price,
                rent,
                source,
                predicted,
                &invest.assumptions,
                invest.mortgage.as_ref(),
            )
            .ok()
        });
        if let (Some(m), Some(model)) = (&metrics, &self.state.rent_model) {
            if m.rent_source == RentSource::Model {
                for warning in model.card().training_domain.check(property) {
                    reasons.push(format!("Estimated rent less certain: {warning}"));
                }
            }
        }
        Recommendation {
            id: property.id.clone(),
            score: r.score,
            components,
            predicted_price: r.price,
            listed_price: property.price,
            price_source: self.state.prepared.price_source,
            unknown,
            reasons,
            currency: property.currency.unwrap_or(Currency::USD),
            rent_per_month: property.monthly_rent(),
            metrics,
        }
    }

    /// The listing with this id.
    pub fn get(&self, id: &PropertyId) -> Option<&Property> {
        self.state.catalog.get(id)
    }

    /// The catalog served.
    pub fn catalog(&self) -> &Catalog {
        &self.state.catalog
    }

    /// The scoring profile.
    pub fn profile(&self) -> &Profile {
        &self.state.profile
    }

    /// The year ages are computed from.
    pub fn current_year(&self) -> i32 {
        self.state.prepared.current_year
    }

    /// Predicted price of the listing at `row` (catalog order).
    pub fn predicted_price_at(&self, row: usize) -> f64 {
        self.state.prepared.predicted_price[row]
    }

    /// An engine with the same settings (profile, year, model) over another
    /// catalog, for example the next version after an upsert. Predicted
    /// prices are recomputed once for it. Counters carry over; requests
    /// already running on `self` finish on the old catalog.
    pub fn with_catalog(&self, catalog: Catalog) -> Result<Engine> {
        let predicted = match &self.state.model {
            Some(model) => Some(model.predict_catalog(&catalog)?),
            None => None,
        };
        let prepared = prepare(
            &catalog,
            self.current_year(),
            &self.state.profile,
            predicted,
            self.state.rent_model.as_deref(),
        )?;
        Ok(Engine {
            state: Arc::new(State::new(
                catalog,
                self.state.profile.clone(),
                prepared,
                Models {
                    price: self.state.model.clone(),
                    rent: self.state.rent_model.clone(),
                },
                self.state.pruning,
            )),
            counters: self.counters.clone(),
        })
    }

    /// An engine with the same catalog, profile, year and rent model but
    /// another price model (`None`: listed prices). Predicted prices are
    /// computed once for it. Counters carry over; requests already running
    /// on `self` finish with the old model.
    pub fn with_model(&self, model: Option<Arc<ValuationModel>>) -> Result<Engine> {
        let mut builder = Engine::builder(self.state.catalog.clone())
            .profile(self.state.profile.clone())
            .current_year(self.current_year())
            .pruning(self.state.pruning);
        if let Some(model) = model {
            builder = builder.model(model);
        }
        if let Some(rent_model) = &self.state.rent_model {
            builder = builder.rent_model(rent_model.clone());
        }
        let mut engine = builder.try_build()?;
        engine.counters = self.counters.clone();
        Ok(engine)
    }

    /// Value one listing with the engine's price model (validated first):
    /// the predicted price and whether the listing lies in the model's
    /// training domain. An error when the engine has no model.
    pub fn predict_price(&self, listing: &Property) -> Result<Valuation> {
        let model = self
            .state
            .model
            .as_ref()
            .ok_or_else(|| MiraError::Unsupported {
                what: "price prediction".into(),
                name: "this engine has no price model".into(),
                hint: Some("build the engine with a model (EngineBuilder::model)".into()),
            })?;
        listing.validate(&RecordRef::Id(listing.id.to_string()), self.current_year())?;
        model.value(listing)
    }

    /// Estimate one listing's monthly rent with the engine's rent model
    /// (validated first): the estimate and whether the listing lies in the
    /// rent model's training domain. An error when the engine has no rent
    /// model.
    pub fn estimate_rent(&self, listing: &Property) -> Result<Valuation> {
        let model = self
            .state
            .rent_model
            .as_ref()
            .ok_or_else(|| MiraError::Unsupported {
                what: "rent estimation".into(),
                name: "this engine has no rent model".into(),
                hint: Some("build the engine with a rent model (EngineBuilder::rent_model)".into()),
            })?;
        let record = RecordRef::Id(listing.id.to_string());
        listing.validate(&record, self.current_year())?;
        check_rent_currency(model, listing, record)?;
        model.value(listing)
    }

    /// Every investment metric of one listing (validated first) on the
    /// investor's `terms`: its rent is the listing's `estimated_rent`, else
    /// the engine's rent model's; its value gap the engine's price model's
    /// (none without a model). See [`crate::investment`] for the formulas
    /// and defaults.
    ///
    /// ```
    /// use agent_mira::investment::{InvestmentTerms, Mortgage};
    /// use agent_mira::{Catalog, Engine, Property};
    /// let engine = Engine::new(Catalog::builder().build());
    /// let mut home = Property::new(1u64, 400_000.0);
    /// home.estimated_rent = Some(2_500.0);
    /// let terms = InvestmentTerms {
    ///     mortgage: Some(Mortgage { annual_rate: 0.065, ..Mortgage::default() }),
    ///     ..InvestmentTerms::default()
    /// };
    /// let m = engine.analyze_investment(&home, &terms).unwrap();
    /// assert_eq!(m.gross_yield, 0.075);
    /// assert_eq!(m.monthly_cash_flow.map(|f| f.round()), Some(-479.0));
    ///
    /// home.estimated_rent = None;
    /// assert_eq!(
    ///     engine.analyze_investment(&home, &terms).unwrap_err().to_string(),
    ///     "listing 1: field `estimated_rent` = (absent): expected the rent this home would fetch per month, as `estimated_rent` on the listing or from a rent model the engine is built with"
    /// );
    /// ```
    pub fn analyze_investment(
        &self,
        listing: &Property,
        terms: &InvestmentTerms,
    ) -> Result<InvestmentMetrics> {
        let record = RecordRef::Id(listing.id.to_string());
        listing.validate(&record, self.current_year())?;
        let (rent, source) = match (listing.estimated_rent, &self.state.rent_model) {
            (Some(rent), _) => (rent, RentSource::Given),
            (None, Some(model)) => {
                check_rent_currency(model, listing, record)?;
                (model.value(listing)?.price, RentSource::Model)
            }
            (None, None) => {
                return Err(MiraError::invalid(
                    record,
                    "estimated_rent",
                    "(absent)",
                    "the rent this home would fetch per month, as `estimated_rent` on the listing or from a rent model the engine is built with",
                ))
            }
        };
        let predicted = match &self.state.model {
            Some(model) => Some(model.value(listing)?.price),
            None => None,
        };
        crate::investment::metrics(
            listing.price,
            rent,
            source,
            predicted,
            &terms.assumptions,
            terms.mortgage.as_ref(),
        )
    }

    /// The rent estimate of the listing at `row` (catalog order) and where
    /// it came from; `None` for a rental or a sale listing without one.
    pub fn estimated_rent_at(&self, row: usize) -> Option<(f64, RentSource)> {
        self.state.prepared.rent_at(row)
    }

    /// The rent model, when the engine has one.
    pub fn rent_model(&self) -> Option<&Arc<ValuationModel>> {
        self.state.rent_model.as_ref()
    }

    /// The price model's card, when the engine has a model.
    pub fn model_info(&self) -> Option<&ModelCard> {
        self.state.model.as_ref().map(|m| m.card())
    }

    /// The price model, when the engine has one.
    pub fn model(&self) -> Option<&Arc<ValuationModel>> {
        self.state.model.as_ref()
    }

    /// Counters and facts.
    pub fn stats(&self) -> EngineStats {
        let prepared = &self.state.prepared;
        EngineStats {
            catalog_version: self.state.catalog.version(),
            listings: self.state.catalog.len(),
            profile: self.state.profile.name.clone(),
            price_source: self.state.prepared.price_source,
            current_year: self.current_year(),
            queries: self.counters.queries.load(Ordering::Relaxed),
            batches: self.counters.batches.load(Ordering::Relaxed),
            results: self.counters.results.load(Ordering::Relaxed),
            unknown_fields: self.unknown_fields(),
            rent_estimates: prepared.rent_source.iter().flatten().count(),
            rent_model_estimates: prepared
                .rent_source
                .iter()
                .filter(|s| **s == Some(RentSource::Model))
                .count(),
            embedding_dim: self.state.catalog.embeddings().dim(),
            listings_with_embedding: self.state.catalog.embeddings().count(),
            embedding_bytes_per_listing: self.state.catalog.embeddings().bytes_per_listing(),
        }
    }

    /// [`EngineStats::unknown_fields`].
    fn unknown_fields(&self) -> Vec<String> {
        let prepared = &self.state.prepared;
        let mut out: Vec<String> = prepared
            .absent
            .iter()
            .map(|(field, _)| field.to_string())
            .collect();
        let scores_rent = self.state.profile.components.iter().any(|c| {
            matches!(
                c.name,
                crate::scoring::ComponentName::GrossYield | crate::scoring::ComponentName::CashFlow
            )
        });
        if prepared.no_rents && scores_rent {
            out.push("estimated_rent".into());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` listings with spread-out prices, rooms, schools, commutes, ages.
    fn catalog(n: usize) -> Catalog {
        let mut b = Catalog::builder();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for i in 0..n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut p = Property::new(i as u64, 150_000.0 + (x % 200) as f64 * 5_000.0);
            p.bedrooms = Some(1 + (x >> 10) as u32 % 5);
            p.school_rating =
                (!(x >> 20).is_multiple_of(10)).then_some(((x >> 24) % 101) as f64 / 10.0);
            p.commute_time = Some(((x >> 32) % 70) as f64);
            p.year_built = Some(1950 + ((x >> 40) % 75) as i32);
            p.amenities = Some(match (x >> 50) % 4 {
                0 => vec![],
                1 => vec!["pool".into()],
                2 => vec!["garage".into(), "garden".into()],
                _ => vec!["pool".into(), "garage".into(), "garden".into()],
            });
            b.push(p).unwrap();
        }
        b.build()
    }

    fn engines(n: usize, profile: &str) -> (Engine, Engine) {
        let build = |pruning| {
            Engine::builder(catalog(n))
                .profile_name(profile)
                .unwrap()
                .current_year(2025)
                .pruning(pruning)
                .build()
        };
        (build(true), build(false))
    }

    /// How many listings the pruned scan scores for `prefs` (`None`: it
    /// gave up).
    fn scanned(engine: &Engine, prefs: &Preferences, need: usize) -> Option<usize> {
        let s = &*engine.state;
        let plan = Plan::new(&s.profile, s.catalog.columns(), &s.prepared, prefs).unwrap();
        let index = s.indexes.get_or_build(&plan).expect("an index");
        let key = |row: usize| (s.prepared.predicted_price[row], s.prepared.id_rank[row]);
        index
            .top_k(&plan, need, rank::prune_budget(s.catalog.len()), key)
            .map(|(_, scanned)| scanned)
    }

    #[test]
    fn a_typical_buyer_scores_a_few_listings_and_gets_the_full_scans_answer() {
        let (pruned, full) = engines(50_000, "case-study");
        let prefs = Preferences {
            budget: Some(600_000.0),
            min_bedrooms: Some(3),
            ..Preferences::default()
        };
        let got = pruned.recommend(&prefs, 10).unwrap();
        assert_eq!(got, full.recommend(&prefs, 10).unwrap());
        assert_eq!(got.len(), 10);
        let n = scanned(&pruned, &prefs, 10).expect("pruned scan finished");
        assert!(n < 1_000, "scored {n} of 50000 listings");
        // Pages deep into the ranking are the full scan's too.
        assert_eq!(
            pruned.recommend_page(&prefs, 50, 200).unwrap(),
            full.recommend_page(&prefs, 50, 200).unwrap()
        );
    }

    #[test]
    fn a_buyer_nothing_suits_falls_back_to_the_full_scan() {
        let (pruned, full) = engines(50_000, "case-study");
        // Every listing is far over budget and short of bedrooms: the
        // buyer-independent part no longer decides, the bounds do not
        // separate, and the pruned scan gives up.
        let prefs = Preferences {
            budget: Some(10_000.0),
            min_bedrooms: Some(40),
            ..Preferences::default()
        };
        assert_eq!(scanned(&pruned, &prefs, 10), None);
        assert_eq!(
            pruned.recommend(&prefs, 10).unwrap(),
            full.recommend(&prefs, 10).unwrap()
        );
    }

    #[test]
    fn weight_overrides_get_their_own_index() {
        let (pruned, full) = engines(5_000, "case-study");
        for weights in [
            None,
            Some(("school_rating", 3.0)),
            Some(("price_match", 0.0)),
        ] {
            let prefs = Preferences {
                budget: Some(500_000.0),
                min_bedrooms: Some(2),
                weights: weights.map(|(k, w)| [(k.to_string(), w)].into_iter().collect()),
                ..Preferences::default()
            };
            assert_eq!(
                pruned.recommend(&prefs, 7).unwrap(),
                full.recommend(&prefs, 7).unwrap(),
                "{weights:?}"
            );
        }
        // The default weights and the school override; price_match is not
        // buyer-independent, so its override reuses the default index.
        assert_eq!(pruned.state.indexes.len(), 2);
    }

    #[test]
    fn sequential_answers_need_a_built_index_and_a_pruning_success() {
        let (pruned, full) = engines(rank::CHUNK_ROWS + 5_000, "case-study");
        let typical = Preferences {
            budget: Some(600_000.0),
            min_bedrooms: Some(3),
            ..Preferences::default()
        };
        // No index yet: building one uses rayon, so not on the caller.
        assert_eq!(
            pruned.try_recommend_sequential(&typical, 5, 0).unwrap(),
            None
        );
        let expected = full.recommend(&typical, 5).unwrap();
        assert_eq!(pruned.recommend(&typical, 5).unwrap(), expected);
        assert_eq!(
            pruned.try_recommend_sequential(&typical, 5, 0).unwrap(),
            Some(expected)
        );
        // Pruning gives up for this buyer: the parallel scan is needed.
        let hopeless = Preferences {
            budget: Some(10_000.0),
            min_bedrooms: Some(40),
            ..Preferences::default()
        };
        assert_eq!(
            pruned.try_recommend_sequential(&hopeless, 5, 0).unwrap(),
            None
        );
        // Without pruning a large catalog always needs the parallel scan.
        assert_eq!(full.try_recommend_sequential(&typical, 5, 0).unwrap(), None);
        // Errors are reported either way.
        let bad = Preferences {
            budget: Some(-1.0),
            ..Preferences::default()
        };
        assert!(pruned.try_recommend_sequential(&bad, 5, 0).is_err());
        // Small catalogs are always answered.
        let (small, _) = engines(1_000, "balanced");
        assert!(small
            .try_recommend_sequential(&hopeless, 5, 0)
            .unwrap()
            .is_some());
    }

    #[test]
    fn k_zero_is_an_empty_answer_but_still_validates() {
        let (pruned, _) = engines(2_000, "case-study");
        let prefs = Preferences {
            budget: Some(500_000.0),
            ..Preferences::default()
        };
        assert!(pruned.recommend(&prefs, 0).unwrap().is_empty());
        let bad = Preferences {
            budget: Some(f64::NAN),
            ..Preferences::default()
        };
        assert!(pruned.recommend(&bad, 0).is_err());
    }

    /// Found by fuzzing: with only price_match (0.30) and commute (0.15)
    /// known, two perfect scores renormalised gave 100.00000000000001.
    #[test]
    fn a_renormalised_total_never_exceeds_100() {
        let mut b = Catalog::builder();
        let mut p = Property::new(1u64, 400_000.5);
        p.commute_time = Some(12.0);
        b.push(p).unwrap();
        let engine = Engine::builder(b.build())
            .profile_name("case-study")
            .unwrap()
            .current_year(2025)
            .build();
        let prefs = Preferences {
            budget: Some(450_000.0),
            ..Preferences::default()
        };
        let top = engine.recommend(&prefs, 1).unwrap();
        assert_eq!(top[0].score, 100.0);
        assert_eq!(top[0].components["price_match"], 100.0);
        assert_eq!(top[0].components["commute"], 100.0);
    }

    /// Three homes for sale at $400,000 renting for $2,500, $3,400 and an
    /// unknown rent, and a rental.
    fn investor_catalog() -> Catalog {
        let mut b = Catalog::builder();
        for (id, rent) in [(1u64, Some(2_500.0)), (2, Some(3_400.0)), (3, None)] {
            let mut p = Property::new(id, 400_000.0);
            p.estimated_rent = rent;
            p.listing_type = Some(crate::ListingType::Sale);
            b.push(p).unwrap();
        }
        let mut rental = Property::new(4u64, 2_000.0);
        rental.listing_type = Some(crate::ListingType::LongTermRent);
        rental.estimated_rent = Some(2_000.0);
        b.push(rental).unwrap();
        b.build()
    }

    #[test]
    fn an_investor_gets_the_homes_that_meet_every_threshold_with_their_metrics() {
        let engine = Engine::builder(investor_catalog())
            .profile_name("investment")
            .unwrap()
            .current_year(2025)
            .build();
        let terms = Preferences {
            mortgage_rate: Some(0.065),
            ..Preferences::default()
        };
        // No threshold: the homes for sale with a rent estimate.
        let all = engine.recommend(&terms, 10).unwrap();
        let ids: Vec<String> = all.iter().map(|r| r.id.to_string()).collect();
        assert_eq!(ids, ["2", "1"]);
        let m = all[1].metrics.unwrap();
        assert_eq!((m.gross_yield, m.cap_rate), (0.075, 0.0463125));
        assert_eq!(
            m.monthly_cash_flow.map(|f| (f * 100.0).round()),
            Some(-47_887.0)
        );
        // Without the profile's Investable filter the others rank too,
        // with their yield and cash flow left out and said why.
        let mut open = Profile::investment();
        open.filters
            .retain(|f| *f != crate::scoring::Filter::Investable);
        let open = Engine::builder(investor_catalog())
            .profile(open)
            .current_year(2025)
            .build();
        let rest = open.recommend_page(&terms, 2, 2).unwrap();
        let ids: Vec<String> = rest.iter().map(|r| r.id.to_string()).collect();
        // Nothing known of these two: they tie at 0, the cheaper first.
        assert_eq!(ids, ["4", "3"]);
        assert_eq!((rest[0].metrics, rest[1].metrics), (None, None));
        assert_eq!(
            rest[0].reasons,
            [
                "For rent, not for sale: no investment figures (left out of the score)",
                "No price model: the predicted price is the listed price"
            ]
        );
        assert_eq!(
            rest[1].reasons,
            [
                "Rent estimate unknown (left out of the score)",
                "No price model: the predicted price is the listed price"
            ]
        );
        assert_eq!(
            all[1].reasons,
            [
                "Gross yield 7.5 % (rent ≈ $2,500/month, the listing's estimate; 93/100)",
                "Cash flow -$479/month at 20 % down, 6.5 % over 30 years (34/100)",
                "No price model: the predicted price is the listed price",
            ]
        );
        assert_eq!(
            all[0].reasons[1],
            "Cash flow +$77/month at 20 % down, 6.5 % over 30 years"
        );
        // Thresholds: unknown rent never passes, a rental never does.
        for (prefs, expected) in [
            (
                Preferences {
                    min_gross_yield: Some(0.075),
                    ..terms.clone()
                },
                vec!["2", "1"],
            ),
            (
                Preferences {
                    min_gross_yield: Some(0.0750001),
                    ..terms.clone()
                },
                vec!["2"],
            ),
            (
                Preferences {
                    min_cap_rate: Some(0.06),
                    ..terms.clone()
                },
                vec!["2"],
            ),
            (
                Preferences {
                    min_cash_flow: Some(0.0),
                    ..terms.clone()
                },
                vec!["2"],
            ),
            (
                Preferences {
                    min_cash_flow: Some(-500.0),
                    ..terms.clone()
                },
                vec!["2", "1"],
            ),
            (
                Preferences {
                    min_gross_yield: Some(0.0),
                    ..Preferences::default()
                },
                vec!["2", "1"],
            ),
        ] {
            // (On the engine without the Investable filter: the
            // thresholds alone leave them out.)
            let got: Vec<String> = open
                .recommend(&prefs, 10)
                .unwrap()
                .iter()
                .map(|r| r.id.to_string())
                .collect();
            assert_eq!(got, expected, "{prefs:?}");
        }
        assert_eq!(engine.stats().rent_estimates, 2);
    }
}
