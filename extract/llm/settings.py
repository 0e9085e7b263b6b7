"""Where the LLM path gets its settings, resolved once in a documented order:

explicit arguments (CLI flags) > config file ``[llm]`` table > environment
(``NIANBAO_MODEL``, ``OPENAI_BASE_URL``, the provider's key variable, ``OPENAI_API_KEY``) >
provider preset (``data/providers.toml``).

A config file found implicitly (``./nianbao.toml``) may tune settings but never choose the
endpoint: a file in whatever folder a run starts in must not send the key somewhere else.
Its ``base_url`` counts only when the file is named with ``--config``.
"""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extract.errors import NianbaoError
from extract.redact import register_secret

MODES = ("tools", "json_schema", "json", "md_json")
CACHE_HINTS = ("prompt_cache_key", "cache_control")
# What is sent beside each chunk, in tokens: the static prompt, the response schema (in the
# prompt in json modes) and a margin for tokenisers that split Chinese finely.
PROMPT_RESERVE = 3000
MIN_CHUNK, MAX_CHUNK = 1000, 12000


class ConfigError(NianbaoError):
    """The LLM path is asked for but cannot be configured; says exactly what to set."""


class Tunables(BaseModel):
    """Settings a config file's ``[llm]`` table or a preset may give; typed and bounded."""

    model_config = ConfigDict(extra="forbid")

    provider: str | None = None
    model: str | None = None
    base_url: str | None = None
    mode: Literal["tools", "json_schema", "json", "md_json"] | None = None
    api_key_env: str | None = None
    temperature: float | None = Field(default=None, ge=0, le=2)
    max_reasks: int | None = Field(default=None, ge=0, le=10)
    max_attempts: int | None = Field(default=None, ge=1, le=20)
    backoff_initial: float | None = Field(default=None, gt=0, le=600)
    backoff_max: float | None = Field(default=None, gt=0, le=3600)
    timeout: float | None = Field(default=None, gt=0, le=3600)
    max_tokens: int | None = Field(default=None, ge=64)
    context_tokens: int | None = Field(default=None, ge=2048)
    chunk_chars: int | None = Field(default=None, ge=200)
    chunk_overlap: int | None = Field(default=None, ge=0)
    breaker_failures: int | None = Field(default=None, ge=1)
    cache_hint: Literal["prompt_cache_key", "cache_control"] | None = None


class Preset(Tunables):
    needs_key: bool = True
    embedded: bool = False


def _typed(model: type[Tunables], data: dict[str, Any], where: str) -> dict[str, Any]:
    try:
        checked = model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(table)'}: {e['msg']}"
            + (f" (got {e['input']!r})" if e["type"] != "extra_forbidden" else " (unknown key)")
            for e in exc.errors()
        )
        raise ConfigError(f"{where}: {problems}") from None
    return checked.model_dump(exclude_none=True, exclude_unset=True)


@cache
def presets(path: str | None = None) -> dict[str, dict[str, Any]]:
    if path is None:
        text = resources.files("extract.data").joinpath("providers.toml").read_text("utf-8")
        where = "providers.toml"
    else:
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read providers file {path}: {exc}") from exc
        where = path
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from exc
    return {name: _typed(Preset, table, f"{where} [{name}]") for name, table in raw.items()}


@dataclass(frozen=True)
class LLMSettings:
    model: str
    base_url: str | None
    mode: str = "tools"
    provider: str | None = None
    # The key is held here only; __repr__ hides it and nothing writes it anywhere.
    api_key: str = field(default="", repr=False)
    temperature: float = 0.0
    max_reasks: int = 2
    max_attempts: int = 3  # transport attempts per request (429, 5xx, timeouts, resets)
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    timeout: float = 120.0
    max_tokens: int = 2048  # bounds one answer; a runaway small model otherwise fills n_ctx
    context_tokens: int = 8192  # the model's context window: how large a chunk may be
    chunk_chars: int | None = None  # None: from context_tokens
    chunk_overlap: int = 200
    # After this many transport failures in a row, a run stops asking the model.
    breaker_failures: int = 5
    cache_hint: str | None = None  # how this provider is told a prompt prefix repeats

    def chunk_size(self) -> int:
        """Characters of report text per request: what the context window leaves once the
        prompt and the answer are reserved (Chinese text runs about a token a character),
        bounded so that one answer stays within ``max_tokens``."""
        if self.chunk_chars is not None:
            return self.chunk_chars
        room = self.context_tokens - self.max_tokens - PROMPT_RESERVE
        return max(MIN_CHUNK, min(MAX_CHUNK, room))

    def redacted(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "model": self.model,
            "base_url": self.base_url,
            "mode": self.mode,
        }


