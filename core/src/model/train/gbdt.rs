//! The boosting loop: checks the data, bins it, then adds one leaf-wise
//! tree per round fitted to the gradients of the squared error (on `ln y`
//! by default), with shrinkage, optional bagging and feature sampling, and
//! early stopping on a validation set.
//!
//! Every step is deterministic: random choices come from the seed,
//! histograms and losses are summed in row order, and parallel work is
//! split by feature or by row, never by reducing floats across threads. So
//! the same seed and data give a bit-identical model on 1 or 64 threads.

use ndarray::{Array2, ArrayView1, ArrayView2, Axis};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::binning::{bin_matrix, fit_mappers, BinMapper, BinnedMatrix};
use super::grow::{grow_tree, leaf_of, BinNode, GrowContext};
use super::histogram::HistLayout;
use super::params::{GbdtObjective, GbdtParams};
use super::rng::SplitMix64;
use super::split::SplitLimits;
use crate::error::{MiraError, RecordRef, Result};
use crate::model::ensemble::{EnsembleBuilder, NodeSpec, DEFAULT_LEFT, MISSING_NAN};
use crate::model::{OutputTransform, SplitRule, TreeEnsemble};

/// Random streams of one seed, one per purpose.
const STREAM_BAGGING: u64 = 1;
const STREAM_FEATURES: u64 = 2;
const STREAM_VALIDATION: u64 = 3;
/// Rows per rayon task when updating scores.
const SCORE_TASK_ROWS: usize = 4096;

/// What the progress callback receives after each boosting round.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainProgress {
    /// The round just finished, 1-based.
    pub round: u32,
    /// The maximum number of rounds (`num_rounds`; early stopping may end
    /// training before).
    pub total_rounds: u32,
    /// Root mean squared error on the training rows, on the fitted scale
    /// (`ln` of the label for the log objective).
    pub train_loss: f64,
    /// The same on the validation rows, when there is a validation set.
    pub valid_loss: Option<f64>,
}

/// The losses of every round and which round's model was kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainHistory {
    /// What the losses measure, e.g. `rmse of ln(y)`.
    pub metric: String,
    /// Training loss after each round (one entry per round trained).
    pub train_loss: Vec<f64>,
    /// Validation loss after each round (empty without a validation set).
    pub valid_loss: Vec<f64>,
    /// Number of trees kept in the model: the round with the lowest
    /// validation loss under early stopping, otherwise every round.
    pub best_iteration: usize,
    /// Whether early stopping ended training before `num_rounds`.
    pub stopped_early: bool,
    /// Rows trained on (after the validation split).
    pub train_rows: usize,
    /// Rows in the validation set (0 without one).
    pub valid_rows: usize,
}

/// A trained model and how training went.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainedGbdt {
    /// The model: predicts with the shared flat tree predictor, in the
    /// label's units (dollars for prices: the log objective's `exp` is the
    /// model's output transform). Its feature names are empty; set them
    /// with [`TreeEnsemble::with_feature_names`].
    pub model: TreeEnsemble,
    /// Per-round losses and the kept round.
    pub history: TrainHistory,
}

/// Train a gradient-boosted tree ensemble on `x` (one row per example, NaN
/// for a missing value) and labels `y` (for the default log objective,
/// every label finite and > 0; dollars for prices).
///
/// A validation set is split off `x` when `params.validation_fraction` > 0
/// (rows drawn by `params.seed`); see [`train_gbdt_with_validation`] to
/// give one. `progress`, when given, is called once after each round on
/// the training thread (it must be `Sync` because training may run inside
/// a rayon pool of `params.num_threads` threads).
///
/// ```
/// use agent_mira::model::train::{train_gbdt, GbdtParams};
/// use ndarray::{Array1, Array2};
/// // Price doubles above 2000 sqft.
/// let x = Array2::from_shape_fn((200, 1), |(i, _)| 1000.0 + 10.0 * i as f64);
/// let y = x.column(0).mapv(|s| if s > 2000.0 { 600_000.0 } else { 300_000.0 });
/// let trained = train_gbdt(x.view(), y.view(), &GbdtParams::default(), None).unwrap();
/// let p = trained.model.predict_row(&[2500.0]).unwrap(); // dollars
/// assert!((p / 600_000.0 - 1.0).abs() < 1e-3, "{p}");
/// assert_eq!(trained.history.train_loss.len(), 100);
/// ```
pub fn train_gbdt(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    params: &GbdtParams,
    progress: Option<&(dyn Fn(TrainProgress) + Sync)>,
) -> Result<TrainedGbdt> {
    with_threads(params, || run(x, y, None, params, progress))
}

