//! Linear baselines trained with linfa: ordinary least squares, ridge and
//! elastic net, on the log price by default.
//!
//! Inputs are prepared the way linear models need: missing values are
//! replaced by the column's training mean (kept as the model's fill
//! values, so prediction does the same), constant columns are dropped
//! (coefficient 0), and columns are standardised for fitting, with the
//! scaling folded back into the coefficients so the saved model works on
//! raw features.

use linfa::prelude::*;
use linfa_elasticnet::ElasticNet;
use linfa_linear::LinearRegression;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{LinearModel, OutputTransform};
use crate::error::{MiraError, RecordRef, Result};
use crate::model::parameter_error::bad_parameter as bad;

/// Which linear model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum LinearKind {
    /// Ordinary least squares.
    Ols,
    /// L2-penalised least squares; `alpha` is the penalty on standardised features.
    Ridge {
        /// Penalty strength (> 0).
        #[schemars(extend("exclusiveMinimum" = 0))]
        alpha: f64,
    },
    /// L1 + L2 penalty; `l1_ratio` 1 is the lasso, 0 is ridge.
    ElasticNet {
        /// Penalty strength (> 0).
        #[schemars(extend("exclusiveMinimum" = 0))]
        alpha: f64,
        /// Share of the L1 penalty, 0..=1.
        #[schemars(range(min = 0, max = 1))]
        l1_ratio: f64,
    },
}

/// Settings of the linear trainers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LinearParams {
    /// Which model.
    pub model: LinearKind,
    /// Fit `ln(price)` and predict `exp(…)` (prices are skewed; the default).
    pub log_target: bool,
    /// Coordinate-descent iterations for ridge / elastic net.
    #[schemars(range(min = 1))]
    pub max_iterations: u32,
    /// Convergence tolerance for ridge / elastic net.
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub tolerance: f64,
}

impl Default for LinearParams {
    fn default() -> Self {
        LinearParams {
            model: LinearKind::Ridge { alpha: 0.001 },
            log_target: true,
            max_iterations: 10_000,
            tolerance: 1e-6,
        }
    }
}

/// A trained linear model with the fill values for missing inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainedLinear {
    /// The model, on raw (unstandardised) features.
    pub model: LinearModel,
    /// Training mean of each column, used in place of NaN.
    pub fill: Vec<f64>,
}

impl LinearParams {
    /// Check the parameters.
    pub fn validate(&self) -> Result<()> {
        match self.model {
            LinearKind::Ols => {}
            LinearKind::Ridge { alpha } if !(alpha.is_finite() && alpha > 0.0) => {
                return Err(bad("alpha", alpha, "a finite penalty > 0"))
            }
            LinearKind::ElasticNet { alpha, l1_ratio } => {
                if !(alpha.is_finite() && alpha > 0.0) {
                    return Err(bad("alpha", alpha, "a finite penalty > 0"));
                }
                if !(0.0..=1.0).contains(&l1_ratio) {
                    return Err(bad("l1_ratio", l1_ratio, "a number between 0 and 1"));
                }
            }
            LinearKind::Ridge { .. } => {}
        }
        if self.max_iterations == 0 {
            return Err(bad("max_iterations", 0, "at least 1"));
        }
        if !(self.tolerance.is_finite() && self.tolerance > 0.0) {
            return Err(bad("tolerance", self.tolerance, "a finite number > 0"));
        }
        Ok(())
    }
}

