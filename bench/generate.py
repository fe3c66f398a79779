"""A realistic campaign data set of any size, deterministic from a seed.

``generate(folder, pages=3000)`` writes ``leaders.yml`` and about the number of
campaign files that makes the portal generate ~3,000 pages at ``BENCH_NOW``:
events in ten time zones, launch messages sent by several leaders each with
Jinja templates that use ``leader``, ``campaign``, ``events`` and ``next_event``,
testimonials with stories, KPIs, results stories, and some items that are still
embargoed. Everything follows the campaign format, so ``load_portal`` finds no
problem in it.

Every campaign draws from its own random stream (seed and index), so the first
campaigns of a bigger data set are those of a smaller one, apart from which
leaders they name (the registry grows with the data, as it would in a company).

``shape=ISSUE_12`` makes the fixed shape of issue 12 instead of the mixed one: every
campaign with exactly 4 events, 2 messages each sent by 2 leaders and 2 testimonials,
half as many leaders as campaigns, and nothing embargoed at ``BENCH_NOW``; 600 campaigns
give about 3,300 pages (``generate(folder, campaigns=600, shape=ISSUE_12)``).

Run ``python -m bench.generate DIR --pages 3000`` (or ``DIR --campaigns 600 --shape issue12``)
to write one to look at.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

# The build's "now" for every benchmark (PORTAL_NOW): campaigns lie on both sides of it.
BENCH_NOW_TEXT = "2027-03-15T10:00:00Z"
BENCH_NOW = dt.datetime(2027, 3, 15, 10, 0, tzinfo=dt.timezone.utc)

# Pages per campaign: the campaign page and one per public event (8.5 events on average, some
# embargoed, some campaigns not public yet), and a quarter of a leader page; tag pages and four indexes.
_EVENTS_PER_CAMPAIGN = (4, 13)
_PAGES_PER_CAMPAIGN = 8.2
_FIXED_PAGES = 4 + 40
# The plugin's default `events_per_page`: the events list continues on a new page after so many.
EVENTS_PER_PAGE = 100

FIRST_NAMES = [
    "Amara", "Daniel", "Sofia", "Elena", "Marcus", "Farah", "Kenji", "Priya", "Lucas", "Ingrid",
    "Tomás", "Aisha", "Wei", "Olga", "Mateo", "Chloé", "Ravi", "Nadia", "Jonas", "Zanele",
    "Hiro", "Grace", "Omar", "Maja", "Diego", "Leila", "Sven", "Yuki", "Kwame", "Isabel",
]  # fmt: skip
LAST_NAMES = [
    "Okafor", "Kim", "Marchetti", "Vásquez", "Johnson", "Rahman", "Watanabe", "Sharma", "Silva",
    "Larsen", "García", "Bello", "Zhang", "Ivanova", "Rossi", "Dubois", "Patel", "Haddad", "Berg",
    "Dlamini", "Tanaka", "O'Neill", "Farouk", "Nowak", "Morales", "Karimi", "Lindqvist", "Sato",
    "Mensah", "Costa",
]  # fmt: skip
TITLES = [
    "Chief Operating Officer", "Chief Technology Officer", "Chief People Officer", "VP Sales EMEA",
    "VP Customer Success", "Head of Operations APAC", "Director of Engineering", "Head of Finance",
    "VP Product", "Head of Safety", "Regional Director Americas", "Head of Data", "General Counsel",
    "VP Marketing", "Head of Learning", "Plant Manager, Rotterdam", "Head of Support",
]  # fmt: skip
DIVISIONS = ["Operations", "Technology", "People", "Sales", "Customer Success", "Finance", "Product", "Legal"]

TOPICS: list[tuple[str, list[str]]] = [
    ("Coaching for Growth", ["coaching", "management", "leadership"]),
    ("Consultative Selling", ["sales", "customers"]),
    ("AI at Work", ["AI", "data", "productivity"]),
    ("Safety First", ["safety", "operations"]),
    ("Inclusive Hiring", ["hiring", "inclusion"]),
    ("Data Literacy", ["data", "analytics"]),
    ("Cyber Hygiene", ["security", "IT"]),
    ("Customer Empathy", ["customers", "service"]),
    ("Lean Operations", ["operations", "lean", "quality"]),
    ("Feedback that Lands", ["feedback", "management"]),
    ("Financial Acumen", ["finance", "business acumen"]),
    ("Remote Collaboration", ["collaboration", "remote work"]),
    ("Product Thinking", ["product", "innovation"]),
    ("Negotiation Essentials", ["negotiation", "sales"]),
    ("Wellbeing at Work", ["wellbeing", "people"]),
    ("Project Delivery", ["projects", "delivery"]),
    ("Sustainability Basics", ["sustainability", "ESG"]),
    ("Writing for Impact", ["communication", "writing"]),
    ("Change Leadership", ["change", "leadership"]),
    ("Accessibility by Design", ["accessibility", "product"]),
]
QUALIFIERS = ["", "in Practice", "for New Managers", "Essentials", "Deep Dive", "for Frontline Teams", "Refresher"]
REGIONS = ["Global", "EMEA", "APAC", "Americas", "UK & Ireland", "DACH", "Nordics", "LATAM"]
AUDIENCES = [
    "Frontline people managers",
    "Everyone in customer-facing roles",
    "Engineering and data teams",
    "New managers in their first year",
    "All colleagues",
    "Sales and account management",
    "Operations and warehouse supervisors",
]
# (IANA zone, office, a room); day-time starts only, so no start falls into a daylight-saving gap.
PLACES = [
    ("Europe/London", "London HQ", "room 4.02"),
    ("America/New_York", "New York office", "28th floor kitchen"),
    ("Asia/Singapore", "Singapore office", "level 21"),
    ("Europe/Berlin", "Berlin office", "Raum 3.14"),
    ("America/Los_Angeles", "San Francisco office", "Golden Gate room"),
    ("Asia/Kolkata", "Bengaluru campus", "block B auditorium"),
    ("Australia/Sydney", "Sydney office", "level 12"),
    ("America/Sao_Paulo", "São Paulo office", "sala 7"),
    ("Africa/Lagos", "Lagos office", "5th floor"),
    ("Asia/Tokyo", "Tokyo office", "9F training room"),
]
EVENT_TYPES = {
    "lunch-and-learn": "Lunch & learn",
    "town-hall": "Town hall",
    "workshop": "Workshop",
    "webinar": "Webinar",
}
EVENT_SUBJECTS = [
    "the weekly one-to-one people look forward to", "a first conversation that sticks", "questions that open people up",
    "numbers every manager should read", "making the change stick", "practice with peers", "what good looks like",
    "learning from the pilots", "turning feedback into a plan", "a live walkthrough", "your questions answered",
    "from theory to Monday morning", "stories from the front line", "the ten-minute habit",
]  # fmt: skip
TEAMS = ["support", "warehouse", "field sales", "engineering", "finance", "onboarding", "customer success", "logistics"]
CITIES = ["Lagos", "Leeds", "Lisbon", "Manila", "Monterrey", "Munich", "Osaka", "Pune", "Rotterdam", "Toronto"]

SENTENCES = [
    "Teams in {city} that tried this first saw {metric} move by {percent}% in one quarter.",
    "Most of the {team} leads we spoke to said the hardest part is finding {number} quiet minutes a week.",
    "This is not a course to click through: it is practice with peers, on real situations.",
    "Last year {percent}% of exit interviews in {team} named the same gap, and it is fixable.",
    "The pilot in {city} took {number} sessions and the results convinced the leadership team.",
    "Every session is short, practical and recorded for colleagues in other time zones.",
    "Managers who joined early now run the conversation in under {number} minutes.",
    "We measure what matters to the business, not how many people completed a module.",
    "Your manager has a one-page guide and will ask you about it at your next check-in.",
    "Colleagues in {team} asked for more examples, so every session now starts with one.",
    "The {team} team in {city} cut rework by {percent}% after the first month.",
    "If you only do one thing, block {number} minutes in your calendar this week.",
    "We will share what worked and what did not, openly, when the campaign ends.",
    "The materials are available in English, Spanish, Japanese and Portuguese.",
    "Bring a real example from your week; you will leave with a plan for it.",
    "A short survey after each session tells us what to change for the next one.",
]
STORY_SENTENCES = [
    "{metric} moved from {a} to {b} across the teams that took part.",
    "The biggest change came in {city}, where the {team} team made it a weekly habit.",
    "Managers told us the practice sessions mattered more than any slide.",
    "Two pilots did not work: the sessions were too long, so we cut them to {number} minutes.",
    "Colleagues in {team} now run the format themselves, without our help.",
    "It mattered because every point of {metric} is worth real money to the business.",
    "Next time we would involve the {team} leads from the first week.",
]


@dataclass(frozen=True)
class Shape:
    """How many of each item a campaign gets (inclusive ranges), and how much is embargoed."""

    name: str
    events: tuple[int, int] = _EVENTS_PER_CAMPAIGN
    messages: tuple[int, int] = (2, 4)
    leaders_per_message: tuple[int, int] = (2, 4)
    testimonials: tuple[int, int] = (1, 5)
    leaders_per_campaign: float = 0.25  # the registry's size, relative to the number of campaigns
    # Campaign start days relative to ``now``; a campaign is announced a week before it starts.
    start_days: tuple[int, int] = (-600, 150)
    event_embargo: float = 0.1  # share of events announced only two weeks ahead


MIXED = Shape("mixed")
# Issue 12's data set: 600 campaigns, each with 4 events, 2 messages sent by 2 leaders, 2 testimonials;
# 300 leaders; everything public at BENCH_NOW (campaigns started up to a week before it).
ISSUE_12 = Shape(
    "issue12",
    events=(4, 4),
    messages=(2, 2),
    leaders_per_message=(2, 2),
    testimonials=(2, 2),
    leaders_per_campaign=0.5,
    start_days=(-600, 0),
    event_embargo=0.0,
)
SHAPES = {shape.name: shape for shape in (MIXED, ISSUE_12)}


@dataclass
class DataSet:
    """What was written, and how many pages the portal will generate from it at ``now``."""

    campaigns_dir: Path
    campaigns: int = 0
    leaders: int = 0
    events: int = 0
    messages: int = 0
    personal_copies: int = 0
    testimonials: int = 0
    expected_pages: int = 0
    yaml_bytes: int = 0
    campaign_files: list[Path] = field(default_factory=list)


def campaigns_for_pages(pages: int) -> int:
    """About how many campaigns make the portal generate ``pages`` pages."""
    return max(1, round((pages - _FIXED_PAGES) / _PAGES_PER_CAMPAIGN))


def generate(
    campaigns_dir: Path,
    *,
    pages: int | None = None,
    campaigns: int | None = None,
    seed: int = 1,
    now: dt.datetime = BENCH_NOW,
    shape: Shape = MIXED,
) -> DataSet:
    """Write ``leaders.yml`` and the campaign files into ``campaigns_dir``; give ``pages`` or ``campaigns``.

    The folder must be new or empty, so that no file of an earlier data set is left in it.
    """
    if campaigns is None:
        if pages is None:
            raise ValueError("give the number of pages or of campaigns")
        campaigns = campaigns_for_pages(pages)
        plan = _plan(campaigns, seed, now, shape)
        # Corrections from the plan's real count: embargoed campaigns and events make no pages,
        # and small data sets have fewer tags.
        for _ in range(4):
            better = max(1, round(campaigns * pages / max(1, plan.expected_pages)))
            if better == campaigns:
                break
            campaigns = better
            plan = _plan(campaigns, seed, now, shape)
    else:
        plan = _plan(campaigns, seed, now, shape)
    if campaigns_dir.exists() and any(campaigns_dir.iterdir()):
        raise FileExistsError(f"{campaigns_dir} is not empty; give a new folder")
    campaigns_dir.mkdir(parents=True, exist_ok=True)

    result = DataSet(campaigns_dir, expected_pages=plan.expected_pages, leaders=len(plan.leaders))
    header = "# The registry of leaders (generated for benchmarks).\n"
    result.yaml_bytes += _write(campaigns_dir / "leaders.yml", plan.leaders, header)
    for campaign_id, campaign in plan.campaigns:
        path = campaigns_dir / f"{campaign_id}.yml"
        result.yaml_bytes += _write(path, campaign)
        result.campaign_files.append(path)
        result.campaigns += 1
        result.events += len(campaign.get("events", []))
        result.messages += len(campaign.get("messages", []))
        result.personal_copies += sum(len(message["leaders"]) for message in campaign.get("messages", []))
        result.testimonials += len(campaign.get("testimonials", []))
    return result


@dataclass
class _Plan:
    leaders: dict[str, dict[str, Any]]
    campaigns: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    expected_pages: int = 0


def _plan(campaigns: int, seed: int, now: dt.datetime, shape: Shape) -> _Plan:
    """The data set in memory, with the number of pages it gives at ``now``."""
    leader_count = max(8, round(campaigns * shape.leaders_per_campaign))
    plan = _Plan(_leaders(random.Random(f"{seed}:leaders"), leader_count))
    leader_ids = list(plan.leaders)
    public_leaders: set[str] = set()
    public_tags: set[str] = set()
    upcoming_events = past_events = 0
    used_ids: dict[str, int] = {}
    for index in range(campaigns):
        rng = random.Random(f"{seed}:campaign:{index}")
        campaign_id, campaign, counts = _campaign(rng, index, leader_ids, now, shape)
        number = used_ids.get(campaign_id, 0) + 1
        used_ids[campaign_id] = number
        if number > 1:
            campaign_id = f"{campaign_id}-{number}"
        plan.campaigns.append((campaign_id, campaign))
        if counts.public:
            plan.expected_pages += 2 + counts.public_events  # the campaign page, its brief, its events
            upcoming_events += counts.public_events - counts.past_events
            past_events += counts.past_events
            public_leaders.update(counts.public_leaders)
            public_tags.update(_slug(tag) for tag in campaign.get("tags", []))
    # Home, campaigns and leaders, and the pages of the events list: upcoming, then past.
    list_pages = sum(max(1, -(-count // EVENTS_PER_PAGE)) for count in (upcoming_events, past_events))
    plan.expected_pages += 3 + list_pages + len(public_tags) + len(public_leaders)
    return plan


@dataclass
class _Counts:
    public: bool = True
    public_events: int = 0
    past_events: int = 0  # of the public ones, those over at ``now``
    public_leaders: set[str] = field(default_factory=set)


def _leaders(rng: random.Random, count: int) -> dict[str, dict[str, Any]]:
    leaders: dict[str, dict[str, Any]] = {}
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        leader_id = _slug(f"{first} {last}")
        if leader_id in leaders:
            leader_id = f"{leader_id}-{index}"
        entry: dict[str, Any] = {"name": f"{first} {last}", "title": rng.choice(TITLES)}
        if rng.random() < 0.9:
            entry["division"] = rng.choice(DIVISIONS)
        if rng.random() < 0.8:
            entry["bio"] = _paragraphs(rng, rng.randint(1, 2), 3) + "\n"
        if rng.random() < 0.85:
            entry["email"] = f"{leader_id.replace('-', '.')}@example.com"
        leaders[leader_id] = entry
    return leaders


def _campaign(
    rng: random.Random, index: int, leader_ids: list[str], now: dt.datetime, shape: Shape
) -> tuple[str, dict[str, Any], _Counts]:
    topic, topic_tags = TOPICS[index % len(TOPICS)]
    qualifier = rng.choice(QUALIFIERS)
    region = rng.choice(REGIONS)
    starts = now.date() + dt.timedelta(days=rng.randint(*shape.start_days))
    ends = starts + dt.timedelta(days=rng.randint(28, 140)) if rng.random() < 0.9 else None
    title = " ".join(part for part in (topic, qualifier, f"({region} {starts.year})") if part)
    campaign_id = _slug(f"{topic} {qualifier} {region} {starts.year}")[:60].strip("-")
    pool = rng.sample(leader_ids, min(len(leader_ids), rng.randint(3, 6)))
    counts = _Counts()

    campaign: dict[str, Any] = {
        "title": title,
        "summary": _paragraphs(rng, 1, rng.randint(2, 4), bold=True) + "\n",
        "starts": starts,
    }
    if ends is not None:
        campaign["ends"] = ends
    publish: dt.datetime | None = None
    if rng.random() < 0.7:
        publish = dt.datetime(starts.year, starts.month, starts.day, 9, tzinfo=dt.timezone.utc) - dt.timedelta(days=7)
        campaign["publish"] = publish
    counts.public = publish is None or publish <= now
    campaign["audience"] = rng.choice(AUDIENCES)
    tags = [*topic_tags[: rng.randint(1, len(topic_tags))]]
    if rng.random() < 0.3:
        tags.append(region)
    campaign["tags"] = tags
    sponsors = pool[: rng.randint(1, 2)]
    campaign["sponsors"] = sponsors
    counts.public_leaders.update(sponsors)
    campaign["business_case"] = {
        "problem": _paragraphs(rng, 1, 2) + "\n",
        "outcome": _paragraphs(rng, 1, 2) + "\n",
    }
    campaign["kpis"] = [_kpi(rng) for _ in range(rng.randint(1, 3))]

    last_day = ends or starts + dt.timedelta(days=90)
    events = [
        _event(rng, k, starts, last_day, pool, now, shape.event_embargo) for k in range(rng.randint(*shape.events))
    ]
    campaign["events"] = events
    gate = publish or dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    for event in events:
        event_publish = event.get("publish")
        if max(event_publish or gate, gate) <= now:
            counts.public_events += 1
            start = event["starts"].replace(tzinfo=ZoneInfo(event["timezone"])).astimezone(dt.timezone.utc)
            counts.past_events += start + dt.timedelta(minutes=event["duration"]) <= now
            counts.public_leaders.update(event["hosts"])

    messages = []
    for k in range(rng.randint(*shape.messages)):
        message = _message(rng, k, starts, pool, shape.leaders_per_message)
        messages.append(message)
        if max(message["publish"], gate) <= now:
            counts.public_leaders.update(message["leaders"])
    campaign["messages"] = messages

    testimonials = []
    for _ in range(rng.randint(*shape.testimonials)):
        leader = rng.choice(pool)
        day = starts + dt.timedelta(days=rng.randint(3, max(4, (last_day - starts).days)))
        testimonial: dict[str, Any] = {"leader": leader, "date": day, "quote": _sentence(rng)}
        if rng.random() < 0.6:
            testimonial["story"] = _paragraphs(rng, 1, 3, bold=True) + "\n"
        testimonials.append(testimonial)
        moment = dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
        if max(moment, gate) <= now:
            counts.public_leaders.add(leader)
    campaign["testimonials"] = testimonials

    if ends is not None and ends + dt.timedelta(days=14) < now.date() and rng.random() < 0.7:
        campaign["story"] = {
            "publish": ends + dt.timedelta(days=21),
            "what_changed": _story(rng, 3) + "\n",
            "why_it_mattered": _story(rng, 2) + "\n",
            "what_we_learned": _story(rng, 3) + "\n",
        }
    if not counts.public:
        counts.public_leaders.clear()
    return campaign_id, campaign, counts


def _kpi(rng: random.Random) -> dict[str, Any]:
    name, unit, better = rng.choice(
        [
            ("Regretted attrition", "%", "lower"),
            ("Customer satisfaction (CSAT)", "%", "higher"),
            ("Time to first resolution", " h", "lower"),
            ("Win rate on qualified deals", "%", "higher"),
            ("Lost-time incidents per quarter", "", "lower"),
            ("Internal fill rate", "%", "higher"),
            ("Phishing test click rate", "%", "lower"),
        ]
    )
    baseline = rng.randint(10, 80)
    change = rng.randint(2, 15)
    target = baseline - change if better == "lower" else baseline + change
    kpi: dict[str, Any] = {"name": name}
    if unit:
        kpi["unit"] = unit
    kpi.update(baseline=baseline, target=target)
    if rng.random() < 0.8:
        kpi["current"] = round(baseline + (target - baseline) * rng.uniform(-0.2, 1.2), 1)
    if better == "lower":
        kpi["better"] = "lower"
    return kpi


def _event(
    rng: random.Random,
    k: int,
    first_day: dt.date,
    last_day: dt.date,
    pool: list[str],
    now: dt.datetime,
    embargo: float,
) -> dict[str, Any]:
    event_type = rng.choice(list(EVENT_TYPES))
    zone, office, room = rng.choice(PLACES)
    day = first_day + dt.timedelta(days=rng.randint(0, max(0, (last_day - first_day).days)))
    hour, minute = rng.choice([(9, 0), (9, 30), (10, 0), (12, 0), (12, 30), (14, 0), (15, 0), (16, 0), (16, 30)])
    starts = dt.datetime(day.year, day.month, day.day, hour, minute)  # noqa: DTZ001 - wall time in `timezone`, as the format wants
    event: dict[str, Any] = {
        "id": f"{event_type}-{_slug(office)}-{k + 1}",
        "title": f"{EVENT_TYPES[event_type]}: {rng.choice(EVENT_SUBJECTS)}",
        "type": event_type,
        "starts": starts,
        "timezone": zone,
        "duration": rng.choice([30, 45, 60, 60, 90, 120, 180]),
    }
    if event_type != "webinar":
        event["location"] = f"{office}, {room}"
    if event_type == "webinar" or rng.random() < 0.5:
        event["online"] = f"https://meet.example.com/j/{rng.randrange(10**8, 10**9)}"
    event["hosts"] = rng.sample(pool, rng.randint(1, min(2, len(pool))))
    event["description"] = _paragraphs(rng, rng.randint(1, 2), 3, bold=True) + "\n"
    if rng.random() < 0.6:
        event["registration"] = f"https://forms.example.com/{rng.randrange(10**6, 10**7)}"
    if event_type in ("lunch-and-learn", "workshop"):
        event["capacity"] = rng.choice([12, 20, 24, 40, 60])
    if rng.random() < 0.05:
        event["status"] = "cancelled"
    past = starts.date() < now.date()
    if past and rng.random() < 0.4:
        event["recording"] = f"https://video.example.com/v/{rng.randrange(10**5, 10**6)}"
    if rng.random() < embargo:
        # Announced two weeks ahead: some of these are still embargoed at ``now``.
        event["publish"] = dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.timezone.utc) - dt.timedelta(days=14)
    return event


MESSAGE_KINDS = [
    ("kickoff", "Kick-off announcement", "Why I am backing {{ campaign.title }}"),
    ("first-sessions", "The first sessions", "{{ leader.first_name }}: join {{ campaign.title }}"),
    # Subjects stay within the 78 characters mail clients show (a longer one is a build warning).
    ("mid-point", "Half-way check-in", "Half-way: {{ campaign.title }}"),
    ("last-call", "Last call", "Last chance to join {{ campaign.title }}"),
]


def _message(rng: random.Random, k: int, starts: dt.date, pool: list[str], senders: tuple[int, int]) -> dict[str, Any]:
    message_id, title, subject = MESSAGE_KINDS[k]
    publish = dt.datetime(starts.year, starts.month, starts.day, 8, tzinfo=dt.timezone.utc) + dt.timedelta(days=21 * k)
    body = [
        rng.choice(["Hi team,", "Hello everyone,", "Dear colleagues,"]),
        _paragraph(rng, 3),
        "**{{ campaign.title }}** " + rng.choice(["starts this week.", "is under way.", "needs you now."])
        + " " + _paragraph(rng, 2),
    ]  # fmt: skip
    if rng.random() < 0.5:
        body.append(
            "Coming up:\n\n{% for event in events[:3] %}- [{{ event.title }}]({{ event.url }}), "
            "{{ event.starts | date }}\n{% endfor %}"
        )
    body.append(
        "{% if next_event %}The next session is **{{ next_event.title }}** on {{ next_event.starts | datetime }}: "
        "[save your place]({{ next_event.url }}).{% else %}The recordings are on the campaign page.{% endif %}"
    )
    body.append("- " + _sentence(rng) + "\n- " + _sentence(rng) + "\n- " + _sentence(rng))
    body.append("Everything is on the [campaign page]({{ campaign.url }}).")
    body.append(rng.choice(["Thank you,", "See you there,", "Best,"]) + "\n{{ leader.first_name }}")
    message: dict[str, Any] = {
        "id": message_id,
        "title": title,
        "leaders": rng.sample(pool, rng.randint(senders[0], min(senders[1], len(pool)))),
        "publish": publish,
        "subject": subject,
        "body": "\n\n".join(body) + "\n",
    }
    if rng.random() < 0.7:
        message["short"] = "{{ campaign.title }}: " + _sentence(rng) + " {{ campaign.url }}"
    return message


def _fill(rng: random.Random, template: str) -> str:
    a = rng.randint(10, 40)
    return template.format(
        city=rng.choice(CITIES),
        team=rng.choice(TEAMS),
        metric=rng.choice(["regretted attrition", "customer satisfaction", "time to resolution", "win rate"]),
        percent=rng.randint(3, 40),
        number=rng.choice([10, 15, 20, 30, 45]),
        a=f"{a}%",
        b=f"{a - rng.randint(1, 9)}%",
    )


def _sentence(rng: random.Random) -> str:
    return _fill(rng, rng.choice(SENTENCES))


def _paragraph(rng: random.Random, sentences: int, *, bold: bool = False) -> str:
    chosen = [_sentence(rng) for _ in range(sentences)]
    if bold and chosen:
        words = chosen[0].split(" ")
        cut = min(3, len(words))
        chosen[0] = "**" + " ".join(words[:cut]) + "** " + " ".join(words[cut:])
    return " ".join(chosen)


def _paragraphs(rng: random.Random, count: int, sentences: int, *, bold: bool = False) -> str:
    return "\n\n".join(_paragraph(rng, sentences, bold=bold and i == 0) for i in range(count))


def _story(rng: random.Random, sentences: int) -> str:
    return " ".join(_fill(rng, rng.choice(STORY_SENTENCES)) for _ in range(sentences))


def _slug(text: str) -> str:
    ascii_text = text.lower().translate(str.maketrans("áéíóúãçöäüåø", "aeiouacoauao"))
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Block scalars for multi-line text, as an author would write them."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _represent_text)


def _write(path: Path, data: dict[str, Any], header: str = "") -> int:
    text = header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("folder", type=Path, help="the campaigns folder to write")
    parser.add_argument("--pages", type=int, default=3000, help="about how many pages the portal should generate")
    parser.add_argument("--campaigns", type=int, help="the number of campaigns (instead of --pages)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--shape", choices=sorted(SHAPES), default=MIXED.name, help="issue12: the fixed shape of issue 12"
    )
    args = parser.parse_args(argv)
    data = generate(
        args.folder,
        pages=None if args.campaigns else args.pages,
        campaigns=args.campaigns,
        seed=args.seed,
        shape=SHAPES[args.shape],
    )
    print(
        f"{data.campaigns} campaigns, {data.leaders} leaders, {data.events} events, {data.messages} messages "
        f"({data.personal_copies} personal copies), {data.testimonials} testimonials, "
        f"{data.yaml_bytes / 1e6:.1f} MB of YAML: {data.expected_pages} pages at {BENCH_NOW_TEXT}"
    )


if __name__ == "__main__":
    main()
