"""Which engine builds the portal: MkDocs 1.6 (the default) or ProperDocs, its maintained fork.

ProperDocs reads the same ``mkdocs.yml`` and runs the same ``mkdocs.plugins`` entry points;
importing ``properdocs.replacement`` makes every later ``import mkdocs...`` load ProperDocs'
module of the same name. So the choice is made once, before anything imports MkDocs: by the
``properdocs`` command itself, or, for ``portal`` and the tests, by ``PORTAL_ENGINE=properdocs``.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping

ENGINE_VARIABLE = "PORTAL_ENGINE"
ENGINES = ("mkdocs", "properdocs")


class EngineError(ValueError):
    """PORTAL_ENGINE names no engine, or the one it names is not installed or comes too late."""


def use_engine(environ: Mapping[str, str] | None = None) -> str:
    """Make ``PORTAL_ENGINE`` (default ``mkdocs``) the engine of this process; returns its name."""
    environ = os.environ if environ is None else environ
    name = environ.get(ENGINE_VARIABLE, "").strip().lower() or "mkdocs"
    if name not in ENGINES:
        raise EngineError(f"{ENGINE_VARIABLE}={name!r} is not an engine; use one of: {', '.join(ENGINES)}")
    if name == "properdocs" and active_engine() != "properdocs":
        if "mkdocs" in sys.modules:
            raise EngineError(f"{ENGINE_VARIABLE}=properdocs came after MkDocs was imported in this process")
        try:
            import properdocs.replacement  # noqa: F401  (the import is the switch)
        except ImportError:
            raise EngineError(
                f"{ENGINE_VARIABLE}=properdocs, but ProperDocs is not installed: pip install properdocs"
            ) from None
        # ProperDocs' own command line hangs the legacy "mkdocs" logger under "properdocs", so
        # that a plugin logging there still counts for --strict; builds started here do the same.
        logging.getLogger("mkdocs").parent = logging.getLogger("properdocs")
    return name


def active_engine() -> str:
    """``properdocs`` once ProperDocs stands in for MkDocs in this process, else ``mkdocs``."""
    module = sys.modules.get("mkdocs")
    return "properdocs" if module is not None and module.__name__ == "properdocs" else "mkdocs"


def engine_logger() -> logging.Logger:
    """The logger the engine's own warnings and its plugins' go through (``--strict`` counts them)."""
    return logging.getLogger(active_engine())
