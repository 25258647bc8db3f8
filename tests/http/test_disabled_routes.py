"""Disabled node packs through a real server on 127.0.0.1: the ``disabled`` mark on every
resource, ``GET /resources?disabled=1``, and the ETag that changes when a pack is disabled.

The custom_nodes folder is real folders laid out as ComfyUI-Manager v3.41 leaves them: a
disabled git pack in ``.disabled/<name>``, a disabled Registry pack in
``.disabled/<id>@<version, '.' as '_'>`` with its ``.tracking`` file and ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from nodes.app.pack import Pack
from nodes.core.catalog import FunctionSource
from nodes.core.model import Resource, SourceResult
from nodes.core.urls import canonical_url
from nodes.sources.installed import InstalledIndex
from tests.helpers.live import LiveServer
from tests.helpers.sample_catalogue import ALL_IDS

pytestmark = pytest.mark.http

REGISTRY_ID = "comfyui-reg-pack"


def git_clone(folder: Path, remote: str) -> Path:
    """A pack folder as ``git clone`` leaves it (what the scan reads, and a module)."""
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "config").write_text(f'[remote "origin"]\n\turl = {remote}\n')
    (folder / "__init__.py").write_text("NODE_CLASS_MAPPINGS = {}\n")
    return folder


def registry_install(folder: Path, version: str) -> Path:
    """A Registry pack as the Manager unzips it: a ``.tracking`` file and no git."""
    folder.mkdir(parents=True)
    (folder / "pyproject.toml").write_text(
        f'[project]\nname = "{REGISTRY_ID}"\nversion = "{version}"\n'
    )
    (folder / ".tracking").write_text("__init__.py\npyproject.toml\n")
    (folder / "__init__.py").write_text("NODE_CLASS_MAPPINGS = {}\n")
    return folder


def ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body["items"]]


def marks(body: dict[str, Any]) -> dict[str, tuple[bool, bool]]:
    return {item["id"]: (item["installed"], item["disabled"]) for item in body["items"]}


@pytest.fixture
def pack(tmp_path: Path, data_dir: Path, custom_nodes: Path) -> Pack:
    """The sample catalogue and a Registry pack (known by its id, under another repository
    name), with its own custom_nodes folder."""
    url = "https://github.com/someone/Registry-Pack-Repo"
    registry = Resource(
        "reg-pack",
        "Registry Pack",
        url,
        "tools",
        "node-pack",
        pack_id=REGISTRY_ID,
        source="registry",
        canonical_url=canonical_url(url),
    )
    found = FunctionSource("registry", lambda: "1", lambda: SourceResult("registry", (registry,)))
    made = Pack(user_dir=tmp_path / "user", data_dir=data_dir, custom_nodes=[custom_nodes])
    made.store.set_sources([*made.store.sources, found])
    return made


class TestDisabledMarks:
    """Every resource says whether it is disabled; an installed pack may be."""

    def test_nothing_disabled(self, api: LiveServer) -> None:
        body = api.get("/resources").json()
        assert [item["disabled"] for item in body["items"]] == [False] * (len(ALL_IDS) + 1)
        assert list(body["items"][0])[-3:] == ["favorite", "installed", "disabled"]
        assert api.get("/resources", params={"disabled": "1"}).json()["total"] == 0

    def test_disabled_packs_are_installed_and_disabled(
        self, api: LiveServer, custom_nodes: Path
    ) -> None:
        git_clone(custom_nodes / ".disabled" / "video-helper", "git@github.com:example/x.git")
        registry_install(custom_nodes / ".disabled" / f"{REGISTRY_ID}@1_0_2", "1.0.2")
        git_clone(custom_nodes / "AnimateDiff", "https://github.com/example/animatediff.git")
        body = api.get("/resources").json()
        assert {k: v for k, v in marks(body).items() if v[0]} == {
            "video-helper": (True, True),
            "animate-diff": (True, False),
            "reg-pack": (True, True),
        }
        single = api.get("/resources/reg-pack").json()
        assert (single["installed"], single["disabled"]) == (True, True)
        assert api.get("/resources/animate-diff").json()["disabled"] is False

    def test_an_enabled_registry_install(self, api: LiveServer, custom_nodes: Path) -> None:
        """A top-level Registry install is found by its pyproject's name, and is enabled."""
        registry_install(custom_nodes / "RegPack", "1.1.0")
        registry_install(custom_nodes / ".disabled" / f"{REGISTRY_ID}@1_0_0", "1.0.0")
        assert marks(api.get("/resources", params={"installed": "1"}).json()) == {
            "reg-pack": (True, False)
        }

    @pytest.mark.parametrize("value", ["1", "true"])
    def test_disabled_only(self, api: LiveServer, custom_nodes: Path, value: str) -> None:
        git_clone(custom_nodes / ".disabled" / "video-helper", "https://example.org/vh.git")
        (custom_nodes / "AnimateDiff.disabled").mkdir()  # an older Manager's way
        (custom_nodes / "registry-pack-repo").mkdir()  # named like its repository
        body = api.get("/resources", params={"disabled": value}).json()
        assert (ids(body), body["total"]) == (["video-helper", "animate-diff"], 2)
        installed = api.get("/resources", params={"installed": "1"}).json()
        assert ids(installed) == ["video-helper", "animate-diff", "reg-pack"]
        assert ids(api.get("/resources", params={"disabled": "0"}).json()) == [*ALL_IDS, "reg-pack"]

    def test_disabled_and_favourite(self, api: LiveServer, custom_nodes: Path) -> None:
        (custom_nodes / ".disabled" / "video-helper").mkdir(parents=True)
        (custom_nodes / ".disabled" / "animatediff").mkdir()
        api.put("/user/favorites", json={"ids": ["animate-diff", "wan-model"]})
        params = {"disabled": "1", "favorites": "1", "installed": "1"}
        assert ids(api.get("/resources", params=params).json()) == ["animate-diff"]

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ([("disabled", "yes")], "must be 0 or 1"),
            ([("disabled", "1"), ("disabled", "0")], "is given more than once"),
        ],
    )
    def test_bad_values(self, api: LiveServer, params: list[tuple[str, str]], message: str) -> None:
        reply = api.get("/resources", params=params)
        assert (reply.status, reply.json()) == (
            400,
            {"error": {"status": 400, "message": message, "param": "disabled"}},
        )


