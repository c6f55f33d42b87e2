from django.urls import path

from . import booking_views, chat_views, pool_views, typing_views, views

urlpatterns = [
    path("", views.careers, name="careers"),
    path("jobs/<slug:slug>/", views.job_detail, name="job_detail"),
    path("jobs/<slug:slug>/apply/", views.job_apply, name="job_apply"),
    path("jobs/<slug:slug>/applied/", views.job_applied, name="job_applied"),
    path("jobs/<slug:slug>/applied/self-id/", views.job_self_id, name="job_self_id"),
    path("privacy/", views.privacy, name="privacy"),
    path("typing/start/", typing_views.typing_start, name="typing_start"),
    path("typing/finish/", typing_views.typing_finish, name="typing_finish"),
    path("jobs/<slug:slug>/chat/<slug:code>/start/", chat_views.chat_start, name="chat_start"),
    path("chat/next/", chat_views.chat_next, name="chat_next"),
    path("chat/reply/", chat_views.chat_reply, name="chat_reply"),
    path("chat/finish/", chat_views.chat_finish, name="chat_finish"),
    path("status/<str:token>/", views.application_status, name="application_status"),
    path("my-application/<int:pk>/", views.application_status_page, name="application_status_page"),
    path("my-application/<int:pk>/review/", views.application_status_review, name="application_status_review"),
    path("my-application/<int:pk>/withdraw/", views.application_status_withdraw, name="application_status_withdraw"),
    path("my-application/<int:pk>/data.json", views.application_status_data, name="application_status_data"),
    path("my-application/<int:pk>/delete/", views.application_status_delete, name="application_status_delete"),
    path("my-application/<int:pk>/booking/", booking_views.application_booking, name="application_booking"),
    path("my-application/<int:pk>/pool/join/", pool_views.application_pool_join, name="application_pool_join"),
    path("my-application/<int:pk>/pool/leave/", pool_views.application_pool_leave, name="application_pool_leave"),
    path("my-application/<int:pk>/apply/", pool_views.application_apply_again, name="application_apply_again"),
    path(
        "my-application/<int:pk>/apply/<slug:slug>/",
        pool_views.application_apply_again_job,
        name="application_apply_again_job",
    ),
    path("invited/<str:token>/", pool_views.pool_invitation, name="pool_invitation"),
    path("r/<str:code>/", pool_views.referral, name="referral"),
    path("check-in/<str:token>/", booking_views.session_check_in, name="session_check_in"),
]
