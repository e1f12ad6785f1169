//! The flat tree ensemble: every tree of every origin in one struct of
//! arrays, validated once at load so that traversal needs no checks beyond
//! slice indexing and can never loop.
//!
//! Layout: node `i` of the whole ensemble has `feature[i]`, `value[i]`,
//! `left[i]`, `right[i]` and `flags[i]`. `value` is the threshold of a
//! numerical split, the index of a [`CatSplit`] for a categorical split
//! (an integer stored as `f64`, as LightGBM does), and the output of a leaf.
//! Children are absolute node indices. Tree `t` owns the nodes from
//! `tree_roots[t]` up to the next root. Keeping the fields in separate
//! arrays keeps the hot ones (flags, feature, value, children) dense in
//! cache while a block of rows walks the same tree.

use ndarray::{s, Array1, ArrayView2};
use rayon::prelude::*;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::compiled::{self, Compiled, Flat};
use super::float_serde;
use super::objective::OutputTransform;
use super::split_rule::{self, MissingType, SplitRule};
use crate::error::{MiraError, Result};

/// Node flag: the node is a leaf (its `value` is the output).
pub(crate) const LEAF: u8 = 1;
/// Node flag: categorical split (its `value` indexes `cat_splits`).
pub(crate) const CATEGORICAL: u8 = 2;
/// Node flag: missing values go left.
pub(crate) const DEFAULT_LEFT: u8 = 4;
/// Node flag (LightGBM): zero is the missing value.
pub(crate) const MISSING_ZERO: u8 = 8;
/// Node flag (LightGBM): NaN is the missing value.
pub(crate) const MISSING_NAN: u8 = 16;
const KNOWN_FLAGS: u8 = LEAF | CATEGORICAL | DEFAULT_LEFT | MISSING_ZERO | MISSING_NAN;

/// Rows walked through one tree together: their accumulators stay in
/// registers / L1 while the tree's top nodes stay hot in cache. Full blocks
/// of a numerical ensemble take the compiled lock-step walk
/// ([`compiled`]); the rest (a partial block, categorical models) the
/// generic one below.
const BLOCK_ROWS: usize = compiled::BLOCK;
/// Below this many rows a batch is predicted on the calling thread: rayon's
/// fork/join costs more than it saves.
pub const PARALLEL_MIN_ROWS: usize = 4096;
/// Rows per rayon task when predicting in parallel.
const TASK_ROWS: usize = 1024;

/// Where the bits of one categorical split live in `cat_words`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CatSplit {
    /// First word of the split's category set.
    start: u32,
    /// Number of 32-bit words in the set.
    len: u32,
    /// First word of the known-category set (scikit-learn histogram models).
    known_start: u32,
    /// Words of the known-category set (0 when there is none).
    known_len: u32,
}

/// One node as an importer describes it, with children as indices local to
/// its tree.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NodeSpec {
    pub feature: u32,
    pub value: f64,
    pub left: u32,
    pub right: u32,
    pub flags: u8,
}

