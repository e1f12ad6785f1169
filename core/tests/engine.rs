//! Engine behaviour end to end: both profiles, filters, ties, pagination,
//! missing data, batches, weights, stats and catalog updates.

mod common;

use agent_mira::scoring::Profile;
use agent_mira::{Engine, Preferences, PriceSource, Property, PropertyId, Recommendation};
use common::{generated_catalog, sample_catalog};
use serde_json::json;

fn prefs(v: serde_json::Value) -> Preferences {
    Preferences::from_json(v).unwrap()
}

fn case_study() -> Engine {
    Engine::builder(sample_catalog())
        .profile(Profile::case_study())
        .current_year(2025)
        .build()
}

fn balanced() -> Engine {
    Engine::builder(sample_catalog()).current_year(2025).build()
}

fn ids(results: &[Recommendation]) -> Vec<u64> {
    results
        .iter()
        .map(|r| match r.id {
            PropertyId::Int(i) => i,
            PropertyId::Str(_) => panic!("string id"),
        })
        .collect()
}

fn find(results: &[Recommendation], id: u64) -> &Recommendation {
    results
        .iter()
        .find(|r| r.id == PropertyId::Int(id))
        .unwrap()
}

#[test]
fn case_study_total_equals_the_hand_computed_formula() {
    let all = case_study()
        .recommend(&prefs(json!({"budget": 700000, "min_bedrooms": 3})), 20)
        .unwrap();
    let r = find(&all, 101);
    // 101: $725,000, 3 bd, school 8.5, commute 22 min, built 1924, garden only.
    let expected = 0.30 * (100.0 - (725_000.0 - 700_000.0) / 700_000.0 * 100.0)
        + 0.20 * 100.0
        + 0.15 * (8.5 / 10.0 * 100.0)
        + 0.15 * 80.0
        + 0.10 * 40.0
        + 0.10 * (1.0 / 3.0 * 100.0);
    assert_eq!(r.score, expected);
    assert!((r.score - 81.011_904_761_904_76).abs() < 1e-9);
    assert_eq!(
        r.components["price_match"],
        100.0 - 25_000.0 / 700_000.0 * 100.0
    );
    assert_eq!(r.components["bedrooms"], 100.0);
    assert_eq!(r.components["school_rating"], 85.0);
    assert_eq!(r.components["commute"], 80.0);
    assert_eq!(r.components["property_age"], 40.0);
    assert_eq!(r.components["amenities"], 1.0 / 3.0 * 100.0);
}

#[test]
fn case_study_bedrooms_short_of_the_minimum_score_a_ratio() {
    let all = case_study()
        .recommend(&prefs(json!({"budget": 500000, "min_bedrooms": 4})), 20)
        .unwrap();
    let r = find(&all, 104); // 2 bedrooms of 4 asked
    assert_eq!(r.components["bedrooms"], 50.0);
    assert_eq!(
        r.reasons[1],
        "2 bedrooms, 2 fewer than the 4 you asked for (50/100)"
    );
    // 104: $540,000 vs $500,000 → 92; commute 8 → 100; built 2008 → 17 y → 60; no pool/garage/garden → 0.
    let expected = 0.30 * (100.0 - 40_000.0 / 500_000.0 * 100.0)
        + 0.20 * 50.0
        + 0.15 * 60.0
        + 0.15 * 100.0
        + 0.10 * 60.0
        + 0.0;
    assert_eq!(r.score, expected);
}

