"""Triage with memory records: what was live in L1 at a CB clash / CB overflow / L1 out-of-memory, and by how
much the CB region overlaps the L1 buffers (ttdiag.analyze.failure_memory).

The log excerpts are written here in the real formats: tt-metal's messages as tt_metal/impl/program/program.cpp
(ProgramImpl::validate_circular_buffer_region @ 001b6f94) and bank_manager.cpp print them, tt-mlir's
``MemoryView::toString`` (runtime/lib/common/types.cpp @ 0508a83d: bytes / 2^20, 3 decimals). Every expected
figure is worked out by hand in the comment next to it.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from ttdiag.analyze.triage import triage
from ttdiag.cli import app
from ttdiag.parse.log import read_log

runner = CliRunner()
RT = "2026-01-05 10:00:00.000 |    DEBUG |     RuntimeTTNN | "
CRIT = "2026-01-05 10:00:00.009 | critical |          Always | "


def _view(kind: str, banks: int, total: str, alloc: str, free: str, largest: str) -> str:
    return (f"{RT}Device {kind} memory state: MemoryView{{numBanks: {banks}, totalBytesPerBank: {total} MB, "
            f"totalBytesAllocatedPerBank: {alloc} MB, totalBytesFreePerBank: {free} MB, "
            f"largestContiguousBytesFreePerBank: {largest} MB}}\n")


def _state(op: str, l1_alloc: str, l1_free: str, l1_largest: str) -> str:
    return (f"{RT}Device memory state before operation {op}\n"
            + _view("DRAM", 12, "1021.500", "0.016", "1021.484", "1021.484")
            + _view("L1", 64, "1.268", l1_alloc, l1_free, l1_largest)
            + _view("L1_SMALL", 64, "0.062", "0.000", "0.062", "0.062")
            + _view("TRACE", 12, "0.000", "0.000", "0.000", "0.000"))


OP = ('Executing operation: %{i} = "ttnn.relu"(%arg0) : (tensor<32x32xbf16>) -> tensor<32x32xbf16> loc(unknown)\n')

CLASH_LOG = (
    f"{RT}Starting execution of program: main\n"
    + RT + OP.format(i=1) + _state("EltwiseUnaryOp", "0.050", "1.218", "1.218")
    + RT + OP.format(i=2) + _state("EltwiseUnaryOp", "0.098", "1.170", "1.170")
    + CRIT + "TT_THROW: Statically allocated circular buffers in program 42 clash with L1 buffers on core range "
    "[0-0 - 7-7]. L1 buffer allocated at 1331200 and static circular buffer region ends at 1376256 "
    "(assert.hpp:103)\n")


def test_reader_keeps_the_last_state_before_the_error(tmp_path):
    p = tmp_path / "clash.log"
    p.write_text(CLASH_LOG)
    trace = read_log(str(p))
    assert trace.memory_lines == 8  # two states of four MemoryView lines
    (ev,) = trace.events
    assert ev.memory["op"] == "EltwiseUnaryOp" and sorted(ev.memory["views"]) == ["DRAM", "L1", "L1_SMALL", "TRACE"]
    # line 1 Starting, 2 op %1, 3 header, 4-7 views, 8 op %2, 9 header, 10-13 views, 14 the error
    assert ev.memory["line"] == 9 and ev.memory["views"]["L1"][0] == 11


def test_clash_with_memoryview(tmp_path):
    p = tmp_path / "clash.log"
    p.write_text(CLASH_LOG)
    (fr,) = triage(str(p)).failures
    mem = fr.memory
    assert fr.failure.kind == "cb-clashes-with-l1-buffer"
    # the last state (before op %2): 0.098 MB x 1,048,576 = 102,760.4 -> 102,760 B; 1.170 MB -> 1,226,833.9
    # -> 1,226,834 B
    assert mem["live_l1_bytes_per_bank"] == 102_760 and mem["largest_free_block_bytes"] == 1_226_834
    # both ends from the message: 1,376,256 - 1,331,200 = 45,056 B
    assert mem["cb_region_end_bytes"] == 1_376_256 and mem["lowest_l1_buffer_bytes"] == 1_331_200
    assert mem["overlap_bytes"] == 45_056
    assert mem["sources"] == {"live_l1_bytes_per_bank": "record", "largest_free_block_bytes": "record",
                              "cb_region_end_bytes": "message", "lowest_l1_buffer_bytes": "message"}
    assert mem["source"].startswith("MemoryView lines of the log (line 10)")
    assert None not in mem.values()
    # 102,760 B x 64 banks = 6,576,640 B
    assert any("6,576,640 B on 64 banks" in n for n in mem["notes"])
    # the state (lines 9-13) was logged after the failing op's line 8: the one the op ran in
    assert "logged after the failing op's line 8: the state it ran in" in mem["notes"]


def test_a_state_logged_before_the_failing_op_says_so(tmp_path):
    p = tmp_path / "stale.log"
    lines = CLASH_LOG.splitlines(keepends=True)
    p.write_text("".join(lines[:-1]) + RT + OP.format(i=3) + lines[-1])  # op %3 at line 14, no state of its own
    (fr,) = triage(str(p)).failures
    assert "logged before the failing op's line 14: the state of an earlier op" in fr.memory["notes"]


def test_no_memory_section_without_a_record(tmp_path):
    p = tmp_path / "bare.log"
    p.write_text(CRIT + "TT_THROW: Statically allocated circular buffers in program 42 clash with L1 buffers on core "
                 "range [0-0 - 7-7]. L1 buffer allocated at 1331200 and static circular buffer region ends at "
                 "1376256 (assert.hpp:103)\n")
    (fr,) = triage(str(p)).failures
    assert fr.memory is None
    res = runner.invoke(app, ["triage", str(p), "--format", "json", "--no-advice"])
    assert "memory" not in json.loads(res.output)["failures"][0]


OOM_LOG = (
    f"{RT}Starting execution of program: main\n"
    + RT + OP.format(i=1) + _state("EltwiseUnaryOp", "1.250", "0.018", "0.018")
    + CRIT + "TT_FATAL: Out of Memory: Not enough space to allocate 2097152 B L1 buffer across 64 banks, where each "
    "bank needs to store 32768 B, but bank size is 1329888 B (allocated: 1310720 B, free: 19168 B, largest free "
    "block: 19168 B) (assert.hpp:103)\n")


def test_l1_oom_with_memoryview(tmp_path):
    p = tmp_path / "oom.log"
    p.write_text(OOM_LOG)
    (fr,) = triage(str(p)).failures
    mem = fr.memory
    assert fr.failure.kind == "out-of-memory"
    # 1.250 MB = 1,310,720 B exactly (the message's "allocated: 1310720 B"); 0.018 MB -> 18,874.4 -> 18,874 B
    # (the message's 19,168 B is within the 525 B rounding of the 3-decimal MB figure)
    assert mem["live_l1_bytes_per_bank"] == 1_310_720 and mem["largest_free_block_bytes"] == 18_874
    assert "lowest_l1_buffer_bytes" not in mem and "overlap_bytes" not in mem
    assert any("no L1 buffer address" in n for n in mem["notes"])
    assert any("overlap unknown" in n for n in mem["notes"])


def _node(counter, node_type, params, level=1):
    return {"arguments": [], "connections": [], "counter": counter, "input_tensors": [], "node_type": node_type,
            "params": params, "stacking_level": level}


def _buf(counter, event, address, per_bank):
    return _node(counter, f"buffer_{event}", {"address": address, "buffer_type": 1, "device_id": 0,
                                              "layout": "INTERLEAVED", "max_size_per_bank": per_bank, "num_cores": 0,
                                              "page_size": 2048, "size": per_bank * 64, "type": "L1"}, 2)


def _cb(counter, address, size):
    return _node(counter, "circular_buffer_allocate", {"address": address, "core_range_set": "{[0-0 - 7-7]}",
                                                       "device_id": 0, "globally_allocated": "0", "size": size}, 2)


def test_graph_capture_gives_lowest_buffer_and_cb_end(tmp_path):
    capture = [
        _node(0, "capture_start", None, 0),
        _node(1, "function_start", {"inputs": "1", "name": "ttnn::relu"}),
        _buf(2, "allocate", 1_300_000, 20_000),
        _buf(3, "allocate", 1_250_000, 50_000),
        _buf(4, "deallocate", 1_250_000, 50_000),  # freed: no longer the lowest
        _node(5, "circular_buffer_deallocate_all", {"device_id": 0}, 2),
        _cb(6, 103_712, 1_000_000),
        _cb(7, 1_103_712, 450_000),
    ]
    cap = tmp_path / "capture.json"
    cap.write_text(json.dumps(capture))
    p = tmp_path / "short.log"
    p.write_text(f"{RT}Starting execution of program: main\n" + RT + OP.format(i=1)
                 + CRIT + "TT_THROW: Statically allocated circular buffers grow beyond max L1 size of 1499136 B "
                 "(assert.hpp:103)\n")
    (fr,) = triage(str(p), memory=str(cap)).failures
    mem = fr.memory
    # live L1: 20,000 + 50,000 - 50,000 = 20,000 B per bank; lowest live buffer 1,300,000 (1,250,000 was freed);
    # CB region end: the last CB 1,103,712 + 450,000 = 1,553,712 B; overlap 1,553,712 - 1,300,000 = 253,712 B
    assert mem["live_l1_bytes_per_bank"] == 20_000
    assert mem["lowest_l1_buffer_bytes"] == 1_300_000 and mem["cb_region_end_bytes"] == 1_553_712
    assert mem["overlap_bytes"] == 253_712
    assert mem["sources"]["cb_region_end_bytes"] == "record" and mem["source"].startswith("graph capture ")
    assert "largest_free_block_bytes" not in mem


def test_cli_text_and_markdown_block(tmp_path):
    p = tmp_path / "clash.log"
    p.write_text(CLASH_LOG)
    res = runner.invoke(app, ["triage", str(p), "--no-advice"], env={"COLUMNS": "80"})
    assert res.exit_code == 1 and "L1 at the failure" in res.output
    assert "45,056 B" in res.output and max(map(len, res.output.splitlines())) <= 80
    md = runner.invoke(app, ["triage", str(p), "--format", "markdown", "--no-advice"])
    assert "**L1 at the failure**" in md.output
    assert any(ln.startswith("| overlap ") and "45,056 B" in ln for ln in md.output.splitlines())


# ----------------------------------------------------------------------------- gate: recorded peaks

PEAK_LOG = (
    f"{RT}Starting execution of program: main\n"
    + RT + OP.format(i=1) + _state("EltwiseUnaryOp", "0.500", "0.768", "0.768")
    + RT + OP.format(i=2) + _state("MatmulOp", "1.250", "0.018", "0.018")
    + RT + OP.format(i=3) + _state("DeallocateOp", "0.250", "1.018", "1.018")
    + f"{RT}Finished execution of program: main\n")


def _gate(*args):
    res = runner.invoke(app, ["gate", *map(str, args), "--format", "json", "-j", "1"])
    return res.exit_code, json.loads(res.output)


def test_gate_l1_fraction_uses_the_logs_recorded_peak(tmp_path):
    p = tmp_path / "peak.log"
    p.write_text(PEAK_LOG)
    code, obj = _gate(p, "--max-l1-fraction", "0.8")
    (v,) = [v for v in obj["budget_violations"] if v["figures"]["source"] != "L1 model"]
    assert code == 1
    # the peak is the state before MatmulOp: L1 1.250 MB = 1,310,720 B/bank (+ L1_SMALL 0.000 MB);
    # 1,310,720 / 1,499,136 (wormhole_b0 L1) = 0.874317
    assert v["figures"]["recorded_peak_bytes"] == 1_310_720 and v["figures"]["fraction_of_l1"] == 0.874317
    assert v["figures"]["source"] == "MemoryView lines of the log" and v["op"]["name"] == "MatmulOp"
    assert v["figures"]["approx_bytes"] == 1050  # L1 and L1_SMALL, each within 525 B
    assert v["line"] == 9  # 1 Starting, 2 op, 3-7 state, 8 op, 9 the MatmulOp header
    assert "from the MemoryView lines of the log" in v["message"]
    assert _gate(p, "--max-l1-fraction", "0.9")[0] == 0


def test_gate_l1_fraction_with_a_memory_record(tmp_path):
    log = tmp_path / "plain.log"
    log.write_text(f"{RT}Starting execution of program: main\n" + RT + OP.format(i=1)
                   + f"{RT}Finished execution of program: main\n")
    cap = tmp_path / "capture.json"
    cap.write_text(json.dumps([
        _node(0, "capture_start", None, 0),
        _node(1, "function_start", {"inputs": "1", "name": "ttnn::relu"}),
        _buf(2, "allocate", 1_300_000, 200_000),
        _node(3, "circular_buffer_deallocate_all", {"device_id": 0}, 2),
        _cb(4, 103_712, 1_000_000),
        _node(5, "function_end", {"name": "ttnn::relu"}),
        _node(6, "capture_end", None, 0)]))
    code, obj = _gate(log, "--max-l1-fraction", "0.5", "--memory", cap)
    (v,) = [v for v in obj["budget_violations"] if v["figures"]["source"] != "L1 model"]
    # CBs 1,000,000 + L1 buffers 200,000 = 1,200,000 B on the busiest core; / 1,499,136 = 0.800461
    assert code == 1 and v["figures"]["recorded_peak_bytes"] == 1_200_000
    assert v["figures"]["fraction_of_l1"] == 0.800461 and v["figures"]["source"] == f"memory record {cap}"
    assert _gate(log, "--max-l1-fraction", "0.9", "--memory", cap)[0] == 0


def test_memory_record_errors_and_l1_small_spelling(tmp_path):
    p = tmp_path / "clash.log"
    p.write_text(CLASH_LOG)
    res = runner.invoke(app, ["triage", str(p), "--memory", str(tmp_path / "missing.json"), "--no-advice"])
    assert res.exit_code == 2 and "Traceback" not in res.output
    junk = tmp_path / "junk.json"
    junk.write_text("[1, 2, 3]")
    res = runner.invoke(app, ["triage", str(p), "--memory", str(junk), "--no-advice"])
    assert res.exit_code == 2 and "Traceback" not in res.output
    # tt-mlir's own memory-stats reader documents "Device L1 SMALL memory state": read as L1_SMALL
    from ttdiag.parse import memory_records as mr

    log = tmp_path / "small.log"
    log.write_text(f"{RT}Device memory state before operation Conv2dOp\n"
                   + _view("L1", 64, "1.268", "0.500", "0.768", "0.768")
                   + _view("L1 SMALL", 64, "0.062", "0.031", "0.031", "0.031"))
    (snap,) = mr.log_snapshots(str(log), lambda _: None)
    # 0.031 MB x 1,048,576 = 32,505.9 -> 32,506 B
    assert snap.views["L1_SMALL"].allocated_per_bank == 32_506


def test_ttrt_memory_report_gives_exact_bytes(tmp_path):
    def view(alloc, largest):
        return {"num_banks": 64, "total_bytes_per_bank": 1_329_888, "total_bytes_allocated_per_bank": alloc,
                "total_bytes_free_per_bank": 1_329_888 - alloc, "largest_contiguous_bytes_free_per_bank": largest}

    report = {"0": {"debug_str": '%1 = "ttnn.relu"(%arg0)', "l1": view(65_536, 1_264_352)},
              "1": {"debug_str": '%2 = "ttnn.relu"(%1)', "l1": view(131_072, 1_198_816)}}
    rep = tmp_path / "memory_report.json"
    rep.write_text(json.dumps(report))
    p = tmp_path / "clash.log"
    p.write_text(CLASH_LOG)
    (fr,) = triage(str(p), memory=str(rep)).failures
    mem = fr.memory
    # the last entry (after op 1): 131,072 B allocated per bank, largest free 1,198,816 B, exact (no MB rounding)
    assert mem["live_l1_bytes_per_bank"] == 131_072 and mem["largest_free_block_bytes"] == 1_198_816
    assert mem["source"] == f"ttrt memory report {rep}" and mem["overlap_bytes"] == 45_056
    assert "the state after op 1, ttnn.relu (the last in the record)" in mem["notes"]
    assert not any("3 decimals" in n for n in mem["notes"])
