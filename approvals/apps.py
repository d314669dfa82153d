from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "Approvals by the panel and heads of service"

    def ready(self):
        from people.sections import Page, register_section

        from .sections import TEMPLATE, funding_decisions

        register_section("funding decisions", template=TEMPLATE, context=funding_decisions, position=10, page=Page.PLAN)
