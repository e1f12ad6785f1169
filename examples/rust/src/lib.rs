//! Examples live in `examples/rust/*.rs`; run them with `cargo run -p agent-mira-examples --example NAME`.
//!
//! The body of an example whose output is tested (`tests/`) lives here, so
//! that `cargo test` checks what the example prints.

pub mod homes_like_this;
