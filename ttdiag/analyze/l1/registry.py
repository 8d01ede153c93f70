"""Registry of per-op CB models: TTNN op name → a small function ``(op, ctx) -> OpL1``.

Adding an op is one decorated function in the family module and, for a new module, one import
line in :mod:`ttdiag.analyze.l1` (``_MODULES``). Registering a name twice fails at import.
"""

from __future__ import annotations

from collections.abc import Callable

from ...ir.graph import Op
from .model import L1Context, OpL1

ModelFn = Callable[[Op, L1Context], OpL1]
_MODELS: dict[str, ModelFn] = {}
_FALLBACK: list[ModelFn] = []


def cb_model(*names: str) -> Callable[[ModelFn], ModelFn]:
    """Register a model for one or more op names (``ttnn.untilize`` ...).

    Raises:
        ValueError: at import, when a name is already registered or does not look like an op name.
    """

    def deco(fn: ModelFn) -> ModelFn:
        for n in names:
            if "." not in n:
                raise ValueError(f"{fn.__name__}: {n!r} is not a dialect-qualified op name")
            if n in _MODELS:
                raise ValueError(f"{fn.__name__}: a CB model for {n!r} is already registered "
                                 f"({_MODELS[n].__name__})")
            _MODELS[n] = fn
        return fn

    return deco


def fallback_model(fn: ModelFn) -> ModelFn:
    """Register the model used for ops with no model of their own (exactly one)."""
    if _FALLBACK:
        raise ValueError("a fallback CB model is already registered")
    _FALLBACK.append(fn)
    return fn


def model_for(name: str) -> ModelFn:
    return _MODELS.get(name) or _FALLBACK[0]


def registered() -> list[str]:
    return sorted(_MODELS)
