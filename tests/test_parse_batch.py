"""Reports parsed together (one polars query for a batch of files) give what each gives alone; the
pool's workers that parse them."""

import os

import polars as pl

from orchestration.parse_pool import BATCH_BYTES, POLARS_THREADS, ParseJob, batches, pool
from sources import RejectedFile
from sources.report import ReportFile, parse_report, parse_reports
from sources.structure import MAX_SENTENCE_CHARS

# The same paragraph numbers in each report, read in different contexts: a lead (今年，…) or a
# section heading of one report must not reach into the paragraph of the same number in the next.
PLAN = "2025年某市人民政府工作报告\n各位代表：\n过去一年，新建学校5所。今年，地区生产总值增长5%左右。新增城镇就业12万人以上。\n"
REVIEW = "2025年某区人民政府工作报告\n各位代表：\n新建学校3所。新开工项目52个，完成投资180亿元。\n"
SECTIONS = ("某县人民政府工作报告\n一、2024年工作回顾\n全县粮食产量达到45万吨。\n"
            "二、2025年工作安排\n力争新培育高新技术企业100家以上。\n")
LONG = "某市政府工作报告\n" + "，".join(f"第{i}项工程完成投资{i}亿元" for i in range(1, 60)) + "。\n"


def test_a_batch_gives_each_report_what_it_gives_alone():
    assert len(LONG) > MAX_SENTENCE_CHARS
    files = [ReportFile(PLAN.encode(), "plan.txt"), ReportFile(b"", "empty.txt"),
             ReportFile(REVIEW.encode(), "review.txt"), ReportFile(SECTIONS.encode(), "sections.txt"),
             ReportFile(LONG.encode(), "long.txt"), ReportFile(b"\x89PNG\r\n", "picture.txt")]
    together = parse_reports(files)
    assert len(together) == len(files)
    for f, outcome in zip(files, together):
        try:
            alone = parse_report(f.data, f.file_name)
        except RejectedFile as err:
            assert isinstance(outcome, RejectedFile) and outcome.reason == err.reason
            continue
        assert outcome.document == alone.document
        assert outcome.mentions.height > 0
        assert outcome.mentions.equals(alone.mentions), f.file_name
        assert outcome.long_sentences.equals(alone.long_sentences), f.file_name
    assert together[0].mentions["is_target"].to_list() == [False, True, True]
    assert not together[2].mentions["is_target"].any()
    assert together[4].long_sentences.height == 1


def test_a_batch_of_one_report_over_its_mentions_budget_rejects_that_report_only():
    from sources.budget import Budget

    many = "某市政府工作报告\n" + "".join(f"新增项目{i}个。" for i in range(1, 40)) + "\n"
    outcomes = parse_reports([ReportFile(PLAN.encode(), "plan.txt"), ReportFile(many.encode(), "many.txt")],
                             Budget(max_mentions=10))
    assert isinstance(outcomes[1], RejectedFile) and "too many figures" in outcomes[1].reason
    assert outcomes[0].mentions.equals(parse_report(PLAN.encode(), "plan.txt").mentions)


def test_jobs_are_batched_in_order_up_to_a_size_and_a_large_file_goes_alone():
    sizes = [BATCH_BYTES // 4] * 5 + [BATCH_BYTES * 2] + [10, 10]
    jobs = [ParseJob(str(i), b"x" * size, f"{i}.txt", str(i)) for i, size in enumerate(sizes)]
    found = [[int(job.key) for job in batch] for batch in batches(jobs)]
    assert found == [[0, 1, 2, 3], [4], [5], [6, 7]]


def test_pool_workers_run_polars_on_one_thread_and_the_parent_keeps_its_environment(monkeypatch):
    for setting in ("3", None):
        if setting is None:
            monkeypatch.delenv(POLARS_THREADS, raising=False)
        else:
            monkeypatch.setenv(POLARS_THREADS, setting)
        with pool(1) as executor:
            assert executor.submit(pl.thread_pool_size).result() == 1
        assert os.environ.get(POLARS_THREADS) == setting
