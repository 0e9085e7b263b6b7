"""Estimated cost from a per-model price table the user can override."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from extract.record import Usage


def load_prices(path: Path | None = None) -> dict[str, tuple[float, float]]:
    if path is None:
        raw = tomllib.loads(
            resources.files("extract.data").joinpath("prices.toml").read_text("utf-8")
        )
    else:
        raw = tomllib.loads(path.read_text("utf-8"))
    return {
        name: (float(p["input"]), float(p["output"])) for name, p in raw.get("models", {}).items()
    }


def estimate(
    usage: Usage, model: str | None, prices: dict[str, tuple[float, float]]
) -> float | None:
    """US dollars for this usage, or None when the model has no price."""
    if model is None or model not in prices:
        return None
    per_in, per_out = prices[model]
    return (usage.input_tokens * per_in + usage.output_tokens * per_out) / 1e6
