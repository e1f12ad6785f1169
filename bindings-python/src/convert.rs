//! Conversions between Python values and the core's types, in one place.
//!
//! Records and preferences travel as `serde_json::Value` so that the core's
//! own parsers (`Property::from_json`, `Preferences::from_json`,
//! `Profile::from_json`) validate them and write the messages. This module
//! only maps Python types onto JSON types: `int` stays an integer (ids come
//! back as given), `float` NaN and ±inf are refused naming the field (JSON
//! has no such numbers, and a NaN price is a bug, not a value), a
//! `datetime.date` becomes its `YYYY-MM-DD` text (a `datetime`, or a pandas
//! `Timestamp`, only at midnight without a time zone: anything else has no
//! single calendar day), and a type JSON cannot hold (a set) is a
//! `MiraTypeError` naming the field.

use mira::{MiraError, PropertyId, RecordRef};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use serde_json::{Map, Number, Value};

use crate::errors;

/// How to read values.
#[derive(Clone, Copy)]
pub struct Mode<'r> {
    /// Where the value came from, for messages.
    pub record: &'r RecordRef,
    /// Read NaN / `pd.NA` / `NaT` as missing (DataFrames mark gaps so);
    /// otherwise NaN is an error.
    pub nan_is_missing: bool,
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

fn wrong_type(mode: Mode<'_>, field: &str, obj: &Bound<'_, PyAny>, expected: &str) -> PyErr {
    errors::type_error(format!(
        "{}: field `{field}` has Python type {}: expected {expected}",
        mode.record,
        type_name(obj)
    ))
}

const JSON_LIKE: &str = "None, bool, int, float, str, a list or a dict";

fn float_value(x: f64, mode: Mode<'_>, field: &str) -> PyResult<Value> {
    if x.is_nan() && mode.nan_is_missing {
        return Ok(Value::Null);
    }
    match Number::from_f64(x) {
        Some(n) => Ok(Value::Number(n)),
        None => Err(errors::to_py(MiraError::invalid(
            mode.record.clone(),
            field,
            x,
            "a finite number (leave the field out, or pass None, when it is unknown)",
        ))),
    }
}

fn int_value(obj: &Bound<'_, PyAny>, mode: Mode<'_>, field: &str) -> PyResult<Value> {
    if let Ok(i) = obj.extract::<i64>() {
        return Ok(Value::from(i));
    }
    if let Ok(u) = obj.extract::<u64>() {
        return Ok(Value::from(u));
    }
    Err(errors::to_py(MiraError::invalid(
        mode.record.clone(),
        field,
        obj.str().map(|s| s.to_string()).unwrap_or_default(),
        "a whole number that fits in 64 bits",
    )))
}

/// Convert any JSON-like Python value. `field` is its path, for messages.
pub fn to_value(obj: &Bound<'_, PyAny>, mode: Mode<'_>, field: &str) -> PyResult<Value> {
    value_at(obj, mode, field, 1)
}

/// Refuse a container at nesting level `depth` (the record is level 1) past
/// the core's limit, with the core's own error: a deeply nested or cyclic
/// value never recurses far (nor overflows the stack).
fn check_depth(mode: Mode<'_>, field: &str, depth: usize) -> PyResult<()> {
    if depth > mira::limits::MAX_DEPTH {
        return Err(errors::to_py(mira::limits::too_deep_error(
            mode.record.clone(),
            field,
        )));
    }
    Ok(())
}

