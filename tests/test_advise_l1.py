"""L1 allocation advice that holds for any model: an L1 out-of-memory (the DRAM memory config for the failing
op's result; fragmentation: deallocate earlier), and a CB / L1-buffer clash (which live L1 values the IR
places there and by how much the regions overlap, tt-metal #28835).

The logs are written here in tt-metal's message formats (bank_manager.cpp ``BankManager::allocate_buffer``
@dbc6e1ae; program.cpp ``validate_circular_buffer_region``) with figures modelled on public issue threads
(each test names its thread); every expected figure is computed by hand in a comment.
"""

from __future__ import annotations

from pathlib import Path

from ttdiag.advise import advise
from ttdiag.analyze.triage import triage
from ttdiag.ir.printer import tensor_text
from ttdiag.parse.mlir import OpLineParser

RT = "            RuntimeTTNN |    DEBUG | "
ERR = "2026-04-21 10:00:00.000 | critical |          Always | "


def _l1(shape):
    return tensor_text(shape, "bf16", True, "l1")


def _dram(shape):
    return tensor_text(shape, "bf16", True, "dram")


def _oom(buffer: str, size: int, banks: int, per_bank: int, bank: int, alloc: int, free: int, largest: int) -> str:
    return (f"{ERR}TT_FATAL: Out of Memory: Not enough space to allocate {size} B {buffer} buffer across {banks} "
            f"banks, where each bank needs to store {per_bank} B, but bank size is {bank} B (allocated: {alloc} B, "
            f"free: {free} B, largest free block: {largest} B) (assert.hpp:104)")


def _write(tmp_path: Path, name: str, ops: list[str], error: str) -> str:
    p = tmp_path / name
    p.write_text("\n".join([f"{RT}Starting execution of program: main"]
                           + [f"{RT}Executing operation: {o}" for o in ops] + [error]) + "\n")
    return str(p)


def _advice(path: str):
    r = triage(path)
    advise(r)
    return r, {a.rule: a for a in r.failures[0].advice}


def _falcon_like(tmp_path: Path, out=_l1) -> str:
    """tt-mlir#8044 (https://github.com/tenstorrent/tt-mlir/issues/8044): falcon3_7b, "Not enough space to
    allocate 26542080 B L1 buffer across 48 banks, where each bank needs to store 552960 B, but bank size is
    1329888 B (allocated: 417792 B, free: 912096 B, largest free block: 522240 B)".

    The failing op here: %3 = concat(%2 [320, 40960], %arg1 [320, 512]) -> [320, 41472] bf16 tiled: 10 x 1,296 = 12,960 tiles x 2,048 B
    = 26,542,080 B, over 48 banks ceil(12,960 / 48) = 270 tiles = 552,960 B per bank (the message's figures).
    %1 (relu, [320, 4096] L1: 10 x 128 = 1,280 tiles; ceil(1,280 / 48) = 27 x 2,048 = 55,296 B per bank) is last
    used by %2 (line 3) and never deallocated; %2 is an operand of the failing op."""
    a, rep, big = _l1((320, 4096)), _l1((320, 40960)), (320, 41472)
    ops = [f'%1 = "ttnn.relu"(%arg0) : ({a}) -> {a} loc(unknown)',
           f'%2 = "ttnn.repeat"(%1) <{{repeat_dims = #ttnn.shape<1x10>}}> : ({a}) -> {rep} loc(unknown)',
           f'%3 = "ttnn.concat"(%2, %arg1) <{{dim = 1 : si32}}> : ({rep}, {_dram((320, 512))}) -> {out(big)} '
           'loc(unknown)']
    return _write(tmp_path, "falcon.log", ops,
                  _oom("L1", 26542080, 48, 552960, 1329888, 417792, 912096, 522240))


def test_l1_oom_dram_memory_config(tmp_path):
    """Rule A on tt-mlir#8044's figures: %3's L1 interleaved result moves to DRAM; 552,960 B per bank freed (the
    message's per-bank need, so the result is the buffer that failed); values equal by construction."""
    r, by = _advice(_falcon_like(tmp_path))
    a = by["l1-oom-dram-config"]
    assert a.verification.status == "layout-only" and "equal by construction" in a.verification.detail
    assert a.predicted["l1_bytes_per_bank_freed"] == 552_960 and a.predicted["needed_bytes_per_bank"] == 552_960
    assert a.title.startswith("Put the result of %3 ttnn.concat in DRAM") and "552,960 B per L1 bank" in a.title
    (op,) = [OpLineParser().parse(x) for x in a.rewrite.splitlines()]
    assert op.name == "ttnn.concat" and op.result_types[0].layout.buffer_type == "dram"
    assert op.operand_types[0].layout.buffer_type == "l1"  # operands unchanged
    assert any(x.kind == "fact" and "bank_manager.cpp" in x.source for x in a.assumptions)
    assert any(x.kind == "ir" and "log line 4" in x.source for x in a.assumptions)  # the concat's line
    assert not any(x.kind == "guess" for x in a.assumptions)


