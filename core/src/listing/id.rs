//! Listing identifiers: a string or a non-negative integer, returned as given.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A listing's id. Integer ids stay integers and string ids stay strings, so
/// that a back end gets back exactly what it stored.
///
/// Ordering (used to break ties deterministically): integers before strings,
/// integers numerically, strings byte-wise.
///
/// ```
/// use agent_mira::PropertyId;
/// let a: PropertyId = serde_json::from_str("42").unwrap();
/// let b: PropertyId = serde_json::from_str("\"kc-42\"").unwrap();
/// assert_eq!(a, PropertyId::Int(42));
/// assert!(a < b);
/// assert_eq!(serde_json::to_string(&b).unwrap(), "\"kc-42\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PropertyId {
    /// A non-negative integer id.
    Int(u64),
    /// A string id (never empty).
    Str(String),
}

impl PropertyId {
    /// The id as JSON would show it.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            PropertyId::Int(i) => serde_json::Value::from(*i),
            PropertyId::Str(s) => serde_json::Value::from(s.as_str()),
        }
    }
}

impl Ord for PropertyId {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (PropertyId::Int(a), PropertyId::Int(b)) => a.cmp(b),
            (PropertyId::Int(_), PropertyId::Str(_)) => Ordering::Less,
            (PropertyId::Str(_), PropertyId::Int(_)) => Ordering::Greater,
            (PropertyId::Str(a), PropertyId::Str(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for PropertyId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PropertyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PropertyId::Int(i) => write!(f, "{i}"),
            PropertyId::Str(s) => f.write_str(s),
        }
    }
}

impl From<u64> for PropertyId {
    fn from(v: u64) -> Self {
        PropertyId::Int(v)
    }
}

impl From<&str> for PropertyId {
    fn from(v: &str) -> Self {
        PropertyId::Str(v.to_string())
    }
}

impl From<String> for PropertyId {
    fn from(v: String) -> Self {
        PropertyId::Str(v)
    }
}

impl Serialize for PropertyId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PropertyId::Int(i) => s.serialize_u64(*i),
            PropertyId::Str(v) => s.serialize_str(v),
        }
    }
}

/// Written by hand beside the hand-written [`Deserialize`]: a non-negative
/// integer, or a non-blank string of at most
/// [`MAX_ID_BYTES`](crate::limits::MAX_ID_BYTES) without control characters.
impl JsonSchema for PropertyId {
    fn schema_name() -> Cow<'static, str> {
        "PropertyId".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A listing's id, returned as given: a non-negative integer or a non-empty string.",
            "anyOf": [
                { "type": "integer", "minimum": 0, "maximum": u64::MAX },
                crate::json_schema::text("A string id.", crate::limits::MAX_ID_BYTES, true),
            ]
        })
    }
}

impl<'de> Deserialize<'de> for PropertyId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = PropertyId;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a non-empty string or a non-negative integer")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<PropertyId, E> {
                Ok(PropertyId::Int(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<PropertyId, E> {
                u64::try_from(v)
                    .map(PropertyId::Int)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<PropertyId, E> {
                if v.trim().is_empty() {
                    return Err(E::invalid_value(serde::de::Unexpected::Str(v), &self));
                }
                Ok(PropertyId::Str(v.to_string()))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written schema accepts what the hand-written `Deserialize`
    /// accepts, as far as a schema can tell (text limits are the
    /// validation's, also stated in the schema).
    #[test]
    fn schema_agrees_with_deserialize() {
        let schema = PropertyId::json_schema(&mut crate::json_schema::generator()).to_value();
        let int = &schema["anyOf"][0];
        let text = &schema["anyOf"][1];
        assert_eq!(int["type"], "integer");
        assert_eq!(int["minimum"], 0);
        assert_eq!(text["minLength"], 1);
        assert_eq!(text["maxLength"], crate::limits::MAX_ID_BYTES);
        let pattern = regex::Regex::new(text["pattern"].as_str().unwrap()).unwrap();
        for (probe, ok) in [
            ("kc-42", true),
            ("é 1", true),
            (" ", false),
            ("", false),
            ("a\u{0}b", false),
            ("line\nbreak", false),
            ("\u{85}x", false),
        ] {
            assert_eq!(pattern.is_match(probe), ok, "{probe:?}");
            let parsed = serde_json::from_value::<PropertyId>(serde_json::json!(probe)).is_ok()
                && crate::Property::from_json(
                    serde_json::json!({"id": probe, "price": 1}),
                    &crate::RecordRef::Index(0),
                    2025,
                )
                .is_ok();
            assert_eq!(parsed, ok, "{probe:?}");
        }
        for (probe, ok) in [
            (serde_json::json!(0), true),
            (serde_json::json!(u64::MAX), true),
            (serde_json::json!(-1), false),
            (serde_json::json!(1.5), false),
            (serde_json::json!(true), false),
        ] {
            assert_eq!(
                serde_json::from_value::<PropertyId>(probe.clone()).is_ok(),
                ok,
                "{probe}"
            );
        }
    }
}
