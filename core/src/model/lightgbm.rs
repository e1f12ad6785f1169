//! Importer for LightGBM text models (`booster.save_model("m.txt")`).
//!
//! The header gives the objective, the feature names and `max_feature_idx`;
//! each `Tree=N` block gives the split arrays. Internal nodes keep their
//! LightGBM index, leaf `k` becomes node `num_leaves - 1 + k`. Shrinkage and
//! the initial score are already in the leaf values. See `MODEL_FORMATS.md`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::ensemble::{
    EnsembleBuilder, NodeSpec, TreeEnsemble, CATEGORICAL, DEFAULT_LEFT, LEAF, MISSING_NAN,
    MISSING_ZERO,
};
use super::objective::OutputTransform;
use super::split_rule::SplitRule;
use crate::error::{MiraError, Result};

const KIND: &str = "LightGBM model";
const STR_SOURCE: &str = "<lightgbm model>";

/// Objectives whose output is a regression of the label (a price).
const SUPPORTED: &str = "regression, regression_l1, huber, fair, quantile, mape, poisson, gamma, \
                         tweedie (optionally with sqrt)";

struct Ctx<'a> {
    source: &'a str,
}

impl Ctx<'_> {
    fn parse_err(&self, line: usize, message: impl Into<String>) -> MiraError {
        MiraError::Parse {
            source_name: self.source.to_string(),
            line: line as u64,
            column: 0,
            message: message.into(),
        }
    }

    fn corrupt(&self, reason: impl Into<String>) -> MiraError {
        MiraError::Corrupt {
            path: PathBuf::from(self.source),
            kind: KIND.into(),
            reason: reason.into(),
        }
    }
}

/// A `key=value` line and its 1-based line number.
type Fields<'a> = HashMap<&'a str, (usize, &'a str)>;

fn parse_list<T: std::str::FromStr>(
    ctx: &Ctx,
    tree: &str,
    fields: &Fields,
    key: &str,
    expected: usize,
) -> Result<Vec<T>> {
    let Some(&(line, text)) = fields.get(key) else {
        if expected == 0 {
            return Ok(Vec::new());
        }
        return Err(ctx.parse_err(0, format!("{tree}: missing `{key}`")));
    };
    // The count comes from the file: never reserve more than the text can
    // hold (each entry takes at least two bytes, a digit and a space).
    let mut out = Vec::with_capacity(expected.min(text.len() / 2 + 1));
    for (i, tok) in text.split_whitespace().enumerate() {
        out.push(tok.parse::<T>().map_err(|_| {
            ctx.parse_err(
                line,
                format!("{tree}: {key}[{i}] = `{tok}` is not a valid number"),
            )
        })?);
    }
    if out.len() != expected {
        return Err(ctx.parse_err(
            line,
            format!(
                "{tree}: {key} has {} entries, expected {expected}",
                out.len()
            ),
        ));
    }
    Ok(out)
}

fn parse_one<T: std::str::FromStr>(ctx: &Ctx, fields: &Fields, key: &str, what: &str) -> Result<T> {
    let Some(&(line, text)) = fields.get(key) else {
        return Err(ctx.parse_err(0, format!("{what}: missing `{key}`")));
    };
    text.trim().parse().map_err(|_| {
        ctx.parse_err(
            line,
            format!("{what}: `{key}={text}` is not a valid number"),
        )
    })
}

/// Map a LightGBM objective line to its output transform, or refuse it.
fn objective_transform(objective: &str) -> Result<OutputTransform> {
    let mut tokens = objective.split_whitespace();
    let name = tokens.next().unwrap_or("");
    let sqrt = tokens.any(|t| t == "sqrt");
    let refuse = |hint: &str| MiraError::Unsupported {
        what: "LightGBM objective".into(),
        name: name.to_string(),
        hint: Some(hint.to_string()),
    };
    match name {
        "regression" | "regression_l2" | "l2" | "mean_squared_error" | "mse" | "rmse"
        | "regression_l1" | "l1" | "mae" | "huber" | "fair" | "quantile" | "mape" | "custom"
        | "" => Ok(if sqrt {
            OutputTransform::SignedSquare
        } else {
            OutputTransform::Identity
        }),
        "poisson" | "gamma" | "tweedie" => Ok(OutputTransform::Exp),
        "binary" | "cross_entropy" | "xentropy" | "cross_entropy_lambda" | "xentlambda" => {
            Err(refuse(&format!(
                "a classifier's probability is not a price; supported: {SUPPORTED}"
            )))
        }
        "multiclass" | "softmax" | "multiclassova" | "multiclass_ova" | "ova" | "ovr" => {
            Err(refuse(&format!(
                "multiclass models are not price regressors; supported: {SUPPORTED}"
            )))
        }
        "lambdarank" | "rank_xendcg" | "xendcg" | "xe_ndcg" | "xe_ndcg_mart" | "xendcg_mart" => {
            Err(refuse(&format!(
                "ranking scores are not prices; supported: {SUPPORTED}"
            )))
        }
        _ => Err(refuse(&format!("supported: {SUPPORTED}"))),
    }
}

impl TreeEnsemble {
    /// Import a LightGBM text model from a file. Errors name the file.
    pub fn from_lightgbm_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| MiraError::io(path, e))?;
        parse(&text, &path.display().to_string())
    }

    /// Import a LightGBM text model (`booster.save_model` /
    /// `booster.model_to_string()` output).
    ///
    /// Refused with [`MiraError::Unsupported`], by name: non-regression
    /// objectives (binary, multiclass, ranking, cross-entropy), more than one
    /// tree per iteration, and linear trees (`linear_tree=True`).
    ///
    /// Every size the text declares must be backed by the text itself, so
    /// that a small file cannot make a large model: `max_feature_idx + 1`
    /// names in `feature_names` (a model without that line is refused, as
    /// LightGBM refuses it), `num_leaves` values in `leaf_value` and
    /// `num_leaves - 1` in each split array, `cat_boundaries` words in
    /// `cat_threshold`, one `Tree=` section per tree.
    pub fn from_lightgbm_str(text: &str) -> Result<Self> {
        parse(text, STR_SOURCE)
    }
}

