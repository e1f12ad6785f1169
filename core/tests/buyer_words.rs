//! What a buyer reads: budget fit against the asking price (off the case
//! study), reasons phrased as a person would say them, places the catalog
//! does not know refused, and fields no listing has said once.

mod common;

use std::sync::OnceLock;

use agent_mira::format::dollars;
use agent_mira::model::ValuationModel;
use agent_mira::scoring::Profile;
use agent_mira::{Catalog, Engine, Preferences, PropertyId, Recommendation};
use common::sample_catalog;
use serde_json::json;

fn prefs(v: serde_json::Value) -> Preferences {
    Preferences::from_json(v).unwrap()
}

/// The bundled King County catalog priced by the bundled model, `balanced`.
fn king_county() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let fixtures = common::fixtures();
        let catalog = Catalog::from_path(fixtures.join("king_county/listings.csv")).unwrap();
        let model = ValuationModel::load(fixtures.join("models/king-county/model.json")).unwrap();
        Engine::builder(catalog)
            .model(model)
            .current_year(2025)
            .try_build()
            .unwrap()
    })
}

fn find(results: &[Recommendation], id: u64) -> &Recommendation {
    results
        .iter()
        .find(|r| r.id == PropertyId::Int(id))
        .unwrap_or_else(|| panic!("{id} not in the results"))
}

#[test]
fn balanced_budget_fit_uses_the_listed_price() {
    // Contract: listed above the budget never scores price_match 100, and
    // its reasons name the listed price.
    let engine = king_county();
    let budget = 700_000.0;
    let all = engine
        .recommend(
            &prefs(json!({"budget": budget, "location": "Bellevue, WA", "min_bedrooms": 3})),
            400,
        )
        .unwrap();
    let (mut over, mut under_but_predicted_over) = (0, 0);
    for r in &all {
        let price_match = r.components["price_match"];
        if r.listed_price > budget {
            over += 1;
            assert!(price_match < 100.0, "{:?}", r);
            assert!(
                r.reasons[0].starts_with(&format!("Listed {}, ", dollars(r.listed_price))),
                "{:?}",
                r.reasons
            );
        } else {
            assert_eq!(price_match, 100.0, "{r:?}");
            assert_eq!(
                r.reasons[0],
                format!(
                    "Listed {}, within your $700,000 budget",
                    dollars(r.listed_price)
                )
            );
            under_but_predicted_over += usize::from(r.predicted_price > budget);
        }
    }
    assert!(
        over > 10 && under_but_predicted_over > 10,
        "{over} over, {under_but_predicted_over} under"
    );
}

#[test]
fn the_case_study_keeps_predicted_price_against_budget() {
    let engine = Engine::builder(king_county().catalog().clone())
        .profile(Profile::case_study())
        .predicted_prices(
            (0..king_county().catalog().len())
                .map(|row| king_county().predicted_price_at(row))
                .collect(),
        )
        .current_year(2025)
        .build();
    let all = engine
        .recommend(&prefs(json!({"budget": 450000, "min_bedrooms": 4})), 2000)
        .unwrap();
    let listed_over = all
        .iter()
        .filter(|r| r.listed_price > 450_000.0 && r.predicted_price <= 450_000.0)
        .inspect(|r| assert_eq!(r.components["price_match"], 100.0))
        .count();
    assert!(listed_over > 0);
    let r = &all[0];
    assert_eq!(
        r.reasons[0],
        format!(
            "Predicted {}, within your $450,000 budget (listed at {})",
            dollars(r.predicted_price),
            dollars(r.listed_price)
        )
    );
}

#[test]
fn a_little_over_budget_is_said_in_dollars_not_zero_percent() {
    // 101 is listed at $725,000: $2,170 over a $722,830 budget.
    let engine = Engine::builder(sample_catalog())
        .profile(Profile::case_study())
        .current_year(2025)
        .build();
    let all = engine
        .recommend(&prefs(json!({"budget": 722830})), 20)
        .unwrap();
    assert_eq!(
        find(&all, 101).reasons[0],
        "Listed $725,000, $2,170 over your $722,830 budget (100/100)"
    );
    // From 1 % on, the share too.
    let all = engine
        .recommend(&prefs(json!({"budget": 700000})), 20)
        .unwrap();
    assert_eq!(
        find(&all, 101).reasons[0],
        "Listed $725,000, $25,000 (4%) over your $700,000 budget (96/100)"
    );
}

