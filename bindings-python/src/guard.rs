//! The one guard every heavy entry point goes through: it releases the GIL,
//! runs the work on the module's rayon pool, turns a panic into a Python
//! exception and converts core errors (see [`crate::errors`]).
//!
//! The pool is the module's own (not rayon's global one) so that it can be
//! resized by `set_threads` and rebuilt in a forked child: after `fork` only
//! the forking thread exists in the child, and a pool inherited from the
//! parent has no workers left, so using it would hang forever. The Python
//! package registers `os.register_at_fork(after_in_child=...)`, which calls
//! [`forget_pool_after_fork`]; the next call in the child builds a fresh pool.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use pyo3::prelude::*;
use rayon::ThreadPool;

use crate::errors;

/// Environment variable read when the first pool is built.
pub const THREADS_ENV: &str = "AGENT_MIRA_THREADS";

/// The pool in use, or null when none is built yet (or after a fork).
/// Pools are never freed: one replaced by `set_threads` may still be running
/// a call on another thread, and one inherited through `fork` has no threads
/// to join. Both happen a handful of times per process at most.
static POOL: AtomicPtr<ThreadPool> = AtomicPtr::new(ptr::null_mut());

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

fn build_pool(threads: usize) -> PyResult<&'static ThreadPool> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("agent-mira-{i}"))
        .build()
        .map_err(|e| errors::internal(format!("cannot start {threads} worker threads: {e}")))?;
    Ok(Box::leak(Box::new(pool)))
}

/// The pool, built on first use.
fn pool() -> PyResult<&'static ThreadPool> {
    let current = POOL.load(Ordering::Acquire);
    if !current.is_null() {
        // SAFETY: pools are leaked, so a non-null pointer stays valid.
        return Ok(unsafe { &*current });
    }
    let fresh = build_pool(wanted_threads()?)?;
    let fresh_ptr = fresh as *const ThreadPool as *mut ThreadPool;
    match POOL.compare_exchange(
        ptr::null_mut(),
        fresh_ptr,
        Ordering::AcqRel,
        Ordering::Acquire,
    ) {
        Ok(_) => Ok(fresh),
        // Another thread won the race; use its pool (ours stays idle).
        Err(other) => Ok(unsafe { &*other }),
    }
}

/// Resize the pool: `threads` ≥ 1, or 0 for the default (the environment
/// variable, else the number of CPUs). Calls already running finish on the
/// old pool.
pub fn set_threads(threads: usize) -> PyResult<()> {
    REQUESTED.store(threads, Ordering::Relaxed);
    let fresh = build_pool(wanted_threads()?)?;
    POOL.store(
        fresh as *const ThreadPool as *mut ThreadPool,
        Ordering::Release,
    );
    Ok(())
}

/// Threads of the pool in use (building it if needed).
pub fn threads() -> PyResult<usize> {
    Ok(pool()?.current_num_threads())
}

/// Called in a forked child: the inherited pool has no threads; drop the
/// pointer (without touching the pool) so the next call builds a new one.
pub fn forget_pool_after_fork() {
    POOL.store(ptr::null_mut(), Ordering::Release);
}

/// Run `work` without the GIL on the module's pool, converting a core error
/// or a panic into a Python exception. Every call that scans, predicts,
/// loads or saves goes through here.
pub fn run<T, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    F: FnOnce() -> mira::Result<T> + Send,
    T: Send,
{
    let pool = pool()?;
    let outcome = py.detach(|| catch_unwind(AssertUnwindSafe(|| pool.install(work))));
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
