"""The rules engine on the seeds (scored by the harness) and on phrasings the seeds lack."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, seed_path

from extract import extract_text
from extract.evaluation.runner import evaluate, run_records
from extract.evaluation.runner import load_golds as _load
from extract.pipeline import Options, extract_file
from extract.sections import narrative_spans, split_sections


def test_seed_scores_meet_the_bar() -> None:
    golds, _ = _load(FIXTURES)
    result = evaluate(FIXTURES, run_records(golds, FIXTURES, Options()))
    summary = result.summary
    assert summary.micro.f1 >= 0.9
    assert summary.grounding == 1.0


def test_offsets_frame_the_evidence(doc_id: str) -> None:
    record, text = extract_file(seed_path(doc_id))
    assert record.facts
    for fact in record.facts:
        assert text[fact.start : fact.end] == fact.evidence
        assert len(fact.evidence) <= 60


def _facts(sentence: str) -> set[tuple[str, float, bool]]:
    text = f"一、总体情况\n{sentence}\n五、存在的主要问题及改进情况\n无。\n"
    return {(f.field, f.value, f.approximate) for f in extract_text(text).facts}


# Phrasings of the genre written for these tests: verbs, measure words, numerals before or
# after the noun, Chinese numerals and approximations the seeds do not use.
CASES = [
    ("全年组织开展政务公开专题培训4期,覆盖各部门工作人员200余人次。", {("trainings", 4, False)}),
    ("先后举办业务培训班两期。", {("trainings", 2, False)}),
    # A training held in the clause after one attended is a training.
    (
        "参加市级专题培训1次,组织全区各单位开展政务公开业务培训4次。",
        {("trainings", 4, False)},
    ),
    ("开展了十二场政府开放日活动,邀请群众代表360余人次参加。", {("open_day_events", 12, False)}),
    ("组织“政府开放日”活动近百场。", {("open_day_events", 100, True)}),
    (
        "共关停整合政务新媒体账号15个,现有政务新媒体账号48个。",
        {("new_media_accounts_closed", 15, False), ("new_media_accounts", 48, False)},
    ),
    (
        "全年共主动公开政府信息1.2万条,其中政策文件560条。",
        {("disclosed_items_total", 12000, False)},
    ),
    ("发布政策解读材料86篇。", {("policy_interpretations", 86, False)}),
    ("邀请利益相关方、公众代表等列席县政府常务会议6次。", {("meeting_attendance", 6, False)}),
    (
        "全年共承办市人大代表建议38件、市政协委员提案52件。",
        {("npc_suggestions", 38, False), ("cppcc_proposals", 52, False)},
    ),
    ("办理人大代表建议和政协委员提案共计90件。", {("suggestions_proposals_combined", 90, False)}),
    ("编印《政府公报》6期。", {("gazette_issues", 6, False)}),
    ("受理网民留言1,024条,办结率100%。", {("public_messages_handled", 1024, False)}),
    ("本年度共收到政府信息公开申请136件,同比增长12.5%。", {("applications_received", 136, False)}),
    (
        "全年发生政府信息公开行政复议案件3件、行政诉讼案件1件。",
        {("reconsideration_cases", 3, False), ("litigation_cases", 1, False)},
    ),
    ("本年度未收取任何信息处理费。", {("processing_fees_yuan", 0, False)}),
    ("全年共收取信息处理费200元。", {("processing_fees_yuan", 200, False)}),
    ("全年主动公开政府信息3.2万余条。", {("disclosed_items_total", 32000, True)}),
    ("全年举办业务培训10次以上。", {("trainings", 10, True)}),
    ("开展政府开放日活动20场左右。", {("open_day_events", 20, True)}),
    ("组织开展“政府开放日”活动共计15场。", {("open_day_events", 15, False)}),
    ("开展政务公开培训5场次,培训人员300余人次。", {("trainings", 5, False)}),
    ("共清理关停“僵尸”账号、“空壳”账号5个。", {("new_media_accounts_closed", 5, False)}),
    ("共受理依申请公开86件。", {("applications_received", 86, False)}),
    ("发生政府信息公开行政复议1起。", {("reconsideration_cases", 1, False)}),
    (
        "未发生因政府信息公开引起的行政复议、行政诉讼。",
        {("reconsideration_cases", 0, False), ("litigation_cases", 0, False)},
    ),
    ("未收到政府信息公开申请。", {("applications_received", 0, False)}),
    ("年内共编印《区政府公报》四期。", {("gazette_issues", 4, False)}),
    ("市长信箱共收到群众来信860封,办结率100%。", {("public_messages_handled", 860, False)}),
    (
        "共承办省、市人大代表建议16件,政协提案22件。",
        {("npc_suggestions", 16, False), ("cppcc_proposals", 22, False)},
    ),
    ("全区共有政务新媒体账号35个,其中微信公众号20个。", {("new_media_accounts", 35, False)}),
    (
        "办理建议提案共计150件,其中人大代表建议80件,政协提案70件。",
        {
            ("suggestions_proposals_combined", 150, False),
            ("npc_suggestions", 80, False),
            ("cppcc_proposals", 70, False),
        },
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:12] for c in CASES])
def test_phrasings(sentence: str, expected: set[tuple[str, float, bool]]) -> None:
    assert _facts(sentence) == expected


NOT_FACTS = [
    "同比增加75.1%,较2022年增长53.9%。",  # percentages and years
    "2名市民代表列席区政府第47次常务会议。",  # people and an ordinal
    "按照《通知》(国办公开办函〔2021〕30号)要求,联系电话:0539-8246639。",
    "对全区25个单位开展点对点的短期培训。",  # units trained, not trainings
    "召开区政协十六届三次会议。",  # a session's name
    "按照超出10件部分收取100元/件标准。",  # a rate
    "邀请市民代表等列席区政府常务会议45人次。",  # people, not meetings
    "下一步,计划开展政务公开培训3次。",  # a plan, not what was done
    # Trainings attended, however long the name, and the later items of a list of them.
    "年内参加省人民政府办公厅政务公开工作专题培训2次、市级政务公开业务培训1次。",
    "积极参加省、市组织的政务公开业务培训3期。",
    # A form to fill in, pasted with a notice: its blanks are no report of what happened.
    "未接收过依申请公开的部门,请在邮件标题中写明“(单位名称)依申请公开0件”,不用再报附件1。",
    "请按“XX单位2024年度收到政府信息公开申请12件”的格式填报。",
]


@pytest.mark.parametrize("sentence", NOT_FACTS, ids=[s[:10] for s in NOT_FACTS])
def test_numbers_that_are_not_facts(sentence: str) -> None:
    assert _facts(sentence) == set()


def test_breakdowns_after_qizhong_are_not_labelled() -> None:
    facts = _facts("全年共主动公开政府信息3000条,其中通过政府网站公开政府信息1800条。")
    assert facts == {("disclosed_items_total", 3000, False)}


# Lists under the disclosed total, decided by arithmetic (docs/facts.md, labelling decisions):
# items in the total's unit that add up to it exactly are its breakdown, and no item of it is
# a fact of another field; a list that does not add up leaves a count of something else
# labelled. Phrasings written for these tests after the genre's lists.
TOTAL = ("disclosed_items_total", 600, False)
SUM_CASES = [
    # 420+147+33 = 600: the messages answered are one kind of the items published.
    ("全年通过门户网站发布信息600条,其中工作动态420条,通知公告147条,答复网民留言33条。", {TOTAL}),
    # 420+140+33 = 593: no breakdown, and the messages count something else.
    (
        "全年通过门户网站发布信息600条,其中工作动态420条,通知公告140条,答复网民留言33条。",
        {TOTAL, ("public_messages_handled", 33, False)},
    ),
    # An approximate total whose items fall short of it (420+140+33 = 593 < 600余): no
    # breakdown, the messages are labelled.
    (
        "全年主动公开政府信息600余条,其中工作动态420条,通知公告140条,答复网民留言33条。",
        {("disclosed_items_total", 600, True), ("public_messages_handled", 33, False)},
    ),
    # … items that add up to a value it allows (420+150+33 = 603, in 600余) are its
    # breakdown, a list of page columns with no 其中 too (91+…+2 = 253, in 250余).
    (
        "全年主动公开政府信息600余条,其中工作动态420条,通知公告150条,答复网民留言33条。",
        {("disclosed_items_total", 600, True)},
    ),
    (
        "2022年公开政府信息250余条,工作动态91条、通知公告23条、政府文件8条、人事信息7条、"
        "财政信息10条、土地利用13条、农业农村13条、脱贫攻坚7条、社会救助36条、人口计生7条、"
        "政府工作报告3条、政策解读10条、回应关切16条、领导简介1条、机构设置1条、"
        "依申请公开2条、政民互动5条。",
        {("disclosed_items_total", 250, True)},
    ),
    # A rounded summary detailed in a later paragraph, by channel (1500+30020 = 31520, in
    # 3万余): the channel's own total is one of the parts.
    (
        "全年主动公开各类信息3万余条。\n(一)主动公开情况。\n通过局网站发布工作动态、通知公告"
        "等各类信息合计1500条;通过采购网公开政府采购信息30020条。",
        {("disclosed_items_total", 30000, True)},
    ),
    # … but a channel's count with nothing it adds up with stands (1500 alone is no list),
    # and a total only "about" so much (约) has no breakdown by arithmetic.
    (
        "全年主动公开各类信息3万余条。\n(一)主动公开情况。\n通过局网站发布工作动态、通知公告"
        "等各类信息合计1500条。",
        {("disclosed_items_total", 30000, True), ("disclosed_items_total", 1500, False)},
    ),
    (
        "全年主动公开政府信息约600条,其中工作动态420条,通知公告150条,答复网民留言33条。",
        {("disclosed_items_total", 600, True), ("public_messages_handled", 33, False)},
    ),
    # No 其中, the list in the next sentence: 52+2167+541+175+7 = 2942.
    (
        "全年主动公开政府信息2942条。通过门户网站公开政府信息52条,其他信息2167条,"
        "微博发布信息541条,微信公众号公开政府信息175条,发布政策解读信息7条。",
        {("disclosed_items_total", 2942, False)},
    ),
    # No 其中 and 100+25 ≠ 120: no breakdown, the interpretations are labelled.
    (
        "全年主动公开政府信息120条。网站发布工作动态100条,发布政策解读信息25条。",
        {("disclosed_items_total", 120, False), ("policy_interpretations", 25, False)},
    ),
    # 条次 adds up with 条 …
    (
        "全年主动公开政府信息120条次。网站发布工作动态100条次,发布政策解读信息20条。",
        {("disclosed_items_total", 120, False)},
    ),
    # … a count in 篇 does not: 100 alone is not 120.
    (
        "全年主动公开政府信息120条。网站发布工作动态100条,发布政策解读20篇。",
        {("disclosed_items_total", 120, False), ("policy_interpretations", 20, False)},
    ),
    # The list adds up at 2084 (3683+2084 = 5767): its 其中 governs nothing after it.
    (
        "全年主动公开政府信息5767条,其中重点领域信息3683条,其他信息2084条,主动公开文件597份,"
        "发布政策解读14篇。",
        {("disclosed_items_total", 5767, False), ("policy_interpretations", 14, False)},
    ),
    (
        "全年主动公开政府信息600条,其中工作动态420条,通知公告180条。另发布政策解读信息30条,"
        "答复网民留言12条。",
        {
            TOTAL,
            ("policy_interpretations", 30, False),
            ("public_messages_handled", 12, False),
        },
    ),
    # A 其中 list that does not add up (1364+524+78 ≠ 3553): the interpretation count is a
    # kind of the items, verb or not; the gazette issues and the letters count other things.
    (
        "门户网站共发布信息3553条,其中政务动态信息1364条,主动发布政策文件等信息524条,"
        "发布政策解读信息78条,公开政府公报6期,县长信箱收到信件238件。",
        {
            ("disclosed_items_total", 3553, False),
            ("gazette_issues", 6, False),
            ("public_messages_handled", 238, False),
        },
    ),
    # Parts by scope are labelled, adding up or not.
    (
        "全市各级政府及部门主动公开政府信息99031条。其中:市政府及本级部门主动公开政府信息"
        "33250条,县(区)政府及所属部门主动公开政府信息65781条。",
        {
            ("disclosed_items_total", 99031, False),
            ("disclosed_items_total", 33250, False),
            ("disclosed_items_total", 65781, False),
        },
    ),
    # Replies to suggestions and proposals as one kind of the information published.
    (
        "全年主动公开政府信息文件600件,其中公文类信息200件,对人大代表建议、政协提案办理答复"
        "12件,办理人大代表建议答复5件。",
        {("disclosed_items_total", 600, False)},
    ),
    # Only the disclosed total breaks down so: 80+70 = 150 and all three are labelled.
    (
        "办理建议提案共计150件,其中人大代表建议80件,政协提案70件。",
        {
            ("suggestions_proposals_combined", 150, False),
            ("npc_suggestions", 80, False),
            ("cppcc_proposals", 70, False),
        },
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), SUM_CASES, ids=[c[0][-14:] for c in SUM_CASES])
def test_lists_that_add_up_to_the_disclosed_total(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected


def test_a_list_adds_up_in_the_total_unit_only_and_within_bounds() -> None:
    from extract.facts.mentions import find_mentions
    from extract.facts.rules import _family, _sum_list

    families = [_family(u) for u in ("条次", "件次", "次", "篇")]
    assert families == ["条", "件", "次", "篇"]
    text = "信息100条,动态60条,期刊2期,公告40条,留言5条\n下段信息100条"
    mentions = find_mentions(text, 0, len(text))
    assert _sum_list(text, mentions, 0) == 3  # 60+40, the 2期 passed over
    text = "信息100条,动态60条,公告50条\n下段信息40条"  # past the total, and a new paragraph
    mentions = find_mentions(text, 0, len(text))
    assert _sum_list(text, mentions, 0) is None
    text = "信息100条,动态100条"  # one item is a restatement, not a list
    assert _sum_list(text, find_mentions(text, 0, len(text)), 0) is None
    # An approximate total: the list runs to the last item of the paragraph where the sum
    # first reaches it, and no further (the next paragraph's 3条 is not in it).
    text = "信息250余条\n动态200条,公告50条,留言5条\n信息3条"
    assert _sum_list(text, find_mentions(text, 0, len(text)), 0) == 3


def test_the_values_an_approximate_total_allows() -> None:
    from extract.facts.mentions import find_mentions
    from extract.facts.rules import _range

    def allowed(written: str) -> tuple[float, float] | None:
        text = f"信息{written},"
        return _range(text, find_mentions(text, 0, len(text))[0])

    assert allowed("250余条") == (250, 259)
    assert allowed("6万余条") == (60000, 69999)
    assert allowed("1.5万余条") == (15000, 15999)
    assert allowed("100多条") == (100, 199)
    assert allowed("600条") == (600, 600)
    assert allowed("约600条") is None  # about so much: it may be more or less
    assert allowed("近600条") is None


# Phrasing classes of batches k and l (docs/facts.md, labelling decisions), written for
# these tests: the engine's rule for each, and the traps beside it.
CLASS_CASES = [
    # A plan word inside a quoted column name is a name, not a plan: the total stands and
    # its quoted columns (3+20+15 = 40) are its breakdown.
    (
        "主动公开政府信息40件(其中,“规划计划”5件,“工作动态”20件,“应主动公开的其他信息”15件)。",
        {("disclosed_items_total", 40, False)},
    ),
    ("下一步,计划在“政策解读”专栏发布解读材料5篇。", set()),  # a plan outside the quotes
    # A count right after 和 counts what follows it …
    (
        "组织各级政府网站和45个政务新媒体转载重要信息。",
        {("new_media_accounts", 45, False)},
    ),
    ("发布政务公开信息和12篇政策解读材料。", {("policy_interpretations", 12, False)}),
    # … never what came before the 和 (the trap of the old veto, still none).
    ("提交一份政策解读材料和一份工作总结。", set()),
    # Accounts by their head noun: accounts inspected are accounts; 政务新媒体 as the channel of
    # a count in 条 counts items, and the departments that run accounts are departments.
    ("对全区45个政务新媒体账号开展检查。", {("new_media_accounts", 45, False)}),
    ("通过政务新媒体发布信息36条。", set()),
    ("督促本级和12个政务新媒体主管单位整改。", set()),
    # All government information as the second item after one verb, beside a news count.
    (
        "全年共发布各类新闻信息1247条、各类政务信息1.5万余条。",
        {("disclosed_items_total", 15000, True)},
    ),
    # … a kind of information in that place is still a list item, not a total.
    ("全年共发布工作动态1247条、财政信息36条。", set()),
    # Online interviews are never interpretations, 解读 in the programme's name or not.
    ("参加“改革政策e解读”等在线访谈2场。", set()),
    ("开展政策解读在线访谈3期,发布解读稿件12篇。", {("policy_interpretations", 12, False)}),
    # The statute's "公民、法人或者其他组织" between the verb and the application.
    (
        "本年度未收到个人、法人或者其他组织向本机关申请公开政府信息。",
        {("applications_received", 0, False)},
    ),
    (
        "本年度未收到公民、法人和其他组织提出的政府信息公开申请。",
        {("applications_received", 0, False)},
    ),
    # Applications handled by channel with no count received: each is labelled …
    (
        "全年办理政府信息公开网上申请3件、纸质申请6件。",
        {("applications_received", 3, False), ("applications_received", 6, False)},
    ),
    # … beside a count received they are its parts.
    (
        "全年共收到政府信息公开申请9件,网上申请3件、纸质申请6件。",
        {("applications_received", 9, False)},
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), CLASS_CASES, ids=[c[0][:14] for c in CLASS_CASES]
)
def test_phrasing_classes_of_batches_k_and_l(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected


# Phrasing classes of batches m and n (docs/facts.md, labelling decisions), written for
# these tests: the engine's rule for each, and the traps beside it.
MN_CASES = [
    # A list of kinds closed by 等 and the generic noun (政务信息, 政府信息) is the total; a kind
    # in the list (政策解读) names one of its parts, not what the number counts.
    (
        "全年共发布常务会议、政策解读、项目建设、财政预决算等政务信息2360条。",
        {("disclosed_items_total", 2360, False)},
    ),
    (
        "主动公开人事任免、政策解读、重大项目等政府信息518条。",
        {("disclosed_items_total", 518, False)},
    ),
    # … the trap: a list of kinds ending in one kind is still that kind.
    ("发布会议纪要、政策解读等解读材料12篇。", {("policy_interpretations", 12, False)}),
    # Information sent (报送) is published when sent to the portal; sent to an internal
    # platform or a newspaper it is not.
    (
        "全年向市政务信息平台报送信息120条、向市政府门户网站报送信息48条。",
        {("disclosed_items_total", 48, False)},
    ),
    ("向省委办公厅报送政务信息35条。", set()),
    ("向市日报社报送各类信息61条。", set()),
    # A channel's count in a list opening with 其中 after the total's sentence is a part by
    # channel (the list need not add up) …
    (
        "全年主动公开政府信息1260条。其中,政府门户网站主动公开830条,政务服务平台主动公开95条,"
        "政务微信发布300条。",
        {("disclosed_items_total", 1260, False)},
    ),
    # … while a body's own total there is labelled beside the overall one.
    (
        "全市主动公开政府信息5200条。其中,市级部门主动公开政府信息2000条,各县区主动公开3100条。",
        {
            ("disclosed_items_total", 5200, False),
            ("disclosed_items_total", 2000, False),
            ("disclosed_items_total", 3100, False),
        },
    ),
    # The statutory information under a count of everything published is labelled too …
    (
        "全年通过门户网站发布各类信息640条,其中法定主动公开信息210条,工作动态信息400条。",
        {("disclosed_items_total", 640, False), ("disclosed_items_total", 210, False)},
    ),
    # … another kind of information there is a part.
    (
        "全年通过门户网站发布各类信息640条,其中工作动态信息400条。",
        {("disclosed_items_total", 640, False)},
    ),
    # A count over a campaign's period is that campaign's, not the year's total …
    ("巡视整改期间,通过门户网站主动公开整改信息120余条。", set()),
    # … the reporting period is the year.
    ("报告期间,通过门户网站主动公开政府信息860条。", {("disclosed_items_total", 860, False)}),
    # A list opened by 其中 after the total runs on through semicolons: an interpretation
    # count there is one of its parts; a count in another unit riding on it stands.
    (
        "通过门户网站发布政府信息1200条,其中工作动态860条、概况信息40条;开设专栏6个;"
        "发布政府公报4期、政策解读15篇。",
        {("disclosed_items_total", 1200, False), ("gazette_issues", 4, False)},
    ),
    # … a sentence whose first clause holds no count says something of its own.
    (
        "通过门户网站发布政府信息1200条,其中工作动态860条、概况信息40条;围绕中心工作等多个"
        "方面,发布政策解读15篇。",
        {("disclosed_items_total", 1200, False), ("policy_interpretations", 15, False)},
    ),
    # A number before a noun phrase counts its head noun: handling reports are no suggestions …
    (
        "收到政府信息公开申请20件。年内公开35件人大代表建议、政协提案办理情况。",
        {("applications_received", 20, False)},
    ),
    # … while the suggestions and proposals handled are.
    (
        "年内办理人大代表建议35件、政协提案20件。",
        {("npc_suggestions", 35, False), ("cppcc_proposals", 20, False)},
    ),
    # Cases still pending and cases carried over are sub-counts; 起诉案件 is a suit.
    (
        "收到政府信息公开申请20件。政府信息公开行政复议案件4件,结果维持2件,正在复议2件;"
        "起诉案件2件,正在审理中;结转起诉案件1件,结果维持。",
        {
            ("applications_received", 20, False),
            ("reconsideration_cases", 4, False),
            ("litigation_cases", 2, False),
        },
    ),
    # … a note on the year's count is not a sub-count.
    (
        "收到政府信息公开申请20件,发生行政复议1件(正在审理中)。",
        {("applications_received", 20, False), ("reconsideration_cases", 1, False)},
    ),
    # Documents whose next clause says each was interpreted, after 并 or with 公示 …
    ("印发规范性文件3件,并同步进行政策解读。", {("policy_interpretations", 3, False)}),
    ("制定政策性文件5个,均同步公示了解读材料。", {("policy_interpretations", 5, False)}),
    # … and a next clause about something else.
    ("印发规范性文件3件,并同步报送备案。", set()),
]


@pytest.mark.parametrize(("sentence", "expected"), MN_CASES, ids=[c[0][:14] for c in MN_CASES])
def test_phrasing_classes_of_batches_m_and_n(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected


def test_rules_are_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from extract.facts.rules import load_rules

    custom = tmp_path / "rules.toml"
    custom.write_text('[fields.gazette_issues]\nunits = ["期"]\nstrong = ["简报"]\n', "utf-8")
    rules = load_rules(str(custom))
    assert [r.field for r in rules] == ["gazette_issues"]
    bad = tmp_path / "bad.toml"
    bad.write_text('[fields.nonsense]\nunits = ["个"]\n', "utf-8")
    with pytest.raises(ValueError, match="unknown fields"):
        load_rules(str(bad))


# Explicit "none" statements in the wordings reports use, each a 0 for every field it names
# (docs/facts.md: 未收到…申请, 未发生…行政复议、行政诉讼, no fee in any form).
ZERO_CASES = [
    ("本年度本局未接收到依申请公开事项。", {("applications_received", 0, False)}),
    ("全年没有收到任何公民要求公开政府信息的申请。", {("applications_received", 0, False)}),
    ("2021年本镇未受理政府信息公开申请。", {("applications_received", 0, False)}),
    (
        "本年度无因政府信息公开申请而提起的行政复议、行政诉讼。",
        {("reconsideration_cases", 0, False), ("litigation_cases", 0, False)},
    ),
    (
        "全年未出现因政府信息公开工作被申请行政复议或提起行政诉讼的情况。",
        {("reconsideration_cases", 0, False), ("litigation_cases", 0, False)},
    ),
    ("本单位政府信息公开工作未引发相关诉讼。", {("litigation_cases", 0, False)}),
    (
        "涉及政府信息公开的行政复议和行政诉讼均为0件。",
        {("reconsideration_cases", 0, False), ("litigation_cases", 0, False)},
    ),
    ("办理依申请公开过程中不收取任何费用。", {("processing_fees_yuan", 0, False)}),
    ("本机关政府信息公开工作无收费情况。", {("processing_fees_yuan", 0, False)}),
    ("未向政府信息公开申请人收取信息处理费用。", {("processing_fees_yuan", 0, False)}),
    ("向依申请公开申请人收取费用为0元。", {("processing_fees_yuan", 0, False)}),
    # 复议 without 行政, a negated "一起", a slogan of zero cases.
    (
        "本年度政府信息公开工作未发生一起复议或诉讼案件。",
        {("reconsideration_cases", 0, False), ("litigation_cases", 0, False)},
    ),
    (
        "政府信息公开工作连续三年实现“零复议、零诉讼”。",
        {("reconsideration_cases", 0, False), ("litigation_cases", 0, False)},
    ),
    (
        "因政府信息公开引起的复议、诉讼案件均为零。",
        {("reconsideration_cases", 0, False), ("litigation_cases", 0, False)},
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), ZERO_CASES, ids=[c[0][:12] for c in ZERO_CASES])
def test_explicit_zero_statements(sentence: str, expected: set[tuple[str, float, bool]]) -> None:
    assert _facts(sentence) == expected


NOT_ZERO = [
    "未发生被行政复议纠错或诉讼败诉情况。",  # none corrected: says nothing of how many
    "依申请公开工作中不存在行政复议、行政诉讼被纠错的情况。",
    "未收到申请人对答复结果的投诉。",  # applicants, not applications
    "请未受理过政府信息公开申请的单位报送零报告。",  # describes other bodies
    "未接收过依申请\n公开的部门,请在标题中注明。",  # the same, wrapped over two lines
    "会议无需收取任何场地费用。",  # a fee, but not about information disclosure
    "未收到针对本机关的行政复议申请。",  # not about disclosure at all
    "政府信息公开行政诉讼中未经复议直接起诉的案件占多数。",  # a kind of suit, not none
]


@pytest.mark.parametrize("sentence", NOT_ZERO, ids=[s[:10] for s in NOT_ZERO])
def test_statements_that_are_not_zero(sentence: str) -> None:
    assert _facts(sentence) == set()


# The total of disclosed information said with other verbs and units, and the channel counts
# that are not the total (docs/facts.md, disclosed_items_total).
DISCLOSED_CASES = [
    ("全年通过区政府门户网站公开各类政务信息共计856条。", {("disclosed_items_total", 856, False)}),
    ("依托政府网站、政务微信等平台发布政府信息2,310条。", {("disclosed_items_total", 2310, False)}),
    ("通过镇政府网站主动公开各类信息90余件。", {("disclosed_items_total", 90, True)}),
    ("主动公开镇政府(含镇政府办公室)各类信息1200条。", {("disclosed_items_total", 1200, False)}),
    (
        "县政府网站主动公开信息560条,指导全县各部门公开信息3.1万余条。",
        {("disclosed_items_total", 560, False), ("disclosed_items_total", 31000, True)},
    ),
    ("通过微信公众号、宣传栏等形式共主动公开信息86条。", {("disclosed_items_total", 86, False)}),
    (
        "全年主动公开政府信息1500条,主动公开各类文件60份。",
        {("disclosed_items_total", 1500, False)},
    ),
    (
        "通过门户网站发布信息300条,政务微博发布信息150条。",
        {("disclosed_items_total", 300, False)},
    ),
    # A list of kinds closed by 等 right before the count, the information with a total word.
    (
        "镇政府公开年度预算、项目招标公告、人事任免等48条。",
        {("disclosed_items_total", 48, False)},
    ),
    (
        "主动公开规范性文件、政策解读、工作动态等内容260余条。",
        {("disclosed_items_total", 260, True)},
    ),
    (
        "依托门户网站发布通知公告、财政资金、民生实事等各方面政务信息合计1,315条。",
        {("disclosed_items_total", 1315, False)},
    ),
    ("通过报纸、网站和公众号刊发各类信息90多篇。", {("disclosed_items_total", 90, True)}),
    ("镇政府网站全年共更新信息640条。", {("disclosed_items_total", 640, False)}),
    # 份/件 of documents beside a count in 条, both said with a weak verb: 条 is the total.
    (
        "本年度共公开政府信息800条,公开政府文件120份。",
        {("disclosed_items_total", 800, False)},
    ),
    # A list of kinds of any length closed by 等 and "every kind"/"aspects" of information.
    (
        "镇政府通过网站发布财政预决算、招投标公告、政策解读、人大代表建议政协委员提案"
        "办理结果等各类政府信息600余条。",
        {("disclosed_items_total", 600, True)},
    ),
    (
        "全年主动公开涉及乡村振兴、教育医疗、社会保障、住房保障、生态环境保护等方面信息318条。",
        {("disclosed_items_total", 318, False)},
    ),
    (
        "累计公开政府文件、会议动态、人事任免等各类信息95条。",
        {("disclosed_items_total", 95, False)},
    ),
    # The portal's total beside documents published: the documents are one type.
    (
        "全年通过县政府门户网站共发布信息4210条。主动公开县政府及县政府办公室文件31条。",
        {("disclosed_items_total", 4210, False)},
    ),
    # Government information, the part of everything published that a report counts too.
    (
        "全区通过门户网站发布信息3200条,其中主动公开各类政府信息1450条,网站访问量20万次。",
        {("disclosed_items_total", 3200, False), ("disclosed_items_total", 1450, False)},
    ),
    (
        "通过公开栏、微信群等形式共主动公开信息90余条,其中政府信息31条。",
        {("disclosed_items_total", 90, True), ("disclosed_items_total", 31, False)},
    ),
    # After another count, a clause naming a total word or a wider scope is still a total.
    (
        "发布人事任免5条,全年共发布各类信息460余条。",
        {("disclosed_items_total", 460, True)},
    ),
    # Beside the portal's count, 主动公开 on one channel is that channel's count.
    (
        "通过区政府网站主动公开政府信息80条,通过官方微信公众号主动公开政府信息310条。",
        {("disclosed_items_total", 80, False)},
    ),
    # Kinds after 其中 stay parts: 政务信息 and 政府信息公开专栏 are not 政府信息.
    (
        "主动公开政府信息3000条,其中政务信息1200条、政府信息公开专栏信息900条。",
        {("disclosed_items_total", 3000, False)},
    ),
    # Documents published are the total when nothing else is.
    ("本年度在政府信息公开平台公开文件52件。", {("disclosed_items_total", 52, False)}),
    (
        "通过区政府网站公开政府文件40件,共发布各类信息900条。",
        {("disclosed_items_total", 900, False)},
    ),
    ("主动公开镇政府文件45条。", {("disclosed_items_total", 45, False)}),
    # Each body's own count, with no noun, beside the overall total.
    (
        "全市累计公开政府信息46,000条。按公开主体分,市本级部门公开12,000条,各县(区)公开34,000条。",
        {
            ("disclosed_items_total", 46000, False),
            ("disclosed_items_total", 12000, False),
            ("disclosed_items_total", 34000, False),
        },
    ),
    # A channel or a kind of answer is no body.
    (
        "主动公开政府信息500条。通过政府网站公开320条,部分公开2条。",
        {("disclosed_items_total", 500, False)},
    ),
    # A total word before the verb makes the total strong: the channels' weak counts after
    # it are its parts.
    (
        "全年累计公开政府信息8,421条。从公开渠道看,政府网站公开信息4,927条,占比58.5%;"
        "其他渠道公开信息1,320条。",
        {("disclosed_items_total", 8421, False)},
    ),
    # The portal named first of channels counted 分别: its count is the total, even beside a
    # total of government information; the other channel's count is not.
    (
        "网站主动公开政府信息30条。区政府门户网站、政务微博分别发布信息1,206条、388条。",
        {("disclosed_items_total", 30, False), ("disclosed_items_total", 1206, False)},
    ),
    # Another channel named first: its count is not the portal's.
    (
        "主动公开政府信息1000条。政务微信和门户网站分别发布信息300条、900条。",
        {("disclosed_items_total", 1000, False)},
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), DISCLOSED_CASES, ids=[c[0][:12] for c in DISCLOSED_CASES]
)
def test_disclosed_totals(sentence: str, expected: set[tuple[str, float, bool]]) -> None:
    assert _facts(sentence) == expected


NOT_TOTALS = [
    "“平安某县”微信公众号全年推送信息420条。",  # one channel
    "开通“某镇发布”微信订阅号,全年发布信息210条,阅读量3万余次。",  # the channel is named earlier
    "区融媒体中心发布信息95条。",
    "主动公开规范性文件8件。",  # one type of document
    "发布疫情防控通报信息35条。",  # one kind of information
    "发布规范性文件12件、政府规章2件。",  # types of document
    "通过某某县人民政府网微信公众号推送政务信息530条。",  # a channel named after the portal
    "“某某区政府网站”微博全年发布信息260条。",
    # Items of a list of counts by kind with no total: none of them is the total.
    "全年发布人事任免5条,财政信息12条,乡村振兴、民生保障等方面信息460余条。",
    "在区政府网站转载上级信息300条,发布机构类信息45条,政务动态信息1200条。",
    # 主动公开 on one channel is still one channel's count.
    "镇政务微信公众号全年主动公开政府信息150条。",
]


@pytest.mark.parametrize("sentence", NOT_TOTALS, ids=[s[:10] for s in NOT_TOTALS])
def test_counts_that_are_not_the_disclosed_total(sentence: str) -> None:
    assert {f for f in _facts(sentence) if f[0] == "disclosed_items_total"} == set()


# Applications received said with other verbs and units; a handled count stands in only when
# no count received is given, and never when it includes carry-over (docs/facts.md).
APPLICATION_CASES = [
    # Information made for disclosure on application is documents, not applications.
    ("制作依申请公开信息495条,收到申请26件。", {("applications_received", 26, False)}),
    ("全年编制依申请公开答复材料40份。", set()),
    ("全年共新收政府信息公开申请42件。", {("applications_received", 42, False)}),
    ("本年度共接受群众政府信息公开申请信件6件。", {("applications_received", 6, False)}),
    ("全年依法办理答复政府信息公开申请17件。", {("applications_received", 17, False)}),
    ("全年处理依申请公开政府信息12件,均已办结。", {("applications_received", 12, False)}),
    ("受理依申请公开事项3项,均按期答复。", {("applications_received", 3, False)}),
    ("全年办理政府信息公开申请65件(含上年度结转4件)。", set()),
    (
        "收到政府信息公开申请30件,办结28件,答复申请31件(含上年结转1件)。",
        {("applications_received", 30, False)},
    ),
    # A count answered beside a separate count received, whatever it calls the application.
    (
        "本年度新收到依申请公开政府信息26件,答复依申请公开政府信息24件。",
        {("applications_received", 26, False)},
    ),
    (
        "全年受理政府信息公开申请18件,依法办结政府信息公开申请17件,结转1件。",
        {("applications_received", 18, False)},
    ),
    (
        "收到政府信息公开申请9件,其中网上申请7件、信件申请2件。",
        {("applications_received", 9, False)},
    ),
    # No verb at all, only a total: the count is still the count received.
    ("本年度街道依申请公开政府信息共6件,均在期限内办结。", {("applications_received", 6, False)}),
    ("2024年本局依申请公开件数为5件。", {("applications_received", 5, False)}),
    (
        "全年主动公开信息420条,依申请公开9件。",
        {("disclosed_items_total", 420, False), ("applications_received", 9, False)},
    ),
    # The application under other names, other verbs, the number before the noun.
    ("全年收到群众申请公开政府信息13件。", {("applications_received", 13, False)}),
    ("公民、法人和其他组织提出申请政府信息公开27件。", {("applications_received", 27, False)}),
    ("本年度新增政府信息公开申请8宗。", {("applications_received", 8, False)}),
    ("共登记依申请公开事项11件次。", {("applications_received", 11, False)}),
    ("今年镇政府收到信息公开方面的申请4件。", {("applications_received", 4, False)}),
    ("全年县政府办共受理十五件政府信息公开申请。", {("applications_received", 15, False)}),
    # A clause naming the scope first, then the bare noun.
    ("依申请公开方面,全年共收到申请15件,均按时答复。", {("applications_received", 15, False)}),
    ("在政府信息公开工作中,本机关共受理申请6宗。", {("applications_received", 6, False)}),
    # Outcomes, catalogues and other kinds of application are not applications received.
    ("政务公开专区全年受理行政许可申请1,200件。", set()),
    ("政府信息公开工作方面,收到复议申请2件。", {("reconsideration_cases", 2, False)}),
    ("全年共收到困难群众救助申请300件。", set()),
    ("其中,3件办理结果为依申请公开,2件为不予公开。", set()),
    ("共梳理依申请公开事项目录12项。", set()),
    ("政务服务中心全年受理行政许可申请1200件。", set()),
    ("依申请公开答复书模板共修订3份。", set()),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), APPLICATION_CASES, ids=[c[0][:12] for c in APPLICATION_CASES]
)
def test_applications_received(sentence: str, expected: set[tuple[str, float, bool]]) -> None:
    assert _facts(sentence) == expected


# Messages and letters from the public, never hotline work orders (docs/facts.md).
MESSAGE_CASES = [
    ("办理市长信箱交办件58件,按时办结率100%。", {("public_messages_handled", 58, False)}),
    ("通过县长信箱收到群众来件46件。", {("public_messages_handled", 46, False)}),
    ("通过12345热线、区长信箱等渠道受理群众诉求320件。", set()),
    ("共转办12345热线工单1,200余件。", set()),
    # A public online platform's complaints and enquiries; never one with the hotline.
    ("收到“问政某省”平台投诉咨询件42件,回复42件。", {("public_messages_handled", 42, False)}),
    ("网络问政平台受理群众诉求130件。", {("public_messages_handled", 130, False)}),
    ("通过12345热线、网络问政平台受理投诉咨询300件。", set()),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), MESSAGE_CASES, ids=[c[0][:12] for c in MESSAGE_CASES]
)
def test_public_messages(sentence: str, expected: set[tuple[str, float, bool]]) -> None:
    assert _facts(sentence) == expected


# A list that opens with 其中 after a sentence break, its items joined by ;, breaks down the
# total before it: its weak counts and other fields' counts are parts (_Breakdowns._scope);
# a strong count of the field there is a total of its own (a body's), labelled.
LIST_AFTER_A_BREAK_CASES = [
    (
        "门户网站发布信息2494条,总访问量770万。其中,政府信息主动公开文件122条;政策解读信息6条"
        "(含图解、视频)。",
        {("disclosed_items_total", 2494, False)},
    ),
    (
        "全市主动公开政府信息9000条。其中:市本级主动公开政府信息3000条,"
        "各县区主动公开政府信息6000条。",
        {
            ("disclosed_items_total", 9000, False),
            ("disclosed_items_total", 3000, False),
            ("disclosed_items_total", 6000, False),
        },
    ),
    # A list joined by ; that no 其中 opens is not a breakdown.
    (
        "门户网站发布信息500条;发布政策解读信息12条。",
        {("disclosed_items_total", 500, False), ("policy_interpretations", 12, False)},
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    LIST_AFTER_A_BREAK_CASES,
    ids=[c[0][:12] for c in LIST_AFTER_A_BREAK_CASES],
)
def test_a_list_opening_with_qizhong_after_a_break(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected


# A run of titles longer than the clause window: the verb before the run names the count
# after it, and the words of a document's name are no trigger (mentions.titles_clause).
TITLE_RUN_CASES = [
    (
        "围绕重点政策,解读《某市促进消费扩容提质的若干措施》《某市优化营商环境条例实施细则》"
        "《关于支持中小企业高质量发展的十条意见》等政策文件12件。",
        {("policy_interpretations", 12, False)},
    ),
    (
        "印发《关于进一步加强政府信息公开申请办理工作的实施意见》、《某某县政务公开工作考核"
        "办法》等文件8件。",
        set(),
    ),
    # The verb is past a sentence break: no claim.
    (
        "做好政策解读工作。《某市促进消费扩容提质的若干措施》《某市优化营商环境条例实施细则》"
        "等文件共12件。",
        set(),
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), TITLE_RUN_CASES, ids=[c[0][:12] for c in TITLE_RUN_CASES]
)
def test_a_run_of_titles_is_read_whole(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected
    text = f"一、总体情况\n{sentence}\n五、存在的主要问题及改进情况\n无。\n"
    for fact in extract_text(text).facts:
        assert text[fact.start : fact.end] == fact.evidence
        assert len(fact.evidence) <= 60


# A clause that is only a verb and a count carries on the messages subject of the clause
# before it in its sentence (_carried); a subject of its own, another field's count or a
# sentence break ends the carry.
MSG = "public_messages_handled"
CARRY_CASES = [
    ("区长信箱共收到来信120封,回复118封,满意率98%。", {(MSG, 120, False), (MSG, 118, False)}),
    # Through the chain of bare clauses; 不予受理 is no handling.
    (
        "书记信箱收到信件75件,受理70件,办结66件,不予受理5件。",
        {(MSG, 75, False), (MSG, 70, False), (MSG, 66, False)},
    ),
    # A clause with no count that names the messages is the subject.
    ("依托网上咨询栏目等渠道,累计受理36条,办结34条。", {(MSG, 36, False), (MSG, 34, False)}),
    # Traps: applications stay applications.
    (
        "全年收到政府信息公开申请12件,办结10件。",
        {("applications_received", 12, False)},
    ),
    ("依申请公开方面,共收到申请8件,办结7件。", {("applications_received", 8, False)}),
    # A clause with its own subject breaks the carry.
    (
        "领导信箱收到来信20件,依申请公开办结5件。",
        {(MSG, 20, False)},
    ),
    ("市长信箱收到来信20件,举办培训3次,办结9件。", {(MSG, 20, False), ("trainings", 3, False)}),
    # Not across a sentence, nor from a scope that names two kinds of count.
    ("县长信箱收到来信14件。办结12件。", {(MSG, 14, False)}),
    ("通过信箱及依申请公开渠道,共受理20件。", set()),
    # The hotline stays out whatever carries it.
    ("12345热线及市长信箱收到来信300件,办结290件。", set()),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), CARRY_CASES, ids=[c[0][:12] for c in CARRY_CASES]
)
def test_a_bare_verb_clause_carries_the_messages_subject(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected


# Policy interpretations in any unit, interpretation events, and the lists they are items of.
INTERPRETATION_CASES = [
    # A count of documents whose next clause says every one was interpreted.
    ("全年制发规范性文件12件,均已进行政策解读。", {("policy_interpretations", 12, False)}),
    ("在门户网站发布政策性文件9个,全部制作政策解读。", {("policy_interpretations", 9, False)}),
    ("发布政策性文件9个,部分文件制作了解读。", set()),  # not every one
    ("发布政策性文件9个,解读率100%。", set()),
    ("发布政策性文件9个。全部制作政策解读。", set()),  # another sentence
    # Policy briefings are interpretation events; policy publicity is not.
    ("深入园区开展政策宣讲活动6场。", {("policy_interpretations", 6, False)}),
    ("组织8场政策宣讲进企业活动,覆盖企业300余家。", {("policy_interpretations", 8, False)}),
    ("开展政策宣传活动8次。", set()),
    ("政策宣讲直播观看2万余人次。", set()),
    ("围绕重点政策制作解读产品36个。", {("policy_interpretations", 36, False)}),
    ("发布政策解读材料40余项。", {("policy_interpretations", 40, True)}),
    ("开展政策解读直播5次,观看人数2万余人次。", {("policy_interpretations", 5, False)}),
    ("推出“政策一点通”系列解读12期。", {("policy_interpretations", 12, False)}),
    (
        "主动公开政府信息5000条,其中政策文件120条、政策解读80条。",
        {("disclosed_items_total", 5000, False)},
    ),
    (
        "主动公开信息2600条,其中动态信息2000条、公示公告600条,另发布政策解读35篇。",
        {("disclosed_items_total", 2600, False), ("policy_interpretations", 35, False)},
    ),
    # A sentence opening with 其中 lists parts of the total before it.
    (
        "主动公开政府信息310余条。其中,发布市政府文件20件,同步制作解读材料26篇。",
        {("disclosed_items_total", 310, True)},
    ),
    ("公开县政府工作报告及解读3条。", set()),  # documents with their interpretations
    ("公开财政信息、政策解读等36项服务内容。", set()),  # the head noun is something else
    (
        "公开涉及营商环境等政策文件9件、各类政策解读15件。",
        {("policy_interpretations", 15, False)},
    ),
    ("政策解读专栏累计浏览1.2万次。", set()),
    ("发布政策解读问答60条。", set()),
    ("分别从政策解读、信息发布等三个方面开展培训。", set()),
    ("提交一份政策解读材料和一份工作总结。", set()),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), INTERPRETATION_CASES, ids=[c[0][:12] for c in INTERPRETATION_CASES]
)
def test_policy_interpretations(sentence: str, expected: set[tuple[str, float, bool]]) -> None:
    assert _facts(sentence) == expected


MISC_CASES = [
    ("全年公众参与县政府常务会议12次。", {("meeting_attendance", 12, False)}),
    ("全年政府常务会议开放4次。", {("meeting_attendance", 4, False)}),
    ("对85件建议提案答复函予以全文公开。", set()),  # published replies, not proposals
    ("公开人大代表建议办理复文32件。", set()),
    ("按四个季度分别更新政务新媒体账号信息。", set()),  # quarters, not accounts
    ("全年共办理网民留言2.4万件/次。", {("public_messages_handled", 24000, False)}),
    ("依托政务服务平台答复群众在线咨询1,350条。", {("public_messages_handled", 1350, False)}),
    # A negated count is no count of one, but it states a zero (docs/facts.md: the zero
    # rule applies to every field).
    ("县长信箱全年未收到一封来信。", {("public_messages_handled", 0, False)}),
    # 各 gives the number to every field named before it, and is never a combined count.
    (
        "因政府信息公开被申请行政复议、提起行政诉讼各2件。",
        {("reconsideration_cases", 2, False), ("litigation_cases", 2, False)},
    ),
    (
        "全年承办人大代表建议和政协委员提案各12件。",
        {("npc_suggestions", 12, False), ("cppcc_proposals", 12, False)},
    ),
    ("各镇街共收到政府信息公开申请40件。", {("applications_received", 40, False)}),
    ("涉及政府信息公开的复议案件2件。", {("reconsideration_cases", 2, False)}),
    ("受理群众来信860件次。", {("public_messages_handled", 860, False)}),
    ("本街道未开设任何政务新媒体。", {("new_media_accounts", 0, False)}),
    ("信息发布系统设置录入、审核、登录三个账号。", set()),  # logins, not accounts
    ("对全市28个政务新媒体主管单位开展检查。", set()),  # the units that run them
    ("全镇共开设政务新媒体账号3个。", {("new_media_accounts", 3, False)}),
    ("全区各部门单位共开设政务新媒体账号35个。", {("new_media_accounts", 35, False)}),
    ("复印费按0.5元/次收取。", set()),  # a rate
    ("共收到依申请政府信息公开事项14件。", {("applications_received", 14, False)}),
    ("制作政策图解材料15篇。", {("policy_interpretations", 15, False)}),
    ("发布《优化营商环境20条措施》图解。", set()),  # a number inside a title
]


@pytest.mark.parametrize(("sentence", "expected"), MISC_CASES, ids=[c[0][:12] for c in MISC_CASES])
def test_meetings_replies_and_spans(sentence: str, expected: set[tuple[str, float, bool]]) -> None:
    assert _facts(sentence) == expected


# Reviews and suits in the 依申请公开 paragraph need not repeat its topic; the year's tally
# in 次 (docs/facts.md). Traps: outcomes, and counts in a paragraph about something else.
CASE_TALLY_CASES = [
    (
        "(二)依申请公开。全年共收到政府信息公开申请12件,均按期答复。办结件均严格按照法定程序"
        "办理。今年发生行政复议2件,发生行政诉讼1件。",
        {
            ("applications_received", 12, False),
            ("reconsideration_cases", 2, False),
            ("litigation_cases", 1, False),
        },
    ),
    (
        "街道全年工作主要涉及:更新领导介绍两次;依申请公开4次,行政复议0次,行政诉讼0次。",
        {
            ("applications_received", 4, False),
            ("reconsideration_cases", 0, False),
            ("litigation_cases", 0, False),
        },
    ),
    (
        "政府信息公开行政复议案件4件,维持2件,撤销复议申请1件。",
        {("reconsideration_cases", 4, False)},
    ),
    # Another paragraph's topic does not carry over.
    (
        "(三)依申请公开。共收到政府信息公开申请3件。\n(四)法治政府建设。全年办理行政复议案件40件。",
        {("applications_received", 3, False)},
    ),
    ("(四)法治政府建设。全年办理行政复议案件40件,行政应诉案件12件。", set()),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), CASE_TALLY_CASES, ids=[c[0][:12] for c in CASE_TALLY_CASES]
)
def test_reviews_and_suits_in_the_applications_paragraph(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected


def test_a_bracket_note_vetoes_but_does_not_trigger() -> None:
    # The note qualifies the number before it (carry-over: not the count received) …
    assert _facts("全年答复政府信息公开申请40件(含上年度转结3件)。") == set()
    # … but its words never claim that number for another field.
    facts = _facts("共办理答复件31件(人大代表建议19件,政协委员提案12件)。")
    assert ("npc_suggestions", 31, False) not in facts
    assert {("npc_suggestions", 19, False), ("cppcc_proposals", 12, False)} <= facts


def test_online_enquiries_are_messages_but_application_enquiries_are_not() -> None:
    assert _facts("通过网上咨询栏目答复群众咨询56条。") == {("public_messages_handled", 56, False)}
    assert _facts("收到政府信息公开申请12件,其中重复申请1件、咨询2件。") == {
        ("applications_received", 12, False)
    }


def test_prose_before_a_table_is_narrative() -> None:
    # Sections 二 and 三 often open with a sentence before their table; the table's own rows
    # and cells (one a line, or split by | and tabs) stay out of the narrative.
    text = (
        "一、总体情况\n本年度持续深化政务公开。\n"
        "二、主动公开政府信息情况\n"
        "本年度通过镇政府网站发布各类信息312条,其中工作动态150条。\n"
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n规章 | 0 | 0 | 0\n"
        "三、收到和处理政府信息公开申请情况\n"
        "全年,镇党政办共收到六份政府信息公开申请,均已按期答复。\n"
        "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)\n"
        "申请人情况\n自然人\n一、本年新收政府信息公开申请数量\t6\n"
        "四、政府信息公开行政复议、行政诉讼情况\n"
        "行政复议\t维持\t纠正\n0\t0\t0\n"
        "五、存在的主要问题及改进情况\n无。\n"
    )
    facts = {(f.field, f.value) for f in extract_text(text).facts}
    assert facts == {("disclosed_items_total", 312), ("applications_received", 6)}
    spans = narrative_spans(text, split_sections(text))
    assert not any("勾稽关系" in text[lo:hi] or "申请人情况" in text[lo:hi] for lo, hi in spans)


def _sentence_by_steps(text: str, pos: int) -> tuple[int, int]:
    # The plain definition: walk out from pos to a sentence break or the reach.
    from extract.facts.mentions import SENTENCE_BREAKS, SENTENCE_REACH

    lo, floor = pos, max(0, pos - SENTENCE_REACH)
    while lo > floor and text[lo - 1] not in SENTENCE_BREAKS:
        lo -= 1
    hi, ceiling = pos, min(len(text), pos + SENTENCE_REACH)
    while hi < ceiling and text[hi] not in SENTENCE_BREAKS:
        hi += 1
    return lo, hi


def test_sentence_around_is_the_walk_to_the_nearest_breaks() -> None:
    from extract.facts.mentions import sentence_around
    from extract.textnorm import normalise

    text = normalise(seed_path("lishan-2024").read_text("utf-8"))
    long_run = "公开信息" * 300  # no break within the reach either side
    for sample in (text, long_run + "。" + long_run, ""):
        for pos in range(len(sample) + 1):
            assert sentence_around(sample, pos) == _sentence_by_steps(sample, pos), pos


def test_each_alternation_occurs_where_one_of_its_patterns_does() -> None:
    from extract.facts.rules import _occurs, load_rules
    from extract.textnorm import normalise

    text = normalise(seed_path("lishan-2024").read_text("utf-8"))
    # Every clause of a real report, and its tails (for the patterns anchored with $).
    clauses = [c for line in text.split("\n") for c in line.replace("。", "，").split("，")]
    pieces = {p for c in clauses for p in (c, c[: len(c) // 2], c[len(c) // 2 :])}
    hits = 0
    for rules in load_rules():
        for one, patterns in (
            (rules.any_strong, rules.strong),
            (rules.any_weak, rules.weak),
            (rules.any_veto, rules.vetoes),
            (rules.any_veto_sentence, rules.vetoes_sentence),
        ):
            for piece in pieces:
                expected = any(p.search(piece) for p in patterns)
                assert _occurs(one, piece) == expected, (rules.field, piece)
                hits += expected
    assert hits > 100  # the comparison is not vacuous: many clauses do hold a pattern


def _all_report_text() -> str:
    from extract.textnorm import normalise

    return "".join(normalise(p.read_text("utf-8")) for p in sorted(FIXTURES.glob("*.txt")))


def test_mentions_are_tried_only_where_one_can_start_and_are_the_same() -> None:
    import random

    from extract.facts.mentions import _MENTION, _mention_matches

    def both(text: str, start: int, end: int) -> None:
        plain = [(m.span(), m.groupdict()) for m in _MENTION.finditer(text, start, end)]
        fast = [(m.span(), m.groupdict()) for m in _mention_matches(text, start, end)]
        assert fast == plain, (text, start, end)

    text = _all_report_text()
    both(text, 0, len(text))
    both(text, 1234, 5678)  # a look-behind reaches before the start, as in finditer
    # Strings made of what a mention is made of, and what stands around one.
    alphabet = list("超过大约将近逾0123456789零〇一二两三四五六七八九十百千万亿余多")
    alphabet += list("件条次场个年元人项,. \n第/%左右以上会议")
    digits = list("1234567890,. ")
    rng = random.Random(16)
    found = 0
    for k in range(4000):
        # Short samples of everything, and long ones mostly digits (the test that lets a
        # long run through to the full pattern).
        pool, size = (alphabet, 40) if k % 4 else (digits * 8 + alphabet, 120)
        sample = "".join(rng.choice(pool) for _ in range(rng.randrange(size)))
        start = rng.randrange(len(sample) + 1)
        both(sample, start, rng.randrange(start, len(sample) + 1))
        found += sum(1 for _ in _MENTION.finditer(sample))
    assert found > 300
    # A number longer than the test looks ahead: let through, read whole by the pattern.
    for sample in ("共" + "1" * 60 + "件。", "约1" + ",234" * 12 + " 万元", "近" + "1" * 45 + "次"):
        both(sample, 0, len(sample))
        assert len(list(_MENTION.finditer(sample))) == 1


def test_sentences_found_once_give_what_sentence_around_gives() -> None:
    import random

    from extract.facts.mentions import Sentences, sentence_around

    text = _all_report_text()[:20000]
    rng = random.Random(7)
    for sample in (text, "公开信息" * 300 + "。" + "公开信息" * 300, "", "。", "\n\n"):
        sentences = Sentences(sample)
        positions = (
            range(len(sample) + 1)
            if len(sample) < 3000
            else rng.sample(range(len(sample) + 1), 3000)
        )
        for pos in positions:
            assert sentences.around(pos) == sentence_around(sample, pos), pos


def test_a_mention_no_unit_trigger_occurs_around_is_claimed_by_no_field() -> None:
    from extract.facts.mentions import clause_after, clause_before, find_mentions
    from extract.facts.rules import _compiled, _may_claim, _occurs, load_rules

    rules_list = load_rules()
    compiled = _compiled(rules_list)
    text = _all_report_text()
    mentions = find_mentions(text)
    skipped = 0
    for k, mention in enumerate(mentions):
        floor = mentions[k - 1].end if k else 0
        ceiling = mentions[k + 1].start if k + 1 < len(mentions) else len(text)
        _, before = clause_before(text, mention, floor)
        _, after = clause_after(text, mention, ceiling)
        if _may_claim(compiled, mention.unit, before, after):
            continue
        skipped += 1
        for rules in rules_list:  # each field's own first test fails too
            if mention.unit not in rules.units:
                continue
            texts = (before, after) if rules.after else (before,)
            assert not _occurs(rules.any_strong, *texts), (rules.field, before, after)
            assert not _occurs(rules.any_weak, *texts), (rules.field, before, after)
    assert 0 < skipped < len(mentions)


def _clauses_by_steps(text: str, start: int, end: int, floor: int, ceiling: int) -> tuple[str, str]:
    # The plain definition: walk out from the number to a clause break or the window; an
    # aside in brackets with no digit in it is stepped over.
    from extract.facts.mentions import CLAUSE_BREAKS, WINDOW

    lo, i = max(floor, start - WINDOW), start - 1
    while i >= lo:
        if text[i] == ")":
            opening = text.rfind("(", lo, i)
            if opening >= 0 and not any(ch.isdigit() for ch in text[opening:i]):
                i = opening - 1
                continue
        if text[i] in CLAUSE_BREAKS:
            lo = i + 1
            break
        i -= 1
    hi = min(ceiling, end + WINDOW // 2)
    for k in range(end, hi):
        if text[k] in CLAUSE_BREAKS:
            hi = k
            break
    return text[lo:start], text[end:hi]


def test_clauses_are_the_walk_to_the_nearest_break() -> None:
    import random

    from extract.facts.mentions import Mention, clause_after, clause_before, find_mentions

    def both(text: str, mention: Mention, floor: int, ceiling: int) -> None:
        lo, before = clause_before(text, mention, floor)
        _, after = clause_after(text, mention, ceiling)
        assert text[lo : mention.start] == before
        plain = _clauses_by_steps(text, mention.start, mention.end, floor, ceiling)
        assert (before, after) == plain, (text, mention, floor, ceiling)

    text = _all_report_text()
    mentions = find_mentions(text)
    for k, mention in enumerate(mentions):
        floor = mentions[k - 1].end if k else 0
        ceiling = mentions[k + 1].start if k + 1 < len(mentions) else len(text)
        both(text, mention, floor, ceiling)
    rng = random.Random(40)
    alphabet = list("公开(含1)()(),,。\n|\t5件")
    for _ in range(5000):
        sample = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 70)))
        start = rng.randrange(len(sample))
        end = rng.randrange(start, len(sample) + 1)
        floor, ceiling = rng.randrange(start + 1), rng.randrange(end, len(sample) + 1)
        both(sample, Mention(start, end, 1, False, "件"), floor, ceiling)


def test_the_words_a_pattern_needs_are_in_every_match() -> None:
    import re

    from extract.facts.rules import load_rules
    from extract.facts.scan import needed_words

    assert needed_words(re.compile("(?:未|没有)(?:收到|办理)[^。]{0,8}?人大(?:代表)?建议")) == (
        "人大",
        "建议",
    )
    assert needed_words(re.compile("(?i)app")) == ()
    assert needed_words(re.compile("a(?i:b)c")) == ("a", "c")
    assert needed_words(re.compile("x(?:yz)+w|q")) == ()  # an alternation: nothing certain
    assert needed_words(re.compile("(?:政务)?新媒体(?=账号)")) == ("新媒体",)
    text = _all_report_text()
    patterns = [
        p
        for rules in load_rules()
        for group in (rules.zero, rules.strong, rules.vetoes)
        for p in group
    ]
    matched = 0
    for pattern in patterns:
        words = needed_words(pattern)
        for m in pattern.finditer(text):
            matched += 1
            assert all(w in m[0] for w in words), (pattern.pattern, m[0], words)
    assert matched > 500


# Phrasing classes of batches o and p (docs/facts.md, the last labelling decisions), each
# with the trap that must stay no fact.
OP_CASES = [
    # The portal's information as the whole; its domain after a total word on the portal.
    (
        "全年发布政府网站信息820条、微信公众号1500条、抖音号300条。",
        {("disclosed_items_total", 820, False)},
    ),
    (
        "本年度通过区政府门户网站共发布教育信息312条,微信公众号发布信息900条。",
        {("disclosed_items_total", 312, False)},
    ),
    # A thematic platform is one more channel: only the portal's count is the total.
    (
        "通过镇政府网公开信息40条;通过“村务公开”平台公开信息260条;通过微信公众号公开信息800条。",
        {("disclosed_items_total", 40, False)},
    ),
    ("全年通过“三务公开”平台公开信息300条。", set()),
    # Reposted interpretations are interpretations; reposts of one are not.
    ("全年通过公众号转载各类政策解读80余条。", {("policy_interpretations", 80, True)}),
    ("通过微信公众平台转发各类政策解读150余条。", {("policy_interpretations", 150, True)}),
    ("发布政策解读12篇,被转发3000余次。", {("policy_interpretations", 12, False)}),
    # Documents whose interpretations are said to be published with them.
    ("本年度共印发8件规范性文件,解读材料同步公开。", {("policy_interpretations", 8, False)}),
    ("本年度共印发8件规范性文件,政策解读同时发布。", {("policy_interpretations", 8, False)}),
    ("本年度共印发8件规范性文件,并做好宣传工作。", set()),
    # One for one is a norm, not a count.
    ("做到政府文件发布一条解读一条。", set()),
    # Suggestions and proposals counted in 份; replies are still not suggestions.
    (
        "全年办理区人大建议12份、区政协提案9份。",
        {("npc_suggestions", 12, False), ("cppcc_proposals", 9, False)},
    ),
    ("全年办理人大代表建议答复函12份。", set()),
    # Accounts opened, closed and held: only the held count is the accounts count.
    (
        "今年新开通政务新媒体2个,关停3个,目前共计9个。",
        {("new_media_accounts_closed", 3, False), ("new_media_accounts", 9, False)},
    ),
    ("全年新建政务新媒体账号2个。", set()),
    ("目前共计9个。", set()),
    # Messages: the public's enquiries and demands, channels listed after a hotline count,
    # online 问政 boards and forums; never a total that includes the hotline.
    ("全年受理办结群众咨询、诉求45件。", {("public_messages_handled", 45, False)}),
    (
        "办理12345热线工单800件、区长信箱36件、网络问政平台留言52件,天府论坛4件。",
        {
            ("public_messages_handled", 36, False),
            ("public_messages_handled", 52, False),
            ("public_messages_handled", 4, False),
        },
    ),
    ("本年度办理“问政江苏”来件15件。", {("public_messages_handled", 15, False)}),
    ("通过12345热线和区长信箱受理群众诉求230件。", set()),
]


@pytest.mark.parametrize(("sentence", "expected"), OP_CASES, ids=[c[0][:12] for c in OP_CASES])
def test_phrasings_of_batches_o_and_p(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected


# "None" in other wordings (docs/facts.md): no verb before 依申请, a channel list before the
# application, a 政务公开 sentence, 复议程序和诉讼程序均为0件.
OP_ZERO_CASES = [
    (
        "本年度未收到公民、法人或其他组织通过网上申请平台、信函、传真、当面递交等方式提出的"
        "政府信息公开申请。",
        {("applications_received", 0, False)},
    ),
    ("2023年度本镇未有依申请公开政府信息。", {("applications_received", 0, False)}),
    ("本年度无依申请公开事项。", {("applications_received", 0, False)}),
    ("本年度无依申请公开的部门须在报告中注明。", set()),
    (
        "本年度未发生因政务公开引起的行政复议、行政诉讼。",
        {("reconsideration_cases", 0, False), ("litigation_cases", 0, False)},
    ),
    (
        "依申请公开方面,本年度进入行政复议程序和行政诉讼程序的案件均为0件。",
        {("reconsideration_cases", 0, False), ("litigation_cases", 0, False)},
    ),
    ("本年度进入行政复议程序和行政诉讼程序的案件均为0件。", set()),  # not about disclosure
    ("未收到针对本机关的行政复议申请。", set()),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), OP_ZERO_CASES, ids=[c[0][:12] for c in OP_ZERO_CASES]
)
def test_zero_statements_of_batches_o_and_p(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected


# Batches q and r: classes that remove a wrong reading in general (docs/facts.md).
# A total word over new media alone totals that channel: it yields to the portal's count, and
# stands only when it is the report's one count; over channels of several kinds it is the whole.
QR_CHANNEL_CASES = [
    (
        "通过各类政务新媒体共发布政府信息3120条;通过政府门户网站共发布政府信息5408条。",
        {("disclosed_items_total", 5408, False)},
    ),
    (
        "通过微信公众号累计发布政务信息260条,区政府网站主动公开信息1820条。",
        {("disclosed_items_total", 1820, False)},
    ),
    # The report's one count: the channel's total stands in for it.
    ("全年通过政务新媒体共发布政府信息3120条。", {("disclosed_items_total", 3120, False)}),
    # Pushes are an account's output, never the total, even with no channel named.
    ("先后制作推送短视频4部、推送信息58条。", set()),
    ("全年发布政务信息340条。推送政务信息120条。", {("disclosed_items_total", 340, False)}),
    # Channels of other kinds beside the account: a total across them (trap).
    (
        "通过微信公众号、村务公开栏等形式共主动公开信息95条;通过政务微博共发布信息60条。",
        {("disclosed_items_total", 95, False)},
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), QR_CHANNEL_CASES, ids=[c[0][:12] for c in QR_CHANNEL_CASES]
)
def test_a_new_media_total_yields_to_the_portal(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected


# An outcome sub-count (the statistics table's outcome rows: 无法提供, 不予公开, 不予处理, 重复申请,
# 撤回) or a count set apart with 另 is never the count received, even when it is the only one.
QR_OUTCOME_CASES = [
    (
        "共收到政府信息公开申请24件(含上年结转1件)。经依法办理,予以公开4件,无法提供19件,"
        "另处理重复申请1件。",
        set(),
    ),
    ("本年度对不予处理的政府信息公开申请2件作出说明。", set()),
    ("申请人撤回申请公开政府信息3件。", set()),
    (
        "全年新收政府信息公开申请36件,另有涉及同一事项的依申请公开4件合并答复。",
        {("applications_received", 36, False)},
    ),
    # 另行 (separately) is no setting apart (trap).
    ("全年收到依申请公开事项8件,均已另行书面答复。", {("applications_received", 8, False)}),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), QR_OUTCOME_CASES, ids=[c[0][:12] for c in QR_OUTCOME_CASES]
)
def test_an_outcome_sub_count_is_no_count_received(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected


# A numeral before an abstract noun sums up the things just listed (两个关键, 四个信息公开载体,
# 六个部分): never a count a field asks for; a concrete head noun still counts (trap).
QR_ABSTRACT_CASES = [
    ("坚持以问题为导向,抓住主动公开和依申请公开两个关键,推进政务公开标准化。", set()),
    ("用好政府网站、政务微博、政务新媒体和政务服务网四个信息公开载体,扩大公开覆盖面。", set()),
    (
        "本报告由总体情况、收到和处理政府信息公开申请情况、其他需要报告的事项等三个部分组成。",
        set(),
    ),
    ("聚焦政务新媒体管理三个重点,规范账号运维。", set()),
    ("目前共运营微信公众号和抖音两个政务新媒体账号。", {("new_media_accounts", 2, False)}),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), QR_ABSTRACT_CASES, ids=[c[0][:12] for c in QR_ABSTRACT_CASES]
)
def test_a_numeral_before_an_abstract_noun_counts_nothing(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected


# Zero statements in the wordings of batches s and t, every one invented for the test: the
# parties who did not apply (任何单位和个人, 群众), a request with no 申请 (要求公开), the count
# written as 0 or 零 with no measure word, messages none, a fee none occurred or charged to
# whoever; and the traps beside them.
ST_ZERO_CASES = [
    (
        "本年度,本局未收到任何单位或个人提交的政府信息公开申请。",
        {("applications_received", 0, False)},
    ),
    ("全年没有收到公民和社会组织要求公开政府信息的来函。", {("applications_received", 0, False)}),
    ("本年度未接到群众要求公开的政府信息。", {("applications_received", 0, False)}),
    ("2023年,本单位共受理依申请公开事项0。", {("applications_received", 0, False)}),
    ("全年政府信息公开申请数量为零。", {("applications_received", 0, False)}),
    ("全年依申请公开办件数为零,没有出现相关投诉。", {("applications_received", 0, False)}),
    ("全年未收到群众来信、留言。", {("public_messages_handled", 0, False)}),
    ("本年度没有接到网民留言。", {("public_messages_handled", 0, False)}),
    ("全年未出现公开收费情况。", {("processing_fees_yuan", 0, False)}),
    (
        "未对申请人收取任何信息公开处理费用。",
        {("processing_fees_yuan", 0, False)},
    ),
    # A suit or review that applications caused, none: no zero of applications (trap).
    (
        "全年未收到因依申请公开答复引发的行政复议。",
        {("reconsideration_cases", 0, False)},
    ),
    # Work done as required is no request (trap); 零 as a slogan's first word is no count.
    ("全年未按要求公开的事项已全部整改到位。", set()),
    ("实现依申请公开零差错。", set()),
    # An outcome written with its unit stays an outcome (trap).
    ("全年收到依申请公开12件,其中不予公开申请0件。", {("applications_received", 12, False)}),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), ST_ZERO_CASES, ids=[c[0][:12] for c in ST_ZERO_CASES]
)
def test_zero_statements_of_batches_s_and_t(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected


# One count of interpretations together with another kind gives no fact (docs/facts.md):
# interpretation as the last item of a list with no count of its own, with responses, or one
# item of a list closed by its own head noun. Invented phrasings; traps: an item with its own
# count before it, a channel list before the verb, a plain count.
ST_MIXED_INTERPRETATION_CASES = [
    ("及时转载上级政策文件、政策解读32条。", set()),
    ("围绕热点事件发布解读回应15条。", set()),
    ("围绕社会关切发布解读与回应稿件6篇。", set()),
    # (The whole list, closed by 等 and a description of the information, is the disclosed
    # total: s06 of the corpus.)
    (
        "公开财政预算、政策解读、招生入学等群众关心的信息共计120条。",
        {("disclosed_items_total", 120, False)},
    ),
    ("发布工作动态36条、政策解读12条。", {("policy_interpretations", 12, False)}),
    ("在门户网站、公众号发布政策解读9篇。", {("policy_interpretations", 9, False)}),
    ("全年制作图文解读材料14件。", {("policy_interpretations", 14, False)}),
]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    ST_MIXED_INTERPRETATION_CASES,
    ids=[c[0][:12] for c in ST_MIXED_INTERPRETATION_CASES],
)
def test_interpretations_counted_with_another_kind_give_no_fact(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected


# A running total over every past year, and each body's share of it, is never the year's
# disclosed total (docs/facts.md); the year's total beside it stands. Invented phrasings; the
# trap: 今年以来 is this year.
ST_RUNNING_TOTAL_CASES = [
    (
        "2022年全区主动公开政府信息3120条。全区历年累计主动公开各类政府信息41250条,其中区政府"
        "累计主动公开政府信息5200条。",
        {("disclosed_items_total", 3120, False)},
    ),
    (
        "门户网站开通以来累计发布政务信息2.6万条,本年度主动公开政府信息1890条。",
        {("disclosed_items_total", 1890, False)},
    ),
    ("今年以来,区政府门户网站主动公开政府信息760条。", {("disclosed_items_total", 760, False)}),
]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    ST_RUNNING_TOTAL_CASES,
    ids=[c[0][:12] for c in ST_RUNNING_TOTAL_CASES],
)
def test_a_running_total_over_past_years_is_not_the_total(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected


# A total stated after a long list of kinds closed by 等 (the verb and the total word stand
# more than a window before the number: mentions.list_clause), and a short description of the
# information between 等 and 信息. Invented phrasings; traps: a list that only describes a head
# noun after the number, a kind beside a stated total, a list with no verb.
UV_LIST_TOTAL_CASES = [
    (
        "全年共向社会公开机构职能、人事任免、财政预决算、重大建设项目、公共资源交易、"
        "社会救助、教育医疗、生态环境、安全生产和食品药品监管等信息3466条,未发生泄密事件。",
        {("disclosed_items_total", 3466, False)},
    ),
    (
        "依托门户网站,发布政府会议、行政执法公示、财政资金使用、政府采购结果、"
        "乡村振兴项目、防汛抗旱调度等涉及群众切身利益的政府信息1207条。",
        {("disclosed_items_total", 1207, False)},
    ),
    (
        "全年我镇主动公开领导分工、机构设置、财政预决算、惠民补贴、人居环境整治、"
        "乡村振兴等相关领域信息共计310余条。",
        {("disclosed_items_total", 310, True)},
    ),
    # The list describes what is counted after the number: no total.
    (
        "制定修订了政务公开政策解读、政务公开信息发布、政务公开保密审查、政务公开责任追究、"
        "政务公开舆情回应、政务公开考核评议等共12项制度,形成闭环。",
        set(),
    ),
    # A kind beside the stated total is not labelled.
    (
        "全年主动公开政府信息5210条。发布土地征收、国有产权交易、政府采购、工程建设招投标、"
        "矿业权出让等公共资源配置信息860条。",
        {("disclosed_items_total", 5210, False)},
    ),
    # No verb: a list of kinds is no total.
    (
        "本年度重点领域包括财政预决算、重大建设项目、公共资源交易、社会救助、教育卫生、"
        "生态环境和安全生产等信息210条。",
        set(),
    ),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), UV_LIST_TOTAL_CASES, ids=[c[0][:12] for c in UV_LIST_TOTAL_CASES]
)
def test_a_total_after_a_long_list_of_kinds(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected


# The noun before the verb (X政府信息公开N条): a body's or all government information is the
# total; a kind (重点领域信息公开N条) or a second verb before it is not read so. Invented phrasings.
UV_NOUN_THEN_VERB_CASES = [
    ("2022年,县人民政府办公室信息公开8350条。", {("disclosed_items_total", 8350, False)}),
    ("本年度全镇政府信息公开累计412条。", {("disclosed_items_total", 412, False)}),
    ("全年重点领域信息公开218条。", set()),
]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    UV_NOUN_THEN_VERB_CASES,
    ids=[c[0][:12] for c in UV_NOUN_THEN_VERB_CASES],
)
def test_the_noun_before_the_verb_of_a_total(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected


# A column name with a plan word (部门计划, 规划计划, 工作计划, 计划总结) in a list of counts by
# type is a kind of information, not a plan: it vetoes no count beside it. Invented phrasings;
# traps: a plan for next year, a verb of planning.
UV_PLAN_COLUMN_CASES = [
    (
        "本年度公开机构职能12次、政策解读3次、部门计划1次、财政预决算6次。",
        {("policy_interpretations", 3, False)},
    ),
    ("发布计划总结4条、图解材料5篇。", {("policy_interpretations", 5, False)}),
    ("下一步,计划开展政务公开培训3次。", set()),
    ("明年计划组织政策解读5场。", set()),
]


@pytest.mark.parametrize(
    ("sentence", "expected"), UV_PLAN_COLUMN_CASES, ids=[c[0][:12] for c in UV_PLAN_COLUMN_CASES]
)
def test_a_plan_column_in_a_list_by_type_is_no_plan(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected


# 项 counts suggestions and proposals as 件 does. Invented phrasings; trap: recommendations
# (整改建议) are not suggestions of the people's congress.
UV_ITEM_SUGGESTION_CASES = [
    ("全年办结人大建议和政协提案共45项。", {("suggestions_proposals_combined", 45, False)}),
    (
        "承办市人大代表建议18项、政协委员提案27项。",
        {("npc_suggestions", 18, False), ("cppcc_proposals", 27, False)},
    ),
    ("督查组提出整改建议6项。", set()),
]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    UV_ITEM_SUGGESTION_CASES,
    ids=[c[0][:12] for c in UV_ITEM_SUGGESTION_CASES],
)
def test_suggestions_and_proposals_counted_in_xiang(
    sentence: str, expected: set[tuple[str, float, bool]]
) -> None:
    assert _facts(sentence) == expected
