//! Reading one JavaScript value: its type, and its number, text, elements or
//! entries, through napi's typed API.
//!
//! napi checks every read (`napi_get_value_double` refuses a string, …); the
//! only `unsafe` left is [`Unknown::cast`], which napi marks unsafe for all
//! types alike, used here right after `typeof` said what the value is.

use napi::bindgen_prelude::{
    ClassInstance, Float32ArraySlice, Float64Array, FromNapiValue, Function, JsObjectValue,
    JsValuesTupleIntoVec, Object, Unknown, ValueType,
};
use napi::JsValue;

use crate::error::BindError;

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
    Function,
    /// Symbols, bigints and externals: never data here.
    Other(&'static str),
}

/// A failed read: napi's own reason, as a bug report (a value whose type
/// was just checked cannot fail to read).
pub fn internal(e: napi::Error) -> BindError {
    BindError::Internal(e.reason.clone())
}

/// The JavaScript type of `v`.
pub fn kind(v: &Unknown<'_>) -> Result<Kind, BindError> {
    Ok(match v.get_type().map_err(internal)? {
        ValueType::Undefined => Kind::Undefined,
        ValueType::Null => Kind::Null,
        ValueType::Boolean => Kind::Boolean,
        ValueType::Number => Kind::Number,
        ValueType::String => Kind::String,
        ValueType::Object if v.is_array().map_err(internal)? => Kind::Array,
        ValueType::Object => Kind::Object,
        ValueType::Function => Kind::Function,
        ValueType::Symbol => Kind::Other("a symbol"),
        ValueType::BigInt => Kind::Other("a bigint"),
        _ => Kind::Other("an external value"),
    })
}

/// A value of the JavaScript type `T` maps to; call only after [`kind`]
/// said `v` is of that type.
fn cast<T: FromNapiValue>(v: &Unknown<'_>) -> Result<T, BindError> {
    // SAFETY: `v` is a live value of the current call; every caller checked
    // its type first, and napi's reader for `T` checks it again.
    unsafe { v.cast::<T>() }.map_err(internal)
}

/// Whether an object is a JavaScript `Date`.
pub fn is_date(v: &Unknown<'_>) -> Result<bool, BindError> {
    v.is_date().map_err(internal)
}

/// A number's value (the caller checked it is a number).
pub fn number(v: &Unknown<'_>) -> Result<f64, BindError> {
    cast(v)
}

/// A string's text (the caller checked it is a string).
pub fn string(v: &Unknown<'_>) -> Result<String, BindError> {
    cast(v)
}

/// A boolean's value (the caller checked it is a boolean).
pub fn boolean(v: &Unknown<'_>) -> Result<bool, BindError> {
    cast(v)
}

/// A JavaScript function, or `None` for anything else.
pub fn function<'a, Args, Return>(v: &Unknown<'a>) -> Option<Function<'a, Args, Return>>
where
    Args: JsValuesTupleIntoVec,
{
    if kind(v).ok()? != Kind::Function {
        return None;
    }
    cast(v).ok()
}

/// An instance of one of this package's classes (`Catalog`, `PriceModel`),
/// or `None` for anything else (napi checks the class).
pub fn instance<'a, T: 'a>(v: &Unknown<'a>) -> Option<ClassInstance<'a, T>>
where
    ClassInstance<'a, T>: FromNapiValue,
{
    if kind(v).ok()? != Kind::Object {
        return None;
    }
    // SAFETY: `v` is a live object of the current call; napi unwraps it
    // only after checking it was made by `T`'s constructor.
    unsafe { v.cast::<ClassInstance<'a, T>>() }.ok()
}

/// A `Float64Array`'s numbers, or `None` for anything else.
pub fn float64_array(v: &Unknown<'_>) -> Option<Float64Array> {
    if kind(v).ok()? != Kind::Object {
        return None;
    }
    // SAFETY: `v` is a live object of the current call; napi's reader
    // checks that it is a typed array of `float64`s and refuses anything else.
    unsafe { v.cast::<Float64Array>() }.ok()
}

/// A `Float32Array`'s numbers, read in place (no copy), or `None` for
/// anything else.
pub fn float32_array<'a>(v: &Unknown<'a>) -> Option<Float32ArraySlice<'a>> {
    if kind(v).ok()? != Kind::Object {
        return None;
    }
    // SAFETY: `v` is a live object of the current call; napi's reader
    // checks that it is a typed array of `float32`s and refuses anything
    // else. The slice borrows the array's memory for the call's lifetime,
    // during which no JavaScript runs that could detach its buffer.
    unsafe { v.cast::<Float32ArraySlice<'a>>() }.ok()
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

/// `v` described for an error message: `a string ("abc")`, `NaN`, `an array`.
pub fn describe(v: &Unknown<'_>) -> String {
    match kind(v) {
        Ok(Kind::Undefined) => "undefined".into(),
        Ok(Kind::Null) => "null".into(),
        Ok(Kind::Boolean) => format!("a boolean ({})", boolean(v).unwrap_or_default()),
        Ok(Kind::Number) => format!("a number ({})", number_text(number(v).unwrap_or(f64::NAN))),
        Ok(Kind::String) => {
            let s = string(v).unwrap_or_default();
            let shown: String = s.chars().take(60).collect();
            format!("a string ({shown:?})")
        }
        Ok(Kind::Array) => "an array".into(),
        Ok(Kind::Object) => "an object".into(),
        Ok(Kind::Function) => "a function".into(),
        Ok(Kind::Other(what)) => what.into(),
        Err(_) => "an unreadable value".into(),
    }
}

fn object<'a>(v: &Unknown<'a>) -> Object<'a> {
    let raw = v.value();
    Object::from_raw(raw.env, raw.value)
}

/// The elements of an array (holes and `undefined` included, as `undefined`).
pub fn elements<'a>(v: &Unknown<'a>) -> Result<Vec<Unknown<'a>>, BindError> {
    let array = object(v);
    let len = array.get_array_length().map_err(internal)?;
    (0..len)
        .map(|i| array.get_element::<Unknown<'a>>(i).map_err(internal))
        .collect()
}

/// The enumerable string-keyed properties of an object, as `for…in` sees
/// them (inherited ones included), in order, with `undefined` ones left out.
/// Each value comes with its type (asked once).
pub fn entries<'a>(v: &Unknown<'a>) -> Result<Vec<(String, Unknown<'a>, Kind)>, BindError> {
    let object = object(v);
    // The keys as strings (symbols left out, numeric keys converted).
    let keys = object.get_property_names().map_err(internal)?;
    let len = keys.get_array_length().map_err(internal)?;
    let mut out = Vec::with_capacity(len as usize);
    for i in 0..len {
        let key = keys.get_element::<Unknown<'a>>(i).map_err(internal)?;
        let value: Unknown<'a> = object.get_property_unchecked(key).map_err(internal)?;
        let kind = kind(&value)?;
        if kind != Kind::Undefined {
            out.push((string(&key)?, value, kind));
        }
    }
    Ok(out)
}
