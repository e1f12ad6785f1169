//! Buyer preferences (`Preferences::from_json`), then a recommendation from
//! small engines under both profiles (k and offset from the input's length).
#![no_main]
use agent_mira::Preferences;
use agent_mira_fuzz::{check_answers, small_engines};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let Ok(prefs) = Preferences::from_json(value) else {
        return;
    };
    for engine in small_engines() {
        check_answers(engine, &prefs);
        let k = data.len() % 13;
        let _ = engine.recommend_page(&prefs, k, data.len() % 7);
    }
});
