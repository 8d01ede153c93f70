"""Shared fixtures: paths to the bundled sample logs and to the optional ../shared corpus."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# lark's table cache (ttdiag.parse.grammar.cache_file) goes to a private temp dir, not ~/.cache
os.environ.setdefault("TTDIAG_CACHE_DIR", tempfile.mkdtemp(prefix="ttdiag-test-cache-"))
# text reports are as wide as a pipe's (240 columns) unless a test sets COLUMNS itself
os.environ.pop("COLUMNS", None)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_logs"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture
def corpus() -> Path:
    """The real-input corpus; tests using it skip cleanly when ../shared is absent."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture
def sample():
    """``sample("x.log")`` -> path of a bundled sample log, as a string."""
    return lambda name: str(SAMPLES / name)
