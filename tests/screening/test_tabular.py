"""Reading job-board exports and profile files into plain profiles (screening/tabular.py)."""

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django.utils import translation
from openpyxl import Workbook

from screening import labels, profile_keys
from screening.tabular import ParsedRow, TabularError, parse_profile, parse_record, read_rows


@pytest.fixture(autouse=True)
def chinese():
    """Messages are built in the active language: these tests read them in the default, Chinese."""
    with translation.override("zh-hans"):
        yield


def value_at(row: ParsedRow, key: str):
    """The stored value of a dotted key, wherever parse_record put it; KeyError when absent."""
    if key in ("name", "email", "phone"):
        return row.identity[key]
    head, _, rest = key.partition(".")
    if head == "answers":
        return row.answers[rest]
    return row.profile[head][rest] if rest else row.profile[head]


def one(header: str, value) -> ParsedRow:
    return parse_record({header: value}, 2)


VALUE_FORMS = [
    # identity
    ("姓名", " 张三 ", "name", "张三"),
    ("邮箱", "Zhang.San@Example.com", "email", "zhang.san@example.com"),
    ("电子邮箱", "a@b.cn", "email", "a@b.cn"),
    ("Email", "a@b.cn", "email", "a@b.cn"),
    ("手机", "+86 138 0013 8000", "phone", "13800138000"),
    ("手机号", "138-0013-8000", "phone", "13800138000"),
    ("手机号码", 13800138000, "phone", "13800138000"),
    ("联系电话", 13800138000.0, "phone", "13800138000"),
    # age and dates
    ("年龄", "25", "age", 25),
    ("年龄", "25岁", "age", 25),
    ("年龄", 25, "age", 25),
    ("年龄", 25.0, "age", 25),
    ("出生日期", "1998-05-01", "date_of_birth", "1998-05-01"),
    ("出生日期", "1998/5/1", "date_of_birth", "1998-05-01"),
    ("出生日期", "1998.5.1", "date_of_birth", "1998-05-01"),
    ("出生日期", "1998年5月1日", "date_of_birth", "1998-05-01"),
    ("出生日期", date(1998, 5, 1), "date_of_birth", "1998-05-01"),
    ("出生日期", datetime(1998, 5, 1, 0, 0), "date_of_birth", "1998-05-01"),
    # education
    ("学历", "初中及以下", "education", "junior_middle"),
    ("学历", "初中", "education", "junior_middle"),
    ("学历", "高中", "education", "senior_high"),
    ("学历", "中专/中技", "education", "secondary_vocational"),
    ("学历", "中专", "education", "secondary_vocational"),
    ("学历", "中技", "education", "secondary_vocational"),
    ("学历", "技校", "education", "secondary_vocational"),
    ("学历", "大专", "education", "junior_college"),
    ("最高学历", "本科", "education", "bachelor"),
    ("学历", "硕士", "education", "master"),
    ("学历", "MBA/EMBA", "education", "master"),
    ("学历", "博士", "education", "doctorate"),
    ("学历", "Bachelor", "education", "bachelor"),
    ("学历", "senior_high", "education", "senior_high"),
    ("专业", " 计算机应用 ", "major", "计算机应用"),
    # experience
    ("工作年限", "3年", "experience.total", 3),
    ("工作年限", "3", "experience.total", 3),
    ("工作年限", 3, "experience.total", 3),
    ("工作年限", 2.5, "experience.total", 2.5),
    ("工作年限", "1-3年", "experience.total", 1),
    ("工作年限", "10年以上", "experience.total", 10),
    ("工作年限", "应届生", "experience.total", 0),
    ("工作年限", "无经验", "experience.total", 0),
    ("工作年限", "无", "experience.total", 0),
    ("工作年限", "半年", "experience.total", 0.5),
    ("工作年限", "6个月", "experience.total", 0.5),
    ("工作年限", "1年以下", "experience.total", 0),
    ("客服经验", "2年", "experience.customer_service", 2),
    ("客服工作年限", "1", "experience.customer_service", 1),
    ("电商经验", "3-5年", "experience.ecommerce", 3),
    ("售后经验", "1年", "experience.after_sales", 1),
    ("文职经验", "2", "experience.clerical", 2),
    ("销售经验", "4年", "experience.sales", 4),
    ("技术经验", "1-3年", "experience.technical", 1),
    ("技术工作年限", "半年", "experience.technical", 0.5),
    # typing
    ("打字速度", "60", "typing.cpm", 60),
    ("打字速度", "60字/分", "typing.cpm", 60),
    ("打字速度", "60字/分钟", "typing.cpm", 60),
    ("打字速度", 60, "typing.cpm", 60),
    ("typing.accuracy", "95%", "typing.accuracy", 0.95),
    ("typing.accuracy", 0.9, "typing.accuracy", 0.9),
    # English
    ("英语", "CET-4", "languages.en", "b1"),
    ("英语", "四级", "languages.en", "b1"),
    ("英语", "CET-6", "languages.en", "b2"),
    ("英语", "六级", "languages.en", "b2"),
    ("英语水平", "TEM-4", "languages.en", "b2"),
    ("英语水平", "专四", "languages.en", "b2"),
    ("英语水平", "TEM-8", "languages.en", "c1"),
    ("英语水平", "专八", "languages.en", "c1"),
    ("英语", "无", "languages.en", "none"),
    ("英语", "不会", "languages.en", "none"),
    ("英语", "B2", "languages.en", "b2"),
    ("英语", "none", "languages.en", "none"),
    ("languages.ja", "a2", "languages.ja", "a2"),
    # certificate
    ("证书", "客户服务代表", "certificate.level", "representative"),
    ("证书", "高级客户服务代表", "certificate.level", "senior_representative"),
    ("职业资格", "助理客户服务管理师", "certificate.level", "assistant_manager"),
    ("职业资格证书", "客户服务管理师", "certificate.level", "manager"),
    ("证书", "高级客户服务管理师", "certificate.level", "senior_manager"),
    ("证书", "无", "certificate.level", "none"),
    ("证书", "manager", "certificate.level", "manager"),
    ("证书年限", "2年", "certificate.years_since", 2),
    ("取证年限", 3, "certificate.years_since", 3),
    # lists
    (
        "平台",
        "淘宝、天猫,京东，拼多多/唯品会;抖音；快手 小红书",
        "platforms",
        ["taobao", "tmall", "jd", "pdd", "vip", "douyin", "kuaishou", "xiaohongshu"],
    ),
    ("电商平台", "亚马逊 Shopee 其他", "platforms", ["amazon", "shopee", "other"]),
    ("平台", "taobao,jd,taobao", "platforms", ["taobao", "jd"]),
    ("技能", "办公软件、Excel", "skills", ["office_software", "excel"]),
    ("技能", "Excel 表格，客服/CRM 系统", "skills", ["excel", "crm_tools"]),
    ("技能", "data_analysis/sales", "skills", ["data_analysis", "sales"]),
    # declarations: the cell says whether the declaration holds
    ("身体健康", "是", "declarations.good_health", True),
    ("身体健康", "否", "declarations.good_health", False),
    ("身体健康", "有", "declarations.good_health", True),
    ("身体健康", "无", "declarations.good_health", False),
    ("身体健康", "Y", "declarations.good_health", True),
    ("身体健康", "N", "declarations.good_health", False),
    ("身体健康", "yes", "declarations.good_health", True),
    ("身体健康", "no", "declarations.good_health", False),
    ("身体健康", "TRUE", "declarations.good_health", True),
    ("身体健康", "false", "declarations.good_health", False),
    ("身体健康", "1", "declarations.good_health", True),
    ("身体健康", 0, "declarations.good_health", False),
    ("身体健康", True, "declarations.good_health", True),
    ("无犯罪记录", "是", "declarations.no_criminal_record", True),
    ("无犯罪记录", "否", "declarations.no_criminal_record", False),
    ("接受轮班", "是", "declarations.accepts_shifts", True),
    ("接受加班", "是", "declarations.accepts_peak_overtime", True),
    ("接受大促加班", "否", "declarations.accepts_peak_overtime", False),
    # traits
    ("耐心", "4", "traits.patience", 4),
    ("细心", 5, "traits.carefulness", 5),
    ("责任心", 3.0, "traits.responsibility", 3),
    ("抗压能力", "4分", "traits.stress_tolerance", 4),
    # key headers, matched ignoring case and surrounding spaces
    (" Education ", "本科", "education", "bachelor"),
    ("experience.customer_service", "2年", "experience.customer_service", 2),
    ("TYPING.CPM", "55", "typing.cpm", 55),
    ("declarations.no_criminal_record", "yes", "declarations.no_criminal_record", True),
    ("traits.patience", "5", "traits.patience", 5),
    ("answers.rules_compliance", " a ", "answers.rules_compliance", "a"),
    ("Answers.Rules_Compliance", "b", "answers.rules_compliance", "b"),
    ("applied_on", "2026/3/1", "applied_on", "2026-03-01"),
]


