//! Preferences read straight from a JavaScript object into [`Preferences`]:
//! one N-API call per key and value, no `serde_json::Value` in between, no
//! key renaming through allocated strings.
//!
//! Only well-formed input is read this way: camelCase keys of
//! [`Preferences`], each with a value of the JavaScript type the field takes
//! (`null` and `undefined` meaning "not asked"). At the first thing that
//! does not fit — an unknown key, a string where a number belongs, `NaN`, a
//! fractional bedroom count, an unknown property type, a hole in a list —
//! [`read`] answers `None` and the caller reads the object the general way
//! ([`super::js::Js::object`] then `Preferences::from_json`), which accepts
//! and refuses exactly what the core does and words the error as everywhere
//! else. Ranges (budget > 0, school rating 0–10, text lengths, …) are checked
//! by the core's own `Preferences::validate` on either path, so both paths
//! accept the same values and build the same `Preferences`.

use std::collections::BTreeMap;
use std::ptr;

use agent_mira::{ListingType, Preferences, PropertyType};
use napi::sys;

use super::js::{Js, Kind};
use crate::error::BindError;

/// A field of [`Preferences`], by its camelCase key.
#[derive(Clone, Copy)]
enum Field {
    Budget,
    Location,
    MinBedrooms,
    MinBathrooms,
    MinSizeSqft,
    MaxCommuteTime,
    MinSchoolRating,
    PreferredAmenities,
    MustHaveAmenities,
    PropertyTypes,
    ListingType,
    Weights,
}

impl Field {
    /// The field a JavaScript key names (camelCase of the core's field).
    fn from_key(key: &[u8]) -> Option<Field> {
        Some(match key {
            b"budget" => Field::Budget,
            b"location" => Field::Location,
            b"minBedrooms" => Field::MinBedrooms,
            b"minBathrooms" => Field::MinBathrooms,
            b"minSizeSqft" => Field::MinSizeSqft,
            b"maxCommuteTime" => Field::MaxCommuteTime,
            b"minSchoolRating" => Field::MinSchoolRating,
            b"preferredAmenities" => Field::PreferredAmenities,
            b"mustHaveAmenities" => Field::MustHaveAmenities,
            b"propertyTypes" => Field::PropertyTypes,
            b"listingType" => Field::ListingType,
            b"weights" => Field::Weights,
            _ => return None,
        })
    }
}

/// Longest key [`Field::from_key`] knows, plus room to tell a longer key
/// apart.
const KEY_BUFFER: usize = 24;

/// Preferences from a JavaScript object (the caller checked it is one), or
/// `None` when something in it is not plainly well-formed. Ranges are not
/// checked here: call `Preferences::validate` on the result.
pub fn read(js: Js, object: sys::napi_value) -> Result<Option<Preferences>, BindError> {
    let env = js.env();
    let mut keys = ptr::null_mut();
    js.check(
        unsafe { sys::napi_get_property_names(env, object, &mut keys) },
        "listing object keys",
    )?;
    let count = js.array_length(keys)?;
    let mut prefs = Preferences::default();
    for i in 0..count {
        let key = js.element(keys, i)?;
        let mut value = ptr::null_mut();
        js.check(
            unsafe { sys::napi_get_property(env, object, key, &mut value) },
            "reading a property",
        )?;
        let mut buf = [0u8; KEY_BUFFER];
        let Some(field) = js.short_string(key, &mut buf)?.and_then(Field::from_key) else {
            return Ok(None);
        };
        let kind = js.kind(value)?;
        if matches!(kind, Kind::Undefined | Kind::Null) {
            continue;
        }
        let fits = match field {
            Field::Budget => number(js, value, kind)?.map(|x| prefs.budget = Some(x)),
            Field::Location => text(js, value, kind)?.map(|s| prefs.location = Some(s)),
            Field::MinBedrooms => count_u32(js, value, kind)?.map(|n| prefs.min_bedrooms = Some(n)),
            Field::MinBathrooms => number(js, value, kind)?.map(|x| prefs.min_bathrooms = Some(x)),
            Field::MinSizeSqft => number(js, value, kind)?.map(|x| prefs.min_size_sqft = Some(x)),
            Field::MaxCommuteTime => {
                number(js, value, kind)?.map(|x| prefs.max_commute_time = Some(x))
            }
            Field::MinSchoolRating => {
                number(js, value, kind)?.map(|x| prefs.min_school_rating = Some(x))
            }
            Field::PreferredAmenities => {
                list(js, value, kind, text)?.map(|l| prefs.preferred_amenities = l)
            }
            Field::MustHaveAmenities => {
                list(js, value, kind, text)?.map(|l| prefs.must_have_amenities = l)
            }
            Field::PropertyTypes => {
                list(js, value, kind, vocabulary::<PropertyType>)?.map(|l| prefs.property_types = l)
            }
            Field::ListingType => {
                vocabulary::<ListingType>(js, value, kind)?.map(|t| prefs.listing_type = Some(t))
            }
            Field::Weights => weights(js, value, kind)?.map(|w| prefs.weights = Some(w)),
        };
        if fits.is_none() {
            return Ok(None);
        }
    }
    Ok(Some(prefs))
}

