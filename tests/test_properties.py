"""Properties (hypothesis): the log reader and triage on arbitrary bytes, the MLIR parser on mutated
corpus text, the layout model's invariants and round trip, and the L1 CB model's monotonicity.

Kept fast: small ``max_examples``, no deadline (CI machines are loaded).
"""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ttdiag.analyze.arch import get_arch
from ttdiag.analyze.l1 import analyze_op, get_era, make_context
from ttdiag.analyze.layout import analyze_tensor
from ttdiag.cli import app
from ttdiag.ir import Module
from ttdiag.ir.printer import tensor_text
from ttdiag.parse.catalog import KEYS
from ttdiag.parse.log import is_trigger, may_trigger
from ttdiag.parse.mlir import OpLineParser, parse_mlir

runner = CliRunner()
FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# -- the log reader and triage on any bytes ---------------------------------------------------------

LOG_PIECES = [
    b"            RuntimeTTNN |    DEBUG | Starting execution of program: main\n",
    b"            RuntimeTTNN |    DEBUG | Finished execution of program: main\n",
    b'            RuntimeTTNN |    DEBUG | Executing operation: %9 = "ttnn.to_layout"(%8) '
    b"<{layout = #ttnn.layout<row_major>}> : (tensor<4x64xbf16, #ttnn.ttnn_layout<(d0, d1) -> (d0, d1), <1x1>, "
    b"memref<1x2x!ttcore.tile<32x32, bf16>, #ttnn.buffer_type<dram>>, <interleaved>>>) -> tensor<4x64xbf16>\n",
    b'Executing operation: %1 = "ttnn.add"(%0, %0 : (tensor<\n',
    b"2025-12-31 16:11:36.007 | critical |          Always | TT_THROW: Statically allocated circular buffers on "
    b"core range [(x=7,y=6) - (x=7,y=6)] grow to 9990400 B which is beyond max L1 size of 1499136 B (assert.hpp:103)\n",
    b"RuntimeError: TT_FATAL @ /x/tensor_utils.cpp:54: new_volume == old_volume\ninfo:\nInvalid arguments to reshape\n",
    b"Out of Memory: Not enough space to allocate 999 B DRAM buffer across 12 banks, where each bank needs to store 84 B\n",
    b"backtrace:\n --- frame\n", b"Traceback (most recent call last):\n", b"E   RuntimeError: boom\n",
    b"Segmentation fault (core dumped)\n", b"> ", b"E   ", b"\x1b[1;31m", b"\x1b[0m", b"\x00", b"\r", b"\r\n", b"\n",
    b"\xff\xfe", b"\xc3", b"\xe9", b"|", b"[", b"(", b"%", b"x" * 5000,
]

log_bytes = st.one_of(
    st.binary(max_size=3000),
    st.lists(st.one_of(st.sampled_from(LOG_PIECES), st.binary(max_size=40)), max_size=40).map(b"".join),
)


@FAST
@given(data=log_bytes)
def test_triage_any_bytes_is_a_result_or_a_clean_error(data, tmp_path_factory):
    p = tmp_path_factory.mktemp("any") / "any.log"
    p.write_bytes(data)
    r = runner.invoke(app, ["triage", str(p), "--format", "json", "--no-advice"])
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise AssertionError(f"uncaught {r.exception!r}") from r.exception
    if r.exit_code == 2:  # bytes behind a gzip magic that do not decompress: a clean one-line error
        (line,) = r.stderr.splitlines()
        assert data[:2] == b"\x1f\x8b" and line.startswith(f"ttdiag: error: {p}: ") and "gzip" in line, line
        return
    assert r.exit_code in (0, 1), r.output
    obj = json.loads(r.stdout)
    assert obj["schema"] == "ttdiag.triage/1"
    if r.exit_code == 1:
        assert obj["failures"]
    for f in obj["failures"]:
        assert f["line"] >= 1 and f["kind"] and f["severity"] in ("error", "warning")


def test_very_long_lines_are_cut_not_held(tmp_path):
    p = tmp_path / "long.log"
    p.write_bytes(b"\x00\xff" * (3 << 20) + b"\r\nTT_THROW @ a.cpp:1: x\n")
    r = runner.invoke(app, ["triage", str(p), "--format", "json", "--no-advice"])
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert r.exit_code in (0, 1)
    obj = json.loads(r.stdout)
    assert any("longer than" in w for w in obj["warnings"])


TRIGGER_WORDS = ["TT_THROW", "TT_FATAL", "TT_ASSERT", "LOG_FATAL", "LOG_ASSERT", "| critical |", "|ERROR|",
                 "[error]", "[fatal]", "Traceback (most recent call last)", "E   ValueError", "KeyError:",
                 "FAILED ", "error: ", "received signal", "Segmentation fault", "core dumped", "Stack dump:",
                 "PLEASE submit a bug report", "Statically allocated circular buffers", "Out of Memory",
                 "Circular buffer size", "Cannot set circular buffer", "Fatal Python error", "terminate called",
                 "Timeout", "timed out", "TIMEOUT", "Error(", "Exception:"] + list(KEYS)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(TRIGGER_WORDS), st.text(max_size=8)), max_size=6).map("".join))
