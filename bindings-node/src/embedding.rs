//! `hashedNgrams`: the core's deterministic toy embedding, for tests and
//! examples that must run offline.

use agent_mira::{MiraError, RecordRef, MAX_EMBEDDING_DIM};
use napi::bindgen_prelude::{Float32Array, Unknown};
use napi_derive::napi;

use crate::convert::value::{self, Kind};
use crate::error::{guard, BindError, Code};

/// The `dim` argument: a whole number from 1 to [`MAX_EMBEDDING_DIM`].
fn dim_arg(v: &Unknown<'_>, call: &str) -> Result<usize, BindError> {
    let expected = format!("a whole number from 1 to {MAX_EMBEDDING_DIM}");
    if value::kind(v)? != Kind::Number {
        return Err(BindError::wrong_type(
            format!("{call}: argument `dim`"),
            &value::describe(v),
            &expected,
        ));
    }
    let x = value::number(v)?;
    if x.fract() == 0.0 && (1.0..=MAX_EMBEDDING_DIM as f64).contains(&x) {
        Ok(x as usize)
    } else {
        Err(BindError::AsTyped(MiraError::invalid(
            RecordRef::Other(call.into()),
            "dim",
            value::number_text(x),
            expected,
        )))
    }
}

/// The deterministic toy embedding of a text (or of each of many texts),
/// `dim` numbers each: hashed character 3-grams (the core's
/// `agent_mira::embedding::hashed_ngrams`), normalised to unit length.
/// For tests and examples that must run without a model download; it is
/// not a language model and knows nothing of meaning, only spelling
/// (texts sharing many 3-grams come out alike). Real applications embed
/// their listings with a model of their own and attach the vectors with
/// `catalog.withEmbeddings`.
///
/// A string gives a `Float32Array` of `dim` numbers; an array of `n`
/// strings one flat `Float32Array` of `n × dim` numbers (row `i` is
/// `texts[i]`'s vector), ready for `catalog.withEmbeddings(ids, vectors)`.
/// The same text gives the same numbers in every language and on every
/// machine. A text with no 3-gram (empty or all spaces) gives zeros, which
/// `withEmbeddings` refuses. `dim`: 1 to 4096.
#[napi(
    catch_unwind,
    ts_args_type = "textOrTexts: string | string[], dim: number"
)]
pub fn hashed_ngrams(
    text_or_texts: Unknown<'_>,
    dim: Unknown<'_>,
) -> napi::Result<Float32Array, Code> {
    guard(|| {
        let call = "hashedNgrams()";
        let dim = dim_arg(&dim, call)?;
        let embed = |text: &str| agent_mira::embedding::hashed_ngrams(text, dim);
        match value::kind(&text_or_texts)? {
            Kind::String => Ok(Float32Array::new(embed(&value::string(&text_or_texts)?))),
            Kind::Array => {
                let texts = value::elements(&text_or_texts)?;
                let mut out = Vec::with_capacity(texts.len() * dim);
                for (i, t) in texts.iter().enumerate() {
                    if value::kind(t)? != Kind::String {
                        return Err(BindError::wrong_type(
                            format!("{call}: `texts[{i}]`"),
                            &value::describe(t),
                            "a string",
                        ));
                    }
                    out.extend(embed(&value::string(t)?));
                }
                Ok(Float32Array::new(out))
            }
            _ => Err(BindError::wrong_type(
                format!("{call}: argument `textOrTexts`"),
                &value::describe(&text_or_texts),
                "a string or an array of strings",
            )),
        }
    })
}
