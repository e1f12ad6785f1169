//! Printing results: a table for people, JSON for machines.

use std::collections::BTreeMap;

use agent_mira::format::{dollars, number, thousands};
use agent_mira::{Catalog, Engine, Recommendation};

/// Results as a JSON array.
pub fn json(results: &[Recommendation]) {
    println!(
        "{}",
        serde_json::to_string_pretty(results).expect("results serialise")
    );
}

/// Results as a numbered list with reasons.
pub fn table(engine: &Engine, results: &[Recommendation], offset: usize) {
    if results.is_empty() {
        println!("No listing matches. Loosen a filter (must-have amenities, property types, listing type) or raise k.");
        return;
    }
    for (i, r) in results.iter().enumerate() {
        let p = engine.get(&r.id).expect("results come from the catalog");
        let title = p.title.as_deref().unwrap_or("(untitled)");
        let place = p.location.as_deref().unwrap_or("location unknown");
        println!("{:>2}. {title} — {place}  [id {}]", offset + i + 1, r.id);
        println!(
            "    score {:.1}/100 · listed {} · predicted {} ({})",
            r.score,
            dollars(r.listed_price),
            dollars(r.predicted_price),
            r.price_source.as_str()
        );
        for reason in &r.reasons {
            println!("    - {reason}");
        }
    }
}

/// A summary of a catalog.
pub fn stats(catalog: &Catalog, as_json: bool) {
    let c = catalog.columns();
    let n = c.len();
    let known = |col: &[f64]| col.iter().filter(|v| !v.is_nan()).count();
    let mut coverage = BTreeMap::new();
    for (name, col) in [
        ("bedrooms", &c.bedrooms),
        ("bathrooms", &c.bathrooms),
        ("size_sqft", &c.size_sqft),
        ("lot_sqft", &c.lot_sqft),
        ("year_built", &c.year_built),
        ("school_rating", &c.school_rating),
        ("commute_time", &c.commute_time),
        ("latitude", &c.latitude),
        ("longitude", &c.longitude),
    ] {
        coverage.insert(name, known(col));
    }
    coverage.insert(
        "location",
        c.location
            .iter()
            .filter(|l| **l != agent_mira::catalog::MISSING_LOCATION)
            .count(),
    );
    coverage.insert(
        "amenities",
        c.amenities_known.iter().filter(|k| **k).count(),
    );
    let (lo, hi) = c
        .price
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(*p), hi.max(*p))
        });
    let mut sorted = c.price.clone();
    sorted.sort_by(f64::total_cmp);
    let median = if n == 0 { f64::NAN } else { sorted[n / 2] };
    let mut places: Vec<(usize, &str)> = vec![];
    let mut counts = vec![0usize; c.locations.len()];
    for &l in &c.location {
        if l != agent_mira::catalog::MISSING_LOCATION {
            counts[l as usize] += 1;
        }
    }
    for (i, name) in c.locations.iter().enumerate() {
        places.push((counts[i], name));
    }
    places.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let mut amenities: Vec<(usize, &str)> = c
        .amenity_names
        .iter()
        .enumerate()
        .map(|(bit, name)| {
            (
                (0..n).filter(|&row| c.has_amenity(row, bit)).count(),
                name.as_str(),
            )
        })
        .collect();
    amenities.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));

    if as_json {
        let v = serde_json::json!({
            "listings": n,
            "version": catalog.version(),
            "price": {"min": lo, "median": median, "max": hi},
            "known": coverage,
            "locations": places.iter().map(|(k, name)| serde_json::json!({"location": name, "listings": k})).collect::<Vec<_>>(),
            "amenities": amenities.iter().map(|(k, name)| serde_json::json!({"amenity": name, "listings": k})).collect::<Vec<_>>(),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&v).expect("stats serialise")
        );
        return;
    }
    println!(
        "{} listings (catalog version {})",
        thousands(n as u64),
        catalog.version()
    );
    if n > 0 {
        println!(
            "price: {} min · {} median · {} max",
            dollars(lo),
            dollars(median),
            dollars(hi)
        );
    }
    println!("known fields:");
    for (name, k) in &coverage {
        let pct = if n == 0 {
            0.0
        } else {
            *k as f64 / n as f64 * 100.0
        };
        println!(
            "  {name:<14} {:>9} ({}%)",
            thousands(*k as u64),
            number(pct)
        );
    }
    println!("{} locations; largest:", places.len());
    for (k, name) in places.iter().take(10) {
        println!("  {name:<28} {}", thousands(*k as u64));
    }
    println!("{} distinct amenities:", amenities.len());
    for (k, name) in amenities.iter().take(15) {
        println!("  {name:<28} {}", thousands(*k as u64));
    }
}
