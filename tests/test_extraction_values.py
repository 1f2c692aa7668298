"""Values, units, qualifiers and metrics, one rule per test, on sentences written for them."""

import pytest

from tests.helpers import extract, only


@pytest.mark.parametrize("sentence, value, unit, qualifier, metric", [
    ("城镇新增就业1200万人以上。", 12_000_000, "人", "ge", "level"),
    ("居民消费价格涨幅3%左右。", 3, "%", "approx", "growth"),
    ("一般公共预算收入同口径下降0.6%。", -0.6, "%", "eq", "growth"),
    ("规上工业增加值增长-1.2%。", -1.2, "%", "eq", "growth"),
    ("出口总额增长－3.5%左右。", -3.5, "%", "approx", "growth"),
    ("粮食产量不低于130万吨。", 1_300_000, "吨", "ge", "level"),
    ("单位地区生产总值能耗降低2.5%左右。", -2.5, "%", "approx", "growth"),
    ("城镇调查失业率降至5.1%。", 5.1, "%", "eq", "level"),
    ("研发经费投入强度提高0.2个百分点。", 0.2, "百分点", "eq", "change"),
    ("城镇调查失业率下降0.3个百分点。", -0.3, "百分点", "eq", "change"),
    ("跨境电商进出口额增长1.5倍。", 1.5, "倍", "eq", "growth"),
    ("粮食总产量达到1.39万亿斤。", 1.39e12, "斤", "eq", "level"),
    ("科技型企业入库超过1.4万家。", 14_000, "家", "gt", "level"),
    ("高新技术企业达到5800多家。", 5800, "家", "gt", "level"),
    ("航班近90架次。", 90, "架次", "approx", "level"),
    ("年货邮吞吐量突破80万吨。", 800_000, "吨", "gt", "level"),
    ("赤字率控制在3%以内。", 3, "%", "le", "level"),
    ("新建保障性住房约3.2万套。", 32_000, "套", "approx", "level"),
    ("新增贷款不足500亿元。", 5e10, "元", "lt", "level"),
    ("落地项目10余个。", 10, "个", "gt", "level"),
    ("集装箱吞吐量达到120万标准箱。", 1_200_000, "标箱", "eq", "level"),
    ("生猪出栏500万头。", 5_000_000, "头", "eq", "level"),
    ("新增经营主体近千家。", 1000, "家", "approx", "level"),
    ("铁海联运完成超6万标箱。", 60_000, "标箱", "gt", "level"),
    ("新增学位4.25万个。", 42_500, "个", "eq", "level"),
    ("新建绿地160万平方米。", 1_600_000, "平方米", "eq", "level"),
    ("实际使用外资12.5亿美元。", 1.25e9, "美元", "eq", "level"),
    ("新增城镇就业１３．１万人。", 131_000, "人", "eq", "level"),
])
def test_value_unit_qualifier_metric(sentence, value, unit, qualifier, metric):
    m = only(sentence)
    assert m["value"] == pytest.approx(value)
    assert (m["unit"], m["qualifier"], m["metric"]) == (unit, qualifier, metric)


def test_range_has_low_and_high_ends():
    m = only("地区生产总值增长6—6.5%。")
    assert (m["value"], m["value_high"], m["qualifier"], m["unit"]) == (6, 6.5, "range", "%")
    m = only("居民收入增长3%—3.5%。")
    assert (m["value"], m["value_high"], m["qualifier"]) == (3, 3.5, "range")


@pytest.mark.parametrize("sentence, value, unit", [
    ("带动全市汽车产量历史性突破百万大关。", 1_000_000, ""),
    ("设立规模三十亿元的产业投资基金。", 3e9, "元"),
    ("累计投资超千亿元。", 1e11, "元"),
    ("新增四个国家级创新平台。", 4, "个"),
    ("文旅消费增长三成。", 30, "%"),
    ("服务业占比近七成。", 70, "%"),
    ("全年减税降费三万亿元。", 3e12, "元"),
    ("全省新能源装机达到两千万千瓦。", 2e7, "千瓦"),  # 千万 千瓦, not 千万千 瓦
    ("全年固定资产投资保持千亿规模。", 1e11, "元"),  # a level reached, as 破千亿 is; 投资 is money
    ("全市汽车保有量实现一千万的目标。", 1e7, ""),  # a level reached before 的, unlike 一千的干劲
    ("启动总投资一千亿的项目。", 1e11, "元"),
])
def test_chinese_numerals(sentence, value, unit):
    m = only(sentence)
    assert m["value"] == pytest.approx(value)
    assert m["unit"] == unit


@pytest.mark.parametrize("sentence, value, qualifier", [
    ("惠及6600多万纳税人。", 66_000_000, "gt"),
    ("高龄补贴惠及85万老年人。", 850_000, "eq"),
    ("帮助3.2万失业人员再就业。", 32_000, "eq"),
    ("全年实现80万以上农村贫困人口脱贫。", 800_000, "ge"),
])
def test_implied_unit_from_the_noun_after_the_number(sentence, value, qualifier):
    m = only(sentence)
    assert (m["value"], m["unit"], m["qualifier"]) == (value, "人", qualifier)


def test_two_mentions_in_one_clause():
    rows = extract("全市地区生产总值3.24万亿元，增长3.3%。").to_dicts()
    assert [(r["value"], r["unit"], r["metric"]) for r in rows] == [(3.24e12, "元", "level"), (3.3, "%", "growth")]


