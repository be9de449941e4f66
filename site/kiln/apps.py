from django.apps import AppConfig
from django.conf import settings


class KilnConfig(AppConfig):
    name = "kiln"

    def ready(self) -> None:
        if settings.SERVE:
            from . import devserver  # noqa: F401 - connects the reload signals
