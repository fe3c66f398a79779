"""The JSON Schema of a campaign file and of leaders.yml, made from the loader's own field tables.

Checked with the ``jsonschema`` package (draft 2020-12, formats checked): every example campaign
and every golden good case validates, and the schema rejects every golden bad case that a schema
can express. The cases it cannot express are listed below with the reason; the loader catches
them. Files are read as an editor reads them: dates stay text (YAML 1.2), which is also how the
loader reads them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from campaign_portal import cli
from campaign_portal.load.json_schema import SCHEMA_NAMES, UnknownKindError, field_schema, schema_for, schema_text
from campaign_portal.load.schema import Field
from campaign_portal.load.yaml_lines import parse_yaml

from conftest import PROJECT_ROOT

GOLDEN = Path(__file__).parent / "golden"
SCHEMAS_DIR = PROJECT_ROOT / "schemas"

# Golden bad cases a JSON Schema cannot reject, and why. Every other bad case must be rejected.
NOT_EXPRESSIBLE: dict[str, str] = {
    "duplicate-key": "a duplicate key is gone once the YAML is parsed: the schema sees one value",
    "duplicate-event-id": "uniqueness of a property across list items is beyond JSON Schema",
    "ends-before-starts": "comparing two fields' values is beyond JSON Schema",
    "event-start-in-dst-gap": "whether a wall time exists in a time zone needs the time-zone database",
    "unknown-leader": "which leader ids exist is in leaders.yml, not in the campaign's schema",
    "unknown-time-zone": "the list of time zones is the system's time-zone database, not fixed text",
    "template-error-line-inside-block": "Jinja template errors need the template engine",
    "template-outside-the-sandbox": "Jinja template errors need the template engine",
    "template-syntax-error": "Jinja template errors need the template engine",
    "removed-for-safety": "what the Markdown sanitiser removes needs the sanitiser",
    "control-character": "a control character written as an escape is valid JSON text",
    "yaml-syntax-error": "a file that is not YAML never reaches the schema (the editor reports the syntax)",
    "collection-tag": "a YAML tag is read by the parser; the schema sees only the value",
    "kpi-current-not-latest": "comparing 'current' with the last value of 'history' is beyond JSON Schema",
    "kpi-history-dates-not-increasing": "comparing the dates of list items is beyond JSON Schema",
    "send-by-before-it-opens": "comparing 'send_by' with the publish moments is beyond JSON Schema",
}


def parsed(text: str) -> Any:
    data, problems = parse_yaml(text, "file.yml")
    assert not [p for p in problems if "merge key" not in p.message], problems
    return data


def validator(name: str) -> Draft202012Validator:
    schema = schema_for(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def errors(name: str, data: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(data)]


def golden_cases(good: bool) -> list[str]:
    return sorted(
        path.stem
        for path in GOLDEN.glob("*.yml")
        if (not (GOLDEN / f"{path.stem}.expected").read_text(encoding="utf-8").strip()) == good
    )


def schema_name_of(case: str) -> str:
    return "leaders" if case.startswith("leaders-") else "campaign"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_the_schemas_are_valid_draft_2020_12(name: str) -> None:
    schema = schema_for(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", sorted((PROJECT_ROOT / "campaigns").glob("*.yml")), ids=lambda p: p.name)
def test_every_example_file_validates(path: Path) -> None:
    name = "leaders" if path.name == "leaders.yml" else "campaign"
    assert errors(name, parsed(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("case", golden_cases(good=True))
def test_every_golden_good_case_validates(case: str) -> None:
    assert errors(schema_name_of(case), parsed((GOLDEN / f"{case}.yml").read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("case", golden_cases(good=False))
def test_the_schema_rejects_each_golden_bad_case_it_can_express(case: str) -> None:
    text = (GOLDEN / f"{case}.yml").read_text(encoding="utf-8")
    data, _ = parse_yaml(text, "file.yml")
    found = errors(schema_name_of(case), data)  # an empty file is null, which is not an object
    if case in NOT_EXPRESSIBLE:
        assert found == [] or data is None, f"{case} is rejected after all ({found}): take it off NOT_EXPRESSIBLE"
    else:
        assert found, f"the schema accepts the bad case {case}; make the schema reject it, or list it in NOT_EXPRESSIBLE with why"


def test_not_expressible_names_real_cases() -> None:
    assert set(NOT_EXPRESSIBLE) <= set(golden_cases(good=False))


def test_a_kind_without_a_mapping_fails_loudly() -> None:
    with pytest.raises(UnknownKindError, match=r"'colour'.*_KIND_SCHEMAS"):
        field_schema(Field("accent", "colour"))
    with pytest.raises(UnknownKindError, match="no choices"):
        field_schema(Field("mood", "choice"))


def test_fields_carry_their_meaning_and_default_for_editors() -> None:
    campaign = schema_for("campaign")
    assert campaign["additionalProperties"] is False
    assert "title" in campaign["required"] and "draft" not in campaign["required"]
    events = campaign["properties"]["events"]["items"]
    assert events["properties"]["status"]["default"] == "scheduled"
    assert events["properties"]["duration"]["description"]
    assert campaign["properties"]["draft"] == {
        "description": campaign["properties"]["draft"]["description"],
        "default": False,
        "type": "boolean",
    }


def test_a_misspelt_key_and_a_wrong_value_are_caught_while_typing() -> None:
    text = (PROJECT_ROOT / "campaigns" / "coaching-for-growth.yml").read_text(encoding="utf-8")
    data = parsed(text)
    data["titel"] = "x"
    data["events"][0]["type"] = "lunch-n-learn"
    data["draft"] = "yes please"
    found = errors("campaign", data)
    assert any("'titel' was unexpected" in line for line in found), found
    assert any(line.startswith("events/0/type") for line in found), found
    assert any(line.startswith("draft") for line in found), found


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_portal_schema_prints_it(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema", name]) == 0
    printed = capsys.readouterr().out
    assert json.loads(printed) == schema_for(name)
    assert printed == schema_text(name)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_the_project_schema_files_are_current(name: str) -> None:
    """schemas/ holds what `portal schema` prints, for editors; regenerate it when a field changes."""
    path = SCHEMAS_DIR / f"{name}.schema.json"
    assert path.read_text(encoding="utf-8") == schema_text(name), (
        f"{path.relative_to(PROJECT_ROOT)} is out of date: run `portal schema {name} > schemas/{name}.schema.json`"
    )


def test_the_starter_names_the_schema_for_editors() -> None:
    rendered = cli.render_starter("new-campaign", sponsor="amara-okafor", today=dt.date(2027, 1, 1))
    assert rendered.splitlines()[0] == "# yaml-language-server: $schema=../schemas/campaign.schema.json"
    assert errors("campaign", parsed(rendered)) == []
    assert "# draft: true" in rendered


def test_the_guide_shows_the_folder_setting_and_it_points_at_the_schemas() -> None:
    guide = (PROJECT_ROOT / "content" / "authoring.md").read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=../schemas/campaign.schema.json" in guide
    block = re.search(r"```json\n(\{.*?\"yaml\.schemas\".*?\})\n```", guide, re.S)
    assert block, "the authoring guide shows the VS Code folder setting as a JSON block"
    settings = json.loads(block.group(1))
    assert settings == json.loads((PROJECT_ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    for schema_path in settings["yaml.schemas"]:
        assert (PROJECT_ROOT / schema_path).is_file(), schema_path
