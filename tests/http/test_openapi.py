"""The OpenAPI document, and property-based requests made from it against the real server.

Schemathesis generates requests from :func:`nodes.server.openapi.openapi_document` (valid ones
and, for the negative phase, ones that break the schema) and checks every answer: no
5xx, a documented status code and content type, a body that matches the documented
schema, and a 4xx for every request the schema forbids.
"""

from __future__ import annotations

import re
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
from nodes.core.query import QUERY_PARAMS, QueryError, parse_flag, parse_query
from nodes.server.openapi import openapi_document
from nodes.server.table import PREFIX, ROUTE_TABLE
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
        assert re.fullmatch(r"\d+\.\d+\.\d+", document["info"]["version"])

    def test_search_parameters_are_the_bounds_the_engine_enforces(self) -> None:
        """Each documented limit or choice of GET /resources is exactly what the server accepts:
        the bound passes, one beyond it is refused naming the parameter."""
        parameters = {
            p["name"]: p["schema"]
            for p in openapi_document()["paths"]["/awesome/v1/resources"]["get"]["parameters"]
        }
        assert list(parameters) == [*QUERY_PARAMS, "favorites", "installed"]
        for name in ("offset", "limit"):
            low, high = parameters[name]["minimum"], parameters[name]["maximum"]
            assert getattr(parse_query({name: str(high)}), name) == high
            assert getattr(parse_query({name: str(low)}), name) == low
            for bad in (str(high + 1), str(low - 1)):
                with pytest.raises(QueryError) as caught:
                    parse_query({name: bad})
                assert caught.value.param == name
        assert parse_query({}).limit == parameters["limit"]["default"]
        for name in ("sort", "kind"):
            for value in parameters[name]["enum"]:
                parse_query({name: value})
            with pytest.raises(QueryError):
                parse_query({name: "other"})
        longest = parameters["q"]["maxLength"]
        assert len(parse_query({"q": "x" * longest}).text) == longest
        with pytest.raises(QueryError):
            parse_query({"q": "x" * (longest + 1)})
        tags = parameters["tag"]
        assert parse_query({}, tags=["t"] * tags["maxItems"]).tags == ("t",) * tags["maxItems"]
        with pytest.raises(QueryError):
            parse_query({}, tags=["t"] * (tags["maxItems"] + 1))
        for flag in ("facets", "favorites", "installed"):
            for value in parameters[flag]["enum"]:
                parse_flag({flag: value}, flag)
            with pytest.raises(QueryError):
                parse_flag({flag: "yes"}, flag)

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
        labels = {result.ok().label for result in results if isinstance(result, Ok)}
        assert labels == {
            f"{method} {PREFIX}{path}"
            for method, path, _ in ROUTE_TABLE
            if not re.match(NETWORK_PATHS, PREFIX + path)
        }


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
