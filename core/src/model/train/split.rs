//! The best split of a leaf, found by scanning its histogram.
//!
//! For squared error with L2 regularisation `λ`, a leaf with gradient sum
//! `G` and hessian sum `H` has the optimal value `-G / (H + λ)` and lowers
//! the loss by `G² / (H + λ)` (up to a factor ½ kept out of every term).
//! A split's gain is what its two children lower the loss by, minus what
//! the parent alone does. Missing values (the NaN bin) are tried on both
//! sides, and the better side becomes the split's default direction, as in
//! LightGBM. When the leaf has no missing value the default direction is
//! the side with more rows, where an unseen missing value is most likely
//! to belong.

use super::binning::BinMapper;
use super::histogram::{BinStat, HistLayout};

/// Limits every child of a split must respect.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SplitLimits {
    /// Minimum rows per child.
    pub(crate) min_rows: u32,
    /// Minimum hessian sum per child.
    pub(crate) min_hessian: f64,
    /// L2 regularisation of leaf values.
    pub(crate) lambda: f64,
    /// Minimum gain of a split.
    pub(crate) min_gain: f64,
}

/// A candidate split of a leaf.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SplitInfo {
    /// Feature index.
    pub(crate) feature: usize,
    /// Value bins `0..=bin` go left.
    pub(crate) bin: u8,
    /// Missing values go left.
    pub(crate) default_left: bool,
    /// Loss reduction (without the factor ½).
    pub(crate) gain: f64,
    /// Sums of the left child (the right child is the leaf minus these).
    pub(crate) left: BinStat,
}

/// How much a leaf with these sums lowers the loss: `G² / (H + λ)`.
#[inline]
pub(crate) fn leaf_gain(s: BinStat, lambda: f64) -> f64 {
    s.g * s.g / (s.h + lambda)
}

/// The optimal (unshrunk) value of a leaf: `-G / (H + λ)`.
#[inline]
pub(crate) fn leaf_value(s: BinStat, lambda: f64) -> f64 {
    -s.g / (s.h + lambda)
}

/// The best split of a leaf with sums `total` and histogram `hist` over the
/// features marked in `use_feature`, or `None` when no split has a gain
/// above `min_gain` while respecting the limits. Ties keep the first
/// candidate in (feature, default right before left, bin) order, so the
/// choice is deterministic.
pub(crate) fn best_split(
    hist: &[BinStat],
    layout: &HistLayout,
    mappers: &[BinMapper],
    use_feature: &[bool],
    total: BinStat,
    lim: &SplitLimits,
) -> Option<SplitInfo> {
    let parent = leaf_gain(total, lim.lambda);
    let mut best: Option<SplitInfo> = None;
    let mut best_gain = lim.min_gain;
    let ok = |s: BinStat| s.n >= lim.min_rows && s.h >= lim.min_hessian;
    for (f, m) in mappers.iter().enumerate() {
        if !use_feature[f] {
            continue;
        }
        let bins = &hist[layout.range(f)];
        let nb = m.num_value_bins();
        let nan = bins[nb];
        for default_left in [false, true] {
            if default_left && nan.n == 0 {
                break;
            }
            let mut left = if default_left {
                nan
            } else {
                BinStat::default()
            };
            for (b, &s) in bins[..nb].iter().enumerate() {
                if s.n == 0 {
                    continue; // same partition as the previous bin
                }
                left = left.plus(s);
                let right = total.minus(left);
                if right.n < lim.min_rows {
                    break; // the right side only shrinks from here
                }
                if !ok(left) || !ok(right) {
                    continue;
                }
                let gain = leaf_gain(left, lim.lambda) + leaf_gain(right, lim.lambda) - parent;
                if gain > best_gain {
                    best_gain = gain;
                    best = Some(SplitInfo {
                        feature: f,
                        bin: b as u8,
                        default_left,
                        gain,
                        left,
                    });
                }
            }
        }
    }
    // Without missing values in the leaf, missing goes with the majority.
    if let Some(s) = best.as_mut() {
        let nan_rows = hist[layout.range(s.feature)][mappers[s.feature].num_value_bins()].n;
        if nan_rows == 0 {
            s.default_left = s.left.n >= total.n - s.left.n;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::super::binning::{bin_matrix, fit_mappers};
    use super::super::histogram::build;
    use super::*;

    fn lim() -> SplitLimits {
        SplitLimits {
            min_rows: 1,
            min_hessian: 0.0,
            lambda: 0.0,
            min_gain: 0.0,
        }
    }

    #[test]
    fn finds_the_hand_computed_split_and_gain() {
        // x = 1, 2, 3, 4 with gradients -1, -1, 1, 1: split between 2 and 3.
        let x = ndarray::array![[1.0], [2.0], [3.0], [4.0]];
        let m = fit_mappers(x.view(), 255);
        let d = bin_matrix(x.view(), &m);
        let layout = HistLayout::new(&m);
        let mut h = vec![BinStat::default(); layout.len()];
        let g = [-1.0, -1.0, 1.0, 1.0];
        build(&mut h, &layout, &d, &[true], &[0, 1, 2, 3], &g, None);
        let total = BinStat {
            g: 0.0,
            h: 4.0,
            n: 4,
        };
        let s = best_split(&h, &layout, &m, &[true], total, &lim()).unwrap();
        assert_eq!((s.feature, s.bin), (0, 1));
        assert_eq!(m[0].bound(s.bin), 2.5);
        // (-2)²/2 + 2²/2 - 0 = 4.
        assert_eq!(s.gain, 4.0);
        // Equal sides, no missing values: default left.
        assert!(s.default_left);
        // A minimum gain of 4 refuses it (the gain must be strictly above).
        let strict = SplitLimits {
            min_gain: 4.0,
            ..lim()
        };
        assert!(best_split(&h, &layout, &m, &[true], total, &strict).is_none());
        // Two rows per child at least: still the same split; three: none.
        let three = SplitLimits {
            min_rows: 3,
            ..lim()
        };
        assert!(best_split(&h, &layout, &m, &[true], total, &three).is_none());
    }

    #[test]
    fn missing_values_take_the_side_that_fits_them() {
        // NaN rows have the gradient of the large values.
        let x = ndarray::array![[1.0], [2.0], [f64::NAN], [3.0], [4.0]];
        let m = fit_mappers(x.view(), 255);
        let d = bin_matrix(x.view(), &m);
        let layout = HistLayout::new(&m);
        let mut h = vec![BinStat::default(); layout.len()];
        let g = [-1.0, -1.0, 1.0, 1.0, 1.0];
        build(&mut h, &layout, &d, &[true], &[0, 1, 2, 3, 4], &g, None);
        let total = BinStat {
            g: 1.0,
            h: 5.0,
            n: 5,
        };
        let s = best_split(&h, &layout, &m, &[true], total, &lim()).unwrap();
        assert_eq!((s.bin, s.default_left), (1, false));
        // Now the NaN rows look like the small values.
        let g = [-1.0, -1.0, -1.0, 1.0, 1.0];
        build(&mut h, &layout, &d, &[true], &[0, 1, 2, 3, 4], &g, None);
        let total = BinStat {
            g: -1.0,
            h: 5.0,
            n: 5,
        };
        let s = best_split(&h, &layout, &m, &[true], total, &lim()).unwrap();
        assert_eq!((s.bin, s.default_left), (1, true));
        assert_eq!(s.left.n, 3);
    }
}
