//! Loaders: case-study directories, JSON, JSON Lines, CSV (canonical, mapped,
//! King County), with exact values and exact error messages.

use std::cell::RefCell;
use std::fs;
use std::path::{Path, PathBuf};

use agent_mira::catalog::loaders::{
    self, load_csv, load_jsonl, ColumnTarget, CsvMapping, LoadOptions, OnDuplicate,
};
use agent_mira::{AmenityTable, Catalog, MiraError, PropertyId};
use serde_json::json;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn case_study_dir() -> PathBuf {
    repo().join("fixtures/case-study")
}

/// The raw King County sales file, copied into the fixtures so the tests
/// do not depend on where the clone sits.
fn kc_raw() -> PathBuf {
    repo().join("fixtures/king_county/kc_house_data.csv")
}

fn kc_fixture() -> PathBuf {
    repo().join("fixtures/king_county/listings.csv")
}

/// A temp directory holding a copy of the case-study files.
fn case_study_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        loaders::BASICS_FILE,
        loaders::CHARACTERISTICS_FILE,
        loaders::IMAGES_FILE,
    ] {
        fs::copy(case_study_dir().join(name), dir.path().join(name)).unwrap();
    }
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path
}

fn d(path: &Path) -> String {
    path.display().to_string()
}

// ---------------------------------------------------------------- case study

#[test]
fn case_study_directory_loads_ten_merged_listings() {
    let catalog = loaders::load_path(case_study_dir()).unwrap();
    assert_eq!(catalog.len(), 10);
    assert_eq!(catalog.version(), 1);
    let p = catalog.get(&PropertyId::Int(1)).unwrap();
    assert_eq!(p.title.as_deref(), Some("3 BHK Apartment in Downtown"));
    assert_eq!(p.price, 450_000.0);
    assert_eq!(p.location.as_deref(), Some("New York, NY"));
    assert_eq!(p.bedrooms, Some(3));
    assert_eq!(p.bathrooms, Some(2.0));
    assert_eq!(p.size_sqft, Some(1500.0));
    assert_eq!(
        p.amenities,
        Some(vec![
            "Gym".to_string(),
            "Swimming Pool".to_string(),
            "Parking".to_string()
        ])
    );
    assert_eq!(
        p.image_urls,
        vec!["https://images.pexels.com/photos/106399/pexels-photo-106399.jpeg".to_string()]
    );
    assert_eq!(p.year_built, None);
    assert_eq!(p.school_rating, None);
    assert_eq!(p.commute_time, None);
    // Basics order is catalog order; amenities are normalised in the columns.
    let ids: Vec<String> = catalog.properties().map(|p| p.id.to_string()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]);
    assert_eq!(catalog.amenities_of(0).unwrap(), ["gym", "pool", "parking"]);
    let nine = catalog.get(&PropertyId::Int(9)).unwrap();
    assert_eq!(nine.bedrooms, Some(4));
    assert_eq!(nine.location.as_deref(), Some("Seattle, WA"));
}

#[test]
fn catalog_from_path_is_load_path() {
    let a = Catalog::from_path(case_study_dir()).unwrap();
    let b = loaders::load_case_study(case_study_dir(), LoadOptions::new()).unwrap();
    assert!(a.properties().eq(b.properties()));
}

#[test]
fn case_study_orphan_id_in_characteristics_is_an_error_naming_file_and_id() {
    let dir = case_study_copy();
    let chars = dir.path().join(loaders::CHARACTERISTICS_FILE);
    let text = fs::read_to_string(&chars).unwrap();
    let text = text.trim_end().trim_end_matches(']').to_string()
        + ",\n  {\n    \"id\": 11,\n    \"bedrooms\": 2\n  }\n]\n";
    fs::write(&chars, text).unwrap();
    let err = loaders::load_path(dir.path()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:113:3: field `id` = 11: expected an id that property_basics.json lists",
            d(&chars)
        )
    );
    assert_eq!(err.code(), "MIRA_INVALID_FIELD");
}

