//! Snapshot load of 100,000 synthetic listings: a fixed workload for
//! `valgrind --tool=callgrind --toggle-collect='*Catalog*load*'`.
use agent_mira::Catalog;
use agent_mira_benches::synthetic_catalog;

fn main() {
    let catalog = synthetic_catalog(100_000);
    let dir = std::env::temp_dir().join(format!("mira-profile-snapshot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("catalog.snapshot");
    catalog.save(&path).unwrap();
    let t = std::time::Instant::now();
    let back = Catalog::load(&path).unwrap();
    eprintln!(
        "load: {:.1} ms ({} listings)",
        t.elapsed().as_secs_f64() * 1e3,
        back.len()
    );
    std::fs::remove_dir_all(&dir).ok();
}
