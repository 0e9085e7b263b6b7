"""The rules engine: narrative facts with no model at all (``method: "rules"``).

The patterns are data (``data/rules.toml``); this module only applies them. See the header
of that file for how a rule fires.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from extract import catalogue
from extract.facts.mentions import (
    WINDOW,
    Mention,
    Sentences,
    bracket_note,
    clause_after,
    clause_before,
    clause_start,
    find_mentions,
    list_clause,
    sums_up,
    titles_clause,
)
from extract.facts.scan import Scan, max_width, needed_words
from extract.record import Fact

_BREAKDOWN = re.compile(r"其中|包括|含")
_JOINED = ("和", "与", "及")
EVIDENCE_MAX = 60


# eq=False: a field's rules are one object, hashed by identity (``_compiled`` is cached on
# the tuple of them, and hashing every pattern of every field cost more than a report's
# rules take to run).
@dataclass(frozen=True, eq=False)
class FieldRules:
    field: str
    units: tuple[str, ...]
    strong: tuple[re.Pattern[str], ...]
    weak: tuple[re.Pattern[str], ...]
    requires: tuple[re.Pattern[str], ...]
    # How far before its sentence, inside its paragraph, `requires` may also be met: the
    # paragraph's heading or opening sentence sets its topic ("(二)依申请公开。…今年发生
    # 行政复议5件").
    requires_reach: int
    vetoes: tuple[re.Pattern[str], ...]
    vetoes_sentence: tuple[re.Pattern[str], ...]
    zero: tuple[re.Pattern[str], ...]
    after: bool
    survives_breakdown: tuple[str, ...]
    weak_units: tuple[str, ...]
    # Other fields whose totals this field's mentions can be items of (after 其中).
    breakdown_of: tuple[str, ...]
    # A list after this field's total whose items in its unit add up to it exactly is its
    # breakdown: no item of it is a fact of another field (_SumLists).
    sum_breakdown: bool
    # A clause that is only one of these verbs and the number (办结99件) counts what the
    # clause before it in its sentence counts, when that is this field (_carried).
    carry: tuple[re.Pattern[str], ...]
    # A clause right after the number's, joined by a comma, that opens with one of these
    # (7个,全部制作政策解读) makes an unclaimed count this field's (_announced).
    next_clause: tuple[re.Pattern[str], ...]
    # Each list above as one alternation, for the questions "does any of them occur?":
    # one scan of a clause instead of one per pattern (the same answer: an alternation
    # matches at a position exactly when one of its branches does).
    any_strong: re.Pattern[str] | None
    any_weak: re.Pattern[str] | None
    any_trigger: re.Pattern[str] | None  # strong or weak
    any_veto: re.Pattern[str] | None
    any_veto_sentence: re.Pattern[str] | None
    # A claim whose sentence up to the number matches one of these is weak whatever its
    # trigger: it stands only when the field has no strong count (办结的551件依申请公开 is a
    # count handled; 通过政务新媒体共发布信息N条 one channel's total).
    any_demote: re.Pattern[str] | None


def _compile(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


def _any_of(patterns: list[str]) -> re.Pattern[str] | None:
    """One regex that occurs in a text exactly when one of ``patterns`` does (None: no
    patterns, never occurs)."""
    if not patterns:
        return None
    for p in patterns:
        re.compile(p)  # a bad pattern is named on its own, not inside the alternation
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _occurs(pattern: re.Pattern[str] | None, *texts: str) -> bool:
    if pattern is None:
        return False
    for text in texts:  # noqa: SIM110 (a loop: any() over a generator costs more, hot path)
        if pattern.search(text):
            return True
    return False


@cache
def load_rules(path: str | None = None) -> tuple[FieldRules, ...]:
    """Load and validate the rule file (the packaged one unless ``path`` is given)."""
    if path is None:
        raw = tomllib.loads(
            resources.files("extract.data").joinpath("rules.toml").read_text("utf-8")
        )
    else:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    known = set(catalogue.field_ids())
    unknown = set(raw.get("fields", {})) - known
    if unknown:
        raise ValueError(f"rules for unknown fields {sorted(unknown)}; known: {sorted(known)}")
    vetoes_all = raw.get("vetoes_all", [])
    return tuple(
        FieldRules(
            field=name,
            units=tuple(spec["units"]),
            strong=_compile(spec.get("strong", [])),
            weak=_compile(spec.get("weak", [])),
            requires=_compile(spec.get("requires", [])),
            requires_reach=int(spec.get("requires_reach", 0)),
            vetoes=_compile(vetoes_all + spec.get("vetoes", [])),
            vetoes_sentence=_compile(spec.get("vetoes_sentence", [])),
            zero=_compile(spec.get("zero", [])),
            after=bool(spec.get("after", False)),
            survives_breakdown=tuple(spec.get("survives_breakdown", [])),
            weak_units=tuple(spec.get("weak_units", [])),
            breakdown_of=tuple(spec.get("breakdown_of", [])),
            sum_breakdown=bool(spec.get("sum_breakdown", False)),
            carry=_compile(spec.get("carry", [])),
            next_clause=_compile(spec.get("next_clause", [])),
            any_strong=_any_of(spec.get("strong", [])),
            any_weak=_any_of(spec.get("weak", [])),
            any_trigger=_any_of(spec.get("strong", []) + spec.get("weak", [])),
            any_veto=_any_of(vetoes_all + spec.get("vetoes", [])),
            any_veto_sentence=_any_of(spec.get("vetoes_sentence", [])),
            any_demote=_any_of(spec.get("demote_sentence", [])),
        )
        for name, spec in raw["fields"].items()
    )


@dataclass(frozen=True)
class _Compiled:
    """What a rule list asks of every document, prepared once per list."""

    # Per unit: one alternation of every strong and weak trigger of the fields counting in
    # it, and one of those that may follow the number. A mention none of them occurs
    # around is claimed by no field (each field's first test), so most mentions (dates,
    # percentages, counts of other things) cost two scans of their clauses and nothing more.
    before: dict[str, re.Pattern[str] | None]
    after: dict[str, re.Pattern[str] | None]
    # Per unit, the fields counting in it, in their order.
    fields: dict[str, tuple[FieldRules, ...]]
    # The distinct ``zero`` patterns (two fields may share one, searched once), each
    # searched only around the word its matches hold (facts/scan.py).
    zeros: dict[str, Scan]
    # Per unit, the fields whose subject a bare verb clause may carry on (``carry``).
    carriers: dict[str, tuple[FieldRules, ...]]
    # Per unit, the fields a clause after the number may name (``next_clause``).
    announced: dict[str, tuple[FieldRules, ...]]
    # Cheap tests (str.find) that spare most mentions those regexes: how far before a
    # number the comma before a bare verb clause can be (None: any distance), and per field
    # the words every match of its ``next_clause`` holds (none known: no test).
    carry_reach: int | None
    announced_words: dict[str, tuple[str, ...]]


def _alternation(patterns: list[re.Pattern[str]]) -> re.Pattern[str] | None:
    return _any_of([p.pattern for p in patterns])


@cache
def _compiled(rules_list: tuple[FieldRules, ...]) -> _Compiled:
    units = {u for rules in rules_list for u in rules.units}
    before = {
        u: _alternation([p for r in rules_list if u in r.units for p in (*r.strong, *r.weak)])
        for u in units
    }
    after = {
        u: _alternation(
            [p for r in rules_list if u in r.units and r.after for p in (*r.strong, *r.weak)]
        )
        for u in units
    }
    fields = {u: tuple(r for r in rules_list if u in r.units) for u in units}
    zeros = {p.pattern: Scan.of(p) for rules in rules_list for p in rules.zero}
    carriers = {u: tuple(r for r in fields[u] if r.carry) for u in units}
    announced = {u: tuple(r for r in fields[u] if r.next_clause) for u in units}
    widths = [max_width(p) for r in rules_list for p in r.carry]
    carry_reach = None if None in widths else max((w or 0 for w in widths), default=0)
    announced_words = {
        r.field: needed_words(r.next_clause[0]) if len(r.next_clause) == 1 else ()
        for r in rules_list
    }
    return _Compiled(
        before, after, fields, zeros, carriers, announced, carry_reach, announced_words
    )


def _may_claim(compiled: _Compiled, unit: str, before: str, after: str) -> bool:
    """False when no field can claim a mention in ``unit`` with these clauses."""
    if unit not in compiled.before:
        return False
    return _occurs(compiled.before[unit], before) or _occurs(compiled.after[unit], after)


@dataclass(frozen=True)
class _Claim:
    rules: FieldRules
    mention: Mention
    distance: int
    strong: bool
    trigger: str
    ev_start: int
    ev_end: int


def _trigger(
    rules: FieldRules,
    before: str,
    after: str,
    patterns: tuple[re.Pattern[str], ...],
    any_pattern: re.Pattern[str] | None,
) -> tuple[int, str, int, int] | None:
    """(distance, matched text, evidence offset before/after) of the nearest trigger."""
    # Most clauses hold no trigger of a field at all: one scan says so.
    if not _occurs(any_pattern, before, after if rules.after else ""):
        return None
    best = None
    for pattern in patterns:
        for m in pattern.finditer(before):
            d = len(before) - m.end()
            if best is None or d < best[0]:
                best = (d, m[0], -(len(before) - m.start()), 0)
        if rules.after:
            hit = pattern.search(after)
            if hit and (best is None or hit.start() < best[0]):
                best = (hit.start(), hit[0], 0, hit.end())
    return best


def _claims(
    text: str,
    mention: Mention,
    lo: int,
    hi: int,
    compiled: _Compiled,
    sentences: Sentences,
) -> list[_Claim]:
    b_start, before = clause_before(text, mention, lo)
    # Evidence never starts before the clause as the window cut it.
    cut = b_start
    titled = titles_clause(text, b_start, mention.start, lo)
    if titled is None:
        titled = list_clause(text, b_start, mention, lo)
    if titled is not None:
        b_start, before = titled
    _, after = clause_after(text, mention, hi)
    # A trigger after the number names what it counts only up to the next item of a list:
    # "政策文件12件、各类政策解读24件" gives 12 nothing from 政策解读. (Vetoes still read on.)
    named = after.partition("、")[0]
    if not _may_claim(compiled, mention.unit, before, named):
        return []
    note = bracket_note(text, mention, hi)
    a_end = mention.end + len(after)
    s_lo, s_hi = sentences.around(mention.start)
    up_to = text[s_lo : mention.start]
    # A number right after 和/与/及 counts the next item, not the one before it: "一套政策
    # 解读材料和一份政务公开稿件" takes nothing from 政策解读, while "组织各级政府网站和97个
    # 政务新媒体" counts what follows it.
    # (The veto of a clause ending in 和 then reads only the text after the number.)
    joined = before.endswith(_JOINED)
    lead = "" if joined else before
    veto_before = before[:-1] if joined else before
    claims = []
    for rules in compiled.fields[mention.unit]:
        # No trigger of the field near the number: no claim, whatever else holds (the
        # cheapest test first; every test below must pass for a claim).
        trigger_text = (lead, named) if rules.after else (lead,)
        if not _occurs(rules.any_trigger, *trigger_text):
            continue
        if rules.requires and not _required(text, rules, s_lo, s_hi):
            continue
        if _occurs(rules.any_veto, veto_before, after, note):
            continue
        if _occurs(rules.any_veto_sentence, up_to):
            continue
        demoted = _occurs(rules.any_demote, up_to)
        for strong, patterns, any_pattern in (
            (True, rules.strong, rules.any_strong),
            (False, rules.weak, rules.any_weak),
        ):
            hit = _trigger(rules, lead, named, patterns, any_pattern)
            if hit is None:
                continue
            distance, trigger, back, forward = hit
            ev_start = mention.start + back if back else mention.start
            ev_end = mention.end + forward
            # Evidence is the whole clause when that stays short: easier for a person to read.
            if ev_end - b_start <= EVIDENCE_MAX:
                ev_start = b_start
            if a_end - ev_start <= EVIDENCE_MAX:
                ev_end = a_end
            # A count in a secondary unit (200余件 of items usually counted in 条) only
            # stands when the document says nothing in the usual one.
            claims.append(
                _Claim(
                    rules,
                    mention,
                    distance,
                    strong and not demoted and mention.unit not in rules.weak_units,
                    trigger,
                    max(ev_start, cut),
                    ev_end,
                )
            )
            break
    return claims


# What joins a bare verb clause to the clause whose subject it carries on: a comma (the
# normalised text's), never a sentence break or a bracket.
_CARRY_JOIN = ","


def _carried(
    text: str,
    mentions: list[Mention],
    k: int,
    floor: int,
    ceiling: int,
    compiled: _Compiled,
    sentences: Sentences,
    claimed: dict[int, _Claim],
) -> _Claim | None:
    """The claim of a count whose clause is only a verb (``carry``), made for the field the
    clause before it in the same sentence counts: "信箱收到信件238件,办结99件" (that clause's
    count was claimed by the field) or "依托网上领导信箱等渠道,共受理59条" (that clause has
    no count and names only this field). None when the clause has a subject of its own,
    when the clause before counts another field or something no field counts, or when the
    field's vetoes and `requires` refuse the count as they would any other."""
    mention = mentions[k]
    carriers = compiled.carriers.get(mention.unit)
    if not carriers:
        return None
    reach = compiled.carry_reach
    if (
        reach is not None
        and text.rfind(_CARRY_JOIN, max(floor, mention.start - reach - 1), mention.start) < 0
    ):
        return None  # no comma close enough before the number: no bare verb clause
    b_start, before = clause_before(text, mention, floor)
    joint = b_start - 1
    if joint < floor or text[joint] != _CARRY_JOIN:
        return None
    bare = [r for r in carriers if any(p.search(before) for p in r.carry)]
    if not bare:
        return None
    prev = mentions[k - 1] if k else None
    rules: FieldRules | None = None
    if prev is not None and prev.end <= joint and text.find(",", prev.end, joint) < 0:
        # The clause before ends with a count: its field is the subject, if it was claimed.
        subject = claimed.get(k - 1)
        if subject is None or subject.rules not in bare:
            return None
        rules, strong, ev_start = subject.rules, subject.strong, subject.ev_start
    else:
        p_start = clause_start(text, joint, prev.end if prev is not None else 0)
        if p_start >= joint or text[p_start - 1 : p_start] in ("(", ")"):
            return None
        clause = text[p_start:joint]
        if any(ch.isdigit() for ch in clause):
            return None
        named = [r for r in compiled.fields[mention.unit] if _occurs(r.any_trigger, clause)]
        if len(named) != 1 or named[0] not in bare or not _occurs(named[0].any_strong, clause):
            return None
        rules, strong, ev_start = named[0], True, p_start
    _, after = clause_after(text, mention, ceiling)
    s_lo, s_hi = sentences.around(mention.start)
    if s_lo > ev_start:
        return None  # the subject is in another sentence
    if _vetoed(text, rules, mention, before, after, (s_lo, s_hi), ceiling):
        return None
    a_end = mention.end + len(after)
    if a_end - ev_start > EVIDENCE_MAX:
        ev_start = b_start
    return _Claim(
        rules,
        mention,
        0,
        strong and mention.unit not in rules.weak_units,
        before,
        ev_start,
        a_end if a_end - ev_start <= EVIDENCE_MAX else mention.end,
    )


