//! The structural checks every ensemble passes before it can predict
//! (built by an importer or deserialised), so that traversal needs no
//! checks beyond slice indexing and can never loop.

use super::layout::{Parts, CATEGORICAL, KNOWN_FLAGS, LEAF, MISSING_NAN, MISSING_ZERO};
use crate::model::split_rule::SplitRule;

/// Everything traversal relies on: equal array lengths, children inside
/// their own tree, every node reached at most once from its root (so no
/// cycles), feature indices below `num_features`, categorical sets inside
/// `cat_words`.
pub(super) fn validate(p: &Parts) -> std::result::Result<(), String> {
    let n = p.feature.len();
    for (name, len) in [
        ("value", p.value.len()),
        ("left", p.left.len()),
        ("right", p.right.len()),
        ("flags", p.flags.len()),
    ] {
        if len != n {
            return Err(format!("`{name}` has {len} entries, `feature` has {n}"));
        }
    }
    if !p.feature_names.is_empty() && p.feature_names.len() != p.num_features {
        return Err(format!(
            "{} feature names for {} features",
            p.feature_names.len(),
            p.num_features
        ));
    }
    if !p.init_score.is_finite() {
        return Err(format!("initial score {} is not finite", p.init_score));
    }
    if let Some(d) = p.divisor {
        if !(d.is_finite() && d > 0.0) {
            return Err(format!("divisor {d} is not a positive number"));
        }
    }
    for (k, c) in p.cat_splits.iter().enumerate() {
        let end = c.start as usize + c.len as usize;
        let kend = c.known_start as usize + c.known_len as usize;
        if end > p.cat_words.len() || kend > p.cat_words.len() {
            return Err(format!(
                "categorical split {k} points past the {} stored words",
                p.cat_words.len()
            ));
        }
    }
    if p.tree_roots.first().is_some_and(|&r| r != 0) || (p.tree_roots.is_empty() && n > 0) {
        return Err("the first tree must start at node 0".into());
    }
    let mut seen = vec![false; n];
    let mut stack = Vec::new();
    for (t, &root) in p.tree_roots.iter().enumerate() {
        let start = root as usize;
        let end = p.tree_roots.get(t + 1).map_or(n, |&r| r as usize);
        if start >= end || end > n {
            return Err(format!(
                "tree {t} spans nodes {start}..{end} of {n}: trees must be non-empty and in order"
            ));
        }
        stack.clear();
        stack.push(start);
        while let Some(i) = stack.pop() {
            if seen[i] {
                return Err(format!(
                    "tree {t}: node {} is reached twice (a cycle or a shared child)",
                    i - start
                ));
            }
            seen[i] = true;
            let f = p.flags[i];
            if f & !KNOWN_FLAGS != 0 {
                return Err(format!(
                    "tree {t}: node {} has unknown flags {f:#x}",
                    i - start
                ));
            }
            if f & LEAF != 0 {
                continue;
            }
            if p.feature[i] as usize >= p.num_features {
                return Err(format!(
                    "tree {t}: node {} splits on feature {}, but the model has {} features",
                    i - start,
                    p.feature[i],
                    p.num_features
                ));
            }
            let v = p.value[i];
            if f & CATEGORICAL != 0 {
                if p.rule == SplitRule::Sklearn {
                    return Err(format!(
                        "tree {t}: node {} is categorical, which scikit-learn trees do not have",
                        i - start
                    ));
                }
                if !(v >= 0.0 && v.fract() == 0.0 && (v as usize) < p.cat_splits.len()) {
                    return Err(format!(
                        "tree {t}: node {} refers to categorical split {v}, but there are {}",
                        i - start,
                        p.cat_splits.len()
                    ));
                }
            } else if v.is_nan() {
                return Err(format!("tree {t}: node {} has a NaN threshold", i - start));
            }
            if f & MISSING_ZERO != 0 && f & MISSING_NAN != 0 {
                return Err(format!(
                    "tree {t}: node {} has two missing types",
                    i - start
                ));
            }
            for c in [p.left[i] as usize, p.right[i] as usize] {
                if c < start || c >= end || c == i {
                    return Err(format!(
                        "tree {t}: node {} has child {}, outside the tree's {} nodes",
                        i - start,
                        c as i64 - start as i64,
                        end - start
                    ));
                }
                stack.push(c);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{EnsembleBuilder, NodeSpec};
    use crate::model::objective::OutputTransform;
    use crate::model::split_rule::SplitRule;

    #[test]
    fn a_cycle_is_refused() {
        let mut b = EnsembleBuilder::new(SplitRule::LightGbm, 1, vec![]);
        b.push_tree(&[
            NodeSpec {
                feature: 0,
                value: 0.0,
                left: 0,
                right: 1,
                flags: 0,
            },
            NodeSpec::leaf(1.0),
        ])
        .unwrap();
        let err = b
            .finish("x", OutputTransform::Identity, 0.0, None)
            .unwrap_err();
        assert!(
            err.contains("outside the tree") || err.contains("twice"),
            "{err}"
        );
    }

    #[test]
    fn a_feature_beyond_the_row_is_refused() {
        let mut b = EnsembleBuilder::new(SplitRule::XgBoost, 2, vec![]);
        b.push_tree(&[
            NodeSpec {
                feature: 2,
                value: 0.0,
                left: 1,
                right: 2,
                flags: 0,
            },
            NodeSpec::leaf(1.0),
            NodeSpec::leaf(2.0),
        ])
        .unwrap();
        let err = b
            .finish("x", OutputTransform::Identity, 0.0, None)
            .unwrap_err();
        assert!(err.contains("feature 2"), "{err}");
    }
}
