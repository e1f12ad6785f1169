//! The model card: what a price model is, what it was trained on, how well
//! it did, and where its predictions can be trusted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::features::FeatureSpec;

/// Accuracy on held-out data, prices in dollars.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Number of held-out listings.
    pub rows: usize,
    /// Root mean squared error, dollars.
    pub rmse: f64,
    /// Root mean squared error of `ln(1 + price)`.
    pub rmsle: f64,
    /// Median absolute percentage error (0.08 = 8%).
    pub mdape: f64,
    /// Coefficient of determination.
    pub r2: f64,
}

impl Metrics {
    /// Compute the metrics of `predicted` against `actual` (same length,
    /// prices > 0).
    ///
    /// ```
    /// let m = agent_mira::model::Metrics::compute(&[100.0, 200.0], &[110.0, 180.0]);
    /// assert_eq!(m.rows, 2);
    /// assert!((m.rmse - (250.0f64).sqrt()).abs() < 1e-12);
    /// assert!((m.mdape - 0.1).abs() < 1e-12);
    /// ```
    pub fn compute(actual: &[f64], predicted: &[f64]) -> Metrics {
        let n = actual.len().min(predicted.len());
        if n == 0 {
            return Metrics {
                rows: 0,
                rmse: f64::NAN,
                rmsle: f64::NAN,
                mdape: f64::NAN,
                r2: f64::NAN,
            };
        }
        let nf = n as f64;
        let mean = actual[..n].iter().sum::<f64>() / nf;
        let (mut se, mut sle, mut tot) = (0.0, 0.0, 0.0);
        let mut ape = Vec::with_capacity(n);
        for (a, p) in actual.iter().zip(predicted) {
            se += (a - p) * (a - p);
            let l = (1.0 + a).ln() - (1.0 + p.max(0.0)).ln();
            sle += l * l;
            tot += (a - mean) * (a - mean);
            ape.push(((a - p) / a).abs());
        }
        ape.sort_by(f64::total_cmp);
        let mdape = if n % 2 == 1 {
            ape[n / 2]
        } else {
            (ape[n / 2 - 1] + ape[n / 2]) / 2.0
        };
        Metrics {
            rows: n,
            rmse: (se / nf).sqrt(),
            rmsle: (sle / nf).sqrt(),
            mdape,
            r2: if tot > 0.0 { 1.0 - se / tot } else { f64::NAN },
        }
    }
}

/// The range of values a numeric field had in training.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Range {
    /// Smallest value seen.
    pub min: f64,
    /// Largest value seen.
    pub max: f64,
}

/// Where the training data lived: predictions outside it are flagged.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TrainingDomain {
    /// Number of training listings.
    pub rows: usize,
    /// Ranges of the listing fields (`size_sqft`, `bedrooms`, …), by field name.
    pub ranges: BTreeMap<String, Range>,
    /// Locations seen in training, as written.
    pub locations: Vec<String>,
    /// The box around all training coordinates: `[min_lat, min_lon, max_lat, max_lon]`.
    pub lat_lon_box: Option<[f64; 4]>,
    /// Listed prices seen in training.
    pub price: Option<Range>,
    /// The currencies the training listings were priced in (a listing
    /// naming none counts as USD), when any of them named one; empty when
    /// none did (older model files, and catalogs that never say). The
    /// model's predictions are amounts in these currencies: a listing in
    /// another is flagged, and a rent model does not estimate its rent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub currencies: Vec<crate::listing::Currency>,
}

/// Everything a person needs to know to trust (or not) a price model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    /// Name, e.g. `king-county-gbdt`.
    pub name: String,
    /// What produced it: `agent-mira gbdt`, `lightgbm`, `xgboost`, `scikit-learn`, `linfa ridge`…
    pub origin: String,
    /// Free description.
    #[serde(default)]
    pub description: String,
    /// Input columns in order, with their kinds.
    pub features: Vec<FeatureSpec>,
    /// What is predicted (`price`, dollars).
    pub target: String,
    /// Where the training data lived.
    #[serde(default)]
    pub training_domain: TrainingDomain,
    /// Accuracy on held-out data, when measured.
    #[serde(default)]
    pub metrics: Option<Metrics>,
    /// How held-out data was chosen ("sales on or after 2015-03-01").
    #[serde(default)]
    pub evaluation: String,
    /// Training parameters.
    #[serde(default)]
    pub params: serde_json::Value,
    /// CRC-32 of the training listings' ids and prices, to tell which data
    /// a model came from.
    #[serde(default)]
    pub data_fingerprint: String,
    /// When it was made (RFC 3339 date or free text).
    #[serde(default)]
    pub created: String,
}