def test_l1_oom_fragmented_names_the_stale_value(tmp_path):
    """Rule B on tt-mlir#8044: free 912,096 >= needed 552,960 > largest 522,240 B: fragmented, 30,720 B short in
    one block. %1 (55,296 B per bank over 48 banks) is last used on line 3 and never deallocated: a deallocate
    after line 3 is the rewrite."""
    _, by = _advice(_falcon_like(tmp_path))
    a = by["l1-oom-fragmented"]
    p = a.predicted
    assert (p["free_bytes_per_bank"], p["needed_bytes_per_bank"], p["largest_free_block_bytes"]) == \
        (912_096, 552_960, 522_240)
    assert p["short_in_one_block_bytes"] == 30_720  # 552,960 - 522,240
    assert p["l1_bytes_per_bank_freed"] == 55_296  # 27 tiles x 2,048
    assert "%1" in a.title and "%2" not in a.title  # %2 feeds the failing op: it must stay
    assert "// after line 3" in a.rewrite
    ops = [OpLineParser().parse(x) for x in a.rewrite.splitlines() if not x.startswith("//")]
    assert [(o.name, o.operands) for o in ops] == [("ttnn.deallocate", ["%1"])]
    assert a.verification.status == "layout-only"
    assert any("912,096 B free per bank >= 552,960 B needed > 522,240 B" in e for e in a.evidence)


def test_l1_oom_fragmented_qwen_without_op_lines(tmp_path):
    """tt-mlir#8110 (https://github.com/tenstorrent/tt-mlir/issues/8110): qwen_3_32b_tp, 608,256 B needed per
    bank, 1,005,952 B free, largest block 591,872 B: fragmented (16,384 B short in one block). No op lines: the
    advice says the live tensors are unknown and has no rewrite."""
    p = tmp_path / "qwen.log"
    p.write_text(_oom("L1", 38928384, 64, 608256, 1329888, 323936, 1005952, 591872) + "\n")
    _, by = _advice(str(p))
    a = by["l1-oom-fragmented"]
    assert a.predicted["short_in_one_block_bytes"] == 16_384  # 608,256 - 591,872
    assert a.rewrite == "" and any("unknown" in n for n in a.notes)
    assert "l1-oom-dram-config" not in by  # no op to rewrite


def test_l1_oom_negative_not_fragmented(tmp_path):
    """Negative: free 429,888 < needed 608,256 B (simply full), and a largest block of 610,304 >= 608,256 B: no
    fragmentation advice in either case."""
    for free, largest in ((429_888, 429_888), (700_000, 610_304)):
        p = tmp_path / f"full_{largest}.log"
        p.write_text(_oom("L1", 38928384, 64, 608256, 1329888, 900000, free, largest) + "\n")
        _, by = _advice(str(p))
        assert "l1-oom-fragmented" not in by


def test_l1_small_oom_negative(tmp_path):
    """Negative: an L1_SMALL out-of-memory (the small region below L1 that holds conv config / halo tensors, no
    interleaved outputs), even with fragmented figures (free 60,000 >= needed 40,960 > largest 32,768 B): no
    L1 memory config or L1 fragmentation advice."""
    ops = [f'%3 = "ttnn.relu"(%2) : ({_l1((320, 4096))}) -> {_l1((320, 4096))} loc(unknown)']
    path = _write(tmp_path, "small.log", ops, _oom("L1_SMALL", 2621440, 64, 40960, 65536, 5536, 60000, 32768))
    r, by = _advice(path)
    assert r.failures[0].failure.figures["buffer_type"] == "L1_SMALL"
    assert "l1-oom-dram-config" not in by and "l1-oom-fragmented" not in by
    assert "l1-pressure" not in by  # moving L1 tensors to DRAM frees nothing in L1_SMALL


def test_l1_pressure_moves_a_value_used_twice_once(tmp_path):
    # %2 is both operands of the add: one to_memory_config for it, not two
    t = _l1((320, 4096))
    ops = [f'%3 = "ttnn.add"(%2, %2) : ({t}, {t}) -> {t} loc(unknown)']
    path = _write(tmp_path, "twice.log", ops, _oom("L1", 38928384, 64, 608256, 1329888, 900000, 100000, 50000))
    r, _ = _advice(path)
    a = next(a for a in r.failures[0].advice if a.rule == "l1-pressure" and a.title.startswith("Move"))
    assert a.title.startswith("Move %2, %3 of %3 ttnn.add to DRAM")
    assert a.rewrite.count('"ttnn.to_memory_config"(%2)') == 1


