"""The five bundled sample reports and their gold, wherever nianbao is installed.

In a checkout they are ``eval/fixtures/``; a wheel carries a copy as ``extract/_samples/``
(pyproject's force-include), so ``nianbao eval --run`` works from any directory.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def samples_dir() -> Path:
    checkout = Path(__file__).resolve().parents[1] / "eval" / "fixtures"
    if checkout.is_dir():
        return checkout
    return Path(str(resources.files("extract").joinpath("_samples")))
