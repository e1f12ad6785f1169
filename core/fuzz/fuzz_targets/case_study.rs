//! The case-study three-file merge (`parse_case_study`): the input is split
//! on NUL bytes into basics, characteristics and images (a missing part is
//! a missing optional file).
#![no_main]
use agent_mira::catalog::loaders::parse_case_study;
use agent_mira_fuzz::{exercise_catalog, options, split_parts};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parts = split_parts(data, 3);
    let Ok(texts) = parts
        .iter()
        .map(|p| std::str::from_utf8(p))
        .collect::<Result<Vec<&str>, _>>()
    else {
        return;
    };
    let result = parse_case_study(
        texts[0],
        texts.get(1).copied(),
        texts.get(2).copied(),
        options(),
    );
    if let Ok(catalog) = result {
        exercise_catalog(&catalog);
    }
});
