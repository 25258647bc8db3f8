"""Invariants of the real curated catalogue in data/, and its coverage of the seed list."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from nodes.core.catalog import merge
from nodes.core.model import KINDS, SourceResult
from nodes.core.urls import canonical_url, url_problem
from nodes.core.validate import ID_RE
from nodes.sources.curated import DEFAULT_DATA_DIR, load_curated, resource_files
from nodes.sources.manager_db import MODEL_CATEGORY, PACK_CATEGORY, load_manager_db

# Categories for imported sources: the curated list leaves them to the Manager and Registry.
IMPORT_CATEGORIES = {PACK_CATEGORY, MODEL_CATEGORY}
# Links in the seed README that are not resources: badges, the list itself, its maintainer.
BADGE_HOSTS = ("img.shields.io", "shields.io", "awesome.re", "star-history.com")
NOT_RESOURCES = {
    "https://github.com/umitkacar",
    "https://github.com/umitkacar/awesome-comfyui-beyond",
}
_URL_RE = re.compile(r"https?://[^\s<>()\[\]\"'`]+")


@pytest.fixture(scope="module")
def curated() -> SourceResult:
    """The pack's own data folder, loaded once."""
    return load_curated(DEFAULT_DATA_DIR)


def seed_links(readme: Path) -> set[str]:
    """Canonical URLs of the resources the seed README links to (badges and the list left out)."""
    found: set[str] = set()
    for raw in _URL_RE.findall(readme.read_text(encoding="utf-8")):
        url = raw.rstrip(".,;:!*")
        host = (urlsplit(url).hostname or "").lower()
        if any(host == badge or host.endswith("." + badge) for badge in BADGE_HOSTS):
            continue
        assert url_problem(url) is None, url
        if canonical_url(url) not in NOT_RESOURCES:
            found.add(canonical_url(url))
    return found


class TestCuratedData:
    """The bundled catalogue is clean, complete and consistent."""

    def test_loads_without_problems(self, curated: SourceResult) -> None:
        """Every file and entry passes validation."""
        assert [str(p) for p in curated.problems] == []
        assert resource_files(DEFAULT_DATA_DIR)
        assert curated.resources

    def test_ids_and_urls_unique(self, curated: SourceResult) -> None:
        """No two resources share an id or a canonical URL."""
        ids = Counter(r.id for r in curated.resources)
        urls = Counter(r.canonical_url for r in curated.resources)
        assert [i for i, n in ids.items() if n > 1] == []
        assert [u for u, n in urls.items() if n > 1] == []
        assert all(ID_RE.match(i) for i in ids)

    def test_urls_are_http(self, curated: SourceResult) -> None:
        """Every URL and install URL is an acceptable http(s) URL."""
        for resource in curated.resources:
            assert urlsplit(resource.url).scheme in ("http", "https"), resource.id
            assert url_problem(resource.url) is None, resource.id
            if resource.install_url:
                assert url_problem(resource.install_url) is None, resource.id

    def test_every_curated_category_used(self, curated: SourceResult) -> None:
        """Each curated section holds at least one resource; import categories hold none."""
        counts = Counter(r.category for r in curated.resources)
        defined = [c.id for c in curated.categories]
        assert set(counts) <= set(defined)
        assert [c for c in defined if c not in IMPORT_CATEGORIES and counts[c] == 0] == []
        assert set(defined) >= IMPORT_CATEGORIES
        assert all(counts[c] == 0 for c in IMPORT_CATEGORIES)

    def test_resources_are_described(self, curated: SourceResult) -> None:
        """Every resource has a description and a kind the engine knows; curated is the source."""
        assert all(r.description for r in curated.resources)
        assert {r.kind for r in curated.resources} <= set(KINDS)
        assert {r.source for r in curated.resources} == {"curated"}

    def test_import_categories_filled_by_the_manager(
        self, curated: SourceResult, manager_dir: Path
    ) -> None:
        """With the Manager database merged in, every category has resources."""
        catalog = merge([curated, load_manager_db(manager_dir)])
        counts = Counter(r.category for r in catalog.resources)
        assert [c.id for c in catalog.categories if counts[c.id] == 0] == []
        assert not [p for p in catalog.problems if p.file == "manager" and p.field == "id"]


class TestSeedList:
    """Every resource the seed list links to is in the curated catalogue."""

    def test_extraction(self, seed_readme: Path) -> None:
        """The seed README links to 70 distinct resources once badges and the list are left out."""
        links = seed_links(seed_readme)
        assert len(links) == 70
        assert "https://github.com/comfy-org/comfyui-manager" in links
        assert not any("shields.io" in link or "awesome.re" in link for link in links)

    def test_every_seed_resource_present(self, curated: SourceResult, seed_readme: Path) -> None:
        """Each link's canonical URL is a curated resource's canonical URL."""
        catalogue = {r.canonical_url for r in curated.resources}
        assert sorted(seed_links(seed_readme) - catalogue) == []
