"""The loader: one golden case per rule of the spec's "Bad input" (tests/golden/), each with its exact file:line message."""

from __future__ import annotations

import datetime as dt
import textwrap
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
import yaml

from campaign_portal.load import load_portal, yaml_lines
from campaign_portal.writers.eml import build_eml

from conftest import EVENT, LEADERS_YML, MINIMAL_CAMPAIGN, PROJECT_ROOT


def load(tmp_path: Path, files: dict[str, str], *, leaders: str | None = LEADERS_YML) -> tuple[object, list[str]]:
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    if leaders is not None:
        (campaigns / "leaders.yml").write_text(leaders, encoding="utf-8")
    for name, text in files.items():
        (campaigns / name).write_text(textwrap.dedent(text), encoding="utf-8")
    result = load_portal(campaigns)
    return result.portal, [str(problem) for problem in result.problems]


def problems(tmp_path: Path, campaign: str, name: str = "coaching.yml") -> list[str]:
    return load(tmp_path, {name: campaign})[1]


def with_block(extra: str) -> str:
    return MINIMAL_CAMPAIGN + textwrap.dedent(extra)




def test_the_example_data_loads_without_problems() -> None:
    result = load_portal(PROJECT_ROOT / "campaigns")
    assert [str(p) for p in result.problems] == []
    assert len(result.portal.campaigns) >= 3
    assert len(result.portal.leaders) >= 6


def test_a_valid_campaign_becomes_the_model(tmp_path: Path) -> None:
    portal, found = load(tmp_path, {"coaching.yml": with_block(EVENT)})
    assert found == []
    campaign = portal.campaigns["coaching"]  # type: ignore[attr-defined]
    assert campaign.title == "Coaching for Growth"
    assert campaign.starts == dt.date(2027, 1, 11)
    event = campaign.events[0]
    assert event.starts.isoformat() == "2027-01-20T12:30:00+00:00"
    assert event.ends.isoformat() == "2027-01-20T13:30:00+00:00"
    assert event.source.line == 8


GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(params=["libyaml", "pure-python"])
def yaml_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The loader with PyYAML's C parser (libyaml), and with its own Python parser, which it
    falls back to where PyYAML was built without libyaml."""
    if request.param == "pure-python":
        monkeypatch.setattr(yaml_lines, "_Loader", yaml.SafeLoader)
        monkeypatch.setattr(yaml_lines, "_LIBYAML", False)
    else:
        assert yaml.__with_libyaml__ and yaml_lines._Loader is yaml.CSafeLoader
    return str(request.param)


def _parser_wording(line: str) -> str:
    """A syntax error's description is the parser's own (libyaml and PyYAML word it differently)."""
    return line.split(" YAML syntax error: ")[0] + " YAML syntax error" if " YAML syntax error: " in line else line


@pytest.mark.parametrize("case", sorted(path.stem for path in GOLDEN.glob("*.yml")))
def test_each_rule_reports_file_line_and_fix(tmp_path: Path, case: str, yaml_parser: str) -> None:
    """tests/golden/<rule>.yml, loaded as campaigns/coaching.yml, reports exactly the lines of <rule>.expected,
    with either YAML parser (only a syntax error's own description differs without libyaml)."""
    text = (GOLDEN / f"{case}.yml").read_text(encoding="utf-8")
    expected = (GOLDEN / f"{case}.expected").read_text(encoding="utf-8").splitlines()
    if case.startswith("leaders-"):  # a registry of leaders, beside a valid campaign
        found = load(tmp_path, {"coaching.yml": MINIMAL_CAMPAIGN}, leaders=text)[1]
    else:
        found = problems(tmp_path, text)
    if yaml_parser == "libyaml":
        assert found == expected
    else:
        assert [_parser_wording(line) for line in found] == [_parser_wording(line) for line in expected]


def test_both_yaml_parsers_read_the_example_data_and_golden_cases_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """Values, the line of every key, value and item, and problems: the same with or without libyaml."""

    def shape(value: object) -> object:
        if isinstance(value, yaml_lines.YamlMap):
            keys = [(key, value.key_lines[key], value.value_lines[key], shape(item)) for key, item in value.items()]
            return ("map", value.line, keys)
        if isinstance(value, yaml_lines.YamlList):
            return ("list", value.line, list(value.item_lines), [shape(item) for item in value])
        return (type(value).__name__, value)

    def read_all() -> list[tuple[object, list[str]]]:
        read = []
        for file in sorted((PROJECT_ROOT / "campaigns").glob("*.yml")) + sorted(GOLDEN.glob("*.yml")):
            value, found = yaml_lines.parse_yaml(file.read_text(encoding="utf-8"), file.name)
            read.append((shape(value), [_parser_wording(str(problem)) for problem in found]))
        return read

    with_libyaml = read_all()
    monkeypatch.setattr(yaml_lines, "_Loader", yaml.SafeLoader)
    monkeypatch.setattr(yaml_lines, "_LIBYAML", False)
    assert read_all() == with_libyaml
    assert any(found for _, found in with_libyaml)  # the golden cases' YAML problems are among them


def test_every_problem_in_every_file_is_reported_in_one_run(tmp_path: Path) -> None:
    _, found = load(
        tmp_path,
        {
            "one.yml": with_block("titel: x\n"),
            "two.yml": MINIMAL_CAMPAIGN.replace("starts: 2027-01-11", "starts: 2027-13-01") + "sponsors: [nobody]\n",
        },
    )
    assert found == [
        "campaigns/one.yml:7: unknown key 'titel' in the campaign; did you mean 'title'?",
        "campaigns/two.yml:3: 'starts' is an impossible date: '2027-13-01'",
        "campaigns/two.yml:7: unknown leader 'nobody' in 'sponsors'; leaders are listed in campaigns/leaders.yml",
    ]


def test_campaign_file_name_must_be_an_id(tmp_path: Path) -> None:
    found = problems(tmp_path, MINIMAL_CAMPAIGN, name="Coaching_2027.yml")
    assert found == [
        "campaigns/Coaching_2027.yml:1: the file name 'Coaching_2027.yml' must be a campaign id: lowercase letters, digits and single hyphens, at most 64 characters"
    ]


def test_yaml_extension_is_pointed_out(tmp_path: Path) -> None:
    found = problems(tmp_path, MINIMAL_CAMPAIGN, name="coaching.yaml")
    assert found == ["campaigns/coaching.yaml:1: campaign files end in .yml; rename it to coaching.yml"]


def test_missing_leaders_registry(tmp_path: Path) -> None:
    _, found = load(tmp_path, {"coaching.yml": MINIMAL_CAMPAIGN}, leaders=None)
    assert found == ["campaigns/leaders.yml:1: the registry of leaders is missing; create campaigns/leaders.yml"]


def test_leader_rules(tmp_path: Path) -> None:
    leaders = """\
    Amara Okafor:
      name: Amara
      title: COO
    daniel-kim:
      name: Daniel Kim
      titel: CTO
      email: not-an-email
      photo: ../../etc/passwd
    """
    _, found = load(tmp_path, {}, leaders=textwrap.dedent(leaders))
    assert found == [
        "campaigns/leaders.yml:1: leader id 'Amara Okafor' must be lowercase letters, digits and single hyphens, for example 'amara-okafor'",
        "campaigns/leaders.yml:4: leader 'daniel-kim' is missing the required key 'title'",
        "campaigns/leaders.yml:6: unknown key 'titel' in leader 'daniel-kim'; did you mean 'title'?",
        "campaigns/leaders.yml:7: 'email' must be an email address, not 'not-an-email'",
        "campaigns/leaders.yml:8: 'photo' must be a path inside content/, such as assets/leaders/daniel-kim.jpg",
    ]


def test_an_apostrophe_in_an_email_address_is_accepted_and_reaches_the_draft(tmp_path: Path) -> None:
    leaders = """\
    sean-obrien:
      name: Seán O'Brien
      title: CFO
      email: sean.o'brien@example.com
    """
    _, found = load(tmp_path, {}, leaders=textwrap.dedent(leaders))
    assert found == []
    address = load_portal(tmp_path / "campaigns").portal.leaders["sean-obrien"].email
    assert address == "sean.o'brien@example.com"
    draft = message_from_bytes(build_eml("Hello", "Hi", "<p>Hi</p>", sender=address), policy=default)
    assert draft["From"] == address


def test_non_utf8_file_is_reported_not_raised(tmp_path: Path) -> None:
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / "leaders.yml").write_text(LEADERS_YML, encoding="utf-8")
    (campaigns / "broken.yml").write_bytes(b"title: ok\nsummary: caf\xe9\n")
    found = [str(p) for p in load_portal(campaigns).problems]
    assert found == ["campaigns/broken.yml:2: the file is not UTF-8 text (byte 0xe9); save it as UTF-8"]


