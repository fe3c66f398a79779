"""JSON Schema (draft 2020-12) of leaders.yml and of a campaign file, made from the field tables.

Editors use it while an author types (VS Code's YAML extension: completion, hover text,
misspelt keys underlined); the loader stays the authority and checks more than a schema can
(leader ids that exist, impossible dates, duplicate ids, template errors, files in content/).
Every field kind of ``schema`` maps to JSON Schema in ``_KIND_SCHEMAS``; a kind without a
mapping raises ``UnknownKindError``, so a new kind cannot be added to a table unnoticed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..model import EMAIL_PATTERN
from ..rules.limits import MAX_YEAR, MIN_YEAR
from ..rules.slugs import MAX_SLUG_LENGTH, SLUG_PATTERN, WINDOWS_RESERVED_NAMES
from .fields import MAX_NUMBER
from .schema import CAMPAIGN_FIELDS, EVENT_FIELDS, EVENT_PLACE_FIELDS, LEADER_FIELDS, Field

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_NAMES = ("campaign", "leaders")

# Years from MIN_YEAR to MAX_YEAR (1900 to 2999), as the loader reads them.
assert (MIN_YEAR, MAX_YEAR) == (1900, 2999), "update _YEAR for the new range"
_YEAR = r"(?:19|2\d)\d\d"
_DATE = _YEAR + r"-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
_TIME = r"[Tt ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?"
_OFFSET = r"(?:[Zz]|[+-](?:[01]\d|2[0-3]):?[0-5]\d)"
_RESERVED = "|".join(sorted(WINDOWS_RESERVED_NAMES))


# Kinds the loader reports when written but left empty (a publish moment left empty keeps its
# item unpublished; a yes/no needs a yes or a no), where other optional fields read as left out.
_NEVER_EMPTY = frozenset({"yes/no", "moment", "deadline"})


class UnknownKindError(LookupError):
    """A field's kind has no JSON Schema mapping: add one to ``_KIND_SCHEMAS``."""


def _slug() -> dict[str, Any]:
    return {
        "type": "string",
        "pattern": f"^{SLUG_PATTERN.pattern}$",
        "maxLength": MAX_SLUG_LENGTH,
        "not": {"pattern": f"^(?:{_RESERVED})$"},
    }


def _text(field: Field) -> dict[str, Any]:
    # YAML reads `title: 2027` as a number; the loader takes it as the text "2027".
    schema: dict[str, Any] = {"type": ["string", "number"]}
    if field.required:
        schema["pattern"] = r"\S"
    return schema


def _leader_ids(field: Field) -> dict[str, Any]:
    listed: dict[str, Any] = {"type": "array", "items": _slug(), "uniqueItems": True}
    if field.required:
        listed["minItems"] = 1
    return {"anyOf": [_slug(), listed]}


def _whole_number(field: Field) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer", "minimum": 1}
    if field.maximum is not None:
        schema["maximum"] = field.maximum
    return schema


def _choice(field: Field) -> dict[str, Any]:
    if not field.choices:
        raise UnknownKindError(f"the choice field '{field.name}' lists no choices")
    return {"enum": list(field.choices)}


def _moment() -> dict[str, Any]:
    """A date, or a date-time with an offset from UTC."""
    return {
        "type": "string",
        "anyOf": [{"pattern": f"^{_DATE}$", "format": "date"}, {"pattern": f"^{_DATE}{_TIME}{_OFFSET}$"}],
    }


def _object(fields: tuple[Field, ...]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {field.name: field_schema(field) for field in fields},
        "additionalProperties": False,
    }
    required = [field.name for field in fields if field.required]
    if required:
        schema["required"] = required
    if fields is EVENT_FIELDS:
        schema["anyOf"] = [{"required": [name]} for name in EVENT_PLACE_FIELDS]
    return schema


