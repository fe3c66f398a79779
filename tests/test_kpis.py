"""KPIs: the loader's reading of `history` and `level`, and what a KPI's numbers say."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from campaign_portal.model import Kpi, Measurement
from test_loader import load

from conftest import MINIMAL_CAMPAIGN


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
