"""Who issued a report and which year it covers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise

_SUFFIXES = (
    "人民政府办公室",
    "人民政府办公厅",
    "人民政府",
    "政府办公室",
    "管理委员会",
    "委员会",
    "办事处",
    "局",
    "厅",
    "办公室",
    "中心",
    "委",
    "公署",
    "行署",
    "总署",
    "院",
)
_ORG_SUFFIX = f"(?:{'|'.join(_SUFFIXES)})"
# A title may shorten a government's office to 政府办 (义安区政府办2020年…报告), which in a
# sentence would be the start of 政府办公厅 or 政府办公室.
# The name may carry its other name in brackets: 黔东南州人民政府(州政府办公室)2024年…; a
# short name it defines (以下简称区政府办公室) is no other name.
_ALIAS = r"(?:\((?!以下简称|下称|简称)[\u4e00-\u9fa5]{2,20}\))?"
_TITLE_ORG = rf"(?P<org>[\u4e00-\u9fa5()]{{2,40}}?(?:{_ORG_SUFFIX}|政府办){_ALIAS})"
# the longest text _TITLE_ORG matches
_TITLE_ORG_MAX = 40 + max(map(len, _SUFFIXES)) + 22
_TITLE_TAIL = (
    r"(?P<year>(?:19|20)\d{2})\s*年\s*(?:度)?\s*(?:政府)?\s*信\s*息\s*公\s*开\s*(?:工\s*作)?\s*"
    r"(?:年\s*度)?\s*报\s*告"
)
_TITLE = re.compile(rf"{_TITLE_ORG}?[\s:]*{_TITLE_TAIL}")
_TAIL = re.compile(_TITLE_TAIL)
# The other order: "2020年度广州市天河区猎德街道办事处政府信息公开工作年度报告".
_TITLE_YEAR_FIRST = re.compile(
    rf"(?P<year>(?:19|20)\d{{2}})\s*年\s*度?\s*(?P<org>[\u4e00-\u9fa5()]{{2,40}}?(?:{_ORG_SUFFIX}|政府办))"
    r"\s*(?:政府)?\s*信\s*息\s*公\s*开\s*(?:工\s*作)?\s*(?:年\s*度)?\s*报\s*告"
)
# "…2020年(度)政府信息公开(工作)(年度)报告", spaced as Word and PDFs space it; what a
# place-named title ends with.
_PLACE_REPORT = r"(?:政府)?\s*信\s*息\s*公\s*开\s*(?:工\s*作)?\s*(?:年\s*度)?\s*报\s*告"
_PLACE_YEAR = r"(?:19|20)\d{2}\s*年\s*度?\s*"
_PLACE_TITLE = re.compile(
    rf"^(?:标题\s*:?\s*\|?\s*)?(?P<place>[\u4e00-\u9fa5]{{2,20}}?)\s*{_PLACE_YEAR}{_PLACE_REPORT}"
)
_PLACE_TITLE_YEAR_FIRST = re.compile(
    rf"^{_PLACE_YEAR}(?P<place>[\u4e00-\u9fa5]{{2,20}}?)\s*{_PLACE_REPORT}"
)
# The same inside a sentence: "现公布深圳市光明区凤凰街道2024年度政府信息公开工作年度报告".
_PUBLISH = r"(?:现公布|现予公布|现将|现发布|特发布|公布|发布)《?"
_PLACE_TITLE_IN_SENTENCE = re.compile(
    _PUBLISH + r"(?P<place>[\u4e00-\u9fa5]{2,20}?)\s*" + _PLACE_YEAR + _PLACE_REPORT
)
# …and year first: "现向社会公布2024年兴和县政府信息公开工作年度报告".
_PLACE_TITLE_IN_SENTENCE_YEAR_FIRST = re.compile(
    _PUBLISH + _PLACE_YEAR + r"(?P<place>[\u4e00-\u9fa5]{2,20}?)\s*" + _PLACE_REPORT
)
_PERIOD = re.compile(r"统计期限?(?:为|自|是|从)?\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_ORG = re.compile(rf"[\u4e00-\u9fa5]{{2,30}}?{_ORG_SUFFIX}")
_DATE_LINE = re.compile(
    r"^\s*(?:(?:19|20)\d{2}|[二〇○零一三四五六七八九]{4})\s*年.{1,6}月(?:.{1,4}日)?\s*$"
)
# Words that start many lines but are not part of an organisation's name.
# (有效, 失效: a web page's 时效 field, on the line before a title.)
_LEAD_NOISE = re.compile(r"^(?:标题|发布机构|来源|本|关于|根据|经|由|按照|我|在|以|对|有效|失效)")


# What ends a clause before a name starts: "本年度报告是罗庄区人民政府办公室…", "现公布广州市
# 人民政府办公厅2024年…". Only words no name holds: 经 (经济), 共 (共青团), 各 and 本 occur
# inside names ("西宁经济技术开发区管理委员会"); 会同县, 向阳区, 将乐县, 和平区 are places.
_CLAUSE_END = re.compile(
    r"^.*(?:[是的了由据我该告并向请]|按照|根据|依据|关于|现将|现公开|公布|发布|印发|编制|联系|完善|"
    r"在|对|为|至|从|于|与|及|以|通过|围绕|指导|做好|规定和|"
    # verbs and connectors that put a body in a sentence: 完成X门户网站改版, 结合X工作实际,
    # 会同X局 (not 会同县), 全文包括X信息公开总体情况, 联动X中心
    r"完成|结合|会同(?!县)|包括|联动|协同|配合|督促|牵头|发挥)"
)
# Words inside names that hold a clause word: 自由贸易试验区 (由), 数据局 (据), 对外, 为民服务
# (对, 为) and places: 从化, 于都, 于洪, 周至, 东至; a clause never ends inside them
# ("中国(福建)自由贸易试验区…" is not "贸易试验区…", 无锡市锡山区数据局 not 局).
_NAME_WORDS = re.compile(r"自由|数据|对外|为民|从化|从江|于都|于洪|于田|周至|东至")
# 本街道, 我旗, 本市: the report's own place named by a pronoun, which no grouping can use.
_PRONOUN_PLACE = re.compile(r"^[本我](?:街道|[省市州盟县区旗镇乡])")
# A clause, not a name: the verbs of a report's narrative ("上清寺街道认真贯彻落实区委").
_NARRATIVE = re.compile(r"认真|贯彻|落实|坚持|严格|积极|深入|高度重视|全面")
# A year before a name is the sentence's date, not part of it ("2019年盟生态环境局…").
_LEAD_YEAR = re.compile(r"^年度?")
# Words that end like a body (…局, …中心) but name none: 工作格局, 围绕中心.
# An address is no body either (…88号政务中心, 二楼办公室).
# Many bodies at once (郑州市各开发区管委会, 县各部门) are no one body's name.
# Two bodies joined (自治区和市委, 党中央和自治区党委, but not 兴和县) are not one name; nor is
# a slogan (一图一播一厅), which names no place at all.
_NOT_A_BODY = re.compile(
    r"[格布大结全开变破定当]局$|网站和|^[个各号]|(?<=[省市区县州盟旗])各|^[一二三四五六七八九十]+楼|(?<=[省市区县州委局央府])和(?:省|市|区|县|州)|^和(?:自治区|省)"
)
_PLACE_WORD = re.compile(r"[省市县区州盟旗镇乡]|街道|自治|开发|新区|管委|委员会|办事处|人民政府")
# A name with no place: the body of whatever place the report is about, which the name
# itself does not say (县政府办公室, 政务公开办公室, 领导小组办公室, 市国资委).
_GENERIC = re.compile(
    r"^(?:[省市州盟县区旗镇乡]|本|我)?(?:人民)?政府办(?:公[室厅])?$"
    r"|^(?:[省市州盟县区旗镇乡]|本|我|乡镇)?人民政府$"
    r"|^[省市州盟县区旗镇乡]?(?:政务公开|综合|党政|行政)办公室$|领导小组办公室$|^办公室$"
    r"|^(?:[省市州盟县区旗]|开发区)[\u4e00-\u9fa5]{1,4}(?:局|委|党工委|管委会|中心)$"
    r"|^[\u4e00-\u9fa5]{2}分局$|^街道"
)
# A body named as the author of a document the report cites ("根据《X省人民政府办公厅关于…
# 的通知》", "X办公厅下发的…") is not the body reporting.
_CITED_AFTER = re.compile(r"\s*(?:关于|印发|下发|转发|《|的通知)")
# …中心工作 is a task ("围绕市政府中心工作"), whatever stands before it.
_TASK_AFTER = re.compile(r"工作")
# "本报告由X根据《条例》编制", "本年度报告是X按照…编制而成": the body that compiled the
# report, named in its first lines.
_COMPILED_BY = re.compile(
    rf"本(?:年度)?报告(?:是|系)?由?\s*(?P<org>[\u4e00-\u9fa5()]{{2,40}}?{_ORG_SUFFIX})"
    r"\s*(?:根据|依据|按照|依照|负责|编制|制作|汇总|综合)"
)
_PLACE_AT_WORK = re.compile(
    r"(?:^|[,。\n])\s*(?:(?:19|20)\d{2}\s*年度?\s*,?)?"
    r"(?P<place>[\u4e00-\u9fa5]{2,12}?(?:街道|镇|乡|县|区|市|旗))"
    r"(?=认真|严格|深入|坚持|积极|全面|高度重视|持续|始终|不断|以习近平)",
    re.MULTILINE,
)
_CONTACT = re.compile(r"请与|请联系|联系:")
_WEBSITE_AFTER = re.compile(r"(?:门户|政务|信息公开)?(?:网站|网)")
# Bodies a report names but that never issue a local one.
_NEVER_ISSUER = re.compile(r"(?:国务院|国务院办公厅|中共中央|党中央)$")
# A title that names a place, not a body ("兰州市2020年…", "上海市普陀区万里街道2022年…").
_PLACE = re.compile(r"^[\u4e00-\u9fa5]{1,20}?(?:省|自治区|市|区|县|旗|州|盟|镇|乡|街道)$")


def _after_clause(text: str) -> str:
    """``text`` from the end of the last clause word in it (``_CLAUSE_END``), never cut
    inside a word of a name (``_NAME_WORDS``)."""
    masked = _NAME_WORDS.sub(lambda m: "\x00" * len(m[0]), text)
    m = _CLAUSE_END.match(masked)
    return text[m.end() :] if m else text


def _clean_org(org: str) -> str:
    org = org.strip()
    # (a bracket left open by the match goes; a bracketed other name, X(Y), stays)
    org = org.strip("()") if org.count("(") != org.count(")") else org.lstrip(")")
    org = _LEAD_NOISE.sub("", org)
    return _LEAD_YEAR.sub("", _after_clause(org))


def _a_body(org: str) -> bool:
    """A name worth returning: long enough, a body's, and saying which place it serves."""
    return (
        len(org) >= 4
        and not _NOT_A_BODY.search(org)
        and not _GENERIC.search(org)
        and not _PRONOUN_PLACE.match(org)
        and not _NARRATIVE.search(org)
    )


