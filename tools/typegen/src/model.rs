//! The published schemas as one set of named declarations, in an order
//! where each comes after what it refers to (Python evaluates type aliases
//! when the module is imported).

use std::collections::BTreeMap;

use agent_mira::schema::InputType;
use serde_json::{Map, Value};

/// One named type to declare.
#[derive(Debug, Clone)]
pub struct Decl {
    /// Its name in TypeScript and Python.
    pub name: String,
    /// Its schema (references point at other declarations).
    pub schema: Value,
    /// Whether its own property names are camelCase in Node.
    pub camel_case_in_node: bool,
}

/// Every declaration, dependencies first, and the root schemas as written
/// to `schemas/`.
pub struct Model {
    /// The root schema of each input type, by name, in publishing order.
    pub roots: Vec<(String, Value)>,
    /// Declarations in dependency order.
    pub decls: Vec<Decl>,
}

impl Model {
    /// Merge the input types' schemas. Two input types that nest the same
    /// type must agree on its schema.
    pub fn new(types: &[InputType]) -> Result<Model, String> {
        let mut roots = Vec::new();
        let mut defs: BTreeMap<String, (Value, bool)> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        for t in types {
            let schema = t.schema();
            roots.push((t.name.to_string(), schema.clone()));
            let mut body = schema
                .as_object()
                .cloned()
                .ok_or_else(|| format!("{}: the schema is not an object", t.name))?;
            let nested = body.remove("$defs");
            body.remove("$schema");
            body.remove("title");
            insert(&mut defs, t.name, Value::Object(body), t.camel_case_in_node)?;
            order.push(t.name.to_string());
            if let Some(Value::Object(nested)) = nested {
                for (name, def) in nested {
                    insert(&mut defs, &name, def, false)?;
                }
            }
        }
        let mut decls = Vec::new();
        let mut done = Vec::new();
        for name in &order {
            visit(name, &defs, &mut done, &mut decls)?;
        }
        Ok(Model { roots, decls })
    }
}

fn insert(
    defs: &mut BTreeMap<String, (Value, bool)>,
    name: &str,
    schema: Value,
    camel: bool,
) -> Result<(), String> {
    if let Some((existing, _)) = defs.get(name) {
        if *existing != schema {
            return Err(format!("two different schemas are both named `{name}`"));
        }
        return Ok(());
    }
    defs.insert(name.to_string(), (schema, camel));
    Ok(())
}

/// Depth-first: what `name` refers to, then `name` (its tagged variants
/// first, as declarations of their own).
fn visit(
    name: &str,
    defs: &BTreeMap<String, (Value, bool)>,
    done: &mut Vec<String>,
    out: &mut Vec<Decl>,
) -> Result<(), String> {
    if done.iter().any(|d| d == name) {
        return Ok(());
    }
    done.push(name.to_string());
    let (schema, camel) = defs
        .get(name)
        .ok_or_else(|| format!("`{name}` is referred to but not defined"))?;
    let mut refs = Vec::new();
    collect_refs(schema, &mut refs);
    for r in refs {
        visit(&r, defs, done, out)?;
    }
    let mut schema = schema.clone();
    for (variant, variant_schema) in tagged_variants(name, &mut schema) {
        out.push(Decl {
            name: variant,
            schema: variant_schema,
            camel_case_in_node: *camel,
        });
    }
    out.push(Decl {
        name: name.to_string(),
        schema,
        camel_case_in_node: *camel,
    });
    Ok(())
}

/// The declaration names that `schema` refers to (`#/$defs/<name>`).
fn collect_refs(schema: &Value, out: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                if let Some(name) = r.strip_prefix("#/$defs/") {
                    out.push(name.to_string());
                }
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// An enum whose variants are objects told apart by a constant tag (serde's
/// `#[serde(tag = "kind")]`): each variant becomes a declaration named
/// after the enum and the tag (`Holdout` + `random` → `HoldoutRandom`),
/// and the enum's branch a reference to it.
fn tagged_variants(name: &str, schema: &mut Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let Some(map) = schema.as_object_mut() else {
        return out;
    };
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(branches)) = map.get_mut(key) else {
            continue;
        };
        for branch in branches.iter_mut() {
            let Some(tag) = tag_of(branch) else {
                continue;
            };
            let variant = format!("{name}{}", pascal(&tag));
            out.push((variant.clone(), branch.clone()));
            let mut reference = Map::new();
            reference.insert("$ref".into(), Value::from(format!("#/$defs/{variant}")));
            *branch = Value::Object(reference);
        }
    }
    out
}

