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

/// JSON pointers to set (or, with `None`, remove), and the reason expected.
type XgbCase<'a> = (Vec<(&'a str, Option<Value>)>, &'a str);
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
    let cases: Vec<XgbCase> = vec![
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
        (
            "/learner",
            "at `learner`: expected an object (the model), found nothing (the key is missing)",
        ),
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
        assert_eq!(
            xgb_error(&[(pointer, None)]),
            corrupt_xgb(reason),
            "{pointer}"
        );
    }
    // The top of the document itself.
    assert_eq!(
        TreeEnsemble::from_xgboost_json_str("[1, 2]")
            .unwrap_err()
            .to_string(),
        "<xgboost model>: corrupt XGBoost model: at the top level: expected an object, found an \
         array of 2 elements"
    );
}

#[test]
fn xgboost_lengths_and_counts_that_disagree_name_both_places() {
    let cases: Vec<XgbCase> = vec![
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
    let cases: Vec<XgbCase> = vec![
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
    let cases: Vec<XgbCase> =
        vec![
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

// ------------------------------------------------------------------ LightGBM

/// A valid two-feature LightGBM model of one tree (lines numbered on the right).
const LGB: &str = "tree\n\
version=v4\n\
num_class=1\n\
num_tree_per_iteration=1\n\
max_feature_idx=1\n\
objective=regression\n\
feature_names=a b\n\
\n\
Tree=0\n\
num_leaves=3\n\
num_cat=0\n\
split_feature=0 1\n\
threshold=1500 7.5\n\
decision_type=2 10\n\
left_child=-1 -2\n\
right_child=1 -3\n\
leaf_value=300000 450000 900000\n\
shrinkage=1\n\
\n\
end of trees\n";
//  1 tree                   8 (blank)             15 left_child
//  2 version                9 Tree=0              16 right_child
//  3 num_class             10 num_leaves          17 leaf_value
//  4 num_tree_per_iter.    11 num_cat             18 shrinkage
//  5 max_feature_idx       12 split_feature       19 (blank)
//  6 objective             13 threshold           20 end of trees
//  7 feature_names         14 decision_type

/// The error importing [`LGB`] with each `(from, to)` replacement made.
fn lgb_error(changes: &[(&str, &str)]) -> String {
    let mut text = LGB.to_string();
    for (from, to) in changes {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    TreeEnsemble::from_lightgbm_str(&text)
        .map(|_| String::from("accepted"))
        .unwrap_or_else(|e| {
            assert_eq!(e.code(), "MIRA_PARSE", "{e}");
            e.to_string()
        })
}

fn at_line(place: &str, message: &str) -> String {
    format!("<lightgbm model>:{place}: {message}")
}

#[test]
fn the_valid_lightgbm_model_imports() {
    assert_eq!(lgb_error(&[]), "accepted");
}

#[test]
fn lightgbm_files_that_are_not_models_or_are_cut_short_say_so() {
    assert_eq!(
        TreeEnsemble::from_lightgbm_str("\nhello\n")
            .unwrap_err()
            .to_string(),
        at_line(
            "2:0",
            "not a LightGBM text model: the first line should be `tree`, found `hello`"
        )
    );
    assert_eq!(
        TreeEnsemble::from_lightgbm_str("").unwrap_err().to_string(),
        at_line(
            "1:0",
            "not a LightGBM text model: the first line should be `tree` (the text is empty)"
        )
    );
    // Cut inside the tree: the cut is reported, not the missing leaf values.
    let cut = &LGB[..LGB.find("threshold=").unwrap() + 12];
    assert_eq!(
        TreeEnsemble::from_lightgbm_str(cut)
            .unwrap_err()
            .to_string(),
        at_line(
            "13:0",
            "truncated model: no `end of trees` line: expected one after the last tree (Tree=0 \
             on line 9)"
        )
    );
    assert_eq!(
        lgb_error(&[(
            "Tree=0\nnum_leaves=3\nnum_cat=0\nsplit_feature=0 1\nthreshold=1500 7.5\n\
             decision_type=2 10\nleft_child=-1 -2\nright_child=1 -3\n\
             leaf_value=300000 450000 900000\nshrinkage=1\n\n",
            ""
        )]),
        at_line(
            "9:0",
            "`end of trees` before any tree: expected at least one `Tree=` section"
        )
    );
}

#[test]
fn lightgbm_missing_lines_name_the_section_and_key() {
    let cases = [
        (
            ("max_feature_idx=1\n", ""),
            at_line(
                "1:0",
                "header: missing `max_feature_idx`: expected a line `max_feature_idx=` with a \
                 whole number (the number of features - 1)",
            ),
        ),
        (
            ("num_leaves=3\n", ""),
            at_line(
                "9:0",
                "Tree=0: missing `num_leaves`: expected a line `num_leaves=` with a whole number \
                 (the leaf count)",
            ),
        ),
        (
            ("leaf_value=300000 450000 900000\n", ""),
            at_line(
                "9:0",
                "Tree=0: missing `leaf_value`: expected a line `leaf_value=` with 3 values (one \
                 per leaf, with num_leaves = 3 on line 10)",
            ),
        ),
        (
            ("right_child=1 -3\n", ""),
            at_line(
                "9:0",
                "Tree=0: missing `right_child`: expected a line `right_child=` with 2 values (one \
                 per split: num_leaves - 1, with num_leaves = 3 on line 10)",
            ),
        ),
    ];
    for ((from, to), want) in cases {
        assert_eq!(lgb_error(&[(from, to)]), want, "{from}");
    }
}

#[test]
fn lightgbm_malformed_lines_name_line_column_and_key() {
    let cases = [
        (
            ("max_feature_idx=1", "max_feature_idx=x"),
            at_line(
                "5:17",
                "header: max_feature_idx = `x`: expected a whole number (the number of features \
                 - 1)",
            ),
        ),
        (
            ("split_feature=0 1", "split_feature=0 x"),
            at_line(
                "12:17",
                "Tree=0: split_feature[1] = `x`: expected a whole number",
            ),
        ),
        (
            ("decision_type=2 10", "decision_type=2 -8"),
            at_line(
                "14:17",
                "Tree=0: decision_type[1] = `-8`: expected a whole number ≥ 0 (bit flags)",
            ),
        ),
        (
            ("shrinkage=1\n", "shrinkage=1\nnum_leaves=3\n"),
            at_line(
                "19:1",
                "Tree=0: `num_leaves` is given again (first on line 10): expected each key once",
            ),
        ),
        (
            ("shrinkage=1\n", "shrinkage=1\n  oops\n"),
            at_line("19:3", "Tree=0: `oops`: expected a `key=value` line"),
        ),
        (
            ("Tree=0", "Tree=1"),
            at_line(
                "9:6",
                "`Tree=1`: expected `Tree=0` (trees are numbered from 0 in file order)",
            ),
        ),
    ];
    for ((from, to), want) in cases {
        assert_eq!(lgb_error(&[(from, to)]), want, "{to}");
    }
}

#[test]
fn lightgbm_counts_that_disagree_name_both_lines() {
    let cases = [
        (
            ("feature_names=a b", "feature_names=a"),
            at_line(
                "7:0",
                "header: feature_names has 1 entry, expected 2 (max_feature_idx + 1, with \
                 max_feature_idx = 1 on line 5)",
            ),
        ),
        (
            (
                "leaf_value=300000 450000 900000",
                "leaf_value=300000 450000",
            ),
            at_line(
                "17:0",
                "Tree=0: leaf_value has 2 entries, expected 3 (one per leaf, with num_leaves = 3 \
                 on line 10)",
            ),
        ),
        (
            ("threshold=1500 7.5", "threshold=1500 7.5 8"),
            at_line(
                "13:0",
                "Tree=0: threshold has 3 entries, expected 2 (one per split: num_leaves - 1, with \
                 num_leaves = 3 on line 10)",
            ),
        ),
    ];
    for ((from, to), want) in cases {
        assert_eq!(lgb_error(&[(from, to)]), want, "{to}");
    }
    // Category sets: num_cat + 1 boundaries, as many words as the last says.
    let categorical = |cat_lines: &str| {
        lgb_error(&[
            ("num_cat=0\n", cat_lines),
            ("decision_type=2 10", "decision_type=3 10"),
            ("threshold=1500 7.5", "threshold=0 7.5"),
        ])
    };
    assert_eq!(
        categorical("num_cat=1\ncat_boundaries=0 1\ncat_threshold=6\n"),
        "accepted"
    );
    assert_eq!(
        categorical("num_cat=1\ncat_boundaries=0 1 2\ncat_threshold=6\n"),
        at_line(
            "12:0",
            "Tree=0: cat_boundaries has 3 entries, expected 2 (num_cat + 1, with num_cat = 1 on \
             line 11)"
        )
    );
    assert_eq!(
        categorical("num_cat=1\ncat_boundaries=0 2\ncat_threshold=6\n"),
        at_line(
            "13:0",
            "Tree=0: cat_threshold has 1 entry, expected 2 (the last of cat_boundaries on line 12)"
        )
    );
    assert_eq!(
        categorical("num_cat=2\ncat_boundaries=0 2 1\ncat_threshold=6\n"),
        at_line(
            "12:18",
            "Tree=0: cat_boundaries[1] = 2 is past the end of cat_threshold (1 word): expected \
             non-decreasing offsets up to the last, 1"
        )
    );
    assert_eq!(
        categorical("num_cat=-1\n"),
        at_line(
            "11:9",
            "Tree=0: num_cat = -1 is negative: expected a count ≥ 0"
        )
    );
    assert_eq!(
        lgb_error(&[("decision_type=2 10", "decision_type=3 10")]),
        at_line(
            "13:11",
            "Tree=0: threshold[0] = 1500 refers to category set 1500, but num_cat = 0: expected \
             a category set index below 0 (decision_type[0] = 3 marks split 0 categorical)"
        )
    );
}

#[test]
fn lightgbm_indices_out_of_range_say_the_valid_range() {
    let cases = [
        (
            ("num_leaves=3", "num_leaves=0"),
            at_line(
                "10:12",
                "Tree=0: num_leaves = 0 is out of range: expected 1..=10000000 \
                 (limits::MAX_TREE_LEAVES)",
            ),
        ),
        (
            ("max_feature_idx=1", "max_feature_idx=-1"),
            at_line(
                "5:17",
                "header: max_feature_idx = -1 is out of range: expected 0..=999999 \
                 (limits::MAX_MODEL_FEATURES features)",
            ),
        ),
        (
            ("split_feature=0 1", "split_feature=0 5"),
            at_line(
                "12:17",
                "Tree=0: split_feature[1] = 5 is beyond max_feature_idx 1: expected a feature \
                 index in 0..=1",
            ),
        ),
        (
            ("right_child=1 -3", "right_child=1 -9"),
            at_line(
                "16:15",
                "Tree=0: right_child[1] = -9 refers to no node: expected a split 0..=1 or a leaf \
                 -1..=-3 (-1 - leaf index), as the tree has 2 splits and 3 leaves",
            ),
        ),
        (
            ("decision_type=2 10", "decision_type=2 14"),
            at_line(
                "14:17",
                "Tree=0: decision_type[1] = 14 has unknown missing type 3: expected missing type \
                 0 (none), 1 (zero) or 2 (NaN) in bits 2-3",
            ),
        ),
        (
            // Split 1's left child is leaf 0, already split 0's left child.
            ("left_child=-1 -2", "left_child=-1 -1"),
            at_line(
                "15:15",
                "Tree=0: left_child[1] = -1: leaf 0 is already the child of split 0 \
                 (left_child[0] on line 15): expected each split and leaf to have one parent, \
                 and the root none",
            ),
        ),
    ];
    for ((from, to), want) in cases {
        assert_eq!(lgb_error(&[(from, to)]), want, "{to}");
    }
}

#[test]
fn lightgbm_non_finite_numbers_are_refused() {
    assert_eq!(
        lgb_error(&[("leaf_value=300000 450000", "leaf_value=300000 inf")]),
        at_line(
            "17:19",
            "Tree=0: leaf_value[1] = `inf`: expected a finite number"
        )
    );
    assert_eq!(
        lgb_error(&[("threshold=1500 7.5", "threshold=1500 nan")]),
        at_line(
            "13:16",
            "Tree=0: threshold[1] = `nan`: expected a number, not NaN"
        )
    );
}

#[test]
fn lightgbm_unknown_objectives_list_the_accepted_ones() {
    let err =
        TreeEnsemble::from_lightgbm_str(&LGB.replace("objective=regression", "objective=foo"))
            .unwrap_err();
    assert_eq!(
        err.to_string(),
        "unsupported LightGBM objective: foo (supported: regression, regression_l1, huber, fair, \
         quantile, mape, poisson, gamma, tweedie (optionally with sqrt))"
    );
}

// ------------------------------------------------------------ scikit-learn

/// A valid stump on feature 0 (x <= 0.5 → 10, else 20).
fn sk_stump() -> SklearnTree {
    SklearnTree {
        children_left: vec![1, -1, -1],
        children_right: vec![2, -1, -1],
        feature: vec![0, -2, -2],
        threshold: vec![0.5, -2.0, -2.0],
        value: vec![0.0, 10.0, 20.0],
        missing_go_to_left: Some(vec![true, false, false]),
    }
}

/// The error building a forest of a valid stump and `second`.
fn sk_error(second: impl FnOnce(&mut SklearnTree)) -> String {
    let mut tree = sk_stump();
    second(&mut tree);
    TreeEnsemble::from_sklearn_trees(&[sk_stump(), tree], SklearnAggregation::Average, 1, vec![])
        .map(|_| String::from("accepted"))
        .unwrap_or_else(|e| {
            assert_eq!(e.code(), "MIRA_CORRUPT", "{e}");
            e.to_string()
        })
}

/// A change to the second tree, and the reason expected.
type SkCase<'a> = (Box<dyn FnOnce(&mut SklearnTree)>, &'a str);

fn corrupt_sk(reason: &str) -> String {
    format!("<scikit-learn estimator>: corrupt scikit-learn model: {reason}")
}

#[test]
fn sklearn_tree_arrays_name_the_first_wrong_entry() {
    assert_eq!(sk_error(|_| {}), "accepted");
    let cases: Vec<SkCase> = vec![
        (
            Box::new(|t| t.value.pop().map(drop).unwrap()),
            "at `trees[1].value`: expected 3 entries (one per node, as in \
             `trees[1].children_left`), found 2",
        ),
        (
            Box::new(|t| t.missing_go_to_left = Some(vec![true])),
            "at `trees[1].missing_go_to_left`: expected 3 entries (one per node, as in \
             `trees[1].children_left`), found 1",
        ),
        (
            Box::new(|t| {
                *t = SklearnTree::default();
            }),
            "at `trees[1].children_left`: expected at least one node, found none",
        ),
        (
            Box::new(|t| t.children_right[0] = -1),
            "at `trees[1].children_right[0]`: expected a child node index in 1..=2 (the tree has \
             3 nodes), found -1",
        ),
        (
            Box::new(|t| t.feature[0] = 1),
            "at `trees[1].feature[0]`: expected a feature index below 1 (`num_features`), found 1",
        ),
        (
            Box::new(|t| t.threshold[0] = f64::NAN),
            "at `trees[1].threshold[0]`: expected a split threshold for node 0, not NaN, found NaN",
        ),
        (
            Box::new(|t| t.value[2] = f64::INFINITY),
            "at `trees[1].value[2]`: expected a finite leaf value (node 2 is a leaf), found inf",
        ),
        (
            // Node 1 becomes a split whose children are node 2 (already
            // node 0's right child) and node 2 again.
            Box::new(|t| {
                t.children_left[1] = 2;
                t.children_right[1] = 2;
                t.feature[1] = 0;
            }),
            "at `trees[1].children_left[1]`: node 2 is already the child of node 0 \
             (`trees[1].children_right[0]`): expected each node to have one parent, and the root \
             none",
        ),
    ];
    for (change, reason) in cases {
        assert_eq!(sk_error(change), corrupt_sk(reason));
    }
}

#[test]
fn sklearn_arguments_are_named_when_wrong() {
    let err = TreeEnsemble::from_sklearn_trees(
        &[sk_stump(), sk_stump()],
        SklearnAggregation::Single,
        1,
        vec![],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        corrupt_sk(
            "at `trees`: expected exactly one tree (SklearnAggregation::Single), found 2 trees"
        )
    );
    let err =
        TreeEnsemble::from_sklearn_trees(&[], SklearnAggregation::Average, 1, vec![]).unwrap_err();
    assert_eq!(
        err.to_string(),
        corrupt_sk("at `trees`: expected at least one tree, found none")
    );
    let err = TreeEnsemble::from_sklearn_trees(
        &[sk_stump()],
        SklearnAggregation::GradientBoosting {
            init: f64::NAN,
            learning_rate: 0.1,
        },
        1,
        vec![],
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        corrupt_sk("at `aggregation.init`: expected a finite number, found NaN")
    );
}

/// A valid histogram stump: categorical on column 0 when `categorical`.
fn hist_stump(categorical: bool) -> SklearnHistTree {
    SklearnHistTree {
        value: vec![0.0, 1.0, 2.0],
        feature_idx: vec![0, 0, 0],
        num_threshold: vec![0.5, 0.0, 0.0],
        missing_go_to_left: vec![false; 3],
        left: vec![1, 0, 0],
        right: vec![2, 0, 0],
        is_leaf: vec![false, true, true],
        is_categorical: vec![categorical, false, false],
        bitset_idx: vec![0; 3],
        raw_left_cat_bitsets: if categorical {
            vec![[1, 0, 0, 0, 0, 0, 0, 0]]
        } else {
            vec![]
        },
    }
}

fn hist_error(tree: SklearnHistTree, baseline: f64, categories: &[Option<Vec<f64>>]) -> String {
    TreeEnsemble::from_sklearn_hist_gradient_boosting(
        &[tree],
        baseline,
        OutputTransform::Identity,
        categories,
        1,
        vec![],
    )
    .map(|_| String::from("accepted"))
    .unwrap_or_else(|e| e.to_string())
}

#[test]
fn sklearn_hist_arrays_and_arguments_name_the_first_wrong_entry() {
    assert_eq!(hist_error(hist_stump(false), 0.0, &[]), "accepted");
    assert_eq!(
        hist_error(hist_stump(true), 0.0, &[Some(vec![4.0, 7.0])]),
        "accepted"
    );
    let mut t = hist_stump(false);
    t.right[0] = 3;
    assert_eq!(
        hist_error(t, 0.0, &[]),
        corrupt_sk(
            "at `trees[0].right[0]`: expected a child node index in 1..=2 (the tree has 3 nodes), \
             found 3"
        )
    );
    let mut t = hist_stump(false);
    t.feature_idx[0] = 4;
    assert_eq!(
        hist_error(t, 0.0, &[]),
        corrupt_sk(
            "at `trees[0].feature_idx[0]`: expected a feature index below 1 (`num_features`), \
             found 4"
        )
    );
    let mut t = hist_stump(false);
    t.is_leaf.push(true);
    assert_eq!(
        hist_error(t, 0.0, &[]),
        corrupt_sk(
            "at `trees[0].is_leaf`: expected 3 entries (one per node, as in `trees[0].value`), \
             found 4"
        )
    );
    let mut t = hist_stump(true);
    t.bitset_idx[0] = 1;
    assert_eq!(
        hist_error(t, 0.0, &[Some(vec![4.0, 7.0])]),
        corrupt_sk(
            "at `trees[0].bitset_idx[0]`: expected a row of `trees[0].raw_left_cat_bitsets` (it \
             has 1 row), found 1"
        )
    );
    assert_eq!(
        hist_error(hist_stump(true), 0.0, &[]),
        corrupt_sk(
            "at `trees[0].is_categorical[0]`: node 0 splits on column 0 as categorical, but \
             `categories[0]` has no categories: expected the categories of every categorical \
             column"
        )
    );
    let mut t = hist_stump(false);
    t.num_threshold[0] = f64::NAN;
    assert_eq!(
        hist_error(t, 0.0, &[]),
        corrupt_sk(
            "at `trees[0].num_threshold[0]`: expected a split threshold for node 0, not NaN, \
             found NaN"
        )
    );
    assert_eq!(
        hist_error(hist_stump(false), f64::NEG_INFINITY, &[]),
        corrupt_sk("at `baseline`: expected a finite number, found -inf")
    );
    assert_eq!(
        hist_error(hist_stump(false), 0.0, &[None, None]),
        corrupt_sk(
            "at `categories`: expected 1 entry (one per feature, as `num_features` says), or \
             none, found 2"
        )
    );
    assert_eq!(
        hist_error(hist_stump(true), 0.0, &[Some(vec![4.0, -1.0])]),
        "unsupported scikit-learn category value: -1 in column 0 (`categories[0][1]`) (encode \
         categories as integers 0..2^20 before fitting)"
    );
}
