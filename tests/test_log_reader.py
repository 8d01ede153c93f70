"""The streaming log reader: program-run stack, bounded op window, producers, error blocks."""

from __future__ import annotations

from ttdiag.parse.log import parse_header, read_log
from ttdiag.parse.messages import demangle_nested, parse_core_range, read_message

RT = "            RuntimeTTNN |    DEBUG | "


def _op(i: int, src: str = "%arg0") -> str:
    return (f'{RT}Executing operation: %{i} = "ttnn.relu"({src}) : (tensor<32x32xbf16>) -> tensor<32x32xbf16> '
            f'loc(unknown)\n')


def test_nested_runs_and_window(tmp_path):
    body = [f"{RT}Starting execution of program: main\n", _op(0)]
    body += [f"{RT}Starting execution of program: main_const_eval_0\n", _op(0), _op(1, "%0"),
             f"{RT}Finished execution of program: main_const_eval_0\n"]
    body += [_op(i, f"%{i - 1}") for i in range(1, 200)]
    body += ["2025-12-31 16:11:36.007 | critical |          Always | TT_FATAL: boom (assert.hpp:103)\n"]
    p = tmp_path / "n.log"
    p.write_text("".join(body))
    t = read_log(str(p))
    assert [(r.name, r.finished, r.ops) for r in t.programs] == [("main", False, 200), ("main_const_eval_0", True, 2)]
    (ev,) = t.events
    assert ev.run == 0 and ev.last_op.text.startswith("%199 = ")
    assert len(ev.window) == 64  # bounded
    # %198 is the producer of %199's operand
    assert ev.producers == {"%198": (ev.last_op.line - 1, ev.producers["%198"][1])}


def test_producer_outside_the_window_is_reread_from_its_offset(tmp_path):
    from ttdiag.analyze.arch import get_arch
    from ttdiag.analyze.triage import triage_trace

    body = [f"{RT}Starting execution of program: main\n", _op(0)]
    body += [_op(i) for i in range(1, 150)]  # all read %arg0
    body += [f'{RT}Executing operation: %150 = "ttnn.add"(%0, %149) : (tensor<32x32xbf16>, tensor<32x32xbf16>) '
             f'-> tensor<32x32xbf16> loc(unknown)\n']
    body += ["RuntimeError: TT_FATAL @ /x/add.cpp:7: a == b\ninfo:\nshapes differ\n"]
    p = tmp_path / "w.log"
    p.write_text("".join(body))
    rep = triage_trace(read_log(str(p)), get_arch("wormhole_b0"))
    (fr,) = rep.failures
    assert fr.failure.kind == "assertion"
    assert fr.failure.figures == {"source_file": "/x/add.cpp", "source_line": 7, "condition": "a == b"}
    assert fr.failure.message == "shapes differ"
    prods = fr.localization.producers
    assert set(prods) == {"%0", "%149"}
    assert prods["%0"].record.line == 2 and prods["%0"].op.name == "ttnn.relu"  # re-read: outside the window


def test_header_shapes():
    h = parse_header("2025-12-31 16:11:36.007 | critical |          Always | TT_THROW: x (assert.hpp:103)")
    assert (h.source, h.level, h.category) == ("tt-metal", "critical", "Always")
    h = parse_header("            RuntimeTTNN |    DEBUG | Starting execution of program: main")
    assert (h.source, h.level, h.category) == ("mlir-runtime", "DEBUG", "RuntimeTTNN")
    h = parse_header("                 Device | INFO     | Opening user mode device driver")
    assert (h.level, h.category) == ("INFO", "Device")
    h = parse_header("[2026-03-01 10:00:00.000] [error] [program.cpp:1307] grow to")
    assert (h.source, h.level, h.category, h.message) == ("tt-metal", "error", "program.cpp:1307", "grow to")
    h = parse_header("2025-03-26 16:36:46,812 - DEBUG - evaluating program=0")
    assert (h.source, h.level) == ("python", "DEBUG")
    assert parse_header(" --- tt::tt_metal::detail::ProgramImpl::validate_circular_buffer_region()") is None


def test_message_reading_with_pytest_prefixes():
    m = read_message([
        "E           RuntimeError: TT_THROW @ ../ttnn/cpp/ttnn/operations/matmul/matmul.cpp:60: tt::exception",
        "E           info:",
        "E           ttnn.matmul: The width of the first tensor must be equal to the height of the second tensor",
        "E           backtrace:",
        "E            --- ttnn::operations::matmul::matmul(...)",
    ])
    (a,) = m.assertions
    assert (a.kind, a.file, a.line, a.condition) == ("TT_THROW", "../ttnn/cpp/ttnn/operations/matmul/matmul.cpp", 60,
                                                     "tt::exception")
    assert a.message.startswith("ttnn.matmul: The width")
    assert m.exception_type == "RuntimeError"
    assert m.backtrace == ["ttnn::operations::matmul::matmul(...)"]


def test_core_ranges_both_eras():
    assert parse_core_range("[(x=7,y=6) - (x=7,y=6)]") == [[7, 6], [7, 6]]
    assert parse_core_range("[0-0 - 10-9]") == [[0, 0], [10, 9]]
    assert parse_core_range("{}") is None


def test_demangle_nested_name():
    sym = "_ZN4ttnn10operations13data_movement6detail46tilize_with_val_padding_multi_core_interleavedERKN2tt8tt_metal6TensorE"
    assert demangle_nested(sym) == "ttnn::operations::data_movement::detail::tilize_with_val_padding_multi_core_interleaved"
    assert demangle_nested("main") is None