def test_dram_oom_negative(tmp_path):
    """Negative, tt-xla#4130 (https://github.com/tenstorrent/tt-xla/issues/4130): a DRAM out-of-memory (58,720,256 B
    across 12 banks; free 183,397,344 >= needed 4,894,720 > largest 3,382,944: fragmented DRAM) is not L1: no DRAM
    memory config advice and no L1 fragmentation advice."""
    big = (2048, 14336)
    ops = [f'%3 = "ttnn.multiply"(%1, %2) : ({_dram(big)}, {_dram(big)}) -> {_dram(big)} loc(unknown)']
    path = _write(tmp_path, "dram.log", ops, _oom("DRAM", 58720256, 12, 4894720, 1071821792, 888424448, 183397344,
                                                  3382944))
    _, by = _advice(path)
    assert "l1-oom-dram-config" not in by and "l1-oom-fragmented" not in by


def test_l1_oom_dram_config_for_an_l1_operand(tmp_path):
    """The failing concat's result is DRAM but its operand %2 is L1 interleaved: the advice moves %2's producer
    (the repeat, line 3) to DRAM. %2 [320, 40960]: 10 x 1,280 = 12,800 tiles; ceil(12,800 / 48) = 267 tiles x
    2,048 = 546,816 B per bank, less than the 552,960 B needed: said so, and the fit is a guess."""
    _, by = _advice(_falcon_like(tmp_path, out=_dram))
    a = by["l1-oom-dram-config"]
    (op,) = [OpLineParser().parse(x) for x in a.rewrite.splitlines()]
    assert op.name == "ttnn.repeat" and op.results == ["%2"] and op.result_types[0].layout.buffer_type == "dram"
    assert a.predicted["l1_bytes_per_bank_freed"] == 546_816
    assert a.predicted["freed_block_covers_need"] is False
    assert any("less than the 552,960 B needed" in n for n in a.notes)
    assert any(x.kind == "guess" for x in a.assumptions) and a.verification.status == "layout-only"


def test_l1_oom_negative_nothing_in_l1(tmp_path):
    """Negative: an L1 out-of-memory at an op whose operands and result are all DRAM (the L1 allocation is an
    intermediate of the op): no DRAM memory config advice."""
    x, y = _dram((320, 40960)), _dram((320, 512))
    ops = [f'%3 = "ttnn.concat"(%arg0, %arg1) <{{dim = 1 : si32}}> : ({x}, {y}) -> {_dram((320, 41472))} '
           'loc(unknown)']
    path = _write(tmp_path, "all_dram.log", ops, _oom("L1", 26542080, 48, 552960, 1329888, 417792, 912096, 522240))
    _, by = _advice(path)
    assert "l1-oom-dram-config" not in by and "l1-oom-fragmented" in by


def _clash_log(tmp_path: Path, name: str = "clash.log") -> str:
    """tt-xla#4214 (https://github.com/tenstorrent/tt-xla/issues/4214): google_gemma, "Statically allocated circular
    buffers in program 65868 clash with L1 buffers on core range [(x=0,y=0) - (x=3,y=7)]. L1 buffer allocated at
    665600 and static circular buffer region ends at 890144": overlap 890,144 - 665,600 = 224,544 B.

    Live L1 values at the failing softmax (64 banks on wormhole_b0):
      %1 [2048, 8192]: 64 x 256 = 16,384 tiles / 64 = 256 x 2,048 = 524,288 B per bank, last used by %2, never
         deallocated;
      %2 [256, 2048]: 8 x 64 = 512 tiles / 64 = 8 x 2,048 = 16,384 B per bank, the softmax's operand;
      %4 [128, 128]: deallocated on line 5 (not live);
      %5 (the softmax's own result) [256, 2048]: 16,384 B per bank.
    Only %1 (524,288 B >= 224,544 B) can lift the lowest buffer past the CB region alone: it is the one moved."""
    big, mid, small = (2048, 8192), (256, 2048), (128, 128)
    # the program inputs are in DRAM: the live L1 values are the ones listed above
    ops = [f'%1 = "ttnn.relu"(%arg0) : ({_dram(big)}) -> {_l1(big)} loc(unknown)',
           f'%2 = "ttnn.sum"(%1) <{{dim_arg = [0 : i32], keep_dim = true}}> : ({_l1(big)}) -> {_l1(mid)} loc(unknown)',
           f'%4 = "ttnn.relu"(%arg1) : ({_dram(small)}) -> {_l1(small)} loc(unknown)',
           f'"ttnn.deallocate"(%4) <{{force = false}}> : ({_l1(small)}) -> () loc(unknown)',
           f'%5 = "ttnn.softmax"(%2) <{{dimension = 3 : si32}}> : ({_l1(mid)}) -> {_l1(mid)} loc(unknown)']
    err = (f"{ERR}TT_THROW: Statically allocated circular buffers in program 65868 clash with L1 buffers on core "
           "range [(x=0,y=0) - (x=3,y=7)]. L1 buffer allocated at 665600 and static circular buffer region ends at "
           "890144")
    return _write(tmp_path, name, ops, err)


