"""Prometheus metrics: per-route request counts and latency histograms (an
ASGI middleware), and the engine's stats (a collector read at scrape time)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Optional

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from .engine import EngineHolder

# No *_created samples: they double the exposition for no use here.
disable_created_metrics()

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    """One registry per app (tests create several apps in one process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "mira_http_requests", "HTTP requests by route template, method and status",
            ["method", "route", "status"], registry=self.registry,
        )
        self.latency = Histogram(
            "mira_http_request_duration_seconds", "HTTP request latency by route template",
            ["method", "route"], buckets=LATENCY_BUCKETS, registry=self.registry,
        )
        self.rebuild_seconds = Histogram(
            "mira_engine_rebuild_duration_seconds",
            "Time to read the properties table and build a new engine",
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30), registry=self.registry,
        )

    def attach_engine(self, holder: "EngineHolder") -> None:
        self.registry.register(EngineCollector(holder))


class EngineCollector(Collector):
    def __init__(self, holder: "EngineHolder") -> None:
        self.holder = holder

    def collect(self) -> Iterable[Any]:
        h = self.holder
        state = h._state
        version = GaugeMetricFamily(
            "mira_catalog_version", "Catalog version (database counter) the serving engine was built from")
        listings = GaugeMetricFamily("mira_catalog_listings", "Listings in the serving engine")
        queries = CounterMetricFamily(
            "mira_engine_queries", "Recommendation queries answered (all engines since start)")
        results = CounterMetricFamily(
            "mira_engine_results", "Recommendations returned (all engines since start)")
        rebuilds = CounterMetricFamily("mira_engine_rebuilds", "Engines built since start")
        failures = CounterMetricFamily("mira_engine_rebuild_failures", "Failed rebuilds since start")
        built = GaugeMetricFamily("mira_engine_built_timestamp_seconds", "When the serving engine was built")
        dim = GaugeMetricFamily(
            "mira_catalog_embedding_dim", "Dimension of the serving catalog's vectors (0: none)")
        embedded = GaugeMetricFamily(
            "mira_catalog_listings_with_embedding", "Listings with a vector in the serving engine")
        q = h.retired_queries
        r = h.retired_results
        if state is not None:
            for engine in state.engines():
                st = engine.stats()
                q += int(st.get("queries", 0))
                r += int(st.get("results", 0))
            version.add_metric([], state.catalog_version)
            listings.add_metric([], state.listings)
            built.add_metric([], state.built_at)
            dim.add_metric([], state.embedding_dim or 0)
            embedded.add_metric([], state.listings_with_embedding)
        queries.add_metric([], q)
        results.add_metric([], r)
        rebuilds.add_metric([], h.rebuilds)
        failures.add_metric([], h.rebuild_failures)
        yield from (version, listings, queries, results, rebuilds, failures, built, dim,
                    embedded)

    def describe(self) -> Iterable[Any]:
        return []


class MetricsMiddleware:
    """Pure ASGI middleware: labels requests by route template
    (`/api/properties/{property_id}`), never by raw path, so the label set
    stays bounded whatever clients send."""

    def __init__(self, app: Any, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status: dict[str, Optional[int]] = {"code": None}

        async def send_wrapper(message: dict) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = scope.get("route")
            label = getattr(route, "path", None) or "unmatched"
            method = scope.get("method", "")
            self.metrics.requests.labels(method, label, str(status["code"] or 500)).inc()
            self.metrics.latency.labels(method, label).observe(time.perf_counter() - start)
