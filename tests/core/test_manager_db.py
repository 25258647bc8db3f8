"""ComfyUI-Manager's node database: the real files with their dirty entries, and small fixtures."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nodes.core.files import display_path
from nodes.core.model import ModelFile, Problem, Resource, SourceResult
from nodes.core.validate import ID_RE
from nodes.sources.manager_db import (
    MODEL_CATEGORY,
    MODEL_LIST,
    NODE_LIST,
    PACK_CATEGORY,
    STATS,
    load_manager_db,
    parse_model_list,
    parse_node_list,
    parse_stats,
)
from nodes.sources.records import clean_tags, clean_text


def texts(problems: Any) -> list[str]:
    """Problems as the lines a curator reads."""
    return [str(p) for p in problems]


def sparse_file(size: int) -> Callable[[Path], object]:
    """Make a file of ``size`` bytes without writing them (a sparse file)."""

    def make(path: Path) -> None:
        with path.open("wb") as handle:
            handle.truncate(size)

    return make


def write_json(folder: Path, name: str, data: object) -> Path:
    """Write ``data`` as a JSON file in ``folder``."""
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def pack(reference: str | None = "https://github.com/Owner/Pack", **fields: Any) -> dict[str, Any]:
    """A custom-node-list entry as the Manager writes it."""
    entry: dict[str, Any] = {
        "author": "Owner",
        "title": "Pack",
        "reference": reference,
        "files": [reference],
        "install_type": "git-clone",
        "description": "Does things.",
    }
    entry.update(fields)
    return entry


def model(
    url: str = "https://huggingface.co/org/repo/resolve/main/m.safetensors", **fields: Any
) -> dict[str, Any]:
    """A model-list entry as the Manager writes it."""
    entry: dict[str, Any] = {
        "name": "Model",
        "type": "checkpoint",
        "base": "SDXL",
        "save_path": "checkpoints",
        "description": "A model.",
        "reference": "https://huggingface.co/org/repo",
        "filename": "m.safetensors",
        "url": url,
        "size": "1GB",
    }
    entry.update(fields)
    return entry


@pytest.fixture(scope="module")
def real_result(request: pytest.FixtureRequest) -> SourceResult:
    """The real database loaded once for the module (it takes a fraction of a second)."""
    folder: Path = request.getfixturevalue("manager_dir")
    return load_manager_db(folder)


class TestCleanText:
    """Free text is collapsed to one line and cut with an ellipsis."""

    @pytest.mark.parametrize(
        ("value", "limit", "expected"),
        [
            pytest.param("  Two\nlines\t here ", 100, "Two lines here", id="spaces"),
            pytest.param("a\x00b\x85c\x7fd", 100, "a b c d", id="controls"),
            pytest.param("abcdefgh", 5, "abcd…", id="cut"),
            pytest.param("abcde", 5, "abcde", id="exactly"),
            pytest.param("abc  defg", 5, "abc…", id="cut-strips-space"),
            pytest.param(None, 5, "", id="none"),
            pytest.param(12, 5, "", id="number"),
            pytest.param("   ", 5, "", id="blank"),
        ],
    )
    def test_examples(self, value: object, limit: int, expected: str) -> None:
        """White space and control characters become single spaces."""
        assert clean_text(value, limit) == expected


class TestCleanTags:
    """Free-form tags become catalogue tags, or are dropped."""

    @pytest.mark.parametrize(
        ("values", "expected"),
        [
            pytest.param(
                ["Object Recognition", "Flux", "flux", 3, "!!"],
                ["object-recognition", "flux"],
                id="mixed",
            ),
            pytest.param(["FLUX.1", "SD1.5", "c++"], ["flux.1", "sd1.5", "c++"], id="punctuation"),
            pytest.param(["_x", "-y-"], ["y"], id="bad-start"),
            pytest.param(["a" * 40], ["a" * 32], id="cut-to-32"),
            pytest.param([f"t{i}" for i in range(25)], [f"t{i}" for i in range(20)], id="max-20"),
            pytest.param("flux", [], id="not-a-list"),
            pytest.param(None, [], id="none"),
        ],
    )
    def test_examples(self, values: object, expected: list[str]) -> None:
        """Lowercase, unsafe runs as '-', unique, at most 20."""
        assert clean_tags(values) == expected


class TestParseStats:
    """github-stats.json is indexed by canonical URL; bad keys are reported."""

    def test_index(self) -> None:
        """Keys are canonicalised; entries that are not objects are ignored silently."""
        stats, problems = parse_stats(
            {
                "https://github.com/A/B": {"stars": 3},
                "https://github.com/c/d": "junk",
            },
            "s.json",
        )
        assert stats == {"https://github.com/a/b": {"stars": 3}}
        assert problems == []

    def test_bad_key(self) -> None:
        """A key that is not a URL is reported and its stats ignored."""
        stats, problems = parse_stats({"htps://github.com/a/b": {"stars": 1}}, "s.json")
        assert stats == {}
        assert texts(problems) == [
            "s.json: ['htps://github.com/a/b']: key scheme 'htps' is not allowed; use http or "
            "https; its stats are ignored"
        ]

    def test_not_an_object(self) -> None:
        """A file that is not an object is one problem."""
        assert parse_stats([1], "s.json") == (
            {},
            [Problem("s.json", None, "file", "must hold a JSON object keyed by repository URL")],
        )


class TestParseNodeList:
    """custom-node-list.json entries become node-pack resources joined with their stats."""

    def test_full_entry(self) -> None:
        """Title, author, description, tags, install URL and stats all arrive."""
        entry = pack(title="  My\nPack ", tags=["Video", "Flux"], description="A\tpack.")
        stats = {"https://github.com/owner/pack": {"stars": 7, "last_update": "2025-03-04 10:00"}}
        found, problems = parse_node_list({"custom_nodes": [entry]}, "n.json", stats)
        assert problems == []
        [(resource, where)] = found
        assert resource == Resource(
            id="owner.pack",
            name="My Pack",
            url="https://github.com/Owner/Pack",
            category=PACK_CATEGORY,
            kind="node-pack",
            description="A pack.",
            tags=("video", "flux"),
            author="Owner",
            install_url="https://github.com/Owner/Pack",
            stars=7,
            updated="2025-03-04",
            source="manager",
            install_type="git-clone",
            files=("https://github.com/Owner/Pack",),
        )
        assert where.prefix == "custom_nodes[0]."

    def test_source_name_and_defaults(self) -> None:
        """Missing title, description and author: the URL's last part names it, the rest empty."""
        entry = {
            "reference": "https://github.com/o/My-Pack/",
            "install_type": "copy",
            "files": ["https://x.org/file.py"],
        }
        found, problems = parse_node_list({"custom_nodes": [entry]}, "n.json", {}, source="db")
        assert problems == []
        resource = found[0][0]
        assert (
            resource.name,
            resource.description,
            resource.author,
            resource.install_url,
            resource.stars,
            resource.updated,
            resource.source,
        ) == ("My-Pack", "", "", "", None, "", "db")

    @pytest.mark.parametrize(
        ("fields", "install_url"),
        [
            pytest.param({"install_type": "Git-Clone"}, "https://github.com/Owner/Pack", id="case"),
            pytest.param({"install_type": "git"}, "https://github.com/Owner/Pack", id="git"),
            pytest.param({"install_type": "unzip"}, "", id="unzip"),
            pytest.param({"install_type": None}, "", id="none"),
            pytest.param({"files": []}, "", id="no-files"),
            pytest.param({"files": "https://github.com/Owner/Pack"}, "", id="files-text"),
            pytest.param({"files": ["not a url"]}, "", id="bad-file"),
            pytest.param(
                {"files": ["https://github.com/Owner/Other"]},
                "https://github.com/Owner/Other",
                id="different-file",
            ),
        ],
    )
    def test_install_url(self, fields: dict[str, Any], install_url: str) -> None:
        """Only git clones of a valid first file get an install URL."""
        found, _ = parse_node_list({"custom_nodes": [pack(**fields)]}, "n.json", {})
        assert found[0][0].install_url == install_url

    @pytest.mark.parametrize(
        ("stats", "stars", "updated"),
        [
            pytest.param({}, None, "", id="empty"),
            pytest.param({"stars": True, "last_update": "2025-01"}, None, "", id="bool-short"),
            pytest.param({"stars": -1, "last_update": 20250101}, None, "", id="negative-number"),
            pytest.param({"stars": "9"}, None, "", id="text-stars"),
            pytest.param({"stars": 0, "last_update": "2025-01-02"}, 0, "2025-01-02", id="zero"),
        ],
    )
    def test_stats_fields(self, stats: dict[str, Any], stars: int | None, updated: str) -> None:
        """Only whole, non-negative stars and dated updates are taken from the stats."""
        found, _ = parse_node_list(
            {"custom_nodes": [pack()]}, "n.json", {"https://github.com/owner/pack": stats}
        )
        assert (found[0][0].stars, found[0][0].updated) == (stars, updated)

    def test_bad_entries(self) -> None:
        """Entries that are not objects or have no usable reference are reported and skipped."""
        data = {
            "custom_nodes": [
                "text",
                pack(reference="deepseek-ai/Janus"),
                pack(reference=None),
                pack(),
            ]
        }
        found, problems = parse_node_list(data, "n.json", {})
        assert [r.id for r, _ in found] == ["owner.pack"]
        assert texts(problems) == [
            "n.json: custom_nodes[0].entry: must be a JSON object; skipped",
            "n.json: custom_nodes[1].reference: must start with http:// or https://; skipped",
            "n.json: custom_nodes[2].reference: must be text, got NoneType; skipped",
        ]

    @pytest.mark.parametrize(
        ("stats", "stars", "updated"),
        [
            pytest.param(
                {"stars": 10_000_001, "last_update": "2025-99-99 00:00"},
                None,
                "",
                id="too-many-stars-impossible-date",
            ),
            pytest.param(
                {"stars": "abc", "last_update": "2025-01-02"}, None, "2025-01-02", id="text-stars"
            ),
            pytest.param({"stars": -5, "last_update": "garbage!!!"}, None, "", id="negative"),
            pytest.param({"stars": 1.5, "last_update": ["2025-01-02"]}, None, "", id="odd-types"),
            pytest.param({"stars": 10**30, "last_update": "2025-02-30"}, None, "", id="huge"),
            pytest.param({"stars": 7, "last_update": None}, 7, "", id="one-good-one-bad"),
        ],
    )
    def test_one_bad_stats_value_drops_only_that_field(
        self, stats: dict[str, Any], stars: int | None, updated: str
    ) -> None:
        """A stats value validation would refuse is left out; the pack itself stays."""
        found, problems = parse_node_list(
            {"custom_nodes": [pack()]}, "n.json", {"https://github.com/owner/pack": stats}
        )
        assert problems == []
        [(resource, _)] = found
        assert (resource.id, resource.stars, resource.updated) == ("owner.pack", stars, updated)