impl NodeSpec {
    /// A leaf with output `value`.
    pub(crate) fn leaf(value: f64) -> Self {
        NodeSpec {
            feature: 0,
            value,
            left: 0,
            right: 0,
            flags: LEAF,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Parts {
    rule: SplitRule,
    objective: String,
    transform: OutputTransform,
    #[serde(with = "float_serde::one")]
    init_score: f64,
    divisor: Option<f64>,
    num_features: usize,
    feature_names: Vec<String>,
    tree_roots: Vec<u32>,
    feature: Vec<u32>,
    #[serde(with = "float_serde::vec")]
    value: Vec<f64>,
    left: Vec<u32>,
    right: Vec<u32>,
    flags: Vec<u8>,
    cat_splits: Vec<CatSplit>,
    cat_words: Vec<u32>,
}

/// A tree ensemble (one tree, a forest or a boosted model) that predicts
/// exactly what its origin library predicts.
///
/// Prediction = `transform((init_score + Σ leaf values, trees in order) /
/// divisor)`, with the sum in the origin's precision (`f32` for XGBoost,
/// `f64` otherwise), and each split decided by the origin's [`SplitRule`].
/// Built by the importers ([`TreeEnsemble::from_lightgbm_str`],
/// [`TreeEnsemble::from_xgboost_json_str`], the scikit-learn constructors);
/// serialisable with serde, with every value round-tripping bit-exactly.
/// Deserialising validates the structure again, so a tampered file cannot
/// make traversal go out of bounds or loop.
#[derive(Debug, Clone)]
pub struct TreeEnsemble {
    p: Parts,
    /// The same trees in the compiled layout (derived from `p` at load;
    /// `None` for ensembles with categorical splits).
    compiled: Option<Compiled>,
}

impl TreeEnsemble {
    /// Wrap validated parts, compiling the fast layout.
    fn from_parts(p: Parts) -> TreeEnsemble {
        let compiled = Compiled::new(&Flat {
            rule: p.rule,
            num_features: p.num_features,
            tree_roots: &p.tree_roots,
            feature: &p.feature,
            value: &p.value,
            left: &p.left,
            right: &p.right,
            flags: &p.flags,
        });
        TreeEnsemble { p, compiled }
    }
}

impl PartialEq for TreeEnsemble {
    fn eq(&self, other: &Self) -> bool {
        // The compiled layout is a function of the parts.
        self.p == other.p
    }
}

impl Serialize for TreeEnsemble {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.p.serialize(s)
    }
}

impl<'de> Deserialize<'de> for TreeEnsemble {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let p = Parts::deserialize(d)?;
        validate(&p).map_err(serde::de::Error::custom)?;
        Ok(TreeEnsemble::from_parts(p))
    }
}

/// Collects trees from an importer, then validates the whole structure.
pub(crate) struct EnsembleBuilder {
    p: Parts,
}

impl EnsembleBuilder {
    /// An empty ensemble for `num_features` input columns.
    pub(crate) fn new(rule: SplitRule, num_features: usize, feature_names: Vec<String>) -> Self {
        EnsembleBuilder {
            p: Parts {
                rule,
                objective: String::new(),
                transform: OutputTransform::Identity,
                init_score: 0.0,
                divisor: None,
                num_features,
                feature_names,
                tree_roots: Vec::new(),
                feature: Vec::new(),
                value: Vec::new(),
                left: Vec::new(),
                right: Vec::new(),
                flags: Vec::new(),
                cat_splits: Vec::new(),
                cat_words: Vec::new(),
            },
        }
    }

    /// Store a categorical set (and optionally the known categories) and
    /// return the index to put in a categorical node's `value`.
    pub(crate) fn add_cat_split(&mut self, set: &[u32], known: Option<&[u32]>) -> u32 {
        let start = self.p.cat_words.len() as u32;
        self.p.cat_words.extend_from_slice(set);
        let known_start = self.p.cat_words.len() as u32;
        let known = known.unwrap_or(&[]);
        self.p.cat_words.extend_from_slice(known);
        self.p.cat_splits.push(CatSplit {
            start,
            len: set.len() as u32,
            known_start,
            known_len: known.len() as u32,
        });
        (self.p.cat_splits.len() - 1) as u32
    }

    /// Append a tree whose node 0 is the root; children are local indices
    /// (checked to lie inside the tree).
    pub(crate) fn push_tree(&mut self, nodes: &[NodeSpec]) -> std::result::Result<(), String> {
        if nodes.is_empty() {
            return Err(format!("tree {} has no nodes", self.p.tree_roots.len()));
        }
        let base = self.p.feature.len();
        if base + nodes.len() > u32::MAX as usize {
            return Err("too many nodes (more than 2^32)".into());
        }
        let n = nodes.len() as u32;
        self.p.tree_roots.push(base as u32);
        for (i, node) in nodes.iter().enumerate() {
            let leaf = node.flags & LEAF != 0;
            if !leaf && (node.left >= n || node.right >= n) {
                return Err(format!(
                    "tree {}: node {i} has children {} and {}, but the tree has {n} nodes",
                    self.p.tree_roots.len() - 1,
                    node.left,
                    node.right
                ));
            }
            self.p.feature.push(node.feature);
            self.p.value.push(node.value);
            let (l, r) = if leaf {
                (0, 0)
            } else {
                (node.left + base as u32, node.right + base as u32)
            };
            self.p.left.push(l);
            self.p.right.push(r);
            self.p.flags.push(node.flags);
        }
        Ok(())
    }