def test_cb_clash_names_live_l1_values_and_overlap(tmp_path):
    r, by = _advice(_clash_log(tmp_path))
    assert r.failures[0].failure.kind == "cb-clashes-with-l1-buffer"
    a = by["cb-clash-live-l1"]
    assert a.predicted["overlap_bytes"] == 224_544  # 890,144 - 665,600
    assert "224,544 B" in a.title and "move %1 (524,288 B per bank) to DRAM" in a.title
    live = next(e for e in a.evidence if e.startswith("live L1 values"))
    assert "%1" in live and "%2" in live and "%5" in live and "%4" not in live  # %4 was deallocated
    assert "16,384 B per bank" in live
    assert "%2 (ttnn.sum, line 3; 16,384 B per bank; an operand of the failing op)" in live
    assert "%1 (ttnn.relu, line 2; 524,288 B per bank; last used by %2 ttnn.sum (line 3))" in live
    assert any("%5, %5's result, is in L1" in x.claim for x in a.assumptions)
    (op,) = [OpLineParser().parse(x) for x in a.rewrite.splitlines()]
    assert op.name == "ttnn.relu" and op.results == ["%1"] and op.result_types[0].layout.buffer_type == "dram"
    assert a.verification.status == "layout-only"
    assert any(x.kind == "guess" and "top-down" in x.source for x in a.assumptions)
    assert any("program.cpp" in x.source for x in a.assumptions)


def test_cb_clash_uses_the_memory_section(tmp_path):
    """When the triage's memory section has figures (a record), the advice uses them: here a record puts the
    lowest buffer at 800,000 B, so the overlap is 890,144 - 800,000 = 90,144 B."""
    r = triage(_clash_log(tmp_path))
    r.failures[0].memory = {"source": "graph capture x.json", "cb_region_end_bytes": 890_144,
                            "lowest_l1_buffer_bytes": 800_000, "overlap_bytes": 90_144,
                            "sources": {"cb_region_end_bytes": "message", "lowest_l1_buffer_bytes": "record"}}
    advise(r)
    a = next(a for a in r.failures[0].advice if a.rule == "cb-clash-live-l1")
    assert a.predicted["overlap_bytes"] == 90_144 and "90,144 B" in a.title
    assert any("record" in x.claim and x.source == "graph capture x.json" for x in a.assumptions)


def test_cb_clash_without_figures_says_what_is_unknown(tmp_path):
    """Negative: a clash whose figures are missing (no message figures, no memory record): no overlap is claimed,
    the notes say which figures are unknown."""
    r = triage(_clash_log(tmp_path))
    figs = r.failures[0].failure.figures
    for k in ("cb_region_end_bytes", "l1_buffer_address_bytes", "overshoot_bytes"):
        figs.pop(k, None)
    advise(r)
    a = next(a for a in r.failures[0].advice if a.rule == "cb-clash-live-l1")
    assert a.predicted["overlap_bytes"] is None and "overlap" not in a.title
    assert any("overlap unknown" in n and "CB region end" in n and "lowest L1 buffer address" in n for n in a.notes)


def test_cb_clash_with_a_memory_view_record(tmp_path):
    """The same clash with the runtime's MemoryView lines before it (tt-mlir runtime DEBUG, MB = 2^20 B with 3
    decimals): L1 0.625 MB allocated per bank = 655,360 B. The live values of the op lines before %5 take
    524,288 (%1) + 16,384 (%2) = 540,672 B per bank, so 655,360 - 540,672 = 114,688 B per bank are tensors the
    log does not show."""
    mrt = "2026-01-05 10:00:00.000 |    DEBUG |     RuntimeTTNN | "

    def view(kind, banks, total, alloc, free):
        return (f"{mrt}Device {kind} memory state: MemoryView{{numBanks: {banks}, totalBytesPerBank: {total} MB, "
                f"totalBytesAllocatedPerBank: {alloc} MB, totalBytesFreePerBank: {free} MB, "
                f"largestContiguousBytesFreePerBank: {free} MB}}")

    path = Path(_clash_log(tmp_path))
    lines = path.read_text().splitlines()
    state = [f"{mrt}Device memory state before operation SoftmaxDeviceOperation",
             view("DRAM", 12, "1021.500", "0.016", "1021.484"), view("L1", 64, "1.268", "0.625", "0.643"),
             view("L1_SMALL", 64, "0.062", "0.000", "0.062"), view("TRACE", 12, "0.000", "0.000", "0.000")]
    path.write_text("\n".join(lines[:-1] + state + lines[-1:]) + "\n")
    r, by = _advice(str(path))
    assert r.failures[0].memory is not None and r.failures[0].memory["live_l1_bytes_per_bank"] == 655_360
    a = by["cb-clash-live-l1"]
    assert a.predicted["overlap_bytes"] == 224_544  # the message's figures still: 890,144 - 665,600
    assert a.predicted["record_live_l1_bytes_per_bank"] == 655_360
    assert a.predicted["ir_live_l1_bytes_per_bank"] == 540_672
    assert any("114,688 B per bank belong to tensors the log does not show" in e for e in a.evidence)


