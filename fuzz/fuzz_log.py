#!/usr/bin/env python3
"""Fuzz the log reader + triage: bytes -> temp file -> read_log -> triage_trace(wormhole_b0).

Crash = any exception other than ttdiag.io.InputError (the only documented one).
Run:  python fuzz/fuzz_log.py -max_total_time=60      (see fuzz/README.md)
"""

from __future__ import annotations

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402  (also puts the repo root on sys.path)

if _common.atheris is not None:
    with _common.atheris.instrument_imports(include=["ttdiag"]):
        from ttdiag.analyze.arch import get_arch
        from ttdiag.analyze.triage import triage_trace
        from ttdiag.io import InputError
        from ttdiag.parse.log import read_log
else:
    from ttdiag.analyze.arch import get_arch
    from ttdiag.analyze.triage import triage_trace
    from ttdiag.io import InputError
    from ttdiag.parse.log import read_log

ARCH = get_arch("wormhole_b0")
_fd, TMP = tempfile.mkstemp(prefix="ttdiag-fuzz-", suffix=".log", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
os.close(_fd)


def TestOneInput(data: bytes) -> None:
    with open(TMP, "wb") as f:
        f.write(data)
    try:
        trace = read_log(TMP)
    except InputError:
        return
    triage_trace(trace, ARCH)


if __name__ == "__main__":
    try:
        _common.run(TestOneInput, "log", ["/work/shared/corpus/logs"])
    finally:
        try:
            os.unlink(TMP)
        except OSError:
            pass