fn parse(text: &str, source: &str) -> Result<TreeEnsemble> {
    let ctx = Ctx { source };
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .collect();
    let first = lines.iter().find(|(_, l)| !l.is_empty());
    if first.map(|(_, l)| *l) != Some("tree") {
        return Err(ctx.parse_err(
            first.map_or(1, |(n, _)| *n),
            "not a LightGBM text model: the first line should be `tree`",
        ));
    }
    // Header: everything before the first `Tree=`.
    let mut header: Fields = HashMap::new();
    let mut average_output = false;
    let mut i = 0;
    while i < lines.len() && !lines[i].1.starts_with("Tree=") {
        let (n, l) = lines[i];
        if l == "end of trees" {
            break;
        }
        if let Some((k, v)) = l.split_once('=') {
            header.insert(k, (n, v));
        } else if l == "average_output" {
            average_output = true;
        }
        i += 1;
    }
    let max_feature_idx: i64 = parse_one(&ctx, &header, "max_feature_idx", "header")?;
    if !(0..crate::limits::MAX_MODEL_FEATURES as i64).contains(&max_feature_idx) {
        return Err(ctx.parse_err(
            header["max_feature_idx"].0,
            format!("header: max_feature_idx = {max_feature_idx} is out of range"),
        ));
    }
    let num_features = (max_feature_idx + 1) as usize;
    for key in ["num_class", "num_tree_per_iteration"] {
        if header.contains_key(key) {
            let v: i64 = parse_one(&ctx, &header, key, "header")?;
            if v != 1 {
                return Err(MiraError::Unsupported {
                    what: "LightGBM model".into(),
                    name: format!("{key}={v}"),
                    hint: Some("only single-output regression models predict a price".into()),
                });
            }
        }
    }
    let objective = header.get("objective").map_or("", |(_, v)| v.trim());
    let transform = objective_transform(objective)?;
    let feature_names: Vec<String> = match header.get("feature_names") {
        Some(&(line, v)) => {
            let names: Vec<String> = v.split_whitespace().map(str::to_string).collect();
            if names.len() != num_features {
                return Err(ctx.parse_err(
                    line,
                    format!(
                        "header: feature_names has {} entries, expected {num_features} (max_feature_idx + 1)",
                        names.len()
                    ),
                ));
            }
            names
        }
        // LightGBM writes one name per feature (`Column_0`… when it was
        // given none) and refuses a model without them. Without names,
        // nothing in the text backs `max_feature_idx`: a 70-byte model
        // could declare a million features, each of which becomes a column
        // of the model card and of every saved model file.
        None => {
            return Err(ctx.parse_err(
                header["max_feature_idx"].0,
                format!(
                    "header: missing `feature_names`: max_feature_idx = {max_feature_idx} declares \
                     {num_features} features, expected a line naming each of them \
                     (LightGBM writes `feature_names=` in every model)"
                ),
            ))
        }
    };

    let mut builder = EnsembleBuilder::new(SplitRule::LightGbm, num_features, feature_names);
    let mut num_trees = 0usize;
    let mut saw_end = false;
    while i < lines.len() {
        let (n, l) = lines[i];
        if l == "end of trees" {
            saw_end = true;
            break;
        }
        let Some(id) = l.strip_prefix("Tree=") else {
            i += 1;
            continue;
        };
        let tree = format!("Tree={id}");
        i += 1;
        let mut fields: Fields = HashMap::new();
        while i < lines.len() && !lines[i].1.starts_with("Tree=") && lines[i].1 != "end of trees" {
            if let Some((k, v)) = lines[i].1.split_once('=') {
                fields.insert(k, (lines[i].0, v));
            }
            i += 1;
        }
        if num_trees >= crate::limits::MAX_MODEL_TREES {
            return Err(ctx.parse_err(
                n,
                format!(
                    "more than {} trees (limits::MAX_MODEL_TREES)",
                    crate::limits::MAX_MODEL_TREES
                ),
            ));
        }
        parse_tree(&ctx, &tree, n, &fields, num_features, &mut builder)?;
        num_trees += 1;
    }
    if !saw_end {
        return Err(ctx.parse_err(lines.len(), "truncated model: no `end of trees` line"));
    }
    let divisor = if average_output && num_trees > 0 {
        Some(num_trees as f64)
    } else {
        None
    };
    builder
        .finish(
            if objective.is_empty() {
                "custom"
            } else {
                objective
            },
            transform,
            0.0,
            divisor,
        )
        .map_err(|e| ctx.corrupt(e))
}

