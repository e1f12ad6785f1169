//! Saving and loading a whole catalog: [`Catalog::save`] and [`Catalog::load`].
//!
//! # Format (versions 1 and 2)
//!
//! One UTF-8 text file, JSON Lines. The first line is a header object:
//!
//! ```json
//! {"format":"agent-mira-catalog","format_version":1,"catalog_version":3,"current_year":2025,
//!  "count":2,"checksum":"crc32:1a2b3c4d","amenity_table":{"synonyms":{...},"keywords":[...]}}
//! ```
//!
//! (written on one line, keys in this order) followed by exactly `count`
//! lines, each one listing as a JSON object with [`Property`]'s field names,
//! in catalog order, every line ending in `\n`.
//!
//! - `format` is always `agent-mira-catalog`; anything else is not a snapshot.
//! - `format_version` is 1 for a catalog without vectors and 2
//!   ([`FORMAT_VERSION`]) for one where some listing has an `embedding`: a
//!   version-2 listing line may end with the listing's stored (unit-length)
//!   vector under `embedding`, exactly as [`Catalog::listing`] serialises
//!   it. A version-1 file is byte for byte what earlier builds wrote, and
//!   a build that only knows version 1 refuses a file with vectors as
//!   newer instead of misreading it. A newer version than this build's is
//!   refused with [`MiraError::UnsupportedVersion`] rather than misread.
//! - Vectors are written with the shortest decimal that reads back as the
//!   same `f32`, and normalisation keeps a unit vector as it is, so a loaded
//!   catalog holds the saved vectors bit for bit.
//! - `catalog_version`, `current_year` and `amenity_table` are restored, so
//!   that a loaded catalog has the same version, validation year, amenity
//!   normalisation and therefore the same columns as the saved one.
//! - `checksum` is the CRC-32 (IEEE) of the header line *with the checksum
//!   written as `crc32:00000000`*, a `\n`, and every listing line including
//!   its `\n`: it covers the header's settings as well as the listings. The
//!   eight hex digits are lower-case.
//!
//! A damaged file (wrong checksum, fewer or more lines than `count`, a line
//! cut short, a header that does not parse) is a [`MiraError::Corrupt`] that
//! names the file and says what is wrong. Files are written atomically
//! ([`write_atomic`]): a reader sees the old snapshot or
//! the new one, never a mix.
//!
//! ```
//! use agent_mira::{Catalog, Property};
//! let mut b = Catalog::builder().current_year(2025);
//! b.push(Property::new(1, 450_000.0)).unwrap();
//! let catalog = b.build().upsert(vec![Property::new(2, 380_000.0)]).unwrap();
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("catalog.mira.jsonl");
//! catalog.save(&path).unwrap();
//! let back = Catalog::load(&path).unwrap();
//! assert_eq!((back.len(), back.version(), back.current_year()), (2, 2, 2025));
//! ```

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Catalog, CatalogBuilder};
use crate::error::{MiraError, RecordRef, Result};
use crate::fsio::write_atomic;
use crate::listing::{AmenityTable, Property};

/// The `format` name in every snapshot header.
pub const FORMAT_NAME: &str = "agent-mira-catalog";
/// The newest snapshot format version this build writes and reads: 2,
/// written for catalogs with vectors (1, the version before vectors, is
/// written for catalogs without any).
pub const FORMAT_VERSION: u32 = 2;

/// The version written for a catalog without vectors.
const FORMAT_VERSION_WITHOUT_VECTORS: u32 = 1;

const KIND: &str = "catalog snapshot";
const CHECKSUM_PREFIX: &str = "crc32:";
const CHECKSUM_PLACEHOLDER: &str = "crc32:00000000";

/// The header line. Field order is part of the format (the checksum is
/// computed over the written text).
#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    format_version: u32,
    catalog_version: u64,
    current_year: i32,
    count: u64,
    checksum: String,
    amenity_table: AmenityTable,
}

fn corrupt(path: &Path, reason: impl Into<String>) -> MiraError {
    MiraError::Corrupt {
        path: path.to_path_buf(),
        kind: KIND.into(),
        reason: reason.into(),
    }
}

/// Write the listing at `row` and its `\n`: the same bytes as serialising
/// [`Catalog::listing`], without cloning the listing (`embedding` is
/// [`Property`]'s last field, so its vector goes just before the closing
/// brace).
fn write_line(w: &mut Vec<u8>, catalog: &Catalog, row: usize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *w, catalog.property(row))?;
    if let Some(v) = catalog.embedding(row) {
        debug_assert_eq!(w.last(), Some(&b'}'));
        w.pop();
        // `id` and `price` are always written, so the object is never
        // empty and the vector always follows a comma.
        w.extend_from_slice(b",\"embedding\":");
        serde_json::to_writer(&mut *w, v)?;
        w.push(b'}');
    }
    w.push(b'\n');
    Ok(())
}

