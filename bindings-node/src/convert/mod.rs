//! Every conversion between JavaScript values and the core's types lives in
//! this module; methods of the classes only call into it.
//!
//! In: [`value`] reads one JavaScript value, [`json`] turns data into JSON
//! for the core's own parsers (`Preferences::from_json`, the listing
//! loaders), which validate it and word the errors; [`names`] renames keys
//! (in) and field names in errors (out), in one place each; [`args`] reads
//! counts, years, ids, paths and options objects; [`matrix`] reads feature
//! matrices and label vectors; [`vectors`] the embedding matrices, ids and
//! filters of the similarity calls. The functions below are the typed inputs
//! the classes take.
//!
//! Out: [`out`] describes results, and two fast paths carry the calls that
//! matter most across the N-API boundary in bulk ([`bridge`]): preferences
//! in ([`prefs`]) and recommendations out ([`results`]).

pub mod args;
pub mod bridge;
pub mod json;
pub mod matrix;
pub mod names;
pub mod out;
pub mod prefs;
pub mod results;
pub mod value;
pub mod vectors;

use agent_mira::catalog::loaders::CsvMapping;
use agent_mira::listing::PROPERTY_FIELDS;
use agent_mira::model::{Holdout, TrainSpec};
use agent_mira::preferences::PREFERENCE_FIELDS;
use agent_mira::{Preferences, Property, RecordRef};
use napi::bindgen_prelude::{Env, Unknown};
use napi::JsValue;
use serde_json::{Map, Value};

use crate::error::BindError;
use value::Kind;

/// A buyer's preferences from a JavaScript object (camelCase keys).
/// `place()` words where the value was given (`recommend(): argument
/// `prefs``), for the error when it is not an object.
///
/// Well-formed objects are read in bulk into `Preferences` ([`prefs`]);
/// anything else goes through the general reader and the core's parser,
/// which word the error. Errors name the core's fields; the entry point's
/// guard spells them the JavaScript way.
pub fn preferences(v: &Unknown<'_>, place: impl Fn() -> String) -> Result<Preferences, BindError> {
    if value::kind(v)? == Kind::Object {
        let raw = v.value();
        let direct = prefs::read(&Env::from(raw.env), raw.value).map_err(value::internal)?;
        if let Some(prefs) = direct {
            prefs.validate()?;
            return Ok(prefs);
        }
    }
    let record = RecordRef::Preferences;
    let to_core = |key: &str| names::to_core(key, PREFERENCE_FIELDS, &record);
    let map = json::object(v, &record, &to_core, &place(), "an object of preferences")?;
    Ok(Preferences::from_json(Value::Object(map))?)
}

/// A list of preferences (for batches); errors name the request's position.
pub fn preferences_list(v: &Unknown<'_>, call: &str) -> Result<Vec<Preferences>, BindError> {
    if value::kind(v)? != Kind::Array {
        return Err(BindError::wrong_type(
            format!("{call}: argument `prefsList`"),
            &value::describe(v),
            "an array of preferences objects",
        ));
    }
    value::elements(v)?
        .iter()
        .enumerate()
        .map(|(i, p)| {
            preferences(p, || format!("{call}: `prefsList[{i}]`")).map_err(|e| e.at_request(i))
        })
        .collect()
}

/// One listing object as JSON for the core's listing parsers, keys renamed
/// to the core's fields; a decimal-string id above 2^53 − 1 is that integer.
fn listing_json(v: &Unknown<'_>, record: &RecordRef, place: &str) -> Result<Value, BindError> {
    let to_core = |key: &str| names::to_core(key, PROPERTY_FIELDS, record);
    let mut map = json::object(v, record, &to_core, place, "a listing object")?;
    if let Some(id) = map.get_mut("id") {
        if let Some(n) = id.as_str().and_then(args::big_id) {
            *id = Value::from(n);
        }
    }
    Ok(Value::Object(map))
}

/// Listing objects from a JavaScript array, as JSON for the core to parse
/// and validate (`agent_mira::catalog::loaders::from_values` /
/// `parse_records`); errors of the conversion itself point at `record #i`,
/// like the core's.
pub fn records(v: &Unknown<'_>, call: &str) -> Result<Vec<Value>, BindError> {
    if value::kind(v)? != Kind::Array {
        return Err(BindError::wrong_type(
            format!("{call}: argument `records`"),
            &value::describe(v),
            "an array of listing objects",
        ));
    }
    value::elements(v)?
        .iter()
        .enumerate()
        .map(|(i, item)| {
            listing_json(
                item,
                &RecordRef::Index(i),
                &format!("{call}: `records[{i}]`"),
            )
        })
        .collect()
}

