//! agent-mira model files (`ValuationModel::from_json_str`), then
//! valuations, predictions and an engine with the model. An input whose
//! last byte is odd gets its checksum rewritten first, so that mutations of
//! the body reach the deserialiser and the consistency checks.
#![no_main]
use std::path::Path;

use agent_mira::model::ValuationModel;
use agent_mira_fuzz::{exercise_model, fix_model_checksum};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let fixed;
    let text = if data.last().is_some_and(|b| b & 1 == 1) {
        match fix_model_checksum(text) {
            Some(t) => {
                fixed = t;
                fixed.as_str()
            }
            None => text,
        }
    } else {
        text
    };
    if let Ok(model) = ValuationModel::from_json_str(text, Path::new("fuzz.json")) {
        exercise_model(&model);
    }
});
