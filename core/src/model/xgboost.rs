//! Importer for XGBoost JSON models (`booster.save_model("m.json")`,
//! XGBoost 1.x–3.x schema).
//!
//! Trees keep their node numbering; a node is a leaf when its left child is
//! -1 and its output is `split_conditions[i]`. The base score is stored in
//! output space and turned into a margin with the objective's link, in
//! `f32`, as XGBoost does. See `docs/MODEL_FORMATS.md`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::ensemble::{EnsembleBuilder, NodeSpec, TreeEnsemble, CATEGORICAL, DEFAULT_LEFT};
use super::import_error::{count, Failure, Wrong};
use super::json_path::{describe, JsonAt};
use super::objective::OutputTransform;
use super::split_rule::SplitRule;
use super::tree_links::{child_range, first_relink, Side};
use crate::error::{MiraError, Result};

const KIND: &str = "XGBoost model";
const STR_SOURCE: &str = "<xgboost model>";
const SUPPORTED: &str = "reg:squarederror, reg:absoluteerror, reg:pseudohubererror, \
                         reg:squaredlogerror, reg:quantileerror, reg:gamma, count:poisson, reg:tweedie";

/// Link of a supported objective: identity or log (prediction = exp(margin)).
fn objective_transform(name: &str) -> Result<OutputTransform> {
    match name {
        "reg:squarederror"
        | "reg:linear"
        | "reg:absoluteerror"
        | "reg:pseudohubererror"
        | "reg:squaredlogerror"
        | "reg:quantileerror" => Ok(OutputTransform::Identity),
        "reg:gamma" | "count:poisson" | "reg:tweedie" => Ok(OutputTransform::Exp),
        _ => {
            let why = if name.starts_with("binary:") || name == "reg:logistic" {
                "a probability is not a price"
            } else if name.starts_with("multi:") {
                "multiclass models are not price regressors"
            } else if name.starts_with("rank:") {
                "ranking scores are not prices"
            } else if name.starts_with("survival:") {
                "survival models are not price regressors"
            } else {
                "unknown objective"
            };
            Err(MiraError::Unsupported {
                what: "XGBoost objective".into(),
                name: name.to_string(),
                hint: Some(format!("{why}; supported: {SUPPORTED}")),
            })
        }
    }
}

type Fallible<T> = std::result::Result<T, Failure>;

/// What every number of the file may be.
const NUMBER: &str = "a number (or a string holding one)";
/// What a child link may be.
const CHILD: &str = "an integer (a node index, -1 for a leaf)";
/// Why the per-node arrays have the length they have.
const PER_NODE: &str = "one per node";

/// A number that XGBoost may write as a JSON number or as a string
/// (`"5.4E5"`, or a one-element vector `"[5.4E5]"` in XGBoost ≥ 3.1);
/// `path` names it in errors.
fn number_in(v: &Value, path: impl Fn() -> String) -> Fallible<f64> {
    let bad = || Failure::At(Wrong::expected(path(), NUMBER, describe(v)));
    match v {
        Value::Number(n) => n.as_f64().ok_or_else(bad),
        Value::String(s) => {
            let s = s.trim();
            let inner = match s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                Some(inner) => {
                    let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
                    if parts.len() != 1 {
                        return Err(MiraError::Unsupported {
                            what: "XGBoost model".into(),
                            name: format!("`{}` with {} values", path(), parts.len()),
                            hint: Some("only single-target models predict a price".into()),
                        }
                        .into());
                    }
                    parts[0]
                }
                None => s,
            };
            inner.parse().map_err(|_| bad())
        }
        _ => Err(bad()),
    }
}

/// [`number_in`] for a value in hand.
fn number(at: &JsonAt) -> Fallible<f64> {
    number_in(at.value(), || at.path().to_string())
}

/// A whole number ≥ 0 (a count).
fn count_at(at: &JsonAt, expected: &str) -> Fallible<f64> {
    let v = number(at)?;
    if !(v >= 0.0 && v.fract() == 0.0) {
        return Err(at.wrong(expected).into());
    }
    Ok(v)
}