@pytest.mark.parametrize(("header", "value", "key", "expected"), VALUE_FORMS)
def test_cell_forms_are_read_into_the_vocabulary(header, value, key, expected):
    row = one(header, value)
    assert row.errors == []
    assert value_at(row, key) == expected
    assert row.dropped == []


# Every header a job board's export is known to use, and the key it fills (a sample value each).
HEADERS = {
    "姓名": ("name", "张三"), "邮箱": ("email", "a@b.cn"), "电子邮箱": ("email", "a@b.cn"),
    "手机": ("phone", "13800138000"), "手机号": ("phone", "13800138000"), "手机号码": ("phone", "13800138000"),
    "联系电话": ("phone", "13800138000"), "出生日期": ("date_of_birth", "1998-05-01"), "年龄": ("age", "25"),
    "学历": ("education", "本科"), "最高学历": ("education", "本科"), "专业": ("major", "电子商务"),
    "工作年限": ("experience.total", "3"), "工作经验": ("experience.total", "3"),
    "客服经验": ("experience.customer_service", "3"), "客服工作年限": ("experience.customer_service", "3"),
    "电商经验": ("experience.ecommerce", "3"), "售后经验": ("experience.after_sales", "3"),
    "文职经验": ("experience.clerical", "3"), "销售经验": ("experience.sales", "3"),
    "技术经验": ("experience.technical", "3"), "技术工作年限": ("experience.technical", "3"),
    "打字速度": ("typing.cpm", "60"), "英语": ("languages.en", "CET-4"), "英语水平": ("languages.en", "CET-4"),
    "证书": ("certificate.level", "客户服务管理师"), "职业资格": ("certificate.level", "客户服务管理师"),
    "职业资格证书": ("certificate.level", "客户服务管理师"), "证书年限": ("certificate.years_since", "2"),
    "取证年限": ("certificate.years_since", "2"), "平台": ("platforms", "淘宝"), "电商平台": ("platforms", "淘宝"),
    "技能": ("skills", "Excel"), "无犯罪记录": ("declarations.no_criminal_record", "是"),
    "身体健康": ("declarations.good_health", "是"), "接受轮班": ("declarations.accepts_shifts", "是"),
    "接受加班": ("declarations.accepts_peak_overtime", "是"),
    "接受大促加班": ("declarations.accepts_peak_overtime", "是"),
    "接受大促期间加班": ("declarations.accepts_peak_overtime", "是"), "耐心": ("traits.patience", "4"),
    "细心": ("traits.carefulness", "4"), "责任心": ("traits.responsibility", "4"),
    "抗压能力": ("traits.stress_tolerance", "4"), "团队合作": ("traits.teamwork", "4"),
    "学习能力": ("traits.learning", "4"), "适应能力": ("traits.adaptability", "4"),
    "沟通能力": ("traits.communication", "4"), "服务意识": ("traits.service_mindset", "4"),
    "主动性": ("traits.initiative", "4"),
    "工作经历": ("work_history", "2019-03~2021-06 售后"), "证书记录": ("certificates", "客户服务代表 2018-05-01"),
}  # fmt: skip


