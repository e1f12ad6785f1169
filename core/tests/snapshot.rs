//! Snapshots: round trips, versions, and every kind of damage.

use std::fs;
use std::path::{Path, PathBuf};

use agent_mira::catalog::snapshot::{FORMAT_NAME, FORMAT_VERSION};
use agent_mira::{AmenityTable, Catalog, MiraError, Property, PropertyId};

fn case_study() -> Catalog {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/case-study");
    let options = agent_mira::catalog::loaders::LoadOptions::new()
        .builder(Catalog::builder().current_year(2025));
    agent_mira::catalog::loaders::load_path_with(dir, options).unwrap()
}

/// What a catalog derives from its listings (its columns), seen through
/// the public API: the summary and every listing's canonical amenities.
/// (The columns themselves are compared bit for bit by the unit test
/// `catalog::snapshot::tests`.)
fn derived(c: &Catalog) -> String {
    let amenities: Vec<Option<Vec<&str>>> = (0..c.len()).map(|r| c.amenities_of(r)).collect();
    format!("{:?} {amenities:?}", c.stats())
}

fn assert_same(a: &Catalog, b: &Catalog) {
    assert_eq!(a.len(), b.len());
    assert!(a.properties().eq(b.properties()), "properties differ");
    assert_eq!(a.version(), b.version());
    assert_eq!(a.current_year(), b.current_year());
    assert_eq!(a.amenity_table(), b.amenity_table());
    assert_eq!(derived(a), derived(b));
}

fn saved(catalog: &Catalog) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.jsonl");
    catalog.save(&path).unwrap();
    (dir, path)
}

fn corrupt_reason(err: MiraError, path: &Path) -> String {
    match err {
        MiraError::Corrupt {
            path: p,
            kind,
            reason,
        } => {
            assert_eq!(p, path);
            assert_eq!(kind, "catalog snapshot");
            reason
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
}

#[test]
fn round_trip_keeps_listings_columns_version_and_amenity_names() {
    let catalog = case_study();
    let (_dir, path) = saved(&catalog);
    let back = Catalog::load(&path).unwrap();
    assert_same(&catalog, &back);
    assert_eq!(back.len(), 10);
    assert_eq!(back.current_year(), 2025);
    assert_eq!(back.stats().amenities, catalog.stats().amenities);
    assert!(back
        .stats()
        .amenities
        .iter()
        .any(|(name, _)| name == "pool"));
}

#[test]
fn the_file_is_a_header_line_then_one_listing_per_line() {
    let catalog = case_study();
    let (_dir, path) = saved(&catalog);
    let text = fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 11);
    assert!(text.ends_with('\n'));
    let header: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(header["format"], FORMAT_NAME);
    // Version 1: no listing has a vector (version 2, FORMAT_VERSION, is
    // written for catalogs with vectors; see tests/embeddings.rs).
    assert_eq!(header["format_version"], 1);
    assert_eq!(FORMAT_VERSION, 2);
    assert_eq!(header["catalog_version"], 1);
    assert_eq!(header["current_year"], 2025);
    assert_eq!(header["count"], 10);
    let checksum = header["checksum"].as_str().unwrap();
    assert!(
        checksum.starts_with("crc32:") && checksum.len() == 14,
        "{checksum}"
    );
    assert!(header["amenity_table"]["synonyms"].is_object());
    let first: Property = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(first.id, PropertyId::Int(1));
    assert_eq!(first.bedrooms, Some(3));

    // Saving the same catalog twice gives the same bytes.
    let again = path.with_file_name("again.jsonl");
    catalog.save(&again).unwrap();
    assert_eq!(fs::read(&path).unwrap(), fs::read(&again).unwrap());
}

#[test]
fn an_upserted_catalogs_version_survives() {
    let v1 = case_study();
    let mut changed = v1.get(&PropertyId::Int(4)).unwrap().clone();
    changed.price = 240_000.0;
    changed.year_built = Some(2001);
    let v2 = v1.upsert(vec![changed]).unwrap();
    let v3 = v2.upsert(vec![Property::new("new-1", 99_000.0)]).unwrap();
    assert_eq!(v3.version(), 3);
    let (_dir, path) = saved(&v3);
    let back = Catalog::load(&path).unwrap();
    assert_same(&v3, &back);
    assert_eq!(back.version(), 3);
    assert_eq!(back.get(&PropertyId::Int(4)).unwrap().price, 240_000.0);
    assert_eq!(back.row_of(&PropertyId::Str("new-1".into())), Some(10));
    // And the restored catalog keeps counting from there.
    assert_eq!(back.remove([&PropertyId::Int(1)]).unwrap().version(), 4);
}

#[test]
fn a_custom_amenity_table_and_attributes_survive() {
    let table = AmenityTable::default().with_synonym("plunge tub", "pool");
    let mut b = Catalog::builder()
        .current_year(2020)
        .amenity_table(table.clone());
    let mut p = Property::new(1, 10.0);
    p.amenities = Some(vec!["Plunge Tub".into(), "Wine Cellar".into()]);
    p.attributes
        .insert("zip".into(), serde_json::json!({"code": "02134", "n": 1.5}));
    p.bathrooms = Some(2.25);
    p.latitude = Some(47.5112);
    b.push(p).unwrap();
    b.push(Property::new("x", 0.1 + 0.2)).unwrap();
    let catalog = b.build();
    let (_dir, path) = saved(&catalog);
    let back = Catalog::load(&path).unwrap();
    assert_same(&catalog, &back);
    assert_eq!(back.amenity_table(), &table);
    assert_eq!(back.amenities_of(0).unwrap(), ["pool", "wine_cellar"]);
    assert_eq!(back.property(1).price, 0.1 + 0.2);
}

#[test]
fn an_empty_catalog_round_trips() {
    let catalog = Catalog::builder().current_year(2024).version(7).build();
    let (_dir, path) = saved(&catalog);
    let back = Catalog::load(&path).unwrap();
    assert!(back.is_empty());
    assert_eq!((back.version(), back.current_year()), (7, 2024));
}

#[test]
fn the_king_county_fixture_round_trips() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/king_county/listings.csv");
    let catalog = Catalog::from_path(fixture).unwrap();
    let (_dir, path) = saved(&catalog);
    let back = Catalog::load(&path).unwrap();
    assert_eq!(back.len(), 21_430);
    assert_same(&catalog, &back);
}

