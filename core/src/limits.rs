//! Limits on input: how long a string, how many list items, how deep a
//! value, how many listings, results and requests the core accepts.
//!
//! Every limit is enforced where the input enters the core
//! ([`Property::validate`](crate::Property::validate),
//! [`Preferences::validate`](crate::Preferences::validate), the loaders, the
//! [`Engine`](crate::Engine)'s request methods, the model importers) and
//! refused with a [`MiraError`](crate::MiraError) that names the record, the
//! field, the (shortened) value and the limit, for example
//!
//! ```text
//! record #0 (listing 7): field `title` = "aaaaaaaa…" (5000 bytes): expected at most 1024 bytes of text
//! ```
//!
//! The limits are generous for real listings and requests; they exist so
//! that one hostile record, file or request cannot make the process use
//! unbounded memory or time. Lengths are counted in bytes of UTF-8.
//!
//! | limit | value | applies to | error |
//! |---|---|---|---|
//! | [`MAX_ID_BYTES`] | 256 | a string listing id | `MIRA_INVALID_FIELD` `id` |
//! | [`MAX_TITLE_BYTES`] | 1,024 | `title` | `MIRA_INVALID_FIELD` `title` |
//! | [`MAX_LOCATION_BYTES`] | 256 | `location` (listing and preferences) | `MIRA_INVALID_FIELD` `location` |
//! | [`MAX_AMENITY_BYTES`] | 128 | one amenity name (listing `amenities`, `preferred_amenities`, `must_have_amenities`) | `MIRA_INVALID_FIELD` `amenities[i]` |
//! | [`MAX_AMENITIES`] | 256 | items of each amenity list | `MIRA_INVALID_FIELD` `amenities` |
//! | [`MAX_IMAGE_URL_BYTES`] | 2,048 | one image URL | `MIRA_INVALID_FIELD` `image_urls[i]` |
//! | [`MAX_IMAGE_URLS`] | 100 | items of `image_urls` | `MIRA_INVALID_FIELD` `image_urls` |
//! | [`MAX_ATTRIBUTES`] | 256 | entries of `attributes` | `MIRA_INVALID_FIELD` `attributes` |
//! | [`MAX_ATTRIBUTE_KEY_BYTES`] | 128 | one `attributes` key | `MIRA_INVALID_FIELD` `attributes` |
//! | [`MAX_ATTRIBUTE_VALUE_BYTES`] | 65,536 | one `attributes` value, as compact JSON | `MIRA_INVALID_FIELD` `attributes.<key>` |
//! | [`MAX_DEPTH`] | 32 | nesting of arrays and objects in a record (the record is level 1) | `MIRA_INVALID_FIELD` naming the path |
//! | [`MAX_PROPERTY_TYPES`] | 16 | items of `property_types` (preferences) | `MIRA_INVALID_FIELD` `property_types` |
//! | [`MAX_WEIGHTS`] | 64 | entries of `weights` (preferences) | `MIRA_INVALID_FIELD` `weights` |
//! | [`MAX_RESULTS`] | 10,000 | `k + offset` of one request | `MIRA_INVALID_FIELD` `k + offset` |
//! | [`MAX_BATCH`] | 10,000 | preferences in one `recommend_batch` call | `MIRA_INVALID_FIELD` `batch` |
//! | [`MAX_LISTINGS`] | 50,000,000 | listings in one catalog (lower it per builder with [`CatalogBuilder::max_listings`](crate::CatalogBuilder::max_listings)) | `MIRA_INVALID_FIELD` `<catalog>` |
//! | [`MAX_RECORD_BYTES`] | 4 MiB | one line of a JSON Lines file or snapshot, one CSV record, one element of a JSON array | `MIRA_PARSE` (`MIRA_CORRUPT` in a snapshot) |
//! | [`MAX_MODEL_FEATURES`] | 1,000,000 | features of an imported model | `MIRA_PARSE` / `MIRA_CORRUPT` |
//! | [`MAX_MODEL_TREES`] | 1,000,000 | trees of an imported LightGBM / XGBoost model | `MIRA_PARSE` / `MIRA_CORRUPT` |
//! | [`MAX_TREE_LEAVES`] | 10,000,000 | leaves of one imported tree | `MIRA_PARSE` / `MIRA_CORRUPT` |
//!
//! The model limits are far above real models (a large LightGBM or XGBoost
//! price model has a few thousand trees of at most a few hundred leaves
//! over at most a few thousand features). What keeps a small model file
//! from declaring a large model is that the importers accept a declared
//! size only when the text backs it: a tree's declared leaves must all be
//! written out (`leaf_value`, the split arrays), each tree is a section or
//! object of its own, a LightGBM model names each of its `max_feature_idx +
//! 1` features in `feature_names`, an XGBoost model without feature names
//! may declare at most one feature per byte of its text, and XGBoost
//! category bitsets may take at most 2^19 words plus 8 per byte of text.
//! A model's size in memory and in a saved model file is therefore
//! proportional to the text it came from.
//!
//! JSON text itself is parsed by serde_json, which refuses more than 128
//! levels of nesting ("recursion limit exceeded", a `MIRA_PARSE`) before any
//! of the checks above run; values built in memory (the Python and Node
//! bindings, `serde_json::Value`s) are checked against [`MAX_DEPTH`] before
//! they are deserialised, so a deeply nested value never recurses far.
//!
//! # Text
//!
//! Ids, titles, locations, amenity names, image URLs and attribute keys must
//! not contain control characters (`char::is_control`: U+0000–U+001F,
//! U+007F–U+009F — newlines, tabs, NUL, escape sequences): they end up in
//! logs, terminals, HTML and SQL parameters, where a control character is
//! never intended and sometimes harmful (a NUL is refused by PostgreSQL,
//! `\x1b[` rewrites a terminal, `\n` forges log lines). Other Unicode,
//! including bidirectional-formatting characters (U+202E), is accepted as
//! data; applications that display it must escape it as they would any
//! user-supplied text. Attribute *values* are free data and are not checked
//! for control characters.
//!
//! # A JSON array file
//!
//! `.json` array files and the case-study directory are read whole (a JSON
//! array has no record boundary to stream on), so their memory use is
//! proportional to the file; use JSON Lines or CSV for large feeds, which
//! stream through a bounded buffer.

