//! CSV listings in the canonical columns (`read_csv`, any bytes), then
//! engines over the catalog.
#![no_main]
use agent_mira::catalog::loaders::{read_csv, OnDuplicate};
use agent_mira_fuzz::{exercise_catalog, options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let policy = match data.last() {
        Some(b) if b & 1 == 1 => OnDuplicate::KeepLast,
        _ => OnDuplicate::Error,
    };
    if let Ok(catalog) = read_csv(data, "fuzz.csv", options().on_duplicate(policy)) {
        exercise_catalog(&catalog);
    }
});
