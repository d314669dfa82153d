from django.apps import AppConfig


class SharedLivesConfig(AppConfig):
    name = "shared_lives"
    verbose_name = "Shared lives"

    def ready(self):
        from catalogue.codes import ServiceCode
        from catalogue.sourcing import SourcingRoute, lookups_for, register_route
        from people.access import register_need
        from people.sections import register_section

        from .access import panel_decision_awaits
        from .models import ARRANGEMENT_MACHINE, SharedLivesArrangement
        from .sections import TEMPLATE, shared_lives_arrangements
        from .services import is_commissioned, ready_for_brokerage, start, stop, work_of
        from .workflows import State

        register_route(
            [ServiceCode.SHARED_LIVES],
            SourcingRoute(
                app="shared_lives",
                start=start,
                is_commissioned=is_commissioned,
                work_of=work_of,
                machine=ARRANGEMENT_MACHINE,
                stop=stop,
                **lookups_for(SharedLivesArrangement),
                working_states=(State.WITH_BROKERAGE,),
                finds_a_provider=False,  # the scheme found the carer before the plan came to Brokerage
                ready_for_brokerage=ready_for_brokerage,
            ),
        )
        register_need("shared lives case at the panel", panel_decision_awaits)
        register_section("shared lives", template=TEMPLATE, context=shared_lives_arrangements, position=13)