#[test]
fn rentals_keep_every_renting_field() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/listings/rentals.json");
    let catalog = agent_mira::catalog::loaders::load_path(&path).unwrap();
    let (_dir, saved_path) = saved(&catalog);
    let back = Catalog::load(&saved_path).unwrap();
    assert_same(&catalog, &back);
    let weekly = back.get(&PropertyId::from("mum-3")).unwrap();
    assert_eq!(weekly.rent_period, Some(agent_mira::RentPeriod::Week));
    assert_eq!(
        weekly.available_from.map(|d| d.to_string()).as_deref(),
        Some("2022-06-01")
    );
    assert_eq!(
        weekly.currency.map(|c| c.to_string()).as_deref(),
        Some("INR")
    );
    assert_eq!(weekly.monthly_rent(), Some(39_000.0));
    let text = fs::read_to_string(&saved_path).unwrap();
    assert!(
        text.contains(r#""available_until":"2022-12-31""#),
        "dates are written as ISO text"
    );
}

#[test]
fn a_truncated_file_is_corrupt() {
    let (_dir, path) = saved(&case_study());
    let bytes = fs::read(&path).unwrap();

    // Cut in the middle of the last listing.
    fs::write(&path, &bytes[..bytes.len() - 20]).unwrap();
    let reason = corrupt_reason(Catalog::load(&path).unwrap_err(), &path);
    assert_eq!(
        reason,
        "truncated: line 11 ends mid-record (header says 10 listings)"
    );

    // Cut at a line boundary: the count gives it away.
    let text = String::from_utf8(bytes.clone()).unwrap();
    let keep: String = text.split_inclusive('\n').take(8).collect();
    fs::write(&path, keep).unwrap();
    let err = Catalog::load(&path).unwrap_err();
    assert_eq!(err.code(), "MIRA_CORRUPT");
    assert_eq!(
        err.to_string(),
        format!(
            "{}: corrupt catalog snapshot: truncated: header says 10 listings, the file holds 7",
            path.display()
        )
    );

    // Cut inside the header.
    fs::write(&path, &bytes[..30]).unwrap();
    let reason = corrupt_reason(Catalog::load(&path).unwrap_err(), &path);
    assert_eq!(reason, "truncated: the header line is incomplete");

    // Nothing at all.
    fs::write(&path, b"").unwrap();
    let reason = corrupt_reason(Catalog::load(&path).unwrap_err(), &path);
    assert_eq!(
        reason,
        "the file is empty (expected a snapshot header line)"
    );
}

