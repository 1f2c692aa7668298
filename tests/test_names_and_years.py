"""Indicator names, years and targets on the shapes real reports use (the team's own sentences),
and the national GDP growth targets and outcomes of the development corpus (known answers)."""

import polars as pl
import pytest

from sources import parse_report
from sources.names import without_repeats
from sources.rules import load_rules
from tests.conftest import SHARED
from tests.helpers import extract, only


def rows(text: str, report_year: int | None = 2024) -> list[tuple]:
    return extract(text, report_year).select("indicator_name", "mention_text", "metric", "value").rows()


def test_a_list_with_fenbie_pairs_each_figure_with_its_item():
    assert rows("智能手表、无人机、储能电池产量分别增长12%、30%、85%。") == [
        ("智能手表产量", "12%", "growth", 12.0),
        ("无人机产量", "30%", "growth", 30.0),
        ("储能电池产量", "85%", "growth", 85.0),
    ]


def test_a_list_shares_its_head_and_the_next_list_moves_the_same_items():
    found = rows("城镇、农村居民人均可支配收入分别达5.1万元、2.6万元，增长4.5%、6.8%。")
    assert [r[0] for r in found] == ["城镇居民人均可支配收入", "农村居民人均可支配收入"] * 2
    assert [r[2] for r in found] == ["level", "level", "growth", "growth"]


def test_a_list_of_short_items_keeps_the_first_items_qualifier():
    found = rows("万元GDP能耗、水耗分别下降3.1%和2.4%。")
    assert [(r[0], r[3]) for r in found] == [("万元GDP能耗", -3.1), ("万元GDP水耗", -2.4)]


def test_every_figure_of_a_list_takes_the_unit_written_after_the_last():
    found = extract("研发投入强度、城镇化率、森林覆盖率分别提高0.3、1.1、0.6个百分点。")
    assert found.select("indicator_name", "value", "unit").rows() == [
        ("研发投入强度", 0.3, "百分点"), ("城镇化率", 1.1, "百分点"), ("森林覆盖率", 0.6, "百分点"),
    ]


def test_the_noun_after_the_number_names_a_verb_alone():
    assert only("新筹建6家省级技术创新中心。")["indicator_name"] == "省级技术创新中心"


def test_a_share_keeps_its_subject_and_base():
    assert only("数字经济增加值占地区生产总值的比重达到41.2%。")["indicator_name"] == "数字经济增加值占地区生产总值比重"
    found = extract("粮食产量700万吨，占全国的8.5%。")
    assert found.select("indicator_name", "metric").rows() == [("粮食产量", "level"), ("粮食产量占全国", "share")]


def test_a_generic_word_reaches_for_its_subject():
    assert only("市政工程完成投资320亿元。")["indicator_name"] == "市政工程完成投资"
    found = extract("签约产业项目86个、总投资910亿元。")
    assert found["indicator_name"].to_list() == ["签约产业项目", "签约产业项目总投资"]


def test_both_figures_of_from_a_to_b_name_the_same_thing():
    found = extract("人均预期寿命从79.2岁提高到80.1岁。")
    assert found["indicator_name"].to_list() == ["人均预期寿命", "人均预期寿命"]


def test_a_list_after_a_clause_of_figures_pairs_with_that_clauses_items():
    found = rows("全年接待旅客2.1亿人次、旅游收入2600亿元，分别增长7%、9.5%。")
    assert [r[0] for r in found] == ["接待旅客", "旅游收入"] * 2


def test_a_list_compared_with_a_whole_keeps_each_items_share():
    found = rows("发明专利授权1.2万件、PCT申请3100件，分别占全省的40%和52%。")
    assert [r[0] for r in found[2:]] == ["发明专利授权占全省", "PCT申请占全省"]
    found = rows("城镇、农村低保标准，分别从每月800元、500元提高到900元、600元。")
    assert [r[0] for r in found] == ["城镇低保标准", "农村低保标准"] * 2


def test_a_count_names_the_thing_after_it_up_to_the_next_item():
    found = rows("全年新建8个社区书屋和15个口袋公园，12家企业入选省百强。")
    assert [r[0] for r in found] == ["社区书屋", "口袋公园", "企业入选省百强"]


