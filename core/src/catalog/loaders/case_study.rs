//! The Agent Mira case study's three-file layout, merged by `id`:
//!
//! | file | holds | |
//! |---|---|---|
//! | `property_basics.json` | `id`, `title`, `price`, `location` | required; its records define the listings, in its order |
//! | `property_characteristics.json` | `id`, `bedrooms`, `bathrooms`, `size_sqft`, `amenities` | optional |
//! | `property_images.json` | `id`, `image_url` | optional |
//!
//! Each file is a JSON array of objects. Any [`Property`] field may appear in
//! any file (so a richer feed can add `year_built` to the characteristics),
//! but a field given by two files for the same id is an error, and so is:
//! an id repeated within one file, an id in characteristics or images that
//! basics does not list, or an unknown key. Every error names the file that
//! holds the problem, with its line and column. A listing without a
//! characteristics or images record simply has those fields missing.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::json::for_each_element;
use super::{relocate, LoadOptions, Sink};
use crate::catalog::Catalog;
use crate::error::{MiraError, RecordRef, Result};
use crate::listing::{Property, PropertyId, PROPERTY_FIELDS};
use crate::record;

/// The required file: ids, titles, prices, locations.
pub const BASICS_FILE: &str = "property_basics.json";
/// The optional file of rooms, sizes and amenities.
pub const CHARACTERISTICS_FILE: &str = "property_characteristics.json";
/// The optional file of picture addresses (`image_url`).
pub const IMAGES_FILE: &str = "property_images.json";

/// One record of one file.
struct Part {
    id: PropertyId,
    map: Map<String, Value>,
    at: RecordRef,
}

/// One parsed file.
struct PartFile {
    name: &'static str,
    records: Vec<Part>,
    index: HashMap<PropertyId, usize>,
}

/// Load a case-study directory (see the [module docs](self)).
///
/// ```no_run
/// use agent_mira::catalog::loaders::{load_case_study, LoadOptions};
/// let catalog = load_case_study("fixtures/case-study", LoadOptions::new()).unwrap();
/// assert_eq!(catalog.len(), 10);
/// ```
pub fn load_case_study(dir: impl AsRef<Path>, options: LoadOptions<'_>) -> Result<Catalog> {
    let dir = dir.as_ref();
    let files = [
        (BASICS_FILE, true),
        (CHARACTERISTICS_FILE, false),
        (IMAGES_FILE, false),
    ];
    let mut texts = Vec::new();
    let mut total = 0u64;
    for (name, required) in files {
        let path = dir.join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                total += text.len() as u64;
                texts.push((name, path.display().to_string(), text));
            }
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(MiraError::io(path, e)),
        }
    }
    merge(&texts, total, options)
}

/// Merge the three files of a case-study directory held in memory: `basics`
/// (required), `characteristics` and `images` (optional), each a JSON array
/// of objects, by the rules of [`load_case_study`]. Errors name the files by
/// their usual names ([`BASICS_FILE`] etc.).
///
/// ```
/// use agent_mira::catalog::loaders::{parse_case_study, LoadOptions};
/// let basics = r#"[{"id": 1, "title": "Loft", "price": 450000, "location": "Seattle, WA"}]"#;
/// let characteristics = r#"[{"id": 1, "bedrooms": 2}]"#;
/// let catalog = parse_case_study(basics, Some(characteristics), None, LoadOptions::new()).unwrap();
/// assert_eq!(catalog.property(0).bedrooms, Some(2));
///
/// let images = r#"[{"id": 2, "image_url": "https://example.com/2.jpg"}]"#;
/// let err = parse_case_study(basics, None, Some(images), LoadOptions::new()).unwrap_err();
/// assert!(err.to_string().starts_with("property_images.json:1:2"), "{err}");
/// ```
pub fn parse_case_study(
    basics: &str,
    characteristics: Option<&str>,
    images: Option<&str>,
    options: LoadOptions<'_>,
) -> Result<Catalog> {
    let mut texts = vec![(BASICS_FILE, BASICS_FILE.to_string(), basics.to_string())];
    for (name, text) in [
        (CHARACTERISTICS_FILE, characteristics),
        (IMAGES_FILE, images),
    ] {
        if let Some(text) = text {
            texts.push((name, name.to_string(), text.to_string()));
        }
    }
    let total = texts.iter().map(|(_, _, t)| t.len() as u64).sum();
    merge(&texts, total, options)
}

