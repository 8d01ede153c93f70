"""The command line: JSON contracts, exit codes, and bad input (never a traceback, never a hang)."""

from __future__ import annotations

import gzip
import json
import os
import random
import stat

import pytest
from typer.testing import CliRunner

from ttdiag.cli import app

runner = CliRunner()

TRIAGE_KEYS = {"schema", "source", "programs", "warnings", "failures"}
FAILURE_KEYS = {"kind", "severity", "message", "line", "figures", "op"}
OP_KEYS = {"id", "name", "program", "loc", "line"}


def run(*args, input=None):
    result = runner.invoke(app, list(args), input=input)
    # a clean exit is SystemExit/typer.Exit; any other exception is a traceback in the making
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"uncaught {result.exception!r}") from result.exception
    return result


def test_triage_json_contract_and_exit_code(sample):
    r = run("triage", sample("mochi_replicate_pad_cb_overflow.log"), "--format", "json")
    assert r.exit_code == 1
    obj = json.loads(r.stdout)
    assert TRIAGE_KEYS <= obj.keys()
    assert obj["schema"] == "ttdiag.triage/1"
    (f,) = obj["failures"]
    assert FAILURE_KEYS <= f.keys()
    assert OP_KEYS <= f["op"].keys()
    assert (f["kind"], f["line"], f["op"]["id"], f["op"]["name"], f["op"]["program"], f["op"]["line"]) == (
        "cb-exceeds-l1", 43, "%9", "ttnn.to_layout", "main", 42)
    assert f["figures"]["cb_region_end_bytes"] == 9_990_400
    assert f["op"]["loc"]["aten_op"] == "aten::index"
    tensors = {t["value"]: t for t in f["tensors"]}
    assert tensors["%8"]["physical_shape"] == [32, 4_884_480] and tensors["%8"]["tiles"] == 152_640


