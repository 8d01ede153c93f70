"""Line prefixes: what a log line carries before its message, for every logger generation and every
way a log reaches a bug report.

Two layers, removed in this order:

* **transport prefixes**, added on the way to the reader, stripped as the line is read
  (:func:`strip_transport`): GitHub Actions time stamps (``2025-01-24T13:25:38.1601120Z ``, 7 fractional
  digits), OpenMPI ``--tag-output`` (``[1,2]<stdout>: ``), markdown quotes (``> `` or ``>`` fused to the
  first character), inline-code backticks, and these in any combination;
* **logger headers** (:func:`parse_header`), one per logger generation:

  ============================  ====================================================================
  tt-mlir runtime / tt-metal    ``            RuntimeTTNN |    DEBUG | msg`` (LogType right-aligned,
  2023-24 (no time stamp)       level right- or left-aligned); also ``Always | FATAL | msg``
  tt-metal 2024-25 (loguru)     ``2024-04-30 00:03:18.627 | INFO     | SiliconDriver   - msg`` and
                                ``ts | FATAL    | Always          - msg`` (TT-Buda / forge legacy)
  tt-logger 2025+               ``2026-06-04 20:40:34.148 | critical |          Always | msg (assert.hpp:104)``
  tt-metal 2026 (spdlog)        ``[2026-03-01 10:00:00.000] [error] [program.cpp:1307] msg``
  C++ loguru (tt-xla, PJRT)     ``2026-05-14 01:00:31.802 (2408.930s) [        4F4456C0]  utils.h:62  ERR| msg``
  Python logging / vLLM         ``2025-03-26 16:36:46,812 - INFO - msg``, ``ERROR 10-23 04:15:50 [engine.py:187] msg``
  ============================  ====================================================================

Formats: tt-mlir ``runtime/include/tt/runtime/detail/common/logger.h``; tt-metal
``tt_metal/common/logger.hpp`` (2023-24) and tenstorrent/tt-logger (2025+); ttnn-facts.md §5.4.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# -- transport prefixes ------------------------------------------------------------------------

_GHA_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?")
_MPI_TAG = re.compile(r"\[\d+,\d+\]<std(?:out|err|diag)>: ?")
_QUOTE = re.compile(r">+ ?(?=\S|$)|> +")
_BACKTICKS = re.compile(r"`{1,3}(?!`)")

GHA_STAMP_B = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?")


def strip_transport(text: str) -> str:
    """Remove the prefixes a line picks up on its way to a bug report (CI time stamps, MPI tags,
    markdown quoting, backticks), in any order and combination; other text is returned as it is.

    Cheap on lines that carry none: the first character decides whether anything is tried.
    """
    for _ in range(4):
        c = text[:1]
        if c.isdigit():
            if len(text) < 20 or text[10] != "T" or text[4] != "-":
                return text
            m = _GHA_STAMP.match(text)
        elif c == "[":
            m = _MPI_TAG.match(text) if "]<std" in text[:16] else None
        elif c == ">":
            m = _QUOTE.match(text)
        elif c == "`":
            m = _BACKTICKS.match(text)
        else:
            return text
        if m is None or not m.end():
            return text
        text = text[m.end():]
    return text


# -- logger headers ----------------------------------------------------------------------------

_LEVELS = r"TRACE|DEBUG|INFO|WARNING|WARN|ERROR|FATAL|CRITICAL|trace|debug|info|warning|warn|error|critical|fatal"


@dataclass(slots=True)
class LineHeader:
    """A recognised logger prefix: which logger, level, category, and the message after it."""

    source: str
    level: str | None
    category: str | None
    message: str
    timestamp: str | None = None


_HEADERS = (
    # tt-mlir runtime logger / tt-metal 2023-24 (no time stamp): "   RuntimeTTNN |    DEBUG | msg",
    # "Always | FATAL | msg"
    ("mlir-runtime", re.compile(
        rf"^(?:\[[^\]]*\]\s*)*\s*(?P<cat>[A-Za-z][\w]*)\s*\|\s*(?P<level>{_LEVELS})\s*\|\s?(?P<msg>.*)$")),
    # tt-logger 2025+ / loguru: "2025-12-31 16:11:36.007 | critical |          Always | msg"; legacy
    # TT-Buda / forge "ts | FATAL    | Always          - msg"; Python loguru "ts | INFO | mod:fn:12 - msg"
    ("tt-metal", re.compile(
        r"^(?P<ts>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[.,]\d{3}) \| (?P<level>\w+)\s*\|"
        r"(?:\s*(?P<cat>[A-Za-z][\w]*)\s*(?:\||\s-\s))?\s?(?P<msg>.*)$")),
    # the same generations with the time stamp cut off by a paste: "| FATAL    | Always          - msg"
    ("tt-metal", re.compile(
        rf"^\|\s*(?P<level>{_LEVELS})\s*\|(?:\s*(?P<cat>[A-Za-z][\w]*)\s*(?:\||\s-\s))?\s?(?P<msg>.*)$")),
    # tt-metal 2026 spdlog: "[2026-03-01 10:00:00.000] [error] [program.cpp:1307] msg"
    ("tt-metal", re.compile(
        r"^\[(?P<ts>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3})\] \[(?P<level>\w+)\] \[(?P<cat>[^\]]*)\] (?P<msg>.*)$")),
    # C++ loguru (tt-xla PJRT plugin): "2026-05-14 01:00:31.802 (2408.930s) [        4F4456C0]     utils.h:62     ERR| msg"
    ("loguru", re.compile(
        r"^(?P<ts>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}) \(\s*[\d.]+s\) \[[^\]]*\]\s+(?P<cat>\S+:\d+)\s+"
        r"(?P<level>[A-Z0-9]+)\|\s?(?P<msg>.*)$")),
    # Python logging: "2025-03-26 16:36:46,812 - INFO - msg"
    ("python", re.compile(r"^(?P<ts>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}) - (?P<level>[A-Z]+) - (?P<msg>.*)$")),
    # vLLM: "ERROR 10-23 04:15:50 [engine.py:187] msg"
    ("python", re.compile(r"^(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL) \d\d-\d\d \d\d:\d\d:\d\d "
                          r"\[(?P<cat>[^\]]+)\] ?(?P<msg>.*)$")),
)

_LOGURU_LEVELS = {"ERR": "error", "WARN": "warning", "FATL": "fatal", "INFO": "info"}


def parse_header(text: str) -> LineHeader | None:
    """Recognise a logger line's prefix (after :func:`strip_transport`); None for free text
    (tracebacks, messages, frames)."""
    if "|" not in text and not text.startswith("[") and " - " not in text and not text[:1].isupper():
        return None
    for source, rx in _HEADERS:
        m = rx.match(text)
        if m:
            gd = m.groupdict()
            level = gd.get("level")
            if source == "loguru":
                level = _LOGURU_LEVELS.get(level or "", "info" if (level or "").isdigit() else level)
            msg = gd.get("msg") or ""
            cat = gd.get("cat")
            if source == "tt-metal" and cat is None and (pm := _PY_LOGURU.match(msg)):
                # Python loguru ("ts | ERROR | pybuda.device:run_next_command:469 - msg"): a Python logger
                source, cat, msg = "python", pm.group("where"), msg[pm.end():]
            return LineHeader(source, level, cat, msg, gd.get("ts"))
    return None


_PY_LOGURU = re.compile(r"(?P<where>[\w.<>]+:[\w<>]+:\d+) - ")
