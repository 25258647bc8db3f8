"""Over a real server: after its first answer, the search route keeps the catalogue and its
index in the pack's cache folder (in the background), and a server started again on the
same folder answers from it, the same, without loading the sources."""

from __future__ import annotations

import time
from pathlib import Path

from nodes.app.pack import Pack
from nodes.core.catalog import FunctionSource
from nodes.core.model import SourceResult
from nodes.sources.catalog_cache import CATALOG_FILE, MIN_KEPT_RESOURCES
from tests.helpers.builders import bare_resource
from tests.helpers.live import LiveServer, comfy_app


def wait_for(path: Path, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not path.is_file() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert path.is_file(), f"{path} was not written"


def packs(count: int) -> FunctionSource:
    """A source of ``count`` node packs, as a large database would give."""
    found = tuple(bare_resource(f"p{i}", f"Video Pack {i}", source="many") for i in range(count))
    return FunctionSource("many", lambda: "v1", lambda: SourceResult("many", found))


def test_the_next_start_answers_from_the_kept_catalogue(tmp_path: Path, data_dir: Path) -> None:
    pack = Pack(tmp_path / "user", data_dir, [packs(MIN_KEPT_RESOURCES)])
    with LiveServer(comfy_app(lambda: pack)) as server:
        first = server.get("/resources", params={"q": "vidoe"})  # a typo: the typo table too
        assert first.status == 200
        wait_for(pack.cache_dir / CATALOG_FILE)
    again = Pack(tmp_path / "user", data_dir, [packs(MIN_KEPT_RESOURCES)])
    with LiveServer(comfy_app(lambda: again)) as server:
        answer = server.get("/resources", params={"q": "vidoe"})
        assert answer.json() == first.json()
        assert again.catalog().index_reused


def test_a_small_catalogue_is_not_kept(api: LiveServer, pack: Pack) -> None:
    """The sample catalogue loads in a few ms: no file for it."""
    assert api.get("/resources", params={"q": "vid"}).status == 200  # too short for typos
    text = pack.catalog().index._text
    deadline = time.monotonic() + 20
    while text._typos is None and time.monotonic() < deadline:  # the background work began
        time.sleep(0.02)
    with pack._preparing:  # and ended
        assert text._typos is not None
    assert not (pack.cache_dir / CATALOG_FILE).exists()
