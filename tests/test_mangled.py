"""Mangled copies of the sample logs as regression fixtures (generated here, not stored as files).

Each mangling is something logs really go through on their way to a bug report: CRLF line endings,
ANSI colours, hard wrapping at 80 columns, markdown ``> `` quoting, pytest ``E   `` prefixes, two
processes writing to one file, mojibake, NUL bytes, truncation, a huge line in front. Where the
information survives, the answer must be the same as for the clean log; where it does not, the
result must still be clean (exit 0/1, valid JSON, warnings).
"""

from __future__ import annotations

import itertools
import json
import random
import re

import pytest
from typer.testing import CliRunner

from ttdiag.cli import app

runner = CliRunner()

CB_LOG = "mochi_replicate_pad_cb_overflow.log"
RS_LOG = "mochi_constpad_conv1_norm2_reshape_fail.log"
CB_END = 9_990_400


def triage(path) -> tuple[int, dict]:
    r = runner.invoke(app, ["triage", str(path), "--format", "json", "--no-advice"])
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        raise AssertionError(f"uncaught {r.exception!r}") from r.exception
    assert r.exit_code in (0, 1), r.output
    obj = json.loads(r.stdout)
    assert obj["schema"] == "ttdiag.triage/1"
    assert isinstance(obj["warnings"], list)
    return r.exit_code, obj


def read(sample, name: str) -> str:
    with open(sample(name), encoding="utf-8", newline="") as f:
        return f.read()


def per_line(text: str, fn) -> str:
    return "".join(fn(ln) for ln in text.splitlines(True))


# -- the manglings (text -> bytes) -------------------------------------------------------------

def crlf(t: str) -> bytes:
    return t.replace("\n", "\r\n").encode("utf-8")


def ansi(t: str) -> bytes:
    t = re.sub(r"\b(DEBUG|INFO|critical|RuntimeError|TT_THROW|TT_FATAL|Executing operation)\b",
               "\x1b[1;31m\\1\x1b[0m", t)
    return ("\x1b[32m" + t.replace("\n", "\x1b[0m\n\x1b[32m")).encode("utf-8")


def quoted(t: str) -> bytes:
    return per_line(t, lambda ln: "> " + ln).encode("utf-8")


def pytest_e(t: str) -> bytes:
    return per_line(t, lambda ln: "E   " + ln).encode("utf-8")


def mojibake(t: str) -> bytes:
    # UTF-8 bytes read as Latin-1, then written back as UTF-8
    return t.encode("utf-8").decode("latin-1").encode("utf-8")


def nul(t: str) -> bytes:
    return per_line(t, lambda ln: ln[:7] + "\x00" + ln[7:]).encode("utf-8")


def gha(t: str) -> bytes:
    # a GitHub Actions raw log: an ISO-8601 time stamp with 7 fractional digits before every line
    return "".join(f"2026-02-11T08:{i // 60 % 60:02d}:{i % 60:02d}.{i * 7919 % 10_000_000:07d}Z {ln}"
                   for i, ln in enumerate(t.splitlines(True))).encode("utf-8")


def mpi_quoted(t: str) -> bytes:
    # OpenMPI's --tag-output, then pasted into an issue as a quote with the '>' fused to the text
    return per_line(t, lambda ln: ">[1,0]<stdout>: " + ln).encode("utf-8")


def wrap80(t: str) -> bytes:
    def wrap(ln: str) -> str:
        body = ln.rstrip("\n")
        return "\n".join(body[i:i + 80] for i in range(0, len(body), 80)) + "\n"
    return per_line(t, wrap).encode("utf-8")


SURVIVING = {"crlf": crlf, "ansi": ansi, "quoted": quoted, "pytest_e": pytest_e, "mojibake": mojibake, "nul": nul,
             "gha": gha, "mpi_quoted": mpi_quoted}
ALL = SURVIVING | {"wrap80": wrap80}


def failures(obj: dict, kind: str) -> list[dict]:
    return [f for f in obj["failures"] if f["kind"] == kind]


# -- where the information survives: the same answer ---------------------------------------------

@pytest.mark.parametrize("mangle", list(SURVIVING), ids=list(SURVIVING))
def test_cb_sample_survives(mangle, sample, tmp_path):
    p = tmp_path / "cb.log"
    p.write_bytes(SURVIVING[mangle](read(sample, CB_LOG)))
    code, obj = triage(p)
    assert code == 1
    (f,) = obj["failures"]
    assert f["kind"] == "cb-exceeds-l1"
    assert f["line"] == 43
    assert f["figures"]["cb_region_end_bytes"] == CB_END
    assert f["figures"]["l1_limit_bytes"] == 1_499_136
    assert f["figures"]["core_range"] == [[7, 6], [7, 6]]
    assert (f["op"]["id"], f["op"]["name"], f["op"]["program"], f["op"]["line"]) == ("%9", "ttnn.to_layout", "main", 42)
    assert "parse_error" not in f["op"]
    if mangle == "nul":
        assert any("NUL" in w for w in obj["warnings"])


