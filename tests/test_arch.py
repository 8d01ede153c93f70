"""Arch table (ttnn-facts.md §4, with the Blackhole figures looked up) and system_desc overrides."""

from __future__ import annotations

import pytest

from ttdiag.analyze.arch import arch_for, get_arch
from ttdiag.parse.mlir import parse_mlir


def test_wormhole_and_blackhole_constants():
    wh, bh = get_arch("wormhole_b0"), get_arch("bh")
    assert (wh.l1_size, wh.worker_cores, wh.dram_banks, wh.dram_alignment, wh.l1_unreserved_base) == (
        1_499_136, 64, 12, 32, 102_656)
    assert (bh.l1_size, bh.worker_grid, bh.dram_banks, bh.dram_bank_size, bh.dram_alignment, bh.l1_unreserved_base) == (
        1_572_864, (10, 11), 8, 4_278_190_080, 64, 111_360)
    assert get_arch("p100").dram_banks == 7
    # tt-mlir's runtime opens devices with a 64 KiB L1_SMALL; L1 bank = l1 - base - L1_SMALL
    assert wh.l1_size - 103_712 - wh.l1_small_size == 1_329_888
    with pytest.raises(KeyError, match="known:"):
        get_arch("quasar")


def test_system_desc_overrides_the_table():
    m = parse_mlir('#system_desc = #ttcore.system_desc<[{role = host, target_triple = "x86_64-pc-linux"}], '
                   '[{arch = <blackhole>, grid = 10x11, l1_size = 1572864, num_dram_channels = 8, '
                   'dram_channel_size = 4278190080, noc_l1_address_align_bytes = 16, pcie_address_align_bytes = 64, '
                   'noc_dram_address_align_bytes = 64, l1_unreserved_base = 111104}], [0], [1 : i32], [ 0x0x0x0]>\n'
                   'module attributes {ttcore.system_desc = #system_desc} {\n}\n')
    a = arch_for(m.system_desc)
    assert (a.name, a.l1_unreserved_base, a.worker_grid, a.dram_banks) == ("blackhole", 111_104, (10, 11), 8)
    assert a.source == "system_desc in the input"