class TestParseModelList:
    """model-list.json entries become model resources tagged with type and base."""

    def test_full_entry(self) -> None:
        """The folder is added to the description; the author comes from the URL."""
        found, problems = parse_model_list({"models": [model()]}, "m.json")
        assert problems == []
        assert found[0][0] == Resource(
            id="huggingface-co-org-repo-resolve-main-m-safetensors",
            name="Model",
            url="https://huggingface.co/org/repo/resolve/main/m.safetensors",
            category=MODEL_CATEGORY,
            kind="model",
            description="A model. Goes in models/checkpoints.",
            tags=("checkpoint", "sdxl"),
            author="org",
            source="manager",
            model_file=ModelFile(
                name="Model",
                type="checkpoint",
                base="SDXL",
                save_path="checkpoints",
                filename="m.safetensors",
                url="https://huggingface.co/org/repo/resolve/main/m.safetensors",
            ),
        )
        assert found[0][1].prefix == "models[0]."

    @pytest.mark.parametrize(
        ("url", "author"),
        [
            pytest.param("https://github.com/me/repo/raw/main/m.pth", "me", id="github"),
            pytest.param("https://huggingface.co/org", "", id="huggingface-short"),
            pytest.param("https://civitai.com/api/download/1", "", id="elsewhere"),
        ],
    )
    def test_author(self, url: str, author: str) -> None:
        """GitHub owners and Hugging Face organisations are authors; other hosts give none."""
        found, _ = parse_model_list({"models": [model(url=url)]}, "m.json")
        assert found[0][0].author == author

    def test_sparse_entry(self) -> None:
        """No name, folder, description or type: the URL names it and the rest stays empty;
        without what the Manager's download needs, the model loads without a model_file."""
        found, problems = parse_model_list(
            {"models": [{"url": "https://x.org/files/MODEL.X"}]}, "m.json", source="db"
        )
        assert texts(problems) == [
            "m.json: models[0].model_file: name must be text, got nothing; left out"
        ]
        resource = found[0][0]
        assert (
            resource.name,
            resource.description,
            resource.tags,
            resource.source,
            resource.model_file,
        ) == ("MODEL.X", "", (), "db", None)

    def test_folder_without_description(self) -> None:
        """The folder alone makes the description."""
        found, _ = parse_model_list(
            {"models": [model(description="", save_path="loras")]}, "m.json"
        )
        assert found[0][0].description == "Goes in models/loras."

    def test_bad_entries(self) -> None:
        """Non-objects, entries without a public link and entries failing validation are
        reported and skipped."""
        data = {
            "models": [
                3,
                model(url="deepseek-ai/Janus-Pro-1B", reference=None),
                model(url="https://huggingface.co/" + "a" * 101 + "/m"),
                model(url="http://127.0.0.1:8000/m.bin", reference="http://10.0.0.8/page"),
                model(),
            ]
        }
        found, problems = parse_model_list(data, "m.json")
        assert len(found) == 1
        assert texts(problems) == [
            "m.json: models[0].entry: must be a JSON object; skipped",
            "m.json: models[1].url: must start with http:// or https://; skipped",
            "m.json: models[2].author: is 101 characters long; the limit is 100; skipped",
            "m.json: models[3].url: host 127.0.0.1 is an address on this machine or a private "
            "network (loopback); a link must lead to the public internet; skipped",
        ]