def test_wrong_types_are_reported(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        title: [a, b]
        summary: {x: 1}
        starts: yes
        business_case: just text
        tags: coaching
        """,
    )
    assert found == [
        "campaigns/coaching.yml:1: 'title' must be text",
        "campaigns/coaching.yml:2: 'summary' must be text",
        "campaigns/coaching.yml:3: 'starts' must be text; put it in quotes",
        "campaigns/coaching.yml:4: 'business_case' must be a mapping of keys to values",
        "campaigns/coaching.yml:5: 'tags' must be a list",
    ]


def test_a_load_cache_sees_an_edit_that_keeps_the_size_and_the_time(tmp_path: Path) -> None:
    """``cp -p``, ``rsync -t`` and ``tar`` change a file's text but keep its size and modification time."""
    import os

    from campaign_portal.load import LoadCache

    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / "leaders.yml").write_text(LEADERS_YML, encoding="utf-8")
    edited = campaigns / "coaching.yml"
    edited.write_text(MINIMAL_CAMPAIGN, encoding="utf-8")
    status = edited.stat()
    cache = LoadCache()
    assert load_portal(campaigns, cache=cache).portal.campaigns["coaching"].title == "Coaching for Growth"

    same_length = MINIMAL_CAMPAIGN.replace("Coaching for Growth", "Coaching for Grapes")
    assert len(same_length) == len(MINIMAL_CAMPAIGN)
    edited.write_text(same_length, encoding="utf-8")
    os.utime(edited, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert (edited.stat().st_size, edited.stat().st_mtime_ns) == (status.st_size, status.st_mtime_ns)

    assert load_portal(campaigns, cache=cache).portal.campaigns["coaching"].title == "Coaching for Grapes"


def test_a_load_cache_rereads_only_changed_files(tmp_path: Path) -> None:
    from campaign_portal.load import LoadCache

    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / "leaders.yml").write_text(LEADERS_YML, encoding="utf-8")
    (campaigns / "steady.yml").write_text(MINIMAL_CAMPAIGN, encoding="utf-8")
    (campaigns / "broken.yml").write_text(with_block("titel: x\n"), encoding="utf-8")
    edited = campaigns / "edited.yml"
    edited.write_text(MINIMAL_CAMPAIGN, encoding="utf-8")
    cache = LoadCache()
    first = load_portal(campaigns, cache=cache)

    edited.write_text(MINIMAL_CAMPAIGN.replace("Coaching for Growth", "Coaching for Everyone"), encoding="utf-8")
    second = load_portal(campaigns, cache=cache)

    assert second.portal.campaigns["steady"] is first.portal.campaigns["steady"]
    assert second.portal.campaigns["edited"].title == "Coaching for Everyone"
    # An unchanged file's problems are reported again, not lost with the reuse.
    assert [str(p) for p in second.problems] == [str(p) for p in first.problems] == [
        "campaigns/broken.yml:7: unknown key 'titel' in the campaign; did you mean 'title'?"
    ]
    assert len(cache.entries) == 3

    # A change to leaders.yml can change any campaign's problems, so everything is read again.
    (campaigns / "leaders.yml").write_text(LEADERS_YML.replace("daniel-kim", "daniel-kimm"), encoding="utf-8")
    third = load_portal(campaigns, cache=cache)
    assert third.portal.campaigns["steady"] is not first.portal.campaigns["steady"]


def test_a_standard_type_given_to_a_value_it_cannot_read_is_the_text_as_written(tmp_path: Path) -> None:
    """``!!int`` with no digits, ``!!bool maybe``: no traceback, the value is read as its text
    and reported by the field it is in."""
    campaign = MINIMAL_CAMPAIGN.replace("title: Coaching for Growth", "title: !!int").replace(
        "starts: 2027-01-11", "starts: !!bool maybe"
    ) + "events:\n- id: e\n  title: E\n  type: workshop\n  starts: 2027-01-20T12:30\n  timezone: UTC\n  duration: !!float\n  location: Room\n  hosts: [amara-okafor]\n"
    assert problems(tmp_path, campaign) == [
        "campaigns/coaching.yml:1: 'title' must not be empty",
        "campaigns/coaching.yml:3: 'starts' must be a date written YYYY-MM-DD, not 'maybe'",
        "campaigns/coaching.yml:13: 'duration' must be a whole number above 0, not ''",
    ]
