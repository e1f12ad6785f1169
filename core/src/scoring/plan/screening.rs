//! Screening: a scan that keeps only scores of at least a floor first
//! looks at part of each row's score (vectorising upper bounds), and
//! scores in full only the rows that can still reach the floor.

use super::block::normalise;
use super::rules::Bound;
use super::{Plan, BLOCK_ROWS};
use crate::scoring::rows::{Picked, Span};

impl<'a> Plan<'a> {
    /// How a screened scan looks at this request, or `None` when screening
    /// cannot pay: fewer than three components depend on the buyer (the
    /// buyer-independent part is precomputed, so the full score costs
    /// little more than a first look).
    pub fn screen(&self) -> Option<Screen> {
        let asked: Vec<usize> = (0..self.active.len())
            .filter(|&pos| self.asked(&self.active[pos]))
            .collect();
        let mut dynamic: Vec<usize> = asked
            .iter()
            .copied()
            .filter(|&pos| self.static_column(&self.active[pos]).is_none())
            .collect();
        if dynamic.len() < 3 {
            return None;
        }
        // Heaviest first: they move the bound the most. (Stable: profile
        // order among equal weights.)
        dynamic.sort_by(|&a, &b| self.active[b].weight.total_cmp(&self.active[a].weight));
        let lead = &dynamic[..FIRST_LOOK_DYNAMIC];
        let first = asked
            .iter()
            .copied()
            .filter(|pos| lead.contains(pos) || !dynamic.contains(pos))
            .collect();
        // The weight still unscored after each look; the last component is
        // not a look of its own (after it, the rows left are scored in full).
        let first_rest: f64 = dynamic[FIRST_LOOK_DYNAMIC..]
            .iter()
            .map(|&pos| self.active[pos].weight)
            .sum();
        let mut rest = first_rest;
        let mut then = Vec::new();
        for &pos in &dynamic[FIRST_LOOK_DYNAMIC..dynamic.len() - 1] {
            rest -= self.active[pos].weight;
            then.push((pos, rest.max(0.0)));
        }
        Some(Screen {
            first,
            first_rest,
            then,
        })
    }

    #[inline(always)]
    pub(super) fn score_block_screened_portable(
        &self,
        start: usize,
        out: &mut [f64],
        floor: f64,
        screen: &Screen,
    ) {
        let n = out.len();
        debug_assert!(n <= BLOCK_ROWS);
        out.fill(f64::NAN);
        // First look, every row of the block: one vectorised pass per
        // component.
        let mut sums = [0.0f64; BLOCK_ROWS];
        let mut weights = [0.0f64; BLOCK_ROWS];
        let span = Span { start, len: n };
        for &pos in &screen.first {
            self.accumulate::<Bound, _>(&self.active[pos], span, &mut sums[..n], &mut weights[..n]);
        }
        // Keep the rows whose bound reaches the floor, with their partial
        // sums (without a branch: every row is written, the count moves
        // only for the kept ones).
        let mut picked = [0u32; BLOCK_ROWS];
        let mut kept = 0;
        for i in 0..n {
            picked[kept] = (start + i) as u32;
            sums[kept] = sums[i];
            weights[kept] = weights[i];
            kept += usize::from(may_reach(sums[i], weights[i], screen.first_rest, floor));
        }
        // Further looks, heaviest component first, at the rows still in.
        // Once few are left, scoring them in full costs less than looking.
        for &(pos, rest) in &screen.then {
            if kept * SCREEN_STOP < n {
                break;
            }
            let rows = Picked(&picked[..kept]);
            self.accumulate::<Bound, _>(
                &self.active[pos],
                rows,
                &mut sums[..kept],
                &mut weights[..kept],
            );
            let mut still = 0;
            for i in 0..kept {
                picked[still] = picked[i];
                sums[still] = sums[i];
                weights[still] = weights[i];
                still += usize::from(may_reach(sums[i], weights[i], rest, floor));
            }
            kept = still;
        }
        if kept == 0 {
            return;
        }
        // The rows left, scored in full with the arithmetic of
        // `score_block` (partial sums above were in another order).
        let mut totals = [0.0f64; BLOCK_ROWS];
        sums[..kept].fill(0.0);
        weights[..kept].fill(0.0);
        self.score_rows(
            Picked(&picked[..kept]),
            &mut totals[..kept],
            &mut sums[..kept],
            &mut weights[..kept],
        );
        for (&row, &total) in picked[..kept].iter().zip(&totals[..kept]) {
            out[row as usize - start] = total;
        }
    }
}

/// A bound on a total is trusted only this far: far above the rounding
/// error of a weighted mean of ten 0..=100 scores (~1e-13), far below any
/// difference in score that matters. A row whose bound plus this margin
/// reaches the kept scores is always scored, so a row that could tie is
/// never skipped.
pub(crate) const MARGIN: f64 = 1e-6;

