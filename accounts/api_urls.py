"""Zoom API v2 endpoints of the accounts app (included under /v2/ by config.urls)."""

from django.urls import path

from accounts import api

urlpatterns = [
    path("users", api.UsersView.as_view(), name="zoom-users"),
    path("users/me/zak", api.UserTokenView.as_view(), name="zoom-user-zak"),
    path("users/<str:user_id>", api.UserDetailView.as_view(), name="zoom-user"),
    path("users/<str:user_id>/picture", api.UserPictureView.as_view(), name="zoom-user-picture"),
    path("users/<str:user_id>/settings", api.UserSettingsView.as_view(), name="zoom-user-settings"),
    path("users/<str:user_id>/token", api.UserTokenView.as_view(), name="zoom-user-token"),
]
