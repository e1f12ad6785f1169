//! The full scan: parallel top-k with deterministic order.
//!
//! The catalog is cut into chunks; each rayon task keeps a bounded max-heap
//! of its `offset + k` best rows (the worst on top, so a better row replaces
//! it in O(log k)); the chunk heaps are merged and sorted. Order: score
//! descending, then predicted price ascending, then id ascending — the same
//! on every run and every thread count. Small catalogs take a sequential path.
//! Each task tells the block scorer the worst score it keeps (or a better
//! one another task has reached: `need` rows there score at least that),
//! so that rows which provably cannot beat it need not be scored in full
//! (screening: `Plan::score_block_screened`).

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use rayon::prelude::*;

use crate::scoring::BLOCK_ROWS;

/// Rows per parallel task, and the catalog size below which one thread does
/// it all (spawning costs more than scanning a few thousand rows).
pub const CHUNK_ROWS: usize = 16_384;

/// Rows in the first block of a scan (or twice the rows asked for, if more).
const FIRST_BLOCK_ROWS: usize = 64;

/// A scored row, ordered so that "greater" means "ranks better".
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ranked {
    /// Total score, 0..=100.
    pub score: f64,
    /// Predicted price (lower wins a tie).
    pub price: f64,
    /// Rank of the id in id order (lower wins a tie).
    pub id_rank: u32,
    /// The row in the catalog.
    pub row: u32,
}

impl Ranked {
    /// `Less` when `self` ranks better than `other`.
    #[inline]
    pub fn order(&self, other: &Ranked) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then_with(|| self.price.total_cmp(&other.price))
            .then_with(|| self.id_rank.cmp(&other.id_rank))
    }
}

/// Heap entry: the heap's top is the worst kept row.
struct Worst(Ranked);

impl PartialEq for Worst {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Worst {}
impl PartialOrd for Worst {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Worst {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.order(&other.0)
    }
}

/// The best `need` rows offered so far, worst on top of a bounded heap.
pub(crate) struct TopK {
    heap: BinaryHeap<Worst>,
    need: usize,
    /// The worst kept score once `need` rows are kept (−∞ until then): a
    /// row below it is rejected by one comparison.
    floor: f64,
}

impl TopK {
    /// Keep the best `need` rows; `capacity` is a hint of how many will be
    /// offered.
    pub fn new(need: usize, capacity: usize) -> TopK {
        TopK {
            heap: BinaryHeap::with_capacity(need.min(capacity) + 1),
            need,
            floor: f64::NEG_INFINITY,
        }
    }

    /// The score a row must reach to be kept, once `need` rows are kept (a
    /// row scoring exactly this is kept only if it wins the tie-break).
    #[inline]
    pub fn threshold(&self) -> Option<f64> {
        (self.heap.len() >= self.need && self.need > 0).then_some(self.floor)
    }

    /// Offer `row` with total `score` (NaN: filtered out, ignored); `key`
    /// gives its tie-breakers `(predicted price, id rank)`, asked only when
    /// the score could make it in. Always inlined: it runs for every row
    /// that reaches the floor, and whether LLVM inlines a plain `#[inline]`
    /// here changed with unrelated code elsewhere in the crate (+1 % of a
    /// full scan's instructions when it did not).
    #[inline(always)]
    pub fn offer(&mut self, row: usize, score: f64, key: impl Fn(usize) -> (f64, u32)) {
        // NaN (a filtered row) is not `Greater` or `Equal` either.
        if !matches!(
            score.partial_cmp(&self.floor),
            Some(Ordering::Greater | Ordering::Equal)
        ) || self.need == 0
        {
            return;
        }
        let full = self.heap.len() >= self.need;
        let (price, id_rank) = key(row);
        let r = Ranked {
            score,
            price,
            id_rank,
            row: row as u32,
        };
        if !full {
            self.heap.push(Worst(r));
        } else if let Some(mut top) = self.heap.peek_mut() {
            if r.order(&top.0) == Ordering::Less {
                *top = Worst(r);
            }
        }
        if self.heap.len() >= self.need {
            self.floor = self.heap.peek().map_or(f64::NEG_INFINITY, |w| w.0.score);
        }
    }

