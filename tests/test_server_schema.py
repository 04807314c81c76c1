"""The API against its own ``/openapi.json`` (schemathesis): generated requests,
valid and not, never get a 5xx, and every answer matches the schema."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from serving import SEEDS

from search import Engine
from search.server import create_app

pytestmark = pytest.mark.slow
# /health takes no parameter; an article id is any non-empty path segment
NO_INVALID = ("/health", "/api/articles/{id}")
CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory):
    index: Path = tmp_path_factory.mktemp("schema") / "ix"
    with Engine.build(index, [SEEDS]) as engine:
        yield schemathesis.openapi.from_asgi("/openapi.json", create_app(engine))


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_matches_its_schema(schema, mode: GenerationMode) -> None:
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 7
    tested = 0
    for operation in operations:
        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=12, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            response = case.call()
            assert response.status_code < 500, (case.method, case.path, response.text)
            case.validate_response(response, checks=CHECKS)

        try:
            check()
            tested += 1
        except Unsatisfiable:  # no invalid request exists for these
            assert mode is GenerationMode.NEGATIVE and operation.path in NO_INVALID
    assert tested >= len(operations) - len(NO_INVALID)
