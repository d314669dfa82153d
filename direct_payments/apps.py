from django.apps import AppConfig


class DirectPaymentsConfig(AppConfig):
    name = "direct_payments"
    verbose_name = "Direct payments (cash personal budgets)"

    def ready(self):
        from catalogue.codes import ServiceCode
        from catalogue.sourcing import SourcingRoute, lookups_for, register_route
        from people.sections import register_section

        from .models import DIRECT_PAYMENT_MACHINE, DirectPayment
        from .sections import TEMPLATE, person_direct_payments
        from .services import is_commissioned, start_direct_payment, stop, work_of
        from .workflows import WORKING_STATES

        register_route(
            [ServiceCode.DIRECT_PAYMENT],
            SourcingRoute(
                app="direct_payments",
                start=start_direct_payment,
                is_commissioned=is_commissioned,
                work_of=work_of,
                machine=DIRECT_PAYMENT_MACHINE,
                stop=stop,
                **lookups_for(DirectPayment),
                working_states=WORKING_STATES,
                finds_a_provider=False,  # paid to the person or their representative: no provider, no DPS
            ),
        )
        register_section("direct payments", template=TEMPLATE, context=person_direct_payments, position=16)