@pytest.mark.parametrize(("header", "key_and_value"), HEADERS.items())
def test_each_job_board_header_fills_its_key_and_the_key_is_a_header_too(header, key_and_value):
    key, value = key_and_value
    by_header, by_key = one(header, value), one(key, value)
    assert by_header.errors == by_key.errors == []
    assert value_at(by_header, key) == value_at(by_key, key)


@pytest.mark.parametrize(("key", "value"), [("applied_on", "2026-03-01"), ("typing.accuracy", "97%"),
                                            ("languages.ja", "B1"), ("languages.fr", "b2")])  # fmt: skip
def test_keys_without_a_chinese_header_are_headers(key, value):
    row = one(key, value)
    assert row.errors == [] and row.dropped == []
    assert value_at(row, key) is not None


@pytest.mark.parametrize("header", ["typing.measured", "typing", "experience", "chat.refund", "languages.english"])
def test_keys_a_job_board_cannot_fill_are_dropped(header):
    assert one(header, "1").dropped == [header]


def test_a_full_row_fills_identity_profile_and_answers_separately():
    row = parse_record(
        {
            "姓名": "张三",
            "手机": "138 0013 8000",
            "学历": "大专",
            "工作年限": "1-3年",
            "打字速度": "60字/分",
            "耐心": "4",
            "answers.q1": "a",
        },
        7,
    )
    assert row.number == 7
    assert row.identity == {"name": "张三", "phone": "13800138000"}
    assert row.profile == {
        "education": "junior_college",
        "experience": {"total": 1},
        "typing": {"cpm": 60, "measured": False},
        "traits": {"patience": 4},
    }
    assert row.answers == {"q1": "a"}
    assert row.errors == []


def test_typing_speed_from_a_job_board_is_marked_not_measured_by_the_portal():
    assert one("打字速度", "80").profile["typing"] == {"cpm": 80, "measured": False}


ALWAYS_DROPPED = ["性别", "民族", "婚姻状况", "照片", "头像", "photo", "籍贯", "身高", "体重", "政治面貌"]


def test_dropped_columns_are_listed_and_their_values_never_stored():
    record = {h: f"秘密{i}" for i, h in enumerate(ALWAYS_DROPPED)}
    record.update({"爱好": "唱歌", "Gender": "男", "answers.Bad Code!": "x", "姓名": "张三", "学历": "本科"})
    row = parse_record(record, 2)
    assert row.dropped == [*ALWAYS_DROPPED, "爱好", "Gender", "answers.Bad Code!"]
    assert row.identity == {"name": "张三"}
    assert row.profile == {"education": "bachelor"}
    assert row.answers == {}
    stored = json.dumps([row.identity, row.profile, row.answers], ensure_ascii=False)
    assert "秘密" not in stored and "唱歌" not in stored and "男" not in stored


