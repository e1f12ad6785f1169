//! Growing one tree leaf-wise (best-first, like LightGBM): the leaf whose
//! best split lowers the loss most is split next, until the tree has
//! `max_leaves` leaves or no leaf has a split worth making.
//!
//! A leaf's rows are a contiguous range of one index buffer, kept in
//! increasing row order by a stable partition, so every histogram sums its
//! rows in the same order on every run.

use super::binning::{BinMapper, BinnedMatrix};
use super::histogram::{self, BinStat, HistLayout};
use super::split::{best_split, leaf_value, SplitInfo, SplitLimits};

/// One node of a tree in bin space: splits compare bins, leaves hold
/// their final (shrunk) value once the tree is finished.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BinNode {
    /// Split feature (splits only).
    pub(crate) feature: u32,
    /// Value bins `0..=bin` go left (splits only).
    pub(crate) bin: u8,
    /// The feature's NaN bin (splits only).
    pub(crate) nan_bin: u8,
    /// Missing values go left (splits only).
    pub(crate) default_left: bool,
    /// Child indices in the tree (splits only).
    pub(crate) left: u32,
    /// See `left`.
    pub(crate) right: u32,
    /// Whether the node is a leaf.
    pub(crate) is_leaf: bool,
    /// The leaf's output (leaves only).
    pub(crate) value: f64,
}

impl BinNode {
    fn leaf() -> Self {
        BinNode {
            feature: 0,
            bin: 0,
            nan_bin: 0,
            default_left: false,
            left: 0,
            right: 0,
            is_leaf: true,
            value: 0.0,
        }
    }
}

/// The node a row of a binned matrix ends in.
#[inline]
pub(crate) fn leaf_of(nodes: &[BinNode], data: &BinnedMatrix, row: usize) -> usize {
    let mut i = 0;
    loop {
        let n = &nodes[i];
        if n.is_leaf {
            return i;
        }
        let b = data.cols[n.feature as usize][row];
        let left = if b == n.nan_bin {
            n.default_left
        } else {
            b <= n.bin
        };
        i = (if left { n.left } else { n.right }) as usize;
    }
}

/// What tree growth needs besides the rows: the data, its bins and limits.
pub(crate) struct GrowContext<'a> {
    pub(crate) data: &'a BinnedMatrix,
    pub(crate) mappers: &'a [BinMapper],
    pub(crate) layout: &'a HistLayout,
    pub(crate) limits: SplitLimits,
    pub(crate) max_leaves: usize,
    pub(crate) max_depth: Option<u32>,
}

struct Leaf {
    node: usize,
    start: usize,
    len: usize,
    depth: u32,
    sum: BinStat,
    hist: Vec<BinStat>,
    best: Option<SplitInfo>,
}

/// A grown tree and where its training rows ended.
pub(crate) struct GrownTree {
    /// The nodes, root first. Leaves hold their unshrunk optimal value
    /// `-G/(H+λ)`.
    pub(crate) nodes: Vec<BinNode>,
    /// The rows the tree was grown on, grouped by leaf.
    pub(crate) rows: Vec<u32>,
    /// For each leaf: its node and its range in `rows` (start, length).
    pub(crate) leaves: Vec<(usize, usize, usize)>,
}

