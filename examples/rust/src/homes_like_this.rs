//! "Homes like this one" (the `homes_like_this` example): the listings of
//! `fixtures/listings/embedded.json` compared first on the engine's
//! built-in structured embedding (rooms, price, place, type, amenities),
//! then on vectors the host attaches from its own text model — here the
//! offline toy `hashed_ngrams` of each listing's title and description, so
//! that it runs with no model download.

use std::fmt::Write as _;
use std::path::Path;

use agent_mira::embedding::hashed_ngrams;
use agent_mira::{
    Catalog, Engine, MiraError, Preferences, PropertyId, Recommendation, SimilarFilters,
};

/// Dimension of the text vectors attached in the example.
pub const TEXT_DIM: usize = 64;

/// The example's whole output for the repository at `root`.
///
/// # Errors
/// When the fixture cannot be read (or, with a changed fixture, refused).
pub fn run(root: &Path) -> Result<String, MiraError> {
    let mut out = String::new();
    let listings = Catalog::from_path(root.join("fixtures/listings/embedded.json"))?;

    // 1. No vectors of our own: the structured embedding. (The fixture's
    //    own vectors are replaced below; here they are left out.)
    let mut plain = Catalog::builder().current_year(2025);
    for p in listings.properties() {
        plain.push(p.clone())?;
    }
    let engine = Engine::builder(plain.build()).current_year(2025).build();
    let sfh = SimilarFilters::from_json(serde_json::json!({"property_types": ["sfh"]}))?;
    section(
        &mut out,
        "Like 103, single-family homes only (structured embedding):",
        &engine.similar(&PropertyId::from(103u64), 3, &sfh)?,
    );

    // 2. Vectors from the host's model, attached in one call: one row per
    //    id, every listing's vector replaced (a new dimension is allowed
    //    then).
    let ids: Vec<PropertyId> = listings.properties().map(|p| p.id.clone()).collect();
    let mut matrix = Vec::with_capacity(ids.len() * TEXT_DIM);
    for p in listings.properties() {
        let description = p
            .attributes
            .get("description")
            .and_then(|d| d.as_str())
            .unwrap_or("");
        let text = format!("{} {description}", p.title.as_deref().unwrap_or(""));
        matrix.extend(hashed_ngrams(&text, TEXT_DIM));
    }
    let catalog = listings.with_embeddings(&ids, &matrix, TEXT_DIM)?;
    let stats = catalog.stats();
    writeln!(
        out,
        "Attached {} vectors of {} numbers ({} bytes a listing).",
        stats.listings_with_embedding, stats.embedding_dim, stats.embedding_bytes_per_listing
    )
    .expect("writing to a String");
    let engine = Engine::builder(catalog).current_year(2025).build();
    section(
        &mut out,
        "Like 104 (text vectors):",
        &engine.similar(&PropertyId::from(104u64), 3, &SimilarFilters::default())?,
    );

    // 3. Similarity as one component of a ranking: a buyer who saved 104
    //    and 107, buying, with a budget.
    let buyer = Preferences::from_json(serde_json::json!({
        "listing_type": "sale",
        "budget": 700000,
        "similar_to": {"ids": [104, 107]}
    }))?;
    section(
        &mut out,
        "Recommended under $700,000 for a buyer who saved 104 and 107:",
        &engine.recommend(&buyer, 3)?,
    );
    Ok(out)
}

/// A heading, then each result's id, score, similarity and reasons.
fn section(out: &mut String, heading: &str, results: &[Recommendation]) {
    writeln!(out, "{heading}").expect("writing to a String");
    for r in results {
        let similarity = r.components.get("similarity").copied().unwrap_or(f64::NAN);
        writeln!(
            out,
            "  {} score {:.1} (similarity {similarity:.1}): {}",
            r.id,
            r.score,
            r.reasons.join("; ")
        )
        .expect("writing to a String");
    }
}
