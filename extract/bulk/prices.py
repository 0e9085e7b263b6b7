"""Estimated cost from a per-model price table the user can override.

Prices are US dollars per million tokens: ``input`` (prompt tokens not served from the
provider's cache), ``cached_input`` (prompt tokens it served from its prompt cache; the
``input`` price when not given) and ``output``. A table is checked when it is loaded, so a
malformed ``--prices`` file is a usage error before any work, not a traceback after it.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extract.errors import NianbaoError
from extract.record import Usage


class PricesError(NianbaoError):
    """A price table that cannot be used; says which file and entry."""


class ModelPrice(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    input: float = Field(ge=0)
    output: float = Field(ge=0)
    cached_input: float | None = Field(default=None, ge=0)

    def cached(self) -> float:
        return self.input if self.cached_input is None else self.cached_input


class PriceTable(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    models: dict[str, ModelPrice] = Field(default_factory=dict)


def load_prices(path: Path | None = None) -> dict[str, ModelPrice]:
    where = str(path) if path is not None else "prices.toml (packaged)"
    try:
        if path is None:
            text = resources.files("extract.data").joinpath("prices.toml").read_text("utf-8")
        else:
            text = path.read_text("utf-8")
        raw = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PricesError(f"{where}: cannot read the price table: {exc}") from exc
    try:
        return PriceTable.model_validate(raw).models
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise PricesError(
            f'{where}: {problems} (expected [models."NAME"] tables with input, output and '
            "optionally cached_input: finite US dollars per million tokens, ≥ 0)"
        ) from None


def estimate(usage: Usage, model: str | None, prices: dict[str, ModelPrice]) -> float | None:
    """US dollars for this usage, or None when the model has no price. Cached prompt tokens
    are billed at the cached price, the rest of the prompt at the input price."""
    if model is None or model not in prices:
        return None
    price = prices[model]
    cached = min(usage.cached_input_tokens, usage.input_tokens)
    fresh = usage.input_tokens - cached
    return (
        fresh * price.input + cached * price.cached() + usage.output_tokens * price.output
    ) / 1e6