    /// Validate and finish. `divisor` averages the summed trees (forests).
    pub(crate) fn finish(
        mut self,
        objective: impl Into<String>,
        transform: OutputTransform,
        init_score: f64,
        divisor: Option<f64>,
    ) -> std::result::Result<TreeEnsemble, String> {
        self.p.objective = objective.into();
        self.p.transform = transform;
        self.p.init_score = init_score;
        self.p.divisor = divisor;
        validate(&self.p)?;
        Ok(TreeEnsemble::from_parts(self.p))
    }
}

/// Everything traversal relies on: equal array lengths, children inside
/// their own tree, every node reached at most once from its root (so no
/// cycles), feature indices below `num_features`, categorical sets inside
/// `cat_words`.
/// The rows of `block` as one row-major slice: borrowed when the view is
/// contiguous, else copied into `buf`.
fn row_major<'a>(block: &'a ArrayView2<'_, f64>, buf: &'a mut Vec<f64>) -> &'a [f64] {
    match block.to_slice() {
        Some(d) => d,
        None => {
            buf.clear();
            buf.extend(block.iter().copied());
            buf
        }
    }
}

fn validate(p: &Parts) -> std::result::Result<(), String> {
    let n = p.feature.len();
    for (name, len) in [
        ("value", p.value.len()),
        ("left", p.left.len()),
        ("right", p.right.len()),
        ("flags", p.flags.len()),
    ] {
        if len != n {
            return Err(format!("`{name}` has {len} entries, `feature` has {n}"));
        }
    }
    if !p.feature_names.is_empty() && p.feature_names.len() != p.num_features {
        return Err(format!(
            "{} feature names for {} features",
            p.feature_names.len(),
            p.num_features
        ));
    }
    if !p.init_score.is_finite() {
        return Err(format!("initial score {} is not finite", p.init_score));
    }
    if let Some(d) = p.divisor {
        if !(d.is_finite() && d > 0.0) {
            return Err(format!("divisor {d} is not a positive number"));
        }
    }
    for (k, c) in p.cat_splits.iter().enumerate() {
        let end = c.start as usize + c.len as usize;
        let kend = c.known_start as usize + c.known_len as usize;
        if end > p.cat_words.len() || kend > p.cat_words.len() {
            return Err(format!(
                "categorical split {k} points past the {} stored words",
                p.cat_words.len()
            ));
        }
    }
    if p.tree_roots.first().is_some_and(|&r| r != 0) || (p.tree_roots.is_empty() && n > 0) {
        return Err("the first tree must start at node 0".into());
    }
    let mut seen = vec![false; n];
    let mut stack = Vec::new();
    for (t, &root) in p.tree_roots.iter().enumerate() {
        let start = root as usize;
        let end = p.tree_roots.get(t + 1).map_or(n, |&r| r as usize);
        if start >= end || end > n {
            return Err(format!(
                "tree {t} spans nodes {start}..{end} of {n}: trees must be non-empty and in order"
            ));
        }
        stack.clear();
        stack.push(start);
        while let Some(i) = stack.pop() {
            if seen[i] {
                return Err(format!(
                    "tree {t}: node {} is reached twice (a cycle or a shared child)",
                    i - start
                ));
            }
            seen[i] = true;
            let f = p.flags[i];
            if f & !KNOWN_FLAGS != 0 {
                return Err(format!(
                    "tree {t}: node {} has unknown flags {f:#x}",
                    i - start
                ));
            }
            if f & LEAF != 0 {
                continue;
            }
            if p.feature[i] as usize >= p.num_features {
                return Err(format!(
                    "tree {t}: node {} splits on feature {}, but the model has {} features",
                    i - start,
                    p.feature[i],
                    p.num_features
                ));
            }
            let v = p.value[i];
            if f & CATEGORICAL != 0 {
                if p.rule == SplitRule::Sklearn {
                    return Err(format!(
                        "tree {t}: node {} is categorical, which scikit-learn trees do not have",
                        i - start
                    ));
                }
                if !(v >= 0.0 && v.fract() == 0.0 && (v as usize) < p.cat_splits.len()) {
                    return Err(format!(
                        "tree {t}: node {} refers to categorical split {v}, but there are {}",
                        i - start,
                        p.cat_splits.len()
                    ));
                }
            } else if v.is_nan() {
                return Err(format!("tree {t}: node {} has a NaN threshold", i - start));
            }
            if f & MISSING_ZERO != 0 && f & MISSING_NAN != 0 {
                return Err(format!(
                    "tree {t}: node {} has two missing types",
                    i - start
                ));
            }
            for c in [p.left[i] as usize, p.right[i] as usize] {
                if c < start || c >= end || c == i {
                    return Err(format!(
                        "tree {t}: node {} has child {}, outside the tree's {} nodes",
                        i - start,
                        c as i64 - start as i64,
                        end - start
                    ));
                }
                stack.push(c);
            }
        }
    }
    Ok(())
}

