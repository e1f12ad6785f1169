//! What happens to the summed tree outputs (the "raw score" or "margin")
//! before it is a price: the inverse link of the training objective.

use serde::{Deserialize, Serialize};

/// The output transform applied to the raw score, the inverse link function
/// of the objective the model was trained with.
///
/// The transform is applied in the same float precision as the origin
/// library: `f64` for LightGBM and scikit-learn, `f32` for XGBoost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputTransform {
    /// The raw score is the prediction (squared, absolute, Huber, quantile,
    /// pseudo-Huber, squared-log error).
    Identity,
    /// `exp(raw)`: log-link objectives (Poisson, gamma, Tweedie).
    Exp,
    /// `sign(raw) · raw²`: LightGBM's `reg_sqrt` (trained on the square root
    /// of the label).
    SignedSquare,
}

impl OutputTransform {
    /// Apply the transform in `f64` (LightGBM, scikit-learn).
    #[inline]
    pub fn apply_f64(self, raw: f64) -> f64 {
        match self {
            OutputTransform::Identity => raw,
            OutputTransform::Exp => raw.exp(),
            OutputTransform::SignedSquare => {
                if raw >= 0.0 {
                    raw * raw
                } else {
                    -(raw * raw)
                }
            }
        }
    }

    /// Apply the transform in `f32` (XGBoost computes its outputs in single
    /// precision); the result is widened back to `f64` exactly.
    #[inline]
    pub fn apply_f32(self, raw: f32) -> f32 {
        match self {
            OutputTransform::Identity => raw,
            OutputTransform::Exp => raw.exp(),
            OutputTransform::SignedSquare => {
                if raw >= 0.0 {
                    raw * raw
                } else {
                    -(raw * raw)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_square_keeps_the_sign() {
        assert_eq!(OutputTransform::SignedSquare.apply_f64(-3.0), -9.0);
        assert_eq!(OutputTransform::SignedSquare.apply_f64(700.0), 490_000.0);
        assert_eq!(OutputTransform::Identity.apply_f64(-3.5), -3.5);
    }

    #[test]
    fn exp_in_single_precision_matches_f32_exp() {
        let raw = 13.2_f32;
        assert_eq!(OutputTransform::Exp.apply_f32(raw), raw.exp());
        assert_eq!(OutputTransform::Exp.apply_f64(0.0), 1.0);
    }
}
