//! An investor end to end over `fixtures/listings/investment.json`
//! (hand-written King County sales with given rents; see the fixtures
//! README for the hand-computed table): thresholds keep exactly the
//! listings that meet them, every result's metrics are the documented
//! formulas, unknown rent never passes, a rental never gets metrics, and
//! the pruned scan, the full scan and pages all agree.

use std::path::PathBuf;

use agent_mira::catalog::loaders::{load_json, LoadOptions};
use agent_mira::investment::{self, RentSource};
use agent_mira::model::ValuationModel;
use agent_mira::scoring::Filter;
use agent_mira::{Catalog, Engine, Preferences, Profile, Recommendation};
use serde_json::{json, Value};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn catalog() -> Catalog {
    let options = LoadOptions::new().builder(Catalog::builder().current_year(2025));
    load_json(fixtures().join("listings/investment.json"), options).unwrap()
}

fn price_model() -> ValuationModel {
    ValuationModel::load(fixtures().join("models/king-county/model.json")).unwrap()
}

fn engine(pruning: bool) -> Engine {
    Engine::builder(catalog())
        .model(price_model())
        .profile_name("investment")
        .unwrap()
        .current_year(2025)
        .pruning(pruning)
        .build()
}

fn prefs(v: Value) -> Preferences {
    Preferences::from_json(v).unwrap()
}

fn refused(v: Value) -> String {
    Preferences::from_json(v).unwrap_err().to_string()
}

fn ids(recs: &[Recommendation]) -> Vec<String> {
    let mut out: Vec<String> = recs.iter().map(|r| r.id.to_string()).collect();
    out.sort();
    out
}

fn inv(range: std::ops::RangeInclusive<u32>) -> Vec<String> {
    range.map(|n| format!("inv-{n:02}")).collect()
}

/// Rounded to `places` decimals, to compare with hand-computed figures.
fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

/// An investor buying to let, 20 % down at 6.5 % over 30 years, the
/// default assumptions, with `extra` keys on top.
fn investor(extra: Value) -> Preferences {
    let mut v = json!({"listing_type": "sale", "mortgage_rate": 0.065});
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    prefs(v)
}

const ALL: usize = 50;

#[test]
fn thresholds_keep_exactly_the_listings_that_meet_them() {
    let engine = engine(true);
    // The expected lists come from the fixtures README's table (computed
    // by fixtures/listings/investment_table.py, not by the engine).
    let cases = [
        // Gross yield ≥ 7.25 %: 7.5 % (inv-08) and up.
        (json!({"min_gross_yield": 0.0725}), inv(8..=14)),
        // Cap rate ≥ 5 %: 5.2488 % (inv-10) and up; inv-09 has 4.94 %.
        (json!({"min_cap_rate": 0.05}), inv(10..=14)),
        // Cash flow ≥ 0: +$22.50 (inv-12) and up; inv-11 has −$112.28.
        (json!({"min_cash_flow": 0}), inv(12..=14)),
        // Cash flow ≥ −$150: inv-11 (−$112.28) too, not inv-10 (−$196.58).
        (json!({"min_cash_flow": -150}), inv(11..=14)),
        // Every threshold at once: each one binds somewhere, the
        // intersection is inv-11..14 (yield keeps 08..14, cap rate 10..14,
        // cash flow 11..14).
        (
            json!({"min_gross_yield": 0.0725, "min_cap_rate": 0.05, "min_cash_flow": -150}),
            inv(11..=14),
        ),
        // A yield no listing reaches.
        (json!({"min_gross_yield": 0.125}), vec![]),
    ];
    for (extra, expected) in cases {
        let got = engine.recommend(&investor(extra.clone()), ALL).unwrap();
        assert_eq!(ids(&got), expected, "{extra}");
    }
}

#[test]
fn a_threshold_is_met_when_equal() {
    // 12 × 2,200 ÷ 330,000 is 0.08 exactly in binary floating point too
    // (inv-09), and the engine's filter uses the arithmetic of the metrics.
    assert_eq!(12.0 * 2_200.0 / 330_000.0, 0.08);
    let engine = engine(true);
    let got = engine
        .recommend(&investor(json!({"min_gross_yield": 0.08})), ALL)
        .unwrap();
    assert_eq!(ids(&got), inv(9..=14));
    let above = engine
        .recommend(&investor(json!({"min_gross_yield": 0.080_000_1})), ALL)
        .unwrap();
    assert_eq!(ids(&above), inv(10..=14));
}

