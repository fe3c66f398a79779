"""Limits on input, shared by the file reader, the YAML parser, the date readers and PORTAL_NOW."""

from __future__ import annotations

MAX_FILE_BYTES = 2_000_000
# Years far away are typing mistakes, and date arithmetic near year 1 or 9999 overflows.
MIN_YEAR, MAX_YEAR = 1900, 2999
