//! How one split decides left or right, per origin library.
//!
//! The rules differ in float precision, in `<` versus `<=`, and in what a
//! missing value does. A single shared rule would silently mis-route rows
//! that sit exactly on a threshold, so each origin keeps its own, written
//! here once and tested on the boundary values (see `docs/MODEL_FORMATS.md`).

use serde::{Deserialize, Serialize};

/// The family of split rules a [`TreeEnsemble`](super::TreeEnsemble) uses,
/// named after the library whose predictions it reproduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitRule {
    /// LightGBM: `f64`, left when `x <= threshold`; missing types none / zero
    /// / NaN with a default direction; categorical bitsets (left when the
    /// category is in the set; NaN and negative go right). Trees are summed
    /// in `f64`.
    LightGbm,
    /// XGBoost: `f32`, left when `x < threshold`; NaN takes the default
    /// child; categorical sets list the categories that go **right**. Trees
    /// are summed in `f32`.
    XgBoost,
    /// scikit-learn decision trees and forests: the input is cast to `f32`,
    /// then left when `x <= threshold` (an `f64`); NaN follows
    /// `missing_go_to_left` (right when the tree has no such flag).
    Sklearn,
    /// scikit-learn `HistGradientBoostingRegressor`: `f64`, left when
    /// `x <= threshold`; NaN follows `missing_go_to_left`; categorical
    /// bitsets of categories going left, unknown categories treated as missing.
    SklearnHist,
}

/// LightGBM's missing-value handling of a numerical split (`decision_type`
/// bits 2–3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MissingType {
    /// No missing handling: NaN is read as 0.0.
    None,
    /// Zero (|x| ≤ 1e-35f) is missing and takes the default direction.
    Zero,
    /// NaN is missing and takes the default direction.
    NaN,
}

/// LightGBM's `kZeroThreshold`: declared as the *float* literal `1e-35f`
/// widened to double, which is not the same double as `1e-35`.
pub(crate) const LIGHTGBM_ZERO: f64 = 1e-35_f32 as f64;

/// XGBoost treats categories at or above 2^24 (not exactly representable
/// in `f32`) and negative categories as invalid; invalid categories go left.
const XGBOOST_MAX_CATEGORY: f32 = 16_777_216.0;

/// Whether bit `pos` is set in a bitset of 32-bit words (LightGBM's
/// `FindInBitset`): positions beyond the stored words are not set.
#[inline]
pub(crate) fn in_bitset(words: &[u32], pos: u32) -> bool {
    let word = (pos / 32) as usize;
    match words.get(word) {
        Some(w) => (w >> (pos % 32)) & 1 == 1,
        None => false,
    }
}

/// LightGBM numerical split: true means left.
///
/// The C API first drops inputs with |x| ≤ 1e-35f (they become 0.0); a NaN
/// where the split does not handle NaN is read as 0.0; then missing values
/// take the default direction, and otherwise `x <= threshold` goes left.
#[inline]
pub(crate) fn lightgbm_numerical(
    x: f64,
    threshold: f64,
    default_left: bool,
    missing: MissingType,
) -> bool {
    let mut x = if x.abs() <= LIGHTGBM_ZERO { 0.0 } else { x };
    if x.is_nan() && missing != MissingType::NaN {
        x = 0.0;
    }
    let is_missing = match missing {
        MissingType::None => false,
        MissingType::Zero => x.abs() <= LIGHTGBM_ZERO,
        MissingType::NaN => x.is_nan(),
    };
    if is_missing {
        default_left
    } else {
        x <= threshold
    }
}

/// LightGBM categorical split: left when the (truncated) category is in the
/// bitset; NaN and negative categories go right.
#[inline]
pub(crate) fn lightgbm_categorical(x: f64, left_set: &[u32]) -> bool {
    if x.is_nan() {
        return false;
    }
    // `as` truncates toward zero and saturates, like a C cast on the values
    // that matter; a saturated huge value lies beyond every bitset.
    let c = x as i32;
    if c < 0 {
        return false;
    }
    in_bitset(left_set, c as u32)
}

