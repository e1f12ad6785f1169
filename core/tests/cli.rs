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
