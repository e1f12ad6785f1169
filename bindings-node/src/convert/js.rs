//! Reading JavaScript values: JS objects become `serde_json::Value`s for the
//! core to parse (with the core's own validation and messages), arguments
//! become counts, years, strings and ids.
//!
//! Rules (the README documents them):
//! - `undefined` properties are absent, like `null` (the core treats `null`
//!   as "not given"); `undefined` inside an array is `null`.
//! - Whole numbers up to 2^53 − 1 become integers, others stay floats; `NaN`
//!   and ±`Infinity` are refused with `MIRA_INVALID_FIELD` naming the field.
//! - Functions, symbols, bigints and the like are refused with `MIRA_TYPE`.
//! - Top-level keys of listings and preferences must be camelCase and are
//!   renamed to the core's snake_case (see [`super::names`]).

use std::ptr;

use agent_mira::listing::PROPERTY_FIELDS;
use agent_mira::preferences::PREFERENCE_FIELDS;
use agent_mira::{MiraError, PropertyId, RecordRef};
use napi::bindgen_prelude::{Env, FromNapiValue};
use napi::sys;
use serde_json::{Map, Number, Value};

use super::names;
use crate::error::BindError;

/// Largest integer a JavaScript number holds exactly (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

/// Arrays and objects nested deeper than this are refused with the core's
/// own error (`MIRA_INVALID_FIELD` naming the path); it also stops cycles.
const MAX_DEPTH: usize = agent_mira::limits::MAX_DEPTH;

/// How the top-level keys of an object are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keys {
    /// A listing: camelCase keys renamed to the core's fields; an integer id
    /// above 2^53 − 1 may be given as its decimal string.
    Listing,
    /// Preferences: camelCase keys renamed to the core's fields.
    Preferences,
    /// Keys kept as they are (profiles, mappings, attributes).
    AsIs,
}

impl Keys {
    /// The core's field names for camelCase objects; any key that is not
    /// camelCase is refused with a suggestion among their camelCase forms.
    fn fields(self) -> Option<&'static [&'static str]> {
        match self {
            Keys::Listing => Some(PROPERTY_FIELDS),
            Keys::Preferences => Some(PREFERENCE_FIELDS),
            Keys::AsIs => None,
        }
    }
}

/// A JavaScript value together with its environment, for reading.
#[derive(Clone, Copy)]
pub struct Js {
    env: sys::napi_env,
}

/// JavaScript types, as `typeof` reports them (arrays apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Undefined,
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
    Other(&'static str),
}

fn napi_ok(status: sys::napi_status, what: &str) -> Result<(), BindError> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(BindError::Internal(format!(
            "N-API call failed while {what} (status {status})"
        )))
    }
}

/// How JavaScript prints a number.
pub fn number_text(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        x.to_string()
    }
}

impl Js {
    pub fn new(env: &Env) -> Self {
        Js { env: env.raw() }
    }

    pub fn env(&self) -> sys::napi_env {
        self.env
    }

    /// The JavaScript type of `v`.
    pub fn kind(&self, v: sys::napi_value) -> Result<Kind, BindError> {
        let mut t = 0;
        napi_ok(
            unsafe { sys::napi_typeof(self.env, v, &mut t) },
            "reading a type",
        )?;
        Ok(match t {
            sys::ValueType::napi_undefined => Kind::Undefined,
            sys::ValueType::napi_null => Kind::Null,
            sys::ValueType::napi_boolean => Kind::Boolean,
            sys::ValueType::napi_number => Kind::Number,
            sys::ValueType::napi_string => Kind::String,
            sys::ValueType::napi_object => {
                let mut is_array = false;
                napi_ok(
                    unsafe { sys::napi_is_array(self.env, v, &mut is_array) },
                    "checking for an array",
                )?;
                if is_array {
                    Kind::Array
                } else {
                    Kind::Object
                }
            }
            sys::ValueType::napi_function => Kind::Other("a function"),
            sys::ValueType::napi_symbol => Kind::Other("a symbol"),
            9 => Kind::Other("a bigint"), // napi_bigint (N-API 6)
            _ => Kind::Other("an external value"),
        })
    }

