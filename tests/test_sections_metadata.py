"""Sections, issuer and year whatever the numbering and title style."""

from __future__ import annotations

import pytest

from extract.metadata import find_issuer, find_year
from extract.sections import split_sections


@pytest.mark.parametrize(
    ("head", "issuer", "year"),
    [
        pytest.param(
            "临沂市教育局2023年政府信息公开工作年度报告\n", "临沂市教育局", 2023, id="bureau"
        ),
        pytest.param(
            "北京市海淀区人民政府\n2022年政府信息公开工作年度报告\n",
            "北京市海淀区人民政府",
            2022,
            id="title-over-two-lines",
        ),
        pytest.param(
            "关于印发某某的通知\n上海市人民政府办公厅2021年政府信息公开工作年度报告\n",
            "上海市人民政府办公厅",
            2021,
            id="line-before-title",
        ),
        pytest.param(
            "2020年度广州市天河区猎德街道办事处政府信息公开工作年度报告\n",
            "广州市天河区猎德街道办事处",
            2020,
            id="year-first",
        ),
        pytest.param(
            "本报告根据条例编制。统计期限为2022年1月1日至12月31日。\n一、总体情况\n"
            "我县……\n\n某某县人民政府\n2023年1月30日\n",
            "某某县人民政府",
            2022,
            id="signature-and-period",
        ),
    ],
)
def test_issuer_and_year(head: str, issuer: str, year: int) -> None:
    assert find_issuer(head) == issuer
    assert find_year(head) == year


@pytest.mark.parametrize(
    ("head", "issuer"),
    [
        pytest.param(
            "本报告由大理州人民政府办公室根据《中华人民共和国政府信息公开条例》编制。\n"
            "一、总体情况\n2023年,全州……",
            "大理州人民政府",
            id="compiled-by-the-office",
        ),
        pytest.param(
            "本报告由曲靖经济技术开发区管理委员会依据《条例》规定编制。",
            "曲靖经济技术开发区管理委员会",
            id="compiled-by-a-zone",
        ),
        pytest.param(
            "根据《条例》等规定,现公布宁波市人民政府办公厅2024年政府信息公开工作年度报告。",
            "宁波市人民政府办公厅",
            id="title-inside-a-sentence",
        ),
        pytest.param(
            "本年度报告是江宁区人民政府办公室按照《条例》要求,根据区政府各部门及各街道的"
            "年度报告编制而成。",
            "江宁区人民政府",
            id="report-is-compiled-by-the-office-for-the-government",
        ),
        pytest.param("兰溪市2023年政府信息公开工作年度报告\n", "兰溪市人民政府", id="a-city"),
        pytest.param("2021年青山镇政府信息公开年度报告\n", "青山镇人民政府", id="a-town"),
        pytest.param(
            "杭州市西湖区北山街道\n2022年政府信息公开工作年度报告\n",
            "杭州市西湖区北山街道办事处",
            id="a-street-over-two-lines",
        ),
        pytest.param(
            "旌阳区城北街道办事处2022年政府信息公开工作年度报告\n"
            "如对本报告有疑问,请联系德阳市旌阳区城北街道办事处。",
            "德阳市旌阳区城北街道办事处",
            id="fuller-name-after-a-verb",
        ),
        pytest.param(
            "2022年,园区认真贯彻落实《条例》和国务院有关部署。\n一、总体情况\n"
            "阜阳合肥现代产业园区管理委员会高度重视……",
            "阜阳合肥现代产业园区管理委员会",
            id="not-the-state-council",
        ),
    ],
)
def test_issuer_is_a_body_never_a_clause(head: str, issuer: str) -> None:
    found = find_issuer(head)
    assert found == issuer
    assert found is not None and not found.startswith(("本", "报告", "现公布", "请"))


