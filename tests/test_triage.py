"""End-to-end triage on the bundled sample logs and on the real log excerpts of the corpus."""

from __future__ import annotations

import pytest

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.triage import triage, triage_trace
from ttdiag.parse.log import read_log


def test_replicate_pad_cb_overflow_sample(sample):
    r = triage(sample("mochi_replicate_pad_cb_overflow.log"))
    assert len(r.failures) == 1
    fr = r.failures[0]
    f = fr.failure
    assert f.kind == "cb-exceeds-l1" and f.severity == "error"
    assert f.line == 43
    assert f.figures["cb_region_end_bytes"] == 9_990_400
    assert f.figures["l1_limit_bytes"] == 1_499_136
    assert f.figures["core_range"] == [[7, 6], [7, 6]]
    assert [e.line for e in f.evidence] == [64]  # the RuntimeError block repeats the message after info:
    op = fr.localization.failing.op
    assert (op.id, op.name, fr.localization.failing.program, op.line) == ("%9", "ttnn.to_layout", "main", 42)
    assert op.loc.py.aten_op == "aten::index" and op.loc.py.suffix == "_workaround"
    assert list(fr.localization.producers) == ["%8"]
    assert fr.localization.producers["%8"].record.line == 40
    # the const-eval runs nest inside main (ttcore.load_cached) and finished before the failure
    runs = {(p.name, p.start_line, p.end_line) for p in r.trace.programs}
    assert runs == {("main", 17, None), ("main_const_eval_0", 20, 26), ("main_const_eval_1", 30, 34)}
    assert fr.localization.producers["%8"].op.name == "ttnn.reshape"
    operand = next(t for t in fr.tensors if t.role == "operand")
    assert operand.figures.tiles == 152_640 and operand.figures.bytes == 312_606_720
    assert any("6.66x" in n for n in fr.notes)
    assert any("9,887,744 B" in n for n in fr.notes)  # 9,990,400 - 102,656


def test_reshape_fail_sample_points_at_the_reshape_in_the_second_main(sample):
    r = triage(sample("mochi_constpad_conv1_norm2_reshape_fail.log"))
    assert len(r.failures) == 1
    fr = r.failures[0]
    f = fr.failure
    assert f.kind == "reshape-invalid" and f.line == 80
    assert f.message == "Invalid arguments to reshape"
    assert f.figures["source_line"] == 54 and f.figures["condition"] == "new_volume == old_volume"
    assert f.figures["ir_input_volume"] == f.figures["ir_output_volume"] == 19_537_920
    assert f.figures["ir_consistent"] is True
    loc = fr.localization
    assert (loc.failing.op.id, loc.failing.op.name, loc.failing.record.line) == ("%5", "ttnn.reshape", 79)
    # graph 1 (conv1) finished; the failure is in the second program run named main
    mains = [p for p in r.trace.programs if p.name == "main"]
    assert len(mains) == 2 and mains[0].finished and not mains[1].finished
    assert loc.failing.record.run == mains[1].index
    assert any("upstream logical-shape drift" in n for n in fr.notes)


def test_norm2_only_sample_passes(sample):
    r = triage(sample("mochi_norm2_only_pass.log"))
    assert r.failures == []
    assert r.warnings == []
    assert r.trace.programs and all(p.finished for p in r.trace.programs)


# The real excerpts pasted in public issues (../shared/corpus/logs): the kind a Tenstorrent
# engineer reads in each, and the exact figures.
CORPUS_EXPECTED = {
    "001_tt-mlir-2602_ttrt-runtime-debug-executing-operation.log": (None, {}),
    "005_tt-xla-1066_cb-beyond-max-l1-backtrace.log": ("cb-exceeds-l1", {
        "cb_region_end_bytes": 2_101_768, "l1_limit_bytes": 1_572_864, "core_range": [[0, 0], [12, 9]]}),
    "013_tt-mlir-8044_always-tt-fatal-oom-l1-falcon3.log": ("out-of-memory", {
        "buffer_type": "L1", "requested_bytes": 26_542_080, "num_banks": 48, "bytes_per_bank": 552_960,
        "bank_size_bytes": 1_329_888, "allocated_bytes": 417_792, "free_bytes": 912_096,
        "largest_free_block_bytes": 522_240, "fragmented": True, "overshoot_bytes": 552_960 - 522_240}),
    "018_tt-xla-307_runtimeerror-tt-fatal-invalid-reshape.log": ("reshape-invalid", {
        "source_line": 50, "condition": "new_volume == old_volume"}),
    "024_tt-xla-3868_critical-always-tt-fatal-run-mailbox.log": ("device-error", {"cores": [[21, 16], [25, 16]]}),
    "027_tt-metal-9372_pytest-tt-throw-oom-l1-small.log": ("out-of-memory", {
        "buffer_type": "L1_SMALL", "requested_bytes": 272_640, "num_banks": 12, "bytes_per_bank": 22_720}),
    "033_tt-mlir-6189_mlir-loc-error-operation-validation-fallback.log": ("compile-error", {"loc": "convolution.44793"}),
    "036_tt-metal-10349_pytest-tt-throw-matmul-width-height.log": ("assertion", {
        "source_file": "../ttnn/cpp/ttnn/operations/matmul/matmul.cpp", "source_line": 60, "condition": "tt::exception"}),
    "041_tt-xla-1726_runtimettnn-debug-mesh-shard-program-main.log": (None, {}),
    "046_tt-metal-27554_sigfpe-tilize-signal-backtrace.log": ("crash", {
        "signal": "Floating point exception", "signal_number": 8,
        "top_frame": "ttnn::operations::data_movement::detail::tilize_with_val_padding_multi_core_interleaved"}),
    "049_tt-metal-18485_pytest-tt-throw-kernel-build-failed.log": ("kernel-build-failed", {
        "kernel": "compute_uniform", "processor": "trisc1", "source_line": 67}),
    "050_tt-xla-5600_pytest-pcc-assertion-segformer.log": ("accuracy", {"pcc": 0.68377, "required_pcc": 0.97}),
    "054_tt-metal-7948_old-format-metal-info-device-info-open-hang.log": (None, {}),
    "056_tt-mlir-3718_lit-ttmlir-opt-crash-opmodel-no-device.log": ("crash", {
        "program": "ttmlir-opt", "pipeline": "--ttir-to-ttnn-backend-pipeline"}),
}

