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

    cfg = ("#ttnn.matmul_multi_core_reuse_multi_cast_program_config<compute_with_storage_grid_size = "
           f"#ttnn.core_coord<{grid[0]}, {grid[1]}>, in0_block_w = {kw}, out_subblock_h = {sub[0]}, out_subblock_w = "
           f"{sub[1]}, out_block_h = {pm}, out_block_w = {pn}, per_core_m = {pm}, per_core_n = {pn}, "
           "transpose_mcast = false, fuse_batch = true>")
    return _matmul_file(tmp_path / f"mm_{pm}_{pn}.log", cfg, m, k, n, end)


def _matmul_file(p: Path, cfg: str, m: int, k: int, n: int, end: int) -> str:
    """A log of one bf16 tiled DRAM matmul [m, k] x [k, n] with program config ``cfg``, failing with a CB
    overflow that grows to ``end`` B."""
    from ttdiag.ir.printer import tensor_text

    a, b, y = (tensor_text(s, "bf16", True) for s in ((m, k), (k, n), (m, n)))
    p.write_text(
        f"{RT}Starting execution of program: main\n"
        f'{RT}Executing operation: %2 = "ttnn.matmul"(%0, %1) <{{matmul_program_config = {cfg}}}> : ({a}, {b}) -> '
        f"{y} loc(unknown)\n" + OVERFLOW.format(end=end))
    return str(p)


# get_cb_info (conv2d_op_program_factory_common.cpp @f3c1ee7e) on Wormhole, base 102,656 B, L1 1,499,136 B, bf16
# (2,048 B tiles). Globally allocated CBs (matmul partials when the output is tiled, output, reader indices, halo
# output) live in tensors, not in the CB region; the L1 array adds 64 B.


def test_conv2d_shard_layout_from_the_cb_formula(tmp_path):
    # 3x3, 512 -> 512, bias, input 34x34 in L1: Ho = Wo = 32 -> 1,024 output pixels = 32 tile rows.
    # IR (height): 32 cores of 1 tile row: pM = 1, abw = 3*512/32 = 48, pN = 512/32 = 16; one act block (abh 1,
    #   no split reader): weights 16*48 = 768, act 48, act tilized 48, bias 16 = 880 tiles
    #   -> 880 * 2,048 + 64 + 102,656 = 1,904,960 B: over L1 (and no act_block_h can shrink pM = 1).
    # block 8 x 8: rows round_up(1,024, 8*32) / 8 = 128 = 4 tiles (pM = abh = 4), C_in per core 512/8 = 64 ->
    #   abw = 64*3/32 = 6, pN = 512/8/32 = 2; weights 2*6 = 12, act 4*6 = 24 (act + second reader share it; the
    #   im2col CB overlaps the act CB: bf16 in and out), act tilized 24, bias 2 = 62 tiles
    #   -> 62 * 2,048 + 64 + 102,656 = 229,696 B.
    # width (16 channel cores of 32): abw = 3*3*32/32 = 9, pN = 1, pM = 32: weights 9, act 288, tilized 288, bias 1,
    #   act row major 2*9 = 18 = 604 tiles -> 1,339,712 B: fits too, but the block region is smaller.
    by = _advice(conv2d_log(tmp_path, 34, 1_904_960, c=512))
    a = by["conv2d-shard-layout"]
    assert "shard_layout = block_sharded" in a.title and "from height_sharded" in a.title
    assert "shard_layout = #ttnn.tensor_memory_layout<block_sharded>" in a.rewrite and "weights_dtype = bf16" in a.rewrite
    assert a.predicted["worst_cb_region_end_bytes"] == 229_696 and a.predicted["fits"] is True
    assert "CB region 1,904,960 B" in a.evidence[0]
    assert a.verification.status == "not-run"
    kinds = {x.kind for x in a.assumptions}
    assert {"ir", "fact", "guess"} <= kinds
    assert "conv2d-act-block-h" not in by  # pM = 1: no block height helps; the layout does