def test_dropped_columns_stay_dropped_even_when_empty():
    assert one("性别", "").dropped == ["性别"]


@pytest.mark.parametrize("empty", [None, "", "   ", "-", "—", "N/A"])
def test_empty_cell_means_unknown_so_the_key_is_left_out(empty):
    headers = ["姓名", "学历", "年龄", "耐心", "无犯罪记录", "平台", "技能", "打字速度", "英语", "answers.q1"]
    row = parse_record(dict.fromkeys(headers, empty), 2)
    assert row.errors == []
    assert row.identity == {}
    assert row.profile == {}
    assert row.answers == {}


def test_an_empty_list_cell_is_unknown_not_an_empty_list():
    # an empty list would mean "knows no platform", a "no" the file never said
    assert "platforms" not in one("平台", "").profile


INVALID = [
    ("学历", "研究生院", "education", "无法识别的学历：'研究生院'"),
    ("年龄", "很年轻", "age", "无法识别的年龄：'很年轻'"),
    ("年龄", "200", "age", "年龄 '200' 不在 14–80 范围内"),
    ("年龄", "25.5", "age", "年龄 '25.5' 不是整数"),
    ("工作年限", "很多年", "experience.total", "无法识别的年限：'很多年'"),
    ("工作年限", -1, "experience.total", "年限 '-1' 不在 0–60 范围内"),
    ("工作年限", "70年", "experience.total", "年限 '70年' 不在 0–60 范围内"),
    ("打字速度", "很快", "typing.cpm", "无法识别的打字速度：'很快'"),
    ("打字速度", "999", "typing.cpm", "打字速度 '999' 不在 0–400 范围内"),
    ("英语", "CET-5", "languages.en", "无法识别的英语水平：'CET-5'"),
    ("languages.ja", "N2", "languages.ja", "无法识别的语言水平：'N2'"),
    ("证书", "金牌客服", "certificate.level", "无法识别的证书等级：'金牌客服'"),
    ("平台", "淘宝、闲鱼", "platforms", "无法识别的平台：'闲鱼'"),
    ("技能", "唱歌", "skills", "无法识别的技能：'唱歌'"),
    ("身体健康", "也许", "declarations.good_health", "无法识别的是/否回答：'也许'"),
    ("无犯罪记录", "无", "declarations.no_criminal_record", "回答 '无' 用于“无犯罪记录”含义不明确：请填写“是”或“否”"),
    ("无犯罪记录", "有", "declarations.no_criminal_record", "回答 '有' 用于“无犯罪记录”含义不明确：请填写“是”或“否”"),
    ("出生日期", "1998-13-01", "date_of_birth", "无法识别的日期：'1998-13-01'"),
    ("出生日期", "2999-01-01", "date_of_birth", "出生日期 '2999-01-01' 不合理"),
    ("出生日期", 35916, "date_of_birth", "无法识别的日期：'35916'"),
    ("手机", "12345", "phone", "不是有效的中国大陆手机号：'12345'"),
    ("邮箱", "not-an-email", "email", "不是有效的电子邮箱：'not-an-email'"),
    ("耐心", "6", "traits.patience", "评分 '6' 不在 1–5 范围内"),
    ("耐心", "3.5", "traits.patience", "评分 '3.5' 不是整数"),
    ("typing.accuracy", "120%", "typing.accuracy", "准确率 '120%' 不在 0–1（或 0%–100%）范围内"),
]


@pytest.mark.parametrize(("header", "value", "key", "message"), INVALID)
def test_invalid_value_is_an_error_naming_column_and_value_and_the_key_is_left_out(header, value, key, message):
    row = parse_record({header: value, "姓名": "张三"}, 3)
    assert len(row.errors) == 1
    column, text = row.errors[0]
    assert column == header
    assert text == message
    with pytest.raises(KeyError):
        value_at(row, key)
    assert row.identity == {"name": "张三"}  # the rest of the row is still read


CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("学历", "PhD"),
        ("学历", "master's"),
        ("年龄", "young"),
        ("年龄", "200"),
        ("年龄", "25.5"),
        ("手机", "12345"),
        ("手机", "+1 415 555 0100"),
        ("出生日期", "1998-13-01"),
        ("出生日期", "2999-01-01"),
        ("出生日期", 35916),
    ],
)
def test_messages_for_bad_values_are_chinese_under_the_default_language(header, value):
    # ASCII values, and the value taken out of the message: the Chinese must come from the message itself
    with translation.override("zh-hans"):
        ((column, message),) = parse_record({header: value}, 2).errors
    assert column == header
    quoted = repr(str(value))
    assert quoted in message
    assert CHINESE.search(message.replace(quoted, "")), message


@pytest.mark.parametrize(
    ("key", "value"),
    [("education", "PhD"), ("age", 25.5), ("age", "25"), ("phone", 13800138000), ("date_of_birth", "1998/5/1")],
)
def test_json_messages_for_bad_values_are_chinese_under_the_default_language(key, value):
    with translation.override("zh-hans"):
        ((where, message),) = parse_profile({key: value}, 1).errors
    assert where == key
    assert repr(value) in message
    assert CHINESE.search(message.replace(repr(value), "")), message