@dataclass(frozen=True)
class FileSettings:
    values: dict[str, Any]
    path: Path | None
    explicit: bool
    ignored: tuple[str, ...] = ()


def _file_settings(config: Path | None) -> FileSettings:
    explicit = config is not None
    if config is None:
        default = Path("nianbao.toml")
        if not default.is_file():
            return FileSettings({}, None, False)
        config = default
    try:
        with config.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {config}: {exc}") from exc
    llm = data.get("llm", {})
    if not isinstance(llm, dict):
        raise ConfigError(f"{config}: [llm] must be a table")
    if "api_key" in llm:
        raise ConfigError(
            f"{config}: do not put API keys in config files; set the variable "
            "named by api_key_env (or OPENAI_API_KEY) instead"
        )
    values = _typed(Tunables, llm, f"{config} [llm]")
    ignored: tuple[str, ...] = ()
    if not explicit and "base_url" in values:
        del values["base_url"]
        ignored = ("base_url",)
    return FileSettings(values, config, explicit, ignored)


def resolve(
    *,
    provider: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    mode: str | None = None,
    config: Path | None = None,
    providers_file: str | None = None,
    env: dict[str, str] | None = None,
    **overrides: Any,
) -> LLMSettings:
    """Settings from every source, in the documented order."""
    return resolve_with_source(
        provider=provider,
        model=model,
        base_url=base_url,
        mode=mode,
        config=config,
        providers_file=providers_file,
        env=env,
        **overrides,
    )[0]


def resolve_with_source(
    *,
    provider: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    mode: str | None = None,
    config: Path | None = None,
    providers_file: str | None = None,
    env: dict[str, str] | None = None,
    **overrides: Any,
) -> tuple[LLMSettings, FileSettings]:
    """Settings, and which config file (if any) gave some of them."""
    env = dict(os.environ) if env is None else env
    source = _file_settings(config)
    from_file = source.values
    provider = provider or from_file.get("provider") or env.get("NIANBAO_PROVIDER")
    table = presets(providers_file)
    if provider is not None and provider not in table:
        raise ConfigError(f"unknown provider {provider!r}; known: {', '.join(sorted(table))}")
    preset = table.get(provider, {}) if provider else {}
    chosen_model = (
        model or from_file.get("model") or env.get("NIANBAO_MODEL") or preset.get("model")
    )
    if not chosen_model:
        raise ConfigError(
            "no model given: pass --model, set NIANBAO_MODEL, or name a "
            "--provider (e.g. --provider deepseek)"
        )
    chosen_url = (
        base_url
        or from_file.get("base_url")
        or env.get("OPENAI_BASE_URL")
        or preset.get("base_url")
    )
    key_env = from_file.get("api_key_env") or preset.get("api_key_env", "OPENAI_API_KEY")
    api_key = env.get(key_env) or env.get("OPENAI_API_KEY") or ""
    if not api_key:
        if preset.get("needs_key", True) and provider is not None:
            raise ConfigError(f"no API key: set {key_env} (or OPENAI_API_KEY) in the environment")
        if provider is None and not chosen_url:
            raise ConfigError(
                "no API key: set OPENAI_API_KEY, or give --base-url for a "
                "local server that needs none"
            )
        api_key = "not-needed"  # local servers ignore it, the SDK insists on one
    register_secret(api_key)
    chosen_mode = mode or from_file.get("mode") or preset.get("mode") or "tools"
    if chosen_mode not in MODES:
        raise ConfigError(f"unknown mode {chosen_mode!r}; choose one of {', '.join(MODES)}")
    tunable = set(LLMSettings.__dataclass_fields__) - {
        "model",
        "base_url",
        "mode",
        "provider",
        "api_key",
    }
    # Presets may tune too (a CPU-bound local server needs a longer timeout); the file wins.
    numeric = {k: v for k, v in (preset | from_file).items() if k in tunable}
    settings = LLMSettings(
        model=chosen_model,
        base_url=chosen_url,
        mode=chosen_mode,
        provider=provider,
        api_key=api_key,
        **numeric,
    )
    settings = replace(settings, **overrides) if overrides else settings
    _check_numbers(settings)
    return settings, source


def _check_numbers(settings: LLMSettings) -> None:
    for name in ("temperature", "timeout", "backoff_initial", "backoff_max"):
        value = getattr(settings, name)
        if not math.isfinite(value) or value < 0:
            raise ConfigError(f"{name} must be a finite number ≥ 0, not {value!r}")
