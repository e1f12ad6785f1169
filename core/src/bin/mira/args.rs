//! Command-line arguments.

use std::path::PathBuf;

use agent_mira::{
    Catalog, ListingType, MiraError, Preferences, PropertyId, PropertyType, RecordRef,
    SimilarFilters,
};
use clap::{Args, Parser, Subcommand};

/// agent-mira: recommend properties, validate and inspect listing files.
#[derive(Debug, Parser)]
#[command(name = "mira", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Recommend the best listings for a buyer.
    Recommend(Box<RecommendArgs>),
    /// Homes like this one: the listings most like listing ID, best first.
    Similar(Box<SimilarArgs>),
    /// Why listing ID scores what it scores for a buyer: every component
    /// with its inputs, score, weight and contribution, and every filter.
    Explain(Box<ExplainArgs>),
    /// Check a listing file and report the first problem with file, line and field.
    Validate(SourceArgs),
    /// Summarise a listing file: counts, field coverage, price range, places, amenities.
    Stats(StatsArgs),
    /// Save a listing file as one catalog snapshot (fast to load, checksummed).
    Snapshot(SnapshotArgs),
    /// Train a price model on listings (listed price = target) and save it.
    Train(Box<TrainArgs>),
    /// Predict prices of listings with a model; CSV (or JSON Lines) on stdout.
    Predict(PredictArgs),
}

/// Which price model `recommend` uses.
#[derive(Debug, Args, Default)]
pub struct ModelArgs {
    /// Price model file (default: the bundled King County model, used when
    /// the catalog lies in its training domain).
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// Use listed prices instead of any price model.
    #[arg(long, conflicts_with = "model")]
    pub no_model: bool,
    /// Rent model file: a price model trained on rentals (rent per month),
    /// estimating the rent of sale listings without `estimated_rent`
    /// (default: none; only listings' own `estimated_rent` count).
    #[arg(long, value_name = "FILE")]
    pub rent_model: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Where to write the model file (JSON, written atomically).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Learner: gbdt, ols, ridge or elastic_net (kinds, parameters and
    /// defaults: the `TrainSpec` docs of the agent-mira crate).
    #[arg(long, default_value = "gbdt")]
    pub kind: String,
    /// The learner's parameters as a JSON object (inline or a file), e.g. '{"num_rounds": 400}'.
    #[arg(long)]
    pub params: Option<String>,
    /// Held-out listings: `none`, `random:FRACTION[:SEED]` (seed 42 when left out, as in
    /// Python and Node), or `temporal:ATTRIBUTE:CUTOFF` (e.g. temporal:sale_date:2015-03-01).
    #[arg(long, default_value = "random:0.2")]
    pub holdout: String,
    /// Model name for the card.
    #[arg(long, default_value = "price-model")]
    pub name: String,
    /// Description for the card.
    #[arg(long, default_value = "")]
    pub description: String,
}

#[derive(Debug, Args)]
pub struct PredictArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Price model file.
    #[arg(long)]
    pub model: PathBuf,
    /// JSON Lines (one object per listing) instead of CSV.
    #[arg(long)]
    pub json: bool,
}

/// Where listings come from.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Listing file (.json, .jsonl, .csv), case-study directory, or catalog snapshot.
    pub path: PathBuf,
    /// CSV column mapping: a preset name (`king-county`, `india-rent`) or a JSON mapping file.
    #[arg(long)]
    pub mapping: Option<String>,
    /// The year that bounds `year_built` and from which ages are counted (default: this year).
    #[arg(long)]
    pub current_year: Option<i32>,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    /// Where to write the snapshot.
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct RecommendArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    /// How many results.
    #[arg(short, long, default_value_t = 3)]
    pub k: usize,
    /// Skip this many results (pagination).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The id of the listing to explain.
    pub id: String,
    #[command(flatten)]
    pub request: RequestArgs,
    /// Print the explanation as JSON (the core's `Explanation`).
    #[arg(long)]
    pub json: bool,
}

