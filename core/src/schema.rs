//! JSON Schemas of the core's input types, derived from the types
//! themselves (with [`schemars`]), so that what a caller is told it may
//! send is what the core accepts.
//!
//! [`input_types`] lists every published input type; the generator
//! (`cargo run -p mira-typegen`) writes each one's schema to
//! `schemas/<name>.schema.json` and derives the Node binding's TypeScript
//! interfaces and the Python package's `TypedDict`s from them. Adding a type
//! is one line in [`input_types`].
//!
//! The schemas follow JSON Schema 2020-12 and describe what the core's
//! parsers accept ([`Preferences::from_json`], [`Property::from_json`],
//! [`Profile::from_json`], serde for the training parameters):
//!
//! - `null` is accepted wherever the core reads it as "not given" (the
//!   optional top-level fields of preferences and listings);
//! - ranges (`minimum`, `exclusiveMinimum`, …), list and text limits of
//!   [`crate::limits`] (`maxLength` counts characters where the core counts
//!   UTF-8 bytes: equal for ASCII text), and text without control
//!   characters are stated as keywords;
//! - closed vocabularies list their canonical names; the other spellings the
//!   core also accepts (aliases, any case, spaces or hyphens for
//!   underscores) are one extra branch marked `"deprecated": true`, which
//!   the TypeScript and Python generators leave out.
//!
//! What a schema cannot say is checked by the core alone: `year_built` not
//! after the engine's `current_year`, the size of an `attributes` value in
//! bytes of JSON, nesting depth, ids unique within a catalog, weight
//! overrides naming a component of the profile in use, and whole numbers
//! written with a fraction (`2.0`: JSON Schema counts it as an integer; the
//! core accepts it for a listing's `bedrooms` only).
//!
//! ```
//! use agent_mira::schema::input_types;
//! let prefs = input_types().into_iter().find(|t| t.name == "Preferences").unwrap();
//! let schema = prefs.schema();
//! assert_eq!(schema["additionalProperties"], false);
//! assert_eq!(schema["properties"]["min_school_rating"]["maximum"], 10.0);
//! ```
//!
//! [`Preferences::from_json`]: crate::Preferences::from_json
//! [`Property::from_json`]: crate::Property::from_json
//! [`Profile::from_json`]: crate::Profile::from_json

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Value};

use crate::limits;
use crate::model::train::GbdtParams;
use crate::model::{ElasticNetParams, Holdout, OlsParams, RidgeParams, TrainSpec};
use crate::scoring::{ComponentName, Profile};
use crate::{Preferences, Property};

/// One published input type: its name in the schema file, the TypeScript
/// declarations and the Python module, and how to build its schema.
#[derive(Debug, Clone, Copy)]
pub struct InputType {
    /// The name everywhere it is published (`schemas/<name>.schema.json`,
    /// `export interface <name>`, `class <name>(TypedDict)`).
    pub name: &'static str,
    /// Whether the Node binding takes this type's top-level keys in
    /// camelCase (`minBedrooms`). Nested keys never are.
    pub camel_case_in_node: bool,
    generate: fn(&mut SchemaGenerator) -> Schema,
}

impl InputType {
    /// The input type `T`, published as `name`.
    pub fn of<T: JsonSchema>(name: &'static str, camel_case_in_node: bool) -> InputType {
        InputType {
            name,
            camel_case_in_node,
            generate: |generator| generator.root_schema_for::<T>(),
        }
    }

    /// The type's root schema (JSON Schema 2020-12, deserialisation view),
    /// titled with [`InputType::name`], its nested types under `$defs`.
    pub fn schema(&self) -> Value {
        let mut generator = generator();
        let mut schema = (self.generate)(&mut generator).to_value();
        tidy_descriptions(&mut schema);
        if let Value::Object(map) = &mut schema {
            map.insert("title".into(), Value::from(self.name));
        }
        schema
    }
}

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

/// Every published input type. To publish another one, add a line here
/// (and derive [`JsonSchema`] on it); `cargo run -p mira-typegen` then
/// writes its schema, TypeScript interface and Python `TypedDict`.
pub fn input_types() -> Vec<InputType> {
    vec![
        InputType::of::<Preferences>("Preferences", true),
        InputType::of::<Property>("ListingInput", true),
        InputType::of::<Profile>("ProfileSpec", true),
        InputType::of::<GbdtParams>("GbdtParams", true),
        InputType::of::<OlsParams>("OlsParams", true),
        InputType::of::<RidgeParams>("RidgeParams", true),
        InputType::of::<ElasticNetParams>("ElasticNetParams", true),
        InputType::of::<TrainSpec>("TrainSpec", true),
        InputType::of::<Holdout>("Holdout", true),
    ]
}

/// Every `description` as a reader of the schema needs it: the doc
/// comment's paragraphs without its Rust examples, each paragraph on one
/// line, rustdoc links as plain code.
fn tidy_descriptions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(text) if key == "description" => *text = tidy(text),
                    other => tidy_descriptions(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(tidy_descriptions),
        _ => {}
    }
}