/// Summation of leaf values in the origin's precision.
pub(crate) trait Accumulator: Copy {
    fn start(init: f64) -> Self;
    fn add(self, leaf: f64) -> Self;
    fn finish(self, divisor: Option<f64>, transform: OutputTransform) -> f64;
}

impl Accumulator for f64 {
    #[inline]
    fn start(init: f64) -> Self {
        init
    }
    #[inline]
    fn add(self, leaf: f64) -> Self {
        self + leaf
    }
    #[inline]
    fn finish(self, divisor: Option<f64>, transform: OutputTransform) -> f64 {
        let raw = match divisor {
            Some(d) => self / d,
            None => self,
        };
        transform.apply_f64(raw)
    }
}

impl Accumulator for f32 {
    #[inline]
    fn start(init: f64) -> Self {
        init as f32
    }
    #[inline]
    fn add(self, leaf: f64) -> Self {
        self + leaf as f32
    }
    #[inline]
    fn finish(self, divisor: Option<f64>, transform: OutputTransform) -> f64 {
        let raw = match divisor {
            Some(d) => self / d as f32,
            None => self,
        };
        f64::from(transform.apply_f32(raw))
    }
}

/// One origin's split decision, monomorphised into the traversal loop so
/// the hot loop has no dispatch on the rule.
trait Rule {
    type Acc: Accumulator;
    fn go_left(p: &Parts, node: usize, flags: u8, x: f64) -> bool;
}

#[inline]
fn cat_sets(p: &Parts, node: usize) -> (&[u32], &[u32]) {
    let c = p.cat_splits[p.value[node] as usize];
    let set = &p.cat_words[c.start as usize..(c.start + c.len) as usize];
    let known = &p.cat_words[c.known_start as usize..(c.known_start + c.known_len) as usize];
    (set, known)
}

struct LightGbmRule;
impl Rule for LightGbmRule {
    type Acc = f64;
    #[inline]
    fn go_left(p: &Parts, node: usize, flags: u8, x: f64) -> bool {
        if flags & CATEGORICAL != 0 {
            split_rule::lightgbm_categorical(x, cat_sets(p, node).0)
        } else {
            let missing = if flags & MISSING_NAN != 0 {
                MissingType::NaN
            } else if flags & MISSING_ZERO != 0 {
                MissingType::Zero
            } else {
                MissingType::None
            };
            split_rule::lightgbm_numerical(x, p.value[node], flags & DEFAULT_LEFT != 0, missing)
        }
    }
}

struct XgBoostRule;
impl Rule for XgBoostRule {
    type Acc = f32;
    #[inline]
    fn go_left(p: &Parts, node: usize, flags: u8, x: f64) -> bool {
        if flags & CATEGORICAL != 0 {
            split_rule::xgboost_categorical(x, cat_sets(p, node).0, flags & DEFAULT_LEFT != 0)
        } else {
            split_rule::xgboost_numerical(x, p.value[node] as f32, flags & DEFAULT_LEFT != 0)
        }
    }
}

