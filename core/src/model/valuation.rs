//! [`ValuationModel`]: a price model with its feature encoder and model
//! card, and the model file format.
//!
//! # File format (version 1)
//!
//! One JSON document, readable by a person:
//!
//! ```text
//! {
//!  "format": "agent-mira-model",
//!  "format_version": 1,
//!  "checksum": "crc32:1a2b3c4d",
//!  "card": { name, origin, features: [{name, kind}], target, training_domain, metrics, params, data_fingerprint, … },
//!  "encoder": { … } | null,      // the fitted FeatureEncoder (null: the model takes raw feature rows)
//!  "fill": [ … ] | null,          // values that replace NaN inputs before the predictor (linear models)
//!  "predictor": { "kind": "tree_ensemble" | "linear", … }
//! }
//! ```
//!
//! The checksum is the CRC-32 of the four body members serialised as
//! compact JSON with sorted keys, so whitespace does not matter but any
//! edit does. Loading refuses a newer `format_version`, a checksum that
//! does not match, and a card whose features differ from the encoder's or
//! the predictor's, naming the file and the features. Saving is atomic.

use std::path::{Path, PathBuf};

use ndarray::{Array1, Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::card::{ModelCard, TrainingDomain};
use super::import_error::{number, Wrong};
use super::json_path::{describe, missing, JsonAt};
use super::PriceModel;
use crate::catalog::Catalog;
use crate::error::{MiraError, RecordRef, Result};
use crate::features::{FeatureEncoder, FeatureKind, FeatureSpec};
use crate::listing::Property;

/// Name in the `format` field of model files.
pub const MODEL_FORMAT_NAME: &str = "agent-mira-model";
/// Newest model file version this build reads and the one it writes.
pub const MODEL_FORMAT_VERSION: u32 = 1;

/// One valuation: a predicted price and whether the listing is like the
/// ones the model learned from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Valuation {
    /// Predicted price, dollars.
    pub price: f64,
    /// False when the listing lies outside the training domain.
    pub in_domain: bool,
    /// Why it lies outside ("location Boise, ID not seen in training").
    pub warnings: Vec<String>,
}

/// A price model ready for listings: predictor, feature encoder and card.
#[derive(Debug, Clone, PartialEq)]
pub struct ValuationModel {
    card: ModelCard,
    encoder: Option<FeatureEncoder>,
    fill: Option<Vec<f64>>,
    predictor: PriceModel,
}

#[derive(Serialize)]
struct Body {
    card: ModelCard,
    encoder: Option<FeatureEncoder>,
    fill: Option<Vec<f64>>,
    predictor: PriceModel,
}

/// The file's members in the order a person reads them.
#[derive(Serialize)]
struct Document<'a> {
    format: &'a str,
    format_version: u32,
    checksum: String,
    card: &'a serde_json::Value,
    encoder: &'a serde_json::Value,
    fill: &'a serde_json::Value,
    predictor: &'a serde_json::Value,
}

impl ValuationModel {
    /// Put a model together. Checks that the card's features, the encoder's
    /// columns (when given), the fill values and the predictor agree.
    pub fn new(
        card: ModelCard,
        encoder: Option<FeatureEncoder>,
        fill: Option<Vec<f64>>,
        predictor: PriceModel,
    ) -> Result<ValuationModel> {
        let model = ValuationModel {
            card,
            encoder,
            fill,
            predictor,
        };
        model.check(None)?;
        Ok(model)
    }

    /// Wrap a bare predictor (an imported LightGBM/XGBoost/scikit-learn
    /// model) that takes raw feature rows; its card lists its own feature
    /// names (or `f0`, `f1`… when it has none).
    pub fn from_predictor(predictor: PriceModel, name: &str, origin: &str) -> ValuationModel {
        let names: Vec<String> = if predictor.feature_names().is_empty() {
            (0..predictor.num_features())
                .map(|i| format!("f{i}"))
                .collect()
        } else {
            predictor.feature_names().to_vec()
        };
        let card = ModelCard {
            name: name.to_string(),
            origin: origin.to_string(),
            description: String::new(),
            features: names
                .into_iter()
                .map(|name| FeatureSpec {
                    name,
                    kind: FeatureKind::Numeric,
                })
                .collect(),
            target: "price".into(),
            training_domain: TrainingDomain::default(),
            metrics: None,
            evaluation: String::new(),
            params: serde_json::Value::Null,
            data_fingerprint: String::new(),
            created: String::new(),
        };
        ValuationModel {
            card,
            encoder: None,
            fill: None,
            predictor,
        }
    }

