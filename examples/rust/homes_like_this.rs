//! Homes like this one: `Engine::similar` on the structured embedding and
//! on text vectors attached with `Catalog::with_embeddings`, and
//! `similar_to` in a buyer's preferences (the body is
//! `agent_mira_examples::homes_like_this`, whose output `cargo test`
//! checks).
//!
//! ```sh
//! cargo run -p agent-mira-examples --example homes_like_this
//! ```

use agent_mira::MiraError;

fn main() -> Result<(), MiraError> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    print!("{}", agent_mira_examples::homes_like_this::run(&root)?);
    Ok(())
}