def _announced(
    text: str,
    mention: Mention,
    floor: int,
    ceiling: int,
    compiled: _Compiled,
    sentences: Sentences,
) -> _Claim | None:
    """The claim of a count that the next clause of its sentence says is the field's:
    "发布政策性文件7个,全部制作政策解读" (every one of the 7 was interpreted). None when no
    field's ``next_clause`` opens that clause, or the field's vetoes and `requires` refuse
    the count as they would any other."""
    fields = compiled.announced.get(mention.unit)
    if not fields:
        return None
    hi = mention.end + 2 * WINDOW
    for rules in fields:
        words = compiled.announced_words[rules.field]
        if not words or all(text.find(w, mention.end, hi) >= 0 for w in words):
            break
    else:
        return None  # for each field, a word every next clause of it holds is missing
    _, after = clause_after(text, mention, ceiling)
    joint = mention.end + len(after)
    if joint >= ceiling or text[joint] != _CARRY_JOIN:
        return None
    s_lo, s_hi = sentences.around(mention.start)
    if joint >= s_hi:
        return None
    nxt = text[joint + 1 : min(s_hi, joint + 1 + WINDOW)]
    for rules in fields:
        hit = next((m for p in rules.next_clause if (m := p.match(nxt))), None)
        if hit is None:
            continue
        b_start, before = clause_before(text, mention, floor)
        if _vetoed(text, rules, mention, before, after, (s_lo, s_hi), ceiling):
            return None
        ev_end = joint + 1 + hit.end()
        ev_start = b_start if ev_end - b_start <= EVIDENCE_MAX else mention.start
        strong = mention.unit not in rules.weak_units
        return _Claim(rules, mention, 0, strong, hit[0], ev_start, ev_end)
    return None


