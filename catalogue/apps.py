from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = "Catalogue: service types and teams"

    def ready(self):
        from .services import ensure_service_types

        # After every migrate, and after a test's flush, which also sends post_migrate.
        post_migrate.connect(ensure_service_types, sender=self)