def test_triage_passing_log_exits_0(sample):
    r = run("triage", sample("mochi_norm2_only_pass.log"), "--format", "json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["failures"] == []


def test_triage_text_report_names_op_and_figures(sample):
    r = run("triage", sample("mochi_replicate_pad_cb_overflow.log"))
    assert r.exit_code == 1
    out = r.stdout
    assert "cb-exceeds-l1" in out and "%9 ttnn.to_layout" in out
    assert "9,990,400 B" in out and "6.66x the 1,499,136 B" in out
    assert "Failure 1" in out and "Failure 2" not in out  # the advice list must not renumber the panel


def test_inspect_json_contract(sample):
    r = run("inspect", sample("mochi_replicate_pad_cb_overflow.log"), "--format", "json")
    assert r.exit_code == 0
    obj = json.loads(r.stdout)
    assert obj["input_kind"] == "log"
    assert {"id", "name", "program", "operands", "results"} <= obj["ops"][0].keys()
    keys = {"type", "logical_shape", "padded_shape", "physical_shape", "physical_volume", "tiles", "bytes",
            "memref_declared", "memref_computed", "memref_matches"}
    assert all(keys <= t.keys() for t in obj["tensors"])
    t8 = next(t for t in obj["tensors"] if t["value"] == "%8" and t["program"] == "main")
    assert t8["memref_declared"] == t8["memref_computed"] == [1, 152_640]


def test_inspect_dump(tmp_path):
    p = tmp_path / "d.mlir"
    p.write_text('#dram = #ttnn.buffer_type<dram>\n'
                 '#l = #ttnn.ttnn_layout<(d0, d1, d2, d3, d4) -> (d0 * 196608 + d1 * 49152 + d2 * 64 + d3, d4), '
                 '<1x1>, memref<6144x4x!ttcore.tile<32x32, bf16>, #dram>, <interleaved>>\n'
                 'module {\n  func.func @main(%arg0: tensor<1x4x768x60x106xbf16, #l>) -> tensor<1x4x768x60x106xbf16, #l> {\n'
                 '    return %arg0 : tensor<1x4x768x60x106xbf16, #l>\n  }\n}\n')
    r = run("inspect", str(p), "--format", "json")
    assert r.exit_code == 0
    obj = json.loads(r.stdout)
    (t,) = obj["tensors"]
    assert t["physical_shape"] == [196_608, 128] and t["tiles"] == 24_576 and t["memref_matches"] is True


# ---- bad input -----------------------------------------------------------------------------

def test_missing_file_is_a_one_line_error():
    r = run("triage", "/nonexistent/x.log")
    assert r.exit_code == 2
    assert "no such file" in r.stderr and "Traceback" not in r.stderr


def test_directory_is_rejected():
    r = run("triage", os.path.dirname(__file__))
    assert r.exit_code == 2 and "directory" in r.stderr


def test_unknown_arch_is_usage_error(sample):
    r = run("triage", sample("mochi_norm2_only_pass.log"), "--arch", "quasar9")
    assert r.exit_code == 2 and "unknown arch" in r.stderr


def test_bad_format_is_usage_error(sample):
    r = run("triage", sample("mochi_norm2_only_pass.log"), "--format", "xml")
    assert r.exit_code == 2


def test_empty_file(tmp_path):
    p = tmp_path / "empty.log"
    p.write_bytes(b"")
    r = run("triage", str(p), "--format", "json")
    assert r.exit_code == 0
    assert "input is empty" in json.loads(r.stdout)["warnings"]


def test_truncated_mid_op_line_gives_partial_result(sample, tmp_path):
    text = open(sample("mochi_replicate_pad_cb_overflow.log"), encoding="utf-8").read()
    cut = text.index('%9 = "ttnn.to_layout"') + 60  # cut inside the failing op line
    p = tmp_path / "cut.log"
    p.write_text(text[:cut], encoding="utf-8")
    r = run("triage", str(p), "--format", "json")
    assert r.exit_code == 0
    obj = json.loads(r.stdout)
    assert obj["failures"] == []
    assert any("mid-line" in w for w in obj["warnings"])
    assert any("never finished" in w for w in obj["warnings"])


def test_truncated_after_failure_keeps_failure_and_partial_op(sample, tmp_path):
    lines = open(sample("mochi_replicate_pad_cb_overflow.log"), encoding="utf-8").read().splitlines(True)
    # keep up to the critical line, and cut the failing op line in half
    lines = lines[:43]
    lines[41] = lines[41][:300] + "\n"
    p = tmp_path / "cut2.log"
    p.write_text("".join(lines), encoding="utf-8")
    r = run("triage", str(p), "--format", "json")
    assert r.exit_code == 1
    (f,) = json.loads(r.stdout)["failures"]
    assert f["kind"] == "cb-exceeds-l1" and f["op"]["id"] == "%9" and f["op"]["name"] == "ttnn.to_layout"
    assert "does not parse" in f["op"]["parse_error"]


def test_binary_garbage(tmp_path):
    rnd = random.Random(1)
    p = tmp_path / "garbage.bin"
    p.write_bytes(bytes(rnd.randrange(256) for _ in range(200_000)))
    r = run("triage", str(p), "--format", "json")
    assert r.exit_code in (0, 1)
    assert any("binary" in w for w in json.loads(r.stdout)["warnings"])


def test_non_utf8_ansi_crlf_and_gzip(sample, tmp_path):
    text = open(sample("mochi_replicate_pad_cb_overflow.log"), encoding="utf-8").read()
    mangled = text.replace("critical", "\x1b[1;31mcritical\x1b[0m").replace("\n", "\r\n").encode("utf-8")
    mangled = b"\xff\xfe latin-1 junk \xe9\r\n" + mangled
    p = tmp_path / "m.log.gz"
    p.write_bytes(gzip.compress(mangled))
    r = run("triage", str(p), "--format", "json")
    assert r.exit_code == 1
    obj = json.loads(r.stdout)
    (f,) = obj["failures"]
    # one line was prepended
    assert f["kind"] == "cb-exceeds-l1" and f["line"] == 44 and f["op"]["id"] == "%9"
    assert f["figures"]["core_range"] == [[7, 6], [7, 6]]
    assert any("UTF-8" in w for w in obj["warnings"])


def test_stdin(sample):
    data = open(sample("mochi_constpad_conv1_norm2_reshape_fail.log"), encoding="utf-8").read()
    r = run("triage", "-", "--format", "json", input=data)
    assert r.exit_code == 1
    assert json.loads(r.stdout)["failures"][0]["kind"] == "reshape-invalid"


def test_ten_megabyte_single_line(tmp_path):
    p = tmp_path / "long.log"
    p.write_bytes(b"x" * 10_000_000 + b"\n" + b"2025-12-31 16:11:36.007 | critical |          Always | "
                  b"TT_THROW: Statically allocated circular buffers on core range [(x=0,y=0) - (x=0,y=0)] grow to "
                  b"2000000 B which is beyond max L1 size of 1499136 B (assert.hpp:103)\n")
    r = run("triage", str(p), "--format", "json")
    assert r.exit_code == 1
    obj = json.loads(r.stdout)
    assert obj["failures"][0]["figures"]["cb_region_end_bytes"] == 2_000_000
    assert obj["failures"][0]["line"] == 2
    assert any("longer than" in w for w in obj["warnings"])


def test_unknown_ops_and_dialects_in_a_log(tmp_path):
    p = tmp_path / "u.log"
    p.write_text(
        "            RuntimeTTNN |    DEBUG | Starting execution of program: main\n"
        '            RuntimeTTNN |    DEBUG | Executing operation: %0 = "acme.mystery"(%arg0) <{k = #acme.knob<7, [a]>}>'
        " : (!acme.blob<1>) -> tensor<32x32xbf16, #acme.layout<?>> loc(unknown)\n"
        "2025-12-31 16:11:36.007 | critical |          Always | TT_FATAL: something odd (assert.hpp:103)\n",
        encoding="utf-8")
    r = run("triage", str(p), "--format", "json")
    assert r.exit_code == 1
    (f,) = json.loads(r.stdout)["failures"]
    assert f["kind"] == "assertion" and f["op"]["name"] == "acme.mystery" and f["op"]["id"] == "%0"
    assert f["tensors"][0]["layout"] is None


def test_input_is_never_written(sample, tmp_path):
    import shutil

    p = tmp_path / "ro.log"
    shutil.copy(sample("mochi_replicate_pad_cb_overflow.log"), p)
    before = p.read_bytes()
    os.chmod(p, stat.S_IRUSR)
    try:
        run("triage", str(p), "--format", "json")
        run("inspect", str(p), "--format", "json")
    finally:
        os.chmod(p, stat.S_IRUSR | stat.S_IWUSR)
    assert p.read_bytes() == before


@pytest.mark.parametrize("garbage", [b"%0 = \"ttnn.x\"(((((((", b"{{{{{{{{{{" * 1000, b"module {\n" * 500, b"\x00" * 5000])
def test_inspect_on_garbage_dumps_never_raises(tmp_path, garbage):
    p = tmp_path / "g.mlir"
    p.write_bytes(garbage)
    r = run("inspect", str(p), "--format", "json", "--kind", "dump")
    assert r.exit_code == 0
    json.loads(r.stdout)
