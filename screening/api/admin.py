"""The API's clients and webhooks in the admin site (admins only, screening.admin_site)."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from screening.events import TYPES as EVENT_TYPES
from screening.models import Job

from . import services
from .models import ApiClient, WebhookDelivery, WebhookEndpoint


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("权限范围"), choices=ApiClient.Scope.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    jobs = forms.ModelMultipleChoiceField(
        label=_("招聘小组所在职位"), queryset=Job.objects.all(), required=False,
        widget=admin.widgets.FilteredSelectMultiple(_("职位"), is_stacked=False),
        help_text=_("与 HR 人员相同：客户端看得到没有招聘小组的职位，以及它所在招聘小组的职位。"),
    )  # fmt: skip

    class Meta:
        model = ApiClient
        fields = ["name", "scopes", "revoked", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["jobs"].initial = list(self.instance.user.hiring_jobs.all())


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    form = ApiClientForm
    list_display = ["name", "token_hint", "scopes", "revoked", "expires_at", "last_used_at"]
    list_filter = ["revoked"]
    readonly_fields = ["token_hint", "last_used_at", "created_at"]
    actions = ["rotate_token"]

    def save_model(self, request, obj, form, change):
        if change:
            with transaction.atomic():
                super().save_model(request, obj, form, change)
                obj.user.hiring_jobs.set(form.cleaned_data["jobs"])
            return
        created, token = services.api_client_create(
            name=obj.name, scopes=form.cleaned_data["scopes"], jobs=form.cleaned_data["jobs"], expires_at=obj.expires_at
        )
        obj.pk, obj.user, obj.token_hash, obj.token_hint = (
            created.pk,
            created.user,
            created.token_hash,
            created.token_hint,
        )
        obj._state.adding = False
        messages.warning(request, _("令牌只显示这一次，请立即复制保存：%(token)s") % {"token": token})

    def save_related(self, request, form, formsets, change):
        pass  # the jobs are set in save_model (they are the client user's hiring teams, not a field of the client)

    @admin.action(description=_("生成新令牌（旧令牌立即失效）"))
    def rotate_token(self, request, queryset):
        for client in queryset:
            token = ApiClient.new_token()
            client.set_token(token)
            client.save(update_fields=["token_hash", "token_hint", "updated_at"])
            messages.warning(
                request, _("%(name)s 的新令牌只显示这一次：%(token)s") % {"name": client.name, "token": token}
            )


class WebhookEndpointForm(forms.ModelForm):
    url = forms.URLField(label=_("地址"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("事件"), choices=[(t, t) for t in EVENT_TYPES], widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("不选表示全部事件"),
    )  # fmt: skip

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "jobs", "active", "secret"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["name", "url", "active", "created_at"]
    filter_horizontal = ["jobs"]

    def get_changeform_initial_data(self, request):
        return {"secret": WebhookEndpoint.new_secret(), **super().get_changeform_initial_data(request)}


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event_type",
        "endpoint",
        "status",
        "attempts",
        "last_response_code",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["status", "event_type", "endpoint"]
    list_select_related = ["endpoint"]
    search_fields = ["event_id"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
