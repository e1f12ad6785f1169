//! Results handed to JavaScript in one step: written as JSON text in Rust
//! and turned into objects by V8's own `JSON.parse`.
//!
//! Building a result object field by field costs one N-API call per key,
//! number, string and array element (about 40 for one recommendation with
//! its reasons); `JSON.parse` builds the same objects in one call, several
//! times faster (benches/README.md, "Side by side through Node"). The
//! objects are the ones [`super::out`] describes (and `index.d.ts` types):
//! same keys in the same order, same values — every `f64` is written in its
//! shortest round-trip form, so the parsed number has the same bits.

use std::collections::BTreeMap;
use std::ffi::CString;
use std::ptr;

use agent_mira::{PropertyId, Recommendation};
use napi::bindgen_prelude::{ToNapiValue, TypeName, ValueType};
use napi::sys;
use serde::Serialize;

use super::js::MAX_SAFE_INTEGER;

/// JSON text that becomes a JavaScript value through `JSON.parse`.
pub struct ParsedJson(String);

impl ParsedJson {
    /// Recommendations as the array of `Recommendation` objects.
    pub fn recommendations(found: &[Recommendation]) -> ParsedJson {
        ParsedJson(to_text(
            &found
                .iter()
                .map(RecommendationJson::from)
                .collect::<Vec<_>>(),
        ))
    }

    /// One array of recommendations per request.
    pub fn batches(found: &[Vec<Recommendation>]) -> ParsedJson {
        let all: Vec<Vec<RecommendationJson<'_>>> = found
            .iter()
            .map(|one| one.iter().map(RecommendationJson::from).collect())
            .collect();
        ParsedJson(to_text(&all))
    }
}

/// Serialising plain structs of numbers and strings cannot fail; should it
/// ever, the JavaScript side gets `null` rather than a panic.
fn to_text<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_string())
}

/// `Recommendation` as JavaScript sees it (keys and order as in
/// [`super::out::Recommendation`]).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RecommendationJson<'a> {
    id: IdJson<'a>,
    score: f64,
    components: &'a BTreeMap<String, f64>,
    predicted_price: f64,
    listed_price: f64,
    price_source: &'static str,
    unknown: &'a [String],
    reasons: &'a [String],
}

/// An id as [`super::out::id`] gives it: a number up to 2^53 − 1, else a
/// string.
#[derive(Serialize)]
#[serde(untagged)]
enum IdJson<'a> {
    Number(u64),
    Text(String),
    Borrowed(&'a str),
}

impl<'a> From<&'a Recommendation> for RecommendationJson<'a> {
    fn from(r: &'a Recommendation) -> Self {
        RecommendationJson {
            id: match &r.id {
                PropertyId::Int(n) if *n <= MAX_SAFE_INTEGER => IdJson::Number(*n),
                PropertyId::Int(n) => IdJson::Text(n.to_string()),
                PropertyId::Str(s) => IdJson::Borrowed(s),
            },
            score: r.score,
            components: &r.components,
            predicted_price: r.predicted_price,
            listed_price: r.listed_price,
            price_source: r.price_source.as_str(),
            unknown: &r.unknown,
            reasons: &r.reasons,
        }
    }
}

fn check(status: sys::napi_status) -> napi::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::new(
            napi::Status::GenericFailure,
            format!("building the result with JSON.parse failed (N-API status {status})"),
        ))
    }
}

impl TypeName for ParsedJson {
    fn type_name() -> &'static str {
        "JSON value"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for ParsedJson {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        // SAFETY: called by napi on the JavaScript thread with a live `env`;
        // every out-pointer is a local, and every status is checked.
        unsafe {
            let mut global = ptr::null_mut();
            check(sys::napi_get_global(env, &mut global))?;
            let json_name = CString::new("JSON").expect("no NUL");
            let parse_name = CString::new("parse").expect("no NUL");
            let mut json = ptr::null_mut();
            check(sys::napi_get_named_property(
                env,
                global,
                json_name.as_ptr(),
                &mut json,
            ))?;
            let mut parse = ptr::null_mut();
            check(sys::napi_get_named_property(
                env,
                json,
                parse_name.as_ptr(),
                &mut parse,
            ))?;
            let mut text = ptr::null_mut();
            check(sys::napi_create_string_utf8(
                env,
                val.0.as_ptr().cast(),
                val.0.len() as isize,
                &mut text,
            ))?;
            let mut out = ptr::null_mut();
            check(sys::napi_call_function(
                env, json, parse, 1, &text, &mut out,
            ))?;
            Ok(out)
        }
    }
}
