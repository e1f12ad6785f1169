//! Constructors for scikit-learn tree models, from the plain arrays of the
//! fitted estimator. The Python binding extracts these arrays once and
//! converts them into the core's own model; the core never sees a pickle.

use std::path::PathBuf;

use super::ensemble::{EnsembleBuilder, NodeSpec, TreeEnsemble, CATEGORICAL, DEFAULT_LEFT};
use super::import_error::{count, number, Wrong};
use super::objective::OutputTransform;
use super::split_rule::SplitRule;
use super::tree_links::{child_range, first_relink, Side};
use crate::error::{MiraError, Result};

/// One fitted scikit-learn decision tree: the arrays of its `tree_`
/// attribute (`DecisionTreeRegressor`, and each tree of
/// `RandomForestRegressor`, `ExtraTreesRegressor`,
/// `GradientBoostingRegressor.estimators_`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SklearnTree {
    /// `tree_.children_left`: left child of each node, -1 for a leaf.
    pub children_left: Vec<i64>,
    /// `tree_.children_right`: right child of each node, -1 for a leaf.
    pub children_right: Vec<i64>,
    /// `tree_.feature`: the split's column (ignored for leaves).
    pub feature: Vec<i64>,
    /// `tree_.threshold` (float64): left when `float32(x) <= threshold`.
    pub threshold: Vec<f64>,
    /// `tree_.value[:, 0, 0]`: each node's output (single-output regression).
    pub value: Vec<f64>,
    /// `tree_.missing_go_to_left` (scikit-learn ≥ 1.3): where NaN goes.
    /// `None` sends NaN right, as a plain `NaN <= threshold` comparison does
    /// (`GradientBoostingRegressor`, which does not accept NaN itself).
    pub missing_go_to_left: Option<Vec<bool>>,
}

/// How the trees of a scikit-learn model are combined.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SklearnAggregation {
    /// One tree (`DecisionTreeRegressor`).
    Single,
    /// The mean of the trees (`RandomForestRegressor`, `ExtraTreesRegressor`):
    /// summed in order, then divided by the number of trees.
    Average,
    /// `GradientBoostingRegressor`: `init + Σ learning_rate · tree`, each
    /// term added in order (`init` is `init_.predict`, e.g. the training mean).
    GradientBoosting {
        /// The initial prediction, in the label's units.
        init: f64,
        /// The learning rate (shrinkage) applied to every tree.
        learning_rate: f64,
    },
}

/// One tree of a `HistGradientBoostingRegressor` (`_predictors[i][0]`):
/// the fields of its `nodes` structured array plus its categorical bitsets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SklearnHistTree {
    /// `nodes["value"]`: leaf output (already multiplied by the learning rate).
    pub value: Vec<f64>,
    /// `nodes["feature_idx"]`.
    pub feature_idx: Vec<u32>,
    /// `nodes["num_threshold"]`: left when `x <= threshold` (may be +inf).
    pub num_threshold: Vec<f64>,
    /// `nodes["missing_go_to_left"]`.
    pub missing_go_to_left: Vec<bool>,
    /// `nodes["left"]`.
    pub left: Vec<u32>,
    /// `nodes["right"]`.
    pub right: Vec<u32>,
    /// `nodes["is_leaf"]`.
    pub is_leaf: Vec<bool>,
    /// `nodes["is_categorical"]`.
    pub is_categorical: Vec<bool>,
    /// `nodes["bitset_idx"]`: row of `raw_left_cat_bitsets` for a categorical split.
    pub bitset_idx: Vec<u32>,
    /// The predictor's `raw_left_cat_bitsets`: categories going left.
    pub raw_left_cat_bitsets: Vec<[u32; 8]>,
}

fn corrupt(reason: impl std::fmt::Display) -> MiraError {
    MiraError::Corrupt {
        path: PathBuf::from("<scikit-learn estimator>"),
        kind: "scikit-learn model".into(),
        reason: reason.to_string(),
    }
}

/// The trees' arrays are named as the arguments are: `trees[2].children_left`.
fn field(t: usize, name: &str) -> String {
    format!("trees[{t}].{name}")
}

