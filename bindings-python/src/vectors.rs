//! Listing vectors (embeddings) between NumPy and the core: the matrix of
//! `Catalog.with_embeddings`, the `embedding` column of `from_pandas`, the
//! read-only view of `Catalog.embeddings()` and `hashed_ngrams`.
//!
//! The rule throughout: vectors cross as one contiguous `f32` matrix, read
//! in place when the caller's array already is one, and checked,
//! normalised and attached by the core (`Catalog::with_embeddings`), whose
//! errors name the row, the listing and the index.

use mira::embedding::{self, MAX_EMBEDDING_DIM};
use mira::{Catalog, MiraError, PropertyId, RecordRef};
use numpy::ndarray::{Array2, ArrayView2};
use numpy::{
    IntoPyArray, PyArray2, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2,
    PyUntypedArrayMethods,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyFloat, PyList, PyString, PyTuple};
use rayon::prelude::*;

use crate::catalog::PyCatalog;
use crate::guard::Place;
use crate::model::require_numpy;
use crate::{convert, errors, guard};

/// Texts from which `hashed_ngrams` fills the matrix on the pool; fewer
/// are embedded on the calling thread (a pool hand-off costs more).
pub const PARALLEL_MIN_TEXTS: usize = 256;

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// "1 number", "384 numbers" (the core's wording).
fn numbers(n: usize) -> String {
    if n == 1 {
        "1 number".into()
    } else {
        format!("{n} numbers")
    }
}

/// Listing ids for `with_embeddings`: any iterable of `int` / `str`; a
/// NumPy array is read through `tolist()` (one C-level conversion).
pub fn ids_arg(obj: &Bound<'_, PyAny>) -> PyResult<Vec<PropertyId>> {
    if type_name(obj) == "ndarray" {
        return convert::ids_from_py(&obj.call_method0("tolist")?);
    }
    convert::ids_from_py(obj)
}

/// The matrix of `with_embeddings`, row-major `f32`.
pub enum Matrix<'py> {
    /// The caller's own float32 C-contiguous buffer, read in place.
    Borrowed(PyReadonlyArray2<'py, f32>),
    /// A converted copy and its number of columns.
    Owned(Vec<f32>, usize),
}

impl Matrix<'_> {
    /// The numbers, row-major, and the number per row.
    pub fn parts(&self) -> PyResult<(&[f32], usize)> {
        match self {
            Matrix::Borrowed(a) => Ok((
                a.as_slice()
                    .map_err(|e| errors::internal(format!("embeddings matrix: {e}")))?,
                a.shape()[1],
            )),
            Matrix::Owned(v, dim) => Ok((v, *dim)),
        }
    }
}

