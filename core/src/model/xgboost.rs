//! Importer for XGBoost JSON models (`booster.save_model("m.json")`,
//! XGBoost 1.x–3.x schema).
//!
//! Trees keep their node numbering; a node is a leaf when its left child is
//! -1 and its output is `split_conditions[i]`. The base score is stored in
//! output space and turned into a margin with the objective's link, in
//! `f32`, as XGBoost does. See `MODEL_FORMATS.md`.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::ensemble::{EnsembleBuilder, NodeSpec, TreeEnsemble, CATEGORICAL, DEFAULT_LEFT};
use super::objective::OutputTransform;
use super::split_rule::SplitRule;
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

struct Ctx<'a> {
    source: &'a str,
}

impl Ctx<'_> {
    fn corrupt(&self, reason: impl Into<String>) -> MiraError {
        MiraError::Corrupt {
            path: PathBuf::from(self.source),
            kind: KIND.into(),
            reason: reason.into(),
        }
    }

    fn get<'v>(&self, v: &'v Value, path: &str) -> Result<&'v Value> {
        let mut cur = v;
        for key in path.split('.') {
            cur = cur
                .get(key)
                .ok_or_else(|| self.corrupt(format!("missing `{path}`")))?;
        }
        Ok(cur)
    }

    /// A number that XGBoost may write as a JSON number or as a string
    /// (`"5.4E5"`, or a one-element vector `"[5.4E5]"` in XGBoost ≥ 3.1).
    fn number(&self, v: &Value, what: &str) -> Result<f64> {
        let bad = || self.corrupt(format!("`{what}` = {v} is not a number"));
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
                                name: format!("{what} with {} values", parts.len()),
                                hint: Some("only single-target models predict a price".into()),
                            });
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

    fn array<'v>(&self, tree: &'v Value, t: usize, key: &str, len: usize) -> Result<&'v [Value]> {
        let a = tree
            .get(key)
            .and_then(Value::as_array)
            .ok_or_else(|| self.corrupt(format!("trees[{t}]: missing array `{key}`")))?;
        if a.len() != len {
            return Err(self.corrupt(format!(
                "trees[{t}]: {key} has {} entries, expected {len}",
                a.len()
            )));
        }
        Ok(a)
    }

    fn ints(&self, tree: &Value, t: usize, key: &str, len: usize) -> Result<Vec<i64>> {
        self.array(tree, t, key, len)?
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_i64()
                    .or_else(|| v.as_bool().map(i64::from))
                    .ok_or_else(|| {
                        self.corrupt(format!("trees[{t}]: {key}[{i}] = {v} is not an integer"))
                    })
            })
            .collect()
    }
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
    let ctx = Ctx { source };
    let doc: Value = serde_json::from_str(text).map_err(|e| MiraError::Parse {
        source_name: source.to_string(),
        line: e.line() as u64,
        column: e.column() as u64,
        message: format!("not an XGBoost JSON model: {e}"),
    })?;
    let learner = ctx.get(&doc, "learner")?;
    let objective = ctx
        .get(learner, "objective.name")?
        .as_str()
        .ok_or_else(|| ctx.corrupt("`learner.objective.name` is not a string"))?;
    let transform = objective_transform(objective)?;
    let booster = ctx.get(learner, "gradient_booster")?;
    let booster_name = booster
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("gbtree");
    if booster_name != "gbtree" {
        return Err(MiraError::Unsupported {
            what: "XGBoost booster".into(),
            name: booster_name.to_string(),
            hint: Some("only gbtree models are imported (dart and gblinear are not)".into()),
        });
    }
    let mp = ctx.get(learner, "learner_model_param")?;
    for key in ["num_class", "num_target"] {
        if let Some(v) = mp.get(key) {
            let n = ctx.number(v, &format!("learner_model_param.{key}"))?;
            if n > 1.0 {
                return Err(MiraError::Unsupported {
                    what: "XGBoost model".into(),
                    name: format!("{key}={n}"),
                    hint: Some("only single-output regression models predict a price".into()),
                });
            }
        }
    }
    let num_feature = ctx.number(
        ctx.get(mp, "num_feature")?,
        "learner_model_param.num_feature",
    )?;
    if !(0.0..=crate::limits::MAX_MODEL_FEATURES as f64).contains(&num_feature)
        || num_feature.fract() != 0.0
    {
        return Err(ctx.corrupt(format!("num_feature = {num_feature} is out of range")));
    }
    let num_features = num_feature as usize;
    let base_score = ctx.number(ctx.get(mp, "base_score")?, "learner_model_param.base_score")?;
    // The margin is computed in f32, as XGBoost's ProbToMargin does.
    let base_f32 = base_score as f32;
    let init = match transform {
        OutputTransform::Exp => {
            if base_f32 <= 0.0 {
                return Err(ctx.corrupt(format!(
                    "base_score = {base_score} must be > 0 for the log-link objective {objective}"
                )));
            }
            base_f32.ln()
        }
        _ => base_f32,
    };
    if !init.is_finite() {
        return Err(ctx.corrupt(format!("base_score = {base_score} is not finite in f32")));
    }
    let feature_names: Vec<String> = match learner.get("feature_names").and_then(Value::as_array) {
        Some(a) if !a.is_empty() => {
            if a.len() != num_features {
                return Err(ctx.corrupt(format!(
                    "learner.feature_names has {} entries, expected num_feature = {num_features}",
                    a.len()
                )));
            }
            a.iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<_>>()
                .ok_or_else(|| ctx.corrupt("learner.feature_names holds a non-string"))?
        }
        _ => Vec::new(),
    };
    // XGBoost writes no names when it was trained on a bare matrix, and then
    // nothing in the text stands for a feature: `"num_feature": "1000000"`
    // alone would make a model (and a model card, and every saved model
    // file) a million columns wide. Each feature must be backed by at least
    // one byte of the text; real models are kilobytes per tree.
    if feature_names.is_empty() && num_features > text.len() {
        return Err(ctx.corrupt(format!(
            "learner_model_param.num_feature = {num_features} is not backed by the model: without \
             `learner.feature_names`, expected at most one feature per byte of model text \
             ({} bytes)",
            text.len()
        )));
    }
    let model = ctx.get(booster, "model")?;
    let trees = ctx
        .get(model, "trees")?
        .as_array()
        .ok_or_else(|| ctx.corrupt("`model.trees` is not an array"))?;
    if trees.len() > crate::limits::MAX_MODEL_TREES {
        return Err(ctx.corrupt(format!(
            "{} trees, more than {} (limits::MAX_MODEL_TREES)",
            trees.len(),
            crate::limits::MAX_MODEL_TREES
        )));
    }
    let mut builder = EnsembleBuilder::new(SplitRule::XgBoost, num_features, feature_names);
    let mut cat_words = CatWords {
        used: 0,
        budget: FREE_CAT_WORDS + CAT_WORDS_PER_BYTE * text.len(),
    };
    for (t, tree) in trees.iter().enumerate() {
        parse_tree(&ctx, t, tree, num_features, &mut builder, &mut cat_words)?;
    }
    builder
        .finish(objective, transform, f64::from(init), None)
        .map_err(|e| ctx.corrupt(e))
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

