//! A JSON array of listings (`parse_json`), then engines over the catalog.
#![no_main]
use agent_mira::catalog::loaders::parse_json;
use agent_mira_fuzz::{exercise_catalog, options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(catalog) = parse_json(text, "fuzz.json", options()) {
        exercise_catalog(&catalog);
    }
});
