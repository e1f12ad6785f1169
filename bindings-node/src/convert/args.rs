//! Arguments and options that are not records: counts, years, paths, ids,
//! and options objects read key by key (their keys are this package's own,
//! already camelCase, and `model` / `onProgress` are not data).

use agent_mira::{MiraError, PropertyId, RecordRef};
use napi::bindgen_prelude::Unknown;

use super::json::MAX_SAFE_INTEGER;
use super::value::{self, Kind};
use crate::error::BindError::{self, AsTyped};

/// An optional whole-number argument (`k`, `offset`, `columns`):
/// `undefined` or `null` give `default`.
pub fn count(
    v: Option<&Unknown<'_>>,
    call: &str,
    name: &str,
    default: usize,
) -> Result<usize, BindError> {
    let Some(v) = v else { return Ok(default) };
    match value::kind(v)? {
        Kind::Undefined | Kind::Null => Ok(default),
        Kind::Number => {
            let x = value::number(v)?;
            if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= MAX_SAFE_INTEGER as f64 {
                Ok(x as usize)
            } else {
                Err(AsTyped(MiraError::invalid(
                    RecordRef::Other(call.into()),
                    name,
                    value::number_text(x),
                    "a whole number ≥ 0",
                )))
            }
        }
        _ => Err(BindError::wrong_type(
            format!("{call}: argument `{name}`"),
            &value::describe(v),
            "a whole number ≥ 0",
        )),
    }
}

/// A required string argument (a path).
pub fn string(v: &Unknown<'_>, call: &str, name: &str) -> Result<String, BindError> {
    match value::kind(v)? {
        Kind::String => value::string(v),
        _ => Err(BindError::wrong_type(
            format!("{call}: argument `{name}`"),
            &value::describe(v),
            "a string",
        )),
    }
}

/// A year option (`currentYear`).
pub fn year(v: &Unknown<'_>, record: &RecordRef, name: &str) -> Result<i32, BindError> {
    let expected = "a whole year such as 2025";
    match value::kind(v)? {
        Kind::Number => {
            let x = value::number(v)?;
            if x.is_finite() && x.fract() == 0.0 && x.abs() <= i32::MAX as f64 {
                Ok(x as i32)
            } else {
                Err(AsTyped(MiraError::invalid(
                    record.clone(),
                    name,
                    value::number_text(x),
                    expected,
                )))
            }
        }
        _ => Err(BindError::wrong_type(
            format!("{record}: field `{name}`"),
            &value::describe(v),
            expected,
        )),
    }
}

/// Integer ids above 2^53 − 1 cannot be JavaScript numbers; they travel as
/// their decimal string (`"18446744073709551615"`), both ways. A string that
/// spells such an integer (no sign, no leading zero) is that integer id.
pub fn big_id(text: &str) -> Option<u64> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && !(text.len() > 1 && text.starts_with('0'));
    canonical
        .then(|| text.parse::<u64>().ok())
        .flatten()
        .filter(|n| *n > MAX_SAFE_INTEGER)
}

/// An id given as a JavaScript argument: a safe non-negative integer, or a
/// string (a big integer id spelled as a string is that integer).
pub fn id(v: &Unknown<'_>, place: &str) -> Result<PropertyId, BindError> {
    match value::kind(v)? {
        Kind::Number => {
            let x = value::number(v)?;
            if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= MAX_SAFE_INTEGER as f64 {
                Ok(PropertyId::Int(x as u64))
            } else {
                Err(AsTyped(MiraError::invalid(
                    RecordRef::Other(place.into()),
                    "id",
                    value::number_text(x),
                    "a non-negative integer up to 2^53 - 1 (pass larger ids as decimal strings), or a string",
                )))
            }
        }
        Kind::String => {
            let s = value::string(v)?;
            Ok(match big_id(&s) {
                Some(n) => PropertyId::Int(n),
                None => PropertyId::Str(s),
            })
        }
        _ => Err(BindError::wrong_type(
            format!("{place}: `id`"),
            &value::describe(v),
            "an id (a non-negative integer or a string)",
        )),
    }
}

/// The entries of an options object by name: `undefined` or `null` mean no
/// options, keys not in `allowed` are refused with a "did you mean"
/// suggestion, and `null` values are left out (not given).
pub struct Options<'a> {
    record: RecordRef,
    entries: Vec<(String, Unknown<'a>)>,
}

impl<'a> Options<'a> {
    /// Read `v` (the options argument); `record` names it in errors
    /// (`engine options`).
    pub fn read(
        v: Option<&Unknown<'a>>,
        record: RecordRef,
        allowed: &[&str],
    ) -> Result<Options<'a>, BindError> {
        let entries = match v {
            None => Vec::new(),
            Some(v) => match value::kind(v)? {
                Kind::Undefined | Kind::Null => Vec::new(),
                Kind::Object => {
                    let mut entries = Vec::new();
                    for (key, item, kind) in value::entries(v)? {
                        if !allowed.contains(&key.as_str()) {
                            return Err(AsTyped(MiraError::unknown_field(
                                record.clone(),
                                &key,
                                allowed,
                            )));
                        }
                        if kind != Kind::Null {
                            entries.push((key, item));
                        }
                    }
                    entries
                }
                _ => {
                    return Err(BindError::wrong_type(
                        record.to_string(),
                        &value::describe(v),
                        &format!("an object with some of: {}", allowed.join(", ")),
                    ))
                }
            },
        };
        Ok(Options { record, entries })
    }

    /// Where the options came from, for errors.
    pub fn record(&self) -> &RecordRef {
        &self.record
    }

    /// The value of `key`, if given (and not `null`).
    pub fn get(&self, key: &str) -> Option<&Unknown<'a>> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// A string option.
    pub fn string(&self, key: &str) -> Result<Option<String>, BindError> {
        self.get(key)
            .map(|v| match value::kind(v)? {
                Kind::String => value::string(v),
                _ => Err(self.wrong_type(key, v, "a string")),
            })
            .transpose()
    }

    /// A year option (`currentYear`).
    pub fn year(&self, key: &str) -> Result<Option<i32>, BindError> {
        self.get(key)
            .map(|v| year(v, &self.record, key))
            .transpose()
    }

    /// A `MIRA_TYPE` error for option `key`: `{record}: field `{key}` is …`.
    pub fn wrong_type(&self, key: &str, v: &Unknown<'_>, expected: &str) -> BindError {
        BindError::wrong_type(
            format!("{}: field `{key}`", self.record),
            &value::describe(v),
            expected,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_ids() {
        assert_eq!(big_id("18446744073709551615"), Some(u64::MAX));
        assert_eq!(big_id("9007199254740992"), Some(9007199254740992));
        assert_eq!(big_id("9007199254740991"), None);
        assert_eq!(big_id("018446744073709551615"), None);
        assert_eq!(big_id("kc-1"), None);
        assert_eq!(big_id("28446744073709551615"), None);
    }
}
