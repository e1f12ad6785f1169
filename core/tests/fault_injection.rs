//! Fault injection for the crash-safe writers (`Catalog::save`,
//! `ValuationModel::save`, both on `write_atomic`):
//!
//! - a writer killed with SIGKILL at random points while saving leaves the
//!   previous file intact and loadable, never a partial file under the
//!   target name; the only debris is the documented `.<name>.tmp-*` file,
//!   which a later save removes once it is stale;
//! - a full disk (a tiny tmpfs, or `RLIMIT_FSIZE` in a child process) and
//!   permission errors (`/sys`, a read-only tmpfs) are `MiraError::Io`
//!   errors that name the path, and leave the old file and no temp behind.
//!
//! The writers run in child processes: this test binary re-invoked with
//! `MIRA_FAULT_CHILD` set runs only `child_process_entry`, which does the
//! work the variable names. Mounting needs root (or CAP_SYS_ADMIN); where
//! it is refused, the tmpfs cases are skipped with a note and the
//! `RLIMIT_FSIZE` and `/sys` cases still run.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use agent_mira::model::{LinearModel, PriceModel, ValuationModel};
use agent_mira::{Catalog, MiraError, Property};

const CHILD_ENV: &str = "MIRA_FAULT_CHILD";
const SNAPSHOT: &str = "catalog.mira.jsonl";
const MODEL: &str = "model.json";
/// Sizes of what the killed writers save: big enough that a save takes a
/// while (a few hundred ms in a debug build), so kills land mid-write.
const LISTINGS: usize = 8_000;
const FEATURES: usize = 25_000;
/// Longest wait before a kill: spans the first save and several more.
const MAX_DELAY_US: u64 = 1_500_000;

// ---------------------------------------------------------------- helpers

/// A catalog of `n` listings whose version is `version` (the snapshot
/// header records it, so a loaded file tells which save it came from).
fn catalog(n: usize, version: u64) -> Catalog {
    let mut b = Catalog::builder().current_year(2025).version(version);
    b.reserve(n);
    for i in 0..n {
        let mut p = Property::new(i as u64, 100_000.0 + (i % 977) as f64 * 1_000.0);
        p.title = Some(format!("Listing {i} of version {version}"));
        p.location = Some(["Seattle, WA", "Kent, WA", "Renton, WA"][i % 3].to_string());
        p.bedrooms = Some((i % 6) as u32);
        p.size_sqft = Some(500.0 + (i % 3000) as f64);
        p.amenities = Some(vec!["pool".into(), "garage".into()]);
        b.push(p).unwrap();
    }
    b.build()
}

/// A linear model with `n` named features whose intercept is `version`.
fn model(n: usize, version: u64) -> ValuationModel {
    let coefficients = (0..n).map(|i| (i as f64 + 0.5) / 7.0).collect();
    let names = (0..n).map(|i| format!("feature_{i:06}")).collect();
    let linear = LinearModel::new(coefficients, version as f64, names).unwrap();
    ValuationModel::from_predictor(PriceModel::Linear(linear), "fault", "fault_injection")
}

fn model_version(m: &ValuationModel) -> u64 {
    match m.predictor() {
        PriceModel::Linear(l) => l.intercept() as u64,
        other => panic!("unexpected predictor {other:?}"),
    }
}

/// This test binary, re-invoked to run `child_process_entry` only.
fn child(task: &str) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "child_process_entry",
        "--exact",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(CHILD_ENV, task);
    cmd
}

/// A small deterministic generator (no extra dependency for randomness).
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let t = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64;
        let seed = std::env::var("MIRA_FAULT_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(t);
        eprintln!("fault injection seed: {seed} (set MIRA_FAULT_SEED to replay)");
        Rng(seed | 1)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Files in `dir` other than `target`: each must be a temporary file of
/// `target` (`.<target>.tmp-<pid>-<n>`).
fn stray_temps(dir: &Path, target: &str) -> Vec<PathBuf> {
    let prefix = format!(".{target}.tmp-");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.as_ref().unwrap().file_name();
        let name = name.to_string_lossy();
        if name == target {
            continue;
        }
        let rest = name.strip_prefix(&prefix).unwrap_or_else(|| {
            panic!("unexpected file {name:?} beside {target} (only `{prefix}*` temps are allowed)")
        });
        let mut parts = rest.split('-');
        let ok = parts.next().is_some_and(|p| p.parse::<u32>().is_ok())
            && parts.next().is_some_and(|n| n.parse::<u64>().is_ok())
            && parts.next().is_none();
        assert!(ok, "temp file {name:?} does not follow `{prefix}<pid>-<n>`");
        out.push(entry.unwrap().path());
    }
    out
}

