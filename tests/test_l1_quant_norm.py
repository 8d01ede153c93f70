"""CB models of ops_quant (quantize / dequantize / requantize), ops_batchnorm (batch_norm inference / training),
``ttnn.assign`` (ops_copy) and single-core ``ttnn.pad`` (ops_data_movement): figures worked out by hand in the
comments from the late-2025 factories cited in each module, on shapes tt-mlir's OpModel tests do not use (those
are covered by tests/test_opmodel_agreement.py)."""

from __future__ import annotations

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.l1 import analyze_op, get_era, make_context
from ttdiag.analyze.l1.ops_quant import _T, subtile_broadcast
from ttdiag.parse.mlir import OpLineParser

WH = get_arch("wormhole_b0")
DRAM = "#ttnn.buffer_type<dram>"


def ctx(era: str = "2025-12"):
    return make_context(WH, get_era(era), 102_656)


def t(shape: str, dtype: str = "bf16") -> str:
    """A tiled DRAM-interleaved tensor type; the memref is the padded tile grid."""
    dims = [int(d) for d in shape.split("x")]
    h = dims[-2] if len(dims) >= 2 else 1
    outer = 1
    for d in dims[:-2]:
        outer *= d
    memref = f"{outer * -(-h // 32)}x{-(-dims[-1] // 32)}"
    names = ", ".join(f"d{i}" for i in range(len(dims)))
    return (f"tensor<{shape}x{dtype}, #ttnn.ttnn_layout<({names}) -> (0, 0), <1x1>, "
            f"memref<{memref}x!ttcore.tile<32x32, {dtype}>, {DRAM}>, <interleaved>>>")


def op(name: str, operands: list[str], out: str, attrs: str = ""):
    args = ", ".join(f"%{i}" for i in range(len(operands)))
    props = f" <{{{attrs}}}>" if attrs else ""
    line = f'%r = "{name}"({args}){props} : ({", ".join(operands)}) -> {out}'
    return OpLineParser().parse(line, 1, "main")


def peak(r) -> int:
    return max(g.static_bytes for g in r.core_groups)


# -- subtile broadcast kinds (binary_ng_device_operation.cpp get_subtile_broadcast_type, late 2025) -------------------
def test_subtile_broadcast_kinds():
    a = _T((96, 64), "bf16")
    assert subtile_broadcast(a, _T((96, 64), "bf16")) == "NONE"
    assert subtile_broadcast(a, _T((1,), "bf16")) == "SCALAR_B"  # missing dims count as 1
    assert subtile_broadcast(a, _T((1, 64), "bf16")) == "ROW_B"
    assert subtile_broadcast(a, _T((96, 1), "bf16")) == "COL_B"
    assert subtile_broadcast(_T((1, 64), "bf16"), a) == "ROW_A"
    assert subtile_broadcast(_T((96, 1), "bf16"), _T((1, 64), "bf16")) == "ROW_B_COL_A"


# -- quantize ---------------------------------------------------------------------------------------------------------
def test_quantize_per_channel_axis0_is_column_broadcast():
    # quantization.cpp QuantOp::invoke (late 2025), axis 0 of a [96, 64] bf16 input, scale [96] f32, zp [96] si32:
    #   typecast scale f32 -> bf16: c_0 2 x 4,096 + c_2 2 x 2,048 = 12,288 B; reshape to [96, 1] (view)
    #   typecast zp si32 -> bf16: 12,288 B
    #   divide(a, scale [96, 1]): COL_B, no c_5 / c_6: c_0 + c_1 + c_2 = 3 x 2 x 2,048 = 12,288 B
    #   add(that, zp [96, 1]): 12,288 B; typecast bf16 -> si32: 2 x 2,048 + 2 x 4,096 = 12,288 B
    r = analyze_op(op("ttnn.quantize", [t("96x64"), t("96", "f32"), t("96", "si32")], t("96x64", "si32"),
                      "axis = 0 : i32, output_dtype = #ttcore.supportedDataTypes<si32>"), ctx())
    assert r.confidence == "read-factory"
    assert peak(r) == 12_288
    assert len(r.core_groups) == 5


def test_quantize_per_tensor_f32_input():
    # f32 [64, 64] input, scale [1] bf16, zp [1] si32 (per-tensor, tensors):
    #   typecast scale bf16 -> f32: 2 x 2,048 + 2 x 4,096 = 12,288 B
    #   divide f32 / f32 (SCALAR_B): 3 x 2 x 4,096 = 24,576 B   <- peak (and the add below)
    #   typecast zp si32 -> f32: 16,384 B; add: 24,576 B; typecast f32 -> si32: 16,384 B
    r = analyze_op(op("ttnn.quantize", [t("64x64", "f32"), t("1"), t("1", "si32")], t("64x64", "si32"),
                      "output_dtype = #ttcore.supportedDataTypes<si32>"), ctx())
    assert peak(r) == 24_576
    assert r.confidence == "read-factory"


