"""The message catalog under the two things logs do to messages: hard wrapping and cutting.

Each template is rendered with example values chosen per field type (so the expected figures are known
by construction, not read back by the code under test), then:

* wrapped at every width from 1 to the message's length (hard cut) and word-wrapped at a range of
  widths, with and without the space at the break: every figure comes back exactly;
* cut at every position: the kind is found once the key is whole, no figure is ever wrong, and every
  field that is followed by the character the template expects after it (so it is known to be complete)
  is reported.
"""

from __future__ import annotations

import re
import textwrap

import pytest

from ttdiag.parse import log as L
from ttdiag.parse.catalog import KEYS, TEMPLATES
from ttdiag.parse.templates import Template, flatten

# example text and value per field type; numbers grow with their position in the message (so the
# relations the catalog checks hold: a clash's region end above the buffer, a pcc below its threshold)
EXAMPLES = {
    "hex": ("0x40", "0x40"),
    "range": ("[(x=0,y=0) - (x=11,y=9)]", [[0, 0], [11, 9]]),
    "core": ("(x=3,y=5)", [3, 5]),
    "cores": ("(x=1,y=2), (x=3,y=4)", [[1, 2], [3, 4]]),
    "word": ("trisc2", "trisc2"),
    "path": ("ttnn/kernels/reader.cpp", "ttnn/kernels/reader.cpp"),
    "paren": ("(epoch:1,chip:0)", "epoch:1,chip:0"),
}
_FIELD = re.compile(r"\{(?P<name>[a-z_0-9]+):(?P<type>[a-z]+)\}")
TAIL = " (assert.hpp:104)"  # what tt-logger puts after a message that ends in a field


def _example(ftype: str, k: int) -> tuple[str, object]:
    if ftype == "int":
        v = 1_499_136 + 1_000_003 * k
        return str(v), v
    if ftype == "float":
        v = round(0.4 + 0.1173 * k, 4)
        return str(v), v
    return EXAMPLES[ftype]


def render(t: Template) -> tuple[str, dict, list[tuple[str, int, int]]]:
    """The message with example values, the figures it states, and each field's (name, start, known),
    ``known`` being where the first word after the field ends: from there on the field is complete."""
    out, figs, fields, pos = [], {}, [], 0
    for k, m in enumerate(_FIELD.finditer(t.text)):
        out.append(t.text[pos:m.start()])
        text, value = _example(m.group("type"), k)
        start = sum(map(len, out))
        out.append(text)
        fields.append((m.group("name"), start, start + len(text)))
        figs[m.group("name")] = value
        pos = m.end()
    out.append(t.text[pos:])
    if t.tokens[-1][0] == "field" and not t.open_end:
        # a message that ends in a field is followed by something in a log (tt-logger's " (assert.hpp:104)",
        # the next section of the exception): at the very end of the text a field may have been cut
        out.append(TAIL)
    msg = "".join(out)
    spans = []
    for name, start, end in fields:
        nxt = msg[end:].split()
        known = end + (len(msg[end:]) - len(msg[end:].lstrip()) + len(nxt[0]) if nxt else 0)
        spans.append((name, start, known))
    figs.update(t.fixed)
    return msg, figs, spans


def _match(t: Template, lines: list[str]):
    flat, _ = flatten(lines)
    return t.search(flat)


IDS = [t.family for t in TEMPLATES]


FIELD_PARTIAL = {name: True for t in TEMPLATES for k, name, ftype in t.tokens if k == "field" and ftype == "cores"}


@pytest.mark.parametrize("t", TEMPLATES, ids=IDS)
def test_template_reads_its_own_message(t):
    msg, figs, _ = render(t)
    tm = _match(t, [msg])
    assert tm is not None and tm.figures == figs and tm.complete
    assert tm.message == " ".join(t.text.split()) if "{" not in t.text else tm.message in " ".join(msg.split())


@pytest.mark.parametrize("t", TEMPLATES, ids=IDS)
def test_hard_wrap_at_every_width(t):
    msg, figs, _ = render(t)
    for width in range(1, len(msg) + 1):
        lines = [msg[i:i + width] for i in range(0, len(msg), width)]
        tm = _match(t, lines)
        assert tm is not None and tm.figures == figs, width


@pytest.mark.parametrize("t", TEMPLATES, ids=IDS)
def test_word_wrap_keeps_every_figure(t):
    msg, figs, _ = render(t)
    for width in (20, 33, 47, 60, 79, 80, 100):
        for keep_space in (False, True):  # wrapping tools drop the space they break at, or keep it
            lines = textwrap.wrap(msg, width, break_long_words=True, drop_whitespace=not keep_space)
            tm = _match(t, ["   " + ln if i else ln for i, ln in enumerate(lines)])  # indented continuations
            assert tm is not None and tm.figures == figs, (width, keep_space, lines)


@pytest.mark.parametrize("t", TEMPLATES, ids=IDS)
def test_cut_at_every_position_never_guesses(t):
    msg, figs, spans = render(t)
    key_end = msg.index(t.key) + len(t.key)
    prefix_fields = {name for name, start, _ in spans if start < msg.index(t.key)}
    for cut in range(1, len(msg) + 1):
        tm = _match(t, [msg[:cut]])
        if cut < key_end:
            assert tm is None or tm.start > 0, cut  # the key is not whole: no kind from this template
            continue
        assert tm is not None, cut
        last = t.tokens[-1][1]
        for name, value in tm.figures.items():
            if t.open_end and name == last and cut < len(msg):
                # the number that ends the message has no terminator: a cut one is reported only when the
                # message's own relation (Template.check) still holds, and it is a prefix of the true one
                assert str(figs[name]).startswith(str(value).rstrip("0").rstrip(".")) and t.check(tm.figures), \
                    (cut, name, value)
                continue
            if FIELD_PARTIAL.get(name):
                assert all(x in figs[name] for x in value), (cut, name, value)  # the list's surviving items
                continue
            assert figs[name] == value, (cut, name, value)  # never a wrong value
        for name, _start, end in spans:
            # a field is known complete once the word the template puts after it survived the cut
            if end <= cut and name not in prefix_fields and not (t.open_end and end == len(msg) and cut < end):
                assert name in tm.figures, (cut, name)


def test_every_key_opens_an_error_block():
    for key in KEYS:
        line = f"prefix {key} suffix"
        assert L.may_trigger(line) and L.is_trigger(line), key


def test_every_template_key_is_unique_enough():
    # a key must not be a bare common word: it decides the kind
    for t in TEMPLATES:
        assert len(t.key) >= 9, t.family
