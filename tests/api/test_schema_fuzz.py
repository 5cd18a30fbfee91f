"""The API against its own OpenAPI schema: schemathesis generates requests for every operation
(valid and invalid values: NUL, huge integers, odd codes) as an officer, through the WSGI app.
Bounded in examples and time; no request may end in a server error or break the schema."""

import base64
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from dangvien.core.roles import Role
from tests.factories import PASSWORD

# Examples per operation: small enough for well under a minute per database in CI.
EXAMPLES = int(os.environ.get("DANGVIEN_FUZZ_EXAMPLES", "15"))
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


def _auth(world) -> dict[str, str]:
    token = base64.b64encode(f"{world.users[Role.OFFICER].username}:{PASSWORD}".encode())
    return {"Authorization": f"Basic {token.decode()}"}


def _exercise(operation, mode, headers, failures: list[str]) -> int:
    """Run one operation's generated cases in one generation mode; the number of requests."""
    calls = 0

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        nonlocal calls
        calls += 1
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as exc:  # one run reports every failure
            failures.append(f"{operation.label} ({mode.value}): {str(exc)[:1500]}")

    run()
    return calls


@pytest.fixture
def wsgi_app():
    """The WSGI app called directly keeps the test's connection open, as Django's test client
    does (otherwise each request's end closes it, mid-transaction, on PostgreSQL)."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield get_wsgi_application()
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
def test_every_operation_answers_within_its_schema(world, wsgi_app):
    headers = _auth(world)
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", wsgi_app, headers=headers
    )
    failures: list[str] = []
    requests = 0
    for result in schema.get_all_operations():
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            requests += _exercise(result.ok(), mode, headers, failures)
    print(f"schemathesis: {requests} requests, {len(failures)} failures")
    assert not failures, "\n\n".join(failures)
