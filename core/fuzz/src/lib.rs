//! Helpers shared by the fuzz targets: a small catalog and engine to run
//! what a parser produced through, probe rows for models, and checksum
//! fix-ups so that mutated snapshots and model files get past their CRC and
//! reach the code behind it.

use std::sync::OnceLock;

use agent_mira::catalog::loaders::LoadOptions;
use agent_mira::model::{TreeEnsemble, ValuationModel};
use agent_mira::{Catalog, Engine, Preferences, Profile, Property, SimilarFilters};
use ndarray::Array2;

/// The year every target validates and scores against (reproducible runs).
pub const YEAR: i32 = 2025;

/// Loader options with a fixed year.
pub fn options<'a>() -> LoadOptions<'a> {
    LoadOptions::new().builder(Catalog::builder().current_year(YEAR))
}

/// Split a fuzz input on NUL bytes into at most `n` parts (the last part
/// keeps any further NULs).
pub fn split_parts(data: &[u8], n: usize) -> Vec<&[u8]> {
    data.splitn(n, |b| *b == 0).collect()
}

/// A handful of preferences touching every component and filter.
pub fn probe_preferences() -> &'static [Preferences] {
    static PREFS: OnceLock<Vec<Preferences>> = OnceLock::new();
    PREFS.get_or_init(|| {
        let values = [
            serde_json::json!({}),
            serde_json::json!({"budget": 450000, "location": "Seattle, WA", "min_bedrooms": 3,
                "min_bathrooms": 2, "min_size_sqft": 1500, "max_commute_time": 30,
                "min_school_rating": 7, "preferred_amenities": ["pool", "garden", "garage"]}),
            serde_json::json!({"budget": 1, "must_have_amenities": ["Swimming Pool"],
                "property_types": ["sfh", "condo"], "listing_type": "sale",
                "weights": {"price_match": 0, "bedrooms": 1e9}}),
            // Refused by catalogs without these listings; ranked by
            // similarity in the others.
            serde_json::json!({"similar_to": {"ids": [101, 104]}, "budget": 600000}),
        ];
        values
            .into_iter()
            .map(|v| Preferences::from_json(v).expect("probe preferences are valid"))
            .collect()
    })
}

/// Build engines over `catalog` under both built-in profiles and ask them a
/// few questions; check the answers' invariants.
pub fn exercise_catalog(catalog: &Catalog) {
    // The catalog's own snapshot must load back to the same listings.
    let bytes = catalog.snapshot_bytes();
    let back = Catalog::from_snapshot_bytes(&bytes, "<round trip>")
        .unwrap_or_else(|e| panic!("a loaded catalog's snapshot does not load: {e}"));
    assert_eq!(back.len(), catalog.len());
    assert!(
        back.properties().eq(catalog.properties()),
        "snapshot round trip changed a listing"
    );
    // Vectors too, bit for bit (`-0.0` stays `-0.0`): the snapshot keeps the
    // stored unit vectors, it does not normalise them again.
    let (vectors, back_vectors) = (catalog.embeddings(), back.embeddings());
    assert_eq!(
        back_vectors.dim(),
        vectors.dim(),
        "snapshot round trip changed the dimension"
    );
    assert_eq!(
        back_vectors.count(),
        vectors.count(),
        "snapshot round trip lost vectors"
    );
    for row in 0..catalog.len() {
        let bits = |v: Option<&[f32]>| v.map(|v| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>());
        assert_eq!(
            bits(back.embedding(row)),
            bits(catalog.embedding(row)),
            "snapshot round trip changed the vector of row {row}"
        );
    }
    for profile in [Profile::balanced(), Profile::case_study()] {
        let engine = Engine::builder(catalog.clone())
            .profile(profile)
            .current_year(YEAR)
            .try_build()
            .expect("built-in profiles and listed prices build");
        for prefs in probe_preferences() {
            check_answers(&engine, prefs);
        }
        check_similar(&engine);
    }
}

/// "Homes like this one" for a few listings: the listing itself never
/// comes back, scores are in 0..=100 and sorted (a listing without a
/// vector is refused, not a crash).
pub fn check_similar(engine: &Engine) {
    let catalog = engine.catalog();
    let rows = catalog.len();
    for row in [0, rows / 2, rows.saturating_sub(1)] {
        if row >= rows {
            continue;
        }
        let id = catalog.property(row).id.clone();
        let Ok(like) = engine.similar(&id, 5, &SimilarFilters::default()) else {
            continue;
        };
        let mut last = f64::INFINITY;
        for r in &like {
            assert_ne!(r.id, id, "similar returned the listing itself");
            assert!(
                r.score.is_finite() && (0.0..=100.0).contains(&r.score),
                "similarity {} out of range for {:?}",
                r.score,
                r.id
            );
            assert!(r.score <= last, "similar results not sorted");
            last = r.score;
        }
    }
}

/// Recommend for `prefs` and check scores are finite and in 0..=100, sorted.
pub fn check_answers(engine: &Engine, prefs: &Preferences) {
    let Ok(top) = engine.recommend(prefs, 5) else {
        return;
    };
    let mut last = f64::INFINITY;
    for r in &top {
        assert!(
            r.score.is_finite() && (0.0..=100.0).contains(&r.score),
            "score {} out of range for {:?}",
            r.score,
            r.id
        );
        assert!(r.score <= last, "results not sorted by score");
        last = r.score;
        for (name, s) in &r.components {
            assert!(
                s.is_finite() && (0.0..=100.0).contains(s),
                "component {name} = {s} out of range"
            );
        }
    }
}

