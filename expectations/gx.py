"""Great Expectations, loaded for the suites of this package: analytics off, scipy.stats and
altair deferred.

Importing GX takes seconds, on every run that validates. About a third of it was scipy.stats and
altair, which GX imports at its own import time for the one expectation that needs them (a KL
divergence, and the chart that shows it), and which no suite here uses. They load on first use
instead: an expectation that does use them still gets the whole modules, a second later.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import threading
from types import ModuleType

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

# Modules GX imports when it is imported but that only expectations our suites lack use: those it
# reads from their package (`from scipy import stats`) are made lazy modules (importlib's LazyLoader).
DEFERRED_MODULES = ("scipy.stats",)
# Those it imports by name (`import altair as alt`): an import statement reads the module's
# ``__spec__``, which loads a lazy module at once, so these get a stand-in (:class:`StandIn`).
STOOD_IN_MODULES = ("altair",)

# Modules GX imports that the thread which starts it in the background may be importing at the same
# time (Dagster's storage loads SQLAlchemy's ORM on first use): two threads importing one module can
# be handed it half made (CPython's import deadlock avoidance), which failed a run's step with
# "partially initialized module 'sqlalchemy.orm.exc'". The caller imports them first.
SHARED_MODULES = ("sqlalchemy.orm",)

_deferring = threading.Lock()


def load_in_background() -> None:
    """Import GX in a thread of its own, while this one goes on (after :data:`SHARED_MODULES`)."""
    for name in SHARED_MODULES:
        importlib.import_module(name)
    threading.Thread(target=great_expectations, daemon=True).start()


def great_expectations() -> ModuleType:
    """The ``great_expectations`` module, imported with :data:`DEFERRED_MODULES` and
    :data:`STOOD_IN_MODULES` loaded on first use."""
    with _deferring:
        for name in DEFERRED_MODULES:
            defer(name)
        for name in STOOD_IN_MODULES:
            stand_in(name)
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


def stand_in(name: str) -> None:
    """Put a :class:`StandIn` for top-level module ``name`` where an import finds it, if the module
    is installed and not loaded yet."""
    if name in sys.modules or importlib.util.find_spec(name) is None:
        return
    sys.modules[name] = StandIn(name)


class StandIn(ModuleType):
    """An empty module that imports the module it is named after the first time anything is read
    from it, and from then on answers with that module's attributes."""

    _loading = threading.Lock()

    def __getattr__(self, attribute: str):
        with StandIn._loading:
            if "_module" not in self.__dict__:
                if sys.modules.get(self.__name__) is self:
                    del sys.modules[self.__name__]
                self.__dict__["_module"] = importlib.import_module(self.__name__)
        return getattr(self.__dict__["_module"], attribute)
