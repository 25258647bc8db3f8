"""URL rules shared by every source: what is accepted, and one canonical form for de-duplication."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import SplitResult, urlsplit

from .excerpt import excerpt
from .hosts import (
    PRIVATE_HELP,
    address_kind,
    ascii_host,
    local_name,
    looks_like_ipv4,
    parse_ip,
    parse_ipv4,
)

MAX_URL_LENGTH = 2048
ALLOWED_SCHEMES = frozenset({"http", "https"})
# Hosts whose paths name case-insensitive accounts and repositories.
_CASE_INSENSITIVE_HOSTS = frozenset({"github.com", "gitlab.com", "codeberg.org", "bitbucket.org"})
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST_RE = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*\.?$")
_CONTROL_OR_SPACE_RE = re.compile(r"[\x00-\x20\x7f-\x9f]")
# Half of a UTF-16 pair on its own: JSON can carry it, but no UTF-8 answer or file can.
SURROGATE_RE = re.compile("[\ud800-\udfff]")
SURROGATE_MESSAGE = "contains a character that cannot be stored (an unpaired surrogate)"
# Most real URLs are plain ``https://host.tld/path``; this accepts them without urlsplit.
_PLAIN_URL_RE = re.compile(
    rf"^https?://({_LABEL}(?:\.{_LABEL})*\.[a-z]{{2,63}})(?:[/?#][^\x00-\x20\x7f-\x9f]*)?$",
    re.IGNORECASE,
)
_PLAIN_CANONICAL_RE = re.compile(r"^https?://(?:www\.)?([a-z0-9.-]+?)\.?(/[^?#]*)?$", re.IGNORECASE)
_GITHUB_RE = re.compile(r"^https?://(?:www\.)?github\.com(?::443)?/([^/?#]+)/([^/?#]+)", re.I)
_ID_UNSAFE_RE = re.compile(r"[^a-z0-9_.-]+")
MAX_ID_LENGTH = 80


def url_problem(value: object) -> str | None:  # noqa: PLR0911 - one return per rule
    """Say what is wrong with ``value`` as a resource URL, or ``None`` when it is acceptable.

    >>> url_problem("https://github.com/comfyanonymous/ComfyUI") is None
    True
    >>> url_problem("ftp://example.com/file")
    "scheme 'ftp' is not allowed; use http or https"
    >>> url_problem("github.com/owner/repo")
    'must start with http:// or https://'
    """
    if not isinstance(value, str):
        return f"must be text, got {type(value).__name__}"
    if len(value) <= MAX_URL_LENGTH and _PLAIN_URL_RE.match(value):
        return None
    if not value:
        return "must not be empty"
    if len(value) > MAX_URL_LENGTH:
        return f"is {len(value)} characters long; the limit is {MAX_URL_LENGTH}"
    if _CONTROL_OR_SPACE_RE.search(value):
        return "must not contain spaces or control characters"
    if SURROGATE_RE.search(value):
        return SURROGATE_MESSAGE
    if "://" not in value:
        return "must start with http:// or https://"
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        return f"is not a valid URL ({exc})"
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        return f"scheme {scheme!r} is not allowed; use http or https"
    if parts.username is not None or parts.password is not None:
        return "must not contain a user name or password"
    host = parts.hostname or ""
    if not host:
        return "has no host name"
    if port == 0:
        return "has an invalid port 0"
    return _host_problem(host)


def _host_problem(host: str) -> str | None:
    name = ascii_host(host)
    if name is None:
        return f"host name {excerpt(host)} is not valid"
    if ":" in name:  # an IPv6 literal; whether it may be fetched is decided by the fetchers
        return None if parse_ip(name) is not None else f"host {host!r} is not an IPv6 address"
    if looks_like_ipv4(name):
        return _ipv4_problem(host, name)
    if not _HOST_RE.match(name):
        return f"host name {excerpt(host)} is not valid"
    return None


def _ipv4_problem(host: str, name: str) -> str | None:
    """Only four ASCII decimals pass: libraries disagree on every other notation."""
    address = parse_ipv4(name)
    if address is None:
        return f"host {host!r} is neither a host name nor an IPv4 address"
    if str(address) != host:  # as written: full-width digits count as another way
        return f"host {host!r} is the IPv4 address {address} written another way; write {address}"
    return None


def link_problem(value: object) -> str | None:
    """Say what is wrong with ``value`` as a catalogue link, or ``None`` when it is acceptable.

    A link is shown to everyone as something to open or clone, so on top of
    :func:`url_problem` it must lead to the public internet: no IP address that is
    loopback, private, link-local or otherwise not public, and no name that only this
    machine or a local network knows (``localhost``, ``*.local``, ``*.internal``,
    ``*.home.arpa``). Fetches that may reach a local mirror use :func:`url_problem`.

    >>> link_problem("https://github.com/comfyanonymous/ComfyUI") is None
    True
    >>> link_problem("http://10.0.0.8:3000/me/pack")
    'host 10.0.0.8 is an address on this machine or a private network (private); \
a link must lead to the public internet'
    >>> link_problem("http://localhost:8188/")
    "host 'localhost' is a name only this machine or its local network knows; \
a link must lead to the public internet"
    """
    problem = url_problem(value)
    if problem is not None:
        return problem
    assert isinstance(value, str)  # noqa: S101 - url_problem accepted it
    plain = _PLAIN_URL_RE.match(value)
    host = plain.group(1).lower() if plain is not None else _split_host(value)
    if ":" in host or looks_like_ipv4(host):
        kind = address_kind(host)
        if kind is not None:
            return f"host {host} is an address {PRIVATE_HELP} ({kind}); {_PUBLIC}"
    elif local_name(host) is not None:
        return f"host {host!r} is a name only this machine or its local network knows; {_PUBLIC}"
    return None


_PUBLIC = "a link must lead to the public internet"


def _split_host(url: str) -> str:
    """The ASCII host of a URL :func:`url_problem` accepted."""
    return ascii_host(urlsplit(url).hostname or "") or ""


def is_valid_url(value: object) -> bool:
    """Return whether ``value`` is an acceptable http(s) resource URL.

    >>> is_valid_url("http://example.com"), is_valid_url("javascript:alert(1)")
    (True, False)
    """
    return url_problem(value) is None


def canonical_url(url: str) -> str:
    """Return the form two URLs share when they name the same resource.

    Scheme, host case, ``www.``, default ports, fragments, a trailing ``/`` and a
    trailing ``.git`` do not tell resources apart; on code hosts neither does path case.

    >>> canonical_url("http://GitHub.com/Kijai/ComfyUI-KJNodes.git/")
    'https://github.com/kijai/comfyui-kjnodes'
    >>> canonical_url("https://www.example.org:443/Docs/#intro")
    'https://example.org/Docs'
    """
    plain = _PLAIN_CANONICAL_RE.match(url)
    if plain is not None:
        host = _strip_www(plain.group(1).lower())
        path = _strip_path(plain.group(2) or "")
        return f"https://{host}{path.lower() if host in _CASE_INSENSITIVE_HOSTS else path}"
    parts: SplitResult = urlsplit(url.strip())
    host = _strip_www((parts.hostname or "").lower().rstrip("."))
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal keeps its brackets
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = _strip_path(parts.path)
    if host in _CASE_INSENSITIVE_HOSTS:
        path = path.lower()
    query = f"?{parts.query}" if parts.query else ""
    return f"https://{netloc}{path}{query}"


def _strip_www(host: str) -> str:
    """Drop every leading ``www.``, so that canonicalising twice changes nothing."""
    while host.startswith("www."):
        host = host[4:]
    return host


def _strip_path(path: str) -> str:
    while True:
        stripped = path.rstrip("/").removesuffix(".git")
        if stripped == path:
            return path
        path = stripped


def github_repo(url: str) -> tuple[str, str] | None:
    """Return ``(owner, repo)`` when ``url`` names a GitHub repository, else ``None``.

    >>> github_repo("https://github.com/ltdrdata/ComfyUI-Manager.git")
    ('ltdrdata', 'ComfyUI-Manager')
    >>> github_repo("https://huggingface.co/org/model") is None
    True
    """
    match = _GITHUB_RE.match(url)
    if match is None:
        return None
    return match.group(1), match.group(2).removesuffix(".git")


def id_from_url(url: str) -> str:
    """Derive a stable resource id from a URL, for sources that have none.

    GitHub owners cannot contain dots, so ``owner.repo`` is unambiguous there.

    >>> id_from_url("https://github.com/Kijai/ComfyUI-KJNodes")
    'kijai.comfyui-kjnodes'
    >>> id_from_url("https://civitai.com/models/4201")
    'civitai-com-models-4201'
    """
    canonical = canonical_url(url)
    repo = github_repo(canonical)
    if repo is not None and canonical.count("/") == 4:  # noqa: PLR2004 - the repository itself
        raw = _slug(f"{_slug(repo[0])}.{_slug(repo[1])}")  # no stray dot when a part is empty
    else:
        raw = _slug(canonical.removeprefix("https://").replace(".", "-"))
    if len(raw) <= MAX_ID_LENGTH and raw:
        return raw
    digest = hashlib.sha256(url.encode()).hexdigest()[:10]
    return f"{raw[: MAX_ID_LENGTH - 11].rstrip('-.')}-{digest}".lstrip("-")


def _slug(text: str) -> str:
    return _ID_UNSAFE_RE.sub("-", text.lower()).strip("-._")
