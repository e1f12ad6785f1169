//! Importer for LightGBM text models (`booster.save_model("m.txt")`).
//!
//! The header gives the objective, the feature names and `max_feature_idx`;
//! each `Tree=N` block gives the split arrays. Internal nodes keep their
//! LightGBM index, leaf `k` becomes node `num_leaves - 1 + k`. Shrinkage and
//! the initial score are already in the leaf values. See `docs/MODEL_FORMATS.md`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::ensemble::{
    EnsembleBuilder, NodeSpec, TreeEnsemble, CATEGORICAL, DEFAULT_LEFT, LEAF, MISSING_NAN,
    MISSING_ZERO,
};
use super::import_error::count;
use super::json_path::quoted;
use super::objective::OutputTransform;
use super::split_rule::SplitRule;
use super::tree_links::{first_relink, Side};
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
    /// A problem at `line` (1-based), `column` (1-based, 0 for the whole
    /// line).
    fn parse_err(&self, line: usize, column: usize, message: impl Into<String>) -> MiraError {
        MiraError::Parse {
            source_name: self.source.to_string(),
            line: line as u64,
            column: column as u64,
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

    /// `key` is not in `block`.
    fn missing(&self, block: &Block, key: &str, expected: &str) -> MiraError {
        self.parse_err(
            block.line,
            0,
            format!(
                "{}: missing `{key}`: expected a line `{key}=` with {expected}",
                block.name
            ),
        )
    }

    /// Token `i` of `key` in `block` is wrong.
    fn token_err(
        &self,
        block: &Block,
        key: &str,
        i: usize,
        message: impl Into<String>,
    ) -> MiraError {
        let field = &block.fields[key];
        self.parse_err(
            field.line,
            field.token_column(i),
            format!("{}: {key}[{i}] = {}", block.name, message.into()),
        )
    }
}

/// A `key=value` line.
struct Field<'a> {
    /// 1-based line number.
    line: usize,
    /// 1-based column of the value's first character.
    column: usize,
    value: &'a str,
}

impl Field<'_> {
    /// The whitespace-separated tokens of the value with their byte offsets.
    fn tokens(&self) -> impl Iterator<Item = (usize, &str)> {
        let base = self.value.as_ptr() as usize;
        self.value
            .split_whitespace()
            .map(move |t| (t.as_ptr() as usize - base, t))
    }

    /// The 1-based column of token `i` (the value's column if there is no
    /// such token).
    fn token_column(&self, i: usize) -> usize {
        match self.tokens().nth(i) {
            Some((offset, _)) => self.column + self.value[..offset].chars().count(),
            None => self.column,
        }
    }
}

/// The header or one `Tree=` section: its `key=value` lines by key.
struct Block<'a> {
    /// `header` or `Tree=N`, as messages name it.
    name: String,
    /// Line where it starts.
    line: usize,
    fields: HashMap<&'a str, Field<'a>>,
}

impl<'a> Block<'a> {
    fn new(name: String, line: usize) -> Self {
        Block {
            name,
            line,
            fields: HashMap::new(),
        }
    }

    /// Record a `key=value` line; a key given twice is an error.
    fn insert(&mut self, ctx: &Ctx, line: &Line<'a>, key: &'a str, value: &'a str) -> Result<()> {
        let column = line.column_of(value);
        if let Some(first) = self.fields.get(key) {
            return Err(ctx.parse_err(
                line.number,
                line.column_of(key),
                format!(
                    "{}: `{key}` is given again (first on line {}): expected each key once",
                    self.name, first.line
                ),
            ));
        }
        self.fields.insert(
            key,
            Field {
                line: line.number,
                column,
                value,
            },
        );
        Ok(())
    }

    /// Where `key` is, for messages: `num_leaves = 3 on line 13`.
    fn cite(&self, key: &str) -> String {
        match self.fields.get(key) {
            Some(f) => format!("{key} = {} on line {}", f.value.trim(), f.line),
            None => format!("no {key}"),
        }
    }
}

