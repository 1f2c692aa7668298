"""zhibiao's report source layer: bytes in, indicator mentions out.

A plain library with no Dagster in it. The entry point is
:func:`sources.report.parse_report`; each step is its own module so it can be
tested on its own text.
"""

from sources.decode import RejectedFile, decode_report
from sources.report import EXTRACTOR_VERSION, ParsedReport, parse_report, read_document

__all__ = ["EXTRACTOR_VERSION", "ParsedReport", "RejectedFile", "decode_report", "parse_report", "read_document"]
