"""Which node packs are installed: a read of ComfyUI's ``custom_nodes`` folder, never running git.

Pack folders are what ComfyUI would load (not ``__pycache__``, not hidden, not a file),
and the disabled ones ComfyUI-Manager keeps: those in ``custom_nodes/.disabled/`` (a
Registry pack there is named ``<id>@<version>``, dots as ``_``) and the older
``<name>.disabled`` folders. For each this reads at most three small files:
``.git/config`` (or, when ``.git`` is a file as in worktrees and submodules, the
``config`` of the git directory it points to), and ``pyproject.toml``. From them come the
pack's git remote URLs, its ``[project].name`` (a Registry pack's id) and its
``[project].urls`` (Repository, Source, Homepage).

A resource counts as installed when its URL or install URL is one of those URLs (in
canonical form: ``git@github.com:owner/repo.git`` and ``https://github.com/Owner/Repo``
are the same), or else when its Registry id (``pack_id``) is a pack's ``[project].name``
or folder name, or else when a pack folder has the name of the resource's repository
(ignoring case): ComfyUI-Manager names a folder after the Registry id or the repository.
It is disabled when the pack found is (an enabled copy is looked for first).

The modules, by job: :mod:`.scan` reads the folders, :mod:`.gitconfig` the git remotes,
:mod:`.pyproject` the project table, and :mod:`.index` matches resources to packs.
"""

from .gitconfig import git_remote_urls, remote_to_url
from .index import DISABLED_DIR, DISABLED_SUFFIX, InstalledIndex, InstalledPack, repository_name
from .pyproject import REPOSITORY_URL_KEYS, load_toml, project_info, read_minimal_toml
from .scan import MAX_FILE_BYTES, MAX_FOLDERS, scan_custom_nodes, scan_folders

__all__ = [
    "DISABLED_DIR",
    "DISABLED_SUFFIX",
    "MAX_FILE_BYTES",
    "MAX_FOLDERS",
    "REPOSITORY_URL_KEYS",
    "InstalledIndex",
    "InstalledPack",
    "git_remote_urls",
    "load_toml",
    "project_info",
    "read_minimal_toml",
    "remote_to_url",
    "repository_name",
    "scan_custom_nodes",
    "scan_folders",
]
