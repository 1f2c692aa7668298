"""Report year, sections, target vs achieved, period years, names and domains."""

import pytest

from tests.helpers import extract, only, parse

CITY_REPORT = """政府工作报告
——2024年1月20日在某市第十六届人民代表大会第三次会议上
市长　某某
各位代表：
　　现在，我代表市人民政府，向大会报告工作，请予审议。
一、2023年工作回顾
　　过去一年，全市地区生产总值达到3.24万亿元，增长5.2%；城镇新增就业31.5万人；研发投入强度达到2.85%。
——经济发展稳中求进。规上工业增加值增长4.6%。
　　新建幼儿园20所，新增学位4.25万个。
二、2024年工作安排
　　今年经济社会发展的主要预期目标是：地区生产总值增长5%左右；城镇新增就业30万人以上；居民消费价格涨幅3%左右；单位地区生产总值能耗降低2.5%左右。
（一）着力扩大有效需求
　　新建城市绿地320万平方米，改造老旧小区500个。
"""


def test_report_year_from_the_date_line():
    report = parse(CITY_REPORT)
    assert report.document["report_year"] == 2024
    assert report.document["report_year_source"] == "title"


def test_report_year_from_the_file_name_when_the_text_has_no_date():
    report = parse("各位代表：\n过去一年，新增城镇就业13.1万人。", "深圳市政府工作报告_2023年.txt")
    assert report.document["report_year"] == 2023
    assert report.mentions["period_year"].to_list() == [2022]


def test_report_year_from_the_latest_year_in_the_text_ignoring_horizons():
    report = parse("2023年新增城镇就业13万人。到2035年基本实现现代化。2024年力争新增就业14万人。")
    assert report.document["report_year"] == 2024


def test_review_section_is_achieved_and_about_the_year_before():
    rows = parse(CITY_REPORT).mentions.filter(section_title="2023年工作回顾").to_dicts()
    assert [r["mention_text"] for r in rows] == ["3.24万亿元", "5.2%", "31.5万人", "2.85%", "4.6%", "20所", "4.25万个"]
    assert {r["period_year"] for r in rows} == {2023}
    assert not any(r["is_target"] for r in rows)


def test_plan_section_is_target_and_about_the_report_year():
    rows = parse(CITY_REPORT).mentions.filter(section_title="2024年工作安排").to_dicts()
    assert [r["mention_text"] for r in rows] == ["5%左右", "30万人以上", "3%左右", "2.5%左右", "320万平方米", "500个"]
    assert {r["period_year"] for r in rows} == {2024}
    assert all(r["is_target"] for r in rows)
    assert rows[3]["value"] == -2.5


def test_bullets_are_not_headings():
    rows = parse(CITY_REPORT).mentions.filter(mention_text="4.6%").to_dicts()
    assert rows[0]["section_title"] == "2023年工作回顾"


@pytest.mark.parametrize("sentence, is_target", [
    ("力争新培育高新技术企业1000家以上。", True),
    ("确保粮食产量稳定在1.3万亿斤以上。", True),
    ("计划新开工保障房2万套。", True),
    ("拟安排地方政府专项债券3.9万亿元。", True),
    ("目标是城镇新增就业1200万人以上。", True),
    ("新增城镇就业13.1万人。", False),
    ("累计落地科研大院大所8家。", False),
    ("人均预期寿命达到78.6岁。", False),
])
def test_target_cues(sentence, is_target):
    assert only(sentence)["is_target"] is is_target


@pytest.mark.parametrize("sentence, year, is_target", [
    ("去年新增城镇就业13万人。", 2023, False),
    ("过去一年，粮食产量1.39万亿斤。", 2023, False),
    ("今年力争新增城镇就业14万人。", 2024, True),
    ("2022年全市生产总值增长3%。", 2022, False),
    ("到2027年，数字经济核心产业增加值占比达到15%。", 2027, True),
    ("“十四五”期间，研发投入强度达到2.85%。", 2025, False),
])
def test_period_year_from_the_sentence(sentence, year, is_target):
    m = only(sentence, report_year=2024)
    assert (m["period_year"], m["is_target"]) == (year, is_target)


def test_year_led_paragraphs_set_year_and_target():
    text = "关键词 创新发展\n2024 高新技术企业达到5800多家。\n2025 力争新培育高新技术企业1000家以上。"
    rows = parse(text).mentions.to_dicts()
    assert [(r["period_year"], r["is_target"], r["section_title"]) for r in rows] == [
        (2024, False, "创新发展"), (2025, True, "创新发展")]


