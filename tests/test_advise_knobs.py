"""Knob advice on conv2d / matmul CB overflows: shard layout, DRAM slicing, activation double buffering, per-core
matmul blocks. Every figure is computed by hand from the CB formulas the L1 models cite (comments)."""

from __future__ import annotations

from pathlib import Path

from ttdiag.advise import advise
from ttdiag.analyze.triage import triage

RT = "            RuntimeTTNN |    DEBUG | "
OVERFLOW = ("2025-12-31 16:11:36.007 | critical |          Always | TT_THROW: Statically allocated circular buffers "
            "on core range [(x=0,y=0) - (x=7,y=7)] grow to {end} B which is beyond max L1 size of 1499136 B "
            "(program.cpp:1186)\n")


def _advice(path: str):
    r = triage(path)
    advise(r)
    return {a.rule: a for a in r.failures[0].advice}


def conv2d_log(tmp_path: Path, h: int, end: int, *, c: int = 64, in_dram: bool = False, layout: str | None =
               "height_sharded", slice_config: str | None = None, act_double_buffer: bool | None = None,
               name: str = "conv") -> str:
    """A conv2d 3x3, c -> c, bias, input [1, 1, h*h, c] row-major in L1 (or DRAM), output tiled, failing with a
    CB overflow that grows to ``end`` B."""
    from ttdiag.ir.printer import tensor_text

    ho = h - 2
    x = tensor_text((1, 1, h * h, c), "bf16", False)
    if not in_dram:
        x = x.replace("#ttnn.buffer_type<dram>", "#ttnn.buffer_type<l1>")
    w = tensor_text((c, c, 3, 3), "bf16", False)
    b = tensor_text((1, 1, 1, c), "bf16", False)
    y = tensor_text((1, 1, ho * ho, c), "bf16", True)
    fields = ["weights_dtype = bf16", "act_block_h_override = 0"]
    if layout:
        fields.append(f"shard_layout = #ttnn.tensor_memory_layout<{layout}>")
    if act_double_buffer is not None:
        fields.append(f"enable_act_double_buffer = {str(act_double_buffer).lower()}")
    sl = f"conv2d_slice_config = #ttnn.conv2d_slice_config<{slice_config}>, " if slice_config else ""
    p = tmp_path / f"{name}_{h}.log"
    p.write_text(
        f"{RT}Starting execution of program: main\n"
        f'{RT}Executing operation: %3 = "ttnn.conv2d"(%0, %1, %2, %d) <{{batch_size = 1 : i32, conv2d_config = '
        f'#ttnn.conv2d_config<{", ".join(fields)}>, {sl}in_channels = {c} : i32, '
        f'out_channels = {c} : i32, input_height = {h} : i32, input_width = {h} : i32, kernel_size = array<i32: 3, 3>, '
        f'stride = array<i32: 1, 1>, padding = array<i32: 0, 0>, dilation = array<i32: 1, 1>, groups = 1 : i32}}> : '
        f"({x}, {w}, {b}, !ttnn.device) -> {y} loc(unknown)\n" + OVERFLOW.format(end=end))
    return str(p)


def matmul_log(tmp_path: Path, m: int, k: int, n: int, pm: int, pn: int, end: int, *, sub=(1, 8), kw: int = 2,
               grid=(8, 8)) -> str:
    from ttdiag.ir.printer import tensor_text

    cfg = ("#ttnn.matmul_multi_core_reuse_multi_cast_program_config<compute_with_storage_grid_size = "
           f"#ttnn.core_coord<{grid[0]}, {grid[1]}>, in0_block_w = {kw}, out_subblock_h = {sub[0]}, out_subblock_w = "
           f"{sub[1]}, out_block_h = {pm}, out_block_w = {pn}, per_core_m = {pm}, per_core_n = {pn}, "
           "transpose_mcast = false, fuse_batch = true>")
    a, b, y = (tensor_text(s, "bf16", True) for s in ((m, k), (k, n), (m, n)))
    p = tmp_path / f"mm_{pm}_{pn}.log"
    p.write_text(
        f"{RT}Starting execution of program: main\n"
        f'{RT}Executing operation: %2 = "ttnn.matmul"(%0, %1) <{{matmul_program_config = {cfg}}}> : ({a}, {b}) -> '
        f"{y} loc(unknown)\n" + OVERFLOW.format(end=end))
    return str(p)
