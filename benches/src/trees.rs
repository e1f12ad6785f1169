//! A synthetic LightGBM model and matching feature rows for the predict
//! benches: shaped like a real boosted price model (leaf-wise trees of a
//! fixed leaf count, thresholds inside the values that reach each node,
//! NaN-aware splits), generated in code so no large model file is committed.

use crate::Rng;

/// An open leaf while a tree grows: the value range of each feature that
/// reaches it, and its parent split (node index, is-left-child).
type OpenLeaf = (Vec<(f64, f64)>, Option<(usize, bool)>);

/// Feature values of the synthetic rows lie in `[0, RANGE)`.
const RANGE: f64 = 1000.0;

/// The text (LightGBM `save_model` format) of a regression model with
/// `trees` trees of `leaves` leaves over `features` features. Trees grow
/// leaf-wise like LightGBM's: a random leaf is split at a time, on a random
/// feature, at a threshold inside the range that reaches it, so depths
/// vary (typically 6 to 14 for 63 leaves). Splits send NaN left or right
/// (missing type NaN). Deterministic.
pub fn synthetic_lightgbm_model(trees: usize, leaves: usize, features: usize) -> String {
    assert!(leaves >= 2 && features >= 1);
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let names: Vec<String> = (0..features).map(|f| format!("f{f}")).collect();
    let mut text = format!(
        "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\n\
         max_feature_idx={}\nobjective=regression\nfeature_names={}\n\n",
        features - 1,
        names.join(" ")
    );
    for t in 0..trees {
        // Leaves: (bounds per feature, parent split, is-left-child).
        let mut open: Vec<OpenLeaf> = vec![(vec![(0.0, RANGE); features], None)];
        let (mut feat, mut thr, mut dtype) = (Vec::new(), Vec::new(), Vec::new());
        let (mut left, mut right) = (Vec::<i64>::new(), Vec::<i64>::new());
        // Leaf k of `open` becomes LightGBM leaf k; a split replaces leaf k
        // by its left child (keeping index k) and appends the right child.
        while open.len() < leaves {
            let k = rng.below(open.len());
            let f = rng.below(features);
            let (lo, hi) = open[k].0[f];
            let th = lo + (hi - lo) * (0.2 + 0.6 * rng.unit());
            let node = feat.len();
            feat.push(f);
            thr.push(th);
            // Missing type NaN (8), default left (2) half of the time.
            dtype.push(if rng.next() & 1 == 0 { 8 } else { 10 });
            let (bounds, parent) = open[k].clone();
            if let Some((p, is_left)) = parent {
                if is_left {
                    left[p] = node as i64;
                } else {
                    right[p] = node as i64;
                }
            }
            let r = open.len();
            left.push(!(k as i64));
            right.push(!(r as i64));
            let mut lb = bounds.clone();
            lb[f].1 = th;
            let mut rb = bounds;
            rb[f].0 = th;
            open[k] = (lb, Some((node, true)));
            open.push((rb, Some((node, false))));
        }
        let leaf_values: Vec<String> = (0..leaves)
            .map(|_| {
                format!(
                    "{:?}",
                    (rng.unit() - 0.5) * 20_000.0 + if t == 0 { 450_000.0 } else { 0.0 }
                )
            })
            .collect();
        let join = |v: Vec<String>| v.join(" ");
        text.push_str(&format!(
            "Tree={t}\nnum_leaves={leaves}\nnum_cat=0\nsplit_feature={}\nthreshold={}\n\
             decision_type={}\nleft_child={}\nright_child={}\nleaf_value={}\nshrinkage=0.05\n\n",
            join(feat.iter().map(|f| f.to_string()).collect()),
            join(thr.iter().map(|t| format!("{t:?}")).collect()),
            join(dtype.iter().map(|d| d.to_string()).collect()),
            join(left.iter().map(|c| c.to_string()).collect()),
            join(right.iter().map(|c| c.to_string()).collect()),
            join(leaf_values),
        ));
    }
    text.push_str("end of trees\n");
    text
}

/// `n` rows of `features` values uniform in the synthetic model's range,
/// 1 % of them NaN. Deterministic.
pub fn synthetic_rows(n: usize, features: usize) -> ndarray::Array2<f64> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    ndarray::Array2::from_shape_simple_fn((n, features), || {
        if rng.below(100) == 0 {
            f64::NAN
        } else {
            (rng.unit() * RANGE * 100.0).round() / 100.0
        }
    })
}
