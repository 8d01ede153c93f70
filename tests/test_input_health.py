"""Inputs that are cut, corrupt, empty or binary: nothing readable is lost, and the gate never reports
such a log as plainly passed."""

from __future__ import annotations

import gzip
import json
import os
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ttdiag.cli import app

ROOT = Path(__file__).resolve().parent.parent
CB_LOG = ROOT / "sample_logs" / "mochi_replicate_pad_cb_overflow.log"
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
runner = CliRunner()


def invoke(*args):
    r = runner.invoke(app, [str(a) for a in args])
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise AssertionError(f"uncaught {r.exception!r}") from r.exception
    return r


def _lines_in(data: bytes) -> int:
    """Lines (the last one possibly partial) in what the standard library can decompress of ``data``."""
    text = zlib.decompressobj(31).decompress(data)
    return text.count(b"\n") + (not text.endswith(b"\n"))


@pytest.fixture
def cut_gz(tmp_path):
    """The CB-overflow sample gzipped and cut after 2,700 compressed bytes (a CI artifact cut mid-upload)."""
    data = gzip.compress(CB_LOG.read_bytes())[:2700]
    path = tmp_path / "cut.log.gz"
    path.write_bytes(data)
    return path


@pytest.fixture
def fake_gz(tmp_path):
    """Random bytes behind a gzip magic (its method byte is not deflate)."""
    path = tmp_path / "fake.gz"
    path.write_bytes(b"\x1f\x8b\x01" + os.urandom(3000))
    return path


# -- reading ----------------------------------------------------------------------------------------------
def test_truncated_gzip_keeps_every_line_that_decompressed(cut_gz):
    lines = _lines_in(cut_gz.read_bytes())
    assert lines > 43  # the cut is after the overflow message (line 43 of the sample)
    r = invoke("triage", cut_gz, "--format", "json", "--no-advice")
    obj = json.loads(r.stdout)
    assert r.exit_code == 1
    assert obj["stats"]["lines"] == lines
    assert [(f["kind"], f["line"]) for f in obj["failures"]] == [("cb-exceeds-l1", 43)]
    assert obj["failures"][0]["figures"]["cb_region_end_bytes"] == 9_990_400
    assert f"input truncated: gzip stream ends after {lines} lines" in obj["warnings"]


def test_gzip_members_and_nul_padding_read_whole(tmp_path):
    one = gzip.compress(CB_LOG.read_bytes())
    n = CB_LOG.read_bytes().count(b"\n")
    for name, data, lines in (("two.gz", one + one, 2 * n), ("padded.gz", one + b"\0" * 512, n)):
        (tmp_path / name).write_bytes(data)
        obj = json.loads(invoke("triage", tmp_path / name, "--format", "json", "--no-advice").stdout)
        assert obj["stats"]["lines"] == lines and not any("input" in w for w in obj["warnings"]), name


def test_garbage_after_a_gzip_member_is_a_warning(tmp_path):
    path = tmp_path / "tail.gz"
    path.write_bytes(gzip.compress(CB_LOG.read_bytes()) + b"not gzip\n")
    obj = json.loads(invoke("triage", path, "--format", "json", "--no-advice").stdout)
    assert obj["stats"]["lines"] == CB_LOG.read_bytes().count(b"\n")
    assert any(w.startswith("input corrupt: gzip data unreadable") for w in obj["warnings"])


@pytest.mark.parametrize("command", ["triage", "inspect", "l1"])
def test_random_bytes_with_a_gzip_magic_are_an_error(fake_gz, command):
    r = invoke(command, fake_gz)
    assert r.exit_code == 2
    assert r.stderr.strip() == f"ttdiag: error: {fake_gz}: not valid gzip data (unknown compression method)"


def test_gzip_cut_inside_its_header_is_an_error(tmp_path):
    path = tmp_path / "head.gz"
    path.write_bytes(gzip.compress(b"x\n")[:5])
    r = invoke("triage", path)
    assert r.exit_code == 2 and "gzip stream ends before any data (truncated)" in r.stderr


# -- the gate ---------------------------------------------------------------------------------------------
@pytest.fixture
def unhealthy(tmp_path, monkeypatch, cut_gz, fake_gz):
    """Logs whose outcome is unknown, in a working directory: empty, binary, a program that never finished
    (the sample cut before its error), a device open that stops (the sample's first 11 lines); the cut
    gzip and the fake one are there too."""
    monkeypatch.chdir(tmp_path)
    lines = CB_LOG.read_bytes().splitlines(keepends=True)
    Path("empty.log").write_bytes(b"")
    Path("binary.log").write_bytes(bytes(range(256)) * 64)
    Path("unfinished.log").write_bytes(b"".join(lines[:42]))
    Path("open.log").write_bytes(b"".join(lines[:11]))
    return ["empty.log", "binary.log", "unfinished.log", "open.log"]


EXPECTED = {"empty.log": ("input-empty", 1), "binary.log": ("input-binary", 1),
            "unfinished.log": ("run-unfinished", 42), "open.log": ("device-open-hung", 11)}


def test_gate_reports_unknown_outcomes_as_warnings(unhealthy):
    r = invoke("gate", *unhealthy, "--format", "json")
    assert r.exit_code == 0
    obj = json.loads(r.stdout)
    for log in obj["logs"]:
        (f,) = log["failures"]
        assert log["status"] == "warning", log["path"]
        assert (f["kind"], f["line"], f["severity"], f["gating"]) == (*EXPECTED[log["path"]], "warning", False)
    assert obj["summary"]["warnings"] == 4 and obj["summary"]["passed"] == 0
    r = invoke("gate", *unhealthy, "--format", "json", "--fail-on", "warning")
    assert r.exit_code == 1
    assert {log["status"] for log in json.loads(r.stdout)["logs"]} == {"failed"}


