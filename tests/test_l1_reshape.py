"""Tiled reshape device-copy CB model (ops_data_movement.reshape) against hand-derived figures, an
element-by-element transcription of ``reshape_map_output_page``, and tt-mlir's OpModel ``Reshape`` test.

Factory: ``reshape_view/device/reshape_tiled_program_factory.cpp`` ``ReshapeTiledProgramFactory::create``
@01840686 (the mapping-tensor version, still the default after PR #33359, Dec 2025): on every grid core
c_0 = one mapping page (uint32 words: 4 per segment x max_input_segments), c_1 = 1 input tile, c_2 = 1 output tile.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.l1 import analyze_op, get_era, make_context
from ttdiag.analyze.l1.ops_data_movement import _faced, _to_3d, reshape_max_segments
from ttdiag.parse.mlir import OpLineParser

LIB = Path("/work/shared/corpus/memory/graph-capture/tt-mlir_TestOpModelLib.cpp")
WH = get_arch("wormhole_b0")
needs_corpus = pytest.mark.skipif(not LIB.exists(), reason="OpModel test file absent")


def _ref_max_segments(in3, out3, align=16):
    """Element-by-element transcription of ``reshape_map_output_page`` + the padding step of
    ``compute_reshape_mapping_host_tensor`` (slow; small shapes only)."""
    _, hi_n, wi_n = in3
    co_n, ho_n, wo_n = out3
    ht_i, wt_i, ht_o, wt_o = -(-hi_n // 32), -(-wi_n // 32), -(-ho_n // 32), -(-wo_n // 32)
    best = 0
    for p in range(co_n * ht_o * wt_o):
        co, hw = divmod(p, ht_o * wt_o)
        h0, w0 = (hw // wt_o) * 32, (hw % wt_o) * 32
        segs: dict[int, list[list[int]]] = {}
        prev_i = prev_o = prev_page = 0
        for ho in range(h0, h0 + min(ho_n - h0, 32)):
            for wo in range(w0, w0 + min(wo_n - w0, 32)):
                off_o = _faced(ho, wo)
                flat = co * ho_n * wo_n + ho * wo_n + wo
                ci, rem = divmod(flat, hi_n * wi_n)
                hi, wi = divmod(rem, wi_n)
                page = ci * ht_i * wt_i + (hi // 32) * wt_i + wi // 32
                off_i = _faced(hi, wi)
                if page in segs and page == prev_page and off_i - prev_i == 1 and off_o - prev_o == 1:
                    segs[page][-1][3] += 1
                else:
                    segs.setdefault(page, []).append([page, off_i, off_o, 1])
                prev_i, prev_o, prev_page = off_i, off_o, page
        best = max(best, max(len(v) for v in segs.values()) * len(segs))
    return best + best % align


def test_faced_offsets():
    # 16x16 faces in row-major face order: (0,15) -> 15, (0,16) -> face 1 = 256, (16,0) -> face 2 = 512
    assert (_faced(0, 15), _faced(0, 16), _faced(16, 0), _faced(31, 31)) == (15, 256, 512, 1023)


def test_to_3d():
    assert _to_3d((2, 3, 64, 32)) == (6, 64, 32)
    assert _to_3d((64, 1024)) == (1, 64, 1024)
    assert _to_3d((7,)) == (1, 1, 7)


def test_segments_by_hand():
    # [1,64,1024] -> [1,256,256]: output row h reads input row h/4, columns (h%4)*256 + w0 ..; so each output
    # tile touches 4 input tiles, each fed by 8 output rows x 2 face halves = 16 segments -> 16 x 4 = 64 (+ 64 % 16 = 0)
    assert reshape_max_segments((1, 64, 1024), (1, 256, 256)) == 64
    # [1,32,16] -> [1,16,32]: one input tile, one output tile; every output face row is a segment, none merge
    # (output face 0 -> face 1 jumps): 16 rows x 2 = 32 (+ 32 % 16 = 0)
    assert reshape_max_segments((1, 32, 16), (1, 16, 32)) == 32
    # [1,32,16] -> [2,16,16]: output tile co holds input rows 16co..16co+15 of face 0 / face 2, contiguous in
    # both tiles row after row (width 16 = a face row), so one merged segment: 1 + 1 % 16 = 2
    assert reshape_max_segments((1, 32, 16), (2, 16, 16)) == 2


@pytest.mark.parametrize("seed", range(6))
def test_segments_match_elementwise_transcription(seed):
    rng = random.Random(seed)
    dims = [8, 16, 20, 24, 32, 40, 48, 64, 96]
    a, b, c = rng.choice([1, 2, 3]), rng.choice(dims), rng.choice(dims)
    vol = a * b * c
    # an output shape of the same volume
    w = rng.choice([d for d in range(1, min(vol, 128) + 1) if vol % d == 0])
    rest = vol // w
    h = rng.choice([d for d in range(1, min(rest, 128) + 1) if rest % d == 0])
    out = (rest // h, h, w)
    assert reshape_max_segments((a, b, c), out) == _ref_max_segments((a, b, c), out)


def _ty(shape, buf="dram"):
    s = "x".join(map(str, shape))
    mem = "x".join(map(str, (shape[0] // 32 if len(shape) == 2 else 1, -(-shape[-1] // 32))))
    return (f"tensor<{s}xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, "
            f"memref<{mem}x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<{buf}>>, <interleaved>>>")


def _reshape(src, dst, buf="dram"):
    text = f'%1 = "ttnn.reshape"(%0) <{{shape = [{dst[0]} : i32, {dst[1]} : i32]}}> : ({_ty(src)}) -> {_ty(dst, buf)}'
    return OpLineParser().parse(text, 1, "main")


def test_reshape_op_cbs():
    r = analyze_op(_reshape((64, 1024), (256, 256)), make_context(WH, get_era("2025-12"), 102_656))
    assert r.factory == "ReshapeTiledProgramFactory" and r.confidence == "read-factory"
    (g,) = r.core_groups
    assert len(g.cores) == 64
    assert [(cb.index, cb.bytes) for cb in g.cbs] == [(0, 1024), (1, 2048), (2, 2048)]


@needs_corpus
def test_opmodel_reshape():
    """OpModelTest.Reshape: {workerCoresN300, 1024} tiled bf16 -> {workerCoresN300 * 4, 256}, DRAM and L1 outputs."""
    text = LIB.read_text()
    body = text[text.index("TEST_F(OpModelTest, Reshape)"):]
    body = body[:body.index("TEST_F", 10)]
    expected = [int(x) for x in re.findall(r"cbL1PeakSize, (\d+)\)", body)]
    assert "{workerCoresN300, 1024}" in body and "{workerCoresN300 * 4, 256}" in body and expected
    for buf, exp in zip(("dram", "l1"), expected):
        r = analyze_op(_reshape((64, 1024), (256, 256), buf), make_context(WH, get_era("2025-12"), 102_656))
        assert max(g.static_bytes for g in r.core_groups) == exp


def test_narrow_input_walk_is_bounded():
    # [1, 67108864, 1] -> [1, 8192, 8192]: every element is a piece (W_in = 1); the walk stops at the budget
    assert reshape_max_segments((1, 67108864, 1), (1, 8192, 8192)) is None


# -- row-major: ReshapeRMProgramFactory (reshape_rm_program_factory.cpp @d9f28d78) ------------------------------
def _rm(shape, dt="f32"):
    s = "x".join(map(str, shape))
    dims = ", ".join(f"d{i}" for i in range(len(shape)))
    rows = 1
    for d in shape[:-1]:
        rows *= d
    return (f"tensor<{s}x{dt}, #ttnn.ttnn_layout<({dims}) -> (0, 0), <1x1>, memref<{rows}x{shape[-1]}x{dt}, "
            "#ttnn.buffer_type<dram>>, <interleaved>>>")


def _reshape_rm(src, dst, dt="f32"):
    shape = ", ".join(f"{d} : i32" for d in dst)
    return OpLineParser().parse(f'%1 = "ttnn.reshape"(%0) <{{shape = [{shape}]}}> : ({_rm(src, dt)}) -> {_rm(dst, dt)}',
                                1, "main")


def test_reshape_rm_dual_kernel_hand_computed():
    # [1, 1, 1, 1024] f32 -> [1, 1, 32, 32] (memory_management.mlir): source row 1,024 x 4 = 4,096 B, destination row
    # 32 x 4 = 128 B; 4,096 % 128 == 0 -> can_use_dual_kernel. c_0 = 2 x (((4,096 - 1) & ~63) + 128 = 4,160) = 8,320;
    # c_1 = ((128 - 1) & ~63) + 80 = 64 + 80 = 144; c_2 = 8,320; c_3 = 144 -> 16,928 B on each of the 64 cores.
    r = analyze_op(_reshape_rm((1, 1, 1, 1024), (1, 1, 32, 32)), make_context(WH, get_era("2026-02"), 103_712))
    assert r.factory == "ReshapeRMProgramFactory" and r.confidence == "read-factory", r.formula
    (g,) = r.core_groups
    assert len(g.cores) == 64
    assert [(cb.index, cb.pages, cb.page_bytes) for cb in g.cbs] == [(0, 2, 4160), (1, 1, 144), (2, 2, 4160),
                                                                     (3, 1, 144)]
    assert g.static_bytes == 16_928


def test_reshape_rm_single_kernel_hand_computed():
    # [64, 100] bf16 -> [100, 64]: rows 200 B and 128 B, neither divides the other -> one kernel:
    # c_0 = 2 x (((200 - 1) & ~63) + 128 = 192 + 128 = 320) = 640; c_1 = ((128 - 1) & ~63) + 80 = 144 -> 784 B.
    r = analyze_op(_reshape_rm((64, 100), (100, 64), "bf16"), make_context(WH, get_era("2026-02"), 103_712))
    assert [(cb.index, cb.bytes) for cb in r.core_groups[0].cbs] == [(0, 640), (1, 144)]
    assert r.confidence == "read-factory"


def test_reshape_rm_dec_2025_is_estimate():
    # the Dec-2025 copy was not identified: the mid-2025 single-kernel copy's c_0 / c_1 (8,320 + 144 B), estimate
    r = analyze_op(_reshape_rm((1, 1, 1, 1024), (1, 1, 32, 32)), make_context(WH, get_era("2025-12"), 102_656))
    assert r.confidence == "estimate"
    assert [(cb.index, cb.bytes) for cb in r.core_groups[0].cbs] == [(0, 8320), (1, 144)]
