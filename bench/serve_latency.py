"""How long ``mkdocs serve`` takes to show an edit: ``python -m bench.serve_latency [PROJECT]``.

Starts ``mkdocs serve`` (``--dirty`` optionally) on a free loopback port in a project
(a folder with mkdocs.yml and campaigns/, or one generated with ``--campaigns N`` in the
shape of issue 12), waits until it answers, then ``--edits`` times: changes the title of
one campaign file, and polls that campaign's page until the new title is served. It
reports the wall-clock seconds from the write to the new page served, and whether pages
kept answering meanwhile: a second thread asks for another campaign's page every
``--poll`` seconds and counts the requests that got no answer within
``--answer-timeout`` seconds. Every loop is bounded by a timeout; only 127.0.0.1 is used.
The server is stopped (its process group, which this script started) at the end, and an
edited file given with PROJECT is put back as it was. Prints one JSON line at the end.

    python -m bench.serve_latency --campaigns 600 --edits 3
    python -m bench.serve_latency /tmp/portal-bench-xyz/portal-600 --edits 3 --dirty
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .baseline import PROJECT_ROOT
from .generate import BENCH_NOW_TEXT, SHAPES, generate

HOST = "127.0.0.1"  # loopback only


@dataclass
class Answers:
    """What the poller of the other page saw during one edit."""

    requests: int = 0
    answered: int = 0
    slowest_s: float = 0.0
    unanswered: list[float] = field(default_factory=list)  # seconds after the write


@dataclass
class Edit:
    number: int
    seconds_to_new_page: float | None
    edited_page_polls: int
    edited_page_unanswered: int
    other_page: Answers


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(url: str, timeout: float) -> str | None:
    """The page's text, or None when it gives no good answer within ``timeout``."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # the loopback URL built here
            if response.status != 200:
                return None
            text: str = response.read().decode("utf-8", "replace")
            return text
    except (urllib.error.URLError, OSError, TimeoutError):
        return None


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"mkdocs serve ended with status {process.returncode} before it answered")
        if fetch(url, timeout=5) is not None:
            return time.perf_counter() - start
        time.sleep(0.5)
    raise TimeoutError(f"mkdocs serve did not answer {url} within {timeout:.0f} s")


