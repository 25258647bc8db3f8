"""Safe YAML parsing: line numbers, duplicate keys, merges, and never an exception."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nodes.core.model import Problem
from nodes.core.yaml_lines import LineDict, parse_yaml

# The line breaks YAML counts.
_BREAKS = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")


def messages(text: str) -> list[str]:
    """The problems of ``text`` as file:line: field: message lines."""
    return [str(p) for p in parse_yaml(text, "f.yaml")[1]]


class TestLineNumbers:
    """Every mapping remembers its own line and the line of each key."""

    def test_nested_lines(self) -> None:
        """Lines are 1-based, for top-level and nested mappings alike."""
        data, problems = parse_yaml("# head\nresources:\n  - id: a\n    name: A\n  - id: b\n", "f")
        assert problems == []
        assert isinstance(data, LineDict)
        assert (data.line, data.key_lines) == (2, {"resources": 2})
        first, second = data["resources"]
        assert (first.line, first.key_lines) == (3, {"id": 3, "name": 4})
        assert (second.line, second.key_lines) == (5, {"id": 5})
        assert data == {"resources": [{"id": "a", "name": "A"}, {"id": "b"}]}

    def test_flow_mapping(self) -> None:
        """A flow mapping on one line puts all its keys on that line."""
        data, _ = parse_yaml("x: 1\ny: {a: 1, b: 2}\n", "f")
        assert (data["y"].line, data["y"].key_lines) == (2, {"a": 2, "b": 2})

    def test_line_dict_is_a_dict(self) -> None:
        """A LineDict starts empty and compares like a dict."""
        value = LineDict(7)
        assert (value, value.line, value.key_lines) == ({}, 7, {})

    def test_scalars_and_dates(self) -> None:
        """Plain YAML types load as the safe loader loads them."""
        data, problems = parse_yaml("a: 1\nb: 2025-01-31\nc: [x, true]\nd:\n", "f")
        assert problems == []
        assert data == {
            "a": 1,
            "b": dt.date(2025, 1, 31),
            "c": ["x", True],
            "d": None,
        }


class TestDuplicateKeys:
    """A key written twice in one mapping is a problem; the first value is kept."""

    def test_top_level(self) -> None:
        """The duplicate is named at its line with the line of the first."""
        data, problems = parse_yaml("a: 1\nb: 2\na: 3\n", "x.yaml")
        assert data == {"a": 1, "b": 2}
        assert [str(p) for p in problems] == [
            "x.yaml:3: a: duplicate key; it is already set on line 1"
        ]

    def test_nested_and_repeated(self) -> None:
        """Each repetition is reported, in document order."""
        assert messages("r:\n  - id: a\n    id: b\n    id: c\n") == [
            "f.yaml:3: id: duplicate key; it is already set on line 2",
            "f.yaml:4: id: duplicate key; it is already set on line 2",
        ]

    def test_non_text_keys(self) -> None:
        """Equal non-text keys are duplicates too; the field is the key as text."""
        assert messages("1: a\n1: b\n") == [
            "f.yaml:2: 1: duplicate key; it is already set on line 1"
        ]

    def test_unhashable_key(self) -> None:
        """A list or mapping as a key is a problem and the pair is left out."""
        data, problems = parse_yaml("? [a, b]\n: 1\nc: 2\n? {x: 1}\n: 3\n", "f.yaml")
        assert data == {"c": 2}
        assert [str(p) for p in problems] == [
            "f.yaml:1: yaml: a mapping key must be plain text",
            "f.yaml:4: yaml: a mapping key must be plain text",
        ]


class TestMergeKeys:
    """`<<: *defaults` merges are YAML, not duplicates: own keys win, earlier merges win."""

    def test_own_key_overrides_merged(self) -> None:
        """A key set in the mapping itself overrides the merged one silently."""
        data, problems = parse_yaml("base: &b {a: 1, b: 1}\nm:\n  <<: *b\n  a: 2\n", "f")
        assert problems == []
        assert data["m"] == {"a": 2, "b": 1}
        assert data["m"].key_lines == {"a": 4, "b": 1}

    def test_own_key_overrides_the_only_merged_key(self) -> None:
        """Overriding the one key a merge brings is not a duplicate either."""
        data, problems = parse_yaml("base: &b {a: 1}\nm:\n  <<: *b\n  a: 2\n", "f")
        assert (data["m"], data["m"].key_lines, problems) == ({"a": 2}, {"a": 4}, [])

    def test_earlier_merge_wins(self) -> None:
        """In a list of merged mappings the first one to set a key wins."""
        text = "x: &x {a: 1, b: 1}\ny: &y {a: 2, c: 2}\nm:\n  <<: [*x, *y]\n  d: 4\n"
        data, problems = parse_yaml(text, "f")
        assert problems == []
        assert data["m"] == {"a": 1, "b": 1, "c": 2, "d": 4}

    def test_own_duplicates_still_reported(self) -> None:
        """A key written twice in the mapping itself is still a mistake beside a merge."""
        assert messages("x: &x {a: 1}\nm:\n  <<: *x\n  c: 3\n  c: 4\n") == [
            "f.yaml:5: c: duplicate key; it is already set on line 4"
        ]

    def test_merge_of_a_scalar(self) -> None:
        """Merging something that is not a mapping is not valid YAML."""
        assert messages("a:\n  <<: 5\n") == [
            "f.yaml:2: yaml: not valid YAML: while constructing a mapping expected a mapping or "
            "list of mappings for merging, but found scalar"
        ]


class TestNotYaml:
    """Text that is not one valid YAML document is one located problem, never an exception."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            pytest.param(
                "a: [1,\n",
                "f.yaml:2: yaml: not valid YAML: while parsing a flow node "
                "did not find expected node content",
                id="unclosed-flow",
            ),
            pytest.param(
                "b: [",
                "f.yaml:1: yaml: not valid YAML: while parsing a flow node did "
                "not find expected node content",
                id="eof-clamped-to-last-line",
            ),
            pytest.param(
                "a: 1\nb: ]\nc: 1",
                "f.yaml:2: yaml: not valid YAML: while parsing a "
                "block node did not find expected node content",
                id="stray-bracket",
            ),
            pytest.param(
                "a: 1\r\nb: [",
                "f.yaml:2: yaml: not valid YAML: while parsing a flow node did not find expected "
                "node content",
                id="crlf-eof-clamped",
            ),
            pytest.param(
                "a: 1\r\nb: \x00",
                "f.yaml:2: yaml: not valid YAML: character 0x0000 is not allowed",
                id="crlf-character",
            ),
            pytest.param(
                "a: 1\r\nb: ]\r\n",
                "f.yaml:2: yaml: not valid YAML: while parsing a "
                "block node did not find expected node content",
                id="crlf",
            ),
            pytest.param(
                "a: 1\u2028b: ]",
                "f.yaml:2: yaml: not valid YAML: while parsing a "
                "block node did not find expected node content",
                id="unicode-break",
            ),
            pytest.param(
                "--- a\n--- b\n",
                "f.yaml:2: yaml: not valid YAML: expected a single "
                "document in the stream but found another document",
                id="two-docs",
            ),
            pytest.param(
                "a: *nowhere\n",
                "f.yaml:1: yaml: not valid YAML: found undefined alias 'nowhere'",
                id="alias",
            ),
            pytest.param(
                "a: !!python/name:os.system\n",
                "f.yaml:1: yaml: not valid YAML: could "
                "not determine a constructor for the tag "
                "'tag:yaml.org,2002:python/name:os.system'",
                id="unsafe-tag",
            ),
            pytest.param(
                "a: !!binary xx\n",
                "f.yaml:1: yaml: not valid YAML: failed to decode base64 data: Incorrect padding",
                id="binary",
            ),
            pytest.param(
                "x: 1\nb: 2\na: \x00",
                "f.yaml:3: yaml: not valid YAML: character 0x0000 is not allowed",
                id="nul-character",
            ),
            pytest.param(
                "a: 1\x0cb",
                "f.yaml:1: yaml: not valid YAML: character 0x000c is not allowed",
                id="form-feed",
            ),
            pytest.param(
                "a: 1\n\x85b: \x01",
                "f.yaml:3: yaml: not valid YAML: character 0x0001 is not allowed",
                id="character-after-nel",
            ),
            pytest.param(
                "a: \ud800\n",
                "f.yaml:1: yaml: not valid YAML: character 0xd800 is not allowed",
                id="lone-surrogate",
            ),
            pytest.param(
                "a: 1\nb: \udfff",
                "f.yaml:2: yaml: not valid YAML: character 0xdfff is not allowed",
                id="lone-surrogate-line-2",
            ),
        ],
    )
    def test_problem(self, text: str, expected: str) -> None:
        """No data comes back, and exactly one problem says where and why."""
        data, problems = parse_yaml(text, "f.yaml")
        assert data is None
        assert [str(p) for p in problems] == [expected]

    @pytest.mark.parametrize(
        ("text", "value"),
        [
            pytest.param("d: 2025-02-30\n", "2025-02-30", id="no-such-day"),
            pytest.param("d: 2025-13-01\n", "2025-13-01", id="no-such-month"),
            pytest.param("d: 0000-01-01\n", "0000-01-01", id="year-zero"),
            pytest.param("d: 2025-01-01T25:00:00\n", "2025-01-01T25:00:00", id="no-such-hour"),
        ],
    )
    def test_impossible_dates_stay_text(self, text: str, value: str) -> None:
        """A date-like value that is no date stays text, so validation can place the problem."""
        assert parse_yaml(text, "f.yaml") == ({"d": value}, [])

    def test_real_dates(self) -> None:
        """Dates and date-times load as such."""
        data, problems = parse_yaml("d: 2024-02-29\nt: 2024-02-29T10:11:12Z\n", "f.yaml")
        assert problems == []
        utc = dt.timezone.utc
        assert data == {
            "d": dt.date(2024, 2, 29),
            "t": dt.datetime(2024, 2, 29, 10, 11, 12, tzinfo=utc),
        }

    def test_huge_number(self) -> None:
        """A number too long to convert is reported, not raised."""
        data, problems = parse_yaml("a: " + "9" * 5000, "f.yaml")
        assert data is None
        assert len(problems) == 1
        assert problems[0].message.startswith(
            "not valid YAML: Exceeds the limit (4300 digits) for integer string conversion"
        )
        assert (problems[0].file, problems[0].line, problems[0].field) == ("f.yaml", None, "yaml")

    @pytest.mark.parametrize(
        ("opening", "closing"),
        [
            pytest.param("[", "]", id="flow-sequences"),
            pytest.param("- ", "", id="block-sequences"),
            pytest.param("{a: ", "}", id="flow-mappings"),
        ],
    )
    def test_deep_nesting(self, opening: str, closing: str) -> None:
        """Nesting deep enough to overflow a C stack is a problem, not a crashed process."""
        depth = 30_000
        assert parse_yaml(opening * depth + "x" + closing * depth, "f.yaml") == (
            None,
            [Problem("f.yaml", None, "yaml", "not valid YAML: nested too deeply")],
        )

    def test_moderate_nesting_loads(self) -> None:
        """Ordinary nesting loads in full."""
        data, problems = parse_yaml("[" * 50 + "x" + "]" * 50, "f.yaml")
        assert problems == []
        for _ in range(50):
            data = data[0]
        assert data == "x"

    @pytest.mark.parametrize("text", ["", "# only a comment\n", "~\n", "\n\n"])
    def test_empty_documents(self, text: str) -> None:
        """Empty text, comments or null load as None with no problem."""
        assert parse_yaml(text, "f.yaml") == (None, [])


