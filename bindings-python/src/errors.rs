//! Core errors → Python exceptions.
//!
//! Every [`mira::MiraError`] variant maps, by its stable [`code`](mira::MiraError::code),
//! to one class of `agent_mira.exceptions` (defined in Python there, because
//! the classes derive from two bases: `MiraError` and `ValueError`,
//! `OSError`, `KeyError`…). The message is the core's own text; the
//! variant's fields are set as attributes (`field`, `value`, `suggestion`,
//! …) so that a web back end can build a structured 4xx body.

use std::any::Any;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use mira::MiraError;

/// Code of the binding's own type errors (wrong Python types).
pub const TYPE_CODE: &str = "MIRA_TYPE";
/// Code of a bug caught at the boundary (a panic in the core).
pub const INTERNAL_CODE: &str = "MIRA_INTERNAL";

/// The exception class for a code (the base class for codes this binding
/// does not know, so a newer core never crashes an older binding).
fn class_name(code: &str, io_kind: Option<std::io::ErrorKind>) -> &'static str {
    match code {
        "MIRA_INVALID_FIELD" => "InvalidFieldError",
        "MIRA_MISSING_FIELD" => "MissingFieldError",
        "MIRA_UNKNOWN_FIELD" => "UnknownFieldError",
        "MIRA_DUPLICATE_ID" => "DuplicateIdError",
        "MIRA_PARSE" => "ParseError",
        "MIRA_IO" => match io_kind {
            Some(std::io::ErrorKind::NotFound) => "MiraFileNotFoundError",
            Some(std::io::ErrorKind::PermissionDenied) => "MiraPermissionError",
            _ => "MiraIOError",
        },
        "MIRA_UNSUPPORTED_VERSION" => "UnsupportedVersionError",
        "MIRA_CORRUPT" => "CorruptFileError",
        "MIRA_MODEL_MISMATCH" => "ModelMismatchError",
        "MIRA_UNSUPPORTED" => "UnsupportedError",
        "MIRA_NOT_FOUND" => "NotFoundError",
        TYPE_CODE => "MiraTypeError",
        INTERNAL_CODE => "InternalError",
        _ => "MiraError",
    }
}

/// Build the exception `class_name(code)` with `message` and attributes.
fn build(
    py: Python<'_>,
    code: &str,
    io_kind: Option<std::io::ErrorKind>,
    message: String,
    attrs: &Bound<'_, PyDict>,
) -> PyErr {
    let make = || -> PyResult<PyErr> {
        // Imported modules are cached in sys.modules: this is a dict lookup.
        let module = py.import("agent_mira.exceptions")?;
        let class = module.getattr(class_name(code, io_kind))?;
        let exc = class.call1((message,))?;
        exc.setattr("code", code)?;
        for (k, v) in attrs.iter() {
            exc.setattr(k.cast::<PyString>()?, v)?;
        }
        Ok(PyErr::from_value(exc))
    };
    make().unwrap_or_else(|e| e)
}

/// Convert a core error.
pub fn to_py(err: MiraError) -> PyErr {
    Python::attach(|py| {
        let attrs = PyDict::new(py);
        let code = err.code();
        let message = err.to_string();
        let mut io_kind = None;
        let set = |k: &str, v: Bound<'_, PyAny>| {
            let _ = attrs.set_item(k, v);
        };
        let s = |v: &str| v.into_pyobject(py).unwrap().into_any();
        match &err {
            MiraError::InvalidField {
                record,
                field,
                value,
                expected,
            } => {
                set("record", s(&record.to_string()));
                set("field", s(field));
                set("value", s(value));
                set("expected", s(expected));
            }
            MiraError::MissingField { record, field } => {
                set("record", s(&record.to_string()));
                set("field", s(field));
            }
            MiraError::UnknownField {
                record,
                field,
                suggestion,
                allowed,
            } => {
                set("record", s(&record.to_string()));
                set("field", s(field));
                set(
                    "suggestion",
                    suggestion.as_deref().into_pyobject(py).unwrap().into_any(),
                );
                set(
                    "allowed",
                    allowed.clone().into_pyobject(py).unwrap().into_any(),
                );
            }
            MiraError::DuplicateId { id, record, first } => {
                set("id", s(id));
                set("record", s(&record.to_string()));
                set("first", s(&first.to_string()));
            }
            MiraError::Parse {
                source_name,
                line,
                column,
                ..
            } => {
                set("source", s(source_name));
                set("line", line.into_pyobject(py).unwrap().into_any());
                set("column", column.into_pyobject(py).unwrap().into_any());
            }
            MiraError::Io { path, source } => {
                io_kind = Some(source.kind());
                set("filename", s(&path.display().to_string()));
                set("strerror", s(&source.to_string()));
                if let Some(errno) = source.raw_os_error().or(match source.kind() {
                    std::io::ErrorKind::NotFound => Some(2),
                    std::io::ErrorKind::PermissionDenied => Some(13),
                    _ => None,
                }) {
                    set("errno", errno.into_pyobject(py).unwrap().into_any());
                }
            }
            MiraError::UnsupportedVersion {
                path,
                kind,
                found,
                supported,
            } => {
                set("path", s(&path.display().to_string()));
                set("kind", s(kind));
                set("found", found.into_pyobject(py).unwrap().into_any());
                set("supported", supported.into_pyobject(py).unwrap().into_any());
            }
            MiraError::Corrupt { path, kind, reason } => {
                set("path", s(&path.display().to_string()));
                set("kind", s(kind));
                set("reason", s(reason));
            }
            MiraError::ModelMismatch { path, reason } => {
                let p = path.as_ref().map(|p| p.display().to_string());
                set("path", p.into_pyobject(py).unwrap().into_any());
                set("reason", s(reason));
            }
            MiraError::Unsupported { what, name, hint } => {
                set("what", s(what));
                set("name", s(name));
                set(
                    "hint",
                    hint.as_deref().into_pyobject(py).unwrap().into_any(),
                );
            }
            MiraError::NotFound { id } => set("id", s(id)),
            _ => {}
        }
        build(py, code, io_kind, message, &attrs)
    })
}

/// A wrong Python type (`MiraTypeError`, also a `TypeError`).
pub fn type_error(message: impl Into<String>) -> PyErr {
    Python::attach(|py| build(py, TYPE_CODE, None, message.into(), &PyDict::new(py)))
}

/// A bug caught at the boundary (`InternalError`, also a `RuntimeError`).
pub fn internal(message: impl Into<String>) -> PyErr {
    Python::attach(|py| {
        let text = format!(
            "internal error in agent-mira (please report it): {}",
            message.into()
        );
        build(py, INTERNAL_CODE, None, text, &PyDict::new(py))
    })
}

/// Turn a caught panic into an [`internal`] error: no panic reaches Python.
pub fn from_panic(panic: Box<dyn Any + Send>) -> PyErr {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into());
    internal(text)
}
