"""How long applying takes a prepared candidate (screening/estimate.py), and the Double-11 job within ten minutes."""

import pytest

from screening import selectors
from screening.estimate import Chat, Estimate, Form, estimate
from screening.models import Job
from screening.seed import load_fixtures
from tests.factories import ChecklistFactory, JobFactory, RequirementFactory


def test_a_form_of_contact_details_only_is_read_ticked_and_sent_in_under_a_minute():
    # name, e-mail, mobile 3 × 8 s; the privacy consent 5 s; looking it over and submitting 15 s
    assert estimate(Form()) == Estimate(form=44, questions=0, typing_test=0, chats=0)
    assert estimate(Form()).minutes == 1


def test_each_part_of_the_form_adds_its_own_time():
    form = Form(
        fields=4,
        ratings=2,
        consents=2,
        choice_questions=("题" * 30,),
        text_questions=("问" * 15,),
        typing_chars=70,
        chats=(Chat(context="店" * 60, messages=((2, "在吗" * 5), (4, "买" * 15))),),
        resume_required=True,
    )
    result = estimate(form)
    assert result.form == 4 * 8 + 2 * 4 + 2 * 5 + 20 + 15  # fields, ratings, consents, résumé, submit
    # a choice: 30 字 read at 300/min (6 s) and 5 s to pick; a text: 15 字 read (3 s), 60 字 typed at 50/min (72 s)
    assert result.questions == pytest.approx(11 + 75)
    assert result.typing_test == pytest.approx(15 + 84)  # instructions, then 70 字 at 50/min
    # instructions 20 s, context 60 字 (12 s); each message: its delay, reading it, 45 字 typed (54 s)
    assert result.chats == pytest.approx(20 + 12 + (2 + 2 + 54) + (4 + 3 + 54))
    assert result.seconds == pytest.approx(421)
    assert result.minutes == 8


def test_minutes_round_up_and_never_say_zero():
    assert Estimate(form=60, questions=0, typing_test=0, chats=0).minutes == 1
    assert Estimate(form=60, questions=0.5, typing_test=0, chats=0).minutes == 2
    assert Estimate(form=0, questions=0, typing_test=0, chats=0).minutes == 1


def test_no_typing_test_and_no_chat_take_no_time_but_a_buyers_delay_does():
    assert estimate(Form(typing_chars=0)).typing_test == 0
    quick = Chat(context="", messages=((0, "在吗"),))
    slow = Chat(context="", messages=((30, "在吗"),))
    assert estimate(Form(chats=(slow,))).chats - estimate(Form(chats=(quick,))).chats == pytest.approx(30)


@pytest.mark.django_db
def test_a_jobs_estimate_counts_what_its_form_asks():
    checklist = ChecklistFactory()
    for condition in (
        {"kind": "education_at_least", "level": "senior_high"},
        {"kind": "trait_at_least", "trait": "patience", "rating": 4},
        {"kind": "declared", "declaration": "good_health"},  # a field and its own consent
        {"kind": "typing_at_least", "cpm": 50},
    ):
        RequirementFactory(checklist=checklist, condition=condition)
    job = JobFactory(checklists=[checklist])
    # 5 fields (contact, education, health) 40 s, 1 rating 4 s, 2 consents 10 s, submit 15 s; the longest
    # typing passage (70 字) at 50 字/分 after 15 s of instructions
    assert selectors.job_application_estimate(job=job) == Estimate(form=69, questions=0, typing_test=99, chats=0)


@pytest.mark.django_db
def test_the_double11_job_takes_a_prepared_candidate_at_most_ten_minutes():
    """A seasonal Double-11 job is applied for on a phone: at most ten minutes, with its typing test and its
    one buyer chat (the 15-second first response)."""
    load_fixtures()
    job = Job.objects.get(slug="double11-cs-specialist")
    result = selectors.job_application_estimate(job=job)
    assert result.seconds <= 600 and result.minutes <= 10, result
    assert result.typing_test > 0 and result.chats > 0
    _requirements, _questions, scenarios = selectors.job_form_parts(job=job)
    assert "chat_stock" in scenarios