def test_conv2d_shard_layout_negative_no_layout_fits(tmp_path):
    """Negative: the 514x514 64-channel conv (act_block_h's test) overflows in every layout: block 8 x 8 keeps
    1,024 tile rows per core (act 1,024 x 1 tiles, over 4 MB), width 2 channel cores keep all 8,192 rows."""
    assert "conv2d-shard-layout" not in _advice(conv2d_log(tmp_path, 514, 3_277_120))


def test_conv2d_dram_slice_from_the_cb_formula(tmp_path):
    # 3x3, 64 -> 64, bias, 514x514 input in DRAM; the IR forces the L1 path (l1_full): 262,144 pixels over 64
    # cores = 128 tile rows per core -> 3,277,120 B (act_block_h's test). dram_height slices of the 512 output rows
    # (op_slicing.cpp @0205dffd), each a height-sharded conv2d_L1 on 64 cores, abw 6, pN 2:
    # 2 slices of 256 rows: 131,072 px -> round_up(131,072, 64*32) / 64 = 2,048 rows = 64 tiles: weights 12, act
    #   64*6 = 384 (split between the two readers), tilized 384, bias 2 = 782 tiles -> 1,704,256 B: over.
    # 3 slices: the largest 171 rows x 512 = 87,552 px -> round_up(87,552, 2,048) / 64 = 1,376 rows = 43 tiles:
    #   weights 12, act 43*6 = 258 (132 + 126), tilized 258, bias 2 = 530 tiles -> 530 * 2,048 + 64 + 102,656
    #   = 1,188,160 B: fits. dram_width needs as many slices (171 columns x 512 rows, the same pixels): height kept.
    by = _advice(conv2d_log(tmp_path, 514, 3_277_120, in_dram=True, slice_config="l1_full, 0"))
    a = by["conv2d-dram-slice"]
    assert "<dram_height, 3>" in a.title and "IR: l1_full, 0" in a.title
    assert "conv2d_slice_config = #ttnn.conv2d_slice_config<dram_height, 3>" in a.rewrite
    assert a.predicted["worst_cb_region_end_bytes"] == 1_188_160 and a.predicted["fits"] is True
    assert a.verification.status == "not-run"


def test_conv2d_dram_slice_negative(tmp_path):
    """Negative: an L1 input cannot be DRAM-sliced by this knob, and a DRAM input without a slice config is sliced
    by tt-metal itself (the model fits: it cannot explain the overflow)."""
    assert "conv2d-dram-slice" not in _advice(conv2d_log(tmp_path, 514, 3_277_120))
    assert "conv2d-dram-slice" not in _advice(conv2d_log(tmp_path, 514, 3_277_120, in_dram=True, name="auto"))


def test_conv2d_no_act_double_buffer_from_the_cb_formula(tmp_path):
    # 3x3, 64 -> 64, bias, 288x288 input in L1, height: Ho = Wo = 286 -> 81,796 px -> round_up(81,796, 2,048) / 64
    # = 1,280 rows = 40 tiles per core (pM = abh = 40), abw 6, pN 2.
    # double-buffered: weights 12, act 2 * 40*6 = 480, tilized 240, bias 2 = 734 tiles -> 734 * 2,048 + 64 + 102,656 = 1,605,952 B: over.
    # off: 12 + 240 + 240 + 2 = 494 tiles -> 494 * 2,048 + 64 + 102,656 = 1,114,432 B: fits.
    by = _advice(conv2d_log(tmp_path, 288, 1_605_952, act_double_buffer=True))
    a = by["conv2d-no-act-double-buffer"]
    assert "enable_act_double_buffer = false" in a.rewrite and "enable_act_double_buffer = true" not in a.rewrite
    assert a.predicted["worst_cb_region_end_bytes"] == 1_114_432 and a.predicted["fits"] is True
    assert "CB region 1,605,952 B" in a.evidence[0]
    assert a.verification.status == "not-run" and "unchanged" in a.verification.detail


def test_conv2d_no_act_double_buffer_negative_already_off(tmp_path):
    """Negative: the IR does not double-buffer the activation: nothing to turn off."""
    assert "conv2d-no-act-double-buffer" not in _advice(conv2d_log(tmp_path, 514, 3_277_120, act_double_buffer=False))


