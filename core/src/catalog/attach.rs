//! [`Catalog::with_embeddings`]: attach a whole matrix of vectors to a
//! catalog in one call (what a host does after running its embedding model
//! over the listings).

use std::collections::HashMap;

use rayon::prelude::*;

use super::{wrong_dimension, Catalog};
use crate::embedding::{check, normalize, Embeddings, MAX_EMBEDDING_DIM};
use crate::error::{MiraError, RecordRef, Result};
use crate::listing::{with_id, PropertyId};

impl Catalog {
    /// A new catalog (next version) in which listing `ids[i]` has the
    /// vector in row `i` of `matrix`, a row-major `ids.len() × dim` matrix;
    /// listings not named keep their vectors (or their lack of one).
    ///
    /// Each row is checked like a listing's `embedding` (finite numbers, not
    /// all zero; errors name the row, the listing and the index:
    /// "embeddings row 3 (listing 7): field `embedding[2]` = NaN: expected
    /// a finite number") and normalised once, exactly as when the vector
    /// comes with the listing, so both ways give bit-identical catalogs.
    /// Rows are checked and normalised in parallel.
    ///
    /// The dimension must be the catalog's, unless the catalog has no
    /// vectors yet or `ids` names every listing that has one (re-embedding
    /// the catalog with another model: the new dimension replaces the old).
    ///
    /// Refused: `matrix.len() != ids.len() × dim`, a `dim` of 0 or over
    /// [`MAX_EMBEDDING_DIM`], an id not in the catalog, an id named twice.
    ///
    /// ```
    /// use agent_mira::{Catalog, Property};
    /// let mut b = Catalog::builder();
    /// b.push(Property::new(1u64, 400_000.0))?.push(Property::new(2u64, 300_000.0))?;
    /// let catalog = b.build();
    /// let with = catalog.with_embeddings(&[2u64.into()], &[3.0, 4.0], 2)?;
    /// assert_eq!(with.version(), catalog.version() + 1);
    /// assert_eq!(with.embedding(1), Some(&[0.6f32, 0.8][..]));
    /// assert_eq!(with.embedding(0), None);
    /// let err = with.with_embeddings(&[1u64.into()], &[1.0, f32::NAN], 2).unwrap_err();
    /// assert_eq!(err.to_string(), "embeddings row 0 (listing 1): field `embedding[1]` = NaN: expected a finite number");
    /// # Ok::<(), agent_mira::MiraError>(())
    /// ```
    pub fn with_embeddings(
        &self,
        ids: &[PropertyId],
        matrix: &[f32],
        dim: usize,
    ) -> Result<Catalog> {
        let whole = RecordRef::Other("embeddings".into());
        if dim == 0 || dim > MAX_EMBEDDING_DIM {
            return Err(MiraError::invalid(
                whole,
                "dim",
                dim,
                format!("between 1 and {MAX_EMBEDDING_DIM} numbers per vector"),
            ));
        }
        if Some(matrix.len()) != ids.len().checked_mul(dim) {
            return Err(MiraError::invalid(
                whole,
                "embeddings",
                format!("{} numbers", matrix.len()),
                format!(
                    "{} ids × {dim} numbers = {} numbers (one row per id)",
                    ids.len(),
                    ids.len().saturating_mul(dim)
                ),
            ));
        }
        let row_record = |i: usize| {
            with_id(
                &RecordRef::Other(format!("embeddings row {i}")),
                &ids[i].to_string(),
            )
        };
        // Catalog row -> matrix row.
        let mut source: Vec<Option<usize>> = vec![None; self.len()];
        let mut seen: HashMap<&PropertyId, usize> = HashMap::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            let Some(row) = self.row_of(id) else {
                return Err(MiraError::NotFound { id: id.to_string() });
            };
            if let Some(first) = seen.insert(id, i) {
                return Err(MiraError::DuplicateId {
                    id: id.to_string(),
                    record: RecordRef::Other(format!("embeddings row {i}")),
                    first: RecordRef::Other(format!("embeddings row {first}")),
                });
            }
            source[row] = Some(i);
        }
        let old = self.embeddings();
        let keep_old =
            old.count() > 0 && (0..old.len()).any(|r| old.present(r) && source[r].is_none());
        if keep_old && old.dim() != dim {
            let setter = self.dim_set_by().map(ToString::to_string);
            return Err(wrong_dimension(
                &row_record(0),
                dim,
                old.dim(),
                setter.as_deref().unwrap_or("?"),
            ));
        }
        if let Some(err) = matrix
            .par_chunks(dim)
            .enumerate()
            .find_map_first(|(i, v)| check(&row_record(i), "embedding", v).err())
        {
            return Err(err);
        }
        let mut data = vec![0.0f32; self.len() * dim];
        let mut present = vec![false; self.len()];
        data.par_chunks_mut(dim)
            .zip(present.par_iter_mut())
            .enumerate()
            .for_each(|(row, (out, has))| {
                if let Some(i) = source[row] {
                    out.copy_from_slice(&matrix[i * dim..(i + 1) * dim]);
                    normalize(out);
                    *has = true;
                } else if let Some(v) = old.row(row) {
                    out.copy_from_slice(v);
                    *has = true;
                }
            });
        let embeddings = Embeddings::from_rows(dim, data, present);
        Ok(self.next(
            self.inner.properties.clone(),
            self.inner.index.clone(),
            embeddings,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Property;

    fn catalog(vectors: &[Option<Vec<f32>>]) -> Catalog {
        let mut b = Catalog::builder();
        for (i, v) in vectors.iter().enumerate() {
            let mut p = Property::new(i as u64 + 1, 100_000.0);
            p.embedding = v.clone();
            b.push(p).unwrap();
        }
        b.build()
    }

    fn ids(ids: &[u64]) -> Vec<PropertyId> {
        ids.iter().map(|&i| i.into()).collect()
    }

    #[test]
    fn attaching_gives_the_same_catalog_as_vectors_on_the_listings() {
        let given = catalog(&[Some(vec![1.0, 2.0, 2.0]), None, Some(vec![0.0, -3.0, 4.0])]);
        let attached = catalog(&[None, None, None])
            .with_embeddings(&ids(&[3, 1]), &[0.0, -3.0, 4.0, 1.0, 2.0, 2.0], 3)
            .unwrap();
        assert_eq!(attached.embeddings(), given.embeddings());
        let (a, g) = (attached.stats(), given.stats());
        assert_eq!((a.version, g.version), (2, 1));
        assert_eq!(
            (
                a.embedding_dim,
                a.listings_with_embedding,
                a.embedding_bytes_per_listing
            ),
            (
                g.embedding_dim,
                g.listings_with_embedding,
                g.embedding_bytes_per_listing
            )
        );
    }

    #[test]
    fn listings_not_named_keep_their_vectors() {
        let c = catalog(&[Some(vec![1.0, 0.0]), Some(vec![0.0, 1.0])]);
        let next = c.with_embeddings(&ids(&[2]), &[3.0, 4.0], 2).unwrap();
        assert_eq!(next.embedding(0), Some(&[1.0f32, 0.0][..]));
        assert_eq!(next.embedding(1), Some(&[0.6f32, 0.8][..]));
        assert_eq!(
            c.embedding(1),
            Some(&[0.0f32, 1.0][..]),
            "the old catalog is untouched"
        );
    }

    #[test]
    fn a_new_dimension_needs_every_vector_replaced() {
        let c = catalog(&[Some(vec![1.0, 0.0]), Some(vec![0.0, 1.0]), None]);
        let err = c
            .with_embeddings(&ids(&[1]), &[1.0, 0.0, 0.0], 3)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "embeddings row 0 (listing 1): field `embedding` = 3 numbers: expected 2 numbers, the catalog's dimension (set by listing 1)"
        );
        let next = c
            .with_embeddings(&ids(&[2, 1]), &[0.0, 0.0, 2.0, 1.0, 0.0, 0.0], 3)
            .unwrap();
        assert_eq!(next.embeddings().dim(), 3);
        assert_eq!(next.embedding(1), Some(&[0.0f32, 0.0, 1.0][..]));
        assert_eq!(next.embedding(2), None);
    }

    #[test]
    fn bad_input_is_refused_by_name() {
        let c = catalog(&[None, None]);
        let msg = |ids_: &[u64], m: &[f32], dim| {
            c.with_embeddings(&ids(ids_), m, dim)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            msg(&[1, 2], &[1.0, 2.0, 3.0], 2),
            "embeddings: field `embeddings` = 3 numbers: expected 2 ids × 2 numbers = 4 numbers (one row per id)"
        );
        assert_eq!(
            msg(&[1], &[], 0),
            "embeddings: field `dim` = 0: expected between 1 and 4096 numbers per vector"
        );
        assert_eq!(msg(&[9], &[1.0], 1), "no listing with id 9");
        assert_eq!(
            msg(&[1, 1], &[1.0, 1.0], 1),
            "embeddings row 1: duplicate id 1 (first seen at embeddings row 0)"
        );
        assert_eq!(
            msg(&[1, 2], &[1.0, 1.0, 0.0, 0.0], 2),
            "embeddings row 1 (listing 2): field `embedding` = all zeros: expected a vector with a length > 0 (cosine needs a direction)"
        );
        assert_eq!(
            msg(&[1, 2], &[f32::INFINITY, 1.0, 0.0, f32::NAN], 2),
            "embeddings row 0 (listing 1): field `embedding[0]` = inf: expected a finite number",
            "the first bad row is named, whatever the thread order"
        );
    }
}
