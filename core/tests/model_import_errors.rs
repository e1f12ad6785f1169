//! Malformed model files are refused with the place of the first wrong
//! value (a JSON path, or a line and column for LightGBM's text format, or
//! an argument path for scikit-learn arrays) and what was expected there.
//! Every message is asserted in full.

use agent_mira::model::{OutputTransform, SklearnAggregation, SklearnHistTree, SklearnTree};
use agent_mira::TreeEnsemble;
use serde_json::{json, Value};

// ------------------------------------------------------------------ XGBoost

/// A valid one-feature XGBoost stump (x < 1500 → -1000, else 2000).
fn xgb_doc() -> Value {
    json!({
        "learner": {
            "feature_names": ["sqft_living"],
            "learner_model_param": {"base_score": "5E5", "num_class": "0", "num_feature": "1", "num_target": "1"},
            "objective": {"name": "reg:squarederror"},
            "gradient_booster": {
                "name": "gbtree",
                "model": {
                    "gbtree_model_param": {"num_parallel_tree": "1", "num_trees": "1"},
                    "trees": [{
                        "id": 0,
                        "tree_param": {"num_nodes": "3", "size_leaf_vector": "1"},
                        "left_children": [1, -1, -1],
                        "right_children": [2, -1, -1],
                        "split_indices": [0, 0, 0],
                        "split_conditions": [1500.0, -1000.0, 2000.0],
                        "default_left": [1, 0, 0],
                        "split_type": [0, 0, 0],
                        "categories": [], "categories_nodes": [], "categories_segments": [], "categories_sizes": []
                    }]
                }
            }
        },
        "version": [3, 2, 0]
    })
}

const TREE: &str = "/learner/gradient_booster/model/trees/0";
const T: &str = "learner.gradient_booster.model.trees[0]";

/// The error importing the stump after setting (or, with `None`, removing)
/// the member at each JSON pointer.
fn xgb_error(changes: &[(&str, Option<Value>)]) -> String {
    let mut doc = xgb_doc();
    for (pointer, value) in changes {
        let pointer = pointer.replace("TREE", TREE);
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let parent = doc
            .pointer_mut(parent)
            .unwrap_or_else(|| panic!("{parent}"));
        match (parent, value) {
            (Value::Object(m), Some(v)) => {
                m.insert(key.to_string(), v.clone());
            }
            (Value::Object(m), None) => {
                m.remove(key).unwrap_or_else(|| panic!("{pointer}"));
            }
            (Value::Array(a), Some(v)) => a[key.parse::<usize>().unwrap()] = v.clone(),
            (other, _) => panic!("{pointer}: {other}"),
        }
    }
    let text = serde_json::to_string(&doc).unwrap();
    TreeEnsemble::from_xgboost_json_str(&text)
        .map(|_| String::from("accepted"))
        .unwrap_or_else(|e| e.to_string())
}

fn corrupt_xgb(reason: &str) -> String {
    format!(
        "<xgboost model>: corrupt XGBoost model: {}",
        reason.replace("T.", &format!("{T}."))
    )
}

#[test]
fn the_valid_xgboost_stump_imports() {
    assert_eq!(xgb_error(&[]), "accepted");
}

