"""Tag pages: Unicode-aware slugs (one home: rules/slugs.py), and two topics never merged into one page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from campaign_portal.rules.slugs import same_tag, tag_slug

from conftest import LEADERS_YML, MINIMAL_CAMPAIGN, BuildPortal


@pytest.mark.parametrize(
    ("tag", "slug"),
    [
        ("Leadership & Change", "leadership-change"),
        ("C++", "c"),
        ("日本語x", "日本語x"),
        ("日本語 x", "日本語-x"),
        ("Ελληνικά", "ελληνικά"),
        ("हिन्दी भाषा", "हिन्दी-भाषा"),  # the vowel signs (marks) stay with their letters
        ("ＡＩ at work", "ai-at-work"),  # full-width letters read as the letters they are
        ("Straße", "strasse"),
        ("a\u202eb", "a-b"),  # no bidirectional controls in a URL
        ("--x__y--", "x-y"),
        ("!!", ""),
        ("x" * 70, "x" * 64),
        ("Con", "con-tag"),  # Windows cannot make a folder named CON, NUL, COM1 ...
        ("LPT1", "lpt1-tag"),
        ("console", "console"),
    ],
)
def test_a_tag_slug_keeps_letters_of_every_script(tag: str, slug: str) -> None:
    assert tag_slug(tag) == slug


def test_one_topic_written_two_ways_is_one_tag() -> None:
    assert same_tag("Leadership", " leadership ")
    assert same_tag("ＡＩ", "ai")
    assert not same_tag("C++", "C#")


def test_tag_pages_in_other_scripts_and_collisions_between_files(build_portal: BuildPortal) -> None:
    first = MINIMAL_CAMPAIGN.replace("Coaching for Growth", "First") + "tags: ['日本語x', 'C++', Leadership]\n"
    second = MINIMAL_CAMPAIGN.replace("Coaching for Growth", "Second") + "tags: [leadership, 'C#', '日本語x']\n"
    site = build_portal({"leaders.yml": LEADERS_YML, "first.yml": first, "second.yml": second}, expect_warnings=True)
    assert site.warnings == [
        "campaigns/second.yml:7: tag 'C#' would share the page tags/c/ with tag 'C++' (campaigns/first.yml:7); "
        "they are different topics, so rename one of them"
    ]
    page = site.content("tags/日本語x/")
    assert page.h1 is not None and page.h1.get_text() == "Campaigns about 日本語x"
    cards = [a.get_text(strip=True) for a in page.select("article.portal-campaign-card h2, article.portal-campaign-card h3")]
    assert sorted(cards) == ["First", "Second"]
    # C++ has its page; C# is not merged into it, and no campaign is listed twice anywhere.
    c_page = site.content("tags/c/")
    assert [a.get_text(strip=True) for a in c_page.select("article.portal-campaign-card h2, article.portal-campaign-card h3")] == ["First"]
    leadership = site.content("tags/leadership/")
    assert len(leadership.select("article.portal-campaign-card")) == 2
    # The link from a campaign page is percent-encoded and leads to the page that exists.
    campaign = site.html("campaigns/second/")
    hrefs = [a["href"] for a in campaign.select("a[href*='tags/']")]
    encoded = [href for href in hrefs if "%E6%97%A5" in href]
    assert encoded, hrefs
    target = unquote(urljoin("https://x.example/campaigns/second/", encoded[0]))
    assert site.exists(target.removeprefix("https://x.example/"))
    assert all(href.isascii() for href in hrefs)
    assert not Path(site.site_dir / "tags" / "c-2").exists()
