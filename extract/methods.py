"""From the method a user names (rules, llm, hybrid) to the pipeline's Options.

The LLM modules are imported only when a model is asked for, so the embedded rules path
never loads openai or instructor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from extract.facts.finders import FactFinder, hybrid, rules_finder
from extract.ingest import DEFAULT_MAX_BYTES
from extract.pipeline import Options

if TYPE_CHECKING:
    from extract.llm.settings import LLMSettings

METHODS = ("rules", "llm", "hybrid")


def options_for(
    method: str,
    settings: LLMSettings | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    **finder_args: Any,
) -> Options:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if method == "rules":
        return Options(backend="rules", max_bytes=max_bytes, find_facts=rules_finder)
    if settings is None:
        raise ValueError(f"method {method!r} needs model settings")
    from extract.llm.extractor import llm_finder

    finder: FactFinder = llm_finder(settings, **finder_args)
    if method == "hybrid":
        finder = hybrid(finder)
    return Options(backend=method, max_bytes=max_bytes, find_facts=finder, llm=settings)
