"""The one redaction step: active keys and key-shaped strings never leave the process."""

from __future__ import annotations

from extract.redact import MASK, redact, register_secret


def test_active_secret_and_key_shapes_are_masked() -> None:
    register_secret("test-key-0123456789")
    echoed = (
        '{"error": {"message": "Incorrect API key provided: test-key-0123456789", '
        '"headers": {"Authorization": "Bearer test-key-0123456789"}}, '
        '"api_key": "another-long-secret-value", "x": "sk-proj-AbCdEf0123456789"}'
    )
    out = redact(echoed)
    assert "test-key-0123456789" not in out
    assert "another-long-secret-value" not in out
    assert "sk-proj-AbCdEf0123456789" not in out
    assert out.count(MASK) >= 4


def test_report_text_is_untouched() -> None:
    text = "全年共举办政务公开业务培训3次，未收取信息处理费。bearer of news"
    assert redact(text) == text


def test_short_or_placeholder_keys_are_not_registered() -> None:
    register_secret("not-needed")
    register_secret("x")
    assert redact("the answer is not-needed here, x marks") == (
        "the answer is not-needed here, x marks"
    )