#[test]
fn xgboost_wrong_types_name_the_path_and_the_value_found() {
    let cases: Vec<(Vec<(&str, Option<Value>)>, &str)> = vec![
        (
            vec![("/learner", Some(json!("abc")))],
            "at `learner`: expected an object, found a string `abc`",
        ),
        (
            vec![("/learner/objective/name", Some(json!(5)))],
            "at `learner.objective.name`: expected a string, found a number `5`",
        ),
        (
            vec![("/learner/gradient_booster/name", Some(json!(["gbtree"])))],
            "at `learner.gradient_booster.name`: expected a string, found an array of 1 element",
        ),
        (
            vec![("/learner/learner_model_param", Some(json!([1, 2])))],
            "at `learner.learner_model_param`: expected an object, found an array of 2 elements",
        ),
        (
            vec![("/learner/learner_model_param/num_feature", Some(json!("abc")))],
            "at `learner.learner_model_param.num_feature`: expected a number (or a string \
             holding one), found a string `abc`",
        ),
        (
            vec![("/learner/learner_model_param/num_feature", Some(json!("1.5")))],
            "at `learner.learner_model_param.num_feature`: expected a whole number of features \
             in 0..=1000000 (limits::MAX_MODEL_FEATURES), found a string `1.5`",
        ),
        (
            vec![("/learner/learner_model_param/num_class", Some(json!(null)))],
            "at `learner.learner_model_param.num_class`: expected a number (or a string holding \
             one), found null",
        ),
        (
            vec![("/learner/feature_names/0", Some(json!(5)))],
            "at `learner.feature_names[0]`: expected a string (a feature name), found a number `5`",
        ),
        (
            vec![("/learner/gradient_booster/model/trees", Some(json!({"0": {}})))],
            "at `learner.gradient_booster.model.trees`: expected an array, found an object with \
             keys `0`",
        ),
        (
            vec![("/learner/gradient_booster/model/trees/0", Some(json!("tree")))],
            "at `T`: expected an object, found a string `tree`",
        ),
        (
            vec![("TREE/left_children", Some(json!([1, "x", -1])))],
            "at `T.left_children[1]`: expected an integer (a node index, -1 for a leaf), found a \
             string `x`",
        ),
        (
            vec![("TREE/default_left", Some(json!([1, 0.5, 0])))],
            "at `T.default_left[1]`: expected an integer (0 or 1) or a boolean, found a number `0.5`",
        ),
        (
            vec![("TREE/split_conditions", Some(json!([{}, -1000.0, 2000.0])))],
            "at `T.split_conditions[0]`: expected a number (or a string holding one), found an \
             empty object",
        ),
    ];
    for (changes, reason) in cases {
        let want = corrupt_xgb(&reason.replace("`T`", &format!("`{T}`")));
        assert_eq!(xgb_error(&changes), want);
    }
}

#[test]
fn xgboost_missing_keys_name_their_full_path() {
    let cases: Vec<(&str, &str)> = vec![
        ("/learner", "at `learner`: expected an object (the model), found nothing (the key is missing)"),
        (
            "/learner/objective/name",
            "at `learner.objective.name`: expected a string (the objective's name), found nothing \
             (the key is missing)",
        ),
        (
            "/learner/learner_model_param/num_feature",
            "at `learner.learner_model_param.num_feature`: expected the number of features, found \
             nothing (the key is missing)",
        ),
        (
            "/learner/learner_model_param/base_score",
            "at `learner.learner_model_param.base_score`: expected a number (the base score), \
             found nothing (the key is missing)",
        ),
        (
            "/learner/gradient_booster/model/trees",
            "at `learner.gradient_booster.model.trees`: expected an array of trees, found nothing \
             (the key is missing)",
        ),
        (
            "TREE/right_children",
            "at `T.right_children`: expected an array (one per node), found nothing (the key is \
             missing)",
        ),
        (
            "TREE/split_conditions",
            "at `T.split_conditions`: expected an array (one per node), found nothing (the key is \
             missing)",
        ),
    ];
    for (pointer, reason) in cases {
        assert_eq!(xgb_error(&[(pointer, None)]), corrupt_xgb(reason), "{pointer}");
    }
    // The top of the document itself.
    assert_eq!(
        TreeEnsemble::from_xgboost_json_str("[1, 2]").unwrap_err().to_string(),
        "<xgboost model>: corrupt XGBoost model: at the top level: expected an object, found an \
         array of 2 elements"
    );
}