def test_cb_clash_links_the_matmul_knob(tmp_path):
    """A clash at a matmul with an IR program config: the in0_block_w knob is sized to the lowest L1 buffer
    (the clash's limit) instead of the L1 size. Modelled on tt-xla#5206
    (https://github.com/tenstorrent/tt-xla/issues/5206, phi-2: a CB / L1-buffer clash at execution).

    matmul_multicore_reuse_mcast_2d_program_factory.cpp @043b5ac2 (as in test_advise_ir_values): [512, 8192] x
    [8192, 4096], out block 2 x 16 tiles, Kt = 256; in0_block_w 16 (16 K blocks, double-buffered):
    c_0 2*16*2 = 64, c_1 16*16*2 = 512, c_4 2*16 = 32 tiles = 608 x 2,048 = 1,245,184 + base 102,656
    = 1,347,840 B, above the L1 buffer at 1,300,000 B: 47,840 B of overlap.
    in0_block_w 8: (32 + 256 + 32) x 2,048 = 655,360 + 102,656 = 758,016 B <= 1,300,000: fits."""
    cfg = ("#ttnn.matmul_multi_core_reuse_multi_cast_program_config<compute_with_storage_grid_size = "
           "#ttnn.core_coord<8, 8>, in0_block_w = 16, out_subblock_h = 1, out_subblock_w = 8, "
           "out_block_h = 2, out_block_w = 16, per_core_m = 2, per_core_n = 16, transpose_mcast = false, "
           "fuse_batch = true>")
    a, b, y = (_dram(s) for s in ((512, 8192), (8192, 4096), (512, 4096)))
    ops = [f'%2 = "ttnn.matmul"(%0, %1) <{{matmul_program_config = {cfg}}}> : ({a}, {b}) -> {y} loc(unknown)']
    err = (f"{ERR}TT_THROW: Statically allocated circular buffers in program 350188 clash with L1 buffers on core "
           "range [(x=0,y=0) - (x=7,y=7)]. L1 buffer allocated at 1300000 and static circular buffer region ends at "
           "1347840")
    r, by = _advice(_write(tmp_path, "mm_clash.log", ops, err))
    k = by["matmul-in0-block-w"]
    assert "in0_block_w = 8 (from 16)" in k.title
    assert k.predicted["worst_cb_region_end_bytes"] == 758_016 and k.predicted["fits"] is True
    assert k.predicted["l1_limit_bytes"] == 1_300_000
    assert "CB region 1,347,840 B" in k.evidence[0]
    assert any("1,300,000 B" in x.claim and "program.cpp" in x.source for x in k.assumptions)
    c = by["cb-clash-live-l1"]
    assert c.predicted["overlap_bytes"] == 47_840  # 1,347,840 - 1,300,000
    assert "matmul-in0-block-w" in c.title
    assert any("no L1 value" in n for n in c.notes) and c.rewrite == ""


def test_fragmented_says_when_the_window_is_full(tmp_path):
    """70 relu ops in L1, each deallocated-free: the reader keeps the last 64 op lines (parse/log.py WINDOW_OPS),
    so the advice names only values from the kept lines and says earlier ones are not named."""
    a = _l1((32, 32))
    ops = [f'%{i} = "ttnn.relu"(%{i - 1 if i > 1 else "arg0"}) : ({a}) -> {a} loc(unknown)' for i in range(1, 71)]
    path = _write(tmp_path, "long.log", ops, _oom("L1", 131072, 64, 2048, 1329888, 900000, 429888, 1024))
    _, by = _advice(path)
    f = by["l1-oom-fragmented"]
    assert any("only the last 64 op lines" in n for n in f.notes)
    # kept: %7 .. %70 (64 lines); %70 fails, %69 is its operand: %7 .. %68 (62 values, 2,048 B per bank each)
    # are stale; all the same size, so the first 8 of them by line are named: %7 .. %14
    assert f.title.startswith("Fragmented L1: deallocate %7, %8, %9 and 5 more after their last use")
    assert any("54 more L1 values" in n for n in f.notes)  # 62 - 8
    assert f.predicted["l1_bytes_per_bank_freed"] == 8 * 2_048
    assert f.rewrite.count('"ttnn.deallocate"') == 8 and "(%14)" in f.rewrite and "(%15)" not in f.rewrite


