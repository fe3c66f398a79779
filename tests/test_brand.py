"""The portal as a product: the brand block of mkdocs.yml on every page, campaign images, the
employees' navigation without the authoring pages, subscribe buttons and labels said once."""

from __future__ import annotations

import re

import pytest
from mkdocs.exceptions import Abort

from campaign_portal.writers.brand import DARK_PAGE, LIGHT_PAGE, brand_css, contrast, parse, readable_on, text_on

from conftest import LEADERS_YML, MINIMAL_CAMPAIGN, BuildPortal, BuiltSite

PICTURE = '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="32"><rect width="64" height="32" fill="#123"/></svg>\n'
BRAND = """\
      brand:
        company: Acme Shipping
        logo: assets/brand/acme.svg
        primary: "#ffd400"
        accent: "#d7263d"
"""


def with_brand(site_yml: str, brand: str = BRAND) -> str:
    """The project's mkdocs.yml with ``brand`` in place of its own brand block."""
    without = re.sub(r"      # The company's identity.*\n      brand:\n(        .*\n)+", "", site_yml)
    assert "brand:" not in without
    return without.replace("      campaigns_dir: campaigns\n", "      campaigns_dir: campaigns\n" + brand)


def build_branded(build_portal: BuildPortal, brand: str = BRAND, **options: object) -> BuiltSite:
    from conftest import PROJECT_ROOT

    config = with_brand((PROJECT_ROOT / "mkdocs.yml").read_text(encoding="utf-8"), brand)
    return build_portal(
        {"leaders.yml": LEADERS_YML, "coaching.yml": MINIMAL_CAMPAIGN + "image: assets/campaigns/coaching.svg\n"},
        content={
            "assets/brand/acme.svg": PICTURE,
            "assets/campaigns/coaching.svg": PICTURE,
            "../mkdocs.yml": config,
        },
        **options,
    )


def test_the_brand_reaches_every_page(build_portal: BuildPortal) -> None:
    site = build_branded(build_portal)
    for uri in ("", "campaigns/", "campaigns/coaching/", "events/", "events/past/", "leaders/", "authoring/"):
        page = site.html(uri)
        stylesheets = [link["href"] for link in page.select("link[rel=stylesheet]")]
        brand = [href for href in stylesheets if str(href).endswith("assets/portal/brand.css")]
        assert len(brand) == 1, uri
        # After the portal's own stylesheet, so that the brand wins.
        assert stylesheets.index(brand[0]) > [str(h).endswith("portal.css") for h in stylesheets].index(True)
        assert str(page.select_one(".md-header__button.md-logo img")["src"]).endswith("assets/brand/acme.svg"), uri
        assert page.select_one("meta[name=theme-color]")["content"] == "#ffd400"
    css = site.text("assets/portal/brand.css")
    assert "--md-primary-fg-color: #ffd400;" in css
    # Yellow is too light for white text: the header's text turns dark.
    assert "--md-primary-bg-color: #14171f;" in css
    link = re.search(r"--md-typeset-a-color: (#[0-9a-f]{6});", css)
    assert link is not None and contrast(parse(link.group(1)), LIGHT_PAGE) >= 4.5
    assert site.content("").select_one("h1").get_text(strip=True) == "Learning at Acme Shipping"


