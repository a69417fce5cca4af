from django.apps import AppConfig


class RecordingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recordings"

    def ready(self):
        from recordings import receivers  # noqa: F401  (connects the engine's signals)