@pytest.mark.parametrize(
    "headings",
    [
        pytest.param(
            [
                "一、总体情况",
                "二、主动公开政府信息情况",
                "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况",
                "五、存在的主要问题及改进情况",
                "六、其他需要报告的事项",
            ],
            id="standard",
        ),
        pytest.param(
            [
                "第一部分 总体情况",
                "第二部分 主动公开政府信息情况",
                "第三部分 收到和处理政府信息公开申请情况",
                "第四部分 政府信息公开行政复议、行政诉讼情况",
                "第五部分 存在的主要问题及改进情况",
                "第六部分 其他需要报告的事项",
            ],
            id="parts",
        ),
        pytest.param(
            [
                "一. 概述",
                "二. 主动公开政府信息情况",
                "三. 收到和处理政府信息公开申请情况",
                "四. 政府信息公开行政复议、行政诉讼情况",
                "五. 存在的主要问题及改进情况",
                "六. 其他需要报告的事项",
            ],
            id="dots",
        ),
    ],
)
def test_sections_in_every_numbering_style(headings: list[str]) -> None:
    body = "\n".join(
        f"{h}\n正文{i}。\n一、本年新收政府信息公开申请数量\n四、结转下年度继续办理"
        for i, h in enumerate(headings)
    )
    sections = split_sections(body)
    assert list(sections) == [
        "overview",
        "active_disclosure",
        "applications",
        "review_litigation",
        "problems",
        "other",
    ]
    for i, section in enumerate(sections.values()):
        assert f"正文{i}" in section.text(body)


# The searches below are started late or skipped where they cannot match (they were slow
# over a whole report); each must find exactly what the plain search finds.
_PIECES = [
    *("2023年", "2020 年度", "2019", "年", "度", "报告", "政府", "信息公开", "工作", "年度"),
    *("政府信息公开工作年度报告", "信息公开年度报告", "信 息 公 开 报 告", " ", ":", "\n"),
    *("临沂市罗庄区人民政府", "罗庄区人民政府办公室", "人民政府", "办公室", "委员会", "局"),
    *("街道", "办事处", "省", "市", "区", "(", ")", "关于", "x", "1"),
    *("三、", "第二部分", "一.", "四 :", "·", "## ", "五", "(二)", "总体情况", "行政复议"),
]


def _samples(seed: int, count: int) -> list[str]:
    import random

    from conftest import FIXTURES

    rng = random.Random(seed)
    made = ["".join(rng.choice(_PIECES) for _ in range(rng.randrange(30))) for _ in range(count)]
    return made + [p.read_text("utf-8")[:3000] for p in sorted(FIXTURES.glob("*.txt"))]


def test_the_title_search_started_late_finds_what_the_plain_search_finds() -> None:
    from extract.metadata import _TITLE, _title

    found = 0
    for sample in _samples(3, 6000):
        plain, fast = _TITLE.search(sample), _title(sample)
        assert (plain and (plain.span(), plain.groupdict())) == (
            fast and (fast.span(), fast.groupdict())
        ), sample
        found += plain is not None
    assert found > 300


def test_the_place_before_a_name_is_what_the_plain_search_finds() -> None:
    import re

    from extract.metadata import _place_before

    found = 0
    for k, sample in enumerate(_samples(4, 6000)):
        org = ("局", "罗庄区人民政府", "人民政府", "区", "市局")[k % 5]
        plain = re.search(rf"([\u4e00-\u9fa5]{{2,8}}?[省市州盟]){re.escape(org)}", sample)
        fast = _place_before(sample, org)
        assert (plain and (plain.span(), plain.groups())) == (
            fast and (fast.span(), fast.groups())
        ), (sample, org)
        found += plain is not None
    assert found > 300


def test_a_line_read_as_a_numbered_heading_passes_the_quick_tests() -> None:
    from extract.sections import _HEADING, _NUMBERED, _NUMERAL_MARK

    numbered = 0
    for sample in _samples(5, 6000):
        for line in sample.split("\n"):
            if _NUMBERED.match(line):
                assert _NUMERAL_MARK.search(line), line
            m = _HEADING.match(line)
            if m and (m["n1"] or m["n2"]):
                numbered += 1
                assert _NUMBERED.match(line), line
    assert numbered > 10


def test_the_titles_scanned_at_once_are_where_each_title_is() -> None:
    import re

    from extract.sections import _ANY_TITLE, SECTION_TITLES

    for sample in _samples(6, 3000):
        for line in sample.split("\n"):
            each = any(re.search(t, line) for t in SECTION_TITLES)
            assert bool(_ANY_TITLE.search(line)) == each, line


