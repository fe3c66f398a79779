"""Hostile and broken YAML: each case ends in clear `file:line: message` problems, never a traceback or a hang.

Golden cases: the exact problems for each input. The rest checks what the loader
lets through: ids and paths that can never leave the site folder, and values the
rest of the build can always compute with.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import icalendar
import pytest

from campaign_portal.load import load_portal
from campaign_portal.publishing import select_public
from campaign_portal.site import SiteSettings, build_site
from campaign_portal.text import markdown as markup

from conftest import EVENT as EVENT_BLOCK
from conftest import EXAMPLE_NOW, LEADERS_YML, MINIMAL_CAMPAIGN, PROJECT_ROOT, BuildPortal

M = MINIMAL_CAMPAIGN.encode()

EVENT = EVENT_BLOCK.encode()
# Nine aliases per level, nine levels: 9**9 values if expanded.
BOMB = b"a: &a [x,x,x,x,x,x,x,x,x]\n" + b"".join(
    f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n".encode() for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)
INPUTS: dict[str, bytes] = {
    "nul-byte": b"title: a\x00b\n",
    "control-byte": M + b"audience: x\x1by\n",
    "nul-after-accents": M + "audience: Équipe élargie\n".encode() + b"tags: [a\x00]\nends: 2027-02-01\n",
    "escaped-control": M + b'audience: "bell\\a and nul\\0"\n',
    "bom": b"\xef\xbb\xbf" + M,
    "utf16": MINIMAL_CAMPAIGN.encode("utf-16"),
    "latin1": M + "audience: caf\xe9\n".encode("latin-1"),
    "binary-junk": bytes(range(256)) * 8,
    "python-object": b"!!python/object:os.system {}\n",
    "python-apply": M + b"tags: !!python/object/apply:os.system [ls]\n",
    "python-name": M + b"audience: !!python/name:os.system x\n",
    "set-tag": M + b"tags: !!set {a, b}\n",
    "binary-tag": M + b"audience: !!binary aGVsbG8=\n",
    "merge-key": b"base: &b {title: x}\n<<: *b\n",
    "two-documents": M + b"---\ntitle: x\n",
    "billion-laughs": BOMB,
    "deep-flow": b"title: " + b"[" * 5000 + b"]" * 5000 + b"\n",
    "deep-block": b"".join(b"  " * i + b"k:\n" for i in range(60)),
    "huge-file": b"title: " + b"a" * 2_100_000 + b"\n",
    "long-line": M + b"audience: " + b"x" * 1_900_000 + b"\n",
    "long-key": b"a" * 2000 + b": 1\n",
    "empty": b"",
    "only-comment": b"# nothing yet\n",
    "scalar": b"just text\n",
    "list": b"- a\n- b\n",
    "syntax": M + b"tags: [unclosed\n",
    "tab-indent": M + b"tags:\n\t- x\n",
    "null-everywhere": b"title:\nsummary:\nstarts:\nbusiness_case:\nkpis:\nmessages:\nevents:\ntestimonials:\nstory:\ntags:\nsponsors:\npublish:\nends:\naudience:\n",
    "lists-everywhere": b"title: []\nsummary: []\nstarts: []\nbusiness_case: []\nkpis: [[]]\nmessages: [[]]\nevents: [[]]\ntestimonials: [[]]\nstory: []\ntags: [[]]\nsponsors: [[]]\npublish: []\nends: []\naudience: []\n",
    "mappings-everywhere": b"title: {}\nsummary: {}\nstarts: {}\nbusiness_case: {problem: {}, outcome: {}}\nkpis: {}\nmessages: {}\nevents: {}\ntestimonials: {}\nstory: {}\ntags: {}\nsponsors: {}\npublish: {}\nends: {}\naudience: {}\n",
    "numbers-everywhere": b"title: 1\nsummary: 2\nstarts: 3\nbusiness_case: 4\nkpis: 5\nmessages: 6\nevents: 7\ntestimonials: 8\nstory: 9\ntags: 10\nsponsors: 11\npublish: 12\nends: 13\naudience: 14\n",
    "booleans-everywhere": b"title: no\nsummary: yes\nstarts: on\nbusiness_case: off\nkpis: y\nmessages: n\nevents: true\ntestimonials: false\nstory: yes\ntags: no\nsponsors: yes\npublish: no\nends: yes\naudience: off\n",
    "event-wrong-types": M + b"events:\n  - id: 5\n    title: [x]\n    type: {a: 1}\n    starts: 12\n    timezone: 3\n    duration: yes\n    location: []\n    online: 7\n    hosts: 4\n    description: []\n    registration: {}\n    capacity: -1\n    status: 1\n    recording: no\n    publish: 5\n",
    "message-wrong-types": M + b"messages:\n  - id: [a]\n    title: {}\n    leaders: {a: 1}\n    publish: []\n    subject: []\n    body: no\n    short: {}\n",
    "testimonial-wrong-types": M + b"testimonials:\n  - leader: {}\n    date: []\n    quote: 5\n    story: []\n  - 5\n  - null\n",
    "story-wrong-types": M + b"story:\n  publish: []\n  what_changed: {}\n  why_it_mattered: 5\n  what_we_learned: null\n",
    "kpi-wrong-types": M + b"kpis:\n  - name: {}\n    unit: []\n    baseline: 'x'\n    target: []\n    current: {}\n    better: 5\n  - null\n  - [1]\n",
    "huge-numbers": M + b"kpis:\n  - name: x\n    baseline: " + b"9" * 5000 + b"\n    target: 1e400\n    current: 1" + b"0" * 400 + b"\n",
    "far-years": M.replace(b"2027-01-11", b"9999-12-31") + EVENT.replace(b"2027-01-20T12:30", b"0001-01-01T00:30") + b"publish: 0001-01-01T00:00:00+05:00\n",
    "bad-offset": M + b"publish: 2027-01-01T00:00:00+99:00\n",
    "bad-ids": M + EVENT.replace(b"id: lunch", b"id: ../x") + b"messages:\n  - id: a/b\n    title: t\n    leaders: [amara-okafor]\n    subject: s\n    body: b\n  - id: \"%2e%2e\"\n    title: t\n    leaders: [amara-okafor]\n    subject: s\n    body: b\n  - id: \xef\xbd\x83oaching\n    title: t\n    leaders: [amara-okafor]\n    subject: s\n    body: b\n  - id: " + b"a" * 65 + b"\n    title: t\n    leaders: [amara-okafor]\n    subject: s\n    body: b\n  - id: nul\n    title: t\n    leaders: [amara-okafor]\n    subject: s\n    body: b\n",
    "deep-template": M + b"messages:\n  - id: a\n    title: t\n    leaders: [amara-okafor]\n    subject: x\n    body: '{{ " + b"(" * 3000 + b"1" + b")" * 3000 + b" }}'\n",
}
LEADER_INPUTS: dict[str, bytes] = {
    "leader-photo-escape": LEADERS_YML + "  photo: '%2e%2e/%2e%2e/etc/passwd'\n",
    "leader-photo-backslash": LEADERS_YML + "  photo: 'assets\\\\..\\\\..\\\\secret.jpg'\n",
    "leader-photo-scheme": LEADERS_YML + "  photo: 'javascript:alert(1)'\n",
    "leader-photo-absolute": LEADERS_YML + "  photo: /etc/passwd\n",
    "leader-email-injection": LEADERS_YML.replace("amara.okafor@example.com", '"a@b.c\\r\\nBcc: x@y.z"'),
    "leader-ids": "'../x': {name: a, title: b}\ncon: {name: a, title: b}\n5: {name: a, title: b}\nnull: null\nAmara: {name: a, title: b}\n",
    "leaders-not-a-mapping": "- a\n",
}
EXPECTED: dict[str, list[str]] = {
    'nul-byte': ['campaigns/coaching.yml:1: the file contains the character U+0000, which YAML does not allow; remove it'],
    'nul-after-accents': ["campaigns/coaching.yml:8: the file contains the character U+0000, which YAML does not allow; remove it"],
    'control-byte': ['campaigns/coaching.yml:7: the file contains the character U+001B, which YAML does not allow; remove it'],
    'escaped-control': ['campaigns/coaching.yml:7: the text contains the control character U+0007, which a web page cannot show; remove it'],
    'bom': [],
    'utf16': ['campaigns/coaching.yml:1: the file is not UTF-8 text (byte 0xff); save it as UTF-8'],
    'latin1': ['campaigns/coaching.yml:7: the file is not UTF-8 text (byte 0xe9); save it as UTF-8'],
    'binary-junk': ['campaigns/coaching.yml:2: the file is not UTF-8 text (byte 0x80); save it as UTF-8'],
    'python-object': ["campaigns/coaching.yml:1: the campaign is missing the required key 'business_case'", "campaigns/coaching.yml:1: the campaign is missing the required key 'starts'", "campaigns/coaching.yml:1: the campaign is missing the required key 'summary'", "campaigns/coaching.yml:1: the campaign is missing the required key 'title'", "campaigns/coaching.yml:1: unsupported YAML tag '!!python/object:os.system'; remove it"],
    'python-apply': ["campaigns/coaching.yml:7: unsupported YAML tag '!!python/object/apply:os.system'; remove it"],
    'python-name': ["campaigns/coaching.yml:7: unsupported YAML tag '!!python/name:os.system'; remove it"],
    'set-tag': ["campaigns/coaching.yml:7: 'tags' must be a list", "campaigns/coaching.yml:7: unsupported YAML tag '!!set'; remove it"],
    'binary-tag': ["campaigns/coaching.yml:7: unsupported YAML tag '!!binary'; remove it"],
    'merge-key': ["campaigns/coaching.yml:1: the campaign is missing the required key 'business_case'", "campaigns/coaching.yml:1: the campaign is missing the required key 'starts'", "campaigns/coaching.yml:1: the campaign is missing the required key 'summary'", "campaigns/coaching.yml:1: the campaign is missing the required key 'title'", "campaigns/coaching.yml:1: unknown key 'base' in the campaign", "campaigns/coaching.yml:2: YAML merge keys ('<<') are not supported in the campaign; write the values out"],
    'two-documents': ["campaigns/coaching.yml:7: only one YAML document is allowed per file; remove '---'"],
    'billion-laughs': ['campaigns/coaching.yml:6: aliases expand to too many values; write the data out instead'],
    'deep-flow': ['campaigns/coaching.yml:1: YAML syntax error: exceeded maximum nesting depth'],
    'deep-block': ['campaigns/coaching.yml:41: nesting is deeper than 40 levels; flatten it'],
    'huge-file': ['campaigns/coaching.yml:1: the file is too large (2,100,008 bytes; the limit is 2,000,000); split it'],
    'long-line': [],
    'long-key': ['campaigns/coaching.yml:1: YAML syntax error: mapping values are not allowed in this context'],
    'empty': ['campaigns/coaching.yml:1: the file is empty; describe the campaign as a YAML mapping (see the authoring guide)'],
    'only-comment': ['campaigns/coaching.yml:1: the file is empty; describe the campaign as a YAML mapping (see the authoring guide)'],
    'scalar': ['campaigns/coaching.yml:1: the file must be a YAML mapping of keys to values'],
    'list': ['campaigns/coaching.yml:1: the file must be a YAML mapping of keys to values'],
    'syntax': ["campaigns/coaching.yml:8: YAML syntax error: did not find expected ',' or ']'"],
    'tab-indent': ['campaigns/coaching.yml:8: YAML syntax error: found character that cannot start any token'],
    'null-everywhere': ["campaigns/coaching.yml:1: 'title' must not be empty", "campaigns/coaching.yml:2: 'summary' must not be empty", "campaigns/coaching.yml:3: 'starts' must not be empty", "campaigns/coaching.yml:4: 'business_case' must not be empty", "campaigns/coaching.yml:12: 'publish' is empty; give a date (YYYY-MM-DD) or a date-time with an offset, or remove it (until then the item stays unpublished)"],
    'lists-everywhere': ["campaigns/coaching.yml:1: 'title' must be text", "campaigns/coaching.yml:2: 'summary' must be text", "campaigns/coaching.yml:3: 'starts' must be text", "campaigns/coaching.yml:4: 'business_case' must be a mapping of keys to values", 'campaigns/coaching.yml:5: a KPI must be a mapping of keys to values', 'campaigns/coaching.yml:6: a message must be a mapping of keys to values', 'campaigns/coaching.yml:7: an event must be a mapping of keys to values', 'campaigns/coaching.yml:8: a testimonial must be a mapping of keys to values', "campaigns/coaching.yml:9: the 'story' must be a mapping of keys to values", 'campaigns/coaching.yml:10: each tag must be a short piece of text', "campaigns/coaching.yml:11: 'sponsors' must list leader ids, not '[]'", "campaigns/coaching.yml:12: 'publish' must be text", "campaigns/coaching.yml:13: 'ends' must be text", "campaigns/coaching.yml:14: 'audience' must be text"],
    'mappings-everywhere': ["campaigns/coaching.yml:1: 'title' must be text", "campaigns/coaching.yml:2: 'summary' must be text", "campaigns/coaching.yml:3: 'starts' must be text", "campaigns/coaching.yml:4: 'outcome' must be text", "campaigns/coaching.yml:4: 'problem' must be text", "campaigns/coaching.yml:5: 'kpis' must be a list", "campaigns/coaching.yml:6: 'messages' must be a list", "campaigns/coaching.yml:7: 'events' must be a list", "campaigns/coaching.yml:8: 'testimonials' must be a list", "campaigns/coaching.yml:9: the 'story' is missing the required key 'publish'", "campaigns/coaching.yml:9: the 'story' is missing the required key 'what_changed'", "campaigns/coaching.yml:9: the 'story' is missing the required key 'what_we_learned'", "campaigns/coaching.yml:9: the 'story' is missing the required key 'why_it_mattered'", "campaigns/coaching.yml:10: 'tags' must be a list", "campaigns/coaching.yml:11: 'sponsors' must be a list of leader ids", "campaigns/coaching.yml:12: 'publish' must be text", "campaigns/coaching.yml:13: 'ends' must be text", "campaigns/coaching.yml:14: 'audience' must be text"],
    'numbers-everywhere': ["campaigns/coaching.yml:3: 'starts' must be a date written YYYY-MM-DD, not '3'", "campaigns/coaching.yml:4: 'business_case' must be a mapping of keys to values", "campaigns/coaching.yml:5: 'kpis' must be a list", "campaigns/coaching.yml:6: 'messages' must be a list", "campaigns/coaching.yml:7: 'events' must be a list", "campaigns/coaching.yml:8: 'testimonials' must be a list", "campaigns/coaching.yml:9: the 'story' must be a mapping of keys to values", "campaigns/coaching.yml:10: 'tags' must be a list", "campaigns/coaching.yml:11: 'sponsors' must be a list of leader ids", "campaigns/coaching.yml:12: 'publish' must be a date (YYYY-MM-DD) or a date-time with an offset (2027-01-04T09:00:00+00:00), not '12'", "campaigns/coaching.yml:13: 'ends' must be a date written YYYY-MM-DD, not '13'"],
    'booleans-everywhere': ["campaigns/coaching.yml:1: 'title' must be text; put it in quotes", "campaigns/coaching.yml:2: 'summary' must be text; put it in quotes", "campaigns/coaching.yml:3: 'starts' must be text; put it in quotes", "campaigns/coaching.yml:4: 'business_case' must be a mapping of keys to values", "campaigns/coaching.yml:5: 'kpis' must be a list", "campaigns/coaching.yml:6: 'messages' must be a list", "campaigns/coaching.yml:7: 'events' must be a list", "campaigns/coaching.yml:8: 'testimonials' must be a list", "campaigns/coaching.yml:9: the 'story' must be a mapping of keys to values", "campaigns/coaching.yml:10: 'tags' must be a list", "campaigns/coaching.yml:11: 'sponsors' must be a list of leader ids", "campaigns/coaching.yml:12: 'publish' must be text; put it in quotes", "campaigns/coaching.yml:13: 'ends' must be text; put it in quotes", "campaigns/coaching.yml:14: 'audience' must be text; put it in quotes"],
    'event-wrong-types': ["campaigns/coaching.yml:9: 'title' must be text", "campaigns/coaching.yml:10: 'type' must be text", "campaigns/coaching.yml:11: 'starts' must be a local date and time such as 2027-01-20T12:30, not '12'", "campaigns/coaching.yml:12: unknown time zone '3'; use an IANA name such as Europe/London", "campaigns/coaching.yml:13: 'duration' must be a whole number above 0, not 'True'", "campaigns/coaching.yml:14: 'location' must be text", "campaigns/coaching.yml:15: 'online' must be an http(s) link such as https://example.com/..., not '7'", "campaigns/coaching.yml:16: 'hosts' must be a list of leader ids", "campaigns/coaching.yml:17: 'description' must be text", "campaigns/coaching.yml:18: 'registration' must be text", "campaigns/coaching.yml:19: 'capacity' must be a whole number above 0, not '-1'", "campaigns/coaching.yml:20: 'status' must be one of scheduled, cancelled, not '1'", "campaigns/coaching.yml:21: 'recording' must be text; put it in quotes", "campaigns/coaching.yml:22: 'publish' must be a date (YYYY-MM-DD) or a date-time with an offset (2027-01-04T09:00:00+00:00), not '5'"],
    'message-wrong-types': ["campaigns/coaching.yml:8: 'id' must be text", "campaigns/coaching.yml:9: 'title' must be text", "campaigns/coaching.yml:10: 'leaders' must be a list of leader ids", "campaigns/coaching.yml:11: 'publish' must be text", "campaigns/coaching.yml:12: 'subject' must be text", "campaigns/coaching.yml:13: 'body' must be text; put it in quotes", "campaigns/coaching.yml:14: 'short' must be text"],
    'testimonial-wrong-types': ["campaigns/coaching.yml:8: 'leader' must be a list of leader ids", "campaigns/coaching.yml:9: 'date' must be text", "campaigns/coaching.yml:11: 'story' must be text", 'campaigns/coaching.yml:12: a testimonial must be a mapping of keys to values', 'campaigns/coaching.yml:13: a testimonial must be a mapping of keys to values'],
    'story-wrong-types': ["campaigns/coaching.yml:8: 'publish' must be text", "campaigns/coaching.yml:9: 'what_changed' must be text", "campaigns/coaching.yml:11: 'what_we_learned' must not be empty"],
    'kpi-wrong-types': ["campaigns/coaching.yml:8: 'name' must be text", "campaigns/coaching.yml:9: 'unit' must be text", "campaigns/coaching.yml:10: 'baseline' must be a number, not 'x'", "campaigns/coaching.yml:11: 'target' must be a number, not '[]'", "campaigns/coaching.yml:12: 'current' must be a number, not '{}'", "campaigns/coaching.yml:13: 'better' must be one of higher, lower, not '5'", 'campaigns/coaching.yml:14: a KPI must be a mapping of keys to values', 'campaigns/coaching.yml:15: a KPI must be a mapping of keys to values'],
    'huge-numbers': ["campaigns/coaching.yml:9: 'baseline' must be a number, not '9999999999999999999999999999999999999999999999999999999999999999999999999999999…'", "campaigns/coaching.yml:10: 'target' must be a number, not '1e400'", "campaigns/coaching.yml:11: 'current' is too large; numbers here are at most 1,000,000,000,000,000"],
    'far-years': ["campaigns/coaching.yml:3: 'starts' is in the year 9999; use a year from 1900 to 2999", "campaigns/coaching.yml:11: 'starts' is in the year 1; use a year from 1900 to 2999", "campaigns/coaching.yml:16: 'publish' is in the year 1; use a year from 1900 to 2999"],
    'bad-offset': ["campaigns/coaching.yml:7: 'publish' is an impossible date-time: '2027-01-01T00:00:00+99:00'"],
    'bad-ids': ["campaigns/coaching.yml:8: event id '../x' must be lowercase letters, digits and single hyphens (at most 64 characters), for example 'x'", "campaigns/coaching.yml:17: message id 'a/b' must be lowercase letters, digits and single hyphens (at most 64 characters), for example 'a-b'", "campaigns/coaching.yml:22: message id '%2e%2e' must be lowercase letters, digits and single hyphens (at most 64 characters), for example '2e-2e'", "campaigns/coaching.yml:27: message id 'ｃoaching' must be lowercase letters, digits and single hyphens (at most 64 characters), for example 'oaching'", "campaigns/coaching.yml:32: message id 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' must be lowercase letters, digits and single hyphens (at most 64 characters), for example 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'", "campaigns/coaching.yml:37: message id 'nul' is a name Windows reserves (NUL); pick another"],
    'deep-template': ["campaigns/coaching.yml:12: 'body': template error: the template is nested too deeply; simplify it"],
}
LEADER_EXPECTED: dict[str, list[str]] = {
    'leader-photo-escape': ["campaigns/leaders.yml:9: 'photo' must be a path inside content/, such as assets/leaders/daniel-kim.jpg"],
    'leader-photo-backslash': ["campaigns/leaders.yml:9: 'photo' must be a path inside content/, such as assets/leaders/daniel-kim.jpg"],
    'leader-photo-scheme': ["campaigns/leaders.yml:9: 'photo' must be a path inside content/, such as assets/leaders/daniel-kim.jpg"],
    'leader-photo-absolute': ["campaigns/leaders.yml:9: 'photo' must be a path inside content/, such as assets/leaders/daniel-kim.jpg"],
    'leader-email-injection': ["campaigns/leaders.yml:5: 'email' must be an email address, not 'a@b.c Bcc: x@y.z'"],
    'leader-ids': ["campaigns/leaders.yml:1: leader id '../x' must be lowercase letters, digits and single hyphens, for example 'x'", "campaigns/leaders.yml:2: leader id 'con' is a name Windows reserves (CON); pick another", "campaigns/leaders.yml:4: leader 'null' must be a mapping of keys to values", "campaigns/leaders.yml:5: leader id 'Amara' must be lowercase letters, digits and single hyphens, for example 'amara'"],
    'leaders-not-a-mapping': ['campaigns/leaders.yml:1: the file must be a YAML mapping of keys to values'],
}


def load(tmp_path: Path, files: dict[str, bytes], leaders: str = LEADERS_YML) -> tuple[list[str], object]:
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / "leaders.yml").write_text(leaders, encoding="utf-8")
    for name, data in files.items():
        (campaigns / name).write_bytes(data)
    result = load_portal(campaigns)
    return [str(problem) for problem in result.problems], result.portal


@pytest.mark.parametrize("name", list(INPUTS))
def test_hostile_campaign_files_end_in_golden_problems(tmp_path: Path, name: str) -> None:
    found, _ = load(tmp_path, {"coaching.yml": INPUTS[name]})
    assert found == EXPECTED[name]


@pytest.mark.parametrize("name", list(LEADER_INPUTS))
def test_hostile_leader_files_end_in_golden_problems(tmp_path: Path, name: str) -> None:
    found, _ = load(tmp_path, {}, LEADER_INPUTS[name])
    assert found == LEADER_EXPECTED[name]


def test_every_problem_reads_file_line_message() -> None:
    for problems in [*EXPECTED.values(), *LEADER_EXPECTED.values()]:
        for problem in problems:
            assert re.fullmatch(r"campaigns/[^:]+\.yml:\d+: [^\n]+", problem), problem
            assert len(problem) < 400, "values are quoted short"


def test_a_text_with_a_control_character_still_builds(tmp_path: Path) -> None:
    """The character is reported and dropped, so feeds (XML) and calendars can still be written."""
    found, portal = load(tmp_path, {"coaching.yml": M.replace(b"title: Coaching for Growth", b'title: "Coaching\\0 for\\x1b Growth\\uFFFF"')})
    assert found == ["campaigns/coaching.yml:1: the text contains the control character U+0000, which a web page cannot show; remove it"]
    assert portal.campaigns["coaching"].title == "Coaching for Growth"  # type: ignore[attr-defined]


# -- ids and paths ---------------------------------------------------------------------------------------


def test_file_names_that_are_not_campaign_ids(tmp_path: Path) -> None:
    names = ["con.yml", "Coaching.yml", "a b.yml", "%2e%2e.yml", "\uff43oaching.yml", "x" * 65 + ".yml", "coaching.yaml", "lpt1.yml", ".hidden.yml", "good-one.yml"]
    found, portal = load(tmp_path, {name: M for name in names})
    assert found == [
        "campaigns/%2e%2e.yml:1: the file name '%2e%2e.yml' must be a campaign id: lowercase letters, digits and single hyphens, at most 64 characters",
        "campaigns/Coaching.yml:1: the file name 'Coaching.yml' must be a campaign id: lowercase letters, digits and single hyphens, at most 64 characters",
        "campaigns/a b.yml:1: the file name 'a b.yml' must be a campaign id: lowercase letters, digits and single hyphens, at most 64 characters",
        "campaigns/coaching.yaml:1: campaign files end in .yml; rename it to coaching.yml",
        "campaigns/con.yml:1: the file name 'con.yml' is a name Windows reserves (CON); rename the file",
        "campaigns/lpt1.yml:1: the file name 'lpt1.yml' is a name Windows reserves (LPT1); rename the file",
        f"campaigns/{'x' * 65}.yml:1: the file name '{'x' * 65}.yml' must be a campaign id: lowercase letters, digits and single hyphens, at most 64 characters",
        "campaigns/\uff43oaching.yml:1: the file name '\uff43oaching.yml' must be a campaign id: lowercase letters, digits and single hyphens, at most 64 characters",
    ]
    assert list(portal.campaigns) == ["good-one"]  # type: ignore[attr-defined]


_SAFE_URI = re.compile(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*/)*(?:[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9-]+)*)?")


def test_every_generated_uri_is_made_of_slugs(tmp_path: Path) -> None:
    """Pages, feeds, calendars and drafts: no '..', no '%', no separators from campaign text."""
    import datetime as dt
    import shutil

    campaigns = tmp_path / "campaigns"
    shutil.copytree(PROJECT_ROOT / "campaigns", campaigns)
    (campaigns / "odd-tags.yml").write_text(
        MINIMAL_CAMPAIGN + "tags: ['../../etc', 'a/b', '%2e%2e', 'C:\\\\x', '\uff41', 'x' ]\n", encoding="utf-8"
    )
    result = load_portal(campaigns)
    now = dt.datetime.fromisoformat(EXAMPLE_NOW.replace("Z", "+00:00"))
    content = build_site(select_public(result.portal, now), SiteSettings(site_name="Portal", site_url="https://x.example/"))
    uris = [page.src_uri for page in content.pages] + [file.uri for file in content.files]
    assert len(uris) > 50
    for uri in uris:
        assert _SAFE_URI.fullmatch(uri), uri
        assert ".." not in uri.split("/"), uri


@pytest.mark.parametrize(
    "photo",
    ["../secret.jpg", "assets/../../x.jpg", "%2e%2e/x.jpg", "assets/%2E%2E/x.jpg", "assets\\..\\x.jpg", "/etc/passwd",
     "C:/x.jpg", "javascript:alert(1)", "data:image/png;base64,AA", "//evil.example/x.jpg", "assets/x.jpg?y", "assets/x.jpg#y",
     'assets/x".jpg', "assets/<x>.jpg", " assets/x.jpg", "assets/x.jpg\t", "assets//x.jpg", "./x.jpg"],
)
def test_a_photo_path_can_only_name_a_file_inside_content(tmp_path: Path, photo: str) -> None:
    leaders = LEADERS_YML + f"  photo: {photo!r}\n".replace("\\\\", "\\")
    found, portal = load(tmp_path, {}, leaders)
    assert found == ["campaigns/leaders.yml:9: 'photo' must be a path inside content/, such as assets/leaders/daniel-kim.jpg"]
    assert portal.leaders["daniel-kim"].photo is None  # type: ignore[attr-defined]


def test_a_photo_path_inside_content_is_kept(tmp_path: Path) -> None:
    found, portal = load(tmp_path, {}, LEADERS_YML + "  photo: assets/leaders/daniel kim.jpg\n")
    assert found == []
    assert portal.leaders["daniel-kim"].photo == "assets/leaders/daniel kim.jpg"  # type: ignore[attr-defined]


# -- whole builds ------------------------------------------------------------------------------------------


def test_a_campaign_full_of_pathological_text_builds_with_warnings(
    build_portal: BuildPortal, monkeypatch: pytest.MonkeyPatch
) -> None:
    if sys.gettrace() is not None:
        pytest.skip("under a tracer (coverage, a debugger) Markdown has no time limit")
    monkeypatch.setattr(markup, "MARKDOWN_SECONDS", 0.5)  # the same code path, sooner
    campaign = MINIMAL_CAMPAIGN.replace(
        "summary: Frontline managers learn three coaching conversations.",
        "summary: '" + "[" * 30_000 + "'",
    )
    campaign += "audience: \"tab\\there\\x01\"\n"
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": campaign}, expect_warnings=True)
    assert site.warnings == [
        "campaigns/coaching.yml:2: the summary is shown as plain text: it took longer than 0.5 seconds to format as Markdown; check its brackets and tags",
        "campaigns/coaching.yml:7: the text contains the control character U+0001, which a web page cannot show; remove it",
    ]
    assert site.exists("campaigns/coaching/")
    assert "[[[[" in site.content("campaigns/coaching/").get_text()


def test_a_summary_of_several_paragraphs_builds(build_portal: BuildPortal) -> None:
    campaign = MINIMAL_CAMPAIGN.replace(
        "summary: Frontline managers learn three coaching conversations.",
        "summary: |\n  First paragraph.\n\n  Second paragraph.",
    )
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": campaign})
    raw = site.path("campaigns/coaching/calendar.ics").read_bytes()
    # Line breaks are escaped as RFC 5545 text, and the calendar still parses.
    assert b"X-WR-CALDESC;VALUE=TEXT:First paragraph.\\n\\nSecond paragraph.\r\n" in raw
    assert icalendar.Calendar.from_ical(raw)["X-WR-CALNAME"]