/// The most a listing can total when components of weight `sum_weight`
/// are known to add `sum`, and components of total weight `rest` are still
/// unscored: each of those scores at most 100 or is unknown (left out), and
/// `(sum + 100 d) / (weight + d)` is monotone in `d`, so over `0 ≤ d ≤ rest`
/// the total is at most the larger of the two ends.
#[inline(always)]
pub(crate) fn upper_bound(sum: f64, sum_weight: f64, rest: f64) -> f64 {
    normalise(sum, sum_weight).max(normalise(sum + 100.0 * rest, sum_weight + rest))
}

/// Whether a listing whose looked-at components add `sum` over weight
/// `sum_weight`, with components of weight `rest` still unscored, can
/// total `floor` or more: `upper_bound(sum, sum_weight, rest) + MARGIN >=
/// floor`, multiplied out (no division, no branch: it vectorises). For a
/// finite `floor ≤ 100` the bound's larger end is `(sum + 100 rest) /
/// (sum_weight + rest)`, up to rounding far below [`MARGIN`].
#[inline(always)]
fn may_reach(sum: f64, sum_weight: f64, rest: f64, floor: f64) -> bool {
    sum + 100.0 * rest >= (floor - MARGIN) * (sum_weight + rest)
}

/// How a screened scan looks at a request ([`Plan::score_block_screened`]).
#[derive(Debug, Clone)]
pub(crate) struct Screen {
    /// Positions in the plan's `active` components of those scored for
    /// every row: each asked buyer-independent one (precomputed columns)
    /// and the heaviest asked one that depends on the buyer.
    first: Vec<usize>,
    /// Total weight of the asked components left out of the first look.
    first_rest: f64,
    /// The next looks, at the rows still in: a component (heaviest first)
    /// and the weight of those still unscored after it.
    then: Vec<(usize, f64)>,
}

/// Buyer-dependent components in the first look (heaviest first). Two
/// (price and location for a typical buyer) was slower: the second one
/// over every row costs more than over the fifth or so of rows the first
/// leaves, picked out.
const FIRST_LOOK_DYNAMIC: usize = 1;

/// A screened block stops looking once fewer than one row in this many is
/// still in, and scores those in full.
const SCREEN_STOP: usize = 32;

#[cfg(test)]
mod tests {
    use super::super::test_support::{catalog, family_buyer};
    use crate::preferences::Preferences;
    use crate::scoring::plan::{Plan, BLOCK_ROWS};
    use crate::scoring::prepared::Prepared;
    use crate::scoring::profile::Profile;

    /// A screened block scores the rows it keeps exactly as the full block
    /// does, and leaves out only rows whose total is below the floor (or
    /// that a filter removes), for floors from loose to tight.
    #[test]
    fn screened_blocks_drop_only_rows_below_the_floor() {
        let catalog = catalog(2 * BLOCK_ROWS + 301);
        let cols = catalog.columns();
        let buyers = [
            family_buyer(),
            Preferences {
                budget: Some(150_000.0),
                min_bedrooms: Some(5),
                min_size_sqft: Some(2_500.0),
                must_have_amenities: vec!["garage".into()],
                weights: Some([("location".to_string(), 0.0)].into_iter().collect()),
                ..Preferences::default()
            },
        ];
        let profile = Profile::balanced();
        let prep = Prepared::new(&catalog, 2025, None).with_static_scores(&profile, cols);
        let (mut dropped, mut kept) = (0, 0);
        for prefs in &buyers {
            let plan = Plan::new(&profile, cols, &prep, prefs)
                .unwrap()
                .with_amenities(|a| a.trim().to_lowercase());
            let screen = plan
                .screen()
                .expect("several components depend on this buyer");
            let mut start = 0;
            while start < cols.len() {
                let n = BLOCK_ROWS.min(cols.len() - start);
                let mut full = vec![0.0; n];
                plan.score_block(start, &mut full);
                let mut sorted: Vec<f64> = full.iter().copied().filter(|x| !x.is_nan()).collect();
                sorted.sort_by(f64::total_cmp);
                let floors =
                    [0.0, 0.5, 0.9, 0.99].map(|q| sorted[(q * (sorted.len() - 1) as f64) as usize]);
                for floor in floors {
                    let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
                    plan.score_block_screened(start, &mut a, floor, &screen);
                    plan.score_block_screened_portable(start, &mut b, floor, &screen);
                    for i in 0..n {
                        for got in [a[i], b[i]] {
                            if got.is_nan() {
                                assert!(
                                    full[i].is_nan() || full[i] < floor,
                                    "row {} dropped: {} ≥ {floor}",
                                    start + i,
                                    full[i]
                                );
                                dropped += usize::from(!full[i].is_nan());
                            } else {
                                assert_eq!(got.to_bits(), full[i].to_bits(), "row {}", start + i);
                                kept += 1;
                            }
                        }
                        if full[i] >= floor {
                            assert!(
                                !a[i].is_nan(),
                                "row {} at {} ≥ {floor} was dropped",
                                start + i,
                                full[i]
                            );
                        }
                    }
                }
                start += n;
            }
        }
        assert!(
            dropped > 1000 && kept > 1000,
            "the screen did something: {dropped} dropped, {kept} kept"
        );
    }
}