/// `array` of `with_embeddings` as a row-major `float32` matrix with `rows`
/// rows: the caller's own buffer when it already is one (no copy); a
/// float64 array (any layout) rounded to float32 by Rust in one pass (a
/// number beyond float32's range becomes infinite, which the core refuses
/// by index); anything else converted once by NumPy
/// (`ascontiguousarray(..., float32)`: other float and integer dtypes,
/// strided views, Fortran order, nested lists).
pub fn matrix_arg<'py>(
    py: Python<'py>,
    array: &Bound<'py, PyAny>,
    rows: usize,
) -> PyResult<Matrix<'py>> {
    let np = require_numpy(py, "Catalog.with_embeddings")?;
    let record = || RecordRef::Other("with_embeddings".into());
    let arr = if type_name(array) == "ndarray" {
        array.clone()
    } else {
        np.call_method1("asarray", (array,)).map_err(|e| {
            errors::type_error(format!(
                "with_embeddings: `array` must be a 2-D numpy array (one row per id), got {} ({e})",
                type_name(array)
            ))
        })?
    };
    let dtype = arr.getattr("dtype")?;
    let kind: String = dtype.getattr("kind")?.extract()?;
    let shape = arr.getattr("shape")?;
    let dims: Vec<usize> = shape.extract()?;
    if !matches!(kind.as_str(), "f" | "i" | "u") {
        return Err(errors::to_py(MiraError::invalid(
            record(),
            "array",
            format!("an array of dtype {}", dtype.str()?),
            "numbers: a float32 array (read in place), or another float or integer dtype (converted to float32 once)",
        )));
    }
    if dims.len() != 2 {
        return Err(errors::to_py(MiraError::invalid(
            record(),
            "array",
            format!("a {}-D array of shape {}", dims.len(), shape.repr()?),
            format!("a 2-D array of shape ({rows}, dim): one row per id"),
        )));
    }
    if dims[0] != rows {
        return Err(errors::to_py(MiraError::invalid(
            record(),
            "array",
            format!("{} rows (shape {})", dims[0], shape.repr()?),
            format!("{rows} rows, one per id (shape ({rows}, dim))"),
        )));
    }
    if let Ok(a) = arr.cast::<PyArray2<f32>>() {
        if a.is_c_contiguous() {
            return Ok(Matrix::Borrowed(a.readonly()));
        }
    }
    if let Ok(a) = arr.cast::<PyArray2<f64>>() {
        let a = a.readonly();
        let view = a.as_array();
        let numbers: Vec<f32> = py.detach(|| view.iter().map(|&x| x as f32).collect());
        return Ok(Matrix::Owned(numbers, dims[1]));
    }
    let kwargs = PyDict::new(py);
    kwargs.set_item("dtype", np.getattr("float32")?)?;
    let converted = np.call_method("ascontiguousarray", (arr,), Some(&kwargs))?;
    Ok(Matrix::Borrowed(
        converted.cast_into::<PyArray2<f32>>()?.readonly(),
    ))
}

/// Attach `matrix` (rows × dim, row-major) to `catalog` for `ids`, without
/// the GIL and on the pool (the core checks and normalises rows in
/// parallel).
pub fn attach(
    py: Python<'_>,
    catalog: &Catalog,
    ids: &[PropertyId],
    matrix: &[f32],
    dim: usize,
) -> PyResult<Catalog> {
    guard::run(py, Place::Pool, || {
        catalog.with_embeddings(ids, matrix, dim)
    })
}

/// The catalog's matrix as a read-only `float32` array (rows × dim) over
/// the core's own buffer, kept alive by the `Catalog` object (its base).
pub fn view<'py>(slf: &Bound<'py, PyCatalog>) -> PyResult<Bound<'py, PyAny>> {
    let py = slf.py();
    require_numpy(py, "Catalog.embeddings")?;
    let catalog = &slf.get().inner;
    let e = catalog.embeddings();
    let arr: Bound<'py, PyArray2<f32>> = if e.dim() == 0 {
        Array2::<f32>::zeros((catalog.len(), 0)).into_pyarray(py)
    } else {
        let view = ArrayView2::from_shape((e.len(), e.dim()), e.data())
            .map_err(|err| errors::internal(format!("embeddings matrix: {err}")))?;
        // SAFETY: the data belongs to the catalog held by `slf`, which is
        // frozen (its catalog is never replaced) and immutable (a catalog's
        // matrix never changes nor moves once built); the array keeps `slf`
        // alive as its base, so the buffer outlives the array.
        unsafe { PyArray2::borrow_from_array(&view, slf.clone().into_any()) }
    };
    let kwargs = PyDict::new(py);
    kwargs.set_item("write", false)?;
    arr.call_method("setflags", (), Some(&kwargs))?;
    Ok(arr.into_any())
}

/// Which rows have a vector, as a `bool` array (a copy: one byte a row).
pub fn present<'py>(py: Python<'py>, catalog: &Catalog) -> PyResult<Bound<'py, PyAny>> {
    require_numpy(py, "Catalog.has_embedding")?;
    let e = catalog.embeddings();
    let flags: Vec<bool> = (0..catalog.len()).map(|r| e.present(r)).collect();
    Ok(numpy::ndarray::Array1::from(flags)
        .into_pyarray(py)
        .into_any())
}

