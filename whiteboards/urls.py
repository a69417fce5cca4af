from django.urls import path

from whiteboards import views

app_name = "whiteboards"
urlpatterns = [
    path("j/<int:meeting_id>/whiteboard", views.board, name="board"),
    path("j/<int:meeting_id>/whiteboard/png", views.png, name="png"),
    path("meetings/previous/<int:instance_id>/whiteboard.png", views.download, name="download"),
]