/// Array `name` of tree `t` has `len` entries where `first` has `n`.
fn check_len(t: usize, name: &str, len: usize, first: &str, n: usize) -> Result<()> {
    if len != n {
        return Err(corrupt(Wrong::length(
            field(t, name),
            len,
            &field(t, first),
            n,
            "one per node",
        )));
    }
    Ok(())
}

/// A tree has at least one node.
fn check_not_empty(t: usize, first: &str, n: usize) -> Result<()> {
    if n == 0 {
        return Err(corrupt(Wrong::expected(
            field(t, first),
            "at least one node",
            "none",
        )));
    }
    Ok(())
}

/// A finite number, or the error naming `path`.
fn finite(path: impl FnOnce() -> String, v: f64, expected: &str) -> Result<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(corrupt(Wrong::expected(path(), expected, number(v))))
    }
}

/// The child link `c` of node `i` (array `name` of tree `t` of `n` nodes),
/// which must be a node other than the root.
fn check_child(t: usize, name: &str, i: usize, c: i64, n: usize, leaf_marker: &str) -> Result<u32> {
    if c > 0 && (c as usize) < n {
        return Ok(c as u32);
    }
    Err(corrupt(Wrong::expected(
        format!("{}[{i}]", field(t, name)),
        &format!("{leaf_marker}a child node index in {}", child_range(n)),
        c,
    )))
}

/// Refuse a tree whose links reach a node twice, naming the link.
fn check_links(t: usize, nodes: &[NodeSpec], left: &str, right: &str) -> Result<()> {
    let Some(r) = first_relink(nodes) else {
        return Ok(());
    };
    let link = |(node, side)| {
        let name = match side {
            Side::Left => left,
            Side::Right => right,
        };
        format!("{}[{node}]", field(t, name))
    };
    let problem = r.problem(link);
    Err(corrupt(Wrong::at(
        link((r.parent, r.side)),
        format!("{problem}: expected each node to have one parent, and the root none"),
    )))
}

/// A split's feature `f` (array `name` of tree `t`, node `i`).
fn check_feature(t: usize, name: &str, i: usize, f: i64, num_features: usize) -> Result<u32> {
    if f >= 0 && (f as usize) < num_features {
        return Ok(f as u32);
    }
    Err(corrupt(Wrong::expected(
        format!("{}[{i}]", field(t, name)),
        &format!("a feature index below {num_features} (`num_features`)"),
        f,
    )))
}

/// A model has at least one tree.
fn check_trees(count_of_trees: usize) -> Result<()> {
    if count_of_trees == 0 {
        return Err(corrupt(Wrong::expected(
            "trees",
            "at least one tree",
            "none",
        )));
    }
    Ok(())
}

