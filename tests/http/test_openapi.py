"""The OpenAPI document, and property-based requests made from it against the real server.

Schemathesis generates requests from :func:`nodes.server.openapi.openapi_document` (valid ones
and, for the negative phase, ones that break the schema) and checks every answer: no
5xx, a documented status code and content type, a body that matches the documented
schema, and a 4xx for every request the schema forbids.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from nodes.app.pack import Pack
from nodes.core.query import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, SORTS
from nodes.server.openapi import VERSION, openapi_document
from tests.helpers.live import LiveServer, comfy_app
from tests.helpers.sample_catalogue import write_catalogue

pytestmark = pytest.mark.http

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# The two operations that reach the network are left to their own tests against local
# servers: generated requests must never make this machine contact a real host.
NETWORK_PATHS = r"^/awesome/v1/(links/check|sources/\{name\}/refresh)$"
schema = schemathesis.openapi.from_dict(openapi_document()).exclude(path_regex=NETWORK_PATHS)


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    """One keep-alive connection pool for every generated request."""
    with requests.Session() as shared:
        yield shared


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One server for every generated request; the user folder fills up as they arrive."""
    root: Path = tmp_path_factory.mktemp("schemathesis")
    pack = Pack(user_dir=root / "user", data_dir=write_catalogue(root / "data"))
    with LiveServer(comfy_app(lambda: pack)) as server:
        yield server


class TestDocument:
    """The document describes the routes with the limits the code enforces."""

    def test_header(self) -> None:
        document = openapi_document()
        assert document["openapi"] == "3.0.3"
        assert document["info"]["version"] == VERSION

    def test_search_parameters_carry_the_engine_limits(self) -> None:
        parameters = {
            p["name"]: p
            for p in openapi_document()["paths"]["/awesome/v1/resources"]["get"]["parameters"]
        }
        assert list(parameters) == [
            "q",
            "category",
            "kind",
            "tag",
            "source",
            "sort",
            "offset",
            "limit",
            "facets",
            "favorites",
            "installed",
        ]
        assert parameters["limit"]["schema"] == {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_LIMIT,
            "default": DEFAULT_LIMIT,
        }
        assert parameters["offset"]["schema"]["maximum"] == MAX_OFFSET
        assert parameters["sort"]["schema"]["enum"] == list(SORTS)
        assert (parameters["tag"]["style"], parameters["tag"]["explode"]) == ("form", True)

    def test_every_error_answer_uses_the_error_schema(self) -> None:
        for item in openapi_document()["paths"].values():
            for operation in item.values():
                for status, answer in operation["responses"].items():
                    if status.startswith("4"):
                        assert answer["content"]["application/json"]["schema"] == {
                            "$ref": "#/components/schemas/Error"
                        }

    def test_schemathesis_reads_every_operation(self) -> None:
        results = list(schema.get_all_operations())
        assert all(isinstance(result, Ok) for result in results)
        labels = sorted(result.ok().label for result in results if isinstance(result, Ok))
        assert len(labels) == 16  # 18 routes less the two that reach the network
        assert labels[0] == "DELETE /awesome/v1/user/favorites/{id}"


@pytest.mark.http
@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_api_conforms_to_its_document(
    case: Any, live: LiveServer, session: requests.Session
) -> None:
    """Every generated request gets a documented, schema-valid answer and never a 5xx."""
    case.call_and_validate(base_url=live.url, session=session, checks=CHECKS)