/// Train a linear model on `x` (NaN = missing) and prices `y` (> 0 with a
/// log target).
///
/// ```
/// use agent_mira::model::{train_linear, LinearKind, LinearParams};
/// use ndarray::{array, Array1};
/// let x = array![[1.0], [2.0], [3.0], [f64::NAN]];
/// let y: Array1<f64> = array![3.0, 5.0, 7.0, 5.0];
/// let params = LinearParams { model: LinearKind::Ols, log_target: false, ..Default::default() };
/// let t = train_linear(x.view(), y.view(), &params).unwrap();
/// assert!((t.model.coefficients()[0] - 2.0).abs() < 1e-9);
/// assert!((t.model.intercept() - 1.0).abs() < 1e-9);
/// assert_eq!(t.fill, vec![2.0]);
/// ```
pub fn train_linear(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    params: &LinearParams,
) -> Result<TrainedLinear> {
    params.validate()?;
    let (n, width) = x.dim();
    if n != y.len() {
        return Err(bad(
            "y",
            format!("{} labels", y.len()),
            &format!("one per row of x ({n})"),
        ));
    }
    if n < 2 {
        return Err(bad("x", format!("{n} rows"), "at least 2 rows"));
    }
    for (i, v) in y.iter().enumerate() {
        let ok = v.is_finite() && (!params.log_target || *v > 0.0);
        if !ok {
            let expected = if params.log_target {
                "a finite price > 0 (log target)"
            } else {
                "a finite number"
            };
            return Err(MiraError::invalid(RecordRef::Index(i), "y", v, expected));
        }
    }
    if let Some(((r, c), v)) = x.indexed_iter().find(|(_, v)| v.is_infinite()) {
        return Err(MiraError::invalid(
            RecordRef::Index(r),
            format!("x[{c}]"),
            v,
            "a finite number or NaN",
        ));
    }
    let target: Array1<f64> = if params.log_target {
        y.mapv(f64::ln)
    } else {
        y.to_owned()
    };

    // Column means over known values (the fill), and scales.
    let mut fill = vec![0.0; width];
    let mut scale = vec![0.0; width];
    for (j, col) in x.axis_iter(Axis(1)).enumerate() {
        let known: Vec<f64> = col.iter().copied().filter(|v| !v.is_nan()).collect();
        if known.is_empty() {
            continue;
        }
        let mean = known.iter().sum::<f64>() / known.len() as f64;
        fill[j] = mean;
        let var = col
            .iter()
            .map(|v| {
                if v.is_nan() {
                    0.0
                } else {
                    (v - mean) * (v - mean)
                }
            })
            .sum::<f64>()
            / n as f64;
        scale[j] = var.sqrt();
    }
    let used: Vec<usize> = (0..width)
        .filter(|&j| scale[j] > 1e-12 * fill[j].abs().max(1.0))
        .collect();
    let mut z = Array2::<f64>::zeros((n, used.len()));
    for (k, &j) in used.iter().enumerate() {
        for i in 0..n {
            let v = x[[i, j]];
            let v = if v.is_nan() { fill[j] } else { v };
            z[[i, k]] = (v - fill[j]) / scale[j];
        }
    }
    let (coef_z, intercept_z) = if used.is_empty() {
        (Array1::zeros(0), target.mean().unwrap_or(0.0))
    } else {
        fit(z, target, params)?
    };
    // Back to raw features: w_j = c_j / s_j, b = b_z - Σ c_j·m_j / s_j.
    let mut coefficients = vec![0.0; width];
    let mut intercept = intercept_z;
    for (k, &j) in used.iter().enumerate() {
        coefficients[j] = coef_z[k] / scale[j];
        intercept -= coef_z[k] * fill[j] / scale[j];
    }
    let transform = if params.log_target {
        OutputTransform::Exp
    } else {
        OutputTransform::Identity
    };
    let model = LinearModel::new(coefficients, intercept, Vec::new())?.with_transform(transform);
    Ok(TrainedLinear { model, fill })
}

fn fit(z: Array2<f64>, target: Array1<f64>, params: &LinearParams) -> Result<(Array1<f64>, f64)> {
    let data = Dataset::new(z, target);
    let failed = |e: String| MiraError::Unsupported {
        what: "linear training".into(),
        name: e,
        hint: Some(
            "collinear or degenerate features; try ridge (a small alpha) instead of OLS".into(),
        ),
    };
    match params.model {
        LinearKind::Ols => {
            let m = LinearRegression::new()
                .fit(&data)
                .map_err(|e| failed(e.to_string()))?;
            Ok((m.params().to_owned(), m.intercept()))
        }
        LinearKind::Ridge { alpha } => elastic(&data, alpha, 0.0, params, failed),
        LinearKind::ElasticNet { alpha, l1_ratio } => {
            elastic(&data, alpha, l1_ratio, params, failed)
        }
    }
}