/// What went wrong with one cell of an `embedding` column, reported once
/// the catalog (and so each row's listing id) is known.
enum CellProblem {
    /// Not a vector nor a missing value (`index`: the element, if that was it).
    Type {
        row: usize,
        index: Option<usize>,
        found: String,
    },
    /// A length other than the first vector's (or none / too many numbers).
    Length {
        row: usize,
        got: usize,
        dim: usize,
        first_row: usize,
    },
}

/// The vectors of an `embedding` column, stacked into one matrix.
pub struct Stacked {
    /// DataFrame rows with a vector (matrix row `j` is frame row `rows[j]`).
    pub rows: Vec<usize>,
    /// `rows.len() × dim` numbers, row-major.
    pub data: Vec<f32>,
    /// Numbers per vector (the first vector's length).
    pub dim: usize,
    problem: Option<CellProblem>,
}

/// A cell that means "no vector": None, a float NaN, `pd.NA`.
fn is_missing(cell: &Bound<'_, PyAny>) -> bool {
    cell.is_none()
        || cell.cast::<PyFloat>().is_ok_and(|f| f.value().is_nan())
        || type_name(cell) == "NAType"
}

/// Append one cell's numbers to `out`; `Err(Some(i))` names the element
/// that is not a number, `Err(None)` a cell that is no vector at all.
fn push_cell(
    np: &Bound<'_, PyModule>,
    cell: &Bound<'_, PyAny>,
    out: &mut Vec<f32>,
) -> PyResult<Result<(), (Option<usize>, String)>> {
    if type_name(cell) == "ndarray" {
        let ndim: usize = cell.getattr("ndim")?.extract()?;
        let kind: String = cell.getattr("dtype")?.getattr("kind")?.extract()?;
        if ndim != 1 || !matches!(kind.as_str(), "f" | "i" | "u") {
            let dtype = cell.getattr("dtype")?.str()?.to_string();
            return Ok(Err((None, format!("a {ndim}-D {dtype} numpy array"))));
        }
        if let Ok(a) = cell.extract::<PyReadonlyArray1<'_, f32>>() {
            out.extend(a.as_array().iter());
            return Ok(Ok(()));
        }
        let a = if let Ok(a) = cell.extract::<PyReadonlyArray1<'_, f64>>() {
            a
        } else {
            np.call_method1("asarray", (cell, "float64"))?
                .extract::<PyReadonlyArray1<'_, f64>>()?
        };
        // Cast in Rust: a number beyond f32's range becomes ±inf, which the
        // core then refuses by index (NumPy's cast would also warn).
        out.extend(a.as_array().iter().map(|&x| x as f32));
        return Ok(Ok(()));
    }
    let items: Vec<Bound<'_, PyAny>> = if let Ok(l) = cell.cast::<PyList>() {
        l.iter().collect()
    } else if let Ok(t) = cell.cast::<PyTuple>() {
        t.iter().collect()
    } else {
        return Ok(Err((None, type_name(cell))));
    };
    for (i, item) in items.iter().enumerate() {
        let number =
            !item.is_instance_of::<PyString>() && !item.is_none() && item.hasattr("__float__")?;
        match number.then(|| item.extract::<f64>()).and_then(Result::ok) {
            Some(x) => out.push(x as f32),
            None => return Ok(Err((Some(i), type_name(item)))),
        }
    }
    Ok(Ok(()))
}

/// Stack the cells of an `embedding` column (a Python list, one cell per
/// frame row) into one matrix. The loop is Rust's; each cell is read
/// without a copy when it is a float32 array, else converted once.
pub fn stack(py: Python<'_>, cells: &Bound<'_, PyAny>) -> PyResult<Stacked> {
    let np = require_numpy(py, "Catalog.from_pandas (an embedding column)")?;
    let mut s = Stacked {
        rows: Vec::new(),
        data: Vec::new(),
        dim: 0,
        problem: None,
    };
    let mut first_row = 0;
    for (row, cell) in cells.try_iter()?.enumerate() {
        let cell = cell?;
        if is_missing(&cell) {
            continue;
        }
        let before = s.data.len();
        if let Err((index, found)) = push_cell(&np, &cell, &mut s.data)? {
            s.problem = Some(CellProblem::Type { row, index, found });
            break;
        }
        let got = s.data.len() - before;
        if s.rows.is_empty() {
            first_row = row;
            s.dim = got;
        }
        if got != s.dim || got == 0 || got > MAX_EMBEDDING_DIM {
            s.problem = Some(CellProblem::Length {
                row,
                got,
                dim: s.dim,
                first_row,
            });
            break;
        }
        if s.rows.is_empty() {
            s.data.reserve(s.dim * cells.len().unwrap_or(0));
        }
        s.rows.push(row);
    }
    Ok(s)
}