    /// Attach a feature encoder whose columns must equal the model's features.
    pub fn with_encoder(mut self, encoder: FeatureEncoder) -> Result<ValuationModel> {
        self.encoder = Some(encoder);
        self.check(None)?;
        Ok(self)
    }

    /// The same model with held-out metrics recorded on its card.
    pub fn with_metrics(mut self, metrics: super::Metrics) -> ValuationModel {
        self.card.metrics = Some(metrics);
        self
    }

    /// The model card.
    pub fn card(&self) -> &ModelCard {
        &self.card
    }

    /// The feature encoder, if the model predicts from listings.
    pub fn encoder(&self) -> Option<&FeatureEncoder> {
        self.encoder.as_ref()
    }

    /// The predictor.
    pub fn predictor(&self) -> &PriceModel {
        &self.predictor
    }

    /// Values replacing NaN inputs before prediction (linear models).
    pub fn fill(&self) -> Option<&[f64]> {
        self.fill.as_deref()
    }

    /// Feature names, in column order.
    pub fn feature_names(&self) -> Vec<&str> {
        self.card.features.iter().map(|f| f.name.as_str()).collect()
    }

    /// Predict prices for feature rows (NaN = missing), in parallel for big
    /// batches.
    pub fn predict_matrix(&self, x: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        match &self.fill {
            Some(fill) if x.iter().any(|v| v.is_nan()) => {
                let mut filled: Array2<f64> = x.to_owned();
                for mut row in filled.rows_mut() {
                    for (v, f) in row.iter_mut().zip(fill) {
                        if v.is_nan() {
                            *v = *f;
                        }
                    }
                }
                self.predictor.predict_batch(filled.view())
            }
            _ => self.predictor.predict_batch(x),
        }
    }

    fn need_encoder(&self) -> Result<&FeatureEncoder> {
        self.encoder.as_ref().ok_or_else(|| MiraError::Unsupported {
            what: "prediction from listings".into(),
            name: format!("model `{}` has no feature encoder", self.card.name),
            hint: Some("it predicts from feature rows only; attach an encoder with with_encoder, or train with agent-mira".into()),
        })
    }

    /// Predicted price of every listing of a catalog (catalog order), in
    /// parallel. Fails if a prediction is not a finite positive number,
    /// naming the listing.
    pub fn predict_catalog(&self, catalog: &Catalog) -> Result<Vec<f64>> {
        let encoder = self.need_encoder()?;
        let x = encoder.transform(catalog);
        let prices = self.predict_matrix(x.view())?.to_vec();
        if let Some((row, v)) = prices
            .iter()
            .enumerate()
            .find(|(_, v)| !(v.is_finite() && **v > 0.0))
        {
            return Err(MiraError::invalid(
                RecordRef::Id(catalog.property(row).id.to_string()),
                "predicted_price",
                v,
                format!("a finite price > 0 from model `{}`", self.card.name),
            ));
        }
        Ok(prices)
    }

    /// Predicted prices of listings (in the given order), in parallel.
    pub fn predict_listings(&self, listings: &[&Property]) -> Result<Vec<f64>> {
        let encoder = self.need_encoder()?;
        let x = encoder.transform_all(listings);
        Ok(self.predict_matrix(x.view())?.to_vec())
    }

    /// Value one listing: predicted price and training-domain warnings.
    pub fn value(&self, p: &Property) -> Result<Valuation> {
        let encoder = self.need_encoder()?;
        let row = encoder.transform_one(p);
        let x = ArrayView2::from_shape((1, row.len()), &row).expect("one row");
        let price = self.predict_matrix(x)?[0];
        let warnings = self.card.training_domain.check(p);
        Ok(Valuation {
            price,
            in_domain: warnings.is_empty(),
            warnings,
        })
    }

    /// Check consistency; `path` names the file in errors.
    fn check(&self, path: Option<&Path>) -> Result<()> {
        let mismatch = |reason: String| MiraError::ModelMismatch {
            path: path.map(Path::to_path_buf),
            reason,
        };
        let card: Vec<&str> = self.feature_names();
        if let Some(enc) = &self.encoder {
            let enc_names = enc.feature_names();
            if enc_names != card {
                return Err(mismatch(describe_difference(
                    "the model card",
                    &card,
                    "the feature encoder",
                    &enc_names,
                )));
            }
        }
        let predictor_names: Vec<&str> = self
            .predictor
            .feature_names()
            .iter()
            .map(String::as_str)
            .collect();
        if !predictor_names.is_empty() && predictor_names != card {
            return Err(mismatch(describe_difference(
                "the model card",
                &card,
                "the predictor",
                &predictor_names,
            )));
        }
        if self.predictor.num_features() != card.len() {
            return Err(mismatch(format!(
                "the model card lists {} features but the predictor takes {}",
                card.len(),
                self.predictor.num_features()
            )));
        }
        if let Some(fill) = &self.fill {
            if fill.len() != card.len() {
                return Err(mismatch(format!(
                    "fill values: {} given, expected {} finite numbers (one per feature)",
                    fill.len(),
                    card.len()
                )));
            }
            if let Some(i) = fill.iter().position(|v| !v.is_finite()) {
                return Err(mismatch(format!(
                    "fill values: `fill[{i}]` = {} (for feature `{}`), expected a finite number",
                    number(fill[i]),
                    card[i]
                )));
            }
        }
        Ok(())
    }

