//! Crash-safe file writing: a temporary file in the same directory, fsync,
//! rename over the target, fsync the directory. A reader sees either the old
//! file or the new one, never half of one.
//!
//! A writer killed outright (SIGKILL, power loss) between creating its
//! temporary file and the rename cannot remove it: the target is intact, and
//! a stray `.<name>.tmp-<pid>-<n>` file is left beside it. The next
//! successful [`write_atomic`] of the same target removes such files once
//! they have not been modified for [`STALE_TEMP_AFTER`] (a live writer
//! touches its file at least every buffer's worth of output, so only
//! abandoned ones are that old). Nothing else ever matches the pattern.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::error::{MiraError, Result};

/// How long a temporary file of [`write_atomic`] must have gone unmodified
/// before a later write of the same target removes it as abandoned.
pub const STALE_TEMP_AFTER: Duration = Duration::from_secs(15 * 60);

/// Write `path` atomically: `write` fills a buffered temporary file beside it,
/// which is flushed, fsynced and renamed over `path`. On any error the
/// temporary file is removed and `path` is untouched. After a successful
/// write, temporary files of earlier writers of `path` that were killed
/// mid-write and left untouched for [`STALE_TEMP_AFTER`] are removed: a
/// writer killed outright (SIGKILL, power loss) cannot remove its own
/// `.<name>.tmp-<pid>-<n>` file, but the target itself is never damaged.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("out.txt");
/// agent_mira::write_atomic(&path, |w| { use std::io::Write; w.write_all(b"hello") }).unwrap();
/// assert_eq!(std::fs::read_to_string(&path).unwrap(), "hello");
/// ```
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<&File>) -> std::io::Result<()>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path.file_name().ok_or_else(|| {
        MiraError::io(
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
        )
    })?;
    let prefix = temp_prefix(&name.to_string_lossy());
    let tmp = dir.join(format!(
        "{prefix}{}-{}",
        std::process::id(),
        unique_suffix()
    ));
    let result = (|| -> std::io::Result<()> {
        let file = File::create(&tmp)?;
        {
            let mut w = BufWriter::new(&file);
            write(&mut w)?;
            w.flush()?;
        }
        file.sync_all()?;
        fs::rename(&tmp, path)?;
        // Persist the rename itself. Directories cannot be opened for sync on
        // every platform; a failure here does not undo the (already atomic) rename.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(MiraError::io(path, e));
    }
    remove_stale_temps(&dir, &prefix, STALE_TEMP_AFTER);
    Ok(())
}

/// The start of every temporary file name for target `name`.
fn temp_prefix(name: &str) -> String {
    format!(".{name}.tmp-")
}

/// Remove files in `dir` named `<prefix>…` that were last modified more than
/// `age` ago. Best effort: errors (a file already gone, no permission) are
/// ignored, since the write itself succeeded.
fn remove_stale_temps(dir: &Path, prefix: &str, age: Duration) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(prefix) {
            continue;
        }
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let stale = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|d| d >= age);
        if meta.is_file() && stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn unique_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.json");
        fs::write(&path, "old").unwrap();
        let err = write_atomic(&path, |w| {
            w.write_all(b"partial")?;
            Err(std::io::Error::other("disk on fire"))
        })
        .unwrap_err();
        assert!(
            err.to_string().ends_with("data.json: disk on fire"),
            "{err}"
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn stale_temps_of_killed_writers_are_removed_fresh_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data.json");
        let stale = dir.path().join(".data.json.tmp-4242-0");
        let fresh = dir.path().join(".data.json.tmp-4243-0");
        let other = dir.path().join(".other.json.tmp-4242-0");
        for p in [&stale, &fresh, &other] {
            fs::write(p, "partial").unwrap();
        }
        let old = SystemTime::now() - STALE_TEMP_AFTER - Duration::from_secs(60);
        for p in [&stale, &other] {
            File::options()
                .write(true)
                .open(p)
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
        write_atomic(&path, |w| w.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert!(
            !stale.exists(),
            "an abandoned temp file of this target stays"
        );
        assert!(fresh.exists(), "a temp file that may be in use was removed");
        assert!(other.exists(), "another target's temp file was removed");
    }

    #[test]
    fn a_missing_directory_is_an_io_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope/data.json");
        let err = write_atomic(&path, |w| w.write_all(b"x")).unwrap_err();
        assert_eq!(err.code(), "MIRA_IO");
    }
}
