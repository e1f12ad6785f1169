//! Writes the seed corpora of the fuzz targets (`core/fuzz/corpus/<target>/`)
//! from the repository's fixtures: small files, big fixtures cut down to a
//! few records or trees, plus snapshots and model files made by the library.
//!
//! ```text
//! cargo run -p agent-mira-examples --example fuzz_seeds [-- <kc_house_data.csv>]
//! ```
//!
//! The raw King County file (for the `csv_king_county` target) is not in the
//! repository; without the argument that target gets a few hand-made rows.

use std::fs;
use std::path::{Path, PathBuf};

use agent_mira::catalog::loaders::{self, LoadOptions};
use agent_mira::model::{
    train_price_model, GbdtParams, Holdout, RidgeParams, TrainConfig, TrainSpec, TreeEnsemble,
    ValuationModel,
};
use agent_mira::{Catalog, Property};
use serde_json::Value;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> Res<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let fixtures = root.join("fixtures");
    let out = root.join("core/fuzz/corpus");
    let kc_raw = std::env::args().nth(1).map(PathBuf::from);
    let seeds = Seeds { out };

    // Listings in every text format.
    let sample = fs::read_to_string(fixtures.join("listings/sample.json"))?;
    let cs = fixtures.join("case-study");
    let basics = fs::read_to_string(cs.join(loaders::BASICS_FILE))?;
    let characteristics = fs::read_to_string(cs.join(loaders::CHARACTERISTICS_FILE))?;
    let images = fs::read_to_string(cs.join(loaders::IMAGES_FILE))?;
    let kc_csv = head_lines(
        &fs::read_to_string(fixtures.join("king_county/listings.csv"))?,
        25,
    );
    let kc = loaders::read_csv(kc_csv.as_bytes(), "kc.csv", opts())?;
    let sample_catalog = loaders::parse_json(&sample, "sample.json", opts())?;
    let case_study = loaders::load_case_study(&cs, opts())?;

    let tiny = r#"[{"id": 1, "price": 1}]"#;
    let full = r#"[{"id": "a-1", "title": "Loft", "price": 450000.5, "location": "Seattle, WA",
 "latitude": 47.6, "longitude": -122.3, "bedrooms": 2, "bathrooms": 1.5, "size_sqft": 900,
 "lot_sqft": 0, "year_built": 2001, "property_type": "condo", "listing_type": "rent",
 "amenities": ["Swimming Pool", "garage", "EV charger"], "school_rating": 7.5,
 "commute_time": 12, "image_urls": ["https://example.com/1.jpg"],
 "attributes": {"zipcode": "98101", "hoa": 350, "tags": [1, {"a": null}]}}]"#;
    seeds.put("json", "sample.json", &sample)?;
    seeds.put("json", "case_study_basics.json", &basics)?;
    seeds.put("json", "tiny.json", tiny)?;
    seeds.put("json", "full.json", full)?;
    seeds.put("json", "empty.json", "[]")?;
    seeds.put("json", "king_county.json", &to_json_array(&kc))?;

    // Listings with vectors: the first four of the embedded fixture.
    let embedded_all = fs::read_to_string(fixtures.join("listings/embedded.json"))?;
    let embedded = loaders::parse_json(&embedded_all, "embedded.json", opts())?;
    let mut four = Catalog::builder().current_year(2025);
    for row in 0..4 {
        four.push(embedded.listing(row))?;
    }
    let embedded = four.build();
    seeds.put("json", "embedded.json", &to_json_array(&embedded))?;
    seeds.put("jsonl", "embedded.jsonl", &to_jsonl(&embedded))?;
    seeds.put(
        "csv",
        "embedding.csv",
        "id,price,embedding\n1,450000,\"[0.6, 0.8, 0]\"\n2,380000,0 1 -1e-3\n3,500000,\n4,1,1;2;3\n",
    )?;

    seeds.put("jsonl", "sample.jsonl", &to_jsonl(&sample_catalog))?;
    seeds.put("jsonl", "king_county.jsonl", &to_jsonl(&kc))?;
    seeds.put(
        "jsonl",
        "blank_lines_bom.jsonl",
        "\u{feff}{\"id\": 1, \"price\": 100}\r\n\n{\"id\": 1, \"price\": 200, \"amenities\": []}\n\u{1}",
    )?;
    seeds.put(
        "jsonl",
        "full.jsonl",
        &(serde_json::to_string(&serde_json::from_str::<Value>(full)?[0])? + "\n"),
    )?;

    seeds.put("csv", "king_county.csv", &kc_csv)?;
    seeds.put(
        "csv",
        "quoted.csv",
        "id,title,price,amenities,attributes.note,image_urls\n1,\"Loft, \"\"new\"\"\",450000,\"[\"\"pool\"\",\"\"garage\"\"]\",\"a\nb\",[]\n2,,1,[],,\"[\"\"https://example.com/2.jpg\"\"]\"\n",
    )?;
    seeds.put(
        "csv",
        "dups.csv",
        "id,price,bedrooms\n1,100,3\n1,200,\n\u{1}",
    )?;

    let kc_raw_text = match &kc_raw {
        Some(p) => head_lines(&fs::read_to_string(p)?, 25),
        None => "id,date,price,bedrooms,bathrooms,sqft_living,sqft_lot,floors,waterfront,view,condition,grade,sqft_above,sqft_basement,yr_built,yr_renovated,zipcode,lat,long,sqft_living15,sqft_lot15\n\
\"7129300520\",\"20141013T000000\",221900,3,1,1180,5650,\"1\",0,0,3,7,1180,0,1955,0,\"98178\",47.5112,-122.257,1340,5650\n"
            .to_string(),
    };
    seeds.put("csv_king_county", "kc_house_data.csv", &kc_raw_text)?;
    let mut dup = kc_raw_text.clone();
    if let Some(row) = kc_raw_text.lines().nth(1) {
        dup.push_str(row);
        dup.push_str("\n\u{1}");
    }
    seeds.put("csv_king_county", "kc_duplicate_keep_last.csv", &dup)?;

    let nul = "\0";
    seeds.put(
        "case_study",
        "fixture",
        &[basics.as_str(), &characteristics, &images].join(nul),
    )?;
    seeds.put("case_study", "basics_only", &basics)?;
    seeds.put(
        "case_study",
        "basics_characteristics",
        &[basics.as_str(), &characteristics].join(nul),
    )?;

    // Snapshots: the last byte of a seed decides whether the fuzz target
    // rewrites the checksum (odd) or checks it (even); snapshots end in
    // "\n" (even), so the fixed-up variants get one more byte.
    for (name, catalog) in [
        ("sample", &sample_catalog),
        ("case_study", &case_study),
        ("king_county", &kc),
        ("empty", &Catalog::empty()),
        ("embedded", &embedded),
    ] {
        let bytes = catalog.snapshot_bytes();
        seeds.put_bytes("snapshot", &format!("{name}.mira.jsonl"), &bytes)?;
        let mut fixup = bytes.clone();
        fixup.push(b'\x01');
        seeds.put_bytes("snapshot", &format!("{name}_fixup.mira.jsonl"), &fixup)?;
    }

    // LightGBM: the header, the first two trees and the trailer.
    for name in [
        "lgb_l2",
        "lgb_categorical",
        "lgb_categorical_onehot",
        "lgb_zero_missing",
        "lgb_rf",
        "lgb_sqrt",
        "lgb_poisson",
        "lgb_linear_tree",
    ] {
        let text = fs::read_to_string(fixtures.join(format!("models/{name}.txt")))?;
        seeds.put("lightgbm", &format!("{name}.txt"), &cut_lightgbm(&text, 1))?;
    }
    seeds.put(
        "lightgbm",
        "doc_example.txt",
        "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nmax_feature_idx=0\n\
objective=regression\nfeature_names=sqft_living\n\nTree=0\nnum_leaves=2\n\
split_feature=0\nthreshold=1500\ndecision_type=2\nleft_child=-1\nright_child=-2\n\
leaf_value=300000 650000\n\nend of trees\n",
    )?;

    // XGBoost: the first two trees of each model.
    for name in [
        "xgb_squarederror",
        "xgb_categorical",
        "xgb_categorical_onehot",
        "xgb_forest",
        "xgb_base_score",
        "xgb_gamma",
        "xgb_quantile",
    ] {
        let text = fs::read_to_string(fixtures.join(format!("models/{name}.json")))?;
        seeds.put("xgboost", &format!("{name}.json"), &cut_xgboost(&text, 2)?)?;
    }

    // Model files: a small trained GBDT, a linear model, an imported tree
    // model without an encoder.
    let train_on = loaders::read_csv(
        head_lines(
            &fs::read_to_string(fixtures.join("king_county/listings.csv"))?,
            200,
        )
        .as_bytes(),
        "kc.csv",
        opts(),
    )?;
    let gbdt = TrainConfig {
        name: "fuzz-seed-gbdt".into(),
        spec: TrainSpec::Gbdt(GbdtParams {
            num_rounds: 3,
            max_leaves: 4,
            min_samples_leaf: 5,
            ..Default::default()
        }),
        holdout: Holdout::None,
        current_year: 2025,
        ..Default::default()
    };
    let linear = TrainConfig {
        name: "fuzz-seed-linear".into(),
        spec: TrainSpec::Ridge(RidgeParams {
            alpha: 1.0,
            ..Default::default()
        }),
        holdout: Holdout::None,
        current_year: 2025,
        ..Default::default()
    };
    for (name, config) in [("gbdt", gbdt), ("linear", linear)] {
        let model = train_price_model(&train_on, &config, None)?.model;
        put_model(&seeds, name, &model)?;
    }
    let lgb = TreeEnsemble::from_lightgbm_str(&cut_lightgbm(
        &fs::read_to_string(fixtures.join("models/lgb_l2.txt"))?,
        2,
    ))?;
    put_model(
        &seeds,
        "imported_lightgbm",
        &ValuationModel::from_predictor(lgb.into(), "lgb", "lightgbm"),
    )?;

    // Preferences: the golden cases' requests and a few edge cases.
    let cases: Value =
        serde_json::from_str(&fs::read_to_string(fixtures.join("golden/cases.json"))?)?;
    for case in cases.as_array().into_iter().flatten() {
        if let (Some(name), Some(prefs)) = (case["name"].as_str(), case.get("preferences")) {
            seeds.put(
                "preferences",
                &format!("{name}.json"),
                &serde_json::to_string(prefs)?,
            )?;
        }
    }
    seeds.put("preferences", "empty.json", "{}")?;
    seeds.put(
        "preferences",
        "everything.json",
        r#"{"budget": 450000, "location": "Seattle, WA", "min_bedrooms": 3, "min_bathrooms": 2,
 "min_size_sqft": 1500, "max_commute_time": 30, "min_school_rating": 7,
 "preferred_amenities": ["pool", "Garden"], "must_have_amenities": ["garage"],
 "property_types": ["sfh", "condo"], "listing_type": "sale",
 "weights": {"price_match": 0.5, "bedrooms": 0}}"#,
    )?;
    Ok(())
}

