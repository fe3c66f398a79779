"""Size limits on input, shared by the file reader and the YAML parser."""

from __future__ import annotations

MAX_FILE_BYTES = 2_000_000
