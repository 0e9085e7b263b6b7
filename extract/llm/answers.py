"""Reading a model's answer leniently, one fact at a time.

Models answer in shapes a strict validator rejects although their meaning is not in doubt:
JSON inside a markdown fence or a sentence of prose, ``"value": "5,500"`` or ``"二十三"`` or
``"8场"``, ``"approximate": null`` or ``"否"``, ``"FIELD": "TRAININGS"``. Those are read here
(numbers by the project's own ``numbers`` module). What is ambiguous stays rejected: a
near-synonym field id, a value that is not a number. Each fact is read on its own, so one
bad fact never costs the others.

Pure functions: no SDK, no I/O.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from extract.catalogue import field_ids
from extract.facts.mentions import UNITS
from extract.numbers import parse_quantity


class UnreadableAnswer(ValueError):
    """The answer holds no JSON object or list of facts. ``reason`` says why without
    quoting the answer (a repair shows the answer itself); ``str()`` quotes its start."""

    def __init__(self, reason: str, answer: str | None = None) -> None:
        super().__init__(reason if answer is None else f"{reason}: {excerpt(answer)}")
        self.reason = reason


@dataclass(frozen=True)
class Candidate:
    """One fact as the model gave it, its shapes made plain; not yet grounded."""

    field: str
    value: float
    evidence: str
    approximate: bool | None  # None: the model did not say
    unit: str | None

    def describe(self) -> str:
        return f"{self.field}={self.value:g}"


@dataclass(frozen=True)
class Rejected:
    """One fact that could not be read, and why."""

    raw: Any
    reason: str

    def describe(self) -> str:
        if isinstance(self.raw, dict):
            keys = {str(k).lower(): v for k, v in self.raw.items()}
            return f"{keys.get('field', '?')}={keys.get('value', '?')}"
        return repr(self.raw)[:40]


_FENCE = re.compile(r"```[a-zA-Z]*\s*\n?(.*?)```", re.S)


def _json_values(text: str) -> list[Any]:
    """JSON objects and arrays found in ``text``: the whole of it, a fenced block, or the
    first one embedded in prose (not a piece of a broken one)."""
    text = text.strip()
    try:
        return [json.loads(text)]
    except ValueError:
        pass
    for block in _FENCE.findall(text):
        try:
            return [json.loads(block.strip())]
        except ValueError:
            continue
    decoder = json.JSONDecoder()
    broken = False
    for i, ch in enumerate(text):
        if ch in "{[":
            try:
                value, _ = decoder.raw_decode(text, i)
            except ValueError:
                broken = True
                continue
            # After a value that breaks off, a later one may be a piece of it (one fact of
            # a broken list): taking it would lose the others without a word. Only a whole
            # answer object is taken from there on.
            if not broken or (isinstance(value, dict) and "facts" in map(_lower, value)):
                return [value]
    return []


def _lower(key: object) -> str:
    return str(key).lower()


def raw_facts(answer: str) -> list[Any]:
    """The list of facts in an answer: ``{"facts": [...]}`` (the key in any case), a bare
    list, one fact object, or ``{}`` (none). Raises UnreadableAnswer when there is none."""
    for value in _json_values(answer):
        if isinstance(value, list):
            return value
        if isinstance(value, dict):
            keys = {str(k).lower(): v for k, v in value.items()}
            if "facts" in keys:
                facts = keys["facts"]
                if facts is None:
                    return []
                if isinstance(facts, list):
                    return facts
            if "field" in keys:
                return [value]
            if not keys:
                return []  # {}: the schema's default, an empty list of facts
    kept, _, closed = _leading_facts(answer)
    if closed:
        return kept  # the list of facts is whole; what breaks is only after it
    reason = "the answer holds no JSON object with a list of facts"
    why = _why_unreadable(answer)
    raise UnreadableAnswer(f"{reason} ({why})" if why else reason, answer)


def _why_unreadable(text: str) -> str | None:
    """Where JSON in the text breaks, as the decoder says it; None when there is none."""
    first = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
    if first < 0:
        return None
    try:
        json.JSONDecoder().raw_decode(text, first)
    except ValueError as exc:
        return f"not valid JSON: {exc.args[0]}"
    return None


_LIST_START = re.compile(r'"facts"\s*:\s*\[|^\s*(?:```[a-zA-Z]*\s*)?\[', re.I)


def _leading_facts(answer: str) -> tuple[list[Any], int, bool]:
    """The fact objects a list of facts holds, read one by one until one cannot be: the
    facts, the offset where reading stopped, and whether the list was closed there."""
    start = _LIST_START.search(answer)
    if start is None:
        return [], 0, False
    decoder = json.JSONDecoder()
    out: list[Any] = []
    i = start.end()
    while True:
        while i < len(answer) and answer[i] in " \t\r\n,":
            i += 1
        if i >= len(answer) or answer[i] != "{":
            return out, i, answer.startswith("]", i)
        try:
            value, end = decoder.raw_decode(answer, i)
        except ValueError:
            return out, i, False
        out.append(value)
        i = end


def complete_facts(answer: str) -> list[Any]:
    """The facts of an answer cut off mid-way (it ran into the token limit): every fact
    object closed before the cut, in order; the one the cut fell in is not guessed at."""
    return _leading_facts(answer)[0]


def unreadable_part(answer: str) -> tuple[list[Any], str, str]:
    """For an answer that cannot be read: the facts that can be, before the point where
    reading breaks; the rest from there (what a repair shows back: the whole answer when
    nothing before it could be read); and why that rest cannot be read."""
    kept, at, _ = _leading_facts(answer)
    rest = answer[at:] if kept else answer
    why = _why_unreadable(rest) or "no JSON object with a list of facts"
    return kept, rest, why


def excerpt(text: str) -> str:
    """The start of a text on one line, quoted: enough to recognise an answer by."""
    text = " ".join(text.split())
    return repr(text[:120] + ("…" if len(text) > 120 else ""))


_UNIT_SUFFIX = re.compile(rf"\s*(?:{'|'.join(sorted(UNITS, key=len, reverse=True))})$")
_TRUE = {"true", "yes", "是", "对", "1"}
_FALSE = {"false", "no", "否", "不", "0"}


def read_value(raw: Any) -> float:
    """A number as models write it: 5500, "5500", "5,500", "两", "二十三", "8场", "20余万".
    Raises ValueError for anything else."""
    if isinstance(raw, bool) or raw is None:
        raise ValueError(f"value {raw!r} is not a number")
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        text = _UNIT_SUFFIX.sub("", raw.strip())
        try:
            return float(parse_quantity(text).value)
        except ValueError:
            pass
    raise ValueError(f"value {raw!r} is not a number")


def read_flag(raw: Any) -> bool | None:
    """true/false, null (not said), or 是/否 and their kin."""
    if raw is None or isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def read_fact(raw: Any) -> Candidate | Rejected:
    """One fact of an answer, or why it cannot be read."""
    if not isinstance(raw, dict):
        return Rejected(raw, "a fact must be a JSON object")
    keys = {str(k).strip().lower(): v for k, v in raw.items()}
    field = str(keys.get("field") or "").strip()
    if field.lower() not in field_ids():
        return Rejected(raw, f"field {field!r} is not one of the catalogue's field ids")
    try:
        value = read_value(keys.get("value"))
    except ValueError as exc:
        return Rejected(raw, str(exc))
    evidence = keys.get("evidence")
    if not isinstance(evidence, str) or not evidence.strip():
        return Rejected(raw, "evidence is missing; copy the clause that holds the number")
    unit = keys.get("unit")
    return Candidate(
        field=field.lower(),
        value=value,
        evidence=evidence.strip(),
        approximate=read_flag(keys.get("approximate")),
        unit=str(unit).strip() or None if unit is not None else None,
    )