#[test]
fn case_study_without_optional_files_leaves_fields_missing() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        case_study_dir().join(loaders::BASICS_FILE),
        dir.path().join(loaders::BASICS_FILE),
    )
    .unwrap();
    let catalog = loaders::load_path(dir.path()).unwrap();
    assert_eq!(catalog.len(), 10);
    let p = catalog.get(&PropertyId::Int(3)).unwrap();
    assert_eq!(p.price, 850_000.0);
    assert_eq!(p.bedrooms, None);
    assert_eq!(p.amenities, None);
    assert!(p.image_urls.is_empty());
}

#[test]
fn case_study_without_basics_is_an_io_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let err = loaders::load_case_study(dir.path(), LoadOptions::new()).unwrap_err();
    assert!(
        matches!(err, MiraError::Io { ref path, .. } if path == &dir.path().join("property_basics.json"))
    );
    assert_eq!(err.code(), "MIRA_IO");
}

#[test]
fn case_study_duplicate_id_within_a_file_names_both_records() {
    let dir = case_study_copy();
    let images = write(
        dir.path(),
        loaders::IMAGES_FILE,
        "[\n {\"id\": 1, \"image_url\": \"a.jpg\"},\n {\"id\": 1, \"image_url\": \"b.jpg\"}\n]\n",
    );
    let err = loaders::load_path(dir.path()).unwrap_err();
    let f = d(&images);
    assert_eq!(
        err.to_string(),
        format!("{f}:3:2: duplicate id 1 (first seen at {f}:2:2)")
    );
}

#[test]
fn case_study_errors_point_at_the_file_that_holds_the_problem() {
    let dir = case_study_copy();
    let chars = write(
        dir.path(),
        loaders::CHARACTERISTICS_FILE,
        "[\n  {\"id\": 2, \"bedroms\": 2}\n]\n",
    );
    let err = loaders::load_path(dir.path()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:2:3: unknown field `bedroms` (did you mean `bedrooms`?)",
            d(&chars)
        )
    );

    write(
        dir.path(),
        loaders::CHARACTERISTICS_FILE,
        "[\n  {\"id\": 2, \"bathrooms\": -1}\n]\n",
    );
    let err = loaders::load_path(dir.path()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:2:3 (listing 2): field `bathrooms` = -1: expected a number between 0 and 1000",
            d(&chars)
        )
    );

    // The same field in two files is refused rather than silently overwritten.
    write(
        dir.path(),
        loaders::CHARACTERISTICS_FILE,
        "[\n  {\"id\": 2, \"price\": 1}\n]\n",
    );
    let err = loaders::load_path(dir.path()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:2:3: field `price` = 1: expected each field in one file only (already in property_basics.json)",
            d(&chars)
        )
    );
}

// ---------------------------------------------------------------- JSON

#[test]
fn json_array_loads_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "listings.json",
        &json!([
            {"id": "kc-1", "price": 500000, "location": "Kent, WA", "bedrooms": 3.0,
             "bathrooms": 2.5, "year_built": 1999, "property_type": "house",
             "listing_type": "sale", "amenities": [], "attributes": {"zip": "98031"}},
            {"id": 2, "price": 1800, "listing_type": "rent", "school_rating": 7.5}
        ])
        .to_string(),
    );
    let catalog = loaders::load_path(&path).unwrap();
    assert_eq!(catalog.len(), 2);
    let a = catalog.property(0);
    assert_eq!(a.id, PropertyId::Str("kc-1".into()));
    assert_eq!(a.bedrooms, Some(3));
    assert_eq!(a.year_built, Some(1999));
    assert_eq!(a.property_type, Some(agent_mira::PropertyType::Sfh));
    assert_eq!(a.amenities, Some(vec![]));
    assert_eq!(a.attributes["zip"], json!("98031"));
    let b = catalog.property(1);
    assert_eq!(b.listing_type, Some(agent_mira::ListingType::LongTermRent));
    assert_eq!(b.school_rating, Some(7.5));
}