def _vetoed(
    text: str,
    rules: FieldRules,
    mention: Mention,
    before: str,
    after: str,
    sentence: tuple[int, int],
    ceiling: int,
) -> bool:
    """Whether a count a field's clause carries onto (_carried, _announced) is barred all
    the same: the field's required words missing from the sentence, a veto around the
    count, or a sentence veto before it."""
    s_lo, s_hi = sentence
    if rules.requires and not _required(text, rules, s_lo, s_hi):
        return True
    if _occurs(rules.any_veto, before, after, bracket_note(text, mention, ceiling)):
        return True
    return _occurs(rules.any_veto_sentence, text[s_lo : mention.start])


def _required(text: str, rules: FieldRules, s_lo: int, s_hi: int) -> bool:
    """Whether every `requires` regex occurs in the sentence ``s_lo:s_hi`` or, up to the
    field's `requires_reach`, before it in its paragraph."""
    lo = s_lo
    if rules.requires_reach:
        lo = max(s_lo - rules.requires_reach, text.rfind("\n", 0, s_lo) + 1)
    return all(p.search(text, lo, s_hi) for p in rules.requires)


def _survives(claim: _Claim) -> bool:
    """Whether the claim's trigger lets it stand after 其中 (``survives_breakdown``)."""
    return any(claim.trigger.startswith(t) for t in claim.rules.survives_breakdown)


