//! Model files and cards: exact round trips, refusal of damaged, newer or
//! mismatched files, training-domain flags, and the engine using a model.

mod common;

use agent_mira::features::FeatureEncoder;
use agent_mira::model::{
    LinearModel, ModelCard, OutputTransform, PriceModel, TrainingDomain, ValuationModel,
};
use agent_mira::{Catalog, Engine, MiraError, Preferences, PriceSource, Property, RecordRef};
use serde_json::json;

/// A hand-made model over the sample listings: ln(price) = 11 + 0.0005·size + 0.05·bedrooms, other features 0.
fn sample_model() -> (Catalog, ValuationModel) {
    let catalog = common::sample_catalog();
    let encoder = FeatureEncoder::fit(&catalog, 2025);
    let names: Vec<String> = encoder
        .feature_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let coefficients: Vec<f64> = names
        .iter()
        .map(|n| match n.as_str() {
            "size_sqft" => 0.0005,
            "bedrooms" => 0.05,
            _ => 0.0,
        })
        .collect();
    let predictor = LinearModel::new(coefficients, 11.0, names.clone())
        .unwrap()
        .with_transform(OutputTransform::Exp);
    let props: Vec<&Property> = catalog.properties().collect();
    let card = ModelCard {
        name: "sample-linear".into(),
        origin: "hand-made test model".into(),
        description: "for tests".into(),
        features: encoder.features.clone(),
        target: "price".into(),
        training_domain: TrainingDomain::of(&props),
        metrics: None,
        evaluation: String::new(),
        params: json!({"note": "hand-set coefficients"}),
        data_fingerprint: "crc32:00000000".into(),
        created: "2025-01-01".into(),
    };
    // Fill: 1,000 sqft and 2 bedrooms where unknown; 0 elsewhere.
    let fill: Vec<f64> = names
        .iter()
        .map(|n| match n.as_str() {
            "size_sqft" => 1000.0,
            "bedrooms" => 2.0,
            _ => 0.0,
        })
        .collect();
    let model = ValuationModel::new(
        card,
        Some(encoder),
        Some(fill),
        PriceModel::Linear(predictor),
    )
    .unwrap();
    (catalog, model)
}

#[test]
fn save_and_load_round_trip_exactly() {
    let (catalog, model) = sample_model();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.json");
    model.save(&path).unwrap();
    let back = ValuationModel::load(&path).unwrap();
    assert_eq!(back, model);
    assert_eq!(
        back.predict_catalog(&catalog).unwrap(),
        model.predict_catalog(&catalog).unwrap()
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with(
        "{\n \"format\": \"agent-mira-model\",\n \"format_version\": 1,\n \"checksum\": \"crc32:"
    ));
}

#[test]
fn predictions_follow_the_formula_and_fill_missing_inputs() {
    let (catalog, model) = sample_model();
    let prices = model.predict_catalog(&catalog).unwrap();
    // 101: 1,780 sqft, 3 bedrooms.
    // Summed in column order (bedrooms before size), then the intercept.
    assert_eq!(prices[0], (0.05f64 * 3.0 + 0.0005 * 1780.0 + 11.0).exp());
    // 109: size unknown → filled with 1,000 sqft.
    let row = catalog.row_of(&109u64.into()).unwrap();
    assert_eq!(prices[row], (0.05f64 * 3.0 + 0.0005 * 1000.0 + 11.0).exp());
}

#[test]
fn a_damaged_file_is_refused_by_its_checksum() {
    let (_, model) = sample_model();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.json");
    model.save(&path).unwrap();
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"intercept\": 11.0", "\"intercept\": 12.0");
    std::fs::write(&path, text).unwrap();
    let err = ValuationModel::load(&path).unwrap_err();
    assert_eq!(err.code(), "MIRA_CORRUPT");
    let msg = err.to_string();
    assert!(
        msg.starts_with(&format!(
            "{}: corrupt price model: checksum mismatch: the file says \"crc32:",
            path.display()
        )),
        "{msg}"
    );
    assert!(msg.ends_with("(damaged or edited)"), "{msg}");
}

