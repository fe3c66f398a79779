"""Learning campaign portal: MkDocs plugins and a pure core for campaign YAML."""

from __future__ import annotations

__version__ = "0.1.0"
