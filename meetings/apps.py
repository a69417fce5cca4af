from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'meetings'

    def ready(self):
        # Imported here: receivers import models, which need the app registry that calls ready().
        from meetings.actions import callout  # noqa: F401  (registers its Celery task)
        from meetings.receivers import participant_presence_changed, participant_sharing_changed
        from mind import signals

        signals.presence_changed.connect(participant_presence_changed, dispatch_uid="meetings.presence")
        signals.screen_share_changed.connect(participant_sharing_changed, dispatch_uid="meetings.sharing")
