"""Time to the first search results in headless Chromium, portal against plain MkDocs + Material.

    python -m bench.search_latency PORTAL_SITE PLAIN_SITE [--rounds 5] [--query session ...]

PORTAL_SITE and PLAIN_SITE are built sites (folders with ``index.html`` and
``search/search_index.json``) of the same page count, for example the portal's 600-campaign
project and its yardstick from ``bench.baseline.prepare_plain`` (``bench.run --keep`` leaves
both), each built with ``mkdocs build``.

Method (issue 12, goal 5: first results at most 1.5x plain's time):

- Each site is served by its own ``python -m http.server`` on 127.0.0.1 (a free port); the
  browser is Debian's Chromium (``/usr/bin/chromium``, through Playwright's
  ``executable_path``; nothing is downloaded), headless, a 1280x900 window, and every request
  that is not to 127.0.0.1 is refused.
- One measurement: a new browser context (nothing cached), open the site's home page and wait
  for its ``load`` event; then click Material's search box and type the query (Playwright's
  ``keyboard.type``, one key at a time, as a person would). In the page, a ``MutationObserver``
  notes ``performance.now()`` when the first ``.md-search-result__item`` is in the result list;
  the time counted runs from the moment just before the first key is pressed to that moment.
  It includes what a person waits for when they search right after the page opened: fetching
  ``search_index.json``, the search worker building its index, and the query itself.
- Then, in the same page with the index now built, the box is cleared and a second query typed:
  the "warm" time, the query alone.
- Rounds alternate the two sites (portal, plain, portal, plain, ...), each round over every
  query, so a machine shared with other jobs slows both alike. Reported: each time, the medians
  per site and query, the overall medians and their ratio (portal / plain), and the size of each
  site's search index and its page count.

This is a measurement, not a test: nothing here is part of the suite.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.request import urlopen

CHROMIUM = "/usr/bin/chromium"
DEFAULT_QUERIES = ("session", "practice", "colleagues", "leadership", "conversation")
TIMEOUT_MS = 120_000

# Installed before typing: resolves with performance.now() when the first result is shown.
_WATCH = """
() => {
  window.__firstResult = null;
  const list = document.querySelector(".md-search-result__list");
  const seen = () => list && list.querySelector(".md-search-result__item");
  const observer = new MutationObserver(() => {
    if (window.__firstResult === null && seen()) { window.__firstResult = performance.now(); observer.disconnect(); }
  });
  observer.observe(document.querySelector(".md-search-result") || document.body, {childList: true, subtree: true});
  return performance.now();
}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """``site`` served by ``python -m http.server`` on 127.0.0.1 until the block ends; yields its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                urlopen(base, timeout=2).close()  # our own local server
                break
            time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def time_query(page: Any, query: str) -> float:
    """Type ``query`` into the search box; milliseconds until the first result is shown."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    started = page.evaluate(_WATCH)
    page.keyboard.type(query)
    page.wait_for_function("window.__firstResult !== null", timeout=TIMEOUT_MS, polling=20)
    shown: float = page.evaluate("window.__firstResult")
    return shown - started


def measure(browser: Any, base: str, query: str, warm_query: str) -> tuple[float, float]:
    """(first results after opening the page, results of a second query in the same page), in ms."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(
        "**/*",
        lambda route, request: route.continue_() if "//127.0.0.1:" in request.url else route.abort(),
    )
    try:
        page = context.new_page()
        page.goto(base, wait_until="load")
        cold = time_query(page, query)
        warm = time_query(page, warm_query)
        return cold, warm
    finally:
        context.close()


def index_size(site: Path) -> tuple[int, int]:
    """(bytes of search_index.json, distinct pages in it)."""
    path = site / "search" / "search_index.json"
    docs = json.loads(path.read_text(encoding="utf-8"))["docs"]
    return path.stat().st_size, len({doc["location"].split("#")[0] for doc in docs})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("portal", type=Path, help="the portal's built site")
    parser.add_argument("plain", type=Path, help="the plain yardstick's built site")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--query", action="append", help=f"a query (repeatable; default {' '.join(DEFAULT_QUERIES)})")
    args = parser.parse_args(argv)
    queries = tuple(args.query or DEFAULT_QUERIES)
    from playwright.sync_api import sync_playwright

    sites = {"portal": args.portal.resolve(), "plain": args.plain.resolve()}
    for name, site in sites.items():
        size, pages = index_size(site)
        print(f"{name}: {site}: search index {size / 1e6:.2f} MB for {pages} pages ({size / pages / 1e3:.2f} kB a page)")
    cold: dict[str, dict[str, list[float]]] = {name: {query: [] for query in queries} for name in sites}
    warm: dict[str, list[float]] = {name: [] for name in sites}
    with contextlib.ExitStack() as stack:
        bases = {name: stack.enter_context(serve(site)) for name, site in sites.items()}
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        stack.callback(browser.close)
        for number in range(args.rounds):
            for index, query in enumerate(queries):
                warm_query = queries[(index + 1) % len(queries)]
                for name in sites:
                    first, second = measure(browser, bases[name], query, warm_query)
                    cold[name][query].append(first)
                    warm[name].append(second)
                    print(f"round {number + 1} {name:6} {query!r:16} first results {first:8.0f} ms, then {warm_query!r}: {second:6.0f} ms", flush=True)
    print(f"\n{'query':<16} {'portal ms':>10} {'plain ms':>10} {'ratio':>6}   (medians of {args.rounds})")
    for query in queries:
        portal, plain = statistics.median(cold["portal"][query]), statistics.median(cold["plain"][query])
        print(f"{query:<16} {portal:>10.0f} {plain:>10.0f} {portal / plain:>6.2f}")
    portal_all = statistics.median(t for times in cold["portal"].values() for t in times)
    plain_all = statistics.median(t for times in cold["plain"].values() for t in times)
    print(f"{'all (first)':<16} {portal_all:>10.0f} {plain_all:>10.0f} {portal_all / plain_all:>6.2f}   goal <= 1.5")
    portal_warm, plain_warm = statistics.median(warm["portal"]), statistics.median(warm["plain"])
    print(f"{'all (warm)':<16} {portal_warm:>10.0f} {plain_warm:>10.0f} {portal_warm / plain_warm:>6.2f}")
    print(json.dumps({"cold_ms": cold, "warm_ms": warm, "ratio_first": portal_all / plain_all}))


if __name__ == "__main__":
    main()
