"""Campaign folders generated from the field tables (load/schema.py), then mutated.

Each example is a valid campaign made from the tables (every optional field drawn in or
left out), checked to load without a problem, and then given several independent
mutations: a value of the wrong type, a missing required key, an unknown key, a duplicate
key, a control character, a number too large, a link out of campaigns/. For every example:

- no traceback: the loader returns, whatever it is given;
- every problem reads ``campaigns/<file>:<line>: <message>``;
- each mutation is reported at its own line in the first run (the "one run" promise);
- on a few examples, ``portal validate`` and ``mkdocs build --strict`` report the same set.

The loader path is exercised directly (fast); the real builds are few, as they are slow.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from campaign_portal import cli
from campaign_portal.load import load_portal
from campaign_portal.load.schema import CAMPAIGN_FIELDS, Field

from conftest import EXAMPLE_NOW, LEADERS_YML, WarningCollector, prepare_project

PROBLEM = re.compile(r"campaigns/[^:]+:(\d+): .+")
TEXTS = ["Plain words", "Équipe élargie", "日本語のテキスト", "emoji 🎉 and a dash –", "quote ' and \" marks", "<b>bold</b>"]

# A valid value for each kind of field, by (field name, kind) or by kind. A new kind that is
# required must get one here; an optional one is left out until it has one.
VALID: dict[str, Callable[[str, int], Any]] = {
    "text": lambda name, n: TEXTS[n % len(TEXTS)],
    "markdown": lambda name, n: f"Some **Markdown** {TEXTS[n % len(TEXTS)]}.",
    "date": lambda name, n: {"ends": "2027-03-01", "date": "2027-01-20"}.get(name, "2027-01-11"),
    "moment": lambda name, n: ["2026-12-01", "2027-01-04T09:00:00Z", "2026-11-01T08:00:00+01:00"][n % 3],
    "deadline": lambda name, n: "2027-12-31",
    "slug": lambda name, n: f"item-{n}",
    "leader ids": lambda name, n: ["amara-okafor"] if n % 2 else ["amara-okafor", "daniel-kim"],
    "leader id": lambda name, n: "daniel-kim",
    "template": lambda name, n: "Hello {{ leader.first_name }}",
    "choice": lambda name, n: {"type": "webinar", "better": "lower", "status": "scheduled"}.get(name),
    "local date-time": lambda name, n: "2027-01-20T12:30",
    "time zone": lambda name, n: "Europe/London",
    "whole number": lambda name, n: 60,
    "url": lambda name, n: f"https://example.com/{name}",
    "number": lambda name, n: {"baseline": 10, "target": 20, "current": 15}.get(name, 1),
    "tags": lambda name, n: ["coaching", TEXTS[n % len(TEXTS)]],
}
SKIPPED = {"history", "level"}  # optional fields whose valid values depend on others: left out


@dataclass
class Node:
    """A mapping as it will be written, one key a line; lists of mappings as nested nodes."""

    fields: list[tuple[str, Any]] = field(default_factory=list)
    line: int = 0  # where the mapping starts, once written
    lines: dict[str, int] = field(default_factory=dict)  # each key's line, once written


class Raw(str):
    """A value written as it is (YAML flow text such as ``[wrong]``), not as a JSON string."""


def valid_node(draw: st.DrawFn, table: tuple[Field, ...], counter: list[int]) -> Node:
    node = Node()
    for spec in table:
        if spec.name in SKIPPED or (not spec.required and draw(st.integers(0, 3)) == 0):
            continue
        counter[0] += 1
        if spec.kind == "list":
            node.fields.append((spec.name, [valid_node(draw, spec.items, counter) for _ in range(draw(st.integers(1, 2)))]))
        elif spec.kind == "mapping":
            node.fields.append((spec.name, valid_node(draw, spec.items, counter)))
        elif spec.kind in VALID and VALID[spec.kind](spec.name, counter[0]) is not None:
            node.fields.append((spec.name, VALID[spec.kind](spec.name, counter[0])))
        else:
            assert not spec.required, f"add a valid value for the required field {spec.name!r} ({spec.kind})"
    names = {name for name, _ in node.fields}
    if any(spec.name == "online" for spec in table) and not names & {"location", "online"}:
        node.fields.append(("online", "https://example.com/join"))  # an event needs a place
    return node


@st.composite
def valid_campaign(draw: st.DrawFn) -> Node:
    return valid_node(draw, CAMPAIGN_FIELDS, [0])


def write(node: Node, out: list[str], indent: str = "", first_prefix: str | None = None) -> None:
    """Write ``node`` one key a line, recording where each key and the mapping itself are."""
    node.line = len(out) + 1
    for index, (key, value) in enumerate(node.fields):
        prefix = first_prefix if index == 0 and first_prefix is not None else indent
        node.lines.setdefault(key, len(out) + 1)
        if isinstance(value, Node):
            out.append(f"{prefix}{key}:")
            write(value, out, indent + "  ")
            value.line = node.lines[key]  # a nested mapping is reported at its key
        elif isinstance(value, list) and value and isinstance(value[0], Node):
            out.append(f"{prefix}{key}:")
            for item in value:
                write(item, out, indent + "    ", first_prefix=indent + "  - ")
        else:
            written = value if isinstance(value, Raw) else json.dumps(value, ensure_ascii=False)
            out.append(f"{prefix}{key}: {written}")


@dataclass
class Mutation:
    kind: str
    node: Node
    key: str

    def line(self) -> int:
        if self.kind == "missing":
            return self.node.line
        if self.kind == "duplicate":
            return self.node.lines[self.key] + 1
        return self.node.lines[self.key]


def nodes_of(node: Node) -> list[Node]:
    found = [node]
    for _, value in node.fields:
        if isinstance(value, Node):
            found += nodes_of(value)
        elif isinstance(value, list) and value and isinstance(value[0], Node):
            for item in value:
                found += nodes_of(item)
    return found


def table_of(node: Node, table: tuple[Field, ...], root: Node) -> dict[int, tuple[Field, ...]]:
    """Each node's field table, by id."""
    tables = {id(node): table}
    for name, value in node.fields:
        spec = next((s for s in table if s.name == name), None)
        if spec is None:
            continue
        if isinstance(value, Node):
            tables.update(table_of(value, spec.items, root))
        elif isinstance(value, list) and value and isinstance(value[0], Node):
            for item in value:
                tables.update(table_of(item, spec.items, root))
    return tables