#[test]
fn malformed_json_is_a_parse_error_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "bad.json",
        "[\n  {\"id\": 1, \"price\": 2},\n  {\"id\": 2 \"price\": 3}\n]\n",
    );
    let err = loaders::load_path(&path).unwrap_err();
    match &err {
        MiraError::Parse {
            source_name,
            line,
            column,
            message,
        } => {
            assert_eq!(source_name, &d(&path));
            assert_eq!((*line, *column), (3, 12));
            assert_eq!(message, "expected `,` or `}`");
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        format!("{}:3:12: expected `,` or `}}`", d(&path))
    );
}

#[test]
fn json_record_errors_name_the_element_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "l.json",
        "[\n  {\"id\": 1, \"price\": 2},\n  {\"id\": 2, \"prise\": 3}\n]",
    );
    let err = loaders::load_path(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:3:3: unknown field `prise` (did you mean `price`?)",
            d(&path)
        )
    );
}

// ---------------------------------------------------------------- JSON Lines

#[test]
fn jsonl_skips_blank_lines_and_reports_the_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "feed.jsonl",
        "{\"id\": 1, \"price\": 100}\n\n   \n{\"id\": 2, \"price\": 200}\r\n",
    );
    let catalog = loaders::load_path(&path).unwrap();
    assert_eq!(catalog.len(), 2);
    assert_eq!(catalog.property(1).price, 200.0);

    let path = write(
        dir.path(),
        "feed.ndjson",
        "{\"id\": 1, \"price\": 100}\n\n{\"id\": 2, \"price\": 0}\n",
    );
    let err = loaders::load_path(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:3 (listing 2): field `price` = 0: expected a finite number > 0",
            d(&path)
        )
    );

    let path = write(
        dir.path(),
        "broken.jsonl",
        "{\"id\": 1, \"price\": 100}\n\n\n{\"id\": 2, \"price\": }\n",
    );
    let err = loaders::load_path(&path).unwrap_err();
    assert!(
        matches!(
            err,
            MiraError::Parse {
                line: 4,
                column: 20,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!("{}:4:20: expected value", d(&path))
    );
}

#[test]
fn duplicate_ids_are_errors_unless_keep_last() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "feed.jsonl",
        "{\"id\": 1, \"price\": 100}\n{\"id\": 2, \"price\": 200}\n{\"id\": 1, \"price\": 150}\n",
    );
    let err = loaders::load_path(&path).unwrap_err();
    let f = d(&path);
    assert_eq!(
        err.to_string(),
        format!("{f}:3: duplicate id 1 (first seen at {f}:1)")
    );
    assert_eq!(err.code(), "MIRA_DUPLICATE_ID");

    let catalog = load_jsonl(
        &path,
        LoadOptions::new().on_duplicate(OnDuplicate::KeepLast),
    )
    .unwrap();
    assert_eq!(catalog.len(), 2);
    assert_eq!(catalog.property(0).price, 150.0);
    assert_eq!(catalog.property(1).price, 200.0);
}

#[test]
fn builder_settings_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "l.csv",
        "id,price,year_built,amenities\n1,100,1990,Plunge tub\n",
    );
    let options = LoadOptions::new().builder(Catalog::builder().current_year(1980));
    let err = loaders::load_path_with(&path, options).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:2:3 (listing 1): field `year_built` = 1990: expected a year between 1000 and 1980 (not in the future)",
            d(&path)
        )
    );

    let table = AmenityTable::default().with_synonym("plunge tub", "pool");
    let options = LoadOptions::new().builder(
        Catalog::builder()
            .current_year(2000)
            .amenity_table(table.clone()),
    );
    let catalog = loaders::load_path_with(&path, options).unwrap();
    assert_eq!(catalog.current_year(), 2000);
    assert_eq!(catalog.amenity_table(), &table);
    assert_eq!(catalog.amenities_of(0).unwrap(), ["pool"]);
}

// ---------------------------------------------------------------- CSV

