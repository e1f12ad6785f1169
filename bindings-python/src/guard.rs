//! The one guard every heavy entry point goes through: it releases the GIL,
//! runs the work (on the calling thread, or on the module's rayon pool when
//! parallelism can pay), turns a panic into a Python exception and converts
//! core errors (see [`crate::errors`]).
//!
//! # Where work runs: [`Place`]
//!
//! Handing work to a rayon pool (`install`) costs a thread hand-off each way
//! (11–17 µs measured), which dwarfs a small call. So the rule, in one place:
//!
//! * [`Place::Caller`]: the work never touches rayon. It runs on the calling
//!   thread (still without the GIL). Used for catalog and model file work
//!   (the core is sequential there), for predictions below the core's own
//!   sequential threshold ([`Place::predict`]: `model::PARALLEL_MIN_ROWS`
//!   rows), and for every single request first: the core's
//!   `Engine::try_recommend_sequential` answers it without rayon (small
//!   catalogs, or a pruned scan) or says it needs the parallel scan.
//! * [`Place::Pool`]: the work may call rayon (`par_iter`, `join`), so it is
//!   `install`ed in the module's pool, and rayon's global pool is never
//!   used (it could not follow `set_threads`, and its threads would not
//!   survive `fork`). Used for engine building, batches, predictions from
//!   listings (feature encoding) and training, which are always parallel in
//!   the core, for predictions above that threshold, and for the requests
//!   that need the parallel scan.
//!
//! The thresholds are the core's constants themselves, so the rule follows
//! the core if they change; `tests/test_concurrency.py` checks that small
//! work starts no thread (rayon's global pool would).
//!
//! # The pool
//!
//! The pool is the module's own (not rayon's global one) so that it can be
//! resized by `set_threads` and rebuilt in a forked child. It is held as an
//! `Arc`: a call clones it, `set_threads` swaps a new one in, and the old
//! one is dropped when its last running call finishes (rayon's `ThreadPool`
//! drop lets its threads exit), so resizing leaks nothing.
//!
//! Fork: after `fork` only the forking thread exists in the child, and a pool
//! inherited from the parent has no workers left, so using it would hang
//! forever (and dropping it would touch its dead threads' state). The Python
//! package registers `os.register_at_fork(after_in_child=...)`, which calls
//! [`forget_pool_after_fork`]; the slot also remembers the process id that
//! built the pool, so a fork that skipped the hook is caught too. Either way
//! the inherited pool is forgotten (never dropped) and the next call builds a
//! fresh one. The slot's lock is only ever taken while holding the GIL, and
//! Python forks while holding the GIL, so a child never inherits it locked.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use pyo3::prelude::*;
use rayon::ThreadPool;

use crate::errors;

/// Environment variable read when the first pool is built.
pub const THREADS_ENV: &str = "AGENT_MIRA_THREADS";

/// Where [`run`] executes its work (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// On the calling thread: the work must not call rayon.
    Caller,
    /// `install`ed in the module's pool: the work may call rayon.
    Pool,
}

impl Place {
    /// For predicting `rows` feature rows: the core's batch prediction is
    /// sequential below [`mira::model::PARALLEL_MIN_ROWS`] rows.
    pub fn predict(rows: usize) -> Place {
        Place::pool_if(rows >= mira::model::PARALLEL_MIN_ROWS)
    }

    fn pool_if(parallel: bool) -> Place {
        if parallel {
            Place::Pool
        } else {
            Place::Caller
        }
    }
}

/// The pool in use and the process that built it.
struct Slot {
    pool: Arc<ThreadPool>,
    pid: u32,
}

/// The pool in use, or `None` when none is built yet (or after a fork).
static POOL: Mutex<Option<Slot>> = Mutex::new(None);

/// Threads asked for with `set_threads` (0: not set, use the environment
/// variable or the number of CPUs).
static REQUESTED: AtomicUsize = AtomicUsize::new(0);