#[test]
fn changed_terms_move_the_cash_flow_threshold() {
    // 25 % down at 6 % over 30 years, no vacancy, 30 % expenses: the
    // payment is 0.75 × price × 0.0059955 a month and the rent left is
    // 0.7 × rent, so the cash flow is ≥ 0 from a gross yield of about
    // 7.71 % (12 × 0.75 × 0.0059955 ÷ 0.7): inv-08 (7.5 %) fails, inv-09
    // (8 %) passes.
    let engine = engine(true);
    let terms = json!({
        "mortgage_rate": 0.06, "down_payment": 0.25, "vacancy": 0, "expense_ratio": 0.3,
        "min_cash_flow": 0
    });
    let got = engine.recommend(&investor(terms), ALL).unwrap();
    assert_eq!(ids(&got), inv(9..=14));
}

#[test]
fn unknown_rent_never_passes_and_a_rental_never_gets_metrics() {
    let engine = engine(true);
    // The investment profile ranks only the 14 sales with a rent (its
    // Investable filter), each with metrics.
    let ranked = engine
        .recommend(&prefs(json!({"mortgage_rate": 0.065})), ALL)
        .unwrap();
    assert_eq!(ids(&ranked), inv(1..=14));
    assert!(ranked.iter().all(|r| r.metrics.is_some()));
    // A profile without that filter: every listing comes back; only the
    // 14 sales with a rent carry metrics.
    let mut profile = Profile::investment();
    profile.filters.retain(|f| *f != Filter::Investable);
    let open = Engine::builder(catalog())
        .model(price_model())
        .profile(profile)
        .current_year(2025)
        .build();
    let all = open
        .recommend(&prefs(json!({"mortgage_rate": 0.065})), ALL)
        .unwrap();
    assert_eq!(all.len(), 17);
    let without: Vec<String> = {
        let none: Vec<Recommendation> = all
            .iter()
            .filter(|r| r.metrics.is_none())
            .cloned()
            .collect();
        ids(&none)
    };
    assert_eq!(without, ["inv-15", "inv-16", "inv-rent-1"]);
    for r in &all {
        let reason = match r.id.to_string().as_str() {
            "inv-rent-1" => "For rent, not for sale: no investment figures (left out of the score)",
            "inv-15" | "inv-16" => "Rent estimate unknown (left out of the score)",
            _ => continue,
        };
        assert!(r.reasons.iter().any(|x| x == reason), "{:?}", r.reasons);
        assert!(!r.components.contains_key("gross_yield"), "{r:?}");
        assert!(!r.components.contains_key("cash_flow"), "{r:?}");
    }
    // Any threshold, however low, leaves the three out.
    for extra in [
        json!({"min_gross_yield": 0}),
        json!({"min_cap_rate": 0}),
        json!({"min_cash_flow": -1e9}),
    ] {
        let mut v = json!({"mortgage_rate": 0.065});
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let got = open.recommend(&prefs(v), ALL).unwrap();
        assert_eq!(ids(&got), inv(1..=14), "{extra}");
    }
    let stats = engine.stats();
    assert_eq!((stats.rent_estimates, stats.rent_model_estimates), (14, 0));
}

#[test]
fn every_results_metrics_are_the_documented_formulas() {
    let engine = engine(true);
    let model = price_model();
    // A mortgage on the default assumptions, no mortgage, other terms.
    let terms = [
        json!({"listing_type": "sale", "mortgage_rate": 0.065}),
        json!({"listing_type": "sale"}),
        json!({
            "listing_type": "sale",
            "mortgage_rate": 0.07, "down_payment": 0.25, "mortgage_years": 25,
            "vacancy": 0.08, "expense_ratio": 0.4, "closing_costs": 0.04
        }),
    ];
    for t in terms {
        let p = prefs(t.clone());
        let invest = p.investment_terms().unwrap();
        let financed = invest.mortgage.is_some();
        let results = engine.recommend(&p, ALL).unwrap();
        // The 14 sales with a rent (the profile leaves out inv-15 and
        // inv-16, whose rent is unknown).
        assert_eq!(results.len(), 14, "{t}");
        for r in &results {
            let listing = engine.get(&r.id).unwrap();
            let Some(rent) = listing.estimated_rent else {
                assert_eq!(r.metrics, None);
                continue;
            };
            let predicted = model.value(listing).unwrap().price;
            assert_eq!(r.predicted_price, predicted);
            let expected = investment::metrics(
                listing.price,
                rent,
                RentSource::Given,
                Some(predicted),
                &invest.assumptions,
                invest.mortgage.as_ref(),
            )
            .unwrap();
            assert_eq!(r.metrics, Some(expected), "{} {t}", r.id);
            // Cash flow and cash-on-cash only with a mortgage.
            assert_eq!(expected.monthly_cash_flow.is_some(), financed);
            assert_eq!(expected.cash_on_cash.is_some(), financed);
            // And one listing analysed alone on the same terms.
            assert_eq!(
                engine.analyze_investment(listing, &invest).unwrap(),
                expected
            );
        }
    }
}

