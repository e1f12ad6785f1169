//! Price models for the CLI: the bundled King County model, training with a
//! progress bar, and batch prediction output.

use std::io::Write;
use std::path::Path;

use agent_mira::model::{
    train::TrainProgress, train_price_model, Holdout, TrainConfig, TrainSpec, ValuationModel,
    DEFAULT_HOLDOUT_SEED,
};
use agent_mira::{Catalog, MiraError, RecordRef};
use indicatif::{ProgressBar, ProgressStyle};

use crate::args::{ModelArgs, PredictArgs, TrainArgs};

/// The King County model shipped with the crate (`core/models/king-county-gbdt.json`;
/// `fixtures/models/king-county/model.json` links to it).
const BUNDLED: &str = include_str!("../../../models/king-county-gbdt.json");

/// Share of listings that must lie inside the bundled model's training
/// domain for `recommend` to use it by default.
const BUNDLED_MIN_COVERAGE: f64 = 0.5;

/// The model `recommend` should use, if any.
pub fn for_recommend(
    args: &ModelArgs,
    catalog: &Catalog,
) -> Result<Option<ValuationModel>, MiraError> {
    if args.no_model {
        return Ok(None);
    }
    if let Some(path) = &args.model {
        return ValuationModel::load(path).map(Some);
    }
    let model = bundled()?;
    let domain = &model.card().training_domain;
    let inside = catalog
        .properties()
        .filter(|p| domain.check(p).is_empty())
        .count();
    let n = catalog.len().max(1);
    if (inside as f64) < BUNDLED_MIN_COVERAGE * n as f64 {
        eprintln!(
            "note: the bundled King County price model covers {inside} of {} listings; using listed prices (pass --model FILE to use a model anyway)",
            catalog.len()
        );
        return Ok(None);
    }
    Ok(Some(model))
}

/// The bundled King County model.
pub fn bundled() -> Result<ValuationModel, MiraError> {
    ValuationModel::from_json_str(BUNDLED, Path::new("<bundled king-county model>"))
}

/// `mira train`.
pub fn train(args: &TrainArgs, catalog: &Catalog) -> Result<(), MiraError> {
    let params = match args.params.as_deref() {
        Some(p) => json_arg(p)?,
        None => serde_json::Value::Null,
    };
    let spec = TrainSpec::from_json(serde_json::json!({"kind": args.kind, "params": params}))?;
    let config = TrainConfig {
        name: args.name.clone(),
        description: args.description.clone(),
        spec,
        holdout: holdout(&args.holdout)?,
        current_year: catalog.current_year(),
        place_encoding_folds: None,
    };
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("training {bar:40} {pos}/{len} rounds · {msg}")
            .expect("valid template"),
    );
    let report = |p: TrainProgress| {
        bar.set_length(u64::from(p.total_rounds));
        bar.set_position(u64::from(p.round));
        match p.valid_loss {
            Some(v) => bar.set_message(format!("train {:.4} · valid {v:.4}", p.train_loss)),
            None => bar.set_message(format!("train {:.4}", p.train_loss)),
        }
    };
    let outcome = train_price_model(catalog, &config, Some(&report));
    bar.finish_and_clear();
    let outcome = outcome?;
    outcome.model.save(&args.out)?;
    let card = outcome.model.card();
    eprintln!(
        "trained {} on {} listings in {:.1} s ({} features); saved {}",
        card.origin,
        outcome.train_rows,
        outcome.seconds,
        card.features.len(),
        args.out.display()
    );
    if let Some(h) = &outcome.history {
        eprintln!(
            "kept {} trees{}",
            h.best_iteration,
            if h.stopped_early {
                " (early stopping)"
            } else {
                ""
            }
        );
    }
    match &card.metrics {
        Some(m) => eprintln!(
            "held out: {} — RMSE {}, RMSLE {:.4}, median abs. error {:.1}%, R² {:.4}",
            card.evaluation,
            // In the listings' money: their one currency, else a bare number.
            match catalog.currencies() {
                [(one, _)] => one.format_amount(m.rmse),
                _ => format!("{:.0}", m.rmse),
            },
            m.rmsle,
            m.mdape * 100.0,
            m.r2
        ),
        None => eprintln!("{}", card.evaluation),
    }
    Ok(())
}

/// `mira predict`: one line per listing.
pub fn predict(args: &PredictArgs, catalog: &Catalog) -> Result<(), MiraError> {
    let model = ValuationModel::load(&args.model)?;
    let prices = model.predict_catalog(catalog)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let io = |e: std::io::Error| MiraError::io("<stdout>", e);
    if !args.json {
        writeln!(out, "id,listed_price,predicted_price,in_domain,warnings").map_err(io)?;
    }
    let domain = &model.card().training_domain;
    for (p, price) in catalog.properties().zip(&prices) {
        let warnings = domain.check(p);
        if args.json {
            let line = serde_json::json!({
                "id": p.id, "listed_price": p.price, "predicted_price": price,
                "in_domain": warnings.is_empty(), "warnings": warnings,
            });
            writeln!(out, "{line}").map_err(io)?;
        } else {
            let id = p.id.to_string();
            let warn = warnings.join("; ").replace('"', "'");
            writeln!(
                out,
                "{},{},{},{},\"{warn}\"",
                csv_field(&id),
                p.price,
                price,
                warnings.is_empty()
            )
            .map_err(io)?;
        }
    }
    out.flush().map_err(io)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn settings_error(field: &str, value: &str, expected: &str) -> MiraError {
    MiraError::invalid(
        RecordRef::Other("mira train".into()),
        field,
        value,
        expected,
    )
}

fn json_arg(text: &str) -> Result<serde_json::Value, MiraError> {
    let text = if Path::new(text).is_file() {
        std::fs::read_to_string(text).map_err(|e| MiraError::io(text, e))?
    } else {
        text.to_string()
    };
    serde_json::from_str(&text)
        .map_err(|e| settings_error("--params", &text, &format!("a JSON object ({e})")))
}

fn holdout(spec: &str) -> Result<Holdout, MiraError> {
    let parts: Vec<&str> = spec.splitn(3, ':').collect();
    let expected = "none, random:FRACTION[:SEED] or temporal:ATTRIBUTE:CUTOFF";
    match parts.as_slice() {
        ["none"] => Ok(Holdout::None),
        ["random", fraction] | ["random", fraction, _] => {
            let fraction: f64 = fraction
                .parse()
                .map_err(|_| settings_error("--holdout", spec, expected))?;
            let seed: u64 = match parts.get(2) {
                Some(s) => s
                    .parse()
                    .map_err(|_| settings_error("--holdout", spec, expected))?,
                None => DEFAULT_HOLDOUT_SEED,
            };
            Ok(Holdout::Random { fraction, seed })
        }
        ["temporal", attribute, cutoff] => Ok(Holdout::Temporal {
            attribute: attribute.to_string(),
            cutoff: cutoff.to_string(),
        }),
        _ => Err(settings_error("--holdout", spec, expected)),
    }
}
