from django.apps import AppConfig


class RespiteConfig(AppConfig):
    name = "respite"
    verbose_name = "Respite allowances and bookings"

    def ready(self):
        from catalogue.codes import ServiceCode
        from catalogue.sourcing import SourcingRoute, lookups_for, register_route

        from .models import ALLOWANCE_MACHINE, RespiteAllowance
        from .services import is_commissioned, start_allowance, stop, work_of
        from .workflows import WORKING_STATES

        register_route(
            [ServiceCode.RESPITE],
            SourcingRoute(
                app="respite",
                start=start_allowance,
                is_commissioned=is_commissioned,
                work_of=work_of,
                machine=ALLOWANCE_MACHINE,
                stop=stop,
                **lookups_for(RespiteAllowance),
                working_states=WORKING_STATES,
                finds_a_provider=False,  # each booking names its provider; the referral has no shortlist
            ),
        )