#[test]
fn missing_data_is_left_out_and_said() {
    let all = case_study()
        .recommend(&prefs(json!({"budget": 700000, "min_bedrooms": 3})), 20)
        .unwrap();
    let r = find(&all, 109); // only price, bedrooms and location known
    assert_eq!(
        r.unknown,
        vec!["school_rating", "commute", "property_age", "amenities"]
    );
    assert_eq!(r.components.len(), 2);
    // (0.3·100 + 0.2·100) / 0.5
    assert_eq!(r.score, 100.0);
    assert!(r
        .reasons
        .contains(&"School rating unknown (left out of the score)".to_string()));
    assert!(r
        .reasons
        .contains(&"Commute time unknown (left out of the score)".to_string()));
    assert!(r
        .reasons
        .contains(&"Year built unknown (left out of the score)".to_string()));

    let r = find(&all, 110); // everything but the school rating: commute 40 → 50, built 1989 → 36 y → 40
    assert_eq!(r.unknown, vec!["school_rating"]);
    let expected = (0.30 * (100.0 - 145_000.0 / 700_000.0 * 100.0)
        + 0.20 * 100.0
        + 0.15 * 50.0
        + 0.10 * 40.0
        + 0.10 * 100.0)
        / (0.30 + 0.20 + 0.15 + 0.10 + 0.10);
    assert!(
        (r.score - expected).abs() < 1e-12,
        "{} vs {expected}",
        r.score
    );
}

#[test]
fn without_a_model_the_listed_price_is_used_and_said() {
    let top = case_study()
        .recommend(&prefs(json!({"budget": 700000})), 3)
        .unwrap();
    for r in &top {
        assert_eq!(r.price_source, PriceSource::Listed);
        assert_eq!(r.predicted_price, r.listed_price);
        assert_eq!(
            r.reasons.last().unwrap(),
            "No price model: the predicted price is the listed price"
        );
    }
}

#[test]
fn reasons_read_like_sentences() {
    let all = case_study()
        .recommend(&prefs(json!({"budget": 700000, "min_bedrooms": 3})), 20)
        .unwrap();
    let r = find(&all, 101);
    assert_eq!(
        r.reasons,
        vec![
            "Listed $725,000, $25,000 (4%) over your $700,000 budget (96/100)",
            "3 bedrooms (you asked for at least 3)",
            "School rating 8.5/10 (85/100)",
            "Commute 22 min (80/100)",
            "Built 1924 (101 years old, 40/100)",
            "Has garden; no pool or garage (33/100)",
            "No price model: the predicted price is the listed price",
        ]
    );
}

#[test]
fn ties_break_on_predicted_price_then_id() {
    let all = case_study()
        .recommend(&prefs(json!({"budget": 650000, "min_bedrooms": 3})), 20)
        .unwrap();
    let a = all
        .iter()
        .position(|r| r.id == PropertyId::Int(111))
        .unwrap();
    let b = all
        .iter()
        .position(|r| r.id == PropertyId::Int(112))
        .unwrap();
    assert_eq!(all[a].score, all[b].score);
    assert_eq!(b, a + 1);
    for w in all.windows(2) {
        assert!(
            w[0].score > w[1].score
                || (w[0].score == w[1].score && w[0].predicted_price <= w[1].predicted_price),
            "order broken between {:?} and {:?}",
            w[0].id,
            w[1].id
        );
    }
}

#[test]
fn pagination_slices_the_full_ranking() {
    let engine = balanced();
    let p = prefs(json!({"budget": 800000, "location": "Seattle, WA"}));
    let full = engine.recommend(&p, 12).unwrap();
    assert_eq!(full.len(), 12);
    assert_eq!(
        engine.recommend_page(&p, 3, 2).unwrap(),
        full[2..5].to_vec()
    );
    assert_eq!(
        engine.recommend_page(&p, 5, 10).unwrap(),
        full[10..].to_vec()
    );
    assert!(engine.recommend_page(&p, 5, 12).unwrap().is_empty());
}

#[test]
fn k_zero_k_too_big_and_empty_catalogs() {
    let engine = balanced();
    let p = prefs(json!({"budget": 800000}));
    assert!(engine.recommend(&p, 0).unwrap().is_empty());
    assert_eq!(engine.recommend(&p, 1000).unwrap().len(), 12);
    let empty = Engine::new(agent_mira::Catalog::empty());
    assert!(empty.recommend(&p, 3).unwrap().is_empty());
    let err = engine.recommend_page(&p, 9_000, 2_000).unwrap_err();
    assert_eq!(
        err.to_string(),
        "preferences: field `k + offset` = 9000 + 2000: expected at most 10000 results per request"
    );
}