#[test]
fn canonical_csv_parses_every_kind_of_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "l.csv",
        "id,title,price,location,bedrooms,bathrooms,amenities,image_urls,amenity:view,attributes.zip,attributes.floors,property_type\n\
         0042,\"Nice, bright\",\"450000\",\"Seattle, WA\",3.0,2.5,Swimming Pool|Garage;Garden,a.jpg|b.jpg,2,02134,1.5,condo\n\
         7,,1e5,,,,,,,,,\n\
         8,,100,,,,[],,no,98004,,\n",
    );
    let catalog = load_csv(&path, LoadOptions::new()).unwrap();
    assert_eq!(catalog.len(), 3);
    let a = catalog.property(0);
    assert_eq!(a.id, PropertyId::Str("0042".into()));
    assert_eq!(a.title.as_deref(), Some("Nice, bright"));
    assert_eq!(a.price, 450_000.0);
    assert_eq!(a.location.as_deref(), Some("Seattle, WA"));
    assert_eq!(a.bedrooms, Some(3));
    assert_eq!(a.bathrooms, Some(2.5));
    assert_eq!(
        a.amenities,
        Some(vec![
            "Swimming Pool".into(),
            "Garage".into(),
            "Garden".into(),
            "view".into()
        ])
    );
    assert_eq!(a.image_urls, ["a.jpg", "b.jpg"]);
    assert_eq!(a.attributes["zip"], json!("02134"));
    assert_eq!(a.attributes["floors"], json!(1.5));
    assert_eq!(a.property_type, Some(agent_mira::PropertyType::Condo));
    assert_eq!(
        catalog.amenities_of(0).unwrap(),
        ["pool", "garage", "garden", "view"]
    );

    let b = catalog.property(1);
    assert_eq!(b.id, PropertyId::Int(7));
    assert_eq!(b.price, 100_000.0);
    assert_eq!(
        (b.title.as_ref(), b.bedrooms, b.amenities.as_ref()),
        (None, None, None)
    );
    assert!(b.attributes.is_empty());

    let c = catalog.property(2);
    assert_eq!(c.amenities, Some(vec![]));
    assert_eq!(c.attributes["zip"], json!(98004));
    assert_eq!(catalog.amenities_of(1), None);
    assert_eq!(catalog.amenities_of(2), Some(vec![]));
}

#[test]
fn csv_with_a_mapping_renames_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "feed.csv",
        "listing_id,asking,sqft,has_pool,has_garage,zip,notes\n\
         a-1,300000,1200,yes,0,98052,call agent\n\
         a-2,350000,1400,,,98053,\n",
    );
    let mapping_path = write(
        dir.path(),
        "mapping.json",
        r#"{"columns": {"listing_id": "id", "asking": "price", "sqft": "size_sqft",
            "has_pool": "amenity:pool", "has_garage": "amenity:garage",
            "zip": "attributes.zip", "notes": "ignore"}}"#,
    );
    let mapping = CsvMapping::from_path(&mapping_path).unwrap();
    assert_eq!(
        mapping.target("has_pool").unwrap(),
        Some(ColumnTarget::Amenity("pool".into()))
    );
    let catalog = load_csv(&path, LoadOptions::new().csv_mapping(mapping)).unwrap();
    let a = catalog.get(&PropertyId::Str("a-1".into())).unwrap();
    assert_eq!(a.price, 300_000.0);
    assert_eq!(a.size_sqft, Some(1200.0));
    assert_eq!(a.amenities, Some(vec!["pool".to_string()]));
    assert_eq!(a.attributes["zip"], json!(98052));
    assert!(!a.attributes.contains_key("notes"));
    let b = catalog.get(&PropertyId::Str("a-2".into())).unwrap();
    assert_eq!(b.amenities, None, "empty amenity cells say nothing");
}

#[test]
fn unknown_csv_column_gets_a_suggestion_naming_file_and_header() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "l.csv", "id,price,bedroms\n1,2,3\n");
    let err = load_csv(&path, LoadOptions::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:1:3: unknown field `bedroms` (did you mean `bedrooms`?)",
            d(&path)
        )
    );
    assert_eq!(err.code(), "MIRA_UNKNOWN_FIELD");
}

