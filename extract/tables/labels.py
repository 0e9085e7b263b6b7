"""The Chinese labels of the standard tables' rows and columns, keyed like the record.

The output keys are English and fixed; people read the tables by their printed labels. These
labels are what the documentation and the viewer show beside each key (the parser recognises
labels by the looser patterns in :mod:`extract.tables.standard`).
"""

from __future__ import annotations

APPLICANT_COLUMN_LABELS = {
    "natural_person": "自然人",
    "commercial_enterprise": "法人或其他组织·商业企业",
    "research_institution": "法人或其他组织·科研机构",
    "social_welfare_org": "法人或其他组织·社会公益组织（2019：社会组织）",
    "legal_service_org": "法人或其他组织·法律服务机构",
    "other_org": "法人或其他组织·其他",
    "total": "总计",
}

APPLICATION_ROW_LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "三、本年度办理结果 （一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "withheld.state_secret": "（三）不予公开 1.属于国家秘密",
    "withheld.prohibited_by_law": "（三）不予公开 2.其他法律行政法规禁止公开",
    "withheld.security_stability": "（三）不予公开 3.危及“三安全一稳定”",
    "withheld.third_party_rights": "（三）不予公开 4.保护第三方合法权益",
    "withheld.internal_affairs": "（三）不予公开 5.属于三类内部事务信息",
    "withheld.process_info": "（三）不予公开 6.属于四类过程性信息",
    "withheld.enforcement_files": "（三）不予公开 7.属于行政执法案卷",
    "withheld.administrative_query": "（三）不予公开 8.属于行政查询事项",
    "unavailable.not_held": "（四）无法提供 1.本机关不掌握相关政府信息",
    "unavailable.needs_creation": "（四）无法提供 2.没有现成信息需要另行制作",
    "unavailable.unclear": "（四）无法提供 3.补正后申请内容仍不明确",
    "not_processed.petition": "（五）不予处理 1.信访举报投诉类申请",
    "not_processed.duplicate": "（五）不予处理 2.重复申请",
    "not_processed.publication": "（五）不予处理 3.要求提供公开出版物",
    "not_processed.excessive": "（五）不予处理 4.无正当理由大量反复申请",
    "not_processed.confirmation": "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
    "other.no_correction": (
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    ),
    "other.unpaid_fee": (
        "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    ),
    "other.other": "（六）其他处理 3.其他",
    "other.total": "（六）其他处理（2019 标准，无分项）",
    "total_processed": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}

ACTIVE_ROW_LABELS = {
    "regulations": "规章",
    "normative_documents": "行政规范性文件（2019：规范性文件）",
    "administrative_licensing": "行政许可",
    "other_management_services": "其他对外管理服务事项",
    "administrative_punishment": "行政处罚",
    "administrative_coercion": "行政强制",
    "administrative_fees": "行政事业性收费",
    "centralized_procurement": "政府集中采购",
}

ACTIVE_COLUMN_LABELS = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "本年处理决定数量（2019：本年业务办理总量）",
    "amount_10k_yuan": "金额（万元）（2021：本年收费金额；2019：采购总金额）",
    "new_made": "本年新制作数量",
    "new_published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "items_last_year": "上一年项目数量",
    "change": "本年增/减（减少为负数）",
    "projects": "采购项目数量",
}

REVIEW_GROUP_LABELS = {
    "reconsideration": "行政复议",
    "litigation_direct": "行政诉讼·未经复议直接起诉",
    "litigation_after_reconsideration": "行政诉讼·复议后起诉",
}

REVIEW_COLUMN_LABELS = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}
