"""What the nodes' menus list, and the values saved workflows may still hold.

The Resource Picker lists ``Name — Category`` (the name first, so a narrow menu still
shows what matters): every entry of the curated catalogue and the user's own, then the
most popular others, :data:`MAX_PICKER_MENU` in all, in catalogue order. ComfyUI sends
every node's menus to the page when it loads (6 MB for 100,000 entries); any entry's
label is still accepted when saved or typed. The Resource Browser's category menu lists
category names. Combo values are saved in workflows, so the values of earlier versions
keep working: the picker's ``Category / Name`` labels
(:func:`..app.browse.picker_labels`) and the browser's category ids. Loaded on first
use, never when ComfyUI imports the pack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from ..app.browse import picker_labels
from ..core.catalog import Catalog
from ..core.constants import ALL, MAX_TEXT
from ..core.query.index import popularity

T = TypeVar("T")
SEPARATOR = " — "  # between a resource's name and its category in the picker
MAX_PICKER_MENU = 2000  # labels in the picker's menu (every entry's label is accepted)
_CHOSEN_SOURCES = ("curated", "user")  # listed first: picked by hand, and few


@dataclass(frozen=True, slots=True)
class Choices:
    """One catalogue version's menus: label -> id, in menu order."""

    picker: dict[str, str]  # every entry
    categories: dict[str, str]
    menu: list[str]  # the picker's menu: MAX_PICKER_MENU labels at most


_cache: dict[str, Choices] = {}


def unique_labels(
    items: Iterable[T], label: Callable[[T], str], ident: Callable[[T], str]
) -> dict[str, str]:
    """Label -> id; a label that several items share gets the id after it: ``Name [id]``.

    >>> unique_labels(["a", "b", "c"], lambda s: "X" if s != "c" else "Y", str.upper)
    {'X [A]': 'A', 'X [B]': 'B', 'Y': 'C'}
    """
    pairs = [(label(item), ident(item)) for item in items]
    seen: dict[str, int] = {}
    for text, _ in pairs:
        seen[text] = seen.get(text, 0) + 1
    return {(text if seen[text] == 1 else f"{text} [{key}]"): key for text, key in pairs}


def choices(catalog: Catalog) -> Choices:
    """The menus of this catalogue version (kept until the catalogue changes)."""
    cached = _cache.get(catalog.version)
    if cached is not None:
        return cached
    picker = unique_labels(
        catalog.resources,
        lambda r: f"{r.name}{SEPARATOR}{catalog.category_name(r.category)}",
        lambda r: r.id,
    )
    categories = unique_labels(catalog.categories, lambda c: c.name, lambda c: c.id)
    _cache.clear()
    _cache[catalog.version] = found = Choices(picker, categories, _menu(catalog, picker))
    return found


def _menu(catalog: Catalog, picker: dict[str, str]) -> list[str]:
    """The entries of the chosen sources, then the most popular, in catalogue order."""
    resources = catalog.resources
    if len(resources) <= MAX_PICKER_MENU:
        return list(picker)
    ranked = sorted(
        range(len(resources)),
        key=lambda n: (resources[n].source not in _CHOSEN_SOURCES, -popularity(resources[n])),
    )
    kept = {resources[n].id for n in ranked[:MAX_PICKER_MENU]}
    return [label for label, ident in picker.items() if ident in kept]


def category_menu(catalog: Catalog) -> list[str]:
    """The browser's category menu: "all", then each category by name."""
    return [ALL, *choices(catalog).categories]


def category_id(catalog: Catalog, value: str) -> str | None:
    """The category a menu value means ("" for all), or None when it names none.

    A category's name (the menu since this version) and its id (saved by earlier
    versions) both work.
    """
    if value == ALL:
        return ""
    found = choices(catalog).categories.get(value)
    if found is not None:
        return found
    return value if any(c.id == value for c in catalog.categories) else None


def resource_id(catalog: Catalog, label: str) -> str | None:
    """The resource a picker label names: ``Name — Category``, or an earlier ``Category / Name``."""
    return choices(catalog).picker.get(label) or picker_labels(catalog).get(label)


def unknown(value: object, what: str, another: str) -> str:
    """The message for a saved value that names nothing (any more).

    >>> unknown("Gone", "in the catalogue", "resource")
    "'Gone' is not in the catalogue (it may have been renamed or removed); pick another resource"
    """
    return (
        f"{str(value)[:MAX_TEXT]!r} is not {what} (it may have been renamed or removed); "
        f"pick another {another}"
    )