def _government_of(org: str) -> str:
    """A government's (a street office's) general office compiles its report; the issuer is
    the government (the street office)."""
    return re.sub(r"(人民政府|办事处)办公[室厅]$", r"\1", org)


def _body_of_place(place: str) -> str:
    """The body whose report a place-named title is: a street's office, else its government."""
    return place + ("办事处" if place.endswith("街道") else "人民政府")


def _title(text: str, pos: int = 0) -> re.Match[str] | None:
    """``_TITLE.search(text, pos)``, started where its first match can start.

    The pattern opens with an optional lazy name, which the regex engine tries at every
    position of the text: slow over a page. Every match ends in the year and 报告 (the
    tail), so the first match cannot start before the first tail less a name and the
    spaces and colons before that tail; the search starts there, and finds the same."""
    tail = _TAIL.search(text, pos)
    if tail is None:
        return None
    start = tail.start()
    while start > pos and (text[start - 1].isspace() or text[start - 1] == ":"):
        start -= 1
    return _TITLE.search(text, max(pos, start - _TITLE_ORG_MAX))


def _titles(text: str) -> Iterator[re.Match[str] | None]:
    yield _title(text)
    yield _TITLE_YEAR_FIRST.search(text)


def _every_title(text: str) -> Iterator[re.Match[str]]:
    """Every title in a line, in order: a sentence may name a notice about the reports
    (《关于做好2023年政府信息公开工作年度报告…的通知》) before the report's own title."""
    at = 0
    while (m := _title(text, at)) is not None:
        yield m
        at = max(m.end(), at + 1)
    yield from _TITLE_YEAR_FIRST.finditer(text)


