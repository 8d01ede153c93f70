"""Text reports at any terminal width: COLUMNS is honoured, nothing key is cut at 80 columns, rewrites
print in full.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ttdiag.cli import _common, app

ROOT = Path(__file__).resolve().parent.parent
CB = "sample_logs/mochi_replicate_pad_cb_overflow.log"
RESHAPE = "sample_logs/mochi_constpad_conv1_norm2_reshape_fail.log"
PASS = "sample_logs/mochi_norm2_only_pass.log"
# colour switches a developer may have set would put ANSI codes into the text
_PLAIN = {"FORCE_COLOR": None, "NO_COLOR": None, "TTY_COMPATIBLE": None, "TTY_INTERACTIVE": None}


def text(args: list[str], width: int | None) -> str:
    """The command's stdout as a pipe sees it, ``width`` columns wide (None: no COLUMNS)."""
    env = {**_PLAIN, "COLUMNS": None if width is None else str(width)}
    r = CliRunner().invoke(app, args, env=env)
    assert r.exit_code in (0, 1), r.output
    return r.stdout


# --- item 1: the console's width -------------------------------------------------------------------------


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


# --- item 1: 80 columns, nothing key cut --------------------------------------------------------------------

# Key values, derived by hand from the inputs (sample_logs/README.md):
# the failing op and its shapes are the log's; [4, 4884480] tiles to 1 x 152,640 tiles of 2,048 B =
# 312,606,720 B, 12,720 tiles in each of wormhole's 12 DRAM banks = 26,050,560 B; the row-major result is
# 4 rows of 4,884,480 x 2 B = 9,768,960 B (one row per bank); the untilize's 62 full cores hold
# 2 x 2,423 tiles x 2,048 B after the 102,656 B base = 10,027,264 B = 668.9 % of 1,499,136 B.
KEYS = {
    "inspect": ([CB], ["[4, 4884480]", "[32, 4884480]", "312,606,720 B", "26,050,560 B", "9,768,960 B",
                       "[1, 768, 4, 60, 106]", "main_const_eval_0"]),
    "l1": ([CB], ["%9 ttnn.to_layout", "OVERFLOW", "10,027,264 B", "668.9%",
                  "UntilizeWithUnpaddingMultiCoreBlockInterleavedProgramFactory", "main_const_eval_1, line 32"]),
    "diff": ([PASS, RESHAPE], ["reshape-invalid", "A %5 ttnn.reshape, line 44", "B %5 ttnn.reshape, line 79",
                               "A %1 ttcore.load_cached, line 32", "not-executed"]),
}


@pytest.mark.parametrize("command", sorted(KEYS))
def test_80_columns_fit_and_keep_key_values_whole(command, monkeypatch):
    monkeypatch.chdir(ROOT)
    args, keys = KEYS[command]
    out = text([command, *args], 80)
    too_long = [ln for ln in out.splitlines() if len(ln) > 80]
    assert too_long == []
    assert "…" not in out  # nothing ellipsised
    for k in keys:
        assert k in out, k


def test_wide_output_keeps_one_line_per_item(monkeypatch):
    # a pipe without COLUMNS: the l1 and inspect tables, one line per op / tensor, for grep
    monkeypatch.chdir(ROOT)
    rows = [ln for ln in text(["l1", CB], None).splitlines() if ln.startswith("│ %9 ")]
    assert len(rows) == 1 and "10,027,264 B" in rows[0] and "OVERFLOW" in rows[0]
    rows = [ln for ln in text(["inspect", CB], None).splitlines() if "│ %8 " in ln]
    assert len(rows) == 1 and "[32, 4884480]" in rows[0] and "312,606,720" in rows[0]


# --- item 3: the l1 table's last column has a header -----------------------------------------------------


def test_l1_table_names_its_verdict_column(monkeypatch):
    monkeypatch.chdir(ROOT)
    lines = text(["l1", CB], None).splitlines()
    header = next(ln for ln in lines if ln.startswith("┃ op "))
    assert [c.strip() for c in header.strip("┃").split("┃")][-1] == "verdict"
    verdicts = {ln.split("│")[1].strip() + " " + ln.split("│")[4].strip(): ln.split("│")[-2].strip()
                for ln in lines if ln.startswith("│")}
    assert verdicts["%9 42"] == "OVERFLOW" and verdicts["%8 40"] == "fits"
