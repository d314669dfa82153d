from django.apps import AppConfig


class ReablementConfig(AppConfig):
    name = "reablement"
    verbose_name = "Reablement"

    def ready(self):
        from django.db.models import Q

        from accounts.roles import Role
        from catalogue.codes import ServiceCode
        from catalogue.practitioners import register_practitioner_told
        from people.access import register_need
        from people.sections import register_section

        from .sections import TEMPLATE, reablement_cases
        from .selectors import reablement_worker_of

        # SPA works its reablement cases as a team: any SPA worker sees a person with an open case.
        def spa_need(user):
            if not user.has_role(Role.SPA_WORKER):
                return None
            from .models import ReablementCase
            from .workflows import OPEN_STATES

            return Q(pk__in=ReablementCase.objects.filter(state__in=OPEN_STATES).values("person_id"))

        register_need("reablement case with SPA", spa_need)
        # The reablement worker is told a provider has been sourced, instead of the social worker (the procedure).
        register_practitioner_told([ServiceCode.REABLEMENT], reablement_worker_of)
        register_section("reablement", template=TEMPLATE, context=reablement_cases, position=12)