/// See [`tidy_descriptions`].
fn tidy(doc: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut in_code = false;
    for line in doc.lines() {
        let line = line.trim();
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join(" "));
    }
    // Written for Rust readers; a schema's reader sends JSON.
    unlink(&paragraphs.join("\n\n")).replace("`None`", "`null`")
}

/// `` [`Name`](path) `` and `` [`Name`] `` → `` `Name` ``.
fn unlink(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[`") {
        let Some(len) = rest[start..].find("`]") else {
            break;
        };
        let end = start + len;
        out.push_str(&rest[..start]);
        out.push_str(&rest[start + 1..end + 1]);
        rest = &rest[end + 2..];
        if rest.starts_with('(') {
            if let Some(close) = rest.find(')') {
                rest = &rest[close + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `snake_case` → `camelCase`, the rule of the Node binding
/// (`bindings-node/src/convert/names.rs`): each `_` is dropped and the
/// letter after it upper-cased.
///
/// ```
/// assert_eq!(agent_mira::schema::camel_case("max_commute_time"), "maxCommuteTime");
/// assert_eq!(agent_mira::schema::camel_case("lambda_l2"), "lambdaL2");
/// ```
pub fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
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

/// Per-request weight overrides: a finite weight ≥ 0 per component name
/// (the component must be one of the profile's).
pub(crate) fn weight_overrides(generator: &mut SchemaGenerator) -> Schema {
    let name = "WeightOverrides";
    if !generator.definitions().contains_key(name) {
        let properties: serde_json::Map<String, Value> = ComponentName::ALL
            .iter()
            .map(|c| {
                (
                    c.as_str().to_string(),
                    json!({
                        "type": "number",
                        "minimum": 0,
                        "description": format!("Weight of `{c}` (≥ 0), instead of the profile's."),
                    }),
                )
            })
            .collect();
        let schema = json!({
            "description": "Component weights for one request, overriding the profile's (`{\"price_match\": 0.5}`); components not named keep their weight, and each named one must be in the profile.",
            "type": "object",
            "properties": properties,
            "additionalProperties": false,
        });
        generator.definitions_mut().insert(name.to_string(), schema);
    }
    nullable(json_schema!({ "$ref": format!("#/$defs/{name}") }))
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

    fn schema_of(name: &str) -> Value {
        input_types()
            .into_iter()
            .find(|t| t.name == name)
            .unwrap()
            .schema()
    }

    #[test]
    fn every_input_type_has_a_distinct_name_and_a_title() {
        let types = input_types();
        for (i, t) in types.iter().enumerate() {
            assert!(types[..i].iter().all(|o| o.name != t.name), "{}", t.name);
            let schema = t.schema();
            assert_eq!(schema["title"], t.name);
            assert_eq!(
                schema["$schema"],
                "https://json-schema.org/draft/2020-12/schema"
            );
        }
    }

    #[test]
    fn camel_case_is_the_node_rule() {
        for (s, c) in [
            ("min_bedrooms", "minBedrooms"),
            ("size_sqft", "sizeSqft"),
            ("colsample_bytree", "colsampleBytree"),
            ("budget", "budget"),
        ] {
            assert_eq!(camel_case(s), c);
        }
    }

    #[test]
    fn preferences_fields_are_the_cores_and_all_optional() {
        let schema = schema_of("Preferences");
        let keys: Vec<&str> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = crate::preferences::PREFERENCE_FIELDS.to_vec();
        expected.sort_unstable();
        let mut got = keys.clone();
        got.sort_unstable();
        assert_eq!(got, expected);
        assert!(schema.get("required").is_none(), "{}", schema["required"]);
    }

    #[test]
    fn listing_fields_are_the_cores_plus_image_url() {
        let schema = schema_of("ListingInput");
        let mut got: Vec<&str> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        got.sort_unstable();
        let mut expected = crate::listing::PROPERTY_FIELDS.to_vec();
        expected.push("image_url");
        expected.sort_unstable();
        assert_eq!(got, expected);
        assert_eq!(schema["required"], json!(["id", "price"]));
        assert_eq!(schema["additionalProperties"], false);
    }

    #[test]
    fn descriptions_lose_rust_examples_and_links() {
        assert_eq!(
            tidy("A [`Decay`](crate::scoring::Decay) curve,\nsee [`Profile`].\n\n```\nlet x = 1;\n```\n\nMore."),
            "A `Decay` curve, see `Profile`.\n\nMore."
        );
        let schema = schema_of("Preferences");
        let doc = schema["description"].as_str().unwrap();
        assert!(!doc.contains("```") && !doc.contains("unwrap"), "{doc}");
    }

    #[test]
    fn integers_state_their_width_as_bounds() {
        let prefs = schema_of("Preferences");
        assert_eq!(prefs["properties"]["min_bedrooms"]["maximum"], u32::MAX);
        let listing = schema_of("ListingInput");
        // A tighter bound of the field's own is kept.
        assert_eq!(listing["properties"]["bedrooms"]["maximum"], 1000);
        assert_eq!(listing["properties"]["year_built"]["minimum"], 1000);
        assert_eq!(listing["properties"]["year_built"]["maximum"], i32::MAX);
    }

    #[test]
    fn any_spelling_matches_case_and_separators() {
        assert_eq!(any_spelling("a_1"), "[aA][_ \\-]1");
    }
}