/// The small catalog that preferences and model files are tried against.
pub fn small_catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let text = include_str!("../../../fixtures/listings/sample.json");
        agent_mira::catalog::loaders::parse_json(text, "sample.json", options())
            .expect("the sample listings load")
    })
}

/// Engines over [`small_catalog`] under both profiles.
pub fn small_engines() -> &'static [Engine] {
    static ENGINES: OnceLock<Vec<Engine>> = OnceLock::new();
    ENGINES.get_or_init(|| {
        [Profile::balanced(), Profile::case_study()]
            .into_iter()
            .map(|p| {
                Engine::builder(small_catalog().clone())
                    .profile(p)
                    .current_year(YEAR)
                    .build()
            })
            .collect()
    })
}

/// A listing with nothing but id and price, and the sample listings.
pub fn probe_listings() -> Vec<Property> {
    let mut out = vec![Property::new(0u64, 1.0)];
    out.extend(small_catalog().properties().cloned());
    out
}

/// Rows to predict for a model with `n` features: missing values, zeros,
/// small and huge numbers, negatives. Capped so that a model claiming a
/// million features does not make each run slow.
pub fn probe_rows(n: usize) -> Option<Array2<f64>> {
    if n > 100_000 {
        return None;
    }
    let fills = [
        f64::NAN,
        0.0,
        1.0,
        -1.0,
        1500.0,
        1e300,
        -1e300,
        f64::INFINITY,
    ];
    let mut x = Array2::<f64>::zeros((fills.len() + 1, n));
    for (i, f) in fills.iter().enumerate() {
        x.row_mut(i).fill(*f);
    }
    for (j, v) in x.row_mut(fills.len()).iter_mut().enumerate() {
        *v = fills[j % fills.len()];
    }
    Some(x)
}

/// Predict the probe rows one by one and as a batch; the two must agree
/// bit for bit (or both be NaN).
pub fn exercise_ensemble(model: &TreeEnsemble) {
    let Some(x) = probe_rows(model.num_features()) else {
        return;
    };
    let Ok(batch) = model.predict_batch(x.view()) else {
        return;
    };
    for (row, b) in x.rows().into_iter().zip(batch.iter()) {
        let one = model
            .predict_row(row.as_slice().expect("standard layout"))
            .expect("a row the batch accepted");
        assert!(
            one.to_bits() == b.to_bits() || (one.is_nan() && b.is_nan()),
            "predict_row {one} != predict_batch {b}"
        );
    }
    // A wrong row length is an error, not a panic.
    let _ = model.predict_row(&vec![0.0; model.num_features() + 1]);
}

/// Value the probe listings with a model file that loaded, and re-save it.
pub fn exercise_model(model: &ValuationModel) {
    let text = model.to_json_string();
    let back = ValuationModel::from_json_str(&text, std::path::Path::new("<round trip>"))
        .unwrap_or_else(|e| panic!("a loaded model's own file does not load: {e}"));
    if let Some(x) = probe_rows(model.feature_names().len()) {
        let a = model.predict_matrix(x.view());
        let b = back.predict_matrix(x.view());
        match (a, b) {
            (Ok(a), Ok(b)) => assert!(
                a.iter()
                    .zip(b.iter())
                    .all(|(p, q)| p.to_bits() == q.to_bits() || (p.is_nan() && q.is_nan())),
                "predictions changed across a save/load"
            ),
            (Err(_), Err(_)) => {}
            _ => panic!("a saved model predicts differently after loading"),
        }
    }
    if model.encoder().is_some() {
        for p in probe_listings() {
            let _ = model.value(&p);
        }
        let _ = model.predict_catalog(small_catalog());
        if let Ok(engine) = Engine::builder(small_catalog().clone())
            .current_year(YEAR)
            .model(model.clone())
            .try_build()
        {
            for prefs in probe_preferences() {
                check_answers(&engine, prefs);
            }
        }
    }
}

/// Rewrite a snapshot header's checksum to match its content, so that a
/// mutated snapshot reaches the listing parser. Returns `None` when the
/// input has no header line with a checksum field.
pub fn fix_snapshot_checksum(data: &[u8]) -> Option<Vec<u8>> {
    let nl = data.iter().position(|b| *b == b'\n')?;
    let header = std::str::from_utf8(&data[..nl]).ok()?;
    let key = "\"checksum\":\"";
    let start = header.find(key)? + key.len();
    let end = start + header[start..].find('"')?;
    let template = format!("{}crc32:00000000{}", &header[..start], &header[end..]);
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(template.as_bytes());
    hasher.update(b"\n");
    hasher.update(&data[nl + 1..]);
    let fixed = format!(
        "{}crc32:{:08x}{}",
        &header[..start],
        hasher.finalize(),
        &header[end..]
    );
    let mut out = fixed.into_bytes();
    out.extend_from_slice(&data[nl..]);
    Some(out)
}

/// Rewrite a model file's checksum to match its body (see the model file
/// format: CRC-32 of `card`, `encoder`, `fill`, `predictor` as compact JSON
/// with sorted keys). `None` when the text is not a JSON object.
pub fn fix_model_checksum(text: &str) -> Option<String> {
    let serde_json::Value::Object(mut doc) = serde_json::from_str(text).ok()? else {
        return None;
    };
    let mut body = serde_json::Map::new();
    for key in ["card", "encoder", "fill", "predictor"] {
        body.insert(
            key.into(),
            doc.get(key).cloned().unwrap_or(serde_json::Value::Null),
        );
    }
    let body = serde_json::to_string(&serde_json::Value::Object(body)).ok()?;
    doc.insert(
        "checksum".into(),
        format!("crc32:{:08x}", crc32fast::hash(body.as_bytes())).into(),
    );
    serde_json::to_string(&doc).ok()
}
