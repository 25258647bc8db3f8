"""Awesome-list Markdown, both ways: import any list as resources, publish the catalogue as one.

Reading (:func:`parse_awesome_markdown`) takes the shapes awesome lists use:

- ATX headings (``#`` to ``######``) open sections. A section becomes a category when an
  entry falls under it, or when the line after the heading names its id explicitly as
  ``<!-- category: some-id -->``. Otherwise its id is the heading text as a slug (emoji
  and punctuation dropped) and its name the heading text with leading and trailing emoji
  removed; with an explicit id the heading text is taken as it is. The first paragraph
  right after a heading is the category's description. Entries before any heading go
  to the category ``uncategorised``.
- A list item that starts with a link (``- [Name](https://url) - description``,
  ``* [Name](url): description``; emoji or bold markers before the link are allowed)
  or with a bare URL (``- https://url - description``), and a table row (a line
  starting with ``|``) that holds a link, are entries. The link text is the name
  (for bare URLs and empty link texts it comes from the URL; in tables a generic link
  text such as "Download" gives way to the row's first text cell), the rest of the line,
  without one leading separator (a hyphen, en or em dash, or colon), is the description,
  as plain text. In tables the other text cells, joined with ``"; "``, are the description.
- Trailing code spans that are valid tags (a backticked ``video`` or ``upscale``) are the
  tags, and a trailing comment ``<!-- id: some-id, kind: node-pack -->`` gives the id and kind.
  Without one, the id comes from :func:`.urls.id_from_url` and the kind is guessed from
  the URL (:func:`guess_kind`).
- Skipped without a word: links to anchors on the same page (``#...``), badges (images,
  links whose text is only an image, links to shields.io), fenced code, HTML comments,
  items whose first link comes after other text. Skipped and reported with the line:
  relative links, links that are not http(s), and the second entry for a URL or id.
  Only the first line of a list item is read.

Every entry goes through :func:`.validate.parse_resource`, so the rules are those of the
curated data, and every problem carries its Markdown line number.

Writing (:func:`render_awesome_markdown`) produces exactly that shape, escaping every
Markdown special character in names and descriptions, so that reading it back gives the
same resources (id, name, url, category, kind, description and tags; author, licence,
stars and dates are not part of the list).

The modules, by job: :mod:`.inline` tokenizes one line, :mod:`.names` turns text and URLs
into names, slugs and kinds, :mod:`.items` and :mod:`.tables` read one list item or table
row as an entry, :mod:`.parse` reads the blocks and sections and validates the entries, and
:mod:`.render` writes the list.
"""

from .names import MAX_NAME, guess_kind, slugify
from .parse import MAX_CATEGORY_NAME, MAX_LINE, UNCATEGORISED, parse_awesome_markdown
from .render import (
    DEFAULT_INTRO,
    DEFAULT_TITLE,
    GENERATED_NOTE,
    Listing,
    render_awesome_markdown,
    render_entry,
)
from .tables import GENERIC_LINK_TEXTS

__all__ = [
    "DEFAULT_INTRO",
    "DEFAULT_TITLE",
    "GENERATED_NOTE",
    "GENERIC_LINK_TEXTS",
    "MAX_CATEGORY_NAME",
    "MAX_LINE",
    "MAX_NAME",
    "UNCATEGORISED",
    "Listing",
    "guess_kind",
    "parse_awesome_markdown",
    "render_awesome_markdown",
    "render_entry",
    "slugify",
]
