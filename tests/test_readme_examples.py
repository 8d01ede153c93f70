"""The README's examples are real runs: every value an example shows is what the command prints today.

An example may leave things out (keys, list items) and abbreviate a string with ``...`` (each part
between the dots must appear, in order); ``"...": "..."`` stands for omitted keys. It may not show a
value the command does not print.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ttdiag.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SAMPLES = ROOT / "sample_logs"
runner = CliRunner()
VOLATILE = {"seconds"}  # wall-clock figures: only their type is checked


def code_block(after: str, lang: str) -> str:
    """The first ```lang block after the heading or text ``after``."""
    start = README.index(after)
    m = re.compile(rf"^```{lang}\n(.*?)^```$", re.M | re.S).search(README, start)
    assert m, f"no {lang} block after {after!r}"
    return m.group(1)


def strip_comments(jsonc: str) -> str:
    """JSON with ``//`` comments (outside strings) removed."""
    out, in_string, i = [], False, 0
    while i < len(jsonc):
        c = jsonc[i]
        if in_string:
            out.append(c)
            if c == "\\":
                out.append(jsonc[i + 1])
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            out.append(c)
        elif jsonc.startswith("//", i):
            i = jsonc.find("\n", i)
            if i < 0:
                break
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def shown_in(example, real, path: str = "$") -> None:
    """Assert that everything ``example`` shows is in ``real``."""
    if isinstance(example, dict):
        assert isinstance(real, dict), f"{path}: {real!r} is not an object"
        for k, v in example.items():
            if k == "...":
                continue
            assert k in real, f"{path}: no key {k!r} (keys: {sorted(real)})"
            if k in VOLATILE:
                assert isinstance(real[k], type(v)), f"{path}.{k}"
            else:
                shown_in(v, real[k], f"{path}.{k}")
    elif isinstance(example, list):
        assert isinstance(real, list), f"{path}: {real!r} is not a list"
        for i, item in enumerate(example):
            errors = []
            for candidate in real:
                try:
                    shown_in(item, candidate, f"{path}[{i}]")
                    break
                except AssertionError as e:
                    errors.append(str(e))
            else:
                raise AssertionError(f"{path}[{i}]: no item matches: {errors[:3]}")
    elif isinstance(example, str) and "..." in example:
        pattern = ".*".join(re.escape(part) for part in example.split("..."))
        assert isinstance(real, str) and re.fullmatch(pattern, real, re.S), f"{path}: {real!r} is not {example!r}"
    else:
        assert example == real, f"{path}: README shows {example!r}, the command prints {real!r}"


def run_json(*args) -> dict:
    r = runner.invoke(app, [str(a) for a in args])
    assert r.exit_code in (0, 1), r.stderr
    return json.loads(r.stdout)


def test_the_checker_can_fail():
    with pytest.raises(AssertionError):
        shown_in({"line": 41}, {"line": 43})
    with pytest.raises(AssertionError):
        shown_in({"message": "Statically ... B"}, {"message": "Statically allocated, 3 KiB"})
    shown_in({"message": "Statically ... B", "...": "..."}, {"message": "Statically allocated 3 B", "x": 1})


def test_triage_json_example(monkeypatch):
    monkeypatch.chdir(ROOT)
    example = json.loads(strip_comments(code_block("### `ttdiag triage --format json`", "jsonc")))
    real = run_json("triage", example["source"], "--format", "json", "--no-advice")
    shown_in(example, real)


def test_triage_memory_example(monkeypatch):
    monkeypatch.chdir(ROOT)
    example = json.loads(strip_comments(code_block("**L1 at the failure (`memory`).**", "jsonc")))
    real = run_json("triage", "tests/data/width/l1_at_failure.log", "--format", "json", "--no-advice")
    shown_in(example, real["failures"][0])


@pytest.fixture
def gate_dir(tmp_path, monkeypatch):
    """The README's gate examples run in a directory holding ``logs/`` with the three sample logs."""
    (tmp_path / "logs").mkdir()
    for name in ("mochi_replicate_pad_cb_overflow.log", "mochi_constpad_conv1_norm2_reshape_fail.log",
                 "mochi_norm2_only_pass.log"):
        shutil.copy(SAMPLES / name, tmp_path / "logs" / name)
    monkeypatch.chdir(tmp_path)


def test_gate_json_example(gate_dir):
    example = json.loads(strip_comments(code_block("**`--format json`** (`\"schema\": \"ttdiag.gate/1\"`)", "jsonc")))
    shown_in(example, run_json("gate", "logs/", "--format", "json"))


def test_baseline_example(gate_dir):
    example = json.loads(code_block("**Baselines.**", "json"))
    r = runner.invoke(app, ["gate", "logs/", "--write-baseline", "base.json"])
    assert r.exit_code == 1
    shown_in(example, json.loads(Path("base.json").read_text()))


