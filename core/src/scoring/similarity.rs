//! The `similarity` component's query: the buyer's `similar_to` resolved
//! once per request into a unit vector, and the cosine of a listing's
//! vector with it.
//!
//! Cosine of two unit vectors is their dot product, accumulated in `f64`
//! in one fixed order ([`dot`]); every path (full, screened and pruned
//! scans, the breakdown, [`Engine::similar`](crate::Engine::similar))
//! computes it with this one function, so they agree to the last bit.

use std::fmt;

use crate::embedding::structured::Structured;

/// Rows of unit vectors, one per listing, all of one dimension: the
/// catalog's embeddings or the built-in structured embedding.
pub(crate) trait VectorRows: Sync + fmt::Debug {
    /// Numbers per vector.
    fn dim(&self) -> usize;
    /// Listing `row`'s unit vector (`None`: it has none).
    fn row(&self, row: usize) -> Option<&[f32]>;
}

impl VectorRows for Structured {
    fn dim(&self) -> usize {
        Structured::dim(self)
    }

    #[inline]
    fn row(&self, row: usize) -> Option<&[f32]> {
        Structured::row(self, row)
    }
}

/// The dot product of `a` and `b` (same length), each product and the sum
/// in `f64`, summed in index order.
#[inline]
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f64 {
    debug_assert_eq!(a.len(), b.len());
    let mut sum = 0.0f64;
    for (x, y) in a.iter().zip(b) {
        sum += f64::from(*x) * f64::from(*y);
    }
    sum
}

/// `v` scaled to unit length: the norm computed in `f64`, each number
/// divided by it in `f64` and stored as `f32`. `None` when `v` has no
/// length (all zeros).
pub(crate) fn unit(v: impl ExactSizeIterator<Item = f64> + Clone) -> Option<Vec<f32>> {
    let norm = v.clone().map(|x| x * x).sum::<f64>().sqrt();
    if !(norm > 0.0 && norm.is_finite()) {
        return None;
    }
    Some(v.map(|x| (x / norm) as f32).collect())
}

/// A request's similarity query, resolved against the catalog.
#[derive(Debug)]
pub(crate) struct Query<'a> {
    /// The vectors scored (the catalog's, or the structured embedding).
    pub vectors: &'a dyn VectorRows,
    /// The query, a unit vector of `vectors.dim()` numbers.
    pub query: Vec<f32>,
    /// Rows of the liked listings (sorted): left out of the results.
    pub liked: Vec<usize>,
}

impl Query<'_> {
    /// The cosine of listing `row`'s vector with the query (NaN when it
    /// has none).
    #[inline]
    pub fn cosine(&self, row: usize) -> f64 {
        match self.vectors.row(row) {
            Some(v) => dot(v, &self.query),
            None => f64::NAN,
        }
    }

    /// Whether listing `row` is one of the liked listings.
    #[inline]
    pub fn is_liked(&self, row: usize) -> bool {
        self.liked.binary_search(&row).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_sums_in_f64_in_index_order() {
        let a = [1.0f32, 1e-8, -1.0];
        let b = [1.0f32, 1.0, 1.0];
        // In f32 the 1e-8 would vanish; in f64 it survives the sum.
        assert_eq!(dot(&a, &b), f64::from(1e-8f32));
    }

    #[test]
    fn unit_vectors_have_length_one_and_zero_has_none() {
        let u = unit([3.0, 4.0].into_iter()).unwrap();
        assert_eq!(u, vec![0.6, 0.8]);
        assert_eq!(unit([0.0, 0.0].into_iter()), None);
    }
}