def test_matmul_per_core_block_from_the_cb_formula(tmp_path):
    # matmul_multicore_reuse_mcast_2d_program_factory.cpp @043b5ac2: [512 x 2048] x [2048 x 4096]: Mt 16, Kt 64,
    # Nt 128; in0_block_w 2 (32 K blocks: c_0 / c_1 double-buffered). IR per_core 16 x 64 (1 x 2 blocks):
    #   c_0 16*2*2 = 64, c_1 64*2*2 = 256, c_4 16*64 = 1,024 tiles = 1,344 * 2,048 + 102,656 = 2,855,168 B: over
    #   (in0_block_w 1 still leaves c_4: 32 + 128 + 1,024 tiles = 2,527,488 B).
    # Divisors within the 8 x 8 grid (ceil(16/m) <= 8, ceil(128/n) <= 8: m >= 2, n >= 16), fit: 4m + 4n + mn <= 681:
    #   m*n 512: (8, 64) 800, (16, 32) 704 tiles: over; m*n 256: (4, 64) 528, (8, 32) 416, (16, 16) 384: fit ->
    #   (16, 16), the smallest: 384 * 2,048 + 102,656 = 889,088 B on 1 x 8 cores; subblock 1 x 8 divides 16 x 16.
    by = _advice(matmul_log(tmp_path, 512, 2048, 4096, 16, 64, 2_855_168))
    a = by["matmul-per-core-block"]
    assert "per_core_M = 16, per_core_N = 16 (from 16, 64)" in a.title and "1 x 8 output blocks" in a.title
    assert "per_core_n = 16," in a.rewrite and "out_block_w = 16," in a.rewrite and "out_subblock_w = 8," in a.rewrite
    assert a.predicted["worst_cb_region_end_bytes"] == 889_088 and a.predicted["fits"] is True
    assert "CB region 2,855,168 B" in a.evidence[0] and a.verification.status == "not-run"
    assert by["matmul-in0-block-w"].predicted["worst_cb_region_end_bytes"] == 2_527_488


def test_matmul_per_core_block_negative_grid_bound(tmp_path):
    """Negative: a 2 x 1 grid needs per_core_M 16 (ceil(16/m) <= 1) and per_core_N >= 64 (ceil(128/n) <= 2): no
    smaller block fits the grid, so fewer tiles per core is not an option."""
    assert "matmul-per-core-block" not in _advice(matmul_log(tmp_path, 512, 2048, 4096, 16, 64, 2_855_168,
                                                             grid=(2, 1)))


def test_matmul_per_core_block_sized_below_a_clashing_l1_buffer(tmp_path):
    # The matmul of test_matmul_per_core_block_from_the_cb_formula, failing with a CB / L1-buffer clash at 800,000 B
    # (program.cpp validate_circular_buffer_region): the region must end there: 4m + 4n + mn <= (800,000 - 102,656)
    # / 2,048 = 340 tiles. m*n 256: 528, 416, 384 over; m*n 128: (2, 64) 8 + 256 + 128 = 392 over, (4, 32) 16 + 128
    # + 128 = 272, (8, 16) 32 + 64 + 128 = 224 fit ((16, 8): 16 column blocks > 8) -> (8, 16): 224 * 2,048 +
    # 102,656 = 561,408 B on 2 x 8 cores.
    p = Path(matmul_log(tmp_path, 512, 2048, 4096, 16, 64, 0))
    text = p.read_text().splitlines(keepends=True)[:-1]
    text.append("2025-12-31 16:11:36.007 | critical |          Always | TT_THROW: Statically allocated circular "
                "buffers in program 7 clash with L1 buffers on core range [(x=0,y=0) - (x=7,y=7)]. L1 buffer "
                "allocated at 800000 and static circular buffer region ends at 2855168 (program.cpp:1186)\n")
    p.write_text("".join(text))
    a = _advice(str(p))["matmul-per-core-block"]
    assert "per_core_M = 8, per_core_N = 16" in a.title and "2 x 8 output blocks" in a.title
    assert a.predicted["worst_cb_region_end_bytes"] == 561_408 and a.predicted["fits"] is True
    assert any("800,000 B" in x.claim for x in a.assumptions)


