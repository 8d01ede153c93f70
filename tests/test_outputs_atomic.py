"""Inputs are never written, and output files (-o, --export, --write-baseline, --plot) are written
atomically (temp file + rename) and never over an input."""

from __future__ import annotations

import os
import shutil
import stat

import pytest
import typer
from typer.testing import CliRunner

from ttdiag.cli import _common, app

runner = CliRunner()
CB_LOG = "mochi_replicate_pad_cb_overflow.log"
PASS_LOG = "mochi_norm2_only_pass.log"
CSV = "ops_perf_depthwise_seed004.csv"


def run(*args):
    r = runner.invoke(app, [str(a) for a in args])
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise AssertionError(f"uncaught {r.exception!r}") from r.exception
    return r


@pytest.fixture
def read_only_inputs(sample, tmp_path):
    """Copies of a failing log, a passing log and a perf CSV, made read-only; restored after."""
    paths = {}
    for name in (CB_LOG, PASS_LOG, CSV):
        p = tmp_path / name
        shutil.copy(sample(name), p)
        os.chmod(p, stat.S_IRUSR)
        paths[name] = p
    before = {name: (p.read_bytes(), p.stat().st_mtime_ns) for name, p in paths.items()}
    yield paths
    for name, p in paths.items():
        assert (p.read_bytes(), p.stat().st_mtime_ns) == before[name], f"{name} was written"
        os.chmod(p, stat.S_IRUSR | stat.S_IWUSR)


def test_no_command_writes_its_inputs(read_only_inputs, tmp_path):
    log, ok, csv = (read_only_inputs[n] for n in (CB_LOG, PASS_LOG, CSV))
    out = tmp_path / "out"
    out.mkdir()
    codes = {
        "triage": run("triage", log, "--format", "json", "--no-verify").exit_code,
        "inspect": run("inspect", log, "--format", "json").exit_code,
        "l1": run("l1", log, "--format", "json").exit_code,
        "diff": run("diff", ok, log, "--format", "json").exit_code,
        "replay": run("replay", log, "--ops", "%5..%6").exit_code,
        "repro": run("repro", log, "-o", out / "repro.mlir").exit_code,
        "gate": run("gate", log, ok, "--write-baseline", out / "base.json", "--export", out / "f.csv").exit_code,
        "perf": run("perf", csv, "--format", "json").exit_code,
    }
    assert all(c in (0, 1) for c in codes.values()), codes
    assert (out / "repro.mlir").read_text().count('"ttnn.to_layout"') >= 1
    assert (out / "base.json").read_text().startswith("{") and (out / "f.csv").read_text().count("\n") >= 1
    # no temp files left behind
    assert sorted(p.name for p in out.iterdir()) == ["base.json", "f.csv", "repro.mlir"]


@pytest.mark.parametrize("args", [
    ("repro", "{log}", "-o", "{log}"),
    ("gate", "{log}", "--write-baseline", "{log}"),
])
def test_outputs_never_replace_an_input(read_only_inputs, args):
    log = str(read_only_inputs[CB_LOG])
    r = run(*[a.format(log=log) for a in args])
    assert r.exit_code == 2 and "refusing to overwrite the input" in r.stderr


def test_gate_export_never_replaces_a_log(sample, tmp_path):
    log = tmp_path / "run.csv"  # a log whose name looks like an export
    shutil.copy(sample(CB_LOG), log)
    before = log.read_bytes()
    r = run("gate", log, "--export", log)
    assert r.exit_code == 2 and "refusing to overwrite the input" in r.stderr
    assert log.read_bytes() == before


def test_perf_plot_never_replaces_its_csv(read_only_inputs):
    pytest.importorskip("matplotlib")
    csv = str(read_only_inputs[CSV])
    r = run("perf", csv, "--plot", csv)
    assert r.exit_code == 2 and "refusing to overwrite the input" in r.stderr


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_common.os, "replace", broken_replace)
    with pytest.raises(typer.Exit) as e:
        _common.write_atomic(str(target), "new", [])
    assert e.value.exit_code == 2
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_written_file_gets_normal_permissions(tmp_path):
    target = tmp_path / "r.txt"
    _common.write_atomic(str(target), "x", [])
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert target.read_text() == "x"