/// One listing (for `predictPrice`).
pub fn listing(v: &Unknown<'_>, call: &str, current_year: i32) -> Result<Property, BindError> {
    let at = RecordRef::Other("listing".into());
    let value = listing_json(v, &at, &format!("{call}: argument `record`"))?;
    Ok(Property::from_json(value, &at, current_year)?)
}

/// An investor's terms (`{ mortgageRate, downPayment, … }`, camelCase keys
/// of [`agent_mira::investment::TERM_FIELDS`]), parsed and checked by the
/// core; absent: the defaults.
pub fn investment_terms(
    v: Option<&Unknown<'_>>,
    call: &str,
) -> Result<agent_mira::investment::InvestmentTerms, BindError> {
    let record = RecordRef::Other("investment terms".into());
    let map = match v {
        Some(v) if !matches!(value::kind(v)?, Kind::Undefined | Kind::Null) => {
            let fields = agent_mira::investment::TERM_FIELDS;
            let to_core = |key: &str| names::to_core(key, fields, &record);
            let place = format!("{call}: argument `terms`");
            json::object(
                v,
                &record,
                &to_core,
                &place,
                "an object of investment terms",
            )?
        }
        _ => Map::new(),
    };
    Ok(agent_mira::investment::InvestmentTerms::from_json(
        Value::Object(map),
    )?)
}

/// A CSV mapping object (`{ columns, onDuplicate }`), checked by the core.
pub fn mapping(
    v: &Unknown<'_>,
    record: &RecordRef,
    expected: &str,
) -> Result<CsvMapping, BindError> {
    const FIELDS: &[&str] = &["columns", "on_duplicate"];
    let to_core = |key: &str| names::to_core(key, FIELDS, record);
    let place = format!("{record}: field `mapping`");
    let map = json::object(v, record, &to_core, &place, expected)?;
    Ok(CsvMapping::from_json(&Value::Object(map).to_string())?)
}

/// A plain-data object with its keys as they are (a scoring profile, a
/// holdout, training parameters).
pub fn data(
    v: &Unknown<'_>,
    record: &RecordRef,
    place: &str,
    expected: &str,
) -> Result<Map<String, Value>, BindError> {
    json::object(v, record, &json::as_is, place, expected)
}

/// The core's [`TrainSpec`] from the `kind` and `params` options (either may
/// be absent): `params`' camelCase keys renamed by [`names::to_core`] (a key
/// that is not camelCase is refused with a suggestion among the kind's
/// parameters), then parsed and checked by the core. Its errors name the
/// core's fields; the entry point spells them the JavaScript way.
pub fn train_spec(
    kind: Option<&Unknown<'_>>,
    params: Option<&Unknown<'_>>,
) -> Result<TrainSpec, BindError> {
    let record = RecordRef::Other("training parameters".into());
    let kind = match kind {
        Some(k) => json::value(k, &record, "kind")?,
        None => Value::Null,
    };
    let params = match params {
        Some(p) if value::kind(p)? == Kind::Object => {
            // A kind the core does not know fails here with the core's error.
            let fields = TrainSpec::parameter_names(kind.as_str().unwrap_or("gbdt"))?;
            let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
            let to_core = |key: &str| names::to_core(key, &fields, &record);
            let place = format!("{record}: field `params`");
            Value::Object(json::object(p, &record, &to_core, &place, "an object")?)
        }
        // Not an object: the core refuses it, naming `params`.
        Some(p) => json::value(p, &record, "params")?,
        None => Value::Null,
    };
    let spec = serde_json::json!({ "kind": kind, "params": params });
    Ok(TrainSpec::from_json(spec)?)
}

/// The core's [`Holdout`] from the `holdout` option (`{ kind: 'random',
/// fraction, seed }`, …), parsed by the core; its keys are single words, the
/// same in JavaScript and in the core.
pub fn holdout(v: &Unknown<'_>) -> Result<Holdout, BindError> {
    let value = json::value(v, &RecordRef::Other("training".into()), "holdout")?;
    Ok(Holdout::from_json(value)?)
}
