"""The open API, version 1: thin views over the API's selectors and the domain's services."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from screening import selectors as domain
from screening.audit import audit
from screening.models import AuditEvent
from screening.services import decisions

from . import pagination, selectors, serializers, services
from .errors import Conflict
from .filters import ApplicationFilter
from .models import ApiClient

ERRORS = {code: serializers.ErrorSerializer for code in (400, 401, 403, 404, 429)}
WRITE_ERRORS = {**ERRORS, **{code: serializers.ErrorSerializer for code in (409, 413, 415)}}


def _language(request) -> str:
    for code, _q in parse_accept_lang_header(request.headers.get("Accept-Language", "")[:200]):
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    return "zh-hans"


@csrf_exempt  # no cookie authenticates an API request: a POST to a wrong path is a 404, not a CSRF failure
def not_found(request, *args, **kwargs):
    body = {"error": {"code": "not_found", "message": _("没有找到，或者这个令牌无权查看")}}
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})


class ApiView(APIView):
    # evidence and messages in the language of Accept-Language (the site itself ignores it); no docstring here, or
    # the schema would show it as every operation's description

    def initial(self, request, *args, **kwargs):
        request.api_language = _language(request)
        translation.activate(request.api_language)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.headers["Content-Language"] = getattr(request, "api_language", "zh-hans")
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @property
    def client(self) -> ApiClient:
        return self.request.auth

    def _audit(self, action, **kwargs):
        audit(self.request, action, via="api", client=self.client.name, **kwargs)


class JobList(ApiView):
    @extend_schema(responses={200: serializers.JobSerializer(many=True), **ERRORS}, summary="Jobs this client sees")
    def get(self, request):
        jobs = selectors.client_jobs(client=self.client).order_by("-created_at", "pk")[:500]
        return Response(serializers.JobSerializer(jobs, many=True).data)


class JobDetail(ApiView):
    @extend_schema(responses={200: serializers.JobDetailSerializer, **ERRORS}, summary="A job with its checklists")
    def get(self, request, slug):
        job = get_object_or_404(selectors.client_jobs(client=self.client), slug=slug)
        return Response(serializers.JobDetailSerializer(selectors.job_detail(job=job)).data)


class ChecklistList(ApiView):
    @extend_schema(responses={200: serializers.ChecklistSerializer(many=True), **ERRORS}, summary="Checklists")
    def get(self, request):
        checklists = selectors.checklists_with_requirements(selectors.client_checklists(client=self.client))
        return Response(serializers.ChecklistSerializer(checklists, many=True).data)


class ChecklistDetail(ApiView):
    @extend_schema(responses={200: serializers.ChecklistSerializer, **ERRORS}, summary="A checklist (read-only)")
    def get(self, request, slug):
        checklists = selectors.checklists_with_requirements(selectors.client_checklists(client=self.client))
        return Response(serializers.ChecklistSerializer(get_object_or_404(checklists, slug=slug)).data)


class JobApplications(ApiView, generics.GenericAPIView):
    """GET: the job's applications ranked as HR's list, with its filters, a page at a time. POST: an application
    from another channel (scope `create`), idempotent by `external_id`."""

    filter_backends = [DjangoFilterBackend]
    filterset_class = ApplicationFilter
    required_scopes = {"POST": ApiClient.Scope.CREATE}
    serializer_class = serializers.ApplicationListSerializer

    def get_queryset(self):
        job = getattr(self, "job", None)
        return domain.job_ranked_applications(job=job) if job else domain.Application.objects.none()

    def _job(self, slug):
        self.job = get_object_or_404(selectors.client_jobs(client=self.client), slug=slug)
        return self.job

    @extend_schema(
        parameters=[
            OpenApiParameter("cursor", str, description="the `next` of the previous page"),
            OpenApiParameter("page_size", int, description="1–100, default 25"),
        ],
        responses={200: serializers.ApplicationPageSerializer, **ERRORS},
        summary="Applications of a job, ranked",
    )
    def get(self, request, slug):
        job = self._job(slug)
        size = pagination.page_size(request.query_params.get("page_size"))
        applications = self.filter_queryset(self.get_queryset())
        rows, next_cursor = selectors.application_page(
            job=job, applications=applications, cursor=request.query_params.get("cursor"), size=size
        )
        self._audit(AuditEvent.Action.EXPORT, job=job, applications=[a.pk for a in rows])
        results = serializers.ApplicationListSerializer(rows, many=True).data
        return Response({"next": next_cursor, "results": results})

    @extend_schema(
        request=serializers.ApplicationCreateSerializer,
        responses={
            201: serializers.ApplicationCreatedSerializer,
            200: serializers.ApplicationCreatedSerializer,
            **WRITE_ERRORS,
        },
        summary="Create an application from another channel (idempotent by external_id)",
    )
    def post(self, request, slug):
        job = self._job(slug)
        form = serializers.ApplicationCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            application, created, dropped = services.external_application_create(
                client=self.client, job=job, external_id=data["external_id"], body_hash=services.request_hash(data),
                name=data["name"], email=data["email"], phone=data["phone"], profile=data["profile"],
                answers=data["answers"],
            )  # fmt: skip
        except services.Refused as refused:
            if refused.fields:
                raise exceptions.ValidationError(refused.fields) from None
            raise Conflict(refused.message, code=refused.code) from None
        body = {"id": application.pk, "external_id": data["external_id"], "created": created, "dropped": dropped}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ApplicationDetail(ApiView):
    @extend_schema(responses={200: serializers.ApplicationDetailSerializer, **ERRORS}, summary="One application")
    def get(self, request, pk: int):
        visible = selectors.client_applications(client=self.client).select_related("applicant", "job", "evaluation")
        application = get_object_or_404(visible, pk=pk)
        self._audit(AuditEvent.Action.VIEW_APPLICATION, application=application)
        return Response(
            serializers.ApplicationDetailSerializer(selectors.application_detail(application=application)).data
        )


class ApplicationDecision(ApiView):
    """advance / reject (with a structured reason) / undo a rejection, as HR's buttons do, by the client's user
    for the named person (`acting_for`, written into the history's note)."""

    required_scopes = {"POST": ApiClient.Scope.DECIDE}

    @extend_schema(
        request=serializers.DecisionSerializer,
        responses={200: serializers.DecisionResultSerializer, **WRITE_ERRORS},
        summary="Decide on an application",
    )
    def post(self, request, pk: int):
        application = get_object_or_404(selectors.client_applications(client=self.client), pk=pk)
        form = serializers.DecisionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        note = f"〔API {self.client.name} · {data['acting_for'].strip()}〕 {data['note'].strip()}".strip()
        try:
            if data["action"] == "undo":
                decisions.application_undo_rejection(application=application, by=request.user, note=note)
            else:
                decisions.application_decide(
                    application=application, by=request.user, note=note,
                    to_stage=data["to_stage"] if data["action"] == "advance" else "rejected",
                    reason=data.get("reason", ""), expected_stage=data.get("expected_stage", ""),
                )  # fmt: skip
        except decisions.DecisionError as exc:
            raise Conflict(str(exc), code="decision_refused") from None
        return Response({"id": application.pk, "stage": application.stage})
