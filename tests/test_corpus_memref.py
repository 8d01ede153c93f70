"""`ttdiag inspect` against the corpus's own memrefs (tiled, DRAM-interleaved tensors).

Known disagreements, each with its reason (an exclude list in the spirit of ONNX's backend tests):
the corpus is lit tests, and many layouts in them were written by hand and never checked
against the tensor shape.
"""

from __future__ import annotations

from collections import Counter

from ttdiag.analyze.arch import arch_for
from ttdiag.analyze.layout import analyze_tensor, figures_key
from ttdiag.parse.mlir import parse_mlir

# Hand-written layouts that do not follow the tensor shape (one alias reused for every shape,
# placeholder memrefs, 3-result or 1-result maps, deliberately invalid negative tests).
HAND_WRITTEN = {
    "tt-mlir-old/2025-05-31_4fd235f0/test/ttmlir/EmitC/TTNN/conv/conv2d_with_prepare_conv2d_weights.mlir": 1,
    **{f"tt-mlir/test/python/golden/mlir_snippets/ttnn/ttnn_{n}.mlir": 1
       for n in ("bitwise_and", "bitwise_not", "bitwise_or", "bitwise_xor", "ge", "gt", "le", "lt", "ne")},
    "tt-mlir/test/python/golden/mlir_snippets/ttnn/ttnn_repeat_interleave.mlir": 2,
    "tt-mlir/test/ttmlir/Conversion/TTNNToTTIR/reduction_op.mlir": 12,
    "tt-mlir/test/ttmlir/Dialect/TTNN/Transforms/Decomposition/distributed_layer_norm_decomposition.mlir": 1,
    "tt-mlir/test/ttmlir/Dialect/TTNN/layer_norm_pre_all_gather/layer_norm_pre_all_gather_negative.mlir": 5,
    "tt-mlir/test/ttmlir/Dialect/TTNN/layer_norm_pre_all_gather/simple_layer_norm_pre_all_gather.mlir": 2,
    "tt-mlir/test/ttmlir/Dialect/TTNN/optimizer/op_layout_fallbacks/embedding_validation.mlir": 2,
    "tt-mlir/test/ttmlir/Dialect/TTNN/optimizer/op_layout_fallbacks/tanh_dtype_validation.mlir": 2,
    "tt-mlir/test/ttmlir/Dialect/TTNN/rms_norm_pre_all_gather/rms_norm_pre_all_gather_negative.mlir": 3,
    "tt-mlir/test/ttmlir/Dialect/TTNN/rms_norm_pre_all_gather/simple_rms_norm_pre_all_gather.mlir": 2,
    "tt-mlir/test/ttmlir/Dialect/TTNN/sampling_negative.mlir": 2,  # tensor<0x64>: memref 1x1 for an empty tensor
    "tt-mlir/test/ttmlir/Dialect/TTNN/ttnnlayoutattr_tests_negative.mlir": 1,  # 8x8 grid on DRAM, rejected by design
    "tt-mlir/test/ttmlir/EmitC/TTNN/conv/conv2d_with_prepare_conv2d_weights_and_prepare_conv2d_bias.mlir": 4,
    "tt-mlir/test/ttmlir/EmitC/TTNN/models/mnist_sharded.mlir": 2,
    "tt-mlir/test/ttmlir/EmitC/TTNN/negative_dim.mlir": 4,
    "tt-mlir/test/ttmlir/EmitPy/TTNN/negative_dim.mlir": 4,
    "tt-mlir/test/ttmlir/Silicon/TTNN/n150/Transforms/DecomposeLayouts/decomposing_layouts_untilize_on_device.mlir": 2,
    "tt-mlir/test/ttmlir/Silicon/TTNN/n150/perf/test_perf_conv_transpose2d_device_compute_kernel_config.mlir": 1,
    "tt-mlir/test/ttmlir/Silicon/TTNN/n150/perf/test_perf_conv_transpose2d_with_conv2d_config.mlir": 1,
}