def _promote_total(chosen: list[_Claim], part: _Claim, sentences: Sentences) -> None:
    """A strong part that stands after 其中 names the count before it as a total: that
    count is as strong as the part (发布信息4583条,其中主动公开各类政府信息2107条: the 4583,
    a weak portal count, is not dropped for the strong 2107 it contains)."""
    s_lo, _ = sentences.around(part.mention.start)
    for i in range(len(chosen) - 1, -1, -1):
        total = chosen[i]
        if total.mention.end <= s_lo:
            return
        if total.rules is part.rules:
            if not total.strong and total.mention.unit not in total.rules.weak_units:
                chosen[i] = dataclasses.replace(total, strong=True)
            return


def _sentence_requires(text: str, rules: FieldRules, sentences: Sentences, pos: int) -> bool:
    """Whether every `requires` regex occurs in the sentence around ``pos`` (or in its
    reach)."""
    s_lo, s_hi = sentences.around(pos)
    return _required(text, rules, s_lo, s_hi)


# A sentence whose first clause holds a count (a digit before the first comma).
_FIRST_CLAUSE_COUNT = re.compile(r"[^，,]*?\d")


class _Breakdowns:
    """Whether a claim only breaks down an earlier figure of its field ("…收到申请30件,
    其中…10件"): the test against every claim chosen so far, in logarithmic time.

    The earliest same-field claim ending inside the claim's sentence gives the widest
    window to hold a breakdown word, so it is the only one to test. (Comparing with every
    earlier claim made a long text cost quadratic time.)"""

    def __init__(self, text: str, sentences: Sentences) -> None:
        self.text = text
        self.sentences = sentences
        self.claim_ends: dict[str, list[int]] = {}  # per field, in text order
        # Lists that add up to their total (_sum_list), from the total's end to the last
        # item's end, in text order and disjoint: a 其中 inside one governs only its items.
        self.closed_starts: list[int] = []
        self.closed_ends: list[int] = []

    def close(self, start: int, end: int) -> None:
        self.closed_starts.append(start)
        self.closed_ends.append(end)

    def _closed_end(self, pos: int) -> int | None:
        """The end of the added-up list ``pos`` lies in (None: in none)."""
        i = bisect.bisect_right(self.closed_starts, pos) - 1
        if i >= 0 and pos < self.closed_ends[i]:
            return self.closed_ends[i]
        return None

    def add(self, claim: _Claim) -> None:
        self.claim_ends.setdefault(claim.rules.field, []).append(claim.mention.end)

    def _scope(self, s_lo: int) -> int:
        """Where the figures a count in the sentence starting at ``s_lo`` may break down
        start: that sentence, or the sentence before a list that opens with 其中 when the
        count is an item of that list (其中,政府信息主动公开文件122条;政策解读信息6条: items
        joined by ; are one list), or an earlier sentence of the list whose 其中 opened it
        after the total (发布政府信息2340条,其中…481条;…;发布政府公报4期、文件解读11篇: the
        list runs on through the semicolons, docs/facts.md). A sentence whose first clause
        holds no count (…;涵盖营商环境等多个方面,解读…等政策信息9条) is no item of such a list:
        it says something of its own."""
        start = s_lo
        for _ in range(SUM_ITEMS_MAX):
            head = self.text[start : start + 4].lstrip()
            if head.startswith("其中"):
                if start and self.text[start - 1] != "\n":
                    return self.sentences.around(start - 1)[0]
                return s_lo
            end = self.sentences.around(start)[1]
            if start != s_lo and self.text.find("其中", start, end) >= 0:
                return start
            if not _FIRST_CLAUSE_COUNT.match(self.text, start, end):
                return s_lo
            if not start or self.text[start - 1] not in ";；":
                return s_lo
            start = self.sentences.around(start - 1)[0]
        return s_lo

    def covers(self, claim: _Claim) -> bool:
        if _survives(claim):
            return False
        s_lo, _ = self.sentences.around(claim.mention.start)
        # A list opening with 其中 after a sentence break (_scope) breaks down the total
        # before it only in its weak counts and other fields' counts: a strong count of the
        # field there names a total of its own (…99031条。其中:市政府及本级部门主动公开政府
        # 信息33250条, a body's total, labelled).
        scope = self._scope(s_lo)
        # The figures it may break down: its own field's and those of the fields it is a
        # part of.
        fields = {claim.rules.field, *claim.rules.breakdown_of}
        earliest = None
        for name in fields:
            ends = self.claim_ends.get(name, [])
            lo = s_lo if claim.strong and name == claim.rules.field else scope
            i = bisect.bisect_right(ends, lo)  # the earliest ending past the scope's start
            if i < len(ends) and (earliest is None or ends[i] < earliest):
                earliest = ends[i]
        if earliest is None:
            return False
        # A breakdown word wholly between that claim and this one: the first one after the
        # claim (the words never overlap, so the first found from there is the first).
        word = _BREAKDOWN.search(self.text, earliest)
        while word is not None and word.end() <= claim.mention.start:
            # A 其中 whose list has already added up to its total governs nothing after it
            # ("…5767条,其中重点领域信息3683条,其他信息2084条,…发布政策解读14篇").
            end = self._closed_end(word.start())
            if end is None or end > claim.mention.start:
                return True
            word = _BREAKDOWN.search(self.text, end)
        return False


