"""How many processes may parse at once (no Polars here: the browser asks before importing it)."""

from __future__ import annotations

import os


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
