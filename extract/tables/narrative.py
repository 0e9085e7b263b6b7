"""Table cells a report restates in its own narrative, to settle run-together rows.

Many reports repeat the numbers of their tables in prose: "共收到因政府信息公开提起的行政复议
23件,…其中维持具体行政行为10件,被依法纠错10件,其他情形1件,尚未审结2件". When a run-together
row keeps several readings after the arithmetic, a reading is corroborated when every cell
the readings disagree on is stated in the narrative as a count, next to that cell's own label
words (维持, 纠正, 废止 …), under that cell's row (行政复议, 规范性文件 …), for the report's
own year. Only the one fully corroborated reading is ever taken; anything less leaves the
cells null.

A statement is read clause by clause (``,`` ``、`` ``:``), within a sentence (``。`` ``;``):

- the row is the subject last named in the sentence (a clause naming two rows names none; a
  sentence opening with 其中 continues the one before); a sentence about table 四 must say
  it is about 信息公开, since many bodies also report the reconsiderations they decided;
- a clause names one column's label words and holds exactly one exact count with its
  measure word (``10件``; ``约10件``, ``10余件`` are not exact);
- a clause naming another year (``2018年``, ``上年``) or a change (``同比增加2件``) says
  nothing about this year's cell;
- a cell stated twice with different values is not stated at all.

Money cells are never settled this way: the narrative's unit need not be the table's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from extract.numbers import NUMBER_PATTERN, parse_quantity
from extract.tables.glued import OpenCells
from extract.tables.runs import Number, Reading

# The rows of each table as prose names them, most specific first: a matched name is blanked
# before the next is tried (``经行政复议后提起行政诉讼`` is one name, not three). A name
# mapped to None is a subject that owns no row of the table (行政诉讼 without saying which
# kind; documents that are not 规范性文件), so that what follows it is not taken for the
# previous row.
SUBJECTS: dict[str, tuple[tuple[str | None, str], ...]] = {
    "review_litigation": (
        (
            "litigation_after_reconsideration",
            r"(?:经过?|通过)?(?:行政)?复议后(?:再)?(?:向法院)?(?:提起|起诉)(?:行政诉讼)?",
        ),
        (
            "litigation_direct",
            r"未经(?:行政)?复议(?:直接)?(?:向法院)?(?:提起|起诉)?(?:行政诉讼)?"
            r"|直接(?:向法院)?(?:提起|起诉)(?:行政诉讼)?",
        ),
        (None, r"行政诉讼|起诉|诉讼|应诉"),
        ("reconsideration", r"行政复议|复议"),
    ),
    "active_disclosure": (
        ("normative_documents", r"规范性文件"),
        ("regulations", r"规章(?!制度)"),
        (None, r"文件|公文"),
        ("other_management_services", r"其他对外管理服务"),
        ("administrative_licensing", r"行政许可"),
        ("administrative_punishment", r"行政处罚"),
        ("administrative_coercion", r"行政强制"),
        ("administrative_fees", r"事业性收费"),
    ),
}
# The column a count stands for when its clause names the row and no column.
_BARE = {"review_litigation": "total"}
# What a sentence about each table must also say.
_TOPIC = {"review_litigation": r"信息公开|依申请公开|公开申请"}

# Column label words of each table, most specific first (blanked in turn). ``total`` only
# counts when no other column is named: "共收到…23件" is a total, "其中维持10件" a part.
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "review_litigation": (
        ("pending", r"尚未审结|未审结|尚未办结|未办结|未结案|尚在审理|正在审理|审理中"),
        ("upheld", r"维持"),
        ("corrected", r"纠正|纠错|撤销|确认违法|责令"),
        ("other", r"其他"),
        ("total", r"共|合计|总计|收到|受理|提起|发生"),
    ),
    "active_disclosure": (
        ("total_published", r"对外公开总数|公开总数|累计(?:对外)?公开"),
        ("new_published", r"新公开"),
        ("new_made", r"新制作"),
        ("issued", r"制发|制定|出台|印发"),
        ("repealed", r"废止"),
        ("in_force", r"现行有效"),
        ("items_last_year", r"上一?年度?(?:的)?(?:项目|事项)"),
        ("change", r"增加|减少|新增"),
        ("decisions", r"处理决定"),
    ),
}

_COUNT = re.compile(rf"{NUMBER_PATTERN}\s*(?P<measure>件|个|项|条|宗|起|次|例|份)")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_PAST = re.compile(r"上一?年|去年|前一?年|上年度")
_DELTA = re.compile(
    r"同比|环比|比上|较上|比去年|较去年|较(?:19|20)\d{2}|比(?:19|20)\d{2}"
    r"|增长|下降|上升|增加|减少|增幅|降幅|持平"
)
# Titles and document numbers name years that are not the period: 《2019年…要点》, 〔2019〕.
_QUOTED = re.compile(r"《[^》]*》|〔[^〕]*〕|\[[^\]]*\]")
_SENTENCE = re.compile(r"[^。!?\n]+")
_CLAUSE = re.compile(r"[^,、:\t|]+")
_BLANK = "\u3000"


@dataclass(frozen=True)
class Statement:
    row: str
    column: str
    value: Number
    clause: str


def _blank(text: str, pattern: str) -> tuple[str, bool]:
    out, n = re.subn(pattern, lambda m: _BLANK * len(m[0]), text)
    return out, n > 0


def _subject(clause: str, table: str) -> tuple[str, bool, str | None]:
    """(clause with row names blanked, whether it names any, the row it names or None)."""
    named: set[str | None] = set()
    for key, pattern in SUBJECTS[table]:
        clause, found = _blank(clause, pattern)
        if found:
            named.add(key)
    if not named:
        return clause, False, None
    return clause, True, next(iter(named)) if len(named) == 1 else None


def _column(clause: str, table: str) -> tuple[str, str | None]:
    """(clause with label words blanked, the one column it names or None)."""
    named: set[str] = set()
    for key, pattern in COLUMNS[table]:
        clause, found = _blank(clause, pattern)
        if found:
            named.add(key)
    if len(named) > 1:
        named.discard("total")
    return clause, next(iter(named)) if len(named) == 1 else None


def _count(clause: str) -> Number | None:
    counts = list(_COUNT.finditer(clause))
    if len(counts) != 1:
        return None
    m = counts[0]
    try:
        quantity = parse_quantity(m[0][: m.start("measure") - m.start()])
    except ValueError:
        return None
    return None if quantity.approximate else quantity.value


def statements(text: str, table: str, wanted: Iterable[str], year: int | None) -> list[Statement]:
    """Every statement of a cell of ``table`` in ``wanted`` columns that the text makes."""
    columns = set(wanted)
    topic = _TOPIC.get(table)
    out: list[Statement] = []
    row: str | None = None
    native = True
    on_topic = False
    for sentence in _SENTENCE.findall(_QUOTED.sub("", text)):
        sentence = sentence.strip()
        if not sentence.startswith("其中"):
            on_topic = topic is None or re.search(topic, sentence) is not None
        elif topic is not None and re.search(topic, sentence):
            on_topic = True  # 其中 continues the sentence before: its topic, its row
        if not on_topic:
            continue
        for part in sentence.split(";"):  # parts share the sentence's topic, not its row
            if not part.startswith("其中"):
                row, native = None, True
            for clause in _CLAUSE.findall(part):
                years = [int(y) for y in _YEAR.findall(clause)]
                if years:
                    native = year is not None and all(y == year for y in years)
                rest, names, key = _subject(clause, table)
                if names:
                    row = key
                rest, column = _column(rest, table)
                if column is None and names:
                    column = _BARE.get(table)  # "行政复议3件": the row's count is its total
                if row is None or column not in columns or not native:
                    continue
                if _PAST.search(rest) or _DELTA.search(rest):
                    continue  # another year, or a change (上一年项目, 增加 are blanked)
                value = _count(rest)
                if value is not None and column == "change" and "减少" in clause:
                    value = -value  # 本年增/减 is negative for a decrease
                if value is not None:
                    out.append(Statement(row, column, value, clause.strip()))
    return out


@dataclass(frozen=True)
class Corroborated:
    reading: Reading
    used: list[Statement]


def corroborate(cells: OpenCells, stated: list[Statement]) -> Corroborated | None:
    """The one reading whose every disputed cell the narrative states, or None."""
    values: dict[tuple[str, str], set[Number]] = {}
    first: dict[tuple[str, str], Statement] = {}
    for s in stated:
        values.setdefault((s.row, s.column), set()).add(s.value)
        first.setdefault((s.row, s.column), s)
    disputed = [p for p in range(len(cells.where)) if len({r[p] for r in cells.readings}) > 1]
    if not disputed:
        return None
    said: dict[int, Number] = {}
    for p in disputed:
        options = values.get(cells.where[p], set())
        if len(options) != 1:  # unstated, or stated two ways
            return None
        said[p] = next(iter(options))
    agreeing = [r for r in cells.readings if all(r[p] == v for p, v in said.items())]
    if len(agreeing) != 1:
        return None
    return Corroborated(agreeing[0], [first[cells.where[p]] for p in disputed])