@st.composite
def mutated_campaign(draw: st.DrawFn) -> tuple[Node, list[Mutation]]:
    campaign = draw(valid_campaign())
    tables = table_of(campaign, CAMPAIGN_FIELDS, campaign)
    candidates: list[Mutation] = []
    for node in nodes_of(campaign):
        table = {spec.name: spec for spec in tables[id(node)]}
        for key, value in node.fields:
            kind = table[key].kind
            candidates.append(Mutation("wrong-type", node, key))
            if not isinstance(value, (Node, list)):
                candidates.append(Mutation("duplicate", node, key))
            if kind in ("text", "markdown") and key not in ("id",):
                candidates.append(Mutation("control", node, key))
            if kind == "number":
                candidates.append(Mutation("huge", node, key))
            if table[key].required and node is not campaign:
                candidates.append(Mutation("missing", node, key))
        candidates.append(Mutation("unknown", node, "colour"))
    if draw(st.booleans()):  # half the time, all in one item: what one error might hide in its item
        crowded = draw(st.sampled_from(nodes_of(campaign)[1:] or [campaign]))
        candidates = [m for m in candidates if m.node is crowded] or candidates
    chosen: list[Mutation] = []
    for mutation in draw(st.permutations(candidates))[: draw(st.integers(2, 8))]:
        # Independent: one mutation a key (one missing key a mapping), none inside a value another replaces.
        if any(m.node is mutation.node and (m.key == mutation.key or m.kind == mutation.kind == "missing") for m in chosen):
            continue
        if any(_inside(mutation.node, m) or _inside(m.node, mutation) for m in chosen):
            continue
        chosen.append(mutation)
    for mutation in chosen:
        apply(mutation)
    return campaign, chosen


def _inside(node: Node, mutation: Mutation) -> bool:
    """Whether ``node`` is inside the value that ``mutation`` replaces or removes."""
    if mutation.kind not in ("wrong-type", "missing"):
        return False
    value = dict(mutation.node.fields)[mutation.key]
    inner = nodes_of(value) if isinstance(value, Node) else [n for item in value for n in nodes_of(item)] if isinstance(value, list) and value and isinstance(value[0], Node) else []
    return any(n is node for n in inner)


