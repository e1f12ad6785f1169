//! [`Embeddings`]: every listing's vector in one contiguous row-major
//! matrix, normalised once when the catalog is built.

use super::MAX_EMBEDDING_DIM;

/// The vectors of a catalog's listings: one contiguous row-major `f32`
/// matrix of `len() × dim()` numbers, row `r` belonging to the listing at
/// catalog row `r`, every stored vector of unit length (see
/// [`normalize`](super::normalize)).
///
/// A listing without a vector holds a row of zeros and [`present`] is
/// `false` for it; [`row`] returns `None` for it. A catalog where no listing
/// has a vector has `dim() == 0` and stores nothing (not even the flags).
///
/// Built by the catalog builder ([`crate::CatalogBuilder::push`]); read with
/// [`crate::Catalog::embeddings`].
///
/// ```
/// use agent_mira::{Catalog, Property};
/// let mut with = Property::new(1u64, 400_000.0);
/// with.embedding = Some(vec![3.0, 4.0]);
/// let mut b = Catalog::builder();
/// b.push(with)?.push(Property::new(2u64, 300_000.0))?;
/// let catalog = b.build();
/// let e = catalog.embeddings();
/// assert_eq!((e.dim(), e.len(), e.count()), (2, 2, 1));
/// assert_eq!(e.row(0), Some(&[0.6f32, 0.8][..]));
/// assert_eq!(e.row(1), None);
/// assert_eq!(e.data(), &[0.6, 0.8, 0.0, 0.0]);
/// assert_eq!(e.bytes_per_listing(), 9);
/// # Ok::<(), agent_mira::MiraError>(())
/// ```
///
/// [`present`]: Embeddings::present
/// [`row`]: Embeddings::row
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Embeddings {
    dim: usize,
    len: usize,
    data: Vec<f32>,
    present: Vec<bool>,
    count: usize,
}

impl Embeddings {
    /// Numbers per vector: the catalog's dimension, 0 when no listing has a
    /// vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Rows: the number of listings in the catalog (with or without a
    /// vector).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The unit vector of the listing at `row`, or `None` when it has none
    /// (or `row` is out of range).
    pub fn row(&self, row: usize) -> Option<&[f32]> {
        self.present(row)
            .then(|| &self.data[row * self.dim..(row + 1) * self.dim])
    }

    /// The whole matrix, row-major, `len() × dim()` numbers (rows without a
    /// vector are zeros; empty when `dim() == 0`).
    pub fn data(&self) -> &[f32] {
        &self.data
    }

    /// Whether the listing at `row` has a vector (`false` out of range).
    pub fn present(&self, row: usize) -> bool {
        self.present.get(row).copied().unwrap_or(false)
    }

    /// Whether each row has a vector, in row order (empty when `dim() == 0`).
    pub(crate) fn present_flags(&self) -> &[bool] {
        &self.present
    }

    /// Listings with a vector.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Memory the vectors take per listing, in bytes: `4 × dim()` for the
    /// row plus 1 for its presence flag; 0 when no listing has a vector.
    pub fn bytes_per_listing(&self) -> usize {
        if self.dim == 0 {
            0
        } else {
            self.dim * std::mem::size_of::<f32>() + std::mem::size_of::<bool>()
        }
    }

    /// A matrix from its parts: `present.len()` rows of `dim` numbers in
    /// `data` (zeros where `present` is false), every present row already
    /// checked and normalised.
    pub(crate) fn from_rows(dim: usize, data: Vec<f32>, present: Vec<bool>) -> Embeddings {
        debug_assert_eq!(data.len(), dim * present.len());
        let count = present.iter().filter(|&&p| p).count();
        if count == 0 {
            return Embeddings {
                len: present.len(),
                ..Embeddings::default()
            };
        }
        Embeddings {
            dim,
            len: present.len(),
            data,
            present,
            count,
        }
    }

    /// An empty matrix with room for `rows` rows of `dim` numbers (the
    /// dimension itself is set by the first vector pushed, so a matrix that
    /// receives none keeps `dim() == 0`).
    pub(crate) fn with_capacity(dim: usize, rows: usize) -> Embeddings {
        Embeddings {
            dim: 0,
            len: 0,
            data: Vec::with_capacity(dim * rows),
            present: Vec::with_capacity(if dim == 0 { 0 } else { rows }),
            count: 0,
        }
    }

    /// Append a row: `Some(unit vector)` of `dim()` numbers (the first
    /// vector of a matrix without one sets the dimension and zero-fills the
    /// rows before it), or `None` for a listing without one. The caller
    /// checked the dimension and normalised the vector.
    pub(crate) fn push(&mut self, vector: Option<&[f32]>) {
        match vector {
            Some(v) => {
                debug_assert!(!v.is_empty() && v.len() <= MAX_EMBEDDING_DIM);
                if self.dim == 0 {
                    self.dim = v.len();
                    self.data.clear();
                    self.data.resize(self.len * self.dim, 0.0);
                    self.present.clear();
                    self.present.resize(self.len, false);
                }
                debug_assert_eq!(v.len(), self.dim);
                self.data.extend_from_slice(v);
                self.present.push(true);
                self.count += 1;
            }
            None => {
                if self.dim != 0 {
                    self.data.resize(self.data.len() + self.dim, 0.0);
                    self.present.push(false);
                }
            }
        }
        self.len += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_before_the_first_vector_are_zero_filled() {
        let mut e = Embeddings::default();
        e.push(None);
        e.push(None);
        assert_eq!(
            (e.dim(), e.len(), e.count(), e.bytes_per_listing()),
            (0, 2, 0, 0)
        );
        assert!(e.data().is_empty());
        e.push(Some(&[0.6, 0.8]));
        e.push(None);
        assert_eq!((e.dim(), e.len(), e.count()), (2, 4, 1));
        assert_eq!(e.data(), &[0.0, 0.0, 0.0, 0.0, 0.6, 0.8, 0.0, 0.0]);
        assert_eq!(
            (0..5).map(|r| e.present(r)).collect::<Vec<_>>(),
            [false, false, true, false, false]
        );
        assert_eq!(e.row(2), Some(&[0.6f32, 0.8][..]));
        assert_eq!(e.row(3), None);
        assert_eq!(e.row(4), None);
        assert_eq!(e.bytes_per_listing(), 9);
    }

    #[test]
    fn a_matrix_that_receives_no_vector_has_no_dimension() {
        let mut e = Embeddings::with_capacity(384, 3);
        e.push(None);
        e.push(None);
        assert_eq!(
            (e.dim(), e.len(), e.count(), e.bytes_per_listing()),
            (0, 2, 0, 0)
        );
        assert!(e.data().is_empty());
    }
}
