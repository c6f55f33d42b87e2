import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.forms.fields import InvalidJSONInput
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import fairness, progress, rules, selectors, sensitive, services
from .audit import audit
from .labels import EVIDENCE_KINDS as EVIDENCE_LABELS
from .labels import STATUSES as STATUS_LABELS
from .models import (
    Applicant,
    Application,
    AuditEvent,
    ChatScenario,
    Checklist,
    Evaluation,
    Job,
    JobChecklist,
    PoolInvitation,
    PoolOffer,
    Question,
    ReferralLink,
    Requirement,
    TalentPoolEntry,
)
from .rules import lint
from .rules.vocab import SENSITIVE_DECLARATIONS
from .services import preview as whatif


class _StrictDecoder(json.JSONDecoder):
    """JSON that PostgreSQL's jsonb can store: no NaN or Infinity."""

    def __init__(self, *args, **kwargs):
        def refuse(name):
            raise ValueError(name)

        super().__init__(*args, parse_constant=refuse, **kwargs)


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return isinstance(value, list) and any(map(_has_nul, value))


class PrettyJSONField(forms.JSONField):
    """JSON shown indented; anything jsonb cannot store (NaN, NUL, huge numbers, deep nesting) is a form error."""

    def __init__(self, **kwargs):
        super().__init__(decoder=_StrictDecoder, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):  # re-displaying invalid input: keep what the admin typed
            return value
        return json.dumps(value, ensure_ascii=False, indent=2)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except (ValueError, RecursionError) as exc:  # int_max_str_digits, nesting depth, NaN
            invalid = self.error_messages["invalid"]
            raise forms.ValidationError(invalid, code="invalid", params={"value": value}) from exc

    def bound_data(self, data, initial):
        try:
            return super().bound_data(data, initial)
        except (ValueError, RecursionError):  # shown again as typed, next to its error
            return InvalidJSONInput(data)

    def validate(self, value):
        super().validate(value)
        if _has_nul(value):
            raise forms.ValidationError(_("不能包含空字符（NUL）"), code="invalid")


def _in_sentence(label) -> str:
    """A label inside a sentence: its first letter lower-cased ("Health information" → "health information")."""
    text = str(label)
    return text[:1].lower() + text[1:]


def _refuse_prohibited_terms(form: forms.BaseForm, names: tuple[str, ...]) -> None:
    """A field that screens, or says it screens, on sex, marital status, childbearing, ethnicity, hukou or an
    infectious disease cannot be saved (rules.lint): the error names the field and the words."""
    for name in names:
        found = lint.findings(form.cleaned_data.get(name))
        if found:
            first = found[0]
            where = f"{form.fields[name].label}{f' {first.where}' if first.where else ''}"
            form.add_error(
                name,
                _("%(field)s含有“%(term)s”：不得以%(category)s作为招聘条件（《就业促进法》禁止就业歧视），请删除。")
                % {"field": where, "term": first.term, "category": _in_sentence(lint.CATEGORIES[first.category])},
            )


class RequirementForm(forms.ModelForm):
    condition = PrettyJSONField(
        label=_("条件"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60, "class": "vLargeTextField"}),
        help_text=_('JSON，例如 {"kind": "education_at_least", "level": "senior_high"}'),
    )

    class Meta:
        model = Requirement
        fields = [
            "code",
            "title",
            "title_en",
            "category",
            "description",
            "description_en",
            "condition",
            "weight",
            "knockout",
            "partial_credit",
            "order",
            "justification",
        ]

    def clean(self):
        cleaned = super().clean()
        _refuse_prohibited_terms(self, ("title", "description", "condition"))
        # an age or health condition needs a written reason (fixtures load without one: admin asks, the model not)
        condition = cleaned.get("condition")
        if isinstance(condition, dict) and not rules.condition_errors(condition):
            needs = sorted(rules.sensitive_reads(condition) & {"age", "health"})
            if needs and not (cleaned.get("justification") or "").strip():
                what = _("、").join(_in_sentence(sensitive.LABELS[n]) for n in needs)
                self.add_error("justification", _("该条件按%(what)s筛选：请写明它为何为岗位所必需。") % {"what": what})
        return cleaned


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["code", "kind", "order", "prompt", "options"]

    def clean(self):
        cleaned = super().clean()
        _refuse_prohibited_terms(self, ("prompt", "options"))
        return cleaned


