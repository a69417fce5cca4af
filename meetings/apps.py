from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'meetings'

    def ready(self):
        try:
            from mind import signals  # the embedded engine; absent when the product uses a remote Mind
        except ImportError:
            return
        from meetings.receivers import participant_presence_changed

        signals.presence_changed.connect(participant_presence_changed, dispatch_uid="meetings.presence")
