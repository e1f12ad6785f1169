//! The generic walk: each origin's split rule ([`Rule`], monomorphised into
//! the loop) and the row-by-row traversal of a block. It serves single
//! rows, partial blocks and ensembles with categorical splits.

use super::accumulator::Accumulator;
use super::compiled;
use super::layout::{Parts, CATEGORICAL, DEFAULT_LEFT, LEAF, MISSING_NAN, MISSING_ZERO};
use super::TreeEnsemble;
use crate::model::split_rule::{self, MissingType, SplitRule};

/// Rows walked through one tree together: their accumulators stay in
/// registers / L1 while the tree's top nodes stay hot in cache. Full blocks
/// of a numerical ensemble take the compiled lock-step walk
/// ([`compiled`]); the rest (a partial block, categorical models) the
/// generic one ([`TreeEnsemble::predict_block`]).
pub(super) const BLOCK_ROWS: usize = compiled::BLOCK;

/// One origin's split decision, monomorphised into the traversal loop so
/// the hot loop has no dispatch on the rule.
trait Rule {
    type Acc: Accumulator;
    fn go_left(p: &Parts, node: usize, flags: u8, x: f64) -> bool;
}

#[inline]
fn cat_sets(p: &Parts, node: usize) -> (&[u32], &[u32]) {
    let c = p.cat_splits[p.value[node] as usize];
    let set = &p.cat_words[c.start as usize..(c.start + c.len) as usize];
    let known = &p.cat_words[c.known_start as usize..(c.known_start + c.known_len) as usize];
    (set, known)
}

struct LightGbmRule;
impl Rule for LightGbmRule {
    type Acc = f64;
    #[inline]
    fn go_left(p: &Parts, node: usize, flags: u8, x: f64) -> bool {
        if flags & CATEGORICAL != 0 {
            split_rule::lightgbm_categorical(x, cat_sets(p, node).0)
        } else {
            let missing = if flags & MISSING_NAN != 0 {
                MissingType::NaN
            } else if flags & MISSING_ZERO != 0 {
                MissingType::Zero
            } else {
                MissingType::None
            };
            split_rule::lightgbm_numerical(x, p.value[node], flags & DEFAULT_LEFT != 0, missing)
        }
    }
}

struct XgBoostRule;
impl Rule for XgBoostRule {
    type Acc = f32;
    #[inline]
    fn go_left(p: &Parts, node: usize, flags: u8, x: f64) -> bool {
        if flags & CATEGORICAL != 0 {
            split_rule::xgboost_categorical(x, cat_sets(p, node).0, flags & DEFAULT_LEFT != 0)
        } else {
            split_rule::xgboost_numerical(x, p.value[node] as f32, flags & DEFAULT_LEFT != 0)
        }
    }
}

struct SklearnRule;
impl Rule for SklearnRule {
    type Acc = f64;
    #[inline]
    fn go_left(p: &Parts, node: usize, flags: u8, x: f64) -> bool {
        split_rule::sklearn_numerical(x, p.value[node], flags & DEFAULT_LEFT != 0)
    }
}

struct SklearnHistRule;
impl Rule for SklearnHistRule {
    type Acc = f64;
    #[inline]
    fn go_left(p: &Parts, node: usize, flags: u8, x: f64) -> bool {
        if flags & CATEGORICAL != 0 {
            let (set, known) = cat_sets(p, node);
            split_rule::hist_categorical(x, set, known, flags & DEFAULT_LEFT != 0)
        } else {
            split_rule::hist_numerical(x, p.value[node], flags & DEFAULT_LEFT != 0)
        }
    }
}

impl TreeEnsemble {
    pub(super) fn predict_block_dispatch(&self, data: &[f64], out: &mut [f64]) {
        match self.p.rule {
            SplitRule::LightGbm => self.predict_block::<LightGbmRule>(data, out),
            SplitRule::XgBoost => self.predict_block::<XgBoostRule>(data, out),
            SplitRule::Sklearn => self.predict_block::<SklearnRule>(data, out),
            SplitRule::SklearnHist => self.predict_block::<SklearnHistRule>(data, out),
        }
    }

    /// The hot loop: for each tree, walk every row of the block (at most
    /// [`BLOCK_ROWS`]) to its leaf and add the leaf to that row's sum.
    fn predict_block<R: Rule>(&self, data: &[f64], out: &mut [f64]) {
        let p = &self.p;
        let nf = p.num_features;
        let n = out.len();
        debug_assert!(n <= BLOCK_ROWS && data.len() == n * nf);
        let mut acc = [R::Acc::start(p.init_score); BLOCK_ROWS];
        for &root in &p.tree_roots {
            for (i, a) in acc.iter_mut().enumerate().take(n) {
                let row = &data[i * nf..(i + 1) * nf];
                let mut node = root as usize;
                loop {
                    let f = p.flags[node];
                    if f & LEAF != 0 {
                        break;
                    }
                    let x = row[p.feature[node] as usize];
                    node = if R::go_left(p, node, f, x) {
                        p.left[node]
                    } else {
                        p.right[node]
                    } as usize;
                }
                *a = a.add(p.value[node]);
            }
        }
        for (o, a) in out.iter_mut().zip(acc) {
            *o = a.finish(p.divisor, p.transform);
        }
    }
}