#[test]
fn filters_remove_listings() {
    let engine = balanced();
    let rentals_out = engine
        .recommend(&prefs(json!({"listing_type": "sale"})), 20)
        .unwrap();
    assert_eq!(rentals_out.len(), 11);
    assert!(!ids(&rentals_out).contains(&108));

    let mut condos = ids(&engine
        .recommend(&prefs(json!({"property_types": ["condo"]})), 20)
        .unwrap());
    condos.sort();
    assert_eq!(condos, vec![104, 107]);

    // "Swimming Pool", "Community Pool" and "Pool" all count; 109 (amenities unknown) cannot be confirmed.
    let mut pools = ids(&engine
        .recommend(&prefs(json!({"must_have_amenities": ["pool"]})), 20)
        .unwrap());
    pools.sort();
    assert_eq!(pools, vec![103, 107, 110]);

    let none = engine
        .recommend(&prefs(json!({"must_have_amenities": ["helipad"]})), 20)
        .unwrap();
    assert!(none.is_empty());
}

#[test]
fn a_filter_the_profile_lacks_is_refused() {
    let mut profile = Profile::case_study();
    profile.filters.clear();
    let engine = Engine::builder(sample_catalog())
        .profile(profile)
        .current_year(2025)
        .build();
    let err = engine
        .recommend(&prefs(json!({"must_have_amenities": ["pool"]})), 3)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "preferences: field `must_have_amenities` = [\"pool\"]: expected nothing: the profile `case-study` has no must_have_amenities filter"
    );
}

#[test]
fn weights_override_per_request_and_are_validated() {
    let engine = case_study();
    let only_price = prefs(
        json!({"budget": 500000, "weights": {"bedrooms": 0, "school_rating": 0, "commute": 0, "property_age": 0, "amenities": 0}}),
    );
    let top = engine.recommend(&only_price, 20).unwrap();
    // Only the price counts: everything at or under $500,000 scores 100, cheapest first.
    assert_eq!(ids(&top[..4]), vec![108, 109, 105, 106]);
    assert!(top[..4].iter().all(|r| r.score == 100.0));

    let err = engine
        .recommend(&prefs(json!({"weights": {"comute": 1}})), 3)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "preferences: unknown field `weights.comute` (did you mean `weights.commute`?)"
    );
    let err = engine
        .recommend(&prefs(json!({"weights": {"location": 1}})), 3)
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("preferences: unknown field `weights.location`"),
        "{err}"
    );
    let zero: serde_json::Value = json!({"weights": {"price_match": 0, "bedrooms": 0, "school_rating": 0, "commute": 0, "property_age": 0, "amenities": 0}});
    assert!(engine
        .recommend(&prefs(zero), 3)
        .unwrap_err()
        .to_string()
        .contains("at least one component with a weight > 0"));
}

#[test]
fn balanced_scores_location_by_distance() {
    let all = balanced()
        .recommend(&prefs(json!({"location": "seattle"})), 20)
        .unwrap();
    let inside = find(&all, 104);
    assert_eq!(inside.components["location"], 100.0);
    assert!(inside.reasons.contains(&"In Seattle, WA".to_string()));
    let kirkland = find(&all, 107);
    let loc = kirkland.components["location"];
    assert!(loc > 0.0 && loc < 100.0, "{loc}");
    let reason = kirkland
        .reasons
        .iter()
        .find(|r| r.starts_with("In Kirkland, WA, "))
        .unwrap();
    assert!(reason.contains(" km from seattle ("), "{reason}");
    // Kent is farther from Seattle than Kirkland.
    assert!(find(&all, 105).components["location"] < loc);
}