/// A finite number. (The general path turns whole numbers into JSON integers
/// first; as `f64` fields they come back as the same value.)
fn number(js: Js, v: sys::napi_value, kind: Kind) -> Result<Option<f64>, BindError> {
    if kind != Kind::Number {
        return Ok(None);
    }
    let x = js.number(v)?;
    Ok(x.is_finite().then_some(x))
}

/// A whole number that fits a `u32`, as the core's serde reads one: `-0` is
/// a float there (refused), so it is left to the general path too.
fn count_u32(js: Js, v: sys::napi_value, kind: Kind) -> Result<Option<u32>, BindError> {
    let Some(x) = number(js, v, kind)? else {
        return Ok(None);
    };
    let whole = x.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&x);
    Ok((whole && !(x == 0.0 && x.is_sign_negative())).then_some(x as u32))
}

fn text(js: Js, v: sys::napi_value, kind: Kind) -> Result<Option<String>, BindError> {
    if kind != Kind::String {
        return Ok(None);
    }
    js.string(v).map(Some)
}

/// A property or listing type, by any name the core's vocabulary knows.
fn vocabulary<T: std::str::FromStr>(
    js: Js,
    v: sys::napi_value,
    kind: Kind,
) -> Result<Option<T>, BindError> {
    Ok(text(js, v, kind)?.and_then(|s| s.parse().ok()))
}

/// An array whose every element `item` reads (`undefined` and `null`
/// elements included: the core refuses them, so the general path words it).
fn list<T>(
    js: Js,
    v: sys::napi_value,
    kind: Kind,
    item: fn(Js, sys::napi_value, Kind) -> Result<Option<T>, BindError>,
) -> Result<Option<Vec<T>>, BindError> {
    if kind != Kind::Array {
        return Ok(None);
    }
    let len = js.array_length(v)?;
    let mut out = Vec::with_capacity(len as usize);
    for i in 0..len {
        let e = js.element(v, i)?;
        match item(js, e, js.kind(e)?)? {
            Some(x) => out.push(x),
            None => return Ok(None),
        }
    }
    Ok(Some(out))
}

/// `{ component: weight }` with finite numbers (keys as given: the engine
/// checks the names).
fn weights(
    js: Js,
    v: sys::napi_value,
    kind: Kind,
) -> Result<Option<BTreeMap<String, f64>>, BindError> {
    if kind != Kind::Object {
        return Ok(None);
    }
    let mut out = BTreeMap::new();
    for (name, value) in js.entries(v)? {
        match number(js, value, js.kind(value)?)? {
            Some(w) => {
                out.insert(name, w);
            }
            None => return Ok(None),
        }
    }
    Ok(Some(out))
}