/// A buyer's request over a catalog: what `recommend` and `explain` share.
#[derive(Debug, Args)]
pub struct RequestArgs {
    /// Listing file, case-study directory, or catalog snapshot.
    #[arg(long = "catalog", value_name = "PATH")]
    pub catalog: PathBuf,
    #[arg(skip)]
    pub source: SourceArgs,
    /// CSV column mapping: a preset name (`king-county`, `india-rent`) or a JSON mapping file.
    #[arg(long)]
    pub mapping: Option<String>,
    /// The year ages are counted from (default: this year).
    #[arg(long)]
    pub current_year: Option<i32>,
    #[command(flatten)]
    pub model: ModelArgs,
    /// Scoring profile: `balanced`, `case-study`, `investment`, or a JSON profile file.
    #[arg(long, default_value = "balanced")]
    pub profile: String,
    /// Preferences as a JSON file (flags below override its fields).
    #[arg(long, value_name = "FILE")]
    pub prefs: Option<PathBuf>,
    /// Most you want to pay, dollars.
    #[arg(long)]
    pub budget: Option<f64>,
    /// Wanted place, e.g. "Bellevue, WA".
    #[arg(long)]
    pub location: Option<String>,
    /// Fewest bedrooms.
    #[arg(long)]
    pub min_bedrooms: Option<u32>,
    /// Fewest bathrooms.
    #[arg(long)]
    pub min_bathrooms: Option<f64>,
    /// Smallest living area, square feet.
    #[arg(long)]
    pub min_size_sqft: Option<f64>,
    /// Longest commute, minutes.
    #[arg(long)]
    pub max_commute_time: Option<f64>,
    /// Lowest school rating, 0–10.
    #[arg(long)]
    pub min_school_rating: Option<f64>,
    /// A preferred amenity (repeatable).
    #[arg(long = "amenity", value_name = "NAME")]
    pub preferred_amenities: Vec<String>,
    /// An amenity the listing must have (repeatable).
    #[arg(long = "must-have", value_name = "NAME")]
    pub must_have_amenities: Vec<String>,
    /// An acceptable property type (repeatable): sfh, condo, townhouse, apartment, villa, land, commercial.
    #[arg(long = "type", value_name = "TYPE")]
    pub property_types: Vec<String>,
    /// Wanted listing type: sale, long_term_rent, short_term_rent, investment.
    #[arg(long)]
    pub listing_type: Option<String>,
    /// For a renter: the period the budget is for: month (default), week, night.
    #[arg(long, value_name = "PERIOD")]
    pub budget_period: Option<String>,
    /// Move-in day, YYYY-MM-DD: listings must be available on it.
    #[arg(long, value_name = "DATE")]
    pub move_in: Option<String>,
    /// Months the renter stays from the move-in day (needs a rental --listing-type).
    #[arg(long, value_name = "MONTHS")]
    pub lease_months: Option<u32>,
    /// Wanted furnishing: furnished, semi_furnished, unfurnished.
    #[arg(long)]
    pub furnishing: Option<String>,
    /// The renter has pets: listings must allow them.
    #[arg(long)]
    pub pets: bool,
    /// ISO 4217 code of the budget (needed when the catalog mixes currencies).
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
    /// For an investor: lowest gross yield (12 × rent ÷ price) as a fraction, e.g.
    /// 0.06; listings without a rent estimate are left out.
    #[arg(long, value_name = "FRACTION")]
    pub min_gross_yield: Option<f64>,
    /// Lowest cap rate (net operating income ÷ price) as a fraction, e.g. 0.04;
    /// listings without a rent estimate are left out.
    #[arg(long, value_name = "FRACTION")]
    pub min_cap_rate: Option<f64>,
    /// Lowest monthly cash flow after the mortgage payment, money per month (may be
    /// negative); needs --mortgage-rate; listings without a rent estimate are left out.
    #[arg(long, value_name = "AMOUNT", allow_negative_numbers = true)]
    pub min_cash_flow: Option<f64>,
    /// Share of the price paid in cash (default 0.2); needs --mortgage-rate.
    #[arg(long, value_name = "FRACTION")]
    pub down_payment: Option<f64>,
    /// The mortgage's yearly rate as a fraction (0.065 for 6.5 %): cash flow and
    /// cash-on-cash are computed, and scored by the investment profile, with it.
    #[arg(long, value_name = "FRACTION")]
    pub mortgage_rate: Option<f64>,
    /// Term of the mortgage in years (default 30); needs --mortgage-rate.
    #[arg(long, value_name = "YEARS")]
    pub mortgage_years: Option<u32>,
    /// Share of the rent collected that goes to operating expenses (default 0.35).
    #[arg(long, value_name = "FRACTION")]
    pub expense_ratio: Option<f64>,
    /// Share of the year the home stands empty (default 0.05).
    #[arg(long, value_name = "FRACTION")]
    pub vacancy: Option<f64>,
    /// Closing costs as a share of the price, paid in cash (default 0.03).
    #[arg(long, value_name = "FRACTION")]
    pub closing_costs: Option<f64>,
    /// Homes like these (repeatable, or comma-separated listing ids): the
    /// mean of their vectors is the `similar_to` query, scored by the
    /// `similarity` component.
    #[arg(long, value_name = "ID[,ID...]", value_delimiter = ',')]
    pub similar_to: Vec<String>,
    /// A query vector for `similar_to`: a JSON file holding one array of
    /// numbers in the catalog's embedding space (from your own model).
    #[arg(long, value_name = "FILE")]
    pub similar_vector: Option<PathBuf>,
}

