"""Fixtures shared by the reference-executor tests (plain helpers live in ``_ref_helpers``)."""

from __future__ import annotations

import pytest


@pytest.fixture
def torch():
    """torch, the optional CPU oracle; tests using it skip cleanly when it is not installed."""
    return pytest.importorskip("torch")
