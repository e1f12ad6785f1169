//! The `mira` command line, run as a user would.

mod common;

use std::process::Command;

fn mira(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mira"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn fixture(rel: &str) -> String {
    common::fixtures().join(rel).to_string_lossy().into_owned()
}

#[test]
fn recommend_prints_a_table_with_reasons() {
    let (ok, out, err) = mira(&[
        "recommend",
        "--catalog",
        &fixture("case-study"),
        "--profile",
        "case-study",
        "--current-year",
        "2025",
        "--budget",
        "500000",
        "--min-bedrooms",
        "2",
    ]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        " 1. 3 BHK Apartment in Downtown — New York, NY  [id 1]"
    );
    assert_eq!(
        lines[1],
        "    score 88.9/100 · listed $450,000 · predicted $450,000 (listed)"
    );
    assert_eq!(
        lines[2],
        "    - Listed $450,000, within your $500,000 budget"
    );
    assert!(
        out.contains(" 3. Modern Townhouse with Backyard — Dallas, TX  [id 8]"),
        "{out}"
    );
}

#[test]
fn recommend_json_matches_the_library() {
    let (ok, out, err) = mira(&[
        "recommend",
        "--catalog",
        &fixture("listings/sample.json"),
        "--no-model",
        "--profile",
        "case-study",
        "--current-year",
        "2025",
        "--budget",
        "700000",
        "--min-bedrooms",
        "3",
        "-k",
        "12",
        "--json",
    ]);
    assert!(ok, "{err}");
    let got: serde_json::Value = serde_json::from_str(&out).unwrap();
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("golden/expected/case-study-sample.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(got, golden);
}

#[test]
fn recommend_reads_a_preferences_file_and_flags_override_it() {
    let dir = tempfile::tempdir().unwrap();
    let prefs = dir.path().join("prefs.json");
    std::fs::write(&prefs, r#"{"budget": 100000, "min_bedrooms": 3}"#).unwrap();
    let (ok, out, err) = mira(&[
        "recommend",
        "--catalog",
        &fixture("listings/sample.json"),
        "--no-model",
        "--profile",
        "case-study",
        "--current-year",
        "2025",
        "--prefs",
        prefs.to_str().unwrap(),
        "--budget",
        "700000",
        "-k",
        "12",
        "--json",
    ]);
    assert!(ok, "{err}");
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("golden/expected/case-study-sample.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out).unwrap(),
        golden
    );
}

#[test]
fn bad_preferences_fail_with_the_field_named() {
    let (ok, _, err) = mira(&[
        "recommend",
        "--catalog",
        &fixture("case-study"),
        "--budget=-5",
    ]);
    assert!(!ok);
    assert_eq!(
        err.trim(),
        "error: preferences: field `budget` = -5: expected a finite number of dollars > 0"
    );
    let (ok, _, err) = mira(&[
        "recommend",
        "--catalog",
        &fixture("case-study"),
        "--type",
        "castle",
    ]);
    assert!(!ok);
    assert!(
        err.contains("field `--type` = castle: expected one of sfh, condo"),
        "{err}"
    );
}

#[test]
fn validate_reports_ok_or_the_first_problem() {
    let (ok, out, _) = mira(&["validate", &fixture("case-study")]);
    assert!(ok);
    assert_eq!(out.trim(), "ok: 10 listings, no errors");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"id\": 1, \"price\": 10}\n{\"id\": 2, \"price\": 10, \"bedroms\": 2}\n",
    )
    .unwrap();
    let (ok, _, err) = mira(&["validate", bad.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        err.trim()
            .ends_with("bad.jsonl:2: unknown field `bedroms` (did you mean `bedrooms`?)"),
        "{err}"
    );
}

#[test]
fn stats_summarise_the_catalog() {
    let (ok, out, err) = mira(&["stats", &fixture("listings/sample.json"), "--json"]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["listings"], 12);
    assert_eq!(v["price"]["min"], 2850.0);
    assert_eq!(v["price"]["max"], 1150000.0);
    assert_eq!(v["known"]["school_rating"], 10);
    assert_eq!(
        v["locations"][0],
        serde_json::json!({"location": "Seattle, WA", "listings": 4})
    );
    let (ok, text, _) = mira(&["stats", &fixture("listings/sample.json")]);
    assert!(ok);
    assert!(
        text.starts_with("12 listings (catalog version 1)\nprice: $2,850 min"),
        "{text}"
    );
}

#[test]
fn stats_report_each_amenity_not_a_known_share() {
    let (ok, text, err) = mira(&["stats", &fixture("king_county/listings.csv")]);
    assert!(ok, "{err}");
    assert!(
        text.ends_with(
            "2 distinct amenities (amenity lists known for 21,430 listings); listings with each:\n  \
             view                             2,115 (9.9%)\n  \
             waterfront                         163 (0.8%)\n"
        ),
        "{text}"
    );
    assert!(!text.contains("  amenities "), "{text}");
}

#[test]
fn recommend_says_fields_no_listing_has_once() {
    let (ok, out, err) = mira(&[
        "recommend",
        "--catalog",
        &fixture("case-study"),
        "--profile",
        "case-study",
        "--current-year",
        "2025",
        "--budget",
        "500000",
        "-k",
        "3",
    ]);
    assert!(ok, "{err}");
    assert!(!out.contains("unknown (left out"), "{out}");
    assert_eq!(
        out.lines().last(),
        Some("Note: no listing in this catalog has a school rating, commute time or year built, so no score counts them.")
    );
    assert_eq!(out.matches("Note:").count(), 1);
}

#[test]
fn a_misspelt_place_is_refused_naming_the_closest() {
    let (ok, _, err) = mira(&[
        "recommend",
        "--catalog",
        &fixture("listings/sample.json"),
        "--no-model",
        "--location",
        "Seatle",
    ]);
    assert!(!ok);
    assert!(
        err.contains("field `location` = \"Seatle\": expected a place in the catalog (did you mean Seattle, WA?)"),
        "{err}"
    );
}

#[test]
fn snapshot_then_recommend_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("sample.mirasnap");
    let (ok, _, err) = mira(&[
        "snapshot",
        &fixture("listings/sample.json"),
        snap.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let (ok, out, err) = mira(&[
        "recommend",
        "--catalog",
        snap.to_str().unwrap(),
        "--no-model",
        "--profile",
        "case-study",
        "--current-year",
        "2025",
        "--budget",
        "700000",
        "--min-bedrooms",
        "3",
        "-k",
        "12",
        "--json",
    ]);
    assert!(ok, "{err}");
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("golden/expected/case-study-sample.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out).unwrap(),
        golden
    );
}

#[test]
fn a_missing_file_is_an_error_not_a_panic() {
    let (ok, _, err) = mira(&["validate", "/nonexistent/listings.json"]);
    assert!(!ok);
    assert!(
        err.starts_with("error: /nonexistent/listings.json: "),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

#[test]
fn recommend_uses_the_bundled_model_where_it_applies() {
    // King County listings: the bundled model prices them.
    let (ok, out, err) = mira(&[
        "recommend",
        "--catalog",
        &fixture("king_county/listings.csv"),
        "--current-year",
        "2025",
        "--budget",
        "800000",
        "--location",
        "Bellevue, WA",
        "--min-bedrooms",
        "3",
        "--json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
    for r in v.as_array().unwrap() {
        assert_eq!(r["price_source"], "model");
        assert!(r["components"]["value"].is_number());
    }
    // The case-study listings (New York, Miami…; only the Seattle one fits) lie outside its domain: listed prices, and a note.
    let (ok, out, err) = mira(&[
        "recommend",
        "--catalog",
        &fixture("case-study"),
        "--budget",
        "500000",
        "--json",
    ]);
    assert!(ok, "{err}");
    assert_eq!(
        err.trim(),
        "note: the bundled King County price model covers 1 of 10 listings; using listed prices (pass --model FILE to use a model anyway)"
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["price_source"], "listed");
}

#[test]
fn train_then_predict_with_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.json");
    let (ok, _, err) = mira(&[
        "train",
        &fixture("listings/sample.json"),
        "--out",
        model.to_str().unwrap(),
        "--kind",
        "ols",
        "--holdout",
        "none",
        "--name",
        "tiny",
        "--current-year",
        "2025",
    ]);
    assert!(ok, "{err}");
    assert!(
        err.starts_with("trained agent-mira linfa ols on 12 listings in "),
        "{err}"
    );
    assert!(
        err.contains("not evaluated: trained on every listing"),
        "{err}"
    );
    let loaded = agent_mira::model::ValuationModel::load(&model).unwrap();
    assert_eq!(loaded.card().name, "tiny");

    let (ok, out, err) = mira(&[
        "predict",
        &fixture("listings/sample.json"),
        "--model",
        model.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "id,listed_price,predicted_price,in_domain,warnings"
    );
    assert_eq!(lines.len(), 13);
    let catalog = agent_mira::Catalog::from_path(fixture("listings/sample.json")).unwrap();
    let expected = loaded.predict_catalog(&catalog).unwrap();
    let first: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(first[0], "101");
    assert_eq!(first[2].parse::<f64>().unwrap(), expected[0]);

    let (ok, out, _) = mira(&[
        "predict",
        &fixture("listings/sample.json"),
        "--model",
        model.to_str().unwrap(),
        "--json",
    ]);
    assert!(ok);
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(first["predicted_price"].as_f64().unwrap(), expected[0]);
    assert_eq!(first["in_domain"], true);
}

#[test]
fn train_refuses_bad_settings_by_name() {
    let (ok, _, err) = mira(&[
        "train",
        &fixture("listings/sample.json"),
        "--out",
        "/tmp/never.json",
        "--kind",
        "forest",
    ]);
    assert!(!ok);
    assert_eq!(
        err.trim(),
        "error: training parameters: field `kind` = \"forest\": expected one of gbdt, ols, ridge, elastic_net (aliases: linear, elastic-net)"
    );
    let (ok, _, err) = mira(&[
        "train",
        &fixture("listings/sample.json"),
        "--out",
        "/tmp/never.json",
        "--holdout",
        "temporal:sale_date:2015-03-01",
    ]);
    assert!(!ok);
    assert_eq!(err.trim(), "error: listing 101: field `attributes.sale_date` = (absent): expected a date (text such as 2015-03-01) for the temporal holdout");
    assert!(!std::path::Path::new("/tmp/never.json").exists());
}

#[test]
fn renter_flags_are_checked_naming_the_flag() {
    let rentals = fixture("listings/rentals.json");
    let cases: [(&[&str], &str); 5] = [
        (
            &["--move-in", "2022-07-32"],
            "error: preferences: field `--move-in` = 2022-07-32: expected a real calendar date written YYYY-MM-DD (2022-07 has 31 days)",
        ),
        (
            &["--move-in", "1 July"],
            "error: preferences: field `--move-in` = 1 July: expected a date written YYYY-MM-DD",
        ),
        (
            &["--currency", "Rs"],
            "error: preferences: field `--currency` = Rs: expected a three-letter ISO 4217 currency code such as USD, EUR or INR",
        ),
        (
            &["--furnishing", "cosy"],
            "error: preferences: field `--furnishing` = cosy: expected one of furnished, semi_furnished, unfurnished (furnishing)",
        ),
        (
            &["--lease-months", "11"],
            "error: preferences: field `lease_months` = 11: expected listing_type long_term_rent or short_term_rent beside it (a lease is for renters)",
        ),
    ];
    for (flags, expected) in cases {
        let mut args = vec!["recommend", "--catalog", &rentals];
        args.extend_from_slice(flags);
        let (ok, _, err) = mira(&args);
        assert!(!ok, "{flags:?}");
        assert_eq!(err.trim(), expected, "{flags:?}");
    }
}

#[test]
fn stats_speak_of_currencies_and_renting_fields() {
    let (ok, out, err) = mira(&["stats", &fixture("listings/rentals.json")]);
    assert!(ok, "{err}");
    assert!(
        out.contains(
            "prices in 2 currencies (INR 13, USD 3): no single range; requests name their currency"
        ),
        "{out}"
    );
    assert!(
        out.contains("15 rentals (93.8%); renting fields known:"),
        "{out}"
    );
    assert!(out.contains("  available_until          4 (25%)"), "{out}");
    let (ok, out, err) = mira(&[
        "stats",
        &fixture("india_rent/india_house_rent.csv"),
        "--mapping",
        "india-rent",
    ]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with("4,746 listings (catalog version 1)\nprice: ₹1,200 min · ₹16,000 median · ₹3,500,000 max\n"),
        "{out}"
    );
}

#[test]
fn a_renter_on_the_real_india_data_gets_rents_per_month() {
    let (ok, out, err) = mira(&[
        "recommend",
        "--catalog",
        &fixture("india_rent/india_house_rent.csv"),
        "--mapping",
        "india-rent",
        "--model",
        &fixture("models/india-rent/model.json"),
        "--listing-type",
        "long_term_rent",
        "--location",
        "Mumbai",
        "--min-bedrooms",
        "2",
        "--budget",
        "40000",
        "--currency",
        "INR",
        "--move-in",
        "2022-07-01",
        "--lease-months",
        "11",
        "--current-year",
        "2022",
    ]);
    assert!(ok, "{err}");
    let scores: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("    score "))
        .collect();
    assert_eq!(scores.len(), 3, "{out}");
    for line in scores {
        assert!(
            line.contains("/month") && line.contains("(model)"),
            "{line}"
        );
    }
    assert!(out.contains(", Mumbai  [id "), "{out}");
    assert!(
        out.contains("/month is within your ₹40,000 budget"),
        "{out}"
    );
}

/// The investor's fixture (hand-written; see fixtures/listings/README.md).
fn investment_args<'a>(catalog: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "recommend",
        "--catalog",
        catalog,
        "--profile",
        "investment",
        "--current-year",
        "2025",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn an_investor_sees_yield_and_cash_flow_in_the_table() {
    let catalog = fixture("listings/investment.json");
    let (ok, out, err) = mira(&investment_args(
        &catalog,
        &[
            "--no-model",
            "--min-gross-yield",
            "0.08",
            "--mortgage-rate",
            "0.065",
            "-k",
            "3",
        ],
    ));
    assert!(ok, "{err}");
    // Figures as in the fixtures README's hand-computed table (inv-12: cap
    // rate 6.175 % is 6.17 % at two decimals, as a float just below it).
    let expected = " 1. Lea Hill rambler, Auburn — Auburn, WA  [id inv-14]
    score 100.0/100 · listed $228,000 · predicted $228,000 (listed)
    gross yield 12 % · cap rate 7.41 % · rent $2,280/month (the listing's estimate) · cash flow +$255/month · cash-on-cash +5.84 %
    - Gross yield 12 % (rent ≈ $2,280/month, the listing's estimate; 100/100)
    - Cash flow +$255/month at 20 % down, 6.5 % over 30 years
    - No price model: the predicted price is the listed price
 2. McMicken Heights ranch, SeaTac — SeaTac, WA  [id inv-13]
    score 100.0/100 · listed $240,000 · predicted $240,000 (listed)
    gross yield 11 % · cap rate 6.79 % · rent $2,200/month (the listing's estimate) · cash flow +$145/month · cash-on-cash +3.15 %
    - Gross yield 11 % (rent ≈ $2,200/month, the listing's estimate; 100/100)
    - Cash flow +$145/month at 20 % down, 6.5 % over 30 years
    - No price model: the predicted price is the listed price
 3. Zenith cottage, Des Moines — Des Moines, WA  [id inv-12]
    score 100.0/100 · listed $252,000 · predicted $252,000 (listed)
    gross yield 10 % · cap rate 6.17 % · rent $2,100/month (the listing's estimate) · cash flow +$23/month · cash-on-cash +0.47 %
    - Gross yield 10 % (rent ≈ $2,100/month, the listing's estimate; 100/100)
    - Cash flow +$23/month at 20 % down, 6.5 % over 30 years
    - No price model: the predicted price is the listed price
Note: no listing in this catalog has a school rating or commute time, so no score counts them.
";
    assert_eq!(out, expected);

    // Without a mortgage: yield, cap rate and rent only; a negative value
    // gap with the bundled model; rentals and unknown rents are left out.
    let (ok, out, err) = mira(&investment_args(&catalog, &["-k", "17"]));
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.ends_with("[id inv-08]"))
        .expect("inv-08 listed");
    // The value gap is the bundled model's: predicted ÷ listed − 1, as the
    // JSON of the same request has it.
    let (ok, json, err) = mira(&investment_args(&catalog, &["-k", "17", "--json"]));
    assert!(ok, "{err}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let r = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "inv-08")
        .unwrap();
    let gap = r["predicted_price"].as_f64().unwrap() / 384_000.0 - 1.0;
    assert!(gap < 0.0, "{gap}");
    assert_eq!(
        lines[at + 2],
        format!(
            "    gross yield 7.5 % · cap rate 4.63 % · rent $2,400/month (the listing's estimate) · value gap {:.2} %",
            gap * 100.0
        ),
        "{out}"
    );
    let metric_lines = lines
        .iter()
        .filter(|l| l.starts_with("    gross yield "))
        .count();
    assert_eq!(metric_lines, 14, "inv-01..inv-14 have a rent; {out}");
    // The investment profile ranks only homes for sale with a rent: the
    // two without one and the rental are not listed at all.
    let listed = lines.iter().filter(|l| l.contains("  [id ")).count();
    assert_eq!(listed, 14, "{out}");
    for id in ["inv-15", "inv-16", "inv-rent-1"] {
        assert!(!out.contains(&format!("[id {id}]")), "{id} listed: {out}");
    }
}

/// The payment of a fixed-rate mortgage, written out here (not the
/// library's) to check the CLI's answer independently.
fn payment(loan: f64, yearly_rate: f64, years: f64) -> f64 {
    let r = yearly_rate / 12.0;
    loan * r / (1.0 - (1.0 + r).powf(-12.0 * years))
}

#[test]
fn investor_json_carries_metrics_and_meets_every_threshold() {
    let catalog = fixture("listings/investment.json");
    let (ok, out, err) = mira(&investment_args(
        &catalog,
        &[
            "--min-cash-flow",
            "-150",
            "--mortgage-rate",
            "0.065",
            "--down-payment",
            "0.25",
            "--mortgage-years",
            "25",
            "--vacancy",
            "0.08",
            "--expense-ratio",
            "0.3",
            "--closing-costs",
            "0.02",
            "--min-cap-rate",
            "0.04",
            "-k",
            "20",
            "--json",
        ],
    ));
    assert!(ok, "{err}");
    let got: serde_json::Value = serde_json::from_str(&out).unwrap();
    let got = got.as_array().unwrap();

    // Which listings qualify, from the fixture and the formulas alone.
    let listings: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&catalog).unwrap()).unwrap();
    let mut expected: Vec<(String, f64, f64)> = Vec::new();
    for l in listings.as_array().unwrap() {
        let Some(rent) = l.get("estimated_rent").and_then(|r| r.as_f64()) else {
            continue;
        };
        let price = l["price"].as_f64().unwrap();
        let noi = 12.0 * rent * (1.0 - 0.08) * (1.0 - 0.3);
        let flow = noi / 12.0 - payment(0.75 * price, 0.065, 25.0);
        if flow >= -150.0 && noi / price >= 0.04 {
            expected.push((l["id"].as_str().unwrap().to_string(), noi, flow));
        }
    }
    let mut ids: Vec<&str> = got.iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    let want: Vec<&str> = expected.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(ids, want);
    // By hand, inv-10 ($288,000, $2,040): NOI 15,765.12 a year, payment on
    // $216,000 over 25 years ≈ $1,458.5, cash flow ≈ -$144.7, cap rate 5.5 %.
    assert_eq!(want, ["inv-10", "inv-11", "inv-12", "inv-13", "inv-14"]);
    for (id, noi, flow) in &expected {
        let r = got.iter().find(|r| r["id"] == id.as_str()).unwrap();
        let m = &r["metrics"];
        let price = r["listed_price"].as_f64().unwrap();
        assert!(
            (m["net_operating_income"].as_f64().unwrap() - noi).abs() < 1e-6,
            "{id}"
        );
        assert!(
            (m["monthly_cash_flow"].as_f64().unwrap() - flow).abs() < 1e-6,
            "{id}"
        );
        let coc = 12.0 * flow / (price * (0.25 + 0.02));
        assert!(
            (m["cash_on_cash"].as_f64().unwrap() - coc).abs() < 1e-9,
            "{id}"
        );
        let gap = r["predicted_price"].as_f64().unwrap() / price - 1.0;
        assert_eq!(
            m["value_gap"].as_f64().unwrap(),
            gap,
            "{id}: the bundled model's"
        );
        assert_eq!(m["rent_source"], "given", "{id}");
    }
}

#[test]
fn investor_preferences_file_and_flags_merge() {
    let dir = tempfile::tempdir().unwrap();
    let prefs = dir.path().join("prefs.json");
    std::fs::write(
        &prefs,
        r#"{"min_gross_yield": 0.12, "mortgage_rate": 0.05, "down_payment": 1}"#,
    )
    .unwrap();
    let catalog = fixture("listings/investment.json");
    let prefs = prefs.to_str().unwrap();
    let (ok, out, err) = mira(&investment_args(
        &catalog,
        &[
            "--no-model",
            "--prefs",
            prefs,
            "--min-gross-yield",
            "0.1",
            "-k",
            "10",
            "--json",
        ],
    ));
    assert!(ok, "{err}");
    let got: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut ids: Vec<&str> = got
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        ["inv-12", "inv-13", "inv-14"],
        "the flag's 0.1, not the file's 0.12"
    );
    // The file's mortgage: all cash, so no payment and cash flow = NOI / 12.
    let m = &got[0]["metrics"];
    assert_eq!(m["mortgage_payment"], 0.0);
    assert_eq!(
        m["monthly_cash_flow"].as_f64().unwrap(),
        m["net_operating_income"].as_f64().unwrap() / 12.0
    );
    assert_eq!(
        got[0]["reasons"][1], "Cash flow +$1,408/month bought in cash",
        "{out}"
    );
}

#[test]
fn a_rent_model_estimates_the_rents_of_flats_for_sale() {
    let catalog = fixture("listings/investment_inr.json");
    let rent_model = fixture("models/india-rent/model.json");
    let (ok, out, err) = mira(&investment_args(
        &catalog,
        &["--no-model", "--rent-model", &rent_model, "-k", "9"],
    ));
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        " 1. 2 BHK, Andheri West — Andheri West, Mumbai  [id in-1]"
    );
    assert_eq!(
        lines[2],
        "    gross yield 4.55 % · cap rate 2.81 % · rent ₹87,117/month (from the rent model)"
    );
    assert_eq!(
        lines[3],
        "    - Gross yield 4.5 % (rent ≈ ₹87,117/month from the rent model; 37/100)"
    );
    let from_model = lines
        .iter()
        .filter(|l| l.starts_with("    gross yield ") && l.ends_with("(from the rent model)"))
        .count();
    assert_eq!(from_model, 9, "{out}");
    assert!(
        out.contains("    - Estimated rent less certain: location Bellandur, Bangalore not seen in training\n"),
        "{out}"
    );
    assert!(
        out.contains(
            "    - Estimated rent less certain: size_sqft 8,500 above training range (20–8,000)\n"
        ),
        "{out}"
    );

    // Without the rent model no flat has a rent: a threshold leaves them all out.
    let (ok, out, err) = mira(&investment_args(
        &catalog,
        &["--no-model", "--min-gross-yield", "0.01"],
    ));
    assert!(ok, "{err}");
    assert!(out.starts_with("No listing matches."), "{out}");

    let (ok, _, err) = mira(&investment_args(
        &catalog,
        &["--rent-model", "no/such/rent-model.json"],
    ));
    assert!(!ok);
    assert!(err.contains("no/such/rent-model.json"), "{err}");
}

#[test]
fn investor_flags_are_checked_naming_the_field() {
    let catalog = fixture("listings/investment.json");
    let cases: [(&[&str], &str); 5] = [
        (
            &["--min-gross-yield", "8"],
            "error: preferences: field `min_gross_yield` = 8: expected a fraction from 0 below 1 (0.06 for 6 %)",
        ),
        (
            &["--min-cash-flow", "-100"],
            "error: preferences: field `min_cash_flow` = -100: expected a mortgage_rate beside it (cash flow is the rent left after the mortgage payment; 0 with down_payment 1 for a cash purchase)",
        ),
        (
            &["--mortgage-rate", "6.5"],
            "error: preferences: field `mortgage_rate` = 6.5: expected a yearly rate as a fraction between 0 and 1 (0.065 for 6.5 %)",
        ),
        (
            &["--mortgage-years", "30"],
            "error: preferences: field `mortgage_years` = 30: expected a mortgage_rate beside it (the yearly rate of the mortgage, e.g. 0.065)",
        ),
        (
            &["--profile", "investor"],
            "error: engine settings: field `profile` = \"investor\": expected \"balanced\", \"case-study\", \"investment\" or a profile object",
        ),
    ];
    for (flags, expected) in cases {
        let mut args = vec!["recommend", "--catalog", &catalog, "--no-model"];
        args.extend_from_slice(flags);
        let (ok, _, err) = mira(&args);
        assert!(!ok, "{flags:?}");
        assert_eq!(err.trim(), expected, "{flags:?}");
    }
}

/// `mira similar` with the engine's defaults for the golden cases (no
/// price model, 2025) and `flags` after the id.
fn similar(id: &str, catalog: &str, flags: &[&str]) -> (bool, String, String) {
    let catalog = fixture(catalog);
    let mut args = vec![
        "similar",
        id,
        "--catalog",
        &catalog,
        "--no-model",
        "--current-year",
        "2025",
    ];
    args.extend_from_slice(flags);
    mira(&args)
}

#[test]
fn similar_lists_homes_like_one_on_the_structured_embedding() {
    let (ok, out, err) = similar(
        "103",
        "listings/sample.json",
        &[
            "-k",
            "4",
            "--listing-type",
            "sale",
            "--property-type",
            "sfh",
            "--type",
            "townhouse",
            "--max-price",
            "1000000",
        ],
    );
    assert!(ok, "{err}");
    assert_eq!(
        out,
        " 1. Redmond home, no school data — Redmond, WA  [id 110]
    score 84.2/100 · listed $845,000 · predicted $845,000 (listed)
    - Like listing 103: similarity 0.84 (84/100)
    - Same 4 bd
    - 9.1 km away
    - Also a single-family home
 2. New townhouse in Ballard — Seattle, WA  [id 102]
    score 30.1/100 · listed $689,000 · predicted $689,000 (listed)
    - Like listing 103: similarity 0.30 (30/100)
 3. Auburn house, details pending — Auburn, WA  [id 109]
    score 28.3/100 · listed $415,000 · predicted $415,000 (listed)
    - Like listing 103: similarity 0.28 (28/100)
    - Also a single-family home
 4. Same-price twin A — Shoreline, WA  [id 111]
    score 28.1/100 · listed $600,000 · predicted $600,000 (listed)
    - Like listing 103: similarity 0.28 (28/100)
    - Built within 5 years (2000 vs 1998)
    - Also a single-family home
"
    );
}

#[test]
fn similar_lists_homes_like_one_on_the_catalogs_embeddings() {
    let (ok, out, err) = similar("104", "listings/embedded.json", &["-k", "3"]);
    assert!(ok, "{err}");
    assert_eq!(
        out,
        " 1. Kirkland waterfront condo — Kirkland, WA  [id 107]
    score 37.1/100 · listed $980,000 · predicted $980,000 (listed)
    - Like listing 104: similarity 0.37 (37/100)
    - Same 2 bd / 2 ba
    - Also a condo
 2. Renton starter home — Renton, WA  [id 106]
    score 31.2/100 · listed $469,000 · predicted $469,000 (listed)
    - Like listing 104: similarity 0.31 (31/100)
    - Same 2 bd
 3. Redmond home, no school data — Redmond, WA  [id 110]
    score 29.6/100 · listed $845,000 · predicted $845,000 (listed)
    - Like listing 104: similarity 0.30 (30/100)
"
    );
    // Nothing passes: said, not an empty screen.
    let (ok, out, err) = similar(
        "101",
        "listings/embedded.json",
        &["--listing-type", "investment"],
    );
    assert!(ok, "{err}");
    assert_eq!(out, "No other listing passes these filters with a vector to compare. Loosen a filter (listing type, property types, max price, currency) or raise k.\n");
}

#[test]
fn similar_json_equals_the_golden_answers() {
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(fixture("golden/similar.json")).unwrap())
            .unwrap();
    let mut checked = 0;
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        // The flags that say what the case's filters say.
        let f = &case["filters"];
        let mut flags: Vec<String> = vec!["-k".into(), case["k"].to_string(), "--json".into()];
        if let Some(t) = f["listing_type"].as_str() {
            flags.extend(["--listing-type".into(), t.into()]);
        }
        for t in f["property_types"].as_array().into_iter().flatten() {
            flags.extend(["--property-type".into(), t.as_str().unwrap().into()]);
        }
        if let Some(p) = f.get("max_price") {
            flags.extend(["--max-price".into(), p.to_string()]);
        }
        if let Some(c) = f["currency"].as_str() {
            flags.extend(["--currency".into(), c.into()]);
        }
        let id = match &case["id"] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        assert_eq!(case["current_year"], 2025, "{name}");
        let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
        let (ok, out, err) = similar(&id, case["catalog"].as_str().unwrap(), &flags);
        assert!(ok, "{name}: {err}");
        let got: serde_json::Value = serde_json::from_str(&out).unwrap();
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(fixture(&format!("golden/expected/{name}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(got, expected, "golden case {name}");
        checked += 1;
    }
    assert!(checked >= 6, "{checked} cases");
}

#[test]
fn similar_flags_are_checked_naming_the_flag() {
    let cases: [(&str, &str, &[&str], &str); 7] = [
        (
            "101",
            "listings/sample.json",
            &["--max-price=-5"],
            "error: similar filters: field `--max-price` = -5: expected a finite price > 0",
        ),
        (
            "101",
            "listings/sample.json",
            &["--property-type", "castle"],
            "error: similar filters: field `--property-type` = castle: expected one of sfh, condo, townhouse, apartment, villa, land, commercial (property type)",
        ),
        (
            "101",
            "listings/sample.json",
            &["--listing-type", "buy"],
            "error: similar filters: field `--listing-type` = buy: expected one of sale, long_term_rent, short_term_rent, investment (listing type)",
        ),
        (
            "101",
            "listings/sample.json",
            &["--currency", "XYZ"],
            "error: similar filters: field `--currency` = XYZ: expected an ISO 4217 currency code in use (XYZ is not one), such as USD, EUR or INR",
        ),
        (
            "mum-1",
            "listings/rentals.json",
            &["--max-price", "45000"],
            "error: similar filters: field `--currency` = (absent): expected the currency of max_price: this catalog mixes INR, USD",
        ),
        (
            "999",
            "listings/sample.json",
            &[],
            "error: similar: field `ID` = 999: expected the id of a listing in the catalog",
        ),
        (
            "101",
            "listings/sample.json",
            &["-k", "10001"],
            "error: similar: field `-k` = 10001: expected at most 10000 results per request",
        ),
    ];
    for (id, catalog, flags, expected) in cases {
        let (ok, out, err) = similar(id, catalog, flags);
        assert!(!ok, "{flags:?}: {out}");
        assert_eq!(err.trim(), expected, "{flags:?}");
    }
    // A string id that reads as a number is found as the catalog spells it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ids.json");
    std::fs::write(
        &path,
        r#"[{"id": "7", "price": 100000, "bedrooms": 2, "embedding": [1, 0]},
            {"id": 8, "price": 110000, "bedrooms": 2, "embedding": [1, 1]},
            {"id": "x", "price": 120000, "bedrooms": 3, "embedding": [0, 1]}]"#,
    )
    .unwrap();
    let (ok, out, err) = mira(&[
        "similar",
        "7",
        "--catalog",
        path.to_str().unwrap(),
        "--no-model",
        "--json",
        "-k",
        "1",
    ]);
    assert!(ok, "{err}");
    let got: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(got[0]["id"], 8);
    assert_eq!(
        got[0]["reasons"][0],
        "Like listing 7: similarity 0.71 (71/100)"
    );
}

#[test]
fn recommend_similar_to_ranks_with_the_similarity_component() {
    let catalog = fixture("listings/embedded.json");
    let base = [
        "recommend",
        "--catalog",
        catalog.as_str(),
        "--no-model",
        "--current-year",
        "2025",
        "-k",
        "2",
    ];
    let mut args = base.to_vec();
    args.extend(["--similar-to", "101,104"]);
    let (ok, out, err) = mira(&args);
    assert!(ok, "{err}");
    assert_eq!(
        out,
        " 1. Capitol Hill apartment for rent — Seattle, WA  [id 108]
    score 55.2/100 · rent $2,850/month · predicted $2,850/month (listed)
    - School rating 6/10 (60/100)
    - Commute 12 min (100/100)
    - Built 2012 (13 years old, 97/100)
    - Like the homes you saved: similarity 0.20 (20/100)
    - No price model: the predicted price is the listed price
 2. New townhouse in Ballard — Seattle, WA  [id 102]
    score 54.4/100 · listed $689,000 · predicted $689,000 (listed)
    - School rating 7/10 (70/100)
    - Commute 28 min (59/100)
    - Built 2021 (4 years old, 100/100)
    - Like the homes you saved: similarity 0.34 (34/100)
    - No price model: the predicted price is the listed price
"
    );
    // The flags say what a preferences file says.
    let dir = tempfile::tempdir().unwrap();
    let embedded: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&catalog).unwrap()).unwrap();
    let vector = embedded[2]["embedding"].clone();
    assert_eq!(embedded[2]["id"], 103);
    let vector_file = dir.path().join("query.json");
    std::fs::write(&vector_file, vector.to_string()).unwrap();
    let prefs_file = dir.path().join("prefs.json");
    std::fs::write(
        &prefs_file,
        serde_json::json!({"similar_to": {"ids": [101, 104], "vector": vector}}).to_string(),
    )
    .unwrap();
    let mut by_flags = base.to_vec();
    by_flags.extend([
        "--json",
        "--similar-to",
        "101",
        "--similar-to",
        "104",
        "--similar-vector",
        vector_file.to_str().unwrap(),
    ]);
    let mut by_file = base.to_vec();
    by_file.extend(["--json", "--prefs", prefs_file.to_str().unwrap()]);
    let (ok, flags_out, err) = mira(&by_flags);
    assert!(ok, "{err}");
    let (ok, file_out, err) = mira(&by_file);
    assert!(ok, "{err}");
    assert_eq!(flags_out, file_out);
    let got: serde_json::Value = serde_json::from_str(&flags_out).unwrap();
    assert!(got[0]["components"]["similarity"].as_f64().unwrap() > 0.0);
}

#[test]
fn recommend_similarity_flags_are_checked_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    };
    let short = file("short.json", "[0.1, 0.2]");
    let zeros = file("zeros.json", &format!("[{}]", vec!["0"; 32].join(", ")));
    let object = file("object.json", r#"{"vector": [1]}"#);
    let strings = file("strings.json", r#"[1, "x"]"#);
    let broken = file("broken.json", "[1, 2");
    let cases: Vec<(&str, Vec<&str>, String)> = vec![
        (
            "listings/embedded.json",
            vec!["--similar-to", "101,999"],
            "error: preferences: field `--similar-to` = 999: expected the id of a listing in the catalog".into(),
        ),
        (
            "listings/embedded.json",
            vec!["--similar-to", "101,,104"],
            "error: preferences: field `--similar-to` = 101,,104: expected listing ids separated by commas, none empty".into(),
        ),
        (
            "listings/embedded.json",
            vec!["--similar-vector", &short],
            "error: preferences: field `--similar-vector` = 2 numbers: expected 32 numbers, the catalog's dimension".into(),
        ),
        (
            "listings/embedded.json",
            vec!["--similar-vector", &zeros],
            "error: preferences: field `--similar-vector` = all zeros: expected a vector with a length > 0 (cosine needs a direction)".into(),
        ),
        (
            "listings/embedded.json",
            vec!["--similar-vector", &object],
            format!("error: preferences: field `--similar-vector` = an object: expected a JSON array of numbers (the file {object})"),
        ),
        (
            "listings/embedded.json",
            vec!["--similar-vector", &strings],
            format!("error: preferences: field `--similar-vector` = \"x\" at index 1: expected a JSON array of numbers (the file {strings})"),
        ),
        (
            "listings/embedded.json",
            vec!["--similar-vector", &broken],
            format!("error: {broken}:1:5: EOF while parsing a list at line 1 column 5"),
        ),
        (
            "listings/sample.json",
            vec!["--similar-vector", &short],
            "error: preferences: field `--similar-vector` = 2 numbers: expected no vector: this catalog's listings have no embeddings".into(),
        ),
    ];
    for (catalog, flags, expected) in cases {
        let catalog = fixture(catalog);
        let mut args = vec!["recommend", "--catalog", &catalog, "--no-model"];
        args.extend_from_slice(&flags);
        let (ok, _, err) = mira(&args);
        assert!(!ok, "{flags:?}");
        assert_eq!(err.trim(), expected, "{flags:?}");
    }
}

/// The preferences of a golden explanation, written to a file in `dir`.
fn explain_case_prefs(dir: &std::path::Path, name: &str) -> (String, serde_json::Value) {
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(fixture("golden/explain.json")).unwrap())
            .unwrap();
    let case = cases.into_iter().find(|c| c["name"] == name).unwrap();
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, case["preferences"].to_string()).unwrap();
    (path.to_string_lossy().into_owned(), case)
}

#[test]
fn explain_json_is_the_golden_explanation() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "explain-seattle-family-top",
        "explain-case-study",
        "explain-renter-short-stay-refused",
    ] {
        let (prefs, case) = explain_case_prefs(dir.path(), name);
        let id = match &case["id"] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let (ok, out, err) = mira(&[
            "explain",
            &id,
            "--catalog",
            &fixture(case["catalog"].as_str().unwrap()),
            "--no-model",
            "--profile",
            case["profile"].as_str().unwrap(),
            "--current-year",
            "2025",
            "--prefs",
            &prefs,
            "--json",
        ]);
        assert!(ok, "{name}: {err}");
        let golden: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(fixture(&format!("golden/expected/{name}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&out).unwrap(),
            golden,
            "{name}"
        );
    }
}

#[test]
fn explain_prints_points_that_add_up_and_the_filters() {
    let (ok, out, err) = mira(&[
        "explain",
        "104",
        "--catalog",
        &fixture("listings/sample.json"),
        "--no-model",
        "--current-year",
        "2025",
        "--budget",
        "750000",
        "--min-bedrooms",
        "3",
        "--type",
        "sfh",
    ]);
    assert!(ok, "{err}");
    // Balanced weights of the known components: 0.25 + 0.12 + 0.08 + 0.10
    // + 0.05 = 0.60, so the shares are 41.7, 20, 13.3, 16.7 and 8.3 %.
    assert_eq!(
        out,
        "Downtown condo with view — Seattle, WA  [id 104]\n\
         \x20   score 84.16/100, not ranked (removed by property_types)\n\
         \x20   price_match    100.0 × 41.7 % = 41.67  Listed $540,000, within your $750,000 budget\n\
         \x20   bedrooms        50.0 × 20.0 % = 10.00  2 bedrooms, 1 fewer than the 3 you asked for (50/100)\n\
         \x20   school_rating   60.0 × 13.3 % =  8.00  School rating 6/10 (60/100)\n\
         \x20   commute        100.0 × 16.7 % = 16.67  Commute 8 min (100/100)\n\
         \x20   property_age    94.0 ×  8.3 % =  7.83  Built 2008 (17 years old, 94/100)\n\
         \x20   not asked: location, bathrooms, size, amenities, value, availability, furnishing, similarity\n\
         \x20   filter property_types FAILED: A condo, not one of the types asked (sfh)\n\
         \x20   the points add up to the score; the weights are the profile's, shared among the known components\n"
    );
    // An id the catalog lacks and a bad flag are errors naming them.
    let (ok, _, err) = mira(&[
        "explain",
        "999",
        "--catalog",
        &fixture("listings/sample.json"),
        "--no-model",
    ]);
    assert!(!ok);
    assert_eq!(err, "error: no listing with id 999\n");
    let (ok, _, err) = mira(&[
        "explain",
        "104",
        "--catalog",
        &fixture("listings/sample.json"),
        "--no-model",
        "--budget=-5",
    ]);
    assert!(!ok);
    assert_eq!(
        err,
        "error: preferences: field `budget` = -5: expected a finite number of dollars > 0\n"
    );
}
