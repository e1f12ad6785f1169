//! Turning loosely-typed records (JSON objects, CSV rows) into typed structs
//! with errors that name the record, the field, the value and what was
//! expected.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{MiraError, RecordRef, Result};

/// A request object (similar filters, a search query) from JSON: `value`
/// must be an object (else "`<what>` = …: expected a JSON object"); `null`
/// values count as not given; keys outside `allowed` are refused with a
/// suggestion; nesting is bounded; then the fields are read into `T`.
/// The caller validates ranges.
pub(crate) fn request_object<T: DeserializeOwned>(
    value: Value,
    allowed: &[&str],
    record: &RecordRef,
    what: &str,
) -> Result<T> {
    let Value::Object(mut map) = value else {
        return Err(MiraError::invalid(
            record.clone(),
            what,
            crate::limits::shorten(&value.to_string()),
            "a JSON object",
        ));
    };
    map.retain(|_, v| !v.is_null());
    check_keys(&map, allowed, record)?;
    crate::limits::check_depth(record, &map)?;
    from_object(map, record)
}

/// Reject keys that are not in `allowed`, suggesting the closest one.
pub(crate) fn check_keys(
    map: &Map<String, Value>,
    allowed: &[&str],
    record: &RecordRef,
) -> Result<()> {
    for key in map.keys() {
        if !allowed.contains(&key.as_str()) {
            return Err(MiraError::unknown_field(record.clone(), key, allowed));
        }
    }
    Ok(())
}

/// Deserialise a JSON object into `T`, turning serde's message into a
/// [`MiraError::InvalidField`] that names the field and shows its value.
///
/// JSON `null` counts as absent: callers pre-strip nulls where the type has
/// no `Option`.
pub(crate) fn from_object<T: DeserializeOwned>(
    map: Map<String, Value>,
    record: &RecordRef,
) -> Result<T> {
    let value = Value::Object(map);
    match serde_path_to_error::deserialize::<_, T>(&value) {
        Ok(v) => Ok(v),
        Err(err) => {
            let path = err.path().to_string();
            let field = if path == "." {
                "<record>".to_string()
            } else {
                path
            };
            let shown = lookup(&value, &field)
                .map(render)
                .unwrap_or_else(|| "(absent)".into());
            let message = err.into_inner().to_string();
            Err(MiraError::InvalidField {
                record: record.clone(),
                field,
                value: shown,
                expected: expected_part(&message),
            })
        }
    }
}

/// Render a JSON value for an error message, shortened when huge.
pub(crate) fn render(value: &Value) -> String {
    let s = value.to_string();
    if s.chars().count() > 80 {
        let head: String = s.chars().take(77).collect();
        format!("{head}...")
    } else {
        s
    }
}

fn lookup<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    // serde_path_to_error renders paths like `weights.x` and `property_types[1]`.
    let mut cur = root;
    for part in path.split('.') {
        let (name, indices) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            cur = cur.as_object()?.get(name)?;
        }
        for idx in indices.split('[').filter(|s| !s.is_empty()) {
            let idx: usize = idx.trim_end_matches(']').parse().ok()?;
            cur = cur.as_array()?.get(idx)?;
        }
    }
    Some(cur)
}

/// serde says "invalid type: string \"x\", expected u32"; keep the part a
/// person needs ("u32" → "a whole number ≥ 0").
fn expected_part(message: &str) -> String {
    let raw = match message.rfind("expected ") {
        Some(i) => &message[i + "expected ".len()..],
        None => message,
    };
    let raw = raw.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    match raw {
        "u32" | "u64" | "u16" | "u8" | "usize" => "a whole number ≥ 0".into(),
        "i32" | "i64" => "a whole number".into(),
        "f64" | "f32" => "a number".into(),
        "a string" => "a string".into(),
        "a sequence" => "a list".into(),
        "a map" => "an object".into(),
        "a boolean" => "true or false".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct Demo {
        #[allow(dead_code)]
        count: u32,
    }

    #[test]
    fn type_errors_name_field_value_and_expectation() {
        let map = serde_json::json!({"count": "three"})
            .as_object()
            .unwrap()
            .clone();
        let err = from_object::<Demo>(map, &RecordRef::Index(0)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "record #0: field `count` = \"three\": expected a whole number ≥ 0"
        );
    }

    #[test]
    fn unknown_keys_get_a_suggestion() {
        let map = serde_json::json!({"cuont": 3}).as_object().unwrap().clone();
        let err = check_keys(&map, &["count"], &RecordRef::Index(1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "record #1: unknown field `cuont` (did you mean `count`?)"
        );
    }
}
