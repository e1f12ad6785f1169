//! The one error type of the core.
//!
//! Every variant carries what a person needs to fix the problem: the record
//! (a listing id, or a file with its line and column), the field, the value
//! that was given and what was expected. Bindings map each variant to a
//! language-specific error class through [`MiraError::code`].

use std::fmt;
use std::path::PathBuf;

/// Result alias used throughout the crate.
pub type Result<T, E = MiraError> = std::result::Result<T, E>;

/// Where a bad value came from: a listing id, a file position, a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordRef {
    /// A listing known by its id (as given by the caller).
    Id(String),
    /// A record in a file: path and 1-based line (and column when known).
    Position {
        /// The file (or a label such as `<records>` for in-memory input).
        source: String,
        /// 1-based line number (for a JSON array, the position of the record).
        line: u64,
        /// 1-based column, 0 when not known.
        column: u64,
    },
    /// The n-th record (0-based) of an in-memory list.
    Index(usize),
    /// A buyer's preferences.
    Preferences,
    /// A scoring profile.
    Profile(String),
    /// Something else, described in words.
    Other(String),
}

impl fmt::Display for RecordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordRef::Id(id) => write!(f, "listing {id}"),
            RecordRef::Position {
                source,
                line,
                column: 0,
            } => write!(f, "{source}:{line}"),
            RecordRef::Position {
                source,
                line,
                column,
            } => write!(f, "{source}:{line}:{column}"),
            RecordRef::Index(i) => write!(f, "record #{i}"),
            RecordRef::Preferences => f.write_str("preferences"),
            RecordRef::Profile(name) => write!(f, "profile `{name}`"),
            RecordRef::Other(s) => f.write_str(s),
        }
    }
}

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MiraError {
    /// A field holds a value of the right type but outside what is allowed,
    /// or of the wrong type.
    #[error("{record}: field `{field}` = {value}: expected {expected}")]
    InvalidField {
        /// Where the value came from.
        record: RecordRef,
        /// The field name, as the caller spells it (snake_case).
        field: String,
        /// The offending value, rendered for humans.
        value: String,
        /// What would have been accepted.
        expected: String,
    },

    /// A required field is absent.
    #[error("{record}: missing required field `{field}`")]
    MissingField {
        /// Where the field was expected.
        record: RecordRef,
        /// The missing field.
        field: String,
    },

    /// A key that the schema does not know.
    #[error("{record}: unknown field `{field}`{}", suggestion_text(.suggestion, .allowed))]
    UnknownField {
        /// Where the key appeared.
        record: RecordRef,
        /// The unknown key.
        field: String,
        /// The closest known key, when one is close enough.
        suggestion: Option<String>,
        /// The keys that are allowed here.
        allowed: Vec<String>,
    },

    /// Two records share an id.
    #[error("{record}: duplicate id {id} (first seen at {first})")]
    DuplicateId {
        /// The id given twice.
        id: String,
        /// Where it appeared the second time.
        record: RecordRef,
        /// Where it appeared first.
        first: RecordRef,
    },

    /// Malformed input that could not be parsed at all.
    #[error("{source_name}:{line}:{column}: {message}")]
    Parse {
        /// The file (or `<input>`).
        source_name: String,
        /// 1-based line.
        line: u64,
        /// 1-based column (0 when unknown).
        column: u64,
        /// What the parser saw.
        message: String,
    },

    /// Reading or writing a file failed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },

    /// A file written by a newer version of this library, or not ours at all.
    #[error("{}: unsupported {kind} format version {found} (this build reads version {supported} and older)", .path.display())]
    UnsupportedVersion {
        /// The file.
        path: PathBuf,
        /// What kind of file (`catalog snapshot`, `price model`).
        kind: String,
        /// The version found in the file.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },

    /// A file whose content is damaged (bad checksum, truncated, wrong magic).
    #[error("{}: corrupt {kind}: {reason}", .path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What kind of file.
        kind: String,
        /// What is wrong with it.
        reason: String,
    },

    /// A price model does not fit the features it is given.
    #[error("model mismatch{}: {reason}", .path.as_ref().map(|p| format!(" in {}", p.display())).unwrap_or_default())]
    ModelMismatch {
        /// The model file, when the model came from one.
        path: Option<PathBuf>,
        /// Which features differ and how.
        reason: String,
    },

    /// A model feature or objective this library does not support.
    #[error("unsupported {what}: {name}{}", .hint.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())]
    Unsupported {
        /// What kind of thing (`LightGBM objective`, `estimator`).
        what: String,
        /// Its name.
        name: String,
        /// What is supported instead.
        hint: Option<String>,
    },

    /// A lookup by id found nothing.
    #[error("no listing with id {id}")]
    NotFound {
        /// The id that was looked up.
        id: String,
    },
}

fn suggestion_text(suggestion: &Option<String>, allowed: &[String]) -> String {
    match suggestion {
        Some(s) => format!(" (did you mean `{s}`?)"),
        None if allowed.is_empty() => String::new(),
        None => format!(" (expected one of: {})", allowed.join(", ")),
    }
}