def find_year(text: str) -> int | None:
    head = text[:3000]
    for title in _titles(head):
        if title:
            return int(title["year"])
    period = _PERIOD.search(text)
    if period:
        return int(period[1])
    years = Counter(int(y) for y in _YEAR.findall(head))
    return years.most_common(1)[0][0] if years else None


def _signature(text: str) -> str | None:
    """The body that signs the report: the line just above a date at the very end."""
    lines = [line.strip() for line in text.rstrip().splitlines()[-6:] if line.strip()]
    for i in range(len(lines) - 1, 0, -1):
        if _DATE_LINE.match(lines[i]) and re.fullmatch(_ORG.pattern, lines[i - 1]):
            return lines[i - 1]
    return None


# A street office named with its district (西城区金融街街道办事处), which the report may write
# with the district's government between them (西城区人民政府金融街街道办事处).
_STREET_OF_DISTRICT = re.compile(
    r"^([\u4e00-\u9fa5]{2,8}?[区县市旗])([\u4e00-\u9fa5]{2,8}街道办事处)$"
)
# A name that goes on past the shortest suffix: 卫生健康委 + 员会, 景区管委 + 会, and a district
# government + the street office under it (北京市东城区人民政府 + 建国门街道办事处).
_NAME_GOES_ON = re.compile(r"(?<=委)员会|(?<=管委)会|(?<=人民政府)[\u4e00-\u9fa5]{2,8}?街道办事处")

