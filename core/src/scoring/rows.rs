//! Which listings a scoring pass reads: a contiguous span of the catalog
//! (the full scan, block by block) or a list of picked rows (the pruned
//! scan, which visits listings best bound first).
//!
//! The component rules are written once, against this trait; both kinds
//! compile to their own loop, so the full scan keeps its sliced,
//! bounds-check-free columns.

/// A set of catalog rows, indexed `0..len()`.
pub(crate) trait RowSet: Copy {
    /// How many rows.
    fn len(self) -> usize;
    /// The part of a per-listing column this set indexes into.
    fn view<T>(self, column: &[T]) -> &[T];
    /// Where the set's `i`-th row is in [`RowSet::view`].
    fn at(self, i: usize) -> usize;
    /// The catalog row of the set's `i`-th row.
    fn row(self, i: usize) -> usize;
}

/// Rows `start .. start + len`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Span {
    pub start: usize,
    pub len: usize,
}

impl RowSet for Span {
    #[inline(always)]
    fn len(self) -> usize {
        self.len
    }
    #[inline(always)]
    fn view<T>(self, column: &[T]) -> &[T] {
        &column[self.start..self.start + self.len]
    }
    #[inline(always)]
    fn at(self, i: usize) -> usize {
        i
    }
    #[inline(always)]
    fn row(self, i: usize) -> usize {
        self.start + i
    }
}

/// The listed rows, in the listed order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Picked<'r>(pub &'r [u32]);

impl RowSet for Picked<'_> {
    #[inline(always)]
    fn len(self) -> usize {
        self.0.len()
    }
    #[inline(always)]
    fn view<T>(self, column: &[T]) -> &[T] {
        column
    }
    #[inline(always)]
    fn at(self, i: usize) -> usize {
        self.0[i] as usize
    }
    #[inline(always)]
    fn row(self, i: usize) -> usize {
        self.0[i] as usize
    }
}