@pytest.mark.parametrize("heading, title", [
    ("关键词 创新发展", "创新发展"),
    ("## 关键词【高质量发展】", "高质量发展"),
    ("一、2023年工作回顾", "2023年工作回顾"),
    ("关键词【对外开放】", "对外开放"),
])
def test_heading_shapes(heading, title):
    text = f"{heading}\n新增城镇就业13.1万人。\n{heading.replace(title, '其他')}\n新增学位4.25万个。"
    rows = parse(text).mentions.to_dicts()
    assert rows[0]["section_title"] == title


def test_mentions_before_the_first_heading_have_no_section():
    rows = parse("新增城镇就业13.1万人。\n关键词 创新发展\n新增学位4.25万个。\n关键词 民生\n新增床位10张。").mentions
    assert rows["section_title"].to_list() == [None, "创新发展", "民生"]


@pytest.mark.parametrize("sentence, name", [
    ("城镇新增就业1200万人以上。", "城镇新增就业"),
    ("全市规上工业增加值增长4.6%。", "规上工业增加值"),
    ("新能源汽车实际下线52.9万辆。", "新能源汽车实际下线"),
    ("深入推进改革，累计建成科研大院大所8家。", "建成科研大院大所"),
    ("中欧班列新增柬埔寨金边等5个直达站点。", "直达站点"),
    ("发行1万亿元超长期特别国债。", "发行超长期特别国债"),
    ("赤字率拟按3%安排。", "赤字率"),
    ("居民消费价格上涨0.2%。", "居民消费价格"),
    ("城镇调查失业率平均为5.2%。", "城镇调查失业率"),
])
def test_indicator_names_are_short(sentence, name):
    assert only(sentence)["indicator_name"] == name


@pytest.mark.parametrize("sentence, domain", [
    ("城镇新增就业1200万人以上。", "livelihood"),
    ("国内生产总值增长5.2%。", "economy"),
    ("全社会研发投入增长8.1%。", "innovation"),
    ("粮食总产量1.39万亿斤。", "agriculture"),
    ("货物进出口总额增长5%。", "opening_up"),
    ("社会消费品零售总额增长7.2%。", "consumption"),
    ("新建城市绿地320万平方米。", "ecology"),
])
def test_domains_from_the_sentence_words_without_a_domain_heading(sentence, domain):
    text = f"一、2023年工作回顾\n{sentence}\n二、2024年工作安排\n新增学位4.25万个。"
    assert parse(text).mentions.to_dicts()[0]["domain_id"] == domain


def test_domain_from_a_heading_that_names_one():
    rows = parse("关键词 改善民生\n新建城市绿地320万平方米。\n关键词 对外开放\n新开航线19条。").mentions
    assert rows["domain_id"].to_list() == ["livelihood", "opening_up"]


def test_a_clause_without_its_own_subject_keeps_the_sentence_subject():
    rows = extract("全年粮食产量达到1.39万亿斤，连续9年稳定在1.3万亿斤以上。").to_dicts()
    assert [(r["indicator_name"], r["qualifier"]) for r in rows] == [("粮食产量", "eq"), ("粮食产量", "ge")]


def test_a_goal_word_in_an_earlier_clause_of_a_review_does_not_make_a_target():
    text = "一、2023年工作回顾\n圆满完成全年目标任务，全市地区生产总值增长6.1%。\n二、2024年工作安排\n新增学位4万个。"
    row = parse(text).mentions.to_dicts()[0]
    assert (row["is_target"], row["period_year"]) == (False, 2023)


def test_a_paragraph_opening_sets_year_and_kind_for_all_its_sentences():
    text = ("过去一年，全市地区生产总值增长5.2%。新增城镇就业13万人。\n"
            "今年，全市发展的主要预期目标是：地区生产总值增长5%左右。城镇新增就业12万人以上。")
    rows = parse(text, "某市政府工作报告_2024.txt").mentions.to_dicts()
    assert [(r["period_year"], r["is_target"]) for r in rows] == [
        (2023, False), (2023, False), (2024, True), (2024, True)]


