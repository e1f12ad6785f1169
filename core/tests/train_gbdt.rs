//! The native gradient-boosting trainer: exact outcomes on hand-computable
//! data, learned missing-value directions, determinism across runs and
//! thread counts, early stopping, parameter and data validation, progress
//! reporting, and a real slice of the King County sales.

use std::path::PathBuf;
use std::sync::Mutex;

use agent_mira::model::train::{
    train_gbdt, train_gbdt_with_validation, GbdtObjective, GbdtParams, TrainProgress,
};
use agent_mira::{OutputTransform, PriceModel, SplitRule, TreeEnsemble};
use ndarray::{Array1, Array2, Axis};

/// One round, learning rate 1, no regularisation, leaves of any size: each
/// leaf's value is exactly its rows' mean target.
fn exact(objective: GbdtObjective) -> GbdtParams {
    GbdtParams {
        objective,
        num_rounds: 1,
        learning_rate: 1.0,
        min_samples_leaf: 1,
        min_sum_hessian: 0.0,
        ..GbdtParams::default()
    }
}

fn col(v: &[f64]) -> Array2<f64> {
    Array2::from_shape_vec((v.len(), 1), v.to_vec()).unwrap()
}

#[test]
fn a_step_function_is_learned_exactly_in_one_round() {
    // y = 10 for x < 5, 20 otherwise: the mean 15 is folded into the tree,
    // the only useful split is between 4 and 5, and the leaves are exact.
    let xs: Vec<f64> = (0..10).map(f64::from).collect();
    let x = col(&xs);
    let y = Array1::from_iter(xs.iter().map(|&v| if v < 5.0 { 10.0 } else { 20.0 }));
    let t = train_gbdt(x.view(), y.view(), &exact(GbdtObjective::L2), None).unwrap();
    let m = &t.model;
    assert_eq!((m.num_trees(), m.num_nodes()), (1, 3));
    assert_eq!(m.rule(), SplitRule::LightGbm);
    assert_eq!(m.transform(), OutputTransform::Identity);
    assert_eq!(m.init_score(), 0.0);
    assert_eq!(m.predict_row(&[4.0]).unwrap(), 10.0);
    assert_eq!(m.predict_row(&[4.5]).unwrap(), 10.0); // the midpoint goes left
    assert_eq!(m.predict_row(&[4.500001]).unwrap(), 20.0);
    assert_eq!(m.predict_row(&[-1e9]).unwrap(), 10.0);
    assert_eq!(m.predict_row(&[9.0]).unwrap(), 20.0);
    assert_eq!(t.history.train_loss, vec![0.0]);
    assert_eq!(t.history.best_iteration, 1);

    // Learning rate 0.5: the leaves move half way from the mean.
    let half = GbdtParams {
        learning_rate: 0.5,
        ..exact(GbdtObjective::L2)
    };
    let t = train_gbdt(x.view(), y.view(), &half, None).unwrap();
    assert_eq!(t.model.predict_row(&[0.0]).unwrap(), 12.5);
    assert_eq!(t.model.predict_row(&[7.0]).unwrap(), 17.5);

    // L2 regularisation λ = 5 on 5 rows per leaf: -G/(H+λ) = ±5·5/10.
    let reg = GbdtParams {
        lambda_l2: 5.0,
        ..exact(GbdtObjective::L2)
    };
    let t = train_gbdt(x.view(), y.view(), &reg, None).unwrap();
    assert_eq!(t.model.predict_row(&[0.0]).unwrap(), 12.5);

    // The log objective fits ln(y) and predicts exp: back in dollars.
    let y = y.mapv(|v| v * 10_000.0);
    let t = train_gbdt(x.view(), y.view(), &exact(GbdtObjective::Log), None).unwrap();
    assert_eq!(t.model.transform(), OutputTransform::Exp);
    for (xv, want) in [(1.0, 100_000.0), (8.0, 200_000.0)] {
        let p = t.model.predict_row(&[xv]).unwrap();
        assert!((p / want - 1.0).abs() < 1e-12, "{p} vs {want}");
    }
}

