"""Text reports at any terminal width: COLUMNS is honoured, nothing key is cut at 80 columns."""

from __future__ import annotations

import io
import sys

from ttdiag.cli import _common


def test_columns_sets_the_width_of_piped_text(monkeypatch):
    monkeypatch.setattr(sys, "stdout", io.StringIO())  # a pipe: not a terminal
    monkeypatch.setenv("COLUMNS", "80")
    assert _common.stdout().width == 80
    monkeypatch.setenv("COLUMNS", "132")
    assert _common.stdout().width == 132


def test_piped_text_is_wide_without_columns(monkeypatch):
    # grep sees whole lines: a pipe without COLUMNS gets 240 columns, not rich's 80
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    monkeypatch.delenv("COLUMNS", raising=False)
    assert _common.stdout().width == 240
    monkeypatch.setenv("COLUMNS", "wide")  # not a number: ignored
    assert _common.stdout().width == 240


def test_a_terminal_without_columns_is_measured_by_rich(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Tty())
    monkeypatch.delenv("COLUMNS", raising=False)
    assert _common.text_width() is None  # rich asks the terminal
