"""A pack's git remotes, read from its git config as text (git itself never runs)."""

from __future__ import annotations

import re

from ...core.urls import canonical_url, url_problem

_SECTION_RE = re.compile(r'^\s*\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\\n]|\\.)*)")?\s*\]')
_ENTRY_RE = re.compile(r"^\s*([A-Za-z][A-Za-z0-9-]*)\s*(?:=(.*))?$")
_URL_RE = re.compile(
    r"^(?:git\+)?(https?|git|ssh)://(?:[^@/]*@)?([^/:\[\]]+)(:\d*)?(/.*)$", re.IGNORECASE
)
_SCP_RE = re.compile(r"^(?:[^@/:\s]+@)?([^@/:\s]{2,}):(?!//)(.+)$")


def remote_to_url(remote: str) -> str | None:
    """A git remote as a canonical https URL, or ``None`` for local paths and odd forms.

    User names and passwords in the remote are dropped, never kept or reported.

    >>> remote_to_url("git@github.com:Kijai/ComfyUI-KJNodes.git")
    'https://github.com/kijai/comfyui-kjnodes'
    >>> remote_to_url("ssh://git@github.com/a/b.git"), remote_to_url("../local.git")
    ('https://github.com/a/b', None)
    """
    remote = remote.strip()
    match = _URL_RE.match(remote)
    if match is not None:
        scheme, host, port, path = match.groups()
        keep_port = port if scheme.lower() in ("http", "https") and port != ":" else ""
        candidate = f"https://{host}{keep_port or ''}{path}"
    else:
        scp = _SCP_RE.match(remote)
        if scp is None:
            return None
        candidate = f"https://{scp.group(1)}/{scp.group(2).lstrip('/')}"
    if url_problem(candidate) is not None:
        return None
    return canonical_url(candidate)


def git_remote_urls(config: str) -> list[str]:
    """The ``url`` values of a git config's ``[remote "..."]`` sections, ``origin``'s first.

    >>> git_remote_urls(
    ...     '[core]\\n\\tbare = false\\n[remote "up"]\\n\\turl = u\\n'
    ...     '[remote "origin"]\\n\\turl = "o" ; note\\n'
    ... )
    ['o', 'u']
    """
    found: list[tuple[bool, str]] = []
    remote: str | None = None
    for line in config.splitlines():
        section = _SECTION_RE.match(line)
        if section is not None:
            kind, sub = section.group(1).lower(), section.group(2)
            if sub is None and kind.startswith("remote."):
                kind, sub = "remote", section.group(1)[7:]  # the old [remote.name] form
            remote = sub if kind == "remote" and sub is not None else None
            continue
        entry = _ENTRY_RE.match(line)
        if remote is not None and entry is not None and entry.group(1).lower() == "url":
            value = _git_value(entry.group(2) or "")
            if value:
                found.append((remote != "origin", value))
    return [url for _, url in sorted(found, key=lambda item: item[0])]


def _git_value(raw: str) -> str:
    """A git config value: quotes removed, escapes read, a trailing comment dropped."""
    out: list[str] = []
    quoted = False
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == "\\" and i + 1 < len(raw):
            out.append({"n": "\n", "t": "\t", "b": "\b"}.get(raw[i + 1], raw[i + 1]))
            i += 2
            continue
        if c == '"':
            quoted = not quoted
        elif c in "#;" and not quoted:
            break
        else:
            out.append(c)
        i += 1
    return "".join(out).strip()
