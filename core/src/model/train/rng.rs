//! A small, seedable, portable random number generator (SplitMix64) for
//! the trainer's random choices: bagging, feature sampling and the
//! validation split. Portable and dependency-free, so the same seed draws
//! the same rows on every platform and in every release.

/// SplitMix64 (Steele, Lea & Flood 2014): 64 bits of state, passes
/// BigCrush, and is the usual seeder of larger generators.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator for one purpose (`stream`) of one seed: different
    /// streams of the same seed are independent.
    pub(crate) fn new(seed: u64, stream: u64) -> Self {
        let mut g = SplitMix64 {
            state: seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03),
        };
        g.next_u64();
        g
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer in 0..n (n > 0), by rejection so there is no bias.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let r = self.next_u64();
            if r < zone {
                return r % n;
            }
        }
    }

    /// Exactly `k` of the indices 0..n, in increasing order (selection
    /// sampling, Knuth's algorithm S): every subset is equally likely.
    pub(crate) fn sample_sorted(&mut self, n: usize, k: usize) -> Vec<u32> {
        let mut out = Vec::with_capacity(k);
        for i in 0..n {
            if out.len() == k {
                break;
            }
            let left = (n - i) as u64;
            let need = (k - out.len()) as u64;
            if self.below(left) < need {
                out.push(i as u32);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_same_numbers() {
        let a: Vec<u64> = {
            let mut g = SplitMix64::new(7, 1);
            (0..4).map(|_| g.next_u64()).collect()
        };
        let mut g = SplitMix64::new(7, 1);
        assert_eq!(a, (0..4).map(|_| g.next_u64()).collect::<Vec<_>>());
        let mut other = SplitMix64::new(7, 2);
        assert_ne!(a[0], other.next_u64());
    }

    #[test]
    fn sample_sorted_draws_exactly_k_increasing_indices() {
        let mut g = SplitMix64::new(1, 0);
        for (n, k) in [(10, 0), (10, 3), (10, 10), (1000, 637)] {
            let s = g.sample_sorted(n, k);
            assert_eq!(s.len(), k);
            assert!(s.windows(2).all(|w| w[0] < w[1]));
            assert!(s.iter().all(|&i| (i as usize) < n));
        }
    }
}
