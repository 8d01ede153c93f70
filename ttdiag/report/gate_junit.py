"""``ttdiag gate --format junit``: JUnit XML (the Jenkins / Ant shape) built with junitparser's object model.

``testsuites > testsuite name="ttdiag.gate"`` with one ``testcase`` per log (``name`` = log path,
``classname`` = ``ttdiag.gate``, ``time`` = seconds spent on it). A log with a failure at or above
``--fail-on`` (not suppressed) gets a ``failure`` (``message`` = the first such failure's kind and message,
``type`` = its kind, text = every failure of the log); an unreadable log gets an ``error``; other failures
(suppressed, or below ``--fail-on``) go to ``system-out``, which starts ``status: warning`` for a log
whose status is ``warning`` (JUnit has no warning result). The suite's counts come from
junitparser's ``update_statistics``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from junitparser import Error, Failure, JUnitXml, TestCase, TestSuite

from ..analyze.gate import GateResult
from .gate_common import failure_text

SUITE = "ttdiag.gate"
# Characters XML 1.0 cannot hold (logs may carry control bytes).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _line(f: dict) -> str:
    tags = [f["severity"]] + (["suppressed"] if f["suppressed"] else []) + (["gating"] if f["gating"] else [])
    return f"line {f['line']}: {failure_text(f)} ({', '.join(tags)}; fingerprint {f['fingerprint']})"


def _case(log: dict) -> TestCase:
    case = TestCase(_clean(log["path"]), SUITE, round(log["seconds"], 3))
    lines = "\n".join(_line(f) for f in log["failures"])
    if log["status"] == "error":
        err = Error(_clean(log["error"]), "input-error")
        case.result = [err]
    elif log["status"] == "failed":
        first = next(f for f in log["failures"] if f["gating"])
        fail = Failure(_clean(f"{first['kind']}: {first['message']}"), first["kind"])
        fail.text = _clean(lines)
        case.result = [fail]
    elif lines:
        head = "status: warning\n" if log["status"] == "warning" else ""
        case.system_out = _clean(head + lines)
    return case


def to_xml(result: GateResult) -> JUnitXml:
    suite = TestSuite(SUITE)
    for log in result.logs:
        suite.add_testcase(_case(log))
    root = JUnitXml("ttdiag")
    root.add_testsuite(suite)
    root.update_statistics()
    return root


def render(result: GateResult) -> str:
    """The XML document, indented (xml.etree.ElementTree.indent), with its declaration."""
    root = ET.fromstring(to_xml(result).tostring())
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
