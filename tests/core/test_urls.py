"""URL rules: what is accepted, the canonical form, GitHub repositories and derived ids."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nodes.core.urls import (
    MAX_ID_LENGTH,
    MAX_URL_LENGTH,
    canonical_url,
    github_repo,
    id_from_url,
    is_valid_url,
    link_problem,
    url_problem,
)
from nodes.core.validate import ID_RE


class TestUrlProblem:
    """url_problem names the first thing wrong with a URL, or accepts it with None."""

    def test_limits(self) -> None:
        """URLs stop at 2048 characters; derived ids at 80."""
        assert (MAX_URL_LENGTH, MAX_ID_LENGTH) == (2048, 80)

    @pytest.mark.parametrize(
        "url",
        [
            pytest.param("https://github.com/comfyanonymous/ComfyUI", id="plain-https"),
            pytest.param("http://example.com", id="plain-http-no-path"),
            pytest.param("HTTPS://EXAMPLE.COM/Path?q=1#frag", id="upper-case"),
            pytest.param("https://example.com./", id="trailing-dot-host"),
            pytest.param("https://localhost", id="single-label-host"),
            pytest.param("https://example.com:8080/x", id="explicit-port"),
            pytest.param("https://bücher.de/x", id="idna-host"),
            pytest.param("http://127.0.0.1/", id="ipv4-literal"),
            pytest.param("http://[::1]/", id="ipv6-literal"),
            pytest.param("https://" + "a" * 63 + ".com", id="63-char-label"),
            pytest.param("https://x.com/" + "a" * (MAX_URL_LENGTH - 14), id="exactly-max-length"),
            pytest.param(
                "https://x.com:8080/" + "a" * (MAX_URL_LENGTH - 19), id="exactly-max-length-port"
            ),
        ],
    )
    def test_accepts(self, url: str) -> None:
        """Ordinary http(s) URLs, IP literals and international host names pass."""
        assert url_problem(url) is None
        assert is_valid_url(url) is True

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            pytest.param(42, "must be text, got int", id="int"),
            pytest.param(None, "must be text, got NoneType", id="none"),
            pytest.param(["https://x.com"], "must be text, got list", id="list"),
            pytest.param("", "must not be empty", id="empty"),
            pytest.param(
                "https://x.com/" + "a" * (MAX_URL_LENGTH - 13),
                f"is {MAX_URL_LENGTH + 1} characters long; the limit is {MAX_URL_LENGTH}",
                id="one-too-long",
            ),
            pytest.param(
                "https://x.com/a b", "must not contain spaces or control characters", id="space"
            ),
            pytest.param(
                "https://x.com/\x7f", "must not contain spaces or control characters", id="del"
            ),
            pytest.param("github.com/owner/repo", "must start with http:// or https://", id="bare"),
            pytest.param("javascript:alert(1)", "must start with http:// or https://", id="js"),
            pytest.param("https://[::1", "is not a valid URL (Invalid IPv6 URL)", id="bad-ipv6"),
            pytest.param(
                "https://x.com:99999", "is not a valid URL (Port out of range 0-65535)", id="port"
            ),
            pytest.param(
                "https://x.com:abc",
                "is not a valid URL (Port could not be cast to integer value as 'abc')",
                id="port-text",
            ),
            pytest.param(
                "ftp://example.com/file", "scheme 'ftp' is not allowed; use http or https", id="ftp"
            ),
            pytest.param(
                "FILE:///etc/passwd", "scheme 'file' is not allowed; use http or https", id="file"
            ),
            pytest.param("://x.com", "scheme '' is not allowed; use http or https", id="no-scheme"),
            pytest.param(
                "https://user@x.com", "must not contain a user name or password", id="user"
            ),
            pytest.param(
                "https://:secret@x.com", "must not contain a user name or password", id="password"
            ),
            pytest.param("http://", "has no host name", id="no-host"),
            pytest.param("https:///path", "has no host name", id="empty-host"),
            pytest.param("https://x.com:0/", "has an invalid port 0", id="port-zero"),
            pytest.param(
                "https://a..b.com", "host name 'a..b.com' is not valid", id="idna-empty-label"
            ),
            pytest.param(
                "https://" + "a" * 64 + ".com",
                f"host name '{'a' * 64}.com' is not valid",
                id="idna-label-too-long",
            ),
            pytest.param("https://-bad.com", "host name '-bad.com' is not valid", id="hyphen"),
            pytest.param(
                "https://under_score.com", "host name 'under_score.com' is not valid", id="under"
            ),
        ],
    )
    def test_rejects_with_message(self, value: object, message: str) -> None:
        """Each kind of bad value gets its own message, in words a curator can act on."""
        assert url_problem(value) == message
        assert is_valid_url(value) is False

    @settings(max_examples=300)
    @given(st.one_of(st.text(), st.binary(), st.integers(), st.none(), st.lists(st.text())))
    def test_never_raises(self, value: object) -> None:
        """Any value at all gets an answer, never an exception."""
        result = url_problem(value)
        assert result is None or isinstance(result, str)

    @settings(max_examples=300)
    @given(st.text(alphabet="htps:/[]@.%:?#-_ax019\x00 ", max_size=40))
    def test_never_raises_on_url_like_text(self, value: str) -> None:
        """Text built from URL punctuation gets an answer, never an exception."""
        result = url_problem("https://" + value)
        assert result is None or result


class TestNumericHosts:
    """An IPv4 host must be written as four decimals; a numeric-looking host must be one.

    HTTP libraries disagree on every other notation (aiohttp before 3.14 connects to
    ``127.1``, 3.14 refuses it), so no URL carries one and every version sees the same.
    """

    @pytest.mark.parametrize(
        ("url", "message"),
        [
            pytest.param("http://127.1/", "'127.1' is the IPv4 address 127.0.0.1", id="short"),
            pytest.param(
                "http://2130706433/", "'2130706433' is the IPv4 address 127.0.0.1", id="decimal"
            ),
            pytest.param(
                "http://0x7f000001:8080/", "'0x7f000001' is the IPv4 address 127.0.0.1", id="hex"
            ),
            pytest.param(
                "http://0177.0.0.1/", "'0177.0.0.1' is the IPv4 address 127.0.0.1", id="octal"
            ),
            pytest.param(
                "http://127.0.0.0x1/", "'127.0.0.0x1' is the IPv4 address 127.0.0.1", id="mixed"
            ),
            pytest.param(
                "http://127.0.0.1./", "'127.0.0.1.' is the IPv4 address 127.0.0.1", id="dot"
            ),
            pytest.param(
                "https://134744072/x", "'134744072' is the IPv4 address 8.8.8.8", id="public"
            ),
            pytest.param(
                "http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/",
                "'\uff11\uff12\uff17.\uff10.\uff10.\uff11' is the IPv4 address 127.0.0.1",
                id="full-width",
            ),
            pytest.param(
                "http://127\u30020\u30020\u30021/",
                "'127\u30020\u30020\u30021' is the IPv4 address 127.0.0.1",
                id="ideographic-stops",
            ),
        ],
    )
    def test_other_notations_are_refused(self, url: str, message: str) -> None:
        problem = url_problem(url)
        assert problem is not None
        assert problem.startswith(f"host {message} written another way; write ")

    @pytest.mark.parametrize(
        "host", ["999.1.1.1", "1.2.3.4.5", "256.0.0.1", "example.123", "example.0x", "1..2", "08.1"]
    )
    def test_numeric_hosts_that_are_no_address(self, host: str) -> None:
        assert url_problem(f"http://{host}/") == (
            f"host {host!r} is neither a host name nor an IPv4 address"
        )

    def test_ipv6_literals_must_parse(self) -> None:
        assert url_problem("http://[fe80::1%25eth0]/") is None
        assert url_problem("http://[::ffff:7f00:1]:8080/") is None
        assert url_problem("http://[v1.fe:x]/") == "host 'v1.fe:x' is not an IPv6 address"

    def test_unicode_names_must_map_to_ascii(self) -> None:
        assert url_problem("http://\u00e9..com/") == "host name '\u00e9..com' is not valid"

    @pytest.mark.parametrize("host", ["8.8.8.8", "127.0.0.1", "10.0.0.1", "0.0.0.0"])  # noqa: S104
    def test_four_decimals_pass(self, host: str) -> None:
        assert url_problem(f"http://{host}:8080/x") is None


class TestLinkProblem:
    """A catalogue link must lead to the public internet, whatever notation it uses."""

    @pytest.mark.parametrize(
        "url",
        [
            "https://github.com/comfyanonymous/ComfyUI",
            "http://example.com:8080/x",
            "https://8.8.8.8/",
            "https://[2606:4700:4700::1111]/",
            "https://b\u00fccher.de/x",
            "https://localhost.example.com/",
            "https://internal.example/",
        ],
    )
    def test_public_links_pass(self, url: str) -> None:
        assert link_problem(url) is None

    @pytest.mark.parametrize(
        ("url", "host", "kind"),
        [
            ("http://127.0.0.1:8188/", "127.0.0.1", "loopback"),
            ("https://10.0.0.8/me/pack", "10.0.0.8", "private"),
            ("https://192.168.1.1/", "192.168.1.1", "private"),
            ("https://172.16.0.1/", "172.16.0.1", "private"),
            ("http://169.254.169.254/latest/", "169.254.169.254", "link-local"),
            ("http://100.64.0.1/", "100.64.0.1", "shared (carrier-grade NAT)"),
            ("http://0.0.0.0:8188/", "0.0.0.0", "unspecified"),  # noqa: S104
            ("http://224.0.0.1/", "224.0.0.1", "multicast"),
            ("http://[::1]:8188/", "::1", "loopback"),
            ("http://[fe80::1%25eth0]/", "fe80::1%25eth0", "link-local"),
            ("http://[fd00::1]/", "fd00::1", "private (unique local)"),
            ("http://[::ffff:7f00:1]/", "::ffff:7f00:1", "loopback"),
            ("http://[::ffff:10.0.0.1]/", "::ffff:10.0.0.1", "private"),
            ("http://[2002:c0a8:101::]/", "2002:c0a8:101::", "private"),
        ],
    )
    def test_addresses_that_are_not_public(self, url: str, host: str, kind: str) -> None:
        assert link_problem(url) == (
            f"host {host} is an address on this machine or a private network ({kind});"
            " a link must lead to the public internet"
        )
        assert url_problem(url) is None  # a fetch may still reach a mirror when allowed

    @pytest.mark.parametrize(
        "url",
        [
            "http://localhost:8188/",
            "http://LocalHost./",
            "https://app.localhost/",
            "https://printer.local/",
            "https://nas.home.arpa/share",
            "https://git.corp.internal/me/pack",
        ],
    )
    def test_local_names(self, url: str) -> None:
        problem = link_problem(url)
        assert problem is not None
        assert problem.endswith(
            "is a name only this machine or its local network knows;"
            " a link must lead to the public internet"
        )

    @pytest.mark.parametrize(
        "url", ["http://127.1/", "http://2130706433/", "http://0x7f.1/", "ftp://example.com/"]
    )
    def test_url_rules_come_first(self, url: str) -> None:
        assert link_problem(url) == url_problem(url)

    @settings(max_examples=300)
    @given(st.one_of(st.text(), st.integers(), st.none()))
    def test_never_raises(self, value: object) -> None:
        result = link_problem(value)
        assert result is None or isinstance(result, str)


class TestCanonicalUrl:
    """canonical_url gives one form to URLs that name the same resource."""

    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            pytest.param(
                "http://GitHub.com/Kijai/ComfyUI-KJNodes.git/",
                "https://github.com/kijai/comfyui-kjnodes",
                id="github-case-git-slash",
            ),
            pytest.param(
                "https://www.example.org:443/Docs/#intro",
                "https://example.org/Docs",
                id="www-port-fragment",
            ),
            pytest.param("https://example.org/Docs/", "https://example.org/Docs", id="path-case"),
            pytest.param("https://example.org", "https://example.org", id="no-path"),
            pytest.param("https://Example.org.", "https://example.org", id="trailing-dot"),
            pytest.param("https://gitlab.com/A/B", "https://gitlab.com/a/b", id="gitlab"),
            pytest.param("https://codeberg.org/A/B", "https://codeberg.org/a/b", id="codeberg"),
            pytest.param("https://bitbucket.org/A/B", "https://bitbucket.org/a/b", id="bitbucket"),
            pytest.param("https://www.www.example.com/A", "https://example.com/A", id="www-twice"),
            pytest.param(
                "https://www.www.github.com/A/B", "https://github.com/a/b", id="www-twice-code"
            ),
            pytest.param("https://x.com/a.git.git//", "https://x.com/a", id="git-repeated"),
            pytest.param("https://x.com/a/.git", "https://x.com/a", id="git-segment"),
            pytest.param(
                "https://example.com:8080/a/", "https://example.com:8080/a", id="other-port"
            ),
            pytest.param("http://example.com:80/a", "https://example.com/a", id="port-80"),
            pytest.param(
                "https://example.com/a/?B=1#frag", "https://example.com/a?B=1", id="query-kept"
            ),
            pytest.param("https://x.com?", "https://x.com", id="empty-query"),
            pytest.param(
                "https://GITHUB.COM:443/Owner/Repo?tab=Readme",
                "https://github.com/owner/repo?tab=Readme",
                id="github-slow-path",
            ),
            pytest.param("https://WWW.Example.com.:8080", "https://example.com:8080", id="dots"),
            pytest.param("https://[::1]:8080/x/", "https://[::1]:8080/x", id="ipv6-port"),
            pytest.param("http://[2001:DB8::1]/", "https://[2001:db8::1]", id="ipv6"),
            pytest.param("http://127.0.0.1:443/a", "https://127.0.0.1/a", id="ipv4"),
            pytest.param("https:///x/", "https:///x", id="no-host"),
        ],
    )
    def test_examples(self, url: str, expected: str) -> None:
        """Scheme, host case, www, default ports, fragments, trailing / and .git are dropped."""
        assert canonical_url(url) == expected

    def test_path_case_matters_off_code_hosts(self) -> None:
        """On ordinary hosts two paths differing in case are different resources."""
        assert canonical_url("https://example.com/A") != canonical_url("https://example.com/a")


_LABEL = st.from_regex(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?", fullmatch=True)
_HOSTS = st.one_of(
    st.builds(
        lambda labels, tld: ".".join([*labels, tld]),
        st.lists(_LABEL, min_size=1, max_size=3),
        st.sampled_from(["com", "org", "IO", "co"]),
    ),
    st.sampled_from(
        [
            "github.com",
            "GitHub.com",
            "gitlab.com",
            "codeberg.org",
            "bitbucket.org",
            "localhost",
            "127.0.0.1",
            "[::1]",
            "[2001:db8::1]",
            "www",
            "xn--bcher-kva.de",
            "bücher.de",
        ]
    ),
)
_SEGMENT = st.text(alphabet="abcXYZ019-._~%+!$&'()*,;=:@", max_size=8)


@st.composite
def url_parts(draw: st.DrawFn) -> tuple[str, str, str]:
    """A URL as (scheme://host[:port], path, query-and-fragment)."""
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "hTTps"]))
    www = draw(st.sampled_from(["", "www.", "WWW.", "www.www."]))
    host = draw(_HOSTS)
    dot = "" if host.startswith("[") else draw(st.sampled_from(["", "."]))
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    segments = draw(st.lists(_SEGMENT, max_size=4))
    path = "/" + "/".join(segments) if segments else ""
    query = draw(st.sampled_from(["", "?", "?a=B", "?x=1&y=/"]))
    fragment = draw(st.sampled_from(["", "#", "#Top", "#a/b"]))
    return f"{scheme}://{www}{host}{dot}{port}", path, query + fragment


