//! `agent_mira.Catalog`: an immutable, versioned snapshot of listings.

use std::path::PathBuf;

use mira::catalog::loaders::{self, CsvMapping, LoadOptions, OnDuplicate};
use mira::{Catalog, CatalogBuilder, MiraError, Property, RecordRef};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};
use serde_json::Value;

use crate::convert::{self, Mode};
use crate::guard::Place;
use crate::{errors, guard, vectors};

/// An immutable, versioned snapshot of listings. Updates (`upsert`,
/// `remove`) return new catalogs; the old one never changes.
///
/// `Catalog(current_year=None)` is an empty catalog; catalogs with
/// listings come from `Catalog.from_records`, `Catalog.from_pandas`,
/// `Catalog.from_path` or `Catalog.load`.
///
/// Args:
///     current_year: the year that bounds `year_built` when listings are
///         validated; None (the default) reads the clock.
///
/// Returns:
///     Catalog: empty, version 1.
///
/// Raises:
///     TypeError: `current_year` is not an int.
///
/// Example:
///     >>> import agent_mira as mira
///     >>> len(mira.Catalog())
///     0
///     >>> catalog = mira.Catalog.from_records([
///     ...     {"id": 1, "price": 450_000, "bedrooms": 3},
///     ...     {"id": "kc-2", "price": 380_000},
///     ... ])
///     >>> catalog, catalog[1]["price"], "kc-2" in catalog
///     (Catalog(len=2, version=1), 450000.0, True)
///
/// The examples of the methods use this `catalog`, and `tmp`, a directory
/// (a `pathlib.Path`).
#[pyclass(name = "Catalog", module = "agent_mira", frozen)]
#[derive(Clone)]
pub struct PyCatalog {
    pub inner: Catalog,
}

fn builder(current_year: Option<i32>) -> CatalogBuilder {
    match current_year {
        Some(y) => Catalog::builder().current_year(y),
        None => Catalog::builder(),
    }
}

/// Listing records → a catalog, by the core's in-memory loader (errors name
/// the record: `record #3 (listing 17)`).
fn from_values(values: Vec<Value>, current_year: Option<i32>) -> mira::Result<Catalog> {
    loaders::from_values(values, LoadOptions::new().builder(builder(current_year)))
}

/// `mapping=`: a preset name (`"king-county"`) or a dict, never a path (a
/// mapping file is `mapping_file=`), as Node's `mapping` option.
fn mapping_from_py(obj: &Bound<'_, PyAny>) -> PyResult<CsvMapping> {
    if let Ok(name) = obj.cast::<PyString>() {
        let name = name.extract::<String>()?;
        return guard::quick(|| CsvMapping::preset(&name).map_err(point_files_at_mapping_file));
    }
    let record = RecordRef::Other("CSV mapping".into());
    let mode = Mode {
        record: &record,
        nan_is_missing: false,
    };
    let value = convert::object(obj, mode, "a CSV mapping (preset name or dict)")?;
    guard::quick(|| CsvMapping::from_json(&value.to_string()))
}

/// An unknown preset whose name looks like a file (a directory separator,
/// a `.json` ending): the hint says where mapping files go.
fn point_files_at_mapping_file(err: MiraError) -> MiraError {
    match err {
        MiraError::Unsupported { what, name, hint }
            if name.contains(['/', '\\']) || name.to_ascii_lowercase().ends_with(".json") =>
        {
            let hint = hint.map_or_else(String::new, |h| format!("{h}; "));
            MiraError::Unsupported {
                hint: Some(format!("{hint}a mapping file goes in `mapping_file`")),
                what,
                name,
            }
        }
        other => other,
    }
}

