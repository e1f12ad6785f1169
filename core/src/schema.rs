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

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Value};

pub use crate::json_schema::generator;
use crate::json_schema::WEIGHT_OVERRIDES;
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
        if let Some(weights) = schema
            .get_mut("$defs")
            .and_then(|defs| defs.get_mut(WEIGHT_OVERRIDES))
        {
            *weights = weight_overrides_definition();
        }
        tidy_descriptions(&mut schema);
        if let Value::Object(map) = &mut schema {
            map.insert("title".into(), Value::from(self.name));
        }
        schema
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
        InputType::of::<crate::investment::TermsInput>("InvestmentTerms", true),
        InputType::of::<crate::engine::SimilarFilters>("SimilarFilters", true),
        InputType::of::<crate::engine::SearchQuery>("SearchQuery", true),
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

/// The precise `WeightOverrides` definition: one optional property per
/// scoring component (the component must also be one of the profile's).
fn weight_overrides_definition() -> Value {
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
    json!({
        "description": "Component weights for one request, overriding the profile's (`{\"price_match\": 0.5}`); components not named keep their weight, and each named one must be in the profile.",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    })
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
}
