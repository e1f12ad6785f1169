//! Imported price models predict what their origin library predicts.
//!
//! The fixtures in `fixtures/models/` were made by `make_fixtures.py` with
//! the library versions in `requirements.txt`; each `*.check.json` holds
//! rows (NaN as null) and the origin's own predictions. No Python is needed.

use std::path::PathBuf;

use agent_mira::model::{
    OutputTransform, PriceModel, SklearnAggregation, SklearnHistTree, SklearnTree, SplitRule,
};
use agent_mira::{LinearModel, MiraError, TreeEnsemble};
use ndarray::Array2;
use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/models")
}

fn read_json(name: &str) -> Value {
    let path = dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn f(v: &Value) -> f64 {
    match v {
        Value::Null => f64::NAN,
        Value::String(s) if s == "inf" => f64::INFINITY,
        Value::String(s) if s == "-inf" => f64::NEG_INFINITY,
        _ => v.as_f64().unwrap(),
    }
}

fn fs(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(f).collect()
}

fn is(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_i64().unwrap())
        .collect()
}

fn bools(v: &Value) -> Vec<bool> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_bool().unwrap_or_else(|| x.as_i64().unwrap() != 0))
        .collect()
}

fn bitsets(v: &Value) -> Vec<[u32; 8]> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|row| {
            let w: Vec<u32> = row
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_u64().unwrap() as u32)
                .collect();
            w.try_into().unwrap()
        })
        .collect()
}

fn load_model(check: &Value) -> PriceModel {
    let file = check["model"].as_str().unwrap();
    let names: Vec<String> = check["feature_names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    match check["origin"].as_str().unwrap() {
        "lightgbm" => TreeEnsemble::from_lightgbm_file(dir().join(file))
            .unwrap()
            .into(),
        "xgboost" => TreeEnsemble::from_xgboost_file(dir().join(file))
            .unwrap()
            .into(),
        "sklearn" => {
            let m = read_json(file);
            let trees: Vec<SklearnTree> = m["trees"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| SklearnTree {
                    children_left: is(&t["children_left"]),
                    children_right: is(&t["children_right"]),
                    feature: is(&t["feature"]),
                    threshold: fs(&t["threshold"]),
                    value: fs(&t["value"]),
                    missing_go_to_left: Some(bools(&t["missing_go_to_left"])),
                })
                .collect();
            let agg = match m["aggregation"].as_str().unwrap() {
                "single" => SklearnAggregation::Single,
                "average" => SklearnAggregation::Average,
                _ => SklearnAggregation::GradientBoosting {
                    init: f(&m["init"]),
                    learning_rate: f(&m["learning_rate"]),
                },
            };
            // GradientBoostingRegressor does not route NaN; it never sees one.
            TreeEnsemble::from_sklearn_trees(&trees, agg, names.len(), names)
                .unwrap()
                .into()
        }
        "sklearn_hist" => {
            let m = read_json(file);
            let trees: Vec<SklearnHistTree> = m["trees"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| SklearnHistTree {
                    value: fs(&t["value"]),
                    feature_idx: is(&t["feature_idx"])
                        .into_iter()
                        .map(|x| x as u32)
                        .collect(),
                    num_threshold: fs(&t["num_threshold"]),
                    missing_go_to_left: bools(&t["missing_go_to_left"]),
                    left: is(&t["left"]).into_iter().map(|x| x as u32).collect(),
                    right: is(&t["right"]).into_iter().map(|x| x as u32).collect(),
                    is_leaf: bools(&t["is_leaf"]),
                    is_categorical: bools(&t["is_categorical"]),
                    bitset_idx: is(&t["bitset_idx"]).into_iter().map(|x| x as u32).collect(),
                    raw_left_cat_bitsets: bitsets(&t["raw_left_cat_bitsets"]),
                })
                .collect();
            let categories: Vec<Option<Vec<f64>>> = m["categories"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| (!c.is_null()).then(|| fs(c)))
                .collect();
            let link = match m["link"].as_str().unwrap() {
                "exp" => OutputTransform::Exp,
                _ => OutputTransform::Identity,
            };
            TreeEnsemble::from_sklearn_hist_gradient_boosting(
                &trees,
                f(&m["baseline"]),
                link,
                &categories,
                names.len(),
                names,
            )
            .unwrap()
            .into()
        }
        "sklearn_linear" => {
            let m = read_json(file);
            LinearModel::new(fs(&m["coef"]), f(&m["intercept"]), names)
                .unwrap()
                .into()
        }
        other => panic!("unknown origin {other}"),
    }
}