def test_l1_small_size_from_the_message_figures(tmp_path):
    """An L1_SMALL out-of-memory: open the device with a larger l1_small_size. Figures (own fixture, shaped like
    tt-metal#9372, https://github.com/tenstorrent/tt-metal/issues/9372, in the 2025 message format): the region
    holds 65,536 B per bank with 50,000 B allocated; the buffer needs 22,720 B per bank over 12 banks (272,640 B
    / 12); 50,000 + 22,720 = 72,720 B > 65,536 B, so the region needs at least 72,720 B (if its free bytes and
    the new ones form one block: a stated guess)."""
    path = _write(tmp_path, "small.log", [], _oom("L1_SMALL", 272640, 12, 22720, 65536, 50000, 15536, 15536))
    r, by = _advice(path)
    a = by["l1-small-size"]
    assert a.title == ("Open the device with a larger L1_SMALL region: l1_small_size of at least 72,720 B "
                       "(now 65,536 B)")
    assert a.predicted == {"needed_bytes_per_bank": 22720, "l1_small_size_bytes": 65536,
                           "allocated_bytes_per_bank": 50000, "minimum_l1_small_size_bytes": 72720}
    assert a.rewrite == "" and a.verification.status == "not-run"
    (g,) = [x for x in a.assumptions if x.kind == "guess"]
    assert g.claim.startswith("50,000 + 22,720 = 72,720 B is enough")


def test_l1_small_size_fragmented_says_the_block_is_a_guess(tmp_path):
    """free 30,000 >= needed 22,720 > largest 16,384 B per bank: 35,536 + 22,720 = 58,256 B fit the 65,536 B
    region in all but not in one block, so the region grows by the whole need: 65,536 + 22,720 = 88,256 B, and
    that those bytes form one block is a stated guess."""
    path = _write(tmp_path, "frag.log", [], _oom("L1_SMALL", 272640, 12, 22720, 65536, 35536, 30000, 16384))
    r, by = _advice(path)
    a = by["l1-small-size"]
    assert a.predicted["minimum_l1_small_size_bytes"] == 88256
    (g,) = [x for x in a.assumptions if x.kind == "guess"]
    assert "(30,000 B free, largest block 16,384 B)" in g.source


def test_l1_small_size_on_the_2024_message(corpus):
    """tt-metal#9372's own log (corpus 027): the 2024 allocator sentence ends after the per-bank need, so the
    message is whole (no '…') and the region's size is unknown: the advice says so."""
    r, by = _advice(str(next((corpus / "logs").glob("027_*"))))
    f = r.failures[0].failure
    assert f.message.endswith("where each bank needs to store 22720 B")
    a = by["l1-small-size"]
    assert a.title == ("Open the device with a larger L1_SMALL region: this buffer alone needs 22,720 B per bank "
                       "(the message does not give the current size)")
    assert any(x.kind == "guess" for x in a.assumptions)


def test_a_2025_oom_message_cut_after_the_2024_wording_stays_cut(tmp_path):
    """'..., where each bank needs to store 22720 B, but bank si': the 2025 wording cut short, not the complete
    2024 sentence."""
    p = tmp_path / "cut.log"
    p.write_text(f"{ERR}TT_FATAL: Out of Memory: Not enough space to allocate 272640 B L1 buffer across 12 banks, "
                 "where each bank needs to store 22720 B, but bank si\n")
    r = triage(str(p))
    assert r.failures[0].failure.message.endswith("needs to store 22720 …")


def _two_programs(tmp_path: Path, arg=_l1) -> str:
    """Own fixture shaped like tt-mlir#8044 (https://github.com/tenstorrent/tt-mlir/issues/8044: an L1 out-of-memory
    with enough free bytes per bank but no block large enough). Program 'embed' runs and finishes first (its last op
    line leaves %0 in L1, of the type of 'decode's %arg0); program 'decode' fails at %3, a concat:

      line 5  %1 = relu(%arg0)            %arg0 [320, 3000] bf16 tiled, in L1 (``arg``); %1 in L1
      line 6  %2 = multiply(%1, %arg1)    %arg1 in DRAM; %2 in L1; last use of %1 (never deallocated)
      line 7  %3 = concat(%2, %arg1)      fails: its result [320, 6000] in L1

    Sizes (wormhole_b0: L1 alignment 16 B; a bf16 32x32 tile is one page of 32 x 32 x 2 = 2,048 B, already a
    multiple of 16; 64 banks, the message's count):
      %arg0 / %1 / %2 [320, 3000]: padded to [320, 3008], 10 x 94 = 940 tiles; ceil(940 / 64) = 15 pages per bank
        x 2,048 B = 30,720 B per bank;
      %3 [320, 6000]: padded to [320, 6016], 10 x 188 = 1,880 tiles x 2,048 = 3,850,240 B; ceil(1,880 / 64) = 30
        pages x 2,048 = 61,440 B per bank (the message's figures).
    The message: bank 1,329,888 B, allocated 1,249,888 B, free 80,000 B >= 61,440 B needed > 49,152 B largest
    free block: fragmented, 61,440 - 49,152 = 12,288 B short in one block."""
    t, wide, d = _l1((320, 3000)), _l1((320, 6000)), _dram((320, 3000))
    body = [f'{RT}Starting execution of program: embed',
            f'{RT}Executing operation: %0 = "ttnn.relu"(%arg0) : ({d}) -> {t} loc(unknown)',
            f'{RT}Finished execution of program: embed',
            f'{RT}Starting execution of program: decode',
            f'{RT}Executing operation: %1 = "ttnn.relu"(%arg0) : ({arg((320, 3000))}) -> {t} loc(unknown)',
            f'{RT}Executing operation: %2 = "ttnn.multiply"(%1, %arg1) : ({t}, {d}) -> {t} loc(unknown)',
            f'{RT}Executing operation: %3 = "ttnn.concat"(%2, %arg1) <{{dim = 1 : si32}}> : ({t}, {d}) -> {wide} '
            'loc(unknown)',
            _oom("L1", 3850240, 64, 61440, 1329888, 1249888, 80000, 49152)]
    p = tmp_path / "two_programs.log"
    p.write_text("\n".join(body) + "\n")
    return str(p)


