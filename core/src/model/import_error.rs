//! The located problem every model importer reports: where in the input the
//! first wrong value is (a JSON path such as
//! `learner.gradient_booster.model.trees[3].split_conditions[7]`, or an
//! argument path such as `trees[0].children_left[2]`) and what was expected
//! there. Importers wrap it in their own [`MiraError`] variant
//! (`Corrupt` for JSON and in-memory models, `Parse` with a line number for
//! text formats), so error codes stay what they were.
//!
//! [`MiraError`]: crate::MiraError

use std::fmt;

use crate::error::MiraError;

/// A problem at one place of an imported model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Wrong {
    /// Where: a path from the top of the input; empty for the top itself.
    pub path: String,
    /// What is wrong there and what was expected.
    pub message: String,
}

impl Wrong {
    /// A problem at `path`.
    pub(crate) fn at(path: impl Into<String>, message: impl Into<String>) -> Wrong {
        Wrong {
            path: path.into(),
            message: message.into(),
        }
    }

    /// `path` holds `found` where `expected` was expected.
    pub(crate) fn expected(
        path: impl Into<String>,
        expected: &str,
        found: impl fmt::Display,
    ) -> Wrong {
        Wrong::at(path, format!("expected {expected}, found {found}"))
    }

    /// The array at `path` has `found` entries where `other` (an array of
    /// the same record, `other_len` entries) says how many it must have.
    pub(crate) fn length(
        path: impl Into<String>,
        found: usize,
        other: &str,
        other_len: usize,
        why: &str,
    ) -> Wrong {
        Wrong::at(
            path,
            format!(
                "expected {} ({why}, as in `{other}`), found {found}",
                count(other_len, "entry", "entries")
            ),
        )
    }
}

impl fmt::Display for Wrong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "at the top level: {}", self.message)
        } else {
            write!(f, "at `{}`: {}", self.path, self.message)
        }
    }
}

/// Why an import stopped: a located problem in the input, or an error of
/// another kind (an unsupported objective) that passes through unchanged.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The input is wrong at a place.
    At(Wrong),
    /// Anything else.
    Other(MiraError),
}

impl From<Wrong> for Failure {
    fn from(w: Wrong) -> Self {
        Failure::At(w)
    }
}

impl From<MiraError> for Failure {
    fn from(e: MiraError) -> Self {
        Failure::Other(e)
    }
}

impl Failure {
    /// The error to return: a located problem becomes what `locate` makes
    /// of it (the importer's `Corrupt` error naming its source).
    pub(crate) fn into_error(self, locate: impl FnOnce(Wrong) -> MiraError) -> MiraError {
        match self {
            Failure::At(w) => locate(w),
            Failure::Other(e) => e,
        }
    }
}

/// `n` followed by the singular or plural noun: `1 entry`, `3 entries`.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A number as a person reads it in a message: `NaN`, `inf`, `-inf`, or
/// the shortest decimal that round-trips.
pub(crate) fn number(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_renders_as_its_path_and_message() {
        let w = Wrong::expected("learner", "an object", "a string `abc`");
        assert_eq!(
            w.to_string(),
            "at `learner`: expected an object, found a string `abc`"
        );
        let top = Wrong::expected("", "an object", "an array of 2 elements");
        assert_eq!(
            top.to_string(),
            "at the top level: expected an object, found an array of 2 elements"
        );
    }

    #[test]
    fn a_length_names_both_arrays_and_both_lengths() {
        let w = Wrong::length(
            "trees[0].value",
            2,
            "trees[0].children_left",
            3,
            "one per node",
        );
        assert_eq!(
            w.to_string(),
            "at `trees[0].value`: expected 3 entries (one per node, as in \
             `trees[0].children_left`), found 2"
        );
        assert_eq!(count(1, "entry", "entries"), "1 entry");
        assert_eq!(number(f64::NAN), "NaN");
        assert_eq!(number(f64::NEG_INFINITY), "-inf");
        assert_eq!(number(0.1), "0.1");
    }
}
