//! Catalog snapshots (`Catalog::from_snapshot_bytes`). An input whose last
//! byte is odd gets its header checksum rewritten first, so that mutations
//! reach the listing parser and the catalog builder.
#![no_main]
use agent_mira::Catalog;
use agent_mira_fuzz::{exercise_catalog, fix_snapshot_checksum};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let fixed;
    let data = if data.last().is_some_and(|b| b & 1 == 1) {
        match fix_snapshot_checksum(data) {
            Some(d) => {
                fixed = d;
                fixed.as_slice()
            }
            None => data,
        }
    } else {
        data
    };
    if let Ok(catalog) = Catalog::from_snapshot_bytes(data, "fuzz.mira.jsonl") {
        exercise_catalog(&catalog);
    }
});
