//! `mira`: the agent-mira command line.
//!
//! ```text
//! mira recommend --catalog fixtures/king_county/listings.csv --budget 650000 --location "Bellevue, WA" --min-bedrooms 3
//! mira recommend --catalog fixtures/listings/investment.json --profile investment --min-gross-yield 0.08 --mortgage-rate 0.065
//! mira recommend --catalog fixtures/listings/embedded.json --similar-to 101,104 --budget 900000
//! mira similar 104 --catalog fixtures/listings/embedded.json -k 5 --property-type condo
//! mira explain 102 --catalog fixtures/listings/sample.json --budget 750000 --min-bedrooms 3
//! mira validate listings.jsonl
//! mira stats fixtures/king_county/listings.csv
//! mira snapshot listings.csv listings.mirasnap
//! mira train fixtures/king_county/listings.csv --out model.json --holdout temporal:sale_date:2015-03-01
//! mira predict fixtures/king_county/listings.csv --model model.json
//! ```

mod args;
mod input;
mod model;
mod output;

use std::process::ExitCode;

use agent_mira::model::ValuationModel;
use agent_mira::scoring::Profile;
use agent_mira::{Catalog, Engine, MiraError};
use clap::Parser;

use args::{Cli, Command, ModelArgs, SourceArgs};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), MiraError> {
    match cli.command {
        Command::Recommend(a) => {
            let (k, offset, json) = (a.k, a.offset, a.json);
            let r = a.request.resolve();
            let catalog = input::load_catalog(&r.source)?;
            let flags = r.flag_fields();
            let named = |e| args::name_flags(e, &flags);
            let prefs = r.preferences(&catalog).map_err(named)?;
            let engine = engine(catalog, &r.source, &r.model, input::profile(&r.profile)?)?;
            let results = engine.recommend_page(&prefs, k, offset).map_err(named)?;
            if json {
                output::json(&results);
            } else {
                output::table(&engine, &results, offset);
            }
        }
        Command::Explain(a) => {
            let json = a.json;
            let r = a.request.resolve();
            let catalog = input::load_catalog(&r.source)?;
            let flags = r.flag_fields();
            let named = |e| args::name_flags(e, &flags);
            let prefs = r.preferences(&catalog).map_err(named)?;
            let id = args::listing_id(&catalog, &a.id);
            let engine = engine(catalog, &r.source, &r.model, input::profile(&r.profile)?)?;
            let explanation = engine.explain(&prefs, &id).map_err(named)?;
            if json {
                output::json(&explanation);
            } else {
                output::explanation(&engine, &explanation);
            }
        }
        Command::Similar(a) => {
            let source = a.source();
            let filters = a.filters()?;
            let catalog = input::load_catalog(&source)?;
            let id = args::listing_id(&catalog, &a.id);
            let engine = engine(catalog, &source, &a.model, Profile::balanced())?;
            let results = engine
                .similar(&id, a.k, &filters)
                .map_err(|e| args::name_flags(e, args::SIMILAR_FLAGS))?;
            if a.json {
                output::json(&results);
            } else {
                output::similar(&engine, &results);
            }
        }
        Command::Validate(a) => {
            let catalog = input::load_catalog(&a)?;
            println!("ok: {} listings, no errors", catalog.len());
        }
        Command::Stats(a) => {
            let json = a.json;
            let catalog = input::load_catalog(&a.source)?;
            output::stats(&catalog, json);
        }
        Command::Train(a) => {
            let catalog = input::load_catalog(&a.source)?;
            model::train(&a, &catalog)?;
        }
        Command::Predict(a) => {
            let catalog = input::load_catalog(&a.source)?;
            model::predict(&a, &catalog)?;
        }
        Command::Snapshot(a) => {
            let catalog = input::load_catalog(&a.source)?;
            catalog.save(&a.output)?;
            eprintln!(
                "saved {} listings (catalog version {}) to {}",
                catalog.len(),
                catalog.version(),
                a.output.display()
            );
        }
    }
    Ok(())
}

/// An engine over `catalog` with the price model `model` asks for (see
/// [`model::for_recommend`]), its rent model and `source`'s current year.
fn engine(
    catalog: Catalog,
    source: &SourceArgs,
    model: &ModelArgs,
    profile: Profile,
) -> Result<Engine, MiraError> {
    let price_model = model::for_recommend(model, &catalog)?;
    let mut builder = Engine::builder(catalog).profile(profile);
    if let Some(m) = price_model {
        builder = builder.model(m);
    }
    if let Some(path) = &model.rent_model {
        builder = builder.rent_model(ValuationModel::load(path)?);
    }
    if let Some(y) = source.current_year {
        builder = builder.current_year(y);
    }
    builder.try_build()
}
