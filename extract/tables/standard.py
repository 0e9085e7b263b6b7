"""The standard tables of 国办公开办函〔2021〕30号 and 〔2019〕60号, as data.

Each row: its output key, a pattern that recognises its label (matched against the label
text with all whitespace removed), and the keys of its value columns. The row reader aligns
the cell stream against these; nothing here knows how a report was flattened.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowSpec:
    key: str
    pattern: str
    columns: tuple[str, ...]


APPLICANT_COLUMNS = (
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "social_welfare_org",
    "legal_service_org",
    "other_org",
    "total",
)

_A = APPLICANT_COLUMNS
_APPLICATIONS_COMMON = (
    RowSpec("new_received", r"本年新收", _A),
    RowSpec("carried_over", r"上年结转", _A),
    RowSpec("granted", r"予以公开", _A),
    RowSpec("partially_granted", r"部分公开", _A),
    RowSpec("withheld.state_secret", r"国家秘密", _A),
    RowSpec("withheld.prohibited_by_law", r"禁止公开", _A),
    RowSpec("withheld.security_stability", r"三安全一稳定|危及", _A),
    RowSpec("withheld.third_party_rights", r"第三方合法权益", _A),
    RowSpec("withheld.internal_affairs", r"内部事务", _A),
    RowSpec("withheld.process_info", r"过程性信息", _A),
    RowSpec("withheld.enforcement_files", r"行政执法案卷", _A),
    RowSpec("withheld.administrative_query", r"行政查询事项", _A),
    RowSpec("unavailable.not_held", r"不掌握", _A),
    RowSpec("unavailable.needs_creation", r"没有现成信息|另行制作", _A),
    RowSpec("unavailable.unclear", r"补正后|仍不明确", _A),
    RowSpec("not_processed.petition", r"信访举报投诉", _A),
    RowSpec("not_processed.duplicate", r"重复申请", _A),
    RowSpec("not_processed.publication", r"公开出版物", _A),
    RowSpec("not_processed.excessive", r"大量反复申请", _A),
    RowSpec("not_processed.confirmation", r"确认或重新出具|重新出具", _A),
)
_APPLICATIONS_TAIL = (
    RowSpec("total_processed", r"总计", _A),
    RowSpec("carried_forward", r"结转下年度", _A),
)
APPLICATIONS = {
    "2021": (
        *_APPLICATIONS_COMMON,
        RowSpec("other.no_correction", r"逾期不补正", _A),
        RowSpec("other.unpaid_fee", r"未按收费通知|缴纳费用", _A),
        RowSpec("other.other", r"3[.、]?其他(?!处理)", _A),
        *_APPLICATIONS_TAIL,
    ),
    "2019": (*_APPLICATIONS_COMMON, RowSpec("other.total", r"其他处理", _A), *_APPLICATIONS_TAIL),
}
# A 2021 table that prints (六)其他处理 as one row, without its three sub-rows: read with
# this extra row, then resolved by ``parse`` (docs/decisions.md).
LONE_OTHER = RowSpec("other.total", r"其他处理", _A)
OTHER_2021 = ("other.no_correction", "other.unpaid_fee", "other.other")

# Rows whose sum is (七)总计 in each column.
RESULT_ROWS = {
    fmt: tuple(
        s.key
        for s in specs
        if s.key not in ("new_received", "carried_over", "total_processed", "carried_forward")
    )
    for fmt, specs in APPLICATIONS.items()
}

ACTIVE_DISCLOSURE = {
    "2021": (
        RowSpec("regulations", r"规章", ("issued", "repealed", "in_force")),
        RowSpec("normative_documents", r"规范性文件", ("issued", "repealed", "in_force")),
        RowSpec("administrative_licensing", r"行政许可", ("decisions",)),
        RowSpec("administrative_punishment", r"行政处罚", ("decisions",)),
        RowSpec("administrative_coercion", r"行政强制", ("decisions",)),
        RowSpec("administrative_fees", r"行政事业性收费|事业性收费", ("amount_10k_yuan",)),
    ),
    "2019": (
        RowSpec("regulations", r"规章", ("new_made", "new_published", "total_published")),
        RowSpec(
            "normative_documents", r"规范性文件", ("new_made", "new_published", "total_published")
        ),
        RowSpec(
            "administrative_licensing", r"行政许可", ("items_last_year", "change", "decisions")
        ),
        RowSpec(
            "other_management_services",
            r"其他对外管理服务",
            ("items_last_year", "change", "decisions"),
        ),
        RowSpec(
            "administrative_punishment", r"行政处罚", ("items_last_year", "change", "decisions")
        ),
        RowSpec("administrative_coercion", r"行政强制", ("items_last_year", "change", "decisions")),
        RowSpec("administrative_fees", r"行政事业性收费|事业性收费", ("items_last_year", "change")),
        RowSpec("centralized_procurement", r"集中采购", ("projects", "amount_10k_yuan")),
    ),
}

REVIEW_GROUPS = ("reconsideration", "litigation_direct", "litigation_after_reconsideration")
REVIEW_COLUMNS = ("upheld", "corrected", "other", "pending", "total")

# Header words that say which standard a table follows.
FORMAT_MARKERS = {
    "2019": (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "采购项目数量",
        "采购总金额",
    ),
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额"),
}