def test_a_long_first_line_is_the_title_not_part_of_the_first_paragraph():
    report = parse("2025年省政府工作报告解读：数说发展新成就\n\n去年全省地区生产总值突破6万亿元，同比增长5.1%。")
    assert report.document["title"] == "2025年省政府工作报告解读:数说发展新成就"
    assert report.document["report_year"] == 2025
    assert report.mentions["period_year"].to_list() == [2024, 2024]


@pytest.mark.parametrize("sentence, name, metric", [
    ("一是新增城镇就业超百万人。", "新增城镇就业", "level"),
    ("今年经济增长预期目标为5.5%左右。", "经济", "growth"),
])
def test_list_markers_and_goal_words_leave_the_name(sentence, name, metric):
    m = only(sentence)
    assert (m["indicator_name"], m["metric"]) == (name, metric)


def test_net_increase_is_a_change_of_the_subject_before():
    rows = extract("高新技术企业数量达到1.4万家，比上年净增2000多家。").to_dicts()
    assert [(r["indicator_name"], r["metric"], r["qualifier"]) for r in rows] == [
        ("高新技术企业数量", "level", "eq"), ("高新技术企业数量", "change", "gt")]


@pytest.mark.parametrize("sentence, year", [
    ("“十五”期间，粮食产量达到1万亿斤。", 2005),
    ("“十一五”时期，新增城镇就业5000万人。", 2010),
    ("“九五”期间，新建公路3万公里。", 2000),
])
def test_older_five_year_plans_date_their_figures(sentence, year):
    assert only(sentence, report_year=2006)["period_year"] == year


@pytest.mark.parametrize("sentence, report_year, years", [
    # a plan compared with is no figure's year; where a change began, it is
    ("全市工业产值较“十三五”末增长35%，重点企业由120家整合至45家。", 2026, [2025, 2020, 2025]),
    ("“十三五”期间累计投资500亿元，是“十二五”的2倍，供水能力由150万吨提高到260万吨。", 2021,
     [2020, 2020, 2015, 2020]),
    ("“十三五”期间累计投资500亿元，是“十二五”3倍以上。", 2021, [2020, 2020]),
    ("全市进出口总额达到8000亿元，为2012年的2.1倍。", 2018, [2017, 2017]),
    ("全省生产总值达到1.2万亿元，较“十三五”末的9000亿元增加3000亿元。", 2026, [2025, 2020, 2025]),
    ("全市工业总产值达到5000亿元，比2018年的3200亿元增长56%。", 2024, [2023, 2018, 2023]),
    ("与2020年相比，全市医院床位由3.2万张增加到4.1万张。", 2026, [2020, 2025]),
    ("过去五年，国内生产总值从54万亿元增加到82.7万亿元。", 2023, [2017, 2022]),
])
def test_a_year_compared_with_dates_only_where_a_change_began(sentence, report_year, years):
    assert [r["period_year"] for r in extract(sentence, report_year).to_dicts()] == years


def test_an_estimate_in_a_review_is_an_achievement():
    text = "一、2023年工作回顾\n预计全年地区生产总值增长6%左右。\n二、2024年工作安排\n新增学位4万个。"
    row = parse(text).mentions.to_dicts()[0]
    assert (row["is_target"], row["period_year"], row["metric"]) == (False, 2023, "growth")


def test_sub_headings_name_the_domain_by_their_first_topic_word():
    text = ("三、2024年政府工作任务\n（二）深入实施科教兴国战略，强化高质量发展基础支撑。\n"
            "新建实验室12家。\n（五）坚定不移深化改革，增强发展内生动力。\n新增减税降费2.2万亿元。\n"
            "四、其他\n新增学位4万个。")
    rows = parse(text).mentions.to_dicts()
    assert [(r["section_title"], r["domain_id"]) for r in rows[:2]] == [
        ("2024年政府工作任务", "innovation"), ("2024年政府工作任务", "reform")]


def test_report_year_from_the_text_ignores_a_far_horizon_named_without_dao():
    text = ("2023年新增城镇就业13万人。2023年粮食产量1.3万亿斤。2035年基本实现现代化。"
            "2024年力争新增就业14万人。2024年新增学位4万个。")
    assert parse(text).document["report_year"] == 2024


