//! Node binding of agent-mira: the npm package `@mira/core`.
//!
//! Thin by design: [`convert`] turns JavaScript values into the core's types
//! and results back, [`error`] turns every failure into an `Error` with a
//! stable `code` (and catches panics), and `recommendAsync` moves scoring off
//! the JavaScript thread. Everything that thinks lives in the core.

#![deny(clippy::all)]

mod catalog;
mod convert;
mod embedding;
mod engine;
mod error;
mod model;
mod train;

pub use catalog::Catalog;
pub use embedding::hashed_ngrams;
pub use engine::Engine;
pub use model::PriceModel;
