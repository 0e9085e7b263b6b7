"""Numbers written with a measure word in running text, and the context around each."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import NamedTuple

from extract.numbers import NUMBER_PATTERN, parse_quantity

UNITS = (
    "场次",
    "条次",
    "件次",
    "人次",
    "批次",
    "万元",
    "元",
    "条",
    "件",
    "次",
    "场",
    "期",
    "个",
    "宗",
    "例",
    "篇",
    "份",
    "轮",
    "起",
    "封",
    "项",
    "家",
    "名",
    "人",
    "批",
    "本",
    "处",
    "户",
    "所",
    "类",
    "张",
    "套",
    "册",
    "部",
    "页",
    "天",
    "周",
    "年",
    "月",
    "日",
    "号",
    "届",
    "%",
)
# 3.5万件/次 is items or times, a count either way: read as 件 (docs/facts.md).
# A mention never starts inside a run of numerals: such a start is refused anyway (see
# _excluded), and trying every position of a long run made a page of digits cost
# quadratic time in the regex engine.
_MENTION = re.compile(
    rf"(?<![\d零〇一二两三四五六七八九十百千]){NUMBER_PATTERN}"
    rf"\s*(?P<unit>{'|'.join(UNITS)})(?:(?<=[件条])/次)?(?P<after>左右|以上)?"
)
# 、 is not a break: it joins the items of one list ("关停“僵尸”账号、“空壳”账号5个").
CLAUSE_BREAKS = "，,。；;：:()（）！!？?\n|\t"
SENTENCE_BREAKS = "。；;！!？?\n"
WINDOW = 40
# How far apart the halves of a one-for-one pairing (一条…一条) stand.
_PAIRING = 6
_SPAN_OR_ASPECT = re.compile(r"(?:季度|月|工作日|小时|方面|环节|维度|层面|领域|阶段|步骤|方向)")
# Abstract nouns a work summary counts (抓住主动公开和依申请公开两个关键, 六个部分组成), also
# after a short modifier as the head that closes the noun phrase (管好用好门户网站、政务新媒体和
# 政务服务网四个信息公开载体): the listed things summed up, never a count a field asks for.
# Only the rules engine asks (sums_up): the mention stays one, and the model path still reads
# its sentence.
_ABSTRACT = re.compile(
    r"(?:关键|重点|抓手|载体|部分|原则|目标|要求|任务|核心|板块"
    r"|[^，,。；;、:：()\d]{1,6}?(?:关键|重点|抓手|载体|环节|方面|维度|层面)(?=[，,。；;、:：()]|$))"
)


class Mention(NamedTuple):
    # A tuple: a report has a hundred mentions, and a frozen dataclass took three times as
    # long to build; mentions are only ever read.
    start: int  # first character of the number (or of its 约/近 prefix)
    end: int  # after the unit
    value: int | float
    approximate: bool
    unit: str


def sums_up(text: str, mention: Mention) -> bool:
    """Whether the mention is N个 before an abstract noun (两个关键, 四个信息公开载体)."""
    return mention.unit == "个" and _ABSTRACT.match(text, mention.end) is not None


def _excluded(text: str, m: re.Match[str], unit: str, num: str) -> bool:
    start, end = m.span()
    before = text[start - 1 : start] if start else ""
    after = text[end : end + 2]
    if before in ("第", "届", "前", "后") or before.isdigit():
        return True  # ordinals (第47次), session names (十六届三次会议), digit runs
    if unit in ("次", "届") and after.startswith("会议"):
        return True  # 三次会议 names a session
    if after.startswith(("/", "%")):
        return True  # rates: 100元/件
    back = max(0, start - WINDOW)
    if text.rfind("《", back, start) > text.rfind("》", back, start):
        return True  # inside a title: 《公安交管6项新措施》
    if unit == "个" and _SPAN_OR_ASPECT.match(text, end):
        return True  # 四个季度, 三个方面: spans of time and aspects, never a count of things
    # Idioms such as 一件一策, 一次一议 are not counts, nor is a pairing of one for one
    # (发布一条解读一条: an interpretation for every document).
    if num != "一":
        return False
    if text.startswith("一", end):
        return True
    one = "一" + unit
    return (
        text.find(one, end, end + _PAIRING) >= 0
        or text.rfind(one, max(0, start - _PAIRING), start) >= 0
    )


# Where a mention can start, as a test the regex engine runs in C over the whole span: the
# first character of a number not inside a run of numerals, or a prefix (约 近 逾 超过 超 大约 将近)
# right before one; then, within what a number is written with, the first character of a
# unit (looked for up to 40 characters on: past that, the test lets the position through,
# so that a page of digits still costs linear time). It starts with a character class,
# which the engine scans for directly; ``_MENTION`` starts with a look-behind and so is
# tried at every position (five times slower over a report). Every position where
# ``_MENTION`` can match passes this test.
_NUMERALS = r"\d零〇一二两三四五六七八九十百千"
_WRITTEN = rf"[{_NUMERALS}超过大约将近逾,.\s余多万亿]"  # what stands before a unit
_UNIT_FIRST = "[" + "".join(sorted({u[0] for u in UNITS})) + "]"
_START = re.compile(
    rf"[超大将约近逾{_NUMERALS}](?<![{_NUMERALS}].)"
    rf"(?:(?<=[{_NUMERALS}])|(?<=[约近逾])(?=[{_NUMERALS}])"
    rf"|(?<=超)(?=过?[{_NUMERALS}])|(?<=大)(?=约[{_NUMERALS}])|(?<=将)(?=近[{_NUMERALS}]))"
    rf"(?={_WRITTEN}{{0,40}}{_UNIT_FIRST}|{_WRITTEN}{{41}})"
)


def _mention_matches(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """What ``_MENTION.finditer(text, start, end)`` gives, tried only where a mention can
    start: after a match the search resumes at its end, as finditer does."""
    resume = start
    for candidate in _START.finditer(text, start, end):
        at = candidate.start()
        if at < resume:
            continue
        m = _MENTION.match(text, at, end)
        if m is not None:
            resume = m.end()
            yield m


_GROUPS = tuple(_MENTION.groupindex[g] for g in ("pre", "num", "mid", "mult", "post", "unit"))
_AFTER = _MENTION.groupindex["after"]


def find_mentions(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    end = len(text) if end is None else end
    out = []
    new = tuple.__new__  # Mention's own constructor, without its Python-level wrapper
    for m in _mention_matches(text, start, end):
        pre, num, mid, mult, post, unit = m.group(*_GROUPS)
        if _excluded(text, m, unit, num):
            continue
        try:
            qty = parse_quantity(f"{pre or ''}{num}{mid or ''}{mult or ''}{post or ''}")
        except ValueError:
            continue
        approximate = qty.approximate or bool(m.group(_AFTER))  # 10次以上, 20场左右
        out.append(new(Mention, (m.start(), m.end(), qty.value, approximate, unit)))
    return out


_BREAK = re.compile("[" + re.escape(CLAUSE_BREAKS) + "]")
# Greedy: the last break before the end of the search.
_LAST_BREAK = re.compile("[\\s\\S]*([" + re.escape(CLAUSE_BREAKS) + "])")


def clause_before(text: str, mention: Mention, floor: int) -> tuple[int, str]:
    lo = clause_start(text, mention.start, floor)
    return lo, text[lo : mention.start]


def clause_start(text: str, pos: int, floor: int) -> int:
    """Where the clause that runs up to ``pos`` starts (not before ``floor``, nor more
    than ``WINDOW`` characters back)."""
    lo = max(floor, pos - WINDOW)
    stop = pos
    while (last := _LAST_BREAK.match(text, lo, stop)) is not None:
        at = last.start(1)
        if text[at] == ")":
            # An aside with no number in it does not end the clause:
            # "主动公开区政府(含区政府办公室)各类信息6452条".
            opening = text.rfind("(", lo, at)
            if opening >= 0 and not any(ch.isdigit() for ch in text[opening:at]):
                stop = opening
                continue
        lo = at + 1
        break
    return lo


# How far back a run of titles may take the clause before a number.
TITLE_REACH = 200
_TITLE = re.compile(r"《[^《》]*》")


def _masked_title(m: re.Match[str]) -> str:
    return "《" + "…" * (len(m[0]) - 2) + "》"


def titles_clause(text: str, lo: int, pos: int, floor: int) -> tuple[int, str] | None:
    """When the clause before ``pos`` (starting at ``lo``) was cut by the window inside a run
    of titles ("解读《…》《…》《…》等政策信息9条"), the whole clause: from the start of the
    clause before the run's first title (``TITLE_REACH`` at most), with every title's text
    masked, so that its offsets stay those of the text and the words of a document's name
    are neither trigger nor veto. None when the clause was not cut inside a title."""
    if lo != pos - WINDOW or lo <= floor:
        return None
    close = text.find("》", lo, pos)
    if close < 0 or text.find("《", lo, close) >= 0:
        return None
    back = max(floor, pos - TITLE_REACH)
    first = text.rfind("《", back, lo)
    if first < 0:
        return None
    # Titles of the same run before it: 《A》《B》 or 《A》、《B》.
    while True:
        joint = first - 2 if text.startswith("》、", first - 2) else first - 1
        if joint < back or text[joint] != "》":
            break
        earlier = text.rfind("《", back, joint)
        if earlier < 0:
            break
        first = earlier
    start = clause_start(text, first, floor)
    return start, _TITLE.sub(_masked_title, text[start:pos])


# How far back a list of kinds may take the clause before a number.
LIST_REACH = 200


def list_clause(text: str, lo: int, mention: Mention, floor: int) -> tuple[int, str] | None:
    """When the clause before the number (starting at ``lo``) was cut by the window inside a
    list joined by 、 that the number closes ("共向社会公开人事任免、…、价格和收费等信息6522条,"),
    the whole clause (``LIST_REACH`` at most), so that the verb and total word before a long
    list are read. None when the clause was not cut, holds no list, runs on past the reach,
    or goes on after the number: then the count's head noun follows it (…政务公开投诉举报等
    共15项规章制度) and the list only describes it."""
    pos = mention.start
    if lo != pos - WINDOW or lo <= floor or text.find("、", lo, pos) < 0:
        return None
    if mention.end < len(text) and text[mention.end] not in CLAUSE_BREAKS:
        return None
    back = max(floor, pos - LIST_REACH)
    last = _LAST_BREAK.match(text, back, lo)
    if last is not None:
        start = last.start(1) + 1
    elif back == floor:
        start = floor
    else:
        return None
    return start, text[start:pos]


def clause_after(text: str, mention: Mention, ceiling: int) -> tuple[int, str]:
    hi = min(ceiling, mention.end + WINDOW // 2)
    first = _BREAK.search(text, mention.end, hi)
    if first is not None:
        hi = first.start()
    return mention.end, text[mention.end : hi]


def bracket_note(text: str, mention: Mention, ceiling: int) -> str:
    """A note in brackets right after the number, which qualifies that number:
    "答复申请98件(含上年度结转8件)" gives "含上年度结转" (up to the next number)."""
    if not text.startswith("(", mention.end):
        return ""
    hi = min(ceiling, mention.end + WINDOW // 2)
    close = text.find(")", mention.end, hi)
    return text[mention.end + 1 : close if close >= 0 else hi]


# How far a sentence reaches either side of a position. Report sentences are far shorter;
# without a bound, a text with no sentence breaks made every mention scan all of it
# (quadratic time on a hostile input).
SENTENCE_REACH = 500


def sentence_around(text: str, pos: int) -> tuple[int, int]:
    # One find per break character (in C) rather than a Python step per character:
    # this runs for every mention.
    floor = max(0, pos - SENTENCE_REACH)
    lo = max(floor, 1 + max(text.rfind(ch, floor, pos) for ch in SENTENCE_BREAKS))
    ceiling = min(len(text), pos + SENTENCE_REACH)
    found = [i for ch in SENTENCE_BREAKS if (i := text.find(ch, pos, ceiling)) >= 0]
    return lo, min(found, default=ceiling)


_SENTENCE_BREAK = re.compile("[" + re.escape(SENTENCE_BREAKS) + "]")


class Sentences:
    """``sentence_around`` for many positions of one text: its breaks are found once, then
    each position costs a bisection instead of a search on both sides."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self.breaks = [m.start() for m in _SENTENCE_BREAK.finditer(text)]

    def around(self, pos: int) -> tuple[int, int]:
        """The same span as ``sentence_around(text, pos)``."""
        breaks = self.breaks
        i = bisect.bisect_left(breaks, pos)  # breaks[i - 1] < pos <= breaks[i]
        floor = max(0, pos - SENTENCE_REACH)
        ceiling = min(self.length, pos + SENTENCE_REACH)
        lo = max(floor, breaks[i - 1] + 1) if i else floor
        hi = breaks[i] if i < len(breaks) and breaks[i] < ceiling else ceiling
        return lo, hi
