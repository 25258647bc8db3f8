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
  ``* [Name](url): description``; emoji or bold markers before the link are allowed),
  with a bare URL (``- https://url - description``, also in bold), or with a bold name
  before a link or URL (``- **Name**: https://url - description``) is an entry. The link
  text (or the bold name) is the name; for bare URLs and empty link texts it comes from
  the URL. The rest of the line is the description, as plain text, without the noise
  generated lists leave around it (separators and arrows such as ``-``, ``:``, ``=``,
  ``=>``; star counters such as ``(⭐+255):``; ComfyUI-Manager's ``a/`` link-text
  prefixes). A line with a metadata comment (below) is read exactly, without that cleanup.
- A table row (a line starting with ``|``) that holds a link is an entry, read by column
  when its table has a header (see :mod:`.tables`): the link of the "Repo"/"Link"/"URL"
  column, else of the name column, wins over links in the description; the type column
  gives the kind; author, stars, last update and licence columns give those fields and
  stay out of the description. Rows of a table without a header are read by position:
  the first link, the other text cells joined with ``"; "`` as the description.
- Trailing code spans that are valid tags (a backticked ``video`` or ``upscale``) are the
  tags, and a trailing comment ``<!-- id: some-id, kind: node-pack -->`` gives the id and kind.
  Without one, the id comes from :func:`.urls.id_from_url`; the kind is the catalogue's
  (``kinds``, by canonical URL), else the type column's, else guessed (:func:`guess_kind`).
- Not entries, and not problems: links to anchors on the same page (``#...``), badges
  (links whose text is only an image, links to shields.io), items whose first link comes
  after other text; each linked one is still accounted for, with its reason, in
  ``items``. Fenced code and HTML comments are skipped. Skipped and reported with the
  line: relative links, links that are not http(s), and the second entry for a URL or
  id. Only the first line of a list item is read.

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