#[test]
fn balanced_decays_are_smooth() {
    let all = balanced()
        .recommend(
            &prefs(json!({"budget": 450000, "min_bedrooms": 3, "max_commute_time": 30})),
            20,
        )
        .unwrap();
    let kent = find(&all, 105); // $455,000, commute 48
    let over = 5_000.0f64 / 450_000.0;
    assert!(
        (kent.components["price_match"] - 100.0 * (0.5f64.ln() * (over / 0.1).powi(2)).exp()).abs()
            < 1e-9
    );
    assert!(
        (kent.components["commute"] - 100.0 * (0.5f64.ln() * (18.0f64 / 15.0).powi(2)).exp()).abs()
            < 1e-9
    );
    assert_eq!(
        kent.reasons
            .iter()
            .find(|r| r.starts_with("Commute"))
            .unwrap(),
        "Commute 48 min, 18 min over your 30 min limit (37/100)"
    );
    let renton = find(&all, 106); // 2 bedrooms of 3: one short → 50
    assert!((renton.components["bedrooms"] - 50.0).abs() < 1e-12);
}

#[test]
fn batch_equals_one_by_one_and_names_the_bad_request() {
    let engine = balanced();
    let many: Vec<Preferences> = (0..20)
        .map(|i| prefs(json!({"budget": 400000 + 50000 * (i % 7), "min_bedrooms": i % 4, "location": if i % 2 == 0 {"Seattle, WA"} else {"Bellevue"}})))
        .collect();
    let batch = engine.recommend_batch(&many, 3).unwrap();
    for (p, got) in many.iter().zip(&batch) {
        assert_eq!(&engine.recommend(p, 3).unwrap(), got);
    }
    let mut bad = many.clone();
    bad[5].budget = Some(-3.0);
    let err = engine.recommend_batch(&bad, 3).unwrap_err();
    assert_eq!(
        err.to_string(),
        "preferences #5: field `budget` = -3: expected a finite number of dollars > 0"
    );
}

#[test]
fn stats_count_queries_and_results() {
    let engine = balanced();
    engine.recommend(&Preferences::default(), 3).unwrap();
    engine
        .recommend_batch(&[Preferences::default(), Preferences::default()], 2)
        .unwrap();
    let s = engine.stats();
    assert_eq!((s.queries, s.batches, s.results), (3, 1, 7));
    assert_eq!(
        (s.catalog_version, s.listings, s.profile.as_str()),
        (1, 12, "balanced")
    );
    assert_eq!(s.current_year, 2025);
}

#[test]
fn updating_the_catalog_leaves_running_engines_alone() {
    let old = case_study();
    let mut cheap = Property::new(999, 100_000.0);
    cheap.bedrooms = Some(5);
    let next = old.catalog().upsert(vec![cheap]).unwrap();
    let new = old.with_catalog(next).unwrap();
    let p = prefs(json!({"budget": 300000, "min_bedrooms": 3}));
    assert_eq!(new.recommend(&p, 1).unwrap()[0].id, PropertyId::Int(999));
    assert_ne!(old.recommend(&p, 1).unwrap()[0].id, PropertyId::Int(999));
    assert_eq!(
        (old.stats().catalog_version, new.stats().catalog_version),
        (1, 2)
    );
}

#[test]
fn predicted_prices_are_checked() {
    let err = Engine::builder(sample_catalog())
        .predicted_prices(vec![1.0; 3])
        .try_build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "engine settings: field `predicted_prices` = 3 prices: expected one per listing (12)"
    );
    let mut prices = vec![500_000.0; 12];
    prices[4] = f64::NAN;
    let err = Engine::builder(sample_catalog())
        .predicted_prices(prices)
        .try_build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "listing 105: field `predicted_price` = NaN: expected a finite number > 0"
    );
}

