"""``leaders.yml``: the registry of leaders, by id."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Leader, email_problem
from ..rules.slugs import MAX_SLUG_LENGTH, slug_problem
from .fields import FieldReader, show, strip
from .schema import LEADER_FIELDS
from .yaml_lines import YamlMap

LEADERS_FILE = "leaders.yml"


class LeadersReader(FieldReader):
    empty_file = (
        "the file is empty; list the leaders as a YAML mapping of leader ids to their name and title "
        "(see the authoring guide)"
    )

    def leaders(self, data: YamlMap, asset_exists: Callable[[str], bool] | None) -> dict[str, Leader]:
        leaders: dict[str, Leader] = {}
        for leader_id in data:
            line = data.line_of(leader_id)
            bad_id = slug_problem(leader_id, say_length=len(leader_id) > MAX_SLUG_LENGTH)
            if bad_id is not None:  # reported, and the entry is still checked: every problem in one run
                self.problem(line, f"leader id '{show(leader_id)}' {bad_id}")
            entry = self.mapping(data[leader_id], line, f"leader '{show(leader_id)}'", LEADER_FIELDS)
            if entry is None:
                continue
            name = self.text(entry, "name", required=True)
            title = self.text(entry, "title", required=True)
            photo = self.content_path(entry, "photo", f"assets/leaders/{leader_id}.jpg")
            if photo is not None and asset_exists is not None and not asset_exists(photo):
                self.problem(entry.line_of("photo"), f"'photo' names content/{photo}, which does not exist")
                photo = None
            email = strip(self.text(entry, "email"))
            bad_email = email_problem(email) if email is not None else None
            if bad_email is not None:
                said = f"{bad_email}, not '{show(email)}'" if bad_email.startswith("must") else f"'{show(email)}' {bad_email}"
                self.problem(entry.line_of("email"), f"'email' {said}")
                email = None
            division = strip(self.text(entry, "division"))
            bio = self.markdown(entry, "bio", "the bio")
            if name is None or title is None or bad_id is not None:
                continue
            leaders[leader_id] = Leader(
                id=leader_id,
                name=name.strip(),
                title=title.strip(),
                source=self.ref(line),
                division=division,
                photo=photo,
                bio=bio,
                email=email,
            )
        return dict(sorted(leaders.items()))