def test_new_2026_cb_range_format_classifies(tmp_path):
    from ttdiag.analyze.triage import triage

    p = tmp_path / "bh.log"
    p.write_text("[2026-04-01 10:00:00.000] [error] [program.cpp:1307] Statically allocated circular buffers on core "
                 "range [0-0 - 10-9] grow to 2247168 B which is beyond max L1 size of 1572864 B\n")
    (fr,) = triage(str(p)).failures
    assert fr.failure.kind == "cb-exceeds-l1"
    assert fr.failure.figures == {"cb_region_end_bytes": 2_247_168, "l1_limit_bytes": 1_572_864,
                                  "core_range": [[0, 0], [10, 9]]}


def test_cb_bank_warning_and_clash(tmp_path):
    from ttdiag.analyze.triage import triage

    p = tmp_path / "w.log"
    p.write_text(
        "                 Always |  WARNING | Circular buffer size 104448 B exceeds allocated L1 buffer bank size of "
        "90304 B. This may allow this circular buffer to write outside the allocated buffer space.\n"
        "2024-06-01 10:00:00.000 | critical |          Always | TT_THROW: Statically allocated circular buffers in "
        "program 17 clash with L1 buffers on core range [(x=0,y=0) - (x=7,y=7)]. L1 buffer allocated at 1200000 and "
        "static circular buffer region ends at 1250000 (assert.hpp:103)\n")
    fails = [fr.failure for fr in triage(str(p)).failures]
    assert [(f.kind, f.severity) for f in fails] == [("cb-exceeds-l1-bank", "warning"), ("cb-clashes-with-l1-buffer", "error")]
    assert fails[0].figures == {"cb_bytes": 104_448, "bank_bytes": 90_304}
    assert fails[1].figures == {"program_id": 17, "l1_buffer_address_bytes": 1_200_000,
                                "cb_region_end_bytes": 1_250_000, "core_range": [[0, 0], [7, 7]],
                                "overshoot_bytes": 50_000}


def test_separate_failures_stay_separate_and_echoes_fold(tmp_path):
    from ttdiag.analyze.triage import triage

    p = tmp_path / "two.log"
    p.write_text(
        f"{RT}Starting execution of program: main\n" + _op(0) +
        "2025-12-31 16:11:36.007 | critical |          Always | TT_FATAL: Out of Memory: Not enough space to allocate "
        "2048 B DRAM buffer across 12 banks, where each bank needs to store 2048 B (assert.hpp:103)\n"
        "RuntimeError: TT_FATAL @ /x/bank_manager.cpp:422: false\ninfo:\nOut of Memory: Not enough space to allocate "
        "2048 B DRAM buffer across 12 banks, where each bank needs to store 2048 B\n"
        "Segmentation fault (core dumped)\n"
        f"{RT}Finished execution of program: main\n"
        "E   AssertionError: PCC comparison failed. PCC=0.5, Required=0.99\n")
    fails = triage(str(p)).failures
    assert [fr.failure.kind for fr in fails] == ["out-of-memory", "accuracy"]
    oom = fails[0].failure
    # evidence: the line that repeats the message (after info:), the crash that follows
    assert oom.line == 3 and [e.line for e in oom.evidence] == [6, 7]
    assert oom.figures["source_line"] == 422
    assert fails[0].localization.failing.op.id == "%0"
    assert fails[1].localization is None


def test_braced_assert_block_and_runtime_log_fatal(tmp_path):
    from ttdiag.analyze.triage import triage

    p = tmp_path / "b.log"
    p.write_text(
        "RuntimeError: Error code: 13 {TT_FATAL @ /x/ttnn/tensor/tensor_utils.cpp:54: new_volume == old_volume\n"
        "info:\nInvalid arguments to reshape\nbacktrace:\n --- tt::tt_metal::infer_dims_for_reshape}\n"
        "\n\n"
        "                 Always |    FATAL | Unsupported binary format\n"
        "LOG_FATAL @ /x/runtime/lib/ttnn/program_executor.cpp:88: tt::exception\n")
    fails = [fr.failure for fr in triage(str(p)).failures]
    assert [f.kind for f in fails] == ["reshape-invalid", "assertion"]
    assert fails[0].figures["source_line"] == 54 and fails[0].figures["condition"] == "new_volume == old_volume"
    assert fails[1].line == 8 and fails[1].message == "Unsupported binary format"
    assert fails[1].figures == {"source_file": "/x/runtime/lib/ttnn/program_executor.cpp", "source_line": 88,
                                "condition": "tt::exception"}


def test_timeout_compile_error_and_python_exception_kinds(tmp_path):
    from ttdiag.analyze.triage import triage

    p = tmp_path / "k.log"
    p.write_text(
        "2026-02-01 10:00:00.000 | critical |          Always | TIMEOUT: device timeout, potential hang detected, "
        "the device is unrecoverable (system_memory_manager.cpp:627)\n"
        "\n\n"
        "/tmp/m.mlir:12:3: error: 'ttnn.conv2d' op Output channels must be divisible by groups\n"
        "\n\n"
        "Traceback (most recent call last):\n"
        '  File "run.py", line 3, in <module>\n'
        "    main()\n"
        "ValueError: expected 4 inputs, got 3\n")
    fails = [fr.failure for fr in triage(str(p)).failures]
    # an exception's line is its "ValueError: ..." line, not the "Traceback" header
    assert [(f.kind, f.line) for f in fails] == [("device-timeout", 1), ("compile-error", 4), ("exception", 10)]
    assert fails[2].figures == {"exception_type": "ValueError"}
    assert fails[2].message == "ValueError: expected 4 inputs, got 3"
