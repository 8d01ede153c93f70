"""Text reports at any terminal width: COLUMNS is honoured, nothing key is cut at 80 columns, rewrites
print in full, and golden files pin the text of triage, inspect, l1, diff, gate and perf at 80 and 120 columns.

The golden files (tests/data/golden/*_80.txt, *_120.txt) were read line by line when they were written;
``TTDIAG_UPDATE_GOLDEN=1 python -m pytest tests/test_text_width.py`` rewrites them from the current
renderers, to be reviewed (git diff) before committing. Trailing spaces (rich pads some blocks to their
width) are not part of a golden.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from ttdiag.cli import _common, app
from ttdiag.report.common import mlir_lexer, mlir_syntax

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden"
UPDATE = os.environ.get("TTDIAG_UPDATE_GOLDEN") == "1"
CB = "sample_logs/mochi_replicate_pad_cb_overflow.log"
RESHAPE = "sample_logs/mochi_constpad_conv1_norm2_reshape_fail.log"
PASS = "sample_logs/mochi_norm2_only_pass.log"
LONG_NAMES = "tests/data/width/long_names.mlir"
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
    "triage": ([CB, "--no-verify"], ["%9 ttnn.to_layout", "[4, 4884480]", "[32, 4884480]", "9,990,400 B",
                                      "1,499,136 B", "312,606,720 B", "26,050,560 B", "9,768,960 B",
                                      "cb-exceeds-l1", "ttnn.reshape (line 40)"]),
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


def test_triage_layout_tables_split_when_the_tensors_do_not_fit_side_by_side(monkeypatch):
    # operand %8 and result %9 each need 13 columns ([32, 4884480], 312,606,720 B) plus 1 of slack and 3 of
    # padding and border; with the 13-column labels (1 + 16) that is 1 + 16 + 2 x 17 = 51 columns
    monkeypatch.chdir(ROOT)
    out = text(["triage", CB, "--no-advice"], 50)
    assert "Layouts of the failing op (1 of 2)" in out and "Layouts of the failing op (2 of 2)" in out
    assert max(map(len, out.splitlines())) <= 50
    assert "│ bytes         │ 312,606,720 B" in out and "│ bytes         │ 39,075,840 B" in out
    out = text(["triage", CB, "--no-advice"], 51)
    assert "(1 of 2)" not in out and max(map(len, out.splitlines())) <= 51
    assert "│ bytes         │ 312,606,720 B  │ 39,075,840 B   │" in out


def test_wide_output_keeps_one_line_per_item(monkeypatch):
    # a pipe without COLUMNS: the l1 and inspect tables, one line per op / tensor, for grep
    monkeypatch.chdir(ROOT)
    rows = [ln for ln in text(["l1", CB], None).splitlines() if ln.startswith("│ %9 ")]
    assert len(rows) == 1 and "10,027,264 B" in rows[0] and "OVERFLOW" in rows[0]
    rows = [ln for ln in text(["inspect", CB], None).splitlines() if "│ %8 " in ln]
    assert len(rows) == 1 and "[32, 4884480]" in rows[0] and "312,606,720" in rows[0]


# --- item 2: rewrites in full, as MLIR --------------------------------------------------------------------


def test_triage_prints_every_rewrite_in_full(monkeypatch):
    monkeypatch.chdir(ROOT)
    rewrites = [a["rewrite"] for f in json.loads(text(["triage", CB, "--no-verify", "--format", "json"], None))
                ["failures"] for a in f["advice"] if a["rewrite"]]
    assert len(rewrites) == 4
    for width in (80, 120, None):
        out = text(["triage", CB, "--no-verify"], width)
        flat = " ".join(out.split())  # lines wrap at spaces: the same tokens in the same order
        for rw in rewrites:
            assert " ".join(rw.split()) in flat
        # the chunked untilize concatenates all 477 chunks (4,884,480 / 10,240), the last being %c476_rm
        assert "%c475_rm, %c476_rm) <{dim = 1 : si32}>" in flat


def test_piped_text_has_no_ansi_codes(monkeypatch):
    monkeypatch.chdir(ROOT)
    for args in (["triage", CB, "--no-verify"], ["l1", CB], ["inspect", CB], ["diff", PASS, RESHAPE]):
        assert "\x1b[" not in text(args, 80)


def test_mlir_lexer_reads_the_rewrites_without_errors(monkeypatch):
    from pygments.token import Error, Name, String

    monkeypatch.chdir(ROOT)
    obj = json.loads(text(["triage", CB, "--no-verify", "--format", "json"], None))
    lexer = mlir_lexer()
    for a in obj["failures"][0]["advice"]:
        tokens = list(lexer.get_tokens(a["rewrite"]))
        assert not [t for t in tokens if t[0] in Error], a["rule"]
    tokens = list(lexer.get_tokens('%9 = "ttnn.concat"(%c0_rm) : (tensor<4x10240xbf16>) -> tensor<4x4884480xbf16>'))
    assert (Name.Variable, "%9") in tokens and (String, '"ttnn.concat"') in tokens
    assert (Name.Variable, "%c0_rm") in tokens


def test_rewrites_are_coloured_on_a_terminal():
    con = Console(file=io.StringIO(), width=80, force_terminal=True, color_system="standard")
    con.print(mlir_syntax('%9 = "ttnn.reshape"(%7_rm) <{shape = [4 : i32, 4884480 : i32]}>'))
    assert "\x1b[" in con.file.getvalue()


# --- item 3: the l1 table's last column has a header -----------------------------------------------------


def test_l1_table_names_its_verdict_column(monkeypatch):
    monkeypatch.chdir(ROOT)
    lines = text(["l1", CB], None).splitlines()
    header = next(ln for ln in lines if ln.startswith("┃ op "))
    assert [c.strip() for c in header.strip("┃").split("┃")][-1] == "verdict"
    verdicts = {ln.split("│")[1].strip() + " " + ln.split("│")[4].strip(): ln.split("│")[-2].strip()
                for ln in lines if ln.startswith("│")}
    assert verdicts["%9 42"] == "OVERFLOW" and verdicts["%8 40"] == "fits"


# --- item 4: golden files -----------------------------------------------------------------------------------

CASES = {
    "triage_cb_sample": ["triage", CB, "--no-verify"],
    "triage_reshape": ["triage", RESHAPE, "--no-verify"],
    "triage_op_ref": ["triage", "tests/data/real_world/pytest_long.log", "--no-advice"],
    # a CB clash after MemoryView lines (tests/test_failure_memory.py CLASH_LOG): the "L1 at the failure" block
    "triage_l1_at_failure": ["triage", "tests/data/width/l1_at_failure.log", "--no-advice"],
    "inspect_cb_sample": ["inspect", CB],
    "inspect_long_names": ["inspect", LONG_NAMES],
    "l1_cb_sample": ["l1", CB],
    "l1_long_names": ["l1", LONG_NAMES, "--era", "2025-12"],
    "diff_seed_002": ["diff", PASS, RESHAPE],
    "gate_samples": ["gate", "sample_logs/", "--jobs", "1"],
    "perf_depthwise": ["perf", "sample_logs/ops_perf_depthwise_seed004.csv"],
}


def _visible(s: str) -> str:
    return "".join(ln.rstrip() + "\n" for ln in s.splitlines())


@pytest.mark.parametrize("width", (80, 120))
@pytest.mark.parametrize("case", sorted(CASES))
def test_text_matches_its_golden_file(case, width, monkeypatch):
    monkeypatch.chdir(ROOT)  # the reports name their inputs as given on the command line
    out = _visible(text(CASES[case], width))
    path = GOLDEN / f"{case}_{width}.txt"
    if UPDATE:
        path.write_text(out, encoding="utf-8")
    assert max(map(len, out.splitlines())) <= width
    assert out == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(c.name or c.callback.__name__ for c in app.registered_commands))
def test_help_paragraphs_are_filled_at_80_columns(command):
    # typer keeps a docstring's own line breaks: a paragraph broken in the source prints a short line
    # mid-sentence ("2 bad usage or" / "unreadable input."). Each help line that is not a paragraph's
    # last must be filled to within a word of the 80-column box.
    r = CliRunner().invoke(app, [command, "--help"], env={**_PLAIN, "COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    top = r.stdout.split("╭")[0].splitlines()
    paragraphs: list[list[str]] = [[]]
    for line in top[1:]:
        if line.strip():
            paragraphs[-1].append(line.rstrip())
        elif paragraphs[-1]:
            paragraphs.append([])
    for para in paragraphs:
        for line, nxt in zip(para, para[1:]):
            assert len(line) + 1 + len(nxt.split()[0]) > 79, f"{command}: short help line {line!r}"


def test_the_command_list_fills_each_description_at_80_columns():
    # the same rule for the top-level help's Commands panel (each command's first docstring paragraph)
    r = CliRunner().invoke(app, ["--help"], env={**_PLAIN, "COLUMNS": "80"})
    panel = r.stdout.split("Commands")[1].split("╰")[0].splitlines()[1:]
    rows: list[list[str]] = []
    for line in panel:
        if not line.startswith("│"):
            continue
        if not line[2].isspace():
            rows.append([])
        rows[-1].append(line[11:].rstrip("│ "))
    assert len(rows) == len(app.registered_commands)
    for row in rows:
        for line, nxt in zip(row, row[1:]):
            assert len(line) + 1 + len(nxt.split()[0]) > 66, f"short command description line {line!r}"


def test_release_build_log_says_how_to_name_the_op(tmp_path):
    """A tt-mlir runtime log without op lines (modelled on tt-xla#307, https://github.com/tenstorrent/tt-xla/issues/307:
    a reshape TT_FATAL from a release build) says how to get op lines; a ttnn-only log does not mention tt-mlir."""
    log = tmp_path / "release.log"
    log.write_text("RuntimeError: TT_FATAL @ /work/tt-xla/third_party/tt-mlir/src/tt-mlir/third_party/tt-metal/src/"
                   "tt-metal/ttnn/cpp/ttnn/tensor/tensor_utils.cpp:50: new_volume == old_volume\n"
                   "Invalid arguments to reshape\n")
    flat = " ".join(text(["triage", str(log)], 80).split())
    assert "the op id is unknown. To name it, re-run with a tt-mlir runtime built with TT_RUNTIME_DEBUG=ON and " \
           "TTMLIR_RUNTIME_LOGGER_LEVEL=DEBUG" in flat
    log.write_text("RuntimeError: TT_FATAL @ /home/u/tt-metal/ttnn/cpp/ttnn/tensor/tensor_utils.cpp:50: "
                   "new_volume == old_volume\nInvalid arguments to reshape\n")
    flat = " ".join(text(["triage", str(log)], 80).split())
    assert "the op id is unknown." in flat and "TT_RUNTIME_DEBUG" not in flat
