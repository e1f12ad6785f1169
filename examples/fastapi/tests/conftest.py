"""A real PostgreSQL for the suite: a throwaway cluster on 127.0.0.1 and a
free port, started the way examples/fastapi/serve (and docs/TOOLCHAIN.md pitfall
8) does it, seeded with the King County listings, the rentals fixture and the investment
fixture, and removed at the end."""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

EXAMPLE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(EXAMPLE_DIR))

from mira_api.config import DEFAULT_INVESTMENT_PATH, Settings  # noqa: E402
from mira_api.main import create_app  # noqa: E402
from mira_api.seed import seed  # noqa: E402

TEST_ORIGIN = "http://frontend.test"
# The seed: the King County sales (USD), fixtures/listings/rentals.json
# (16 listings: 15 rentals and one sale; Mumbai and Pune in INR, Seattle in
# USD) and fixtures/listings/investment.json (hand-written sales in USD with
# `estimated_rent`; counted from the file itself).
KING_COUNTY = 21430
RENTALS = 16
INVESTMENT_LISTINGS: list[dict[str, Any]] = json.loads(
    DEFAULT_INVESTMENT_PATH.read_text(encoding="utf-8"))
INVESTMENT = len(INVESTMENT_LISTINGS)
SEEDED = KING_COUNTY + RENTALS + INVESTMENT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pg_bin() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                   key=lambda p: [int(x) for x in Path(p).parent.name.split(".") if x.isdigit()])
    if not found:
        pytest.fail("PostgreSQL is not installed (ci.sh installs Debian's postgresql)")
    return found[-1]


class Cluster:
    def __init__(self) -> None:
        self.bin = pg_bin()
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="mira-pg-")
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        os.chmod(self.dir, 0o700)
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/mira"

    def run(self, *args: str, as_owner: bool = True) -> None:
        cmd = (self.as_user if as_owner else []) + list(args)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> None:
        d = self.dir
        self.run(f"{self.bin}/initdb", "-D", f"{d}/data", "-U", "postgres", "-A", "trust",
                 "-E", "UTF8", "--locale=C.UTF-8")
        self.run(f"{self.bin}/pg_ctl", "-D", f"{d}/data", "-l", f"{d}/log", "-w", "-t", "30", "-o",
                 f"-c listen_addresses=127.0.0.1 -p {self.port} -k {d} -c fsync=off", "start")
        self.run(f"{self.bin}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                 "mira", as_owner=False)

    def stop(self) -> None:
        try:
            self.run(f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    cluster = Cluster()
    cluster.start()
    try:
        n = seed(cluster.url, Settings(database_url=cluster.url).listings_path)
        assert n == SEEDED
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    # The whole suite is one client ("testclient"): no rate limit here;
    # test_limits.py builds apps with one.
    return Settings(database_url=database_url, cors_origins=[TEST_ORIGIN],
                    rebuild_debounce_seconds=0.05, rate_limit_per_second=0)


@pytest.fixture(scope="session")
def app(settings: Settings) -> Any:
    return create_app(settings)


@pytest.fixture(scope="session")
def client(app: Any) -> Iterator[TestClient]:
    # raise_server_exceptions=False: a bug shows up as a 500 the tests see,
    # exactly as a client would.
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def holder(client: TestClient, app: Any) -> Any:
    return app.state.holder


@pytest.fixture()
def conn(database_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(database_url, autocommit=True) as c:
        yield c


def wait_for_catalog_version(client: TestClient, version: int, timeout: float = 20.0) -> dict[str, Any]:
    """Poll /api/health until the serving engine is built from `version`."""
    deadline = time.monotonic() + timeout
    while True:
        h = client.get("/api/health").json()
        if h["catalog_version"] is not None and h["catalog_version"] >= version:
            return h  # type: ignore[no-any-return]
        if time.monotonic() > deadline:
            raise AssertionError(f"engine not rebuilt to catalog version {version}: {h}")
        time.sleep(0.1)
