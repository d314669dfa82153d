from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals to Brokerage"

    def ready(self):
        from people.access import register_need

        from .access import decision_awaits, team_has_work

        register_need("brokerage team's work", team_has_work)
        register_need("funding decision awaiting", decision_awaits)
