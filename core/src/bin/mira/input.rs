//! Loading catalogs and profiles for the CLI, with a progress bar for big files.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use agent_mira::catalog::loaders::{load_path_with, CsvMapping, LoadOptions};
use agent_mira::scoring::Profile;
use agent_mira::{Catalog, MiraError};
use indicatif::{ProgressBar, ProgressStyle};

use crate::args::SourceArgs;

/// Files smaller than this load without a progress bar.
const PROGRESS_MIN_BYTES: u64 = 4 << 20;

/// Load listings or a snapshot, showing a progress bar on a terminal for big files.
pub fn load_catalog(source: &SourceArgs) -> Result<Catalog, MiraError> {
    let path = source.path.as_path();
    if is_snapshot(path) {
        return Catalog::load(path);
    }
    let mut builder = Catalog::builder();
    if let Some(y) = source.current_year {
        builder = builder.current_year(y);
    }
    let mut options = LoadOptions::new().builder(builder);
    if let Some(m) = &source.mapping {
        options = options.csv_mapping(mapping(m)?);
    }
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size < PROGRESS_MIN_BYTES {
        return load_path_with(path, options);
    }
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template("loading {bar:40} {bytes}/{total_bytes} ({eta})")
            .expect("valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let report = |done: u64, total: u64| {
        bar.set_length(total.max(1));
        bar.set_position(done);
    };
    let result = load_path_with(path, options.progress(&report));
    bar.finish_and_clear();
    result
}

/// A CSV mapping: a preset name or a JSON file.
fn mapping(spec: &str) -> Result<CsvMapping, MiraError> {
    if Path::new(spec).is_file() {
        CsvMapping::from_path(spec)
    } else {
        CsvMapping::preset(spec)
    }
}

/// A built-in profile by name, or a JSON profile file.
pub fn profile(spec: &str) -> Result<Profile, MiraError> {
    let path = Path::new(spec);
    if !path.is_file() {
        return Profile::by_name(spec);
    }
    let text = std::fs::read_to_string(path).map_err(|e| MiraError::io(path, e))?;
    let value = serde_json::from_str(&text).map_err(|e| MiraError::Parse {
        source_name: spec.to_string(),
        line: e.line() as u64,
        column: e.column() as u64,
        message: e.to_string(),
    })?;
    Profile::from_json(value)
}

/// Whether `path` is a catalog snapshot (recognised by its first bytes, not its name).
fn is_snapshot(path: &Path) -> bool {
    let mut head = [0u8; 64];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let n = f.read(&mut head).unwrap_or(0);
    String::from_utf8_lossy(&head[..n]).contains("agent-mira-catalog")
}