#[test]
fn a_flipped_byte_fails_the_checksum() {
    let (_dir, path) = saved(&case_study());
    let text = fs::read_to_string(&path).unwrap();
    let header_len = text.find('\n').unwrap() + 1;
    let header: serde_json::Value = serde_json::from_str(&text[..header_len]).unwrap();
    let stated = header["checksum"].as_str().unwrap().to_string();

    // "450000" → "450001" in listing 1: still valid JSON, still a valid listing.
    let at = header_len + text[header_len..].find("450000").unwrap() + 5;
    let mut bytes = text.into_bytes();
    bytes[at] = b'1';
    fs::write(&path, &bytes).unwrap();
    let reason = corrupt_reason(Catalog::load(&path).unwrap_err(), &path);
    assert!(
        reason.starts_with(&format!(
            "checksum mismatch: header says {stated}, content hashes to crc32:"
        )),
        "{reason}"
    );
}

#[test]
fn the_checksum_covers_the_header_settings() {
    let (_dir, path) = saved(&case_study());
    let text = fs::read_to_string(&path).unwrap();
    let tampered = text.replacen("\"current_year\":2025", "\"current_year\":2035", 1);
    assert_ne!(tampered, text);
    fs::write(&path, tampered).unwrap();
    let reason = corrupt_reason(Catalog::load(&path).unwrap_err(), &path);
    assert!(reason.starts_with("checksum mismatch"), "{reason}");
}

#[test]
fn a_newer_format_version_is_unsupported() {
    let (_dir, path) = saved(&case_study());
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replacen("\"format_version\":1", "\"format_version\":3", 1),
    )
    .unwrap();
    let err = Catalog::load(&path).unwrap_err();
    assert!(matches!(
        err,
        MiraError::UnsupportedVersion {
            found: 3,
            supported: 2,
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        format!(
            "{}: unsupported catalog snapshot format version 3 (this build reads version 2 and older)",
            path.display()
        )
    );
    assert_eq!(err.code(), "MIRA_UNSUPPORTED_VERSION");
}

#[test]
fn a_file_that_is_not_a_snapshot_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("listings.csv");
    fs::write(&path, "id,price\n1,2\n").unwrap();
    let reason = corrupt_reason(Catalog::load(&path).unwrap_err(), &path);
    assert!(
        reason.starts_with("not a catalog snapshot: the first line is not a JSON header"),
        "{reason}"
    );

    fs::write(&path, "{\"format\":\"something-else\"}\n").unwrap();
    let reason = corrupt_reason(Catalog::load(&path).unwrap_err(), &path);
    assert_eq!(
        reason,
        "not a catalog snapshot: header `format` is \"something-else\", expected \"agent-mira-catalog\""
    );
}

#[test]
fn a_missing_file_is_an_io_error_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.jsonl");
    let err = Catalog::load(&path).unwrap_err();
    match &err {
        MiraError::Io { path: p, source } => {
            assert_eq!(p, &path);
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected Io, got {other:?}"),
    }
    assert!(err.to_string().starts_with(&path.display().to_string()));
}

#[test]
fn saving_into_a_missing_directory_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no/such/dir/catalog.jsonl");
    let err = case_study().save(&path).unwrap_err();
    assert!(
        matches!(err, MiraError::Io { path: ref p, .. } if p == &path),
        "{err:?}"
    );
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing left behind"
    );
}

#[test]
fn saving_over_an_existing_snapshot_replaces_it_without_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.jsonl");
    let v1 = case_study();
    v1.save(&path).unwrap();
    let v2 = v1.remove([&PropertyId::Int(2)]).unwrap();
    v2.save(&path).unwrap();
    let back = Catalog::load(&path).unwrap();
    assert_eq!((back.len(), back.version()), (9, 2));
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["catalog.jsonl"]);
}