def parse_nodes(data: object) -> Any:
    return parse_node_list(data, "f.json", {})


def parse_models(data: object) -> Any:
    return parse_model_list(data, "f.json")


@pytest.mark.parametrize(
    ("parse", "data", "key"),
    [
        pytest.param(parse_nodes, [], "custom_nodes", id="nodes-list"),
        pytest.param(parse_nodes, {"custom_nodes": {}}, "custom_nodes", id="nodes-mapping"),
        pytest.param(parse_nodes, {"nodes": []}, "custom_nodes", id="nodes-other-key"),
        pytest.param(parse_nodes, None, "custom_nodes", id="nodes-null"),
        pytest.param(parse_models, [], "models", id="models-list"),
        pytest.param(parse_models, {"models": "x"}, "models", id="models-text"),
        pytest.param(parse_models, 5, "models", id="models-number"),
    ],
)
def test_a_list_file_of_the_wrong_shape(
    parse: Callable[[object], Any], data: object, key: str
) -> None:
    """Anything but an object holding the file's list is one problem, and nothing loads."""
    assert parse(data) == ([], [Problem("f.json", None, key, f"the file must hold a '{key}' list")])


class TestLoadFiles:
    """The three files are read from a folder; only the node list is required."""

    def test_node_list_only(self, tmp_path: Path) -> None:
        """Without stats and models the packs load on their own."""
        write_json(tmp_path, NODE_LIST, {"custom_nodes": [pack()]})
        result = load_manager_db(tmp_path)
        assert (
            result.name,
            [r.id for r in result.resources],
            result.problems,
            result.categories,
        ) == ("manager", ["owner.pack"], (), ())

    def test_all_three(self, tmp_path: Path) -> None:
        """Stats join the packs; models follow the packs; the source name is passed on."""
        write_json(tmp_path, NODE_LIST, {"custom_nodes": [pack()]})
        write_json(tmp_path, STATS, {"https://github.com/Owner/Pack/": {"stars": 5}})
        write_json(tmp_path, MODEL_LIST, {"models": [model()]})
        result = load_manager_db(tmp_path, source="mgr")
        assert [(r.kind, r.stars, r.source) for r in result.resources] == [
            ("node-pack", 5, "mgr"),
            ("model", None, "mgr"),
        ]
        assert result.problems == ()

    def test_missing_node_list(self, tmp_path: Path) -> None:
        """The node list is required: its absence is a problem, the models still load."""
        write_json(tmp_path, MODEL_LIST, {"models": [model()]})
        result = load_manager_db(tmp_path)
        assert [r.kind for r in result.resources] == ["model"]
        assert texts(result.problems) == [
            f"{display_path(tmp_path / NODE_LIST)}: file: cannot be read: No such file or directory"
        ]

    @pytest.mark.parametrize(
        ("make", "message"),
        [
            pytest.param(
                lambda path: path.write_bytes(b"{not json"),
                "is not valid JSON: Expecting property name enclosed in "
                "double quotes: line 1 column 2 (char 1)",
                id="syntax",
            ),
            pytest.param(
                lambda path: path.write_bytes(b""),
                "is not valid JSON: Expecting value: line 1 column 1 (char 0)",
                id="empty",
            ),
            pytest.param(
                lambda path: path.write_bytes(b"\x80abc"),
                "is not valid JSON: 'utf-8' codec can't decode byte 0x80 "
                "in position 0: invalid start byte",
                id="not-utf8",
            ),
            pytest.param(
                lambda path: path.write_bytes(b"[" * 100_000 + b"]" * 100_000),
                "is not valid JSON: maximum recursion "
                "depth exceeded while decoding a JSON array from a unicode string",
                id="too-deep",
            ),
            pytest.param(
                sparse_file(64 * 1024 * 1024 + 1),
                "is larger than 67108864 bytes",
                id="over-64-mib",
            ),
            pytest.param(Path.mkdir, "cannot be read: Is a directory", id="folder"),
        ],
    )
    def test_unusable_node_list(
        self, tmp_path: Path, make: Callable[[Path], object], message: str
    ) -> None:
        """A node list that cannot be read, is too large or is not JSON is one problem."""
        make(tmp_path / NODE_LIST)
        result = load_manager_db(tmp_path)
        assert result.resources == ()
        assert texts(result.problems) == [f"{display_path(tmp_path / NODE_LIST)}: file: {message}"]

    def test_broken_optional_files(self, tmp_path: Path) -> None:
        """Broken stats and model files are reported; the packs load without their stats."""
        write_json(tmp_path, NODE_LIST, {"custom_nodes": [pack()]})
        (tmp_path / STATS).write_text("[", encoding="utf-8")
        (tmp_path / MODEL_LIST).write_text("{", encoding="utf-8")
        result = load_manager_db(tmp_path)
        assert [(r.id, r.stars) for r in result.resources] == [("owner.pack", None)]
        assert texts(result.problems) == [
            f"{display_path(tmp_path / STATS)}: file: is not valid JSON: Expecting value: line 1 "
            "column 2 (char 1)",
            f"{display_path(tmp_path / MODEL_LIST)}: file: is not valid JSON: Expecting property "
            "name enclosed in double quotes: line 1 column 2 (char 1)",
        ]

    def test_model_list_of_the_wrong_shape(self, tmp_path: Path) -> None:
        """A model list holding a list is reported after the packs' problems."""
        write_json(tmp_path, NODE_LIST, {"custom_nodes": ["x"]})
        write_json(tmp_path, MODEL_LIST, [])
        assert texts(load_manager_db(tmp_path).problems) == [
            f"{display_path(tmp_path / NODE_LIST)}: custom_nodes[0].entry: must be a JSON object; "
            "skipped",
            f"{display_path(tmp_path / MODEL_LIST)}: models: the file must hold a 'models' list",
        ]

    def test_stats_of_the_wrong_shape(self, tmp_path: Path) -> None:
        """A stats file holding a list is reported; packs still load."""
        write_json(tmp_path, NODE_LIST, {"custom_nodes": [pack()]})
        write_json(tmp_path, STATS, [])
        result = load_manager_db(tmp_path)
        assert len(result.resources) == 1
        assert texts(result.problems) == [
            f"{display_path(tmp_path / STATS)}: file: must hold a JSON object keyed by "
            "repository URL"
        ]

    def test_duplicates_skipped(self, tmp_path: Path) -> None:
        """A reference repeated in another case is reported and skipped; the first stays."""
        write_json(
            tmp_path,
            NODE_LIST,
            {
                "custom_nodes": [
                    pack(),
                    pack(title="Other"),
                    pack("https://github.com/owner/pack.git", title="Again"),
                    pack("https://github.com/owner/second"),
                ]
            },
        )
        result = load_manager_db(tmp_path)
        shown = display_path(tmp_path / NODE_LIST)
        assert [(r.id, r.name) for r in result.resources] == [
            ("owner.pack", "Pack"),
            ("owner.second", "Pack"),
        ]
        assert texts(result.problems) == [
            f"{shown}: custom_nodes[1].id: 'owner.pack' is already used by the entry at {shown}; "
            "skipped",
            f"{shown}: custom_nodes[1].url: 'https://github.com/owner/pack' is already used by "
            f"the entry at {shown}; skipped",
            f"{shown}: custom_nodes[2].id: 'owner.pack' is already used by the entry at {shown}; "
            "skipped",
            f"{shown}: custom_nodes[2].url: 'https://github.com/owner/pack' is already used by "
            f"the entry at {shown}; skipped",
        ]

    def test_model_repeating_a_pack(self, tmp_path: Path) -> None:
        """A model whose URL is a pack's is a duplicate across the two files."""
        write_json(tmp_path, NODE_LIST, {"custom_nodes": [pack()]})
        write_json(tmp_path, MODEL_LIST, {"models": [model(url="https://github.com/owner/pack")]})
        result = load_manager_db(tmp_path)
        assert [r.kind for r in result.resources] == ["node-pack"]
        assert [p.field for p in result.problems] == ["models[0].id", "models[0].url"]


