//! Similarity (issue 18): the `similar_to` preference and its
//! `similarity` component, and "homes like this one" (`Engine::similar`),
//! on catalogs without embeddings (the structured embedding).

mod common;

use agent_mira::listing::{ListingType, PropertyType};
use agent_mira::{
    Catalog, Currency, Engine, Preferences, Profile, Property, PropertyId, SimilarFilters,
};
use serde_json::json;

/// A hand-written neighbourhood (not market data): three alike homes in
/// Bellevue, a townhouse nearby, a mansion and a condo elsewhere.
/// Id, price, bedrooms, bathrooms, year built, place, coordinates, type.
type Home = (
    u64,
    f64,
    u32,
    f64,
    i32,
    &'static str,
    (f64, f64),
    PropertyType,
);

fn homes() -> Catalog {
    let rows: &[Home] = &[
        (
            1,
            700_000.0,
            3,
            2.0,
            1998,
            "Bellevue, WA",
            (47.610, -122.200),
            PropertyType::Sfh,
        ),
        (
            2,
            725_000.0,
            3,
            2.0,
            2003,
            "Bellevue, WA",
            (47.615, -122.195),
            PropertyType::Sfh,
        ),
        (
            3,
            690_000.0,
            3,
            2.5,
            1995,
            "Bellevue, WA",
            (47.600, -122.210),
            PropertyType::Sfh,
        ),
        (
            4,
            650_000.0,
            2,
            2.0,
            2010,
            "Bellevue, WA",
            (47.620, -122.190),
            PropertyType::Townhouse,
        ),
        (
            5,
            3_500_000.0,
            7,
            6.0,
            1925,
            "Medina, WA",
            (47.620, -122.240),
            PropertyType::Sfh,
        ),
        (
            6,
            420_000.0,
            1,
            1.0,
            2018,
            "Seattle, WA",
            (47.610, -122.330),
            PropertyType::Condo,
        ),
        (
            7,
            440_000.0,
            1,
            1.0,
            2016,
            "Seattle, WA",
            (47.612, -122.335),
            PropertyType::Condo,
        ),
    ];
    let mut b = Catalog::builder().current_year(2025);
    for &(id, price, beds, baths, year, place, (lat, lon), kind) in rows {
        let mut p = Property::new(id, price);
        p.bedrooms = Some(beds);
        p.bathrooms = Some(baths);
        p.year_built = Some(year);
        p.size_sqft = Some(f64::from(beds) * 600.0);
        p.location = Some(place.to_string());
        p.latitude = Some(lat);
        p.longitude = Some(lon);
        p.property_type = Some(kind);
        p.listing_type = Some(ListingType::Sale);
        b.push(p).unwrap();
    }
    b.build()
}

fn engine(catalog: Catalog) -> Engine {
    Engine::builder(catalog).current_year(2025).build()
}

fn ids(results: &[agent_mira::Recommendation]) -> Vec<PropertyId> {
    results.iter().map(|r| r.id.clone()).collect()
}

fn like(ids: &[u64]) -> Preferences {
    Preferences::from_json(json!({ "similar_to": { "ids": ids } })).unwrap()
}

#[test]
fn homes_like_this_one_are_the_alike_ones_with_reasons_from_their_fields() {
    let e = engine(homes());
    let got = e
        .similar(&1u64.into(), 3, &SimilarFilters::default())
        .unwrap();
    assert_eq!(ids(&got), vec![2u64.into(), 3u64.into(), 4u64.into()]);
    let first = &got[0];
    assert_eq!(first.components.len(), 1);
    assert_eq!(first.components["similarity"], first.score);
    assert_eq!(
        first.reasons[1..],
        [
            "Same 3 bd / 2 ba",
            "0.7 km away",
            "Built within 5 years (2003 vs 1998)",
            "Price within 10 % ($725,000)",
            "Also a single-family home",
        ]
    );
    assert!(
        first.reasons[0].starts_with("Like listing 1: similarity 0.9"),
        "{:?}",
        first.reasons
    );
    // Best first; the listing itself is never among them.
    assert!(got.windows(2).all(|w| w[0].score >= w[1].score));
    let everything = e
        .similar(&1u64.into(), 100, &SimilarFilters::default())
        .unwrap();
    assert_eq!(everything.len(), 6);
    assert!(!ids(&everything).contains(&1u64.into()));
    // The condos are alike; the mansion is like no condo.
    let condo = e
        .similar(&6u64.into(), 1, &SimilarFilters::default())
        .unwrap();
    assert_eq!(condo[0].id, 7u64.into());
    assert!(condo[0].reasons.contains(&"Also a condo".to_string()));
    assert!(condo[0].reasons.contains(&"Same 1 bd / 1 ba".to_string()));
}