#[test]
fn xgboost_lengths_and_counts_that_disagree_name_both_places() {
    let cases: Vec<(Vec<(&str, Option<Value>)>, &str)> = vec![
        (
            vec![("TREE/split_indices", Some(json!([0, 0])))],
            "at `T.split_indices`: expected 3 entries (one per node, as in `T.left_children`), \
             found 2",
        ),
        (
            vec![("TREE/tree_param/num_nodes", Some(json!("4")))],
            "at `T.tree_param.num_nodes`: expected 3 (as many nodes as `T.left_children` has), \
             found a string `4`",
        ),
        (
            vec![(
                "/learner/gradient_booster/model/gbtree_model_param/num_trees",
                Some(json!("2")),
            )],
            "at `learner.gradient_booster.model.gbtree_model_param.num_trees`: expected 1 (as many \
             trees as `learner.gradient_booster.model.trees` has), found a string `2`",
        ),
        (
            vec![("/learner/feature_names", Some(json!(["a", "b"])))],
            "at `learner.feature_names`: expected 1 name (one per feature, as \
             `learner.learner_model_param.num_feature` = 1 says), found 2",
        ),
        (
            vec![
                ("TREE/split_type", Some(json!([1, 0, 0]))),
                ("TREE/categories_nodes", Some(json!([0]))),
                ("TREE/categories_segments", Some(json!([0]))),
                ("TREE/categories_sizes", Some(json!([1, 1]))),
                ("TREE/categories", Some(json!([3]))),
            ],
            "at `T.categories_sizes`: expected 1 entry (one per categorical node, as in \
             `T.categories_nodes`), found 2",
        ),
    ];
    for (changes, reason) in cases {
        assert_eq!(xgb_error(&changes), corrupt_xgb(reason));
    }
}

#[test]
fn xgboost_indices_out_of_range_say_the_valid_range() {
    let cases: Vec<(Vec<(&str, Option<Value>)>, &str)> = vec![
        (
            vec![("TREE/left_children", Some(json!([3, -1, -1])))],
            "at `T.left_children[0]`: expected -1 (a leaf) or a child node index in 1..=2 (the \
             tree has 3 nodes), found 3",
        ),
        (
            vec![("TREE/right_children", Some(json!([-1, -1, -1])))],
            "at `T.right_children[0]`: expected a child node index in 1..=2 (the tree has 3 \
             nodes), found -1",
        ),
        (
            vec![("TREE/split_indices", Some(json!([-2, 0, 0])))],
            "at `T.split_indices[0]`: expected a feature index below 1 \
             (`learner.learner_model_param.num_feature`), found -2",
        ),
        (
            vec![("TREE/split_type", Some(json!([2, 0, 0])))],
            "at `T.split_type[0]`: expected 0 (numerical) or 1 (categorical), found 2",
        ),
        (
            vec![("TREE/id", Some(json!(3)))],
            "at `T.id`: expected 0 (trees are stored in the order of their ids), found a number `3`",
        ),
        (
            // Node 1's left child is node 2, already node 0's right child.
            vec![
                ("TREE/left_children", Some(json!([1, 2, -1]))),
                ("TREE/right_children", Some(json!([2, 2, -1]))),
            ],
            "at `T.left_children[1]`: node 2 is already the child of node 0 \
             (`T.right_children[0]`): expected each node to have one parent, and the root none",
        ),
    ];
    for (changes, reason) in cases {
        assert_eq!(xgb_error(&changes), corrupt_xgb(reason));
    }
}

#[test]
fn xgboost_categorical_lists_are_checked_entry_by_entry() {
    let categorical = |nodes: Value, segments: Value, sizes: Value, categories: Value| {
        xgb_error(&[
            ("TREE/split_type", Some(json!([1, 0, 0]))),
            ("TREE/categories_nodes", Some(nodes)),
            ("TREE/categories_segments", Some(segments)),
            ("TREE/categories_sizes", Some(sizes)),
            ("TREE/categories", Some(categories)),
        ])
    };
    assert_eq!(
        categorical(json!([0]), json!([0]), json!([1]), json!([3])),
        "accepted"
    );
    assert_eq!(
        categorical(json!([5]), json!([0]), json!([1]), json!([3])),
        corrupt_xgb("at `T.categories_nodes[0]`: expected a node index in 0..=2, found 5")
    );
    assert_eq!(
        categorical(json!([0]), json!([-1]), json!([1]), json!([3])),
        corrupt_xgb("at `T.categories_segments[0]`: expected a start ≥ 0, found -1")
    );
    assert_eq!(
        categorical(json!([0]), json!([0]), json!([-4]), json!([3])),
        corrupt_xgb("at `T.categories_sizes[0]`: expected a size ≥ 0, found -4")
    );
    assert_eq!(
        categorical(json!([0]), json!([0]), json!([2]), json!([3])),
        corrupt_xgb(
            "at `T.categories_segments[0]`: the list starting at 0 with 2 \
             (`T.categories_sizes[0]`) runs past the end of `T.categories`: expected a range \
             inside its 1 entry"
        )
    );
    assert_eq!(
        categorical(json!([0]), json!([0]), json!([2]), json!([3, -7])),
        corrupt_xgb(
            "at `T.categories[1]`: expected a category in 0..16777216 (below 2^24), found -7"
        )
    );
    assert_eq!(
        categorical(json!([]), json!([]), json!([]), json!([])),
        corrupt_xgb(
            "at `T.split_type[0]`: node 0 is categorical but `T.categories_nodes` does not list \
             it: expected a category list for every categorical node"
        )
    );
    assert_eq!(
        xgb_error(&[
            ("TREE/split_type", Some(json!([1, 0, 0]))),
            ("TREE/categories_nodes", None),
        ]),
        corrupt_xgb(
            "at `T.categories_nodes`: expected an array (`T.split_type[0]` = 1 marks a \
             categorical split), found nothing (the key is missing)"
        )
    );
}