#[test]
fn missing_values_learn_their_own_direction() {
    let nan = f64::NAN;
    // NaN rows look like the cheap houses: they go left with them.
    let x = col(&[1.0, 2.0, 3.0, 4.0, nan, nan, 6.0, 7.0, 8.0, 9.0]);
    let y = Array1::from(vec![
        10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 20.0, 20.0, 20.0, 20.0,
    ]);
    let p = GbdtParams {
        max_leaves: 2,
        ..exact(GbdtObjective::L2)
    };
    let t = train_gbdt(x.view(), y.view(), &p, None).unwrap();
    assert_eq!(t.model.predict_row(&[nan]).unwrap(), 10.0);
    assert_eq!(t.model.predict_row(&[5.0]).unwrap(), 10.0);
    assert_eq!(t.model.predict_row(&[100.0]).unwrap(), 20.0);

    // Now they look like the dear ones: same values, NaN goes right.
    let y2 = Array1::from(vec![
        10.0, 10.0, 10.0, 10.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0,
    ]);
    let t = train_gbdt(x.view(), y2.view(), &p, None).unwrap();
    assert_eq!(t.model.predict_row(&[nan]).unwrap(), 20.0);
    assert_eq!(t.model.predict_row(&[4.0]).unwrap(), 10.0);

    // NaN rows with a target of their own get a leaf of their own: missing
    // is not zero (0.0 goes with the small values).
    let y3 = Array1::from(vec![
        10.0, 10.0, 10.0, 10.0, 100.0, 100.0, 20.0, 20.0, 20.0, 20.0,
    ]);
    let p3 = GbdtParams {
        max_leaves: 3,
        ..exact(GbdtObjective::L2)
    };
    let t = train_gbdt(x.view(), y3.view(), &p3, None).unwrap();
    assert_eq!(t.model.predict_row(&[nan]).unwrap(), 100.0);
    assert_eq!(t.model.predict_row(&[0.0]).unwrap(), 10.0);
    assert_eq!(t.model.predict_row(&[7.0]).unwrap(), 20.0);
    assert_eq!(t.history.train_loss, vec![0.0]);

    // No missing value in training: an unseen NaN follows the majority.
    let x = col(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]);
    let y = Array1::from(vec![10.0, 10.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0]);
    let t = train_gbdt(x.view(), y.view(), &p, None).unwrap();
    assert_eq!(t.model.predict_row(&[nan]).unwrap(), 20.0);
    assert_eq!(t.model.predict_row(&[2.0]).unwrap(), 10.0);
}

/// The first `n` King County sales: 18 numeric features (zip code as a
/// number) and the price in dollars.
fn king_county(n: usize) -> (Array2<f64>, Array1<f64>) {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/king_county/kc_house_data.csv");
    let mut rd = csv::Reader::from_path(&path).unwrap();
    let header = rd.headers().unwrap().clone();
    let features = [
        "bedrooms",
        "bathrooms",
        "sqft_living",
        "sqft_lot",
        "floors",
        "waterfront",
        "view",
        "condition",
        "grade",
        "sqft_above",
        "sqft_basement",
        "yr_built",
        "yr_renovated",
        "zipcode",
        "lat",
        "long",
        "sqft_living15",
        "sqft_lot15",
    ];
    let idx: Vec<usize> = features
        .iter()
        .map(|f| header.iter().position(|h| h == *f).unwrap())
        .collect();
    let price = header.iter().position(|h| h == "price").unwrap();
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for rec in rd.records().take(n) {
        let rec = rec.unwrap();
        for &j in &idx {
            xs.push(rec[j].parse::<f64>().unwrap());
        }
        ys.push(rec[price].parse::<f64>().unwrap());
    }
    (
        Array2::from_shape_vec((ys.len(), features.len()), xs).unwrap(),
        Array1::from(ys),
    )
}

fn rmsle(pred: &Array1<f64>, y: &Array1<f64>) -> f64 {
    let s: f64 = pred
        .iter()
        .zip(y)
        .map(|(p, t)| (p.ln_1p() - t.ln_1p()).powi(2))
        .sum();
    (s / y.len() as f64).sqrt()
}