SUM_ITEMS_MAX = 12  # a list of parts is rarely longer; bounds the search after a total
# A list under an approximate total may be a page's whole column list (工作动态91条、通知公告
# 23条、…、政民互动3条: 24 items under 250余条).
APPROX_ITEMS_MAX = 30
# An approximate total the items can exceed: 250余, 6万余, 逾百, 100多, 10次以上.
_AT_LEAST = re.compile(r"余|多|逾|超|以上")
_ABOUT = re.compile(r"约|近|左右|上下")


def _family(unit: str) -> str:
    """The unit a count adds up in: 条次 counts what 条 counts, 件次 what 件 counts."""
    return unit[:-1] if len(unit) > 1 and unit.endswith("次") else unit


def _range(text: str, total: Mention) -> tuple[float, float] | None:
    """The values a list may add up to for its total: the total itself when exact; from it
    up to the next step of its last written digit when it says "at least" (250余: 250 to
    259; 6万余: 60000 to 69999); None for a total only "about" so much (约, 近)."""
    if not total.approximate:
        return total.value, total.value
    written = text[total.start : total.end + 2]
    if _ABOUT.search(written) or not _AT_LEAST.search(written):
        return None
    value = int(total.value)
    if value != total.value or value <= 0:
        return None
    step = 1
    while value % (step * 10) == 0:
        step *= 10
    return value, value + step - 1