class RequirementInline(admin.StackedInline):
    model = Requirement
    form = RequirementForm
    extra = 0
    fields = [
        ("code", "title", "category"),
        "title_en",
        "description",
        "description_en",
        "condition",
        "justification",
        ("weight", "knockout", "partial_credit", "order"),
    ]


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionForm
    extra = 0
    fields = [("code", "kind", "order"), "prompt", "prompt_en", "options"]


class OneItemPerLineJSONField(PrettyJSONField):
    """A JSON list shown one item per line: readable and easy to edit for short messages and keyword groups."""

    def prepare_value(self, value):
        if isinstance(value, str) or not isinstance(value, list) or not value:
            return super().prepare_value(value)
        items = [json.dumps(item, ensure_ascii=False, sort_keys=True) for item in value]
        return "[\n  " + ",\n  ".join(items) + "\n]"


class ChatScenarioForm(forms.ModelForm):
    messages = OneItemPerLineJSONField(
        label=_("买家消息"),
        widget=forms.Textarea(attrs={"rows": 7, "cols": 80, "class": "vLargeTextField"}),
        help_text=_(
            '按顺序，例如 [{"delay_seconds": 2, "text": "在吗？"}, {"delay_seconds": 5, "text": "能便宜点吗？"}]；'
            "第一条的等待从开始算起，之后每条从应聘者回复上一条时算起"
        ),
    )
    keyword_groups = OneItemPerLineJSONField(
        label=_("要点关键词组"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60, "class": "vLargeTextField"}),
        help_text=_('每组命中任一词即算命中，例如 [["查询", "核实"], ["补发", "退款"]]'),
    )

    class Meta:
        model = ChatScenario
        fields = [
            "code", "title", "title_en", "order", "context", "context_en", "source", "messages", "keyword_groups",
            "min_groups",
        ]  # fmt: skip

    def clean_keyword_groups(self):
        return self.cleaned_data["keyword_groups"] or []


class ChatScenarioFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """A scenario a requirement of this checklist reads cannot be deleted or renamed (the requirement
        would quietly ask nothing): change the requirement first."""
        super().clean()
        if self.instance.pk is None:
            return
        conditions = Requirement.objects.filter(checklist=self.instance).values_list("condition", flat=True)
        read = set().union(set(), *(rules.scenarios_read(c) for c in conditions))
        for form in self.initial_forms:
            code = form.initial.get("code")
            renamed = getattr(form, "cleaned_data", {}).get("code", code) != code
            if code in read and (self._should_delete_form(form) or renamed):
                raise forms.ValidationError(
                    _("对话情景 %(code)s 仍被本清单的要求使用：请先修改或删除这些要求。") % {"code": code}
                )


class ChatScenarioInline(admin.StackedInline):
    model = ChatScenario
    form = ChatScenarioForm
    formset = ChatScenarioFormSet
    extra = 0
    fields = [
        ("code", "title", "order"), "title_en", "context", "context_en", "source", "messages",
        ("keyword_groups", "min_groups"),
    ]  # fmt: skip


