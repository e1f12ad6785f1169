//! The error every check of a training parameter reports, shared by the
//! training spec ([`TrainSpec`](super::TrainSpec)) and the trainers'
//! own parameter validation (gradient boosting, linear models).

use crate::error::{MiraError, RecordRef};

/// The record every training-parameter error names.
pub(crate) const PARAMETERS: &str = "training parameters";

/// An error about a training parameter: ``training parameters: field
/// `name` = value: expected …``.
pub(crate) fn bad_parameter(
    field: &str,
    value: impl std::fmt::Display,
    expected: &str,
) -> MiraError {
    MiraError::invalid(RecordRef::Other(PARAMETERS.into()), field, value, expected)
}
