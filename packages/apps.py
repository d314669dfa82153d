from django.apps import AppConfig


class PackagesConfig(AppConfig):
    name = "packages"
    verbose_name = "Care packages"

    def ready(self):
        from people.sections import register_section

        from .sections import TEMPLATE, care_packages

        register_section("care packages", template=TEMPLATE, context=care_packages, position=15)
