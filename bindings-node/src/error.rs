//! Errors: every failure that reaches JavaScript goes through [`guard`] (or,
//! for promises, [`reject`]) and becomes a plain `Error` whose `code` is
//! stable and whose `message` is exactly the core's text.
//!
//! | code | raised when |
//! |---|---|
//! | `MIRA_*` of the core ([`MiraError::code`]) | the core refused something |
//! | `MIRA_TYPE` | a JavaScript value has the wrong type (a string where an object of preferences belongs, a function in a record, …) |
//! | `MIRA_INTERNAL` | a bug: a Rust panic, caught before it could cross into JavaScript |
//!
//! One exception to "a plain `Error`": a class called without `new`
//! (`Engine(catalog)`) throws a `TypeError` (code `MIRA_TYPE`), as a
//! JavaScript class does ([`construct`]).

use std::panic::{catch_unwind, AssertUnwindSafe};

use agent_mira::MiraError;
use napi::bindgen_prelude::{Env, JavaScriptClassExt, JsError, JsTypeError, Unknown};

/// The `code` of a JavaScript error thrown by this package. napi-rs sets an
/// error's `code` property from the error's status, so the status *is* the
/// code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code(pub &'static str);

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.0
    }
}

/// What every entry point returns: a value, or an error carrying its code.
/// (`#[napi]` methods spell it out as `napi::Result<T, Code>`: the macro
/// recognises a `Result` by name, not through an alias.)
pub type JsResult<T> = napi::Result<T, Code>;

/// Wrong JavaScript type.
pub const TYPE: &str = "MIRA_TYPE";
/// A caught panic (a bug in this package or the core).
pub const INTERNAL: &str = "MIRA_INTERNAL";

/// A failure on its way to JavaScript.
#[derive(Debug)]
pub enum BindError {
    /// The core refused: code and message come from [`MiraError`], whose
    /// field names are the core's (renamed by [`BindError::with_js_names`]
    /// where the input was a JavaScript object).
    Core(MiraError),
    /// A [`MiraError`] this package raised about a value as the caller wrote
    /// it (an options key, a `NaN` at `weights.commute`): never renamed.
    AsTyped(MiraError),
    /// A JavaScript value of the wrong type; the message names where it was.
    Type(String),
    /// A panic, caught.
    Internal(String),
}

impl From<MiraError> for BindError {
    fn from(err: MiraError) -> Self {
        BindError::Core(err)
    }
}

impl BindError {
    /// The stable `code` property.
    pub fn code(&self) -> &'static str {
        match self {
            BindError::Core(e) | BindError::AsTyped(e) => e.code(),
            BindError::Type(_) => TYPE,
            BindError::Internal(_) => INTERNAL,
        }
    }

    /// The `message` property: the core's text, unchanged.
    pub fn message(&self) -> String {
        match self {
            BindError::Core(e) | BindError::AsTyped(e) => e.to_string(),
            BindError::Type(m) => m.clone(),
            BindError::Internal(m) => {
                format!("internal error (a bug in @mira/core, please report it): {m}")
            }
        }
    }

    /// The same error, pointing at request `i` of a batch
    /// (`preferences #i`).
    pub fn at_request(self, i: usize) -> Self {
        match self {
            BindError::Core(e) => BindError::Core(e.at_request(i)),
            BindError::AsTyped(e) => BindError::AsTyped(e.at_request(i)),
            other => other,
        }
    }

    /// A `MIRA_TYPE` error: `{place}: {what} is {a description of the value}: expected {expected}`.
    pub fn wrong_type(place: impl std::fmt::Display, got: &str, expected: &str) -> Self {
        BindError::Type(format!("{place} is {got}: expected {expected}"))
    }

    /// The same error with the core's field names spelled the way the
    /// JavaScript caller typed them (`min_bedrooms` → `minBedrooms`), for
    /// entry points whose input is a JavaScript object of listing or
    /// preference fields (see [`guard_js`]).
    pub fn with_js_names(self) -> Self {
        match self {
            BindError::Core(e) => BindError::Core(crate::convert::names::camel_error(e)),
            other => other,
        }
    }

    fn into_napi(self) -> napi::Error<Code> {
        napi::Error::new(Code(self.code()), self.message())
    }
}

