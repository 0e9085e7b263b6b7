"""Command-line options shared by several commands, and turning them into Options."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from extract.llm.settings import LLMSettings
    from extract.pipeline import Options


def model_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """How narrative facts are found: the rules engine, a model, or both."""
    decorators = [
        click.option(
            "--method",
            type=click.Choice(["rules", "llm", "hybrid"]),
            default=None,
            help="rules (default: no model), llm, or hybrid (both, merged). Naming "
            "a provider, model or base URL implies llm.",
        ),
        click.option(
            "--provider",
            help="Preset: openai, deepseek, qwen, zhipu, moonshot, vllm, ollama, "
            "llamacpp, or local (the embedded server, started as needed).",
        ),
        click.option("--model", "model_name", help="Model name (else NIANBAO_MODEL, preset)."),
        click.option("--base-url", help="OpenAI-compatible endpoint (else OPENAI_BASE_URL)."),
        click.option(
            "--mode",
            type=click.Choice(["tools", "json_schema", "json", "md_json"]),
            help="How structured output is requested (default: the preset's).",
        ),
        click.option(
            "--config",
            "config_file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            help="TOML file with an [llm] table (default: ./nianbao.toml if any).",
        ),
    ]
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


def _settings(model: dict[str, Any], base_url: str | None = None) -> LLMSettings:
    from extract.llm.settings import ConfigError, resolve_with_source

    try:
        settings, source = resolve_with_source(
            provider=model.get("provider"),
            model=model.get("model_name"),
            base_url=base_url or model.get("base_url"),
            mode=model.get("mode"),
            config=model.get("config_file"),
        )
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    if source.path is not None and not source.explicit:
        note = f"model settings also from {source.path} (found in the working directory)"
        if source.ignored:
            note += (
                f"; its {', '.join(source.ignored)} was ignored: a config file found "
                f"implicitly never chooses the endpoint (pass --config {source.path} to use it)"
            )
        click.echo(note, err=True)
    return settings


@contextmanager
def model_session(model: dict[str, Any], max_bytes: int | None = None) -> Iterator[Options]:
    """Options for the chosen method, with the embedded server running while they are used
    when ``--provider local`` asks for it."""
    from extract.ingest import DEFAULT_MAX_BYTES
    from extract.methods import options_for

    method = model.get("method")
    wants_model = any(model.get(k) for k in ("provider", "model_name", "base_url"))
    if method is None:
        method = "llm" if wants_model else "rules"
    limit = max_bytes or DEFAULT_MAX_BYTES
    if method == "rules":
        yield options_for("rules", max_bytes=limit)
        return
    if model.get("provider") == "local" and not model.get("base_url"):
        from extract.llm.local_server import LocalServerError, running

        try:
            with running() as url:
                yield options_for(method, _settings(model, url), max_bytes=limit)
        except LocalServerError as exc:
            raise click.ClickException(str(exc)) from exc
        return
    yield options_for(method, _settings(model), max_bytes=limit)
