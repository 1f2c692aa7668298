"""Parse report files on every core: a pool of worker processes, each with jieba loaded once.

A handful of small files parse faster here than a pool starts, so they are parsed in this process,
or by the helper ``zhibiao run`` warmed for them (:mod:`orchestration.warm_helper`).
A worker that dies on a file (killed for memory, crashed) costs that file alone: the others are
parsed again, each in a fresh worker, and the one that kills its worker again is rejected.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from orchestration import warm_helper
from sources import ParsedReport, RejectedFile, parse_report
from sources.report import warm_up
from sources.budget import Budget

# Below this much text a pool costs more to start (a second per worker to load jieba) than it saves.
POOL_MIN_BYTES = 2 * 1024 * 1024


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
    elif (helper := warm_helper.current()) is not None:
        yield from parse_on(helper, jobs, budget)
    else:
        for job in jobs:
            yield parse_one(job, budget)


def pooled(sizes: list[int], workers: int) -> bool:
    """Whether files of these sizes are parsed on a pool of their own (else here, or in the helper)."""
    return workers > 1 and len(sizes) > 1 and sum(sizes) >= POOL_MIN_BYTES


def parse_on(executor: ProcessPoolExecutor, jobs: list[ParseJob], budget: Budget) -> Iterator[ParseOutcome]:
    unfinished = {job.key: job for job in jobs}
    try:
        futures = [executor.submit(parse_one, job, budget) for job in jobs]
        for future in as_completed(futures):
            outcome = future.result()
            del unfinished[outcome.job.key]
            yield outcome
    except BrokenProcessPool:
        for job in list(unfinished.values()):
            yield parse_alone(job, budget)


def parse_alone(job: ParseJob, budget: Budget) -> ParseOutcome:
    """One file in a worker of its own, so a worker that dies names the file that killed it."""
    try:
        with pool(1) as executor:
            return executor.submit(parse_one, job, budget).result()
    except BrokenProcessPool:
        return ParseOutcome(job, None, "the parser's process died reading this file (out of memory, or a crash); "
                                       "check that it is a report")


def parse_one(job: ParseJob, budget: Budget) -> ParseOutcome:
    try:
        return ParseOutcome(job, parse_report(job.data, job.source_file, job.document_id, budget), None)
    except RejectedFile as err:
        return ParseOutcome(job, None, err.reason)


def pool(workers: int) -> ProcessPoolExecutor:
    # spawn, not fork: the parent runs Dagster's threads, which a forked child must not inherit.
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=warm_up)