_KIND_SCHEMAS: dict[str, Callable[[Field], dict[str, Any]]] = {
    "text": _text,
    "markdown": _text,
    "template": _text,
    "slug": lambda field: {"anyOf": [_slug(), {"type": "integer", "minimum": 0}]},
    "leader id": lambda field: _slug(),
    "leader ids": _leader_ids,
    "number": lambda field: {"type": "number", "minimum": -MAX_NUMBER, "maximum": MAX_NUMBER},
    "whole number": _whole_number,
    "choice": _choice,
    "yes/no": lambda field: {"type": "boolean"},
    "date": lambda field: {"type": "string", "pattern": f"^{_DATE}$", "format": "date"},
    "moment": lambda field: _moment(),
    "deadline": lambda field: _moment(),
    "local date-time": lambda field: {"type": "string", "pattern": f"^{_DATE}{_TIME}$"},
    "time zone": lambda field: {"type": "string", "pattern": r"^(?:UTC|[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)+)$"},
    # A host, where a bracket only closes one it opened ([::1]; urllib refuses others), then the rest.
    "url": lambda field: {"type": "string", "pattern": r"^[Hh][Tt][Tt][Pp][Ss]?://(?:[^\s/?#\[\]]|\[[^\s/?#\[\]]*\])+(?:[/?#]\S*)?$"},
    # One plain address, with only ASCII before the '@' (mail systems cannot all send from others).
    "email": lambda field: {"type": "string", "pattern": f"^(?=[!-~]+@){EMAIL_PATTERN.pattern}$"},
    "content path": lambda field: {
        "type": "string",
        # Inside content/: no leading slash, no '.' or '..' part, no empty part, none of : % ? # " < > \
        "pattern": r'^(?! )(?!.*(?:^|/)\.{1,2}(?:/|$))(?!.*//)[^/:%?#"<>\\\t\n\r][^:%?#"<>\\\t\n\r]*(?<![ /])$',
    },
    "tags": lambda field: {"type": "array", "items": {"type": ["string", "number"], "pattern": r"[A-Za-z0-9]"}},
    "mapping": lambda field: _object(field.items),
    "list": lambda field: {"type": "array", "items": _object(field.items)},
}


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` that also takes null, written so that an editor still points into a wrong list item."""
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    if "anyOf" in schema and "type" not in schema:
        return {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
    if "type" in schema and "anyOf" not in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return {**schema, "type": [*types, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def field_schema(field: Field) -> dict[str, Any]:
    """The JSON Schema of one field: its kind's, with its meaning and default for editors."""
    make = _KIND_SCHEMAS.get(field.kind)
    if make is None:
        raise UnknownKindError(
            f"field '{field.name}' has the kind '{field.kind}', which has no JSON Schema: add it to _KIND_SCHEMAS in {__name__}"
        )
    schema = make(field)
    if not field.required and field.kind not in _NEVER_EMPTY:
        # An optional field written but left empty is read as left out.
        schema = _or_null(schema)
    described: dict[str, Any] = {"description": field.doc} if field.doc else {}
    if field.default is not None:
        described["default"] = field.default
    return {**described, **schema}


def campaign_schema() -> dict[str, Any]:
    """The schema of ``campaigns/<campaign-id>.yml``."""
    return {
        "$schema": DIALECT,
        "title": "Learning campaign",
        "description": "One campaign of the learning portal; every field is described in the Campaign format page.",
        **_object(CAMPAIGN_FIELDS),
    }


def leaders_schema() -> dict[str, Any]:
    """The schema of ``campaigns/leaders.yml``: leader ids mapped to their fields."""
    return {
        "$schema": DIALECT,
        "title": "Leaders of the learning portal",
        "description": "Every leader, keyed by leader id (lowercase letters, digits and single hyphens).",
        "type": "object",
        "propertyNames": _slug(),
        "additionalProperties": _object(LEADER_FIELDS),
    }


def schema_for(name: str) -> dict[str, Any]:
    """The schema called ``name``: "campaign" or "leaders"."""
    if name == "campaign":
        return campaign_schema()
    if name == "leaders":
        return leaders_schema()
    raise KeyError(f"no schema called '{name}'; there are {', '.join(SCHEMA_NAMES)}")


def schema_text(name: str) -> str:
    """The schema as JSON text, the same bytes every time."""
    return json.dumps(schema_for(name), indent=2, ensure_ascii=False) + "\n"