#[test]
fn filters_apply_and_are_checked_by_name() {
    let e = engine(homes());
    let filters = SimilarFilters::from_json(json!({
        "property_types": ["condo", "townhouse"], "max_price": 600000
    }))
    .unwrap();
    let got = e.similar(&1u64.into(), 10, &filters).unwrap();
    assert_eq!(ids(&got), vec![6u64.into(), 7u64.into()]);
    let rent = SimilarFilters {
        listing_type: Some(ListingType::LongTermRent),
        ..SimilarFilters::default()
    };
    assert!(e.similar(&1u64.into(), 10, &rent).unwrap().is_empty());
    let euros = SimilarFilters {
        currency: Some("EUR".parse::<Currency>().unwrap()),
        ..SimilarFilters::default()
    };
    assert!(e.similar(&1u64.into(), 10, &euros).unwrap().is_empty());
    assert_eq!(
        SimilarFilters::from_json(json!({"property_type": ["condo"]}))
            .unwrap_err()
            .to_string(),
        "similar filters: unknown field `property_type` (did you mean `property_types`?)"
    );
    assert_eq!(
        SimilarFilters::from_json(json!({"max_price": -5}))
            .unwrap_err()
            .to_string(),
        "similar filters: field `max_price` = -5: expected a finite price > 0"
    );
}

#[test]
fn similar_refuses_unknown_ids_and_too_many_results() {
    let e = engine(homes());
    let none = SimilarFilters::default();
    assert_eq!(
        e.similar(&"x9".into(), 3, &none).unwrap_err().to_string(),
        "similar: field `id` = \"x9\": expected the id of a listing in the catalog"
    );
    assert_eq!(
        e.similar(&1u64.into(), 10_001, &none)
            .unwrap_err()
            .to_string(),
        "similar: field `k` = 10001: expected at most 10000 results per request"
    );
    assert!(e.similar(&1u64.into(), 0, &none).unwrap().is_empty());
}

#[test]
fn ties_are_broken_by_id_order() {
    // Identical twins of listing 10 under ids in scrambled order.
    let mut b = Catalog::builder().current_year(2025);
    for id in [10u64, 40, 20, 30, 5] {
        let mut p = Property::new(id, 500_000.0);
        p.bedrooms = Some(3);
        p.location = Some("Kent, WA".into());
        b.push(p).unwrap();
    }
    let mut odd = Property::new(99u64, 900_000.0);
    odd.bedrooms = Some(5);
    odd.location = Some("Kent, WA".into());
    b.push(odd).unwrap();
    let e = engine(b.build());
    let got = e
        .similar(&10u64.into(), 5, &SimilarFilters::default())
        .unwrap();
    assert_eq!(
        ids(&got),
        vec![
            5u64.into(),
            20u64.into(),
            30u64.into(),
            40u64.into(),
            99u64.into()
        ]
    );
    // Twins score the same (a unit vector's dot with itself, within f32
    // rounding of 1), the other lower.
    assert!(got[0].score > 99.999, "{}", got[0].score);
    assert!(got[..4].iter().all(|r| r.score == got[0].score));
    assert!(got[4].score < got[0].score);
}

