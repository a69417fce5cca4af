"""Summary pages (the summary itself is shown on the past meeting's page, /meetings/previous/<id>)."""

from django.urls import path

from summaries import views

app_name = "summaries"

urlpatterns = [
    path("meetings/previous/<int:instance_id>/summarise", views.regenerate, name="regenerate"),
    path("meetings/<int:meeting_id>/digest", views.digest, name="digest"),
    path("meetings/assistants/", views.assistants, name="assistants"),
    path("meetings/assistants/<int:assistant_id>/edit", views.assistant_edit, name="assistant-edit"),
    path("meetings/assistants/<int:assistant_id>/delete", views.assistant_delete, name="assistant-delete"),
    path("meetings/assistants/settings", views.account_settings, name="account-settings"),
    path("meetings/previous/<int:instance_id>/assistants/run", views.assistant_run, name="assistant-run"),
    path("meetings/summaries/<int:summary_id>/status", views.status, name="status"),
    path("meetings/summaries/<int:summary_id>/edit", views.edit, name="edit"),
    path("meetings/summaries/<int:summary_id>/tick", views.tick, name="tick"),
    path("meetings/summaries/<int:summary_id>/email", views.email, name="email"),
    path("meetings/summaries/<int:summary_id>/summary.md", views.markdown, name="markdown"),
]
