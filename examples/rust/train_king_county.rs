//! Train the native gradient-boosting price model on a numeric feature
//! table and predict its test rows: the Rust half of
//! `benches/compare_training.py`, which builds the table from the King
//! County sales and trains LightGBM on the very same matrix.
//!
//! ```text
//! cargo run --release -p agent-mira-examples --example train_king_county -- \
//!     features.csv predictions.txt [params.json]
//! ```
//!
//! `features.csv`: a header, then numeric rows (an empty cell is a missing
//! value); the column `price` is the label, the column `is_test` (0 or 1)
//! marks the test rows, every other column is a feature. The test rows'
//! predicted prices (dollars) are written one per line to
//! `predictions.txt`; a JSON summary (training seconds, trees, losses) goes
//! to stdout. `params.json` holds `GbdtParams` (defaults otherwise).

use std::io::Write;
use std::time::Instant;

use agent_mira::model::train::{train_gbdt, GbdtParams};
use ndarray::{Array1, Array2};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(input), Some(output)) = (args.first(), args.get(1)) else {
        eprintln!("usage: train_king_county features.csv predictions.txt [params.json]");
        std::process::exit(2);
    };
    let params: GbdtParams = match args.get(2) {
        Some(p) => serde_json::from_str(&std::fs::read_to_string(p)?)?,
        None => GbdtParams::default(),
    };

    let text = std::fs::read_to_string(input)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .ok_or("empty feature file")?
        .split(',')
        .collect();
    let price_col = header
        .iter()
        .position(|&h| h == "price")
        .ok_or("no `price` column")?;
    let test_col = header
        .iter()
        .position(|&h| h == "is_test")
        .ok_or("no `is_test` column")?;
    let features: Vec<usize> = (0..header.len())
        .filter(|&j| j != price_col && j != test_col)
        .collect();
    let (mut train_x, mut train_y, mut test_x) = (Vec::new(), Vec::new(), Vec::new());
    for (i, line) in lines.enumerate() {
        let cells: Vec<&str> = line.split(',').collect();
        let num = |j: usize| -> Result<f64, String> {
            let c = cells
                .get(j)
                .ok_or(format!("line {}: too few cells", i + 2))?
                .trim();
            if c.is_empty() {
                Ok(f64::NAN)
            } else {
                c.parse().map_err(|e| format!("line {}: `{c}`: {e}", i + 2))
            }
        };
        let row = features
            .iter()
            .map(|&j| num(j))
            .collect::<Result<Vec<f64>, _>>()?;
        if num(test_col)? == 1.0 {
            test_x.extend(row);
        } else {
            train_x.extend(row);
            train_y.push(num(price_col)?);
        }
    }
    let nf = features.len();
    let x = Array2::from_shape_vec((train_y.len(), nf), train_x)?;
    let y = Array1::from(train_y);
    let xt = Array2::from_shape_vec((test_x.len() / nf, nf), test_x)?;

    let start = Instant::now();
    let trained = train_gbdt(x.view(), y.view(), &params, None)?;
    let train_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let pred = trained.model.predict_batch(xt.view())?;
    let predict_seconds = start.elapsed().as_secs_f64();

    let mut out = std::io::BufWriter::new(std::fs::File::create(output)?);
    for p in &pred {
        writeln!(out, "{p:?}")?;
    }
    out.flush()?;
    let summary = serde_json::json!({
        "train_rows": x.nrows(),
        "test_rows": xt.nrows(),
        "features": nf,
        "train_seconds": train_seconds,
        "predict_seconds": predict_seconds,
        "trees": trained.model.num_trees(),
        "best_iteration": trained.history.best_iteration,
        "final_train_loss": trained.history.train_loss.last(),
        "params": params,
    });
    println!("{summary}");
    Ok(())
}
