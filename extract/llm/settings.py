"""Where the LLM path gets its settings, resolved once in a documented order:

explicit arguments (CLI flags) > config file ``[llm]`` table > environment
(``NIANBAO_MODEL``, ``OPENAI_BASE_URL``, the provider's key variable, ``OPENAI_API_KEY``) >
provider preset (``data/providers.toml``).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from extract.errors import NianbaoError

MODES = ("tools", "json_schema", "json", "md_json")


class ConfigError(NianbaoError):
    """The LLM path is asked for but cannot be configured; says exactly what to set."""


@cache
def presets(path: str | None = None) -> dict[str, dict[str, Any]]:
    if path is None:
        text = resources.files("extract.data").joinpath("providers.toml").read_text("utf-8")
        return tomllib.loads(text)
    with open(path, "rb") as fh:
        return tomllib.load(fh)


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
    max_attempts: int = 5  # transport attempts per request (429, 5xx, timeouts, resets)
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    timeout: float = 120.0
    max_tokens: int = 2048  # bounds one answer; a runaway small model otherwise fills n_ctx
    chunk_chars: int = 3000
    chunk_overlap: int = 200

    def redacted(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "model": self.model,
            "base_url": self.base_url,
            "mode": self.mode,
        }


def _file_settings(config: Path | None) -> dict[str, Any]:
    if config is None:
        default = Path("nianbao.toml")
        if not default.is_file():
            return {}
        config = default
    try:
        with config.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config file {config}: {exc}") from exc
    llm = data.get("llm", {})
    if "api_key" in llm:
        raise ConfigError(
            f"{config}: do not put API keys in config files; set the variable "
            "named by api_key_env (or OPENAI_API_KEY) instead"
        )
    return dict(llm)


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
    env = dict(os.environ) if env is None else env
    from_file = _file_settings(config)
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
    key_env = preset.get("api_key_env", "OPENAI_API_KEY")
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
    return replace(settings, **overrides) if overrides else settings
