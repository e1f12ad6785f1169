//! Decay functions: how a score falls off with distance from the ideal.
//!
//! These are the three shapes search engines use to score closeness
//! (Elasticsearch's `gauss`, `exp` and `linear` decay functions). Each maps a
//! distance `d ≥ 0` to a factor in `0..=1`: 1 up to `offset`, then falling so
//! that at `offset + scale` the factor is exactly `decay`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The shape of a decay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("if" = {"properties": {"function": {"const": "linear"}}, "required": ["function"]}, "then" = {"properties": {"decay": {"minimum": 0}}}, "else" = {"properties": {"decay": {"exclusiveMinimum": 0}}}))]
pub struct Decay {
    /// Shape of the curve.
    pub function: DecayFunction,
    /// Distance (in the component's unit) that still scores 100.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub offset: f64,
    /// Distance past `offset` at which the score is `decay × 100`.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub scale: f64,
    /// Factor reached at `offset + scale`, in `(0, 1)` (0 allowed for linear).
    #[serde(default = "half")]
    #[schemars(extend("exclusiveMaximum" = 1))]
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
            inv_scale: 1.0 / self.scale,
            inv_linear_span: (1.0 - self.decay) / self.scale,
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
    /// `1 / scale` and `1 / linear_span`, for bounds: a multiplication
    /// instead of a division (several times faster in a vector loop).
    inv_scale: f64,
    inv_linear_span: f64,
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

impl CompiledDecay {
    /// A factor never below [`CompiledDecay::factor`] at `distance` and at
    /// most 2e-8 (relative, or 2e-15 absolute) above it, without a libm
    /// call, a division or a branch on the shape (the shape is the same
    /// for every listing): the component loops of a screening look
    /// ([`Plan::score_block_screened`](super::plan)) run four listings per
    /// AVX2 instruction with it. Only for upper bounds; scores use
    /// [`CompiledDecay::factor`].
    #[inline(always)]
    pub(crate) fn factor_at_least(&self, distance: f64) -> f64 {
        // Two selects on loop-invariant flags, not a `match`: a loop
        // holding a switch does not vectorise.
        let gauss = self.function == DecayFunction::Gauss;
        let linear = self.function == DecayFunction::Linear;
        let d = (distance - self.offset).max(0.0);
        let t = d * self.inv_scale;
        let curve = exp_at_least(self.ln_decay * t * if gauss { t } else { 1.0 }).min(1.0);
        // `1 - d / span` rounds differently from `(span - d) / span` by
        // a few units of 1e-16: 2e-15 more keeps it on the upper side.
        let line = (1.0 - d * self.inv_linear_span + 2e-15).clamp(0.0, 1.0);
        if linear {
            line
        } else {
            curve
        }
    }
}

/// `e^x` for `x ≤ 0` (NaN stays NaN), never below `f64::exp(x)` and at most
/// 2e-8 (relative) above it; below `e^-700` it returns about `e^-700`.
/// For bounds, where a little headroom costs nothing and speed is all.
///
/// `x = n ln 2 + r` with `|r| ≤ ln 2 / 2` (Cody–Waite: `ln 2` in two
/// parts, so `r` is exact to ~1e-16 for every `n` here), `e^r` by its
/// Taylor series to `r^7` (truncation below 6e-9 relative), evaluated by
/// Estrin's scheme (pairs, then pairs of pairs: a short dependency chain,
/// where Horner's rule would wait on each step), `2^n` built in the
/// exponent bits. Rounding adds far less than the truncation (below 1e-12
/// even for an argument computed with a reciprocal, off by a few units of
/// 1e-16 times `|x| ≤ 700`); raising the result by 2^-26 (~1.5e-8) makes
/// it an upper bound. Plain arithmetic only (no `mul_add`, which is a
/// libm call without FMA hardware), so it vectorises.
#[inline(always)]
pub(crate) fn exp_at_least(x: f64) -> f64 {
    const LN2_HI: f64 = 0.693_147_180_369_123_8; // ln 2 with its last 32 bits zero
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10; // ln 2 − LN2_HI
    const ROUND: f64 = 6_755_399_441_055_744.0; // 1.5 × 2^52: adding it rounds to an integer
    const UP: f64 = 1.0 + 1.0 / (1u64 << 26) as f64;
    // A comparison, not `max`: NaN must stay NaN (`max` would drop it).
    let x = if x < -700.0 { -700.0 } else { x };
    let shifted = x * std::f64::consts::LOG2_E + ROUND;
    let n = shifted - ROUND;
    let r = (x - n * LN2_HI) - n * LN2_LO;
    // 1 + r + r²/2! + … + r⁷/7!, as (a + r² b) + r⁴ (c + r² d).
    let (r2, r4) = (r * r, (r * r) * (r * r));
    let a = 1.0 + r;
    let b = 0.5 + r * (1.0 / 6.0);
    let c = 1.0 / 24.0 + r * (1.0 / 120.0);
    let d = 1.0 / 720.0 + r * (1.0 / 5_040.0);
    let p = (a + r2 * b) + r4 * (c + r2 * d);
    // 2^n: n is an integer in -1010..=0, held in the low bits of `shifted`.
    let scale = f64::from_bits(((shifted.to_bits() as i64 + 1023) as u64) << 52);
    p * scale * UP
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_at_least_is_a_tight_upper_bound() {
        let mut x = 0.0f64;
        let mut checked = 0;
        while x > -720.0 {
            for y in [x, x - 1e-9, x + 0.3466, x - 0.3466] {
                if y > 0.0 {
                    continue;
                }
                let exact = y.exp();
                let fast = exp_at_least(y);
                let floor = (-700.0f64).exp();
                assert!(fast >= exact, "e^{y}: {fast} < {exact}");
                assert!(
                    fast <= exact.max(floor) * (1.0 + 2e-8),
                    "e^{y}: {fast} vs {exact}"
                );
                checked += 1;
            }
            x -= 0.0137;
        }
        assert!(checked > 200_000);
        let tiny = (-700.0f64).exp();
        let below = exp_at_least(f64::NEG_INFINITY);
        assert!(below >= tiny && below <= tiny * (1.0 + 2e-8), "{below}");
        assert!(exp_at_least(f64::NAN).is_nan());
        assert!(exp_at_least(0.0) >= 1.0 && exp_at_least(-0.0) < 1.0 + 2e-8);
    }

    #[test]
    fn factor_at_least_bounds_factor_for_every_shape() {
        for d in [
            Decay::gauss(5.0, 10.0, 0.5),
            Decay::exp(0.0, 1.0, 0.5),
            Decay::linear(0.0, 10.0, 0.0),
            Decay::linear(2.0, 3.0, 0.25),
            Decay::gauss(0.0, 0.1, 0.01),
        ] {
            let c = d.compile();
            let mut x = 0.0;
            while x < 200.0 {
                let (exact, bound) = (c.factor(x), c.factor_at_least(x));
                assert!(bound >= exact, "{d:?} at {x}: {bound} < {exact}");
                assert!(bound <= exact * (1.0 + 2e-8) + 2e-15, "{d:?} at {x}");
                x += 0.013;
            }
            assert!(c.factor_at_least(f64::INFINITY) < 1e-300);
            assert_eq!(c.factor_at_least(0.0), 1.0);
            // A NaN distance reads as 0 (`max`), as in `factor`.
            assert_eq!(c.factor_at_least(f64::NAN), c.factor(f64::NAN));
        }
    }

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
