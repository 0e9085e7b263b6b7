"""Characters a recorded cassette set sent per report: every request's message text (re-asks
included) as a ratio of the whole report and of its narrative sections; then the same with
the static system prompt counted once per report (what a provider's prefix cache bills at
full price), and the first asks alone. The last column adds what else each request carries
besides its messages (the tool or response schema, as JSON): it is static, like the system
prompt, so a provider's prefix cache discounts it too, but it is sent and billed.
Reads cassettes/<SET>/ only; no server, no network.

    python bench/cassette_chars.py [SET]        # default: gemma3-270m
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from extract.pipeline import Options, draft, load_file

    name = sys.argv[1] if len(sys.argv) > 1 else "gemma3-270m"
    print(
        "| report | requests | characters sent | / whole report | / narrative "
        "| prefix once / whole | first asks / whole | with schema / whole |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    totals = [0, 0, 0, 0, 0, 0, 0]
    for tape in sorted((ROOT / "cassettes" / name).glob("*.yaml")):
        loaded = load_file(ROOT / "eval" / "fixtures" / f"{tape.stem}.txt", Options())
        d = draft(loaded.text, source=tape.stem, sha256=loaded.sha256)
        whole, narrative = len(loaded.text), sum(hi - lo for lo, hi in d.spans)
        sent = first = requests = once = schema = 0
        for item in yaml.safe_load(tape.read_text("utf-8"))["interactions"]:
            body = item["request"]["body"]["json"]
            messages = body["messages"]
            schema += sum(
                len(json.dumps(body[key], ensure_ascii=False))
                for key in ("tools", "tool_choice", "response_format")
                if key in body
            )
            chars = sum(len(m["content"]) for m in messages if isinstance(m.get("content"), str))
            requests += 1
            sent += chars
            once += chars - (len(messages[0]["content"]) if requests > 1 else 0)
            if messages[-1]["content"].startswith("报告片段") and len(messages) == 2:
                first += chars
        for i, n in enumerate((requests, sent, first, whole, narrative, once, schema)):
            totals[i] += n
        print(
            f"| {tape.stem} | {requests} | {sent:,} | {sent / whole:.2f} | "
            f"{sent / narrative:.2f} | {once / whole:.2f} | {first / whole:.2f} | "
            f"{(sent + schema) / whole:.2f} |"
        )
    requests, sent, first, whole, narrative, once, schema = totals
    print(
        f"| all | {requests} | {sent:,} | {sent / whole:.2f} | {sent / narrative:.2f} | "
        f"{once / whole:.2f} | {first / whole:.2f} | {(sent + schema) / whole:.2f} |"
    )


if __name__ == "__main__":
    main()