/// The constant of the first property that has one, in an object branch.
fn tag_of(branch: &Value) -> Option<String> {
    let properties = branch.get("properties")?.as_object()?;
    properties
        .values()
        .find_map(|p| p.get("const")?.as_str().map(str::to_string))
}

/// `case_study` → `CaseStudy`.
pub fn pascal(name: &str) -> String {
    name.split(['_', '-', ' '])
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// A type expression, before it is written in a language.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// Another declaration.
    Ref(String),
    /// A constant (`'sfh'`).
    Lit(Value),
    /// `string`, `number`, `integer`, `boolean` or `null`.
    Prim(&'static str),
    /// A list.
    Array(Box<Ty>),
    /// An object with free keys, and its values' type (`None`: any JSON).
    Map(Option<Box<Ty>>),
    /// One of several.
    Union(Vec<Ty>),
    /// Any JSON value.
    Unknown,
}

/// Whether `schema` is declared as an interface / `TypedDict`.
pub fn is_object(schema: &Value) -> bool {
    schema.get("properties").is_some()
}

/// The type expression of a schema that is not itself an object with
/// properties. Branches marked `deprecated` (other spellings of a
/// vocabulary) are left out.
pub fn ty(schema: &Value) -> Result<Ty, String> {
    let Some(map) = schema.as_object() else {
        return Ok(Ty::Unknown);
    };
    if let Some(Value::String(r)) = map.get("$ref") {
        let name = r
            .strip_prefix("#/$defs/")
            .ok_or_else(|| format!("unsupported reference {r}"))?;
        return Ok(Ty::Ref(name.to_string()));
    }
    if let Some(c) = map.get("const") {
        return Ok(Ty::Lit(c.clone()));
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        return Ok(union(values.iter().cloned().map(Ty::Lit).collect()));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = map.get(key) {
            let mut members = Vec::new();
            for b in branches {
                if b.get("deprecated") != Some(&Value::Bool(true)) {
                    members.push(ty(b)?);
                }
            }
            return Ok(union(members));
        }
    }
    if map.contains_key("allOf") || map.contains_key("properties") {
        return Err(format!(
            "unsupported schema (give nested objects a type of their own): {schema}"
        ));
    }
    let types: Vec<&str> = match map.get("type") {
        None => return Ok(Ty::Unknown),
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        Some(other) => return Err(format!("unsupported `type` {other}")),
    };
    let mut members = Vec::new();
    for t in types {
        members.push(match t {
            "string" => Ty::Prim("string"),
            "number" => Ty::Prim("number"),
            "integer" => Ty::Prim("integer"),
            "boolean" => Ty::Prim("boolean"),
            "null" => Ty::Prim("null"),
            "array" => Ty::Array(Box::new(match map.get("items") {
                Some(items) => ty(items)?,
                None => Ty::Unknown,
            })),
            "object" => Ty::Map(match map.get("additionalProperties") {
                Some(v @ Value::Object(_)) => Some(Box::new(ty(v)?)),
                _ => None,
            }),
            other => return Err(format!("unsupported type `{other}`")),
        });
    }
    Ok(union(members))
}

/// A union without nesting or repeats; one member stands alone.
fn union(members: Vec<Ty>) -> Ty {
    let mut flat: Vec<Ty> = Vec::new();
    for m in members {
        let parts = match m {
            Ty::Union(parts) => parts,
            other => vec![other],
        };
        for p in parts {
            if !flat.contains(&p) {
                flat.push(p);
            }
        }
    }
    if flat.len() == 1 {
        flat.pop().unwrap_or(Ty::Unknown)
    } else {
        Ty::Union(flat)
    }
}

/// An object declaration's properties: name, schema, required.
pub fn properties(schema: &Value) -> Vec<(&str, &Value, bool)> {
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| {
            p.iter()
                .map(|(k, v)| (k.as_str(), v, required.contains(&k.as_str())))
                .collect()
        })
        .unwrap_or_default()
}

