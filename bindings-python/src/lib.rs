//! The compiled part of the Python package `agent_mira` (imported as
//! `agent_mira._core`; the pure-Python `agent_mira/__init__.py` re-exports
//! it and defines the exception classes).
//!
//! This crate is thin by design: it converts values ([`convert`]), maps
//! errors ([`errors`]) and releases the GIL around every heavy call
//! ([`guard`]). Everything that thinks lives in the core crate.

use pyo3::prelude::*;

mod catalog;
mod convert;
mod engine;
mod errors;
mod guard;
mod model;
mod vectors;

/// Use `threads` worker threads for parallel work (`recommend_batch`,
/// engine building, batch prediction, training).
///
/// Calls already running finish on the old pool, which is then shut down
/// (its threads exit): resizing leaks nothing.
///
/// Args:
///     threads: the number of threads; 0 restores the default (the
///         `AGENT_MIRA_THREADS` environment variable, else one per CPU).
///
/// Returns:
///     None.
///
/// Raises:
///     InvalidFieldError: a negative number.
///     MiraTypeError: not an int.
///
/// Example:
///     >>> import agent_mira as mira
///     >>> mira.set_threads(2)
///     >>> mira.get_threads()
///     2
///     >>> mira.set_threads(0)
#[pyfunction]
fn set_threads(py: Python<'_>, threads: &Bound<'_, PyAny>) -> PyResult<()> {
    let n = convert::count(threads, "threads")?;
    guard::set_threads(py, n)
}

/// The number of worker threads in use.
///
/// Returns:
///     int: the size of the pool (see `set_threads`).
///
/// Raises:
///     None.
///
/// Example:
///     >>> mira.get_threads() >= 1
///     True
#[pyfunction]
fn get_threads(py: Python<'_>) -> PyResult<usize> {
    guard::threads(py)
}

/// Called by `os.register_at_fork(after_in_child=...)`: the child must not
/// use the parent's pool (its threads do not exist after fork).
#[pyfunction]
fn _after_fork_in_child(py: Python<'_>) {
    guard::forget_pool_after_fork(py);
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<catalog::PyCatalog>()?;
    m.add_class::<engine::PyEngine>()?;
    m.add_class::<engine::PyRecommendation>()?;
    m.add_class::<model::PyPriceModel>()?;
    m.add_function(wrap_pyfunction!(vectors::hashed_ngrams, m)?)?;
    m.add_function(wrap_pyfunction!(set_threads, m)?)?;
    m.add_function(wrap_pyfunction!(get_threads, m)?)?;
    m.add_function(wrap_pyfunction!(_after_fork_in_child, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("THREADS_ENV", guard::THREADS_ENV)?;
    m.add("MAX_RESULTS", mira::engine::MAX_RESULTS)?;
    m.add("MAX_EMBEDDING_DIM", mira::MAX_EMBEDDING_DIM)?;
    Ok(())
}
