//! JavaScript data as JSON (`serde_json::Value`) for the core's parsers,
//! which then validate it and word every error.
//!
//! Rules (the README documents them):
//! - `undefined` properties are absent, like `null` (the core treats `null`
//!   as "not given"); `undefined` inside an array is `null`.
//! - Whole numbers up to 2^53 − 1 become integers, others stay floats; `NaN`
//!   and ±`Infinity` are refused with `MIRA_INVALID_FIELD` naming the field.
//! - A `Float32Array` is the array of its numbers (vectors: a listing's
//!   `embedding`, `similarTo.vector`); other typed arrays are objects.
//! - Functions, symbols, bigints and the like are refused with `MIRA_TYPE`.
//! - Arrays and objects nested deeper than the core's limit are refused with
//!   the core's own error (which also stops cycles).
//! - Top-level keys go through the caller's `key` function: that is where
//!   [`super::names::to_core`] renames listing and preference keys.
//!
//! napi's own `serde_json::Value` reader is not used: it reads `-0` and
//! `1e300` as integers (0 and `i64::MAX`), bigints as numbers, cannot tell
//! `undefined` from `null`, and its errors name no field.

use agent_mira::{MiraError, RecordRef};
use napi::bindgen_prelude::Unknown;
use serde_json::{Map, Number, Value};

use super::value::{self, Kind};
use crate::error::BindError::{self, AsTyped};

/// Largest integer a JavaScript number holds exactly (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

/// What becomes of a top-level key: the key the core reads, or an error.
pub type KeyFn<'k> = &'k dyn Fn(&str) -> Result<String, MiraError>;

/// Keys kept as they are (profiles, attributes, training parameters).
pub fn as_is(key: &str) -> Result<String, MiraError> {
    Ok(key.to_string())
}

/// A JavaScript object as a JSON object. `record` is where field errors
/// point; `place` and `expected` word the `MIRA_TYPE` error when `v` is not
/// a plain object (`recommend(): argument `prefs``, `an object of
/// preferences`).
pub fn object(
    v: &Unknown<'_>,
    record: &RecordRef,
    key: KeyFn<'_>,
    place: &str,
    expected: &str,
) -> Result<Map<String, Value>, BindError> {
    if value::kind(v)? != Kind::Object {
        return Err(BindError::wrong_type(place, &value::describe(v), expected));
    }
    Reader { record }.map(v, key, &String::new, 0)
}

/// One JavaScript value as JSON, standing at `field` of `record` (nested
/// values are `field.key`, `field[0]` in errors), keys as they are: for a
/// value the core parses whole (a holdout, a learner kind).
pub fn value(v: &Unknown<'_>, record: &RecordRef, field: &str) -> Result<Value, BindError> {
    let path = || field.to_string();
    let read = Reader { record }.walk(v, value::kind(v)?, &path, 1)?;
    Ok(read.unwrap_or(Value::Null))
}

/// A finite JavaScript number as JSON: whole numbers within the safe range
/// become integers (so that ids and counts parse as integers), others floats.
/// `None` for NaN and infinities.
pub fn number(x: f64) -> Option<Number> {
    if !x.is_finite() {
        return None;
    }
    let whole = x.fract() == 0.0 && x.abs() <= MAX_SAFE_INTEGER as f64;
    if whole && !(x == 0.0 && x.is_sign_negative()) {
        if x >= 0.0 {
            Some(Number::from(x as u64))
        } else {
            Some(Number::from(x as i64))
        }
    } else {
        Number::from_f64(x)
    }
}

struct Reader<'r> {
    record: &'r RecordRef,
}