struct SklearnRule;
impl Rule for SklearnRule {
    type Acc = f64;
    #[inline]
    fn go_left(p: &Parts, node: usize, flags: u8, x: f64) -> bool {
        split_rule::sklearn_numerical(x, p.value[node], flags & DEFAULT_LEFT != 0)
    }
}

struct SklearnHistRule;
impl Rule for SklearnHistRule {
    type Acc = f64;
    #[inline]
    fn go_left(p: &Parts, node: usize, flags: u8, x: f64) -> bool {
        if flags & CATEGORICAL != 0 {
            let (set, known) = cat_sets(p, node);
            split_rule::hist_categorical(x, set, known, flags & DEFAULT_LEFT != 0)
        } else {
            split_rule::hist_numerical(x, p.value[node], flags & DEFAULT_LEFT != 0)
        }
    }
}

impl TreeEnsemble {
    /// The split rule (and so the origin library) this ensemble follows.
    pub fn rule(&self) -> SplitRule {
        self.p.rule
    }

    /// The origin's objective name, e.g. `regression sqrt` or `reg:gamma`.
    pub fn objective(&self) -> &str {
        &self.p.objective
    }

    /// The inverse link applied to the raw score.
    pub fn transform(&self) -> OutputTransform {
        self.p.transform
    }

    /// The raw score before the first tree (XGBoost's base margin,
    /// scikit-learn's initial prediction; 0 for LightGBM, which folds it into
    /// the first tree).
    pub fn init_score(&self) -> f64 {
        self.p.init_score
    }

    /// For averaging ensembles (random forests), what the summed trees are
    /// divided by.
    pub fn divisor(&self) -> Option<f64> {
        self.p.divisor
    }

    /// Number of input columns a row must have.
    pub fn num_features(&self) -> usize {
        self.p.num_features
    }

    /// Feature names from the model file, in column order (empty when the
    /// file had none).
    pub fn feature_names(&self) -> &[String] {
        &self.p.feature_names
    }

    /// Replace the feature names (e.g. with the encoder's when the model
    /// file had none). Their count must equal [`Self::num_features`].
    pub fn with_feature_names(mut self, names: Vec<String>) -> Result<Self> {
        if names.len() != self.p.num_features {
            return Err(MiraError::ModelMismatch {
                path: None,
                reason: format!(
                    "{} feature names given for a model of {} features",
                    names.len(),
                    self.p.num_features
                ),
            });
        }
        self.p.feature_names = names;
        Ok(self)
    }

    /// Number of trees.
    pub fn num_trees(&self) -> usize {
        self.p.tree_roots.len()
    }

    /// Number of nodes (splits and leaves) over all trees.
    pub fn num_nodes(&self) -> usize {
        self.p.feature.len()
    }

