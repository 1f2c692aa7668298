"""zhibiao's report source layer: bytes in, indicator mentions out.

A plain library with no Dagster in it. The entry point is
:func:`sources.report.parse_report`; each step is its own module so it can be
tested on its own text.
"""

from __future__ import annotations

import importlib

# The names the package exports, each loaded from its module on first use: importing one small
# module of the package (the settings need `sources.budget`) must not load the parser, polars and
# jieba with it (0.3 s of the `zhibiao` command's start, and of its helper's, which parses nothing).
EXPORTS = {
    "EXTRACTOR_VERSION": "sources.report",
    "ParsedReport": "sources.report",
    "RejectedFile": "sources.decode",
    "decode_report": "sources.decode",
    "parse_report": "sources.report",
    "read_document": "sources.report",
}

__all__ = sorted(EXPORTS)


def __getattr__(name: str):
    if name not in EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(EXPORTS[name]), name)