#[test]
fn truncated_and_foreign_files_are_refused() {
    let (_, model) = sample_model();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.json");
    let text = model.to_json_string();
    std::fs::write(&path, &text[..text.len() / 2]).unwrap();
    let err = ValuationModel::load(&path).unwrap_err();
    assert_eq!(err.code(), "MIRA_PARSE");
    assert!(err.to_string().starts_with(&path.display().to_string()));

    std::fs::write(
        &path,
        "{\"format\": \"something-else\", \"format_version\": 1}",
    )
    .unwrap();
    assert_eq!(
        ValuationModel::load(&path).unwrap_err().to_string(),
        format!("{}: corrupt price model: not an agent-mira model file (format = \"something-else\", expected \"agent-mira-model\")", path.display())
    );
    let missing = dir.path().join("nope.json");
    assert_eq!(
        ValuationModel::load(&missing).unwrap_err().code(),
        "MIRA_IO"
    );
}

#[test]
fn a_newer_format_version_is_refused() {
    let (_, model) = sample_model();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.json");
    std::fs::write(
        &path,
        model
            .to_json_string()
            .replace("\"format_version\": 1", "\"format_version\": 7"),
    )
    .unwrap();
    assert_eq!(
        ValuationModel::load(&path).unwrap_err().to_string(),
        format!(
            "{}: unsupported price model format version 7 (this build reads version 1 and older)",
            path.display()
        )
    );
}

