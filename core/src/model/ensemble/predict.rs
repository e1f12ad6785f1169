//! Prediction: one row, a batch (on the rayon pool from
//! [`PARALLEL_MIN_ROWS`] rows), a caller's buffer; each chunk a block of
//! rows at a time, full blocks of numerical ensembles by the compiled walk.

use ndarray::{s, Array1, ArrayView2};
use rayon::prelude::*;

use super::accumulator::Accumulator;
use super::compiled::Compiled;
use super::walk::BLOCK_ROWS;
use super::TreeEnsemble;
use crate::error::{MiraError, Result};
use crate::model::split_rule::SplitRule;

/// Below this many rows a batch is predicted on the calling thread: rayon's
/// fork/join costs more than it saves.
pub const PARALLEL_MIN_ROWS: usize = 4096;
/// Rows per rayon task when predicting in parallel.
const TASK_ROWS: usize = 1024;

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

impl TreeEnsemble {
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
}
