"""The applicant-profile vocabulary of DESIGN.md: stable English codes, ordered where it matters.

Labels live in screening/labels.py and, for the profile's keys, screening/profile_keys.py (translated);
this module stays free of Django.
"""

EDUCATION_RANK: dict[str, int] = {
    "none": 0,
    "junior_middle": 1,
    "senior_high": 2,
    "secondary_vocational": 2,  # 中专/技校 ranks with 高中
    "junior_college": 3,
    "bachelor": 4,
    "master": 5,
    "doctorate": 6,
}
EDUCATION_LEVELS = tuple(EDUCATION_RANK)

EXPERIENCE_FIELDS = ("customer_service", "ecommerce", "after_sales", "clerical", "sales", "technical", "total")

PLATFORMS = (
    "taobao",
    "tmall",
    "jd",
    "pdd",
    "vip",
    "douyin",
    "kuaishou",
    "xiaohongshu",
    "amazon",
    "shopee",
    "other",
)

LANGUAGE_LEVELS = ("none", "a1", "a2", "b1", "b2", "c1", "c2")
LANGUAGE_RANK = {level: i for i, level in enumerate(LANGUAGE_LEVELS)}

CERTIFICATE_LEVELS = (
    "none",
    "representative",
    "senior_representative",
    "assistant_manager",
    "manager",
    "senior_manager",
)
CERTIFICATE_RANK = {level: i for i, level in enumerate(CERTIFICATE_LEVELS)}

DECLARATIONS = ("no_criminal_record", "good_health", "accepts_shifts", "accepts_peak_overtime")
# Declarations that reveal sensitive personal information (PIPL art. 28), and the consent category each
# needs. Asked only with that consent; never imported, displayed or exported.
SENSITIVE_DECLARATIONS = {"good_health": "health", "no_criminal_record": "criminal_record"}

TRAITS = (
    "patience",
    "carefulness",
    "responsibility",
    "stress_tolerance",
    "teamwork",
    "learning",
    "adaptability",
    "communication",
    "service_mindset",
    "initiative",
)
TRAIT_MIN, TRAIT_MAX = 1, 5

SKILLS = ("office_software", "excel", "crm_tools", "data_analysis", "sales")

# Courtesy expressions a good 客服 reply uses (seeds 002, 004); folded text is matched against them after
# removing words that merely contain one of them (申请 is not 请, 亲自 is not 亲).
COURTESY = ("您", "请", "谢谢", "感谢", "抱歉", "对不起", "不好意思", "亲", "麻烦")
NOT_COURTESY = ("申请", "邀请", "请假", "亲自", "亲肤", "亲子", "亲戚", "亲手", "麻烦事", "很麻烦")
# The first-response norm (seed 004: a team lead keeps the shop's response time steadily within 15 seconds; the
# 6,000-yuan fine she mentions is for a low reply rate, not for the response time)
CHAT_MAX_SECONDS = 15
# How a chat_response condition meets the norm: the share of buyer messages answered within it, or the mean
# first-response time (platforms report both; which one a job uses, its requirement's description says)
CHAT_MEASURES = ("share", "average")

# What backs a requirement's evidence (DESIGN.md), weakest first: a combinator is as strong as its weakest child
SELF_RATED, CLAIMED, MEASURED = "self_rated", "claimed", "measured"
EVIDENCE_KINDS = (SELF_RATED, CLAIMED, MEASURED)
EVIDENCE_RANK = {kind: i for i, kind in enumerate(EVIDENCE_KINDS)}
# Ours, not from a seed: the self-rated requirements of a job together carry at most this share of its weight
SELF_RATED_MAX_SHARE = 0.15

STATUSES = ("met", "partial", "not_met", "unknown")
RECOMMENDATIONS = ("advance", "review", "reject")
