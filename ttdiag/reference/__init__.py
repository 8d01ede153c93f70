"""numpy reference executor for TTNN ops: bf16-faithful storage, float32 arithmetic.

``Executor().run_op(op, inputs)`` runs one IR op; ``run_program`` runs a program with seeded inputs.
Implementations live in ``ttdiag.reference.ops`` (one module per family, registered by name).
"""

from . import ops  # noqa: F401  (registration)
from .executor import Executor, OpStats, ReferenceError, describe
from .registry import UnknownOpError, available, reference_op

__all__ = ["Executor", "OpStats", "ReferenceError", "UnknownOpError", "available", "describe", "reference_op"]
