"""Prompt templates: versioned files in ``prompts/``, fields filled from the catalogue."""

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
_PART = re.compile(r"^## (system|user)\n", re.M)


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    version: str  # the template's own version plus a hash of its text and of the catalogue
    system: Template
    user: Template

    def messages(self, chunk: str) -> list[dict[str, str]]:
        fields = fields_block()
        return [
            {"role": "system", "content": self.system.substitute(fields=fields)},
            {"role": "user", "content": self.user.substitute(fields=fields, chunk=chunk)},
        ]


def fields_block() -> str:
    return "\n".join(f"- {f.id}: {f.question}；{'/'.join(f.units)}" for f in catalogue.load())


def _template_text(name: str) -> str:
    # In a checkout the top-level prompts/ is the source; an installed wheel carries a copy.
    repo = Path(__file__).resolve().parents[2] / "prompts" / f"{name}.md"
    if repo.is_file():
        return repo.read_text("utf-8")
    return resources.files("extract").joinpath("_prompts", f"{name}.md").read_text("utf-8")


@cache
def load_template(name: str = "facts.v1") -> PromptTemplate:
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
        system=Template(sections["system"].strip()),
        user=Template(sections["user"].strip()),
    )
