"""The "one run" promise: every field of every item is checked in the first run, whatever else is wrong.

The golden cases in tests/golden/ (every-*-field-checked) pin the exact lines; here, files
that are left out as a whole are still read.
"""

from __future__ import annotations

from pathlib import Path

from campaign_portal.load import load_portal

from conftest import LEADERS_YML, MINIMAL_CAMPAIGN


def test_a_misnamed_campaign_file_is_still_checked_but_not_published(tmp_path: Path) -> None:
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / "leaders.yml").write_text(LEADERS_YML, encoding="utf-8")
    (campaigns / "Coaching_2027.yml").write_text(MINIMAL_CAMPAIGN + "sponsors: [nobody]\n", encoding="utf-8")
    result = load_portal(campaigns)
    assert [str(problem) for problem in result.problems] == [
        "campaigns/Coaching_2027.yml:1: the file name 'Coaching_2027.yml' must be a campaign id: lowercase letters, "
        "digits and single hyphens, at most 64 characters",
        "campaigns/Coaching_2027.yml:7: unknown leader 'nobody' in 'sponsors'; leaders are listed in campaigns/leaders.yml",
    ]
    assert result.portal.campaigns == {}


def test_a_leader_with_a_bad_id_is_still_checked_but_left_out(tmp_path: Path) -> None:
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / "leaders.yml").write_text(LEADERS_YML + "Bad_Id:\n  name: X\n  titel: Y\n", encoding="utf-8")
    result = load_portal(campaigns)
    assert [str(problem) for problem in result.problems] == [
        "campaigns/leaders.yml:9: leader 'Bad_Id' is missing the required key 'title'",
        "campaigns/leaders.yml:9: leader id 'Bad_Id' must be lowercase letters, digits and single hyphens, for example 'bad-id'",
        "campaigns/leaders.yml:11: unknown key 'titel' in leader 'Bad_Id'; did you mean 'title'?",
    ]
    assert sorted(result.portal.leaders) == ["amara-okafor", "daniel-kim"]
