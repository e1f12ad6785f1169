//! Which scan answers a request: pruned (best bound first, see
//! [`StaticIndex`]), screened or full (every listing, in parallel, see
//! [`top_k`]). All give the same answer; the choice only changes how many
//! listings are scored.

use std::sync::{Arc, Mutex, MutexGuard};

use super::prune::{static_key, StaticIndex};
use super::top_k::{top_k, Ranked, CHUNK_ROWS};
use crate::scoring::Plan;

/// Pruning indexes kept per catalog version (requests overriding the
/// weights of buyer-independent components may need their own; beyond
/// this many, the oldest is dropped).
const MAX_INDEXES: usize = 8;

/// Catalogs smaller than this are always scanned in full (it costs less
/// than choosing what to skip).
const PRUNE_MIN_ROWS: usize = 256;

/// How many listings a pruned scan may score before it gives up and the
/// request scans the whole catalog (in parallel) instead.
pub(crate) fn prune_budget(rows: usize) -> usize {
    (rows / 16).max(2048)
}

/// Where a request may run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Threads {
    /// Anywhere: rayon may be used.
    Any,
    /// On the calling thread only, without rayon.
    CallerOnly,
}

/// The pruning indexes built so far for one catalog version, one per set
/// of static components and weights.
#[derive(Debug, Default)]
pub(crate) struct PruningIndexes {
    built: Mutex<Vec<Arc<StaticIndex>>>,
}

impl PruningIndexes {
    /// No index yet.
    pub fn new() -> PruningIndexes {
        PruningIndexes::default()
    }

    /// The list (a panic elsewhere cannot leave it half-changed: a
    /// poisoned lock is taken as is).
    fn lock(&self) -> MutexGuard<'_, Vec<Arc<StaticIndex>>> {
        self.built.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How many indexes are built.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// The index serving `plan`, if built already.
    pub fn cached(&self, plan: &Plan<'_>) -> Option<Arc<StaticIndex>> {
        let key = static_key(plan)?;
        self.lock().iter().find(|i| *i.key() == key).cloned()
    }

    /// The index serving `plan`, built on first use (`None` when `plan`
    /// has no static component to prune with).
    pub fn get_or_build(&self, plan: &Plan<'_>) -> Option<Arc<StaticIndex>> {
        if let Some(found) = self.cached(plan) {
            return Some(found);
        }
        let key = static_key(plan)?;
        let built = Arc::new(StaticIndex::build(plan, key));
        let mut indexes = self.lock();
        if let Some(found) = indexes.iter().find(|i| i.key() == built.key()) {
            return Some(found.clone());
        }
        if indexes.len() >= MAX_INDEXES {
            indexes.remove(0);
        }
        indexes.push(built.clone());
        Some(built)
    }
}

/// The best `need` listings for `plan` in rank order — or `None` when
/// `threads` is [`Threads::CallerOnly`] and the answer needs the parallel
/// full scan (a catalog over [`CHUNK_ROWS`] whose pruned scan has no
/// built index or gives up).
///
/// With `pruning` on and a catalog of at least 256 listings, the pruned
/// scan goes first (building the index for `plan` on first use, unless
/// caller-only); when it gives up or cannot prune, the full scan runs,
/// screened once a task keeps `need` rows if the request has enough
/// buyer-dependent components for screening to pay.
pub(crate) fn best(
    plan: &Plan<'_>,
    need: usize,
    pruning: bool,
    indexes: &PruningIndexes,
    threads: Threads,
) -> Option<Vec<Ranked>> {
    let prep = plan.prep;
    let n = plan.cols.len();
    let key = |row: usize| (prep.predicted_price[row], prep.id_rank[row]);
    // Up to CHUNK_ROWS listings, building an index and scanning run on
    // the calling thread anyway.
    let caller_only = threads == Threads::CallerOnly && n > CHUNK_ROWS;
    if pruning && n >= PRUNE_MIN_ROWS {
        let index = if caller_only {
            indexes.cached(plan)
        } else {
            indexes.get_or_build(plan)
        };
        let pruned = index
            .and_then(|index| index.top_k(plan, need, prune_budget(n), key))
            .map(|(ranked, _scanned)| ranked);
        if pruned.is_some() {
            return pruned;
        }
    }
    if caller_only {
        return None;
    }
    // Once a task keeps `need` rows, rows whose first look cannot reach
    // its worst are not scored in full.
    let screen = plan.screen();
    let score = |start: usize, out: &mut [f64], floor: f64| match &screen {
        Some(screen) if floor > f64::NEG_INFINITY => {
            plan.score_block_screened(start, out, floor, screen)
        }
        _ => plan.score_block(start, out),
    };
    Some(top_k(n, need, score, key))
}
