//! The India house rent file through the `india-rent` preset, and the CSV
//! mapping features it needs (defaults, line ids, date formats, places across
//! columns, floor texts), with exact values and exact error messages.

use std::fs;
use std::path::{Path, PathBuf};

use agent_mira::catalog::loaders::{load_csv, read_csv, CsvMapping, IdSource, LoadOptions};
use agent_mira::listing::{Currency, Date, Furnishing, ListingType, RentPeriod};
use agent_mira::model::{train_price_model, Holdout, TrainConfig, TrainSpec, ValuationModel};
use agent_mira::PropertyId;
use serde_json::json;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn india_file() -> PathBuf {
    repo().join("fixtures/india_rent/india_house_rent.csv")
}

fn india(text: &str) -> agent_mira::Result<agent_mira::Catalog> {
    read_csv(
        text.as_bytes(),
        "rent.csv",
        LoadOptions::new().csv_mapping(CsvMapping::preset("india-rent").unwrap()),
    )
}

const HEADER: &str = "Posted On,BHK,Rent,Size,Floor,Area Type,Area Locality,City,Furnishing Status,Tenant Preferred,Bathroom,Point of Contact\n";

fn err(text: &str) -> String {
    india(&format!("{HEADER}{text}")).unwrap_err().to_string()
}

const ROW2: &str = "18-05-2022,2,10000,1100,Ground out of 2,Super Area,Bandel,Kolkata,Unfurnished,Bachelors/Family,2,Contact Owner\n";

#[test]
fn the_whole_india_file_loads_with_the_preset() {
    let catalog = load_csv(
        india_file(),
        LoadOptions::new().csv_mapping(CsvMapping::preset("india-rent").unwrap()),
    )
    .unwrap();
    assert_eq!(catalog.len(), 4746);
    // Ids are line numbers: the header is line 1, the last row line 4747.
    assert_eq!(catalog.property(0).id, PropertyId::from(2u64));
    assert_eq!(catalog.property(4745).id, PropertyId::from(4747u64));
    let with_total = catalog
        .properties()
        .filter(|p| p.total_floors.is_some())
        .count();
    // Four rows give a floor alone, two a floor above the total (kept, total unknown).
    assert_eq!(with_total, 4746 - 4 - 2);
    assert!(catalog
        .properties()
        .all(|p| p.currency == Some("INR".parse::<Currency>().unwrap())
            && p.listing_type == Some(ListingType::LongTermRent)
            && p.rent_period == Some(RentPeriod::Month)
            && p.available_from.is_some()
            && p.furnishing.is_some()));
}

#[test]
fn the_first_rows_have_exact_fields() {
    let catalog = load_csv(
        india_file(),
        LoadOptions::new().csv_mapping(CsvMapping::preset("india_rent").unwrap()),
    )
    .unwrap();
    let p = catalog.property(0);
    assert_eq!(
        serde_json::to_value(p).unwrap(),
        json!({
            "id": 2, "price": 10000.0, "location": "Bandel, Kolkata", "bedrooms": 2,
            "bathrooms": 2.0, "size_sqft": 1100.0, "listing_type": "long_term_rent",
            "rent_period": "month", "available_from": "2022-05-18", "furnishing": "unfurnished",
            "floor": 0, "total_floors": 2, "currency": "INR",
            "attributes": {"area_type": "Super Area", "city": "Kolkata",
                           "point_of_contact": "Contact Owner", "tenant_preferred": "Bachelors/Family"}
        })
    );
    let p = catalog.property(1);
    assert_eq!(p.id, PropertyId::from(3u64));
    assert_eq!(
        p.location.as_deref(),
        Some("Phool Bagan, Kankurgachi, Kolkata")
    );
    assert_eq!((p.floor, p.total_floors), (Some(1), Some(3)));
    assert_eq!(p.furnishing, Some(Furnishing::SemiFurnished));
    assert_eq!(p.available_from, Some(Date::from_ymd(2022, 5, 13).unwrap()));
    assert_eq!(p.price, 20000.0);
    assert_eq!(p.monthly_rent(), Some(20000.0));
}

