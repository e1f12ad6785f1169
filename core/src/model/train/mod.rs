//! A native histogram gradient-boosting trainer (the algorithm of LightGBM)
//! for price models: train on a feature matrix and prices, get a
//! [`TreeEnsemble`](crate::model::TreeEnsemble) that predicts with the
//! shared flat predictor, in dollars.
//!
//! How it works, one file per idea:
//!
//! - [`GbdtParams`] (`params.rs`): LightGBM-like parameters and their
//!   validation.
//! - `binning.rs`: each feature's values become `u8` quantile bins, with a
//!   bin of its own for missing values (NaN; missing is never 0).
//! - `histogram.rs`: per-leaf gradient histograms, parallel over features;
//!   the larger child of a split is its parent minus the smaller child.
//! - `split.rs`: the best split of a leaf, missing values tried on both
//!   sides to learn each split's default direction.
//! - `grow.rs`: leaf-wise (best-first) growth up to `max_leaves`.
//! - `gbdt.rs`: the boosting loop on the squared error of `ln(price)`
//!   (default) or of the price, shrinkage, bagging, feature sampling and
//!   early stopping; the mean target is folded into the first tree.
//!
//! Trained trees use the LightGBM split rule
//! ([`SplitRule::LightGbm`](crate::model::SplitRule::LightGbm): `x <=
//! threshold` in `f64` goes left, NaN goes the learned default way), so a
//! saved model predicts exactly as during training. Training is deterministic: the same data and seed give a
//! bit-identical model whatever the thread count.
//!
//! ```
//! use agent_mira::model::train::{train_gbdt, GbdtParams, TrainProgress};
//! use ndarray::{array, Array1};
//! let x = array![[1.0], [2.0], [f64::NAN], [8.0], [9.0], [f64::NAN]];
//! let y = Array1::from(vec![100.0, 100.0, 100.0, 400.0, 400.0, 100.0]);
//! let params = GbdtParams {
//!     num_rounds: 1,
//!     learning_rate: 1.0,
//!     min_samples_leaf: 1,
//!     ..GbdtParams::default()
//! };
//! let bar = |p: TrainProgress| println!("round {}/{}: {:.4}", p.round, p.total_rounds, p.train_loss);
//! let trained = train_gbdt(x.view(), y.view(), &params, Some(&bar)).unwrap();
//! // One round at learning rate 1 fits ln(price) exactly; missing values
//! // learned to go with the cheap houses.
//! let p = trained.model.predict_row(&[f64::NAN]).unwrap();
//! assert!((p - 100.0).abs() < 1e-9, "{p}");
//! assert!((trained.model.predict_row(&[8.5]).unwrap() - 400.0).abs() < 1e-9);
//! ```

mod binning;
mod gbdt;
mod grow;
mod histogram;
mod params;
mod rng;
mod split;

pub use gbdt::{train_gbdt, train_gbdt_with_validation, TrainHistory, TrainProgress, TrainedGbdt};
pub use params::{GbdtObjective, GbdtParams, MAX_LEAVES_LIMIT};
