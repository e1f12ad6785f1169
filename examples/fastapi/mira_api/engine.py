"""The engine holder: one immutable agent_mira.Engine at a time, rebuilt from
the `properties` table and swapped atomically.

A request reads `holder.state` once and uses that object to the end, so a
rebuild never disturbs a request in flight: it keeps the old engine, the next
request gets the new one. Rebuilds run on a background thread that LISTENs
for `properties_changed` (sent by the trigger of migration 003).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import agent_mira
import psycopg

from . import db
from .config import Settings
from .currency import CurrencyIndex

log = logging.getLogger("mira_api.engine")

CHANNEL = "properties_changed"


def engine_models(model: Optional[agent_mira.PriceModel],
                  rent_model: Optional[agent_mira.PriceModel]) -> dict[str, Any]:
    """The model keyword arguments of `agent_mira.Engine`: the price model,
    and the rent model only when there is one (so an agent_mira without
    rent models still builds engines without one)."""
    out: dict[str, Any] = {"model": model}
    if rent_model is not None:
        out["rent_model"] = rent_model
    return out


def build_catalog(rows: db.CatalogRows, current_year: Optional[int]) -> agent_mira.Catalog:
    """The catalog of `rows`: the listings from their records, then every
    vector in one call, `Catalog.with_embeddings(ids, matrix)`, with the
    float32 matrix read from `real[]` (rather than an `embedding` list of
    Python floats on each record: the numbers never become Python objects,
    and the engine checks and normalises the rows in parallel)."""
    catalog = agent_mira.Catalog.from_records(rows.records, current_year=current_year)
    if rows.embeddings is not None:
        catalog = catalog.with_embeddings(rows.embedding_ids, rows.embeddings)
    return catalog


@dataclass(frozen=True)
class EngineState:
    """One built engine and where it came from."""

    engine: agent_mira.Engine
    catalog_version: int  # the database's catalog version it was built from
    listings: int
    built_at: float  # unix time
    build_seconds: float
    # The catalog's currencies, overall and per place (mira_api/currency.py).
    currencies: CurrencyIndex = CurrencyIndex()
    # Engines with another scoring profile over the same catalog, built on
    # first use (a session may ask for `profile: "investment"`).
    _by_profile: dict[str, agent_mira.Engine] = field(default_factory=dict, compare=False)
    _by_profile_lock: threading.Lock = field(default_factory=threading.Lock, compare=False)
    rent_model: Optional[agent_mira.PriceModel] = None
    model: Optional[agent_mira.PriceModel] = None
    profile: str = "balanced"
    current_year: Optional[int] = None
    # The vectors it carries (the `embedding` column): their dimension (None
    # without any) and how many listings have one.
    embedding_dim: Optional[int] = None
    listings_with_embedding: int = 0

    def engines(self) -> list[agent_mira.Engine]:
        """Every engine of this state: the main one and those of other profiles."""
        with self._by_profile_lock:
            return [self.engine, *self._by_profile.values()]

    def engine_for(self, profile: Optional[str]) -> agent_mira.Engine:
        """The engine scoring with `profile` (None: the app's): the main one,
        or one built over the same catalog on first use and kept with this
        state (so it is replaced with it on the next rebuild)."""
        if profile is None or profile == self.profile:
            return self.engine
        with self._by_profile_lock:
            found = self._by_profile.get(profile)
            if found is None:
                found = agent_mira.Engine(
                    self.engine.catalog, profile=profile, current_year=self.current_year,
                    **engine_models(self.model, self.rent_model),
                )
                self._by_profile[profile] = found
            return found


class EngineHolder:
    def __init__(
        self,
        settings: Settings,
        pool: Any,
        model: Optional[agent_mira.PriceModel],
        on_rebuild: Optional[Callable[[EngineState, str], None]] = None,
        rent_model: Optional[agent_mira.PriceModel] = None,
    ) -> None:
        self._settings = settings
        self._pool = pool
        self.model = model
        self.rent_model = rent_model
        self._state: Optional[EngineState] = None
        self._build_lock = threading.Lock()
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._on_rebuild = on_rebuild
        # Queries answered by engines already replaced (engine counters
        # restart at zero on each new engine).
        self.retired_queries = 0
        self.retired_results = 0
        self.rebuilds = 0
        self.rebuild_failures = 0
        self.listening = False
        # An engine on an empty catalog: validates preferences without
        # touching the live engine's counters.
        self.validator = agent_mira.Engine(
            agent_mira.Catalog.from_records([]), profile=settings.profile,
            current_year=settings.current_year,
        )

    # -- reading ---------------------------------------------------------------

    @property
    def state(self) -> EngineState:
        s = self._state  # one reference read: atomic
        if s is None:
            raise RuntimeError("engine not built yet")
        return s

    @property
    def ready(self) -> bool:
        return self._state is not None

    def wait_for_version(self, version: int, timeout: float = 10.0) -> bool:
        """Block until the engine was built from catalog `version` or later."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._state is None or self._state.catalog_version < version:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    # -- building --------------------------------------------------------------

    def rebuild(self, reason: str = "manual", force: bool = False) -> EngineState:
        """Build a new engine from the table if its version moved (or `force`),
        then swap it in. Concurrent callers are serialised; a caller that
        waited for another's build gets that build."""
        with self._build_lock:
            t0 = time.perf_counter()
            with self._pool.connection() as conn:
                current = self._state
                if current is not None and not force:
                    # Cheap check first: skip the full read when nothing moved.
                    with conn.transaction():
                        v = db.catalog_version(conn)
                    if v == current.catalog_version:
                        return current
                rows = db.load_catalog_rows(conn)
            version, records = rows.version, rows.records
            catalog = build_catalog(rows, self._settings.current_year)
            engine = agent_mira.Engine(
                catalog, profile=self._settings.profile,
                current_year=self._settings.current_year,
                **engine_models(self.model, self.rent_model),
            )
            state = EngineState(
                engine=engine, catalog_version=version, listings=len(catalog),
                built_at=time.time(), build_seconds=time.perf_counter() - t0,
                currencies=CurrencyIndex.from_records(records),
                model=self.model, rent_model=self.rent_model,
                profile=self._settings.profile, current_year=self._settings.current_year,
                embedding_dim=None if rows.embeddings is None else int(rows.embeddings.shape[1]),
                listings_with_embedding=len(rows.embedding_ids),
            )
            old = self._state
            with self._changed:
                self._state = state  # the swap
                if old is not None:
                    for retired in old.engines():
                        st = retired.stats()
                        self.retired_queries += int(st.get("queries", 0))
                        self.retired_results += int(st.get("results", 0))
                self.rebuilds += 1
                self._changed.notify_all()
        log.info(
            "engine built (%s): catalog version %d, %d listings, %.2f s",
            reason, version, state.listings, state.build_seconds,
        )
        if self._on_rebuild is not None:
            self._on_rebuild(state, reason)
        return state

    # -- LISTEN/NOTIFY ---------------------------------------------------------

    def start_listener(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._listen_loop, name="mira-listener", daemon=True)
        self._thread.start()

    def stop_listener(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _listen_loop(self) -> None:
        debounce = self._settings.rebuild_debounce_seconds
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._settings.database_url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.listening = True
                    # Changes made while we were not listening.
                    self._safe_rebuild("listener (re)connected")
                    while not self._stop.is_set():
                        got = any(True for _ in conn.notifies(timeout=0.5, stop_after=1))
                        if not got:
                            continue
                        # Fold a burst of changes into one rebuild.
                        for _ in conn.notifies(timeout=debounce):
                            pass
                        self._safe_rebuild("properties_changed")
            except Exception:  # connection lost: retry
                self.listening = False
                if not self._stop.is_set():
                    log.exception("listener failed; reconnecting in 1 s")
                    self._stop.wait(1.0)
        self.listening = False

    def _safe_rebuild(self, reason: str) -> None:
        try:
            self.rebuild(reason)
        except Exception:
            # Keep serving the old engine; the next notification retries.
            self.rebuild_failures += 1
            log.exception("engine rebuild failed; keeping catalog version %s",
                          self._state.catalog_version if self._state else None)