/// XGBoost numerical split: the input is rounded to `f32`; NaN takes the
/// default child; left when `x < threshold` (strict).
#[inline]
pub(crate) fn xgboost_numerical(x: f64, threshold: f32, default_left: bool) -> bool {
    let x = x as f32;
    if x.is_nan() {
        default_left
    } else {
        x < threshold
    }
}

/// XGBoost categorical split: NaN takes the default child; the categories
/// in `right_set` go right; everything else, including invalid categories
/// (negative, ≥ 2^24), goes left.
#[inline]
pub(crate) fn xgboost_categorical(x: f64, right_set: &[u32], default_left: bool) -> bool {
    let x = x as f32;
    if x.is_nan() {
        return default_left;
    }
    if !(0.0..XGBOOST_MAX_CATEGORY).contains(&x) {
        return true;
    }
    !in_bitset(right_set, x as u32)
}

/// scikit-learn tree split: the input is cast to `f32` (scikit-learn
/// validates `X` as float32), then compared in `f64`: left when
/// `x <= threshold`. NaN follows `missing_go_to_left`.
#[inline]
pub(crate) fn sklearn_numerical(x: f64, threshold: f64, missing_go_to_left: bool) -> bool {
    let x = x as f32;
    if x.is_nan() {
        missing_go_to_left
    } else {
        f64::from(x) <= threshold
    }
}

/// scikit-learn `HistGradientBoostingRegressor` numerical split, in `f64`.
#[inline]
pub(crate) fn hist_numerical(x: f64, threshold: f64, missing_go_to_left: bool) -> bool {
    if x.is_nan() {
        missing_go_to_left
    } else {
        x <= threshold
    }
}

