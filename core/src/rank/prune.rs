//! Pruned top-k: visit listings best upper bound first and stop as soon as
//! no listing left can reach the k-th best score (the threshold idea of
//! Fagin's algorithm, with one precomputed list per catalog version).
//!
//! # Why a bound exists
//!
//! A request's total is the weighted mean of its known component scores.
//! The buyer-independent ("static") components are precomputed per catalog
//! version, so each listing has a fixed weighted sum `S` over the static
//! weight `W` it knows. Every other component the buyer asked for scores
//! at most 100, and their weights sum to `D` (minus any this listing does
//! not know). `(S + x) / (W + d)` with `x ≤ 100 d` is at most
//! `(S + 100 d) / (W + d)`, which is monotone in `d`, so over `0 ≤ d ≤ D`
//! the total is at most `max(S / W, (S + 100 D) / (W + D))`.
//!
//! # The index
//!
//! Listings are grouped by which static components they know (so each
//! group has one `W`) and sorted by `S`, best first: along a group the
//! bound only falls. A request repeatedly scores the next few listings of
//! the group whose next bound is highest, and stops when that bound is
//! below the worst score it keeps (with a margin far above rounding error,
//! so a listing that could tie is always scored). Scores come from the
//! same code as the full scan, so the answer is identical to it; when the
//! bounds do not separate (a buyer almost no listing suits), the pruned
//! scan gives up after a fraction of the catalog and the caller scans it
//! all, in parallel.

use rayon::prelude::*;

use super::top_k::{Ranked, TopK, CHUNK_ROWS};
use crate::scoring::{upper_bound, Plan, Scratch, BLOCK_ROWS, MARGIN};

/// Which static components (by position in the profile) with which
/// weights (as bits) an index was built for.
pub(crate) type StaticKey = Vec<(usize, u64)>;

/// Listings scored per step of a group; grows to this as the group keeps
/// qualifying (and is cut at the first listing that cannot).
const MAX_STEP: usize = BLOCK_ROWS;
const FIRST_STEP: usize = 32;

/// Listings scored before judging whether pruning can pay off.
const JUDGE_AFTER: usize = 256;

/// Listings scored before a first judgement, which gives up only when
/// more than `HOPELESS` times the budget could still beat the kept scores.
const JUDGE_EARLY: usize = 64;
const HOPELESS: usize = 8;

/// Listings sharing one set of known static components.
#[derive(Debug)]
struct Group {
    /// Their known static weight `W`.
    weight: f64,
    /// Rows, best static sum first.
    rows: Vec<u32>,
    /// Static weighted sums `S`, same order.
    sums: Vec<f64>,
}

/// The static part of every listing's score, sorted for pruning.
#[derive(Debug)]
pub(crate) struct StaticIndex {
    key: StaticKey,
    groups: Vec<Group>,
}

impl StaticIndex {
    /// The index for `plan`'s static components (see [`static_key`]).
    pub fn build(plan: &Plan<'_>, key: StaticKey) -> StaticIndex {
        let columns: Vec<(&[f64], f64)> = key
            .iter()
            .filter_map(|&(pos, bits)| {
                let a = &plan.active[pos];
                plan.static_column(a).map(|c| (c, f64::from_bits(bits)))
            })
            .collect();
        debug_assert_eq!(columns.len(), key.len());
        let n = plan.cols.len();
        // Up to CHUNK_ROWS listings everything runs on the calling thread,
        // as the full scan does (bindings rely on it: no rayon there).
        let parallel = n > CHUNK_ROWS;
        let static_part = |row: usize| {
            let (mut pattern, mut sum, mut weight) = (0u32, 0.0, 0.0);
            for (j, (column, w)) in columns.iter().enumerate() {
                let v = column[row];
                if !v.is_nan() {
                    pattern |= 1 << j;
                    sum += w * v;
                    weight += w;
                }
            }
            (pattern, sum, weight)
        };
        let per_row: Vec<(u32, f64, f64)> = if parallel {
            (0..n).into_par_iter().map(static_part).collect()
        } else {
            (0..n).map(static_part).collect()
        };
        let mut groups: Vec<(u32, Group)> = Vec::new();
        for (row, &(pattern, sum, weight)) in per_row.iter().enumerate() {
            let g = match groups.iter().position(|(p, _)| *p == pattern) {
                Some(g) => g,
                None => {
                    groups.push((
                        pattern,
                        Group {
                            weight,
                            rows: Vec::new(),
                            sums: Vec::new(),
                        },
                    ));
                    groups.len() - 1
                }
            };
            groups[g].1.rows.push(row as u32);
            groups[g].1.sums.push(sum);
        }
        let sorted = |(_, g): (u32, Group)| {
            let mut order: Vec<(f64, u32)> = g.sums.iter().copied().zip(g.rows).collect();
            let best_first = |a: &(f64, u32), b: &(f64, u32)| b.0.total_cmp(&a.0);
            if parallel {
                order.par_sort_unstable_by(best_first);
            } else {
                order.sort_unstable_by(best_first);
            }
            Group {
                weight: g.weight,
                rows: order.iter().map(|o| o.1).collect(),
                sums: order.iter().map(|o| o.0).collect(),
            }
        };
        let groups = if parallel {
            groups.into_par_iter().map(sorted).collect()
        } else {
            groups.into_iter().map(sorted).collect()
        };
        StaticIndex { key, groups }
    }