def test_fragmented_names_an_l1_program_input_without_deallocating_it(tmp_path):
    """%arg0 is an L1 program input (its type on line 5, the relu's operand): named with 30,720 B per bank (940
    tiles, ceil(940 / 64) = 15 pages x 2,048 B; see the fixture), live for the whole program and owned by the
    caller, so the rewrite deallocates only %1 (30,720 B per bank, last used on line 6) and %arg0 gets a note to
    pass it in DRAM. The earlier program 'embed' (lines 1-3) is listed; its %0 (line 2) has %arg0's type, which is
    said to be a type match only."""
    _, by = _advice(_two_programs(tmp_path))
    a = by["l1-oom-fragmented"]
    assert a.predicted["short_in_one_block_bytes"] == 12_288  # 61,440 - 49,152
    assert a.predicted["l1_program_inputs_bytes_per_bank"] == {"%arg0": 30_720}
    assert a.predicted["l1_bytes_per_bank_freed"] == 30_720  # %1 only
    ev = next(e for e in a.evidence if e.startswith("program inputs in L1"))
    assert ("%arg0 (program input %arg0 of program 'decode' (live for the whole program; the caller owns it); "
            "30,720 B per bank; first used by %1 ttnn.relu (line 5))") in ev
    assert "%arg1" not in ev  # a DRAM input
    ops = [OpLineParser().parse(x) for x in a.rewrite.splitlines() if not x.startswith("//")]
    assert [(o.name, o.operands) for o in ops] == [("ttnn.deallocate", ["%1"])]
    assert "%arg0" not in a.rewrite
    assert a.title.startswith("Fragmented L1: deallocate %1 after its last use")
    assert any(n.startswith("program input %arg0 (30,720 B per bank) cannot be deallocated inside the program")
               and "DRAM memory config for its producer in the calling program" in n for n in a.notes)
    (ir,) = [x for x in a.assumptions if x.claim.startswith("%arg0")]
    assert ir.kind == "ir" and ir.source == "log line 5 (%1 ttnn.relu operand types)"
    scope = next(n for n in a.notes if n.startswith("named: "))
    assert "3 op lines of program 'decode' (lines 5-7)" in scope
    assert "'embed' (lines 1-3) ran before" in scope
    assert ("the last op lines of 'embed' leave in L1 %0 (ttnn.relu, line 2) with the type of %arg0: a type "
            "match only") in scope


def test_fragmented_does_not_name_a_dram_program_input(tmp_path):
    """Negative: the same log with %arg0 in DRAM: no program input is named (none in L1), no type match with
    'embed's %0 is offered, and the rewrite still deallocates %1."""
    _, by = _advice(_two_programs(tmp_path, arg=_dram))
    a = by["l1-oom-fragmented"]
    assert "l1_program_inputs_bytes_per_bank" not in a.predicted
    assert not any("program input" in e for e in a.evidence)
    assert not any("%arg0" in n for n in a.notes)
    ops = [OpLineParser().parse(x) for x in a.rewrite.splitlines() if not x.startswith("//")]
    assert [(o.name, o.operands) for o in ops] == [("ttnn.deallocate", ["%1"])]
    scope = next(n for n in a.notes if n.startswith("named: "))
    assert "'embed' (lines 1-3) ran before" in scope and "type match" not in scope


