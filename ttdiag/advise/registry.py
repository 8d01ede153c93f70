"""Registry of advice rules: each rule is ``fn(ctx) -> list[Advice]`` (detector, rewrite, prediction and
verification inside), registered by name; one module per family."""

from __future__ import annotations

from collections.abc import Callable

from .context import AdviceContext
from .model import Advice

RuleFn = Callable[[AdviceContext], list[Advice]]
_RULES: dict[str, RuleFn] = {}


def advice_rule(name: str) -> Callable[[RuleFn], RuleFn]:
    """Register a rule. Raises ValueError at import on a duplicate name."""

    def deco(fn: RuleFn) -> RuleFn:
        if name in _RULES:
            raise ValueError(f"advice rule {name!r} already registered")
        _RULES[name] = fn
        return fn

    return deco


def rules() -> dict[str, RuleFn]:
    return dict(_RULES)