def _sum_list(text: str, mentions: list[Mention], t: int) -> int | None:
    """The index of the last item of a list after ``mentions[t]`` whose items in its unit
    (at least two) add up to it; None when no list does.

    An exact total's list is in its paragraph and adds up to it exactly (the first run that
    does). An approximate one's (250余条) adds up to a value it allows (_range); its list may
    start in a later paragraph, where a report details what its summary rounded (全年主动
    公开各类财政信息6万余条 … 通过厅网站…合计1292条;通过…采购网公开政府采购信息62805条), and
    runs to the last item of the paragraph where the sum first reaches the total.
    Items in other units (政府公报6期, 回应关切16次) count other things and are passed over;
    an approximate item (150余条) never adds up, and a running sum past the total ends the
    search."""
    total = mentions[t]
    if total.value <= 0:
        return None
    bounds = _range(text, total)
    if bounds is None:
        return None
    low, high = bounds
    exact = not total.approximate
    family = _family(total.unit)
    paragraph_end = text.find("\n", total.end)
    if paragraph_end < 0:
        paragraph_end = len(text)
    running: float = 0
    items = 0
    reached: int | None = None  # the last item so far with the sum inside the bounds
    for j in range(t + 1, len(mentions)):
        item = mentions[j]
        if item.start >= paragraph_end:
            if exact or reached is not None:
                break
            paragraph_end = text.find("\n", item.start)
            if paragraph_end < 0:
                paragraph_end = len(text)
        if _family(item.unit) != family:
            continue
        if item.approximate:
            return reached
        running += item.value
        items += 1
        if running > high + 1e-6:
            return reached
        if items >= 2 and running >= low - 1e-6:
            if exact:
                return j
            reached = j
        if items >= (SUM_ITEMS_MAX if exact else APPROX_ITEMS_MAX):
            return reached
    return reached


