from django.apps import AppConfig


class SupportedLivingConfig(AppConfig):
    name = "supported_living"
    verbose_name = "Supported living"

    def ready(self):
        from catalogue.codes import ServiceCode
        from catalogue.sourcing import SourcingRoute, lookups_for, register_route
        from people.access import register_need

        from .access import funding_decision_awaits
        from .models import SUPPORTED_LIVING_MACHINE, SupportedLivingPlacement
        from .services import is_commissioned, start_placement, stop, work_of
        from .workflows import ENDED_STATES, State

        register_route(
            [ServiceCode.SUPPORTED_LIVING],
            SourcingRoute(
                app="supported_living",
                start=start_placement,
                is_commissioned=is_commissioned,
                work_of=work_of,
                machine=SUPPORTED_LIVING_MACHINE,
                stop=stop,
                **lookups_for(SupportedLivingPlacement),
                working_states=tuple(s for s in State.values if s not in ENDED_STATES),
            ),
        )
        register_need("supported living funding decision awaiting", funding_decision_awaits)