def test_two_columns_for_one_key_must_agree():
    same = parse_record({"手机": "13800138000", "联系电话": "+86 138 0013 8000"}, 2)
    assert same.errors == []
    assert same.identity == {"phone": "13800138000"}
    differ = parse_record({"手机": "13800138000", "联系电话": "13900139000"}, 2)
    assert differ.errors == [("联系电话", "'13900139000' 与列 '手机' 的值冲突")]
    assert differ.identity == {"phone": "13800138000"}


def test_every_label_is_accepted():
    """Header aliases and value aliases are literals; this keeps them in step with the translated labels."""
    with translation.override("zh-hans"):
        for code, label in labels.EDUCATION.items():
            assert one("学历", str(label)).profile == {"education": code}
        for code, label in labels.CERTIFICATES.items():
            assert one("证书", str(label)).profile == {"certificate": {"level": code}}
        for code, label in labels.PLATFORMS.items():
            assert one("平台", str(label)).profile == {"platforms": [code]}
        for code, label in labels.SKILLS.items():
            assert one("技能", str(label)).profile == {"skills": [code]}
        for code, label in profile_keys.sub_labels("traits").items():
            assert one(str(label), "4").profile == {"traits": {code: 4}}
        for code, label in profile_keys.sub_labels("declarations").items():
            assert one(str(label), "是").profile == {"declarations": {code: True}}


# --- dated lists: 工作经历 and 证书记录 cells, work_history and certificates in JSON ------------------------
def period(field, start, end=None):
    return {"field": field, "start": start, "end": end}


def held(level, obtained_on):
    return {"level": level, "obtained_on": obtained_on}


@pytest.mark.parametrize(
    ("cell", "history"),
    [
        ("2019-03~2021-06 售后；2021-07~至今 电商",
         [period("after_sales", "2019-03", "2021-06"), period("ecommerce", "2021-07")]),
        # the later period first, other separators, the label first, 现在, months without a leading zero
        ("电商 2021.7-现在; 售后 2019/3 至 2021/6",
         [period("after_sales", "2019-03", "2021-06"), period("ecommerce", "2021-07")]),
        ("2018年3月到2019年12月客户服务，2020-01 — 2020-12 文员\n2021-01至今技术",
         [period("customer_service", "2018-03", "2019-12"), period("clerical", "2020-01", "2020-12"),
          period("technical", "2021-01")]),
        ("2020-05~2020-05 销售", [period("sales", "2020-05", "2020-05")]),  # one month
        ("无", []),  # said to have none: known, not unknown
        ("应届生", []),
    ],
)  # fmt: skip
def test_a_work_history_cell_is_read_leniently_into_periods_oldest_first(cell, history):
    row = one("工作经历", cell)
    assert row.errors == []
    assert row.profile == {"work_history": history}


@pytest.mark.parametrize(
    ("cell", "certificates"),
    [
        # a month alone is its last day: never counted as held longer than the person says
        ("客户服务代表 2018-05-01；助理客户服务管理师 2021-09",
         [held("representative", "2018-05-01"), held("assistant_manager", "2021-09-30")]),
        ("2021年9月1日 高级客户服务代表证书, 客户服务经理 2023/1/15",
         [held("senior_representative", "2021-09-01"), held("manager", "2023-01-15")]),
        ("暂无", []),
    ],
)  # fmt: skip
def test_a_certificate_cell_is_read_leniently_into_every_certificate_held(cell, certificates):
    row = one("证书记录", cell)
    assert row.errors == []
    assert row.profile == {"certificates": certificates}


def test_a_month_alone_in_the_current_month_is_today_not_a_day_still_to_come():
    today = date.today()
    row = one("证书记录", f"客户服务代表 {today:%Y-%m}")
    assert row.profile == {"certificates": [held("representative", today.isoformat())]}


def _future_month(years=1):
    return f"{date.today().year + years}-01"