def _fact(
    text: str,
    field: str,
    value: int | float,
    unit: str | None,
    approximate: bool,
    start: int,
    end: int,
) -> Fact:
    # Evidence never starts or ends on white space, so start/end frame it exactly.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Fact(
        field=field,
        value=value,
        unit=unit,
        approximate=approximate,
        evidence=text[start:end],
        start=start,
        end=end,
        method="rules",
    )


# A quoted text with a blank to fill in ((单位名称), XX, ××, 某某) is a form, not a report of
# what happened: a notice pasted into a report asks units to write "(单位名称)依申请公开0件".
_PLACEHOLDER = re.compile(r"\([^()]{0,8}(?:名称|单位|姓名|部门)\)|[Xx×]{2}|某某")
_QUOTE_REACH = 60


def _in_template(text: str, start: int, end: int) -> bool:
    opened = text.rfind("“", max(0, start - _QUOTE_REACH), start)
    if opened < 0 or text.rfind("”", opened, start) >= 0:
        return False
    closed = text.find("”", end, end + _QUOTE_REACH)
    quoted = text[opened : closed if closed >= 0 else end]
    return _PLACEHOLDER.search(quoted) is not None


def extract_rules(
    text: str, spans: list[tuple[int, int]], rules_list: tuple[FieldRules, ...] | None = None
) -> list[Fact]:
    """Facts found by the rules in the given spans of the normalised text, in text order,
    each (field, value) once."""
    rules_list = rules_list or load_rules()
    compiled = _compiled(rules_list)
    sentences = Sentences(text)
    chosen: list[_Claim] = []
    breakdowns = _Breakdowns(text, sentences)
    order = {r.field: i for i, r in enumerate(rules_list)}
    zeros: list[Fact] = []
    for lo, hi in spans:
        mentions = find_mentions(text, lo, hi)
        # The list after a total that adds up to it (_sum_list): its last item's index and
        # the total's field; its items are facts of no other field.
        parts_until, parts_of, parts_exact = -1, "", True
        # The claim chosen for each mention, by index: a bare verb clause after it may
        # carry its field on (_carried).
        claimed: dict[int, _Claim] = {}
        for k, mention in enumerate(mentions):
            if mention.unit not in compiled.fields:
                continue  # no field counts in this unit (年, 月, %…)
            if sums_up(text, mention):
                continue  # 两个关键: the things just listed, summed up
            if _in_template(text, mention.start, mention.end):
                continue  # a form to fill in: 请写明“(单位名称)依申请公开0件”
            # A clause's context never reaches past the neighbouring numbers:
            # "行政复议25件、行政诉讼22件" gives 22 the context "、行政诉讼" only.
            floor = mentions[k - 1].end if k else lo
            ceiling = mentions[k + 1].start if k + 1 < len(mentions) else hi
            claims = _claims(text, mention, floor, ceiling, compiled, sentences)
            if not claims:
                carried = _carried(text, mentions, k, floor, ceiling, compiled, sentences, claimed)
                if carried is None:
                    carried = _announced(text, mention, floor, ceiling, compiled, sentences)
                if carried is None:
                    continue
                claims = [carried]
            best = min(
                claims,
                key=lambda c: (c.distance, not c.strong, -len(c.trigger), order[c.rules.field]),
            )
            claimed[k] = best
            # 各 gives the number to every field named before it:
            # "被申请行政复议、提起行政诉讼各1件" is one case of each.
            each = claims if text.startswith("各", mention.start - 1) else [best]
            if k <= parts_until:
                # An item of the list that adds up to the total answers no other field. Under
                # an exact total an item of its field stands (each body's total, 33250条 and
                # 65781条 of 99031条, is labelled); under a rounded one it is one of the
                # parts the summary rounded (厅网站…合计1292条 inside 6万余条), unless its
                # trigger names a total of its own (其中政府信息N条, `survives`).
                each = [
                    c for c in each if c.rules.field == parts_of and (parts_exact or _survives(c))
                ]
            for claim in each:
                if not breakdowns.covers(claim):
                    if claim.strong and _survives(claim):
                        _promote_total(chosen, claim, sentences)
                    chosen.append(claim)
                    breakdowns.add(claim)
                    if claim.rules.sum_breakdown and k > parts_until:
                        last = _sum_list(text, mentions, k)
                        if last is not None:
                            parts_until, parts_of = last, claim.rules.field
                            parts_exact = not mention.approximate
                            breakdowns.close(mention.end, mentions[last].end)
        said = {key: scan.finditer(text, lo, hi) for key, scan in compiled.zeros.items()}
        for rules in rules_list:
            for pattern in rules.zero:
                for m in said[pattern.pattern]:
                    if _in_template(text, m.start(), m.end()):
                        continue
                    if _sentence_requires(text, rules, sentences, m.start()):
                        zeros.append(_fact(text, rules.field, 0, None, False, m.start(), m.end()))
    has_strong = {c.rules.field for c in chosen if c.strong}
    # A count in a secondary unit (文件1624份 beside 信息3030条) stands only when the field
    # has no count in its usual unit at all.
    has_main_unit = {c.rules.field for c in chosen if c.mention.unit not in c.rules.weak_units}
    chosen = [
        c
        for c in chosen
        if c.mention.unit not in c.rules.weak_units or c.rules.field not in has_main_unit
    ]
    facts = [
        _fact(
            text,
            c.rules.field,
            c.mention.value,
            c.mention.unit,
            c.mention.approximate,
            c.ev_start,
            c.ev_end,
        )
        for c in chosen
        if c.strong or c.rules.field not in has_strong
    ]
    return dedupe(sorted(facts + zeros, key=lambda f: f.start))


def dedupe(facts: list[Fact]) -> list[Fact]:
    seen: set[tuple[str, float]] = set()
    out = []
    for fact in facts:
        key = (fact.field, float(fact.value))
        if key not in seen:
            seen.add(key)
            out.append(fact)
    return out