def test_ascii_punctuation_separates_clauses():
    rows = extract("实现营业收入303.6亿元,同比增长7.2%;利润总额12亿元。").to_dicts()
    assert [r["value"] for r in rows] == [30_360_000_000, 7.2, 1_200_000_000]
    assert rows[1]["metric"] == "growth"


def test_mention_text_keeps_qualifier_words_but_not_equals_words():
    rows = extract("省实验室数量增至18家，科技型企业超过1.4万家，入库企业7000家以上。").to_dicts()
    assert [r["mention_text"] for r in rows] == ["18家", "超过1.4万家", "7000家以上"]


@pytest.mark.parametrize("sentence", [
    "2024年3月5日在第十四届全国人民代表大会第二次会议上。",
    "去年1~11月，口岸入境人数同比增长明显。",
    "前11个月开行班列。",
    "确保“十四五”规划圆满收官。",
    "全力推动“1+1+10”工作方案和“7+28+N”产业链群落实。",
    "发挥5.5G覆盖优势。",
    "加快建设自贸区 2.0 版。",
    "全市 PM2.5 年均浓度持续下降。",
    "国产大飞机C919投入运营。",
    "建成12英寸线。",
    "第11代液晶面板线投产。",
    "超聚变服务器市场份额全国第一，首位度提高。",
    "为60岁以上老人提供服务。",
    "打好三大攻坚战，办好十件民生实事，落实中央八项规定精神。",
    "一是扩大内需，二是稳定就业。",
    "实现全国文明城市“五连冠”。",
    "千亿级产业集群加快形成。",
    "规划建设两个千万千瓦级清洁能源基地。",
    "以百倍的警惕防止万一。",
    "要拿出一千的干劲办好每件小事。",  # a figure of speech
    "规划建设跨境电商千亿产业园。",  # a size class
    "实现公园绿地500米服务半径全覆盖。",  # a distance that marks out a kind
    "成文日期：2021-02-02名称：工作报告。",
    "开展百万职工技能提升活动。",
    "统筹国内国际两个市场。",
    "进入世界500强。",
    "建设500千伏变电站。",
    "打造15分钟便民生活圈。",
    "坚持“五位一体”总体布局。",
    "主要指标增速居全省第3位，进入全国前10位。",
    "实现两位数增长。",
])
def test_not_mentions(sentence):
    assert extract(sentence).is_empty(), extract(sentence)["mention_text"].to_list()


def test_figures_listed_with_and_share_the_metric():
    rows = extract("城乡居民人均可支配收入分别增长5.3%和7.1%。").to_dicts()
    assert [(r["value"], r["metric"], r["indicator_name"]) for r in rows] == [
        (5.3, "growth", "城乡居民人均可支配收入"), (7.1, "growth", "城乡居民人均可支配收入")]


def test_a_clause_naming_only_the_movement_takes_the_previous_subject():
    rows = extract("全市地区生产总值达到8650亿元，增长6.1%；一般公共预算收入512.3亿元，同口径增长4.8%。").to_dicts()
    assert [r["indicator_name"] for r in rows] == ["地区生产总值", "地区生产总值", "一般公共预算收入", "一般公共预算收入"]


def test_a_cut_is_a_fall_and_a_new_clause_after_a_comma_moves_on_its_own():
    rows = extract("会议经费压缩20%，审批时限压缩70%，26项业务实现秒批。").to_dicts()
    assert [(r["indicator_name"], r["metric"], r["value"]) for r in rows] == [
        ("会议经费", "growth", -20), ("审批时限", "growth", -70), ("业务实现秒批", "level", 26)]
    # a list after a comma in one unit still moves as its first figure
    assert [r["value"] for r in extract("两项支出分别压减8%，5%。").to_dicts()] == [-8, -5]


def test_a_movement_before_a_list_with_fenbie_makes_each_figure_a_growth():
    rows = extract("两大产业增速分别为8.9%和12.1%，投入年均增长分别高达22%和30%。").to_dicts()
    assert [(r["metric"], r["value"]) for r in rows] == [("growth", 8.9), ("growth", 12.1), ("growth", 22), ("growth", 30)]


def test_compound_units():
    m = only("PM2.5平均浓度下降到32微克/立方米。")
    assert (m["value"], m["unit"], m["metric"], m["indicator_name"]) == (32, "微克/立方米", "level", "PM2.5平均浓度")


@pytest.mark.parametrize("sentence, unit", [
    ("培育一批营收超千亿大型骨干企业。", "元"),  # money, however many firms are named after it
    ("打造一批超千亿大型骨干企业。", ""),
    ("全市工业总产值突破千亿大关。", "元"),
])
def test_a_bare_sum_of_money_is_in_yuan_and_counts_no_firms(sentence, unit):
    m = only(sentence)
    assert (m["value"], m["unit"]) == (1e11, unit)


@pytest.mark.parametrize("sentence, value", [("全市在园学生数7.7万。", 77_000), ("医疗保险参保人数达到420万。", 4_200_000)])
def test_implied_unit_from_the_noun_before_the_number(sentence, value):
    m = only(sentence)
    assert (m["value"], m["unit"]) == (value, "人")


def test_growth_named_after_the_number():
    assert only("全年实现5.5%的增长。")["metric"] == "growth"


def test_a_signed_figure_keeps_its_sign_in_the_span_and_a_range_is_not_signed():
    assert only("进口增长-2.4%。")["mention_text"] == "-2.4%"
    m = only("增速目标3-5%。")
    assert (m["value"], m["value_high"], m["qualifier"]) == (3, 5, "range")
