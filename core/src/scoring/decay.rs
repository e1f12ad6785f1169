//! Decay functions: how a score falls off with distance from the ideal.
//!
//! These are the three shapes search engines use to score closeness
//! (Elasticsearch's `gauss`, `exp` and `linear` decay functions). Each maps a
//! distance `d ≥ 0` to a factor in `0..=1`: 1 up to `offset`, then falling so
//! that at `offset + scale` the factor is exactly `decay`.

use serde::{Deserialize, Serialize};

/// The shape of a decay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecayFunction {
    /// Bell curve: gentle near the ideal, steep further out.
    Gauss,
    /// Exponential: steep near the ideal, long tail.
    Exp,
    /// Straight line down to 0 at `offset + scale / (1 - decay)`.
    Linear,
}

/// A decay curve: `function`, `offset` (distance that still scores 1),
/// `scale` (distance past the offset at which the factor equals `decay`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decay {
    /// Shape of the curve.
    pub function: DecayFunction,
    /// Distance (in the component's unit) that still scores 100.
    #[serde(default)]
    pub offset: f64,
    /// Distance past `offset` at which the score is `decay × 100`.
    pub scale: f64,
    /// Factor reached at `offset + scale`, in `(0, 1)` (0 allowed for linear).
    #[serde(default = "half")]
    pub decay: f64,
}

fn half() -> f64 {
    0.5
}

impl Decay {
    /// Gaussian decay.
    pub const fn gauss(offset: f64, scale: f64, decay: f64) -> Decay {
        Decay {
            function: DecayFunction::Gauss,
            offset,
            scale,
            decay,
        }
    }

    /// Exponential decay.
    pub const fn exp(offset: f64, scale: f64, decay: f64) -> Decay {
        Decay {
            function: DecayFunction::Exp,
            offset,
            scale,
            decay,
        }
    }

    /// Linear decay.
    pub const fn linear(offset: f64, scale: f64, decay: f64) -> Decay {
        Decay {
            function: DecayFunction::Linear,
            offset,
            scale,
            decay,
        }
    }

    /// The factor (0..=1) at `distance` (≥ 0; `inf` gives 0).
    ///
    /// ```
    /// use agent_mira::scoring::Decay;
    /// let g = Decay::gauss(0.0, 10.0, 0.5);
    /// assert_eq!(g.factor(0.0), 1.0);
    /// assert!((g.factor(10.0) - 0.5).abs() < 1e-12);
    /// assert_eq!(Decay::linear(0.0, 1.0, 0.0).factor(0.25), 0.75);
    /// ```
    #[inline]
    pub fn factor(&self, distance: f64) -> f64 {
        self.compile().factor(distance)
    }

    /// The curve with its logarithm and span computed once, for hot loops.
    pub(crate) fn compile(&self) -> CompiledDecay {
        CompiledDecay {
            function: self.function,
            offset: self.offset,
            scale: self.scale,
            ln_decay: self.decay.ln(),
            linear_span: self.scale / (1.0 - self.decay),
        }
    }

    /// Check the parameters; `what` names the component for the message.
    pub(crate) fn validate(&self, what: &str) -> Result<(), String> {
        if !(self.offset.is_finite() && self.offset >= 0.0) {
            return Err(format!(
                "{what}: offset {} must be a finite number ≥ 0",
                self.offset
            ));
        }
        if !(self.scale.is_finite() && self.scale > 0.0) {
            return Err(format!(
                "{what}: scale {} must be a finite number > 0",
                self.scale
            ));
        }
        let ok = match self.function {
            DecayFunction::Linear => (0.0..1.0).contains(&self.decay),
            _ => self.decay > 0.0 && self.decay < 1.0,
        };
        if !ok {
            return Err(format!(
                "{what}: decay {} must be in (0, 1) ([0, 1) for linear)",
                self.decay
            ));
        }
        Ok(())
    }
}

/// A [`Decay`] with `ln(decay)` and the linear span precomputed: the same
/// arithmetic as [`Decay::factor`], minus a logarithm per listing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CompiledDecay {
    function: DecayFunction,
    offset: f64,
    scale: f64,
    ln_decay: f64,
    linear_span: f64,
}

impl CompiledDecay {
    /// The factor (0..=1) at `distance`.
    #[inline]
    pub(crate) fn factor(&self, distance: f64) -> f64 {
        let d = (distance - self.offset).max(0.0);
        if d == 0.0 {
            return 1.0;
        }
        match self.function {
            DecayFunction::Gauss => {
                let t = d / self.scale;
                (self.ln_decay * t * t).exp()
            }
            DecayFunction::Exp => (self.ln_decay * d / self.scale).exp(),
            DecayFunction::Linear => ((self.linear_span - d) / self.linear_span).max(0.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_hits_decay_at_offset_plus_scale() {
        for d in [
            Decay::gauss(5.0, 10.0, 0.5),
            Decay::exp(5.0, 10.0, 0.5),
            Decay::linear(5.0, 10.0, 0.5),
        ] {
            assert_eq!(d.factor(3.0), 1.0);
            assert_eq!(d.factor(5.0), 1.0);
            assert!((d.factor(15.0) - 0.5).abs() < 1e-12, "{d:?}");
            assert!(d.factor(25.0) < 0.5);
            assert_eq!(d.factor(f64::INFINITY), 0.0);
        }
    }

    #[test]
    fn linear_reaches_zero() {
        let d = Decay::linear(0.0, 10.0, 0.5);
        assert_eq!(d.factor(20.0), 0.0);
        assert_eq!(d.factor(30.0), 0.0);
    }

    #[test]
    fn bad_parameters_are_named() {
        assert_eq!(
            Decay::gauss(0.0, 0.0, 0.5).validate("commute"),
            Err("commute: scale 0 must be a finite number > 0".to_string())
        );
        assert!(Decay::gauss(0.0, 1.0, 1.0).validate("x").is_err());
        assert!(Decay::linear(0.0, 1.0, 0.0).validate("x").is_ok());
    }
}