#[test]
fn a_misspelt_place_is_refused_with_the_closest_known_one() {
    let err = king_county()
        .recommend(
            &prefs(json!({"budget": 900000, "location": "Belleveu, WA"})),
            3,
        )
        .unwrap_err();
    assert_eq!(err.code(), "MIRA_INVALID_FIELD");
    assert_eq!(
        err.to_string(),
        "preferences: field `location` = \"Belleveu, WA\": expected a place in the catalog (did you mean Bellevue, WA?)"
    );
    // A city without its state is matched through its leading words.
    let err = king_county()
        .recommend(&prefs(json!({"location": "Kirkand"})), 3)
        .unwrap_err();
    assert!(
        err.to_string().ends_with("(did you mean Kirkland, WA?)"),
        "{err}"
    );
    // Nothing close: said so, not a guess.
    let err = king_county()
        .recommend(&prefs(json!({"location": "Timbuktu, Mali"})), 3)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "preferences: field `location` = \"Timbuktu, Mali\": expected a place in the catalog (none is close to it; `mira stats` lists them)"
    );
}

#[test]
fn known_places_are_never_refused() {
    let engine = king_county();
    for place in ["Bellevue, WA", "bellevue", "BELLEVUE wa", "Seattle"] {
        let top = engine
            .recommend(&prefs(json!({"location": place})), 1)
            .unwrap();
        assert_eq!(top[0].components["location"], 100.0, "{place}");
    }
    for place in engine.catalog().stats().locations.iter().map(|(p, _)| p) {
        engine
            .recommend(&prefs(json!({"location": place})), 1)
            .unwrap_or_else(|e| panic!("{place}: {e}"));
    }
}

#[test]
fn fields_no_listing_has_are_said_once_not_per_result() {
    let engine = king_county();
    assert_eq!(
        engine.stats().unknown_fields,
        vec!["school_rating", "commute_time"]
    );
    let top = engine
        .recommend(
            &prefs(json!({"budget": 900000, "location": "Bellevue, WA"})),
            10,
        )
        .unwrap();
    for r in &top {
        assert!(
            r.reasons.iter().all(|reason| !reason.contains("unknown")),
            "{:?}",
            r.reasons
        );
    }
    // A field only some listings lack is still said per result.
    let engine = Engine::builder(sample_catalog())
        .profile(Profile::case_study())
        .current_year(2025)
        .build();
    assert!(engine.stats().unknown_fields.is_empty());
    let all = engine
        .recommend(&prefs(json!({"budget": 700000})), 20)
        .unwrap();
    assert!(find(&all, 110)
        .reasons
        .contains(&"School rating unknown (left out of the score)".to_string()));
}

#[test]
fn value_for_money_names_the_listed_price() {
    let top = king_county()
        .recommend(
            &prefs(json!({"budget": 950000, "location": "Bellevue, WA", "min_bedrooms": 3, "min_bathrooms": 2, "min_size_sqft": 1800, "preferred_amenities": ["view"], "listing_type": "sale"})),
            1,
        )
        .unwrap();
    assert_eq!(
        top[0].reasons.last().unwrap(),
        "Listed $719,000, about 23% below its estimated value of $932,386 (100/100)"
    );
}

#[test]
fn an_empty_catalog_checks_only_the_form_of_a_place() {
    // An engine on no listings validates preferences (the FastAPI example
    // does so before storing a session): any well-formed place passes.
    let engine = Engine::builder(Catalog::builder().build())
        .current_year(2025)
        .build();
    let top = engine
        .recommend(&prefs(json!({"location": "Testville, WA"})), 1)
        .unwrap();
    assert!(top.is_empty());
}
