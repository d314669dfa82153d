from django.contrib import messages
from django.shortcuts import redirect, render

from audit.services import record_refusal
from core.exceptions import ActionRefused


def refuse(request, refusal: ActionRefused, *, obj, person=None, redirect_to: str):
    """Tell the user why not, keep a record of the attempt, and change nothing."""
    record_refusal(actor=request.user, obj=obj, person=person, reason=refusal.message)
    messages.error(request, refusal.message)
    return redirect(redirect_to)


def permission_denied(request, exception=None):
    return render(request, "403.html", {"exception": exception}, status=403)
