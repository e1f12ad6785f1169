//! The shared bad-input table (`fixtures/bad-inputs/cases.json`), run
//! against the core. The Python and Node suites run the same table through
//! their bindings and expect the same codes and messages.
//!
//! JSON cannot hold NaN or infinities, so `{"$float": "nan"}` markers in
//! listings and preferences are set on the typed struct after parsing the
//! rest (the bindings turn them into real NaN / Infinity values).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use agent_mira::catalog::loaders::{self, LoadOptions};
use agent_mira::model::ValuationModel;
use agent_mira::{
    Catalog, Engine, MiraError, Preferences, Profile, Property, RecordRef, TreeEnsemble,
};
use serde_json::{Map, Value};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A marker for a float JSON cannot hold.
const FLOAT_MARK: &str = "\u{0}$float:";

/// Expand the table's generators (see fixtures/bad-inputs/README.md).
fn expand(v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().map(expand).collect()),
        Value::Object(map) => {
            if let Some(s) = map.get("$string") {
                let times = map["times"].as_u64().unwrap() as usize;
                return Value::String(s.as_str().unwrap().repeat(times));
            }
            if let Some(item) = map.get("$array") {
                let times = map["times"].as_u64().unwrap() as usize;
                let item = expand(item);
                return Value::Array(vec![item; times]);
            }
            if let Some(f) = map.get("$float") {
                return Value::String(format!("{FLOAT_MARK}{}", f.as_str().unwrap()));
            }
            if let Some(parts) = map.get("$concat") {
                let mut out = String::new();
                for p in parts.as_array().unwrap() {
                    out.push_str(expand(p).as_str().unwrap());
                }
                return Value::String(out);
            }
            if let Some(n) = map.get("$nest") {
                let key = map["key"].as_str().unwrap();
                let mut v = expand(&map["leaf"]);
                for _ in 0..n.as_u64().unwrap() {
                    let mut m = Map::new();
                    m.insert(key.to_string(), v);
                    v = Value::Object(m);
                }
                return v;
            }
            if let Some(spec) = map.get("$object") {
                let prefix = expand(&spec["prefix"]);
                let prefix = prefix.as_str().unwrap();
                let value = expand(&spec["value"]);
                let mut m = Map::new();
                for i in 0..spec["times"].as_u64().unwrap() {
                    m.insert(format!("{prefix}{i}"), value.clone());
                }
                return Value::Object(m);
            }
            if let Some(file) = map.get("$file") {
                let text = std::fs::read_to_string(root().join(file.as_str().unwrap())).unwrap();
                let r = map["replace"].as_array().unwrap();
                let (from, to) = (r[0].as_str().unwrap(), r[1].as_str().unwrap());
                let changed = text.replacen(from, to, 1);
                assert_ne!(changed, text, "the $file replacement changed nothing");
                return Value::String(changed);
            }
            Value::Object(map.iter().map(|(k, v)| (k.clone(), expand(v))).collect())
        }
        other => other.clone(),
    }
}

fn float_of(v: &Value) -> Option<f64> {
    let s = v.as_str()?.strip_prefix(FLOAT_MARK)?;
    Some(match s {
        "nan" => f64::NAN,
        "inf" => f64::INFINITY,
        "-inf" => f64::NEG_INFINITY,
        other => panic!("unknown $float {other}"),
    })
}

/// Take the special floats out of an object: (path, value).
fn take_floats(map: &mut Map<String, Value>) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    let keys: Vec<String> = map.keys().cloned().collect();
    for k in keys {
        if let Some(f) = float_of(&map[&k]) {
            // A valid placeholder (the field may be required), set later.
            map.insert(k.clone(), Value::from(1.0));
            out.push((k, f));
        } else if let Some(Value::Object(inner)) = map.get_mut(&k) {
            for (p, f) in take_floats(inner) {
                out.push((format!("{k}.{p}"), f));
            }
        }
    }
    out
}

fn set_listing_float(p: &mut Property, field: &str, x: f64) {
    let slot = match field {
        "price" => {
            p.price = x;
            return;
        }
        "latitude" => &mut p.latitude,
        "longitude" => &mut p.longitude,
        "bathrooms" => &mut p.bathrooms,
        "size_sqft" => &mut p.size_sqft,
        "lot_sqft" => &mut p.lot_sqft,
        "school_rating" => &mut p.school_rating,
        "commute_time" => &mut p.commute_time,
        other => panic!("no float field {other} in a listing"),
    };
    *slot = Some(x);
}

fn set_prefs_float(p: &mut Preferences, field: &str, x: f64) {
    if let Some(name) = field.strip_prefix("weights.") {
        p.weights
            .get_or_insert_with(BTreeMap::new)
            .insert(name.to_string(), x);
        return;
    }
    let slot = match field {
        "budget" => &mut p.budget,
        "min_bathrooms" => &mut p.min_bathrooms,
        "min_size_sqft" => &mut p.min_size_sqft,
        "max_commute_time" => &mut p.max_commute_time,
        "min_school_rating" => &mut p.min_school_rating,
        other => panic!("no float field {other} in preferences"),
    };
    *slot = Some(x);
}

fn year() -> i32 {
    2025
}

fn options() -> LoadOptions<'static> {
    LoadOptions::new().builder(Catalog::builder().current_year(year()))
}

