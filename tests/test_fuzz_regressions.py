"""Regression tests for crashes found by the fuzz harnesses in fuzz/ (inputs inlined as bytes)."""

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.triage import triage_trace
from ttdiag.parse.log import read_log
from ttdiag.parse.mlir import MLIRSyntaxError, OpLineParser, parse_mlir

# Affine map repeating a dim name, "(d0, d0) -> (d0)": _linear_expr sized its coefficient list
# by the number of distinct names and indexed past its end (IndexError in ttdiag/ir/types.py).
DUP_DIM_MIN = (
    b"#l = #ttnn.ttnn_layout<(d0, d0) -> (d0), <1x1>, memref<1x1xbf16, #ttnn.buffer_type<l1>>, <interleaved>>\n"
    b"func.func @main(%a: tensor<32x32xbf16, #l>) -> tensor<32x32xbf16, #l>\n"
)

# fuzz_mlir.py crash-0df5fc0ce894fc8451c77c0d8f299570d74bb354 (same bug, "(d1, d1) -> ...")
MLIR_CRASH_0DF5FC0C = (
    b'// RUN: not ttmlir-opt --split-input-file %s 2>&1 | FileCheck %s\n// Negative tests for ass'
    b"ign operation\n\n// Verify that verification fails when the output tensor's data type does n"
    b"ot match the input tensor's data type.\n#dram = #ttnn.buffer_type<dram>\n#ttnn_layout1 = #tt"
    b'nn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<1x1x!ttcore.tile<32x32, f32>, #dram>, <'
    b'interleaved>>\n#ttnn_layout2 = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<1x1x!t'
    b'tcore.tile<32x32, f16>, #dram>, <interleaved>>\nmodule {\n  fsor<32x32xf32, #ttnn_layout1>) '
    b'-> tensor<32x32xf16, #ttnn_layout2> {\n    // CHECK: errunc.func @forward(%arg0: tensor<32x'
    b"32xf32, #ttnn_layout1>) -> tensor<32x32xf16, #ttnn_layout2> {\n    // CHECK: error: 'ttnn.a"
    b"ssign' op output tensor data type does not match eJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJ"
    b'JJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJJxpected output data type\n    %1 = "t'
    b'tnn.assign"(%arg0) : (tensor<32x32xf32, #ttnn_layout1>) -> tensor<32x32xf16, #ttnn_layout2'
    b'>\n    return %1 : tensor<32x32xf16, #ttnn_layout2>\n  }\n}\n\n// -----\n\n// Verify that verific'
    b"ation fails when the output tensor's shape does not match the input tensor's shape.\n#dram "
    b'= #ttnn.buffer_type<dram>\n#ttnn_layout1 = #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, m'
    b'emref<1x1x!ttcore.tile<32x3,2 f32>, #dram>, <interleaved>>\n#ttnn_layout2 = #ttnn.ttnn_layo'
    b'ut<(d1, d1) -> (d0, d1), <1x1>, memref<1x2x!ttcore.tile<32x72, f32>, #dram>, <interleaved>'
    b'>\nmodule {\n  func.func @forward(%arg0: tensor<32x32xf32, #ttnn_layout1>) -> tensor<32x32xf'
    b"32, #ttnn_layout2> {\n    // CHECK: error: 'ttnn.assign' op input and output tensor must ha"
    b've the same shape\n    %1 = "ttnn.assign"(%arg0) : (tensor<32x32xf32, #ttnn_layout1>) -> te'
    b'nsor<32x64xf32, #ttnn_layout2>\n    return %1 : tensor<32x64xf32, #ttnn_layout2>\n  }\n}\n'
)

