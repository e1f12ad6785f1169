//! Grounded explanations (`Engine::explain`): on random catalogs and
//! buyers, every explanation's contributions add up to its total exactly
//! (in order and in reverse), the total and reasons are those of
//! `recommend`, and a listing passes the explanation's filters exactly
//! when `recommend` ranks it. Then what a few explanations say.

mod prop_support;

use agent_mira::{Catalog, Engine, Explanation, Preferences, Profile, Property};
use prop_support::{catalog_of, known_place, listings, preferences, YEAR};
use proptest::prelude::*;
use serde_json::json;

const PROFILES: [&str; 3] = ["balanced", "case-study", "investment"];

fn fit(prefs: &Preferences, profile: &str) -> Preferences {
    let profile = Profile::by_name(profile).unwrap();
    let mut p = prefs.clone();
    if let Some(w) = &mut p.weights {
        w.retain(|name, _| profile.weight_of(name).is_some());
    }
    if profile.weight_of("similarity").is_none() {
        p.similar_to = None;
    }
    p
}

fn in_order(e: &Explanation) -> f64 {
    e.components.iter().fold(0.0, |acc, c| acc + c.contribution)
}

fn reversed(e: &Explanation) -> f64 {
    e.components
        .iter()
        .rev()
        .fold(0.0, |acc, c| acc + c.contribution)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn explanations_add_up_and_agree_with_recommend(
        listings in listings(1, 12),
        prefs in preferences(),
    ) {
        let prefs = known_place(&prefs, &listings);
        for profile in PROFILES {
            let prefs = fit(&prefs, profile);
            let engine = Engine::builder(catalog_of(&listings))
                .profile(Profile::by_name(profile).unwrap())
                .current_year(YEAR)
                .build();
            let Ok(results) = engine.recommend(&prefs, engine.catalog().len()) else {
                // Refused requests are refused by explain alike.
                prop_assert!(engine.explain(&prefs, &listings[0].id).is_err());
                continue;
            };
            for listing in &listings {
                let e = engine.explain(&prefs, &listing.id).unwrap();
                prop_assert_eq!(in_order(&e), e.total, "{}: {:?}", profile, e);
                prop_assert_eq!(reversed(&e), e.total, "{}: {:?}", profile, e);
                for c in &e.components {
                    prop_assert!(c.contribution >= 0.0, "{}: {:?}", profile, c);
                    prop_assert_eq!(c.known, c.score.is_some());
                    if !c.asked { prop_assert!(!c.known && c.sentence.is_none()); }
                }
                prop_assert_eq!(e.passed, e.filters.iter().all(|f| f.passed));
                let ranked = results.iter().find(|r| r.id == listing.id);
                prop_assert_eq!(e.passed, ranked.is_some(), "{}: {:?}", profile, e);
                if let Some(r) = ranked {
                    prop_assert_eq!(e.total, r.score);
                    prop_assert_eq!(&e.reasons, &r.reasons);
                    prop_assert_eq!(e.predicted_price, r.predicted_price);
                    prop_assert_eq!(&e.metrics, &r.metrics);
                    for c in &e.components {
                        prop_assert_eq!(c.score, r.components.get(&c.name).copied(), "{}", c.name);
                        prop_assert_eq!(c.asked && !c.known, r.unknown.contains(&c.name), "{}", c.name);
                    }
                } else {
                    prop_assert!(e.reasons[0].starts_with("Removed by "), "{:?}", e.reasons);
                }
            }
        }
    }
}

fn sample() -> Engine {
    let mut b = Catalog::builder();
    let mut sale = Property::new(1u64, 450_000.0);
    sale.bedrooms = Some(2);
    sale.location = Some("Seattle, WA".into());
    sale.listing_type = Some(agent_mira::listing::ListingType::Sale);
    let mut rental = Property::new(2u64, 2_400.0);
    rental.bedrooms = Some(3);
    rental.location = Some("Seattle, WA".into());
    rental.listing_type = Some(agent_mira::listing::ListingType::LongTermRent);
    b.push(sale).unwrap().push(rental).unwrap();
    Engine::builder(b.build()).current_year(2025).build()
}

fn buyer(v: serde_json::Value) -> Preferences {
    Preferences::from_json(v).unwrap()
}

#[test]
fn a_component_carries_the_facts_its_sentence_says() {
    let engine = sample();
    let prefs = buyer(
        json!({"budget": 500000, "min_bedrooms": 3, "location": "Seattle, WA", "listing_type": "sale"}),
    );
    let e = engine.explain(&prefs, &1u64.into()).unwrap();
    let get = |name: &str| {
        e.components
            .iter()
            .find(|c| c.name == name)
            .unwrap()
            .clone()
    };
    let beds = get("bedrooms");
    assert_eq!((beds.inputs.listing, beds.inputs.ask), (json!(2), json!(3)));
    assert_eq!(beds.score, Some(50.0));
    assert_eq!(
        beds.sentence.as_deref(),
        Some("2 bedrooms, 1 fewer than the 3 you asked for (50/100)")
    );
    let price = get("price_match");
    assert_eq!(price.inputs.listing, json!({"listed_price": 450000.0}));
    assert_eq!(
        price.inputs.ask,
        json!({"budget": 500000.0, "currency": "USD"})
    );
    let place = get("location");
    assert_eq!(
        place.inputs.listing,
        json!({"location": "Seattle, WA", "distance_km": 0.0})
    );
    let commute = get("commute");
    assert!(
        commute.asked && !commute.known && commute.sentence.is_none(),
        "no listing has a commute: said once per answer, not per listing: {commute:?}"
    );
    let size = get("size");
    assert!(!size.asked && size.contribution == 0.0);
    assert_eq!(e.filters.len(), 1);
    assert_eq!(e.filters[0].name, "listing_type");
    assert_eq!(e.filters[0].detail, "Listed as sale, as asked");
    assert!(e.passed);
    // Shares of the known components add up to 1; the weights are the profile's.
    let shares: f64 = e.components.iter().map(|c| c.share).sum();
    assert!((shares - 1.0).abs() < 1e-12, "{shares}");
    assert_eq!(get("price_match").weight, 0.25);
}

#[test]
fn a_listing_a_filter_removes_says_which_and_why() {
    let engine = sample();
    let prefs = buyer(json!({"budget": 500000, "listing_type": "sale"}));
    let e = engine.explain(&prefs, &2u64.into()).unwrap();
    assert!(!e.passed);
    assert_eq!(e.filters[0].name, "listing_type");
    assert!(!e.filters[0].passed);
    assert_eq!(e.filters[0].listing, json!("long_term_rent"));
    assert_eq!(e.filters[0].detail, "Listed as long_term_rent, not sale");
    assert_eq!(
        e.reasons[0],
        "Removed by listing_type: Listed as long_term_rent, not sale"
    );
    assert!(engine
        .recommend(&prefs, 5)
        .unwrap()
        .iter()
        .all(|r| r.id != 2u64.into()));
}

#[test]
fn explain_refuses_what_recommend_refuses_and_unknown_ids() {
    let engine = sample();
    let err = engine
        .explain(&buyer(json!({"budget": 1})), &9u64.into())
        .unwrap_err();
    assert_eq!(err.to_string(), "no listing with id 9");
    let bad = Preferences {
        budget: Some(-1.0),
        ..Preferences::default()
    };
    assert_eq!(
        engine.explain(&bad, &1u64.into()).unwrap_err().to_string(),
        engine.recommend(&bad, 1).unwrap_err().to_string()
    );
}
