"""The one hook into meetings: a meeting instance whose `ended_at` was just saved."""

from summaries import services


def instance_saved(sender, instance, created, update_fields=None, **kwargs):
    if instance.ended_at is not None and update_fields is not None and "ended_at" in update_fields:
        services.instance_ended(instance)
