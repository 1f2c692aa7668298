from sources.normalise import normalise


def test_full_width_digits_and_punctuation_become_ascii():
    assert normalise("增长５．２％，达到１２３４亿元") == "增长5.2%,达到1234亿元"


def test_crlf_and_cr_become_newlines():
    assert normalise("第一段。\r\n第二段。\r第三段。") == "第一段。\n第二段。\n第三段。"


def test_html_tags_are_removed_and_entities_decoded():
    assert normalise("全市 PM<sub>2.5</sub> 年均浓度&nbsp;下降") == "全市 PM2.5 年均浓度 下降"


def test_a_line_broken_by_a_column_is_joined_across_a_blank_line():
    text = "标题\n郑州要深度融入服务全国统一大市场建设。全力推动全国统一大\n\n市场建设工作方案落实。"
    assert normalise(text) == "标题\n郑州要深度融入服务全国统一大市场建设。全力推动全国统一大市场建设工作方案落实。"


def test_a_number_broken_across_lines_is_joined():
    text = "标题\n新能源汽车实际下线52.9万辆、增速112.9%，电子信息产业增加值同\n\n比增长11.8%。"
    assert "同比增长11.8%" in normalise(text)


def test_headings_and_short_lines_are_not_joined():
    text = "关键词 创新发展\n\n2024 郑州深入推进科技创新，累计落地科研大院大所8家\n\n2025 全力推动科技创新。\n\n本报记者 王红"
    lines = normalise(text).split("\n")
    assert "关键词 创新发展" in lines
    assert any(line.startswith("2025 ") for line in lines)
    assert lines[-1] == "本报记者 王红"


def test_full_width_indent_is_stripped():
    assert normalise("\u3000\u3000各位代表：\n\u3000\u3000现在，我代表市人民政府作报告。") == "各位代表:\n现在,我代表市人民政府作报告。"


def test_the_first_line_is_a_title_and_never_joined():
    text = "2025年省政府工作报告解读：数说发展新成就\n\n去年全省地区生产总值突破6万亿元。"
    assert normalise(text).split("\n")[0] == "2025年省政府工作报告解读:数说发展新成就"


def test_invisible_characters_are_removed():
    assert normalise("新增\u200b城镇就业13\u200b.1万人\ufeff。") == "新增城镇就业13.1万人。"


def test_a_short_line_broken_inside_a_word_is_joined():
    text = "标题\n\n关键词 产业\n\n集成电路产业增加值同\n\n比增长9.6%，规模扩大。\n\n附件1\n\n2024年民生实事"
    assert normalise(text).split("\n\n") == [
        "标题", "关键词 产业", "集成电路产业增加值同比增长9.6%,规模扩大。", "附件1", "2024年民生实事",
    ]


def test_a_space_between_a_number_and_its_magnitude_is_dropped():
    assert normalise("标题\n财政收入达到12.5 万亿元,增长6 %。") == "标题\n财政收入达到12.5万亿元,增长6%。"
