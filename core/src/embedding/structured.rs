//! The built-in structured embedding: a vector per listing made from its
//! fields, used for "homes like this one"
//! ([`Engine::similar`](crate::Engine::similar)) and for `similar_to.ids`
//! when the catalog's listings carry no `embedding` of their own.
//!
//! # The recipe
//!
//! Built once per catalog version (on first use), from the listings as the
//! catalog stores them. Each listing's vector has these blocks, in this
//! order ([`STRUCTURED_BLOCKS`]):
//!
//! | block | numbers | value |
//! |---|---|---|
//! | numbers | 5 | `ln(price)`, `bedrooms`, `bathrooms`, `ln(size_sqft)`, `year_built`, each z-scored over the listings that have it: `(x − mean) ÷ sd` (population standard deviation; 0 when the sd is 0); missing → 0 |
//! | coordinates | 3 | the listing's position as a unit vector on the globe, minus the mean position of the listings with coordinates, divided by their root-mean-square distance from it (so the spread of the catalog is 1); missing → 0 |
//! | place | 16 | 1 at bucket `fnv1a64(place key) mod 16` ([`fnv1a64`] of the key's UTF-8 bytes) of the listing's `location` (its comma-separated parts, lower-cased, punctuation dropped, as `location` preferences match them); no location → 0 |
//! | type | 7 | 1 at the listing's `property_type` (`sfh`, `condo`, `townhouse`, `apartment`, `villa`, `land`, `commercial`); none → 0 |
//! | amenities | up to 32 | 1 for each of the catalog's 32 most common amenities (ties: by canonical name) the listing has, the block divided by the square root of how many it has (so the block has length 1); none or unknown → 0 |
//!
//! Every block has weight 1 (a number, the coordinates, the place, the
//! type and the amenities each weigh about as much as one standard
//! deviation of a number). The whole vector is then scaled to unit length
//! (the norm in `f64`, the numbers stored as `f32`); a listing whose
//! vector is all zeros (it has no field the recipe reads, in a catalog
//! where they all vary) has no structured vector, and its similarity is
//! unknown.
//!
//! Similarity is the cosine of two of these vectors, exactly as for
//! embeddings a host supplies (see [`crate::scoring`], "Similarity").
//!
//! Memory: `n × dim × 4` bytes, `dim` = 31 plus the amenities used (at
//! most 63 numbers, 252 bytes per listing).

use super::fnv1a64;

/// The blocks of the structured embedding and their sizes (the amenity
/// block's is the most it may have).
pub const STRUCTURED_BLOCKS: &[(&str, usize)] = &[
    ("numbers", 5),
    ("coordinates", 3),
    ("place", PLACE_BUCKETS),
    ("type", 7),
    ("amenities", MAX_AMENITIES),
];

/// Buckets of the hashed place one-hot.
const PLACE_BUCKETS: usize = 16;
/// Most amenities the amenity block holds.
const MAX_AMENITIES: usize = 32;

/// The fields the recipe reads, one entry per listing (the catalog's
/// columns, lent by the scoring layer: this module depends on no catalog
/// type).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields<'a> {
    /// Listed prices.
    pub price: &'a [f64],
    /// Bedrooms (NaN: unknown).
    pub bedrooms: &'a [f64],
    /// Bathrooms (NaN: unknown).
    pub bathrooms: &'a [f64],
    /// Living area (NaN: unknown).
    pub size_sqft: &'a [f64],
    /// Year built (NaN: unknown).
    pub year_built: &'a [f64],
    /// Positions as unit vectors, x, y, z (NaN: unknown).
    pub unit_vectors: [&'a [f64]; 3],
    /// Place ids (`u32::MAX`: no location).
    pub location: &'a [u32],
    /// Each place id's key.
    pub location_keys: &'a [String],
    /// Property-type codes (`u8::MAX`: none).
    pub property_type: &'a [u8],
    /// How many property types there are.
    pub types: usize,
    /// Canonical amenity names by bit.
    pub amenity_names: &'a [String],
    /// 64-bit words per listing in `amenities`.
    pub amenity_words: usize,
    /// Amenity bit sets, `amenity_words` per listing.
    pub amenities: &'a [u64],
    /// Whether each listing's amenities are known.
    pub amenities_known: &'a [bool],
}