/// [`to_value`] for a value at nesting level `depth`.
fn value_at(obj: &Bound<'_, PyAny>, mode: Mode<'_>, field: &str, depth: usize) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        return int_value(obj, mode, field);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return float_value(f.value(), mode, field);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.extract::<String>()?));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        check_depth(mode, field, depth)?;
        return object_items(d.iter(), mode, field, depth);
    }
    if let Ok(l) = obj.cast::<PyList>() {
        check_depth(mode, field, depth)?;
        return array(l.iter(), mode, field, depth);
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        check_depth(mode, field, depth)?;
        return array(t.iter(), mode, field, depth);
    }
    // numpy and pandas values.
    let name = type_name(obj);
    match name.as_str() {
        "bool" | "bool_" => return Ok(Value::Bool(obj.is_truthy()?)),
        "NAType" | "NaTType" if mode.nan_is_missing => return Ok(Value::Null),
        "ndarray" => return value_at(&obj.call_method0("tolist")?, mode, field, depth),
        _ => {}
    }
    if let Some(day) = date_value(obj, mode, field)? {
        return Ok(day);
    }
    if let Ok(m) = obj.cast::<PyMapping>() {
        check_depth(mode, field, depth)?;
        let items = m.items()?;
        let pairs: Vec<Bound<'_, PyAny>> = items.iter().collect();
        let mut map = Map::new();
        for pair in pairs {
            let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair.extract()?;
            insert(&mut map, &k, &v, mode, field, depth)?;
        }
        return Ok(Value::Object(map));
    }
    if obj.hasattr("__index__")? {
        return int_value(obj, mode, field);
    }
    if obj.hasattr("__float__")? && !obj.hasattr("__iter__")? {
        return float_value(obj.extract::<f64>()?, mode, field);
    }
    Err(wrong_type(mode, field, obj, JSON_LIKE))
}

/// A `datetime.date` as `"YYYY-MM-DD"`; a `datetime.datetime` (pandas'
/// `Timestamp` is one) only when it is midnight without a time zone, since
/// otherwise it names no single calendar day. `None` for anything else.
fn date_value(obj: &Bound<'_, PyAny>, mode: Mode<'_>, field: &str) -> PyResult<Option<Value>> {
    let datetime = obj.py().import("datetime")?;
    if !obj.is_instance(&datetime.getattr("date")?)? {
        return Ok(None);
    }
    if obj.is_instance(&datetime.getattr("datetime")?)? {
        let mut midnight = obj.getattr("tzinfo")?.is_none();
        for part in ["hour", "minute", "second", "microsecond"] {
            midnight &= obj.getattr(part)?.extract::<i64>()? == 0;
        }
        if !midnight {
            return Err(errors::to_py(MiraError::invalid(
                mode.record.clone(),
                field,
                obj.str().map(|s| s.to_string()).unwrap_or_default(),
                "a calendar day: a datetime.date or \"YYYY-MM-DD\" (a datetime with a time of day or a time zone names no single day; pass .date())",
            )));
        }
    }
    let part = |name: &str| -> PyResult<i64> { obj.getattr(name)?.extract::<i64>() };
    Ok(Some(Value::String(format!(
        "{:04}-{:02}-{:02}",
        part("year")?,
        part("month")?,
        part("day")?
    ))))
}

fn child(field: &str, key: &str) -> String {
    if field.is_empty() {
        key.to_string()
    } else {
        format!("{field}.{key}")
    }
}

fn insert(
    map: &mut Map<String, Value>,
    k: &Bound<'_, PyAny>,
    v: &Bound<'_, PyAny>,
    mode: Mode<'_>,
    field: &str,
    depth: usize,
) -> PyResult<()> {
    let Ok(key) = k.cast::<PyString>() else {
        let shown = k.repr().map(|r| r.to_string()).unwrap_or_default();
        return Err(errors::type_error(format!(
            "{}: key {shown} of `{}` has Python type {}: expected str",
            mode.record,
            if field.is_empty() { "<record>" } else { field },
            type_name(k)
        )));
    };
    let key: String = key.extract()?;
    let key = key.as_str();
    let value = value_at(v, mode, &child(field, key), depth + 1)?;
    map.insert(key.to_owned(), value);
    Ok(())
}

fn object_items<'py>(
    items: impl Iterator<Item = (Bound<'py, PyAny>, Bound<'py, PyAny>)>,
    mode: Mode<'_>,
    field: &str,
    depth: usize,
) -> PyResult<Value> {
    let mut map = Map::new();
    for (k, v) in items {
        insert(&mut map, &k, &v, mode, field, depth)?;
    }
    Ok(Value::Object(map))
}

fn array<'py>(
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    mode: Mode<'_>,
    field: &str,
    depth: usize,
) -> PyResult<Value> {
    let out = items
        .enumerate()
        .map(|(i, v)| value_at(&v, mode, &format!("{field}[{i}]"), depth + 1))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(Value::Array(out))
}