fn parse_tree(
    ctx: &Ctx,
    t: usize,
    tree: &Value,
    num_features: usize,
    builder: &mut EnsembleBuilder,
    cat_words: &mut CatWords,
) -> Result<()> {
    if let Some(p) = tree.get("tree_param") {
        if let Some(v) = p.get("size_leaf_vector") {
            let n = ctx.number(v, "tree_param.size_leaf_vector")?;
            if n > 1.0 {
                return Err(MiraError::Unsupported {
                    what: "XGBoost feature".into(),
                    name: "vector leaves (multi_strategy=multi_output_tree)".into(),
                    hint: Some(format!("trees[{t}] has {n} values per leaf")),
                });
            }
        }
    }
    let n = tree
        .get("left_children")
        .and_then(Value::as_array)
        .map(Vec::len)
        .ok_or_else(|| ctx.corrupt(format!("trees[{t}]: missing array `left_children`")))?;
    if n == 0 {
        return Err(ctx.corrupt(format!("trees[{t}] has no nodes")));
    }
    if n > 2 * crate::limits::MAX_TREE_LEAVES {
        return Err(ctx.corrupt(format!(
            "trees[{t}] has {n} nodes, more than {} (limits::MAX_TREE_LEAVES leaves)",
            2 * crate::limits::MAX_TREE_LEAVES
        )));
    }
    let left = ctx.ints(tree, t, "left_children", n)?;
    let right = ctx.ints(tree, t, "right_children", n)?;
    let split_index = ctx.ints(tree, t, "split_indices", n)?;
    let default_left = ctx.ints(tree, t, "default_left", n)?;
    let conditions = ctx.array(tree, t, "split_conditions", n)?;
    let split_type = match tree.get("split_type") {
        Some(_) => ctx.ints(tree, t, "split_type", n)?,
        None => vec![0; n],
    };
    // Categorical sets: node -> categories that go right.
    let mut cat_of_node = vec![u32::MAX; n];
    if split_type.contains(&1) {
        let nodes = tree.get("categories_nodes").and_then(Value::as_array);
        let segs = tree.get("categories_segments").and_then(Value::as_array);
        let sizes = tree.get("categories_sizes").and_then(Value::as_array);
        let cats = tree.get("categories").and_then(Value::as_array);
        let (Some(nodes), Some(_), Some(_), Some(cats)) = (nodes, segs, sizes, cats) else {
            return Err(ctx.corrupt(format!(
                "trees[{t}] has categorical splits but no categories arrays"
            )));
        };
        let m = nodes.len();
        let nodes = ctx.ints(tree, t, "categories_nodes", m)?;
        let segs = ctx.ints(tree, t, "categories_segments", m)?;
        let sizes = ctx.ints(tree, t, "categories_sizes", m)?;
        let cats = ctx.ints(tree, t, "categories", cats.len())?;
        for j in 0..m {
            let node = nodes[j];
            let (a, len) = (segs[j], sizes[j]);
            let past_end = a.checked_add(len).is_none_or(|e| e as usize > cats.len());
            if node < 0 || node as usize >= n || a < 0 || len < 0 || past_end {
                return Err(ctx.corrupt(format!(
                    "trees[{t}]: categories entry {j} (node {node}, {a}+{len}) is out of range"
                )));
            }
            if cat_of_node[node as usize] != u32::MAX {
                return Err(ctx.corrupt(format!(
                    "trees[{t}]: categories entry {j} lists node {node} again (each categorical \
                     node has one category list)"
                )));
            }
            let set = &cats[a as usize..(a + len) as usize];
            let max = set.iter().copied().max().unwrap_or(0);
            if set.iter().any(|&c| !(0..MAX_CATEGORY).contains(&c)) {
                return Err(ctx.corrupt(format!(
                    "trees[{t}]: node {node} lists a category outside 0..2^24"
                )));
            }
            let n_words = max as usize / 32 + 1;
            cat_words.used += n_words;
            if cat_words.used > cat_words.budget {
                return Err(ctx.corrupt(format!(
                    "trees[{t}]: the categories of node {node} (largest {max}) take {n_words} \
                     bitset words, bringing the model's category sets to {} words: expected at \
                     most {} ({FREE_CAT_WORDS} plus {CAT_WORDS_PER_BYTE} per byte of model text)",
                    cat_words.used, cat_words.budget
                )));
            }
            let mut words = vec![0u32; n_words];
            for &c in set {
                words[c as usize / 32] |= 1 << (c % 32);
            }
            cat_of_node[node as usize] = builder.add_cat_split(&words, None);
        }
    }
    let mut nodes = Vec::with_capacity(n);
    for i in 0..n {
        let value = ctx.number(&conditions[i], &format!("trees[{t}].split_conditions[{i}]"))?;
        if left[i] == -1 {
            nodes.push(NodeSpec::leaf(f64::from(value as f32)));
            continue;
        }
        let child_ok = |c: i64| c > 0 && (c as usize) < n;
        if !child_ok(left[i]) || !child_ok(right[i]) {
            return Err(ctx.corrupt(format!(
                "trees[{t}]: node {i} has children {} and {}, but the tree has {n} nodes",
                left[i], right[i]
            )));
        }
        let f = split_index[i];
        if f < 0 || f as usize >= num_features {
            return Err(ctx.corrupt(format!(
                "trees[{t}]: node {i} splits on feature {f}, but the model has {num_features} features"
            )));
        }
        let mut flags = if default_left[i] != 0 {
            DEFAULT_LEFT
        } else {
            0
        };
        let value = match split_type[i] {
            0 => f64::from(value as f32),
            1 => {
                if cat_of_node[i] == u32::MAX {
                    return Err(ctx.corrupt(format!(
                        "trees[{t}]: node {i} is categorical but has no category list"
                    )));
                }
                flags |= CATEGORICAL;
                f64::from(cat_of_node[i])
            }
            s => {
                return Err(ctx.corrupt(format!("trees[{t}]: node {i} has unknown split_type {s}")))
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
    builder
        .push_tree(&nodes)
        .map_err(|e| ctx.corrupt(format!("trees[{t}]: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_score_may_be_a_vector_string() {
        let ctx = Ctx { source: "x" };
        assert_eq!(ctx.number(&Value::from("[5.4E5]"), "b").unwrap(), 540000.0);
        assert_eq!(ctx.number(&Value::from("5E-1"), "b").unwrap(), 0.5);
        assert_eq!(ctx.number(&Value::from(2.5), "b").unwrap(), 2.5);
        assert!(ctx.number(&Value::from("[1,2]"), "b").is_err());
        assert!(ctx.number(&Value::from("abc"), "b").is_err());
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
        let msg = err.to_string();
        assert!(
            msg.contains("learner_model_param.num_feature = 1000000 is not backed by the model"),
            "{msg}"
        );
        assert!(
            msg.contains(&format!(
                "expected at most one feature per byte of model text ({} bytes)",
                text.len()
            )),
            "{msg}"
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
        assert!(
            err.to_string().contains(&format!(
                "trees[{t}]: the categories of node 0 (largest 16777215) take 524288 bitset \
                 words, bringing the model's category sets to {} words: expected at most \
                 {budget} (524288 plus 8 per byte of model text)",
                (t + 1) * FREE_CAT_WORDS
            )),
            "{err}"
        );
        // A start and size that overflow are out of range, not a panic.
        let err = TreeEnsemble::from_xgboost_json_str(&model(
            "1",
            &cat_stump("0", "9223372036854775807", "1", "5"),
        ))
        .unwrap_err();
        assert!(err.to_string().contains("is out of range"), "{err}");
        // A node listed twice (its set repeated from one entry of text).
        let twice = cat_stump("0,0", "0,0", "1,1", "5");
        let err = TreeEnsemble::from_xgboost_json_str(&model("1", &twice)).unwrap_err();
        assert!(
            err.to_string()
                .contains("trees[0]: categories entry 1 lists node 0 again"),
            "{err}"
        );
    }
}
