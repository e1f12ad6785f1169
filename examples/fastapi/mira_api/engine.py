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
from dataclasses import dataclass
from typing import Any, Callable, Optional

import agent_mira
import psycopg

from . import db
from .config import Settings
from .currency import CurrencyIndex

log = logging.getLogger("mira_api.engine")

CHANNEL = "properties_changed"


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


class EngineHolder:
    def __init__(
        self,
        settings: Settings,
        pool: Any,
        model: Optional[agent_mira.PriceModel],
        on_rebuild: Optional[Callable[[EngineState, str], None]] = None,
    ) -> None:
        self._settings = settings
        self._pool = pool
        self.model = model
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
                version, records = db.load_catalog_rows(conn)
            catalog = agent_mira.Catalog.from_records(records, current_year=self._settings.current_year)
            engine = agent_mira.Engine(
                catalog, model=self.model, profile=self._settings.profile,
                current_year=self._settings.current_year,
            )
            state = EngineState(
                engine=engine, catalog_version=version, listings=len(catalog),
                built_at=time.time(), build_seconds=time.perf_counter() - t0,
                currencies=CurrencyIndex.from_records(records),
            )
            old = self._state
            with self._changed:
                self._state = state  # the swap
                if old is not None:
                    st = old.engine.stats()
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