fn rows_of(check: &Value) -> Array2<f64> {
    let rows = check["rows"].as_array().unwrap();
    let width = rows[0].as_array().unwrap().len();
    let flat: Vec<f64> = rows.iter().flat_map(fs).collect();
    Array2::from_shape_vec((rows.len(), width), flat).unwrap()
}

/// Load a fixture, predict its rows one by one and in a batch, and return
/// the largest relative error against the origin's predictions.
fn check_fixture(name: &str, tolerance: f64) -> f64 {
    let check = read_json(&format!("{name}.check.json"));
    let model = load_model(&check);
    let rows = rows_of(&check);
    let expected = fs(&check["predictions"]);
    assert_eq!(rows.nrows(), expected.len());
    assert!(rows.nrows() >= 200, "{name}: only {} rows", rows.nrows());
    let names: Vec<&str> = check["feature_names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(model.feature_names(), names.as_slice(), "{name}");
    let batch = model.predict_batch(rows.view()).unwrap();
    let mut max_rel: f64 = 0.0;
    let mut exact = 0;
    for (i, want) in expected.iter().enumerate() {
        let got = model.predict_row(rows.row(i).as_slice().unwrap()).unwrap();
        assert_eq!(
            got.to_bits(),
            batch[i].to_bits(),
            "{name} row {i}: row vs batch"
        );
        let rel = (got - want).abs() / want.abs().max(1e-300);
        assert!(
            rel <= tolerance,
            "{name} row {i}: got {got:?}, origin {want:?} (relative error {rel:e}), row {:?}",
            rows.row(i)
        );
        if got == *want {
            exact += 1;
        }
        max_rel = max_rel.max(rel);
    }
    // The model must survive a serde round trip with identical predictions.
    let json = serde_json::to_string(&model).unwrap();
    let back: PriceModel = serde_json::from_str(&json).unwrap();
    assert_eq!(back, model, "{name}: serde round trip");
    let again = back.predict_batch(rows.view()).unwrap();
    assert!(again
        .iter()
        .zip(batch.iter())
        .all(|(a, b)| a.to_bits() == b.to_bits()));
    println!(
        "{name}: {} rows, {exact} bit-exact, max relative error {max_rel:e}",
        expected.len()
    );
    max_rel
}

macro_rules! fixture_tests {
    ($($test:ident: $name:literal, $tol:expr;)*) => {$(
        #[test]
        fn $test() {
            check_fixture($name, $tol);
        }
    )*};
}

const LGB: f64 = 1e-9;
const XGB: f64 = 1e-5;
const SK: f64 = 1e-12;

fixture_tests! {
    lightgbm_l2_with_missing_values: "lgb_l2", LGB;
    lightgbm_zero_as_missing: "lgb_zero_missing", LGB;
    lightgbm_regression_sqrt: "lgb_sqrt", LGB;
    lightgbm_huber: "lgb_huber", LGB;
    lightgbm_l1: "lgb_l1", LGB;
    lightgbm_quantile: "lgb_quantile", LGB;
    lightgbm_poisson: "lgb_poisson", LGB;
    lightgbm_gamma: "lgb_gamma", LGB;
    lightgbm_tweedie: "lgb_tweedie", LGB;
    lightgbm_random_forest: "lgb_rf", LGB;
    lightgbm_categorical_bitsets: "lgb_categorical", LGB;
    lightgbm_categorical_one_hot: "lgb_categorical_onehot", LGB;
    xgboost_squared_error_with_missing_values: "xgb_squarederror", XGB;
    xgboost_absolute_error: "xgb_absoluteerror", XGB;
    xgboost_squared_log_error: "xgb_squaredlogerror", XGB;
    xgboost_pseudo_huber: "xgb_pseudohuber", XGB;
    xgboost_quantile: "xgb_quantile", XGB;
    xgboost_gamma: "xgb_gamma", XGB;
    xgboost_poisson: "xgb_poisson", XGB;
    xgboost_tweedie: "xgb_tweedie", XGB;
    xgboost_explicit_base_score: "xgb_base_score", XGB;
    xgboost_forest: "xgb_forest", XGB;
    xgboost_categorical_partition: "xgb_categorical", XGB;
    xgboost_categorical_one_hot: "xgb_categorical_onehot", XGB;
    sklearn_decision_tree: "sk_decision_tree", SK;
    sklearn_random_forest: "sk_random_forest", SK;
    sklearn_extra_trees: "sk_extra_trees", SK;
    sklearn_gradient_boosting: "sk_gradient_boosting", SK;
    sklearn_hist_gradient_boosting: "sk_hist_gb", SK;
    sklearn_hist_gradient_boosting_poisson: "sk_hist_gb_poisson", SK;
    sklearn_linear_regression: "sk_linear", 1e-9;
}

#[test]
fn fixture_models_keep_their_objective_and_rule() {
    let m = TreeEnsemble::from_lightgbm_file(dir().join("lgb_sqrt.txt")).unwrap();
    assert_eq!(m.rule(), SplitRule::LightGbm);
    assert_eq!(m.objective(), "regression sqrt");
    assert_eq!(m.transform(), OutputTransform::SignedSquare);
    assert_eq!(m.num_trees(), 30);
    assert_eq!(m.num_features(), 12);
    assert_eq!(m.feature_names()[2], "sqft_living");
    let rf = TreeEnsemble::from_lightgbm_file(dir().join("lgb_rf.txt")).unwrap();
    assert_eq!(rf.divisor(), Some(25.0));
    let x = TreeEnsemble::from_xgboost_file(dir().join("xgb_gamma.json")).unwrap();
    assert_eq!(x.rule(), SplitRule::XgBoost);
    assert_eq!(x.transform(), OutputTransform::Exp);
    assert_eq!(x.objective(), "reg:gamma");
    let forest = TreeEnsemble::from_xgboost_file(dir().join("xgb_forest.json")).unwrap();
    assert_eq!(forest.num_trees(), 12);
}

#[test]
fn parallel_and_sequential_batches_are_bit_identical() {
    let check = read_json("lgb_categorical.check.json");
    let model = load_model(&check);
    let PriceModel::TreeEnsemble(model) = model else {
        panic!()
    };
    let rows = rows_of(&check);
    let n = 20_000;
    let big = Array2::from_shape_fn((n, rows.ncols()), |(i, j)| rows[[i % rows.nrows(), j]]);
    let par = model.predict_batch(big.view()).unwrap();
    let seq = model.predict_batch_sequential(big.view()).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    let par3 = pool.install(|| model.predict_batch(big.view()).unwrap());
    // A column-major copy goes through the gather path.
    let fortran = big.t().as_standard_layout().t().to_owned();
    let par_f = model.predict_batch(fortran.view()).unwrap();
    let want = fs(&check["predictions"]);
    for i in 0..n {
        assert_eq!(par[i].to_bits(), seq[i].to_bits(), "row {i}");
        assert_eq!(par3[i].to_bits(), seq[i].to_bits(), "row {i}");
        assert_eq!(par_f[i].to_bits(), seq[i].to_bits(), "row {i}");
        let w = want[i % rows.nrows()];
        assert!(
            (seq[i] - w).abs() <= 1e-9 * w.abs(),
            "row {i}: {} vs {w}",
            seq[i]
        );
    }
}

// ------------------------------------------------------------------ refusals

fn lgb_text(objective: &str, extra_tree_lines: &str) -> String {
    format!(
        "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\nmax_feature_idx=1\n\
         objective={objective}\nfeature_names=sqft_living grade\nfeature_infos=[1:2] [1:2]\ntree_sizes=100\n\n\
         Tree=0\nnum_leaves=3\nnum_cat=0\nsplit_feature=0 1\nsplit_gain=1 1\nthreshold=1500 7.5\n\
         decision_type=2 10\nleft_child=-1 -2\nright_child=1 -3\nleaf_value=300000 450000 900000\n\
         {extra_tree_lines}shrinkage=1\n\n\nend of trees\n\nparameters:\nend of parameters\n"
    )
}

#[test]
fn a_handmade_lightgbm_model_routes_thresholds_and_nan() {
    let m = TreeEnsemble::from_lightgbm_str(&lgb_text("regression", "")).unwrap();
    assert_eq!(m.predict_row(&[1500.0, 9.0]).unwrap(), 300_000.0);
    assert_eq!(m.predict_row(&[1500.5, 7.5]).unwrap(), 450_000.0);
    assert_eq!(m.predict_row(&[1500.5, 8.0]).unwrap(), 900_000.0);
    // Node 1 has missing type NaN (decision_type 10 = 8 | 2: default left).
    assert_eq!(m.predict_row(&[2000.0, f64::NAN]).unwrap(), 450_000.0);
    // Node 0 has missing type None: NaN reads as 0.0 <= 1500, left.
    assert_eq!(m.predict_row(&[f64::NAN, 8.0]).unwrap(), 300_000.0);
    let poisson = TreeEnsemble::from_lightgbm_str(&lgb_text("poisson", "")).unwrap();
    assert_eq!(
        poisson.predict_row(&[0.0, 0.0]).unwrap(),
        300_000.0_f64.exp()
    );
}

#[test]
fn non_regression_lightgbm_objectives_are_refused_by_name() {
    for (objective, name) in [
        ("multiclass num_class:3", "multiclass"),
        ("lambdarank", "lambdarank"),
        ("binary sigmoid:1", "binary"),
        ("rank_xendcg", "rank_xendcg"),
    ] {
        let err = TreeEnsemble::from_lightgbm_str(&lgb_text(objective, "")).unwrap_err();
        assert!(matches!(err, MiraError::Unsupported { .. }), "{err}");
        assert!(
            err.to_string()
                .starts_with(&format!("unsupported LightGBM objective: {name} (")),
            "{err}"
        );
    }
    let text = lgb_text("multiclass num_class:3", "").replace("num_class=1", "num_class=3");
    let err = TreeEnsemble::from_lightgbm_str(&text).unwrap_err();
    assert_eq!(err.code(), "MIRA_UNSUPPORTED");
    assert!(err.to_string().contains("num_class=3"), "{err}");
}

#[test]
fn lightgbm_linear_trees_are_refused_by_name() {
    let err = TreeEnsemble::from_lightgbm_file(dir().join("lgb_linear_tree.txt")).unwrap_err();
    assert_eq!(err.code(), "MIRA_UNSUPPORTED");
    assert!(err.to_string().contains("linear_tree"), "{err}");
    let err =
        TreeEnsemble::from_lightgbm_str(&lgb_text("regression", "is_linear=1\n")).unwrap_err();
    assert!(
        err.to_string()
            .contains("unsupported LightGBM feature: linear_tree"),
        "{err}"
    );
}

#[test]
fn malformed_lightgbm_models_name_the_problem() {
    let base = lgb_text("regression", "");
    let cases = [
        (
            base.replace("split_feature=0 1", "split_feature=0"),
            "Tree=0: split_feature has 1 entry, expected 2",
        ),
        (
            base.replace("split_feature=0 1", "split_feature=0 5"),
            "split_feature[1] = 5 is beyond max_feature_idx 1",
        ),
        (
            base.replace("right_child=1 -3", "right_child=1 -9"),
            "right_child[1] = -9 refers to no node",
        ),
        (
            base.replace("right_child=1 -3", "right_child=7 -3"),
            "right_child[0] = 7 refers to no node",
        ),
        (
            base.replace("threshold=1500 7.5", "threshold=1500 abc"),
            "Tree=0: threshold[1] = `abc`: expected a number",
        ),
        (base.replace("end of trees", ""), "no `end of trees`"),
        ("hello\nworld\n".to_string(), "not a LightGBM text model"),
        (
            base.replace("max_feature_idx=1\n", ""),
            "missing `max_feature_idx`",
        ),
    ];
    for (text, needle) in cases {
        let err = TreeEnsemble::from_lightgbm_str(&text).unwrap_err();
        assert!(
            matches!(err, MiraError::Parse { .. } | MiraError::Corrupt { .. }),
            "{err}"
        );
        assert!(err.to_string().contains(needle), "{needle}: {err}");
    }
    // A cycle (split 1's right child is split 0, the root): a parse error naming
    // the line and column of the link, like every other wrong value of the text
    // (it was MIRA_CORRUPT without a place when the ensemble's validation found it).
    let cyc = base.replace("right_child=1 -3", "right_child=1 0");
    let err = TreeEnsemble::from_lightgbm_str(&cyc).unwrap_err();
    assert_eq!(err.code(), "MIRA_PARSE");
    assert_eq!(
        err.to_string(),
        "<lightgbm model>:20:15: Tree=0: right_child[1] = 0: split 0 is the tree's root: \
         expected each split and leaf to have one parent, and the root none"
    );
    // The parse error names the line.
    let err =
        TreeEnsemble::from_lightgbm_str(&base.replace("split_feature=0 1", "split_feature=0"))
            .unwrap_err();
    assert!(
        err.to_string().starts_with("<lightgbm model>:15:0: Tree=0"),
        "{err}"
    );
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let err = TreeEnsemble::from_lightgbm_file(dir().join("nope.txt")).unwrap_err();
    assert_eq!(err.code(), "MIRA_IO");
    assert!(err.to_string().contains("nope.txt"), "{err}");
    let err = TreeEnsemble::from_xgboost_file(dir().join("nope.json")).unwrap_err();
    assert_eq!(err.code(), "MIRA_IO");
}

#[test]
fn one_leaf_trees_predict_their_leaf() {
    let text = "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nmax_feature_idx=0\n\
                objective=regression\nfeature_names=x\n\nTree=0\nnum_leaves=1\nnum_cat=0\nsplit_feature=\n\
                split_gain=\nthreshold=\ndecision_type=\nleft_child=\nright_child=\nleaf_value=540000.25\n\
                shrinkage=1\n\n\nTree=1\nnum_leaves=1\nleaf_value=-0.25\n\nend of trees\n";
    let m = TreeEnsemble::from_lightgbm_str(text).unwrap();
    assert_eq!(m.predict_row(&[f64::NAN]).unwrap(), 540_000.0);
    let x = xgb_json(
        "reg:squarederror",
        "[5E5]",
        r#"{"left_children":[-1],"right_children":[-1],"split_indices":[0],"split_conditions":[125.5],"default_left":[0],"split_type":[0],"categories":[],"categories_nodes":[],"categories_segments":[],"categories_sizes":[]}"#,
    );
    let m = TreeEnsemble::from_xgboost_json_str(&x).unwrap();
    assert_eq!(m.predict_row(&[1.0]).unwrap(), 500_125.5);
}

// ------------------------------------------------------------------ XGBoost

fn xgb_json(objective: &str, base_score: &str, tree: &str) -> String {
    format!(
        r#"{{"learner":{{"feature_names":["sqft_living"],"learner_model_param":{{"base_score":"{base_score}","num_class":"0","num_feature":"1","num_target":"1"}},
        "objective":{{"name":"{objective}"}},"gradient_booster":{{"name":"gbtree","model":{{"trees":[{tree}],"tree_info":[0]}}}}}},"version":[3,2,0]}}"#
    )
}