impl Fields<'_> {
    fn unit_vector(&self, row: usize) -> [f64; 3] {
        let [x, y, z] = self.unit_vectors;
        [x[row], y[row], z[row]]
    }

    fn has_amenity(&self, row: usize, bit: usize) -> bool {
        let word = self.amenities[row * self.amenity_words + bit / 64];
        word & (1u64 << (bit % 64)) != 0
    }
}

/// The structured embedding of one catalog version: `len × dim` numbers,
/// row-major, each row of unit length or all zeros (no vector).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Structured {
    dim: usize,
    data: Vec<f32>,
    present: Vec<bool>,
}

/// `v` scaled to unit length (the norm in `f64`, each number divided by
/// it in `f64`, stored as `f32`); `None` when it is all zeros.
fn unit(v: &[f64]) -> Option<Vec<f32>> {
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if !(norm > 0.0 && norm.is_finite()) {
        return None;
    }
    Some(v.iter().map(|x| (x / norm) as f32).collect())
}

/// Mean and population standard deviation of the finite values of `xs`
/// (sd 0 when fewer than two).
fn moments(xs: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let (n, sum) = xs
        .clone()
        .filter(|x| x.is_finite())
        .fold((0usize, 0.0f64), |(n, s), x| (n + 1, s + x));
    if n < 2 {
        return (if n == 1 { sum } else { 0.0 }, 0.0);
    }
    let mean = sum / n as f64;
    let var = xs
        .filter(|x| x.is_finite())
        .map(|x| (x - mean) * (x - mean))
        .sum::<f64>()
        / n as f64;
    (mean, var.sqrt())
}

