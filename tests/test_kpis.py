"""KPIs: the loader's reading of `history` and `level`, and what a KPI's numbers say."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import pytest
from bs4 import Tag

from campaign_portal.model import Kpi, Measurement
from test_loader import load

from conftest import MINIMAL_CAMPAIGN, BuildPortal, BuiltSite


def with_kpis(block: str) -> str:
    return MINIMAL_CAMPAIGN + "kpis:\n" + block


def test_history_gives_current_when_current_is_left_out(tmp_path: Path) -> None:
    portal, found = load(
        tmp_path,
        {
            "coaching.yml": with_kpis(
                "  - name: Attrition\n    unit: '%'\n    baseline: 14\n    target: 10\n    better: lower\n    level: results\n"
                "    history:\n      - {date: 2027-02-01, value: 13.6}\n      - {date: 2027-03-01, value: 12.5}\n"
            )
        },
    )
    assert found == []
    kpi = portal.campaigns["coaching"].kpis[0]  # type: ignore[attr-defined]
    assert kpi.current == 12.5
    assert kpi.level == "results"
    assert kpi.history == (Measurement(dt.date(2027, 2, 1), 13.6), Measurement(dt.date(2027, 3, 1), 12.5))


def test_every_kpi_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    _, found = load(
        tmp_path,
        {
            "coaching.yml": with_kpis(
                "  - name: Attrition\n    unit: []\n    baseline: 14\n    target: ten\n    current: 9\n    level: result\n"
                "    history:\n      - {date: 2027-03-01, value: 12}\n      - {date: 2027-02-01, value: x}\n"
            )
        },
    )
    line = MINIMAL_CAMPAIGN.count("\n") + 2
    assert found == [
        f"campaigns/coaching.yml:{line + 1}: 'unit' must be text",
        f"campaigns/coaching.yml:{line + 3}: 'target' must be a number, not 'ten'",
        f"campaigns/coaching.yml:{line + 4}: 'current' (9) is not the latest value in 'history' (12 on 2027-03-01); make them equal, or leave 'current' out",
        f"campaigns/coaching.yml:{line + 5}: 'level' must be one of reaction, learning, behaviour, results, not 'result'; did you mean 'results'?",
        f"campaigns/coaching.yml:{line + 8}: 'history' dates must increase: 2027-02-01 is not after 2027-03-01 (line {line + 7}); list measurements oldest first, one per date",
        f"campaigns/coaching.yml:{line + 8}: 'value' must be a number, not 'x'",
    ]


@pytest.mark.parametrize(
    ("better", "current", "progress"),
    [("higher", 5, 1.0), ("higher", 6, 1.0), ("higher", 4, -1.0), ("lower", 4, 1.0), ("lower", 6, -1.0), ("lower", None, None)],
)
def test_a_target_equal_to_the_baseline_still_has_a_current_value(better: str, current: float | None, progress: float | None) -> None:
    """Issue 16 item 9: keeping a measure where it is (target = baseline) is met, or missed, never "no value"."""
    kpi = Kpi(name="Score", baseline=5, target=5, current=current, better=better)  # type: ignore[arg-type]
    assert kpi.progress == progress


# -- the chart, read back from the built page's SVG ------------------------------------------------

CHARTED = (
    MINIMAL_CAMPAIGN.replace("starts: 2027-01-11", "starts: 2027-01-11\nends: 2027-03-26")
    + """\
sponsors: [amara-okafor]
kpis:
  - name: Deals won
    baseline: 10
    target: 20
    level: results
    history:
      - {date: 2027-01-25, value: 12}
      - {date: 2027-02-08, value: 15}
      - {date: 2027-02-22, value: 22}
  - name: Attrition
    unit: "%"
    baseline: 14
    target: 10
    better: lower
    level: reaction
    history:
      - {date: 2027-02-01, value: 13.6}
      - {date: 2027-03-01, value: 12.5}
  - name: Lost days
    unit: days
    baseline: 560
    target: 400
    current: 600
    better: lower
  - name: Satisfaction kept where it was
    baseline: 4.5
    target: 4.5
    current: 4.5
  - name: Not yet measured
    baseline: 3
    target: 4
