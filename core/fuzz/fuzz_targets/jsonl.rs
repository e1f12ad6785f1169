//! JSON Lines listings (`read_jsonl`, any bytes), then engines over the catalog.
#![no_main]
use agent_mira::catalog::loaders::{read_jsonl, OnDuplicate};
use agent_mira_fuzz::{exercise_catalog, options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The last byte's low bit picks the duplicate-id policy.
    let policy = match data.last() {
        Some(b) if b & 1 == 1 => OnDuplicate::KeepLast,
        _ => OnDuplicate::Error,
    };
    if let Ok(catalog) = read_jsonl(data, "fuzz.jsonl", options().on_duplicate(policy)) {
        exercise_catalog(&catalog);
    }
});