impl Default for SourceArgs {
    fn default() -> Self {
        SourceArgs {
            path: PathBuf::new(),
            mapping: None,
            current_year: None,
        }
    }
}

impl RequestArgs {
    /// Fill `source` from the flattened flags (clap cannot flatten a
    /// positional path under another name).
    pub fn resolve(mut self) -> Self {
        self.source = SourceArgs {
            path: self.catalog.clone(),
            mapping: self.mapping.clone(),
            current_year: self.current_year,
        };
        self
    }

    /// The buyer's preferences: the `--prefs` file, then the flags
    /// (`--similar-to` ids are read against `catalog`: see [`listing_id`]).
    pub fn preferences(&self, catalog: &Catalog) -> Result<Preferences, MiraError> {
        let mut prefs = match &self.prefs {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| MiraError::io(path, e))?;
                let value: serde_json::Value =
                    serde_json::from_str(&text).map_err(|e| MiraError::Parse {
                        source_name: path.display().to_string(),
                        line: e.line() as u64,
                        column: e.column() as u64,
                        message: e.to_string(),
                    })?;
                Preferences::from_json(value)?
            }
            None => Preferences::default(),
        };
        macro_rules! set {
            ($($field:ident),*) => { $( if self.$field.is_some() { prefs.$field = self.$field.clone(); } )* };
        }
        set!(
            budget,
            location,
            min_bedrooms,
            min_bathrooms,
            min_size_sqft,
            max_commute_time,
            min_school_rating,
            min_gross_yield,
            min_cap_rate,
            min_cash_flow,
            down_payment,
            mortgage_rate,
            mortgage_years,
            expense_ratio,
            vacancy,
            closing_costs
        );
        if !self.preferred_amenities.is_empty() {
            prefs.preferred_amenities = self.preferred_amenities.clone();
        }
        if !self.must_have_amenities.is_empty() {
            prefs.must_have_amenities = self.must_have_amenities.clone();
        }
        if !self.property_types.is_empty() {
            prefs.property_types = self
                .property_types
                .iter()
                .map(|t| {
                    t.parse::<PropertyType>()
                        .map_err(|e| MiraError::invalid(RecordRef::Preferences, "--type", t, e))
                })
                .collect::<Result<_, _>>()?;
        }
        if let Some(t) = &self.listing_type {
            prefs.listing_type =
                Some(t.parse::<ListingType>().map_err(|e| {
                    MiraError::invalid(RecordRef::Preferences, "--listing-type", t, e)
                })?);
        }
        fn flag<T: std::str::FromStr<Err = String>>(
            name: &str,
            text: &Option<String>,
        ) -> Result<Option<T>, MiraError> {
            text.as_deref()
                .map(|t| {
                    t.parse::<T>()
                        .map_err(|e| MiraError::invalid(RecordRef::Preferences, name, t, e))
                })
                .transpose()
        }
        if let Some(p) = flag("--budget-period", &self.budget_period)? {
            prefs.budget_period = Some(p);
        }
        if let Some(d) = flag("--move-in", &self.move_in)? {
            prefs.move_in = Some(d);
        }
        if let Some(f) = flag("--furnishing", &self.furnishing)? {
            prefs.furnishing = Some(f);
        }
        if let Some(c) = flag("--currency", &self.currency)? {
            prefs.currency = Some(c);
        }
        if self.lease_months.is_some() {
            prefs.lease_months = self.lease_months;
        }
        if self.pets {
            prefs.pets = Some(true);
        }
        if !self.similar_to.is_empty() || self.similar_vector.is_some() {
            let mut wanted = prefs.similar_to.take().unwrap_or_default();
            if !self.similar_to.is_empty() {
                wanted.ids = self
                    .similar_to
                    .iter()
                    .map(|text| {
                        if text.trim().is_empty() {
                            return Err(MiraError::invalid(
                                RecordRef::Preferences,
                                "--similar-to",
                                self.similar_to.join(","),
                                "listing ids separated by commas, none empty",
                            ));
                        }
                        Ok(listing_id(catalog, text.trim()))
                    })
                    .collect::<Result<_, _>>()?;
            }
            if let Some(path) = &self.similar_vector {
                wanted.vector = Some(read_vector(path)?);
            }
            prefs.similar_to = Some(wanted);
        }
        prefs.validate()?;
        Ok(prefs)
    }

    /// The core's preference fields set by this command's flags, with the
    /// flag that set them: errors about them name the flag.
    pub fn flag_fields(&self) -> Vec<(&'static str, &'static str)> {
        let mut fields = Vec::new();
        if !self.similar_to.is_empty() {
            fields.push(("similar_to.ids", "--similar-to"));
            if self.similar_vector.is_none() {
                fields.push(("similar_to", "--similar-to"));
            }
        }
        if self.similar_vector.is_some() {
            fields.push(("similar_to.vector", "--similar-vector"));
        }
        fields
    }
}