#[test]
fn value_for_money_appears_with_predicted_prices() {
    let mut prices: Vec<f64> = sample_catalog().properties().map(|p| p.price).collect();
    prices[0] = 780_000.0; // 101 listed at $725,000: 7% below its predicted value
    let engine = Engine::builder(sample_catalog())
        .predicted_prices(prices)
        .current_year(2025)
        .build();
    let all = engine
        .recommend(&prefs(json!({"budget": 800000})), 20)
        .unwrap();
    let r = find(&all, 101);
    assert_eq!(r.price_source, PriceSource::Model);
    assert_eq!(r.components["value"], 100.0);
    assert!(
        r.reasons.contains(
            &"Listed $725,000, about 7% below its estimated value of $780,000 (100/100)"
                .to_string()
        ),
        "{:?}",
        r.reasons
    );
    assert!(r
        .reasons
        .contains(&"Listed $725,000, within your $800,000 budget".to_string()));
}

#[test]
fn same_results_on_one_thread_and_many() {
    let engine = Engine::builder(generated_catalog(120_000))
        .current_year(2025)
        .build();
    let p = prefs(
        json!({"budget": 650000, "location": "Bellevue, WA", "min_bedrooms": 3, "preferred_amenities": ["pool", "garden"]}),
    );
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| engine.recommend(&p, 25).unwrap());
    let four = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap()
        .install(|| engine.recommend(&p, 25).unwrap());
    assert_eq!(one, four);
}

#[test]
fn top_k_is_the_prefix_of_the_full_ranking() {
    let engine = Engine::builder(generated_catalog(40_000))
        .profile(Profile::case_study())
        .current_year(2025)
        .build();
    let p = prefs(json!({"budget": 500000, "min_bedrooms": 2}));
    let long = engine.recommend(&p, 5_000).unwrap();
    for k in [1, 3, 10, 100] {
        assert_eq!(engine.recommend(&p, k).unwrap(), long[..k].to_vec());
    }
    for w in long.windows(2) {
        assert!(w[0].score >= w[1].score);
    }
}

#[test]
fn every_score_is_the_weighted_mean_of_its_components() {
    // The block scorer (component by component) and the per-listing
    // breakdown must agree for every result, under both profiles.
    let catalog = generated_catalog(5_000);
    let p = prefs(
        json!({"budget": 600000, "location": "Kent, WA", "min_bedrooms": 3, "min_bathrooms": 2,
                         "min_size_sqft": 1500, "max_commute_time": 25, "min_school_rating": 6,
                         "preferred_amenities": ["pool", "garden", "gym"]}),
    );
    for profile in [Profile::balanced(), Profile::case_study()] {
        let engine = Engine::builder(catalog.clone())
            .profile(profile.clone())
            .current_year(2025)
            .build();
        let results = engine.recommend(&p, 2_000).unwrap();
        assert_eq!(results.len(), 2_000);
        for r in &results {
            let (mut sum, mut weight) = (0.0, 0.0);
            for c in &profile.components {
                if let Some(s) = r.components.get(c.name.as_str()) {
                    assert!((0.0..=100.0).contains(s), "{} = {s}", c.name);
                    sum += c.weight * s;
                    weight += c.weight;
                }
            }
            let expected = if (weight - 1.0f64).abs() <= 1e-12 {
                sum
            } else {
                sum / weight
            };
            assert_eq!(r.score, expected, "listing {} under {}", r.id, profile.name);
        }
    }
}

// ---- Renting: fixtures/listings/rentals.json (see its README section) ----

fn rentals(profile: &str) -> Engine {
    let catalog =
        agent_mira::Catalog::from_path(common::fixtures().join("listings/rentals.json")).unwrap();
    Engine::builder(catalog)
        .profile_name(profile)
        .unwrap()
        .current_year(2025)
        .build()
}

fn str_ids(results: &[Recommendation]) -> Vec<String> {
    results.iter().map(|r| r.id.to_string()).collect()
}

fn by_id<'a>(results: &'a [Recommendation], id: &str) -> &'a Recommendation {
    results.iter().find(|r| r.id.to_string() == id).unwrap()
}