/// Longest string id, in bytes.
pub const MAX_ID_BYTES: usize = 256;
/// Longest `title`, in bytes.
pub const MAX_TITLE_BYTES: usize = 1024;
/// Longest `location` (of a listing or of preferences), in bytes.
pub const MAX_LOCATION_BYTES: usize = 256;
/// Longest amenity name, in bytes.
pub const MAX_AMENITY_BYTES: usize = 128;
/// Most items in one amenity list (`amenities`, `preferred_amenities`,
/// `must_have_amenities`).
pub const MAX_AMENITIES: usize = 256;
/// Longest image URL, in bytes.
pub const MAX_IMAGE_URL_BYTES: usize = 2048;
/// Most image URLs per listing.
pub const MAX_IMAGE_URLS: usize = 100;
/// Most `attributes` entries per listing.
pub const MAX_ATTRIBUTES: usize = 256;
/// Longest `attributes` key, in bytes.
pub const MAX_ATTRIBUTE_KEY_BYTES: usize = 128;
/// Largest `attributes` value, as compact JSON, in bytes.
pub const MAX_ATTRIBUTE_VALUE_BYTES: usize = 64 * 1024;
/// Deepest nesting of arrays and objects in one record (the record itself
/// is level 1, `attributes` level 2, a value inside it level 3, …).
pub const MAX_DEPTH: usize = 32;
/// Most items in `property_types` (preferences).
pub const MAX_PROPERTY_TYPES: usize = 16;
/// Most entries in `weights` (preferences).
pub const MAX_WEIGHTS: usize = 64;
/// Largest `k + offset` a request may ask for.
pub const MAX_RESULTS: usize = 10_000;
/// Most preferences in one `recommend_batch` call.
pub const MAX_BATCH: usize = 10_000;
/// Most listings in one catalog (the default of
/// [`CatalogBuilder::max_listings`](crate::CatalogBuilder::max_listings)).
pub const MAX_LISTINGS: usize = 50_000_000;
/// Longest single record in a listing file or snapshot, in bytes: a JSON
/// Lines line, a CSV record, an element of a JSON array, a snapshot line.
pub const MAX_RECORD_BYTES: usize = 4 * 1024 * 1024;
/// Most features an imported model may use (each must also be backed by
/// the model text: see the module documentation).
pub const MAX_MODEL_FEATURES: usize = 1_000_000;
/// Most trees in an imported LightGBM or XGBoost model.
pub const MAX_MODEL_TREES: usize = 1_000_000;
/// Most leaves in one tree of an imported model.
pub const MAX_TREE_LEAVES: usize = 10_000_000;

/// `s` for an error message: quoted and escaped like Rust's `{:?}`, cut to
/// about 60 characters, with its length in bytes when it was cut.
pub(crate) fn shorten(s: &str) -> String {
    const KEEP: usize = 60;
    if s.chars().count() <= KEEP {
        return format!("{s:?}");
    }
    let head: String = s.chars().take(KEEP).collect();
    let quoted = format!("{head:?}");
    format!("{}…\" ({} bytes)", &quoted[..quoted.len() - 1], s.len())
}

/// The first control character in `s`, if any.
pub(crate) fn control_char(s: &str) -> Option<char> {
    s.chars().find(|c| c.is_control())
}