/// `mira similar`: the listings most like one listing.
#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// The listing's id (a number or a string, as in the catalog).
    #[arg(value_name = "ID")]
    pub id: String,
    /// Listing file, case-study directory, or catalog snapshot.
    #[arg(long = "catalog", value_name = "PATH")]
    pub catalog: PathBuf,
    /// CSV column mapping: a preset name (`king-county`, `india-rent`) or a JSON mapping file.
    #[arg(long)]
    pub mapping: Option<String>,
    /// The year ages are counted from (default: this year).
    #[arg(long)]
    pub current_year: Option<i32>,
    #[command(flatten)]
    pub model: ModelArgs,
    /// How many listings.
    #[arg(short, long, default_value_t = 10)]
    pub k: usize,
    /// Wanted listing type: sale, long_term_rent, short_term_rent, investment.
    #[arg(long, value_name = "TYPE")]
    pub listing_type: Option<String>,
    /// An acceptable property type (repeatable): sfh, condo, townhouse, apartment, villa, land, commercial.
    #[arg(long = "property-type", visible_alias = "type", value_name = "TYPE")]
    pub property_types: Vec<String>,
    /// Most a listing may cost: its listed price, or for a rental its rent per month.
    #[arg(long, value_name = "AMOUNT", allow_negative_numbers = true)]
    pub max_price: Option<f64>,
    /// ISO 4217 code of --max-price (needed with it when the catalog mixes currencies);
    /// listings priced in another currency are left out.
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
    /// Print JSON (the core's recommendations) instead of a list.
    #[arg(long)]
    pub json: bool,
}