/// scikit-learn `HistGradientBoostingRegressor` categorical split, on raw
/// category values (the model folds the ordinal encoding into its sets):
/// NaN, negative, non-integer and unknown values are missing and follow
/// `missing_go_to_left`; values in `left_set` go left, other known values
/// go right.
#[inline]
pub(crate) fn hist_categorical(
    x: f64,
    left_set: &[u32],
    known_set: &[u32],
    missing_go_to_left: bool,
) -> bool {
    if !(x >= 0.0 && x.fract() == 0.0 && x < 4_294_967_296.0) {
        return missing_go_to_left;
    }
    let c = x as u32;
    if in_bitset(left_set, c) {
        true
    } else if in_bitset(known_set, c) {
        false
    } else {
        missing_go_to_left
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lightgbm_goes_left_on_equality_and_right_just_above() {
        let t = 2045.0000000000002;
        assert!(lightgbm_numerical(t, t, false, MissingType::NaN));
        let above = f64::from_bits(t.to_bits() + 1);
        assert!(!lightgbm_numerical(above, t, true, MissingType::NaN));
        // A value that rounds onto the threshold in f32 is still compared in f64.
        let below_f32_gap = 2045.0000000000005;
        assert!(!lightgbm_numerical(
            below_f32_gap,
            t,
            false,
            MissingType::None
        ));
    }

    #[test]
    fn lightgbm_missing_types() {
        // NaN with missing type None is read as 0.0.
        assert!(lightgbm_numerical(f64::NAN, 0.5, false, MissingType::None));
        assert!(!lightgbm_numerical(f64::NAN, -0.5, true, MissingType::None));
        // NaN with missing type NaN takes the default direction.
        assert!(lightgbm_numerical(f64::NAN, -0.5, true, MissingType::NaN));
        assert!(!lightgbm_numerical(f64::NAN, 0.5, false, MissingType::NaN));
        // Zero (and NaN, read as zero) with missing type Zero: default direction.
        assert!(!lightgbm_numerical(0.0, 0.5, false, MissingType::Zero));
        assert!(!lightgbm_numerical(f64::NAN, 0.5, false, MissingType::Zero));
        assert!(lightgbm_numerical(1e-36, -0.5, true, MissingType::Zero));
        // Tiny values are zero to the C API even without missing handling.
        assert!(!lightgbm_numerical(
            -1e-36,
            -LIGHTGBM_ZERO,
            false,
            MissingType::None
        ));
        assert_eq!(LIGHTGBM_ZERO, 1.0000000180025095e-35);
    }

    #[test]
    fn lightgbm_categorical_bitset() {
        // Categories 1, 3 and 33 go left.
        let set = [0b1010, 0b10];
        assert!(lightgbm_categorical(1.0, &set));
        assert!(lightgbm_categorical(3.9, &set)); // truncated to 3
        assert!(lightgbm_categorical(33.0, &set));
        assert!(!lightgbm_categorical(2.0, &set));
        assert!(!lightgbm_categorical(64.0, &set)); // beyond the words
        assert!(!lightgbm_categorical(f64::NAN, &set));
        assert!(!lightgbm_categorical(-1.0, &set));
        assert!(!lightgbm_categorical(1e12, &set));
        // -0.5 truncates to 0, which is not negative: looked up as category 0.
        assert!(lightgbm_categorical(-0.5, &[1]));
    }

    #[test]
    fn xgboost_goes_right_on_equality_and_compares_in_f32() {
        let t = 47.5331_f32;
        assert!(!xgboost_numerical(f64::from(t), t, true));
        // Just below in f64, but it rounds onto the threshold in f32: right.
        let below = f64::from_bits(f64::from(t).to_bits() - 1);
        assert!(below < f64::from(t));
        assert!(!xgboost_numerical(below, t, true));
        // One f32 step below goes left.
        let prev = f32::from_bits(t.to_bits() - 1);
        assert!(xgboost_numerical(f64::from(prev), t, false));
        assert!(xgboost_numerical(f64::NAN, t, true));
        assert!(!xgboost_numerical(f64::NAN, t, false));
    }

    #[test]
    fn xgboost_categories_in_the_set_go_right() {
        let right = [0b100]; // category 2
        assert!(!xgboost_categorical(2.0, &right, true));
        assert!(xgboost_categorical(1.0, &right, false));
        assert!(xgboost_categorical(200.0, &right, false)); // beyond the set
        assert!(xgboost_categorical(-1.0, &right, false)); // invalid: left
        assert!(xgboost_categorical(2.0e7, &right, false));
        assert!(!xgboost_categorical(f64::NAN, &right, false));
        assert!(xgboost_categorical(f64::NAN, &right, true));
    }

    #[test]
    fn sklearn_casts_the_input_to_f32_before_comparing() {
        // A threshold just above an f32 value `a`.
        let a = 1954.0_f32;
        let b = f32::from_bits(a.to_bits() + 1);
        let t = f64::from(a) + 1e-9;
        // Above the threshold in f64, but it rounds to `a` in f32: left.
        let x = f64::from(a) + 2e-9;
        assert!(x > t);
        assert!(sklearn_numerical(x, t, false));
        assert!(!hist_numerical(x, t, false)); // HistGradientBoosting stays in f64
        assert!(!lightgbm_numerical(x, t, true, MissingType::None));
        assert!(!sklearn_numerical(f64::from(b), t, true));
        assert!(sklearn_numerical(t, t, false));
        assert!(sklearn_numerical(f64::NAN, t, true));
        assert!(!sklearn_numerical(f64::NAN, t, false));
    }

    #[test]
    fn hist_categorical_unknown_categories_are_missing() {
        let left = [0b0001]; // category 0 goes left
        let known = [0b0111]; // categories 0, 1, 2 known
        assert!(hist_categorical(0.0, &left, &known, false));
        assert!(!hist_categorical(1.0, &left, &known, true));
        assert!(hist_categorical(3.0, &left, &known, true));
        assert!(!hist_categorical(3.0, &left, &known, false));
        assert!(hist_categorical(-1.0, &left, &known, true));
        assert!(!hist_categorical(f64::NAN, &left, &known, false));
        assert!(hist_categorical(0.5, &left, &known, true)); // not a category: missing
        assert!(!hist_categorical(1e300, &left, &known, false));
        assert!(hist_numerical(f64::INFINITY, f64::INFINITY, false));
    }
}
