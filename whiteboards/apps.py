from django.apps import AppConfig


class WhiteboardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "whiteboards"