"""
)


def figures(site: BuiltSite, uri: str) -> dict[str, Tag]:
    return {figure.select_one(".portal-kpi__name").get_text(): figure for figure in site.content(uri).select("figure.portal-kpi")}


def points_of(figure: Tag) -> list[tuple[float, float]]:
    line = figure.select_one("polyline.portal-kpi__line")
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in line["points"].split())]


def y_of(figure: Tag, selector: str, attribute: str = "y1") -> float:
    return float(figure.select_one(selector)[attribute])


@pytest.fixture(scope="module")
def charted(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    from conftest import LEADERS_YML, build_project, prepare_project

    root = prepare_project(tmp_path_factory.mktemp("kpis"), {"leaders.yml": LEADERS_YML, "coaching.yml": CHARTED})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORTAL_NOW", "2027-03-05T12:00:00Z")
        site = build_project(root)
    assert site.warnings == []
    return site


def test_points_follow_the_dates_and_values_and_the_target_is_a_line(charted: BuiltSite) -> None:
    deals = figures(charted, "campaigns/coaching/")["Deals won"]
    points = points_of(deals)
    assert len(points) == 4  # the baseline, then three measurements
    xs, ys = [x for x, _ in points], [y for _, y in points]
    assert xs == sorted(xs) and len(set(xs)) == 4
    # Two weeks apart each: equal steps after the baseline (campaign start, 11 Jan, is two weeks before too).
    steps = [round(b - a, 1) for a, b in itertools.pairwise(xs)]
    assert steps[0] == steps[1] == steps[2]
    # Higher values are higher on the chart (smaller y), in proportion: 10 -> 12 -> 15 -> 22.
    assert ys[0] > ys[1] > ys[2] > ys[3]
    assert round((ys[0] - ys[1]) / (ys[0] - ys[3]), 3) == round(2 / 12, 3)
    target_y = y_of(deals, "line.portal-kpi__target")
    assert y_of(deals, "line.portal-kpi__target", "y2") == target_y
    assert round((ys[0] - target_y) / (ys[0] - ys[3]), 3) == round(10 / 12, 3)
    # Higher is better: the target zone is the band above the target line, and the last point beat it.
    zone = deals.select_one("rect.portal-kpi__zone")
    assert float(zone["y"]) + float(zone["height"]) == target_y
    assert ys[3] < target_y
    assert deals.select_one(".portal-kpi__verdict").get_text() == "Beat the target by 2"
    assert "portal-kpi--beaten" in deals["class"]


def test_lower_is_better_puts_the_target_zone_below_and_units_read_right(charted: BuiltSite) -> None:
    attrition = figures(charted, "campaigns/coaching/")["Attrition"]
    points = points_of(attrition)
    ys = [y for _, y in points]
    assert ys[0] < ys[1] < ys[2]  # 14 -> 13.6 -> 12.5: falling values go down
    target_y = y_of(attrition, "line.portal-kpi__target")
    assert ys[2] < target_y  # 12.5 is not yet down to 10
    zone = attrition.select_one("rect.portal-kpi__zone")
    assert float(zone["y"]) == target_y and float(zone["height"]) > 0  # the band below the line
    assert attrition.select_one(".portal-kpi__verdict").get_text() == "2.5 points to go"
    assert attrition.select_one(".portal-kpi__value").get_text() == "12.5%"
    assert attrition.select_one(".portal-kpi__level").get_text() == "Reaction"
    svg = attrition.select_one("svg")
    assert svg["role"] == "img"
    assert svg["aria-label"] == (
        "Attrition: from 14% towards a target of 10%, 12.5% on 1 Mar 2027. 2.5 points to go."
    )
    rows = [[cell.get_text() for cell in row.select("th, td")] for row in attrition.select("table tbody tr")]
    assert rows == [["Baseline", "14%"], ["1 Feb 2027", "13.6%"], ["1 Mar 2027", "12.5%"], ["Target", "10%"]]

    lost = figures(charted, "campaigns/coaching/")["Lost days"]
    assert lost.select_one(".portal-kpi__verdict").get_text() == "40 days worse than the baseline; 200 days to go"
    assert "portal-kpi--worse" in lost["class"]
    assert lost.select_one(".portal-kpi__value").get_text() == "600 days"
    # Without history, the current value is drawn at the campaign's end, above the baseline (it rose).
    assert points_of(lost)[1][0] == 310
    (_, base_y), (_, now_y) = points_of(lost)
    assert now_y < base_y


def test_a_kept_level_is_met_and_an_unmeasured_kpi_says_so(charted: BuiltSite) -> None:
    charts = figures(charted, "campaigns/coaching/")
    assert charts["Satisfaction kept where it was"].select_one(".portal-kpi__verdict").get_text() == "Target met"
    unmeasured = charts["Not yet measured"]
    assert unmeasured.select_one(".portal-kpi__verdict").get_text() == "Not measured yet"
    assert unmeasured.select_one("polyline") is None
    assert unmeasured.select_one(".portal-kpi__baseline") is not None


@pytest.mark.parametrize(
    ("now", "measures", "verdict"),
    [
        ("2027-01-05T12:00:00Z", "The measures we will move", "8 to go"),
        ("2027-03-05T12:00:00Z", "How the measures are moving", "Beat the target by 2"),
        ("2027-04-05T12:00:00Z", "Results against target", "Beat the target by 2"),
    ],
)
def test_campaign_page_wording_follows_the_phase(build_portal: BuildPortal, now: str, measures: str, verdict: str) -> None:
    from conftest import LEADERS_YML

    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": CHARTED.replace("value: 22", "value: 12", 1) if now < "2027-01-25" else CHARTED}, now=now)
    page = site.content("campaigns/coaching/")
    assert page.select_one("h2#measures").get_text(strip=True) == measures
    deals = figures(site, "campaigns/coaching/")["Deals won"]
    assert deals.select_one(".portal-kpi__verdict").get_text() == verdict
    brief = site.content("campaigns/coaching/brief/")
    assert brief.select_one("h1").get_text() == "Coaching for Growth"


def test_a_completed_campaign_that_fell_short_says_it_missed(build_portal: BuildPortal) -> None:
    from conftest import LEADERS_YML

    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": CHARTED.replace("value: 22", "value: 18")}, now="2027-04-05T12:00:00Z")
    deals = figures(site, "campaigns/coaching/")["Deals won"]
    assert deals.select_one(".portal-kpi__verdict").get_text() == "Missed the target by 2"
    assert site.content("campaigns/coaching/").select_one("#business-case").get_text() == "Why we ran it"


STORY = """\
story:
  publish: 2027-04-15
  what_changed: Regretted attrition fell faster in teams whose manager coached weekly.
  why_it_mattered: Forty fewer resignations.
  what_we_learned: Practice beats theory.
