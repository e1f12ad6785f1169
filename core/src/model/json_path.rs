//! Walking a `serde_json::Value` by hand while keeping the JSON path of the
//! value in hand, so that an importer that reads a model file member by
//! member reports the path of the first wrong value and what was expected
//! there ([`Wrong`]) instead of a guess such as "missing `objective.name`"
//! for a `learner` that is not an object.
//!
//! Paths are written as in JavaScript: keys joined by dots, array elements
//! by index (`learner.gradient_booster.model.trees[3].left_children[7]`).
//! Elements of large arrays are read through [`JsonAt::array`] and named
//! with [`JsonAt::element`] only when one is wrong, so a valid file costs
//! no path strings per node.

use serde_json::{Map, Value};

use super::import_error::Wrong;

/// Longest string quoted in a message; longer ones are cut with `…`.
const MAX_QUOTED_CHARS: usize = 40;

/// A JSON value and its path from the top of the document.
#[derive(Debug, Clone)]
pub(crate) struct JsonAt<'v> {
    value: &'v Value,
    path: String,
}

impl<'v> JsonAt<'v> {
    /// The top of a document (its path is empty).
    pub(crate) fn root(value: &'v Value) -> Self {
        JsonAt {
            value,
            path: String::new(),
        }
    }

    /// The value.
    pub(crate) fn value(&self) -> &'v Value {
        self.value
    }

    /// Its path (empty at the top).
    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// The path of member `key` of this value.
    pub(crate) fn member(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// The path of element `i` of this value.
    pub(crate) fn element(&self, i: usize) -> String {
        format!("{}[{i}]", self.path)
    }

    /// This value is wrong: `expected` was expected.
    pub(crate) fn wrong(&self, expected: &str) -> Wrong {
        Wrong::expected(self.path.clone(), expected, describe(self.value))
    }

    /// A problem with this value, in words.
    pub(crate) fn problem(&self, message: impl Into<String>) -> Wrong {
        Wrong::at(self.path.clone(), message)
    }

    /// This value as an object.
    pub(crate) fn object(&self) -> Result<&'v Map<String, Value>, Wrong> {
        self.value
            .as_object()
            .ok_or_else(|| self.wrong("an object"))
    }

    /// This value as an array.
    pub(crate) fn array(&self) -> Result<&'v [Value], Wrong> {
        self.value
            .as_array()
            .map(Vec::as_slice)
            .ok_or_else(|| self.wrong("an array"))
    }

    /// This value as a string.
    pub(crate) fn str(&self) -> Result<&'v str, Wrong> {
        self.value.as_str().ok_or_else(|| self.wrong("a string"))
    }

    /// Member `key`, which must be there; `expected` says what it should be
    /// when it is not.
    pub(crate) fn get(&self, key: &str, expected: &str) -> Result<JsonAt<'v>, Wrong> {
        self.get_opt(key)?
            .ok_or_else(|| missing(self.member(key), expected))
    }

    /// Member `key` if it is there. This value must be an object.
    pub(crate) fn get_opt(&self, key: &str) -> Result<Option<JsonAt<'v>>, Wrong> {
        Ok(self.object()?.get(key).map(|value| JsonAt {
            value,
            path: self.member(key),
        }))
    }

    /// Element `i` of this array (which must have it).
    pub(crate) fn index(&self, i: usize) -> Result<JsonAt<'v>, Wrong> {
        let items = self.array()?;
        let value = items.get(i).ok_or_else(|| {
            self.problem(format!(
                "expected an element [{i}], found {}",
                describe(self.value)
            ))
        })?;
        Ok(JsonAt {
            value,
            path: self.element(i),
        })
    }
}

/// The key at `path` is missing; `expected` says what it should hold.
pub(crate) fn missing(path: String, expected: &str) -> Wrong {
    Wrong::expected(path, expected, "nothing (the key is missing)")
}

/// A JSON value as a message names it: `null`, `a boolean `true``, `a number
/// `5``, `a string `abc``, `an array of 3 elements`, `an object with keys
/// `a`, `b``.
pub(crate) fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("a boolean `{b}`"),
        Value::Number(n) => format!("a number `{n}`"),
        Value::String(s) => format!("a string `{}`", quoted(s)),
        Value::Array(a) => match a.len() {
            0 => "an empty array".into(),
            1 => "an array of 1 element".into(),
            n => format!("an array of {n} elements"),
        },
        Value::Object(m) if m.is_empty() => "an empty object".into(),
        Value::Object(m) => {
            let keys: Vec<String> = m
                .keys()
                .take(4)
                .map(|k| format!("`{}`", quoted(k)))
                .collect();
            let more = if m.len() > keys.len() { ", …" } else { "" };
            format!("an object with keys {}{more}", keys.join(", "))
        }
    }
}

/// `s`, cut to [`MAX_QUOTED_CHARS`] characters.
pub(crate) fn quoted(s: &str) -> String {
    match s.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_wrong_type_names_the_path_and_what_was_found() {
        let doc = json!({"learner": "abc"});
        let root = JsonAt::root(&doc);
        let learner = root.get("learner", "an object").unwrap();
        let err = learner.get("objective", "an object").unwrap_err();
        assert_eq!(
            err.to_string(),
            "at `learner`: expected an object, found a string `abc`"
        );
    }

    #[test]
    fn a_missing_key_names_its_full_path() {
        let doc = json!({"learner": {"objective": {}}});
        let objective = JsonAt::root(&doc)
            .get("learner", "an object")
            .unwrap()
            .get("objective", "an object")
            .unwrap();
        let err = objective.get("name", "a string").unwrap_err();
        assert_eq!(
            err.to_string(),
            "at `learner.objective.name`: expected a string, found nothing (the key is missing)"
        );
        assert_eq!(
            objective
                .get_opt("other")
                .unwrap()
                .map(|v| v.path().to_string()),
            None
        );
    }

    #[test]
    fn elements_are_named_by_index() {
        let doc = json!({"trees": [{"left": [1, "x"]}]});
        let tree = JsonAt::root(&doc)
            .get("trees", "an array")
            .unwrap()
            .index(0)
            .unwrap();
        let left = tree.get("left", "an array").unwrap();
        assert_eq!(left.element(1), "trees[0].left[1]");
        assert_eq!(
            left.index(1).unwrap().wrong("an integer").to_string(),
            "at `trees[0].left[1]`: expected an integer, found a string `x`"
        );
        assert_eq!(
            left.index(5).unwrap_err().to_string(),
            "at `trees[0].left`: expected an element [5], found an array of 2 elements"
        );
        assert_eq!(
            JsonAt::root(&json!([1, 2]))
                .object()
                .unwrap_err()
                .to_string(),
            "at the top level: expected an object, found an array of 2 elements"
        );
    }

    #[test]
    fn values_are_described_briefly() {
        assert_eq!(describe(&json!(null)), "null");
        assert_eq!(describe(&json!(true)), "a boolean `true`");
        assert_eq!(describe(&json!(2.5)), "a number `2.5`");
        assert_eq!(describe(&json!([])), "an empty array");
        assert_eq!(describe(&json!([1])), "an array of 1 element");
        assert_eq!(describe(&json!({})), "an empty object");
        assert_eq!(
            describe(&json!({"a": 1, "b": 2, "c": 3, "d": 4, "e": 5})),
            "an object with keys `a`, `b`, `c`, `d`, …"
        );
        let long = "x".repeat(100);
        assert_eq!(
            describe(&json!(long)),
            format!("a string `{}…`", "x".repeat(40))
        );
    }
}
