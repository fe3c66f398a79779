"""Reproducible builds: the same sources, SOURCE_DATE_EPOCH and PORTAL_NOW give a byte-identical site.

The two builds run in separate processes with different hash seeds (so set and dict
ordering cannot hide), from projects in different folders, into site folders of
different names, a moment apart on the clock.
"""

from __future__ import annotations

import datetime as dt
import gzip
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLE_NOW, prepare_project

SOURCE_DATE_EPOCH = 1_790_000_000  # 2026-09-21T14:13:20Z


def build_in_subprocess(root: Path, site_dir: Path, hash_seed: str) -> None:
    environment = {
        **os.environ,
        "SOURCE_DATE_EPOCH": str(SOURCE_DATE_EPOCH),
        "PORTAL_NOW": EXAMPLE_NOW,
        "PYTHONHASHSEED": hash_seed,
        "NO_MKDOCS_2_WARNING": "1",
    }
    environment.pop("PORTAL_PREVIEW", None)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site_dir)],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def site_files(site_dir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site_dir).as_posix(): path.read_bytes()
        for path in sorted(site_dir.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    first_root = prepare_project(tmp_path_factory.mktemp("first") / "portal", example=True)
    second_root = prepare_project(tmp_path_factory.mktemp("second") / "elsewhere", example=True)
    build_in_subprocess(first_root, first_root / "site", "1")
    time.sleep(1.1)  # a different second on the clock: nothing may come from it
    build_in_subprocess(second_root, second_root / "public", "2")
    return site_files(first_root / "site"), site_files(second_root / "public")


def test_two_builds_of_the_example_are_byte_identical(two_builds: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    first, second = two_builds
    assert len(first) > 100
    assert sorted(first) == sorted(second)
    different = [uri for uri in first if first[uri] != second[uri]]
    assert different == []


def test_every_kind_of_output_was_compared(two_builds: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    first, _ = two_builds
    suffixes = {Path(uri).suffix for uri in first}
    assert {".html", ".xml", ".json", ".ics", ".eml", ".gz", ".css", ".js"} <= suffixes
    assert "search/search_index.json" in first
    assert "sitemap.xml" in first


def test_build_dates_come_from_source_date_epoch(two_builds: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    """The clock reaches the site only through the sitemap; SOURCE_DATE_EPOCH pins it."""
    first, _ = two_builds
    moment = dt.datetime.fromtimestamp(SOURCE_DATE_EPOCH, tz=dt.timezone.utc)
    day = moment.date().isoformat()
    midnight = moment.replace(hour=0, minute=0, second=0)
    sitemap = first["sitemap.xml"].decode()
    assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)) == {day}
    compressed = first["sitemap.xml.gz"]
    # The gzip header's MTIME: MkDocs stamps the build's day, from SOURCE_DATE_EPOCH.
    assert int.from_bytes(compressed[4:8], "little") == int(midnight.timestamp())
    assert gzip.decompress(compressed).decode() == sitemap
