from django.http import FileResponse, Http404
from django.shortcuts import render

from audit.services import record_list_view, record_view
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
    if not order.pdf:
        return render(request, "purchase_orders/pdf_pending.html", {"order": order}, status=202)
    record_view(
        actor=request.user, obj=order, person=order.agreement.person, what=f"purchase order {order.display_number}"
    )
    try:
        handle = order.pdf.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The PDF file is missing") from missing
    return FileResponse(
        handle, as_attachment=True, filename=f"{order.number}-r{order.revision}.pdf", content_type="application/pdf"
    )
