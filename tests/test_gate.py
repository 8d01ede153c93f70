"""``ttdiag gate``: exit codes, every output format (validated against SARIF 2.1.0 and a JUnit XSD),
baselines, budgets, inputs (dirs, globs, gzip, stdin), parallel runs and exports."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from ttdiag.analyze.gate import fingerprint, normalise_message
from ttdiag.cli import app
from ttdiag.report import gate_export
from ttdiag.report.gate_github import escape_data, escape_property

# the same paths as conftest.py's SAMPLES and SHARED (not imported: tests/reference has its own conftest)
ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_logs"
DATA = ROOT / "tests" / "data" / "gate"
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
CB = "mochi_replicate_pad_cb_overflow.log"
RESHAPE = "mochi_constpad_conv1_norm2_reshape_fail.log"
PASS = "mochi_norm2_only_pass.log"
CB_MESSAGE = ("Statically allocated circular buffers on core range [(x=7,y=6) - (x=7,y=6)] grow to 9990400 B "
              "which is beyond max L1 size of 1499136 B")

runner = CliRunner()


def run(*args, input=None):
    result = runner.invoke(app, ["gate", *map(str, args)], input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {result.exception!r}") from result.exception
    return result


def gate_json(*args, input=None):
    r = run(*args, "--format", "json", input=input)
    return r.exit_code, json.loads(r.stdout)


@pytest.fixture
def logs(tmp_path, monkeypatch):
    """A working directory holding ``logs/`` with the three sample logs; paths are reported relative to it."""
    d = tmp_path / "logs"
    d.mkdir()
    for name in (CB, RESHAPE, PASS):
        shutil.copy(SAMPLES / name, d / name)
    monkeypatch.chdir(tmp_path)
    return Path("logs")


def _failures(obj):
    return {(log["path"], f["kind"], f["line"]) for log in obj["logs"] for f in log["failures"]}


def _without_timings(obj):
    for log in obj["logs"]:
        log["seconds"] = 0
    return obj


# -- the verdict and JSON ----------------------------------------------------------------------------
def test_directory_of_samples_fails_with_two_logs(logs):
    code, obj = gate_json(logs)
    assert code == 1
    assert obj["schema"] == "ttdiag.gate/1"
    assert obj["summary"] == {"logs": 3, "passed": 1, "warnings": 0, "failed": 2, "errors": 0, "failures": 2,
                              "suppressed": 0,
                              "gating": 2}
    status = {log["path"]: log["status"] for log in obj["logs"]}
    assert status == {f"logs/{CB}": "failed", f"logs/{RESHAPE}": "failed", f"logs/{PASS}": "passed"}
    assert _failures(obj) == {(f"logs/{CB}", "cb-exceeds-l1", 43), (f"logs/{RESHAPE}", "reshape-invalid", 80)}
    cb = next(f for log in obj["logs"] for f in log["failures"] if f["kind"] == "cb-exceeds-l1")
    assert cb["severity"] == "error" and cb["message"] == CB_MESSAGE and cb["suppressed"] is False
    assert cb["op"] == {"id": "%9", "name": "ttnn.to_layout", "program": "main", "line": 42,
                        "loc": "decoder.block_in.resnets.0.conv1"}
    assert cb["figures"]["cb_region_end_bytes"] == 9_990_400
    assert cb["fingerprint"] == fingerprint("cb-exceeds-l1", "ttnn.to_layout", CB_MESSAGE)
    agg = {(a["kind"], a["op"], a["loc"]): (a["failures"], a["logs"], a["example"]) for a in obj["aggregate"]}
    assert agg == {("cb-exceeds-l1", "ttnn.to_layout", "decoder.block_in.resnets.0.conv1"): (1, 1, f"logs/{CB}:43"),
                   ("reshape-invalid", "ttnn.reshape", "decoder.block_in.resnets.0.norm2.norm_layer"):
                       (1, 1, f"logs/{RESHAPE}:80")}
    assert obj["budget_violations"] == []


def test_passing_log_exits_0(logs):
    code, obj = gate_json(logs / PASS)
    assert code == 0 and obj["summary"]["passed"] == 1 and obj["logs"][0]["failures"] == []


def test_text_output_has_status_lines_and_aggregate(logs):
    r = run(logs)
    assert r.exit_code == 1
    out = r.stdout
    assert f"FAILED  logs/{CB}" in out and f"passed  logs/{PASS}" in out
    assert "line     43  cb-exceeds-l1" in out and "[op %9 ttnn.to_layout in program 'main' (line 42)]" in out
    assert "Failures by kind, op and source location" in out and "decoder.block_in.resnets.0.norm2.norm_layer" in out
    assert "3 log(s): 1 passed, 2 failed, 0 unreadable" in out


# -- baselines -----------------------------------------------------------------------------------------
def test_baseline_round_trip(logs):
    r = run(logs, "--write-baseline", "baseline.json")
    assert r.exit_code == 1  # writing a baseline does not change this run's verdict
    doc = json.loads(Path("baseline.json").read_text())
    assert doc["schema"] == "ttdiag.baseline/1"
    entries = {e["kind"]: e for e in doc["fingerprints"]}
    assert set(entries) == {"cb-exceeds-l1", "reshape-invalid"}
    assert entries["cb-exceeds-l1"] == {
        "fingerprint": fingerprint("cb-exceeds-l1", "ttnn.to_layout", CB_MESSAGE), "kind": "cb-exceeds-l1",
        "op": "ttnn.to_layout", "message": CB_MESSAGE, "example": f"logs/{CB}:43"}
    assert not [p for p in os.listdir(".") if p.startswith(".ttdiag-")]  # no temp file left behind

    code, obj = gate_json(logs, "--baseline", "baseline.json")
    assert code == 0
    assert obj["summary"] == {"logs": 3, "passed": 3, "warnings": 0, "failed": 0, "errors": 0, "failures": 0,
                              "suppressed": 2,
                              "gating": 0}
    assert all(f["suppressed"] for log in obj["logs"] for f in log["failures"])
    assert obj["baseline"] == "baseline.json"


def test_baseline_matches_a_failure_with_other_numbers_and_paths(tmp_path, monkeypatch):
    """The fingerprint normalises digits and paths: the same failure on another machine is suppressed."""
    monkeypatch.chdir(tmp_path)
    text = (SAMPLES / CB).read_text()
    Path("a.log").write_text(text)
    Path("b.log").write_text(text.replace("9990400", "9991424").replace("/home/user/", "/srv/ci/"))
    assert run("a.log", "--write-baseline", "b.json").exit_code == 1
    code, obj = gate_json("b.log", "--baseline", "b.json")
    assert code == 0 and obj["summary"]["suppressed"] == 1


def test_write_baseline_refuses_to_overwrite_an_input(logs):
    before = (logs / PASS).read_bytes()
    r = run(logs, "--write-baseline", logs / PASS)
    assert r.exit_code == 2 and "refusing to overwrite the input" in r.stderr
    assert (logs / PASS).read_bytes() == before


@pytest.mark.parametrize("content", ['{"schema": "other", "fingerprints": []}', "not json", None])
def test_bad_baseline_is_a_usage_error(logs, content):
    if content is not None:
        Path("bad.json").write_text(content)
    r = run(logs, "--baseline", "bad.json")
    assert r.exit_code == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "bad.json" in r.stderr


def test_fingerprint_normalisation():
    a = normalise_message("Out of Memory at 0x7ffe12ab in /home/a/tt-metal/b.cpp:54 after 1234 B, build deadbeef12")
    assert a == "Out of Memory at <addr> in <path>:N after N B, build <hex>"
    fp = fingerprint("out-of-memory", "ttnn.matmul", "need 4096 B at 0x10")
    assert len(fp) == 16 and int(fp, 16) >= 0
    assert fp == fingerprint("out-of-memory", "ttnn.matmul", "need 8192 B   at 0xdead")
    assert fp != fingerprint("out-of-memory", "ttnn.conv2d", "need 4096 B at 0x10")
    assert fp != fingerprint("cb-exceeds-l1", "ttnn.matmul", "need 4096 B at 0x10")


# -- SARIF ---------------------------------------------------------------------------------------------
def test_sarif_validates_and_points_at_the_failures(logs):
    r = run(logs, "--format", "sarif")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    if SARIF_SCHEMA.is_file():
        import jsonschema

        schema = json.loads(SARIF_SCHEMA.read_text())
        jsonschema.validators.validator_for(schema)(schema).validate(doc)
    assert doc["version"] == "2.1.0"
    (sarif_run,) = doc["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "ttdiag" and driver["version"]
    rules = driver["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    assert all(r["shortDescription"]["text"] and r["fullDescription"]["text"] and r["help"]["text"] for r in rules)
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in rules}
    assert levels["cb-exceeds-l1"] == "error" and levels["cb-exceeds-l1-bank"] == "warning"
    results = sarif_run["results"]
    assert len(results) == 2
    got = {(x["ruleId"], x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            x["locations"][0]["physicalLocation"]["region"]["startLine"]) for x in results}
    assert got == {("cb-exceeds-l1", f"logs/{CB}", 43), ("reshape-invalid", f"logs/{RESHAPE}", 80)}
    for x in results:
        assert rules[x["ruleIndex"]]["id"] == x["ruleId"]
        assert x["level"] == "error"
        assert len(x["partialFingerprints"]["ttdiagFingerprint/v1"]) == 16
    cb = next(x for x in results if x["ruleId"] == "cb-exceeds-l1")
    assert cb["message"]["text"] == (f"cb-exceeds-l1: {CB_MESSAGE} [op %9 ttnn.to_layout in program 'main' "
                                     f"(line 42)]")
    assert cb["partialFingerprints"]["ttdiagFingerprint/v1"] == fingerprint("cb-exceeds-l1", "ttnn.to_layout",
                                                                            CB_MESSAGE)
    assert cb["properties"]["figures"]["l1_limit_bytes"] == 1_499_136 and cb["properties"]["op"]["id"] == "%9"
    assert sarif_run["invocations"][0]["executionSuccessful"] is True


def test_sarif_marks_baselined_results_suppressed(logs):
    run(logs, "--write-baseline", "b.json")
    doc = json.loads(run(logs, "--format", "sarif", "--baseline", "b.json").stdout)
    assert [x["suppressions"][0]["kind"] for x in doc["runs"][0]["results"]] == ["external", "external"]


# -- JUnit ---------------------------------------------------------------------------------------------
def test_junit_validates_and_round_trips(logs):
    import xmlschema
    from junitparser import Failure, JUnitXml

    r = run(logs, "--format", "junit")
    assert r.exit_code == 1
    Path("out.xml").write_text(r.stdout)
    xmlschema.XMLSchema(str(DATA / "junit.xsd")).validate("out.xml")
    xml = JUnitXml.fromfile("out.xml")
    (suite,) = list(xml)
    assert (suite.name, suite.tests, suite.failures, suite.errors, suite.skipped) == ("ttdiag.gate", 3, 2, 0, 0)
    cases = {c.name: c for c in suite}
    assert set(cases) == {f"logs/{CB}", f"logs/{RESHAPE}", f"logs/{PASS}"}
    assert all(c.classname == "ttdiag.gate" for c in cases.values())
    assert cases[f"logs/{PASS}"].is_passed
    (fail,) = cases[f"logs/{CB}"].result
    assert isinstance(fail, Failure)
    assert fail.type == "cb-exceeds-l1" and fail.message == f"cb-exceeds-l1: {CB_MESSAGE}"
    assert fail.text.startswith("line 43: cb-exceeds-l1: Statically allocated")
    (fail,) = cases[f"logs/{RESHAPE}"].result
    assert fail.type == "reshape-invalid" and fail.message == "reshape-invalid: Invalid arguments to reshape"


def test_junit_unreadable_log_is_an_error_case(logs):
    import xmlschema
    from junitparser import Error, JUnitXml

    os.symlink("missing-target.log", logs / "broken.log")
    r = run(logs, "--format", "junit")
    assert r.exit_code == 2
    xmlschema.XMLSchema(str(DATA / "junit.xsd")).validate(r.stdout)
    (suite,) = list(JUnitXml.fromstring(r.stdout.encode()))
    assert (suite.tests, suite.failures, suite.errors) == (4, 2, 1)
    (err,) = {c.name: c for c in suite}["logs/broken.log"].result
    assert isinstance(err, Error) and "no such file" in err.message


def test_junit_baselined_failures_pass_and_control_bytes_are_replaced(tmp_path, monkeypatch):
    import xmlschema
    from junitparser import JUnitXml

    monkeypatch.chdir(tmp_path)
    text = (DATA / "percent_error.log").read_text().replace("cache", "cache\x07\x1b")
    Path("bell.log").write_text(text)
    assert run("bell.log", "--write-baseline", "b.json").exit_code == 1
    r = run("bell.log", "--format", "junit", "--baseline", "b.json")
    assert r.exit_code == 0
    xmlschema.XMLSchema(str(DATA / "junit.xsd")).validate(r.stdout)
    (suite,) = list(JUnitXml.fromstring(r.stdout.encode()))
    (case,) = list(suite)
    assert case.is_passed and "suppressed" in case.system_out and "\ufffd" in case.system_out


# -- GitHub annotations --------------------------------------------------------------------------------
def test_github_escaping_exact(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(DATA / "percent_error.log", "run,1:a.log")
    r = run("run,1:a.log", "--format", "github")
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [
        "::error file=run%2C1%3Aa.log,line=4,title=exception::RuntimeError: cache 50%25 full, limit: 90%25",
        "ttdiag gate: 1 log(s): 0 passed, 1 failed, 0 error(s); 1 failure(s), 0 suppressed",
    ]


def test_github_escape_functions():
    assert escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert escape_property("dir,1:x%.log\n") == "dir%2C1%3Ax%25.log%0A"


def test_github_annotations_capped(logs):
    r = run(logs, "--format", "github", "--max-annotations", "1")
    lines = r.stdout.splitlines()
    assert lines[0] == (f"::error file=logs/{RESHAPE},line=80,title=reshape-invalid::Invalid arguments to reshape "
                        f"(op %255 ttnn.reshape in program 'main' (line 79))")
    assert lines[1:] == ["ttdiag gate: 1 more annotation(s) not shown (--max-annotations 1)",
                         "ttdiag gate: 3 log(s): 1 passed, 2 failed, 0 error(s); 2 failure(s), 0 suppressed"]


def test_github_warning_level(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(DATA / "cb_bank_warning.log", "w.log")
    r = run("w.log", "--format", "github")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[0] == ("::warning file=w.log,line=1,title=cb-exceeds-l1-bank::Circular buffer size "
                                        "104448 B exceeds allocated L1 buffer bank size of 90304 B")


# -- markdown ------------------------------------------------------------------------------------------
def test_markdown_summary_has_tables(logs):
    r = run(logs, "--format", "markdown")
    assert r.exit_code == 1
    md = r.stdout
    lines = md.splitlines()
    assert lines[0] == "## ttdiag gate: failed"
    assert "**3** log(s): **1** passed, **2** failed, **0** unreadable." in md
    header = next(ln for ln in lines if ln.startswith("| kind") and "log:line" in ln)
    assert [c.strip() for c in header.strip("|").split("|")] == ["kind", "severity", "op", "log:line", "message"]
    row = next(ln for ln in lines if ln.startswith("| cb-exceeds-l1") and "log:line" not in ln and "9990400" in ln)
    assert r"logs/mochi\_replicate\_pad\_cb\_overflow.log:43" in row
    assert r"\[(x=7,y=6) - (x=7,y=6)\]" in row  # markdown punctuation escaped
    assert "### Failures by kind, op and source location" in md
    aggregate = md.split("### Failures by kind, op and source location", 1)[1].splitlines()
    agg = next(ln for ln in aggregate if ln.startswith("| reshape-invalid"))
    assert [c.strip() for c in agg.strip("|").split("|")] == [
        "reshape-invalid", "ttnn.reshape", r"decoder.block\_in.resnets.0.norm2.norm\_layer", "1", "0", "1",
        r"logs/mochi\_constpad\_conv1\_norm2\_reshape\_fail.log:80"]


# -- inputs ----------------------------------------------------------------------------------------------
def test_gzip_and_directory_recursion(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    nested = Path("runs/nightly")
    nested.mkdir(parents=True)
    (nested / f"{CB}.gz").write_bytes(gzip.compress((SAMPLES / CB).read_bytes()))
    shutil.copy(SAMPLES / PASS, nested / "pass.txt")
    (nested / "notes.json").write_text("{}")  # not a log name: skipped
    code, obj = gate_json("runs")
    assert code == 1
    assert [log["path"] for log in obj["logs"]] == [f"runs/nightly/{CB}.gz", "runs/nightly/pass.txt"]
    assert _failures(obj) == {(f"runs/nightly/{CB}.gz", "cb-exceeds-l1", 43)}


def test_glob_input(logs):
    code, obj = gate_json("logs/*_fail.log")
    assert code == 1 and [log["path"] for log in obj["logs"]] == [f"logs/{RESHAPE}"]


def test_stdin_input():
    code, obj = gate_json("-", input=(SAMPLES / CB).read_bytes())
    assert code == 1
    assert _failures(obj) == {("-", "cb-exceeds-l1", 43)}


def test_stdin_input_with_budget():
    code, obj = gate_json("-", "--max-padding-ratio", "5", input=(SAMPLES / CB).read_bytes())
    assert code == 1 and any(v["kind"] == "padding-budget" and v["path"] == "-" for v in obj["budget_violations"])


def test_missing_file_is_a_one_line_error(logs):
    r = run(logs / CB, "logs/nope.log")
    assert r.exit_code == 2 and r.stdout == ""
    (line,) = r.stderr.strip().splitlines()
    assert "logs/nope.log: no such file" in line


def test_glob_without_match_is_an_error(logs):
    r = run("logs/*.nothing")
    assert r.exit_code == 2 and "no file matches" in r.stderr


def test_unreadable_log_in_a_directory_reports_the_others(logs):
    os.symlink("missing-target.log", logs / "broken.log")
    code, obj = gate_json(logs)
    assert code == 2
    status = {log["path"]: log["status"] for log in obj["logs"]}
    assert status["logs/broken.log"] == "error" and status[f"logs/{CB}"] == "failed"
    assert obj["summary"]["errors"] == 1 and obj["summary"]["failed"] == 2


def test_bad_usage_exits_2(logs):
    assert run(logs, "--format", "xml").exit_code == 2
    assert run(logs, "--fail-on", "info").exit_code == 2
    r = run(logs, "--arch", "nope")
    assert r.exit_code == 2 and "unknown arch" in r.stderr


# -- severities ------------------------------------------------------------------------------------------
def test_fail_on_warning(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(DATA / "cb_bank_warning.log", "w.log")
    code, obj = gate_json("w.log")
    assert code == 0
    (f,) = obj["logs"][0]["failures"]
    assert (f["kind"], f["severity"], f["line"], f["gating"]) == ("cb-exceeds-l1-bank", "warning", 1, False)
    assert f["figures"] == {"cb_bytes": 104448, "bank_bytes": 90304}
    assert obj["logs"][0]["status"] == "warning"  # a warning below --fail-on: not plainly passed
    code, obj = gate_json("w.log", "--fail-on", "warning")
    assert code == 1 and obj["logs"][0]["status"] == "failed" and obj["summary"]["gating"] == 1


# -- budgets ---------------------------------------------------------------------------------------------
def test_padding_budget_flags_the_wide_tile_tensor(logs):
    code, obj = gate_json(logs / CB, "--max-padding-ratio", "5")
    assert code == 1
    pads = [v for v in obj["budget_violations"] if v["kind"] == "padding-budget"]
    wide = next(v for v in pads if v["figures"]["logical_shape"] == [4, 4_884_480])
    assert wide["figures"]["padding_ratio"] == 8.0
    assert wide["figures"]["physical_shape"] == [32, 4_884_480] and wide["figures"]["tiled"] is True
    assert (wide["line"], wide["op"]["id"], wide["op"]["name"]) == (40, "%8", "ttnn.reshape")
    assert all(v["figures"]["padding_ratio"] > 5 for v in pads)
    log_kinds = [f["kind"] for f in obj["logs"][0]["failures"]]
    assert log_kinds[0] == "cb-exceeds-l1" and log_kinds.count("padding-budget") == len(pads)
    code, obj = gate_json(logs / CB, "--max-padding-ratio", "40")
    assert obj["budget_violations"] == []


_SCALAR = ("tensor<1x1x1x1xbf16, #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 * 32 + d1 * 32 + d2, d3), <1x1>, "
           "memref<1x1x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>>")
_ROWS_33 = ("tensor<1x1x33x4096xbf16, #ttnn.ttnn_layout<(d0, d1, d2, d3) -> (d0 * 64 + d1 * 64 + d2, d3), <1x1>, "
            "memref<2x128x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>>")


def test_padding_budget_skips_a_scalar_and_flags_wasted_bytes(tmp_path, monkeypatch):
    # [1, 1, 1, 1] bf16 TILE pads to [1, 1, 32, 32]: 1,024 elements for 1 (ratio 1024), one 2,048 B tile
    # holding 2 B: 2,046 B wasted, under the 64 KiB floor. [1, 1, 33, 4096] pads to [1, 1, 64, 4096]:
    # physical [64, 4096] = 262,144 elements for 33 * 4096 = 135,168 (ratio 1.94), 2 x 128 = 256 tiles
    # = 524,288 B, of which (64 - 33) * 4096 * 2 = 253,952 B are padding.
    monkeypatch.chdir(tmp_path)
    Path("pad.log").write_text(
        "2025-12-31 16:11:27.918 | info     |          Device | Opening user mode device driver (tt_cluster.cpp:191)\n"
        "            RuntimeTTNN |    DEBUG | Starting execution of program: main\n"
        "            RuntimeTTNN |    DEBUG | Executing operation: %0 = \"ttnn.multiply\"(%arg0, %arg1) : "
        f"({_SCALAR}, {_ROWS_33}) -> {_ROWS_33} loc(unknown)\n"
        "            RuntimeTTNN |    DEBUG | Finished execution of program: main\n")
    code, obj = gate_json("pad.log", "--max-padding-ratio", "1.5")
    assert code == 1
    got = [(v["figures"]["value"], v["figures"]["role"], v["figures"]["logical_shape"]) for v in obj["budget_violations"]]
    assert got == [("%arg1", "operand", [1, 1, 33, 4096]), ("%0", "result", [1, 1, 33, 4096])]
    f = obj["budget_violations"][1]["figures"]
    assert (f["padded_shape"], f["physical_shape"]) == ([1, 1, 64, 4096], [64, 4096])
    assert (f["physical_volume"], f["logical_volume"], f["bytes"]) == (262_144, 135_168, 524_288)
    assert (f["wasted_bytes"], f["min_wasted_bytes"]) == (253_952, 65_536)
    assert round(f["padding_ratio"], 4) == round(262_144 / 135_168, 4) == 1.9394
    assert obj["budget_violations"][1]["message"] == (
        "%0 [1, 1, 33, 4096] tile bf16 (result of ttnn.multiply): padding ratio 1.94 (physical 262,144 / "
        "logical 135,168 elements; 253,952 of 524,288 B wasted) over the budget of 1.5")
    # the README's example budget: the scalar's ratio of 1024 is far above 4, its 2,046 B are not
    code, obj = gate_json("pad.log", "--max-padding-ratio", "4")
    assert code == 0 and obj["budget_violations"] == []
    # --min-padding-bytes 0 checks every tensor: the scalar (ratio 1024, 2,046 B wasted) now fails the budget
    code, obj = gate_json("pad.log", "--max-padding-ratio", "4", "--min-padding-bytes", "0")
    got = [(v["figures"]["logical_shape"], v["figures"]["wasted_bytes"]) for v in obj["budget_violations"]]
    assert code == 1 and got == [([1, 1, 1, 1], 2_046)]


def test_l1_budget_fails_a_passing_run(logs):
    code, obj = gate_json(logs / PASS, "--max-l1-fraction", "0.078")
    assert code == 1
    got = {(v["op"]["id"], v["op"]["name"], v["line"], v["figures"]["cb_region_end_bytes"])
           for v in obj["budget_violations"]}
    assert got == {("%3", "ttnn.to_layout", 41, 119_040), ("%19", "ttnn.to_layout", 72, 119_040)}
    v = obj["budget_violations"][0]
    assert v["figures"]["l1_limit_bytes"] == 1_499_136 and v["figures"]["max_l1_fraction"] == 0.078
    assert obj["logs"][0]["status"] == "failed"
    assert gate_json(logs / PASS, "--max-l1-fraction", "0.5")[0] == 0


def test_budget_reports_an_op_repeated_over_runs_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = (SAMPLES / PASS).read_text()
    Path("twice.log").write_text(text + text)  # the same program run twice
    code, obj = gate_json("twice.log", "--max-l1-fraction", "0.078")
    assert code == 1
    assert [(v["line"], v["figures"]["occurrences"]) for v in obj["budget_violations"]] == [(41, 2), (72, 2)]


def test_budget_failures_can_be_baselined(logs):
    assert run(logs / PASS, "--max-l1-fraction", "0.078", "--write-baseline", "b.json").exit_code == 1
    code, obj = gate_json(logs / PASS, "--max-l1-fraction", "0.078", "--baseline", "b.json")
    assert code == 0 and obj["summary"]["suppressed"] == 2


# -- scale -----------------------------------------------------------------------------------------------
def test_jobs_2_matches_jobs_1(logs):
    args = (logs, "--max-padding-ratio", "5")
    code1, one = gate_json(*args, "--jobs", "1")
    code2, two = gate_json(*args, "--jobs", "2")
    assert code1 == code2 == 1
    assert _without_timings(one) == _without_timings(two)


# -- export ----------------------------------------------------------------------------------------------
def test_export_csv(logs):
    r = run(logs, "--export", "failures.csv")
    assert r.exit_code == 1
    df = pd.read_csv("failures.csv")
    assert len(df) == 2
    assert {"path", "kind", "severity", "line", "op_id", "op_name", "loc", "message", "fingerprint",
            "suppressed", "figures"} <= set(df.columns)
    row = df[df["kind"] == "cb-exceeds-l1"].iloc[0]
    assert (row["path"], int(row["line"]), row["op_id"], row["op_name"]) == (f"logs/{CB}", 43, "%9", "ttnn.to_layout")
    assert json.loads(row["figures"])["cb_region_end_bytes"] == 9_990_400


def test_export_parquet_without_pyarrow_is_a_one_line_error(logs, monkeypatch):
    monkeypatch.setattr(gate_export, "pyarrow_available", lambda: False)
    r = run(logs, "--export", "failures.parquet")
    assert r.exit_code == 2 and r.stdout == ""
    (line,) = r.stderr.strip().splitlines()
    assert "pip install ttdiag[parquet]" in line
    assert not Path("failures.parquet").exists()


def test_export_parquet(logs):
    pytest.importorskip("pyarrow")
    assert run(logs, "--export", "failures.parquet").exit_code == 1
    df = pd.read_parquet("failures.parquet")
    assert sorted(df["kind"]) == ["cb-exceeds-l1", "reshape-invalid"]


def test_export_unknown_suffix_is_a_usage_error(logs):
    r = run(logs, "--export", "failures.xlsx")
    assert r.exit_code == 2 and ".csv or .parquet" in r.stderr


def test_sarif_of_real_world_logs_carries_each_failures_component(tmp_path, monkeypatch):
    # every format family of tests/data/real_world: one rule per kind, the component as a property
    src = Path(__file__).parent / "data" / "real_world"
    monkeypatch.chdir(tmp_path)
    r = run(str(src), "--format", "sarif")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    if SARIF_SCHEMA.is_file():
        import jsonschema

        schema = json.loads(SARIF_SCHEMA.read_text())
        jsonschema.validators.validator_for(schema)(schema).validate(doc)
    results = doc["runs"][0]["results"]
    assert len(results) == len(list(src.glob("*.log")))
    by_log = {x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1]: x
              for x in results}
    umd = by_log["umd_open.log"]
    assert (umd["ruleId"], umd["properties"]["component"]) == ("device-error", "umd")
    frames = by_log["runtime_frames.log"]
    assert frames["properties"]["component"] == "ttnn"
    assert frames["properties"]["op"]["name"] == "ttnn.linear"
    assert frames["properties"]["op"]["source"] == "backtrace"
    assert all(x["properties"]["componentEvidence"] for x in results)


def test_json_failures_carry_their_component(tmp_path, monkeypatch):
    src = Path(__file__).parent / "data" / "real_world"
    monkeypatch.chdir(tmp_path)
    doc = json.loads(run(str(src / "umd_open.log"), str(src / "runtime_frames.log"), "--format", "json").stdout)
    comps = {log["path"].rsplit("/", 1)[-1]: log["failures"][0]["component"] for log in doc["logs"]}
    assert comps == {"umd_open.log": "umd", "runtime_frames.log": "ttnn"}
    assert all(log["failures"][0]["component_evidence"] for log in doc["logs"])
