//! An investor over the hand-written listings of
//! `fixtures/listings/investment.json` (not market data; see the fixtures
//! README): homes for sale with a cap rate of at least 5 %, bought with
//! 20 % down at 6.5 % over 30 years, ranked by the `investment` profile
//! with the bundled King County price model judging the value gap.
//!
//! ```sh
//! cargo run -p agent-mira-examples --example investor
//! ```

use agent_mira::catalog::loaders::{load_json, LoadOptions};
use agent_mira::model::ValuationModel;
use agent_mira::{Catalog, Engine, MiraError, Preferences};

fn main() -> Result<(), MiraError> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let options = LoadOptions::new().builder(Catalog::builder().current_year(2025));
    let catalog = load_json(root.join("fixtures/listings/investment.json"), options)?;
    let model = ValuationModel::load(root.join("fixtures/models/king-county/model.json"))?;
    let engine = Engine::builder(catalog)
        .model(model)
        .profile_name("investment")?
        .current_year(2025)
        .build();
    let investor = Preferences::from_json(serde_json::json!({
        "listing_type": "sale", "min_cap_rate": 0.05, "mortgage_rate": 0.065
    }))?;
    for rec in engine.recommend(&investor, 3)? {
        let m = rec
            .metrics
            .expect("every result meets a cap-rate threshold, so it has a rent");
        println!(
            "{} score {:.1}: gross yield {:.1} %, cap rate {:.2} %, cash flow {:+.0}/month",
            rec.id,
            rec.score,
            m.gross_yield * 100.0,
            m.cap_rate * 100.0,
            m.monthly_cash_flow.unwrap_or(f64::NAN),
        );
        for reason in &rec.reasons {
            println!("  - {reason}");
        }
    }
    Ok(())
}
