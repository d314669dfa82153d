from django import template

register = template.Library()


@register.simple_tag
def page_links(page_obj, querystring: str = "") -> dict[str, str]:
    """Previous and next links for a page numbered by Django's Paginator, in the shape the keyset
    pagination include takes, so both kinds of list share one piece of GOV.UK markup."""
    prefix = f"?{querystring}&page=" if querystring else "?page="
    return {
        "previous": f"{prefix}{page_obj.previous_page_number()}" if page_obj.has_previous() else "",
        "next": f"{prefix}{page_obj.next_page_number()}" if page_obj.has_next() else "",
        "status": f"Page {page_obj.number} of {page_obj.paginator.num_pages}",
    }