class TestRealDatabase:
    """The real ComfyUI-Manager files load, with their known dirty entries reported."""

    def test_counts(self, real_result: SourceResult) -> None:
        """5,892 of 5,896 packs (4 duplicates) and 556 of 562 models (6 repeats)."""
        kinds = Counter(r.kind for r in real_result.resources)
        assert len(real_result.resources) == 6448
        assert kinds == {"node-pack": 5892, "model": 556}
        assert Counter(r.category for r in real_result.resources) == {
            PACK_CATEGORY: 5892,
            MODEL_CATEGORY: 556,
        }
        assert len(real_result.problems) == 30

    def test_every_resource_is_valid_and_unique(self, real_result: SourceResult) -> None:
        """Ids are valid and unique, URLs unique by canonical form, all from the manager."""
        ids = [r.id for r in real_result.resources]
        assert len(set(ids)) == len(ids)
        assert all(ID_RE.match(i) for i in ids)
        assert len({r.canonical_url for r in real_result.resources}) == len(ids)
        assert {r.source for r in real_result.resources} == {"manager"}

    def test_misspelt_stats_keys(self, real_result: SourceResult, manager_dir: Path) -> None:
        """The stats keys starting htps:// and ttps:// are reported and ignored."""
        shown = display_path(manager_dir / STATS)
        assert texts(real_result.problems)[:2] == [
            f"{shown}: ['htps://github.com/GraftingRayman/Border-Distance-Mapper']: key scheme "
            "'htps' is not allowed; use http or https; its stats are ignored",
            f"{shown}: ['ttps://github.com/GraftingRayman/Border-Distance-Mapper']: key scheme "
            "'ttps' is not allowed; use http or https; its stats are ignored",
        ]

    def test_model_urls_that_are_not_urls(
        self, real_result: SourceResult, manager_dir: Path
    ) -> None:
        """Model urls like 'deepseek-ai/Janus-Pro-1B' (Hugging Face snapshots) link to their
        reference page; their model_file is reported and left out."""
        shown = display_path(manager_dir / MODEL_LIST)
        assert [p for p in texts(real_result.problems) if "must start with" in p] == [
            f"{shown}: models[{i}].model_file: url must start with http:// or https://; left out"
            for i in (433, 434, 464)
        ]
        by_url = {r.url: r for r in real_result.resources}
        janus = by_url["https://huggingface.co/deepseek-ai/Janus-Pro-1B"]
        assert (janus.id, janus.name, janus.model_file) == (
            "huggingface-co-deepseek-ai-janus-pro-1b",
            "deepseek-ai/Janus-Pro-1B",
            None,
        )
        raw = json.loads((manager_dir / MODEL_LIST).read_text(encoding="utf-8"))["models"]
        assert [raw[i]["url"] for i in (433, 434, 464)] == [
            "deepseek-ai/Janus-Pro-1B",
            "deepseek-ai/Janus-Pro-7B",
            "lllyasviel/FramePackI2V_HY",
        ]

    def test_duplicate_references(self, real_result: SourceResult, manager_dir: Path) -> None:
        """The four repeated pack references are reported by id and URL, then skipped."""
        shown = display_path(manager_dir / NODE_LIST)
        duplicates = [
            p
            for p in texts(real_result.problems)
            if p.startswith(f"{shown}: custom_") and "already used" in p
        ]
        expected = []
        for index, key in (
            (2980, "xmarre.comfyui_monarch_attention"),
            (4595, "aharaooo.comfyui-perfectpixel"),
            (4700, "pxl-pshr.comfyui-sd-cn-animation"),
            (5085, "kingmaniya.comfyui-llm-text-processor"),
        ):
            owner, repo = key.split(".", 1)
            expected += [
                f"{shown}: custom_nodes[{index}].id: '{key}' is already used by the entry at "
                f"{shown}; skipped",
                f"{shown}: custom_nodes[{index}].url: 'https://github.com/{owner}/{repo}' is "
                f"already used by the entry at {shown}; skipped",
            ]
        assert duplicates == expected

    def test_repeated_model_files(self, real_result: SourceResult, manager_dir: Path) -> None:
        """Models listed twice (an 'Updated path' copy) are skipped after the first."""
        shown = display_path(manager_dir / MODEL_LIST)
        repeated = [
            p.field for p in real_result.problems if p.file == shown and "already used" in p.message
        ]
        assert repeated == [
            f"models[{i}].{f}" for i in (207, 208, 300, 303, 304, 418) for f in ("id", "url")
        ]

    def test_a_pack_with_stats(self, real_result: SourceResult) -> None:
        """A well-known pack carries its stars and last update from github-stats.json."""
        by_url = {r.url: r for r in real_result.resources}
        resource = by_url["https://github.com/Fannovel16/comfyui_controlnet_aux"]
        assert resource == Resource(
            id="fannovel16.comfyui_controlnet_aux",
            name="ComfyUI's ControlNet Auxiliary Preprocessors",
            url="https://github.com/Fannovel16/comfyui_controlnet_aux",
            category=PACK_CATEGORY,
            kind="node-pack",
            description="Plug-and-play ComfyUI node sets for making ControlNet hint images.",
            author="Fannovel16",
            install_url="https://github.com/Fannovel16/comfyui_controlnet_aux",
            stars=4150,
            updated="2026-04-13",
            source="manager",
            pack_id="comfyui_controlnet_aux",
            install_type="git-clone",
            files=("https://github.com/Fannovel16/comfyui_controlnet_aux",),
            node_types=resource.node_types,
        )
        assert len(resource.node_types) > 50
        assert "DWPreprocessor" in resource.node_types

    def test_a_model(self, real_result: SourceResult) -> None:
        """A model carries its folder in the description and its type and base as tags."""
        by_url = {r.url: r for r in real_result.resources}
        resource = by_url["https://github.com/madebyollin/taesd/raw/main/taef1_decoder.pth"]
        assert (resource.name, resource.tags, resource.author) == (
            "TAEF1 Decoder",
            ("taesd", "flux.1"),
            "madebyollin",
        )
        assert resource.description.endswith(" Goes in models/vae_approx.")

    def test_mismatched_files_and_odd_hosts(self, real_result: SourceResult) -> None:
        """The install URL is files[0] even when it differs; a misspelt host still loads."""
        by_url = {r.url: r for r in real_result.resources}
        slider = by_url["https://github.com/Carasibana/ComfyUI-SimplayboyleFloatSlider"]
        assert slider.install_url == "https://github.com/Carasibana/ComfyUI-SimpleFloatSlider"
        odd = by_url["https://github.fcom/lucasgattas/ComfyUI-Egregora-Frames-Animation-Nodes"]
        assert (odd.author, odd.install_url) == (
            "lucasgattas",
            "https://github.com/lucasgattas/ComfyUI-Egregora-Frames-Animation-Nodes",
        )

    def test_install_and_stats_counts(self, real_result: SourceResult) -> None:
        """Git-clone packs (any case) get install URLs; stats reach the packs they cover."""
        assert sum(1 for r in real_result.resources if r.install_url) == 5852
        assert sum(1 for r in real_result.resources if r.stars is not None) == 5836
