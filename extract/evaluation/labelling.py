"""Growing a labelled corpus: draft gold from records, Label Studio tasks out, annotations in.

A draft is a record's facts and tables in the gold format, for a person to correct. Label
Studio receives each document as a task whose text is the normalised text (so its character
offsets are ours) with the facts as pre-annotations: a span labelled with the field, plus a
per-region value and "approximate" choice. Its JSON export comes back as gold files that
``check-gold`` validates.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from extract import __version__, catalogue
from extract.errors import GoldError
from extract.facts.mentions import find_mentions
from extract.numbers import parse_quantity
from extract.record import Record
from extract.textnorm import normalise

LABEL = "field"
VALUE = "value"
APPROX = "approximate"
TEXT = "text"


def label_config() -> str:
    """The Label Studio labelling interface for the catalogue (paste into the project)."""
    labels = "\n".join(
        f"    <Label value={quoteattr(f.id)} hint={quoteattr(f.question)}/>"
        for f in catalogue.load()
    )
    return f"""<View>
  <Labels name="{LABEL}" toName="{TEXT}">
{labels}
  </Labels>
  <Text name="{TEXT}" value="$text" granularity="symbol"/>
  <View visibleWhen="region-selected">
    <Header value="value as a number (20余万 → 200000)"/>
    <TextArea name="{VALUE}" toName="{TEXT}" perRegion="true" maxSubmissions="1"/>
    <Choices name="{APPROX}" toName="{TEXT}" perRegion="true">
      <Choice value="approximate"/>
    </Choices>
  </View>
</View>
"""


def draft_gold(record: Record) -> dict[str, Any]:
    """A gold file drafted from a record: every fact and table, to be corrected by a person."""
    return {
        "doc_id": record.doc_id,
        "text_file": f"{record.doc_id}.txt",
        "issuer": record.issuer,
        "year": record.year,
        "format": record.format,
        "facts": [
            {
                "field": f.field,
                "value": f.value,
                "unit": f.unit,
                "approximate": f.approximate,
                "evidence": f.evidence,
            }
            for f in record.facts
        ],
        "tables": record.tables.model_dump(mode="json"),
    }


def _region(n: int, start: int, end: int, text: str) -> dict[str, Any]:
    return {"id": f"r{n}", "to_name": TEXT, "value": {"start": start, "end": end, "text": text}}


def to_task(record: Record, text: str) -> dict[str, Any]:
    """One Label Studio task with the record's facts as pre-annotations."""
    results: list[dict[str, Any]] = []
    for n, fact in enumerate(record.facts):
        base = _region(n, fact.start, fact.end, fact.evidence)
        results.append(
            {
                **base,
                "from_name": LABEL,
                "type": "labels",
                "value": {**base["value"], "labels": [fact.field]},
            }
        )
        # A per-region TextArea's value holds the typed text in "text", not the span.
        results.append(
            {
                **base,
                "from_name": VALUE,
                "type": "textarea",
                "value": {"start": fact.start, "end": fact.end, "text": [str(fact.value)]},
            }
        )
        if fact.approximate:
            results.append(
                {
                    **base,
                    "from_name": APPROX,
                    "type": "choices",
                    "value": {**base["value"], "choices": ["approximate"]},
                }
            )
    return {
        "data": {
            "text": text,
            "doc_id": record.doc_id,
            "issuer": record.issuer,
            "year": record.year,
            "format": record.format,
            "tables": json.dumps(record.tables.model_dump(mode="json"), ensure_ascii=False),
        },
        "predictions": [
            {
                "model_version": f"nianbao-{record.provenance.backend}-{__version__}",
                "result": results,
            }
        ],
    }


def _value(texts: list[str], evidence: str) -> float | int:
    """The number a labeller typed, or — when they left it empty — the one in the span."""
    typed = "".join(texts).strip()
    if typed:
        try:
            return parse_quantity(typed).value
        except ValueError as exc:
            raise GoldError(f"value {typed!r} is not a number") from exc
    mentions = find_mentions(normalise(evidence))
    if len(mentions) != 1:
        raise GoldError(f"span {evidence!r}: type its value (it holds {len(mentions)} numbers)")
    return mentions[0].value