/// The flags of `mira similar` by the core field they set.
pub const SIMILAR_FLAGS: &[(&str, &str)] = &[
    ("id", "ID"),
    ("k", "-k"),
    ("listing_type", "--listing-type"),
    ("property_types", "--property-type"),
    ("max_price", "--max-price"),
    ("currency", "--currency"),
];

impl SimilarArgs {
    /// Where the listings come from.
    pub fn source(&self) -> SourceArgs {
        SourceArgs {
            path: self.catalog.clone(),
            mapping: self.mapping.clone(),
            current_year: self.current_year,
        }
    }

    /// The hard filters, checked; errors name the flag.
    pub fn filters(&self) -> Result<SimilarFilters, MiraError> {
        let record = || RecordRef::Other("similar filters".into());
        let filters = SimilarFilters {
            listing_type: self
                .listing_type
                .as_deref()
                .map(|t| {
                    t.parse::<ListingType>()
                        .map_err(|e| MiraError::invalid(record(), "--listing-type", t, e))
                })
                .transpose()?,
            property_types: self
                .property_types
                .iter()
                .map(|t| {
                    t.parse::<PropertyType>()
                        .map_err(|e| MiraError::invalid(record(), "--property-type", t, e))
                })
                .collect::<Result<_, _>>()?,
            max_price: self.max_price,
            currency: self
                .currency
                .as_deref()
                .map(|c| {
                    c.parse()
                        .map_err(|e| MiraError::invalid(record(), "--currency", c, e))
                })
                .transpose()?,
        };
        filters
            .validate()
            .map_err(|e| name_flags(e, SIMILAR_FLAGS))?;
        Ok(filters)
    }
}

/// The id of a listing in `catalog` written as `text`: a number when it
/// reads as one and the catalog has that number (or has no listing with
/// the string), else the string.
pub fn listing_id(catalog: &Catalog, text: &str) -> PropertyId {
    if let Ok(n) = text.parse::<u64>() {
        let id = PropertyId::from(n);
        if catalog.row_of(&id).is_some() || catalog.row_of(&PropertyId::from(text)).is_none() {
            return id;
        }
    }
    PropertyId::from(text)
}

/// A query vector from a JSON file holding one array of numbers.
fn read_vector(path: &std::path::Path) -> Result<Vec<f32>, MiraError> {
    let text = std::fs::read_to_string(path).map_err(|e| MiraError::io(path, e))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| MiraError::Parse {
        source_name: path.display().to_string(),
        line: e.line() as u64,
        column: e.column() as u64,
        message: e.to_string(),
    })?;
    let bad = |shown: String| {
        MiraError::invalid(
            RecordRef::Preferences,
            "--similar-vector",
            shown,
            format!("a JSON array of numbers (the file {})", path.display()),
        )
    };
    let serde_json::Value::Array(items) = value else {
        let kind = match value {
            serde_json::Value::Object(_) => "an object",
            serde_json::Value::String(_) => "a string",
            serde_json::Value::Number(_) => "a number",
            serde_json::Value::Bool(_) => "a boolean",
            _ => "null",
        };
        return Err(bad(kind.to_string()));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, x)| {
            x.as_f64()
                .map(|x| x as f32)
                .ok_or_else(|| bad(format!("{x} at index {i}")))
        })
        .collect()
}

/// `err` with a core field renamed to the flag that set it (`fields`
/// maps core names to flags; `similar_to.ids[2]` matches `similar_to.ids`).
pub fn name_flags(err: MiraError, fields: &[(&str, &str)]) -> MiraError {
    match err {
        MiraError::InvalidField {
            record,
            field,
            value,
            expected,
        } => {
            let flag = fields.iter().find(|(core, _)| {
                field == *core
                    || field
                        .strip_prefix(core)
                        .is_some_and(|rest| rest.starts_with('['))
            });
            MiraError::InvalidField {
                record,
                field: flag.map_or(field, |(_, flag)| flag.to_string()),
                value,
                expected,
            }
        }
        other => other,
    }
}
