"""Nothing outside campaigns/ and content/ is read or published, and odd entries are named, never a traceback.

Symbolic links are resolved before anything is read: one that leaves its folder, one to
nothing, a loop, a FIFO, a sub-folder of campaigns/ or a folder named like a campaign
file are each one `file:line: message`, the same in `portal validate` and the build.
Also here: leader email addresses outside ASCII (IDNA domains are written in their
ASCII form; non-ASCII local parts are refused), and the empty registry of leaders.
"""

from __future__ import annotations

import email
import email.policy
import os
from pathlib import Path

import pytest

from campaign_portal import cli
from campaign_portal.load import load_portal
from campaign_portal.writers.eml import build_eml, mailto_link

from conftest import EXAMPLE_NOW, LEADERS_YML, MINIMAL_CAMPAIGN, build_project, prepare_project

SECRET = "root:x:0:0:a-secret-line-outside-the-project\n"


def outside_files(tmp_path: Path) -> Path:
    """A folder beside the project, with a secret and a valid campaign that must never be read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_text(SECRET, encoding="utf-8")
    (outside / "valid.yml").write_text(MINIMAL_CAMPAIGN.replace("Coaching for Growth", "Smuggled Campaign"), encoding="utf-8")
    (outside / "photo.jpg").write_bytes(b"\xff\xd8\xff smuggled photo")
    return outside


def odd_campaigns(campaigns: Path, outside: Path) -> None:
    (campaigns / "shadow.yml").symlink_to(outside / "secret")
    (campaigns / "smuggled.yml").symlink_to(outside / "valid.yml")
    (campaigns / "gone.yml").symlink_to(campaigns / "nothing-here.yml")
    (campaigns / "loop.yml").symlink_to(campaigns / "loop.yml")
    (campaigns / "sub").mkdir()
    (campaigns / "sub" / "hidden.yml").write_text(MINIMAL_CAMPAIGN, encoding="utf-8")
    (campaigns / "folder.yml").mkdir()
    os.mkfifo(campaigns / "pipe.yml")
    # A link that stays inside campaigns/ is an ordinary campaign file.
    (campaigns / "alias.yml").symlink_to("coaching.yml")


CAMPAIGN_PROBLEMS = [
    "campaigns/folder.yml:1: is a folder, not a campaign file; campaign files are plain files directly in campaigns/",
    "campaigns/gone.yml:1: is a link to {campaigns}/nothing-here.yml, which does not exist; remove the link",
    "campaigns/loop.yml:1: is a loop of symbolic links; remove the link",
    "campaigns/pipe.yml:1: is a named pipe (FIFO), not a file; remove it",
    "campaigns/shadow.yml:1: is a link to {outside}/secret, outside campaigns/; copy what you need into campaigns/ instead",
    "campaigns/smuggled.yml:1: is a link to {outside}/valid.yml, outside campaigns/; copy what you need into campaigns/ instead",
    "campaigns/sub:1: is a sub-folder, which is not read; put campaign files directly in campaigns/",
]


def expected_campaign_problems(root: Path, outside: Path) -> list[str]:
    campaigns = (root / "campaigns").as_posix()
    return [line.format(campaigns=campaigns, outside=outside.resolve().as_posix()) for line in CAMPAIGN_PROBLEMS]


def test_odd_entries_in_campaigns_are_named_and_never_read(tmp_path: Path) -> None:
    outside = outside_files(tmp_path)
    campaigns = tmp_path / "project" / "campaigns"
    campaigns.mkdir(parents=True)
    (campaigns / "leaders.yml").write_text(LEADERS_YML, encoding="utf-8")
    (campaigns / "coaching.yml").write_text(MINIMAL_CAMPAIGN, encoding="utf-8")
    odd_campaigns(campaigns, outside)
    result = load_portal(campaigns)
    found = [str(problem) for problem in result.problems]
    assert found == expected_campaign_problems(tmp_path / "project", outside)
    assert sorted(result.portal.campaigns) == ["alias", "coaching"]
    assert "a-secret-line" not in "\n".join(found)


@pytest.mark.parametrize("kind", ["outside", "dangling", "folder"])
def test_a_registry_of_leaders_that_is_not_a_file_inside_is_refused(tmp_path: Path, kind: str) -> None:
    outside = outside_files(tmp_path)
    (outside / "leaders.yml").write_text(LEADERS_YML, encoding="utf-8")
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    leaders = campaigns / "leaders.yml"
    if kind == "outside":
        leaders.symlink_to(outside / "leaders.yml")
    elif kind == "dangling":
        leaders.symlink_to(outside / "nothing.yml")
    else:
        leaders.mkdir()
    result = load_portal(campaigns)
    message = {
        "outside": f"is a link to {(outside / 'leaders.yml').resolve().as_posix()}, outside campaigns/; copy what you need into campaigns/ instead",
        "dangling": f"is a link to {outside.as_posix()}/nothing.yml, which does not exist; remove the link",
        "folder": "is a folder; the registry of leaders is a file",
    }[kind]
    assert [str(problem) for problem in result.problems] == [f"campaigns/leaders.yml:1: {message}"]
    assert result.portal.leaders == {}


def odd_content(content: Path, outside: Path) -> None:
    (content / "assets").mkdir(exist_ok=True)
    (content / "assets" / "amara.jpg").symlink_to(outside / "photo.jpg")
    (content / "passwd.txt").symlink_to(outside / "secret")
    (content / "elsewhere").symlink_to(outside)
    (content / "dangling.png").symlink_to(content / "nothing.png")
    (content / "loop.md").symlink_to("loop.md")
    os.mkfifo(content / "pipe.png")


CONTENT_PROBLEMS = [
    "content/assets/amara.jpg:1: is a link to {outside}/photo.jpg, outside content/; copy what you need into content/ instead (left out of the site)",
    "content/dangling.png:1: is a link to {content}/nothing.png, which does not exist; remove the link (left out of the site)",
    "content/elsewhere:1: is a link to {outside}, outside content/; copy what you need into content/ instead (left out of the site)",
    "content/loop.md:1: is a loop of symbolic links; remove the link (left out of the site)",
    "content/passwd.txt:1: is a link to {outside}/secret, outside content/; copy what you need into content/ instead (left out of the site)",
    "content/pipe.png:1: is a named pipe (FIFO), not a file; remove it (left out of the site)",
]


def test_validate_and_build_name_the_same_odd_files_and_publish_nothing_outside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = outside_files(tmp_path)
    leaders = LEADERS_YML.replace("  division: Operations\n", "  division: Operations\n  photo: assets/amara.jpg\n")
    root = prepare_project(tmp_path / "project", {"leaders.yml": leaders, "coaching.yml": MINIMAL_CAMPAIGN})
    odd_content(root / "content", outside)
    odd_campaigns(root / "campaigns", outside)
    monkeypatch.setenv("PORTAL_NOW", EXAMPLE_NOW)
    shown = {"outside": outside.resolve().as_posix(), "content": (root / "content").as_posix(), "campaigns": (root / "campaigns").as_posix()}
    expected = sorted(
        [line.format(**shown) for line in CONTENT_PROBLEMS]
        + expected_campaign_problems(root, outside)
        + ["campaigns/leaders.yml:5: 'photo' names content/assets/amara.jpg, which does not exist"]
    )

    assert cli.main(["validate", "--project", str(root)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:-1] == expected

    site = build_project(root)
    assert sorted(site.warnings) == expected
    every_byte = b"".join(path.read_bytes() for path in site.site_dir.rglob("*") if path.is_file())
    assert b"a-secret-line" not in every_byte and b"smuggled photo" not in every_byte
    assert b"Smuggled Campaign" not in every_byte
    assert not (site.site_dir / "elsewhere").exists() and not (site.site_dir / "passwd.txt").exists()
    assert site.exists("campaigns/coaching/")


# -- email addresses outside ASCII ------------------------------------------------------------------


def test_an_internationalised_domain_is_written_in_its_ascii_form() -> None:
    raw = build_eml("Hello", "Hi", "<p>Hi</p>", sender="josé.garcía@exämple.com".replace("josé.garcía", "jose.garcia"))
    raw.decode("ascii")  # still 7-bit: every client reads it
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["From"].addresses[0].addr_spec == "jose.garcia@xn--exmple-cua.com"
    link = mailto_link("Hello", "Hi", to="jose@Exämple.com")
    assert link is not None and link.startswith("mailto:jose@xn--exmple-cua.com?")


def test_a_non_ascii_local_part_is_left_out_of_a_draft_never_a_traceback() -> None:
    raw = build_eml("Hello", "Hi", "<p>Hi</p>", sender="jösé@example.com")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["From"] is None


def test_leaders_with_non_ascii_addresses_build_without_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    leaders = LEADERS_YML.replace("amara.okafor@example.com", "jösé@example.com") + "  email: daniel@exämple.com\n"
    message = "messages:\n  - id: hello\n    title: Hello\n    leaders: [amara-okafor, daniel-kim]\n    subject: Hi\n    body: Hello {{ leader.email }}\n"
    root = prepare_project(tmp_path / "project", {"leaders.yml": leaders, "coaching.yml": MINIMAL_CAMPAIGN + message})
    monkeypatch.setenv("PORTAL_NOW", EXAMPLE_NOW)
    site = build_project(root)
    assert site.warnings == [
        "campaigns/leaders.yml:5: 'email' 'jösé@example.com' has letters outside ASCII before the '@', which many mail "
        "systems cannot send from (it needs SMTPUTF8); give the leader's plain ASCII address or alias"
    ]
    drafts = {path: path.read_bytes() for path in site.site_dir.rglob("*.eml")}
    assert len(drafts) == 2
    froms = sorted(str(email.message_from_bytes(raw, policy=email.policy.default)["From"]) for raw in drafts.values())
    assert froms == ["None", "daniel@xn--exmple-cua.com"]
    # In the message itself the address reads as the author wrote it.
    assert "daniel@exämple.com" in site.text("leaders/daniel-kim/")
