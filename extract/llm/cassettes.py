"""Cassette sets: recorded LLM HTTP traffic that replays offline, the same every time.

A set is a folder ``cassettes/<name>/`` holding ``set.toml`` (what was recorded: model,
mode, prompt version, and the command that recorded it) and one ``<doc_id>.yaml`` per
document. Requests match on method, host, path and the JSON body, so a changed prompt or
schema finds no answer and fails loudly. Secrets never reach the files: authorization,
cookies, organisation and SDK fingerprint headers are dropped, and the key in use (or
anything shaped like a key) is masked in every body, before anything is written.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from extract.errors import CassetteError
from extract.llm.settings import LLMSettings
from extract.redact import redact

CASSETTE_ROOT = Path("cassettes")
RECORD_COMMAND = "make cassettes"
MATCH_ON = ("method", "scheme", "host", "path", "query", "json_body")
_SECRET_HEADERS = (
    "authorization",
    "api-key",
    "x-api-key",
    "cookie",
    "set-cookie",
    "openai-organization",
    "openai-project",
    "user-agent",
)


# The settings that shape a request body: replay must send exactly what was recorded.
REQUEST_SETTINGS = (
    "model",
    "mode",
    "base_url",
    "temperature",
    "max_tokens",
    "max_reasks",
    "context_tokens",
    "chunk_chars",
    "chunk_overlap",
    "cache_hint",
)


@dataclass(frozen=True)
class CassetteSet:
    name: str
    path: Path
    prompt_version: str
    recorded: dict[str, Any]

    def cassette(self, doc_id: str) -> Path:
        return self.path / f"{doc_id}.yaml"

    def settings(self) -> LLMSettings:
        """Settings that send the recorded requests again; no key, no transport retries."""
        known = {k: v for k, v in self.recorded.items() if k in REQUEST_SETTINGS}
        return LLMSettings(**known, api_key="not-needed", max_attempts=1)


def load_set(name: str, root: Path = CASSETTE_ROOT) -> CassetteSet:
    path = root / name
    meta = path / "set.toml"
    if not meta.is_file():
        known = (
            sorted(p.name for p in root.iterdir() if (p / "set.toml").is_file())
            if root.is_dir()
            else []
        )
        raise CassetteError(
            f"no cassette set {name!r} in {root}/ (known: {known or 'none'}); "
            f"record one with `{RECORD_COMMAND}`"
        )
    data = tomllib.loads(meta.read_text("utf-8"))
    return CassetteSet(
        name=name,
        path=path,
        prompt_version=data["prompt_version"],
        recorded=data.get("settings", {}),
    )


def write_set(path: Path, settings: LLMSettings, *, prompt_version: str, command: str) -> None:
    path.mkdir(parents=True, exist_ok=True)
    lines = [
        f"prompt_version = {json.dumps(prompt_version)}",
        f"recorded_with = {json.dumps(command)}",
        "",
        "[settings]",
    ]
    for key in REQUEST_SETTINGS:
        value = getattr(settings, key)
        if value is not None:
            lines.append(f"{key} = {json.dumps(value)}")
    (path / "set.toml").write_text("\n".join(lines) + "\n", "utf-8")


def _redacted(body: Any) -> Any:
    """A body with every secret in use, and anything shaped like a key, masked: a server
    or a model may echo the key inside an answer, and a repair shows the answer back."""
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return body  # not text: nothing a key could be read from as written
        clean = redact(text)
        return body if clean == text else clean.encode("utf-8")
    if isinstance(body, str):
        return redact(body)
    return body


def _scrub_request(request: Any) -> Any:
    for name in list(request.headers):
        if name.lower() in _SECRET_HEADERS or name.lower().startswith("x-stainless"):
            del request.headers[name]
    request.body = _redacted(request.body)
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in _SECRET_HEADERS:
            del headers[name]
    body = response.get("body")
    if isinstance(body, dict) and "string" in body:
        body["string"] = _redacted(body["string"])
    return response


def _parse(body: Any) -> Any:
    if body is None or body == b"" or body == "":
        return None
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    try:
        return json.loads(text)
    except ValueError:
        return text


def json_body(r1: Any, r2: Any) -> None:
    """vcrpy matcher: the two requests carry the same JSON (whatever the key spacing)."""
    if _parse(r1.body) != _parse(r2.body):
        raise AssertionError("request bodies differ")


class ReadableYaml:
    """vcrpy serializer: JSON bodies stored as YAML structures, Chinese left readable."""

    @staticmethod
    def serialize(data: dict[str, Any]) -> str:
        for item in data.get("interactions", []):
            request, response = item["request"], item["response"]
            request["body"] = {"json": _parse(request.get("body"))}
            body = response.get("body", {}).get("string")
            response["body"] = {"json": _parse(body)}
        return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))

    @staticmethod
    def deserialize(text: str) -> dict[str, Any]:
        data: dict[str, Any] = yaml.safe_load(text) or {}
        for item in data.get("interactions", []):
            for part, key in ((item["request"], None), (item["response"], "string")):
                value = part.get("body", {}).get("json")
                raw = (
                    None
                    if value is None
                    else (
                        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                    )
                )
                encoded = raw.encode("utf-8") if raw is not None else b""
                part["body"] = encoded if key is None else {key: encoded}
        return data


def configure(vcr: Any) -> Any:
    vcr.register_serializer("yaml", ReadableYaml)  # replaces vcrpy's, keeps the .yaml name
    vcr.register_matcher("json_body", json_body)
    return vcr


def vcr_options(record_mode: str = "none") -> dict[str, Any]:
    return {
        "record_mode": record_mode,
        "match_on": MATCH_ON,
        "serializer": "yaml",
        "before_record_request": _scrub_request,
        "before_record_response": _scrub_response,
        "decode_compressed_response": True,
    }


@contextmanager
def replaying(cassette: Path) -> Iterator[Any]:
    """Serve every HTTP request inside from ``cassette``; nothing reaches the network."""
    import vcr

    if not cassette.is_file():
        raise CassetteError(f"no cassette {cassette}; record it with `{RECORD_COMMAND}`")
    recorder = configure(vcr.VCR(**vcr_options("none")))
    with recorder.use_cassette(str(cassette)) as tape:
        yield tape