impl TreeEnsemble {
    /// Build from scikit-learn decision trees (a single tree, a forest or a
    /// gradient-boosting model), reproducing `estimator.predict`: inputs are
    /// cast to `f32` before each comparison, the sum is in `f64`.
    ///
    /// `num_features` is `n_features_in_`; `feature_names` is
    /// `feature_names_in_` or empty.
    ///
    /// Wrong arrays are a [`MiraError::Corrupt`] naming the first wrong
    /// entry by the arguments' names and what was expected there:
    ///
    /// ```
    /// use agent_mira::model::{SklearnAggregation, SklearnTree};
    /// use agent_mira::TreeEnsemble;
    /// let stump = SklearnTree {
    ///     children_left: vec![1, -1, -1],
    ///     children_right: vec![2, -1, -1],
    ///     feature: vec![0, -2, -2],
    ///     threshold: vec![0.5, -2.0, -2.0],
    ///     value: vec![0.0, 10.0, 20.0],
    ///     missing_go_to_left: None,
    /// };
    /// let mut bad = stump.clone();
    /// bad.children_right[0] = 3;
    /// let forest = [stump, bad];
    /// let err = TreeEnsemble::from_sklearn_trees(&forest, SklearnAggregation::Average, 1, vec![])
    ///     .unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "<scikit-learn estimator>: corrupt scikit-learn model: at `trees[1].children_right[0]`: \
    ///      expected a child node index in 1..=2 (the tree has 3 nodes), found 3"
    /// );
    /// ```
    pub fn from_sklearn_trees(
        trees: &[SklearnTree],
        aggregation: SklearnAggregation,
        num_features: usize,
        feature_names: Vec<String>,
    ) -> Result<Self> {
        if aggregation == SklearnAggregation::Single && trees.len() != 1 {
            return Err(corrupt(Wrong::expected(
                "trees",
                "exactly one tree (SklearnAggregation::Single)",
                count(trees.len(), "tree", "trees"),
            )));
        }
        check_trees(trees.len())?;
        let scale = match aggregation {
            SklearnAggregation::GradientBoosting {
                init,
                learning_rate,
            } => {
                finite(|| "aggregation.init".into(), init, "a finite number")?;
                finite(
                    || "aggregation.learning_rate".into(),
                    learning_rate,
                    "a finite number",
                )?;
                Some(learning_rate)
            }
            _ => None,
        };
        let mut b = EnsembleBuilder::new(SplitRule::Sklearn, num_features, feature_names);
        for (t, tree) in trees.iter().enumerate() {
            let n = tree.children_left.len();
            let first = "children_left";
            check_not_empty(t, first, n)?;
            check_len(t, "children_right", tree.children_right.len(), first, n)?;
            check_len(t, "feature", tree.feature.len(), first, n)?;
            check_len(t, "threshold", tree.threshold.len(), first, n)?;
            check_len(t, "value", tree.value.len(), first, n)?;
            if let Some(m) = &tree.missing_go_to_left {
                check_len(t, "missing_go_to_left", m.len(), first, n)?;
            }
            let mut nodes = Vec::with_capacity(n);
            for i in 0..n {
                let (l, r) = (tree.children_left[i], tree.children_right[i]);
                if l == -1 {
                    // scikit-learn adds `scale * value` per tree; doing the
                    // multiplication here gives the same f64 terms.
                    let value = finite(
                        || format!("{}[{i}]", field(t, "value")),
                        tree.value[i],
                        &format!("a finite leaf value (node {i} is a leaf)"),
                    )?;
                    nodes.push(NodeSpec::leaf(scale.map_or(value, |s| s * value)));
                    continue;
                }
                let left = check_child(t, "children_left", i, l, n, "-1 (a leaf) or ")?;
                let right = check_child(t, "children_right", i, r, n, "")?;
                let feature = check_feature(t, "feature", i, tree.feature[i], num_features)?;
                let threshold = tree.threshold[i];
                if threshold.is_nan() {
                    return Err(corrupt(Wrong::expected(
                        format!("{}[{i}]", field(t, "threshold")),
                        &format!("a split threshold for node {i}, not NaN"),
                        "NaN",
                    )));
                }
                let mut flags = 0;
                if tree.missing_go_to_left.as_ref().is_some_and(|m| m[i]) {
                    flags |= DEFAULT_LEFT;
                }
                nodes.push(NodeSpec {
                    feature,
                    value: threshold,
                    left,
                    right,
                    flags,
                });
            }
            check_links(t, &nodes, "children_left", "children_right")?;
            b.push_tree(&nodes).map_err(corrupt)?;
        }
        let (init, divisor, name) = match aggregation {
            SklearnAggregation::Single => (0.0, None, "DecisionTreeRegressor"),
            SklearnAggregation::Average => (0.0, Some(trees.len() as f64), "forest (average)"),
            SklearnAggregation::GradientBoosting { init, .. } => {
                (init, None, "GradientBoostingRegressor")
            }
        };
        b.finish(name, OutputTransform::Identity, init, divisor)
            .map_err(corrupt)
    }