const XGB_STUMP: &str = r#"{"left_children":[1,-1,-1],"right_children":[2,-1,-1],"split_indices":[0,0,0],"split_conditions":[1500.0,-1000.0,2000.0],"default_left":[1,0,0],"split_type":[0,0,0],"categories":[],"categories_nodes":[],"categories_segments":[],"categories_sizes":[]}"#;

#[test]
fn a_handmade_xgboost_model_goes_right_on_equality() {
    let m = TreeEnsemble::from_xgboost_json_str(&xgb_json("reg:squarederror", "5E5", XGB_STUMP))
        .unwrap();
    assert_eq!(m.predict_row(&[1500.0]).unwrap(), 502_000.0);
    assert_eq!(m.predict_row(&[1499.9]).unwrap(), 499_000.0);
    assert_eq!(m.predict_row(&[f64::NAN]).unwrap(), 499_000.0);
    let g = TreeEnsemble::from_xgboost_json_str(&xgb_json(
        "reg:gamma",
        "[2.0]",
        XGB_STUMP.replace("-1000.0", "0.5").as_str(),
    ))
    .unwrap();
    let want = (2.0_f32.ln() + 0.5_f32).exp();
    assert_eq!(g.predict_row(&[0.0]).unwrap(), f64::from(want));
}