#[test]
fn on_king_county_the_model_beats_a_constant_by_far() {
    let (x, y) = king_county(4000);
    let (xt, xv) = x.view().split_at(Axis(0), 3000);
    let (yt, yv) = y.view().split_at(Axis(0), 3000);
    let params = GbdtParams {
        num_rounds: 50,
        ..GbdtParams::default()
    };
    let t = train_gbdt(xt, yt, &params, None).unwrap();
    let pred = t.model.predict_batch(xv).unwrap();
    // The best constant under RMSLE is about the geometric mean.
    let geo = (yt.iter().map(|v| v.ln()).sum::<f64>() / yt.len() as f64).exp();
    let constant = rmsle(&Array1::from_elem(yv.len(), geo), &yv.to_owned());
    let ours = rmsle(&pred, &yv.to_owned());
    assert!(ours < 0.5 * constant, "model {ours} vs constant {constant}");
    assert!(ours < 0.25, "RMSLE {ours}");
    // Training loss falls every round (full-data rounds, squared error).
    assert!(t.history.train_loss.windows(2).all(|w| w[1] <= w[0]));
    // Feature names can be attached, and the model is a price model.
    let names = (0..18).map(|i| format!("f{i}")).collect();
    let model: PriceModel = t.model.with_feature_names(names).unwrap().into();
    assert_eq!(model.num_features(), 18);
}

fn bits(m: &TreeEnsemble, x: &Array2<f64>) -> Vec<u64> {
    m.predict_batch(x.view())
        .unwrap()
        .iter()
        .map(|v| v.to_bits())
        .collect()
}

#[test]
fn training_is_bit_identical_across_runs_and_thread_counts() {
    let (x, y) = king_county(2500);
    // Bagging, feature sampling and a validation split exercise the seed.
    let params = GbdtParams {
        num_rounds: 15,
        bagging_fraction: 0.7,
        bagging_freq: 2,
        colsample_bytree: 0.6,
        validation_fraction: 0.2,
        seed: 42,
        ..GbdtParams::default()
    };
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| train_gbdt(x.view(), y.view(), &params, None).unwrap())
    };
    let a = run(1);
    let b = run(1);
    let c = run(3);
    let d = train_gbdt(
        x.view(),
        y.view(),
        &GbdtParams {
            num_threads: 2,
            ..params.clone()
        },
        None,
    )
    .unwrap();
    let json = |m: &TreeEnsemble| serde_json::to_string(m).unwrap();
    for other in [&b, &c, &d] {
        assert_eq!(json(&a.model), json(&other.model));
        assert_eq!(bits(&a.model, &x), bits(&other.model, &x));
        let h = |t: &agent_mira::model::train::TrainedGbdt| {
            t.history
                .train_loss
                .iter()
                .chain(&t.history.valid_loss)
                .map(|v| v.to_bits())
                .collect::<Vec<_>>()
        };
        assert_eq!(h(&a), h(other));
    }
    assert_eq!((a.history.train_rows, a.history.valid_rows), (2000, 500));
    // Another seed draws other rows and features: another model.
    let e = train_gbdt(x.view(), y.view(), &GbdtParams { seed: 7, ..params }, None).unwrap();
    assert_ne!(json(&a.model), json(&e.model));
}

#[test]
fn the_saved_model_predicts_exactly_what_training_tracked() {
    // With squared error the tracked training loss is computed from the
    // same leaf sums the predictor makes, so it must match to the bit.
    let (x, y) = king_county(1500);
    let params = GbdtParams {
        objective: GbdtObjective::L2,
        num_rounds: 10,
        ..GbdtParams::default()
    };
    let t = train_gbdt(x.view(), y.view(), &params, None).unwrap();
    let json = serde_json::to_string(&t.model).unwrap();
    let back: TreeEnsemble = serde_json::from_str(&json).unwrap();
    let pred = back.predict_batch(x.view()).unwrap();
    let mut s = 0.0;
    for (p, v) in pred.iter().zip(&y) {
        s += (p - v) * (p - v);
    }
    let loss = (s / y.len() as f64).sqrt();
    assert_eq!(loss.to_bits(), t.history.train_loss[9].to_bits());
}

/// Labels that are pure noise: the validation loss soon rises.
fn noise(n: usize, seed: u64) -> (Array2<f64>, Array1<f64>) {
    let mut s = seed;
    let mut next = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let x = Array2::from_shape_fn((n, 3), |_| next());
    let y = Array1::from_shape_fn(n, |_| 100.0 + next());
    (x, y)
}

