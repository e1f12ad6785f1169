"""Property-based API testing with schemathesis against the app's own
OpenAPI spec, bounded (25 generated requests per operation, derandomised so
that CI is reproducible): whatever the request, the app never answers 5xx.
The requests go to the live app in-process, on the real PostgreSQL the
session fixtures started."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import ASGIClient

MAX_EXAMPLES = 25


def test_no_server_errors(client: Any) -> None:
    # `client` has run the app's lifespan (database, engine).
    # The spec read through `client`, and a session never entered: requests
    # reach the app in-process on the lifespan `client` runs. (With
    # `from_asgi`, schemathesis starts a lifespan of its own, which replaces
    # app.state's pool and engine holder, and shuts it down after this test:
    # the tests after it would see a closed pool and a stopped listener.)
    schema = schemathesis.openapi.from_dict(client.get("/openapi.json").json())
    session = ASGIClient(client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7
    statuses: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: Any) -> None:
            response = case.call_and_validate(session=session, base_url="http://testserver",
                                              checks=[not_a_server_error])
            statuses.append(response.status_code)

        check()
    # Generation really ran: many requests, and both accepted and refused ones.
    assert len(statuses) >= 5 * len(operations), len(statuses)
    assert any(s < 300 for s in statuses) and any(400 <= s < 500 for s in statuses)
    assert not any(s >= 500 for s in statuses)
    # The session's app is untouched: its own pool and listener still serve.
    health = client.get("/api/health").json()
    assert health["database"] and health["listening"], health