# Kinds of body as reports shorten them, with their full form: 包头市市场监管局 stands for
# 包头市市场监督管理局 when the report writes that too (longest short form first).
_SHORT_KINDS = (
    ("市场监管局", "市场监督管理局"),
    ("住建委", "住房和城乡建设委员会"),
    ("住建局", "住房和城乡建设局"),
    ("卫健委", "卫生健康委员会"),
    ("卫健局", "卫生健康局"),
    ("人社局", "人力资源和社会保障局"),
    ("发改委", "发展和改革委员会"),
    ("管委会", "管理委员会"),
    ("政府办公室", "人民政府办公室"),
    ("政府办", "人民政府办公室"),
    ("委", "委员会"),
)

_PLACE_MAX = 9  # the longest place _fuller_name looks for: 2 to 8 characters, then 省市州盟


def _place_before(text: str, org: str) -> re.Match[str] | None:
    """``re.search(place + org, text)``, tried only just before each occurrence of ``org``.

    Over the whole text the pattern is tried at every position; each of its matches ends
    in an occurrence of ``org`` at most ``_PLACE_MAX`` characters after its start, so the
    first match is the first one found in those windows (the earliest start, then the
    shortest place, as the regex engine itself chooses)."""
    pattern = re.compile(rf"([\u4e00-\u9fa5]{{2,8}}?[省市州盟]){re.escape(org)}")
    best: re.Match[str] | None = None
    at = text.find(org)
    while at >= 0 and (best is None or at - _PLACE_MAX <= best.start()):
        m = pattern.search(text, max(0, at - _PLACE_MAX), at + len(org))
        if m and (best is None or (m.start(), m.end()) < (best.start(), best.end())):
            best = m
        at = text.find(org, at + 1)
    return best


def _fuller_name(text: str, org: str) -> str:
    """Prefer the fullest form the report itself uses: 罗庄区人民政府 → 临沂市罗庄区人民政府;
    a street office under its district's government: 西城区金融街街道办事处 →
    北京市西城区人民政府金融街街道办事处, 上清寺街道办事处 → 渝中区人民政府上清寺街道办事处 →
    重庆市渝中区人民政府上清寺街道办事处."""
    street = _STREET_OF_DISTRICT.match(org)
    if street and (under := f"{street[1]}人民政府{street[2]}") in text:
        org = under
    elif org.endswith("街道办事处") and (
        district := re.search(rf"([\u4e00-\u9fa5]{{2,8}}?[区县市旗]人民政府){re.escape(org)}", text)
    ):
        org = _after_clause(_LEAD_NOISE.sub("", district[1])) + org
    for short, full in _SHORT_KINDS:
        if org.endswith(short) and (whole := org[: -len(short)] + full) in text:
            org = whole
            break
    m = _place_before(text, org)
    if not m:
        return org
    place = _after_clause(m[1])  # "请联系哈尔滨市道里区…" → 哈尔滨市
    return place + org if len(place) >= 2 and not place.endswith(org[:2]) else org


def _title_candidates(head: str) -> list[str]:
    """Lines of the head, then pairs and triples of adjacent lines joined: Word and web
    pages break titles over lines, but joining everything glues a title to the line
    before it ("…的通知" + "上海市人民政府办公厅2021年…")."""
    lines = [line for line in map(str.strip, head.splitlines()) if line]
    pairs = [a + b for a, b in pairwise(lines)]
    triples = [a + b + c for a, b, c in zip(lines, lines[1:], lines[2:], strict=False)]
    return lines + pairs + triples


