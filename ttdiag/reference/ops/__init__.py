"""Reference op families, one module each; importing this package registers them all.

Adding an op family is one module and one line in ``_FAMILIES``.
"""

from __future__ import annotations

import importlib

_FAMILIES = ("layout", "eltwise", "data_movement", "matmul", "conv", "norm", "reduce", "resize")

for _name in _FAMILIES:
    try:
        importlib.import_module(f"{__name__}.{_name}")
    except ModuleNotFoundError as e:  # a family not written yet
        if e.name != f"{__name__}.{_name}":
            raise
