//! The flat tree ensemble: every tree of every origin in one struct of
//! arrays, validated once at load so that traversal needs no checks beyond
//! slice indexing and can never loop.
//!
//! Layout: node `i` of the whole ensemble has `feature[i]`, `value[i]`,
//! `left[i]`, `right[i]` and `flags[i]`. `value` is the threshold of a
//! numerical split, the index of a [`CatSplit`](layout::CatSplit) for a categorical split
//! (an integer stored as `f64`, as LightGBM does), and the output of a leaf.
//! Children are absolute node indices. Tree `t` owns the nodes from
//! `tree_roots[t]` up to the next root. Keeping the fields in separate
//! arrays keeps the hot ones (flags, feature, value, children) dense in
//! cache while a block of rows walks the same tree.
//!
//! | file | what is inside |
//! |---|---|
//! | `mod.rs` | [`TreeEnsemble`]: what it holds, its accessors, serde |
//! | `layout.rs` | the flat layout: node flags, `NodeSpec`, the arrays |
//! | `builder.rs` | `EnsembleBuilder`: how importers and training assemble trees |
//! | `validate.rs` | the structural checks run on every build and load |
//! | `accumulator.rs` | summing leaves in the origin's precision |
//! | `walk.rs` | the generic walk: each origin's split rule, one row after another |
//! | `compiled.rs` | the compiled lock-step walk of numerical ensembles, a block of rows side by side |
//! | `predict.rs` | prediction: row, batch (parallel above [`PARALLEL_MIN_ROWS`]), blocks |

mod accumulator;
mod builder;
mod compiled;
mod layout;
mod predict;
mod validate;
mod walk;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::objective::OutputTransform;
use super::split_rule::SplitRule;
use crate::error::{MiraError, Result};
use compiled::{Compiled, Flat};
use layout::Parts;
use validate::validate;

pub(crate) use builder::EnsembleBuilder;
pub(crate) use layout::{NodeSpec, CATEGORICAL, DEFAULT_LEFT, LEAF, MISSING_NAN, MISSING_ZERO};
pub use predict::PARALLEL_MIN_ROWS;

/// A tree ensemble (one tree, a forest or a boosted model) that predicts
/// exactly what its origin library predicts.
///
/// Prediction = `transform((init_score + Σ leaf values, trees in order) /
/// divisor)`, with the sum in the origin's precision (`f32` for XGBoost,
/// `f64` otherwise), and each split decided by the origin's [`SplitRule`].
/// Built by the importers ([`TreeEnsemble::from_lightgbm_str`],
/// [`TreeEnsemble::from_xgboost_json_str`], the scikit-learn constructors);
/// serialisable with serde, with every value round-tripping bit-exactly.
/// Deserialising validates the structure again, so a tampered file cannot
/// make traversal go out of bounds or loop.
#[derive(Debug, Clone)]
pub struct TreeEnsemble {
    p: Parts,
    /// The same trees in the compiled layout (derived from `p` at load;
    /// `None` for ensembles with categorical splits).
    compiled: Option<Compiled>,
}

impl TreeEnsemble {
    /// Wrap validated parts, compiling the fast layout.
    fn from_parts(p: Parts) -> TreeEnsemble {
        let compiled = Compiled::new(&Flat {
            rule: p.rule,
            num_features: p.num_features,
            tree_roots: &p.tree_roots,
            feature: &p.feature,
            value: &p.value,
            left: &p.left,
            right: &p.right,
            flags: &p.flags,
        });
        TreeEnsemble { p, compiled }
    }
}

impl PartialEq for TreeEnsemble {
    fn eq(&self, other: &Self) -> bool {
        // The compiled layout is a function of the parts.
        self.p == other.p
    }
}

impl Serialize for TreeEnsemble {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.p.serialize(s)
    }
}

impl<'de> Deserialize<'de> for TreeEnsemble {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let p = Parts::deserialize(d)?;
        validate(&p).map_err(serde::de::Error::custom)?;
        Ok(TreeEnsemble::from_parts(p))
    }
}

impl TreeEnsemble {
    /// The split rule (and so the origin library) this ensemble follows.
    pub fn rule(&self) -> SplitRule {
        self.p.rule
    }

    /// The origin's objective name, e.g. `regression sqrt` or `reg:gamma`.
    pub fn objective(&self) -> &str {
        &self.p.objective
    }

    /// The inverse link applied to the raw score.
    pub fn transform(&self) -> OutputTransform {
        self.p.transform
    }

