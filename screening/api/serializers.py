"""What the API reads and writes. Read serializers document the shapes (drf-spectacular reads them); the views
hand them plain objects. Write serializers refuse fields they do not know."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from screening.models import Application, Evaluation, Job, RejectionReason
from screening.services import decisions


class StrictSerializer(serializers.Serializer):
    """Unknown fields are an error, not silently dropped: a typo in an integration should fail loudly."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [serializers.ErrorDetail(_("未知字段"), code="unknown_field")] for name in unknown}
                )
        return super().to_internal_value(data)


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="machine-readable: invalid, parse_error, not_found, token_expired, …")
    message = serializers.CharField()
    fields = serializers.DictField(required=False, help_text="{field: [messages]} for code invalid")


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


# -- jobs and checklists --------------------------------------------------------------------------
class RequirementSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField()
    weight = serializers.IntegerField()
    knockout = serializers.BooleanField()


class ChecklistSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    revision = serializers.IntegerField()
    requirements = RequirementSerializer(many=True, source="requirements.all")


class JobSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Job.Status.choices)
    location = serializers.CharField()
    employment_type = serializers.ChoiceField(choices=Job.EmploymentType.choices)
    advance_threshold = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class JobDetailSerializer(JobSerializer):
    description = serializers.CharField()
    checklists = ChecklistSerializer(many=True, source="ordered_checklists")
    revisions = serializers.DictField(child=serializers.IntegerField(), help_text="{checklist slug: revision}")


# -- applications --------------------------------------------------------------------------------
class ApplicationListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    job = serializers.CharField(source="job_slug")
    name = serializers.CharField(source="applicant.name")
    stage = serializers.ChoiceField(choices=Application.Stage.choices)
    source = serializers.ChoiceField(choices=Application.Source.choices)
    submitted_at = serializers.DateTimeField()
    score = serializers.FloatField(allow_null=True)
    max_possible = serializers.FloatField(allow_null=True)
    recommendation = serializers.ChoiceField(choices=Evaluation.Recommendation.choices, allow_null=True)
    knockout_failed = serializers.BooleanField(allow_null=True)
    unknown_count = serializers.IntegerField(allow_null=True)
    stale = serializers.BooleanField(help_text="scored against checklist revisions older than the job's current ones")


class ApplicationPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True, help_text="the cursor of the next page; null on the last one")
    results = ApplicationListSerializer(many=True)


class ApplicantSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class AnswerSerializer(serializers.Serializer):
    code = serializers.CharField()
    prompt = serializers.CharField()
    answer = serializers.CharField()
    answer_label = serializers.CharField()


class RequirementResultSerializer(serializers.Serializer):
    checklist = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=["met", "partial", "not_met", "unknown"])
    knockout = serializers.BooleanField()
    weight = serializers.IntegerField()
    kind = serializers.CharField(allow_null=True)
    evidence = serializers.ListField(child=serializers.CharField(), help_text="in the language of Accept-Language")


class EvaluationSerializer(serializers.Serializer):
    score = serializers.FloatField()
    max_possible = serializers.FloatField()
    recommendation = serializers.ChoiceField(choices=Evaluation.Recommendation.choices)
    knockout_failed = serializers.BooleanField()
    unknown_count = serializers.IntegerField()
    evaluated_at = serializers.DateTimeField()
    revisions = serializers.DictField(child=serializers.IntegerField())
    stale = serializers.BooleanField()
    requirements = RequirementResultSerializer(many=True)


class StageChangeSerializer(serializers.Serializer):
    from_stage = serializers.ChoiceField(choices=Application.Stage.choices)
    to_stage = serializers.ChoiceField(choices=Application.Stage.choices)
    at = serializers.DateTimeField(source="created_at")
    by = serializers.CharField(allow_null=True, source="by_name")
    reason = serializers.CharField()
    note = serializers.CharField()


class ApplicationDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    job = serializers.CharField(source="job.slug")
    applicant = ApplicantSerializer()
    stage = serializers.ChoiceField(choices=Application.Stage.choices)
    source = serializers.ChoiceField(choices=Application.Source.choices)
    submitted_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    rejection_reason = serializers.CharField()
    needs_manual_review = serializers.BooleanField()
    profile = serializers.DictField(help_text="the DESIGN.md profile, without health and criminal-record answers")
    answers = AnswerSerializer(many=True)
    evaluation = EvaluationSerializer(allow_null=True)
    history = StageChangeSerializer(many=True)


# -- writes --------------------------------------------------------------------------------------
class ApplicationCreateSerializer(StrictSerializer):
    external_id = serializers.RegexField(
        r"^[A-Za-z0-9._:-]+$", max_length=100, help_text="your id for this application: the same id again is the "
        "same application",
    )  # fmt: skip
    name = serializers.CharField(max_length=100)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    profile = serializers.DictField(required=False, default=dict, help_text="DESIGN.md profile keys, checked strictly")
    answers = serializers.DictField(child=serializers.CharField(max_length=2000), required=False, default=dict)


class ApplicationCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    created = serializers.BooleanField(help_text="false when the external id was already used for this request")
    dropped = serializers.ListField(
        child=serializers.CharField(), help_text="profile keys not stored: the job's requirements do not read them"
    )


ACTIONS = ("advance", "reject", "undo")


class DecisionSerializer(StrictSerializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    to_stage = serializers.ChoiceField(
        choices=[s for s in decisions.HR_STAGES if s != Application.Stage.REJECTED], required=False,
        help_text="for advance: the stage to move to",
    )  # fmt: skip
    reason = serializers.ChoiceField(choices=RejectionReason.choices, required=False, help_text="needed to reject")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    acting_for = serializers.CharField(max_length=150, help_text="the person in your system who decided")
    expected_stage = serializers.ChoiceField(
        choices=Application.Stage.choices, required=False, help_text="refused with 409 if the stage is no longer this"
    )

    def validate(self, attrs):
        if attrs["action"] == "advance" and not attrs.get("to_stage"):
            raise serializers.ValidationError({"to_stage": [_("前进时需要指定阶段")]}, code="required")
        if attrs["action"] == "reject" and not attrs.get("reason"):
            raise serializers.ValidationError({"reason": [_("请选择未通过的原因")]}, code="required")
        if not attrs["acting_for"].strip():
            raise serializers.ValidationError({"acting_for": [_("请写明代表谁做出决定")]}, code="blank")
        return attrs


class DecisionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    stage = serializers.ChoiceField(choices=Application.Stage.choices)