#[test]
fn early_stopping_stops_and_keeps_the_best_round() {
    let (x, y) = noise(600, 1);
    let (xv, yv) = noise(300, 2);
    let params = GbdtParams {
        objective: GbdtObjective::L2,
        num_rounds: 200,
        learning_rate: 0.5,
        min_samples_leaf: 2,
        early_stopping_rounds: Some(4),
        ..GbdtParams::default()
    };
    let t = train_gbdt_with_validation(x.view(), y.view(), xv.view(), yv.view(), &params, None)
        .unwrap();
    let h = &t.history;
    assert!(h.stopped_early);
    assert!(h.train_loss.len() < 200);
    assert_eq!(h.valid_loss.len(), h.train_loss.len());
    // The kept round has the lowest validation loss (the first such), and
    // exactly `patience` rounds followed it.
    let best =
        h.valid_loss.iter().enumerate().fold(
            (0, f64::INFINITY),
            |b, (i, &v)| if v < b.1 { (i, v) } else { b },
        );
    assert_eq!(h.best_iteration, best.0 + 1);
    assert_eq!(h.valid_loss.len(), h.best_iteration + 4);
    assert_eq!(t.model.num_trees(), h.best_iteration);
    assert_eq!(h.valid_rows, 300);

    // A split-off validation set works the same way.
    let (x, y) = king_county(1200);
    let params = GbdtParams {
        num_rounds: 400,
        learning_rate: 1.0,
        min_samples_leaf: 1,
        validation_fraction: 0.25,
        early_stopping_rounds: Some(3),
        ..GbdtParams::default()
    };
    let t = train_gbdt(x.view(), y.view(), &params, None).unwrap();
    assert!(t.history.stopped_early);
    assert_eq!(t.history.valid_rows, 300);
    assert_eq!(t.model.num_trees(), t.history.best_iteration);
    assert_eq!(t.history.valid_loss.len(), t.history.best_iteration + 3);
}

#[test]
fn the_progress_callback_sees_every_round() {
    let (x, y) = king_county(800);
    let seen = Mutex::new(Vec::new());
    let cb = |p: TrainProgress| seen.lock().unwrap().push(p);
    let params = GbdtParams {
        num_rounds: 7,
        validation_fraction: 0.25,
        ..GbdtParams::default()
    };
    let t = train_gbdt(x.view(), y.view(), &params, Some(&cb)).unwrap();
    let seen = seen.into_inner().unwrap();
    assert_eq!(seen.len(), 7);
    for (i, p) in seen.iter().enumerate() {
        assert_eq!((p.round, p.total_rounds), (i as u32 + 1, 7));
        assert_eq!(p.train_loss, t.history.train_loss[i]);
        assert_eq!(p.valid_loss, Some(t.history.valid_loss[i]));
    }
    // Without a validation set there is no validation loss.
    let once = Mutex::new(0);
    let cb = |p: TrainProgress| {
        assert_eq!(p.valid_loss, None);
        *once.lock().unwrap() += 1;
    };
    let params = GbdtParams {
        num_rounds: 3,
        ..GbdtParams::default()
    };
    train_gbdt(x.view(), y.view(), &params, Some(&cb)).unwrap();
    assert_eq!(once.into_inner().unwrap(), 3);
}

fn err(params: GbdtParams) -> String {
    let x = col(&[1.0, 2.0, 3.0]);
    let y = Array1::from(vec![1.0, 2.0, 3.0]);
    let e = train_gbdt(x.view(), y.view(), &params, None).unwrap_err();
    assert_eq!(e.code(), "MIRA_INVALID_FIELD");
    e.to_string()
}

