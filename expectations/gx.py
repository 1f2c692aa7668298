"""Great Expectations, loaded for the suites of this package: analytics off, scipy.stats deferred.

Importing GX takes seconds, on every run that validates. About a quarter of it is scipy.stats, which
GX imports at its own import time for the one expectation that needs it (a KL divergence), and
which no suite here uses. It is registered to load on first use instead (importlib's LazyLoader):
an expectation that does use it still gets the whole module, a second later.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
from types import ModuleType

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

# Modules GX imports when it is imported but that only expectations our suites lack use. (A module
# imported as `import x as y` loads at once all the same: the import reads its attributes. So does
# altair, which GX imports so.)
DEFERRED_MODULES = ("scipy.stats",)

_deferring = threading.Lock()


def great_expectations() -> ModuleType:
    """The ``great_expectations`` module, imported with :data:`DEFERRED_MODULES` deferred."""
    with _deferring:
        for name in DEFERRED_MODULES:
            defer(name)
    import great_expectations as gx

    return gx


def defer(name: str) -> None:
    """Register module ``name`` (its parent package is imported) to load when first used."""
    if name in sys.modules:
        return
    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError:  # its package is not installed: GX says what it misses when imported
        return
    if spec is None or spec.loader is None:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)

