"""Translated labels for the codes a profile value holds (screening/rules/vocab.py): education levels, platforms…

The labels of the profile's keys themselves (experience fields, declarations, traits) are declared with the keys,
in screening/profile_keys.py.
"""

from django.utils.translation import gettext_lazy as _

EDUCATION = {
    "none": _("无"),
    "junior_middle": _("初中"),
    "senior_high": _("高中"),
    "secondary_vocational": _("中专/技校"),
    "junior_college": _("大专"),
    "bachelor": _("本科"),
    "master": _("硕士"),
    "doctorate": _("博士"),
}
PLATFORMS = {
    "taobao": _("淘宝"),
    "tmall": _("天猫"),
    "jd": _("京东"),
    "pdd": _("拼多多"),
    "vip": _("唯品会"),
    "douyin": _("抖音"),
    "kuaishou": _("快手"),
    "xiaohongshu": _("小红书"),
    "amazon": _("亚马逊"),
    "shopee": _("Shopee"),
    "other": _("其他平台"),
}
LANGUAGES = {"en": _("英语"), "ja": _("日语"), "ko": _("韩语"), "ru": _("俄语"), "fr": _("法语"), "de": _("德语")}
LANGUAGE_LEVELS = {
    "none": _("不会"),
    "a1": _("A1 入门"),
    "a2": _("A2 基础"),
    "b1": _("B1 中级（约四级）"),
    "b2": _("B2 中高级（约六级）"),
    "c1": _("C1 高级（约专八）"),
    "c2": _("C2 精通"),
}
CERTIFICATES = {
    "none": _("无证书"),
    "representative": _("客户服务代表"),
    "senior_representative": _("高级客户服务代表"),
    "assistant_manager": _("助理客户服务管理师"),
    "manager": _("客户服务管理师"),
    "senior_manager": _("高级客户服务管理师"),
}
SKILLS = {
    "office_software": _("办公软件"),
    "excel": _("Excel 表格"),
    "crm_tools": _("客服/CRM 系统"),
    "data_analysis": _("数据分析"),
    "sales": _("销售技巧"),
}
TYPING_FLAGS = {
    "too_fast": _("速度快得不合常理"),
    "too_short": _("只输入了一小部分"),
    "pasted": _("尝试粘贴"),
}
CHAT_FLAGS = {
    "too_fast": _("回复快得不像是现场输入"),
    "pasted": _("尝试粘贴"),
}
STATUSES = {"met": _("满足"), "partial": _("部分满足"), "not_met": _("不满足"), "unknown": _("未知")}
# What a requirement's evidence is (rules.evidence_kind), strongest first as HR reads them
EVIDENCE_KINDS = {"measured": _("实测"), "claimed": _("自述"), "self_rated": _("自评")}


def label(mapping: dict, code) -> str:
    return str(mapping.get(code, code))
