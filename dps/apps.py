from django.apps import AppConfig


class DpsConfig(AppConfig):
    name = "dps"
    verbose_name = "Dynamic purchasing"

    def ready(self):
        from providers.importers import register_arrangements

        from .arrangements import arrangements_with_service_type

        # A provider directory file may enrol a service on an arrangement by naming it (providers.importers).
        register_arrangements("purchasing arrangements", arrangements_with_service_type)