/// The doc text of a declaration or property: description, then
/// constraints.
pub fn doc(schema: &Value) -> String {
    // `T | null` written as `anyOf`: the description and limits may sit on
    // the `T` branch.
    let inner = schema
        .get("anyOf")
        .and_then(Value::as_array)
        .and_then(|branches| {
            let real: Vec<&Value> = branches
                .iter()
                .filter(|b| b.get("type") != Some(&Value::from("null")))
                .collect();
            (real.len() == 1 && real[0].get("$ref").is_none()).then(|| real[0])
        });
    let mut parts: Vec<String> = Vec::new();
    if let Some(d) = description(schema).or_else(|| inner.and_then(description)) {
        parts.push(d.to_string());
    }
    if let Some(c) = constraints(schema).or_else(|| inner.and_then(constraints)) {
        parts.push(c);
    }
    parts.join("\n\n")
}

/// `text` with each paragraph's lines at most `width` characters (a word
/// longer than that stands alone).
pub fn wrap(text: &str, width: usize) -> String {
    let mut out: Vec<String> = Vec::new();
    for paragraph in text.split("\n\n") {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
        out.push(String::new());
    }
    out.pop();
    out.join("\n")
}

/// The schema's own description, if any.
pub fn description(schema: &Value) -> Option<&str> {
    schema.get("description").and_then(Value::as_str)
}

/// What a reader of a generated type needs beside the description: the
/// accepted range, lengths and the default, e.g. `Range: > 0 and ≤ 1.
/// Default: 0.1.`
pub fn constraints(schema: &Value) -> Option<String> {
    let number = |k: &str| schema.get(k).map(|v| v.to_string());
    // The bounds of the integer's width (`uint32`: 0 ..= 4294967295) go
    // without saying.
    let natural = |v: &str| {
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        match format {
            f if f.starts_with("uint") => v == "0" || v.len() >= 10,
            f if f.starts_with("int") => v.trim_start_matches('-').len() >= 10,
            _ => false,
        }
    };
    let mut range = Vec::new();
    if let Some(v) = number("exclusiveMinimum") {
        range.push(format!("> {v}"));
    }
    if let Some(v) = number("minimum").filter(|v| !natural(v)) {
        range.push(format!("≥ {v}"));
    }
    if let Some(v) = number("exclusiveMaximum") {
        range.push(format!("< {v}"));
    }
    if let Some(v) = number("maximum").filter(|v| !natural(v)) {
        range.push(format!("≤ {v}"));
    }
    let mut parts = Vec::new();
    if !range.is_empty() {
        parts.push(format!("Range: {}.", range.join(" and ")));
    }
    if let Some(v) = number("maxLength") {
        parts.push(format!("At most {v} characters."));
    }
    if let Some(v) = number("maxItems") {
        parts.push(format!("At most {v} items."));
    }
    if let Some(v) = schema.get("default") {
        parts.push(format!("Default: `{v}`."));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tagged_variants_get_names_and_the_enum_refers_to_them() {
        let mut schema = json!({"oneOf": [
            {"type": "object", "properties": {"kind": {"const": "none"}}},
            {"type": "object", "properties": {"kind": {"const": "case_study"}, "x": {"type": "number"}}}
        ]});
        let variants = tagged_variants("Curve", &mut schema);
        let names: Vec<&str> = variants.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["CurveNone", "CurveCaseStudy"]);
        assert_eq!(
            schema["oneOf"][1],
            json!({"$ref": "#/$defs/CurveCaseStudy"})
        );
    }

    #[test]
    fn wrap_keeps_paragraphs() {
        assert_eq!(wrap("aa bb cc\n\ndd", 5), "aa bb\ncc\n\ndd");
    }

    #[test]
    fn constraints_state_ranges_and_defaults() {
        assert_eq!(
            constraints(&json!({"exclusiveMinimum": 0, "maximum": 1, "default": 0.1})).as_deref(),
            Some("Range: > 0 and ≤ 1. Default: `0.1`.")
        );
        assert_eq!(
            constraints(&json!({"format": "uint32", "minimum": 0})),
            None
        );
    }

    #[test]
    fn every_input_type_is_declared_after_what_it_uses() {
        let model = Model::new(&agent_mira::schema::input_types()).unwrap();
        let names: Vec<&str> = model.decls.iter().map(|d| d.name.as_str()).collect();
        let at = |n: &str| names.iter().position(|x| *x == n).unwrap();
        assert!(at("PropertyType") < at("Preferences"));
        assert!(at("HoldoutRandom") < at("Holdout"));
        assert!(at("ComponentSpec") < at("ProfileSpec"));
    }
}
