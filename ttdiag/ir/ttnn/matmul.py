"""``ttnn.matmul`` and ``ttnn.linear`` with their program and compute configs (tt-mlir ``TTNNOps.td``;
configs ``#ttnn.matmul_multi_core_reuse[_multi_cast[_1d|_dram_sharded]]_program_config``)."""

from __future__ import annotations

from dataclasses import dataclass

from .attrs import Config
from .base import TTNNOp, attr, ttnn_op

# program config kind (the attribute's name after the dialect) -> the tt-metal program factory family
PROGRAM_CONFIG_KINDS = {
    "matmul_multi_core_reuse_program_config": "reuse",
    "matmul_multi_core_reuse_multi_cast_program_config": "2d",
    "matmul_multi_core_reuse_multi_cast_1d_program_config": "1d",
    "matmul_multi_core_reuse_multi_cast_dram_sharded_program_config": "dram_sharded",
}


@dataclass(frozen=True, slots=True)
class MatmulProgramConfig:
    """A decoded matmul program config; block sizes in tiles, ``grid`` (x, y) or None for the device's.
    ``kind``: reuse | 2d | 1d | dram_sharded."""

    kind: str
    grid: tuple[int, int] | None
    in0_block_w: int
    out_subblock_h: int
    out_subblock_w: int
    per_core_m: int
    per_core_n: int
    out_block_h: int
    out_block_w: int
    mcast_in0: bool
    transpose_mcast: bool
    fuse_batch: bool

    @staticmethod
    def of(cfg: Config | None) -> MatmulProgramConfig | None:
        """None when ``cfg`` is absent or not a matmul program config. ``out_block_h`` / ``_w`` default to
        ``per_core_m`` / ``_n`` (tt-metal's ``std::optional`` out_block fields)."""
        if cfg is None or cfg.kind not in PROGRAM_CONFIG_KINDS:
            return None
        pm, pn = cfg.int("per_core_m", 1), cfg.int("per_core_n", 1)
        return MatmulProgramConfig(
            PROGRAM_CONFIG_KINDS[cfg.kind], cfg.grid("compute_with_storage_grid_size"), cfg.int("in0_block_w", 1),
            cfg.int("out_subblock_h", 1), cfg.int("out_subblock_w", 1), pm, pn, cfg.int("out_block_h", pm),
            cfg.int("out_block_w", pn), cfg.bool("mcast_in0", True), cfg.bool("transpose_mcast"),
            cfg.bool("fuse_batch", True))


@ttnn_op("ttnn.matmul", "ttnn.linear")
@dataclass(slots=True)
class Matmul(TTNNOp):
    """``ttnn.matmul`` (a, b) and ``ttnn.linear`` (a, b[, bias])."""

    transpose_a: bool = attr(kind="bool", default=False)
    transpose_b: bool = attr(kind="bool", default=False)
    matmul_program_config: Config | None = attr(kind="config")
    compute_config: Config | None = attr(kind="config")
    activation: str | None = attr(kind="text")

    @property
    def program_config(self) -> MatmulProgramConfig | None:
        return MatmulProgramConfig.of(self.matmul_program_config)

    @property
    def bias(self):
        """The bias operand's type (``ttnn.linear`` with three operands), else None."""
        return self.input(2) if self.op.name == "ttnn.linear" else None

    def fp32_dest_acc(self) -> bool:
        """``compute_config.fp32_dest_acc_en``; False without a compute config."""
        return bool(self.compute_config and self.compute_config.bool("fp32_dest_acc_en"))

    def packer_l1_acc(self) -> bool:
        """``compute_config.packer_l1_acc``; False without a compute config."""
        return bool(self.compute_config and self.compute_config.bool("packer_l1_acc"))

    def verify(self) -> list[str]:
        """tt-metal ``matmul`` validate: inputs of rank ≥ 2 whose inner dims agree (after the transposes)."""
        a, b = self.input(0), self.input(1)
        if a is None or b is None:
            return []
        if len(a.shape) < 2 or len(b.shape) < 2:
            return ["matmul inputs must have rank 2 or more"]
        ka = a.shape[-2] if self.transpose_a else a.shape[-1]
        kb = b.shape[-1] if self.transpose_b else b.shape[-2]
        return [] if ka == kb else [f"inner dimensions differ: {ka} (a) vs {kb} (b)"]
