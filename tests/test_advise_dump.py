"""``ttdiag triage LOG --ir DUMP``: advice also reads the failing program's ops in a TTNN MLIR dump of the same
module (ops after the failing op never ran, so the log cannot show them), cites them as dump lines, and says
so in a note when the dump does not match (issue: advice that holds for any model).

The dump is tests/data/dump/mochi_replicate_pad.mlir (written for these tests; its header says what it is
modelled on). Its lines, counted by hand: 20 main_const_eval_0, 28 main_const_eval_1, 34 func main, 35-43
the log's op lines of main (%0 ... %9, the failing to_layout at 43), 44 %10 ttnn.constant (the indices
[[0], [0], [0], [1], [2], [3]]), 45 %11 ttnn.embedding -> [6, 1, 4884480], 48 %12 reshape, 50 %13 permute,
52 %14 permute to channels-last, 54 %15 ttnn.conv3d (kernel 3x3x3, stride 1, padding [0, 1, 1], 768 -> 768).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from ttdiag.advise import advise
from ttdiag.advise.dump import load_dump
from ttdiag.analyze.triage import triage
from ttdiag.cli import app

ROOT = Path(__file__).resolve().parent.parent
LOG = str(ROOT / "sample_logs" / "mochi_replicate_pad_cb_overflow.log")
DUMP = ROOT / "tests" / "data" / "dump" / "mochi_replicate_pad.mlir"


def _run(log: str = LOG, dump: Path | None = DUMP, **kw):
    r = triage(log)
    if dump is None:
        advise(r, **kw)
    else:
        advise(r, dump=load_dump(str(dump)), dump_path=str(dump), **kw)
    return r.failures[0]


def _by_rule(fr):
    return {a.rule: a for a in fr.advice}


def _claims(fr):
    return [(a.rule, a.title, [x.to_json() for x in a.assumptions], a.rewrite, a.verification.to_json())
            for a in fr.advice]


def test_fixture_lines_are_the_ones_the_expectations_count():
    lines = DUMP.read_text().splitlines()
    assert lines[42].lstrip().startswith('%9 = "ttnn.to_layout"(%8) <{layout = #ttnn.layout<row_major>}>')
    assert lines[43].lstrip().startswith('%10 = "ttnn.constant"(%5)')
    assert "dense<[[0], [0], [0], [1], [2], [3]]>" in lines[43]
    assert lines[44].lstrip().startswith('%11 = "ttnn.embedding"(%10, %9)')
    assert lines[53].lstrip().startswith('%15 = "ttnn.conv3d"(%14, %0, %1, %5)')
    # the log's op lines of main are in the dump unchanged (log line 42 = dump line 43)
    log = Path(LOG).read_text().splitlines()
    assert log[41].split("Executing operation: ")[1] == lines[42].strip()


def test_pad_amounts_come_from_the_dump_and_verification_runs():
    fr = _run()
    a = _by_rule(fr)["replicate-pad-slice-concat"]
    # the embedding (dump line 45) gives [6, 1, 4884480]: 6 rows of T = 4, so 2 rows of padding in all; the
    # indices (dump line 44) [0, 0, 0, 1, 2, 3] = clamp(arange(-2, 4), 0, 3): 2 in front, 0 behind
    total = next(x for x in a.assumptions if "takes 6 rows of 4 along dim 2: 2 rows of padding" in x.claim)
    assert total.kind == "ir" and total.source == "dump line 45 (%11 ttnn.embedding)"
    split = next(x for x in a.assumptions if "repeat row 0 2 times in front and no row behind" in x.claim)
    assert split.kind == "ir" and split.source == "dump line 44 (the index ops)"
    assert "[0, 0, 0, 1, 2, 3]" in split.claim
    assert not any(x.kind == "guess" for x in a.assumptions)
    # what the log shows is still cited to the log: the permute %7 is log line 38
    perm = next(x for x in a.assumptions if "reads rows of %6 [1, 768, 4, 60, 106]" in x.claim)
    assert perm.source.startswith("log line 38 ")
    assert "(2 in front, 0 behind)" in a.title and "guessed" not in a.title
    assert "repeat_dims = #ttnn.shape<1x1x2x1x1>" in a.rewrite and '"ttnn.concat"(%front, %6)' in a.rewrite
    v = a.verification
    # the gather with the dump's indices vs slice + repeat + concat: both only move values, bitwise equal
    assert v.status == "exact" and v.inputs_seed == 0 and v.pcc == 1.0
    # 768 channels > 8: the default instance cuts dim 1 to 8; the indices are [1, 6]
    assert v.instance["inputs"] == {"%x": [1, 8, 4, 60, 106], "%g_idx": [1, 6]} and v.instance["reduced"] is True
    assert "cut from 768 to 8" in v.instance["how"]
    assert "%11, dump line 45" in v.detail
    assert not any(n.startswith("the IR dump") for n in fr.notes)  # matched: no note


def test_constant_pad_error_is_measured_on_the_dumps_conv():
    a = _by_rule(_run())["replicate-pad-constant-approx"]
    conv = next(x for x in a.assumptions if "feeds %15 ttnn.conv3d" in x.claim)
    assert conv.kind == "ir" and conv.source == "dump line 54 (%15 ttnn.conv3d)"
    assert "kernel [3, 3, 3], stride [1, 1, 1], padding [0, 1, 1], 768 -> 768 channels" in conv.claim
    v = a.verification
    assert v.status in ("approx", "failed") and v.threshold == 0.99 and 0 < v.pcc < 1
    # channels 768 -> 768 cut to 8 -> 8; spatial shape [4, 60, 106] and kernel 3x3x3 as in the IR
    assert v.instance["inputs"] == {"x": [1, 8, 4, 60, 106], "weight": [8, 8, 3, 3, 3]}
    # the rewrite pads dim 2 by (2, 0): (0,0) (0,0) (2,0) (0,0) (0,0)
    assert "padding = array<i32: 0, 0, 0, 0, 2, 0, 0, 0, 0, 0>" in a.rewrite


def test_same_log_without_the_dump_stays_not_verifiable():
    fr = _run(dump=None)
    a = _by_rule(fr)["replicate-pad-slice-concat"]
    assert a.verification.status == "not-verifiable" and "never ran" in a.verification.detail
    assert "guessed" in a.title
    assert not any(x.source.startswith("dump line") for x in a.assumptions)
    assert _by_rule(fr)["replicate-pad-constant-approx"].verification.status == "not-verifiable"


def test_context_falls_back_to_the_dump_ops():
    from ttdiag.advise import AdviceContext, l1_context
    from ttdiag.advise.dump import match_failure

    r = triage(LOG)
    fr = r.failures[0]
    matched, why = match_failure(load_dump(str(DUMP)), str(DUMP), fr, r.trace)
    assert why == "" and matched.program.name == "main" and matched.ops[matched.failing].line == 43
    ctx = AdviceContext(fr, r.trace, l1_context(r, fr), dump=matched)
    assert [o.id for o in ctx.window_ops() if o.id] == ["%0", "%1", "%5", "%6", "%7", "%8", "%9"]  # the log's
    (emb,) = [o for o in ctx.consumers("%9") if o.name != "ttnn.deallocate"]
    assert emb.id == "%11" and emb.line == 45 and ctx.where(emb) == "dump"
    assert ctx.producer("%8").line == 40 and ctx.where(ctx.producer("%8")) == "log"  # the log's line wins
    assert ctx.producer("%10").line == 44


def test_dump_without_the_program_gives_a_note_and_log_only_advice(tmp_path):
    bad = tmp_path / "renamed.mlir"
    bad.write_text(DUMP.read_text().replace("func.func @main(", "func.func @forward("))
    fr = _run(dump=bad)
    note = next(n for n in fr.notes if n.startswith("the IR dump"))
    assert "no function named 'main' (it has forward, main_const_eval_0, main_const_eval_1)" in note
    assert _claims(fr) == _claims(_run(dump=None))


def test_dump_whose_op_matches_only_by_loc_is_not_used(tmp_path):
    # %9 renamed %99 in the dump: same loc and op, other SSA names: values cannot be looked up by the log's names
    bad = tmp_path / "renumbered.mlir"
    bad.write_text(DUMP.read_text().replace("%9 ", "%99 ").replace("%9)", "%99)"))
    fr = _run(dump=bad)
    note = next(n for n in fr.notes if n.startswith("the IR dump"))
    assert "%9 ttnn.to_layout (log line 42) matches %99 ttnn.to_layout at dump line 43 by its loc only" in note
    assert _claims(fr) == _claims(_run(dump=None))


def test_garbage_ir_file_is_a_one_line_error(tmp_path):
    runner = CliRunner()
    junk = tmp_path / "junk.mlir"
    junk.write_text("this is not MLIR {{{\n")
    r = runner.invoke(app, ["triage", LOG, "--ir", str(junk)])
    assert r.exit_code == 2 and "Traceback" not in r.output
    assert r.stderr.strip().splitlines() == [f"ttdiag: error: {junk}: no function (func.func) in it: not a TTNN "
                                             "MLIR dump"]
    binary = tmp_path / "bin.mlir"
    binary.write_bytes(bytes(range(256)) * 8)
    r = runner.invoke(app, ["triage", LOG, "--ir", str(binary)])
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.output
    r = runner.invoke(app, ["triage", LOG, "--ir", str(tmp_path / "missing.mlir")])
    assert r.exit_code == 2 and len(r.stderr.strip().splitlines()) == 1


def test_cli_json_with_ir():
    r = CliRunner().invoke(app, ["triage", LOG, "--ir", str(DUMP), "--format", "json"])
    assert r.exit_code == 1, r.output
    fail = json.loads(r.stdout)["failures"][0]
    a = next(x for x in fail["advice"] if x["rule"] == "replicate-pad-slice-concat")
    assert a["verification"]["status"] == "exact"
    assert {x["source"] for x in a["assumptions"] if x["source"].startswith("dump")} == {
        "dump line 45 (%11 ttnn.embedding)", "dump line 44 (the index ops)"}


def test_constant_reference_reads_the_dense_value():
    from ttdiag.parse.mlir import OpLineParser
    from ttdiag.reference import Executor

    p = OpLineParser()
    op = p.parse('%0 = "ttnn.constant"() <{value = dense<[[0], [0], [3]]> : tensor<3x1xui32>}> : () -> '
                 'tensor<3x1xui32> loc(unknown)', 1)
    (out,) = Executor().run_op(op, [])
    assert out.dtype == np.uint32 and out.tolist() == [[0], [0], [3]]
    splat = p.parse('%0 = "ttnn.constant"() <{value = dense<2.5> : tensor<2xf32>}> : () -> tensor<2xf32> '
                    'loc(unknown)', 1)
    assert Executor().run_op(splat, [])[0].tolist() == [2.5, 2.5]
    hexed = p.parse('%0 = "ttnn.constant"() <{value = dense<"0x0000803F00000040"> : tensor<2xf32>}> : () -> '
                    'tensor<2xf32> loc(unknown)', 1)
    try:
        Executor().run_op(hexed, [])
    except ValueError as e:
        assert "hex-encoded" in str(e)
    else:
        raise AssertionError("a hex-encoded value must not be read as numbers")


def test_dump_of_another_compile_gives_a_note(tmp_path):
    # %9's result layout differs (f32 row-major memref): no op of 'main' has the log's result types
    bad = tmp_path / "other_types.mlir"
    text = DUMP.read_text()
    assert text.count("memref<4x4884480xbf16") == 3  # %9's result, the embedding's and the deallocate's operand
    bad.write_text(text.replace("memref<4x4884480xbf16", "memref<4x4884480xf32"))
    fr = _run(dump=bad)
    note = next(n for n in fr.notes if n.startswith("the IR dump"))
    assert note.endswith("function 'main' has no %9 ttnn.to_layout with the log's result types (log line 42)")
    assert _claims(fr) == _claims(_run(dump=None))
