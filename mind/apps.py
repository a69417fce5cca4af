from django.apps import AppConfig


class MindConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'mind'

    def ready(self):
        from mind.engine import receivers  # noqa: F401  (drives Janus from mind.signals)
