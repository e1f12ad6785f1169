//! Derive `fixtures/king_county/listings.csv` from the King County house
//! sales file (May 2014 – May 2015).
//!
//! The raw file is read with the library's own CSV loader and the
//! `king-county` mapping preset, keeping the latest sale of each house
//! (`keep_last`: the file is in date order within an id). Each house becomes
//! one "for sale" listing priced at its sale price, located by its zip code's
//! city, written in the canonical CSV columns so that the plain CSV loader
//! reads it back with no mapping.
//!
//! ```text
//! cargo run -p agent-mira-examples --example derive_king_county -- \
//!     [kc_house_data.csv] [king_county_zip_cities.csv] [out.csv]
//! ```
//!
//! Defaults: the copies of both source files in `fixtures/king_county/`
//! (`kc_house_data.csv`, `king_county_zip_cities.csv`), and
//! `fixtures/king_county/listings.csv`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use agent_mira::catalog::loaders::{self, CsvMapping, LoadOptions, OnDuplicate};
use agent_mira::{Property, Result};

/// The columns of the derived file, in order.
const COLUMNS: &[&str] = &[
    "id",
    "title",
    "price",
    "location",
    "latitude",
    "longitude",
    "bedrooms",
    "bathrooms",
    "size_sqft",
    "lot_sqft",
    "year_built",
    "property_type",
    "listing_type",
    "amenities",
    "attributes.zipcode",
    "attributes.sale_date",
    "attributes.grade",
    "attributes.condition",
    "attributes.floors",
    "attributes.yr_renovated",
    "attributes.sqft_basement",
];

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let data = repo.join("fixtures/king_county");
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let sales = args
        .next()
        .unwrap_or_else(|| data.join("kc_house_data.csv"));
    let zips = args
        .next()
        .unwrap_or_else(|| data.join("king_county_zip_cities.csv"));
    let out = args
        .next()
        .unwrap_or_else(|| repo.join("fixtures/king_county/listings.csv"));

    let cities = zip_cities(&zips)?;
    let options = LoadOptions::new()
        .csv_mapping(CsvMapping::king_county())
        .on_duplicate(OnDuplicate::KeepLast);
    let catalog = loaders::load_csv(&sales, options)?;

    let mut rows = Vec::with_capacity(catalog.len());
    for p in catalog.properties() {
        rows.push(listing_row(p, &cities)?);
    }
    agent_mira::write_atomic(&out, |w| {
        writeln!(w, "{}", COLUMNS.join(","))?;
        for row in &rows {
            writeln!(w, "{row}")?;
        }
        Ok(())
    })?;
    eprintln!(
        "wrote {} listings (latest sale of each house) to {}",
        rows.len(),
        out.display()
    );
    Ok(())
}

/// zip code → "City, ST".
fn zip_cities(path: &Path) -> Result<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).map_err(|e| agent_mira::MiraError::io(path, e))?;
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    if header.trim() != "zipcode,city,state" {
        return Err(bad(path, 1, "header", header, "zipcode,city,state"));
    }
    let mut map = HashMap::new();
    for (i, line) in lines.enumerate() {
        let parts: Vec<&str> = line.split(',').map(str::trim).collect();
        match parts.as_slice() {
            [zip, city, state] if !zip.is_empty() && !city.is_empty() => {
                map.insert(zip.to_string(), format!("{city}, {state}"));
            }
            [] | [""] => {}
            _ => return Err(bad(path, i as u64 + 2, "row", line, "zipcode,city,state")),
        }
    }
    Ok(map)
}

fn bad(path: &Path, line: u64, field: &str, value: &str, expected: &str) -> agent_mira::MiraError {
    agent_mira::MiraError::invalid(
        agent_mira::RecordRef::Position {
            source: path.display().to_string(),
            line,
            column: 0,
        },
        field,
        format!("{value:?}"),
        expected,
    )
}

/// One CSV line for a listing loaded with the king-county preset.
fn listing_row(p: &Property, cities: &HashMap<String, String>) -> Result<String> {
    let attr = |key: &str| p.attributes.get(key);
    let record = agent_mira::RecordRef::Id(p.id.to_string());
    // Attribute values are JSON: text as is, numbers as written.
    let attr_text = |key: &str| {
        attr(key)
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .unwrap_or_default()
    };
    let zipcode = attr_text("zipcode");
    let location = cities.get(&zipcode).ok_or_else(|| {
        agent_mira::MiraError::invalid(
            record.clone(),
            "zipcode",
            &zipcode,
            "a zip code listed in king_county_zip_cities.csv",
        )
    })?;
    let city = location.split(',').next().unwrap_or(location);
    // "20141013T000000" → "2014-10-13"
    let date = attr_text("date");
    if date.len() < 8 || !date[..8].bytes().all(|b| b.is_ascii_digit()) {
        return Err(agent_mira::MiraError::invalid(
            record,
            "date",
            format!("{date:?}"),
            "a date like 20141013T000000",
        ));
    }
    let sale_date = format!("{}-{}-{}", &date[..4], &date[4..6], &date[6..8]);
    let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let title = format!(
        "{} bd, {} ba home in {city}",
        p.bedrooms.map_or("?".into(), |b| b.to_string()),
        num(p.bathrooms),
    );
    let amenities = match &p.amenities {
        Some(list) if list.is_empty() => "[]".to_string(),
        Some(list) => list.join("|"),
        None => String::new(),
    };
    let renovated = match attr("yr_renovated").and_then(|v| v.as_f64()) {
        Some(y) if y > 0.0 => attr_text("yr_renovated"),
        _ => String::new(),
    };
    let cells = [
        p.id.to_string(),
        title,
        p.price.to_string(),
        location.clone(),
        num(p.latitude),
        num(p.longitude),
        p.bedrooms.map(|b| b.to_string()).unwrap_or_default(),
        num(p.bathrooms),
        num(p.size_sqft),
        num(p.lot_sqft),
        p.year_built.map(|y| y.to_string()).unwrap_or_default(),
        "sfh".into(),
        "sale".into(),
        amenities,
        zipcode,
        sale_date,
        attr_text("grade"),
        attr_text("condition"),
        attr_text("floors"),
        renovated,
        attr_text("sqft_basement"),
    ];
    Ok(cells.iter().map(|c| quote(c)).collect::<Vec<_>>().join(","))
}

/// Quote a CSV cell when it holds a comma, a quote or a line break.
fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}