/// Like [`train_gbdt`], measuring the validation loss (and early stopping)
/// on an explicit validation set `x_valid`, `y_valid` instead of a split of
/// the training rows (`params.validation_fraction` is then ignored).
pub fn train_gbdt_with_validation(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    x_valid: ArrayView2<'_, f64>,
    y_valid: ArrayView1<'_, f64>,
    params: &GbdtParams,
    progress: Option<&(dyn Fn(TrainProgress) + Sync)>,
) -> Result<TrainedGbdt> {
    with_threads(params, || {
        run(x, y, Some((x_valid, y_valid)), params, progress)
    })
}

fn with_threads<F>(params: &GbdtParams, f: F) -> Result<TrainedGbdt>
where
    F: FnOnce() -> Result<TrainedGbdt> + Send,
{
    params.validate()?;
    if params.num_threads == 0 {
        return f();
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(params.num_threads as usize)
        .build()
        .map_err(|e| {
            MiraError::invalid(
                RecordRef::Other("training parameters".into()),
                "num_threads",
                params.num_threads,
                format!("a thread count this system can start ({e})"),
            )
        })?;
    pool.install(f)
}

/// Check shapes and values; return the fitted targets (`ln y` or `y`).
fn check_data(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    objective: GbdtObjective,
    what: &str,
) -> Result<Vec<f64>> {
    let data = || RecordRef::Other(format!("{what} data"));
    if x.nrows() == 0 {
        return Err(MiraError::invalid(data(), "x", "0 rows", "at least 1 row"));
    }
    if x.ncols() == 0 {
        return Err(MiraError::invalid(
            data(),
            "x",
            "0 columns",
            "at least 1 feature column",
        ));
    }
    if x.nrows() > u32::MAX as usize {
        return Err(MiraError::invalid(
            data(),
            "x",
            format!("{} rows", x.nrows()),
            "at most 2^32 - 1 rows",
        ));
    }
    if y.len() != x.nrows() {
        return Err(MiraError::invalid(
            data(),
            "y",
            format!("{} labels", y.len()),
            format!("{} labels, one per row of x", x.nrows()),
        ));
    }
    for (i, row) in x.outer_iter().enumerate() {
        if let Some((j, v)) = row.iter().enumerate().find(|(_, v)| v.is_infinite()) {
            return Err(MiraError::invalid(
                RecordRef::Other(format!("{what} row {i}")),
                format!("column {j}"),
                v,
                "a finite number, or NaN for a missing value",
            ));
        }
    }
    y.iter()
        .enumerate()
        .map(|(i, &v)| {
            let row = || RecordRef::Other(format!("{what} row {i}"));
            match objective {
                GbdtObjective::Log if v.is_finite() && v > 0.0 => Ok(v.ln()),
                GbdtObjective::Log => Err(MiraError::invalid(
                    row(),
                    "y",
                    v,
                    "a finite number > 0 (the log objective fits ln(y))",
                )),
                GbdtObjective::L2 if v.is_finite() => Ok(v),
                GbdtObjective::L2 => Err(MiraError::invalid(row(), "y", v, "a finite number")),
            }
        })
        .collect()
}

/// Root mean squared error, summed in row order.
fn rmse(scores: &[f64], targets: &[f64]) -> f64 {
    let mut s = 0.0;
    for (p, t) in scores.iter().zip(targets) {
        let d = p - t;
        s += d * d;
    }
    (s / scores.len() as f64).sqrt()
}

/// Add each row's leaf value to its score (each row alone: deterministic).
fn add_tree(scores: &mut [f64], nodes: &[BinNode], data: &BinnedMatrix) {
    let one = |(task, chunk): (usize, &mut [f64])| {
        let start = task * SCORE_TASK_ROWS;
        for (k, s) in chunk.iter_mut().enumerate() {
            *s += nodes[leaf_of(nodes, data, start + k)].value;
        }
    };
    if scores.len() < 2 * SCORE_TASK_ROWS {
        scores.chunks_mut(SCORE_TASK_ROWS).enumerate().for_each(one);
    } else {
        scores
            .par_chunks_mut(SCORE_TASK_ROWS)
            .enumerate()
            .for_each(one);
    }
}

/// The tree in the shared predictor's node layout (LightGBM split rule:
/// `x <= bound` goes left, NaN takes the learned default direction).
fn to_specs(nodes: &[BinNode], mappers: &[BinMapper]) -> Vec<NodeSpec> {
    nodes
        .iter()
        .map(|n| {
            if n.is_leaf {
                NodeSpec::leaf(n.value)
            } else {
                NodeSpec {
                    feature: n.feature,
                    value: mappers[n.feature as usize].bound(n.bin),
                    left: n.left,
                    right: n.right,
                    flags: MISSING_NAN | if n.default_left { DEFAULT_LEFT } else { 0 },
                }
            }
        })
        .collect()
}

fn run(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    valid: Option<(ArrayView2<'_, f64>, ArrayView1<'_, f64>)>,
    params: &GbdtParams,
    progress: Option<&(dyn Fn(TrainProgress) + Sync)>,
) -> Result<TrainedGbdt> {
    let objective = params.objective;
    let targets = check_data(x, y, objective, "training")?;

    // The validation set: explicit, split off by seed, or none.
    let split_x: Array2<f64>;
    let split_xv: Array2<f64>;
    let (xt, tt, xv, tv) = if let Some((xv, yv)) = valid {
        let tv = check_data(xv, yv, objective, "validation")?;
        if xv.ncols() != x.ncols() {
            return Err(MiraError::invalid(
                RecordRef::Other("validation data".into()),
                "x",
                format!("{} columns", xv.ncols()),
                format!("{} columns, as in the training data", x.ncols()),
            ));
        }
        (x.reborrow(), targets, Some(xv.reborrow()), tv)
    } else if params.validation_fraction > 0.0 {
        let n = x.nrows();
        let k = ((params.validation_fraction * n as f64).round() as usize).max(1);
        if k >= n {
            return Err(MiraError::invalid(
                RecordRef::Other("training parameters".into()),
                "validation_fraction",
                params.validation_fraction,
                format!("a fraction that leaves training rows out of {n}"),
            ));
        }
        let vi = SplitMix64::new(params.seed, STREAM_VALIDATION).sample_sorted(n, k);
        let mut is_valid = vec![false; n];
        for &i in &vi {
            is_valid[i as usize] = true;
        }
        let ti: Vec<usize> = (0..n).filter(|&i| !is_valid[i]).collect();
        let vi: Vec<usize> = vi.iter().map(|&i| i as usize).collect();
        split_x = x.select(Axis(0), &ti);
        split_xv = x.select(Axis(0), &vi);
        let tt = ti.iter().map(|&i| targets[i]).collect();
        let tv = vi.iter().map(|&i| targets[i]).collect();
        (split_x.view(), tt, Some(split_xv.view()), tv)
    } else {
        (x.reborrow(), targets, None, Vec::new())
    };
    if let (Some(p), None) = (params.early_stopping_rounds, xv) {
        return Err(MiraError::invalid(
            RecordRef::Other("training parameters".into()),
            "early_stopping_rounds",
            p,
            "null when there is no validation set (give one, or set validation_fraction > 0)",
        ));
    }

    let n = xt.nrows();
    let nf = xt.ncols();
    let mappers = fit_mappers(xt, params.max_bins as usize);
    let data = bin_matrix(xt, &mappers);
    let vdata = xv.map(|v| bin_matrix(v, &mappers));
    let layout = HistLayout::new(&mappers);
    let ctx = GrowContext {
        data: &data,
        mappers: &mappers,
        layout: &layout,
        limits: SplitLimits {
            min_rows: params.min_samples_leaf,
            min_hessian: params.min_sum_hessian,
            lambda: params.lambda_l2,
            min_gain: params.min_gain_to_split,
        },
        max_leaves: params.max_leaves as usize,
        max_depth: params.max_depth,
    };

    // The mean target, in row order; folded into the first tree's leaves.
    let init = tt.iter().sum::<f64>() / n as f64;
    let mut scores = vec![0.0; n];
    let mut vscores = vec![0.0; tv.len()];
    let mut grad = vec![0.0; n];

    let all_rows: Vec<u32> = (0..n as u32).collect();
    let bagging = params.bagging_freq > 0 && params.bagging_fraction < 1.0;
    let bag_size = ((params.bagging_fraction * n as f64).round() as usize).clamp(1, n);
    let mut bag_rng = SplitMix64::new(params.seed, STREAM_BAGGING);
    let mut feat_rng = SplitMix64::new(params.seed, STREAM_FEATURES);
    let mut in_bag = all_rows.clone();
    let feat_count = ((params.colsample_bytree * nf as f64).round() as usize).clamp(1, nf);

    let mut trees: Vec<Vec<NodeSpec>> = Vec::new();
    let mut history = TrainHistory {
        metric: match objective {
            GbdtObjective::Log => "rmse of ln(y)".into(),
            GbdtObjective::L2 => "rmse".into(),
        },
        train_loss: Vec::new(),
        valid_loss: Vec::new(),
        best_iteration: 0,
        stopped_early: false,
        train_rows: n,
        valid_rows: tv.len(),
    };
    let mut best = (f64::INFINITY, 0usize);
    let lr = params.learning_rate;

    for round in 0..params.num_rounds {
        if bagging && round % params.bagging_freq == 0 {
            in_bag = bag_rng.sample_sorted(n, bag_size);
        }
        let mut use_feature = vec![feat_count == nf; nf];
        if feat_count < nf {
            for f in feat_rng.sample_sorted(nf, feat_count) {
                use_feature[f as usize] = true;
            }
        }
        for i in 0..n {
            let s = if round == 0 { init } else { scores[i] };
            grad[i] = s - tt[i];
        }

        // Squared error: the hessian is 1 per row (`None`).
        let tree = grow_tree(&ctx, in_bag.clone(), &use_feature, &grad, None);
        let mut nodes = tree.nodes;
        for node in nodes.iter_mut().filter(|n| n.is_leaf) {
            node.value *= lr;
            if round == 0 {
                node.value += init;
            }
        }
        if tree.rows.len() == n {
            // Every row was in the tree: its leaf is known from growth.
            for &(node, start, len) in &tree.leaves {
                let v = nodes[node].value;
                for &r in &tree.rows[start..start + len] {
                    scores[r as usize] += v;
                }
            }
        } else {
            add_tree(&mut scores, &nodes, &data);
        }
        let train_loss = rmse(&scores, &tt);
        history.train_loss.push(train_loss);
        let valid_loss = vdata.as_ref().map(|vd| {
            add_tree(&mut vscores, &nodes, vd);
            rmse(&vscores, &tv)
        });
        trees.push(to_specs(&nodes, &mappers));
        if let Some(cb) = progress {
            cb(TrainProgress {
                round: round + 1,
                total_rounds: params.num_rounds,
                train_loss,
                valid_loss,
            });
        }
        if let Some(v) = valid_loss {
            history.valid_loss.push(v);
            if v < best.0 {
                best = (v, trees.len());
            }
            if let Some(patience) = params.early_stopping_rounds {
                if trees.len() - best.1 >= patience as usize
                    && trees.len() < params.num_rounds as usize
                {
                    history.stopped_early = true;
                    break;
                }
            }
        }
    }

    history.best_iteration = if params.early_stopping_rounds.is_some() {
        best.1
    } else {
        trees.len()
    };
    let mut builder = EnsembleBuilder::new(SplitRule::LightGbm, nf, Vec::new());
    for t in &trees[..history.best_iteration] {
        builder.push_tree(t).map_err(internal)?;
    }
    let transform = match objective {
        GbdtObjective::Log => OutputTransform::Exp,
        GbdtObjective::L2 => OutputTransform::Identity,
    };
    let model = builder
        .finish(objective.model_name(), transform, 0.0, None)
        .map_err(internal)?;
    Ok(TrainedGbdt { model, history })
}

/// A tree the trainer built failed the ensemble's structural check: a bug.
fn internal(reason: String) -> MiraError {
    MiraError::Corrupt {
        path: "<trained model>".into(),
        kind: "trained model".into(),
        reason,
    }
}
