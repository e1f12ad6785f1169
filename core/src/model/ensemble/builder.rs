//! How importers and training assemble an ensemble: trees pushed one by
//! one with local child indices, then validated as a whole.

use super::layout::{CatSplit, NodeSpec, Parts, LEAF};
use super::validate::validate;
use super::TreeEnsemble;
use crate::model::objective::OutputTransform;
use crate::model::split_rule::SplitRule;

/// Collects trees from an importer, then validates the whole structure.
pub(crate) struct EnsembleBuilder {
    p: Parts,
}

impl EnsembleBuilder {
    /// An empty ensemble for `num_features` input columns.
    pub(crate) fn new(rule: SplitRule, num_features: usize, feature_names: Vec<String>) -> Self {
        EnsembleBuilder {
            p: Parts {
                rule,
                objective: String::new(),
                transform: OutputTransform::Identity,
                init_score: 0.0,
                divisor: None,
                num_features,
                feature_names,
                tree_roots: Vec::new(),
                feature: Vec::new(),
                value: Vec::new(),
                left: Vec::new(),
                right: Vec::new(),
                flags: Vec::new(),
                cat_splits: Vec::new(),
                cat_words: Vec::new(),
            },
        }
    }

    /// Store a categorical set (and optionally the known categories) and
    /// return the index to put in a categorical node's `value`.
    pub(crate) fn add_cat_split(&mut self, set: &[u32], known: Option<&[u32]>) -> u32 {
        let start = self.p.cat_words.len() as u32;
        self.p.cat_words.extend_from_slice(set);
        let known_start = self.p.cat_words.len() as u32;
        let known = known.unwrap_or(&[]);
        self.p.cat_words.extend_from_slice(known);
        self.p.cat_splits.push(CatSplit {
            start,
            len: set.len() as u32,
            known_start,
            known_len: known.len() as u32,
        });
        (self.p.cat_splits.len() - 1) as u32
    }

    /// Append a tree whose node 0 is the root; children are local indices
    /// (checked to lie inside the tree).
    pub(crate) fn push_tree(&mut self, nodes: &[NodeSpec]) -> std::result::Result<(), String> {
        if nodes.is_empty() {
            return Err(format!("tree {} has no nodes", self.p.tree_roots.len()));
        }
        let base = self.p.feature.len();
        if base + nodes.len() > u32::MAX as usize {
            return Err("too many nodes (more than 2^32)".into());
        }
        let n = nodes.len() as u32;
        self.p.tree_roots.push(base as u32);
        for (i, node) in nodes.iter().enumerate() {
            let leaf = node.flags & LEAF != 0;
            if !leaf && (node.left >= n || node.right >= n) {
                return Err(format!(
                    "tree {}: node {i} has children {} and {}, but the tree has {n} nodes",
                    self.p.tree_roots.len() - 1,
                    node.left,
                    node.right
                ));
            }
            self.p.feature.push(node.feature);
            self.p.value.push(node.value);
            let (l, r) = if leaf {
                (0, 0)
            } else {
                (node.left + base as u32, node.right + base as u32)
            };
            self.p.left.push(l);
            self.p.right.push(r);
            self.p.flags.push(node.flags);
        }
        Ok(())
    }

    /// Validate and finish. `divisor` averages the summed trees (forests).
    pub(crate) fn finish(
        mut self,
        objective: impl Into<String>,
        transform: OutputTransform,
        init_score: f64,
        divisor: Option<f64>,
    ) -> std::result::Result<TreeEnsemble, String> {
        self.p.objective = objective.into();
        self.p.transform = transform;
        self.p.init_score = init_score;
        self.p.divisor = divisor;
        validate(&self.p)?;
        Ok(TreeEnsemble::from_parts(self.p))
    }
}
