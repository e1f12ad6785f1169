//! Golden cases shared with the Python and Node suites: the same requests
//! must give byte-for-byte the same answers in every language.

mod common;

use agent_mira::model::ValuationModel;
use agent_mira::scoring::Profile;
use agent_mira::{Catalog, Engine, Preferences};
use serde_json::Value;

fn run_case(case: &Value) -> Value {
    let fixtures = common::fixtures();
    let catalog = Catalog::from_path(fixtures.join(case["catalog"].as_str().unwrap())).unwrap();
    let profile = match &case["profile"] {
        Value::String(name) => Profile::by_name(name).unwrap(),
        other => Profile::from_json(other.clone()).unwrap(),
    };
    let mut builder = Engine::builder(catalog)
        .profile(profile)
        .current_year(case["current_year"].as_i64().unwrap() as i32);
    if let Some(model) = case["model"].as_str() {
        builder = builder.model(ValuationModel::load(fixtures.join(model)).unwrap());
    }
    let engine = builder.try_build().unwrap();
    let prefs = Preferences::from_json(case["preferences"].clone()).unwrap();
    let k = case["k"].as_u64().unwrap() as usize;
    let offset = case["offset"].as_u64().unwrap() as usize;
    serde_json::to_value(engine.recommend_page(&prefs, k, offset).unwrap()).unwrap()
}

#[test]
fn golden_cases_match_exactly() {
    let dir = common::fixtures().join("golden");
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("cases.json")).unwrap()).unwrap();
    assert!(cases.len() >= 10);
    let bless = std::env::var_os("MIRA_BLESS").is_some();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let got = run_case(case);
        let path = dir.join("expected").join(format!("{name}.json"));
        if bless {
            let text = serde_json::to_string_pretty(&got).unwrap() + "\n";
            agent_mira::write_atomic(&path, |w| std::io::Write::write_all(w, text.as_bytes()))
                .unwrap();
            continue;
        }
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(
            got, expected,
            "golden case {name} differs (MIRA_BLESS=1 regenerates after an intended change)"
        );
    }
}

#[test]
fn golden_case_study_values_were_checked_by_hand() {
    // The first case-study golden answer, recomputed from the formula.
    let dir = common::fixtures().join("golden/expected");
    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("case-study-sample.json")).unwrap())
            .unwrap();
    let r101 = expected
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == 101)
        .unwrap();
    let by_hand = 0.30 * (100.0 - (725_000.0 - 700_000.0) / 700_000.0 * 100.0)
        + 0.20 * 100.0
        + 0.15 * (8.5 / 10.0 * 100.0)
        + 0.15 * 80.0
        + 0.10 * 40.0
        + 0.10 * (1.0 / 3.0 * 100.0);
    assert_eq!(r101["score"].as_f64().unwrap(), by_hand);
    let nothing: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("nothing-matches.json")).unwrap())
            .unwrap();
    assert_eq!(nothing, Value::Array(vec![]));
}
