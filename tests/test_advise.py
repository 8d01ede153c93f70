"""Advice rules on the sample logs: detector, rewrite, predicted L1, and the executor's verdict."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ttdiag.advise import advise
from ttdiag.analyze.triage import triage
from ttdiag.cli import app
from ttdiag.parse.mlir import OpLineParser


@pytest.fixture(scope="module")
def pad_advice(request):
    from pathlib import Path

    log = Path(__file__).resolve().parent.parent / "sample_logs" / "mochi_replicate_pad_cb_overflow.log"
    r = triage(str(log))
    advise(r, seed=3)
    return {a.rule: a for a in r.failures[0].advice}, r.failures[0].advice


def test_replicate_pad_rewrite_ranked_first(pad_advice):
    by_rule, ranked = pad_advice
    a = by_rule["replicate-pad-slice-concat"]
    assert ranked[0] is a
    # the gather never ran in this log: nothing to compare against (tests/test_advise_ir_values.py has the rest)
    assert a.verification.status == "not-verifiable"
    assert a.predicted["fits"] is True
    lines = a.rewrite.splitlines()
    assert [OpLineParser().parse(x).name for x in lines] == ["ttnn.slice_static", "ttnn.repeat", "ttnn.concat"]
    assert "repeat_dims = #ttnn.shape<1x1x2x1x1>" in lines[1] and "dim = 2 : si32" in lines[2]
    assert not any("CogVideoXCausalConv3d" in e for e in a.evidence + [x.claim for x in a.assumptions])


def test_wide_untilize_advice(pad_advice):
    by_rule, _ = pad_advice
    chunks = by_rule["wide-layout-chunks"]
    assert chunks.verification.status == "exact" and chunks.verification.inputs_seed == 3
    assert chunks.verification.instance["inputs"] == {"%vx": [4, 40960]}  # 4 chunks of 10,240
    assert chunks.predicted["chunks"] == 477 and chunks.predicted["fits"] is True  # 4,884,480 / 10,240
    narrower = by_rule["wide-layout-narrower-view"]
    assert narrower.verification.status == "layout-only"
    # the row-major reshape to a 4.88M-wide row needs a 9.77 MB destination CB: predicted to overflow too
    assert narrower.predicted["fits"] is False
    assert any("predicted to overflow" in n for n in narrower.notes)


def test_constant_padding_without_its_conv_is_not_verifiable(pad_advice):
    by_rule, _ = pad_advice
    a = by_rule["replicate-pad-constant-approx"]
    assert a.verification.status == "not-verifiable" and a.verification.pcc is None
    # pad 2 in front along T only (the guess from the 3x3x3 weight): (0,0) (0,0) (2,0) (0,0) (0,0)
    assert '"ttnn.pad"' in a.rewrite and "array<i32: 0, 0, 0, 0, 2, 0, 0, 0, 0, 0>" in a.rewrite


def test_reshape_advice_for_seed_002(sample):
    r = triage(sample("mochi_constpad_conv1_norm2_reshape_fail.log"))
    advise(r)
    ranked = r.failures[0].advice
    assert [a.rule for a in ranked] == ["reshape-runtime-drift", "reshape-row-major"]
    drift, rm = ranked
    assert any("%10 ttnn.conv3d (line 49)" in e for e in drift.evidence)
    assert any("%arg2" in e for e in drift.evidence)
    assert '"ttnn.from_device"(%arg2)' in drift.rewrite
    assert rm.verification.status == "layout-only" and rm.predicted["fits"] is True


def test_l1_oom_advice(corpus):
    r = triage(str(corpus / "logs" / "013_tt-mlir-8044_always-tt-fatal-oom-l1-falcon3.log"))
    advise(r)
    by = {a.rule: a for a in r.failures[0].advice}
    assert sorted(by) == ["l1-oom-fragmented", "l1-pressure"]  # no op lines: nothing to rewrite
    a = by["l1-pressure"]
    assert "short by 30,720 B per bank" in a.evidence
    assert a.verification.status == "not-run"
    # 912,096 B free >= 552,960 B needed > 522,240 B largest block: 552,960 - 522,240 = 30,720 B short in one block
    assert by["l1-oom-fragmented"].predicted["short_in_one_block_bytes"] == 30_720


def test_conv3d_1x1x1_as_linear(tmp_path):
    rt = "            RuntimeTTNN |    DEBUG | "
    x = "tensor<1x2x4x4x12xbf16>"
    w = "tensor<768x12x1x1x1xbf16>"
    y = "tensor<1x2x4x4x768xbf16>"
    p = tmp_path / "c.log"
    p.write_text(
        f"{rt}Starting execution of program: main\n"
        f'{rt}Executing operation: %1 = "ttnn.conv3d"(%arg0, %arg1, %0) <{{batch_size = 1 : i32, in_channels = 12 : i32, '
        f'out_channels = 768 : i32, input_depth = 2 : i32, input_height = 4 : i32, input_width = 4 : i32, '
        f'kernel_size = array<i32: 1, 1, 1>, stride = array<i32: 1, 1, 1>, padding = array<i32: 0, 0, 0>, '
        f'groups = 1 : i32}}> : ({x}, {w}, !ttnn.device) -> {y} loc(unknown)\n'
        "2025-12-31 16:11:36.007 | critical |          Always | TT_FATAL: conv3d unsupported (assert.hpp:103)\n")
    r = triage(str(p))
    advise(r)
    a = next(a for a in r.failures[0].advice if a.rule == "conv3d-1x1x1-as-linear")
    assert a.verification.status in ("exact", "approx") and a.verification.pcc > 0.9999
    # 12 -> 768 channels: the default instance cuts them to 12 -> 32, keeping the [1, 2, 4, 4] volume
    assert a.verification.instance["reduced"] and a.verification.instance["inputs"]["%arg1"] == [32, 12, 1, 1, 1]
    assert '"ttnn.linear"' in a.rewrite


def test_triage_json_advice_contract(sample):
    r = CliRunner().invoke(app, ["triage", sample("mochi_constpad_conv1_norm2_reshape_fail.log"), "-f", "json"])
    adv = json.loads(r.stdout)["failures"][0]["advice"]
    assert adv and all({"rule", "title", "rewrite", "predicted", "verification"} <= a.keys() for a in adv)
    assert all({"status", "pcc", "max_abs_error", "inputs_seed"} <= a["verification"].keys() for a in adv)
    r = CliRunner().invoke(app, ["triage", sample("mochi_constpad_conv1_norm2_reshape_fail.log"), "-f", "json",
                                 "--no-verify"])
    adv = json.loads(r.stdout)["failures"][0]["advice"]
    # layout-only needs no run; nothing else is claimed without one
    assert {a["verification"]["status"] for a in adv} <= {"not-run", "layout-only", "not-verifiable"}
