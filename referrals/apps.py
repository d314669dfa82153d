from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals to Brokerage"

    def ready(self):
        from people.access import register_need
        from people.sections import register_section

        from .access import decision_awaits, team_has_work
        from .sections import TEMPLATE, referrals_to_brokerage

        register_need("brokerage team's work", team_has_work)
        register_need("funding decision awaiting", decision_awaits)
        # After the services they receive (brokerage's section), whose past ones point to "the referrals below".
        register_section("referrals to Brokerage", template=TEMPLATE, context=referrals_to_brokerage, position=20)
