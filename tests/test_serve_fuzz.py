"""Property-based fuzzing of the JSON API from its own OpenAPI document (schemathesis).

Every operation gets generated requests, valid and invalid; every answer must
not be a server error, must use a documented status code and content type,
and its body must match the documented schema. The number of examples is
bounded (``QUOTES_FUZZ_EXAMPLES``, default 25 per operation) so ``make test``
stays quick; raise it for a deeper run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from quotes.serve.app import create_app
from quotes.serve.settings import ServeSettings
from quotes.store.engine import close_all
from tests.serve_support import seed

EXAMPLES = int(os.environ.get("QUOTES_FUZZ_EXAMPLES", "25"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def api_schema(sqlite_template: Path, tmp_path: Path) -> Any:
    path = tmp_path / "fuzz.db"
    shutil.copy(sqlite_template, path)
    seed(str(path))
    app = create_app(ServeSettings(db=str(path), warm_model=False, extra_hosts=("testserver",)))
    yield schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    close_all()


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda m: m.value)
def test_api_answers_every_request_as_documented(api_schema: Any, mode: GenerationMode) -> None:
    """One bounded hypothesis run per operation, valid (positive) or invalid (negative) data."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15
    calls: dict[str, int] = {}
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: Any) -> None:
            calls[case.operation.label] = calls.get(case.operation.label, 0) + 1
            case.call_and_validate(checks=CHECKS)

        try:
            run()
        except Unsatisfiable:
            # No invalid request exists for an operation without parameters.
            assert mode is GenerationMode.NEGATIVE, operation.label
    assert sum(calls.values()) >= len(operations), calls