@pytest.mark.parametrize("heading, title", [
    ("**一、2023年工作回顾**", "2023年工作回顾"),
    ("第一部分 2023年工作回顾", "2023年工作回顾"),
    ("1. 2023年工作回顾", "2023年工作回顾"),
    ("1、2023年工作回顾", "2023年工作回顾"),
])
def test_more_heading_shapes(heading, title):
    other = heading.replace("2023年工作回顾", "2024年工作安排").replace("一", "二", 1).replace("1", "2", 1)
    text = f"{heading}\n新增城镇就业13.1万人。\n{other}\n新增学位4.25万个。"
    rows = parse(text).mentions.to_dicts()
    assert rows[0]["section_title"] == title
    assert (rows[0]["period_year"], rows[1]["is_target"]) == (2023, True)


def test_a_list_item_shaped_like_a_heading_keeps_its_figure():
    text = "二、2024年工作安排\n（一）城镇新增就业1200万人以上。\n（二）居民消费价格涨幅3%左右。\n三、其他\n新增学位4万个。"
    rows = parse(text).mentions.to_dicts()
    assert [(r["mention_text"], r["is_target"], r["section_title"]) for r in rows[:2]] == [
        ("1200万人以上", True, "2024年工作安排"), ("3%左右", True, "2024年工作安排")]


def test_value_added_takes_the_domain_of_what_adds_it():
    text = "一、2023年工作回顾\n规上工业增加值增长7.5%。\n二、2024年工作安排\n新增学位4万个。"
    assert parse(text).mentions.to_dicts()[0]["domain_id"] == "industry"


# Our own text in the shape of district reports whose parts are bare lines above numbered sections.
PARTS_REPORT = """各位代表：
　　现在，我代表区人民政府向大会报告工作，请予审议。
　　2023年工作回顾
　　一、经济发展
　　全年地区生产总值增长6.1%。
　　二、民生事务
　　新建公办幼儿园12所。
　　2024年工作安排
　　一、经济发展
　　规上工业增加值增长7%。
　　二、民生事务
　　新建公办幼儿园15所。
"""


def test_a_bare_part_heading_sets_review_and_plan_for_the_numbered_sections_below_it():
    rows = parse(PARTS_REPORT).mentions.select("mention_text", "section_title", "period_year", "is_target").rows()
    assert rows == [("6.1%", "经济发展", 2023, False), ("12所", "民生事务", 2023, False),
                    ("7%", "经济发展", 2024, True), ("15所", "民生事务", 2024, True)]


def test_a_review_subheading_with_a_plan_word_still_reports_what_was_done():
    text = """一、2023年工作回顾
（一）圆满完成重大活动服务保障任务
新建5G基站3000个。
（二）持续改善民生
新增养老床位800张。
二、2024年主要任务
（一）扩大有效需求
新建5G基站4000个。
"""
    rows = extract(text).select("mention_text", "period_year", "is_target").rows()
    assert rows == [("3000个", 2023, False), ("800张", 2023, False), ("4000个", 2024, True)]


def test_a_date_below_the_opening_is_the_bodys_not_the_reports():
    report = parse("各位代表：\n2009年6月30日，新区正式成立。\n过去一年，新增企业300家。", "2017年新区政府工作报告_2017.txt")
    assert report.document["report_year"] == 2017
    assert report.document["report_year_source"] == "file_name"


def test_a_plan_heading_that_holds_a_review_word_is_a_plan():
    text = "一、2023年工作回顾\n新建学校8所。\n二、高质量做好2024年各项工作，以优异成绩迎接建区四十周年\n新建学校10所。\n"
    assert extract(text).select("period_year", "is_target").rows() == [(2023, False), (2024, True)]


def test_the_next_five_years_are_a_plan_dated_to_their_last_year_and_their_sections_follow_them():
    text = """各位代表：
过去五年工作回顾
新建学校40所。
未来五年工作思路和任务
一、推动民生福祉取得新成效
新建学校50所。
2021年区十件民生实事
一、提高困难群众救助水平
新增养老床位2000张。
"""
    rows = parse(text, "某区_2021.txt").mentions.select("mention_text", "period_year", "is_target").rows()
    assert rows == [("40所", 2020, False), ("50所", 2025, True), ("2000张", 2021, True)]


def test_a_heading_word_a_web_page_broke_out_of_a_sentence_is_no_part_heading():
    from sources.structure import part_heading

    assert part_heading("主要目标", 2026, "“十五五”时期经济社会发展的", "是：地区生产总值年均增长5%左右") is None
    assert part_heading("2026年区十件民生实事", 2026, "附件1", "坚持民生为大。") == ("2026年区十件民生实事", 2026, "plan")