    /// Build from a fitted `HistGradientBoostingRegressor`, reproducing its
    /// `predict`: `link⁻¹(baseline + Σ trees)` in `f64`.
    ///
    /// `categories` has one entry per input column: for a categorical
    /// column, the categories its `OrdinalEncoder` learned
    /// (`_preprocessor.named_transformers_["encoder"].categories_`, NaN
    /// removed), which must be non-negative integers below 2^20; `None` for
    /// numerical columns. Pass an empty slice when there are no categorical
    /// features. With categorical features scikit-learn moves them to the
    /// front of its internal column order and maps raw values to category
    /// codes; both are folded into the model here, so rows are given in the
    /// input column order with raw category values. Unknown and non-integer
    /// category values are treated as missing, as the encoder does.
    ///
    /// `inverse_link` is `Identity` for squared, absolute and quantile
    /// losses, `Exp` for Poisson and gamma.
    ///
    /// Wrong arrays are a [`MiraError::Corrupt`] naming the first wrong
    /// entry by the arguments' names (`trees[0].feature_idx[3]`,
    /// `categories`) and what was expected there.
    pub fn from_sklearn_hist_gradient_boosting(
        trees: &[SklearnHistTree],
        baseline: f64,
        inverse_link: OutputTransform,
        categories: &[Option<Vec<f64>>],
        num_features: usize,
        feature_names: Vec<String>,
    ) -> Result<Self> {
        if inverse_link == OutputTransform::SignedSquare {
            return Err(MiraError::Unsupported {
                what: "scikit-learn link".into(),
                name: "signed square".into(),
                hint: Some("HistGradientBoostingRegressor links are identity or exp".into()),
            });
        }
        finite(|| "baseline".into(), baseline, "a finite number")?;
        if !categories.is_empty() && categories.len() != num_features {
            return Err(corrupt(Wrong::expected(
                "categories",
                &format!(
                    "{} (one per feature, as `num_features` says), or none",
                    count(num_features, "entry", "entries")
                ),
                categories.len(),
            )));
        }
        check_trees(trees.len())?;
        // Internal column k -> input column: categorical columns first.
        let any_cat = categories.iter().any(Option::is_some);
        let order: Vec<u32> = if any_cat {
            let cat = (0..num_features).filter(|&i| categories[i].is_some());
            let num = (0..num_features).filter(|&i| categories[i].is_none());
            cat.chain(num).map(|i| i as u32).collect()
        } else {
            (0..num_features as u32).collect()
        };
        // Known-category bitset over raw values, per input column.
        let mut known_raw: Vec<Option<Vec<u32>>> = vec![None; num_features];
        for (col, cats) in categories.iter().enumerate() {
            let Some(cats) = cats else { continue };
            let mut words = Vec::new();
            for (k, &c) in cats.iter().enumerate() {
                if !(c >= 0.0 && c.fract() == 0.0 && c < (1 << 20) as f64) {
                    return Err(MiraError::Unsupported {
                        what: "scikit-learn category value".into(),
                        name: format!("{} in column {col} (`categories[{col}][{k}]`)", number(c)),
                        hint: Some("encode categories as integers 0..2^20 before fitting".into()),
                    });
                }
                set_bit(&mut words, c as usize);
            }
            known_raw[col] = Some(words);
        }
        let mut b = EnsembleBuilder::new(SplitRule::SklearnHist, num_features, feature_names);
        for (t, tree) in trees.iter().enumerate() {
            let n = tree.value.len();
            let first = "value";
            check_not_empty(t, first, n)?;
            check_len(t, "feature_idx", tree.feature_idx.len(), first, n)?;
            check_len(t, "num_threshold", tree.num_threshold.len(), first, n)?;
            check_len(
                t,
                "missing_go_to_left",
                tree.missing_go_to_left.len(),
                first,
                n,
            )?;
            check_len(t, "left", tree.left.len(), first, n)?;
            check_len(t, "right", tree.right.len(), first, n)?;
            check_len(t, "is_leaf", tree.is_leaf.len(), first, n)?;
            check_len(t, "is_categorical", tree.is_categorical.len(), first, n)?;
            check_len(t, "bitset_idx", tree.bitset_idx.len(), first, n)?;
            let mut nodes = Vec::with_capacity(n);
            for i in 0..n {
                if tree.is_leaf[i] {
                    let value = finite(
                        || format!("{}[{i}]", field(t, "value")),
                        tree.value[i],
                        &format!("a finite leaf value (node {i} is a leaf)"),
                    )?;
                    nodes.push(NodeSpec::leaf(value));
                    continue;
                }
                let k = tree.feature_idx[i] as usize;
                let col = check_feature(t, "feature_idx", i, k as i64, num_features)
                    .map(|k| order[k as usize])?;
                let left = check_child(t, "left", i, i64::from(tree.left[i]), n, "")?;
                let right = check_child(t, "right", i, i64::from(tree.right[i]), n, "")?;
                let mut flags = if tree.missing_go_to_left[i] {
                    DEFAULT_LEFT
                } else {
                    0
                };
                let value = if tree.is_categorical[i] {
                    let row = tree.bitset_idx[i] as usize;
                    let left_codes = tree.raw_left_cat_bitsets.get(row).ok_or_else(|| {
                        corrupt(Wrong::expected(
                            format!("{}[{i}]", field(t, "bitset_idx")),
                            &format!(
                                "a row of `{}` (it has {})",
                                field(t, "raw_left_cat_bitsets"),
                                count(tree.raw_left_cat_bitsets.len(), "row", "rows")
                            ),
                            row,
                        ))
                    })?;
                    let (Some(cats), Some(known)) = (
                        categories.get(col as usize).and_then(Option::as_ref),
                        &known_raw[col as usize],
                    ) else {
                        return Err(corrupt(Wrong::at(
                            format!("{}[{i}]", field(t, "is_categorical")),
                            format!(
                                "node {i} splits on column {col} as categorical, but \
                                 `categories[{col}]` has no categories: expected the categories \
                                 of every categorical column"
                            ),
                        )));
                    };
                    // Codes going left -> raw values going left.
                    let mut left_raw = Vec::new();
                    for code in 0..256usize {
                        if in_code_set(left_codes, code) {
                            if let Some(&raw) = cats.get(code) {
                                set_bit(&mut left_raw, raw as usize);
                            }
                        }
                    }
                    flags |= CATEGORICAL;
                    f64::from(b.add_cat_split(&left_raw, Some(known)))
                } else {
                    let threshold = tree.num_threshold[i];
                    if threshold.is_nan() {
                        return Err(corrupt(Wrong::expected(
                            format!("{}[{i}]", field(t, "num_threshold")),
                            &format!("a split threshold for node {i}, not NaN"),
                            "NaN",
                        )));
                    }
                    threshold
                };
                nodes.push(NodeSpec {
                    feature: col,
                    value,
                    left,
                    right,
                    flags,
                });
            }
            check_links(t, &nodes, "left", "right")?;
            b.push_tree(&nodes).map_err(corrupt)?;
        }
        b.finish(
            "HistGradientBoostingRegressor",
            inverse_link,
            baseline,
            None,
        )
        .map_err(corrupt)
    }
}