def _candidates_line_by_line(text: str) -> list[tuple[int, int, int, int | None]]:
    # The plain definition: every line read as a heading, and every numbered line with the
    # next one as a heading wrapped over two lines.
    from extract.sections import _HEADING, _MAX_CONTINUATION, _title_index

    found = []
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for k, line in enumerate(lines):
        if len(line) > 60 or not line.strip():
            continue
        hit = _title_index(line)
        body = offsets[k + 1]
        if hit is None and k + 1 < len(lines):
            second = lines[k + 1].strip()
            m = _HEADING.match(line)
            if second and len(second) <= _MAX_CONTINUATION and m and (m["n1"] or m["n2"]):
                hit = _title_index(line.rstrip() + second)
                body = offsets[k + 2]
        if hit is not None:
            found.append((hit[0], offsets[k], body, hit[1]))
    return found


def test_heading_candidates_are_those_of_reading_every_line() -> None:
    from extract.sections import _candidates

    samples = _samples(7, 3000)
    samples += ["\n".join(s.split("\n")[::-1]) for s in samples[-5:]]  # the seeds, reordered
    for sample in samples:
        for text in (sample, sample.rstrip("\n"), sample + "\n\n"):
            assert _candidates(text) == _candidates_line_by_line(text), text[:200]


@pytest.mark.parametrize(
    ("head", "issuer"),
    [
        pytest.param(
            "根据《中华人民共和国政府信息公开条例》规定和省政府办公厅政务公开办公室《关于切实"
            "做好2023年政府信息公开工作年度报告编制发布工作的通知》要求,现发布《某某省民政厅"
            "2023年政府信息公开工作年度报告》。\n一、总体情况\n",
            "某某省民政厅",
            id="own-title-after-a-cited-notice-in-one-sentence",
        ),
        pytest.param(
            "您当前所在位置:首页\n\n> 政务公开 > 年报\n\n  • 信息索引号:\n\n    1133/2021-9\n\n"
            "  • 主题分类:\n\n  • 信息名称:\n\n    2020年青石乡政府信息公开工作年度报告\n\n"
            "  • 发布机构:\n\n    青石乡\n\n一、总体情况\n形成上下联动的工作格局。\n",
            "青石乡人民政府",
            id="place-title-below-a-page-s-navigation",
        ),
        pytest.param(
            "2019年某某市生态环境局按照《条例》要求,加大信息公开力度。\n",
            "某某市生态环境局",
            id="a-year-before-the-name",
        ),
        pytest.param(
            "全区以青山区人民政府门户网站为第一平台,推进公开。\n",
            "青山区人民政府",
            id="clause-words-inside-a-sentence",
        ),
        pytest.param(
            "认真做好某某市卫生健康局2022年政府信息公开工作年度报告编制工作。\n",
            "某某市卫生健康局",
            id="a-verb-before-the-title",
        ),
        pytest.param(
            "根据《条例》的相关规定,现公布某某市青山区凤凰街道2024年度政府信息公开工作年度"
            "报告。\n一、总体情况\n",
            "某某市青山区凤凰街道办事处",
            id="a-place-title-inside-a-sentence",
        ),
        pytest.param(
            "本报告由某某区人民政府红花街道办事处办公室根据《条例》编制。\n",
            "某某区人民政府红花街道办事处",
            id="compiled-by-a-street-office-s-own-office",
        ),
        pytest.param(
            "会同县高椅乡人民政府2025年政府信息公开工作年度报告\n",
            "会同县高椅乡人民政府",
            id="a-place-whose-name-is-also-a-word",
        ),
        pytest.param(
            "现公开区人民政府办公室2024年政府信息公开工作年度报告。如有疑问,请与某某市"
            "青山区人民政府办公室联系。\n",
            "某某市青山区人民政府办公室",
            id="a-name-that-starts-at-its-level-completed-from-the-report",
        ),
        pytest.param(
            "根据《通知》要求,结合某某市商务局2023年政府信息公开工作实际,编制本报告。\n",
            "某某市商务局",
            id="a-connector-before-the-name",
        ),
        pytest.param(
            "本报告全文包括青山县红花镇人民政府信息公开总体情况、主动公开政府信息情况。\n",
            "青山县红花镇人民政府",
            id="a-verb-of-the-report-s-contents-before-the-name",
        ),
        pytest.param(
            "如有疑问,请联系:中国(某某)自由贸易试验区青山片区管理委员会。\n",
            "自由贸易试验区青山片区管理委员会",
            id="a-clause-word-inside-a-word-of-the-name",
        ),
        pytest.param(
            "2022年,在区委领导下,广东从化经济开发区管理委员会认真贯彻执行《条例》。\n",
            "广东从化经济开发区管理委员会",
            id="a-place-that-holds-a-clause-word",
        ),
        pytest.param(
            "2023年,会同县人民政府认真贯彻《条例》。\n",
            "会同县人民政府",
            id="trap-a-connector-that-is-also-a-place",
        ),
        pytest.param(
            "本溪市2021年政府信息公开工作年度报告\n",
            "本溪市人民政府",
            id="trap-a-place-that-starts-like-a-pronoun",
        ),
        pytest.param(
            "根据《条例》的规定,现发布某某市青山区数据局2025年度信息公开报告。\n",
            "某某市青山区数据局",
            id="a-clause-word-inside-a-kind-of-body",
        ),
        pytest.param(
            "2021年,周至县人民政府办公室围绕省、市的要求,推进公开。\n",
            "周至县人民政府办公室",
            id="a-clause-word-inside-a-place",
        ),
        pytest.param(
            "根据《条例》的有关规定,现向社会公布2024年兴和县政府信息公开工作年度报告。\n",
            "兴和县人民政府",
            id="a-place-title-inside-a-sentence-year-first",
        ),
        pytest.param(
            "如对本报告有任何疑问,请与青山县政务公开办公室联系。\n一、总体情况\n"
            "2022年,青山县人民政府办公室认真贯彻落实有关部署。\n",
            "青山县人民政府办公室",
            id="the-body-at-work-before-the-office-to-contact",
        ),
        pytest.param(
            "如对本年度报告有疑问,请与某某市发展和改革委员会联系。\n"
            "本年度市发改委公开信息120条。\n",
            "某某市发展和改革委员会",
            id="the-office-to-contact-when-no-other-is-at-work",
        ),
        pytest.param(
            "西城区红花街道2025年政府信息公开工作年度报告\n一、总体情况\n"
            "公开《北京市西城区人民政府红花街道办事处关于印发工作要点的通知》。\n",
            "北京市西城区人民政府红花街道办事处",
            id="a-street-office-under-its-district-s-government",
        ),
        pytest.param(
            "2021年,青山古镇景区管委会认真贯彻落实《条例》。\n",
            "青山古镇景区管委会",
            id="a-name-that-goes-on-past-the-shortest-suffix",
        ),
        pytest.param(
            "一、总体情况\n2019年,在区委领导下,某某市东城区人民政府红花街道办事处推进公开。\n",
            "某某市东城区人民政府红花街道办事处",
            id="a-district-government-then-its-street-office",
        ),
        pytest.param(
            "现发布《某某市市场监管局2022年政府信息公开工作年度报告》。如有疑问,请联系"
            "某某市市场监督管理局办公室。\n",
            "某某市市场监督管理局",
            id="a-shortened-kind-the-report-also-writes-in-full",
        ),
        pytest.param(
            "现发布《某某市市场监管局2022年政府信息公开工作年度报告》。\n",
            "某某市市场监管局",
            id="trap-a-shortened-kind-never-written-in-full",
        ),
        pytest.param(
            "一、总体情况\n2021年,红花街道认真贯彻落实区委部署。公开《某某市青山区人民政府红花"
            "街道办事处关于印发要点的通知》。\n",
            "某某市青山区人民政府红花街道办事处",
            id="a-place-at-work-whose-body-the-report-names",
        ),
        pytest.param(
            "现公布2020年青山区政府办政府信息公开工作年度报告。\n一、总体情况\n印发《某某市"
            "青山区人民政府办公室关于公开工作要点的通知》。\n",
            "某某市青山区人民政府办公室",
            id="a-government-s-office-shortened-in-the-title",
        ),
        pytest.param(
            "发布机构 县政府办公室 公文时效 有效\n县政府办2022年度政府信息公开工作年度报告\n",
            None,
            id="trap-a-page-field-glued-to-a-generic-title",
        ),
        pytest.param(
            "本年度报告电子版可以从某某市人民政府门户网站下载,如有疑问,请与某某市应急管理局联系。"
            "\n一、总体情况\n2025年,我局认真贯彻《条例》。\n",
            "某某市应急管理局",
            id="a-department-s-report-on-its-government-s-website",
        ),
        pytest.param(
            "本年度报告电子版可在某某县人民政府门户网站下载,如有疑问,请与某某县人民政府办公室"
            "联系。\n",
            "某某县人民政府",
            id="trap-a-government-s-report-and-its-own-office-to-contact",
        ),
        pytest.param(
            "青山州人民政府(州政府办公室)2024年政府信息公开工作年度报告\n",
            "青山州人民政府(州政府办公室)",
            id="a-name-with-its-other-name-in-brackets",
        ),
        pytest.param(
            "现公布某某市青山区人民政府办公室(以下简称区政府办公室)2022年政府信息公开工作年度报告。\n",
            "某某市青山区人民政府办公室",
            id="trap-a-short-name-the-report-defines-is-no-other-name",
        ),
        pytest.param(
            "一、总体情况\n2021年,青山区以习近平新时代中国特色社会主义思想为指导,推进公开。\n"
            "印发《某某市青山区人民政府办公室关于编制目录的通知》。\n",
            "某某市青山区人民政府",
            id="a-place-at-work-under-the-usual-opening",
        ),
    ],
)
def test_issuer_past_the_clutter_of_real_pages(head: str, issuer: str | None) -> None:
    assert find_issuer(head) == issuer