def test_a_share_without_a_base_is_its_subjects_share():
    assert only("其中拥有自主品牌的占61.5%。")["indicator_name"] == "拥有自主品牌占比"


def test_a_word_that_ends_in_a_qualifier_leaves_the_figure_exact():
    m = only("家庭医生累计签约26.4万人。")
    assert (m["mention_text"], m["qualifier"], m["indicator_name"]) == ("26.4万人", "eq", "家庭医生累计签约")


def test_a_denominator_is_not_a_figure():
    assert only("亿元地区生产总值生产安全事故死亡率控制在0.02人/亿元以下。")["mention_text"] == "0.02人"


def test_a_comparison_with_last_year_is_not_part_of_the_name():
    found = extract("建议今年主要预期目标定为：本市生产总值比上年增长6%，城镇登记失业率控制在3%以内。")
    assert found["indicator_name"].to_list() == ["本市生产总值", "城镇登记失业率"]


def test_a_clause_of_a_bare_verb_names_the_thing_after_its_number():
    found = extract("新增普惠托位3200个，完成6所中学食堂改造工程。")
    assert found["indicator_name"].to_list() == ["新增普惠托位", "中学食堂改造工程"]


def test_shares_written_with_zhan_dao_and_counts_written_with_de():
    assert only("街道社康诊疗量占到62%。")["indicator_name"] == "街道社康诊疗量占比"
    assert only("市级福利彩票公益金，60%以上的资金用于社区养老。")["indicator_name"] == "资金用于社区养老"


def test_a_share_is_named_without_how_it_moves_and_so_without_its_own_subject():
    assert only("外贸出口占比提高1.8个百分点。")["indicator_name"] == "外贸出口占比"
    found = extract("全年科教支出21.6亿元，所占比重比上年提高0.9个百分点。")
    assert found["indicator_name"].to_list() == ["科教支出", "科教支出占比"]


def test_a_leading_preposition_or_goal_word_goes_only_where_it_is_a_word_of_its_own():
    assert only("对欠发达地区转移支付增长8%。")["indicator_name"] == "欠发达地区转移支付"
    assert only("对外贸易进出口总额增长5%。")["indicator_name"] == "对外贸易进出口总额"
    assert only("计划生育率达到98%。")["indicator_name"] == "计划生育率"


def test_a_number_that_names_a_kind_stays_in_the_name():
    assert only("累计开通5G基站2.3万个。")["indicator_name"] == "开通5G基站"


def test_items_of_a_list_lose_their_qualifier_words():
    found = extract("科技型中小企业接近900家、营业收入1500亿元，分别增长近40%、25%。")
    assert found["indicator_name"].to_list()[2] == "科技型中小企业"


def test_a_stop_word_before_how_a_figure_moves_leaves_the_subject_before_it():
    names = extract("城镇居民人均收入提高到5.2万元，单位生产总值能耗累计下降12%。")["indicator_name"].to_list()
    assert names == ["城镇居民人均收入", "单位生产总值能耗"]
    # a clause that says only how it compares still moves the subject before it
    assert extract("地区生产总值560亿元，同比(下同)增长6%。")["indicator_name"].to_list() == ["地区生产总值"] * 2


def test_a_bound_goes_with_its_figure_and_a_word_a_figure_begins_stays():
    assert only("每千人口拥有3岁以下婴幼儿托位数4.2个。")["indicator_name"] == "婴幼儿托位数"
    assert only("来信来访一次性办结率达到95%。")["indicator_name"] == "来信来访一次性办结率"


def test_a_dash_that_opens_a_list_item_is_no_part_of_its_name():
    assert extract("——社会消费品零售总额692亿元，增长10%；")["indicator_name"].to_list() == ["社会消费品零售总额"] * 2
    assert only("东山—西山绿道长度达35公里。")["indicator_name"] == "东山—西山绿道长度"
    # nor a web page's footnote mark, nor the sign left of a figure that went (7×24小时)
    assert only("重点商贸企业[1]销售额860亿元。")["indicator_name"] == "重点商贸企业销售额"
    assert extract("实现7×24小时自助办理事项320项。")["indicator_name"].to_list() == ["自助办理事项"] * 2


