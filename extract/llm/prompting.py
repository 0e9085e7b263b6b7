"""Prompt templates: versioned files in ``prompts/``, fields filled from the catalogue.

The system message is static (instructions, the catalogue's fields, worked examples) and
byte-identical across every request of a run, re-asks included, so providers that cache a
repeated prompt prefix bill it once; the report text comes last, in the user message.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from string import Template

from extract import catalogue

_FRONT = re.compile(r"^---\n(?P<meta>.*?)\n---\n", re.S)
_PART = re.compile(r"^## (system|user|reask|repair)\n", re.M)
DEFAULT = "facts.v2"

Messages = list[dict[str, str]]


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    version: str  # the template's own version plus a hash of its text and of the catalogue
    system: str
    user: Template
    reask: Template
    repair: Template

    def messages(self, chunk: str) -> Messages:
        return [
            {"role": "system", "content": self.system},
            {"role": "user", "content": self.user.substitute(chunk=chunk)},
        ]

    def reask_messages(self, problems: list[str], excerpt: str) -> Messages:
        """A re-ask about the failing facts only: their reasons and the sentences they
        come from, not the whole chunk again."""
        listed = "\n".join(f"- {p}" for p in problems)
        return [
            {"role": "system", "content": self.system},
            {"role": "user", "content": self.reask.substitute(problems=listed, excerpt=excerpt)},
        ]

    def repair_messages(self, answer: str, error: str) -> Messages:
        """An answer that could not be read at all, shown back (trimmed if huge) with why,
        to be written again in the required shape. Not the chunk: the model is to re-emit
        the facts it gave, not to read the text again, and whatever it re-emits is grounded
        in the chunk like any answer."""
        return [
            {"role": "system", "content": self.system},
            {"role": "user", "content": self.repair.substitute(error=error, answer=trim(answer))},
        ]


REPAIR_SHOWN_MAX = 3000  # characters of an unreadable answer a repair shows back


def trim(answer: str, limit: int = REPAIR_SHOWN_MAX) -> str:
    """The answer, or its start and a note of how much was left out."""
    if len(answer) <= limit:
        return answer
    return f"{answer[:limit]}…（以下{len(answer) - limit}字从略）"


def fields_block() -> str:
    return "\n".join(f"- {f.id}: {f.question}；{'/'.join(f.units)}" for f in catalogue.load())


def _template_text(name: str) -> str:
    # In a checkout the top-level prompts/ is the source; an installed wheel carries a copy.
    repo = Path(__file__).resolve().parents[2] / "prompts" / f"{name}.md"
    if repo.is_file():
        return repo.read_text("utf-8")
    return resources.files("extract").joinpath("_prompts", f"{name}.md").read_text("utf-8")


@cache
def load_template(name: str = DEFAULT) -> PromptTemplate:
    text = _template_text(name)
    front = _FRONT.match(text)
    if not front:
        raise ValueError(f"prompt {name}: missing the --- version --- header")
    meta = dict(line.split(":", 1) for line in front["meta"].splitlines() if ":" in line)
    body = text[front.end() :]
    parts = _PART.split(body)
    sections = dict(zip(parts[1::2], parts[2::2], strict=True))
    digest = hashlib.sha256((text + fields_block()).encode()).hexdigest()[:8]
    return PromptTemplate(
        name=name,
        version=f"{meta['version'].strip()}+{digest}",
        system=Template(sections["system"].strip()).substitute(fields=fields_block()),
        user=Template(sections["user"].strip()),
        reask=Template(sections["reask"].strip()),
        repair=Template(sections["repair"].strip()),
    )