#[test]
fn floor_texts_fill_floor_and_total_floors() {
    let rows = [
        ("Upper Basement out of 3", Some(-1), Some(3)),
        ("Lower Basement out of 2", Some(-2), Some(2)),
        ("Ground", Some(0), None),
        ("1", Some(1), None),
        ("8 out of 5", Some(8), None),
        ("", None, None),
    ];
    for (text, floor, total) in rows {
        let row = ROW2.replace("Ground out of 2", text);
        let catalog = india(&format!("{HEADER}{row}")).unwrap();
        let p = catalog.property(0);
        assert_eq!((p.floor, p.total_floors), (floor, total), "{text}");
    }
    assert_eq!(
        err(&ROW2.replace("Ground out of 2", "Third out of 2")),
        "rent.csv:2:5: field `floor` = \"Third out of 2\": expected a floor like `3 out of 5`, `Ground out of 2`, `Upper Basement` or `3`"
    );
    assert_eq!(
        err(&ROW2.replace("Ground out of 2", "Ground out of 0")),
        "rent.csv:2:5 (listing 2): field `total_floors` = 0: expected a whole number between 1 and 300"
    );
}

#[test]
fn dates_follow_the_mapping_format() {
    assert_eq!(
        err(&ROW2.replace("18-05-2022", "18/05/2022")),
        "rent.csv:2:1: field `available_from` = \"18/05/2022\": expected a date written DD-MM-YYYY (the CSV mapping's date_format)"
    );
    assert_eq!(
        err(&ROW2.replace("18-05-2022", "31-02-2022")),
        "rent.csv:2:1: field `available_from` = \"31-02-2022\": expected a date written DD-MM-YYYY (the CSV mapping's date_format)"
    );
    let m = CsvMapping::from_json(r#"{"date_format": "MM/DD/YYYY"}"#).unwrap();
    let text = "id,price,available_from,available_until\n7,900,7/1/2022,12/31/2022\n";
    let catalog = read_csv(text.as_bytes(), "us.csv", LoadOptions::new().csv_mapping(m)).unwrap();
    assert_eq!(
        catalog.property(0).available_from,
        Date::from_ymd(2022, 7, 1)
    );
    assert_eq!(
        catalog.property(0).available_until,
        Date::from_ymd(2022, 12, 31)
    );
    // Without a date format, dates are ISO.
    let err = read_csv(text.as_bytes(), "us.csv", LoadOptions::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "us.csv:2:3: field `available_from` = \"7/1/2022\": expected a date written YYYY-MM-DD"
    );
}

#[test]
fn defaults_fill_every_row_and_cells_win() {
    let m = CsvMapping::from_json(
        r#"{"defaults": {"currency": "INR", "listing_type": "long_term_rent", "attributes.source": "import"}}"#,
    )
    .unwrap();
    let text = "id,price,currency\n1,900,\n2,800,USD\n";
    let catalog = read_csv(text.as_bytes(), "d.csv", LoadOptions::new().csv_mapping(m)).unwrap();
    assert_eq!(catalog.property(0).currency, "INR".parse::<Currency>().ok());
    assert_eq!(catalog.property(1).currency, Some(Currency::USD));
    assert_eq!(
        catalog.property(1).listing_type,
        Some(ListingType::LongTermRent)
    );
    assert_eq!(catalog.property(1).attributes["source"], json!("import"));
    let m = |j: &str| CsvMapping::from_json(j).unwrap_err().to_string();
    assert_eq!(
        m(r#"{"defaults": {"currency": "RUPEES"}}"#),
        "CSV mapping, defaults: field `currency` = \"RUPEES\": expected a three-letter ISO 4217 currency code such as USD, EUR or INR"
    );
    assert_eq!(
        m(r#"{"defaults": {"rent_period": "month", "listing_type": "sale"}}"#),
        "CSV mapping, defaults: field `rent_period` = \"month\": expected no rent period on a `sale` listing (only long_term_rent and short_term_rent are rented)"
    );
    assert_eq!(
        m(r#"{"defaults": {"curency": "INR"}}"#),
        "CSV mapping, defaults `curency`: unknown field `curency` (did you mean `currency`?)"
    );
    assert_eq!(
        m(r#"{"defaults": {"id": 3}}"#),
        "CSV mapping, defaults `id`: field `defaults` = \"id\": expected a field other than `id` (ids come from a column or from `ids`: \"line\")"
    );
}

#[test]
fn ids_can_be_line_numbers() {
    let m = CsvMapping::from_json(r#"{"ids": "line"}"#).unwrap();
    assert_eq!(m.ids, IdSource::Line);
    let text = "price,bedrooms\n900,2\n800,two\n";
    let err = read_csv(
        text.as_bytes(),
        "l.csv",
        LoadOptions::new().csv_mapping(m.clone()),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "l.csv:3:2: field `bedrooms` = \"two\": expected a whole number ≥ 0"
    );
    let catalog = read_csv(
        "price\n900\n800\n".as_bytes(),
        "l.csv",
        LoadOptions::new().csv_mapping(m.clone()),
    )
    .unwrap();
    let ids: Vec<String> = catalog.properties().map(|p| p.id.to_string()).collect();
    assert_eq!(ids, ["2", "3"]);
    assert_eq!(
        read_csv(
            "price,id\n1,2\n".as_bytes(),
            "x.csv",
            LoadOptions::new().csv_mapping(m)
        )
        .unwrap_err()
        .to_string(),
        "x.csv:1:2: field `<header>` = \"id\": expected another column name (ids is \"line\")"
    );
    assert_eq!(
        CsvMapping::from_json(r#"{"ids": "line", "columns": {"Id": "id"}}"#).unwrap_err().to_string(),
        "CSV mapping, column `Id`: field `target` = \"id\": expected another target (ids is \"line\")"
    );
    assert_eq!(
        CsvMapping::from_json(r#"{"ids": "row"}"#)
            .unwrap_err()
            .to_string(),
        "<CSV mapping>:1:13: unknown variant `row`, expected `column` or `line`"
    );
}

#[test]
fn a_place_can_be_written_across_columns() {
    let m = CsvMapping::from_json(
        r#"{"location": ["Locality", "City"], "columns": {"City": "attributes.city"}}"#,
    )
    .unwrap();
    let text = "id,price,Locality,City\n1,900,Bandel,Kolkata\n2,800,,Pune\n3,700,\"Thakurpukur, Kolkata\",Kolkata\n";
    let catalog = read_csv(
        text.as_bytes(),
        "p.csv",
        LoadOptions::new().csv_mapping(m.clone()),
    )
    .unwrap();
    let places: Vec<&str> = catalog
        .properties()
        .map(|p| p.location.as_deref().unwrap())
        .collect();
    assert_eq!(places, ["Bandel, Kolkata", "Pune", "Thakurpukur, Kolkata"]);
    assert_eq!(catalog.property(0).attributes["city"], json!("Kolkata"));
    assert_eq!(
        read_csv("id,price\n1,2\n".as_bytes(), "p.csv", LoadOptions::new().csv_mapping(m)).unwrap_err().to_string(),
        "p.csv:1 (header row): field `location` = [\"Locality\",\"City\"]: expected at least one of these columns in the file (the CSV mapping makes location from them)"
    );
    let e = |j: &str| CsvMapping::from_json(j).unwrap_err().to_string();
    assert_eq!(
        e(r#"{"location": ["A", ""]}"#),
        "CSV mapping: field `location` = [\"A\",\"\"]: expected a list of non-empty column names"
    );
    assert_eq!(
        e(r#"{"location": ["A"], "columns": {"Place": "location"}}"#),
        "CSV mapping, column `Place`: field `target` = \"location\": expected another target (location is made from columns)"
    );
}

#[test]
fn date_format_patterns_are_checked() {
    for bad in ["DD-MM-YYYY-DD", "DD-Mon-YYYY", "DD-MM-YY", ""] {
        let json = format!(r#"{{"date_format": "{bad}"}}"#);
        assert_eq!(
            CsvMapping::from_json(&json).unwrap_err().to_string(),
            format!("CSV mapping: field `date_format` = \"{bad}\": expected a pattern with YYYY, MM and DD once each and literal characters between them, e.g. DD-MM-YYYY")
        );
    }
}

#[test]
fn the_preset_survives_json_and_is_found_by_name() {
    let m = CsvMapping::india_rent();
    let text = serde_json::to_string_pretty(&m).unwrap();
    for key in [
        "\"ids\": \"line\"",
        "\"date_format\": \"DD-MM-YYYY\"",
        "\"Floor\": \"floor_and_total_floors\"",
        "\"currency\": \"INR\"",
    ] {
        assert!(text.contains(key), "{key} in {text}");
    }
    assert_eq!(CsvMapping::from_json(&text).unwrap(), m);
    assert_eq!(CsvMapping::preset("India_Rent").unwrap(), m);
    assert_eq!(
        CsvMapping::preset("india-rents").unwrap_err().to_string(),
        "unsupported CSV mapping preset: india-rents (did you mean `india-rent`? known presets: king-county, india-rent)"
    );
    // The preset written as a file loads the India file the same way.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("india.json");
    fs::write(&path, &text).unwrap();
    let from_file = load_csv(
        india_file(),
        LoadOptions::new().csv_mapping(CsvMapping::from_path(&path).unwrap()),
    )
    .unwrap();
    assert_eq!(from_file.len(), 4746);
}

// ------------------------------------------------------------ the rent model

fn bundled_model() -> PathBuf {
    repo().join("fixtures/models/india-rent/model.json")
}

fn india_catalog() -> agent_mira::Catalog {
    let options = LoadOptions::new()
        .builder(agent_mira::Catalog::builder().current_year(2022))
        .csv_mapping(CsvMapping::preset("india-rent").unwrap());
    load_csv(india_file(), options).unwrap()
}

/// Without `created` (the day it was made) and the checksum over it.
fn comparable(model: &ValuationModel) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(&model.to_json_string()).unwrap();
    v["card"]["created"] = json!("");
    v["checksum"] = json!("");
    v
}

#[test]
fn retraining_the_rent_model_gives_the_bundled_file() {
    let bundled = ValuationModel::load(bundled_model()).unwrap();
    let card = bundled.card();
    let config = TrainConfig {
        name: card.name.clone(),
        description: card.description.clone(),
        spec: TrainSpec::from_json(card.params.clone()).unwrap(),
        holdout: Holdout::Temporal {
            attribute: "available_from".into(),
            cutoff: "2022-06-15".into(),
        },
        current_year: 2022,
        place_encoding_folds: Some(5),
    };
    let out = train_price_model(&india_catalog(), &config, None).unwrap();
    assert_eq!((out.train_rows, out.test_rows), (2660, 2086));
    assert_eq!(out.model.card().metrics, card.metrics);
    assert_eq!(comparable(&out.model), comparable(&bundled));
}

#[test]
fn the_bundled_rent_model_has_its_card_and_prices_a_known_listing() {
    let model = ValuationModel::load(bundled_model()).unwrap();
    let card = model.card();
    assert_eq!(card.name, "india-rent-gbdt");
    assert_eq!(card.target, "rent per month (INR)");
    assert_eq!(
        card.evaluation,
        "2086 held-out listings with available_from on or after 2022-06-15 (trained on earlier ones); place columns of the training listings encoded out of 5 folds"
    );
    let m = card.metrics.clone().unwrap();
    assert_eq!(m.rows, 2086);
    assert_eq!(
        format!("{:.4} {:.4} {:.4}", m.rmsle, m.mdape, m.r2),
        "0.4048 0.2243 0.7037"
    );
    let catalog = india_catalog();
    // Row 2 of the file: 2 BHK, 1,100 sq ft, ground of 2 floors, Bandel, Kolkata, ₹10,000.
    let p = catalog.get(&PropertyId::from(2u64)).unwrap();
    assert_eq!(model.predict_listings(&[p]).unwrap()[0], 12481.019299093708);
}