def test_dram_interleaved_tiled_memrefs_agree_with_the_corpus(corpus):
    total = agree = legacy = 0
    other: Counter[str] = Counter()
    for f in sorted(corpus.rglob("*.mlir")):
        rel = str(f.relative_to(corpus))
        m = parse_mlir(f.read_text(encoding="utf-8"))
        arch = arch_for(m.system_desc)
        seen = set()
        for op in m.all_ops():
            for _, _, t in op.tensors():
                if t.text in seen:
                    continue
                seen.add(t.text)
                fig = analyze_tensor(t, arch)
                if not (fig and fig.tiled and fig.buffer_type == "dram" and fig.memory_layout == "interleaved"):
                    continue
                total += 1
                if fig.memref_matches:
                    agree += 1
                elif fig.memref_note and "older tt-mlir rule" in fig.memref_note:
                    legacy += 1  # collapse-then-tile: e.g. [1,30,30,64] printed 29x2, tt-metal allocates 30x2
                else:
                    other[rel] += 1
    assert (total, agree, legacy) == (415, 339, 14)
    assert dict(other) == HAND_WRITTEN


# Sharded layouts whose written memref is not one shard of the tensor: each checked by hand.
SHARDED_HAND_WRITTEN = {
    # "384x64 on 6x2" / "on 2x6" height-sharded, written memref 2x1; the file's own CHECK lines cast the tensor
    # to tensor<12x1x1x2x!ttcore.tile<32x32, bf16>> (12 shards of 1x2 tiles): 384 / 12 = 32 rows, 64 cols -> 1x2
    "tt-mlir/test/ttmlir/Conversion/TTIRToD2M/ttnn_height_sharded_translation.mlir": 2,
    # one <1x1> block-sharded alias with memref 1x1 reused for twelve shapes from 32x64 to 128x64
    "tt-mlir/test/ttmlir/Conversion/TTNNToTTIR/reduction_op.mlir": 12,
    # 64x64 on <1x1> is 2x2 tiles; the alias writes memref 1x1
    "tt-mlir/test/ttmlir/Dialect/TTNN/dispatch_d2m/materialize.mlir": 1,
    # one <1x1> alias with memref 2x8 for 128x256 (4x8 tiles) and 64x128 (2x4 tiles)
    "tt-mlir/test/ttmlir/Dialect/TTNN/dispatch_d2m/ttnn_d2m_e2e.mlir": 2,
}


def test_sharded_memrefs_agree_with_the_corpus(corpus):
    """Height- and width-sharded layouts on 2-D grids (``<6x2>``, ``<8x8>``) divide over the flattened
    grid (tt-mlir ``lib/Conversion/TTIRToD2M/TTIRToD2M.cpp``, ``getLegacyGrid``). Dividing over the written
    grid, 28 of the 138 distinct sharded types disagreed: 12 of them now agree, and "384x64 on 6x2"
    (height-sharded, written 2x1) agreed only because 384 / 6 and 64 / 2 happen to give 2x1 tiles."""
    total = agree = 0
    other: Counter[str] = Counter()
    for f in sorted(corpus.rglob("*.mlir")):
        rel = str(f.relative_to(corpus))
        m = parse_mlir(f.read_text(encoding="utf-8"))
        arch = arch_for(m.system_desc)
        seen = set()
        for op in m.all_ops():
            for _, _, t in op.tensors():
                if t.layout is None or not (t.layout.memory_layout or "").endswith("sharded"):
                    continue
                key = figures_key(t)
                if key in seen:
                    continue
                seen.add(key)
                fig = analyze_tensor(t, arch)
                if fig is None or fig.memref_matches is None:
                    continue
                total += 1
                if fig.memref_matches:
                    agree += 1
                else:
                    other[rel] += 1
    assert (total, agree) == (138, 121)
    assert dict(other) == SHARDED_HAND_WRITTEN