impl Catalog {
    /// Save the whole catalog to `path` in the snapshot format (see the
    /// [module docs](self)), atomically: on error the previous file, if any,
    /// is untouched and no temporary file is left behind.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        write_atomic(path.as_ref(), |w| self.write_snapshot(w))
    }

    /// Write the snapshot format to any writer (a socket, a buffer for
    /// pickling…). [`Catalog::save`] is this plus an atomic file write.
    pub fn write_snapshot<W: Write>(&self, w: &mut W) -> std::io::Result<()> {
        let mut header = Header {
            format: FORMAT_NAME.into(),
            format_version: if self.embeddings().count() > 0 {
                FORMAT_VERSION
            } else {
                FORMAT_VERSION_WITHOUT_VECTORS
            },
            catalog_version: self.version(),
            current_year: self.current_year(),
            count: self.len() as u64,
            checksum: CHECKSUM_PLACEHOLDER.into(),
            amenity_table: self.amenity_table().clone(),
        };
        // First pass: the checksum, without holding the serialised listings
        // in memory (serialisation is deterministic, so the second pass
        // writes exactly the bytes hashed here).
        let template = serde_json::to_string(&header)
            .map_err(|e| std::io::Error::other(format!("serialising header: {e}")))?;
        let mut hasher = crc32fast::Hasher::new();
        hasher.update(template.as_bytes());
        hasher.update(b"\n");
        let mut line = Vec::with_capacity(512);
        for row in 0..self.len() {
            line.clear();
            write_line(&mut line, self, row)?;
            hasher.update(&line);
        }
        header.checksum = format!("{CHECKSUM_PREFIX}{:08x}", hasher.finalize());
        serde_json::to_writer(&mut *w, &header)?;
        w.write_all(b"\n")?;
        for row in 0..self.len() {
            line.clear();
            write_line(&mut line, self, row)?;
            w.write_all(&line)?;
        }
        Ok(())
    }

    /// The snapshot as bytes (for pickling or sending).
    pub fn snapshot_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_snapshot(&mut out)
            .expect("writing to memory cannot fail");
        out
    }

    /// Read a snapshot from bytes; `source` names it in errors.
    pub fn from_snapshot_bytes(bytes: &[u8], source: &str) -> Result<Catalog> {
        Self::read_snapshot(bytes, Path::new(source))
    }

    /// Load a catalog saved by [`Catalog::save`], checking the format name,
    /// version, listing count and checksum, and restoring the catalog
    /// version, current year and amenity table.
    ///
    /// Errors: [`MiraError::Io`] when the file cannot be read,
    /// [`MiraError::UnsupportedVersion`] for a newer format,
    /// [`MiraError::Corrupt`] for anything damaged.
    pub fn load(path: impl AsRef<Path>) -> Result<Catalog> {
        let path = path.as_ref();
        let file = File::open(path).map_err(|e| MiraError::io(path, e))?;
        Self::read_snapshot(BufReader::with_capacity(1 << 16, file), path)
    }

    /// Read the snapshot format from any buffered reader; `path` names the
    /// source in errors. [`Catalog::load`] is this on a file.
    pub fn read_snapshot<R: BufRead>(mut reader: R, path: &Path) -> Result<Catalog> {
        let mut line_no = 0u64;
        let mut read_line = |reader: &mut R, buf: &mut Vec<u8>| {
            let (n, too_long) = super::loaders::read_bounded_line(reader, buf)
                .map_err(|e| MiraError::io(path, e))?;
            line_no += 1;
            if too_long {
                return Err(corrupt(
                    path,
                    format!(
                        "line {line_no} is longer than {} bytes (limits::MAX_RECORD_BYTES)",
                        crate::limits::MAX_RECORD_BYTES
                    ),
                ));
            }
            Ok(n)
        };

        let mut buf = Vec::new();
        if read_line(&mut reader, &mut buf)? == 0 {
            return Err(corrupt(
                path,
                "the file is empty (expected a snapshot header line)",
            ));
        }
        if buf.last() != Some(&b'\n') {
            return Err(corrupt(path, "truncated: the header line is incomplete"));
        }
        let header_text = std::str::from_utf8(&buf[..buf.len() - 1])
            .map_err(|_| corrupt(path, "the header line is not UTF-8 text"))?
            .to_string();
        let header = parse_header(path, &header_text)?;
        if header.count > crate::limits::MAX_LISTINGS as u64 {
            return Err(corrupt(
                path,
                format!(
                    "header says {} listings, more than the limit of {} (limits::MAX_LISTINGS)",
                    header.count,
                    crate::limits::MAX_LISTINGS
                ),
            ));
        }

        let checksum_field = format!("\"checksum\":\"{}\"", header.checksum);
        let valid_checksum = header.checksum.len() == CHECKSUM_PLACEHOLDER.len()
            && header.checksum.starts_with(CHECKSUM_PREFIX)
            && header.checksum[CHECKSUM_PREFIX.len()..]
                .bytes()
                .all(|b| b.is_ascii_hexdigit());
        if !valid_checksum || !header_text.contains(&checksum_field) {
            return Err(corrupt(
                path,
                format!(
                    "bad checksum field {:?} (expected \"crc32:\" and 8 hex digits)",
                    header.checksum
                ),
            ));
        }
        let template = header_text.replacen(
            &checksum_field,
            &format!("\"checksum\":\"{CHECKSUM_PLACEHOLDER}\""),
            1,
        );
        let mut hasher = crc32fast::Hasher::new();
        hasher.update(template.as_bytes());
        hasher.update(b"\n");

        let source = path.display().to_string();
        // The count comes from the file: reserve for a few thousand rows at
        // most and let the vector grow with the lines actually read (a
        // 300-byte header claiming 16 million listings made this reserve
        // 4.7 GB; see core/fuzz/corpus/snapshot/regression_huge_count*).
        let mut rows: Vec<(Property, u64)> = Vec::with_capacity(header.count.min(4096) as usize);
        let mut lines = 0u64;
        let mut bad_line: Option<(u64, String)> = None;
        let mut cut_short = false;
        loop {
            if read_line(&mut reader, &mut buf)? == 0 {
                break;
            }
            lines += 1;
            hasher.update(&buf);
            if buf.last() != Some(&b'\n') {
                cut_short = true;
                break;
            }
            if bad_line.is_none() {
                match serde_json::from_slice::<Property>(&buf) {
                    Ok(p) => rows.push((p, lines + 1)),
                    Err(e) => bad_line = Some((lines + 1, super::loaders::json_message(&e))),
                }
            }
        }
        if cut_short {
            return Err(corrupt(
                path,
                format!(
                    "truncated: line {} ends mid-record (header says {} listings)",
                    lines + 1,
                    header.count
                ),
            ));
        }
        if lines != header.count {
            return Err(corrupt(
                path,
                format!(
                    "{}: header says {} listings, the file holds {lines}",
                    if lines < header.count {
                        "truncated"
                    } else {
                        "extra lines"
                    },
                    header.count
                ),
            ));
        }
        let found = format!("{CHECKSUM_PREFIX}{:08x}", hasher.finalize());
        if !found.eq_ignore_ascii_case(&header.checksum) {
            return Err(corrupt(
                path,
                format!(
                    "checksum mismatch: header says {}, content hashes to {found}",
                    header.checksum
                ),
            ));
        }
        if let Some((line, message)) = bad_line {
            return Err(corrupt(
                path,
                format!("line {line}: bad listing: {message}"),
            ));
        }

        let mut builder = CatalogBuilder::new()
            .version(header.catalog_version)
            .current_year(header.current_year)
            .amenity_table(header.amenity_table);
        builder.reserve(rows.len());
        for (property, line) in rows {
            let record = RecordRef::Position {
                source: source.clone(),
                line,
                column: 0,
            };
            builder.push_at(property, record)?;
        }
        Ok(builder.build())
    }
}

