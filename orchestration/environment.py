"""Environment variables set for a while, for what starts meanwhile and reads its settings from them
(dbt as a subprocess of a step, a parse pool's worker processes)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def variables_set(variables: dict[str, str]) -> Iterator[None]:
    """``variables`` in this process's environment while the block runs; then each as it was, or unset."""
    previous = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
