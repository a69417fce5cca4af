from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Project-wide pieces that belong to no single domain: health, landing page, demo data."""

    name = "config"
    label = "core"
    verbose_name = "Core"
