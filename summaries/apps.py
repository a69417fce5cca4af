from django.apps import AppConfig


class SummariesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "summaries"

    def ready(self):
        from django.db.models.signals import post_save

        from meetings.models import Instance
        from summaries.receivers import instance_saved

        post_save.connect(instance_saved, sender=Instance, dispatch_uid="summaries.instance_ended")