#[test]
fn xgboost_non_finite_numbers_and_empty_lists_are_refused() {
    let cases: Vec<(Vec<(&str, Option<Value>)>, &str)> = vec![
        (
            vec![("TREE/split_conditions", Some(json!([1500.0, "inf", 2000.0])))],
            "at `T.split_conditions[1]`: expected a leaf value finite in f32 (node 1 is a leaf), \
             found a string `inf`",
        ),
        (
            vec![("TREE/split_conditions", Some(json!([1500.0, 1e39, 2000.0])))],
            "at `T.split_conditions[1]`: expected a leaf value finite in f32 (node 1 is a leaf), \
             found a number `1e+39`",
        ),
        (
            vec![("TREE/split_conditions", Some(json!(["NaN", -1000.0, 2000.0])))],
            "at `T.split_conditions[0]`: expected a split threshold for node 0, not NaN, found a \
             string `NaN`",
        ),
        (
            vec![("/learner/learner_model_param/base_score", Some(json!("1e39")))],
            "at `learner.learner_model_param.base_score`: expected a number that is finite in f32 \
             (|x| ≤ 3.4e38), found a string `1e39`",
        ),
        (
            vec![("/learner/gradient_booster/model/trees", Some(json!([])))],
            "at `learner.gradient_booster.model.trees`: expected at least one tree, found an \
             empty array",
        ),
        (
            vec![
                ("TREE/left_children", Some(json!([]))),
                ("TREE/tree_param/num_nodes", Some(json!("0"))),
            ],
            "at `T.left_children`: expected at least one node, found an empty array",
        ),
    ];
    for (changes, reason) in cases {
        assert_eq!(xgb_error(&changes), corrupt_xgb(reason));
    }
}

#[test]
fn xgboost_unknown_names_list_what_is_accepted() {
    assert_eq!(
        xgb_error(&[("/learner/objective/name", Some(json!("reg:foo")))]),
        "unsupported XGBoost objective: reg:foo (unknown objective; supported: \
         reg:squarederror, reg:absoluteerror, reg:pseudohubererror, reg:squaredlogerror, \
         reg:quantileerror, reg:gamma, count:poisson, reg:tweedie)"
    );
    assert_eq!(
        xgb_error(&[("/learner/gradient_booster/name", Some(json!("gblinear")))]),
        "unsupported XGBoost booster: gblinear (only gbtree models are imported (dart and \
         gblinear are not))"
    );
}

#[test]
fn a_truncated_xgboost_file_names_the_line_and_column() {
    let text = serde_json::to_string_pretty(&xgb_doc()).unwrap();
    let cut = &text[..text.find("\"split_conditions\"").unwrap()];
    let line = cut.lines().count();
    let err = TreeEnsemble::from_xgboost_json_str(cut).unwrap_err();
    assert_eq!(err.code(), "MIRA_PARSE");
    assert_eq!(
        err.to_string(),
        format!(
            "<xgboost model>:{line}:{}: not an XGBoost JSON model: EOF while parsing a value \
             at line {line} column {}",
            cut.lines().last().unwrap().len(),
            cut.lines().last().unwrap().len()
        )
    );
}