def test_a_date_in_a_name_goes_with_its_end_of_year():
    assert only("公办园在园儿童占比2025年底达到55%。")["indicator_name"] == "公办园在园儿童占比"
    assert only("涉农贷款余额2024年末达到6.2万亿元。")["indicator_name"] == "涉农贷款余额"


@pytest.mark.parametrize("sentence, name", [
    ("农村危房改造竣工率达100%。", "农村危房改造竣工率"),  # jieba reads 率达 as one word
    ("千人病床数达3.5张。", "千人病床数"),
    ("社康机构诊疗量占比提高至45%。", "社康机构诊疗量占比"),
    ("企业开办时限压减至1个工作日。", "企业开办时限"),
])
def test_how_a_level_is_reached_is_no_part_of_its_name(sentence, name):
    assert only(sentence)["indicator_name"] == name


def test_a_name_says_a_word_once():
    names = extract("力争引进百亿级项目2个、十亿级项目8个。")["indicator_name"].to_list()
    assert names == ["项目", "项目"]
    # letters said twice are no repeated word
    assert without_repeats("省定贫困村一村一品") == "省定贫困村一村一品"
    assert without_repeats("小微企业创业创新基地") == "小微企业创业创新基地"
    assert without_repeats("研发投入占全市比重占全市比重") == "研发投入占全市比重"


def test_names_are_never_a_bare_unit_or_generic_word():
    names = extract("省、市两级分别投入20亿元、35亿元。新增上市企业12家，总数达到98家。")["indicator_name"].to_list()
    units = set(load_rules().units)
    assert not [n for n in names if len(n) < 2 or n in units or n in load_rules().name_words["generic"]], names


def test_an_at_least_word_governs_a_figure_a_few_words_away():
    assert only("补助标准不低于当地最低工资的60%。")["qualifier"] == "ge"


@pytest.mark.parametrize("text, value, unit, metric", [
    ("高新技术企业数量超过全省的1/4。", 25.0, "%", "share"),
    ("贫困人口减少一半。", -50.0, "%", "growth"),
    ("研发人员占三分之一以上。", 33.33, "%", "share"),
    ("城乡居民收入比2020年翻一番。", 2.0, "倍", "growth"),
])
def test_fractions_halves_and_doubling(text, value, unit, metric):
    m = only(text)
    assert (m["value"], m["unit"], m["metric"]) == (value, unit, metric)


@pytest.mark.parametrize("text", ["新开工一批重大项目。", "惠及亿万群众。", "实施百万学位建设计划。", "九万里风正劲。",
                                  "打造百亿成群的产业集群。"])
def test_vague_counts_and_programme_names_are_not_mentions(text):
    assert extract(text).is_empty()


def test_a_year_a_price_is_fixed_at_or_a_record_is_counted_from_is_not_the_figures_year():
    found = extract("工业总产值4100亿元(2000年不变价)，增长11%，增速为1995年以来最高。", 2009)
    assert set(found["period_year"]) == {2008}


def test_a_figure_measured_against_a_goal_is_an_outcome():
    found = extract("一、2023年工作回顾\n地区生产总值增长6.1%，高出预期目标0.6个百分点。")
    assert found["is_target"].to_list() == [False, False]


def test_secured_funds_in_a_review_are_achieved_and_a_goal_is_never_dated_before_its_report():
    found = extract("一、2023年工作回顾\n争取中央预算内投资86亿元。\n二、2024年工作安排\n确保低保标准不低于上年度的1.2倍。")
    assert found.select("is_target", "period_year").rows() == [(False, 2023), (True, 2024)]


def test_a_review_heading_that_also_names_this_year_is_about_the_year_before():
    found = extract("一、2023年和今年以来工作回顾\n地区生产总值增长5.4%。")
    assert found["period_year"].to_list() == [2023]


def test_the_start_year_of_a_change_dates_only_its_first_figure():
    found = extract("过去五年，森林覆盖率从2019年的41.2%提高到43.5%。")
    assert found["period_year"].to_list() == [2019, 2023]


def test_the_first_figure_of_a_change_over_a_span_is_the_year_before_the_span_began():
    found = extract("过去五年，城镇常住人口从780万人增加到910万人。")
    assert found["period_year"].to_list() == [2018, 2023]
    found = extract("去年，农村低保标准由每人每月560元提高到610元。")
    assert found["period_year"].to_list() == [2022, 2023]


