//! Benches for agent-mira: see benches/README.md.