/// The array `key` of `tree`, which must have `n` entries, as the array at
/// `len_of` has (`why` says what the entries are).
fn array_of_len<'v>(
    tree: &JsonAt<'v>,
    key: &str,
    n: usize,
    len_of: &str,
    why: &str,
) -> Fallible<(JsonAt<'v>, &'v [Value])> {
    let at = tree.get(key, &format!("an array ({why})"))?;
    let items = at.array()?;
    if items.len() != n {
        return Err(Wrong::length(at.path(), items.len(), len_of, n, why).into());
    }
    Ok((at, items))
}

/// The integers of [`array_of_len`]; a boolean reads as 0 or 1.
fn ints(
    tree: &JsonAt,
    key: &str,
    n: usize,
    len_of: &str,
    why: &str,
    expected: &str,
) -> Fallible<Vec<i64>> {
    let (at, items) = array_of_len(tree, key, n, len_of, why)?;
    items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_i64()
                .or_else(|| v.as_bool().map(i64::from))
                .ok_or_else(|| Wrong::expected(at.element(i), expected, describe(v)).into())
        })
        .collect()
}

impl TreeEnsemble {
    /// Import an XGBoost JSON model from a file. Errors name the file.
    pub fn from_xgboost_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| MiraError::io(path, e))?;
        parse(&text, &path.display().to_string())
    }

    /// Import an XGBoost JSON model (`booster.save_model("m.json")` or
    /// `booster.save_raw("json")`).
    ///
    /// Refused with [`MiraError::Unsupported`], by name: non-regression
    /// objectives (binary, multiclass, ranking, survival), `dart` and
    /// `gblinear` boosters, multi-target models and vector leaves.
    /// Categorical inputs are the integer category codes used in training.
    ///
    /// A malformed model is a [`MiraError::Corrupt`] whose reason starts
    /// with the JSON path of the first wrong value and says what was
    /// expected there:
    ///
    /// ```
    /// use agent_mira::model::TreeEnsemble;
    /// let err = TreeEnsemble::from_xgboost_json_str(r#"{"learner": "abc"}"#).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "<xgboost model>: corrupt XGBoost model: at `learner`: expected an object, \
    ///      found a string `abc`"
    /// );
    /// ```
    ///
    /// Sizes must be backed by the text, so that a small file cannot make a
    /// large model: without `learner.feature_names`, `num_feature` may be
    /// at most the text's length in bytes; the categorical splits' bitsets
    /// (one bit per category up to the largest) may take 2^19 words (one
    /// set of every category below 2^24) plus 8 words (256 categories) per
    /// byte of text; each node has at most one category list.
    pub fn from_xgboost_json_str(text: &str) -> Result<Self> {
        parse(text, STR_SOURCE)
    }
}

fn parse(text: &str, source: &str) -> Result<TreeEnsemble> {
    let doc: Value = serde_json::from_str(text).map_err(|e| MiraError::Parse {
        source_name: source.to_string(),
        line: e.line() as u64,
        column: e.column() as u64,
        message: format!("not an XGBoost JSON model: {e}"),
    })?;
    read(&doc, text.len()).map_err(|f| {
        f.into_error(|w| MiraError::Corrupt {
            path: PathBuf::from(source),
            kind: KIND.into(),
            reason: w.to_string(),
        })
    })
}

