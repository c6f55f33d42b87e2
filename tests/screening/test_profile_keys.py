"""The registry of profile keys (screening/profile_keys.py): one declaration per key, in step with the engine."""

import subprocess
import sys
from collections import Counter

from screening import profile_keys, rules
from screening.profile_keys import Evidence, Family, ProfileKey
from screening.rules import vocab
from tests.conftest import ROOT

# One condition of every kind that reads the profile (answers and chats are the form's questions and widgets).
READING_EVERY_KEY = [
    {"kind": "education_at_least", "level": "senior_high"},
    {"kind": "age_between", "min": 18},
    *({"kind": "experience_at_least", "field": f, "years": 1} for f in vocab.EXPERIENCE_FIELDS),
    {"kind": "typing_at_least", "cpm": 40},
    {"kind": "language_at_least", "language": "ko", "level": "a1"},
    {"kind": "certificate_at_least", "level": "manager", "years_since": 1},
    *({"kind": "declared", "declaration": d} for d in vocab.DECLARATIONS),
    {"kind": "platforms_any", "platforms": ["jd"]},
    {"kind": "major_matches", "keywords": ["英语"]},
    *({"kind": "trait_at_least", "trait": t, "rating": 3} for t in vocab.TRAITS),
    {"kind": "skill_has", "skill": "excel"},
]
DECLARED = [e for e in profile_keys.KEYS if isinstance(e, ProfileKey)]


def test_every_code_the_engine_knows_is_declared_once_in_the_same_order():
    assert list(profile_keys.sub_labels("experience")) == list(vocab.EXPERIENCE_FIELDS)
    assert list(profile_keys.sub_labels("declarations")) == list(vocab.DECLARATIONS)
    assert list(profile_keys.sub_labels("traits")) == list(vocab.TRAITS)
    assert [k for k, n in Counter(e.key for e in DECLARED).items() if n > 1] == []


def test_everything_a_condition_reads_is_asked_by_a_declared_key():
    for condition in READING_EVERY_KEY:
        assert rules.condition_errors(condition) == []
        reads = rules.schemas.profile_reads(condition)
        assert {key.read for key in profile_keys.asked(reads)} == reads, condition


def test_field_names_and_headers_name_one_key_each():
    keys = [*DECLARED, profile_keys.column("languages.en")[0]]
    fields = [k.field_name for k in keys if k.field]
    assert len(fields) == len(set(fields))
    headers = [h for k in keys for c in k.columns for h in c.headers]
    assert len(headers) == len(set(headers)) == len(profile_keys.HEADERS)


def test_evidence_kinds_and_consent_categories():
    kinds = {e.key: e.evidence for e in DECLARED}
    assert {k for k, v in kinds.items() if v == Evidence.SELF_RATED} == {f"traits.{t}" for t in vocab.TRAITS}
    assert {k for k, v in kinds.items() if v == Evidence.MEASURED} == {"typing"}
    assert {e.key: e.sensitive for e in DECLARED if e.sensitive} == {
        "declarations.no_criminal_record": "criminal_record",
        "declarations.good_health": "health",
    }
    languages = next(e for e in profile_keys.KEYS if isinstance(e, Family))
    assert languages.make("ja").evidence == Evidence.CLAIMED and not languages.make("ja").sensitive


def test_the_registry_and_the_import_load_without_models_or_settings_and_the_engine_without_the_registry():
    script = (
        "import sys, screening.tabular; assert 'screening.models' not in sys.modules, 'models'; "
        "[sys.modules.pop(m) for m in list(sys.modules) if m.startswith('screening')]; "
        "import screening.rules; assert 'screening.profile_keys' not in sys.modules, 'engine'"
    )
    env = {"PATH": "/usr/bin:/bin"}  # no DJANGO_SETTINGS_MODULE
    done = subprocess.run([sys.executable, "-c", script], check=False, cwd=ROOT, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()


def test_the_dated_lists_are_declared_once_and_asked_wherever_experience_or_a_certificate_is_read():
    history, certificates = (next(e for e in DECLARED if e.key == k) for k in ("work_history", "certificates"))
    assert (history.evidence, certificates.evidence) == (Evidence.CLAIMED, Evidence.CLAIMED)
    assert profile_keys.column("work_history") == (history, history.columns[0])
    assert profile_keys.HEADERS["工作经历"] == "work_history" and profile_keys.HEADERS["证书记录"] == "certificates"
    for field in vocab.EXPERIENCE_FIELDS:
        reads = rules.schemas.profile_reads({"kind": "experience_at_least", "field": field, "years": 1})
        # the form asks the history, never a year total: the engine derives the totals from it
        assert [k.key for k in profile_keys.asked(reads) if k.field] == ["work_history"], field
        assert {k.key for k in profile_keys.asked(reads)} == {f"experience.{field}", "work_history"}  # an import
    reads = rules.schemas.profile_reads({"kind": "certificate_at_least", "level": "manager", "years_since": 2})
    assert [k.key for k in profile_keys.asked(reads) if k.field] == ["certificates"]
    asked = {k.key for k in profile_keys.asked(reads)}
    assert asked == {"certificates", "certificate.level", "certificate.years_since"}