/// Check one piece of text against a byte limit and for control characters.
/// `what` words the expectation ("text", "an amenity name").
pub(crate) fn check_text(
    record: &crate::RecordRef,
    field: &str,
    s: &str,
    max: usize,
    what: &str,
) -> crate::Result<()> {
    if s.len() > max {
        return Err(crate::MiraError::invalid(
            record.clone(),
            field,
            shorten(s),
            format!("{what} of at most {max} bytes"),
        ));
    }
    if let Some(c) = control_char(s) {
        return Err(crate::MiraError::invalid(
            record.clone(),
            field,
            shorten(s),
            format!(
                "{what} without control characters (found U+{:04X})",
                c as u32
            ),
        ));
    }
    Ok(())
}

/// Check the length of a list against its limit.
pub(crate) fn check_len(
    record: &crate::RecordRef,
    field: &str,
    len: usize,
    max: usize,
    what: &str,
) -> crate::Result<()> {
    if len > max {
        return Err(crate::MiraError::invalid(
            record.clone(),
            field,
            format!("{len} {what}"),
            format!("at most {max} {what}"),
        ));
    }
    Ok(())
}

/// The nesting depth of a JSON value (a scalar is 0, `[]` is 1, `[[1]]` 2),
/// computed without recursion and stopping as soon as it passes `limit`.
/// Returns the path (as `a.b[3]`, relative to `value`) of the first place
/// deeper than `limit`, or `None` when the value is within it.
pub(crate) fn too_deep(value: &serde_json::Value, limit: usize) -> Option<String> {
    use serde_json::Value;
    // (value, depth of the containers above and including it, path)
    let mut stack: Vec<(&Value, usize, String)> = Vec::new();
    match value {
        Value::Array(_) | Value::Object(_) => stack.push((value, 1, String::new())),
        _ => return None,
    }
    while let Some((v, depth, path)) = stack.pop() {
        if depth > limit {
            return Some(path);
        }
        match v {
            Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    if matches!(x, Value::Array(_) | Value::Object(_)) {
                        stack.push((x, depth + 1, format!("{path}[{i}]")));
                    }
                }
            }
            Value::Object(map) => {
                for (k, x) in map {
                    if matches!(x, Value::Array(_) | Value::Object(_)) {
                        let p = if path.is_empty() {
                            k.clone()
                        } else {
                            format!("{path}.{k}")
                        };
                        stack.push((x, depth + 1, p));
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// Check that a record (the object given for a listing or preferences) nests
/// at most [`MAX_DEPTH`] levels, naming the path where it goes deeper.
pub(crate) fn check_depth(
    record: &crate::RecordRef,
    map: &serde_json::Map<String, serde_json::Value>,
) -> crate::Result<()> {
    for (key, value) in map {
        // The record is level 1, so its values may nest MAX_DEPTH - 1 levels.
        if let Some(path) = too_deep(value, MAX_DEPTH - 1) {
            let field = match path.as_str() {
                "" => key.clone(),
                p if p.starts_with('[') => format!("{key}{p}"),
                p => format!("{key}.{p}"),
            };
            return Err(too_deep_error(record.clone(), &field));
        }
    }
    Ok(())
}

/// The error for an array or object at `path` nested deeper than
/// [`MAX_DEPTH`] (the bindings raise the same one while converting their
/// own values).
pub fn too_deep_error(record: crate::RecordRef, path: &str) -> crate::MiraError {
    crate::MiraError::invalid(
        record,
        shorten_path(path),
        "(nested deeper)",
        format!("at most {MAX_DEPTH} levels of nesting (arrays and objects, the record included)"),
    )
}

/// A field path cut to its first 300 characters.
fn shorten_path(path: &str) -> String {
    if path.chars().count() <= 300 {
        path.to_string()
    } else {
        let head: String = path.chars().take(297).collect();
        format!("{head}...")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn shorten_keeps_short_text_and_cuts_long_text() {
        assert_eq!(shorten("abc"), "\"abc\"");
        let long = "x".repeat(500);
        let s = shorten(&long);
        assert!(s.starts_with("\"xxxx"), "{s}");
        assert!(s.ends_with("…\" (500 bytes)"), "{s}");
        assert!(s.len() < 90);
        assert_eq!(shorten("a\nb"), "\"a\\nb\"");
    }

    #[test]
    fn depth_is_counted_without_recursion() {
        assert_eq!(too_deep(&json!(1), 0), None);
        assert_eq!(too_deep(&json!([]), 1), None);
        assert_eq!(too_deep(&json!([]), 0), Some(String::new()));
        assert_eq!(too_deep(&json!({"a": [[1]]}), 2), Some("a[0]".into()));
        assert_eq!(too_deep(&json!({"a": [[1]]}), 3), None);
        // Very deep values are fine to inspect (no recursion).
        let mut v = json!(1);
        for _ in 0..10_000 {
            v = serde_json::Value::Array(vec![v]);
        }
        assert!(too_deep(&v, MAX_DEPTH).is_some());
        // serde_json drops values recursively: unwind it by hand.
        while let serde_json::Value::Array(mut items) = v {
            v = items.pop().unwrap_or(serde_json::Value::Null);
        }
    }
}