#[test]
fn bad_parameters_are_refused_by_name_value_and_range() {
    let d = GbdtParams::default;
    let cases = [
        (
            GbdtParams {
                num_rounds: 0,
                ..d()
            },
            "field `num_rounds` = 0: expected an integer >= 1",
        ),
        (
            GbdtParams {
                learning_rate: 0.0,
                ..d()
            },
            "field `learning_rate` = 0: expected a number in (0, 1]",
        ),
        (
            GbdtParams {
                learning_rate: f64::NAN,
                ..d()
            },
            "field `learning_rate` = NaN: expected a number in (0, 1]",
        ),
        (
            GbdtParams {
                max_leaves: 1,
                ..d()
            },
            "field `max_leaves` = 1: expected an integer in 2..=131072",
        ),
        (
            GbdtParams {
                max_depth: Some(0),
                ..d()
            },
            "field `max_depth` = 0: expected an integer >= 1, or null for unlimited",
        ),
        (
            GbdtParams {
                min_samples_leaf: 0,
                ..d()
            },
            "field `min_samples_leaf` = 0: expected an integer >= 1",
        ),
        (
            GbdtParams {
                min_sum_hessian: -1.0,
                ..d()
            },
            "field `min_sum_hessian` = -1: expected a finite number >= 0",
        ),
        (
            GbdtParams {
                lambda_l2: f64::INFINITY,
                ..d()
            },
            "field `lambda_l2` = inf: expected a finite number >= 0",
        ),
        (
            GbdtParams {
                min_gain_to_split: -0.5,
                ..d()
            },
            "field `min_gain_to_split` = -0.5: expected a finite number >= 0",
        ),
        (
            GbdtParams {
                max_bins: 256,
                ..d()
            },
            "field `max_bins` = 256: expected an integer in 2..=255",
        ),
        (
            GbdtParams {
                bagging_fraction: 0.0,
                ..d()
            },
            "field `bagging_fraction` = 0: expected a number in (0, 1]",
        ),
        (
            GbdtParams {
                colsample_bytree: 1.5,
                ..d()
            },
            "field `colsample_bytree` = 1.5: expected a number in (0, 1]",
        ),
        (
            GbdtParams {
                validation_fraction: 1.0,
                ..d()
            },
            "field `validation_fraction` = 1: expected a number in [0, 1)",
        ),
        (
            GbdtParams {
                early_stopping_rounds: Some(0),
                ..d()
            },
            "field `early_stopping_rounds` = 0: expected an integer >= 1, or null to train every round",
        ),
        (
            GbdtParams {
                early_stopping_rounds: Some(10),
                ..d()
            },
            "field `early_stopping_rounds` = 10: expected null when there is no validation set (give one, or set validation_fraction > 0)",
        ),
        (
            GbdtParams {
                validation_fraction: 0.9,
                ..d()
            },
            "field `validation_fraction` = 0.9: expected a fraction that leaves training rows out of 3",
        ),
    ];
    for (params, want) in cases {
        assert_eq!(err(params), format!("training parameters: {want}"));
    }
}

#[test]
fn bad_data_is_refused_naming_the_row() {
    let x = col(&[1.0, 2.0, 3.0]);
    let p = GbdtParams::default();
    let e = train_gbdt(x.view(), Array1::from(vec![5.0, 1.0, 0.0]).view(), &p, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "training row 2: field `y` = 0: expected a finite number > 0 (the log objective fits ln(y))"
    );
    let e = train_gbdt(
        x.view(),
        Array1::from(vec![-3.0, 1.0, 2.0]).view(),
        &p,
        None,
    )
    .unwrap_err();
    assert!(
        e.to_string().starts_with("training row 0: field `y` = -3"),
        "{e}"
    );
    // Squared error on the raw label takes zero and negative labels.
    let l2 = GbdtParams {
        objective: GbdtObjective::L2,
        ..GbdtParams::default()
    };
    train_gbdt(
        x.view(),
        Array1::from(vec![0.0, -1.0, 2.0]).view(),
        &l2,
        None,
    )
    .unwrap();
    let e = train_gbdt(
        x.view(),
        Array1::from(vec![0.0, f64::NAN, 2.0]).view(),
        &l2,
        None,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "training row 1: field `y` = NaN: expected a finite number"
    );
    // Infinite features are refused; NaN is a missing value.
    let xi = col(&[1.0, f64::INFINITY, f64::NAN]);
    let y = Array1::from(vec![1.0, 2.0, 3.0]);
    let e = train_gbdt(xi.view(), y.view(), &p, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "training row 1: field `column 0` = inf: expected a finite number, or NaN for a missing value"
    );
    let e = train_gbdt(x.view(), Array1::from(vec![1.0, 2.0]).view(), &p, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "training data: field `y` = 2 labels: expected 3 labels, one per row of x"
    );
    let e = train_gbdt_with_validation(
        x.view(),
        y.view(),
        Array2::from_elem((2, 2), 1.0).view(),
        Array1::from(vec![1.0, 2.0]).view(),
        &p,
        None,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "validation data: field `x` = 2 columns: expected 1 columns, as in the training data"
    );
    let e = train_gbdt_with_validation(
        x.view(),
        y.view(),
        x.view(),
        Array1::from(vec![1.0, -2.0, 2.0]).view(),
        &p,
        None,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("validation row 1: field `y` = -2"),
        "{e}"
    );
    let empty = Array2::<f64>::zeros((0, 1));
    let e = train_gbdt(empty.view(), Array1::zeros(0).view(), &p, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "training data: field `x` = 0 rows: expected at least 1 row"
    );
}
