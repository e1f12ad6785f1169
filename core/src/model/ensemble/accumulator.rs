//! Summing leaf values in the origin's precision (`f64`, or `f32` for
//! XGBoost), shared by the generic and the compiled walk.

use crate::model::objective::OutputTransform;

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
