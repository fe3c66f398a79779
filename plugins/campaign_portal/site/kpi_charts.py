"""A KPI as a trend chart: where each point goes, and what the chart says in words.

The template ``portal/partials/kpi.html`` draws the SVG from a ``KpiChart``; this module only
does the arithmetic, so the geometry is tested without a browser. The chart is a time line:
the baseline at the campaign's start (or the first measurement, if earlier), each dated
value of ``history`` joined as a line, and the target as a horizontal line across. Values
grow upwards whatever the direction; "lower is better" puts the target zone (the band
beyond the target, shaded) below the target line instead of above it, and decides what the
words say: "Beat the target by 0.1", "0.8 to go", "Missed the target by 2 points".

Hand-written rather than drawn by a library: matplotlib brings a heavy stack and draws fixed
colours and fonts into its SVG, pygal needs its own script for tooltips; these few shapes, coloured
by the site's CSS variables (both colour schemes, print), are less code than configuring either.
Nothing here reads the clock: the same data and phase give the same chart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from ..model import Campaign, Kpi
from ..rules import numbers
from ..rules.dates import short_date

# The SVG's coordinate box; the drawing scales with its card (text with it, so it stays
# legible: the box is narrow enough that a phone shows it near 1:1).
WIDTH, HEIGHT = 320, 176
LEFT, RIGHT, TOP, BOTTOM = 10, 310, 22, 140
AXIS_Y, AXIS_LABEL_Y = 152, 170
PAD = 0.2  # of the values' range, above and below, so labels fit beside the extremes

State = Literal["unknown", "moving", "worse", "met", "beaten", "missed"]
LEVEL_LABELS = {
    "reaction": "Reaction",
    "learning": "Learning",
    "behaviour": "Behaviour",
    "results": "Business result",
}


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    value: float
    date: dt.date | None
    label: str  # the value with its unit
    when: str  # the date as it reads, or "Baseline"


@dataclass(frozen=True)
class KpiChart:
    kpi: Kpi
    anchor: str  # a stable id for the chart's labels on the page
    baseline: ChartPoint
    points: tuple[ChartPoint, ...]  # the measurements, oldest first (the baseline not included)
    target_y: float
    zone_y: float  # the edge of the target zone: the top (higher is better) or the bottom of the plot
    state: State
    verdict: str  # what the chart says, in words
    summary: str  # the accessible name: the measure and the verdict in one sentence
    start_label: str
    end_label: str

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = RIGHT
    top: int = TOP
    bottom: int = BOTTOM
    axis_y: int = AXIS_Y
    axis_label_y: int = AXIS_LABEL_Y

    @property
    def line(self) -> str:
        """The SVG ``points`` of the trend: the baseline, then each measurement."""
        return " ".join(f"{p.x:g},{p.y:g}" for p in (self.baseline, *self.points))

    @property
    def latest(self) -> ChartPoint | None:
        return self.points[-1] if self.points else None

    @property
    def zone_top(self) -> float:
        return min(self.zone_y, self.target_y)

    @property
    def zone_height(self) -> float:
        return abs(self.target_y - self.zone_y)

    @property
    def target_value(self) -> str:
        return numbers.measure(self.kpi.target, self.kpi.unit, self.decimals)

    @property
    def target_label(self) -> str:
        return "Target " + self.target_value

    @property
    def target_label_y(self) -> float:
        """Just above the line, at its left end, where the trend has not yet arrived."""
        return self.target_y - 5

    @property
    def baseline_label(self) -> str:
        return "Baseline " + self.baseline.label

    @property
    def baseline_label_y(self) -> float:
        """On the far side of the baseline from the target."""
        below = self.kpi.target >= self.kpi.baseline
        return self.baseline.y + 16 if below else self.baseline.y - 8

    @property
    def latest_label_y(self) -> float:
        """Above the latest point, or below it when the line comes in from above (so it is not crossed)."""
        point = self.latest
        if point is None:
            return 0
        previous = self.points[-2] if len(self.points) > 1 else self.baseline
        below = previous.y < point.y or point.y - 12 < self.top
        return point.y + 21 if below and point.y + 21 < self.axis_label_y - 12 else point.y - 11

    @property
    def decimals(self) -> int:
        return numbers.decimals_of(
            [self.kpi.baseline, self.kpi.target, *(m.value for m in self.kpi.history), *([self.kpi.current] if self.kpi.current is not None else [])]
        )

    @property
    def direction(self) -> str:
        return "Lower is better" if self.kpi.better == "lower" else "Higher is better"

    @property
    def level(self) -> str | None:
        return LEVEL_LABELS.get(self.kpi.level) if self.kpi.level else None


def kpi_chart(kpi: Kpi, campaign: Campaign, today: dt.date, index: int = 0) -> KpiChart:
    """The chart of one of ``campaign``'s KPIs as it stands on ``today``."""
    measured = [(m.date, m.value) for m in kpi.history]
    if not measured and kpi.current is not None:
        # A current value without history has no date: it is drawn at the campaign's end (or a day
        # after its start), never at "today", so the page only changes when the data or phase does.
        measured = [(campaign.ends or campaign.starts + dt.timedelta(days=1), kpi.current)]
    end = max([campaign.ends or campaign.starts, *(day for day, _ in measured)])
    start = campaign.starts
    if measured and measured[0][0] <= start:
        # Measured on or before the start (a pilot, a pre-launch survey): the baseline, which comes
        # before every measurement, is drawn a little earlier still, so no segment is vertical.
        start = measured[0][0] - dt.timedelta(days=max(7, (end - measured[0][0]).days // 12))
    if end <= start:
        end = start + dt.timedelta(days=1)
    values = [kpi.baseline, kpi.target, *(value for _, value in measured)]
    low, high = min(values), max(values)
    pad = (high - low) * PAD or max(abs(high) * 0.1, 1.0)
    low, high = low - pad, high + pad
    decimals = numbers.decimals_of(values)

    def x_of(day: dt.date) -> float:
        return round(LEFT + (RIGHT - LEFT) * (day - start).days / (end - start).days, 2)

    def y_of(value: float) -> float:
        return round(BOTTOM - (BOTTOM - TOP) * (value - low) / (high - low), 2)

    baseline = ChartPoint(LEFT, y_of(kpi.baseline), kpi.baseline, None, numbers.measure(kpi.baseline, kpi.unit, decimals), "Baseline")
    dated = bool(kpi.history)
    points = tuple(
        ChartPoint(
            x_of(day), y_of(value), value, day if dated else None, numbers.measure(value, kpi.unit, decimals), short_date(day) if dated else "Latest"
        )
        for day, value in measured
    )
    state, verdict = judge(kpi, campaign.phase(today), decimals)
    target_words = numbers.measure(kpi.target, kpi.unit, decimals)
    baseline_words = numbers.measure(kpi.baseline, kpi.unit, decimals)
    summary = f"{kpi.name}: from {baseline_words} towards a target of {target_words}"
    if points:
        latest = points[-1]
        summary += f", {latest.label} on {latest.when}" if latest.date else f", latest {latest.label}"
    summary += f". {verdict}."
    return KpiChart(
        kpi=kpi,
        anchor=f"{campaign.id}-kpi-{index + 1}",
        baseline=baseline,
        points=points,
        target_y=y_of(kpi.target),
        zone_y=TOP if kpi.better == "higher" else AXIS_Y,
        state=state,
        verdict=verdict,
        summary=summary,
        start_label=f"{start:%b %Y}",
        end_label=f"{end:%b %Y}",
    )


def judge(kpi: Kpi, phase: str, decimals: int) -> tuple[State, str]:
    """How the latest value stands against the target, in the campaign's tense."""
    current = kpi.current
    if current is None:
        return "unknown", "Not measured yet" if phase != "completed" else "No result recorded"
    sign = 1 if kpi.better == "higher" else -1
    to_go = (kpi.target - current) * sign  # > 0: short of the target
    gained = (current - kpi.baseline) * sign  # > 0: better than the baseline
    if round(to_go, decimals) < 0:
        return "beaten", f"Beat the target by {numbers.difference(to_go, kpi.unit, decimals)}"
    if round(to_go, decimals) == 0:
        return "met", "Target met"
    gap = numbers.difference(to_go, kpi.unit, decimals)
    if round(gained, decimals) < 0:
        worse = numbers.difference(gained, kpi.unit, decimals)
        state: State = "missed" if phase == "completed" else "worse"
        return state, f"{worse} worse than the baseline; {'missed the target by ' + gap if phase == 'completed' else gap + ' to go'}"
    if phase == "completed":
        return "missed", f"Missed the target by {gap}"
    return "moving", f"{gap} to go"


def headline_kpi(campaign: Campaign) -> Kpi | None:
    """The KPI a completed campaign is known by: the first business result with a value, else the first with a value."""
    measured = [kpi for kpi in campaign.kpis if kpi.current is not None]
    results = [kpi for kpi in measured if kpi.level == "results"]
    chosen = results or measured
    return chosen[0] if chosen else None
