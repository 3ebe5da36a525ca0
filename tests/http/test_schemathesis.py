"""Property-based requests generated from the OpenAPI document (schemathesis), as the administrator:
whatever the input, never a server error (5xx), and every error in the shared envelope. Driven through
schemathesis's Python API (its pytest plugin does not load under this pytest), a bounded number of
examples per operation."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.http.conftest import Platform, build_platform

EXAMPLES = 25


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Platform]:
    """A platform of its own: generated requests add and disable users at random."""
    p = build_platform(tmp_path_factory.mktemp("schemathesis"), None)
    with p.client:
        yield p


@pytest.mark.slow
def test_no_server_errors(platform: Platform) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", platform.client.app)
    operations = [r.ok() for r in schema.get_all_operations()]
    assert len(operations) >= 20
    headers = platform.as_user("root")
    seen: dict[str, set[int]] = {}
    for op in operations:
        _check(op, headers, seen.setdefault(op.label, set()))()
    assert all(max(codes) < 500 for codes in seen.values())


def _check(op: schemathesis.APIOperation, headers: dict[str, str], statuses: set[int]) -> Callable[[], None]:
    @given(case=op.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None)
    def check(case: schemathesis.Case) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error])
        statuses.add(response.status_code)
        ctype = str(response.headers.get("content-type", ""))
        if response.status_code >= 400 and "json" in ctype:
            body = response.json()
            assert body["ok"] is False and body["error"]["code"] and body["error"]["message"]

    return check
