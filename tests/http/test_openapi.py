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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from nodes.app.pack import Pack
from nodes.app.settings import SettingsError, SourceSetting, parse_setting
from nodes.core.constants import MAX_TEXT
from nodes.core.query import QUERY_PARAMS, QueryError, parse_flag, parse_query
from nodes.core.validate import FIELDS, Location, parse_resource
from nodes.server.openapi import openapi_document
from nodes.server.table import PREFIX, ROUTE_TABLE
from tests.helpers.live import LiveServer, comfy_app
from tests.helpers.sample_catalogue import write_catalogue
from tests.helpers.tricky_text import TRICKY, texts

pytestmark = pytest.mark.http

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,  # ST201: a request the document rules out is refused
    positive_data_acceptance,  # ST202: a request the document describes is accepted
    unsupported_method,  # ST204: a method the document does not list gets 405 and Allow
]
# The categories of the sample catalogue and the user's own: the document the live server
# serves names them (``test_served`` in test_routes.py checks it).
CATEGORIES = ["empty", "mine", "tools", "video"]
# The two operations that reach the network are left to their own tests against local
# servers: generated requests must never make this machine contact a real host.
NETWORK_PATHS = r"^/awesome/v1/(links/check|sources/\{name\}/refresh)$"
schema = schemathesis.openapi.from_dict(openapi_document(CATEGORIES)).exclude(
    path_regex=NETWORK_PATHS
)


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
        assert list(parameters) == [*QUERY_PARAMS, "favorites", "installed", "disabled"]
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
        q = parameters["q"]["pattern"]
        for text in ("", "x" * MAX_TEXT, f" \t{'x' * MAX_TEXT}\u3000 "):
            assert re.search(q, text)
            assert len(parse_query({"q": text}).text) == len(text.strip())
        assert not re.search(q, "x" * (MAX_TEXT + 1))
        with pytest.raises(QueryError):
            parse_query({"q": "x" * (MAX_TEXT + 1)})
        tags = parameters["tag"]
        assert parse_query({}, tags=["t"] * tags["maxItems"]).tags == ("t",) * tags["maxItems"]
        with pytest.raises(QueryError):
            parse_query({}, tags=["t"] * (tags["maxItems"] + 1))
        for flag in ("facets", "favorites", "installed", "disabled"):
            for value in parameters[flag]["enum"]:
                parse_flag({flag: value}, flag)
            with pytest.raises(QueryError):
                parse_flag({flag: "yes"}, flag)

    def test_every_state_changing_operation_needs_json(self) -> None:
        """Every POST, PUT and DELETE takes a JSON body (bodyless ones too: the Content-Type is
        what counts) and documents the 415 for anything else; GET takes no body."""
        for method, path, _ in ROUTE_TABLE:
            operation = openapi_document()["paths"][PREFIX + path][method.lower()]
            if method == "GET":
                assert "requestBody" not in operation
                continue
            body = operation["requestBody"]
            assert body["required"] is True
            assert list(body["content"]) == ["application/json"]
            assert "415" in operation["responses"]

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


def accepted(field: str, value: object) -> bool:
    """Whether validation takes ``value`` for ``field`` of a user's entry."""
    base = {
        "id": "x",
        "name": "N",
        "url": "https://example.org/x",
        "category": "mine",
        "kind": "tool",
    }
    raw = {**base, field: value}
    _, problems = parse_resource(raw, Location("t"), required=(), categories=CATEGORIES)
    return not problems


INPUT = openapi_document(CATEGORIES)["components"]["schemas"]["ResourceInput"]["properties"]
LIMITS = {"name": 120, "description": 2000, "author": 100, "license": 64, "id": 80, "category": 80}


class TestPatternsAreTheRules:
    """Each pattern of the document takes exactly what validation takes (URLs and dates: only
    what it takes, as the rules also read other spellings)."""

    @pytest.mark.parametrize("field", list(LIMITS))
    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(data=st.data())
    def test_text_fields(self, field: str, data: st.DataObject) -> None:
        value = data.draw(texts(LIMITS[field]))
        if field in ("id", "category"):
            value = (
                data.draw(st.sampled_from(["", " ", "\u3000", "\x1c"]))
                + data.draw(
                    st.sampled_from(["tools", "video", "a-b", "A", "x" * 80, "x" * 81, "-a", value])
                )
                + data.draw(st.sampled_from(["", "\n", " \x85"]))
            )
        matches = re.search(INPUT[field]["pattern"], value) is not None
        assert matches == accepted(field, value), repr(value)

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(value=st.text(TRICKY + "0123456789-WT:", max_size=14) | st.dates().map(str))
    def test_dates_the_pattern_describes_are_taken(self, value: str) -> None:
        if re.search(INPUT["updated"]["pattern"], value):
            assert accepted("updated", value), repr(value)

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(value=st.from_regex(INPUT["url"]["pattern"]) | st.text(TRICKY, max_size=30))
    def test_links_the_pattern_describes_are_taken(self, value: str) -> None:
        if re.search(INPUT["url"]["pattern"], value) and len(value) <= INPUT["url"]["maxLength"]:
            assert accepted("url", value), repr(value)
            assert accepted("install_url", value), repr(value)

    @pytest.mark.parametrize(
        "url",
        [
            "http://localhost/x",
            "https://a.localhost",
            "https://printer.local/",
            "http://x.internal",
            "https://nas.home.arpa/a",
            "https://x.LOCAL",
        ],
    )
    def test_local_names_are_left_out(self, url: str) -> None:
        assert not re.search(INPUT["url"]["pattern"], url)
        assert not accepted("url", url)

    def test_every_field_is_described_and_no_other(self) -> None:
        assert tuple(INPUT) == FIELDS
        assert accepted("surprise", 1) is False

    @settings(max_examples=200, deadline=None, derandomize=True)
    @given(value=st.text(TRICKY, max_size=8) | st.from_regex(r"\A[a-z ]{0,1030}\Z"))
    def test_source_folders(self, value: str) -> None:
        folder = openapi_document()["components"]["schemas"]["SourceSetting"]["properties"][
            "folder"
        ]
        described = (
            re.search(folder["pattern"], value) is not None and len(value) <= folder["maxLength"]
        )
        try:
            parse_setting({"folder": value}, SourceSetting(), "manager")
        except SettingsError:
            assert not described
        else:
            assert described


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
