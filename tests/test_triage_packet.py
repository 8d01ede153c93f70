"""``ttdiag triage --format markdown``: the paste-ready issue body.

Golden files (tests/data/golden/*.md) were read line by line when they were written: each cited line
was checked against its log; ``TTDIAG_UPDATE_GOLDEN=1`` rewrites them from the renderer, for review. The citation test below re-checks that independently of the renderer:
every quoted key line is the log's own line with that number, every ``line N`` cited exists.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ttdiag.cli import app

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden"
CASES = {
    "cb_sample.md": ["sample_logs/mochi_replicate_pad_cb_overflow.log", "--no-verify"],
    "runtime_frames.md": ["tests/data/real_world/runtime_frames.log", "--no-advice"],
    "pytest_long.md": ["tests/data/real_world/pytest_long.log", "--no-advice"],
}


def packet(args: list[str]) -> str:
    r = CliRunner().invoke(app, ["triage", args[0], "--format", "markdown", *args[1:]])
    assert r.exit_code == 1, r.output
    return r.stdout


@pytest.mark.parametrize("golden", sorted(CASES))
def test_packet_matches_its_golden_file(golden, monkeypatch):
    monkeypatch.chdir(ROOT)  # the packet names the log as given on the command line
    if os.environ.get("TTDIAG_UPDATE_GOLDEN") == "1":
        (GOLDEN / golden).write_text(packet(CASES[golden]), encoding="utf-8")
    assert packet(CASES[golden]) == (GOLDEN / golden).read_text(encoding="utf-8")


@pytest.mark.parametrize("golden", sorted(CASES))
def test_packet_cites_real_lines(golden, monkeypatch):
    monkeypatch.chdir(ROOT)
    args = CASES[golden]
    text = packet(args)
    log = (ROOT / args[0]).read_text(encoding="utf-8").splitlines()
    block = re.search(r"```text\n(.*?)\n```", text, re.S).group(1)
    for row in block.splitlines():
        num, quoted = row.split(" | ", 1)
        original = log[int(num) - 1].rstrip()
        assert quoted.rstrip("…") == original[:len(quoted.rstrip("…"))], num
    for n in re.findall(r"\bline (\d+)\b", text):
        assert 1 <= int(n) <= len(log), n


def test_packet_is_deterministic(monkeypatch):
    monkeypatch.chdir(ROOT)
    args = CASES["runtime_frames.md"]
    assert packet(args) == packet(args)


def test_packet_of_a_clean_log(monkeypatch):
    monkeypatch.chdir(ROOT)
    r = CliRunner().invoke(app, ["triage", "sample_logs/mochi_norm2_only_pass.log", "--format", "markdown"])
    assert r.exit_code == 0
    assert r.stdout.startswith("## ttdiag triage: no failure found in sample_logs/mochi_norm2_only_pass.log\n")


def test_readme_example_is_a_real_run(monkeypatch):
    # the README's triage-packet example is this command's output, byte for byte
    monkeypatch.chdir(ROOT)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- example: ttdiag (triage [^>]*?) -->\n````markdown\n(.*?)````\n", readme, re.S)
    assert m is not None
    args = m.group(1).split()[1:]
    r = CliRunner().invoke(app, ["triage", *args])
    assert r.stdout == m.group(2)