# fuzz_log.py crash-d7038cbcc445ed7cb96f00cb6c8e754121051cea (same bug via triage -> localize -> OpLineParser)
LOG_CRASH_D7038CBC = (
    b'            RuntimeTTNN |    DEBUG | Executing operation: %0 = "ttnn.permute"(%arg0) <{per'
    b'mutation = array<i64: 2, 3, 4, 1, 0>}> : (tensor<768x768x3x3x3xbf16, #ttnn.ttnn_layout<(d0'
    b', d1,  2dd,3, d4) -> (d0 * 6912 + d1 * 9 + d2 * 3 + d3, d4), <1x1>, memref<5308416x3xbf16,'
    b' #ttnn.buffer_type<dram>>, <interleaved>>>) -> tensor<3x3x3x768x768xbf16, #ttnn.ttnn_layou'
    b't<(d0, d1, d2, d3, d4) -> (d0 * 6912 + d1 * 2304 + d2 * 768 + d3, d4), <1x1>, memref<207v3'
    b'd[decoder.block_in.resnets.0.conv1]|/home/user/tt-xla/venv/lib/python3.11/site-packages/di'
    b'ffusers/models/autoencoders/autoencoder_kl_mochi.py:137|forward|141|aten__index")\n        '
    b'    RuntimeTTNN |    DEBUG | Executing operation: "ttnn.deallocate"(%6) <{force = false}> '
    b': (tensor<1x768x4x60x106xbf16, #ttnn.ttnn_layout<(d0, d1, d2, d3, d4) -> (d0 * 196608 + d1'
    b' * 256 + d2 * 64 + d3, d4), <1x1>, memref<6144x4x!ttcor| executed sub-func: main_const_eva'
    b'l_1\n            RuntimeTTNN |    DEBUG | Executing operation: %5 = "ttnn.get_device"() <{m'
    b'esh_offset = #ttnn<mesh_offset 0x0>, mesh_shape = #ttnn<mesh_shape 1x1>}> : () -> !ttnn.de'
    b'vice loc(unknown)\n            RuntimeTTNN |    DEBUG | Executing operation: %6 = "ttnn.to_'
    b'layout"(%arg2) <{layout = #ttnn.layout<tile>}> : (tensor<1x768x4x60x106xbf16, #ttnn.ttnn_l'
    b'ayout<(d0, d1, d2, d3, d4) -> (d0 * 184320 + d1 * 240 + d2 * 60 + d3, d4), <1x1>, memref<1'
    b'84320x106xbf16, #ttnn.buffer_type<dram>>, <interleaved>>>) -> tensor<1x768x4x60x106xbf16, '
    b'#ttnn.ttnn_layout<(d0, d1, d1, d3, d4) -> (d0 * 196608 + d1 * 256 + d2 * 64 + d3, d4), <1x'
    b'1>, memref<6144x4x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>> loc'
    b'("5|MochiResnetBlock3D[decoder.block_in.resnets.0]|CogVideoXCausalConv3d[decoder.block_in.'
    b'resnets.0.conv1]|/home/user/tt-xla/venv/lib/python3.11/site-packages/diffusers/models/auto'
    b'encoders/autoencoder_kl_mochi.py:137|forward|141|aten__index_workaround")\n            Runt'
    b'imeTTNN |    DEBUG | Executing operation: %7 = "ttnn.permute"(%6\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac'
    b'\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac\xac) <{permutation = arr'
    b'ay<i64: 2, 0, 1, 3, 4>}> : (tensor<1x768x4x60x106xbf16, #ttnn.ttnn_layout<(d0, d1, d2, d3,'
    b' d4) -> (d0 * 196608 + d1 * 256 + d2 * 64 + d3, d4), <1x1>, memref<6144x4x!ttcore.tile<32x'
    b'32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>>) -> tensor<4x1:768x60x106xbf16, #ttnn'
    b'.ttnn_layout<(d0, d1, d2, d3, d4) -> (d0 * 49152 + d1 * 49152 + d2 * 64 + d3, d4), <1x1>, '
    b'memref<6144x4x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>> loc("5|'
    b'MochiResnetBlock3D[decoder.block_in.resnets.0]|CogVideoXCausalConv3d[decoder.block_in.resn'
    b'ets.0.conv1]|/home/user/tt-xla/venv/lib/python3.11/site-packages/diffusers/models/autoenco'
    b'ders/autoencoder_kl_mochi.py:137|forward|141|aten__index")\n            RuntimeTTNN |    DE'
    b'BUG | Executing operation: "ttnn.deallocate"(%6) <{force = false}> : (tensor<1x768x4x60x10'
    b'6xbf16, #ttnn.ttnn_layout<(d0, d1, d2, d3, d4) -> (d0 * 196608 + d1 * 256 + d2 * 64 + d3, '
    b'd4), <1x1>, memref<6144x4x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleave'
    b'd>>>) -> () loc("5|MochiResnetBlock3D[decoder.block_in.resnets.0]|CogVideoXCausalConv3d[de'
    b'coder.block_in.resnets.0.conv1]|/home/user/tt-xla/venv/lib/python3.11/site-packages/diffus'
    b'ers/modten__index_workaround")\n2025-12-31 16:11:36.007 | critical |          Always | TT_T'
    b'HROW: Statically allocated circular buffers on core range [(x=7,y=6) - (x=7,y=6)] grow to '
    b'9990400 B which is beyond max L1 size of 1499136 B (assert.hpp:103)\nTraceback (most recent'
    b' call last)\t:\n  File "/home/user/tt-xla/tests/torch/models/mochi/single_ops.py", line 236,'
    b' in <module>\n'
)


def test_parse_mlir_duplicate_affine_dims_minimal():
    module = parse_mlir(DUP_DIM_MIN.decode("utf-8", errors="replace"))
    assert module is not None


