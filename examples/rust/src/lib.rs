//! Examples live in `examples/rust/*.rs`; run them with `cargo run -p agent-mira-examples --example NAME`.