# matmul-mcast-kind: the other program config kind, every field from tt-metal's recipe (matmul_program_config.cpp
# @001cea9a: get_mcast_1d_config, create_matmul_program_config, get_multi_dim_per_core_factor, the subblock
# searches). The estimate is get_estimated_size_of_cbs in tiles of 2,048 B (bf16): 2·pM·kw + 2·pN·kw + pM·pN
# (output) + pM·pN (interm: max(2,048, output tile)), strictly below get_max_l1_space = 1,499,136 - 102,656 =
# 1,396,480 B = 681.875 tiles. Real CBs (1-D factory @00629f0f, same as 2-D @043b5ac2): c_0 = out_block_h·kw,
# c_1 = out_block_w·kw (x2 with more than one K block), c_4 = out_block_h·out_block_w; + the CB base 102,656 B.


def matmul_1d_log(tmp_path: Path, m: int, k: int, n: int, pm: int, pn: int, end: int, *, kw: int, mcast_in0: bool,
                  sub=(1, 1), grid=(8, 8)) -> str:
    """A matmul [m x k] x [k x n] (bf16, tiled, DRAM interleaved) with a 1-D mcast config (out block = per-core
    block), failing with a CB overflow that grows to ``end`` B; fields as tt-mlir prints them
    (test_perf_matmul_multi_core_reuse_multi_cast_1d_program_config.mlir)."""

    cfg = ("#ttnn.matmul_multi_core_reuse_multi_cast_1d_program_config<compute_with_storage_grid_size = "
           f"#ttnn.core_coord<{grid[0]}, {grid[1]}>, in0_block_w = {kw}, out_subblock_h = {sub[0]}, out_subblock_w = "
           f"{sub[1]}, out_block_h = {pm}, out_block_w = {pn}, per_core_m = {pm}, per_core_n = {pn}, fuse_batch = "
           f"true, mcast_in0 = {str(mcast_in0).lower()}, gather_in0 = false, hop_cores = #ttnn.core_range_set<>, "
           "num_global_cb_receivers = 0, untilize_out = false>")
    return _matmul_file(tmp_path / f"mm1d_{pm}_{pn}.log", cfg, m, k, n, end)


def test_matmul_mcast_kind_2d_to_1d_from_the_recipe(tmp_path):
    """The 2-D matmul of test_matmul_per_core_block_from_the_cb_formula (Mt 16, Kt 64, Nt 128, 8 x 8 grid,
    per_core 16 x 64: 2,855,168 B). get_mcast_1d_config on the 64 cores:
    mcast_in0: per_core_M = 16, per_core_N = ceil(ceil(4,096 / 64) / 32) = 2, kw 2 (Kt even); estimate 64 + 8 + 32 +
      32 = 136 tiles fits -> out block 16 x 2; subblock: (4, 2) is the first choice dividing 16 x 2. CBs c_0 16·2·2 =
      64, c_1 2·2·2 = 8, c_4 32 = 104 tiles -> 104 x 2,048 + 102,656 = 315,648 B.
    mcast_in1: per_core_M = ceil(ceil(512 / 64) / 32) = 1, per_core_N = 128; 1 x 128 estimates 4 + 512 + 256 = 772
      tiles (over) -> the largest fitting 1 x 64 (4 + 256 + 128 = 388); CBs 4 + 256 + 64 = 324 tiles = 766,208 B.
    Both fit; mcast_in0 has the smaller region."""
    by = _advice(matmul_log(tmp_path, 512, 2048, 4096, 16, 64, 2_855_168))
    a = by["matmul-mcast-kind"]
    assert "1-D mcast (mcast_in0)" in a.title and "from 2-D mcast" in a.title
    assert "#ttnn.matmul_multi_core_reuse_multi_cast_1d_program_config<" in a.rewrite
    for field in ("compute_with_storage_grid_size = #ttnn.core_coord<8, 8>", "in0_block_w = 2,", "out_subblock_h = 4,",
                  "out_subblock_w = 2,", "out_block_h = 16,", "out_block_w = 2,", "per_core_m = 16,",
                  "per_core_n = 2,", "fuse_batch = true", "mcast_in0 = true"):
        assert field in a.rewrite, field
    assert a.predicted["worst_cb_region_end_bytes"] == 315_648 and a.predicted["fits"] is True
    assert "CB region 2,855,168 B" in a.evidence[0] and a.verification.status == "not-run"
    assert {x.kind for x in a.assumptions} == {"ir", "fact", "guess"}
    assert any("001cea9a" in x.source for x in a.assumptions)