class TestEtag:
    """Disabling, enabling or removing a disabled pack changes the answer's ETag."""

    def test_disabling_a_pack(self, api: LiveServer, custom_nodes: Path) -> None:
        git_clone(custom_nodes / "video-helper", "https://github.com/example/video-helper")
        etag = api.get("/resources").headers["ETag"]
        assert api.get("/resources", headers={"If-None-Match": etag}).status == 304
        # the Manager's unified_disable of a pack it does not know in the Registry
        (custom_nodes / ".disabled").mkdir()
        shutil.move(custom_nodes / "video-helper", custom_nodes / ".disabled" / "video-helper")
        again = api.get("/resources", headers={"If-None-Match": etag})
        assert again.status == 200
        assert again.headers["ETag"] != etag
        assert marks(again.json())["video-helper"] == (True, True)

    def test_removing_one_disabled_version(self, api: LiveServer, custom_nodes: Path) -> None:
        """A change inside .disabled/ alone (custom_nodes itself unchanged) is seen."""
        registry_install(custom_nodes / "comfyui-reg-pack", "1.1.0")
        old = registry_install(custom_nodes / ".disabled" / f"{REGISTRY_ID}@1_0_0", "1.0.0")
        shutil.rmtree(custom_nodes / "comfyui-reg-pack")
        first = api.get("/resources", params={"disabled": "1"})
        assert ids(first.json()) == ["reg-pack"]
        shutil.rmtree(old)
        again = api.get("/resources", headers={"If-None-Match": first.headers["ETag"]})
        assert again.status == 200
        assert ids(api.get("/resources", params={"disabled": "1"}).json()) == []

    def test_the_disabled_filter_is_part_of_the_etag(
        self, api: LiveServer, custom_nodes: Path
    ) -> None:
        (custom_nodes / ".disabled" / "video-helper").mkdir(parents=True)
        everything = api.get("/resources").headers["ETag"]
        only = api.get("/resources", params={"disabled": "1"}).headers["ETag"]
        assert everything != only
        assert api.get("/resources", headers={"If-None-Match": everything}).status == 304


class TestPackMarks:
    """The pack matches the catalogue once per catalogue and folder state."""

    def test_kept_while_nothing_changes(self, pack: Pack, custom_nodes: Path) -> None:
        (custom_nodes / ".disabled" / "video-helper").mkdir(parents=True)
        catalog = pack.catalog()
        first = pack.installed_marks(catalog)
        assert first == (frozenset({"video-helper"}), frozenset({"video-helper"}))
        assert pack.installed_marks(catalog) is first
        assert pack.installed_ids(catalog) == frozenset({"video-helper"})
        (custom_nodes / ".disabled" / "video-helper").rename(custom_nodes / "video-helper")
        assert pack.installed_marks(catalog) == (frozenset({"video-helper"}), frozenset())

    def test_a_new_start_reads_them_back(
        self, pack: Pack, custom_nodes: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The next start with the same catalogue and custom_nodes does not match again; a
        changed custom_nodes does."""
        (custom_nodes / ".disabled" / "video-helper").mkdir(parents=True)
        first = pack.installed_marks(pack.catalog())
        again = Pack(user_dir=pack.user_dir, data_dir=pack._data_dir, custom_nodes=[custom_nodes])
        again.store.set_sources(pack.store.sources)
        matched: list[int] = []
        real = InstalledIndex.marks_for
        monkeypatch.setattr(
            InstalledIndex, "marks_for", lambda self, r: matched.append(1) or real(self, r)
        )
        assert again.installed_marks(again.catalog()) == first
        assert matched == []
        (custom_nodes / ".disabled" / "video-helper").rename(custom_nodes / "video-helper")
        later = Pack(user_dir=pack.user_dir, data_dir=pack._data_dir, custom_nodes=[custom_nodes])
        later.store.set_sources(pack.store.sources)
        assert later.installed_marks(later.catalog()) == (frozenset({"video-helper"}), frozenset())
        assert matched == [1]
