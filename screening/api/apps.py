from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "screening.api"
    label = "api"
    verbose_name = _("开放接口")

    def ready(self):
        from screening import background, events

        from . import webhooks

        # the domain sends its events after commit; this app turns them into webhook deliveries
        events.application_event.connect(webhooks.on_application_event, dispatch_uid="api-webhooks")
        background.register(webhooks.DELIVER_WEBHOOK)
