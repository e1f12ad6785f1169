//! Listing embeddings and the similarity between them (issue 18).
//!
//! This module is being built in parts; so far it holds the kernels:
//! [`scan`] (exact top-k by cosine, with [`scan::dot`] the one definition
//! of the similarity of two unit vectors) and [`quantized`] (optional
//! 8-bit storage with an exact re-rank), and [`structured`], the built-in
//! structured embedding made from a listing's fields, for catalogs whose
//! listings carry no `embedding`.

pub mod quantized;
pub mod scan;
pub mod structured;