impl Reader<'_> {
    /// An object's entries; `path()` is its place in the record (empty at
    /// the top), written out only for an error message.
    fn map(
        &self,
        v: &Unknown<'_>,
        key: KeyFn<'_>,
        path: &dyn Fn() -> String,
        depth: usize,
    ) -> Result<Map<String, Value>, BindError> {
        let mut map = Map::new();
        for (name, item, kind) in value::entries(v)? {
            let child = || {
                if depth == 0 {
                    name.clone()
                } else {
                    format!("{}.{name}", path())
                }
            };
            let field = if depth == 0 {
                key(&name).map_err(AsTyped)?
            } else {
                name.clone()
            };
            if let Some(x) = self.walk(&item, kind, &child, depth + 1)? {
                map.insert(field, x);
            }
        }
        Ok(map)
    }

    /// One value of type `kind`; `None` for `undefined`.
    fn walk(
        &self,
        v: &Unknown<'_>,
        kind: Kind,
        path: &dyn Fn() -> String,
        depth: usize,
    ) -> Result<Option<Value>, BindError> {
        // `depth` counts from the record's values (1); the record itself is
        // level 1 of the core's limit, so a container here is level depth + 1.
        if matches!(kind, Kind::Array | Kind::Object) && depth + 1 > agent_mira::limits::MAX_DEPTH {
            let err = agent_mira::limits::too_deep_error(self.record.clone(), &path());
            return Err(AsTyped(err));
        }
        Ok(Some(match kind {
            Kind::Undefined => return Ok(None),
            Kind::Null => Value::Null,
            Kind::Boolean => Value::Bool(value::boolean(v)?),
            Kind::String => Value::String(value::string(v)?),
            Kind::Number => {
                let x = value::number(v)?;
                match number(x) {
                    Some(n) => Value::Number(n),
                    None => {
                        return Err(AsTyped(MiraError::invalid(
                            self.record.clone(),
                            path(),
                            value::number_text(x),
                            "a finite number",
                        )))
                    }
                }
            }
            Kind::Array => Value::Array(
                value::elements(v)?
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let child = || format!("{}[{i}]", path());
                        Ok(self
                            .walk(e, value::kind(e)?, &child, depth + 1)?
                            .unwrap_or(Value::Null))
                    })
                    .collect::<Result<_, BindError>>()?,
            ),
            Kind::Object if value::is_date(v)? => {
                return Err(BindError::wrong_type(
                    format!("{}: field `{}`", self.record, path()),
                    "a Date",
                    "a calendar day written 'YYYY-MM-DD' (a Date is an instant, not a day: \
                     write the day you mean, e.g. date.toISOString().slice(0, 10) for its UTC day)",
                ))
            }
            Kind::Object => match value::float32_array(v) {
                Some(typed) => self.float32s(&typed, path)?,
                None => Value::Object(self.map(v, &as_is, path, depth)?),
            },
            Kind::Function => return Err(self.not_data(path, "a function")),
            Kind::Other(what) => return Err(self.not_data(path, what)),
        }))
    }

    /// A `Float32Array`'s numbers as a JSON array; NaN and infinities are
    /// refused as in an array of numbers, naming the index.
    fn float32s(&self, typed: &[f32], path: &dyn Fn() -> String) -> Result<Value, BindError> {
        typed
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let x = f64::from(x);
                number(x).map(Value::Number).ok_or_else(|| {
                    AsTyped(MiraError::invalid(
                        self.record.clone(),
                        format!("{}[{i}]", path()),
                        value::number_text(x),
                        "a finite number",
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array)
    }

    fn not_data(&self, path: &dyn Fn() -> String, what: &str) -> BindError {
        BindError::wrong_type(
            format!("{}: field `{}`", self.record, path()),
            what,
            "plain data (a string, number, boolean, array, object or null)",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(number(3.0), Some(Number::from(3u64)));
        assert_eq!(number(-3.0), Some(Number::from(-3i64)));
        assert_eq!(number(2.5).unwrap().as_f64(), Some(2.5));
        assert!(number(-0.0).unwrap().as_f64().unwrap().is_sign_negative());
        assert_eq!(number(f64::NAN), None);
        assert_eq!(number(f64::INFINITY), None);
        assert!(number(1e300).unwrap().is_f64());
        assert!(number(9_007_199_254_740_992.0).unwrap().is_f64());
        assert!(number(9_007_199_254_740_991.0).unwrap().is_u64());
    }
}
