//! One spec, one model, whatever the entry point: the training specs of
//! `fixtures/training/parity.json` give, through the core's two entry
//! points and through `mira train`, exactly the predictions of
//! `fixtures/training/expected.json` (which the Python and Node tests check
//! too), and its bad specs fail with the same message everywhere.

mod common;

use std::process::Command;

use agent_mira::model::{train_matrix, train_price_model, Holdout, TrainConfig, TrainSpec};
use agent_mira::Catalog;
use ndarray::{Array1, Array2};
use serde_json::{json, Value};

fn parity() -> Value {
    let path = common::fixtures().join("training/parity.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn matrix(m: &Value) -> (Array2<f64>, Array1<f64>, Vec<String>) {
    let rows = m["x"].as_array().unwrap();
    let width = rows[0].as_array().unwrap().len();
    let data: Vec<f64> = rows
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter())
        .map(|v| v.as_f64().unwrap_or(f64::NAN))
        .collect();
    let x = Array2::from_shape_vec((rows.len(), width), data).unwrap();
    let y: Array1<f64> = m["y"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    let names = serde_json::from_value(m["feature_names"].clone()).unwrap();
    (x, y, names)
}

fn sample_catalog(c: &Value) -> Catalog {
    Catalog::from_path(common::fixtures().join(c["path"].as_str().unwrap())).unwrap()
}

fn catalog_config(c: &Value, spec: TrainSpec) -> TrainConfig {
    TrainConfig {
        name: c["name"].as_str().unwrap().into(),
        spec,
        holdout: Holdout::from_json(c["holdout"].clone()).unwrap(),
        current_year: c["current_year"].as_i64().unwrap() as i32,
        ..TrainConfig::default()
    }
}

/// What every entry point must reproduce, computed by the core.
fn computed(p: &Value) -> Value {
    let (x, y, names) = matrix(&p["matrix"]);
    let catalog = sample_catalog(&p["catalog"]);
    let mut cases = Vec::new();
    for raw in p["specs"].as_array().unwrap() {
        let spec = TrainSpec::from_json(raw.clone()).unwrap();
        let name = p["matrix"]["name"].as_str().unwrap();
        let on_matrix = train_matrix(x.view(), y.view(), names.clone(), &spec, name, None)
            .unwrap()
            .model;
        let on_catalog = train_price_model(&catalog, &catalog_config(&p["catalog"], spec), None)
            .unwrap()
            .model;
        assert_eq!(on_matrix.card().origin, on_catalog.card().origin);
        assert_eq!(on_matrix.card().params, on_catalog.card().params);
        cases.push(json!({
            "spec": raw,
            "origin": on_matrix.card().origin,
            "params": on_matrix.card().params,
            "matrix_predictions": on_matrix.predict_matrix(x.view()).unwrap().to_vec(),
            "catalog_predictions": on_catalog.predict_catalog(&catalog).unwrap(),
        }));
    }
    Value::Array(cases)
}

#[test]
fn the_core_gives_the_expected_models() {
    let p = parity();
    let got = computed(&p);
    let path = common::fixtures().join("training/expected.json");
    if std::env::var_os("MIRA_BLESS").is_some() {
        let text = serde_json::to_string_pretty(&got).unwrap() + "\n";
        agent_mira::write_atomic(&path, |w| std::io::Write::write_all(w, text.as_bytes())).unwrap();
        return;
    }
    let expected: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        got, expected,
        "training parity differs (MIRA_BLESS=1 regenerates after an intended change)"
    );
}

#[test]
fn defaults_are_those_the_expected_file_records() {
    // `elastic_net` without parameters: the documented defaults.
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(common::fixtures().join("training/expected.json")).unwrap(),
    )
    .unwrap();
    let net = expected
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["spec"] == json!({"kind": "elastic_net"}))
        .unwrap();
    assert_eq!(
        net["params"],
        json!({"kind": "elastic_net", "params": {
            "alpha": 0.001, "l1_ratio": 0.5, "log_target": true,
            "max_iterations": 10000, "tolerance": 1e-6
        }})
    );
    assert_eq!(net["origin"], "agent-mira linfa elastic_net");
}