def test_a_span_from_a_start_year_gives_its_last_year():
    assert only("自2022年起三年投入60亿元。")["period_year"] == 2024


def test_a_sentence_that_opens_with_last_year_sets_the_rest_of_its_paragraph():
    found = extract("三、2024年的工作\n今年是关键之年。过去一年，成绩来之不易。地区生产总值增长5.3%。今年将新增就业12万人。")
    assert found.select("period_year", "is_target").rows() == [(2023, False), (2024, True)]


def test_news_plan_cues_mark_targets():
    found = extract("报告提出，地区生产总值增长5%左右。今年将新建学校12所。", 2024)
    assert found["is_target"].to_list() == [True, True]


NATIONAL = SHARED / "corpus" / "national"
# The corpus README's known answers: (report year) -> (target, target high, qualifier, last year's growth).
GDP_GROWTH = {
    2010: (8, None, "approx", 8.7), 2011: (8, None, "approx", 10.3), 2012: (7.5, None, "eq", 9.2),
    2013: (7.5, None, "approx", 7.8), 2014: (7.5, None, "approx", 7.7), 2015: (7, None, "approx", 7.4),
    2016: (6.5, 7, "range", 6.9), 2017: (6.5, None, "approx", 6.7),
}


@pytest.mark.skipif(not NATIONAL.exists(), reason=f"no development corpus at {NATIONAL}")
def test_national_gdp_growth_targets_and_outcomes_are_read_right():
    for year, (target, high, qualifier, actual) in GDP_GROWTH.items():
        path = NATIONAL / f"national_{year}.txt"
        found = parse_report(path.read_bytes(), path.name).mentions.filter(
            (pl.col("indicator_name") == "国内生产总值") & (pl.col("metric") == "growth")
            & ~pl.col("sentence").str.contains("年均"))
        targets = found.filter(pl.col("is_target") & (pl.col("period_year") == year))
        outcomes = found.filter(~pl.col("is_target") & (pl.col("period_year") == year - 1))
        # a report may restate its target when it explains it: every statement gives the same figure
        assert targets.select("value", "value_high", "qualifier").unique().rows() == [(target, high, qualifier)], year
        assert outcomes["value"].to_list() == [actual], year


def test_a_span_of_years_is_no_part_of_the_name():
    assert rows("五年来规上工业增加值年均增长9%。")[0][0] == "规上工业增加值年均"
    assert only("近年来新增科技企业3000家。")["indicator_name"] == "新增科技企业"


def test_an_aside_before_the_figure_or_a_latin_gloss_is_no_part_of_the_name():
    assert rows("全年实现工业总产值500亿元，同比增长(下同)9%。")[1] == ("工业总产值", "9%", "growth", 9.0)
    assert rows("新建社区文体广场(公园)11个。")[0][0] == "新建社区文体广场"
    assert only("细颗粒物(PM2.5)平均浓度下降3%。")["indicator_code"] == "pm25_concentration"


def test_an_account_of_a_year_is_given_the_year_after():
    report = parse_report("某区人民政府关于2023年度法治政府建设情况的报告\n一、2023年主要工作情况\n新建调解室30个。".encode(), "r.txt")
    assert report.document["report_year"] == 2024
    assert report.mentions.select("period_year", "is_target").rows() == [(2023, False)]


def test_a_name_jieba_reads_as_verbs_loses_its_movement_and_goal_words():
    assert rows("教育支出增长20%，就业支出增长44%。")[1][0] == "就业支出"
    assert rows("全年规上工业增加值力争增长6%。")[0][0] == "规上工业增加值"


def test_name_words_are_data():
    """Each regex a name is trimmed with is built from rules/name_words.csv."""
    from sources.names import patterns
    p = patterns()
    assert p.measure_tail.fullmatch("比上年增长") and p.trail.fullmatch("控制在")
    assert p.list_marker.match("首先")


def test_a_sentence_that_opens_with_a_day_tells_of_an_event_and_sets_no_year():
    found = extract("二、2023年工作回顾\n各位代表，2003年1月4日，本区正式成立。经济总量从建区时的78亿元发展到如今的5200亿元。")
    assert set(found["period_year"]) == {2023}