#[test]
fn similar_to_scores_similarity_and_leaves_the_liked_homes_out() {
    let e = engine(homes());
    // Weighing only similarity (the rest that every buyer is scored on
    // weighs 0 here).
    let prefs = Preferences::from_json(json!({
        "similar_to": {"ids": [1]},
        "weights": {"property_age": 0, "school_rating": 0, "commute": 0}
    }))
    .unwrap();
    let got = e.recommend(&prefs, 10).unwrap();
    assert_eq!(got.len(), 6);
    assert!(!ids(&got).contains(&1u64.into()));
    // The only component weighed is similarity: the ranking is
    // similar()'s, and its scores are the same bits.
    let alike = e
        .similar(&1u64.into(), 10, &SimilarFilters::default())
        .unwrap();
    for r in &got {
        let s = alike.iter().find(|a| a.id == r.id).unwrap();
        assert_eq!(
            r.components["similarity"].to_bits(),
            s.score.to_bits(),
            "{:?}",
            r.id
        );
        assert_eq!(r.score, r.components["similarity"]);
    }
    assert_eq!(ids(&got), ids(&alike));
    assert_eq!(got[4].score, 0.0);
    assert!(
        got[0]
            .reasons
            .contains(&"Like the homes you saved: similarity 0.99 (99/100)".to_string()),
        "{:?}",
        got[0].reasons
    );
    // Two liked condos: condo-like homes first.
    let got = e.recommend(&like(&[6, 7]), 2).unwrap();
    assert!(!ids(&got).contains(&6u64.into()) && !ids(&got).contains(&7u64.into()));
    assert_eq!(got.len(), 2);
}

#[test]
fn buyers_who_do_not_ask_get_the_same_scores() {
    let e = engine(homes());
    let prefs = Preferences {
        budget: Some(700_000.0),
        min_bedrooms: Some(3),
        ..Preferences::default()
    };
    let without = e.recommend(&prefs, 10).unwrap();
    let mut no_similarity = Profile::balanced();
    no_similarity
        .components
        .retain(|c| c.name.as_str() != "similarity");
    let other = Engine::builder(homes())
        .current_year(2025)
        .profile(no_similarity)
        .build();
    assert_eq!(without, other.recommend(&prefs, 10).unwrap());
    // Asked, similarity weighs 0.20 beside the rest.
    let asked = Preferences {
        similar_to: like(&[6]).similar_to,
        ..prefs
    };
    let with = e.recommend(&asked, 10).unwrap();
    let r = with.iter().find(|r| r.id == 7u64.into()).unwrap();
    let before = without.iter().find(|r| r.id == 7u64.into()).unwrap();
    let total_weight: f64 = [0.25, 0.15, 0.12, 0.06, 0.06, 0.08, 0.10, 0.05, 0.08]
        .iter()
        .zip([
            "price_match",
            "location",
            "bedrooms",
            "bathrooms",
            "size",
            "school_rating",
            "commute",
            "property_age",
            "amenities",
        ])
        .filter(|(_, n)| before.components.contains_key(*n))
        .map(|(w, _)| w)
        .sum();
    let expected =
        (before.score * total_weight + 0.20 * r.components["similarity"]) / (total_weight + 0.20);
    assert!(
        (r.score - expected).abs() < 1e-9,
        "{} vs {expected}",
        r.score
    );
}

#[test]
fn similar_to_is_refused_by_name() {
    let e = engine(homes());
    let message = |v: serde_json::Value| match Preferences::from_json(v) {
        Ok(p) => e.recommend(&p, 3).unwrap_err().to_string(),
        Err(err) => err.to_string(),
    };
    assert_eq!(
        message(json!({"similar_to": {"ids": [1, "x9"]}})),
        "preferences: field `similar_to.ids[1]` = \"x9\": expected the id of a listing in the catalog"
    );
    assert_eq!(
        message(json!({"similar_to": {"vector": [0.1, 0.2]}})),
        "preferences: field `similar_to.vector` = 2 numbers: expected no vector: this catalog's listings have no embeddings"
    );
    assert_eq!(
        message(json!({"similar_to": {}})),
        "preferences: field `similar_to` = {}: expected listing ids (`ids`) or a vector (`vector`), or both"
    );
    assert_eq!(
        message(json!({"similar_to": {"ids": [1], "vectr": [1]}})),
        "preferences: field `similar_to.vectr` = [1]: expected `ids` or `vector`"
    );
    let nan = Preferences {
        similar_to: Some(agent_mira::preferences::SimilarTo {
            ids: vec![],
            vector: Some(vec![1.0, f32::NAN]),
        }),
        ..Preferences::default()
    };
    assert_eq!(
        e.recommend(&nan, 3).unwrap_err().to_string(),
        "preferences: field `similar_to.vector[1]` = NaN: expected a finite number"
    );
    let study = Engine::builder(homes())
        .current_year(2025)
        .profile_name("case-study")
        .unwrap()
        .build();
    assert_eq!(
        study.recommend(&like(&[1]), 3).unwrap_err().to_string(),
        "preferences: field `similar_to` = 1 ids: expected nothing: the profile `case-study` has no similarity component (the `balanced` profile has one)"
    );
}