#[test]
fn bad_csv_value_names_file_line_column_field_and_value() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "l.csv",
        "id,price,bathrooms\n1,100,2\n2,200,two and a half\n",
    );
    let err = load_csv(&path, LoadOptions::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:3:3: field `bathrooms` = \"two and a half\": expected a number",
            d(&path)
        )
    );

    // Range errors found by validation point at the cell too.
    let path = write(dir.path(), "m.csv", "id,price\n1,100\n2,-5\n");
    let err = load_csv(&path, LoadOptions::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:3:2 (listing 2): field `price` = -5: expected a finite number > 0",
            d(&path)
        )
    );

    // Vocabulary errors list the choices.
    let path = write(
        dir.path(),
        "n.csv",
        "id,price,property_type\n1,100,castle\n",
    );
    let err = load_csv(&path, LoadOptions::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:2:3: field `property_type` = \"castle\": expected one of sfh, condo, townhouse, apartment, villa, land, commercial (property type)",
            d(&path)
        )
    );
}

#[test]
fn malformed_csv_rows_are_parse_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "l.csv", "id,price\n1,100\n2,200,extra\n");
    let err = load_csv(&path, LoadOptions::new()).unwrap_err();
    assert!(matches!(err, MiraError::Parse { line: 3, .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "{}:3:0: this row has 3 fields but the header has 2",
            d(&path)
        )
    );

    let path = write(dir.path(), "h.csv", "id,title\n1,x\n");
    let err = load_csv(&path, LoadOptions::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:1 (header row): missing required field `price`",
            d(&path)
        )
    );
}

#[test]
fn mapping_targets_are_checked_and_presets_found_by_name() {
    let err = CsvMapping::from_json(r#"{"columns": {"a": "amenity:"}}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "CSV mapping, column `a`: field `target` = \"amenity:\": expected amenity:<name> with a non-empty name"
    );
    let err = CsvMapping::from_json(r#"{"colums": {}}"#).unwrap_err();
    assert_eq!(err.code(), "MIRA_PARSE");

    assert_eq!(
        CsvMapping::preset("king_county").unwrap(),
        CsvMapping::king_county()
    );
    assert_eq!(CsvMapping::preset("KC").unwrap(), CsvMapping::king_county());
    let err = CsvMapping::preset("king-countie").unwrap_err();
    assert_eq!(
        err.to_string(),
        "unsupported CSV mapping preset: king-countie (did you mean `king-county`? known presets: king-county, india-rent)"
    );

    // A mapping survives JSON.
    let m = CsvMapping::king_county().on_duplicate(OnDuplicate::KeepLast);
    let text = serde_json::to_string(&m).unwrap();
    assert!(text.contains("\"on_duplicate\":\"keep_last\""), "{text}");
    assert_eq!(CsvMapping::from_json(&text).unwrap(), m);
}

#[test]
fn unsupported_extensions_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "listings.xlsx", "PK");
    let err = loaders::load_path(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "unsupported listing file type: {} (use a .json, .jsonl, .ndjson or .csv file, or a case-study directory)",
            d(&path)
        )
    );
    let err = loaders::load_path(dir.path().join("nope.csv")).unwrap_err();
    assert_eq!(err.code(), "MIRA_IO");
}

// ---------------------------------------------------------------- King County