/// The model in `doc`, a document of `text_len` bytes.
fn read(doc: &Value, text_len: usize) -> Fallible<TreeEnsemble> {
    let learner = JsonAt::root(doc).get("learner", "an object (the model)")?;
    let objective = learner
        .get("objective", "an object")?
        .get("name", "a string (the objective's name)")?
        .str()?;
    let transform = objective_transform(objective)?;
    let booster = learner.get("gradient_booster", "an object")?;
    let booster_name = match booster.get_opt("name")? {
        Some(name) => name.str()?,
        None => "gbtree",
    };
    if booster_name != "gbtree" {
        return Err(MiraError::Unsupported {
            what: "XGBoost booster".into(),
            name: booster_name.to_string(),
            hint: Some("only gbtree models are imported (dart and gblinear are not)".into()),
        }
        .into());
    }
    let mp = learner.get("learner_model_param", "an object")?;
    for key in ["num_class", "num_target"] {
        if let Some(v) = mp.get_opt(key)? {
            let n = count_at(&v, "a whole number ≥ 0")?;
            if n > 1.0 {
                return Err(MiraError::Unsupported {
                    what: "XGBoost model".into(),
                    name: format!("{key}={n}"),
                    hint: Some("only single-output regression models predict a price".into()),
                }
                .into());
            }
        }
    }
    let num_feature_at = mp.get("num_feature", "the number of features")?;
    let max_features = crate::limits::MAX_MODEL_FEATURES;
    let expected_features =
        format!("a whole number of features in 0..={max_features} (limits::MAX_MODEL_FEATURES)");
    let num_feature = count_at(&num_feature_at, &expected_features)?;
    if num_feature > max_features as f64 {
        return Err(num_feature_at.wrong(&expected_features).into());
    }
    let num_features = num_feature as usize;
    let base_score_at = mp.get("base_score", "a number (the base score)")?;
    let base_score = number(&base_score_at)?;
    // The margin is computed in f32, as XGBoost's ProbToMargin does.
    let base_f32 = base_score as f32;
    let init = match transform {
        OutputTransform::Exp => {
            if base_f32.is_nan() || base_f32 <= 0.0 {
                return Err(base_score_at
                    .wrong(&format!(
                        "a number > 0 for the log-link objective {objective}"
                    ))
                    .into());
            }
            base_f32.ln()
        }
        _ => base_f32,
    };
    if !init.is_finite() {
        return Err(base_score_at
            .wrong("a number that is finite in f32 (|x| ≤ 3.4e38)")
            .into());
    }
    let feature_names: Vec<String> = match learner.get_opt("feature_names")? {
        Some(names) if !names.array()?.is_empty() => {
            let items = names.array()?;
            if items.len() != num_features {
                return Err(Wrong::at(
                    names.path(),
                    format!(
                        "expected {} (one per feature, as `{}` = {num_features} says), found {}",
                        count(num_features, "name", "names"),
                        num_feature_at.path(),
                        items.len()
                    ),
                )
                .into());
            }
            items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    v.as_str().map(str::to_string).ok_or_else(|| {
                        Wrong::expected(names.element(i), "a string (a feature name)", describe(v))
                    })
                })
                .collect::<std::result::Result<_, _>>()?
        }
        _ => Vec::new(),
    };
    // XGBoost writes no names when it was trained on a bare matrix, and then
    // nothing in the text stands for a feature: `"num_feature": "1000000"`
    // alone would make a model (and a model card, and every saved model
    // file) a million columns wide. Each feature must be backed by at least
    // one byte of the text; real models are kilobytes per tree.
    if feature_names.is_empty() && num_features > text_len {
        return Err(num_feature_at
            .problem(format!(
                "{num_features} features are not backed by the model: without \
                 `learner.feature_names`, expected at most one feature per byte of model text \
                 ({text_len} bytes)"
            ))
            .into());
    }
    let model = booster.get("model", "an object (the trees)")?;
    let trees_at = model.get("trees", "an array of trees")?;
    let trees = trees_at.array()?;
    if trees.is_empty() {
        return Err(trees_at.wrong("at least one tree").into());
    }
    if trees.len() > crate::limits::MAX_MODEL_TREES {
        return Err(trees_at
            .problem(format!(
                "{} trees: expected at most {} (limits::MAX_MODEL_TREES)",
                trees.len(),
                crate::limits::MAX_MODEL_TREES
            ))
            .into());
    }
    if let Some(param) = model.get_opt("gbtree_model_param")? {
        if let Some(num_trees) = param.get_opt("num_trees")? {
            if number(&num_trees)? != trees.len() as f64 {
                return Err(num_trees
                    .wrong(&format!(
                        "{} (as many trees as `{}` has)",
                        trees.len(),
                        trees_at.path()
                    ))
                    .into());
            }
        }
    }
    let mut builder = EnsembleBuilder::new(SplitRule::XgBoost, num_features, feature_names);
    let mut cat_words = CatWords {
        used: 0,
        budget: FREE_CAT_WORDS + CAT_WORDS_PER_BYTE * text_len,
    };
    let features = Features {
        count: num_features,
        path: num_feature_at.path(),
    };
    for t in 0..trees.len() {
        let tree = trees_at.index(t)?;
        read_tree(&tree, t, &features, &mut builder, &mut cat_words)?;
    }
    builder
        .finish(objective, transform, f64::from(init), None)
        .map_err(|e| trees_at.problem(e).into())
}