/// The renter: a 2-bedroom in Mumbai under ₹40,000 a month, moving
/// in on 1 July for 11 months.
fn mumbai_renter() -> serde_json::Value {
    json!({
        "listing_type": "long_term_rent", "budget": 40000, "location": "Mumbai",
        "min_bedrooms": 2, "move_in": "2022-07-01", "lease_months": 11, "currency": "INR"
    })
}

#[test]
fn a_renter_gets_only_listings_that_fit_the_stay() {
    for profile in ["balanced", "case-study"] {
        let all = rentals(profile)
            .recommend(&prefs(mumbai_renter()), 20)
            .unwrap();
        let mut got = str_ids(&all);
        got.sort();
        // Out: mum-4 (free from 15 Jul, after the move-in), mum-6 (until 31
        // Dec, before the lease ends on 1 Jun 2023), mum-7 (at least 24
        // months), mum-8 (short-term), mum-sale-1 (a sale), sea-1..3 (USD).
        assert_eq!(
            got,
            ["mum-1", "mum-10", "mum-2", "mum-3", "mum-5", "mum-9", "pun-1", "pun-2"],
            "{profile}"
        );
    }
}

#[test]
fn balanced_ranks_a_renter_and_says_why() {
    let all = rentals("balanced")
        .recommend(&prefs(mumbai_renter()), 20)
        .unwrap();
    assert_eq!(
        str_ids(&all),
        ["mum-5", "mum-1", "mum-3", "mum-2", "mum-10", "pun-2", "pun-1", "mum-9"]
    );
    // mum-1: within budget, in Mumbai, 2 bedrooms, free 3 days before.
    let r = by_id(&all, "mum-1");
    let availability = 100.0 * agent_mira::scoring::Decay::exp(0.0, 30.0, 0.5).factor(3.0);
    assert_eq!(r.components["availability"], availability);
    let sum = 0.25 * 100.0 + 0.15 * 100.0 + 0.12 * 100.0 + 0.10 * availability;
    assert_eq!(r.score, sum / (0.25 + 0.15 + 0.12 + 0.10));
    assert_eq!(
        r.reasons,
        [
            "Rent ₹38,000/month is within your ₹40,000 budget",
            "In Bandra West, Mumbai",
            "2 bedrooms (you asked for at least 2)",
            "Available from 28 Jun, 3 days before your move-in",
            "Takes leases of 11 to 36 months",
            "No price model: the predicted price is the listed price",
        ]
    );
    assert_eq!(r.rent_per_month, Some(38_000.0));
    assert_eq!(r.currency.code(), "INR");
    // Quoted per week: ₹9,000 a week is ₹39,000 a month.
    let weekly = by_id(&all, "mum-3");
    assert_eq!(
        weekly.reasons[0],
        "Rent ₹39,000/month (₹9,000/week) is within your ₹40,000 budget"
    );
    assert_eq!(weekly.rent_per_month, Some(9_000.0 * 52.0 / 12.0));
    // Over budget, said like a sale's.
    assert_eq!(
        by_id(&all, "mum-2").reasons[0],
        "Rent ₹42,000/month is ₹2,000 (5%) over your ₹40,000 budget (84/100)"
    );
    // Free for months: kept, scored lower, said so.
    assert_eq!(
        by_id(&all, "mum-10").reasons[3],
        "Available since 20 Apr, 72 days before your move-in (19/100)"
    );
    // Availability unknown: kept, never a silent match.
    let unknown = by_id(&all, "mum-5");
    assert!(!unknown.components.contains_key("availability"));
    assert!(unknown.unknown.contains(&"availability".to_string()));
    assert!(unknown
        .reasons
        .contains(&"Availability unknown (left out of the score)".to_string()));
    // A Pune listing is elsewhere: no coordinates, not in Mumbai.
    assert_eq!(by_id(&all, "pun-1").components["location"], 0.0);
}