def _unit(evidence: str, value: float | int) -> str | None:
    for mention in find_mentions(normalise(evidence)):
        if float(mention.value) == float(value):
            return mention.unit
    return None


class Skipped(Exception):
    """A task with nothing to import (skipped, cancelled or never annotated): not an error."""


def _chosen_annotation(task: dict[str, Any]) -> dict[str, Any]:
    """The annotation to import: the one marked ground truth, else the latest submitted."""
    data = task["data"]
    annotations = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
    if not annotations:
        raise Skipped(
            f"task {task.get('id')} ({data.get('doc_id')}): skipped or never annotated, left out"
        )
    truths = [a for a in annotations if a.get("ground_truth")]
    return max(
        truths or annotations, key=lambda a: a.get("updated_at") or a.get("created_at") or ""
    )


def from_export_task(task: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """(gold file, document text) from one task of a Label Studio JSON export."""
    data = task["data"]
    latest = _chosen_annotation(task)
    regions: dict[str, dict[str, Any]] = {}
    for item in latest["result"]:
        region = regions.setdefault(item["id"], {"texts": [], "approximate": False})
        value = item["value"]
        if item["type"] == "labels":
            region.update(field=value["labels"][0], start=value["start"], end=value["end"])
        elif item["type"] == "textarea":
            region["texts"] = value.get("text", [])
        elif item["type"] == "choices":
            region["approximate"] = "approximate" in value.get("choices", [])
    text = data["text"]
    facts = []
    for region in sorted(regions.values(), key=lambda r: r.get("start", 0)):
        if "field" not in region:
            continue  # a value or choice whose span was deleted
        evidence = text[region["start"] : region["end"]]
        value = _value(region["texts"], evidence)
        facts.append(
            {
                "field": region["field"],
                "value": value,
                "unit": _unit(evidence, value),
                "approximate": region["approximate"],
                "evidence": evidence,
            }
        )
    doc_id = data["doc_id"]
    gold: dict[str, Any] = {
        "doc_id": doc_id,
        "text_file": f"{doc_id}.txt",
        "issuer": data.get("issuer"),
        "year": data.get("year"),
        "format": data.get("format"),
        "facts": facts,
    }
    if data.get("tables"):
        gold["tables"] = json.loads(data["tables"])
    return gold, text


def _tasks(export: Path) -> list[dict[str, Any]]:
    try:
        tasks = json.loads(export.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GoldError(f"{export}: not a Label Studio JSON export ({exc})") from exc
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise GoldError(f"{export}: expected Label Studio's JSON export (a list of tasks)")
    for task in tasks:
        if "data" not in task:
            # JSON-MIN (and CSV-like) exports flatten each task and drop the regions' offsets.
            raise GoldError(
                f"{export}: this is not Label Studio's full JSON export (task "
                f"{task.get('id')} has no 'data'; JSON-MIN drops the offsets nianbao needs). "
                "In Label Studio choose Export → JSON."
            )
    return tasks


def import_export(export: Path, out_dir: Path) -> tuple[list[Path], list[str]]:
    """Write one gold file and its text per annotated task of a Label Studio JSON export.

    Every task is read before anything is written, so a bad task leaves no partial output.
    Returns the files written and a warning per task left out (skipped or not annotated).
    """
    converted: list[tuple[dict[str, Any], str]] = []
    warnings: list[str] = []
    for task in _tasks(export):
        try:
            converted.append(from_export_task(task))
        except Skipped as skipped:
            warnings.append(str(skipped))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for gold, text in converted:
        (out_dir / gold["text_file"]).write_text(text, "utf-8")
        path = out_dir / f"{gold['doc_id']}.json"
        path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", "utf-8")
        written.append(path)
    return written, warnings
