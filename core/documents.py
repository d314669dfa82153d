"""Serving a stored PDF (a purchase order, a contract, a letter, an agreement) that names a person."""

from django.http import FileResponse, Http404
from django.shortcuts import render

from audit.services import record_view


def stored_pdf(request, *, file, filename: str, obj, person, what: str, pending: str, context: dict):
    """The PDF as a download, audited as a view of the person's record. While a task is still making it, the
    `pending` page (202) says so; a file lost from storage is a 404, and nothing was seen."""
    if not file:
        return render(request, pending, context, status=202)
    try:
        handle = file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The PDF file is missing") from missing
    record_view(actor=request.user, obj=obj, person=person, what=what)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
