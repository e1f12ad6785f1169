//! Synthetic embeddings for the similarity benches: unit vectors clustered
//! around random centres, as embeddings of listings cluster (by place, type
//! and price band). Hand-made, deterministic, no model behind them.
//!
//! Row `r` is centre `r % CENTRES` plus uniform noise of amplitude
//! [`NOISE`] on every coordinate, normalised (norm in `f64`, stored `f32`).
//! At 384 dimensions two rows of the same centre have a cosine of about
//! 0.63 and rows of different centres about 0: a thousand rows of a
//! million share each centre, so a query's top 10 sit among close
//! competitors (the hard case for 8-bit candidates). Queries are made the
//! same way from the same centres with other noise: like a buyer's liked
//! homes, near a cluster but not a row of it.

use rayon::prelude::*;

/// Number of cluster centres.
pub const CENTRES: usize = 1000;

/// Amplitude of the uniform noise added to each coordinate of a centre.
pub const NOISE: f32 = 0.07;

/// Splitmix64: a good 64-bit mix of a counter, so each row and coordinate
/// gets its own stream without a shared generator (rows are made in
/// parallel).
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Uniform in [-1, 1) from stream `seed`, position `i`.
fn uniform(seed: u64, i: u64) -> f32 {
    let bits = mix(seed ^ mix(i)) >> 40;
    (bits as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
}

/// Scales `row` to unit length (norm computed in `f64`).
fn normalise(row: &mut [f32]) {
    let norm = row
        .iter()
        .map(|&x| f64::from(x).powi(2))
        .sum::<f64>()
        .sqrt();
    for x in row {
        *x = (f64::from(*x) / norm) as f32;
    }
}

fn centres(dim: usize, seed: u64) -> Vec<f32> {
    let mut c = vec![0.0f32; CENTRES * dim];
    c.par_chunks_mut(dim).enumerate().for_each(|(i, row)| {
        for (j, x) in row.iter_mut().enumerate() {
            *x = uniform(seed ^ 0xC0FFEE, (i * dim + j) as u64);
        }
        normalise(row);
    });
    c
}

/// `n` clustered unit vectors of `dim` numbers, row-major, deterministic
/// for `(n, dim, seed)`; made on all threads.
pub fn synthetic_embeddings(n: usize, dim: usize, seed: u64) -> Vec<f32> {
    clustered(n, dim, seed, seed.wrapping_mul(31).wrapping_add(1))
}

/// `n` query vectors near the centres of [`synthetic_embeddings`] with the
/// same `seed` (query `i` near centre `i × 7 % CENTRES`), with noise of their own.
pub fn synthetic_queries(n: usize, dim: usize, seed: u64) -> Vec<f32> {
    let c = centres(dim, seed);
    let mut q = vec![0.0f32; n * dim];
    q.chunks_mut(dim).enumerate().for_each(|(i, row)| {
        let centre = &c[(i * 7 % CENTRES) * dim..][..dim];
        for (j, x) in row.iter_mut().enumerate() {
            *x = centre[j] + NOISE * uniform(seed ^ 0x9E3779B9, (i * dim + j) as u64);
        }
        normalise(row);
    });
    q
}

fn clustered(n: usize, dim: usize, seed: u64, noise_seed: u64) -> Vec<f32> {
    let c = centres(dim, seed);
    let mut data = vec![0.0f32; n * dim];
    data.par_chunks_mut(dim).enumerate().for_each(|(r, row)| {
        let centre = &c[(r % CENTRES) * dim..][..dim];
        for (j, x) in row.iter_mut().enumerate() {
            *x = centre[j] + NOISE * uniform(noise_seed, (r * dim + j) as u64);
        }
        normalise(row);
    });
    data
}

/// `n` unit vectors of `dim` numbers with no structure (each coordinate
/// uniform in [-1, 1), then normalised), deterministic for `(n, dim,
/// seed)`: every cosine near 0, the top 10 of a query separated by small
/// gaps — the harder case for 8-bit candidates. Queries for it: the same
/// function with another seed.
pub fn synthetic_uniform_embeddings(n: usize, dim: usize, seed: u64) -> Vec<f32> {
    let mut data = vec![0.0f32; n * dim];
    data.par_chunks_mut(dim).enumerate().for_each(|(r, row)| {
        for (j, x) in row.iter_mut().enumerate() {
            *x = uniform(seed ^ 0x005E_ED0F_0A7A, (r * dim + j) as u64);
        }
        normalise(row);
    });
    data
}
