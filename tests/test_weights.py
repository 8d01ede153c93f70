"""Conv weight layouts (seed 003; ttnn-facts.md §6.1): figures for the depthwise 32-channel 3x3 case,
the grouped-layout converter against the reference conv2d, the depthwise stick layout, and the CLI.

The hand-built grouped weight is already checked against depthwise conv in
``tests/reference_conv/test_conv.py::test_grouped_layout_weight_equals_depthwise_exactly``; here the
same check runs on :func:`grouped_layout`'s output, with that module's op-text helpers.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest
from typer.testing import CliRunner

from ttdiag.analyze.weights import (
    conv_matmul_weight,
    depthwise_stick_layout,
    from_depthwise_stick_layout,
    grouped_layout,
    parse_kernel,
    tiles_of,
    weight_layouts,
)
from ttdiag.cli import app

BF16 = np.dtype(ml_dtypes.bfloat16)
DEV = np.zeros(0, np.float32)
runner = CliRunner()


def _conv_helpers():
    spec = importlib.util.spec_from_file_location(
        "_ttdiag_conv_helpers", Path(__file__).parent / "reference_conv" / "test_conv.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# --------------------------------------------------------------------------------------------
# figures: groups = in = out = 32, kernel 3x3
# --------------------------------------------------------------------------------------------

def test_depthwise_32_3x3_figures():
    rep = weight_layouts(32, 32, 32, (3, 3), "bf16")
    by = {f.name: f for f in rep.layouts}
    assert [f.name for f in rep.layouts] == ["original", "grouped", "matmul", "depthwise_stick"]
    o, g, m, s = by["original"], by["grouped"], by["matmul"], by["depthwise_stick"]
    assert o.shape == (32, 1, 3, 3) and o.elements == 288 and o.nonzero == 288 and o.zero_fraction == 0.0
    assert g.shape == (32, 32, 3, 3) and g.elements == 9216 and g.nonzero == 288
    assert g.zero_fraction == 31 / 32 == 0.96875
    assert m.shape == (288, 32) and m.tiles == 9 == 9 * 1 and m.bytes == 9 * 2048
    assert m.elements == 9216 and m.nonzero == 288
    assert s.shape == (1, 1, 32, 32) and s.tiles == 1 and s.bytes == 2048 and s.nonzero == 288
    assert s.zero_fraction == (1024 - 288) / 1024
    # last two dims padded to 32x32: [32, 1, 3, 3] is 32 tiles, [32, 32, 3, 3] is 1024
    assert o.tiles == 32 and g.tiles == 1024
    assert rep.depthwise and rep.expansion_factor == 32.0


def test_matmul_tiles_follow_kt_nt():
    # facts §6.1: K_t·N_t = (kh·kw·round_up(C_in, 32)/32)·(round_up(C_out, 32)/32); 48 -> 64 both ways
    rep = weight_layouts(1, 48, 40, (3, 3), "bfp8")
    m = {f.name: f for f in rep.layouts}["matmul"]
    assert m.shape == (9 * 64, 64) and m.tiles == 18 * 2 and m.bytes == 36 * 1088
    assert not rep.depthwise and "depthwise_stick" not in {f.name for f in rep.layouts}
    assert tiles_of((5,)) == 1 and tiles_of((2, 3, 33, 1)) == 12


def test_argument_validation():
    with pytest.raises(ValueError, match="must divide"):
        weight_layouts(3, 32, 32, (3, 3))
    with pytest.raises(ValueError, match="must divide"):
        weight_layouts(4, 32, 30, (3, 3))
    with pytest.raises(ValueError, match="dtype"):
        weight_layouts(1, 32, 32, (3, 3), "q7")
    assert parse_kernel("3x3") == (3, 3) and parse_kernel("1X7") == (1, 7) and parse_kernel("5") == (5, 5)
    for bad in ("3by3", "0x3", "3x", "-1x3", ""):
        with pytest.raises(ValueError):
            parse_kernel(bad)


# --------------------------------------------------------------------------------------------
# the conversions, with real values
# --------------------------------------------------------------------------------------------

def test_grouped_layout_groups_2_block_diagonal_elementwise():
    rng = np.random.default_rng(7)
    cout, cin, g = 6, 4, 2
    w = (rng.standard_normal((cout, cin // g, 3, 2)) + 10).astype(np.float32)  # no zeros
    d = grouped_layout(w, g)
    assert d.shape == (6, 4, 3, 2) and d.dtype == w.dtype
    for o in range(cout):
        grp = o // (cout // g)
        for c in range(cin):
            if c // (cin // g) == grp:
                np.testing.assert_array_equal(d[o, c], w[o, c - grp * (cin // g)])
            else:
                assert not d[o, c].any(), (o, c)
    assert np.count_nonzero(d) == w.size


def test_grouped_layout_weight_equals_depthwise_via_converter():
    h = _conv_helpers()
    rng = np.random.default_rng(3)
    n, hh, ww, c = 2, 9, 7, 32
    x, wd, b = h.bf16(rng, 1, 1, n * hh * ww, c), h.bf16(rng, c, 1, 3, 3), h.bf16(rng, 1, 1, 1, c)
    dense = grouped_layout(wd, c)
    assert dense.dtype == BF16 and dense.shape == (c, c, 3, 3)
    op_dw, _ = h.conv2d_op(n, hh, ww, c, c, (3, 3), p=(1, 1), g=c)
    op_dense, _ = h.conv2d_op(n, hh, ww, c, c, (3, 3), p=(1, 1), g=1)
    y_dw, y_dense = h.run(op_dw, x, wd, b, DEV), h.run(op_dense, x, dense, b, DEV)
    np.testing.assert_array_equal(y_dense.view(np.uint16), y_dw.view(np.uint16))
    # the matmul matrix built from it is a valid prepared conv2d weight, with the same result
    prepared = conv_matmul_weight(dense)[None, None]
    np.testing.assert_array_equal(h.run(op_dense, x, prepared, b, DEV).view(np.uint16), y_dw.view(np.uint16))


def test_conv_matmul_weight_rows_and_padding():
    w = np.arange(1, 5 * 6 * 3 * 3 + 1, dtype=np.float32).reshape(5, 6, 3, 3)
    m = conv_matmul_weight(w)
    assert m.shape == (9 * 32, 32)
    for o, c, i, j in [(0, 0, 0, 0), (4, 5, 2, 2), (2, 3, 1, 0)]:
        assert m[(i * 3 + j) * 32 + c, o] == w[o, c, i, j]
    assert np.count_nonzero(m) == w.size


def test_depthwise_stick_layout_round_trip_and_placement():
    c, kh, kw = 40, 3, 3
    w = np.arange(1, c * kh * kw + 1, dtype=np.float32).reshape(c, 1, kh, kw)
    s = depthwise_stick_layout(w)
    assert s.shape == (1, 1, 32, 64)
    for ch in range(c):
        for i in range(kh):
            for j in range(kw):
                assert s[0, 0, i * kw + j, ch] == w[ch, 0, i, j]
    assert not s[0, 0, kh * kw:].any() and not s[0, 0, :, c:].any()
    assert np.count_nonzero(s) == w.size
    np.testing.assert_array_equal(from_depthwise_stick_layout(s, c, kh, kw), w)
    # seed 003's debug pattern: weight[c, 0, kh, kw] = kh·kw_size + kw + 1 gives stick k = k + 1 everywhere
    dbg = np.broadcast_to((np.arange(9, dtype=np.float32) + 1).reshape(1, 1, 3, 3), (32, 1, 3, 3)).copy()
    sd = depthwise_stick_layout(dbg.astype(BF16))
    assert sd.dtype == BF16 and sd.shape == (1, 1, 32, 32)
    np.testing.assert_array_equal(sd[0, 0, :9].astype(np.float32), np.repeat(np.arange(1, 10, dtype=np.float32)[:, None], 32, 1))
    with pytest.raises(ValueError, match=r"\[C, 1, kh, kw\]"):
        depthwise_stick_layout(np.ones((4, 2, 3, 3), np.float32))


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------

def test_cli_json_contract():
    r = runner.invoke(app, ["weights", "--groups", "32", "--in", "32", "--out", "32", "--kernel", "3x3",
                            "--dtype", "bf16", "--format", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["schema"] == "ttdiag.weights/1" and doc["expansion_factor"] == 32
    for lay in doc["layouts"]:
        assert {"name", "shape", "elements", "nonzero", "zero_fraction", "tiles", "bytes"} <= set(lay)
    by = {lay["name"]: lay for lay in doc["layouts"]}
    assert by["grouped"]["shape"] == [32, 32, 3, 3] and by["grouped"]["zero_fraction"] == 0.96875
    assert by["matmul"]["tiles"] == 9 and by["depthwise_stick"]["tiles"] == 1


def test_cli_text():
    r = runner.invoke(app, ["weights", "--groups", "32", "--in", "32", "--out", "32", "--kernel", "3x3"])
    assert r.exit_code == 0, r.output
    for needle in ("depthwise_stick", "[32, 32, 3, 3]", "[288, 32]", "0.96875", "9,216"):
        assert needle in r.stdout


@pytest.mark.parametrize("args, msg", [
    (["--groups", "3", "--in", "32", "--out", "32"], "must divide"),
    (["--groups", "2", "--in", "32", "--out", "32", "--kernel", "3by3"], "kernel must look like 3x3"),
    (["--in", "32", "--out", "32", "--dtype", "q7"], "unknown dtype"),
    (["--groups", "0", "--in", "32", "--out", "32"], "must be positive"),
])
def test_cli_bad_arguments_exit_2_one_line(args, msg):
    r = runner.invoke(app, ["weights", *args])
    assert r.exit_code == 2
    err = r.stderr if r.stderr else r.output
    assert msg in err and len(err.strip().splitlines()) == 1