fn opts<'a>() -> LoadOptions<'a> {
    LoadOptions::new().builder(Catalog::builder().current_year(2025))
}

struct Seeds {
    out: PathBuf,
}

impl Seeds {
    fn put(&self, target: &str, name: &str, text: &str) -> Res<()> {
        self.put_bytes(target, name, text.as_bytes())
    }

    fn put_bytes(&self, target: &str, name: &str, bytes: &[u8]) -> Res<()> {
        let dir = self.out.join(target);
        fs::create_dir_all(&dir)?;
        let path: &Path = &dir.join(name);
        fs::write(path, bytes)?;
        println!("{:>7} bytes  {}", bytes.len(), path.display());
        Ok(())
    }
}

/// A model file as saved, and the same with an odd last byte (the fuzz
/// target then rewrites its checksum).
fn put_model(seeds: &Seeds, name: &str, model: &ValuationModel) -> Res<()> {
    let text = model.to_json_string();
    seeds.put("model_file", &format!("{name}.json"), &text)?;
    seeds.put(
        "model_file",
        &format!("{name}_fixup.json"),
        &format!("{text}\u{1}"),
    )?;
    Ok(())
}

fn head_lines(text: &str, n: usize) -> String {
    text.lines().take(n).map(|l| format!("{l}\n")).collect()
}