def test_quantize_2026_era_is_an_estimate():
    r = analyze_op(op("ttnn.quantize", [t("64x64"), t("1"), t("1", "si32")], t("64x64", "si32")), ctx("2026-02"))
    assert r.confidence == "estimate"


# -- dequantize -------------------------------------------------------------------------------------------------------
def test_dequantize_per_channel_column_vs_row():
    # DequantOp::invoke per-channel: vectors and input typecast to f32, subtract, multiply (f32), typecast out.
    # axis 0 of [64, 96] si32 -> f32 output: subtract / multiply with a [64, 1] vector = COL_B:
    #   3 x 2 x 4,096 = 24,576 B; typecasts: input si32 -> f32 16,384 B, scale bf16 -> f32 12,288 B.
    col = analyze_op(op("ttnn.dequantize", [t("64x96", "si32"), t("64"), t("64", "si32")], t("64x96", "f32"),
                        "axis = 0 : i32, output_dtype = #ttcore.supportedDataTypes<f32>"), ctx())
    assert peak(col) == 24_576
    # axis 1: [1, 96] vectors = ROW_B, c_6 = 2 x 4,096 more: 32,768 B
    row = analyze_op(op("ttnn.dequantize", [t("64x96", "si32"), t("96"), t("96", "si32")], t("64x96", "f32"),
                        "axis = 1 : i32, output_dtype = #ttcore.supportedDataTypes<f32>"), ctx())
    assert peak(row) == 32_768


# -- requantize -------------------------------------------------------------------------------------------------------
def test_requantize_per_channel_axis0():
    # RequantOp::invoke, axis 0 and four tensors -> the fused per-channel path on a [128, 32] si32 input:
    #   vectors typecast to f32 (bf16 scales 12,288 B, si32 zero points 16,384 B), reshaped to [128, 1];
    #   divide / multiply / subtract on [128, 1] f32 (NONE): 3 x 2 x 4,096 = 24,576 B;
    #   typecast input si32 -> f32 16,384 B; multiply [128, 32] x [128, 1] (COL_B) 24,576 B; add 24,576 B;
    #   typecast f32 -> si32 16,384 B. Peak 24,576 B.
    ins = [t("128x32", "si32"), t("128"), t("128", "si32"), t("128"), t("128", "si32")]
    r = analyze_op(op("ttnn.requantize", ins, t("128x32", "si32"),
                      "axis = 0 : i32, output_dtype = #ttcore.supportedDataTypes<si32>"), ctx())
    assert peak(r) == 24_576
    assert len(r.core_groups) == 11


# -- batch_norm -------------------------------------------------------------------------------------------------------
def test_batch_norm_inference_f32():
    # BatchNormFactory, every tensor f32 (interm f32, no output typecast): 9 CBs x 2 x 4,096 = 73,728 B per core
    ins = [t("2x16x64x64", "f32")] + [t("1x16x1x1", "f32")] * 4
    r = analyze_op(op("ttnn.batch_norm_inference", ins, t("2x16x64x64", "f32"), "epsilon = 1.0e-05 : f32"), ctx())
    assert r.confidence == "read-factory"
    assert peak(r) == 73_728
    assert len(r.core_groups[0].cores) == 64


def test_batch_norm_inference_mixed_dtypes_is_an_estimate():
    # bf16 input / stats, f32 weight and bias: interm f32, output bf16 -> c_2 f32 staging + c_9 bf16:
    #   c_0 4,096 + c_1 4,096 + c_2 8,192 + c_9 4,096 + c_3 4,096 + c_4 8,192 + c_5 8,192 + c_6 8,192
    #   + c_7 8,192 + c_8 8,192 = 65,536 B (2026 descriptor copy; the late-2025 formats were not read)
    ins = [t("1x16x64x64"), t("1x16x1x1"), t("1x16x1x1"), t("1x16x1x1", "f32"), t("1x16x1x1", "f32")]
    r = analyze_op(op("ttnn.batch_norm_inference", ins, t("1x16x64x64")), ctx())
    assert r.confidence == "estimate"
    assert peak(r) == 65_536


def test_batch_norm_training_f32_without_running_stats():
    # running_statistics with f32 batch mean / var / output, running mean / var absent (bf16 pages):
    #   c_0, c_1, c_2 3 x 2 x 4,096 = 24,576; c_3, c_4 2 x 2 x 2,048 = 8,192; c_5, c_6 (f32) 16,384;
    #   c_7, c_8 (running-stat format, bf16) 8,192; c_9..c_11 (f32) 24,576 -> 81,920 B per core   <- peak
    # batch_norm: c_0..c_3 4 x 8,192 + c_4 8,192 + c_5, c_6 (bf16, absent) 8,192 + c_7, c_8 16,384 = 65,536 B
    r = analyze_op(op("ttnn.batch_norm_training", [t("1x16x64x64", "f32")], t("1x16x64x64", "f32")), ctx())
    assert peak(r) == 81_920
    bn = [g for g in r.core_groups if g.label == "batch_norm"][0]
    assert bn.static_bytes == 65_536


