//! Every conversion between JavaScript values and the core's types lives in
//! this module: key names ([`names`]), reading JavaScript values ([`js`]),
//! results ([`out`]), and the bulk paths for the calls that matter most —
//! preferences in ([`prefs`]) and recommendations out ([`results`]) —
//! through two JavaScript helpers ([`bridge`]). Methods of the classes only
//! call into it.

pub mod bridge;
pub mod js;
pub mod names;
pub mod out;
pub mod prefs;
pub mod results;

use agent_mira::{Preferences, Property, RecordRef};
use napi::sys;
use serde_json::Value;

use crate::error::BindError;
use js::{Js, Keys};

/// A buyer's preferences from a JavaScript object (camelCase keys).
/// `place()` words where the value was given (`recommend(): argument
/// `prefs``), for the error when it is not an object.
///
/// Well-formed objects are read in bulk into `Preferences` ([`prefs`]);
/// anything else goes through the general reader and the core's parser,
/// which word the error.
pub fn preferences(
    js: Js,
    v: sys::napi_value,
    place: impl Fn() -> String,
) -> Result<Preferences, BindError> {
    if js.kind(v)? == js::Kind::Object {
        // SAFETY: `js` is the live environment of this call, on its thread.
        let direct = unsafe { prefs::read(js.env(), v) }
            .map_err(|e| BindError::Internal(e.reason.clone()))?;
        if let Some(prefs) = direct {
            prefs.validate().map_err(names::camel_error)?;
            return Ok(prefs);
        }
    }
    let value = js.object(
        v,
        &RecordRef::Preferences,
        Keys::Preferences,
        &place(),
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
            preferences(js, p, || format!("{call}: `prefsList[{i}]`")).map_err(|e| match e {
                BindError::Core(e) => BindError::Core(e.at_request(i)),
                other => other,
            })
        })
        .collect()
}

/// Listing objects from a JavaScript array, as JSON for the core to parse
/// and validate (`agent_mira::catalog::loaders::from_values` /
/// `parse_records`): top-level keys renamed to the core's snake_case, errors
/// of the conversion itself pointing at `record #i`, like the core's.
pub fn records(js: Js, v: sys::napi_value, call: &str) -> Result<Vec<Value>, BindError> {
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
            js.object(
                item,
                &RecordRef::Index(i),
                Keys::Listing,
                &format!("{call}: `records[{i}]`"),
                "a listing object",
            )
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
