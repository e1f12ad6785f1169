//! CSV listings through the `king-county` column mapping (raw
//! `kc_house_data.csv` rows), then engines over the catalog.
#![no_main]
use agent_mira::catalog::loaders::{read_csv, CsvMapping, OnDuplicate};
use agent_mira_fuzz::{exercise_catalog, options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut mapping = CsvMapping::king_county();
    if data.last().is_some_and(|b| b & 1 == 1) {
        mapping = mapping.on_duplicate(OnDuplicate::KeepLast);
    }
    if let Ok(catalog) = read_csv(data, "kc_house_data.csv", options().csv_mapping(mapping)) {
        exercise_catalog(&catalog);
    }
});
