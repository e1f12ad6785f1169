//! Feature matrices and label vectors (for `predict` and `train`): arrays of
//! numbers, or `Float64Array`s read in one piece.

use agent_mira::{MiraError, RecordRef};
use napi::bindgen_prelude::Unknown;
use ndarray::{Array1, Array2};

use super::args;
use super::value::{self, Kind};
use crate::error::BindError;

/// A feature matrix: an array of arrays of numbers (`null`, `undefined` and
/// `NaN` mean missing), or a `Float64Array` holding `columns` values per row
/// (row-major). `call` and `arg` name the argument in errors
/// (`PriceModel.train()`, `x`).
pub fn rows(
    rows: &Unknown<'_>,
    columns: usize,
    call: &str,
    arg: &str,
) -> Result<Array2<f64>, BindError> {
    let record = RecordRef::Other(call.into());
    let expected = "an array of arrays of numbers, or a Float64Array";
    match value::kind(rows)? {
        Kind::Array => {
            let items = value::elements(rows)?;
            let mut data = Vec::with_capacity(items.len() * columns);
            let mut n_cols = None;
            for (i, row) in items.iter().enumerate() {
                if value::kind(row)? != Kind::Array {
                    return Err(BindError::wrong_type(
                        format!("{call}: `{arg}[{i}]`"),
                        &value::describe(row),
                        "an array of numbers",
                    ));
                }
                let cells = value::elements(row)?;
                let want = *n_cols.get_or_insert(cells.len());
                if cells.len() != want {
                    return Err(MiraError::invalid(
                        record,
                        format!("{arg}[{i}]"),
                        format!("{} values", cells.len()),
                        format!("{want} values, like {arg}[0]"),
                    )
                    .into());
                }
                for (c, cell) in cells.iter().enumerate() {
                    data.push(match value::kind(cell)? {
                        Kind::Number => value::number(cell)?,
                        Kind::Null | Kind::Undefined => f64::NAN,
                        _ => {
                            return Err(BindError::wrong_type(
                                format!("{call}: `{arg}[{i}][{c}]`"),
                                &value::describe(cell),
                                "a number (null or NaN for missing)",
                            ))
                        }
                    });
                }
            }
            let n_cols = n_cols.unwrap_or(columns);
            Array2::from_shape_vec((items.len(), n_cols), data)
                .map_err(|e| BindError::Internal(e.to_string()))
        }
        Kind::Object => {
            let typed = value::float64_array(rows).ok_or_else(|| {
                BindError::wrong_type(
                    format!("{call}: argument `{arg}`"),
                    &value::describe(rows),
                    expected,
                )
            })?;
            let values: &[f64] = &typed;
            if columns == 0 || !values.len().is_multiple_of(columns) {
                return Err(MiraError::invalid(
                    record,
                    "columns",
                    columns,
                    format!(
                        "a column count > 0 that divides the Float64Array's length ({})",
                        values.len()
                    ),
                )
                .into());
            }
            Array2::from_shape_vec((values.len() / columns, columns), values.to_vec())
                .map_err(|e| BindError::Internal(e.to_string()))
        }
        _ => Err(BindError::wrong_type(
            format!("{call}: argument `{arg}`"),
            &value::describe(rows),
            expected,
        )),
    }
}

/// A vector of numbers (prices): an array of numbers or a `Float64Array`.
pub fn numbers(v: &Unknown<'_>, call: &str, arg: &str) -> Result<Array1<f64>, BindError> {
    let expected = "an array of numbers, or a Float64Array";
    let wrong = || {
        BindError::wrong_type(
            format!("{call}: argument `{arg}`"),
            &value::describe(v),
            expected,
        )
    };
    match value::kind(v)? {
        Kind::Array => value::elements(v)?
            .iter()
            .enumerate()
            .map(|(i, e)| match value::kind(e)? {
                Kind::Number => value::number(e),
                _ => Err(BindError::wrong_type(
                    format!("{call}: `{arg}[{i}]`"),
                    &value::describe(e),
                    "a number",
                )),
            })
            .collect::<Result<Vec<f64>, _>>()
            .map(Array1::from),
        Kind::Object => {
            let typed = value::float64_array(v).ok_or_else(wrong)?;
            Ok(Array1::from(typed.to_vec()))
        }
        _ => Err(wrong()),
    }
}

/// A matrix's columns as an option: feature names (an array of strings),
/// or just their count. Absent: no names, count 0. Returns the count and
/// the names (empty when only a count was given).
pub fn columns(
    v: Option<&Unknown<'_>>,
    call: &str,
    field: &str,
) -> Result<(usize, Vec<String>), BindError> {
    let Some(v) = v else {
        return Ok((0, Vec::new()));
    };
    match value::kind(v)? {
        Kind::Array => {
            let names = value::elements(v)?
                .iter()
                .enumerate()
                .map(|(i, e)| match value::kind(e)? {
                    Kind::String => value::string(e),
                    _ => Err(BindError::wrong_type(
                        format!("{call}: `{field}[{i}]`"),
                        &value::describe(e),
                        "a feature name (a string)",
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok((names.len(), names))
        }
        Kind::Number => Ok((args::count(Some(v), call, field, 0)?, Vec::new())),
        _ => Err(BindError::wrong_type(
            format!("{call}: field `{field}`"),
            &value::describe(v),
            "an array of feature names, or a column count",
        )),
    }
}
