"""Shared fixtures: the sample document and its Budget (parsed once per test session)."""

from __future__ import annotations

import os
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

import budgettui

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "000_6fa2890cbbd11825.txt"

#: The parse cache of every test (and of the commands they run): a folder of this session,
#: set before any test module loads a document.
_CACHE = tempfile.TemporaryDirectory(prefix="budgettui-test-cache-")
os.environ["BUDGETTUI_CACHE_DIR"] = _CACHE.name


@pytest.fixture(scope="session")
def budget() -> budgettui.Budget:
    return budgettui.load(SAMPLE)


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def dec(text: str | None) -> Decimal | None:
    """Decimal of a printed amount, None for an empty cell."""
    return None if text is None else Decimal(text)