/// `mapping=` and `mapping_file=` of `from_path`: at most one of them.
fn csv_mapping(
    mapping: Option<&Bound<'_, PyAny>>,
    mapping_file: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<CsvMapping>> {
    match (mapping, mapping_file) {
        (Some(_), Some(file)) => Err(errors::to_py(MiraError::invalid(
            RecordRef::Other("load settings".into()),
            "mapping_file",
            format!("{:?}", path_from_py(file)?.display().to_string()),
            "no `mapping` beside it (give a preset name or dict in `mapping`, or a file in `mapping_file`, not both)",
        ))),
        (Some(m), None) => mapping_from_py(m).map(Some),
        (None, Some(file)) => {
            let file = path_from_py(file)?;
            guard::quick(|| CsvMapping::from_path(&file)).map(Some)
        }
        (None, None) => Ok(None),
    }
}

fn on_duplicate_from_py(obj: &Bound<'_, PyAny>) -> PyResult<OnDuplicate> {
    let text: String = obj
        .extract()
        .map_err(|_| errors::type_error("on_duplicate: expected \"error\" or \"keep_last\""))?;
    serde_json::from_value(Value::String(text.clone())).map_err(|_| {
        errors::to_py(MiraError::invalid(
            RecordRef::Other("load settings".into()),
            "on_duplicate",
            format!("{text:?}"),
            "\"error\" or \"keep_last\"",
        ))
    })
}

fn path_from_py(obj: &Bound<'_, PyAny>) -> PyResult<PathBuf> {
    obj.extract::<PathBuf>().map_err(|_| {
        errors::type_error(format!(
            "path: expected str or os.PathLike, got {}",
            obj.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })
}

#[pymethods]
impl PyCatalog {
    /// An empty catalog.
    #[new]
    #[pyo3(signature = (current_year=None))]
    fn new(current_year: Option<i32>) -> Self {
        PyCatalog {
            inner: builder(current_year).build(),
        }
    }

    /// A catalog from listing dicts, validated by the core.
    ///
    /// Args:
    ///     records: an iterable of dicts with the keys of
    ///         `agent_mira.ListingInput` (a `TypedDict`); only `id` (int or
    ///         str) and `price` are required.
    ///     current_year: the year that bounds `year_built`; None (the
    ///         default) reads the clock.
    ///
    /// Returns:
    ///     Catalog: version 1, listings in the order given.
    ///
    /// Raises:
    ///     MissingFieldError: a record without `id` or `price`.
    ///     InvalidFieldError: a bad value; the message names the record
    ///         (`record #3 (listing 17)`), the field and the value.
    ///     UnknownFieldError: a key the schema does not know ("did you mean").
    ///     DuplicateIdError: two records with one id.
    ///     MiraTypeError: `records` is not a list of dicts.
    ///
    /// Example:
    ///     >>> catalog = mira.Catalog.from_records([
    ///     ...     {"id": 1, "price": 450_000, "bedrooms": 3},
    ///     ...     {"id": "kc-2", "price": 380_000},
    ///     ... ])
    ///     >>> catalog.ids()
    ///     [1, 'kc-2']
    #[staticmethod]
    #[pyo3(signature = (records, current_year=None))]
    fn from_records(
        py: Python<'_>,
        records: &Bound<'_, PyAny>,
        current_year: Option<i32>,
    ) -> PyResult<Self> {
        let values = convert::records(records, false, "listing")?;
        let inner = guard::run(py, Place::Caller, move || from_values(values, current_year))?;
        Ok(PyCatalog { inner })
    }

    /// A catalog from a pandas DataFrame, one listing per row (columns named
    /// as the keys of `agent_mira.ListingInput`; an index named `id` is the id
    /// column). NaN, None, `pd.NA` and `NaT` cells are missing values.
    ///
    /// An `embedding` column holds each listing's vector: a list, tuple or
    /// 1-D NumPy array of numbers, or None / NaN for no vector. The vectors
    /// are stacked into one float32 matrix by Rust (no Python loop; a
    /// float32 array cell is read in place) and attached in one call, as
    /// by `with_embeddings`, giving the same catalog as the same listings
    /// with their `embedding` through `from_records`.
    ///
    /// Args:
    ///     df: the `pandas.DataFrame`.
    ///     current_year: the year that bounds `year_built`; None (the
    ///         default) reads the clock.
    ///
    /// Returns:
    ///     Catalog: version 1, listings in row order.
    ///
    /// Raises:
    ///     MiraTypeError: `df` is not a DataFrame, or an `embedding` cell
    ///         (or one of its numbers) of another type.
    ///     MissingFieldError, InvalidFieldError, UnknownFieldError,
    ///         DuplicateIdError: as for `from_records`; a vector of another
    ///         length than the first one, with NaN or infinity, or of zeros
    ///         is named by record, listing and index as there
    ///         (`record #2 (listing 3): field `embedding[1]` = NaN: expected
    ///         a finite number`).
    ///
    /// Example:
    ///     >>> import pandas as pd
    ///     >>> df = pd.DataFrame({"id": [1, 2], "price": [450_000, 380_000], "bedrooms": [3, None]})
    ///     >>> mira.Catalog.from_pandas(df).get(2)["price"]
    ///     380000.0
    #[staticmethod]
    #[pyo3(signature = (df, current_year=None))]
    fn from_pandas(
        py: Python<'_>,
        df: &Bound<'_, PyAny>,
        current_year: Option<i32>,
    ) -> PyResult<Self> {
        if !(df.hasattr("to_dict")? && df.hasattr("columns")?) {
            return Err(errors::type_error(format!(
                "from_pandas: expected a pandas DataFrame, got {}",
                df.get_type().name()?
            )));
        }
        // An `id` index (df.set_index("id")) is the id column.
        let columns: Vec<String> = df
            .getattr("columns")?
            .try_iter()?
            .map(|c| c.and_then(|c| c.str().map(|s| s.to_string())))
            .collect::<PyResult<_>>()?;
        let index_name = df.getattr("index")?.getattr("name")?;
        let df = if !columns.iter().any(|c| c == "id")
            && index_name.extract::<String>().is_ok_and(|n| n == "id")
        {
            df.call_method0("reset_index")?
        } else {
            df.clone()
        };
        // An `embedding` column travels as one matrix, not as JSON lists.
        let (df, cells) = if columns.iter().any(|c| c == "embedding") {
            let cells = df.get_item("embedding")?.call_method0("tolist")?;
            let kwargs = PyDict::new(py);
            kwargs.set_item("columns", PyList::new(py, ["embedding"])?)?;
            (df.call_method("drop", (), Some(&kwargs))?, Some(cells))
        } else {
            (df, None)
        };
        let stacked = match &cells {
            Some(cells) => Some(vectors::stack(py, cells)?),
            None => None,
        };
        let rows = df.call_method1("to_dict", ("records",))?;
        let values = convert::records(&rows, true, "listing")?;
        // With vectors, the listings are built as version 0 and attaching
        // them makes version 1, as for any other new catalog.
        let attaching = stacked.as_ref().is_some_and(|s| !s.rows.is_empty());
        let inner = guard::run(py, Place::Caller, move || {
            let b = builder(current_year);
            let b = if attaching { b.version(0) } else { b };
            loaders::from_values(values, LoadOptions::new().builder(b))
        })?;
        let inner = match stacked {
            Some(s) => s.attach(py, &inner)?,
            None => inner,
        };
        Ok(PyCatalog { inner })
    }

    /// A new catalog (the next version) in which listing `ids[i]` has the
    /// vector in row `i` of `array`; listings not named keep their vectors
    /// (or their lack of one). The catalog itself is unchanged.
    ///
    /// Each row is checked as a listing's `embedding` is (finite numbers,
    /// not all zero) and stored scaled to unit length, so this gives the
    /// same catalog as listings that carry their `embedding`. The work runs
    /// in parallel, without the GIL.
    ///
    /// Args:
    ///     ids: the listings, one per row: a list (any iterable) of ids,
    ///         `int` or `str` as in the catalog, or a NumPy integer array.
    ///     array: a 2-D NumPy array of shape `(len(ids), dim)`. A float32
    ///         C-contiguous array is read in place, without a copy; a
    ///         float64 array is rounded to float32 by Rust in one pass; any
    ///         other float or integer dtype, a strided view, a
    ///         Fortran-ordered array or a list of lists is converted to
    ///         float32 once by NumPy first (numbers beyond float32's range
    ///         become infinite, and are refused). `dim` must be the catalog's
    ///         dimension, unless the catalog has no vectors yet or `ids`
    ///         names every listing that has one (re-embedding with another
    ///         model).
    ///
    /// Returns:
    ///     Catalog: a new catalog, version `self.version + 1`.
    ///
    /// Raises:
    ///     InvalidFieldError: `array` is not 2-D, has another number of
    ///         rows than `ids`, or a dtype that is not numeric (the message
    ///         names `array` and the shape or dtype expected); a bad row
    ///         (`embeddings row 0 (listing 1): field `embedding[1]` = NaN:
    ///         expected a finite number`), another dimension than the
    ///         catalog's, a `dim` over 4096.
    ///     NotFoundError: an id not in the catalog.
    ///     DuplicateIdError: an id named twice.
    ///     MiraTypeError: an id that is neither an `int` nor a `str`.
    ///
    /// Example:
    ///     >>> import numpy as np
    ///     >>> vectors = catalog.with_embeddings([1, "kc-2"], np.array([[3, 4], [0, 2]], dtype=np.float32))
    ///     >>> vectors.version, vectors.embeddings().tolist()
    ///     (2, [[0.6000000238418579, 0.800000011920929], [0.0, 1.0]])
    fn with_embeddings(
        &self,
        py: Python<'_>,
        ids: &Bound<'_, PyAny>,
        array: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let ids = vectors::ids_arg(ids)?;
        let matrix = vectors::matrix_arg(py, array, ids.len())?;
        let (data, dim) = matrix.parts()?;
        let inner = vectors::attach(py, &self.inner, &ids, data, dim)?;
        Ok(PyCatalog { inner })
    }

    /// Every listing's vector, in catalog order (the order of `ids()`), as
    /// one read-only float32 NumPy array of shape `(len(catalog), dim)`:
    /// a view on the catalog's own memory, not a copy (it keeps the catalog
    /// alive). Vectors are stored at unit length; a listing without one
    /// has a row of zeros (see `has_embedding`). Without vectors the shape
    /// is `(len(catalog), 0)`.
    ///
    /// Returns:
    ///     numpy.ndarray: float32, read-only.
    ///
    /// Raises:
    ///     ImportError: numpy is not installed.
    ///
    /// Example:
    ///     >>> catalog.embeddings().shape
    ///     (2, 0)
    fn embeddings<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        vectors::view(slf)
    }

    /// Which listings have a vector, in catalog order (the rows of
    /// `embeddings()`).
    ///
    /// Returns:
    ///     numpy.ndarray: bool, one per listing (a copy).
    ///
    /// Raises:
    ///     ImportError: numpy is not installed.
    ///
    /// Example:
    ///     >>> catalog.has_embedding().tolist()
    ///     [False, False]
    fn has_embedding<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        vectors::present(py, &self.inner)
    }

    /// A summary of the catalog: size, prices, how often each field is
    /// known, places, amenities and vectors (the core's `CatalogStats`).
    ///
    /// Returns:
    ///     dict: `listings`, `version`, `price_min`, `price_median` (the
    ///     upper median), `price_max` (these three None for an empty
    ///     catalog), `known` (listings knowing each optional field, by
    ///     name), `locations` and `amenities` (lists of `(name, listings)`,
    ///     most listings first, then by name), `embedding_dim` (numbers per
    ///     vector, 0 without vectors), `listings_with_embedding` and
    ///     `embedding_bytes_per_listing` (memory the vectors take per
    ///     listing: `4 × embedding_dim + 1`, 0 without vectors).
    ///
    /// Raises:
    ///     None.
    ///
    /// Example:
    ///     >>> s = catalog.stats()
    ///     >>> s["listings"], s["price_median"], s["embedding_dim"]
    ///     (2, 450000.0, 0)
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = self.inner.stats();
        let price = |x: f64| (s.listings > 0).then_some(x);
        let d = PyDict::new(py);
        d.set_item("listings", s.listings)?;
        d.set_item("version", s.version)?;
        d.set_item("price_min", price(s.price_min))?;
        d.set_item("price_median", price(s.price_median))?;
        d.set_item("price_max", price(s.price_max))?;
        d.set_item("known", s.known.clone())?;
        d.set_item("locations", s.locations.clone())?;
        d.set_item("amenities", s.amenities.clone())?;
        d.set_item("embedding_dim", s.embedding_dim)?;
        d.set_item("listings_with_embedding", s.listings_with_embedding)?;
        d.set_item("embedding_bytes_per_listing", s.embedding_bytes_per_listing)?;
        Ok(d)
    }

    /// A catalog from a case-study directory or a `.json`, `.jsonl` or `.csv`
    /// file.
    ///
    /// Args:
    ///     path: the file or directory (`str` or `os.PathLike`).
    ///     mapping: how CSV columns map to listing fields: a preset name
    ///         (`"king-county"`) or a dict (`{"columns": {"sqft_living":
    ///         "size_sqft"}, "on_duplicate": "keep_last"}`), never a path;
    ///         None (the default): columns are named as the fields.
    ///     current_year: the year that bounds `year_built`; None (the
    ///         default) reads the clock.
    ///     on_duplicate: what to do with a repeated id: `"error"` (None, the
    ///         default, unless the mapping says otherwise) or `"keep_last"`.
    ///     mapping_file: the path of a JSON mapping file, instead of
    ///         `mapping` (not both); None by default.
    ///
    /// Returns:
    ///     Catalog: version 1.
    ///
    /// Raises:
    ///     MiraFileNotFoundError, MiraIOError: the file cannot be read.
    ///     ParseError: malformed JSON or CSV (file, line and column named).
    ///     UnsupportedError: an unknown file type or mapping preset.
    ///     MissingFieldError, InvalidFieldError, UnknownFieldError,
    ///         DuplicateIdError: a bad record, as for `from_records`.
    ///
    /// Example:
    ///     >>> catalog = mira.Catalog.from_path("kc_house_data.csv", mapping="king-county")  # doctest: +SKIP
    #[staticmethod]
    #[pyo3(signature = (path, mapping=None, current_year=None, on_duplicate=None, mapping_file=None))]
    fn from_path(
        py: Python<'_>,
        path: &Bound<'_, PyAny>,
        mapping: Option<&Bound<'_, PyAny>>,
        current_year: Option<i32>,
        on_duplicate: Option<&Bound<'_, PyAny>>,
        mapping_file: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let path = path_from_py(path)?;
        let mapping = csv_mapping(
            mapping.filter(|m| !m.is_none()),
            mapping_file.filter(|f| !f.is_none()),
        )?;
        let on_duplicate = match on_duplicate.filter(|d| !d.is_none()) {
            Some(d) => Some(on_duplicate_from_py(d)?),
            None => None,
        };
        let inner = guard::run(py, Place::Caller, move || {
            let mut options = LoadOptions::new().builder(builder(current_year));
            if let Some(m) = mapping {
                options = options.csv_mapping(m);
            }
            if let Some(d) = on_duplicate {
                options = options.on_duplicate(d);
            }
            loaders::load_path_with(&path, options)
        })?;
        Ok(PyCatalog { inner })
    }

    /// Load a snapshot written by `Catalog.save` (checks its format, version
    /// and checksum).
    ///
    /// Args:
    ///     path: the snapshot file (`str` or `os.PathLike`).
    ///
    /// Returns:
    ///     Catalog: the saved catalog, with its version.
    ///
    /// Raises:
    ///     MiraFileNotFoundError, MiraIOError: the file cannot be read.
    ///     CorruptFileError: a damaged file (checksum, truncation).
    ///     UnsupportedVersionError: a file from a newer agent-mira.
    ///
    /// Example:
    ///     >>> catalog.save(tmp / "listings.mirasnap")
    ///     >>> mira.Catalog.load(tmp / "listings.mirasnap").ids()
    ///     [1, 'kc-2']
    #[staticmethod]
    fn load(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let path = path_from_py(path)?;
        let inner = guard::run(py, Place::Caller, move || Catalog::load(&path))?;
        Ok(PyCatalog { inner })
    }

    /// Save the whole catalog as one checksummed snapshot file, atomically
    /// (a crash leaves the old file or the new one, never half of one).
    ///
    /// Args:
    ///     path: the file to write (`str` or `os.PathLike`).
    ///
    /// Returns:
    ///     None.
    ///
    /// Raises:
    ///     MiraIOError (MiraPermissionError, MiraFileNotFoundError): the file
    ///         cannot be written.
    ///
    /// Example:
    ///     >>> catalog.save(tmp / "listings.mirasnap")
    fn save(&self, py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<()> {
        let path = path_from_py(path)?;
        guard::run(py, Place::Caller, || self.inner.save(&path))
    }

    /// A new catalog (next version) where each record replaces the listing
    /// with the same id or is added at the end.
    ///
    /// Args:
    ///     records: an iterable of listing dicts, as for `from_records`.
    ///
    /// Returns:
    ///     Catalog: the next version; this one is unchanged.
    ///
    /// Raises:
    ///     MissingFieldError, InvalidFieldError, UnknownFieldError,
    ///         DuplicateIdError, MiraTypeError: as for `from_records`.
    ///
    /// Example:
    ///     >>> newer = catalog.upsert([{"id": 1, "price": 440_000}, {"id": 3, "price": 300_000}])
    ///     >>> newer.version, newer[1]["price"], catalog[1]["price"]
    ///     (2, 440000.0, 450000.0)
    fn upsert(&self, py: Python<'_>, records: &Bound<'_, PyAny>) -> PyResult<Self> {
        let values = convert::records(records, false, "listing")?;
        let year = self.inner.current_year();
        let inner = guard::run(py, Place::Caller, move || {
            self.inner.upsert(loaders::parse_records(values, year)?)
        })?;
        Ok(PyCatalog { inner })
    }

    /// A new catalog (next version) without the listings with these ids.
    ///
    /// Args:
    ///     ids: one id, or an iterable of ids.
    ///
    /// Returns:
    ///     Catalog: the next version; this one is unchanged.
    ///
    /// Raises:
    ///     NotFoundError: an id that is not in the catalog.
    ///     MiraTypeError: an id that is neither an `int` nor a `str`.
    ///
    /// Example:
    ///     >>> catalog.remove(["kc-2"]).ids()
    ///     [1]
    fn remove(&self, py: Python<'_>, ids: &Bound<'_, PyAny>) -> PyResult<Self> {
        let ids = convert::ids_from_py(ids)?;
        let inner = guard::run(py, Place::Caller, || self.inner.remove(ids.iter()))?;
        Ok(PyCatalog { inner })
    }

    /// The listing with this id, as a dict, or `default`.
    ///
    /// Args:
    ///     id: the listing's id (`int` or `str`, as given).
    ///     default: what to return when no listing has this id (None by
    ///         default). `catalog[id]` raises `NotFoundError` instead.
    ///
    /// Returns:
    ///     dict | Any: the listing's fields, or `default`.
    ///
    /// Raises:
    ///     MiraTypeError: `id` is neither an `int` nor a `str`.
    ///
    /// Example:
    ///     >>> catalog.get("kc-2")["price"], catalog.get(99)
    ///     (380000.0, None)
    #[pyo3(signature = (id, default=None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        id: &Bound<'py, PyAny>,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let id = convert::id_from_py(id)?;
        match self.inner.get(&id) {
            Some(p) => convert::serde_to_py(py, p),
            None => Ok(default.unwrap_or_else(|| py.None().into_bound(py))),
        }
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        id: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let id = convert::id_from_py(id)?;
        match self.inner.get(&id) {
            Some(p) => convert::serde_to_py(py, p),
            None => Err(errors::to_py(MiraError::NotFound { id: id.to_string() })),
        }
    }

    fn __contains__(&self, id: &Bound<'_, PyAny>) -> bool {
        convert::id_from_py(id).is_ok_and(|id| self.inner.get(&id).is_some())
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// The snapshot's version: 1 when built, +1 for every upsert or remove.
    #[getter]
    fn version(&self) -> u64 {
        self.inner.version()
    }

    /// The year that bounds `year_built` when validating.
    #[getter]
    fn current_year(&self) -> i32 {
        self.inner.current_year()
    }

    /// Every listing id, in catalog order.
    ///
    /// Returns:
    ///     list[int | str]: the ids, as given.
    ///
    /// Raises:
    ///     None.
    ///
    /// Example:
    ///     >>> catalog.ids()
    ///     [1, 'kc-2']
    fn ids<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let ids = self
            .inner
            .properties()
            .map(|p| p.id.to_json())
            .collect::<Vec<_>>();
        let list = convert::to_py(py, &Value::Array(ids))?;
        Ok(list.cast_into::<PyList>()?)
    }

    /// Every listing as a dict, in catalog order (what `from_records` reads
    /// back), with its `embedding` (the stored unit vector, as a list of
    /// floats) when it has one. `get` and `catalog[id]` leave the vector
    /// out; `embeddings()` gives all of them as one array.
    ///
    /// Returns:
    ///     list[dict]: one dict per listing.
    ///
    /// Raises:
    ///     None.
    ///
    /// Example:
    ///     >>> [r["id"] for r in catalog.to_records()]
    ///     [1, 'kc-2']
    fn to_records<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let all: Vec<Property> = (0..self.inner.len())
            .map(|row| self.inner.listing(row))
            .collect();
        convert::serde_to_py(py, &all)
    }

    fn __repr__(&self) -> String {
        format!(
            "Catalog(len={}, version={})",
            self.inner.len(),
            self.inner.version()
        )
    }

    /// Pickling: the core's snapshot format (checksummed), as bytes.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let catalog = &slf.get().inner;
        let bytes = guard::run(py, Place::Caller, || Ok(catalog.snapshot_bytes()))?;
        let bytes = PyBytes::new(py, &bytes);
        let ctor = slf.get_type().getattr("_from_snapshot")?;
        PyTuple::new(py, [ctor, PyTuple::new(py, [bytes])?.into_any()])
    }

    /// Rebuild from snapshot bytes (used by pickle).
    #[staticmethod]
    fn _from_snapshot(py: Python<'_>, data: &[u8]) -> PyResult<Self> {
        let inner = guard::run(py, Place::Caller, || {
            Catalog::from_snapshot_bytes(data, "<pickle>")
        })?;
        Ok(PyCatalog { inner })
    }
}