fn set_bit(words: &mut Vec<u32>, pos: usize) {
    if words.len() <= pos / 32 {
        words.resize(pos / 32 + 1, 0);
    }
    words[pos / 32] |= 1 << (pos % 32);
}

fn in_code_set(words: &[u32; 8], code: usize) -> bool {
    (words[code / 32] >> (code % 32)) & 1 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stump(threshold: f64, missing_left: Option<bool>) -> SklearnTree {
        SklearnTree {
            children_left: vec![1, -1, -1],
            children_right: vec![2, -1, -1],
            feature: vec![0, -2, -2],
            threshold: vec![threshold, -2.0, -2.0],
            value: vec![0.0, 10.0, 20.0],
            missing_go_to_left: missing_left.map(|m| vec![m, false, false]),
        }
    }

    #[test]
    fn forest_averages_and_boosting_scales() {
        let trees = [stump(1.5, Some(true)), stump(0.5, Some(false))];
        let rf = TreeEnsemble::from_sklearn_trees(&trees, SklearnAggregation::Average, 1, vec![])
            .unwrap();
        assert_eq!(rf.predict_row(&[1.0]).unwrap(), 15.0);
        assert_eq!(rf.predict_row(&[f64::NAN]).unwrap(), 15.0);
        let gb = TreeEnsemble::from_sklearn_trees(
            &trees,
            SklearnAggregation::GradientBoosting {
                init: 100.0,
                learning_rate: 0.5,
            },
            1,
            vec![],
        )
        .unwrap();
        assert_eq!(gb.predict_row(&[0.0]).unwrap(), 110.0);
        assert_eq!(gb.predict_row(&[2.0]).unwrap(), 120.0);
    }

    #[test]
    fn a_bad_child_is_refused() {
        let mut t = stump(1.0, None);
        t.children_left[0] = 7;
        let err = TreeEnsemble::from_sklearn_trees(&[t], SklearnAggregation::Single, 1, vec![])
            .unwrap_err();
        assert_eq!(err.code(), "MIRA_CORRUPT");
        assert_eq!(
            err.to_string(),
            "<scikit-learn estimator>: corrupt scikit-learn model: at \
             `trees[0].children_left[0]`: expected -1 (a leaf) or a child node index in 1..=2 \
             (the tree has 3 nodes), found 7"
        );
    }
}
