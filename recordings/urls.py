from django.urls import path

from recordings import views

urlpatterns = [
    path("rec/play/<str:token>", views.play, name="recording-play"),
    path("rec/download/<str:token>", views.download, name="recording-download"),
]