    /// The raw score before the first tree (XGBoost's base margin,
    /// scikit-learn's initial prediction; 0 for LightGBM, which folds it into
    /// the first tree).
    pub fn init_score(&self) -> f64 {
        self.p.init_score
    }

    /// For averaging ensembles (random forests), what the summed trees are
    /// divided by.
    pub fn divisor(&self) -> Option<f64> {
        self.p.divisor
    }

    /// Number of input columns a row must have.
    pub fn num_features(&self) -> usize {
        self.p.num_features
    }

    /// Feature names from the model file, in column order (empty when the
    /// file had none).
    pub fn feature_names(&self) -> &[String] {
        &self.p.feature_names
    }

    /// Replace the feature names (e.g. with the encoder's when the model
    /// file had none). Their count must equal [`Self::num_features`].
    pub fn with_feature_names(mut self, names: Vec<String>) -> Result<Self> {
        if names.len() != self.p.num_features {
            return Err(MiraError::ModelMismatch {
                path: None,
                reason: format!(
                    "{} feature names given for a model of {} features",
                    names.len(),
                    self.p.num_features
                ),
            });
        }
        self.p.feature_names = names;
        Ok(self)
    }

    /// Number of trees.
    pub fn num_trees(&self) -> usize {
        self.p.tree_roots.len()
    }

    /// Number of nodes (splits and leaves) over all trees.
    pub fn num_nodes(&self) -> usize {
        self.p.feature.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{s, Array2};

    fn stump(rule: SplitRule, threshold: f64) -> TreeEnsemble {
        let mut b = EnsembleBuilder::new(rule, 1, vec!["sqft".into()]);
        b.push_tree(&[
            NodeSpec {
                feature: 0,
                value: threshold,
                left: 1,
                right: 2,
                flags: DEFAULT_LEFT,
            },
            NodeSpec::leaf(1.0),
            NodeSpec::leaf(2.0),
        ])
        .unwrap();
        b.finish("test", OutputTransform::Identity, 0.0, None)
            .unwrap()
    }

    #[test]
    fn equality_goes_left_for_lightgbm_and_right_for_xgboost() {
        assert_eq!(
            stump(SplitRule::LightGbm, 5.0).predict_row(&[5.0]).unwrap(),
            1.0
        );
        assert_eq!(
            stump(SplitRule::XgBoost, 5.0).predict_row(&[5.0]).unwrap(),
            2.0
        );
        assert_eq!(
            stump(SplitRule::Sklearn, 5.0).predict_row(&[5.0]).unwrap(),
            1.0
        );
        assert_eq!(
            stump(SplitRule::LightGbm, 5.0)
                .predict_row(&[f64::NAN])
                .unwrap(),
            1.0
        );
    }

    #[test]
    fn serde_round_trip_is_exact_and_revalidates() {
        let e = stump(SplitRule::SklearnHist, f64::INFINITY);
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"inf\""), "{json}");
        let back: TreeEnsemble = serde_json::from_str(&json).unwrap();
        assert_eq!(back, e);
        let tampered = json.replace("\"left\":[1,0,0]", "\"left\":[0,0,0]");
        assert_ne!(tampered, json);
        assert!(serde_json::from_str::<TreeEnsemble>(&tampered).is_err());
    }

    #[test]
    fn wrong_row_width_is_a_model_mismatch() {
        let e = stump(SplitRule::LightGbm, 1.0);
        let err = e.predict_row(&[1.0, 2.0]).unwrap_err();
        assert_eq!(err.code(), "MIRA_MODEL_MISMATCH");
        assert!(
            err.to_string().contains("expects 1 features (sqft)"),
            "{err}"
        );
        let m = Array2::<f64>::zeros((3, 2));
        assert!(e.predict_batch(m.view()).is_err());
    }

    #[test]
    fn non_contiguous_views_predict_like_contiguous_ones() {
        let e = stump(SplitRule::LightGbm, 1.0);
        let m = Array2::from_shape_fn((100, 2), |(i, j)| (i * 2 + j) as f64 % 3.0);
        let col = m.slice(s![.., 1..2]);
        let got = e.predict_batch(col).unwrap();
        let owned = col.to_owned();
        assert_eq!(got, e.predict_batch(owned.view()).unwrap());
        assert_eq!(got[0], 1.0); // row 0, column 1: 1 <= 1 goes left
        assert_eq!(got[2], 2.0); // row 2, column 1: 5 % 3 = 2 goes right
    }
}
