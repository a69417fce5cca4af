"""Summary pages (the summary itself is shown on the past meeting's page, /meetings/previous/<id>)."""

from django.urls import path

from summaries import views

app_name = "summaries"

urlpatterns = [
    path("meetings/previous/<int:instance_id>/summarise", views.regenerate, name="regenerate"),
    path("meetings/<int:meeting_id>/digest", views.digest, name="digest"),
    path("meetings/summaries/<int:summary_id>/status", views.status, name="status"),
    path("meetings/summaries/<int:summary_id>/edit", views.edit, name="edit"),
    path("meetings/summaries/<int:summary_id>/tick", views.tick, name="tick"),
    path("meetings/summaries/<int:summary_id>/email", views.email, name="email"),
    path("meetings/summaries/<int:summary_id>/summary.md", views.markdown, name="markdown"),
]
