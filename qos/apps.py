from django.apps import AppConfig


class QosConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'qos'

    def ready(self):
        from qos import receivers, signals

        signals.rating_changed.connect(receivers.tell_room, dispatch_uid="qos.tell_room")
        signals.rating_changed.connect(receivers.alert_subscribers, dispatch_uid="qos.alert_subscribers")