#[test]
fn two_listings_match_the_hand_computed_table() {
    let engine = engine(true);
    let results = engine
        .recommend(&investor(json!({"min_cash_flow": 0})), ALL)
        .unwrap();
    let by_id = |id: &str| {
        results
            .iter()
            .find(|r| r.id.to_string() == id)
            .and_then(|r| r.metrics)
            .unwrap()
    };
    // inv-12, Des Moines: $252,000, $2,100 a month (fixtures README).
    let m = by_id("inv-12");
    assert_eq!(
        (m.estimated_rent, m.rent_source),
        (2_100.0, RentSource::Given)
    );
    assert_eq!(m.gross_yield, 0.1);
    assert_eq!(m.price_to_rent, 10.0);
    assert_eq!(round(m.net_operating_income, 2), 15_561.0);
    assert_eq!(round(m.cap_rate, 6), 0.06175);
    assert_eq!(m.mortgage_payment.map(|x| round(x, 2)), Some(1_274.25));
    assert_eq!(m.monthly_cash_flow.map(|x| round(x, 2)), Some(22.5));
    // 12 × 22.50 ÷ (252,000 × 0.23) = 0.47 %.
    assert_eq!(m.cash_on_cash.map(|x| round(x, 4)), Some(0.0047));
    // inv-14, Auburn: $228,000, $2,280 a month.
    let m = by_id("inv-14");
    assert_eq!(m.gross_yield, 0.12);
    assert_eq!(round(m.price_to_rent, 2), 8.33);
    assert_eq!(round(m.net_operating_income, 2), 16_894.8);
    assert_eq!(round(m.cap_rate, 6), 0.0741);
    assert_eq!(m.mortgage_payment.map(|x| round(x, 2)), Some(1_152.89));
    assert_eq!(m.monthly_cash_flow.map(|x| round(x, 2)), Some(255.01));
    assert_eq!(m.cash_on_cash.map(|x| round(x, 4)), Some(0.0584));
    // The value gap is the price model's: predicted ÷ listed − 1.
    let predicted = price_model()
        .value(engine.get(&"inv-14".into()).unwrap())
        .unwrap()
        .price;
    assert_eq!(m.value_gap, Some(predicted / 228_000.0 - 1.0));
}

#[test]
fn the_investment_profile_ranks_and_explains() {
    let engine = engine(true);
    let results = engine
        .recommend(&investor(json!({"min_cash_flow": 0})), ALL)
        .unwrap();
    let order: Vec<String> = results.iter().map(|r| r.id.to_string()).collect();
    assert_eq!(order, ["inv-14", "inv-13", "inv-12"]);
    // All three pay their mortgage (cash_flow 100) and rent for a tenth of
    // their price or more (gross_yield 100); the value gap decides:
    // value = 100 × 0.5^((listed ÷ predicted − 1) ÷ 0.15)², 100 below the
    // predicted price. Weights 0.30, 0.25 and 0.15, renormalised (no
    // budget, no place asked).
    let model = price_model();
    for r in &results {
        let listing = engine.get(&r.id).unwrap();
        let above = listing.price / model.value(listing).unwrap().price - 1.0;
        let value = 100.0 * 0.5f64.powf((above.max(0.0) / 0.15).powi(2));
        let expected = (0.30 * 100.0 + 0.25 * 100.0 + 0.15 * value) / 0.70;
        assert!(
            (r.score - expected).abs() < 1e-9,
            "{} {} {expected}",
            r.id,
            r.score
        );
        assert_eq!(r.components["gross_yield"], 100.0);
        assert_eq!(r.components["cash_flow"], 100.0);
    }
    assert_eq!(
        results[0].reasons,
        [
            "Gross yield 12 % (rent ≈ $2,280/month, the listing's estimate; 100/100)",
            "Cash flow +$255/month at 20 % down, 6.5 % over 30 years",
            "Listed $228,000, about 2% below its estimated value of $232,268 (100/100)",
        ]
    );
    // A yield of 7.5 %: 13.33 years of rent, gross_yield
    // 100 × 0.5^((13.33 − 10) ÷ 10)² = 92.6; a cash flow $459.71 short of
    // the rent left ($1,482 a month), 31 % short:
    // 100 × 0.5^(0.3102 ÷ 0.25)² = 34.4.
    let results = engine
        .recommend(&investor(json!({"min_gross_yield": 0.07})), ALL)
        .unwrap();
    let renton = results
        .iter()
        .find(|r| r.id.to_string() == "inv-08")
        .unwrap();
    assert_eq!(round(renton.components["gross_yield"], 1), 92.6);
    assert_eq!(round(renton.components["cash_flow"], 1), 34.4);
    assert_eq!(
        renton.reasons[..2],
        [
            "Gross yield 7.5 % (rent ≈ $2,400/month, the listing's estimate; 93/100)",
            "Cash flow -$460/month at 20 % down, 6.5 % over 30 years (34/100)",
        ]
    );
}