    /// `v` described for an error message: `a string ("abc")`, `NaN`, `an array`.
    pub fn describe(&self, v: sys::napi_value) -> String {
        match self.kind(v) {
            Ok(Kind::Undefined) => "undefined".into(),
            Ok(Kind::Null) => "null".into(),
            Ok(Kind::Boolean) => format!("a boolean ({})", self.boolean(v).unwrap_or_default()),
            Ok(Kind::Number) => format!(
                "a number ({})",
                number_text(self.number(v).unwrap_or(f64::NAN))
            ),
            Ok(Kind::String) => {
                let s = self.string(v).unwrap_or_default();
                let shown: String = s.chars().take(60).collect();
                format!("a string ({shown:?})")
            }
            Ok(Kind::Array) => "an array".into(),
            Ok(Kind::Object) => "an object".into(),
            Ok(Kind::Other(what)) => what.into(),
            Err(_) => "an unreadable value".into(),
        }
    }

    pub fn array_length(&self, v: sys::napi_value) -> Result<u32, BindError> {
        let mut len = 0u32;
        napi_ok(
            unsafe { sys::napi_get_array_length(self.env, v, &mut len) },
            "reading an array length",
        )?;
        Ok(len)
    }

    /// Element `i` of an array (`undefined` for a hole).
    pub fn element(&self, v: sys::napi_value, i: u32) -> Result<sys::napi_value, BindError> {
        let mut e = ptr::null_mut();
        napi_ok(
            unsafe { sys::napi_get_element(self.env, v, i, &mut e) },
            "reading an array element",
        )?;
        Ok(e)
    }

