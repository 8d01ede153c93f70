"""Advice rests on values read from the IR (with their line), stated guesses, or cited facts; verification
runs the original ops from the log, or says why it cannot (issue: advice that holds for any model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ttdiag.advise import advise
from ttdiag.advise.model import STATUSES
from ttdiag.analyze.triage import triage

SAMPLES = Path(__file__).resolve().parent.parent / "sample_logs"
RT = "            RuntimeTTNN |    DEBUG | "
LOC = ('loc("5|Block[decoder.b]|SomeConv[decoder.b.conv1]|/x/model.py:137|forward|141|aten__index{}")')


def _t(shape, dtype="bf16"):
    return f"tensor<{'x'.join(map(str, shape))}x{dtype}>"


def gather_log(tmp_path: Path, c: int = 16, indices: str = "ir") -> str:
    """A run in which the replicate-pad gather ran and the conv3d that consumes it failed.

    x [1, c, 4, 6, 10]; gather along dim 2 (T = 4) with indices [0, 0, 0, 1, 2, 3] = concat(full 0 [1, 2],
    arange 0..3): replicate padding of 2 in front, 0 behind; conv3d kernel 3x3x3, stride 1, padding
    [0, 1, 1] on [1, 6, 6, 10, c] -> [1, 4, 6, 10, c]. ``indices="arg"``: the indices are %arg2 (runtime)."""
    rest = c * 6 * 10
    ops = [
        '%0 = "ttnn.get_device"() : () -> !ttnn.device loc(unknown)',
        f'%1 = "ttnn.permute"(%arg0) <{{permutation = array<i64: 2, 0, 1, 3, 4>}}> : ({_t([1, c, 4, 6, 10])}) -> '
        f'{_t([4, 1, c, 6, 10])} {LOC.format("_permute")}',
        f'%2 = "ttnn.reshape"(%1) <{{shape = [4 : i32, {rest} : i32]}}> : ({_t([4, 1, c, 6, 10])}) -> '
        f'{_t([4, rest])} {LOC.format("_reshapeInput")}',
        f'%3 = "ttnn.to_layout"(%2) <{{layout = #ttnn.layout<row_major>}}> : ({_t([4, rest])}) -> {_t([4, rest])} '
        f'{LOC.format("_workaround")}',
    ]
    if indices == "ir":
        ops += [
            f'%4 = "ttnn.full"(%0) <{{fill_value = 0.000000e+00 : f32, shape = #ttnn.shape<1x2>}}> : (!ttnn.device) '
            f'-> {_t([1, 2], "ui32")} loc(unknown)',
            f'%5 = "ttnn.arange"(%0) <{{start = 0 : i64, end = 4 : i64, step = 1 : i64}}> : (!ttnn.device) -> '
            f'{_t([1, 4], "ui32")} loc(unknown)',
            f'%6 = "ttnn.concat"(%4, %5) <{{dim = 1 : si32}}> : ({_t([1, 2], "ui32")}, {_t([1, 4], "ui32")}) -> '
            f'{_t([1, 6], "ui32")} loc(unknown)',
        ]
        idx = "%6"
    else:
        idx = "%arg2"
    ops += [
        f'%7 = "ttnn.embedding"({idx}, %3) : ({_t([1, 6], "ui32")}, {_t([4, rest])}) -> {_t([1, 6, rest])} '
        f'{LOC.format("")}',
        f'%8 = "ttnn.reshape"(%7) <{{shape = [6 : i32, 1 : i32, {c} : i32, 6 : i32, 10 : i32]}}> : '
        f'({_t([1, 6, rest])}) -> {_t([6, 1, c, 6, 10])} {LOC.format("_reshapeOutput")}',
        f'%9 = "ttnn.permute"(%8) <{{permutation = array<i64: 1, 0, 3, 4, 2>}}> : ({_t([6, 1, c, 6, 10])}) -> '
        f'{_t([1, 6, 6, 10, c])} loc(unknown)',
        f'%10 = "ttnn.conv3d"(%9, %arg1, %0) <{{batch_size = 1 : i32, in_channels = {c} : i32, out_channels = {c} : '
        f'i32, input_depth = 6 : i32, input_height = 6 : i32, input_width = 10 : i32, kernel_size = array<i32: 3, 3, '
        f'3>, stride = array<i32: 1, 1, 1>, padding = array<i32: 0, 1, 1>, groups = 1 : i32}}> : '
        f'({_t([1, 6, 6, 10, c])}, {_t([c, c, 3, 3, 3])}, !ttnn.device) -> {_t([1, 4, 6, 10, c])} loc(unknown)',
    ]
    p = tmp_path / f"gather_{c}_{indices}.log"
    p.write_text(f"{RT}Starting execution of program: main\n" + "".join(f"{RT}Executing operation: {o}\n" for o in ops)
                 + "2025-12-31 16:11:36.007 | critical |          Always | TT_FATAL: conv3d failed (assert.hpp:103)\n")
    return str(p)


def _advice(path: str, **kw):
    r = triage(path)
    advise(r, **kw)
    return {a.rule: a for a in r.failures[0].advice}


def test_pad_amounts_and_verification_come_from_the_ir(tmp_path):
    by = _advice(gather_log(tmp_path))
    a = by["replicate-pad-slice-concat"]
    # log lines: 1 Starting, 2 %0 ... 8 %6 concat (the last index op), 9 %7 embedding, 12 %10 conv3d.
    # 6 gathered rows of 4: 2 rows of padding (line 9); indices [0, 0, 0, 1, 2, 3] = clamp(arange(-2, 4), 0, 3):
    # 2 in front, 0 behind (line 8)
    claims = {x.claim: x for x in a.assumptions}
    total = next(x for c, x in claims.items() if "6 rows of 4" in c)
    assert total.kind == "ir" and total.source.startswith("log line 9 ")
    split = next(x for c, x in claims.items() if "repeat row 0 2 times in front and no row behind" in c)
    assert split.kind == "ir" and split.source.startswith("log line 8 ")
    assert not any(x.kind == "guess" for x in a.assumptions)
    assert "(2 in front, 0 behind)" in a.title
    assert "repeat_dims = #ttnn.shape<1x1x2x1x1>" in a.rewrite and '"ttnn.concat"(%front, %arg0)' in a.rewrite
    v = a.verification
    # the gather (embedding with the IR's indices) vs slice + repeat + concat: both move values, bitwise equal
    assert v.status == "exact" and v.inputs_seed == 0
    # channels 16 > 8: the default instance cuts dim 1 to 8 and says so
    assert v.instance["reduced"] is True and v.instance["inputs"]["%x"] == [1, 8, 4, 6, 10]
    assert "cut from 16 to 8" in v.instance["how"]


def test_constant_pad_error_is_measured_on_the_conv_that_follows(tmp_path):
    a = _advice(gather_log(tmp_path))["replicate-pad-constant-approx"]
    conv = next(x for x in a.assumptions if "feeds %10 ttnn.conv3d" in x.claim)
    assert conv.kind == "ir" and conv.source.startswith("log line 12 ")
    assert "kernel [3, 3, 3], stride [1, 1, 1], padding [0, 1, 1], 16 -> 16 channels" in conv.claim
    assert any(x.kind == "guess" and "seeded" in x.claim for x in a.assumptions)  # weights: said so
    v = a.verification
    assert v.status in ("approx", "failed") and v.threshold == 0.99 and 0 < v.pcc < 1 and v.max_abs_error > 0
    assert v.instance["inputs"] == {"x": [1, 8, 4, 6, 10], "weight": [8, 8, 3, 3, 3]} and v.instance["reduced"]
    # the rewrite pads only the gathered dim, by the IR's amounts: (0,0) (0,0) (2,0) (0,0) (0,0)
    assert "padding = array<i32: 0, 0, 0, 0, 2, 0, 0, 0, 0, 0>" in a.rewrite
    full = _advice(gather_log(tmp_path), full_size=True)["replicate-pad-constant-approx"].verification
    assert full.instance["inputs"]["weight"] == [16, 16, 3, 3, 3] and full.instance["reduced"] is False


def test_runtime_indices_are_not_verifiable(tmp_path):
    """Negative: the indices are a program argument, so the split and the original values are not derivable."""
    a = _advice(gather_log(tmp_path, indices="arg"))["replicate-pad-slice-concat"]
    assert a.verification.status == "not-verifiable"
    assert "%arg2, a runtime input" in a.verification.detail
    g = [x for x in a.assumptions if x.kind == "guess"]
    assert len(g) == 1 and "all 2 padding rows in front" in g[0].claim  # the total (6 - 4) is still from the IR


def test_sample_pad_amounts_are_a_stated_guess_from_the_weight():
    """Seed-001 sample: the gather never ran (the log ends at %9, line 42); the kernel comes from the 5-D
    %arg0 [768, 768, 3, 3, 3] at line 18 (768 input channels = the padded tensor's dim 1); the pad is a guess."""
    by = _advice(str(SAMPLES / "mochi_replicate_pad_cb_overflow.log"))
    a = by["replicate-pad-slice-concat"]
    assert a.verification.status == "not-verifiable" and "never ran" in a.verification.detail
    w = next(x for x in a.assumptions if "[768, 768, 3, 3, 3]" in x.claim)
    assert w.kind == "ir" and w.source.startswith("log line 18 ")
    assert any(x.kind == "guess" and "2 rows in front (causal)" in x.claim for x in a.assumptions)
    assert "guessed" in a.title
    approx = by["replicate-pad-constant-approx"]
    assert approx.verification.status == "not-verifiable"  # no conv after the padding in this log
    # the pad rewrite defines what it uses: %6_rm comes from a to_layout
    assert approx.rewrite.splitlines()[0].startswith('%6_rm = "ttnn.to_layout"(%6)')


def test_renaming_the_module_class_changes_no_claim(tmp_path):
    text = (SAMPLES / "mochi_replicate_pad_cb_overflow.log").read_text()
    assert "CogVideoXCausalConv3d" in text
    p = tmp_path / "renamed.log"
    p.write_text(text.replace("CogVideoXCausalConv3d", "SomeOtherConv"))

    def claims(path):
        r = triage(str(path))
        advise(r)
        return [(a.rule, a.title, [x.to_json() for x in a.assumptions], a.rewrite, a.verification.to_json())
                for a in r.failures[0].advice]

    assert claims(p) == claims(SAMPLES / "mochi_replicate_pad_cb_overflow.log")


def test_unknown_pad_amounts_give_no_numbers(tmp_path):
    """Negative: no gather output, no conv weight in the window: the amounts are unknown, no rewrite, no claim."""
    lines = (SAMPLES / "mochi_replicate_pad_cb_overflow.log").read_text().splitlines(keepends=True)
    p = tmp_path / "no_weight.log"
    p.write_text("".join(x for x in lines if "768x768x3x3x3" not in x))
    by = _advice(str(p))
    a = by["replicate-pad-slice-concat"]
    assert a.rewrite == "" and a.verification.status == "not-verifiable" and "unknown" in a.title
    assert "replicate-pad-constant-approx" not in by


def test_no_exact_rests_on_layout_ops_only():
    """The row-major reshape and the narrower untilize only move layout ops: layout-only, nothing run."""
    r = triage(str(SAMPLES / "mochi_constpad_conv1_norm2_reshape_fail.log"))
    advise(r)
    rm = next(a for a in r.failures[0].advice if a.rule == "reshape-row-major")
    assert rm.verification.status == "layout-only" and rm.verification.instance is None
    by = _advice(str(SAMPLES / "mochi_replicate_pad_cb_overflow.log"))
    assert by["wide-layout-narrower-view"].verification.status == "layout-only"
    for a in list(by.values()) + r.failures[0].advice:
        assert a.verification.status in STATUSES and a.assumptions


def test_ir_inconsistent_reshape_gets_no_row_major_rewrite(tmp_path):
    """Negative: IR volumes differ (4*32*24*6360 = 19,537,920 != 4*32*24*6361): the row-major rewrite would be as
    invalid, so it is not shown; the runtime-drift advice needs an IR-consistent reshape."""
    text = (SAMPLES / "mochi_constpad_conv1_norm2_reshape_fail.log").read_text()
    line = next(x for x in text.splitlines() if '%5 = "ttnn.reshape"' in x and "6360" in x)
    bad = line.replace("6360 : i32", "6361 : i32").replace("4x32x24x6360xbf16", "4x32x24x6361xbf16")
    p = tmp_path / "bad.log"
    p.write_text(text.replace(line, bad))
    r = triage(str(p))
    advise(r)
    assert r.failures[0].failure.kind == "reshape-invalid" and not r.failures[0].failure.figures.get("ir_consistent")
    # the only reshape advice says the IR itself is wrong, with both volumes read from line 79
    (a,) = [a for a in r.failures[0].advice if a.rule.startswith("reshape")]
    assert a.rule == "reshape-ir-inconsistent" and a.rewrite == ""
    assert "19,537,920 -> 19,540,992 elements" in a.title  # 4*32*24*6361 = 19,540,992
    vol = next(x for x in a.assumptions if "elements" in x.claim)
    assert vol.kind == "ir" and vol.source.startswith("log line 79 ")


@pytest.mark.parametrize("era,base", [("2025-12", None), ("2026-02", None), ("2025-12", 200_000)])
def test_era_and_base_reach_every_prediction(era, base):
    from typer.testing import CliRunner

    from ttdiag.cli import app

    args = ["triage", str(SAMPLES / "mochi_replicate_pad_cb_overflow.log"), "-f", "json", "--era", era]
    if base:
        args += ["--l1-unreserved-base", str(base)]
    out = json.loads(CliRunner().invoke(app, args).stdout)["failures"][0]
    want = base or 102_656  # wormhole_b0 base of both eras without a system_desc (ttnn-facts.md §2.4)
    assert out["model"]["era"] == era and out["model"]["l1_unreserved_base_bytes"] == want
    preds = [a["predicted"] for a in out["advice"] if a["predicted"].get("ops")]
    assert preds and all(p["era"] == era and p["l1_unreserved_base_bytes"] == want and p["arch"] == "wormhole_b0"
                         for p in preds)
    assert all({"claim", "source"} <= x.keys() for a in out["advice"] for x in a["assumptions"])
    assert all({"instance", "inputs_seed", "threshold"} <= a["verification"].keys() for a in out["advice"])


def test_gather_earlier_in_the_run_is_not_blamed_for_an_unrelated_failure(tmp_path):
    """Negative: the gather ran, but the failing op (%11, on %arg3) is not on the padded value's path."""
    p = Path(gather_log(tmp_path))
    lines = p.read_text().splitlines(keepends=True)
    extra = f'{RT}Executing operation: %11 = "ttnn.relu"(%arg3) : ({_t([2, 32])}) -> {_t([2, 32])} loc(unknown)\n'
    p.write_text("".join(lines[:-1]) + extra + lines[-1])
    r = triage(str(p))
    advise(r)
    assert r.failures[0].localization.failing.op.id == "%11"
    assert not [a for a in r.failures[0].advice if a.rule.startswith("replicate-pad")]


def test_rewrites_are_checked_before_they_are_shown():
    """Rewrites are built as op objects and checked op by op before anything is printed: an undefined operand
    or a reshape that changes the volume is rejected by the builder; the advice gate shows only a rewrite
    built as ops, whose printed text is the one printed from them and parses back to them, and which starts
    from values of the IR."""
    import pytest

    from ttdiag.advise import _rewrite_problems, l1_context
    from ttdiag.advise.context import AdviceContext
    from ttdiag.advise.model import Advice
    from ttdiag.advise.rewrite import RewriteError, dense, ints, round_trip_problems

    r = triage(str(SAMPLES / "mochi_replicate_pad_cb_overflow.log"))
    fr = r.failures[0]
    ctx = AdviceContext(fr, r.trace, l1_context(r, fr))
    b = ctx.builder(("%6",))
    rm = b.tensor((1, 768, 4, 60, 106), "bf16", False)
    b.op("ttnn.pad", ["%padded"], ["%x_rm"], [rm], [b.tensor((1, 768, 6, 60, 106), "bf16", False)],
         padding=dense([0, 0, 0, 0, 2, 0, 0, 0, 0, 0]), value="0.000000e+00 : f32")
    with pytest.raises(RewriteError) as e:
        b.finish()
    assert e.value.problems == ["ttnn.pad: operand %x_rm is not defined"]
    # %6 is defined by the IR (line 37); 1*768*4*60*106 = 19,537,920 != 4*4884481
    b = ctx.builder(("%6",))
    b.op("ttnn.reshape", ["%r"], ["%6"], [rm], [b.tensor((4, 4884481), "bf16", False)], shape=ints([4, 4884481]))
    with pytest.raises(RewriteError) as e:
        b.finish()
    (problem,) = e.value.problems
    assert "volume 19,537,920" in problem
    b = ctx.builder(("%6",))
    b.op("ttnn.reshape", ["%r"], ["%6"], [rm], [b.tensor((4, 4884480), "bf16", False)], shape=ints([4, 4884480]))
    good = b.finish()
    assert good.text.startswith('%r = "ttnn.reshape"(%6) <{shape = [4 : i32, 4884480 : i32]}> : (tensor<1x768x4x')
    assert _rewrite_problems(ctx, Advice("t", "t", [], good)) == []
    # the gate: text alone (not built as ops), text edited after printing, a start value the IR does not have
    assert _rewrite_problems(ctx, Advice("t", "t", [], good.text)) == ["it was not built as ops"]
    edited = Advice("t", "t", [], good)
    edited.rewrite = edited.rewrite.replace("%r =", "%s =")
    assert _rewrite_problems(ctx, edited) == ["its text is not the one printed from its ops"]
    assert round_trip_problems(good, edited.rewrite, ctx.parser) == [
        "ttnn.reshape %r: the printed op does not parse back to the same op"]
    b = ctx.builder(("%99",))
    b.op("ttnn.reshape", ["%r"], ["%99"], [rm], [b.tensor((4, 4884480), "bf16", False)], shape=ints([4, 4884480]))
    assert _rewrite_problems(ctx, Advice("t", "t", [], b.finish())) == ["%99 is not a value of the IR"]


def test_conv3d_rule_negative_kernel_3(tmp_path):
    """Negative: a 3x3x3 conv3d is not a matmul over channels: no linear rewrite."""
    x, w, y = _t([1, 4, 4, 4, 8]), _t([8, 8, 3, 3, 3]), _t([1, 2, 2, 2, 8])
    p = tmp_path / "c3.log"
    p.write_text(
        f"{RT}Starting execution of program: main\n"
        f'{RT}Executing operation: %1 = "ttnn.conv3d"(%arg0, %arg1, %0) <{{batch_size = 1 : i32, in_channels = 8 : '
        f'i32, out_channels = 8 : i32, input_depth = 4 : i32, input_height = 4 : i32, input_width = 4 : i32, '
        f'kernel_size = array<i32: 3, 3, 3>, stride = array<i32: 1, 1, 1>, padding = array<i32: 0, 0, 0>, '
        f'groups = 1 : i32}}> : ({x}, {w}, !ttnn.device) -> {y} loc(unknown)\n'
        "2025-12-31 16:11:36.007 | critical |          Always | TT_FATAL: conv3d unsupported (assert.hpp:103)\n")
    assert "conv3d-1x1x1-as-linear" not in _advice(str(p))


def _conv2d_log(tmp_path: Path, h: int, end: int, input_in_dram: bool = False) -> str:
    """A conv2d 3x3, 64 -> 64, bias, height sharded by its conv2d_config, input [1, 1, h*h, 64] row-major in L1
    (or DRAM: then tt-metal may slice the conv), output tiled, failing with a CB overflow that grows to ``end`` B."""
    from ttdiag.ir.printer import tensor_text

    ho = h - 2
    x = tensor_text((1, 1, h * h, 64), "bf16", False)
    if not input_in_dram:
        x = x.replace("#ttnn.buffer_type<dram>", "#ttnn.buffer_type<l1>")
    w = tensor_text((64, 64, 3, 3), "bf16", False)
    b = tensor_text((1, 1, 1, 64), "bf16", False)
    y = tensor_text((1, 1, ho * ho, 64), "bf16", True)
    p = tmp_path / f"conv2d_{h}.log"
    p.write_text(
        f"{RT}Starting execution of program: main\n"
        f'{RT}Executing operation: %3 = "ttnn.conv2d"(%0, %1, %2, %d) <{{batch_size = 1 : i32, conv2d_config = '
        f'#ttnn.conv2d_config<weights_dtype = bf16, act_block_h_override = 0, '
        f'shard_layout = #ttnn.tensor_memory_layout<height_sharded>>, in_channels = 64 : i32, '
        f'out_channels = 64 : i32, input_height = {h} : i32, input_width = {h} : i32, kernel_size = array<i32: 3, 3>, '
        f'stride = array<i32: 1, 1>, padding = array<i32: 0, 0>, dilation = array<i32: 1, 1>, groups = 1 : i32}}> : '
        f"({x}, {w}, {b}, !ttnn.device) -> {y} loc(unknown)\n"
        "2025-12-31 16:11:36.007 | critical |          Always | TT_THROW: Statically allocated circular buffers on "
        f"core range [(x=0,y=0) - (x=7,y=7)] grow to {end} B which is beyond max L1 size of 1499136 B "
        "(program.cpp:1186)\n")
    return str(p)


def test_conv2d_act_block_h_from_the_cb_formula(tmp_path):
    # get_cb_info (conv2d_op_program_factory_common.cpp) on a 514x514 input in L1, 3x3, 64 -> 64, bias, height
    # sharded by the IR's config: Ho = Wo = 512 -> 262,144 pixels = 8,192 tile rows; pM = 8,192 / 64 cores = 128;
    # abw = 3*64/32 = 6; pN = 2. The split reader halves the activation CB (act + act second reader = the block).
    # IR config (one block of 128 rows): weights 2*6 = 12, act 128*6 = 768, act tilized 768, bias 2 tiles:
    #   (12 + 768 + 768 + 2) * 2,048 + 64 (L1 array) = 3,174,464 B; + base 102,656 = 3,277,120 B: overflow.
    # abh 64 tiles (2 blocks: weights x kH 3 = 36): (36 + 384 + 384 + 2) * 2,048 + 64 = 1,650,752 -> 1,753,408 over.
    # abh 32 tiles: (36 + 192 + 192 + 2) * 2,048 + 64 = 864,320 -> 966,976 B: fits; override = 32 * 32 = 1,024 rows.
    by = _advice(_conv2d_log(tmp_path, 514, 3_277_120))
    a = by["conv2d-act-block-h"]
    assert "act_block_h_override = 1024" in a.title
    assert "act_block_h_override = 1024 : i32" in a.rewrite and "weights_dtype = bf16" in a.rewrite
    assert a.predicted["worst_cb_region_end_bytes"] == 966_976 and a.predicted["fits"] is True
    assert "CB region 3,277,120 B" in a.evidence[0]
    assert a.verification.status == "not-run"  # a blocking knob: nothing the executor can tell apart
    assert any(x.kind == "guess" and "estimate" in x.source for x in a.assumptions)


def test_conv2d_act_block_h_negative_when_the_model_does_not_overflow(tmp_path):
    """Negative: with the input in DRAM tt-metal slices this conv (conv2d.cpp's DRAM path), so the model's region
    fits L1 and cannot explain the logged overflow: no blocking knob is ranked on it."""
    assert "conv2d-act-block-h" not in _advice(_conv2d_log(tmp_path, 514, 3_277_120, input_in_dram=True))


def test_conv2d_act_block_h_negative_small_conv(tmp_path):
    """Negative: a 32x32 conv has one tile row per core (pM = 1): no block height can shrink it."""
    assert "conv2d-act-block-h" not in _advice(_conv2d_log(tmp_path, 32, 2_000_000))


def _matmul_log(tmp_path: Path, in0_block_w: int, end: int) -> str:
    from ttdiag.ir.printer import tensor_text

    cfg = ("#ttnn.matmul_multi_core_reuse_multi_cast_program_config<compute_with_storage_grid_size = "
           f"#ttnn.core_coord<8, 8>, in0_block_w = {in0_block_w}, out_subblock_h = 1, out_subblock_w = 8, "
           "out_block_h = 2, out_block_w = 16, per_core_m = 2, per_core_n = 16, transpose_mcast = false, "
           "fuse_batch = true>")
    a, b, y = (tensor_text(s, "bf16", True) for s in ((512, 8192), (8192, 4096), (512, 4096)))
    p = tmp_path / f"mm_{in0_block_w}.log"
    p.write_text(
        f"{RT}Starting execution of program: main\n"
        f'{RT}Executing operation: %2 = "ttnn.matmul"(%0, %1) <{{matmul_program_config = {cfg}}}> : ({a}, {b}) -> '
        f"{y} loc(unknown)\n"
        "2025-12-31 16:11:36.007 | critical |          Always | TT_THROW: Statically allocated circular buffers on "
        f"core range [(x=0,y=0) - (x=7,y=7)] grow to {end} B which is beyond max L1 size of 1499136 B "
        "(program.cpp:1186)\n")
    return str(p)


def test_matmul_in0_block_w_from_the_cb_formula(tmp_path):
    # matmul_multicore_reuse_mcast_2d_program_factory.cpp @043b5ac2: Kt = 8192/32 = 256; out block 2 x 16 tiles.
    # in0_block_w 128 (2 K blocks, double-buffered): c_0 2*128*2 = 512, c_1 16*128*2 = 4,096, c_4 2*16 = 32 tiles
    #   = 4,640 * 2,048 = 9,502,720 B; + base 102,656 = 9,605,376 B.
    # 64: (256 + 2,048 + 32) * 2,048 = 4,784,128 -> over; 32: (128 + 1,024 + 32) * 2,048 = 2,424,832 -> over;
    # 16: (64 + 512 + 32) * 2,048 = 1,245,184 -> 1,347,840 B: fits.
    a = _advice(_matmul_log(tmp_path, 128, 9_605_376))["matmul-in0-block-w"]
    assert "in0_block_w = 16 (from 128)" in a.title and "in0_block_w = 16," in a.rewrite
    assert a.predicted["worst_cb_region_end_bytes"] == 1_347_840 and a.predicted["fits"] is True
    assert "CB region 9,605,376 B" in a.evidence[0] and a.verification.status == "not-run"


def test_matmul_in0_block_w_negative_already_one(tmp_path):
    """Negative: in0_block_w is already 1: nothing narrower to offer."""
    assert "matmul-in0-block-w" not in _advice(_matmul_log(tmp_path, 1, 2_000_000))


def test_l1_pressure_negative_dram_oom(tmp_path):
    """Negative: a DRAM out-of-memory is not L1 pressure: no L1 advice."""
    from ttdiag.ir.printer import tensor_text

    t = tensor_text((64, 64), "bf16", True)
    p = tmp_path / "dram_oom.log"
    p.write_text(
        f"{RT}Starting execution of program: main\n"
        f'{RT}Executing operation: %1 = "ttnn.relu"(%0) : ({t}) -> {t} loc(unknown)\n'
        "2025-12-31 16:11:36.007 | critical |          Always | TT_FATAL: Out of Memory: Not enough space to allocate "
        "2048 B DRAM buffer across 12 banks, where each bank needs to store 2048 B (assert.hpp:103)\n")
    r = triage(str(p))
    advise(r)
    assert r.failures[0].failure.kind == "out-of-memory" and r.failures[0].advice == []


def test_wide_layout_negative_row_major_input(tmp_path):
    """Negative: the overflowing to_layout's input is row-major (a tilize, not an untilize): the untilize rules
    (narrower view, chunks of a tile row) do not apply."""
    from ttdiag.ir.printer import tensor_text

    src, dst = tensor_text((4, 4884480), "bf16", False), tensor_text((4, 4884480), "bf16", True)
    p = tmp_path / "tilize.log"
    p.write_text(
        f"{RT}Starting execution of program: main\n"
        f'{RT}Executing operation: %1 = "ttnn.to_layout"(%0) <{{layout = #ttnn.layout<tile>}}> : ({src}) -> {dst} '
        "loc(unknown)\n"
        "2025-12-31 16:11:36.007 | critical |          Always | TT_THROW: Statically allocated circular buffers on "
        "core range [(x=0,y=0) - (x=0,y=0)] grow to 9990400 B which is beyond max L1 size of 1499136 B "
        "(program.cpp:1186)\n")
    by = _advice(str(p))
    assert r_kinds(p) == ["cb-exceeds-l1"]
    assert not [k for k in by if k.startswith("wide-layout")]


def r_kinds(p) -> list[str]:
    return [fr.failure.kind for fr in triage(str(p)).failures]
