"""Installed packs as ComfyUI-Manager (v3.41) lays them out: disabled ones in
``custom_nodes/.disabled/`` (Registry packs as ``<id>@<version, '.' as '_'>``), the older
``<name>.disabled`` folders, and Registry installs with a ``.tracking`` file and no git.
Every tree is real folders and files in a temporary folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nodes.app import service
from nodes.core.catalog import Catalog
from nodes.core.model import Category, Resource
from nodes.core.query import Query
from nodes.sources.installed import InstalledIndex, InstalledPack, scan, scan_custom_nodes

KJ_REMOTE = "https://github.com/kijai/ComfyUI-KJNodes.git"
IMPACT_REMOTE = "git@github.com:ltdrdata/ComfyUI-Impact-Pack.git"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def git_pack(folder: Path, remote: str) -> Path:
    """A clone as git leaves it: a ``.git`` folder whose config names the origin."""
    write(
        folder / ".git" / "config",
        "[core]\n\trepositoryformatversion = 0\n"
        f'[remote "origin"]\n\turl = {remote}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n',
    )
    write(folder / "__init__.py", "NODE_CLASS_MAPPINGS = {}\n")
    return folder


def registry_pack(folder: Path, pack_id: str, version: str, repository: str = "") -> Path:
    """A Registry install as the Manager unzips it: no ``.git``, a ``.tracking`` file listing
    the files, and the ``pyproject.toml`` whose ``[project].name`` is the Registry id."""
    urls = f'[project.urls]\nRepository = "{repository}"\n' if repository else ""
    write(
        folder / "pyproject.toml",
        f'[project]\nname = "{pack_id}"\nversion = "{version}"\n{urls}'
        '[tool.comfy]\nPublisherId = "someone"\n',
    )
    write(folder / "__init__.py", "NODE_CLASS_MAPPINGS = {}\n")
    write(folder / ".tracking", "__init__.py\npyproject.toml\n")
    return folder


def node_pack(rid: str, url: str, pack_id: str = "", kind: str = "node-pack") -> Resource:
    return Resource(rid, rid.title(), url, "tools", kind, pack_id=pack_id)


@pytest.fixture
def custom_nodes(tmp_path: Path) -> Path:
    """A custom_nodes folder with enabled, disabled and Registry packs."""
    root = tmp_path / "custom_nodes"
    git_pack(root / "ComfyUI-KJNodes", KJ_REMOTE)
    registry_pack(root / "comfyui-easy-use", "comfyui-easy-use", "1.3.0")
    git_pack(root / ".disabled" / "ComfyUI-Impact-Pack", IMPACT_REMOTE)
    registry_pack(
        root / ".disabled" / "comfyui-videohelpersuite@1_0_2",
        "comfyui-videohelpersuite",
        "1.0.2",
        "https://github.com/Kosinkadink/ComfyUI-VideoHelperSuite",
    )
    registry_pack(root / ".disabled" / "comfyui-rgthree@1.0.2", "ComfyUI-RGThree", "1.0.2")
    git_pack(root / ".disabled" / "comfyui-nightly@nightly", "https://github.com/n/Nightly-Pack")
    git_pack(root / "Legacy.disabled", "https://github.com/old/Legacy")
    return root


class TestScanDisabled:
    """``.disabled/`` and ``*.disabled`` folders are read as disabled packs."""

    def test_tree(self, custom_nodes: Path) -> None:
        """Enabled packs first, then those in .disabled/, each with what its files say."""
        index = scan_custom_nodes(custom_nodes)
        assert [(p.folder, p.name, p.project_name, p.disabled) for p in index.packs] == [
            ("ComfyUI-KJNodes", "ComfyUI-KJNodes", "", False),
            ("Legacy.disabled", "Legacy", "", True),
            ("comfyui-easy-use", "comfyui-easy-use", "comfyui-easy-use", False),
            (".disabled/ComfyUI-Impact-Pack", "ComfyUI-Impact-Pack", "", True),
            (".disabled/comfyui-nightly@nightly", "comfyui-nightly", "", True),
            (".disabled/comfyui-rgthree@1.0.2", "comfyui-rgthree", "ComfyUI-RGThree", True),
            (
                ".disabled/comfyui-videohelpersuite@1_0_2",
                "comfyui-videohelpersuite",
                "comfyui-videohelpersuite",
                True,
            ),
        ]
        impact = index.packs[3]
        assert impact.urls == ("https://github.com/ltdrdata/comfyui-impact-pack",)
        assert impact.path == str((custom_nodes / ".disabled" / "ComfyUI-Impact-Pack").resolve())
        assert index.problems == ()

    def test_to_dict_says_disabled(self, tmp_path: Path) -> None:
        git_pack(tmp_path / ".disabled" / "A", "https://github.com/a/A")
        assert scan_custom_nodes(tmp_path).to_dict()["packs"] == [
            {
                "folder": ".disabled/A",
                "path": str((tmp_path / ".disabled" / "A").resolve()),
                "urls": ["https://github.com/a/a"],
                "project_name": "",
                "disabled": True,
            }
        ]

    def test_what_is_not_a_pack_in_disabled(self, tmp_path: Path) -> None:
        """Caches, hidden folders and files in .disabled/ are skipped, as at the top; problems
        name their path under .disabled/."""
        hidden = tmp_path / ".disabled"
        (hidden / "__pycache__").mkdir(parents=True)
        git_pack(hidden / ".git-stash", "https://github.com/h/Hidden")
        write(hidden / "single_file.py.disabled", "NODE_CLASS_MAPPINGS = {}\n")
        write(hidden / ".disabled" / "Nested" / "__init__.py", "")
        write(hidden / "Broken" / "pyproject.toml", "[project\n")
        index = scan_custom_nodes(tmp_path)
        assert [p.folder for p in index.packs] == [".disabled/Broken"]
        assert [str(p).replace(str(tmp_path), "<root>") for p in index.problems] == [
            "<root>/.disabled/Broken/pyproject.toml: pyproject: is not valid TOML "
            "(Expected ']' at the end of a table declaration (at line 1, column 9))"
        ]

    def test_a_linked_pack_in_disabled_is_read(self, tmp_path: Path) -> None:
        """As at the top, a pack folder that is a link is followed."""
        real = git_pack(tmp_path / "checkouts" / "Linked", "https://github.com/l/Linked")
        root = tmp_path / "custom_nodes"
        (root / ".disabled").mkdir(parents=True)
        (root / ".disabled" / "Linked").symlink_to(real, target_is_directory=True)
        index = scan_custom_nodes(root)
        assert [(p.folder, p.path, p.disabled) for p in index.packs] == [
            (".disabled/Linked", str(real.resolve()), True)
        ]

    def test_a_linked_disabled_folder_is_not_followed(self, tmp_path: Path) -> None:
        """.disabled is no pack folder: a link there is reported, not read."""
        elsewhere = tmp_path / "elsewhere"
        git_pack(elsewhere / "Pack", "https://github.com/p/Pack")
        root = tmp_path / "custom_nodes"
        root.mkdir()
        (root / ".disabled").symlink_to(elsewhere, target_is_directory=True)
        index = scan_custom_nodes(root)
        assert index.packs == ()
        assert [str(p) for p in index.problems] == [
            f"{root / '.disabled'}: folder: is a symbolic link; not followed"
        ]

    def test_a_disabled_file_is_ignored(self, tmp_path: Path) -> None:
        """A file named .disabled holds no packs (and ComfyUI loads no hidden name)."""
        write(tmp_path / ".disabled", "not a folder\n")
        index = scan_custom_nodes(tmp_path)
        assert (index.packs, index.problems) == ((), ())

    def test_the_folder_limit_counts_both_places(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """MAX_FOLDERS bounds the packs of one custom_nodes folder, .disabled/ included."""
        monkeypatch.setattr(scan, "MAX_FOLDERS", 3)
        for name in ("a", "b", ".disabled/c", ".disabled/d"):
            (tmp_path / name).mkdir(parents=True)
        index = scan_custom_nodes(tmp_path)
        assert len(index.packs) == 3
        assert [str(p) for p in index.problems] == [
            f"{tmp_path / '.disabled'}: folder: makes its custom_nodes hold more than 3 folders; "
            "the rest were not read"
        ]

    @pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder")
    def test_an_unreadable_disabled_folder_is_a_problem(self, tmp_path: Path) -> None:
        (tmp_path / ".disabled" / "p").mkdir(parents=True)
        (tmp_path / ".disabled").chmod(0)
        try:
            index = scan_custom_nodes(tmp_path)
        finally:
            (tmp_path / ".disabled").chmod(0o755)
        assert [p.message for p in index.problems] == ["cannot be read: Permission denied"]


class TestMatching:
    """A resource matches by URL, by Registry id (pyproject name or folder), by repository
    name; enabled packs before disabled ones."""

    @pytest.fixture
    def index(self, custom_nodes: Path) -> InstalledIndex:
        return scan_custom_nodes(custom_nodes)

    @pytest.mark.parametrize(
        ("resource", "folder"),
        [
            pytest.param(
                node_pack("impact", "https://github.com/ltdrdata/ComfyUI-Impact-Pack"),
                ".disabled/ComfyUI-Impact-Pack",
                id="disabled-git-by-url",
            ),
            pytest.param(
                node_pack("vhs", "https://github.com/kosinkadink/comfyui-videohelpersuite"),
                ".disabled/comfyui-videohelpersuite@1_0_2",
                id="disabled-registry-by-pyproject-url",
            ),
            pytest.param(
                node_pack("easy", "https://github.com/yolain/ComfyUI-Easy-Use", "comfyui-easy-use"),
                "comfyui-easy-use",
                id="registry-by-project-name",
            ),
            pytest.param(
                node_pack("rg", "https://github.com/rgthree/rgthree-comfy", "comfyui-rgthree"),
                ".disabled/comfyui-rgthree@1.0.2",
                id="project-name-any-case",
            ),
            pytest.param(
                node_pack("kj", "https://github.com/fork/KJ-Fork", "ComfyUI-KJNodes"),
                "ComfyUI-KJNodes",
                id="pack-id-is-the-folder-name",
            ),
            pytest.param(
                node_pack("nightly", "https://example.org/nightly", "comfyui-nightly"),
                ".disabled/comfyui-nightly@nightly",
                id="pack-id-is-the-disabled-folder-name",
            ),
            pytest.param(
                node_pack("legacy", "https://gitlab.com/other/Legacy"),
                "Legacy.disabled",
                id="legacy-disabled-by-repository-name",
            ),
            pytest.param(
                node_pack("other", "https://github.com/x/Unknown", "unknown-id"), None, id="none"
            ),
        ],
    )
    def test_pack_for(self, index: InstalledIndex, resource: Resource, folder: str | None) -> None:
        found = index.pack_for(resource)
        assert (found.folder if found is not None else None) == folder

    def test_project_name_matches_any_pack(self, tmp_path: Path) -> None:
        """A git clone with a pyproject is found by its Registry id too (no .tracking needed)."""
        folder = git_pack(tmp_path / "some-folder", "https://example.org/mirror/pack.git")
        write(folder / "pyproject.toml", '[project]\nname = "the-id"\n')
        resource = node_pack("r", "https://github.com/o/elsewhere", "THE-ID")
        assert scan_custom_nodes(tmp_path).marks_for([resource]) == (
            frozenset({"r"}),
            frozenset(),
        )

    def test_an_enabled_copy_wins(self, tmp_path: Path) -> None:
        """A Registry pack enabled at one version and disabled at another is loaded."""
        registry_pack(tmp_path / "comfyui-kjnodes", "comfyui-kjnodes", "1.1.0")
        registry_pack(tmp_path / ".disabled" / "comfyui-kjnodes@1_0_0", "comfyui-kjnodes", "1.0.0")
        git_pack(tmp_path / ".disabled" / "ComfyUI-KJNodes", KJ_REMOTE)
        resource = node_pack("kj", "https://github.com/kijai/ComfyUI-KJNodes", "comfyui-kjnodes")
        index = scan_custom_nodes(tmp_path)
        assert index.pack_for(resource) == index.packs[0]
        assert index.marks_for([resource]) == (frozenset({"kj"}), frozenset())

    def test_marks_for(self, index: InstalledIndex) -> None:
        """Installed ids include the disabled ones; only node packs are marked."""
        resources = [
            node_pack("kj", "https://github.com/kijai/ComfyUI-KJNodes"),
            node_pack("impact", "https://github.com/ltdrdata/ComfyUI-Impact-Pack"),
            node_pack("vhs", "https://github.com/a/b", "comfyui-videohelpersuite"),
            node_pack("model", "https://github.com/ltdrdata/ComfyUI-Impact-Pack", kind="model"),
            node_pack("other", "https://github.com/x/Unknown"),
        ]
        assert index.marks_for(resources) == (
            frozenset({"kj", "impact", "vhs"}),
            frozenset({"impact", "vhs"}),
        )
        assert index.installed_ids(resources) == frozenset({"kj", "impact", "vhs"})
        assert index.is_installed(resources[1])

    def test_name_of_a_pack(self) -> None:
        """The Manager's name for a folder: no @version in .disabled/, no legacy suffix."""
        names = [
            InstalledPack(folder, "").name
            for folder in (".disabled/a@1_0_2", ".disabled/b", "c.disabled", "d@1", "e")
        ]
        assert names == ["a", "b", "c", "d@1", "e"]


