//! `SharedEngine` under load: reader threads recommend while writers swap
//! catalogs and models. Every answer must come from one catalog version
//! (each version's listing ids encode the version): no torn reads.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;

use agent_mira::{Catalog, Engine, Preferences, PriceSource, Property, PropertyId, SharedEngine};

const LISTINGS: u64 = 200;
const VERSIONS: u64 = 40;

/// Catalog version `v`: ids `v * 1_000_000 + i`, prices that depend on the
/// version so that rankings differ between versions.
fn catalog(v: u64) -> Catalog {
    let mut b = Catalog::builder().version(v).current_year(2025);
    for i in 0..LISTINGS {
        let mut p = Property::new(
            v * 1_000_000 + i,
            100_000.0 + ((i * 7919 + v * 104_729) % 900_000) as f64,
        );
        p.bedrooms = Some((i % 5) as u32 + 1);
        b.push(p).unwrap();
    }
    b.build()
}

fn version_of(id: &PropertyId) -> u64 {
    match id {
        PropertyId::Int(n) => n / 1_000_000,
        PropertyId::Str(s) => panic!("unexpected string id {s}"),
    }
}

#[test]
fn readers_never_see_a_mix_of_catalog_versions() {
    let shared = Arc::new(SharedEngine::new(
        Engine::builder(catalog(1)).current_year(2025).build(),
    ));
    let done = Arc::new(AtomicBool::new(false));
    let answers = Arc::new(AtomicU64::new(0));
    let readers: Vec<_> = (0..6)
        .map(|r| {
            let (shared, done, answers) = (shared.clone(), done.clone(), answers.clone());
            thread::spawn(move || {
                let prefs = Preferences {
                    budget: Some(300_000.0 + r as f64 * 50_000.0),
                    min_bedrooms: Some(2),
                    ..Default::default()
                };
                let mut last_version = 0;
                while !done.load(Ordering::Relaxed) {
                    let engine = shared.current();
                    let version = engine.catalog().version();
                    // Versions only move forward for one reader.
                    assert!(
                        version >= last_version,
                        "went back from {last_version} to {version}"
                    );
                    last_version = version;
                    let top = engine.recommend(&prefs, 25).unwrap();
                    assert_eq!(top.len(), 25);
                    for rec in &top {
                        assert_eq!(
                            version_of(&rec.id),
                            version,
                            "an answer from catalog version {version} holds listing {}",
                            rec.id
                        );
                        // The listing really is in that snapshot.
                        assert!(engine.get(&rec.id).is_some());
                    }
                    let batch = engine
                        .recommend_batch(&[prefs.clone(), Preferences::default()], 5)
                        .unwrap();
                    for rec in batch.iter().flatten() {
                        assert_eq!(version_of(&rec.id), version);
                    }
                    answers.fetch_add(1, Ordering::Relaxed);
                }
                last_version
            })
        })
        .collect();

    let writer = {
        let shared = shared.clone();
        thread::spawn(move || {
            for v in 2..=VERSIONS {
                let got = shared.replace_catalog(catalog(v)).unwrap();
                assert_eq!(got, v);
                thread::yield_now();
            }
        })
    };
    writer.join().unwrap();
    // Let the readers see the last version for a moment.
    let target = answers.load(Ordering::Relaxed) + 50;
    while answers.load(Ordering::Relaxed) < target {
        thread::yield_now();
    }
    done.store(true, Ordering::Relaxed);
    for r in readers {
        assert_eq!(r.join().unwrap(), VERSIONS);
    }
    assert_eq!(shared.current().catalog().version(), VERSIONS);
    assert!(answers.load(Ordering::Relaxed) > VERSIONS);
}

#[test]
fn a_failed_update_keeps_the_current_engine() {
    let shared = SharedEngine::from(Engine::new(catalog(1)));
    let err = shared
        .update(|_| Err(agent_mira::MiraError::NotFound { id: "x".into() }))
        .unwrap_err();
    assert_eq!(err.code(), "MIRA_NOT_FOUND");
    assert_eq!(shared.current().catalog().version(), 1);
    let old = shared.replace(Engine::new(catalog(2)));
    assert_eq!(old.catalog().version(), 1);
    assert_eq!(shared.current().catalog().version(), 2);
    // Removing the model (there is none) keeps the catalog and listed prices.
    shared.replace_model(None).unwrap();
    let engine = shared.current();
    assert_eq!(engine.catalog().version(), 2);
    assert_eq!(engine.stats().price_source, PriceSource::Listed);
}

#[test]
fn catalog_and_model_swaps_from_two_writers_compose() {
    // Writers are serialised and each starts from the engine the other
    // left: swapping the catalog while the model is being replaced keeps
    // both changes.
    let shared = Arc::new(SharedEngine::new(
        Engine::builder(catalog(1)).current_year(2025).build(),
    ));
    let a = {
        let shared = shared.clone();
        thread::spawn(move || {
            for v in 2..=10 {
                shared.replace_catalog(catalog(v)).unwrap();
            }
        })
    };
    let b = {
        let shared = shared.clone();
        thread::spawn(move || {
            for _ in 0..10 {
                shared.replace_model(None).unwrap();
            }
        })
    };
    a.join().unwrap();
    b.join().unwrap();
    let engine = shared.current();
    assert_eq!(engine.catalog().version(), 10);
    assert_eq!(engine.current_year(), 2025);
}
