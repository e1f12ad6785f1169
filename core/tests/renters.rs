//! The issue's renter end to end on the real India data: "a 2-bedroom in
//! Mumbai under ₹40,000 a month, moving in on 1 July for 11 months", with
//! the bundled rent model. Every answer must fit the stay, be in rupees and
//! say why in a renter's words.

use std::path::PathBuf;

use agent_mira::catalog::loaders::{load_csv, CsvMapping, LoadOptions};
use agent_mira::model::ValuationModel;
use agent_mira::{Catalog, Date, Engine, ListingType, Preferences, PriceSource};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn india() -> Catalog {
    let options = LoadOptions::new()
        .csv_mapping(CsvMapping::preset("india-rent").unwrap())
        .builder(Catalog::builder().current_year(2022));
    load_csv(fixtures().join("india_rent/india_house_rent.csv"), options).unwrap()
}

fn engine() -> Engine {
    let model = ValuationModel::load(fixtures().join("models/india-rent/model.json")).unwrap();
    Engine::builder(india())
        .model(model)
        .current_year(2022)
        .build()
}

fn renter() -> Preferences {
    Preferences::from_json(serde_json::json!({
        "listing_type": "long_term_rent", "location": "Mumbai", "min_bedrooms": 2,
        "budget": 40_000, "currency": "INR", "move_in": "2022-07-01", "lease_months": 11
    }))
    .unwrap()
}

#[test]
fn every_answer_fits_the_stay_in_mumbai_in_rupees() {
    let engine = engine();
    let move_in: Date = "2022-07-01".parse().unwrap();
    let results = engine.recommend(&renter(), 50).unwrap();
    assert_eq!(results.len(), 50);
    for rec in &results {
        let listing = engine.get(&rec.id).unwrap();
        assert_eq!(listing.listing_type, Some(ListingType::LongTermRent));
        assert!(
            listing.location.as_deref().unwrap().ends_with(", Mumbai"),
            "{listing:?}"
        );
        // The file has a posting day for every listing and no end: open-ended.
        assert!(listing.available_from.unwrap() <= move_in, "{listing:?}");
        assert_eq!(rec.currency.code(), "INR");
        assert_eq!(rec.price_source, PriceSource::Model);
        assert_eq!(rec.rent_per_month, Some(listing.price));
        let rent = &rec.reasons[0];
        assert!(
            rent.starts_with("Rent ₹") && rent.contains("/month"),
            "{rent}"
        );
        assert!(
            rec.reasons.iter().any(|r| r.starts_with("Available ")),
            "{:?}",
            rec.reasons
        );
    }
    // Best first; the ones at the top are within budget.
    assert!(results.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(results[0].listed_price <= 40_000.0);
}

#[test]
fn the_model_prices_rent_and_says_so_in_a_renters_words() {
    let engine = engine();
    let results = engine.recommend(&renter(), 3).unwrap();
    // The model's domain warnings speak of rent too.
    let reasons: Vec<&String> = results.iter().flat_map(|r| &r.reasons).collect();
    assert!(reasons
        .iter()
        .any(|r| r.starts_with("Predicted rent less certain: location ")));
    assert!(!reasons.iter().any(|r| r.starts_with("Predicted price")));
    let top = &results[0];
    let value = top
        .reasons
        .iter()
        .find(|r| r.contains("estimated rent"))
        .expect("a value reason");
    let listed = top.listed_price;
    let predicted = top.predicted_price;
    let pct = ((listed - predicted) / predicted).abs() * 100.0;
    let money = |x: f64| top.currency.format_amount(x);
    assert_eq!(
        value,
        &format!(
            "Rent {}/month, about {:.0}% {} its estimated rent of {}/month ({}/100)",
            money(listed),
            pct,
            if listed < predicted { "below" } else { "above" },
            money(predicted),
            top.components["value"].round()
        )
    );
}

#[test]
fn listings_posted_after_the_move_in_day_are_left_out() {
    let move_in: Date = "2022-07-01".parse().unwrap();
    // Mumbai's listings only, so that a full ranking fits in one answer.
    let mut builder = Catalog::builder().current_year(2022);
    for p in india().properties() {
        if p.location
            .as_deref()
            .is_some_and(|l| l.ends_with(", Mumbai"))
        {
            builder.push(p.clone()).unwrap();
        }
    }
    let mumbai = builder.build();
    let late: Vec<_> = mumbai
        .properties()
        .filter(|p| p.available_from.is_some_and(|d| d > move_in))
        .map(|p| p.id.clone())
        .collect();
    assert!(
        !late.is_empty(),
        "the file has Mumbai listings posted in July"
    );
    let n = mumbai.len();
    let engine = Engine::builder(mumbai).current_year(2022).build();
    let all = engine.recommend(&renter(), n).unwrap();
    assert_eq!(all.len(), n - late.len());
    assert!(all.iter().all(|r| !late.contains(&r.id)));
    // Without a move-in day they are back.
    let mut anytime = renter();
    anytime.move_in = None;
    assert_eq!(engine.recommend(&anytime, n).unwrap().len(), n);
}

#[test]
fn a_weekly_budget_is_the_same_renter_at_52_over_12() {
    let engine = engine();
    let monthly = engine.recommend(&renter(), 10).unwrap();
    let mut weekly = renter();
    weekly.budget = Some(40_000.0 * 12.0 / 52.0);
    weekly.budget_period = Some(agent_mira::RentPeriod::Week);
    let weekly = engine.recommend(&weekly, 10).unwrap();
    let ids = |r: &[agent_mira::Recommendation]| r.iter().map(|x| x.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&monthly), ids(&weekly));
}