/// `n` listings with vectors of `dim` numbers from a seed, drawn from a
/// few values (so that equal vectors, and ties, are common), ids out of
/// row order, some listings without a vector (`every` > 0: every
/// `every`-th).
fn embedded(seed: u64, n: usize, dim: usize, every: usize) -> Catalog {
    let mut x = seed | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut b = Catalog::builder().current_year(2025);
    for i in 0..n {
        let id: PropertyId = if i % 4 == 0 {
            format!("k{}", (n - i) * 11 % 997).into()
        } else {
            ((n - i) as u64 * 31).into()
        };
        let mut p = Property::new(id, 200_000.0 + (next() % 5) as f64 * 50_000.0);
        p.listing_type = Some(ListingType::ALL[(next() % 2) as usize]);
        if every == 0 || i % every != 0 {
            let mut v: Vec<f32> = (0..dim).map(|_| (next() % 5) as f32 - 2.0).collect();
            if v.iter().all(|x| *x == 0.0) {
                v[0] = 1.0;
            }
            p.embedding = Some(v);
        }
        b.push(p).unwrap();
    }
    b.build()
}

#[test]
fn with_embeddings_similar_ranks_exactly_like_sorting_every_dot() {
    use agent_mira::embedding::scan::dot;
    for seed in 1..=10u64 {
        let (n, dim) = (80 + seed as usize * 23, 1 + seed as usize * 5);
        let catalog = embedded(seed, n, dim, 9);
        let e = engine(catalog.clone());
        let vectors = catalog.embeddings();
        let filters = if seed % 2 == 0 {
            SimilarFilters {
                listing_type: Some(ListingType::Sale),
                ..SimilarFilters::default()
            }
        } else {
            SimilarFilters::default()
        };
        let mut ties = 0;
        for from in (1..n).step_by(n / 6) {
            let Some(query) = vectors.row(from) else {
                continue;
            };
            let id = catalog.property(from).id.clone();
            let mut expected: Vec<(f64, PropertyId)> = (0..n)
                .filter(|&r| r != from)
                .filter(|&r| {
                    filters.listing_type.is_none()
                        || catalog.property(r).listing_type == Some(ListingType::Sale)
                })
                .filter_map(|r| {
                    let cos = dot(vectors.row(r)?, query);
                    Some((100.0 * cos.max(0.0), catalog.property(r).id.clone()))
                })
                .collect();
            expected.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            ties += expected.windows(2).filter(|w| w[0].0 == w[1].0).count();
            for k in [1, 7, 50, n] {
                let got: Vec<(f64, PropertyId)> = e
                    .similar(&id, k, &filters)
                    .unwrap()
                    .into_iter()
                    .map(|r| (r.score, r.id))
                    .collect();
                let want: Vec<_> = expected.iter().take(k).cloned().collect();
                // Scores: 100 × max(0, cos) within the last bits of the
                // linear curve's arithmetic; the order exactly.
                assert_eq!(got.len(), want.len());
                for (g, w) in got.iter().zip(&want) {
                    assert_eq!(g.1, w.1, "seed {seed}, from {from}, k {k}");
                    assert!((g.0 - w.0).abs() < 1e-9, "{} vs {}", g.0, w.0);
                }
            }
        }
        assert!(ties > 0, "seed {seed}: no ties to break");
    }
}

