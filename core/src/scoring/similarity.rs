//! The `similarity` component's query: the buyer's `similar_to` resolved
//! once per request into a unit vector, and the cosine of a listing's
//! vector with it.
//!
//! Cosine of two unit vectors is their dot product, accumulated in `f64`
//! in one fixed order ([`dot`], the kernel's); every path (full, screened and pruned
//! scans, the breakdown, [`Engine::similar`](crate::Engine::similar))
//! computes it with this one function, so they agree to the last bit.

use std::fmt;

use crate::catalog::Columns;
use crate::embedding::structured::{Fields, Structured};
use crate::embedding::Embeddings;
use crate::listing::PropertyType;
use crate::scoring::decay::Decay;

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

impl VectorRows for Embeddings {
    fn dim(&self) -> usize {
        Embeddings::dim(self)
    }

    #[inline]
    fn row(&self, row: usize) -> Option<&[f32]> {
        Embeddings::row(self, row)
    }
}

/// The fields of `cols` the structured embedding reads.
pub(crate) fn structured_fields(cols: &Columns) -> Fields<'_> {
    let [x, y, z] = &cols.unit_vectors;
    Fields {
        price: &cols.price,
        bedrooms: &cols.bedrooms,
        bathrooms: &cols.bathrooms,
        size_sqft: &cols.size_sqft,
        year_built: &cols.year_built,
        unit_vectors: [x, y, z],
        location: &cols.location,
        location_keys: &cols.location_keys,
        property_type: &cols.property_type,
        types: PropertyType::ALL.len(),
        amenity_names: &cols.amenity_names,
        amenity_words: cols.amenity_words,
        amenities: &cols.amenities,
        amenities_known: &cols.amenities_known,
    }
}

/// The similarity of two vectors: [`scan::dot`](crate::embedding::scan::dot),
/// the crate's one definition (f64, fixed lane order).
pub(crate) use crate::embedding::scan::dot;

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

/// The similarity score of a cosine: the `balanced` profile's curve for
/// the component, a linear decay over the distance `1 − cos` (offset 0,
/// scale 1, decay 0), so `100 × max(0, cos)` — computed with that curve,
/// so that [`Engine::similar`](crate::Engine::similar) and the ranking's
/// component give the same bits. (The engine scores with [`scorer`]; the
/// tests hold the two together.)
#[cfg(test)]
pub(crate) fn score(cos: f64) -> f64 {
    100.0 * SCORE_CURVE.factor((1.0 - cos).max(0.0))
}

/// The curve of [`score`].
const SCORE_CURVE: Decay = Decay::linear(0.0, 1.0, 0.0);

/// [`score`] with its curve compiled once, for a scan that scores every
/// listing (`Decay::factor` compiles the curve, a logarithm, on each call):
/// the same bits, since `Decay::factor` is the compiled curve's `factor`.
pub(crate) fn scorer() -> impl Fn(f64) -> f64 + Sync + Copy {
    let curve = SCORE_CURVE.compile();
    move |cos| 100.0 * curve.factor((1.0 - cos).max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compiled_scorer_gives_the_bits_of_score() {
        let scorer = scorer();
        let mut cos = -1.5f64;
        while cos <= 1.5 {
            for c in [cos, cos.next_up(), cos.next_down()] {
                assert_eq!(scorer(c).to_bits(), score(c).to_bits(), "cos {c}");
            }
            cos += 1.0 / 1024.0 + 1e-9;
        }
        for c in [0.0, -0.0, 1.0, -1.0, f64::NAN, 1.0 + f64::EPSILON] {
            assert_eq!(scorer(c).to_bits(), score(c).to_bits(), "cos {c}");
        }
    }

    #[test]
    fn unit_vectors_have_length_one_and_zero_has_none() {
        let u = unit([3.0, 4.0].into_iter()).unwrap();
        assert_eq!(u, vec![0.6, 0.8]);
        assert_eq!(unit([0.0, 0.0].into_iter()), None);
    }
}
