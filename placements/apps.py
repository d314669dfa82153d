from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = "Residential and nursing placements"

    def ready(self):
        from catalogue.codes import ServiceCode
        from catalogue.sourcing import SourcingRoute, lookups_for, register_route
        from people.access import register_need

        from .access import fee_approval_awaits
        from .models import PLACEMENT_MACHINE, Placement
        from .services import is_commissioned, start_placement, stop, work_of
        from .workflows import ENDED_STATES, State

        register_route(
            [ServiceCode.RESIDENTIAL, ServiceCode.NURSING],
            SourcingRoute(
                app="placements",
                start=start_placement,
                is_commissioned=is_commissioned,
                work_of=work_of,
                machine=PLACEMENT_MACHINE,
                stop=stop,
                **lookups_for(Placement),
                working_states=tuple(s for s in State.values if s not in ENDED_STATES),
            ),
        )
        register_need("placement fee approval awaiting", fee_approval_awaits)