fn io_error_naming(err: &MiraError, path: &Path) -> String {
    assert_eq!(err.code(), "MIRA_IO", "{err}");
    let MiraError::Io { path: p, .. } = err else {
        unreachable!()
    };
    assert_eq!(p, path, "{err}");
    let text = err.to_string();
    assert!(
        text.contains(&path.display().to_string()),
        "error does not name {}: {text}",
        path.display()
    );
    text
}

// ------------------------------------------------------------ child side

/// Runs only in a child process (see the module docs); a no-op otherwise.
#[test]
fn child_process_entry() {
    let Ok(task) = std::env::var(CHILD_ENV) else {
        return;
    };
    let (kind, dir) = task.split_once(':').expect("kind:dir");
    let dir = PathBuf::from(dir);
    match kind {
        // Save ever newer versions until killed.
        "save-snapshots" => {
            let catalogs: Vec<Catalog> = (1..=2).map(|v| catalog(LISTINGS, v)).collect();
            println!("ready");
            for i in 0u64.. {
                catalogs[(i % 2) as usize].save(dir.join(SNAPSHOT)).unwrap();
            }
        }
        "save-models" => {
            let models: Vec<ValuationModel> = (1..=2).map(|v| model(FEATURES, v)).collect();
            println!("ready");
            for i in 0u64.. {
                models[(i % 2) as usize].save(dir.join(MODEL)).unwrap();
            }
        }
        // Save once under RLIMIT_FSIZE; report the error.
        "save-snapshot-once" => {
            let err = catalog(LISTINGS, 9).save(dir.join(SNAPSHOT)).unwrap_err();
            println!("ERROR {} {err}", err.code());
        }
        "save-model-once" => {
            let err = model(FEATURES, 9).save(dir.join(MODEL)).unwrap_err();
            println!("ERROR {} {err}", err.code());
        }
        other => panic!("unknown child task {other}"),
    }
}

// ----------------------------------------------------------- parent side

/// Kill a looping writer `rounds` times at random points; after each kill
/// the target must load, as the initial or a later complete version.
fn kill_writers_at_random(kind: &str, target: &str, rounds: usize, check: impl Fn(&Path)) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(target);
    check(&path);
    let mut rng = Rng::new();
    let mut left_behind = std::collections::HashSet::new();
    for round in 0..rounds {
        let mut child = child(&format!("{kind}:{}", dir.path().display()))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the child has built what it saves, then let it save
        // for a random while: from before its first write to several saves.
        let mut out = BufReader::new(child.stdout.as_mut().unwrap());
        let mut line = String::new();
        // (`test child_process_entry ... ready`: libtest's own output shares
        // the line.)
        while !line.trim_end().ends_with("ready") {
            line.clear();
            let n = out.read_line(&mut line).unwrap();
            assert!(n > 0, "round {round}: the child exited before saving");
        }
        std::thread::sleep(Duration::from_micros(rng.below(MAX_DELAY_US)));
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "round {round}: the writer was not killed"
        );

        check(&path);
        for t in stray_temps(dir.path(), target) {
            left_behind.insert(t.clone());
            // What a killed writer leaves: an unfinished temp file, never
            // the target. Age it so the next successful save removes it.
            std::fs::File::options()
                .write(true)
                .open(&t)
                .unwrap()
                .set_modified(SystemTime::now() - agent_mira::STALE_TEMP_AFTER * 2)
                .unwrap();
        }
    }
    eprintln!(
        "{kind}: {rounds} kills, {} temp files left behind by writers killed mid-write",
        left_behind.len()
    );
    // A successful save cleans up every abandoned temp file.
    let leftovers = stray_temps(dir.path(), target);
    if kind == "save-snapshots" {
        catalog(10, 3).save(&path).unwrap();
    } else {
        model(10, 3).save(&path).unwrap();
    }
    assert!(
        stray_temps(dir.path(), target).is_empty(),
        "stale temps {leftovers:?} were not removed by the next save"
    );
    check(&path);
}

