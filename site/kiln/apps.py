from django.apps import AppConfig
from django.conf import settings


class KilnConfig(AppConfig):
    name = "kiln"

    def ready(self) -> None:
        if settings.SERVE:
            from .devserver import start_watching

            start_watching()
