//! XGBoost JSON models (`TreeEnsemble::from_xgboost_json_str`), then
//! predictions on probe rows.
#![no_main]
use agent_mira::model::{TreeEnsemble, ValuationModel};
use agent_mira_fuzz::{exercise_ensemble, exercise_model};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(model) = TreeEnsemble::from_xgboost_json_str(text) {
        exercise_ensemble(&model);
        exercise_model(&ValuationModel::from_predictor(
            model.into(),
            "fuzz",
            "xgboost",
        ));
    }
});
