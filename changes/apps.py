from django.apps import AppConfig

# The changes made here (referrals.Referral.Change), whatever the service type. A change of provider is sourced as a
# new package is (commissioning or placements), and moves the package to the new agreement when its order is issued.
CHANGED_HERE = ("suspend", "reduce", "increase")


class ChangesConfig(AppConfig):
    name = "changes"
    verbose_name = "Changes to running services"

    def ready(self):
        from catalogue.sourcing import SourcingRoute, lookups_for, register_change_route

        from .models import CHANGE_MACHINE, PackageChange
        from .services import is_made, start_change, stop, work_of
        from .workflows import WORKING_STATES

        register_change_route(
            CHANGED_HERE,
            SourcingRoute(
                app="changes",
                start=start_change,
                is_commissioned=is_made,
                work_of=work_of,
                machine=CHANGE_MACHINE,
                on_referral_page=True,
                stop=stop,
                **lookups_for(PackageChange),
                working_states=WORKING_STATES,
                finds_a_provider=False,
            ),
        )
