"""The oracle, perturbed the way real models err: families of realistic answer errors.

``perturbed(facts_by_text, family)`` answers every chunk like the oracle (the gold facts it
contains, evidence copied from the chunk) and then damages a share of the facts, or the
whole answer, as one family says. Which facts are hit is a pure function of the seed and
the fact, so a model that errs on a fact errs on it again when re-asked (a habit, not
noise), and every run is the same. ``nianbao eval --run --oracle --perturb FAMILY`` and
``bench/bench_llm.py`` use it to show what each kind of error costs.

Families come in two kinds: those a careful pipeline should accept unharmed (a number as a
string, fences, quote widths…) and those it must reject or correct (paraphrased evidence,
a flipped ``approximate``, a near-synonym field id…).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from extract.evaluation.openai_server import (
    Behaviour,
    _completion,
    oracle_reply,
    repaired_answer,
    shown_text,
)
from extract.facts.grounding import locate
from extract.facts.mentions import SENTENCE_BREAKS, find_mentions
from extract.textnorm import normalise

Fact = dict[str, Any]
FactPerturbation = Callable[[Fact, str], Fact | None]  # (fact, chunk) → damaged, or None
AnswerPerturbation = Callable[[str], str]  # the JSON payload → what the model sent


@dataclass(frozen=True)
class Family:
    name: str
    description: str
    rate: float  # share of facts hit (answer-level families: of answers)
    accept: bool  # a careful pipeline keeps every fact and asks nothing more
    fact: FactPerturbation | None = None
    answer: AnswerPerturbation | None = None


_CN_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str | None:
    """3 → 三, 2 → 两, 23 → 二十三, 105 → 一百零五, 200000 → 二十万; None for numbers
    reports write in digits (23456)."""
    if n == 2:
        return "两"
    if n < 10:
        return _CN_DIGITS[n]
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        return None if low else (chinese_numeral(high) or "").replace("两", "二") + "万"
    out = []
    for unit, size in (("千", 1000), ("百", 100), ("十", 10)):
        digit, n = divmod(n, size)
        if digit:
            out.append(_CN_DIGITS[digit] + unit)
        elif out and n and not out[-1].endswith("零"):
            out.append("零")
    if n:
        out.append(_CN_DIGITS[n])
    text = "".join(out)
    return text[1:] if text.startswith("一十") else text


def _string_number(fact: Fact, chunk: str) -> Fact | None:
    value = fact["value"]
    if not isinstance(value, int) or value < 1:
        return None
    shapes = [str(value), f"{value:,}", f"{value}{fact.get('unit') or ''}"]
    return {**fact, "value": shapes[_pick(fact, len(shapes))]}


def _chinese_number(fact: Fact, chunk: str) -> Fact | None:
    value = fact["value"]
    written = chinese_numeral(value) if isinstance(value, int) and value > 0 else None
    return None if written is None else {**fact, "value": written}


_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "〔": "[",
        "〕": "]",
        "《": "<",
        "》": ">",
        "「": '"',
        "」": '"',
        "【": "[",
        "】": "]",
    }
)


def _quote_width(fact: Fact, chunk: str) -> Fact | None:
    evidence = fact["evidence"].translate(_QUOTES)
    return {**fact, "evidence": evidence} if evidence != fact["evidence"] else None


def _sentence_span(chunk: str, lo: int, hi: int) -> tuple[int, int]:
    while lo > 0 and chunk[lo - 1] not in SENTENCE_BREAKS:
        lo -= 1
    while hi < len(chunk) and chunk[hi - 1] not in SENTENCE_BREAKS:
        hi += 1
    return lo, hi


def _long_evidence(fact: Fact, chunk: str) -> Fact | None:
    """The whole sentence, and its neighbours until it is over 120 characters: what a model
    that quotes generously sends."""
    span = locate(chunk, fact["evidence"])
    if span is None:
        return None
    lo, hi = _sentence_span(chunk, *span)
    while hi - lo <= 120 and (lo > 0 or hi < len(chunk)):
        lo, hi = _sentence_span(chunk, max(0, lo - 1), min(len(chunk), hi + 1))
    evidence = chunk[lo:hi].strip()
    return {**fact, "evidence": evidence} if len(evidence) > 120 else None


_DIGIT_RUN = re.compile(r"\d{2,}")


def _line_break(fact: Fact, chunk: str) -> Fact | None:
    """A line break inside a number, as text from PDF files has it: 27个 → 2\\n7个."""
    m = _DIGIT_RUN.search(fact["evidence"])
    if m is None:
        return None
    e = fact["evidence"]
    return {**fact, "evidence": e[: m.start() + 1] + "\n" + e[m.start() + 1 :]}


def _field_case(fact: Fact, chunk: str) -> Fact | None:
    return {**fact, "field": fact["field"].upper()}


def _loose_flag(fact: Fact, chunk: str) -> Fact | None:
    shapes: list[Any] = [None, "是" if fact["approximate"] else "否"]
    return {**fact, "approximate": shapes[_pick(fact, 2)]}


_SYNONYMS = (
    ("开展", "举办"),
    ("举办", "开展"),
    ("办理", "处理"),
    ("发布", "公开"),
    ("共", "总计"),
    ("公开", "发布"),
    ("收到", "受理"),
)


def _paraphrase(fact: Fact, chunk: str) -> Fact | None:
    """The evidence reworded (a synonym swapped in), as models do when they summarise."""
    e = fact["evidence"]
    for old, new in _SYNONYMS:
        if old in e:
            return {**fact, "evidence": e.replace(old, new, 1)}
    return {**fact, "evidence": "其中" + e if not e.startswith("其中") else e[2:] + "。"}


def _flip_flag(fact: Fact, chunk: str) -> Fact | None:
    return {**fact, "approximate": not fact["approximate"]}


def _wrong_unit(fact: Fact, chunk: str) -> Fact | None:
    return {**fact, "unit": "件" if fact.get("unit") != "件" else "个"}


def _short_evidence(fact: Fact, chunk: str) -> Fact | None:
    """Only the number and its measure word (8场): often found more than once in a chunk."""
    mentions = [m for m in find_mentions(fact["evidence"]) if float(m.value) == fact["value"]]
    if not mentions:
        return None
    m = mentions[0]
    return {**fact, "evidence": fact["evidence"][m.start : m.end]}


def _unapplied_wan(fact: Fact, chunk: str) -> Fact | None:
    value = fact["value"]
    if "万" not in fact["evidence"] or not isinstance(value, int | float) or value < 10_000:
        return None
    return {**fact, "value": value / 10_000}


def _near_field(fact: Fact, chunk: str) -> Fact | None:
    return {**fact, "field": fact["field"].rstrip("s").replace("_total", "")}


def _unescaped_quotes(payload: str) -> str:
    """“” written as ASCII quotes and not escaped inside the JSON strings: the answer cannot
    be read at all (a model's commonest broken JSON on Chinese text)."""
    return payload.replace("“", '"').replace("”", '"')


def _fenced(payload: str) -> str:
    return f"```json\n{payload}\n```"


def _in_prose(payload: str) -> str:
    return f"根据报告片段，抽取结果如下：\n\n{payload}\n\n以上为全部事实。"


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family("string_numbers", '"value": "5500", "5,500" or "8场"', 1.0, True, _string_number),
        Family("chinese_numbers", '"value": "二十三", "两"', 1.0, True, _chinese_number),
        Family("fences", "the answer in a ```json fence", 1.0, True, answer=_fenced),
        Family("prose", "the answer inside a sentence of prose", 1.0, True, answer=_in_prose),
        Family(
            "unescaped_quotes",
            '“” as unescaped " inside the JSON: the answer cannot be read',
            1.0,
            False,
            answer=_unescaped_quotes,
        ),
        Family("quote_width", '“”→"", 〔〕→[], 《》→<> in evidence', 1.0, True, _quote_width),
        Family("long_evidence", "the whole sentence (>120 characters)", 1.0, True, _long_evidence),
        Family("line_breaks", "a line break inside a number (2\\n7个)", 1.0, True, _line_break),
        Family("field_case", "field ids in upper case", 1.0, True, _field_case),
        Family("loose_flags", "approximate as null, 是 or 否", 1.0, True, _loose_flag),
        Family("paraphrase", "evidence reworded (~10 % of facts)", 0.1, False, _paraphrase),
        Family("flip_approximate", "approximate flipped", 1.0, False, _flip_flag),
        Family("wrong_unit", "another measure word", 1.0, False, _wrong_unit),
        Family("short_evidence", "evidence is only the number (8场)", 1.0, False, _short_evidence),
        Family("unapplied_wan", "20余万 answered as 20", 1.0, False, _unapplied_wan),
        Family("near_field", "a near-synonym field id", 0.1, False, _near_field),
    )
}