"""


@pytest.mark.parametrize(("now", "told"), [("2027-04-14T23:59:00Z", False), ("2027-04-15T00:00:00Z", True)])
def test_the_brief_tells_the_story_only_once_it_is_published(build_portal: BuildPortal, now: str, told: bool) -> None:
    from conftest import LEADERS_YML

    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": CHARTED + STORY}, now=now)
    brief = site.content("campaigns/coaching/brief/")
    text = brief.get_text(" ")
    assert ("Forty fewer resignations" in text) is told
    assert ("Practice beats theory" in site.text("campaigns/coaching/brief/")) is told
    assert ("Forty fewer resignations" in site.text("search/search_index.json")) is told
    # Search finds the story on the campaign page; the brief, a printout of it, is not indexed.
    locations = {entry["location"] for entry in json.loads(site.text("search/search_index.json"))["docs"]}
    assert "campaigns/coaching/" in locations
    assert not any(location.startswith("campaigns/coaching/brief/") for location in locations)
    # What the brief always has: the business case, each KPI with its level, sponsors, dates, a link back.
    assert "Regretted attrition is 14%." in text and "Cut it to 10%." in text
    assert [name.get_text() for name in brief.select(".portal-kpi__name")][:2] == ["Deals won", "Attrition"]
    assert "Amara Okafor" in text and "11 Jan 2027 – 26 Mar 2027" in text
    assert brief.select_one(".portal-brief__foot a")["href"] == "../../../campaigns/coaching/"
    campaign = site.content("campaigns/coaching/")
    assert campaign.select_one(".portal-brief-link a")["href"] == "../../campaigns/coaching/brief/#print"
    assert campaign.select_one(".portal-brief-link a").get_text() == "Print or save as PDF"


def test_no_brief_before_the_campaign_is_public(build_portal: BuildPortal) -> None:
    from conftest import LEADERS_YML

    scheduled = CHARTED.replace("ends: 2027-03-26", "ends: 2027-03-26\npublish: 2027-01-04T09:00:00+00:00")
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": scheduled}, now="2027-01-03T09:00:00Z")
    assert not site.exists("campaigns/coaching/brief/")
    assert "brief" not in site.text("sitemap.xml")
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": scheduled}, now="2027-01-04T09:00:00Z")
    assert site.exists("campaigns/coaching/brief/")


def test_home_shows_completed_campaigns_by_their_headline_measure(build_portal: BuildPortal) -> None:
    from conftest import LEADERS_YML

    unmeasured = MINIMAL_CAMPAIGN.replace("Coaching for Growth", "Unmeasured").replace("starts: 2027-01-11", "starts: 2027-01-04\nends: 2027-02-01")
    files = {"leaders.yml": LEADERS_YML, "coaching.yml": CHARTED + STORY, "unmeasured.yml": unmeasured}
    site = build_portal(files, now="2027-04-05T12:00:00Z")
    results = site.content("").select_one("#results").find_parent("section")
    cards = results.select(".portal-result")
    assert [card.h3.get_text(strip=True) for card in cards] == ["Coaching for Growth"]
    card = cards[0]
    # The first `results` KPI with a value: "Deals won", from 10 to 22.
    assert card.select_one(".portal-result__measure").get_text() == "Deals won"
    assert words(card.select_one(".portal-result__numbers").get_text()) == "from 10 → to 22"
    assert card.select_one(".portal-result__verdict").get_text(" ", strip=True) == "Beat the target by 2 (target 20)"
    links = {a.get_text(" ", strip=True): a["href"] for a in card.select(".portal-result__links a")}
    assert links == {"Executive brief : Coaching for Growth": "./campaigns/coaching/brief/"}  # the story is not out yet
    later = build_portal(files, now="2027-04-15T12:00:00Z").content("").select_one(".portal-result__links")
    assert next(a.get_text(strip=True) for a in later.select("a")) == "The story behind it"


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (12.5, "%", "12.5%"),
        (310, "days", "310 days"),
        (1, "days", "1 day"),
        (1.5, "x", "1.5x"),
        (210000, "£", "£210,000"),
        (-3, "€", "-€3"),
        (4.2, "points per 1,000", "4.2 points per 1,000"),
        (1_000_000, None, "1,000,000"),
        (0.1 + 0.2, None, "0.3"),
    ],
)
def test_units_are_glued_or_spaced_as_they_read(value: float, unit: str | None, shown: str) -> None:
    from campaign_portal.rules.numbers import measure

    assert measure(value, unit) == shown


def test_a_difference_of_percentages_is_in_points_and_rounded_to_the_data() -> None:
    from campaign_portal.rules.numbers import difference

    assert difference(1.6 - 1.5, None, 1) == "0.1"
    assert difference(-2.5, "%", 1) == "2.5 points"
    assert difference(1, "%", 0) == "1 point"


def test_a_measurement_before_the_start_still_comes_after_the_baseline(build_portal: BuildPortal) -> None:
    from conftest import LEADERS_YML

    early = CHARTED.replace("{date: 2027-01-25, value: 12}", "{date: 2027-01-04, value: 12}")
    site = build_portal({"leaders.yml": LEADERS_YML, "coaching.yml": early}, now="2027-01-05T12:00:00Z")
    xs = [x for x, _ in points_of(figures(site, "campaigns/coaching/")["Deals won"])]
    assert xs == sorted(xs) and len(set(xs)) == len(xs) == 4
