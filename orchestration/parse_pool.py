"""Parse report files on every core: a pool of worker processes, each with jieba loaded once.

A handful of small files parse faster here than a pool starts, so they are parsed in this process.
A worker that dies on a file (killed for memory, crashed) costs that file alone: the others are
parsed again, each in a fresh worker, and the one that kills its worker again is rejected.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.context import SpawnContext, SpawnProcess

from orchestration.environment import variables_set
from sources import ParsedReport, RejectedFile
from sources.report import ReportFile, parse_reports, warm_up
from sources.budget import Budget

# Below this much text a pool costs more to start (a second per worker to load jieba) than it saves.
POOL_MIN_BYTES = 2 * 1024 * 1024
# Files are parsed this much text at a time (sources.report.parse_reports): a batch of a megabyte
# parsed a folder of reports a quarter faster than one file at a time, and keeps both workers busy
# to the end of a run.
BATCH_BYTES = 1024 * 1024
POLARS_THREADS = "POLARS_MAX_THREADS"


@dataclass(frozen=True)
class ParseJob:
    key: str  # the caller's id for the file
    data: bytes
    source_file: str
    document_id: str


@dataclass(frozen=True)
class ParseOutcome:
    job: ParseJob
    report: ParsedReport | None
    rejected: str | None  # the reason, when the file is not loaded


def parse_all(jobs: list[ParseJob], budget: Budget, workers: int) -> Iterator[ParseOutcome]:
    """Every job's outcome, in the order they finish."""
    if pooled([len(j.data) for j in jobs], workers):
        with pool(min(workers, len(jobs))) as executor:
            yield from parse_on(executor, jobs, budget)
    else:
        for batch in batches(jobs):
            yield from parse_batch(batch, budget)


def pooled(sizes: list[int], workers: int) -> bool:
    """Whether files of these sizes are parsed on a pool of their own (else here)."""
    return workers > 1 and len(sizes) > 1 and sum(sizes) >= POOL_MIN_BYTES


def batches(jobs: list[ParseJob]) -> list[list[ParseJob]]:
    """The jobs in order, a batch of up to ``BATCH_BYTES`` (or a single larger file) at a time."""
    found: list[list[ParseJob]] = []
    size = 0
    for job in jobs:
        if not found or size + len(job.data) > BATCH_BYTES:
            found.append([])
            size = 0
        found[-1].append(job)
        size += len(job.data)
    return found


def parse_on(executor: ProcessPoolExecutor, jobs: list[ParseJob], budget: Budget) -> Iterator[ParseOutcome]:
    unfinished = {job.key: job for job in jobs}
    try:
        futures = [executor.submit(parse_batch, batch, budget) for batch in batches(jobs)]
        for future in as_completed(futures):
            for outcome in future.result():
                del unfinished[outcome.job.key]
                yield outcome
    except BrokenProcessPool:
        for job in list(unfinished.values()):
            yield parse_alone(job, budget)


def parse_alone(job: ParseJob, budget: Budget) -> ParseOutcome:
    """One file in a worker of its own, so a worker that dies names the file that killed it."""
    try:
        with pool(1) as executor:
            return executor.submit(parse_batch, [job], budget).result()[0]
    except BrokenProcessPool:
        return ParseOutcome(job, None, "the parser's process died reading this file (out of memory, or a crash); "
                                       "check that it is a report")


def parse_batch(jobs: list[ParseJob], budget: Budget) -> list[ParseOutcome]:
    files = [ReportFile(job.data, job.source_file, job.document_id) for job in jobs]
    return [ParseOutcome(job, None, parsed.reason) if isinstance(parsed, RejectedFile) else ParseOutcome(job, parsed, None)
            for job, parsed in zip(jobs, parse_reports(files, budget))]


def pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, mp_context=WorkerContext(), initializer=warm_up)


class WorkerProcess(SpawnProcess):
    """A worker process whose polars runs its queries on one thread: the pool has a worker per core
    already, and polars' own threads only fought them (2,000 reports on two workers: 5–17% less
    wall time and 4–16% less CPU in four alternating pairs). polars reads the setting when it is
    imported, which a spawned process does before it runs any of the pool's code, so the variable
    is in the environment the process starts with."""

    def start(self) -> None:
        with variables_set({POLARS_THREADS: "1"}):
            super().start()


class WorkerContext(SpawnContext):
    # spawn, not fork: the parent runs Dagster's threads, which a forked child must not inherit.
    Process = WorkerProcess