def test_matmul_mcast_kind_on_the_shapes_of_tt_metal_36426(tmp_path):
    """Shapes of tt-metal#36426 ("[matmul] L1 OOM on n150 when specifying core grid", 11008 x 8192 by 8192 x 4096 on
    an 8 x 8 grid; here without its transpose_a): Mt 344, Kt 256, Nt 128. A 2-D config with create_matmul_program_
    config's per-core block (ceil(344/8) = 43 x ceil(128/8) = 16, in0_block_w 4) but the out block left at the whole
    per-core block: c_0 43·4·2 = 344, c_1 16·4·2 = 128, c_4 688 = 1,160 tiles -> 2,478,336 B: over.
    mcast_in0: per_core 344 x ceil(ceil(4,096/64)/32) = 2, kw 2; 344 x 2 estimates 1,376 + 8 + 1,376 (over); the
      factor search (m in 344, 1, 172, 86, 43, 8, 4, 2; n in 2, 1; per product the squarest) keeps 43 x 2 for 86
      (172 + 8 + 172 = 352 tiles; 172, 344, 688 all over) -> subblock 1 x 2 (43 is prime); CBs c_0 43·2·2 = 172,
      c_1 2·2·2 = 8, c_4 86 = 266 tiles -> 266 x 2,048 + 102,656 = 647,424 B.
    mcast_in1: per_core ceil(ceil(11,008/64)/32) = 6 x 128; out block 6 x 32 (24 + 128 + 384 = 536 tiles) -> CBs
      24 + 128 + 192 = 344 tiles = 807,168 B. mcast_in0 is kept."""
    by = _advice(matmul_log(tmp_path, 11008, 8192, 4096, 43, 16, 2_478_336, kw=4, sub=(1, 8)))
    a = by["matmul-mcast-kind"]
    assert "mcast_in0" in a.title and "per_core_M = 344, per_core_N = 2, out block 43x2" in a.title
    for field in ("per_core_m = 344,", "per_core_n = 2,", "out_block_h = 43,", "out_block_w = 2,", "out_subblock_h = 1,",
                  "out_subblock_w = 2,", "in0_block_w = 2,", "mcast_in0 = true"):
        assert field in a.rewrite, field
    assert a.predicted["worst_cb_region_end_bytes"] == 647_424 and a.predicted["fits"] is True
    assert "CB region 2,478,336 B" in a.evidence[0]


def test_matmul_mcast_kind_1d_to_2d_from_the_recipe(tmp_path):
    """[2048 x 1024] x [1024 x 2048]: Mt 64, Kt 32, Nt 64; a 1-D mcast_in0 config on 8 x 8 with per_core 64 x 1 and
    in0_block_w 32 (one K block: no double buffer): c_0 64·32 = 2,048, c_1 32, c_4 64 = 2,144 tiles -> 4,493,568 B.
    2-D (create_matmul_program_config): per_core ceil(64/8) = 8 x ceil(64/8) = 8, in0_block_w 4 (divides 32);
      estimate 64 + 64 + 64 + 64 = 256 tiles fits -> out block 8 x 8; get_subblock_sizes: (w 4, h 2) first, and
      w 4 != per_core_N 8 -> h 1: subblock 1 x 4. CBs c_0 8·4·2 = 64, c_1 64, c_4 64 = 192 tiles -> 495,872 B.
    1-D mcast_in1: per_core ceil(ceil(2,048/64)/32) = 1 x 64, kw 2, out block 1 x 64 (4 + 256 + 128 = 388 tiles
      fits) -> CBs 4 + 256 + 64 = 324 tiles = 766,208 B. The 2-D config is kept."""
    by = _advice(matmul_1d_log(tmp_path, 2048, 1024, 2048, 64, 1, 4_493_568, kw=32, mcast_in0=True))
    a = by["matmul-mcast-kind"]
    assert "2-D mcast program config" in a.title and "from 1-D mcast (mcast_in0)" in a.title
    assert "#ttnn.matmul_multi_core_reuse_multi_cast_program_config<" in a.rewrite
    for field in ("per_core_m = 8,", "per_core_n = 8,", "out_block_h = 8,", "out_block_w = 8,", "in0_block_w = 4,",
                  "out_subblock_h = 1,", "out_subblock_w = 4,", "transpose_mcast = false"):
        assert field in a.rewrite, field
    assert a.predicted["worst_cb_region_end_bytes"] == 495_872 and a.predicted["fits"] is True
    assert "CB region 4,493,568 B" in a.evidence[0]


