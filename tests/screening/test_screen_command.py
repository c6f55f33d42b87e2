"""`manage.py screen`: score a file of profiles against checklists, storing nothing."""

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from screening.models import Applicant, Application, Checklist, Evaluation, Requirement
from screening.seed import FIXTURES, load_fixtures

pytestmark = pytest.mark.django_db

SLUGS = "ecommerce-cs-basic,cs-clerk"
BORN = f"{date.today().year - 25}-01-01"  # 24 or 25 today: inside both checklists' age ranges
HEADER = "姓名,学历,出生日期,打字速度,技能,无犯罪记录,身体健康,性别"
BACHELOR = f"张三,本科,{BORN},60字/分,办公软件,是,是,男"
JUNIOR = f"李四,初中,{BORN},40,,是,是,女"
RESULT_KEYS = ["checklist", "code", "title", "knockout", "weight", "status", "fraction", "evidence"]


# cs-clerk's requirements that repeat an ecommerce-cs-basic condition word for word: scored once, under the first
MERGED_INTO_BASIC = {("cs-clerk", c) for c in ("office_software", "patience", "carefulness", "responsibility",
                                                "adaptability", "teamwork")}  # fmt: skip


def fixture_codes(*slugs: str) -> list[tuple[str, str]]:
    data = {c["slug"]: c for c in json.loads((FIXTURES / "checklists.json").read_text(encoding="utf-8"))}
    codes = [(s, r["code"]) for s in slugs for r in data[s]["requirements"]]
    return [code for code in codes if code not in MERGED_INTO_BASIC]