def _place_title(head: str) -> str | None:
    """The place of a title that names no body: 兰州市2020年政府信息公开工作年度报告,
    2020年江南镇政府信息公开年度报告 (possibly over two lines), among the first twelve lines
    with text (a web page puts its navigation, spaced by blank lines, first)."""
    lines = [line for line in head.splitlines() if line.strip()][:12]
    for candidate in filter(_may_be_title, _title_candidates("\n".join(lines))):
        for pattern in (_PLACE_TITLE, _PLACE_TITLE_YEAR_FIRST):
            m = pattern.match(candidate)
            if m and _a_place(m["place"]):
                return m["place"]
    for pattern in (_PLACE_TITLE_IN_SENTENCE, _PLACE_TITLE_IN_SENTENCE_YEAR_FIRST):
        for m in pattern.finditer(head):
            if _a_place(m["place"]):
                return m["place"]
    return None


def _a_place(place: str) -> bool:
    return bool(_PLACE.match(place)) and not _PRONOUN_PLACE.match(place)


def _may_be_title(candidate: str) -> bool:
    # Characters every title pattern needs: most candidate lines lack them, and this test
    # is far cheaper than the patterns' search from every position.
    return "告" in candidate and "信" in candidate


def _completed(text: str, org: str) -> str:
    """A name that starts at its level (市政府办公室, 县人民政府) with the place the report
    puts before it somewhere (温州 + 市政府办公室); else the name as it is."""
    if org[:1] not in "省市州盟县区旗镇乡":
        return org
    for m in re.finditer(rf"([\u4e00-\u9fa5]{{2,8}}?){re.escape(org)}", text):
        place = _LEAD_YEAR.sub("", _after_clause(_LEAD_NOISE.sub("", m[1])))
        if len(place) >= 2:
            return place + org
    return org


def _resolved(text: str, org: str) -> str | None:
    """The name to give for a body the report names, or None when the name says no
    particular body (a generic office whose place the report never writes next to it)."""
    org = _completed(text, org)
    return _fuller_name(text, org) if _a_body(org) else None


def _cited(text: str, found: re.Match[str]) -> bool:
    return text[found.start() - 1 : found.start()] == "《" or bool(
        _CITED_AFTER.match(text, found.end())
    )


def find_issuer(text: str) -> str | None:
    """The body that issued the report, as the report names it at its fullest; None when the
    report never names a particular one (better than a generic office or a cited body)."""
    head = text[:3000]
    for candidate in filter(_may_be_title, _title_candidates(head)):
        for m in _every_title(candidate):
            if m["org"] and (name := _resolved(text, _clean_org(m["org"]))):
                return name
    compiled = _COMPILED_BY.search(head)
    if compiled and (name := _resolved(text, _government_of(_clean_org(compiled["org"])))):
        return name
    place = _place_title(head)
    if place:
        return _fuller_name(text, _body_of_place(place))
    signed = _signature(text)
    if signed and (name := _resolved(text, _clean_org(signed))):
        return name
    # The first body named is the one at work ("长春市人民政府办公厅坚持…"): an office named
    # this way reports for itself. A body named as a cited document's author is not.
    # The office a reader is to contact (请与X联系, 请联系:X) answers for the body; it is the
    # body only when no other is named at work.
    # A government named as the owner of the website that carries the report (可在X人民政府
    # 门户网站下载) hosts its departments' reports too: the office to contact named after it
    # says which body reports.
    contact: str | None = None
    website: str | None = None
    for first in _ORG.finditer(head):
        goes_on = _NAME_GOES_ON.match(head, first.end())
        org = _clean_org(first[0] + (goes_on[0] if goes_on else ""))
        # (围绕…中心: "紧紧围绕市政府中心工作" names a task, not a body)
        task = org.endswith("中心") and _TASK_AFTER.match(head, first.end())
        if _NEVER_ISSUER.search(org) or _cited(head, first) or "围绕" in first[0] or task:
            continue
        if _PLACE_WORD.search(org) and (name := _resolved(text, org)):
            if _CONTACT.search(head, max(0, first.start() - 4), first.start() + 3):
                if website:
                    # (the government's own office to contact: the government reports)
                    return website if _government_of(name).endswith(website[-6:]) else name
                contact = contact or name
            elif website:
                return website
            elif org.endswith("人民政府") and _WEBSITE_AFTER.match(head, first.end()):
                website = name
            else:
                return name
    return website or _place_at_work(text, head) or contact


def _place_at_work(text: str, head: str) -> str | None:
    """The place a sentence opens with, at work ("2021年,上清寺街道认真贯彻落实…"): its body
    (a street's office, else its government), when the report writes that body's name."""
    for m in _PLACE_AT_WORK.finditer(head):
        place = m["place"]
        if not _a_place(place) or _NARRATIVE.search(place):
            continue
        body = _body_of_place(place)
        fuller = _fuller_name(text, body)
        if fuller != body or body in text:
            return fuller
    return None
