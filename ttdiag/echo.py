"""Echoing input text back to the user: one line, at most ``ECHO_CHARS`` characters.

A log or dump may hold a 1 MiB line (cut by the reader, still 1 MiB): whatever part of it an error,
a diagnostic or a table shows is clipped here, so a terminal never fills with one line.
"""

from __future__ import annotations

ECHO_CHARS = 200


def clip(text: str, limit: int = ECHO_CHARS) -> str:
    """``text`` on one line (newlines and tabs as spaces) and at most ``limit`` characters, the cut
    marked with a trailing ``…`` (which counts in ``limit``)."""
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    if "\n" in text or "\r" in text or "\t" in text:
        text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return text