def test_trigger_precheck_never_hides_a_trigger(text):
    # the reader's cheap pre-check is a necessary condition for a trigger
    if is_trigger(text):
        assert may_trigger(text)


@pytest.mark.parametrize("word", TRIGGER_WORDS)
def test_trigger_precheck_on_each_trigger_word(word):
    for text in (word, word.lower(), "  x " + word + " y", word.upper()):
        if is_trigger(text):
            assert may_trigger(text), text


# -- the MLIR parser on mutated corpus text ---------------------------------------------------------

def _corpus_texts(corpus) -> list[str]:
    files = sorted((corpus / "tt-mlir").rglob("*.mlir"), key=lambda f: (f.stat().st_size, str(f)))
    files = [f for f in files if f.stat().st_size > 800]
    if not files:
        pytest.skip("no tt-mlir files in the corpus")
    picks = [files[0], files[len(files) // 3], files[(2 * len(files)) // 3]]
    return [f.read_text(encoding="utf-8", errors="replace")[:12_000] for f in picks]


mutation = st.tuples(st.sampled_from(["delete", "insert", "flip"]), st.floats(0, 1, exclude_max=True),
                     st.integers(1, 40), st.sampled_from(list('{}()<>[]"%#:,=x-0\n ') + ["\x00", "é", "->", "loc("]),
                     st.integers(0, 7))


def _mutate(text: str, muts) -> str:
    b = bytearray(text.encode("utf-8"))
    for op, where, n, piece, bit in muts:
        if not b:
            break
        i = int(where * len(b))
        if op == "delete":
            del b[i:i + n]
        elif op == "insert":
            b[i:i] = piece.encode("utf-8") * (1 + n % 3)
        else:
            b[i] ^= 1 << bit
    return b.decode("utf-8", errors="replace")


@FAST
@given(which=st.integers(0, 2), muts=st.lists(mutation, min_size=1, max_size=8))
def test_parse_mlir_never_raises_on_mutated_corpus(corpus, which, muts):
    text = _mutate(_corpus_texts(corpus)[which], muts)
    module = parse_mlir(text)
    assert isinstance(module, Module)
    assert isinstance(module.diagnostics, list)


# -- the layout model --------------------------------------------------------------------------------

PARSER = OpLineParser()
WH = get_arch("wormhole_b0")


def _tensor(shape: tuple[int, ...], tiled: bool):
    t = tensor_text(shape, "bf16", tiled)
    o = PARSER.parse(f'%1 = "ttnn.abs"(%0) : ({t}) -> {t}', 1, "main")
    return o.operand_types[0]


@settings(max_examples=150, deadline=None)
@given(shape=st.lists(st.integers(1, 300), min_size=1, max_size=5).map(tuple), tiled=st.booleans())
def test_layout_invariants_and_memref_round_trip(shape, tiled):
    fig = analyze_tensor(_tensor(shape, tiled), WH)
    assert fig is not None
    assert fig.logical_volume == math.prod(shape)
    assert fig.physical_volume >= fig.logical_volume
    assert fig.padding_ratio >= 1.0
    if tiled:
        assert fig.tiles * 1024 == fig.physical_volume
        assert fig.bytes == fig.tiles * 2048
    else:
        assert fig.physical_volume == fig.logical_volume
        assert fig.bytes == fig.logical_volume * 2
    # what ttdiag computes is what the printer wrote (the printer follows tt-mlir's rule)
    assert fig.memref_computed == fig.memref_declared
    assert fig.memref_matches is True


# -- the L1 CB model ----------------------------------------------------------------------------------

CTX = make_context(WH, get_era("2025-12"), 102_656)


def _untilize(h: int, w: int):
    src, dst = tensor_text((h, w), "bf16", True), tensor_text((h, w), "bf16", False)
    return PARSER.parse(f'%1 = "ttnn.to_layout"(%0) <{{layout = #ttnn.layout<row_major>}}> : ({src}) -> {dst}',
                        1, "main")


@settings(max_examples=150, deadline=None)
@given(h=st.integers(1, 4096), w=st.integers(1, 1 << 20), dw=st.integers(1, 1 << 16))
def test_untilize_cb_region_end_is_monotone_in_width_within_a_factory(h, w, dw):
    a, b = analyze_op(_untilize(h, w), CTX), analyze_op(_untilize(h, w + dw), CTX)
    assume(a is not None and b is not None and a.factory == b.factory)
    assert a.worst(CTX)[1] <= b.worst(CTX)[1], (a.factory, h, w, w + dw)
