//! Snapshot save/load.