class TestCanonicalProperties:
    """Properties of canonical_url over generated URLs that url_problem accepts."""

    @settings(max_examples=400, deadline=None)
    @given(url_parts(), st.sampled_from(["", "/", ".git", ".git/", "//", "/.git"]))
    def test_idempotent_and_valid(self, parts: tuple[str, str, str], tail: str) -> None:
        """Canonicalising twice changes nothing, and the result is itself acceptable."""
        url = parts[0] + parts[1] + tail + parts[2]
        if url_problem(url) is not None:
            return
        once = canonical_url(url)
        assert canonical_url(once) == once
        assert url_problem(once) is None
        assert once.startswith("https://")

    @settings(max_examples=300, deadline=None)
    @given(url_parts(), st.sampled_from(["/", ".git", ".git/", "//"]))
    def test_trailing_slash_and_git_ignored(self, parts: tuple[str, str, str], tail: str) -> None:
        """A trailing / or .git after a path names the same resource as the URL without it."""
        base = parts[0] + (parts[1] or "/repo")
        if url_problem(base + tail) is not None or url_problem(base) is not None:
            return
        assert canonical_url(base + tail) == canonical_url(base)

    @settings(max_examples=300, deadline=None)
    @given(
        st.sampled_from(["github.com", "gitlab.com", "codeberg.org", "bitbucket.org"]),
        st.lists(_LABEL, min_size=1, max_size=3),
        st.booleans(),
    )
    def test_code_host_paths_ignore_case(self, host: str, segments: list[str], www: bool) -> None:
        """On code hosts, upper and lower case paths (and www.) are one repository."""
        path = "/" + "/".join(segments)
        lower = canonical_url(f"https://{host}{path.lower()}")
        assert canonical_url(f"http://{'www.' if www else ''}{host.upper()}{path.upper()}") == lower
        assert lower == lower.lower()

    @settings(max_examples=300)
    @given(st.text())
    def test_accepted_text_canonicalises(self, text: str) -> None:
        """Whatever text url_problem accepts canonicalises idempotently."""
        if url_problem(text) is None:
            once = canonical_url(text)
            assert canonical_url(once) == once


