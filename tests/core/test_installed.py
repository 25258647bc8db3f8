"""Which node packs are installed, read from real custom_nodes trees in temporary folders."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nodes.core.model import Problem, Resource
from nodes.core.urls import canonical_url
from nodes.sources.installed import (
    InstalledIndex,
    InstalledPack,
    git_remote_urls,
    load_toml,
    project_info,
    pyproject,
    read_minimal_toml,
    remote_to_url,
    repository_name,
    scan,
    scan_custom_nodes,
    scan_folders,
)

LINUX_PROC = Path("/proc/self/status").exists()


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def git_config(*remotes: tuple[str, str]) -> str:
    body = "[core]\n\trepositoryformatversion = 0\n\tbare = false\n"
    for name, url in remotes:
        body += f'[remote "{name}"]\n\turl = {url}\n\tfetch = +refs/heads/*:refs/remotes/{name}/*\n'
    return body + '[branch "main"]\n\tremote = origin\n\tmerge = refs/heads/main\n'


def pack(root: Path, name: str, remote: str | None = None, pyproject: str | None = None) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    if remote is not None:
        write(folder / ".git" / "config", git_config(("origin", remote)))
    if pyproject is not None:
        write(folder / "pyproject.toml", pyproject)
    return folder


def resource(url: str, install_url: str = "", rid: str = "r") -> Resource:
    return Resource(rid, "R", url, "tools", "node-pack", install_url=install_url)


def messages(index: InstalledIndex, root: Path) -> list[str]:
    return [str(p).replace(str(root), "<root>") for p in index.problems]


class TestRemoteToUrl:
    """Git remotes in every common spelling become one canonical https URL."""

    @pytest.mark.parametrize(
        ("remote", "url"),
        [
            (
                "https://github.com/Kijai/ComfyUI-KJNodes.git",
                "https://github.com/kijai/comfyui-kjnodes",
            ),
            ("http://github.com/kijai/ComfyUI-KJNodes", "https://github.com/kijai/comfyui-kjnodes"),
            (
                "git@github.com:Kijai/ComfyUI-KJNodes.git",
                "https://github.com/kijai/comfyui-kjnodes",
            ),
            ("github.com:kijai/ComfyUI-KJNodes", "https://github.com/kijai/comfyui-kjnodes"),
            (
                "ssh://git@github.com/kijai/ComfyUI-KJNodes.git",
                "https://github.com/kijai/comfyui-kjnodes",
            ),
            (
                "ssh://git@github.com:22/kijai/ComfyUI-KJNodes",
                "https://github.com/kijai/comfyui-kjnodes",
            ),
            (
                "git://github.com/kijai/ComfyUI-KJNodes.git",
                "https://github.com/kijai/comfyui-kjnodes",
            ),
            (
                "git+https://github.com/kijai/ComfyUI-KJNodes",
                "https://github.com/kijai/comfyui-kjnodes",
            ),
            # pragma: allowlist nextline secret
            ("  https://user:s3cret@github.com/a/b.git  ", "https://github.com/a/b"),
            (
                "https://git.example.org:8443/team/Pack.git",
                "https://git.example.org:8443/team/Pack",
            ),
            ("https://git.example.org:/team/pack", "https://git.example.org/team/pack"),
            ("git@gitlab.com:group/sub/pack.git", "https://gitlab.com/group/sub/pack"),
            ("/srv/git/pack.git", None),
            ("../pack.git", None),
            ("file:///srv/git/pack.git", None),
            ("C:/repos/pack", None),
            ("ftp://example.org/pack", None),
            ("git@bad_host!:a/b", None),
            ("https://[::1]/a/b", None),
            ("", None),
        ],
    )
    def test_forms(self, remote: str, url: str | None) -> None:
        """https, ssh, scp-like and git forms agree; local paths and odd forms give None."""
        assert remote_to_url(remote) == url

    @given(st.text(max_size=200))
    def test_never_raises(self, remote: str) -> None:
        """Whatever a config holds, the answer is a valid URL or None."""
        url = remote_to_url(remote)
        assert url is None or url.startswith("https://")

    @given(
        st.from_regex(r"[A-Za-z0-9][A-Za-z0-9-]{0,20}", fullmatch=True),
        st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,30}", fullmatch=True),
    )
    def test_spellings_agree(self, owner: str, repo: str) -> None:
        """The ssh, scp-like and https spellings of one GitHub repository are one URL."""
        forms = {
            remote_to_url(f"git@github.com:{owner}/{repo}.git"),
            remote_to_url(f"ssh://git@github.com/{owner}/{repo}"),
            remote_to_url(f"https://github.com/{owner}/{repo}.git"),
        }
        assert len(forms) == 1


class TestGitRemoteUrls:
    """The url lines of remote sections, read from git's INI-like config by hand."""

    def test_origin_first(self) -> None:
        """Origin comes first, then the other remotes in file order."""
        config = git_config(("upstream", "u1"), ("origin", "o"), ("fork", "f"))
        assert git_remote_urls(config) == ["o", "u1", "f"]

    @pytest.mark.parametrize(
        ("config", "urls"),
        [
            ('[remote "origin"]\nurl = "https://x.org/a b" ; comment\n', ["https://x.org/a b"]),
            ('[remote "origin"]\n\tURL=https://x.org/a # comment\n', ["https://x.org/a"]),
            (
                '[remote "origin"]\n\turl = https://x.org/\\"q\\"\\t\\n\\\\\n',
                ['https://x.org/"q"\t\n\\'],
            ),
            ("[remote.origin]\n\turl = https://x.org/old\n", ["https://x.org/old"]),
            ('[remote "origin"] # c\n\turl\n\turl =\n\turl = ; only comment\n', []),
            ('[submodule "x"]\n\turl = https://x.org/sub\n[core]\n\turl = no\n', []),
            ('[remote "a"]\n\turl = one\n\turl = two\n[remote]\n\turl = none\n', ["one", "two"]),
            ("url = https://x.org/outside\n", []),
        ],
    )
    def test_config_forms(self, config: str, urls: list[str]) -> None:
        """Quotes, comments, escapes, old section names and other sections are handled."""
        assert git_remote_urls(config) == urls

    @given(st.text(max_size=300))
    def test_never_raises(self, config: str) -> None:
        """Any text reads as a list of non-empty values."""
        assert all(git_remote_urls(config))