def retitle(path: Path, marker: str) -> str:
    """Change the campaign's top-level title to end with ``marker``; return the new title."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith("title: "):
            title = line[len("title: ") :].rstrip("\n").split(" Edited ")[0].strip("'\"")
            new_title = f"{title} Edited {marker}"
            lines[index] = f"title: {json.dumps(new_title)}\n"
            path.write_text("".join(lines), encoding="utf-8")
            return new_title
    raise ValueError(f"{path} has no top-level title to edit")


def poll_other(url: str, every: float, timeout: float, start: float, stop: threading.Event, seen: Answers) -> None:
    while not stop.is_set():
        asked = time.perf_counter()
        text = fetch(url, timeout)
        took = time.perf_counter() - asked
        seen.requests += 1
        seen.slowest_s = max(seen.slowest_s, took)
        if text is None:
            seen.unanswered.append(round(asked - start, 2))
        else:
            seen.answered += 1
        stop.wait(max(0.0, every - took))


def measure_edit(number: int, campaign: Path, page_url: str, other_url: str, args: argparse.Namespace) -> Edit:
    marker = f"{number}x{os.getpid()}"
    other = Answers()
    stop = threading.Event()
    # Look for the marker alone: the rest of the title may be HTML-escaped on the page ("UK &amp; Ireland").
    shown = f"Edited {marker}"
    retitle(campaign, marker)
    start = time.perf_counter()
    poller = threading.Thread(
        target=poll_other, args=(other_url, args.poll, args.answer_timeout, start, stop, other), daemon=True
    )
    poller.start()
    polls = unanswered = 0
    seconds: float | None = None
    try:
        while time.perf_counter() - start < args.change_timeout:
            text = fetch(page_url, args.answer_timeout)
            polls += 1
            if text is None:
                unanswered += 1
            elif shown in text:
                seconds = time.perf_counter() - start
                break
            time.sleep(args.poll)
    finally:
        stop.set()
        poller.join(timeout=args.answer_timeout + 5)
    return Edit(number, seconds, polls, unanswered, other)


def generated_project(workdir: Path, campaigns: int, shape: str, seed: int) -> Path:
    project = workdir / f"portal-{campaigns}"
    project.mkdir(parents=True)
    for folder in ("content", "overrides"):
        shutil.copytree(PROJECT_ROOT / folder, project / folder)
    shutil.copy2(PROJECT_ROOT / "mkdocs.yml", project / "mkdocs.yml")
    generate(project / "campaigns", campaigns=campaigns, seed=seed, shape=SHAPES[shape])
    return project


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop the server this script started: its own process group (start_new_session), by its id."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


def run(args: argparse.Namespace) -> dict[str, Any]:
    workdir = None
    if args.project is None:
        workdir = Path(tempfile.mkdtemp(prefix="portal-serve-"))
        project = generated_project(workdir, args.campaigns, args.shape, args.seed)
    else:
        project = args.project.resolve()
    campaigns = sorted(path for path in (project / "campaigns").glob("*.yml") if path.name != "leaders.yml")
    edited, other = campaigns[len(campaigns) // 2], campaigns[0]
    original = edited.read_bytes()
    port = free_port()
    base = f"http://{HOST}:{port}/"
    page_url, other_url = f"{base}campaigns/{edited.stem}/", f"{base}campaigns/{other.stem}/"
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"{HOST}:{port}"]
    if args.dirty:
        command.append("--dirty")
    environment = dict(os.environ, PORTAL_NOW=BENCH_NOW_TEXT, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0")
    environment.pop("PORTAL_PREVIEW", None)
    log_path = (workdir or Path(tempfile.gettempdir())) / f"serve-{port}.log"
    print(f"project {project} ({len(campaigns)} campaigns); {' '.join(command[1:])}; log {log_path}", flush=True)
    edits: list[Edit] = []
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=project, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            started = wait_until_up(page_url, process, args.start_timeout)
            print(f"serving after {started:.1f} s (first build included)", flush=True)
            time.sleep(args.settle)  # let the file watcher start
            for number in range(1, args.edits + 1):
                edit = measure_edit(number, edited, page_url, other_url, args)
                edits.append(edit)
                other_seen = edit.other_page
                shown = (
                    "not within the timeout"
                    if edit.seconds_to_new_page is None
                    else f"{edit.seconds_to_new_page:.2f} s"
                )
                print(
                    f"edit {number}: new title served after {shown}; edited page: {edit.edited_page_unanswered} of "
                    f"{edit.edited_page_polls} polls unanswered within {args.answer_timeout:g} s; other page: "
                    f"{other_seen.requests - other_seen.answered} of {other_seen.requests} unanswered, slowest "
                    f"{other_seen.slowest_s:.2f} s",
                    flush=True,
                )
                time.sleep(args.settle)  # the server may still be finishing that build
        finally:
            stop_server(process)
            if args.project is not None:
                edited.write_bytes(original)
    times = [edit.seconds_to_new_page for edit in edits if edit.seconds_to_new_page is not None]
    result: dict[str, Any] = {
        "project": str(project),
        "campaigns": len(campaigns),
        "dirty": args.dirty,
        "edited": edited.name,
        "start_s": started,
        "median_s": statistics.median(times) if times else None,
        "edits": [asdict(edit) for edit in edits],
    }
    if times:
        print(
            f"median {statistics.median(times):.2f} s from the write to the new page served "
            f"({len(times)} of {len(edits)} edits shown; {'--dirty' if args.dirty else 'full rebuilds'})"
        )
    if workdir is not None and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Time mkdocs serve from saving a campaign file to the new page.")
    parser.add_argument("project", type=Path, nargs="?", help="a folder with mkdocs.yml and campaigns/")
    parser.add_argument("--campaigns", type=int, default=600, help="without PROJECT: generate this many (default 600)")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="issue12")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--dirty", action="store_true", help="run mkdocs serve --dirty")
    parser.add_argument("--poll", type=float, default=0.2, help="seconds between polls (default 0.2)")
    parser.add_argument("--answer-timeout", type=float, default=2.0, help="a page answers within this (default 2 s)")
    parser.add_argument("--start-timeout", type=float, default=900.0, help="for the first build (default 900 s)")
    parser.add_argument("--change-timeout", type=float, default=300.0, help="for each edit to show (default 300 s)")
    parser.add_argument("--settle", type=float, default=3.0, help="pause after start and after each edit (default 3 s)")
    parser.add_argument("--keep", action="store_true", help="keep the generated project")
    args = parser.parse_args(argv)
    print(json.dumps(run(args)))


if __name__ == "__main__":
    main()
