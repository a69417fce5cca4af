"""Recording pages (/recordings/...), share links (/rec/share/<token>) and signed file links (/rec/...)."""

from django.urls import path

from recordings import views

app_name = "recordings"

urlpatterns = [
    path("recordings/", views.recordings_page, name="list"),
    path("recordings/trash", views.trash_page, name="trash"),
    path("recordings/settings", views.account_settings, name="account-settings"),
    path("recordings/<str:recording_id>/", views.player_page, name="player"),
    path("recordings/<str:recording_id>/share", views.share_settings, name="share-settings"),
    path("recordings/<str:recording_id>/trash", views.trash, name="trash-one"),
    path("recordings/<str:recording_id>/recover", views.recover, name="recover"),
    path("recordings/<str:recording_id>/delete", views.delete_for_good, name="delete"),
    path("rec/share/<str:share_token>", views.shared_player, name="shared"),
    path("rec/play/<str:token>", views.play, name="play"),
    path("rec/download/<str:token>", views.download, name="download"),
]
