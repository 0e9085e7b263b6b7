"""例 counts applications and cases as 件 does (health and legal bodies write it)."""

from __future__ import annotations

import pytest

from extract import extract_text


def _facts(sentence: str) -> set[tuple[str, float]]:
    text = f"一、总体情况\n{sentence}\n五、存在的主要问题及改进情况\n无。\n"
    return {(f.field, f.value) for f in extract_text(text).facts}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020年,我委共收到政府信息公开申请26例,均按时答复。", {("applications_received", 26)}),
        (
            "全年发生政府信息公开行政复议案件2例,行政诉讼案件1例。",
            {
                ("reconsideration_cases", 2),
                ("litigation_cases", 1),
            },
        ),
    ],
)
def test_li_counts_applications_and_cases(text: str, expected: set[tuple[str, float]]) -> None:
    assert expected <= _facts(text)


def test_li_of_patients_is_no_application() -> None:
    # 例 is a count of cases of illness in a health body's report: never an application.
    assert _facts("全年救治危重症患者26例,开展义诊活动3次。") == set()
