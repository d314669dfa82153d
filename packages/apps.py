from django.apps import AppConfig


class PackagesConfig(AppConfig):
    name = "packages"
    verbose_name = "Care packages"

    def ready(self):
        from people.sections import register_section
        from referrals.running import register_package_finder

        from .sections import TEMPLATE, care_packages
        from .services import package_to_change

        register_section("care packages", template=TEMPLATE, context=care_packages, position=15)
        register_package_finder(package_to_change)
