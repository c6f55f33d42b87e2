"""How long a prepared candidate takes to apply for a job, from what its application form asks (pure: no ORM).

A prepared candidate knows their own facts, has a résumé at hand and answers without hesitating: the time is
reading, picking and typing. Every figure below is ours, not a seed's, except the typing speed: the 50 字/分
that seed 002 asks of a 客服部文员 and the typing test holds candidates to. selectors.job_application_estimate
reads a job's form parts and asks this module.
"""

import math
from dataclasses import dataclass

# -- ours: how long each part of the form takes ----------------------------------------------------------------
FIELD_SECONDS = 8  # one of the candidate's own facts: name, e-mail, mobile, a date, a select, a yes/no, a number
RATING_SECONDS = 4  # a self-rating 1–5 (one tap on a row of radio buttons)
CONSENT_SECONDS = 5  # a consent checkbox: read its line, tick it
CHOICE_PICK_SECONDS = 5  # a situational question, once read: weigh the options, tap one
READING_CPM = 300  # Chinese characters a minute, read with care on a phone
TYPING_CPM = 50  # the seeds' typing speed (seed 002: 打字速度50字/分)
TEXT_ANSWER_CHARS = 60  # a short written answer to a situational question (the fixtures' keyed ones need 2–4 points)
TYPING_TEST_SETUP_SECONDS = 15  # read the instructions, press start, check the result
CHAT_SETUP_SECONDS = 20  # read the widget's instructions, press start, finish
CHAT_REPLY_CHARS = 45  # typed per buyer message, a quick 亲，在的 and the answer (the fixtures' model answers: 30–70)
RESUME_SECONDS = 20  # pick a file that is at hand (only when the job requires one)
SUBMIT_SECONDS = 15  # look the form over and submit


@dataclass(frozen=True)
class Chat:
    """A buyer chat as the candidate meets it: the context to read, then each buyer message after its delay."""

    context: str
    messages: tuple[tuple[float, str], ...]  # (delay_seconds, text)


@dataclass(frozen=True)
class Form:
    """What the application form asks, as plain data."""

    fields: int = 3  # name, e-mail and mobile are always asked
    ratings: int = 0
    consents: int = 1  # the privacy notice, always; one more per sensitive declaration asked
    choice_questions: tuple[str, ...] = ()  # the text each one makes the candidate read: prompt and option labels
    text_questions: tuple[str, ...] = ()  # each prompt
    typing_chars: int = 0  # the typing test's passage length; 0: no typing test
    chats: tuple[Chat, ...] = ()
    resume_required: bool = False


@dataclass(frozen=True)
class Estimate:
    """Seconds by part of the form; `minutes` rounds the whole up."""

    form: float  # fields, self-ratings, consents, résumé and submitting
    questions: float  # situational questions, chosen and written
    typing_test: float
    chats: float

    @property
    def seconds(self) -> float:
        return self.form + self.questions + self.typing_test + self.chats

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))


def _reading(text: str) -> float:
    return len(text) * 60 / READING_CPM


def _typing(chars: int) -> float:
    return chars * 60 / TYPING_CPM


def chat_seconds(chat: Chat) -> float:
    """Reading the context, then per buyer message: its delay (counted from the candidate's latest reply, as
    screening/worksamples/buyer_chat.py delivers them), reading it, typing the replies."""
    per_message = sum(delay + _reading(text) + _typing(CHAT_REPLY_CHARS) for delay, text in chat.messages)
    return CHAT_SETUP_SECONDS + _reading(chat.context) + per_message


def estimate(form: Form) -> Estimate:
    return Estimate(
        form=form.fields * FIELD_SECONDS
        + form.ratings * RATING_SECONDS
        + form.consents * CONSENT_SECONDS
        + (RESUME_SECONDS if form.resume_required else 0)
        + SUBMIT_SECONDS,
        questions=sum(_reading(text) + CHOICE_PICK_SECONDS for text in form.choice_questions)
        + sum(_reading(prompt) + _typing(TEXT_ANSWER_CHARS) for prompt in form.text_questions),
        typing_test=TYPING_TEST_SETUP_SECONDS + _typing(form.typing_chars) if form.typing_chars else 0.0,
        chats=sum(chat_seconds(chat) for chat in form.chats),
    )