def apply(mutation: Mutation) -> None:
    fields = mutation.node.fields
    index = next((i for i, (key, _) in enumerate(fields) if key == mutation.key), None)
    if mutation.kind == "unknown":
        fields.append(("colour", "red"))
        return
    assert index is not None
    key, value = fields[index]
    if mutation.kind == "wrong-type":
        is_listy = isinstance(value, list)
        fields[index] = (key, Raw("{wrong: 1}") if is_listy else Raw("[wrong]"))
    elif mutation.kind == "duplicate":
        fields.insert(index + 1, (key, value))
    elif mutation.kind == "control":
        fields[index] = (key, f"{value} \x1b escaped")
    elif mutation.kind == "huge":
        fields[index] = (key, 10**16)
    elif mutation.kind == "missing":
        del fields[index]
        if not fields:
            fields.append(("colour", "red"))  # an empty item is another problem; keep it a mapping


def render(campaign: Node) -> str:
    out: list[str] = []
    write(campaign, out)
    return "\n".join(out) + "\n"


def load_one(files: dict[str, str], *, link_out: bool = False) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        campaigns = Path(folder) / "campaigns"
        campaigns.mkdir()
        (campaigns / "leaders.yml").write_text(LEADERS_YML, encoding="utf-8")
        for name, text in files.items():
            (campaigns / name).write_text(text, encoding="utf-8")
        if link_out:
            (Path(folder) / "elsewhere.yml").write_text(files["coaching.yml"], encoding="utf-8")
            (campaigns / "linked.yml").symlink_to(Path(folder) / "elsewhere.yml")
        return [str(problem) for problem in load_portal(campaigns).problems]


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_campaign())
def test_a_valid_campaign_from_the_tables_loads_without_a_problem(campaign: Node) -> None:
    text = render(campaign)
    assert load_one({"coaching.yml": text}) == [], text


@settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_campaign(), st.booleans())
def test_every_independent_mutation_is_reported_at_its_line_in_one_run(
    example: tuple[Node, list[Mutation]], link_out: bool
) -> None:
    campaign, mutations = example
    text = render(campaign)
    found = load_one({"coaching.yml": text}, link_out=link_out)
    for problem in found:
        assert PROBLEM.fullmatch(problem), problem
    lines = {int(match.group(1)) for problem in found if problem.startswith("campaigns/coaching.yml:") and (match := PROBLEM.fullmatch(problem))}
    for mutation in mutations:
        assert mutation.line() in lines, f"{mutation.kind} of {mutation.key!r} at line {mutation.line()} not reported:\n{text}\n{found}"
    if link_out:
        assert any(problem.startswith("campaigns/linked.yml:1: is a link to ") for problem in found)


def strict_build_warnings(root: Path) -> list[str]:
    collector = WarningCollector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(root / "site"), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        except Abort:
            pass
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.removeHandler(collector)
    return collector.messages


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@settings(
    max_examples=3,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutated_campaign())
def test_validate_and_a_strict_build_report_the_same_problems(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, example: tuple[Node, list[Mutation]]
) -> None:
    monkeypatch.setenv("PORTAL_NOW", EXAMPLE_NOW)
    campaign, _ = example
    root = prepare_project(tmp_path_factory.mktemp("spec"), {"leaders.yml": LEADERS_YML, "coaching.yml": render(campaign)})
    validated, _ = cli.check_project(cli.load_project(root))
    warnings = strict_build_warnings(root)
    assert sorted(str(problem) for problem in validated) == sorted(warnings)
    assert validated


def full_campaign() -> Node:
    """A valid campaign with every field the tables know a valid value for, one item a list."""
    return valid_node(lambda strategy: 1, CAMPAIGN_FIELDS, [0])  # type: ignore[arg-type,return-value]


def test_no_wrong_value_hides_another_in_its_item() -> None:
    """Systematically, in every kind of item: a required value of the wrong type next to any other wrong value."""
    checked = 0
    template = full_campaign()
    tables = table_of(template, CAMPAIGN_FIELDS, template)
    for position, node in enumerate(nodes_of(template)):
        required = [spec.name for spec in tables[id(node)] if spec.required and spec.name in dict(node.fields)]
        for first in required:
            for second, _ in node.fields:
                if second == first:
                    continue
                campaign = full_campaign()
                target = nodes_of(campaign)[position]
                mutations = [Mutation("wrong-type", target, first), Mutation("wrong-type", target, second)]
                for mutation in mutations:
                    apply(mutation)
                text = render(campaign)
                found = load_one({"coaching.yml": text})
                lines = {int(match.group(1)) for problem in found if (match := PROBLEM.fullmatch(problem))}
                for mutation in mutations:
                    assert mutation.line() in lines, f"{mutation.key!r} at line {mutation.line()} hidden:\n{text}\n{found}"
                checked += 1
    assert checked > 100
