//! Quickstart: recommend the top 3 homes for a sample buyer over the bundled
//! King County listings, and print why.
//!
//! Run from the repository root:
//!
//! ```sh
//! cargo run --release -p agent-mira-examples --example quickstart
//! ```

use std::path::PathBuf;
use std::time::Instant;

use agent_mira::format::dollars;
use agent_mira::{Catalog, Engine, Preferences};

fn main() -> Result<(), agent_mira::MiraError> {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");

    let started = Instant::now();
    let catalog = Catalog::from_path(fixtures.join("king_county/listings.csv"))?;
    let engine = Engine::new(catalog);
    println!(
        "Loaded {} King County listings and prepared the engine in {:.0} ms",
        engine.catalog().len(),
        started.elapsed().as_secs_f64() * 1e3
    );

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
    Ok(())
}
