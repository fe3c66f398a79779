"""What a path in campaigns/ or content/ really is: nothing outside those folders is read.

Each path is resolved (every symbolic link followed) before anything reads it. A link that
leaves its folder, a link to nothing, a loop of links and anything that is not a plain file
(a FIFO, a socket, a device) is refused and named, so that the build never reads, publishes
or hangs on what the author did not mean to give it.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from ..model import Problem

SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def path_problem(path: Path, folder: Path, shown_folder: str, *, want: str = "file") -> str | None:
    """What is wrong with ``path`` as a ``want`` ("file" or "folder") of ``folder``, or None.

    ``folder`` is resolved by the caller's choice of root: a link inside it to another
    entry inside it is fine; one that leaves it (however many links on the way) is not.
    """
    if want == "file" and path.parent == folder and path.name not in ("", ".", ".."):
        # The common case, checked with one system call: a plain file (not a link) directly in the
        # folder is inside it, whatever the folder's own path resolves to.
        try:
            if stat.S_ISREG(os.lstat(path).st_mode):
                return None
        except OSError:
            pass  # said below, as for any other path
    root = folder.resolve()
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return f"is a link to {_link_text(path)}, which does not exist; remove the link"
    except (RuntimeError, OSError) as error:  # a loop: RuntimeError before Python 3.13, OSError (ELOOP) after
        if isinstance(error, OSError) and not _is_loop(error):
            return f"cannot be read: {error.strerror}"
        return "is a loop of symbolic links; remove the link"
    if target != root and root not in target.parents:
        return f"is a link to {target.as_posix()}, outside {shown_folder}/; copy what you need into {shown_folder}/ instead"
    try:
        mode = target.stat().st_mode
    except OSError as error:
        return f"cannot be read: {error.strerror}"
    if want == "folder":
        return None if stat.S_ISDIR(mode) else "is not a folder"
    for is_kind, kind in SPECIAL_KINDS:
        if is_kind(mode):
            return f"is {kind}, not a file; remove it"
    return None


def screen_folder_files(
    files: Iterable[tuple[str, Path]], folder: Path, shown_folder: str, display: Callable[[Path], str]
) -> tuple[list[Problem], set[str]]:
    """The problems of each ``(name, path)`` in ``folder`` (content/'s files), and the names refused.

    A linked folder that leaves ``folder`` is named once, not once for each file under it.
    """
    problems: dict[Path, Problem] = {}
    refused: set[str] = set()
    for name, path in files:
        wrong = path_problem(path, folder, shown_folder)
        if wrong is None:
            continue
        refused.add(name)
        culprit = _outermost_link(path, folder) or path
        if culprit != path:
            wrong = path_problem(culprit, folder, shown_folder, want="folder") or wrong
        problems.setdefault(culprit, Problem(display(culprit), 1, f"{wrong} (left out of the site)"))
    return list(problems.values()), refused


def _outermost_link(path: Path, folder: Path) -> Path | None:
    """The first folder between ``folder`` and ``path`` that is a link, if any."""
    try:
        parts = path.relative_to(folder).parts
    except ValueError:
        return None
    current = folder
    for part in parts[:-1]:
        current = current / part
        if current.is_symlink():
            return current
    return None


def _link_text(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "a path"


def _is_loop(error: OSError) -> bool:
    return error.errno == errno.ELOOP