    /// What this index was built for.
    pub fn key(&self) -> &StaticKey {
        &self.key
    }

    /// The best `need` listings for `plan` in rank order, exactly as the
    /// full scan ranks them, and how many listings were scored — or `None`
    /// when more than `budget` listings had to be scored (the bounds did
    /// not separate: scan everything).
    pub fn top_k(
        &self,
        plan: &Plan<'_>,
        need: usize,
        budget: usize,
        key: impl Fn(usize) -> (f64, u32),
    ) -> Option<(Vec<Ranked>, usize)> {
        let dynamic = dynamic_weight(plan, &self.key);
        let bound = |g: &Group, sum: f64| upper_bound(sum, g.weight, dynamic);
        let mut next = vec![0usize; self.groups.len()];
        let mut top = TopK::new(need, budget);
        let mut totals: Vec<f64> = Vec::with_capacity(FIRST_STEP);
        let mut scratch = Scratch::new();
        // Each group's step grows as that group keeps qualifying.
        let mut step = vec![FIRST_STEP; self.groups.len()];
        let mut scanned = 0usize;
        loop {
            let mut best: Option<(usize, f64)> = None;
            for (g, group) in self.groups.iter().enumerate() {
                if let Some(&sum) = group.sums.get(next[g]) {
                    let b = bound(group, sum);
                    if best.is_none_or(|(_, bb)| b > bb) {
                        best = Some((g, b));
                    }
                }
            }
            let Some((g, b)) = best else { break };
            if top.threshold().is_some_and(|worst| b + MARGIN < worst) {
                break;
            }
            if scanned >= budget {
                return None;
            }
            if scanned >= JUDGE_EARLY {
                // Once the kept scores mean something: how many listings
                // could still beat them? If that is over budget, give up now
                // rather than after scoring the budget. (The threshold still
                // rises as the scan goes on, so this may give up on a scan
                // that would just have fitted; that costs one full scan,
                // what the request costs without pruning.)
                if let Some(worst) = top.threshold() {
                    let open: usize = self
                        .groups
                        .iter()
                        .map(|g| g.sums.partition_point(|&s| bound(g, s) + MARGIN >= worst))
                        .sum();
                    // Early on the kept scores are still rising: give up only
                    // when far over budget (a balanced request, whose
                    // bounds barely depend on the precomputed part, is
                    // about sixteen times over at a million listings).
                    let allowed = if scanned >= JUDGE_AFTER {
                        budget
                    } else {
                        budget.saturating_mul(HOPELESS)
                    };
                    if open > allowed {
                        return None;
                    }
                }
            }
            let group = &self.groups[g];
            let mut end = (next[g] + step[g]).min(group.rows.len());
            if let Some(worst) = top.threshold() {
                // Only the rows whose bound can still reach the kept scores
                // (at least the first: its bound passed above).
                let open = group.sums[next[g]..end]
                    .partition_point(|&s| bound(group, s) + MARGIN >= worst);
                end = next[g] + open.max(1);
            }
            let rows = &group.rows[next[g]..end];
            totals.resize(rows.len(), 0.0);
            plan.score_picked(rows, &mut totals, &mut scratch);
            for (&row, &score) in rows.iter().zip(totals.iter()) {
                top.offer(row as usize, score, &key);
            }
            scanned += rows.len();
            next[g] = end;
            step[g] = (step[g] * 2).min(MAX_STEP);
        }
        Some((top.into_sorted(), scanned))
    }
}

/// The static components `plan` scores, with their weights: what an index
/// must have been built for to serve it. `None` when it has none (nothing
/// to prune with).
pub(crate) fn static_key(plan: &Plan<'_>) -> Option<StaticKey> {
    let key: StaticKey = plan
        .active
        .iter()
        .enumerate()
        .filter(|(_, a)| plan.asked(a) && plan.static_column(a).is_some())
        .map(|(pos, a)| (pos, a.weight.to_bits()))
        .collect();
    (!key.is_empty()).then_some(key)
}

/// Total weight of the components `plan` scores per request.
fn dynamic_weight(plan: &Plan<'_>, key: &StaticKey) -> f64 {
    plan.active
        .iter()
        .enumerate()
        .filter(|(pos, a)| plan.asked(a) && !key.iter().any(|(p, _)| p == pos))
        .map(|(_, a)| a.weight)
        .sum()
}
