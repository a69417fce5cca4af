from django.apps import AppConfig


class MindConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'mind'
