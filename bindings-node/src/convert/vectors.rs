//! Vectors in and out: the matrix `catalog.withEmbeddings` attaches (a
//! `Float32Array` read in place, or an array of rows), the ids it names,
//! and the filters of `engine.similar`.

use std::ops::Deref;

use agent_mira::engine::SIMILAR_FILTER_FIELDS;
use agent_mira::{MiraError, PropertyId, RecordRef, SimilarFilters, MAX_EMBEDDING_DIM};
use napi::bindgen_prelude::{Float32ArraySlice, Unknown};
use serde_json::{Map, Value};

use super::value::{self, Kind};
use super::{args, json, names};
use crate::error::BindError;

/// A row-major matrix of `f32`s: a `Float32Array`'s memory as it is, or
/// the numbers of an array of rows, copied once.
pub enum Matrix<'a> {
    /// The caller's `Float32Array`, borrowed for the call.
    Flat(Float32ArraySlice<'a>),
    /// Rows gathered from an array of rows.
    Rows(Vec<f32>),
}

impl Deref for Matrix<'_> {
    type Target = [f32];

    fn deref(&self) -> &[f32] {
        match self {
            Matrix::Flat(slice) => slice,
            Matrix::Rows(rows) => rows,
        }
    }
}

/// The ids argument: an array of ids (numbers or strings, a big integer id
/// as its decimal string), each read as `catalog.get` reads one.
pub fn ids(v: &Unknown<'_>, call: &str) -> Result<Vec<PropertyId>, BindError> {
    if value::kind(v)? != Kind::Array {
        return Err(BindError::wrong_type(
            format!("{call}: argument `ids`"),
            &value::describe(v),
            "an array of ids (numbers or strings)",
        ));
    }
    value::elements(v)?
        .iter()
        .enumerate()
        .map(|(i, id)| args::id(id, &format!("{call}: `ids[{i}]`")))
        .collect()
}

/// The vectors argument for `rows` ids: a `Float32Array` of `rows × dim`
/// numbers (row-major; `dim` is its length ÷ `rows`), or an array of `rows`
/// rows of `dim` numbers each (`Float32Array`s or arrays of numbers).
/// Returns the matrix and `dim`. Values are not checked here: the core
/// refuses NaN, infinities and all-zero rows, naming row, listing and index.
pub fn matrix<'a>(
    v: &Unknown<'a>,
    rows: usize,
    call: &str,
) -> Result<(Matrix<'a>, usize), BindError> {
    let record = || RecordRef::Other(call.into());
    if let Some(flat) = value::float32_array(v) {
        let len = flat.len();
        if rows == 0 {
            if len > 0 {
                return Err(MiraError::invalid(
                    record(),
                    "vectors",
                    format!("a Float32Array of {len} numbers"),
                    "no numbers: `ids` is empty",
                )
                .into());
            }
            return Ok((Matrix::Flat(flat), 0));
        }
        if len == 0 || !len.is_multiple_of(rows) || len / rows > MAX_EMBEDDING_DIM {
            return Err(MiraError::invalid(
                record(),
                "vectors",
                format!("a Float32Array of {len} numbers"),
                format!(
                    "ids.length × dim numbers, one row of dim numbers per id, dim from 1 \
                     to {MAX_EMBEDDING_DIM} ({rows} ids: a multiple of {rows} up to {})",
                    rows.saturating_mul(MAX_EMBEDDING_DIM)
                ),
            )
            .into());
        }
        return Ok((Matrix::Flat(flat), len / rows));
    }
    if value::kind(v)? != Kind::Array {
        return Err(BindError::wrong_type(
            format!("{call}: argument `vectors`"),
            &value::describe(v),
            "a Float32Array of ids.length × dim numbers (row-major), or an array of rows",
        ));
    }
    let items = value::elements(v)?;
    if items.len() != rows {
        return Err(MiraError::invalid(
            record(),
            "vectors",
            format!("{} rows", items.len()),
            format!("one row per id ({rows} ids)"),
        )
        .into());
    }
    let mut data: Vec<f32> = Vec::new();
    let mut dim = 0;
    for (i, row) in items.iter().enumerate() {
        let start = data.len();
        if let Some(typed) = value::float32_array(row) {
            data.extend_from_slice(&typed);
        } else if value::kind(row)? == Kind::Array {
            for (j, cell) in value::elements(row)?.iter().enumerate() {
                if value::kind(cell)? != Kind::Number {
                    return Err(BindError::wrong_type(
                        format!("{call}: `vectors[{i}][{j}]`"),
                        &value::describe(cell),
                        "a number",
                    ));
                }
                data.push(value::number(cell)? as f32);
            }
        } else {
            return Err(BindError::wrong_type(
                format!("{call}: `vectors[{i}]`"),
                &value::describe(row),
                "a row of numbers (a Float32Array or an array of numbers)",
            ));
        }
        let len = data.len() - start;
        if i == 0 && !(1..=MAX_EMBEDDING_DIM).contains(&len) {
            return Err(MiraError::invalid(
                record(),
                "vectors[0]",
                format!("{len} numbers"),
                format!("from 1 to {MAX_EMBEDDING_DIM} numbers"),
            )
            .into());
        }
        if i == 0 {
            dim = len;
            data.reserve(rows.saturating_mul(dim).saturating_sub(data.len()));
        } else if len != dim {
            return Err(MiraError::invalid(
                record(),
                format!("vectors[{i}]"),
                format!("{len} numbers"),
                format!("{dim} numbers, like vectors[0]"),
            )
            .into());
        }
    }
    Ok((Matrix::Rows(data), dim))
}

/// The filters of `engine.similar` (`{ listingType, propertyTypes,
/// maxPrice, currency }`, camelCase keys renamed to the core's), parsed and
/// checked by the core; `undefined` or `null`: none. Errors name the core's
/// fields; the entry point spells them the JavaScript way.
pub fn similar_filters(v: Option<&Unknown<'_>>, call: &str) -> Result<SimilarFilters, BindError> {
    let record = RecordRef::Other("similar filters".into());
    let map = match v {
        Some(v) if !matches!(value::kind(v)?, Kind::Undefined | Kind::Null) => {
            let to_core = |key: &str| names::to_core(key, SIMILAR_FILTER_FIELDS, &record);
            let place = format!("{call}: argument `filters`");
            json::object(v, &record, &to_core, &place, "an object of filters")?
        }
        _ => Map::new(),
    };
    Ok(SimilarFilters::from_json(Value::Object(map))?)
}
