//! Train the India rent model exactly as the bundled one is trained, and
//! write the very feature matrix and split it used: the Rust half of
//! `benches/compare_india_rent.py`, which trains LightGBM on that same
//! matrix with the same parameters.
//!
//! ```text
//! cargo run --release -p agent-mira-examples --example train_india_rent -- \
//!     MODEL_OUT PARAMS_JSON [EXPORT_DIR]
//! ```
//!
//! Loads `fixtures/india_rent/india_house_rent.csv` with the `india-rent`
//! CSV preset (as of 2022), trains on listings posted before 2022-06-15
//! and holds out the later ones, with the `GbdtParams` in `PARAMS_JSON`
//! and place columns encoded out of 5 folds, and saves the model to
//! `MODEL_OUT`. This is how `fixtures/models/india-rent/model.json` is
//! made (its README has the command). With `EXPORT_DIR`, also writes there:
//!
//! - `features.csv`: the encoder's columns (fitted on the training
//!   listings; an empty cell is a missing value), then `price` (rupees per
//!   month) and `is_test` (0 or 1): the training rows exactly as our
//!   trainer saw them (place columns out of fold), then the held-out rows
//!   as the model encodes them, each in file order;
//! - `predictions.txt`: our model's predicted rent for each held-out row,
//!   in `features.csv` order.
//!
//! A JSON summary (rows, trees, seconds, the card's held-out metrics) goes
//! to stdout.

use std::fmt::Write as _;
use std::path::PathBuf;

use agent_mira::catalog::loaders::{load_csv, CsvMapping, LoadOptions};
use agent_mira::model::train::GbdtParams;
use agent_mira::model::{train_price_model, Holdout, TrainConfig, TrainSpec};
use agent_mira::{Catalog, Property};

/// First held-out posting day.
const CUTOFF: &str = "2022-06-15";
/// The card's description.
const DESCRIPTION: &str = "Gradient-boosted trees on ln(monthly rent) of 4,746 real rental listings in six Indian cities (fixtures/india_rent/india_house_rent.csv, posted April-July 2022), trained on listings posted before 2022-06-15 and measured on the later ones.";
/// Folds of the out-of-fold place encodings: 2,232 places among 4,746
/// listings, most seen once.
const PLACE_FOLDS: u32 = 5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(model_out), Some(params_file)) = (args.first(), args.get(1)) else {
        eprintln!("usage: train_india_rent MODEL_OUT PARAMS_JSON [EXPORT_DIR]");
        std::process::exit(2);
    };
    let params: GbdtParams = serde_json::from_str(&std::fs::read_to_string(params_file)?)?;
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/india_rent/india_house_rent.csv");
    let options = LoadOptions::new()
        .builder(Catalog::builder().current_year(2022))
        .csv_mapping(CsvMapping::preset("india-rent")?);
    let catalog = load_csv(&data, options)?;
    let config = TrainConfig {
        name: "india-rent-gbdt".into(),
        description: DESCRIPTION.into(),
        spec: TrainSpec::Gbdt(params),
        holdout: Holdout::Temporal {
            attribute: "available_from".into(),
            cutoff: CUTOFF.into(),
        },
        current_year: 2022,
        place_encoding_folds: Some(PLACE_FOLDS),
    };
    let outcome = train_price_model(&catalog, &config, None)?;
    let model = &outcome.model;
    let encoder = model.encoder().ok_or("the model has no encoder")?;

    model.save(model_out)?;
    let summary = serde_json::json!({
        "train_rows": outcome.train_rows,
        "test_rows": outcome.test_rows,
        "features": encoder.num_features(),
        "rounds": outcome.history.as_ref().map(|h| h.train_loss.len()),
        "train_seconds": outcome.seconds,
        "metrics": model.card().metrics,
    });
    println!("{summary}");
    let Some(out_dir) = args.get(2).map(PathBuf::from) else {
        return Ok(());
    };
    std::fs::create_dir_all(&out_dir)?;
    // The matrix the trainer saw: training rows with out-of-fold place
    // columns (as `train_price_model` builds them), then the held-out rows
    // as the model encodes any listing.
    let held = |p: &&Property| {
        p.available_from
            .is_some_and(|d| d.to_string().as_str() >= CUTOFF)
    };
    let (test, train): (Vec<&Property>, Vec<&Property>) = catalog.properties().partition(held);
    let prices: Vec<f64> = train.iter().map(|p| p.price).collect();
    let x_train = encoder.transform_out_of_fold(&train, &prices, PLACE_FOLDS);
    let x_test = encoder.transform_all(&test);
    let predicted = model.predict_listings(&test)?;

    let mut csv = String::new();
    for name in encoder.feature_names() {
        write!(csv, "{},", name.replace(',', ";"))?;
    }
    csv.push_str("price,is_test\n");
    for (x, rows, is_test) in [(&x_train, &train, 0), (&x_test, &test, 1)] {
        for (i, p) in rows.iter().enumerate() {
            for v in x.row(i) {
                if v.is_nan() {
                    csv.push(',');
                } else {
                    write!(csv, "{v:?},")?;
                }
            }
            writeln!(csv, "{:?},{is_test}", p.price)?;
        }
    }
    let mut predictions = String::new();
    for p in &predicted {
        writeln!(predictions, "{p:?}")?;
    }
    std::fs::write(out_dir.join("features.csv"), csv)?;
    std::fs::write(out_dir.join("predictions.txt"), predictions)?;
    Ok(())
}