#[test]
fn the_case_study_applies_the_stay_and_says_availability_without_scoring_it() {
    let all = rentals("case-study")
        .recommend(&prefs(mumbai_renter()), 20)
        .unwrap();
    let r = by_id(&all, "mum-5");
    assert!(!r.components.contains_key("availability"));
    assert!(r.reasons.contains(&"Availability unknown".to_string()));
    let r = by_id(&all, "mum-3");
    // The case study's budget rule on the rent converted to a month.
    assert_eq!(r.components["price_match"], 100.0);
    assert_eq!(
        r.reasons[2],
        "Available from 1 Jun, 30 days before your move-in"
    );
    let over = by_id(&all, "mum-2");
    assert_eq!(
        over.components["price_match"],
        100.0 - (42_000.0 - 40_000.0) / 40_000.0 * 100.0
    );
}

#[test]
fn rents_meet_a_weekly_or_nightly_budget_in_its_period() {
    let engine = rentals("balanced");
    let weekly = engine
        .recommend(
            &prefs(
                json!({"listing_type": "long_term_rent", "budget": 9000, "budget_period": "week",
                          "currency": "INR", "location": "Andheri East, Mumbai"}),
            ),
            20,
        )
        .unwrap();
    let r = by_id(&weekly, "mum-3");
    assert_eq!(
        r.components["price_match"], 100.0,
        "₹9,000 a week, as asked"
    );
    assert_eq!(
        r.reasons[0],
        "Rent ₹9,000/week is within your ₹9,000/week budget"
    );
    let r = by_id(&weekly, "mum-1");
    assert_eq!(
        r.reasons[0],
        "Rent ₹8,769/week (₹38,000/month) is within your ₹9,000/week budget"
    );
    // ₹42,000 a month is ₹42,000 × 12 / 52 a week.
    let r = by_id(&weekly, "mum-2");
    let week = 42_000.0 * 1.0 / (52.0 / 12.0);
    let over = (week - 9_000.0) / 9_000.0;
    let expected = 100.0 * agent_mira::scoring::Decay::gauss(0.0, 0.10, 0.5).factor(over);
    assert!((r.components["price_match"] - expected).abs() < 1e-9);
    let nightly = engine
        .recommend(
            &prefs(
                json!({"listing_type": "short_term_rent", "budget": 200, "budget_period": "night",
                          "currency": "USD", "move_in": "2022-07-01", "lease_months": 1}),
            ),
            20,
        )
        .unwrap();
    assert_eq!(str_ids(&nightly), ["sea-3"]);
    assert_eq!(
        nightly[0].reasons[0],
        "Rent $210/night is $10 (5%) over your $200/night budget (84/100)"
    );
}

#[test]
fn lease_limits_and_pets_are_hard_filters() {
    let engine = rentals("balanced");
    let short = |months: u32| {
        str_ids(
            &engine
                .recommend(
                    &prefs(json!({"listing_type": "short_term_rent", "currency": "INR",
                                  "move_in": "2022-07-10", "lease_months": months})),
                    20,
                )
                .unwrap(),
        )
    };
    assert_eq!(short(2), ["mum-8"]);
    assert!(short(4).is_empty(), "mum-8 takes at most 3 months");
    // Until 30 Sep: a stay from 10 Jul ends by then only within 2 months.
    assert_eq!(short(3), Vec::<String>::new());
    let pets = engine
        .recommend(
            &prefs(json!({"listing_type": "long_term_rent", "currency": "INR", "pets": true})),
            20,
        )
        .unwrap();
    let got = str_ids(&pets);
    assert!(!got.contains(&"mum-2".to_string()), "mum-2 refuses pets");
    assert_eq!(got.len(), 10);
    assert!(by_id(&pets, "mum-5")
        .reasons
        .contains(&"Pets allowed: not stated".to_string()));
    assert!(by_id(&pets, "mum-1")
        .reasons
        .contains(&"Pets allowed".to_string()));
}

