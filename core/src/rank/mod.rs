//! Ranking: the best `k` listings for a compiled request, in a
//! deterministic order (score descending, then predicted price ascending,
//! then id ascending), whichever scan finds them.
//!
//! | file | what is inside |
//! |---|---|
//! | `strategy.rs` | the choice between the pruned, screened and full scan, and the cache of pruning indexes |
//! | `top_k.rs` | the full (optionally screened) scan: parallel blocks, bounded heaps, the shared floor |
//! | `prune.rs` | the pruned scan: listings best upper bound first, stopping when none left can make the answer |
//!
//! Scoring itself (what a listing scores) is [`crate::scoring`]'s job;
//! this layer decides which listings are scored.

mod prune;
mod strategy;
mod top_k;

pub(crate) use strategy::{best, PruningIndexes, Threads};
pub(crate) use top_k::Ranked;
pub use top_k::CHUNK_ROWS;

#[cfg(test)]
pub(crate) use strategy::prune_budget;