class TestRepositoryName:
    """The folder a clone gets is named after the repository."""

    @pytest.mark.parametrize(
        ("url", "name"),
        [
            ("https://github.com/kijai/ComfyUI-KJNodes", "ComfyUI-KJNodes"),
            ("https://www.github.com/a/b.git", "b"),
            ("https://gitlab.com/group/sub/Pack.git", "Pack"),
            ("https://codeberg.org/a/b/", "b"),
            ("https://gitlab.com/justgroup", ""),
            ("https://huggingface.co/org/model", ""),
            ("not a url", ""),
        ],
    )
    def test_names(self, url: str, name: str) -> None:
        """GitHub, GitLab, Codeberg and Bitbucket URLs name a repository; others do not."""
        assert repository_name(url) == name


class TestScan:
    """A fake custom_nodes tree with every kind of folder ComfyUI may find."""

    def test_tree(self, tmp_path: Path) -> None:
        """Packs are read from git configs, gitdir files and pyprojects; the rest is skipped.

        ``Old.disabled`` is a pack an older ComfyUI-Manager disabled in place."""
        root = tmp_path / "custom_nodes"
        pack(root, "ComfyUI-KJNodes", remote="git@github.com:kijai/ComfyUI-KJNodes.git")
        pack(
            root,
            "registry-pack",
            pyproject=(
                '[project]\nname = "registry-pack"\n[project.urls]\n'
                'Repository = "https://github.com/Someone/Registry-Pack"\n'
                'Documentation = "https://docs.example.org"\nHomepage = "not a url"\n'
            ),
        )
        pack(root, "plain-folder")
        pack(root, "Old.disabled", remote="https://github.com/old/Old")
        pack(root, ".hidden", remote="https://github.com/h/hidden")
        pack(root, "__pycache__")
        write(root / "single_file.py", "NODE_CLASS_MAPPINGS = {}\n")
        # a submodule: .git is a file pointing into the superproject's git directory
        sub = pack(root, "submodule-pack")
        write(sub / ".git", "gitdir: ../../.git/modules/submodule-pack\n")
        write(
            tmp_path / ".git" / "modules" / "submodule-pack" / "config",
            git_config(("origin", "https://github.com/sub/Submodule-Pack.git")),
        )
        # a worktree: its gitdir has a commondir that leads to the main repository's config
        main_git = tmp_path / "elsewhere" / "main-repo" / ".git"
        write(main_git / "config", git_config(("origin", "https://github.com/wt/Worktree")))
        write(main_git / "worktrees" / "wt" / "commondir", "../..\n")
        worktree = pack(root, "worktree-pack")
        write(worktree / ".git", f"gitdir: {main_git / 'worktrees' / 'wt'}\n")

        index = scan_custom_nodes(root)
        assert [(p.folder, p.urls, p.project_name, p.disabled) for p in index.packs] == [
            ("ComfyUI-KJNodes", ("https://github.com/kijai/comfyui-kjnodes",), "", False),
            ("Old.disabled", ("https://github.com/old/old",), "", True),
            ("plain-folder", (), "", False),
            (
                "registry-pack",
                ("https://github.com/someone/registry-pack",),
                "registry-pack",
                False,
            ),
            ("submodule-pack", ("https://github.com/sub/submodule-pack",), "", False),
            ("worktree-pack", ("https://github.com/wt/worktree",), "", False),
        ]
        assert index.problems == ()
        assert index.folders == (str(root),)
        assert len(index) == 6

    def test_symlinked_pack_is_read(self, tmp_path: Path) -> None:
        """A pack linked in from elsewhere is resolved and read like any other."""
        real = pack(
            tmp_path / "checkouts",
            "Linked",
            remote="https://github.com/l/Linked",
            pyproject='[project]\nname = "linked"\n[project.urls]\n'
            'Source = "https://github.com/l/Linked"\n',
        )
        (tmp_path / "custom_nodes").mkdir()
        (tmp_path / "custom_nodes" / "Linked").symlink_to(real, target_is_directory=True)
        index = scan_custom_nodes(tmp_path / "custom_nodes")
        assert index.packs == (
            InstalledPack(
                "Linked", str(real.resolve()), ("https://github.com/l/linked",), "linked"
            ),
        )

    def test_symlinked_files_are_not_followed(self, tmp_path: Path) -> None:
        """Links inside a pack (to its git config, .git or pyproject) are reported, not read."""
        secret = write(tmp_path / "outside" / "config", git_config(("origin", "https://x.org/s")))
        root = tmp_path / "custom_nodes"
        one = pack(root, "one")
        (one / ".git").mkdir()
        (one / ".git" / "config").symlink_to(secret)
        (one / "pyproject.toml").symlink_to(secret)
        two = pack(root, "two")
        (two / ".git").symlink_to(secret.parent, target_is_directory=True)
        os.mkfifo(pack(root, "three") / ".git")
        index = scan_custom_nodes(root)
        assert [p.urls for p in index.packs] == [(), (), ()]
        assert messages(index, tmp_path) == [
            "<root>/custom_nodes/one/.git/config: git: is a symbolic link; not followed",
            "<root>/custom_nodes/one/pyproject.toml: pyproject: is a symbolic link; not followed",
            "<root>/custom_nodes/three/.git: git: is neither a folder nor a file; not followed",
            "<root>/custom_nodes/two/.git: git: is a symbolic link; not followed",
        ]

    def test_broken_things_are_reported(self, tmp_path: Path) -> None:
        """Bad files become problems with the file's path; the scan goes on."""
        root = tmp_path / "custom_nodes"
        write(pack(root, "a-bad-toml") / "pyproject.toml", "[project\nname = 1\n")
        write(pack(root, "b-not-utf8") / ".git" / "config", b'[remote "origin"]\n\turl = \xff\n')
        write(pack(root, "c-too-big") / "pyproject.toml", "#" * (256 * 1024 + 1))
        write(pack(root, "d-no-gitdir") / ".git", "nothing useful\n")
        write(pack(root, "e-empty-git-file") / ".git", "")
        write(pack(root, "e-binary-git-file") / ".git", b"gitdir: \xfe\n")
        write(pack(root, "f-gitdir-missing") / ".git", "gitdir: ../nowhere\n")
        pack(root, "g-no-config").joinpath(".git").mkdir()
        write(pack(root, "h-deep-toml") / "pyproject.toml", "a = " + "[" * 100_000)
        gitdir_file = pack(root, "i-commondir-not-folder")
        write(gitdir_file / ".git", "gitdir: plainfile\n")
        write(gitdir_file / "plainfile", "x")
        (pack(root, "j-fifo") / "pyproject.toml").parent.mkdir(exist_ok=True)
        os.mkfifo(root / "j-fifo" / "pyproject.toml")
        (root / "k-broken-link").symlink_to(tmp_path / "missing", target_is_directory=True)
        (root / "l-loop-a").symlink_to(root / "l-loop-b")
        (root / "l-loop-b").symlink_to(root / "l-loop-a")
        index = scan_custom_nodes(root)
        problems = messages(index, tmp_path)
        assert sorted(problems) == sorted(
            [
                "<root>/custom_nodes/a-bad-toml/pyproject.toml: pyproject: is not valid TOML "
                "(Expected ']' at the end of a table declaration (at line 1, column 9))",
                "<root>/custom_nodes/b-not-utf8/.git/config: git: is not UTF-8 text "
                "(invalid start byte at byte 25)",
                "<root>/custom_nodes/c-too-big/pyproject.toml: pyproject: is 262145 bytes; "
                "the limit is 262144",
                "<root>/custom_nodes/d-no-gitdir/.git: git: is a file without a "
                "'gitdir: <path>' line",
                "<root>/custom_nodes/e-empty-git-file/.git: git: is a file without a "
                "'gitdir: <path>' line",
                "<root>/custom_nodes/e-binary-git-file/.git: git: is not UTF-8 text (invalid start "
                "byte at byte 8)",
                "<root>/custom_nodes/f-gitdir-missing/../nowhere/config: git: does not exist",
                "<root>/custom_nodes/g-no-config/.git/config: git: does not exist",
                "<root>/custom_nodes/h-deep-toml/pyproject.toml: pyproject: is nested too deeply "
                "to read",
                "<root>/custom_nodes/i-commondir-not-folder/plainfile/commondir: git: cannot be "
                "read: Not a directory",
                "<root>/custom_nodes/i-commondir-not-folder/plainfile/config: git: cannot be read: "
                "Not a directory",
                "<root>/custom_nodes/j-fifo/pyproject.toml: pyproject: is not a regular file",
                "<root>/custom_nodes/k-broken-link: folder: is a broken symbolic link",
                "<root>/custom_nodes/l-loop-a: folder: cannot be read: Too many levels of "
                "symbolic links",
                "<root>/custom_nodes/l-loop-b: folder: cannot be read: Too many levels of "
                "symbolic links",
            ]
        )
        assert len(index.packs) == 11

    @pytest.mark.skipif(sys.platform != "linux", reason="relies on Linux's 4096-byte path limit")
    def test_paths_too_long_are_reported(self, tmp_path: Path) -> None:
        """A pack whose files' paths are too long for the system is reported, not read."""
        root = tmp_path / "custom_nodes"
        deep = tmp_path / "deep"
        while 4092 - len(str(deep)) - 1 > 255:
            deep = deep / ("d" * 200)
        target = deep / ("p" * (4092 - len(str(deep)) - 1))
        target.mkdir(parents=True)
        root.mkdir()
        assert len(str(target)) == 4092
        (root / "long").symlink_to(target, target_is_directory=True)
        index = scan_custom_nodes(root)
        assert [p.folder for p in index.packs] == ["long"]
        assert [(p.field, p.message) for p in index.problems] == [
            ("git", "cannot be read: File name too long"),
            ("pyproject", "cannot be read: File name too long"),
        ]

    @pytest.mark.parametrize(
        ("make", "message"),
        [
            (lambda tmp: tmp / "missing", "does not exist"),
            (lambda tmp: write(tmp / "file.txt", "x"), "is not a folder"),
            (lambda tmp: tmp / ("x" * 5000), "cannot be read: File name too long"),
            (lambda tmp: Path(str(tmp) + "/nul\0byte"), "cannot be read: embedded null byte"),
        ],
    )
    def test_bad_custom_nodes_folder(self, tmp_path: Path, make, message: str) -> None:
        """A custom_nodes folder that is not there or not a folder is one problem, no packs."""
        folder = make(tmp_path)
        index = scan_custom_nodes(folder)
        assert index.packs == ()
        assert index.problems == (Problem(str(folder), None, "folder", message),)

    def test_folder_limit(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Past the folder limit the scan stops and says so."""
        monkeypatch.setattr(scan, "MAX_FOLDERS", 3)
        for name in "abcde":
            pack(tmp_path, name)
        index = scan_custom_nodes(tmp_path)
        assert len(index.packs) == 3
        assert [str(p) for p in index.problems] == [
            f"{tmp_path}: folder: holds more than 3 folders; the rest were not read"
        ]

    def test_several_folders(self, tmp_path: Path) -> None:
        """ComfyUI may have several custom_nodes folders; one index covers them all."""
        pack(tmp_path / "one", "A", remote="https://github.com/a/A")
        pack(tmp_path / "two", "B", remote="https://github.com/b/B")
        index = scan_folders([tmp_path / "one", tmp_path / "two", tmp_path / "three"])
        assert [p.folder for p in index.packs] == ["A", "B"]
        assert index.folders == tuple(str(tmp_path / n) for n in ("one", "two", "three"))
        assert [p.message for p in index.problems] == ["does not exist"]


class TestReadingLimits:
    """Files that change while they are read, or cannot be read at all, are reported."""

    @pytest.mark.skipif(not LINUX_PROC, reason="needs Linux's /proc")
    def test_file_that_outgrows_its_size(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A file that says it is empty but reads longer than the limit is refused."""
        monkeypatch.setattr(scan, "MAX_FILE_BYTES", 100)
        reader = scan._Reader()
        assert reader.read(Path("/proc/self/status"), "git", missing_ok=False) is None
        assert [str(p) for p in reader.problems] == ["/proc/self/status: git: is over 100 bytes"]

    @pytest.mark.skipif(not LINUX_PROC, reason="needs Linux's /proc")
    def test_file_that_fails_to_read(self) -> None:
        """A read error is a problem, not an exception."""
        reader = scan._Reader()
        assert reader.read(Path("/proc/self/mem"), "git", missing_ok=False) is None
        assert [str(p) for p in reader.problems] == [
            "/proc/self/mem: git: cannot be read: Input/output error"
        ]


class TestIsInstalled:
    """Resources are matched by canonical URL, then by folder name."""

    @pytest.fixture
    def index(self, tmp_path: Path) -> InstalledIndex:
        pack(tmp_path, "ComfyUI-KJNodes", remote="git@github.com:Kijai/ComfyUI-KJNodes.git")
        pack(tmp_path, "comfyui-impact-pack")
        pack(
            tmp_path,
            "registry-id",
            pyproject='[project]\nname = "registry-id"\n'
            '[project.urls]\nRepository = "https://github.com/reg/Registry-Pack"\n',
        )
        pack(tmp_path, "gitlab-pack")
        pack(tmp_path, "Moved", remote="https://github.com/old-owner/Moved")
        pack(tmp_path, "Disabled-Pack.disabled", remote="https://github.com/d/Disabled-Pack")
        return scan_custom_nodes(tmp_path)

    @pytest.mark.parametrize(
        ("url", "install_url", "folder"),
        [
            ("https://github.com/kijai/comfyui-kjnodes", "", "ComfyUI-KJNodes"),
            ("http://www.GitHub.com/Kijai/ComfyUI-KJNodes.git/", "", "ComfyUI-KJNodes"),
            (
                "https://kjnodes.example.org",
                "https://github.com/kijai/ComfyUI-KJNodes",
                "ComfyUI-KJNodes",
            ),
            ("https://github.com/ltdrdata/ComfyUI-Impact-Pack", "", "comfyui-impact-pack"),
            ("https://github.com/reg/registry-pack", "", "registry-id"),
            ("https://gitlab.com/group/gitlab-pack", "", "gitlab-pack"),
            ("https://gitlab.com/group/GITLAB-Pack.git", "", "gitlab-pack"),
            ("https://github.com/new-owner/Moved", "", "Moved"),
            ("https://docs.example.org", "https://github.com/x/Moved.git", "Moved"),
            ("https://github.com/d/Disabled-Pack", "", "Disabled-Pack.disabled"),
            ("https://github.com/someone/Other", "", None),
            ("https://huggingface.co/kijai/ComfyUI-KJNodes", "", None),
            ("https://github.com/kijai", "", None),
        ],
    )
    @pytest.mark.parametrize("validated", [False, True], ids=["as-made", "validated"])
    def test_matches(
        self,
        index: InstalledIndex,
        url: str,
        install_url: str,
        folder: str | None,
        validated: bool,
    ) -> None:
        """URL spellings, install and pyproject URLs and folder names count, disabled too;
        a validated resource's own canonical URL (worked out once) is used as it is."""
        made = resource(url, install_url)
        if validated:
            made = replace(made, canonical_url=canonical_url(url))
        found = index.pack_for(made)
        assert (found.folder if found is not None else None) == folder
        assert index.is_installed(made) is (folder is not None)

    def test_installed_ids(self, index: InstalledIndex) -> None:
        """Of a list of resources, the ids of the installed ones."""
        resources = [
            resource("https://github.com/kijai/ComfyUI-KJNodes", rid="kj"),
            resource("https://github.com/someone/Other", rid="other"),
        ]
        assert index.installed_ids(resources) == frozenset({"kj"})

    def test_only_node_packs_are_installed(self, index: InstalledIndex) -> None:
        """A model hosted in an installed pack's repository is not itself installed."""
        model = Resource("kj-model", "M", "https://github.com/kijai/ComfyUI-KJNodes", "m", "model")
        assert index.is_installed(model)
        assert index.installed_ids([model]) == frozenset()

    def test_to_dict(self, tmp_path: Path) -> None:
        """The JSON shape for the HTTP API."""
        pack(tmp_path, "A", remote="https://github.com/a/A")
        (tmp_path / "broken").symlink_to(tmp_path / "nowhere")
        assert scan_custom_nodes(tmp_path).to_dict() == {
            "folders": [str(tmp_path)],
            "packs": [
                {
                    "folder": "A",
                    "path": str((tmp_path / "A").resolve()),
                    "urls": ["https://github.com/a/a"],
                    "project_name": "",
                    "disabled": False,
                }
            ],
            "problems": [
                {
                    "file": str(tmp_path / "broken"),
                    "line": None,
                    "field": "folder",
                    "message": "is a broken symbolic link",
                }
            ],
        }

    def test_empty_index(self) -> None:
        """With nothing scanned, nothing is installed."""
        index = InstalledIndex()
        assert (len(index), index.is_installed(resource("https://github.com/a/b"))) == (0, False)


class TestToml:
    """pyproject.toml through tomllib, or a minimal reader where tomllib is missing (3.10)."""

    @pytest.mark.parametrize(
        ("data", "expected"),
        [
            (
                {
                    "project": {
                        "name": " pack ",
                        "urls": {
                            "Repository": "https://github.com/a/Pack",
                            "Source Code": "https://x.org/src",
                            "Bug Tracker": "https://github.com/a/Pack/issues",
                            "Home-page": "https://x.org",
                            "GitHub": "ftp://x.org",
                            "Code": 3,
                        },
                    }
                },
                ("pack", ["https://github.com/a/pack", "https://x.org/src", "https://x.org"]),
            ),
            ({"project": {"name": 3, "urls": ["https://x.org"]}}, ("", [])),
            ({"project": "not a table"}, ("", [])),
            ({}, ("", [])),
        ],
    )
    def test_project_info(self, data: dict[str, object], expected: tuple[str, list[str]]) -> None:
        """Only repository-like URL keys count, and only valid http(s) URLs."""
        assert project_info(data) == expected

    def test_minimal_reader(self) -> None:
        """Tables and string pairs are read; arrays, inline tables and the like are skipped."""
        text = (
            'title = "top"\n'
            "[project]  # the project\n"
            "name = 'literal \\n name'\n"
            'description = "esc \\" \\\\ \\n \\t \\u00e9"\n'
            'dependencies = ["a", "b"]\n'
            'urls = { Repository = "https://inline.example" }\n'
            "[project.urls]\n"
            '"Source Code" = "https://x.org/src"  # comment\n'
            '[tool.comfy]\nPublisherId = "me"\n'
            '[[tool.array]]\nname = "skipped"\n'
            '[title.sub]\nkey = "under a string: skipped"\n'
        )
        assert read_minimal_toml(text) == {
            "title": "top",
            "project": {
                "name": "literal \\n name",
                "description": 'esc " \\ \n \t \\u00e9',
                "urls": {"Source Code": "https://x.org/src"},
            },
            "tool": {"comfy": {"PublisherId": "me"}},
        }

    @given(
        st.dictionaries(
            st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,10}", fullmatch=True),
            st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
            max_size=5,
        )
    )
    def test_minimal_reader_agrees_with_tomllib(self, urls: dict[str, str]) -> None:
        """For the pyproject shapes it reads, the minimal reader and tomllib agree."""

        def quoted(value: str) -> str:
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

        text = '[project]\nname = "x"\n[project.urls]\n' + "".join(
            f"{key} = {quoted(value)}\n" for key, value in urls.items()
        )
        assert read_minimal_toml(text) == load_toml(text)

    def test_scan_without_tomllib(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """On Python 3.10 the scan reads pyproject.toml with the minimal reader."""
        monkeypatch.setattr(pyproject, "_TOMLLIB", None)
        pack(
            tmp_path,
            "p",
            pyproject='[project]\nname = "p"\n[project.urls]\n'
            'Repository = "https://github.com/o/P"\n[broken\n',
        )
        index = scan_custom_nodes(tmp_path)
        assert [(p.urls, p.project_name) for p in index.packs] == [
            (("https://github.com/o/p",), "p")
        ]
        assert index.problems == ()