# -- assign / single-core pad -----------------------------------------------------------------------------------------
def test_assign_dtype_change_adds_c16():
    # copy.cpp assign -> CopyDeviceOperation, CopyProgramFactory: bf16 [128, 128] (16 tiles over 16 cores):
    #   same dtype: c_0 = 2 x 2,048 = 4,096 B; to f32: + c_16 = 2 x 4,096 -> 12,288 B
    same = analyze_op(op("ttnn.assign", [t("128x128")], t("128x128"),
                         "memory_config = #ttnn.memory_config<#dram, <interleaved>>"), ctx())
    assert peak(same) == 4_096
    conv = analyze_op(op("ttnn.assign", [t("128x128")], t("128x128", "f32"),
                         "dtype = #ttcore.supportedDataTypes<f32>, memory_config = #ttnn.memory_config<#dram, "
                         "<interleaved>>"), ctx())
    assert peak(conv) == 12_288
    assert sum(len(g.cores) for g in conv.core_groups) == 16


def test_pad_tile_single_core():
    # pad_device_operation.cpp select_program_factory: TILE + use_multicore = false -> PadTileCoreProgramFactory:
    # core (0, 0) only, c_0 = 2 f32 tiles + c_1 = 1 f32 tile = 3 x 4,096 = 12,288 B
    single = analyze_op(op("ttnn.pad", [t("1x1x64x96", "f32")], t("1x1x96x128", "f32"),
                           "padding = array<i32: 0, 0, 0, 0, 0, 32, 0, 32>, use_multicore = false, "
                           "value = 0.0 : f32"), ctx())
    assert single.factory == "PadTileCoreProgramFactory"
    assert [g.cores for g in single.core_groups] == [[(0, 0)]]
    assert peak(single) == 12_288
    # use_multicore = true (and an op without the attribute: ttnn's default) keeps the multicore factory
    multi = analyze_op(op("ttnn.pad", [t("1x1x64x96", "f32")], t("1x1x96x128", "f32"),
                          "padding = array<i32: 0, 0, 0, 0, 0, 32, 0, 32>, use_multicore = true, value = 0.0 : f32"),
                       ctx())
    assert multi.factory == "PadTileMulticore"
    bare = analyze_op(op("ttnn.pad", [t("1x1x64x96", "f32")], t("1x1x96x128", "f32"),
                         "padding = array<i32: 0, 0, 0, 0, 0, 32, 0, 32>, value = 0.0 : f32"), ctx())
    assert bare.factory == "PadTileMulticore"


def rm(shape: str, dtype: str = "bf16") -> str:
    """A row-major DRAM-interleaved tensor type (memref = rows x width)."""
    dims = [int(d) for d in shape.split("x")]
    rows = 1
    for d in dims[:-1]:
        rows *= d
    names = ", ".join(f"d{i}" for i in range(len(dims)))
    return (f"tensor<{shape}x{dtype}, #ttnn.ttnn_layout<({names}) -> (0, 0), <1x1>, "
            f"memref<{rows}x{dims[-1]}x{dtype}, {DRAM}>, <interleaved>>>")


def test_pad_row_major_single_core():
    # select_program_factory: ROW_MAJOR interleaved + use_multicore = false -> PadRmReaderWriterProgramFactory on
    # core (0, 0): c_0 = 16 pages of round_up(W_out x 2 B, max(32 (DRAM alignment), 32)).
    # W_out = 120: round_up(240, 32) = 256 -> 16 x 256 = 4,096 B (both eras: the 2026 clamp allows 16 pages)
    attrs = "padding = array<i32: 0, 0, 0, 0, 0, 2, 0, 20>, use_multicore = false, value = 0.0 : f32"
    small = op("ttnn.pad", [rm("1x1x30x100")], rm("1x1x32x120"), attrs)
    for era in ("2025-12", "2026-02"):
        r = analyze_op(small, ctx(era))
        assert r.factory == "PadRmReaderWriterProgramFactory"
        assert peak(r) == 4_096
    # W_out = 25,000: round_up(50,000, 32) = 50,016 B pages. Late 2025: 16 x 50,016 = 800,256 B.
    # 2026: budget 1,499,136 / 2 - 102,656 = 646,912 B -> 646,912 // 50,016 = 12 pages = 600,192 B.
    wide = op("ttnn.pad", [rm("1x1x30x24980")], rm("1x1x32x25000"),
              "padding = array<i32: 0, 0, 0, 0, 0, 2, 0, 20>, use_multicore = false, value = 0.0 : f32")
    assert peak(analyze_op(wide, ctx("2025-12"))) == 800_256
    assert peak(analyze_op(wide, ctx("2026-02"))) == 600_192
