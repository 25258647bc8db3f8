"""Awesome-list Markdown: reading any list into resources, and rendering the catalogue as one."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nodes.core.catalog import Catalog
from nodes.core.model import KINDS, Category, Resource, SourceResult
from nodes.core.urls import is_valid_url
from nodes.core.validate import MAX_NAME, Location, parse_category, parse_resource
from nodes.sources.curated import load_curated
from nodes.sources.markdown import (
    DEFAULT_INTRO,
    GENERATED_NOTE,
    UNCATEGORISED,
    guess_kind,
    parse_awesome_markdown,
    render_awesome_markdown,
    render_entry,
)
from nodes.sources.markdown.items import BADGE, INSIDE_TEXT, SECTION_LINK
from nodes.sources.markdown.names import kind_from_type
from nodes.sources.markdown.tables import DESCRIPTION_LINK, column_role

SEED_LIST = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "awesome-comfyui-beyond" / "README.md"
)


def parse(text: str) -> SourceResult:
    return parse_awesome_markdown(textwrap.dedent(text).lstrip("\n"), "list.md")


def fields(resource: Resource) -> tuple[object, ...]:
    """What a rendered list carries of a resource."""
    return (
        resource.id,
        resource.name,
        resource.url,
        resource.category,
        resource.kind,
        resource.description,
        resource.tags,
    )


def entries(result: SourceResult) -> list[tuple[str, str, str, str]]:
    return [(r.name, r.url, r.category, r.description) for r in result.resources]


def messages(result: SourceResult) -> list[str]:
    return [str(p) for p in result.problems]


def resource(
    rid: str,
    name: str,
    url: str,
    category: str = "tools",
    kind: str = "tool",
    description: str = "",
    tags: tuple[str, ...] = (),
) -> Resource:
    return Resource(rid, name, url, category, kind, description, tags)


class TestHeadings:
    """Headings open sections; a section with entries is a category."""

    @pytest.mark.parametrize(
        ("heading", "category"),
        [
            ("# 🚀 Video Gen ✨", Category("video-gen", "Video Gen")),
            (
                "## What's Hot in 2024-2025",
                Category("whats-hot-in-2024-2025", "What's Hot in 2024-2025"),
            ),
            ("### Face & Portrait ###", Category("face-portrait", "Face & Portrait")),
            (
                "#### 1️⃣ ComfyUI Manager ![Req](https://img.shields.io/badge/x)",
                Category("comfyui-manager", "ComfyUI Manager"),
            ),
            ("##### **Bold**   `code`", Category("bold-code", "Bold code")),
            ("###### Café Crème", Category("cafe-creme", "Café Crème")),
            ("## 🚀", Category("section-1", "🚀")),
            ("## 视频", Category("section-1", "视频")),
            ("##", Category("section-1", "Section at line 1")),
            (
                "   ## Indented [link](https://x.org) \\#",
                Category("indented-link", "Indented link #"),
            ),
        ],
    )
    def test_heading_text_gives_id_and_name(self, heading: str, category: Category) -> None:
        """Ids are slugs without emoji or punctuation; names lose leading and trailing emoji."""
        result = parse(f"{heading}\n- [A](https://a.org)\n")
        assert result.categories == (category,)
        assert [r.category for r in result.resources] == [category.id]

    @pytest.mark.parametrize("line", ["##Foo", "####### seven", "    ## code"])
    def test_not_a_heading(self, line: str) -> None:
        """Without a space, with seven hashes or four spaces of indent, it is no heading."""
        result = parse(f"# Tools\n{line}\n- [A](https://a.org)\n")
        assert [c.id for c in result.categories] == ["tools"]

    def test_entries_before_any_heading_are_uncategorised(self) -> None:
        """The category "uncategorised" exists only when something needs it, and comes first."""
        result = parse("""
            - [A](https://a.org)
            # Tools
            - [B](https://b.org)
        """)
        assert result.categories == (UNCATEGORISED, Category("tools", "Tools"))
        assert [r.category for r in result.resources] == ["uncategorised", "tools"]

    def test_sections_without_entries_are_not_categories(self) -> None:
        """Titles, tables of contents and licence sections hold no entries and are dropped."""
        result = parse("""
            # Awesome Things
            ## Contents
            - [Tools](#tools)
            ## Tools
            - [A](https://a.org)
            ## License
            MIT
        """)
        assert result.categories == (Category("tools", "Tools"),)
        assert result.problems == ()

    def test_nearest_heading_wins(self) -> None:
        """An entry belongs to the last heading above it, whatever its level."""
        result = parse("""
            ## Video
            - [A](https://a.org)
            ### Tools for video
            - [B](https://b.org)
            ## Images
            - [C](https://c.org)
        """)
        assert [r.category for r in result.resources] == ["video", "tools-for-video", "images"]

    def test_same_slug_twice_is_one_category(self) -> None:
        """Two headings with one slug share a category, named by the first."""
        result = parse("""
            ## Key Features
            - [A](https://a.org)
            ## 🎯 Key features!
            - [B](https://b.org)
        """)
        assert result.categories == (Category("key-features", "Key Features"),)
        assert [r.category for r in result.resources] == ["key-features", "key-features"]

    def test_first_paragraph_is_the_description(self) -> None:
        """The paragraph right after a heading, lines joined, is the category's description."""
        result = parse("""
            ## Tools

            Small **helpers** for
            everyday [work](https://w.org).

            A second paragraph is not part of it.

            - [A](https://a.org)
        """)
        assert result.categories == (
            Category("tools", "Tools", "Small helpers for everyday work."),
        )

    @pytest.mark.parametrize(
        "between",
        [
            "- [A](https://a.org)\n",
            "<div>\n",
            "---\n",
            "```\ncode\n```\n",
            "| a | b |\n",
            "> quote\n",
        ],
    )
    def test_description_only_before_other_blocks(self, between: str) -> None:
        """A paragraph after a list, HTML, a rule, code, a table or a quote is no description."""
        result = parse(f"## Tools\n{between}\nLate text.\n\n- [B](https://b.org)\n")
        assert result.categories[-1].description == ""

    @pytest.mark.parametrize("between", ["<!-- a\ncomment -->\n", "<!-- note -->\n", "\n\n"])
    def test_comments_and_blank_lines_are_invisible(self, between: str) -> None:
        """Comments and blank lines between a heading and its paragraph change nothing."""
        result = parse(
            f"## Tools\n{between}\nThe text.\n<!-- inside -->\ngoes on.\n- [B](https://b.org)\n"
        )
        assert result.categories[0].description == "The text. goes on."

    def test_explicit_category_id(self) -> None:
        """A ``<!-- category: id -->`` line after the heading sets the id; the name stays as is."""
        result = parse("""
            ## 🚀 Video & More
            <!-- category: video -->

            Moving pictures.
        """)
        assert result.categories == (Category("video", "🚀 Video & More", "Moving pictures."),)
        assert result.resources == ()

    def test_invalid_explicit_id_is_reported(self) -> None:
        """A bad id in the marker is reported and the heading's own id is used."""
        result = parse("## Video\n<!-- category: Not_Valid! -->\n- [A](https://a.org)\n")
        assert [c.id for c in result.categories] == ["video"]
        assert messages(result) == [
            "list.md:2: category: 'Not_Valid!' is not a valid category "
            "id; the heading's own id 'video' is used"
        ]

    @pytest.mark.parametrize(
        "text",
        [
            "<!-- category: x -->\n- [A](https://a.org)\n",
            "## Video\n\nText.\n<!-- category: x -->\n- [A](https://a.org)\n",
            "## Video\n- [A](https://a.org)\n<!-- category: x -->\n",
        ],
    )
    def test_late_marker_is_only_a_comment(self, text: str) -> None:
        """A marker anywhere but right after a heading changes nothing."""
        result = parse(text)
        assert [c.id for c in result.categories] in (["uncategorised"], ["video"])
        assert result.problems == ()

    def test_long_names_are_shortened(self) -> None:
        """Category names longer than 80 characters end in an ellipsis."""
        result = parse(f"## {'Word ' * 30}\n- [A](https://a.org)\n")
        name = result.categories[0].name
        assert (len(name), name[-2:]) == (80, "d\u2026")
        assert result.categories[0].id == "-".join(["word"] * 16)  # 80 characters, less a "-"

    def test_bad_description_is_reported_and_dropped(self) -> None:
        """A description over the limit is reported; the category stays, without it."""
        result = parse(f"## Tools\n\n{'x' * 2001}\n\n- [A](https://a.org)\n")
        assert result.categories == (Category("tools", "Tools"),)
        assert messages(result) == [
            "list.md:1: description: is 2001 characters long; the limit is 2000"
        ]

    def test_bad_name_is_reported_and_replaced(self) -> None:
        """A heading with control characters is reported and gets a neutral name."""
        result = parse("## Bad\x0bname\n<!-- category: bad -->\n- [A](https://a.org)\n")
        assert result.categories == (Category("bad", "Section at line 1"),)
        assert messages(result) == ["list.md:1: name: must not contain control characters"]


class TestListItems:
    """List items that start with a link or a URL are entries."""

    @pytest.mark.parametrize(
        "line",
        [
            "- [Name](https://x.org) - A tool.",
            "* [Name](https://x.org): A tool.",
            "+ [Name](https://x.org) \u2014 A tool.",
            "1. [Name](https://x.org) \u2013 A tool.",
            "12) [Name](https://x.org) A tool.",
            "- **[Name](https://x.org)** - A tool.",
            "- 🎨 [Name](https://x.org) - A tool.",
            "- 1️⃣ ![icon](https://x.org/i.png) [Name](https://x.org) - A tool.",
            "- [ ] [Name](https://x.org) - A tool.",
            '    - [Name](https://x.org "The title") - A tool.',
            "- [Name](<https://x.org>) - A tool.",
            "- [Name](https://x.org) - A tool. <!-- a note -->",
            "- [Name](https://x.org)   -   A tool.   ",
            "- [Name](https://x.org) - A tool.\r",
        ],
    )
    def test_link_item_shapes(self, line: str) -> None:
        """Markers, separators, decoration and titles vary; name and description do not."""
        result = parse(f"# Tools\n{line}\n")
        assert entries(result) == [("Name", "https://x.org", "tools", "A tool.")]
        assert result.problems == ()

    @pytest.mark.parametrize(
        ("line", "name", "url", "description"),
        [
            (
                "- https://github.com/kijai/ComfyUI-KJNodes - Handy nodes.",
                "ComfyUI-KJNodes",
                "https://github.com/kijai/ComfyUI-KJNodes",
                "Handy nodes.",
            ),
            (
                "- https://github.com/logtd/ComfyUI-MochiEdit (Video editing)",
                "ComfyUI-MochiEdit",
                "https://github.com/logtd/ComfyUI-MochiEdit",
                "Video editing",
            ),
            ("- See https://x.org/a/b.", None, None, None),
            ("- https://x.org/tools/My%20Tool.", "My Tool", "https://x.org/tools/My%20Tool", ""),
            ("- https://www.x.org", "x.org", "https://www.x.org", ""),
            ("- https://x.org/a_(b), more.", "a_(b)", "https://x.org/a_(b)", "more."),
            ("- https://x.org/a_(b)).", "a_(b)", "https://x.org/a_(b)", ""),
            ("- https://x.org/a. 🚀", "a", "https://x.org/a", ""),
            ("- <https://x.org/tool> - Autolinked.", "tool", "https://x.org/tool", "Autolinked."),
            ("- [](https://x.org/empty) - No text.", "empty", "https://x.org/empty", "No text."),
        ],
    )
    def test_bare_urls(
        self, line: str, name: str | None, url: str | None, description: str | None
    ) -> None:
        """Bare URLs and empty link texts are named after the repository or the last path part."""
        result = parse(f"# Tools\n{line}\n")
        expected = [] if name is None else [(name, url, "tools", description)]
        assert entries(result) == expected

    def test_description_is_plain_text(self) -> None:
        """Links, emphasis, code, entities, HTML and images become the text a reader sees."""
        result = parse("""
            # Tools
            - [A](https://a.org) - Uses [B](https://b.org), **bold**, _it_, ~~old~~, `x`, \
&amp; &#8212; ![img](https://i.org/x.png)<b>tag</b><br>next <https://c.org> 5 * 3 snake_case \
a\\*b &nosuch; <3
        """)
        assert result.resources[0].description == (
            "Uses B, bold, it, old, x, & \u2014 tag\nnext https://c.org 5 * 3 snake_case a*b "
            "&nosuch; <3"
        )

    @pytest.mark.parametrize(
        ("line", "name", "description"),
        [
            ("- [A](https://a.org) - C:\\path\\", "A", "C:\\path\\"),
            ("- [A](https://a.org) - `` a`b `` and ` ` and `  `", "A", "a`b and   and"),
            ("- [A](https://a.org) - x <!-- never closed", "A", "x <!-- never closed"),
            ("- [a <!-- ](https://a.org) -->", "a <!--", ""),  # "->" is only an arrow
            ("- [[Inner](https://i.org) outer](https://a.org) - d", "Inner outer", "d"),
        ],
    )
    def test_inline_edge_cases(self, line: str, name: str, description: str) -> None:
        """Stray backslashes, spaced code, unclosed comments and nested links read as on GitHub."""
        result = parse(f"# Tools\n{line}\n")
        assert [(r.name, r.url, r.description) for r in result.resources] == [
            (name, "https://a.org", description)
        ]

    @pytest.mark.parametrize(
        ("tail", "description", "tags"),
        [
            (" - Text `video` `upscale`", "Text", ("video", "upscale")),
            (" `video`", "", ("video",)),
            ("`video`", "", ("video",)),
            (" - Run `pip install` `x`", "Run pip install", ("x",)),
            (" - Text `Video`", "Text Video", ()),
            (" - Text`video`", "Textvideo", ()),
            (" - Text `a` and `b`", "Text a and", ("b",)),
            (" - Text ``a``", "Text", ("a",)),
            (" - Text `unclosed", "Text `unclosed", ()),
        ],
    )
    def test_trailing_tags(self, tail: str, description: str, tags: tuple[str, ...]) -> None:
        """Trailing code spans that are valid tags, each after a space, are the tags."""
        result = parse(f"# Tools\n- [A](https://a.org){tail}\n")
        assert [(r.description, r.tags) for r in result.resources] == [(description, tags)]

    def test_metadata_comment(self) -> None:
        """A trailing ``<!-- id: x, kind: y -->`` sets the id and the kind."""
        result = parse("""
            # Tools
            - [A](https://github.com/a/comfy-a) <!-- id: my-a, kind: workflow -->
            - [B](https://github.com/b/comfy-b) <!-- id: my-b -->
            - [C](https://github.com/c/comfy-c) <!-- not: metadata, at all -->
            - [D](https://github.com/d/comfy-d) <!---->
        """)
        assert [(r.id, r.kind) for r in result.resources] == [
            ("my-a", "workflow"),
            ("my-b", "node-pack"),
            ("c.comfy-c", "node-pack"),
            ("d.comfy-d", "node-pack"),
        ]

    def test_bad_metadata_is_reported(self) -> None:
        """The metadata goes through validation like any field."""
        result = parse("# Tools\n- [A](https://a.org) <!-- id: Bad!, kind: gadget -->\n")
        assert result.resources == ()
        assert messages(result) == [
            "list.md:2: id: 'Bad!' is not a valid id; use 1-80 lowercase letters, digits, '.', "
            "'_' or '-', starting and ending with a letter or digit",
            "list.md:2: kind: 'gadget' is not a kind; use one of: node-pack, model, workflow, "
            "tool, platform, docs, tutorial, community",
        ]

    @pytest.mark.parametrize(
        ("line", "outcome"),
        [
            ("- Just prose about things.", None),
            ("- Prose with a [link](https://x.org) in it.", ("link", INSIDE_TEXT)),
            ("- Prose with a bare https://x.org/a, then more.", ("https://x.org/a", INSIDE_TEXT)),
            ("- Prose with <mailto:a@b.org>.", ("", INSIDE_TEXT)),
            ("- [Section](#section)", ("Section", SECTION_LINK)),
            ("- Go to [Section](#section).", ("Section", SECTION_LINK)),
            ("- [![B](https://img.shields.io/b/a-b)](https://x.org)", ("https://x.org", BADGE)),
            ("- [Stars](https://img.shields.io/github/stars/a/b)", ("Stars", BADGE)),
            ("- ![Screenshot](https://x.org/shot.png)", None),
            ("- ![Alt [inner](https://x.org/in)](https://x.org/img.png)", None),
            ("- [not a link] (https://x.org)", ("https://x.org", INSIDE_TEXT)),
            ("- [unclosed(https://x.org)", ("https://x.org", INSIDE_TEXT)),
            ("* * *", None),
            ("-no-space [A](https://a.org)", None),
            ("- [Spaced](https://x.org/a b c)", ("https://x.org/a", INSIDE_TEXT)),
            ("- **Note**: see [docs](https://x.org).", ("docs", INSIDE_TEXT)),
            ("- **🚀**: https://x.org/a", ("https://x.org/a", INSIDE_TEXT)),
        ],
    )  # fmt: skip
    def test_not_entries(self, line: str, outcome: tuple[str, str] | None) -> None:
        """Prose, anchors, badges and images are not entries, nor problems; each linked one
        is accounted for with its reason."""
        items: list[tuple[int, str, str]] = []
        result = parse_awesome_markdown(f"# Tools\n{line}\n", "list.md", items=items)
        assert (result.resources, result.problems) == ((), ())
        assert items == ([] if outcome is None else [(2, *outcome)])

    @pytest.mark.parametrize(
        ("line", "message"),
        [
            ("- [Mail](mailto:me@x.org)", "url: link 'Mail' is not http(s); skipped"),
            ("- [FTP](ftp://x.org/f)", "url: link 'FTP' is not http(s); skipped"),
            ("- [JS](javascript:alert(1))", "url: link 'JS' is not http(s); skipped"),
            ("- [Guide](docs/guide.md) - Ours.", "url: link 'Guide' is relative; skipped"),
            ("- [CDN](//cdn.x.org/a)", "url: link 'CDN' is relative; skipped"),
            ("- [Empty]()", "url: link 'Empty' is relative; skipped"),
            (
                "- [Bad](https://exa_mple.com/x)",
                "url: host name 'exa_mple.com' is not valid; link 'Bad' skipped",
            ),
            (
                "- [IPv6](http://[::1/x)",
                "url: is not a valid URL (Invalid IPv6 URL); link 'IPv6' skipped",
            ),
            (f"- [{'N' * 121}](https://x.org)", "name: is 121 characters long; the limit is 120"),
        ],
    )
    def test_reported_with_line(self, line: str, message: str) -> None:
        """Links that cannot be entries are reported with their Markdown line."""
        result = parse(f"# Tools\n\n{line}\n")
        assert result.resources == ()
        assert messages(result) == [f"list.md:3: {message}"]

    def test_duplicates_keep_the_first(self) -> None:
        """The same URL twice (in any spelling) keeps the first entry and reports the second."""
        result = parse("""
            # Tools
            - [A](https://github.com/o/Repo) - First.
            - [A again](http://www.github.com/o/repo.git/) - Second.
        """)
        assert entries(result) == [("A", "https://github.com/o/Repo", "tools", "First.")]
        assert messages(result) == [
            "list.md:3: id: 'o.repo' is already used by the entry at list.md:2",
            "list.md:3: url: 'https://github.com/o/repo' is already used by the entry at list.md:2",
        ]

    def test_problems_are_in_line_order(self) -> None:
        """Problems come sorted by line, duplicates among them."""
        result = parse("""
            # Tools
            - [A](https://a.org)
            - [A](https://a.org)
            - [M](mailto:m@x.org)
        """)
        assert [p.line for p in result.problems] == [3, 3, 4]

    def test_code_and_comments_are_skipped(self) -> None:
        """Fenced code and multi-line comments hide their lines, however they look."""
        result = parse("""
            # Tools
            ```markdown
            - [In code](https://code.org)
            ```` not a closing fence
            ```
            ~~~~
            - [In tilde code](https://tilde.org)
            ~~~~
            <!--
            - [Commented](https://comment.org)
            -->
            - [Real](https://real.org)
        """)
        assert [r.name for r in result.resources] == ["Real"]

    def test_only_the_first_line_of_an_item(self) -> None:
        """Continuation lines of an item are not read into its description."""
        result = parse("# Tools\n- [A](https://a.org) - First line\n  continues here.\n")
        assert result.resources[0].description == "First line"

    def test_overlong_lines_are_reported(self) -> None:
        """A line over the limit is skipped with a problem, not parsed."""
        line = f"- [A](https://a.org) <!-- {'x' * 19_971} -->"
        result = parse(f"# Tools\n{line}\n- [B](https://b.org) <!-- {'x' * 19_970} -->\n")
        assert (len(line), [r.name for r in result.resources]) == (20_001, ["B"])
        assert messages(result) == [
            "list.md:2: line: is 20001 characters long; the limit is 20000; skipped"
        ]

    def test_source_name(self) -> None:
        """Resources and the result carry the source name given."""
        result = parse_awesome_markdown("- [A](https://a.org)", "a.md", source="imported")
        assert (result.name, result.resources[0].source) == ("imported", "imported")


class TestTables:
    """Table rows with a link are entries; the other cells describe them."""

    def test_rows_with_links(self) -> None:
        """Header and delimiter rows are skipped; badges and emoji-only cells do not count."""
        result = parse("""
            # Video
            | Tool | Purpose | Stars |
            | ---- | :-----: | ----: |
            | [VHS](https://github.com/k/ComfyUI-VHS) | Video I/O | ![S](https://img.shields.io/s) |
            | 🥇 | [ZHO](https://github.com/z/flows) | ![S](https://img.shields.io/s) | Workflows |
            | 🎨 [Impact](https://github.com/l/Impact) | Detailer | Face refinement |
            | No link | here |
        """)
        assert entries(result) == [
            ("VHS", "https://github.com/k/ComfyUI-VHS", "video", "Video I/O"),
            ("Impact", "https://github.com/l/Impact", "video", "Detailer"),  # "Stars" is no text
        ]
        assert [r.kind for r in result.resources] == ["node-pack", "tool"]
        assert messages(result) == []  # ZHO's only link is in the "Purpose" column: no entry

    @pytest.mark.parametrize(
        ("row", "name", "description"),
        [
            (
                "| **SD3 Medium** | June 2024 | [📥 Download](https://x.org/sd3) |",
                "SD3 Medium",
                "June 2024",
            ),
            ("| SDXL Base | [📥](https://x.org/sdxl.safetensors) |", "SDXL Base", ""),
            ("| [📥](https://x.org/file.bin) |", "file.bin", ""),
            ("| [Visit](https://x.org/v) | 🔥 |", "Visit", ""),
            ("| [Tool](https://x.org/t) (beta) | Fast |", "Tool", "(beta); Fast"),
            ("| [A \\| B](https://x.org/ab) | pipe \\| inside |", "A | B", "pipe | inside"),
            ("[Tool](https://x.org/t) | no leading pipe |", None, None),
        ],
    )
    def test_row_shapes(self, row: str, name: str | None, description: str | None) -> None:
        """A generic link text gives way to the first text cell; pipes can be escaped."""
        result = parse(f"# Models\n{row}\n")
        expected = [] if name is None else [(name, description)]
        assert [(r.name, r.description) for r in result.resources] == expected

    def test_first_real_link_of_a_row(self) -> None:
        """Badge links are passed over; the first real link of the row is the entry."""
        result = parse(
            "# T\n| [![b](https://i.org/b.svg)](https://b.org) | [Real](https://r.org) "
            "| [Second](https://s.org) |\n"
        )
        assert [(r.name, r.url) for r in result.resources] == [("Real", "https://r.org")]

    def test_bad_links_in_rows_are_reported(self) -> None:
        """Non-http links in tables are reported like those in lists."""
        result = parse("# T\n| [Mail](mailto:a@b.org) | x |\n| [Top](#t) | y |\n")
        assert result.resources == ()
        assert messages(result) == ["list.md:2: url: link 'Mail' is not http(s); skipped"]


class TestListNoise:
    """What generated lists put around an entry is not part of it."""

    @pytest.mark.parametrize(
        ("line", "description"),
        [
            ("- [A](https://a.org) (⭐+255): Loads videos.", "Loads videos."),
            ("- [A](https://a.org) (★ 1.2k) - Loads videos.", "Loads videos."),
            ("- [A](https://a.org) ⭐ 980 : Loads videos.", "Loads videos."),
            ("- [A](https://a.org) - Loads videos. ⭐ 1,100", "Loads videos."),
            ("- [A](https://a.org) - Loads videos (🌟 12)", "Loads videos"),
            ("- [A](https://a.org) = Loads videos.", "Loads videos."),
            ("- [A](https://a.org) => Loads videos.", "Loads videos."),
            ("- [A](https://a.org) - = Loads videos.", "Loads videos."),
            ("- [A](https://a.org) \u2192 Loads videos.", "Loads videos."),
            ("- [A](https://a.org) - Wraps [a/Foo](https://f.org).", "Wraps Foo."),
            ("- [A](https://a.org) - Keeps a/b and [a/](https://g.org).", "Keeps a/b and a/."),
            ("- [A](https://a.org) - Rated 5 ⭐ by users", "Rated 5 ⭐ by users"),
        ],
    )
    def test_noise_is_dropped(self, line: str, description: str) -> None:
        """Star counters, separators, arrows and ``a/`` link prefixes leave the description."""
        result = parse(f"# Tools\n{line}\n")
        assert [r.description for r in result.resources] == [description]

    def test_metadata_without_a_separator(self) -> None:
        result = parse("# T\n- [A](https://a.org) text <!-- id: a -->\n")
        assert [r.description for r in result.resources] == ["text"]

    def test_metadata_lines_are_read_exactly(self) -> None:
        """A line with ``<!-- id, kind -->`` (as ``render`` writes) keeps its text as written."""
        result = parse(
            "# Tools\n- [A](https://a.org) - = (⭐+255): text <!-- id: a, kind: tool -->\n"
        )
        assert [r.description for r in result.resources] == ["= (⭐+255): text"]

    @pytest.mark.parametrize(
        ("line", "name", "url", "description"),
        [
            ("- **https://x.org/o/Pack** - Nodes.", "Pack", "https://x.org/o/Pack", "Nodes."),
            ("- __https://x.org/tool__ (a tool)", "tool", "https://x.org/tool", "a tool"),
            ("- **https://x.org/tool**", "tool", "https://x.org/tool", ""),
            ("- **Tool**: https://x.org/t - Does it.", "Tool", "https://x.org/t", "Does it."),
            ("- **Tool** - [Git](https://x.org/t): Do it.", "Tool", "https://x.org/t", "Do it."),
            ("- __Tool__ <https://x.org/t>", "Tool", "https://x.org/t", ""),
            ("- **[Tool](https://x.org/t)** - Does it.", "Tool", "https://x.org/t", "Does it."),
        ],
    )  # fmt: skip
    def test_bold_items(self, line: str, name: str, url: str, description: str) -> None:
        """A bare URL in bold, and a bold name before a URL or link, are entries."""
        result = parse(f"# Tools\n{line}\n")
        assert [(r.name, r.url, r.description) for r in result.resources] == [
            (name, url, description)
        ]


class TestTableColumns:
    """A table with a header is read by column: each column says what its cells are."""

    def test_link_column_wins_over_a_link_in_the_description(self) -> None:
        """A wrapper's row links the upstream model in its description; its repository wins."""
        result = parse("""
            # Wrappers
            | Name | Description | Repo |
            |---|---|---|
            | ComfyUI-Wan | Runs [Wan](https://g.co/up/Wan) here | [GitHub](https://g.co/k/C-Wan) |
            | Only upstream | Uses [Wan](https://g.co/up/Wan2) | |
        """)
        assert entries(result) == [
            ("ComfyUI-Wan", "https://g.co/k/C-Wan", "wrappers", "Runs Wan here")
        ]

    def test_the_name_column_link_wins_over_others(self) -> None:
        """Without a link column, the link in the name column is the entry's."""
        result = parse("""
            # T
            | Description | Name | Docs |
            | --- | --- | --- |
            | See [upstream](https://up.org) | [Pack](https://g.co/o/pack) | [Docs](https://d.org) |
        """)
        assert entries(result) == [("Pack", "https://g.co/o/pack", "t", "See upstream")]

    def test_fields_and_kind_by_column(self) -> None:
        """Type decides the kind; author, stars, update and licence become fields, not text."""
        result = parse("""
            # Models
            | 📦 Name | What it does | Type | Author | ⭐ | Last Update | License | Notes |
            | :- | :- | :-: | :- | -: | :- | :- | :- |
            | [Flux](https://x.org/f) | Images | Checkpoint | @bfl | 1.5k | 2024/8/1 | MIT | Big |
            | [Tool](https://x.org/t) | Helps | Misc | n/a | ![s](https://i.io/x) | - | - | - |
        """)
        flux, tool = result.resources
        assert (flux.kind, flux.description, flux.author, flux.stars, flux.updated) == (
            "model",
            "Images",
            "bfl",
            1500,
            "2024-08-01",
        )
        assert flux.license == "MIT"
        assert (tool.kind, tool.description, tool.author, tool.stars, tool.updated) == (
            "tool",  # "Misc" says nothing: the guess decides
            "Helps",
            "",
            None,
            "",
        )

    def test_without_a_description_column_other_text_cells_describe(self) -> None:
        """Unknown columns make the description when no column is the description."""
        result = parse("""
            # Models
            | Model | Release | VRAM | Download |
            | --- | --- | --- | --- |
            | **SD3** | June 2024 | 😀 | [📥 Download](https://x.org/sd3) |
            | [📥](https://x.org/sdxl) SDXL | | | |
        """)
        assert entries(result) == [
            ("SD3", "https://x.org/sd3", "models", "June 2024"),
            ("SDXL", "https://x.org/sdxl", "models", ""),
        ]

    def test_rows_without_entries_are_accounted_for(self) -> None:
        """Badge-only rows and rows linking only in their description are counted, not read."""
        items: list[tuple[int, str, str]] = []
        result = parse_awesome_markdown(
            "# T\n| Name | Description | Stars |\n|---|---|---|\n"
            "| A | Uses [Up](https://up.org) | ![s](https://img.shields.io/a) |\n"
            "| [![b](https://i.org/b.png)](https://b.org) | Image only | |\n"
            "| Plain | No link at all | |\n",
            "list.md",
            items=items,
        )
        assert (result.resources, result.problems) == ((), ())
        assert items == [(4, "Up", DESCRIPTION_LINK), (5, "https://b.org", BADGE)]

    def test_names_from_other_cells(self) -> None:
        """A generic link text gives way to a text cell no column claims, else to the URL."""
        result = parse("""
            # T
            | Repo | Level |
            | --- | --- |
            | --- | --- |
            | [GitHub](https://x.org/r) | Beginner |
            | [GitHub](https://x.org/s) | 😀 |
        """)
        assert [(r.name, r.description) for r in result.resources] == [("Beginner", ""), ("s", "")]

    def test_a_new_table_forgets_the_last_header(self) -> None:
        """Rows after a blank line are another table; without its own header, read by position."""
        result = parse("""
            # T
            | Name | Description | Repo |
            |---|---|---|
            | A | About A | [GitHub](https://github.com/o/a) |

            | [B](https://github.com/o/b) | About B |
        """)
        assert entries(result) == [
            ("A", "https://github.com/o/a", "t", "About A"),
            ("B", "https://github.com/o/b", "t", "About B"),
        ]

    @pytest.mark.parametrize(
        ("header", "role"),
        [
            ("Repo URL", "link"),
            ("Model Name", "name"),
            ("Node Type", "type"),
            ("⭐ Stars", "stars"),
            ("★", "stars"),
            ("🥇", ""),
            ("Made by", "author"),
            ("Licence", "license"),
            ("Params", ""),
        ],
    )
    def test_column_roles(self, header: str, role: str) -> None:
        """Headers name their column by phrase, else by a word in them."""
        assert column_role(header) == role


class TestKinds:
    """An entry's kind: its metadata, then the catalogue in use, then the list, then a guess."""

    LIST = """\
# T
| Name | Type | Link |
| --- | --- | --- |
| Known pack | Tutorial | [Repo](https://github.com/o/Known) |
| Unknown | Tutorial | [Repo](https://github.com/o/unknown) |
| Explicit | Tutorial | [Repo](https://github.com/o/explicit) |
| Guessed | Something | [Repo](https://github.com/o/guessed) |
- [Meta](https://github.com/o/meta) <!-- id: meta, kind: workflow -->
"""

    def test_precedence(self) -> None:
        """The catalogue's kind (by canonical URL) beats the type column, which beats a guess."""
        kinds = {
            "https://github.com/o/known": "node-pack",
            "https://github.com/o/meta": "node-pack",
        }
        result = parse_awesome_markdown(self.LIST, "list.md", kinds=kinds)
        assert [(r.name, r.kind) for r in result.resources] == [
            ("Known pack", "node-pack"),
            ("Unknown", "tutorial"),
            ("Explicit", "tutorial"),
            ("Guessed", "tool"),
            ("Meta", "workflow"),
        ]

    @pytest.mark.parametrize(
        ("text", "kind"),
        [
            ("Custom Node", "node-pack"),
            ("node-pack", "node-pack"),
            ("Video Model", "model"),
            ("LoRA", "model"),
            ("YouTube Channel", "tutorial"),
            ("Course", "tutorial"),
            ("Web App", "tool"),
            ("Cloud service", "platform"),
            ("Wiki", "docs"),
            ("Discord", "community"),
            ("Workflow", "workflow"),
            ("", ""),
            ("Misc", ""),
        ],
    )
    def test_type_column_words(self, text: str, kind: str) -> None:
        """The last word that names a kind decides."""
        assert kind_from_type(text) == kind


class TestGuessKind:
    """Lists rarely say what an entry is; the URL usually does."""

    @pytest.mark.parametrize(
        ("url", "name", "kind"),
        [
            ("https://github.com/kijai/ComfyUI-KJNodes", "", "node-pack"),
            ("https://github.com/acly/krita-ai-diffusion", "Krita for Comfy", "node-pack"),
            ("https://github.com/tencent/MimicMotion", "MimicMotion", "tool"),
            ("https://gitlab.com/x/comfy-thing", "", "tool"),
            ("https://huggingface.co/black-forest-labs/FLUX.1-dev", "", "model"),
            ("https://hf.co/x/y", "", "model"),
            ("https://civitai.com/models/4201", "", "model"),
            ("https://www.youtube.com/@OlivioSarikas", "", "tutorial"),
            ("https://youtu.be/abc", "", "tutorial"),
            ("https://docs.comfy.org/get_started", "", "docs"),
            ("https://comfyui.readthedocs.io/en/latest", "", "docs"),
            ("https://github.com/comfyanonymous/ComfyUI/wiki", "", "docs"),
            ("https://x.org/Documentation/start", "", "docs"),
            ("https://docsify.js.org", "", "tool"),
            ("https://www.comfy.org/download", "", "tool"),
            ("https://github.com/city96/SD-Latent-Upscaler", "", "tool"),
            ("https://github.com/o/latent-tricks-nodes", "", "node-pack"),
            ("https://github.com/o/nodejs-helper", "", "tool"),
            ("https://www.reddit.com/r/comfyui/", "", "community"),
            ("https://discord.gg/comfyorg", "", "community"),
        ],
    )
    def test_guess(self, url: str, name: str, kind: str) -> None:
        """Model hubs, video sites, docs and ComfyUI repositories are told apart."""
        assert guess_kind(url, name) == kind


@pytest.fixture(scope="module")
def seed() -> SourceResult:
    """The real seed list, parsed once for the tests of :class:`TestSeedList`."""
    return parse_awesome_markdown(SEED_LIST.read_text(encoding="utf-8"), "README.md")


@pytest.mark.skipif(not SEED_LIST.exists(), reason=f"the seed list is not at {SEED_LIST}")
class TestSeedList:
    """The real Awesome-ComfyUI-Beyond README imports cleanly."""

    def test_counts(self, seed: SourceResult) -> None:
        """53 linked entries in 14 categories; the rest of the list is prose, code and badges."""
        assert (len(seed.resources), len(seed.categories)) == (53, 14)
        assert [c.id for c in seed.categories] == [
            "requirements",
            "video-tools-utilities",
            "face-enhancement-tools",
            "additional-3d-tools",
            "flux-1-schnell",
            "stable-diffusion-3-3-5-2024",
            "sdxl-models",
            "sd-1-5-2-x-models",
            "video-tutorials-courses",
            "community-platforms",
            "most-starred-2024",
            "essential-resources",
            "specialized-extensions",
            "more-awesome-resources",
        ]

    def test_problems(self, seed: SourceResult) -> None:
        """One repeated repository and four relative links to the repository's own files."""
        assert messages(seed) == [
            "README.md:1263: id: 'comfyui-workflow.awesome-comfyui' is already used by the "
            "entry at README.md:1135",
            "README.md:1263: url: 'https://github.com/comfyui-workflow/awesome-comfyui' is "
            "already used by the entry at README.md:1135",
            "README.md:1360: url: link 'DEVELOPMENT.md' is relative; skipped",
            "README.md:1361: url: link 'CONTRIBUTING.md' is relative; skipped",
            "README.md:1362: url: link 'CHANGELOG.md' is relative; skipped",
            "README.md:1363: url: link 'LESSONS-LEARNED.md' is relative; skipped",
        ]

    def test_entries(self, seed: SourceResult) -> None:
        """Table rows, bullets and bare URLs all yield named, described entries."""
        by_id = {r.id: r for r in seed.resources}
        assert fields(by_id["kosinkadink.comfyui-videohelpersuite"]) == (
            "kosinkadink.comfyui-videohelpersuite",
            "VideoHelperSuite",
            "https://github.com/Kosinkadink/ComfyUI-VideoHelperSuite",
            "video-tools-utilities",
            "node-pack",
            "Essential video processing",
            (),
        )
        assert fields(by_id["huggingface-co-stabilityai-stable-diffusion-3-medium"])[1:] == (
            "SD3 Medium",
            "https://huggingface.co/stabilityai/stable-diffusion-3-medium",
            "stable-diffusion-3-3-5-2024",
            "model",
            "June 2024",
            (),
        )
        assert fields(by_id["logtd.comfyui-mochiedit"])[1:] == (
            "ComfyUI-MochiEdit",
            "https://github.com/logtd/ComfyUI-MochiEdit",
            "requirements",
            "node-pack",
            "Video editing",
            (),
        )
        assert fields(by_id["youtube-com-oliviosarikas-playlists"])[4:6] == (
            "tutorial",  # the "Type" column says YouTube: a tutorial
            "All levels; Free",
        )

    def test_render_and_read_again(self, seed: SourceResult) -> None:
        """The imported list, rendered and read back, is the same list."""
        again = parse_awesome_markdown(render_awesome_markdown(seed), "again.md")
        assert [fields(r) for r in again.resources] == [fields(r) for r in seed.resources]
        assert again.categories == seed.categories
        assert again.problems == ()


class TestRender:
    """The catalogue as an awesome list: title, intro, contents, one section per category."""

    def test_document(self) -> None:
        """The whole document, exactly."""
        doc = render_awesome_markdown(
            (
                [
                    resource(
                        "kj",
                        "KJNodes",
                        "https://github.com/kijai/KJ",
                        "tools",
                        "node-pack",
                        "Handy *nodes*.",
                        ("utils", "ui"),
                    ),
                    resource(
                        "flux",
                        "FLUX.1 [dev]",
                        "https://huggingface.co/b/FLUX.1-dev",
                        "models",
                        "model",
                    ),
                ],
                [
                    Category("tools", "Tools & Utilities", "Small helpers."),
                    Category("models", "Models"),
                ],
            ),
            title="My  List",
        )
        assert doc == textwrap.dedent(f"""\
            # My List

            {DEFAULT_INTRO}

            {GENERATED_NOTE}

            ## Contents

            - [Tools & Utilities](#tools--utilities)
            - [Models](#models)

            ## Tools & Utilities
            <!-- category: tools -->

            Small helpers.

            - [KJNodes](https://github.com/kijai/KJ) - Handy \\*nodes\\*. `utils` `ui` \
<!-- id: kj, kind: node-pack -->

            ## Models
            <!-- category: models -->

            - [FLUX.1 \\[dev\\]](https://huggingface.co/b/FLUX.1-dev) <!-- id: flux, kind: model -->
            """)

    def test_input_shapes(self) -> None:
        """A catalogue, a source result and a (resources, categories) pair render alike."""
        resources = [resource("a", "A", "https://a.org")]
        categories = [Category("tools", "Tools")]
        pair = render_awesome_markdown((iter(resources), iter(categories)))
        assert render_awesome_markdown(Catalog(resources, categories)) == pair
        assert (
            render_awesome_markdown(SourceResult("s", tuple(resources), tuple(categories))) == pair
        )

    def test_empty_and_unknown_categories(self) -> None:
        """Unused categories are left out unless asked for; unknown ones get a section."""
        listing = (
            [resource("a", "A", "https://a.org", "mystery")],
            [Category("tools", "Tools"), Category("tools", "Again")],
        )
        assert "## Tools" not in render_awesome_markdown(listing)
        doc = render_awesome_markdown(listing, include_empty=True)
        assert doc.count("## Tools\n") == 1
        assert doc.index("## Tools\n") < doc.index("## mystery\n<!-- category: mystery -->")
        assert [c.id for c in parse_awesome_markdown(doc, "x").categories] == ["tools", "mystery"]

    def test_anchors_follow_github(self) -> None:
        """Anchors drop punctuation and emoji, keep hyphens, and number repeats like GitHub."""
        doc = render_awesome_markdown(
            (
                [resource(str(i), "A", f"https://a{i}.org", c) for i, c in enumerate("abcdef")],
                [
                    Category("a", "Contents"),
                    Category("b", "🎬 Video: Gen!"),
                    Category("c", "Café_2"),
                    Category("d", "Video Gen"),
                    Category("e", "Video Gen"),
                    Category("f", "My List"),
                ],
            ),
            title="My List",
        )
        toc = doc.split("## Contents\n\n")[1].split("\n\n")[0].splitlines()
        assert toc == [
            "- [Contents](#contents-1)",
            "- [🎬 Video: Gen!](#-video-gen)",
            "- [Café_2](#café_2)",
            "- [Video Gen](#video-gen)",
            "- [Video Gen](#video-gen-1)",
            "- [My List](#my-list-1)",
        ]

    @pytest.mark.parametrize(
        ("text", "escaped"),
        [
            ("[a](b) !x", "\\[a\\]\\(b\\) !x"),
            ("*b* **c** ~d~ $e$ | `f`", "\\*b\\* \\*\\*c\\*\\* \\~d\\~ \\$e\\$ \\| \\`f\\`"),
            ("snake_case _x_ a__b _", "snake_case \\_x\\_ a\\_\\_b \\_"),
            ("<b> </x> <!-- <? <3 < a", "\\<b> \\</x> \\<!-- \\<? <3 < a"),
            ("& &amp; &#1; &x", "& \\&amp; \\&#1; &x"),
            ("back\\slash # h", "back\\\\slash # h"),
            ("line\nbreak", "line<br>break"),
        ],
    )
    def test_escaping(self, text: str, escaped: str) -> None:
        """Markdown specials in names and descriptions are escaped, and only those."""
        line = render_entry(resource("a", "N", "https://a.org", description=text))
        assert line == f"- [N](https://a.org) - {escaped} <!-- id: a, kind: tool -->"
        assert parse_awesome_markdown(line, "x").resources[0].description == text

    @pytest.mark.parametrize(
        ("url", "written"),
        [
            ("https://en.wikipedia.org/wiki/A_(b)", "https://en.wikipedia.org/wiki/A_\\(b\\)"),
            ("https://x.org/[a]<b>\\c", "https://x.org/\\[a\\]\\<b\\>\\\\c"),
            ("https://x.org/?a=1&b=2&amp;", "https://x.org/?a=1&b=2\\&amp;"),
            ("https://x.org/a\u00a0b", "<https://x.org/a\u00a0b>"),
        ],
    )
    def test_url_escaping(self, url: str, written: str) -> None:
        """Brackets, parentheses and entities in URLs are escaped; spaces get angle brackets."""
        line = render_entry(resource("a", "N", url))
        assert line == f"- [N]({written}) <!-- id: a, kind: tool -->"
        assert parse_awesome_markdown(line, "x").resources[0].url == url

    @pytest.mark.parametrize(
        ("description", "written"),
        [
            ("- not a list", "\\- not a list"),
            ("# not a heading", "\\# not a heading"),
            ("1. not a list", "1\\. not a list"),
            ("2) not a list", "2\\) not a list"),
            ("<3 not html", "\\<3 not html"),
            ("> not a quote", "\\> not a quote"),
            ("| not a table", "\\| not a table"),
            ("--- not a rule", "\\--- not a rule"),
            ("``` not a fence", "\\`\\`\\` not a fence"),
            ("Plain", "Plain"),
        ],
    )
    def test_paragraph_escaping(self, description: str, written: str) -> None:
        """A category description that looks like another block is escaped at its start."""
        listing = ([resource("a", "A", "https://a.org")], [Category("tools", "Tools", description)])
        doc = render_awesome_markdown(listing, intro="")
        assert f"<!-- category: tools -->\n\n{written}\n\n- [A]" in doc
        assert parse_awesome_markdown(doc, "x").categories[0].description == description

    def test_blank_title_and_intro(self) -> None:
        """A blank title falls back to the default; a blank intro is left out."""
        doc = render_awesome_markdown(([], []), title="  ", intro=" ")
        assert doc == f"# Awesome ComfyUI Beyond\n\n{GENERATED_NOTE}\n\n## Contents\n\n"

    def test_heading_escaping(self) -> None:
        """Hashes and specials in headings are escaped so the name comes back whole."""
        doc = render_awesome_markdown(
            ([resource("a", "A", "https://a.org", "c")], [Category("c", "C# [tips] ##")]),
            title="#1 *List*",
        )
        assert doc.startswith("# \\#1 \\*List\\*\n")
        assert "\n## C\\# \\[tips\\] \\#\\#\n" in doc
        assert parse_awesome_markdown(doc, "x").categories == (Category("c", "C# [tips] ##"),)

    def test_deterministic(self) -> None:
        """Rendering the same catalogue twice gives the same bytes."""
        curated = load_curated()
        assert render_awesome_markdown(curated) == render_awesome_markdown(curated)


# ------------------------------------------------------------------------------ round trip

SPECIALS = [
    *"[]()\\`*_~|<>&#!$-:{}\"'.+=;/?%@^",
    "\u2014",
    "\u2013",
    "&amp;",
    "&#169;",
    "<br>",
    "<b>",
    "<!--",
    "-->",
    "**",
    "__",
    "](",
    "![",
    "```",
    "🚀",
    "1️⃣",
    "\u00a0",
    "\u2028",
    "\u3000",
    "\u200b",
    " - ",
    ": ",
    " `tag`",
    "<!-- id: x, kind: tool -->",
    "<https://x.org>",
    "https://x.org/a_b",
]
_characters = st.characters(blacklist_categories=("Cc", "Cs"))


def _text(max_size: int, *, newlines: bool = False) -> st.SearchStrategy[str]:
    pieces = st.one_of(_characters, st.sampled_from(SPECIALS + (["\n"] if newlines else [])))
    return st.lists(pieces, min_size=1, max_size=max_size).map("".join).map(str.strip).filter(bool)


_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_ids = st.builds(  # ID_RE, built rather than drawn from a regex: much faster
    lambda head, middle, tail: head + (middle + tail if middle else ""),
    st.sampled_from(_ALNUM),
    st.text(_ALNUM + "._-", max_size=12),
    st.sampled_from(_ALNUM),
)
_tags = st.lists(
    st.builds(str.__add__, st.sampled_from(_ALNUM), st.text(_ALNUM + "+._-", max_size=8)),
    max_size=4,
    unique=True,
)
_url_chars = st.one_of(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters=" "),
    st.sampled_from([*"()[]<>\\&;#?%`*_|", "&amp;", "\u00a0"]),
)
_urls = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}.org/{path}",
    st.sampled_from(["http", "https"]),
    st.builds(str.__add__, st.text(_ALNUM + "-", max_size=8), st.sampled_from(_ALNUM)),
    st.lists(_url_chars, max_size=20).map("".join),
).filter(is_valid_url)


_names = _text(40).filter(lambda name: len(name) <= MAX_NAME)  # pieces may be several characters
_descriptions = _text(80, newlines=True)
_category_names = _text(30)
_category_descriptions = st.one_of(st.just(""), _text(60))
_kinds = st.sampled_from(KINDS)


@st.composite
def catalogues(draw: st.DrawFn) -> tuple[list[Resource], list[Category]]:
    """Valid categories and resources, ids and canonical URLs unique, as a catalogue holds them."""
    categories: list[Category] = []
    for category_id in draw(st.lists(_ids, min_size=1, max_size=4, unique=True)):
        values = {"id": category_id, "name": draw(_category_names)}
        description = draw(_category_descriptions)
        if description:
            values["description"] = description
        category, _ = parse_category(values, Location("generated"))
        assume(category is not None and len(category.name) <= 80)
        assert category is not None
        categories.append(category)
    resources: list[Resource] = []
    for _ in range(draw(st.integers(0, 6))):
        raw: dict[str, object] = {
            "id": draw(_ids),
            "name": draw(_names),
            "url": draw(_urls),
            "category": categories[draw(st.integers(0, len(categories) - 1))].id,
            "kind": draw(_kinds),
            "description": draw(_descriptions),
            "tags": draw(_tags),
        }
        if draw(st.booleans()):
            del raw["description"]
        item, problems = parse_resource(raw, Location("generated"))
        assert item is not None, problems
        if all(item.id != r.id and item.canonical_url != r.canonical_url for r in resources):
            resources.append(item)
    return resources, categories


class TestRoundTrip:
    """Reading a rendered catalogue gives back the catalogue."""

    @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(catalogues())
    def test_parse_render_is_identity(
        self, catalogue: tuple[list[Resource], list[Category]]
    ) -> None:
        """Id, name, URL, category, kind, description and tags survive, whatever the text."""
        resources, categories = catalogue
        back = parse_awesome_markdown(render_awesome_markdown(catalogue), "rendered.md")
        assert back.problems == ()
        assert sorted(map(fields, back.resources)) == sorted(map(fields, resources))
        used = [c for c in categories if any(r.category == c.id for r in resources)]
        assert list(back.categories) == used

    def test_curated_catalogue(self) -> None:
        """All 94 curated resources come back from the rendered list, in category order."""
        curated = load_curated()
        back = parse_awesome_markdown(render_awesome_markdown(curated), "README.md")
        assert (len(curated.resources), back.problems) == (94, ())
        assert {r.id: fields(r) for r in back.resources} == {
            r.id: fields(r) for r in curated.resources
        }
        used = {r.category for r in curated.resources}
        assert back.categories == tuple(c for c in curated.categories if c.id in used)
        assert len(back.categories) == 11

    @settings(max_examples=300, deadline=None)
    @given(
        st.lists(
            st.one_of(
                _characters,
                st.sampled_from(
                    [*SPECIALS, "\n", "\r", "|", "# ", "- ", "```", "[a](https://a.org)"]
                ),
            ),
            max_size=100,
        ).map("".join)
    )
    def test_any_text_parses(self, text: str) -> None:
        """Any text is read without raising; every problem points at one of its lines."""
        result = parse_awesome_markdown(text, "any.md")
        lines = text.count("\n") + 1
        assert all(1 <= (p.line or 0) <= lines for p in result.problems)
        assert {r.category for r in result.resources} <= {c.id for c in result.categories}

    @pytest.mark.parametrize(
        "line",
        [
            "- " + "[" * 5000 + "](" * 3000 + ")" * 3000,
            "- " + "`" * 3000 + "x" + "``" * 3000,
            "- [a](https://a.org) " + "<!--" * 4000 + "<a" * 2000 + "&#" * 2000 + "**_" * 1000,
        ],
    )
    def test_pathological_lines(self, line: str) -> None:
        """Deep nesting and unclosed constructs are read in one pass, without recursion."""
        result = parse_awesome_markdown(line, "bad.md")
        assert len(result.resources) <= 1
