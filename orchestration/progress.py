"""How far a run has got, for the terminal that started it.

Steps report here; nothing listens unless ``zhibiao run`` has a terminal to draw a progress bar
on (the Dagster UI has its own event log, and a run in a process of its own reports to no one).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class Progress(Protocol):
    def phase(self, label: str, total: int | None = None) -> None:
        """A new stage of the run; ``total``: how many steps it has, when it counts them."""

    def advance(self, steps: int = 1) -> None:
        """Steps of the current stage done."""


class Silent:
    def __enter__(self) -> "Silent":
        return self

    def __exit__(self, *exc) -> None:
        pass

    def phase(self, label: str, total: int | None = None) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass


_current: Progress = Silent()


def current() -> Progress:
    return _current


@contextmanager
def reporting_to(progress: Progress) -> Iterator[Progress]:
    global _current
    previous, _current = _current, progress
    try:
        yield progress
    finally:
        _current = previous
