from django.apps import AppConfig

from catalogue.codes import ServiceCode

# The service types whose provider Brokerage finds on the DPS (or off it) and contracts on the same steps: home care
# and the simpler services (SPEC §4). A type that gains its own steps moves from here to its own app: residential and
# nursing (placements), respite (respite), supported living (supported_living), shared lives (shared_lives), a direct
# payment, which has no provider (direct_payments).
COMMISSIONED_HERE = (
    ServiceCode.HOME_CARE,
    ServiceCode.REABLEMENT,
    ServiceCode.DAY_OPPORTUNITIES,
    ServiceCode.TRANSPORT,
    ServiceCode.MEALS,
    ServiceCode.CARERS_RELIEF,
    ServiceCode.ESCORT,
    ServiceCode.OUTREACH,
)


class CommissioningConfig(AppConfig):
    name = "commissioning"
    verbose_name = "Commissioning home care and the simpler services"

    def ready(self):
        from catalogue.sourcing import SourcingRoute, lookups_for, register_route

        from .models import COMMISSION_MACHINE, Commission
        from .services import is_commissioned, start_commission, stop, work_of
        from .workflows import WORKING_STATES

        register_route(
            COMMISSIONED_HERE,
            SourcingRoute(
                app="commissioning",
                start=start_commission,
                is_commissioned=is_commissioned,
                work_of=work_of,
                machine=COMMISSION_MACHINE,
                on_referral_page=True,
                stop=stop,
                **lookups_for(Commission),
                working_states=WORKING_STATES,
            ),
        )
