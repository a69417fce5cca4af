from django.apps import AppConfig


class MindConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'mind'

    def ready(self):
        # Imported here, once the app registry is ready: the engine reaches the models.
        from mind import services
        from mind.engine import receivers  # noqa: F401  (drives Janus from mind.signals)
        from mind.engine.sip import gateway

        services.install_sip_gateway(gateway)
