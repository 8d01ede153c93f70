#!/usr/bin/env python3
"""Fuzz the MLIR parsers: bytes -> text (utf-8, errors="replace") -> parse_mlir and OpLineParser().parse.

Crash = any exception other than MLIRSyntaxError from OpLineParser().parse (parse_mlir is
documented never to raise on bad input, so any exception from it is a crash).
Extra read-only corpus: /work/shared/corpus/tt-mlir when present (read at runtime, never copied).
Run:  python fuzz/fuzz_mlir.py -max_total_time=60      (see fuzz/README.md)
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

if _common.atheris is not None:
    with _common.atheris.instrument_imports(include=["ttdiag"]):
        from ttdiag.parse.mlir import MLIRSyntaxError, OpLineParser, parse_mlir
else:
    from ttdiag.parse.mlir import MLIRSyntaxError, OpLineParser, parse_mlir

PARSER = OpLineParser()


def TestOneInput(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    parse_mlir(text)
    # the op-line parser sees one line at a time in real use (log "Executing operation:" lines)
    for line in text.splitlines()[:50] or [text]:
        try:
            PARSER.parse(line)
        except MLIRSyntaxError:
            pass


if __name__ == "__main__":
    _common.run(TestOneInput, "mlir", ["/work/shared/corpus/tt-mlir"])