def test_gate_cut_gzip_fails_on_its_error_and_warns(unhealthy):
    r = invoke("gate", "cut.log.gz", "--format", "json")
    assert r.exit_code == 1
    (log,) = json.loads(r.stdout)["logs"]
    lines = _lines_in(Path("cut.log.gz").read_bytes())
    assert [(f["kind"], f["line"], f["severity"]) for f in log["failures"]] == [
        ("cb-exceeds-l1", 43, "error"), ("input-truncated", lines, "warning")]


def test_gate_fake_gzip_is_an_error(unhealthy):
    r = invoke("gate", "fake.gz", "--format", "json")
    assert r.exit_code == 2
    (log,) = json.loads(r.stdout)["logs"]
    assert log["status"] == "error" and "not valid gzip data" in log["error"]


def test_gate_warnings_in_every_format(unhealthy):
    text = invoke("gate", "empty.log", "unfinished.log")
    assert "WARN    empty.log" in text.stdout and "WARN    unfinished.log" in text.stdout
    assert "2 log(s): 0 passed, 2 with warnings, 0 failed" in text.stdout
    github = invoke("gate", "empty.log", "--format", "github").stdout.splitlines()
    assert github[0] == "::warning file=empty.log,line=1,title=input-empty::input is empty"
    assert github[1].startswith("ttdiag gate: 1 log(s): 0 passed, 1 with warnings, 0 failed")
    junit = invoke("gate", "empty.log", "--format", "junit").stdout
    assert "<system-out>status: warning\nline 1: input-empty: input is empty (warning;" in junit
    assert "<failure" not in junit and "<error" not in junit
    md = invoke("gate", "empty.log", "--format", "markdown").stdout
    assert "**1** log(s): **0** passed, **1** with warnings, **0** failed" in md
    assert "| input-empty | warning  |" in md
    sarif = json.loads(invoke("gate", "empty.log", "open.log", "--format", "sarif").stdout)
    results = sarif["runs"][0]["results"]
    assert [(x["ruleId"], x["level"]) for x in results] == [("input-empty", "warning"), ("device-open-hung", "warning")]
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[x["ruleIndex"]]["id"] == x["ruleId"] for x in results)
    if SARIF_SCHEMA.exists():
        jsonschema = pytest.importorskip("jsonschema")
        jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text()))


# -- binary input and echoed text -----------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["inspect", "l1"])
def test_binary_input_is_a_one_line_error(tmp_path, command):
    path = tmp_path / "a.out"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 512)  # 128 KiB: the check runs at 64 KiB
    r = invoke(command, path)
    assert r.exit_code == 2 and r.stdout == ""
    (line,) = r.stderr.splitlines()
    assert line.startswith(f"ttdiag: error: {path}: binary input, not a TTNN MLIR dump or a log (")


def test_a_dump_with_a_few_nul_bytes_is_still_read(tmp_path):
    path = tmp_path / "nul.mlir"
    lines = [f'%{i} = "ttnn.relu"(%arg0) : (tensor<32x32xbf16>) -> tensor<32x32xbf16>' for i in range(20)]
    lines[3] += "\0"
    path.write_text("module {\n  func.func @main(%arg0: tensor<32x32xbf16>) -> () {\n" + "\n".join(lines) + "\n}\n}\n")
    r = invoke("inspect", path, "--format", "json")
    assert r.exit_code == 0 and len(json.loads(r.stdout)["ops"]) == 20


def test_errors_echo_at_most_200_characters(tmp_path):
    name = str(tmp_path / ("x" * 250 + ".log"))
    r = invoke("triage", name)
    assert r.exit_code == 2
    (line,) = r.stderr.splitlines()
    assert line == "ttdiag: error: " + (name + ": no such file")[:199] + "…"


def test_replay_checks_its_inputs_before_loading_the_executor(tmp_path):
    import subprocess
    import sys

    code = ("import sys; from typer.testing import CliRunner; from ttdiag.cli import app; "
            f"r = CliRunner().invoke(app, ['replay', {str(tmp_path / 'missing.mlir')!r}]); "
            "print(r.exit_code, 'ml_dtypes' in sys.modules, 'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["2", "False", "False"]


@pytest.mark.parametrize("head", ["", "%0 = ", '"ttnn.a"(', "#a = ", "func.func @", '%0 = "ttnn.x"() : () -> tensor<',
                                  '%0 = "ttnn.x"() : () -> () loc("'])
@pytest.mark.parametrize("command", ["inspect", "l1"])
def test_a_1_mib_line_is_not_echoed(tmp_path, monkeypatch, head, command):
    # the reader cuts the line to its first 1 MiB; whatever of it reaches the output is clipped to 200 characters
    monkeypatch.setenv("COLUMNS", "80")
    path = tmp_path / "huge.mlir"
    path.write_text("module {\n" + head + "x" * (1 << 20) + "\n}\n")
    for fmt in ("text", "json"):
        r = invoke(command, path, "--format", fmt)
        assert r.exit_code in (0, 1) and len(r.stdout) < 4000, (fmt, len(r.stdout))
        assert "1 line(s) longer than 1,048,576 B were cut" in r.stdout + r.stderr