@pytest.mark.parametrize(
    ("header", "cell", "message"),
    [
        ("工作经历", "2021-06~2019-03 售后", "第 1 段经历：结束月份 2019-03 早于开始月份 2021-06"),
        ("工作经历", f"2019-03~2021-06 售后；{_future_month()}~至今 客服",
         f"第 2 段经历：开始月份 {_future_month()} 在将来"),
        ("工作经历", f"2019-03~{_future_month()} 售后",
         f"第 1 段经历：结束月份 {_future_month()} 在将来；仍在做的工作请选“至今”"),
        ("工作经历", "1950-01~1960-01 客服", "第 1 段经历：开始月份 1950-01 早于 60 年前"),
        ("工作经历", "2019-03~2021-06 售后、2019-03~2021-06 售后后", "第 2 段经历：无法识别的工作类型：'售后后'"),
        ("工作经历", "2019-03~2021-06 售后；2019-03~2021-06 售后", "第 2 段经历：与第 1 段重复"),
        ("工作经历", "2019-03~2021-06 厨师", "第 1 段经历：无法识别的工作类型：'厨师'"),
        ("工作经历", "2019-03~2021-06",
         "第 1 段经历：'2019-03~2021-06' 缺少工作类型（客服、电商、售后、文职、销售或技术）"),
        ("工作经历", "2019~2021 售后",
         "第 1 段经历：无法识别 '2019~2021 售后'：应为“开始月份~结束月份 工作类型”，如“2019-03~2021-06 售后”或"
         "“2021-07~至今 电商”"),
        ("工作经历", "2019-13~2021-06 售后", "第 1 段经历：无法识别的月份：'2019-13'"),
        ("证书记录", "客户服务代表 2099-01-01", "第 1 本证书：取得日期 2099-01-01 在将来"),
        ("证书记录", "客户服务代表 1950-01-01", "第 1 本证书：取得日期 1950-01-01 早于 60 年前"),
        ("证书记录", "客户服务代表 2018-05-01；客户服务代表 2018/5/1", "第 2 本证书：与第 1 本重复"),
        ("证书记录", "金牌客服 2018-05-01", "第 1 本证书：无法识别的证书等级：'金牌客服'"),
        ("证书记录", "无证书 2018-05-01", "第 1 本证书：无法识别的证书等级：'无证书'"),  # not a certificate held
        ("证书记录", "客户服务代表",
         "第 1 本证书：无法识别 '客户服务代表'：应为“证书等级 取得日期”，如“客户服务代表 2018-05-01”"),
        ("证书记录", "客户服务代表 2018-02-30", "第 1 本证书：无法识别的日期：'2018-02-30'"),
        # every wrong entry is named, in order, the right ones are not
        ("证书记录", "客户服务代表 2099-01-01；客户服务管理师 2020-01-01；X 2019-01-01",
         "第 1 本证书：取得日期 2099-01-01 在将来；第 3 本证书：无法识别的证书等级：'X'"),
    ],
)  # fmt: skip
def test_a_wrong_entry_is_an_error_naming_the_column_and_the_entry_and_the_key_is_left_out(header, cell, message):
    row = parse_record({header: cell, "姓名": "张三"}, 4)
    assert row.errors == [(header, message)]
    assert set(row.profile) == set()
    assert row.identity == {"name": "张三"}


def test_hostile_list_cells_are_bounded():
    periods = "；".join(f"{1990 + i}-01~{1990 + i}-06 客服" for i in range(31))
    assert one("工作经历", periods).errors == [("工作经历", "最多 30 条，实际 31 条")]
    assert one("工作经历", "；".join(periods.split("；")[:30])).errors == []
    assert one("证书记录", "客户服务代表 2018-05-01；" * 200).errors == [("证书记录", "超过 2000 个字符")]


def test_json_lists_are_read_strictly_and_sorted():
    row = parse_profile(
        {
            "work_history": [
                period("ecommerce", "2021-07"),
                {"field": "after_sales", "start": "2019-03", "end": "2021-06"},
                {"field": "sales", "start": "2018-01"},
            ],
            "certificates": [held("manager", "2023-06-30"), held("representative", "2018-05-01")],
        },
        1,
    )  # fmt: skip
    assert row.errors == []
    assert row.profile == {
        "work_history": [period("sales", "2018-01"), period("after_sales", "2019-03", "2021-06"),
                         period("ecommerce", "2021-07")],  # an absent end is null: until applied_on
        "certificates": [held("representative", "2018-05-01"), held("manager", "2023-06-30")],
    }  # fmt: skip


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("work_history", "2019-03~2021-06 售后", "应为列表，实际为 '2019-03~2021-06 售后'"),  # JSON takes no cell text
        ("work_history", [period("sales", "2019-3")], "第 1 段经历：start: 应为月份（YYYY-MM），实际为 '2019-3'"),
        ("work_history", [period("sales", "2019-03", "now")],
         "第 1 段经历：end: 应为月份（YYYY-MM）或 null（至今），实际为 'now'"),
        ("work_history", [period("total", "2019-03")],
         "第 1 段经历：field: 应为以下代码之一（customer_service, ecommerce, after_sales, clerical, sales, "
         "technical），实际为 'total'"),
        ("work_history", [period("sales", "2019-03"), {"field": "sales", "start": "2020-01", "years": 2}],
         "第 2 段经历：未知的键 ['years']；可用的键：field, start, end"),
        ("work_history", [{"field": "sales"}], "第 1 段经历：缺少键 start"),
        ("work_history", [period("sales", "2021-03", "2019-01")], "第 1 段经历：结束月份 2019-01 早于开始月份 2021-03"),
        ("work_history", ["2019-03~2021-06 售后"], "第 1 段经历：应为对象，实际为 '2019-03~2021-06 售后'"),
        ("work_history", [period("sales", "2019-03")] * 31, "最多 30 条，实际 31 条"),
        ("certificates", [held("none", "2018-05-01")],
         "第 1 本证书：level: 应为以下代码之一（representative, senior_representative, assistant_manager, manager, "
         "senior_manager），实际为 'none'"),
        ("certificates", [held("manager", "2018/05/01")],
         "第 1 本证书：obtained_on: 应为日期（ISO 格式 YYYY-MM-DD），实际为 '2018/05/01'"),
        ("certificates", [held("manager", "2099-05-01")], "第 1 本证书：取得日期 2099-05-01 在将来"),
        ("certificates", [held("manager", "2020-01-01"), held("manager", "2020-01-01")], "第 2 本证书：与第 1 本重复"),
        ("certificates", {"level": "manager"}, "应为列表，实际为 {'level': 'manager'}"),
    ],
)  # fmt: skip
def test_json_list_errors_name_the_key_the_entry_and_what_is_wrong(key, value, message):
    row = parse_profile({key: value, "education": "bachelor"}, 3)
    assert row.errors == [(key, message)]
    assert row.profile == {"education": "bachelor"}  # the rest of the profile is still read