#[test]
fn a_snapshot_writer_killed_mid_save_leaves_the_previous_file_loadable() {
    let rounds = std::env::var("MIRA_FAULT_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15);
    kill_writers_at_random("save-snapshots", SNAPSHOT, rounds, |path| {
        if !path.exists() {
            catalog(LISTINGS, 1).save(path).unwrap();
        }
        let loaded = Catalog::load(path).unwrap_or_else(|e| panic!("damaged after a kill: {e}"));
        match loaded.version() {
            1 | 2 => assert_eq!(loaded.len(), LISTINGS),
            3 => assert_eq!(loaded.len(), 10),
            v => panic!("unexpected version {v}"),
        }
    });
}

#[test]
fn a_model_writer_killed_mid_save_leaves_the_previous_file_loadable() {
    let rounds = std::env::var("MIRA_FAULT_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(15);
    kill_writers_at_random("save-models", MODEL, rounds, |path| {
        if !path.exists() {
            model(FEATURES, 1).save(path).unwrap();
        }
        let loaded =
            ValuationModel::load(path).unwrap_or_else(|e| panic!("damaged after a kill: {e}"));
        match model_version(&loaded) {
            1 | 2 => assert_eq!(loaded.feature_names().len(), FEATURES),
            3 => assert_eq!(loaded.feature_names().len(), 10),
            v => panic!("unexpected version {v}"),
        }
    });
}

/// Run a child that saves once with `RLIMIT_FSIZE` at 256 KiB (and SIGXFSZ
/// ignored, so the write fails with EFBIG instead of killing it).
fn save_under_file_size_limit(task: &str, target: &str, old: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(target);
    std::fs::write(&path, old).unwrap();
    let exe = std::env::current_exe().unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 512; exec \"$0\" \"$@\"")
        .arg(exe)
        .args([
            "child_process_entry",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, format!("{task}:{}", dir.path().display()))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "child failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout
        .lines()
        .find_map(|l| l.split_once("ERROR ").map(|(_, e)| e))
        .unwrap_or_else(|| panic!("no error reported: {stdout}"))
        .to_string();
    assert!(line.starts_with("MIRA_IO "), "{line}");
    assert!(line.contains(&path.display().to_string()), "{line}");
    assert_eq!(std::fs::read(&path).unwrap(), old, "the old file changed");
    assert!(
        stray_temps(dir.path(), target).is_empty(),
        "a temp file was left"
    );
    line
}

#[test]
fn a_file_size_limit_is_a_clear_io_error_and_keeps_the_old_file() {
    let mut old = Vec::new();
    catalog(3, 1).write_snapshot(&mut old).unwrap();
    let line = save_under_file_size_limit("save-snapshot-once", SNAPSHOT, &old);
    assert!(line.contains("File too large"), "{line}");

    let old = model(3, 1).to_json_string().into_bytes();
    let line = save_under_file_size_limit("save-model-once", MODEL, &old);
    assert!(line.contains("File too large"), "{line}");
}

/// A tmpfs mounted for the test; unmounted on drop. `None` where mounting
/// is not permitted.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(options: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "agent-mira-test"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("note: cannot mount a tmpfs here (not root?); skipping this case");
            return None;
        }
        Some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
fn a_full_disk_is_a_clear_io_error_and_keeps_the_old_file() {
    let Some(fs) = Tmpfs::mount("size=256k") else {
        return;
    };
    let small = catalog(3, 1);
    let path = fs.path().join(SNAPSHOT);
    small.save(&path).unwrap();
    let err = catalog(LISTINGS, 2).save(&path).unwrap_err();
    let text = io_error_naming(&err, &path);
    assert!(text.contains("No space left on device"), "{text}");
    assert_eq!(Catalog::load(&path).unwrap().version(), 1);
    assert!(stray_temps(fs.path(), SNAPSHOT).is_empty());
    std::fs::remove_file(&path).unwrap();

    let path = fs.path().join(MODEL);
    model(3, 1).save(&path).unwrap();
    let err = model(FEATURES, 2).save(&path).unwrap_err();
    let text = io_error_naming(&err, &path);
    assert!(text.contains("No space left on device"), "{text}");
    assert_eq!(model_version(&ValuationModel::load(&path).unwrap()), 1);
    assert!(stray_temps(fs.path(), MODEL).is_empty());
}

#[test]
fn permission_errors_are_clear_io_errors() {
    // Even root may not create files in sysfs.
    let path = Path::new("/sys/agent-mira-test.mira.jsonl");
    let err = catalog(3, 1).save(path).unwrap_err();
    let text = io_error_naming(&err, path);
    assert!(text.contains("Permission denied"), "{text}");
    let path = Path::new("/sys/agent-mira-test-model.json");
    let err = model(3, 1).save(path).unwrap_err();
    io_error_naming(&err, path);

    // Reading what is not there names the file too.
    let path = Path::new("/nonexistent-agent-mira/catalog.mira.jsonl");
    let text = io_error_naming(&Catalog::load(path).unwrap_err(), path);
    assert!(text.contains("No such file or directory"), "{text}");
    let text = io_error_naming(&ValuationModel::load(path).unwrap_err(), path);
    assert!(text.contains("No such file or directory"), "{text}");

    // A read-only file system.
    if let Some(fs) = Tmpfs::mount("ro,size=64k") {
        let path = fs.path().join(SNAPSHOT);
        let text = io_error_naming(&catalog(3, 1).save(&path).unwrap_err(), &path);
        assert!(text.contains("Read-only file system"), "{text}");
        let path = fs.path().join(MODEL);
        let text = io_error_naming(&model(3, 1).save(&path).unwrap_err(), &path);
        assert!(text.contains("Read-only file system"), "{text}");
    }
}
