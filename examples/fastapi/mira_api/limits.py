"""Request limits, as plain ASGI middleware (no dependency beyond Starlette):

- ``BodySizeLimit``: a request body larger than ``max_bytes`` gets 413
  before it is read whole: a ``Content-Length`` over the limit is refused
  at once, and a chunked body is counted as it arrives and cut off as soon
  as it passes the limit.
- ``RateLimit``: a token bucket per client address (``scope["client"]``):
  ``burst`` requests at once, refilled at ``rate`` per second; an empty
  bucket gets 429 with ``Retry-After`` (whole seconds until a token is
  back). Health and metrics probes are exempt. The table of buckets is
  bounded (least recently seen clients are forgotten first), so a flood of
  spoofed addresses cannot grow it without end.

Behind a reverse proxy every request comes from the proxy's address: run
uvicorn with ``--proxy-headers --forwarded-allow-ips=<the proxy>`` so that
``scope["client"]`` is the real client (never trust ``X-Forwarded-For``
from anyone else: it is whatever the client wrote).
"""

from __future__ import annotations

import json
import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def _json_error(send: Send, status: int, detail: str, code: str,
                      headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"detail": detail, "code": code}).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    *(headers or [])],
    })
    await send({"type": "http.response.body", "body": body})


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        detail = f"request body larger than {self.max_bytes} bytes"
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _json_error(send, 400, "invalid Content-Length", "BAD_REQUEST")
                    return
                if declared > self.max_bytes:
                    await _json_error(send, 413, detail, "REQUEST_TOO_LARGE")
                    return
        seen = 0
        started = False
        refused = False

        async def counted_receive() -> Message:
            # Past the limit: answer 413 at once and tell the app the client
            # went away, so it stops reading; whatever it sends is dropped.
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    refused = True
                    if not started:
                        await _json_error(send, 413, detail, "REQUEST_TOO_LARGE")
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not refused:
                raise


class RateLimit:
    def __init__(self, app: ASGIApp, rate: float, burst: int,
                 exempt: tuple[str, ...] = ("/api/health", "/metrics"),
                 max_clients: int = 65536,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self.rate = rate
        self.burst = max(1, burst)
        self.exempt = exempt
        self.max_clients = max_clients
        self.clock = clock
        # client -> (tokens, time of the last update)
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, client: str) -> float:
        """Take a token for `client`: 0 when allowed, else the seconds until
        the next token."""
        now = self.clock()
        tokens, then = self.buckets.pop(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * self.rate)
        if tokens >= 1.0:
            wait = 0.0
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) / self.rate
        self.buckets[client] = (tokens, now)
        while len(self.buckets) > self.max_clients:
            self.buckets.popitem(last=False)
        return wait

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.rate <= 0 or scope.get("path", "") in self.exempt:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        key = client[0] if client else "unknown"
        wait = self.take(key)
        if wait > 0:
            retry = max(1, math.ceil(wait))
            await _json_error(
                send, 429,
                f"too many requests from {key}: at most {self.rate:g} per second "
                f"(bursts of {self.burst}); retry in {retry} s",
                "RATE_LIMITED",
                [(b"retry-after", str(retry).encode())],
            )
            return
        await self.app(scope, receive, send)
