"""Which third-party log lines a nianbao process shows: set by the processes' entry points
(the CLI, a pool worker), never on import, so a program using the library keeps its own
logging configuration."""

from __future__ import annotations

import logging

# pdfminer logs every font quirk at WARNING; instructor logs every failed attempt at ERROR.
# Neither is the user's problem: the record's errors say what matters.
QUIET = {"pdfminer": logging.ERROR, "instructor": logging.CRITICAL}


def quiet_third_party_logs() -> None:
    for name, level in QUIET.items():
        logging.getLogger(name).setLevel(level)