    fn body(&self) -> Body {
        Body {
            card: self.card.clone(),
            encoder: self.encoder.clone(),
            fill: self.fill.clone(),
            predictor: self.predictor.clone(),
        }
    }

    /// The model file as a JSON string (see the module docs).
    pub fn to_json_string(&self) -> String {
        let serde_json::Value::Object(members) =
            serde_json::to_value(self.body()).expect("models serialise")
        else {
            unreachable!("a struct serialises to an object")
        };
        let checksum = checksum_of(&members);
        let doc = Document {
            format: MODEL_FORMAT_NAME,
            format_version: MODEL_FORMAT_VERSION,
            checksum,
            card: &members["card"],
            encoder: &members["encoder"],
            fill: &members["fill"],
            predictor: &members["predictor"],
        };
        let mut out = Vec::new();
        let fmt = serde_json::ser::PrettyFormatter::with_indent(b" ");
        let mut ser = serde_json::Serializer::with_formatter(&mut out, fmt);
        serde::Serialize::serialize(&doc, &mut ser).expect("JSON serialises");
        out.push(b'\n');
        String::from_utf8(out).expect("serde_json writes UTF-8")
    }

    /// Read a model file's text; `source` names it in errors.
    ///
    /// A file that is not a JSON object with this format's members is a
    /// [`MiraError::Corrupt`] naming the JSON path of the first wrong value
    /// and what was expected there:
    ///
    /// ```
    /// use std::path::Path;
    /// use agent_mira::model::ValuationModel;
    /// let text = r#"{"format": "agent-mira-model", "format_version": "1"}"#;
    /// let err = ValuationModel::from_json_str(text, Path::new("m.json")).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "m.json: corrupt price model: at `format_version`: expected a whole number (the \
    ///      format version), found a string `1`"
    /// );
    /// ```
    pub fn from_json_str(text: &str, source: &Path) -> Result<ValuationModel> {
        let corrupt = |reason: String| MiraError::Corrupt {
            path: source.to_path_buf(),
            kind: "price model".into(),
            reason,
        };
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| MiraError::Parse {
                source_name: source.display().to_string(),
                line: e.line() as u64,
                column: e.column() as u64,
                message: e.to_string(),
            })?;
        let at = |w: Wrong| corrupt(w.to_string());
        let serde_json::Value::Object(mut doc) = value else {
            return Err(at(
                JsonAt::root(&value).wrong("an object (an agent-mira model file)")
            ));
        };
        // The header members, read with their paths (the body may be large:
        // it is not copied).
        let header = serde_json::Value::Object(
            ["format", "format_version", "checksum"]
                .into_iter()
                .filter_map(|k| doc.get(k).map(|v| (k.to_string(), v.clone())))
                .collect(),
        );
        let root = JsonAt::root(&header);
        match root.get_opt("format").map_err(at)? {
            Some(f) if f.value().as_str() == Some(MODEL_FORMAT_NAME) => {}
            Some(f) if !f.value().is_string() => {
                return Err(at(f.wrong(&format!("the string {MODEL_FORMAT_NAME:?}"))))
            }
            f => {
                return Err(corrupt(format!(
                    "not an agent-mira model file (format = {:?}, expected {MODEL_FORMAT_NAME:?})",
                    f.and_then(|f| f.value().as_str()).unwrap_or_default()
                )))
            }
        }
        let version_at = root
            .get("format_version", "a whole number (the format version)")
            .map_err(at)?;
        let version = version_at
            .value()
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| at(version_at.wrong("a whole number (the format version)")))?;
        if version > MODEL_FORMAT_VERSION || version == 0 {
            return Err(MiraError::UnsupportedVersion {
                path: source.to_path_buf(),
                kind: "price model".into(),
                found: version,
                supported: MODEL_FORMAT_VERSION,
            });
        }
        let stated = match root.get_opt("checksum").map_err(at)? {
            Some(c) => c
                .str()
                .map_err(|_| at(c.wrong("a string (`crc32:` and 8 hex digits)")))?
                .to_string(),
            None => String::new(),
        };
        for (key, expected) in [
            ("card", "an object (the model card)"),
            ("predictor", "an object (the predictor)"),
        ] {
            if !doc.contains_key(key) {
                return Err(at(missing(key.to_string(), expected)));
            }
        }
        let mut body = serde_json::Map::new();
        for key in ["card", "encoder", "fill", "predictor"] {
            body.insert(
                key.into(),
                doc.remove(key).unwrap_or(serde_json::Value::Null),
            );
        }
        let actual = checksum_of(&body);
        if stated != actual {
            return Err(corrupt(format!(
                "checksum mismatch: the file says {stated:?} but its content hashes to {actual:?} (damaged or edited)"
            )));
        }
        let mut take = |key: &str| body.remove(key).unwrap_or(serde_json::Value::Null);
        let model = ValuationModel {
            card: member(take("card"), "card").map_err(at)?,
            encoder: member(take("encoder"), "encoder").map_err(at)?,
            fill: member(take("fill"), "fill").map_err(at)?,
            predictor: predictor(take("predictor")).map_err(at)?,
        };
        model.check(Some(source))?;
        Ok(model)
    }

    /// Save atomically (temporary file, fsync, rename).
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let text = self.to_json_string();
        crate::write_atomic(path.as_ref(), |w| {
            std::io::Write::write_all(w, text.as_bytes())
        })
    }

    /// Load and verify a model file.
    pub fn load(path: impl AsRef<Path>) -> Result<ValuationModel> {
        let path: PathBuf = path.as_ref().to_path_buf();
        let text = std::fs::read_to_string(&path).map_err(|e| MiraError::io(&path, e))?;
        Self::from_json_str(&text, &path)
    }
}

