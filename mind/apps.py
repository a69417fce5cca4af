from django.apps import AppConfig


class MindConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'mind'

    def ready(self):
        # Imported here, once the app registry is ready: the engine reaches the models.
        from mind import services
        from mind.engine import receivers  # noqa: F401  (drives Janus from mind.signals)
        from mind.engine.sip_remote import SipClient

        # Every SIP call lives in the `sip` process (mind.engine.sip_process); the others ask it.
        services.install_sip_gateway(SipClient)
