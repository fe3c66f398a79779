"""Property tests: mutated campaign files never make the loader or the build raise.

Mutations start from the example campaigns: lines deleted or duplicated (duplicate
keys), values swapped for other types, junk inserted, indentation changed, files
truncated and bytes flipped. Whatever comes out, ``load_portal`` returns a
``LoadResult`` whose problems each read ``campaigns/<file>:<line>: <message>``.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign_portal.load import LoadResult, load_portal
from campaign_portal.publishing import select_public
from campaign_portal.site import SiteSettings, build_site

from conftest import EXAMPLE_NOW, PROJECT_ROOT, BuildPortal

EXAMPLES = {path.name: path.read_bytes() for path in sorted((PROJECT_ROOT / "campaigns").glob("*.yml"))}
CAMPAIGN_FILES = sorted(name for name in EXAMPLES if name != "leaders.yml")
PROBLEM = re.compile(r"campaigns/[^:]+:\d+: .+")

VALUES = [
    "[]", "{}", "null", "~", "yes", "no", "on", "123", "-1", "0", "1.5", ".inf", ".nan", "1e400", '"x"', "''",
    "[a, b]", "{a: 1}", "!!python/object:os.system {}", "!!binary aGk=", "*nope", "&a x", '"\\0"', '"\\x1b"',
    "'../x'", "a/b", "2027-02-30", "9999-12-31T23:59", "0001-01-01", "Europe/Nowhere", "javascript:alert(1)",
    "'<script>alert(1)</script>'", "'{{ ''.__class__ }}'", "'{% include \"x\" %}'", "'{{ range(10**9)|list }}'",
    "'[[[[[[[[[[[[[[[['", "|\n  " + "- " * 40, "con", "'" + "9" * 500 + "'",
]  # fmt: skip
JUNK = st.text(alphabet=st.sampled_from(list(":-[]{}\"'\t\n&*!%@|>#?,\\ aZ9é\u2028\ufeff\x00\x85")), min_size=1, max_size=12)


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


@st.composite
def mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """One random change to ``data``."""
    lines = _lines(data)
    index = draw(st.integers(0, max(len(lines) - 1, 0)))
    kind = draw(st.sampled_from(["delete", "duplicate", "value", "junk", "indent", "truncate", "flip"]))
    if kind == "delete" and lines:
        del lines[index]
    elif kind == "duplicate" and lines:
        lines.insert(index, lines[index])
    elif kind == "value":
        line = lines[index]
        if b":" in line:
            key = line.split(b":", 1)[0]
            lines[index] = key + b": " + draw(st.sampled_from(VALUES)).encode()
        else:
            lines[index] = line[: len(line) - len(line.lstrip())] + b"- " + draw(st.sampled_from(VALUES)).encode()
    elif kind == "junk":
        position = draw(st.integers(0, len(data)))
        return data[:position] + draw(JUNK).encode() + data[position:]
    elif kind == "indent" and lines:
        lines[index] = b" " * draw(st.integers(0, 9)) + lines[index].lstrip()
    elif kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    elif kind == "flip" and data:
        position = draw(st.integers(0, len(data) - 1))
        flipped = bytearray(data)
        flipped[position] ^= draw(st.integers(1, 255))
        return bytes(flipped)
    return b"\n".join(lines)


@st.composite
def mutated_files(draw: st.DrawFn) -> dict[str, bytes]:
    """leaders.yml and one campaign, one of them (or both) mutated a few times."""
    campaign = draw(st.sampled_from(CAMPAIGN_FILES))
    files = {"leaders.yml": EXAMPLES["leaders.yml"], campaign: EXAMPLES[campaign]}
    targets = draw(st.sampled_from([[campaign], [campaign], [campaign], ["leaders.yml"], ["leaders.yml", campaign]]))
    for name in targets:
        for _ in range(draw(st.integers(1, 4))):
            files[name] = draw(mutation(files[name]))
    return files


def load_files(files: dict[str, bytes]) -> LoadResult:
    with tempfile.TemporaryDirectory() as folder:
        campaigns = Path(folder) / "campaigns"
        campaigns.mkdir()
        for name, data in files.items():
            (campaigns / name).write_bytes(data)
        return load_portal(campaigns)


def assert_well_formed(result: object) -> None:
    assert isinstance(result, LoadResult)
    for problem in result.problems:
        assert PROBLEM.fullmatch(str(problem)), repr(str(problem))


@settings(max_examples=200, derandomize=True, deadline=None)
@given(mutated_files())
def test_the_loader_only_ever_returns_a_load_result(files: dict[str, bytes]) -> None:
    assert_well_formed(load_files(files))


@settings(max_examples=15, derandomize=True, deadline=None)
@given(mutated_files())
def test_the_pages_feeds_and_calendars_are_made_for_any_loaded_data(files: dict[str, bytes]) -> None:
    result = load_files(files)
    assert_well_formed(result)
    now = dt.datetime.fromisoformat(EXAMPLE_NOW.replace("Z", "+00:00"))
    content = build_site(select_public(result.portal, now), SiteSettings(site_name="Portal", site_url="https://x.example/"))
    for problem in content.problems:
        assert re.fullmatch(r"(campaigns/[^:]+|mkdocs\.yml \([^)]*\)):\d+: .+", str(problem)), str(problem)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@settings(
    max_examples=3,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutated_files())
def test_a_real_site_build_never_raises(build_portal: BuildPortal, files: dict[str, bytes]) -> None:
    texts = {name: data.decode("utf-8", errors="replace").replace("\x00", "") for name, data in files.items()}
    site = build_portal(texts, expect_warnings=True)
    assert site.exists("")
    for warning in site.warnings:
        assert "Traceback" not in warning
