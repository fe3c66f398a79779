"""The MkDocs side of the portal: the plugin (``events``), its options (``config``), the navigation
(``nav``) and what page templates may call (``filters``). Only this package imports MkDocs."""

from __future__ import annotations

from .events import CampaignPortalPlugin

__all__ = ["CampaignPortalPlugin"]