/// Deserialise the member at `path` of a model file; an error names the
/// JSON path of the wrong value inside it (`card.features[1].kind`).
fn member<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    path: &str,
) -> std::result::Result<T, Wrong> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let inner = e.path().to_string();
        let full = match inner.as_str() {
            "." => path.to_string(),
            i if i.starts_with('[') => format!("{path}{i}"),
            i => format!("{path}.{i}"),
        };
        Wrong::at(full, e.into_inner().to_string())
    })
}

/// The `predictor` member. Read by its `kind` here rather than through
/// [`PriceModel`]'s internally tagged `Deserialize`, which buffers the
/// member and so loses the path of a wrong value inside it.
fn predictor(value: serde_json::Value) -> std::result::Result<PriceModel, Wrong> {
    const KINDS: &str = "`linear` or `tree_ensemble`";
    let serde_json::Value::Object(mut fields) = value else {
        return Err(Wrong::expected(
            "predictor",
            "an object (the predictor)",
            describe(&value),
        ));
    };
    let kind = fields.remove("kind");
    let fields = serde_json::Value::Object(fields);
    match kind.as_ref().map(|k| (k, k.as_str())) {
        Some((_, Some("linear"))) => Ok(PriceModel::Linear(member(fields, "predictor")?)),
        Some((_, Some("tree_ensemble"))) => {
            Ok(PriceModel::TreeEnsemble(member(fields, "predictor")?))
        }
        Some((k, _)) => Err(Wrong::expected("predictor.kind", KINDS, describe(k))),
        None => Err(missing("predictor.kind".into(), KINDS)),
    }
}

fn checksum_of(body: &serde_json::Map<String, serde_json::Value>) -> String {
    // serde_json's Map keeps its keys sorted (no `preserve_order`), so this
    // is canonical.
    let text = serde_json::to_string(body).expect("JSON serialises");
    format!("crc32:{:08x}", crc32fast::hash(text.as_bytes()))
}

fn describe_difference(a_name: &str, a: &[&str], b_name: &str, b: &[&str]) -> String {
    let missing: Vec<&str> = a.iter().filter(|x| !b.contains(x)).copied().collect();
    let extra: Vec<&str> = b.iter().filter(|x| !a.contains(x)).copied().collect();
    let mut parts = vec![format!(
        "{a_name} has {} features, {b_name} {}",
        a.len(),
        b.len()
    )];
    if !missing.is_empty() {
        parts.push(format!("only in {a_name}: {}", missing.join(", ")));
    }
    if !extra.is_empty() {
        parts.push(format!("only in {b_name}: {}", extra.join(", ")));
    }
    if missing.is_empty() && extra.is_empty() {
        let first = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(0);
        parts.push(format!(
            "same names in a different order (first difference at column {first}: `{}` vs `{}`)",
            a.get(first).unwrap_or(&""),
            b.get(first).unwrap_or(&"")
        ));
    }
    parts.join("; ")
}