#[test]
fn mismatched_features_are_refused_by_name() {
    let (_, model) = sample_model();
    // An encoder fitted on listings without sizes lacks size columns.
    let mut b = Catalog::builder().current_year(2025);
    let mut p = Property::new(1, 1.0);
    p.bedrooms = Some(2);
    b.push(p).unwrap();
    let other = FeatureEncoder::fit(&b.build(), 2025);
    let err = ValuationModel::new(
        model.card().clone(),
        Some(other),
        None,
        model.predictor().clone(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "MIRA_MODEL_MISMATCH");
    let msg = err.to_string();
    assert!(
        msg.starts_with("model mismatch: the model card has "),
        "{msg}"
    );
    assert!(
        msg.contains("only in the model card: bathrooms, size_sqft"),
        "{msg}"
    );

    // The same problem inside a file (with a checksum that matches the edit) names the file.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.json");
    let mut doc: serde_json::Value = serde_json::from_str(&model.to_json_string()).unwrap();
    doc["encoder"]["features"][0]["name"] = json!("rooms");
    let body = json!({"card": doc["card"], "encoder": doc["encoder"], "fill": doc["fill"], "predictor": doc["predictor"]});
    doc["checksum"] = json!(format!(
        "crc32:{:08x}",
        crc32fast::hash(serde_json::to_string(&body).unwrap().as_bytes())
    ));
    std::fs::write(&path, serde_json::to_string(&doc).unwrap()).unwrap();
    let msg = ValuationModel::load(&path).unwrap_err().to_string();
    assert!(
        msg.starts_with(&format!("model mismatch in {}: ", path.display())),
        "{msg}"
    );
    assert!(
        msg.contains("only in the model card: bedrooms; only in the feature encoder: rooms"),
        "{msg}"
    );
}

#[test]
fn the_engine_predicts_once_and_says_so() {
    let (catalog, model) = sample_model();
    let expected = model.predict_catalog(&catalog).unwrap();
    let engine = Engine::builder(catalog)
        .model(model)
        .current_year(2025)
        .build();
    let prefs = Preferences::from_json(json!({"budget": 900000})).unwrap();
    let all = engine.recommend(&prefs, 20).unwrap();
    for r in &all {
        assert_eq!(r.price_source, PriceSource::Model);
        let row = engine.catalog().row_of(&r.id).unwrap();
        assert_eq!(r.predicted_price, expected[row]);
        assert!(r.components.contains_key("value"));
        assert!(!r.reasons.iter().any(|s| s.starts_with("No price model")));
    }
    assert_eq!(engine.model_info().unwrap().name, "sample-linear");
    assert_eq!(engine.stats().price_source, PriceSource::Model);
}

#[test]
fn one_off_valuations_flag_the_training_domain() {
    let (catalog, model) = sample_model();
    let engine = Engine::builder(catalog)
        .model(model)
        .current_year(2025)
        .build();
    let inside = Property::from_json(
        json!({"id": "q", "price": 1, "size_sqft": 1500, "bedrooms": 3, "location": "Kent, WA"}),
        &RecordRef::Index(0),
        2025,
    )
    .unwrap();
    let v = engine.predict_price(&inside).unwrap();
    assert_eq!(v.price, (0.05f64 * 3.0 + 0.0005 * 1500.0 + 11.0).exp());
    assert!(v.in_domain && v.warnings.is_empty());

    let outside = Property::from_json(
        json!({"id": "q", "price": 1, "size_sqft": 40000, "location": "Boise, ID"}),
        &RecordRef::Index(0),
        2025,
    )
    .unwrap();
    let v = engine.predict_price(&outside).unwrap();
    assert!(!v.in_domain);
    assert_eq!(
        v.warnings,
        vec![
            "size_sqft 40,000 above training range (700–2,900)",
            "location Boise, ID not seen in training"
        ]
    );

    let mut bad = Property::new(1, 1.0);
    bad.school_rating = Some(11.0);
    assert_eq!(
        engine.predict_price(&bad).unwrap_err().to_string(),
        "listing 1: field `school_rating` = 11: expected a number between 0 and 10"
    );
}

#[test]
fn recommendations_outside_the_domain_say_the_price_is_less_certain() {
    let (catalog, model) = sample_model();
    let mut huge = Property::new(500, 3_000_000.0);
    huge.size_sqft = Some(12_000.0);
    let catalog = catalog.upsert(vec![huge]).unwrap();
    let engine = Engine::builder(catalog)
        .model(model)
        .current_year(2025)
        .build();
    let all = engine.recommend(&Preferences::default(), 20).unwrap();
    let r = all.iter().find(|r| r.id == 500u64.into()).unwrap();
    assert!(
        r.reasons.contains(
            &"Predicted price less certain: size_sqft 12,000 above training range (700–2,900)"
                .to_string()
        ),
        "{:?}",
        r.reasons
    );
}

#[test]
fn engines_without_a_model_or_encoder_explain_themselves() {
    let catalog = common::sample_catalog();
    let engine = Engine::new(catalog.clone());
    let err = engine.predict_price(&Property::new(1, 1.0)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unsupported price prediction: this engine has no price model (build the engine with a model (EngineBuilder::model))"
    );
    assert!(engine.model_info().is_none());

    let bare = ValuationModel::from_predictor(
        PriceModel::Linear(LinearModel::new(vec![1.0], 0.0, vec![]).unwrap()),
        "bare",
        "test",
    );
    assert_eq!(bare.feature_names(), vec!["f0"]);
    let err = Engine::builder(catalog)
        .model(bare)
        .try_build()
        .unwrap_err();
    assert!(matches!(err, MiraError::Unsupported { .. }));
    assert!(
        err.to_string()
            .contains("model `bare` has no feature encoder"),
        "{err}"
    );
}

#[test]
fn an_updated_catalog_is_priced_by_the_same_model() {
    let (catalog, model) = sample_model();
    let engine = Engine::builder(catalog)
        .model(model.clone())
        .current_year(2025)
        .build();
    let mut new = Property::new(777, 500_000.0);
    new.size_sqft = Some(2000.0);
    new.bedrooms = Some(4);
    let next = engine
        .with_catalog(engine.catalog().upsert(vec![new]).unwrap())
        .unwrap();
    let row = next.catalog().row_of(&777u64.into()).unwrap();
    assert_eq!(
        next.predicted_price_at(row),
        (0.05f64 * 4.0 + 0.0005 * 2000.0 + 11.0).exp()
    );
}

/// A change to a model file's members, and the reason expected.
type FileCase<'a> = (
    Box<dyn FnOnce(&mut serde_json::Map<String, serde_json::Value>)>,
    &'a str,
);

/// The error loading the sample model's file after `edit`, with the
/// checksum rewritten to match (so that the edit itself is judged).
fn load_edited(edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>)) -> String {
    let (_, model) = sample_model();
    let serde_json::Value::Object(mut doc) = serde_json::from_str(&model.to_json_string()).unwrap()
    else {
        panic!("a model file is an object")
    };
    edit(&mut doc);
    let body: serde_json::Map<String, serde_json::Value> = ["card", "encoder", "fill", "predictor"]
        .into_iter()
        .map(|k| {
            let v = doc.get(k).cloned().unwrap_or(serde_json::Value::Null);
            (k.to_string(), v)
        })
        .collect();
    let body = serde_json::to_string(&serde_json::Value::Object(body)).unwrap();
    doc.insert(
        "checksum".into(),
        format!("crc32:{:08x}", crc32fast::hash(body.as_bytes())).into(),
    );
    let text = serde_json::to_string(&doc).unwrap();
    ValuationModel::from_json_str(&text, std::path::Path::new("m.json"))
        .map(|_| String::from("accepted"))
        .unwrap_or_else(|e| e.to_string())
}

