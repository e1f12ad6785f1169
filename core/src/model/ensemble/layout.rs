//! The flat layout of a tree ensemble: node `i` of the whole ensemble has
//! `feature[i]`, `value[i]`, `left[i]`, `right[i]` and `flags[i]` (see the
//! module above for what each means).

use serde::{Deserialize, Serialize};

use crate::model::float_serde;
use crate::model::objective::OutputTransform;
use crate::model::split_rule::SplitRule;

/// Node flag: the node is a leaf (its `value` is the output).
pub(crate) const LEAF: u8 = 1;
/// Node flag: categorical split (its `value` indexes `cat_splits`).
pub(crate) const CATEGORICAL: u8 = 2;
/// Node flag: missing values go left.
pub(crate) const DEFAULT_LEFT: u8 = 4;
/// Node flag (LightGBM): zero is the missing value.
pub(crate) const MISSING_ZERO: u8 = 8;
/// Node flag (LightGBM): NaN is the missing value.
pub(crate) const MISSING_NAN: u8 = 16;
pub(super) const KNOWN_FLAGS: u8 = LEAF | CATEGORICAL | DEFAULT_LEFT | MISSING_ZERO | MISSING_NAN;

/// Where the bits of one categorical split live in `cat_words`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CatSplit {
    /// First word of the split's category set.
    pub(super) start: u32,
    /// Number of 32-bit words in the set.
    pub(super) len: u32,
    /// First word of the known-category set (scikit-learn histogram models).
    pub(super) known_start: u32,
    /// Words of the known-category set (0 when there is none).
    pub(super) known_len: u32,
}

/// One node as an importer describes it, with children as indices local to
/// its tree.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NodeSpec {
    pub feature: u32,
    pub value: f64,
    pub left: u32,
    pub right: u32,
    pub flags: u8,
}

impl NodeSpec {
    /// A leaf with output `value`.
    pub(crate) fn leaf(value: f64) -> Self {
        NodeSpec {
            feature: 0,
            value,
            left: 0,
            right: 0,
            flags: LEAF,
        }
    }
}

/// The ensemble's arrays and settings, as serialised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Parts {
    pub(super) rule: SplitRule,
    pub(super) objective: String,
    pub(super) transform: OutputTransform,
    #[serde(with = "float_serde::one")]
    pub(super) init_score: f64,
    pub(super) divisor: Option<f64>,
    pub(super) num_features: usize,
    pub(super) feature_names: Vec<String>,
    pub(super) tree_roots: Vec<u32>,
    pub(super) feature: Vec<u32>,
    #[serde(with = "float_serde::vec")]
    pub(super) value: Vec<f64>,
    pub(super) left: Vec<u32>,
    pub(super) right: Vec<u32>,
    pub(super) flags: Vec<u8>,
    pub(super) cat_splits: Vec<CatSplit>,
    pub(super) cat_words: Vec<u32>,
}