    /// The kept rows in rank order.
    pub fn into_sorted(self) -> Vec<Ranked> {
        let mut best = self.heap.into_vec();
        best.sort_unstable_by(|x, y| x.0.order(&y.0));
        best.into_iter().map(|w| w.0).collect()
    }
}

/// The best `need` rows of `0..n` in rank order.
///
/// `scores(start, out, floor)` writes the total scores of rows `start ..
/// start + out.len()` (at most [`BLOCK_ROWS`] at a time) into `out`, NaN
/// for rows a filter removed. `floor` is a score that `need` rows already
/// scanned reach (the best of the worst kept score of this task and of any
/// task that finished a block; −∞ until one keeps `need`): a row scoring
/// below it cannot make the answer, so `scores` may write NaN for such a
/// row instead of its total. `key(row)` gives the tie-breakers
/// `(predicted price, id rank)`. Most rows are rejected by one comparison
/// with the worst kept score, so the heap is touched rarely.
pub(crate) fn top_k<S, K>(n: usize, need: usize, scores: S, key: K) -> Vec<Ranked>
where
    S: Fn(usize, &mut [f64], f64) + Sync,
    K: Fn(usize) -> (f64, u32) + Sync,
{
    if need == 0 || n == 0 {
        return Vec::new();
    }
    // The best floor above zero any task has reached, as the bits of the
    // score (positive numbers' bit patterns order like the numbers); 0
    // until one has.
    let shared_floor = AtomicU64::new(0);
    let scan = |start: usize, end: usize| {
        let mut top = TopK::new(need, end - start);
        let mut totals = [0.0f64; BLOCK_ROWS];
        let mut block_start = start;
        // A short first block: the rows kept from it give the later blocks
        // a floor to screen against early (see `top_k`'s `floor`).
        let mut block_len = FIRST_BLOCK_ROWS.max(2 * need).min(BLOCK_ROWS);
        while block_start < end {
            let block_end = (block_start + block_len).min(end);
            block_len = BLOCK_ROWS;
            let totals = &mut totals[..block_end - block_start];
            let shared = match shared_floor.load(AtomicOrdering::Relaxed) {
                0 => f64::NEG_INFINITY,
                bits => f64::from_bits(bits),
            };
            let floor = top.threshold().map_or(shared, |own| own.max(shared));
            scores(block_start, totals, floor);
            // Most rows of a screened block are NaN or below the floor:
            // look at 16 at a time (a vectorised comparison) and offer
            // only from groups where one could make it in.
            for (g, group) in totals.chunks(16).enumerate() {
                let floor = top.floor;
                if !group.iter().fold(false, |any, &s| any | (s >= floor)) {
                    continue;
                }
                for (i, &score) in group.iter().enumerate() {
                    top.offer(block_start + g * 16 + i, score, &key);
                }
            }
            if let Some(own) = top.threshold().filter(|&own| own > 0.0) {
                shared_floor.fetch_max(own.to_bits(), AtomicOrdering::Relaxed);
            }
            block_start = block_end;
        }
        top.heap.into_vec()
    };
    let mut best: Vec<Worst> = if n <= CHUNK_ROWS {
        scan(0, n)
    } else {
        (0..n.div_ceil(CHUNK_ROWS))
            .into_par_iter()
            .map(|c| scan(c * CHUNK_ROWS, ((c + 1) * CHUNK_ROWS).min(n)))
            .reduce(Vec::new, |mut a, b| {
                a.extend(b);
                if a.len() > need {
                    a.select_nth_unstable_by(need - 1, |x, y| x.0.order(&y.0));
                    a.truncate(need);
                }
                a
            })
    };
    best.sort_unstable_by(|x, y| x.0.order(&y.0));
    best.truncate(need);
    best.into_iter().map(|w| w.0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(row: usize, score: f64, price: f64) -> Ranked {
        Ranked {
            score,
            price,
            id_rank: row as u32,
            row: row as u32,
        }
    }

    /// Rank rows scored by `f` (None = filtered) through the block API.
    fn rank(n: usize, need: usize, f: impl Fn(usize) -> Option<(f64, f64)> + Sync) -> Vec<u32> {
        top_k(
            n,
            need,
            |start, out, _floor| {
                for (i, o) in out.iter_mut().enumerate() {
                    *o = f(start + i).map_or(f64::NAN, |(s, _)| s);
                }
            },
            |row| (f(row).map_or(0.0, |(_, p)| p), row as u32),
        )
        .iter()
        .map(|r| r.row)
        .collect()
    }

    fn full_sort(scores: &[(f64, f64)], need: usize) -> Vec<u32> {
        let mut all: Vec<Ranked> = scores
            .iter()
            .enumerate()
            .map(|(i, &(s, p))| ranked(i, s, p))
            .collect();
        all.sort_by(|a, b| a.order(b));
        all.into_iter().take(need).map(|r| r.row).collect()
    }

    #[test]
    fn ties_break_on_price_then_id() {
        let scores = [(90.0, 300.0), (95.0, 500.0), (90.0, 200.0), (90.0, 200.0)];
        assert_eq!(rank(4, 4, |i| Some(scores[i])), vec![1, 2, 3, 0]);
    }

    #[test]
    fn parallel_equals_full_sort() {
        let n = CHUNK_ROWS * 5 + 123;
        // Many ties: scores in 0..50 steps, prices in a few values.
        let scores: Vec<(f64, f64)> = (0..n)
            .map(|i| (((i * 7919) % 50) as f64, ((i * 104_729) % 7) as f64))
            .collect();
        for need in [1, 3, 10, 1000] {
            assert_eq!(
                rank(n, need, |i| Some(scores[i])),
                full_sort(&scores, need),
                "need {need}"
            );
        }
    }

    #[test]
    fn filtered_rows_and_edge_sizes() {
        assert!(rank(10, 0, |_| Some((1.0, 1.0))).is_empty());
        assert!(rank(0, 5, |_| Some((1.0, 1.0))).is_empty());
        let got = rank(10, 50, |i| (i % 2 == 0).then_some((i as f64, 1.0)));
        assert_eq!(got, vec![8, 6, 4, 2, 0]);
        // Blocks that end mid-way through the catalog.
        let n = BLOCK_ROWS * 3 + 7;
        let got = rank(n, 2, |i| Some(((i % 1000) as f64, 0.0)));
        assert_eq!(got, vec![999, 1999]);
    }
}