#[test]
fn furnishing_scores_steps_from_the_one_asked_for() {
    let all = rentals("balanced")
        .recommend(
            &prefs(json!({"listing_type": "long_term_rent", "currency": "INR", "furnishing": "furnished"})),
            20,
        )
        .unwrap();
    let furnishing = |id| by_id(&all, id).components.get("furnishing").copied();
    assert_eq!(furnishing("mum-2"), Some(100.0));
    assert_eq!(furnishing("mum-1"), Some(50.0));
    assert_eq!(furnishing("mum-3"), Some(0.0));
    assert_eq!(furnishing("mum-5"), None);
    assert!(by_id(&all, "mum-2")
        .reasons
        .contains(&"Furnished, as you asked".to_string()));
    assert!(by_id(&all, "mum-1")
        .reasons
        .contains(&"Semi-furnished (you asked for furnished)".to_string()));
    assert!(by_id(&all, "mum-5")
        .reasons
        .contains(&"Furnishing unknown (left out of the score)".to_string()));
}

#[test]
fn a_catalog_that_mixes_currencies_needs_one_named() {
    let engine = rentals("balanced");
    let err = engine
        .recommend(&prefs(json!({"budget": 40000})), 5)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "preferences: field `currency` = (absent): expected one of the catalog's currencies (INR 13, USD 3): the catalog mixes currencies, so name one"
    );
    let err = engine
        .recommend(&prefs(json!({"currency": "EUR"})), 5)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "preferences: field `currency` = \"EUR\": expected a currency some listing is priced in: INR, USD"
    );
    let answer = engine
        .recommend_with_stats(&prefs(json!({"currency": "usd"})), 20, 0)
        .unwrap();
    let mut got = str_ids(&answer.results);
    got.sort();
    assert_eq!(got, ["sea-1", "sea-2", "sea-3"]);
    assert_eq!(answer.stats.currency.code(), "USD");
    assert_eq!(
        (answer.stats.catalog_listings, answer.stats.other_currency),
        (16, 13)
    );
    assert!(answer.results.iter().all(|r| r.currency.code() == "USD"));
    // The sale has no rent per month.
    let inr = engine
        .recommend(
            &prefs(json!({"currency": "INR", "listing_type": "sale"})),
            5,
        )
        .unwrap();
    assert_eq!(str_ids(&inr), ["mum-sale-1"]);
    assert_eq!(inr[0].rent_per_month, None);
    assert_eq!(
        inr[0].reasons,
        ["No price model: the predicted price is the listed price"]
    );
    // A catalog in one currency needs none named, and counts nothing out.
    let answer = balanced()
        .recommend_with_stats(&prefs(json!({"budget": 700000})), 3, 0)
        .unwrap();
    assert_eq!(answer.stats.currency.code(), "USD");
    assert_eq!(answer.stats.other_currency, 0);
    assert_eq!(
        answer.results,
        balanced()
            .recommend(&prefs(json!({"budget": 700000})), 3)
            .unwrap()
    );
}

#[test]
fn places_match_by_city_locality_or_both() {
    let engine = rentals("balanced");
    let score = |wanted: &str, id: &str| {
        let all = engine
            .recommend(&prefs(json!({"currency": "INR", "location": wanted})), 20)
            .unwrap();
        by_id(&all, id).components["location"]
    };
    for wanted in ["Mumbai", "Bandra West", "bandra west, mumbai"] {
        assert_eq!(score(wanted, "mum-1"), 100.0, "{wanted}");
    }
    assert_eq!(score("Bandra West", "mum-2"), 0.0);
    assert_eq!(score("Mumbai", "pun-1"), 0.0);
    let err = engine
        .recommend(&prefs(json!({"currency": "INR", "location": "Mumbay"})), 5)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "preferences: field `location` = \"Mumbay\": expected a place in the catalog (did you mean Mumbai?)"
    );
}