#[test]
fn pruned_and_full_scans_and_pages_agree() {
    let pruned = engine(true);
    let full = engine(false);
    let requests = [
        investor(json!({})),
        investor(json!({"min_gross_yield": 0.06, "budget": 350000, "location": "Seattle, WA"})),
        investor(json!({"min_cap_rate": 0.03, "min_cash_flow": -900, "down_payment": 0.3})),
        prefs(json!({"min_gross_yield": 0.045})),
        prefs(json!({"budget": 300000, "location": "Kent, WA"})),
    ];
    for p in &requests {
        let everything = full.recommend(p, ALL).unwrap();
        for k in [1, 3, 5, ALL] {
            assert_eq!(
                pruned.recommend(p, k).unwrap(),
                full.recommend(p, k).unwrap(),
                "{p:?} k={k}"
            );
        }
        // Pages of 3 put together are the full ranking.
        let mut paged = Vec::new();
        for offset in (0..everything.len() + 3).step_by(3) {
            paged.extend(pruned.recommend_page(p, 3, offset).unwrap());
        }
        assert_eq!(paged, everything, "{p:?}");
    }
}

#[test]
fn bad_investor_preferences_are_refused_by_name() {
    let cases = [
        // A percent slip.
        (
            json!({"min_gross_yield": 7}),
            "preferences: field `min_gross_yield` = 7: expected a fraction from 0 below 1 (0.06 for 6 %)",
        ),
        (
            json!({"min_cap_rate": 5.5}),
            "preferences: field `min_cap_rate` = 5.5: expected a fraction from 0 below 1 (0.06 for 6 %)",
        ),
        (
            json!({"min_cap_rate": -0.01}),
            "preferences: field `min_cap_rate` = -0.01: expected a fraction from 0 below 1 (0.06 for 6 %)",
        ),
        // Cash flow needs a mortgage to be measured against.
        (
            json!({"min_cash_flow": 200}),
            "preferences: field `min_cash_flow` = 200: expected a mortgage_rate beside it (cash flow is the rent left after the mortgage payment; 0 with down_payment 1 for a cash purchase)",
        ),
        (
            json!({"down_payment": 0.25}),
            "preferences: field `down_payment` = 0.25: expected a mortgage_rate beside it (the yearly rate of the mortgage, e.g. 0.065)",
        ),
        (
            json!({"mortgage_rate": 6.5}),
            "preferences: field `mortgage_rate` = 6.5: expected a yearly rate as a fraction between 0 and 1 (0.065 for 6.5 %)",
        ),
        (
            json!({"mortgage_rate": 0.065, "mortgage_years": 0}),
            "preferences: field `mortgage_years` = 0: expected a whole number of years between 1 and 50",
        ),
        (
            json!({"vacancy": 1}),
            "preferences: field `vacancy` = 1: expected a share from 0 below 1 (0.05 for 5 %)",
        ),
        (
            json!({"expense_ratio": 35}),
            "preferences: field `expense_ratio` = 35: expected a share from 0 below 1 (0.05 for 5 %)",
        ),
        (
            json!({"closing_costs": 0.6}),
            "preferences: field `closing_costs` = 0.6: expected a share of the price between 0 and 0.5 (0.03 for 3 %)",
        ),
    ];
    for (v, message) in cases {
        assert_eq!(refused(v.clone()), message, "{v}");
    }
    // Built in code rather than parsed, the engine refuses it the same way.
    let slip = Preferences {
        min_gross_yield: Some(7.0),
        ..Preferences::default()
    };
    assert_eq!(
        engine(true).recommend(&slip, 3).unwrap_err().to_string(),
        "preferences: field `min_gross_yield` = 7: expected a fraction from 0 below 1 (0.06 for 6 %)"
    );
}

#[test]
fn the_readmes_investor_gets_what_the_readme_says() {
    // README.md, "Investors": a cap rate of at least 5 %, 20 % down at
    // 6.5 % over 30 years, the top 3.
    let top = engine(true)
        .recommend(
            &prefs(json!({"listing_type": "sale", "min_cap_rate": 0.05, "mortgage_rate": 0.065})),
            3,
        )
        .unwrap();
    let order: Vec<String> = top.iter().map(|r| r.id.to_string()).collect();
    assert_eq!(order, ["inv-14", "inv-13", "inv-11"]);
    assert_eq!(
        top[0].reasons[..2],
        [
            "Gross yield 12 % (rent ≈ $2,280/month, the listing's estimate; 100/100)",
            "Cash flow +$255/month at 20 % down, 6.5 % over 30 years",
        ]
    );
}
