"""The bulk log reader (``LineReader.blocks`` + op-line runs in ``read_log``) reads exactly what a
line-by-line reader reads: same lines, offsets and stats; same program runs, windows, producers and
failures whatever the block size, the line endings, colours or NULs."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ttdiag.io as tio
from ttdiag.io import LineReader
from ttdiag.parse import log as tlog
from ttdiag.parse.log import read_log

SAMPLES = ["mochi_replicate_pad_cb_overflow.log", "mochi_constpad_conv1_norm2_reshape_fail.log", "mochi_norm2_only_pass.log"]


def _lines_raw(path, limit):
    r = LineReader(str(path), max_line_bytes=limit)
    out = [(o, c.rstrip(b"\n")) for o, c in r.raw()]
    return out, r.stats


def _lines_blocks(path, limit, block):
    r = LineReader(str(path), max_line_bytes=limit)
    out = []
    for offset, data, start, end in r.blocks(block):
        pos = start
        while pos < end:
            nl = data.find(b"\n", pos, end)
            nxt = end if nl < 0 else nl + 1
            out.append((offset + pos - start, data[pos:nxt].rstrip(b"\n")))
            pos = nxt
    r.stats.lines = len(out)
    return out, r.stats


def _stats_key(s):
    return s.lines, s.bytes, s.long_lines, s.ended_mid_line


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"", b"a", b"abc", b"x" * 7, b"x" * 8, b"x" * 9, b"y" * 40, b"\r", b"z\x00"]),
                max_size=25),
       st.booleans(), st.sampled_from([4, 8, 16, 1 << 20]), st.sampled_from([1, 3, 7, 64, 4096]))
def test_blocks_give_the_lines_of_raw(tmp_path_factory, parts, final_newline, limit, block):
    path = tmp_path_factory.mktemp("b") / "in.log"
    path.write_bytes(b"\n".join(parts) + (b"\n" if final_newline else b""))
    a, sa = _lines_raw(path, limit)
    b, sb = _lines_blocks(path, limit, block)
    assert a == b
    assert _stats_key(sa) == _stats_key(sb)


def _summary(trace):
    """Everything the analysis reads from a trace, as plain data."""
    return {
        "lines": trace.lines, "bytes": trace.bytes, "op_lines": trace.op_lines, "runs": trace.runs_total,
        "programs": [(p.index, p.name, p.start_line, p.end_line, p.ops,
                      [dataclasses.astuple(t) for t in p.tail]) for p in trace.programs],
        "events": [(e.line, e.lines, e.source, e.run, e.last_op and dataclasses.astuple(e.last_op),
                    [dataclasses.astuple(w) for w in e.window], sorted(e.producers.items())) for e in trace.events],
        "last_line": trace.last_line, "tail": trace.tail, "warnings": trace.warnings,
        "first_timestamp": trace.first_timestamp,
    }


@pytest.mark.parametrize("name", SAMPLES)
@pytest.mark.parametrize("block", [64, 1000, 1 << 22])
def test_block_size_does_not_change_the_trace(name, block, sample, monkeypatch):
    reference = _summary(read_log(sample(name)))
    monkeypatch.setattr(tio, "BLOCK_BYTES", block)
    assert _summary(read_log(sample(name))) == reference


def test_sample_trace_figures(sample):
    trace = read_log(sample("mochi_replicate_pad_cb_overflow.log"))
    ev = next(e for e in trace.events if "Statically allocated circular buffers" in e.lines[0])
    assert ev.line == 43 and ev.last_op.line == 42 and ev.last_op.text.startswith("%9 = \"ttnn.to_layout\"(%8)")
    assert ev.producers == {"%8": (40, ev.window[-3].offset)}  # line 41 is a deallocate
    assert [w.line for w in ev.window][-4:] == [39, 40, 41, 42]


def _colour(text: str) -> bytes:
    return "".join(f"\x1b[32m{ln[:-1]}\x1b[0m\n" if ln.endswith("\n") else ln
                   for ln in text.splitlines(True)).encode()


def test_colours_crlf_and_nuls_give_the_same_trace(sample, tmp_path):
    text = open(sample("mochi_replicate_pad_cb_overflow.log"), encoding="utf-8").read()
    reference = _summary(read_log(sample("mochi_replicate_pad_cb_overflow.log")))
    for name, data in {
        "crlf": text.replace("\n", "\r\n").encode(),
        "colour": _colour(text),
        "colour_mark": text.replace("Executing operation", "\x1b[1mExecuting operation\x1b[0m").encode(),
    }.items():
        p = tmp_path / f"{name}.log"
        p.write_bytes(data)
        got = _summary(read_log(str(p)))
        for key in ("op_lines", "runs", "last_line", "tail"):
            assert got[key] == reference[key], (name, key)
        # same op text, lines and producers; offsets are those of the mangled file
        strip = [(e[0], e[4][0], e[4][3], [w[0] for w in e[5]], [(k, v[0]) for k, v in e[6]]) for e in got["events"]]
        want = [(e[0], e[4][0], e[4][3], [w[0] for w in e[5]], [(k, v[0]) for k, v in e[6]]) for e in reference["events"]]
        assert strip == want, name


@pytest.mark.parametrize("colour", [False, True])
def test_producer_folded_out_of_the_spans_is_still_found(tmp_path, monkeypatch, colour):
    # a program longer than the spans a frame keeps: %0 is folded into the compact defs
    monkeypatch.setattr(tlog, "SPAN_LINES", 16)
    head = "            RuntimeTTNN |    DEBUG | "
    lines = [head + "Starting execution of program: main"]
    lines.append(head + 'Executing operation: %0 = "ttnn.full"() : () -> tensor<4xbf16> loc("a")')
    for i in range(1, 100):
        lines.append(head + f'Executing operation: %{i} = "ttnn.relu"(%{i - 1}) : (tensor<4xbf16>) -> tensor<4xbf16>')
        if i == 3:  # multi-result forms, folded too
            lines.append(head + 'Executing operation: %s:2 = "ttnn.split"(%0) : (tensor<4xbf16>) -> (tensor<2xbf16>, tensor<2xbf16>)')
            lines.append(head + 'Executing operation: %p, %q = "ttnn.pair"(%0) : (tensor<4xbf16>) -> (tensor<4xbf16>, tensor<4xbf16>)')
            lines.append(head + 'Executing operation: "ttnn.deallocate"(%2) <{force = false}> : (tensor<4xbf16>) -> ()')
    lines.append(head + 'Executing operation: %100 = "ttnn.add4"(%99, %0, %s#1, %q) : (tensor<4xbf16>, tensor<4xbf16>, '
                        'tensor<2xbf16>, tensor<4xbf16>) -> tensor<4xbf16>')
    lines.append("2025-12-31 16:11:36.007 | critical |          Always | TT_THROW @ x.cpp:1: boom")
    if colour:  # the header learnt with its escapes; spans folded line by line
        lines = [f"\x1b[32m{ln}\x1b[0m" for ln in lines]
    p = tmp_path / "long.log"
    p.write_text("\n".join(lines) + "\n")
    trace = read_log(str(p))
    (ev,) = trace.events
    assert ev.last_op.line == 105 and ev.producers["%99"][0] == 104
    assert {k: v[0] for k, v in ev.producers.items()} == {"%99": 104, "%0": 2, "%s#1": 6, "%q": 7}
    with open(p, "rb") as f:
        for operand, text in (("%0", b'%0 = "ttnn.full"'), ("%s#1", b"%s:2 = "), ("%q", b"%p, %q = ")):
            f.seek(ev.producers[operand][1])
            assert text in f.readline()
    assert len(ev.window) == 64 and ev.window[0].line == 105 - 63
    assert trace.op_lines == 104 and trace.programs[0].ops == 104


def test_remembered_lines_still_join_an_open_error_block(tmp_path):
    # "info: ..." is quiet (no trigger) the first time and is remembered; inside an error block it
    # must still be read as part of the block, and a remembered marker still moves the program stack
    head = "            RuntimeTTNN |    DEBUG | "
    lines = ["2025-12-31 16:11:36.007 | info     |          Always | opened device"]
    for _ in range(3):
        lines += [head + "Starting execution of program: main", "info:", "    shape mismatch in tensor",
                  head + 'Executing operation: %0 = "ttnn.relu"(%arg0) : (tensor<4xbf16>) -> tensor<4xbf16>',
                  head + "Finished execution of program: main"]
    lines += [head + "Starting execution of program: main",
              head + 'Executing operation: %0 = "ttnn.relu"(%arg0) : (tensor<4xbf16>) -> tensor<4xbf16>',
              "2025-12-31 16:11:36.007 | critical |          Always | TT_THROW @ x.cpp:1: boom",
              "info:", "    shape mismatch in tensor", "backtrace:", " --- tt::f()"]
    p = tmp_path / "memo.log"
    p.write_text("\n".join(lines) + "\n")
    trace = read_log(str(p))
    (ev,) = trace.events
    assert ev.lines[1:3] == ["info:", "    shape mismatch in tensor"]
    assert trace.runs_total == 4 and trace.runs_finished == 3
    assert ev.last_op.line == len(lines) - 5 and ev.run == 3


def test_op_line_whose_header_cannot_be_learnt_is_still_an_op_line(tmp_path):
    # a NUL inside a colour escape: decoding drops the NUL, then the escape; no raw header matches
    # that cleaning, so no run is learnt from it, but each line is still an op line
    head = "\x1b\x00[32m            RuntimeTTNN |    DEBUG | \x1b[0m"
    lines = [head + "Starting execution of program: main"]
    lines += [head + f'Executing operation: %{i} = "ttnn.relu"(%{i - 1}) : (tensor<4xbf16>) -> tensor<4xbf16>'
              for i in range(1, 6)]
    lines.append("2025-12-31 16:11:36.007 | critical |          Always | TT_THROW @ x.cpp:1: boom")
    p = tmp_path / "odd.log"
    p.write_bytes(("\n".join(lines) + "\n").encode())
    trace = read_log(str(p))
    (ev,) = trace.events
    assert trace.op_lines == 5 and ev.last_op.line == 6 and ev.last_op.text.startswith("%5 = ")
    assert ev.producers["%4"][0] == 5
