"""A real ``mkdocs serve --dirty`` (what ``make serve`` runs) serves, after each kind of edit, what a fresh build makes.

One server process on a small project in tmp_path and a free loopback port; after each edit the
test waits for the rebuild (MkDocs' livereload endpoint answers once a newer build is visible),
then asks the server for every output of a fresh ``mkdocs build`` of the same files at the same
PORTAL_NOW and site_url: each must be served byte for byte (minus the livereload script the
server adds to HTML), the search index holds the same entries (none twice), and every output
the edit removed answers 404.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ENGINE, EXAMPLE_NOW, PROJECT_ROOT, build_project, prepare_project, set_site_url

HOST = "127.0.0.1"
CAMPAIGNS = ("leaders.yml", "coaching-for-growth.yml", "ai-at-work.yml")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str, timeout: float = 90) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # the loopback server started here
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


class Server:
    def __init__(self, root: Path, port: int, process: subprocess.Popen[bytes], log: Path) -> None:
        self.root, self.base, self.process, self.log = root, f"http://{HOST}:{port}/", process, log
        self.epoch = 0

    def wait_for_build(self) -> None:
        """Until a build newer than the last one seen is served (the livereload long poll)."""
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text(encoding="utf-8", errors="replace")
            try:
                status, body = _get(f"{self.base}livereload/{self.epoch}/1", timeout=70)
            except OSError:
                time.sleep(0.5)  # not listening yet
                continue
            if status == 200 and int(body) > self.epoch:
                self.epoch = int(body)
                return
        raise AssertionError("no rebuild within 240 s:\n" + self.log.read_text(encoding="utf-8", errors="replace"))

    def edit(self, relative: str, change: tuple[str, str]) -> None:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        old, new = change
        assert text.count(old) == 1, f"{relative} has not exactly one {old!r}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        self.wait_for_build()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = _free_port()
    files = {name: (PROJECT_ROOT / "campaigns" / name).read_text(encoding="utf-8") for name in CAMPAIGNS}
    root = prepare_project(tmp_path_factory.mktemp("serve-dirty"), files)
    config = root / "mkdocs.yml"
    # The site_url serve uses (so that a fresh build of the same files makes the same links).
    set_site_url(root, f"http://{HOST}:{port}/")
    log = root / "serve.log"
    environment = dict(os.environ, PORTAL_NOW=EXAMPLE_NOW, NO_MKDOCS_2_WARNING="1")
    environment.pop("PORTAL_PREVIEW", None)
    command = [sys.executable, "-m", ENGINE, "serve", "--dirty", "-f", str(config), "--dev-addr", f"{HOST}:{port}"]
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command, cwd=root, env=environment, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    serving = Server(root, port, process, log)
    try:
        serving.wait_for_build()
        yield serving
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # the process group this fixture started
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


def _without_livereload(html: bytes) -> bytes:
    """The page as built: without the script the server adds before the last </body>."""
    end = html.rindex(b"</body>")
    start = html.rindex(b"<script>", 0, end)
    assert b"livereload(" in html[start:end]
    return html[:start] + html[end:]


def _search_entries(data: bytes) -> tuple[object, list[str]]:
    index = json.loads(data)
    return index["config"], sorted(json.dumps(entry, sort_keys=True) for entry in index["docs"])


def _outputs(site_dir: Path) -> dict[str, Path]:
    return {path.relative_to(site_dir).as_posix(): path for path in site_dir.rglob("*") if path.is_file()}


def _assert_serves_fresh_build(server: Server, fresh_dir: Path, previous: set[str]) -> set[str]:
    """Every output of a fresh build as served now; the outputs only ``previous`` had answer 404."""
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("PORTAL_NOW", EXAMPLE_NOW)
    monkeypatch.delenv("PORTAL_PREVIEW", raising=False)
    try:
        fresh = build_project(server.root, site_dir=fresh_dir)
    finally:
        monkeypatch.undo()
    outputs = _outputs(fresh.site_dir)
    different = []
    for uri, path in sorted(outputs.items()):
        status, served = _get(server.base + uri)
        assert status == 200, f"{uri}: {status}"
        built = path.read_bytes()
        if uri == "search/search_index.json":
            config, entries = _search_entries(served)
            assert len(entries) == len(set(entries)), "an entry twice in the served search index"
            assert (config, entries) == _search_entries(built)
        elif uri.endswith(".gz"):
            assert gzip.decompress(served) == gzip.decompress(built), uri
        elif uri.endswith(".html") and served != built:
            if _without_livereload(served) != built:
                different.append(uri)
        elif served != built:
            different.append(uri)
    assert different == [], f"served outputs that differ from a fresh build: {different}"
    for uri in sorted(previous - set(outputs)):
        status, _ = _get(server.base + uri)
        assert status == 404, f"{uri} is gone from a fresh build but served ({status})"
    return set(outputs)


# Each edit: (file, (old, new)).
EDITS = {
    "campaign title": ("campaigns/coaching-for-growth.yml", ("title: Coaching for Growth", "title: Coaching for Growing Teams")),
    "event added and one removed": (
        "campaigns/coaching-for-growth.yml",
        ("\nevents:\n", "\nevents:\n  - id: added-clinic\n    title: Added clinic\n    type: workshop\n"
         "    starts: 2027-01-20T10:00:00\n    timezone: Europe/London\n    duration: 60\n"
         "    online: https://meet.example.com/j/added\n    hosts: [daniel-kim]\n    description: Added.\n"),
    ),
    "message publish moved into the future": (
        "campaigns/coaching-for-growth.yml",
        ("    title: Kick-off announcement\n", "    title: Kick-off announcement\n    publish: 2027-06-01T08:00:00+00:00\n"),
    ),
    "leaders.yml": ("campaigns/leaders.yml", ("name: Amara Okafor", "name: Amira Okafor")),
    "hand-written page": ("content/authoring.md", ("# Authoring guide\n", "# Authoring guide\n\nAdded while serving.\n")),
}  # fmt: skip


def test_the_served_site_equals_a_fresh_build_after_each_edit(server: Server, tmp_path: Path) -> None:
    seen = _assert_serves_fresh_build(server, tmp_path / "fresh-0", set())
    removed_event = _remove_an_event(server.root / "campaigns/coaching-for-growth.yml")
    for number, (what, (relative, change)) in enumerate(EDITS.items(), start=1):
        if what == "event added and one removed":
            change = (change[0] + removed_event[0], change[1] + removed_event[1])
        server.edit(relative, change)
        now_seen = _assert_serves_fresh_build(server, tmp_path / f"fresh-{number}", seen)
        if what in ("event added and one removed", "message publish moved into the future"):
            assert seen - now_seen, f"{what}: some output should be gone"
        seen = now_seen


def _remove_an_event(path: Path) -> tuple[str, str]:
    """The (old, new) text that takes the file's first event out, to go with the added one."""
    text = path.read_text(encoding="utf-8")
    start = text.index("\nevents:\n") + len("\nevents:\n")
    end = text.index("\n  - id: ", start + 1) + 1
    return text[start:end], ""