class TestDisabledMarks:
    """The service marks and narrows searches by the disabled packs."""

    @pytest.fixture
    def catalog(self) -> Catalog:
        resources = [
            node_pack(rid, f"https://github.com/o/{rid}") for rid in ("on", "off", "other")
        ]
        return Catalog(resources, [Category("tools", "Tools")])

    def test_every_item_says_whether_it_is_disabled(self, catalog: Catalog) -> None:
        marks = service.Marks(frozenset({"on", "off"}), None, frozenset({"off"}))
        items = service.search(catalog, Query(sort="name"), marks).to_dict()["items"]
        assert [(i["id"], i["installed"], i["disabled"]) for i in items] == [
            ("off", True, True),
            ("on", True, False),
            ("other", False, False),
        ]
        assert list(items[0])[-2:] == ["installed", "disabled"]

    def test_disabled_only(self, catalog: Catalog) -> None:
        marks = service.Marks(frozenset({"on", "off"}), ("on", "off"), frozenset({"off"}))
        only = service.search(catalog, Query(), marks, disabled_only=True)
        assert [r.id for r in only.result.items] == ["off"]
        both = service.search(catalog, Query(), marks, installed_only=True, disabled_only=True)
        assert [r.id for r in both.result.items] == ["off"]
        narrowed = service.narrow(Query(), marks, favorites_only=True, disabled_only=True)
        assert narrowed.ids == frozenset({"off"})

    def test_nothing_disabled_by_default(self, catalog: Catalog) -> None:
        marks = service.Marks(frozenset({"on"}))
        assert marks.disabled == frozenset()
        assert service.search(catalog, Query(), marks, disabled_only=True).result.total == 0
