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

/// The JSON Schema (2020-12) of one of the core's input types, by name:
/// the schema `schemas/<name>.schema.json` holds, generated from the
/// core's types (an MCP server or an LLM tool definition can hand it on).
///
/// Args:
///     name: the type's name: `"Preferences"`, `"ListingInput"`,
///         `"SimilarFilters"`, `"SearchQuery"`, `"ProfileSpec"`,
///         `"TrainSpec"`, ... (every name of the core's
///         `schema::input_types()`).
///
/// Returns:
///     dict: the schema (`$schema`, `title`, `properties`, `$defs`, ...).
///
/// Raises:
///     InvalidFieldError: an unknown name (a ValueError; the message lists
///         the names).
///
/// Example:
///     >>> mira.input_schema("SearchQuery")["properties"]["limit"]["maximum"]
///     10000
#[pyfunction]
fn input_schema<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    let types = mira::schema::input_types();
    let schema = guard::quick(|| {
        types
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.schema())
            .ok_or_else(|| {
                mira::MiraError::invalid(
                    mira::RecordRef::Other("input_schema".into()),
                    "name",
                    format!("{name:?}"),
                    format!(
                        "one of {}",
                        types.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
                    ),
                )
            })
    })?;
    convert::serde_to_py(py, &schema)
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<catalog::PyCatalog>()?;
    m.add_class::<engine::PyEngine>()?;
    m.add_class::<engine::PyRecommendation>()?;
    m.add_class::<model::PyPriceModel>()?;
    m.add_function(wrap_pyfunction!(vectors::hashed_ngrams, m)?)?;
    m.add_function(wrap_pyfunction!(input_schema, m)?)?;
    m.add_function(wrap_pyfunction!(set_threads, m)?)?;
    m.add_function(wrap_pyfunction!(get_threads, m)?)?;
    m.add_function(wrap_pyfunction!(_after_fork_in_child, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("THREADS_ENV", guard::THREADS_ENV)?;
    m.add("MAX_RESULTS", mira::engine::MAX_RESULTS)?;
    m.add("MAX_EMBEDDING_DIM", mira::MAX_EMBEDDING_DIM)?;
    Ok(())
}
