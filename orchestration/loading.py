"""Python's cyclic garbage collector, paused while a process loads what it runs with.

Loading Dagster, dagster-dbt, dbt and the project makes a few hundred thousand objects that live
as long as the process and almost no garbage, and the collector went through all of them again
and again as they came: in a one-new-file `zhibiao run` at 20,000 files, eight full collections
and 1.2 s of the command's 8 s. So the collector pauses while a process loads (:func:`loading`)
and, once it is loaded (:func:`loaded`), what it loaded is set aside for good (``gc.freeze``): the
run's collections go through the run's own objects only. In the warm worker that matters twice: a
forked run neither scans nor writes the worker's objects, so their pages stay shared.
"""

from __future__ import annotations

import gc


def loading() -> None:
    gc.disable()


def loaded() -> None:
    """What is loaded is set aside, if the collector was paused for it (a process that did not
    pause it, such as a test run's, keeps its collector as it was)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
