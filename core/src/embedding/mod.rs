//! Listing embeddings: an optional `f32` vector per listing, and what the
//! engine does with them.
//!
//! # What an embedding is here
//!
//! A listing may carry `embedding`: up to [`MAX_EMBEDDING_DIM`] numbers
//! produced by whatever model the host uses (a sentence encoder over the
//! title and description, an image model…). The engine runs no model: it
//! stores the vectors and compares them. All vectors of one catalog have
//! the same length, the catalog's *dimension*, set by the first listing
//! that has one; a listing without a vector is allowed (its similarity is
//! unknown). A vector must be made of finite numbers and must not be all
//! zeros (cosine needs a direction).
//!
//! # Normalisation
//!
//! The catalog builder takes the vector out of the listing and stores it
//! once, normalised to unit length by [`normalize`]: the Euclidean norm is
//! summed in `f64` in index order, each number divided by it in `f64` and
//! rounded to `f32`. A vector whose norm is already within
//! [`UNIT_TOLERANCE`] of 1 (2⁻²³, the `f32` machine epsilon) is kept as
//! given. That makes normalisation idempotent: rounding each number of a
//! normalised vector to `f32` moves the norm by at most 2⁻²⁴, inside the
//! tolerance, so normalising a stored vector again (a snapshot read back, a
//! listing exported with [`Catalog::listing`] and loaded elsewhere) keeps
//! it bit for bit.
//!
//! All the vectors live in one contiguous row-major matrix,
//! [`Embeddings`] (no second copy on the listings:
//! [`Catalog::properties`] and [`Catalog::get`] return listings without
//! `embedding`; [`Catalog::embedding`] and [`Catalog::listing`] give it
//! back).
//!
//! # Cosine and the score
//!
//! Two unit vectors' cosine is their dot product. The similarity score of a
//! listing is `100 × max(0, cos)`: a listing pointing the same way scores
//! 100, an unrelated (orthogonal) or opposite one 0.
//!
//! # Memory
//!
//! A catalog with vectors of dimension `d` holds `4 × d + 1` bytes per
//! listing for them (the `f32` row and a presence flag, rows without a
//! vector included): 1,537 bytes at 384 numbers, 1.5 GB for a million
//! listings. [`Embeddings::bytes_per_listing`] and the catalog's stats
//! report it.
//!
//! # A toy embedding for tests
//!
//! [`hashed_ngrams`] turns text into a vector without any model download.
//! It is a deterministic bag of character 3-grams, good for tests and
//! examples that must run offline, not a language model: it knows that
//! "condo" and "condos" share letters, not that "condo" and "apartment"
//! are alike.
//!
//! # Parts
//!
//! - `store.rs`: [`Embeddings`], the catalog's matrix;
//! - [`scan`]: the exact top-k kernel, with [`scan::dot`] the one
//!   definition of the similarity of two unit vectors;
//! - [`quantized`]: optional 8-bit storage with an exact re-rank;
//! - [`structured`]: the built-in structured embedding, made from a
//!   listing's fields, for catalogs whose listings carry no `embedding`.
//!
//! [`Catalog::listing`]: crate::Catalog::listing
//! [`Catalog::properties`]: crate::Catalog::properties
//! [`Catalog::get`]: crate::Catalog::get
//! [`Catalog::embedding`]: crate::Catalog::embedding

pub mod quantized;
pub mod scan;
mod store;
pub mod structured;

pub use store::Embeddings;

use crate::error::{MiraError, RecordRef, Result};

/// The longest vector a listing may carry.
pub const MAX_EMBEDDING_DIM: usize = 4096;

/// How far from 1 a vector's norm may be for [`normalize`] to keep it as
/// given: 2⁻²³, the `f32` machine epsilon.
pub const UNIT_TOLERANCE: f64 = f32::EPSILON as f64;

/// The Euclidean norm of `v`, its squares summed in `f64` in index order.
pub fn norm(v: &[f32]) -> f64 {
    v.iter()
        .map(|&x| f64::from(x) * f64::from(x))
        .sum::<f64>()
        .sqrt()
}

