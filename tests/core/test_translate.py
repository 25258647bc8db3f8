"""Chinese search words are read through the pack's own translations."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from nodes.app import translate
from nodes.app.translate import english_query, vocabulary


@pytest.fixture
def locales(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A locales folder of our own, instead of the pack's."""
    monkeypatch.setattr(translate, "LOCALES", tmp_path)
    vocabulary.cache_clear()
    yield tmp_path
    vocabulary.cache_clear()


def write(folder: Path, lang: str, names: dict[str, dict[str, str]]) -> None:
    (folder / lang).mkdir(parents=True)
    document = {"awesomeBeyond": {"tags": {}, "kinds": {}, "categories": {}, **names}}
    (folder / lang / "main.json").write_text(json.dumps(document), encoding="utf-8")


@pytest.mark.parametrize(
    ("query", "english"),
    [
        ("视频", "video"),
        ("文生图", "text to image"),  # a tag id, words apart
        ("视频 upscale", "video upscale"),
        ("upscale", "upscale"),  # nothing to translate: the same text back
        ("未知词", "未知词"),  # no translation known: left as typed
    ],
)
def test_the_pack_translations(query: str, english: str) -> None:
    assert english_query(query) == english


def test_longer_words_first_and_categories_by_their_english_name(locales: Path) -> None:
    write(locales, "en", {"categories": {"video-generation": "Video Generation"}})
    write(
        locales,
        "zh",
        {
            "tags": {"video": "视频", "ascii": "not chinese"},
            "categories": {"video-generation": "视频生成", "only-zh": "仅中文"},
        },
    )
    assert vocabulary() == (
        ("视频生成", "Video Generation"),
        ("仅中文", "only zh"),  # no English name: its id, words apart
        ("视频", "video"),
    )
    assert english_query("视频生成 视频") == "Video Generation video"


def test_unreadable_translations_leave_queries_as_typed(
    locales: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write(locales, "zh", {"tags": {"video": "视频"}})  # and no English file
    assert english_query("视频") == "视频"
    assert "search words in zh are not translated" in caplog.text