/// One line of the text.
struct Line<'a> {
    /// 1-based.
    number: usize,
    raw: &'a str,
    /// Without surrounding whitespace.
    text: &'a str,
}

impl Line<'_> {
    /// The 1-based column of `part`, a slice of this line.
    fn column_of(&self, part: &str) -> usize {
        let offset = part.as_ptr() as usize - self.raw.as_ptr() as usize;
        self.raw[..offset].chars().count() + 1
    }
}

/// Parse every token of `key` in `block` as a `T`; there must be
/// `expected` of them (`why` says where that count comes from).
fn parse_list<T: std::str::FromStr>(
    ctx: &Ctx,
    block: &Block,
    key: &str,
    expected: usize,
    why: &str,
    what: &str,
) -> Result<Vec<T>> {
    let Some(field) = block.fields.get(key) else {
        if expected == 0 {
            return Ok(Vec::new());
        }
        return Err(ctx.missing(
            block,
            key,
            &format!("{} ({why})", count(expected, "value", "values")),
        ));
    };
    // The count comes from the file: never reserve more than the text can
    // hold (each entry takes at least two bytes, a digit and a space).
    let mut out = Vec::with_capacity(expected.min(field.value.len() / 2 + 1));
    for (i, (_, tok)) in field.tokens().enumerate() {
        out.push(
            tok.parse::<T>()
                .map_err(|_| ctx.token_err(block, key, i, format!("`{tok}`: expected {what}")))?,
        );
    }
    if out.len() != expected {
        return Err(ctx.parse_err(
            field.line,
            0,
            format!(
                "{}: {key} has {}, expected {expected} ({why})",
                block.name,
                count(out.len(), "entry", "entries")
            ),
        ));
    }
    Ok(out)
}

/// Parse the single value of `key` in `block`.
fn parse_one<T: std::str::FromStr>(ctx: &Ctx, block: &Block, key: &str, what: &str) -> Result<T> {
    let Some(field) = block.fields.get(key) else {
        return Err(ctx.missing(block, key, what));
    };
    let text = field.value.trim();
    text.parse().map_err(|_| {
        ctx.parse_err(
            field.line,
            field.token_column(0),
            format!("{}: {key} = `{text}`: expected {what}", block.name),
        )
    })
}