fn mira_train(spec: &Value, out: &std::path::Path, c: &Value) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mira"));
    cmd.arg("train")
        .arg(common::fixtures().join(c["path"].as_str().unwrap()))
        .arg("--out")
        .arg(out)
        .args(["--holdout", "none", "--name", c["name"].as_str().unwrap()])
        .args(["--current-year", &c["current_year"].to_string()]);
    if let Some(kind) = spec.get("kind") {
        cmd.args(["--kind", kind.as_str().unwrap()]);
    }
    if let Some(params) = spec.get("params") {
        cmd.args(["--params", &params.to_string()]);
    }
    let output = cmd.output().unwrap();
    (
        output.status.success(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn the_cli_trains_the_same_models() {
    let p = parity();
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(common::fixtures().join("training/expected.json")).unwrap(),
    )
    .unwrap();
    let catalog = sample_catalog(&p["catalog"]);
    let dir = tempfile::tempdir().unwrap();
    for (i, case) in expected.as_array().unwrap().iter().enumerate() {
        let out = dir.path().join(format!("m{i}.json"));
        let (ok, err) = mira_train(&case["spec"], &out, &p["catalog"]);
        assert!(ok, "{err}");
        let model = agent_mira::model::ValuationModel::load(&out).unwrap();
        assert_eq!(model.card().origin, case["origin"]);
        assert_eq!(model.card().params, case["params"]);
        let predictions = serde_json::to_value(model.predict_catalog(&catalog).unwrap()).unwrap();
        assert_eq!(predictions, case["catalog_predictions"], "{}", case["spec"]);
    }
}

#[test]
fn bad_specs_fail_with_the_same_message_in_the_core_and_the_cli() {
    let p = parity();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("never.json");
    for case in p["bad_specs"].as_array().unwrap() {
        let message = case["message"].as_str().unwrap();
        let err = TrainSpec::from_json(case["spec"].clone()).unwrap_err();
        assert_eq!(err.to_string(), message);
        let (ok, err) = mira_train(&case["spec"], &out, &p["catalog"]);
        assert!(!ok);
        assert_eq!(err.trim(), format!("error: {message}"));
        assert!(!out.exists());
    }
}

/// The kinds-and-defaults table, rendered from the core's own defaults.
fn defaults_table() -> String {
    let learners = [
        ("gbdt", "histogram gradient-boosted trees"),
        ("ols", "ordinary least squares"),
        ("ridge", "L2-penalised least squares"),
        ("elastic_net", "L1 + L2 penalised least squares"),
    ];
    assert_eq!(
        learners.map(|(k, _)| k).as_slice(),
        agent_mira::model::TRAIN_KINDS
    );
    let mut table = String::from("| kind | learner | parameters (default) |\n|---|---|---|\n");
    for (kind, learner) in learners {
        let spec = TrainSpec::from_json(json!({ "kind": kind })).unwrap();
        let value = serde_json::to_value(&spec).unwrap();
        let params: Vec<String> = value["params"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("`{k}` ({v})"))
            .collect();
        table += &format!("| `{kind}` | {learner} | {} |\n", params.join(", "));
    }
    table
}

#[test]
fn kinds_and_defaults_are_documented_once_and_repeated_verbatim() {
    let table = defaults_table();
    let root = common::fixtures().join("..");
    let spec_docs: String = std::fs::read_to_string(root.join("core/src/model/spec.rs"))
        .unwrap()
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            l.strip_prefix("/// ").or(l.strip_prefix("///"))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    for (name, text) in [
        ("core/src/model/spec.rs (TrainSpec docs)", spec_docs),
        (
            "bindings-python/README.md",
            std::fs::read_to_string(root.join("bindings-python/README.md")).unwrap(),
        ),
        (
            "bindings-node/README.md",
            std::fs::read_to_string(root.join("bindings-node/README.md")).unwrap(),
        ),
    ] {
        assert!(
            text.contains(&table),
            "{name} must hold the training table exactly as the core's defaults give it:\n{table}"
        );
    }
}