fn parse_tree(
    ctx: &Ctx,
    tree: &str,
    tree_line: usize,
    fields: &Fields,
    num_features: usize,
    builder: &mut EnsembleBuilder,
) -> Result<()> {
    if let Some(&(line, v)) = fields.get("is_linear") {
        if v.trim() != "0" {
            let _ = line;
            return Err(MiraError::Unsupported {
                what: "LightGBM feature".into(),
                name: "linear_tree".into(),
                hint: Some(format!(
                    "{tree} has linear leaves; retrain with linear_tree=false"
                )),
            });
        }
    }
    let num_leaves: i64 = parse_one(ctx, fields, "num_leaves", tree)?;
    if !(1..=crate::limits::MAX_TREE_LEAVES as i64).contains(&num_leaves) {
        return Err(ctx.parse_err(
            fields["num_leaves"].0,
            format!("{tree}: num_leaves = {num_leaves} is out of range"),
        ));
    }
    let num_leaves = num_leaves as usize;
    let leaf_value: Vec<f64> = parse_list(ctx, tree, fields, "leaf_value", num_leaves)?;
    if num_leaves == 1 {
        return builder
            .push_tree(&[NodeSpec::leaf(leaf_value[0])])
            .map_err(|e| ctx.corrupt(e));
    }
    let ni = num_leaves - 1;
    let split_feature: Vec<i64> = parse_list(ctx, tree, fields, "split_feature", ni)?;
    let threshold: Vec<f64> = parse_list(ctx, tree, fields, "threshold", ni)?;
    let decision_type: Vec<u32> = parse_list(ctx, tree, fields, "decision_type", ni)?;
    let left_child: Vec<i64> = parse_list(ctx, tree, fields, "left_child", ni)?;
    let right_child: Vec<i64> = parse_list(ctx, tree, fields, "right_child", ni)?;
    let num_cat: usize = if fields.contains_key("num_cat") {
        let v: i64 = parse_one(ctx, fields, "num_cat", tree)?;
        usize::try_from(v).map_err(|_| {
            ctx.parse_err(
                fields["num_cat"].0,
                format!("{tree}: num_cat = {v} is negative"),
            )
        })?
    } else {
        0
    };
    let mut cat_index = Vec::new();
    if num_cat > 0 {
        let bounds: Vec<u64> = parse_list(ctx, tree, fields, "cat_boundaries", num_cat + 1)?;
        let words_line = fields.get("cat_threshold").map_or(tree_line, |f| f.0);
        let n_words = *bounds.last().unwrap_or(&0) as usize;
        let words: Vec<u32> = parse_list(ctx, tree, fields, "cat_threshold", n_words)?;
        for k in 0..num_cat {
            let (a, b) = (bounds[k] as usize, bounds[k + 1] as usize);
            if a > b || b > words.len() {
                return Err(ctx.parse_err(
                    words_line,
                    format!("{tree}: cat_boundaries[{k}..{}] = {a}..{b} is not a range of cat_threshold ({} words)", k + 1, words.len()),
                ));
            }
            cat_index.push(builder.add_cat_split(&words[a..b], None));
        }
    }
    let child = |c: i64, side: &str, i: usize| -> Result<u32> {
        let idx = if c >= 0 {
            (c as usize) < ni
        } else {
            ((!c) as usize) < num_leaves
        };
        if !idx {
            return Err(ctx.parse_err(
                fields[side].0,
                format!("{tree}: {side}[{i}] = {c} refers to no node ({ni} splits, {num_leaves} leaves)"),
            ));
        }
        Ok(if c >= 0 {
            c as u32
        } else {
            (ni + (!c) as usize) as u32
        })
    };
    let mut nodes = Vec::with_capacity(ni + num_leaves);
    for i in 0..ni {
        let f = split_feature[i];
        if f < 0 || f as usize >= num_features {
            return Err(ctx.parse_err(
                fields["split_feature"].0,
                format!(
                    "{tree}: split_feature[{i}] = {f} is beyond max_feature_idx {}",
                    num_features - 1
                ),
            ));
        }
        let dt = decision_type[i];
        let mut flags = 0u8;
        if dt & 2 != 0 {
            flags |= DEFAULT_LEFT;
        }
        match (dt >> 2) & 3 {
            0 => {}
            1 => flags |= MISSING_ZERO,
            2 => flags |= MISSING_NAN,
            m => {
                return Err(ctx.parse_err(
                    fields["decision_type"].0,
                    format!("{tree}: decision_type[{i}] = {dt} has unknown missing type {m}"),
                ))
            }
        }
        let mut value = threshold[i];
        if dt & 1 != 0 {
            flags |= CATEGORICAL;
            let k = value;
            if !(k >= 0.0 && k.fract() == 0.0 && (k as usize) < num_cat) {
                return Err(ctx.parse_err(
                    fields["threshold"].0,
                    format!("{tree}: categorical split {i} refers to category set {k}, but num_cat = {num_cat}"),
                ));
            }
            value = f64::from(cat_index[k as usize]);
        } else if value.is_nan() {
            return Err(ctx.parse_err(
                fields["threshold"].0,
                format!("{tree}: threshold[{i}] is NaN"),
            ));
        }
        nodes.push(NodeSpec {
            feature: f as u32,
            value,
            left: child(left_child[i], "left_child", i)?,
            right: child(right_child[i], "right_child", i)?,
            flags,
        });
    }
    nodes.extend(leaf_value.iter().map(|&v| NodeSpec {
        feature: 0,
        value: v,
        left: 0,
        right: 0,
        flags: LEAF,
    }));
    builder
        .push_tree(&nodes)
        .map_err(|e| ctx.corrupt(format!("{tree}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objectives_map_to_transforms() {
        assert_eq!(
            objective_transform("regression sqrt").unwrap(),
            OutputTransform::SignedSquare
        );
        assert_eq!(
            objective_transform("huber").unwrap(),
            OutputTransform::Identity
        );
        assert_eq!(
            objective_transform("tweedie").unwrap(),
            OutputTransform::Exp
        );
        let err = objective_transform("multiclass num_class:3").unwrap_err();
        assert_eq!(err.code(), "MIRA_UNSUPPORTED");
        assert!(err.to_string().contains("multiclass"), "{err}");
        assert!(objective_transform("binary sigmoid:1").is_err());
        assert!(objective_transform("somethingnew").is_err());
    }

    /// A header for `features` features named `f0`, `f1`…
    fn header(features: usize) -> String {
        let names: Vec<String> = (0..features).map(|f| format!("f{f}")).collect();
        format!(
            "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nmax_feature_idx={}\n\
             objective=regression\nfeature_names={}\n\n",
            features - 1,
            names.join(" ")
        )
    }

    /// A 74-byte text once declared a million features (no `feature_names`
    /// line): it imported, and saving and reloading its model file took
    /// seconds and over a gigabyte. Sizes must be backed by the text.
    #[test]
    fn a_small_text_declaring_a_huge_model_is_refused_quickly() {
        let text =
            "tree\nmax_feature_idx=999999\nTree=0\nnum_leaves=1\nleaf_value=0\nend of trees\n";
        let err = TreeEnsemble::from_lightgbm_str(text).unwrap_err();
        assert_eq!(err.code(), "MIRA_PARSE", "{err}");
        let msg = err.to_string();
        assert!(
            msg.starts_with("<lightgbm model>:2:0: header: missing `feature_names`"),
            "{msg}"
        );
        assert!(
            msg.contains("max_feature_idx = 999999 declares 1000000 features"),
            "{msg}"
        );
        // Names that do not cover the declared features.
        let err = TreeEnsemble::from_lightgbm_str(&text.replace(
            "max_feature_idx=999999\n",
            "max_feature_idx=999999\nfeature_names=a b\n",
        ))
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("feature_names has 2 entries, expected 1000000"),
            "{err}"
        );
        // Leaves and splits declared by a count but not written out.
        let leaves = format!(
            "{}Tree=0\nnum_leaves=10000000\nsplit_feature=0\nthreshold=0\ndecision_type=0\n\
             left_child=-1\nright_child=-2\nleaf_value=1 2\nend of trees\n",
            header(1)
        );
        let err = TreeEnsemble::from_lightgbm_str(&leaves).unwrap_err();
        assert!(
            err.to_string()
                .contains("Tree=0: leaf_value has 2 entries, expected 10000000"),
            "{err}"
        );
        let cats = format!(
            "{}Tree=0\nnum_leaves=2\nnum_cat=5000000\nsplit_feature=0\nthreshold=0\n\
             decision_type=1\nleft_child=-1\nright_child=-2\ncat_boundaries=0 1\n\
             cat_threshold=1\nleaf_value=1 2\nend of trees\n",
            header(1)
        );
        let err = TreeEnsemble::from_lightgbm_str(&cats).unwrap_err();
        assert!(
            err.to_string()
                .contains("Tree=0: cat_boundaries has 2 entries, expected 5000001"),
            "{err}"
        );
    }

    /// A model the size of a real one (500 trees of 63 leaves over 20
    /// features) is well within the limits.
    #[test]
    fn a_realistic_model_loads() {
        let (trees, leaves, features) = (500, 63, 20);
        let mut text = header(features);
        for t in 0..trees {
            // A chain: split i sends its left side to leaf i, its right side
            // to split i + 1 (the last split to the last leaf).
            let splits = leaves - 1;
            let list = |f: &dyn Fn(usize) -> String| -> String {
                (0..splits).map(f).collect::<Vec<_>>().join(" ")
            };
            text += &format!(
                "Tree={t}\nnum_leaves={leaves}\nnum_cat=0\nsplit_feature={}\nthreshold={}\n\
                 decision_type={}\nleft_child={}\nright_child={}\nleaf_value={}\nshrinkage=0.1\n\n",
                list(&|i| (i % features).to_string()),
                list(&|i| format!("{}.5", i * 10)),
                list(&|_| "2".to_string()),
                list(&|i| (!(i as i64)).to_string()),
                list(&|i| if i + 1 < splits {
                    (i + 1).to_string()
                } else {
                    (!(i as i64 + 1)).to_string()
                }),
                (0..leaves)
                    .map(|k| format!("{}", k as f64 * 0.25))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        text += "end of trees\n";
        let m = TreeEnsemble::from_lightgbm_str(&text).unwrap();
        assert_eq!(m.num_trees(), trees);
        assert_eq!(m.num_nodes(), trees * (2 * leaves - 1));
        assert_eq!(m.num_features(), features);
        // All zeros: 0 <= 0.5 at the first split, leaf 0 (0.0) in every tree.
        assert_eq!(m.predict_row(&[0.0; 20]).unwrap(), 0.0);
        // Everything large: right at every split, the last leaf (15.5).
        assert_eq!(m.predict_row(&[1e9; 20]).unwrap(), 500.0 * 15.5);
    }
}
