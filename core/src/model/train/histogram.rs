//! Gradient histograms: for each feature and each bin, the sums of the
//! gradients and hessians and the row count of a leaf's rows in that bin.
//! A split search then scans bins (at most 256) instead of rows.
//!
//! Building is parallel over features: each feature's bins are summed by
//! one task in row order, so the sums (and so the model) are bit-identical
//! whatever the thread count. The larger child of a split is never built:
//! it is its parent minus its smaller sibling (the subtraction trick),
//! which halves the work at every level at least.

use std::ops::Range;

use rayon::prelude::*;

use super::binning::{BinMapper, BinnedMatrix};

/// Sums over the rows of one bin (or one leaf).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct BinStat {
    /// Sum of gradients.
    pub(crate) g: f64,
    /// Sum of hessians.
    pub(crate) h: f64,
    /// Number of rows.
    pub(crate) n: u32,
}

impl BinStat {
    /// `self - other`, field by field.
    #[inline]
    pub(crate) fn minus(self, other: BinStat) -> BinStat {
        BinStat {
            g: self.g - other.g,
            h: self.h - other.h,
            n: self.n - other.n,
        }
    }

    /// `self + other`, field by field.
    #[inline]
    pub(crate) fn plus(self, other: BinStat) -> BinStat {
        BinStat {
            g: self.g + other.g,
            h: self.h + other.h,
            n: self.n + other.n,
        }
    }
}

/// Where each feature's bins live in a flat histogram: feature `f` owns
/// `offsets[f]..offsets[f + 1]`, its value bins then its NaN bin.
#[derive(Debug, Clone)]
pub(crate) struct HistLayout {
    offsets: Vec<usize>,
}

impl HistLayout {
    /// The layout for these features' bins.
    pub(crate) fn new(mappers: &[BinMapper]) -> Self {
        let mut offsets = Vec::with_capacity(mappers.len() + 1);
        let mut at = 0;
        offsets.push(0);
        for m in mappers {
            at += m.num_value_bins() + 1;
            offsets.push(at);
        }
        HistLayout { offsets }
    }

    /// Total bins over all features: the length of a histogram.
    pub(crate) fn len(&self) -> usize {
        *self.offsets.last().unwrap_or(&0)
    }

    /// The bins of feature `f`.
    #[inline]
    pub(crate) fn range(&self, f: usize) -> Range<usize> {
        self.offsets[f]..self.offsets[f + 1]
    }
}

/// Below this many (row, feature) pairs a histogram is built on the
/// calling thread: rayon's fork/join would cost more than it saves.
const PARALLEL_MIN_WORK: usize = 8 * 1024;

/// Build the histogram of `rows` over the features marked in `use_feature`
/// into `hist` (other features' bins are left at zero). `hess` = `None`
/// means a hessian of 1 for every row (squared error): then only counts
/// are summed and each bin's hessian is its count, exactly.
pub(crate) fn build(
    hist: &mut [BinStat],
    layout: &HistLayout,
    data: &BinnedMatrix,
    use_feature: &[bool],
    rows: &[u32],
    grad: &[f64],
    hess: Option<&[f64]>,
) {
    hist.fill(BinStat::default());
    // Gradients gathered in the leaf's row order once, so every feature's
    // pass reads them sequentially (LightGBM's "ordered gradients").
    let og: Vec<f64> = rows.iter().map(|&r| grad[r as usize]).collect();
    let oh: Option<Vec<f64>> = hess.map(|h| rows.iter().map(|&r| h[r as usize]).collect());
    let mut slices: Vec<(usize, &mut [BinStat])> = Vec::with_capacity(use_feature.len());
    let mut rest = hist;
    for (f, &used) in use_feature.iter().enumerate() {
        let (head, tail) = rest.split_at_mut(layout.range(f).len());
        rest = tail;
        if used {
            slices.push((f, head));
        }
    }
    let one = |(f, bins): (usize, &mut [BinStat])| {
        let col = &data.cols[f];
        // The hot loop: one byte load, one or two f64 adds and an
        // increment per row.
        match &oh {
            Some(oh) => {
                for ((&r, &g), &h) in rows.iter().zip(&og).zip(oh) {
                    let s = &mut bins[col[r as usize] as usize];
                    s.g += g;
                    s.h += h;
                    s.n += 1;
                }
            }
            None => {
                for (&r, &g) in rows.iter().zip(&og) {
                    let s = &mut bins[col[r as usize] as usize];
                    s.g += g;
                    s.n += 1;
                }
                for s in bins.iter_mut() {
                    s.h = f64::from(s.n);
                }
            }
        }
    };
    if rows.len() * slices.len() < PARALLEL_MIN_WORK {
        slices.into_iter().for_each(one);
    } else {
        slices.into_par_iter().for_each(one);
    }
}

/// `parent -= child`: turns a parent's histogram into the histogram of
/// `child`'s sibling.
pub(crate) fn subtract(parent: &mut [BinStat], child: &[BinStat]) {
    for (p, c) in parent.iter_mut().zip(child) {
        *p = p.minus(*c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_sums_rows_per_bin_and_subtraction_gives_the_sibling() {
        let x = ndarray::array![[0.0, 1.0], [1.0, f64::NAN], [0.0, 2.0], [1.0, 1.0]];
        let mappers = super::super::binning::fit_mappers(x.view(), 255);
        let data = super::super::binning::bin_matrix(x.view(), &mappers);
        let layout = HistLayout::new(&mappers);
        assert_eq!(layout.len(), 3 + 3);
        let grad = [1.0, 2.0, 4.0, 8.0];
        let hess = [1.0; 4];
        let mut parent = vec![BinStat::default(); layout.len()];
        build(
            &mut parent,
            &layout,
            &data,
            &[true, true],
            &[0, 1, 2, 3],
            &grad,
            Some(&hess),
        );
        let g: Vec<f64> = parent.iter().map(|s| s.g).collect();
        assert_eq!(g, [5.0, 10.0, 0.0, 9.0, 4.0, 2.0]);
        let mut child = vec![BinStat::default(); layout.len()];
        build(
            &mut child,
            &layout,
            &data,
            &[true, true],
            &[1, 3],
            &grad,
            Some(&hess),
        );
        subtract(&mut parent, &child);
        let mut direct = vec![BinStat::default(); layout.len()];
        build(
            &mut direct,
            &layout,
            &data,
            &[true, true],
            &[0, 2],
            &grad,
            Some(&hess),
        );
        assert_eq!(parent, direct);
        // A constant hessian of 1 (`None`) gives the same bins.
        let mut ones = vec![BinStat::default(); layout.len()];
        build(
            &mut ones,
            &layout,
            &data,
            &[true, true],
            &[0, 2],
            &grad,
            None,
        );
        assert_eq!(ones, direct);
        // Unused features stay at zero.
        build(
            &mut direct,
            &layout,
            &data,
            &[false, true],
            &[0, 2],
            &grad,
            Some(&hess),
        );
        assert!(direct[..3].iter().all(|s| *s == BinStat::default()));
    }
}