def test_matmul_mcast_kind_negative(tmp_path):
    """Negative: (1) a config the model says fits (tt-mlir's 2-D perf test config, 512 x 512 x 1024, per_core 2 x 4,
    in0_block_w 16 = Kt, one K block so single-buffered: c_0 2·16 = 32, c_1 4·16 = 64, c_4 8 tiles) has no overflow
    to fix; (2) a CB / L1-buffer clash at 110,000 B
    leaves 7,344 B = 3.6 tiles above the CB base: the recipe's smallest block (out block 1 x 1 with in0_block_w 2:
    c_0 4 + c_1 4 + c_4 1 = 9 tiles = 121,088 B) still ends above it, so no kind fits."""
    assert "matmul-mcast-kind" not in _advice(matmul_log(tmp_path, 512, 512, 1024, 2, 4, 2_000_000, kw=16,
                                                         sub=(2, 4)))
    p = Path(matmul_log(tmp_path, 512, 2048, 4096, 16, 64, 0))
    text = p.read_text().splitlines(keepends=True)[:-1]
    text.append("2025-12-31 16:11:36.007 | critical |          Always | TT_THROW: Statically allocated circular "
                "buffers in program 7 clash with L1 buffers on core range [(x=0,y=0) - (x=7,y=7)]. L1 buffer "
                "allocated at 110000 and static circular buffer region ends at 2855168 (program.cpp:1186)\n")
    p.write_text("".join(text))
    assert "matmul-mcast-kind" not in _advice(str(p))


def test_matmul_dram_sharded_states_the_prerequisites(tmp_path):
    """One tile row of A ([32 x 4096] x [4096 x 16384], 2-D per_core 1 x 256, in0_block_w 8: c_0 1·8·2 = 16, c_1
    256·8·2 = 4,096, c_4 256 = 4,368 tiles -> 9,048,320 B): the DRAM-sharded config is possible (validate: M = 1
    tile) but needs width-sharded operands the IR does not have: advice without a rewrite, figure unknown.
    mcast-kind meanwhile: mcast_in0 per_core 1 x ceil(ceil(16,384/64)/32) = 8, kw 2, subblock 1 x 8: c_0 4, c_1 32,
    c_4 8 = 44 tiles -> 192,768 B."""
    by = _advice(matmul_log(tmp_path, 32, 4096, 16384, 1, 256, 9_048_320, kw=8))
    d = by["matmul-dram-sharded"]
    assert d.rewrite == "" and d.predicted == {} and "unknown" in d.notes[0]
    assert "CB region 9,048,320 B" in d.evidence[0]
    assert any("A is dram interleaved (needs L1 width-sharded)" in e for e in d.evidence)
    assert any("B is dram interleaved (needs DRAM width-sharded)" in e for e in d.evidence)
    assert any(x.kind == "fact" and "matmul_device_operation.cpp" in x.source and "per_core_M = M = 1 tile" in x.claim
               for x in d.assumptions)
    assert by["matmul-mcast-kind"].predicted["worst_cb_region_end_bytes"] == 192_768


def test_matmul_dram_sharded_negative_more_than_one_tile_row(tmp_path):
    """Negative: 512 rows of A (16 tiles): tt-metal's validate rejects the DRAM-sharded config (M must be 1 tile)."""
    assert "matmul-dram-sharded" not in _advice(matmul_log(tmp_path, 512, 2048, 4096, 16, 64, 2_855_168))