#[test]
fn king_county_raw_file_with_preset_and_keep_last() {
    let options = LoadOptions::new()
        .csv_mapping(CsvMapping::king_county().on_duplicate(OnDuplicate::KeepLast));
    let catalog = load_csv(kc_raw(), options).unwrap();
    // 21,608 sales of 21,430 distinct houses.
    assert_eq!(catalog.len(), 21_430);

    let p = catalog.get(&PropertyId::Int(7_129_300_520)).unwrap();
    assert_eq!(p.price, 221_900.0);
    assert_eq!(p.bedrooms, Some(3));
    assert_eq!(p.bathrooms, Some(1.0));
    assert_eq!(p.size_sqft, Some(1180.0));
    assert_eq!(p.lot_sqft, Some(5650.0));
    assert_eq!(p.year_built, Some(1955));
    assert_eq!(p.latitude, Some(47.5112));
    assert_eq!(p.longitude, Some(-122.257));
    assert_eq!(p.amenities, Some(vec![]));
    assert_eq!(p.location, None);
    assert_eq!(p.attributes["zipcode"], json!(98178));
    assert_eq!(p.attributes["date"], json!("20141013T000000"));
    assert_eq!(p.attributes["floors"], json!(1));
    assert_eq!(p.attributes["grade"], json!(7));
    assert_eq!(p.attributes["sqft_lot15"], json!(5650));
    assert_eq!(p.attributes.len(), 10);

    // Sold twice: the later sale wins.
    let twice = catalog.get(&PropertyId::Int(6_021_501_535)).unwrap();
    assert_eq!(twice.price, 700_000.0);
    assert_eq!(twice.attributes["date"], json!("20141223T000000"));

    // A leading zero keeps the id a string.
    assert!(catalog.get(&PropertyId::Str("0114101516".into())).is_some());

    // waterfront → amenity, view > 0 → amenity.
    let with_water = catalog
        .properties()
        .filter(|p| p.amenities.as_ref().unwrap().contains(&"waterfront".into()))
        .count();
    assert_eq!(with_water, 163);
}

#[test]
fn king_county_raw_file_without_keep_last_reports_the_duplicate() {
    let options = LoadOptions::new().csv_mapping(CsvMapping::king_county());
    let err = load_csv(kc_raw(), options).unwrap_err();
    let f = d(&kc_raw());
    assert_eq!(
        err.to_string(),
        format!("{f}:96: duplicate id 6021501535 (first seen at {f}:95)")
    );
    assert!(matches!(
        err,
        MiraError::DuplicateId { ref id, .. } if id == "6021501535"
    ));

    // Without the preset its columns are unknown.
    let err = load_csv(kc_raw(), LoadOptions::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{f}:1:2: unknown field `date` (expected one of: {})",
            agent_mira::listing::PROPERTY_FIELDS.join(", ")
        )
    );
}

#[test]
fn king_county_fixture_loads_without_a_mapping() {
    let report = RefCell::new(Vec::new());
    let progress = |done: u64, total: u64| report.borrow_mut().push((done, total));
    let options = LoadOptions::new().progress(&progress);
    let catalog = load_csv(kc_fixture(), options).unwrap();
    assert_eq!(catalog.len(), 21_430);
    assert!(catalog
        .properties()
        .all(|p| p.location.as_deref().is_some_and(|l| l.ends_with(", WA"))));
    assert!(catalog.properties().all(|p| p.amenities.is_some()
        && p.property_type == Some(agent_mira::PropertyType::Sfh)
        && p.listing_type == Some(agent_mira::ListingType::Sale)));

    let p = catalog.get(&PropertyId::Int(6_414_100_192)).unwrap();
    assert_eq!(p.title.as_deref(), Some("3 bd, 2.25 ba home in Seattle"));
    assert_eq!(p.location.as_deref(), Some("Seattle, WA"));
    assert_eq!(p.price, 538_000.0);
    assert_eq!(p.attributes["sale_date"], json!("2014-12-09"));
    assert_eq!(p.attributes["yr_renovated"], json!(1991));
    assert_eq!(p.attributes["sqft_basement"], json!(400));
    let q = catalog.get(&PropertyId::Int(7_129_300_520)).unwrap();
    assert!(!q.attributes.contains_key("yr_renovated"));
    let twice = catalog.get(&PropertyId::Int(6_021_501_535)).unwrap();
    assert_eq!(twice.price, 700_000.0);

    // Progress: increasing byte counts, ending at the file size.
    let report = report.into_inner();
    let size = fs::metadata(kc_fixture()).unwrap().len();
    assert!(report.len() > 2, "{report:?}");
    assert!(report.windows(2).all(|w| w[0].0 <= w[1].0));
    assert!(report.iter().all(|&(_, total)| total == size));
    assert_eq!(report.last(), Some(&(size, size)));
}