/// Check the format name and version before reading the rest, so that a
/// newer file is reported as such rather than as damaged.
fn parse_header(path: &Path, text: &str) -> Result<Header> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        corrupt(
            path,
            format!(
                "not a catalog snapshot: the first line is not a JSON header ({})",
                super::loaders::json_message(&e)
            ),
        )
    })?;
    let format = value.get("format").and_then(Value::as_str);
    if format != Some(FORMAT_NAME) {
        return Err(corrupt(
            path,
            format!(
                "not a catalog snapshot: header `format` is {}, expected \"{FORMAT_NAME}\"",
                value
                    .get("format")
                    .map_or("absent".into(), |v| v.to_string())
            ),
        ));
    }
    match value.get("format_version").and_then(Value::as_u64) {
        Some(v) if v > u64::from(FORMAT_VERSION) => {
            return Err(MiraError::UnsupportedVersion {
                path: path.to_path_buf(),
                kind: KIND.into(),
                found: u32::try_from(v).unwrap_or(u32::MAX),
                supported: FORMAT_VERSION,
            })
        }
        Some(v) if v >= 1 => {}
        other => {
            return Err(corrupt(
                path,
                format!(
                    "bad header `format_version` {}",
                    other.map_or("(absent)".into(), |v| v.to_string())
                ),
            ))
        }
    }
    serde_json::from_value(value).map_err(|e| corrupt(path, format!("bad header: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Columns;

    fn bits(v: &[f64]) -> Vec<u64> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    fn assert_same_columns(a: &Columns, b: &Columns) {
        for (name, x, y) in [
            ("price", &a.price, &b.price),
            ("bedrooms", &a.bedrooms, &b.bedrooms),
            ("bathrooms", &a.bathrooms, &b.bathrooms),
            ("size_sqft", &a.size_sqft, &b.size_sqft),
            ("lot_sqft", &a.lot_sqft, &b.lot_sqft),
            ("year_built", &a.year_built, &b.year_built),
            ("school_rating", &a.school_rating, &b.school_rating),
            ("commute_time", &a.commute_time, &b.commute_time),
            ("latitude", &a.latitude, &b.latitude),
            ("longitude", &a.longitude, &b.longitude),
            ("unit_vectors[0]", &a.unit_vectors[0], &b.unit_vectors[0]),
            ("unit_vectors[1]", &a.unit_vectors[1], &b.unit_vectors[1]),
            ("unit_vectors[2]", &a.unit_vectors[2], &b.unit_vectors[2]),
        ] {
            assert_eq!(bits(x), bits(y), "column {name}");
        }
        assert_eq!(a.property_type, b.property_type);
        assert_eq!(a.listing_type, b.listing_type);
        assert_eq!(a.location, b.location);
        assert_eq!(a.locations, b.locations);
        assert_eq!(a.location_keys, b.location_keys);
        assert_eq!(a.amenity_names, b.amenity_names);
        assert_eq!(a.amenity_words, b.amenity_words);
        assert_eq!(a.amenities, b.amenities);
        assert_eq!(a.amenities_known, b.amenities_known);
    }

    /// A loaded snapshot's columns (what scoring scans) equal the saved
    /// catalog's bit for bit: unknown values, codes, amenity bits and all.
    #[test]
    fn a_round_trip_restores_every_column_bit_for_bit() {
        let mut b = Catalog::builder().current_year(2025);
        for i in 0..70u32 {
            let mut p = Property::new(u64::from(i), 100_000.0 + f64::from(i) * 0.1);
            p.location = (i % 4 != 0)
                .then(|| ["Seattle, WA", "Kent, WA", "Bellevue"][i as usize % 3].into());
            p.latitude = (i % 5 != 0).then_some(47.3 + f64::from(i) * 1e-3);
            p.longitude = (i % 5 != 0).then_some(-122.2 - f64::from(i) * 1e-3);
            p.bedrooms = (i % 3 != 0).then_some(i % 6);
            p.bathrooms = (i % 7 != 0).then_some(f64::from(i % 5) / 2.0);
            p.year_built = (i % 9 != 0).then_some(1900 + i as i32);
            p.school_rating = (i % 11 != 0).then_some(f64::from(i % 11));
            p.commute_time = (i % 13 != 0).then_some(f64::from(i));
            p.amenities = (i % 6 != 0).then(|| match i % 4 {
                0 => vec![],
                1 => vec!["Swimming Pool".into()],
                2 => vec!["garage".into(), "wine cellar".into()],
                _ => (0..70).map(|k| format!("amenity {k}")).collect(),
            });
            b.push(p).unwrap();
        }
        let catalog = b.build();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.mirasnap");
        catalog.save(&path).unwrap();
        let back = Catalog::load(&path).unwrap();
        assert!(catalog.columns().amenity_words > 1, "amenities span words");
        assert_same_columns(catalog.columns(), back.columns());
    }

    /// A listing line is exactly `Catalog::listing` serialised, and the
    /// version says whether vectors may be in the file.
    #[test]
    fn vectors_are_written_as_the_listing_serialises_them() {
        let mut b = Catalog::builder().current_year(2025);
        let mut p = Property::new(1u64, 5.0);
        p.attributes.insert("zip".into(), "98004".into());
        p.embedding = Some(vec![0.1, -0.3, 2.0]);
        b.push(p).unwrap();
        b.push(Property::new(2u64, 6.0)).unwrap();
        let catalog = b.build();
        let text = String::from_utf8(catalog.snapshot_bytes()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].contains("\"format_version\":2,"), "{}", lines[0]);
        for row in 0..2 {
            assert_eq!(
                lines[row + 1],
                serde_json::to_string(&catalog.listing(row)).unwrap()
            );
        }
        assert_eq!(
            lines[1],
            r#"{"id":1,"price":5.0,"attributes":{"zip":"98004"},"embedding":[0.04938648,-0.14815944,0.9877296]}"#
        );
        let without = catalog.upsert(vec![Property::new(1u64, 5.0)]).unwrap();
        let text = String::from_utf8(without.snapshot_bytes()).unwrap();
        assert!(text.starts_with("{\"format\":\"agent-mira-catalog\",\"format_version\":1,"));
        assert!(!text.contains("embedding"));
    }
}
