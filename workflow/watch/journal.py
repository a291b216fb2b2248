"""The daemon's journal: French messages to registry/journal.log (rotated) and the console."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(message)s"
DATE = "%d/%m/%Y %H:%M:%S"
LEVELS_FR = {"DEBUG": "DÉTAIL", "INFO": "INFO", "WARNING": "ATTENTION", "ERROR": "ERREUR", "CRITICAL": "CRITIQUE"}


class _French(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        record.levelname = LEVELS_FR.get(record.levelname, record.levelname)
        return super().format(record)


def setup_journal(path: Path) -> None:
    """Send the workflow's log records to a rotated file and to the console, in French."""
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger("workflow")
    root.setLevel(logging.INFO)
    formatter = _French(FORMAT, DATE)
    for handler in (
        logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"),
        logging.StreamHandler(),
    ):
        handler.setFormatter(formatter)
        root.addHandler(handler)