impl MiraError {
    /// A stable, machine-readable code for the error kind, used by the
    /// bindings (Node's `error.code`, Python's exception classes).
    ///
    /// ```
    /// use agent_mira::MiraError;
    /// let err = MiraError::NotFound { id: "42".into() };
    /// assert_eq!(err.code(), "MIRA_NOT_FOUND");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            MiraError::InvalidField { .. } => "MIRA_INVALID_FIELD",
            MiraError::MissingField { .. } => "MIRA_MISSING_FIELD",
            MiraError::UnknownField { .. } => "MIRA_UNKNOWN_FIELD",
            MiraError::DuplicateId { .. } => "MIRA_DUPLICATE_ID",
            MiraError::Parse { .. } => "MIRA_PARSE",
            MiraError::Io { .. } => "MIRA_IO",
            MiraError::UnsupportedVersion { .. } => "MIRA_UNSUPPORTED_VERSION",
            MiraError::Corrupt { .. } => "MIRA_CORRUPT",
            MiraError::ModelMismatch { .. } => "MIRA_MODEL_MISMATCH",
            MiraError::Unsupported { .. } => "MIRA_UNSUPPORTED",
            MiraError::NotFound { .. } => "MIRA_NOT_FOUND",
        }
    }

    /// Shorthand for [`MiraError::InvalidField`].
    pub fn invalid(
        record: RecordRef,
        field: impl Into<String>,
        value: impl fmt::Display,
        expected: impl Into<String>,
    ) -> Self {
        MiraError::InvalidField {
            record,
            field: field.into(),
            value: value.to_string(),
            expected: expected.into(),
        }
    }

    /// Build an [`MiraError::UnknownField`] with a "did you mean" suggestion
    /// chosen among `allowed`.
    pub fn unknown_field(record: RecordRef, field: &str, allowed: &[&str]) -> Self {
        MiraError::UnknownField {
            record,
            field: field.to_string(),
            suggestion: closest(field, allowed.iter().copied()).map(str::to_string),
            allowed: allowed.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Point an error about "preferences" at the `index`-th request of a
    /// batch (`preferences #3: field …`); other errors are unchanged.
    ///
    /// ```
    /// use agent_mira::{MiraError, RecordRef};
    /// let e = MiraError::invalid(RecordRef::Preferences, "budget", -1, "> 0").at_request(3);
    /// assert_eq!(e.to_string(), "preferences #3: field `budget` = -1: expected > 0");
    /// ```
    pub fn at_request(self, index: usize) -> MiraError {
        let place = |r: RecordRef| match r {
            RecordRef::Preferences => RecordRef::Other(format!("preferences #{index}")),
            other => other,
        };
        match self {
            MiraError::InvalidField {
                record,
                field,
                value,
                expected,
            } => MiraError::InvalidField {
                record: place(record),
                field,
                value,
                expected,
            },
            MiraError::UnknownField {
                record,
                field,
                suggestion,
                allowed,
            } => MiraError::UnknownField {
                record: place(record),
                field,
                suggestion,
                allowed,
            },
            MiraError::MissingField { record, field } => MiraError::MissingField {
                record: place(record),
                field,
            },
            other => other,
        }
    }

    /// Wrap an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        MiraError::Io {
            path: path.into(),
            source,
        }
    }
}

/// The candidate closest to `word` by edit distance, if it is close enough to
/// be a plausible typo (at most a third of the word's length, and at least 1).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let limit = (lower.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_suggests_the_closest_key() {
        let err =
            MiraError::unknown_field(RecordRef::Preferences, "budjet", &["budget", "location"]);
        assert_eq!(
            err.to_string(),
            "preferences: unknown field `budjet` (did you mean `budget`?)"
        );
    }

    #[test]
    fn unknown_field_without_a_close_match_lists_the_allowed_keys() {
        let err = MiraError::unknown_field(RecordRef::Index(3), "zzzzzz", &["budget", "location"]);
        assert_eq!(
            err.to_string(),
            "record #3: unknown field `zzzzzz` (expected one of: budget, location)"
        );
    }

    #[test]
    fn invalid_field_names_record_field_value_and_expectation() {
        let err = MiraError::invalid(
            RecordRef::Id("7".into()),
            "price",
            -5,
            "a finite number > 0",
        );
        assert_eq!(
            err.to_string(),
            "listing 7: field `price` = -5: expected a finite number > 0"
        );
        assert_eq!(err.code(), "MIRA_INVALID_FIELD");
    }

    #[test]
    fn positions_render_as_file_line_column() {
        let r = RecordRef::Position {
            source: "a.csv".into(),
            line: 4,
            column: 2,
        };
        assert_eq!(r.to_string(), "a.csv:4:2");
        let r = RecordRef::Position {
            source: "a.jsonl".into(),
            line: 9,
            column: 0,
        };
        assert_eq!(r.to_string(), "a.jsonl:9");
    }
}