/// `record #3 (listing 17)`: how the core names a listing record.
fn listing_record(row: usize, id: &PropertyId) -> RecordRef {
    RecordRef::Other(format!("{} (listing {id})", RecordRef::Index(row)))
}

impl Stacked {
    /// Attach the stacked vectors to `catalog` (built from the same frame,
    /// row for row), or report the first bad cell. Errors name the frame's
    /// record and listing as `from_records` would (`record #3 (listing
    /// 17): field `embedding[1]` = NaN: expected a finite number`).
    pub fn attach(self, py: Python<'_>, catalog: &Catalog) -> PyResult<Catalog> {
        let id = |row: usize| catalog.property(row).id.clone();
        match self.problem {
            Some(CellProblem::Type { row, index, found }) => {
                let (field, expected) = match index {
                    Some(i) => (format!("embedding[{i}]"), "a number"),
                    None => (
                        "embedding".to_string(),
                        "a list of numbers, a 1-D numeric numpy array, or None / NaN for no vector",
                    ),
                };
                return Err(errors::type_error(format!(
                    "{}: field `{field}` has Python type {found}: expected {expected}",
                    listing_record(row, &id(row))
                )));
            }
            Some(CellProblem::Length {
                row,
                got,
                dim,
                first_row,
            }) => {
                let record = listing_record(row, &id(row));
                let err = if got == 0 || got > MAX_EMBEDDING_DIM {
                    MiraError::invalid(
                        record,
                        "embedding",
                        numbers(got),
                        format!("between 1 and {MAX_EMBEDDING_DIM} numbers"),
                    )
                } else {
                    MiraError::invalid(
                        record,
                        "embedding",
                        numbers(got),
                        format!(
                            "{}, the catalog's dimension (set by listing {})",
                            numbers(dim),
                            id(first_row)
                        ),
                    )
                };
                return Err(errors::to_py(err));
            }
            None if self.rows.is_empty() => return Ok(catalog.clone()),
            None => {}
        }
        let ids: Vec<PropertyId> = self.rows.iter().map(|&r| id(r)).collect();
        let rows = &self.rows;
        guard::run(py, Place::Pool, || {
            catalog
                .with_embeddings(&ids, &self.data, self.dim)
                .map_err(|e| relabel(e, rows, &ids))
        })
    }
}

/// The core names a bad row of the matrix `embeddings row j (listing X)`;
/// from a DataFrame that row is frame row `rows[j]`: name it as the record
/// `from_records` would (`record #r (listing X)`).
fn relabel(err: MiraError, rows: &[usize], ids: &[PropertyId]) -> MiraError {
    let matrix_row = |record: &RecordRef| -> Option<usize> {
        let RecordRef::Other(text) = record else {
            return None;
        };
        let rest = text.strip_prefix("embeddings row ")?;
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok().filter(|&j: &usize| j < rows.len())
    };
    match err {
        MiraError::InvalidField {
            record,
            field,
            value,
            expected,
        } => match matrix_row(&record) {
            Some(j) => MiraError::InvalidField {
                record: listing_record(rows[j], &ids[j]),
                field,
                value,
                expected,
            },
            None => MiraError::InvalidField {
                record,
                field,
                value,
                expected,
            },
        },
        other => other,
    }
}