/// Scale `v` to unit length in place (see the [module docs](self)): each
/// number divided by [`norm`] in `f64` and rounded to `f32`, unless the norm
/// is already within [`UNIT_TOLERANCE`] of 1, in which case `v` is left as
/// it is. Idempotent. A vector of zeros (or an empty one) is left as it is:
/// it has no direction, and listings refuse it.
///
/// ```
/// use agent_mira::embedding::normalize;
/// let mut v = vec![3.0f32, 0.0, -4.0];
/// normalize(&mut v);
/// assert_eq!(v, [0.6, 0.0, -0.8]);
/// let again = v.clone();
/// normalize(&mut v);
/// assert_eq!(v, again);
/// ```
pub fn normalize(v: &mut [f32]) {
    let n = norm(v);
    if n == 0.0 || (n - 1.0).abs() <= UNIT_TOLERANCE {
        return;
    }
    for x in v.iter_mut() {
        *x = (f64::from(*x) / n) as f32;
    }
}

/// Check a listing's vector: 1 to [`MAX_EMBEDDING_DIM`] numbers, each
/// finite, not all zero. `field` is the field's name in messages.
pub(crate) fn check(record: &RecordRef, field: &str, v: &[f32]) -> Result<()> {
    if v.is_empty() || v.len() > MAX_EMBEDDING_DIM {
        return Err(MiraError::invalid(
            record.clone(),
            field,
            format!("{} numbers", v.len()),
            format!("between 1 and {MAX_EMBEDDING_DIM} numbers"),
        ));
    }
    if let Some(i) = v.iter().position(|x| !x.is_finite()) {
        return Err(MiraError::invalid(
            record.clone(),
            format!("{field}[{i}]"),
            v[i],
            "a finite number",
        ));
    }
    if v.iter().all(|&x| x == 0.0) {
        return Err(MiraError::invalid(
            record.clone(),
            field,
            "all zeros",
            "a vector with a length > 0 (cosine needs a direction)",
        ));
    }
    Ok(())
}

