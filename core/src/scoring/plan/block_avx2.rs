//! The block scorers' entry points: on x86-64 CPUs with AVX2 (checked at
//! run time) they run a second build of the same code compiled for AVX2,
//! elsewhere the portable one.

use super::{Plan, Screen};

impl<'a> Plan<'a> {
    /// Totals of rows `start .. start + out.len()` into `out`; NaN for rows
    /// a filter removes.
    ///
    /// Why this is fast: it runs component by component over the block
    /// (struct of arrays in, one tight loop per component with the
    /// component's rule chosen once), not listing by listing through a
    /// `match`. Unknown values are NaN and are added as exactly `+0.0`, so
    /// every row's sum is the same sequence of additions, in profile order,
    /// as scoring that row alone would give: results are bit-identical.
    ///
    /// On x86-64 CPUs with AVX2 (checked once at run time) the same code is
    /// compiled a second time for AVX2, where the component loops run four
    /// rows per instruction. Rust never fuses a multiply and an add, so both
    /// builds do the same IEEE operations in the same order: identical
    /// totals (a test compares them bit for bit).
    pub fn score_block(&self, start: usize, out: &mut [f64]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            unsafe { self.score_block_avx2(start, out) };
            return;
        }
        self.score_block_portable(start, out);
    }

    /// [`Plan::score_block`] compiled for AVX2.
    ///
    /// # Safety
    /// Only on a CPU with AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn score_block_avx2(&self, start: usize, out: &mut [f64]) {
        self.score_block_portable(start, out);
    }

    /// Like [`Plan::score_block`], for a scan that keeps only scores of at
    /// least `floor` (finite): each row is first looked at on `screen`'s
    /// components alone, and only rows whose upper bound (`may_reach` in [`screening`](super::screening))
    /// can reach `floor` are scored in full — with the same arithmetic as
    /// `score_block`, so their totals are identical. The others are left
    /// NaN, as if filtered: their totals are below `floor`. The looks use
    /// [`Bound`](super::rules::Bound)'s rules (never below the scores, and they vectorise).
    pub fn score_block_screened(&self, start: usize, out: &mut [f64], floor: f64, screen: &Screen) {
        debug_assert!(floor.is_finite(), "screening needs a finite floor");
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            unsafe { self.score_block_screened_avx2(start, out, floor, screen) };
            return;
        }
        self.score_block_screened_portable(start, out, floor, screen);
    }

    /// [`Plan::score_block_screened`] compiled for AVX2.
    ///
    /// # Safety
    /// Only on a CPU with AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn score_block_screened_avx2(
        &self,
        start: usize,
        out: &mut [f64],
        floor: f64,
        screen: &Screen,
    ) {
        self.score_block_screened_portable(start, out, floor, screen);
    }
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::super::test_support::{catalog, family_buyer};
    use crate::preferences::Preferences;
    use crate::scoring::plan::{Plan, BLOCK_ROWS};
    use crate::scoring::prepared::Prepared;
    use crate::scoring::profile::Profile;

    /// The AVX2 build of the block scorer gives the portable build's totals,
    /// bit for bit, for every profile and kind of buyer.
    #[test]
    fn avx2_and_portable_blocks_are_bit_identical() {
        if !std::arch::is_x86_feature_detected!("avx2") {
            return;
        }
        let catalog = catalog(3 * BLOCK_ROWS + 77);
        let cols = catalog.columns();
        let predicted: Vec<f64> = cols.price.iter().map(|p| p * 1.07).collect();
        let buyers = [
            Preferences::default(),
            family_buyer(),
            Preferences {
                budget: Some(150_000.0),
                min_bedrooms: Some(5),
                must_have_amenities: vec!["garage".into()],
                weights: Some([("price_match".to_string(), 3.0)].into_iter().collect()),
                ..Preferences::default()
            },
        ];
        for profile in [Profile::balanced(), Profile::case_study()] {
            for model in [None, Some(predicted.clone())] {
                let prep = Prepared::new(&catalog, 2025, model).with_static_scores(&profile, cols);
                for prefs in &buyers {
                    let plan = match Plan::new(&profile, cols, &prep, prefs) {
                        Ok(plan) => plan.with_amenities(|a| a.trim().to_lowercase()),
                        Err(_) => continue, // a filter this profile lacks
                    };
                    let mut start = 0;
                    while start < cols.len() {
                        let n = BLOCK_ROWS.min(cols.len() - start);
                        let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
                        plan.score_block_portable(start, &mut a);
                        // SAFETY: AVX2 detected above.
                        unsafe { plan.score_block_avx2(start, &mut b) };
                        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
                            assert!(
                                x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
                                "{} row {}: {x} vs {y}",
                                profile.name,
                                start + i
                            );
                        }
                        start += n;
                    }
                }
            }
        }
    }
}
