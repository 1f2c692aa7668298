"""How much one file may cost to parse. Past it, the file is rejected with a reason; the run goes on."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from sources.decode import RejectedFile


@dataclass(frozen=True)
class Budget:
    # A real report parses in well under a second; two minutes means something is wrong with the file.
    seconds: float = 60.0
    # A real report has a few thousand figures; each one costs memory until the file is loaded.
    max_mentions: int = 2_000_000


@dataclass
class Meter:
    """A budget being spent on one file."""

    budget: Budget
    started: float = field(default_factory=time.monotonic)

    def check(self, mentions: int = 0) -> None:
        elapsed = time.monotonic() - self.started
        if elapsed > self.budget.seconds:
            raise RejectedFile(
                f"too slow to parse: stopped after {elapsed:.0f} s (the limit is {self.budget.seconds:.0f} s, "
                "ZHIBIAO_PARSE_TIMEOUT); split the file or check that it is a report"
            )
        if mentions > self.budget.max_mentions:
            raise RejectedFile(
                f"too many figures: more than {self.budget.max_mentions:,} (ZHIBIAO_MAX_MENTIONS); "
                "split the file or check that it is a report"
            )