/// Grow one tree on `rows` (sorted, distinct) with gradients `grad` and
/// hessians `hess` (indexed by row; `None` = 1 per row), splitting only on
/// the features marked in `use_feature`.
pub(crate) fn grow_tree(
    ctx: &GrowContext<'_>,
    mut rows: Vec<u32>,
    use_feature: &[bool],
    grad: &[f64],
    hess: Option<&[f64]>,
) -> GrownTree {
    let lim = &ctx.limits;
    let can_split = |depth: u32| ctx.max_depth.is_none_or(|d| depth < d);
    let find = |hist: &[BinStat], sum: BinStat, depth: u32| {
        if can_split(depth) {
            best_split(hist, ctx.layout, ctx.mappers, use_feature, sum, lim)
        } else {
            None
        }
    };

    let mut sum = BinStat::default();
    for &r in &rows {
        // In row order: the same sum on every run.
        sum = sum.plus(BinStat {
            g: grad[r as usize],
            h: hess.map_or(1.0, |h| h[r as usize]),
            n: 1,
        });
    }
    let mut hist = vec![BinStat::default(); ctx.layout.len()];
    histogram::build(
        &mut hist,
        ctx.layout,
        ctx.data,
        use_feature,
        &rows,
        grad,
        hess,
    );
    let best = find(&hist, sum, 0);
    let mut nodes = vec![BinNode::leaf()];
    let mut leaves = vec![Leaf {
        node: 0,
        start: 0,
        len: rows.len(),
        depth: 0,
        sum,
        hist,
        best,
    }];
    let mut scratch: Vec<u32> = Vec::with_capacity(rows.len());

    while leaves.len() < ctx.max_leaves {
        // The leaf with the largest gain; ties go to the earliest leaf.
        let mut pick: Option<(usize, f64)> = None;
        for (i, l) in leaves.iter().enumerate() {
            if let Some(s) = &l.best {
                if pick.is_none_or(|(_, g)| s.gain > g) {
                    pick = Some((i, s.gain));
                }
            }
        }
        let Some((li, _)) = pick else { break };
        let split = leaves[li].best.take().expect("picked leaves have a split");
        let (start, len, depth, parent_sum, node) = {
            let l = &leaves[li];
            (l.start, l.len, l.depth, l.sum, l.node)
        };

        // Stable partition of the leaf's rows: left rows first.
        let f = split.feature;
        let col = &ctx.data.cols[f];
        let nan_bin = ctx.mappers[f].nan_bin();
        let goes_left = |b: u8| {
            if b == nan_bin {
                split.default_left
            } else {
                b <= split.bin
            }
        };
        // Branch-free: every row is written to both places and only the
        // right cursor advances (the side is unpredictable, a branch on it
        // would mispredict half the time). `seg[w]` with `w <= k` has
        // already been read.
        scratch.resize(len, 0);
        let seg = &mut rows[start..start + len];
        let (mut w, mut s) = (0, 0);
        for k in 0..seg.len() {
            let r = seg[k];
            let left = goes_left(col[r as usize]);
            seg[w] = r;
            scratch[s] = r;
            w += usize::from(left);
            s += usize::from(!left);
        }
        seg[w..].copy_from_slice(&scratch[..s]);
        debug_assert_eq!(w as u32, split.left.n);

        let left_sum = split.left;
        let right_sum = parent_sum.minus(left_sum);
        let (l_range, r_range) = ((start, w), (start + w, len - w));

        // Build the smaller child; the larger is parent minus smaller.
        let mut parent_hist = std::mem::take(&mut leaves[li].hist);
        let small_is_left = w <= len - w;
        let (s_start, s_len) = if small_is_left { l_range } else { r_range };
        let mut small = vec![BinStat::default(); ctx.layout.len()];
        histogram::build(
            &mut small,
            ctx.layout,
            ctx.data,
            use_feature,
            &rows[s_start..s_start + s_len],
            grad,
            hess,
        );
        histogram::subtract(&mut parent_hist, &small);
        let (left_hist, right_hist) = if small_is_left {
            (small, parent_hist)
        } else {
            (parent_hist, small)
        };

        let l_node = nodes.len();
        let r_node = l_node + 1;
        nodes[node] = BinNode {
            feature: f as u32,
            bin: split.bin,
            nan_bin,
            default_left: split.default_left,
            left: l_node as u32,
            right: r_node as u32,
            is_leaf: false,
            value: 0.0,
        };
        nodes.push(BinNode::leaf());
        nodes.push(BinNode::leaf());

        let lb = find(&left_hist, left_sum, depth + 1);
        let rb = find(&right_hist, right_sum, depth + 1);
        leaves[li] = Leaf {
            node: l_node,
            start: l_range.0,
            len: l_range.1,
            depth: depth + 1,
            sum: left_sum,
            // A leaf that will never split needs no histogram.
            hist: if lb.is_some() { left_hist } else { Vec::new() },
            best: lb,
        };
        leaves.push(Leaf {
            node: r_node,
            start: r_range.0,
            len: r_range.1,
            depth: depth + 1,
            sum: right_sum,
            hist: if rb.is_some() { right_hist } else { Vec::new() },
            best: rb,
        });
    }

    for l in &leaves {
        nodes[l.node].value = leaf_value(l.sum, lim.lambda);
    }
    GrownTree {
        nodes,
        rows,
        leaves: leaves.iter().map(|l| (l.node, l.start, l.len)).collect(),
    }
}
