"""Quality pages (docs/qos.md)."""

from django.urls import path

from qos import views

app_name = "qos"

urlpatterns = [
    path("quality/", views.live, name="live"),
    path("quality/meetings/<int:instance_id>/", views.meeting_quality, name="meeting"),
    path("quality/meetings/<int:instance_id>/quality.csv", views.meeting_quality_csv, name="meeting-csv"),
]