def test_parse_mlir_crash_0df5fc0c():
    text = MLIR_CRASH_0DF5FC0C.decode("utf-8", errors="replace")
    parse_mlir(text)
    parser = OpLineParser()
    for line in text.splitlines():
        try:
            parser.parse(line)
        except MLIRSyntaxError:
            pass


def test_triage_crash_d7038cbc(tmp_path):
    p = tmp_path / "crash.log"
    p.write_bytes(LOG_CRASH_D7038CBC)
    triage_trace(read_log(str(p)), get_arch("wormhole_b0"))


# fuzz_log.py crash-4e5cbb4360b692f7ecc8e58e52017ca232b99dba: a result layout with grid <0x1> and an
# unknown buffer type took the L1-interleaved memref rule and divided by its 0 cores
# (ZeroDivisionError in ttdiag/analyze/layout.py computed_memref); a 0-wide tile would divide too.
ZERO_GRID_LOG = (
    b'            RuntimeTTNN |    DEBUG | Starting execution of program: main\n'
    b'            RuntimeTTNN |    DEBUG | Executing operation: %0 = "ttnn.to_layout"(%8) <{layout = '
    b'#ttnn.layout<row_major>}> : (tensor<4x4884480xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, '
    b'memref<1x152640x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>>) -> '
    b'tensor<4x4884480xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <0x1>, memref<4x4884480xbf16, '
    b'#ttnn.buffer_type<drNm>>, <interleaved>>>\n'
    b'            RuntimeTTNN |    DEBUG | Executing operation: %1 = "ttnn.relu"(%0) : (tensor<32x32xbf16, '
    b'#ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, memref<1x1x!ttcore.tile<0x32, bf16>, '
    b'#ttnn.buffer_type<l1>>, <interleaved>>>) -> tensor<32x32xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), '
    b'<0x8>, memref<1x1x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<l1>>, <height_sharded>>>\n'
    b'2025-12-31 16:11:36.007 | critical |          Always | TT_THROW @ program.cpp:1: Statically allocated '
    b'circular buffers on core range [(x=0,y=0) - (x=7,y=7)] grow to 9990400 B which is beyond max L1 size '
    b'of 1499136 B\n'
)


def test_zero_core_grid_and_zero_tile_layouts(tmp_path):
    p = tmp_path / "zero.log"
    p.write_bytes(ZERO_GRID_LOG)
    rep = triage_trace(read_log(str(p)), get_arch("wormhole_b0"))
    (f,) = rep.failures
    assert f.failure.kind == "cb-exceeds-l1" and f.localization.failing.op.id == "%1"
    notes = [t.figures.memref_note for t in f.tensors if t.figures is not None]
    assert "grid 0x8 has no cores" in notes


def test_an_internal_error_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ttdiag.analyze import triage as triage_mod
    from ttdiag.cli import app

    def broken(*a, **k):
        return 1 // 0

    monkeypatch.setattr(triage_mod, "triage_trace", broken)
    p = tmp_path / "x.log"
    p.write_bytes(ZERO_GRID_LOG)
    r = CliRunner().invoke(app, ["triage", str(p)])
    assert r.exit_code == 2
    assert r.stderr.strip().splitlines() == [
        "ttdiag: error: internal error (ZeroDivisionError: integer division or modulo by zero); please report it "
        "with the input"]


# fuzz_log.py crash-1fc11478d446ad63dab7110767fa20353f8ce764: "PCC=0.60.683770" matched the PCC figure
# pattern ([0-9.]+) and float() raised ValueError in ttdiag/analyze/failures.py
PCC_TWO_DOTS = (
    b"tests/benchmaRk/2025-6.'007 | critical |  \xff\xff\xff\xff\xff\xff\xff        Afailed. PCC= critical |  "
    b"\xff\xff\xff\xff\xff\xff\xff        Afailed. PCC=0.60.683770, Required=0.\xc3\xb7\n"
)


def test_pcc_with_two_dots_is_not_a_number(tmp_path):
    from ttdiag.parse.messages import PCC

    p = tmp_path / "pcc.log"
    p.write_bytes(PCC_TWO_DOTS)
    triage_trace(read_log(str(p)), get_arch("wormhole_b0"))  # no exception
    m = PCC.search("PCC comparison failed. PCC=0.68377, Required=0.97")
    assert (m.group("pcc"), m.group("req")) == ("0.68377", "0.97")
    m = PCC.search("pcc: .5 expected .99")
    assert (m.group("pcc"), m.group("req")) == (".5", ".99")
    m = PCC.search("PCC = 1e-3 threshold 0.9")
    assert (m.group("pcc"), m.group("req")) == ("1e-3", "0.9")