fn elastic(
    data: &Dataset<f64, f64, ndarray::Ix1>,
    alpha: f64,
    l1_ratio: f64,
    params: &LinearParams,
    failed: impl Fn(String) -> MiraError,
) -> Result<(Array1<f64>, f64)> {
    let m = ElasticNet::params()
        .penalty(alpha)
        .l1_ratio(l1_ratio)
        .max_iterations(params.max_iterations)
        .tolerance(params.tolerance)
        .fit(data)
        .map_err(|e| failed(e.to_string()))?;
    Ok((m.hyperplane().to_owned(), m.intercept()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn ols_recovers_an_exact_plane_on_raw_features() {
        // y = 3 + 2·a − 0.5·b with very different scales; c is constant.
        let x = array![
            [1.0, 1000.0, 7.0],
            [2.0, 1500.0, 7.0],
            [3.0, 900.0, 7.0],
            [4.0, 2000.0, 7.0],
            [5.0, 1200.0, 7.0]
        ];
        let y = x
            .rows()
            .into_iter()
            .map(|r| 3.0 + 2.0 * r[0] - 0.5 * r[1])
            .collect::<Array1<f64>>();
        let params = LinearParams {
            model: LinearKind::Ols,
            log_target: false,
            ..Default::default()
        };
        let t = train_linear(x.view(), y.view(), &params).unwrap();
        let c = t.model.coefficients();
        assert!(
            (c[0] - 2.0).abs() < 1e-9 && (c[1] + 0.5).abs() < 1e-9,
            "{c:?}"
        );
        assert_eq!(c[2], 0.0, "a constant column gets no weight");
        assert!((t.model.intercept() - 3.0).abs() < 1e-6);
    }

    #[test]
    fn log_target_predicts_prices() {
        let x = array![[1000.0], [2000.0], [3000.0]];
        let y = x.column(0).mapv(|s: f64| (10.0 + 0.0005 * s).exp());
        let params = LinearParams {
            model: LinearKind::Ols,
            ..Default::default()
        };
        let t = train_linear(x.view(), y.view(), &params).unwrap();
        let p = t.model.predict_row(&[2500.0]).unwrap();
        assert!((p / (10.0f64 + 1.25).exp() - 1.0).abs() < 1e-9, "{p}");
    }

    #[test]
    fn ridge_shrinks_towards_zero() {
        let x = array![[1.0], [2.0], [3.0], [4.0]];
        let y = array![2.0, 4.0, 6.0, 8.0];
        let weak = LinearParams {
            model: LinearKind::Ridge { alpha: 1e-6 },
            log_target: false,
            ..Default::default()
        };
        let strong = LinearParams {
            model: LinearKind::Ridge { alpha: 1.0 },
            log_target: false,
            ..Default::default()
        };
        let w = train_linear(x.view(), y.view(), &weak)
            .unwrap()
            .model
            .coefficients()[0];
        let s = train_linear(x.view(), y.view(), &strong)
            .unwrap()
            .model
            .coefficients()[0];
        assert!((w - 2.0).abs() < 1e-3, "{w}");
        assert!(s < w * 0.9, "{s} vs {w}");
    }

    #[test]
    fn bad_inputs_are_named() {
        let x = array![[1.0], [2.0]];
        let err =
            train_linear(x.view(), array![1.0, -2.0].view(), &LinearParams::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "record #1: field `y` = -2: expected a finite price > 0 (log target)"
        );
        let p = LinearParams {
            model: LinearKind::ElasticNet {
                alpha: 1.0,
                l1_ratio: 2.0,
            },
            ..Default::default()
        };
        assert_eq!(
            train_linear(x.view(), array![1.0, 2.0].view(), &p)
                .unwrap_err()
                .to_string(),
            "training parameters: field `l1_ratio` = 2: expected a number between 0 and 1"
        );
    }
}