/// The text of a panic payload.
fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// Run `f`, catching panics; the result is a [`BindError`] either way.
pub fn catching<T>(f: impl FnOnce() -> Result<T, BindError>) -> Result<T, BindError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => Err(BindError::Internal(panic_text(payload))),
    }
}

/// The one guard every synchronous entry point goes through: runs `f`,
/// catches panics, and turns any failure into a JavaScript `Error` with a
/// stable `code`.
pub fn guard<T>(f: impl FnOnce() -> Result<T, BindError>) -> JsResult<T> {
    catching(f).map_err(BindError::into_napi)
}

/// [`guard`] for entry points that read JavaScript objects of listing or
/// preference fields (`recommend`, `Catalog.fromRecords`, `predictPrice`…):
/// the core's errors name fields the way the caller typed them. Entry points
/// that read files, profiles or mappings use [`guard`]: those errors keep the
/// core's (and the files') snake_case.
pub fn guard_js<T>(f: impl FnOnce() -> Result<T, BindError>) -> JsResult<T> {
    catching(f).map_err(|e| e.with_js_names().into_napi())
}

/// A promise rejection for `err`: a JavaScript `Error` built here, on the JS
/// thread, with its `code` (napi's task machinery only knows its own statuses,
/// so the finished error object travels as a reference).
pub fn reject(env: Env, err: BindError) -> napi::Error {
    let js: Unknown<'_> = JsError::from(err.into_napi()).into_unknown(env);
    napi::Error::from(js)
}

/// A JavaScript `TypeError` (code `MIRA_TYPE`) with this message, ready to
/// be returned from an entry point.
fn js_type_error(env: &Env, message: String) -> napi::Error {
    let err = napi::Error::new(Code(TYPE), message);
    napi::Error::from(JsTypeError::from(err).into_unknown(*env))
}

/// The one way every class constructor starts: `this` must be an object
/// created by `new` for class `T`, else a `TypeError` with JavaScript's own
/// words ("Class constructor Engine cannot be invoked without 'new'").
///
/// napi-rs classes are plain functions: called without `new`, `this` is
/// the global object, which the constructor would wrap and return
/// silently. `new` (also `new` of a subclass) makes `this` an instance of
/// the class, which is what is checked. Then `build` runs under [`guard`]:
/// its errors reach JavaScript as every other entry point's do.
pub fn construct<T: JavaScriptClassExt>(
    env: &Env,
    this: &Unknown<'_>,
    class: &str,
    build: impl FnOnce() -> Result<T, BindError>,
) -> napi::Result<T> {
    require_new::<T>(env, this, class)?;
    guard(build).map_err(|e| napi::Error::from(JsError::from(e).into_unknown(*env)))
}

/// `this` is an instance of `T` (the constructor was called with `new`),
/// else JavaScript's `TypeError` for a class called as a function.
fn require_new<T: JavaScriptClassExt>(
    env: &Env,
    this: &Unknown<'_>,
    class: &str,
) -> napi::Result<()> {
    if T::instance_of(env, this).unwrap_or(false) {
        return Ok(());
    }
    Err(js_type_error(
        env,
        format!("Class constructor {class} cannot be invoked without 'new'"),
    ))
}

/// The constructor of a class built only by its static factories
/// (`Catalog.fromRecords`, `PriceModel.load`): without `new`, the same
/// `TypeError` as [`construct`]; with `new`, a `TypeError` naming the
/// factories to use instead.
pub fn factories_only<T: JavaScriptClassExt>(
    env: &Env,
    this: &Unknown<'_>,
    class: &str,
    factories: &str,
) -> napi::Result<T> {
    require_new::<T>(env, this, class)?;
    Err(js_type_error(
        env,
        format!("{class} has no public constructor: use {factories}"),
    ))
}