/// The number of threads a new pool gets.
fn wanted_threads() -> PyResult<usize> {
    let requested = REQUESTED.load(Ordering::Relaxed);
    if requested > 0 {
        return Ok(requested);
    }
    match std::env::var(THREADS_ENV) {
        Ok(text) if !text.trim().is_empty() => match text.trim().parse::<usize>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(errors::to_py(mira::MiraError::invalid(
                mira::RecordRef::Other("environment".into()),
                THREADS_ENV,
                format!("{text:?}"),
                "a whole number ≥ 1",
            ))),
        },
        _ => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
    }
}

fn build_pool(threads: usize) -> PyResult<Arc<ThreadPool>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("agent-mira-{i}"))
        .build()
        .map_err(|e| errors::internal(format!("cannot start {threads} worker threads: {e}")))?;
    Ok(Arc::new(pool))
}

/// The slot, locked. Callers hold the GIL (see the module documentation);
/// a poisoned lock only means a panic while swapping an `Option`, which
/// leaves it consistent.
fn slot(_py: Python<'_>) -> MutexGuard<'static, Option<Slot>> {
    let mut guard = POOL.lock().unwrap_or_else(|p| p.into_inner());
    if guard.as_ref().is_some_and(|s| s.pid != std::process::id()) {
        // Inherited through fork: its threads do not exist here. Forget it
        // without running its destructor.
        if let Some(stale) = guard.take() {
            std::mem::forget(stale.pool);
        }
    }
    guard
}

/// The pool, built on first use.
fn pool(py: Python<'_>) -> PyResult<Arc<ThreadPool>> {
    let mut guard = slot(py);
    if let Some(s) = guard.as_ref() {
        return Ok(Arc::clone(&s.pool));
    }
    let fresh = build_pool(wanted_threads()?)?;
    *guard = Some(Slot {
        pool: Arc::clone(&fresh),
        pid: std::process::id(),
    });
    Ok(fresh)
}

/// Resize the pool: `threads` ≥ 1, or 0 for the default (the environment
/// variable, else the number of CPUs). Calls already running finish on the
/// old pool, which is then dropped (its threads exit).
pub fn set_threads(py: Python<'_>, threads: usize) -> PyResult<()> {
    REQUESTED.store(threads, Ordering::Relaxed);
    let fresh = build_pool(wanted_threads()?)?;
    let old = slot(py).replace(Slot {
        pool: fresh,
        pid: std::process::id(),
    });
    // Drop the old pool (if no call holds it) outside the lock and without
    // the GIL: its threads may be finishing work that needs the GIL.
    py.detach(move || drop(old));
    Ok(())
}

/// Threads of the pool in use (building it if needed).
pub fn threads(py: Python<'_>) -> PyResult<usize> {
    Ok(pool(py)?.current_num_threads())
}

/// Called in a forked child: the inherited pool has no threads; forget it
/// (without dropping it) so the next call builds a new one.
pub fn forget_pool_after_fork(py: Python<'_>) {
    // `slot` sees the new process id and forgets the inherited pool.
    drop(slot(py));
}

/// Run `work` without the GIL at `place`, converting a core error or a
/// panic into a Python exception. Every call that scans, predicts, loads or
/// saves goes through here.
pub fn run<T, F>(py: Python<'_>, place: Place, work: F) -> PyResult<T>
where
    F: FnOnce() -> mira::Result<T> + Send,
    T: Send,
{
    let outcome = match place {
        Place::Caller => py.detach(|| catch_unwind(AssertUnwindSafe(work))),
        Place::Pool => {
            let pool = pool(py)?;
            py.detach(move || {
                let outcome = catch_unwind(AssertUnwindSafe(|| pool.install(work)));
                // The last user of a pool replaced by `set_threads` drops it
                // here, off the GIL.
                drop(pool);
                outcome
            })
        }
    };
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(errors::to_py(err)),
        Err(panic) => Err(errors::from_panic(panic)),
    }
}

/// Like [`run`] for quick work that needs no GIL release but must not let a
/// panic or a core error escape unconverted (conversions, small lookups).
pub fn quick<T, F>(work: F) -> PyResult<T>
where
    F: FnOnce() -> mira::Result<T>,
{
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(errors::to_py(err)),
        Err(panic) => Err(errors::from_panic(panic)),
    }
}