#[test]
fn similar_to_with_embeddings_takes_ids_and_a_vector() {
    let mut b = Catalog::builder().current_year(2025);
    let rows: &[(u64, Option<[f32; 3]>)] = &[
        (1, Some([1.0, 0.0, 0.0])),
        (2, Some([0.9, 0.1, 0.0])),
        (3, Some([0.0, 1.0, 0.0])),
        (4, Some([0.0, 0.0, 2.0])),
        (5, None),
        (6, Some([-1.0, 0.0, 0.0])),
    ];
    for (id, v) in rows {
        let mut p = Property::new(*id, 500_000.0);
        p.embedding = v.map(|v| v.to_vec());
        b.push(p).unwrap();
    }
    let e = engine(b.build());
    let stats = e.stats();
    assert_eq!(
        (
            stats.embedding_dim,
            stats.listings_with_embedding,
            stats.embedding_bytes_per_listing
        ),
        (3, 5, 13)
    );
    let only = |v: serde_json::Value| {
        let mut p = Preferences::from_json(json!({ "similar_to": v })).unwrap();
        // Similarity alone (the components every buyer is scored on weigh 0).
        p.weights = Some(
            [
                ("property_age", 0.0),
                ("school_rating", 0.0),
                ("commute", 0.0),
            ]
            .into_iter()
            .map(|(k, w)| (k.to_string(), w))
            .collect(),
        );
        e.recommend(&p, 10).unwrap()
    };
    // Liked 1: 2 is closest, 3 and 4 orthogonal (0, ties by id), 6
    // opposite (0); 5 has no vector: unknown, ranked on nothing else.
    let got = only(json!({"ids": [1]}));
    assert_eq!(got[0].id, 2u64.into());
    let cos12 = 0.9 / (0.9f64 * 0.9 + 0.1 * 0.1).sqrt();
    assert!((got[0].components["similarity"] - 100.0 * cos12).abs() < 1e-5);
    let five = got.iter().find(|r| r.id == 5u64.into()).unwrap();
    assert!(five.unknown.contains(&"similarity".to_string()));
    assert!(!five.components.contains_key("similarity"));
    assert!(five
        .reasons
        .contains(&"Similarity (no embedding) unknown (left out of the score)".to_string()));
    // A vector alone, then with the liked listing: their mean direction.
    let got = only(json!({"vector": [0, 0, 5]}));
    assert_eq!(got[0].id, 4u64.into());
    assert_eq!(got[0].components["similarity"], 100.0);
    assert!(got[0]
        .reasons
        .contains(&"Like what you are looking for: similarity 1.00 (100/100)".to_string()));
    let got = only(json!({"ids": [3], "vector": [0, 0, 1]}));
    // Halfway between 3 and 4: 4 at cos 1/√2 (3, liked, left out).
    assert_eq!(got[0].id, 4u64.into());
    assert!(!ids(&got).contains(&3u64.into()));
    let half = 100.0 / 2f64.sqrt();
    assert!((got[0].components["similarity"] - half).abs() < 1e-5);
    // Refusals, by name.
    let err = |v: serde_json::Value| {
        let p = Preferences::from_json(json!({ "similar_to": v })).unwrap();
        e.recommend(&p, 3).unwrap_err().to_string()
    };
    assert_eq!(
        err(json!({"vector": [1, 2]})),
        "preferences: field `similar_to.vector` = 2 numbers: expected 3 numbers, the catalog's dimension"
    );
    assert_eq!(
        err(json!({"ids": [1, 5]})),
        "preferences: field `similar_to.ids[1]` = 5: expected a listing with an embedding (this one has none)"
    );
    assert_eq!(
        err(json!({"ids": [1, 6]})),
        "preferences: field `similar_to` = 2 listings: expected listings whose vectors do not cancel out (their mean has no direction)"
    );
    assert_eq!(
        e.similar(&5u64.into(), 3, &SimilarFilters::default())
            .unwrap_err()
            .to_string(),
        "similar: field `id` = 5: expected a listing with an embedding (this catalog's listings have them; this one has none)"
    );
    // similar(): cosine on the embeddings, the listing without one left out.
    let like1 = e
        .similar(&1u64.into(), 10, &SimilarFilters::default())
        .unwrap();
    assert_eq!(
        ids(&like1),
        vec![2u64.into(), 3u64.into(), 4u64.into(), 6u64.into()]
    );
}
