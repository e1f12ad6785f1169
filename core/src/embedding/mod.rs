//! Vectors for similarity: "homes like this one" and the `similarity`
//! component.
//!
//! - [`structured`]: the built-in structured embedding, made from a
//!   listing's fields, for catalogs whose listings carry no `embedding`.

pub mod structured;