class TestGithubRepo:
    """github_repo finds (owner, repo) in GitHub repository URLs only."""

    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            pytest.param(
                "https://github.com/ltdrdata/ComfyUI-Manager.git",
                ("ltdrdata", "ComfyUI-Manager"),
                id="dot-git",
            ),
            pytest.param("http://www.github.com/a/b/tree/main", ("a", "b"), id="www-subpath"),
            pytest.param("https://github.com:443/a/b", ("a", "b"), id="port"),
            pytest.param("https://GitHub.com/A/B?x=1", ("A", "B"), id="case-query"),
            pytest.param("https://github.com/a", None, id="owner-only"),
            pytest.param("https://github.com/a/", None, id="owner-slash"),
            pytest.param("https://huggingface.co/org/model", None, id="other-host"),
            pytest.param("https://gist.github.com/a/b", None, id="gist"),
            pytest.param("https://github.com.evil.org/a/b", None, id="look-alike"),
        ],
    )
    def test_examples(self, url: str, expected: tuple[str, str] | None) -> None:
        """Owner and repository keep their case; anything else is None."""
        assert github_repo(url) == expected


class TestIdFromUrl:
    """id_from_url derives a stable, valid id from a URL."""

    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            pytest.param(
                "https://github.com/Kijai/ComfyUI-KJNodes", "kijai.comfyui-kjnodes", id="github"
            ),
            pytest.param(
                "https://github.com/Kijai/ComfyUI-KJNodes.git/", "kijai.comfyui-kjnodes", id="git"
            ),
            pytest.param(
                "https://github.com/Some_Owner/Repo.Name", "some_owner.repo.name", id="dot"
            ),
            pytest.param("https://github.com/_/Repo", "repo", id="empty-owner"),
            pytest.param("http://github.com/0/:", "0", id="empty-repo"),
            pytest.param("https://civitai.com/models/4201", "civitai-com-models-4201", id="other"),
            pytest.param(
                "https://github.com/a/b/tree/main", "github-com-a-b-tree-main", id="github-subpath"
            ),
            pytest.param("https://www.Example.org/A_B/", "example-org-a_b", id="underscore"),
            pytest.param("https://[::1]/x", "1-x", id="ipv6"),
        ],
    )
    def test_examples(self, url: str, expected: str) -> None:
        """GitHub repositories become owner.repo; other URLs a slug of host and path."""
        assert id_from_url(url) == expected

    def test_exactly_max_length_is_kept(self) -> None:
        """An id of exactly the limit is kept whole, without a hash."""
        owner, repo = "o" * 39, "r" * 40
        assert id_from_url(f"https://github.com/{owner}/{repo}") == f"{owner}.{repo}"

    def test_long_url_is_cut_and_hashed(self) -> None:
        """An id longer than the limit keeps its start and ends with ten hex digits that name
        the whole URL."""
        url = "https://example.com/" + "a" * 100
        result = id_from_url(url)
        assert len(result) == MAX_ID_LENGTH
        assert re.fullmatch("example-com-" + "a" * 57 + "-[0-9a-f]{10}", result)
        assert id_from_url(url) == result

    def test_cut_drops_a_trailing_separator(self) -> None:
        """A cut that ends on '-' does not leave '--' before the hash."""
        url = "https://example.com/" + "a" * 56 + "/" + "b" * 50
        assert re.fullmatch("example-com-" + "a" * 56 + "-[0-9a-f]{10}", id_from_url(url))

    def test_long_urls_with_one_start_differ(self) -> None:
        """Two long URLs that share their first 80 characters still get different ids."""
        first = id_from_url("https://example.com/" + "a" * 100 + "/one")
        second = id_from_url("https://example.com/" + "a" * 100 + "/two")
        assert first != second
        assert first[:69] == second[:69]

    def test_nothing_sluggable_is_the_hash_alone(self) -> None:
        """A URL with no letters or digits to keep gets the bare hash, still a valid id."""
        result = id_from_url("https://[::]")
        assert re.fullmatch("[0-9a-f]{10}", result)
        assert ID_RE.match(result)
        assert result != id_from_url("https://[::0]")

    @settings(max_examples=400, deadline=None)
    @given(url_parts(), st.sampled_from(["", "/", ".git", "/" + "x" * 90]))
    def test_always_a_valid_id(self, parts: tuple[str, str, str], tail: str) -> None:
        """Every accepted URL yields an id the validation rules accept."""
        url = parts[0] + parts[1] + tail + parts[2]
        if url_problem(url) is None:
            result = id_from_url(url)
            assert ID_RE.match(result), result
            assert len(result) <= MAX_ID_LENGTH