    fn check_width(&self, width: usize) -> Result<()> {
        if width == self.p.num_features {
            return Ok(());
        }
        let names = if self.p.feature_names.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.p.feature_names.join(", "))
        };
        Err(MiraError::ModelMismatch {
            path: None,
            reason: format!(
                "a row has {width} values, the model expects {} features{names}",
                self.p.num_features
            ),
        })
    }

    /// Predict one row (feature values in the model's column order; NaN is
    /// a missing value). Returns the prediction in the label's units
    /// (dollars for a price model).
    pub fn predict_row(&self, row: &[f64]) -> Result<f64> {
        self.check_width(row.len())?;
        let mut out = [0.0];
        self.predict_block_dispatch(row, &mut out);
        Ok(out[0])
    }

    /// Predict many rows (one row per matrix row). Batches of at least
    /// [`PARALLEL_MIN_ROWS`] rows run on the rayon thread pool (install a
    /// pool to choose the thread count); the results are identical for any
    /// thread count because each row's sum is computed alone, in tree order.
    pub fn predict_batch(&self, rows: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        let mut out = Array1::zeros(rows.nrows());
        let slice = out.as_slice_mut().expect("a fresh Array1 is contiguous");
        self.predict_into(rows, slice)?;
        Ok(out)
    }

    /// Like [`Self::predict_batch`], always on the calling thread.
    pub fn predict_batch_sequential(&self, rows: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        self.check_width(rows.ncols())?;
        let mut out = Array1::zeros(rows.nrows());
        let slice = out.as_slice_mut().expect("a fresh Array1 is contiguous");
        self.predict_chunk(rows, slice);
        Ok(out)
    }

    /// Predict into a caller's buffer of `rows.nrows()` values.
    pub fn predict_into(&self, rows: ArrayView2<'_, f64>, out: &mut [f64]) -> Result<()> {
        self.check_width(rows.ncols())?;
        if out.len() != rows.nrows() {
            return Err(MiraError::ModelMismatch {
                path: None,
                reason: format!(
                    "output buffer holds {} values for {} rows",
                    out.len(),
                    rows.nrows()
                ),
            });
        }
        if rows.nrows() < PARALLEL_MIN_ROWS {
            self.predict_chunk(rows, out);
        } else {
            out.par_chunks_mut(TASK_ROWS)
                .enumerate()
                .for_each(|(task, chunk)| {
                    let start = task * TASK_ROWS;
                    let view = rows.slice(s![start..start + chunk.len(), ..]);
                    self.predict_chunk(view, chunk);
                });
        }
        Ok(())
    }

    /// Sequential prediction of a chunk, a block of rows at a time.
    fn predict_chunk(&self, rows: ArrayView2<'_, f64>, out: &mut [f64]) {
        if let Some(c) = &self.compiled {
            if out.len() >= BLOCK_ROWS {
                return match self.p.rule {
                    SplitRule::XgBoost => self.predict_chunk_compiled::<f32>(c, rows, out),
                    _ => self.predict_chunk_compiled::<f64>(c, rows, out),
                };
            }
        }
        let mut buf = Vec::new();
        for (b, out_block) in out.chunks_mut(BLOCK_ROWS).enumerate() {
            let start = b * BLOCK_ROWS;
            let block = rows.slice(s![start..start + out_block.len(), ..]);
            let data = row_major(&block, &mut buf);
            self.predict_block_dispatch(data, out_block);
        }
    }

    /// [`Self::predict_chunk`] for a compiled ensemble: full blocks take the
    /// lock-step walk, a last partial block the generic one.
    fn predict_chunk_compiled<A: Accumulator>(
        &self,
        c: &Compiled,
        rows: ArrayView2<'_, f64>,
        out: &mut [f64],
    ) {
        let p = &self.p;
        let mut buf = Vec::new();
        let mut xt = vec![0; c.block_len()];
        for (b, out_block) in out.chunks_mut(BLOCK_ROWS).enumerate() {
            let start = b * BLOCK_ROWS;
            let block = rows.slice(s![start..start + out_block.len(), ..]);
            let data = row_major(&block, &mut buf);
            if out_block.len() < BLOCK_ROWS {
                self.predict_block_dispatch(data, out_block);
                continue;
            }
            c.transpose(data, &mut xt);
            let mut acc = [A::start(p.init_score); BLOCK_ROWS];
            c.accumulate(&xt, &mut acc);
            for (o, a) in out_block.iter_mut().zip(acc) {
                *o = a.finish(p.divisor, p.transform);
            }
        }
    }

    fn predict_block_dispatch(&self, data: &[f64], out: &mut [f64]) {
        match self.p.rule {
            SplitRule::LightGbm => self.predict_block::<LightGbmRule>(data, out),
            SplitRule::XgBoost => self.predict_block::<XgBoostRule>(data, out),
            SplitRule::Sklearn => self.predict_block::<SklearnRule>(data, out),
            SplitRule::SklearnHist => self.predict_block::<SklearnHistRule>(data, out),
        }
    }

    /// The hot loop: for each tree, walk every row of the block (at most
    /// [`BLOCK_ROWS`]) to its leaf and add the leaf to that row's sum.
    fn predict_block<R: Rule>(&self, data: &[f64], out: &mut [f64]) {
        let p = &self.p;
        let nf = p.num_features;
        let n = out.len();
        debug_assert!(n <= BLOCK_ROWS && data.len() == n * nf);
        let mut acc = [R::Acc::start(p.init_score); BLOCK_ROWS];
        for &root in &p.tree_roots {
            for (i, a) in acc.iter_mut().enumerate().take(n) {
                let row = &data[i * nf..(i + 1) * nf];
                let mut node = root as usize;
                loop {
                    let f = p.flags[node];
                    if f & LEAF != 0 {
                        break;
                    }
                    let x = row[p.feature[node] as usize];
                    node = if R::go_left(p, node, f, x) {
                        p.left[node]
                    } else {
                        p.right[node]
                    } as usize;
                }
                *a = a.add(p.value[node]);
            }
        }
        for (o, a) in out.iter_mut().zip(acc) {
            *o = a.finish(p.divisor, p.transform);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn stump(rule: SplitRule, threshold: f64) -> TreeEnsemble {
        let mut b = EnsembleBuilder::new(rule, 1, vec!["sqft".into()]);
        b.push_tree(&[
            NodeSpec {
                feature: 0,
                value: threshold,
                left: 1,
                right: 2,
                flags: DEFAULT_LEFT,
            },
            NodeSpec::leaf(1.0),
            NodeSpec::leaf(2.0),
        ])
        .unwrap();
        b.finish("test", OutputTransform::Identity, 0.0, None)
            .unwrap()
    }

    #[test]
    fn equality_goes_left_for_lightgbm_and_right_for_xgboost() {
        assert_eq!(
            stump(SplitRule::LightGbm, 5.0).predict_row(&[5.0]).unwrap(),
            1.0
        );
        assert_eq!(
            stump(SplitRule::XgBoost, 5.0).predict_row(&[5.0]).unwrap(),
            2.0
        );
        assert_eq!(
            stump(SplitRule::Sklearn, 5.0).predict_row(&[5.0]).unwrap(),
            1.0
        );
        assert_eq!(
            stump(SplitRule::LightGbm, 5.0)
                .predict_row(&[f64::NAN])
                .unwrap(),
            1.0
        );
    }

    /// The compiled walk (full blocks) against the generic one (single
    /// rows) on values at and around each threshold, NaN, ±0 and tiny
    /// values, for every rule and missing-value setting.
    #[test]
    fn compiled_walk_matches_the_generic_walk_on_boundaries() {
        let thresholds = [
            0.0,
            -0.0,
            1e-36,
            -2.5,
            47.5331,
            2045.0000000000002,
            f64::INFINITY,
        ];
        let mut xs = vec![f64::NAN, 0.0, -0.0, 1e-36, -1e-36, 1e300, f64::NEG_INFINITY];
        for &t in &thresholds {
            let t32 = t as f32;
            xs.extend([t, t.next_up(), t.next_down(), f64::from(t32)]);
            xs.extend([f64::from(t32.next_up()), f64::from(t32.next_down())]);
        }
        let xs: Vec<f64> = xs
            .into_iter()
            .filter(|x| !x.is_infinite() || x.is_sign_negative())
            .collect();
        let rules = [
            SplitRule::LightGbm,
            SplitRule::XgBoost,
            SplitRule::Sklearn,
            SplitRule::SklearnHist,
        ];
        let missing = [0, MISSING_NAN, MISSING_ZERO];
        for rule in rules {
            for &t in &thresholds {
                for m in missing {
                    for dl in [0, DEFAULT_LEFT] {
                        if m != 0 && rule != SplitRule::LightGbm {
                            continue;
                        }
                        let mut b = EnsembleBuilder::new(rule, 2, vec![]);
                        // Two trees: a split on feature 1, then a one-leaf tree.
                        b.push_tree(&[
                            NodeSpec {
                                feature: 1,
                                value: t,
                                left: 1,
                                right: 2,
                                flags: m | dl,
                            },
                            NodeSpec::leaf(1.0),
                            NodeSpec {
                                feature: 0,
                                value: t,
                                left: 3,
                                right: 4,
                                flags: m,
                            },
                            NodeSpec::leaf(20.0),
                            NodeSpec::leaf(300.0),
                        ])
                        .unwrap();
                        b.push_tree(&[NodeSpec::leaf(-0.5)]).unwrap();
                        let e = b
                            .finish("t", OutputTransform::Identity, 0.25, None)
                            .unwrap();
                        assert!(e.compiled.is_some());
                        let n = xs.len() * xs.len();
                        let rows = Array2::from_shape_fn((n.max(64), 2), |(i, j)| {
                            let i = i % n;
                            if j == 0 {
                                xs[i / xs.len()]
                            } else {
                                xs[i % xs.len()]
                            }
                        });
                        let batch = e.predict_batch_sequential(rows.view()).unwrap();
                        for (i, row) in rows.rows().into_iter().enumerate() {
                            let one = e.predict_row(row.as_slice().unwrap()).unwrap();
                            assert_eq!(
                                batch[i].to_bits(),
                                one.to_bits(),
                                "{rule:?} t={t:e} flags={:#x} row {row}",
                                m | dl
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_cycle_is_refused() {
        let mut b = EnsembleBuilder::new(SplitRule::LightGbm, 1, vec![]);
        b.push_tree(&[
            NodeSpec {
                feature: 0,
                value: 0.0,
                left: 0,
                right: 1,
                flags: 0,
            },
            NodeSpec::leaf(1.0),
        ])
        .unwrap();
        let err = b
            .finish("x", OutputTransform::Identity, 0.0, None)
            .unwrap_err();
        assert!(
            err.contains("outside the tree") || err.contains("twice"),
            "{err}"
        );
    }

    #[test]
    fn a_feature_beyond_the_row_is_refused() {
        let mut b = EnsembleBuilder::new(SplitRule::XgBoost, 2, vec![]);
        b.push_tree(&[
            NodeSpec {
                feature: 2,
                value: 0.0,
                left: 1,
                right: 2,
                flags: 0,
            },
            NodeSpec::leaf(1.0),
            NodeSpec::leaf(2.0),
        ])
        .unwrap();
        let err = b
            .finish("x", OutputTransform::Identity, 0.0, None)
            .unwrap_err();
        assert!(err.contains("feature 2"), "{err}");
    }

    #[test]
    fn serde_round_trip_is_exact_and_revalidates() {
        let e = stump(SplitRule::SklearnHist, f64::INFINITY);
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"inf\""), "{json}");
        let back: TreeEnsemble = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
        let tampered = json.replace("\"left\":[1,0,0]", "\"left\":[0,0,0]");
        assert_ne!(tampered, json);
        assert!(serde_json::from_str::<TreeEnsemble>(&tampered).is_err());
    }

    #[test]
    fn wrong_row_width_is_a_model_mismatch() {
        let e = stump(SplitRule::LightGbm, 1.0);
        let err = e.predict_row(&[1.0, 2.0]).unwrap_err();
        assert_eq!(err.code(), "MIRA_MODEL_MISMATCH");
        assert!(
            err.to_string().contains("expects 1 features (sqft)"),
            "{err}"
        );
        let m = Array2::<f64>::zeros((3, 2));
        assert!(e.predict_batch(m.view()).is_err());
    }

    #[test]
    fn non_contiguous_views_predict_like_contiguous_ones() {
        let e = stump(SplitRule::LightGbm, 1.0);
        let m = Array2::from_shape_fn((100, 2), |(i, j)| (i * 2 + j) as f64 % 3.0);
        let col = m.slice(s![.., 1..2]);
        let got = e.predict_batch(col).unwrap();
        let owned = col.to_owned();
        assert_eq!(got, e.predict_batch(owned.view()).unwrap());
        assert_eq!(got[0], 1.0); // row 0, column 1: 1 <= 1 goes left
        assert_eq!(got[2], 2.0); // row 2, column 1: 5 % 3 = 2 goes right
    }
}