def test_a_wrong_brand_colour_stops_the_build(build_portal: BuildPortal, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(Abort):
        build_branded(build_portal, BRAND.replace('"#ffd400"', "teal"), expect_warnings=True)
    assert [record.getMessage() for record in caplog.records if record.levelname == "ERROR"] == ["campaign-portal: brand: 'primary' must be a colour written #rrggbb (such as #1f3a93), not 'teal'"]


def test_a_missing_logo_is_reported(build_portal: BuildPortal) -> None:
    site = build_branded(build_portal, BRAND.replace("acme.svg", "missing.svg"), expect_warnings=True)
    assert "mkdocs.yml: the brand's 'logo' names content/assets/brand/missing.svg, which does not exist" in site.warnings


@pytest.mark.parametrize("colour", ["#ffd400", "#0f4c5c", "#3f51b5", "#ffffff", "#000000", "#e36414", "#7fdbff", "#9b5fd2"])
def test_any_brand_colour_gives_readable_text_and_links(colour: str) -> None:
    rgb = parse(colour)
    assert contrast(text_on(rgb), rgb) >= 4.5
    assert contrast(readable_on(rgb, LIGHT_PAGE), LIGHT_PAGE) >= 4.5
    assert contrast(readable_on(rgb, DARK_PAGE), DARK_PAGE) >= 4.5
    assert brand_css(colour, None).decode().count("--md-typeset-a-color") == 3


def test_a_campaign_image_shows_on_its_cards_and_page(build_portal: BuildPortal) -> None:
    site = build_branded(build_portal, now="2027-01-20T00:00:00Z")
    card = site.content("campaigns/").select_one(".portal-campaign-card img.portal-campaign-card__image")
    assert card is not None and card["src"] == "../assets/campaigns/coaching.svg" and card["alt"] == ""
    home = site.content("").select_one(".portal-campaign-card img")
    assert home is not None and home["src"] == "./assets/campaigns/coaching.svg"
    head = site.content("campaigns/coaching/").select_one(".portal-campaign-head img")
    assert head is not None and head["src"] == "../../assets/campaigns/coaching.svg"
    assert site.exists("assets/campaigns/coaching.svg")


def test_a_missing_campaign_image_is_reported_at_its_line(build_portal: BuildPortal) -> None:
    site = build_portal(
        {"leaders.yml": LEADERS_YML, "coaching.yml": MINIMAL_CAMPAIGN + "image: assets/campaigns/nowhere.jpg\n"},
        expect_warnings=True,
    )
    assert site.warnings == ["campaigns/coaching.yml:7: 'image' names content/assets/campaigns/nowhere.jpg, which does not exist"]
    assert site.content("campaigns/").select("img") == []


def test_employees_navigation_leaves_the_authoring_pages_to_the_footer(example_site: BuiltSite) -> None:
    for uri in ("", "campaigns/coaching-for-growth/", "authoring/"):
        page = example_site.html(uri)
        tabs = [a.get_text(strip=True) for a in page.select(".md-tabs__link")]
        assert tabs == ["Home", "Campaigns", "Events", "Leaders"], uri
        drawer = page.select_one("nav.md-nav--primary").get_text(" ", strip=True)
        assert "Authoring guide" not in drawer and "Publishing" not in drawer
        footer = page.select_one("nav.portal-footer-links")
        assert footer is not None and footer["aria-label"] == "For L&D staff"
        assert [a.get_text() for a in footer.select("a")] == ["Authoring guide", "Campaign format", "Publishing"]
    assert example_site.html("").select_one("nav.portal-footer-links a")["href"] == "authoring/"


def test_labels_are_said_once_and_subscriptions_are_buttons(example_site: BuiltSite) -> None:
    home = example_site.content("")
    # The hero does not repeat the site's name from the header.
    assert home.select_one("h1").get_text(strip=True) == "Learning at Example Corp"
    assert "Learning Portal" not in home.select_one(".portal-hero").get_text()
    running = home.select("#running-now")[0].find_parent("section")
    assert running.select(".portal-campaign-card") and running.select(".portal-badge--active") == []
    campaigns = example_site.content("campaigns/")
    assert campaigns.select(".portal-campaign-card .portal-badge--active, .portal-campaign-card .portal-badge--completed") == []
    buttons = {a.select_one(".portal-subscribe-button__label").get_text(): a for a in home.select("a.md-button.portal-subscribe-button")}
    assert sorted(buttons) == ["Follow the news (RSS)", "Subscribe to all events"]
    assert buttons["Subscribe to all events"]["href"] == "./events/calendar.ics"
    assert buttons["Follow the news (RSS)"]["href"] == "./feed.xml"
    assert all(a.select_one(".portal-subscribe-button__purpose").get_text().strip() for a in buttons.values())
    campaign = example_site.content("campaigns/coaching-for-growth/")
    labels = [a.select_one(".portal-subscribe-button__label").get_text() for a in campaign.select(".portal-subscribe-button")]
    assert labels == ["Subscribe to these events", "Follow this campaign (RSS)"]
    leader = example_site.content("leaders/amara-okafor/")
    follow = leader.select_one("a.md-button.portal-subscribe-button--feed")
    assert follow.select_one(".portal-subscribe-button__label").get_text() == "Follow Amara's messages (RSS)"
    assert follow["href"] == "../../leaders/amara-okafor/feed.xml"
