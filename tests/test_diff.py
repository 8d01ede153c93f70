"""``ttdiag diff``: alignment by structure, first divergence, outcomes, seed 002's upstream story."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from ttdiag.cli import app

runner = CliRunner()


def _diff(a: str, b: str, *extra: str):
    r = runner.invoke(app, ["diff", a, b, "--format", "json", *extra])
    return r.exit_code, json.loads(r.stdout)


def test_seed_002_identical_ir_only_one_side_fails(sample):
    code, d = _diff(sample("mochi_norm2_only_pass.log"), sample("mochi_constpad_conv1_norm2_reshape_fail.log"))
    assert code == 1
    assert d["ir_identical"] is True and d["first_divergence"] is None
    assert d["outcome"] == {"a": "passed", "b": "reshape-invalid"}
    assert d["sides"]["b"]["op"] == {"id": "%5", "name": "ttnn.reshape", "program": "main", "line": 79}
    assert "only B fails" in d["verdict"] and "%10 ttnn.conv3d (line 49)" in d["verdict"]
    assert "not from a fresh host tensor" in d["verdict"]
    assert d["upstream"][0].startswith("only B ran program 'main' (line 16") and "ttnn.conv3d" in d["upstream"][0]
    statuses = [x["status"] for x in d["aligned_ops"]]
    assert statuses.count("equal") == 13 and statuses.count("not-executed") == 29
    eq = next(x for x in d["aligned_ops"] if x["status"] == "equal" and x["a"]["id"] == "%5")
    assert (eq["a"]["line"], eq["b"]["line"]) == (44, 79)


def test_same_log_is_identical_and_exits_0(sample):
    code, d = _diff(sample("mochi_norm2_only_pass.log"), sample("mochi_norm2_only_pass.log"))
    assert code == 0 and d["ir_identical"] and d["first_divergence"] is None and d["upstream"] == []


def test_renumbered_ssa_values_still_align(sample, tmp_path):
    text = open(sample("mochi_norm2_only_pass.log"), encoding="utf-8").read()
    shifted = re.sub(r"%(\d+)", lambda m: f"%{int(m.group(1)) + 100}", text)
    p = tmp_path / "shifted.log"
    p.write_text(shifted, encoding="utf-8")
    code, d = _diff(sample("mochi_norm2_only_pass.log"), str(p))
    assert code == 0 and d["ir_identical"] is True


def test_changed_attribute_and_layout_field(sample, tmp_path):
    text = open(sample("mochi_norm2_only_pass.log"), encoding="utf-8").read()
    p = tmp_path / "perm.log"
    p.write_text(text.replace("permutation = array<i64: 0, 2, 1, 3, 4>", "permutation = array<i64: 0, 2, 1, 4, 3>", 1),
                 encoding="utf-8")
    code, d = _diff(sample("mochi_norm2_only_pass.log"), str(p))
    fd = d["first_divergence"]
    assert code == 1 and d["ir_identical"] is False
    assert fd["field"] == "attribute permutation" and fd["a"]["id"] == fd["b"]["id"] == "%4"
    assert fd["detail"] == "array<i64: 0, 2, 1, 3, 4> -> array<i64: 0, 2, 1, 4, 3>"
    lines = text.splitlines(True)
    i = next(k for k, ln in enumerate(lines) if '%4 = "ttnn.permute"' in ln)
    lines[i] = lines[i].replace("memref<6144x4x!ttcore.tile", "memref<6144x5x!ttcore.tile")
    q = tmp_path / "memref.log"
    q.write_text("".join(lines), encoding="utf-8")
    code, d = _diff(sample("mochi_norm2_only_pass.log"), str(q))
    assert d["first_divergence"]["field"].endswith("layout memref_shape")
    assert d["first_divergence"]["detail"] == "(6144, 4) -> (6144, 5)"


def test_unified_diff_and_text(sample):
    r = runner.invoke(app, ["diff", sample("mochi_norm2_only_pass.log"),
                            sample("mochi_constpad_conv1_norm2_reshape_fail.log"), "--format", "diff"])
    assert r.stdout.startswith("--- ") and '+%10 = "ttnn.conv3d"' in r.stdout
    r = runner.invoke(app, ["diff", sample("mochi_norm2_only_pass.log"),
                            sample("mochi_constpad_conv1_norm2_reshape_fail.log")])
    assert "reshape-invalid" in r.stdout and "not-executed" in r.stdout


def test_dump_against_log_has_no_outcome(sample, tmp_path):
    # a dump never ran: its outcome is null in JSON and n/a in text, never "passed"
    out = tmp_path / "r.mlir"
    runner.invoke(app, ["repro", sample("mochi_replicate_pad_cb_overflow.log"), "-o", str(out)])
    code, d = _diff(str(out), sample("mochi_replicate_pad_cb_overflow.log"))
    assert d["outcome"] == {"a": None, "b": "cb-exceeds-l1"}
    assert (d["sides"]["a"]["input_kind"], d["sides"]["a"]["outcome"]) == ("dump", None)
    r = runner.invoke(app, ["diff", str(out), sample("mochi_replicate_pad_cb_overflow.log")])
    lines = r.stdout.splitlines()
    assert lines[0] == f"A: {out} (dump): n/a (a dump never ran)"
    assert lines[1] == f"B: {sample('mochi_replicate_pad_cb_overflow.log')} (log): cb-exceeds-l1"
    assert "passed" not in r.stdout


def test_two_identical_dumps_have_nothing_to_compare_but_ir(sample, tmp_path):
    out = tmp_path / "r.mlir"
    runner.invoke(app, ["repro", sample("mochi_replicate_pad_cb_overflow.log"), "-o", str(out)])
    code, d = _diff(str(out), str(out))
    assert code == 0 and d["ir_identical"] is True and d["outcome"] == {"a": None, "b": None}
    assert d["verdict"] == ("The IR is identical. Both inputs are dumps: neither ran, so there is no outcome "
                            "to compare.")


def test_missing_input_is_exit_2(sample):
    r = runner.invoke(app, ["diff", sample("mochi_norm2_only_pass.log"), "/nonexistent.log"])
    assert r.exit_code == 2 and "no such file" in r.stderr


def test_a_dump_matches_the_log_that_ran_it(sample, tmp_path):
    # the runtime logs no 'return' (a flatbuffer program lists its outputs): the dump's return is no divergence
    out = tmp_path / "r.mlir"
    runner.invoke(app, ["repro", sample("mochi_replicate_pad_cb_overflow.log"), "-o", str(out)])
    op = next(ln.strip() for ln in out.read_text().splitlines() if '"ttnn.to_layout"' in ln)
    run = ["            RuntimeTTNN |    DEBUG | Starting execution of program: main",
           "            RuntimeTTNN |    DEBUG | Executing operation: " + op]
    passed = tmp_path / "pass.log"
    passed.write_text("\n".join([*run, "            RuntimeTTNN |    DEBUG | Finished execution of program: main", ""]))
    code, d = _diff(str(out), str(passed))
    assert code == 0 and d["ir_identical"] is True and d["first_divergence"] is None
    assert [x["status"] for x in d["aligned_ops"]] == ["equal"]
    assert d["verdict"] == "The IR is identical where both have ops; A is a dump, which never ran, and B passes."
    failed = tmp_path / "fail.log"
    failed.write_text("\n".join([*run, "2025-12-31 16:11:36.007 | critical |          Always | TT_THROW: Statically "
                                 "allocated circular buffers on core range [(x=7,y=6) - (x=7,y=6)] grow to 9990400 B "
                                 "which is beyond max L1 size of 1499136 B (assert.hpp:103)", ""]))
    code, d = _diff(str(failed), str(out))
    assert code == 0 and d["outcome"] == {"a": "cb-exceeds-l1", "b": None}
    assert d["verdict"] == ("The IR is identical where both have ops; B is a dump, which never ran, and A fails "
                            "(cb-exceeds-l1 at %9 ttnn.to_layout (line 2)).")
