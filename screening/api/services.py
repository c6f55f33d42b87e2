"""The API's writes: applications from another channel, idempotent by the client's id for them."""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from screening import parsers, selectors, services, tabular
from screening.models import Application, Job
from screening.rules.vocab import SENSITIVE_DECLARATIONS
from screening.services.importing import profile_minimal

from .models import ApiClient, ExternalApplication


def api_client_create(*, name: str, scopes, jobs=(), expires_at=None) -> tuple[ApiClient, str]:
    """A client with a user of its own: the HR reviewer role, no usable password (nobody logs in as it), on the
    hiring teams of `jobs` (so it sees them and the jobs without a team, as an HR reviewer would). The token is
    returned once; only its hash is kept."""
    from django.contrib.auth import get_user_model

    from screening.roles import ensure_roles

    with transaction.atomic():
        user = get_user_model().objects.create_user(f"api:{name}"[:150], password=None)
        user.groups.add(ensure_roles())
        token = ApiClient.new_token()
        client = ApiClient(name=name, scopes=list(scopes), user=user, expires_at=expires_at)
        client.set_token(token)
        client.save()
        user.hiring_jobs.set(jobs)
    return client, token


class Refused(Exception):  # noqa: N818
    def __init__(self, code: str, message: str, *, fields: dict | None = None, application_id: int | None = None):
        super().__init__(message)
        self.code, self.message, self.fields, self.application_id = code, message, fields, application_id


def request_hash(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def clean_person_and_profile(*, name: str, email: str, phone: str, profile: dict, answers: dict):
    """The identity and profile as the import reads a JSON profile (tabular.parse_profile, strict), with the
    import's identity rule (a name and an e-mail or mobile). Health and criminal-record declarations are
    refused: they need the person's own consent on the form, which no other channel carries."""
    fields: dict[str, list[str]] = {}
    for key in ("name", "email", "phone", "answers"):
        if key in profile:
            fields[f"profile.{key}"] = [_("不属于个人资料，请放在请求的顶层")]
    for key in SENSITIVE_DECLARATIONS:
        if key in (profile.get("declarations") or {}):
            fields[f"profile.declarations.{key}"] = [_("健康和犯罪记录信息只能由本人在申请表中填写")]
    row = tabular.parse_profile({**profile, "answers": answers}, 1)
    for key, message in row.errors:
        fields.setdefault(f"profile.{key}" if not key.startswith("answers") else key, []).append(message)
    for key in row.dropped:
        fields.setdefault(f"profile.{key}", []).append(_("未知字段"))
    identity = {"name": name.strip()}
    for key, parse, value in (("email", parsers.email, email), ("phone", parsers.phone, phone)):
        if value.strip():
            try:
                identity[key] = parse(value)
            except ValueError as exc:
                fields[key] = [str(exc)]
    if not identity["name"]:
        fields["name"] = [_("缺少姓名")]
    if not identity.get("email") and not identity.get("phone") and "email" not in fields and "phone" not in fields:
        fields["email"] = [_("邮箱和手机号至少要有一项")]
    if fields:
        raise Refused("invalid", _("请求内容有误"), fields=fields)
    return identity, row.profile, row.answers


def job_minimal_profile(*, job: Job, profile: dict) -> tuple[dict, list[str]]:
    """Only what the job's requirements read, kept as the import keeps it; the rest is listed and never stored."""
    kept, dropped = profile_minimal(profile, selectors.job_profile_reads(job=job))
    return kept, sorted(dropped)


def external_application_create(
    *, client: ApiClient, job: Job, external_id: str, body_hash: str, name: str, email: str, phone: str,
    profile: dict, answers: dict,
) -> tuple[Application, bool, list[str]]:  # fmt: skip
    """The application the client calls `external_id`: made once (the person by the form's identity rule, never
    changing someone on file; of the profile only what the job reads), the same one for the same request again,
    also when both arrive at once: the unique (client, external_id) decides, and the loser reads the winner's row.
    (application, created, the profile keys not stored)."""
    identity, profile, answers = clean_person_and_profile(
        name=name, email=email, phone=phone, profile=profile, answers=answers
    )
    profile, dropped = job_minimal_profile(job=job, profile=profile)
    profile["applied_on"] = timezone.localdate().isoformat()  # age and tenure at the date it reached us
    existing = _existing(client, external_id, job, body_hash)
    if existing is not None:
        return existing, False, dropped
    try:
        with transaction.atomic():
            application = services.application_create(
                job=job, name=identity["name"], email=identity.get("email", ""), phone=identity.get("phone", ""),
                profile=profile, answers=answers, source=Application.Source.API,
            )  # fmt: skip
            ExternalApplication.objects.create(
                client=client, external_id=external_id, application=application, request_hash=body_hash
            )
            services.application_enqueue_scoring(application=application)
    except IntegrityError:
        # the same id committed meanwhile (a concurrent request), or this person already applied to the job
        existing = _existing(client, external_id, job, body_hash)
        if existing is not None:
            return existing, False, dropped
        raise Refused("already_applied", _("这位应聘者已经申请过这个职位")) from None
    return application, True, dropped


def _existing(client, external_id, job, body_hash) -> Application | None:
    found = ExternalApplication.objects.select_related("application").filter(client=client, external_id=external_id)
    found = found.first()
    if found is None:
        return None
    if found.request_hash != body_hash or found.application.job_id != job.pk:
        raise Refused("external_id_reused", _("这个外部编号已用于另一份不同的申请"))
    return found.application