/// A whole number, as messages ask for it.
const WHOLE: &str = "a whole number";

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
    let lines: Vec<Line> = text
        .lines()
        .enumerate()
        .map(|(i, raw)| Line {
            number: i + 1,
            raw,
            text: raw.trim(),
        })
        .collect();
    let first = lines.iter().find(|l| !l.text.is_empty());
    if first.map(|l| l.text) != Some("tree") {
        return Err(ctx.parse_err(
            first.map_or(1, |l| l.number),
            0,
            format!(
                "not a LightGBM text model: the first line should be `tree`{}",
                first.map_or(" (the text is empty)".into(), |l| format!(
                    ", found `{}`",
                    quoted(l.text)
                ))
            ),
        ));
    }
    // A file cut short is reported as such, before whatever its last,
    // partial tree lacks.
    if !lines.iter().any(|l| l.text == "end of trees") {
        let last_tree = lines.iter().rev().find(|l| l.text.starts_with("Tree="));
        return Err(ctx.parse_err(
            lines.len(),
            0,
            format!(
                "truncated model: no `end of trees` line: expected one after the last tree{}",
                last_tree.map_or(String::new(), |l| format!(
                    " ({} on line {})",
                    quoted(l.text),
                    l.number
                ))
            ),
        ));
    }
    // Header: everything before the first `Tree=`.
    let mut header = Block::new("header".into(), 1);
    let mut average_output = false;
    let mut i = 0;
    while i < lines.len() && !lines[i].text.starts_with("Tree=") {
        let line = &lines[i];
        if line.text == "end of trees" {
            break;
        }
        if let Some((k, v)) = line.text.split_once('=') {
            header.insert(&ctx, line, k, v)?;
        } else if line.text == "average_output" {
            average_output = true;
        }
        i += 1;
    }
    let max_feature_idx: i64 = parse_one(
        &ctx,
        &header,
        "max_feature_idx",
        "a whole number (the number of features - 1)",
    )?;
    let max_features = crate::limits::MAX_MODEL_FEATURES as i64;
    if !(0..max_features).contains(&max_feature_idx) {
        let field = &header.fields["max_feature_idx"];
        return Err(ctx.parse_err(
            field.line,
            field.token_column(0),
            format!(
                "header: max_feature_idx = {max_feature_idx} is out of range: expected \
                 0..={} (limits::MAX_MODEL_FEATURES features)",
                max_features - 1
            ),
        ));
    }
    let num_features = (max_feature_idx + 1) as usize;
    for key in ["num_class", "num_tree_per_iteration"] {
        if header.fields.contains_key(key) {
            let v: i64 = parse_one(&ctx, &header, key, WHOLE)?;
            if v != 1 {
                return Err(MiraError::Unsupported {
                    what: "LightGBM model".into(),
                    name: format!("{key}={v}"),
                    hint: Some("only single-output regression models predict a price".into()),
                });
            }
        }
    }
    let objective = header
        .fields
        .get("objective")
        .map_or("", |f| f.value.trim());
    let transform = objective_transform(objective)?;
    let feature_names: Vec<String> = match header.fields.get("feature_names") {
        Some(field) => {
            let names: Vec<String> = field.value.split_whitespace().map(str::to_string).collect();
            if names.len() != num_features {
                return Err(ctx.parse_err(
                    field.line,
                    0,
                    format!(
                        "header: feature_names has {}, expected {num_features} (max_feature_idx \
                         + 1, with {})",
                        count(names.len(), "entry", "entries"),
                        header.cite("max_feature_idx")
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
                header.fields["max_feature_idx"].line,
                0,
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
    while i < lines.len() {
        let line = &lines[i];
        if line.text == "end of trees" {
            break;
        }
        let Some(id) = line.text.strip_prefix("Tree=") else {
            i += 1;
            continue;
        };
        if id != num_trees.to_string() {
            return Err(ctx.parse_err(
                line.number,
                line.column_of(id),
                format!(
                    "`{}`: expected `Tree={num_trees}` (trees are numbered from 0 in file order)",
                    quoted(line.text)
                ),
            ));
        }
        if num_trees >= crate::limits::MAX_MODEL_TREES {
            return Err(ctx.parse_err(
                line.number,
                0,
                format!(
                    "more than {} trees (limits::MAX_MODEL_TREES)",
                    crate::limits::MAX_MODEL_TREES
                ),
            ));
        }
        let mut block = Block::new(line.text.to_string(), line.number);
        i += 1;
        while i < lines.len()
            && !lines[i].text.starts_with("Tree=")
            && lines[i].text != "end of trees"
        {
            let line = &lines[i];
            match line.text.split_once('=') {
                Some((k, v)) => block.insert(&ctx, line, k, v)?,
                None if line.text.is_empty() => {}
                None => {
                    return Err(ctx.parse_err(
                        line.number,
                        line.column_of(line.text),
                        format!(
                            "{}: `{}`: expected a `key=value` line",
                            block.name,
                            quoted(line.text)
                        ),
                    ))
                }
            }
            i += 1;
        }
        parse_tree(&ctx, &block, num_features, &mut builder)?;
        num_trees += 1;
    }
    if num_trees == 0 {
        return Err(ctx.parse_err(
            lines[i].number,
            0,
            "`end of trees` before any tree: expected at least one `Tree=` section",
        ));
    }
    let divisor = if average_output {
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

/// A LightGBM child link: `c ≥ 0` is split `c`, `c < 0` is leaf `-1 - c`.
/// Node `k` of the built tree in the same words.
fn node_name(k: usize, splits: usize) -> String {
    if k < splits {
        format!("split {k}")
    } else {
        format!("leaf {}", k - splits)
    }
}

fn parse_tree(
    ctx: &Ctx,
    block: &Block,
    num_features: usize,
    builder: &mut EnsembleBuilder,
) -> Result<()> {
    let tree = block.name.as_str();
    if let Some(field) = block.fields.get("is_linear") {
        if field.value.trim() != "0" {
            return Err(MiraError::Unsupported {
                what: "LightGBM feature".into(),
                name: "linear_tree".into(),
                hint: Some(format!(
                    "{tree} has linear leaves (is_linear on line {}); retrain with \
                     linear_tree=false",
                    field.line
                )),
            });
        }
    }
    let num_leaves: i64 = parse_one(ctx, block, "num_leaves", "a whole number (the leaf count)")?;
    let max_leaves = crate::limits::MAX_TREE_LEAVES as i64;
    if !(1..=max_leaves).contains(&num_leaves) {
        let field = &block.fields["num_leaves"];
        return Err(ctx.parse_err(
            field.line,
            field.token_column(0),
            format!(
                "{tree}: num_leaves = {num_leaves} is out of range: expected 1..={max_leaves} \
                 (limits::MAX_TREE_LEAVES)"
            ),
        ));
    }
    let num_leaves = num_leaves as usize;
    let per_leaf = format!("one per leaf, with {}", block.cite("num_leaves"));
    let leaf_value: Vec<f64> =
        parse_list(ctx, block, "leaf_value", num_leaves, &per_leaf, "a number")?;
    if let Some(k) = leaf_value.iter().position(|v| !v.is_finite()) {
        let tok = block.fields["leaf_value"]
            .tokens()
            .nth(k)
            .map_or("", |t| t.1);
        return Err(ctx.token_err(
            block,
            "leaf_value",
            k,
            format!("`{tok}`: expected a finite number"),
        ));
    }
    if num_leaves == 1 {
        return builder
            .push_tree(&[NodeSpec::leaf(leaf_value[0])])
            .map_err(|e| ctx.corrupt(e));
    }
    let ni = num_leaves - 1;
    let per_split = format!(
        "one per split: num_leaves - 1, with {}",
        block.cite("num_leaves")
    );
    let split_feature: Vec<i64> = parse_list(ctx, block, "split_feature", ni, &per_split, WHOLE)?;
    let threshold: Vec<f64> = parse_list(ctx, block, "threshold", ni, &per_split, "a number")?;
    let decision_type: Vec<u32> = parse_list(
        ctx,
        block,
        "decision_type",
        ni,
        &per_split,
        "a whole number ≥ 0 (bit flags)",
    )?;
    let left_child: Vec<i64> = parse_list(ctx, block, "left_child", ni, &per_split, WHOLE)?;
    let right_child: Vec<i64> = parse_list(ctx, block, "right_child", ni, &per_split, WHOLE)?;
    let num_cat: usize = if block.fields.contains_key("num_cat") {
        let v: i64 = parse_one(ctx, block, "num_cat", WHOLE)?;
        usize::try_from(v).map_err(|_| {
            let field = &block.fields["num_cat"];
            ctx.parse_err(
                field.line,
                field.token_column(0),
                format!("{tree}: num_cat = {v} is negative: expected a count ≥ 0"),
            )
        })?
    } else {
        0
    };
    let mut cat_index = Vec::new();
    if num_cat > 0 {
        let bounds: Vec<u64> = parse_list(
            ctx,
            block,
            "cat_boundaries",
            num_cat + 1,
            &format!("num_cat + 1, with {}", block.cite("num_cat")),
            "a whole number ≥ 0",
        )?;
        let n_words = *bounds.last().unwrap_or(&0) as usize;
        let words: Vec<u32> = parse_list(
            ctx,
            block,
            "cat_threshold",
            n_words,
            &format!(
                "the last of cat_boundaries on line {}",
                block.fields["cat_boundaries"].line
            ),
            "a whole number (32 bits of a category set)",
        )?;
        for k in 0..num_cat {
            let (a, b) = (bounds[k], bounds[k + 1]);
            if b > n_words as u64 {
                return Err(ctx.token_err(
                    block,
                    "cat_boundaries",
                    k + 1,
                    format!(
                        "{b} is past the end of cat_threshold ({}): expected non-decreasing \
                         offsets up to the last, {n_words}",
                        count(words.len(), "word", "words")
                    ),
                ));
            }
            if a > b {
                return Err(ctx.token_err(
                    block,
                    "cat_boundaries",
                    k + 1,
                    format!(
                        "{b} is below cat_boundaries[{k}] = {a}: expected non-decreasing offsets \
                         into cat_threshold ({})",
                        count(words.len(), "word", "words")
                    ),
                ));
            }
            cat_index.push(builder.add_cat_split(&words[a as usize..b as usize], None));
        }
    }
    let child = |c: i64, side: &str, i: usize| -> Result<u32> {
        let inside = if c >= 0 {
            (c as usize) < ni
        } else {
            ((!c) as usize) < num_leaves
        };
        if !inside {
            return Err(ctx.token_err(
                block,
                side,
                i,
                format!(
                    "{c} refers to no node: expected a split 0..={} or a leaf -1..=-{num_leaves} \
                     (-1 - leaf index), as the tree has {} and {}",
                    ni - 1,
                    count(ni, "split", "splits"),
                    count(num_leaves, "leaf", "leaves")
                ),
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
            return Err(ctx.token_err(
                block,
                "split_feature",
                i,
                format!(
                    "{f} is beyond max_feature_idx {}: expected a feature index in 0..={}",
                    num_features - 1,
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
                return Err(ctx.token_err(
                    block,
                    "decision_type",
                    i,
                    format!(
                        "{dt} has unknown missing type {m}: expected missing type 0 (none), 1 \
                         (zero) or 2 (NaN) in bits 2-3"
                    ),
                ))
            }
        }
        let mut value = threshold[i];
        if dt & 1 != 0 {
            flags |= CATEGORICAL;
            let k = value;
            if !(k >= 0.0 && k.fract() == 0.0 && (k as usize) < num_cat) {
                return Err(ctx.token_err(
                    block,
                    "threshold",
                    i,
                    format!(
                        "{k} refers to category set {k}, but num_cat = {num_cat}: expected a \
                         category set index below {num_cat} (decision_type[{i}] = {dt} marks \
                         split {i} categorical)"
                    ),
                ));
            }
            value = f64::from(cat_index[k as usize]);
        } else if value.is_nan() {
            let tok = block.fields["threshold"]
                .tokens()
                .nth(i)
                .map_or("", |t| t.1);
            return Err(ctx.token_err(
                block,
                "threshold",
                i,
                format!("`{tok}`: expected a number, not NaN"),
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
    if let Some(r) = first_relink(&nodes) {
        let key = |side| match side {
            Side::Left => "left_child",
            Side::Right => "right_child",
        };
        let written = if r.child < ni {
            r.child as i64
        } else {
            !((r.child - ni) as i64)
        };
        let problem = match r.first {
            None => format!("{} is the tree's root", node_name(r.child, ni)),
            Some((p, side)) => format!(
                "{} is already the child of split {p} ({}[{p}] on line {})",
                node_name(r.child, ni),
                key(side),
                block.fields[key(side)].line
            ),
        };
        return Err(ctx.token_err(
            block,
            key(r.side),
            r.parent,
            format!(
                "{written}: {problem}: expected each split and leaf to have one parent, and the \
                 root none"
            ),
        ));
    }
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