/// The listings with their vectors (`Catalog::listing`), as a JSON array.
fn to_json_array(catalog: &Catalog) -> String {
    let all: Vec<Property> = (0..catalog.len()).map(|r| catalog.listing(r)).collect();
    serde_json::to_string_pretty(&all).expect("listings serialise")
}

/// The listings with their vectors, one JSON object a line.
fn to_jsonl(catalog: &Catalog) -> String {
    (0..catalog.len())
        .map(|r| serde_json::to_string(&catalog.listing(r)).expect("listings serialise") + "\n")
        .collect()
}

/// Keep a LightGBM text model's header, its first `keep` trees and what
/// follows `end of trees`.
fn cut_lightgbm(text: &str, keep: usize) -> String {
    let mut out = String::new();
    let mut trees = 0;
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with("Tree=") {
            trees += 1;
            skipping = trees > keep;
        }
        if line == "end of trees" {
            skipping = false;
        }
        if line.starts_with("tree_sizes=") {
            continue;
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Keep the first `keep` trees of an XGBoost JSON model.
fn cut_xgboost(text: &str, keep: usize) -> Res<String> {
    let mut doc: Value = serde_json::from_str(text)?;
    let model = &mut doc["learner"]["gradient_booster"]["model"];
    if let Some(trees) = model["trees"].as_array_mut() {
        trees.truncate(keep);
    }
    if let Some(info) = model["tree_info"].as_array_mut() {
        info.truncate(keep);
    }
    let per_round = model["gbtree_model_param"]["num_parallel_tree"]
        .as_str()
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let rounds = keep.div_ceil(per_round);
    model["iteration_indptr"] = (0..=rounds)
        .map(|r| Value::from((r * per_round).min(keep)))
        .collect();
    model["gbtree_model_param"]["num_trees"] = Value::from(keep.to_string());
    Ok(serde_json::to_string(&doc)?)
}