@pytest.mark.parametrize("mangle", list(SURVIVING), ids=list(SURVIVING))
def test_reshape_sample_survives(mangle, sample, tmp_path):
    p = tmp_path / "rs.log"
    p.write_bytes(SURVIVING[mangle](read(sample, RS_LOG)))
    code, obj = triage(p)
    assert code == 1
    f = obj["failures"][0]
    assert f["kind"] == "reshape-invalid"
    assert (f["op"]["id"], f["op"]["name"]) == ("%5", "ttnn.reshape")
    assert f["figures"].get("condition") == "new_volume == old_volume"


def test_passing_sample_stays_passing_under_every_mangling(sample, tmp_path):
    text = read(sample, "mochi_norm2_only_pass.log")
    for name, fn in ALL.items():
        p = tmp_path / f"pass_{name}.log"
        p.write_bytes(fn(text))
        code, obj = triage(p)
        assert code == 0 and obj["failures"] == [], name


# -- where it may not: a clean partial result ----------------------------------------------------

def test_wrap80_keeps_the_failure(sample, tmp_path):
    # hard wrapping cuts op lines (they no longer parse) and splits the CB message, the assert's path and
    # its condition over several lines: the same failure with every figure, and a warning about the op line
    p = tmp_path / "cb80.log"
    p.write_bytes(wrap80(read(sample, CB_LOG)))
    code, obj = triage(p)
    assert code == 1
    (f,) = obj["failures"]
    assert f["kind"] == "cb-exceeds-l1"
    assert f["figures"]["cb_region_end_bytes"] == CB_END and f["figures"]["l1_limit_bytes"] == 1_499_136
    assert f["figures"]["core_range"] == [[7, 6], [7, 6]]
    assert f["figures"]["source_line"] == 1186 and f["figures"]["condition"] == "tt::exception"
    assert f["figures"]["source_file"].endswith("/tt_metal/impl/program/program.cpp")
    assert (f["op"]["name"], f["op"]["source"]) == ("ttnn.to_layout", "op-line")
    assert any("does not parse" in w for w in obj["warnings"])
    p = tmp_path / "rs80.log"
    p.write_bytes(wrap80(read(sample, RS_LOG)))
    code, obj = triage(p)
    f = obj["failures"][0]
    assert code == 1 and f["kind"] == "reshape-invalid"
    assert f["figures"]["condition"] == "new_volume == old_volume" and f["figures"]["source_line"] == 54


def test_interleaved_processes_keep_both_failures(sample, tmp_path):
    a = read(sample, CB_LOG).splitlines(True)
    b = read(sample, RS_LOG).splitlines(True)
    mixed = "".join(x for pair in itertools.zip_longest(a, b, fillvalue="") for x in pair)
    p = tmp_path / "mixed.log"
    p.write_text(mixed, encoding="utf-8")
    code, obj = triage(p)
    assert code == 1
    kinds = [f["kind"] for f in obj["failures"]]
    assert "cb-exceeds-l1" in kinds and "reshape-invalid" in kinds
    (cb,) = failures(obj, "cb-exceeds-l1")
    assert cb["figures"]["cb_region_end_bytes"] == CB_END
    # the op attribution is not asserted: two interleaved runs share one program stack


@pytest.mark.parametrize("name", [CB_LOG, RS_LOG])
def test_truncated_at_random_points(name, sample, tmp_path):
    data = read(sample, name).encode("utf-8")
    expected = "cb-exceeds-l1" if name == CB_LOG else "reshape-invalid"
    # the primary message's line: once it is complete, the kind must be found
    needle = b"Statically allocated" if name == CB_LOG else b"Invalid arguments to reshape"
    msg_end = data.index(b"\n", data.index(needle)) + 1
    rnd = random.Random(20260109)
    cuts = sorted({rnd.randrange(1, len(data)) for _ in range(12)} | {msg_end, msg_end - 5, len(data) - 1})
    for cut in cuts:
        p = tmp_path / f"cut{cut}.log"
        p.write_bytes(data[:cut])
        code, obj = triage(p)
        if cut < len(data) and not data[:cut].endswith(b"\n"):
            assert any("mid-line" in w for w in obj["warnings"]), cut
        if cut >= msg_end:
            assert code == 1 and obj["failures"][0]["kind"] == expected, cut
        if code == 1:
            assert obj["failures"][0]["kind"] in (expected, "assertion", "exception"), cut


def test_fifty_megabyte_line_prepended(sample, tmp_path):
    p = tmp_path / "huge.log"
    with open(p, "wb") as f:
        chunk = b"y" * (1 << 20)
        for _ in range(50):
            f.write(chunk)
        f.write(b"\n")
        f.write(read(sample, CB_LOG).encode("utf-8"))
    code, obj = triage(p)
    assert code == 1
    (f,) = obj["failures"]
    assert f["kind"] == "cb-exceeds-l1" and f["line"] == 44
    assert f["figures"]["cb_region_end_bytes"] == CB_END and f["op"]["id"] == "%9"
    assert any("longer than" in w for w in obj["warnings"])
