"""Baseline files for ``ttdiag gate --baseline`` / ``--write-baseline`` (schema ``ttdiag.baseline/1``).

```json
{"schema": "ttdiag.baseline/1",
 "fingerprints": [{"fingerprint": "1f0c..", "kind": "cb-exceeds-l1", "op": "ttnn.to_layout",
                   "message": "Statically allocated circular buffers ...", "example": "logs/run.log:43"}]}
```

A fingerprint is sha1(kind, op name, normalised message)[:16] (``ttdiag.analyze.gate.fingerprint``).
"""

from __future__ import annotations

import json

from ..analyze.gate import GateResult
from .common import dumps

SCHEMA = "ttdiag.baseline/1"


def render(result: GateResult) -> str:
    """Every distinct fingerprint of the run (suppressed ones too, so a rewritten baseline keeps them),
    with the first failure that has it as the example. Sorted by kind, op and fingerprint."""
    entries: dict[str, dict] = {}
    for log, f in result.failures():
        fp = f["fingerprint"]
        if fp not in entries:
            entries[fp] = {"fingerprint": fp, "kind": f["kind"], "op": (f["op"] or {}).get("name"),
                           "message": f["message"], "example": f"{log['path']}:{f['line']}"}
    rows = sorted(entries.values(), key=lambda e: (e["kind"], e["op"] or "", e["fingerprint"]))
    return dumps({"schema": SCHEMA, "fingerprints": rows}) + "\n"


def load(path: str) -> set[str]:
    """The fingerprints of a baseline file.

    Raises:
        ValueError: the file cannot be read, or it is not a ``ttdiag.baseline/1`` document.
    """
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as e:
        raise ValueError(f"{path}: cannot read the baseline: {e.strerror or e}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: the baseline is not JSON ({e})") from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA or not isinstance(doc.get("fingerprints"), list):
        raise ValueError(f"{path}: not a {SCHEMA} baseline "
                         f"(expected {{\"schema\": \"{SCHEMA}\", \"fingerprints\": [...]}})")
    out = set()
    for entry in doc["fingerprints"]:
        fp = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fp, str):
            raise ValueError(f"{path}: a fingerprints entry has no \"fingerprint\" string")
        out.add(fp)
    return out