def write_csv(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "applicants.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def screen(*args, **options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("screen", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def screen_json(*args, **options) -> tuple[list[dict], str]:
    out, err = screen(*args, format="json", **options)
    return json.loads(out), err


def requirement(result: dict, checklist: str, code: str) -> dict:
    (found,) = [r for r in result["requirements"] if (r["checklist"], r["code"]) == (checklist, code)]
    return found


def assert_nothing_written():
    assert Applicant.objects.count() == 0
    assert Application.objects.count() == 0
    assert Evaluation.objects.count() == 0


def test_json_output_from_database_checklists(tmp_path: Path):
    load_fixtures(jobs=False)
    # an edit made in the database shows, so the database (not the fixture file) was read
    Requirement.objects.filter(checklist__slug="cs-clerk", code="education").update(title="学历（数据库）")
    checklists_before = Checklist.objects.count()

    results, err = screen_json(SLUGS, write_csv(tmp_path, BACHELOR, JUNIOR))

    assert "checklists.json" not in err
    assert "性别" in err  # the dropped column is reported, not stored
    assert [r["profile"] for r in results] == ["张三", "李四"]
    for result in results:
        assert list(result) == ["profile", "checklists", "score", "max_possible", "recommendation", "requirements"]
        assert result["checklists"] == ["ecommerce-cs-basic", "cs-clerk"]
        assert isinstance(result["score"], float) and isinstance(result["max_possible"], float)
        assert 0 <= result["score"] <= result["max_possible"] <= 100
        # slugs in the order given, then each checklist's requirement order
        assert [(r["checklist"], r["code"]) for r in result["requirements"]] == fixture_codes(
            "ecommerce-cs-basic", "cs-clerk"
        )
        assert all(list(r) == RESULT_KEYS for r in result["requirements"])
    assert requirement(results[0], "cs-clerk", "education")["title"] == "学历（数据库）"

    bachelor, junior = results
    edu = requirement(bachelor, "ecommerce-cs-basic", "education")
    assert (edu["status"], edu["fraction"], edu["knockout"]) == ("met", 1.0, True)
    assert edu["evidence"] == [{"code": "education.ok", "params": {"value": "bachelor", "required": "senior_high"}}]
    typing = requirement(bachelor, "cs-clerk", "typing")
    assert typing["status"] == "met"
    assert bachelor["recommendation"] == "review"  # the clerk's experience knockout is unknown

    edu = requirement(junior, "ecommerce-cs-basic", "education")
    assert edu["status"] == "not_met"
    assert edu["evidence"] == [
        {"code": "education.below", "params": {"value": "junior_middle", "required": "senior_high"}}
    ]
    assert requirement(junior, "cs-clerk", "typing")["status"] == "partial"
    assert junior["recommendation"] == "reject"
    assert junior["score"] < bachelor["score"]

    assert Checklist.objects.count() == checklists_before
    assert_nothing_written()


def test_falls_back_to_the_fixture_file_when_the_database_has_no_checklists(tmp_path: Path):
    assert Checklist.objects.count() == 0
    results, err = screen_json(SLUGS, write_csv(tmp_path, BACHELOR, JUNIOR))
    assert "checklists.json" in err
    assert [r["recommendation"] for r in results] == ["review", "reject"]
    assert [(r["checklist"], r["code"]) for r in results[0]["requirements"]] == fixture_codes(
        "ecommerce-cs-basic", "cs-clerk"
    )
    assert requirement(results[1], "ecommerce-cs-basic", "education")["status"] == "not_met"
    assert Checklist.objects.count() == 0
    assert_nothing_written()


def test_falls_back_per_checklist_when_the_database_has_only_some(tmp_path: Path):
    load_fixtures(jobs=False)
    Checklist.objects.filter(slug="cs-clerk").delete()
    Requirement.objects.filter(checklist__slug="ecommerce-cs-basic", code="education").update(title="学历（数据库）")
    (result,), err = screen_json(SLUGS, write_csv(tmp_path, BACHELOR))
    assert "read cs-clerk from the fixture file" in err
    assert "ecommerce-cs-basic" not in err
    assert requirement(result, "ecommerce-cs-basic", "education")["title"] == "学历（数据库）"
    assert requirement(result, "cs-clerk", "education")["title"] == "学历：中专及以上"


def test_falls_back_to_the_fixture_file_when_the_checklist_table_is_missing(tmp_path: Path):
    with connection.cursor() as cursor:  # undone when the test's transaction rolls back
        cursor.execute("ALTER TABLE screening_checklist RENAME TO screening_checklist_hidden")
    (result,), err = screen_json(SLUGS, write_csv(tmp_path, JUNIOR))
    assert "checklists.json" in err
    assert result["recommendation"] == "reject"
    assert_nothing_written()  # the failed query did not abort the surrounding transaction


def test_unknown_slug_is_a_command_error(tmp_path: Path):
    with pytest.raises(CommandError, match="unknown checklist 'xyz'"):
        screen("ecommerce-cs-basic,xyz", write_csv(tmp_path, BACHELOR))


def test_invalid_value_is_a_command_error_naming_row_and_column(tmp_path: Path):
    path = write_csv(tmp_path, BACHELOR, JUNIOR.replace("初中", "研究生院"), header=HEADER)
    with pytest.raises(CommandError) as info:
        screen(SLUGS, path)
    assert "row 3, 学历: 无法识别的学历：'研究生院'" in str(info.value)
    assert "row 2" not in str(info.value)
    assert_nothing_written()


@pytest.mark.parametrize(
    ("name", "content", "message"), [("a.txt", "x", "不支持的文件类型 '.txt'"), ("a.csv", "", "没有表头行")]
)
def test_unreadable_or_unsupported_file_is_a_command_error(tmp_path: Path, name, content, message):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        screen(SLUGS, path)


def test_threshold_zero_turns_review_into_advance_when_no_knockout_failed_or_unknown(tmp_path: Path):
    # every ecommerce-cs-basic knockout (education, no criminal record) is met; most other items are unknown, and
    # without office software the score stays under 60 (the unknown self-ratings weigh only their capped 15 %)
    path = write_csv(tmp_path, BACHELOR.replace("办公软件", ""))
    (default,), _ = screen_json("ecommerce-cs-basic", path)
    knockouts = [r["status"] for r in default["requirements"] if r["knockout"]]
    assert knockouts == ["met", "met"]
    assert default["score"] < 60
    assert default["recommendation"] == "review"
    (lenient,), _ = screen_json("ecommerce-cs-basic", path, threshold=0)
    assert lenient["recommendation"] == "advance"
    assert lenient["score"] == default["score"]


def test_threshold_outside_0_to_100_is_refused(tmp_path: Path):
    with pytest.raises(CommandError, match="outside 0–100"):
        screen(SLUGS, write_csv(tmp_path, BACHELOR), threshold=101)


def test_table_format_prints_rendered_chinese_evidence_for_what_is_not_met(tmp_path: Path):
    out, _err = screen(SLUGS, write_csv(tmp_path, BACHELOR, JUNIOR))
    lines = out.splitlines()
    assert lines[0].startswith("row 2 张三  score ")
    assert lines[0].endswith("review")
    (junior_line,) = [line for line in lines if line.startswith("row 3 李四")]
    assert junior_line.endswith("reject")
    assert "    not_met  ecommerce-cs-basic/education 学历：高中或同等学历及以上 [knockout]" in lines
    assert "        学历 初中 低于要求 高中" in lines
    assert "        打字 40 字/分，低于要求 50 字/分" in lines
    assert "文职经验未填写（要求 1 年）" in out  # a child of the clerk's any_of, explained
    # met requirements are not listed: the bachelor's education line never appears
    assert "学历 本科 ≥ 要求 高中" not in out


def test_json_profiles_without_a_name_are_identified_by_number(tmp_path: Path):
    path = tmp_path / "profiles.json"
    path.write_text(json.dumps([{"education": "bachelor"}, {"education": "junior_middle"}]), encoding="utf-8")
    results, _ = screen_json("ecommerce-cs-basic", path)
    assert [(r["profile"], r["recommendation"]) for r in results] == [(1, "review"), (2, "reject")]


def test_dated_profiles_are_scored_from_json_and_from_job_board_columns(tmp_path: Path):
    # 高级客户服务代表 (seed 002): 大专, or the 客户服务代表 certificate for 2 years and 2 years of work, or 4 years
    year = date.today().year
    certified = {"level": "representative", "obtained_on": f"{year - 3}-01-15"}
    profiles = [
        {"education": "senior_high", "certificates": [certified],
         "work_history": [{"field": "customer_service", "start": f"{year - 3}-03", "end": None}]},
        {"education": "senior_high", "certificates": [certified],
         "work_history": [{"field": "customer_service", "start": f"{year - 1}-01", "end": f"{year - 1}-06"}]},
    ]  # fmt: skip
    path = tmp_path / "profiles.json"
    path.write_text(json.dumps(profiles), encoding="utf-8")
    results, _ = screen_json("cs-cert-senior-representative", path)
    assert [(r["recommendation"], r["requirements"][0]["status"]) for r in results] == [
        ("advance", "met"),
        ("reject", "not_met"),  # half a year of work: neither route holds, and the knockout fails
    ]
    csv = write_csv(
        tmp_path,
        f"王五,高中,{year - 3}-03~至今 客服,客户服务代表 {year - 3}-01",
        f"赵六,高中,{year - 1}-01~{year - 1}-06 客服,客户服务代表 {year - 3}-01",
        header="姓名,学历,工作经历,证书记录",
    )
    results, _ = screen_json("cs-cert-senior-representative", csv)
    assert [(r["profile"], r["recommendation"]) for r in results] == [("王五", "advance"), ("赵六", "reject")]


def test_dated_lists_go_through_the_strict_parsers_and_a_wrong_entry_stops_the_command(tmp_path: Path):
    path = tmp_path / "profiles.json"
    path.write_text(
        json.dumps(
            [
                {"education": "bachelor"},
                {"work_history": [{"field": "customer_service", "start": "2021-03", "end": "2019-06"}]},
                {"certificates": [{"level": "manager", "obtained_on": "2021/09/01"}]},
            ]
        ),
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as info:
        screen("cs-cert-senior-representative", path)
    assert str(info.value).splitlines()[1:] == [
        "row 2, work_history: 第 1 段经历：结束月份 2019-06 早于开始月份 2021-03",
        "row 3, certificates: 第 1 本证书：obtained_on: 应为日期（ISO 格式 YYYY-MM-DD），实际为 '2021/09/01'",
    ]
    assert_nothing_written()
