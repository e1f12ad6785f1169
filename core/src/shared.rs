//! [`SharedEngine`]: one engine that many threads query while another swaps
//! in a new catalog or price model.
//!
//! An [`Engine`] never changes: [`Engine::with_catalog`] and
//! [`Engine::with_model`] return a *new* engine, and anyone still holding the
//! old one keeps using it undisturbed. So a server only needs one mutable
//! thing — which engine is current — and every request takes that engine
//! once ([`SharedEngine::current`]) and answers entirely from it. An answer
//! therefore never mixes two catalog versions or two models: the snapshot it
//! took holds one catalog, one model and the prices that model predicted for
//! that catalog.
//!
//! The current engine sits behind a [`RwLock`]; `current()` holds the read
//! lock only long enough to clone an `Arc` (nanoseconds), never while
//! scoring. Writers prepare the new engine (predict every price, precompute
//! scores — the slow part) *without* holding the lock, then take the write
//! lock for the swap alone. Writers are serialised among themselves by a
//! second lock, so that a catalog swap and a model swap running at the same
//! time cannot undo each other (each starts from the engine the other left).
//!
//! Requests already running when a swap happens finish on the engine they
//! started with; its memory is freed when the last of them drops it.
//!
//! ```
//! use std::sync::Arc;
//! use agent_mira::{Catalog, Engine, Preferences, Property, SharedEngine};
//!
//! let catalog = |version: u64, price: f64| {
//!     let mut b = Catalog::builder().version(version).current_year(2025);
//!     b.push(Property::new(version, price)).unwrap();
//!     b.build()
//! };
//! let shared = Arc::new(SharedEngine::new(Engine::new(catalog(1, 400_000.0))));
//!
//! let reader = {
//!     let shared = Arc::clone(&shared);
//!     std::thread::spawn(move || {
//!         let engine = shared.current(); // one snapshot for the whole answer
//!         let top = engine.recommend(&Preferences::default(), 10).unwrap();
//!         (engine.catalog().version(), top.len())
//!     })
//! };
//! shared.replace_catalog(catalog(2, 410_000.0)).unwrap();
//! assert_eq!(shared.current().catalog().version(), 2);
//! assert_eq!(reader.join().unwrap().1, 1);
//! ```
//!
//! # The Python and Node packages
//!
//! Their `Engine` objects are immutable in the same way (`with_catalog` /
//! `withCatalog` return a new engine), and replacing a reference is atomic
//! in both languages (one attribute store under Python's interpreter lock; a
//! single-threaded event loop in Node). A server keeps the current engine in
//! one variable, each request reads that variable once and uses what it got,
//! and a background rebuild assigns the new engine when it is ready — the
//! FastAPI example's `EngineHolder` does exactly this. No `SharedEngine`
//! class is needed there.

use std::sync::{Arc, Mutex, PoisonError, RwLock};

use crate::catalog::Catalog;
use crate::engine::Engine;
use crate::error::Result;
use crate::model::ValuationModel;

/// An engine shared between threads, swapped atomically (see the
/// [module docs](self)).
#[derive(Debug)]
pub struct SharedEngine {
    current: RwLock<Arc<Engine>>,
    writer: Mutex<()>,
}

impl SharedEngine {
    /// Share `engine`.
    pub fn new(engine: Engine) -> Self {
        SharedEngine {
            current: RwLock::new(Arc::new(engine)),
            writer: Mutex::new(()),
        }
    }

    /// The current engine: a snapshot that stays valid (and unchanged) for
    /// as long as it is held, whatever is swapped in meanwhile. Take it once
    /// per answer.
    pub fn current(&self) -> Arc<Engine> {
        // A panic elsewhere while holding the lock cannot leave the Arc half
        // written (the swap is one pointer store), so poisoning is ignored.
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Swap in `engine`; returns the engine it replaced.
    pub fn replace(&self, engine: Engine) -> Arc<Engine> {
        let _writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        self.swap(Arc::new(engine))
    }

    /// Serve `catalog` with the current engine's profile, year and model
    /// (prices predicted once, before the swap). Returns the new catalog
    /// version. On error the current engine stays.
    pub fn replace_catalog(&self, catalog: Catalog) -> Result<u64> {
        self.update(|engine| engine.with_catalog(catalog))
            .map(|e| e.catalog().version())
    }

    /// Serve the current catalog with `model` (`None`: listed prices). On
    /// error (a model that does not fit the catalog) the current engine
    /// stays.
    pub fn replace_model(&self, model: Option<Arc<ValuationModel>>) -> Result<()> {
        self.update(|engine| engine.with_model(model)).map(|_| ())
    }

    /// Build the next engine from the current one with `f` (outside the
    /// read path: readers keep the current engine meanwhile) and swap it in.
    /// Writers run one at a time, so each starts from the engine the
    /// previous one left. On error nothing changes.
    pub fn update(&self, f: impl FnOnce(&Engine) -> Result<Engine>) -> Result<Arc<Engine>> {
        let _writer = self.writer.lock().unwrap_or_else(PoisonError::into_inner);
        let base = self.current();
        let next = Arc::new(f(&base)?);
        self.swap(Arc::clone(&next));
        Ok(next)
    }

    fn swap(&self, next: Arc<Engine>) -> Arc<Engine> {
        let mut slot = self.current.write().unwrap_or_else(PoisonError::into_inner);
        std::mem::replace(&mut *slot, next)
    }
}

impl From<Engine> for SharedEngine {
    fn from(engine: Engine) -> Self {
        SharedEngine::new(engine)
    }
}