/// Merge parsed files: `texts` holds (file name, source for errors, text),
/// basics first.
fn merge(
    texts: &[(&'static str, String, String)],
    total: u64,
    options: LoadOptions<'_>,
) -> Result<Catalog> {
    let (mut sink, _) = Sink::new(options, total);
    let year = sink.year();
    let mut parts = Vec::new();
    let mut done = 0u64;
    for (name, source, text) in texts {
        parts.push(read_part(name, source, text)?);
        done += text.len() as u64;
        sink.progress(done);
    }
    let mut parts = parts.into_iter();
    let basics = parts.next().expect("basics is required");
    let mut extras: Vec<PartFile> = parts.collect();

    for extra in &extras {
        if let Some(orphan) = extra
            .records
            .iter()
            .find(|r| !basics.index.contains_key(&r.id))
        {
            return Err(MiraError::invalid(
                orphan.at.clone(),
                "id",
                orphan.id.to_json(),
                format!("an id that {BASICS_FILE} lists"),
            ));
        }
    }

    for part in basics.records {
        let mut merged = part.map;
        let mut origins: HashMap<String, (RecordRef, &'static str)> = merged
            .keys()
            .map(|k| (k.clone(), (part.at.clone(), basics.name)))
            .collect();
        for extra in &mut extras {
            let Some(&row) = extra.index.get(&part.id) else {
                continue;
            };
            let other = &mut extra.records[row];
            for (key, value) in std::mem::take(&mut other.map) {
                if key == "id" {
                    continue;
                }
                if let Some((_, first_file)) = origins.get(&key) {
                    return Err(MiraError::invalid(
                        other.at.clone(),
                        key,
                        record::render(&value),
                        format!("each field in one file only (already in {first_file})"),
                    ));
                }
                if key == "image_url" {
                    origins.insert("image_urls".into(), (other.at.clone(), extra.name));
                }
                origins.insert(key.clone(), (other.at.clone(), extra.name));
                merged.insert(key, value);
            }
        }
        let id_text = record::render(&part.id.to_json());
        let property = Property::from_map(merged, &part.at, year).map_err(|e| {
            relocate(e, &part.at, Some(&id_text), |field| {
                origins.get(field).map(|(at, _)| at.clone())
            })
        })?;
        sink.push(property, part.at)?;
    }
    sink.finish()
}

/// Parse one file: an array of objects with known keys and unique ids.
fn read_part(name: &'static str, source: &str, text: &str) -> Result<PartFile> {
    let mut allowed: Vec<&str> = PROPERTY_FIELDS.to_vec();
    allowed.push("image_url");
    let mut file = PartFile {
        name,
        records: Vec::new(),
        index: HashMap::new(),
    };
    for_each_element(text, source, |value, line, column, _| {
        let at = RecordRef::Position {
            source: source.to_string(),
            line,
            column,
        };
        let Value::Object(mut map) = value else {
            return Err(MiraError::invalid(
                at,
                "<record>",
                record::render(&value),
                "a JSON object",
            ));
        };
        map.retain(|_, v| !v.is_null());
        record::check_keys(&map, &allowed, &at)?;
        let Some(id_value) = map.get("id") else {
            return Err(MiraError::MissingField {
                record: at,
                field: "id".into(),
            });
        };
        let id = PropertyId::deserialize(id_value).map_err(|_| {
            MiraError::invalid(
                at.clone(),
                "id",
                record::render(id_value),
                "a non-empty string or a non-negative integer",
            )
        })?;
        if let Some(&first) = file.index.get(&id) {
            return Err(MiraError::DuplicateId {
                id: id.to_string(),
                record: at,
                first: file.records[first].at.clone(),
            });
        }
        file.index.insert(id.clone(), file.records.len());
        file.records.push(Part { id, map, at });
        Ok(())
    })?;
    Ok(file)
}
