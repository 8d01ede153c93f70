"""Numerical comparison of two results: exact, or PCC / max-abs / max-rel error (float64 statistics)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .model import Verification


def compare(reference: np.ndarray, candidate: np.ndarray, seed: int, pcc_ok: float = 0.999,
            detail: str = "", instance: dict[str, Any] | None = None) -> Verification:
    """``exact`` when bit-identical; else ``approx`` when PCC ≥ ``pcc_ok``, ``failed`` otherwise."""
    if reference.shape != candidate.shape:
        return Verification("failed", inputs_seed=seed, threshold=pcc_ok, instance=instance,
                            detail=f"shape {list(candidate.shape)} != {list(reference.shape)}. {detail}".strip())
    a = reference.astype(np.float64).ravel()
    b = candidate.astype(np.float64).ravel()
    if reference.dtype == candidate.dtype and np.array_equal(reference, candidate):
        return Verification("exact", pcc=1.0, max_abs_error=0.0, max_rel_error=0.0, inputs_seed=seed, detail=detail,
                            threshold=pcc_ok, instance=instance)
    diff = np.abs(a - b)
    max_abs = float(diff.max()) if diff.size else 0.0
    denom = np.maximum(np.abs(a), 1e-30)
    max_rel = float((diff / denom)[np.abs(a) > 1e-6].max()) if (np.abs(a) > 1e-6).any() else 0.0
    if a.std() == 0 or b.std() == 0:
        pcc = 1.0 if max_abs == 0 else 0.0
    else:
        pcc = float(np.corrcoef(a, b)[0, 1])
    return Verification("approx" if pcc >= pcc_ok else "failed", pcc=round(pcc, 6), max_abs_error=max_abs,
                        max_rel_error=max_rel, inputs_seed=seed, detail=detail, threshold=pcc_ok, instance=instance)