# The component each corpus failure comes from and what names its op, read off each excerpt by hand.
CORPUS_COMPONENTS = {
    "005_tt-xla-1066_cb-beyond-max-l1-backtrace.log": ("tt-metal", None),  # libtt_metal.so, validate_circular_buffer_region
    "013_tt-mlir-8044_always-tt-fatal-oom-l1-falcon3.log": ("tt-metal", None),  # the allocator's message
    "018_tt-xla-307_runtimeerror-tt-fatal-invalid-reshape.log": ("ttnn", ("ttnn.reshape", "message")),
    "024_tt-xla-3868_critical-always-tt-fatal-run-mailbox.log": ("tt-metal", None),
    "027_tt-metal-9372_pytest-tt-throw-oom-l1-small.log": ("tt-metal", None),  # tt_metal/impl/allocator/allocator.cpp
    "033_tt-mlir-6189_mlir-loc-error-operation-validation-fallback.log": ("tt-mlir-compiler", None),
    "036_tt-metal-10349_pytest-tt-throw-matmul-width-height.log": ("ttnn", ("ttnn.matmul", "backtrace")),
    "046_tt-metal-27554_sigfpe-tilize-signal-backtrace.log": ("ttnn", ("ttnn.tilize_with_val_padding", "backtrace")),
    "049_tt-metal-18485_pytest-tt-throw-kernel-build-failed.log": ("tt-metal", None),  # tt_metal/jit_build/build.cpp
    "050_tt-xla-5600_pytest-pcc-assertion-segformer.log": ("tt-xla", None),  # tt-xla's benchmark check
    "056_tt-mlir-3718_lit-ttmlir-opt-crash-opmodel-no-device.log": ("tt-mlir-compiler", None),  # ttmlir-opt
}


@pytest.mark.parametrize("name", sorted(CORPUS_COMPONENTS))
def test_corpus_components_and_ops(corpus, name):
    component, op = CORPUS_COMPONENTS[name]
    r = triage_trace(read_log(str(corpus / "logs" / name)), get_arch("wormhole_b0"))
    (fr,) = r.failures
    assert fr.component == component, fr.component_evidence
    if op is None:
        assert fr.op_ref is None or fr.op_ref.name is None
    else:
        assert (fr.op_ref.name, fr.op_ref.source) == op


@pytest.mark.parametrize("name", sorted(CORPUS_EXPECTED))
def test_corpus_log_excerpts(corpus, name):
    kind, figures = CORPUS_EXPECTED[name]
    r = triage_trace(read_log(str(corpus / "logs" / name)), get_arch("wormhole_b0"))
    if kind is None:
        assert r.failures == []
        return
    assert [fr.failure.kind for fr in r.failures] == [kind]
    got = r.failures[0].failure.figures
    for k, v in figures.items():
        assert got[k] == v, k


def test_corpus_excerpts_without_failure_get_an_explanation(corpus):
    # 054 stops during device initialisation; 041 and 001 stop inside a program
    r = triage(str(corpus / "logs" / "054_tt-metal-7948_old-format-metal-info-device-info-open-hang.log"))
    assert any("device initialisation" in w for w in r.warnings)
    r = triage(str(corpus / "logs" / "041_tt-xla-1726_runtimettnn-debug-mesh-shard-program-main.log"))
    assert any("never finished" in w for w in r.warnings)
    assert r.trace.programs[0].name == "main" and r.trace.programs[0].ops == 4


def test_runtime_debug_excerpt_ops_are_parsed_lazily_but_correctly(corpus):
    from ttdiag.analyze.inspect import inspect_file

    rep = inspect_file(str(corpus / "logs" / "041_tt-xla-1726_runtimettnn-debug-mesh-shard-program-main.log"))
    ops = [op for p in rep.module.programs for op in p.ops]
    # the fourth op line is cut mid-line in the excerpt: three parse, one diagnostic
    assert [op.name for op in ops] == ["ttnn.get_device", "ttnn.mesh_shard", "ttnn.deallocate"]
    assert len(rep.module.diagnostics) == 1
    shard = ops[1]
    assert shard.result_types[0].layout.memref_shape == (64, 96)
    assert all(t.figures.memref_matches for t in rep.tensors if t.figures)


def test_l1_oom_bank_size_is_explained(corpus):
    r = triage(str(corpus / "logs" / "013_tt-mlir-8044_always-tt-fatal-oom-l1-falcon3.log"))
    notes = r.failures[0].notes
    assert any("1,499,136 B - unreserved base 103,712 B - L1_SMALL 65,536 B" in n for n in notes)
    assert any("largest free block is 522,240 B < the 552,960 B needed" in n for n in notes)