fn engine() -> Engine {
    let mut b = Catalog::builder().current_year(year());
    for (id, price) in [(1u64, 400_000.0), (2, 520_000.0), (3, 380_000.0)] {
        b.push(Property::new(id, price)).unwrap();
    }
    Engine::builder(b.build()).current_year(year()).build()
}

fn prefs(v: Value) -> agent_mira::Result<Preferences> {
    let Value::Object(mut map) = v else {
        return Preferences::from_json(v);
    };
    let floats = take_floats(&mut map);
    let mut p = Preferences::from_json(Value::Object(map))?;
    for (field, x) in floats {
        set_prefs_float(&mut p, &field, x);
    }
    p.validate()?;
    Ok(p)
}

fn listings(records: Vec<Value>) -> agent_mira::Result<Catalog> {
    if !records.iter().any(|r| {
        r.as_object()
            .is_some_and(|m| m.values().any(|v| float_of(v).is_some()))
    }) {
        return loaders::from_values(records, options());
    }
    let mut b = Catalog::builder().current_year(year());
    for (i, r) in records.into_iter().enumerate() {
        let Value::Object(mut map) = r else {
            panic!("records with $float must be objects")
        };
        let floats = take_floats(&mut map);
        let at = RecordRef::Index(i);
        let mut p = Property::from_json(Value::Object(map), &at, year())?;
        for (field, x) in floats {
            set_listing_float(&mut p, &field, x);
        }
        b.push_at(p, at)?;
    }
    Ok(b.build())
}

fn run(kind: &str, input: Value, dir: &Path) -> agent_mira::Result<()> {
    let write = |input: &Value| -> PathBuf {
        let path = dir.join(input["file"].as_str().unwrap());
        std::fs::write(&path, input["text"].as_str().unwrap()).unwrap();
        path
    };
    match kind {
        "listings" => {
            let Value::Array(records) = input else {
                panic!("listings input must be an array")
            };
            listings(records).map(drop)
        }
        "preferences" => engine().recommend(&prefs(input)?, 3).map(drop),
        "request" => {
            let p = prefs(input["prefs"].clone())?;
            let k = input["k"].as_u64().unwrap() as usize;
            let offset = input["offset"].as_u64().unwrap() as usize;
            engine().recommend_page(&p, k, offset).map(drop)
        }
        "batch" => {
            let list = input["prefs"]
                .as_array()
                .unwrap()
                .iter()
                .enumerate()
                .map(|(i, p)| prefs(p.clone()).map_err(|e| e.at_request(i)))
                .collect::<agent_mira::Result<Vec<_>>>()?;
            let k = input["k"].as_u64().unwrap() as usize;
            engine().recommend_batch(&list, k).map(drop)
        }
        "profile" => Profile::from_json(input).map(drop),
        "catalog_file" => loaders::load_path_with(write(&input), options()).map(drop),
        "snapshot_file" => Catalog::load(write(&input)).map(drop),
        "model_file" => {
            let path = write(&input);
            match input["format"].as_str().unwrap() {
                "lightgbm" => TreeEnsemble::from_lightgbm_file(&path).map(drop),
                "xgboost" => TreeEnsemble::from_xgboost_file(&path).map(drop),
                "mira" => ValuationModel::load(&path).map(drop),
                other => panic!("unknown model format {other}"),
            }
        }
        other => panic!("unknown kind {other}"),
    }
}

fn error_field(err: &MiraError) -> Option<&str> {
    match err {
        MiraError::InvalidField { field, .. }
        | MiraError::MissingField { field, .. }
        | MiraError::UnknownField { field, .. } => Some(field),
        _ => None,
    }
}

#[test]
fn every_shared_bad_input_is_refused_with_its_code_and_field() {
    let table: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("fixtures/bad-inputs/cases.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(table["current_year"], year());
    let cases = table["cases"].as_array().unwrap();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let kind = case["kind"].as_str().unwrap();
        let code = case["code"].as_str().unwrap();
        let field = case.get("field").and_then(Value::as_str);
        let suggestion = case.get("suggestion").and_then(Value::as_str);
        let input = expand(&case["input"]);
        let err = match run(kind, input, dir.path()) {
            Ok(()) => {
                failures.push(format!("{name}: accepted, expected {code}"));
                continue;
            }
            Err(e) => e,
        };
        let message = err.to_string();
        if err.code() != code {
            failures.push(format!(
                "{name}: code {} (expected {code}): {message}",
                err.code()
            ));
            continue;
        }
        if let Some(field) = field {
            if error_field(&err).is_some_and(|f| f != field) {
                failures.push(format!(
                    "{name}: field {:?} (expected {field:?}): {message}",
                    error_field(&err)
                ));
            }
        }
        if let (
            Some(s),
            MiraError::UnknownField {
                suggestion: got, ..
            },
        ) = (suggestion, &err)
        {
            if got.as_deref() != Some(s) {
                failures.push(format!("{name}: suggestion {got:?} (expected {s:?})"));
            }
        }
        for part in case["message"].as_array().unwrap() {
            let want = part
                .as_str()
                .unwrap()
                .replace("{field}", field.unwrap_or("{field}"))
                .replace("{suggestion}", suggestion.unwrap_or("{suggestion}"));
            if !message.contains(&want) {
                failures.push(format!("{name}: message lacks {want:?}: {message}"));
            }
        }
        // Messages stay readable: a huge value is shortened.
        if message.len() > 2000 {
            failures.push(format!("{name}: message of {} bytes", message.len()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