def test_a_program_input_deallocated_in_the_window_is_not_live(tmp_path):
    """Negative: the program deallocates its L1 %arg0 (as tt-mlir's compiler does for inputs it consumes, e.g.
    tt-xla#1726's log, corpus 041) before the failing op: %arg0 is not named."""
    t = _l1((320, 3000))
    ops = [f'%1 = "ttnn.relu"(%arg0) : ({t}) -> {t} loc(unknown)',
           f'"ttnn.deallocate"(%arg0) <{{force = false}}> : ({t}) -> () loc(unknown)',
           f'%3 = "ttnn.concat"(%1, %1) <{{dim = 1 : si32}}> : ({t}, {t}) -> {_l1((320, 6000))} loc(unknown)']
    path = _write(tmp_path, "freed_arg.log", ops, _oom("L1", 3850240, 64, 61440, 1329888, 1249888, 80000, 49152))
    _, by = _advice(path)
    a = by["l1-oom-fragmented"]
    assert not any("program input" in e for e in a.evidence) and "%arg0" not in a.rewrite


def test_cb_clash_with_only_an_l1_program_input_live(tmp_path):
    """A CB clash (tt-xla#4214's message and figures, overlap 890,144 - 665,600 = 224,544 B) at a softmax whose only
    live L1 tensor is the program input %arg0 [2048, 8192] bf16 (result in DRAM): 64 x 256 = 16,384 tiles over 64
    banks (wormhole_b0's 8x8 workers; the clash message gives no count) = 256 pages x 2,048 B = 524,288 B per bank.
    It is named and is the one to move, but only the calling program can place it in DRAM: no rewrite."""
    big = (2048, 8192)
    ops = [f'%5 = "ttnn.softmax"(%arg0) <{{dimension = 3 : si32}}> : ({_l1(big)}) -> {_dram(big)} loc(unknown)']
    err = (f"{ERR}TT_THROW: Statically allocated circular buffers in program 65868 clash with L1 buffers on core "
           "range [(x=0,y=0) - (x=3,y=7)]. L1 buffer allocated at 665600 and static circular buffer region ends at "
           "890144")
    _, by = _advice(_write(tmp_path, "arg_clash.log", ops, err))
    a = by["cb-clash-live-l1"]
    live = next(e for e in a.evidence if e.startswith("live L1 values"))
    assert ("%arg0 (program input %arg0 of program 'main' (live for the whole program; the caller owns it); "
            "524,288 B per bank; an operand of the failing op)") in live
    assert a.title.startswith("CB region overlaps L1 buffers by 224,544 B: pass program input %arg0 (524,288 B per "
                              "bank) in DRAM")
    assert a.rewrite == "" and a.verification.status == "not-run"
    assert a.predicted["moved"] == "%arg0" and a.predicted["moved_bytes_per_bank"] == 524_288
    assert any(x.kind == "ir" and x.source == "log line 2 (%5 ttnn.softmax operand types)" for x in a.assumptions)
    assert any("the log shows no program run finishing before this one" in n for n in a.notes)


def test_cb_clash_prefers_a_program_value_over_an_input(tmp_path):
    """%arg0 [2048, 8192] in L1 (524,288 B per bank, as above) and %1 = relu(%arg0) in L1 (the same size) both
    exceed the 224,544 B overlap: the program's own %1 is moved (allocated after the inputs, so lower in L1; a
    stated guess), %arg0 is named."""
    big = (2048, 8192)
    ops = [f'%1 = "ttnn.relu"(%arg0) : ({_l1(big)}) -> {_l1(big)} loc(unknown)',
           f'%5 = "ttnn.softmax"(%1) <{{dimension = 3 : si32}}> : ({_l1(big)}) -> {_dram(big)} loc(unknown)']
    err = (f"{ERR}TT_THROW: Statically allocated circular buffers in program 65868 clash with L1 buffers on core "
           "range [(x=0,y=0) - (x=3,y=7)]. L1 buffer allocated at 665600 and static circular buffer region ends at "
           "890144")
    _, by = _advice(_write(tmp_path, "arg_clash2.log", ops, err))
    a = by["cb-clash-live-l1"]
    assert a.predicted["moved"] == "%1" and "move %1 (524,288 B per bank) to DRAM" in a.title
    (op,) = [OpLineParser().parse(x) for x in a.rewrite.splitlines()]
    assert op.results == ["%1"] and op.result_types[0].layout.buffer_type == "dram"
    assert op.operand_types[0].layout.buffer_type == "l1"  # %arg0 stays as the caller passed it
    assert any("%arg0 (program input %arg0" in e for e in a.evidence)


def test_an_op_without_results_is_named_by_its_name_alone():
    """A ttnn.deallocate has no result: it is 'ttnn.deallocate', never 'None ttnn.deallocate'."""
    from ttdiag.parse.mlir import OpLineParser

    p = OpLineParser()
    op = p.parse(f'"ttnn.deallocate"(%2) <{{force = false}}> : ({_l1((32, 64))}) -> ()', 9)
    assert op.label == "ttnn.deallocate"
    assert p.parse(f'%3 = "ttnn.relu"(%2) : ({_l1((32, 64))}) -> {_l1((32, 64))}', 10).label == "%3 ttnn.relu"
