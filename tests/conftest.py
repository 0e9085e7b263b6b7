from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "eval" / "fixtures"
DOC_IDS = ("luozhuang-2024", "lishan-2024", "linyi-2023", "luozhuang-2019", "yuezhuang-2024")


def gold(doc_id: str) -> dict:
    return json.loads((FIXTURES / f"{doc_id}.json").read_text("utf-8"))


def seed_path(doc_id: str) -> Path:
    return FIXTURES / f"{doc_id}.txt"


@pytest.fixture(params=DOC_IDS)
def doc_id(request: pytest.FixtureRequest) -> str:
    return request.param


def pytest_recording_configure(config: pytest.Config, vcr: object) -> None:
    """Cassettes are readable YAML and match requests on their JSON body."""
    from extract.llm.cassettes import configure

    configure(vcr)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--slow",
        action="store_true",
        help="also run tests marked slow (minutes on two cores; `make test-slow` and CI pass it)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Slow tests run when asked for: with --slow, or when -m names them.
    if config.getoption("--slow") or "slow" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow (or -m slow)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