def _unit_hash(*parts: object) -> float:
    digest = hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _key(fact: Fact) -> tuple[str, float, str]:
    return (fact["field"], float(fact["value"]), "".join(normalise(fact["evidence"]).split()))


def _pick(fact: Fact, n: int) -> int:
    return int(_unit_hash("pick", fact["field"], fact["value"]) * n)


def perturbed(
    facts_by_text: list[tuple[str, list[Fact]]],
    family: str,
    rate: float | None = None,
    seed: int = 0,
) -> Behaviour:
    """The oracle with one family of errors applied to ``rate`` of the facts (answers)."""
    if family not in FAMILIES:
        raise ValueError(f"unknown perturbation {family!r}; known: {', '.join(FAMILIES)}")
    fam = FAMILIES[family]
    share = fam.rate if rate is None else rate
    # Exactly ``share`` of all the gold facts (the lowest hashes), not each fact by a coin:
    # "10 % of facts" then means 10 %, whatever the sample.
    keys = sorted(
        {_key(f) for _, facts in facts_by_text for f in facts},
        key=lambda k: _unit_hash(seed, family, *k),
    )
    chosen = set(keys[: round(share * len(keys))])

    def hit_fact(fact: Fact) -> bool:
        return _key(fact) in chosen

    def hit(*key: object) -> bool:
        return _unit_hash(seed, family, *key) < share

    def respond(request: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        shown = shown_text(request)
        repair = repaired_answer(request) is not None
        facts = oracle_reply(facts_by_text, request)
        if fam.fact is not None:
            out = []
            for fact in facts:
                # A repair shows no chunk: the fact is damaged against its document.
                text = (
                    next((t for t, fs in facts_by_text if fact in fs), shown) if repair else shown
                )
                damaged = fam.fact(fact, text) if hit_fact(fact) else None
                out.append(fact if damaged is None else damaged)
            facts = out
        payload = json.dumps({"facts": facts}, ensure_ascii=False)
        # A whole-answer habit shows in what the model writes from the text; told in a
        # repair what was wrong with its answer, it writes that answer as asked.
        if fam.answer is not None and not repair and hit(shown):
            payload = fam.answer(payload)
        return 200, {}, _completion(request, payload)

    return respond