/// A record that must be a dict (a listing, preferences, a profile, a CSV
/// mapping). `what` names it in the type error.
pub fn object(obj: &Bound<'_, PyAny>, mode: Mode<'_>, what: &str) -> PyResult<Value> {
    if obj.cast::<PyDict>().is_err() && obj.cast::<PyMapping>().is_err() {
        return Err(errors::type_error(format!(
            "{}: expected {what} as a dict, got {}",
            mode.record,
            type_name(obj)
        )));
    }
    to_value(obj, mode, "")
}

/// A list (or any iterable but a str, bytes or dict) of dict records.
pub fn records(obj: &Bound<'_, PyAny>, nan_is_missing: bool, what: &str) -> PyResult<Vec<Value>> {
    if obj.is_instance_of::<PyString>()
        || obj.cast::<PyMapping>().is_ok()
        || obj.hasattr("to_dict")?
    {
        return Err(errors::type_error(format!(
            "expected a list of {what} dicts, got {}",
            type_name(obj)
        )));
    }
    let iter = obj.try_iter().map_err(|_| {
        errors::type_error(format!(
            "expected a list of {what} dicts, got {}",
            type_name(obj)
        ))
    })?;
    let mut out = Vec::new();
    for (i, item) in iter.enumerate() {
        let record = RecordRef::Index(i);
        let mode = Mode {
            record: &record,
            nan_is_missing,
        };
        out.push(object(&item?, mode, what)?);
    }
    Ok(out)
}

/// JSON → Python (dicts keep the JSON key order; integers stay `int`).
pub fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for v in items {
                list.append(to_py(py, v)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// Any serialisable core value → Python, through JSON.
pub fn serde_to_py<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let v =
        serde_json::to_value(value).map_err(|e| errors::internal(format!("serialising: {e}")))?;
    to_py(py, &v)
}

/// A listing id from Python: a non-negative `int` or a non-empty `str`.
pub fn id_from_py(obj: &Bound<'_, PyAny>) -> PyResult<PropertyId> {
    let record = RecordRef::Other("lookup".into());
    let mode = Mode {
        record: &record,
        nan_is_missing: false,
    };
    if obj.cast::<PyBool>().is_ok()
        || !(obj.is_instance_of::<PyInt>()
            || obj.is_instance_of::<PyString>()
            || obj.hasattr("__index__")?)
    {
        return Err(wrong_type(mode, "id", obj, "int or str"));
    }
    let value = to_value(obj, mode, "id")?;
    serde_json::from_value::<PropertyId>(value.clone()).map_err(|_| {
        errors::to_py(MiraError::invalid(
            record.clone(),
            "id",
            value,
            "a non-negative integer or a non-empty string",
        ))
    })
}

/// Listing ids from a Python iterable (a single id is accepted too).
pub fn ids_from_py(obj: &Bound<'_, PyAny>) -> PyResult<Vec<PropertyId>> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyInt>() {
        return Ok(vec![id_from_py(obj)?]);
    }
    let iter = obj.try_iter().map_err(|_| {
        errors::type_error(format!(
            "expected a list of ids (int or str), got {}",
            type_name(obj)
        ))
    })?;
    iter.map(|item| id_from_py(&item?)).collect()
}

/// A listing id → Python (`int` or `str`, as given).
pub fn id_to_py<'py>(py: Python<'py>, id: &PropertyId) -> PyResult<Bound<'py, PyAny>> {
    Ok(match id {
        PropertyId::Int(i) => i.into_pyobject(py)?.into_any(),
        PropertyId::Str(s) => PyString::new(py, s).into_any(),
    })
}

/// A non-negative count argument (`k`, `offset`).
pub fn count(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<usize> {
    let record = RecordRef::Other("request".into());
    if obj.cast::<PyBool>().is_ok()
        || !(obj.is_instance_of::<PyInt>() || obj.hasattr("__index__")?)
    {
        let mode = Mode {
            record: &record,
            nan_is_missing: false,
        };
        return Err(wrong_type(mode, name, obj, "int"));
    }
    match obj.extract::<i64>() {
        Ok(n) if n >= 0 => Ok(n as usize),
        _ => Err(errors::to_py(MiraError::invalid(
            record,
            name,
            obj.str()?.to_string(),
            "a whole number ≥ 0",
        ))),
    }
}