    /// A string's UTF-8 bytes in `buf`, without allocating; `None` when the
    /// string is too long for it (at most `buf.len() - 5` bytes fit for sure).
    pub fn short_string<'b>(
        &self,
        v: sys::napi_value,
        buf: &'b mut [u8],
    ) -> Result<Option<&'b [u8]>, BindError> {
        let mut len = 0usize;
        napi_ok(
            unsafe {
                sys::napi_get_value_string_utf8(
                    self.env,
                    v,
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                    &mut len,
                )
            },
            "reading a string",
        )?;
        // N-API writes at most `buf.len() - 1` bytes and a NUL, and stops
        // before a character that does not fit whole (up to 4 bytes): with
        // more than that left over, the string was not cut.
        Ok((len + 1 + 4 <= buf.len()).then(|| &buf[..len]))
    }

    pub fn number(&self, v: sys::napi_value) -> Result<f64, BindError> {
        let mut x = 0.0;
        napi_ok(
            unsafe { sys::napi_get_value_double(self.env, v, &mut x) },
            "reading a number",
        )?;
        Ok(x)
    }

    pub fn boolean(&self, v: sys::napi_value) -> Result<bool, BindError> {
        let mut b = false;
        napi_ok(
            unsafe { sys::napi_get_value_bool(self.env, v, &mut b) },
            "reading a boolean",
        )?;
        Ok(b)
    }

    pub fn string(&self, v: sys::napi_value) -> Result<String, BindError> {
        // Most strings here are short (keys, names): one call into a stack
        // buffer; longer ones the usual way (length first, then the text).
        let mut buf = [0u8; 128];
        if let Some(bytes) = self.short_string(v, &mut buf)? {
            return std::str::from_utf8(bytes)
                .map(str::to_string)
                .map_err(|_| BindError::Internal("reading a string: not UTF-8".into()));
        }
        unsafe { String::from_napi_value(self.env, v) }
            .map_err(|e| BindError::Internal(format!("reading a string: {}", e.reason)))
    }

    /// The elements of an array (holes and `undefined` included, as `undefined`).
    pub fn elements(&self, v: sys::napi_value) -> Result<Vec<sys::napi_value>, BindError> {
        (0..self.array_length(v)?)
            .map(|i| self.element(v, i))
            .collect()
    }

    /// The enumerable string-keyed properties of an object, in order, with
    /// `undefined` ones left out.
    pub fn entries(&self, v: sys::napi_value) -> Result<Vec<(String, sys::napi_value)>, BindError> {
        Ok(self
            .typed_entries(v)?
            .into_iter()
            .map(|(key, value, _)| (key, value))
            .collect())
    }

    /// [`Js::entries`] with each value's type (asked once).
    fn typed_entries(
        &self,
        v: sys::napi_value,
    ) -> Result<Vec<(String, sys::napi_value, Kind)>, BindError> {
        let mut keys = ptr::null_mut();
        napi_ok(
            unsafe { sys::napi_get_property_names(self.env, v, &mut keys) },
            "listing object keys",
        )?;
        let mut out = Vec::new();
        // `napi_get_property_names` gives the keys as strings (symbols are
        // left out, numeric keys converted).
        for key in self.elements(keys)? {
            let mut value = ptr::null_mut();
            napi_ok(
                unsafe { sys::napi_get_property(self.env, v, key, &mut value) },
                "reading a property",
            )?;
            let kind = self.kind(value)?;
            if kind == Kind::Undefined {
                continue;
            }
            out.push((self.string(key)?, value, kind));
        }
        Ok(out)
    }

    /// Read a JavaScript object for the core. `place` and `expected` word the
    /// `MIRA_TYPE` error when `v` is not an object (`recommend(): argument
    /// `prefs``, `an object of preferences`); `record` is where field errors
    /// point.
    pub fn object(
        &self,
        v: sys::napi_value,
        record: &RecordRef,
        keys: Keys,
        place: &str,
        expected: &str,
    ) -> Result<Value, BindError> {
        if self.kind(v)? != Kind::Object {
            return Err(BindError::wrong_type(place, &self.describe(v), expected));
        }
        let mut map = self.map(v, record, keys, &String::new, 0)?;
        if keys == Keys::Listing {
            if let Some(id) = map.get_mut("id") {
                big_id_from_string(id);
            }
        }
        Ok(Value::Object(map))
    }

    /// An object's entries; `path()` is its place in the record (empty at
    /// the top), written out only for an error message.
    fn map(
        &self,
        v: sys::napi_value,
        record: &RecordRef,
        keys: Keys,
        path: &dyn Fn() -> String,
        depth: usize,
    ) -> Result<Map<String, Value>, BindError> {
        let mut map = Map::new();
        for (key, value, kind) in self.typed_entries(v)? {
            let child = || {
                if depth == 0 {
                    key.clone()
                } else {
                    format!("{}.{key}", path())
                }
            };
            let field = match (depth, keys.fields()) {
                (0, Some(allowed)) => match names::field_for_key(&key) {
                    Some(field) => field,
                    None => {
                        let camel: Vec<String> = allowed.iter().map(|a| names::camel(a)).collect();
                        let camel: Vec<&str> = camel.iter().map(String::as_str).collect();
                        return Err(MiraError::unknown_field(record.clone(), &key, &camel).into());
                    }
                },
                _ => key.clone(),
            };
            if let Some(x) = self.walk(value, kind, record, &child, depth + 1)? {
                map.insert(field, x);
            }
        }
        Ok(map)
    }

    /// One value of type `kind`; `None` for `undefined`.
    fn walk(
        &self,
        v: sys::napi_value,
        kind: Kind,
        record: &RecordRef,
        path: &dyn Fn() -> String,
        depth: usize,
    ) -> Result<Option<Value>, BindError> {
        // `depth` counts from the record's values (1); the record itself is
        // level 1 of the core's limit, so a container here is level depth + 1.
        if matches!(kind, Kind::Array | Kind::Object) && depth + 1 > MAX_DEPTH {
            return Err(agent_mira::limits::too_deep_error(record.clone(), &path()).into());
        }
        Ok(Some(match kind {
            Kind::Undefined => return Ok(None),
            Kind::Null => Value::Null,
            Kind::Boolean => Value::Bool(self.boolean(v)?),
            Kind::String => Value::String(self.string(v)?),
            Kind::Number => {
                let x = self.number(v)?;
                match number(x) {
                    Some(n) => Value::Number(n),
                    None => {
                        return Err(MiraError::invalid(
                            record.clone(),
                            path(),
                            number_text(x),
                            "a finite number",
                        )
                        .into())
                    }
                }
            }
            Kind::Array => Value::Array(
                self.elements(v)?
                    .into_iter()
                    .enumerate()
                    .map(|(i, e)| {
                        let child = || format!("{}[{i}]", path());
                        Ok(self
                            .walk(e, self.kind(e)?, record, &child, depth + 1)?
                            .unwrap_or(Value::Null))
                    })
                    .collect::<Result<_, BindError>>()?,
            ),
            Kind::Object => Value::Object(self.map(v, record, Keys::AsIs, path, depth)?),
            Kind::Other(what) => {
                return Err(BindError::wrong_type(
                    format!("{record}: field `{}`", path()),
                    what,
                    "plain data (a string, number, boolean, array, object or null)",
                ))
            }
        }))
    }
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

