from django.shortcuts import render

from audit.services import record_list_view
from core.documents import stored_pdf
from core.pagination import keyset_page

from .access import access_order
from .selectors import ORDERS_NEWEST_FIRST, orders_for_finance

ORDERS_PAGE_SIZE = 50


def order_list(request):
    page = keyset_page(
        orders_for_finance(),
        ordering=ORDERS_NEWEST_FIRST,
        size=ORDERS_PAGE_SIZE,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    record_list_view(actor=request.user, what="the purchase orders", people=[o.agreement.person_id for o in page])
    return render(
        request, "purchase_orders/order_list.html", {"page": page, "pagination": page.navigation(request.GET)}
    )


def order_pdf(request, order_id: int):
    order = access_order(request.user, order_id)
    return stored_pdf(
        request,
        file=order.pdf,
        filename=f"{order.number}-r{order.revision}.pdf",
        obj=order,
        person=order.agreement.person,
        what=f"purchase order {order.display_number}",
        pending="purchase_orders/pdf_pending.html",
        context={"order": order},
    )
