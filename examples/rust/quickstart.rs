//! Quickstart: recommend the top 3 homes for a sample buyer over the bundled
//! King County listings, priced by the bundled model, and print why.
//!
//! Run from the repository root:
//!
//! ```sh
//! cargo run --release -p agent-mira-examples --example quickstart
//! ```

use std::path::PathBuf;
use std::time::Instant;

use agent_mira::format::{dollars, thousands};
use agent_mira::model::ValuationModel;
use agent_mira::{Catalog, Engine, Preferences};

fn main() -> Result<(), agent_mira::MiraError> {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");

    let started = Instant::now();
    let catalog = Catalog::from_path(fixtures.join("king_county/listings.csv"))?;
    // The bundled price model: gradient-boosted trees trained on these sales.
    let model = ValuationModel::load(fixtures.join("models/king-county/model.json"))?;
    let card = model.card().clone();
    let engine = Engine::builder(catalog).model(model).try_build()?;
    println!(
        "Loaded {} King County listings, priced them all with model `{}` and prepared the engine in {:.0} ms",
        engine.catalog().len(),
        card.name,
        started.elapsed().as_secs_f64() * 1e3
    );
    // In a buyer's words; the figures behind it (median error, R², the
    // held-out split) are in the model card (`mira model card`).
    if let Some(m) = &card.metrics {
        println!(
            "Prices are estimated by a model trained on {} King County sales; on {} later sales it had not seen, half its estimates were within {}% of the sale price",
            thousands(card.training_domain.rows as u64),
            thousands(m.rows as u64),
            (m.mdape * 100.0).round()
        );
    }

    // A family looking in Bellevue: $950k, 3+ bedrooms, 2+ baths, a view if possible.
    let buyer = Preferences::from_json(serde_json::json!({
        "budget": 950_000,
        "location": "Bellevue, WA",
        "min_bedrooms": 3,
        "min_bathrooms": 2,
        "min_size_sqft": 1800,
        "preferred_amenities": ["view"],
        "listing_type": "sale"
    }))?;

    let started = Instant::now();
    let top = engine.recommend(&buyer, 3)?;
    println!(
        "Scored every listing and picked the best {} in {:.2} ms\n",
        top.len(),
        started.elapsed().as_secs_f64() * 1e3
    );

    for (rank, rec) in top.iter().enumerate() {
        let home = engine.get(&rec.id).expect("results come from the catalog");
        println!(
            "{}. {} (id {})",
            rank + 1,
            home.title.as_deref().unwrap_or("(untitled)"),
            rec.id
        );
        println!(
            "   score {:.1}/100, listed {}, predicted {} ({})",
            rec.score,
            dollars(rec.listed_price),
            dollars(rec.predicted_price),
            rec.price_source.as_str()
        );
        for reason in &rec.reasons {
            println!("   - {reason}");
        }
        println!();
    }
    // What no listing has is said once, not under every home.
    let unknown: Vec<String> = engine
        .stats()
        .unknown_fields
        .iter()
        .map(|f| f.replace('_', " "))
        .collect();
    if !unknown.is_empty() {
        println!(
            "No listing in this catalog has a {}, so no score counts them",
            unknown.join(" or ")
        );
    }
    Ok(())
}
