//! A linear price model: `transform(Σ coefficient · x + intercept)`.

use ndarray::{Array1, ArrayView2};
use serde::{Deserialize, Deserializer, Serialize};

use super::objective::OutputTransform;
use crate::error::{MiraError, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct LinearParts {
    feature_names: Vec<String>,
    coefficients: Vec<f64>,
    intercept: f64,
    transform: OutputTransform,
}

/// A linear model (ordinary least squares, ridge, or scikit-learn's
/// `coef_` / `intercept_`).
///
/// Prediction = `transform(Σᵢ coefficientᵢ · xᵢ + intercept)`, the products
/// summed in column order in `f64`, then the intercept added (as
/// `X @ coef_ + intercept_`; BLAS may sum in another order, so results can
/// differ from NumPy's in the last bits).
///
/// Missing values: a NaN input gives a NaN prediction. A linear model has no
/// learned direction for missing data, and inventing one (zero, the mean)
/// would silently mis-price; the feature encoder imputes before the model,
/// and the engine reports a NaN prediction as "no prediction".
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct LinearModel {
    p: LinearParts,
}

impl<'de> Deserialize<'de> for LinearModel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let p = LinearParts::deserialize(d)?;
        LinearModel::new(p.coefficients, p.intercept, p.feature_names)
            .map(|m| m.with_transform(p.transform))
            .map_err(serde::de::Error::custom)
    }
}

impl LinearModel {
    /// A linear model over `coefficients.len()` features. Coefficients and
    /// intercept must be finite; `feature_names` is empty or one per
    /// coefficient.
    pub fn new(coefficients: Vec<f64>, intercept: f64, feature_names: Vec<String>) -> Result<Self> {
        let bad = |field: &str, value: String, expected: &str| MiraError::Corrupt {
            path: "<linear model>".into(),
            kind: "linear model".into(),
            reason: format!("{field} = {value}: expected {expected}"),
        };
        if let Some((i, c)) = coefficients
            .iter()
            .enumerate()
            .find(|(_, c)| !c.is_finite())
        {
            return Err(bad(
                &format!("coefficient {i}"),
                c.to_string(),
                "a finite number",
            ));
        }
        if !intercept.is_finite() {
            return Err(bad("intercept", intercept.to_string(), "a finite number"));
        }
        if !feature_names.is_empty() && feature_names.len() != coefficients.len() {
            return Err(bad(
                "feature_names",
                format!("{} names", feature_names.len()),
                &format!("one per coefficient ({})", coefficients.len()),
            ));
        }
        Ok(LinearModel {
            p: LinearParts {
                feature_names,
                coefficients,
                intercept,
                transform: OutputTransform::Identity,
            },
        })
    }

    /// Use an output transform, e.g. [`OutputTransform::Exp`] for a model
    /// fitted on the log of the price.
    pub fn with_transform(mut self, transform: OutputTransform) -> Self {
        self.p.transform = transform;
        self
    }

    /// Replace the feature names (e.g. with the encoder's after training on
    /// a matrix), as [`TreeEnsemble::with_feature_names`](super::TreeEnsemble::with_feature_names)
    /// does. Their count must equal [`Self::num_features`].
    ///
    /// ```
    /// use agent_mira::LinearModel;
    /// let m = LinearModel::new(vec![2.0, 3.0], 1.0, vec![]).unwrap();
    /// let named = m.clone().with_feature_names(vec!["sqft".into(), "beds".into()]).unwrap();
    /// assert_eq!(named.feature_names(), ["sqft", "beds"]);
    /// assert_eq!(
    ///     m.with_feature_names(vec!["sqft".into()]).unwrap_err().to_string(),
    ///     "model mismatch: 1 feature names given for a model of 2 features"
    /// );
    /// ```
    pub fn with_feature_names(mut self, names: Vec<String>) -> Result<Self> {
        if names.len() != self.num_features() {
            return Err(MiraError::ModelMismatch {
                path: None,
                reason: format!(
                    "{} feature names given for a model of {} features",
                    names.len(),
                    self.num_features()
                ),
            });
        }
        self.p.feature_names = names;
        Ok(self)
    }

    /// Coefficients, one per feature, in column order (label units per
    /// feature unit).
    pub fn coefficients(&self) -> &[f64] {
        &self.p.coefficients
    }

    /// The intercept, in label units.
    pub fn intercept(&self) -> f64 {
        self.p.intercept
    }

    /// The output transform.
    pub fn transform(&self) -> OutputTransform {
        self.p.transform
    }

    /// Number of input columns a row must have.
    pub fn num_features(&self) -> usize {
        self.p.coefficients.len()
    }

    /// Feature names, in column order (may be empty).
    pub fn feature_names(&self) -> &[String] {
        &self.p.feature_names
    }

    fn check_width(&self, width: usize) -> Result<()> {
        if width != self.p.coefficients.len() {
            return Err(MiraError::ModelMismatch {
                path: None,
                reason: format!(
                    "a row has {width} values, the linear model expects {} features",
                    self.p.coefficients.len()
                ),
            });
        }
        Ok(())
    }

    #[inline]
    fn dot(&self, row: impl Iterator<Item = f64>) -> f64 {
        let mut s = 0.0;
        for (c, x) in self.p.coefficients.iter().zip(row) {
            s += c * x;
        }
        self.p.transform.apply_f64(s + self.p.intercept)
    }

    /// Predict one row (NaN in, NaN out).
    pub fn predict_row(&self, row: &[f64]) -> Result<f64> {
        self.check_width(row.len())?;
        Ok(self.dot(row.iter().copied()))
    }

    /// Predict every row of a matrix.
    pub fn predict_batch(&self, rows: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        self.check_width(rows.ncols())?;
        Ok(rows
            .rows()
            .into_iter()
            .map(|r| self.dot(r.iter().copied()))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predicts_and_propagates_nan() {
        let m = LinearModel::new(vec![200.0, 10_000.0], 50_000.0, vec![]).unwrap();
        assert_eq!(m.predict_row(&[1000.0, 3.0]).unwrap(), 280_000.0);
        assert!(m.predict_row(&[f64::NAN, 3.0]).unwrap().is_nan());
        assert!(m.predict_row(&[1.0]).is_err());
        assert!(LinearModel::new(vec![f64::NAN], 0.0, vec![]).is_err());
        let json = serde_json::to_string(&m).unwrap();
        let back: LinearModel = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m);
    }
}