#[test]
fn a_wrong_header_names_the_member_and_what_was_expected() {
    assert_eq!(load_edited(|_| {}), "accepted");
    let cases: Vec<FileCase> = vec![
        (
            Box::new(|d| drop(d.insert("format".into(), json!(5)))),
            "at `format`: expected the string \"agent-mira-model\", found a number `5`",
        ),
        (
            Box::new(|d| drop(d.remove("format_version"))),
            "at `format_version`: expected a whole number (the format version), found nothing \
             (the key is missing)",
        ),
        (
            Box::new(|d| drop(d.insert("format_version".into(), json!(-1)))),
            "at `format_version`: expected a whole number (the format version), found a number `-1`",
        ),
        (
            Box::new(|d| drop(d.remove("predictor"))),
            "at `predictor`: expected an object (the predictor), found nothing (the key is missing)",
        ),
        (
            Box::new(|d| drop(d.remove("card"))),
            "at `card`: expected an object (the model card), found nothing (the key is missing)",
        ),
    ];
    for (edit, reason) in cases {
        assert_eq!(
            load_edited(edit),
            format!("m.json: corrupt price model: {reason}")
        );
    }
    // The checksum itself (not rewritten here) must be a string.
    let (_, model) = sample_model();
    let text = model.to_json_string();
    let start = text.find("\"crc32:").unwrap();
    let bad = format!("{}5{}", &text[..start], &text[start + 16..]);
    assert_eq!(
        ValuationModel::from_json_str(&bad, std::path::Path::new("m.json"))
            .unwrap_err()
            .to_string(),
        "m.json: corrupt price model: at `checksum`: expected a string (`crc32:` and 8 hex \
         digits), found a number `5`"
    );
}

/// A JSON array at the top used to be read as a header by position and
/// then panic ("the header parsed from an object").
#[test]
fn a_document_that_is_not_an_object_is_refused_without_a_panic() {
    let err = ValuationModel::from_json_str(
        r#"["agent-mira-model", 1, "crc32:00000000"]"#,
        std::path::Path::new("m.json"),
    )
    .unwrap_err();
    assert_eq!(err.code(), "MIRA_CORRUPT");
    assert_eq!(
        err.to_string(),
        "m.json: corrupt price model: at the top level: expected an object (an agent-mira model \
         file), found an array of 3 elements"
    );
}

#[test]
fn a_wrong_body_value_names_its_json_path() {
    let cases: Vec<FileCase> = vec![
        (
            Box::new(|d| d["card"]["features"][1]["kind"] = json!("fancy")),
            "at `card.features[1].kind`: unknown variant `fancy`, expected one of `numeric`, \
             `derived`, `one_hot`, `target_encoded`, `amenity_flag`, `attribute`",
        ),
        (
            Box::new(|d| d["fill"][2] = json!("x")),
            "at `fill[2]`: invalid type: string \"x\", expected f64",
        ),
        (
            Box::new(|d| drop(d["card"].as_object_mut().unwrap().remove("target"))),
            "at `card`: missing field `target`",
        ),
        (
            Box::new(|d| d["predictor"]["coefficients"][0] = json!("x")),
            "at `predictor.coefficients[0]`: invalid type: string \"x\", expected f64",
        ),
        (
            Box::new(|d| d["predictor"]["kind"] = json!("forest")),
            "at `predictor.kind`: expected `linear` or `tree_ensemble`, found a string `forest`",
        ),
        (
            Box::new(|d| d["predictor"] = json!([])),
            "at `predictor`: expected an object (the predictor), found an empty array",
        ),
    ];
    for (edit, reason) in cases {
        assert_eq!(
            load_edited(edit),
            format!("m.json: corrupt price model: {reason}")
        );
    }
}

#[test]
fn a_non_finite_fill_value_names_its_index_and_feature() {
    let (_, model) = sample_model();
    let mut fill = model.fill().unwrap().to_vec();
    fill[1] = f64::NAN;
    let err = ValuationModel::new(
        model.card().clone(),
        model.encoder().cloned(),
        Some(fill),
        model.predictor().clone(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "model mismatch: fill values: `fill[1]` = NaN (for feature `{}`), expected a finite \
             number",
            model.feature_names()[1]
        )
    );
}