impl Structured {
    /// The structured embedding of the listings whose fields are `cols`
    /// (the recipe in the module docs).
    pub fn build(cols: &Fields<'_>) -> Structured {
        let n = cols.price.len();
        let numbers: [Vec<f64>; 5] = [
            cols.price.iter().map(|p| p.ln()).collect(),
            cols.bedrooms.to_vec(),
            cols.bathrooms.to_vec(),
            cols.size_sqft.iter().map(|s| s.ln()).collect(),
            cols.year_built.to_vec(),
        ];
        let scaled: Vec<(f64, f64)> = numbers
            .iter()
            .map(|xs| moments(xs.iter().copied()))
            .collect();
        // Coordinates: centred unit vectors over their RMS spread.
        let with_coords: Vec<usize> = (0..n)
            .filter(|&r| cols.unit_vector(r)[0].is_finite())
            .collect();
        let mut centre = [0.0f64; 3];
        for &r in &with_coords {
            let u = cols.unit_vector(r);
            for k in 0..3 {
                centre[k] += u[k];
            }
        }
        let count = with_coords.len().max(1) as f64;
        centre.iter_mut().for_each(|c| *c /= count);
        let spread = (with_coords
            .iter()
            .map(|&r| {
                let u = cols.unit_vector(r);
                (0..3).map(|k| (u[k] - centre[k]).powi(2)).sum::<f64>()
            })
            .sum::<f64>()
            / count)
            .sqrt();
        // The most common amenities, ties by name.
        let mut amenity_counts: Vec<(usize, usize)> = (0..cols.amenity_names.len())
            .map(|b| ((0..n).filter(|&r| cols.has_amenity(r, b)).count(), b))
            .filter(|(c, _)| *c > 0)
            .collect();
        amenity_counts.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then_with(|| cols.amenity_names[a.1].cmp(&cols.amenity_names[b.1]))
        });
        amenity_counts.truncate(MAX_AMENITIES);
        let amenity_bits: Vec<usize> = amenity_counts.iter().map(|(_, b)| *b).collect();
        let types = cols.types;
        let dim = 5 + 3 + PLACE_BUCKETS + types + amenity_bits.len();
        let buckets: Vec<usize> = cols
            .location_keys
            .iter()
            .map(|k| (fnv1a64(k.as_bytes()) % PLACE_BUCKETS as u64) as usize)
            .collect();

        let mut data = vec![0.0f32; n * dim];
        let mut present = vec![false; n];
        let mut raw = vec![0.0f64; dim];
        for row in 0..n {
            raw.iter_mut().for_each(|x| *x = 0.0);
            for (k, (xs, (mean, sd))) in numbers.iter().zip(&scaled).enumerate() {
                let x = xs[row];
                if x.is_finite() && *sd > 0.0 {
                    raw[k] = (x - mean) / sd;
                }
            }
            let u = cols.unit_vector(row);
            if u[0].is_finite() && spread > 0.0 {
                for k in 0..3 {
                    raw[5 + k] = (u[k] - centre[k]) / spread;
                }
            }
            let code = cols.location[row];
            if code != u32::MAX {
                raw[8 + buckets[code as usize]] = 1.0;
            }
            let t = cols.property_type[row];
            if t != u8::MAX {
                raw[8 + PLACE_BUCKETS + usize::from(t)] = 1.0;
            }
            let base = 8 + PLACE_BUCKETS + types;
            let had: Vec<usize> = amenity_bits
                .iter()
                .enumerate()
                .filter(|(_, &b)| cols.amenities_known[row] && cols.has_amenity(row, b))
                .map(|(i, _)| i)
                .collect();
            let w = 1.0 / (had.len().max(1) as f64).sqrt();
            for i in had {
                raw[base + i] = w;
            }
            if let Some(v) = unit(&raw) {
                data[row * dim..(row + 1) * dim].copy_from_slice(&v);
                present[row] = true;
            }
        }
        Structured { dim, data, present }
    }

    /// Numbers per vector.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The whole matrix, row-major, `len × dim()` numbers (rows without a
    /// vector are zeros).
    pub fn data(&self) -> &[f32] {
        &self.data
    }

    /// Whether each row has a vector, in row order.
    pub fn present_flags(&self) -> &[bool] {
        &self.present
    }

    /// Listing `row`'s unit vector (`None`: it has none).
    #[inline]
    pub fn row(&self, row: usize) -> Option<&[f32]> {
        self.present[row].then(|| &self.data[row * self.dim..(row + 1) * self.dim])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::listing::{Property, PropertyType};

    #[test]
    fn the_recipe_gives_the_documented_numbers() {
        // Two listings: prices e^12 and e^13, 2 and 4 bedrooms, the same
        // place, one a condo; the second has a pool.
        let mut b = Catalog::builder().current_year(2025);
        let mut p = Property::new(1u64, 12f64.exp());
        p.bedrooms = Some(2);
        p.location = Some("Kent, WA".into());
        p.property_type = Some(PropertyType::Condo);
        p.amenities = Some(vec![]);
        b.push(p).unwrap();
        let mut p = Property::new(2u64, 13f64.exp());
        p.bedrooms = Some(4);
        p.location = Some("kent wa".into());
        p.amenities = Some(vec!["pool".into()]);
        b.push(p).unwrap();
        let catalog = b.build();
        let s = Structured::build(&crate::scoring::similarity::structured_fields(
            catalog.columns(),
        ));
        // 5 numbers + 3 coordinates + 16 places + 7 types + 1 amenity.
        assert_eq!(s.dim(), 32);
        let place = 8 + (fnv1a64(catalog.columns().location_keys[0].as_bytes()) % 16) as usize;
        // ln(price) z-scored: -1 and 1 (population sd of two values);
        // bedrooms likewise; the rest missing or constant: 0.
        let mut first = vec![0.0f64; 32];
        first[0] = -1.0;
        first[1] = -1.0;
        first[place] = 1.0;
        first[8 + 16 + 1] = 1.0; // condo
        let mut second = vec![0.0f64; 32];
        second[0] = 1.0;
        second[1] = 1.0;
        second[place] = 1.0;
        second[31] = 1.0; // the pool, alone in its block
        for (row, raw) in [first, second].iter().enumerate() {
            let norm = raw.iter().map(|x| x * x).sum::<f64>().sqrt();
            let want: Vec<f32> = raw.iter().map(|x| (x / norm) as f32).collect();
            assert_eq!(s.row(row).unwrap(), want.as_slice(), "row {row}");
        }
    }

    #[test]
    fn a_listing_with_nothing_to_compare_has_no_vector() {
        let mut b = Catalog::builder().current_year(2025);
        b.push(Property::new(1u64, 500_000.0)).unwrap();
        b.push(Property::new(2u64, 500_000.0)).unwrap();
        let s = Structured::build(&crate::scoring::similarity::structured_fields(
            b.build().columns(),
        ));
        assert_eq!(s.row(0), None);
        assert_eq!(s.row(1), None);
    }
}
