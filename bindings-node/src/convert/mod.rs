//! Every conversion between JavaScript values and the core's types lives in
//! this module: key names ([`names`]), reading JavaScript values ([`js`]),
//! and results ([`out`]). Methods of the classes only call into it.

pub mod js;
pub mod names;
pub mod out;

use agent_mira::{MiraError, Preferences, Property, RecordRef};
use napi::sys;

use crate::error::BindError;
use js::{Js, Keys};

/// A buyer's preferences from a JavaScript object (camelCase keys).
pub fn preferences(js: Js, v: sys::napi_value, place: &str) -> Result<Preferences, BindError> {
    let value = js.object(
        v,
        &RecordRef::Preferences,
        Keys::Preferences,
        place,
        "an object of preferences",
    )?;
    Preferences::from_json(value).map_err(|e| names::camel_error(e).into())
}

/// A list of preferences (for batches).
pub fn preferences_list(
    js: Js,
    v: sys::napi_value,
    call: &str,
) -> Result<Vec<Preferences>, BindError> {
    if js.kind(v)? != js::Kind::Array {
        return Err(BindError::wrong_type(
            format!("{call}: argument `prefsList`"),
            &js.describe(v),
            "an array of preferences objects",
        ));
    }
    js.elements(v)?
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            preferences(js, p, &format!("{call}: `prefsList[{i}]`")).map_err(|e| match e {
                BindError::Core(e) => BindError::Core(at_position(e, i)),
                other => other,
            })
        })
        .collect()
}

/// Listing records from a JavaScript array, each parsed and validated by the
/// core; `record(i)` says how errors point at the i-th.
pub fn listings(
    js: Js,
    v: sys::napi_value,
    call: &str,
    current_year: i32,
    record: impl Fn(usize) -> RecordRef,
) -> Result<Vec<(Property, RecordRef)>, BindError> {
    if js.kind(v)? != js::Kind::Array {
        return Err(BindError::wrong_type(
            format!("{call}: argument `records`"),
            &js.describe(v),
            "an array of listing objects",
        ));
    }
    js.elements(v)?
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let at = record(i);
            let value = js.object(
                item,
                &at,
                Keys::Listing,
                &format!("{call}: `records[{i}]`"),
                "a listing object",
            )?;
            let p = Property::from_json(value, &at, current_year).map_err(names::camel_error)?;
            Ok((p, at))
        })
        .collect()
}

/// One listing (for `predictPrice`).
pub fn listing(
    js: Js,
    v: sys::napi_value,
    call: &str,
    current_year: i32,
) -> Result<Property, BindError> {
    let at = RecordRef::Other("listing".into());
    let value = js.object(
        v,
        &at,
        Keys::Listing,
        &format!("{call}: argument `record`"),
        "a listing object",
    )?;
    Property::from_json(value, &at, current_year).map_err(|e| names::camel_error(e).into())
}

/// Point an error about `preferences` at the batch position it came from,
/// the way the core's `recommend_batch` does (`preferences #2: …`).
fn at_position(err: MiraError, index: usize) -> MiraError {
    let place = |r: RecordRef| match r {
        RecordRef::Preferences => RecordRef::Other(format!("preferences #{index}")),
        other => other,
    };
    match err {
        MiraError::InvalidField {
            record,
            field,
            value,
            expected,
        } => MiraError::InvalidField {
            record: place(record),
            field,
            value,
            expected,
        },
        MiraError::MissingField { record, field } => MiraError::MissingField {
            record: place(record),
            field,
        },
        MiraError::UnknownField {
            record,
            field,
            suggestion,
            allowed,
        } => MiraError::UnknownField {
            record: place(record),
            field,
            suggestion,
            allowed,
        },
        other => other,
    }
}