def test_triage_text_example(monkeypatch):
    # the example is the command's output at its COLUMNS, with left-out runs of lines marked "..."
    block = code_block("## What it reports", "").splitlines()
    m = re.fullmatch(r"\$ COLUMNS=(\d+) ttdiag (.+)", block[0])
    assert m, block[0]
    monkeypatch.chdir(ROOT)
    r = runner.invoke(app, m.group(2).split(), env={"COLUMNS": m.group(1), "FORCE_COLOR": None, "NO_COLOR": None})
    assert r.exit_code == 1
    real = [ln.rstrip() for ln in r.stdout.splitlines()]
    pieces, piece = [], []
    for ln in block[1:]:
        if ln == "...":
            pieces.append(piece)
            piece = []
        else:
            piece.append(ln)
    pieces.append(piece)
    at = 0
    for piece in pieces:
        starts = [i for i in range(at, len(real) - len(piece) + 1) if real[i:i + len(piece)] == piece]
        assert starts, f"not in the output (after its line {at}): {piece[:2]}"
        at = starts[0] + len(piece)
    assert pieces[0] == real[:len(pieces[0])] and pieces[-1] == real[-len(pieces[-1]):]


def test_command_table_is_one_table():
    # a blank line inside a markdown table ends it: the rows after it render as plain text
    lines = README[README.index("## Commands"):].splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("| command |"))
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("|"))
    rows = " ".join(lines[start:end])
    for command in ("triage", "inspect", "l1", "diff", "replay", "repro", "gate", "perf", "weights", "memory"):
        assert f"`ttdiag {command} " in rows, command


def _console_example(heading: str, monkeypatch, exact_tail: bool = False) -> None:
    """The ``$ COLUMNS=N ttdiag ...`` block after ``heading`` is a real run: each of its pieces (split at
    ``...`` lines) appears in the output, in order; ``exact_tail``: the last piece ends the output. Skipped
    when the run's input (an argument naming a corpus file) is absent."""
    block = code_block(heading, "").splitlines()
    m = re.fullmatch(r"\$ COLUMNS=(\d+) ttdiag (.+)", block[0])
    assert m, block[0]
    args = m.group(2).split()
    monkeypatch.chdir(ROOT)
    if any(a.startswith("../shared/") and not Path(a).is_file() for a in args):
        pytest.skip("../shared/corpus is not present")
    r = runner.invoke(app, args, env={"COLUMNS": m.group(1), "FORCE_COLOR": None, "NO_COLOR": None})
    assert r.exit_code == 0
    real = [ln.rstrip() for ln in r.stdout.splitlines()]
    at = 0
    for piece in "\n".join(block[1:]).split("\n...\n"):
        lines = [ln for ln in piece.splitlines() if ln != "..."]
        starts = [i for i in range(at, len(real) - len(lines) + 1) if real[i:i + len(lines)] == lines]
        assert starts, f"not in the output (after its line {at}): {lines[:2]}"
        at = starts[0] + len(lines)
    if exact_tail:
        assert real[-len(lines):] == lines


def test_memory_text_example(monkeypatch):
    # a real run on tt-metal's conv2d.json trace (../shared corpus; skipped without it)
    _console_example("## `ttdiag memory`", monkeypatch)


def test_the_l1_model_table_names_every_modelled_op():
    # every op with a registered CB model is named in the README's model table (so the table cannot fall
    # behind the code); the unary / binary rows name a few ops and give the count, checked against the model
    from ttdiag.analyze.l1 import registered
    from ttdiag.analyze.l1.ops_eltwise import BINARY_LHS_RHS, BINARY_PLAIN, UNARY_OPS

    start = README.index("| ops | factories modelled | confidence |")
    table = README[start:README.index("| anything else |", start)]
    named = set()
    for row in table.splitlines()[2:]:
        first = row.split("|")[1]
        names = re.findall(r"`([a-z_0-9.]+)`", first)
        named |= {n if "." in n else f"ttnn.{n}" for n in names}
    assert f"… {len(UNARY_OPS)} ops)" in table
    assert f"{len(BINARY_PLAIN) + len(BINARY_LHS_RHS)} ops)" in table
    grouped = set(UNARY_OPS) | set(BINARY_PLAIN) | set(BINARY_LHS_RHS)
    host = {"func.return", "ttcore.device_module", "ttcore.load_cached", "ttnn.capture_or_execute_trace",
            "ttnn.begin_trace_capture", "ttnn.end_trace_capture", "ttnn.execute_trace"}
    missing = sorted(set(registered()) - named - grouped - host)
    assert not missing, f"modelled ops the README's table does not name: {missing}"


def test_l1_against_example(monkeypatch):
    # a real run against tt-metal's matmul_l1_out.json trace (../shared corpus; skipped without it)
    _console_example("### Validation against a capture", monkeypatch, exact_tail=True)
