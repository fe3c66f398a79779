"""content/format.md, the format reference, documents exactly the fields the loader accepts.

The field tables in ``load/schema.py`` are the one source of truth. Each table has a section in
format.md with a table of the same fields; a field that holds a mapping or a list of mappings
links from its row to the section of its own fields. A field the loader accepts but the page
does not document fails here, and so does a documented field the loader does not know.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from campaign_portal.load.schema import CAMPAIGN_FIELDS, LEADER_FIELDS, Field

FORMAT_PAGE = Path(__file__).resolve().parent.parent / "content" / "format.md"
ROOT_SECTIONS = {"leaders": ("Leaders", LEADER_FIELDS), "campaign": ("Campaigns", CAMPAIGN_FIELDS)}

# Fields another change documents ahead of the loader (the reference was written from the spec):
# tolerated only while the loader does not know them yet. Once it does they are checked like any
# other field, so this set needs no upkeep; delete an entry when its field has landed.
DOCUMENTED_AHEAD: set[str] = set()


@dataclass(frozen=True)
class Row:
    name: str
    type: str
    default: str
    meaning: str


def heading_anchor(title: str) -> str:
    """The anchor MkDocs' toc gives a heading: lowercase, punctuation dropped, spaces to hyphens."""
    slug = re.sub(r"[^\w\s-]", "", title.strip().lower())
    return re.sub(r"[-\s]+", "-", slug).strip("-")


def sections(text: str) -> dict[str, list[Row]]:
    """Each heading's anchor, with the rows of the field table under it (before the next heading)."""
    found: dict[str, list[Row]] = {}
    current: list[Row] | None = None
    in_fence = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        heading = re.match(r"#{2,4} (.+)", line)
        if heading:
            current = found.setdefault(heading_anchor(heading.group(1)), [])
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if current is not None and len(cells) == 4 and re.fullmatch(r"`[a-z_]+`", cells[0]):
            current.append(Row(cells[0].strip("`"), cells[1], cells[2], cells[3]))
    return found


PAGE = sections(FORMAT_PAGE.read_text(encoding="utf-8"))


def documented_tables() -> list[tuple[str, str, tuple[Field, ...], list[Row]]]:
    """(path, section, loader table, documented rows) for every table, following the links of nested fields."""
    tables = []
    pending = [(path, heading_anchor(title), table) for path, (title, table) in ROOT_SECTIONS.items()]
    while pending:
        path, anchor, table = pending.pop(0)
        rows = PAGE.get(anchor)
        assert rows, f"format.md has no field table under the heading for #{anchor}"
        tables.append((path, anchor, table, rows))
        by_name = {row.name: row for row in rows}
        for field in table:
            if field.items and field.name in by_name:
                link = re.search(r"\]\(#([a-z0-9-]+)\)", by_name[field.name].meaning)
                assert link, f"format.md: the row of '{field.name}' ({path}) must link to the section of its fields"
                pending.append((f"{path}.{field.name}", link.group(1), field.items))
    return tables


TABLES = documented_tables()


@pytest.mark.parametrize(("path", "anchor", "table", "rows"), TABLES, ids=[t[0] for t in TABLES])
def test_every_loader_field_is_documented(path: str, anchor: str, table: tuple[Field, ...], rows: list[Row]) -> None:
    documented = {row.name for row in rows}
    missing = [field.name for field in table if field.name not in documented]
    assert not missing, f"content/format.md (#{anchor}) does not document {missing}: add a row for each ({path})"


@pytest.mark.parametrize(("path", "anchor", "table", "rows"), TABLES, ids=[t[0] for t in TABLES])
def test_every_documented_field_is_known_to_the_loader(
    path: str, anchor: str, table: tuple[Field, ...], rows: list[Row]
) -> None:
    known = {field.name for field in table}
    unknown = [row.name for row in rows if row.name not in known and f"{path}.{row.name}" not in DOCUMENTED_AHEAD]
    assert not unknown, f"content/format.md (#{anchor}) documents {unknown}, which the loader does not accept ({path})"


@pytest.mark.parametrize(("path", "anchor", "table", "rows"), TABLES, ids=[t[0] for t in TABLES])
def test_each_row_gives_type_default_and_meaning(path: str, anchor: str, table: tuple[Field, ...], rows: list[Row]) -> None:
    by_name = {row.name: row for row in rows}
    for field in table:
        row = by_name.get(field.name)
        if row is None:
            continue  # reported by the test above
        assert row.type and row.meaning, f"{path}.{field.name}: the row needs a type and a meaning"
        says_required = row.default.startswith("required")
        assert says_required == field.required, (
            f"{path}.{field.name}: the loader has it {'required' if field.required else 'optional'}, "
            f"format.md says '{row.default}'"
        )
        if field.default not in (None, False):
            assert f"`{field.default}`" in row.default, f"{path}.{field.name}: format.md must give its default `{field.default}`"
        if field.kind == "yes/no":
            assert "`false`" in row.default, f"{path}.{field.name}: a yes/no field's default is `false`"
        for choice in field.choices:
            assert f"`{choice}`" in row.type, f"{path}.{field.name}: format.md must list the value `{choice}`"


def section_text(text: str, anchor: str) -> str:
    """The section under the heading of ``anchor``, with its subsections."""
    lines = text.splitlines()
    for start, line in enumerate(lines):
        heading = re.match(r"(#{2,4}) (.+)", line)
        if heading and heading_anchor(heading.group(2)) == anchor:
            level = len(heading.group(1))
            end = next(
                (i for i in range(start + 1, len(lines)) if (h := re.match(r"(#{2,4}) ", lines[i])) and len(h.group(1)) <= level),
                len(lines),
            )
            return "\n".join(lines[start:end])
    raise AssertionError(f"format.md has no heading for #{anchor}")


def test_each_section_has_an_example() -> None:
    """Every table's section (with its subsections) shows a YAML example."""
    text = FORMAT_PAGE.read_text(encoding="utf-8")
    for path, anchor, _table, _rows in TABLES:
        assert "```yaml" in section_text(text, anchor), f"format.md: the section #{anchor} ({path}) needs a YAML example"


def test_the_reference_covers_urls_and_publishing_rules() -> None:
    for anchor in ("the-site", "what-gets-published-and-when", "drafts", "reminders", "when-a-message-is-to-send"):
        assert anchor in PAGE, f"format.md needs the section #{anchor}"


def test_the_parser_sees_a_table_that_is_missing_a_field() -> None:
    """The check can fail: a page without the 'title' row of a campaign is caught."""
    text = FORMAT_PAGE.read_text(encoding="utf-8")
    broken = sections(re.sub(r"\n\| `title` \| text \| required \| The campaign's name\. \|", "", text, count=1))
    assert {row.name for row in broken["campaigns"]} == {row.name for row in PAGE["campaigns"]} - {"title"}