# --- files ---------------------------------------------------------------------------------
CSV_TEXT = "姓名,学历,年龄,性别\n张三,本科,25岁,男\n李四,高中,30,女\n"


def test_csv_with_bom(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_bytes("\ufeff".encode() + CSV_TEXT.encode())
    rows = read_rows(path)
    assert [r.number for r in rows] == [2, 3]
    assert rows[0].identity == {"name": "张三"}  # the BOM did not become part of the header "姓名"
    assert rows[0].profile == {"education": "bachelor", "age": 25}
    assert rows[1].profile == {"education": "senior_high", "age": 30}
    assert rows[0].dropped == ["性别"]


def test_csv_without_bom(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    assert [r.identity["name"] for r in read_rows(path)] == ["张三", "李四"]


def test_csv_in_gb18030_as_chinese_job_boards_export(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_bytes(CSV_TEXT.encode("gb18030"))
    rows = read_rows(path)
    assert rows[0].identity == {"name": "张三"}
    assert rows[1].profile == {"education": "senior_high", "age": 30}


def test_csv_rows_are_numbered_as_the_spreadsheet_shows_them_and_blank_rows_skipped(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_text('姓名,专业\n张三,"计算机,\n应用"\n\n李四,\n,\n王五,文秘\n', encoding="utf-8")
    rows = read_rows(path)
    assert [(r.number, r.identity["name"]) for r in rows] == [(2, "张三"), (4, "李四"), (6, "王五")]
    assert rows[0].profile == {"major": "计算机,\n应用"}


def test_csv_cells_beyond_the_named_columns_are_dropped(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_text("姓名,,学历\n张三,秘密,本科,更多\n", encoding="utf-8")
    (row,) = read_rows(path)
    assert row.profile == {"education": "bachelor"}
    assert row.dropped == ["（未命名的第 2 列）", "（未命名的第 4 列）"]


def test_undecodable_csv_is_a_tabular_error(tmp_path: Path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"\xff\xff\xff")
    with pytest.raises(TabularError, match="既不是 UTF-8 也不是 GB18030"):
        read_rows(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "没有表头行"), ("\n张三\n", "没有表头行"), ("姓名,姓名\n张三,李四\n", "列名重复：'姓名'")],
)
def test_csv_without_usable_header_is_a_tabular_error(tmp_path: Path, text, message):
    path = tmp_path / "a.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TabularError, match=message):
        read_rows(path)


def test_xlsx_first_sheet_with_date_and_number_cells(tmp_path: Path):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "出生日期", "年龄", "打字速度", "手机", "耐心", "无犯罪记录", "照片"])
    ws.append(["王五", datetime(1998, 5, 1), 25, 60, 13800138000, 4, True, "photo.jpg"])
    ws.append([None] * 8)
    ws.append(["赵六", "1999/1/2", "30岁", 45.0, "+86 139 0013 9000", None, "否", None])
    other = wb.create_sheet("第二页")
    other.append(["姓名"])
    other.append(["不应读取"])
    path = tmp_path / "a.xlsx"
    wb.save(path)

    rows = read_rows(path)
    assert [r.number for r in rows] == [2, 4]
    first, second = rows
    assert first.errors == []
    assert first.identity == {"name": "王五", "phone": "13800138000"}
    assert first.profile == {
        "date_of_birth": "1998-05-01",
        "age": 25,
        "typing": {"cpm": 60, "measured": False},
        "traits": {"patience": 4},
        "declarations": {"no_criminal_record": True},
    }
    assert first.dropped == ["照片"]
    assert second.identity == {"name": "赵六", "phone": "13900139000"}
    assert second.profile == {
        "date_of_birth": "1999-01-02",
        "age": 30,
        "typing": {"cpm": 45, "measured": False},
        "declarations": {"no_criminal_record": False},
    }


def test_xlsx_with_an_invalid_cell_reports_the_spreadsheet_row(tmp_path: Path):
    wb = Workbook()
    wb.active.append(["姓名", "学历"])
    wb.active.append(["王五", "本科"])
    wb.active.append(["赵六", "研究生院"])
    path = tmp_path / "a.xlsx"
    wb.save(path)
    rows = read_rows(path)
    assert rows[0].errors == []
    assert (rows[1].number, rows[1].errors) == (3, [("学历", "无法识别的学历：'研究生院'")])


def test_a_file_that_is_not_a_workbook_is_a_tabular_error(tmp_path: Path):
    path = tmp_path / "a.xlsx"
    path.write_text("姓名\n张三\n", encoding="utf-8")
    with pytest.raises(TabularError, match=r"不是可读取的 \.xlsx 工作簿"):
        read_rows(path)


def test_json_single_profile_object(tmp_path: Path):
    path = tmp_path / "p.json"
    profile = {
        "name": "赵六",
        "phone": "+86 138 0013 8000",
        "education": "bachelor",
        "date_of_birth": "1998-05-01",
        "experience": {"total": 3, "customer_service": 1.5},
        "typing": {"cpm": 70, "measured": True},
        "languages": {"en": "b1"},
        "platforms": ["taobao", "jd"],
        "declarations": {"good_health": True},
        "traits": {"patience": 5},
        "answers": {"q1": "a"},
        "gender": "男",
        "major": None,
    }
    path.write_text(json.dumps(profile, ensure_ascii=False), encoding="utf-8")
    (row,) = read_rows(path)
    assert row.number == 1
    assert row.errors == []
    assert row.identity == {"name": "赵六", "phone": "13800138000"}
    assert row.profile == {
        "education": "bachelor",
        "date_of_birth": "1998-05-01",
        "experience": {"total": 3, "customer_service": 1.5},
        "typing": {"cpm": 70, "measured": True},
        "languages": {"en": "b1"},
        "platforms": ["taobao", "jd"],
        "declarations": {"good_health": True},
        "traits": {"patience": 5},
    }
    assert row.answers == {"q1": "a"}
    assert row.dropped == ["gender"]


def test_json_list_reports_type_errors_with_index_and_key_path(tmp_path: Path):
    path = tmp_path / "p.json"
    good = {"name": "甲", "education": "senior_high"}
    bad = {
        "name": "乙",
        "education": "本科",
        "experience": {"total": "3年", "sales": 2},
        "platforms": "taobao",
        "skills": ["excel", "唱歌"],
        "traits": {"patience": 7},
        "declarations": {"good_health": "是"},
        "typing": 60,
        "date_of_birth": "1998/5/1",
    }
    path.write_text(json.dumps([good, bad], ensure_ascii=False), encoding="utf-8")
    first, second = read_rows(path)
    assert (first.number, first.errors, first.profile) == (1, [], {"education": "senior_high"})
    assert second.number == 2
    assert [where for where, _message in second.errors] == [
        "typing",
        "education",
        "experience.total",
        "platforms",
        "skills",
        "traits.patience",
        "declarations.good_health",
        "date_of_birth",
    ]
    errors = dict(second.errors)
    assert errors["education"].startswith("应为以下代码之一（none, junior_middle, ")
    assert errors["education"].endswith("），实际为 '本科'")
    assert errors["experience.total"] == "应为不小于 0 的数，实际为 '3年'"
    assert errors["platforms"] == "应为列表，实际为 'taobao'"
    assert errors["skills"].startswith("未知的代码 ['唱歌']；应为以下代码中的若干个：office_software, ")
    assert errors["traits.patience"] == "应为介于 1 和 5 之间的整数，实际为 7"
    assert errors["declarations.good_health"] == "应为布尔值 true 或 false，实际为 '是'"
    assert errors["typing"] == "应为对象，实际为 60"
    assert errors["date_of_birth"] == "应为日期（ISO 格式 YYYY-MM-DD），实际为 '1998/5/1'"
    assert second.profile == {"experience": {"sales": 2}}  # only the valid key survives
    assert second.identity == {"name": "乙"}


def test_json_that_is_not_profiles(tmp_path: Path):
    path = tmp_path / "p.json"
    path.write_text('[{"name": "甲"}, 5]', encoding="utf-8")
    rows = read_rows(path)
    assert rows[1].errors == [("", "应为个人资料对象，实际为 int")]
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(TabularError, match="JSON 格式无效"):
        read_rows(path)


@pytest.mark.parametrize("name", ["a.xls", "a.txt", "noext"])
def test_unsupported_file_type_is_a_tabular_error(tmp_path: Path, name):
    path = tmp_path / name
    path.write_text("x", encoding="utf-8")
    with pytest.raises(TabularError, match=r"不支持的文件类型 .*：请使用 \.csv、\.xlsx 或 \.json"):
        read_rows(path)


def test_missing_file_is_a_tabular_error(tmp_path: Path):
    with pytest.raises(TabularError, match=r"无法读取 a\.csv："):
        read_rows(tmp_path / "a.csv")