/// The 64-bit FNV-1a hash of `bytes` (offset basis 0xcbf29ce484222325,
/// prime 0x100000001b3): stable across platforms and versions.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// A deterministic toy embedding of `text` with `dim` numbers, for tests
/// and examples that must run without a model download — not a language
/// model (see the [module docs](self)).
///
/// The recipe, so that any language can reproduce it:
///
/// 1. lower-case the text (Unicode), replace every run of whitespace by
///    one space, trim, and put one space before and after;
/// 2. for every window of 3 consecutive characters (Unicode scalar
///    values), hash its UTF-8 bytes with [`fnv1a64`]; the bucket is
///    `hash % dim`, the sign is `-1` when the hash's top bit is set and
///    `+1` otherwise; add the sign to the bucket;
/// 3. [`normalize`] the counts.
///
/// An empty (or all-whitespace) text has no 3-gram and gives a vector of
/// zeros, which a listing refuses (so does, by a rare accident, a text
/// whose signs cancel in every bucket). `dim == 0` gives an empty vector.
///
/// ```
/// use agent_mira::embedding::hashed_ngrams;
/// let a = hashed_ngrams("Sunny condo near the lake", 32);
/// assert_eq!(a.len(), 32);
/// assert_eq!(a, hashed_ngrams("  SUNNY condo\nnear the LAKE ", 32));
/// let norm: f64 = a.iter().map(|&x| f64::from(x) * f64::from(x)).sum::<f64>().sqrt();
/// assert!((norm - 1.0).abs() < 1e-6);
/// assert!(hashed_ngrams("", 32).iter().all(|&x| x == 0.0));
/// ```
pub fn hashed_ngrams(text: &str, dim: usize) -> Vec<f32> {
    let mut v = vec![0.0f32; dim];
    if dim == 0 {
        return v;
    }
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let padded: Vec<char> = format!(" {} ", words.join(" ")).chars().collect();
    let mut buf = [0u8; 12];
    for w in padded.windows(3) {
        let mut len = 0;
        for c in w {
            len += c.encode_utf8(&mut buf[len..]).len();
        }
        let h = fnv1a64(&buf[..len]);
        let bucket = (h % dim as u64) as usize;
        v[bucket] += if h >> 63 == 1 { -1.0 } else { 1.0 };
    }
    normalize(&mut v);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(v: &[f32]) -> String {
        check(&RecordRef::Id("7".into()), "embedding", v)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn bad_vectors_are_refused_by_index() {
        let mut v = vec![0.5f32; 20];
        v[12] = f32::NAN;
        assert_eq!(
            message(&v),
            "listing 7: field `embedding[12]` = NaN: expected a finite number"
        );
        v[12] = f32::NEG_INFINITY;
        v[3] = f32::INFINITY;
        assert_eq!(
            message(&v),
            "listing 7: field `embedding[3]` = inf: expected a finite number"
        );
        assert_eq!(
            message(&[0.0, -0.0, 0.0]),
            "listing 7: field `embedding` = all zeros: expected a vector with a length > 0 (cosine needs a direction)"
        );
        assert_eq!(
            message(&[]),
            "listing 7: field `embedding` = 0 numbers: expected between 1 and 4096 numbers"
        );
        assert_eq!(
            message(&vec![1.0; 4097]),
            "listing 7: field `embedding` = 4097 numbers: expected between 1 and 4096 numbers"
        );
        assert!(check(&RecordRef::Index(0), "embedding", &vec![1e-45; 4096]).is_ok());
    }

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    /// A small deterministic generator (SplitMix64) for test vectors.
    fn numbers(seed: u64, n: usize) -> Vec<f32> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = s;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^= z >> 31;
                // Spread over many magnitudes and both signs.
                let unit = (z >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
                (unit * 10f64.powi((z % 7) as i32 - 3)) as f32
            })
            .collect()
    }

    #[test]
    fn normalising_gives_unit_length_and_is_idempotent() {
        for (seed, n) in (0..400u64).map(|s| (s, 1 + (s as usize * 37) % MAX_EMBEDDING_DIM)) {
            let mut v = numbers(seed, n);
            normalize(&mut v);
            assert!(
                (norm(&v) - 1.0).abs() <= f64::from(f32::EPSILON) / 2.0 + 1e-12,
                "seed {seed}: norm {}",
                norm(&v)
            );
            let once: Vec<u32> = v.iter().map(|x| x.to_bits()).collect();
            normalize(&mut v);
            let twice: Vec<u32> = v.iter().map(|x| x.to_bits()).collect();
            assert_eq!(once, twice, "seed {seed}");
        }
    }

    #[test]
    fn normalising_keeps_tiny_and_huge_vectors_finite() {
        let mut tiny = vec![1e-45f32, 0.0];
        normalize(&mut tiny);
        assert_eq!(tiny, [1.0, 0.0]);
        let mut huge = vec![f32::MAX, f32::MAX];
        normalize(&mut huge);
        assert_eq!(huge, [std::f32::consts::FRAC_1_SQRT_2; 2]);
    }

    #[test]
    fn hashed_ngrams_is_stable() {
        // "abc" padded is " abc ": 3 windows " ab", "abc", "bc ".
        let v = hashed_ngrams("ABC", 8);
        let mut expected = [0.0f32; 8];
        for gram in [" ab", "abc", "bc "] {
            let h = fnv1a64(gram.as_bytes());
            expected[(h % 8) as usize] += if h >> 63 == 1 { -1.0 } else { 1.0 };
        }
        normalize(&mut expected);
        assert_eq!(v, expected);
        // " a " is one 3-gram: one bucket at ±1.
        assert_eq!(
            hashed_ngrams("a", 8).iter().map(|x| x.abs()).sum::<f32>(),
            1.0
        );
        assert_eq!(hashed_ngrams(" \n ", 8), [0.0; 8]);
        assert!(hashed_ngrams("x", 0).is_empty());
    }
}