admin.site.site_header = _("客服招聘 · 管理后台")
admin.site.site_title = _("客服招聘管理")
admin.site.index_title = _("招聘筛选设置")


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = [
        "slug",
        "name",
        "revision",
        "requirement_count",
        "sensitive_state",
        "rescore_progress",
        "updated_at",
    ]
    search_fields = ["slug", "name"]
    readonly_fields = ["revision", "created_at", "updated_at"]
    inlines = [RequirementInline, QuestionInline, ChatScenarioInline]
    actions = ["rescore"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(requirement_total=Count("requirements"))
            .prefetch_related("requirements")
        )

    @admin.display(description=_("敏感条件"))
    def sensitive_state(self, obj):
        if not sensitive.findings(obj):
            return "—"
        return _("待确认") if sensitive.unacknowledged(obj) else _("已确认")

    def save_model(self, request, obj, form, change):
        # the inlines are saved on their own; an untouched checklist is not saved again (a save bumps the revision)
        if not change or form.has_changed():
            super().save_model(request, obj, form, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        checklist = self.get_object(request, object_id)
        if checklist is not None:
            extra_context = {
                **(extra_context or {}),
                "sensitive_warnings": sensitive.warnings_for(sensitive.unacknowledged(checklist)),
                "sensitive_acknowledged": sensitive.warnings_for(checklist.sensitive_acknowledged or []),
                "sensitive_checklist": checklist,
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if _previewing(request):  # undone in a moment: nothing to tell
            return
        pending = sensitive.unacknowledged(Checklist.objects.get(pk=form.instance.pk))  # with the inlines just saved
        if pending:
            labels = _("、").join(str(w["label"]) for w in sensitive.warnings_for(pending))
            self.message_user(
                request,
                _("清单“%(name)s”按%(labels)s筛选或收集这些信息：请打开清单阅读提示并确认。")
                % {"name": form.instance.name, "labels": labels},
                messages.WARNING,
            )
        # a question of this checklist may now be answered by the advert of a job that uses it
        for job in Job.objects.filter(job_checklists__checklist=form.instance).distinct().order_by("pk"):
            _warn_answers_given_away(self, request, job)

    def response_change(self, request, obj):
        if _previewing(request):
            # the edit is saved, not yet committed (preview_view rolls it back): read what the jobs would screen by
            request.whatif_proposal = selectors.checklist_jobs_requirements(checklist_id=obj.pk)
            return HttpResponse(status=204)  # never sent: preview_view answers
        return super().response_change(request, obj)

    def preview_view(self, request, object_id):
        """The edited form, unsaved, as a what-if preview: validated and written exactly as a save (same
        form, formsets, checks and signals), inside a transaction that is then rolled back. Invalid, it is the
        change form with its errors; valid, the proposal goes to services.preview and the admin to its result."""
        if request.method != "POST":
            return redirect(reverse("admin:screening_checklist_change", args=[quote(object_id)]))
        request.POST = request.POST.copy()
        request.POST.pop("_saveasnew", None)  # a preview of this checklist, never of a copy
        request.whatif_proposal = None
        change_url = reverse("admin:screening_checklist_change", args=[quote(object_id)])
        with transaction.atomic():
            response = self.change_view(request, object_id, form_url=change_url)
            transaction.set_rollback(True)  # nothing of it is kept: revision, items, log entry, rescore request
        if request.whatif_proposal is None:
            return response  # the form again with its errors, saved nowhere
        checklist_id = int(unquote(object_id))
        preview_id = whatif.preview_start(
            checklist_id=checklist_id, user_id=request.user.pk, proposed=request.whatif_proposal
        )
        return redirect(reverse("admin:screening_checklist_preview_result", args=[checklist_id, preview_id]))

    def _preview_state(self, request, object_id, preview_id):
        checklist = self.get_object(request, unquote(object_id))
        if checklist is None or not self.has_change_permission(request, checklist):
            raise Http404
        state = whatif.preview_state(preview_id=preview_id, checklist_id=checklist.pk, user_id=request.user.pk)
        if state is None:
            raise Http404
        return checklist, state

    def preview_status_view(self, request, object_id, preview_id):
        """What the result page polls while the worker scores: the state and counts, no personal data."""
        _checklist, state = self._preview_state(request, object_id, preview_id)
        return JsonResponse({"state": state["state"], "done": state["done"], "total": state["total"]})

    def preview_result_view(self, request, object_id, preview_id):
        checklist, state = self._preview_state(request, object_id, preview_id)
        result = state["result"]
        jobs = _preview_jobs(request, result) if state["state"] == "done" else []
        # the samples name people and show their requirement results: each look is logged, per job, by ids
        shown = {job["job"]: job["shown"] for job in jobs if job["shown"]}
        for job in Job.objects.filter(pk__in=shown).order_by("pk"):  # not one deleted since
            audit(
                request, AuditEvent.Action.PREVIEW_CHECKLIST, job=job, via="admin", checklist=checklist.pk,
                preview=preview_id, applications=shown[job.pk],
            )  # fmt: skip
        context = {
            **self.admin_site.each_context(request),
            "title": _("修改的影响（预览）"),
            "subtitle": str(checklist),
            "opts": self.model._meta,
            "original": checklist,
            "state": state,
            "jobs": jobs,
            "status_url": reverse("admin:screening_checklist_preview_status", args=[checklist.pk, preview_id]),
        }
        return TemplateResponse(request, "admin/screening/checklist/preview.html", context)

    def acknowledge_view(self, request, object_id):
        checklist = self.get_object(request, object_id)
        if checklist is None or request.method != "POST" or not self.has_change_permission(request, checklist):
            raise PermissionDenied
        # only what the admin was shown: a requirement added meanwhile by someone else keeps its warning
        sensitive.acknowledge(checklist=checklist, user=request.user, shown=request.POST.getlist("item"))
        self.message_user(request, _("已确认该清单的敏感条件。"), messages.SUCCESS)
        return redirect(reverse("admin:screening_checklist_change", args=[checklist.pk]))

    @admin.display(description=_("要求数"), ordering="requirement_total")
    def requirement_count(self, obj):
        return obj.requirement_total

    @admin.display(description=_("重新评分进度"))
    def rescore_progress(self, obj):
        state = progress.read(progress.checklist_key(obj.pk))
        if state is None:
            return "—"
        done, total = state
        return _("%(done)s / %(total)s") % {"done": min(done, total), "total": total}

    @admin.action(description=_("重新评分使用这些清单的申请"), permissions=["change"])
    def rescore(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        for checklist_id in ids:
            progress.forget(progress.checklist_key(checklist_id))  # the page shows "queued" until the task starts
            services.checklist_request_rescore(checklist_id=checklist_id, everything=True)  # stale or not
        self.message_user(
            request,
            ngettext("已为 %(n)d 个清单排队重新评分。", "已为 %(n)d 个清单排队重新评分。", len(ids)) % {"n": len(ids)},
            messages.SUCCESS,
        )
        url = reverse("admin:screening_checklist_rescore_progress")
        return redirect(f"{url}?ids={','.join(map(str, ids))}")

    def get_urls(self):
        progress_view = self.admin_site.admin_view(self.rescore_progress_view)
        acknowledge_view = self.admin_site.admin_view(self.acknowledge_view)
        preview_view = self.admin_site.admin_view(self.preview_view)
        result_view = self.admin_site.admin_view(self.preview_result_view)
        status_view = self.admin_site.admin_view(self.preview_status_view)
        return [
            path("<path:object_id>/preview/", preview_view, name="screening_checklist_preview"),
            path(
                "<path:object_id>/preview/<slug:preview_id>/status/",
                status_view,
                name="screening_checklist_preview_status",
            ),
            path("<path:object_id>/preview/<slug:preview_id>/", result_view, name="screening_checklist_preview_result"),
            path("rescore-progress/", progress_view, name="screening_checklist_rescore_progress"),
            path(
                "<path:object_id>/acknowledge-sensitive/",
                acknowledge_view,
                name="screening_checklist_acknowledge_sensitive",
            ),
            *super().get_urls(),
        ]

    def rescore_progress_view(self, request):
        ids = [int(i) for i in request.GET.get("ids", "").split(",") if i.isdigit()]
        rows, running = [], False
        for checklist in Checklist.objects.filter(pk__in=ids):
            state = progress.read(progress.checklist_key(checklist.pk))
            done, total = state if state else (0, None)
            finished = total is not None and done >= total
            running |= not finished
            percent = 100 if total == 0 else (min(100, round(100 * done / total)) if total else 0)
            rows.append({"checklist": checklist, "done": min(done, total or 0), "total": total, "percent": percent})
        context = {
            **self.admin_site.each_context(request),
            "title": _("重新评分进度"),
            "rows": rows,
            "running": running,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/screening/checklist/rescore_progress.html", context)


def _warn_answers_given_away(model_admin, request, job) -> None:
    """Warn when the job's public title or description states a keyed answer of one of its scored questions."""
    found = selectors.job_answers_given_away(job=job)
    if found:
        items = _("、").join(f"{g.question}（{g.answer}）" for g in found)
        model_admin.message_user(
            request,
            _(
                "职位“%(job)s”的标题或说明写出了计分题的标准答案：%(items)s。看过招聘启事的人都能答对，"
                "这些题就测不出什么：请改写职位说明，或换掉这些题。"
            )
            % {"job": job.title, "items": items},
            messages.WARNING,
        )


def _previewing(request) -> bool:
    """A what-if preview is saving this edit, to roll it back (ChecklistAdmin.preview_view)."""
    return hasattr(request, "whatif_proposal")


_RECOMMENDATION_LABELS = dict(Evaluation.Recommendation.choices)


def _preview_jobs(request, result: dict) -> list[dict]:
    """The result as the page shows it: the transition table's rows and, for each move, the applications
    shown with their names (for superusers only; anyone else sees application numbers)."""
    ids = [a["application"] for job in result["jobs"] for move in job["moves"] for a in move["applications"]]
    names = selectors.application_names(application_ids=ids) if request.user.is_superuser else {}
    jobs = []
    for job in result["jobs"]:
        recs = whatif.RECOMMENDATIONS
        rows = [
            {
                "label": _RECOMMENDATION_LABELS[before],
                "cells": [
                    {"count": count, "kind": "same" if b == a else ("worse" if a > b else "better")}
                    for a, count in enumerate(job["matrix"][b])
                ],
                "total": sum(job["matrix"][b]),
            }
            for b, before in enumerate(recs)
        ]
        moves = [
            {
                **move,
                "before_label": _RECOMMENDATION_LABELS[move["before"]],
                "after_label": _RECOMMENDATION_LABELS[move["after"]],
                "worse": recs.index(move["after"]) > recs.index(move["before"]),
                "applications": [
                    {
                        **a,
                        "name": names.get(a["application"]),
                        "url": reverse("admin:screening_application_change", args=[a["application"]]),
                        "changes": [
                            {
                                **c,
                                "before_label": STATUS_LABELS.get(c["status_before"], "—"),
                                "after_label": STATUS_LABELS.get(c["status_after"], "—"),
                            }
                            for c in a["changes"]
                        ],
                    }
                    for a in move["applications"]
                ],
            }
            for move in job["moves"]
        ]
        jobs.append(
            {
                **job,
                "impact": _preview_impact(job.get("impact")),
                "columns": [_RECOMMENDATION_LABELS[r] for r in recs],
                "rows": rows,
                "after_totals": [sum(row[a] for row in job["matrix"]) for a in range(len(recs))],
                "moves": moves,
                "shown": [a["application"] for move in job["moves"] for a in move["applications"]],
            }
        )
    return jobs


def _preview_impact(impact: dict | None) -> list[dict]:
    """The preview's adverse-impact rows (services.preview._impact): the advance recommendation, then each
    requirement, with the lowest impact ratio by age band and by sex, now and as proposed."""
    if not impact:
        return []
    labels = {"age": fairness.AGE_LABELS, "sex": fairness.SEX_LABELS}

    def cell(side, dimension):
        if side is None or side[dimension]["ratio"] is None:  # no such requirement then, or no group to compare
            return None
        lowest = side[dimension]
        group = labels[dimension][lowest["group"]]
        return {
            "ratio": f"{lowest['ratio']:.2f}",
            "group": group,
            "small": lowest["small"],
            "flagged": lowest["flagged"],
        }

    def cells(entry):
        return [cell(side, d) for d in fairness.GROUPINGS for side in (entry["before"], entry["after"])]

    first = {"title": _("建议进入下一轮"), **impact["recommendation"]}
    rows = [{"title": entry["title"], "cells": cells(entry)} for entry in [first, *impact["requirements"]]]
    return rows if any(any(row["cells"]) for row in rows) else []  # nobody to compare: said in a line instead


class JobChecklistInline(admin.TabularInline):
    model = JobChecklist
    extra = 1
    autocomplete_fields = ["checklist"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "location", "employment_type", "status", "advance_threshold"]
    list_filter = ["status", "employment_type"]
    search_fields = ["title", "slug", "location"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [JobChecklistInline]  # a new threshold rescores the job (signals._job_threshold_changed)
    readonly_fields = ["application_estimate", "weight_map"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":  # a save says it itself (save_related)
            job = self.get_object(request, unquote(object_id))
            if job is not None:
                _warn_answers_given_away(self, request, job)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # the job's checklists as just saved
        if "_continue" not in request.POST:  # back on the change page, change_view warns
            _warn_answers_given_away(self, request, form.instance)

    @admin.display(description=_("预计申请用时"))
    def application_estimate(self, obj):
        """What a prepared candidate needs to apply, as the careers page says it, and where the time goes
        (screening/estimate.py: the figures are ours)."""
        if obj is None or obj.pk is None:
            return "—"
        estimate = selectors.job_application_estimate(job=obj)
        return _(
            "约 %(minutes)s 分钟（表单 %(form)s 秒，情景题 %(questions)s 秒，"
            "打字测试 %(typing)s 秒，模拟对话 %(chats)s 秒）"
        ) % {
            "minutes": estimate.minutes,
            "form": round(estimate.form),
            "questions": round(estimate.questions),
            "typing": round(estimate.typing_test),
            "chats": round(estimate.chats),
        }

    @admin.display(description=_("实际权重"))
    def weight_map(self, obj):
        """What the score uses, requirement by requirement: the same condition in several checklists is scored
        once (the largest weight), and self-ratings together carry at most SELF_RATED_MAX_SHARE of the job."""
        if obj is None or obj.pk is None:
            return "—"
        requirements = rules.merge_duplicates(selectors.job_requirements(job=obj)[0])
        if not requirements:
            return "—"
        weights = rules.effective_weights(requirements)
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    r.title,
                    EVIDENCE_LABELS[kind],
                    r.weight,
                    f"{weight:.2f}".rstrip("0").rstrip("."),
                    "、".join(f"{m['checklist']}/{m['code']}" for m in r.merged) or "",
                )
                for r, weight, kind in zip(requirements, weights.weights, weights.kinds, strict=True)
            ),
        )
        shares = " · ".join(  # strongest evidence first, as HR's page lists it
            f"{label} {weights.shares[kind]:.0%}" for kind, label in EVIDENCE_LABELS.items() if weights.shares.get(kind)
        )
        return format_html(
            '<p id="weight-shares">{}：{}</p><table id="weight-map"><thead><tr><th>{}</th><th>{}</th><th>{}</th>'
            "<th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("权重占比"), shares, _("要求"), _("依据"), _("设定权重"), _("实际权重"), _("合并了"), rows,
        )  # fmt: skip


class AccessLoggedAdmin(admin.ModelAdmin):
    """A person's record: each time admin shows one is in the access log, as each HR detail view is."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):  # noqa: PLR0917 (Django's signature)
        if obj is not None:  # the change or view page, also when shown again with form errors
            self.log_access(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def log_access(self, request, obj):
        raise NotImplementedError


@admin.register(Applicant)
class ApplicantAdmin(AccessLoggedAdmin):
    list_display = ["name", "email", "phone", "created_at"]
    search_fields = ["name", "email", "phone"]

    def log_access(self, request, obj):
        audit(request, AuditEvent.Action.VIEW_APPLICANT, applicant=obj.pk, via="admin")  # ids, never names


class EvaluationInline(admin.StackedInline):
    model = Evaluation
    can_delete = False
    # no per-requirement results here: they would show health and criminal-record answers (HR reads the
    # explained score in the HR workspace, where access is logged)
    readonly_fields = ["score", "max_possible", "recommendation", "revisions", "evaluated_at"]
    fields = readonly_fields


@admin.register(Application)
class ApplicationAdmin(AccessLoggedAdmin):
    list_display = ["applicant", "job", "stage", "score", "recommendation", "source", "submitted_at"]
    list_filter = ["stage", "source", "job", "evaluation__recommendation", "needs_manual_review"]
    list_select_related = ["applicant", "job", "evaluation"]
    search_fields = ["applicant__name", "applicant__email", "applicant__phone"]
    # profile and answers are shown, not edited: the candidate's own data, with health and criminal-record
    # declarations masked (sensitive fields are never in admin lists, search or forms)
    fields = [
        ("applicant", "job"),
        ("stage", "source", "submitted_at"),
        "resume_link",
        "needs_manual_review",
        "masked_profile",
        "answers",
        ("scoring_attempts", "created_at", "updated_at"),
    ]
    # the stage moves through HR's decisions (who, when, why: screening/decisions.py), never by editing it here;
    # whose application it is and for which job are fixed once submitted (the score, consents and hiring team
    # belong to them), and a résumé comes only through the careers form, which checks its content
    readonly_fields = [
        "applicant",
        "job",
        "resume_link",
        "stage",
        "masked_profile",
        "answers",
        "scoring_attempts",
        "created_at",
        "updated_at",
    ]
    inlines = [EvaluationInline]

    def log_access(self, request, obj):
        audit(request, AuditEvent.Action.VIEW_APPLICATION, application=obj, via="admin")

    def has_add_permission(self, request):
        # applications come from the careers form or HR's import, which validate and score them
        return False

    def save_model(self, request, obj, form, change):
        # only what was edited here: a full save would write back the stage and decider loaded with the page,
        # over a decision taken meanwhile
        if form.changed_data:
            obj.save(update_fields=[*form.changed_data, "updated_at"])

    @admin.display(description=_("简历"))
    def resume_link(self, obj):
        if not obj.resume:
            return None
        # the HR route: it checks who may see the job and logs each opening (media files are not served)
        return format_html('<a href="{}">{}</a>', reverse("hr:application_resume", args=[obj.pk]), _("查看简历"))

    @admin.display(description=_("个人资料"))
    def masked_profile(self, obj):
        profile = dict(obj.profile or {})
        if isinstance(profile.get("declarations"), dict):
            profile["declarations"] = {
                k: (str(_("（敏感信息，不在此显示）")) if k in SENSITIVE_DECLARATIONS else v)
                for k, v in profile["declarations"].items()
            }
        return json.dumps(profile, ensure_ascii=False, indent=2)

    @admin.display(description=_("得分"), ordering="evaluation__score")
    def score(self, obj):
        evaluation = getattr(obj, "evaluation", None)
        return evaluation.score if evaluation else None

    @admin.display(description=_("建议"))
    def recommendation(self, obj):
        evaluation = getattr(obj, "evaluation", None)
        return evaluation.get_recommendation_display() if evaluation else None


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The access log, read-only for everyone: written by the HR views, admin's pages of a person's record and
    the retention purge only."""

    list_display = ["created_at", "actor", "action", "job", "application_id", "detail"]
    list_filter = ["action", "created_at"]
    list_select_related = ["actor", "job"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Personal data or its trail, written only by the services (the candidate's own consent, HR's invitations):
    admins may look, never add or edit. Their rows go with the person or application an admin erases (an erasure
    request), so deleting is not refused; it is not offered on their own lists."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser  # the cascade of an erasure; the list offers no delete action

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(TalentPoolEntry)
class TalentPoolEntryAdmin(ReadOnlyAdmin):
    list_display = ["applicant", "application", "notice_version", "consented_at", "expires_at", "left_at"]
    list_filter = ["left_at", "expires_at"]
    list_select_related = ["applicant", "application__job"]


@admin.register(PoolOffer)
class PoolOfferAdmin(ReadOnlyAdmin):
    list_display = ["application", "offered_by", "offered_at"]
    list_select_related = ["application__applicant", "application__job", "offered_by"]


@admin.register(PoolInvitation)
class PoolInvitationAdmin(ReadOnlyAdmin):
    list_display = ["entry", "job", "invited_by", "created_at", "expires_at"]
    list_select_related = ["entry", "job", "invited_by"]
    exclude = ["token_hash"]


@admin.register(ReferralLink)
class ReferralLinkAdmin(admin.ModelAdmin):
    """An employee's link: admins may end one (active); owner, job and code are fixed once made."""

    list_display = ["code", "owner", "job", "active", "created_at"]
    list_filter = ["active"]
    list_select_related = ["owner", "job"]
    fields = ["code", "owner", "job", "active", "created_at"]
    readonly_fields = ["code", "owner", "job", "created_at"]

    def has_add_permission(self, request):
        return False  # each employee makes their own on /hr/referrals/
