from django.apps import AppConfig


class BrokerageConfig(AppConfig):
    name = "brokerage"
    verbose_name = "Brokerage"

    def ready(self):
        from people.sections import register_section

        from .sections import TEMPLATE, services_and_agreements

        # First on the page: what the person receives now.
        register_section("services and agreements", template=TEMPLATE, context=services_and_agreements, position=10)
