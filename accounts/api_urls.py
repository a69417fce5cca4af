"""Zoom API v2 endpoints of the accounts app (included under /v2/ by config.urls)."""

from django.urls import path

from accounts import api

urlpatterns = [
    path("users/<str:user_id>", api.UserDetailView.as_view(), name="zoom-user"),
]
