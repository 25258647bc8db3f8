"""The curated catalogue in data/: real files in a temporary folder, every way they go wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nodes.core.model import KINDS, Category, Problem, Resource
from nodes.sources.curated import (
    CATEGORIES_FILE,
    DEFAULT_DATA_DIR,
    PACK_ROOT,
    display_path,
    load_categories,
    load_curated,
    load_resource_file,
    read_text,
    resource_files,
    validate_paths,
)

WriteResources = Callable[..., Path]
RawFactory = Callable[..., dict[str, Any]]


def texts(problems: Any) -> list[str]:
    """Problems as the lines a curator reads."""
    return [str(p) for p in problems]


class TestDisplayPath:
    """Files are named the way a curator would type them."""

    def test_relative_to_working_folder(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Inside the working folder the path is relative to it, with forward slashes."""
        monkeypatch.chdir(tmp_path)
        assert display_path(tmp_path / "data" / "resources" / "a.yaml") == "data/resources/a.yaml"

    def test_relative_to_pack(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Outside the working folder but inside the pack, the path is relative to the pack."""
        monkeypatch.chdir(tmp_path)
        assert display_path(PACK_ROOT / "data" / "categories.yaml") == "data/categories.yaml"
        assert display_path(DEFAULT_DATA_DIR) == "data"  # the bundled catalogue is the default

    def test_elsewhere(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Anywhere else the path is shown as given."""
        (tmp_path / "cwd").mkdir()
        monkeypatch.chdir(tmp_path / "cwd")
        path = tmp_path / "other" / "x.yaml"
        assert display_path(path) == str(path)


class TestReadText:
    """Files are read as bounded UTF-8 text; every failure becomes a problem."""

    def test_reads(self, tmp_path: Path) -> None:
        """A small UTF-8 file comes back whole."""
        path = tmp_path / "a.yaml"
        path.write_text("name: Ünïcode ✓\n", encoding="utf-8")
        assert read_text(path, "shown") == ("name: Ünïcode ✓\n", [])

    @pytest.mark.parametrize(
        ("size", "length", "problems"),
        [
            pytest.param(5 * 1024 * 1024, 5 * 1024 * 1024, [], id="at-5-mib"),
            pytest.param(
                5 * 1024 * 1024 + 1,
                None,
                ["big.yaml: file: is 5242881 bytes; the limit is 5242880"],
                id="one-byte-over",
            ),
        ],
    )
    def test_size_limit(
        self, tmp_path: Path, size: int, length: int | None, problems: list[str]
    ) -> None:
        """Data files are read up to 5 MiB; one byte more is refused without reading."""
        path = tmp_path / "big.yaml"
        path.write_bytes(b"#" * size)
        text, found = read_text(path, "big.yaml")
        assert (None if text is None else len(text), texts(found)) == (length, problems)

    @pytest.mark.parametrize(
        ("make", "message"),
        [
            pytest.param(
                lambda path: path.write_bytes("name: café\n".encode("latin-1")),
                "is not UTF-8 text (invalid continuation byte at byte 9)",
                id="latin-1",
            ),
            pytest.param(Path.mkdir, "cannot be read: Is a directory", id="folder"),
            pytest.param(
                lambda path: None, "cannot be read: No such file or directory", id="missing"
            ),
        ],
    )
    def test_unreadable(self, tmp_path: Path, make: Callable[[Path], object], message: str) -> None:
        """Bytes that are not UTF-8 (with their position), folders and missing files say why."""
        path = tmp_path / "x.yaml"
        make(path)
        assert read_text(path, "x.yaml") == (None, [Problem("x.yaml", None, "file", message)])

    def test_error_without_reason(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """An OSError with no system reason is shown as it is."""
        path = tmp_path / "a.yaml"
        path.write_text("x: 1\n", encoding="utf-8")

        def fail(self: Path, encoding: str) -> str:
            raise OSError("device went away")

        monkeypatch.setattr(Path, "read_text", fail)
        assert texts(read_text(path, "a.yaml")[1]) == [
            "a.yaml: file: cannot be read: device went away"
        ]


class TestLoadCategories:
    """categories.yaml: a 'categories:' list of id, name and description."""

    def test_valid(self, catalog_dir: Path) -> None:
        """Both categories load in file order."""
        assert load_categories(catalog_dir / CATEGORIES_FILE) == (
            [Category("tools", "Tools", "Things that help."), Category("models", "Models")],
            [],
        )

    def test_problems(self, tmp_path: Path) -> None:
        """Bad entries are reported and left out; a repeated id is defined twice."""
        path = tmp_path / "categories.yaml"
        path.write_text(
            "categories:\n"
            "  - id: tools\n    name: Tools\n"
            "  - just-text\n"
            "  - id: tools\n    name: Again\n"
            "  - id: Bad!\n    name: Bad\n",
            encoding="utf-8",
        )
        categories, problems = load_categories(path)
        assert categories == [Category("tools", "Tools")]
        assert texts(problems) == [
            f"{path}: categories[1].category: must be a mapping of fields, got str",
            f"{path}:5: id: category 'tools' is defined twice",
            f"{path}:7: id: 'Bad!' is not a valid id; use 1-80 lowercase letters, digits, '.', "
            "'_' or '-', starting and ending with a letter or digit",
        ]

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing categories file is one problem and no categories."""
        path = tmp_path / "categories.yaml"
        assert load_categories(path) == (
            [],
            [Problem(str(path), None, "file", "cannot be read: No such file or directory")],
        )


class TestFileShape:
    """A resource file must be a mapping with a 'resources:' list and nothing else."""

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            pytest.param(
                "", "{f}: resources: the file is empty; expected a 'resources:' list", id="empty"
            ),
            pytest.param(
                "# nothing yet\n",
                "{f}: resources: the file is empty; expected a 'resources:' list",
                id="comments-only",
            ),
            pytest.param(
                "- id: a\n",
                "{f}:1: resources: the file must hold a 'resources:' list",
                id="top-level-list",
            ),
            pytest.param(
                "just text\n",
                "{f}:1: resources: the file must hold a 'resources:' list",
                id="top-level-text",
            ),
            pytest.param(
                "resources:\n  id: a\n",
                "{f}:1: resources: the file must hold a 'resources:' list",
                id="resources-mapping",
            ),
            pytest.param(
                "resources:\n",
                "{f}:1: resources: the file must hold a 'resources:' list",
                id="resources-empty",
            ),
            pytest.param(
                "resource:\n  - id: a\n",
                "{f}:1: resources: the file must hold a 'resources:' list",
                id="misspelt-key",
            ),
            pytest.param(
                "resources: [\n",
                "{f}:2: yaml: not valid YAML: while parsing a flow node "
                "did not find expected node content",
                id="syntax-error-only",
            ),
        ],
    )
    def test_shape(self, write_resources: WriteResources, text: str, expected: str) -> None:
        """Each wrong shape is exactly one problem, and nothing loads."""
        path = write_resources(text)
        found, problems = load_resource_file(path, None)
        assert found == []
        assert texts(problems) == [expected.format(f=path)]

    def test_syntax_error_with_duplicate_before(self, write_resources: WriteResources) -> None:
        """A duplicate top-level key keeps its problem beside the shape problem."""
        path = write_resources("resources: 1\nresources: []\n")
        found, problems = load_resource_file(path, None)
        assert found == []
        assert texts(problems) == [
            f"{path}:2: resources: duplicate key; it is already set on line 1",
            f"{path}:1: resources: the file must hold a 'resources:' list",
        ]

    def test_unknown_top_level_keys(
        self, write_resources: WriteResources, resource_dict: RawFactory
    ) -> None:
        """Other top-level keys are reported at their line; the list still loads."""
        body = yaml.safe_dump({"resources": [resource_dict()]}, sort_keys=False)
        path = write_resources("version: 2\n" + body + "notes: hi\n")
        found, problems = load_resource_file(path, {"tools"})
        assert [r.id for r, _ in found] == ["gamma-tool"]
        assert texts(problems) == [
            f"{path}:1: version: unknown top-level key; only 'resources' is read",
            f"{path}:9: notes: unknown top-level key; only 'resources' is read",
        ]

    def test_not_utf8(self, write_resources: WriteResources) -> None:
        """A file that cannot be read as text is one problem, and nothing loads."""
        path = write_resources("x")
        path.write_bytes(b"resources:\n  - name: caf\xe9\n")
        assert load_resource_file(path, None) == (
            [],
            [
                Problem(
                    str(path),
                    None,
                    "file",
                    "is not UTF-8 text (invalid continuation byte at byte 24)",
                )
            ],
        )


class TestEntries:
    """Entries are validated with the shared rules, located at file:line: field."""

    def test_field_problems_at_their_lines(self, write_resources: WriteResources) -> None:
        """Every problem of every entry, each at the line of its field."""
        path = write_resources(
            "resources:\n"
            "  - id: ok\n"
            "    name: OK\n"
            "    url: https://ok.org\n"
            "    category: tools\n"
            "    kind: tool\n"
            "    description: Fine.\n"
            "  - id: Bad Id\n"
            "    name: Bad\n"
            "    url: ftp://bad.org\n"
            "    category: video\n"
            "    kind: plugin\n"
            "    tags: [Video]\n"
            "    stars: lots\n"
            "    homepage: https://bad.org\n"
            "  - plain text entry\n"
            "  - id: dup-key\n"
            "    id: dup-key-2\n"
            "    name: Dup\n"
            "    url: https://dup.org\n"
            "    category: tools\n"
            "    kind: tool\n"
            "    description: ''\n"
        )
        found, problems = load_resource_file(path, {"tools"}, source="mine")
        assert [(r.id, r.source, where.line) for r, where in found] == [("ok", "mine", 2)]
        f = str(path)
        assert texts(problems) == [
            f"{f}:18: id: duplicate key; it is already set on line 17",
            f"{f}:8: id: 'Bad Id' is not a valid id; use 1-80 lowercase letters, digits, '.', '_' "
            "or '-', starting and ending with a letter or digit",
            f"{f}:10: url: scheme 'ftp' is not allowed; use http or https",
            f"{f}:12: kind: 'plugin' is not a kind; use one of: node-pack, model, workflow, tool, "
            "platform, docs, tutorial, community",
            f"{f}:13: tags: 'Video' is not a valid tag; use lowercase letters, digits, '+', '.', "
            "'_' or '-' (at most 32)",
            f"{f}:14: stars: must be a whole number, got str",
            f"{f}:15: homepage: unknown field; known fields: id, name, url, category, kind, "
            "description, tags, author, license, install_url, stars, updated",
            f"{f}:8: description: is required",
            f"{f}:11: category: 'video' is not a known category; known: tools",
            f"{f}: resources[2]: must be a mapping of fields, got str",
            f"{f}:23: description: must not be empty",
        ]

    def test_locations_carry_field_lines(self, catalog_dir: Path) -> None:
        """Each loaded entry keeps its line and the line of each field."""
        found, problems = load_resource_file(catalog_dir / "resources" / "main.yaml", None)
        assert problems == []
        where = found[1][1]
        assert (where.line, where.field_lines["url"], where.field_lines["tags"]) == (10, 12, 16)


BAD_ID = (
    "is not a valid id; use 1-80 lowercase letters, digits, '.', '_' or '-', starting and "
    "ending with a letter or digit"
)
BAD_TAG = "is not a valid tag; use lowercase letters, digits, '+', '.', '_' or '-' (at most 32)"
KNOWN_FIELDS = (
    "unknown field; known fields: id, name, url, category, kind, description, tags, author, "
    "license, install_url, stars, updated"
)
BASE_ENTRY = [
    ("id", "x"),
    ("name", "X"),
    ("url", "https://x.org"),
    ("category", "tools"),
    ("kind", "tool"),
    ("description", "Fine."),
]


class TestFieldRulesInFiles:
    """Every field rule, written in a real YAML file, is reported as file:line: field: message."""

    @pytest.mark.parametrize(
        ("field", "yaml_value", "message"),
        [
            pytest.param("id", "X!", f"'X!' {BAD_ID}", id="id-chars"),
            pytest.param("id", "7", "must be text, got int", id="id-number"),
            pytest.param("id", "a" * 81, "is 81 characters long; the limit is 80", id="id-long"),
            pytest.param("name", "''", "must not be empty", id="name-empty"),
            pytest.param("name", "[a]", "must be text, got a list", id="name-list"),
            pytest.param("name", "{en: x}", "must be text, got a mapping", id="name-mapping"),
            pytest.param("name", "true", "must be text, got true/false", id="name-bool"),
            pytest.param("name", "1.5", "must be text, got float", id="name-float"),
            pytest.param(
                "name", "n" * 121, "is 121 characters long; the limit is 120", id="name-long"
            ),
            pytest.param("name", '"a\\tb"', "must not contain control characters", id="name-tab"),
            pytest.param("name", "", "must be text, got nothing", id="name-blank"),
            pytest.param(
                "url", "github.com/a/b", "must start with http:// or https://", id="url-bare"
            ),
            pytest.param(
                "url",
                "ftp://x.org",
                "scheme 'ftp' is not allowed; use http or https",
                id="url-scheme",
            ),
            pytest.param("url", "{href: x}", "must be text, got a mapping", id="url-mapping"),
            pytest.param("url", "", "must be text, got nothing", id="url-blank"),
            pytest.param(
                "url",
                "https://user:pw@x.org",  # pragma: allowlist secret
                "must not contain a user name or password",
                id="url-credentials",
            ),
            pytest.param("category", "Bad Cat", f"'Bad Cat' {BAD_ID}", id="category-id"),
            pytest.param(
                "category",
                "video",
                "'video' is not a known category; known: models, tools",
                id="category-unknown",
            ),
            pytest.param(
                "kind",
                "plugin",
                "'plugin' is not a kind; use one of: node-pack, model, "
                "workflow, tool, platform, docs, tutorial, community",
                id="kind",
            ),
            pytest.param("description", "''", "must not be empty", id="description-empty"),
            pytest.param(
                "description",
                "d" * 2001,
                "is 2001 characters long; the limit is 2000",
                id="description-long",
            ),
            pytest.param(
                "description", '"a\\rb"', "must not contain control characters", id="description-cr"
            ),
            pytest.param("tags", "video", "must be a list of tags, got str", id="tags-text"),
            pytest.param("tags", "[Video]", f"'Video' {BAD_TAG}", id="tags-case"),
            pytest.param("tags", "[a, a]", "tag 'a' is listed twice", id="tags-twice"),
            pytest.param(
                "tags",
                "[" + ", ".join(f"t{i}" for i in range(21)) + "]",
                "has 21 tags; the limit is 20",
                id="tags-many",
            ),
            pytest.param(
                "author", "a" * 101, "is 101 characters long; the limit is 100", id="author-long"
            ),
            pytest.param(
                "license", "l" * 65, "is 65 characters long; the limit is 64", id="license-long"
            ),
            pytest.param(
                "install_url",
                "git@github.com:a/b.git",
                "must start with http:// or https://",
                id="install-url",
            ),
            pytest.param("stars", "lots", "must be a whole number, got str", id="stars-text"),
            pytest.param(
                "stars", "true", "must be a whole number, got true/false", id="stars-bool"
            ),
            pytest.param("stars", "1.5", "must be a whole number, got float", id="stars-float"),
            pytest.param("stars", "-1", "must be between 0 and 10000000", id="stars-negative"),
            pytest.param("stars", "10000001", "must be between 0 and 10000000", id="stars-huge"),
            pytest.param(
                "updated",
                "yesterday",
                "must be a date like 2025-01-31, got 'yesterday'",
                id="updated-word",
            ),
            pytest.param(
                "updated",
                "2025-02-30",
                "must be a date like 2025-01-31, got '2025-02-30'",
                id="updated-no-day",
            ),
            pytest.param(
                "updated",
                "20250131",
                "must be a date like 2025-01-31, got 20250131",
                id="updated-number",
            ),
            pytest.param("homepage", "https://x.org", KNOWN_FIELDS, id="unknown-field"),
        ],
    )
    def test_rule(
        self, write_resources: WriteResources, field: str, yaml_value: str, message: str
    ) -> None:
        """The one bad field is the only problem, at its own line in the file."""
        entry = dict(BASE_ENTRY)
        entry[field] = yaml_value
        lines = [f"{name}: {value}" for name, value in entry.items()]
        path = write_resources("resources:\n  - " + "\n    ".join(lines) + "\n")
        found, problems = load_resource_file(path, {"tools", "models"})
        assert found == []
        line = 2 + list(entry).index(field)
        assert texts(problems) == [f"{path}:{line}: {field}: {message}"]

    @pytest.mark.parametrize("field", [name for name, _ in BASE_ENTRY])
    def test_required(self, write_resources: WriteResources, field: str) -> None:
        """Each required field left out is reported at the entry's first line."""
        lines = [f"{name}: {value}" for name, value in BASE_ENTRY if name != field]
        path = write_resources("resources:\n  - " + "\n    ".join(lines) + "\n")
        found, problems = load_resource_file(path, {"tools"})
        assert found == []
        assert texts(problems) == [f"{path}:2: {field}: is required"]

    def test_valid_base_entry(self, write_resources: WriteResources) -> None:
        """The entry the rules start from is itself valid."""
        lines = [f"{name}: {value}" for name, value in BASE_ENTRY]
        path = write_resources("resources:\n  - " + "\n    ".join(lines) + "\n")
        found, problems = load_resource_file(path, {"tools"})
        assert problems == []
        assert [r.id for r, _ in found] == ["x"]


class TestLoadCurated:
    """A whole data folder: categories, every resource file, duplicates across files."""

    def test_valid_folder(self, catalog_dir: Path) -> None:
        """The fixture folder loads in full with no problems."""
        result = load_curated(catalog_dir)
        assert result.name == "curated"
        assert result.problems == ()
        assert [c.id for c in result.categories] == ["tools", "models"]
        assert result.resources == (
            Resource(
                id="alpha-pack",
                name="Alpha Pack",
                url="https://github.com/example/alpha-pack",
                category="tools",
                kind="node-pack",
                description="Loads alpha channels.",
                tags=("alpha", "mask"),
                author="example",
            ),
            Resource(
                id="beta-model",
                name="Beta Model",
                url="https://huggingface.co/example/beta",
                category="models",
                kind="model",
                description="A small beta checkpoint.",
                tags=("checkpoint",),
            ),
        )

    def test_source_name(self, catalog_dir: Path) -> None:
        """The caller names the source; every resource carries it."""
        result = load_curated(catalog_dir, source="bundled")
        assert result.name == "bundled"
        assert {r.source for r in result.resources} == {"bundled"}

    def test_files_in_name_order_yml_too(
        self, write_resources: WriteResources, resource_dict: RawFactory, catalog_dir: Path
    ) -> None:
        """.yaml and .yml files both load, sorted by name; other files are ignored."""
        write_resources([resource_dict(id="zed", url="https://z.org")], "a-first.yml")
        write_resources([resource_dict(id="mid", url="https://m.org")], "m.yaml")
        (catalog_dir / "resources" / "notes.txt").write_text("ignored", encoding="utf-8")
        assert [p.name for p in resource_files(catalog_dir)] == [
            "a-first.yml",
            "m.yaml",
            "main.yaml",
        ]
        assert [r.id for r in load_curated(catalog_dir).resources] == [
            "zed",
            "mid",
            "alpha-pack",
            "beta-model",
        ]

    def test_no_resource_files(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog_dir: Path
    ) -> None:
        """A folder with no resource files says so, at the resources folder."""
        for path in (catalog_dir / "resources").iterdir():
            path.unlink()
        monkeypatch.chdir(tmp_path)
        result = load_curated(catalog_dir)
        assert result.resources == ()
        assert texts(result.problems) == ["data/resources: resources: no *.yaml files found"]

    def test_unknown_category_checked(
        self, write_resources: WriteResources, resource_dict: RawFactory, catalog_dir: Path
    ) -> None:
        """Categories come from the folder's categories.yaml."""
        path = write_resources([resource_dict(category="video")])
        assert texts(load_curated(catalog_dir).problems) == [
            f"{path}:5: category: 'video' is not a known category; known: models, tools"
        ]

    def test_entries_follow_the_sections_not_the_file_names(
        self, write_resources: WriteResources, resource_dict: RawFactory, catalog_dir: Path
    ) -> None:
        """An empty search shows the list as its curator ordered it: categories.yaml decides,
        entries keep their order within a section, whatever the files are called."""
        write_resources(
            [
                resource_dict(id="a-model", url="https://example.org/m", category="models"),
                resource_dict(id="z-tool", url="https://example.org/z", category="tools"),
            ],
            "a.yaml",
        )
        ids = [r.id for r in load_curated(catalog_dir).resources]
        assert ids == ["z-tool", "alpha-pack", "a-model", "beta-model"]

    def test_duplicates_across_files(
        self, write_resources: WriteResources, resource_dict: RawFactory, catalog_dir: Path
    ) -> None:
        """A later file repeating an id or URL is reported and left out."""
        path = write_resources(
            [
                resource_dict(id="alpha-pack", url="https://example.org/other"),
                resource_dict(id="new-one", url="http://GitHub.com/Example/Alpha-Pack.git"),
                resource_dict(id="kept", url="https://example.org/kept"),
            ],
            "z.yaml",
        )
        main = catalog_dir / "resources" / "main.yaml"
        result = load_curated(catalog_dir)
        # In the order of categories.yaml (tools, then models), as the list reads.
        assert [r.id for r in result.resources] == ["alpha-pack", "kept", "beta-model"]
        assert texts(result.problems) == [
            f"{path}:2: id: 'alpha-pack' is already used by the entry at {main}:2",
            f"{path}:10: url: 'https://github.com/example/alpha-pack' is already used by the "
            f"entry at {main}:4",
        ]

    def test_duplicate_url_with_fields_in_any_order(
        self, write_resources: WriteResources, catalog_dir: Path
    ) -> None:
        """A duplicate is left out even when its repeated field is not on the entry's first line."""
        path = write_resources(
            "resources:\n"
            "  - name: Again\n"
            "    description: Same URL, new id.\n"
            "    kind: tool\n"
            "    category: tools\n"
            "    url: https://github.com/example/alpha-pack/\n"
            "    id: again\n"
            "  - name: Same id\n"
            "    description: New URL, same id.\n"
            "    kind: tool\n"
            "    category: tools\n"
            "    url: https://example.org/fresh\n"
            "    id: beta-model\n",
            "z.yaml",
        )
        main = catalog_dir / "resources" / "main.yaml"
        result = load_curated(catalog_dir)
        assert [r.id for r in result.resources] == ["alpha-pack", "beta-model"]
        assert texts(result.problems) == [
            f"{path}:6: url: 'https://github.com/example/alpha-pack' is already used by the "
            f"entry at {main}:4",
            f"{path}:13: id: 'beta-model' is already used by the entry at {main}:10",
        ]

    def test_broken_categories_file(self, catalog_dir: Path) -> None:
        """Without categories every resource is reported against 'none defined'."""
        (catalog_dir / CATEGORIES_FILE).write_text("categories: nope\n", encoding="utf-8")
        result = load_curated(catalog_dir)
        assert result.resources == ()
        categories = catalog_dir / CATEGORIES_FILE
        assert texts(result.problems)[0] == (
            f"{categories}:1: categories: the file must hold a 'categories:' list"
        )
        assert texts(result.problems)[1:] == [
            f"{catalog_dir / 'resources' / 'main.yaml'}:{line}: category: '{cat}' is not a known "
            "category; known: none defined"
            for line, cat in ((5, "tools"), (13, "models"))
        ]


class TestValidatePaths:
    """What `python -m nodes validate` checks: data folders and single resource files."""

    def test_data_folder(self, catalog_dir: Path) -> None:
        """A folder is checked in full; the count is its resource files."""
        result, count = validate_paths([catalog_dir])
        assert (len(result.resources), len(result.categories), result.problems, count) == (
            2,
            2,
            (),
            1,
        )

    def test_single_file_uses_its_folders_categories(
        self, write_resources: WriteResources, resource_dict: RawFactory
    ) -> None:
        """A single file is checked against categories.yaml two folders up."""
        path = write_resources(
            [
                resource_dict(category="models"),
                resource_dict(id="other", url="https://o.org", category="nope"),
            ]
        )
        result, count = validate_paths([path])
        assert count == 1
        assert [r.id for r in result.resources] == ["gamma-tool"]
        assert [c.id for c in result.categories] == ["tools", "models"]
        assert texts(result.problems) == [
            f"{path}:11: category: 'nope' is not a known category; known: models, tools"
        ]

    def test_missing_file(self, catalog_dir: Path) -> None:
        """A path that does not exist is one unreadable file."""
        path = catalog_dir / "resources" / "gone.yaml"
        result, count = validate_paths([path])
        assert count == 1
        assert texts(result.problems) == [
            f"{path}: file: cannot be read: No such file or directory"
        ]

    def test_folder_without_resources(self, tmp_path: Path) -> None:
        """A folder with no resource files and no categories reports both."""
        result, count = validate_paths([tmp_path])
        assert count == 0
        assert texts(result.problems) == [
            f"{tmp_path / CATEGORIES_FILE}: file: cannot be read: No such file or directory",
            f"{tmp_path / 'resources'}: resources: no *.yaml files found",
        ]

    def test_category_problems_reported_once(
        self, catalog_dir: Path, write_resources: WriteResources
    ) -> None:
        """Two files of one folder read its broken categories.yaml twice but report it once."""
        (catalog_dir / CATEGORIES_FILE).write_text("categories: []\nextra: 1\n", encoding="utf-8")
        other = write_resources("resources: 1\n")
        result, count = validate_paths([catalog_dir / "resources" / "main.yaml", other])
        assert count == 2
        categories = catalog_dir / CATEGORIES_FILE
        extra = f"{categories}:2: extra: unknown top-level key; only 'categories' is read"
        assert texts(result.problems).count(extra) == 1
        assert texts(result.problems)[-1] == (
            f"{other}:1: resources: the file must hold a 'resources:' list"
        )

    def test_several_folders(self, catalog_dir: Path, tmp_path: Path) -> None:
        """Categories of several folders are merged; duplicates across them are reported."""
        second = tmp_path / "second"
        (second / "resources").mkdir(parents=True)
        (second / CATEGORIES_FILE).write_text(
            "categories:\n  - id: extra\n    name: Extra\n", encoding="utf-8"
        )
        (second / "resources" / "x.yaml").write_text(
            (catalog_dir / "resources" / "main.yaml")
            .read_text(encoding="utf-8")
            .replace("category: tools", "category: extra")
            .replace("category: models", "category: extra"),
            encoding="utf-8",
        )
        result, count = validate_paths([catalog_dir, second])
        assert count == 2
        assert [c.id for c in result.categories] == ["tools", "models", "extra"]
        assert [r.id for r in result.resources] == ["alpha-pack", "beta-model"]
        assert [p.field for p in result.problems] == ["id", "url", "id", "url"]


_TEXT = (
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)


@st.composite
def valid_entries(draw: st.DrawFn) -> dict[str, Any]:
    """A raw resource entry that passes every rule."""
    entry: dict[str, Any] = {
        "id": draw(st.from_regex(r"[a-z0-9]([a-z0-9._-]{0,20}[a-z0-9])?", fullmatch=True)),
        "name": draw(_TEXT),
        "url": draw(
            st.sampled_from(
                ["https://github.com/a/b", "http://example.org/x?y=1", "https://hf.co/m/Model.git"]
            )
        ),
        "category": draw(st.sampled_from(["tools", "models"])),
        "kind": draw(st.sampled_from(KINDS)),
        "description": draw(_TEXT),
    }
    optional = {
        "tags": st.lists(
            st.from_regex(r"[a-z0-9][a-z0-9+._-]{0,10}", fullmatch=True), max_size=5, unique=True
        ),
        "author": _TEXT,
        "license": st.sampled_from(["MIT", "Apache-2.0", "GPL-3.0"]),
        "install_url": st.just("https://github.com/a/b.git"),
        "stars": st.integers(0, 10_000_000),
        "updated": st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
    }
    for name in draw(st.lists(st.sampled_from(sorted(optional)), unique=True)):
        entry[name] = draw(optional[name])
    return entry


class TestRoundTrip:
    """A valid entry dumped as YAML and loaded back is the same resource."""

    @settings(
        max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(valid_entries())
    def test_dump_and_load(self, catalog_dir: Path, entry: dict[str, Any]) -> None:
        """Every field survives yaml.safe_dump and load_resource_file."""
        path = catalog_dir / "resources" / "round.yaml"
        path.write_text(
            yaml.safe_dump({"resources": [entry]}, allow_unicode=True), encoding="utf-8"
        )
        found, problems = load_resource_file(path, {"tools", "models"})
        assert problems == []
        expected = dict(entry, tags=tuple(entry.get("tags", ())))
        if "updated" in entry:
            expected["updated"] = entry["updated"].isoformat()
        assert [resource for resource, _ in found] == [Resource(**expected)]

    def test_dump_and_load_keeps_unicode_lines(self, catalog_dir: Path) -> None:
        """A multi-line description with Unicode survives a block-style dump."""
        entry = {
            "id": "u",
            "name": "Ünï ✓",
            "url": "https://u.org",
            "category": "tools",
            "kind": "tool",
            "description": "Line one\nline two ✓",
        }
        path = catalog_dir / "resources" / "u.yaml"
        path.write_text(
            yaml.safe_dump({"resources": [entry]}, allow_unicode=True), encoding="utf-8"
        )
        found, problems = load_resource_file(path, None)
        assert problems == []
        assert found[0][0].description == "Line one\nline two ✓"
        assert found[0][0].name == "Ünï ✓"