def _yaml_line_count(text: str) -> int:
    return len(_BREAKS.findall(text)) + 1


class TestParseYamlProperties:
    """parse_yaml never raises, and the lines it reports exist in the text."""

    @settings(max_examples=500, deadline=None)
    @given(st.text())
    def test_any_text(self, text: str) -> None:
        """Arbitrary text: data or problems, each line within the text."""
        data, problems = parse_yaml(text, "any.yaml")
        for problem in problems:
            assert problem.file == "any.yaml"
            assert problem.line is None or 1 <= problem.line <= _yaml_line_count(text)
        if (
            problems
            and problems[0].field == "yaml"
            and problems[0].message.startswith("not valid YAML")
        ):
            assert data is None

    @settings(max_examples=500, deadline=None)
    @given(st.text(alphabet="ab:-[]{}?&*!|>'\"#%@`,\n\t \r<=\x85\u2028", max_size=60))
    def test_yaml_punctuation(self, text: str) -> None:
        """Text made of YAML's own punctuation: never an exception, lines within the text."""
        _, problems = parse_yaml(text, "p.yaml")
        for problem in problems:
            assert problem.line is None or 1 <= problem.line <= _yaml_line_count(text)

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=8))
    def test_duplicate_count(self, keys: list[str]) -> None:
        """One problem per repeated key, and the first value of each key is kept."""
        text = "".join(f"{key}: {index}\n" for index, key in enumerate(keys))
        data, problems = parse_yaml(text, "d.yaml")
        assert len(problems) == len(keys) - len(set(keys))
        assert data == {key: keys.index(key) for key in keys}
        assert [p.line for p in problems] == [
            index + 1 for index, key in enumerate(keys) if keys.index(key) != index
        ]
