//! Property-based tests of the file formats (proptest): a catalog snapshot
//! and a model file read back exactly what was written.

mod prop_support;

use std::path::Path;

use agent_mira::model::{
    train_price_model, GbdtParams, Holdout, LinearModel, OutputTransform, PriceModel, TrainConfig,
    TrainSpec, ValuationModel,
};
use agent_mira::{Catalog, PropertyId};
use ndarray::Array2;
use prop_support::{catalog_of, listing, listings, YEAR};
use proptest::prelude::*;

fn assert_same_catalog(a: &Catalog, b: &Catalog) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.len(), b.len());
    prop_assert_eq!(a.version(), b.version());
    prop_assert_eq!(a.current_year(), b.current_year());
    prop_assert_eq!(a.amenity_table(), b.amenity_table());
    prop_assert!(a.properties().eq(b.properties()), "listings differ");
    // What the catalog derives from its listings (summary, canonical
    // amenities) holds NaN for "missing", so compare the exact printed form
    // (Debug prints every f64 in its shortest round-trip form).
    let derived = |c: &Catalog| {
        let amenities: Vec<Option<Vec<&str>>> = (0..c.len()).map(|r| c.amenities_of(r)).collect();
        format!("{:?} {amenities:?}", c.stats())
    };
    prop_assert_eq!(derived(a), derived(b));
    Ok(())
}

/// Feature rows with missing values, zeros and numbers of every size.
fn rows(n_features: usize) -> impl Strategy<Value = Array2<f64>> {
    let cell = prop_oneof![
        1 => Just(f64::NAN),
        1 => Just(0.0),
        6 => -1e6..1e6f64,
        1 => proptest::num::f64::NORMAL,
    ];
    proptest::collection::vec(cell, n_features * 4)
        .prop_map(move |v| Array2::from_shape_vec((4, n_features), v).unwrap())
}

fn assert_bit_identical(
    a: &ValuationModel,
    b: &ValuationModel,
    x: &Array2<f64>,
) -> Result<(), TestCaseError> {
    let pa = a.predict_matrix(x.view());
    let pb = b.predict_matrix(x.view());
    match (pa, pb) {
        (Ok(pa), Ok(pb)) => {
            for (p, q) in pa.iter().zip(pb.iter()) {
                prop_assert!(
                    p.to_bits() == q.to_bits(),
                    "prediction {p:e} became {q:e} after a round trip"
                );
            }
        }
        (Err(ea), Err(eb)) => prop_assert_eq!(ea.to_string(), eb.to_string()),
        (pa, pb) => prop_assert!(false, "{pa:?} vs {pb:?}"),
    }
    Ok(())
}

fn round_trip(model: &ValuationModel) -> ValuationModel {
    let text = model.to_json_string();
    let back = ValuationModel::from_json_str(&text, Path::new("prop.json")).unwrap();
    assert_eq!(
        back.to_json_string(),
        text,
        "re-saving changed the model file"
    );
    back
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn snapshots_round_trip_exactly(
        listings in listings(0, 20),
        updates in proptest::collection::vec((0u64..30).prop_flat_map(listing), 0..4),
        removals in proptest::collection::vec(0u64..30, 0..3),
    ) {
        // Upserts and removals bump the version and reorder nothing else.
        let mut catalog = catalog_of(&listings);
        for u in updates {
            catalog = catalog.upsert(vec![u]).unwrap();
        }
        let ids: Vec<PropertyId> = removals.into_iter().map(PropertyId::from).collect();
        if let Ok(c) = catalog.remove(ids.iter()) {
            catalog = c;
        }
        let bytes = catalog.snapshot_bytes();
        let back = Catalog::from_snapshot_bytes(&bytes, "prop.mira.jsonl").unwrap();
        assert_same_catalog(&catalog, &back)?;
        prop_assert_eq!(back.snapshot_bytes(), bytes, "re-saving changed the snapshot");

        // And through a file.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.mira.jsonl");
        catalog.save(&path).unwrap();
        assert_same_catalog(&catalog, &Catalog::load(&path).unwrap())?;
    }

    #[test]
    fn linear_model_files_round_trip_exactly(
        (coefficients, x) in (1usize..12).prop_flat_map(|n| (
            proptest::collection::vec(
                prop_oneof![
                    4 => -1e5..1e5f64,
                    1 => proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO,
                ],
                n,
            ),
            rows(n),
        )),
        intercept in prop_oneof![-1e7..1e7f64, proptest::num::f64::NORMAL],
        transform in proptest::sample::select(&[
            OutputTransform::Identity,
            OutputTransform::Exp,
            OutputTransform::SignedSquare,
        ][..]),
        named in any::<bool>(),
    ) {
        let names = if named {
            (0..coefficients.len()).map(|i| format!("feature_{i}")).collect()
        } else {
            Vec::new()
        };
        let linear = LinearModel::new(coefficients, intercept, names).unwrap().with_transform(transform);
        let model = ValuationModel::from_predictor(PriceModel::Linear(linear), "prop", "proptest");
        let back = round_trip(&model);
        prop_assert_eq!(&back, &model);
        assert_bit_identical(&model, &back, &x)?;
    }
}

proptest! {
    // Training costs more: fewer cases.
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn trained_gbdt_model_files_round_trip_exactly(
        listings in listings(12, 40),
        rounds in 1u32..5,
        leaves in 2u32..6,
        seed in any::<u64>(),
        x in rows(1),
    ) {
        let config = TrainConfig {
            name: "prop-gbdt".into(),
            spec: TrainSpec::Gbdt(GbdtParams {
                num_rounds: rounds,
                max_leaves: leaves,
                min_samples_leaf: 2,
                seed,
                ..Default::default()
            }),
            holdout: Holdout::None,
            current_year: YEAR,
            ..Default::default()
        };
        let catalog = catalog_of(&listings);
        let model = train_price_model(&catalog, &config, None).unwrap().model;
        let back = round_trip(&model);
        prop_assert_eq!(&back, &model);
        // Predictions from listings (through the encoder) and from raw rows.
        let a = model.predict_catalog(&catalog);
        let b = back.predict_catalog(&catalog);
        match (a, b) {
            (Ok(a), Ok(b)) => prop_assert!(a.iter().zip(&b).all(|(p, q)| p.to_bits() == q.to_bits())),
            (a, b) => prop_assert_eq!(format!("{a:?}"), format!("{b:?}")),
        }
        let n = model.feature_names().len();
        let wide = Array2::from_shape_fn((4, n), |(r, c)| x[[r, 0]] * (c as f64 + 1.0));
        assert_bit_identical(&model, &back, &wide)?;
    }
}