/// The model's feature count and where the file states it.
struct Features<'a> {
    count: usize,
    path: &'a str,
}

/// Categories are below 2^24 (XGBoost stores them as `f32`).
const MAX_CATEGORY: i64 = 1 << 24;
/// Bitset words the model's category sets may take without being backed by
/// the text: one set reaching the largest category.
const FREE_CAT_WORDS: usize = (MAX_CATEGORY / 32) as usize;
/// Bitset words each byte of text backs, beyond [`FREE_CAT_WORDS`]: real
/// sets list up to `max_cat_threshold` (64) categories in a few hundred
/// bytes, and reach a few thousand categories.
const CAT_WORDS_PER_BYTE: usize = 8;

/// A categorical split is stored as a bitset up to its largest category, so
/// one number in the text (`16777215`) makes 2 MiB of words. The words of
/// all sets are budgeted: [`FREE_CAT_WORDS`] plus [`CAT_WORDS_PER_BYTE`]
/// per byte of text.
struct CatWords {
    used: usize,
    budget: usize,
}

fn read_tree(
    tree: &JsonAt,
    t: usize,
    features: &Features,
    builder: &mut EnsembleBuilder,
    cat_words: &mut CatWords,
) -> Fallible<()> {
    tree.object()?;
    if let Some(id) = tree.get_opt("id")? {
        if id.value().as_i64() != Some(t as i64) {
            return Err(id
                .wrong(&format!("{t} (trees are stored in the order of their ids)"))
                .into());
        }
    }
    let tree_param = tree.get_opt("tree_param")?;
    let param = |key: &str| match &tree_param {
        Some(p) => p.get_opt(key),
        None => Ok(None),
    };
    if let Some(v) = param("size_leaf_vector")? {
        let n = number(&v)?;
        if n > 1.0 {
            return Err(MiraError::Unsupported {
                what: "XGBoost feature".into(),
                name: "vector leaves (multi_strategy=multi_output_tree)".into(),
                hint: Some(format!("`{}` = {n} values per leaf", v.path())),
            }
            .into());
        }
    }
    let left_at = tree.get(
        "left_children",
        "an array (the left child of each node, -1 for a leaf)",
    )?;
    let n = left_at.array()?.len();
    if n == 0 {
        return Err(left_at.wrong("at least one node").into());
    }
    if n > 2 * crate::limits::MAX_TREE_LEAVES {
        return Err(left_at
            .problem(format!(
                "{n} nodes: expected at most {} (limits::MAX_TREE_LEAVES leaves)",
                2 * crate::limits::MAX_TREE_LEAVES
            ))
            .into());
    }
    if let Some(v) = param("num_nodes")? {
        if number(&v)? != n as f64 {
            return Err(v
                .wrong(&format!("{n} (as many nodes as `{}` has)", left_at.path()))
                .into());
        }
    }
    let len_of = left_at.path();
    let left = ints(tree, "left_children", n, len_of, PER_NODE, CHILD)?;
    let right = ints(tree, "right_children", n, len_of, PER_NODE, CHILD)?;
    let split_index = ints(
        tree,
        "split_indices",
        n,
        len_of,
        PER_NODE,
        "an integer (a feature index)",
    )?;
    let default_left = ints(
        tree,
        "default_left",
        n,
        len_of,
        PER_NODE,
        "an integer (0 or 1) or a boolean",
    )?;
    let (conditions_at, conditions) = array_of_len(tree, "split_conditions", n, len_of, PER_NODE)?;
    let split_type_path = tree.member("split_type");
    let split_type = match tree.get_opt("split_type")? {
        Some(_) => ints(
            tree,
            "split_type",
            n,
            len_of,
            PER_NODE,
            "an integer (0 numerical, 1 categorical)",
        )?,
        None => vec![0; n],
    };
    // Categorical sets: node -> categories that go right.
    let mut cat_of_node = vec![u32::MAX; n];
    if let Some(first) = split_type.iter().position(|&s| s == 1) {
        let why = format!("an array (`{split_type_path}[{first}]` = 1 marks a categorical split)");
        let nodes_at = tree.get("categories_nodes", &why)?;
        let m = nodes_at.array()?.len();
        let per_list = "one per categorical node";
        let node_of = ints(
            tree,
            "categories_nodes",
            m,
            nodes_at.path(),
            per_list,
            "an integer (a node index)",
        )?;
        let segs = ints(
            tree,
            "categories_segments",
            m,
            nodes_at.path(),
            per_list,
            "an integer (a start in `categories`)",
        )?;
        let sizes = ints(
            tree,
            "categories_sizes",
            m,
            nodes_at.path(),
            per_list,
            "an integer (a number of categories)",
        )?;
        let cats_at = tree.get("categories", &why)?;
        let all = cats_at.array()?.len();
        let cats = ints(
            tree,
            "categories",
            all,
            cats_at.path(),
            "the categories of every list",
            "an integer (a category)",
        )?;
        let segs_path = tree.member("categories_segments");
        let sizes_path = tree.member("categories_sizes");
        let mut entry_of_node = vec![usize::MAX; n];
        for j in 0..m {
            let node = node_of[j];
            if node < 0 || node as usize >= n {
                return Err(Wrong::expected(
                    nodes_at.element(j),
                    &format!("a node index in 0..={}", n - 1),
                    node,
                )
                .into());
            }
            let node = node as usize;
            let (a, len) = (segs[j], sizes[j]);
            if a < 0 {
                return Err(Wrong::expected(format!("{segs_path}[{j}]"), "a start ≥ 0", a).into());
            }
            if len < 0 {
                return Err(
                    Wrong::expected(format!("{sizes_path}[{j}]"), "a size ≥ 0", len).into(),
                );
            }
            if a.checked_add(len).is_none_or(|e| e as usize > cats.len()) {
                return Err(Wrong::at(
                    format!("{segs_path}[{j}]"),
                    format!(
                        "the list starting at {a} with {len} (`{sizes_path}[{j}]`) runs past \
                         the end of `{}`: expected a range inside its {}",
                        cats_at.path(),
                        count(cats.len(), "entry", "entries")
                    ),
                )
                .into());
            }
            if entry_of_node[node] != usize::MAX {
                return Err(Wrong::at(
                    nodes_at.element(j),
                    format!(
                        "node {node} is listed again (first at `{}`): expected one category \
                         list per node",
                        nodes_at.element(entry_of_node[node])
                    ),
                )
                .into());
            }
            entry_of_node[node] = j;
            let set = &cats[a as usize..(a + len) as usize];
            if let Some(k) = set.iter().position(|c| !(0..MAX_CATEGORY).contains(c)) {
                return Err(Wrong::expected(
                    cats_at.element(a as usize + k),
                    "a category in 0..16777216 (below 2^24)",
                    set[k],
                )
                .into());
            }
            let max = set.iter().copied().max().unwrap_or(0);
            let n_words = max as usize / 32 + 1;
            cat_words.used += n_words;
            if cat_words.used > cat_words.budget {
                return Err(nodes_at
                    .problem(format!(
                        "the categories of node {node} (largest {max}) take {n_words} bitset \
                         words, bringing the model's category sets to {} words: expected at \
                         most {} ({FREE_CAT_WORDS} plus {CAT_WORDS_PER_BYTE} per byte of model \
                         text)",
                        cat_words.used, cat_words.budget
                    ))
                    .into());
            }
            let mut words = vec![0u32; n_words];
            for &c in set {
                words[c as usize / 32] |= 1 << (c % 32);
            }
            cat_of_node[node] = builder.add_cat_split(&words, None);
        }
    }
    let mut nodes = Vec::with_capacity(n);
    for i in 0..n {
        let condition = &conditions[i];
        let value = number_in(condition, || conditions_at.element(i))? as f32;
        if left[i] == -1 {
            if !value.is_finite() {
                return Err(Wrong::expected(
                    conditions_at.element(i),
                    &format!("a leaf value finite in f32 (node {i} is a leaf)"),
                    describe(condition),
                )
                .into());
            }
            nodes.push(NodeSpec::leaf(f64::from(value)));
            continue;
        }
        for (key, c) in [("left_children", left[i]), ("right_children", right[i])] {
            if !(c > 0 && (c as usize) < n) {
                let leaf = if key == "left_children" {
                    "-1 (a leaf) or "
                } else {
                    ""
                };
                return Err(Wrong::expected(
                    format!("{}[{i}]", tree.member(key)),
                    &format!("{leaf}a child node index in {}", child_range(n)),
                    c,
                )
                .into());
            }
        }
        let f = split_index[i];
        if f < 0 || f as usize >= features.count {
            return Err(Wrong::expected(
                format!("{}[{i}]", tree.member("split_indices")),
                &format!(
                    "a feature index below {} (`{}`)",
                    features.count, features.path
                ),
                f,
            )
            .into());
        }
        let mut flags = if default_left[i] != 0 {
            DEFAULT_LEFT
        } else {
            0
        };
        let value = match split_type[i] {
            0 => {
                if value.is_nan() {
                    return Err(Wrong::expected(
                        conditions_at.element(i),
                        &format!("a split threshold for node {i}, not NaN"),
                        describe(condition),
                    )
                    .into());
                }
                f64::from(value)
            }
            1 => {
                if cat_of_node[i] == u32::MAX {
                    return Err(Wrong::at(
                        format!("{split_type_path}[{i}]"),
                        format!(
                            "node {i} is categorical but `{}` does not list it: expected a \
                             category list for every categorical node",
                            tree.member("categories_nodes")
                        ),
                    )
                    .into());
                }
                flags |= CATEGORICAL;
                f64::from(cat_of_node[i])
            }
            s => {
                return Err(Wrong::expected(
                    format!("{split_type_path}[{i}]"),
                    "0 (numerical) or 1 (categorical)",
                    s,
                )
                .into())
            }
        };
        nodes.push(NodeSpec {
            feature: f as u32,
            value,
            left: left[i] as u32,
            right: right[i] as u32,
            flags,
        });
    }
    if let Some(r) = first_relink(&nodes) {
        let key = |side| match side {
            Side::Left => "left_children",
            Side::Right => "right_children",
        };
        let link = |(node, side)| format!("{}[{node}]", tree.member(key(side)));
        let problem = r.problem(link);
        return Err(Wrong::at(
            link((r.parent, r.side)),
            format!("{problem}: expected each node to have one parent, and the root none"),
        )
        .into());
    }
    builder
        .push_tree(&nodes)
        .map_err(|e| tree.problem(e).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_score_may_be_a_vector_string() {
        let read = |v: Value| number_in(&v, || "b".to_string());
        assert_eq!(read(Value::from("[5.4E5]")).unwrap(), 540000.0);
        assert_eq!(read(Value::from("5E-1")).unwrap(), 0.5);
        assert_eq!(read(Value::from(2.5)).unwrap(), 2.5);
        let err = read(Value::from("[1,2]")).unwrap_err();
        assert_eq!(
            err.into_error(|w| panic!("{w}")).to_string(),
            "unsupported XGBoost model: `b` with 2 values (only single-target models predict a price)"
        );
        match read(Value::from("abc")).unwrap_err() {
            Failure::At(w) => assert_eq!(
                w.to_string(),
                "at `b`: expected a number (or a string holding one), found a string `abc`"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn objectives_map_to_links() {
        assert_eq!(
            objective_transform("reg:gamma").unwrap(),
            OutputTransform::Exp
        );
        assert_eq!(
            objective_transform("reg:absoluteerror").unwrap(),
            OutputTransform::Identity
        );
        let err = objective_transform("binary:logistic").unwrap_err();
        assert!(err.to_string().contains("binary:logistic"), "{err}");
        assert!(objective_transform("rank:pairwise").is_err());
    }

    /// A model without feature names declaring `num_feature` features, with
    /// the given trees.
    fn model(num_feature: &str, trees: &str) -> String {
        format!(
            r#"{{"learner":{{"learner_model_param":{{"base_score":"0.5","num_feature":"{num_feature}"}},"objective":{{"name":"reg:squarederror"}},"gradient_booster":{{"name":"gbtree","model":{{"trees":[{trees}]}}}}}}}}"#
        )
    }

    const LEAF: &str = r#"{"left_children":[-1],"right_children":[-1],"split_indices":[0],"split_conditions":[1.0],"default_left":[0]}"#;

    /// A categorical stump on feature 0 whose categories entries are given.
    fn cat_stump(nodes: &str, segments: &str, sizes: &str, categories: &str) -> String {
        format!(
            r#"{{"left_children":[1,-1,-1],"right_children":[2,-1,-1],"split_indices":[0,0,0],"split_conditions":[0,1,2],"default_left":[0,0,0],"split_type":[1,0,0],"categories_nodes":[{nodes}],"categories_segments":[{segments}],"categories_sizes":[{sizes}],"categories":[{categories}]}}"#
        )
    }

    /// A small text declaring an enormous model is refused at once, naming
    /// the field, the value and what was expected.
    #[test]
    fn a_small_text_declaring_a_huge_model_is_refused_quickly() {
        let text = model("1000000", LEAF);
        assert!(text.len() < 300);
        let err = TreeEnsemble::from_xgboost_json_str(&text).unwrap_err();
        assert_eq!(err.code(), "MIRA_CORRUPT", "{err}");
        assert_eq!(
            err.to_string(),
            format!(
                "<xgboost model>: corrupt XGBoost model: at \
                 `learner.learner_model_param.num_feature`: 1000000 features are not backed by \
                 the model: without `learner.feature_names`, expected at most one feature per \
                 byte of model text ({} bytes)",
                text.len()
            )
        );
        // As many unnamed features as bytes is fine; named ones are backed
        // by their names.
        let ok = model("100", LEAF);
        assert_eq!(
            TreeEnsemble::from_xgboost_json_str(&ok)
                .unwrap()
                .num_features(),
            100
        );
        let names: Vec<String> = (0..1000).map(|i| format!("\"f{i}\"")).collect();
        let named = model("1000", LEAF).replace(
            r#"{"learner":{"#,
            &format!(r#"{{"learner":{{"feature_names":[{}],"#, names.join(",")),
        );
        assert_eq!(
            TreeEnsemble::from_xgboost_json_str(&named)
                .unwrap()
                .num_features(),
            1000
        );

        // One category near 2^24 is a 2 MiB bitset: once is allowed, a
        // thousand trees repeating it (300 KB of text, 2 GiB of bitsets)
        // are not.
        let one = cat_stump("0", "0", "1", "16777215");
        let m = TreeEnsemble::from_xgboost_json_str(&model("1", &one)).unwrap();
        assert_eq!(m.predict_row(&[16777215.0]).unwrap(), 0.5 + 2.0);
        assert_eq!(m.predict_row(&[3.0]).unwrap(), 0.5 + 1.0);
        let many = model("1", &vec![one; 1000].join(","));
        let err = TreeEnsemble::from_xgboost_json_str(&many).unwrap_err();
        assert_eq!(err.code(), "MIRA_CORRUPT", "{err}");
        let budget = FREE_CAT_WORDS + CAT_WORDS_PER_BYTE * many.len();
        let t = budget / FREE_CAT_WORDS; // the first tree past the budget
        assert_eq!(
            err.to_string(),
            format!(
                "<xgboost model>: corrupt XGBoost model: at \
                 `learner.gradient_booster.model.trees[{t}].categories_nodes`: the categories of \
                 node 0 (largest 16777215) take 524288 bitset words, bringing the model's \
                 category sets to {} words: expected at most {budget} (524288 plus 8 per byte \
                 of model text)",
                (t + 1) * FREE_CAT_WORDS
            )
        );
        // A start and size that overflow are out of range, not a panic.
        let err = TreeEnsemble::from_xgboost_json_str(&model(
            "1",
            &cat_stump("0", "9223372036854775807", "1", "5"),
        ))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "<xgboost model>: corrupt XGBoost model: at \
             `learner.gradient_booster.model.trees[0].categories_segments[0]`: the list starting \
             at 9223372036854775807 with 1 (`learner.gradient_booster.model.trees[0].\
             categories_sizes[0]`) runs past the end of \
             `learner.gradient_booster.model.trees[0].categories`: expected a range inside its \
             1 entry"
        );
        // A node listed twice (its set repeated from one entry of text).
        let twice = cat_stump("0,0", "0,0", "1,1", "5");
        let err = TreeEnsemble::from_xgboost_json_str(&model("1", &twice)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "<xgboost model>: corrupt XGBoost model: at \
             `learner.gradient_booster.model.trees[0].categories_nodes[1]`: node 0 is listed \
             again (first at `learner.gradient_booster.model.trees[0].categories_nodes[0]`): \
             expected one category list per node"
        );
    }
}