#[test]
fn non_regression_xgboost_models_are_refused_by_name() {
    for objective in [
        "binary:logistic",
        "multi:softprob",
        "rank:ndcg",
        "survival:cox",
    ] {
        let err = TreeEnsemble::from_xgboost_json_str(&xgb_json(objective, "0.5", XGB_STUMP))
            .unwrap_err();
        assert_eq!(err.code(), "MIRA_UNSUPPORTED");
        assert!(err.to_string().contains(objective), "{err}");
    }
    let dart = xgb_json("reg:squarederror", "0.5", XGB_STUMP)
        .replace(r#""name":"gbtree""#, r#""name":"dart""#);
    let err = TreeEnsemble::from_xgboost_json_str(&dart).unwrap_err();
    assert!(
        err.to_string()
            .contains("unsupported XGBoost booster: dart"),
        "{err}"
    );
    let multi = xgb_json("reg:squarederror", "[1,2]", XGB_STUMP)
        .replace(r#""num_target":"1""#, r#""num_target":"2""#);
    let err = TreeEnsemble::from_xgboost_json_str(&multi).unwrap_err();
    assert!(err.to_string().contains("num_target=2"), "{err}");
}

#[test]
fn malformed_xgboost_models_name_the_problem() {
    let err = TreeEnsemble::from_xgboost_json_str("{\"learner\": [1,\n 2,").unwrap_err();
    assert!(matches!(err, MiraError::Parse { line: 2, .. }), "{err}");
    let cases = [
        (
            XGB_STUMP.replace("[2,-1,-1]", "[9,-1,-1]"),
            "at `learner.gradient_booster.model.trees[0].right_children[0]`: expected a child \
             node index in 1..=2 (the tree has 3 nodes), found 9",
        ),
        (
            XGB_STUMP.replace(r#""split_indices":[0,0,0]"#, r#""split_indices":[3,0,0]"#),
            "at `learner.gradient_booster.model.trees[0].split_indices[0]`: expected a feature \
             index below 1 (`learner.learner_model_param.num_feature`), found 3",
        ),
        (
            XGB_STUMP.replace(
                r#""split_conditions":[1500.0,-1000.0,2000.0]"#,
                r#""split_conditions":[1500.0]"#,
            ),
            "at `learner.gradient_booster.model.trees[0].split_conditions`: expected 3 entries \
             (one per node, as in `learner.gradient_booster.model.trees[0].left_children`), found 1",
        ),
        (
            XGB_STUMP
                .replace("[1,-1,-1]", "[1,2,-1]")
                .replace("[2,-1,-1]", "[2,2,-1]"),
            "at `learner.gradient_booster.model.trees[0].left_children[1]`: node 2 is already the \
             child of node 0 (`learner.gradient_booster.model.trees[0].right_children[0]`): \
             expected each node to have one parent, and the root none",
        ),
    ];
    for (tree, needle) in cases {
        let err = TreeEnsemble::from_xgboost_json_str(&xgb_json("reg:squarederror", "0.5", &tree))
            .unwrap_err();
        assert_eq!(err.code(), "MIRA_CORRUPT", "{err}");
        assert!(err.to_string().contains(needle), "{needle}: {err}");
        assert!(
            err.to_string()
                .starts_with("<xgboost model>: corrupt XGBoost model"),
            "{err}"
        );
    }
    let err = TreeEnsemble::from_xgboost_json_str(r#"{"learner":{}}"#).unwrap_err();
    assert!(
        err.to_string().contains(
            "at `learner.objective`: expected an object, found nothing (the key is missing)"
        ),
        "{err}"
    );
    let err =
        TreeEnsemble::from_xgboost_json_str(&xgb_json("reg:gamma", "0", XGB_STUMP)).unwrap_err();
    assert!(
        err.to_string().contains(
            "at `learner.learner_model_param.base_score`: expected a number > 0 for the \
             log-link objective reg:gamma, found a string `0`"
        ),
        "{err}"
    );
}

#[test]
fn tampered_serialised_models_are_refused() {
    let m: PriceModel =
        TreeEnsemble::from_xgboost_json_str(&xgb_json("reg:squarederror", "5E5", XGB_STUMP))
            .unwrap()
            .into();
    let json = serde_json::to_string(&m).unwrap();
    assert!(json.starts_with(r#"{"kind":"tree_ensemble""#), "{json}");
    let bad = json.replace(r#""feature":[0,0,0]"#, r#""feature":[4,0,0]"#);
    assert_ne!(bad, json);
    let err = serde_json::from_str::<PriceModel>(&bad).unwrap_err();
    assert!(err.to_string().contains("splits on feature 4"), "{err}");
}
