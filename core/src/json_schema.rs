//! Building blocks of the JSON Schemas that the core's input types state
//! about themselves (`#[derive(JsonSchema)]` plus `#[schemars(...)]`
//! attributes): texts without control characters, nullable fields,
//! amenity lists, closed vocabularies, and the generator settings.
//!
//! A leaf module: the types in `listing`, `preferences` and `scoring` use
//! it, and it uses none of them, so that [`crate::schema`] (which lists the
//! published types and so depends on all of them) sits at the top of the
//! module graph without a cycle.

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{json_schema, Schema, SchemaGenerator};
use serde_json::{json, Value};

use crate::limits;

/// The settings every schema is generated with: JSON Schema 2020-12, as
/// the core deserialises (not as it serialises).
pub fn generator() -> SchemaGenerator {
    SchemaSettings::draft2020_12()
        .for_deserialize()
        .with_transform(RecursiveTransform(integer_bounds))
        .into_generator()
}

/// schemars names an integer's width in `format` (`uint32`), which
/// validators only annotate: state its bounds as `minimum` / `maximum` too,
/// where the field has no tighter ones (`1e30` is no `u32`).
fn integer_bounds(schema: &mut Schema) {
    let bounds: (i64, u64) = match schema.get("format").and_then(Value::as_str) {
        Some("uint8") => (0, u8::MAX.into()),
        Some("uint16") => (0, u16::MAX.into()),
        Some("uint32") => (0, u32::MAX.into()),
        Some("uint64" | "uint") => (0, u64::MAX),
        Some("int32") => (i32::MIN.into(), i32::MAX as u64),
        Some("int64" | "int") => (i64::MIN, i64::MAX as u64),
        _ => return,
    };
    if schema.get("minimum").is_none() {
        schema.insert("minimum".into(), json!(bounds.0));
    }
    if schema.get("maximum").is_none() {
        schema.insert("maximum".into(), json!(bounds.1));
    }
}

/// A character the core refuses in text (`char::is_control`), as a regex
/// class body (ECMA-262 and Python `re` alike).
const CONTROL: &str = r"\u0000-\u001F\u007F-\u009F";

/// Text without control characters.
fn clean_text_pattern() -> String {
    format!("^[^{CONTROL}]*$")
}

/// Text without control characters and not blank.
fn non_blank_text_pattern() -> String {
    format!("^[^{CONTROL}]*[^\\s{CONTROL}][^{CONTROL}]*$")
}

/// A string of at most `max_bytes` (stated as characters), without control
/// characters, not blank when `non_blank`.
pub(crate) fn text(description: &str, max_bytes: usize, non_blank: bool) -> Schema {
    let pattern = if non_blank {
        non_blank_text_pattern()
    } else {
        clean_text_pattern()
    };
    let mut schema = json_schema!({
        "type": "string",
        "maxLength": max_bytes,
        "pattern": pattern,
    });
    if non_blank {
        schema.insert("minLength".into(), json!(1));
    }
    if !description.is_empty() {
        schema.insert(
            "description".into(),
            json!(format!(
                "{description} At most {max_bytes} bytes of UTF-8, no control characters."
            )),
        );
    }
    schema
}

/// `schema` or `null` (the core reads `null` as "not given").
pub(crate) fn nullable(schema: Schema) -> Schema {
    json_schema!({ "anyOf": [schema, { "type": "null" }] })
}

/// A listing's or buyer's amenity list: at most [`limits::MAX_AMENITIES`]
/// non-blank names, or `null`.
pub(crate) fn amenity_list(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["array", "null"],
        "maxItems": limits::MAX_AMENITIES,
        "items": text("", limits::MAX_AMENITY_BYTES, true),
    })
}

/// A listing's `title`: non-blank text of at most [`limits::MAX_TITLE_BYTES`].
pub(crate) fn title(_: &mut SchemaGenerator) -> Schema {
    nullable(text("", limits::MAX_TITLE_BYTES, true))
}

/// A `location`: non-blank text of at most [`limits::MAX_LOCATION_BYTES`].
pub(crate) fn location(_: &mut SchemaGenerator) -> Schema {
    nullable(text("", limits::MAX_LOCATION_BYTES, true))
}

/// A listing's `image_urls`: at most [`limits::MAX_IMAGE_URLS`] URLs.
pub(crate) fn image_urls(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["array", "null"],
        "maxItems": limits::MAX_IMAGE_URLS,
        "items": text("", limits::MAX_IMAGE_URL_BYTES, false),
    })
}

/// A listing's `attributes`: any JSON values under at most
/// [`limits::MAX_ATTRIBUTES`] short keys.
pub(crate) fn attributes(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["object", "null"],
        "maxProperties": limits::MAX_ATTRIBUTES,
        "propertyNames": {
            "maxLength": limits::MAX_ATTRIBUTE_KEY_BYTES,
            "pattern": clean_text_pattern(),
        },
        "additionalProperties": true,
    })
}

/// The name of the definition that [`weight_overrides`] refers to.
pub(crate) const WEIGHT_OVERRIDES: &str = "WeightOverrides";

/// Per-request weight overrides: a finite weight ≥ 0 per component name.
/// Written here as "any name"; [`crate::schema`], which knows the scoring
/// components, replaces the definition with one property per component
/// before a schema is published.
pub(crate) fn weight_overrides(generator: &mut SchemaGenerator) -> Schema {
    if !generator.definitions().contains_key(WEIGHT_OVERRIDES) {
        let schema = json!({
            "type": "object",
            "additionalProperties": { "type": "number", "minimum": 0 },
        });
        generator
            .definitions_mut()
            .insert(WEIGHT_OVERRIDES.to_string(), schema);
    }
    nullable(json_schema!({ "$ref": format!("#/$defs/{WEIGHT_OVERRIDES}") }))
}

/// The schema of a closed vocabulary: its canonical names (each with its
/// description), then one `deprecated` branch for every other spelling the
/// core accepts (`aliases`, any case, `-` or space for `_`, surrounding
/// whitespace), as a pattern.
pub(crate) fn vocabulary(
    description: &str,
    canonical: &[(&str, &str)],
    aliases: &[&str],
) -> Schema {
    let mut branches: Vec<Value> = canonical
        .iter()
        .map(|(name, doc)| json!({ "type": "string", "const": name, "description": doc }))
        .collect();
    let spellings: Vec<String> = canonical
        .iter()
        .map(|(name, _)| *name)
        .chain(aliases.iter().copied())
        .map(any_spelling)
        .collect();
    branches.push(json!({
        "type": "string",
        "pattern": format!("^\\s*(?:{})\\s*$", spellings.join("|")),
        "deprecated": true,
        "description": format!(
            "Other spellings the core accepts: the names above or {} in any case, with spaces or hyphens for underscores.",
            aliases.join(", ")
        ),
    }));
    json_schema!({ "description": description, "anyOf": branches })
}

/// A regex matching `name` in any ASCII case with `_`, `-` or a space
/// wherever it has `_`.
fn any_spelling(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '_' => "[_ \\-]".to_string(),
            c if c.is_ascii_alphabetic() => {
                format!("[{}{}]", c.to_ascii_lowercase(), c.to_ascii_uppercase())
            }
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_spelling_matches_case_and_separators() {
        assert_eq!(any_spelling("a_1"), "[aA][_ \\-]1");
    }
}
