"""`examples/fastapi/serve` end to end: with DATABASE_URL unset it creates a
throwaway cluster, seeds it, serves on $PORT, and removes the cluster when
stopped."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from conftest import EXAMPLE_DIR, SEEDED, free_port


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_serve_one_command(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(PORT=str(port), MIRA_FASTAPI_VENV=sys.prefix, CORS_ORIGINS="http://ui.test")
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen([str(EXAMPLE_DIR / "serve")], env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        health = None
        while time.monotonic() < deadline:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                r = httpx.get(f"{base}/api/health", timeout=2)
                if r.status_code == 200:
                    health = r.json()
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        assert health is not None, (tmp_path / "serve.log").read_text()
        assert health["listings"] == SEEDED and health["status"] == "ok"
        sid = httpx.post(f"{base}/api/preferences",
                         json={"budget": 700_000, "location": "Redmond, WA", "min_bedrooms": 3}).json()["session_id"]
        recs = httpx.get(f"{base}/api/recommendations", params={"session_id": sid}).json()["results"]
        assert len(recs) == 3 and all(r["property"]["location"] == "Redmond, WA" for r in recs)
        r = httpx.get(f"{base}/api/health", headers={"Origin": "http://ui.test"})
        assert r.headers["access-control-allow-origin"] == "http://ui.test"
        assert "mira_http_requests_total" in httpx.get(f"{base}/metrics").text
    finally:
        proc.send_signal(signal.SIGTERM)  # the serve script, which stops uvicorn and the cluster
        try:
            code = proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    text = (tmp_path / "serve.log").read_text()
    m = re.search(r"throwaway PostgreSQL cluster on 127\.0\.0\.1:(\d+) \(data in (\S+)\)", text)
    assert m, text
    assert "stopping the throwaway PostgreSQL cluster" in text
    assert code == 143, text
    assert not port_open(port)
    assert not port_open(int(m.group(1)))  # the cluster is stopped
    assert not Path(m.group(2)).exists()  # and removed
