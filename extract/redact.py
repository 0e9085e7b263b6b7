"""One redaction step for every string that leaves the process: records, the store, logs.

Servers and gateways sometimes echo the Authorization header in an error body; whatever
reaches a user-visible or on-disk string passes through :func:`redact` first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "[redacted]"

# Shapes of credentials that are never meant to be shown, whichever key is active.
_SHAPES = re.compile(
    r"(?i)(?P<bearer>bearer\s+)[A-Za-z0-9._~+/=-]{6,}"
    r"|\bsk-[A-Za-z0-9_-]{8,}"
    r"|(?P<named>api[_-]?key[\"']?\s*[:=]\s*[\"']?)[A-Za-z0-9._-]{12,}"
)


def _mask(match: re.Match[str]) -> str:
    return (match.group("bearer") or match.group("named") or "") + MASK


_active: set[str] = set()


def register_secret(secret: str | None) -> None:
    """Remember a secret in use by this process so that :func:`redact` removes it verbatim."""
    # Very short values ("x", "not-needed") would mask ordinary words and protect nothing.
    if secret and len(secret) >= 6 and secret != "not-needed":
        _active.add(secret)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every active or given secret, and anything shaped like a key, masked."""
    given = {s for s in secrets if s and len(s) >= 6}
    for secret in sorted(_active | given, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return _SHAPES.sub(_mask, text)
