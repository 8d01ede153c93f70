"""``ttdiag gate --export FILE.csv|FILE.parquet``: one row per failure for dashboards
(columns: ``ttdiag.report.gate_common.FAILURE_COLUMNS``; ``figures`` as a JSON string)."""

from __future__ import annotations

import importlib.util
import io

from ..analyze.gate import GateResult
from .gate_common import failure_frame

FORMATS = (".csv", ".parquet")
PARQUET_HINT = "writing parquet needs pyarrow: pip install ttdiag[parquet]"


def pyarrow_available() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


def export_format(path: str) -> str:
    """``csv`` or ``parquet`` from the file name. Raises ValueError for another suffix, or when pyarrow
    is missing for parquet (the message says ``pip install ttdiag[parquet]``)."""
    lower = path.lower()
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith(".parquet"):
        if not pyarrow_available():
            raise ValueError(PARQUET_HINT)
        return "parquet"
    raise ValueError(f"{path}: --export takes a .csv or .parquet file")


def to_csv(result: GateResult) -> str:
    return failure_frame(result).to_csv(index=False)


def to_parquet(result: GateResult) -> bytes:
    buf = io.BytesIO()
    failure_frame(result).to_parquet(buf, index=False, engine="pyarrow")
    return buf.getvalue()
