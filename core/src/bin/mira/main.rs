//! `mira`: the agent-mira command line.
//!
//! ```text
//! mira recommend --catalog fixtures/king_county/listings.csv --budget 650000 --location "Bellevue, WA" --min-bedrooms 3
//! mira recommend --catalog fixtures/listings/investment.json --profile investment --min-gross-yield 0.08 --mortgage-rate 0.065
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
use agent_mira::{Engine, MiraError};
use clap::Parser;

use args::{Cli, Command};

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
            let a = (*a).resolve();
            let catalog = input::load_catalog(&a.source)?;
            let prefs = a.preferences()?;
            let price_model = model::for_recommend(&a.model, &catalog)?;
            let mut builder = Engine::builder(catalog).profile(input::profile(&a.profile)?);
            if let Some(m) = price_model {
                builder = builder.model(m);
            }
            if let Some(path) = &a.model.rent_model {
                builder = builder.rent_model(ValuationModel::load(path)?);
            }
            if let Some(y) = a.source.current_year {
                builder = builder.current_year(y);
            }
            let engine = builder.try_build()?;
            let results = engine.recommend_page(&prefs, a.k, a.offset)?;
            if a.json {
                output::json(&results);
            } else {
                output::table(&engine, &results, a.offset);
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
