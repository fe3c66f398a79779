"""The executive brief of each example campaign, printed to PDF by Chromium: at most two A4 pages, with its KPIs and story."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from conftest import BuiltSite

A4_POINTS = (595.3, 841.9)  # 210 x 297 mm


def briefs(site: BuiltSite) -> list[str]:
    return sorted(path.parent.relative_to(site.site_dir).as_posix() + "/" for path in site.site_dir.glob("campaigns/*/brief/index.html"))


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.browser
def test_each_example_brief_prints_on_at_most_two_a4_pages(example_site: BuiltSite, serve_directory: Any, chromium: Any) -> None:
    base_url = serve_directory(example_site.site_dir)
    uris = briefs(example_site)
    assert len(uris) >= 3  # every public example campaign has one
    context = chromium.new_context()
    try:
        page = context.new_page()
        for uri in uris:
            html = example_site.content(uri)
            kpi_names = [words(name.get_text()) for name in html.select(".portal-kpi__name")]
            story = [words(part.get_text(" ")) for part in html.select(".portal-brief__story-parts h3 + p")]
            page.goto(base_url + uri)
            page.wait_for_load_state("networkidle")
            reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
            text = words(" ".join(sheet.extract_text() for sheet in reader.pages))
            assert 1 <= len(reader.pages) <= 2, f"{uri}: {len(reader.pages)} pages"
            for sheet in reader.pages:
                assert all(abs(float(side) - a4) < 1.5 for side, a4 in zip(sheet.mediabox[2:], A4_POINTS, strict=False))
            assert kpi_names, uri
            for name in kpi_names:
                assert name in text, f"{uri}: {name!r} is not in the PDF"
            for paragraph in story:
                assert paragraph[:60] in text, f"{uri}: the story ({paragraph[:60]!r}) is not in the PDF"
            # The site's chrome is not printed: no navigation tabs, no search box, no print button.
            assert "Search" not in text and "Print or save as PDF" not in text
            assert html.h1 is not None and words(html.h1.get_text()) in text
        # The completed campaign's story is there; a brief without a published story has none.
        assert any(example_site.content(uri).select(".portal-brief__story-parts") for uri in uris)
    finally:
        context.close()


@pytest.mark.browser
def test_print_button_on_the_campaign_page_opens_the_brief_and_its_print_dialog(
    example_site: BuiltSite, serve_directory: Any, chromium: Any
) -> None:
    base_url = serve_directory(example_site.site_dir)
    context = chromium.new_context()
    context.add_init_script("window.print = () => { window.__printed = (window.__printed || 0) + 1; };")
    try:
        page = context.new_page()
        page.goto(base_url + "campaigns/safety-first-2026/")
        page.get_by_role("link", name="Print or save as PDF").click()
        page.wait_for_url(base_url + "campaigns/safety-first-2026/brief/")  # the #print is taken off the address
        page.wait_for_function("window.__printed === 1")
        # On the brief, the button (hidden without script) prints again.
        page.get_by_role("button", name="Print or save as PDF").click()
        page.wait_for_function("window.__printed === 2")
    finally:
        context.close()