/// A deterministic toy embedding of text, for tests and examples that must
/// run offline: hashed character 3-grams (lower-cased, whitespace folded),
/// each added with a ±1 sign to bucket `hash % dim`, then scaled to unit
/// length. It captures spelling overlap only: not a semantic (language)
/// model. Attach vectors from a real model the same way
/// (`Catalog.with_embeddings`).
///
/// The recipe (FNV-1a 64 of each 3-gram's UTF-8 bytes) is the Rust core's
/// `agent_mira::embedding::hashed_ngrams`, so Rust, Python and Node give
/// the same numbers.
///
/// Args:
///     text_or_texts: one `str`, or a list (any iterable) of `str`.
///     dim: numbers per vector, 1 to 4096.
///
/// Returns:
///     numpy.ndarray: float32; for one text a 1-D array of `dim` numbers,
///     for a list a 2-D array (`len(texts)` × `dim`), filled by Rust
///     (in parallel for many texts). An empty text gives zeros, which a
///     listing refuses as its embedding.
///
/// Raises:
///     InvalidFieldError: `dim` out of range.
///     MiraTypeError: a text that is not a `str`, or `dim` not an int.
///
/// Example:
///     >>> v = mira.hashed_ngrams("Sunny condo near the lake", 32)
///     >>> v.shape, v.dtype.name, round(float(v @ v), 5)
///     ((32,), 'float32', 1.0)
///     >>> m = mira.hashed_ngrams(["Sunny condo", "sunny  CONDO"], 8)
///     >>> m.shape, bool((m[0] == m[1]).all())
///     ((2, 8), True)
#[pyfunction]
#[pyo3(signature = (text_or_texts, dim))]
pub fn hashed_ngrams<'py>(
    py: Python<'py>,
    text_or_texts: &Bound<'py, PyAny>,
    dim: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    require_numpy(py, "hashed_ngrams")?;
    let dim = convert::count(dim, "dim")?;
    if dim == 0 || dim > MAX_EMBEDDING_DIM {
        return Err(errors::to_py(MiraError::invalid(
            RecordRef::Other("hashed_ngrams".into()),
            "dim",
            dim,
            format!("between 1 and {MAX_EMBEDDING_DIM} numbers per vector"),
        )));
    }
    if let Ok(s) = text_or_texts.cast::<PyString>() {
        let text = s.extract::<String>()?;
        let v = guard::run(py, Place::Caller, || {
            Ok(embedding::hashed_ngrams(&text, dim))
        })?;
        return Ok(v.into_pyarray(py).into_any());
    }
    let not_texts = || {
        errors::type_error(format!(
            "hashed_ngrams: expected a str or a list of str, got {}",
            type_name(text_or_texts)
        ))
    };
    if text_or_texts.cast::<PyBytes>().is_ok() || text_or_texts.cast::<PyDict>().is_ok() {
        return Err(not_texts());
    }
    let mut texts = Vec::new();
    for (i, item) in text_or_texts
        .try_iter()
        .map_err(|_| not_texts())?
        .enumerate()
    {
        let item = item?;
        let Ok(s) = item.cast::<PyString>() else {
            return Err(errors::type_error(format!(
                "hashed_ngrams: texts[{i}] has Python type {}: expected str",
                type_name(&item)
            )));
        };
        texts.push(s.extract::<String>()?);
    }
    let n = texts.len();
    let place = if n >= PARALLEL_MIN_TEXTS {
        Place::Pool
    } else {
        Place::Caller
    };
    let matrix = guard::run(py, place, move || {
        let mut m = Array2::<f32>::zeros((n, dim));
        let fill = |(row, text): (&mut [f32], &String)| {
            row.copy_from_slice(&embedding::hashed_ngrams(text, dim));
        };
        let data = m
            .as_slice_mut()
            .expect("a new Array2 is contiguous and in standard order");
        if place == Place::Pool {
            data.par_chunks_mut(dim)
                .zip(texts.par_iter())
                .for_each(fill);
        } else {
            data.chunks_mut(dim).zip(texts.iter()).for_each(fill);
        }
        Ok(m)
    })?;
    Ok(matrix.into_pyarray(py).into_any())
}