@pytest.mark.parametrize(
    "head",
    [
        pytest.param(
            "本年度报告根据条例编制。\n一、总体情况\n2022年,县政府办公室全面贯彻落实要点。\n"
            "如有疑问,请与政务公开办公室联系。\n",
            id="only-generic-offices",
        ),
        pytest.param(
            "根据《某某省人民政府办公厅关于做好政务公开工作的通知》要求,我们扎实推进工作。\n",
            id="only-a-cited-document-s-author",
        ),
        pytest.param(
            "紧紧围绕市委市政府中心工作,形成上下联动的工作格局。地址:文化路88号政务中心"
            "二楼办公室。\n",
            id="a-task-a-pattern-an-address",
        ),
        pytest.param(
            "认真落实自治区和市委关于政务公开的部署,打造一图一播一厅解读矩阵。\n",
            id="two-bodies-joined-and-a-slogan",
        ),
        pytest.param(
            "本街道2021年政府信息公开工作年度报告\n一、总体情况\n",
            id="the-report-s-own-place-by-a-pronoun",
        ),
        pytest.param(
            "2021年,红花街道认真贯彻落实区委、区政府的部署。\n",
            id="a-place-and-its-verbs-are-no-name",
        ),
        pytest.param(
            "统筹线上渠道,联动街道社区事务受理服务中心等线下查阅点。会同市林业局开展清理。\n",
            id="a-connector-before-a-name-without-a-place",
        ),
        pytest.param(
            "坚决贯彻党中央和自治区党委的决策部署。\n",
            id="a-body-joined-to-the-one-before",
        ),
        pytest.param(
            "本年度市发改委公开信息120条。\n",
            id="a-generic-name-after-the-year-of-its-sentence",
        ),
        pytest.param(
            "本报告根据2021年某某市各开发区管委会、各区县(市)政府信息公开年度报告编制。\n",
            id="many-bodies-at-once",
        ),
    ],
)
def test_no_issuer_rather_than_a_name_that_says_no_body(head: str) -> None:
    # Better null (the record says "not found") than a generic office, a superior body the
    # report cites, or words that merely end like a body's name.
    assert find_issuer(head) is None