fn big_id_from_string(id: &mut Value) {
    if let Some(n) = id.as_str().and_then(big_id) {
        *id = Value::from(n);
    }
}

/// An id given as a JavaScript argument: a safe non-negative integer, or a
/// string (a big integer id spelled as a string is that integer).
pub fn id_from(js: Js, v: sys::napi_value, place: &str) -> Result<PropertyId, BindError> {
    let expected = "an id (a non-negative integer or a string)";
    match js.kind(v)? {
        Kind::Number => {
            let x = js.number(v)?;
            if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= MAX_SAFE_INTEGER as f64 {
                Ok(PropertyId::Int(x as u64))
            } else {
                Err(MiraError::invalid(
                    RecordRef::Other(place.into()),
                    "id",
                    number_text(x),
                    "a non-negative integer up to 2^53 - 1 (pass larger ids as decimal strings), or a string",
                )
                .into())
            }
        }
        Kind::String => {
            let s = js.string(v)?;
            Ok(match big_id(&s) {
                Some(n) => PropertyId::Int(n),
                None => PropertyId::Str(s),
            })
        }
        _ => Err(BindError::wrong_type(
            format!("{place}: `id`"),
            &js.describe(v),
            expected,
        )),
    }
}

/// An optional whole-number argument (`k`, `offset`): `undefined` or `null`
/// give `default`.
pub fn count(
    js: Js,
    v: Option<sys::napi_value>,
    call: &str,
    name: &str,
    default: usize,
) -> Result<usize, BindError> {
    let Some(v) = v else { return Ok(default) };
    match js.kind(v)? {
        Kind::Undefined | Kind::Null => Ok(default),
        Kind::Number => {
            let x = js.number(v)?;
            if x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= MAX_SAFE_INTEGER as f64 {
                Ok(x as usize)
            } else {
                Err(MiraError::invalid(
                    RecordRef::Other(call.into()),
                    name,
                    number_text(x),
                    "a whole number ≥ 0",
                )
                .into())
            }
        }
        _ => Err(BindError::wrong_type(
            format!("{call}: argument `{name}`"),
            &js.describe(v),
            "a whole number ≥ 0",
        )),
    }
}

/// A required string argument (a path).
pub fn string_arg(js: Js, v: sys::napi_value, call: &str, name: &str) -> Result<String, BindError> {
    match js.kind(v)? {
        Kind::String => js.string(v),
        _ => Err(BindError::wrong_type(
            format!("{call}: argument `{name}`"),
            &js.describe(v),
            "a string",
        )),
    }
}

/// A year option (`currentYear`).
pub fn year(js: Js, v: sys::napi_value, record: &RecordRef, name: &str) -> Result<i32, BindError> {
    match js.kind(v)? {
        Kind::Number => {
            let x = js.number(v)?;
            if x.is_finite() && x.fract() == 0.0 && x.abs() <= i32::MAX as f64 {
                Ok(x as i32)
            } else {
                Err(MiraError::invalid(
                    record.clone(),
                    name,
                    number_text(x),
                    "a whole year such as 2025",
                )
                .into())
            }
        }
        _ => Err(BindError::wrong_type(
            format!("{record}: field `{name}`"),
            &js.describe(v),
            "a whole year such as 2025",
        )),
    }
}

/// The entries of an options object (`undefined` or `null`: none), refusing
/// keys not in `allowed` with a "did you mean" suggestion.
pub fn options(
    js: Js,
    v: Option<sys::napi_value>,
    record: &RecordRef,
    allowed: &[&str],
) -> Result<Vec<(String, sys::napi_value)>, BindError> {
    let Some(v) = v else { return Ok(Vec::new()) };
    match js.kind(v)? {
        Kind::Undefined | Kind::Null => Ok(Vec::new()),
        Kind::Object => {
            let entries = js.entries(v)?;
            for (key, _) in &entries {
                if !allowed.contains(&key.as_str()) {
                    return Err(MiraError::unknown_field(record.clone(), key, allowed).into());
                }
            }
            Ok(entries)
        }
        _ => Err(BindError::wrong_type(
            record.to_string(),
            &js.describe(v),
            &format!("an object with some of: {}", allowed.join(", ")),
        )),
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
        assert!(number(1e300).unwrap().is_f64());
    }

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
