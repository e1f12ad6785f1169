"""The app factory. At start-up: open the pool, apply migrations, load the
price model (and the rent model, when configured), build the engine from
`properties`, start the LISTEN thread."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Optional

import agent_mira
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from . import db, errors
from .config import Settings
from .engine import EngineHolder, EngineState
from .limits import BodySizeLimit, RateLimit
from .metrics import Metrics, MetricsMiddleware
from .routes import router

log = logging.getLogger("mira_api")


def create_app(settings: Optional[Settings] = None) -> FastAPI:
    settings = settings or Settings.from_env()
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = db.make_pool(settings.database_url, settings.pool_max_size)
        holder: Optional[EngineHolder] = None
        try:
            with pool.connection() as conn:
                db.migrate(conn)
            model = agent_mira.PriceModel.load(settings.model_path) if settings.model_path else None
            # A rent model (a price model trained on rents) when one is configured.
            rent_model = (agent_mira.PriceModel.load(settings.rent_model_path)
                          if settings.rent_model_path else None)

            def on_rebuild(state: EngineState, reason: str) -> None:
                metrics.rebuild_seconds.observe(state.build_seconds)

            holder = EngineHolder(settings, pool, model, on_rebuild=on_rebuild,
                                  rent_model=rent_model)
            holder.rebuild("start-up", force=True)
            metrics.attach_engine(holder)
            holder.start_listener()
            app.state.pool = pool
            app.state.holder = holder
            app.state.settings = settings
            yield
        finally:
            if holder is not None:
                holder.stop_listener()
            pool.close()

    app = FastAPI(
        title="agent-mira property recommendations",
        version=agent_mira.__version__,
        description=(
            "Buyer preferences in, ranked listings with plain-word reasons out; "
            "listings and sessions in PostgreSQL, scoring and price model by agent_mira."
        ),
        lifespan=lifespan,
    )
    app.state.metrics = metrics
    errors.install(app)
    app.include_router(router)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Content-Type"],
        )
    # Refuse big bodies before anything reads them, and over-eager clients
    # before anything else runs (both still counted by the metrics).
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(RateLimit, rate=settings.rate_limit_per_second,
                       burst=settings.rate_limit_burst)
    # Outermost: sees every response, CORS preflights and errors included.
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    return app
